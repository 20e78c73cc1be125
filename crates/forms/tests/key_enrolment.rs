//! The 签名密钥登记表 checked with outside tools, for a minisign key and for an SM2 key with a
//! multi-line PEM: poppler's `pdftotext` reads back the fingerprint groups (in order, four to a
//! line), the key id, the unit, the public key and the three signature boxes; `pdfinfo` reports
//! one A4 page; `pdffonts` one embedded subset font; `zbarimg` (zbar-tools) decodes the QR code to
//! exactly `gongkai:key/v1?unit=…&key=…&fp=…`. Also: the same data gives the same bytes, and odd
//! input (a very long clerk name, garbage characters, a huge public key) renders without a panic.
//! The PDFs and PNGs are kept under `target/forms-test/` for a human to look at.
//!
//! Needs the Debian packages `poppler-utils` and `zbar-tools`.

mod common;

use gongkai_forms::{render_key_enrolment, FormError, KeyEnrolmentData};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{artefacts, tool};

fn pdftotext(pdf: &Path) -> String {
    let p = pdf.to_str().expect("utf-8 path");
    tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", p, "-"],
        "poppler-utils",
    )
}

/// The text with all white space removed, so that wrapped lines read as one.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().expect("path")], "poppler-utils");
    assert!(info.contains("(A4)"), "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

/// Renders the first page to PNG at `dpi` and decodes its QR codes.
fn zbar(pdf: &Path, dpi: u32, name: &str) -> Vec<String> {
    let prefix = pdf.parent().expect("dir").join(format!("{name}-{dpi}"));
    let r = dpi.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            &r,
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
        "poppler-utils",
    );
    let png = prefix.with_extension("png");
    std::fs::copy(&png, artefacts().join(format!("{name}-{dpi}dpi.png"))).expect("copy png");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(&png)
        .output()
        .unwrap_or_else(|e| {
            panic!("zbarimg is needed for this test (apt-get install zbar-tools): {e}")
        });
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Renders, writes into `dir` and copies to `target/forms-test/`; returns the PDF path.
fn write(data: &KeyEnrolmentData, dir: &Path, name: &str) -> PathBuf {
    let bytes = render_key_enrolment(data).unwrap_or_else(|e| panic!("render {name}: {e}"));
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 120 * 1024, "{name}: {} bytes", bytes.len());
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &bytes).expect("write pdf");
    std::fs::write(artefacts().join(format!("{name}.pdf")), &bytes).expect("copy pdf");
    path
}

/// Everything the office compares, read back from one rendered form.
fn check(data: &KeyEnrolmentData, name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = write(data, dir.path(), name);
    assert_eq!(pages(&pdf), 1, "{name}: one page");

    let fonts = tool("pdffonts", &[pdf.to_str().expect("path")], "poppler-utils");
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "one font: {fonts}");
    assert!(rows[0].contains("+NotoSerifCJKsc-Regular"), "{fonts}");

    let raw = pdftotext(&pdf);
    let text = squeeze(&raw);
    for want in [
        "淄博市公安局签名密钥登记表",
        &format!("表单编号：{}", data.form_no),
        "打印时间：2026年3月5日 10:20（王晓明）",
        "申请单位治安支队",
        "单位代码zazd",
        "申请人王晓明",
        // 07:41 UTC is 15:41 in Beijing.
        "生成时间2026年3月4日 15:41",
        &format!("设备编号{}", data.device_id),
        &format!("密钥编号{}", data.key_id),
        &format!("签名算法{}", data.algorithm_label),
        "密钥指纹",
        "请将本表签字盖章后送交指挥中心网上公安办公室；指挥中心核对指纹与登记申请文件一致后启用该密钥。密钥私钥仅保存在本机，不随本表提供。",
        "申请人签字",
        "单位负责人签字（盖章）",
        "指挥中心核对人签字",
        "核对结果：□一致□不一致",
    ] {
        assert!(text.contains(&squeeze(want)), "{name} lacks {want:?}:\n{raw}");
    }
    // The public key whole (a PEM's line breaks are white space).
    assert!(
        text.contains(&squeeze(&data.public_key)),
        "{name}: public key:\n{raw}"
    );
    // Every group of the fingerprint, whole, and four to a line in order.
    let groups: Vec<&str> = data.fingerprint.split_whitespace().collect();
    assert_eq!(groups.len(), 16);
    let lines: Vec<&str> = raw.lines().map(str::trim).collect();
    for four in groups.chunks(4) {
        let line: Vec<&str> = four.to_vec();
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == line),
            "{name}: no line {line:?}:\n{raw}"
        );
    }
    assert!(text.contains(&squeeze(&data.fingerprint)), "{name}: order");

    // The QR code, exactly, at 150 dpi and from a coarse 100 dpi scan.
    let fp: String = groups.concat();
    let payload = format!(
        "gongkai:key/v1?unit={}&key={}&fp={fp}",
        data.unit_code, data.key_id
    );
    for dpi in [150, 100] {
        assert_eq!(
            zbar(&pdf, dpi, name),
            vec![payload.clone()],
            "{name}: QR code at {dpi} dpi"
        );
    }
}

#[test]
fn a_minisign_key_reads_back_with_poppler_and_zbar() {
    check(&common::key_minisign(), "key-minisign");
}

#[test]
fn an_sm2_key_with_its_pem_reads_back_with_poppler_and_zbar() {
    let data = common::key_sm2();
    assert!(data.public_key.lines().count() >= 4);
    check(&data, "key-sm2");
}

#[test]
fn the_same_key_gives_the_same_bytes() {
    for d in [common::key_minisign(), common::key_sm2()] {
        let a = render_key_enrolment(&d).expect("a");
        let b = render_key_enrolment(&d).expect("b");
        assert_eq!(a, b);
        let mut later = d.clone();
        later.printed_at += chrono::Duration::minutes(1);
        assert_ne!(a, render_key_enrolment(&later).expect("later"));
    }
    assert_ne!(
        render_key_enrolment(&common::key_minisign()).expect("minisign"),
        render_key_enrolment(&common::key_sm2()).expect("sm2")
    );
}

#[test]
fn a_long_clerk_name_and_garbage_never_panic_and_still_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut d = common::key_sm2();
    d.clerk_name = "王\u{202E}晓明".repeat(300);
    d.org_name = "某某省某某市某某区某某县公安局".repeat(6);
    d.unit_name = "治安😀支队\u{0000}\u{0007}\t\u{200B}مرحبا e\u{0301} 𠀀".into();
    d.device_id = "x".repeat(400);
    d.algorithm_label = "\u{FEFF}\r\n".into();
    d.form_no = "表".repeat(200);
    d.public_key = format!("{}\n{}", d.public_key, "A/+=".repeat(3000));
    let pdf = write(&d, dir.path(), "key-odd");
    let n = pages(&pdf);
    let text = squeeze(&pdftotext(&pdf));
    assert!(text.contains("治安〓支队"), "{text}");
    assert!(!text.contains('😀'));
    // The clerk's name is printed whole in its cell (the header line only starts it).
    assert!(text.matches('晓').count() >= 300, "clerk name cut");
    assert!(text.contains(&"x".repeat(400)));
    assert!(text.contains(&squeeze(&d.fingerprint)));
    assert!(text.contains("指挥中心核对人签字"));
    assert!(n >= 1);

    // Garbage in the fields that go into the QR code: percent-encoded, still printed.
    let mut d = common::key_minisign();
    d.unit_code = "治安 zd/1&x=😀".into();
    d.key_id = "\u{0007}key?".into();
    d.fingerprint = "ZZ😀 12\u{0000}34 ".repeat(5);
    let pdf = write(&d, dir.path(), "key-odd-ids");
    let codes = zbar(&pdf, 150, "key-odd-ids");
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(
        codes[0].starts_with("gongkai:key/v1?unit=%E6%B2%BB%E5%AE%89%20zd%2F1%26x%3D%F0%9F%98%80&key=%07key%3F&fp=ZZ%F0%9F%98%80"),
        "{codes:?}"
    );
    let text = squeeze(&pdftotext(&pdf));
    assert!(text.contains("ZZ〓"), "{text}");
}

#[test]
fn keys_that_cannot_be_encoded_are_refused_in_chinese() {
    let mut d = common::key_minisign();
    d.key_id = "  ".into();
    let e = render_key_enrolment(&d).expect_err("no key id");
    assert_eq!(e, FormError::KeyMissing("密钥编号"));
    assert!(e.to_string().contains("密钥编号为空"), "{e}");
    let mut d = common::key_minisign();
    d.unit_code = String::new();
    assert_eq!(
        render_key_enrolment(&d).expect_err("no unit"),
        FormError::KeyMissing("单位代码")
    );
    let mut d = common::key_minisign();
    d.fingerprint = "ABCD ".repeat(40);
    assert!(matches!(
        render_key_enrolment(&d),
        Err(FormError::TooLong {
            what: "密钥指纹",
            max: 128
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_text_renders_or_is_refused(
        clerk in "\\PC{0,200}",
        unit in "\\PC{0,60}",
        device in "\\PC{0,80}",
        algorithm in "\\PC{0,40}",
        fingerprint in "(\\PC|\n| ){0,120}",
        public_key in "(\\PC|\n){0,600}",
    ) {
        let mut d = common::key_minisign();
        d.clerk_name = clerk;
        d.unit_name = unit;
        d.device_id = device;
        d.algorithm_label = algorithm;
        d.fingerprint = fingerprint;
        d.public_key = public_key;
        match render_key_enrolment(&d) {
            Ok(pdf) => {
                prop_assert!(pdf.starts_with(b"%PDF-"));
                prop_assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
            }
            // Only a fingerprint of nothing but white space is refused here.
            Err(e) => prop_assert_eq!(e, FormError::KeyMissing("密钥指纹")),
        }
    }
}
