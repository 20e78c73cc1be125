//! A real hub for the API tests (included with `#[path]`): axum on a loopback socket with its
//! own runtime, its storage a SQLite file in `dir`, or a fresh PostgreSQL schema when
//! `GONGKAI_TEST_PG` is set and the test names one.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

pub struct TestHub {
    pub rt: tokio::runtime::Runtime,
    pub url: String,
    running: Option<gongkai_hub::RunningHub>,
}

impl TestHub {
    /// Starts on `addr` (port 0 for any); `pg_schema`: the PostgreSQL schema to use when
    /// `GONGKAI_TEST_PG` is set (None: always SQLite, e.g. to restart on the same file).
    pub fn start(
        dir: &Path,
        office_key: &str,
        addr: SocketAddr,
        pg_schema: Option<&str>,
    ) -> TestHub {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let pg = std::env::var("GONGKAI_TEST_PG")
            .ok()
            .filter(|u| !u.is_empty());
        let db = match (pg, pg_schema) {
            (Some(pg), Some(schema)) => rt
                .block_on(gongkai_hub_store_postgres::PostgresHub::fresh_schema(
                    &pg, schema,
                ))
                .expect("postgres schema"),
            _ => format!("sqlite://{}", dir.join("hub.db").display()),
        };
        let running = rt.block_on(async {
            let store = gongkai_hub::open_store(&db).await.expect("hub store");
            let state =
                gongkai_hub::HubState::new(store, office_key, Arc::new(gongkai_hub::WallClock))
                    .expect("hub state");
            gongkai_hub::start(addr, state).await.expect("hub")
        });
        TestHub {
            url: format!("http://{}", running.addr),
            running: Some(running),
            rt,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.running.as_ref().expect("running").addr
    }

    /// Stops gracefully (also done on drop).
    pub fn stop(mut self) {
        if let Some(h) = self.running.take() {
            self.rt.block_on(h.stop()).expect("hub stops");
        }
    }
}

/// The SQLite hub's files in `dir` (database and WAL) as one byte string, to look for text that
/// must never be stored in clear; None when the hub runs on PostgreSQL.
pub fn sqlite_hub_bytes(dir: &Path) -> Option<Vec<u8>> {
    if std::env::var("GONGKAI_TEST_PG").is_ok_and(|v| !v.is_empty()) {
        return None;
    }
    let mut bytes = Vec::new();
    for e in std::fs::read_dir(dir).expect("hub dir") {
        let p = e.expect("entry").path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("hub.db"))
        {
            bytes.extend(std::fs::read(&p).expect("hub file"));
        }
    }
    Some(bytes)
}

impl Drop for TestHub {
    fn drop(&mut self) {
        if let Some(h) = self.running.take() {
            let _ = self.rt.block_on(h.stop());
        }
    }
}
