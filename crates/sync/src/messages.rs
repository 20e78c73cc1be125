//! The payloads of the changes: a revision (sealed), and the two key messages each signed by
//! the device key that wrote them, so a PC trusts a recipient or a wrapped unit key only when a
//! key the office listed for its unit signed it — never on the hub's word.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use gongkai_bundle::{verify_message, Algorithm, Signer};
use gongkai_core::{DocFields, RevId, RevisionMeta};
use gongkai_sync_proto::{KeyList, ListedState};
use serde::{Deserialize, Serialize};

/// A revision as it travels (inside the sealed payload).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevisionPayload {
    pub unit_id: String,
    pub doc_created_by: String,
    pub doc_created_at: DateTime<Utc>,
    pub meta: RevisionMeta,
    #[serde(default)]
    pub merges: Vec<RevId>,
    pub fields: DocFields,
}

/// A PC's age recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientBody {
    pub unit_id: String,
    pub key_id: String,
    pub device_id: String,
    pub recipient: String,
}

/// Wraps of one unit data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitKeyBody {
    pub unit_id: String,
    pub key_version: String,
    /// The signing key of the PC that wrapped.
    pub created_by: String,
    /// (key id of the PC it is for, base64 age file).
    pub wraps: Vec<(String, String)>,
}

/// A body with its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The body's JSON text, signed as is.
    pub body: String,
    pub key_id: String,
    pub signature: String,
}

const COMMENT: &str = "gongkai sync key message";

impl Signed {
    /// Signs `body` with this PC's key.
    pub fn sign<T: Serialize>(body: &T, signer: &Signer) -> Result<Signed, String> {
        let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
        let sig = signer
            .sign_message(text.as_bytes(), COMMENT)
            .map_err(|e| e.to_string())?;
        Ok(Signed {
            body: text,
            key_id: signer.key_id().to_string(),
            signature: B64.encode(sig),
        })
    }

    /// Verifies against the office's key list: the signer must be listed for `unit_id` and
    /// not revoked. Returns the body.
    pub fn open<T: for<'de> Deserialize<'de>>(
        &self,
        list: &KeyList,
        unit_id: &str,
    ) -> Result<T, String> {
        let key = list
            .key(&self.key_id)
            .ok_or_else(|| format!("密钥 {} 不在指挥中心的密钥清单中", self.key_id))?;
        if key.unit_id != unit_id {
            return Err(format!("密钥 {} 不属于本单位", self.key_id));
        }
        if key.state == ListedState::Revoked {
            return Err(format!("密钥 {} 已被吊销", self.key_id));
        }
        let alg = Algorithm::parse(&key.algorithm).ok_or("未知的签名算法")?;
        let sig = B64.decode(&self.signature).map_err(|e| e.to_string())?;
        verify_message(alg, &key.public_key, self.body.as_bytes(), &sig)?;
        serde_json::from_str(&self.body).map_err(|e| e.to_string())
    }
}
