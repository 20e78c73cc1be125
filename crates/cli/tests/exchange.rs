//! The exchange as two scripts would run it, one on a unit's PC and one at the central office,
//! each with its own data directory: keys, enrolment, `bundle export`, `bundle verify` (exit
//! status 0, or 3 with JSON reason codes), `intake receive|accept|publish`, `receipt import`.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const PW: &str = "script password 1";

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("GONGKAI_KEY_PASSWORD", PW)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (
        out.status.code(),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        format!("{stdout}{stderr}"),
    )
}

fn ok(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, v, log) = run(dir, &all);
    assert_eq!(code, Some(0), "{args:?}: {log}");
    v
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A signed document on the unit's side, made with the CLI only.
fn signed_doc(u: &Path, work: &Path) -> String {
    ok(u, &["setup", "--unit", "zazd", "--name", "王晓明"]);
    let body = work.join("body.txt");
    std::fs::write(
        &body,
        "为方便群众办理户籍迁移，现就有关事项通知如下。\n一、放宽投靠落户条件\n居住满一年的人员可以申请登记常住户口。\n来信群众张伟（手机13812345678）的意见已采纳。\n",
    )
    .unwrap();
    let v = ok(
        u,
        &[
            "doc",
            "new",
            "--title",
            "关于优化户籍迁移登记服务的通知",
            "--type",
            "notice",
            "--body-file",
            s(&body),
        ],
    );
    let id = v["summary"]["doc_id"].as_str().unwrap().to_string();
    ok(
        u,
        &[
            "doc",
            "attribute",
            &id,
            "--set",
            "active",
            "--channel",
            "website",
            "--catalog",
            "C06",
        ],
    );
    for stage in ["attribute_set", "interpretation_synced"] {
        ok(u, &["doc", "advance", &id, "--to", stage]);
    }
    let v = ok(u, &["doc", "deid", &id, "--accept-all", "--apply"]);
    assert_eq!(v["counts"]["phone_mobile"], 1, "{v}");
    ok(u, &["doc", "advance", &id, "--to", "deidentified"]);
    let review = work.join("secrecy.json");
    let o = |n: &str| serde_json::json!({"name": n, "opinion": "同意", "date": today()});
    std::fs::write(
        &review,
        serde_json::json!({
            "section": o("张科长"), "secrecy_office": o("李保密员"),
            "conclusion": "approve", "leader": o("刘副局长"), "checklist": [true, true, true, true, true, true]
        })
        .to_string(),
    )
    .unwrap();
    ok(u, &["doc", "secrecy", &id, "--file", s(&review)]);
    ok(u, &["doc", "advance", &id, "--to", "secrecy_cleared"]);
    ok(u, &["doc", "advance", &id, "--to", "in_review"]);
    ok(
        u,
        &[
            "doc",
            "signoff",
            &id,
            "--signer",
            "刘副局长",
            "--date",
            &today(),
        ],
    );
    id
}

/// Today in Beijing, as the CLI's clock sees it.
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

#[test]
fn a_unit_and_the_office_exchange_a_bundle_and_receipts_headless() {
    let (u, o, w) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (u, o, w) = (u.path(), o.path(), w.path());
    let id = signed_doc(u, w);

    // Keys: the office's receipt key pinned at the unit; the unit's key enrolled and activated.
    ok(
        o,
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
    let office_key = ok(o, &["keys", "generate"]);
    let pubfile = w.join("office.pub");
    ok(o, &["keys", "export-public", s(&pubfile)]);
    let pubtext = std::fs::read_to_string(&pubfile).unwrap();
    assert!(pubtext.contains(office_key["public_key"].as_str().unwrap()));
    let pinned = ok(u, &["keys", "pin-office", s(&pubfile)]);
    assert_eq!(pinned["key_id"], office_key["key_id"]);
    let key = ok(u, &["keys", "generate"]);
    let key_id = key["key_id"].as_str().unwrap();
    let enrol = w.join("enrol.json");
    ok(u, &["keys", "enrol-request", s(&enrol)]);
    ok(u, &["keys", "enrolment-form", s(&w.join("enrol.pdf"))]);
    let k = ok(o, &["intake", "enrol", s(&enrol)]);
    assert_eq!(k["state"], "pending");
    ok(
        o,
        &[
            "intake",
            "activate",
            key_id,
            "--fingerprint",
            key["fingerprint"].as_str().unwrap(),
        ],
    );

    // The bundle.
    let zip = w.join("bundle.zip");
    let b = ok(u, &["bundle", "export", &id, s(&zip)]);
    let sub = b["submission"]["submission_id"]
        .as_str()
        .unwrap()
        .to_string();
    let v = ok(u, &["doc", "status", &id]);
    assert_eq!(v["stage"], "packaged");
    ok(
        u,
        &[
            "doc",
            "advance",
            &id,
            "--to",
            "submitted",
            "--reason",
            "U盘送交",
        ],
    );

    // Verify: exit 0 with JSON; a changed byte: exit 3 with the reason code.
    let v = ok(o, &["bundle", "verify", s(&zip)]);
    assert_eq!(v["accepted_for_review"], true, "{v}");
    let mut bytes = std::fs::read(&zip).unwrap();
    // A byte in the middle of the zip (inside some compressed entry).
    let pos = bytes.len() / 2;
    bytes[pos] ^= 0x55;
    let bad = w.join("bad.zip");
    std::fs::write(&bad, &bytes).unwrap();
    let (code, v, log) = run(o, &["--format", "json", "bundle", "verify", s(&bad)]);
    assert_eq!(code, Some(3), "{log}");
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(!codes.is_empty() && !v["accepted_for_review"].as_bool().unwrap());
    assert!(
        codes
            .iter()
            .all(|c| ["bag_invalid", "checksum_mismatch", "bad_signature"].contains(c)),
        "{codes:?}"
    );
    // Text output says the same, for a person.
    let (code, _, log) = run(o, &["bundle", "verify", s(&bad)]);
    assert_eq!(code, Some(3));
    assert!(log.contains("校验未通过"), "{log}");

    // Intake, decisions, receipts.
    let r = ok(o, &["intake", "receive", s(&zip)]);
    assert_eq!(r["recorded"], true);
    let acc = w.join("accepted.json");
    ok(o, &["intake", "accept", &sub, s(&acc)]);
    let v = ok(u, &["receipt", "import", s(&acc)]);
    assert_eq!(v["stage"], "accepted");
    let pubr = w.join("published.json");
    ok(
        o,
        &[
            "intake",
            "publish",
            &sub,
            s(&pubr),
            "--date",
            &today(),
            "--url",
            "https://gaj.zibo.gov.cn/zwgk/1.html",
        ],
    );
    let v = ok(u, &["receipt", "import", s(&pubr)]);
    assert_eq!(v["stage"], "published");
    let list = ok(o, &["intake", "list"]);
    assert_eq!(list[0]["status"], "published");
    // A wrong password fails with a message and exit 1, and nothing is written.
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(u)
        .args(["keys", "enrol-request", s(&w.join("x.json"))])
        .env("GONGKAI_KEY_PASSWORD", "not the password")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("密码不正确"));
    assert!(!w.join("x.json").exists());
}
