//! OLE (compound file) containers: telling a legacy .doc and a password-protected .docx apart.

use super::*;

pub(crate) fn classify_ole(bytes: &[u8]) -> ImportError {
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
