//! Full-text search over the head revision of every document.
//!
//! One FTS5 index, `doc_grams`, holds for each document a stream of tokens made from each run of
//! letters and digits (Chinese included), lowercased: every overlapping 2-character gram in order
//! (runs kept apart by a `_` token), so a term of 2+ characters is the phrase of its grams and
//! matches exactly its substrings; every single character, for 1-character terms; and the same
//! grams of the title again, marked with a leading `_`, so "the title holds the term" has its own
//! short doclists. A term with punctuation is matched by its runs in the index and then
//! literally (`LIKE`) on the few candidates. Several terms separated by spaces must all match:
//! one `MATCH` expression, which FTS5 answers by merging doclists.
//!
//! Ranking is title matches of the first term first, then the others, each the most recently
//! indexed first. Every (re)index gives the document a new **search key**
//! (`documents.search_key`, the FTS rowid) above every other, so a query walks its matches from
//! the highest rowid down and stops after a page instead of sorting every match: a term found in
//! half of 100,000 documents costs one page. `doc_text` keeps the indexed title and text for the
//! snippets and the literal matches.

use crate::documents::summary_row;
use crate::{Result, Store, StoreError};
use gongkai_core::{DocFields, DocId, SearchHit};
use rusqlite::{params, Transaction};

pub(crate) const SCHEMA_V4: &str = "
CREATE VIRTUAL TABLE doc_fts USING fts5(title, text, tokenize = 'trigram');
CREATE VIRTUAL TABLE doc_bigram USING fts5(grams, tokenize = 'unicode61 remove_diacritics 0');
";

/// Search keys in recency order and the gram index; filled by [`reindex_all`] in the same
/// transaction.
pub(crate) const SCHEMA_V11: &str = "
ALTER TABLE documents ADD COLUMN search_key INTEGER;
CREATE UNIQUE INDEX documents_search_key ON documents(search_key);
DROP TABLE doc_fts;
DROP TABLE doc_bigram;
CREATE TABLE doc_text (
    search_key INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL
) STRICT;
CREATE VIRTUAL TABLE doc_grams USING fts5(
    grams, content = '', contentless_delete = 1,
    tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\"
);
";

/// The runs of letters and digits of `text`, lowercased.
fn runs(text: &str) -> Vec<Vec<char>> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            run.extend(c.to_lowercase());
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The 2-grams of a run, each with `mark` before it, separated by spaces.
fn push_grams(out: &mut String, run: &[char], mark: &str) {
    for w in run.windows(2) {
        out.push_str(mark);
        out.extend(w.iter());
        out.push(' ');
    }
}

/// The token stream indexed for a document (see the module doc).
pub fn grams(title: &str, text: &str) -> String {
    let (title_runs, text_runs) = (runs(title), runs(text));
    let mut out = String::with_capacity((title.len() + text.len()) * 3);
    for run in &title_runs {
        push_grams(&mut out, run, "_");
        out.push_str("_ ");
    }
    for run in title_runs.iter().chain(&text_runs) {
        push_grams(&mut out, run, "");
        out.push_str("_ ");
    }
    for c in title_runs.iter().flatten() {
        out.push('_');
        out.push(*c);
        out.push(' ');
    }
    for c in title_runs.iter().chain(&text_runs).flatten() {
        out.push(*c);
        out.push(' ');
    }
    out
}

/// (Re)indexes a document's head under a new search key, the highest there is.
pub(crate) fn index(tx: &Transaction<'_>, doc_id: DocId, fields: &DocFields) -> Result<()> {
    let old: Option<i64> = tx.query_row(
        "SELECT search_key FROM documents WHERE doc_id = ?1",
        [doc_id.to_string()],
        |r| r.get(0),
    )?;
    if let Some(old) = old {
        tx.execute("DELETE FROM doc_grams WHERE rowid = ?1", [old])?;
        tx.execute("DELETE FROM doc_text WHERE search_key = ?1", [old])?;
    }
    let key: i64 = tx.query_row(
        "SELECT coalesce(max(search_key), 0) + 1 FROM documents",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE documents SET search_key = ?2 WHERE doc_id = ?1",
        params![doc_id.to_string(), key],
    )?;
    let title = fields.title.trim();
    let text = fields.search_text();
    tx.execute(
        "INSERT INTO doc_text(search_key, title, text) VALUES (?1, ?2, ?3)",
        params![key, title, text],
    )?;
    tx.execute(
        "INSERT INTO doc_grams(rowid, grams) VALUES (?1, ?2)",
        params![key, grams(title, &text)],
    )?;
    Ok(())
}

/// Indexes every document's head, the least recently edited first (migration 11).
pub(crate) fn reindex_all(tx: &Transaction<'_>) -> Result<()> {
    let heads: Vec<(String, String)> = {
        let mut st = tx.prepare(
            "SELECT d.doc_id, r.content FROM documents d JOIN revisions r ON r.rev_id = d.head_rev_id
             ORDER BY d.updated_at, d.seq",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (doc_id, content) in heads {
        let id = DocId::parse(&doc_id)
            .map_err(|_| StoreError::Invalid(format!("document id {doc_id}")))?;
        let fields: DocFields = serde_json::from_str(&content)
            .map_err(|e| StoreError::Invalid(format!("document {doc_id}: {e}")))?;
        index(tx, id, &fields)?;
    }
    Ok(())
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

/// The `MATCH` expression for one term: the phrase of its grams (or its character) per run,
/// marked as a title match with `title`; `None` for a term with no letter or digit.
fn term_expr(term: &str, title: bool) -> Option<String> {
    let mark = if title { "_" } else { "" };
    let parts: Vec<String> = runs(term)
        .iter()
        .map(|run| {
            let mut phrase = String::new();
            if run.len() == 1 {
                phrase.push_str(mark);
                phrase.push(run[0]);
            } else {
                push_grams(&mut phrase, run, mark);
            }
            format!("\"{}\"", phrase.trim_end())
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Whether a term needs the literal check besides the index (it holds other characters).
fn needs_like(term: &str) -> bool {
    !term.chars().all(char::is_alphanumeric)
}

/// The page of matches, newest search key first; with `title_first`, only documents whose
/// title holds the first term.
fn page_sql(terms: &[String], title_first: bool, limit: usize) -> (String, Vec<String>) {
    let mut args = Vec::new();
    let exprs: Vec<String> = terms
        .iter()
        .enumerate()
        .filter_map(|(i, t)| term_expr(t, title_first && i == 0))
        .collect();
    let mut conds = vec!["d.deleted_at IS NULL".to_string()];
    let (from, key) = if exprs.is_empty() {
        (
            "documents d JOIN doc_text t ON t.search_key = d.search_key",
            "d.search_key",
        )
    } else {
        args.push(exprs.join(" AND "));
        conds.push("g.doc_grams MATCH ?1".into());
        (
            "doc_grams g JOIN documents d ON d.search_key = g.rowid
             JOIN doc_text t ON t.search_key = g.rowid",
            "g.rowid",
        )
    };
    for (i, t) in terms.iter().enumerate() {
        if !needs_like(t) {
            continue;
        }
        args.push(like_pattern(t));
        let n = args.len();
        if title_first && i == 0 {
            conds.push(format!("t.title LIKE ?{n} ESCAPE '\\'"));
        } else {
            conds.push(format!(
                "(t.title LIKE ?{n} ESCAPE '\\' OR t.text LIKE ?{n} ESCAPE '\\')"
            ));
        }
    }
    let sql = format!(
        "SELECT d.doc_id, d.unit_id, d.title, d.doc_number, d.status, d.head_rev_id,
                d.rev_count, d.created_by, d.created_at, d.updated_by, d.updated_at,
                d.deleted_at, t.title, t.text
         FROM {from} WHERE {} ORDER BY {key} DESC LIMIT {limit}",
        conds.join(" AND ")
    );
    (sql, args)
}

impl Store {
    /// Searches titles and text of the documents not in the recycle bin: documents whose title
    /// holds the first term first, then the others, each group the most recently edited first.
    /// An empty query finds nothing.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let terms: Vec<String> = query
            .split_whitespace()
            .take(8)
            .map(str::to_lowercase)
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.min(500) as usize;
        let mut hits: Vec<SearchHit> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (title_first, page) in [(true, limit), (false, limit * 2)] {
            let (sql, args) = page_sql(&terms, title_first, page);
            let mut st = self.conn.prepare_cached(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((
                    summary_row(r)?,
                    r.get::<_, String>(12)?,
                    r.get::<_, String>(13)?,
                ))
            })?;
            for row in rows {
                let (doc, title, text) = row?;
                if hits.len() >= limit {
                    break;
                }
                if !seen.insert(doc.doc_id) {
                    continue;
                }
                let (snippet, highlights) = snippet(&title, &text, &terms);
                hits.push(SearchHit {
                    doc,
                    snippet,
                    highlights,
                });
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_of_title_and_text() {
        assert_eq!(
            grams("政务公开", "一、AB"),
            "_政务 _务公 _公开 _ 政务 务公 公开 _ _ ab _ _政 _务 _公 _开 政 务 公 开 一 a b "
        );
        assert_eq!(term_expr("公开", true).as_deref(), Some("\"_公开\""));
        assert_eq!(
            term_expr("政务公开", false).as_deref(),
            Some("\"政务 务公 公开\"")
        );
        assert_eq!(
            term_expr("第1、2条", false).as_deref(),
            Some("\"第1\" AND \"2条\"")
        );
        assert_eq!(term_expr("、", false), None);
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
