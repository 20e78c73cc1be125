//! The signed submission bundle and its answers, on both sides of the exchange: the requests
//! and views both sides share, this PC's own key and the pinned office key here; the unit's half
//! in `unit`, the office's in `office`.
//!
//! Unit side: this PC's signing key (made here, the secret encrypted with the clerk's password),
//! the enrolment request and printed form, the office key that signs receipts, the bundle
//! (`bundle_export`: the de-identified policy .docx, the interpretation .docx and its images, the
//! three review forms filled with the de-identified text, and `submission.json` with counts only),
//! and receipts (`receipt_import`), which alone move a document past 已封装.
//!
//! Office side (role `office`, chosen at setup): the trust store of device keys by unit
//! (enrol → activate after the fingerprint was compared with the printed form → retire with an
//! overlap, or revoke with a reason), intake (`intake_receive`: the bundle crate's checks, then a
//! re-scan of the published texts for personal information and the deadlines), and decisions,
//! each a receipt signed with the office key.
//!
//! Passwords pass through and are dropped; they are never stored, logged or put in an error.

use crate::files::{file_stem, local_date, write_atomic, WrittenFile};
use crate::{parse_doc_id, Api, ApiError, ApiResult, ErrorCode};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongkai_bundle::{
    build_bundle, sign_receipt, verify_bundle, verify_receipt, Algorithm, BundleError, BundleInput,
    Decision, DeviceKey, EnrolmentRequest, FileRole, KeyState, PayloadFile, ReasonCode, Receipt,
    ReceiptReason, Signer, TrustStore, TrustedKey, Verdict,
};
use gongkai_core::{receipt_moves, Outcome, Stage};
use gongkai_store::{
    DeviceKeyRow, IntakeRow, ReceiptRow, Store, SubmissionRow, Transition, TrustedKeyRow,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use ts_rs::TS;
use uuid::Uuid;

mod office;
mod unit;

pub use office::fingerprint_check;

/// What a receipt answering a document's latest bundle does to it: the stages it passes
/// through, in order, and, when it moves nothing, the note the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptEffect {
    pub moves: Vec<Stage>,
    pub note: Option<String>,
}

/// The effect of a receipt with `outcome` on a document at `stage` (see [`receipt_moves`]).
pub fn receipt_effect(stage: Stage, outcome: Outcome) -> ReceiptEffect {
    let moves = receipt_moves(stage, outcome);
    let note = moves
        .is_empty()
        .then(|| format!("文件当前处于“{}”，回执已记录，流程不变。", stage.label()));
    ReceiptEffect { moves, note }
}

/// What this installation is for, chosen at setup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A unit clerk's PC: drafts and sends publications.
    #[default]
    Unit,
    /// 指挥中心网上公安办公室: receives, verifies, decides.
    Office,
}

impl Role {
    pub(crate) fn parse(s: &str) -> Role {
        if s == "office" {
            Role::Office
        } else {
            Role::Unit
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Unit => "unit",
            Role::Office => "office",
        }
    }
}

/// This PC's signing key (public parts only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyView {
    pub key_id: String,
    /// `minisign-ed25519` or `sm2-sm3`.
    pub algorithm: String,
    /// 16 groups of 4 hex digits: what the office compares with the printed form.
    pub fingerprint: String,
    pub public_key: String,
    pub created_at: String,
    pub created_by: String,
}

/// Make this PC's signing key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyGenerateRequest {
    /// Protects the secret key; at least 8 characters.
    pub password: String,
    /// `minisign-ed25519` (default) or `sm2-sm3` (国密 profile).
    #[serde(default)]
    pub algorithm: String,
}

/// Use the key (enrolment request) and write the result to `path` (empty: the export folder).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyUseRequest {
    pub password: String,
    #[serde(default)]
    pub path: String,
}

/// Write something to `path` (empty: the export folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PathRequest {
    #[serde(default)]
    pub path: String,
}

/// The office key that signs receipts, as the office printed it (the minisign public key line
/// or a `.pub` file's contents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeKeyRequest {
    pub public_key: String,
}

/// An office key pinned on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeKeyView {
    pub key_id: String,
    pub public_key: String,
}

/// The exchange settings of this PC, for the key screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeInfo {
    pub role: Role,
    pub key: Option<KeyView>,
    pub office_keys: Vec<OfficeKeyView>,
}

/// Make the bundle of a signed document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleExportRequest {
    pub doc_id: String,
    pub password: String,
    /// Where to write the `.zip`; empty: the export folder.
    #[serde(default)]
    pub path: String,
}

/// One payload file of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleFileView {
    pub path: String,
    pub role: String,
    pub size: u32,
    pub sha256: String,
}

/// A receipt as the clerk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptView {
    pub receipt_id: String,
    pub submission_id: String,
    /// `accepted`, `returned` or `published`.
    pub decision: String,
    /// 已受理 / 已退文 / 已发布.
    pub label: String,
    pub decided_at: String,
    pub reasons: Vec<ReasonView>,
    pub published_on: Option<String>,
    pub url: Option<String>,
}

/// A reason code with its Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReasonView {
    pub code: String,
    pub message: String,
}

/// A bundle made on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubmissionView {
    pub submission_id: String,
    pub doc_id: String,
    pub doc_rev_id: String,
    pub package_rev_id: Option<String>,
    pub key_id: String,
    pub content_sha256: String,
    pub file_name: String,
    pub created_at: String,
    pub bytes: u32,
    pub receipts: Vec<ReceiptView>,
}

/// The bundle just written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleExported {
    pub submission: SubmissionView,
    pub file: WrittenFile,
    pub files: Vec<BundleFileView>,
    /// False when the document was already packaged and the same bundle was written again.
    pub new: bool,
}

/// Write an earlier bundle again (a lost USB stick), byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleRewriteRequest {
    pub submission_id: String,
    #[serde(default)]
    pub path: String,
}

/// Read a file (a receipt, a bundle, an enrolment request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileRequest {
    pub path: String,
}

/// What importing a receipt did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptImported {
    pub receipt: ReceiptView,
    pub doc_id: String,
    pub title: String,
    /// False when this receipt had been imported before (nothing changed).
    pub new: bool,
    /// The document's stage afterwards.
    pub stage: Stage,
    /// Why the stage did not move, if it did not.
    pub note: Option<String>,
}

/// An enrolled device key (office side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrustedKeyView {
    pub key_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub algorithm: String,
    pub fingerprint: String,
    pub device_id: String,
    pub clerk: String,
    pub enrolled_at: String,
    /// `pending` (fingerprint not yet confirmed), `active`, `retired` or `revoked`.
    pub state: String,
    pub activated_at: Option<String>,
    pub retired_until: Option<String>,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
    /// What can be done with it now.
    pub actions: KeyActions,
}

/// Activate an enrolled key: the fingerprint as read from the signed paper form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyActivateRequest {
    pub key_id: String,
    pub fingerprint: String,
}

/// Retire a key: bundles it signed are still accepted for `overlap_days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyRetireRequest {
    pub key_id: String,
    pub overlap_days: u32,
}

/// Revoke a key (lost, stolen, compromised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyRevokeRequest {
    pub key_id: String,
    pub reason: String,
}

/// The office's verification of one bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerdictView {
    /// No reason found: the bundle goes to a reviewer.
    pub accepted_for_review: bool,
    /// Received before with the same content.
    pub duplicate: bool,
    pub reasons: Vec<ReasonView>,
    /// Things the reviewer should know that do not stop review (e.g. a deadline already past).
    pub warnings: Vec<ReasonView>,
    pub submission_id: Option<String>,
    pub unit_code: Option<String>,
    pub title: Option<String>,
    pub key_id: Option<String>,
    pub content_sha256: Option<String>,
    pub files: Vec<BundleFileView>,
    /// The public consultation the document went through, with its feedback (de-identified).
    #[ts(optional)]
    #[serde(default)]
    pub consultation: Option<IntakeConsultation>,
}

/// A consultation as a received bundle describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeConsultation {
    pub from: String,
    pub to: String,
    pub days: u32,
    /// Why the window was shorter than 30 days (empty when it was not).
    pub short_reason: String,
    pub comments: u32,
    /// One line per topic: 关于“…”的意见N条（采纳a、部分采纳p、未予采纳n）.
    pub groups: Vec<String>,
    pub feedback: String,
    pub confirmed_by: String,
}

/// A received bundle (office side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeView {
    pub submission_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub title: String,
    pub received_at: String,
    /// `received`, `accepted`, `returned` or `published`.
    pub status: String,
    pub verdict: VerdictView,
    pub receipts: Vec<ReceiptView>,
    /// What the office can decide now (see [`IntakeActions`]).
    pub actions: IntakeActions,
}

/// The decisions open on a received bundle: 受理 only while it waits and has no reason, 退文
/// while it waits or was accepted, 登记发布 once accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeActions {
    pub accept: bool,
    #[serde(rename = "return")]
    #[ts(rename = "return")]
    pub return_: bool,
    pub publish: bool,
}

impl IntakeActions {
    fn of(status: &str, verdict: &VerdictView) -> IntakeActions {
        Self::of_parts(status, verdict.accepted_for_review)
    }

    /// The actions for a bundle in `status` whose checks did (or did not) let it in for review.
    pub fn of_parts(status: &str, accepted_for_review: bool) -> IntakeActions {
        IntakeActions {
            accept: status == "received" && accepted_for_review,
            return_: matches!(status, "received" | "accepted"),
            publish: status == "accepted",
        }
    }
}

/// The changes open on an enrolled key: 启用 while pending, 停用 while active, 吊销 until revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyActions {
    pub activate: bool,
    pub retire: bool,
    pub revoke: bool,
}

impl KeyActions {
    /// The actions for a key in `state` (`pending`, `active`, `retiring`, `retired`, `revoked`).
    pub fn of_state(state: &str) -> KeyActions {
        KeyActions {
            activate: state == "pending",
            retire: state == "active",
            revoke: state != "revoked",
        }
    }
}

/// What receiving a bundle did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeReceived {
    pub verdict: VerdictView,
    /// The bundle was recorded (its signature verified); false for a bundle that could not be
    /// tied to an enrolled key, or a copy received before.
    pub recorded: bool,
    pub intake: Option<IntakeView>,
}

/// The office's decision on a received bundle; the signed receipt is written to `path`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecideRequest {
    pub submission_id: String,
    /// `accept`, `return` or `publish`.
    pub decision: String,
    /// For `return`: the reviewer's reasons (the verification's reasons are added).
    #[serde(default)]
    pub reasons: Vec<String>,
    /// For `publish`.
    #[serde(default)]
    pub published_on: String,
    #[serde(default)]
    pub url: String,
    pub password: String,
    #[serde(default)]
    pub path: String,
}

/// Write the files of a received bundle out for reading (office side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeFilesRequest {
    pub submission_id: String,
    /// A folder to write into; empty: the export folder.
    #[serde(default)]
    pub path: String,
}

/// The files written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeFiles {
    pub folder: String,
    pub files: Vec<WrittenFile>,
}

/// The receipt issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decided {
    pub receipt: ReceiptView,
    pub file: WrittenFile,
    pub intake: IntakeView,
}

/// `Debug` for the requests that carry a password: every field but the password, so that a
/// request printed in a log or a panic message never shows it.
macro_rules! debug_without_password {
    ($($t:ident { $($f:ident),* }),* $(,)?) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    $(.field(stringify!($f), &self.$f))*
                    .field("password", &"<redacted>")
                    .finish()
            }
        }
    )*};
}

debug_without_password! {
    KeyGenerateRequest { algorithm },
    KeyUseRequest { path },
    BundleExportRequest { doc_id, path },
    DecideRequest { submission_id, decision, reasons, published_on, url, path },
}

pub(crate) fn bundle_err(e: BundleError) -> ApiError {
    let code = match e {
        BundleError::BadSignature(_) | BundleError::Malformed(_) | BundleError::BadKey(_) => {
            ErrorCode::BadFile
        }
        BundleError::WrongPassword | BundleError::InvalidInput(_) => ErrorCode::InvalidInput,
        _ => ErrorCode::Internal,
    };
    ApiError::new(code, format!("{e}（错误代码：{}）", e.code()))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn key_view(k: &DeviceKeyRow) -> KeyView {
    KeyView {
        key_id: k.key_id.clone(),
        algorithm: k.algorithm.clone(),
        fingerprint: k.fingerprint.clone(),
        public_key: k.public_key.clone(),
        created_at: rfc3339(k.created_at),
        created_by: k.created_by.clone(),
    }
}

fn decision_label(kind: &str) -> &'static str {
    match kind {
        "accepted" => "已受理",
        "returned" => "已退文",
        "published" => "已发布",
        _ => "回执",
    }
}

fn receipt_view(r: &Receipt) -> ReceiptView {
    let kind = r.decision.kind();
    let (reasons, published_on, url) = match &r.decision {
        Decision::Accepted => (Vec::new(), None, None),
        Decision::Returned { reasons } => (
            reasons
                .iter()
                .map(|x| ReasonView {
                    code: x.code.clone(),
                    message: x.message.clone(),
                })
                .collect(),
            None,
            None,
        ),
        Decision::Published { published_on, url } => (
            Vec::new(),
            Some(published_on.to_string()),
            Some(url.clone()),
        ),
    };
    ReceiptView {
        receipt_id: r.receipt_id.to_string(),
        submission_id: r.submission_id.to_string(),
        decision: kind.into(),
        label: decision_label(kind).into(),
        decided_at: rfc3339(r.decided_at),
        reasons,
        published_on,
        url,
    }
}

/// A stored receipt's view: its body was verified before it was stored.
fn stored_receipt_view(row: &ReceiptRow) -> Option<ReceiptView> {
    let mut value: serde_json::Value = serde_json::from_slice(&row.body).ok()?;
    if let serde_json::Value::Object(m) = &mut value {
        m.remove("signature");
    }
    serde_json::from_value::<Receipt>(value)
        .ok()
        .map(|r| receipt_view(&r))
}

fn role_label(role: FileRole) -> &'static str {
    match role {
        FileRole::PolicyDocx => "policy_docx",
        FileRole::InterpretationDocx => "interpretation_docx",
        FileRole::Image => "image",
        FileRole::FormPdf => "form_pdf",
    }
}

fn reason_view(code: ReasonCode, message: &str) -> ReasonView {
    ReasonView {
        code: code.as_str().into(),
        message: message.into(),
    }
}

/// Reads an outside file, refusing one larger than `max` bytes.
pub(crate) fn read_file(path: &str, max: u64, what: &str) -> ApiResult<Vec<u8>> {
    let p = Path::new(path.trim());
    let meta = std::fs::metadata(p).map_err(|e| {
        ApiError::new(
            ErrorCode::BadFile,
            format!(
                "无法读取{what} {}：{e}。请确认文件位置后重试。",
                p.display()
            ),
        )
    })?;
    let too_big = |n: u64| {
        ApiError::new(
            ErrorCode::BadFile,
            format!("{what}过大（{n} 字节以上），不是本程序生成的文件。"),
        )
    };
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit: a file that grew after the size check (still being
    // copied from a USB stick) is caught without reading it all.
    let unreadable = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::BadFile,
            format!("无法读取{what} {}：{e}。", p.display()),
        )
    };
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(p).map_err(unreadable)?, max + 1),
        &mut bytes,
    )
    .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}
impl Api {
    pub(crate) fn role_in(store: &Store) -> ApiResult<Role> {
        Ok(store
            .setting("role")?
            .map(|s| Role::parse(&s))
            .unwrap_or_default())
    }

    pub(crate) fn require_role(store: &Store, role: Role) -> ApiResult<()> {
        if Self::role_in(store)? == role {
            return Ok(());
        }
        Err(ApiError::invalid(match role {
            Role::Office => {
                "这项操作只在指挥中心网上公安办公室的电脑上使用（首次设置时选择“指挥中心”角色）。"
            }
            Role::Unit => "这项操作只在单位报送电脑上使用；本机设置为指挥中心角色。",
        }))
    }

    pub(crate) fn unlock(store: &Store, password: &str) -> ApiResult<(DeviceKeyRow, Signer)> {
        let row = store.device_key()?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::GateClosed,
                "本机还没有签名密钥：请先在“签名密钥”中生成密钥，并将登记表送指挥中心启用。",
            )
        })?;
        let algorithm = Algorithm::parse(&row.algorithm)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "密钥算法记录无法识别"))?;
        let key = DeviceKey {
            algorithm,
            key_id: row.key_id.clone(),
            fingerprint: row.fingerprint.clone(),
            public_key: row.public_key.clone(),
            secret_box: row.secret_box.clone(),
        };
        let signer = key.unlock(password).map_err(bundle_err)?;
        Ok((row, signer))
    }

    /// The role, this PC's key and the pinned office keys.
    pub fn exchange_info(&self) -> ApiResult<ExchangeInfo> {
        let store = self.store()?;
        Ok(ExchangeInfo {
            role: Self::role_in(&store)?,
            key: store.device_key()?.as_ref().map(key_view),
            office_keys: store
                .office_keys()?
                .into_iter()
                .map(|(key_id, public_key)| OfficeKeyView { key_id, public_key })
                .collect(),
        })
    }

    /// Makes this PC's signing key; a key made before is replaced (the office keeps accepting
    /// it until it retires it). Slow on purpose (the password is stretched with scrypt).
    pub fn keys_generate(&self, req: KeyGenerateRequest) -> ApiResult<KeyView> {
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        if req.password.chars().count() < 8 {
            return Err(ApiError::invalid(
                "密码至少8位：它保护本机的签名私钥，丢失后只能重新生成密钥并重新登记。",
            ));
        }
        let algorithm = match req.algorithm.trim() {
            "" => Algorithm::MinisignEd25519,
            s => Algorithm::parse(s).ok_or_else(|| {
                ApiError::invalid("签名算法应为 minisign-ed25519（默认）或 sm2-sm3（国密）。")
            })?,
        };
        if Self::role_in(&store)? == Role::Office && algorithm != Algorithm::MinisignEd25519 {
            return Err(ApiError::invalid(
                "指挥中心的回执签名密钥使用 minisign（Ed25519）。",
            ));
        }
        let key = DeviceKey::generate(algorithm, &req.password).map_err(bundle_err)?;
        let row = DeviceKeyRow {
            key_id: key.key_id,
            algorithm: algorithm.as_str().into(),
            public_key: key.public_key,
            fingerprint: key.fingerprint,
            secret_box: key.secret_box,
            created_at: self.clock.now(),
            created_by: clerk.name,
            replaced_at: None,
        };
        store.add_device_key(&row)?;
        Ok(key_view(&row))
    }

    /// The enrolment request (JSON, signed by the new key) for the office, written to a file.
    pub fn keys_enrolment_request(&self, req: KeyUseRequest) -> ApiResult<WrittenFile> {
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let (row, signer) = Self::unlock(&store, &req.password)?;
        let request = EnrolmentRequest::new(
            &signer,
            &clerk.unit_id,
            &clerk.device_id.to_string(),
            &clerk.name,
            self.clock.now(),
        )
        .map_err(bundle_err)?;
        let json = request.to_json().map_err(bundle_err)?;
        drop(store);
        let name = format!("密钥登记申请-{}-{}", clerk.unit_id, row.key_id);
        write_atomic(&self.target(&req.path, &name, ".json")?, json.as_bytes())
    }

    /// The printable enrolment form carrying the fingerprint, for the office to confirm on
    /// paper.
    pub fn keys_enrolment_form(&self, req: PathRequest) -> ApiResult<WrittenFile> {
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let row = store.device_key()?.ok_or_else(|| {
            ApiError::new(ErrorCode::GateClosed, "本机还没有签名密钥：请先生成密钥。")
        })?;
        let unit = store.unit(&clerk.unit_id)?;
        let org = unit
            .parent
            .as_ref()
            .and_then(|p| store.unit(p).ok())
            .map(|u| u.name)
            .unwrap_or_default();
        drop(store);
        let data = gongkai_forms::KeyEnrolmentData {
            org_name: org,
            unit_name: unit.name,
            unit_code: clerk.unit_id.clone(),
            clerk_name: clerk.name.clone(),
            device_id: clerk.device_id.to_string(),
            key_id: row.key_id.clone(),
            algorithm_label: match Algorithm::parse(&row.algorithm) {
                Some(Algorithm::Sm2Sm3) => "SM2/SM3（国密）".into(),
                _ => "Ed25519（minisign）".into(),
            },
            fingerprint: row.fingerprint.clone(),
            public_key: row.public_key.clone(),
            created_at: row.created_at,
            printed_at: self.clock.now(),
            form_no: format!(
                "MY-{}-{}",
                local_date(self.clock.now()).format("%Y%m%d"),
                &row.key_id[..6]
            ),
        };
        let pdf = gongkai_forms::render_key_enrolment(&data)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let name = format!("签名密钥登记表-{}-{}", clerk.unit_id, row.key_id);
        write_atomic(&self.target(&req.path, &name, ".pdf")?, &pdf)
    }

    /// This PC's public key as a minisign `.pub` file (the office hands it to the units, which
    /// pin it to check receipts). Only a minisign key has this form.
    pub fn keys_public_file(&self, req: PathRequest) -> ApiResult<WrittenFile> {
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let row = store.device_key()?.ok_or_else(|| {
            ApiError::new(ErrorCode::GateClosed, "本机还没有签名密钥：请先生成密钥。")
        })?;
        drop(store);
        if Algorithm::parse(&row.algorithm) != Some(Algorithm::MinisignEd25519) {
            return Err(ApiError::invalid(
                "国密（SM2）密钥以登记申请中的公钥为准，不导出 .pub 文件。",
            ));
        }
        let text = format!(
            "untrusted comment: minisign public key {}\n{}\n",
            row.key_id, row.public_key
        );
        let name = format!("公钥-{}-{}", clerk.unit_id, row.key_id);
        write_atomic(&self.target(&req.path, &name, ".pub")?, text.as_bytes())
    }

    /// Pins the office key that signs receipts (unit side).
    pub fn office_key_pin(&self, req: OfficeKeyRequest) -> ApiResult<OfficeKeyView> {
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let text = req.public_key.trim();
        // A `.pub` file: the untrusted comment line, then the key line.
        let line = text
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .unwrap_or("");
        let key_id = gongkai_bundle::public_key_id(Algorithm::MinisignEd25519, line).map_err(|e| {
            ApiError::invalid(format!(
                "这不是有效的 minisign 公钥（{e}）。请复制指挥中心通知上的公钥（以 RW 开头的一行）。"
            ))
        })?;
        store.pin_office_key(&key_id, line, &clerk.name, self.clock.now())?;
        Ok(OfficeKeyView {
            key_id,
            public_key: line.into(),
        })
    }
}

/// The content hash of a bundle just made: SHA-256 of its tag manifest (as the office computes
/// it), read back from the zip.
fn content_hash(zip_bytes: &[u8]) -> ApiResult<String> {
    gongkai_bundle::content_sha256(zip_bytes).map_err(bundle_err)
}

/// The payload listing of a bundle made here (from its `submission.json`).
fn list_files(zip_bytes: &[u8]) -> Vec<BundleFileView> {
    gongkai_bundle::read_submission(zip_bytes)
        .map(|s| file_views(&s))
        .unwrap_or_default()
}

/// The payload files a `submission.json` lists.
fn file_views(s: &gongkai_bundle::Submission) -> Vec<BundleFileView> {
    s.files
        .iter()
        .map(|f| BundleFileView {
            path: f.path.clone(),
            role: role_label(f.role).into(),
            size: f.size as u32,
            sha256: f.sha256.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_compared_by_its_digits_as_the_paper_form_groups_them() {
        let enrolled = "3FA2 90C1 7B4E 0D55";
        assert!(fingerprint_check("3fa2-90c1-7b4e-0d55", enrolled).is_ok());
        assert!(fingerprint_check(" 3FA290C17B4E0D55\n", enrolled).is_ok());
        let e = fingerprint_check("3FA2 90C1 7B4E 0D56", enrolled).unwrap_err();
        assert_eq!(e.code, ErrorCode::GateClosed);
        assert!(e.message.contains("指纹与登记申请不一致"), "{}", e.message);
        // A prefix is not the key.
        assert!(fingerprint_check("3FA2 90C1", enrolled).is_err());
    }

    #[test]
    fn a_receipt_that_moves_nothing_says_where_the_document_stands() {
        let late = receipt_effect(Stage::Published, Outcome::Accepted);
        assert!(late.moves.is_empty());
        assert_eq!(
            late.note.as_deref(),
            Some("文件当前处于“已发布”，回执已记录，流程不变。")
        );
        let returned = receipt_effect(Stage::Packaged, Outcome::Returned);
        assert_eq!(returned.moves, vec![Stage::Submitted, Stage::Returned]);
        assert_eq!(returned.note, None);
    }

    #[test]
    fn requests_never_print_their_password() {
        let secret = "s3cret-pass";
        let shown = [
            format!(
                "{:?}",
                KeyGenerateRequest {
                    password: secret.into(),
                    algorithm: "sm2-sm3".into()
                }
            ),
            format!(
                "{:?}",
                KeyUseRequest {
                    password: secret.into(),
                    path: "/tmp/a.json".into()
                }
            ),
            format!(
                "{:?}",
                BundleExportRequest {
                    doc_id: "d".into(),
                    password: secret.into(),
                    path: String::new()
                }
            ),
            format!(
                "{:?}",
                DecideRequest {
                    submission_id: "s".into(),
                    decision: "accept".into(),
                    reasons: vec![],
                    published_on: String::new(),
                    url: String::new(),
                    password: secret.into(),
                    path: String::new()
                }
            ),
        ];
        for s in &shown {
            assert!(!s.contains(secret), "{s}");
            assert!(s.contains("<redacted>"), "{s}");
        }
        assert!(shown[0].contains("sm2-sm3") && shown[1].contains("/tmp/a.json"));
    }
}
