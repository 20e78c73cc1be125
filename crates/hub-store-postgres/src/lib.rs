//! The hub's storage on PostgreSQL (tokio-postgres with a deadpool pool). Pushes take a
//! transaction-scoped advisory lock so `server_seq` values become visible in order (a reader
//! never sees 11 before 10 commits, so no cursor skips a change); everything else is plain SQL.
//! `GONGKAI_TEST_PG` (a `postgres://` URL) turns the story tests on.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use gongkai_hub_store::{
    change_json, check_series, parse_change, Counts, HubStore, HubStoreError, Result, StoredKeyList,
};
use gongkai_sync_proto::{
    advance_leaves, Change, ChangeKind, DatasetHead, FeedEntry, PushAck, PushStatus, SeriesHead,
    SignedDataset, SignedKeyList, SubmissionMeta, SubmissionPut,
};
use tokio_postgres::NoTls;

const SCHEMA_VERSION: i64 = 2;
const PUSH_LOCK: i64 = 0x0067_6f6e_676b_6169;
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS hub_schema (version BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
    server_seq  BIGSERIAL PRIMARY KEY,
    change_id   TEXT NOT NULL UNIQUE,
    unit_id     TEXT NOT NULL,
    series      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    doc_id      TEXT,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (series, seq)
);
CREATE INDEX IF NOT EXISTS changes_unit ON changes(unit_id, server_seq);
CREATE TABLE IF NOT EXISTS doc_leaves (
    unit_id TEXT NOT NULL,
    doc_id  TEXT NOT NULL,
    rev_id  TEXT NOT NULL,
    PRIMARY KEY (unit_id, doc_id, rev_id)
);
CREATE TABLE IF NOT EXISTS datasets (
    name        TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    dataset     TEXT NOT NULL,
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS key_lists (
    version     BIGINT PRIMARY KEY,
    list        TEXT NOT NULL,
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nonces (
    key_id  TEXT NOT NULL,
    nonce   TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_seen ON nonces(seen_at);
CREATE TABLE IF NOT EXISTS submissions (
    server_seq    BIGSERIAL PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE,
    unit_id       TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    bytes         BYTEA NOT NULL,
    received_at   TEXT NOT NULL
);
";

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn be(e: impl std::fmt::Display) -> HubStoreError {
    HubStoreError::Backend(e.to_string())
}

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct PostgresHub {
    pool: Pool,
    /// When old nonces were last swept (Unix seconds): at most once a minute.
    swept: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl std::fmt::Debug for PostgresHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresHub")
    }
}

impl PostgresHub {
    /// Connects to `url` (`postgres://user@host/db`) and creates the tables if missing.
    pub async fn connect(url: &str) -> Result<PostgresHub> {
        let config: tokio_postgres::Config = url.parse().map_err(be)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager).max_size(16).build().map_err(be)?;
        let client = pool.get().await.map_err(be)?;
        client.batch_execute(SCHEMA).await.map_err(be)?;
        let found: Option<i64> = client
            .query_opt("SELECT max(version) FROM hub_schema", &[])
            .await
            .map_err(be)?
            .and_then(|r| r.get(0));
        match found {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(HubStoreError::NewerSchema {
                    found: v,
                    supported: SCHEMA_VERSION,
                })
            }
            Some(v) if v == SCHEMA_VERSION => {}
            // Older or new: the tables above were created if missing; record the version.
            _ => {
                client
                    .execute(
                        "INSERT INTO hub_schema(version) VALUES ($1)",
                        &[&SCHEMA_VERSION],
                    )
                    .await
                    .map_err(be)?;
            }
        }
        Ok(PostgresHub {
            pool,
            swept: std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0)),
        })
    }

    /// A URL for a fresh, empty schema `name` in the database at `url` (tests: each gets its own
    /// schema, so they can run side by side on one server).
    pub async fn fresh_schema(url: &str, name: &str) -> Result<String> {
        let (client, conn) = tokio_postgres::connect(url, NoTls).await.map_err(be)?;
        let task = tokio::spawn(conn);
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name};"
            ))
            .await
            .map_err(be)?;
        drop(client);
        let _ = task.await;
        let sep = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{sep}options=-c%20search_path%3D{name}"))
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(be)
    }
}

#[async_trait]
impl HubStore for PostgresHub {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn key_list(&self) -> Result<Option<StoredKeyList>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT version, list, signature FROM key_lists ORDER BY version DESC LIMIT 1",
                &[],
            )
            .await
            .map_err(be)?;
        Ok(row.map(|r| StoredKeyList {
            version: r.get::<_, i64>(0) as u64,
            signed: SignedKeyList {
                list: r.get(1),
                signature: r.get(2),
            },
        }))
    }

    async fn put_key_list(&self, list: &StoredKeyList, now: DateTime<Utc>) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(be)?;
        tx.execute("LOCK TABLE key_lists IN EXCLUSIVE MODE", &[])
            .await
            .map_err(be)?;
        let newest: i64 = tx
            .query_one("SELECT coalesce(max(version), -1) FROM key_lists", &[])
            .await
            .map_err(be)?
            .get(0);
        let version = list.version as i64;
        if version <= newest {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO key_lists(version, list, signature, received_at) VALUES ($1, $2, $3, $4)",
            &[
                &version,
                &list.signed.list,
                &list.signed.signature,
                &ts(now),
            ],
        )
        .await
        .map_err(be)?;
        tx.commit().await.map_err(be)?;
        Ok(true)
    }

    async fn dataset_heads(&self) -> Result<Vec<DatasetHead>> {
        let c = self.client().await?;
        let rows = c
            .query("SELECT name, version FROM datasets ORDER BY name", &[])
            .await
            .map_err(be)?;
        Ok(rows
            .iter()
            .map(|r| DatasetHead {
                name: r.get(0),
                version: r.get::<_, i64>(1) as u32,
            })
            .collect())
    }

    async fn dataset(&self, name: &str) -> Result<Option<SignedDataset>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT dataset, signature FROM datasets WHERE name = $1",
                &[&name],
            )
            .await
            .map_err(be)?;
        Ok(row.map(|r| SignedDataset {
            dataset: r.get(0),
            signature: r.get(1),
        }))
    }

    async fn put_dataset(
        &self,
        head: &DatasetHead,
        signed: &SignedDataset,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let c = self.client().await?;
        // Stored only over an older version of the same name (or none).
        let n = c
            .execute(
                "INSERT INTO datasets(name, version, dataset, signature, received_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version,
                   dataset = excluded.dataset, signature = excluded.signature,
                   received_at = excluded.received_at
                 WHERE excluded.version > datasets.version",
                &[
                    &head.name,
                    &i64::from(head.version),
                    &signed.dataset,
                    &signed.signature,
                    &ts(now),
                ],
            )
            .await
            .map_err(be)?;
        Ok(n > 0)
    }

    async fn use_nonce(
        &self,
        key_id: &str,
        nonce: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<bool> {
        let c = self.client().await?;
        if gongkai_hub_store::sweep_due(&self.swept, now) {
            c.execute(
                "DELETE FROM nonces WHERE seen_at < $1",
                &[&ts(forget_before)],
            )
            .await
            .map_err(be)?;
        }
        let n = c
            .execute(
                "INSERT INTO nonces(key_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&key_id, &nonce, &ts(now)],
            )
            .await
            .map_err(be)?;
        Ok(n == 1)
    }

    async fn push(&self, changes: &[Change], now: DateTime<Utc>) -> Result<Vec<PushAck>> {
        // A batch in a fixed number of round trips (the push lock is held for as short a time
        // as possible): which ids are known, where each series stands, one insert of the new
        // changes in order, and the document leaves read and written once.
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(be)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])
            .await
            .map_err(be)?;
        let ids: Vec<&str> = changes.iter().map(|c| c.change_id.as_str()).collect();
        let mut known: std::collections::HashMap<String, i64> = tx
            .query(
                "SELECT change_id, server_seq FROM changes WHERE change_id = ANY($1)",
                &[&ids],
            )
            .await
            .map_err(be)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut series: Vec<&str> = changes.iter().map(|c| c.series.as_str()).collect();
        series.sort_unstable();
        series.dedup();
        let mut last: std::collections::HashMap<String, i64> = tx
            .query(
                "SELECT series, max(seq)::BIGINT FROM changes WHERE series = ANY($1) GROUP BY series",
                &[&series],
            )
            .await
            .map_err(be)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        // The new changes, in order; a change repeated within the batch is a duplicate of its
        // first copy.
        let mut fresh: Vec<&Change> = Vec::new();
        let mut in_batch = std::collections::HashSet::new();
        for ch in changes {
            if known.contains_key(&ch.change_id) || !in_batch.insert(ch.change_id.as_str()) {
                continue;
            }
            let at = last.entry(ch.series.clone()).or_insert(0);
            check_series(ch, *at)?;
            *at = ch.seq;
            fresh.push(ch);
        }
        if !fresh.is_empty() {
            let col = |f: fn(&Change) -> String| fresh.iter().map(|c| f(c)).collect::<Vec<_>>();
            let bodies = fresh
                .iter()
                .map(|c| change_json(c))
                .collect::<Result<Vec<_>>>()?;
            let seqs: Vec<i64> = fresh.iter().map(|c| c.seq).collect();
            let docs: Vec<Option<String>> = fresh.iter().map(|c| c.doc_id.clone()).collect();
            let at = vec![ts(now); fresh.len()];
            let rows = tx
                .query(
                    "INSERT INTO changes(change_id, unit_id, series, seq, kind, doc_id, body, received_at)
                     SELECT c, u, s, q, k, d, b, r
                     FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[],
                                 $6::text[], $7::text[], $8::text[])
                          WITH ORDINALITY AS t(c, u, s, q, k, d, b, r, ord)
                     ORDER BY ord
                     RETURNING change_id, server_seq",
                    &[
                        &col(|c| c.change_id.clone()),
                        &col(|c| c.unit_id.clone()),
                        &col(|c| c.series.clone()),
                        &seqs,
                        &col(|c| c.kind.as_str().to_string()),
                        &docs,
                        &bodies,
                        &at,
                    ],
                )
                .await
                .map_err(be)?;
            for r in rows {
                known.insert(r.get(0), r.get(1));
            }
        }
        // Document leaves (the 冲突 rule), for the revisions among the new changes.
        let revisions: Vec<&Change> = fresh
            .iter()
            .copied()
            .filter(|c| {
                c.kind == ChangeKind::DocRevision && c.doc_id.is_some() && c.rev_id.is_some()
            })
            .collect();
        let mut conflicted = std::collections::HashSet::new();
        if !revisions.is_empty() {
            let doc_ids: Vec<&str> = revisions
                .iter()
                .filter_map(|c| c.doc_id.as_deref())
                .collect();
            let mut leaves: std::collections::BTreeMap<(String, String), Vec<String>> =
                std::collections::BTreeMap::new();
            for r in tx
                .query(
                    "SELECT unit_id, doc_id, rev_id FROM doc_leaves WHERE doc_id = ANY($1)",
                    &[&doc_ids],
                )
                .await
                .map_err(be)?
            {
                leaves
                    .entry((r.get(0), r.get(1)))
                    .or_default()
                    .push(r.get(2));
            }
            let mut touched = std::collections::BTreeSet::new();
            for ch in &revisions {
                let (Some(doc), Some(rev)) = (&ch.doc_id, &ch.rev_id) else {
                    continue;
                };
                let key = (ch.unit_id.clone(), doc.clone());
                let now_leaves = leaves.entry(key.clone()).or_default();
                let next = advance_leaves(now_leaves, rev, &ch.parents);
                if next.len() > 1 {
                    conflicted.insert(ch.change_id.clone());
                }
                *now_leaves = next;
                touched.insert(key);
            }
            let (units, docs): (Vec<String>, Vec<String>) = touched.iter().cloned().unzip();
            tx.execute(
                "DELETE FROM doc_leaves d USING UNNEST($1::text[], $2::text[]) AS t(u, doc)
                 WHERE d.unit_id = t.u AND d.doc_id = t.doc",
                &[&units, &docs],
            )
            .await
            .map_err(be)?;
            let mut lu = Vec::new();
            let mut ld = Vec::new();
            let mut lr = Vec::new();
            for key in &touched {
                for rev in leaves.get(key).into_iter().flatten() {
                    lu.push(key.0.clone());
                    ld.push(key.1.clone());
                    lr.push(rev.clone());
                }
            }
            tx.execute(
                "INSERT INTO doc_leaves(unit_id, doc_id, rev_id)
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])",
                &[&lu, &ld, &lr],
            )
            .await
            .map_err(be)?;
        }
        let fresh_ids: std::collections::HashSet<&str> =
            fresh.iter().map(|c| c.change_id.as_str()).collect();
        let mut first_seen = std::collections::HashSet::new();
        let acks = changes
            .iter()
            .map(|ch| {
                let server_seq = known.get(&ch.change_id).copied().unwrap_or_default();
                let status = if fresh_ids.contains(ch.change_id.as_str())
                    && first_seen.insert(ch.change_id.as_str())
                {
                    if conflicted.contains(&ch.change_id) {
                        PushStatus::Conflict
                    } else {
                        PushStatus::Applied
                    }
                } else {
                    PushStatus::Duplicate
                };
                PushAck {
                    change_id: ch.change_id.clone(),
                    server_seq,
                    status,
                }
            })
            .collect();
        tx.commit().await.map_err(be)?;
        Ok(acks)
    }

    async fn feed(&self, unit_id: &str, since: i64, limit: u32) -> Result<Vec<FeedEntry>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT server_seq, body FROM changes WHERE unit_id = $1 AND server_seq > $2
                 ORDER BY server_seq LIMIT $3",
                &[&unit_id, &since, &(limit as i64)],
            )
            .await
            .map_err(be)?;
        rows.iter()
            .map(|r| {
                Ok(FeedEntry {
                    server_seq: r.get(0),
                    change: parse_change(r.get::<_, &str>(1))?,
                })
            })
            .collect()
    }

    async fn recipients(&self, unit_id: &str) -> Result<Vec<Change>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT body FROM changes WHERE unit_id = $1 AND kind = 'device_recipient'
                 ORDER BY server_seq",
                &[&unit_id],
            )
            .await
            .map_err(be)?;
        rows.iter()
            .map(|r| parse_change(r.get::<_, &str>(0)))
            .collect()
    }

    async fn series_heads(&self, unit_id: &str) -> Result<Vec<SeriesHead>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT series, max(seq)::BIGINT FROM changes WHERE unit_id = $1 GROUP BY series ORDER BY series",
                &[&unit_id],
            )
            .await
            .map_err(be)?;
        Ok(rows
            .iter()
            .map(|r| SeriesHead {
                series: r.get(0),
                last_seq: r.get(1),
            })
            .collect())
    }

    async fn put_submission(
        &self,
        unit_id: &str,
        submission_id: &str,
        sha256: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<SubmissionPut> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(be)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&(PUSH_LOCK + 1)])
            .await
            .map_err(be)?;
        if let Some(row) = tx
            .query_opt(
                "SELECT server_seq, sha256 FROM submissions WHERE submission_id = $1",
                &[&submission_id],
            )
            .await
            .map_err(be)?
        {
            let old: String = row.get(1);
            if old != sha256 {
                return Err(HubStoreError::SubmissionReplay(submission_id.to_string()));
            }
            return Ok(SubmissionPut {
                submission_id: submission_id.to_string(),
                server_seq: row.get(0),
                duplicate: true,
            });
        }
        let seq: i64 = tx
            .query_one(
                "INSERT INTO submissions(submission_id, unit_id, sha256, size, bytes, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING server_seq",
                &[
                    &submission_id,
                    &unit_id,
                    &sha256,
                    &(bytes.len() as i64),
                    &bytes,
                    &ts(now),
                ],
            )
            .await
            .map_err(be)?
            .get(0);
        tx.commit().await.map_err(be)?;
        Ok(SubmissionPut {
            submission_id: submission_id.to_string(),
            server_seq: seq,
            duplicate: false,
        })
    }

    async fn submissions(&self, since: i64, limit: u32) -> Result<Vec<SubmissionMeta>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT submission_id, unit_id, sha256, size, server_seq, received_at
                 FROM submissions WHERE server_seq > $1 ORDER BY server_seq LIMIT $2",
                &[&since, &(limit as i64)],
            )
            .await
            .map_err(be)?;
        Ok(rows
            .iter()
            .map(|r| SubmissionMeta {
                submission_id: r.get(0),
                unit_id: r.get(1),
                sha256: r.get(2),
                size: r.get(3),
                server_seq: r.get(4),
                received_at: r.get(5),
            })
            .collect())
    }

    async fn submission_bytes(&self, submission_id: &str) -> Result<Option<(String, Vec<u8>)>> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT unit_id, bytes FROM submissions WHERE submission_id = $1",
                &[&submission_id],
            )
            .await
            .map_err(be)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn counts(&self) -> Result<Counts> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "SELECT (SELECT count(*) FROM changes), (SELECT count(*) FROM submissions),
                        (SELECT count(*) FROM key_lists)",
                &[],
            )
            .await
            .map_err(be)?;
        Ok(Counts {
            changes: row.get(0),
            submissions: row.get(1),
            key_lists: row.get(2),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_story_holds_on_postgres() {
        let Some(url) = std::env::var("GONGKAI_TEST_PG")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("GONGKAI_TEST_PG not set: PostgreSQL story skipped");
            return;
        };
        let url = PostgresHub::fresh_schema(&url, "story").await.unwrap();
        let store = PostgresHub::connect(&url).await.unwrap();
        gongkai_hub_store::story::run_all(&store).await;
    }
}
