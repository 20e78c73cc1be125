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

#[path = "../../../tests/support/sync_world.rs"]
mod world;

#[test]
fn units_send_their_figures_and_the_office_sums_them_and_sees_who_is_missing() {
    let mut w = world::World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("jjzd", "陈刚");
    let out = w.out.clone();
    let v = a
        .request_new(RequestNewRequest {
            received: "2026-11-20".into(),
            channel: "网络".into(),
            applicant_type: "商业企业".into(),
            applicant_name: "某某科技有限公司".into(),
            content: "消防检查结果".into(),
            ..Default::default()
        })
        .unwrap();
    a.request_change(RequestChangeRequest {
        request_id: v.request_id.clone(),
        action: "reply".into(),
        outcome: "1".into(),
        date: "2026-11-25".into(),
        ..Default::default()
    })
    .unwrap();
    let send = |pc: &Api, name: &str| {
        pc.report_figures_send(FiguresSendRequest {
            year: 2026,
            password: world::PW.into(),
            path: out.join(name).display().to_string(),
        })
        .unwrap()
    };
    let fa = send(&a, "zazd.json");
    let text = std::fs::read_to_string(&fa.path).unwrap();
    assert!(!text.contains("某某科技"), "no applicant in the figures");
    assert!(!text.contains("消防检查"), "no application in the figures");
    let office = &w.office;
    let e = office
        .report_figures_send(FiguresSendRequest {
            year: 2026,
            password: world::PW.into(),
            path: out.join("x.json").display().to_string(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "the office sends none");
    // An application the office records must name the unit that answers it.
    let e = office
        .request_new(RequestNewRequest {
            received: "2026-11-20".into(),
            channel: "信函".into(),
            applicant_type: "自然人".into(),
            content: "户籍档案".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("承办单位"), "{}", e.message);
    let assigned = office
        .request_new(RequestNewRequest {
            received: "2026-11-20".into(),
            channel: "信函".into(),
            applicant_type: "自然人".into(),
            content: "户籍档案".into(),
            unit: Some("jjzd".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(assigned.unit_id, "jjzd");
    let c = office
        .report_figures_receive(FileRequest {
            path: fa.path.clone(),
        })
        .unwrap();
    let sum = |c: &FiguresCollection, row: &str, col: &str| {
        c.total
            .iter()
            .find(|x| x.table == "三" && x.row == row && x.column == col)
            .map_or(0.0, |x| x.value)
    };
    assert_eq!(sum(&c, "一、本年新收政府信息公开申请数量", "商业企业"), 1.0);
    assert_eq!(sum(&c, "（一）予以公开", "总计"), 1.0);
    assert!(
        c.missing.contains(&"交警支队".to_string()),
        "{:?}",
        c.missing
    );
    assert!(!c.missing.contains(&"治安支队".to_string()));
    assert!(c
        .units
        .iter()
        .any(|u| u.unit_code == "zazd" && u.sent_at.is_some()));
    // A changed number breaks the signature; a unit cannot take figures in.
    let forged = text.replace("\\\"value\\\":1", "\\\"value\\\":9");
    assert_ne!(forged, text, "the test changes a number");
    std::fs::write(out.join("forged.json"), forged).unwrap();
    let e = office
        .report_figures_receive(FileRequest {
            path: out.join("forged.json").display().to_string(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    let e = a
        .report_figures_receive(FileRequest {
            path: fa.path.clone(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    // The second unit sends: it is no longer missing, and the sum holds both.
    let fb = send(&b, "jjzd.json");
    let c = office
        .report_figures_receive(FileRequest { path: fb.path })
        .unwrap();
    assert!(!c.missing.contains(&"交警支队".to_string()));
    assert_eq!(sum(&c, "一、本年新收政府信息公开申请数量", "总计"), 1.0);
}

#[test]
fn a_reply_letter_names_its_applicant_but_masks_a_third_party_in_the_request() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let api = common::ready(dir.path());
    let v = api
        .request_new(RequestNewRequest {
            received: "2026-11-02".into(),
            channel: "网络".into(),
            applicant_type: "自然人".into(),
            applicant_name: "欧阳明月".into(),
            content: "邻居李建国（手机13900001111）的行政处罚决定书".into(),
            ..Default::default()
        })
        .unwrap();
    let path = dir.path().join("答复书.docx").display().to_string();
    let e = api
        .request_letter(RequestLetterRequest {
            request_id: v.request_id.clone(),
            path: path.clone(),
        })
        .unwrap_err();
    assert!(e.message.contains("先登记答复"), "{}", e.message);
    api.request_change(RequestChangeRequest {
        request_id: v.request_id.clone(),
        action: "reply".into(),
        outcome: "3-4".into(),
        date: "2026-11-20".into(),
        ..Default::default()
    })
    .unwrap();
    api.request_letter(RequestLetterRequest {
        request_id: v.request_id,
        path: path.clone(),
    })
    .unwrap();
    let mut z = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("欧阳明月"),
        "the letter is addressed to its applicant"
    );
    assert!(
        !xml.contains("13900001111"),
        "a third party's number is masked"
    );
    assert!(!xml.contains("李建国"), "a third party's name is masked");
    assert!(xml.contains("行政处罚决定书"));
}

fn docx_text(path: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for ch in xml.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn the_reply_letter_uses_the_wording_the_office_issued_and_a_broken_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let api = common::open_at(dir.path(), 2026, 11, 23);
    api.setup(SetupRequest {
        unit_id: "zhzx-wsgaban".into(),
        clerk_name: "赵审核".into(),
        role: Role::Office,
    })
    .unwrap();
    let r = api
        .request_new(RequestNewRequest {
            received: "2026-11-02".into(),
            channel: "信函".into(),
            applicant_type: "自然人".into(),
            applicant_name: "张建国".into(),
            applicant_contact: String::new(),
            content: "申请公开某路段监控设备位置".into(),
            unit: Some("jjzd".into()),
        })
        .unwrap();
    api.request_change(RequestChangeRequest {
        request_id: r.request_id.clone(),
        action: "reply".into(),
        outcome: "3-1".into(),
        date: "2026-11-20".into(),
        ..Default::default()
    })
    .unwrap();
    let letter = |name: &str| {
        let path = dir.path().join(name).display().to_string();
        api.request_letter(RequestLetterRequest {
            request_id: r.request_id.clone(),
            path: path.clone(),
        })
        .unwrap();
        docx_text(&path)
    };
    let shipped = letter("a.docx");
    assert!(shipped.contains("属于“属于国家秘密”的情形"), "{shipped}");
    assert!(shipped.contains("六十日") && shipped.contains("六个月"));
    assert!(shipped.contains("张建国"));

    // The office reissues the wording: the next letter reads the new one.
    let shipped_json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../seeds/reply-templates.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut data = shipped_json.clone();
    data["templates"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "outcome": "3-1",
            "finding": "经审查，您申请的信息经依法认定为国家秘密，根据条例规定不予公开。"
        }));
    let file = dir.path().join("templates.json");
    let write = |data: &serde_json::Value, version: u32| {
        std::fs::write(
            &file,
            serde_json::json!({"name": "reply_templates", "version": version, "data": data})
                .to_string(),
        )
        .unwrap();
        api.reference_import(FileRequest {
            path: file.display().to_string(),
        })
    };
    assert!(write(&data, 2).unwrap().loaded);
    let reissued = letter("b.docx");
    assert!(reissued.contains("经依法认定为国家秘密"), "{reissued}");
    assert!(!reissued.contains("属于“属于国家秘密”的情形"));

    // A table with an unknown placeholder never replaces the one in use.
    let mut broken = data.clone();
    broken["templates"][0]["finding"] = "{申请人}：予以公开。".into();
    let e = write(&broken, 3).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("占位符"), "{}", e.message);
    assert!(letter("c.docx").contains("经依法认定为国家秘密"));
}
