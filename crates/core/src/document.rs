//! A policy document's content: its GB/T 9704 elements (the fields a clerk fills in), its type and
//! lifecycle status, and the content hash that identifies a revision's content.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Version of the [`DocFields`] JSON layout stored in each revision.
pub const CONTENT_SCHEMA: u32 = 1;

/// The kind of document; decides which elements are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// 行政规范性文件
    #[default]
    Normative,
    /// 其他政策文件
    Policy,
    /// 通知
    Notice,
    /// 请示 (上行文)
    Request,
    /// 报告 (上行文)
    Report,
}

impl DocType {
    /// The Chinese name shown to the clerk.
    pub fn label(self) -> &'static str {
        match self {
            DocType::Normative => "规范性文件",
            DocType::Policy => "政策文件",
            DocType::Notice => "通知",
            DocType::Request => "请示",
            DocType::Report => "报告",
        }
    }

    /// 上行文 carry 签发人 in the 版头 (GB/T 9704 7.2.6).
    pub fn needs_signer(self) -> bool {
        matches!(self, DocType::Request | DocType::Report)
    }
}

/// 密级 (GB/T 9704 7.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ClassificationLevel {
    /// 秘密
    Secret,
    /// 机密
    Confidential,
    /// 绝密
    TopSecret,
}

impl ClassificationLevel {
    /// 秘密 / 机密 / 绝密.
    pub fn label(self) -> &'static str {
        match self {
            ClassificationLevel::Secret => "秘密",
            ClassificationLevel::Confidential => "机密",
            ClassificationLevel::TopSecret => "绝密",
        }
    }
}

/// 密级和保密期限, e.g. 机密★1年.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Classification {
    pub level: ClassificationLevel,
    /// 保密期限 as written, e.g. `1年` or `6个月`; empty when not set.
    #[serde(default)]
    pub period: String,
}

/// 紧急程度 (GB/T 9704 7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 特急
    Extra,
    /// 加急
    Urgent,
}

/// Where a document is in its life. Later stages are set by the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// 起草中
    #[default]
    Draft,
    /// 审签中
    InReview,
    /// 已签发
    Signed,
    /// 已报送
    Submitted,
    /// 已退文
    Returned,
    /// 已公开
    Published,
}

impl DocStatus {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Draft => "起草中",
            DocStatus::InReview => "审签中",
            DocStatus::Signed => "已签发",
            DocStatus::Submitted => "已报送",
            DocStatus::Returned => "已退文",
            DocStatus::Published => "已公开",
        }
    }

    /// The stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Draft => "draft",
            DocStatus::InReview => "in_review",
            DocStatus::Signed => "signed",
            DocStatus::Submitted => "submitted",
            DocStatus::Returned => "returned",
            DocStatus::Published => "published",
        }
    }

    /// The inverse of [`DocStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [
            DocStatus::Draft,
            DocStatus::InReview,
            DocStatus::Signed,
            DocStatus::Submitted,
            DocStatus::Returned,
            DocStatus::Published,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// Everything a clerk writes in a policy document: the GB/T 9704 elements and the body.
///
/// This is the content of a revision. Drafts may be incomplete: [`crate::validate`] says what is
/// missing or malformed, but saving never refuses a draft.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct DocFields {
    pub doc_type: DocType,
    /// 发文机关 (署名 and the basis of the 发文机关标志).
    pub issuing_authority: String,
    /// 发文字号 as typed; see [`crate::DocNumber`].
    pub doc_number: String,
    /// 标题
    pub title: String,
    /// 主送机关
    pub main_recipients: String,
    /// 抄送机关
    pub cc: String,
    /// 密级和保密期限
    pub classification: Option<Classification>,
    /// 紧急程度
    pub urgency: Option<Urgency>,
    /// 成文日期
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub date_written: Option<NaiveDate>,
    /// 签发人 (上行文)
    pub signers: Vec<String>,
    /// 附件说明: one attachment name per entry.
    pub attachments: Vec<String>,
    /// 附注
    pub notes: String,
    /// 正文, one entry per paragraph.
    pub body: Vec<String>,
}

impl DocFields {
    /// SHA-256 of the canonical JSON of the content (field order is the struct's), lowercase hex.
    pub fn content_hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }

    /// What will be published, one field or paragraph per line: the title, every body paragraph,
    /// every attachment name, then the 附注. De-identification scans this text; line breaks inside
    /// a field become spaces so that offsets stay one character for one.
    pub fn publish_text(&self) -> String {
        let mut lines: Vec<String> =
            Vec::with_capacity(self.body.len() + self.attachments.len() + 2);
        lines.push(self.title.replace(['\n', '\r'], " "));
        lines.extend(self.body.iter().map(|p| p.replace(['\n', '\r'], " ")));
        lines.extend(
            self.attachments
                .iter()
                .map(|p| p.replace(['\n', '\r'], " ")),
        );
        lines.push(self.notes.replace(['\n', '\r'], " "));
        lines.join("\n")
    }

    /// These fields with the published parts taken from `text` (as made by
    /// [`DocFields::publish_text`] and then redacted); `None` if the line count does not match.
    pub fn with_publish_text(&self, text: &str) -> Option<DocFields> {
        let lines: Vec<&str> = text.split('\n').collect();
        if lines.len() != self.body.len() + self.attachments.len() + 2 {
            return None;
        }
        let mut out = self.clone();
        out.title = lines[0].to_string();
        let (body, rest) = lines[1..].split_at(self.body.len());
        let (attachments, notes) = rest.split_at(self.attachments.len());
        out.body = body.iter().map(|s| s.to_string()).collect();
        out.attachments = attachments.iter().map(|s| s.to_string()).collect();
        out.notes = notes[0].to_string();
        Some(out)
    }

    /// The searchable text: title, number, recipients, notes and body, one per line.
    pub fn search_text(&self) -> String {
        let mut parts: Vec<&str> = vec![
            &self.doc_number,
            &self.issuing_authority,
            &self.main_recipients,
            &self.cc,
            &self.notes,
        ];
        parts.extend(self.attachments.iter().map(String::as_str));
        parts.extend(self.body.iter().map(String::as_str));
        parts.retain(|p| !p.trim().is_empty());
        parts.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_changes_with_content_only() {
        let mut a = DocFields {
            title: "关于加强政务公开工作的通知".into(),
            ..Default::default()
        };
        let h1 = a.content_hash();
        assert_eq!(h1.len(), 64);
        assert_eq!(a.clone().content_hash(), h1);
        a.body.push("一、总体要求".into());
        assert_ne!(a.content_hash(), h1);
    }

    #[test]
    fn publish_text_round_trips() {
        let f = DocFields {
            title: "关于\n通知".into(),
            body: vec!["一、甲".into(), "".into(), "乙".into()],
            attachments: vec!["附件一".into()],
            notes: "（此件公开发布）".into(),
            ..Default::default()
        };
        let t = f.publish_text();
        assert_eq!(t, "关于 通知\n一、甲\n\n乙\n附件一\n（此件公开发布）");
        let back = f.with_publish_text(&t.replace('甲', "某")).unwrap();
        assert_eq!(back.body[0], "一、某");
        assert_eq!(back.notes, f.notes);
        assert!(f.with_publish_text("only one line").is_none());
        let empty = DocFields::default();
        assert_eq!(
            empty.with_publish_text(&empty.publish_text()).unwrap(),
            empty
        );
    }

    #[test]
    fn status_round_trips() {
        for s in [
            "draft",
            "in_review",
            "signed",
            "submitted",
            "returned",
            "published",
        ] {
            assert_eq!(DocStatus::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(DocStatus::parse("nope"), None);
    }

    #[test]
    fn old_json_without_new_fields_still_loads() {
        let f: DocFields = serde_json::from_str(r#"{"title":"标题"}"#).unwrap();
        assert_eq!(f.title, "标题");
        assert!(f.body.is_empty());
    }
}
