//! The one boundary the desktop shell and the `gongkai` CLI call.
//!
//! Requests and responses are serialisable ([`dto`]) and exported to TypeScript with ts-rs
//! (`ui/src/bindings/`). Every failure reaches the caller as an [`ApiError`] `{code, message}`:
//! a stable [`ErrorCode`] for programs and a Chinese message that tells the clerk what to do next.
//! The store is opened once; if that fails (newer or damaged database), the [`Api`] still exists
//! and reports the failure from every call, so the window can say what happened.

mod conflicts;
mod consult;
pub mod datadir;
mod deadlines;
mod deid;
pub mod dto;
mod duties;
mod error;
mod exchange;
mod figures;
mod files;
mod media;
mod publication;
mod requests;
mod review;
mod sync;
mod transfer;
mod unit_records;

pub use conflicts::{
    package_lines, ConflictView, LeafView, PackageLeafView, RecordChoice, RecordConflictView,
    RecordLeafView, ResolveRequest,
};
pub use consult::{
    CommentView, ConsultCloseRequest, ConsultCommentRequest, ConsultDecideRequest,
    ConsultFeedbackRequest, ConsultImportRequest, ConsultKeepRequest, ConsultOpenRequest,
    ConsultStepView, ConsultView, FeedbackFinding, FeedbackView, WindowView,
};
pub use deadlines::{AddWorkdaysRequest, DeadlineRequest, DeadlineView, DueView};
pub use deid::{
    Decision, DeidApplied, DeidDecideRequest, DeidFinding, DeidImage, DeidImageRequest, DeidKept,
    DeidKind, DeidMarkRequest, DeidReport, DeidReview, KindCount,
};
pub use dto::*;
pub use duties::{
    DutiesRequest, DutyBoardView, DutyExportRequest, DutyPeriodRequest, DutyRecordRequest,
    DutyRowView,
};
pub use error::{ApiError, ErrorCode};
pub use exchange::{
    fingerprint_check, receipt_effect, BundleExportRequest, BundleExported, BundleFileView,
    BundleRewriteRequest, DecideRequest, Decided, ExchangeInfo, FileRequest, IntakeActions,
    IntakeConsultation, IntakeFiles, IntakeFilesRequest, IntakeReceived, IntakeView, KeyActions,
    KeyActivateRequest, KeyGenerateRequest, KeyRetireRequest, KeyRevokeRequest, KeyUseRequest,
    KeyView, OfficeKeyRequest, OfficeKeyView, PathRequest, ReasonView, ReceiptEffect,
    ReceiptImported, ReceiptView, Role, SubmissionView, TrustedKeyView, VerdictView,
};
pub use figures::{FiguresCollection, FiguresQueued, FiguresSendRequest, UnitFiguresView};
pub use files::{ExportRequest, FormRequest, ImportRequest, ImportView, WrittenFile};
/// The rules behind the workflow view, for the UI tests' recorded answers (`tests/ui_oracle.rs`).
pub use publication::{attribute_locked, transition_rule, workflow_rules, WorkflowRules};
pub use publication::{
    CalendarImportRequest, CalendarInfo, Choice, DisclosureOptions, DisclosureSetRequest,
    DisclosureView, EventRequest, ImageAddRequest, ImageData, ImageRef, LogEntry, ObligationView,
    PackageRevView, PackageSaveRequest, PackageView, PauseRequest, PauseView, SecrecyRecordRequest,
    SecrecyView, SignoffRequest, SignoffView, StepView, TransitionRequest, WorkflowView,
};
pub use requests::{
    AnnualReport, AnnualRequest, AppealView, DraftView, FigureView, OutcomeView, ReplyView,
    ReportCell, ReportExportRequest, ReportFigureRequest, ReportTextRequest, ReportTexts,
    RequestChangeRequest, RequestLetterRequest, RequestListRequest, RequestNewRequest, RequestView,
};
pub use review::{YearEndDecision, YearEndItem, YearEndRequest, YearEndView};
pub use sync::{
    BackgroundView, MediaExportRequest, MediaExported, MediaImportRequest, MediaImported,
    ReferenceImported, SyncConfigRequest, SyncNowRequest, SyncRun, SyncStatus,
};
pub use unit_records::{RenumberRequest, SerialUserView, UnitConflictView, UnitResolveRequest};

use gongkai_core::{
    classify_paragraph, clean_clerk_name, validate, Clerk, ClerkId, Clock, DocFields, DocId,
    IdSource, RevId, SystemClock, UuidV7Ids,
};
use gongkai_store::{NewDocument, SaveOutcome, SaveRevision, Store};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "gongkai.db";

/// Result alias for API calls.
pub type ApiResult<T> = Result<T, ApiError>;

/// The application behind the desktop window and the CLI.
pub struct Api {
    data_dir: PathBuf,
    store: Result<Mutex<Store>, ApiError>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    /// The scanner of the masking policy in force; replaced when a newer policy arrives.
    scanner: std::sync::RwLock<Arc<gongkai_deid::Scanner>>,
    /// The background sync while the clerk has turned it on (memory only).
    background: Mutex<Option<sync::Background>>,
    /// Something the clerk should read once at start (the data folder was moved).
    notice: Option<String>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

/// The data directory: `GONGKAI_DATA_DIR` if set, else the OS's local (never roaming) data
/// folder (Linux `$XDG_DATA_HOME/gongkai`, Windows `%LOCALAPPDATA%\gongkai\Gongkai\data`,
/// macOS `~/Library/Application Support/cn.gongkai.Gongkai`); see [`datadir`].
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GONGKAI_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    datadir::local_data_dir()
}

/// The de-identification policy loaded in the database (a newer one from the central office
/// replaces the shipped one through the seed mechanism), else the shipped default.
fn scanner_from(store: &Store) -> gongkai_deid::Scanner {
    let policy = store
        .seed_json("deid_policy")
        .ok()
        .and_then(|json| gongkai_deid::Policy::from_json(&json).ok())
        .unwrap_or_else(gongkai_deid::Policy::embedded);
    gongkai_deid::Scanner::new(policy)
}

impl Api {
    /// The scanner of the masking policy in force.
    pub(crate) fn scanner(&self) -> Arc<gongkai_deid::Scanner> {
        self.scanner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Takes up a masking policy that reference data just replaced (sync, media).
    pub(crate) fn reload_scanner(&self, store: &Store) {
        let fresh = Arc::new(scanner_from(store));
        *self.scanner.write().unwrap_or_else(|p| p.into_inner()) = fresh;
    }

    /// Opens the data directory with the real clock and UUIDv7 ids; a folder on a network
    /// share is refused (see [`datadir`]).
    pub fn open(data_dir: &Path) -> Self {
        if let Err(e) = datadir::refuse_network(data_dir) {
            return Self::unusable(data_dir, e);
        }
        Self::open_with(data_dir, Arc::new(SystemClock), Arc::new(UuidV7Ids))
    }

    /// An API whose data cannot be used: every call answers `err`, and the window shows it.
    pub fn unusable(data_dir: &Path, err: ApiError) -> Self {
        Api {
            data_dir: data_dir.to_path_buf(),
            store: Err(err),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UuidV7Ids),
            scanner: std::sync::RwLock::new(Arc::new(gongkai_deid::Scanner::default())),
            background: Mutex::new(None),
            notice: None,
        }
    }

    /// Adds a message the window shows once at start (e.g. the data folder was moved).
    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.notice = notice;
        self
    }

    /// Opens the data directory with the given clock and id source (tests pass fixed ones).
    pub fn open_with(data_dir: &Path, clock: Arc<dyn Clock>, ids: Arc<dyn IdSource>) -> Self {
        let path = data_dir.join(DB_FILE);
        let store = Store::open(&path, clock.now()).map_err(|e| ApiError::from_open(e, &path));
        let scanner = store
            .as_ref()
            .map_or_else(|_| gongkai_deid::Scanner::default(), scanner_from);
        Api {
            data_dir: data_dir.to_path_buf(),
            store: store.map(Mutex::new),
            clock,
            ids,
            scanner: std::sync::RwLock::new(Arc::new(scanner)),
            background: Mutex::new(None),
            notice: None,
        }
    }

    /// Wraps an already-open store (tests that need to shape the store first).
    pub fn with_store(
        data_dir: &Path,
        store: Store,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
    ) -> Self {
        Api {
            data_dir: data_dir.to_path_buf(),
            scanner: std::sync::RwLock::new(Arc::new(scanner_from(&store))),
            store: Ok(Mutex::new(store)),
            clock,
            ids,
            background: Mutex::new(None),
            notice: None,
        }
    }

    fn store(&self) -> ApiResult<MutexGuard<'_, Store>> {
        match &self.store {
            Ok(m) => Ok(m.lock().unwrap_or_else(|p| p.into_inner())),
            Err(e) => Err(e.clone()),
        }
    }

    fn store_mutex(&self) -> ApiResult<&Mutex<Store>> {
        match &self.store {
            Ok(m) => Ok(m),
            Err(e) => Err(e.clone()),
        }
    }

    fn clerk(store: &Store) -> ApiResult<Clerk> {
        store.current_clerk()?.ok_or_else(ApiError::setup_required)
    }

    /// What the window needs at start: whether first-run setup is due, who is working, where
    /// the data lives. An unusable database is reported in `open_error`, not as a failure.
    pub fn status(&self) -> AppStatus {
        let mut status = AppStatus {
            setup_needed: true,
            clerk: None,
            unit: None,
            data_dir: self.data_dir.display().to_string(),
            export_dir: self.export_dir().display().to_string(),
            db_path: self.data_dir.join(DB_FILE).display().to_string(),
            schema_version: 0,
            seeds: Vec::new(),
            open_error: None,
            role: Role::Unit,
            notice: self.notice.clone(),
        };
        let store = match self.store() {
            Ok(s) => s,
            Err(e) => {
                status.open_error = Some(e);
                return status;
            }
        };
        let read = |status: &mut AppStatus| -> ApiResult<()> {
            status.schema_version = store.schema_version()?;
            status.seeds = store
                .seed_versions()?
                .into_iter()
                .map(|(name, version, sha256)| SeedVersion {
                    name,
                    version,
                    sha256,
                })
                .collect();
            status.role = Self::role_in(&store)?;
            if let Some(clerk) = store.current_clerk()? {
                status.unit = store.unit(&clerk.unit_id).ok();
                status.clerk = Some(clerk);
                status.setup_needed = false;
            }
            Ok(())
        };
        if let Err(e) = read(&mut status) {
            status.open_error = Some(e);
        }
        status
    }

    /// The units a clerk can belong to.
    pub fn units(&self) -> ApiResult<Vec<gongkai_core::Unit>> {
        Ok(self.store()?.units()?)
    }

    /// First run: records the clerk and their unit.
    pub fn setup(&self, req: SetupRequest) -> ApiResult<Clerk> {
        let mut store = self.store()?;
        let name = clean_clerk_name(&req.clerk_name).map_err(ApiError::invalid)?;
        store.unit(&req.unit_id).map_err(|_| {
            ApiError::invalid("所选单位不在单位列表中，请从下拉列表中选择您所在的单位。")
        })?;
        let clerk = Clerk {
            id: ClerkId::new(self.ids.as_ref()),
            name,
            unit_id: req.unit_id,
            device_id: store.device_id(self.ids.as_ref())?,
        };
        store.add_clerk(&clerk, self.clock.now())?;
        store.set_setting("role", req.role.as_str())?;
        Ok(clerk)
    }

    fn view(store: &Store, doc_id: DocId) -> ApiResult<DocView> {
        let summary = store.document(doc_id)?;
        let head = store.revision(summary.head_rev_id)?;
        Ok(DocView {
            issues: validate(&head.fields),
            paragraphs: head
                .fields
                .body
                .iter()
                .map(|p| classify_paragraph(p))
                .collect(),
            summary,
            head: head.meta,
            fields: head.fields,
        })
    }

    /// Creates a document (empty unless `fields` are given), authored by the current clerk.
    pub fn doc_create(&self, req: CreateDocRequest) -> ApiResult<DocView> {
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let mut fields = req.fields.unwrap_or_default();
        if fields.issuing_authority.trim().is_empty() {
            fields.issuing_authority = store.unit(&clerk.unit_id)?.name;
        }
        let doc_id = DocId::new(self.ids.as_ref());
        store.create_document(NewDocument {
            doc_id,
            rev_id: RevId::new(self.ids.as_ref()),
            author: &clerk,
            fields: &fields,
            now: self.clock.now(),
        })?;
        Self::view(&store, doc_id)
    }

    /// The documents, most recently edited first (`in_bin`: those in the recycle bin).
    pub fn doc_list(&self, req: ListRequest) -> ApiResult<Vec<gongkai_core::DocSummary>> {
        Ok(self.store()?.list_documents(req.in_bin)?)
    }

    /// One document at its head revision, with its issues and paragraph levels.
    pub fn doc_get(&self, req: DocRef) -> ApiResult<DocView> {
        let store = self.store()?;
        Self::view(&store, parse_doc_id(&req.doc_id)?)
    }

    /// Saves the fields as a new revision on top of `base_rev_id` (autosave calls this).
    pub fn doc_save(&self, req: SaveRequest) -> ApiResult<SaveResponse> {
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let doc_id = parse_doc_id(&req.doc_id)?;
        let out = store
            .save_revision(SaveRevision {
                doc_id,
                base_rev_id: parse_rev_id(&req.base_rev_id)?,
                rev_id: RevId::new(self.ids.as_ref()),
                author: &clerk,
                fields: &req.fields,
                now: self.clock.now(),
                restored_from: None,
            })
            .map_err(ApiError::from_save)?;
        Ok(SaveResponse {
            saved: matches!(out, SaveOutcome::Saved(_)),
            head: out.meta().clone(),
            issues: validate(&req.fields),
            paragraphs: req
                .fields
                .body
                .iter()
                .map(|p| classify_paragraph(p))
                .collect(),
        })
    }

    /// Checks fields without saving (inline messages while typing).
    pub fn doc_check(&self, fields: DocFields) -> FieldsCheck {
        FieldsCheck {
            issues: validate(&fields),
            paragraphs: fields.body.iter().map(|p| classify_paragraph(p)).collect(),
        }
    }

    /// Moves a document to the recycle bin.
    pub fn doc_delete(&self, req: DocRef) -> ApiResult<()> {
        let now = self.clock.now();
        Ok(self
            .store()?
            .set_deleted(parse_doc_id(&req.doc_id)?, Some(now))?)
    }

    /// Takes a document back out of the recycle bin.
    pub fn doc_undelete(&self, req: DocRef) -> ApiResult<()> {
        Ok(self
            .store()?
            .set_deleted(parse_doc_id(&req.doc_id)?, None)?)
    }

    /// A document's revisions, newest first.
    pub fn doc_revisions(&self, req: DocRef) -> ApiResult<Vec<gongkai_core::RevisionMeta>> {
        Ok(self.store()?.revisions(parse_doc_id(&req.doc_id)?)?)
    }

    /// One revision's content.
    pub fn doc_revision(&self, req: RevRef) -> ApiResult<RevisionView> {
        let rev = self.store()?.revision(parse_rev_id(&req.rev_id)?)?;
        Ok(RevisionView {
            paragraphs: rev
                .fields
                .body
                .iter()
                .map(|p| classify_paragraph(p))
                .collect(),
            revision: rev,
        })
    }

    /// Restores an older revision: its content becomes a new head revision (history is kept).
    pub fn doc_restore(&self, req: RestoreRequest) -> ApiResult<DocView> {
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let doc_id = parse_doc_id(&req.doc_id)?;
        let old = store.revision(parse_rev_id(&req.rev_id)?)?;
        if old.meta.doc_id != doc_id {
            return Err(ApiError::invalid(
                "该历史版本不属于当前文件，请刷新后重试。",
            ));
        }
        store
            .save_revision(SaveRevision {
                doc_id,
                base_rev_id: parse_rev_id(&req.base_rev_id)?,
                rev_id: RevId::new(self.ids.as_ref()),
                author: &clerk,
                fields: &old.fields,
                now: self.clock.now(),
                restored_from: Some(old.meta.rev_id),
            })
            .map_err(ApiError::from_save)?;
        Self::view(&store, doc_id)
    }

    /// Searches titles and text.
    pub fn doc_search(&self, req: SearchRequest) -> ApiResult<Vec<gongkai_core::SearchHit>> {
        if req.query.chars().count() > 200 {
            return Err(ApiError::invalid(
                "搜索词过长（不超过200个字），请缩短后重试。",
            ));
        }
        Ok(self.store()?.search(&req.query, req.limit.unwrap_or(50))?)
    }
}

fn parse_doc_id(s: &str) -> ApiResult<DocId> {
    DocId::parse(s)
        .map_err(|_| ApiError::not_found("找不到该文件（编号无效），请返回文件列表重新打开。"))
}

fn parse_rev_id(s: &str) -> ApiResult<RevId> {
    RevId::parse(s).map_err(|_| ApiError::not_found("找不到该版本（编号无效），请刷新后重试。"))
}

impl Api {
    /// Makes the store's writes fail (tests of failed saves).
    #[doc(hidden)]
    pub fn simulate_write_failure(&self, f: gongkai_store::WriteFailure) -> ApiResult<()> {
        Ok(self.store()?.simulate_write_failure(f)?)
    }
}

#[cfg(test)]
mod bindings {
    use ts_rs::TS;

    /// Types returned bare (not inside a DTO) are exported here, with their dependencies.
    #[test]
    fn export_bindings_of_bare_types() {
        let cfg = ts_rs::Config::from_env();
        gongkai_core::SearchHit::export_all(&cfg).unwrap();
        gongkai_core::DocNumber::export_all(&cfg).unwrap();
        gongkai_core::Unit::export_all(&cfg).unwrap();
    }
}
