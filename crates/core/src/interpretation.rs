//! The interpretation package (政策解读) paired 1:1 with a policy document: who interprets, in
//! which forms, the written sections, the Q&A and the graphics; which sections a document needs;
//! whether the package is complete; and the 形式化解读 check (copying the policy, listing its
//! headings, empty sections, no Q&A).
//!
//! Rules (shared/reference/interpretation-requirements.md): 谁起草、谁解读; 规章、行政规范性文件 and
//! policy documents affecting citizens or enterprises are interpreted; the substance to cover is
//! 核心概念、新旧政策差异、影响范围、管理执行标准及注意事项、惠企利民举措及享受条件 (seed 000 item 5);
//! 杜绝简单摘抄文字、罗列文件小标题等形式化解读 (seed 000).

use crate::body::{classify_paragraph, ParagraphLevel};
use crate::document::{DocFields, DocType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// Version of the [`Package`] JSON layout stored in each package revision.
pub const PACKAGE_SCHEMA: u32 = 1;

/// A form of interpretation (解读形式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum InterpForm {
    /// 文字解读（撰稿解读）
    Text,
    /// 图文解读（图表图解）
    Graphic,
    /// 政策问答
    Qa,
    /// 音视频
    Video,
    /// 在线访谈
    Interview,
    /// 新闻发布会
    PressConference,
}

impl InterpForm {
    /// Every form, in the order shown.
    pub const ALL: [InterpForm; 6] = [
        InterpForm::Text,
        InterpForm::Graphic,
        InterpForm::Qa,
        InterpForm::Video,
        InterpForm::Interview,
        InterpForm::PressConference,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            InterpForm::Text => "文字解读",
            InterpForm::Graphic => "图文解读",
            InterpForm::Qa => "政策问答",
            InterpForm::Video => "音视频解读",
            InterpForm::Interview => "在线访谈",
            InterpForm::PressConference => "新闻发布会",
        }
    }

    /// Forms that are a link to something published elsewhere (video, interview, press conference).
    pub fn is_link(self) -> bool {
        matches!(
            self,
            InterpForm::Video | InterpForm::Interview | InterpForm::PressConference
        )
    }
}

/// A written section of the interpretation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    /// 背景和目的
    Background,
    /// 依据
    Basis,
    /// 主要内容
    MainContent,
    /// 核心概念
    CoreConcepts,
    /// 新旧政策差异
    Changes,
    /// 影响范围
    Scope,
    /// 执行标准及注意事项
    Standards,
    /// 惠企利民举措及享受条件
    Benefits,
}

impl SectionKey {
    /// Every section, in the order of the written interpretation.
    pub const ALL: [SectionKey; 8] = [
        SectionKey::Background,
        SectionKey::Basis,
        SectionKey::MainContent,
        SectionKey::CoreConcepts,
        SectionKey::Changes,
        SectionKey::Scope,
        SectionKey::Standards,
        SectionKey::Benefits,
    ];

    /// The section heading.
    pub fn label(self) -> &'static str {
        match self {
            SectionKey::Background => "背景和目的",
            SectionKey::Basis => "依据",
            SectionKey::MainContent => "主要内容",
            SectionKey::CoreConcepts => "核心概念",
            SectionKey::Changes => "新旧政策差异",
            SectionKey::Scope => "影响范围",
            SectionKey::Standards => "执行标准及注意事项",
            SectionKey::Benefits => "惠企利民举措及享受条件",
        }
    }
}

/// What a document reaches, as declared by the clerk when setting the disclosure attribute; it
/// decides whether an interpretation is needed and which sections are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct Reach {
    /// 对群众和企业权益产生影响.
    pub affects_public: bool,
    /// Replaces or amends an earlier policy (新旧政策差异 must be explained).
    pub replaces_policy: bool,
    /// Carries 惠企利民 measures (their conditions must be explained).
    pub has_benefits: bool,
}

/// Whether a document needs an interpretation package (rule 1 of the interpretation rules):
/// 行政规范性文件 always; a 政策文件 when published proactively or when it affects citizens or
/// enterprises; any other document when it affects citizens or enterprises.
pub fn needs_interpretation(doc_type: DocType, reach: Reach, proactive: bool) -> bool {
    match doc_type {
        DocType::Normative => true,
        DocType::Policy => proactive || reach.affects_public,
        _ => reach.affects_public,
    }
}

/// The sections a document of this type and reach must have.
pub fn required_sections(doc_type: DocType, reach: Reach) -> Vec<SectionKey> {
    use SectionKey::*;
    let mut out = vec![Background, Basis, MainContent];
    if doc_type == DocType::Normative {
        out.push(CoreConcepts);
    }
    if doc_type == DocType::Normative || reach.affects_public {
        out.extend([Scope, Standards]);
    }
    if reach.replaces_policy {
        out.push(Changes);
    }
    if reach.has_benefits {
        out.push(Benefits);
    }
    out.sort();
    out
}

/// One written section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Section {
    pub key: SectionKey,
    pub text: String,
}

/// One question of the 政策问答.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct QaItem {
    pub question: String,
    pub answer: String,
    /// The clause of the policy it explains, e.g. `第三条`.
    pub clause: String,
}

/// An image of the 图文解读; the bytes are stored with the package, addressed by their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Graphic {
    /// SHA-256 of the image bytes, lowercase hex.
    pub sha256: String,
    pub file_name: String,
    /// `image/png` or `image/jpeg`.
    pub media_type: String,
    pub size: u32,
    pub caption: String,
}

/// A link to an interpretation published elsewhere (video, interview, press conference).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct MediaLink {
    pub form: Option<InterpForm>,
    pub title: String,
    pub url: String,
}

/// The interpretation package: the content of one package revision.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct Package {
    /// Title; empty means 关于《文件标题》的政策解读.
    pub title: String,
    /// 解读单位: the drafting unit's id (谁起草、谁解读).
    pub interpreter_unit: String,
    /// 解读人.
    pub interpreter: String,
    /// 联系方式 of the interpreter (published with the text; an office line).
    pub contact: String,
    /// 第一解读人: the unit's principal leader, when they interpret in person.
    pub first_interpreter: String,
    pub forms: Vec<InterpForm>,
    pub sections: Vec<Section>,
    pub qa: Vec<QaItem>,
    pub graphics: Vec<Graphic>,
    pub links: Vec<MediaLink>,
}

impl Package {
    /// The text of a section ("" when absent).
    pub fn section(&self, key: SectionKey) -> &str {
        self.sections
            .iter()
            .find(|s| s.key == key)
            .map_or("", |s| s.text.as_str())
    }

    /// The title as published.
    pub fn display_title(&self, doc_title: &str) -> String {
        if self.title.trim().is_empty() {
            format!("关于《{}》的政策解读", doc_title.trim())
        } else {
            self.title.trim().to_string()
        }
    }

    /// SHA-256 of the canonical JSON of the content, lowercase hex.
    pub fn content_hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }

    /// The parts that will be published as text, each with where it sits.
    pub fn published_parts(&self) -> Vec<(Place, &str)> {
        let mut out: Vec<(Place, &str)> = self
            .sections
            .iter()
            .map(|s| (Place::Section(s.key), s.text.as_str()))
            .collect();
        for (i, q) in self.qa.iter().enumerate() {
            out.push((Place::Question(i as u32), q.question.as_str()));
            out.push((Place::Answer(i as u32), q.answer.as_str()));
        }
        for (i, g) in self.graphics.iter().enumerate() {
            out.push((Place::Caption(i as u32), g.caption.as_str()));
        }
        out
    }
}

/// Where in the package a span lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Place {
    Section(SectionKey),
    Question(u32),
    Answer(u32),
    Caption(u32),
    /// The package as a whole (interpreter, forms).
    Package,
}

/// A span of characters (code points, end exclusive) in one place of the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Span {
    pub place: Place,
    pub start: u32,
    pub end: u32,
}

/// One finding of the package check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PackageIssue {
    /// Stable code: `interpreter_missing`, `forms_missing`, `section_empty`, `qa_missing`,
    /// `qa_incomplete`, `graphic_missing`, `caption_missing`, `link_missing`, `copied_text`,
    /// `headings_only`.
    pub code: String,
    /// An error makes the package incomplete; a warning (形式化解读) is for the clerk to weigh.
    pub blocking: bool,
    pub message: String,
    pub spans: Vec<Span>,
}

/// The result of [`check_package`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PackageCheck {
    /// No blocking issue: the package can travel with the document.
    pub complete: bool,
    pub required_sections: Vec<SectionKey>,
    /// Share of the interpretation's characters found verbatim in the policy in runs of at least
    /// [`COPY_RUN`] characters, 0.0–1.0.
    pub copied_share: f64,
    pub issues: Vec<PackageIssue>,
}

/// The shortest verbatim run counted as copied: 15 characters is longer than any fixed phrase or
/// name an interpretation legitimately repeats (a document title quoted in 《》 is removed first),
/// and short enough to catch copied clauses.
pub const COPY_RUN: usize = 15;

/// Above this share of copied characters the interpretation is flagged as 摘抄. Justification,
/// measured by `copy_share_of_the_fixtures` below: a genuine interpretation that quotes the one
/// condition it explains scores 0.08; the same package with its background and main content pasted
/// from the policy (the other five parts still the clerk's own words) scores 0.58. An explanation
/// may quote the clauses it explains, so up to 40% verbatim is let through; more than that means
/// most of the text is the policy again.
pub const COPY_THRESHOLD: f64 = 0.40;

fn issue(code: &str, blocking: bool, message: impl Into<String>, spans: Vec<Span>) -> PackageIssue {
    PackageIssue {
        code: code.into(),
        blocking,
        message: message.into(),
        spans,
    }
}

/// Characters that do not count when comparing texts (whitespace and punctuation).
fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '【'
                | '】'
                | '—'
                | '…'
                | '·'
        )
}

/// Keeps the meaningful characters of `text` with their positions in it.
fn significant(text: &str) -> Vec<(usize, char)> {
    text.chars()
        .enumerate()
        .filter(|(_, c)| !is_noise(*c))
        .collect()
}

fn windows_of(policy: &[char]) -> HashSet<&[char]> {
    if policy.len() < COPY_RUN {
        return HashSet::new();
    }
    policy.windows(COPY_RUN).collect()
}

/// The spans of `text` that occur verbatim (ignoring punctuation and spaces) in the policy in runs
/// of at least [`COPY_RUN`] characters, and how many meaningful characters they cover.
fn copied_spans(text: &str, windows: &HashSet<&[char]>, place: Place) -> (Vec<Span>, usize, usize) {
    let sig = significant(text);
    let chars: Vec<char> = sig.iter().map(|(_, c)| *c).collect();
    let mut covered = vec![false; chars.len()];
    if chars.len() >= COPY_RUN {
        for i in 0..=chars.len() - COPY_RUN {
            if windows.contains(&chars[i..i + COPY_RUN]) {
                covered[i..i + COPY_RUN].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < covered.len() {
        if covered[i] {
            let s = i;
            while i < covered.len() && covered[i] {
                i += 1;
            }
            // One span per line, so that each highlight stays inside its paragraph.
            let (from, to) = (sig[s].0, sig[i - 1].0 + 1);
            let mut start = from;
            for (pos, c) in text.chars().enumerate().take(to).skip(from) {
                if c == '\n' {
                    if pos > start {
                        spans.push(Span {
                            place,
                            start: start as u32,
                            end: pos as u32,
                        });
                    }
                    start = pos + 1;
                }
            }
            if to > start {
                spans.push(Span {
                    place,
                    start: start as u32,
                    end: to as u32,
                });
            }
        } else {
            i += 1;
        }
    }
    let n = covered.iter().filter(|c| **c).count();
    (spans, n, chars.len())
}

fn strip_heading_marker(text: &str) -> String {
    let p = classify_paragraph(text);
    let rest = match &p.marker {
        Some(m) => text.trim().strip_prefix(m.as_str()).unwrap_or(text.trim()),
        None => text.trim(),
    };
    rest.chars().filter(|c| !is_noise(*c)).collect()
}

/// The document's headings (level 1–4 paragraphs), without their numbering; a heading that runs
/// on into its paragraph (一、总体要求。本办法…) keeps only the part before the first full stop.
fn doc_headings(doc: &DocFields) -> Vec<String> {
    doc.body
        .iter()
        .filter(|p| classify_paragraph(p).level != ParagraphLevel::Body)
        .map(|p| {
            let head = p.split(['。', '：']).next().unwrap_or(p);
            strip_heading_marker(head)
        })
        .filter(|h| h.chars().count() >= 2)
        .collect()
}

/// Checks the package against the document: completeness (blocking) and 形式化解读 (warnings).
pub fn check_package(pkg: &Package, doc: &DocFields, reach: Reach) -> PackageCheck {
    let mut issues = Vec::new();
    let required = required_sections(doc.doc_type, reach);
    if pkg.interpreter_unit.trim().is_empty() || pkg.interpreter.trim().is_empty() {
        issues.push(issue(
            "interpreter_missing",
            true,
            "请填写解读单位和解读人（谁起草、谁解读）。",
            vec![],
        ));
    }
    if pkg.forms.is_empty() {
        issues.push(issue(
            "forms_missing",
            true,
            "请至少选择一种解读形式（文字解读、政策问答、图文解读等）。",
            vec![],
        ));
    }
    for key in &required {
        if pkg.section(*key).trim().is_empty() {
            issues.push(issue(
                "section_empty",
                true,
                format!("“{}”是本文件必须解读的内容，尚未填写。", key.label()),
                vec![Span {
                    place: Place::Section(*key),
                    start: 0,
                    end: 0,
                }],
            ));
        }
    }
    let qa_needed = reach.affects_public || pkg.forms.contains(&InterpForm::Qa);
    let qa_filled: Vec<&QaItem> = pkg
        .qa
        .iter()
        .filter(|q| !q.question.trim().is_empty() || !q.answer.trim().is_empty())
        .collect();
    if qa_needed && qa_filled.is_empty() {
        let why = if reach.affects_public {
            "本文件涉及群众和企业权益，"
        } else {
            "已选择“政策问答”形式，"
        };
        issues.push(issue(
            "qa_missing",
            true,
            format!("{why}请至少编写一组政策问答（问题、回答、所解读的条款）。"),
            vec![],
        ));
    }
    for (i, q) in pkg.qa.iter().enumerate() {
        let i = i as u32;
        if q.question.trim().is_empty() != q.answer.trim().is_empty() {
            let place = if q.question.trim().is_empty() {
                Place::Question(i)
            } else {
                Place::Answer(i)
            };
            issues.push(issue(
                "qa_incomplete",
                true,
                format!(
                    "第{}组问答缺少{}。",
                    i + 1,
                    if q.question.trim().is_empty() {
                        "问题"
                    } else {
                        "回答"
                    }
                ),
                vec![Span {
                    place,
                    start: 0,
                    end: 0,
                }],
            ));
        }
    }
    if pkg.forms.contains(&InterpForm::Graphic) && pkg.graphics.is_empty() {
        issues.push(issue(
            "graphic_missing",
            true,
            "已选择“图文解读”形式，请添加图解图片（或先取消该形式，定稿后联系指挥中心网上公安办公室制作）。",
            vec![],
        ));
    }
    for (i, g) in pkg.graphics.iter().enumerate() {
        if g.caption.trim().is_empty() {
            issues.push(issue(
                "caption_missing",
                true,
                format!("第{}张图解（{}）缺少图片说明。", i + 1, g.file_name),
                vec![Span {
                    place: Place::Caption(i as u32),
                    start: 0,
                    end: 0,
                }],
            ));
        }
    }
    for form in pkg.forms.iter().filter(|f| f.is_link()) {
        if !pkg
            .links
            .iter()
            .any(|l| l.form == Some(*form) && !l.url.trim().is_empty())
        {
            issues.push(issue(
                "link_missing",
                true,
                format!("已选择“{}”形式，请填写其发布地址或安排说明。", form.label()),
                vec![],
            ));
        }
    }

    // 形式化解读: copying.
    let policy: Vec<char> = significant(&doc.body.join("\n"))
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let windows = windows_of(&policy);
    let title_quote = format!("《{}》", doc.title.trim());
    let mut copy_spans = Vec::new();
    let (mut copied, mut total) = (0usize, 0usize);
    for (place, text) in pkg.published_parts() {
        if matches!(place, Place::Question(_) | Place::Caption(_)) {
            continue;
        }
        // A quoted title is a reference, not copying: blank it out position-preservingly.
        let blanked = if doc.title.trim().is_empty() {
            text.to_string()
        } else {
            text.replace(&title_quote, &" ".repeat(title_quote.chars().count()))
        };
        let (spans, c, t) = copied_spans(&blanked, &windows, place);
        copied += c;
        total += t;
        copy_spans.extend(spans);
    }
    let copied_share = if total == 0 {
        0.0
    } else {
        copied as f64 / total as f64
    };
    if copied_share > COPY_THRESHOLD {
        issues.push(issue(
            "copied_text",
            false,
            format!(
                "解读中有{:.0}%的文字与政策原文逐字相同（连续{}字以上），疑似简单摘抄原文。请用通俗的语言解释为什么出台、管什么、怎么办。",
                copied_share * 100.0,
                COPY_RUN
            ),
            copy_spans,
        ));
    }

    // 形式化解读: listing the headings, judged section by section.
    let headings = doc_headings(doc);
    if !headings.is_empty() {
        let mut flagged = Vec::new();
        let mut listed = 0usize;
        for section in &pkg.sections {
            let place = Place::Section(section.key);
            let (mut lines, mut spans) = (0usize, Vec::new());
            let mut offset = 0u32;
            for line in section.text.split('\n') {
                let len = line.chars().count() as u32;
                let core = strip_heading_marker(line);
                if core.chars().count() >= 2 {
                    lines += 1;
                    if headings.iter().any(|h| {
                        core.contains(h.as_str()) && core.chars().count() <= h.chars().count() + 6
                    }) {
                        spans.push(Span {
                            place,
                            start: offset,
                            end: offset + len,
                        });
                    }
                }
                offset += len + 1;
            }
            if spans.len() >= 2 && spans.len() * 2 >= lines {
                listed += spans.len();
                flagged.extend(spans);
            }
        }
        if !flagged.is_empty() {
            issues.push(issue(
                "headings_only",
                false,
                format!(
                    "解读中有{listed}行只是罗列了文件的小标题，属于形式化解读。请逐条说明各项规定的含义和办理方法。"
                ),
                flagged,
            ));
        }
    }

    PackageCheck {
        complete: !issues.iter().any(|i| i.blocking),
        required_sections: required,
        copied_share,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> DocFields {
        DocFields {
            doc_type: DocType::Normative,
            title: "关于进一步优化户籍迁移登记服务的通知".into(),
            body: vec![
                "为进一步深化公安“放管服”改革，方便群众办理户籍迁移，现就有关事项通知如下。".into(),
                "一、放宽投靠落户条件".into(),
                "在本市城区合法稳定居住满一年并缴纳社会保险满六个月的人员，本人及其共同居住生活的配偶、未成年子女可以申请登记常住户口。".into(),
                "二、推行迁移证件网上办理".into(),
                "群众可以通过淄博公安微信公众号或政务服务网提交户籍迁移申请，经审核符合条件的，迁入地公安派出所在五个工作日内办结。".into(),
                "三、规范材料要求".into(),
                "办理户籍迁移时，申请人只需提交居民身份证、居住证明和社会保险缴纳证明，不得要求群众重复提交已经采集的材料。".into(),
            ],
            ..Default::default()
        }
    }

    fn reach() -> Reach {
        Reach {
            affects_public: true,
            ..Default::default()
        }
    }

    fn genuine() -> Package {
        let s = |key, text: &str| Section {
            key,
            text: text.into(),
        };
        Package {
            interpreter_unit: "hzzd".into(),
            interpreter: "李明".into(),
            contact: "0533-1234567".into(),
            forms: vec![InterpForm::Text, InterpForm::Qa],
            sections: vec![
                s(SectionKey::Background, "近年来，来我市就业创业的人员越来越多，不少人反映落户手续多、跑腿多。为让群众少跑腿，市公安局起草了这份通知。"),
                s(SectionKey::Basis, "依据《户口登记条例》和省里关于深化户籍制度改革的部署制定。"),
                s(SectionKey::MainContent, "通知主要讲了三件事：落户门槛降低了，手续能在网上办了，材料减少了。其中规定“合法稳定居住满一年并缴纳社会保险满六个月”即可申请，比原来的三年大大缩短。"),
                s(SectionKey::CoreConcepts, "“合法稳定居住”是指有自有住房或者登记备案的租赁住房。"),
                s(SectionKey::Scope, "适用于在城区居住、工作的外地来淄人员及其家属。"),
                s(SectionKey::Standards, "派出所要在五个工作日内办结，办理时不得要求重复提交材料；群众遇到推诿可拨打12345反映。"),
            ],
            qa: vec![QaItem {
                question: "租房住可以落户吗？".into(),
                answer: "可以。租赁住房经登记备案、居住满一年并交满六个月社保即可。".into(),
                clause: "第一条".into(),
            }],
            ..Default::default()
        }
    }

    fn codes(c: &PackageCheck) -> Vec<&str> {
        c.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn a_genuine_interpretation_is_complete_and_not_flagged() {
        let c = check_package(&genuine(), &policy(), reach());
        assert!(c.complete, "{:?}", c.issues);
        assert!(codes(&c).is_empty(), "{:?}", c.issues);
        assert!(c.copied_share < 0.30, "{}", c.copied_share);
    }

    #[test]
    fn copy_share_of_the_fixtures() {
        // Genuine: quotes one clause fragment → low share.
        let g = check_package(&genuine(), &policy(), reach()).copied_share;
        // Pasted: the main content is three paragraphs of the policy.
        let mut pasted = genuine();
        let body = policy().body;
        pasted.sections[2].text = format!("{}\n{}\n{}", body[2], body[4], body[6]);
        pasted.sections[0].text = body[0].clone();
        let p = check_package(&pasted, &policy(), reach());
        assert!(
            g < COPY_THRESHOLD && p.copied_share > COPY_THRESHOLD,
            "{g} {}",
            p.copied_share
        );
        println!("copied share: genuine {g:.2}, pasted {:.2}", p.copied_share);
        assert!(p.copied_share > 0.5, "{}", p.copied_share);
        let w = p.issues.iter().find(|i| i.code == "copied_text").unwrap();
        assert!(!w.blocking);
        // The spans point at the pasted text in the main-content section.
        let span = w
            .spans
            .iter()
            .find(|s| s.place == Place::Section(SectionKey::MainContent))
            .unwrap();
        let chars: Vec<char> = pasted.sections[2].text.chars().collect();
        let quoted: String = chars[span.start as usize..span.end as usize]
            .iter()
            .collect();
        assert!(body[2].contains(&quoted), "{quoted}");
    }

    #[test]
    fn punctuation_changes_do_not_hide_copying() {
        let mut pkg = genuine();
        let body = policy().body;
        pkg.sections[2].text = body[2].replace('，', " ").replace('、', ",") + &body[4] + &body[6];
        let c = check_package(&pkg, &policy(), reach());
        assert!(codes(&c).contains(&"copied_text"), "{}", c.copied_share);
    }

    #[test]
    fn quoting_the_title_is_not_copying() {
        let mut pkg = genuine();
        pkg.sections[0].text = format!("《{}》出台的背景是群众反映落户难。", policy().title);
        let c = check_package(&pkg, &policy(), reach());
        assert!(c.copied_share < 0.3, "{}", c.copied_share);
    }

    #[test]
    fn listing_the_headings_is_flagged_with_its_lines() {
        let mut pkg = genuine();
        pkg.sections[2].text =
            "一、放宽投靠落户条件\n二、推行迁移证件网上办理\n三、规范材料要求。".into();
        let c = check_package(&pkg, &policy(), reach());
        let w = c.issues.iter().find(|i| i.code == "headings_only");
        let w = w.unwrap_or_else(|| panic!("{:?}", c.issues));
        assert_eq!(w.spans.len(), 3);
        assert_eq!(
            w.spans[1].start,
            "一、放宽投靠落户条件\n".chars().count() as u32
        );
        // Explaining each heading at length is not listing.
        pkg.sections[2].text = "一、放宽投靠落户条件：居住一年、社保半年就能申请，家属可以随迁。\n二、推行迁移证件网上办理：在微信公众号上提交，不用跑派出所。".into();
        let c = check_package(&pkg, &policy(), reach());
        assert!(!codes(&c).contains(&"headings_only"), "{:?}", c.issues);
    }

    #[test]
    fn required_sections_follow_type_and_reach() {
        use SectionKey::*;
        assert_eq!(
            required_sections(DocType::Policy, Reach::default()),
            vec![Background, Basis, MainContent]
        );
        assert_eq!(
            required_sections(DocType::Normative, Reach::default()),
            vec![
                Background,
                Basis,
                MainContent,
                CoreConcepts,
                Scope,
                Standards
            ]
        );
        let all = Reach {
            affects_public: true,
            replaces_policy: true,
            has_benefits: true,
        };
        assert_eq!(required_sections(DocType::Notice, all).len(), 7);
        assert!(needs_interpretation(
            DocType::Normative,
            Reach::default(),
            false
        ));
        assert!(needs_interpretation(
            DocType::Policy,
            Reach::default(),
            true
        ));
        assert!(!needs_interpretation(
            DocType::Policy,
            Reach::default(),
            false
        ));
        assert!(!needs_interpretation(
            DocType::Notice,
            Reach::default(),
            true
        ));
        assert!(needs_interpretation(DocType::Notice, all, false));
    }

    #[test]
    fn what_makes_a_package_incomplete() {
        let mut pkg = genuine();
        pkg.sections.retain(|s| s.key != SectionKey::Scope);
        pkg.qa.clear();
        pkg.interpreter.clear();
        pkg.forms.push(InterpForm::Graphic);
        pkg.forms.push(InterpForm::Video);
        let c = check_package(&pkg, &policy(), reach());
        assert!(!c.complete);
        assert_eq!(
            codes(&c),
            vec![
                "interpreter_missing",
                "section_empty",
                "qa_missing",
                "graphic_missing",
                "link_missing"
            ]
        );
        let sec = &c.issues[1];
        assert!(sec.message.contains("影响范围"), "{}", sec.message);
        assert_eq!(sec.spans[0].place, Place::Section(SectionKey::Scope));
        // A half-written question.
        let mut pkg = genuine();
        pkg.qa.push(QaItem {
            question: "多久办完？".into(),
            ..Default::default()
        });
        let c = check_package(&pkg, &policy(), reach());
        assert_eq!(codes(&c), vec!["qa_incomplete"]);
        assert_eq!(c.issues[0].spans[0].place, Place::Answer(1));
    }

    #[test]
    fn an_empty_package_for_an_empty_document_does_not_panic() {
        let c = check_package(&Package::default(), &DocFields::default(), Reach::default());
        assert!(!c.complete);
        assert_eq!(c.copied_share, 0.0);
    }

    #[test]
    fn display_title_defaults_to_the_document() {
        assert_eq!(
            Package::default().display_title(" 关于X的通知 "),
            "关于《关于X的通知》的政策解读"
        );
    }
}
