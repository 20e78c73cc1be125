//! The publication commands as a script uses them: `doc attribute`, `doc check`, `doc advance`,
//! `doc package`, `doc status`, `law grounds`, `calendar import|info` and `deadlines`, on a real
//! data directory.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, Value, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    (
        out.status.code(),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap().to_string())
        .collect()
}

fn new_doc(d: &Path) -> String {
    let (code, _, _, err) = run(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);
    assert_eq!(code, Some(0), "{err}");
    let body = d.join("body.txt");
    std::fs::write(
        &body,
        "为方便群众办理户籍迁移，现就有关事项通知如下。\n一、放宽投靠落户条件\n居住满一年的人员可以申请登记常住户口。\n",
    )
    .unwrap();
    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "new",
            "--title",
            "关于优化户籍迁移登记服务的通知",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    v["summary"]["doc_id"].as_str().unwrap().to_string()
}

#[test]
fn attribute_check_advance_and_status_headless() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = new_doc(d);
    let short = &id[..13];

    let (code, v, _, _) = run(d, &["--format", "json", "doc", "check", short]);
    assert_eq!(code, Some(0));
    assert_eq!(v["stage"], "drafting");
    assert_eq!(codes(&v["next_gates"]), vec!["attribute_missing"]);
    assert!(codes(&v["bundle_gates"]).contains(&"interpretation_incomplete".to_string()));
    let (_, _, text, _) = run(d, &["doc", "check", short]);
    assert!(text.contains("先确定公开属性，再运转呈签"), "{text}");

    // Refused without a ground; the message says what to add; exit 1.
    let (code, _, _, err) = run(d, &["doc", "attribute", short, "--set", "部分公开"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("法定理由") && err.contains("InvalidInput"),
        "{err}"
    );
    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "attribute",
            short,
            "--set",
            "partial",
            "--ground",
            "partial:art15-personal-privacy",
            "--reason",
            "来信群众姓名和电话去标识化后公开",
            "--channel",
            "website",
            "--catalog",
            "C06",
            "--affects-public",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["disclosure"]["attribute"], "partial");
    assert_eq!(v["disclosure"]["reach"]["affects_public"], true);
    let (_, _, text, _) = run(d, &["doc", "attribute", short]);
    assert!(text.contains("公开属性：部分公开"), "{text}");

    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "advance",
            short,
            "--to",
            "属性已认定",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["stage"], "attribute_set");

    // A policy document affecting the public needs its package: the gate names it.
    let (code, v, _, _) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "advance",
            short,
            "--to",
            "interpretation_synced",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["error"]["code"], "GateClosed");
    assert!(v["error"]["message"].as_str().unwrap().contains("解读"));

    let pkg = d.join("pkg.json");
    std::fs::write(
        &pkg,
        serde_json::json!({
            "interpreter_unit": "zazd", "interpreter": "王晓明", "forms": ["text", "qa"],
            "sections": [
                {"key": "background", "text": "群众反映落户手续多，为让群众少跑腿制定本通知。"},
                {"key": "basis", "text": "依据《户口登记条例》。"},
                {"key": "main_content", "text": "住满一年就能申请落户。"},
                {"key": "core_concepts", "text": "合法稳定居住指有住房或登记备案的租赁住房。"},
                {"key": "scope", "text": "在城区居住工作的外地来淄人员。"},
                {"key": "standards", "text": "派出所五个工作日内办结。"}
            ],
            "qa": [{"question": "租房能落户吗？", "answer": "能。", "clause": "第一条"}]
        })
        .to_string(),
    )
    .unwrap();
    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "package",
            short,
            "--file",
            pkg.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["check"]["complete"], true, "{v}");
    assert_eq!(v["head"]["rev_no"], 1);
    let (code, _, _, err) = run(
        d,
        &["doc", "advance", short, "--to", "interpretation_synced"],
    );
    assert_eq!(code, Some(0), "{err}");

    let (_, v, _, _) = run(d, &["--format", "json", "doc", "check", short]);
    assert_eq!(codes(&v["next_gates"]), vec!["deid_not_applied"]);
    assert_eq!(v["package_complete"], true);
    let (_, _, text, _) = run(d, &["doc", "status", short]);
    assert!(text.contains("当前阶段：解读已同步"), "{text}");
    assert!(text.contains("王晓明：拟稿 → 属性已认定"), "{text}");
    assert!(text.contains("待“文件签发（信息形成）”后起算"), "{text}");

    // Withdrawal needs a reason.
    let (code, _, _, err) = run(d, &["doc", "advance", short, "--to", "drafting"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("写明原因"), "{err}");
}

#[test]
fn law_calendar_import_and_an_empty_deadline_panel() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, v, _, _) = run(d, &["--format", "json", "law", "grounds"]);
    assert_eq!(v[0].as_array().unwrap().len(), 9);
    assert_eq!(v[1].as_array().unwrap().len(), 10);
    let (_, _, text, _) = run(d, &["law", "catalog"]);
    assert_eq!(text.lines().count(), 36);

    // No document, no application: only the annual report, in its season (1 Dec – 31 Jan).
    let (_, v, _, _) = run(d, &["--format", "json", "deadlines"]);
    let rules: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rule_id"].as_u64().unwrap())
        .collect();
    let month =
        chrono::Datelike::month(&(chrono::Utc::now() + chrono::Duration::hours(8)).date_naive());
    let season = month == 12 || month == 1;
    assert_eq!(rules, if season { vec![14] } else { vec![] }, "{v}");

    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\"years\": 5}").unwrap();
    let (code, _, _, err) = run(d, &["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("节假日表格式有误"), "{err}");
    let good = d.join("2027.json");
    std::fs::write(
        &good,
        r#"{"years":{"2027":{"holidays":["2027-01-01"],"workdays":[]}}}"#,
    )
    .unwrap();
    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "calendar",
            "import",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["years"], serde_json::json!([2027]));
    let (_, v, _, _) = run(d, &["calendar", "add-workdays", "2026-12-31", "1"]);
    assert_eq!(
        v,
        serde_json::json!({"date": "2027-01-04", "provisional": true})
    );
}

#[test]
fn export_and_print_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = new_doc(d);
    let docx = d.join("out.docx");
    let (code, v, _, err) = run(
        d,
        &[
            "--format",
            "json",
            "doc",
            "export-docx",
            &id,
            docx.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        v["bytes"].as_u64().unwrap(),
        std::fs::metadata(&docx).unwrap().len()
    );
    let pdf = d.join("f.pdf");
    let (code, _, _, err) = run(
        d,
        &[
            "forms",
            "print",
            &id,
            "--form",
            "发文稿纸",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("GateClosed") && err.contains("先确定公开属性"),
        "{err}"
    );
    let (code, _, _, err) = run(
        d,
        &[
            "forms",
            "print",
            &id,
            "--form",
            "保密审查表",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let (code, _, _, err) = run(
        d,
        &[
            "doc",
            "export-interpretation",
            &id,
            d.join("i.docx").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("还没有解读材料"), "{err}");
}

#[test]
fn import_a_word_draft_and_refuse_a_renamed_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = new_doc(d);
    let docx = d.join("draft.docx");
    let (code, _, _, err) = run(d, &["doc", "export-docx", &id, docx.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let (code, v, _, err) = run(
        d,
        &["--format", "json", "doc", "import", docx.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        v["doc"]["fields"]["title"],
        "关于优化户籍迁移登记服务的通知"
    );
    assert_eq!(v["doc"]["fields"]["body"][1], "一、放宽投靠落户条件");
    assert_ne!(v["doc"]["summary"]["doc_id"].as_str().unwrap(), id);
    let fake = d.join("fake.docx");
    std::fs::write(&fake, "这不是 Word 文件").unwrap();
    let (code, v, _, _) = run(
        d,
        &["--format", "json", "doc", "import", fake.to_str().unwrap()],
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["error"]["code"], "BadFile");
    assert!(v["error"]["message"].as_str().unwrap().contains("not_zip"));
    let (_, list, _, _) = run(d, &["--format", "json", "doc", "list"]);
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "nothing written for the bad file"
    );
}
