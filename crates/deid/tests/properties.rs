//! Properties of scanning and applying, on generated texts that mix official prose with personal
//! information and arbitrary characters: offsets lie on character boundaries and match the text,
//! apply changes nothing outside the accepted findings, and redacting twice equals redacting once.

use gongkai_deid::{apply, checks, Finding, Scanner};
use proptest::prelude::*;
use std::sync::LazyLock;

static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::default);

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("当事人张伟，男，".to_string()),
        Just("申请人欧阳娜娜（女，1990年3月8日出生）".to_string()),
        Just("住淄博市张店区马尚街道人民西路12号3单元402室，".to_string()),
        Just("根据《中华人民共和国治安管理处罚法》第二十六条，".to_string()),
        Just("淄公发〔2024〕5号".to_string()),
        Just("罚款人民币500元。".to_string()),
        Just("联系电话：0533-2134139。".to_string()),
        Just("局长王建军主持会议。".to_string()),
        Just("驾驶鲁C8K512号车辆".to_string()),
        Just("邮箱zhang.san@163.com，".to_string()),
        Just("\n".to_string()),
        "[0-9]{11}".prop_map(|d| format!("手机1{}，", &d[1..])),
        "[0-9]{12}".prop_map(|d| format!(
            "身份证{}，",
            checks::id18_complete(&format!("37030219{}", &d[..9]))
        )),
        "\\PC{0,12}",
        "[ -~]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn offsets_are_on_character_boundaries_and_match_the_text(t in text()) {
        let chars: Vec<char> = t.chars().collect();
        for f in SCANNER.scan(&t) {
            prop_assert!(f.start < f.end && f.end <= chars.len(), "{f:?}");
            prop_assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text.clone());
        }
    }

    #[test]
    fn apply_changes_nothing_outside_the_accepted_findings(t in text(), keep in prop::collection::vec(any::<bool>(), 0..40)) {
        let findings = SCANNER.scan(&t);
        let accepted: Vec<Finding> = findings
            .iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(true))
            .map(|(_, f)| f.clone())
            .collect();
        let out = apply(&t, &accepted, SCANNER.policy());
        // Rebuild the output from the original outside the spans and the replacements inside.
        let chars: Vec<char> = t.chars().collect();
        let mut rebuilt = String::new();
        let mut pos = 0;
        for r in &out.replacements {
            rebuilt.extend(&chars[pos..r.start]);
            prop_assert_eq!(chars[r.start..r.end].iter().collect::<String>(), r.original.clone());
            rebuilt.push_str(&r.replacement);
            pos = r.end;
        }
        rebuilt.extend(&chars[pos..]);
        prop_assert_eq!(&rebuilt, &out.text);
        prop_assert_eq!(out.replacements.len(), accepted.len());
    }

    #[test]
    fn redacting_twice_equals_redacting_once(t in text()) {
        let once = SCANNER.redact(&t).text;
        let twice = SCANNER.redact(&once).text;
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn no_panic_on_arbitrary_text(t in "\\PC{0,200}") {
        let _ = SCANNER.redact(&t);
    }
}

#[test]
fn same_number_is_masked_identically_in_every_document() {
    let a = SCANNER.redact("当事人联系电话13812345678。").text;
    let b = SCANNER
        .redact("另查明，其手机号为13812345678，已停机。")
        .text;
    assert!(
        a.contains("138****5678") && b.contains("138****5678"),
        "{a} / {b}"
    );
}

#[test]
fn pseudonyms_are_consistent_and_distinct_within_a_document() {
    let out = SCANNER
        .redact("当事人张伟与被害人张敏发生纠纷，张伟动手打了张敏。证人欧阳娜娜目睹经过。")
        .text;
    assert_eq!(
        out,
        "当事人张某与被害人张某甲发生纠纷，张某动手打了张某甲。证人欧阳某某目睹经过。"
    );
}

#[test]
fn streaming_scan_rejects_binary_and_invalid_utf8_and_bounds_chunks() {
    let s = Scanner::default();
    let err = s
        .scan_reader(&b"abc\x00def\n"[..], 1 << 20, |_, _, _| Ok(()))
        .unwrap_err();
    assert!(err.to_string().contains("二进制"));
    let err = s
        .scan_reader(&b"line one\n\xff\xfe bad\n"[..], 1 << 20, |_, _, _| Ok(()))
        .unwrap_err();
    assert!(err.to_string().contains("第2行"));
    // Offsets continue across chunks.
    let text = "当事人张伟，手机13812345678。\n".repeat(50);
    let mut all = Vec::new();
    let mut chunks = 0;
    s.scan_reader(text.as_bytes(), 200, |_, _, fs| {
        chunks += 1;
        all.extend(fs);
        Ok(())
    })
    .unwrap();
    assert!(chunks > 5);
    let whole = s.scan(&text);
    assert_eq!(all.len(), whole.len());
    for (a, b) in all.iter().zip(&whole) {
        assert_eq!((a.start, a.end, &a.text), (b.start, b.end, &b.text));
    }
}

/// Found once as a private person, a name is masked where 同志 follows it too (it leaked from a
/// title before: 关于张伟同志来信反映问题的答复).
#[test]
fn a_private_persons_name_followed_by_tongzhi_is_still_found() {
    let s = gongkai_deid::Scanner::default();
    let text = "关于张伟同志来信反映问题的答复\n来信人张伟（手机13812345678）反映的问题已办结。";
    let names: Vec<(usize, String)> = s
        .scan(text)
        .into_iter()
        .filter(|f| f.kind == gongkai_deid::Kind::PersonName)
        .map(|f| (f.start, f.text))
        .collect();
    assert_eq!(
        names,
        vec![(2, "张伟".to_string()), (19, "张伟".to_string())]
    );
}

/// Bad input: any UTF-8 gives findings or nothing, never a panic, with offsets that match.
#[test]
fn odd_text_never_panics_and_offsets_match() {
    let odd = [
        "\u{200B}张\u{200B}伟\u{FEFF}身份证号１１０１０５１９４９１２３１００２Ｘ",
        "申请人：Иван Петров、John Smith、김철수、张 伟",
        "🙂🙂当事人🙂李四🙂，手机１３８１２３４５６７８🙂",
        "\u{0301}\u{0301}住址：\u{202E}淄博市张店区马尚街道人民西路12号3单元402室",
        "、、、；；；\t\t\t及及及和和",
        "姓名\t\t\n\t\t\n姓名\n张\t",
        "",
    ];
    for t in odd {
        let chars: Vec<char> = t.chars().collect();
        for f in SCANNER.scan(t) {
            assert!(f.start < f.end && f.end <= chars.len(), "{f:?} in {t:?}");
            assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text);
        }
    }
}

/// A long paragraph with no line break is scanned in pieces: what is found near the end has
/// offsets into the whole text, and a number in every piece is found.
#[test]
fn a_long_paragraph_is_scanned_in_pieces_with_whole_text_offsets() {
    let id = checks::id18_complete("37030219900101123");
    let unit = format!("经查，当事人身份证号{id}，在华光路违法停车。");
    let n = 400_000 / unit.len() + 1;
    let text = unit.repeat(n);
    assert!(text.len() > 256 * 1024, "longer than one piece");
    let found: Vec<_> = SCANNER
        .scan(&text)
        .into_iter()
        .filter(|f| f.kind == gongkai_deid::Kind::IdCard)
        .collect();
    assert_eq!(found.len(), n);
    let chars: Vec<char> = text.chars().collect();
    let last = found.last().unwrap();
    assert_eq!(chars[last.start..last.end].iter().collect::<String>(), id);
}

/// The streaming scan cuts a long line at sentence ends or character boundaries, never inside a
/// character, and gives the same numbers as scanning the whole text at once.
#[test]
fn streaming_a_long_line_in_small_chunks_finds_what_the_whole_text_has() {
    let id = checks::id18_complete("37030219900101123");
    let text = format!("前言。当事人身份证号{id}，在华光路违法停车。").repeat(40);
    let whole: Vec<(usize, usize)> = SCANNER
        .scan(&text)
        .into_iter()
        .filter(|f| f.kind == gongkai_deid::Kind::IdCard)
        .map(|f| (f.start, f.end))
        .collect();
    for chunk in [64usize, 101, 257, 1000] {
        let mut got = Vec::new();
        let mut rebuilt = String::new();
        SCANNER
            .scan_reader(
                std::io::BufReader::with_capacity(7, text.as_bytes()),
                chunk,
                |t, _, fs| {
                    rebuilt.push_str(t);
                    got.extend(
                        fs.into_iter()
                            .filter(|f| f.kind == gongkai_deid::Kind::IdCard)
                            .map(|f| (f.start, f.end)),
                    );
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(rebuilt, text, "chunk {chunk}");
        if chunk >= 257 {
            assert_eq!(got, whole, "chunk {chunk}");
        }
    }
}
