//! 发文字号 (document number): `机关代字〔年份〕序号号`, GB/T 9704-2012 clause 7.2.5.
//!
//! The year is written in full inside 六角括号〔〕; the sequence number has no 第 and no leading
//! zeros and is followed by 号. Each way of getting it wrong has its own message for the clerk.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::LazyLock;

/// A well-formed 发文字号.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DocNumber {
    /// 机关代字, e.g. `淄公发`.
    pub code: String,
    /// The full year.
    pub year: u16,
    /// 序号, from 1.
    pub seq: u32,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.code, self.year, self.seq)
    }
}

/// Why a 发文字号 is not well-formed. `Display` is the message shown to the clerk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocNumberError {
    #[error("发文字号缺少机关代字，应写成“X公发〔2024〕5号”的形式。")]
    MissingCode,
    #[error("年份应使用六角括号〔〕括入（不要用[]、【】或()），如“X公发〔2024〕5号”。")]
    WrongBrackets,
    #[error("年份应写全称（4位阿拉伯数字），如〔2024〕。")]
    ShortYear,
    #[error("年份“{0}”不在合理范围内，请核对。")]
    YearOutOfRange(u32),
    #[error("序号前不加“第”字，如“5号”。")]
    HasDi,
    #[error("序号不编虚位，应写“{0}号”而不是“{1}号”。")]
    LeadingZero(u32, String),
    #[error("发文字号应以“号”结尾，如“X公发〔2024〕5号”。")]
    MissingHao,
    #[error("序号应为阿拉伯数字，如“5号”。")]
    BadSeq,
    #[error("发文字号格式不正确，应写成“机关代字〔年份〕序号号”，如“X公发〔2024〕5号”。")]
    Malformed,
}

static WELL_FORMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<code>[^\s〔〕\[\]【】()（）]+)〔(?P<year>\d+)〕(?P<seq>[^号]*)(?P<hao>号?)$")
        .expect("static regex")
});
static OTHER_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[【(（〔]\s*\d{2,4}\s*[\]】)）〕]").expect("static regex"));

impl DocNumber {
    /// Parses a 发文字号 as typed (surrounding white space ignored; full-width digits accepted).
    pub fn parse(input: &str) -> Result<Self, DocNumberError> {
        let s: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                other => other,
            })
            .collect();
        let Some(caps) = WELL_FORMED.captures(&s) else {
            if s.starts_with('〔') || s.starts_with('[') || s.starts_with('【') {
                return Err(DocNumberError::MissingCode);
            }
            if OTHER_BRACKETS.is_match(&s) {
                return Err(DocNumberError::WrongBrackets);
            }
            return Err(DocNumberError::Malformed);
        };
        let year_str = &caps["year"];
        if year_str.len() != 4 {
            return Err(DocNumberError::ShortYear);
        }
        let year: u32 = year_str.parse().map_err(|_| DocNumberError::ShortYear)?;
        if !(1949..=2100).contains(&year) {
            return Err(DocNumberError::YearOutOfRange(year));
        }
        let seq_str = caps["seq"].trim();
        if seq_str.starts_with('第') {
            return Err(DocNumberError::HasDi);
        }
        if caps["hao"].is_empty() {
            return Err(DocNumberError::MissingHao);
        }
        if seq_str.is_empty() || !seq_str.chars().all(|c| c.is_ascii_digit()) {
            return Err(DocNumberError::BadSeq);
        }
        let seq: u32 = seq_str.parse().map_err(|_| DocNumberError::BadSeq)?;
        if seq == 0 {
            return Err(DocNumberError::BadSeq);
        }
        if seq_str.starts_with('0') {
            return Err(DocNumberError::LeadingZero(seq, seq_str.to_string()));
        }
        Ok(DocNumber {
            code: caps["code"].to_string(),
            year: year as u16,
            seq,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_standard_form() {
        let n = DocNumber::parse(" 淄公发〔2024〕5号 ").unwrap();
        assert_eq!(n.code, "淄公发");
        assert_eq!(n.year, 2024);
        assert_eq!(n.seq, 5);
        assert_eq!(n.to_string(), "淄公发〔2024〕5号");
        assert_eq!(
            DocNumber::parse("泰公办字〔２０２２〕１２号").unwrap().seq,
            12
        );
    }

    #[test]
    fn each_mistake_has_its_message() {
        use DocNumberError::*;
        let cases = [
            ("淄公发[2024]5号", WrongBrackets),
            ("淄公发【2024】5号", WrongBrackets),
            ("淄公发（2024）5号", WrongBrackets),
            ("淄公发〔24〕5号", ShortYear),
            ("淄公发〔2024〕第5号", HasDi),
            ("淄公发〔2024〕05号", LeadingZero(5, "05".into())),
            ("淄公发〔2024〕5", MissingHao),
            ("〔2024〕5号", MissingCode),
            ("淄公发〔2024〕五号", BadSeq),
            ("淄公发〔1800〕5号", YearOutOfRange(1800)),
            ("随便写的", Malformed),
        ];
        for (input, want) in cases {
            assert_eq!(DocNumber::parse(input), Err(want), "{input}");
        }
        assert!(DocNumberError::WrongBrackets.to_string().contains("〔〕"));
    }

    proptest! {
        #[test]
        fn display_round_trips(code in "[\\p{Han}A-Z]{1,6}", year in 1949u16..=2100, seq in 1u32..100000) {
            let n = DocNumber { code, year, seq };
            prop_assert_eq!(DocNumber::parse(&n.to_string()), Ok(n));
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = DocNumber::parse(&s);
        }
    }
}
