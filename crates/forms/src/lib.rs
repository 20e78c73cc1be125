//! The review forms as print-ready A4 PDFs: 发文稿纸（发文审签单）, 政府信息公开保密审查表 and
//! 政策解读审签表（解读方案）, filled from a document revision and its publication record, with
//! blank boxes for the paper signatures (签发, 会签, 核稿, the review opinions); and the
//! 签名密钥登记表 with which a unit enrols a device's signing key at the 指挥中心.
//!
//! ```no_run
//! # fn demo(data: &gongkai_forms::FormData) -> Result<(), gongkai_forms::FormError> {
//! use gongkai_forms::{render, FormKind};
//! let pdf: Vec<u8> = render(FormKind::Fawen, data)?;
//! # Ok(()) }
//! ```
//!
//! # What is on every page
//! The title (“淄博市公安局发文稿纸”), the form number, the revision number, a short hash (the
//! first 12 hex digits of the revision's content SHA-256), the print time, and a QR code encoding
//! `gongkai:form/v1?kind=<fawen|secrecy|interpretation>&no=<form_no>&doc=<doc_id>&rev=<rev_id>&sha256=<content_sha256>[&pkg=<package_rev_id>]`
//! (values percent-encoded), so a signed paper form can be matched to the exact revision it was
//! printed from. Page numbers “第1页 共N页” are printed when a form runs to more than one page.
//! Rows never get cut: a row that does not fit moves to the next page, and a row taller than a
//! page (a very long reason, many questions) flows on across pages, its label repeated with
//! “（续）”. Signature boxes are never split. One field prints at most 10,000 characters; the
//! rest is replaced by “……（以下省略N字）”.
//!
//! The QR code's dark modules fill 26 mm at the top right (error correction M; a payload with a
//! package is a version-11 code, 0.43 mm per module), which zbar decodes from a 120 dpi scan of
//! the page, so a scanned signed form still leads back to its revision.
//!
//! Nothing here reads the clock: the print time is [`FormData::printed_at`] (shown in Beijing
//! time, UTC+8). The same data renders to the same bytes.
//!
//! # 签名密钥登记表
//! [`render_key_enrolment`] prints the paper half of a key enrolment (the signed JSON request is
//! the other half): the unit, clerk, device, key id, algorithm and creation time, the key's
//! **fingerprint** in large type (16 groups of 4 hex digits, four groups to a line, so that it
//! can be read aloud and compared by eye with the request), the public key in small type, a note
//! that the private key never leaves the PC, and boxes for 申请人, 单位负责人（盖章） and the
//! 指挥中心 checker with 核对结果 □一致 □不一致. Its QR code encodes
//! `gongkai:key/v1?unit=<unit_code>&key=<key_id>&fp=<fingerprint without spaces>` (values
//! percent-encoded like the review forms'). The same layout, header, footer and font as the
//! review forms; the same data gives the same bytes.
//!
//! # Font
//! The forms embed **Noto Serif CJK SC** (宋体-style, like the official documents themselves),
//! licensed under the **SIL Open Font License 1.1**, which allows embedding, modification and
//! redistribution with software (`fonts/OFL.txt`). The committed file `fonts/NotoSerifSC-Forms.otf`
//! (≈2.1 MB) is face 2 of Debian's `NotoSerifCJK-Regular.ttc`, pre-subset with fontTools to
//! printable ASCII + all of GB 2312 + some symbols + ~100 name characters missing from GB 2312 +
//! every character of the shipped seeds (`fonts/make-font.sh` records the exact command). Each PDF
//! then embeds only the glyphs it uses (a few hundred; the test forms are 55–70 KB for 1–3
//! pages, rendered in ≈10 ms in release builds), as a CID-keyed CFF
//! font with a `/ToUnicode` map so that the text can be searched and copied. A character the font
//! lacks (an emoji, a rare character) is printed as 〓, the customary placeholder for a missing
//! character in Chinese typesetting; it is never dropped silently and never fails the render.
//!
//! # Why pdf-writer + subsetter rather than printpdf
//! printpdf 0.12.8 with `default-features = false` (as the issue asks, to avoid the html/azul
//! stack) does not subset at all: its `subset_font` without the `text_layout` feature returns
//! the whole font, and a 3-page test form with this face came out at 1.75 MB with the font
//! embedded whole (`pdffonts`: `sub no`). Subsetting needs `text_layout`, which pulls in
//! azul-core/azul-css/azul-layout and rust-fontconfig. printpdf 0.12 also requires Rust 1.88
//! while the workspace declares 1.85. typst's `pdf-writer` (objects and content streams only) and
//! `subsetter` (made for embedding subset CFF/TrueType fonts in PDFs) are small, have no unsafe
//! code, and give a 3-page form well under 200 KB. Layout (line breaking with the Chinese
//! line-start/line-end rules, table rows, pagination) is done here, in the `layout` and `text` modules.

mod font;
mod forms;
mod layout;
mod pdf;
mod qr;
mod text;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Ground;
/// The core types a [`FormData`] is made of, re-exported for callers.
pub use gongkai_core::{Disclosure, DocFields, Package, SecrecyReview};
use serde::{Deserialize, Serialize};

/// Which of the three forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 发文稿纸 / 发文审签单.
    Fawen,
    /// 政府信息公开保密审查表.
    Secrecy,
    /// 政策解读审签表（解读方案）.
    Interpretation,
}

impl FormKind {
    /// Every kind, in the order the forms travel.
    pub const ALL: [FormKind; 3] = [FormKind::Fawen, FormKind::Secrecy, FormKind::Interpretation];

    /// The short Chinese name: 发文稿纸, 保密审查表, 解读审签表.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::Fawen => "发文稿纸",
            FormKind::Secrecy => "保密审查表",
            FormKind::Interpretation => "解读审签表",
        }
    }

    /// The title printed after the organisation's name, e.g. 政府信息公开保密审查表.
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Fawen => "发文稿纸",
            FormKind::Secrecy => "政府信息公开保密审查表",
            FormKind::Interpretation => "政策解读审签表",
        }
    }

    /// The stable code used on the command line and in the QR payload.
    pub fn code(self) -> &'static str {
        match self {
            FormKind::Fawen => "fawen",
            FormKind::Secrecy => "secrecy",
            FormKind::Interpretation => "interpretation",
        }
    }

    /// Accepts the code (`fawen`, `secrecy`, `interpretation`), the short name (发文稿纸,
    /// 保密审查表, 解读审签表) or the full title (发文审签单, 政府信息公开保密审查表, 政策解读审签表,
    /// 解读方案).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let alias = |k: FormKind| -> &'static [&'static str] {
            match k {
                FormKind::Fawen => &["发文审签单"],
                FormKind::Secrecy => &[],
                FormKind::Interpretation => &["解读方案"],
            }
        };
        Self::ALL.into_iter().find(|k| {
            k.code().eq_ignore_ascii_case(s)
                || k.label() == s
                || k.title() == s
                || alias(*k).contains(&s)
        })
    }
}

/// One legal ground of a 不予公开/部分公开 decision, as printed: 涉及个人隐私（第十五条）.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LegalGround {
    /// The ground's label from the regulation dataset, e.g. 涉及个人隐私.
    pub label: String,
    /// The article, e.g. 第十五条.
    pub article: String,
}

impl From<&Ground> for LegalGround {
    fn from(g: &Ground) -> Self {
        LegalGround {
            label: g.label.clone(),
            article: g.article.clone(),
        }
    }
}

/// A 签发 already recorded in the app; printed in the 签发 box above the space for the signature.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Signoff {
    pub signer: String,
    /// As recorded, e.g. `2026-03-05`.
    pub date: String,
    pub opinion: String,
}

/// Everything a form prints. Text fields may be empty (a blank is printed) and may hold any
/// characters; only the identifiers in the QR code are checked (see [`FormError`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FormData {
    /// The organisation in the title, e.g. 淄博市公安局 (falls back to the 发文机关).
    pub org_name: String,
    /// 拟稿单位 / 承办单位 / 解读责任单位, e.g. 治安支队.
    pub unit_name: String,
    /// 拟稿人 / 承办人: the clerk printing the form.
    pub clerk_name: String,
    /// 联系电话 of the clerk (an office line); blank to fill in by hand.
    pub contact_phone: String,
    /// 拟稿日期; blank to fill in by hand.
    pub drafted_on: Option<NaiveDate>,
    /// When the form is printed (passed in, never read from the clock).
    pub printed_at: DateTime<Utc>,
    /// The form's own number, e.g. `FW-2026-0012` (at most 64 characters).
    pub form_no: String,
    pub doc_id: String,
    pub rev_id: String,
    /// 1 for the first revision.
    pub rev_no: u32,
    /// SHA-256 of the revision's content, 64 hex digits ([`DocFields::content_hash`]).
    pub content_sha256: String,
    pub fields: DocFields,
    pub disclosure: Option<Disclosure>,
    /// The grounds of `disclosure.grounds`, resolved from the law dataset.
    pub ground_labels: Vec<LegalGround>,
    /// The catalogue path of `disclosure.catalog_item`, e.g. 政策法规/政策文件.
    pub catalog_path: Option<String>,
    pub package: Option<Package>,
    pub package_rev_id: Option<String>,
    pub package_rev_no: Option<u32>,
    /// The recorded 保密审查 of this revision (pass it only when it was recorded for `rev_id`).
    pub secrecy: Option<SecrecyReview>,
    /// Redactions by kind (kind label, count); `None` when de-identification has not been run,
    /// `Some(vec![])` when it found nothing.
    pub deid_counts: Option<Vec<(String, u32)>>,
    /// 会签 units, one signature row each; empty prints one blank 会签 row.
    pub countersign_units: Vec<String>,
    /// The recorded 签发, if any.
    pub signoff: Option<Signoff>,
}

/// Why a form cannot be rendered. Messages are Chinese and say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// An identifier for the QR code is empty.
    #[error("{0}为空，无法生成核验二维码，请先保存文档后再打印。")]
    Missing(&'static str),
    /// An identifier is too long for the QR code.
    #[error("{what}过长（不超过{max}个字符），无法生成核验二维码。")]
    TooLong { what: &'static str, max: usize },
    /// The content hash is not a SHA-256 in hex.
    #[error("内容校验值“{0}”不是64位十六进制的SHA-256值，无法将表单与修订版本对应。")]
    BadHash(String),
    /// The embedded font could not be read or subset (a broken build).
    #[error("内置字体处理失败（{0}），请重新安装本程序。")]
    Font(String),
    /// The QR code could not be built.
    #[error("核验二维码生成失败（{0}）。")]
    Qr(String),
    /// A key identifier for the 签名密钥登记表's QR code is empty.
    #[error("{0}为空，无法生成核验二维码，请先生成签名密钥后再打印登记表。")]
    KeyMissing(&'static str),
}

/// Everything printed on the 签名密钥登记表. Text fields may be empty (a blank is printed) and
/// may hold any characters; `unit_code`, `key_id` and `fingerprint` go into the QR code and must
/// not be empty (see [`FormError::KeyMissing`], [`FormError::TooLong`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEnrolmentData {
    /// The organisation in the title, e.g. 淄博市公安局.
    pub org_name: String,
    /// The unit the key signs for, e.g. 治安支队.
    pub unit_name: String,
    /// Its code, e.g. `zazd` (at most 64 characters).
    pub unit_code: String,
    /// The clerk asking for the key.
    pub clerk_name: String,
    /// The device (clerk PC) that holds the private key.
    pub device_id: String,
    /// The key id, 16 uppercase hex digits (at most 64 characters).
    pub key_id: String,
    /// As shown to people, e.g. `Ed25519（minisign）` or `SM2/SM3（国密）`.
    pub algorithm_label: String,
    /// 16 groups of 4 hex digits separated by spaces (at most 128 characters without the
    /// spaces). Printed four groups to a line; a fingerprint given without spaces is grouped
    /// by fours when it is all hex digits.
    pub fingerprint: String,
    /// The public key: a minisign base64 line or an SM2 PEM (several lines); printed small and
    /// broken anywhere.
    pub public_key: String,
    /// When the key was generated (shown in Beijing time).
    pub created_at: DateTime<Utc>,
    /// When the form is printed (passed in, never read from the clock; shown in Beijing time).
    pub printed_at: DateTime<Utc>,
    /// The form's own number (printed, not in the QR code).
    pub form_no: String,
}

/// The text a form's QR code encodes, as a scanner reads it back (see the crate docs).
pub fn qr_payload(kind: FormKind, data: &FormData) -> Result<String, FormError> {
    qr::payload(kind, data)
}

/// The short hash printed on every page: the first 12 hex digits of the content SHA-256.
pub fn short_hash(data: &FormData) -> Result<String, FormError> {
    qr::short_hash(data)
}

/// Renders one form as a PDF (A4, one or more pages).
pub fn render(kind: FormKind, data: &FormData) -> Result<Vec<u8>, FormError> {
    let payload = qr::payload(kind, data)?;
    let matrix = qr::Matrix::encode(&payload)?;
    let font = font::Font::embedded()?;
    let rows = forms::rows(kind, data);
    let pages = layout::paginate(&font, &rows, &layout::Frame::a4());
    pdf::write(&font, kind, data, &matrix, &pages)
}

/// One unit's line of the duty summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutySummaryUnit {
    pub unit_name: String,
    pub overdue: u32,
    pub stale: u32,
    pub due: u32,
    pub done: u32,
    /// The titles of what is overdue or stale.
    pub late_items: Vec<String>,
}

/// The duty board summarised per unit, for the leaders' meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutySummaryData {
    /// The organisation in the title, e.g. 淄博市公安局.
    pub org_name: String,
    /// `2026` or `2026-Q3`.
    pub period: String,
    /// The day the board stood on (YYYY-MM-DD).
    pub on: String,
    pub units: Vec<DutySummaryUnit>,
    pub printed_at: DateTime<Utc>,
}

/// Renders the duty summary (政务公开职责落实情况汇总表) as an A4 PDF: one page for a bureau's
/// units unless their overdue lists are very long.
pub fn render_duty_summary(data: &DutySummaryData) -> Result<Vec<u8>, FormError> {
    let payload = format!(
        "gongkai:duties/v1?period={}&on={}",
        data.period.trim(),
        data.on.trim()
    );
    let matrix = qr::Matrix::encode(&payload)?;
    let font = font::Font::embedded()?;
    let rows = forms::duty_summary::rows(data);
    let pages = layout::paginate(&font, &rows, &layout::Frame::a4());
    pdf::write_sheet(
        &font,
        &forms::duty_summary::sheet(data, &payload, &matrix),
        &pages,
    )
}

/// Renders the 签名密钥登记表 as a PDF (A4; one page unless a field is extremely long).
pub fn render_key_enrolment(data: &KeyEnrolmentData) -> Result<Vec<u8>, FormError> {
    let payload = qr::key_payload(data)?;
    let matrix = qr::Matrix::encode(&payload)?;
    let font = font::Font::embedded()?;
    let rows = forms::key_enrolment::rows(data);
    let pages = layout::paginate(&font, &rows, &layout::Frame::a4());
    pdf::write_sheet(
        &font,
        &forms::key_enrolment::sheet(data, &payload, &matrix),
        &pages,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_both_languages() {
        for k in FormKind::ALL {
            assert_eq!(FormKind::parse(k.code()), Some(k));
            assert_eq!(FormKind::parse(k.label()), Some(k));
            assert_eq!(FormKind::parse(k.title()), Some(k));
        }
        assert_eq!(FormKind::parse(" 发文稿纸 "), Some(FormKind::Fawen));
        assert_eq!(FormKind::parse("保密审查表"), Some(FormKind::Secrecy));
        assert_eq!(
            FormKind::parse("解读审签表"),
            Some(FormKind::Interpretation)
        );
        assert_eq!(FormKind::parse("SECRECY"), Some(FormKind::Secrecy));
        assert_eq!(FormKind::parse("发文审签单"), Some(FormKind::Fawen));
        assert_eq!(FormKind::parse("报告"), None);
        assert_eq!(FormKind::parse(""), None);
    }
}
