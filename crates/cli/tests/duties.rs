//! `gongkai duties` as scripts drive it: the board of 治安支队 for a quarter on given dates, a
//! duty recorded, and the JSON fields the brief names.

use serde_json::Value;

mod common;
use common::{gongkai, json, libreoffice};

fn board(d: &std::path::Path, period: &str, on: &str) -> Vec<Value> {
    json(d, &["duties", "--period", period, "--on", on])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_board_as_it_stood_on_a_day_and_a_duty_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);
    let q3 = board(d, "2026-Q3", "2026-08-15");
    let t01 = q3.iter().find(|r| r["duty_id"] == "T01").unwrap();
    for key in [
        "duty_id",
        "title",
        "unit",
        "due",
        "status",
        "since",
        "fulfilled_by",
    ] {
        assert!(
            t01.get(key).is_some() || key == "since",
            "{key} missing: {t01}"
        );
    }
    assert_eq!(t01["unit"], "zazd");
    assert_eq!(t01["due"], "2026-09-30");
    assert_eq!(t01["status"], "due");
    assert!(t01["title"].as_str().unwrap().contains("政府工作报告"));
    let after = board(d, "2026-Q3", "2026-10-08");
    assert_eq!(
        after.iter().find(|r| r["duty_id"] == "T01").unwrap()["status"],
        "overdue"
    );

    json(
        d,
        &[
            "duties",
            "record",
            "T01",
            "--date",
            "2026-09-25",
            "--note",
            "三季度进展已公开",
        ],
    );
    let done = board(d, "2026-Q3", "2026-10-08");
    let t01 = done.iter().find(|r| r["duty_id"] == "T01").unwrap();
    assert_eq!(t01["status"], "done");
    assert_eq!(t01["fulfilled_by"][0], "2026-09-25 三季度进展已公开");

    // The board as a sheet LibreOffice opens, and as a calendar of what is not done.
    let xlsx = d.join("board.xlsx");
    json(
        d,
        &[
            "duties",
            "--period",
            "2026-Q3",
            "--on",
            "2026-10-08",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    let csv = libreoffice(&xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv");
    assert!(csv.contains("职责看板 2026-Q3（截至 2026-10-08）"), "{csv}");
    assert!(
        csv.contains("已完成") && csv.contains("2026-09-25 三季度进展已公开"),
        "{csv}"
    );
    assert!(csv.contains("随机抽查"), "{csv}");
    let ics = d.join("board.ics");
    json(
        d,
        &[
            "duties",
            "--period",
            "2026",
            "--on",
            "2026-10-08",
            "--out",
            ics.to_str().unwrap(),
        ],
    );
    let cal = std::fs::read_to_string(&ics).unwrap();
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\n"), "{cal}");
    let events = cal.matches("BEGIN:VEVENT").count();
    assert!(events >= 2, "{cal}");
    // Q2 and Q4 are not done: on the calendar on their dates; Q3 (done) is not.
    assert!(cal.contains("DTSTART;VALUE=DATE:20260630"), "{cal}");
    assert!(cal.contains("DTSTART;VALUE=DATE:20261231"), "{cal}");
    assert!(!cal.contains("DTSTART;VALUE=DATE:20260930"), "{cal}");
    assert!(cal.contains("【已超期】"), "{cal}");
    let e = gongkai(
        d,
        &[
            "--format",
            "json",
            "duties",
            "--out",
            d.join("b.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(e.status.code(), Some(1));

    // The text board names the state in Chinese; a bad period is refused with a message.
    let out = gongkai(d, &["duties", "--period", "2026-Q3", "--on", "2026-10-08"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("已完成  T01  治安支队  2026-09-30"), "{text}");
    let out = gongkai(d, &["--format", "json", "duties", "--period", "2026-Q9"]);
    assert_eq!(out.status.code(), Some(1));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(e["error"]["message"].as_str().unwrap().contains("季度"));
}
