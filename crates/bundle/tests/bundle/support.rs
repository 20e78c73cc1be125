//! Shared fixtures: sample submissions and payloads, one set of keys per test binary, an
//! in-memory trust store, zip helpers (the `zip` crate, not our writer) and the outside tools.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use gongkai_bundle::{
    build_bundle, Algorithm, BundleInput, DeadlineEntry, DeidSummary, FileRole, KeyState,
    PayloadFile, Signer, Signoff, Submission, TrustStore, TrustedKey, SCHEMA_VERSION,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;
use uuid::Uuid;

pub const UNIT: &str = "zazd";
pub const OTHER_UNIT: &str = "xfzd";

/// The office's receipt time used throughout.
pub fn received_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).single().unwrap()
}

/// A UUIDv7-shaped id from a number.
pub fn id(n: u64) -> Uuid {
    let mut random = [0u8; 10];
    random[2..].copy_from_slice(&n.to_be_bytes());
    uuid::Builder::from_unix_timestamp_millis(1_772_000_000_000 + n, &random).into_uuid()
}

/// Deterministic filler bytes.
pub fn filler(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

pub fn submission(unit: &str, n: u64) -> Submission {
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 16, 0, 0).single().unwrap();
    Submission {
        schema_version: SCHEMA_VERSION,
        submission_id: id(n),
        unit_code: unit.to_string(),
        unit_name: "治安支队".to_string(),
        clerk: "王晓燕".to_string(),
        device_id: "zazd-pc-01".to_string(),
        doc_id: id(1000 + n),
        doc_rev_id: id(2000 + n),
        doc_content_sha256: "ab".repeat(32),
        title: "关于规范娱乐场所治安管理的通知".to_string(),
        package_rev_id: Some(id(3000 + n)),
        attribute: "active".to_string(),
        grounds: vec![],
        reason: None,
        catalog_item: Some("c-02-01".to_string()),
        needs_interpretation: true,
        interpretation_forms: vec!["text".to_string(), "graphic".to_string()],
        deid_report: DeidSummary {
            counts: [("name".to_string(), 2u32), ("phone".to_string(), 1)]
                .into_iter()
                .collect(),
            reviewer: "李建华".to_string(),
            reviewed_at: t - Duration::hours(3),
            policy_version: "2026.1".to_string(),
            images_reviewed: Vec::new(),
        },
        signoff: Signoff {
            signer: "张志强".to_string(),
            signed_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            opinion: "同意公开".to_string(),
            doc_rev_id: id(2000 + n),
            package_rev_id: Some(id(3000 + n)),
        },
        deadlines: vec![DeadlineEntry {
            rule_id: 3,
            what: "政策文件公开后 3 个工作日内发布解读".to_string(),
            due: NaiveDate::from_ymd_opt(2026, 3, 5),
            state: "running".to_string(),
        }],
        created_at: t,
        files: vec![],
        consultation: None,
    }
}

pub fn payload(seed: u64) -> Vec<PayloadFile> {
    vec![
        PayloadFile {
            path: "policy.docx".to_string(),
            role: FileRole::PolicyDocx,
            bytes: filler(seed, 3000),
        },
        PayloadFile {
            path: "interpretation.docx".to_string(),
            role: FileRole::InterpretationDocx,
            bytes: filler(seed + 1, 2000),
        },
        PayloadFile {
            path: "images/图解1.png".to_string(),
            role: FileRole::Image,
            bytes: filler(seed + 2, 1500),
        },
        PayloadFile {
            path: "forms/审签单.pdf".to_string(),
            role: FileRole::FormPdf,
            bytes: b"%PDF-1.4\n% fake form for tests\n".repeat(20),
        },
    ]
}

pub fn input(unit: &str, n: u64) -> BundleInput {
    BundleInput {
        submission: submission(unit, n),
        payload: payload(n),
        source_organization: "某市公安局治安支队".to_string(),
        bagging_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    }
}

/// A valid bundle of submission `n` for `unit`, signed by `signer`.
pub fn bundle(signer: &Signer, unit: &str, n: u64) -> Vec<u8> {
    match build_bundle(&input(unit, n), signer) {
        Ok(b) => b,
        Err(e) => panic!("build_bundle failed: {e}"),
    }
}

/// The test keys (in-memory signers; the slow password-protected path has its own tests).
pub struct Keys {
    pub unit: Signer,
    pub unit_sm2: Signer,
    pub other_unit: Signer,
    pub revoked: Signer,
    pub retired: Signer,
    pub not_yet_active: Signer,
    pub unenrolled: Signer,
    pub office: Signer,
}

pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let m = || ephemeral(Algorithm::MinisignEd25519);
        Keys {
            unit: m(),
            unit_sm2: ephemeral(Algorithm::Sm2Sm3),
            other_unit: m(),
            revoked: m(),
            retired: m(),
            not_yet_active: m(),
            unenrolled: m(),
            office: m(),
        }
    })
}

fn ephemeral(a: Algorithm) -> Signer {
    match Signer::ephemeral(a) {
        Ok(s) => s,
        Err(e) => panic!("key generation failed: {e}"),
    }
}

/// The office's trust store, in memory.
#[derive(Default, Clone)]
pub struct MemTrust {
    pub keys: HashMap<String, TrustedKey>,
    pub seen: HashMap<Uuid, String>,
}

impl TrustStore for MemTrust {
    fn key(&self, key_id: &str) -> Option<TrustedKey> {
        self.keys.get(key_id).cloned()
    }
    fn seen(&self, submission_id: &Uuid) -> Option<String> {
        self.seen.get(submission_id).cloned()
    }
}

impl MemTrust {
    pub fn enrol(&mut self, signer: &Signer, unit: &str, state: KeyState) {
        self.enrol_from(signer, unit, state, received_at() - Duration::days(30));
    }

    pub fn enrol_from(
        &mut self,
        signer: &Signer,
        unit: &str,
        state: KeyState,
        activated_at: DateTime<Utc>,
    ) {
        self.keys.insert(
            signer.key_id().to_string(),
            TrustedKey {
                key_id: signer.key_id().to_string(),
                unit_code: unit.to_string(),
                algorithm: signer.algorithm(),
                public_key: signer.public_key().to_string(),
                state,
                activated_at,
            },
        );
    }
}

/// The standard trust store: every test key but `unenrolled` and `office`.
pub fn trust() -> MemTrust {
    let k = keys();
    let mut t = MemTrust::default();
    t.enrol(&k.unit, UNIT, KeyState::Active);
    t.enrol(&k.unit_sm2, UNIT, KeyState::Active);
    t.enrol(&k.other_unit, OTHER_UNIT, KeyState::Active);
    t.enrol(
        &k.revoked,
        UNIT,
        KeyState::Revoked {
            at: received_at() - Duration::days(1),
            reason: "笔记本电脑遗失".to_string(),
        },
    );
    t.enrol(
        &k.retired,
        UNIT,
        KeyState::Retired {
            until: received_at() - Duration::hours(1),
        },
    );
    t.enrol_from(
        &k.not_yet_active,
        UNIT,
        KeyState::Active,
        received_at() + Duration::days(1),
    );
    t
}

/// A zip's files by name, read with the `zip` crate.
pub fn unzip_mem(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => panic!("not a zip: {e}"),
    };
    for i in 0..archive.len() {
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => panic!("entry {i}: {e}"),
        };
        let mut buf = Vec::new();
        if let Err(e) = f.read_to_end(&mut buf) {
            panic!("entry {i}: {e}");
        }
        out.insert(f.name().to_string(), buf);
    }
    out
}

/// Zip `files` (full names) with the `zip` crate, stored.
pub fn zip_mem(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    for (name, bytes) in files {
        if let Err(e) = w.start_file(name.as_str(), opts) {
            panic!("{name}: {e}");
        }
        if let Err(e) = w.write_all(bytes) {
            panic!("{name}: {e}");
        }
    }
    match w.finish() {
        Ok(c) => c.into_inner(),
        Err(e) => panic!("{e}"),
    }
}

/// The bag's root folder inside a bundle.
pub fn root_of(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .keys()
        .next()
        .and_then(|k| k.split('/').next())
        .unwrap()
        .to_string()
}

/// Unzip a bundle into `dir` (with the `zip` crate's extractor) and return the bag's path.
pub fn extract(bytes: &[u8], dir: &Path) -> std::path::PathBuf {
    let files = unzip_mem(bytes);
    let root = root_of(&files);
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => panic!("not a zip: {e}"),
    };
    if let Err(e) = archive.extract(dir) {
        panic!("extract: {e}");
    }
    dir.join(root)
}

/// Run an outside tool; a missing tool fails the test with what to install.
pub fn run(program: &str, args: &[&str], install: &str) -> Output {
    match Command::new(program).args(args).output() {
        Ok(out) => out,
        Err(e) => panic!("cannot run `{program}` ({e}). This test needs it on PATH: {install}"),
    }
}

pub const BAGIT_INSTALL: &str = "python3 -m pip install bagit==1.9.0 (provides bagit.py)";
pub const MINISIGN_INSTALL: &str = "apt-get install -y minisign";
pub const OPENSSL_INSTALL: &str = "apt-get install -y openssl";

pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
