//! Valid bundles pass; every kind of tampering is refused with its own reason code.

use crate::support::*;
use chrono::Duration;
use gongkai_bundle::{
    build_bundle, verify_bundle, FileRole, KeyState, ReasonCode, Signer, Verdict,
};
use std::collections::BTreeMap;

fn verify(bytes: &[u8], trust: &MemTrust) -> Verdict {
    verify_bundle(bytes, trust, received_at())
}

fn assert_only(v: &Verdict, code: ReasonCode, what: &str) {
    assert!(!v.accepted_for_review, "{what}: accepted");
    assert_eq!(v.codes(), vec![code], "{what}: {:#?}", v.reasons);
}

fn assert_accepted(v: &Verdict, what: &str) {
    assert!(v.accepted_for_review, "{what}: {:#?}", v.reasons);
    assert!(v.reasons.is_empty());
}

#[test]
fn valid_bundles_are_accepted_with_their_contents() {
    let k = keys();
    for (signer, n) in [(&k.unit, 20u64), (&k.unit_sm2, 21)] {
        let v = verify(&bundle(signer, UNIT, n), &trust());
        assert_accepted(&v, "valid");
        assert!(!v.duplicate);
        assert_eq!(v.key_id.as_deref(), Some(signer.key_id()));
        assert_eq!(v.content_sha256.as_deref().map(str::len), Some(64));
        let sub = v.submission.as_ref().map(|s| s.submission_id);
        assert_eq!(sub, Some(id(n)));
        let paths: Vec<&str> = v.payload.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "forms/审签单.pdf",
                "images/图解1.png",
                "interpretation.docx",
                "policy.docx"
            ]
        );
        let policy = v.payload.iter().find(|p| p.role == FileRole::PolicyDocx);
        assert_eq!(policy.map(|p| p.bytes.clone()), Some(filler(n, 3000)));
    }
}

#[test]
fn callers_add_their_own_reasons() {
    let mut v = verify(&bundle(&keys().unit, UNIT, 22), &trust());
    assert!(v.accepted_for_review);
    v.add_reason(ReasonCode::ResidualPii, "解读第2段仍含手机号码");
    assert!(!v.accepted_for_review);
    assert!(v.has(ReasonCode::ResidualPii));
    let json = serde_json::to_string(&v).unwrap();
    assert!(json.contains("\"residual_pii\""), "{json}");
}

/// What a one-byte change in `name` (a path inside the bag) must be reported as.
fn expected_for(name: &str) -> ReasonCode {
    match name {
        "tagmanifest-sha256.txt"
        | "tagmanifest-sha256.txt.minisig"
        | "tagmanifest-sha256.txt.sm2sig" => ReasonCode::BadSignature,
        _ => ReasonCode::ChecksumMismatch,
    }
}

/// Flip bit 0 of byte `pos` of bag file `name`, re-zip, verify.
fn flipped(files: &BTreeMap<String, Vec<u8>>, name: &str, pos: usize) -> Vec<u8> {
    let mut files = files.clone();
    if let Some(b) = files.get_mut(name).and_then(|f| f.get_mut(pos)) {
        *b ^= 1;
    }
    zip_mem(&files)
}

/// Positions to flip: every byte of small files, a spread of bytes in larger ones.
fn positions(len: usize) -> Vec<usize> {
    if len <= 600 {
        (0..len).collect()
    } else {
        let mut p: Vec<usize> = (0..len).step_by(len / 97 + 1).collect();
        p.extend([len - 2, len - 1]);
        p
    }
}

#[test]
fn a_flipped_byte_anywhere_in_a_minisign_bag_is_refused() {
    let bytes = bundle(&keys().unit, UNIT, 23);
    let files = unzip_mem(&bytes);
    let root = root_of(&files);
    let t = trust();
    let mut checked = 0;
    for (name, content) in &files {
        let rel = name.strip_prefix(&format!("{root}/")).unwrap_or(name);
        for pos in positions(content.len()) {
            let v = verify(&flipped(&files, name, pos), &t);
            assert_only(&v, expected_for(rel), &format!("{rel} byte {pos}"));
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn a_flipped_byte_anywhere_in_an_sm2_bag_is_refused() {
    let bytes = bundle(&keys().unit_sm2, UNIT, 24);
    let files = unzip_mem(&bytes);
    let root = root_of(&files);
    let t = trust();
    for (name, content) in &files {
        let rel = name.strip_prefix(&format!("{root}/")).unwrap_or(name);
        // In the SM2 profile the key id comes from bag-info.txt (a DER signature names no
        // key), so a change to that line means the key cannot be found (or the field is
        // missing) before any checksum is checked.
        let key_line = if rel == "bag-info.txt" {
            let text = String::from_utf8_lossy(content).to_string();
            // From the newline before the line to the newline after it.
            let start = text
                .find("Signing-Key-Id:")
                .unwrap_or(usize::MAX)
                .saturating_sub(1);
            let end = text[(start + 1).min(text.len())..]
                .find('\n')
                .map(|e| start + 1 + e)
                .unwrap_or(usize::MAX);
            Some((start, end))
        } else {
            None
        };
        let step = if content.len() > 600 { 37 } else { 1 };
        for pos in (0..content.len()).step_by(step) {
            let v = verify(&flipped(&files, name, pos), &t);
            let what = format!("{rel} byte {pos}");
            match key_line {
                Some((start, end)) if pos >= start && pos <= end => {
                    assert!(!v.accepted_for_review, "{what}");
                    let c = v.codes();
                    assert!(
                        c == [ReasonCode::UnknownKey] || c == [ReasonCode::BagInvalid],
                        "{what}: {:#?}",
                        v.reasons
                    );
                }
                _ => assert_only(&v, expected_for(rel), &what),
            }
        }
    }
}

#[test]
fn a_removed_file_is_refused() {
    let bytes = bundle(&keys().unit, UNIT, 25);
    let files = unzip_mem(&bytes);
    let root = root_of(&files);
    let t = trust();
    for name in files.keys() {
        let rel = name.strip_prefix(&format!("{root}/")).unwrap_or(name);
        let mut less = files.clone();
        less.remove(name);
        let v = verify(&zip_mem(&less), &t);
        let expected = if rel.ends_with(".minisig") {
            ReasonCode::BadSignature
        } else {
            ReasonCode::BagInvalid
        };
        assert!(!v.accepted_for_review, "{rel}");
        assert_eq!(v.codes()[0], expected, "{rel}: {:#?}", v.reasons);
    }
}

#[test]
fn an_added_file_is_refused() {
    let bytes = bundle(&keys().unit, UNIT, 26);
    let files = unzip_mem(&bytes);
    let root = root_of(&files);
    let t = trust();
    for extra in [
        "data/extra.txt",
        "data/images/图解2.png",
        "README.txt",
        "tools/run.sh",
    ] {
        let mut more = files.clone();
        more.insert(format!("{root}/{extra}"), b"added later".to_vec());
        let v = verify(&zip_mem(&more), &t);
        assert_only(&v, ReasonCode::BagInvalid, extra);
    }
}

#[test]
fn a_signature_from_another_bag_is_refused() {
    let k = &keys().unit;
    let a = unzip_mem(&bundle(k, UNIT, 27));
    let b = unzip_mem(&bundle(k, UNIT, 28));
    let (ra, rb) = (root_of(&a), root_of(&b));
    let sig = "tagmanifest-sha256.txt.minisig";
    let mut swapped = a.clone();
    swapped.insert(format!("{ra}/{sig}"), b[&format!("{rb}/{sig}")].clone());
    let v = verify(&zip_mem(&swapped), &trust());
    assert_only(&v, ReasonCode::BadSignature, "swapped minisign signature");

    let s = &keys().unit_sm2;
    let a = unzip_mem(&bundle(s, UNIT, 29));
    let b = unzip_mem(&bundle(s, UNIT, 30));
    let (ra, rb) = (root_of(&a), root_of(&b));
    let sig = "tagmanifest-sha256.txt.sm2sig";
    let mut swapped = a.clone();
    swapped.insert(format!("{ra}/{sig}"), b[&format!("{rb}/{sig}")].clone());
    let v = verify(&zip_mem(&swapped), &trust());
    assert_only(&v, ReasonCode::BadSignature, "swapped SM2 signature");
}

#[test]
fn keys_are_checked_against_the_trust_store() {
    let k = keys();
    let t = trust();
    let cases: [(&Signer, &str, ReasonCode); 4] = [
        (&k.unenrolled, "unenrolled", ReasonCode::UnknownKey),
        (&k.revoked, "revoked", ReasonCode::KeyRevoked),
        (&k.retired, "retired past overlap", ReasonCode::KeyRetired),
        (&k.not_yet_active, "not yet active", ReasonCode::KeyRetired),
    ];
    for (i, (signer, what, code)) in cases.into_iter().enumerate() {
        let v = verify(&bundle(signer, UNIT, 40 + i as u64), &t);
        assert_only(&v, code, what);
        assert_eq!(v.key_id.as_deref(), Some(signer.key_id()));
    }

    // Inside the overlap, before the revocation: accepted.
    let early = received_at() - Duration::days(2);
    let v = verify_bundle(&bundle(&k.revoked, UNIT, 45), &t, early);
    assert_accepted(&v, "before revocation");
    let v = verify_bundle(&bundle(&k.retired, UNIT, 46), &t, early);
    assert_accepted(&v, "within overlap");
    let mut t2 = trust();
    t2.enrol(
        &k.retired,
        UNIT,
        KeyState::Retired {
            until: received_at() + Duration::days(7),
        },
    );
    assert_accepted(&verify(&bundle(&k.retired, UNIT, 47), &t2), "overlap");
}

#[test]
fn another_units_key_is_a_unit_mismatch() {
    let k = keys();
    // A key enrolled for xfzd signs a bag that says zazd.
    let v = verify(&bundle(&k.other_unit, UNIT, 50), &trust());
    assert_only(&v, ReasonCode::UnitMismatch, "other unit's key");
    // The same key for its own unit is fine.
    assert_accepted(
        &verify(&bundle(&k.other_unit, OTHER_UNIT, 51), &trust()),
        "own unit",
    );
    // SM2: no trusted comment, still caught from bag-info and submission.json.
    let mut t = trust();
    t.enrol(&k.unit_sm2, OTHER_UNIT, KeyState::Active);
    let v = verify(&bundle(&k.unit_sm2, UNIT, 52), &t);
    assert_only(&v, ReasonCode::UnitMismatch, "SM2 key of another unit");
}

#[test]
fn replays_and_duplicates() {
    let k = &keys().unit;
    let first = verify(&bundle(k, UNIT, 60), &trust());
    assert_accepted(&first, "first");
    let mut t = trust();
    t.seen.insert(id(60), first.content_sha256.clone().unwrap());

    // The identical content again (re-signed, so the zip differs): a duplicate, not a failure.
    let again = verify(&bundle(k, UNIT, 60), &t);
    assert_accepted(&again, "re-sent");
    assert!(again.duplicate);
    assert_eq!(again.content_sha256, first.content_sha256);

    // Same submission id, different content: replay.
    let mut changed = input(UNIT, 60);
    changed.payload[0].bytes.push(b'!');
    let bytes = build_bundle(&changed, k).unwrap();
    let v = verify(&bytes, &t);
    assert_only(&v, ReasonCode::Replay, "replay");
}

#[test]
fn a_policy_that_needs_an_interpretation_must_bring_one() {
    let k = &keys().unit;
    let mut i = input(UNIT, 70);
    i.payload.retain(|p| p.role != FileRole::InterpretationDocx);
    let v = verify(&build_bundle(&i, k).unwrap(), &trust());
    assert_only(&v, ReasonCode::MissingInterpretation, "no interpretation");

    i.submission.needs_interpretation = false;
    let v = verify(&build_bundle(&i, k).unwrap(), &trust());
    assert_accepted(&v, "not needed");
}

#[test]
fn verdict_without_signature_file_or_with_both() {
    let k = &keys().unit;
    let files = unzip_mem(&bundle(k, UNIT, 71));
    let root = root_of(&files);
    let mut both = files.clone();
    both.insert(
        format!("{root}/tagmanifest-sha256.txt.sm2sig"),
        vec![0x30, 0x00],
    );
    let v = verify(&zip_mem(&both), &trust());
    assert_only(&v, ReasonCode::BagInvalid, "two signature files");
}

#[test]
fn a_consistently_rewritten_bag_without_the_key_fails_the_signature() {
    // Change the payload and fix every manifest: only the signature can tell.
    let k = &keys().unit;
    let files = unzip_mem(&bundle(k, UNIT, 72));
    let root = root_of(&files);
    let mut f = files.clone();
    let policy = format!("{root}/data/policy.docx");
    let new_policy = b"forged".to_vec();
    f.insert(policy.clone(), new_policy.clone());
    let sha = |b: &[u8]| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(b))
    };
    let manifest_name = format!("{root}/manifest-sha256.txt");
    let manifest = String::from_utf8_lossy(&f[&manifest_name]).to_string();
    let old = sha(&files[&policy]);
    let manifest = manifest.replace(&old, &sha(&new_policy));
    f.insert(manifest_name, manifest.clone().into_bytes());
    let tag_name = format!("{root}/tagmanifest-sha256.txt");
    let tag = String::from_utf8_lossy(&f[&tag_name]).to_string();
    let old_m = sha(&files[&format!("{root}/manifest-sha256.txt")]);
    f.insert(
        tag_name,
        tag.replace(&old_m, &sha(manifest.as_bytes())).into_bytes(),
    );
    let v = verify(&zip_mem(&f), &trust());
    assert_only(&v, ReasonCode::BadSignature, "rewritten manifests");
}
