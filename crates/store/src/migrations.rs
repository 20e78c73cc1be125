//! Append-only schema migrations, tracked in `PRAGMA user_version`.
//!
//! Each migration's SQL lives in the module of the tables it creates; this list only orders them.
//! Never edit or reorder an entry that has shipped: add a new one at the end.

use crate::{Result, StoreError};
use rusqlite::Connection;

/// One schema step.
pub struct Migration {
    /// The `user_version` after this step.
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// What SQL alone cannot do (rebuilding an index with Rust-side tokens), run after `sql` in
    /// the same transaction.
    pub post: Option<fn(&rusqlite::Transaction<'_>) -> Result<()>>,
}

/// All migrations, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "settings and seed data",
        sql: crate::settings::SCHEMA_V1,
        post: None,
    },
    Migration {
        version: 2,
        name: "units and clerks",
        sql: crate::org::SCHEMA_V2,
        post: None,
    },
    Migration {
        version: 3,
        name: "documents and revisions",
        sql: crate::documents::SCHEMA_V3,
        post: None,
    },
    Migration {
        version: 4,
        name: "full-text search",
        sql: crate::search::SCHEMA_V4,
        post: None,
    },
    Migration {
        version: 5,
        name: "de-identification review",
        sql: crate::deid::SCHEMA_V5,
        post: None,
    },
    Migration {
        version: 6,
        name: "interpretation packages, disclosure, secrecy review, sign-off and workflow",
        sql: crate::publication::SCHEMA_V6,
        post: None,
    },
    Migration {
        version: 7,
        name: "device keys, trust store, submissions, intake and receipts",
        sql: crate::exchange::SCHEMA_V7,
        post: None,
    },
    Migration {
        version: 8,
        name: "images confirmed in the de-identification review",
        sql: crate::deid::SCHEMA_V8,
        post: None,
    },
    Migration {
        version: 9,
        name: "sync: outbox, inbox, merges, keys",
        sql: crate::sync::SCHEMA_V9,
        post: None,
    },
    Migration {
        version: 10,
        name: "sync: the office's receipts queued for their units",
        sql: crate::sync::SCHEMA_V10,
        post: None,
    },
    Migration {
        version: 11,
        name: "search keys in recency order; bigrams tell title from text",
        sql: crate::search::SCHEMA_V11,
        post: Some(crate::search::reindex_all),
    },
    Migration {
        version: 12,
        name: "sync: package revisions and publication events travel between a unit's PCs",
        sql: crate::replica::SCHEMA_V12,
        post: Some(crate::replica::seed_events),
    },
    Migration {
        version: 13,
        name: "sync: bundles made on another PC of the unit are marked as such",
        sql: crate::exchange::SCHEMA_V13,
        post: None,
    },
    Migration {
        version: 14,
        name: "the 依申请公开 register",
        sql: crate::requests::SCHEMA_V14,
        post: None,
    },
    Migration {
        version: 15,
        name: "the units' annual report figures at the office",
        sql: crate::requests::SCHEMA_V15,
        post: None,
    },
    Migration {
        version: 16,
        name: "转办: applications passed on to units, draft replies, register messages",
        sql: crate::requests::SCHEMA_V16,
        post: None,
    },
    Migration {
        version: 17,
        name: "duty records for the duty board",
        sql: crate::duties::SCHEMA_V17,
        post: None,
    },
    Migration {
        version: 18,
        name: "征求意见: consultations, comments and feedback",
        sql: crate::consult::SCHEMA_V18,
        post: None,
    },
    Migration {
        version: 19,
        name: "sync: the unit's registers travel between its PCs; a serial given twice is kept",
        sql: crate::unit_replica::SCHEMA_V19,
        post: Some(crate::unit_replica::seed_events),
    },
];

/// The schema version this binary writes.
pub const LATEST: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Refuses a database written by a newer Gongkai.
pub fn check_supported(found: u32) -> Result<()> {
    if found > LATEST {
        return Err(StoreError::NewerSchema {
            found,
            supported: LATEST,
        });
    }
    Ok(())
}

/// Applies every migration above the current `user_version` up to `target`, each in its own
/// transaction together with the version bump.
pub fn migrate(conn: &mut Connection, target: u32) -> Result<u32> {
    let start: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    check_supported(start)?;
    let mut current = start;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > start && m.version <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        if let Some(post) = m.post {
            post(&tx)?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
        current = m.version;
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_contiguous_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
    }
}
