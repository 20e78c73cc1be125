//! Detectors of the structured kinds: numbers (身份证号, phones, bank cards, QQ), alphanumeric
//! codes (统一社会信用代码, passports, 通行证), plates, e-mail, IP addresses, WeChat ids and birth
//! dates. All work on the width-normalised text and report code-point spans.

use crate::checks;
use crate::finding::{Finding, Kept, Kind};
use crate::policy::Allow;
use crate::text::{finding, is_han, Text};
use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static regex")
}

static LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    // The local number written whole, or grouped 3+4 / 4+4 as printed on cards and letterheads.
    re(concat!(
        r"(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[ -]?)(?:\d{7,8}|\d{3,4}[ -]\d{4})",
        r"(?:(?:-|转|分机)\d{1,6})?"
    ))
});
static ALNUM: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9A-Za-z]+"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
});
static IPV4: LazyLock<Regex> = LazyLock::new(|| re(r"\d{1,3}(?:\.\d{1,3}){3}"));
static IPV6: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"));
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• ]?",
        "(?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳领])",
        "|使[0-9]{6}"
    ))
});
static WECHAT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:微信号?|微信ID|微信账号|wechat)\s*[（(]?\s*(?:号码|账号|ID)?\s*(?:为|是|[:：])?\s*([A-Za-z][-_A-Za-z0-9]{5,19})",
    )
});
const DATE: &str = concat!(
    r"(\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{2}\.\d{1,2}\.\d{1,2}",
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)"
);
static BIRTH_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:出生日期|出生年月日?|生日|生于|出生于)\s*(?:为|是|[:：])?\s*{DATE}"
    ))
});
// “…生” only where it ends the phrase: 2024年3月1日生效 is not a birth date.
static BIRTH_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"{DATE}(?:出生|生人|生(?:[，,。；;）)\s]|$))")));

fn ascii_alnum(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Words just before a number that make it personal rather than an office line.
const PERSONAL_CUES: &[&str] = &[
    "人", "先生", "女士", "本人", "家属", "手机", "个人", "亲属", "其妻", "其夫", "之子", "之女",
];
/// Words that make a landline an office's published contact.
const OFFICE_CUES: &[&str] = &[
    "局",
    "处",
    "科",
    "队",
    "所",
    "中心",
    "办公室",
    "窗口",
    "大厅",
    "热线",
    "服务",
    "值班",
    "传真",
    "咨询",
    "举报",
    "投诉",
    "监督",
    "受理",
    "办事",
    "室",
    "站",
    "政府",
    "委员会",
    "法院",
    "检察院",
];
const HOTLINE_CUES: &[&str] = &[
    "热线",
    "值班电话",
    "服务电话",
    "咨询电话",
    "监督电话",
    "举报电话",
    "受理电话",
    "投诉电话",
    "传真",
];

/// Words in the clause before a landline that make it a private person's.
const PRIVATE_LINE_CUES: &[&str] = &[
    "住宅电话",
    "家庭电话",
    "家中电话",
    "宅电",
    "本人",
    "其电话",
    "其联系电话",
    "当事人",
    "申请人",
    "来信人",
    "信访人",
    "来访人",
    "举报人",
    "投诉人",
    "报警人",
    "违法行为人",
    "嫌疑人",
    "被害人",
    "先生",
    "女士",
    "家属",
];

/// Why a number stays visible as an office's published contact, or `None` when it is a person's.
fn office_context(t: &Text, at: usize, mobile: bool) -> Option<&'static str> {
    let before = t.before(at, 24);
    // Only the sentence the number is in.
    let clause = before
        .rsplit(['。', '；', ';', '\n'])
        .next()
        .unwrap_or(&before);
    let near = t.before(at, 8);
    let hotline = HOTLINE_CUES.iter().any(|c| near.contains(c));
    if PERSONAL_CUES.iter().any(|c| near.contains(c)) && !hotline {
        return None;
    }
    if !mobile && PRIVATE_LINE_CUES.iter().any(|c| clause.contains(c)) && !hotline {
        return None;
    }
    if hotline || HOTLINE_CUES.iter().any(|c| clause.contains(c)) {
        return Some("单位公开的咨询、监督、举报、值班电话或传真");
    }
    if mobile {
        return None;
    }
    if OFFICE_CUES.iter().any(|c| clause.contains(c)) || clause.contains("办公电话") {
        return Some("机关、单位的办公电话");
    }
    // A landline with nothing about a person around it is an office's line.
    Some("固定电话，上下文未涉及个人（个人的住宅电话会有“住宅电话、本人、当事人”等提示）")
}

/// A placeholder such as 0000-00000000 or 1234567: every digit the same, or a plain run.
fn placeholder(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() >= 5
        && (b.iter().all(|c| *c == b[0])
            || b.windows(2).all(|w| w[1] == w[0] + 1)
            || b.iter().filter(|c| **c == b'0').count() * 10 >= b.len() * 8)
}

fn keep(t: &Text, kept: &mut Vec<Kept>, kind: Kind, s: usize, e: usize, why: &str) {
    kept.push(Kept {
        kind,
        start: s,
        end: e,
        text: t.slice(s, e),
        reason: why.to_string(),
    });
}

fn published(allow: &Allow, digits: &str) -> bool {
    allow
        .published_numbers
        .iter()
        .any(|p| p.chars().filter(char::is_ascii_digit).collect::<String>() == digits)
}

fn covered(spans: &[(usize, usize)], s: usize, e: usize) -> bool {
    spans.iter().any(|&(a, b)| s < b && a < e)
}

/// Landlines, with office numbers and published numbers left alone.
fn landlines(
    t: &Text,
    allow: &Allow,
    out: &mut Vec<Finding>,
    kept: &mut Vec<Kept>,
    taken: &mut Vec<(usize, usize)>,
) {
    for m in LANDLINE.find_iter(&t.norm) {
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        // Part of a longer digit run (a card number written in groups) is not a landline.
        let digit = |i: usize| t.nchar(i).is_some_and(|c| c.is_ascii_digit());
        let gap = |i: usize| matches!(t.nchar(i), Some(' ' | '-'));
        let before = s.wrapping_sub(1);
        if digit(before)
            || t.nchar(before) == Some('-')
            || (gap(before) && digit(s.wrapping_sub(2)))
            || digit(e)
            || (gap(e) && digit(e + 1))
        {
            continue;
        }
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        taken.push((s, e));
        if placeholder(&digits) || placeholder(&digits[digits.len().saturating_sub(7)..]) {
            continue;
        }
        if published(allow, &digits) {
            keep(
                t,
                kept,
                Kind::PhoneLandline,
                s,
                e,
                "去标识化策略中登记的公开号码",
            );
            continue;
        }
        if let Some(why) = office_context(t, s, false) {
            keep(t, kept, Kind::PhoneLandline, s, e, why);
            continue;
        }
        out.push(finding(
            t,
            Kind::PhoneLandline,
            s,
            e,
            0.9,
            "区号加7至8位号码的固定电话，前文不是单位公开的办公电话",
        ));
    }
}

struct Run {
    /// (start, end) code points of each digit group.
    groups: Vec<(usize, usize)>,
    x_end: bool,
}

fn digit_runs(t: &Text) -> Vec<Run> {
    let n = t.len();
    let d = |i: usize| t.nchars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut runs = Vec::new();
    let mut i = 0;
    while i < n {
        if !d(i) || ascii_alnum(t.nchar(i.wrapping_sub(1))) || (i > 0 && t.nchars[i - 1] == '.') {
            i += 1;
            continue;
        }
        let mut groups = Vec::new();
        let mut j = i;
        loop {
            let mut k = j;
            while d(k) {
                k += 1;
            }
            groups.push((j, k));
            if k + 1 < n && matches!(t.nchars[k], ' ' | '-') && d(k + 1) {
                j = k + 1;
                continue;
            }
            break;
        }
        let mut end = groups.last().map(|g| g.1).unwrap_or(i);
        let mut x_end = false;
        if matches!(t.nchar(end), Some('X' | 'x')) && !ascii_alnum(t.nchar(end + 1)) {
            x_end = true;
            end += 1;
        }
        let glued = ascii_alnum(t.nchar(end)) || (t.nchar(end) == Some('.') && d(end + 1));
        if !glued {
            runs.push(Run { groups, x_end });
        }
        i = end.max(i + 1);
    }
    runs
}

fn has_cue(t: &Text, at: usize, n: usize, cues: &[&str]) -> bool {
    let b = t.before(at, n).to_lowercase();
    cues.iter().any(|c| b.contains(c))
}

/// Whether a cue names the number at `at`: just before it, or as the header of its column in a
/// tab-separated table (a 身份证号 column of a 名单).
fn cued(t: &Text, at: usize, cues: &[&str]) -> bool {
    has_cue(t, at, 10, cues)
        || column_header(t, at).is_some_and(|h| cues.iter().any(|c| h.contains(c)))
}

/// The header of the table column `at` is in: the cell in the same column of the first row of
/// the run of tab-separated lines around it. None outside a table. A table's rows are short:
/// a line longer than [`ROW_MAX`] characters is not one, so the look-back stays bounded on a
/// long paragraph.
fn column_header(t: &Text, at: usize) -> Option<String> {
    const ROW_MAX: usize = 2_000;
    let chars = &t.nchars;
    let line_start = |i: usize| -> Option<usize> {
        let from = i.saturating_sub(ROW_MAX);
        match chars[from..i].iter().rposition(|c| *c == '\n') {
            Some(p) => Some(from + p + 1),
            None => (from == 0).then_some(0),
        }
    };
    let ls = line_start(at)?;
    if !chars[ls..]
        .iter()
        .take(ROW_MAX)
        .take_while(|c| **c != '\n')
        .any(|c| *c == '\t')
    {
        return None;
    }
    let col = chars[ls..at].iter().filter(|c| **c == '\t').count();
    // Up to the first row of this table (lines with tabs, at most 500 of them).
    let mut top = ls;
    for _ in 0..500 {
        if top == 0 {
            break;
        }
        let Some(prev) = line_start(top - 1) else {
            break;
        };
        if !chars[prev..top - 1].contains(&'\t') {
            break;
        }
        top = prev;
    }
    if top == ls {
        return None;
    }
    let header: String = chars[top..].iter().take_while(|c| **c != '\n').collect();
    header.split('\t').nth(col).map(|c| c.trim().to_string())
}

/// Numbers: 身份证号, mobiles, bank cards, QQ.
fn numbers(
    t: &Text,
    allow: &Allow,
    out: &mut Vec<Finding>,
    kept: &mut Vec<Kept>,
    taken: &[(usize, usize)],
) {
    for run in digit_runs(t) {
        let g = &run.groups;
        let mut a = 0;
        while a < g.len() {
            let mut matched = None;
            for b in (a..g.len()).rev() {
                let (s, mut e) = (g[a].0, g[b].1);
                let mut digits: String = (a..=b)
                    .flat_map(|k| t.nchars[g[k].0..g[k].1].iter())
                    .collect();
                let last = b == g.len() - 1;
                if last && run.x_end {
                    digits.push('X');
                    e += 1;
                }
                if covered(taken, s, e) {
                    continue;
                }
                let len = digits.len();
                let kind = if len == 18 && checks::id18(&digits) {
                    Some((
                        Kind::IdCard,
                        0.99,
                        "18位居民身份证号，校验码、出生日期和地区码均有效",
                    ))
                } else if digits.ends_with('X') {
                    None
                } else if len == 15 && checks::id15(&digits) {
                    Some((
                        Kind::IdCard,
                        0.9,
                        "15位旧版居民身份证号，地区码和出生日期有效",
                    ))
                } else if has_cue(t, s, 8, &["qq", "扣扣"]) && (5..=11).contains(&len) {
                    Some((Kind::Qq, 0.95, "“QQ”之后的号码"))
                } else if (len == 11
                    && digits.starts_with('1')
                    && matches!(digits.as_bytes()[1], b'3'..=b'9'))
                    || (len == 13
                        && digits.starts_with("861")
                        && matches!(digits.as_bytes()[3], b'3'..=b'9'))
                {
                    if has_cue(t, s, 6, &["微信"]) {
                        Some((Kind::Wechat, 0.95, "“微信”之后的号码"))
                    } else {
                        Some((Kind::PhoneMobile, 0.97, "11位手机号码"))
                    }
                } else if (17..=19).contains(&len)
                    && cued(t, s, ID_CUES)
                    && checks::id_shaped(&digits)
                {
                    Some((Kind::IdCard, 0.7, ID_TYPO))
                } else if (16..=19).contains(&len)
                    && checks::luhn(&digits)
                    && matches!(digits.as_bytes()[0], b'3'..=b'6')
                {
                    Some((Kind::BankCard, 0.93, "16至19位且通过Luhn校验的银行卡号"))
                } else {
                    None
                };
                if let Some(k) = kind {
                    matched = Some((b, s, e, k));
                    break;
                }
            }
            // A card number printed in groups is one number: a Luhn-valid first part of a run
            // of at most 19 digits takes the groups after it too (6217 0022 3000 1234 567).
            if let Some((b, s, _, (Kind::BankCard, conf, why))) = matched {
                let last = g.len() - 1;
                let digits: usize = (a..=last).map(|k| g[k].1 - g[k].0).sum();
                if b < last && digits <= 19 && !run.x_end {
                    matched = Some((last, s, g[last].1, (Kind::BankCard, conf, why)));
                }
            }
            match matched {
                Some((b, mut s, e, (kind, conf, why))) => {
                    if kind == Kind::PhoneMobile {
                        if t.nchar(s.wrapping_sub(1)) == Some('+') {
                            s -= 1;
                        }
                        let digits: String = t.nchars[s..e]
                            .iter()
                            .filter(|c| c.is_ascii_digit())
                            .collect();
                        let national = &digits[digits.len() - 11..];
                        if published(allow, national) {
                            keep(t, kept, kind, s, e, "去标识化策略中登记的公开号码");
                            a = b + 1;
                            continue;
                        }
                        if let Some(why) = office_context(t, s, true) {
                            keep(t, kept, kind, s, e, why);
                            a = b + 1;
                            continue;
                        }
                    }
                    out.push(finding(t, kind, s, e, conf, why));
                    a = b + 1;
                }
                None => {
                    if let Some((b, s, e, kind, why)) = typo(t, &run, a) {
                        if !covered(taken, s, e) {
                            out.push(finding(t, kind, s, e, 0.7, why));
                        }
                        a = b + 1;
                    } else {
                        a += 1;
                    }
                }
            }
        }
    }
}

const ID_TYPO: &str = "身份证号码提示词之后的号码，地区码和出生日期有效，但校验位不符或位数不对（可能是笔误，仍属个人信息）";
const ID_CUES: &[&str] = &["身份证", "身份号码", "证件号", "公民身份"];
const CARD_CUES: &[&str] = &["账号", "卡号", "银行卡", "账户", "帐号", "帐户"];
const MOBILE_CUES: &[&str] = &["手机", "电话", "联系方式"];

/// A number that has the shape of personal data after its cue but fails its check: a 身份证号
/// with a wrong check character or a digit too many or too few, a card number failing Luhn, a
/// mobile number a digit too long or short. Still personal data: flagged with lower confidence.
fn typo(t: &Text, run: &Run, a: usize) -> Option<(usize, usize, usize, Kind, &'static str)> {
    let g = &run.groups;
    let b = g.len() - 1;
    let (s, mut e) = (g[a].0, g[b].1);
    let mut digits: String = (a..=b)
        .flat_map(|k| t.nchars[g[k].0..g[k].1].iter())
        .collect();
    if run.x_end {
        digits.push('X');
        e += 1;
    }
    if placeholder(digits.trim_end_matches('X')) {
        return None;
    }
    let len = digits.len();
    let cue = |cues: &[&str]| cued(t, s, cues);
    if (17..=19).contains(&len) && cue(ID_CUES) && checks::id_shaped(&digits) {
        return Some((b, s, e, Kind::IdCard, ID_TYPO));
    }
    if digits.ends_with('X') {
        return None;
    }
    if (12..=19).contains(&len) && cue(CARD_CUES) && !office_account(t, s) {
        return Some((
            b,
            s,
            e,
            Kind::BankCard,
            "账号、卡号提示词之后的号码，未通过Luhn校验（可能是笔误或存折账号，仍属个人金融信息）",
        ));
    }
    if (len == 10 || len == 12)
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9')
        && cue(MOBILE_CUES)
    {
        return Some((
            b,
            s,
            e,
            Kind::PhoneMobile,
            "手机、电话提示词之后的号码，比手机号码多或少一位（可能是笔误，仍属个人信息）",
        ));
    }
    None
}

/// An account of an agency or a company (开户银行、户名 of a 局/单位/公司) is not personal.
fn office_account(t: &Text, at: usize) -> bool {
    let before = t.before(at, 60);
    let clause = before.rsplit(['。', '\n']).next().unwrap_or(&before);
    let private = PRIVATE_LINE_CUES.iter().any(|c| clause.contains(c));
    ((clause.contains("开户") || clause.contains("户名")) && !private) || clause.contains("对公")
}

/// Codes made of letters and digits: 统一社会信用代码, passports, 通行证.
fn codes(t: &Text, out: &mut Vec<Finding>, taken: &mut Vec<(usize, usize)>) {
    for m in ALNUM.find_iter(&t.norm) {
        let tok = m.as_str();
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        let b = tok.as_bytes();
        if b.len() == 18 && checks::uscc(tok) && !checks::id18(tok) {
            taken.push((s, e));
            if tok.starts_with("92") {
                out.push(finding(
                    t,
                    Kind::UsccIndividual,
                    s,
                    e,
                    0.95,
                    "登记管理部门代码为“92”的个体工商户统一社会信用代码",
                ));
            }
            continue;
        }
        let upper = tok.to_ascii_uppercase();
        let ub = upper.as_bytes();
        let nine = ub.len() == 9 && ub[1..].iter().all(u8::is_ascii_digit)
            || ub.len() == 9
                && ub[1].is_ascii_uppercase()
                && ub[2..].iter().all(u8::is_ascii_digit);
        if ub.len() == 8
            && ub.iter().all(u8::is_ascii_digit)
            && has_cue(t, s, 16, &["台湾居民来往大陆通行证", "台胞证"])
        {
            // 台湾居民来往大陆通行证: eight digits.
            taken.push((s, e));
            out.push(finding(
                t,
                Kind::TravelPermit,
                s,
                e,
                0.95,
                "“台湾居民来往大陆通行证”之后的8位证件号码",
            ));
            continue;
        }
        if !nine {
            continue;
        }
        if has_cue(t, s, 14, &["护照"]) && matches!(ub[0], b'E' | b'G' | b'D' | b'S' | b'P' | b'H')
        {
            out.push(finding(
                t,
                Kind::Passport,
                s,
                e,
                0.95,
                "“护照”之后的护照号码",
            ));
        } else if has_cue(t, s, 16, &["通行证", "回乡证", "台胞证"])
            && matches!(ub[0], b'C' | b'H' | b'M' | b'L' | b'T' | b'W')
        {
            out.push(finding(
                t,
                Kind::TravelPermit,
                s,
                e,
                0.95,
                "“通行证”之后的证件号码",
            ));
        } else if ub[0] == b'E' && ub[1].is_ascii_uppercase() {
            out.push(finding(
                t,
                Kind::Passport,
                s,
                e,
                0.8,
                "电子普通护照号码格式（E+字母+7位数字）",
            ));
        }
    }
}

fn plates_emails_ips(t: &Text, allow: &Allow, out: &mut Vec<Finding>, kept: &mut Vec<Kept>) {
    for m in PLATE.find_iter(&t.norm) {
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        if ascii_alnum(t.nchar(e)) {
            continue;
        }
        out.push(finding(
            t,
            Kind::Plate,
            s,
            e,
            0.95,
            "机动车号牌（省份简称+发牌机关代号+序号）",
        ));
    }
    for m in EMAIL.find_iter(&t.norm) {
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        let domain = m
            .as_str()
            .rsplit('@')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if allow
            .office_email_domains
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
        {
            keep(
                t,
                kept,
                Kind::Email,
                s,
                e,
                "机关、单位的公务邮箱（策略登记的域名）",
            );
            continue;
        }
        out.push(finding(t, Kind::Email, s, e, 0.97, "电子邮箱地址"));
    }
    for m in IPV4.find_iter(&t.norm) {
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        if t.nchar(s.wrapping_sub(1))
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
            || t.nchar(e).is_some_and(|c| c.is_ascii_digit())
            || (t.nchar(e) == Some('.') && t.nchar(e + 1).is_some_and(|c| c.is_ascii_digit()))
        {
            continue;
        }
        if m.as_str().parse::<std::net::Ipv4Addr>().is_err() {
            continue;
        }
        // The host of a web address (http://192.168.3.120/…): a site's server, published with
        // its link, not a person's connection.
        if t.before(s, 3) == "://" {
            keep(
                t,
                kept,
                Kind::IpAddress,
                s,
                e,
                "网址中的服务器地址（网站链接），不是个人的上网地址",
            );
            continue;
        }
        out.push(finding(t, Kind::IpAddress, s, e, 0.9, "IPv4地址"));
    }
    for m in IPV6.find_iter(&t.norm) {
        let tok = m.as_str();
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        if ascii_alnum(t.nchar(s.wrapping_sub(1))) || ascii_alnum(t.nchar(e)) {
            continue;
        }
        if (tok.contains("::") || tok.matches(':').count() == 7)
            && tok.parse::<std::net::Ipv6Addr>().is_ok()
        {
            out.push(finding(t, Kind::IpAddress, s, e, 0.9, "IPv6地址"));
        }
    }
}

fn wechat_and_birth(t: &Text, out: &mut Vec<Finding>) {
    for c in WECHAT.captures_iter(&t.norm) {
        let m = c.get(1).expect("group");
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        if ascii_alnum(t.nchar(e)) {
            continue;
        }
        out.push(finding(t, Kind::Wechat, s, e, 0.95, "“微信”之后的账号"));
    }
    for (re, why) in [
        (&*BIRTH_CUE, "“出生日期/生于”之后的日期"),
        (&*BIRTH_AFTER, "“……出生”之前的日期"),
    ] {
        for c in re.captures_iter(&t.norm) {
            let m = c.get(1).expect("group");
            let (s, e) = (t.c(m.start()), t.c(m.end()));
            if t.nchar(s.wrapping_sub(1))
                .is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            out.push(finding(t, Kind::BirthDate, s, e, 0.95, why));
        }
    }
}

/// Runs every structured detector.
pub(crate) fn structured(t: &Text, allow: &Allow, out: &mut Vec<Finding>, kept: &mut Vec<Kept>) {
    let mut taken = Vec::new();
    codes(t, out, &mut taken);
    landlines(t, allow, out, kept, &mut taken);
    numbers(t, allow, out, kept, &taken);
    plates_emails_ips(t, allow, out, kept);
    wechat_and_birth(t, out);
    let _ = is_han;
}
