//! Sync, as the window and the CLI ask for it: point this PC at the hub, run a sync, show where
//! it stands, list 冲突 documents side by side and save the clerk's merge.
//!
//! A unit PC's run is `gongkai_sync::UnitSync`; the office's run publishes its key list (made
//! from the trust store, signed with the office key) and takes in the submissions that arrived
//! on the hub through the same intake as a bundle opened from a file. Both need the key
//! password, which is used and dropped. The hub address, the last success and the last error
//! are settings; errors are kept in Chinese with their code for the status line.

use crate::exchange::Role;
use crate::{Api, ApiError, ApiResult, ErrorCode};
use chrono::SecondsFormat;
use gongkai_store::TrustedKeyRow;
use gongkai_sync::schedule::{Outcome, Schedule, Timings};
use gongkai_sync::{HubClient, SyncError, UnitSync};
use gongkai_sync_proto::{
    Dataset, DatasetHead, KeyList, ListedKey, ListedState, SignedDataset, SignedKeyList,
    SubmissionMeta,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One signed request to the hub: method, path, body → the answer's body.
pub(crate) type HubCall<'a> = dyn Fn(reqwest::Method, &str, Vec<u8>) -> ApiResult<Vec<u8>> + 'a;

/// scrypt work factor for this PC's sealed age identity (2^15: about 0.1 s).
const IDENTITY_WORK_FACTOR: u8 = 15;

/// Point this PC at a hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncConfigRequest {
    /// `https://host:port`, or `http://127.0.0.1:port` on this machine.
    pub hub: String,
    /// The office CA certificate (PEM) for https.
    #[ts(optional)]
    pub ca_file: Option<String>,
}

/// Run a sync now.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncNowRequest {
    /// The key password (used and dropped).
    pub password: String,
}

impl std::fmt::Debug for SyncNowRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncNowRequest { password: … }")
    }
}

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub configured: bool,
    pub hub: Option<String>,
    /// Changes of this PC the hub has not acknowledged.
    pub pending: u32,
    /// Entries from the hub this PC cannot use yet (e.g. before it has the unit key).
    pub waiting: u32,
    /// Documents in 冲突.
    pub conflicts: u32,
    pub last_sync: Option<String>,
    pub last_error: Option<String>,
    pub last_error_code: Option<String>,
    /// The background sync, while it is on.
    #[ts(optional)]
    pub background: Option<BackgroundView>,
}

/// The background sync as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackgroundView {
    /// When it runs next (RFC 3339).
    pub next_at: String,
    /// Failed runs in a row.
    pub failures: u32,
    /// Why it stopped until the clerk acts.
    #[ts(optional)]
    pub paused: Option<String>,
}

/// The background sync of this session: the key password, held in memory only (wiped when
/// stopped or when the app ends), and its schedule.
pub(crate) struct Background {
    password: zeroize::Zeroizing<String>,
    schedule: Schedule,
}

/// How a run's error bears on the schedule: what only the clerk can fix pauses it.
fn outcome_of(result: &ApiResult<SyncRun>) -> Outcome {
    match result {
        Ok(_) => Outcome::Success,
        Err(e) => match e.code {
            ErrorCode::SyncKeyRevoked
            | ErrorCode::SyncNotConfigured
            | ErrorCode::SetupRequired
            | ErrorCode::InvalidInput => Outcome::NeedsClerk(e.message.clone()),
            _ => Outcome::Failure,
        },
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncRun {
    pub pushed: u32,
    pub pulled: u32,
    pub applied_revisions: u32,
    pub new_conflicts: u32,
    pub uploaded: u32,
    /// Office: submissions taken in from the hub.
    pub received: u32,
    /// Office: the key list version the hub holds.
    pub key_list_version: Option<u64>,
    /// Reference datasets (holidays, units, catalogue, …): taken in from the office (unit), or
    /// published to the hub because the hub held an older version (office).
    pub reference: u32,
    pub waiting_for_key: bool,
    /// 依申请公开 register messages (转办, draft replies, decisions, figures) sent.
    pub register_sent: u32,
    /// Register messages taken in that changed the register or the units' figures.
    pub register_received: u32,
    /// Office: units whose messages wait because none of their PCs has reached the hub yet,
    /// and messages from units that were refused (with why).
    pub register_problems: Vec<String>,
    pub status: SyncStatus,
}

/// A reference dataset the office loads from a file (a newer holiday table, say) to use itself
/// and publish to the units with its next sync: `{"name": "holidays", "version": 3, "data": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferenceImported {
    pub name: String,
    pub version: u32,
    /// False when this PC already held this version or a newer one.
    pub loaded: bool,
}

/// Write a transfer bag for removable media.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaExportRequest {
    pub password: String,
    /// Where to write it (empty: the export folder).
    #[serde(default)]
    pub path: String,
    /// Everything from the first change, not only what was not exported yet.
    #[serde(default)]
    pub all: bool,
    /// Office: the unit the bag is for (its receipts, with the key list and reference data).
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
}

impl std::fmt::Debug for MediaExportRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaExportRequest")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Read a transfer bag.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaImportRequest {
    pub password: String,
    pub path: String,
}

impl std::fmt::Debug for MediaImportRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaImportRequest")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A transfer bag written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaExported {
    pub file: crate::WrittenFile,
    pub changes: u32,
    /// `series=from-to` per series in the bag.
    pub ranges: Vec<String>,
    /// Unit: bundles for the office in the bag.
    #[serde(default)]
    pub submissions: u32,
    /// Office: receipts for the unit in the bag.
    #[serde(default)]
    pub receipts: u32,
    /// Office: reference datasets in the bag.
    #[serde(default)]
    pub reference: u32,
    /// 依申请公开 register messages in the bag (转办 and decisions; draft replies and figures).
    #[serde(default)]
    pub notes: u32,
    /// Office: messages for the unit left out because none of its PCs is known yet (import a
    /// bag from the unit first, or let one of its PCs reach the hub).
    #[serde(default)]
    pub notes_waiting: u32,
}

/// A transfer bag read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaImported {
    pub changes: u32,
    pub applied_revisions: u32,
    pub new_conflicts: u32,
    pub waiting: u32,
    /// Office: bundles taken into intake.
    #[serde(default)]
    pub received: u32,
    /// Unit: the office's receipts imported (documents moved).
    #[serde(default)]
    pub receipts: u32,
    /// Unit: newer reference datasets taken.
    #[serde(default)]
    pub reference: u32,
    /// Register messages that changed the register or the units' figures.
    #[serde(default)]
    pub register: u32,
    /// Register messages refused, with why (the rest of the bag is taken in).
    #[serde(default)]
    pub problems: Vec<String>,
}

pub(crate) fn sync_err(e: SyncError) -> ApiError {
    match e {
        SyncError::Config(m) => ApiError::new(ErrorCode::InvalidInput, m),
        SyncError::Offline(_) => ApiError::new(ErrorCode::SyncOffline, e.to_string()),
        SyncError::Refused { ref code, .. } if code == "key_revoked" => ApiError::new(
            ErrorCode::SyncKeyRevoked,
            "同步服务器拒绝了本机密钥（key_revoked）：本机密钥已被指挥中心吊销，请重新生成密钥并登记，启用后再同步",
        ),
        SyncError::Refused {
            ref code,
            ref message,
        } => {
            let hint = match code.as_str() {
                "key_unknown" => "：请确认本机密钥已在指挥中心启用，且指挥中心已同步最新密钥清单",
                "clock_skew" => "",
                _ => "",
            };
            ApiError::new(
                ErrorCode::SyncRefused,
                format!("同步服务器拒绝了请求（{code}）：{message}{hint}"),
            )
        }
        SyncError::Crypto(gongkai_sync::crypto::CryptoError::WrongPassword) => {
            ApiError::new(ErrorCode::InvalidInput, "密钥密码不对，请重新输入")
        }
        SyncError::Media(m) => ApiError::new(ErrorCode::BadFile, m),
        SyncError::Store(s) => ApiError::from(s),
        other => ApiError::new(ErrorCode::Internal, other.to_string()),
    }
}

/// The office's key list from its trust store: active, retired (reads only) and revoked keys;
/// enrolled but not yet activated keys are left out. The version grows with the key log.
pub(crate) fn key_list_from(
    rows: &[TrustedKeyRow],
    version: u64,
    issued_at: String,
    office_key_id: &str,
) -> KeyList {
    let keys = rows
        .iter()
        .filter(|k| k.activated_at.is_some() || k.revoked_at.is_some())
        .map(|k| ListedKey {
            unit_id: k.unit_code.clone(),
            key_id: k.key_id.clone(),
            algorithm: k.algorithm.clone(),
            public_key: k.public_key.clone(),
            device_id: k.device_id.clone(),
            state: if k.revoked_at.is_some() {
                ListedState::Revoked
            } else if k.retired_until.is_some() {
                ListedState::Retired
            } else {
                ListedState::Active
            },
        })
        .collect();
    KeyList {
        version,
        issued_at,
        office_key_id: office_key_id.to_string(),
        keys,
    }
}

impl Api {
    /// Points this PC at a hub (checked, not contacted).
    pub fn sync_config(&self, req: SyncConfigRequest) -> ApiResult<SyncStatus> {
        let url = gongkai_sync::check_hub_url(&req.hub).map_err(sync_err)?;
        let ca = match req.ca_file.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                ApiError::new(ErrorCode::BadFile, format!("读不了根证书文件 {path}：{e}"))
            })?),
            None => None,
        };
        HubClient::new(&url, ca.as_deref().map(str::as_bytes)).map_err(sync_err)?;
        {
            let store = self.store()?;
            store.set_setting("sync.hub", &url)?;
            store.set_setting("sync.ca_pem", ca.as_deref().unwrap_or(""))?;
        }
        self.sync_status()
    }

    /// Where sync stands.
    pub fn sync_status(&self) -> ApiResult<SyncStatus> {
        let store = self.store()?;
        let hub = store.setting("sync.hub")?.filter(|s| !s.is_empty());
        Ok(SyncStatus {
            configured: hub.is_some(),
            hub,
            pending: store.sync_pending()?.len() as u32,
            waiting: store.sync_inbox()?.len() as u32,
            conflicts: crate::conflicts::count(&store)?,
            last_sync: store.setting("sync.last_sync")?,
            last_error: store.setting("sync.last_error")?.filter(|s| !s.is_empty()),
            last_error_code: store
                .setting("sync.last_error_code")?
                .filter(|s| !s.is_empty()),
            background: self.background_lock().as_ref().map(|b| BackgroundView {
                next_at: b
                    .schedule
                    .next_at
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
                failures: b.schedule.failures,
                paused: b.schedule.paused.clone(),
            }),
        })
    }

    fn background_lock(&self) -> std::sync::MutexGuard<'_, Option<Background>> {
        self.background.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Turns the background sync on for this session: the password is checked now and kept in
    /// memory (never written) so the app can sync every few minutes, backing off while the hub
    /// cannot be reached. The first run is due at once.
    pub fn sync_background_start(&self, req: SyncNowRequest) -> ApiResult<SyncStatus> {
        drop(self.hub_client()?);
        let device_id = {
            let store = self.store()?;
            Self::unlock(&store, &req.password)?;
            Self::clerk(&store)?.device_id.to_string()
        };
        *self.background_lock() = Some(Background {
            password: zeroize::Zeroizing::new(req.password),
            schedule: Schedule::start(self.clock.now(), &device_id),
        });
        self.sync_status()
    }

    /// Turns the background sync off and forgets the password.
    pub fn sync_background_stop(&self) -> ApiResult<SyncStatus> {
        *self.background_lock() = None;
        self.sync_status()
    }

    /// Runs the background sync if it is on and due (the shell calls this every few seconds);
    /// returns the status after a run, `None` when nothing was due.
    pub fn sync_tick(&self) -> ApiResult<Option<SyncStatus>> {
        let now = self.clock.now();
        let password = match self.background_lock().as_ref() {
            Some(b) if b.schedule.due(now) => b.password.clone(),
            _ => return Ok(None),
        };
        // A failed run is already in the status (last_error) and in the schedule.
        let _ = self.sync_now_with(&password, true);
        self.sync_status().map(Some)
    }

    fn hub_client(&self) -> ApiResult<HubClient> {
        let store = self.store()?;
        let url = store
            .setting("sync.hub")?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::SyncNotConfigured,
                    "还没有设置同步服务器：请在“同步”中填写指挥中心提供的地址（命令行：gongkai sync config --hub 地址）",
                )
            })?;
        let ca = store.setting("sync.ca_pem")?.filter(|s| !s.is_empty());
        HubClient::new(&url, ca.as_deref().map(str::as_bytes)).map_err(sync_err)
    }

    /// Runs a sync now (see the module doc); the outcome is also kept for the status line.
    pub fn sync_now(&self, req: SyncNowRequest) -> ApiResult<SyncRun> {
        self.sync_now_with(&req.password, false)
    }

    /// A run; its outcome also moves the background schedule, except a password mistyped for
    /// a manual run (the background keeps its own).
    fn sync_now_with(&self, password: &str, background: bool) -> ApiResult<SyncRun> {
        let result = self.sync_run(password);
        let mistyped = matches!(&result, Err(e) if e.code == ErrorCode::InvalidInput);
        if background || !mistyped {
            if let Some(b) = self.background_lock().as_mut() {
                b.schedule
                    .record(self.clock.now(), outcome_of(&result), &Timings::default());
            }
        }
        let store = self.store()?;
        match &result {
            Ok(_) => {
                store.set_setting(
                    "sync.last_sync",
                    &self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true),
                )?;
                store.set_setting("sync.last_error", "")?;
                store.set_setting("sync.last_error_code", "")?;
            }
            Err(e) => {
                store.set_setting("sync.last_error", &e.message)?;
                store.set_setting(
                    "sync.last_error_code",
                    serde_json::to_value(e.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .as_deref()
                        .unwrap_or(""),
                )?;
            }
        }
        drop(store);
        let mut run = result?;
        run.status = self.sync_status()?;
        Ok(run)
    }

    fn sync_run(&self, password: &str) -> ApiResult<SyncRun> {
        let hub = self.hub_client()?;
        let (role, signer) = {
            let store = self.store()?;
            let role = Self::role_in(&store)?;
            let (_, signer) = Self::unlock(&store, password)?;
            (role, signer)
        };
        match role {
            Role::Unit => self.sync_unit(&hub, &signer, password),
            Role::Office => self.sync_office(&hub, &signer),
        }
    }

    /// This PC's clerk and age identity (made and sealed with `password` on first use).
    pub(crate) fn unit_identity(
        &self,
        password: &str,
    ) -> ApiResult<(age::x25519::Identity, gongkai_core::Clerk)> {
        let store = self.store()?;
        Self::require_role(&store, Role::Unit)?;
        let clerk = Self::clerk(&store)?;
        let identity = match store.sync_identity()? {
            Some((_, sealed)) => gongkai_sync::crypto::open_identity(&sealed, password)
                .map_err(|e| sync_err(e.into()))?,
            None => {
                let (_, id) = gongkai_sync::crypto::new_identity();
                let sealed =
                    gongkai_sync::crypto::seal_identity(&id, password, IDENTITY_WORK_FACTOR)
                        .map_err(|e| sync_err(e.into()))?;
                let (_, stored) = store.sync_set_identity(
                    &id.to_public().to_string(),
                    &sealed,
                    self.clock.now(),
                )?;
                gongkai_sync::crypto::open_identity(&stored, password)
                    .map_err(|e| sync_err(e.into()))?
            }
        };
        Ok((identity, clerk))
    }

    pub(crate) fn media_run<T>(
        &self,
        password: &str,
        f: impl FnOnce(&UnitSync<'_>) -> Result<T, SyncError>,
    ) -> ApiResult<T> {
        let signer = {
            let store = self.store()?;
            Self::unlock(&store, password)?.1
        };
        let (identity, clerk) = self.unit_identity(password)?;
        let run = UnitSync {
            store: self.store_mutex()?,
            hub: None,
            signer: &signer,
            identity: &identity,
            unit_id: clerk.unit_id.clone(),
            device_id: clerk.device_id.to_string(),
            clock: self.clock.as_ref(),
            ids: self.ids.as_ref(),
            page: gongkai_sync::engine::PAGE,
        };
        f(&run).map_err(sync_err)
    }

    fn sync_unit(
        &self,
        hub: &HubClient,
        signer: &gongkai_bundle::Signer,
        password: &str,
    ) -> ApiResult<SyncRun> {
        let (identity, clerk) = self.unit_identity(password)?;
        let mutex = self.store_mutex()?;
        let run = UnitSync {
            store: mutex,
            hub: Some(hub),
            signer,
            identity: &identity,
            unit_id: clerk.unit_id.clone(),
            device_id: clerk.device_id.to_string(),
            clock: self.clock.as_ref(),
            ids: self.ids.as_ref(),
            // Tests shrink pages to stop a pull half-way; clerks never set it.
            page: std::env::var("GONGKAI_SYNC_PAGE")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(gongkai_sync::engine::PAGE),
        };
        let r = run.run().map_err(sync_err)?;
        if r.reference_updated > 0 {
            self.reload_scanner(&*self.store()?);
        }
        let receipts = self.import_synced_receipts()?;
        let register_received = self.import_office_notes(&identity)?;
        let register_sent = self.send_unit_notes(&run, signer)?;
        // The stage moves the receipts caused reach the unit's other PCs in this run.
        let more = if receipts > 0 {
            run.push_pending().map_err(sync_err)?
        } else {
            0
        };
        Ok(SyncRun {
            pushed: r.pushed + more,
            pulled: r.pulled,
            applied_revisions: r.applied_revisions,
            new_conflicts: r.new_conflicts,
            uploaded: r.uploaded,
            received: receipts,
            key_list_version: None,
            reference: r.reference_updated,
            waiting_for_key: r.waiting_for_key,
            register_sent,
            register_received,
            register_problems: Vec::new(),
            status: self.sync_status()?,
        })
    }

    /// Receipts the office sent over the hub wait in the inbox until they are imported here as
    /// a receipt file would be (verified against the pinned office key, the document moved).
    /// A receipt for a bundle made on another PC of the unit is not this PC's to record.
    fn import_synced_receipts(&self) -> ApiResult<u32> {
        let waiting = self.store()?.sync_inbox()?;
        let mut imported = 0;
        for (seq, json, _) in waiting {
            let Ok(change) = serde_json::from_str::<gongkai_sync_proto::Change>(&json) else {
                continue;
            };
            if change.kind != gongkai_sync_proto::ChangeKind::Receipt {
                continue;
            }
            let bytes = change.payload.into_bytes();
            let submission_here = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| {
                    v.get("submission_id")
                        .and_then(|s| s.as_str())
                        .map(str::to_string)
                })
                .map(|id| self.store().and_then(|s| Ok(s.submission_is_local(&id)?)))
                .transpose()?
                .unwrap_or(false);
            if !submission_here {
                self.store()?.sync_inbox_remove(seq)?;
                continue;
            }
            match self.receipt_import_bytes(bytes) {
                Ok(r) => {
                    if r.new {
                        imported += 1;
                    }
                    self.store()?.sync_inbox_remove(seq)?;
                }
                Err(e) => self.store()?.sync_inbox_reason(seq, &e.message)?,
            }
        }
        Ok(imported)
    }

    /// Sends the receipts the office issued to their units (series `receipts`).
    fn push_receipts(&self, call: &HubCall<'_>) -> ApiResult<u32> {
        let (pending, device) = {
            let store = self.store()?;
            let clerk = Self::clerk(&store)?;
            (store.sync_pending()?, clerk.device_id.to_string())
        };
        let mut changes = Vec::new();
        for row in pending.into_iter().filter(|r| r.series == "receipts") {
            let body = self.store()?.receipt_body(&row.record_id)?;
            let unit = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("unit_code")
                        .and_then(|u| u.as_str())
                        .map(str::to_string)
                })
                .ok_or_else(|| ApiError::new(ErrorCode::Internal, "回执中没有单位代码"))?;
            changes.push(gongkai_sync_proto::Change {
                change_id: row.change_id,
                unit_id: unit,
                series: format!("{device}/receipts"),
                seq: row.seq,
                kind: gongkai_sync_proto::ChangeKind::Receipt,
                doc_id: None,
                rev_id: None,
                parents: Vec::new(),
                key_version: None,
                payload: String::from_utf8(body)
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
                created_at: row.created_at,
            });
        }
        let mut pushed = 0;
        for chunk in changes.chunks(gongkai_sync::engine::BATCH) {
            let body = serde_json::to_vec(&gongkai_sync_proto::PushRequest {
                changes: chunk.to_vec(),
            })
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            let bytes = call(reqwest::Method::POST, "/v1/changes", body)?;
            let resp: gongkai_sync_proto::PushResponse = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            let acks: Vec<(String, i64)> = resp
                .acks
                .iter()
                .map(|a| (a.change_id.clone(), a.server_seq))
                .collect();
            self.store()?.sync_ack(&acks, self.clock.now())?;
            pushed += acks.len() as u32;
        }
        Ok(pushed)
    }

    /// Office: the key list made from the trust store, signed with the office key.
    pub(crate) fn signed_key_list(
        &self,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<SignedKeyList> {
        let store = self.store()?;
        let rows = store.trusted_keys()?;
        let version = store.key_log()?.len() as u64;
        let list = key_list_from(
            &rows,
            version,
            self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true),
            signer.key_id(),
        );
        SignedKeyList::sign(&list, signer).map_err(|e| ApiError::new(ErrorCode::Internal, e))
    }

    /// Office: a reference dataset it holds, signed with the office key.
    pub(crate) fn signed_dataset(
        &self,
        name: String,
        version: u32,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<SignedDataset> {
        let dataset = Dataset {
            json: self.store()?.seed_json(&name)?,
            name,
            version,
            issued_at: self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        SignedDataset::sign(&dataset, signer).map_err(|e| ApiError::new(ErrorCode::Internal, e))
    }

    fn sync_office(&self, hub: &HubClient, signer: &gongkai_bundle::Signer) -> ApiResult<SyncRun> {
        let signed = self.signed_key_list(signer)?;
        let version = serde_json::from_str::<KeyList>(&signed.list)
            .map(|l| l.version)
            .ok();
        let call = |method: reqwest::Method, path: &str, body: Vec<u8>| {
            let date = self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
            let nonce = self.ids.new_uuid().to_string();
            hub.call(
                signer,
                method,
                path,
                body,
                gongkai_sync::Stamp {
                    date: &date,
                    nonce: &nonce,
                },
                &[],
            )
            .map_err(sync_err)
        };
        let body = serde_json::to_vec(&signed)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        call(reqwest::Method::PUT, "/v1/keylist", body)?;
        let mut received = 0;
        let mut register_received = 0;
        let mut problems = Vec::new();
        loop {
            let since: i64 = self
                .store()?
                .setting("sync.office_cursor")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let bytes = call(
                reqwest::Method::GET,
                &format!("/v1/submissions?since={since}&limit=50"),
                Vec::new(),
            )?;
            let list: Vec<SubmissionMeta> = serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("同步服务器返回的报送列表格式不对：{e}"),
                )
            })?;
            if list.is_empty() {
                break;
            }
            for meta in list {
                let bundle = call(
                    reqwest::Method::GET,
                    &format!("/v1/submissions/{}", meta.submission_id),
                    Vec::new(),
                )?;
                // A unit's register message (JSON) or a bundle (a zip).
                if bundle.first() == Some(&b'{') {
                    match self.office_take_note(&bundle) {
                        Ok(crate::transfer::Taken::Nothing) => {}
                        Ok(_) => register_received += 1,
                        Err(e) => problems.push(format!("{}：{}", meta.unit_id, e.message)),
                    }
                } else if self.intake_receive_bytes(bundle)?.recorded {
                    received += 1;
                }
                self.store()?
                    .set_setting("sync.office_cursor", &meta.server_seq.to_string())?;
            }
        }
        let pushed = self.push_receipts(&call)?;
        let (register_sent, waiting) = self.push_office_notes(&call, signer)?;
        problems.extend(
            waiting
                .into_iter()
                .map(|u| format!("{u}：还没有电脑连上同步服务器，转办消息暂存本机")),
        );
        let reference = self.publish_reference(&call, signer)?;
        Ok(SyncRun {
            pushed,
            pulled: 0,
            applied_revisions: 0,
            new_conflicts: 0,
            uploaded: 0,
            received,
            key_list_version: version,
            reference,
            waiting_for_key: false,
            register_sent,
            register_received,
            register_problems: problems,
            status: self.sync_status()?,
        })
    }

    /// Office: every reference dataset this PC holds in a newer version than the hub, signed
    /// with the office key and published; returns how many.
    fn publish_reference(
        &self,
        call: &HubCall<'_>,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<u32> {
        let bytes = call(reqwest::Method::GET, "/v1/reference", Vec::new())?;
        let on_hub: Vec<DatasetHead> = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("同步服务器返回的参考数据列表格式不对：{e}"),
            )
        })?;
        let held = self.store()?.seed_versions()?;
        let mut published = 0;
        for (name, version, _) in held {
            if on_hub
                .iter()
                .any(|h| h.name == name && h.version >= version)
            {
                continue;
            }
            let signed = self.signed_dataset(name, version, signer)?;
            let body = serde_json::to_vec(&signed)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            call(reqwest::Method::PUT, "/v1/reference", body)?;
            published += 1;
        }
        Ok(published)
    }

    /// Office: loads a reference dataset from a file (see [`ReferenceImported`]); the units get
    /// it with the office's next sync.
    pub fn reference_import(&self, req: crate::FileRequest) -> ApiResult<ReferenceImported> {
        #[derive(Deserialize)]
        struct File {
            name: String,
            version: u32,
            data: serde_json::Value,
        }
        let bytes = crate::exchange::read_file(&req.path, 16 * 1024 * 1024, "参考数据文件")?;
        let file: File = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(
                ErrorCode::BadFile,
                format!("参考数据文件格式不对（应为 {{\"name\", \"version\", \"data\"}}）：{e}"),
            )
        })?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let known = store.seed_versions()?;
        if !known.iter().any(|(n, _, _)| *n == file.name) {
            let names: Vec<&str> = known.iter().map(|(n, _, _)| n.as_str()).collect();
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "没有名为 {} 的参考数据；可导入的有：{}",
                    file.name,
                    names.join("、")
                ),
            ));
        }
        // A table the app reads by shape is checked before it replaces the one in use.
        let data = file.data.to_string();
        match file.name.as_str() {
            "reply_templates" => {
                gongkai_core::request::ReplyTemplates::parse(&data).map_err(ApiError::invalid)?;
            }
            "duties" => {
                gongkai_core::duty::DutyBook::parse(&data).map_err(ApiError::invalid)?;
            }
            _ => {}
        }
        let loaded = store.apply_dataset(
            &gongkai_store::Dataset {
                name: file.name.clone(),
                version: file.version,
                json: file.data.to_string(),
            },
            self.clock.now(),
        )?;
        if loaded {
            self.reload_scanner(&store);
        }
        Ok(ReferenceImported {
            name: file.name,
            version: file.version,
            loaded,
        })
    }
}
