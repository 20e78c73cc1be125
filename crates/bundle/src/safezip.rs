//! Reading an untrusted zip safely, in memory.
//!
//! Nothing is ever written to disk: entries are decompressed into memory under hard limits.
//! Before the `zip` crate sees the archive, the central directory is walked here by hand, so
//! that limits hold even where that crate is lenient (it silently keeps the last of two
//! entries with the same name, and sizes its tables from the archive's own counts):
//!
//! - at most [`MAX_BUNDLE_BYTES`] of zip and [`MAX_ENTRIES`] entries;
//! - names: UTF-8 (and flagged so when not ASCII), relative, no `..`, no backslash, no drive
//!   letter, no control or Windows-reserved characters, unique even ignoring ASCII case;
//! - no symbolic links or other special files (Unix mode in the external attributes);
//! - no encryption, only stored or deflated entries, no ZIP64, no multi-disk archives;
//! - zip bombs: the declared sizes add up to at most [`MAX_UNCOMPRESSED_BYTES`], no entry
//!   expands more than [`MAX_RATIO`] times (beyond its first MiB), and each entry is read
//!   with a limit of its declared size + 1, so a header that lies about sizes is caught
//!   after reading at most that much;
//! - one top-level folder holding everything.
//!
//! Each refusal is a Chinese message; the verifier reports it as `bag_invalid`.

use crate::bag::check_relative_path;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

/// The largest zip accepted (200 MiB).
pub const MAX_BUNDLE_BYTES: u64 = 200 << 20;
/// The most bytes all entries may expand to, together (200 MiB).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 200 << 20;
/// The most entries a zip may have.
pub const MAX_ENTRIES: usize = 2_000;
/// The largest expansion ratio of one entry, once it is over 1 MiB.
pub const MAX_RATIO: u64 = 200;

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const UNIX_HOST: u8 = 3;
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

/// A zip read into memory.
#[derive(Debug)]
pub(crate) struct Unzipped {
    /// The single top-level folder.
    pub(crate) root: String,
    /// Files by path relative to `root` (directory entries left out).
    pub(crate) files: BTreeMap<String, Vec<u8>>,
}

/// One central directory record, as much of it as the checks need.
struct CdEntry {
    name: String,
    flags: u16,
    method: u16,
    compressed: u64,
    uncompressed: u64,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

const NOT_A_ZIP: &str = "不是有效的 ZIP 压缩包（找不到或无法读取中央目录）";

/// Walk the central directory. Every offset is checked; nothing is trusted.
fn central_directory(bytes: &[u8]) -> Result<Vec<CdEntry>, String> {
    if bytes.len() < 22 {
        return Err(NOT_A_ZIP.to_string());
    }
    // The end-of-central-directory record: the last one whose comment reaches the end exactly.
    let last = bytes.len() - 22;
    let first = last.saturating_sub(0xFFFF);
    let mut eocd = None;
    for pos in (first..=last).rev() {
        if u32_at(bytes, pos) == Some(EOCD_SIG) {
            let comment_len = usize::from(u16_at(bytes, pos + 20).unwrap_or(u16::MAX));
            if pos + 22 + comment_len == bytes.len() {
                eocd = Some(pos);
                break;
            }
        }
    }
    let eocd = eocd.ok_or_else(|| NOT_A_ZIP.to_string())?;
    let field16 = |off: usize| u16_at(bytes, eocd + off).ok_or_else(|| NOT_A_ZIP.to_string());
    let field32 = |off: usize| u32_at(bytes, eocd + off).ok_or_else(|| NOT_A_ZIP.to_string());
    let disk = field16(4)?;
    let cd_disk = field16(6)?;
    let entries_here = field16(8)?;
    let entries_total = field16(10)?;
    let cd_size = field32(12)?;
    let cd_offset = field32(16)?;
    if eocd >= 20 && u32_at(bytes, eocd - 20) == Some(ZIP64_LOCATOR_SIG)
        || entries_total == u16::MAX
        || cd_size == u32::MAX
        || cd_offset == u32::MAX
    {
        return Err("不支持 ZIP64 格式的压缩包".to_string());
    }
    if disk != 0 || cd_disk != 0 || entries_here != entries_total {
        return Err("不支持分卷压缩包".to_string());
    }
    let count = usize::from(entries_total);
    if count > MAX_ENTRIES {
        return Err(format!(
            "压缩包内条目过多（{count} 个，上限 {MAX_ENTRIES} 个）"
        ));
    }
    let cd_start = cd_offset as usize;
    let cd_end = cd_start
        .checked_add(cd_size as usize)
        .filter(|end| *end <= eocd)
        .ok_or_else(|| NOT_A_ZIP.to_string())?;
    let mut out = Vec::with_capacity(count);
    let mut at = cd_start;
    for _ in 0..count {
        let header = bytes
            .get(at..at + 46)
            .filter(|_| at + 46 <= cd_end)
            .ok_or_else(|| NOT_A_ZIP.to_string())?;
        if u32_at(header, 0) != Some(CDH_SIG) {
            return Err(NOT_A_ZIP.to_string());
        }
        let get16 = |off| u16_at(header, off).unwrap_or(0);
        let get32 = |off| u32_at(header, off).unwrap_or(0);
        let made_by = get16(4);
        let flags = get16(8);
        let method = get16(10);
        let compressed = get32(20);
        let uncompressed = get32(24);
        let name_len = usize::from(get16(28));
        let extra_len = usize::from(get16(30));
        let comment_len = usize::from(get16(32));
        let external = get32(38);
        let name_start = at + 46;
        let next = name_start + name_len + extra_len + comment_len;
        if next > cd_end {
            return Err(NOT_A_ZIP.to_string());
        }
        let raw_name = &bytes[name_start..name_start + name_len];
        if compressed == u32::MAX || uncompressed == u32::MAX {
            return Err("不支持 ZIP64 格式的压缩包".to_string());
        }
        let name = std::str::from_utf8(raw_name)
            .map_err(|_| "压缩包内有文件名不是 UTF-8 编码".to_string())?;
        if !name.is_ascii() && flags & (1 << 11) == 0 {
            return Err(format!(
                "压缩包内文件名“{name}”未标明 UTF-8 编码（可能被其他软件按 GBK 等编码重新打包）"
            ));
        }
        if (made_by >> 8) as u8 == UNIX_HOST {
            let mode = external >> 16;
            let kind = mode & S_IFMT;
            if kind == S_IFLNK {
                return Err(format!("压缩包内含有符号链接“{name}”，已拒收"));
            }
            if kind != 0 && kind != S_IFREG && kind != S_IFDIR {
                return Err(format!(
                    "压缩包内含有特殊文件“{name}”（设备、管道等），已拒收"
                ));
            }
        }
        out.push(CdEntry {
            name: name.to_string(),
            flags,
            method,
            compressed: u64::from(compressed),
            uncompressed: u64::from(uncompressed),
        });
        at = next;
    }
    Ok(out)
}

/// Check every entry before decompressing anything; return the top-level folder.
fn check_entries(entries: &[CdEntry]) -> Result<String, String> {
    let mut names = BTreeSet::new();
    let mut folded = BTreeSet::new();
    let mut declared: u64 = 0;
    let mut root: Option<&str> = None;
    for e in entries {
        let name = e.name.as_str();
        let (path, is_dir) = match name.strip_suffix('/') {
            Some(dir) => (dir, true),
            None => (name, false),
        };
        check_relative_path(path).map_err(|m| format!("压缩包内路径“{name}”不安全：{m}"))?;
        if !names.insert(name) {
            return Err(format!("压缩包内文件名“{name}”重复"));
        }
        if !folded.insert(name.to_lowercase()) {
            return Err(format!("压缩包内文件名“{name}”与另一文件仅大小写不同"));
        }
        if e.flags & 1 != 0 {
            return Err(format!("压缩包内“{name}”已加密，无法核验"));
        }
        if e.method != 0 && e.method != 8 {
            return Err(format!(
                "压缩包内“{name}”使用了不支持的压缩方式（{}）",
                e.method
            ));
        }
        if is_dir && e.uncompressed != 0 {
            return Err(format!("压缩包内目录条目“{name}”带有内容"));
        }
        declared = declared.saturating_add(e.uncompressed);
        if declared > MAX_UNCOMPRESSED_BYTES {
            return Err(format!(
                "解压后总大小超过上限 {} MB（疑似压缩炸弹），已拒收",
                MAX_UNCOMPRESSED_BYTES >> 20
            ));
        }
        if e.uncompressed > (1 << 20) && e.uncompressed / e.compressed.max(1) > MAX_RATIO {
            return Err(format!(
                "压缩包内“{name}”压缩比异常（超过 {MAX_RATIO} 倍，疑似压缩炸弹），已拒收"
            ));
        }
        let top = path.split('/').next().unwrap_or(path);
        if !is_dir && !path.contains('/') {
            return Err(format!(
                "压缩包顶层有文件“{name}”；报送包应只有一个顶层文件夹"
            ));
        }
        match root {
            None => root = Some(top),
            Some(r) if r == top => {}
            Some(_) => return Err("压缩包顶层有多个文件夹；报送包应只有一个".to_string()),
        }
    }
    root.map(str::to_string)
        .ok_or_else(|| "压缩包是空的".to_string())
}

/// The checks that need no decompression (sizes, ratios, names, entry count).
pub(crate) fn precheck(bytes: &[u8]) -> Result<(), String> {
    check_entries(&central_directory(bytes)?).map(|_| ())
}

/// Read `bytes` as a bundle zip, in memory, refusing anything unsafe.
pub(crate) fn read(bytes: &[u8]) -> Result<Unzipped, String> {
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(format!(
            "报送包过大（超过 {} MB），已拒收",
            MAX_BUNDLE_BYTES >> 20
        ));
    }
    let entries = central_directory(bytes)?;
    let root = check_entries(&entries)?;
    let by_name: BTreeMap<&str, &CdEntry> = entries.iter().map(|e| (e.name.as_str(), e)).collect();

    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("{NOT_A_ZIP}：{e}"))?;
    if archive.len() != entries.len() {
        return Err("压缩包的中央目录不一致".to_string());
    }
    let prefix = format!("{root}/");
    let mut files = BTreeMap::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| format!("压缩包内第 {} 个条目无法读取：{e}", i + 1))?;
        let name = std::str::from_utf8(file.name_raw())
            .map_err(|_| "压缩包内有文件名不是 UTF-8 编码".to_string())?
            .to_string();
        let entry = by_name
            .get(name.as_str())
            .ok_or_else(|| "压缩包的中央目录不一致".to_string())?;
        if name.ends_with('/') {
            continue;
        }
        if file.is_symlink() {
            return Err(format!("压缩包内含有符号链接“{name}”，已拒收"));
        }
        let limit = entry.uncompressed;
        let mut buf = Vec::new();
        (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|_| format!("压缩包内“{name}”已损坏，无法解压"))?;
        if buf.len() as u64 != limit {
            return Err(format!(
                "压缩包内“{name}”的实际大小与目录记录不符（疑似压缩炸弹或文件损坏），已拒收"
            ));
        }
        // Reading to the end lets the zip crate check the CRC; make sure it did.
        let mut probe = [0u8; 1];
        match file.read(&mut probe) {
            Ok(0) => {}
            _ => return Err(format!("压缩包内“{name}”已损坏，无法解压")),
        }
        total = total.saturating_add(limit);
        if total > MAX_UNCOMPRESSED_BYTES {
            return Err(format!(
                "解压后总大小超过上限 {} MB（疑似压缩炸弹），已拒收",
                MAX_UNCOMPRESSED_BYTES >> 20
            ));
        }
        let rel = name
            .strip_prefix(&prefix)
            .ok_or_else(|| "压缩包顶层有多个文件夹；报送包应只有一个".to_string())?;
        files.insert(rel.to_string(), buf);
    }
    Ok(Unzipped { root, files })
}
