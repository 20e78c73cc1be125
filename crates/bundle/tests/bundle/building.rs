//! What `build_bundle` refuses to make, and edge cases it must still make verifiable.

use crate::support::*;
use gongkai_bundle::{
    bag_folder_name, build_bundle, verify_bundle, FileRole, PayloadFile, MAX_RATIO,
};

fn err_code(i: &gongkai_bundle::BundleInput) -> &'static str {
    match build_bundle(i, &keys().unit) {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn bad_inputs_are_refused_with_a_message() {
    for bad in [
        "../policy.docx",
        "/abs.pdf",
        "a\\b.pdf",
        "C:/x.pdf",
        "submission.json",
        "forms//x.pdf",
        "x\n.pdf",
    ] {
        let mut i = input(UNIT, 100);
        i.payload.push(PayloadFile {
            path: bad.to_string(),
            role: FileRole::FormPdf,
            bytes: b"x".to_vec(),
        });
        assert_eq!(err_code(&i), "invalid_input", "{bad:?}");
    }

    let mut i = input(UNIT, 101);
    i.payload.push(PayloadFile {
        path: "POLICY.docx".to_string(),
        role: FileRole::FormPdf,
        bytes: b"x".to_vec(),
    });
    assert_eq!(err_code(&i), "invalid_input", "case-insensitive duplicate");

    let mut i = input(UNIT, 102);
    i.payload.retain(|p| p.role != FileRole::PolicyDocx);
    assert_eq!(err_code(&i), "invalid_input", "no policy document");

    let mut i = input(UNIT, 103);
    i.submission.unit_code = "治安".to_string();
    assert_eq!(err_code(&i), "invalid_input", "non-ASCII unit code");

    let mut i = input(UNIT, 104);
    i.source_organization = "two\nlines".to_string();
    assert_eq!(err_code(&i), "invalid_input", "newline in bag-info");

    let mut i = input(UNIT, 105);
    i.submission.schema_version = 99;
    assert_eq!(err_code(&i), "invalid_input", "schema version");
}

#[test]
fn the_caller_cannot_get_the_file_list_wrong() {
    let mut i = input(UNIT, 106);
    i.submission.files = vec![gongkai_bundle::FileEntry {
        path: "made-up.pdf".to_string(),
        role: FileRole::FormPdf,
        size: 1,
        sha256: "00".repeat(32),
    }];
    let v = verify_bundle(
        &build_bundle(&i, &keys().unit).unwrap(),
        &trust(),
        received_at(),
    );
    assert!(v.accepted_for_review, "{:#?}", v.reasons);
    let listed: Vec<String> = v
        .submission
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(
        listed,
        [
            "forms/审签单.pdf",
            "images/图解1.png",
            "interpretation.docx",
            "policy.docx"
        ]
    );
}

#[test]
fn a_highly_compressible_payload_still_verifies() {
    // 3 MB of zeros deflates far beyond the bomb ratio; the builder stores it instead.
    let mut i = input(UNIT, 107);
    i.payload.push(PayloadFile {
        path: "forms/blank.pdf".to_string(),
        role: FileRole::FormPdf,
        bytes: vec![0u8; 3 << 20],
    });
    let bytes = build_bundle(&i, &keys().unit).unwrap();
    assert!(bytes.len() as u64 > 3 << 20, "stored, not deflated");
    const { assert!(MAX_RATIO < (3 << 20) / 4096) };
    let v = verify_bundle(&bytes, &trust(), received_at());
    assert!(v.accepted_for_review, "{:#?}", v.reasons);
}

#[test]
fn the_folder_is_named_after_the_submission() {
    let files = unzip_mem(&bundle(&keys().unit, UNIT, 108));
    assert_eq!(root_of(&files), bag_folder_name(&id(108)));
    let names: Vec<String> = files
        .keys()
        .map(|k| k.split_once('/').map(|(_, r)| r.to_string()).unwrap())
        .collect();
    for expected in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha256.txt.minisig",
        "data/submission.json",
        "data/policy.docx",
        "data/interpretation.docx",
        "data/images/图解1.png",
        "data/forms/审签单.pdf",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert_eq!(names.len(), 10);
    let info = String::from_utf8(files[&format!("SUB-{}/bag-info.txt", id(108))].clone()).unwrap();
    for label in [
        "Source-Organization: 某市公安局治安支队",
        &format!("External-Identifier: {}", id(108)),
        "Bagging-Date: 2026-03-01",
        "Payload-Oxum: ",
        "Unit-Code: zazd",
        &format!("Signing-Key-Id: {}", keys().unit.key_id()),
        "Signature-Algorithm: minisign-ed25519",
    ] {
        assert!(info.contains(label), "{label} in {info}");
    }
    let json =
        String::from_utf8(files[&format!("SUB-{}/data/submission.json", id(108))].clone()).unwrap();
    assert!(json.contains("\"needs_interpretation\": true"), "{json}");
    assert!(!json.contains("13812345678"));
}
