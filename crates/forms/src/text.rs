//! Line breaking for the table cells: Chinese text breaks between any two characters except
//! before closing punctuation (，。、；：？！）》」』】〕 …) and after opening punctuation
//! (（《「『【〔 …) — the usual 避头尾 rules; runs of ASCII letters, digits and URL characters stay
//! together unless a run is wider than the line. Explicit line breaks are kept; control characters
//! are dropped; characters the font lacks become 〓 (see [`crate::font`]).

use crate::font::{Font, Glyph};

/// At most this many characters of one field are printed; the rest is replaced by a note.
pub const MAX_FIELD_CHARS: usize = 10_000;

/// One laid-out line: its glyphs and its width in points at the size it was set in.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub glyphs: Vec<Glyph>,
    pub width: f32,
}

/// Characters that must not start a line.
const NO_START: &str = "，。、；：？！）》」』】〕〉”’…‥·,.;:?!)]}%‰℃、〗｝］";
/// Characters that must not end a line (check boxes stay with their label).
const NO_END: &str = "（《「『【〔〈“‘([{〖｛［□■";

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./:@#&=?~+'%".contains(c)
}

/// Normalises a field: drops control characters (keeping line breaks), turns tabs into spaces
/// and cuts it at [`MAX_FIELD_CHARS`].
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_FIELD_CHARS * 4));
    let total = text.chars().count();
    for (n, c) in text.chars().enumerate() {
        if n >= MAX_FIELD_CHARS {
            out.push_str(&format!("……（以下省略{}字）", total - n));
            break;
        }
        match c {
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' | '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Breaks `text` into lines no wider than `max_width` points at `size` points. An empty text gives
/// no lines; an empty paragraph gives an empty line. A single glyph wider than the line is put on a
/// line of its own (never dropped, never looping).
pub fn wrap(font: &Font, text: &str, size: f32, max_width: f32) -> Vec<Line> {
    wrap_styled(font, text, size, max_width, false)
}

/// [`wrap`], with hex digits (0–9, A–F, a–f) on the fixed advance [`TABULAR_ADVANCE`] when
/// `tabular` is set: groups of four then have one width whatever their digits, and lines of
/// groups line up in columns. The painter centres each run of hex digits, with its natural
/// spacing, in the width it was set with (moving single digits apart would make text
/// extraction split the group).
pub fn wrap_styled(font: &Font, text: &str, size: f32, max_width: f32, tabular: bool) -> Vec<Line> {
    let text = clean(text);
    if text.is_empty() {
        return Vec::new();
    }
    let scale = size / 1000.0;
    let max = max_width.max(size);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let tokens = tokens(font, para, tabular);
        let mut line: Vec<Glyph> = Vec::new();
        let mut width = 0.0f32;
        let mut produced = false;
        let finish = |line: &mut Vec<Glyph>, width: &mut f32, lines: &mut Vec<Line>| {
            while line.last().is_some_and(|g| is_space(g.ch)) {
                if let Some(g) = line.pop() {
                    *width -= g.advance * scale;
                }
            }
            lines.push(Line {
                glyphs: std::mem::take(line),
                width: width.max(0.0),
            });
            *width = 0.0;
        };
        for tok in tokens {
            let tw: f32 = tok.iter().map(|g| g.advance).sum::<f32>() * scale;
            let is_space = tok.iter().all(|g| is_space(g.ch));
            // Spaces at the start of a wrapped line go; a paragraph's own indent stays.
            if is_space && line.is_empty() && produced {
                continue;
            }
            if width + tw <= max + 0.01 {
                line.extend_from_slice(&tok);
                width += tw;
                continue;
            }
            if !line.is_empty() {
                finish(&mut line, &mut width, &mut lines);
                produced = true;
            }
            if is_space {
                continue;
            }
            if tw <= max + 0.01 {
                line.extend_from_slice(&tok);
                width = tw;
                continue;
            }
            // A run wider than the line: break it anywhere.
            for g in tok {
                let gw = g.advance * scale;
                if width + gw > max + 0.01 && !line.is_empty() {
                    finish(&mut line, &mut width, &mut lines);
                }
                line.push(g);
                width += gw;
            }
        }
        if !line.is_empty() || !produced {
            finish(&mut line, &mut width, &mut lines);
        }
    }
    lines
}

/// Advance of a hex digit in a tabular paragraph, in thousandths of an em: a little over the
/// face's average hex digit (digits ≈557, A–F 629–770), so that most runs have a little room
/// and the widest (DDDD) overhangs its slot by 0.2 em into the space beside it.
pub const TABULAR_ADVANCE: f32 = 640.0;

/// Splits a paragraph into unbreakable pieces, applying the line-start/line-end rules.
fn tokens(font: &Font, para: &str, tabular: bool) -> Vec<Vec<Glyph>> {
    let mut raw: Vec<Vec<Glyph>> = Vec::new();
    let mut last_word = false;
    for c in para.chars() {
        let mut g = font.glyph(c);
        if tabular && c.is_ascii_hexdigit() {
            g.advance = TABULAR_ADVANCE;
        }
        let word = is_word_char(c);
        match raw.last_mut() {
            Some(t) if word && last_word => t.push(g),
            _ => raw.push(vec![g]),
        }
        last_word = word;
    }
    let mut out: Vec<Vec<Glyph>> = Vec::with_capacity(raw.len());
    for tok in raw {
        let first = tok.first().map(|g| g.ch).unwrap_or(' ');
        match out.last_mut() {
            Some(prev)
                if (NO_START.contains(first) && prev.last().is_some_and(|g| !is_space(g.ch)))
                    || prev.last().is_some_and(|g| NO_END.contains(g.ch)) =>
            {
                prev.extend(tok)
            }
            _ => out.push(tok),
        }
    }
    out
}

/// The characters of a line.
#[cfg(test)]
pub fn line_text(line: &Line) -> String {
    line.glyphs.iter().map(|g| g.ch).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(line_text).collect()
    }

    #[test]
    fn chinese_breaks_anywhere_but_keeps_punctuation_off_the_line_start() {
        let f = Font::embedded().unwrap();
        // 5 characters of 10 pt per line.
        let lines = wrap(&f, "关于加强政务公开，工作的通知", 10.0, 50.0);
        let t = texts(&lines);
        assert_eq!(t[0], "关于加强政");
        // “，” may not start a line: it goes with the character before it.
        assert!(t.iter().all(|l| !l.starts_with('，')), "{t:?}");
        assert_eq!(t.concat(), "关于加强政务公开，工作的通知");
        assert!(lines.iter().all(|l| l.width <= 50.0 + 10.0));
        // An opening bracket stays with what follows.
        let t = texts(&wrap(&f, "一二三四（五六）", 10.0, 50.0));
        assert!(t.iter().all(|l| !l.ends_with('（')), "{t:?}");
        // So does a check box.
        let t = texts(&wrap(&f, "■一二三　□四五", 10.0, 50.0));
        assert_eq!(t, vec!["■一二三", "□四五"]);
    }

    #[test]
    fn words_stay_whole_and_overlong_runs_are_cut() {
        let f = Font::embedded().unwrap();
        let t = texts(&wrap(&f, "see https://example.org/a/b now", 10.0, 60.0));
        assert!(t.iter().any(|l| l.contains("https")), "{t:?}");
        assert!(t.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')));
        // A paragraph's own indent is kept.
        assert_eq!(texts(&wrap(&f, "　　年", 10.0, 60.0)), vec!["　　年"]);
        let long = "x".repeat(500);
        let lines = wrap(&f, &long, 10.0, 60.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width <= 60.01));
        assert_eq!(texts(&lines).concat(), long);
    }

    #[test]
    fn line_breaks_controls_and_missing_glyphs() {
        let f = Font::embedded().unwrap();
        assert!(wrap(&f, "", 10.0, 100.0).is_empty());
        let t = texts(&wrap(&f, "甲\n\n乙\r\n丙\u{0007}\t丁😀", 10.0, 100.0));
        assert_eq!(t, vec!["甲", "", "乙", "丙 丁〓"]);
        // A line narrower than one glyph still makes progress.
        let t = texts(&wrap(&f, "公安局", 10.0, 1.0));
        assert_eq!(t, vec!["公", "安", "局"]);
    }

    #[test]
    fn tabular_hex_groups_have_one_width() {
        let f = Font::embedded().unwrap();
        let w = |s: &str| wrap_styled(&f, s, 10.0, 500.0, true)[0].width;
        assert!((w("1111") - w("DDDD")).abs() < 0.01);
        assert!((w("1111") - 25.6).abs() < 0.01);
        // Other characters keep their advance; without the flag nothing changes.
        assert!((w("公") - 10.0).abs() < 0.01);
        assert!(wrap(&f, "1111", 10.0, 500.0)[0].width < wrap(&f, "DDDD", 10.0, 500.0)[0].width);
    }

    #[test]
    fn overlong_fields_are_cut_with_a_note() {
        let s = "字".repeat(MAX_FIELD_CHARS + 5);
        let c = clean(&s);
        assert_eq!(c, "字".repeat(MAX_FIELD_CHARS) + "……（以下省略5字）");
    }
}
