//! .docx import: reads a clerk's Word draft into [`DocFields`] and says what it left out.
//!
//! # What is read
//! - Paragraph text as it reads **with all tracked changes accepted**: `w:ins` text is kept,
//!   `w:del`/`w:delText`/`w:moveFrom` content is never read into the output, a deleted paragraph
//!   mark joins the paragraph with the next one. Field instructions (`w:instrText`) are dropped and
//!   field results kept. Hidden runs (`w:vanish`, direct or through character/paragraph styles)
//!   are dropped and counted.
//! - Heading levels, in this order: a typed marker (`一、`/`（一）`/`1.`/`（1）`, as
//!   [`classify_paragraph`] sees it); automatic numbering (`w:numPr` + numbering.xml: the marker is
//!   rendered from `lvlText`/`numFmt`, e.g. `chineseCounting` + `%1、` → `一、`, and written into the
//!   text); the paragraph style (Heading 1–4 / 标题 1–4 / outline level, following `basedOn`),
//!   in which case the canonical marker with a running number is added so that
//!   [`classify_paragraph`] sees the same level (and a notice says so).
//! - The GB/T 9704 elements around the body: 份号, 密级★期限, 紧急程度, 发文机关标志 (`…文件`),
//!   发文字号 (`代字〔YYYY〕N号`, also with other brackets so that validation can name the mistake)
//!   and 签发人 before the title; the title (Title style, centred, or ≥ 18 pt unless in a heading
//!   style, or an unformatted line ending in a 文种 such as `…的通知`; consecutive centred lines
//!   are joined); 主送机关 (the line right after the title ending in `：`); after the body
//!   附件说明 (`附件：1.…` and the numbered lines below it), 署名 + 成文日期 (`2026年3月5日` or
//!   `二〇二六年三月五日` on its own line, signed or closing the document — a bare date inside
//!   the body does not count), 附注 (`（…）` after the date, or any `（此件…）` line), and in the
//!   版记 `抄送：…` (also inside a table) and the `…印发` line. The 文种 is set only when the
//!   title ends in 通知 / 请示 (or 报告 with a 签发人); otherwise the default stays.
//! - Text: one body entry per paragraph, trimmed (indentation is formatting); `w:tab` becomes
//!   `\t`, a line break `\n`; empty paragraphs are dropped.
//! - Tables: every table as rows of cell text in [`Imported::tables`] (paragraphs in a cell joined
//!   with `\n`); a table inside the body goes into [`DocFields::tables`] where it stands (before
//!   the body paragraph that followed it), with its merged cells, column widths and vertical
//!   centring. A row that is page layout (one cell holding a stretch of the document) is
//!   unwrapped into body paragraphs; tables nested in it stay tables.
//! - Text boxes and shapes, where Word and WPS templates keep the 发文机关标志 and the 版记: the
//!   `w:txbxContent` of a DrawingML shape (its VML copy in mc:Fallback is not read twice), of a
//!   VML `v:textbox`, and the string of VML WordArt (`v:textpath`), each paragraph read where the
//!   shape is anchored. Nothing else inside a drawing is read (chart or picture text).
//! - Images are listed ([`ImageInfo`]: name, media type, size), never imported.
//!
//! # The format, and nothing made up
//! The recogniser (`recognise`) works on the parsed lines, never on XML. It tells the GB/T 9704
//! format from the 标志 (`…文件`, `…令`, `…纪要`, `…公告`/`…通告`, the name alone with a number
//! at the right or a `…函` title for 信函格式), reads every issuer of a 联合行文 from the 标志 or
//! the stacked 落款 (主办机关 first, `（此页无正文）` dropped with a notice), a 令's signatory, a
//! 纪要's issuer and date from its head, and the 版记's 印发机关 and 印发日期. What the source
//! does not give stays empty and the notices name it; template placeholders (`XX`, `□□□`,
//! `[此处输入…]`) are kept where they stand, so that validation and the sign-off gate see them.
//!
//! Anything visible that is not mapped to a field or the body (unrecognised lines before the
//! title, what follows the 成文日期/附注 — usually attachment pages) is kept in
//! [`Imported::outside_body`], so nothing is lost silently.
//!
//! # What is left out
//! Comments, tracked changes (their deleted side), hidden text, footnotes/endnotes, headers and
//! footers, embedded objects, images and document properties (author, company, last
//! modified by, …) are not imported; [`LeftOut::message`] tells the clerk in Chinese, e.g.
//! `已忽略：3 条批注、2 处修订、1 处隐藏文字、文档属性（作者、单位、最后修改人）`. The values of
//! properties, comments and deleted text are never read into the result.
//!
//! # Bad files
//! Every refusal is an [`ImportError`] with a stable [`ImportError::code`] and a Chinese message
//! saying what to do next. The size is checked before anything is parsed ([`import_path`] checks
//! the file's length before reading it); zip entries are counted from the end-of-central-directory
//! record before the directory is loaded; declared and actual uncompressed sizes are checked
//! against [`Limits`] while streaming. OLE files are told apart: an `EncryptedPackage` stream is a
//! password-protected .docx, a `WordDocument` stream is a legacy .doc (an encrypted one, by its
//! FIB flag, is reported as password-protected). Import never writes anything and never panics;
//! as a last guard the whole import runs under `catch_unwind` (a caught panic would be reported
//! as `corrupt`; the property tests count panics through a hook, so one would still fail them).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use gongkai_core::body::format_cn_number;
use gongkai_core::{
    classify_paragraph, BodyTable, Classification, ClassificationLevel, DocFields, DocFormat,
    DocType, ParagraphLevel, TableCell, Urgency,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use regex::Regex;
use serde::Serialize;

mod body;
mod numbering;
mod ole;
mod package;
mod parts;
mod read;
mod recognise;
mod styles;
mod xml;

use {
    body::*, numbering::*, ole::*, package::*, parts::*, read::*, recognise::*, styles::*, xml::*,
};

/// Files larger than this (50 MiB) are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// The most bytes all decompressed parts together may declare or yield (200 MiB).
pub const MAX_TOTAL_UNCOMPRESSED: u64 = 200 * 1024 * 1024;
/// The highest compression ratio accepted for an entry larger than [`RATIO_FLOOR`].
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this (1 MiB) are not held to [`MAX_RATIO`].
pub const RATIO_FLOOR: u64 = 1024 * 1024;
/// The most entries a .docx may hold.
pub const MAX_ENTRIES: u64 = 10_000;

/// The limits import enforces; [`Limits::default`] uses the constants of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of declared (and actually decompressed) sizes, in bytes.
    pub max_total_uncompressed: u64,
    /// Highest uncompressed/compressed ratio of an entry larger than `ratio_floor`.
    pub max_ratio: u64,
    /// Size below which the ratio is not checked.
    pub ratio_floor: u64,
    /// Most zip entries.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_total_uncompressed: MAX_TOTAL_UNCOMPRESSED,
            max_ratio: MAX_RATIO,
            ratio_floor: RATIO_FLOOR,
            max_entries: MAX_ENTRIES,
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// Why a file was refused. `Display` is the Chinese message for the clerk; [`ImportError::code`]
/// is stable (append-only) for callers to match on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is over [`Limits::max_file_bytes`].
    #[error("文件太大（{} MB），超过了 {} MB 的导入上限。请删除文中过大的图片，或把文件拆分后再导入。", mib(*size), mib(*limit))]
    TooLarge { size: u64, limit: u64 },
    /// Neither a zip (.docx) nor an OLE file: a text file, RTF, PDF, …
    #[error(
        "这不是 Word（.docx）文件，无法导入。请在 Word 或 WPS 中打开它，另存为 .docx 后再导入。"
    )]
    NotZip,
    /// A legacy binary Word document (OLE with a `WordDocument` stream).
    #[error("这是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入。")]
    LegacyDoc,
    /// A password-protected document (OLE with an `EncryptedPackage` stream, an encrypted .doc,
    /// or encrypted zip entries).
    #[error("文件设置了打开密码，无法导入。请在 Word 或 WPS 中输入密码打开，取消密码后另存为 .docx，再导入。")]
    Encrypted,
    /// Declared or actual decompressed sizes are beyond the limits.
    #[error("文件解压后的内容异常庞大（疑似恶意构造的压缩包），已拒绝导入。请确认文件来源；确需导入时，请在 Word 或 WPS 中打开并另存为新的 .docx 后再试。")]
    ZipBomb,
    /// More zip entries than [`Limits::max_entries`].
    #[error("文件内部的部件过多（{count} 个，上限 {limit} 个），已拒绝导入。请在 Word 或 WPS 中打开并另存为 .docx 后再导入。")]
    TooManyEntries { count: u64, limit: u64 },
    /// A zip without the main document part.
    #[error("压缩包中没有 Word 正文（word/document.xml），它不是 Word 文档。请确认选择的是 .docx 文件。")]
    NoDocument,
    /// A part needed for the content is not well-formed XML.
    #[error("文件内容已损坏（{part} 不是有效的 XML），无法导入。请在 Word 或 WPS 中打开并另存为 .docx 后再导入。")]
    BadXml { part: String },
    /// The zip structure or compressed data cannot be read.
    #[error("文件已损坏（{detail}），无法导入。请在 Word 或 WPS 中打开并另存为 .docx 后再导入。")]
    Corrupt { detail: String },
    /// The file could not be read from disk.
    #[error("无法读取文件（{reason}）。请确认文件存在、没有被其他程序占用，然后再试。")]
    Io { reason: String },
}

impl ImportError {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::TooLarge { .. } => "too_large",
            ImportError::NotZip => "not_zip",
            ImportError::LegacyDoc => "legacy_doc",
            ImportError::Encrypted => "encrypted",
            ImportError::ZipBomb => "zip_bomb",
            ImportError::TooManyEntries { .. } => "too_many_entries",
            ImportError::NoDocument => "no_document",
            ImportError::BadXml { .. } => "bad_xml",
            ImportError::Corrupt { .. } => "corrupt",
            ImportError::Io { .. } => "io",
        }
    }

    fn io(e: &std::io::Error) -> Self {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在",
            std::io::ErrorKind::PermissionDenied => "没有读取权限",
            _ => "读取时出错",
        };
        ImportError::Io {
            reason: reason.to_string(),
        }
    }

    fn corrupt(detail: impl Into<String>) -> Self {
        ImportError::Corrupt {
            detail: detail.into(),
        }
    }

    fn bad_xml(part: &str) -> Self {
        ImportError::BadXml {
            part: part.to_string(),
        }
    }
}

/// Where a body paragraph's level came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelSource {
    /// The marker was typed in the text.
    Typed,
    /// Word's automatic numbering; its marker was written into the text.
    Numbering,
    /// A heading style / outline level; the canonical marker was added to the text.
    Style,
    /// An ordinary paragraph.
    None,
}

/// The level of one entry of [`DocFields::body`] and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BodyLevel {
    /// What [`classify_paragraph`] sees in the imported text.
    pub level: ParagraphLevel,
    pub source: LevelSource,
}

/// An image found in the file (listed, not imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    /// File name inside the package, e.g. `image1.png`.
    pub name: String,
    /// e.g. `image/png`.
    pub media_type: String,
    /// Uncompressed size in bytes, as declared by the package.
    pub size: u64,
}

/// What was not imported. Counts only: never the content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// 批注 (comments).
    pub comments: usize,
    /// 修订: insertions, deletions, moves and formatting changes (the text is taken as if all
    /// were accepted).
    pub revisions: usize,
    /// 隐藏文字: stretches of hidden runs.
    pub hidden: usize,
    /// 脚注 references in the body.
    pub footnotes: usize,
    /// 尾注 references in the body.
    pub endnotes: usize,
    /// Header and footer parts holding text (page-number fields alone do not count).
    pub headers_footers: usize,
    /// 嵌入对象 (OLE objects).
    pub objects: usize,
    /// 图片 (see [`Imported::images`]).
    pub images: usize,
    /// Chinese names of the non-empty document properties, e.g. `作者`, `单位`, `最后修改人`.
    pub properties: Vec<String>,
}

impl LeftOut {
    /// Nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.message().is_none()
    }

    /// `已忽略：3 条批注、2 处修订、1 处隐藏文字、文档属性（作者、单位、最后修改人）`, or `None`.
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        let counted = [
            (self.comments, "条批注"),
            (self.revisions, "处修订"),
            (self.hidden, "处隐藏文字"),
            (self.footnotes, "条脚注"),
            (self.endnotes, "条尾注"),
            (self.headers_footers, "处页眉页脚"),
            (self.objects, "个嵌入对象"),
            (self.images, "张图片"),
        ];
        for (n, what) in counted {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        if !self.properties.is_empty() {
            parts.push(format!("文档属性（{}）", self.properties.join("、")));
        }
        if parts.is_empty() {
            None
        } else {
            Some(format!("已忽略：{}", parts.join("、")))
        }
    }
}

/// The result of importing a .docx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// The document: the recognised GB/T 9704 elements and the body.
    pub fields: DocFields,
    /// One per entry of `fields.body`.
    pub levels: Vec<BodyLevel>,
    /// Every table (also those outside the body): rows of cells.
    pub tables: Vec<Vec<Vec<String>>>,
    /// Images in the package, listed only.
    pub images: Vec<ImageInfo>,
    /// Visible paragraphs that are neither a field nor the body (unrecognised lines before the
    /// title; what follows the 成文日期/附注, usually attachment pages; extra 版记 lines).
    pub outside_body: Vec<String>,
    /// What was not imported.
    pub left_out: LeftOut,
    /// Other things the clerk should check, in Chinese.
    pub notices: Vec<String>,
}

impl Imported {
    /// [`LeftOut::message`].
    pub fn left_out_message(&self) -> Option<String> {
        self.left_out.message()
    }
}

/// Imports a .docx held in memory, with the default [`Limits`].
pub fn import_docx(bytes: &[u8]) -> Result<Imported, ImportError> {
    import_docx_with(bytes, &Limits::default())
}

/// Imports a .docx held in memory.
pub fn import_docx_with(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    guard(|| import_inner(bytes, limits))
}

/// Imports a .docx file with the default [`Limits`]. The size is checked from the file's
/// metadata before it is read.
pub fn import_path(path: &Path) -> Result<Imported, ImportError> {
    import_path_with(path, &Limits::default())
}

/// Imports a .docx file; a file over `limits.max_file_bytes` is refused before it is read.
pub fn import_path_with(path: &Path, limits: &Limits) -> Result<Imported, ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| ImportError::io(&e))?;
    if !meta.is_file() {
        return Err(ImportError::Io {
            reason: "这不是一个文件".into(),
        });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            size: meta.len(),
            limit: limits.max_file_bytes,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| ImportError::io(&e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may have grown since the metadata was read: never read past the limit.
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::io(&e))?;
    import_docx_with(&bytes, limits)
}

/// Runs `f`, turning a panic (a bug in a decoder) into a refusal instead of a crash.
fn guard<T>(f: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(ImportError::corrupt("文件结构异常，无法解析")))
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn import_inner(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(classify_ole(bytes));
    }
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
        return Err(ImportError::NotZip);
    }
    let mut pkg = Package::open(bytes, limits)?;
    read_package(&mut pkg)
}
