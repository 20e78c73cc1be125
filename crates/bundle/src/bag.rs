//! Making a bundle: the BagIt tag files, the payload manifest, the signature, and the zip.
//!
//! Also the text formats the verifier reads back (manifest lines, `bag-info.txt`, the trusted
//! comment) and the path rules both sides apply, so writer and reader cannot drift apart.
//!
//! Determinism: given the same input and an SM2 signer, the zip is identical byte for byte
//! (RFC 6979 signatures, entries in a fixed order, every timestamp the bagging date at 00:00,
//! mode 0644, no extra fields). A minisign signature carries fresh randomness, so with
//! minisign only the signature file differs from run to run.

use crate::error::BundleError;
use crate::keys::Signer;
use crate::safezip::{MAX_ENTRIES, MAX_UNCOMPRESSED_BYTES};
use crate::submission::{FileEntry, FileRole, Submission, SCHEMA_VERSION};
use chrono::{Datelike, NaiveDate};
use sha2::Digest as _;
use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `bagit.txt`, exactly.
pub(crate) const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
pub(crate) const BAG_INFO: &str = "bag-info.txt";
pub(crate) const MANIFEST: &str = "manifest-sha256.txt";
pub(crate) const TAGMANIFEST: &str = "tagmanifest-sha256.txt";
pub(crate) const SUBMISSION_JSON: &str = "submission.json";

/// One payload file given by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFile {
    /// Path under `data/` with `/` separators, e.g. `policy.docx` or `images/fig1.png`.
    /// Not `submission.json`; no `..`, backslash, drive letter, control or Windows-reserved
    /// characters; unique ignoring ASCII case.
    pub path: String,
    /// What the file is.
    pub role: FileRole,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Everything a bundle is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInput {
    /// The submission; its `files` are replaced by the payload's listing.
    pub submission: Submission,
    /// The payload files besides `submission.json`.
    pub payload: Vec<PayloadFile>,
    /// `Source-Organization` in `bag-info.txt`: the unit's name as it signs documents.
    pub source_organization: String,
    /// `Bagging-Date` (passed in; also the zip entries' timestamp).
    pub bagging_date: NaiveDate,
}

/// The bag's folder name inside the zip, and a good file name stem: `SUB-<submission_id>`.
pub fn bag_folder_name(submission_id: &Uuid) -> String {
    format!("SUB-{submission_id}")
}

/// Make the bundle: the bag of `input` signed by `signer`, zipped. Fails with
/// [`BundleError::InvalidInput`] when the input cannot make a valid bag (a bad path, a unit
/// code that is not a short ASCII code, a payload over the size limit…).
pub fn build_bundle(input: &BundleInput, signer: &Signer) -> Result<Vec<u8>, BundleError> {
    let sub = &input.submission;
    check_unit_code(&sub.unit_code)?;
    check_single_line("Source-Organization", &input.source_organization)?;
    if sub.schema_version != SCHEMA_VERSION {
        return Err(BundleError::InvalidInput(format!(
            "submission.json 的版本应为 {SCHEMA_VERSION}，而不是 {}",
            sub.schema_version
        )));
    }

    // The payload: validated, sorted, listed in submission.json.
    let mut payload: Vec<&PayloadFile> = input.payload.iter().collect();
    payload.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    for file in &payload {
        check_relative_path(&file.path).map_err(|m| {
            BundleError::InvalidInput(format!("文件路径“{}”不可用：{m}", file.path))
        })?;
        if file.path == SUBMISSION_JSON {
            return Err(BundleError::InvalidInput(
                "submission.json 由系统生成，不能作为附件".to_string(),
            ));
        }
        if !seen.insert(file.path.to_ascii_lowercase()) {
            return Err(BundleError::InvalidInput(format!(
                "文件“{}”重复（不区分大小写）",
                file.path
            )));
        }
        total = total.saturating_add(file.bytes.len() as u64);
    }
    if payload.len() + 6 > MAX_ENTRIES {
        return Err(BundleError::InvalidInput(format!(
            "附件过多（{} 个），一个报送包最多 {} 个文件",
            payload.len(),
            MAX_ENTRIES - 6
        )));
    }
    let policies = payload
        .iter()
        .filter(|f| f.role == FileRole::PolicyDocx)
        .count();
    if policies != 1 {
        return Err(BundleError::InvalidInput(format!(
            "报送包应恰好含一份政策文件（policy_docx），现有 {policies} 份"
        )));
    }
    let mut sub = sub.clone();
    sub.files = payload
        .iter()
        .map(|f| FileEntry {
            path: f.path.clone(),
            role: f.role,
            size: f.bytes.len() as u64,
            sha256: sha256_hex(&f.bytes),
        })
        .collect();
    let submission_json = serde_json::to_vec_pretty(&sub)
        .map_err(|e| BundleError::InvalidInput(format!("submission.json 无法生成（{e}）")))?;
    total = total.saturating_add(submission_json.len() as u64);
    // Leave room for the tag files under the verifier's limit.
    if total > MAX_UNCOMPRESSED_BYTES - (1 << 20) {
        return Err(BundleError::InvalidInput(format!(
            "附件总大小 {} 字节超过上限（约 {} MB）",
            total,
            MAX_UNCOMPRESSED_BYTES >> 20
        )));
    }

    // data/ in manifest order (sorted by path).
    let mut data: Vec<(String, &[u8])> = Vec::with_capacity(payload.len() + 1);
    data.push((format!("data/{SUBMISSION_JSON}"), &submission_json));
    for f in &payload {
        data.push((format!("data/{}", f.path), &f.bytes));
    }
    data.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let manifest: String = data
        .iter()
        .map(|(path, bytes)| manifest_line(&sha256_hex(bytes), path))
        .collect();
    let bag_info = format_bag_info(&[
        ("Source-Organization", input.source_organization.clone()),
        ("External-Identifier", sub.submission_id.to_string()),
        (
            "Bagging-Date",
            input.bagging_date.format("%Y-%m-%d").to_string(),
        ),
        ("Payload-Oxum", format!("{}.{}", total, data.len())),
        (
            "Bag-Software-Agent",
            format!("gongkai-bundle {}", env!("CARGO_PKG_VERSION")),
        ),
        ("Unit-Code", sub.unit_code.clone()),
        ("Signing-Key-Id", signer.key_id().to_string()),
        (
            "Signature-Algorithm",
            signer.algorithm().as_str().to_string(),
        ),
        ("Submission-Schema", SCHEMA_VERSION.to_string()),
    ]);
    let tagmanifest: String = [
        (BAG_INFO, bag_info.as_bytes()),
        ("bagit.txt", BAGIT_TXT.as_bytes()),
        (MANIFEST, manifest.as_bytes()),
    ]
    .iter()
    .map(|(path, bytes)| manifest_line(&sha256_hex(bytes), path))
    .collect();
    let comment = trusted_comment(&sub.unit_code, &sub.submission_id, signer.key_id());
    let signature = signer.sign_detached(tagmanifest.as_bytes(), &comment)?;

    // The zip: tag files first, then the signature, then the payload in manifest order.
    let root = bag_folder_name(&sub.submission_id);
    let mut entries: Vec<(String, &[u8])> = vec![
        ("bagit.txt".to_string(), BAGIT_TXT.as_bytes()),
        (BAG_INFO.to_string(), bag_info.as_bytes()),
        (MANIFEST.to_string(), manifest.as_bytes()),
        (TAGMANIFEST.to_string(), tagmanifest.as_bytes()),
        (
            signer.algorithm().signature_file().to_string(),
            signature.as_slice(),
        ),
    ];
    entries.extend(data.iter().map(|(p, b)| (p.clone(), *b)));
    let zip = write_zip(&root, &entries, input.bagging_date, false)?;
    // A payload file that deflates more than the verifier's bomb ratio allows (a large
    // file of near-identical bytes) is stored uncompressed instead.
    if crate::safezip::precheck(&zip).is_ok() {
        Ok(zip)
    } else {
        write_zip(&root, &entries, input.bagging_date, true)
    }
}

pub(crate) fn write_zip(
    root: &str,
    entries: &[(String, &[u8])],
    date: NaiveDate,
    store_all: bool,
) -> Result<Vec<u8>, BundleError> {
    let pack = |e: zip::result::ZipError| BundleError::Packaging(e.to_string());
    let time = u16::try_from(date.year())
        .ok()
        .and_then(|y| {
            zip::DateTime::from_date_and_time(y, date.month() as u8, date.day() as u8, 0, 0, 0).ok()
        })
        .unwrap_or_default();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in entries {
        let method = if store_all || already_compressed(path) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(time)
            .unix_permissions(0o644);
        zip.start_file(format!("{root}/{path}"), options)
            .map_err(pack)?;
        zip.write_all(bytes)
            .map_err(|e| BundleError::Packaging(e.to_string()))?;
    }
    Ok(zip.finish().map_err(pack)?.into_inner())
}

/// Formats that are compressed already gain nothing from deflate.
fn already_compressed(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".ofd",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// One manifest line: `<sha256>  <path>\n` (two spaces, as bagit.py writes).
pub(crate) fn manifest_line(hash: &str, path: &str) -> String {
    format!("{hash}  {path}\n")
}

/// Parse a manifest written by [`manifest_line`]: LF-terminated lines of 64 hex digits,
/// whitespace, and a path. Returns (lowercase hash, path) pairs.
pub(crate) fn parse_manifest(bytes: &[u8], name: &str) -> Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{name} 不是 UTF-8 文本"))?;
    if text.starts_with('\u{feff}') {
        return Err(format!("{name} 不应以 BOM 开头"));
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(format!("{name} 最后一行缺少换行"));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.contains('\r') {
            return Err(format!("{name} 第{n}行含有回车符（应为 LF 换行）"));
        }
        let (hash, rest) = line
            .split_once([' ', '\t'])
            .ok_or_else(|| format!("{name} 第{n}行格式不对（应为“校验值 路径”）"))?;
        let path = rest.trim_start_matches([' ', '\t']);
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{name} 第{n}行的 SHA-256 校验值格式不对"));
        }
        if path.is_empty() {
            return Err(format!("{name} 第{n}行缺少文件路径"));
        }
        out.push((hash.to_ascii_lowercase(), path.to_string()));
    }
    Ok(out)
}

pub(crate) fn format_bag_info(fields: &[(&str, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// Parse `bag-info.txt`: `Label: value` lines (no folded lines in our bags).
pub(crate) fn parse_bag_info(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "bag-info.txt 不是 UTF-8 文本".to_string())?;
    if text.starts_with('\u{feff}') || text.contains('\r') || !text.ends_with('\n') {
        return Err("bag-info.txt 格式不对（应为 UTF-8、LF 换行、无 BOM）".to_string());
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (label, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bag-info.txt 第{}行不是“标签: 值”的格式", i + 1))?;
        if label.is_empty() || label.trim() != label {
            return Err(format!("bag-info.txt 第{}行的标签格式不对", i + 1));
        }
        out.push((label.to_string(), value.trim().to_string()));
    }
    Ok(out)
}

/// The minisign trusted comment of a bundle signature.
pub(crate) fn trusted_comment(unit_code: &str, submission_id: &Uuid, key_id: &str) -> String {
    format!("gongkai-bundle v1 unit={unit_code} submission={submission_id} key={key_id}")
}

/// The (unit, submission, key) a bundle's trusted comment names, if it has our form.
pub(crate) fn parse_trusted_comment(s: &str) -> Option<(String, String, String)> {
    let mut parts = s.split(' ');
    if parts.next()? != "gongkai-bundle" || parts.next()? != "v1" {
        return None;
    }
    let unit = parts.next()?.strip_prefix("unit=")?;
    let submission = parts.next()?.strip_prefix("submission=")?;
    let key = parts.next()?.strip_prefix("key=")?;
    if parts.next().is_some() {
        return None;
    }
    Some((unit.to_string(), submission.to_string(), key.to_string()))
}

/// A unit code: 1–32 ASCII letters, digits, `-` or `_` (it goes into file names and the
/// signed trusted comment).
pub(crate) fn check_unit_code(code: &str) -> Result<(), BundleError> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(BundleError::InvalidInput(format!(
            "单位代码“{code}”不可用：只能由 1–32 个英文字母、数字、“-”或“_”组成"
        )))
    }
}

fn check_single_line(label: &str, value: &str) -> Result<(), BundleError> {
    if value.trim().is_empty() || value.chars().any(char::is_control) || value.trim() != value {
        return Err(BundleError::InvalidInput(format!(
            "{label} 不能为空，不能含换行等控制字符，首尾不能有空格"
        )));
    }
    Ok(())
}

/// The rules for a path inside the bag (relative, `/`-separated). Returns a Chinese reason.
/// Used for payload paths when writing and for every zip entry when reading.
/// Why Windows would refuse this file or folder name, if it would: a device name (CON, PRN,
/// AUX, NUL, COM1–9, LPT1–9, with any extension), a name ending in a dot or a space, or one over
/// 255 characters. Checked on every OS, so a Linux office never writes what a Windows office
/// cannot open.
pub fn windows_name_problem(name: &str) -> Option<String> {
    if name.chars().count() > 255 {
        return Some("文件名超过255个字符，Windows 上无法创建".into());
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some(format!("“{name}”以“.”或空格结尾，Windows 上无法创建"));
    }
    let stem: String = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_uppercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| {
            matches!(
                n,
                "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    };
    if matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL") || numbered("COM") || numbered("LPT")
    {
        return Some(format!(
            "“{name}”是 Windows 的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），Windows 上无法创建"
        ));
    }
    None
}

/// The most characters a path inside a bag may have, so that it still fits Windows' 260 once
/// unpacked into a folder.
pub const MAX_BAG_PATH_CHARS: usize = 180;

pub(crate) fn check_relative_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("路径为空".to_string());
    }
    if path.len() > 512 || path.chars().count() > MAX_BAG_PATH_CHARS {
        return Err(format!(
            "路径过长（超过{MAX_BAG_PATH_CHARS}个字符，Windows 上可能无法解压）"
        ));
    }
    if path.contains('\\') {
        return Err("含有反斜杠“\\”".to_string());
    }
    if path.starts_with('/') {
        return Err("是绝对路径".to_string());
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err("含有盘符（如 C:）".to_string());
    }
    if path.chars().any(|c| c.is_control()) {
        return Err("含有换行等控制字符".to_string());
    }
    if path.contains(':') {
        return Err("含有冒号“:”".to_string());
    }
    if path
        .chars()
        .any(|c| matches!(c, '<' | '>' | '"' | '|' | '?' | '*'))
    {
        return Err("含有 Windows 不允许的字符（< > \" | ? *）".to_string());
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%0a") || lower.contains("%0d") {
        return Err("含有 BagIt 保留的转义序列（%0A/%0D）".to_string());
    }
    for segment in path.split('/') {
        if segment == ".." {
            return Err("含有路径穿越（..）".to_string());
        }
        if segment.is_empty() || segment == "." {
            return Err("含有空的或“.”路径段".to_string());
        }
        if segment.trim() != segment {
            return Err("路径段首尾有空格".to_string());
        }
        if let Some(p) = windows_name_problem(segment) {
            return Err(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Algorithm;

    #[test]
    fn path_rules() {
        for ok in [
            "policy.docx",
            "images/图解1.png",
            "forms/审签单.pdf",
            "a b/c",
        ] {
            assert_eq!(check_relative_path(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/../b",
            "/etc/passwd",
            "C:/x",
            "c:x",
            "a\\b",
            "a//b",
            "./a",
            "a/",
            "a\nb",
            "a:b",
            " a",
            "a%0Ab",
            "a|b",
            "CON",
            "images/aux.png",
            "forms/Nul.tar.gz",
            "com1.txt",
            "LPT9/x",
            "COM¹.txt",
            "forms/审签单.",
            "forms/审签单 /x",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad:?}");
        }
        // Names that only look like device names are fine.
        for ok in [
            "console.docx",
            "com10.txt",
            "lpt.pdf",
            "auxiliary/a.png",
            "nul1",
        ] {
            assert_eq!(check_relative_path(ok), Ok(()), "{ok}");
        }
        let long = format!("data/{}.png", "图".repeat(MAX_BAG_PATH_CHARS));
        assert!(check_relative_path(&long).unwrap_err().contains("过长"));
    }

    #[test]
    fn trusted_comment_round_trip() {
        let id = Uuid::nil();
        let c = trusted_comment("zazd", &id, "0123456789ABCDEF");
        assert_eq!(
            parse_trusted_comment(&c),
            Some((
                "zazd".to_string(),
                id.to_string(),
                "0123456789ABCDEF".to_string()
            ))
        );
        assert_eq!(parse_trusted_comment("timestamp:1"), None);
    }

    #[test]
    fn manifest_round_trip() {
        let h = sha256_hex(b"x");
        let text = manifest_line(&h, "data/a b.txt");
        assert_eq!(
            parse_manifest(text.as_bytes(), "m"),
            Ok(vec![(h, "data/a b.txt".to_string())])
        );
        assert!(parse_manifest(b"zz  a\n", "m").is_err());
    }

    #[test]
    fn algorithm_names() {
        for a in [Algorithm::MinisignEd25519, Algorithm::Sm2Sm3] {
            assert_eq!(Algorithm::parse(a.as_str()), Some(a));
        }
    }
}
