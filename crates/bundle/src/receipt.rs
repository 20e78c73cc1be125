//! The office's signed receipt (回执): accepted, returned with reasons, or published.
//!
//! One JSON file with the signature embedded as its member `signature`: a minisign signature
//! file (text) made with the office key over the canonical JSON of every other member (keys
//! sorted, compact; see the `canonical` module). Its trusted comment is
//! `gongkai-receipt v1 submission=<id> decision=<kind> key=<KEYID>`.
//!
//! An outside check needs only standard tools:
//! ```sh
//! jq -cSj 'del(.signature)' receipt.json > receipt.msg
//! jq -j .signature receipt.json > receipt.msg.minisig
//! minisign -V -P <office public key> -m receipt.msg
//! ```
//! The office key is minisign only (it is pinned in the app's configuration).

use crate::bag::check_unit_code;
use crate::canonical;
use crate::error::BundleError;
use crate::keys::{Algorithm, PublicKey, Signer};
use crate::verify::Reason;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

const RECEIPT_FORMAT: &str = "gongkai-receipt-v1";
const MAX_RECEIPT_BYTES: usize = 1 << 20;

/// A receipt for one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// `gongkai-receipt-v1` (set by [`sign_receipt`]).
    pub format: String,
    /// This receipt's id.
    pub receipt_id: Uuid,
    /// The submission it answers.
    pub submission_id: Uuid,
    /// The submitting unit.
    pub unit_code: String,
    /// The content hash of the bundle received ([`crate::Verdict::content_sha256`]).
    pub content_sha256: String,
    /// What the office decided.
    pub decision: Decision,
    /// When (passed in).
    pub decided_at: DateTime<Utc>,
    /// The office key that signs the receipt (set by [`sign_receipt`]).
    pub office_key_id: String,
}

/// The office's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Received and accepted for review.
    Accepted,
    /// Sent back, with the reasons.
    Returned {
        /// Why (verification reason codes, or the reviewer's own).
        reasons: Vec<ReceiptReason>,
    },
    /// Published.
    Published {
        /// On which day.
        published_on: NaiveDate,
        /// Where.
        url: String,
    },
}

impl Decision {
    /// `accepted`, `returned` or `published`.
    pub fn kind(&self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Returned { .. } => "returned",
            Decision::Published { .. } => "published",
        }
    }
}

/// One reason a submission was returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptReason {
    /// A stable code: a [`crate::ReasonCode`] name, or the office's own.
    pub code: String,
    /// The text for the clerk.
    pub message: String,
}

impl From<&Reason> for ReceiptReason {
    fn from(r: &Reason) -> Self {
        ReceiptReason {
            code: r.code.as_str().to_string(),
            message: r.message.clone(),
        }
    }
}

fn trusted_comment(r: &Receipt) -> String {
    format!(
        "gongkai-receipt v1 submission={} decision={} key={}",
        r.submission_id,
        r.decision.kind(),
        r.office_key_id
    )
}

/// Sign `receipt` with the office key (minisign). `format` and `office_key_id` are set from
/// the signer. Returns the receipt file (pretty JSON, UTF-8).
pub fn sign_receipt(receipt: &Receipt, office: &Signer) -> Result<Vec<u8>, BundleError> {
    if office.algorithm() != Algorithm::MinisignEd25519 {
        return Err(BundleError::InvalidInput(
            "回执须用指挥中心的 minisign 密钥签名".to_string(),
        ));
    }
    check_unit_code(&receipt.unit_code)?;
    if receipt.content_sha256.len() != 64
        || !receipt
            .content_sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
    {
        return Err(BundleError::InvalidInput(
            "回执中的内容校验值应为 64 位十六进制 SHA-256".to_string(),
        ));
    }
    let mut r = receipt.clone();
    r.format = RECEIPT_FORMAT.to_string();
    r.office_key_id = office.key_id().to_string();
    let mut value =
        serde_json::to_value(&r).map_err(|e| BundleError::InvalidInput(e.to_string()))?;
    let msg = canonical::signed_bytes(&value);
    let sig = office.sign_detached(&msg, &trusted_comment(&r))?;
    let sig = String::from_utf8(sig).map_err(|e| BundleError::Signing(e.to_string()))?;
    if let Value::Object(map) = &mut value {
        map.insert("signature".to_string(), Value::String(sig));
    }
    serde_json::to_vec_pretty(&value).map_err(|e| BundleError::InvalidInput(e.to_string()))
}

/// Check a receipt file against the office's public key (minisign base64 line or `.pub`
/// file) and return it. Any change to any member is [`BundleError::BadSignature`].
pub fn verify_receipt(bytes: &[u8], office_public_key: &str) -> Result<Receipt, BundleError> {
    if bytes.len() > MAX_RECEIPT_BYTES {
        return Err(BundleError::Malformed("回执文件过大".to_string()));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| BundleError::Malformed("回执不是有效的 JSON".to_string()))?;
    let signature = value
        .get("signature")
        .and_then(Value::as_str)
        .ok_or_else(|| BundleError::Malformed("回执缺少签名".to_string()))?
        .to_string();
    let pk = PublicKey::parse(Algorithm::MinisignEd25519, office_public_key)
        .map_err(BundleError::BadKey)?;
    let msg = canonical::signed_bytes(&value);
    let comment = pk
        .verify_detached(&msg, signature.as_bytes())
        .map_err(BundleError::BadSignature)?;
    let mut body = value;
    if let Value::Object(map) = &mut body {
        map.remove("signature");
    }
    let receipt: Receipt = serde_json::from_value(body)
        .map_err(|e| BundleError::Malformed(format!("回执内容不完整（{e}）")))?;
    if receipt.format != RECEIPT_FORMAT {
        return Err(BundleError::Malformed(format!(
            "回执格式版本“{}”不受支持",
            receipt.format
        )));
    }
    if receipt.office_key_id != pk.key_id() {
        return Err(BundleError::BadSignature(
            "回执中的签发密钥编号与公钥不符".to_string(),
        ));
    }
    if comment.as_deref() != Some(trusted_comment(&receipt).as_str()) {
        return Err(BundleError::BadSignature(
            "回执签名的可信注释与回执内容不符".to_string(),
        ));
    }
    Ok(receipt)
}
