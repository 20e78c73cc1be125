//! The 政府信息公开申请答复书 (reply to an application for disclosure) as GB/T 9704 .docx: title,
//! number, the applicant, what was asked and when, the finding, the legal ground quoted from the
//! regulation, the remedy with its time limits, and the unit with the date. It names the
//! applicant: it is written only for that applicant and never enters a bundle.

use super::policy::body_paragraph;
use super::{
    blank, cn_date, exact, pack, page_setup, para, run, ExportError, FS, LINE_TWIPS, SIZE_2,
    SIZE_3, XBS,
};
use chrono::NaiveDate;
use docx_rs::{AlignmentType, Docx, Paragraph};

/// What the letter says.
#[derive(Debug, Clone)]
pub struct ReplyLetter<'a> {
    pub unit_name: &'a str,
    /// e.g. 治安支队依申请公开答复〔2026〕3号.
    pub number: &'a str,
    /// The applicant's name (or organisation), as they wrote it.
    pub applicant: &'a str,
    pub received: NaiveDate,
    pub content: &'a str,
    /// What the reply decides ([`gongkai_core::request::ReplyTemplates::finding`]).
    pub finding: &'a str,
    /// The article relied on (e.g. 第三十六条第（四）项) and its text.
    pub article: &'a str,
    pub article_text: &'a str,
    pub remedy: &'a str,
    pub date: NaiveDate,
}

fn right(text: &str) -> Paragraph {
    para()
        .align(AlignmentType::Right)
        .add_run(run(text, FS, SIZE_3))
}

/// The letter as .docx.
pub fn export_reply_letter(l: &ReplyLetter<'_>) -> Result<Vec<u8>, ExportError> {
    let mut d = page_setup(Docx::new(), Some(l.date));
    d = d.add_paragraph(
        exact(Paragraph::new(), LINE_TWIPS * 2)
            .align(AlignmentType::Center)
            .add_run(run("政府信息公开申请答复书", XBS, SIZE_2)),
    );
    d = d.add_paragraph(
        para()
            .align(AlignmentType::Center)
            .add_run(run(l.number, FS, SIZE_3)),
    );
    d = d.add_paragraph(blank());
    let who = if l.applicant.trim().is_empty() {
        "申请人"
    } else {
        l.applicant.trim()
    };
    d = d.add_paragraph(para().add_run(run(&format!("{who}："), FS, SIZE_3)));
    d = d.add_paragraph(body_paragraph(&format!(
        "本机关于{}收到您提出的政府信息公开申请，申请获取“{}”。经研究，现答复如下：",
        cn_date(l.received),
        l.content.trim()
    )));
    d = d.add_paragraph(body_paragraph(l.finding));
    if !l.article.is_empty() {
        let quoted = if l.article_text.is_empty() {
            String::new()
        } else {
            format!("“{}”", l.article_text.trim())
        };
        d = d.add_paragraph(body_paragraph(&format!(
            "依据：《中华人民共和国政府信息公开条例》{}{quoted}。",
            l.article
        )));
    }
    d = d.add_paragraph(body_paragraph(l.remedy));
    d = d.add_paragraph(blank());
    d = d.add_paragraph(blank());
    d = d.add_paragraph(right(l.unit_name));
    d = d.add_paragraph(right(&cn_date(l.date)));
    pack(d)
}
