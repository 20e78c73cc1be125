//! Documents and their immutable revisions.
//!
//! A save writes a new revision (parent = the head it was based on, `rev_no` = one more than any
//! revision of the document this PC holds),
//! moves the document's head and refreshes the search index, all in one transaction. A save whose
//! base is not the head is refused as a conflict; a save whose content equals the head's is a no-op.

use crate::{parse_ts, search, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::{
    Clerk, ClerkId, DeviceId, DocFields, DocId, DocStatus, DocSummary, RevId, Revision,
    RevisionMeta, CONTENT_SCHEMA,
};
use rusqlite::{params, OptionalExtension, Row, Transaction, TransactionBehavior};

pub(crate) const SCHEMA_V3: &str = "
CREATE TABLE documents (
    seq         INTEGER PRIMARY KEY,
    doc_id      TEXT NOT NULL UNIQUE,
    unit_id     TEXT NOT NULL REFERENCES units(id),
    status      TEXT NOT NULL,
    head_rev_id TEXT NOT NULL,
    rev_count   INTEGER NOT NULL,
    title       TEXT NOT NULL,
    doc_number  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE INDEX documents_updated ON documents(deleted_at, updated_at DESC);
CREATE TABLE revisions (
    rev_id         TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    parent_rev_id  TEXT REFERENCES revisions(rev_id),
    rev_no         INTEGER NOT NULL,
    author_id      TEXT NOT NULL,
    author_name    TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    content_schema INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    content        TEXT NOT NULL,
    restored_from  TEXT,
    UNIQUE (doc_id, rev_no)
) STRICT;
-- Revisions are immutable.
CREATE TRIGGER revisions_immutable BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
";

/// A new document with its first revision.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub doc_id: DocId,
    pub rev_id: RevId,
    pub author: &'a Clerk,
    pub fields: &'a DocFields,
    pub now: DateTime<Utc>,
}

/// A save on top of `base_rev_id`.
#[derive(Debug, Clone)]
pub struct SaveRevision<'a> {
    pub doc_id: DocId,
    pub base_rev_id: RevId,
    pub rev_id: RevId,
    pub author: &'a Clerk,
    pub fields: &'a DocFields,
    pub now: DateTime<Utc>,
    pub restored_from: Option<RevId>,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new revision was written.
    Saved(RevisionMeta),
    /// The content equals the head's: nothing written; the head is returned.
    Unchanged(RevisionMeta),
}

impl SaveOutcome {
    /// The head revision after the save.
    pub fn meta(&self) -> &RevisionMeta {
        match self {
            SaveOutcome::Saved(m) | SaveOutcome::Unchanged(m) => m,
        }
    }
}

fn uuid_col<T>(
    r: &Row<'_>,
    i: usize,
    f: fn(&str) -> Result<T, uuid::Error>,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    f(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn opt_uuid_col<T>(
    r: &Row<'_>,
    i: usize,
    f: fn(&str) -> Result<T, uuid::Error>,
) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        f(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

pub(crate) const META_COLS: &str = "rev_id, doc_id, parent_rev_id, rev_no, author_id, author_name, device_id, created_at, content_sha256, restored_from";

pub(crate) fn meta_row(r: &Row<'_>) -> rusqlite::Result<RevisionMeta> {
    Ok(RevisionMeta {
        rev_id: uuid_col(r, 0, RevId::parse)?,
        doc_id: uuid_col(r, 1, DocId::parse)?,
        parent_rev_id: opt_uuid_col(r, 2, RevId::parse)?,
        rev_no: r.get(3)?,
        author_id: uuid_col(r, 4, ClerkId::parse)?,
        author_name: r.get(5)?,
        device_id: uuid_col(r, 6, DeviceId::parse)?,
        created_at: parse_ts(&r.get::<_, String>(7)?)?,
        content_sha256: r.get(8)?,
        restored_from: opt_uuid_col(r, 9, RevId::parse)?,
    })
}

const SUMMARY_COLS: &str = "doc_id, unit_id, title, doc_number, status, head_rev_id, rev_count, created_by, created_at, updated_by, updated_at, deleted_at";

pub(crate) fn summary_row(r: &Row<'_>) -> rusqlite::Result<DocSummary> {
    let status: String = r.get(4)?;
    let deleted: Option<String> = r.get(11)?;
    Ok(DocSummary {
        doc_id: uuid_col(r, 0, DocId::parse)?,
        unit_id: r.get(1)?,
        title: r.get(2)?,
        doc_number: r.get(3)?,
        status: DocStatus::parse(&status).unwrap_or_default(),
        head_rev_id: uuid_col(r, 5, RevId::parse)?,
        rev_count: r.get(6)?,
        created_by: r.get(7)?,
        created_at: parse_ts(&r.get::<_, String>(8)?)?,
        updated_by: r.get(9)?,
        updated_at: parse_ts(&r.get::<_, String>(10)?)?,
        deleted_at: deleted.as_deref().map(parse_ts).transpose()?,
    })
}

/// The head revision's metadata, inside a transaction.
pub(crate) fn head_meta(tx: &Transaction<'_>, doc_id: DocId) -> Result<RevisionMeta> {
    tx.query_row(
        &format!(
            "SELECT {META_COLS} FROM revisions WHERE rev_id =
               (SELECT head_rev_id FROM documents WHERE doc_id = ?1)"
        ),
        [doc_id.to_string()],
        meta_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("document {doc_id}")))
}

pub(crate) fn insert_revision(
    tx: &Transaction<'_>,
    meta: &RevisionMeta,
    fields: &DocFields,
) -> Result<()> {
    let content = serde_json::to_string(fields).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO revisions(rev_id, doc_id, parent_rev_id, rev_no, author_id, author_name,
            device_id, created_at, content_schema, content_sha256, content, restored_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            meta.rev_id.to_string(),
            meta.doc_id.to_string(),
            meta.parent_rev_id.map(|r| r.to_string()),
            meta.rev_no,
            meta.author_id.to_string(),
            meta.author_name,
            meta.device_id.to_string(),
            ts(meta.created_at),
            CONTENT_SCHEMA,
            meta.content_sha256,
            content,
            meta.restored_from.map(|r| r.to_string()),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Creates a document with its first revision; returns that revision's metadata.
    pub fn create_document(&mut self, new: NewDocument<'_>) -> Result<RevisionMeta> {
        let meta = RevisionMeta {
            rev_id: new.rev_id,
            doc_id: new.doc_id,
            parent_rev_id: None,
            rev_no: 1,
            author_id: new.author.id,
            author_name: new.author.name.clone(),
            device_id: new.author.device_id,
            created_at: new.now,
            content_sha256: new.fields.content_hash(),
            restored_from: None,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO documents(doc_id, unit_id, status, head_rev_id, rev_count, title, doc_number,
                created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?7, ?8)",
            params![
                new.doc_id.to_string(),
                new.author.unit_id,
                DocStatus::Draft.as_str(),
                new.rev_id.to_string(),
                new.fields.title.trim(),
                new.fields.doc_number.trim(),
                new.author.name,
                ts(new.now),
            ],
        )?;
        insert_revision(&tx, &meta, new.fields)?;
        search::index(&tx, new.doc_id, new.fields)?;
        tx.commit()?;
        Ok(meta)
    }

    /// Saves a new revision on top of `base_rev_id` (see the module doc).
    pub fn save_revision(&mut self, save: SaveRevision<'_>) -> Result<SaveOutcome> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let head = head_meta(&tx, save.doc_id)?;
        if head.rev_id != save.base_rev_id {
            return Err(StoreError::Conflict {
                head: head.rev_id.to_string(),
                base: save.base_rev_id.to_string(),
            });
        }
        let hash = save.fields.content_hash();
        if hash == head.content_sha256 && save.restored_from.is_none() {
            return Ok(SaveOutcome::Unchanged(head));
        }
        // Numbered after every revision this PC holds: with sync, a sibling from another PC
        // may be numbered after the head.
        let rev_no: u32 = tx.query_row(
            "SELECT coalesce(max(rev_no), 0) + 1 FROM revisions WHERE doc_id = ?1",
            [save.doc_id.to_string()],
            |r| r.get(0),
        )?;
        let meta = RevisionMeta {
            rev_id: save.rev_id,
            doc_id: save.doc_id,
            parent_rev_id: Some(head.rev_id),
            rev_no,
            author_id: save.author.id,
            author_name: save.author.name.clone(),
            device_id: save.author.device_id,
            created_at: save.now,
            content_sha256: hash,
            restored_from: save.restored_from,
        };
        insert_revision(&tx, &meta, save.fields)?;
        tx.execute(
            "UPDATE documents SET head_rev_id = ?2, rev_count = rev_count + 1, title = ?3,
                doc_number = ?4, updated_by = ?5, updated_at = ?6
             WHERE doc_id = ?1",
            params![
                save.doc_id.to_string(),
                save.rev_id.to_string(),
                save.fields.title.trim(),
                save.fields.doc_number.trim(),
                save.author.name,
                ts(save.now),
            ],
        )?;
        search::index(&tx, save.doc_id, save.fields)?;
        tx.commit()?;
        Ok(SaveOutcome::Saved(meta))
    }

    /// One document's summary.
    pub fn document(&self, doc_id: DocId) -> Result<DocSummary> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLS} FROM documents WHERE doc_id = ?1"),
                [doc_id.to_string()],
                summary_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("document {doc_id}")))
    }

    /// Documents, most recently edited first: the live ones, or those in the recycle bin.
    pub fn list_documents(&self, in_bin: bool) -> Result<Vec<DocSummary>> {
        let cond = if in_bin {
            "deleted_at IS NOT NULL"
        } else {
            "deleted_at IS NULL"
        };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLS} FROM documents WHERE {cond} ORDER BY updated_at DESC, seq DESC"
        ))?;
        let rows = st.query_map([], summary_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A document's revisions, newest first.
    pub fn revisions(&self, doc_id: DocId) -> Result<Vec<RevisionMeta>> {
        self.document(doc_id)?;
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {META_COLS} FROM revisions WHERE doc_id = ?1 ORDER BY rev_no DESC"
        ))?;
        let rows = st.query_map([doc_id.to_string()], meta_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One revision with its content.
    pub fn revision(&self, rev_id: RevId) -> Result<Revision> {
        let (meta, content): (RevisionMeta, String) = self
            .conn
            .query_row(
                &format!("SELECT {META_COLS}, content FROM revisions WHERE rev_id = ?1"),
                [rev_id.to_string()],
                |r| Ok((meta_row(r)?, r.get(10)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("revision {rev_id}")))?;
        let fields = serde_json::from_str(&content)
            .map_err(|e| StoreError::Invalid(format!("revision {rev_id}: {e}")))?;
        Ok(Revision { meta, fields })
    }

    /// The head revision of a document.
    pub fn head(&self, doc_id: DocId) -> Result<Revision> {
        let doc = self.document(doc_id)?;
        self.revision(doc.head_rev_id)
    }

    /// Moves a document to the recycle bin (`Some(now)`) or back out of it (`None`).
    pub fn set_deleted(&mut self, doc_id: DocId, deleted_at: Option<DateTime<Utc>>) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE documents SET deleted_at = ?2 WHERE doc_id = ?1",
            params![doc_id.to_string(), deleted_at.map(ts)],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("document {doc_id}")));
        }
        Ok(())
    }

    /// Number of live documents.
    pub fn document_count(&self) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM documents WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }
}
