//! A text prepared for scanning: its characters, a width-normalised copy (full-width digits,
//! letters and punctuation folded to ASCII, one character for one, so offsets stay aligned), and
//! the map from byte offsets of the normalised copy to code-point offsets.

pub(crate) struct Text<'a> {
    #[allow(dead_code)]
    pub orig: &'a str,
    pub chars: Vec<char>,
    /// Normalised characters, same length as `chars`.
    pub nchars: Vec<char>,
    pub norm: String,
    b2c: Vec<u32>,
}

pub(crate) fn fold(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '＋' | '－' | '．' | '＠' | '＿' | '＃' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' | '\u{00A0}' => ' ',
        '—' | '–' | '‐' => '-',
        _ => c,
    }
}

impl<'a> Text<'a> {
    pub fn new(orig: &'a str) -> Self {
        let chars: Vec<char> = orig.chars().collect();
        let nchars: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
        let norm: String = nchars.iter().collect();
        let mut b2c = vec![0u32; norm.len() + 1];
        let mut ci = 0u32;
        for (bi, c) in norm.char_indices() {
            b2c[bi] = ci;
            for k in 1..c.len_utf8() {
                b2c[bi + k] = ci;
            }
            ci += 1;
        }
        b2c[norm.len()] = ci;
        Text {
            orig,
            chars,
            nchars,
            norm,
            b2c,
        }
    }

    /// Code-point offset of a byte offset into `norm`.
    pub fn c(&self, byte: usize) -> usize {
        self.b2c[byte] as usize
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The original characters `[s, e)`.
    pub fn slice(&self, s: usize, e: usize) -> String {
        self.chars[s.min(self.len())..e.min(self.len())]
            .iter()
            .collect()
    }

    /// Up to `n` normalised characters before `at`.
    pub fn before(&self, at: usize, n: usize) -> String {
        self.nchars[at.saturating_sub(n)..at.min(self.len())]
            .iter()
            .collect()
    }

    /// Up to `n` normalised characters from `at`.
    pub fn after(&self, at: usize, n: usize) -> String {
        let at = at.min(self.len());
        self.nchars[at..(at + n).min(self.len())].iter().collect()
    }

    pub fn nchar(&self, i: usize) -> Option<char> {
        self.nchars.get(i).copied()
    }
}

/// A CJK unified ideograph (the characters names and place names are written in).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// A regex matching any of `cues` (escaped, longest listed first) followed by `tail`.
pub(crate) fn cue_regex(cues: &[&str], tail: &str) -> regex::Regex {
    let alts: Vec<String> = cues.iter().map(|c| regex::escape(c)).collect();
    regex::Regex::new(&format!("(?:{}){tail}", alts.join("|"))).expect("static regex")
}

/// A finding of `kind` over `[s, e)` of `t`.
pub(crate) fn finding(
    t: &Text,
    kind: crate::Kind,
    s: usize,
    e: usize,
    confidence: f32,
    reason: &str,
) -> crate::Finding {
    crate::Finding {
        kind,
        start: s,
        end: e,
        text: t.slice(s, e),
        confidence,
        reason: reason.to_string(),
        replacement: None,
    }
}
