//! The de-identification review through the API, on a real database: scan, decide, mark, carry
//! decisions to a new revision, refuse to apply while undecided, apply, and keep originals local.

use chrono::{Duration, TimeZone, Utc};
use gongkai_api::*;
use gongkai_core::{DocFields, FixedClock, SeqIds};
use std::sync::Arc;

fn ready(dir: &std::path::Path) -> Api {
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        Duration::seconds(1),
    );
    let api = Api::open_with(dir, Arc::new(clock), Arc::new(SeqIds::default()));
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Default::default(),
    })
    .unwrap();
    api
}

fn fields() -> DocFields {
    DocFields {
        title: "关于张伟违反治安管理行为的处罚决定".into(),
        body: vec![
            "违法行为人：张伟，男，身份证号11010519491231002X，手机13812345678。".into(),
            "局长王建军签发。咨询电话：0533-2134139。".into(),
            "其母刘桂芝到场，陪同人员为丫丫。".into(),
        ],
        notes: "（此件公开发布）".into(),
        ..Default::default()
    }
}

#[test]
fn review_decide_mark_apply_and_carry_over() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let view = api
        .doc_create(CreateDocRequest {
            fields: Some(fields()),
        })
        .unwrap();
    let doc_id = view.summary.doc_id.to_string();
    let r = api
        .deid_review(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap();
    let texts: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.kind.as_str(), f.text.as_str()))
        .collect();
    assert!(texts.contains(&("person_name", "张伟")), "{texts:?}");
    assert!(texts.contains(&("id_card", "11010519491231002X")));
    assert!(texts.contains(&("phone_mobile", "13812345678")));
    assert!(!texts
        .iter()
        .any(|(_, t)| t.contains("王建军") || t.contains("2134139")));
    assert_eq!(r.pending as usize, r.findings.len());
    // The title's 张伟 and the body's are both found, with consistent previews.
    let zhang: Vec<&DeidFinding> = r.findings.iter().filter(|f| f.text == "张伟").collect();
    assert_eq!(zhang.len(), 2);
    assert!(zhang.iter().all(|f| f.replacement == "张某"));
    let chars: Vec<char> = r.text.chars().collect();
    for f in &r.findings {
        assert_eq!(
            chars[f.start as usize..f.end as usize]
                .iter()
                .collect::<String>(),
            f.text
        );
    }

    // Applying while undecided is refused with its own code.
    let err = api
        .deid_apply(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DeidPending);

    // Accept all but the mobile, which the clerk rewrites; mark the mother's name by hand.
    let ids: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.kind != "phone_mobile")
        .map(|f| f.id.clone())
        .collect();
    let r = api
        .deid_decide(DeidDecideRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            finding_ids: ids,
            decision: Decision::Accepted,
            replacement: None,
        })
        .unwrap();
    let mobile = r
        .findings
        .iter()
        .find(|f| f.kind == "phone_mobile")
        .unwrap()
        .id
        .clone();
    let r = api
        .deid_decide(DeidDecideRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            finding_ids: vec![mobile],
            decision: Decision::Accepted,
            replacement: Some("（电话略）".into()),
        })
        .unwrap();
    assert!(
        r.findings.iter().any(|f| f.text == "刘桂芝"),
        "found by the 其母 cue"
    );
    assert!(
        !r.findings.iter().any(|f| f.text == "丫丫"),
        "a nickname is missed"
    );
    let start = r.text[..r.text.find("丫丫").unwrap()].chars().count() as u32;
    let r = api
        .deid_mark(DeidMarkRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            start,
            end: start + 2,
            kind: "person_name".into(),
        })
        .unwrap();
    let marked = r.findings.iter().find(|f| f.text == "丫丫").unwrap();
    assert_eq!(
        (marked.source.as_str(), marked.decision),
        ("manual", Decision::Accepted)
    );
    let others: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.decision == Decision::Pending)
        .map(|f| f.id.clone())
        .collect();
    let r = api
        .deid_decide(DeidDecideRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            finding_ids: others,
            decision: Decision::Accepted,
            replacement: None,
        })
        .unwrap();
    assert_eq!(r.pending, 0);
    // Overlapping and cross-line marks are refused.
    let err = api
        .deid_mark(DeidMarkRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            start: 0,
            end: r.text.chars().count() as u32,
            kind: "address".into(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let applied = api
        .deid_apply(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap();
    assert_eq!(applied.fields.title, "关于张某违反治安管理行为的处罚决定");
    assert_eq!(
        applied.fields.body[0],
        "违法行为人：张某，男，身份证号110105************，手机（电话略）。"
    );
    assert_eq!(
        applied.fields.body[1],
        "局长王建军签发。咨询电话：0533-2134139。"
    );
    assert_eq!(applied.fields.body[2], "其母刘某某到场，陪同人员为丫某。");
    assert_eq!(applied.fields.notes, "（此件公开发布）");
    assert_eq!(applied.report.counts["person_name"], 4);
    assert_eq!(applied.report.counts["id_card"], 1);
    assert_eq!(applied.report.reviewer, "王晓明");
    // The report never carries an original value.
    let report_json = serde_json::to_string(&applied.report).unwrap();
    for secret in [
        "张伟",
        "13812345678",
        "11010519491231002X",
        "刘桂芝",
        "丫丫",
    ] {
        assert!(!report_json.contains(secret), "{secret} in {report_json}");
    }
    // The saved document itself is untouched: the original stays on this PC.
    let doc = api
        .doc_get(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap();
    assert_eq!(doc.fields.body, fields().body);
    assert_eq!(doc.fields.title, fields().title);

    // A new revision is re-scanned; decisions on the same text are carried over, new text is pending.
    let mut f2 = fields();
    f2.body.push("证人李秀英在场，电话13912345678。".into());
    let saved = api
        .doc_save(SaveRequest {
            doc_id: doc_id.clone(),
            base_rev_id: doc.head.rev_id.to_string(),
            fields: f2,
        })
        .unwrap();
    let r2 = api
        .deid_review(DocRef {
            doc_id: doc_id.clone(),
        })
        .unwrap();
    assert_eq!(r2.rev_id, saved.head.rev_id.to_string());
    let pending: Vec<&str> = r2
        .findings
        .iter()
        .filter(|f| f.decision == Decision::Pending)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(pending, ["李秀英", "13912345678"]);
    assert!(r2
        .findings
        .iter()
        .any(|f| f.text == "丫丫" && f.source == "manual" && f.decision == Decision::Accepted));
    assert!(r2
        .findings
        .iter()
        .any(|f| f.text == "刘桂芝" && f.source == "carried"));
    assert!(r2.findings.iter().any(|f| f.text == "13812345678"
        && f.source == "carried"
        && f.replacement == "（电话略）"));
    assert!(r2.report.is_none());
    // Deciding on the old revision is a conflict.
    let err = api
        .deid_decide(DeidDecideRequest {
            doc_id: doc_id.clone(),
            rev_id: r.rev_id.clone(),
            finding_ids: vec![],
            decision: Decision::Rejected,
            replacement: None,
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
}

#[test]
fn a_newer_policy_from_the_seed_set_replaces_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut seeds = gongkai_store::SeedSet::embedded().unwrap();
    let policy = seeds
        .datasets
        .iter_mut()
        .find(|d| d.name == "deid_policy")
        .unwrap();
    policy.version += 1;
    policy.json = policy.json.replace(
        r#""phone_mobile":   {"op": "mask", "keep_prefix": 3, "keep_suffix": 4"#,
        r#""phone_mobile":   {"op": "mask", "keep_prefix": 0, "keep_suffix": 0"#,
    );
    assert!(policy
        .json
        .contains(r#""keep_prefix": 0, "keep_suffix": 0, "follows": "GB/T 35273"#));
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let store =
        gongkai_store::Store::open_with_seeds(&dir.path().join(DB_FILE), &seeds, now).unwrap();
    let api = Api::with_store(
        dir.path(),
        store,
        Arc::new(FixedClock::new(now, Duration::seconds(1))),
        Arc::new(SeqIds::default()),
    );
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Default::default(),
    })
    .unwrap();
    let view = api
        .doc_create(CreateDocRequest {
            fields: Some(DocFields {
                body: vec!["手机13812345678。".into()],
                ..Default::default()
            }),
        })
        .unwrap();
    let r = api
        .deid_review(DocRef {
            doc_id: view.summary.doc_id.to_string(),
        })
        .unwrap();
    assert_eq!(r.findings[0].replacement, "***********");
}
