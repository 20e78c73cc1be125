//! Full-text search over the head revision of every document.
//!
//! Two FTS5 indexes: `doc_fts` with the trigram tokenizer answers terms of 3+ characters
//! (any substring); trigram cannot answer shorter terms, so `doc_bigram` indexes every character
//! and every overlapping 2-character gram of each run of letters and digits (Chinese included)
//! and answers 1- and 2-character terms by exact token. Terms with punctuation shorter than 3
//! characters fall back to `LIKE`. Several terms separated by spaces must all match. Candidates
//! are ranked on the small `documents` rows; only the page shown reads the indexed text.

use crate::documents::summary_row;
use crate::{Result, Store};
use gongkai_core::{DocFields, DocId, SearchHit};
use rusqlite::{params, Transaction};

pub(crate) const SCHEMA_V4: &str = "
CREATE VIRTUAL TABLE doc_fts USING fts5(title, text, tokenize = 'trigram');
CREATE VIRTUAL TABLE doc_bigram USING fts5(grams, tokenize = 'unicode61 remove_diacritics 0');
";

/// Every character and every 2-gram of each run of alphanumeric characters, lowercased.
pub fn bigrams(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        for c in run.iter() {
            out.push(*c);
            out.push(' ');
        }
        for w in run.windows(2) {
            out.extend(w.iter());
            out.push(' ');
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            run.extend(c.to_lowercase());
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

pub(crate) fn index(tx: &Transaction<'_>, doc_id: DocId, fields: &DocFields) -> Result<()> {
    let seq: i64 = tx.query_row(
        "SELECT seq FROM documents WHERE doc_id = ?1",
        [doc_id.to_string()],
        |r| r.get(0),
    )?;
    let title = fields.title.trim();
    let text = fields.search_text();
    tx.execute("DELETE FROM doc_fts WHERE rowid = ?1", [seq])?;
    tx.execute(
        "INSERT INTO doc_fts(rowid, title, text) VALUES (?1, ?2, ?3)",
        params![seq, title, text],
    )?;
    tx.execute("DELETE FROM doc_bigram WHERE rowid = ?1", [seq])?;
    tx.execute(
        "INSERT INTO doc_bigram(rowid, grams) VALUES (?1, ?2)",
        params![seq, format!("{} {}", bigrams(title), bigrams(&text))],
    )?;
    Ok(())
}

fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

fn like_pattern(term: &str) -> String {
    let mut s = String::from("%");
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// A snippet of `text` around the first term found, with the matches marked.
fn snippet(title: &str, text: &str, terms: &[String]) -> (String, Vec<(u32, u32)>) {
    let lower_title = title.to_lowercase();
    let in_title = terms.iter().any(|t| lower_title.contains(t.as_str()));
    let source = if in_title { title } else { text };
    let chars: Vec<char> = source.chars().collect();
    let lower: Vec<char> = source.to_lowercase().chars().collect();
    let lower = if lower.len() == chars.len() {
        lower
    } else {
        chars.clone()
    };
    let find = |needle: &[char], from: usize| -> Option<usize> {
        if needle.is_empty() || needle.len() > lower.len() {
            return None;
        }
        (from..=lower.len() - needle.len()).find(|&i| lower[i..i + needle.len()] == *needle)
    };
    let needles: Vec<Vec<char>> = terms.iter().map(|t| t.chars().collect()).collect();
    let first = needles.iter().filter_map(|n| find(n, 0)).min().unwrap_or(0);
    let (before, width) = (16usize, 60usize);
    let start = if in_title {
        0
    } else {
        first.saturating_sub(before)
    };
    let end = (start + width).min(chars.len());
    // Do not run across a line: the snippet shows one paragraph.
    let line_start = chars[..first.min(chars.len())]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1)
        .max(start);
    let line_end = chars[first.min(chars.len())..end]
        .iter()
        .position(|&c| c == '\n')
        .map_or(end, |p| first + p);
    let (start, end) = (line_start, line_end.max(line_start));
    let mut marks = Vec::new();
    for n in &needles {
        let mut i = start;
        while let Some(p) = find(n, i) {
            if p + n.len() > end {
                break;
            }
            marks.push(((p - start) as u32, (p - start + n.len()) as u32));
            i = p + n.len();
        }
    }
    marks.sort_unstable();
    let mut s: String = chars[start..end].iter().collect();
    if start > 0 && chars[start - 1] != '\n' {
        s.insert(0, '…');
        marks.iter_mut().for_each(|m| *m = (m.0 + 1, m.1 + 1));
    }
    if end < chars.len() && chars[end] != '\n' && !in_title {
        s.push('…');
    }
    (s, marks)
}

impl Store {
    /// Searches titles and text of the documents not in the recycle bin, title matches first,
    /// then the most recently edited. An empty query finds nothing.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let terms: Vec<String> = query
            .split_whitespace()
            .take(8)
            .map(str::to_lowercase)
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut conds = Vec::new();
        let mut args: Vec<String> = Vec::new();
        for t in &terms {
            let n = t.chars().count();
            args.push(if n >= 3 {
                conds.push(format!(
                    "d.seq IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?{})",
                    args.len() + 1
                ));
                quote(t)
            } else if t.chars().all(char::is_alphanumeric) {
                conds.push(format!(
                    "d.seq IN (SELECT rowid FROM doc_bigram WHERE doc_bigram MATCH ?{})",
                    args.len() + 1
                ));
                quote(t)
            } else {
                let i = args.len() + 1;
                conds.push(format!(
                    "(f.title LIKE ?{i} ESCAPE '\\' OR f.text LIKE ?{i} ESCAPE '\\')"
                ));
                like_pattern(t)
            });
        }
        args.push(like_pattern(&terms[0]));
        let title_arg = args.len();
        let like_join = if conds.iter().any(|c| c.contains("f.text")) {
            "JOIN doc_fts f ON f.rowid = d.seq"
        } else {
            ""
        };
        let sql = format!(
            "SELECT d.doc_id, d.unit_id, d.title, d.doc_number, d.status, d.head_rev_id,
                    d.rev_count, d.created_by, d.created_at, d.updated_by, d.updated_at,
                    d.deleted_at, f.title, f.text
             FROM (SELECT d.* FROM documents d {like_join}
                   WHERE d.deleted_at IS NULL AND {}
                   ORDER BY (d.title LIKE ?{title_arg} ESCAPE '\\') DESC, d.updated_at DESC, d.seq DESC
                   LIMIT {}) d
             JOIN doc_fts f ON f.rowid = d.seq
             ORDER BY (d.title LIKE ?{title_arg} ESCAPE '\\') DESC, d.updated_at DESC, d.seq DESC",
            conds.join(" AND "),
            limit.min(500)
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((
                summary_row(r)?,
                r.get::<_, String>(12)?,
                r.get::<_, String>(13)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (doc, title, text) = row?;
            let (snippet, highlights) = snippet(&title, &text, &terms);
            hits.push(SearchHit {
                doc,
                snippet,
                highlights,
            });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_of_runs() {
        assert_eq!(bigrams("政务公开"), "政 务 公 开 政务 务公 公开 ");
        assert_eq!(bigrams("一、AB"), "一 a b ab ");
    }

    #[test]
    fn snippet_marks_the_match() {
        let (s, m) = snippet(
            "标题",
            "第一段\n这里讲到户籍窗口的办理时限",
            &["户籍".into()],
        );
        assert_eq!(s, "这里讲到户籍窗口的办理时限");
        assert_eq!(m, vec![(4, 6)]);
    }
}
