//! 征求意见 records: a document's consultation window, the comments received, and the feedback
//! (采纳情况) with its de-identification. The comments and the clerk's feedback text hold personal
//! information (who commented, what they wrote) and stay in this database; only the redacted
//! feedback and counts leave, in the document's bundle. The steps' due dates and the board are
//! computed from these rows (`gongkai_core::consultation`), never stored.

use crate::{parse_ts, ts, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

pub(crate) const SCHEMA_V18: &str = "
CREATE TABLE consultations (
    doc_id            TEXT PRIMARY KEY,
    opens_on          TEXT NOT NULL,
    closes_on         TEXT NOT NULL,
    short_reason      TEXT NOT NULL,
    opened_by         TEXT NOT NULL,
    opened_at         TEXT NOT NULL,
    feedback          TEXT,
    feedback_findings TEXT,
    feedback_redacted TEXT,
    confirmed_by      TEXT,
    confirmed_at      TEXT,
    closed_on         TEXT,
    closed_by         TEXT
) STRICT;
CREATE TABLE consultation_comments (
    comment_id  TEXT PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES consultations(doc_id),
    seq         INTEGER NOT NULL,
    received_on TEXT NOT NULL,
    channel     TEXT NOT NULL,
    commenter   TEXT NOT NULL,
    topic       TEXT NOT NULL,
    body        TEXT NOT NULL,
    adoption    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX consultation_comments_doc ON consultation_comments(doc_id, seq);
";

/// A document's consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultRow {
    pub doc_id: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Why the window is shorter than the rule (empty when it is not).
    pub short_reason: String,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    /// The clerk's feedback text (local only).
    pub feedback: Option<String>,
    /// The de-identification findings of the feedback, as JSON (the API's shape).
    pub feedback_findings: Option<String>,
    /// The feedback as it leaves.
    pub feedback_redacted: Option<String>,
    /// Who confirmed the feedback's de-identification, when; cleared when the text changes.
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The decision's publication recorded by hand (a published bundle also closes it).
    pub closed_on: Option<NaiveDate>,
    pub closed_by: Option<String>,
}

/// One comment received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRow {
    pub comment_id: String,
    pub doc_id: String,
    pub received_on: NaiveDate,
    pub channel: String,
    /// Who commented: personal information, never exported.
    pub commenter: String,
    pub topic: String,
    pub body: String,
    /// `pending`, `adopted`, `partly`, `not_adopted`.
    pub adoption: String,
    pub reason: String,
}

fn date(s: String, col: usize) -> rusqlite::Result<NaiveDate> {
    s.parse().map_err(|e: chrono::ParseError| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    })
}

const COLS: &str = "doc_id, opens_on, closes_on, short_reason, opened_by, opened_at, feedback,
    feedback_findings, feedback_redacted, confirmed_by, confirmed_at, closed_on, closed_by";

fn consult_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConsultRow> {
    Ok(ConsultRow {
        doc_id: r.get(0)?,
        opens_on: date(r.get(1)?, 1)?,
        closes_on: date(r.get(2)?, 2)?,
        short_reason: r.get(3)?,
        opened_by: r.get(4)?,
        opened_at: parse_ts(&r.get::<_, String>(5)?)?,
        feedback: r.get(6)?,
        feedback_findings: r.get(7)?,
        feedback_redacted: r.get(8)?,
        confirmed_by: r.get(9)?,
        confirmed_at: r
            .get::<_, Option<String>>(10)?
            .map(|s| parse_ts(&s))
            .transpose()?,
        closed_on: r
            .get::<_, Option<String>>(11)?
            .map(|s| date(s, 11))
            .transpose()?,
        closed_by: r.get(12)?,
    })
}

pub(crate) fn write_consultation(conn: &Connection, c: &ConsultRow) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO consultations({COLS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ),
        params![
            c.doc_id,
            c.opens_on.to_string(),
            c.closes_on.to_string(),
            c.short_reason,
            c.opened_by,
            ts(c.opened_at),
            c.feedback,
            c.feedback_findings,
            c.feedback_redacted,
            c.confirmed_by,
            c.confirmed_at.map(ts),
            c.closed_on.map(|d| d.to_string()),
            c.closed_by,
        ],
    )?;
    Ok(())
}

/// Writes a comment with its number, or its decision when it is already here.
pub(crate) fn write_comment(
    conn: &Connection,
    c: &CommentRow,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO consultation_comments(comment_id, doc_id, seq, received_on, channel,
             commenter, topic, body, adoption, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(comment_id) DO UPDATE SET topic = excluded.topic,
             adoption = excluded.adoption, reason = excluded.reason",
        params![
            c.comment_id,
            c.doc_id,
            seq,
            c.received_on.to_string(),
            c.channel,
            c.commenter,
            c.topic,
            c.body,
            c.adoption,
            c.reason,
            ts(now)
        ],
    )?;
    Ok(())
}

pub(crate) fn consultations_in(conn: &Connection) -> Result<Vec<ConsultRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM consultations ORDER BY closes_on, doc_id"
    ))?;
    let rows = st.query_map([], consult_of)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A consultation's comments with their numbers, in order.
pub(crate) fn comments_in(conn: &Connection, doc_id: &str) -> Result<Vec<(i64, CommentRow)>> {
    let mut st = conn.prepare_cached(
        "SELECT comment_id, doc_id, received_on, channel, commenter, topic, body, adoption,
                reason, seq
         FROM consultation_comments WHERE doc_id = ?1 ORDER BY seq, comment_id",
    )?;
    let rows = st.query_map([doc_id], |r| {
        Ok((
            r.get(9)?,
            CommentRow {
                comment_id: r.get(0)?,
                doc_id: r.get(1)?,
                received_on: date(r.get(2)?, 2)?,
                channel: r.get(3)?,
                commenter: r.get(4)?,
                topic: r.get(5)?,
                body: r.get(6)?,
                adoption: r.get(7)?,
                reason: r.get(8)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Writes a consultation (new, or every field of an existing one).
    pub fn consultation_save(&self, c: &ConsultRow, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        write_consultation(&tx, c)?;
        crate::unit_replica::record(
            &tx,
            crate::unit_replica::UnitChange::Consultation {
                row: Box::new(c.clone()),
            },
            now,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn consultation(&self, doc_id: &str) -> Result<Option<ConsultRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLS} FROM consultations WHERE doc_id = ?1"),
                [doc_id],
                consult_of,
            )
            .optional()?)
    }

    /// Every consultation, by window.
    pub fn consultations(&self) -> Result<Vec<ConsultRow>> {
        consultations_in(&self.conn)
    }

    pub fn comments_add(&mut self, rows: &[CommentRow], now: DateTime<Utc>) -> Result<usize> {
        let tx = self.conn.transaction()?;
        for c in rows {
            let seq: i64 = tx.query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM consultation_comments WHERE doc_id = ?1",
                [&c.doc_id],
                |r| r.get(0),
            )?;
            write_comment(&tx, c, seq, now)?;
            crate::unit_replica::record(
                &tx,
                crate::unit_replica::UnitChange::Comment {
                    row: c.clone(),
                    seq,
                },
                now,
            )?;
        }
        tx.commit()?;
        Ok(rows.len())
    }

    pub fn comments(&self, doc_id: &str) -> Result<Vec<CommentRow>> {
        Ok(comments_in(&self.conn, doc_id)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    pub fn comment_decide(
        &self,
        doc_id: &str,
        comment_id: &str,
        topic: &str,
        adoption: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE consultation_comments SET topic = ?3, adoption = ?4, reason = ?5
             WHERE doc_id = ?1 AND comment_id = ?2",
            params![doc_id, comment_id, topic, adoption, reason],
        )?;
        if n == 1 {
            let (seq, row) = comments_in(&tx, doc_id)?
                .into_iter()
                .find(|(_, c)| c.comment_id == comment_id)
                .ok_or_else(|| crate::StoreError::NotFound(comment_id.to_string()))?;
            crate::unit_replica::record(
                &tx,
                crate::unit_replica::UnitChange::Comment { row, seq },
                now,
            )?;
        }
        tx.commit()?;
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consultation_and_its_comments_round_trip_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let now: DateTime<Utc> = "2026-11-01T08:00:00Z".parse().unwrap();
        let mut s = Store::open(&dir.path().join("g.db"), now).unwrap();
        let c = ConsultRow {
            doc_id: "d1".into(),
            opens_on: "2026-11-01".parse().unwrap(),
            closes_on: "2026-11-30".parse().unwrap(),
            short_reason: String::new(),
            opened_by: "李明".into(),
            opened_at: now,
            feedback: None,
            feedback_findings: None,
            feedback_redacted: None,
            confirmed_by: None,
            confirmed_at: None,
            closed_on: None,
            closed_by: None,
        };
        s.consultation_save(&c, now).unwrap();
        assert_eq!(s.consultation("d1").unwrap(), Some(c.clone()));
        let comment = |id: &str, body: &str| CommentRow {
            comment_id: id.into(),
            doc_id: "d1".into(),
            received_on: "2026-11-03".parse().unwrap(),
            channel: "网站".into(),
            commenter: "王五".into(),
            topic: "第三条".into(),
            body: body.into(),
            adoption: "pending".into(),
            reason: String::new(),
        };
        s.comments_add(&[comment("b", "一"), comment("a", "二")], now)
            .unwrap();
        let got = s.comments("d1").unwrap();
        assert_eq!(
            got.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
            ["一", "二"]
        );
        assert!(s
            .comment_decide("d1", "a", "第四条", "not_adopted", "超出范围", now)
            .unwrap());
        assert!(!s
            .comment_decide("d1", "zz", "", "adopted", "", now)
            .unwrap());
        assert_eq!(s.comments("d1").unwrap()[1].adoption, "not_adopted");
        let closed = ConsultRow {
            closed_on: Some("2026-12-20".parse().unwrap()),
            closed_by: Some("李明".into()),
            ..c
        };
        s.consultation_save(&closed, now).unwrap();
        assert_eq!(s.consultations().unwrap(), vec![closed]);
    }
}
