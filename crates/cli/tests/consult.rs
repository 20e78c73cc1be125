//! `gongkai consult …` as a script drives it, on today's calendar (the window placed in the
//! past so the test holds on any day): a short window refused without a reason, comments from a
//! .txt and a .csv, decisions, the feedback from a file with a kept official's name, the
//! document's sign-off gate opening, and the decision closing the loop on the board.

use chrono::{Duration, Utc};
use serde_json::Value;

mod common;
use common::{gongkai, json};

fn today() -> chrono::NaiveDate {
    // The app counts days on the Beijing calendar.
    (Utc::now() + Duration::hours(8)).date_naive()
}

#[test]
fn a_consultation_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);
    let doc = json(d, &["doc", "new", "--title", "停车管理办法"])["summary"]["doc_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (from, to) = (today() - Duration::days(40), today() - Duration::days(20));
    let (from, to) = (from.to_string(), to.to_string());

    // 21 days, no reason: refused with the rule, exit code for bad input.
    let out = gongkai(d, &["consult", "open", &doc, "--from", &from, "--to", &to]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("21天") && err.contains("30"), "{err}");
    let v = json(
        d,
        &[
            "consult",
            "open",
            &doc,
            "--from",
            &from,
            "--to",
            &to,
            "--reason",
            "配合专项整治时限",
        ],
    );
    assert_eq!(v["window"]["short"], true);
    assert_eq!(v["window"]["days"], 21);

    let txt = d.join("letters.txt");
    std::fs::write(&txt, "建议增设充电车位\n\n建议公布投诉电话\n").unwrap();
    let csv = d.join("portal.csv");
    let day = (today() - Duration::days(30)).to_string();
    std::fs::write(
        &csv,
        format!("收到日期,条款,意见内容,意见人\n{day},第五条,收费过高,李四\n"),
    )
    .unwrap();
    // .txt comments are dated today, after the window: still taken (late comments count).
    json(
        d,
        &["consult", "comment", &doc, "--file", txt.to_str().unwrap()],
    );
    let v = json(
        d,
        &["consult", "comment", &doc, "--file", csv.to_str().unwrap()],
    );
    assert_eq!(v["comments"].as_array().unwrap().len(), 3);
    assert_eq!(v["pending"], 3);
    let ids: Vec<String> = v["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["comment_id"].as_str().unwrap().to_string())
        .collect();
    let out = gongkai(
        d,
        &[
            "consult",
            "decide",
            &doc,
            &ids[2],
            "--adoption",
            "not_adopted",
        ],
    );
    assert!(!out.status.success(), "a refusal needs its reason");
    json(
        d,
        &["consult", "decide", &doc, &ids[0], "--adoption", "adopted"],
    );
    json(
        d,
        &["consult", "decide", &doc, &ids[1], "--adoption", "adopted"],
    );
    let v = json(
        d,
        &[
            "consult",
            "decide",
            &doc,
            &ids[2],
            "--adoption",
            "not_adopted",
            "--reason",
            "收费标准由价格部门核定",
        ],
    );
    assert_eq!(v["pending"], 0);

    // The feedback names a commenter who asked to be named (kept on the clerk's word) and his
    // phone (masked).
    let fb = d.join("feedback.txt");
    std::fs::write(
        &fb,
        format!(
            "{}\n市民张伟（电话13912345678）提出的建议已采纳，经本人同意予以署名。\n",
            v["draft"].as_str().unwrap()
        ),
    )
    .unwrap();
    let v = json(
        d,
        &[
            "consult",
            "feedback",
            &doc,
            "--file",
            fb.to_str().unwrap(),
            "--keep",
            "张伟",
        ],
    );
    let feedback = &v["feedback"];
    let redacted = feedback["redacted"].as_str().unwrap();
    assert!(!redacted.contains("13912345678"), "{redacted}");
    assert!(redacted.contains("张伟"), "{redacted}");
    let kept = feedback["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["keep"] == true)
        .count();
    assert_eq!(kept, 1, "{feedback}");
    assert!(feedback["confirmed_by"].is_string());
    assert_eq!(v["blocking"], "");

    // The decision published yesterday closes the loop; the board says so.
    let yesterday = (today() - Duration::days(1)).to_string();
    let v = json(d, &["consult", "close", &doc, "--date", &yesterday]);
    assert_eq!(v["decision_on"], Value::from(yesterday.clone()));
    let year = today().format("%Y").to_string();
    let board = json(d, &["duties", "--period", &year]);
    let steps: Vec<&Value> = board
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["duty_id"].as_str().unwrap().starts_with("征求意见:"))
        .collect();
    // Steps whose due date falls in another year are on that year's board.
    assert!(!steps.is_empty());
    for s in steps {
        assert_eq!(s["status"], "done", "{s}");
    }
}
