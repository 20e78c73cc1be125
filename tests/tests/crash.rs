//! Crash safety: a child saving revisions in a loop is killed with SIGKILL at random moments.
//! Afterwards the database passes `PRAGMA integrity_check`, and every revision whose save had
//! returned before the kill (the child printed its id) is present.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const ROUNDS: u64 = 60;

#[test]
fn sigkill_during_saves_loses_no_acknowledged_revision() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261123);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut killed_mid_run = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_save_loop"))
            .arg(&db)
            .arg(round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(20..200)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        if let Some(code) = status.code() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("round {round}: child exited by itself ({code}): {err}");
        }
        acknowledged.extend(lines);
    }
    assert!(
        killed_mid_run >= 50,
        "only {killed_mid_run} kills hit a running child"
    );
    assert!(
        acknowledged.len() > ROUNDS as usize,
        "children saved too little to test"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut st = conn
        .prepare("SELECT count(*) FROM revisions WHERE rev_id = ?1")
        .unwrap();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| st.query_row([id.as_str()], |r| r.get::<_, i64>(0)).unwrap() != 1)
        .collect();
    assert!(
        missing.is_empty(),
        "seed {seed}: lost {} acknowledged revisions",
        missing.len()
    );
    // Every document's head exists and its revision count matches what is stored.
    let broken: i64 = conn
        .query_row(
            "SELECT count(*) FROM documents d
             WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.rev_id = d.head_rev_id)
                OR d.rev_count != (SELECT count(*) FROM revisions r WHERE r.doc_id = d.doc_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(broken, 0);
    eprintln!(
        "crash test: {ROUNDS} rounds, {killed_mid_run} killed mid-save-loop, {} acknowledged revisions all present",
        acknowledged.len()
    );
    drop(st);
    drop(conn);
    let store = gongkai_store::Store::open(&db, chrono::Utc::now()).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
