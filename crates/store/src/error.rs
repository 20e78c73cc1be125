//! The store's error type.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database schema {found} is newer than this program supports ({supported})")]
    NewerSchema { found: u32, supported: u32 },
    #[error("{0} is not a Gongkai database (not SQLite, or encrypted)")]
    NotADatabase(PathBuf),
    #[error("database {0} is damaged: {1}")]
    Corrupt(PathBuf, String),
    #[error("the disk is full")]
    DiskFull,
    #[error("the database or its folder is read-only")]
    ReadOnly,
    #[error("{0} not found")]
    NotFound(String),
    #[error("document was changed elsewhere: head is {head}, the save was based on {base}")]
    Conflict { head: String, base: String },
    #[error("bad data: {0}")]
    Invalid(String),
    #[error("cannot use {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("seed data: {0}")]
    Seed(String),
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// Classifies a SQLite error met while using the file at `path`.
    pub(crate) fn from_sqlite_at(e: rusqlite::Error, path: &std::path::Path) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::NotADatabase) => StoreError::NotADatabase(path.to_path_buf()),
            Some(C::DatabaseCorrupt) => StoreError::Corrupt(path.to_path_buf(), e.to_string()),
            _ => StoreError::from(e),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => StoreError::DiskFull,
            Some(C::ReadOnly) | Some(C::CannotOpen) | Some(C::PermissionDenied) => {
                StoreError::ReadOnly
            }
            _ => StoreError::Sqlite(e),
        }
    }
}
