//! The bags, signatures, receipts and enrolment requests checked by tools nobody here wrote:
//! `bagit.py` (Library of Congress), `minisign` (the C tool), `openssl` (SM2/SM3), and Python's
//! `json` module to rebuild canonical JSON. A missing tool fails the test.

use crate::support::*;
use gongkai_bundle::{
    sign_receipt, Algorithm, Decision, DeviceKey, EnrolmentRequest, Receipt, SM2_DISTID,
};
use std::fs;
use std::path::Path;

fn bagit_validate(dir: &Path) -> std::process::Output {
    let d = dir.to_string_lossy().to_string();
    run("bagit.py", &["--validate", &d], BAGIT_INSTALL)
}

fn minisign_verify(pubkey: &str, msg: &Path, sig: &Path) -> std::process::Output {
    run(
        "minisign",
        &[
            "-V",
            "-P",
            pubkey,
            "-m",
            &msg.to_string_lossy(),
            "-x",
            &sig.to_string_lossy(),
        ],
        MINISIGN_INSTALL,
    )
}

fn openssl_sm2_verify(pem: &Path, sig: &Path, msg: &Path) -> std::process::Output {
    run(
        "openssl",
        &[
            "dgst",
            "-sm3",
            "-verify",
            &pem.to_string_lossy(),
            "-sigopt",
            &format!("distid:{SM2_DISTID}"),
            "-signature",
            &sig.to_string_lossy(),
            &msg.to_string_lossy(),
        ],
        OPENSSL_INSTALL,
    )
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    }
}

#[test]
fn minisign_bag_passes_bagit_py_and_minisign() {
    let k = &keys().unit;
    let n = 11;
    let tmp = tempdir();
    let bag = extract(&bundle(k, UNIT, n), tmp.path());
    assert!(bag.join("data/images/图解1.png").is_file());

    let out = bagit_validate(&bag);
    assert!(out.status.success(), "bagit.py: {}", text(&out));
    assert!(text(&out).contains("is valid"), "{}", text(&out));

    let tag = bag.join("tagmanifest-sha256.txt");
    let out = minisign_verify(
        k.public_key(),
        &tag,
        &bag.join("tagmanifest-sha256.txt.minisig"),
    );
    assert!(out.status.success(), "minisign: {}", text(&out));
    let expected = format!(
        "Trusted comment: gongkai-bundle v1 unit={UNIT} submission={} key={}",
        id(n),
        k.key_id()
    );
    assert!(text(&out).contains(&expected), "{}", text(&out));

    // The tools are not vacuous: a changed payload byte fails bagit.py, a changed tag manifest
    // fails minisign.
    let policy = bag.join("data/policy.docx");
    let mut bytes = fs::read(&policy).unwrap();
    bytes[10] ^= 1;
    fs::write(&policy, &bytes).unwrap();
    let out = bagit_validate(&bag);
    assert!(!out.status.success(), "bagit.py accepted a changed payload");

    let mut t = fs::read(&tag).unwrap();
    t[0] ^= 1;
    fs::write(&tag, &t).unwrap();
    let out = minisign_verify(
        k.public_key(),
        &tag,
        &bag.join("tagmanifest-sha256.txt.minisig"),
    );
    assert!(
        !out.status.success(),
        "minisign accepted a changed tag manifest"
    );
}

#[test]
fn sm2_bag_passes_bagit_py_and_openssl() {
    let k = &keys().unit_sm2;
    let tmp = tempdir();
    let bag = extract(&bundle(k, UNIT, 12), tmp.path());
    let out = bagit_validate(&bag);
    assert!(out.status.success(), "bagit.py: {}", text(&out));

    let pem = tmp.path().join("unit_sm2.pub.pem");
    fs::write(&pem, k.public_key()).unwrap();
    let tag = bag.join("tagmanifest-sha256.txt");
    let sig = bag.join("tagmanifest-sha256.txt.sm2sig");
    let out = openssl_sm2_verify(&pem, &sig, &tag);
    assert!(out.status.success(), "openssl: {}", text(&out));
    assert!(text(&out).contains("Verified OK"), "{}", text(&out));

    let mut t = fs::read(&tag).unwrap();
    t[5] ^= 1;
    fs::write(&tag, &t).unwrap();
    let out = openssl_sm2_verify(&pem, &sig, &tag);
    assert!(
        !out.status.success(),
        "openssl accepted a changed tag manifest"
    );
}

#[test]
fn sm2_bundle_is_deterministic() {
    let k = &keys().unit_sm2;
    assert_eq!(bundle(k, UNIT, 13), bundle(k, UNIT, 13));
}

#[test]
fn password_protected_minisign_key_signs_a_bag_minisign_accepts() {
    let key = match DeviceKey::generate(Algorithm::MinisignEd25519, "正确的密码 1") {
        Ok(k) => k,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(key.key_id.len(), 16);
    assert_eq!(key.fingerprint.split(' ').count(), 16);
    assert!(!key.secret_box.contains(&key.public_key));
    let signer = match key.unlock("正确的密码 1") {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(signer.key_id(), key.key_id);
    let tmp = tempdir();
    let bag = extract(&bundle(&signer, UNIT, 14), tmp.path());
    let out = minisign_verify(
        &key.public_key,
        &bag.join("tagmanifest-sha256.txt"),
        &bag.join("tagmanifest-sha256.txt.minisig"),
    );
    assert!(out.status.success(), "minisign: {}", text(&out));

    // The .pub file minisign writes names the same key id we do.
    let pubfile = tmp.path().join("unit.pub");
    fs::write(
        &pubfile,
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            key.key_id, key.public_key
        ),
    )
    .unwrap();
    let out = run(
        "minisign",
        &[
            "-V",
            "-p",
            &pubfile.to_string_lossy(),
            "-m",
            &bag.join("tagmanifest-sha256.txt").to_string_lossy(),
        ],
        MINISIGN_INSTALL,
    );
    assert!(out.status.success(), "minisign -p: {}", text(&out));
}

/// Canonical JSON of everything but `signature`, rebuilt by Python's json module.
fn python_canonical(json_path: &Path, out_path: &Path) {
    let script = "import json,sys\n\
v=json.load(open(sys.argv[1],encoding='utf-8'))\n\
v.pop('signature')\n\
open(sys.argv[2],'wb').write(json.dumps(v,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode('utf-8'))\n";
    let out = run(
        "python3",
        &[
            "-c",
            script,
            &json_path.to_string_lossy(),
            &out_path.to_string_lossy(),
        ],
        "apt-get install -y python3",
    );
    assert!(out.status.success(), "python3: {}", text(&out));
}

fn json_signature(json_path: &Path) -> String {
    let v: serde_json::Value = serde_json::from_slice(&fs::read(json_path).unwrap()).unwrap();
    v["signature"].as_str().unwrap().to_string()
}

#[test]
fn receipt_signature_checks_with_python_and_minisign() {
    let office = &keys().office;
    let receipt = Receipt {
        format: String::new(),
        receipt_id: id(900),
        submission_id: id(15),
        unit_code: UNIT.to_string(),
        content_sha256: "0f".repeat(32),
        decision: Decision::Published {
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            url: "https://gaj.example.gov.cn/zwgk/2026/0303/1.html".to_string(),
        },
        decided_at: received_at(),
        office_key_id: String::new(),
    };
    let bytes = match sign_receipt(&receipt, office) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let tmp = tempdir();
    let json = tmp.path().join("receipt.json");
    fs::write(&json, &bytes).unwrap();
    let msg = tmp.path().join("receipt.msg");
    python_canonical(&json, &msg);
    let sig = tmp.path().join("receipt.msg.minisig");
    fs::write(&sig, json_signature(&json)).unwrap();
    let out = minisign_verify(office.public_key(), &msg, &sig);
    assert!(out.status.success(), "minisign: {}", text(&out));
    let expected = format!(
        "Trusted comment: gongkai-receipt v1 submission={} decision=published key={}",
        id(15),
        office.key_id()
    );
    assert!(text(&out).contains(&expected), "{}", text(&out));
}

#[test]
fn enrolment_requests_check_with_outside_tools() {
    let k = keys();
    let tmp = tempdir();

    // minisign
    let req = match EnrolmentRequest::new(&k.unit, UNIT, "zazd-pc-01", "王晓燕", received_at()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let json = tmp.path().join("enrol.json");
    fs::write(&json, req.to_json().unwrap()).unwrap();
    let msg = tmp.path().join("enrol.msg");
    python_canonical(&json, &msg);
    let sig = tmp.path().join("enrol.msg.minisig");
    fs::write(&sig, json_signature(&json)).unwrap();
    let out = minisign_verify(k.unit.public_key(), &msg, &sig);
    assert!(out.status.success(), "minisign: {}", text(&out));

    // SM2: the signature is hex DER
    let req = match EnrolmentRequest::new(&k.unit_sm2, UNIT, "zazd-pc-02", "王晓燕", received_at())
    {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let json = tmp.path().join("enrol_sm2.json");
    fs::write(&json, req.to_json().unwrap()).unwrap();
    let msg = tmp.path().join("enrol_sm2.msg");
    python_canonical(&json, &msg);
    let sig = tmp.path().join("enrol_sm2.sig");
    fs::write(&sig, hex::decode(&req.signature).unwrap()).unwrap();
    let pem = tmp.path().join("sm2.pem");
    fs::write(&pem, &req.public_key).unwrap();
    let out = openssl_sm2_verify(&pem, &sig, &msg);
    assert!(out.status.success(), "openssl: {}", text(&out));

    // The SM2 key id and fingerprint are reproducible from the PEM with openssl.
    let der = tmp.path().join("sm2.der");
    let out = run(
        "openssl",
        &[
            "pkey",
            "-pubin",
            "-in",
            &pem.to_string_lossy(),
            "-outform",
            "DER",
            "-out",
            &der.to_string_lossy(),
        ],
        OPENSSL_INSTALL,
    );
    assert!(out.status.success(), "openssl pkey: {}", text(&out));
    let der_bytes = fs::read(&der).unwrap();
    let point = &der_bytes[der_bytes.len().saturating_sub(65)..];
    let point_file = tmp.path().join("point.bin");
    fs::write(&point_file, point).unwrap();
    let out = run(
        "openssl",
        &["dgst", "-sm3", "-r", &point_file.to_string_lossy()],
        OPENSSL_INSTALL,
    );
    let sm3 = String::from_utf8_lossy(&out.stdout).to_uppercase();
    assert!(sm3.starts_with(&req.key_id), "{sm3} vs {}", req.key_id);
    let out = run(
        "openssl",
        &["dgst", "-sha256", "-r", &point_file.to_string_lossy()],
        OPENSSL_INSTALL,
    );
    let sha = String::from_utf8_lossy(&out.stdout).to_uppercase();
    assert!(
        sha.starts_with(&req.fingerprint.replace(' ', "")),
        "{sha} vs {}",
        req.fingerprint
    );
}
