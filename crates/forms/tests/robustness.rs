//! Odd input never panics and never loses text: empty records, characters the font lacks,
//! control characters, a title of thousands of characters, a reason that runs over several pages;
//! plus determinism and the refusals for identifiers that cannot go into the QR code. Outputs
//! are checked with poppler (`pdfinfo`, `pdftotext`; Debian `poppler-utils`).

mod common;

use gongkai_forms::{render, FormData, FormError, FormKind};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

fn poppler(tool: &str, pdf: &Path) -> String {
    let mut cmd = Command::new(tool);
    if tool == "pdftotext" {
        cmd.args(["-raw", "-enc", "UTF-8"]).arg(pdf).arg("-");
    } else {
        cmd.arg(pdf);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (apt-get install poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool} rejects the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

/// Only what the QR code needs; every text field empty.
fn bare() -> FormData {
    let d = common::data();
    FormData {
        form_no: d.form_no,
        doc_id: d.doc_id,
        rev_id: d.rev_id,
        rev_no: 1,
        content_sha256: d.content_sha256,
        printed_at: d.printed_at,
        ..Default::default()
    }
}

#[test]
fn an_empty_record_prints_blank_forms() {
    let dir = tempfile::tempdir().expect("tempdir");
    for kind in FormKind::ALL {
        let pdf = render(kind, &bare()).expect("render");
        let path = dir.path().join(format!("{}.pdf", kind.code()));
        std::fs::write(&path, &pdf).expect("write");
        assert_eq!(pages(&poppler("pdfinfo", &path)), 1, "{kind:?}");
        let text = squeeze(&poppler("pdftotext", &path));
        // No organisation: the title is the form's own name.
        assert!(text.starts_with(&squeeze(kind.title())), "{kind:?}: {text}");
        match kind {
            FormKind::Fawen => {
                assert!(text.contains("（未填写标题）"));
                assert!(text.contains("先确定公开属性，再运转呈签"));
                assert!(text.contains("尚未进行去标识化检查"));
                assert!(text.contains("会签单位："));
            }
            FormKind::Secrecy => assert!(text.contains("□不涉及国家秘密")),
            FormKind::Interpretation => {
                assert!(text.contains("尚未建立解读包"));
                assert!(text.contains("政策问答（共0问）"));
            }
        }
    }
}

#[test]
fn odd_characters_print_as_geta_and_never_break_the_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut d = common::data();
    d.fields.title = format!(
        "关于😀测试\u{0000}\u{0007}\t标题\u{200B}的通知 مرحبا e\u{0301} 𠀀 {} https://example.org/{}",
        "很长".repeat(2500),
        "x".repeat(300)
    );
    d.clerk_name = "王\u{202E}晓明".repeat(40);
    d.org_name = "某某省某某市某某区某某县公安局".repeat(6);
    d.countersign_units = vec!["".into(), "  ".into(), "😀".into()];
    d.fields.attachments = vec!["".into(), "\n\n".into()];
    for kind in FormKind::ALL {
        let pdf = render(kind, &d).expect("render");
        let path = dir.path().join(format!("{}.pdf", kind.code()));
        std::fs::write(&path, &pdf).expect("write");
        let n = pages(&poppler("pdfinfo", &path));
        let text = squeeze(&poppler("pdftotext", &path));
        assert!(text.contains("关于〓测试标题的通知"), "{kind:?}");
        assert!(!text.contains('😀'));
        // The 5000-character title is printed whole, over as many pages as it takes (the
        // 解读审签表 prints it twice: the document's name and the interpretation's title).
        let times = if kind == FormKind::Interpretation {
            2
        } else {
            1
        };
        assert_eq!(
            text.matches('很').count(),
            2500 * times,
            "{kind:?}: title cut"
        );
        assert!(n >= 3, "{kind:?}: {n} pages");
    }
}

#[test]
fn a_reason_longer_than_a_page_flows_on_and_is_read_back_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut d = common::data();
    let reason: String = (1..=60)
        .map(|i| format!("第{i}项：附件所列人员信息已逐项核对并按规则去标识化处理。"))
        .collect();
    if let Some(disc) = d.disclosure.as_mut() {
        disc.reason = reason.clone();
    }
    let pdf = render(FormKind::Fawen, &d).expect("render");
    let path = dir.path().join("reason.pdf");
    std::fs::write(&path, &pdf).expect("write");
    std::fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/forms-test/fawen-long-reason.pdf"),
        &pdf,
    )
    .ok();
    let n = pages(&poppler("pdfinfo", &path));
    assert!(n >= 2, "{n} pages");
    let text = squeeze(&poppler("pdftotext", &path));
    // The reason's row is split across pages (its label repeated), and nothing is lost.
    assert!(n >= 2);
    for i in 1..=60 {
        assert!(
            text.contains(&format!("第{i}项：附件所列人员信息")),
            "item {i} lost"
        );
    }
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let d = common::data();
    for kind in FormKind::ALL {
        assert_eq!(render(kind, &d).expect("a"), render(kind, &d).expect("b"));
    }
    let mut later = d.clone();
    later.printed_at += chrono::Duration::minutes(1);
    assert_ne!(
        render(FormKind::Fawen, &d).expect("a"),
        render(FormKind::Fawen, &later).expect("b")
    );
}

#[test]
fn identifiers_that_cannot_be_encoded_are_refused_in_chinese() {
    let mut d = common::data();
    d.content_sha256 = "not a hash".into();
    let e = render(FormKind::Fawen, &d).expect_err("bad hash");
    assert!(matches!(e, FormError::BadHash(_)));
    assert!(e.to_string().contains("SHA-256"));
    let mut d = common::data();
    d.doc_id = String::new();
    assert_eq!(
        render(FormKind::Secrecy, &d).expect_err("no id"),
        FormError::Missing("文档编号")
    );
    let mut d = common::data();
    d.package_rev_id = Some("p".repeat(100));
    assert!(matches!(
        render(FormKind::Interpretation, &d),
        Err(FormError::TooLong { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_text_renders(
        title in "\\PC{0,300}",
        reason in "(\\PC|\n){0,600}",
        unit in "\\PC{0,40}",
        units in proptest::collection::vec("\\PC{0,30}", 0..6),
        opinion in "\\PC{0,120}",
    ) {
        let mut d = common::data();
        d.fields.title = title;
        d.unit_name = unit;
        d.countersign_units = units;
        if let Some(disc) = d.disclosure.as_mut() {
            disc.reason = reason;
        }
        if let Some(r) = d.secrecy.as_mut() {
            r.leader.opinion = opinion;
        }
        for kind in FormKind::ALL {
            let pdf = render(kind, &d).expect("render");
            prop_assert!(pdf.starts_with(b"%PDF-"));
            prop_assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
        }
    }
}
