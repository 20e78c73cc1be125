//! Breaking a 标题 into lines as GB/T 9704 7.3.1 asks: 回行时词意完整、排列对称、长短适宜, laid out
//! as a trapezoid (each line no longer than the one above) or a diamond (three lines, the middle
//! one longest), never with a character left alone on its line, and never inside a word where
//! the dictionary (jieba) knows one.

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// Characters of 2号 type on one line of the 156 mm 版心 (22 pt ≈ 7.76 mm).
pub const TITLE_LINE_CHARS: usize = 20;

/// A break after these reads naturally (…关于 / …的 / …和).
const BREAK_AFTER: &[char] = &['的', '于', '和', '与', '及', '、', '》', '”', '）'];
/// A break before these reads naturally (…/ 关于… / 《…).
const BREAK_BEFORE: &[char] = &['关', '《', '“', '（'];

/// The dictionary segmenter that says where the words of a title end.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// How bad a break between `prev` and `next` is: 0 at a natural place, a little between two
/// words, more inside a word, and a great deal inside a number, a Latin word, or right after an
/// opening mark.
fn break_cost(prev: char, next: char, inside_word: bool) -> f64 {
    if prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric() {
        return 50.0;
    }
    if matches!(prev, '《' | '“' | '（' | '(') || matches!(next, '》' | '”' | '）' | ')' | '、')
    {
        return 50.0;
    }
    if inside_word {
        8.0
    } else if BREAK_AFTER.contains(&prev) || BREAK_BEFORE.contains(&next) {
        0.0
    } else {
        1.0
    }
}

/// For each character position, whether a break before it falls inside a word.
fn inside_words(chars: &[char]) -> Vec<bool> {
    let text: String = chars.iter().collect();
    let mut inside = vec![false; chars.len() + 1];
    let mut at = 0;
    for word in JIEBA.cut(&text, false) {
        let n = word.word.chars().count();
        for k in at + 1..at + n {
            if let Some(slot) = inside.get_mut(k) {
                *slot = true;
            }
        }
        at += n;
    }
    inside
}

/// The title's lines: one line when it fits, otherwise as few lines as fit, each at most
/// [`TITLE_LINE_CHARS`] and at least two characters, shaped as a trapezoid or a diamond, broken
/// where the words allow. Existing line breaks in the text are ignored.
pub fn title_lines(title: &str) -> Vec<String> {
    let chars: Vec<char> = title
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .collect::<String>()
        .trim()
        .chars()
        .collect();
    let n = chars.len();
    if n <= TITLE_LINE_CHARS {
        return vec![chars.into_iter().collect()];
    }
    let lines = n.div_ceil(TITLE_LINE_CHARS);
    let inside = inside_words(&chars);
    let cost_at = |i: usize| break_cost(chars[i - 1], chars[i], inside[i]);
    let ideal = n as f64 / lines as f64;
    let max = TITLE_LINE_CHARS;
    // best[k][i][len]: the cheapest way to set the first i characters as k lines the last of
    // which is len long, with the length of the line before it (to walk back).
    let inf = f64::INFINITY;
    let mut best = vec![vec![vec![(inf, 0usize); max + 1]; n + 1]; lines + 1];
    for (len, slot) in best[1].iter_mut().enumerate().take(max.min(n) + 1).skip(2) {
        let at_break = if len < n { cost_at(len) } else { 0.0 };
        slot[len] = ((len as f64 - ideal).powi(2) / 2.0 + at_break, 0);
    }
    for k in 2..=lines {
        for i in 1..=n {
            for len in 2..=max.min(i) {
                let j = i - len;
                let at_break = if i < n { cost_at(i) } else { 0.0 };
                let step = (len as f64 - ideal).powi(2) / 2.0 + at_break;
                for prev in 2..=max {
                    let (cost, _) = best[k - 1][j][prev];
                    if !cost.is_finite() {
                        continue;
                    }
                    // Shape: no line longer than the one above (a trapezoid), except the middle
                    // line of three (a diamond).
                    let diamond_middle = lines == 3 && k == 2;
                    if !diamond_middle && len > prev {
                        continue;
                    }
                    if cost + step < best[k][i][len].0 {
                        best[k][i][len] = (cost + step, prev);
                    }
                }
            }
        }
    }
    let last = (2..=max)
        .filter(|&l| best[lines][n][l].0.is_finite())
        .min_by(|&a, &b| best[lines][n][a].0.total_cmp(&best[lines][n][b].0));
    let Some(mut len) = last else {
        // No shape fits (cannot happen for n > 20 with lines = ceil(n/20)): plain chunks.
        return chars.chunks(max).map(|c| c.iter().collect()).collect();
    };
    let mut out = Vec::with_capacity(lines);
    let mut i = n;
    for k in (1..=lines).rev() {
        let prev = best[k][i][len].1;
        out.push(chars[i - len..i].iter().collect::<String>());
        i -= len;
        len = prev;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens(v: &[String]) -> Vec<usize> {
        v.iter().map(|l| l.chars().count()).collect()
    }

    #[test]
    fn short_titles_stay_on_one_line() {
        assert_eq!(
            title_lines("关于加强政务公开工作的通知"),
            ["关于加强政务公开工作的通知"]
        );
    }

    #[test]
    fn no_line_holds_a_lone_character_and_the_shape_is_a_trapezoid() {
        // 21 characters: a plain wrap would leave “知” alone.
        let t = "关于开展我的刀盾传播素材整理工作的通知";
        let t21 = format!("{t}知");
        for title in [t.to_string(), t21] {
            let lines = title_lines(&title);
            let l = lens(&lines);
            assert!(
                l.iter().all(|&n| (2..=TITLE_LINE_CHARS).contains(&n)),
                "{lines:?}"
            );
            assert!(l.windows(2).all(|w| w[0] >= w[1]), "{lines:?}");
            assert_eq!(lines.concat(), title);
        }
    }

    #[test]
    fn breaks_fall_between_words() {
        let lines = title_lines("淄博市公安局关于进一步优化户籍迁移登记服务推进政务公开工作的通知");
        assert_eq!(lines.len(), 2);
        let chars: Vec<char> = lines.concat().chars().collect();
        let at = lines[0].chars().count();
        assert!(!inside_words(&chars)[at], "broke inside a word: {lines:?}");
        let lines = title_lines("关于表彰2025年度安全生产先进单位及先进个人的决定");
        assert!(!lines[0].ends_with('生'), "安全生产 split: {lines:?}");
        // Numbers and book-title marks are never split.
        let lines = title_lines("关于印发《淄博市公安局政府信息公开工作规范（2026年修订）》的通知");
        for w in lines.windows(2) {
            let a = w[0].chars().last().unwrap();
            let b = w[1].chars().next().unwrap();
            assert!(break_cost(a, b, false) < 50.0, "{lines:?}");
        }
    }

    #[test]
    fn three_lines_make_a_trapezoid_or_a_diamond() {
        let t = "中共淄博市委办公室淄博市人民政府办公室关于进一步加强和改进新时代全市政务公开工作推进基层政务公开标准化规范化建设的实施意见";
        let lines = title_lines(t);
        let l = lens(&lines);
        assert_eq!(lines.len(), t.chars().count().div_ceil(TITLE_LINE_CHARS));
        assert_eq!(lines.concat(), t);
        let trapezoid = l.windows(2).all(|w| w[0] >= w[1]);
        let diamond = l.len() == 3 && l[1] >= l[0] && l[1] >= l[2];
        assert!(trapezoid || diamond, "{l:?}");
    }
}
