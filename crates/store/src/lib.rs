//! Gongkai's SQLite store.
//!
//! One file per installation, opened in WAL mode with `synchronous=FULL`. The schema is built by
//! append-only migrations kept next to the tables they create ([`migrations`]); `PRAGMA
//! user_version` records the schema, and a database newer than this binary is refused before
//! anything is written. Every save is an immutable revision ([`documents`]); search uses FTS5
//! ([`search`]); shipped reference data is versioned ([`seeds`]).

mod consult;
pub mod deid;
pub mod documents;
mod duties;
mod error;
mod event_log;
pub mod exchange;
pub mod migrations;
pub mod org;
pub mod publication;
pub mod replica;
pub mod requests;
pub mod search;
pub mod seeds;
pub mod settings;
pub mod sync;
pub mod unit_replica;

pub use consult::{CommentRow, ConsultRow};
pub use documents::{NewDocument, SaveOutcome, SaveRevision};
pub use duties::{DutyRecordRow, YearEndReviewRow};
pub use error::StoreError;
pub use exchange::{DeviceKeyRow, IntakeRow, KeyLogRow, ReceiptRow, SubmissionRow, TrustedKeyRow};
pub use gongkai_core::SearchHit;
pub use publication::{
    LogRow, PackageRevMeta, PackageSave, PauseRow, PublicationRow, SignoffRow, Transition,
};
pub use replica::{DeidReview, ImageBlob, PackageChange, PubChange, PubEvent, RegisterConflict};
pub use requests::{
    AppealRecord, DraftRecord, DraftState, NewNote, NoteRow, ReplyRecord, RequestRow,
    UnitFiguresRow, ORIGIN_LOCAL, ORIGIN_OFFICE,
};
pub use seeds::{Dataset, SeedSet};
pub use sync::{
    Applied, ConflictRow, Incoming, IncomingEntry, OutboxRow, OutgoingRevision, PageApplied,
    RemoteRevision, UnitKeyWrap,
};
pub use unit_replica::{UnitChange, UnitConflict, UnitEvent};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Bytes as base64 text in JSON (bundles inside sync events).
pub(crate) mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Gongkai database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, migrates it and loads the embedded seed data.
    ///
    /// A file that is not a SQLite database, or whose schema is newer than this binary knows, is
    /// refused with [`StoreError::NotADatabase`] / [`StoreError::NewerSchema`] and left untouched.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Self> {
        Self::open_with_seeds(path, &SeedSet::embedded()?, now)
    }

    /// Like [`Store::open`] with a given seed set (tests use this to ship a "newer" set).
    pub fn open_with_seeds(path: &Path, seeds: &SeedSet, now: DateTime<Utc>) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::from_sqlite_at(e, path))?;
        Self::init(conn, Some(path.to_path_buf()), seeds, now)
    }

    /// An in-memory database (tests and benchmarks).
    pub fn open_in_memory(now: DateTime<Utc>) -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, None, &SeedSet::embedded()?, now)
    }

    fn init(
        mut conn: Connection,
        path: Option<PathBuf>,
        seeds: &SeedSet,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let at = |e: rusqlite::Error| match &path {
            Some(p) => StoreError::from_sqlite_at(e, p),
            None => StoreError::from(e),
        };
        conn.busy_timeout(Duration::from_secs(5)).map_err(at)?;
        // Read-only checks first: nothing is written to a file we then refuse.
        let found: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(at)?;
        let quick: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(at)?;
        if quick != "ok" {
            return Err(StoreError::Corrupt(
                path.clone().unwrap_or_default(),
                quick.chars().take(200).collect(),
            ));
        }
        migrations::check_supported(found)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(at)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(at)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(at)?;
        migrations::migrate(&mut conn, migrations::LATEST).map_err(|e| match e {
            StoreError::Sqlite(s) => at(s),
            other => other,
        })?;
        seeds::apply(&mut conn, seeds, now)?;
        Ok(Store { conn, path })
    }

    /// The database file, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`'s answer (`ok` when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
}

/// A way to make writes fail, for tests of what the app does when saving fails.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum WriteFailure {
    /// The database may not grow: SQLite answers `SQLITE_FULL`, as on a full disk.
    DiskFull,
    /// Writes are refused with `SQLITE_READONLY`, as on a read-only folder or medium.
    ReadOnly,
    /// Back to normal.
    None,
}

impl Store {
    /// Makes later writes fail (or succeed again) through SQLite's own limits.
    #[doc(hidden)]
    pub fn simulate_write_failure(&self, f: WriteFailure) -> Result<()> {
        match f {
            WriteFailure::DiskFull => {
                let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
                self.conn.pragma_update(None, "max_page_count", pages)?;
            }
            WriteFailure::ReadOnly => self.conn.pragma_update(None, "query_only", 1)?,
            WriteFailure::None => {
                self.conn.pragma_update(None, "query_only", 0)?;
                self.conn
                    .pragma_update(None, "max_page_count", 1_073_741_823)?;
            }
        }
        Ok(())
    }
}
