//! The zip package: entry limits checked before anything is inflated, parts read on demand.

use super::*;

pub(crate) struct Entry {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) size: u64,
}

pub(crate) struct Package<'a> {
    pub(crate) archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → entry (OPC part names are case-insensitive).
    pub(crate) entries: HashMap<String, Entry>,
    /// Bytes that may still be decompressed.
    pub(crate) budget: u64,
    pub(crate) limits: Limits,
}

/// Reads the entry count from the end-of-central-directory record (zip64 aware) without
/// loading the directory.
pub(crate) fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
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

pub(crate) fn zip_error(e: zip::result::ZipError, part: &str) -> ImportError {
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
    pub(crate) fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, ImportError> {
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

    pub(crate) fn has(&self, name: &str) -> bool {
        self.entries.contains_key(&name.to_lowercase())
    }

    /// The decompressed bytes of a part, `None` if absent. Streams with the caps applied.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
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
