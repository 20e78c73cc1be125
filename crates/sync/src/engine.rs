//! One sync run of a unit's PC: announce this PC's recipient, pull the feed page by page (each
//! page applied with the cursor in one transaction), retry what waited, keep the unit data key
//! wrapped for every listed PC of the unit (a new one when a PC was revoked), then push the
//! outbox in order and upload bundles not yet on the hub. The store is locked only for each
//! local step, never across a network call, so the clerk keeps working while it runs.

use crate::crypto::{self, UnitKey};
use crate::messages::{RecipientBody, RevisionPayload, Signed, UnitKeyBody};
use crate::{HubClient, SyncError};
use chrono::SecondsFormat;
use gongkai_bundle::Signer;
use gongkai_core::{Clock, IdSource, RevId};
use gongkai_store::{
    Incoming, IncomingEntry, OutboxRow, PackageChange, PubEvent, RemoteRevision, Store, UnitEvent,
};
use gongkai_sync_proto::{
    Change, ChangeKind, DatasetHead, FeedPage, KeyList, ListedState, PushRequest, PushResponse,
    PushStatus, SignedDataset, SignedKeyList, SubmissionPut,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

/// The inbox reason of a receipt from the office not yet imported.
pub const RECEIPT_WAITING: &str = "回执待导入";
/// The inbox reason of an office register message until the API opens it.
pub const NOTE_WAITING: &str = "转办消息待导入";

/// Changes per push request.
pub const BATCH: usize = 200;
/// Entries per feed page.
pub const PAGE: u32 = 500;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: u32,
    pub pulled: u32,
    pub applied_revisions: u32,
    pub new_conflicts: u32,
    pub waiting: u32,
    pub uploaded: u32,
    /// Reference datasets the office issued that were newer than this PC's.
    pub reference_updated: u32,
    /// No unit data key reaches this PC yet: its drafts wait until another PC of the unit
    /// syncs and wraps the key for it.
    pub waiting_for_key: bool,
}

/// Everything a run needs.
pub struct UnitSync<'a> {
    pub store: &'a Mutex<Store>,
    /// None for media transfer (no network).
    pub hub: Option<&'a HubClient>,
    pub signer: &'a Signer,
    pub identity: &'a age::x25519::Identity,
    pub unit_id: String,
    pub device_id: String,
    pub clock: &'a dyn Clock,
    pub ids: &'a dyn IdSource,
    /// Feed entries per page (at most the hub's 1,000).
    pub page: u32,
}

fn lock(m: &Mutex<Store>) -> MutexGuard<'_, Store> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl UnitSync<'_> {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        lock(self.store)
    }

    fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, SyncError> {
        self.call_with(method, path, body, &[])
    }

    fn call_with(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
        extra: &[(&str, String)],
    ) -> Result<Vec<u8>, SyncError> {
        let date = self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let nonce = self.ids.new_uuid().to_string();
        self.hub
            .ok_or_else(|| SyncError::Config("还没有设置同步服务器".into()))?
            .call(
                self.signer,
                method,
                path,
                body,
                crate::Stamp {
                    date: &date,
                    nonce: &nonce,
                },
                extra,
            )
    }

    /// Uploads bytes meant for the office (a register message, the year's figures) on the
    /// submissions channel; a retry with the same id and bytes is answered as a duplicate.
    pub fn send_to_office(&self, id: &str, bytes: Vec<u8>) -> Result<SubmissionPut, SyncError> {
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let answer = self.call_with(
            reqwest::Method::PUT,
            &format!("/v1/submissions/{id}"),
            bytes,
            &[("gongkai-sha256", sha)],
        )?;
        serde_json::from_slice(&answer).map_err(|e| SyncError::Protocol(format!("submission: {e}")))
    }

    fn series(&self, stream: &str) -> String {
        format!("{}/{stream}", self.device_id)
    }

    /// The run (see the module doc).
    pub fn run(&self) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.announce()?;
        // Push key messages first: a new PC must be known before others can wrap for it.
        self.push(&mut report, true)?;
        self.pull(&mut report)?;
        self.refresh_reference(&mut report)?;
        self.retry_inbox(&mut report)?;
        self.maintain_keys(&mut report)?;
        self.retry_inbox(&mut report)?;
        self.push(&mut report, false)?;
        self.upload(&mut report)?;
        let waiting = lock(self.store).sync_inbox()?.len() as u32;
        report.waiting = waiting;
        Ok(report)
    }

    pub(crate) fn announce(&self) -> Result<(), SyncError> {
        let mut store = lock(self.store);
        let queued = store.sync_outbox_from("keys", 0)?.iter().any(|r| {
            r.kind == ChangeKind::DeviceRecipient.as_str()
                && r.record_id.ends_with(self.signer.key_id())
        });
        if queued {
            return Ok(());
        }
        let body = RecipientBody {
            unit_id: self.unit_id.clone(),
            key_id: self.signer.key_id().to_string(),
            device_id: self.device_id.clone(),
            recipient: self.identity.to_public().to_string(),
        };
        let signed = Signed::sign(&body, self.signer).map_err(SyncError::Signing)?;
        let payload = serde_json::to_string(&signed).map_err(SyncError::internal)?;
        let change_id = format!("{}-{}", self.ids.new_uuid(), self.signer.key_id());
        store.sync_queue_key_message(
            &change_id,
            ChangeKind::DeviceRecipient.as_str(),
            &payload,
            self.clock.now(),
        )?;
        Ok(())
    }

    /// The key list this PC trusts (verified with a pinned office key), newest kept.
    pub(crate) fn key_list(&self) -> Result<Option<KeyList>, SyncError> {
        let store = lock(self.store);
        let Some((_, list, signature)) = store.sync_key_list()? else {
            return Ok(None);
        };
        let signed = SignedKeyList { list, signature };
        for (_, pk) in store.office_keys()? {
            if let Ok(l) = signed.verify(&pk) {
                return Ok(Some(l));
            }
        }
        Ok(None)
    }

    pub(crate) fn take_key_list(&self, signed: &SignedKeyList) -> Result<(), SyncError> {
        take_key_list(&lock(self.store), signed)
    }

    /// The unit keys this PC can open: version → (key, first server_seq).
    pub(crate) fn readable_keys(&self) -> Result<BTreeMap<String, (UnitKey, i64)>, SyncError> {
        let rows = lock(self.store).sync_unit_keys()?;
        let mut out = BTreeMap::new();
        for w in rows {
            if w.key_id != self.signer.key_id() || out.contains_key(&w.key_version) {
                continue;
            }
            if let Ok(k) = crypto::unwrap_key(&w.wrapped, self.identity) {
                out.insert(w.key_version, (k, w.server_seq));
            }
        }
        Ok(out)
    }

    pub(crate) fn decode(
        &self,
        server_seq: i64,
        change: &Change,
        list: Option<&KeyList>,
        keys: &BTreeMap<String, (UnitKey, i64)>,
    ) -> Result<IncomingEntry, SyncError> {
        let change_json = serde_json::to_string(change).map_err(SyncError::internal)?;
        let wait = |reason: &str| IncomingEntry {
            server_seq,
            change_json: change_json.clone(),
            incoming: Incoming::Wait {
                change_json: change_json.clone(),
                reason: reason.to_string(),
            },
        };
        if change.unit_id != self.unit_id {
            return Ok(IncomingEntry {
                server_seq,
                change_json,
                incoming: Incoming::Nothing,
            });
        }
        let incoming = match change.kind {
            ChangeKind::DeviceRecipient | ChangeKind::UnitKey => {
                let Some(list) = list else {
                    return Ok(wait("尚未收到指挥中心的密钥清单"));
                };
                let signed: Signed = match serde_json::from_slice(&base64_or_raw(&change.payload)) {
                    Ok(s) => s,
                    Err(_) => return Ok(wait("密钥消息格式不对")),
                };
                if change.kind == ChangeKind::DeviceRecipient {
                    match signed.open::<RecipientBody>(list, &self.unit_id) {
                        Ok(b) if b.key_id == signed.key_id && b.unit_id == self.unit_id => {
                            Incoming::Recipient {
                                key_id: b.key_id,
                                unit_id: b.unit_id,
                                device_id: b.device_id,
                                recipient: b.recipient,
                            }
                        }
                        Ok(_) => return Ok(wait("密钥消息与签名密钥不符")),
                        Err(why) => return Ok(wait(&why)),
                    }
                } else {
                    match signed.open::<UnitKeyBody>(list, &self.unit_id) {
                        Ok(b) if b.created_by == signed.key_id && b.unit_id == self.unit_id => {
                            Incoming::UnitKeyWraps {
                                key_version: b.key_version,
                                created_by: b.created_by,
                                wraps: b.wraps,
                            }
                        }
                        Ok(_) => return Ok(wait("密钥消息与签名密钥不符")),
                        Err(why) => return Ok(wait(&why)),
                    }
                }
            }
            ChangeKind::DocRevision
            | ChangeKind::PackageRevision
            | ChangeKind::PubEvent
            | ChangeKind::UnitEvent => {
                if change.series.starts_with(&format!("{}/", self.device_id)) {
                    Incoming::Nothing
                } else {
                    let Some((key, _)) = change.key_version.as_ref().and_then(|v| keys.get(v))
                    else {
                        return Ok(wait("本机还没有拿到本单位的数据密钥"));
                    };
                    let plain = match crypto::open(key, change) {
                        Ok(p) => p,
                        Err(e) => return Ok(wait(&e.to_string())),
                    };
                    match decode_sealed(change, &plain, &self.unit_id) {
                        Ok(incoming) => incoming,
                        Err(why) => return Ok(wait(&why)),
                    }
                }
            }
            // Imported by the API (it verifies and moves the document), from the inbox.
            ChangeKind::Receipt => return Ok(wait(RECEIPT_WAITING)),
            // Opened by the API with this PC's identity (sealed for the unit's PCs, signed by
            // the office), from the inbox.
            ChangeKind::OfficeNote => return Ok(wait(NOTE_WAITING)),
        };
        Ok(IncomingEntry {
            server_seq,
            change_json,
            incoming,
        })
    }

    fn pull(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        loop {
            let since = lock(self.store).sync_cursor()?;
            let bytes = self.call(
                reqwest::Method::GET,
                &format!("/v1/feed?since={since}&limit={}", self.page.clamp(1, 1000)),
                Vec::new(),
            )?;
            let page: FeedPage = serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::Protocol(format!("feed: {e}")))?;
            if let Some(signed) = &page.key_list {
                self.take_key_list(signed)?;
            }
            let list = self.key_list()?;
            // Key messages of this page first, so revisions sealed with a key wrapped in the
            // same page open.
            let mut keys = self.readable_keys()?;
            for e in &page.entries {
                if e.change.kind == ChangeKind::UnitKey {
                    if let Ok(entry) = self.decode(e.server_seq, &e.change, list.as_ref(), &keys) {
                        if let Incoming::UnitKeyWraps {
                            key_version, wraps, ..
                        } = entry.incoming
                        {
                            for (kid, w) in wraps {
                                if kid == self.signer.key_id() && !keys.contains_key(&key_version) {
                                    if let Ok(k) = crypto::unwrap_key(&w, self.identity) {
                                        keys.insert(key_version.clone(), (k, e.server_seq));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let mut decoded = Vec::with_capacity(page.entries.len());
            for e in &page.entries {
                decoded.push(self.decode(e.server_seq, &e.change, list.as_ref(), &keys)?);
            }
            let applied = lock(self.store).sync_apply(&decoded, Some(page.next_since), false)?;
            report.pulled += page.entries.len() as u32;
            report.applied_revisions += applied.revisions;
            report.new_conflicts += applied.conflicts;
            if !page.more {
                return Ok(());
            }
        }
    }

    pub(crate) fn retry_inbox(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let waiting = lock(self.store).sync_inbox()?;
        if waiting.is_empty() {
            return Ok(());
        }
        let list = self.key_list()?;
        let keys = self.readable_keys()?;
        let mut decoded = Vec::new();
        for (seq, json, _) in waiting {
            let Ok(change) = serde_json::from_str::<Change>(&json) else {
                continue;
            };
            decoded.push(self.decode(seq, &change, list.as_ref(), &keys)?);
        }
        let applied = lock(self.store).sync_apply(&decoded, None, true)?;
        report.applied_revisions += applied.revisions;
        report.new_conflicts += applied.conflicts;
        Ok(())
    }

    /// Keeps the unit data key wrapped for every listed PC of the unit; a new key when a PC
    /// that holds the current one was revoked; the first key when the unit has none.
    pub(crate) fn maintain_keys(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let Some(list) = self.key_list()? else {
            return Ok(());
        };
        let me = self.signer.key_id().to_string();
        let (recipients, wraps) = {
            let store = lock(self.store);
            (store.sync_recipients()?, store.sync_unit_keys()?)
        };
        // Who may hold the unit key: listed for this unit and not revoked, with a recipient.
        let mut eligible: BTreeMap<String, String> = recipients
            .into_iter()
            .filter(|(kid, unit, _, _)| {
                unit == &self.unit_id
                    && list.key(kid).is_some_and(|k| {
                        k.unit_id == self.unit_id && k.state != ListedState::Revoked
                    })
            })
            .map(|(kid, _, _, r)| (kid, r))
            .collect();
        eligible.insert(me.clone(), self.identity.to_public().to_string());
        let mut holders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for w in &wraps {
            holders
                .entry(w.key_version.clone())
                .or_default()
                .insert(w.key_id.clone());
        }
        let readable = self.readable_keys()?;
        let current = readable
            .iter()
            .max_by_key(|(v, (_, seq))| (*seq, (*v).clone()))
            .map(|(v, (k, _))| (v.clone(), k.clone()));
        let (version, key, missing) = match current {
            None if !holders.is_empty() => {
                report.waiting_for_key = true;
                return Ok(());
            }
            None => {
                let v = self.ids.new_uuid().to_string();
                (v, UnitKey::generate(), eligible.clone())
            }
            Some((v, k)) => {
                let held = holders.get(&v).cloned().unwrap_or_default();
                let revoked_holder = held.iter().any(|kid| {
                    list.key(kid)
                        .is_none_or(|k| k.state == ListedState::Revoked)
                });
                if revoked_holder {
                    let nv = self.ids.new_uuid().to_string();
                    (nv, UnitKey::generate(), eligible.clone())
                } else {
                    let missing: BTreeMap<String, String> = eligible
                        .iter()
                        .filter(|(kid, _)| !held.contains(*kid))
                        .map(|(a, b)| (a.clone(), b.clone()))
                        .collect();
                    (v, k, missing)
                }
            }
        };
        if missing.is_empty() {
            return Ok(());
        }
        let mut body = UnitKeyBody {
            unit_id: self.unit_id.clone(),
            key_version: version.clone(),
            created_by: me.clone(),
            wraps: Vec::new(),
        };
        for (kid, rcpt) in &missing {
            body.wraps
                .push((kid.clone(), crypto::wrap_key(&key, rcpt)?));
        }
        let signed = Signed::sign(&body, self.signer).map_err(SyncError::Signing)?;
        let payload = serde_json::to_string(&signed).map_err(SyncError::internal)?;
        let mut store = lock(self.store);
        store.sync_queue_key_message(
            &self.ids.new_uuid().to_string(),
            ChangeKind::UnitKey.as_str(),
            &payload,
            self.clock.now(),
        )?;
        // Known locally at once (as the newest), so this run can seal with it.
        let entry = IncomingEntry {
            server_seq: i64::MAX / 2,
            change_json: String::new(),
            incoming: Incoming::UnitKeyWraps {
                key_version: version,
                created_by: me,
                wraps: body.wraps,
            },
        };
        store.sync_apply(&[entry], None, false)?;
        Ok(())
    }

    pub(crate) fn build_change(
        &self,
        row: &OutboxRow,
        keys: &BTreeMap<String, (UnitKey, i64)>,
    ) -> Result<Option<Change>, SyncError> {
        let kind = match row.kind.as_str() {
            "doc_revision" => ChangeKind::DocRevision,
            "package_revision" => ChangeKind::PackageRevision,
            "pub_event" => ChangeKind::PubEvent,
            "unit_event" => ChangeKind::UnitEvent,
            "device_recipient" => ChangeKind::DeviceRecipient,
            "unit_key" => ChangeKind::UnitKey,
            other => return Err(SyncError::Protocol(format!("unknown outbox kind {other}"))),
        };
        let mut change = Change {
            change_id: row.change_id.clone(),
            unit_id: self.unit_id.clone(),
            series: self.series(&row.series),
            seq: row.seq,
            kind,
            doc_id: None,
            rev_id: None,
            parents: Vec::new(),
            key_version: None,
            payload: String::new(),
            created_at: row.created_at.clone(),
        };
        if !kind.is_encrypted() {
            change.payload = row.payload.clone().unwrap_or_default();
            return Ok(Some(change));
        }
        let Some((version, (key, _))) =
            keys.iter().max_by_key(|(v, (_, seq))| (*seq, (*v).clone()))
        else {
            return Ok(None);
        };
        let plain = match kind {
            ChangeKind::DocRevision => {
                let rev_id = RevId::parse(&row.record_id).map_err(SyncError::internal)?;
                let out = lock(self.store).sync_revision(rev_id)?;
                let (rev, merges) = (out.revision, out.merges);
                change.doc_id = Some(rev.meta.doc_id.to_string());
                change.rev_id = Some(rev.meta.rev_id.to_string());
                change.parents = rev
                    .meta
                    .parent_rev_id
                    .iter()
                    .chain(merges.iter())
                    .map(|r| r.to_string())
                    .collect();
                let payload = RevisionPayload {
                    unit_id: out.unit_id,
                    doc_created_by: out.doc_created_by,
                    doc_created_at: out.doc_created_at,
                    meta: rev.meta,
                    merges,
                    fields: rev.fields,
                };
                serde_json::to_vec(&payload).map_err(SyncError::internal)?
            }
            ChangeKind::PackageRevision => {
                let p = lock(self.store).sync_package(&row.record_id)?;
                change.doc_id = Some(p.doc_id.clone());
                change.rev_id = Some(p.rev_id.clone());
                change.parents = p.parent_rev_id.iter().chain(&p.merges).cloned().collect();
                serde_json::to_vec(&p).map_err(SyncError::internal)?
            }
            ChangeKind::UnitEvent => {
                let e = lock(self.store).sync_unit_event(&row.record_id)?;
                change.rev_id = Some(e.event_id.clone());
                change.parents = e.parent_id.iter().chain(&e.merges).cloned().collect();
                serde_json::to_vec(&e).map_err(SyncError::internal)?
            }
            _ => {
                let e = lock(self.store).sync_pub_event(&row.record_id)?;
                change.doc_id = Some(e.doc_id.clone());
                change.rev_id = Some(e.event_id.clone());
                change.parents = e.parent_id.iter().chain(&e.merges).cloned().collect();
                serde_json::to_vec(&e).map_err(SyncError::internal)?
            }
        };
        change.key_version = Some(version.clone());
        change.payload = crypto::seal(key, &change, &plain)?;
        Ok(Some(change))
    }

    /// Pushes what the outbox holds now (e.g. the stage moves a receipt just caused); returns
    /// how many changes went.
    pub fn push_pending(&self) -> Result<u32, SyncError> {
        let mut report = SyncReport::default();
        self.push(&mut report, false)?;
        Ok(report.pushed)
    }

    fn push(&self, report: &mut SyncReport, keys_only: bool) -> Result<(), SyncError> {
        let keys = self.readable_keys()?;
        let pending = lock(self.store).sync_pending()?;
        let mut batch = Vec::new();
        for row in pending.iter().filter(|r| !keys_only || r.series == "keys") {
            match self.build_change(row, &keys)? {
                Some(c) => batch.push(c),
                None => {
                    report.waiting_for_key = true;
                    break;
                }
            }
        }
        for chunk in batch.chunks(BATCH) {
            let body = serde_json::to_vec(&PushRequest {
                changes: chunk.to_vec(),
            })
            .map_err(SyncError::internal)?;
            let bytes = self.call(reqwest::Method::POST, "/v1/changes", body)?;
            let resp: PushResponse = serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::Protocol(format!("push: {e}")))?;
            let acks: Vec<(String, i64)> = resp
                .acks
                .iter()
                .map(|a| (a.change_id.clone(), a.server_seq))
                .collect();
            lock(self.store).sync_ack(&acks, self.clock.now())?;
            report.pushed += resp
                .acks
                .iter()
                .filter(|a| a.status != PushStatus::Duplicate)
                .count() as u32;
        }
        Ok(())
    }

    /// Takes every reference dataset the hub holds in a newer version than this PC, each only
    /// when a pinned office key verifies it.
    fn refresh_reference(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let bytes = self.call(reqwest::Method::GET, "/v1/reference", Vec::new())?;
        let heads: Vec<DatasetHead> = serde_json::from_slice(&bytes)
            .map_err(|e| SyncError::Protocol(format!("reference: {e}")))?;
        let have = lock(self.store).seed_versions()?;
        for head in heads {
            let held = have.iter().find(|(n, _, _)| *n == head.name).map(|h| h.1);
            let plain_name = !head.name.is_empty()
                && head
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_');
            if held.is_some_and(|v| v >= head.version) || !plain_name {
                continue;
            }
            let bytes = self.call(
                reqwest::Method::GET,
                &format!("/v1/reference/{}", head.name),
                Vec::new(),
            )?;
            let signed: SignedDataset = serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::Protocol(format!("reference {}: {e}", head.name)))?;
            if take_dataset(
                &mut lock(self.store),
                &signed,
                Some(&head.name),
                self.clock.now(),
            )? {
                report.reference_updated += 1;
            }
        }
        Ok(())
    }

    fn upload(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let ids = lock(self.store).sync_submissions_to_upload()?;
        for id in ids {
            let row = lock(self.store).submission(&id)?;
            let put = self.send_to_office(&id, row.bundle)?;
            lock(self.store).sync_uploaded(&id, put.server_seq, self.clock.now())?;
            report.uploaded += 1;
        }
        Ok(())
    }
}

/// Keeps the office's key list if a pinned office key verifies it (and it is newer).
pub fn take_key_list(store: &Store, signed: &SignedKeyList) -> Result<(), SyncError> {
    let pinned = store.office_keys()?;
    if pinned.is_empty() {
        return Err(SyncError::Config(
            "本机还没有登记指挥中心的公钥，无法核验密钥清单：请先在“密钥”中导入并核对指挥中心公钥"
                .into(),
        ));
    }
    let mut last_err = None;
    for (_, pk) in pinned {
        match signed.verify(&pk) {
            Ok(list) => {
                store.sync_set_key_list(list.version, &signed.list, &signed.signature)?;
                return Ok(());
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(SyncError::KeyList(
        last_err.map(|e| e.to_string()).unwrap_or_default(),
    ))
}

/// Applies a reference dataset the office signed, if a pinned office key verifies it (and, when
/// given, it has the name asked for); true when it was newer and applied.
pub fn take_dataset(
    store: &mut Store,
    signed: &SignedDataset,
    expected_name: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, SyncError> {
    let mut why = String::from("本机没有固定指挥中心公钥");
    let verified = store
        .office_keys()?
        .iter()
        .find_map(|(_, pk)| match signed.verify(pk) {
            Ok(d) => Some(d),
            Err(e) => {
                why = e;
                None
            }
        });
    let Some(d) = verified else {
        return Err(SyncError::KeyList(format!(
            "参考数据未通过指挥中心签名验证，已拒收：{why}"
        )));
    };
    if let Some(name) = expected_name.filter(|n| *n != d.name) {
        return Err(SyncError::Protocol(format!(
            "参考数据名称不符：要的是 {name}，收到的是 {}",
            d.name
        )));
    }
    let dataset = gongkai_store::Dataset {
        name: d.name,
        version: d.version,
        json: d.json,
    };
    Ok(store.apply_dataset(&dataset, now)?)
}

/// The record inside a sealed change, checked against the change's routing fields (the hub
/// routes by them; a payload that says otherwise is not applied).
fn decode_sealed(change: &Change, plain: &[u8], unit_id: &str) -> Result<Incoming, String> {
    let routed = |doc: &str, id: &str| {
        change.doc_id.as_deref() == Some(doc) && change.rev_id.as_deref() == Some(id)
    };
    match change.kind {
        ChangeKind::DocRevision => {
            let p: RevisionPayload =
                serde_json::from_slice(plain).map_err(|e| format!("修订内容格式不对：{e}"))?;
            if p.unit_id != unit_id
                || !routed(&p.meta.doc_id.to_string(), &p.meta.rev_id.to_string())
            {
                return Err("修订内容与路由信息不符".into());
            }
            Ok(Incoming::Revision(Box::new(RemoteRevision {
                unit_id: p.unit_id,
                meta: p.meta,
                merges: p.merges,
                fields: p.fields,
                doc_created_by: p.doc_created_by,
                doc_created_at: p.doc_created_at,
            })))
        }
        ChangeKind::PackageRevision => {
            let p: PackageChange =
                serde_json::from_slice(plain).map_err(|e| format!("解读材料格式不对：{e}"))?;
            if !routed(&p.doc_id, &p.rev_id) {
                return Err("解读材料与路由信息不符".into());
            }
            Ok(Incoming::Package(Box::new(p)))
        }
        ChangeKind::UnitEvent => {
            let e: UnitEvent =
                serde_json::from_slice(plain).map_err(|e| format!("登记记录格式不对：{e}"))?;
            if change.doc_id.is_some() || change.rev_id.as_deref() != Some(e.event_id.as_str()) {
                return Err("登记记录与路由信息不符".into());
            }
            Ok(Incoming::UnitEvent(Box::new(e)))
        }
        _ => {
            let e: PubEvent =
                serde_json::from_slice(plain).map_err(|e| format!("流程记录格式不对：{e}"))?;
            if !routed(&e.doc_id, &e.event_id) {
                return Err("流程记录与路由信息不符".into());
            }
            Ok(Incoming::PubEvent(Box::new(e)))
        }
    }
}

/// Key messages travel as JSON text in the payload.
fn base64_or_raw(payload: &str) -> Vec<u8> {
    payload.as_bytes().to_vec()
}
