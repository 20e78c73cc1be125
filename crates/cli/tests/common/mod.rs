//! Running the `gongkai` binary as a user does, for the CLI tests: a real data directory, real
//! processes, JSON out.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

pub fn gongkai(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("GONGKAI_DATA_DIR")
        .output()
        .unwrap()
}

/// Runs with `--format json`; the command must succeed.
pub fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = gongkai(dir, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Converts `file` with LibreOffice in a private profile; returns the converted text (the first
/// output file for a workbook written one file per sheet).
pub fn libreoffice(file: &std::path::Path, filter: &str, ext: &str) -> String {
    let dir = file.parent().unwrap();
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("LibreOffice (soffice) must be installed: scripts/setup.sh --test");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let direct = file.with_extension(ext);
    if direct.exists() {
        return std::fs::read_to_string(direct).unwrap();
    }
    String::new()
}
