//! Detectors of the structured kinds: numbers (身份证号, phones, bank cards, QQ), alphanumeric
//! codes (统一社会信用代码, passports, 通行证), plates, e-mail, IP addresses, WeChat ids and birth
//! dates. All work on the width-normalised text and report code-point spans.

use crate::checks;
use crate::finding::{Finding, Kind};
use crate::policy::Allow;
use crate::text::{finding, is_han, Text};
use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static regex")
}

static LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[ -]?)\d{7,8}(?:(?:-|转|分机)\d{1,6})?")
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
        "(?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳])"
    ))
});
static WECHAT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:微信号?|微信ID|微信账号|wechat)\s*[（(]?\s*(?:号码|账号|ID)?\s*(?:为|是|[:：])?\s*([A-Za-z][-_A-Za-z0-9]{5,19})",
    )
});
const DATE: &str = r"(\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}[-./]\d{1,2}[-./]\d{1,2})";
static BIRTH_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:出生日期|出生年月日?|生日|生于|出生于)\s*(?:为|是|[:：])?\s*{DATE}"
    ))
});
static BIRTH_AFTER: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"{DATE}(?:出生|生人|生)")));

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

fn office_context(t: &Text, at: usize, mobile: bool) -> bool {
    let before = t.before(at, 20);
    // Only the sentence the number is in.
    let clause = before
        .rsplit(['。', '；', ';', '\n'])
        .next()
        .unwrap_or(&before);
    let near = t.before(at, 8);
    if PERSONAL_CUES.iter().any(|c| near.contains(c))
        && !HOTLINE_CUES.iter().any(|c| near.contains(c))
    {
        return false;
    }
    let cues: &[&str] = if mobile { HOTLINE_CUES } else { OFFICE_CUES };
    cues.iter().any(|c| clause.contains(c))
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
fn landlines(t: &Text, allow: &Allow, out: &mut Vec<Finding>, taken: &mut Vec<(usize, usize)>) {
    for m in LANDLINE.find_iter(&t.norm) {
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        if t.nchar(s.wrapping_sub(1))
            .is_some_and(|c| c.is_ascii_digit() || c == '-')
            || t.nchar(e).is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        taken.push((s, e));
        if published(allow, &digits) || office_context(t, s, false) {
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

/// Numbers: 身份证号, mobiles, bank cards, QQ.
fn numbers(t: &Text, allow: &Allow, out: &mut Vec<Finding>, taken: &[(usize, usize)]) {
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
                        if published(allow, national) || office_context(t, s, true) {
                            a = b + 1;
                            continue;
                        }
                    }
                    out.push(finding(t, kind, s, e, conf, why));
                    a = b + 1;
                }
                None => a += 1,
            }
        }
    }
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

fn plates_emails_ips(t: &Text, allow: &Allow, out: &mut Vec<Finding>) {
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
        if m.as_str().parse::<std::net::Ipv4Addr>().is_ok() {
            out.push(finding(t, Kind::IpAddress, s, e, 0.9, "IPv4地址"));
        }
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
pub(crate) fn structured(t: &Text, allow: &Allow, out: &mut Vec<Finding>) {
    let mut taken = Vec::new();
    codes(t, out, &mut taken);
    landlines(t, allow, out, &mut taken);
    numbers(t, allow, out, &taken);
    plates_emails_ips(t, allow, out);
    wechat_and_birth(t, out);
    let _ = is_han;
}
