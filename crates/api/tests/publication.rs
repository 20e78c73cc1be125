//! The publication workflow through the API on a real database file: the attribute with its
//! legal ground, the interpretation package, de-identification, the confidentiality review, the
//! sign-off of the reviewed pair, the transition log, stale reviews, 退文, deadlines computed from
//! events with pauses, and an imported holiday table.

use chrono::{TimeZone, Utc};
use gongkai_api::*;
use gongkai_core::{DueState, InterpForm, Opinion, Package, Stage};
use sha2::Digest;

mod common;
use common::*;

#[test]
fn the_main_path_with_every_gate_refusing_first() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(fields()),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();

    let w = api.workflow_status(dr(&doc)).unwrap();
    assert_eq!(w.stage, Stage::Drafting);
    assert_eq!(w.next, Some(Stage::AttributeSet));
    assert_eq!(codes(&w.next_gates), vec!["attribute_missing"]);
    assert_eq!(
        codes(&w.bundle_gates),
        vec![
            "attribute_missing",
            "interpretation_incomplete",
            "deid_not_applied",
            "secrecy_not_cleared",
            "signoff_missing"
        ]
    );
    assert_eq!(w.steps.len(), 11);
    assert_eq!(w.steps[0].state, "current");
    assert!(!w.can_withdraw);

    // 先确定公开属性，再运转呈签.
    let e = to(&api, &doc, Stage::AttributeSet, "").unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    assert!(
        e.message.contains("先确定公开属性，再运转呈签"),
        "{}",
        e.message
    );
    let e = to(&api, &doc, Stage::InReview, "").unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::InvalidInput,
        "no skipping: {}",
        e.message
    );

    // 部分公开 without a ground is refused with what is missing; nothing is stored.
    let mut bad = partial();
    bad.grounds.clear();
    bad.reason.clear();
    let e = api
        .disclosure_set(DisclosureSetRequest {
            doc_id: doc.clone(),
            disclosure: bad,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("法定理由"), "{}", e.message);
    assert!(api.disclosure_get(dr(&doc)).unwrap().disclosure.is_none());
    let v = api
        .disclosure_set(DisclosureSetRequest {
            doc_id: doc.clone(),
            disclosure: partial(),
        })
        .unwrap();
    assert!(v.issues.is_empty());
    assert_eq!(v.decided_by.as_deref(), Some("王晓明"));
    let w = to(&api, &doc, Stage::AttributeSet, "").unwrap();
    assert_eq!(w.stage, Stage::AttributeSet);
    assert!(w.facts.needs_interpretation);

    // 谁起草、谁解读: no step forward without a complete package.
    let e = to(&api, &doc, Stage::InterpretationSynced, "").unwrap_err();
    assert!(e.message.contains("解读"), "{}", e.message);
    let fresh = api.package_get(dr(&doc)).unwrap();
    assert!(fresh.head.is_none());
    assert_eq!(fresh.package.interpreter, "王晓明");
    assert_eq!(fresh.package.interpreter_unit, "zazd");
    assert!(!fresh.check.complete);
    assert_eq!(
        fresh.display_title,
        "关于《关于优化户籍迁移登记服务的通知》的政策解读"
    );
    let saved = api
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: package(),
        })
        .unwrap();
    assert!(saved.check.complete, "{:?}", saved.check.issues);
    assert_eq!(saved.head.as_ref().unwrap().rev_no, 1);
    // A save on a stale base is a conflict, never an overwrite.
    let e = api
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: Package::default(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    to(&api, &doc, Stage::InterpretationSynced, "").unwrap();

    // De-identification: undecided findings keep the gate closed.
    let review = api.deid_review(dr(&doc)).unwrap();
    assert!(!review.findings.is_empty());
    let e = to(&api, &doc, Stage::Deidentified, "").unwrap_err();
    assert!(e.message.contains("尚未确认"), "{}", e.message);
    api.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: review.rev_id.clone(),
        finding_ids: review.findings.iter().map(|f| f.id.clone()).collect(),
        decision: Decision::Accepted,
        replacement: None,
    })
    .unwrap();
    let e = to(&api, &doc, Stage::Deidentified, "").unwrap_err();
    assert!(e.message.contains("生成公开文本"), "{}", e.message);
    api.deid_apply(dr(&doc)).unwrap();
    to(&api, &doc, Stage::Deidentified, "").unwrap();

    // 保密审查: recorded even when it does not pass, with what is missing.
    let e = to(&api, &doc, Stage::SecrecyCleared, "").unwrap_err();
    assert!(e.message.contains("保密审查"), "{}", e.message);
    let mut half = secrecy();
    half.leader = Opinion::default();
    let s = api
        .secrecy_record(SecrecyRecordRequest {
            doc_id: doc.clone(),
            review: half,
        })
        .unwrap();
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert!(s.problems[0].contains("分管领导"));
    assert!(to(&api, &doc, Stage::SecrecyCleared, "").is_err());
    let s = api
        .secrecy_record(SecrecyRecordRequest {
            doc_id: doc.clone(),
            review: secrecy(),
        })
        .unwrap();
    assert!(s.problems.is_empty() && s.current, "{:?}", s.problems);
    to(&api, &doc, Stage::SecrecyCleared, "").unwrap();
    let w = to(&api, &doc, Stage::InReview, "").unwrap();
    assert_eq!(w.next, Some(Stage::Signed));
    assert_eq!(codes(&w.next_gates), vec!["signoff_missing"]);

    // The attribute is locked while in review.
    let e = api
        .disclosure_set(DisclosureSetRequest {
            doc_id: doc.clone(),
            disclosure: partial(),
        })
        .unwrap_err();
    assert!(e.message.contains("撤回到拟稿"), "{}", e.message);
    assert!(api.disclosure_get(dr(&doc)).unwrap().locked);

    // Sign-off: only with a real date, through the sign-off record.
    assert!(to(&api, &doc, Stage::Signed, "").is_err());
    let e = api
        .signoff_record(SignoffRequest {
            doc_id: doc.clone(),
            signer: "刘副局长".into(),
            signed_on: "2026-11-30".into(),
            opinion: "同意".into(),
        })
        .unwrap_err();
    assert!(e.message.contains("不能晚于今天"), "{}", e.message);
    let w = sign(&api, &doc).unwrap();
    assert_eq!(w.stage, Stage::Signed);
    assert!(w.bundle_gates.is_empty(), "{:?}", w.bundle_gates);
    let so = w.signoff.unwrap();
    assert_eq!((so.doc_rev_no, so.package_rev_no), (1, Some(1)));

    // Every transition is logged: who, when, from, to, and the revisions it concerned.
    let stages: Vec<(Stage, Stage)> = w.log.iter().map(|l| (l.from, l.to)).collect();
    assert_eq!(stages.len(), 6);
    assert_eq!(stages[0], (Stage::Drafting, Stage::AttributeSet));
    assert_eq!(stages[5], (Stage::InReview, Stage::Signed));
    assert!(w
        .log
        .iter()
        .all(|l| l.actor == "王晓明" && !l.at.is_empty()));
    assert!(w.log[5].reason.contains("刘副局长签发"));
    let in_review = &w.log[4];
    assert_eq!(in_review.to, Stage::InReview);
    assert!(in_review.package_rev_id.is_some());

    // The list shows the coarse status.
    let list = api.doc_list(ListRequest::default()).unwrap();
    assert_eq!(list[0].status, gongkai_core::DocStatus::Signed);
}

#[test]
fn a_change_after_sign_off_makes_the_review_stale_until_redone() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = signed_document(&api);
    let view = api.doc_get(dr(&doc)).unwrap();
    let mut f = view.fields.clone();
    f.body.push("三、本通知自印发之日起施行。".into());
    api.doc_save(SaveRequest {
        doc_id: doc.clone(),
        base_rev_id: view.head.rev_id.to_string(),
        fields: f,
    })
    .unwrap();
    let w = api.workflow_status(dr(&doc)).unwrap();
    assert!(w.facts.review_stale);
    let c = codes(&w.bundle_gates);
    assert!(
        c.contains(&"review_stale") && c.contains(&"deid_not_applied"),
        "{c:?}"
    );
    let s = api.secrecy_get(dr(&doc)).unwrap();
    assert!(!s.current);
    assert!(
        s.problems.iter().any(|p| p.contains("第1版")),
        "{:?}",
        s.problems
    );

    // Withdrawal needs a reason and goes back to 拟稿.
    assert!(to(&api, &doc, Stage::Drafting, " ").is_err());
    let w = to(&api, &doc, Stage::Drafting, "补充施行日期").unwrap();
    assert_eq!(w.stage, Stage::Drafting);
    assert_eq!(w.log.last().unwrap().reason, "补充施行日期");
    assert!(!api.disclosure_get(dr(&doc)).unwrap().locked);
}

#[test]
fn sign_off_is_refused_when_the_pair_changed_while_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let (doc, pkg_rev) = in_review_document(&api);
    // The interpretation is edited after it went for sign-off.
    let mut changed = package();
    changed.sections[2].text.push_str("材料也减少了。");
    api.package_save(PackageSaveRequest {
        doc_id: doc.clone(),
        base_rev_id: Some(pkg_rev),
        package: changed,
    })
    .unwrap();
    let e = sign(&api, &doc).unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    assert!(e.message.contains("旧版本"), "{}", e.message);
    assert_eq!(
        api.workflow_status(dr(&doc)).unwrap().stage,
        Stage::InReview
    );
}

#[test]
fn deadlines_run_from_events_with_pauses_and_turn_red_when_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let doc = {
        let api = ready(dir.path());
        let doc = signed_document(&api);
        let w = api.workflow_status(dr(&doc)).unwrap();
        let by_rule = |id: u32| {
            w.deadlines
                .iter()
                .find(|d| d.rule_id == id)
                .unwrap()
                .clone()
        };
        // 保密办 opinion: asked and given on 2026-11-23.
        assert_eq!(by_rule(25).state, DueState::Done);
        assert_eq!(by_rule(25).due.as_deref(), Some("2026-12-07"));
        // 主动公开 within 20 working days of signing (2026-11-23, a Monday).
        let publish = by_rule(8);
        assert_eq!(publish.state, DueState::Running);
        assert_eq!(publish.due.as_deref(), Some("2026-12-21"));
        assert_eq!(publish.days_left, Some(20));
        assert!(!publish.provisional);
        // The interpretation waits for the document's publication.
        assert_eq!(by_rule(1).state, DueState::Waiting);

        let w = api
            .event_record(EventRequest {
                doc_id: doc.clone(),
                kind: "published".into(),
                date: "2026-11-23".into(),
            })
            .unwrap();
        let interp = w.deadlines.iter().find(|d| d.rule_id == 1).unwrap();
        assert_eq!(interp.due.as_deref(), Some("2026-11-26"));
        assert_eq!(interp.days_left, Some(3));
        let w = api
            .deadline_pause(PauseRequest {
                doc_id: doc.clone(),
                start: "2026-11-24".into(),
                end: "2026-11-25".into(),
                reason: "征求第三方意见（条例第三十二条）".into(),
            })
            .unwrap();
        let interp = w.deadlines.iter().find(|d| d.rule_id == 1).unwrap();
        assert_eq!(interp.due.as_deref(), Some("2026-11-30"));
        assert_eq!(w.pauses.len(), 1);
        assert_eq!(
            (w.pauses[0].start.as_str(), w.pauses[0].end.as_str()),
            ("2026-11-24", "2026-11-25")
        );
        assert!(w.pauses[0].reason.contains("第三十二条"));
        let panel = api.deadlines_panel().unwrap();
        assert_eq!(panel.len(), 1, "{panel:?}");
        assert_eq!(panel[0].rule_id, 1);
        assert!(api
            .event_record(EventRequest {
                doc_id: doc.clone(),
                kind: "opened".into(),
                date: "2026-11-23".into(),
            })
            .is_err());
        doc
    };
    // A week later, nothing stored has changed, but the same deadline is overdue.
    let later = open_at(dir.path(), 2026, 12, 2);
    let panel = later.deadlines_panel().unwrap();
    assert_eq!(panel[0].state, DueState::Overdue);
    assert_eq!(panel[0].days_left, Some(-2));
    later
        .event_record(EventRequest {
            doc_id: doc.clone(),
            kind: "interpretation_published".into(),
            date: "2026-12-01".into(),
        })
        .unwrap();
    // What is left is the season's annual report (on the panel from 1 December).
    let rest = later.deadlines_panel().unwrap();
    assert_eq!(
        rest.iter().map(|o| o.rule_id).collect::<Vec<_>>(),
        vec![14],
        "{rest:?}"
    );
    assert_eq!(rest[0].due.as_deref(), Some("2027-01-31"));
    assert_eq!(rest[0].doc_title, "2026年度政府信息公开工作年度报告");
    let w = later.workflow_status(dr(&doc)).unwrap();
    let interp = w.deadlines.iter().find(|d| d.rule_id == 1).unwrap();
    assert_eq!(interp.state, DueState::DoneLate);
}

#[test]
fn a_returned_document_shows_its_reasons_and_goes_back_to_drafting() {
    let dir = tempfile::tempdir().unwrap();
    let doc = {
        let api = ready(dir.path());
        signed_document(&api)
    };
    // The bundle and the central office's receipt are later issues: drive the store as they will.
    {
        let mut store = gongkai_store::Store::open(
            &dir.path().join(DB_FILE),
            Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
        )
        .unwrap();
        let doc_id = gongkai_core::DocId::parse(&doc).unwrap();
        let head = store.head(doc_id).unwrap().meta.rev_id.to_string();
        for (from, to, reason) in [
            (Stage::Signed, Stage::Packaged, ""),
            (Stage::Packaged, Stage::Submitted, ""),
            (
                Stage::Submitted,
                Stage::Returned,
                "解读材料未说明新旧政策差异",
            ),
        ] {
            store
                .transition(&gongkai_store::Transition {
                    doc_id,
                    from,
                    to,
                    actor: "指挥中心网上公安办公室",
                    at: Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
                    reason,
                    doc_rev_id: &head,
                    package_rev_id: None,
                })
                .unwrap();
        }
        // A second writer with a stale idea of the stage is refused.
        let stale = store.transition(&gongkai_store::Transition {
            doc_id,
            from: Stage::Submitted,
            to: Stage::Accepted,
            actor: "x",
            at: Utc::now(),
            reason: "",
            doc_rev_id: &head,
            package_rev_id: None,
        });
        assert!(matches!(
            stale,
            Err(gongkai_store::StoreError::Conflict { .. })
        ));
    }
    let api = open_at(dir.path(), 2026, 11, 24);
    let w = api.workflow_status(dr(&doc)).unwrap();
    assert_eq!(w.stage, Stage::Returned);
    assert_eq!(
        w.returned_reason.as_deref(),
        Some("解读材料未说明新旧政策差异")
    );
    assert_eq!(w.next, None);
    assert!(w.can_withdraw, "a returned document is redrafted");
    let w = to(&api, &doc, Stage::Drafting, "").unwrap();
    assert!(!w.can_withdraw);
    assert_eq!(w.stage, Stage::Drafting);
    assert_eq!(
        w.returned_reason.as_deref(),
        Some("解读材料未说明新旧政策差异")
    );
    assert_eq!(
        api.doc_list(ListRequest::default()).unwrap()[0].status,
        gongkai_core::DocStatus::Draft
    );
    // The log is append-only in the database itself.
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let e = conn.execute("DELETE FROM workflow_log", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}

#[test]
fn images_are_stored_by_hash_without_metadata_and_only_png_or_jpeg() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest::default())
        .unwrap()
        .summary
        .doc_id
        .to_string();
    // A 1×1 PNG whose tEXt chunk names its author and phone (made with Python's zlib).
    let with_text = hex::decode(
        "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000001c74455874\
         417574686f72005a68616e6720576569203133383132333435363738787888a60000000a4944415478\
         9c636000000002000148afa4710000000049454e44ae426082",
    )
    .unwrap();
    assert_eq!(
        gongkai_deid::image::metadata(&with_text).unwrap(),
        vec!["PNG 文本"]
    );
    let png = gongkai_deid::image::strip_metadata(&with_text)
        .unwrap()
        .bytes;
    let g = api
        .package_image_add(ImageAddRequest {
            doc_id: doc.clone(),
            file_name: "C:\\图解\\流程图.png".into(),
            data_base64: base64::engine::general_purpose::STANDARD.encode(&with_text),
            caption: "办理流程".into(),
        })
        .unwrap();
    assert_eq!(g.file_name, "流程图.png");
    assert_eq!(
        g.sha256,
        hex::encode(sha2::Sha256::digest(&png)),
        "stored without the text"
    );
    assert_eq!(g.media_type, "image/png");
    let back = api
        .package_image(ImageRef {
            sha256: g.sha256.clone(),
        })
        .unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(back.data_base64)
            .unwrap(),
        png
    );
    let e = api
        .package_image_add(ImageAddRequest {
            doc_id: doc.clone(),
            file_name: "a.gif".into(),
            data_base64: base64::engine::general_purpose::STANDARD.encode(b"GIF89a...."),
            caption: String::new(),
        })
        .unwrap_err();
    assert!(e.message.contains("PNG 或 JPEG"), "{}", e.message);
    // A package naming an image that was never stored is refused.
    let mut p = Package {
        forms: vec![InterpForm::Graphic],
        graphics: vec![g.clone()],
        ..Default::default()
    };
    api.package_save(PackageSaveRequest {
        doc_id: doc.clone(),
        base_rev_id: None,
        package: p.clone(),
    })
    .unwrap();
    p.graphics[0].sha256 = "0".repeat(64);
    let head = api.package_get(dr(&doc)).unwrap().head.unwrap().rev_id;
    let e = api
        .package_save(PackageSaveRequest {
            doc_id: doc,
            base_rev_id: Some(head),
            package: p,
        })
        .unwrap_err();
    assert!(e.message.contains("重新添加"), "{}", e.message);
}

#[test]
fn an_imported_holiday_table_replaces_the_shipped_one_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let before = api.calendar_info().unwrap();
    assert_eq!(before.years, (2019..=2026).collect::<Vec<_>>());
    // Beyond the table: Monday–Friday, provisional.
    let d = api
        .calendar_add_workdays(AddWorkdaysRequest {
            date: "2026-12-31".into(),
            days: 1,
        })
        .unwrap();
    assert_eq!((d.date.as_str(), d.provisional), ("2027-01-01", true));
    let bad = api
        .calendar_import(CalendarImportRequest {
            json: r#"{"years":{"2027":{"holidays":["2027-01-01"],"workdays":["2027-01-01"]}}}"#
                .into(),
        })
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    assert!(bad.message.contains("同时被列为"), "{}", bad.message);
    assert_eq!(api.calendar_info().unwrap(), before);
    let json = r#"{"years":{"2026":{"holidays":[],"workdays":[]},"2027":{"holidays":["2027-01-01"],"workdays":[]}}}"#;
    let info = api
        .calendar_import(CalendarImportRequest { json: json.into() })
        .unwrap();
    assert_eq!(info.years, vec![2026, 2027]);
    assert_eq!(info.version, before.version + 1);
    let d = api
        .calendar_add_workdays(AddWorkdaysRequest {
            date: "2026-12-31".into(),
            days: 1,
        })
        .unwrap();
    assert_eq!((d.date.as_str(), d.provisional), ("2027-01-04", false));
    // It survives a restart.
    drop(api);
    let api = open_at(dir.path(), 2026, 11, 25);
    assert_eq!(api.calendar_info().unwrap().years, vec![2026, 2027]);
}

#[test]
fn options_carry_the_law_with_article_texts() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let o = api.disclosure_options().unwrap();
    assert_eq!(o.attributes.len(), 4);
    assert_eq!(o.attributes[0].hint, "（此件公开发布）");
    assert_eq!(o.law.withhold.len(), 9);
    assert_eq!(o.law.partial.len(), 10);
    assert_eq!(o.law.catalog.len(), 36);
    assert_eq!(o.checklist.len(), 6);
    assert!(o.law.withhold.iter().all(|g| g
        .article_text
        .starts_with(&g.article[..g.article.find('条').unwrap() + 3])));
}

#[test]
fn personal_information_in_the_interpretation_keeps_it_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(fields()),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let mut p = package();
    p.qa[0].answer = "能。如有疑问可联系来信群众张伟，手机13812345678。".into();
    let v = api
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: p,
        })
        .unwrap();
    assert!(!v.check.complete);
    let issue = v
        .check
        .issues
        .iter()
        .find(|i| i.code == "personal_info")
        .unwrap();
    assert!(issue.message.contains("手机号"), "{}", issue.message);
    let answer: Vec<char> = v.package.qa[0].answer.chars().collect();
    let marked: Vec<String> = issue
        .spans
        .iter()
        .map(|s| answer[s.start as usize..s.end as usize].iter().collect())
        .collect();
    assert!(marked.contains(&"13812345678".to_string()), "{marked:?}");
    // The interpreter's own office line is not personal information of a third party.
    assert!(!issue
        .spans
        .iter()
        .any(|s| s.place == gongkai_core::Place::Package));
}
