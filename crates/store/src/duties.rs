//! Duty records: what a clerk records as done for a duty no record of the app fulfils (a
//! training held, the leader's hearing, a progress update published elsewhere). The board itself
//! is computed from records each time (`gongkai_core::duty`), never stored.

use crate::{ts, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

pub(crate) const SCHEMA_V17: &str = "
CREATE TABLE duty_records (
    record_id  TEXT PRIMARY KEY,
    duty_id    TEXT NOT NULL,
    unit_id    TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    for_due    TEXT,
    note       TEXT NOT NULL,
    by         TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX duty_records_unit ON duty_records(unit_id, duty_id, on_date);
CREATE TABLE year_end_reviews (
    doc_id     TEXT NOT NULL,
    year       INTEGER NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('confirmed', 'converted')),
    attribute  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    by         TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (doc_id, year)
) STRICT;
";

/// A document's year-end attribute review (seed 000 item 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearEndReviewRow {
    pub doc_id: String,
    pub year: i32,
    /// `confirmed` or `converted` (to 主动公开).
    pub outcome: String,
    /// The attribute it had when reviewed.
    pub attribute: String,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One duty record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyRecordRow {
    pub record_id: String,
    pub duty_id: String,
    pub unit_id: String,
    pub on_date: NaiveDate,
    /// The due date of the period it answers, when done late (else the period of `on_date`).
    pub for_due: Option<NaiveDate>,
    pub note: String,
    pub by: String,
}

pub(crate) fn insert_record(
    conn: &rusqlite::Connection,
    r: &DutyRecordRow,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO duty_records(record_id, duty_id, unit_id, on_date, note, by,
               created_at, for_due)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            r.record_id,
            r.duty_id,
            r.unit_id,
            r.on_date.to_string(),
            r.note,
            r.by,
            ts(now),
            r.for_due.map(|d| d.to_string())
        ],
    )?;
    Ok(n == 1)
}

fn record_duty(conn: &Connection, r: &DutyRecordRow, now: DateTime<Utc>) -> Result<()> {
    crate::unit_replica::record(
        conn,
        crate::unit_replica::UnitChange::DutyRecord { row: r.clone() },
        now,
    )?;
    Ok(())
}

/// Writes a year-end review; `replace` when it comes from another PC of the unit (the side
/// kept of two reviews of one document and year).
pub(crate) fn write_year_end(conn: &Connection, r: &YearEndReviewRow, replace: bool) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT {} INTO year_end_reviews(doc_id, year, outcome, attribute, reason, by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            if replace { "OR REPLACE" } else { "" }
        ),
        params![
            r.doc_id,
            r.year,
            r.outcome,
            r.attribute,
            r.reason,
            r.by,
            ts(r.at)
        ],
    )?;
    Ok(())
}

/// Every duty record, oldest first, with when it was kept.
pub(crate) fn records_in(conn: &Connection) -> Result<Vec<(DutyRecordRow, DateTime<Utc>)>> {
    let mut st = conn.prepare_cached(
        "SELECT record_id, duty_id, unit_id, on_date, note, by, for_due, created_at
         FROM duty_records ORDER BY on_date, record_id",
    )?;
    let rows = st.query_map([], |r| {
        let date: String = r.get(3)?;
        Ok((
            DutyRecordRow {
                record_id: r.get(0)?,
                duty_id: r.get(1)?,
                unit_id: r.get(2)?,
                on_date: date.parse().map_err(|e: chrono::ParseError| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?,
                note: r.get(4)?,
                by: r.get(5)?,
                for_due: r.get::<_, Option<String>>(6)?.and_then(|d| d.parse().ok()),
            },
            crate::parse_ts(&r.get::<_, String>(7)?)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The year-end reviews of `year` (every year with `None`), in the order they were made.
pub(crate) fn year_end_in(conn: &Connection, year: Option<i32>) -> Result<Vec<YearEndReviewRow>> {
    let mut st = conn.prepare_cached(
        "SELECT doc_id, year, outcome, attribute, reason, by, at FROM year_end_reviews
         WHERE ?1 IS NULL OR year = ?1 ORDER BY at, doc_id",
    )?;
    let rows = st.query_map([year], |r| {
        Ok(YearEndReviewRow {
            doc_id: r.get(0)?,
            year: r.get(1)?,
            outcome: r.get(2)?,
            attribute: r.get(3)?,
            reason: r.get(4)?,
            by: r.get(5)?,
            at: crate::parse_ts(&r.get::<_, String>(6)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Keeps a duty record (the same id twice is kept once); true when new. At a unit, a new
    /// record also goes to the unit's other PCs.
    pub fn duty_record_add(&self, r: &DutyRecordRow, now: DateTime<Utc>) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let new = insert_record(&tx, r, now)?;
        if new {
            record_duty(&tx, r, now)?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Keeps a duty record made here and queues the message that takes it to the office, in
    /// one transaction.
    pub fn duty_record_add_noting(
        &mut self,
        r: &DutyRecordRow,
        note: &crate::NewNote,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if insert_record(&tx, r, now)? {
            record_duty(&tx, r, now)?;
        }
        crate::requests::insert_note(&tx, note, None, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Every duty record, oldest first.
    pub fn duty_records(&self) -> Result<Vec<DutyRecordRow>> {
        Ok(records_in(&self.conn)?
            .into_iter()
            .map(|(r, _)| r)
            .collect())
    }

    /// Keeps a year-end review (one per document and year; a second is refused by the caller);
    /// at a unit it also goes to the unit's other PCs.
    pub fn year_end_review_add(&self, r: &YearEndReviewRow) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        write_year_end(&tx, r, false)?;
        crate::unit_replica::record(
            &tx,
            crate::unit_replica::UnitChange::YearEndReview { row: r.clone() },
            r.at,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The year-end reviews of `year`.
    pub fn year_end_reviews(&self, year: i32) -> Result<Vec<YearEndReviewRow>> {
        year_end_in(&self.conn, Some(year))
    }
}
