//! Requests and responses of the API, exported to TypeScript (`ui/src/bindings/`).

use crate::ApiError;
use gongkai_core::{
    Clerk, DocFields, DocSummary, FieldIssue, Paragraph, Revision, RevisionMeta, Unit,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A loaded seed dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SeedVersion {
    pub name: String,
    pub version: u32,
    pub sha256: String,
}

/// What the window needs at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub setup_needed: bool,
    pub clerk: Option<Clerk>,
    pub unit: Option<Unit>,
    pub data_dir: String,
    pub db_path: String,
    /// Where exports and printed forms go when no path is given.
    pub export_dir: String,
    pub schema_version: u32,
    pub seeds: Vec<SeedVersion>,
    /// Set when the database cannot be used; the window shows it instead of the app.
    pub open_error: Option<ApiError>,
    /// A unit's PC, or the central office's.
    pub role: crate::Role,
    /// Something to tell the clerk once at start (the data folder was moved to this PC).
    #[ts(optional)]
    #[serde(default)]
    pub notice: Option<String>,
}

/// First-run setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupRequest {
    pub unit_id: String,
    pub clerk_name: String,
    /// `unit` (default) or `office` (指挥中心网上公安办公室).
    #[serde(default)]
    pub role: crate::Role,
}

/// Create a document, optionally with content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateDocRequest {
    #[ts(optional)]
    pub fields: Option<DocFields>,
}

/// List documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListRequest {
    /// The recycle bin instead of the live documents.
    #[serde(default)]
    pub in_bin: bool,
}

/// Names a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocRef {
    pub doc_id: String,
}

/// Names a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevRef {
    pub rev_id: String,
}

/// A document at its head revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocView {
    pub summary: DocSummary,
    pub head: RevisionMeta,
    pub fields: DocFields,
    pub issues: Vec<FieldIssue>,
    pub paragraphs: Vec<Paragraph>,
}

/// Save the fields on top of `base_rev_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveRequest {
    pub doc_id: String,
    pub base_rev_id: String,
    pub fields: DocFields,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveResponse {
    /// False when the content equalled the head's and nothing was written.
    pub saved: bool,
    /// The head after the save: the base of the next save.
    pub head: RevisionMeta,
    pub issues: Vec<FieldIssue>,
    pub paragraphs: Vec<Paragraph>,
}

/// Issues and paragraph levels of unsaved fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldsCheck {
    pub issues: Vec<FieldIssue>,
    pub paragraphs: Vec<Paragraph>,
}

/// One revision with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionView {
    pub revision: Revision,
    pub paragraphs: Vec<Paragraph>,
}

/// Restore `rev_id` of `doc_id`, on top of the head `base_rev_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreRequest {
    pub doc_id: String,
    pub base_rev_id: String,
    pub rev_id: String,
}

/// Search titles and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchRequest {
    pub query: String,
    #[ts(optional)]
    pub limit: Option<u32>,
}
