//! The 依申请公开 register: one row per application. The applicant's name and contact are
//! personal information and stay in this database (lists show them masked); the clock's facts,
//! the reply and the appeals are kept as JSON the core reads, so the due date is computed each
//! time it is shown, never stored.

use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub(crate) const SCHEMA_V14: &str = "
CREATE TABLE requests (
    request_id        TEXT PRIMARY KEY,
    serial            TEXT NOT NULL UNIQUE,
    received          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    applicant_type    TEXT NOT NULL,
    applicant_name    TEXT NOT NULL,
    applicant_contact TEXT NOT NULL,
    content           TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    facts             TEXT NOT NULL,
    reply             TEXT,
    appeals           TEXT NOT NULL DEFAULT '[]',
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX requests_received ON requests(received);
";

/// The reply recorded for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRecord {
    /// The reply type (`gongkai_core::request::OUTCOMES`).
    pub outcome: String,
    pub date: NaiveDate,
    pub by: String,
}

/// A 复议 or 诉讼 recorded for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRecord {
    pub kind: gongkai_core::request::AppealKind,
    pub result: gongkai_core::request::AppealResult,
    pub recorded_on: NaiveDate,
    pub by: String,
}

/// Where a unit's draft reply to an application the office passed on (转办) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Sent to the office (at a unit), or received from the unit (at the office).
    Sent,
    /// The office replied to the applicant with it.
    Accepted,
    /// The office returned it, with a reason; the unit drafts again.
    Returned,
}

/// A unit's draft reply to an application the office passed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRecord {
    /// The reply type proposed (`gongkai_core::request::OUTCOMES`).
    pub outcome: String,
    /// What the unit tells the office (de-identified before it leaves the unit).
    pub note: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
    pub state: DraftState,
    /// The office's reason when returned.
    #[serde(default)]
    pub reason: String,
}

/// Where an application came from.
pub const ORIGIN_LOCAL: &str = "local";
/// At a unit: an application the office passed on (转办); the office keeps its clock.
pub const ORIGIN_OFFICE: &str = "office";

/// One application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub request_id: String,
    /// 年度流水号, e.g. `2026-007`.
    pub serial: String,
    pub channel: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub applicant_contact: String,
    pub content: String,
    pub unit_id: String,
    pub facts: gongkai_core::request::ClockFacts,
    pub reply: Option<ReplyRecord>,
    pub appeals: Vec<AppealRecord>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// [`ORIGIN_LOCAL`] or [`ORIGIN_OFFICE`].
    pub origin: String,
    /// The unit's draft reply (转办 only).
    pub draft: Option<DraftRecord>,
}

const COLS: &str = "request_id, serial, channel, applicant_type, applicant_name, applicant_contact,
    content, unit_id, facts, reply, appeals, created_by, created_at, origin, draft";

fn json_err(i: usize, e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
}

fn row(r: &Row<'_>) -> rusqlite::Result<RequestRow> {
    let facts: String = r.get(8)?;
    let reply: Option<String> = r.get(9)?;
    let appeals: String = r.get(10)?;
    Ok(RequestRow {
        request_id: r.get(0)?,
        serial: r.get(1)?,
        channel: r.get(2)?,
        applicant_type: r.get(3)?,
        applicant_name: r.get(4)?,
        applicant_contact: r.get(5)?,
        content: r.get(6)?,
        unit_id: r.get(7)?,
        facts: serde_json::from_str(&facts).map_err(|e| json_err(8, e))?,
        reply: reply
            .map(|s| serde_json::from_str(&s).map_err(|e| json_err(9, e)))
            .transpose()?,
        appeals: serde_json::from_str(&appeals).map_err(|e| json_err(10, e))?,
        created_by: r.get(11)?,
        created_at: parse_ts(&r.get::<_, String>(12)?)?,
        origin: r.get(13)?,
        draft: r
            .get::<_, Option<String>>(14)?
            .map(|s| serde_json::from_str(&s).map_err(|e| json_err(14, e)))
            .transpose()?,
    })
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub(crate) fn save_request(
    conn: &rusqlite::Connection,
    r: &RequestRow,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO requests({COLS}, received, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT(request_id) DO UPDATE SET facts = excluded.facts,
               reply = excluded.reply, appeals = excluded.appeals, draft = excluded.draft,
               received = excluded.received, updated_at = excluded.updated_at,
               serial = excluded.serial"
        ),
        params![
            r.request_id,
            r.serial,
            r.channel,
            r.applicant_type,
            r.applicant_name,
            r.applicant_contact,
            r.content,
            r.unit_id,
            to_json(&r.facts)?,
            r.reply.as_ref().map(to_json).transpose()?,
            to_json(&r.appeals)?,
            r.created_by,
            ts(r.created_at),
            r.origin,
            r.draft.as_ref().map(to_json).transpose()?,
            r.facts.received.to_string(),
            ts(now),
        ],
    )?;
    Ok(())
}

fn record_request(conn: &rusqlite::Connection, r: &RequestRow, now: DateTime<Utc>) -> Result<()> {
    crate::unit_replica::record(
        conn,
        crate::unit_replica::UnitChange::Request {
            row: Box::new(r.clone()),
        },
        now,
    )?;
    Ok(())
}

/// The next serial of `year`: one above the highest number given (numbers given twice on two
/// PCs, or renumbered, never make it repeat one).
pub(crate) fn next_serial_in(conn: &rusqlite::Connection, year: &str) -> Result<String> {
    let n: i64 = conn.query_row(
        "SELECT coalesce(max(CAST(substr(serial, ?2) AS INTEGER)), 0) + 1 FROM requests
         WHERE serial LIKE ?1",
        params![format!("{year}-%"), year.len() as i64 + 2],
        |r| r.get(0),
    )?;
    Ok(format!("{year}-{n:03}"))
}

pub(crate) fn insert_note(
    tx: &rusqlite::Transaction<'_>,
    note: &NewNote,
    request_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let seq: i64 = tx.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM register_notes WHERE unit_id = ?1",
        [&note.unit_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO register_notes(note_id, unit_id, seq, kind, request_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            note.note_id,
            note.unit_id,
            seq,
            note.kind,
            request_id,
            note.body,
            ts(now)
        ],
    )?;
    Ok(seq)
}

pub(crate) const SCHEMA_V16: &str = "
ALTER TABLE requests ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';
ALTER TABLE requests ADD COLUMN draft TEXT;
CREATE TABLE register_notes (
    note_id    TEXT PRIMARY KEY,
    unit_id    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    request_id TEXT,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    hub_at     TEXT,
    UNIQUE (unit_id, seq)
) STRICT;
CREATE TABLE register_notes_in (
    note_id    TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    written_at TEXT NOT NULL
) STRICT;
CREATE INDEX register_notes_in_request ON register_notes_in(request_id, written_at);
CREATE TABLE office_recipients (
    key_id      TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
";

/// A register message to queue: for the office, `unit_id` is the unit it goes to; for a unit's
/// PC, its own unit (the message goes to the office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub note_id: String,
    pub unit_id: String,
    /// `assign`, `update`, `decision`, `draft`.
    pub kind: String,
    /// The signed message (JSON).
    pub body: String,
}

/// A queued register message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub note_id: String,
    pub unit_id: String,
    /// 1, 2, 3, … per unit, without gaps (the hub series of the office's messages to it).
    pub seq: i64,
    pub kind: String,
    pub request_id: Option<String>,
    pub body: String,
    pub created_at: String,
    /// Sent by any way (hub or bag).
    pub sent_at: Option<String>,
    /// Office: acknowledged by the hub.
    pub hub_at: Option<String>,
}

const NOTE_COLS: &str =
    "note_id, unit_id, seq, kind, request_id, body, created_at, sent_at, hub_at";

fn note_row(r: &Row<'_>) -> rusqlite::Result<NoteRow> {
    Ok(NoteRow {
        note_id: r.get(0)?,
        unit_id: r.get(1)?,
        seq: r.get(2)?,
        kind: r.get(3)?,
        request_id: r.get(4)?,
        body: r.get(5)?,
        created_at: r.get(6)?,
        sent_at: r.get(7)?,
        hub_at: r.get(8)?,
    })
}

impl Store {
    /// The next serial of `year` (`YYYY-NNN`).
    pub fn request_next_serial(&self, year: i32) -> Result<String> {
        next_serial_in(&self.conn, &year.to_string())
    }

    /// Records a new application, or saves a changed one (by id); at a unit, the change also
    /// goes to the unit's other PCs.
    pub fn request_save(&mut self, r: &RequestRow, now: DateTime<Utc>) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        save_request(&tx, r, now)?;
        record_request(&tx, r, now)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn request_in(conn: &rusqlite::Connection, request_id: &str) -> Result<RequestRow> {
        conn.query_row(
            &format!("SELECT {COLS} FROM requests WHERE request_id = ?1"),
            [request_id],
            row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("request {request_id}")))
    }

    /// Saves an application and queues the register message it causes for the other side (the
    /// office's 转办 or decision, a unit's draft reply), in one transaction: the message is sent
    /// exactly when the change is kept.
    pub fn request_save_noting(
        &mut self,
        r: &RequestRow,
        note: &NewNote,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        save_request(&tx, r, now)?;
        record_request(&tx, r, now)?;
        let seq = insert_note(&tx, note, Some(&r.request_id), now)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Queues a register message about no application (a unit's figures).
    pub fn register_note_queue(&mut self, note: &NewNote, now: DateTime<Utc>) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq = insert_note(&tx, note, None, now)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Register messages of this PC not yet delivered, by unit then sequence.
    pub fn register_notes_unsent(&self) -> Result<Vec<NoteRow>> {
        self.notes_where("sent_at IS NULL")
    }

    /// Every register message of this PC about `request_id`, oldest first.
    pub fn register_notes_for(&self, request_id: &str) -> Result<Vec<NoteRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM register_notes WHERE request_id = ?1 ORDER BY created_at, seq"
        ))?;
        let rows = st.query_map([request_id], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// This PC's register messages of one kind (e.g. the figures it queued), oldest first.
    pub fn register_notes_for_kind(&self, kind: &str) -> Result<Vec<NoteRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM register_notes WHERE kind = ?1 ORDER BY created_at, seq"
        ))?;
        let rows = st.query_map([kind], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn notes_where(&self, cond: &str) -> Result<Vec<NoteRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM register_notes WHERE {cond} ORDER BY unit_id, seq"
        ))?;
        let rows = st.query_map([], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that a register message was written to a bag for the other side, or reached
    /// the hub.
    pub fn register_note_sent(&self, note_id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE register_notes SET sent_at = ?2 WHERE note_id = ?1 AND sent_at IS NULL",
            params![note_id, ts(now)],
        )?;
        Ok(())
    }

    /// Office: messages not yet on the hub (some may have gone by bag already: the hub series
    /// of a unit stays without gaps, and the unit skips what it has seen).
    pub fn register_notes_not_on_hub(&self) -> Result<Vec<NoteRow>> {
        self.notes_where("hub_at IS NULL")
    }

    /// Office: records that the hub acknowledged a message.
    pub fn register_note_on_hub(&self, note_id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE register_notes SET hub_at = ?2, sent_at = coalesce(sent_at, ?2)
             WHERE note_id = ?1",
            params![note_id, ts(now)],
        )?;
        Ok(())
    }

    /// Unit: whether an office message is new and not older than one already applied to the
    /// same application (messages may arrive by hub and by bag, in either order).
    pub fn register_note_is_news(
        &self,
        note_id: &str,
        request_id: &str,
        written_at: &str,
    ) -> Result<bool> {
        let seen: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM register_notes_in WHERE note_id = ?1)
                 OR EXISTS (SELECT 1 FROM register_notes_in
                            WHERE request_id = ?2 AND written_at >= ?3)",
            params![note_id, request_id, written_at],
            |r| r.get(0),
        )?;
        Ok(!seen)
    }

    /// Unit: applies an office message's change to the register and remembers the message, in
    /// one transaction.
    pub fn request_save_from_office(
        &mut self,
        r: &RequestRow,
        note_id: &str,
        written_at: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        save_request(&tx, r, now)?;
        tx.execute(
            "INSERT OR IGNORE INTO register_notes_in(note_id, request_id, written_at)
             VALUES (?1, ?2, ?3)",
            params![note_id, r.request_id, written_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Office: keeps a unit PC's recipient (verified by the caller) learned from its bag.
    pub fn office_recipient_put(
        &self,
        key_id: &str,
        unit_id: &str,
        recipient: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO office_recipients(key_id, unit_id, recipient, received_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(key_id) DO UPDATE SET recipient = excluded.recipient,
               received_at = excluded.received_at",
            params![key_id, unit_id, recipient, ts(now)],
        )?;
        Ok(())
    }

    /// Office: the recipients learned from a unit's bags, by key id.
    pub fn office_recipients(&self, unit_id: &str) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key_id, recipient FROM office_recipients WHERE unit_id = ?1 ORDER BY key_id",
        )?;
        let rows = st.query_map([unit_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One application.
    pub fn request(&self, request_id: &str) -> Result<RequestRow> {
        self.conn
            .query_row(
                &format!("SELECT {COLS} FROM requests WHERE request_id = ?1 OR serial = ?1"),
                [request_id.trim()],
                row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("request {request_id}")))
    }

    /// Every application, newest received first.
    pub fn requests(&self) -> Result<Vec<RequestRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM requests ORDER BY received DESC, serial DESC"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) const SCHEMA_V15: &str = "
CREATE TABLE unit_figures (
    year        INTEGER NOT NULL,
    unit_code   TEXT NOT NULL,
    figures     TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (year, unit_code)
) STRICT;
";

/// A unit's figures for a year as the office received them (verified before they are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFiguresRow {
    pub year: i32,
    pub unit_code: String,
    /// The signed body (JSON) as received.
    pub figures: String,
    pub key_id: String,
    pub sent_at: String,
    pub received_at: DateTime<Utc>,
}

impl Store {
    /// Office: keeps a unit's figures for a year, replacing an earlier sending only with a later
    /// one; true when kept.
    pub fn unit_figures_put(&mut self, r: &UnitFiguresRow) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO unit_figures(year, unit_code, figures, key_id, sent_at, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(year, unit_code) DO UPDATE SET figures = excluded.figures,
               key_id = excluded.key_id, sent_at = excluded.sent_at,
               received_at = excluded.received_at
             WHERE excluded.sent_at > unit_figures.sent_at",
            params![
                r.year,
                r.unit_code,
                r.figures,
                r.key_id,
                r.sent_at,
                ts(r.received_at)
            ],
        )?;
        Ok(n == 1)
    }

    /// Office: every unit's figures received, for every year.
    pub fn all_unit_figures(&self) -> Result<Vec<UnitFiguresRow>> {
        let years: Vec<i32> = {
            let mut st = self
                .conn
                .prepare_cached("SELECT DISTINCT year FROM unit_figures ORDER BY year")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for y in years {
            out.extend(self.unit_figures(y)?);
        }
        Ok(out)
    }

    /// Office: every unit's figures received for `year`.
    pub fn unit_figures(&self, year: i32) -> Result<Vec<UnitFiguresRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT year, unit_code, figures, key_id, sent_at, received_at FROM unit_figures
             WHERE year = ?1 ORDER BY unit_code",
        )?;
        let rows = st.query_map([year], |r| {
            Ok(UnitFiguresRow {
                year: r.get(0)?,
                unit_code: r.get(1)?,
                figures: r.get(2)?,
                key_id: r.get(3)?,
                sent_at: r.get(4)?,
                received_at: parse_ts(&r.get::<_, String>(5)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
