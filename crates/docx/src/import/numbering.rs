//! Automatic numbering (numbering.xml): the marker each numbered paragraph shows.

use super::*;

#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub(crate) start: i64,
    pub(crate) fmt: String,
    pub(crate) text: String,
    pub(crate) restart: Option<i64>,
    pub(crate) legal: bool,
    pub(crate) suff: String,
    pub(crate) pstyle: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            fmt: "decimal".into(),
            text: String::new(),
            restart: None,
            legal: false,
            suff: "tab".into(),
            pstyle: None,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Num {
    pub(crate) abstract_id: i64,
    pub(crate) start_overrides: HashMap<usize, i64>,
    pub(crate) level_overrides: HashMap<usize, Level>,
}

/// The numbering definitions and the running counters (kept per abstract definition, as Word
/// continues a list across `w:num`s sharing one; a `startOverride` restarts it).
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    pub(crate) abstracts: HashMap<i64, [Option<Level>; 9]>,
    pub(crate) nums: HashMap<i64, Num>,
    pub(crate) counters: HashMap<i64, [Option<i64>; 9]>,
    pub(crate) started: HashSet<i64>,
}

/// A numbering marker rendered for one paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub(crate) text: String,
    pub(crate) number: i64,
    pub(crate) bullet: bool,
    /// Join the marker to the text without a space.
    pub(crate) tight: bool,
}

impl Numbering {
    pub(crate) fn parse(text: &str) -> Result<Self, ImportError> {
        const PART: &str = "word/numbering.xml";
        let mut n = Numbering::default();
        let mut abs: Option<(i64, [Option<Level>; 9])> = None;
        let mut num: Option<(i64, Num)> = None;
        let mut lvl: Option<(usize, Level)> = None;
        let mut override_ilvl: Option<usize> = None;
        walk(text, PART, |x| {
            let (e, is_start) = match x {
                Xml::Open { e, start, .. } => (e, start),
                Xml::Close { name, .. } => {
                    match name {
                        b"lvl" => {
                            if let Some((i, l)) = lvl.take() {
                                if let Some((_, levels)) = abs.as_mut() {
                                    levels[i] = Some(l);
                                } else if let Some((_, nm)) = num.as_mut() {
                                    nm.level_overrides.insert(i, l);
                                }
                            }
                        }
                        b"abstractNum" => {
                            if let Some((id, levels)) = abs.take() {
                                n.abstracts.entry(id).or_insert(levels);
                            }
                        }
                        b"num" => {
                            if let Some((id, nm)) = num.take() {
                                n.nums.entry(id).or_insert(nm);
                            }
                        }
                        b"lvlOverride" => override_ilvl = None,
                        _ => {}
                    }
                    return None;
                }
                Xml::Skipped { .. } | Xml::Text { .. } => return None,
            };
            match e.local_name().as_ref() {
                b"pPr" | b"rPr" | b"numPicBullet" if is_start => return Some(()),
                b"abstractNum" if is_start => {
                    let id = attr(e, b"abstractNumId").and_then(|v| v.trim().parse().ok());
                    abs = id.map(|id| (id, Default::default()));
                }
                b"num" if is_start => {
                    let id = attr(e, b"numId").and_then(|v| v.trim().parse().ok());
                    num = id.map(|id| (id, Num::default()));
                }
                b"abstractNumId" => {
                    if let (Some((_, nm)), Some(v)) = (num.as_mut(), val_int(e)) {
                        nm.abstract_id = v;
                    }
                }
                b"lvlOverride" if is_start => {
                    override_ilvl = attr(e, b"ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&i| i < 9);
                }
                b"startOverride" => {
                    if let (Some((_, nm)), Some(i), Some(v)) =
                        (num.as_mut(), override_ilvl, val_int(e))
                    {
                        nm.start_overrides.insert(i, v);
                    }
                }
                b"lvl" if is_start => {
                    let i = attr(e, b"ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&i| i < 9)
                        .or(override_ilvl);
                    lvl = i.map(|i| (i, Level::default()));
                }
                other => {
                    if let Some((_, l)) = lvl.as_mut() {
                        match other {
                            b"start" => l.start = val_int(e).unwrap_or(1).clamp(0, 1_000_000),
                            b"numFmt" => l.fmt = val(e).unwrap_or_else(|| "decimal".into()),
                            b"lvlText" => l.text = val(e).unwrap_or_default(),
                            b"lvlRestart" => l.restart = val_int(e),
                            b"isLgl" => l.legal = on_off(e),
                            b"suff" => l.suff = val(e).unwrap_or_else(|| "tab".into()),
                            b"pStyle" => l.pstyle = val(e),
                            _ => {}
                        }
                    }
                }
            }
            None
        })?;
        Ok(n)
    }

    pub(crate) fn level<'n>(&'n self, num: &'n Num, i: usize) -> Option<&'n Level> {
        num.level_overrides.get(&i).or_else(|| {
            self.abstracts
                .get(&num.abstract_id)
                .and_then(|a| a[i].as_ref())
        })
    }

    /// The level a paragraph style is bound to in this list (`w:lvl/w:pStyle`).
    pub(crate) fn level_for_style(&self, num_id: i64, style: Option<&str>) -> Option<usize> {
        let style = style?;
        let num = self.nums.get(&num_id)?;
        (0..9).find(|&i| {
            self.level(num, i)
                .and_then(|l| l.pstyle.as_deref())
                .is_some_and(|s| s == style)
        })
    }

    /// Advances the counters for a paragraph at (`num_id`, `ilvl`) and renders its marker.
    pub(crate) fn next(&mut self, num_id: i64, ilvl: usize) -> Option<Marker> {
        let ilvl = ilvl.min(8);
        let (key, levels, start_overrides) = {
            let num = self.nums.get(&num_id)?;
            let levels: Vec<Level> = (0..9)
                .map(|i| self.level(num, i).cloned().unwrap_or_default())
                .collect();
            (num.abstract_id, levels, num.start_overrides.clone())
        };
        let overrides = if self.started.insert(num_id) {
            start_overrides
        } else {
            HashMap::new()
        };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        for (i, start) in overrides {
            if i < 9 {
                counters[i] = Some(start.saturating_sub(1));
            }
        }
        let cur = &levels[ilvl];
        counters[ilvl] = Some(match counters[ilvl] {
            None => cur.start,
            Some(v) => v.saturating_add(1),
        });
        for (k, level) in levels.iter().enumerate().skip(ilvl + 1) {
            // lvlRestart is 1-based: restart after a level at or above it; 0 = never.
            let restart_after = level.restart.unwrap_or(k as i64);
            if restart_after != 0 && (ilvl as i64) < restart_after {
                counters[k] = None;
            }
        }
        let values: Vec<i64> = (0..9)
            .map(|i| counters[i].unwrap_or(levels[i].start))
            .collect();
        let number = values[ilvl];
        if cur.fmt == "bullet" {
            return Some(Marker {
                text: cur.text.clone(),
                number,
                bullet: true,
                tight: true,
            });
        }
        let mut text = String::new();
        let mut chars = cur.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let i = d as usize;
                    if (1..=9).contains(&i) && i - 1 <= ilvl {
                        let fmt = if cur.legal && i - 1 != ilvl {
                            "decimal"
                        } else {
                            levels[i - 1].fmt.as_str()
                        };
                        text.push_str(&format_number(values[i - 1], fmt));
                    }
                    continue;
                }
            }
            text.push(c);
        }
        let tight = cur.suff == "nothing"
            || text
                .chars()
                .last()
                .is_some_and(|c| "、.．）)]】:：".contains(c));
        Some(Marker {
            text,
            number,
            bullet: false,
            tight,
        })
    }
}

pub(crate) const CN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Chinese counting numerals for any non-negative number below 100 000.
pub(crate) fn cn_counting(n: i64) -> String {
    if (1..100).contains(&n) {
        return format_cn_number(n as u32);
    }
    if n <= 0 || n >= 100_000 {
        return n.to_string();
    }
    let units = [(10_000, '万'), (1000, '千'), (100, '百'), (10, '十')];
    let mut out = String::new();
    let mut rest = n;
    let mut zero = false;
    for (u, name) in units {
        let d = rest / u;
        rest %= u;
        if d > 0 {
            if zero {
                out.push('零');
                zero = false;
            }
            out.push(CN[d as usize]);
            out.push(name);
        } else if !out.is_empty() {
            zero = true;
        }
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push(CN[rest as usize]);
    }
    out
}

pub(crate) fn letters(n: i64, base: u8) -> String {
    if n <= 0 {
        return n.to_string();
    }
    // Word repeats the letter: 27 → AA, 28 → BB.
    let c = (base + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(c, times).collect()
}

pub(crate) fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (v, s) in table {
        while rest >= v {
            out.push_str(s);
            rest -= v;
        }
    }
    out
}

pub(crate) fn enclosed(n: i64, first: u32) -> String {
    if (1..=20).contains(&n) {
        char::from_u32(first + n as u32 - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string())
    } else {
        n.to_string()
    }
}

/// Renders a counter value in an OOXML `numFmt`.
pub(crate) fn format_number(n: i64, fmt: &str) -> String {
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographLegalTraditional"
        | "koreanCounting" => cn_counting(n),
        "chineseLegalSimplified" => cn_counting(n)
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                other => other,
            })
            .collect(),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(0) => '〇',
                Some(d) => CN[d as usize],
                None => c,
            })
            .collect(),
        "ideographTraditional" => {
            const GAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
            if (1..=10).contains(&n) {
                GAN[(n - 1) as usize].to_string()
            } else {
                n.to_string()
            }
        }
        "ideographZodiac" => {
            const ZHI: [char; 12] = [
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ];
            if (1..=12).contains(&n) {
                ZHI[(n - 1) as usize].to_string()
            } else {
                n.to_string()
            }
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32('０' as u32 + d).unwrap_or(c),
                None => c,
            })
            .collect(),
        "decimalZero" => format!("{n:02}"),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488),
        "none" => String::new(),
        _ => n.to_string(),
    }
}
