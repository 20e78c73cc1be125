//! End-to-end encryption for the unit's own PCs.
//!
//! Each PC has an age X25519 identity; its secret is stored only encrypted with the key
//! password (age's scrypt recipient). A unit data key (32 random bytes) is wrapped with age for
//! each of the unit's PCs. Payloads are sealed with XChaCha20-Poly1305 under the unit data key,
//! with the change's routing metadata as associated data, so the hub can neither read a payload
//! nor move it to another change.

use age::secrecy::ExposeSecret;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use gongkai_sync_proto::Change;
use std::io::{Read, Write};
use std::str::FromStr;

/// A unit data key.
#[derive(Clone, PartialEq, Eq)]
pub struct UnitKey(pub [u8; 32]);

impl std::fmt::Debug for UnitKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnitKey(…)")
    }
}

impl UnitKey {
    /// 32 random bytes.
    pub fn generate() -> UnitKey {
        UnitKey(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }
}

/// Why a crypto step failed.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("密钥密码不对")]
    WrongPassword,
    #[error("{0}")]
    Bad(String),
}

fn bad(e: impl std::fmt::Display) -> CryptoError {
    CryptoError::Bad(e.to_string())
}

/// A new identity: (recipient string `age1…`, identity).
pub fn new_identity() -> (String, age::x25519::Identity) {
    let id = age::x25519::Identity::generate();
    (id.to_public().to_string(), id)
}

/// The identity's secret, encrypted with `password` (base64 of an age file).
pub fn seal_identity(
    identity: &age::x25519::Identity,
    password: &str,
    work_factor: u8,
) -> Result<String, CryptoError> {
    let mut r = age::scrypt::Recipient::new(age::secrecy::SecretString::from(password.to_string()));
    r.set_work_factor(work_factor);
    let secret = identity.to_string();
    let sealed = encrypt_to(&r, secret.expose_secret().as_bytes())?;
    Ok(B64.encode(sealed))
}

/// Opens a sealed identity.
pub fn open_identity(sealed: &str, password: &str) -> Result<age::x25519::Identity, CryptoError> {
    let bytes = B64.decode(sealed).map_err(bad)?;
    let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(password.to_string()));
    let plain = decrypt_with(&id, &bytes).map_err(|e| match e {
        CryptoError::Bad(_) => CryptoError::WrongPassword,
        other => other,
    })?;
    let text = String::from_utf8(plain).map_err(bad)?;
    age::x25519::Identity::from_str(text.trim()).map_err(bad)
}

fn encrypt_to(r: &dyn age::Recipient, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let enc = age::Encryptor::with_recipients(std::iter::once(r)).map_err(bad)?;
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).map_err(bad)?;
    w.write_all(plain).map_err(bad)?;
    w.finish().map_err(bad)?;
    Ok(out)
}

fn decrypt_with(id: &dyn age::Identity, bytes: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let dec = age::Decryptor::new(bytes).map_err(bad)?;
    let mut r = dec.decrypt(std::iter::once(id)).map_err(bad)?;
    let mut out = Vec::new();
    r.read_to_end(&mut out).map_err(bad)?;
    Ok(out)
}

/// The unit key wrapped for `recipient` (base64 of an age file).
pub fn wrap_key(key: &UnitKey, recipient: &str) -> Result<String, CryptoError> {
    let r = age::x25519::Recipient::from_str(recipient).map_err(bad)?;
    Ok(B64.encode(encrypt_to(&r, &key.0)?))
}

/// Unwraps a unit key with this PC's identity.
pub fn unwrap_key(wrapped: &str, identity: &age::x25519::Identity) -> Result<UnitKey, CryptoError> {
    let bytes = B64.decode(wrapped).map_err(bad)?;
    let plain = decrypt_with(identity, &bytes)?;
    let arr: [u8; 32] = plain
        .try_into()
        .map_err(|_| CryptoError::Bad("单位数据密钥长度不对".into()))?;
    Ok(UnitKey(arr))
}

/// `plain` encrypted for several PCs at once (base64 of an age file with one stanza per
/// recipient): how the office seals a register message for a unit's enrolled PCs.
pub fn seal_for(recipients: &[String], plain: &[u8]) -> Result<String, CryptoError> {
    let parsed = recipients
        .iter()
        .map(|r| age::x25519::Recipient::from_str(r).map_err(bad))
        .collect::<Result<Vec<_>, _>>()?;
    if parsed.is_empty() {
        return Err(CryptoError::Bad("没有可加密给的电脑".into()));
    }
    let enc = age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
        .map_err(bad)?;
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).map_err(bad)?;
    w.write_all(plain).map_err(bad)?;
    w.finish().map_err(bad)?;
    Ok(B64.encode(out))
}

/// Opens what [`seal_for`] made, with this PC's identity.
pub fn open_sealed_for(
    sealed: &str,
    identity: &age::x25519::Identity,
) -> Result<Vec<u8>, CryptoError> {
    let bytes = B64.decode(sealed.trim()).map_err(bad)?;
    decrypt_with(identity, &bytes)
}

/// The associated data of a change: everything in clear but the payload.
pub fn associated_data(c: &Change) -> Vec<u8> {
    format!(
        "gongkai-change-1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        c.change_id,
        c.unit_id,
        c.series,
        c.seq,
        c.kind.as_str(),
        c.doc_id.as_deref().unwrap_or(""),
        c.rev_id.as_deref().unwrap_or(""),
        c.parents.join(","),
        c.key_version.as_deref().unwrap_or(""),
    )
    .into_bytes()
}

/// Seals `plain` for `change` (whose payload it becomes): base64(nonce ‖ ciphertext).
pub fn seal(key: &UnitKey, change: &Change, plain: &[u8]) -> Result<String, CryptoError> {
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = associated_data(change);
    let ct = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .map_err(|_| CryptoError::Bad("加密失败".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(B64.encode(out))
}

/// Opens a sealed payload; fails if the payload or any routing field was altered.
pub fn open(key: &UnitKey, change: &Change) -> Result<Vec<u8>, CryptoError> {
    let bytes = B64.decode(&change.payload).map_err(bad)?;
    if bytes.len() < 24 + 16 {
        return Err(CryptoError::Bad("密文太短".into()));
    }
    let (nonce, ct) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let aad = associated_data(change);
    cipher
        .decrypt(nonce.into(), Payload { msg: ct, aad: &aad })
        .map_err(|_| CryptoError::Bad("密文校验失败（被改动或密钥不对）".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_sync_proto::ChangeKind;

    fn change() -> Change {
        Change {
            change_id: "c1".into(),
            unit_id: "zazd".into(),
            series: "dev/main".into(),
            seq: 1,
            kind: ChangeKind::DocRevision,
            doc_id: Some("d".into()),
            rev_id: Some("r".into()),
            parents: vec![],
            key_version: Some("k1".into()),
            payload: String::new(),
            created_at: "2026-12-04T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_payload_opens_only_with_its_key_and_its_metadata() {
        let key = UnitKey::generate();
        let mut c = change();
        c.payload = seal(&key, &c, "张三 13812345678".as_bytes()).unwrap();
        assert_eq!(open(&key, &c).unwrap(), "张三 13812345678".as_bytes());
        assert!(!c.payload.contains("张三"));
        assert!(open(&UnitKey::generate(), &c).is_err());
        let mut moved = c.clone();
        moved.doc_id = Some("other".into());
        assert!(
            open(&key, &moved).is_err(),
            "the hub cannot move a payload to another document"
        );
        let mut other_unit = c.clone();
        other_unit.unit_id = "jjzd".into();
        assert!(open(&key, &other_unit).is_err());
    }

    #[test]
    fn a_message_sealed_for_several_pcs_opens_on_each_and_on_no_other() {
        let (ra, a) = new_identity();
        let (rb, b) = new_identity();
        let (_, c) = new_identity();
        let sealed = seal_for(&[ra, rb], "张三的申请".as_bytes()).unwrap();
        assert_eq!(
            open_sealed_for(&sealed, &a).unwrap(),
            "张三的申请".as_bytes()
        );
        assert_eq!(
            open_sealed_for(&sealed, &b).unwrap(),
            "张三的申请".as_bytes()
        );
        assert!(open_sealed_for(&sealed, &c).is_err());
        assert!(!B64
            .decode(&sealed)
            .unwrap()
            .windows(6)
            .any(|w| w == "张三".as_bytes()));
        assert!(seal_for(&[], b"x").is_err());
        assert!(seal_for(&["not-a-key".into()], b"x").is_err());
    }

    #[test]
    fn a_wrapped_key_opens_only_for_its_recipient_and_the_identity_only_with_the_password() {
        let (rcpt, id) = new_identity();
        let (_, stranger) = new_identity();
        let key = UnitKey::generate();
        let w = wrap_key(&key, &rcpt).unwrap();
        assert_eq!(unwrap_key(&w, &id).unwrap(), key);
        assert!(unwrap_key(&w, &stranger).is_err());
        let sealed = seal_identity(&id, "correct horse", 10).unwrap();
        let back = open_identity(&sealed, "correct horse").unwrap();
        assert_eq!(back.to_public().to_string(), rcpt);
        assert!(matches!(
            open_identity(&sealed, "wrong"),
            Err(CryptoError::WrongPassword)
        ));
    }
}
