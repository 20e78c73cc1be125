//! The signed submission bundle, timed through the API on a real database file: a 30-page
//! policy document with a 10-page interpretation taken to 已签发, then `bundle_export` (the
//! de-identified policy .docx, the interpretation .docx, the three review forms, the bag, the
//! signature, the record and the file), and the office's `bundle_verify` (unzip, checksums,
//! signature, re-import and re-scan of both texts). The password unlock (scrypt, slow on
//! purpose) is timed on its own. Run by `scripts/bench.sh` (release build).
//!
//! Usage: `bench_bundle [RUNS=15]`

use anyhow::{anyhow, Result};
use gongkai_api::*;
use gongkai_tests::{median, signed_doc};
use std::time::Instant;

const PW: &str = "bench password";

fn e(err: ApiError) -> anyhow::Error {
    anyhow!("{:?}: {}", err.code, err.message)
}

fn main() -> Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(15);
    let root = std::env::temp_dir().join(format!("gongkai-bench-bundle-{}", std::process::id()));
    let (unit_dir, office_dir, out) = (root.join("unit"), root.join("office"), root.join("out"));
    std::fs::create_dir_all(&out)?;
    let unit = Api::open(&unit_dir);
    unit.setup(SetupRequest {
        unit_id: "zazd".into(),
        clerk_name: "王晓明".into(),
        role: Role::Unit,
    })
    .map_err(e)?;
    let office = Api::open(&office_dir);
    office
        .setup(SetupRequest {
            unit_id: "zhzx-wsgaban".into(),
            clerk_name: "赵审核".into(),
            role: Role::Office,
        })
        .map_err(e)?;
    let key = unit
        .keys_generate(KeyGenerateRequest {
            password: PW.into(),
            algorithm: String::new(),
        })
        .map_err(e)?;
    let req = unit
        .keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out.join("enrol.json").display().to_string(),
        })
        .map_err(e)?;
    office
        .trust_enrol(FileRequest { path: req.path })
        .map_err(e)?;
    office
        .trust_activate(KeyActivateRequest {
            key_id: key.key_id.clone(),
            fingerprint: key.fingerprint.clone(),
        })
        .map_err(e)?;

    eprintln!("preparing {} signed documents …", runs + 1);
    let docs: Vec<String> = (0..=runs)
        .map(|n| signed_doc(&unit, n).map_err(e))
        .collect::<Result<_>>()?;

    // The password unlock alone (scrypt): an enrolment request is little more than that.
    let mut unlock = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        unit.keys_enrolment_request(KeyUseRequest {
            password: PW.into(),
            path: out.join("enrol-again.json").display().to_string(),
        })
        .map_err(e)?;
        unlock.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    let mut export_ms = Vec::new();
    let mut files = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let t = Instant::now();
        let b = unit
            .bundle_export(BundleExportRequest {
                doc_id: doc.clone(),
                password: PW.into(),
                path: out.join(format!("b{i}.zip")).display().to_string(),
            })
            .map_err(e)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if i > 0 {
            export_ms.push(ms);
        }
        files.push(b);
    }
    let mut verify_ms = Vec::new();
    for (i, b) in files.iter().enumerate() {
        let t = Instant::now();
        let v = office
            .bundle_verify(FileRequest {
                path: b.file.path.clone(),
            })
            .map_err(e)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if !v.accepted_for_review {
            return Err(anyhow!("verification failed: {:?}", v.reasons));
        }
        if i > 0 {
            verify_ms.push(ms);
        }
    }
    let b = &files[0];
    let sizes: Vec<String> = b
        .files
        .iter()
        .map(|f| format!("{} {} KB", f.path, f.size / 1024))
        .collect();
    println!(
        "bundle: {} KB zip ({})",
        b.file.bytes / 1024,
        sizes.join(", ")
    );
    println!(
        "password unlock (scrypt): median {:.1} ms",
        median(unlock.clone())
    );
    let export = median(export_ms);
    println!(
        "bundle export, 30-page policy + 10-page interpretation: median {export:.1} ms including the unlock, {:.1} ms without",
        export - median(unlock)
    );
    println!(
        "bundle verify (office, incl. re-scan): median {:.1} ms",
        median(verify_ms)
    );
    std::fs::remove_dir_all(&root)?;
    Ok(())
}
