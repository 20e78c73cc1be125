//! What travels with a document to publication: its interpretation package (immutable package
//! revisions and their images), its disclosure attribute, its confidentiality review, its sign-off
//! records, its workflow stage with the append-only transition log, its dated events and the
//! pauses of its deadlines.
//!
//! A stage change is a compare-and-set on the stored stage, written with its log row and the
//! document's list status in one transaction.

use crate::replica::{self, PubChange};
use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::{Clerk, Disclosure, DocId, Package, SecrecyReview, Stage};
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

pub(crate) const SCHEMA_V6: &str = "
CREATE TABLE package_revisions (
    rev_id         TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    parent_rev_id  TEXT REFERENCES package_revisions(rev_id),
    rev_no         INTEGER NOT NULL,
    author_id      TEXT NOT NULL,
    author_name    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    content_schema INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    content        TEXT NOT NULL,
    UNIQUE (doc_id, rev_no)
) STRICT;
CREATE TRIGGER package_revisions_immutable BEFORE UPDATE ON package_revisions
BEGIN SELECT RAISE(ABORT, 'package revisions are immutable'); END;
CREATE TABLE package_images (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE publications (
    doc_id         TEXT PRIMARY KEY REFERENCES documents(doc_id),
    stage          TEXT NOT NULL,
    package_head   TEXT REFERENCES package_revisions(rev_id),
    disclosure     TEXT,
    disclosure_by  TEXT,
    disclosure_at  TEXT,
    secrecy        TEXT,
    secrecy_rev_id TEXT,
    secrecy_by     TEXT,
    secrecy_at     TEXT
) STRICT;
CREATE TABLE signoffs (
    id             TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    doc_rev_id     TEXT NOT NULL REFERENCES revisions(rev_id),
    package_rev_id TEXT REFERENCES package_revisions(rev_id),
    signer         TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    opinion        TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX signoffs_doc ON signoffs(doc_id, recorded_at);
CREATE TABLE workflow_log (
    seq            INTEGER PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    from_stage     TEXT NOT NULL,
    to_stage       TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL,
    reason         TEXT NOT NULL,
    doc_rev_id     TEXT NOT NULL,
    package_rev_id TEXT
) STRICT;
CREATE INDEX workflow_log_doc ON workflow_log(doc_id, seq);
CREATE TRIGGER workflow_log_no_update BEFORE UPDATE ON workflow_log
BEGIN SELECT RAISE(ABORT, 'the workflow log is append-only'); END;
CREATE TRIGGER workflow_log_no_delete BEFORE DELETE ON workflow_log
BEGIN SELECT RAISE(ABORT, 'the workflow log is append-only'); END;
CREATE TABLE doc_events (
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id),
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, kind)
) STRICT;
CREATE TABLE deadline_pauses (
    id          TEXT PRIMARY KEY,
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id),
    start       TEXT NOT NULL,
    end         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
";

/// One package revision's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRevMeta {
    pub rev_id: String,
    pub doc_id: String,
    pub parent_rev_id: Option<String>,
    pub rev_no: u32,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub content_sha256: String,
}

/// What a package save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageSave {
    Saved(PackageRevMeta),
    /// Same content as the head: nothing written.
    Unchanged(PackageRevMeta),
}

impl PackageSave {
    /// The head after the save.
    pub fn meta(&self) -> &PackageRevMeta {
        match self {
            PackageSave::Saved(m) | PackageSave::Unchanged(m) => m,
        }
    }
}

/// The publication record of one document (defaults when nothing was recorded yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationRow {
    pub stage: Stage,
    pub package_head: Option<String>,
    pub disclosure: Option<Disclosure>,
    pub disclosure_by: Option<String>,
    pub disclosure_at: Option<DateTime<Utc>>,
    pub secrecy: Option<SecrecyReview>,
    /// The document revision the secrecy review was of.
    pub secrecy_rev_id: Option<String>,
    pub secrecy_by: Option<String>,
    pub secrecy_at: Option<DateTime<Utc>>,
}

/// A recorded sign-off (签发).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignoffRow {
    pub id: String,
    pub doc_id: String,
    pub doc_rev_id: String,
    pub package_rev_id: Option<String>,
    pub signer: String,
    pub signed_on: NaiveDate,
    pub opinion: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One logged transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub seq: i64,
    pub from: Stage,
    pub to: Stage,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub doc_rev_id: String,
    pub package_rev_id: Option<String>,
}

/// A stage change to write.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub doc_id: DocId,
    pub from: Stage,
    pub to: Stage,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
    pub reason: &'a str,
    pub doc_rev_id: &'a str,
    pub package_rev_id: Option<&'a str>,
}

/// What a stage move records besides the move (travels with its event).
#[derive(Debug, Default)]
pub(crate) struct StageExtras<'a> {
    pub signoff: Option<&'a SignoffRow>,
    pub events: &'a [(String, NaiveDate)],
    /// The bundle whose making moved the stage.
    pub submission: Option<&'a crate::SubmissionRow>,
}

/// A pause of a document's deadlines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PauseRow {
    pub id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

fn json_col<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        serde_json::from_str(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

fn opt_ts(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = r.get(i)?;
    s.as_deref().map(parse_ts).transpose()
}

pub(crate) fn date_col(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e: chrono::ParseError| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn stage_col(r: &Row<'_>, i: usize) -> rusqlite::Result<Stage> {
    let s: String = r.get(i)?;
    Stage::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown stage {s}").into(),
        )
    })
}

const PKG_COLS: &str =
    "rev_id, doc_id, parent_rev_id, rev_no, author_name, created_at, content_sha256";

fn pkg_meta(r: &Row<'_>) -> rusqlite::Result<PackageRevMeta> {
    Ok(PackageRevMeta {
        rev_id: r.get(0)?,
        doc_id: r.get(1)?,
        parent_rev_id: r.get(2)?,
        rev_no: r.get(3)?,
        author_name: r.get(4)?,
        created_at: parse_ts(&r.get::<_, String>(5)?)?,
        content_sha256: r.get(6)?,
    })
}

impl Store {
    fn ensure_publication(conn: &rusqlite::Connection, doc_id: &str) -> Result<()> {
        conn.execute(
            "INSERT INTO publications(doc_id, stage) VALUES (?1, 'drafting')
             ON CONFLICT(doc_id) DO NOTHING",
            [doc_id],
        )?;
        Ok(())
    }

    /// The publication record of a document.
    pub fn publication(&self, doc_id: DocId) -> Result<PublicationRow> {
        self.document(doc_id)?;
        let row = self
            .conn
            .query_row(
                "SELECT stage, package_head, disclosure, disclosure_by, disclosure_at, secrecy,
                        secrecy_rev_id, secrecy_by, secrecy_at
                 FROM publications WHERE doc_id = ?1",
                [doc_id.to_string()],
                |r| {
                    Ok(PublicationRow {
                        stage: stage_col(r, 0)?,
                        package_head: r.get(1)?,
                        disclosure: json_col(r, 2)?,
                        disclosure_by: r.get(3)?,
                        disclosure_at: opt_ts(r, 4)?,
                        secrecy: json_col(r, 5)?,
                        secrecy_rev_id: r.get(6)?,
                        secrecy_by: r.get(7)?,
                        secrecy_at: opt_ts(r, 8)?,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or(PublicationRow {
            stage: Stage::Drafting,
            package_head: None,
            disclosure: None,
            disclosure_by: None,
            disclosure_at: None,
            secrecy: None,
            secrecy_rev_id: None,
            secrecy_by: None,
            secrecy_at: None,
        }))
    }

    /// The head package revision of a document, with its content.
    pub fn package_head(&self, doc_id: DocId) -> Result<Option<(PackageRevMeta, Package)>> {
        let Some(head) = self.publication(doc_id)?.package_head else {
            return Ok(None);
        };
        self.package_revision(&head).map(Some)
    }

    /// One package revision with its content.
    pub fn package_revision(&self, rev_id: &str) -> Result<(PackageRevMeta, Package)> {
        let (meta, content): (PackageRevMeta, String) = self
            .conn
            .query_row(
                &format!("SELECT {PKG_COLS}, content FROM package_revisions WHERE rev_id = ?1"),
                [rev_id],
                |r| Ok((pkg_meta(r)?, r.get(7)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("package revision {rev_id}")))?;
        let pkg = serde_json::from_str(&content)
            .map_err(|e| StoreError::Invalid(format!("package revision {rev_id}: {e}")))?;
        Ok((meta, pkg))
    }

    /// A document's package revisions, newest first.
    pub fn package_revisions(&self, doc_id: DocId) -> Result<Vec<PackageRevMeta>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {PKG_COLS} FROM package_revisions WHERE doc_id = ?1 ORDER BY rev_no DESC"
        ))?;
        let rows = st.query_map([doc_id.to_string()], pkg_meta)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves a package revision on top of `base` (None for the first); a base that is not the
    /// head is a conflict, the same content as the head writes nothing.
    pub fn save_package(
        &mut self,
        doc_id: DocId,
        base: Option<&str>,
        rev_id: &str,
        author: &Clerk,
        pkg: &Package,
        now: DateTime<Utc>,
    ) -> Result<PackageSave> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doc = doc_id.to_string();
        let exists: bool = tx
            .query_row("SELECT 1 FROM documents WHERE doc_id = ?1", [&doc], |_| {
                Ok(())
            })
            .optional()?
            .is_some();
        if !exists {
            return Err(StoreError::NotFound(format!("document {doc_id}")));
        }
        Self::ensure_publication(&tx, &doc)?;
        let head: Option<PackageRevMeta> = tx
            .query_row(
                &format!(
                    "SELECT {PKG_COLS} FROM package_revisions WHERE rev_id =
                       (SELECT package_head FROM publications WHERE doc_id = ?1)"
                ),
                [&doc],
                pkg_meta,
            )
            .optional()?;
        if head.as_ref().map(|h| h.rev_id.as_str()) != base {
            return Err(StoreError::Conflict {
                head: head.map(|h| h.rev_id).unwrap_or_default(),
                base: base.unwrap_or_default().to_string(),
            });
        }
        let hash = pkg.content_hash();
        if let Some(h) = head.as_ref().filter(|h| h.content_sha256 == hash) {
            return Ok(PackageSave::Unchanged(h.clone()));
        }
        let parent = head.as_ref().map(|h| h.rev_id.clone());
        let rev_no = replica::insert_package(
            &tx,
            &replica::PackageRow {
                rev_id,
                doc_id: &doc,
                parent_rev_id: parent.as_deref(),
                author_id: &author.id.to_string(),
                author_name: &author.name,
                device_id: &author.device_id.to_string(),
                created_at: now,
                content_sha256: &hash,
                package: pkg,
            },
            &[],
        )?;
        let meta = PackageRevMeta {
            rev_id: rev_id.to_string(),
            doc_id: doc.clone(),
            parent_rev_id: parent,
            rev_no,
            author_name: author.name.clone(),
            created_at: now,
            content_sha256: hash,
        };
        tx.execute(
            "UPDATE publications SET package_head = ?2 WHERE doc_id = ?1",
            params![doc, meta.rev_id],
        )?;
        tx.commit()?;
        Ok(PackageSave::Saved(meta))
    }

    /// Stores an image by its SHA-256 (a second store of the same bytes is a no-op).
    pub fn put_image(
        &mut self,
        sha256: &str,
        media_type: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO package_images(sha256, media_type, bytes, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(sha256) DO NOTHING",
            params![sha256, media_type, bytes, ts(now)],
        )?;
        Ok(())
    }

    /// An image's media type and bytes.
    pub fn image(&self, sha256: &str) -> Result<(String, Vec<u8>)> {
        self.conn
            .query_row(
                "SELECT media_type, bytes FROM package_images WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("image {sha256}")))
    }

    /// Records a change of this PC's clerk to a register of the document: applied to the
    /// publication record and kept as an event for the unit's other PCs, in one transaction.
    fn local_change(
        &mut self,
        doc_id: DocId,
        register: &str,
        by: &str,
        now: DateTime<Utc>,
        change: PubChange,
    ) -> Result<()> {
        self.document(doc_id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doc = doc_id.to_string();
        replica::materialize(&tx, &doc, by, now, &change)?;
        replica::record_local(&tx, &doc, register, by, now, change, vec![])?;
        tx.commit()?;
        Ok(())
    }

    /// Records the disclosure attribute.
    pub fn set_disclosure(
        &mut self,
        doc_id: DocId,
        d: &Disclosure,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let change = PubChange::Disclosure { value: d.clone() };
        self.local_change(doc_id, replica::DISCLOSURE, by, now, change)
    }

    /// Records the confidentiality review of document revision `rev_id`.
    pub fn set_secrecy(
        &mut self,
        doc_id: DocId,
        r: &SecrecyReview,
        rev_id: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let change = PubChange::Secrecy {
            value: r.clone(),
            rev_id: rev_id.to_string(),
        };
        self.local_change(doc_id, replica::SECRECY, by, now, change)
    }

    /// Records a sign-off and moves the stage `from` → `to` with its log row, in one transaction.
    pub fn record_signoff(&mut self, s: &SignoffRow, t: &Transition<'_>) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        replica::insert_signoff(&tx, s)?;
        Self::transition_with(
            &tx,
            t,
            &StageExtras {
                signoff: Some(s),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The latest sign-off of a document.
    pub fn latest_signoff(&self, doc_id: DocId) -> Result<Option<SignoffRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, doc_id, doc_rev_id, package_rev_id, signer, signed_on, opinion,
                    recorded_by, recorded_at
                 FROM signoffs WHERE doc_id = ?1 ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
                [doc_id.to_string()],
                signoff_row,
            )
            .optional()?)
    }

    pub(crate) fn transition_in(conn: &rusqlite::Connection, t: &Transition<'_>) -> Result<()> {
        Self::transition_with(conn, t, &StageExtras::default())
    }

    /// A stage move of this PC's clerk: a compare-and-set on the stored stage, its log row, the
    /// sign-off and dates it records, and its event for the unit's other PCs.
    pub(crate) fn transition_with(
        conn: &rusqlite::Connection,
        t: &Transition<'_>,
        extras: &StageExtras<'_>,
    ) -> Result<()> {
        let doc = t.doc_id.to_string();
        Self::ensure_publication(conn, &doc)?;
        let n = conn.execute(
            "UPDATE publications SET stage = ?3 WHERE doc_id = ?1 AND stage = ?2",
            params![doc, t.from.as_str(), t.to.as_str()],
        )?;
        if n != 1 {
            return Err(StoreError::Conflict {
                head: String::new(),
                base: t.from.as_str().into(),
            });
        }
        conn.execute(
            "UPDATE documents SET status = ?2 WHERE doc_id = ?1",
            params![doc, t.to.doc_status().as_str()],
        )?;
        conn.execute(
            "INSERT INTO workflow_log(doc_id, from_stage, to_stage, actor, at, reason, doc_rev_id,
                package_rev_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                doc,
                t.from.as_str(),
                t.to.as_str(),
                t.actor,
                ts(t.at),
                t.reason,
                t.doc_rev_id,
                t.package_rev_id
            ],
        )?;
        for (kind, on) in extras.events {
            Self::set_event_in(conn, &doc, kind, *on, t.actor, t.at)?;
        }
        let change = PubChange::Stage {
            from: t.from,
            to: t.to,
            reason: t.reason.to_string(),
            doc_rev_id: t.doc_rev_id.to_string(),
            package_rev_id: t.package_rev_id.map(str::to_string),
            signoff: extras.signoff.cloned(),
            events: extras.events.to_vec(),
            submission: extras.submission.cloned().map(Box::new),
        };
        replica::record_local(conn, &doc, replica::WORKFLOW, t.actor, t.at, change, vec![])?;
        Ok(())
    }

    /// Moves the stage `from` → `to` (a conflict if the stored stage is not `from`) and logs it.
    pub fn transition(&mut self, t: &Transition<'_>) -> Result<()> {
        self.document(t.doc_id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::transition_in(&tx, t)?;
        tx.commit()?;
        Ok(())
    }

    /// A document's transitions, oldest first.
    pub fn workflow_log(&self, doc_id: DocId) -> Result<Vec<LogRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, from_stage, to_stage, actor, at, reason, doc_rev_id, package_rev_id
             FROM workflow_log WHERE doc_id = ?1 ORDER BY seq",
        )?;
        let rows = st.query_map([doc_id.to_string()], |r| {
            Ok(LogRow {
                seq: r.get(0)?,
                from: stage_col(r, 1)?,
                to: stage_col(r, 2)?,
                actor: r.get(3)?,
                at: parse_ts(&r.get::<_, String>(4)?)?,
                reason: r.get(5)?,
                doc_rev_id: r.get(6)?,
                package_rev_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records (or corrects) the date of a document event (`published`,
    /// `interpretation_published`).
    pub fn set_event(
        &mut self,
        doc_id: DocId,
        kind: &str,
        on: NaiveDate,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let change = PubChange::Event {
            event: kind.to_string(),
            on,
        };
        self.local_change(doc_id, &format!("event:{kind}"), by, now, change)
    }

    pub(crate) fn set_event_in(
        conn: &rusqlite::Connection,
        doc_id: &str,
        kind: &str,
        on: NaiveDate,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO doc_events(doc_id, kind, on_date, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(doc_id, kind) DO UPDATE SET on_date = excluded.on_date,
               recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            params![doc_id, kind, on.to_string(), by, ts(now)],
        )?;
        Ok(())
    }

    /// Every live document with a `published` date: (doc id, published, repealed), one query
    /// (the documents never published count in no table of the report).
    pub fn published_documents(&self) -> Result<Vec<(DocId, NaiveDate, Option<NaiveDate>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.doc_id, p.on_date,
                    (SELECT r.on_date FROM doc_events r WHERE r.doc_id = p.doc_id AND r.kind = 'repealed')
             FROM doc_events p JOIN documents d ON d.doc_id = p.doc_id
             WHERE p.kind = 'published' AND d.deleted_at IS NULL ORDER BY p.on_date",
        )?;
        let rows = st.query_map([], |r| {
            let repealed: Option<String> = r.get(2)?;
            Ok((
                r.get::<_, String>(0)?,
                date_col(r, 1)?,
                repealed.and_then(|s| s.parse().ok()),
            ))
        })?;
        rows.map(|row| {
            let (id, published, repealed) = row?;
            Ok((
                DocId::parse(&id).map_err(|e| StoreError::Invalid(e.to_string()))?,
                published,
                repealed,
            ))
        })
        .collect()
    }

    /// A document's recorded event dates by kind.
    pub fn events(&self, doc_id: DocId) -> Result<Vec<(String, NaiveDate)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT kind, on_date FROM doc_events WHERE doc_id = ?1")?;
        let rows = st.query_map([doc_id.to_string()], |r| Ok((r.get(0)?, date_col(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a pause of a document's deadlines.
    pub fn add_pause(&mut self, doc_id: DocId, p: &PauseRow) -> Result<()> {
        let change = PubChange::Pause { pause: p.clone() };
        self.local_change(
            doc_id,
            &format!("pause:{}", p.id),
            &p.recorded_by,
            p.recorded_at,
            change,
        )
    }

    /// A document's deadline pauses, oldest first.
    pub fn pauses(&self, doc_id: DocId) -> Result<Vec<PauseRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, start, end, reason, recorded_by, recorded_at FROM deadline_pauses
             WHERE doc_id = ?1 ORDER BY start, id",
        )?;
        let rows = st.query_map([doc_id.to_string()], |r| {
            Ok(PauseRow {
                id: r.get(0)?,
                start: date_col(r, 1)?,
                end: date_col(r, 2)?,
                reason: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: parse_ts(&r.get::<_, String>(5)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces a seed dataset with an imported one (e.g. a newer holiday table), as version
    /// `current + 1` so that it stays until the shipped set moves past it.
    pub fn import_seed(&mut self, name: &str, json: &str, now: DateTime<Utc>) -> Result<u32> {
        use sha2::{Digest, Sha256};
        let tx = self.conn.transaction()?;
        let current: u32 = tx
            .query_row(
                "SELECT version FROM seed_data WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let version = current + 1;
        tx.execute(
            "INSERT INTO seed_data(name, version, sha256, json, applied_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET version = excluded.version, sha256 = excluded.sha256,
               json = excluded.json, applied_at = excluded.applied_at",
            params![
                name,
                version,
                hex::encode(Sha256::digest(json.as_bytes())),
                json,
                ts(now)
            ],
        )?;
        tx.commit()?;
        Ok(version)
    }
}

pub(crate) fn signoff_row(r: &Row<'_>) -> rusqlite::Result<SignoffRow> {
    Ok(SignoffRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        doc_rev_id: r.get(2)?,
        package_rev_id: r.get(3)?,
        signer: r.get(4)?,
        signed_on: date_col(r, 5)?,
        opinion: r.get(6)?,
        recorded_by: r.get(7)?,
        recorded_at: parse_ts(&r.get::<_, String>(8)?)?,
    })
}
