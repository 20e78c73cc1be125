//! The body (正文) as plain paragraphs, and the recognition of their structural levels:
//! `一、` (level 1, 黑体), `（一）` (level 2, 楷体), `1.` (level 3, 仿宋), `（1）` (level 4, 仿宋),
//! per GB/T 9704-2012 clause 7.3.3.

use serde::{Deserialize, Serialize};

/// The structural level of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ParagraphLevel {
    /// 一、
    H1,
    /// （一）
    H2,
    /// 1.
    H3,
    /// （1）
    H4,
    /// An ordinary paragraph.
    Body,
}

impl ParagraphLevel {
    /// 1–4 for headings, `None` for body text.
    pub fn depth(self) -> Option<usize> {
        match self {
            ParagraphLevel::H1 => Some(1),
            ParagraphLevel::H2 => Some(2),
            ParagraphLevel::H3 => Some(3),
            ParagraphLevel::H4 => Some(4),
            ParagraphLevel::Body => None,
        }
    }
}

/// One paragraph of the body with its recognised level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Paragraph {
    pub text: String,
    pub level: ParagraphLevel,
    /// The number the heading carries (一 → 1, （3） → 3), if it is a heading.
    pub number: Option<u32>,
    /// The heading marker as written, e.g. `（一）`.
    pub marker: Option<String>,
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Parses a Chinese numeral from 一 to 九十九 (the range headings use).
pub fn parse_cn_number(s: &str) -> Option<u32> {
    let digit = |c: char| CN_DIGITS.iter().position(|&d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => digit(*u).filter(|&d| d > 0).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|&d| d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|&d| d > 1)? * 10 + digit(*u).filter(|&d| d > 0)?),
        _ => None,
    }
}

/// Formats 1–99 as a Chinese numeral (the inverse of [`parse_cn_number`]).
pub fn format_cn_number(n: u32) -> String {
    let (t, u) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push(CN_DIGITS[t as usize]);
    }
    if t >= 1 {
        s.push('十');
    }
    if u > 0 || t == 0 {
        s.push(CN_DIGITS[u as usize]);
    }
    s
}

fn split_prefix(text: &str, pred: impl Fn(char) -> bool) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|&(_, c)| !pred(c))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    text.split_at(end)
}

fn is_cn_numeral(c: char) -> bool {
    c == '十' || CN_DIGITS[1..].contains(&c)
}

/// Recognises the level of one paragraph from its leading marker.
pub fn classify_paragraph(text: &str) -> Paragraph {
    let t = text.trim_start_matches([' ', '\u{3000}', '\t']);
    let heading = |level, number, marker: &str| Paragraph {
        text: text.to_string(),
        level,
        number: Some(number),
        marker: Some(marker.to_string()),
    };
    // 一、
    let (num, rest) = split_prefix(t, is_cn_numeral);
    if let (Some(n), Some(after)) = (parse_cn_number(num), rest.strip_prefix('、')) {
        let _ = after;
        return heading(ParagraphLevel::H1, n, &t[..num.len() + '、'.len_utf8()]);
    }
    // （一） and （1）, full- or half-width parentheses
    for open in ['（', '('] {
        if let Some(inner) = t.strip_prefix(open) {
            let (cn, rest) = split_prefix(inner, is_cn_numeral);
            if let (Some(n), Some(close)) = (parse_cn_number(cn), rest.chars().next()) {
                if close == '）' || close == ')' {
                    let len = open.len_utf8() + cn.len() + close.len_utf8();
                    return heading(ParagraphLevel::H2, n, &t[..len]);
                }
            }
            let (digits, rest) = split_prefix(inner, |c| c.is_ascii_digit());
            if let (Ok(n), Some(close)) = (digits.parse::<u32>(), rest.chars().next()) {
                if close == '）' || close == ')' {
                    let len = open.len_utf8() + digits.len() + close.len_utf8();
                    return heading(ParagraphLevel::H4, n, &t[..len]);
                }
            }
        }
    }
    // 1.  (not a decimal such as 1.5)
    let (digits, rest) = split_prefix(t, |c| c.is_ascii_digit());
    if let Ok(n) = digits.parse::<u32>() {
        let mut it = rest.chars();
        if let Some(dot @ ('.' | '．')) = it.next() {
            if !it.next().is_some_and(|c| c.is_ascii_digit()) {
                return heading(ParagraphLevel::H3, n, &t[..digits.len() + dot.len_utf8()]);
            }
        }
    }
    Paragraph {
        text: text.to_string(),
        level: ParagraphLevel::Body,
        number: None,
        marker: None,
    }
}

/// Classifies every paragraph of a body.
pub fn classify_body(paragraphs: &[String]) -> Vec<Paragraph> {
    paragraphs.iter().map(|p| classify_paragraph(p)).collect()
}

/// Where heading numbers skip or restart out of order: `(paragraph index, expected, found)`.
///
/// A heading's counter restarts under each new heading of a higher level.
pub fn numbering_gaps(paragraphs: &[Paragraph]) -> Vec<(usize, u32, u32)> {
    let mut last = [0u32; 5];
    let mut gaps = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let (Some(depth), Some(n)) = (p.level.depth(), p.number) else {
            continue;
        };
        let expected = last[depth] + 1;
        if n != expected {
            gaps.push((i, expected, n));
        }
        last[depth] = n;
        for deeper in last.iter_mut().skip(depth + 1) {
            *deeper = 0;
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn level(s: &str) -> ParagraphLevel {
        classify_paragraph(s).level
    }

    #[test]
    fn recognises_the_four_levels() {
        assert_eq!(level("一、总体要求"), ParagraphLevel::H1);
        assert_eq!(level("十二、附则"), ParagraphLevel::H1);
        assert_eq!(level("（一）工作目标"), ParagraphLevel::H2);
        assert_eq!(level("(三)半角括号"), ParagraphLevel::H2);
        assert_eq!(level("1.加强组织领导"), ParagraphLevel::H3);
        assert_eq!(level("2．全角点"), ParagraphLevel::H3);
        assert_eq!(level("（1）具体措施"), ParagraphLevel::H4);
        assert_eq!(level("　　一、前面有全角空格"), ParagraphLevel::H1);
        assert_eq!(classify_paragraph("二十一、附则").number, Some(21));
        assert_eq!(
            classify_paragraph("（一）工作目标").marker.as_deref(),
            Some("（一）")
        );
    }

    #[test]
    fn body_text_is_not_a_heading() {
        assert_eq!(
            level("为进一步做好政务公开工作，现通知如下："),
            ParagraphLevel::Body
        );
        assert_eq!(level("1.5倍的增长"), ParagraphLevel::Body);
        assert_eq!(level("2024年3月5日"), ParagraphLevel::Body);
        assert_eq!(level("一是加强领导"), ParagraphLevel::Body);
        assert_eq!(level(""), ParagraphLevel::Body);
    }

    #[test]
    fn finds_numbering_gaps() {
        let body: Vec<String> = [
            "一、甲",
            "（一）子",
            "（三）跳号",
            "二、乙",
            "（一）重新开始",
            "四、又跳",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let gaps = numbering_gaps(&classify_body(&body));
        assert_eq!(gaps, vec![(2, 2, 3), (5, 3, 4)]);
    }

    proptest! {
        #[test]
        fn cn_numbers_round_trip(n in 1u32..100) {
            prop_assert_eq!(parse_cn_number(&format_cn_number(n)), Some(n));
        }

        #[test]
        fn classify_never_panics(s in "\\PC{0,30}") {
            let p = classify_paragraph(&s);
            prop_assert_eq!(p.text, s);
        }
    }
}
