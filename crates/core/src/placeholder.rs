//! Unfilled template placeholders: what Word and WPS 公文 templates leave for the clerk to fill
//! (`XX发〔20XX〕XX号`, `签发人：□□□`, `[此处输入文件标题]`, `第  号`, `年  月  日`).
//!
//! A document still holding one is not ready: [`crate::validate`] reports each as an error and
//! the sign-off gate stays closed ([`crate::Facts::placeholders`]).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::document::DocFields;

/// One placeholder found in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Placeholder {
    /// The [`DocFields`] field name, e.g. `doc_number`.
    pub field: String,
    /// For `body`, `attachments`, `signers`, `co_issuers` and `tables`: the entry's index
    /// (0-based).
    pub index: Option<u32>,
    /// The placeholder as written, e.g. `20XX` or `[此处输入文件标题]`.
    pub text: String,
}

/// The shapes templates use. Each alternative is a placeholder on its own:
/// - runs of two or more X / Ｘ / × (`XX`, `20XX`, `××局`), not part of a Latin word;
/// - empty boxes and circles `□`, `○○`, underscores `___`;
/// - square-bracketed instructions `[此处输入…]`, `[各单位]`, `【请填写…】`;
/// - empty number slots: `第  号`, `〔 〕`, `〔2026〕号`, `年  月  日`.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([0-9A-Za-zＸｘ×]*[XxＸｘ×]{2,}[0-9A-Za-zＸｘ×]*)",
        r"|(□+|○{2,}|_{3,}|＿{2,})",
        r"|(\[[^\[\]\n]{0,20}\p{Han}[^\[\]\n]{0,20}\]|［[^［］\n]{0,20}\p{Han}[^［］\n]{0,20}］|【[^【】\n]{0,30}(?:填写|输入|此处|填入)[^【】\n]{0,30}】)",
        r"|(第[ \u{3000}\t]+号|〔[ \u{3000}]*〕|〔\d{4}〕[ \u{3000}]*号|年[ \u{3000}]+月[ \u{3000}]+日)",
    ))
    .expect("placeholder pattern")
});

/// The placeholders in one piece of text, in order.
pub fn find_in(text: &str) -> Vec<String> {
    PLACEHOLDER
        .captures_iter(text)
        .filter_map(|c| (1..=4).find_map(|i| c.get(i)))
        .map(|m| m.as_str().trim())
        // An X run inside a Latin word (XXL, XML) is a word, not a slot.
        .filter(|t| {
            !t.chars()
                .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'X' | 'x'))
        })
        .map(str::to_string)
        .collect()
}

/// Every unfilled placeholder in the document's fields.
pub fn placeholders(f: &DocFields) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut scan = |field: &str, index: Option<usize>, text: &str| {
        for t in find_in(text) {
            out.push(Placeholder {
                field: field.to_string(),
                index: index.map(|i| i as u32),
                text: t,
            });
        }
    };
    scan("mark", None, &f.mark);
    scan("issuing_authority", None, &f.issuing_authority);
    for (i, s) in f.co_issuers.iter().enumerate() {
        scan("co_issuers", Some(i), s);
    }
    scan("doc_number", None, &f.doc_number);
    for (i, s) in f.signers.iter().enumerate() {
        scan("signers", Some(i), s);
    }
    scan("title", None, &f.title);
    scan("main_recipients", None, &f.main_recipients);
    for (i, s) in f.body.iter().enumerate() {
        scan("body", Some(i), s);
    }
    for (i, s) in f.attachments.iter().enumerate() {
        scan("attachments", Some(i), s);
    }
    for (i, t) in f.tables.iter().enumerate() {
        for cell in t.rows.iter().flatten() {
            scan("tables", Some(i), &cell.text);
        }
    }
    if f.date_written.is_none() {
        scan("date_text", None, &f.date_text);
    }
    scan("notes", None, &f.notes);
    scan("cc", None, &f.cc);
    scan("printing_office", None, &f.printing_office);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_shapes_are_found() {
        assert_eq!(find_in("XX发〔20XX〕XX号"), ["XX", "20XX", "XX"]);
        assert_eq!(find_in("签发人：□□□"), ["□□□"]);
        assert_eq!(find_in("[此处输入文件标题]"), ["[此处输入文件标题]"]);
        assert_eq!(find_in("第  号"), ["第  号"]);
        assert_eq!(find_in("〔2020〕号"), ["〔2020〕号"]);
        assert_eq!(find_in("2026年  月  日"), ["年  月  日"]);
        assert_eq!(find_in("××市人民政府"), ["××"]);
        assert_eq!(
            find_in("○○局：【请填写主送机关】"),
            ["○○", "【请填写主送机关】"]
        );
    }

    #[test]
    fn filled_text_has_none() {
        for s in [
            "淄公发〔2026〕12号",
            "第3号",
            "2026年3月5日",
            "二〇二六年三月五日",
            "【政策背景】本通知所称XML文件",
            "3×4米的展板",
            "XXL码",
            "签发人：王晓明",
            "某公发[2026]3号",
        ] {
            assert!(find_in(s).is_empty(), "{s}: {:?}", find_in(s));
        }
    }

    #[test]
    fn fields_are_named() {
        let f = DocFields {
            doc_number: "XX发〔2026〕1号".into(),
            body: vec!["正文".into(), "联系人：XXX".into()],
            ..Default::default()
        };
        let p = placeholders(&f);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].field.as_str(), p[0].index), ("doc_number", None));
        assert_eq!((p[1].field.as_str(), p[1].index), ("body", Some(1)));
    }
}
