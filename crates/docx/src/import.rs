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
//!   with `\n`); a table inside the body is also put into [`DocFields::body`] where it stands,
//!   one entry per non-empty row, cells separated by a tab (`\t`), line breaks inside a cell
//!   turned into spaces.
//! - Images are listed ([`ImageInfo`]: name, media type, size), never imported.
//!
//! Anything visible that is not mapped to a field or the body (unrecognised lines before the
//! title, what follows the 成文日期/附注 — usually attachment pages) is kept in
//! [`Imported::outside_body`], so nothing is lost silently.
//!
//! # What is left out
//! Comments, tracked changes (their deleted side), hidden text, footnotes/endnotes, headers and
//! footers, text boxes, embedded objects, images and document properties (author, company, last
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
    classify_paragraph, Classification, ClassificationLevel, DocFields, DocType, ParagraphLevel,
    Urgency,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use regex::Regex;
use serde::Serialize;

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
    /// A table row (cells separated by tabs).
    TableRow,
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
    /// 文本框.
    pub text_boxes: usize,
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
            (self.text_boxes, "个文本框"),
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

// ---------------------------------------------------------------------------------------------
// OLE (compound file) containers
// ---------------------------------------------------------------------------------------------

fn classify_ole(bytes: &[u8]) -> ImportError {
    let parsed = catch_unwind(AssertUnwindSafe(|| -> Option<ImportError> {
        let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
        if cf.is_stream("/EncryptedPackage") || cf.is_stream("/EncryptionInfo") {
            return Some(ImportError::Encrypted);
        }
        if cf.is_stream("/WordDocument") {
            // FIB base: the flags word at offset 10; bit 8 is fEncrypted.
            let mut head = [0u8; 12];
            let encrypted = cf
                .open_stream("/WordDocument")
                .ok()
                .and_then(|mut s| s.read_exact(&mut head).ok())
                .is_some()
                && u16::from_le_bytes([head[10], head[11]]) & 0x0100 != 0;
            return Some(if encrypted {
                ImportError::Encrypted
            } else {
                ImportError::LegacyDoc
            });
        }
        Some(ImportError::NotZip)
    }));
    match parsed {
        Ok(Some(e)) => e,
        // The container could not be parsed: fall back to looking for the stream names, which
        // the directory stores in UTF-16LE.
        _ => {
            let has = |name: &str| {
                let pat: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
                bytes.windows(pat.len()).any(|w| w == pat.as_slice())
            };
            if has("EncryptedPackage") {
                ImportError::Encrypted
            } else if has("WordDocument") {
                ImportError::LegacyDoc
            } else {
                ImportError::NotZip
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The zip package
// ---------------------------------------------------------------------------------------------

struct Entry {
    index: usize,
    name: String,
    size: u64,
}

struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → entry (OPC part names are case-insensitive).
    entries: HashMap<String, Entry>,
    /// Bytes that may still be decompressed.
    budget: u64,
    limits: Limits,
}

/// Reads the entry count from the end-of-central-directory record (zip64 aware) without
/// loading the directory.
fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let pos = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .map(|p| p + tail_start)?;
    let eocd = bytes.get(pos..pos + 22)?;
    let count = u16::from_le_bytes([eocd[10], eocd[11]]) as u64;
    if count != 0xFFFF {
        return Some(count);
    }
    let loc = bytes.get(pos.checked_sub(20)?..pos)?;
    if &loc[..4] != b"PK\x06\x07" {
        return Some(count);
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(&loc[8..16]);
    let off = usize::try_from(u64::from_le_bytes(off)).ok()?;
    let rec = bytes.get(off..off.checked_add(56)?)?;
    if &rec[..4] != b"PK\x06\x06" {
        return Some(count);
    }
    let mut n = [0u8; 8];
    n.copy_from_slice(&rec[32..40]);
    Some(u64::from_le_bytes(n))
}

fn zip_error(e: zip::result::ZipError, part: &str) -> ImportError {
    match e {
        zip::result::ZipError::InvalidPassword => ImportError::Encrypted,
        zip::result::ZipError::UnsupportedArchive(msg) if msg.contains("assword") => {
            ImportError::Encrypted
        }
        zip::result::ZipError::UnsupportedArchive(_) => {
            ImportError::corrupt(format!("{part} 使用了不支持的压缩方式"))
        }
        _ => ImportError::corrupt(format!("{part} 的压缩数据无法读取")),
    }
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ImportError> {
        if let Some(count) = declared_entry_count(bytes) {
            if count > limits.max_entries {
                return Err(ImportError::TooManyEntries {
                    count,
                    limit: limits.max_entries,
                });
            }
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| ImportError::corrupt("压缩包目录不完整或已损坏"))?;
        let count = archive.len() as u64;
        if count > limits.max_entries {
            return Err(ImportError::TooManyEntries {
                count,
                limit: limits.max_entries,
            });
        }
        let mut entries = HashMap::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let raw = archive.by_index_raw(index).map(|file| {
                (
                    file.size(),
                    file.compressed_size(),
                    file.name().to_string(),
                    file.is_dir(),
                )
            });
            let Ok((size, compressed, name, is_dir)) = raw else {
                // Its local header is damaged: keep the name so that reading it reports the
                // damage rather than a missing part.
                if let Some(name) = archive.name_for_index(index) {
                    let name = name.trim_start_matches('/').to_string();
                    entries.entry(name.to_lowercase()).or_insert(Entry {
                        index,
                        name,
                        size: 0,
                    });
                }
                continue;
            };
            total = total.saturating_add(size);
            if total > limits.max_total_uncompressed
                || (size > limits.ratio_floor && size > compressed.saturating_mul(limits.max_ratio))
            {
                return Err(ImportError::ZipBomb);
            }
            let name = name.trim_start_matches('/').to_string();
            if is_dir {
                continue;
            }
            entries
                .entry(name.to_lowercase())
                .or_insert(Entry { index, name, size });
        }
        Ok(Package {
            archive,
            entries,
            budget: limits.max_total_uncompressed,
            limits: *limits,
        })
    }

    fn has(&self, name: &str) -> bool {
        self.entries.contains_key(&name.to_lowercase())
    }

    /// The decompressed bytes of a part, `None` if absent. Streams with the caps applied.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let Some(entry) = self.entries.get(&name.to_lowercase()) else {
            return Ok(None);
        };
        let (index, declared) = (entry.index, entry.size);
        let mut file = self
            .archive
            .by_index(index)
            .map_err(|e| zip_error(e, name))?;
        let compressed = file.compressed_size();
        let ratio_cap = compressed
            .saturating_mul(self.limits.max_ratio)
            .max(self.limits.ratio_floor);
        let cap = declared.min(self.budget);
        let mut out = Vec::with_capacity(cap.min(8 * 1024 * 1024) as usize);
        let mut buf = [0u8; 64 * 1024];
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(ImportError::corrupt(format!("{name} 的压缩数据无法读取"))),
            };
            out.extend_from_slice(&buf[..n]);
            let got = out.len() as u64;
            if got > declared || got > self.budget || got > ratio_cap {
                return Err(ImportError::ZipBomb);
            }
        }
        self.budget = self.budget.saturating_sub(out.len() as u64);
        Ok(Some(out))
    }
}

// ---------------------------------------------------------------------------------------------
// XML helpers
// ---------------------------------------------------------------------------------------------

/// The part as UTF-8 text (UTF-16 with a BOM is converted; a UTF-8 BOM is dropped).
fn part_text<'b>(bytes: &'b [u8], part: &str) -> Result<Cow<'b, str>, ImportError> {
    let utf16 = |be: bool| -> Result<Cow<'b, str>, ImportError> {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|_| ImportError::bad_xml(part))
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(false);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(true);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|_| ImportError::bad_xml(part))
}

fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let cfg = r.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    r
}

/// The value of the attribute with this local name.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .take(64)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, b"val")
}

fn val_int(e: &BytesStart<'_>) -> Option<i64> {
    val(e).and_then(|v| v.trim().parse().ok())
}

/// An OOXML on/off property: absent `val` means on.
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(
        val(e).as_deref().map(str::trim),
        Some("0" | "false" | "off" | "none")
    )
}

/// Calls `f` for every start/empty element (with `true` for start) and text, stopping quietly
/// at the first malformed spot: for the parts that are only counted, never imported.
fn scan_lenient(text: &str, mut f: impl FnMut(XmlItem<'_, '_>)) {
    let mut r = reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => f(XmlItem::Start(&e, true)),
            Ok(Event::Empty(e)) => f(XmlItem::Start(&e, false)),
            Ok(Event::End(e)) => f(XmlItem::End(e.local_name().as_ref())),
            Ok(Event::Text(t)) => {
                if let Ok(s) = t.unescape() {
                    f(XmlItem::Text(&s))
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

enum XmlItem<'x, 'y> {
    Start(&'x BytesStart<'y>, bool),
    End(&'x [u8]),
    Text(&'x str),
}

// ---------------------------------------------------------------------------------------------
// Relationships, content types, properties
// ---------------------------------------------------------------------------------------------

struct Rel {
    kind: String,
    target: String,
    external: bool,
}

fn parse_rels(text: &str) -> Vec<Rel> {
    let mut rels = Vec::new();
    scan_lenient(text, |item| {
        if let XmlItem::Start(e, _) = item {
            if e.local_name().as_ref() == b"Relationship" {
                let kind = attr(e, b"Type").unwrap_or_default();
                let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                rels.push(Rel {
                    kind,
                    target: attr(e, b"Target").unwrap_or_default(),
                    external: attr(e, b"TargetMode").is_some_and(|m| m == "External"),
                });
            }
        }
    });
    rels
}

/// Resolves a relationship target against the directory of its source part.
fn resolve_target(dir: &str, target: &str) -> String {
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else if dir.is_empty() {
        target.to_string()
    } else {
        format!("{dir}/{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn dir_of(part: &str) -> &str {
    part.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn rels_part_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((d, f)) => format!("{d}/_rels/{f}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

#[derive(Default)]
struct ContentTypes {
    defaults: HashMap<String, String>,
    overrides: HashMap<String, String>,
}

impl ContentTypes {
    fn parse(text: &str) -> Self {
        let mut ct = ContentTypes::default();
        scan_lenient(text, |item| {
            if let XmlItem::Start(e, _) = item {
                let ty = attr(e, b"ContentType").unwrap_or_default();
                match e.local_name().as_ref() {
                    b"Default" => {
                        if let Some(ext) = attr(e, b"Extension") {
                            ct.defaults.insert(ext.to_lowercase(), ty);
                        }
                    }
                    b"Override" => {
                        if let Some(p) = attr(e, b"PartName") {
                            ct.overrides
                                .insert(p.trim_start_matches('/').to_lowercase(), ty);
                        }
                    }
                    _ => {}
                }
            }
        });
        ct
    }

    fn of(&self, part: &str) -> Option<String> {
        let lower = part.to_lowercase();
        if let Some(t) = self.overrides.get(&lower) {
            return Some(t.clone());
        }
        let ext = lower.rsplit_once('.')?.1;
        self.defaults
            .get(ext)
            .cloned()
            .or_else(|| image_type_by_ext(ext).map(str::to_string))
    }
}

fn image_type_by_ext(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" | "dib" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "emf" => "image/x-emf",
        "wmf" => "image/x-wmf",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "wdp" | "hdp" | "jxr" => "image/vnd.ms-photo",
        "ico" => "image/x-icon",
        _ => return None,
    })
}

/// Chinese names of the non-empty properties in core.xml, app.xml and custom.xml.
fn document_properties(core: Option<&str>, app: Option<&str>, custom: Option<&str>) -> Vec<String> {
    let mut found: HashSet<&'static str> = HashSet::new();
    let mut scan = |text: &str, map: &dyn Fn(&[u8]) -> Option<&'static str>| {
        let mut current: Option<&'static str> = None;
        scan_lenient(text, |item| match item {
            XmlItem::Start(e, start) => {
                current = if start {
                    map(e.local_name().as_ref())
                } else {
                    None
                };
            }
            XmlItem::Text(t) => {
                if let Some(name) = current {
                    if !t.trim().is_empty() {
                        found.insert(name);
                    }
                }
            }
            XmlItem::End(_) => current = None,
        });
    };
    if let Some(core) = core {
        scan(core, &|n| {
            Some(match n {
                b"creator" => "作者",
                b"lastModifiedBy" => "最后修改人",
                b"title" => "标题",
                b"subject" => "主题",
                b"keywords" => "关键词",
                b"description" => "备注",
                b"category" => "类别",
                b"contentStatus" => "状态",
                _ => return None,
            })
        });
    }
    if let Some(app) = app {
        scan(app, &|n| {
            Some(match n {
                b"Company" => "单位",
                b"Manager" => "经理",
                _ => return None,
            })
        });
    }
    if let Some(custom) = custom {
        let mut any = false;
        scan_lenient(custom, |item| {
            if let XmlItem::Start(e, _) = item {
                any |= e.local_name().as_ref() == b"property";
            }
        });
        if any {
            found.insert("自定义属性");
        }
    }
    [
        "作者",
        "单位",
        "最后修改人",
        "经理",
        "标题",
        "主题",
        "关键词",
        "备注",
        "类别",
        "状态",
        "自定义属性",
    ]
    .into_iter()
    .filter(|n| found.contains(n))
    .map(str::to_string)
    .collect()
}

/// Counts `w:comment` elements.
fn count_comments(text: &str) -> usize {
    let mut n = 0;
    scan_lenient(text, |item| {
        if let XmlItem::Start(e, _) = item {
            if e.local_name().as_ref() == b"comment" {
                n += 1;
            }
        }
    });
    n
}

/// Whether a header/footer holds visible text outside fields (a bare page number does not count).
fn header_has_text(text: &str) -> bool {
    let mut in_t = false;
    let mut skip = 0usize;
    let mut fields: Vec<bool> = Vec::new(); // true while in a field's result or instruction
    let mut simple = 0usize;
    let mut found = false;
    scan_lenient(text, |item| match item {
        XmlItem::Start(e, start) => {
            let name = e.local_name();
            let name = name.as_ref();
            if skip > 0 {
                if start {
                    skip += 1;
                }
                return;
            }
            match name {
                b"t" if start => in_t = true,
                b"del" | b"moveFrom" | b"instrText" | b"delText" | b"drawing" | b"pict"
                | b"Fallback"
                    if start =>
                {
                    skip = 1
                }
                b"fldSimple" if start => simple += 1,
                b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                    Some("begin") => fields.push(true),
                    Some("end") => {
                        fields.pop();
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        XmlItem::End(name) => {
            if skip > 0 {
                skip -= 1;
                return;
            }
            match name {
                b"t" => in_t = false,
                b"fldSimple" => simple = simple.saturating_sub(1),
                _ => {}
            }
        }
        XmlItem::Text(t) => {
            // The dashes and spaces around a page number (“— 1 —”, GB/T 9704) are not content.
            let decoration = t
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '—' | '-' | '–' | '第' | '页'));
            if in_t && skip == 0 && fields.is_empty() && simple == 0 && !decoration {
                found = true;
            }
        }
    });
    found
}

// ---------------------------------------------------------------------------------------------
// Styles
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    outline: Option<i64>,
    jc: Option<String>,
    sz: Option<u32>,
    vanish: Option<bool>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
}

/// A style with its `basedOn` chain folded in.
#[derive(Debug, Clone, Default)]
struct Resolved {
    /// 1–9 for a heading level; `Some(0)` for an explicit body-text outline level.
    heading: Option<u8>,
    title: bool,
    jc: Option<String>,
    sz: Option<u32>,
    vanish: Option<bool>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
}

#[derive(Debug, Default)]
struct Styles {
    resolved: HashMap<String, Resolved>,
    default_para: Option<String>,
    default_sz: Option<u32>,
    default_vanish: Option<bool>,
}

/// `heading 2`, `Heading2`, `标题 2` → 2.
fn heading_from_name(name: &str) -> Option<u8> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let digits = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))?;
    match digits.parse::<u8>() {
        Ok(d @ 1..=9) => Some(d),
        _ => None,
    }
}

fn is_title_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    n == "title" || n == "标题"
}

impl Styles {
    fn parse(text: &str) -> Result<Self, ImportError> {
        const PART: &str = "word/styles.xml";
        let mut defs: HashMap<String, StyleDef> = HashMap::new();
        let mut styles = Styles::default();
        let mut r = reader(text);
        let mut depth = 0usize;
        let mut skip_at: Option<usize> = None;
        let mut cur: Option<(String, StyleDef)> = None;
        let (mut in_ppr, mut in_rpr, mut in_numpr, mut in_defaults) = (false, false, false, false);
        loop {
            let ev = r.read_event().map_err(|_| ImportError::bad_xml(PART))?;
            let (e, is_start) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    if skip_at == Some(depth) {
                        skip_at = None;
                    } else if skip_at.is_none() {
                        match e.local_name().as_ref() {
                            b"style" => {
                                if let Some((id, def)) = cur.take() {
                                    defs.entry(id).or_insert(def);
                                }
                            }
                            b"pPr" => in_ppr = false,
                            b"rPr" => in_rpr = false,
                            b"numPr" => in_numpr = false,
                            b"docDefaults" => in_defaults = false,
                            _ => {}
                        }
                    }
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| ImportError::bad_xml(PART))?;
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
            }
            if skip_at.is_some() {
                continue;
            }
            let name = e.local_name();
            match name.as_ref() {
                b"pPrChange" | b"rPrChange" | b"tblStylePr" | b"tblPr" | b"trPr" | b"tcPr"
                    if is_start =>
                {
                    skip_at = Some(depth);
                }
                b"docDefaults" => in_defaults = is_start,
                b"style" => {
                    let id = attr(e, b"styleId").unwrap_or_default();
                    let is_para = attr(e, b"type").as_deref() == Some("paragraph");
                    if is_para && attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                        styles.default_para.get_or_insert(id.clone());
                    }
                    if is_start {
                        cur = Some((id, StyleDef::default()));
                    } else {
                        defs.entry(id).or_default();
                    }
                }
                b"pPr" => in_ppr = is_start,
                b"rPr" => in_rpr = is_start,
                b"numPr" => in_numpr = is_start && in_ppr,
                b"name" => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.name = val(e).unwrap_or_default();
                    }
                }
                b"basedOn" => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.based_on = val(e);
                    }
                }
                b"outlineLvl" if in_ppr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.outline = val_int(e);
                    }
                }
                b"jc" if in_ppr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.jc = val(e);
                    }
                }
                b"numId" if in_numpr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.num_id = val_int(e);
                    }
                }
                b"ilvl" if in_numpr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.ilvl = val_int(e);
                    }
                }
                b"sz" if in_rpr => {
                    let sz = val_int(e).and_then(|v| u32::try_from(v).ok());
                    if let Some((_, d)) = cur.as_mut() {
                        d.sz = sz;
                    } else if in_defaults {
                        styles.default_sz = sz;
                    }
                }
                b"vanish" | b"specVanish" if in_rpr => {
                    let v = on_off(e);
                    if let Some((_, d)) = cur.as_mut() {
                        d.vanish = Some(v);
                    } else if in_defaults {
                        styles.default_vanish = Some(v);
                    }
                }
                _ => {}
            }
        }
        if depth != 0 {
            return Err(ImportError::bad_xml(PART));
        }
        for id in defs.keys() {
            styles.resolved.insert(id.clone(), resolve_style(&defs, id));
        }
        Ok(styles)
    }

    fn get(&self, id: Option<&str>) -> Option<&Resolved> {
        let id = id.or(self.default_para.as_deref())?;
        self.resolved.get(id)
    }
}

fn resolve_style(defs: &HashMap<String, StyleDef>, id: &str) -> Resolved {
    let mut out = Resolved::default();
    let mut heading_done = false;
    let mut seen = HashSet::new();
    let mut next = Some(id);
    while let Some(cur) = next {
        if !seen.insert(cur) || seen.len() > 32 {
            break;
        }
        let Some(d) = defs.get(cur) else { break };
        if !heading_done {
            if let Some(o) = d.outline {
                out.heading = Some(if (0..9).contains(&o) { o as u8 + 1 } else { 0 });
                heading_done = true;
            } else if let Some(h) = heading_from_name(&d.name) {
                out.heading = Some(h);
                heading_done = true;
            }
        }
        out.title |= is_title_name(&d.name);
        if out.jc.is_none() {
            out.jc = d.jc.clone();
        }
        out.sz = out.sz.or(d.sz);
        out.vanish = out.vanish.or(d.vanish);
        out.num_id = out.num_id.or(d.num_id);
        out.ilvl = out.ilvl.or(d.ilvl);
        next = d.based_on.as_deref();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Numbering
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
    restart: Option<i64>,
    legal: bool,
    suff: String,
    pstyle: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            fmt: "decimal".into(),
            text: String::new(),
            restart: None,
            legal: false,
            suff: "tab".into(),
            pstyle: None,
        }
    }
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: i64,
    start_overrides: HashMap<usize, i64>,
    level_overrides: HashMap<usize, Level>,
}

/// The numbering definitions and the running counters (kept per abstract definition, as Word
/// continues a list across `w:num`s sharing one; a `startOverride` restarts it).
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<i64, [Option<Level>; 9]>,
    nums: HashMap<i64, Num>,
    counters: HashMap<i64, [Option<i64>; 9]>,
    started: HashSet<i64>,
}

/// A numbering marker rendered for one paragraph.
#[derive(Debug, Clone)]
struct Marker {
    text: String,
    number: i64,
    bullet: bool,
    /// Join the marker to the text without a space.
    tight: bool,
}

impl Numbering {
    fn parse(text: &str) -> Result<Self, ImportError> {
        const PART: &str = "word/numbering.xml";
        let mut n = Numbering::default();
        let mut r = reader(text);
        let mut depth = 0usize;
        let mut abs: Option<(i64, [Option<Level>; 9])> = None;
        let mut num: Option<(i64, Num)> = None;
        let mut lvl: Option<(usize, Level)> = None;
        let mut override_ilvl: Option<usize> = None;
        let mut skip_at: Option<usize> = None;
        loop {
            let ev = r.read_event().map_err(|_| ImportError::bad_xml(PART))?;
            let (e, is_start) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    if skip_at == Some(depth) {
                        skip_at = None;
                    } else if skip_at.is_none() {
                        match e.local_name().as_ref() {
                            b"lvl" => {
                                if let Some((i, l)) = lvl.take() {
                                    if let Some((_, levels)) = abs.as_mut() {
                                        levels[i] = Some(l);
                                    } else if let Some((_, nm)) = num.as_mut() {
                                        nm.level_overrides.insert(i, l);
                                    }
                                }
                            }
                            b"abstractNum" => {
                                if let Some((id, levels)) = abs.take() {
                                    n.abstracts.entry(id).or_insert(levels);
                                }
                            }
                            b"num" => {
                                if let Some((id, nm)) = num.take() {
                                    n.nums.entry(id).or_insert(nm);
                                }
                            }
                            b"lvlOverride" => override_ilvl = None,
                            _ => {}
                        }
                    }
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| ImportError::bad_xml(PART))?;
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
            }
            if skip_at.is_some() {
                continue;
            }
            match e.local_name().as_ref() {
                b"pPr" | b"rPr" | b"numPicBullet" if is_start => skip_at = Some(depth),
                b"abstractNum" if is_start => {
                    let id = attr(e, b"abstractNumId").and_then(|v| v.trim().parse().ok());
                    abs = id.map(|id| (id, Default::default()));
                }
                b"num" if is_start => {
                    let id = attr(e, b"numId").and_then(|v| v.trim().parse().ok());
                    num = id.map(|id| (id, Num::default()));
                }
                b"abstractNumId" => {
                    if let (Some((_, nm)), Some(v)) = (num.as_mut(), val_int(e)) {
                        nm.abstract_id = v;
                    }
                }
                b"lvlOverride" if is_start => {
                    override_ilvl = attr(e, b"ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&i| i < 9);
                }
                b"startOverride" => {
                    if let (Some((_, nm)), Some(i), Some(v)) =
                        (num.as_mut(), override_ilvl, val_int(e))
                    {
                        nm.start_overrides.insert(i, v);
                    }
                }
                b"lvl" if is_start => {
                    let i = attr(e, b"ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&i| i < 9)
                        .or(override_ilvl);
                    lvl = i.map(|i| (i, Level::default()));
                }
                other => {
                    if let Some((_, l)) = lvl.as_mut() {
                        match other {
                            b"start" => l.start = val_int(e).unwrap_or(1).clamp(0, 1_000_000),
                            b"numFmt" => l.fmt = val(e).unwrap_or_else(|| "decimal".into()),
                            b"lvlText" => l.text = val(e).unwrap_or_default(),
                            b"lvlRestart" => l.restart = val_int(e),
                            b"isLgl" => l.legal = on_off(e),
                            b"suff" => l.suff = val(e).unwrap_or_else(|| "tab".into()),
                            b"pStyle" => l.pstyle = val(e),
                            _ => {}
                        }
                    }
                }
            }
        }
        if depth != 0 {
            return Err(ImportError::bad_xml(PART));
        }
        Ok(n)
    }

    fn level<'n>(&'n self, num: &'n Num, i: usize) -> Option<&'n Level> {
        num.level_overrides.get(&i).or_else(|| {
            self.abstracts
                .get(&num.abstract_id)
                .and_then(|a| a[i].as_ref())
        })
    }

    /// The level a paragraph style is bound to in this list (`w:lvl/w:pStyle`).
    fn level_for_style(&self, num_id: i64, style: Option<&str>) -> Option<usize> {
        let style = style?;
        let num = self.nums.get(&num_id)?;
        (0..9).find(|&i| {
            self.level(num, i)
                .and_then(|l| l.pstyle.as_deref())
                .is_some_and(|s| s == style)
        })
    }

    /// Advances the counters for a paragraph at (`num_id`, `ilvl`) and renders its marker.
    fn next(&mut self, num_id: i64, ilvl: usize) -> Option<Marker> {
        let ilvl = ilvl.min(8);
        let (key, levels, start_overrides) = {
            let num = self.nums.get(&num_id)?;
            let levels: Vec<Level> = (0..9)
                .map(|i| self.level(num, i).cloned().unwrap_or_default())
                .collect();
            (num.abstract_id, levels, num.start_overrides.clone())
        };
        let overrides = if self.started.insert(num_id) {
            start_overrides
        } else {
            HashMap::new()
        };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        for (i, start) in overrides {
            if i < 9 {
                counters[i] = Some(start.saturating_sub(1));
            }
        }
        let cur = &levels[ilvl];
        counters[ilvl] = Some(match counters[ilvl] {
            None => cur.start,
            Some(v) => v.saturating_add(1),
        });
        for (k, level) in levels.iter().enumerate().skip(ilvl + 1) {
            // lvlRestart is 1-based: restart after a level at or above it; 0 = never.
            let restart_after = level.restart.unwrap_or(k as i64);
            if restart_after != 0 && (ilvl as i64) < restart_after {
                counters[k] = None;
            }
        }
        let values: Vec<i64> = (0..9)
            .map(|i| counters[i].unwrap_or(levels[i].start))
            .collect();
        let number = values[ilvl];
        if cur.fmt == "bullet" {
            return Some(Marker {
                text: cur.text.clone(),
                number,
                bullet: true,
                tight: true,
            });
        }
        let mut text = String::new();
        let mut chars = cur.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let i = d as usize;
                    if (1..=9).contains(&i) && i - 1 <= ilvl {
                        let fmt = if cur.legal && i - 1 != ilvl {
                            "decimal"
                        } else {
                            levels[i - 1].fmt.as_str()
                        };
                        text.push_str(&format_number(values[i - 1], fmt));
                    }
                    continue;
                }
            }
            text.push(c);
        }
        let tight = cur.suff == "nothing"
            || text
                .chars()
                .last()
                .is_some_and(|c| "、.．）)]】:：".contains(c));
        Some(Marker {
            text,
            number,
            bullet: false,
            tight,
        })
    }
}

const CN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Chinese counting numerals for any non-negative number below 100 000.
fn cn_counting(n: i64) -> String {
    if (1..100).contains(&n) {
        return format_cn_number(n as u32);
    }
    if n <= 0 || n >= 100_000 {
        return n.to_string();
    }
    let units = [(10_000, '万'), (1000, '千'), (100, '百'), (10, '十')];
    let mut out = String::new();
    let mut rest = n;
    let mut zero = false;
    for (u, name) in units {
        let d = rest / u;
        rest %= u;
        if d > 0 {
            if zero {
                out.push('零');
                zero = false;
            }
            out.push(CN[d as usize]);
            out.push(name);
        } else if !out.is_empty() {
            zero = true;
        }
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push(CN[rest as usize]);
    }
    out
}

fn letters(n: i64, base: u8) -> String {
    if n <= 0 {
        return n.to_string();
    }
    // Word repeats the letter: 27 → AA, 28 → BB.
    let c = (base + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(c, times).collect()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (v, s) in table {
        while rest >= v {
            out.push_str(s);
            rest -= v;
        }
    }
    out
}

fn enclosed(n: i64, first: u32) -> String {
    if (1..=20).contains(&n) {
        char::from_u32(first + n as u32 - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string())
    } else {
        n.to_string()
    }
}

/// Renders a counter value in an OOXML `numFmt`.
fn format_number(n: i64, fmt: &str) -> String {
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographLegalTraditional"
        | "koreanCounting" => cn_counting(n),
        "chineseLegalSimplified" => cn_counting(n)
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                other => other,
            })
            .collect(),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(0) => '〇',
                Some(d) => CN[d as usize],
                None => c,
            })
            .collect(),
        "ideographTraditional" => {
            const GAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
            if (1..=10).contains(&n) {
                GAN[(n - 1) as usize].to_string()
            } else {
                n.to_string()
            }
        }
        "ideographZodiac" => {
            const ZHI: [char; 12] = [
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ];
            if (1..=12).contains(&n) {
                ZHI[(n - 1) as usize].to_string()
            } else {
                n.to_string()
            }
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32('０' as u32 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        "decimalZero" => format!("{n:02}"),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// document.xml
// ---------------------------------------------------------------------------------------------

/// A paragraph of document.xml as read, before the GB/T 9704 elements are told apart.
#[derive(Debug, Clone, Default)]
struct Line {
    /// As it reads: the numbering marker (if any) and the text, trimmed.
    text: String,
    /// The text without the numbering marker, trimmed.
    plain: String,
    marker: Option<Marker>,
    /// 1–9 from a heading style or outline level.
    style_level: Option<u8>,
    title_style: bool,
    centered: bool,
    /// Largest font size of its text, in half-points (0 when unknown).
    size: u32,
    /// A table row (cells joined by tabs).
    row: bool,
}

#[derive(Default)]
struct ParaB {
    text: String,
    style: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
    outline: Option<i64>,
    jc: Option<String>,
    mark_deleted: bool,
    size: u32,
    hidden_run: bool,
}

#[derive(Default)]
struct RunB {
    text: String,
    style: Option<String>,
    vanish: Option<bool>,
    sz: Option<u32>,
}

#[derive(Default)]
struct TableB {
    rows: Vec<Vec<String>>,
    row: Option<(Vec<String>, bool)>,
    cell: Option<Vec<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Deleted or irrelevant content: nothing inside is read or counted.
    Drop,
    /// A drawing/picture/object: text boxes inside are counted.
    Drawing,
    /// Table/section properties: revisions inside are counted.
    Props,
}

enum Block {
    Line(Line),
    Table(usize),
}

/// Rows of cells.
type Table = Vec<Vec<String>>;

/// What document.xml yields: the blocks in order, the tables they point into, the counts.
type Parsed = (Vec<Block>, Vec<Table>, Counts);

#[derive(Default)]
struct Counts {
    revisions: usize,
    hidden: usize,
    footnotes: usize,
    endnotes: usize,
    text_boxes: usize,
    objects: usize,
    comment_refs: HashSet<String>,
}

struct DocParser<'s> {
    styles: &'s Styles,
    numbering: &'s mut Numbering,
    blocks: Vec<Block>,
    tables: Vec<Vec<Vec<String>>>,
    counts: Counts,
    paras: Vec<ParaB>,
    run: Option<RunB>,
    open_tables: Vec<TableB>,
    /// Per open field: still in its instruction part.
    fields: Vec<bool>,
    /// Text of paragraphs whose mark was deleted, to be joined to the next paragraph.
    pending: String,
    in_ppr: bool,
    in_rpr: bool,
    in_numpr: bool,
    in_trpr: bool,
    /// The depth of the open `w:t` whose direct text is read; text anywhere else is not.
    t_depth: Option<usize>,
    /// The element depth of the event being handled.
    depth: usize,
}

impl<'s> DocParser<'s> {
    fn parse(
        text: &str,
        part: &str,
        styles: &'s Styles,
        numbering: &'s mut Numbering,
    ) -> Result<Parsed, ImportError> {
        let mut p = DocParser {
            styles,
            numbering,
            blocks: Vec::new(),
            tables: Vec::new(),
            counts: Counts::default(),
            paras: Vec::new(),
            run: None,
            open_tables: Vec::new(),
            fields: Vec::new(),
            pending: String::new(),
            in_ppr: false,
            in_rpr: false,
            in_numpr: false,
            in_trpr: false,
            t_depth: None,
            depth: 0,
        };
        let mut r = reader(text);
        let mut depth = 0usize;
        let mut skip: Option<(usize, Skip)> = None;
        loop {
            let ev = r.read_event().map_err(|_| ImportError::bad_xml(part))?;
            match ev {
                Event::Start(e) => {
                    depth += 1;
                    p.depth = depth;
                    if let Some((_, kind)) = skip {
                        p.count_in_skip(&e, kind);
                        continue;
                    }
                    if let Some(kind) = p.start(&e, true) {
                        skip = Some((depth, kind));
                    }
                }
                Event::Empty(e) => {
                    if let Some((_, kind)) = skip {
                        p.count_in_skip(&e, kind);
                        continue;
                    }
                    p.start(&e, false);
                }
                Event::End(e) => {
                    if let Some((at, _)) = skip {
                        if at == depth {
                            skip = None;
                        }
                    } else {
                        p.end(e.local_name().as_ref());
                    }
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| ImportError::bad_xml(part))?;
                }
                Event::Text(t) if skip.is_none() && p.t_depth == Some(depth) => {
                    let s = t.unescape().map_err(|_| ImportError::bad_xml(part))?;
                    if let Some(run) = p.run.as_mut() {
                        run.text.push_str(&s);
                    }
                }
                Event::CData(t) if skip.is_none() && p.t_depth == Some(depth) => {
                    let raw = t.into_inner();
                    let s = std::str::from_utf8(&raw).map_err(|_| ImportError::bad_xml(part))?;
                    if let Some(run) = p.run.as_mut() {
                        run.text.push_str(s);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if depth != 0 {
            return Err(ImportError::bad_xml(part));
        }
        // Unclosed structures in a well-formed but odd document: keep what was read.
        while !p.paras.is_empty() {
            p.end_paragraph();
        }
        while !p.open_tables.is_empty() {
            p.end_table();
        }
        p.flush_pending();
        Ok((p.blocks, p.tables, p.counts))
    }

    /// Counts what is left out inside a skipped subtree (mc:Fallback, a duplicate of
    /// mc:Choice, is a [`Skip::Drop`] and so never counted twice).
    fn count_in_skip(&mut self, e: &BytesStart<'_>, kind: Skip) {
        let name = e.local_name();
        match (kind, name.as_ref()) {
            (Skip::Drawing, b"txbxContent") => self.counts.text_boxes += 1,
            (
                Skip::Props,
                b"tblPrChange" | b"tcPrChange" | b"trPrChange" | b"sectPrChange" | b"tblGridChange"
                | b"cellIns" | b"cellDel" | b"cellMerge",
            ) => self.counts.revisions += 1,
            _ => {}
        }
    }

    /// Handles a start (or empty) element; returns how to skip its subtree, if it is skipped.
    fn start(&mut self, e: &BytesStart<'_>, is_start: bool) -> Option<Skip> {
        let name = e.local_name();
        let name = name.as_ref();
        // Properties of the paragraph mark, the run and the row.
        if self.in_ppr {
            if let Some(para) = self.paras.last_mut() {
                if self.in_rpr {
                    // The paragraph mark's run properties: a deleted (or moved-away) mark joins
                    // the paragraph with the next one.
                    match name {
                        b"del" | b"moveFrom" => {
                            para.mark_deleted = true;
                            self.counts.revisions += 1;
                        }
                        b"ins" | b"moveTo" | b"rPrChange" => self.counts.revisions += 1,
                        _ => {}
                    }
                    return is_start.then_some(Skip::Drop);
                }
                match name {
                    b"pStyle" => para.style = val(e),
                    b"numPr" => self.in_numpr = is_start,
                    b"ilvl" if self.in_numpr => para.ilvl = val_int(e),
                    b"numId" if self.in_numpr => para.num_id = val_int(e),
                    b"ins" if self.in_numpr => self.counts.revisions += 1,
                    b"outlineLvl" => para.outline = val_int(e),
                    b"jc" => para.jc = val(e),
                    b"rPr" => self.in_rpr = is_start,
                    b"pPrChange" => {
                        self.counts.revisions += 1;
                        return is_start.then_some(Skip::Drop);
                    }
                    b"sectPr" => return is_start.then_some(Skip::Props),
                    _ => {}
                }
                return None;
            }
        }
        if self.in_rpr {
            if let Some(run) = self.run.as_mut() {
                match name {
                    b"rStyle" => run.style = val(e),
                    b"vanish" | b"specVanish" => run.vanish = Some(on_off(e)),
                    b"sz" => run.sz = val_int(e).and_then(|v| u32::try_from(v).ok()),
                    b"rPrChange" => {
                        self.counts.revisions += 1;
                        return is_start.then_some(Skip::Drop);
                    }
                    _ => {}
                }
            }
            return None;
        }
        if self.in_trpr {
            match name {
                b"del" => {
                    self.counts.revisions += 1;
                    if let Some((_, deleted)) =
                        self.open_tables.last_mut().and_then(|t| t.row.as_mut())
                    {
                        *deleted = true;
                    }
                }
                b"ins" => self.counts.revisions += 1,
                b"trPrChange" => {
                    self.counts.revisions += 1;
                    return is_start.then_some(Skip::Drop);
                }
                _ => {}
            }
            return None;
        }
        match name {
            b"p" if is_start => self.paras.push(ParaB::default()),
            b"pPr" => self.in_ppr = is_start && !self.paras.is_empty(),
            b"r" if is_start => self.run = Some(RunB::default()),
            b"rPr" => self.in_rpr = is_start && self.run.is_some(),
            b"t" => {
                self.t_depth = (is_start && self.run.is_some()).then_some(self.depth);
            }
            b"tab" | b"ptab" => self.push_char('\t'),
            b"br" if !matches!(attr(e, b"type").as_deref(), Some("page" | "column")) => {
                self.push_char('\n');
            }
            b"cr" => self.push_char('\n'),
            b"noBreakHyphen" => self.push_char('-'),
            b"sym" => {
                let c = attr(e, b"char")
                    .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                    .filter(|c| !(0xE000..=0xF8FF).contains(c))
                    .and_then(char::from_u32);
                if let Some(c) = c {
                    self.push_char(c);
                }
            }
            b"ins" | b"moveTo" => self.counts.revisions += 1,
            b"del" | b"moveFrom" => {
                self.counts.revisions += 1;
                return is_start.then_some(Skip::Drop);
            }
            b"delText" | b"delInstrText" | b"instrText" | b"sdtPr" | b"sdtEndPr" | b"rt"
            | b"customXmlPr" | b"smartTagPr" | b"tblGrid" => {
                return is_start.then_some(Skip::Drop);
            }
            b"Fallback" => return is_start.then_some(Skip::Drop),
            b"drawing" | b"pict" => return is_start.then_some(Skip::Drawing),
            b"object" => {
                self.counts.objects += 1;
                return is_start.then_some(Skip::Drawing);
            }
            b"sectPr" | b"tblPr" | b"tcPr" | b"tblPrEx" => {
                return is_start.then_some(Skip::Props);
            }
            b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"footnoteReference" => self.counts.footnotes += 1,
            b"endnoteReference" => self.counts.endnotes += 1,
            b"commentReference" | b"commentRangeStart" => {
                if let Some(id) = attr(e, b"id") {
                    self.counts.comment_refs.insert(id);
                }
            }
            b"tbl" if is_start => {
                self.flush_pending();
                self.open_tables.push(TableB::default());
            }
            b"tr" => {
                if let (true, Some(t)) = (is_start, self.open_tables.last_mut()) {
                    t.row = Some((Vec::new(), false));
                }
            }
            b"trPr" => self.in_trpr = is_start,
            b"tc" => {
                if let (true, Some(t)) = (is_start, self.open_tables.last_mut()) {
                    t.cell = Some(Vec::new());
                }
            }
            _ => {}
        }
        None
    }

    fn push_char(&mut self, c: char) {
        if let Some(run) = self.run.as_mut() {
            run.text.push(c);
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"pPr" => {
                self.in_ppr = false;
                self.in_rpr = false;
                self.in_numpr = false;
            }
            b"numPr" => self.in_numpr = false,
            b"rPr" => self.in_rpr = false,
            b"trPr" => self.in_trpr = false,
            b"t" => self.t_depth = None,
            b"r" => self.end_run(),
            b"p" => self.end_paragraph(),
            b"tc" => {
                self.flush_pending();
                if let Some(t) = self.open_tables.last_mut() {
                    if let Some(cell) = t.cell.take() {
                        let text = cell.join("\n");
                        if let Some((cells, _)) = t.row.as_mut() {
                            cells.push(text);
                        }
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.open_tables.last_mut() {
                    if let Some((cells, deleted)) = t.row.take() {
                        if !deleted {
                            t.rows.push(cells);
                        }
                    }
                }
            }
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    fn end_run(&mut self) {
        self.t_depth = None;
        self.in_rpr = false;
        let Some(run) = self.run.take() else { return };
        let Some(para) = self.paras.last_mut() else {
            return;
        };
        if run.text.is_empty() {
            return;
        }
        if self.fields.iter().any(|&instr| instr) {
            return;
        }
        let pstyle = self.styles.get(para.style.as_deref());
        let rstyle = run
            .style
            .as_deref()
            .and_then(|s| self.styles.resolved.get(s));
        let hidden = run
            .vanish
            .or_else(|| rstyle.and_then(|s| s.vanish))
            .or_else(|| pstyle.and_then(|s| s.vanish))
            .or(self.styles.default_vanish)
            .unwrap_or(false);
        if hidden {
            if !run.text.trim().is_empty() {
                if !para.hidden_run {
                    self.counts.hidden += 1;
                }
                para.hidden_run = true;
            }
            return;
        }
        if !run.text.trim().is_empty() {
            para.hidden_run = false;
            let sz = run
                .sz
                .or_else(|| rstyle.and_then(|s| s.sz))
                .or_else(|| pstyle.and_then(|s| s.sz))
                .or(self.styles.default_sz)
                .unwrap_or(0);
            para.size = para.size.max(sz);
        }
        para.text.push_str(&run.text);
    }

    fn end_paragraph(&mut self) {
        self.in_ppr = false;
        self.in_rpr = false;
        self.in_numpr = false;
        if self.run.is_some() {
            self.end_run();
        }
        // A field's instruction never spans paragraphs in practice; do not let an unbalanced
        // one swallow the rest of the document.
        for f in self.fields.iter_mut() {
            *f = false;
        }
        let Some(para) = self.paras.pop() else { return };
        if para.mark_deleted {
            self.pending.push_str(&para.text);
            return;
        }
        let mut text = std::mem::take(&mut self.pending);
        text.push_str(&para.text);
        let style = self.styles.get(para.style.as_deref());
        // Numbering: direct numPr first (numId 0 removes it), then the style's.
        let num_id = para.num_id.or_else(|| style.and_then(|s| s.num_id));
        let marker = match num_id {
            Some(id) if id != 0 => {
                let ilvl = para
                    .ilvl
                    .or_else(|| {
                        if para.num_id.is_some() {
                            None
                        } else {
                            style.and_then(|s| s.ilvl)
                        }
                    })
                    .and_then(|i| usize::try_from(i).ok())
                    .or_else(|| self.numbering.level_for_style(id, para.style.as_deref()))
                    .unwrap_or(0);
                self.numbering.next(id, ilvl)
            }
            _ => None,
        };
        let style_level = match para.outline {
            Some(o) if (0..9).contains(&o) => Some(o as u8 + 1),
            Some(_) => None,
            None => style.and_then(|s| s.heading).filter(|&h| h > 0),
        };
        let jc = para.jc.as_deref().or(style.and_then(|s| s.jc.as_deref()));
        let plain = text.trim().to_string();
        let shown = match &marker {
            Some(m) if !m.bullet && !m.text.trim().is_empty() => {
                let sep = if m.tight || plain.is_empty() {
                    ""
                } else {
                    "\u{3000}"
                };
                format!("{}{sep}{plain}", m.text.trim())
            }
            _ => plain.clone(),
        };
        let line = Line {
            text: shown,
            plain,
            marker,
            style_level,
            title_style: style.is_some_and(|s| s.title),
            centered: jc == Some("center"),
            size: if para.size > 0 {
                para.size
            } else {
                style
                    .and_then(|s| s.sz)
                    .or(self.styles.default_sz)
                    .unwrap_or(0)
            },
            row: false,
        };
        if let Some(cell) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
            if !line.text.is_empty() {
                cell.push(line.text);
            }
        } else if !line.text.is_empty() {
            self.blocks.push(Block::Line(line));
        }
    }

    fn flush_pending(&mut self) {
        if self.pending.trim().is_empty() {
            self.pending.clear();
            return;
        }
        let text = std::mem::take(&mut self.pending).trim().to_string();
        if let Some(cell) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
            cell.push(text);
        } else {
            self.blocks.push(Block::Line(Line {
                plain: text.clone(),
                text,
                ..Line::default()
            }));
        }
    }

    fn end_table(&mut self) {
        let Some(t) = self.open_tables.pop() else {
            return;
        };
        let mut rows = t.rows;
        if let Some((cells, false)) = t.row {
            rows.push(cells);
        }
        if let Some(outer) = self.open_tables.last_mut().and_then(|o| o.cell.as_mut()) {
            // A nested table: its rows become lines of the outer cell.
            for row in &rows {
                outer.push(row.join("\t"));
            }
            return;
        }
        if rows.is_empty() {
            return;
        }
        self.tables.push(rows);
        self.blocks.push(Block::Table(self.tables.len() - 1));
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the package
// ---------------------------------------------------------------------------------------------

fn read_package(pkg: &mut Package<'_>) -> Result<Imported, ImportError> {
    let content_types = match pkg.read("[Content_Types].xml")? {
        Some(b) => ContentTypes::parse(&part_text(&b, "[Content_Types].xml")?),
        None => ContentTypes::default(),
    };
    let root_rels = match pkg.read("_rels/.rels")? {
        Some(b) => parse_rels(&part_text(&b, "_rels/.rels")?),
        None => Vec::new(),
    };
    let find_root = |kind: &str, fallback: &str| -> String {
        root_rels
            .iter()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| resolve_target("", &r.target))
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut main = find_root("officeDocument", "word/document.xml");
    if !pkg.has(&main) {
        main = "word/document.xml".into();
    }
    if !pkg.has(&main) {
        return Err(ImportError::NoDocument);
    }
    let dir = dir_of(&main).to_string();
    let rels = match pkg.read(&rels_part_of(&main))? {
        Some(b) => parse_rels(&part_text(&b, "word/_rels/document.xml.rels")?),
        None => Vec::new(),
    };
    let targets = |kind: &str| -> Vec<String> {
        rels.iter()
            .filter(|r| r.kind == kind && !r.external)
            .map(|r| resolve_target(&dir, &r.target))
            .collect()
    };
    let first = |kind: &str, fallback: &str| -> String {
        targets(kind)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("{dir}/{fallback}"))
    };

    let styles = match pkg.read(&first("styles", "styles.xml"))? {
        Some(b) => Styles::parse(&part_text(&b, "word/styles.xml")?)?,
        None => Styles::default(),
    };
    let mut numbering = match pkg.read(&first("numbering", "numbering.xml"))? {
        Some(b) => Numbering::parse(&part_text(&b, "word/numbering.xml")?)?,
        None => Numbering::default(),
    };
    let doc_bytes = pkg.read(&main)?.ok_or(ImportError::NoDocument)?;
    let doc_text = part_text(&doc_bytes, "word/document.xml")?;
    let (blocks, tables, counts) =
        DocParser::parse(&doc_text, "word/document.xml", &styles, &mut numbering)?;
    drop(doc_text);
    drop(doc_bytes);

    // What is left out: counted from their parts, never read into the result.
    let mut left = LeftOut {
        revisions: counts.revisions,
        hidden: counts.hidden,
        footnotes: counts.footnotes,
        endnotes: counts.endnotes,
        text_boxes: counts.text_boxes,
        objects: counts.objects,
        ..LeftOut::default()
    };
    left.comments = match pkg.read(&first("comments", "comments.xml"))? {
        Some(b) => part_text(&b, "word/comments.xml")
            .map(|t| count_comments(&t))
            .unwrap_or(0)
            .max(counts.comment_refs.len()),
        None => counts.comment_refs.len(),
    };
    let mut hf_parts = targets("header");
    hf_parts.extend(targets("footer"));
    hf_parts.sort();
    hf_parts.dedup();
    for part in hf_parts {
        if let Some(b) = pkg.read(&part)? {
            if part_text(&b, &part).is_ok_and(|t| header_has_text(&t)) {
                left.headers_footers += 1;
            }
        }
    }
    let read_text = |pkg: &mut Package<'_>, part: &str| -> Result<Option<String>, ImportError> {
        Ok(pkg
            .read(part)?
            .and_then(|b| part_text(&b, part).ok().map(Cow::into_owned)))
    };
    let core = read_text(pkg, &find_root("core-properties", "docProps/core.xml"))?;
    let app = read_text(pkg, &find_root("extended-properties", "docProps/app.xml"))?;
    let custom = read_text(pkg, &find_root("custom-properties", "docProps/custom.xml"))?;
    left.properties = document_properties(core.as_deref(), app.as_deref(), custom.as_deref());
    if pkg.has(&find_root("thumbnail", "docProps/thumbnail.jpeg"))
        || pkg.has("docProps/thumbnail.emf")
        || pkg.has("docProps/thumbnail.wmf")
    {
        left.properties.push("缩略图".into());
    }

    // Images under the main part's folder.
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.to_lowercase())
    };
    let mut images: Vec<ImageInfo> = pkg
        .entries
        .iter()
        .filter(|(lower, _)| lower.starts_with(&prefix))
        .filter_map(|(_, e)| {
            let media_type = content_types.of(&e.name)?;
            media_type.starts_with("image/").then(|| ImageInfo {
                name: e.name.rsplit('/').next().unwrap_or(&e.name).to_string(),
                media_type,
                size: e.size,
            })
        })
        .collect();
    images.sort_by(|a, b| a.name.cmp(&b.name));
    left.images = images.len();

    Ok(assemble(blocks, tables, images, left))
}

// ---------------------------------------------------------------------------------------------
// Telling the GB/T 9704 elements apart
// ---------------------------------------------------------------------------------------------

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[^\s〔〕\[\]【】()（）：:]{1,24}[〔\[【(（]\s*[0-9０-９]{4}\s*[〕\]】)）]\s*第?\s*[0-9０-９]{1,6}\s*号",
    )
    .expect("static regex")
});
static SIGNER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"签\s*发\s*人\s*[：:]\s*(.*)$").expect("static regex"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<auth>.*?\S)\s+)?(?P<y>[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?P<d>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日$",
    )
    .expect("static regex")
});
static CLASSIFICATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(绝密|机密|秘密)\s*(?:[★☆]\s*(\S*))?$").expect("static regex"));
static ATTACHMENT_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[0-9０-９]{1,2}\s*[.．、]\s*(.+)$").expect("static regex"));
static GENRE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(通知|通报|意见|办法|规定|决定|报告|请示|批复|函|方案|细则|规则|纪要|公告|通告|规划|计划|要点|制度|指引|指南|规范|章程|决议|命令|议案|公报|清单|目录)(（[^）]*）)?$",
    )
    .expect("static regex")
});
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[一二三四五六七八九十百零〇0-9０-９]+[章节条款部篇]").expect("static regex")
});

fn digits(s: &str) -> Option<u32> {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '〇' | '○' | '零' => '0',
            c => CN
                .iter()
                .position(|&d| d == c)
                .and_then(|p| char::from_digit(p as u32, 10))
                .unwrap_or(c),
        })
        .collect();
    ascii.parse().ok()
}

/// `2026年3月5日` / `二〇二六年三月五日`, optionally preceded by the 署名 on the same line.
fn parse_date_line(s: &str) -> Option<(Option<String>, NaiveDate)> {
    let c = DATE_LINE.captures(s.trim())?;
    let year = digits(&c["y"])?;
    let num = |t: &str| digits(t).or_else(|| gongkai_core::body::parse_cn_number(t));
    let month = num(&c["m"])?;
    let day = num(&c["d"])?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let auth = c.name("auth").map(|m| m.as_str().trim().to_string());
    if auth
        .as_deref()
        .is_some_and(|a| a.chars().count() > 40 || a.contains(['，', '。', '：', ':', '；', '、']))
    {
        return None;
    }
    Some((auth, date))
}

fn strip_label<'t>(s: &'t str, label: &str) -> Option<&'t str> {
    let rest = s.trim().strip_prefix(label)?.trim_start();
    rest.strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))
        .map(str::trim)
}

fn strip_colon_end(s: &str) -> Option<&str> {
    let t = s.trim();
    t.strip_suffix('：').or_else(|| t.strip_suffix(':'))
}

fn canonical_marker(level: u8, n: i64) -> String {
    let cn = |n: i64| {
        if (1..100).contains(&n) {
            format_cn_number(n as u32)
        } else {
            n.to_string()
        }
    };
    match level {
        1 => format!("{}、", cn(n)),
        2 => format!("（{}）", cn(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// What a line before the title is.
enum HeaderLine {
    CopyNumber,
    Classification(Classification),
    Urgency(Urgency),
    Both(Classification, Urgency),
    Number(String, Vec<String>),
    Signer(Vec<String>),
    AuthorityMark(String),
}

fn split_names(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || "、，,；;".contains(c))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn header_line(line: &Line) -> Option<HeaderLine> {
    if line.row {
        return None;
    }
    let t = line.text.trim();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() == 6
        && compact
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return Some(HeaderLine::CopyNumber);
    }
    let urgency = |s: &str| match s {
        "特急" => Some(Urgency::Extra),
        "加急" => Some(Urgency::Urgent),
        _ => None,
    };
    let classification = |s: &str| {
        CLASSIFICATION.captures(s).map(|c| Classification {
            level: match &c[1] {
                "绝密" => ClassificationLevel::TopSecret,
                "机密" => ClassificationLevel::Confidential,
                _ => ClassificationLevel::Secret,
            },
            period: c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default(),
        })
    };
    if let Some(u) = urgency(&compact) {
        return Some(HeaderLine::Urgency(u));
    }
    if let Some(c) = classification(&compact) {
        return Some(HeaderLine::Classification(c));
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    if tokens.len() == 2 {
        if let (Some(c), Some(u)) = (classification(tokens[0]), urgency(tokens[1])) {
            return Some(HeaderLine::Both(c, u));
        }
    }
    if let Some(m) = DOC_NUMBER.find(t) {
        let before = t[..m.start()].trim();
        let after = t[m.end()..].trim();
        let signers = SIGNER
            .captures(after)
            .map(|c| split_names(&c[1]))
            .unwrap_or_default();
        if before.is_empty() && (after.is_empty() || SIGNER.is_match(after)) {
            let number: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
            return Some(HeaderLine::Number(number, signers));
        }
    }
    if let Some(c) = SIGNER.captures(t) {
        if t.starts_with('签') {
            return Some(HeaderLine::Signer(split_names(&c[1])));
        }
    }
    if let Some(a) = compact.strip_suffix("文件") {
        if !a.is_empty() && compact.chars().count() <= 40 {
            return Some(HeaderLine::AuthorityMark(a.to_string()));
        }
    }
    None
}

fn is_heading_text(s: &str) -> bool {
    classify_paragraph(s).level != ParagraphLevel::Body
}

fn title_like(line: &Line) -> bool {
    let n = line.text.chars().count();
    !line.row
        && n <= 100
        && strip_colon_end(&line.text).is_none()
        && parse_date_line(&line.text).is_none()
        && !is_heading_text(&line.text)
        && (line.title_style
            || line.centered
            // Large type, unless it is a (left-aligned) heading style.
            || (line.size >= 36 && line.style_level.is_none()))
}

fn row_text(row: &[String]) -> String {
    row.iter()
        .map(|c| c.replace(['\n', '\r', '\t'], " ").trim().to_string())
        .collect::<Vec<_>>()
        .join("\t")
}

fn assemble(
    blocks: Vec<Block>,
    tables: Vec<Vec<Vec<String>>>,
    images: Vec<ImageInfo>,
    left_out: LeftOut,
) -> Imported {
    // Flatten: every table row becomes a line so that the 版记 (often a table) is seen too.
    let mut lines: Vec<Line> = Vec::new();
    for b in blocks {
        match b {
            Block::Line(l) => lines.push(l),
            Block::Table(i) => {
                for row in tables.get(i).into_iter().flatten() {
                    let text = row_text(row);
                    if text.chars().any(|c| c != '\t' && !c.is_whitespace()) {
                        lines.push(Line {
                            plain: text.clone(),
                            text,
                            row: true,
                            ..Line::default()
                        });
                    }
                }
            }
        }
    }
    let mut fields = DocFields::default();
    let mut outside: Vec<String> = Vec::new();
    let mut notices: Vec<String> = Vec::new();
    let n = lines.len();

    // --- Before the body: 版头 lines and the title. The title is looked for among the first
    // lines, passing over 版头 lines and short unrecognised ones (e.g. an authority name).
    let mut title_at: Option<usize> = None;
    for (i, line) in lines.iter().enumerate().take(20) {
        if header_line(line).is_some() {
            continue;
        }
        if title_like(line) {
            title_at = Some(i);
            break;
        }
        let t = line.text.trim();
        let sentence = t.contains(['，', '。', '；', '：', ':', ',']) || t.chars().count() > 60;
        if !line.row && !sentence && !is_heading_text(t) && GENRE_END.is_match(t) {
            // An unformatted line that reads like a title (…的通知, …办法).
            title_at = Some(i);
            break;
        }
        let styled_heading = line.style_level.is_some_and(|l| l <= 4);
        if line.row || sentence || styled_heading || is_heading_text(t) || i >= 8 {
            break;
        }
    }
    let header_end = match title_at {
        Some(t) => t,
        None => lines
            .iter()
            .position(|l| header_line(l).is_none())
            .unwrap_or(n),
    };
    let mut authority_mark: Option<String> = None;
    for line in &lines[..header_end] {
        match header_line(line) {
            None => outside.push(line.text.clone()),
            Some(HeaderLine::CopyNumber) => {}
            Some(HeaderLine::Classification(c)) => fields.classification = Some(c),
            Some(HeaderLine::Urgency(u)) => fields.urgency = Some(u),
            Some(HeaderLine::Both(c, u)) => {
                fields.classification = Some(c);
                fields.urgency = Some(u);
            }
            Some(HeaderLine::Number(num, signers)) => {
                if fields.doc_number.is_empty() {
                    fields.doc_number = num;
                }
                fields.signers.extend(signers);
            }
            Some(HeaderLine::Signer(s)) => fields.signers.extend(s),
            Some(HeaderLine::AuthorityMark(a)) => authority_mark = Some(a),
        }
    }
    let mut body_start = header_end;
    if let Some(t) = title_at {
        let mut title = lines[t].text.replace(['\n', '\r'], "");
        let mut end = t + 1;
        // A long title split over consecutive centred lines.
        while end < n
            && end - t < 4
            && !GENRE_END.is_match(title.trim())
            && title_like(&lines[end])
            && header_line(&lines[end]).is_none()
            && lines[end].centered == lines[t].centered
        {
            title.push_str(&lines[end].text.replace(['\n', '\r'], ""));
            end += 1;
        }
        fields.title = title.trim().to_string();
        body_start = end;
        // 主送机关: the line right after the title ending in a colon.
        if let Some(line) = lines.get(end) {
            if let Some(r) = strip_colon_end(&line.text) {
                let r = r.trim();
                if !line.row
                    && !r.is_empty()
                    && r.chars().count() <= 150
                    && !r.contains('。')
                    && !r.contains("如下")
                    && !r.starts_with("附件")
                    && !is_heading_text(r)
                {
                    fields.main_recipients = r.to_string();
                    body_start = end + 1;
                }
            }
        }
    } else if n > 0 {
        notices.push("没有识别出标题，请在“标题”中填写。".into());
    }
    let body_start = body_start.min(n);

    // --- After the body: 版记 (抄送 / 印发), 附件说明, 署名 + 成文日期, 附注.
    let is_cc = |l: &Line| {
        let first_cell = l.text.split('\t').next().unwrap_or_default();
        strip_label(first_cell, "抄送").is_some()
    };
    let is_printed = |l: &Line| {
        let t = l.text.trim();
        t.ends_with("印发") && (t.contains('年') || t.contains('\t'))
    };
    let record_start = (body_start..n)
        .find(|&i| is_cc(&lines[i]) || is_printed(&lines[i]))
        .unwrap_or(n);
    // Unmapped 版记 lines go last in `outside_body`, after any attachment pages.
    let mut record_outside: Vec<String> = Vec::new();
    for line in &lines[record_start..] {
        if is_cc(line) {
            let cells: Vec<&str> = line.text.split('\t').collect();
            let first = cells.first().copied().unwrap_or_default();
            let mut cc = strip_label(first, "抄送").unwrap_or_default().to_string();
            for more in cells.iter().skip(1) {
                cc.push_str(more.trim());
            }
            let cc = cc.trim().trim_end_matches(['。', '.']).trim().to_string();
            if fields.cc.is_empty() {
                fields.cc = cc;
            } else {
                record_outside.push(line.text.clone());
            }
        } else {
            record_outside.push(line.text.clone());
        }
    }

    let item = |s: &str| {
        ATTACHMENT_ITEM
            .captures(s)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().to_string())
    };
    // 附件说明: `附件：名称` or `附件：1.名称`, or a bare `附件：` over numbered lines.
    let attach_at = (body_start..record_start).find(|&i| {
        !lines[i].row
            && strip_label(&lines[i].text, "附件").is_some_and(|r| {
                !r.is_empty()
                    || lines
                        .get(i + 1)
                        .is_some_and(|next| i + 1 < record_start && item(&next.text).is_some())
            })
    });
    let mut attach_end = attach_at.map(|a| a + 1);
    if let Some(a) = attach_at {
        let first = strip_label(&lines[a].text, "附件").unwrap_or_default();
        if !first.is_empty() {
            fields
                .attachments
                .push(item(first).unwrap_or_else(|| first.trim().to_string()));
        }
        let mut j = a + 1;
        while j < record_start {
            match item(&lines[j].text) {
                Some(next) if !lines[j].row && parse_date_line(&lines[j].text).is_none() => {
                    fields.attachments.push(next);
                    j += 1;
                }
                _ => break,
            }
        }
        attach_end = Some(j);
    }
    let date_from = attach_end.unwrap_or(body_start);
    // 成文日期: a date-only line that is signed (署名 on it or just above), or that only notes,
    // attachment pages or the 版记 follow. A bare date inside the body does not qualify.
    let signature_like = |l: &Line| {
        let t = l.text.trim();
        !l.row
            && !t.is_empty()
            && t.chars().count() <= 40
            && !t.contains(['，', '。', '：', ':', '；', ',', '、'])
            && !is_heading_text(t)
            && parse_date_line(t).is_none()
    };
    let date_at = (date_from..record_start).find(|&i| {
        let Some((auth, _)) = (!lines[i].row)
            .then(|| parse_date_line(&lines[i].text))
            .flatten()
        else {
            return false;
        };
        let next = lines.get(i + 1).filter(|_| i + 1 < record_start);
        auth.is_some()
            || (i > date_from && signature_like(&lines[i - 1]))
            || next.is_none_or(|l| {
                let t = l.text.trim();
                t.starts_with('（') || t.starts_with('(') || t.starts_with("附件")
            })
    });
    let mut body_end = attach_at.unwrap_or(record_start);
    let mut signature: Option<String> = None;
    if let Some(d) = date_at {
        let (auth, date) = parse_date_line(&lines[d].text).unwrap_or((None, NaiveDate::MIN));
        fields.date_written = Some(date);
        let mut sig_at = d;
        if let Some(a) = auth {
            signature = Some(a);
        } else if d > date_from && signature_like(&lines[d - 1]) {
            let t = lines[d - 1].text.trim();
            signature = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
            sig_at = d - 1;
        }
        if attach_at.is_none() {
            body_end = sig_at;
        }
        // Lines between the 附件说明 and the 署名 (rare) are kept outside the body.
        if let Some(e) = attach_end {
            for line in &lines[e..sig_at] {
                outside.push(line.text.clone());
            }
        }
        // 附注 right after the date; the rest (usually attachment pages) stays outside.
        let mut k = d + 1;
        let mut notes: Vec<String> = Vec::new();
        while k < record_start {
            let t = lines[k].text.trim();
            if !lines[k].row
                && (t.starts_with('（') || t.starts_with('('))
                && (t.ends_with('）') || t.ends_with(')'))
            {
                notes.push(t.to_string());
                k += 1;
            } else {
                break;
            }
        }
        fields.notes = notes.join("\n");
        let mut after = 0;
        for line in &lines[k..record_start] {
            outside.push(line.text.clone());
            after += 1;
        }
        if after > 0 {
            notices.push(format!(
                "成文日期之后还有 {after} 段文字（多为附件正文），没有放入正文，见“正文之外的内容”。"
            ));
        }
    } else if let Some(e) = attach_end {
        let mut after = 0;
        for line in &lines[e..record_start] {
            outside.push(line.text.clone());
            after += 1;
        }
        if after > 0 {
            notices.push(format!(
                "附件说明之后还有 {after} 段文字，没有放入正文，见“正文之外的内容”。"
            ));
        }
    }
    outside.extend(record_outside);
    let body_end = body_end.max(body_start);
    fields.issuing_authority = signature.or(authority_mark).unwrap_or_default();

    // --- The body, with heading markers written into the text.
    let mut counters = [0i64; 5];
    let mut added = 0usize;
    let mut levels = Vec::new();
    for line in &lines[body_start..body_end] {
        let t = line.text.trim();
        if !line.row && t.starts_with("（此件") && (t.ends_with('）') || t.ends_with(')')) {
            // A 附注 such as （此件公开发布） left at the end of the body.
            if fields.notes.is_empty() {
                fields.notes = t.to_string();
            } else {
                fields.notes = format!("{}\n{t}", fields.notes);
            }
            continue;
        }
        if line.row {
            fields.body.push(line.text.clone());
            levels.push(BodyLevel {
                level: classify_paragraph(&line.text).level,
                source: LevelSource::TableRow,
            });
            continue;
        }
        let typed = classify_paragraph(&line.text);
        let (text, level, source, number) = if typed.level != ParagraphLevel::Body {
            let source = match &line.marker {
                Some(m) if !m.bullet && !m.text.trim().is_empty() => LevelSource::Numbering,
                _ => LevelSource::Typed,
            };
            (
                line.text.clone(),
                typed.level,
                source,
                typed.number.map(i64::from),
            )
        } else if let Some(sl @ 1..=4) = line
            .style_level
            .filter(|_| !ARTICLE.is_match(&line.plain) && !is_heading_text(&line.plain))
        {
            // A list that renders no marker (LibreOffice's outline numbering, numFmt none)
            // counts like no list: the running number is ours.
            let numbered = line
                .marker
                .as_ref()
                .filter(|m| !m.bullet && !m.text.trim().is_empty());
            let number = match numbered {
                Some(m) => m.number,
                None => counters[sl as usize] + 1,
            };
            let text = format!("{}{}", canonical_marker(sl, number), line.plain);
            let level = classify_paragraph(&text).level;
            let source = if numbered.is_some() {
                LevelSource::Numbering
            } else {
                added += 1;
                LevelSource::Style
            };
            (text, level, source, Some(number))
        } else {
            (
                line.text.clone(),
                ParagraphLevel::Body,
                LevelSource::None,
                None,
            )
        };
        if let (Some(depth), Some(num)) = (level.depth(), number) {
            counters[depth] = num;
            for deeper in counters.iter_mut().skip(depth + 1) {
                *deeper = 0;
            }
        }
        let source = if level == ParagraphLevel::Body {
            LevelSource::None
        } else {
            source
        };
        fields.body.push(text);
        levels.push(BodyLevel { level, source });
    }
    if added > 0 {
        notices.push(format!(
            "有 {added} 个标题是用 Word 标题样式排的、没有序号，已按层级补上序号（一、/（一）/1./（1）），请核对。"
        ));
    }
    if left_out.revisions > 0 {
        notices.push("修订已按“接受全部修订”处理：插入的文字保留，删除的文字没有导入。".into());
    }
    if !tables.is_empty() {
        notices.push(format!(
            "文中有 {} 个表格，正文中的表格已按行导入（一行一段，单元格之间用制表符分隔），请核对。",
            tables.len()
        ));
    }

    // 文种 from the title, only where it is unambiguous.
    let title = fields.title.trim_end_matches(['）', ')']);
    if title.ends_with("请示") {
        fields.doc_type = DocType::Request;
    } else if title.ends_with("报告") && !fields.signers.is_empty() {
        fields.doc_type = DocType::Report;
    } else if title.ends_with("通知") {
        fields.doc_type = DocType::Notice;
    }

    Imported {
        fields,
        levels,
        tables,
        images,
        outside_body: outside,
        left_out,
        notices,
    }
}
