//! Crash safety of the bundle export: a child making the bundle of a signed document is killed
//! with SIGKILL at a random moment, each round on a fresh copy of the same data folder.
//! Afterwards the database passes `PRAGMA integrity_check`; the document is either still
//! 已签发 with no bundle recorded, or 已封装 with exactly one; a file under the clerk's name is
//! never half-written (when it exists it is exactly the recorded bundle); and exporting again
//! finishes and writes the recorded bundle.

use gongkai_api::{Api, KeyGenerateRequest, Role, SetupRequest};
use gongkai_core::{DocId, Stage};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: u64 = 12;
const PW: &str = "crash test password";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn export(dir: &Path, doc: &str, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_export_once"))
        .arg(dir)
        .arg(doc)
        .arg(out)
        .env("GONGKAI_KEY_PASSWORD", PW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The state after a crash must be one of the two whole ones; returns the recorded bundle.
fn check(dir: &Path, doc: &str, out: &Path, round: u64) -> Option<Vec<u8>> {
    let store = gongkai_store::Store::open(&dir.join("gongkai.db"), chrono::Utc::now()).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
    let doc_id = DocId::parse(doc).unwrap();
    let stage = store.publication(doc_id).unwrap().stage;
    let subs = store.submissions_of(doc).unwrap();
    let last = store.workflow_log(doc_id).unwrap().last().map(|l| l.to);
    match stage {
        Stage::Signed => {
            assert!(subs.is_empty(), "round {round}: a bundle without the stage");
            assert!(!out.exists(), "round {round}: a file without a record");
            assert_eq!(last, Some(Stage::Signed));
            None
        }
        Stage::Packaged => {
            assert_eq!(subs.len(), 1, "round {round}");
            assert_eq!(last, Some(Stage::Packaged));
            if out.exists() {
                assert_eq!(
                    std::fs::read(out).unwrap(),
                    subs[0].bundle,
                    "round {round}: the file is not the recorded bundle"
                );
            }
            Some(subs[0].bundle.clone())
        }
        other => panic!("round {round}: stage {other:?}"),
    }
}

#[test]
fn sigkill_during_bundle_export_leaves_a_whole_state() {
    let root = tempfile::tempdir().unwrap();
    let base = root.path().join("base");
    let doc = {
        let api = Api::open(&base);
        api.setup(SetupRequest {
            unit_id: "zazd".into(),
            clerk_name: "王晓明".into(),
            role: Role::Unit,
        })
        .unwrap();
        api.keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: String::new(),
        })
        .unwrap();
        gongkai_tests::signed_doc(&api, 0).unwrap()
    };

    // How long one export takes here, uninterrupted.
    let probe = root.path().join("probe");
    copy_dir(&base, &probe);
    let t = Instant::now();
    let out = export(&probe, &doc, &probe.join("b.zip"))
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = t.elapsed();
    check(&probe, &doc, &probe.join("b.zip"), 0).expect("packaged");

    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261125);
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut mid, mut packaged) = (0, 0);
    for round in 1..=ROUNDS {
        let dir = root.path().join(format!("r{round}"));
        copy_dir(&base, &dir);
        let zip = dir.join("bundle.zip");
        let mut child = export(&dir, &doc, &zip);
        // A sweep over the export from 30 % of its time to its end (before that the child is
        // still starting and reading), with jitter: the unlock, the documents and forms, the
        // signing, the record, the file.
        let ms = full.as_millis() as u64;
        let slot = ms * 7 / 10 / ROUNDS;
        let wait = ms * 3 / 10 + slot * (round - 1) + rng.random_range(0..slot.max(1));
        std::thread::sleep(Duration::from_millis(wait));
        if child.try_wait().unwrap().is_none() {
            mid += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let recorded = check(&dir, &doc, &zip, round);
        packaged += usize::from(recorded.is_some());
        // The clerk simply exports again: it finishes, and the file is the recorded bundle.
        let again = export(&dir, &doc, &zip).wait_with_output().unwrap();
        assert!(
            again.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        let now = check(&dir, &doc, &zip, round).expect("packaged after the retry");
        assert_eq!(std::fs::read(&zip).unwrap(), now);
        if let Some(before) = recorded {
            assert_eq!(before, now, "round {round}: a second bundle was made");
        }
    }
    eprintln!(
        "bundle crash test: {ROUNDS} rounds (one export takes {} ms here), {mid} killed mid-export, {packaged} had already recorded the bundle",
        full.as_millis()
    );
    assert!(
        mid >= ROUNDS as usize / 2,
        "only {mid} kills hit a running export"
    );
}
