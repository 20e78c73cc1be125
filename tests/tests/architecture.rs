//! Architecture invariants, checked on the real dependency graph and source tree.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Names of every package reachable from `start` through normal and build dependencies.
fn dependency_closure(meta: &Value, start: &str) -> HashSet<String> {
    let packages: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let start_id = packages
        .iter()
        .find(|(_, name)| **name == start)
        .map(|(id, _)| *id)
        .unwrap_or_else(|| panic!("{start} not in workspace"));
    let mut seen = HashSet::new();
    let mut stack = vec![start_id];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let non_dev = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].as_str() != Some("dev"));
            if non_dev {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.into_iter()
        .map(|id| packages[id].to_string())
        .collect()
}

#[test]
fn core_store_and_api_never_depend_on_tauri_or_a_webview() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let desktop = dependency_closure(&meta, "gongkai-desktop");
    assert!(
        desktop.contains("tauri"),
        "the check must be able to see tauri"
    );
    for krate in [
        "gongkai-core",
        "gongkai-store",
        "gongkai-api",
        "gongkai-cli",
    ] {
        let deps = dependency_closure(&meta, krate);
        let bad: Vec<_> = deps
            .iter()
            .filter(|d| {
                d.starts_with("tauri") || ["wry", "tao", "webkit2gtk"].contains(&d.as_str())
            })
            .collect();
        assert!(bad.is_empty(), "{krate} depends on {bad:?}");
    }
    let core = dependency_closure(&meta, "gongkai-core");
    assert!(!core.contains("rusqlite"), "the core does no I/O");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            if !p.ends_with("target") && !p.ends_with("node_modules") && !p.ends_with("gen") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "rs") && !p.ends_with("build.rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let mut files = Vec::new();
    for d in ["crates", "src-tauri/src", "tests"] {
        rust_files(&root().join(d), &mut files);
    }
    assert!(files.len() > 20);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! module doc: {missing:?}"
    );
}

#[test]
fn the_desktop_shell_holds_no_rules() {
    // Commands are one-line bridges: no SQL, no validation, no store access in src-tauri.
    let mut files = Vec::new();
    rust_files(&root().join("src-tauri/src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in ["gongkai_store", "rusqlite", "validate(", "DocNumber::parse"] {
            assert!(!text.contains(banned), "{} uses {banned}", f.display());
        }
    }
}
