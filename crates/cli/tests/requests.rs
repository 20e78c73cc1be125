//! The 依申请公开 register and the annual report's tables 三 and 四 as a clerk drives them with
//! the `gongkai` binary (a real data directory, real processes), against dates counted by hand
//! on the 2025–2026 holiday tables and a table of the year made by hand.

use serde_json::Value;

mod common;
use common::{gongkai, json, libreoffice};

fn refused(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = gongkai(dir, &all);
    assert_eq!(out.status.code(), Some(1), "{args:?} should be refused");
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["error"].clone()
}

fn new(dir: &std::path::Path, received: &str, who: &str, what: &str) -> Value {
    json(
        dir,
        &[
            "request",
            "new",
            "--received",
            received,
            "--channel",
            "网络",
            "--applicant-type",
            who,
            "--content",
            what,
            "--applicant",
            "张卫国",
            "--contact",
            "13812345678",
        ],
    )
}

#[test]
fn the_register_counts_its_clock_and_fills_the_years_tables() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["setup", "--unit", "zazd", "--name", "王晓明"]);

    // R1: 20 working days across 中秋 and 国庆 (9-20 and 10-10 are 调休 working days).
    let r1 = new(d, "2026-09-18", "自然人", "2025年户籍窗口服务投诉处理情况");
    assert_eq!(r1["due"], "2026-10-22");
    assert_eq!(r1["correction_due"], "2026-09-29");
    assert_eq!(
        r1["applicant"], "张** 138****5678",
        "masked in the register"
    );
    let id1 = r1["request_id"].as_str().unwrap().to_string();
    json(
        d,
        &[
            "request",
            "reply",
            &id1,
            "--outcome",
            "1",
            "--date",
            "2026-10-20",
        ],
    );

    // R2: a third party's five working days do not count; the extension adds twenty.
    let r2 = new(d, "2026-09-18", "商业企业", "某企业的消防检查记录");
    let s2 = r2["serial"].as_str().unwrap().to_string();
    let e = refused(
        d,
        &[
            "request",
            "pause",
            &s2,
            "--from",
            "2026-10-12",
            "--to",
            "2026-10-16",
            "--reason",
            "其他",
        ],
    );
    assert_eq!(e["code"], "InvalidInput");
    let v = json(
        d,
        &[
            "request",
            "pause",
            &s2,
            "--from",
            "2026-10-12",
            "--to",
            "2026-10-16",
            "--reason",
            "第三方",
        ],
    );
    assert_eq!(v["due"], "2026-10-29");
    let v = json(
        d,
        &[
            "request",
            "extend",
            &s2,
            "--date",
            "2026-10-20",
            "--approved-by",
            "刘主任",
            "--reason",
            "需征求多个部门意见",
        ],
    );
    assert_eq!(v["due"], "2026-11-26");
    let e = refused(
        d,
        &[
            "request",
            "extend",
            &s2,
            "--date",
            "2026-10-21",
            "--approved-by",
            "刘主任",
            "--reason",
            "再延",
        ],
    );
    assert!(
        e["message"].as_str().unwrap().contains("只能延长一次"),
        "{e}"
    );
    let e = refused(
        d,
        &[
            "request",
            "reply",
            &s2,
            "--outcome",
            "9-9",
            "--date",
            "2026-11-25",
        ],
    );
    assert!(e["message"].as_str().unwrap().contains("outcomes"), "{e}");
    let letter = d.join("答复书.docx");
    let v = json(
        d,
        &[
            "request",
            "reply",
            &s2,
            "--outcome",
            "3-4",
            "--date",
            "2026-11-25",
            "--letter",
            letter.to_str().unwrap(),
        ],
    );
    assert_eq!(v["status"], "replied");
    // The 答复书, read by LibreOffice: the applicant by name, the finding, the article quoted,
    // the remedy with its time limits, the unit and the date.
    let text = libreoffice(&letter, "txt:Text (encoded):UTF8", "txt");
    for needle in [
        "政府信息公开申请答复书",
        "治安支队依申请公开答复〔2026〕2号",
        "张卫国：",
        "2026年9月18日收到您提出的政府信息公开申请",
        "“保护第三方合法权益”",
        "第十五条“",
        "六十日内",
        "六个月内",
        "2026年11月25日",
    ] {
        assert!(text.contains(needle), "{needle} not in the letter: {text}");
    }
    assert_eq!(v["reply"]["on_time"], true);
    json(
        d,
        &[
            "request",
            "appeal",
            &s2,
            "--kind",
            "行政复议",
            "--result",
            "维持",
        ],
    );

    // R3: received in 2025, corrected, answered in 2026 (carried over).
    let r3 = new(d, "2025-12-15", "法律服务机构", "某案件的行政处罚决定书");
    let s3 = r3["serial"].as_str().unwrap().to_string();
    assert!(s3.starts_with("2025-"), "{s3}");
    let v = json(d, &["request", "correct", &s3, "--asked", "2025-12-17"]);
    assert_eq!(v["status"], "awaiting_correction");
    assert_eq!(v["correction_due"], "2025-12-24");
    let v = json(
        d,
        &[
            "request",
            "correct",
            &s3,
            "--asked",
            "2025-12-17",
            "--received",
            "2025-12-22",
        ],
    );
    assert_eq!(
        v["due"], "2026-01-20",
        "20 working days across 元旦 and the 1-4 调休 Sunday"
    );
    json(
        d,
        &[
            "request",
            "reply",
            &s3,
            "--outcome",
            "4-1",
            "--date",
            "2026-01-19",
        ],
    );

    // R4: still open at the year's end.
    let r4 = new(d, "2026-12-01", "自然人", "辖区交通事故统计");
    assert_eq!(r4["due"], "2026-12-29");
    // R5: a repeated application, sued directly; the judgment later corrects it.
    let r5 = new(d, "2026-03-02", "科研机构", "同上次申请");
    let s5 = r5["serial"].as_str().unwrap().to_string();
    json(
        d,
        &[
            "request",
            "reply",
            &s5,
            "--outcome",
            "5-2",
            "--date",
            "2026-03-10",
        ],
    );
    json(
        d,
        &[
            "request",
            "appeal",
            &s5,
            "--kind",
            "直接起诉",
            "--result",
            "尚未审结",
        ],
    );
    json(
        d,
        &[
            "request",
            "appeal",
            &s5,
            "--kind",
            "直接起诉",
            "--result",
            "纠正",
        ],
    );

    let open = json(d, &["request", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["serial"], r4["serial"]);
    // The open application stands on the deadlines panel beside the documents' deadlines.
    let panel = json(d, &["deadlines"]);
    let rows = panel.as_array().unwrap();
    let r4_row = rows
        .iter()
        .find(|o| o["rule_id"] == 10)
        .expect("the open application is on the panel");
    assert_eq!(r4_row["due"], "2026-12-29");
    assert!(r4_row["doc_title"]
        .as_str()
        .unwrap()
        .contains(r4["serial"].as_str().unwrap()));
    assert_eq!(
        rows.iter().filter(|o| o["rule_id"] == 10).count(),
        1,
        "answered ones are not"
    );
    let month =
        chrono::Datelike::month(&(chrono::Utc::now() + chrono::Duration::hours(8)).date_naive());
    assert_eq!(
        rows.iter().any(|o| o["rule_id"] == 14),
        month == 12 || month == 1,
        "the annual report is on the panel from 1 December to 31 January"
    );
    let shown = json(d, &["request", "show", &s2]);
    assert_eq!(shown["pauses"][0]["reason"], "第三方");
    assert_eq!(shown["extension"]["approved_by"], "刘主任");

    // Table 二: normative documents counted by their publication and repeal dates; the other
    // figures as entered, with who entered them.
    let new_doc = |title: &str| {
        json(d, &["doc", "new", "--title", title])["summary"]["doc_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let a = new_doc("关于规范户籍窗口服务的通知");
    json(d, &["doc", "event", &a, "published", "2026-03-01"]);
    let b = new_doc("关于旧版窗口服务规范的通知");
    json(d, &["doc", "event", &b, "published", "2024-05-06"]);
    json(d, &["doc", "event", &b, "repealed", "2026-06-30"]);
    json(
        d,
        &[
            "report", "figure", "--year", "2026", "--key", "penalty", "--value", "12",
        ],
    );
    json(
        d,
        &[
            "report", "figure", "--year", "2026", "--key", "fees", "--value", "3.5",
        ],
    );
    let e = refused(
        d,
        &[
            "report", "figure", "--year", "2026", "--key", "penalty", "--value", "1.5",
        ],
    );
    assert!(e["message"].as_str().unwrap().contains("整数"), "{e}");

    // The 2026 tables, cell by cell against a table made by hand.
    let cells = json(d, &["report", "annual", "--year", "2026"]);
    let cells = cells.as_array().unwrap();
    let get = |table: &str, group: &str, row: &str, column: &str| -> u64 {
        cells
            .iter()
            .find(|c| {
                c["table"] == table
                    && (c["group"] == group || c["column_group"] == group)
                    && c["row"] == row
                    && c["column"] == column
            })
            .unwrap_or_else(|| panic!("no cell {table} {group} {row} {column}"))["value"]
            .as_u64()
            .unwrap()
    };
    let cols = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];
    let hand: &[(&str, &str, [u64; 7])] = &[
        (
            "",
            "一、本年新收政府信息公开申请数量",
            [2, 1, 1, 0, 0, 0, 4],
        ),
        (
            "",
            "二、上年结转政府信息公开申请数量",
            [0, 0, 0, 0, 1, 0, 1],
        ),
        (
            "三、本年度办理结果",
            "（一）予以公开",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        (
            "（三）不予公开",
            "4.保护第三方合法权益",
            [0, 1, 0, 0, 0, 0, 1],
        ),
        (
            "（四）无法提供",
            "1.本机关不掌握相关政府信息",
            [0, 0, 0, 0, 1, 0, 1],
        ),
        ("（五）不予处理", "2.重复申请", [0, 0, 1, 0, 0, 0, 1]),
        ("（三）不予公开", "1.属于国家秘密", [0; 7]),
        ("三、本年度办理结果", "（七）总计", [1, 1, 1, 0, 1, 0, 4]),
        ("", "四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
    ];
    for (group, row, values) in hand {
        for (col, want) in cols.iter().zip(values) {
            assert_eq!(get("三", group, row, col), *want, "{group} {row} {col}");
        }
    }
    let two = |row: &str, column: &str| -> Value {
        cells
            .iter()
            .find(|c| c["table"] == "二" && c["row"] == row && c["column"] == column)
            .unwrap_or_else(|| panic!("no cell 二 {row} {column}"))["value"]
            .clone()
    };
    assert_eq!(two("行政规范性文件", "本年制发件数"), 1);
    assert_eq!(two("行政规范性文件", "本年废止件数"), 1);
    assert_eq!(two("行政规范性文件", "现行有效件数"), 1);
    assert_eq!(two("规章", "本年制发件数"), 0);
    assert_eq!(two("行政处罚", "本年处理决定数量"), 12);
    assert_eq!(two("行政事业性收费", "本年收费金额（单位：万元）"), 3.5);
    let entered = cells.iter().find(|c| c["row"] == "行政处罚").unwrap();
    assert_eq!(entered["records"], serde_json::json!(["王晓明填报"]));
    assert_eq!(get("四", "行政复议", "", "结果维持"), 1);
    assert_eq!(get("四", "行政复议", "", "总计"), 1);
    assert_eq!(get("四", "行政诉讼 未经复议直接起诉", "", "结果纠正"), 1);
    assert_eq!(
        get("四", "行政诉讼 未经复议直接起诉", "", "尚未审结"),
        0,
        "replaced by the judgment"
    );
    assert_eq!(get("四", "行政诉讼 复议后起诉", "", "总计"), 0);
    // Every number opens to the applications behind it.
    let carried = cells
        .iter()
        .find(|c| c["row"] == "二、上年结转政府信息公开申请数量" && c["column"] == "总计")
        .unwrap();
    assert_eq!(carried["records"], serde_json::json!([s3]));
    // The year before: R3 was received and carried over.
    let cells = json(d, &["report", "annual", "--year", "2025"]);
    let carried_over = cells
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == "四、结转下年度继续办理" && c["column"] == "法律服务机构")
        .unwrap();
    assert_eq!(carried_over["value"], 1);
    // The report as .docx and .xlsx, opened by LibreOffice.
    let docx = d.join("report.docx");
    let xlsx = d.join("report.xlsx");
    json(
        d,
        &[
            "report",
            "annual",
            "--year",
            "2026",
            "--out",
            docx.to_str().unwrap(),
        ],
    );
    json(
        d,
        &[
            "report",
            "annual",
            "--year",
            "2026",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    let text = libreoffice(&docx, "txt:Text (encoded):UTF8", "txt");
    for needle in [
        "治安支队2026年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "法人或其他组织",
        "4.保护第三方合法权益",
        "四、政府信息公开行政复议、行政诉讼情况",
        "复议后起诉",
        "第二十条第（一）项",
        "3.5",
    ] {
        assert!(text.contains(needle), "{needle} not in the .docx: {text}");
    }
    // Every sheet as its own CSV file (the filter's last option, -1).
    libreoffice(
        &xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        "csv",
    );
    let sheets: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "csv").then(|| std::fs::read_to_string(p).ok())?
        })
        .collect();
    let three = sheets
        .iter()
        .find(|s| s.contains("申请人情况"))
        .expect("sheet 表三");
    let line = three
        .lines()
        .find(|l| l.contains("一、本年新收"))
        .expect("row 一");
    assert!(line.ends_with(",2,1,1,0,0,0,4"), "{line}");
    let line = three.lines().find(|l| l.contains("（七）总计")).unwrap();
    assert!(line.ends_with(",1,1,1,0,1,0,4"), "{line}");
    let four = sheets
        .iter()
        .find(|s| s.contains("复议后起诉"))
        .expect("sheet 表四");
    assert!(
        four.lines().any(|l| l == "1,0,0,0,1,0,1,0,0,1,0,0,0,0,0"),
        "{four}"
    );

    // The text form names the rows as the format does.
    let out = gongkai(d, &["report", "annual", "--year", "2026"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("（三）不予公开 4.保护第三方合法权益"),
        "{text}"
    );
}
