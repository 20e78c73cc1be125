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
            d.join("b.txt").to_str().unwrap(),
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

/// The office's one-page summary for the leaders' meeting, read back by pdftotext and pdfinfo.
#[test]
fn the_office_prints_every_units_board_on_one_a4_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(
        d,
        &[
            "setup",
            "--unit",
            "zhzx-wsgaban",
            "--name",
            "赵审核",
            "--role",
            "office",
        ],
    );
    json(
        d,
        &[
            "duties",
            "record",
            "T09-2",
            "--unit",
            "zhzx-wsgaban",
            "--date",
            "2026-05-10",
            "--note",
            "通识培训",
        ],
    );
    let all = board(d, "2026", "2026-10-08");
    assert!(all.iter().any(|r| r["unit"] == "jjzd"));
    assert!(all
        .iter()
        .any(|r| r["unit"] == "zazd" && r["duty_id"] == "T01"));
    let one = json(
        d,
        &[
            "duties",
            "--unit",
            "zazd",
            "--period",
            "2026",
            "--on",
            "2026-10-08",
        ],
    );
    assert!(one.as_array().unwrap().iter().all(|r| r["unit"] == "zazd"));

    let pdf = d.join("summary.pdf");
    json(
        d,
        &[
            "duties",
            "--period",
            "2026",
            "--on",
            "2026-10-08",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.split_whitespace().nth(1) == Some("1")),
        "one page: {info}"
    );
    assert!(info.contains("(A4)"), "A4: {info}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
    for needle in [
        "政务公开职责落实情况汇总表",
        "期间：2026",
        "截至：2026-10-08",
        "治安支队",
        "交警支队",
        "警务督察支队",
        "未及时更新",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    // 治安支队 owes Q1–Q3 of the progress update (none recorded): at least three overdue, named.
    assert!(text.contains("政府工作报告"), "{text}");
    // The training recorded at the office counts in the totals.
    assert!(text.contains("已完成1项"), "{text}");
}

/// `gongkai review year-end`: a 依申请公开 document listed with its attribute, converted with a
/// reason (back at 拟稿, now 主动公开), then nothing pending.
#[test]
fn the_year_end_review_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);
    let body = d.join("body.txt");
    std::fs::write(&body, "关于内部值班安排的通知。\n").unwrap();
    let doc = json(
        d,
        &[
            "doc",
            "new",
            "--title",
            "关于值班安排的通知",
            "--body-file",
            body.to_str().unwrap(),
        ],
    )["summary"]["doc_id"]
        .as_str()
        .unwrap()
        .to_string();
    json(
        d,
        &[
            "doc",
            "attribute",
            &doc,
            "--set",
            "依申请公开",
            "--reason",
            "内部事务性安排",
        ],
    );
    let year = chrono_year();
    let listed = json(d, &["review", "year-end", "--year", &year]);
    assert_eq!(listed["pending"], 1, "{listed}");
    assert_eq!(listed["items"][0]["attribute"], "依申请公开");
    let out = gongkai(
        d,
        &[
            "--format",
            "json",
            "review",
            "year-end",
            "--year",
            &year,
            "--convert",
            &doc,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap wants --reason with --convert"
    );
    let done = json(
        d,
        &[
            "review",
            "year-end",
            "--year",
            &year,
            "--convert",
            &doc,
            "--reason",
            "已无不宜公开的内容",
            "--catalog",
            "C06",
        ],
    );
    assert_eq!(done["pending"], 0, "{done}");
    assert_eq!(done["items"][0]["outcome"], "converted");
    let attr = json(d, &["doc", "attribute", &doc]);
    assert_eq!(attr["disclosure"]["attribute"], "active", "{attr}");
    // The unit's own review (T07-3U) is done on its board, and cannot be recorded twice.
    let rows = board(d, &year, &format!("{year}-12-31"));
    let mine = rows.iter().find(|r| r["duty_id"] == "T07-3U").unwrap();
    assert_eq!(mine["status"], "done", "{mine}");
    assert!(mine["fulfilled_by"][0]
        .as_str()
        .unwrap()
        .contains("转为主动公开 1 份"));
    let again = gongkai(d, &["review", "year-end", "--year", &year, "--finish"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已登记完成"));
}

fn chrono_year() -> String {
    // The review covers documents made in or before the year (on the Beijing calendar, as the
    // app counts); this year's includes the one just made.
    let out = std::process::Command::new("date")
        .arg("+%Y")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
