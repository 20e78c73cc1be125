//! What sync needs from the local database.
//!
//! - The **outbox**: a trigger adds a row for every revision this PC writes, inside the same
//!   transaction as the revision (so a revision without its outbox row cannot exist); the
//!   `keys` series holds this PC's key messages. Rows are acknowledged with the hub's
//!   `server_seq`, never deleted. Revisions written before sync existed are queued by the
//!   migration, oldest first.
//! - **Applying** the feed: remote revisions join the document's history (fast-forward when
//!   they descend from the head, else a sibling leaf: the document is 冲突 until a merge
//!   revision names every leaf), entries this PC cannot use yet wait in the **inbox**, and the
//!   cursor moves in the same transaction.
//! - The key material seen on the feed (device recipients, wrapped unit keys, the office's key
//!   list) and this PC's own age identity, whose secret is stored only encrypted.

use crate::documents::{insert_revision, meta_row, META_COLS};
use crate::{search, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::{Clerk, DocFields, DocId, DocStatus, RevId, Revision, RevisionMeta};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

pub(crate) const SCHEMA_V9: &str = "
CREATE TABLE revision_merges (
    rev_id        TEXT NOT NULL REFERENCES revisions(rev_id),
    merged_rev_id TEXT NOT NULL REFERENCES revisions(rev_id),
    PRIMARY KEY (rev_id, merged_rev_id)
) STRICT;
CREATE INDEX revisions_parent ON revisions(parent_rev_id);
CREATE INDEX revision_merges_merged ON revision_merges(merged_rev_id);
CREATE TABLE sync_outbox (
    series     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    change_id  TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    payload    TEXT,
    created_at TEXT NOT NULL,
    server_seq INTEGER,
    acked_at   TEXT,
    PRIMARY KEY (series, seq)
) STRICT;
CREATE INDEX sync_outbox_pending ON sync_outbox(server_seq, series, seq);
INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
SELECT 'main', row_number() OVER (ORDER BY created_at, rev_no, rev_id), rev_id, 'doc_revision',
       rev_id, created_at
FROM revisions WHERE device_id = (SELECT value FROM settings WHERE key = 'device_id');
CREATE TRIGGER revisions_outbox AFTER INSERT ON revisions
WHEN NEW.device_id = (SELECT value FROM settings WHERE key = 'device_id')
BEGIN
    INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
    VALUES ('main',
            (SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'main'),
            NEW.rev_id, 'doc_revision', NEW.rev_id, NEW.created_at);
END;
CREATE TRIGGER sync_outbox_keep BEFORE DELETE ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TABLE sync_inbox (
    server_seq INTEGER PRIMARY KEY,
    change     TEXT NOT NULL,
    reason     TEXT NOT NULL
) STRICT;
CREATE TABLE sync_identity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    recipient  TEXT NOT NULL,
    secret_box TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE sync_recipients (
    key_id     TEXT PRIMARY KEY,
    unit_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    server_seq INTEGER NOT NULL
) STRICT;
CREATE TABLE sync_unit_keys (
    key_version TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    wrapped     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    server_seq  INTEGER NOT NULL,
    PRIMARY KEY (key_version, key_id)
) STRICT;
CREATE TABLE sync_key_list (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    version   INTEGER NOT NULL,
    list      TEXT NOT NULL,
    signature TEXT NOT NULL
) STRICT;
CREATE TABLE sync_uploads (
    submission_id TEXT PRIMARY KEY,
    server_seq    INTEGER NOT NULL,
    uploaded_at   TEXT NOT NULL
) STRICT;
";

pub(crate) const SCHEMA_V10: &str = "
INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
SELECT 'receipts', row_number() OVER (ORDER BY recorded_at, receipt_id), receipt_id, 'receipt',
       receipt_id, recorded_at
FROM receipts WHERE direction = 'issued';
CREATE TRIGGER receipts_outbox AFTER INSERT ON receipts
WHEN NEW.direction = 'issued'
BEGIN
    INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
    VALUES ('receipts',
            (SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'receipts'),
            NEW.receipt_id, 'receipt', NEW.receipt_id, NEW.recorded_at);
END;
";

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub series: String,
    pub seq: i64,
    pub change_id: String,
    pub kind: String,
    pub record_id: String,
    pub payload: Option<String>,
    pub created_at: String,
    pub server_seq: Option<i64>,
}

/// A revision from another PC of the unit, decrypted.
#[derive(Debug, Clone)]
pub struct RemoteRevision {
    pub unit_id: String,
    pub meta: RevisionMeta,
    /// Leaves the revision merged besides its parent.
    pub merges: Vec<RevId>,
    pub fields: DocFields,
    /// The document's creation, for a document this PC has not seen.
    pub doc_created_by: String,
    pub doc_created_at: DateTime<Utc>,
}

/// What applying a remote revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Already here.
    Known,
    /// A new document, or a child of the head: the head moved.
    FastForward,
    /// Kept as a sibling leaf: the document is 冲突.
    Conflict,
    /// A parent is not here yet: waits in the inbox.
    Waiting,
}

/// One entry of a feed page, as the sync engine decoded it.
#[derive(Debug, Clone)]
pub enum Incoming {
    Revision(Box<RemoteRevision>),
    /// A package revision of another PC of the unit.
    Package(Box<crate::replica::PackageChange>),
    /// A publication event of another PC of the unit.
    PubEvent(Box<crate::replica::PubEvent>),
    /// A register record of another PC of the unit.
    UnitEvent(Box<crate::unit_replica::UnitEvent>),
    Recipient {
        key_id: String,
        unit_id: String,
        device_id: String,
        recipient: String,
    },
    UnitKeyWraps {
        key_version: String,
        created_by: String,
        wraps: Vec<(String, String)>,
    },
    /// Nothing to store locally (e.g. this PC's own change coming back).
    Nothing,
    /// Cannot be used yet (no unit key yet): kept in the inbox with the reason.
    Wait {
        change_json: String,
        reason: String,
    },
}

/// A feed entry with its position.
#[derive(Debug, Clone)]
pub struct IncomingEntry {
    pub server_seq: i64,
    /// The change as received, kept if it has to wait.
    pub change_json: String,
    pub incoming: Incoming,
}

/// Counts from applying a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageApplied {
    pub revisions: u32,
    pub conflicts: u32,
    pub waiting: u32,
}

/// A revision of this PC as sync sends it.
#[derive(Debug, Clone)]
pub struct OutgoingRevision {
    pub revision: Revision,
    /// Leaves it merged besides its parent.
    pub merges: Vec<RevId>,
    pub unit_id: String,
    pub doc_created_by: String,
    pub doc_created_at: DateTime<Utc>,
}

/// A unit data key wrapped for one PC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitKeyWrap {
    pub key_version: String,
    /// The PC (signing key id) it is wrapped for.
    pub key_id: String,
    pub wrapped: String,
    pub created_by: String,
    /// Where it first appeared on the feed (newer keys are used first).
    pub server_seq: i64,
}

/// A document with more than one leaf.
#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub doc_id: DocId,
    pub title: String,
    pub head_rev_id: RevId,
    pub leaves: Vec<RevisionMeta>,
}

const OUTBOX_COLS: &str =
    "series, seq, change_id, kind, record_id, payload, created_at, server_seq";

fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        series: r.get(0)?,
        seq: r.get(1)?,
        change_id: r.get(2)?,
        kind: r.get(3)?,
        record_id: r.get(4)?,
        payload: r.get(5)?,
        created_at: r.get(6)?,
        server_seq: r.get(7)?,
    })
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn apply_revision(tx: &Transaction<'_>, r: &RemoteRevision) -> Result<Applied> {
    let rev = r.meta.rev_id.to_string();
    let known: bool = tx
        .query_row("SELECT 1 FROM revisions WHERE rev_id = ?1", [&rev], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    if known {
        return Ok(Applied::Known);
    }
    let parents: Vec<RevId> = r
        .meta
        .parent_rev_id
        .iter()
        .chain(r.merges.iter())
        .copied()
        .collect();
    for p in &parents {
        let here = tx
            .query_row(
                "SELECT 1 FROM revisions WHERE rev_id = ?1",
                [p.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !here {
            return Ok(Applied::Waiting);
        }
    }
    if r.fields.content_hash() != r.meta.content_sha256 {
        return Err(bad(format!(
            "revision {rev}: content does not match its hash"
        )));
    }
    let doc = r.meta.doc_id.to_string();
    let head: Option<String> = tx
        .query_row(
            "SELECT head_rev_id FROM documents WHERE doc_id = ?1",
            [&doc],
            |row| row.get(0),
        )
        .optional()?;
    let rev_no: i64 = tx.query_row(
        "SELECT coalesce(max(rev_no), 0) + 1 FROM revisions WHERE doc_id = ?1",
        [&doc],
        |row| row.get(0),
    )?;
    let mut meta = r.meta.clone();
    meta.rev_no = rev_no as u32;
    let moves = match &head {
        None => {
            tx.execute(
                "INSERT INTO documents(doc_id, unit_id, status, head_rev_id, rev_count, title, doc_number,
                    created_by, created_at, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    doc,
                    r.unit_id,
                    DocStatus::Draft.as_str(),
                    rev,
                    r.fields.title.trim(),
                    r.fields.doc_number.trim(),
                    r.doc_created_by,
                    ts(r.doc_created_at),
                    r.meta.author_name,
                    ts(r.meta.created_at),
                ],
            )?;
            true
        }
        Some(h) => parents.iter().any(|p| &p.to_string() == h),
    };
    insert_revision(tx, &meta, &r.fields)?;
    for m in &r.merges {
        tx.execute(
            "INSERT OR IGNORE INTO revision_merges(rev_id, merged_rev_id) VALUES (?1, ?2)",
            params![rev, m.to_string()],
        )?;
    }
    tx.execute(
        "UPDATE documents SET rev_count = rev_count + 1 WHERE doc_id = ?1",
        [&doc],
    )?;
    if moves {
        tx.execute(
            "UPDATE documents SET head_rev_id = ?2, title = ?3, doc_number = ?4, updated_by = ?5,
                updated_at = ?6 WHERE doc_id = ?1",
            params![
                doc,
                rev,
                r.fields.title.trim(),
                r.fields.doc_number.trim(),
                r.meta.author_name,
                ts(r.meta.created_at),
            ],
        )?;
        search::index(tx, r.meta.doc_id, &r.fields)?;
    }
    if leaves_in(tx, &doc)?.len() > 1 {
        Ok(Applied::Conflict)
    } else {
        Ok(Applied::FastForward)
    }
}

fn leaves_in(tx: &rusqlite::Connection, doc: &str) -> Result<Vec<RevisionMeta>> {
    let mut st = tx.prepare_cached(&format!(
        "SELECT {META_COLS} FROM revisions r WHERE doc_id = ?1
           AND NOT EXISTS (SELECT 1 FROM revisions c WHERE c.parent_rev_id = r.rev_id)
           AND NOT EXISTS (SELECT 1 FROM revision_merges m WHERE m.merged_rev_id = r.rev_id)
         ORDER BY created_at, rev_id"
    ))?;
    let rows = st.query_map([doc], meta_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Counts what applying one record did; what cannot be applied yet (or is malformed) waits in
/// the inbox with the reason. Returns whether the entry is done.
fn settle(
    tx: &Transaction<'_>,
    e: &IncomingEntry,
    applied: Result<Applied>,
    out: &mut PageApplied,
) -> Result<bool> {
    let wait = |why: &str, out: &mut PageApplied| -> Result<bool> {
        tx.execute(
            "INSERT OR REPLACE INTO sync_inbox(server_seq, change, reason) VALUES (?1, ?2, ?3)",
            params![e.server_seq, e.change_json, why],
        )?;
        out.waiting += 1;
        Ok(false)
    };
    match applied {
        Ok(Applied::Waiting) => wait("等待所依据的上一版本", out),
        Ok(Applied::Known) => Ok(true),
        Ok(Applied::FastForward) => {
            out.revisions += 1;
            Ok(true)
        }
        Ok(Applied::Conflict) => {
            out.revisions += 1;
            out.conflicts += 1;
            Ok(true)
        }
        Err(StoreError::Invalid(why)) => wait(&why, out),
        Err(other) => Err(other),
    }
}

fn store_incoming(tx: &Transaction<'_>, e: &IncomingEntry, out: &mut PageApplied) -> Result<bool> {
    match &e.incoming {
        Incoming::Revision(r) => settle(tx, e, apply_revision(tx, r), out),
        Incoming::Package(p) => settle(tx, e, crate::replica::apply_package(tx, p), out),
        Incoming::PubEvent(ev) => settle(tx, e, crate::replica::apply_pub_event(tx, ev), out),
        Incoming::UnitEvent(ev) => settle(tx, e, crate::unit_replica::apply(tx, ev), out),
        Incoming::Recipient {
            key_id,
            unit_id,
            device_id,
            recipient,
        } => {
            tx.execute(
                "INSERT INTO sync_recipients(key_id, unit_id, device_id, recipient, server_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(key_id) DO UPDATE SET recipient = excluded.recipient,
                    server_seq = excluded.server_seq",
                params![key_id, unit_id, device_id, recipient, e.server_seq],
            )?;
            Ok(true)
        }
        Incoming::UnitKeyWraps {
            key_version,
            created_by,
            wraps,
        } => {
            for (key_id, wrapped) in wraps {
                tx.execute(
                    "INSERT OR IGNORE INTO sync_unit_keys(key_version, key_id, wrapped, created_by, server_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![key_version, key_id, wrapped, created_by, e.server_seq],
                )?;
            }
            Ok(true)
        }
        Incoming::Nothing => Ok(true),
        Incoming::Wait {
            change_json,
            reason,
        } => {
            tx.execute(
                "INSERT OR REPLACE INTO sync_inbox(server_seq, change, reason) VALUES (?1, ?2, ?3)",
                params![e.server_seq, change_json, reason],
            )?;
            out.waiting += 1;
            Ok(false)
        }
    }
}

impl Store {
    /// Outbox rows not yet acknowledged, by series then sequence.
    pub fn sync_pending(&self) -> Result<Vec<OutboxRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {OUTBOX_COLS} FROM sync_outbox WHERE server_seq IS NULL ORDER BY series, seq"
        ))?;
        let rows = st.query_map([], outbox_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every outbox row from `series` after `after_seq` (media export), acknowledged or not.
    pub fn sync_outbox_from(&self, series: &str, after_seq: i64) -> Result<Vec<OutboxRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {OUTBOX_COLS} FROM sync_outbox WHERE series = ?1 AND seq > ?2 ORDER BY seq"
        ))?;
        let rows = st.query_map(params![series, after_seq], outbox_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Queues a key message of this PC (series `keys`), in one transaction with its number.
    pub fn sync_queue_key_message(
        &mut self,
        change_id: &str,
        kind: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'keys'",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, payload, created_at)
             VALUES ('keys', ?1, ?2, ?3, ?2, ?4, ?5)",
            params![seq, change_id, kind, payload, ts(now)],
        )?;
        tx.commit()?;
        Ok(seq)
    }

    /// Records the hub's acknowledgements, all in one transaction.
    pub fn sync_ack(&mut self, acks: &[(String, i64)], now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (change_id, server_seq) in acks {
            tx.execute(
                "UPDATE sync_outbox SET server_seq = ?2, acked_at = ?3
                 WHERE change_id = ?1 AND server_seq IS NULL",
                params![change_id, server_seq, ts(now)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A revision of this PC with what sync sends along: the merged leaves, and the document's
    /// unit and creation.
    pub fn sync_revision(&self, rev_id: RevId) -> Result<OutgoingRevision> {
        let rev = self.revision(rev_id)?;
        let doc = self.document(rev.meta.doc_id)?;
        let mut st = self.conn.prepare_cached(
            "SELECT merged_rev_id FROM revision_merges WHERE rev_id = ?1 ORDER BY merged_rev_id",
        )?;
        let merges = st
            .query_map([rev_id.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .iter()
            .map(|s| RevId::parse(s).map_err(bad))
            .collect::<Result<Vec<_>>>()?;
        Ok(OutgoingRevision {
            revision: rev,
            merges,
            unit_id: doc.unit_id,
            doc_created_by: doc.created_by,
            doc_created_at: doc.created_at,
        })
    }

    /// Applies decoded feed entries and moves the cursor to `cursor`, in one transaction.
    /// Entries that cannot be used yet go to the inbox; entries taken from the inbox
    /// (`from_inbox`) leave it once applied.
    pub fn sync_apply(
        &mut self,
        entries: &[IncomingEntry],
        cursor: Option<i64>,
        from_inbox: bool,
    ) -> Result<PageApplied> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = PageApplied::default();
        for e in entries {
            let done = store_incoming(&tx, e, &mut out)?;
            if done && from_inbox {
                tx.execute(
                    "DELETE FROM sync_inbox WHERE server_seq = ?1",
                    [e.server_seq],
                )?;
            }
        }
        if let Some(c) = cursor {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES ('sync.cursor', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [c.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// The feed position this PC has applied.
    pub fn sync_cursor(&self) -> Result<i64> {
        Ok(self
            .setting("sync.cursor")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0))
    }

    /// Entries waiting in the inbox: (server_seq, change JSON, reason).
    pub fn sync_inbox(&self) -> Result<Vec<(i64, String, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT server_seq, change, reason FROM sync_inbox ORDER BY server_seq",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Takes an entry out of the inbox (it was used, or it is not for this PC).
    pub fn sync_inbox_remove(&self, server_seq: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM sync_inbox WHERE server_seq = ?1", [server_seq])?;
        Ok(())
    }

    /// Updates why an inbox entry waits.
    pub fn sync_inbox_reason(&self, server_seq: i64, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_inbox SET reason = ?2 WHERE server_seq = ?1",
            params![server_seq, reason],
        )?;
        Ok(())
    }

    /// A receipt's signed body (office: to send it to its unit).
    pub fn receipt_body(&self, receipt_id: &str) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT body FROM receipts WHERE receipt_id = ?1",
                [receipt_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("receipt {receipt_id}")))
    }

    /// This PC's age identity: (recipient, encrypted secret).
    pub fn sync_identity(&self) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT recipient, secret_box FROM sync_identity WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Stores this PC's age identity once; returns the stored one.
    pub fn sync_set_identity(
        &self,
        recipient: &str,
        secret_box: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, String)> {
        self.conn.execute(
            "INSERT OR IGNORE INTO sync_identity(id, recipient, secret_box, created_at) VALUES (1, ?1, ?2, ?3)",
            params![recipient, secret_box, ts(now)],
        )?;
        self.sync_identity()?
            .ok_or_else(|| StoreError::NotFound("sync identity".into()))
    }

    /// Recipients seen: (key_id, unit_id, device_id, recipient).
    pub fn sync_recipients(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key_id, unit_id, device_id, recipient FROM sync_recipients ORDER BY key_id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Unit key wraps seen, oldest first.
    pub fn sync_unit_keys(&self) -> Result<Vec<UnitKeyWrap>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key_version, key_id, wrapped, created_by, server_seq FROM sync_unit_keys
             ORDER BY server_seq, key_version, key_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(UnitKeyWrap {
                key_version: r.get(0)?,
                key_id: r.get(1)?,
                wrapped: r.get(2)?,
                created_by: r.get(3)?,
                server_seq: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The office's key list this PC verified last: (version, list JSON, signature).
    pub fn sync_key_list(&self) -> Result<Option<(u64, String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT version, list, signature FROM sync_key_list WHERE id = 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// Keeps a verified key list if it is newer than the one kept.
    pub fn sync_set_key_list(&self, version: u64, list: &str, signature: &str) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO sync_key_list(id, version, list, signature) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET version = excluded.version, list = excluded.list,
                signature = excluded.signature WHERE excluded.version > sync_key_list.version",
            params![version as i64, list, signature],
        )?;
        Ok(n == 1)
    }

    /// The leaves of a document (one unless it is 冲突), oldest first.
    pub fn leaves(&self, doc_id: DocId) -> Result<Vec<RevisionMeta>> {
        self.document(doc_id)?;
        leaves_in(&self.conn, &doc_id.to_string())
    }

    /// Documents with more than one leaf.
    pub fn conflicts(&self) -> Result<Vec<ConflictRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT r.doc_id FROM revisions r
             WHERE NOT EXISTS (SELECT 1 FROM revisions c WHERE c.parent_rev_id = r.rev_id)
               AND NOT EXISTS (SELECT 1 FROM revision_merges m WHERE m.merged_rev_id = r.rev_id)
             GROUP BY r.doc_id HAVING count(*) > 1",
        )?;
        let ids: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let doc_id = DocId::parse(&id).map_err(bad)?;
            let doc = self.document(doc_id)?;
            out.push(ConflictRow {
                doc_id,
                title: doc.title,
                head_rev_id: doc.head_rev_id,
                leaves: leaves_in(&self.conn, &id)?,
            });
        }
        Ok(out)
    }

    /// Saves a merge revision on top of the head that also descends from `merged` (the other
    /// leaves), even when its content equals the head's: it is what ends a 冲突.
    pub fn save_merge(
        &mut self,
        doc_id: DocId,
        rev_id: RevId,
        merged: &[RevId],
        author: &Clerk,
        fields: &DocFields,
        now: DateTime<Utc>,
    ) -> Result<RevisionMeta> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let head = crate::documents::head_meta(&tx, doc_id)?;
        let rev_no: i64 = tx.query_row(
            "SELECT coalesce(max(rev_no), 0) + 1 FROM revisions WHERE doc_id = ?1",
            [doc_id.to_string()],
            |row| row.get(0),
        )?;
        let meta = RevisionMeta {
            rev_id,
            doc_id,
            parent_rev_id: Some(head.rev_id),
            rev_no: rev_no as u32,
            author_id: author.id,
            author_name: author.name.clone(),
            device_id: author.device_id,
            created_at: now,
            content_sha256: fields.content_hash(),
            restored_from: None,
        };
        insert_revision(&tx, &meta, fields)?;
        for m in merged.iter().filter(|m| **m != head.rev_id) {
            tx.execute(
                "INSERT INTO revision_merges(rev_id, merged_rev_id) VALUES (?1, ?2)",
                params![rev_id.to_string(), m.to_string()],
            )?;
        }
        tx.execute(
            "UPDATE documents SET head_rev_id = ?2, rev_count = rev_count + 1, title = ?3,
                doc_number = ?4, updated_by = ?5, updated_at = ?6 WHERE doc_id = ?1",
            params![
                doc_id.to_string(),
                rev_id.to_string(),
                fields.title.trim(),
                fields.doc_number.trim(),
                author.name,
                ts(now),
            ],
        )?;
        search::index(&tx, doc_id, fields)?;
        tx.commit()?;
        Ok(meta)
    }

    /// Bundles made on this PC not yet uploaded to the hub.
    pub fn sync_submissions_to_upload(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT submission_id FROM submissions
             WHERE remote = 0 AND submission_id NOT IN (SELECT submission_id FROM sync_uploads)
             ORDER BY created_at",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a submission the hub acknowledged.
    pub fn sync_uploaded(
        &self,
        submission_id: &str,
        server_seq: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO sync_uploads(submission_id, server_seq, uploaded_at) VALUES (?1, ?2, ?3)",
            params![submission_id, server_seq, ts(now)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDocument, SaveRevision};
    use chrono::TimeZone;
    use gongkai_core::{ClerkId, DeviceId, SeqIds};

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).single().unwrap()
    }

    fn setup() -> (Store, Clerk, SeqIds) {
        let mut s = Store::open_in_memory(t()).unwrap();
        let ids = SeqIds::starting_at(1);
        let clerk = Clerk {
            id: ClerkId::new(&ids),
            name: "王晓明".into(),
            unit_id: "zazd".into(),
            device_id: s.device_id(&ids).unwrap(),
        };
        s.add_clerk(&clerk, t()).unwrap();
        (s, clerk, ids)
    }

    fn fields(body: &str) -> DocFields {
        DocFields {
            title: "关于测试的通知".into(),
            body: vec![body.into()],
            ..Default::default()
        }
    }

    fn remote(doc: DocId, rev: RevId, parent: Option<RevId>, body: &str) -> IncomingEntry {
        let f = fields(body);
        let other = SeqIds::starting_at(900_000);
        IncomingEntry {
            server_seq: 0,
            change_json: format!("{{\"rev\":\"{rev}\"}}"),
            incoming: Incoming::Revision(Box::new(RemoteRevision {
                unit_id: "zazd".into(),
                meta: RevisionMeta {
                    rev_id: rev,
                    doc_id: doc,
                    parent_rev_id: parent,
                    rev_no: 99,
                    author_id: ClerkId::new(&other),
                    author_name: "李娜".into(),
                    device_id: DeviceId::new(&other),
                    created_at: t(),
                    content_sha256: f.content_hash(),
                    restored_from: None,
                },
                merges: vec![],
                fields: f,
                doc_created_by: "李娜".into(),
                doc_created_at: t(),
            })),
        }
    }

    #[test]
    fn local_saves_queue_themselves_and_remote_ones_do_not() {
        let (mut s, clerk, ids) = setup();
        let doc = DocId::new(&ids);
        let first = RevId::new(&ids);
        s.create_document(NewDocument {
            doc_id: doc,
            rev_id: first,
            author: &clerk,
            fields: &fields("一"),
            now: t(),
        })
        .unwrap();
        let second = RevId::new(&ids);
        s.save_revision(SaveRevision {
            doc_id: doc,
            base_rev_id: first,
            rev_id: second,
            author: &clerk,
            fields: &fields("二"),
            now: t(),
            restored_from: None,
        })
        .unwrap();
        let pending = s.sync_pending().unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|r| (r.seq, r.record_id.clone()))
                .collect::<Vec<_>>(),
            vec![(1, first.to_string()), (2, second.to_string())]
        );
        // A remote child of the head fast-forwards and is not queued.
        let r3 = RevId::new(&SeqIds::starting_at(500_000));
        let mut e = remote(doc, r3, Some(second), "三");
        e.server_seq = 7;
        let got = s.sync_apply(&[e], Some(7), false).unwrap();
        assert_eq!(got.revisions, 1);
        assert_eq!(s.document(doc).unwrap().head_rev_id, r3);
        assert_eq!(s.sync_pending().unwrap().len(), 2);
        assert_eq!(s.sync_cursor().unwrap(), 7);
        // An outbox row cannot be deleted.
        assert!(s.conn.execute("DELETE FROM sync_outbox", []).is_err());
    }

    #[test]
    fn a_child_before_its_parent_waits_and_a_sibling_is_a_conflict_until_merged() {
        let (mut s, clerk, ids) = setup();
        let other = SeqIds::starting_at(700_000);
        let doc = DocId::new(&other);
        let (r1, r2, r2b) = (RevId::new(&other), RevId::new(&other), RevId::new(&other));
        let mut child = remote(doc, r2, Some(r1), "二");
        child.server_seq = 2;
        let got = s.sync_apply(&[child], Some(2), false).unwrap();
        assert_eq!(got.waiting, 1);
        assert_eq!(
            s.sync_cursor().unwrap(),
            2,
            "the cursor moves; the entry waits"
        );
        assert_eq!(s.sync_inbox().unwrap().len(), 1);
        let mut parent = remote(doc, r1, None, "一");
        parent.server_seq = 3;
        s.sync_apply(&[parent], Some(3), false).unwrap();
        let waiting: Vec<IncomingEntry> = vec![{
            let mut e = remote(doc, r2, Some(r1), "二");
            e.server_seq = 2;
            e
        }];
        s.sync_apply(&waiting, None, true).unwrap();
        assert!(s.sync_inbox().unwrap().is_empty());
        assert_eq!(s.document(doc).unwrap().head_rev_id, r2);
        // A local save on r2 and a remote sibling of it: two leaves, the local head kept.
        let mine = RevId::new(&ids);
        s.save_revision(SaveRevision {
            doc_id: doc,
            base_rev_id: r2,
            rev_id: mine,
            author: &clerk,
            fields: &fields("三（本机）"),
            now: t(),
            restored_from: None,
        })
        .unwrap();
        let got = s
            .sync_apply(&[remote(doc, r2b, Some(r2), "三（另一台）")], None, false)
            .unwrap();
        assert_eq!(got.conflicts, 1);
        assert_eq!(s.document(doc).unwrap().head_rev_id, mine);
        assert_eq!(s.conflicts().unwrap().len(), 1);
        assert_eq!(s.leaves(doc).unwrap().len(), 2);
        // Still editable while 冲突, though the sibling is numbered after the head.
        let mine2 = RevId::new(&ids);
        s.save_revision(SaveRevision {
            doc_id: doc,
            base_rev_id: mine,
            rev_id: mine2,
            author: &clerk,
            fields: &fields("三（本机，再改）"),
            now: t(),
            restored_from: None,
        })
        .unwrap();
        assert_eq!(s.leaves(doc).unwrap().len(), 2);
        // The merge names both leaves, even with the head's own content.
        let m = RevId::new(&ids);
        s.save_merge(
            doc,
            m,
            &[mine2, r2b],
            &clerk,
            &fields("三（本机，再改）"),
            t(),
        )
        .unwrap();
        assert!(s.conflicts().unwrap().is_empty());
        assert_eq!(s.leaves(doc).unwrap().len(), 1);
        assert_eq!(s.document(doc).unwrap().head_rev_id, m);
    }
}
