//! The real `gongkai hub serve` process under faults, with PCs syncing through the API:
//! - the hub ends itself after a push committed and before it answered
//!   (`GONGKAI_HUB_FAULT=exit-after-commit`); restarted on the same file, the PC's retry is
//!   answered `duplicate`: nothing lost, nothing stored twice;
//! - the hub is killed (SIGKILL) while a PC pulls page by page; restarted, the PC resumes at
//!   its cursor and ends with every revision.
//!
//! On the SQLite file always, and on PostgreSQL too when `GONGKAI_TEST_PG` is set.

#[path = "../../../tests/support/sync_world.rs"]
mod world;

use gongkai_api::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use world::{point, sync, World, PW};

struct HubProc {
    child: Child,
    url: String,
}

impl Drop for HubProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hub(db: &str, key: &Path, fault: bool) -> HubProc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["hub", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .arg("--office-key")
        .arg(key)
        .env(
            "GONGKAI_HUB_FAULT",
            if fault { "exit-after-commit" } else { "" },
        )
        .env("GONGKAI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("hub said: {line}"))
        .to_string();
    HubProc { child, url }
}

fn revs(api: &Api, doc: &str) -> usize {
    api.doc_revisions(DocRef { doc_id: doc.into() })
        .unwrap()
        .len()
}

fn add_revisions(api: &Api, doc: &str, n: usize, tag: &str) {
    for i in 0..n {
        let v = api.doc_get(DocRef { doc_id: doc.into() }).unwrap();
        let mut f = v.fields;
        f.body.push(format!("{tag}{i}"));
        api.doc_save(SaveRequest {
            doc_id: doc.into(),
            base_rev_id: v.head.rev_id.to_string(),
            fields: f,
        })
        .unwrap();
    }
}

/// The document revisions the hub holds, and how many distinct ones (read through its own
/// storage, either backend).
fn hub_revisions(db: &str) -> (i64, i64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = gongkai_hub::open_store(db).await.unwrap();
        let feed = store.feed("zazd", 0, 100_000).await.unwrap();
        let revs: Vec<String> = feed
            .iter()
            .filter(|e| e.change.kind.as_str() == "doc_revision")
            .filter_map(|e| e.change.rev_id.clone())
            .collect();
        let distinct: std::collections::BTreeSet<&String> = revs.iter().collect();
        (revs.len() as i64, distinct.len() as i64)
    })
}

#[test]
fn the_hub_dies_after_commit_and_mid_pagination_and_nothing_is_lost() {
    run(None);
    match std::env::var("GONGKAI_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(pg) => run(Some(pg)),
        None => eprintln!("GONGKAI_TEST_PG not set: the PostgreSQL run is skipped"),
    }
}

fn run(pg: Option<String>) {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, b_dir, _) = w.pc("zazd", "李娜");
    let dir = w.hub_dir();
    let key = dir.join("office.pub");
    std::fs::write(&key, &w.office_pub).unwrap();
    let db = match pg {
        Some(pg) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(gongkai_hub_store_postgres::PostgresHub::fresh_schema(
                &pg,
                "cli_hub_fault",
            ))
            .unwrap(),
        None => format!("sqlite://{}", dir.join("hub.db").display()),
    };
    let db = db.as_str();

    let h = hub(db, &key, false);
    for pc in [&w.office, &a, &b] {
        point(pc, &h.url);
    }
    sync(&w.office);
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于故障测试的通知".into(),
                body: vec!["一、总则".into()],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    for pc in [&a, &b, &a, &b] {
        sync(pc);
    }
    assert_eq!(revs(&b, &doc), 1);
    drop(h);

    // 1. The hub commits A's push and dies before answering.
    let mut faulty = hub(db, &key, true);
    point(&a, &faulty.url);
    add_revisions(&a, &doc, 3, "提交后崩溃");
    let e = a
        .sync_now(SyncNowRequest {
            password: PW.into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SyncOffline, "{}", e.message);
    assert_eq!(
        faulty.child.wait().unwrap().code(),
        Some(86),
        "the hub ended itself"
    );
    assert_eq!(
        a.sync_status().unwrap().pending,
        3,
        "no answer: still pending"
    );
    assert_eq!(hub_revisions(db), (4, 4), "yet the hub committed them");
    let h = hub(db, &key, false);
    point(&a, &h.url);
    point(&b, &h.url);
    let r = sync(&a);
    assert_eq!(r.pushed, 0, "the retry is answered duplicate: {r:?}");
    assert_eq!(a.sync_status().unwrap().pending, 0);
    assert_eq!(hub_revisions(db), (4, 4), "nothing stored twice");
    sync(&b);
    assert_eq!(revs(&b, &doc), 4);

    // 2. The hub is killed while B pulls one entry per page; B resumes at its cursor.
    add_revisions(&a, &doc, 120, "分页");
    sync(&a);
    std::env::set_var("GONGKAI_SYNC_PAGE", "1");
    let cursor_at = |dir: &Path| -> i64 {
        let c = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
        c.query_row(
            "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sync.cursor'), 0)",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let before = cursor_at(&b_dir);
    let mut h = h;
    drop(b);
    let b_dir2 = b_dir.clone();
    let puller = std::thread::spawn(move || {
        let b = Api::open(&b_dir2);
        let r = b.sync_now(SyncNowRequest {
            password: PW.into(),
        });
        (b, r)
    });
    // Kill the hub once B has applied a few pages.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while cursor_at(&b_dir) < before + 5 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.child.kill().unwrap();
    h.child.wait().unwrap();
    let (b, r) = puller.join().unwrap();
    let e = r.expect_err("the pull was cut off");
    assert_eq!(e.code, ErrorCode::SyncOffline, "{}", e.message);
    let partial = revs(&b, &doc);
    assert!(partial > 4 && partial < 124, "stopped half-way: {partial}");
    let h2 = hub(db, &key, false);
    point(&b, &h2.url);
    sync(&b);
    std::env::remove_var("GONGKAI_SYNC_PAGE");
    assert_eq!(revs(&b, &doc), 124, "every revision after the restart");
    assert_eq!(hub_revisions(db), (124, 124));
    assert_eq!(b.sync_status().unwrap().waiting, 0);
    eprintln!(
        "hub fault ({}): pull cut off after {partial} of 124 revisions, resumed to 124",
        db.split(':').next().unwrap_or_default()
    );
}
