//! `gongkai calendar add-workdays` and `gongkai deadline` as a script uses them.

use serde_json::Value;
use std::process::Command;

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        v,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn add_workdays_and_deadlines_print_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, v, _) = run(d, &["calendar", "add-workdays", "2025-01-24", "3"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        v,
        serde_json::json!({"date": "2025-02-05", "provisional": false})
    );
    let (_, v, _) = run(d, &["calendar", "add-workdays", "2026-12-30", "3"]);
    assert_eq!(
        v,
        serde_json::json!({"date": "2027-01-04", "provisional": true})
    );
    let (_, v, _) = run(d, &["deadline", "1", "2024-09-27"]);
    assert_eq!(v["due"]["date"], "2024-10-08");
    assert_eq!(v["rule"]["unit"], "WD");
    let (_, v, _) = run(
        d,
        &[
            "deadline",
            "10",
            "2024-03-01",
            "--pause",
            "2024-03-11..2024-03-15",
        ],
    );
    assert_eq!(v["due"]["date"], "2024-04-08");
}

#[test]
fn bad_dates_and_rules_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(d, &["calendar", "add-workdays", "2024/9/27", "3"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let (code, _, err) = run(d, &["deadline", "99", "2024-01-01"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("没有编号为 99"), "{err}");
    let (_, _, err) = run(d, &["deadline", "14", "2024-01-01"]);
    assert!(err.contains("固定日期"), "{err}");
}
