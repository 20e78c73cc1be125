//! Sync under SIGKILL: two PCs of one unit run `sync_loop` children against a real hub (port 0,
//! SQLite file) and are killed at random moments, 30 rounds — PC A while it saves and pushes a
//! backlog, PC B while it pulls in pages of 7. Then both sync to the end. The hub holds every
//! revision A ever acknowledged, none twice; B holds exactly A's revisions; nothing waits in an
//! outbox or inbox; every SQLite file passes `integrity_check`.

#[path = "../support/sync_world.rs"]
mod world;

use gongkai_api::*;
use gongkai_hub_store::HubStore;
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use world::{point, sync, World, PW};

const ROUNDS: u64 = 30;

fn revisions(api: &Api, doc: &str) -> BTreeSet<String> {
    api.doc_revisions(DocRef { doc_id: doc.into() })
        .unwrap()
        .into_iter()
        .map(|r| r.rev_id.to_string())
        .collect()
}

fn integrity(path: &std::path::Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sigkill_during_push_and_pull_loses_and_doubles_nothing() {
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261204);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut w = World::new();
    let (a, a_dir, _) = w.pc("zazd", "王晓明");
    let (b, b_dir, _) = w.pc("zazd", "李娜");
    let hub_dir = w.hub_dir();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let hub_db = hub_dir.join("hub.db");
    let (store, hub): (Arc<dyn HubStore>, _) = rt.block_on(async {
        let store = gongkai_hub::open_store(&format!("sqlite://{}", hub_db.display()))
            .await
            .unwrap();
        let state = gongkai_hub::HubState::new(
            store.clone(),
            &w.office_pub,
            Arc::new(gongkai_hub::WallClock),
        )
        .unwrap();
        let hub = gongkai_hub::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap();
        (store, hub)
    });
    let url = format!("http://{}", hub.addr);
    for pc in [&w.office, &a, &b] {
        point(pc, &url);
    }
    sync(&w.office);
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于同步崩溃测试的通知".into(),
                body: vec!["一、总则".into()],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    sync(&a);
    sync(&b);
    sync(&a);
    sync(&b);
    assert_eq!(revisions(&b, &doc).len(), 1, "B reads A's draft");
    // A backlog for the first rounds to push.
    for i in 0..150 {
        let v = a
            .doc_get(DocRef {
                doc_id: doc.clone(),
            })
            .unwrap();
        let mut f = v.fields;
        f.body.push(format!("积压第{i}条"));
        a.doc_save(SaveRequest {
            doc_id: doc.clone(),
            base_rev_id: v.head.rev_id.to_string(),
            fields: f,
        })
        .unwrap();
    }
    drop(a);
    drop(b);

    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let mut killed_running = 0;
    let mut synced_rounds = 0;
    for round in 0..ROUNDS {
        let on_a = round % 2 == 0;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sync_loop"))
            .arg(if on_a { &a_dir } else { &b_dir })
            .arg(if on_a { "1" } else { "0" })
            .env("GONGKAI_KEY_PASSWORD", PW)
            .env("GONGKAI_SYNC_PAGE", "7")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(150..1500)));
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        for l in &lines {
            if let Some(rev) = l.strip_prefix("saved ") {
                acknowledged.insert(rev.to_string());
            }
            if l.starts_with("synced") {
                synced_rounds += 1;
            }
        }
    }
    assert!(
        killed_running >= ROUNDS - 2,
        "only {killed_running} kills hit a running child"
    );

    // Everyone catches up.
    let a = Api::open(&a_dir);
    let b = Api::open(&b_dir);
    for _ in 0..3 {
        sync(&a);
        sync(&b);
    }
    assert_eq!(a.sync_status().unwrap().pending, 0);
    assert_eq!(a.sync_status().unwrap().waiting, 0);
    assert_eq!(b.sync_status().unwrap().waiting, 0);
    let on_a = revisions(&a, &doc);
    assert!(
        acknowledged.is_subset(&on_a),
        "a save that returned is on A"
    );
    assert_eq!(revisions(&b, &doc), on_a, "B holds exactly A's revisions");
    let feed = rt.block_on(store.feed("zazd", 0, 100_000)).unwrap();
    let on_hub: Vec<String> = feed
        .iter()
        .filter_map(|e| e.change.rev_id.clone())
        .collect();
    let unique: BTreeSet<String> = on_hub.iter().cloned().collect();
    assert_eq!(on_hub.len(), unique.len(), "no revision twice on the hub");
    assert_eq!(unique, on_a, "the hub holds every revision ever made");
    assert!(a.sync_conflicts().unwrap().is_empty());
    drop(a);
    drop(b);
    rt.block_on(hub.stop()).unwrap();
    for db in [a_dir.join(DB_FILE), b_dir.join(DB_FILE), hub_db.clone()] {
        assert_eq!(integrity(&db), "ok", "{}", db.display());
    }
    eprintln!(
        "sync crash: {ROUNDS} rounds, {killed_running} killed while running, {synced_rounds} syncs completed before a kill, {} revisions acknowledged by children, {} on the hub",
        acknowledged.len(),
        unique.len()
    );
}
