//! Removable media: the same changes as on the wire, in a signed BagIt transfer bag
//! (`gongkai_bundle::build_transfer`), for a PC of the unit that never reaches the hub.
//!
//! Export writes this PC's changes not yet exported (or all, on request) — its key messages
//! and its sealed revisions — with the office's signed key list it holds, and labels each
//! series' range (`Gongkai-Series: <series>=<from>-<to>`). Import takes the key list first
//! (verified with the pinned office key), then verifies the bag's signature against it, refuses
//! a bag that skips numbers of a series it has seen (naming them), and applies the changes
//! through the same decoding and the same transaction as a feed page: importing twice changes
//! nothing, and what cannot be used yet waits in the inbox.
//!
//! The bag also carries the bundles made here that have not reached the office (no hub, no
//! receipt yet): the office reads only those (the API's `media` module), as it cannot open the
//! sealed changes. The office's own bag for a unit (key list, reference data, receipts) is
//! written and read by the API's `media` module, signed with the office key.

use crate::engine::UnitSync;
use crate::SyncError;
use gongkai_bundle::{build_transfer, open_transfer, peek_transfer_file, Algorithm};
use gongkai_store::IncomingEntry;
use gongkai_sync_proto::{Change, SignedKeyList};
use std::collections::BTreeMap;

/// The changes in a unit PC's bag, one JSON line each.
pub const MESSAGES: &str = "messages.jsonl";
const KEYLIST: &str = "keylist.json";
/// Bundles for the office, `submissions/<id>.zip`.
pub const SUBMISSIONS: &str = "submissions/";

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaExport {
    pub bag: Vec<u8>,
    pub changes: u32,
    /// Bundles for the office in the bag (made here, neither uploaded nor answered yet).
    pub submissions: u32,
    /// `series=from-to` per series in the bag.
    pub ranges: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaImport {
    pub changes: u32,
    pub applied_revisions: u32,
    pub new_conflicts: u32,
    pub waiting: u32,
}

fn setting_key(series: &str) -> String {
    format!("sync.media.{series}")
}

impl UnitSync<'_> {
    /// Writes a transfer bag (see the module doc); `all` re-exports from the first change.
    /// `extra`: further files for the office (the API's register messages), added as they are.
    pub fn export_media(
        &self,
        all: bool,
        extra: Vec<(String, Vec<u8>)>,
    ) -> Result<MediaExport, SyncError> {
        self.announce()?;
        let mut report = crate::SyncReport::default();
        self.maintain_keys(&mut report)?;
        let keys = self.readable_keys()?;
        let rows = {
            let store = self.lock();
            let mut rows = Vec::new();
            for series in ["keys", "main"] {
                let after = if all {
                    0
                } else {
                    store
                        .setting(&format!("sync.media_out.{series}"))?
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                };
                rows.extend(store.sync_outbox_from(series, after)?);
            }
            rows
        };
        let mut lines = Vec::new();
        let mut ranges: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for row in &rows {
            let Some(change) = self.build_change(row, &keys)? else {
                break; // no unit key yet: the revisions wait for a later bag
            };
            let r = ranges
                .entry(change.series.clone())
                .or_insert((change.seq, change.seq));
            r.1 = change.seq;
            lines.push(serde_json::to_string(&change).map_err(SyncError::internal)?);
        }
        let mut files = vec![(
            MESSAGES.to_string(),
            lines
                .iter()
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .into_bytes(),
        )];
        if let Some((_, list, signature)) = self.lock().sync_key_list()? {
            let signed = SignedKeyList { list, signature };
            files.push((
                KEYLIST.to_string(),
                serde_json::to_vec(&signed).map_err(SyncError::internal)?,
            ));
        }
        // Bundles for the office that have no other way there yet: the office takes them in
        // from the bag as from the hub (the same bundle twice is the same answer).
        let submissions: Vec<(String, Vec<u8>)> = {
            let store = self.lock();
            let mut out = Vec::new();
            for id in store.sync_submissions_to_upload()? {
                if store.receipts_for(&id)?.is_empty() {
                    out.push((
                        format!("{SUBMISSIONS}{id}.zip"),
                        store.submission(&id)?.bundle,
                    ));
                }
            }
            out
        };
        let n_submissions = submissions.len() as u32;
        files.extend(submissions);
        files.extend(extra);
        let range_text: Vec<String> = ranges
            .iter()
            .map(|(s, (a, b))| format!("{s}={a}-{b}"))
            .collect();
        let mut labels: Vec<(&str, String)> = vec![
            ("Gongkai-Transfer", "1".into()),
            ("Gongkai-Unit", self.unit_id.clone()),
            ("Gongkai-Device", self.device_id.clone()),
        ];
        for r in &range_text {
            labels.push(("Gongkai-Series", r.clone()));
        }
        labels.push(("Gongkai-Submissions", n_submissions.to_string()));
        let now = self.clock.now();
        let root = format!("gongkai-transfer-{}", self.ids.new_uuid());
        let bag = build_transfer(
            &root,
            &labels,
            &files,
            (now + chrono::Duration::hours(8)).date_naive(),
            self.signer,
        )
        .map_err(|e| SyncError::Media(e.to_string()))?;
        {
            let store = self.lock();
            for (series, (_, to)) in &ranges {
                let stream = series.rsplit('/').next().unwrap_or(series);
                store.set_setting(&format!("sync.media_out.{stream}"), &to.to_string())?;
            }
        }
        Ok(MediaExport {
            bag,
            changes: lines.len() as u32,
            submissions: n_submissions,
            ranges: range_text,
        })
    }

    /// Reads a transfer bag (see the module doc).
    pub fn import_media(&self, bytes: &[u8]) -> Result<MediaImport, SyncError> {
        let media = |e: gongkai_bundle::BundleError| SyncError::Media(e.to_string());
        if let Some(raw) = peek_transfer_file(bytes, KEYLIST).map_err(media)? {
            let signed: SignedKeyList = serde_json::from_slice(&raw)
                .map_err(|e| SyncError::Media(format!("传输包中的密钥清单格式不对：{e}")))?;
            self.take_key_list(&signed)?;
        }
        let list = self.key_list()?.ok_or_else(|| {
            SyncError::Media(
                "本机还没有指挥中心的密钥清单，无法核验传输包：请先导入一份由已同步电脑导出的传输包".into(),
            )
        })?;
        let bag = open_transfer(bytes, |kid| {
            list.key(kid)
                .filter(|k| {
                    k.unit_id == self.unit_id && k.state != gongkai_sync_proto::ListedState::Revoked
                })
                .and_then(|k| Algorithm::parse(&k.algorithm).map(|a| (a, k.public_key.clone())))
        })
        .map_err(media)?;
        if bag.label("Gongkai-Unit") != Some(self.unit_id.as_str()) {
            return Err(SyncError::Media("这是其他单位的传输包，未导入".into()));
        }
        // Every series must continue where this PC left it.
        let mut ranges = Vec::new();
        for (k, v) in &bag.info {
            if k != "Gongkai-Series" {
                continue;
            }
            let (series, range) = v
                .rsplit_once('=')
                .ok_or_else(|| SyncError::Media(format!("序列范围格式不对：{v}")))?;
            let (a, b) = range
                .split_once('-')
                .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
                .ok_or_else(|| SyncError::Media(format!("序列范围格式不对：{v}")))?;
            let seen: i64 = self
                .lock()
                .setting(&setting_key(series))?
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            if a > seen + 1 {
                return Err(SyncError::Media(format!(
                    "传输包不连续：{series} 缺少第 {} 至 {} 号变更，请先导入之前导出的传输包",
                    seen + 1,
                    a - 1
                )));
            }
            ranges.push((series.to_string(), b));
        }
        let text = bag
            .files
            .get(MESSAGES)
            .ok_or_else(|| SyncError::Media("传输包缺少 messages.jsonl".into()))?;
        let text = std::str::from_utf8(text)
            .map_err(|_| SyncError::Media("messages.jsonl 不是 UTF-8".into()))?;
        let mut changes = Vec::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let c: Change = serde_json::from_str(line).map_err(|e| {
                SyncError::Media(format!("messages.jsonl 第{}行格式不对：{e}", i + 1))
            })?;
            if c.unit_id != self.unit_id {
                return Err(SyncError::Media("传输包中有其他单位的记录，未导入".into()));
            }
            changes.push(c);
        }
        // Local positions for what may wait in the inbox: below every hub sequence number.
        let base: i64 = self
            .lock()
            .setting("sync.media_counter")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut keys = self.readable_keys()?;
        let mut entries: Vec<IncomingEntry> = Vec::new();
        let mut pos = base;
        let mut positions = Vec::new();
        for _ in &changes {
            pos -= 1;
            positions.push(pos);
        }
        // Key messages first, so revisions sealed with a key wrapped in the same bag open.
        for (c, p) in changes.iter().zip(&positions) {
            if c.kind == gongkai_sync_proto::ChangeKind::UnitKey {
                let e = self.decode(*p, c, Some(&list), &keys)?;
                if let gongkai_store::Incoming::UnitKeyWraps {
                    key_version, wraps, ..
                } = &e.incoming
                {
                    for (kid, w) in wraps {
                        if kid == self.signer.key_id() && !keys.contains_key(key_version) {
                            if let Ok(k) = crate::crypto::unwrap_key(w, self.identity) {
                                keys.insert(key_version.clone(), (k, *p));
                            }
                        }
                    }
                }
            }
        }
        for (c, p) in changes.iter().zip(&positions) {
            entries.push(self.decode(*p, c, Some(&list), &keys)?);
        }
        let applied = {
            let mut store = self.lock();
            let applied = store.sync_apply(&entries, None, false)?;
            store.set_setting("sync.media_counter", &pos.to_string())?;
            for (series, to) in &ranges {
                let seen: i64 = store
                    .setting(&setting_key(series))?
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                if *to > seen {
                    store.set_setting(&setting_key(series), &to.to_string())?;
                }
            }
            applied
        };
        let mut report = crate::SyncReport::default();
        self.retry_inbox(&mut report)?;
        self.maintain_keys(&mut report)?;
        self.retry_inbox(&mut report)?;
        Ok(MediaImport {
            changes: changes.len() as u32,
            applied_revisions: applied.revisions + report.applied_revisions,
            new_conflicts: applied.conflicts + report.new_conflicts,
            waiting: self.lock().sync_inbox()?.len() as u32,
        })
    }
}
