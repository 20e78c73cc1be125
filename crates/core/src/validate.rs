//! What is missing or malformed in a draft, field by field, in words the clerk can act on.
//!
//! Validation never blocks saving: a draft is kept as typed, and the issues are shown inline.

use crate::body::{classify_body, format_cn_number, numbering_gaps, ParagraphLevel};
use crate::doc_number::DocNumber;
use crate::document::DocFields;
use serde::{Deserialize, Serialize};

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed before the document goes for sign-off.
    Error,
    /// Worth a look.
    Warning,
}

/// One issue with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldIssue {
    /// The [`DocFields`] field name, e.g. `doc_number`; `body` issues name a paragraph in `paragraph`.
    pub field: String,
    pub severity: Severity,
    pub message: String,
    /// For body issues: the paragraph index (0-based).
    pub paragraph: Option<u32>,
}

fn issue(field: &str, severity: Severity, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.to_string(),
        severity,
        message: message.into(),
        paragraph: None,
    }
}

fn marker(level: ParagraphLevel, n: u32) -> String {
    match level {
        ParagraphLevel::H1 => format!("{}、", format_cn_number(n)),
        ParagraphLevel::H2 => format!("（{}）", format_cn_number(n)),
        ParagraphLevel::H3 => format!("{n}."),
        ParagraphLevel::H4 => format!("（{n}）"),
        ParagraphLevel::Body => String::new(),
    }
}

/// The Chinese name of a [`DocFields`] field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "mark" => "发文机关标志",
        "issuing_authority" => "发文机关",
        "co_issuers" => "联合发文机关",
        "doc_number" => "发文字号",
        "signers" => "签发人",
        "title" => "标题",
        "main_recipients" => "主送机关",
        "body" => "正文",
        "attachments" => "附件说明",
        "tables" => "表格",
        "notes" => "附注",
        "cc" => "抄送机关",
        "printing_office" => "印发机关",
        "printed_on" => "印发日期",
        "date_written" | "date_text" => "成文日期",
        _ => "字段",
    }
}

/// Checks a draft. An empty list means nothing to fix.
pub fn validate(f: &DocFields) -> Vec<FieldIssue> {
    use Severity::*;
    let mut out = Vec::new();
    let title = f.title.trim();
    if title.is_empty() {
        out.push(issue("title", Warning, "标题尚未填写。"));
    } else if title.ends_with(['。', '.', '；', '，']) {
        out.push(issue("title", Warning, "标题末尾一般不加标点符号。"));
    }
    if f.issuing_authority.trim().is_empty() {
        out.push(issue("issuing_authority", Warning, "发文机关尚未填写。"));
    }
    let number = f.doc_number.trim();
    if !number.is_empty() {
        match DocNumber::parse(number) {
            Err(e) => out.push(issue("doc_number", Error, e.to_string())),
            Ok(n) => {
                if let Some(d) = f.date_written {
                    use chrono::Datelike;
                    if d.year() != i32::from(n.year) {
                        out.push(issue(
                            "doc_number",
                            Warning,
                            format!(
                                "发文字号的年份（{}）与成文日期的年份（{}）不一致，请核对。",
                                n.year,
                                d.year()
                            ),
                        ));
                    }
                }
            }
        }
    }
    if f.doc_type.needs_signer() && f.signers.iter().all(|s| s.trim().is_empty()) {
        out.push(issue(
            "signers",
            Error,
            format!("{}属于上行文，须标注签发人。", f.doc_type.label()),
        ));
    }
    if let Some(c) = &f.classification {
        let p = c.period.trim();
        let ok = p.is_empty()
            || ["年", "个月"].iter().any(|unit| {
                p.strip_suffix(unit)
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            });
        if !ok {
            out.push(issue(
                "classification",
                Error,
                "保密期限应使用阿拉伯数字，如“1年”或“6个月”。",
            ));
        }
    }
    if f.body.iter().all(|p| p.trim().is_empty()) {
        out.push(issue("body", Warning, "正文尚未填写。"));
    }
    for p in crate::placeholder::placeholders(f) {
        let label = field_label(&p.field);
        let at = match p.index {
            Some(i) if p.field == "body" => format!("正文第{}段", i + 1),
            Some(i) => format!("{label}第{}项", i + 1),
            None => label.to_string(),
        };
        out.push(FieldIssue {
            paragraph: p.index.filter(|_| p.field == "body"),
            ..issue(
                &p.field,
                Error,
                format!(
                    "{at}中的“{}”是模板占位内容，尚未填写：请改为实际内容或删去。",
                    p.text
                ),
            )
        });
    }
    let paragraphs = classify_body(&f.body);
    for (i, expected, found) in numbering_gaps(&paragraphs) {
        let level = paragraphs[i].level;
        out.push(FieldIssue {
            paragraph: Some(i as u32),
            ..issue(
                "body",
                Warning,
                format!(
                    "第{}段的序号“{}”不连续，此处应为“{}”。",
                    i + 1,
                    marker(level, found),
                    marker(level, expected)
                ),
            )
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Classification, ClassificationLevel, DocType};
    use chrono::NaiveDate;

    fn complete() -> DocFields {
        DocFields {
            doc_type: DocType::Normative,
            issuing_authority: "某市公安局".into(),
            doc_number: "某公发〔2026〕3号".into(),
            title: "关于规范户籍窗口服务的通知".into(),
            date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
            body: vec![
                "一、总体要求".into(),
                "（一）目标".into(),
                "二、措施".into(),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_draft_has_no_issues() {
        assert_eq!(validate(&complete()), vec![]);
    }

    #[test]
    fn malformed_number_is_an_error_on_its_field() {
        let f = DocFields {
            doc_number: "某公发[2026]3号".into(),
            ..complete()
        };
        let issues = validate(&f);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "doc_number");
        assert_eq!(issues[0].severity, Severity::Error);
        assert!(issues[0].message.contains("六角括号"));
    }

    #[test]
    fn year_mismatch_request_without_signer_and_bad_period() {
        let f = DocFields {
            doc_type: DocType::Request,
            doc_number: "某公发〔2025〕3号".into(),
            classification: Some(Classification {
                level: ClassificationLevel::Secret,
                period: "一年".into(),
            }),
            ..complete()
        };
        let fields: Vec<_> = validate(&f).into_iter().map(|i| i.field).collect();
        assert_eq!(fields, vec!["doc_number", "signers", "classification"]);
    }

    #[test]
    fn numbering_gap_names_the_paragraph() {
        let f = DocFields {
            body: vec!["一、甲".into(), "三、丙".into()],
            ..complete()
        };
        let issues = validate(&f);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].paragraph, Some(1));
        assert!(
            issues[0].message.contains("应为“二、”"),
            "{}",
            issues[0].message
        );
    }
}
