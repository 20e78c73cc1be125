//! The exchange between a unit and the central office through the API, two installations on
//! real database files: keys and enrolment (the fingerprint read back from the printed form with
//! pdftotext), the bundle checked by outside tools (bagit.py, minisign, OpenSSL for the 国密
//! profile), the office's intake and decisions, signed receipts moving the unit's document, and
//! no original personal information in any byte of a bundle.
//!
//! Needs `bagit.py` (PyPI bagit), `minisign`, `openssl`, `pdftotext` (scripts/setup.sh --test).

use gongkai_api::*;
use gongkai_core::{DocFields, DocType, Stage};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::*;

const PW: &str = "correct horse 8";

struct Pair {
    _dirs: Vec<tempfile::TempDir>,
    out: PathBuf,
    unit: Api,
    office: Api,
    unit_key: KeyView,
}

fn out(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// A unit and the office, each with a key; the unit's key enrolled and activated with the
/// fingerprint read from its printed enrolment form, the office key pinned at the unit.
fn pair(algorithm: &str) -> Pair {
    let (du, dof, dout) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let unit = ready(du.path());
    let office = office_at(dof.path(), 2026, 11, 23);
    let office_key = office
        .keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: String::new(),
        })
        .unwrap();
    unit.office_key_pin(OfficeKeyRequest {
        public_key: format!(
            "untrusted comment: minisign public key {}\n{}\n",
            office_key.key_id, office_key.public_key
        ),
    })
    .unwrap();
    let unit_key = unit
        .keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: algorithm.into(),
        })
        .unwrap();
    let request = unit
        .keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out(dout.path(), "enrol.json"),
        })
        .unwrap();
    let form = unit
        .keys_enrolment_form(PathRequest {
            path: out(dout.path(), "enrol.pdf"),
        })
        .unwrap();
    let enrolled = office
        .trust_enrol(FileRequest {
            path: request.path.clone(),
        })
        .unwrap();
    assert_eq!(enrolled.state, "pending");
    assert_eq!(enrolled.unit_code, "zazd");
    // The fingerprint as the office reads it off the signed paper form.
    let text = pdftotext(Path::new(&form.path));
    let fp =
        find_fingerprint(&text).unwrap_or_else(|| panic!("no fingerprint on the form:\n{text}"));
    assert_eq!(fp, unit_key.fingerprint.replace(' ', ""));
    let wrong = office
        .trust_activate(KeyActivateRequest {
            key_id: unit_key.key_id.clone(),
            fingerprint: fp.replace('A', "B").replace('1', "2"),
        })
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::GateClosed);
    let active = office
        .trust_activate(KeyActivateRequest {
            key_id: unit_key.key_id.clone(),
            fingerprint: fp.to_lowercase(),
        })
        .unwrap();
    assert_eq!(active.state, "active");
    Pair {
        _dirs: vec![du, dof],
        out: dout.keep(),
        unit,
        office,
        unit_key,
    }
}

fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The 16 groups of 4 hex digits printed after the label 密钥指纹, wherever the form wraps them.
fn find_fingerprint(text: &str) -> Option<String> {
    let after = &text[text.find("密钥指纹")?..];
    let groups: Vec<&str> = after
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 4)
        .collect();
    (0..groups.len().saturating_sub(15))
        .map(|i| groups[i..i + 16].concat())
        .find(|fp| fp.len() == 64)
        .map(|s| s.to_uppercase())
}

fn export(p: &Pair, doc: &str, name: &str) -> ApiResult<BundleExported> {
    p.unit.bundle_export(BundleExportRequest {
        doc_id: doc.into(),
        password: PW.into(),
        path: out(&p.out, name),
    })
}

fn decide(p: &Pair, id: &str, decision: &str, name: &str) -> ApiResult<Decided> {
    p.office.intake_decide(DecideRequest {
        submission_id: id.into(),
        decision: decision.into(),
        reasons: if decision == "return" {
            vec!["解读材料未说明新旧政策差异，请补充。".into()]
        } else {
            vec![]
        },
        published_on: "2026-11-23".into(),
        url: "https://gaj.zibo.gov.cn/zwgk/2026/1123/1.html".into(),
        password: PW.into(),
        path: out(&p.out, name),
    })
}

fn receive(p: &Pair, path: &str) -> IntakeReceived {
    p.office
        .intake_receive(FileRequest { path: path.into() })
        .unwrap()
}

fn unzip(zip: &Path, into: &Path) -> BTreeSet<String> {
    let f = std::fs::File::open(zip).unwrap();
    let mut a = zip::ZipArchive::new(f).unwrap();
    let mut names = BTreeSet::new();
    for i in 0..a.len() {
        let mut e = a.by_index(i).unwrap();
        let name = e.enclosed_name().unwrap();
        let path = into.join(&name);
        if e.is_dir() {
            std::fs::create_dir_all(&path).unwrap();
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        std::fs::write(&path, buf).unwrap();
        names.insert(name.display().to_string());
    }
    names
}

fn run(cmd: &mut Command) -> (bool, String) {
    let o = cmd
        .output()
        .expect("tool is installed (scripts/setup.sh --test)");
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn bagit_py() -> Command {
    match std::env::var("BAGIT_PY") {
        Ok(p) if !p.is_empty() => Command::new(p),
        _ => Command::new("bagit.py"),
    }
}

#[test]
fn a_publication_travels_to_the_office_and_its_receipts_drive_the_document() {
    let p = pair("");
    let doc = signed_document(&p.unit);

    // A wrong password signs nothing and moves nothing.
    let e = p
        .unit
        .bundle_export(BundleExportRequest {
            doc_id: doc.clone(),
            password: "wrong password".into(),
            path: out(&p.out, "x.zip"),
        })
        .unwrap_err();
    assert!(e.message.contains("密码不正确"), "{e:?}");
    assert_eq!(
        p.unit.workflow_status(dr(&doc)).unwrap().stage,
        Stage::Signed
    );
    assert!(!p.out.join("x.zip").exists());

    let b = export(&p, &doc, "bundle.zip").unwrap();
    assert!(b.new);
    assert_eq!(
        p.unit.workflow_status(dr(&doc)).unwrap().stage,
        Stage::Packaged
    );
    let roles: Vec<&str> = b.files.iter().map(|f| f.role.as_str()).collect();
    assert_eq!(
        roles.iter().filter(|r| **r == "form_pdf").count(),
        3,
        "{roles:?}"
    );
    assert!(roles.contains(&"policy_docx") && roles.contains(&"interpretation_docx"));

    // Outside tools: bagit.py validates the bag, minisign the signature with the unit's key.
    let bag = p.out.join("bag");
    let names = unzip(Path::new(&b.file.path), &bag);
    let root = bag.join(format!("SUB-{}", b.submission.submission_id));
    assert!(names.iter().all(|n| n.starts_with("SUB-")), "{names:?}");
    let (ok, log) = run(bagit_py().arg("--validate").arg(&root));
    assert!(ok, "bagit.py --validate: {log}");
    let (ok, log) = run(Command::new("minisign")
        .arg("-V")
        .arg("-P")
        .arg(&p.unit_key.public_key)
        .arg("-m")
        .arg(root.join("tagmanifest-sha256.txt")));
    assert!(ok, "minisign -V: {log}");
    assert!(
        log.contains(&format!("submission={}", b.submission.submission_id)),
        "{log}"
    );
    let info = std::fs::read_to_string(root.join("bag-info.txt")).unwrap();
    assert!(info.contains(&format!("Signing-Key-Id: {}", p.unit_key.key_id)));
    assert!(info.contains("Unit-Code: zazd"));

    // Exporting again writes the very same bundle; it does not make a second submission.
    let again = export(&p, &doc, "again.zip").unwrap();
    assert!(!again.new);
    assert_eq!(
        std::fs::read(&again.file.path).unwrap(),
        std::fs::read(&b.file.path).unwrap()
    );
    assert_eq!(p.unit.bundle_list(dr(&doc)).unwrap().len(), 1);

    // The clerk records the hand-over on a USB stick.
    let w = to(&p.unit, &doc, Stage::Submitted, "U盘送交").unwrap();
    assert_eq!(w.stage, Stage::Submitted);
    // Accepted and published only come from receipts.
    assert!(to(&p.unit, &doc, Stage::Accepted, "").is_err());

    // The office receives and verifies it.
    let r = receive(&p, &b.file.path);
    assert!(r.verdict.accepted_for_review, "{:?}", r.verdict.reasons);
    assert!(r.recorded);
    assert_eq!(
        r.verdict.content_sha256.as_deref(),
        Some(b.submission.content_sha256.as_str())
    );
    // The reviewer reads the files: the de-identified policy opens as a .docx again.
    let files = p
        .office
        .intake_files(IntakeFilesRequest {
            submission_id: b.submission.submission_id.clone(),
            path: out(&p.out, "review"),
        })
        .unwrap();
    assert_eq!(files.files.len(), b.files.len());
    let policy = files
        .files
        .iter()
        .find(|f| f.path.ends_with("policy.docx"))
        .unwrap();
    let back = gongkai_docx::import::import_path(Path::new(&policy.path)).unwrap();
    assert!(
        back.fields.body.iter().any(|p| p.contains("138****5678")),
        "{:?}",
        back.fields.body
    );
    assert!(Path::new(&files.folder)
        .join("forms")
        .join("fawen.pdf")
        .exists());
    // The same file again is a duplicate, not a second intake.
    let dup = receive(&p, &again.file.path);
    assert!(dup.verdict.duplicate && !dup.recorded);
    assert_eq!(p.office.intake_list().unwrap().len(), 1);
    // Publishing before acceptance is refused.
    assert!(decide(&p, &b.submission.submission_id, "publish", "p0.json").is_err());

    let accepted = decide(&p, &b.submission.submission_id, "accept", "accepted.json").unwrap();
    assert_eq!(accepted.intake.status, "accepted");
    let a = accepted.intake.actions;
    assert!(!a.accept && a.return_ && a.publish, "{a:?}");
    let imp = p
        .unit
        .receipt_import(FileRequest {
            path: accepted.file.path.clone(),
        })
        .unwrap();
    assert!(imp.new);
    assert_eq!(imp.stage, Stage::Accepted);
    let imp = p
        .unit
        .receipt_import(FileRequest {
            path: accepted.file.path.clone(),
        })
        .unwrap();
    assert!(!imp.new, "a receipt is applied once");

    // A tampered receipt is refused and changes nothing.
    let published = decide(&p, &b.submission.submission_id, "publish", "published.json").unwrap();
    let forged = String::from_utf8(std::fs::read(&published.file.path).unwrap())
        .unwrap()
        .replace("2026-11-23", "2026-11-20");
    let forged_path = p.out.join("forged.json");
    std::fs::write(&forged_path, forged).unwrap();
    let e = p
        .unit
        .receipt_import(FileRequest {
            path: forged_path.display().to_string(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("bad_signature"), "{e:?}");
    assert_eq!(
        p.unit.workflow_status(dr(&doc)).unwrap().stage,
        Stage::Accepted
    );

    let imp = p
        .unit
        .receipt_import(FileRequest {
            path: published.file.path.clone(),
        })
        .unwrap();
    assert_eq!(imp.stage, Stage::Published);
    assert_eq!(imp.receipt.published_on.as_deref(), Some("2026-11-23"));
    // The publication date is now the 公开 event that starts the interpretation deadline.
    let w = p.unit.workflow_status(dr(&doc)).unwrap();
    let from_publication: Vec<_> = w
        .deadlines
        .iter()
        .filter(|o| o.trigger.as_deref() == Some("2026-11-23"))
        .collect();
    assert!(!from_publication.is_empty(), "{:#?}", w.deadlines);
    // The interpretation went out with the document: its deadline is met on the same day.
    let interp = w
        .deadlines
        .iter()
        .find(|o| o.what.contains("解读"))
        .expect("the interpretation deadline");
    assert_eq!(interp.done.as_deref(), Some("2026-11-23"), "{interp:#?}");
    assert_eq!(interp.state, gongkai_core::DueState::Done);
    let list = p.unit.bundle_list(dr(&doc)).unwrap();
    let kinds: Vec<&str> = list[0]
        .receipts
        .iter()
        .map(|r| r.decision.as_str())
        .collect();
    assert_eq!(kinds, ["accepted", "published"]);
}

#[test]
fn a_returned_bundle_brings_its_reasons_back_and_a_late_receipt_moves_nothing() {
    let p = pair("");
    let doc = signed_document(&p.unit);
    let b1 = export(&p, &doc, "b1.zip").unwrap();
    receive(&p, &b1.file.path);
    let old = decide(&p, &b1.submission.submission_id, "return", "old.json").unwrap();
    // Before that receipt arrives, the clerk withdraws the packaged document, goes through the
    // steps again and makes a new bundle.
    to(&p.unit, &doc, Stage::Drafting, "发现文号有误，撤回重报").unwrap();
    let redo = |p: &Pair| {
        for s in [
            Stage::AttributeSet,
            Stage::InterpretationSynced,
            Stage::Deidentified,
            Stage::SecrecyCleared,
            Stage::InReview,
        ] {
            to(&p.unit, &doc, s, "").unwrap();
        }
        sign(&p.unit, &doc).unwrap();
    };
    redo(&p);
    let b2 = export(&p, &doc, "b2.zip").unwrap();
    assert!(b2.new);
    assert_ne!(b2.submission.submission_id, b1.submission.submission_id);
    // The late receipt for the first bundle is recorded but moves nothing.
    let imp = p
        .unit
        .receipt_import(FileRequest {
            path: old.file.path.clone(),
        })
        .unwrap();
    assert!(imp.new);
    assert_eq!(imp.stage, Stage::Packaged);
    assert!(imp.note.unwrap().contains("较早"));

    // The second bundle is returned; the receipt arrives before the clerk marked the hand-over,
    // and still applies.
    receive(&p, &b2.file.path);
    let ret = decide(&p, &b2.submission.submission_id, "return", "returned.json").unwrap();
    assert_eq!(ret.receipt.reasons[0].code, "reviewer");
    assert_eq!(ret.intake.status, "returned");
    // A returned bundle cannot be returned or accepted again.
    assert!(decide(&p, &b2.submission.submission_id, "return", "again.json").is_err());
    assert!(decide(&p, &b2.submission.submission_id, "accept", "again.json").is_err());
    let imp = p
        .unit
        .receipt_import(FileRequest {
            path: ret.file.path.clone(),
        })
        .unwrap();
    assert_eq!(imp.stage, Stage::Returned);
    let w = p.unit.workflow_status(dr(&doc)).unwrap();
    assert!(w
        .returned_reason
        .as_deref()
        .unwrap_or_default()
        .contains("新旧政策差异"));
    // No bundle from a returned document until it went through the steps again.
    let e = export(&p, &doc, "b3.zip").unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    to(&p.unit, &doc, Stage::Drafting, "").unwrap();
    redo(&p);
    let b3 = export(&p, &doc, "b3.zip").unwrap();
    assert!(b3.new);
    assert_eq!(p.unit.bundle_list(dr(&doc)).unwrap().len(), 3);
}

#[test]
fn keys_that_are_revoked_retired_or_not_enrolled_are_refused_with_their_codes() {
    let p = pair("");
    let doc = signed_document(&p.unit);
    let b = export(&p, &doc, "b.zip").unwrap();
    let path = FileRequest {
        path: b.file.path.clone(),
    };
    assert!(
        p.office
            .bundle_verify(path.clone())
            .unwrap()
            .accepted_for_review
    );

    // Another office that never enrolled this key.
    let other = tempfile::tempdir().unwrap();
    let stranger = office_at(other.path(), 2026, 11, 23);
    let v = stranger.bundle_verify(path.clone()).unwrap();
    assert_eq!(codes_of(&v), ["unknown_key"]);

    p.office
        .trust_revoke(KeyRevokeRequest {
            key_id: p.unit_key.key_id.clone(),
            reason: "电脑丢失".into(),
        })
        .unwrap();
    let r = p.office.intake_receive(path.clone()).unwrap();
    assert_eq!(codes_of(&r.verdict), ["key_revoked"]);
    // Recorded (the signature is genuine), so it can be returned with the reason; not accepted.
    let e = decide(&p, &b.submission.submission_id, "accept", "a.json").unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    let ret = decide(&p, &b.submission.submission_id, "return", "r.json").unwrap();
    let codes: Vec<&str> = ret
        .receipt
        .reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes, ["key_revoked", "reviewer"]);
    let revoked = p.office.trust_list().unwrap();
    assert_eq!(
        revoked[0].actions,
        KeyActions {
            activate: false,
            retire: false,
            revoke: false
        }
    );
    // A revoked key stays revoked.
    assert!(p
        .office
        .trust_activate(KeyActivateRequest {
            key_id: p.unit_key.key_id.clone(),
            fingerprint: p.unit_key.fingerprint.clone(),
        })
        .is_err());

    // Retired with no overlap: refused as retired. (A third office enrols and retires it.)
    let third = tempfile::tempdir().unwrap();
    let office3 = office_at(third.path(), 2026, 11, 23);
    let req = p
        .unit
        .keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out(&p.out, "enrol3.json"),
        })
        .unwrap();
    office3.trust_enrol(FileRequest { path: req.path }).unwrap();
    office3
        .trust_activate(KeyActivateRequest {
            key_id: p.unit_key.key_id.clone(),
            fingerprint: p.unit_key.fingerprint.clone(),
        })
        .unwrap();
    assert!(
        office3
            .bundle_verify(path.clone())
            .unwrap()
            .accepted_for_review
    );
    let active = &office3.trust_list().unwrap()[0];
    assert!(!active.actions.activate && active.actions.retire && active.actions.revoke);
    office3
        .trust_retire(KeyRetireRequest {
            key_id: p.unit_key.key_id.clone(),
            overlap_days: 0,
        })
        .unwrap();
    assert_eq!(
        codes_of(&office3.bundle_verify(path.clone()).unwrap()),
        ["key_retired"]
    );
    // Retired is final short of revocation: no second retirement.
    assert!(office3
        .trust_retire(KeyRetireRequest {
            key_id: p.unit_key.key_id.clone(),
            overlap_days: 30,
        })
        .is_err());
    // Roles are kept apart.
    assert!(p.unit.trust_list().is_err());
    assert_eq!(
        p.office
            .bundle_export(BundleExportRequest {
                doc_id: doc.clone(),
                password: PW.into(),
                path: String::new()
            })
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
}

fn codes_of(v: &VerdictView) -> Vec<&str> {
    v.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[test]
fn the_sm2_profile_verifies_with_openssl() {
    let p = pair("sm2-sm3");
    assert_eq!(p.unit_key.algorithm, "sm2-sm3");
    let doc = signed_document(&p.unit);
    let b = export(&p, &doc, "sm2.zip").unwrap();
    let bag = p.out.join("sm2bag");
    unzip(Path::new(&b.file.path), &bag);
    let root = bag.join(format!("SUB-{}", b.submission.submission_id));
    let pem = p.out.join("unit-sm2.pem");
    std::fs::write(&pem, &p.unit_key.public_key).unwrap();
    let (ok, log) = run(Command::new("openssl")
        .args(["dgst", "-sm3", "-verify"])
        .arg(&pem)
        .arg("-signature")
        .arg(root.join("tagmanifest-sha256.txt.sm2sig"))
        .args(["-sigopt", "distid:1234567812345678"])
        .arg(root.join("tagmanifest-sha256.txt")));
    assert!(ok && log.contains("Verified OK"), "openssl: {log}");
    let (ok, log) = run(bagit_py().arg("--validate").arg(&root));
    assert!(ok, "{log}");
    let r = receive(&p, &b.file.path);
    assert!(r.verdict.accepted_for_review, "{:?}", r.verdict.reasons);
}

/// Every paragraph of the de-identification test sets, with the values they label.
fn pii_test_set() -> (Vec<String>, Vec<String>) {
    let mut paragraphs = Vec::new();
    let mut values = Vec::new();
    for name in ["labelled.jsonl", "holdout.jsonl"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../deid/tests/data")
            .join(name);
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            paragraphs.push(v["text"].as_str().unwrap().to_string());
            for s in v["spans"].as_array().unwrap() {
                values.push(s["text"].as_str().unwrap().to_string());
            }
        }
    }
    values.sort();
    values.dedup();
    (paragraphs, values)
}

/// Every byte a reader of the bundle could see: each zip entry, each part inside each .docx, and
/// each PDF's text as pdftotext extracts it.
fn readable_texts(zip_path: &Path, scratch: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let names = unzip(zip_path, scratch);
    for n in names {
        let path = scratch.join(&n);
        let bytes = std::fs::read(&path).unwrap();
        out.push((n.clone(), String::from_utf8_lossy(&bytes).into_owned()));
        if n.ends_with(".docx") {
            let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..a.len() {
                let mut e = a.by_index(i).unwrap();
                let mut s = Vec::new();
                e.read_to_end(&mut s).unwrap();
                out.push((
                    format!("{n}!{}", e.name()),
                    String::from_utf8_lossy(&s).into_owned(),
                ));
            }
        } else if n.ends_with(".pdf") {
            out.push((format!("{n} (text)"), pdftotext(&path)));
        }
    }
    out
}

#[test]
fn no_original_personal_information_reaches_any_byte_of_the_bundle() {
    let p = pair("");
    let (paragraphs, values) = pii_test_set();
    assert!(values.len() >= 90, "{}", values.len());
    let fields = DocFields {
        doc_type: DocType::Normative,
        title: "关于规范治安案件信息公开的通知".into(),
        doc_number: "淄公发〔2026〕31号".into(),
        body: paragraphs,
        ..Default::default()
    };
    // The clerk marks whatever the scanner missed, then accepts every finding.
    let values_for_review = values.clone();
    let (doc, _) = in_review_with(&p.unit, fields, move |api, review| {
        let text: Vec<char> = review.text.chars().collect();
        for v in &values_for_review {
            let needle: Vec<char> = v.chars().collect();
            let mut i = 0;
            while i + needle.len() <= text.len() {
                if text[i..i + needle.len()] == needle[..] {
                    let covered = review
                        .findings
                        .iter()
                        .any(|f| (f.start as usize) <= i && i + needle.len() <= f.end as usize);
                    if !covered {
                        let _ = api.deid_mark(DeidMarkRequest {
                            doc_id: review.doc_id.clone(),
                            rev_id: review.rev_id.clone(),
                            start: i as u32,
                            end: (i + needle.len()) as u32,
                            kind: "person_name".into(),
                        });
                    }
                    i += needle.len();
                } else {
                    i += 1;
                }
            }
        }
    });
    sign(&p.unit, &doc).unwrap();
    let b = export(&p, &doc, "pii.zip").unwrap();
    let texts = readable_texts(Path::new(&b.file.path), &p.out.join("pii"));
    assert!(texts.len() > 20, "{}", texts.len());
    let mut leaks = Vec::new();
    for v in &values {
        for (name, text) in &texts {
            if text.contains(v.as_str()) {
                leaks.push(format!("{v} in {name}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "original values in the bundle: {leaks:#?}"
    );
    // The masked text is there (the check above is not vacuous) …
    let policy = texts
        .iter()
        .find(|(n, _)| n.ends_with("policy.docx!word/document.xml"))
        .unwrap();
    assert!(policy.1.contains("某"), "masked names are in the document");
    // … and the office's re-scan finds nothing left.
    let r = receive(&p, &b.file.path);
    assert!(
        !codes_of(&r.verdict).contains(&"residual_pii"),
        "{:?}",
        r.verdict.reasons
    );
}

#[test]
fn a_finding_the_clerk_waved_through_is_caught_by_the_office_rescan() {
    let p = pair("");
    // The clerk rejects the finding on the letter-writer's mobile number (wrongly).
    let (doc, _) = in_review_with(&p.unit, fields(), |api, review| {
        let phone: Vec<String> = review
            .findings
            .iter()
            .filter(|f| f.kind == "phone_mobile")
            .map(|f| f.id.clone())
            .collect();
        assert_eq!(phone.len(), 1);
        api.deid_decide(DeidDecideRequest {
            doc_id: review.doc_id.clone(),
            rev_id: review.rev_id.clone(),
            finding_ids: phone,
            decision: Decision::Rejected,
            replacement: None,
        })
        .unwrap();
    });
    sign(&p.unit, &doc).unwrap();
    let b = export(&p, &doc, "leak.zip").unwrap();
    let r = receive(&p, &b.file.path);
    assert_eq!(codes_of(&r.verdict), ["residual_pii"]);
    let message = &r.verdict.reasons[0].message;
    assert!(message.contains("正文第5段"), "{message}");
    assert!(
        !message.contains("13812345678"),
        "the reason does not repeat the value"
    );
    assert!(decide(&p, &b.submission.submission_id, "accept", "a.json").is_err());
    let ret = decide(&p, &b.submission.submission_id, "return", "r.json").unwrap();
    assert_eq!(ret.receipt.reasons[0].code, "residual_pii");
}

#[test]
fn an_image_is_stripped_confirmed_and_listed_before_it_travels() {
    use base64::Engine;
    let p = pair("");
    // A 1×1 PNG whose tEXt chunk names its author and phone (made with Python's zlib).
    let tagged = hex::decode(
        "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000001c74455874\
         417574686f72005a68616e6720576569203133383132333435363738787888a60000000a4944415478\
         9c636000000002000148afa4710000000049454e44ae426082",
    )
    .unwrap();
    let (doc, _) = in_review_with(&p.unit, fields(), |api, review| {
        let g = api
            .package_image_add(ImageAddRequest {
                doc_id: review.doc_id.clone(),
                file_name: "流程图.png".into(),
                data_base64: base64::engine::general_purpose::STANDARD.encode(&tagged),
                caption: "办理流程".into(),
            })
            .unwrap();
        let view = api.package_get(dr(&review.doc_id)).unwrap();
        let mut pkg = view.package.clone();
        pkg.graphics.push(g.clone());
        api.package_save(PackageSaveRequest {
            doc_id: review.doc_id.clone(),
            base_rev_id: view.head.map(|h| h.rev_id),
            package: pkg,
        })
        .unwrap();
        // Listed in the review, unconfirmed, and the bundle is closed until it is confirmed.
        let r = api.deid_review(dr(&review.doc_id)).unwrap();
        assert_eq!(r.images.len(), 1);
        assert_eq!(r.images[0].confirmed_by, None);
        let w = api.workflow_status(dr(&review.doc_id)).unwrap();
        assert!(
            w.bundle_gates.iter().any(|g| g.code == "image_unreviewed"),
            "{:?}",
            w.bundle_gates
        );
        let r = api
            .deid_image_confirm(DeidImageRequest {
                doc_id: review.doc_id.clone(),
                sha256: g.sha256.clone(),
            })
            .unwrap();
        assert_eq!(r.images[0].confirmed_by.as_deref(), Some("王晓明"));
        let w = api.workflow_status(dr(&review.doc_id)).unwrap();
        assert!(!w.bundle_gates.iter().any(|g| g.code == "image_unreviewed"));
    });
    sign(&p.unit, &doc).unwrap();
    let b = export(&p, &doc, "with-image.zip").unwrap();
    // In the bag: the image without its text chunk, listed as reviewed in submission.json.
    let scratch = tempfile::tempdir().unwrap();
    let files = unzip(Path::new(&b.file.path), scratch.path());
    let image = files
        .iter()
        .find(|f| f.ends_with(".png"))
        .expect("the image is in the bag");
    let bytes = std::fs::read(scratch.path().join(image)).unwrap();
    assert!(gongkai_deid::image::metadata(&bytes).unwrap().is_empty());
    assert!(!bytes.windows(11).any(|w| w == b"13812345678"));
    let sub = files
        .iter()
        .find(|f| f.ends_with("submission.json"))
        .unwrap();
    let sub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(scratch.path().join(sub)).unwrap()).unwrap();
    let listed = &sub["deid_report"]["images_reviewed"];
    use sha2::Digest;
    assert_eq!(
        listed[0]["sha256"],
        hex::encode(sha2::Sha256::digest(&bytes)),
        "{sub}"
    );
    assert_eq!(listed[0]["reviewer"], "王晓明");
    // The office finds nothing to object to.
    let r = receive(&p, &b.file.path);
    assert!(codes_of(&r.verdict).is_empty(), "{:?}", r.verdict.reasons);
}
