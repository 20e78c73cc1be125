//! Property tests: outside bytes never make verification panic, and a random change to a
//! valid bundle is never accepted.

use crate::support::*;
use gongkai_bundle::{verify_bundle, verify_receipt, EnrolmentRequest, Verdict};
use proptest::prelude::*;
use std::sync::OnceLock;

fn valid() -> &'static Vec<u8> {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| bundle(&keys().unit, UNIT, 95))
}

fn valid_sm2() -> &'static Vec<u8> {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| bundle(&keys().unit_sm2, UNIT, 96))
}

fn trust_store() -> &'static MemTrust {
    static T: OnceLock<MemTrust> = OnceLock::new();
    T.get_or_init(trust)
}

fn check(v: &Verdict) {
    // verify_bundle catches a panic as a last guard and says so; it must never happen.
    for r in &v.reasons {
        assert!(!r.message.contains("内部错误"), "{:?}", r);
    }
}

proptest! {
    // 256 cases each by default; PROPTEST_CASES=… for a longer run.

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let v = verify_bundle(&bytes, trust_store(), received_at());
        check(&v);
        prop_assert!(!v.accepted_for_review);
        let _ = verify_receipt(&bytes, keys().office.public_key());
        let _ = EnrolmentRequest::from_json(&bytes).map(|r| r.verify());
    }

    #[test]
    fn zip_level_mutations_are_refused(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = valid().clone();
        let mut changed = false;
        for (at, value) in &edits {
            let i = at.index(bytes.len());
            changed |= bytes[i] != *value;
            bytes[i] = *value;
        }
        if let Some(c) = cut {
            let n = c.index(bytes.len());
            changed |= n < bytes.len();
            bytes.truncate(n);
        }
        let v = verify_bundle(&bytes, trust_store(), received_at());
        check(&v);
        // Unchanged bytes stay valid. Bytes the zip reader never looks at (e.g. local header
        // timestamps) may change without effect; otherwise the content cannot change and
        // still be accepted.
        if !changed {
            prop_assert!(v.accepted_for_review, "{:?}", v.reasons);
        }
        if v.accepted_for_review {
            let original = verify_bundle(valid(), trust_store(), received_at());
            prop_assert_eq!(v.content_sha256, original.content_sha256);
        }
    }

    #[test]
    fn arbitrary_signature_files_never_panic(
        sig in proptest::collection::vec(any::<u8>(), 0..200),
        sm2 in any::<bool>(),
    ) {
        let (bytes, name) = if sm2 {
            (valid_sm2(), "tagmanifest-sha256.txt.sm2sig")
        } else {
            (valid(), "tagmanifest-sha256.txt.minisig")
        };
        let mut files = unzip_mem(bytes);
        let root = root_of(&files);
        files.insert(format!("{root}/{name}"), sig);
        let v = verify_bundle(&zip_mem(&files), trust_store(), received_at());
        check(&v);
        prop_assert!(!v.accepted_for_review);
    }

    #[test]
    fn bag_level_mutations_are_refused(
        sm2 in any::<bool>(),
        file in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        value in any::<u8>(),
        insert in any::<bool>(),
    ) {
        let mut files = unzip_mem(if sm2 { valid_sm2() } else { valid() });
        let names: Vec<String> = files.keys().cloned().collect();
        let name = &names[file.index(names.len())];
        let content = files.get_mut(name).unwrap();
        let changed = if insert {
            let i = at.index(content.len() + 1);
            content.insert(i, value);
            true
        } else if content.is_empty() {
            false
        } else {
            let i = at.index(content.len());
            let old = content[i];
            content[i] = value;
            old != value
        };
        let v = verify_bundle(&zip_mem(&files), trust_store(), received_at());
        check(&v);
        prop_assert_eq!(v.accepted_for_review, !changed, "{} {:?}", name, v.reasons);
    }

    #[test]
    fn a_changed_receipt_never_verifies_as_a_different_one(
        at in any::<prop::sample::Index>(),
        value in any::<u8>(),
    ) {
        let bytes = signed_receipt();
        let original = verify_receipt(bytes, keys().office.public_key()).unwrap();
        let mut changed = bytes.clone();
        let i = at.index(changed.len());
        changed[i] = value;
        // Either refused, or (a change in white space between members) the very same receipt.
        if let Ok(r) = verify_receipt(&changed, keys().office.public_key()) {
            prop_assert_eq!(r, original);
        }
    }
}

fn signed_receipt() -> &'static Vec<u8> {
    static R: OnceLock<Vec<u8>> = OnceLock::new();
    R.get_or_init(|| {
        let r = gongkai_bundle::Receipt {
            format: String::new(),
            receipt_id: id(700),
            submission_id: id(95),
            unit_code: UNIT.to_string(),
            content_sha256: "cd".repeat(32),
            decision: gongkai_bundle::Decision::Returned {
                reasons: vec![gongkai_bundle::ReceiptReason {
                    code: "residual_pii".to_string(),
                    message: "正文第5段仍含手机号码".to_string(),
                }],
            },
            decided_at: received_at(),
            office_key_id: String::new(),
        };
        gongkai_bundle::sign_receipt(&r, &keys().office).unwrap()
    })
}
