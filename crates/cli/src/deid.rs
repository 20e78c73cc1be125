//! `gongkai deid scan | apply`: de-identification of text files, streamed in chunks so that a
//! large file is scanned in bounded memory.

use gongkai_api::{ApiError, ErrorCode};
use gongkai_deid::{apply_with, DeidError, Finding, Kept, Pseudonyms, Scanner};
use serde::Deserialize;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

/// Chunk size for streaming scans (cut at line ends).
const CHUNK: usize = 1 << 20;

fn err(e: DeidError) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, e.to_string())
}

fn io(e: std::io::Error, path: &Path) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        format!("无法读取文件 {}：{e}。请检查路径和权限。", path.display()),
    )
}

fn open(path: &Path) -> Result<BufReader<Box<dyn std::io::Read>>, ApiError> {
    let r: Box<dyn std::io::Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| io(e, path))?)
    };
    Ok(BufReader::new(r))
}

/// The finding as the CLI prints it.
fn finding_json(f: &Finding) -> serde_json::Value {
    json!({"kind": f.kind, "start": f.start, "end": f.end, "text": f.text,
           "confidence": f.confidence, "reason": f.reason})
}

/// What was kept visible on purpose, as the CLI prints it.
fn kept_json(k: &Kept) -> serde_json::Value {
    json!({"kind": k.kind, "start": k.start, "end": k.end, "text": k.text, "reason": k.reason})
}

fn write_err(e: std::io::Error) -> DeidError {
    DeidError::Io(e)
}

/// `deid scan FILE`: a JSON array of findings (streamed), or one line per finding as text.
pub fn scan(path: &Path, json_out: bool) -> Result<(), ApiError> {
    let scanner = Scanner::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut first = true;
    if json_out {
        out.write_all(b"[").map_err(|e| err(write_err(e)))?;
    }
    scanner
        .scan_reader(open(path)?, CHUNK, |_, _, fs| {
            for f in fs {
                if json_out {
                    if !first {
                        out.write_all(b",").map_err(write_err)?;
                    }
                    first = false;
                    write!(out, "\n  {}", finding_json(&f)).map_err(write_err)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{:.2}\t{}",
                        f.kind.label(),
                        f.start,
                        f.end,
                        f.text,
                        f.confidence,
                        f.reason
                    )
                    .map_err(write_err)?;
                }
            }
            Ok(())
        })
        .map_err(err)?;
    if json_out {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })
            .map_err(|e| err(write_err(e)))?;
    }
    out.flush().map_err(|e| err(write_err(e)))
}

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
}

/// `deid scan --jsonl FILE`: one `{"id","findings","kept"}` line per `{"id","text"}` line (`kept`:
/// what was left visible on purpose, with the reason); a bad line
/// gets `{"id", "error": {code, message}}` and the rest go on.
pub fn scan_jsonl(path: &Path) -> Result<(), ApiError> {
    let scanner = Scanner::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut reader = open(path)?;
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        if reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| io(e, path))?
            == 0
        {
            break;
        }
        n += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = match std::str::from_utf8(&buf)
            .map_err(|_| format!("第{n}行不是 UTF-8 编码。"))
            .and_then(|s| {
                serde_json::from_str::<Line>(s)
                    .map_err(|e| format!("第{n}行不是 {{\"id\",\"text\"}} 形式的 JSON：{e}"))
            }) {
            Ok(l) => l,
            Err(message) => {
                let id = serde_json::from_slice::<serde_json::Value>(&buf)
                    .ok()
                    .and_then(|v| v.get("id").cloned())
                    .unwrap_or(serde_json::Value::Null);
                writeln!(
                    out,
                    "{}",
                    json!({"id": id, "error": {"code": "InvalidInput", "message": message}})
                )
                .map_err(|e| err(write_err(e)))?;
                continue;
            }
        };
        let scan = scanner.explain(&line.text);
        let findings: Vec<_> = scan.findings.iter().map(finding_json).collect();
        let kept: Vec<_> = scan.kept.iter().map(kept_json).collect();
        writeln!(
            out,
            "{}",
            json!({"id": line.id, "findings": findings, "kept": kept})
        )
        .map_err(|e| err(write_err(e)))?;
    }
    out.flush().map_err(|e| err(write_err(e)))
}

/// `deid apply FILE`: the text with every finding replaced by the policy's operator.
pub fn apply(path: &Path) -> Result<(), ApiError> {
    let scanner = Scanner::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut names = Pseudonyms::default();
    scanner
        .scan_reader(open(path)?, CHUNK, |chunk, offset, mut fs| {
            for f in &mut fs {
                f.start -= offset;
                f.end -= offset;
            }
            let applied = apply_with(chunk, &fs, scanner.policy(), &mut names);
            out.write_all(applied.text.as_bytes()).map_err(write_err)
        })
        .map_err(err)?;
    out.flush().map_err(|e| err(write_err(e)))
}
