//! De-identification review state: the findings of each scanned revision with the clerk's
//! decisions, and the report of an applied review. The original text of each finding and its
//! replacement (the mapping) live only here, in the local database.

use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

pub(crate) const SCHEMA_V5: &str = "
CREATE TABLE deid_findings (
    id          TEXT PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id),
    rev_id      TEXT NOT NULL REFERENCES revisions(rev_id),
    kind        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    confidence  REAL NOT NULL,
    reason      TEXT NOT NULL,
    source      TEXT NOT NULL,
    decision    TEXT NOT NULL,
    replacement TEXT,
    decided_by  TEXT,
    decided_at  TEXT,
    UNIQUE (rev_id, kind, start, end)
) STRICT;
CREATE INDEX deid_findings_rev ON deid_findings(rev_id, start);
CREATE TABLE deid_scans (
    rev_id     TEXT PRIMARY KEY REFERENCES revisions(rev_id),
    doc_id     TEXT NOT NULL REFERENCES documents(doc_id),
    scanned_at TEXT NOT NULL
) STRICT;
CREATE TABLE deid_reports (
    rev_id         TEXT PRIMARY KEY REFERENCES revisions(rev_id),
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    policy_version INTEGER NOT NULL,
    counts         TEXT NOT NULL,
    reviewer       TEXT NOT NULL,
    reviewed_at    TEXT NOT NULL,
    redacted_sha256 TEXT NOT NULL
) STRICT;
";

/// Images of a document's interpretation package the clerk confirmed as free of personal
/// information (by image hash: a changed image is a new hash, unconfirmed).
pub(crate) const SCHEMA_V8: &str = "
CREATE TABLE deid_image_reviews (
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id),
    sha256      TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, sha256)
) STRICT;
CREATE TABLE deid_kept (
    rev_id TEXT PRIMARY KEY REFERENCES revisions(rev_id),
    kept   TEXT NOT NULL
) STRICT;
";

/// One confirmed image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageReviewRow {
    pub sha256: String,
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
}

/// One stored finding with its decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FindingRow {
    pub id: String,
    pub doc_id: String,
    pub rev_id: String,
    pub kind: String,
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub confidence: f32,
    pub reason: String,
    /// `scan`, `manual` or `carried` (decision carried over from an earlier revision).
    pub source: String,
    /// `pending`, `accepted` or `rejected`.
    pub decision: String,
    /// The clerk's own replacement, if edited.
    pub replacement: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The kept report of an applied review (no original values).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportRow {
    pub rev_id: String,
    pub doc_id: String,
    pub policy_version: u32,
    /// JSON object: kind → number of replacements.
    pub counts: String,
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
    pub redacted_sha256: String,
}

const COLS: &str = "id, doc_id, rev_id, kind, start, end, text, confidence, reason, source, decision, replacement, decided_by, decided_at";

fn row(r: &Row<'_>) -> rusqlite::Result<FindingRow> {
    let decided: Option<String> = r.get(13)?;
    Ok(FindingRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        rev_id: r.get(2)?,
        kind: r.get(3)?,
        start: r.get(4)?,
        end: r.get(5)?,
        text: r.get(6)?,
        confidence: r.get::<_, f64>(7)? as f32,
        reason: r.get(8)?,
        source: r.get(9)?,
        decision: r.get(10)?,
        replacement: r.get(11)?,
        decided_by: r.get(12)?,
        decided_at: decided.as_deref().map(parse_ts).transpose()?,
    })
}

fn findings_in(conn: &rusqlite::Connection, rev_id: &str) -> Result<Vec<FindingRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM deid_findings WHERE rev_id = ?1 ORDER BY start, end"
    ))?;
    let rows = st.query_map([rev_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn kept_in(conn: &rusqlite::Connection, rev_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT kept FROM deid_kept WHERE rev_id = ?1",
            params![rev_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn image_reviews_in(conn: &rusqlite::Connection, doc_id: &str) -> Result<Vec<ImageReviewRow>> {
    let mut st = conn.prepare_cached(
        "SELECT sha256, reviewer, reviewed_at FROM deid_image_reviews WHERE doc_id = ?1 ORDER BY sha256",
    )?;
    let rows = st
        .query_map(params![doc_id], |r| {
            Ok(ImageReviewRow {
                sha256: r.get(0)?,
                reviewer: r.get(1)?,
                reviewed_at: parse_ts(&r.get::<_, String>(2)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Store {
    /// Whether `rev_id` has been scanned.
    pub fn deid_scanned(&self, rev_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM deid_scans WHERE rev_id = ?1",
                [rev_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Records the scan of a revision with its findings, in one transaction.
    pub fn deid_save_scan(
        &mut self,
        doc_id: &str,
        rev_id: &str,
        findings: &[FindingRow],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO deid_scans(rev_id, doc_id, scanned_at) VALUES (?1, ?2, ?3)",
            params![rev_id, doc_id, ts(now)],
        )?;
        for f in findings {
            tx.execute(
                &format!("INSERT OR IGNORE INTO deid_findings({COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"),
                params![
                    f.id, doc_id, rev_id, f.kind, f.start, f.end, f.text, f.confidence as f64,
                    f.reason, f.source, f.decision, f.replacement, f.decided_by,
                    f.decided_at.map(ts)
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds one finding (a span the clerk marked by hand).
    pub fn deid_add(&mut self, f: &FindingRow) -> Result<()> {
        let n = self.conn.execute(
            &format!("INSERT OR IGNORE INTO deid_findings({COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"),
            params![
                f.id, f.doc_id, f.rev_id, f.kind, f.start, f.end, f.text, f.confidence as f64,
                f.reason, f.source, f.decision, f.replacement, f.decided_by, f.decided_at.map(ts)
            ],
        )?;
        if n == 0 {
            return Err(StoreError::Invalid("该位置已有相同类别的标记".into()));
        }
        Ok(())
    }

    /// The findings of a revision, in text order.
    pub fn deid_findings(&self, rev_id: &str) -> Result<Vec<FindingRow>> {
        findings_in(&self.conn, rev_id)
    }

    /// The findings of the most recently scanned earlier revision of a document (for carrying
    /// decisions over to a new revision).
    pub fn deid_previous_findings(
        &self,
        doc_id: &str,
        before_rev: &str,
    ) -> Result<Vec<FindingRow>> {
        let prev: Option<String> = self
            .conn
            .query_row(
                "SELECT s.rev_id FROM deid_scans s JOIN revisions r ON r.rev_id = s.rev_id
                 WHERE s.doc_id = ?1 AND s.rev_id != ?2 ORDER BY r.rev_no DESC LIMIT 1",
                [doc_id, before_rev],
                |r| r.get(0),
            )
            .optional()?;
        match prev {
            Some(p) => self.deid_findings(&p),
            None => Ok(Vec::new()),
        }
    }

    /// Sets the decision (and optionally the replacement) of findings of one revision.
    pub fn deid_decide(
        &mut self,
        rev_id: &str,
        ids: &[String],
        decision: &str,
        replacement: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        for id in ids {
            n += tx.execute(
                "UPDATE deid_findings SET decision = ?3, replacement = COALESCE(?4, replacement),
                   decided_by = ?5, decided_at = ?6
                 WHERE id = ?1 AND rev_id = ?2",
                params![id, rev_id, decision, replacement, by, ts(now)],
            )?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Keeps the report of an applied review, and the whole review of that revision (findings
    /// with their decisions, what was kept visible, the confirmed images) as an event for the
    /// unit's other PCs, in one transaction.
    pub fn deid_save_report(&mut self, r: &ReportRow) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Self::save_report_in(&tx, r)?;
        let scanned_at: Option<String> = tx
            .query_row(
                "SELECT scanned_at FROM deid_scans WHERE rev_id = ?1",
                [&r.rev_id],
                |x| x.get(0),
            )
            .optional()?;
        let review = crate::replica::DeidReview {
            rev_id: r.rev_id.clone(),
            scanned_at: scanned_at.as_deref().map(parse_ts).transpose()?,
            findings: findings_in(&tx, &r.rev_id)?,
            kept: kept_in(&tx, &r.rev_id)?,
            report: r.clone(),
            images: image_reviews_in(&tx, &r.doc_id)?,
        };
        crate::replica::record_local(
            &tx,
            &r.doc_id,
            &format!("deid:{}", r.rev_id),
            &r.reviewer,
            r.reviewed_at,
            crate::replica::PubChange::Deid {
                review: Box::new(review),
            },
            vec![],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn save_report_in(conn: &rusqlite::Connection, r: &ReportRow) -> Result<()> {
        conn.execute(
            "INSERT INTO deid_reports(rev_id, doc_id, policy_version, counts, reviewer, reviewed_at, redacted_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(rev_id) DO UPDATE SET policy_version = excluded.policy_version,
               counts = excluded.counts, reviewer = excluded.reviewer,
               reviewed_at = excluded.reviewed_at, redacted_sha256 = excluded.redacted_sha256",
            params![r.rev_id, r.doc_id, r.policy_version, r.counts, r.reviewer, ts(r.reviewed_at), r.redacted_sha256],
        )?;
        Ok(())
    }

    /// Replaces this PC's review of a revision with one made on another PC of the unit.
    pub(crate) fn take_review_in(
        conn: &rusqlite::Connection,
        doc_id: &str,
        r: &crate::replica::DeidReview,
    ) -> Result<()> {
        conn.execute(
            "INSERT OR IGNORE INTO deid_scans(rev_id, doc_id, scanned_at) VALUES (?1, ?2, ?3)",
            params![
                r.rev_id,
                doc_id,
                ts(r.scanned_at.unwrap_or(r.report.reviewed_at))
            ],
        )?;
        conn.execute("DELETE FROM deid_findings WHERE rev_id = ?1", [&r.rev_id])?;
        for f in &r.findings {
            conn.execute(
                &format!("INSERT INTO deid_findings({COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"),
                params![
                    f.id, doc_id, r.rev_id, f.kind, f.start, f.end, f.text, f.confidence as f64,
                    f.reason, f.source, f.decision, f.replacement, f.decided_by,
                    f.decided_at.map(ts)
                ],
            )?;
        }
        if let Some(k) = &r.kept {
            conn.execute(
                "INSERT OR REPLACE INTO deid_kept(rev_id, kept) VALUES (?1, ?2)",
                params![r.rev_id, k],
            )?;
        }
        for i in &r.images {
            conn.execute(
                "INSERT INTO deid_image_reviews(doc_id, sha256, reviewer, reviewed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(doc_id, sha256) DO UPDATE SET reviewer = excluded.reviewer,
                   reviewed_at = excluded.reviewed_at",
                params![doc_id, i.sha256, i.reviewer, ts(i.reviewed_at)],
            )?;
        }
        Self::save_report_in(conn, &r.report)
    }

    /// The report of a revision, if applied.
    pub fn deid_report(&self, rev_id: &str) -> Result<Option<ReportRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT rev_id, doc_id, policy_version, counts, reviewer, reviewed_at, redacted_sha256
                 FROM deid_reports WHERE rev_id = ?1",
                [rev_id],
                |r| {
                    Ok(ReportRow {
                        rev_id: r.get(0)?,
                        doc_id: r.get(1)?,
                        policy_version: r.get(2)?,
                        counts: r.get(3)?,
                        reviewer: r.get(4)?,
                        reviewed_at: parse_ts(&r.get::<_, String>(5)?)?,
                        redacted_sha256: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }
}

impl Store {
    /// Records that `reviewer` confirmed the image `sha256` of `doc_id` (again: the later time).
    pub fn deid_confirm_image(
        &mut self,
        doc_id: &str,
        sha256: &str,
        reviewer: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO deid_image_reviews(doc_id, sha256, reviewer, reviewed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(doc_id, sha256) DO UPDATE SET reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at",
            params![doc_id, sha256, reviewer, ts(at)],
        )?;
        Ok(())
    }

    /// Stores what the scan of `rev_id` kept visible on purpose (JSON, written once per scan).
    pub fn deid_save_kept(&mut self, rev_id: &str, kept_json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO deid_kept(rev_id, kept) VALUES (?1, ?2)",
            params![rev_id, kept_json],
        )?;
        Ok(())
    }

    /// What the scan of `rev_id` kept visible, as stored by [`Store::deid_save_kept`].
    pub fn deid_kept(&self, rev_id: &str) -> Result<Option<String>> {
        kept_in(&self.conn, rev_id)
    }

    /// The images of `doc_id` confirmed so far.
    pub fn deid_image_reviews(&self, doc_id: &str) -> Result<Vec<ImageReviewRow>> {
        image_reviews_in(&self.conn, doc_id)
    }
}
