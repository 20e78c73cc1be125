//! Revisions and document summaries: every save is an immutable revision with a parent, an author,
//! a device, a time and a content hash; a document points at its head revision.

use crate::document::{DocFields, DocStatus};
use crate::ids::{ClerkId, DeviceId, DocId, RevId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The metadata of one saved revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RevisionMeta {
    pub rev_id: RevId,
    pub doc_id: DocId,
    /// The revision this one was made from; `None` for the first.
    pub parent_rev_id: Option<RevId>,
    /// 1 for the first revision, parent's + 1 after.
    pub rev_no: u32,
    pub author_id: ClerkId,
    pub author_name: String,
    pub device_id: DeviceId,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: DateTime<Utc>,
    /// SHA-256 of the content, see [`DocFields::content_hash`].
    pub content_sha256: String,
    /// When this revision restored an older one: that revision.
    pub restored_from: Option<RevId>,
}

/// A revision with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Revision {
    pub meta: RevisionMeta,
    pub fields: DocFields,
}

/// A document as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DocSummary {
    pub doc_id: DocId,
    pub unit_id: String,
    pub title: String,
    pub doc_number: String,
    pub status: DocStatus,
    pub head_rev_id: RevId,
    pub rev_count: u32,
    pub created_by: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated_at: DateTime<Utc>,
    /// Set while the document is in the recycle bin.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// One document found by a search, with a snippet of where the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SearchHit {
    pub doc: DocSummary,
    /// A short excerpt around the first match (the title when it matched there).
    pub snippet: String,
    /// `[start, end)` in code points of `snippet` for every matched term.
    pub highlights: Vec<(u32, u32)>,
}
