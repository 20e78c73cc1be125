//! What travels between a unit and the central office, as each side keeps it.
//!
//! - Both sides: this PC's own signing key (`device_keys`; the secret only as the encrypted box,
//!   never in clear) and the signed receipts issued or imported (`receipts`, the signed file kept
//!   byte for byte).
//! - Unit side: the office keys that sign receipts (`office_keys`, pinned from the office's
//!   printed notice) and every bundle made (`submissions`: the exact bytes, so a lost file can be
//!   written again unchanged).
//! - Office side: the trust store of device keys by unit (`trusted_keys` with its append-only
//!   `key_log`) and the bundles received (`intake`, with the verdict).
//!
//! Logs and receipts refuse UPDATE and DELETE (triggers).

use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

pub(crate) const SCHEMA_V7: &str = "
CREATE TABLE device_keys (
    key_id      TEXT PRIMARY KEY,
    algorithm   TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    secret_box  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    replaced_at TEXT
) STRICT;
CREATE TABLE office_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    pinned_at   TEXT NOT NULL,
    pinned_by   TEXT NOT NULL
) STRICT;
CREATE TABLE submissions (
    submission_id  TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    doc_rev_id     TEXT NOT NULL,
    package_rev_id TEXT,
    key_id         TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    bundle         BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL
) STRICT;
CREATE INDEX submissions_doc ON submissions(doc_id, created_at);
CREATE TRIGGER submissions_immutable BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are immutable'); END;
CREATE TABLE trusted_keys (
    key_id        TEXT PRIMARY KEY,
    unit_code     TEXT NOT NULL,
    algorithm     TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    clerk         TEXT NOT NULL,
    request       TEXT NOT NULL,
    enrolled_at   TEXT NOT NULL,
    activated_at  TEXT,
    retired_until TEXT,
    revoked_at    TEXT,
    revoke_reason TEXT
) STRICT;
CREATE INDEX trusted_keys_unit ON trusted_keys(unit_code);
CREATE TABLE key_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL,
    detail TEXT NOT NULL
) STRICT;
CREATE TRIGGER key_log_no_update BEFORE UPDATE ON key_log
BEGIN SELECT RAISE(ABORT, 'the key log is append-only'); END;
CREATE TRIGGER key_log_no_delete BEFORE DELETE ON key_log
BEGIN SELECT RAISE(ABORT, 'the key log is append-only'); END;
CREATE TABLE intake (
    submission_id  TEXT PRIMARY KEY,
    unit_code      TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    title          TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    received_by    TEXT NOT NULL,
    verdict        TEXT NOT NULL,
    bundle         BLOB NOT NULL,
    status         TEXT NOT NULL
) STRICT;
CREATE TABLE receipts (
    receipt_id    TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL,
    decision      TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('issued', 'imported')),
    body          BLOB NOT NULL,
    recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX receipts_submission ON receipts(submission_id, decided_at);
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
";

/// This PC's signing key as stored: the secret only as its password-encrypted box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKeyRow {
    pub key_id: String,
    /// `minisign-ed25519` or `sm2-sm3`.
    pub algorithm: String,
    pub public_key: String,
    pub fingerprint: String,
    /// The encrypted secret key (never the clear secret).
    pub secret_box: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// When a newer key replaced it.
    pub replaced_at: Option<DateTime<Utc>>,
}

/// A bundle made on this PC (or, received by sync, on another PC of the unit).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubmissionRow {
    pub submission_id: String,
    pub doc_id: String,
    pub doc_rev_id: String,
    pub package_rev_id: Option<String>,
    pub key_id: String,
    pub content_sha256: String,
    pub file_name: String,
    #[serde(with = "crate::b64")]
    pub bundle: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// An enrolled device key (office side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKeyRow {
    pub key_id: String,
    pub unit_code: String,
    pub algorithm: String,
    pub public_key: String,
    pub fingerprint: String,
    pub device_id: String,
    pub clerk: String,
    /// The enrolment request as received (JSON).
    pub request: String,
    pub enrolled_at: DateTime<Utc>,
    /// Set once the fingerprint was confirmed against the printed form.
    pub activated_at: Option<DateTime<Utc>>,
    /// Retired: still accepted until this time (the overlap).
    pub retired_until: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// One line of the trust store's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLogRow {
    pub key_id: String,
    /// `enrol`, `activate`, `retire` or `revoke`.
    pub action: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub detail: String,
}

/// A bundle received by the office (signature and checksums verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRow {
    pub submission_id: String,
    pub unit_code: String,
    pub key_id: String,
    pub content_sha256: String,
    pub title: String,
    pub received_at: DateTime<Utc>,
    pub received_by: String,
    /// The verdict as JSON.
    pub verdict: String,
    pub bundle: Vec<u8>,
    /// `received`, `accepted`, `returned` or `published`.
    pub status: String,
}

/// A signed receipt, issued here (office) or imported (unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRow {
    pub receipt_id: String,
    pub submission_id: String,
    /// `accepted`, `returned` or `published`.
    pub decision: String,
    pub decided_at: DateTime<Utc>,
    /// `issued` or `imported`.
    pub direction: String,
    /// The signed receipt file, byte for byte.
    pub body: Vec<u8>,
    pub recorded_at: DateTime<Utc>,
}

fn opt_ts(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.map(|s| parse_ts(&s)).transpose()
}

fn device_key_row(r: &Row<'_>) -> rusqlite::Result<DeviceKeyRow> {
    Ok(DeviceKeyRow {
        key_id: r.get(0)?,
        algorithm: r.get(1)?,
        public_key: r.get(2)?,
        fingerprint: r.get(3)?,
        secret_box: r.get(4)?,
        created_at: parse_ts(&r.get::<_, String>(5)?)?,
        created_by: r.get(6)?,
        replaced_at: opt_ts(r.get(7)?)?,
    })
}

const DEVICE_KEY_COLS: &str =
    "key_id, algorithm, public_key, fingerprint, secret_box, created_at, created_by, replaced_at";

fn submission_row(r: &Row<'_>) -> rusqlite::Result<SubmissionRow> {
    Ok(SubmissionRow {
        submission_id: r.get(0)?,
        doc_id: r.get(1)?,
        doc_rev_id: r.get(2)?,
        package_rev_id: r.get(3)?,
        key_id: r.get(4)?,
        content_sha256: r.get(5)?,
        file_name: r.get(6)?,
        bundle: r.get(7)?,
        created_at: parse_ts(&r.get::<_, String>(8)?)?,
        created_by: r.get(9)?,
    })
}

/// Writes a bundle's record: made here, or (`remote`) on another PC of the unit, which is
/// then shown here but uploaded and answered there; a remote copy already here is left as is.
pub(crate) fn insert_submission(
    conn: &rusqlite::Connection,
    s: &SubmissionRow,
    remote: bool,
) -> Result<()> {
    let verb = if remote { "INSERT OR IGNORE" } else { "INSERT" };
    conn.execute(
        &format!(
            "{verb} INTO submissions({SUBMISSION_COLS}, remote)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
        ),
        params![
            s.submission_id,
            s.doc_id,
            s.doc_rev_id,
            s.package_rev_id,
            s.key_id,
            s.content_sha256,
            s.file_name,
            s.bundle,
            ts(s.created_at),
            s.created_by,
            remote
        ],
    )?;
    Ok(())
}

const SUBMISSION_COLS: &str = "submission_id, doc_id, doc_rev_id, package_rev_id, key_id,
    content_sha256, file_name, bundle, created_at, created_by";

fn trusted_key_row(r: &Row<'_>) -> rusqlite::Result<TrustedKeyRow> {
    Ok(TrustedKeyRow {
        key_id: r.get(0)?,
        unit_code: r.get(1)?,
        algorithm: r.get(2)?,
        public_key: r.get(3)?,
        fingerprint: r.get(4)?,
        device_id: r.get(5)?,
        clerk: r.get(6)?,
        request: r.get(7)?,
        enrolled_at: parse_ts(&r.get::<_, String>(8)?)?,
        activated_at: opt_ts(r.get(9)?)?,
        retired_until: opt_ts(r.get(10)?)?,
        revoked_at: opt_ts(r.get(11)?)?,
        revoke_reason: r.get(12)?,
    })
}

const TRUSTED_KEY_COLS: &str = "key_id, unit_code, algorithm, public_key, fingerprint, device_id,
    clerk, request, enrolled_at, activated_at, retired_until, revoked_at, revoke_reason";

fn intake_row(r: &Row<'_>) -> rusqlite::Result<IntakeRow> {
    Ok(IntakeRow {
        submission_id: r.get(0)?,
        unit_code: r.get(1)?,
        key_id: r.get(2)?,
        content_sha256: r.get(3)?,
        title: r.get(4)?,
        received_at: parse_ts(&r.get::<_, String>(5)?)?,
        received_by: r.get(6)?,
        verdict: r.get(7)?,
        bundle: r.get(8)?,
        status: r.get(9)?,
    })
}

const INTAKE_COLS: &str = "submission_id, unit_code, key_id, content_sha256, title, received_at,
    received_by, verdict, bundle, status";

fn receipt_row(r: &Row<'_>) -> rusqlite::Result<ReceiptRow> {
    Ok(ReceiptRow {
        receipt_id: r.get(0)?,
        submission_id: r.get(1)?,
        decision: r.get(2)?,
        decided_at: parse_ts(&r.get::<_, String>(3)?)?,
        direction: r.get(4)?,
        body: r.get(5)?,
        recorded_at: parse_ts(&r.get::<_, String>(6)?)?,
    })
}

impl Store {
    // ---- this PC's key --------------------------------------------------------------------

    /// Stores a new signing key for this PC; the one in use before is marked replaced.
    pub fn add_device_key(&mut self, k: &DeviceKeyRow) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE device_keys SET replaced_at = ?1 WHERE replaced_at IS NULL",
            [ts(k.created_at)],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO device_keys({DEVICE_KEY_COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,NULL)"
            ),
            params![
                k.key_id,
                k.algorithm,
                k.public_key,
                k.fingerprint,
                k.secret_box,
                ts(k.created_at),
                k.created_by
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The key this PC signs with now, if one was made.
    pub fn device_key(&self) -> Result<Option<DeviceKeyRow>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {DEVICE_KEY_COLS} FROM device_keys WHERE replaced_at IS NULL
                     ORDER BY created_at DESC LIMIT 1"
                ),
                [],
                device_key_row,
            )
            .optional()?)
    }

    // ---- unit side ------------------------------------------------------------------------

    /// Pins an office key that signs receipts (idempotent).
    pub fn pin_office_key(
        &self,
        key_id: &str,
        public_key: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO office_keys(key_id, public_key, pinned_at, pinned_by) VALUES (?1,?2,?3,?4)
             ON CONFLICT(key_id) DO NOTHING",
            params![key_id, public_key, ts(at), by],
        )?;
        Ok(())
    }

    /// The pinned office keys: (key id, public key), oldest first.
    pub fn office_keys(&self) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT key_id, public_key FROM office_keys ORDER BY pinned_at")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a bundle made on this PC, and moves the document's stage with `t` in the same
    /// transaction (when given).
    pub fn add_submission(
        &mut self,
        s: &SubmissionRow,
        t: Option<&crate::Transition<'_>>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_submission(&tx, s, false)?;
        if let Some(t) = t {
            Self::transition_with(
                &tx,
                t,
                &crate::publication::StageExtras {
                    submission: Some(s),
                    ..Default::default()
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A bundle made on this PC.
    pub fn submission(&self, submission_id: &str) -> Result<SubmissionRow> {
        self.conn
            .query_row(
                &format!("SELECT {SUBMISSION_COLS} FROM submissions WHERE submission_id = ?1"),
                [submission_id],
                submission_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("submission {submission_id}")))
    }

    /// A document's bundles, newest first.
    pub fn submissions_of(&self, doc_id: &str) -> Result<Vec<SubmissionRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SUBMISSION_COLS} FROM submissions WHERE doc_id = ?1
             ORDER BY created_at DESC, submission_id DESC"
        ))?;
        let rows = st.query_map([doc_id], submission_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- office side: trust store ---------------------------------------------------------

    /// Enrols a device key (not yet active), logging it.
    pub fn enrol_key(&mut self, k: &TrustedKeyRow, actor: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            &format!(
                "INSERT INTO trusted_keys({TRUSTED_KEY_COLS})
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,NULL,NULL,NULL,NULL)"
            ),
            params![
                k.key_id,
                k.unit_code,
                k.algorithm,
                k.public_key,
                k.fingerprint,
                k.device_id,
                k.clerk,
                k.request,
                ts(k.enrolled_at)
            ],
        )?;
        Self::log_key(&tx, &k.key_id, "enrol", actor, k.enrolled_at, &k.unit_code)?;
        tx.commit()?;
        Ok(())
    }

    fn log_key(
        conn: &rusqlite::Connection,
        key_id: &str,
        action: &str,
        actor: &str,
        at: DateTime<Utc>,
        detail: &str,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO key_log(key_id, action, actor, at, detail) VALUES (?1,?2,?3,?4,?5)",
            params![key_id, action, actor, ts(at), detail],
        )?;
        Ok(())
    }

    /// An enrolled key.
    pub fn trusted_key(&self, key_id: &str) -> Result<Option<TrustedKeyRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {TRUSTED_KEY_COLS} FROM trusted_keys WHERE key_id = ?1"),
                [key_id],
                trusted_key_row,
            )
            .optional()?)
    }

    /// Every enrolled key, by unit then enrolment time.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKeyRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {TRUSTED_KEY_COLS} FROM trusted_keys ORDER BY unit_code, enrolled_at"
        ))?;
        let rows = st.query_map([], trusted_key_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a key's new state (activation, retirement, revocation) with its log line.
    pub fn update_trusted_key(
        &mut self,
        k: &TrustedKeyRow,
        action: &str,
        actor: &str,
        at: DateTime<Utc>,
        detail: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE trusted_keys SET activated_at = ?2, retired_until = ?3, revoked_at = ?4,
                revoke_reason = ?5 WHERE key_id = ?1",
            params![
                k.key_id,
                k.activated_at.map(ts),
                k.retired_until.map(ts),
                k.revoked_at.map(ts),
                k.revoke_reason
            ],
        )?;
        if n != 1 {
            return Err(StoreError::NotFound(format!("key {}", k.key_id)));
        }
        Self::log_key(&tx, &k.key_id, action, actor, at, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// The trust store's history, oldest first.
    pub fn key_log(&self) -> Result<Vec<KeyLogRow>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT key_id, action, actor, at, detail FROM key_log ORDER BY seq")?;
        let rows = st.query_map([], |r| {
            Ok(KeyLogRow {
                key_id: r.get(0)?,
                action: r.get(1)?,
                actor: r.get(2)?,
                at: parse_ts(&r.get::<_, String>(3)?)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- office side: intake --------------------------------------------------------------

    /// Records a received bundle (first time only: a second copy of the same submission id
    /// changes nothing).
    pub fn add_intake(&self, i: &IntakeRow) -> Result<bool> {
        let n = self.conn.execute(
            &format!(
                "INSERT INTO intake({INTAKE_COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)
                 ON CONFLICT(submission_id) DO NOTHING"
            ),
            params![
                i.submission_id,
                i.unit_code,
                i.key_id,
                i.content_sha256,
                i.title,
                ts(i.received_at),
                i.received_by,
                i.verdict,
                i.bundle,
                i.status
            ],
        )?;
        Ok(n == 1)
    }

    /// A received bundle.
    pub fn intake(&self, submission_id: &str) -> Result<Option<IntakeRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {INTAKE_COLS} FROM intake WHERE submission_id = ?1"),
                [submission_id],
                intake_row,
            )
            .optional()?)
    }

    /// Every received bundle, newest first (without the bundle bytes).
    pub fn intake_list(&self) -> Result<Vec<IntakeRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT submission_id, unit_code, key_id, content_sha256, title, received_at,
                received_by, verdict, X'', status FROM intake ORDER BY received_at DESC",
        )?;
        let rows = st.query_map([], intake_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a receipt issued by this office and the intake's new status, in one transaction.
    pub fn issue_receipt(&mut self, r: &ReceiptRow, status: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::insert_receipt(&tx, r)?;
        let n = tx.execute(
            "UPDATE intake SET status = ?2 WHERE submission_id = ?1",
            params![r.submission_id, status],
        )?;
        if n != 1 {
            return Err(StoreError::NotFound(format!("intake {}", r.submission_id)));
        }
        tx.commit()?;
        Ok(())
    }

    fn insert_receipt(conn: &rusqlite::Connection, r: &ReceiptRow) -> Result<()> {
        conn.execute(
            "INSERT INTO receipts(receipt_id, submission_id, decision, decided_at, direction, body,
                recorded_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![
                r.receipt_id,
                r.submission_id,
                r.decision,
                ts(r.decided_at),
                r.direction,
                r.body,
                ts(r.recorded_at)
            ],
        )?;
        Ok(())
    }

    /// Records an imported receipt together with the stage moves and events it causes, in one
    /// transaction (nothing is applied if any step fails).
    pub fn import_receipt(
        &mut self,
        r: &ReceiptRow,
        moves: &[crate::Transition<'_>],
        events: &[(&str, chrono::NaiveDate)],
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::insert_receipt(&tx, r)?;
        let dated: Vec<(String, chrono::NaiveDate)> =
            events.iter().map(|(k, on)| (k.to_string(), *on)).collect();
        for (i, t) in moves.iter().enumerate() {
            let last = i + 1 == moves.len();
            let extras = crate::publication::StageExtras {
                events: if last { &dated } else { &[] },
                ..Default::default()
            };
            Self::transition_with(&tx, t, &extras)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether a receipt with this id is recorded.
    pub fn receipt(&self, receipt_id: &str) -> Result<Option<ReceiptRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT receipt_id, submission_id, decision, decided_at, direction, body,
                    recorded_at FROM receipts WHERE receipt_id = ?1",
                [receipt_id],
                receipt_row,
            )
            .optional()?)
    }

    /// The receipts for a submission, oldest decision first.
    pub fn receipts_for(&self, submission_id: &str) -> Result<Vec<ReceiptRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT receipt_id, submission_id, decision, decided_at, direction, body, recorded_at
             FROM receipts WHERE submission_id = ?1 ORDER BY decided_at, receipt_id",
        )?;
        let rows = st.query_map([submission_id], receipt_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the bundle was made on this PC (receipts for it are this PC's to record; one
    /// made on another PC of the unit is shown here but answered there).
    pub fn submission_is_local(&self, submission_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT remote FROM submissions WHERE submission_id = ?1",
                [submission_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            == Some(0))
    }

    /// Office: the receipts it issued for one unit's submissions, oldest first: (id, body).
    pub fn issued_receipts_for(&self, unit_code: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.receipt_id, r.body FROM receipts r JOIN intake i ON i.submission_id = r.submission_id
             WHERE r.direction = 'issued' AND i.unit_code = ?1 ORDER BY r.recorded_at, r.receipt_id",
        )?;
        let rows = st.query_map([unit_code], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) const SCHEMA_V13: &str = "
ALTER TABLE submissions ADD COLUMN remote INTEGER NOT NULL DEFAULT 0;
";
