//! [`Submission`]: the machine-readable description of a publication, written to
//! `data/submission.json`. A plain data struct: the caller (the API crate) fills it from the
//! store; [`crate::build_bundle`] only fills [`Submission::files`] from the payload.
//!
//! Privacy: [`DeidSummary`] carries counts per kind, the reviewer and the time — never an
//! original value or its replacement (those stay in the unit's local database).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The version of the `submission.json` schema this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// One publication as sent to the central office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Unique per submission (UUIDv7); the bag's External-Identifier and folder name.
    pub submission_id: Uuid,
    /// The unit's short code (ASCII letters, digits, `-`, `_`), e.g. `zazd`.
    pub unit_code: String,
    /// The unit's name, e.g. 治安支队.
    pub unit_name: String,
    /// The clerk who sends it.
    pub clerk: String,
    /// The device (clerk PC) whose key signs the bag.
    pub device_id: String,
    /// The policy document.
    pub doc_id: Uuid,
    /// The document revision sent.
    pub doc_rev_id: Uuid,
    /// SHA-256 (hex) of that revision's content as stored.
    pub doc_content_sha256: String,
    /// The document's title.
    pub title: String,
    /// The interpretation package revision sent, if any.
    pub package_rev_id: Option<Uuid>,
    /// 公开属性: `active`, `on_request`, `withheld` or `partial`.
    pub attribute: String,
    /// The legal grounds cited (ids from the regulation dataset).
    pub grounds: Vec<String>,
    /// The written reason, where the attribute needs one.
    pub reason: Option<String>,
    /// The disclosure catalogue item id.
    pub catalog_item: Option<String>,
    /// Whether this document must be published with an interpretation (政策解读). When true, a
    /// payload file with role [`FileRole::InterpretationDocx`] must be present.
    pub needs_interpretation: bool,
    /// The interpretation forms used (`text`, `graphic`, `qa`, …).
    pub interpretation_forms: Vec<String>,
    /// The de-identification review: counts only.
    pub deid_report: DeidSummary,
    /// The sign-off (签发) of the exact (document revision, package revision) pair.
    pub signoff: Signoff,
    /// The document's deadlines as computed when the bag was made.
    pub deadlines: Vec<DeadlineEntry>,
    /// When the submission was made (passed in; the crate reads no clock).
    pub created_at: DateTime<Utc>,
    /// The payload files other than `submission.json`, sorted by path. Filled by
    /// [`crate::build_bundle`]; whatever the caller puts here is replaced.
    pub files: Vec<FileEntry>,
    /// The public consultation the document went through (征求意见), with its feedback, when it
    /// had one. Absent in bundles made before consultations were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation: Option<ConsultationSummary>,
}

/// A document's consultation as the office sees it: the window, counts per topic and the
/// feedback (采纳情况) as published, de-identified. No comment's text and no commenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Calendar days, both ends counted.
    pub days: u32,
    /// Why the window was shorter than 30 days, where it was.
    pub short_reason: Option<String>,
    /// Comments received.
    pub comments: u32,
    pub groups: Vec<TopicSummary>,
    /// The feedback, de-identified.
    pub feedback: String,
    /// Who confirmed the feedback's de-identification, when.
    pub confirmed_by: String,
    pub confirmed_at: DateTime<Utc>,
}

/// The comments on one topic, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSummary {
    pub topic: String,
    pub total: u32,
    pub adopted: u32,
    pub partly: u32,
    pub not_adopted: u32,
}

/// The de-identification review, as counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeidSummary {
    /// Findings accepted per kind (e.g. `id_card` → 2).
    pub counts: BTreeMap<String, u32>,
    /// Who reviewed them.
    pub reviewer: String,
    /// When.
    pub reviewed_at: DateTime<Utc>,
    /// The version of the de-identification policy applied.
    pub policy_version: String,
    /// The images of the interpretation confirmed in the review (by the SHA-256 of the image as
    /// bundled); absent in bundles made before images were reviewed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images_reviewed: Vec<ImageReview>,
}

/// One image confirmed as free of personal information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageReview {
    pub sha256: String,
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
}

/// The sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signoff {
    /// Who signed off (签发人).
    pub signer: String,
    /// On which day.
    pub signed_on: NaiveDate,
    /// The opinion written.
    pub opinion: String,
    /// The document revision signed off.
    pub doc_rev_id: Uuid,
    /// The interpretation package revision signed off, if any.
    pub package_rev_id: Option<Uuid>,
}

/// One deadline of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineEntry {
    /// The rule's number in the deadline table.
    pub rule_id: u32,
    /// What must be done, in Chinese.
    pub what: String,
    /// The due date, once the trigger event happened.
    pub due: Option<NaiveDate>,
    /// `waiting`, `running`, `overdue`, `done` or `done_late`.
    pub state: String,
}

/// One payload file, as listed in `submission.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path under `data/`, with `/` separators, e.g. `images/fig1.png`.
    pub path: String,
    /// What the file is.
    pub role: FileRole,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// What a payload file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The policy document, GB/T 9704 `.docx`.
    PolicyDocx,
    /// The interpretation (政策解读) `.docx`.
    InterpretationDocx,
    /// An image of the interpretation (图解).
    Image,
    /// A review form (审签单, 保密审查表…) as PDF.
    FormPdf,
}
