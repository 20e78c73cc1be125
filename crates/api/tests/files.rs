//! Export through the API on a real database: the working copy and the redacted copy of the
//! policy as .docx (no original personal information inside the redacted one's XML), the
//! interpretation, and atomic writes that fail cleanly.

use chrono::{Duration, TimeZone, Utc};
use gongkai_api::*;
use gongkai_core::{DocFields, FixedClock, InterpForm, Package, SeqIds};
use std::io::Read;
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

fn all_xml(path: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut out = String::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let mut s = String::new();
        if e.read_to_string(&mut s).is_ok() {
            out.push_str(&s);
        }
    }
    out
}

#[test]
fn working_and_redacted_docx() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(DocFields {
                issuing_authority: "淄博市公安局".into(),
                title: "关于张伟同志来信反映问题的答复".into(),
                body: vec![
                    "来信人张伟（手机13812345678，身份证号11010519491231002X）反映的问题已办结。"
                        .into(),
                ],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let out = |n: &str| dir.path().join(n).display().to_string();

    let w = api
        .doc_export_docx(ExportRequest {
            doc_id: doc.clone(),
            path: out("working.docx"),
            redacted: false,
        })
        .unwrap();
    assert!(w.bytes > 1000 && w.sha256.len() == 64);
    assert!(all_xml(&w.path).contains("13812345678"));

    // The redacted copy needs the review decided and applied.
    let e = api
        .doc_export_docx(ExportRequest {
            doc_id: doc.clone(),
            path: out("public.docx"),
            redacted: true,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::DeidPending);
    assert!(!dir.path().join("public.docx").exists());
    let r = api
        .deid_review(DocRef {
            doc_id: doc.clone(),
        })
        .unwrap();
    api.deid_decide(DeidDecideRequest {
        doc_id: doc.clone(),
        rev_id: r.rev_id.clone(),
        finding_ids: r.findings.iter().map(|f| f.id.clone()).collect(),
        decision: Decision::Accepted,
        replacement: None,
    })
    .unwrap();
    assert_eq!(
        api.doc_export_docx(ExportRequest {
            doc_id: doc.clone(),
            path: out("public.docx"),
            redacted: true,
        })
        .unwrap_err()
        .code,
        ErrorCode::DeidPending
    );
    api.deid_apply(DocRef {
        doc_id: doc.clone(),
    })
    .unwrap();
    let w = api
        .doc_export_docx(ExportRequest {
            doc_id: doc.clone(),
            path: out("public.docx"),
            redacted: true,
        })
        .unwrap();
    let xml = all_xml(&w.path);
    for original in ["13812345678", "11010519491231002X", "张伟"] {
        assert!(
            !xml.contains(original),
            "{original} leaked into the redacted .docx"
        );
    }
    assert!(
        xml.contains("张某") && xml.contains("138****5678"),
        "masked forms missing"
    );

    // A folder that does not exist: a clear message, no stray file.
    let e = api
        .doc_export_docx(ExportRequest {
            doc_id: doc.clone(),
            path: dir.path().join("nope/x.docx").display().to_string(),
            redacted: false,
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SaveFailed);
    assert!(e.message.contains("换一个文件夹"), "{}", e.message);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn interpretation_docx_and_its_privacy_gate() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(DocFields {
                title: "关于优化户籍迁移登记服务的通知".into(),
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let path = dir.path().join("interp.docx").display().to_string();
    let req = |redacted| ExportRequest {
        doc_id: doc.clone(),
        path: path.clone(),
        redacted,
    };
    assert_eq!(
        api.interpretation_export_docx(req(false)).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let mut p = Package {
        interpreter_unit: "zazd".into(),
        interpreter: "王晓明".into(),
        forms: vec![InterpForm::Text],
        sections: vec![gongkai_core::Section {
            key: gongkai_core::SectionKey::Background,
            text: "咨询请联系李娜13900001111。".into(),
        }],
        ..Default::default()
    };
    let v = api
        .package_save(PackageSaveRequest {
            doc_id: doc.clone(),
            base_rev_id: None,
            package: p.clone(),
        })
        .unwrap();
    assert_eq!(
        api.interpretation_export_docx(req(true)).unwrap_err().code,
        ErrorCode::DeidPending
    );
    p.sections[0].text = "为让群众少跑腿制定本通知。".into();
    api.package_save(PackageSaveRequest {
        doc_id: doc.clone(),
        base_rev_id: v.head.map(|h| h.rev_id),
        package: p,
    })
    .unwrap();
    let w = api.interpretation_export_docx(req(true)).unwrap();
    let xml = all_xml(&w.path);
    assert!(xml.contains("关于《关于优化户籍迁移登记服务的通知》的政策解读"));
    assert!(xml.contains("为让群众少跑腿制定本通知。"));
    assert!(
        xml.contains("治安支队") || xml.contains("解读单位"),
        "unit line"
    );
}

#[test]
fn forms_are_gated_by_the_attribute_and_tied_to_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(DocFields {
                issuing_authority: "淄博市公安局".into(),
                doc_number: "淄公发〔2026〕12号".into(),
                title: "关于优化户籍迁移登记服务的通知".into(),
                body: vec!["一、放宽投靠落户条件".into()],
                ..Default::default()
            }),
        })
        .unwrap();
    let doc_id = doc.summary.doc_id.to_string();
    let pdf = dir.path().join("fawen.pdf");
    let req = |form: &str| FormRequest {
        doc_id: doc_id.clone(),
        form: form.into(),
        path: pdf.display().to_string(),
    };
    let e = api.forms_print(req("发文稿纸")).unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    assert!(e.message.contains("先确定公开属性，再运转呈签"));
    assert!(!pdf.exists());
    assert_eq!(
        api.forms_print(req("解读审签表")).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        api.forms_print(req("请假条")).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    api.disclosure_set(DisclosureSetRequest {
        doc_id: doc_id.clone(),
        disclosure: gongkai_core::Disclosure {
            attribute: gongkai_core::Attribute::Active,
            grounds: vec![],
            reason: String::new(),
            ground_detail: String::new(),
            channels: vec![gongkai_core::Channel::Website],
            catalog_item: Some("C06".into()),
            reach: Default::default(),
        },
    })
    .unwrap();
    let w = api.forms_print(req("fawen")).unwrap();
    assert!(w.bytes < 200 * 1024, "{} bytes", w.bytes);
    let out = std::process::Command::new("pdftotext")
        .args([w.path.as_str(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "发文稿纸",
        "关于优化户籍迁移登记服务的通知",
        "淄公发〔2026〕12号",
        "主动公开",
        "政策法规/政策文件",
        &doc.head.content_sha256[..12],
    ] {
        assert!(text.contains(want), "{want} missing from the form:\n{text}");
    }
    let s = api
        .forms_print(FormRequest {
            doc_id: doc_id.clone(),
            form: "保密审查表".into(),
            path: dir.path().join("secrecy.pdf").display().to_string(),
        })
        .unwrap();
    assert!(s.bytes > 1000);
}

#[test]
fn without_a_path_exports_go_to_the_export_folder_under_a_safe_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("导出");
    // Only this test exports without a path, so the variable cannot disturb the others.
    std::env::set_var("GONGKAI_EXPORT_DIR", &out);
    let api = ready(&dir.path().join("data"));
    assert_eq!(api.status().export_dir, out.display().to_string());
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(DocFields {
                title: "关于A/B类场所“双随机”检查的通知".into(),
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let w = api
        .doc_export_docx(ExportRequest {
            doc_id: doc,
            path: String::new(),
            redacted: false,
        })
        .unwrap();
    assert_eq!(
        std::path::Path::new(&w.path),
        out.join("关于A_B类场所“双随机”检查的通知（工作稿）.docx")
    );
    assert!(std::path::Path::new(&w.path).exists());
}

#[test]
fn an_import_without_issuer_gets_the_unit_with_a_notice_and_nothing_is_made_up() {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    // A Word draft with a title and a body only: no issuer, no 版记.
    let draft = DocFields {
        title: "关于做好节日期间值班工作的通知".into(),
        body: vec!["各单位要安排好值班。".into()],
        ..Default::default()
    };
    let bytes = gongkai_docx::export::export_policy(
        &draft,
        &gongkai_docx::export::ExportOptions::default(),
    )
    .unwrap();
    let src = dir.path().join("draft.docx");
    std::fs::write(&src, bytes).unwrap();
    let view = api
        .doc_import(ImportRequest {
            path: src.display().to_string(),
        })
        .unwrap();
    let unit = view.doc.fields.issuing_authority.clone();
    assert!(!unit.is_empty());
    assert!(
        view.notices[0].contains("已填入本单位") && view.notices[0].contains(&unit),
        "{:?}",
        view.notices
    );
    assert!(view.notices.iter().any(|n| n.contains("版记")));
    assert_eq!(view.doc.fields.printing_office, "");
    // The export prints no 印发 line it was never given (it used to print “{issuer}办公室”).
    let out = dir.path().join("out.docx");
    api.doc_export_docx(ExportRequest {
        doc_id: view.doc.summary.doc_id.to_string(),
        path: out.display().to_string(),
        redacted: false,
    })
    .unwrap();
    let xml = all_xml(&out.display().to_string());
    assert!(!xml.contains("印发"), "a 印发 line was made up");
    assert!(!xml.contains("办公室"), "an 印发机关 was made up");
}
