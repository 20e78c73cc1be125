//! 去标识化 for Gongkai: find personal information in Chinese official text and mask it.
//!
//! [`Scanner::scan`] returns [`Finding`]s with code-point offsets; [`policy::apply`] replaces the
//! accepted ones by the bureau's [`Policy`]. Detection is rule-based and explainable (each finding
//! carries its reason): check characters for numbers, context cues and jieba-rs for names, cues and
//! residential patterns for addresses. The jieba dictionary is loaded once per process.

mod address;
pub mod checks;
mod detect;
mod finding;
mod names;
pub mod policy;
mod text;

pub use address::generalise as generalise_address;
pub use finding::{Finding, Kind};
pub use names::warm_up;
pub use policy::{apply, apply_with, Allow, Applied, Operator, Policy, Pseudonyms, Replacement};

use std::io::BufRead;

/// Errors of the de-identification crate. `Display` is the clerk's message.
#[derive(Debug, thiserror::Error)]
pub enum DeidError {
    #[error("去标识化策略文件有误：{0}")]
    BadPolicy(String),
    #[error("文件不是 UTF-8 编码的文本（第{line}行附近无法解码）。请在 WPS/Word 中另存为“纯文本（UTF-8）”后再试。")]
    NotUtf8 { line: usize },
    #[error("文件看起来是二进制文件（含有空字符），不是文本。请选择 .txt 文本文件。")]
    Binary,
    #[error("读取失败：{0}")]
    Io(#[from] std::io::Error),
}

/// A scanner with its policy's allow rules.
#[derive(Debug, Clone)]
pub struct Scanner {
    policy: Policy,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new(Policy::embedded())
    }
}

/// Keeps the best of overlapping findings (higher confidence, then longer), sorted by start.
fn resolve(mut fs: Vec<Finding>) -> Vec<Finding> {
    fs.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(fs.len());
    for f in fs {
        if !kept.iter().any(|k| f.start < k.end && k.start < f.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    kept
}

impl Scanner {
    /// A scanner using `policy`'s allow rules.
    pub fn new(policy: Policy) -> Self {
        Scanner { policy }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Finds personal information in `text`; offsets are code points.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let t = text::Text::new(text);
        let mut out = Vec::new();
        detect::structured(&t, &self.policy.allow, &mut out);
        address::addresses(&t, &mut out);
        names::person_names(&t, &self.policy.allow.official_titles, &mut out);
        resolve(out)
    }

    /// Scans then masks every finding: the one-step `deid apply` of the CLI.
    pub fn redact(&self, text: &str) -> Applied {
        apply(text, &self.scan(text), &self.policy)
    }

    /// Scans a large text from a reader in chunks of about `chunk_bytes` (cut at line ends), so
    /// memory stays bounded; calls `each` with every chunk's text, its code-point offset and its
    /// findings (offsets relative to the whole input). A name recurring in another chunk is found
    /// there only by its own cues.
    pub fn scan_reader<R: BufRead>(
        &self,
        mut reader: R,
        chunk_bytes: usize,
        mut each: impl FnMut(&str, usize, Vec<Finding>) -> Result<(), DeidError>,
    ) -> Result<(), DeidError> {
        let mut chunk = String::new();
        let mut offset = 0usize;
        let mut line_no = 0usize;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf)?;
            if n > 0 {
                line_no += 1;
                if buf.contains(&0) {
                    return Err(DeidError::Binary);
                }
                let line =
                    std::str::from_utf8(&buf).map_err(|_| DeidError::NotUtf8 { line: line_no })?;
                chunk.push_str(line);
            }
            if (n == 0 && !chunk.is_empty()) || chunk.len() >= chunk_bytes {
                let mut fs = self.scan(&chunk);
                for f in &mut fs {
                    f.start += offset;
                    f.end += offset;
                }
                each(&chunk, offset, fs)?;
                offset += chunk.chars().count();
                chunk.clear();
            }
            if n == 0 {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        Scanner::default()
            .scan(text)
            .into_iter()
            .map(|f| (f.kind, f.text))
            .collect()
    }

    #[test]
    fn numbers_by_kind() {
        let id = checks::id18_complete("37030219900101123");
        let got = kinds(&format!(
            "当事人身份证号{id}，手机13812345678，银行卡号6222 0200 0000 0000 004？"
        ));
        assert!(got.contains(&(Kind::IdCard, id)), "{got:?}");
        assert!(
            got.contains(&(Kind::PhoneMobile, "13812345678".into())),
            "{got:?}"
        );
    }

    #[test]
    fn offsets_are_code_points() {
        let s = "联系电话：13912345678";
        let f = &Scanner::default().scan(s)[0];
        assert_eq!((f.start, f.end), (5, 16));
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text);
    }
}
