//! Messages on the wire (JSON). A [`Change`] carries what the hub may see in clear (unit, series,
//! sequence, kind, document and revision ids) and a payload that, for unit-internal kinds, only
//! the unit's own PCs can decrypt.

use serde::{Deserialize, Serialize};

/// What a change records. Unit-internal kinds are encrypted end to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A document revision (encrypted).
    DocRevision,
    /// A PC's age recipient, signed by its device key (clear: a public key).
    DeviceRecipient,
    /// A unit data key wrapped for the unit's PCs, signed by the device that made it (clear:
    /// only ciphertexts for the listed devices).
    UnitKey,
    /// A receipt the office signed for one of the unit's submissions (clear: meant for the
    /// unit, holds no personal data).
    Receipt,
    /// An interpretation package revision with its images (encrypted).
    PackageRevision,
    /// A publication event: stage move, sign-off, attribute, secrecy review, date, pause,
    /// conflict resolution (encrypted).
    PubEvent,
    /// A register message of the office for one unit (转办 of an application, the office's
    /// decision on the unit's draft reply): age-encrypted to the unit's enrolled PCs and signed
    /// by the office key inside, so the hub sees only the unit it is for.
    OfficeNote,
    /// A record of the unit's registers: an application, a consultation or one of its
    /// comments, a duty record, a year-end review, or a 冲突 ended (encrypted: it holds
    /// applicants' and commenters' personal data).
    UnitEvent,
}

impl ChangeKind {
    /// Whether the payload is encrypted with the unit data key.
    pub fn is_encrypted(self) -> bool {
        matches!(
            self,
            ChangeKind::DocRevision
                | ChangeKind::PackageRevision
                | ChangeKind::PubEvent
                | ChangeKind::UnitEvent
        )
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::DocRevision => "doc_revision",
            ChangeKind::DeviceRecipient => "device_recipient",
            ChangeKind::UnitKey => "unit_key",
            ChangeKind::Receipt => "receipt",
            ChangeKind::PackageRevision => "package_revision",
            ChangeKind::PubEvent => "pub_event",
            ChangeKind::OfficeNote => "office_note",
            ChangeKind::UnitEvent => "unit_event",
        }
    }
}

/// One change: written once by one series of one PC, never altered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Unique id (UUIDv7), the idempotency key.
    pub change_id: String,
    /// The unit (code) whose records this is.
    pub unit_id: String,
    /// The writing series: `<device id>/<stream>`; only its PC writes it.
    pub series: String,
    /// 1, 2, 3, … within the series, without gaps.
    pub seq: i64,
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev_id: Option<String>,
    /// The revisions this one descends from (parent first, then merged leaves).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<String>,
    /// The unit data key the payload is encrypted with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_version: Option<String>,
    /// Base64: ciphertext (nonce ‖ sealed) for encrypted kinds, else JSON.
    pub payload: String,
    /// When the PC wrote it (informative; never used for order).
    pub created_at: String,
}

/// A batch of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

/// What the hub did with one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Applied,
    /// Stored before (a retry): the first answer again.
    Duplicate,
    /// Stored, and the document now has more than one leaf: 冲突.
    Conflict,
}

/// The answer for one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushAck {
    pub change_id: String,
    pub server_seq: i64,
    pub status: PushStatus,
}

/// The answer for a batch: one ack per change, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub acks: Vec<PushAck>,
}

/// One entry of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    pub server_seq: i64,
    pub change: Change,
}

/// A page of the feed, in `server_seq` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub entries: Vec<FeedEntry>,
    /// Pass as `since` for the next page.
    pub next_since: i64,
    /// More entries wait after this page.
    pub more: bool,
    /// The newest key list the office pushed, for the PC to verify itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_list: Option<crate::SignedKeyList>,
}

/// Where a series stands on the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesHead {
    pub series: String,
    pub last_seq: i64,
}

/// A submission as it arrived on the hub (metadata; the bytes are fetched separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionMeta {
    pub submission_id: String,
    pub unit_id: String,
    pub sha256: String,
    pub size: i64,
    pub server_seq: i64,
    pub received_at: String,
}

/// The answer to a submission upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPut {
    pub submission_id: String,
    pub server_seq: i64,
    /// True when the same bytes had arrived before.
    pub duplicate: bool,
}

/// A refusal: a stable code for programs and a Chinese message for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// The hub's health answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub protocol: String,
    pub backend: String,
    pub key_list_version: Option<u64>,
}
