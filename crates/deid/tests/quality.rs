//! Quality on the labelled set (`tests/data/labelled.jsonl`, built by `make_labelled.py`):
//! per-kind precision, recall and F1 against exact spans, and nothing at all on the paragraphs
//! that hold only hard negatives (文号, dates, money, statutes, officials, office phones, legal
//! persons' codes). Prints the table; `cargo test -p gongkai-deid --test quality -- --nocapture`.

use gongkai_deid::{Kind, Scanner};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

type Span = (Kind, usize, usize);

fn gold(text: &str, spans: &[Value]) -> HashSet<Span> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = HashSet::new();
    for s in spans {
        let kind = Kind::parse(s["kind"].as_str().unwrap()).unwrap();
        let needle: Vec<char> = s["text"].as_str().unwrap().chars().collect();
        let mut i = 0;
        while i + needle.len() <= chars.len() {
            if chars[i..i + needle.len()] == needle[..] {
                out.insert((kind, i, i + needle.len()));
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    out
}

#[test]
fn per_kind_precision_and_recall_on_the_labelled_set() {
    evaluate("labelled", include_str!("data/labelled.jsonl"));
}

/// Written after the detector was tuned on the labelled set; see `make_holdout.py`.
#[test]
fn per_kind_precision_and_recall_on_the_holdout_set() {
    evaluate("holdout", include_str!("data/holdout.jsonl"));
}

fn evaluate(_name: &str, data: &str) {
    let scanner = Scanner::default();
    let mut tp: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut fp: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut fneg: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut negatives_flagged = Vec::new();
    let mut errors = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let want = gold(text, v["spans"].as_array().unwrap());
        let got: HashSet<Span> = scanner
            .scan(text)
            .into_iter()
            .map(|f| (f.kind, f.start, f.end))
            .collect();
        if want.is_empty() && !got.is_empty() {
            negatives_flagged.push(text.to_string());
        }
        let chars: Vec<char> = text.chars().collect();
        let show = |s: &Span| format!("{}:{}", s.0, chars[s.1..s.2].iter().collect::<String>());
        for s in got.intersection(&want) {
            *tp.entry(s.0).or_default() += 1;
        }
        for s in got.difference(&want) {
            *fp.entry(s.0).or_default() += 1;
            errors.push(format!("FP {}  in  {}", show(s), text));
        }
        for s in want.difference(&got) {
            *fneg.entry(s.0).or_default() += 1;
            errors.push(format!("FN {}  in  {}", show(s), text));
        }
    }
    println!(
        "{:<16} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
        "kind", "tp", "fp", "fn", "precision", "recall", "F1"
    );
    let mut failures = Vec::new();
    for kind in Kind::ALL {
        let (t, p, n) = (
            *tp.get(&kind).unwrap_or(&0),
            *fp.get(&kind).unwrap_or(&0),
            *fneg.get(&kind).unwrap_or(&0),
        );
        if t + p + n == 0 {
            continue;
        }
        let precision = t as f64 / (t + p).max(1) as f64;
        let recall = t as f64 / (t + n).max(1) as f64;
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        println!(
            "{:<16} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
            kind.as_str(),
            t,
            p,
            n,
            precision,
            recall,
            f1
        );
        let aim = match kind {
            Kind::PersonName => 0.90,
            Kind::Address => 0.85,
            _ => 0.97,
        };
        if f1 < aim {
            failures.push(format!("{kind}: F1 {f1:.3} < {aim}"));
        }
    }
    for e in &errors {
        println!("{e}");
    }
    assert!(
        negatives_flagged.is_empty(),
        "hard negatives flagged: {negatives_flagged:#?}"
    );
    assert!(failures.is_empty(), "{failures:?}");
}
