//! Receipts: signed by the office, verified by the unit; any change is refused.

use crate::support::*;
use chrono::NaiveDate;
use gongkai_bundle::{
    sign_receipt, verify_bundle, verify_receipt, Decision, Receipt, ReceiptReason,
};

fn receipt(decision: Decision) -> Receipt {
    Receipt {
        format: String::new(),
        receipt_id: id(500),
        submission_id: id(90),
        unit_code: UNIT.to_string(),
        content_sha256: "ab".repeat(32),
        decision,
        decided_at: received_at(),
        office_key_id: String::new(),
    }
}

#[test]
fn each_decision_round_trips() {
    let office = &keys().office;
    let v = verify_bundle(&bundle(&keys().unit, UNIT, 91), &trust(), received_at());
    let returned = Decision::Returned {
        reasons: vec![
            ReceiptReason {
                code: "residual_pii".to_string(),
                message: "解读第2段仍含手机号码".to_string(),
            },
            ReceiptReason {
                code: "wording".to_string(),
                message: "标题与正文不一致".to_string(),
            },
        ],
    };
    for decision in [
        Decision::Accepted,
        returned,
        Decision::Published {
            published_on: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            url: "https://gaj.example.gov.cn/zwgk/1.html".to_string(),
        },
    ] {
        let mut r = receipt(decision);
        r.content_sha256 = v.content_sha256.clone().unwrap();
        let bytes = sign_receipt(&r, office).unwrap();
        let back = verify_receipt(&bytes, office.public_key()).unwrap();
        assert_eq!(back.decision, r.decision);
        assert_eq!(back.office_key_id, office.key_id());
        assert_eq!(back.content_sha256, r.content_sha256);
        assert_eq!(back.submission_id, id(90));
    }
}

#[test]
fn changed_receipts_and_wrong_keys_are_refused() {
    let office = &keys().office;
    let bytes = sign_receipt(&receipt(Decision::Accepted), office).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();

    // Wrong key.
    let err = verify_receipt(&bytes, keys().unit.public_key()).unwrap_err();
    assert_eq!(err.code(), "bad_signature", "{err}");

    // Each member changed in turn.
    for (member, value) in [
        ("unit_code", serde_json::json!("xfzd")),
        ("content_sha256", serde_json::json!("cd".repeat(32))),
        ("decided_at", serde_json::json!("2027-01-01T00:00:00Z")),
        (
            "decision",
            serde_json::json!({"kind": "returned", "reasons": []}),
        ),
        ("extra", serde_json::json!(1)),
    ] {
        let mut changed = v.clone();
        changed[member] = value;
        let err = verify_receipt(&serde_json::to_vec(&changed).unwrap(), office.public_key())
            .unwrap_err();
        assert_eq!(err.code(), "bad_signature", "{member}: {err}");
    }

    // Reformatting the JSON keeps it valid (the signature covers the canonical form).
    let compact = serde_json::to_vec(&v).unwrap();
    verify_receipt(&compact, office.public_key()).unwrap();

    // No signature / not JSON.
    v.as_object_mut().unwrap().remove("signature");
    let err = verify_receipt(&serde_json::to_vec(&v).unwrap(), office.public_key()).unwrap_err();
    assert_eq!(err.code(), "malformed");
    assert_eq!(
        verify_receipt(b"\xff", office.public_key())
            .unwrap_err()
            .code(),
        "malformed"
    );

    // Only the office's minisign key signs receipts.
    assert_eq!(
        sign_receipt(&receipt(Decision::Accepted), &keys().unit_sm2)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}
