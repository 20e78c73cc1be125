//! The `gongkai` binary as a user runs it: a real data directory, real processes.

use serde_json::Value;

mod common;
use common::{gongkai, json};

#[test]
fn setup_new_list_show_search_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Before setup, creating is refused with a code and a hint.
    let out = gongkai(d, &["--format", "json", "doc", "new", "--title", "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["error"]["code"], "SetupRequired");

    let units = json(d, &["unit", "list"]);
    assert!(units.as_array().unwrap().iter().any(|u| u["id"] == "zazd"));
    json(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);

    let body = d.join("body.txt");
    std::fs::write(
        &body,
        "一、总体要求\n（一）优化户籍窗口服务\n群众办事更加便利。\n",
    )
    .unwrap();
    let created = json(
        d,
        &[
            "doc",
            "new",
            "--title",
            "关于规范户籍窗口服务的通知",
            "--doc-number",
            "淄公发〔2026〕5号",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    let id = created["summary"]["doc_id"].as_str().unwrap().to_string();
    assert_eq!(created["fields"]["body"].as_array().unwrap().len(), 3);
    assert_eq!(created["paragraphs"][1]["level"], "h2");
    assert_eq!(created["issues"].as_array().unwrap().len(), 0, "{created}");

    let list = json(d, &["doc", "list"]);
    assert_eq!(list[0]["title"], "关于规范户籍窗口服务的通知");
    assert_eq!(list[0]["updated_by"], "王晓明");

    let shown = json(d, &["doc", "show", &id[..8]]);
    assert_eq!(shown["fields"]["doc_number"], "淄公发〔2026〕5号");

    let hits = json(d, &["doc", "search", "户籍"]);
    assert_eq!(hits[0]["doc"]["doc_id"], id.as_str());
    let hits = json(d, &["doc", "search", "群众办事更加"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);

    let text = gongkai(d, &["doc", "show", &id]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("标题：关于规范户籍窗口服务的通知"), "{text}");
    assert!(text.contains("  （一）优化户籍窗口服务"), "{text}");

    let history = json(d, &["doc", "history", &id]);
    assert_eq!(history[0]["rev_no"], 1);

    json(d, &["doc", "delete", &id]);
    assert_eq!(json(d, &["doc", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(
        json(d, &["doc", "list", "--bin"]).as_array().unwrap().len(),
        1
    );
    json(d, &["doc", "undelete", &id]);
    assert_eq!(json(d, &["doc", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_gets_a_chinese_message_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["setup", "--unit", "xcc", "--name", "李娜"]);
    let out = gongkai(d, &["doc", "new", "--type", "memo"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("InvalidInput") && err.contains("文件类型"),
        "{err}"
    );
    let out = gongkai(d, &["doc", "show", "abc"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("前8位"));
    let out = gongkai(d, &["doc", "new", "--body-file", "/nonexistent/x.txt"]);
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("无法读取正文文件"));
    // A malformed 发文字号 is kept as typed, with the message.
    let v = json(d, &["doc", "new", "--doc-number", "淄公发（2026）第5号"]);
    assert_eq!(v["fields"]["doc_number"], "淄公发（2026）第5号");
    let issue = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["field"] == "doc_number")
        .unwrap();
    assert_eq!(issue["severity"], "error");
    assert!(issue["message"].as_str().unwrap().contains("六角括号"));
}

#[test]
fn a_damaged_database_is_refused_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gongkai.db"), vec![0x42u8; 4096]).unwrap();
    let out = gongkai(dir.path(), &["--format", "json", "status"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["error"]["code"], "DatabaseCorrupt");
    assert_eq!(
        std::fs::read(dir.path().join("gongkai.db")).unwrap(),
        vec![0x42u8; 4096]
    );
}
