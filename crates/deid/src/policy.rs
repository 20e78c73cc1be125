//! The masking policy (shipped default: `seeds/deid-policy.json`) and applying it: each kind has
//! one operator — mask, pseudonym, generalise or remove — with fixed parameters, so that every
//! export masks the same positions of the same number.

use crate::address;
use crate::finding::{Finding, Kind};
use crate::DeidError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What to do with one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operator {
    /// Replace letters and digits with the mask character, keeping `keep_prefix` and `keep_suffix`
    /// of them (and, for e-mail, the domain).
    Mask {
        keep_prefix: usize,
        keep_suffix: usize,
        #[serde(default)]
        keep_domain: bool,
    },
    /// 张三 → 张某, 欧阳娜娜 → 欧阳某某; another person with the same surname → 张某甲, 张某乙 …
    Pseudonym,
    /// A birth date to its year (`to: year`), an address to its 乡镇/街道 (`to: township`).
    Generalise { to: String },
    /// Delete the span.
    Remove,
}

/// What is never flagged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allow {
    /// Published office numbers and hotlines (compared on their digits).
    #[serde(default)]
    pub published_numbers: Vec<String>,
    /// E-mail domains of offices, e.g. `gov.cn`.
    #[serde(default)]
    pub office_email_domains: Vec<String>,
    /// Titles that mark a name as an official's acting in office (局长 X, X 同志).
    #[serde(default)]
    pub official_titles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct OperatorEntry {
    #[serde(flatten)]
    op: Operator,
}

/// A masking policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub version: u32,
    pub mask_char: char,
    pub operators: BTreeMap<Kind, Operator>,
    pub allow: Allow,
}

#[derive(Deserialize)]
struct PolicyFile {
    version: u32,
    mask_char: String,
    operators: HashMap<String, OperatorEntry>,
    #[serde(default)]
    allow: Allow,
}

/// The policy shipped with Gongkai.
pub const DEFAULT_POLICY_JSON: &str = include_str!("../../../seeds/deid-policy.json");

impl Policy {
    /// Parses a policy file; every kind must have an operator.
    pub fn from_json(json: &str) -> Result<Self, DeidError> {
        let f: PolicyFile =
            serde_json::from_str(json).map_err(|e| DeidError::BadPolicy(e.to_string()))?;
        let mut operators = BTreeMap::new();
        for (name, entry) in f.operators {
            let kind = Kind::parse(&name)
                .ok_or_else(|| DeidError::BadPolicy(format!("未知的类别 {name}")))?;
            operators.insert(kind, entry.op);
        }
        if let Some(missing) = Kind::ALL.iter().find(|k| !operators.contains_key(k)) {
            return Err(DeidError::BadPolicy(format!(
                "缺少类别 {missing} 的处理方式"
            )));
        }
        let mask_char = f.mask_char.chars().next().unwrap_or('*');
        Ok(Policy {
            version: f.version,
            mask_char,
            operators,
            allow: f.allow,
        })
    }

    /// The shipped default.
    pub fn embedded() -> Self {
        Self::from_json(DEFAULT_POLICY_JSON).expect("the shipped policy parses")
    }
}

/// One replacement made by [`apply`]. `original` is the clear text: it stays on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub replacement: String,
}

/// The redacted text and what was replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub replacements: Vec<Replacement>,
}

fn mask(
    s: &str,
    keep_prefix: usize,
    keep_suffix: usize,
    keep_domain: bool,
    m: char,
    skip: usize,
) -> String {
    let (local, domain) = match (keep_domain, s.rfind('@')) {
        (true, Some(i)) => (&s[..i], &s[i..]),
        _ => (s, ""),
    };
    let total = local
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count()
        .saturating_sub(skip);
    let mut seen = 0usize;
    let mut skipped = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in local.chars() {
        if !c.is_alphanumeric() || c == m {
            out.push(c);
            continue;
        }
        if skipped < skip {
            skipped += 1;
            out.push(c);
            continue;
        }
        let keep = seen < keep_prefix || seen >= total.saturating_sub(keep_suffix);
        out.push(if keep && keep_prefix + keep_suffix < total {
            c
        } else {
            m
        });
        seen += 1;
    }
    out.push_str(domain);
    out
}

/// A birth date generalised to its year, in the form it was written: 1985年3月12日 and
/// 1985-03-12 → 1985年, 一九八五年三月 → 一九八五年, 85.03.12 → 1985年; empty when no year reads.
fn birth_year(date: &str) -> String {
    let norm: String = date.chars().map(crate::text::fold).collect();
    let digits: String = norm.chars().take_while(|c| c.is_ascii_digit()).collect();
    match digits.len() {
        4 => format!("{digits}年"),
        2 => {
            let yy: u32 = digits.parse().unwrap_or(0);
            // Two-digit years: a birth year is in the past.
            format!("{}年", if yy <= 30 { 2000 + yy } else { 1900 + yy })
        }
        _ => date
            .find('年')
            .map(|i| date[..i + '年'.len_utf8()].to_string())
            .unwrap_or_default(),
    }
}

const ORDINALS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];

/// The initials of a name in Latin letters: `Maria Garcia` → `M. G.`.
fn latin_initials(name: &str) -> String {
    name.split([' ', '·', '•'])
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn surname(name: &str) -> String {
    let two: String = name.chars().take(2).collect();
    if crate::names::COMPOUND.contains(&two.as_str()) {
        two
    } else {
        name.chars().take(1).collect()
    }
}

/// The pseudonyms given so far: the same person keeps one pseudonym across the chunks of a
/// document (see [`apply_with`]).
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    given: HashMap<String, String>,
    used: HashMap<String, usize>,
}

/// Replaces the given findings (accepted ones) by the policy's operators. Text outside the
/// findings is unchanged; overlapping findings are merged into the first.
pub fn apply(text: &str, findings: &[Finding], policy: &Policy) -> Applied {
    apply_with(text, findings, policy, &mut Pseudonyms::default())
}

/// Like [`apply`], continuing the pseudonyms of earlier parts of the same document.
pub fn apply_with(
    text: &str,
    findings: &[Finding],
    policy: &Policy,
    state: &mut Pseudonyms,
) -> Applied {
    let Pseudonyms {
        given: pseudonyms,
        used,
    } = state;
    let chars: Vec<char> = text.chars().collect();
    let mut fs: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.start < f.end && f.end <= chars.len())
        .collect();
    fs.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out = String::with_capacity(text.len());
    let mut replacements = Vec::new();
    let mut pos = 0;
    for f in fs {
        if f.start < pos {
            continue;
        }
        out.extend(&chars[pos..f.start]);
        let original: String = chars[f.start..f.end].iter().collect();
        let op = policy
            .operators
            .get(&f.kind)
            .cloned()
            .unwrap_or(Operator::Remove);
        let replacement = match (&f.replacement, op) {
            (Some(own), _) => own.replace(['\n', '\r'], " "),
            (None, op) => match op {
                Operator::Mask {
                    keep_prefix,
                    keep_suffix,
                    keep_domain,
                } => {
                    let skip = if f.kind == Kind::PhoneMobile {
                        original
                            .chars()
                            .filter(char::is_ascii_digit)
                            .count()
                            .saturating_sub(11)
                    } else {
                        0
                    };
                    mask(
                        &original,
                        keep_prefix,
                        keep_suffix,
                        keep_domain,
                        policy.mask_char,
                        skip,
                    )
                }
                Operator::Pseudonym => {
                    if let Some(p) = pseudonyms.get(&original) {
                        p.clone()
                    } else {
                        // A name spaced out in a table (高　勇) is the same two characters.
                        let compact: String =
                            original.chars().filter(|c| !c.is_whitespace()).collect();
                        let base = if original.chars().any(|c| c.is_ascii_alphabetic()) {
                            // A foreign name keeps only its initials: JOHN SMITH → J. S.
                            latin_initials(&original)
                        } else {
                            let sur = surname(&compact);
                            let given = compact.chars().count() - sur.chars().count();
                            format!("{sur}{}", if given >= 2 { "某某" } else { "某" })
                        };
                        let n = used.entry(base.clone()).or_insert(0);
                        let p = if *n == 0 {
                            base.clone()
                        } else {
                            format!("{base}{}", ORDINALS[(*n - 1) % ORDINALS.len()])
                        };
                        *n += 1;
                        pseudonyms.insert(original.clone(), p.clone());
                        p
                    }
                }
                Operator::Generalise { to } => match (f.kind, to.as_str()) {
                    (Kind::BirthDate, _) => birth_year(&original),
                    (Kind::Address, _) => address::generalise(&original)
                        .unwrap_or_else(|| address::placeholder(&original)),
                    _ => String::new(),
                },
                Operator::Remove => String::new(),
            },
        };
        out.push_str(&replacement);
        replacements.push(Replacement {
            kind: f.kind,
            start: f.start,
            end: f.end,
            original,
            replacement,
        });
        pos = f.end;
    }
    out.extend(&chars[pos.min(chars.len())..]);
    Applied {
        text: out,
        replacements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_fixed_positions() {
        assert_eq!(mask("13812345678", 3, 4, false, '*', 0), "138****5678");
        assert_eq!(mask("138-1234-5678", 3, 4, false, '*', 0), "138-****-5678");
        assert_eq!(
            mask("+86 13812345678", 3, 4, false, '*', 2),
            "+86 138****5678"
        );
        assert_eq!(
            mask("zhangsan@163.com", 1, 0, true, '*', 0),
            "z*******@163.com"
        );
        assert_eq!(mask("鲁C12345", 2, 0, false, '*', 0), "鲁C*****");
        assert_eq!(
            mask("123", 3, 4, false, '*', 0),
            "***",
            "too short to keep anything"
        );
    }

    #[test]
    fn the_shipped_policy_covers_every_kind() {
        let p = Policy::embedded();
        assert_eq!(p.operators.len(), Kind::ALL.len());
        assert_eq!(p.operators[&Kind::PersonName], Operator::Pseudonym);
        assert!(Policy::from_json(r#"{"version":1,"mask_char":"*","operators":{}}"#).is_err());
    }
}

#[cfg(test)]
mod birth_tests {
    use super::birth_year;

    #[test]
    fn birth_dates_generalise_to_the_year_in_every_written_form() {
        assert_eq!(birth_year("1985年3月12日"), "1985年");
        assert_eq!(birth_year("1985-03-12"), "1985年");
        assert_eq!(birth_year("85.03.12"), "1985年");
        assert_eq!(birth_year("一九八五年三月十二日"), "一九八五年");
        assert_eq!(birth_year("１９８５年３月"), "1985年");
        assert_eq!(birth_year("三月"), "");
    }
}
