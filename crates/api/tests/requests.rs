//! The annual report's text sections and exports through the API: what the clerk wrote for a
//! year is shown beside the next year's, an unknown section or a file type other than .docx and
//! .xlsx is refused with a message that says what to do, and the register's applicants are kept
//! in full on this PC but shown masked.

use gongkai_api::*;

mod common;

#[test]
fn report_texts_carry_to_the_next_year_and_exports_say_which_files_they_write() {
    let dir = tempfile::tempdir().unwrap();
    let api = common::ready(dir.path());
    api.report_text_save(ReportTextRequest {
        year: 2025,
        section: "overview".into(),
        text: "2025年共收到申请3件，均按时答复。".into(),
    })
    .unwrap();
    let e = api
        .report_text_save(ReportTextRequest {
            year: 2026,
            section: "summary".into(),
            text: "x".into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let r = api.report_annual(AnnualRequest { year: 2026 }).unwrap();
    assert_eq!(r.last_year.overview, "2025年共收到申请3件，均按时答复。");
    assert_eq!(r.texts, ReportTexts::default());
    let e = api
        .report_export(ReportExportRequest {
            year: 2026,
            path: dir.path().join("report.pdf").display().to_string(),
        })
        .unwrap_err();
    assert!(
        e.message.contains(".docx") && e.message.contains(".xlsx"),
        "{}",
        e.message
    );
    let w = api
        .report_export(ReportExportRequest {
            year: 2026,
            path: dir.path().join("report.xlsx").display().to_string(),
        })
        .unwrap();
    let bytes = std::fs::read(&w.path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip");
    assert_eq!(bytes.len() as u32, w.bytes);

    let v = api
        .request_new(RequestNewRequest {
            received: "2026-11-20".into(),
            channel: "信函".into(),
            applicant_type: "自然人".into(),
            applicant_name: "欧阳明月".into(),
            applicant_contact: "山东省淄博市张店区某路1号".into(),
            content: "本人户籍档案".into(),
            unit: None,
        })
        .unwrap();
    assert!(v.applicant.starts_with("欧***"), "{}", v.applicant);
    assert!(!v.applicant.contains("张店区某路"), "{}", v.applicant);
    let e = api
        .request_new(RequestNewRequest {
            received: "2026-11-20".into(),
            channel: "电报".into(),
            applicant_type: "自然人".into(),
            content: "x".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        e.message.contains("当面、信函、网络、传真或其他"),
        "{}",
        e.message
    );
}
