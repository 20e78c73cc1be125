//! The statistical person-name tagger: a linear-chain CRF over characters (labels `B`, `I`, `O`
//! for person names), trained on the MSRA NER training split by `examples/train_names.rs` with
//! the `crfs` crate (a Rust port of CRFsuite) and shipped as `model/person-names.crfsuite`.
//!
//! [`attributes`] is the one feature extractor: the trainer and the scanner call the same code,
//! so the model never sees features at run time that it was not trained with.
//!
//! Inference: `crfs::Tagger` returns only the best label sequence. The scanner also needs each
//! character's marginal probability (the model score every finding carries, and the threshold that
//! trades recall for precision), which no maintained crate exposes. So the model is loaded with
//! `crfs::Model`, its weights are read once from the model's own dump into a flat table, and
//! Viterbi plus forward–backward over three labels are written here (about sixty lines). A test
//! checks that the path found here is the one `crfs::Tagger` finds.

use crate::text::is_han;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The labels, in the order of the weight rows.
pub const LABELS: [&str; 3] = ["O", "B", "I"];
const O: usize = 0;
const B: usize = 1;
const I: usize = 2;

/// The shipped model (CRFsuite format).
pub static MODEL_BYTES: &[u8] = include_bytes!("../model/person-names.crfsuite");

/// Characters that stand in given names in the training data (at least three times), one line;
/// written with the model by `scripts/train-name-model.sh` (the example `name_features`).
pub static GIVEN_NAME_CHARS: &str = include_str!("../model/given-name-chars.txt");

static GIVEN: LazyLock<rustc_hash::FxHashSet<char>> = LazyLock::new(|| {
    GIVEN_NAME_CHARS
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
});

/// Whether `c` is a character seen in given names.
pub fn is_given(c: char) -> bool {
    GIVEN.contains(&c)
}

static SURNAME_SET: LazyLock<rustc_hash::FxHashSet<char>> =
    LazyLock::new(|| crate::names::SURNAMES.chars().collect());

/// Single-character surnames the features mark (the scanner's own list).
pub fn is_surname(c: char) -> bool {
    SURNAME_SET.contains(&c)
}

/// The key of an attribute in the weight table: the 64-bit FNV-1a hash of its UTF-8 bytes. It is
/// computed byte by byte, so the scanner hashes an attribute's parts as they come without ever
/// building its text. With some 40,000 attributes a collision is a 1 in 10¹⁴ event; it would only
/// add one attribute's weights to a character.
#[derive(Clone, Copy)]
struct Key(u64);

impl Key {
    const START: Key = Key(0xcbf2_9ce4_8422_2325);
    fn bytes(mut self, b: &[u8]) -> Key {
        for &x in b {
            self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }
}

fn key(attr: &[u8]) -> u64 {
    Key::START.bytes(attr).0
}

/// Where the attributes of a position go: training writes their text, scanning their key.
pub trait AttrSink {
    /// One attribute: `prefix` followed by `chars`.
    fn attr(&mut self, prefix: &str, chars: &[char]);
}

/// Builds each attribute's text in `buf` and calls `f` with it.
struct TextSink<'a, F: FnMut(&str)> {
    buf: &'a mut String,
    f: F,
}

impl<F: FnMut(&str)> AttrSink for TextSink<'_, F> {
    fn attr(&mut self, prefix: &str, chars: &[char]) {
        self.buf.clear();
        self.buf.push_str(prefix);
        self.buf.extend(chars);
        (self.f)(self.buf);
    }
}

/// Adds each known attribute's weights to `score`.
struct ScoreSink<'a> {
    model: &'a NameModel,
    score: [f32; 3],
}

impl AttrSink for ScoreSink<'_> {
    fn attr(&mut self, prefix: &str, chars: &[char]) {
        let mut k = Key::START.bytes(prefix.as_bytes());
        let mut utf8 = [0u8; 4];
        for c in chars {
            k = k.bytes(c.encode_utf8(&mut utf8).as_bytes());
        }
        if let Some(&id) = self.model.index.get(&k.0) {
            let w = &self.model.state[id as usize];
            self.score[0] += w[0];
            self.score[1] += w[1];
            self.score[2] += w[2];
        }
    }
}

static COMPOUND_SET: LazyLock<rustc_hash::FxHashSet<(char, char)>> = LazyLock::new(|| {
    crate::names::COMPOUND
        .iter()
        .filter_map(|s| {
            let mut c = s.chars();
            Some((c.next()?, c.next()?))
        })
        .collect()
});

fn is_compound_start(a: char, b: char) -> bool {
    COMPOUND_SET.contains(&(a, b))
}

/// The character as the features see it: digits fold to `0`, Latin letters to `a`, spaces to `_`.
pub fn shape(c: char) -> char {
    let c = crate::text::fold(c);
    if c.is_ascii_digit() || ('０'..='９').contains(&c) {
        '0'
    } else if c.is_ascii_alphabetic() {
        'a'
    } else if c.is_whitespace() {
        '_'
    } else {
        c
    }
}

fn class(c: char) -> char {
    match c {
        '^' | '$' => 'E',
        '0' => 'D',
        'a' => 'L',
        c if is_han(c) => 'H',
        _ => 'P',
    }
}

/// Calls `f` with the text of every attribute of position `i` of `seq` (shapes from [`shape`]);
/// `buf` is scratch space reused between calls.
pub fn attributes(seq: &[char], i: usize, buf: &mut String, f: impl FnMut(&str)) {
    attributes_into(seq, i, &mut TextSink { buf, f });
}

/// Sends every attribute of position `i` of `seq` to `sink`: the one definition of the features.
pub fn attributes_into(seq: &[char], i: usize, sink: &mut impl AttrSink) {
    let at = |k: isize| -> char {
        let j = i as isize + k;
        if j < 0 {
            '^'
        } else {
            seq.get(j as usize).copied().unwrap_or('$')
        }
    };
    let (m2, m1, c0, p1, p2) = (at(-2), at(-1), at(0), at(1), at(2));
    sink.attr("u-2=", &[m2]);
    sink.attr("u-1=", &[m1]);
    sink.attr("u0=", &[c0]);
    sink.attr("u1=", &[p1]);
    sink.attr("u2=", &[p2]);
    sink.attr("b-2=", &[m2, m1]);
    sink.attr("b-1=", &[m1, c0]);
    sink.attr("b0=", &[c0, p1]);
    sink.attr("b1=", &[p1, p2]);
    sink.attr("k=", &[m1, p1]);
    sink.attr("t=", &[class(m1), class(c0), class(p1)]);
    sink.attr("c3=", &[m1, c0, p1]);
    let (g_m1, g0, g1, g2) = (is_given(m1), is_given(c0), is_given(p1), is_given(p2));
    if g0 {
        sink.attr("gn0", &[]);
    }
    if g1 {
        sink.attr("gn1", &[]);
    }
    if g_m1 {
        sink.attr("gn-1", &[]);
    }
    // A surname followed by given-name characters: the shape of a name.
    if is_surname(c0) && g1 {
        sink.attr("sn0gn1", &[]);
        if g2 {
            sink.attr("sn0gn1gn2", &[]);
        }
    }
    if is_surname(m1) && g0 {
        sink.attr("sn-1gn0", &[]);
        if g1 {
            sink.attr("sn-1gn0gn1", &[]);
        }
    }
    if is_surname(m2) && g_m1 && g0 {
        sink.attr("sn-2gn-1gn0", &[]);
    }
    if is_surname(c0) {
        sink.attr("sn0", &[]);
    }
    if is_surname(m1) {
        sink.attr("sn-1", &[]);
    }
    if is_surname(m2) {
        sink.attr("sn-2", &[]);
    }
    if is_compound_start(c0, p1) {
        sink.attr("cs0", &[]);
    }
    if is_compound_start(m1, c0) {
        sink.attr("cs-1", &[]);
    }
    sink.attr("bias", &[]);
}

/// The model's weights as a flat table.
pub(crate) struct NameModel {
    /// Attribute key ([`key`]) → row of `state`.
    index: FxHashMap<u64, u32>,
    state: Vec<[f32; 3]>,
    /// `trans[from][to]`.
    trans: [[f32; 3]; 3],
}

/// Why the shipped model could not be read (only a broken build can cause it).
#[derive(Debug)]
pub struct ModelError(pub String);

impl NameModel {
    /// Reads a CRFsuite model through `crfs` and copies its weights.
    pub(crate) fn load(bytes: &[u8]) -> Result<Self, ModelError> {
        let model = crfs::Model::new(bytes).map_err(|e| ModelError(e.to_string()))?;
        let mut dump = Vec::new();
        model
            .dump(&mut dump)
            .map_err(|e| ModelError(e.to_string()))?;
        let dump = String::from_utf8(dump).map_err(|e| ModelError(e.to_string()))?;
        let label = |s: &str| LABELS.iter().position(|l| *l == s);
        let mut index = FxHashMap::default();
        let mut state: Vec<[f32; 3]> = Vec::new();
        let mut trans = [[0f32; 3]; 3];
        let mut section = "";
        for line in dump.lines() {
            if let Some(name) = line.strip_suffix(" = {") {
                section = name;
                continue;
            }
            if section != "TRANSITIONS" && section != "STATE_FEATURES" {
                continue;
            }
            let Some((lhs, w)) = line.rsplit_once(": ") else {
                continue;
            };
            let Some((src, dst)) = lhs.rsplit_once(" --> ") else {
                continue;
            };
            let src = src.trim_start();
            let src = src.split_once(") ").map_or(src, |(_, s)| s);
            let (Some(to), Ok(w)) = (label(dst), w.trim().parse::<f32>()) else {
                return Err(ModelError(format!("unreadable feature line {line}")));
            };
            if section == "TRANSITIONS" {
                let from = label(src).ok_or_else(|| ModelError(format!("label {src}")))?;
                trans[from][to] = w;
            } else {
                let next = state.len() as u32;
                let id = *index.entry(key(src.as_bytes())).or_insert(next);
                if id == next {
                    state.push([0.0; 3]);
                }
                state[id as usize][to] = w;
            }
        }
        if state.is_empty() {
            return Err(ModelError("the model has no state features".into()));
        }
        Ok(NameModel {
            index,
            state,
            trans,
        })
    }

    fn scores(&self, seq: &[char]) -> Vec<[f32; 3]> {
        (0..seq.len())
            .map(|i| {
                let mut sink = ScoreSink {
                    model: self,
                    score: [0.0; 3],
                };
                attributes_into(seq, i, &mut sink);
                sink.score
            })
            .collect()
    }

    /// The best label sequence and each position's marginal probability of every label.
    pub(crate) fn tag(&self, seq: &[char]) -> (Vec<usize>, Vec<[f32; 3]>) {
        let n = seq.len();
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let st = self.scores(seq);
        // Viterbi.
        let mut best = vec![[0f32; 3]; n];
        let mut back = vec![[0u8; 3]; n];
        best[0] = st[0];
        for t in 1..n {
            for j in 0..3 {
                let (k, v) = (0..3)
                    .map(|k| (k, best[t - 1][k] + self.trans[k][j]))
                    .fold((0, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
                best[t][j] = v + st[t][j];
                back[t][j] = k as u8;
            }
        }
        let mut path = vec![0usize; n];
        path[n - 1] = (0..3).fold(0, |a, j| {
            if best[n - 1][j] > best[n - 1][a] {
                j
            } else {
                a
            }
        });
        for t in (1..n).rev() {
            path[t - 1] = back[t][path[t]] as usize;
        }
        // Forward–backward in log space.
        let lse = |v: [f32; 3]| {
            let m = v[0].max(v[1]).max(v[2]);
            m + ((v[0] - m).exp() + (v[1] - m).exp() + (v[2] - m).exp()).ln()
        };
        let mut alpha = vec![[0f32; 3]; n];
        alpha[0] = st[0];
        for t in 1..n {
            for j in 0..3 {
                alpha[t][j] = st[t][j]
                    + lse([
                        alpha[t - 1][0] + self.trans[0][j],
                        alpha[t - 1][1] + self.trans[1][j],
                        alpha[t - 1][2] + self.trans[2][j],
                    ]);
            }
        }
        let mut beta = vec![[0f32; 3]; n];
        for t in (0..n - 1).rev() {
            for i in 0..3 {
                beta[t][i] = lse([
                    self.trans[i][0] + st[t + 1][0] + beta[t + 1][0],
                    self.trans[i][1] + st[t + 1][1] + beta[t + 1][1],
                    self.trans[i][2] + st[t + 1][2] + beta[t + 1][2],
                ]);
            }
        }
        let z = lse(alpha[n - 1]);
        let marg = (0..n)
            .map(|t| {
                let mut p = [0f32; 3];
                for j in 0..3 {
                    p[j] = (alpha[t][j] + beta[t][j] - z).exp();
                }
                p
            })
            .collect();
        (path, marg)
    }
}

/// The shipped model, or the file named by `GONGKAI_NAME_MODEL` (used by
/// `scripts/name-model-heldout.sh` to score a model trained without the held-out sentences).
static MODEL: LazyLock<Option<NameModel>> =
    LazyLock::new(|| match std::env::var_os("GONGKAI_NAME_MODEL") {
        Some(path) => std::fs::read(path)
            .ok()
            .and_then(|b| NameModel::load(&b).ok()),
        None => NameModel::load(MODEL_BYTES).ok(),
    });

/// Loads the shipped model now (once per process).
pub(crate) fn warm_up() {
    LazyLock::force(&MODEL);
}

/// A name the model found: `[start, end)` in the sequence it was given, and its score (the lowest
/// marginal probability of the span's labels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tagged {
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

/// Person names in `seq` (characters already passed through [`shape`]). Spans are those of the
/// best path, plus any span whose marginal probability of being a name reaches `recall_floor`
/// where the best path saw none.
pub(crate) fn names(seq: &[char], recall_floor: f32) -> Vec<Tagged> {
    let Some(model) = MODEL.as_ref() else {
        return Vec::new();
    };
    let (path, marg) = model.tag(seq);
    let mut out = Vec::new();
    let mut t = 0;
    while t < path.len() {
        if path[t] == O {
            // A near miss on the best path: a likely B followed by likely I's.
            if marg[t][B] >= recall_floor {
                let mut e = t + 1;
                while e < path.len() && marg[e][I] >= recall_floor {
                    e += 1;
                }
                if e > t + 1 {
                    let score = (t..e)
                        .map(|k| if k == t { marg[k][B] } else { marg[k][I] })
                        .fold(1f32, f32::min);
                    out.push(Tagged {
                        start: t,
                        end: e,
                        score,
                    });
                    t = e;
                    continue;
                }
            }
            t += 1;
            continue;
        }
        let s = t;
        t += 1;
        while t < path.len() && path[t] == I {
            t += 1;
        }
        let score = (s..t).map(|k| marg[k][path[k]]).fold(1f32, f32::min);
        out.push(Tagged {
            start: s,
            end: t,
            score,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shaped(s: &str) -> Vec<char> {
        s.chars().map(shape).collect()
    }

    #[test]
    fn the_shipped_model_loads_and_has_weights() {
        let m = NameModel::load(MODEL_BYTES).expect("model");
        assert!(m.state.len() > 1000, "{} attributes", m.state.len());
        assert!(NameModel::load(b"not a model").is_err());
    }

    /// The hand-written Viterbi finds the path `crfs::Tagger` finds.
    #[test]
    fn viterbi_agrees_with_crfs() {
        let crf = crfs::Model::new(MODEL_BYTES).expect("model");
        let tagger = crf.tagger().expect("tagger");
        let ours = NameModel::load(MODEL_BYTES).expect("model");
        for s in [
            "全国射击冠军赵红梅也出席了发布会。",
            "清华大学经济管理学院教授刘明远在会上发言，他说……",
            "许姗、许静及许国强等三户符合条件。",
            "根据《中华人民共和国政府信息公开条例》第二十条，现予公开。",
            "2024年3月5日，李秀英在淄博市张店区殴打他人。",
        ] {
            let seq = shaped(s);
            let mut buf = String::new();
            let xseq: Vec<Vec<crfs::Attribute>> = (0..seq.len())
                .map(|i| {
                    let mut v = Vec::new();
                    attributes(&seq, i, &mut buf, |a| v.push(crfs::Attribute::new(a, 1.0)));
                    v
                })
                .collect();
            let theirs: Vec<usize> = tagger
                .tag(&xseq)
                .expect("tag")
                .into_iter()
                .map(|l| LABELS.iter().position(|x| *x == l).expect("label"))
                .collect();
            let (path, marg) = ours.tag(&seq);
            assert_eq!(path, theirs, "{s}");
            for p in marg {
                let sum: f32 = p.iter().sum();
                assert!((sum - 1.0).abs() < 1e-3, "marginals sum to {sum}");
            }
        }
    }

    #[test]
    fn finds_names_without_cues() {
        let seq = shaped("全国射击冠军赵红梅也出席了发布会。");
        let got = names(&seq, 0.5);
        let spans: Vec<String> = got
            .iter()
            .map(|t| seq[t.start..t.end].iter().collect())
            .collect();
        assert_eq!(spans, vec!["赵红梅".to_string()]);
        assert!(got[0].score > 0.5 && got[0].score <= 1.0);
    }
}
