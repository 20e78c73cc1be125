//! `gongkai deid scan | apply` on real files, as a clerk or a script uses them.

use serde_json::Value;
use std::process::{Command, Output};

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap()
}

const TEXT: &str = "违法行为人：张伟，男，身份证号11010519491231002X，手机13812345678，住淄博市张店区马尚街道人民西路12号3单元402室。\n局长王建军主持会议，文号淄公发〔2024〕5号，罚款500元，咨询电话0533-2134139。\n";

#[test]
fn scan_prints_findings_with_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, TEXT).unwrap();
    let out = gongkai(&["deid", "scan", "--format", "json", f.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let chars: Vec<char> = TEXT.chars().collect();
    let kinds: Vec<&str> = v.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["person_name", "id_card", "phone_mobile", "address"],
        "{v:#?}"
    );
    for f in &v {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            f["text"].as_str().unwrap()
        );
        assert!(f["confidence"].as_f64().unwrap() > 0.5);
        assert!(
            !f["reason"].as_str().unwrap().is_empty(),
            "every finding says why"
        );
        assert_eq!(f.as_object().unwrap().len(), 6);
    }
}

#[test]
fn apply_masks_by_the_policy_and_leaves_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, TEXT).unwrap();
    let out = gongkai(&["deid", "apply", f.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "违法行为人：张某，男，身份证号110105************，手机138****5678，住淄博市张店区马尚街道。\n局长王建军主持会议，文号淄公发〔2024〕5号，罚款500元，咨询电话0533-2134139。\n"
    );
}

#[test]
fn jsonl_in_jsonl_out_and_a_bad_line_does_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("in.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"p1\",\"text\":\"申请人李秀英，电话13912345678。\"}\nnot json\n{\"id\":7,\"text\":\"淄公发〔2024〕5号，咨询电话0533-2138001\"}\n",
    )
    .unwrap();
    let out = gongkai(&["deid", "scan", "--jsonl", f.to_str().unwrap()]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "p1");
    assert_eq!(lines[0]["findings"][0]["text"], "李秀英");
    assert_eq!(lines[0]["findings"][1]["kind"], "phone_mobile");
    assert_eq!(lines[1]["error"]["code"], "InvalidInput");
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["findings"].as_array().unwrap().len(), 0);
    // The published office number is kept visible, and the line says why.
    assert_eq!(lines[2]["kept"][0]["text"], "0533-2138001");
    assert!(lines[2]["kept"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("咨询"));
}

#[test]
fn bad_files_get_a_clear_message_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("x.bin");
    std::fs::write(&bin, [0x50u8, 0x4b, 0x03, 0x04, 0, 0, 1, 2]).unwrap();
    let out = gongkai(&["deid", "scan", bin.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("二进制"));
    let gbk = dir.path().join("gbk.txt");
    std::fs::write(&gbk, [0xD5u8, 0xC5, 0xCE, 0xB0, b'\n']).unwrap(); // 张伟 in GBK
    let out = gongkai(&["deid", "apply", gbk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("UTF-8"));
    let out = gongkai(&["deid", "scan", "/nonexistent/file.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("无法读取文件"));
}

#[test]
fn a_large_file_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.txt");
    let line = "当事人张伟，手机13812345678，于2024年3月5日因违反《治安管理处罚法》第二十六条被罚款500元。\n";
    let n = (3 << 20) / line.len();
    std::fs::write(&f, line.repeat(n)).unwrap();
    let out = gongkai(&["deid", "apply", f.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), n);
    assert!(text.lines().all(|l| l == "当事人张某，手机138****5678，于2024年3月5日因违反《治安管理处罚法》第二十六条被罚款500元。"));
}
