//! The signed submission bundle and its answers, on both sides of the exchange.
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
        IntakeActions {
            accept: status == "received" && verdict.accepted_for_review,
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
    fn of(k: &TrustedKeyRow) -> KeyActions {
        let live = k.revoked_at.is_none();
        KeyActions {
            activate: live && k.activated_at.is_none(),
            retire: live && k.activated_at.is_some() && k.retired_until.is_none(),
            revoke: live,
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
    if meta.len() > max {
        return Err(ApiError::new(
            ErrorCode::BadFile,
            format!("{what}过大（{} 字节），不是本程序生成的文件。", meta.len()),
        ));
    }
    std::fs::read(p).map_err(|e| {
        ApiError::new(
            ErrorCode::BadFile,
            format!("无法读取{what} {}：{e}。", p.display()),
        )
    })
}

/// The office's trust store and intake, as the bundle crate asks for them.
struct StoreTrust<'a>(&'a Store);

impl TrustStore for StoreTrust<'_> {
    fn key(&self, key_id: &str) -> Option<TrustedKey> {
        let row = self.0.trusted_key(key_id).ok()??;
        let algorithm = Algorithm::parse(&row.algorithm)?;
        let state = if let Some(at) = row.revoked_at {
            KeyState::Revoked {
                at,
                reason: row.revoke_reason.clone().unwrap_or_default(),
            }
        } else if let Some(until) = row.retired_until {
            KeyState::Retired { until }
        } else {
            KeyState::Active
        };
        Some(TrustedKey {
            key_id: row.key_id,
            unit_code: row.unit_code,
            algorithm,
            public_key: row.public_key,
            state,
            // Not yet confirmed against the paper form: not active at any time.
            activated_at: row.activated_at.unwrap_or(DateTime::<Utc>::MAX_UTC),
        })
    }

    fn seen(&self, submission_id: &Uuid) -> Option<String> {
        self.0
            .intake(&submission_id.to_string())
            .ok()?
            .map(|i| i.content_sha256)
    }
}

fn key_state(k: &TrustedKeyRow, now: DateTime<Utc>) -> &'static str {
    if k.revoked_at.is_some() {
        "revoked"
    } else if k.retired_until.is_some_and(|u| u <= now) {
        "retired"
    } else if k.retired_until.is_some() {
        "retiring"
    } else if k.activated_at.is_some() {
        "active"
    } else {
        "pending"
    }
}

/// Normalises a fingerprint as typed from paper: hex digits only, upper case.
fn fingerprint_digits(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .collect()
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

    // ---- unit side: the bundle ------------------------------------------------------------

    fn submission_view(store: &Store, s: &SubmissionRow) -> ApiResult<SubmissionView> {
        Ok(SubmissionView {
            submission_id: s.submission_id.clone(),
            doc_id: s.doc_id.clone(),
            doc_rev_id: s.doc_rev_id.clone(),
            package_rev_id: s.package_rev_id.clone(),
            key_id: s.key_id.clone(),
            content_sha256: s.content_sha256.clone(),
            file_name: s.file_name.clone(),
            created_at: rfc3339(s.created_at),
            bytes: s.bundle.len() as u32,
            receipts: store
                .receipts_for(&s.submission_id)?
                .iter()
                .filter_map(stored_receipt_view)
                .collect(),
        })
    }

    /// A document's bundles, newest first, with their receipts.
    pub fn bundle_list(&self, req: crate::DocRef) -> ApiResult<Vec<SubmissionView>> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        store
            .submissions_of(&doc_id.to_string())?
            .iter()
            .map(|s| Self::submission_view(&store, s))
            .collect()
    }

    /// Writes an earlier bundle again, byte for byte.
    pub fn bundle_rewrite(&self, req: BundleRewriteRequest) -> ApiResult<WrittenFile> {
        let store = self.store()?;
        let s = store.submission(req.submission_id.trim())?;
        drop(store);
        let stem = s.file_name.trim_end_matches(".zip").to_string();
        write_atomic(&self.target(&req.path, &stem, ".zip")?, &s.bundle)
    }

    /// Makes the signed bundle of a signed-off document and writes it; 已签发 → 已封装. For a
    /// document already packaged, the same bundle is written again.
    pub fn bundle_export(&self, req: BundleExportRequest) -> ApiResult<BundleExported> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Unit)?;
        let clerk = Self::clerk(&store)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        let stage = g.pub_row.stage;
        if matches!(stage, Stage::Packaged | Stage::Submitted | Stage::Accepted) {
            if let Some(s) = store
                .submissions_of(&doc_id.to_string())?
                .into_iter()
                .next()
            {
                let view = Self::submission_view(&store, &s)?;
                drop(store);
                let stem = s.file_name.trim_end_matches(".zip").to_string();
                let file = write_atomic(&self.target(&req.path, &stem, ".zip")?, &s.bundle)?;
                let files = list_files(&s.bundle);
                return Ok(BundleExported {
                    submission: view,
                    file,
                    files,
                    new: false,
                });
            }
        }
        if stage != Stage::Signed {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!(
                    "文件当前处于“{}”：报送包只能在登记签发（已签发）之后生成。",
                    stage.label()
                ),
            ));
        }
        let gates = gongkai_core::closed_gates(Stage::Packaged, &g.facts);
        if !gates.is_empty() {
            let msg: Vec<&str> = gates.iter().map(|x| x.message.as_str()).collect();
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!("还不能生成报送包：{}", msg.join("；")),
            ));
        }
        let (_, signer) = Self::unlock(&store, &req.password)?;
        let now = self.clock.now();
        let submission_id = self.ids.new_uuid();

        // The payload: everything published, from the de-identified text only.
        let (redacted, policy) = self.policy_docx(&mut store, doc_id, true)?;
        let mut payload = vec![PayloadFile {
            path: "policy.docx".into(),
            role: FileRole::PolicyDocx,
            bytes: policy,
        }];
        if let Some((_, pkg)) = &g.package {
            let (_, interp) = self.interpretation_docx(&store, doc_id, true)?;
            payload.push(PayloadFile {
                path: "interpretation.docx".into(),
                role: FileRole::InterpretationDocx,
                bytes: interp,
            });
            for (i, graphic) in pkg.graphics.iter().enumerate() {
                let (media, bytes) = bundled_image(&store, &graphic.sha256)?;
                let ext = match media.as_str() {
                    "image/png" => "png",
                    "image/jpeg" => "jpg",
                    _ => "bin",
                };
                payload.push(PayloadFile {
                    path: format!("images/graphic-{:02}.{ext}", i + 1),
                    role: FileRole::Image,
                    bytes,
                });
            }
        }
        use gongkai_forms::FormKind;
        for kind in FormKind::ALL {
            if kind == FormKind::Interpretation && g.package.is_none() {
                continue;
            }
            let (_, pdf) = self.form_pdf(&store, kind, doc_id, Some(redacted.clone()))?;
            payload.push(PayloadFile {
                path: format!("forms/{}.pdf", kind.code()),
                role: FileRole::FormPdf,
                bytes: pdf,
            });
        }

        let submission = self.submission_of(&store, &refs, &g, &clerk, submission_id, now)?;
        let unit_name = submission.unit_name.clone();
        let input = BundleInput {
            submission,
            payload,
            source_organization: unit_name,
            bagging_date: local_date(now),
        };
        let bytes = build_bundle(&input, &signer).map_err(bundle_err)?;
        let content_sha256 = content_hash(&bytes)?;
        let file_name = format!(
            "报送包-{}-{}.zip",
            file_stem(&g.title),
            &submission_id.simple().to_string()[..8]
        );
        let row = SubmissionRow {
            submission_id: submission_id.to_string(),
            doc_id: doc_id.to_string(),
            doc_rev_id: g.head_rev_id.clone(),
            package_rev_id: g.package.as_ref().map(|(m, _)| m.rev_id.clone()),
            key_id: signer.key_id().into(),
            content_sha256,
            file_name: file_name.clone(),
            bundle: bytes,
            created_at: now,
            created_by: clerk.name.clone(),
        };
        let reason = format!("生成报送包 {submission_id}");
        store
            .add_submission(
                &row,
                Some(&Transition {
                    doc_id,
                    from: Stage::Signed,
                    to: Stage::Packaged,
                    actor: &clerk.name,
                    at: now,
                    reason: &reason,
                    doc_rev_id: &g.head_rev_id,
                    package_rev_id: row.package_rev_id.as_deref(),
                }),
            )
            .map_err(|e| match e {
                gongkai_store::StoreError::Conflict { .. } => ApiError::new(
                    ErrorCode::Conflict,
                    "该文件的流程状态已在其他窗口中改变，请刷新后重试。",
                ),
                other => other.into(),
            })?;
        let view = Self::submission_view(&store, &row)?;
        drop(store);
        let file = write_atomic(
            &self.target(&req.path, file_name.trim_end_matches(".zip"), ".zip")?,
            &row.bundle,
        )?;
        Ok(BundleExported {
            submission: view,
            files: list_files(&row.bundle),
            file,
            new: true,
        })
    }

    fn submission_of(
        &self,
        store: &Store,
        refs: &crate::publication::Refs,
        g: &crate::publication::Gathered,
        clerk: &gongkai_core::Clerk,
        submission_id: Uuid,
        now: DateTime<Utc>,
    ) -> ApiResult<gongkai_bundle::Submission> {
        let uuid = |s: &str| {
            Uuid::parse_str(s).map_err(|_| ApiError::new(ErrorCode::Internal, "编号格式有误"))
        };
        let head = store.head(g.doc_id)?;
        let report = store
            .deid_report(&g.head_rev_id)?
            .ok_or_else(|| ApiError::new(ErrorCode::DeidPending, "当前版本尚未完成去标识化。"))?;
        let signoff = g
            .signoff
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::GateClosed, "尚未登记签发。"))?;
        let disclosure = g
            .pub_row
            .disclosure
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::GateClosed, "尚未确定公开属性。"))?;
        let unit = store.unit(&clerk.unit_id)?;
        let deadlines = self
            .obligations_of(store, refs, g)?
            .into_iter()
            .map(|o| gongkai_bundle::DeadlineEntry {
                rule_id: o.rule_id,
                what: o.what,
                due: o.due.and_then(|d| d.parse().ok()),
                state: serde_json::to_value(o.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect();
        let attribute = serde_json::to_value(disclosure.attribute)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(gongkai_bundle::Submission {
            schema_version: gongkai_bundle::SCHEMA_VERSION,
            submission_id,
            unit_code: clerk.unit_id.clone(),
            unit_name: unit.name,
            clerk: clerk.name.clone(),
            device_id: clerk.device_id.to_string(),
            doc_id: uuid(&g.doc_id.to_string())?,
            doc_rev_id: uuid(&g.head_rev_id)?,
            doc_content_sha256: head.meta.content_sha256.clone(),
            title: g.title.clone(),
            package_rev_id: g
                .package
                .as_ref()
                .map(|(m, _)| uuid(&m.rev_id))
                .transpose()?,
            attribute,
            grounds: disclosure.grounds.clone(),
            reason: Some(disclosure.reason.clone()).filter(|r| !r.trim().is_empty()),
            catalog_item: disclosure.catalog_item.clone(),
            needs_interpretation: g.facts.needs_interpretation,
            interpretation_forms: g
                .package
                .as_ref()
                .map(|(_, p)| {
                    p.forms
                        .iter()
                        .filter_map(|f| {
                            serde_json::to_value(f)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            deid_report: gongkai_bundle::DeidSummary {
                counts: serde_json::from_str(&report.counts).unwrap_or_default(),
                reviewer: report.reviewer.clone(),
                reviewed_at: report.reviewed_at,
                policy_version: report.policy_version.to_string(),
                images_reviewed: {
                    // Listed by the hash of the image as bundled (see `bundled_image`).
                    let reviews = store.deid_image_reviews(&g.doc_id.to_string())?;
                    let mut listed = Vec::new();
                    for gr in g.package.iter().flat_map(|(_, p)| p.graphics.iter()) {
                        if let Some(r) = reviews.iter().find(|r| r.sha256 == gr.sha256) {
                            let (_, bytes) = bundled_image(store, &gr.sha256)?;
                            listed.push(gongkai_bundle::ImageReview {
                                sha256: hex::encode(Sha256::digest(&bytes)),
                                reviewer: r.reviewer.clone(),
                                reviewed_at: r.reviewed_at,
                            });
                        }
                    }
                    listed
                },
            },
            signoff: gongkai_bundle::Signoff {
                signer: signoff.signer.clone(),
                signed_on: signoff.signed_on,
                opinion: signoff.opinion.clone(),
                doc_rev_id: uuid(&signoff.doc_rev_id)?,
                package_rev_id: signoff.package_rev_id.as_deref().map(uuid).transpose()?,
            },
            deadlines,
            created_at: now,
            files: Vec::new(),
        })
    }

    /// Imports a receipt file from the office: verified against the pinned office keys, matched
    /// to a bundle made on this PC, recorded, and applied to the document's stage (受理, 退文
    /// with the reasons in the log, 发布 with the date as the 公开 event).
    pub fn receipt_import(&self, req: FileRequest) -> ApiResult<ReceiptImported> {
        let bytes = read_file(&req.path, 1 << 20, "回执文件")?;
        self.receipt_import_bytes(bytes)
    }

    /// Import of a receipt's bytes (from a file, or from the hub's feed).
    pub(crate) fn receipt_import_bytes(&self, bytes: Vec<u8>) -> ApiResult<ReceiptImported> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Unit)?;
        let clerk = Self::clerk(&store)?;
        let office_keys = store.office_keys()?;
        if office_keys.is_empty() {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "尚未登记指挥中心的回执公钥：请在“签名密钥”中填入指挥中心通知上的公钥后再导入回执。",
            ));
        }
        let mut last_err = None;
        let mut receipt = None;
        for (_, pk) in &office_keys {
            match verify_receipt(&bytes, pk) {
                Ok(r) => {
                    receipt = Some(r);
                    break;
                }
                Err(e) => last_err = Some(e),
            }
        }
        let receipt = match (receipt, last_err) {
            (Some(r), _) => r,
            (None, Some(e)) => return Err(bundle_err(e)),
            (None, None) => return Err(ApiError::new(ErrorCode::BadFile, "回执无法验证。")),
        };
        let sub = store
            .submission(&receipt.submission_id.to_string())
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::BadFile,
                    "这份回执对应的报送包不是本机生成的：请确认是否导入了其他单位或其他电脑的回执。",
                )
            })?;
        if receipt.content_sha256 != sub.content_sha256 || receipt.unit_code != clerk.unit_id {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "回执中的报送包校验值或单位与本机记录不符，未导入。请联系指挥中心核实。",
            ));
        }
        let doc_id = parse_doc_id(&sub.doc_id)?;
        let title = store.head(doc_id)?.fields.title;
        let view = receipt_view(&receipt);
        let rid = receipt.receipt_id.to_string();
        if store.receipt(&rid)?.is_some() {
            let stage = store.publication(doc_id)?.stage;
            return Ok(ReceiptImported {
                receipt: view,
                doc_id: doc_id.to_string(),
                title,
                new: false,
                stage,
                note: Some("这份回执之前已导入过，未作改动。".into()),
            });
        }
        let now = self.clock.now();
        let latest = store
            .submissions_of(&sub.doc_id)?
            .into_iter()
            .next()
            .map(|s| s.submission_id);
        let pub_row = store.publication(doc_id)?;
        let outcome = match &receipt.decision {
            Decision::Accepted => Outcome::Accepted,
            Decision::Returned { .. } => Outcome::Returned,
            Decision::Published { .. } => Outcome::Published,
        };
        let (moves, note) = if latest.as_deref() != Some(sub.submission_id.as_str()) {
            (
                Vec::new(),
                Some("这是该文件较早一次报送的回执，已记录，不改变当前流程。".to_string()),
            )
        } else {
            let m = receipt_moves(pub_row.stage, outcome);
            let note = m.is_empty().then(|| {
                format!(
                    "文件当前处于“{}”，回执已记录，流程不变。",
                    pub_row.stage.label()
                )
            });
            (m, note)
        };
        let reason_text = match &receipt.decision {
            Decision::Accepted => "指挥中心回执：已受理".to_string(),
            Decision::Returned { reasons } => format!(
                "指挥中心退文：{}",
                reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            Decision::Published { published_on, url } => {
                format!("指挥中心回执：已于{published_on}发布（{url}）")
            }
        };
        let actor = "指挥中心网上公安办公室（回执）";
        let mut from = pub_row.stage;
        let mut transitions = Vec::new();
        for to in &moves {
            transitions.push(Transition {
                doc_id,
                from,
                to: *to,
                actor,
                at: now,
                reason: &reason_text,
                doc_rev_id: &sub.doc_rev_id,
                package_rev_id: sub.package_rev_id.as_deref(),
            });
            from = *to;
        }
        // The office publishes what the bundle carried: the document, and with it its
        // interpretation (发布 starts the document's own deadlines and ends the interpretation's).
        let mut events = Vec::new();
        if let Decision::Published { published_on, .. } = &receipt.decision {
            events.push(("published", *published_on));
            if sub.package_rev_id.is_some() {
                events.push(("interpretation_published", *published_on));
            }
        }
        store.import_receipt(
            &ReceiptRow {
                receipt_id: rid,
                submission_id: sub.submission_id.clone(),
                decision: receipt.decision.kind().into(),
                decided_at: receipt.decided_at,
                direction: "imported".into(),
                body: bytes,
                recorded_at: now,
            },
            &transitions,
            &events,
        )?;
        let stage = store.publication(doc_id)?.stage;
        Ok(ReceiptImported {
            receipt: view,
            doc_id: doc_id.to_string(),
            title,
            new: true,
            stage,
            note,
        })
    }

    // ---- office side: the trust store -----------------------------------------------------

    fn trusted_view(store: &Store, k: &TrustedKeyRow, now: DateTime<Utc>) -> TrustedKeyView {
        TrustedKeyView {
            key_id: k.key_id.clone(),
            unit_code: k.unit_code.clone(),
            unit_name: store
                .unit(&k.unit_code)
                .map(|u| u.name)
                .unwrap_or_else(|_| k.unit_code.clone()),
            algorithm: k.algorithm.clone(),
            fingerprint: k.fingerprint.clone(),
            device_id: k.device_id.clone(),
            clerk: k.clerk.clone(),
            enrolled_at: rfc3339(k.enrolled_at),
            state: key_state(k, now).into(),
            activated_at: k.activated_at.map(rfc3339),
            retired_until: k.retired_until.map(rfc3339),
            revoked_at: k.revoked_at.map(rfc3339),
            revoke_reason: k.revoke_reason.clone(),
            actions: KeyActions::of(k),
        }
    }

    /// The trust store, by unit.
    pub fn trust_list(&self) -> ApiResult<Vec<TrustedKeyView>> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let now = self.clock.now();
        Ok(store
            .trusted_keys()?
            .iter()
            .map(|k| Self::trusted_view(&store, k, now))
            .collect())
    }

    /// Enrols a device key from its enrolment request file (verified: self-signed, key id and
    /// fingerprint match the public key, the unit exists). The key is pending until activated.
    pub fn trust_enrol(&self, req: FileRequest) -> ApiResult<TrustedKeyView> {
        let bytes = read_file(&req.path, 64 * 1024, "密钥登记申请")?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let request = EnrolmentRequest::from_json(&bytes).map_err(bundle_err)?;
        request.verify().map_err(bundle_err)?;
        store.unit(&request.unit_code).map_err(|_| {
            ApiError::new(
                ErrorCode::BadFile,
                format!(
                    "登记申请中的单位代码“{}”不在单位列表中。",
                    request.unit_code
                ),
            )
        })?;
        if store.trusted_key(&request.key_id)?.is_some() {
            return Err(ApiError::invalid(format!(
                "密钥 {} 已经登记过。",
                request.key_id
            )));
        }
        let now = self.clock.now();
        let row = TrustedKeyRow {
            key_id: request.key_id.clone(),
            unit_code: request.unit_code.clone(),
            algorithm: request.algorithm.as_str().into(),
            public_key: request.public_key.clone(),
            fingerprint: request.fingerprint.clone(),
            device_id: request.device_id.clone(),
            clerk: request.clerk.clone(),
            request: String::from_utf8_lossy(&bytes).into_owned(),
            enrolled_at: now,
            activated_at: None,
            retired_until: None,
            revoked_at: None,
            revoke_reason: None,
        };
        store.enrol_key(&row, &clerk.name)?;
        Ok(Self::trusted_view(&store, &row, now))
    }

    /// The enrolled key, if `allowed` by its [`KeyActions`]; else why not.
    fn key_for_change(
        store: &Store,
        key_id: &str,
        allowed: fn(&KeyActions) -> bool,
    ) -> ApiResult<TrustedKeyRow> {
        let k = store
            .trusted_key(key_id.trim())?
            .ok_or_else(|| ApiError::not_found(format!("没有登记编号为 {key_id} 的密钥。")))?;
        if allowed(&KeyActions::of(&k)) {
            return Ok(k);
        }
        Err(ApiError::invalid(if k.revoked_at.is_some() {
            "该密钥已吊销，不能再改变状态。"
        } else if k.retired_until.is_some() {
            "该密钥已停用。"
        } else if k.activated_at.is_some() {
            "该密钥已经启用。"
        } else {
            "该密钥尚未启用：请先核对指纹启用，或直接吊销。"
        }))
    }

    /// Activates a pending key once the fingerprint typed from the signed paper form matches.
    pub fn trust_activate(&self, req: KeyActivateRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let mut k = Self::key_for_change(&store, &req.key_id, |a| a.activate)?;
        if fingerprint_digits(&req.fingerprint) != fingerprint_digits(&k.fingerprint) {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "输入的指纹与登记申请不一致：请逐组核对纸质登记表上的指纹；如确实不同，该申请可能被替换过，请勿启用并联系该单位。",
            ));
        }
        let now = self.clock.now();
        k.activated_at = Some(now);
        store.update_trusted_key(&k, "activate", &clerk.name, now, "指纹核对一致")?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    /// Retires a key: bundles it signed are accepted for `overlap_days` more days.
    pub fn trust_retire(&self, req: KeyRetireRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let mut k = Self::key_for_change(&store, &req.key_id, |a| a.retire)?;
        if req.overlap_days > 365 {
            return Err(ApiError::invalid("过渡期不超过365天。"));
        }
        let now = self.clock.now();
        k.retired_until = Some(now + Duration::days(i64::from(req.overlap_days)));
        store.update_trusted_key(
            &k,
            "retire",
            &clerk.name,
            now,
            &format!("过渡期{}天", req.overlap_days),
        )?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    /// Revokes a key: bundles received from now on are refused.
    pub fn trust_revoke(&self, req: KeyRevokeRequest) -> ApiResult<TrustedKeyView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let reason = req.reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(ApiError::invalid(
                "吊销须写明原因（不超过200字），例如“电脑丢失”。",
            ));
        }
        let mut k = Self::key_for_change(&store, &req.key_id, |a| a.revoke)?;
        let now = self.clock.now();
        k.revoked_at = Some(now);
        k.revoke_reason = Some(reason.into());
        store.update_trusted_key(&k, "revoke", &clerk.name, now, reason)?;
        Ok(Self::trusted_view(&store, &k, now))
    }

    // ---- office side: intake and decisions ------------------------------------------------

    /// Verifies a bundle as received now: the bundle crate's checks, then the re-scan of the
    /// published texts and the deadlines. Records nothing.
    fn verify_here(
        &self,
        store: &Store,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> (Verdict, VerdictView) {
        let mut verdict = verify_bundle(bytes, &StoreTrust(store), now);
        let mut warnings = Vec::new();
        if verdict.submission.is_some() {
            let mut found: Vec<String> = Vec::new();
            let mut unreadable: Vec<String> = Vec::new();
            for f in &verdict.payload {
                let what = match f.role {
                    FileRole::PolicyDocx => "政策文件",
                    FileRole::InterpretationDocx => "解读材料",
                    _ => continue,
                };
                match gongkai_docx::import::import_docx(&f.bytes) {
                    Ok(imported) => {
                        let places = self.residual_pii(&imported.fields);
                        if !places.is_empty() {
                            found.push(format!(
                                "{what}（{}）仍含个人信息：{}。请退回单位去标识化后重新报送。",
                                f.path,
                                places.join("；")
                            ));
                        }
                    }
                    Err(e) => unreadable.push(format!("{what}（{}）无法打开：{e}", f.path)),
                }
            }
            for m in found {
                verdict.add_reason(ReasonCode::ResidualPii, m);
            }
            let reviewed: Vec<String> = verdict
                .submission
                .as_ref()
                .map(|s| {
                    s.deid_report
                        .images_reviewed
                        .iter()
                        .map(|r| r.sha256.clone())
                        .collect()
                })
                .unwrap_or_default();
            let images: Vec<(String, Vec<u8>)> = verdict
                .payload
                .iter()
                .filter(|f| f.role == FileRole::Image)
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            for (code, message) in image_reasons(&reviewed, &images) {
                verdict.add_reason(code, message);
            }
            for m in unreadable {
                verdict.add_reason(ReasonCode::BagInvalid, m);
            }
            let today = local_date(now);
            if let Some(sub) = &verdict.submission {
                for d in &sub.deadlines {
                    let open = !matches!(d.state.as_str(), "done" | "done_late");
                    if let Some(due) = d.due.filter(|due| open && *due < today) {
                        warnings.push(reason_view(
                            ReasonCode::DeadlineOverdue,
                            &format!("{}：应于{due}前完成，已超期。", d.what),
                        ));
                    }
                }
            }
        }
        let view = verdict_view(&verdict, warnings);
        (verdict, view)
    }

    /// The kinds and places of personal information the scanner still finds in published
    /// fields (values are not repeated). A finding the policy would leave as it is (an address
    /// already generalised to its town, a number already masked) is the published form, not a
    /// leak: only findings that masking would change count.
    fn residual_pii(&self, fields: &gongkai_core::DocFields) -> Vec<String> {
        let mut out = Vec::new();
        let policy = self.scanner.policy();
        let mut check = |place: String, text: &str| {
            let kinds: Vec<&str> = self
                .scanner
                .scan(text)
                .iter()
                .filter(|f| {
                    gongkai_deid::apply(text, std::slice::from_ref(*f), policy).text != text
                })
                .map(|f| f.kind.label())
                .collect();
            if !kinds.is_empty() {
                let mut k = kinds;
                k.dedup();
                out.push(format!("{place}有{}", k.join("、")));
            }
        };
        check("标题".into(), &fields.title);
        for (i, p) in fields.body.iter().enumerate() {
            check(format!("正文第{}段", i + 1), p);
        }
        for (i, a) in fields.attachments.iter().enumerate() {
            check(format!("附件说明第{}项", i + 1), a);
        }
        check("附注".into(), &fields.notes);
        out
    }

    /// Verifies a bundle file against this office's trust store without recording it (the
    /// `gongkai bundle verify` command).
    pub fn bundle_verify(&self, req: FileRequest) -> ApiResult<VerdictView> {
        let bytes = read_file(&req.path, gongkai_bundle::MAX_BUNDLE_BYTES, "报送包")?;
        let store = self.store()?;
        Ok(self.verify_here(&store, &bytes, self.clock.now()).1)
    }

    /// Receives a bundle: verified, and recorded when its signature ties it to an enrolled key
    /// (even when it has reasons: the office then returns it with them).
    pub fn intake_receive(&self, req: FileRequest) -> ApiResult<IntakeReceived> {
        let bytes = read_file(&req.path, gongkai_bundle::MAX_BUNDLE_BYTES, "报送包")?;
        self.intake_receive_bytes(bytes)
    }

    /// Intake of a bundle's bytes (from a file, or from the hub).
    pub(crate) fn intake_receive_bytes(&self, bytes: Vec<u8>) -> ApiResult<IntakeReceived> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let clerk = Self::clerk(&store)?;
        let now = self.clock.now();
        let (verdict, view) = self.verify_here(&store, &bytes, now);
        let recordable = !verdict.duplicate
            && !verdict.has(ReasonCode::Replay)
            && !verdict.has(ReasonCode::UnitMismatch);
        let mut recorded = false;
        if let (Some(sub), Some(hash), Some(key_id), true) = (
            &verdict.submission,
            &verdict.content_sha256,
            &verdict.key_id,
            recordable,
        ) {
            let verdict_json = serde_json::to_string(&view)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            recorded = store.add_intake(&IntakeRow {
                submission_id: sub.submission_id.to_string(),
                unit_code: sub.unit_code.clone(),
                key_id: key_id.clone(),
                content_sha256: hash.clone(),
                title: sub.title.clone(),
                received_at: now,
                received_by: clerk.name.clone(),
                verdict: verdict_json,
                bundle: bytes,
                status: "received".into(),
            })?;
        }
        let intake = match &view.submission_id {
            Some(id) => self.intake_view_in(&store, id)?,
            None => None,
        };
        Ok(IntakeReceived {
            verdict: view,
            recorded,
            intake,
        })
    }

    fn intake_view_in(&self, store: &Store, submission_id: &str) -> ApiResult<Option<IntakeView>> {
        let Some(row) = store.intake(submission_id)? else {
            return Ok(None);
        };
        Ok(Some(intake_view(store, &row)?))
    }

    /// Received bundles, newest first.
    pub fn intake_list(&self) -> ApiResult<Vec<IntakeView>> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        store
            .intake_list()?
            .iter()
            .map(|r| intake_view(&store, r))
            .collect()
    }

    /// Writes the payload of a received bundle (the de-identified policy and interpretation,
    /// the images, the review forms) into a folder for the reviewer to read. The stored bundle is
    /// verified again as of its receipt time, so only what was received and verified is written.
    pub fn intake_files(&self, req: IntakeFilesRequest) -> ApiResult<IntakeFiles> {
        let store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let row = store
            .intake(req.submission_id.trim())?
            .ok_or_else(|| ApiError::not_found("没有收到编号为该值的报送包。"))?;
        let verdict = verify_bundle(&row.bundle, &StoreTrust(&store), row.received_at);
        drop(store);
        if verdict.submission.is_none()
            || verdict.content_sha256.as_deref() != Some(row.content_sha256.as_str())
        {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "收件记录中的报送包无法再次通过签名和校验值核验，未写出文件。",
            ));
        }
        let stem = format!(
            "收件-{}-{}-{}",
            row.unit_code,
            file_stem(&row.title),
            &row.submission_id[..8.min(row.submission_id.len())]
        );
        let folder = if req.path.trim().is_empty() {
            self.target("", &stem, "")?
        } else {
            Path::new(req.path.trim()).join(&stem)
        };
        let mut files = Vec::new();
        for f in &verdict.payload {
            // Paths were checked by the bundle crate (no `..`, no absolute or drive paths).
            let target = f
                .path
                .split('/')
                .fold(folder.clone(), |p, part| p.join(part));
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    ApiError::new(
                        ErrorCode::SaveFailed,
                        format!("无法创建文件夹 {}：{e}", dir.display()),
                    )
                })?;
            }
            files.push(write_atomic(&target, &f.bytes)?);
        }
        Ok(IntakeFiles {
            folder: folder.display().to_string(),
            files,
        })
    }

    /// Accepts, returns or records the publication of a received bundle; the decision is a
    /// receipt signed with the office key, written to a file for the unit.
    pub fn intake_decide(&self, req: DecideRequest) -> ApiResult<Decided> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        Self::clerk(&store)?;
        let row = store
            .intake(req.submission_id.trim())?
            .ok_or_else(|| ApiError::not_found("没有收到编号为该值的报送包。"))?;
        let verdict: VerdictView = serde_json::from_str(&row.verdict)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let open = IntakeActions::of(&row.status, &verdict);
        let (decision, status) = match req.decision.trim() {
            "accept" | "accepted" | "受理" => {
                if row.status != "received" {
                    return Err(ApiError::invalid(format!(
                        "该报送包当前为“{}”，只有待处理的报送包才能受理。",
                        decision_label(&row.status)
                    )));
                }
                if !open.accept {
                    return Err(ApiError::new(
                        ErrorCode::GateClosed,
                        format!(
                            "校验未通过，不能受理，请退文：{}",
                            verdict
                                .reasons
                                .iter()
                                .map(|r| r.message.as_str())
                                .collect::<Vec<_>>()
                                .join("；")
                        ),
                    ));
                }
                (Decision::Accepted, "accepted")
            }
            "return" | "returned" | "退文" => {
                if !open.return_ {
                    return Err(ApiError::invalid(format!(
                        "该报送包当前为“{}”，不能再退文。",
                        decision_label(&row.status)
                    )));
                }
                let mut reasons: Vec<ReceiptReason> = verdict
                    .reasons
                    .iter()
                    .map(|r| ReceiptReason {
                        code: r.code.clone(),
                        message: r.message.clone(),
                    })
                    .collect();
                for r in req
                    .reasons
                    .iter()
                    .map(|r| r.trim())
                    .filter(|r| !r.is_empty())
                {
                    if r.chars().count() > 500 {
                        return Err(ApiError::invalid("每条退文理由不超过500字。"));
                    }
                    reasons.push(ReceiptReason {
                        code: "reviewer".into(),
                        message: r.into(),
                    });
                }
                if reasons.is_empty() {
                    return Err(ApiError::invalid("退文须写明理由，告诉单位需要修改什么。"));
                }
                (Decision::Returned { reasons }, "returned")
            }
            "publish" | "published" | "发布" => {
                if !open.publish {
                    return Err(ApiError::invalid("只有已受理的报送包才能登记发布。"));
                }
                let published_on: NaiveDate = crate::deadlines::date(&req.published_on)?;
                if published_on > local_date(self.clock.now()) {
                    return Err(ApiError::invalid("发布日期不能晚于今天。"));
                }
                let url = req.url.trim();
                if !(url.starts_with("http://") || url.starts_with("https://"))
                    || url.len() > 500
                    || url.chars().any(char::is_whitespace)
                {
                    return Err(ApiError::invalid(
                        "请填写发布页面的网址（以 http:// 或 https:// 开头）。",
                    ));
                }
                (
                    Decision::Published {
                        published_on,
                        url: url.into(),
                    },
                    "published",
                )
            }
            _ => {
                return Err(ApiError::invalid(
                    "处理方式应为 accept（受理）、return（退文）或 publish（登记发布）。",
                ))
            }
        };
        let (_, signer) = Self::unlock(&store, &req.password)?;
        let now = self.clock.now();
        let receipt = Receipt {
            format: String::new(),
            receipt_id: self.ids.new_uuid(),
            submission_id: Uuid::parse_str(&row.submission_id)
                .map_err(|_| ApiError::new(ErrorCode::Internal, "报送编号格式有误"))?,
            unit_code: row.unit_code.clone(),
            content_sha256: row.content_sha256.clone(),
            decision,
            decided_at: now,
            office_key_id: String::new(),
        };
        let body = sign_receipt(&receipt, &signer).map_err(bundle_err)?;
        let signed = verify_receipt(&body, signer.public_key()).map_err(bundle_err)?;
        store.issue_receipt(
            &ReceiptRow {
                receipt_id: signed.receipt_id.to_string(),
                submission_id: row.submission_id.clone(),
                decision: signed.decision.kind().into(),
                decided_at: now,
                direction: "issued".into(),
                body: body.clone(),
                recorded_at: now,
            },
            status,
        )?;
        let intake = self
            .intake_view_in(&store, &row.submission_id)?
            .ok_or_else(|| ApiError::not_found("报送包记录丢失"))?;
        drop(store);
        let name = format!(
            "回执-{}-{}-{}",
            row.unit_code,
            file_stem(&row.title),
            decision_label(signed.decision.kind())
        );
        let file = write_atomic(&self.target(&req.path, &name, ".json")?, &body)?;
        Ok(Decided {
            receipt: receipt_view(&signed),
            file,
            intake,
        })
    }
}

fn intake_view(store: &Store, row: &IntakeRow) -> ApiResult<IntakeView> {
    let verdict: VerdictView = serde_json::from_str(&row.verdict)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let actions = IntakeActions::of(&row.status, &verdict);
    Ok(IntakeView {
        submission_id: row.submission_id.clone(),
        unit_code: row.unit_code.clone(),
        unit_name: store
            .unit(&row.unit_code)
            .map(|u| u.name)
            .unwrap_or_else(|_| row.unit_code.clone()),
        title: row.title.clone(),
        received_at: rfc3339(row.received_at),
        status: row.status.clone(),
        verdict,
        receipts: store
            .receipts_for(&row.submission_id)?
            .iter()
            .filter_map(stored_receipt_view)
            .collect(),
        actions,
    })
}

fn verdict_view(v: &Verdict, warnings: Vec<ReasonView>) -> VerdictView {
    VerdictView {
        accepted_for_review: v.accepted_for_review,
        duplicate: v.duplicate,
        reasons: v
            .reasons
            .iter()
            .map(|r| reason_view(r.code, &r.message))
            .collect(),
        warnings,
        submission_id: v.submission.as_ref().map(|s| s.submission_id.to_string()),
        unit_code: v.submission.as_ref().map(|s| s.unit_code.clone()),
        title: v.submission.as_ref().map(|s| s.title.clone()),
        key_id: v.key_id.clone(),
        content_sha256: v.content_sha256.clone(),
        files: v
            .submission
            .as_ref()
            .map(|s| {
                s.files
                    .iter()
                    .map(|f| BundleFileView {
                        path: f.path.clone(),
                        role: role_label(f.role).into(),
                        size: f.size as u32,
                        sha256: f.sha256.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
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
        .map(|s| {
            s.files
                .iter()
                .map(|f| BundleFileView {
                    path: f.path.clone(),
                    role: role_label(f.role).into(),
                    size: f.size as u32,
                    sha256: f.sha256.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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

/// A stored image as it goes into a bundle: without metadata (images stored before metadata was
/// stripped on import are stripped here; the pixels the clerk confirmed are the same).
fn bundled_image(store: &Store, sha256: &str) -> ApiResult<(String, Vec<u8>)> {
    let (media, bytes) = store.image(sha256)?;
    let bytes = gongkai_deid::image::strip_metadata(&bytes)
        .map(|s| s.bytes)
        .unwrap_or(bytes);
    Ok((media, bytes))
}

/// Every image in a received bundle must have been confirmed in the unit's de-identification
/// review (its hash listed in `submission.json`) and carry no metadata.
fn image_reasons(reviewed: &[String], images: &[(String, Vec<u8>)]) -> Vec<(ReasonCode, String)> {
    let mut out = Vec::new();
    for (path, bytes) in images {
        let sha = hex::encode(Sha256::digest(bytes));
        if !reviewed.contains(&sha) {
            out.push((
                ReasonCode::ImageUnreviewed,
                format!("图片（{path}）未在单位的去标识化审查中确认。请退回单位逐张核对图片后重新报送。"),
            ));
        }
        match gongkai_deid::image::metadata(bytes) {
            Ok(m) if m.is_empty() => {}
            Ok(m) => out.push((
                ReasonCode::ImageMetadata,
                format!(
                    "图片（{path}）仍带有元数据（{}），可能含拍摄位置、设备或作者信息。请退回单位重新添加图片。",
                    m.join("、")
                ),
            )),
            Err(e) => out.push((ReasonCode::BagInvalid, format!("图片（{path}）无法读取：{e}"))),
        }
    }
    out
}

#[cfg(test)]
mod image_tests {
    use super::*;

    /// A 1×1 PNG; with `text`, a tEXt chunk naming its author.
    fn png(text: bool) -> Vec<u8> {
        let hex = if text {
            "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000001c74455874\
             417574686f72005a68616e6720576569203133383132333435363738787888a60000000a4944415478\
             9c636000000002000148afa4710000000049454e44ae426082"
        } else {
            "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478\
             9c636000000002000148afa4710000000049454e44ae426082"
        };
        hex::decode(hex).expect("hex")
    }

    #[test]
    fn an_unconfirmed_image_or_one_with_metadata_is_a_reason_to_return() {
        let clean = png(false);
        let sha = hex::encode(Sha256::digest(&clean));
        let ok = image_reasons(
            std::slice::from_ref(&sha),
            &[("images/graphic-01.png".into(), clean.clone())],
        );
        assert!(ok.is_empty(), "{ok:?}");
        let unconfirmed = image_reasons(&[], &[("images/graphic-01.png".into(), clean)]);
        assert_eq!(unconfirmed.len(), 1);
        assert_eq!(unconfirmed[0].0, ReasonCode::ImageUnreviewed);
        assert!(unconfirmed[0].1.contains("graphic-01.png"));
        let tagged = png(true);
        let sha = hex::encode(Sha256::digest(&tagged));
        let meta = image_reasons(&[sha], &[("images/graphic-02.png".into(), tagged)]);
        assert_eq!(meta.len(), 1);
        assert_eq!(meta[0].0, ReasonCode::ImageMetadata);
        assert!(meta[0].1.contains("PNG 文本"), "{}", meta[0].1);
    }
}
