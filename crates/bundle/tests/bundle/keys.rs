//! Device keys: password protection, wrong passwords, enrolment requests.

use crate::support::*;
use gongkai_bundle::{Algorithm, BundleError, DeviceKey, EnrolmentRequest, Signer};

#[test]
fn sm2_device_key_round_trip_and_wrong_password() {
    let key = DeviceKey::generate(Algorithm::Sm2Sm3, "口令-甲").unwrap();
    assert_eq!(key.key_id.len(), 16);
    assert!(key.public_key.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(key.secret_box.contains("xchacha20poly1305"));
    let signer = key.unlock("口令-甲").unwrap();
    assert_eq!(signer.key_id(), key.key_id);
    assert_eq!(signer.fingerprint(), key.fingerprint);
    let err = key.unlock("口令-乙").unwrap_err();
    assert_eq!(err, BundleError::WrongPassword);
    assert_eq!(err.code(), "wrong_password");
    assert!(err.to_string().contains("密码不正确"), "{err}");

    // A changed box is refused, never silently accepted.
    let tampered = key.secret_box.replace("\"log_n\": 15", "\"log_n\": 30");
    let err = Signer::unlock(Algorithm::Sm2Sm3, &tampered, "口令-甲").unwrap_err();
    assert_eq!(err.code(), "bad_key", "{err}");
    let err = Signer::unlock(Algorithm::Sm2Sm3, "not json", "口令-甲").unwrap_err();
    assert_eq!(err.code(), "bad_key");
}

#[test]
fn minisign_device_key_wrong_password() {
    let key = DeviceKey::generate(Algorithm::MinisignEd25519, "pw-one").unwrap();
    assert_eq!(
        key.unlock("pw-two").unwrap_err(),
        BundleError::WrongPassword
    );
    let err = Signer::unlock(Algorithm::MinisignEd25519, "garbage", "pw-one").unwrap_err();
    assert_eq!(err.code(), "bad_key");
    assert_eq!(
        DeviceKey::generate(Algorithm::MinisignEd25519, "")
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

#[test]
fn enrolment_requests_verify_and_detect_changes() {
    let k = keys();
    for signer in [&k.unit, &k.unit_sm2] {
        let req =
            EnrolmentRequest::new(signer, UNIT, "zazd-pc-01", "王晓燕", received_at()).unwrap();
        req.verify().unwrap();
        assert_eq!(req.key_id, signer.key_id());
        assert_eq!(req.fingerprint, signer.fingerprint());

        let round = EnrolmentRequest::from_json(req.to_json().unwrap().as_bytes()).unwrap();
        round.verify().unwrap();

        let mut changed = req.clone();
        changed.unit_code = OTHER_UNIT.to_string();
        assert_eq!(changed.verify().unwrap_err().code(), "bad_signature");

        let mut changed = req.clone();
        changed.clerk = "李四".to_string();
        assert_eq!(changed.verify().unwrap_err().code(), "bad_signature");

        // Someone else's public key with this signature.
        let mut changed = req.clone();
        changed.public_key = k.other_unit.public_key().to_string();
        assert!(changed.verify().is_err());

        // A request signed by a different key than it enrols.
        let mut forged =
            EnrolmentRequest::new(&k.unenrolled, UNIT, "zazd-pc-01", "王晓燕", received_at())
                .unwrap();
        forged.public_key = req.public_key.clone();
        forged.key_id = req.key_id.clone();
        forged.fingerprint = req.fingerprint.clone();
        forged.algorithm = req.algorithm;
        assert_eq!(forged.verify().unwrap_err().code(), "bad_signature");
    }
    assert!(EnrolmentRequest::from_json(b"{").is_err());
    assert_eq!(
        EnrolmentRequest::new(&k.unit, "bad unit!", "d", "c", received_at())
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

#[test]
fn signer_debug_hides_the_secret() {
    let s = format!("{:?}", keys().unit);
    assert!(s.contains("key_id") && !s.contains("sk"), "{s}");
}
