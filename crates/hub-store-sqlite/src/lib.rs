//! The hub's storage in one SQLite file: the default, so a bureau starts the hub with nothing else
//! installed. WAL with `synchronous=FULL`; every push is one `IMMEDIATE` transaction on the one
//! connection, which also serialises `server_seq` (see `gongkai_hub_store`). Blocking calls run
//! on tokio's blocking pool.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use gongkai_hub_store::{
    change_json, check_series, parse_change, sweep_due, Counts, HubStore, HubStoreError, Result,
    StoredKeyList,
};
use gongkai_sync_proto::{
    advance_leaves, Change, ChangeKind, DatasetHead, FeedEntry, PushAck, PushStatus, SeriesHead,
    SignedDataset, SignedKeyList, SubmissionMeta, SubmissionPut,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};

const SCHEMA_VERSION: i64 = 2;
const SCHEMA: &str = "
CREATE TABLE changes (
    server_seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   TEXT NOT NULL UNIQUE,
    unit_id     TEXT NOT NULL,
    series      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    doc_id      TEXT,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (series, seq)
) STRICT;
CREATE INDEX changes_unit ON changes(unit_id, server_seq);
CREATE TABLE doc_leaves (
    unit_id TEXT NOT NULL,
    doc_id  TEXT NOT NULL,
    rev_id  TEXT NOT NULL,
    PRIMARY KEY (unit_id, doc_id, rev_id)
) STRICT;
CREATE TABLE key_lists (
    version     INTEGER PRIMARY KEY,
    list        TEXT NOT NULL,
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
CREATE TABLE nonces (
    key_id  TEXT NOT NULL,
    nonce   TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (key_id, nonce)
) STRICT;
CREATE INDEX nonces_seen ON nonces(seen_at);
CREATE TABLE submissions (
    server_seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL UNIQUE,
    unit_id       TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    bytes         BLOB NOT NULL,
    received_at   TEXT NOT NULL
) STRICT;
";

/// Version 2: the office's reference datasets, newest of each name.
const SCHEMA_V2: &str = "
CREATE TABLE datasets (
    name        TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    dataset     TEXT NOT NULL,
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
";

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn be(e: impl std::fmt::Display) -> HubStoreError {
    HubStoreError::Backend(e.to_string())
}

/// The SQLite backend.
#[derive(Clone)]
pub struct SqliteHub {
    conn: Arc<Mutex<Connection>>,
    /// When old nonces were last swept (Unix seconds): at most once a minute.
    swept: Arc<std::sync::atomic::AtomicI64>,
}

impl std::fmt::Debug for SqliteHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteHub")
    }
}

impl SqliteHub {
    /// Opens (or creates) the hub database at `path`.
    pub fn open(path: &Path) -> Result<SqliteHub> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(be)?;
        }
        let conn = Connection::open(path).map_err(be)?;
        Self::init(conn)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<SqliteHub> {
        Self::init(Connection::open_in_memory().map_err(be)?)
    }

    fn init(mut conn: Connection) -> Result<SqliteHub> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(be)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(be)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(be)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(be)?;
        if found > SCHEMA_VERSION {
            return Err(HubStoreError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found < SCHEMA_VERSION {
            let tx = conn.transaction().map_err(be)?;
            if found < 1 {
                tx.execute_batch(SCHEMA).map_err(be)?;
            }
            tx.execute_batch(SCHEMA_V2).map_err(be)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(be)?;
            tx.commit().map_err(be)?;
        }
        Ok(SqliteHub {
            conn: Arc::new(Mutex::new(conn)),
            swept: Arc::new(std::sync::atomic::AtomicI64::new(0)),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(be)?
    }
}

fn push_in(conn: &mut Connection, changes: &[Change], now: DateTime<Utc>) -> Result<Vec<PushAck>> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(be)?;
    let mut acks = Vec::with_capacity(changes.len());
    for c in changes {
        if let Some(seq) = tx
            .query_row(
                "SELECT server_seq FROM changes WHERE change_id = ?1",
                [&c.change_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(be)?
        {
            acks.push(PushAck {
                change_id: c.change_id.clone(),
                server_seq: seq,
                status: PushStatus::Duplicate,
            });
            continue;
        }
        let last: i64 = tx
            .query_row(
                "SELECT coalesce(max(seq), 0) FROM changes WHERE series = ?1",
                [&c.series],
                |r| r.get(0),
            )
            .map_err(be)?;
        check_series(c, last)?;
        tx.execute(
            "INSERT INTO changes(change_id, unit_id, series, seq, kind, doc_id, body, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.change_id,
                c.unit_id,
                c.series,
                c.seq,
                c.kind.as_str(),
                c.doc_id,
                change_json(c)?,
                ts(now)
            ],
        )
        .map_err(be)?;
        let server_seq = tx.last_insert_rowid();
        let mut status = PushStatus::Applied;
        if let (ChangeKind::DocRevision, Some(doc), Some(rev)) = (c.kind, &c.doc_id, &c.rev_id) {
            let leaves: Vec<String> = {
                let mut st = tx
                    .prepare_cached(
                        "SELECT rev_id FROM doc_leaves WHERE unit_id = ?1 AND doc_id = ?2",
                    )
                    .map_err(be)?;
                let rows = st
                    .query_map(params![c.unit_id, doc], |r| r.get(0))
                    .map_err(be)?;
                rows.collect::<rusqlite::Result<_>>().map_err(be)?
            };
            let next = advance_leaves(&leaves, rev, &c.parents);
            tx.execute(
                "DELETE FROM doc_leaves WHERE unit_id = ?1 AND doc_id = ?2",
                params![c.unit_id, doc],
            )
            .map_err(be)?;
            for l in &next {
                tx.execute(
                    "INSERT INTO doc_leaves(unit_id, doc_id, rev_id) VALUES (?1, ?2, ?3)",
                    params![c.unit_id, doc, l],
                )
                .map_err(be)?;
            }
            if next.len() > 1 {
                status = PushStatus::Conflict;
            }
        }
        acks.push(PushAck {
            change_id: c.change_id.clone(),
            server_seq,
            status,
        });
    }
    tx.commit().map_err(be)?;
    Ok(acks)
}

#[async_trait]
impl HubStore for SqliteHub {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn key_list(&self) -> Result<Option<StoredKeyList>> {
        self.run(|c| {
            c.query_row(
                "SELECT version, list, signature FROM key_lists ORDER BY version DESC LIMIT 1",
                [],
                |r| {
                    Ok(StoredKeyList {
                        version: r.get::<_, i64>(0)? as u64,
                        signed: SignedKeyList {
                            list: r.get(1)?,
                            signature: r.get(2)?,
                        },
                    })
                },
            )
            .optional()
            .map_err(be)
        })
        .await
    }

    async fn put_key_list(&self, list: &StoredKeyList, now: DateTime<Utc>) -> Result<bool> {
        let list = list.clone();
        self.run(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(be)?;
            let newest: i64 = tx
                .query_row("SELECT coalesce(max(version), -1) FROM key_lists", [], |r| {
                    r.get(0)
                })
                .map_err(be)?;
            if list.version as i64 <= newest {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO key_lists(version, list, signature, received_at) VALUES (?1, ?2, ?3, ?4)",
                params![list.version as i64, list.signed.list, list.signed.signature, ts(now)],
            )
            .map_err(be)?;
            tx.commit().map_err(be)?;
            Ok(true)
        })
        .await
    }

    async fn dataset_heads(&self) -> Result<Vec<DatasetHead>> {
        self.run(|c| {
            let mut st = c
                .prepare("SELECT name, version FROM datasets ORDER BY name")
                .map_err(be)?;
            let rows = st
                .query_map([], |r| {
                    Ok(DatasetHead {
                        name: r.get(0)?,
                        version: r.get(1)?,
                    })
                })
                .map_err(be)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(be)
        })
        .await
    }

    async fn dataset(&self, name: &str) -> Result<Option<SignedDataset>> {
        let name = name.to_string();
        self.run(move |c| {
            c.query_row(
                "SELECT dataset, signature FROM datasets WHERE name = ?1",
                [&name],
                |r| {
                    Ok(SignedDataset {
                        dataset: r.get(0)?,
                        signature: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(be)
        })
        .await
    }

    async fn put_dataset(
        &self,
        head: &DatasetHead,
        signed: &SignedDataset,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let (head, signed) = (head.clone(), signed.clone());
        self.run(move |c| {
            // Stored only over an older version of the same name (or none).
            let n = c
                .execute(
                    "INSERT INTO datasets(name, version, dataset, signature, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(name) DO UPDATE SET version = excluded.version,
                       dataset = excluded.dataset, signature = excluded.signature,
                       received_at = excluded.received_at
                     WHERE excluded.version > datasets.version",
                    params![
                        head.name,
                        head.version,
                        signed.dataset,
                        signed.signature,
                        ts(now)
                    ],
                )
                .map_err(be)?;
            Ok(n > 0)
        })
        .await
    }

    async fn use_nonce(
        &self,
        key_id: &str,
        nonce: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<bool> {
        let (key_id, nonce) = (key_id.to_string(), nonce.to_string());
        let sweep = sweep_due(&self.swept, now);
        self.run(move |c| {
            if sweep {
                c.execute("DELETE FROM nonces WHERE seen_at < ?1", [ts(forget_before)])
                    .map_err(be)?;
            }
            let n = c
                .execute(
                    "INSERT OR IGNORE INTO nonces(key_id, nonce, seen_at) VALUES (?1, ?2, ?3)",
                    params![key_id, nonce, ts(now)],
                )
                .map_err(be)?;
            Ok(n == 1)
        })
        .await
    }

    async fn push(&self, changes: &[Change], now: DateTime<Utc>) -> Result<Vec<PushAck>> {
        let changes = changes.to_vec();
        self.run(move |c| push_in(c, &changes, now)).await
    }

    async fn feed(&self, unit_id: &str, since: i64, limit: u32) -> Result<Vec<FeedEntry>> {
        let unit_id = unit_id.to_string();
        self.run(move |c| {
            let mut st = c
                .prepare_cached(
                    "SELECT server_seq, body FROM changes WHERE unit_id = ?1 AND server_seq > ?2
                     ORDER BY server_seq LIMIT ?3",
                )
                .map_err(be)?;
            let rows = st
                .query_map(params![unit_id, since, limit], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(be)?;
            let mut out = Vec::new();
            for row in rows {
                let (server_seq, body) = row.map_err(be)?;
                out.push(FeedEntry {
                    server_seq,
                    change: parse_change(&body)?,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn recipients(&self, unit_id: &str) -> Result<Vec<Change>> {
        let unit_id = unit_id.to_string();
        self.run(move |c| {
            let mut st = c
                .prepare_cached(
                    "SELECT body FROM changes WHERE unit_id = ?1 AND kind = 'device_recipient'
                     ORDER BY server_seq",
                )
                .map_err(be)?;
            let rows = st
                .query_map([unit_id], |r| r.get::<_, String>(0))
                .map_err(be)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(parse_change(&row.map_err(be)?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn series_heads(&self, unit_id: &str) -> Result<Vec<SeriesHead>> {
        let unit_id = unit_id.to_string();
        self.run(move |c| {
            let mut st = c
                .prepare_cached(
                    "SELECT series, max(seq) FROM changes WHERE unit_id = ?1 GROUP BY series ORDER BY series",
                )
                .map_err(be)?;
            let rows = st
                .query_map([unit_id], |r| {
                    Ok(SeriesHead {
                        series: r.get(0)?,
                        last_seq: r.get(1)?,
                    })
                })
                .map_err(be)?;
            rows.collect::<rusqlite::Result<_>>().map_err(be)
        })
        .await
    }

    async fn put_submission(
        &self,
        unit_id: &str,
        submission_id: &str,
        sha256: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<SubmissionPut> {
        let (unit_id, id, sha) = (
            unit_id.to_string(),
            submission_id.to_string(),
            sha256.to_string(),
        );
        let bytes = bytes.to_vec();
        self.run(move |c| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(be)?;
            if let Some((seq, old_sha)) = tx
                .query_row(
                    "SELECT server_seq, sha256 FROM submissions WHERE submission_id = ?1",
                    [&id],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()
                .map_err(be)?
            {
                if old_sha != sha {
                    return Err(HubStoreError::SubmissionReplay(id));
                }
                return Ok(SubmissionPut {
                    submission_id: id,
                    server_seq: seq,
                    duplicate: true,
                });
            }
            tx.execute(
                "INSERT INTO submissions(submission_id, unit_id, sha256, size, bytes, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, unit_id, sha, bytes.len() as i64, bytes, ts(now)],
            )
            .map_err(be)?;
            let seq = tx.last_insert_rowid();
            tx.commit().map_err(be)?;
            Ok(SubmissionPut {
                submission_id: id,
                server_seq: seq,
                duplicate: false,
            })
        })
        .await
    }

    async fn submissions(&self, since: i64, limit: u32) -> Result<Vec<SubmissionMeta>> {
        self.run(move |c| {
            let mut st = c
                .prepare_cached(
                    "SELECT submission_id, unit_id, sha256, size, server_seq, received_at
                     FROM submissions WHERE server_seq > ?1 ORDER BY server_seq LIMIT ?2",
                )
                .map_err(be)?;
            let rows = st
                .query_map(params![since, limit], |r| {
                    Ok(SubmissionMeta {
                        submission_id: r.get(0)?,
                        unit_id: r.get(1)?,
                        sha256: r.get(2)?,
                        size: r.get(3)?,
                        server_seq: r.get(4)?,
                        received_at: r.get(5)?,
                    })
                })
                .map_err(be)?;
            rows.collect::<rusqlite::Result<_>>().map_err(be)
        })
        .await
    }

    async fn submission_bytes(&self, submission_id: &str) -> Result<Option<(String, Vec<u8>)>> {
        let id = submission_id.to_string();
        self.run(move |c| {
            c.query_row(
                "SELECT unit_id, bytes FROM submissions WHERE submission_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(be)
        })
        .await
    }

    async fn counts(&self) -> Result<Counts> {
        self.run(|c| {
            let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(be);
            Ok(Counts {
                changes: n("SELECT count(*) FROM changes")?,
                submissions: n("SELECT count(*) FROM submissions")?,
                key_lists: n("SELECT count(*) FROM key_lists")?,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_story_holds_in_memory() {
        let store = SqliteHub::open_in_memory().unwrap();
        gongkai_hub_store::story::run_all(&store).await;
    }

    #[tokio::test]
    async fn the_story_holds_in_a_file_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        let store = SqliteHub::open(&path).unwrap();
        gongkai_hub_store::story::run_all(&store).await;
        let before = store.counts().await.unwrap();
        drop(store);
        let again = SqliteHub::open(&path).unwrap();
        assert_eq!(again.counts().await.unwrap(), before);
        let c = Connection::open(&path).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 9).unwrap();
        drop(c);
        assert!(matches!(
            SqliteHub::open(&path),
            Err(HubStoreError::NewerSchema { found: 9, .. })
        ));
    }
}
