//! The office's signed key list: which device keys belong to which unit and in which state.
//! The office makes it from its trust store and signs it with the key the units pin; the hub
//! accepts a list only if that signature verifies and its version is newer, and each PC checks
//! the signature again before it trusts a device of its own unit.

use base64::Engine;
use gongkai_bundle::{verify_message, Algorithm, Signer};
use serde::{Deserialize, Serialize};

const COMMENT: &str = "gongkai key list";

/// A key's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedState {
    /// Reads and writes.
    Active,
    /// Replaced by a newer key: still reads, writes nothing.
    Retired,
    /// Does nothing.
    Revoked,
}

/// One device key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedKey {
    pub unit_id: String,
    pub key_id: String,
    /// `minisign-ed25519` or `sm2-sm3`.
    pub algorithm: String,
    pub public_key: String,
    pub device_id: String,
    pub state: ListedState,
}

/// The list as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    /// Grows with every change of the office's trust store.
    pub version: u64,
    pub issued_at: String,
    /// The office key that signed it.
    pub office_key_id: String,
    pub keys: Vec<ListedKey>,
}

/// The list's JSON text and the office's signature over exactly those bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedKeyList {
    pub list: String,
    /// Base64 of the detached signature.
    pub signature: String,
}

/// Why a key list is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyListError {
    /// The signature does not verify with the office key.
    BadSignature(String),
    /// The list is not valid JSON of the expected shape.
    Malformed(String),
}

impl std::fmt::Display for KeyListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyListError::BadSignature(why) => {
                write!(f, "密钥清单的签名无法用指挥中心公钥验证：{why}")
            }
            KeyListError::Malformed(why) => write!(f, "密钥清单格式不对：{why}"),
        }
    }
}

impl std::error::Error for KeyListError {}

impl SignedKeyList {
    /// Sign `list` with the office key.
    pub fn sign(list: &KeyList, office: &Signer) -> Result<SignedKeyList, String> {
        let text = serde_json::to_string(list).map_err(|e| e.to_string())?;
        Ok(SignedKeyList {
            signature: sign_text(&text, office, COMMENT)?,
            list: text,
        })
    }

    /// Verify with the office's minisign public key and parse.
    pub fn verify(&self, office_public_key: &str) -> Result<KeyList, KeyListError> {
        verify_text(&self.list, &self.signature, office_public_key).map_err(|e| match e {
            TextError::Encoding => KeyListError::Malformed("签名不是 base64".into()),
            TextError::Signature(why) => KeyListError::BadSignature(why),
        })?;
        serde_json::from_str(&self.list).map_err(|e| KeyListError::Malformed(e.to_string()))
    }
}

/// Why a signed text did not verify.
pub(crate) enum TextError {
    Encoding,
    Signature(String),
}

/// The office's signature (base64) over a text.
pub(crate) fn sign_text(text: &str, office: &Signer, comment: &str) -> Result<String, String> {
    let sig = office
        .sign_message(text.as_bytes(), comment)
        .map_err(|e| e.to_string())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(sig))
}

/// Checks the office's signature (base64) over a text.
pub(crate) fn verify_text(
    text: &str,
    signature: &str,
    office_public_key: &str,
) -> Result<(), TextError> {
    let sig = base64::engine::general_purpose::STANDARD
        .decode(signature.as_bytes())
        .map_err(|_| TextError::Encoding)?;
    verify_message(
        Algorithm::MinisignEd25519,
        office_public_key,
        text.as_bytes(),
        &sig,
    )
    .map_err(TextError::Signature)
}

impl KeyList {
    /// The entry for `key_id`.
    pub fn key(&self, key_id: &str) -> Option<&ListedKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_verifies_only_with_the_office_key_and_unaltered() {
        let office = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        let list = KeyList {
            version: 3,
            issued_at: "2026-12-04T10:00:00Z".into(),
            office_key_id: office.key_id().into(),
            keys: vec![ListedKey {
                unit_id: "zazd".into(),
                key_id: "AAAA".into(),
                algorithm: "minisign-ed25519".into(),
                public_key: "x".into(),
                device_id: "d".into(),
                state: ListedState::Active,
            }],
        };
        let signed = SignedKeyList::sign(&list, &office).unwrap();
        assert_eq!(signed.verify(office.public_key()).unwrap(), list);
        let other = Signer::ephemeral(Algorithm::MinisignEd25519).unwrap();
        assert!(matches!(
            signed.verify(other.public_key()),
            Err(KeyListError::BadSignature(_))
        ));
        let mut forged = signed.clone();
        forged.list = forged.list.replace("active", "retired");
        assert!(matches!(
            forged.verify(office.public_key()),
            Err(KeyListError::BadSignature(_))
        ));
    }
}
