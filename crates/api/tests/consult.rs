//! 征求意见 through the API at a unit's PC, on a real database file, over the days it takes: a
//! window shorter than 30 days refused without a reason; comments read from a GBK .csv as Excel
//! writes it; the document held back from sign-off until the window closed, every comment was
//! decided and the feedback confirmed; the feedback de-identified in the bundle, with neither a
//! commenter nor his phone anywhere in the bundle's bytes; each step on the duty board with its
//! date; the decision's publication closing the loop.

use gongkai_api::*;
use gongkai_core::Stage;
use std::io::Read;

mod common;
use common::*;

const PW: &str = "correct horse 8";

fn unit_on(dir: &std::path::Path, m: u32, d: u32) -> Api {
    open_at(dir, 2026, m, d)
}

fn step<'a>(v: &'a ConsultView, key: &str) -> &'a ConsultStepView {
    v.steps.iter().find(|s| s.key == key).unwrap()
}

fn board_line(api: &Api, on: &str, key: &str) -> DutyRowView {
    api.duties_board(DutiesRequest {
        unit: None,
        period: Some("2026".into()),
        on: Some(on.into()),
    })
    .unwrap()
    .rows
    .into_iter()
    .find(|r| r.duty_id.starts_with("征求意见:") && r.duty_id.ends_with(key))
    .unwrap_or_else(|| panic!("no {key} step on the board"))
}

#[test]
fn a_consultation_from_window_to_decision() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let api = unit_on(dir.path(), 9, 1);
    api.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Default::default(),
    })
    .unwrap();
    api.keys_generate(KeyGenerateRequest {
        password: PW.into(),
        algorithm: String::new(),
    })
    .unwrap();
    let (doc, _) = cleared_with(&api, fields(), |_, _| {});
    let open = |from: &str, to: &str, reason: &str| {
        api.consult_open(ConsultOpenRequest {
            doc_id: doc.clone(),
            from: from.into(),
            to: to.into(),
            reason: reason.into(),
        })
    };

    // 1–29 September is 29 days: refused without a reason, the clerk told why.
    let e = open("2026-09-01", "2026-09-29", " ").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        e.message.contains("29天") && e.message.contains("理由"),
        "{e:?}"
    );
    let preview = api
        .consult_window(ConsultOpenRequest {
            doc_id: doc.clone(),
            from: "2026-09-01".into(),
            to: "2026-09-29".into(),
            reason: String::new(),
        })
        .unwrap();
    assert!(preview.short && preview.warning.contains("29天"));
    // With a reason it opens, marked short.
    let short = open("2026-09-01", "2026-09-29", "上级部署时限紧").unwrap();
    assert!(short.window.short);
    assert_eq!(short.short_reason, "上级部署时限紧");
    // The clerk moves it to 30 days: no longer short, the reason dropped.
    let v = open("2026-09-01", "2026-09-30", "").unwrap();
    assert_eq!((v.window.days, v.window.short), (30, false));
    assert_eq!(v.short_reason, "");

    // While the window runs the document cannot go for sign-off.
    let e = to(&api, &doc, Stage::InReview, "").unwrap_err();
    assert!(e.message.contains("正在征求意见"), "{e:?}");
    drop(api);

    // 9 October: the comments came in by the portal's table and a letter.
    let api = unit_on(dir.path(), 10, 9);
    let csv = "意见人,收到日期,条款,意见内容\n\
               张三,2026-09-05,第三条,建议夜间停车时段延长到早上七点，联系电话13812345678\n\
               李四,2026/09/12,第五条,收费标准过高\n\
               王五,2026-09-20,第五条,收费标准应分区域\n";
    let path = out.path().join("意见.csv");
    std::fs::write(&path, encoding_rs::GB18030.encode(csv).0).unwrap();
    let v = api
        .consult_comment_import(ConsultImportRequest {
            doc_id: doc.clone(),
            path: path.display().to_string(),
        })
        .unwrap();
    let v2 = api
        .consult_comment_add(ConsultCommentRequest {
            doc_id: doc.clone(),
            received: "2026-09-28".into(),
            channel: "信函".into(),
            commenter: "赵六".into(),
            topic: String::new(),
            text: "希望增加残疾人车位".into(),
        })
        .unwrap();
    assert_eq!(v.comments.len() + 1, v2.comments.len());
    assert_eq!(v2.pending, 4);
    assert_eq!(v2.groups[0].topic, "第五条");
    assert_eq!(v2.groups[0].total, 2);
    // A comment dated before the window opened is refused.
    let e = api
        .consult_comment_add(ConsultCommentRequest {
            doc_id: doc.clone(),
            received: "2026-08-30".into(),
            text: "早到的意见".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("早于"), "{e:?}");

    // Still held back: four comments undecided.
    let e = to(&api, &doc, Stage::InReview, "").unwrap_err();
    assert!(e.message.contains("4条意见"), "{e:?}");

    let decide = |id: &str, adoption: &str, reason: &str| {
        api.consult_comment_decide(ConsultDecideRequest {
            doc_id: doc.clone(),
            comment_id: id.into(),
            adoption: adoption.into(),
            reason: reason.into(),
            topic: None,
        })
    };
    let ids: Vec<String> = v2.comments.iter().map(|c| c.comment_id.clone()).collect();
    let e = decide(&ids[1], "not_adopted", "").unwrap_err();
    assert!(e.message.contains("理由"), "{e:?}");
    decide(&ids[0], "adopted", "").unwrap();
    decide(&ids[1], "not_adopted", "收费标准由价格主管部门核定").unwrap();
    decide(&ids[2], "partly", "已在第六条体现分区域").unwrap();
    let v = decide(&ids[3], "adopted", "").unwrap();
    assert_eq!(v.pending, 0);
    assert!(v
        .draft
        .contains("共收到意见建议4条，其中采纳2条，部分采纳1条，未予采纳1条"));
    assert!(v.draft.contains("收费标准由价格主管部门核定"));

    // The feedback, as the clerk edits the draft: it names the commenter and his phone.
    let text = format!(
        "{}另：张三同志（13812345678）提出的夜间时段建议已采纳。",
        v.draft
    );
    let v = api
        .consult_feedback(ConsultFeedbackRequest {
            doc_id: doc.clone(),
            text: text.clone(),
        })
        .unwrap();
    let fb = v.feedback.clone().unwrap();
    assert!(fb.findings.iter().any(|f| f.text == "13812345678"));
    assert!(!fb.redacted.contains("13812345678"), "{}", fb.redacted);
    assert!(fb.confirmed_at.is_none());
    // Not confirmed yet: still held back.
    let e = to(&api, &doc, Stage::InReview, "").unwrap_err();
    assert!(e.message.contains("意见反馈"), "{e:?}");
    let v = api.consult_feedback_confirm(dr(&doc)).unwrap();
    assert_eq!(step(&v, "feedback").done_on.as_deref(), Some("2026-10-09"));
    assert_eq!(v.blocking, "");

    // The board on 9 October: the window done with its count, the feedback done, the decision
    // due 20 working days after 30 September (国庆 skipped).
    let collect = board_line(&api, "2026-10-09", ":collect");
    assert_eq!(collect.status, "done");
    assert!(
        collect.fulfilled_by[0].contains("收到意见4条"),
        "{collect:?}"
    );
    assert_eq!(board_line(&api, "2026-10-09", ":feedback").status, "done");
    let decision = board_line(&api, "2026-10-09", ":decision");
    assert_eq!(decision.status, "due");
    assert_eq!(
        decision.due.as_deref(),
        Some(step(&v, "decision").due.as_str())
    );
    assert!(decision.due.as_deref().unwrap() > "2026-10-28");

    // Sign-off, then the bundle: the feedback travels redacted, nobody's name or phone in it.
    to(&api, &doc, Stage::InReview, "").unwrap();
    api.signoff_record(SignoffRequest {
        doc_id: doc.clone(),
        signer: "刘副局长".into(),
        signed_on: "2026-10-09".into(),
        opinion: "同意印发".into(),
    })
    .unwrap();
    let b = api
        .bundle_export(BundleExportRequest {
            doc_id: doc.clone(),
            password: PW.into(),
            path: out.path().join("b.zip").display().to_string(),
        })
        .unwrap();
    let bytes = std::fs::read(&b.file.path).unwrap();
    let sub = gongkai_bundle::read_submission(&bytes).unwrap();
    let c = sub
        .consultation
        .expect("the consultation travels with the decision");
    assert_eq!((c.comments, c.days), (4, 30));
    assert!(c.feedback.contains("共收到意见建议4条"));
    assert_eq!(c.groups[0].topic, "第五条");
    let mut all = Vec::new();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        f.read_to_end(&mut all).unwrap();
    }
    let all = String::from_utf8_lossy(&all);
    for secret in [
        "13812345678",
        "李四",
        "王五",
        "赵六",
        "夜间停车时段延长到早上七点",
    ] {
        assert!(
            !all.contains(secret),
            "{secret} left the unit in the bundle"
        );
    }
    drop(api);

    // 21 October: the document's publication, as recorded on the 19th, is the decision's.
    let api = unit_on(dir.path(), 10, 21);
    api.event_record(EventRequest {
        doc_id: doc.clone(),
        kind: "published".into(),
        date: "2026-10-19".into(),
    })
    .unwrap();
    let v = api.consult_get(dr(&doc)).unwrap().unwrap();
    assert_eq!(v.decision_on.as_deref(), Some("2026-10-19"));
    assert_eq!(step(&v, "decision").done_on.as_deref(), Some("2026-10-19"));
    // A date recorded by hand (published elsewhere on the 20th) takes its place.
    let e = api
        .consult_close(ConsultCloseRequest {
            doc_id: doc.clone(),
            date: "2026-09-30".into(),
        })
        .unwrap_err();
    assert!(e.message.contains("期满"), "{e:?}");
    let v = api
        .consult_close(ConsultCloseRequest {
            doc_id: doc.clone(),
            date: "2026-10-20".into(),
        })
        .unwrap();
    assert_eq!(v.decision_on.as_deref(), Some("2026-10-20"));
    assert_eq!(board_line(&api, "2026-10-21", ":decision").status, "done");
    // Closed: the window cannot move any more.
    let e = api
        .consult_open(ConsultOpenRequest {
            doc_id: doc.clone(),
            from: "2026-09-01".into(),
            to: "2026-10-30".into(),
            reason: String::new(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
}

#[test]
fn an_unreadable_comments_file_is_refused_and_nothing_is_added() {
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
    // No consultation yet: told to open one.
    let e = api
        .consult_comment_add(ConsultCommentRequest {
            doc_id: doc.clone(),
            text: "意见".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("征求意见期"), "{e:?}");
    api.consult_open(ConsultOpenRequest {
        doc_id: doc.clone(),
        from: "2026-10-20".into(),
        to: "2026-11-20".into(),
        reason: String::new(),
    })
    .unwrap();
    let f = dir.path().join("bad.csv");
    std::fs::write(&f, "意见内容,收到日期\n好,2026-10-21\n差,十月\n").unwrap();
    let e = api
        .consult_comment_import(ConsultImportRequest {
            doc_id: doc.clone(),
            path: f.display().to_string(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("第3行"), "{e:?}");
    let xlsx = dir.path().join("意见.xlsx");
    std::fs::write(&xlsx, b"PK").unwrap();
    let e = api
        .consult_comment_import(ConsultImportRequest {
            doc_id: doc.clone(),
            path: xlsx.display().to_string(),
        })
        .unwrap_err();
    assert!(e.message.contains("CSV"), "{e:?}");
    let v = api.consult_get(dr(&doc)).unwrap().unwrap();
    assert!(v.comments.is_empty());
}
