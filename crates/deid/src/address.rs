//! Home addresses (`address`): after cues such as 住址、家住、户籍地, and residential details
//! (…路12号3单元402室, …小区5号楼, …村3组) anywhere. Office addresses (办公地址, a 公安局's
//! 受理窗口) are left alone.

use crate::finding::{Finding, Kind};
use crate::text::{cue_regex, finding, Text};
use regex::Regex;
use std::sync::LazyLock;

const CUES: &[&str] = &[
    "家庭住址",
    "家庭地址",
    "现住址",
    "现住所",
    "现居住地",
    "经常居住地",
    "户籍所在地",
    "户籍地址",
    "户籍地",
    "住所地",
    "居住地",
    "暂住地",
    "住址",
    "住所",
    "现住",
    "家住",
    "暂住",
    "居住于",
    "居住在",
    "住在",
    "住",
];
/// An address must contain one of these below the 乡镇/街道 level.
const DETAIL: &[&str] = &[
    "路", "街", "巷", "弄", "胡同", "号", "小区", "栋", "幢", "单元", "室", "村", "组", "楼", "苑",
    "花园", "公寓", "家园", "社区", "大院", "里",
];
const OFFICE: &[&str] = &[
    "公安局",
    "派出所",
    "分局",
    "政府",
    "大厅",
    "中心",
    "委员会",
    "法院",
    "检察院",
    "办公",
    "窗口",
    "支队",
    "大队",
    "公司",
    "银行",
    "医院",
    "学校",
];

static CUE_RE: LazyLock<Regex> = LazyLock::new(|| {
    cue_regex(
        CUES,
        r"(?:[:：]|为|是|在|于)?\s*([\p{Han}0-9A-Za-z\-#号]{4,60})",
    )
});
static DETAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:[\p{Han}&&[^在于其的了是和与向从到住位把被为对将及反映称]]{1,9}?(?:省|市|区|县|镇|乡|街道|办事处))*",
        r"[\p{Han}&&[^在于其的了是和与向从到住位把被为对将及]]{1,8}?(?:大道|路|街|巷|弄)\d+号(?:院)?",
        r"(?:[\p{Han}]{2,8}?(?:小区|花园|家园|公寓|新村|苑|大厦|广场))?",
        r"(?:\d+(?:号楼|栋|幢|座))?(?:\d+单元)?(?:\d+(?:层|楼))?(?:\d+(?:室|户|号房))?",
        r"|[\p{Han}]{2,12}?(?:小区|花园|家园|公寓|新村|苑)\d+(?:号楼|栋|幢|号)(?:\d+单元)?(?:\d+(?:室|户|号))?",
        r"|[\p{Han}]{2,10}?村(?:\d+|[一二三四五六七八九十]+)组(?:\d+号)?)"
    ))
    .expect("static regex")
});
/// Leading words a pattern match may have swallowed.
const LEAD: &[&str] = &[
    "位于",
    "居住在",
    "住在",
    "家住",
    "现住",
    "住于",
    "住",
    "在",
    "于",
    "到",
    "至",
    "从",
    "由",
];

fn has_detail(addr: &str) -> bool {
    let rest = addr.replace("街道", "");
    DETAIL.iter().any(|d| rest.contains(d))
}

fn residential(addr: &str) -> bool {
    ["号楼", "栋", "幢", "单元", "室", "户", "组"]
        .iter()
        .any(|d| addr.contains(d))
}

fn push(t: &Text, out: &mut Vec<Finding>, s: usize, e: usize, c: f32, why: &str) {
    out.push(finding(t, Kind::Address, s, e, c, why));
}

pub(crate) fn addresses(t: &Text, out: &mut Vec<Finding>) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for c in CUE_RE.captures_iter(&t.norm) {
        let whole = c.get(0).expect("match");
        let m = c.get(1).expect("group");
        let cue = &whole.as_str()[..m.start() - whole.start()];
        let (s, e) = (t.c(m.start()), t.c(m.end()));
        let addr = m.as_str();
        if cue.trim_end_matches([':', '：', ' ']).ends_with('住')
            && cue.chars().count() <= 2
            && ["院", "宿", "房", "建", "户", "址"]
                .iter()
                .any(|w| addr.starts_with(w))
        {
            continue;
        }
        if !has_detail(addr) && !addr.ends_with(['市', '县', '区', '镇', '乡']) {
            continue;
        }
        let before = t.before(t.c(whole.start()), 8);
        if OFFICE
            .iter()
            .any(|w| addr.contains(w) || before.contains(w))
        {
            continue;
        }
        spans.push((s, e));
        push(t, out, s, e, 0.92, "紧随“住址、家住、户籍地”等的地址");
    }
    for m in DETAIL_RE.find_iter(&t.norm) {
        let mut s = t.c(m.start());
        let e = t.c(m.end());
        let mut text = m.as_str();
        while let Some(l) = LEAD.iter().find(|l| text.starts_with(**l)) {
            text = &text[l.len()..];
            s += l.chars().count();
        }
        if spans.iter().any(|&(a, b)| s < b && a < e) || !residential(text) {
            continue;
        }
        if OFFICE
            .iter()
            .any(|w| text.contains(w) || t.before(s, 6).contains(w))
        {
            continue;
        }
        push(t, out, s, e, 0.85, "包含门牌、楼栋、单元、房号或村组的住址");
    }
}

/// The address cut to its 乡镇/街道 (else 区/县, else 市); `None` when no level is named.
pub fn generalise(addr: &str) -> Option<String> {
    for units in [&["街道", "镇", "乡"][..], &["区", "县"][..], &["市"][..]] {
        let cut = units
            .iter()
            .flat_map(|u| {
                addr.match_indices(u)
                    .filter(|(i, _)| {
                        // 小区、社区、园区、校区 are not districts.
                        *u != "区" || !addr[..*i].ends_with(['小', '社', '园', '校', '景'])
                    })
                    .map(|(i, m)| i + m.len())
            })
            .max();
        if let Some(i) = cut {
            return Some(addr[..i].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalises_to_the_township() {
        assert_eq!(
            generalise("山东省淄博市张店区马尚街道人民西路12号3单元402室").as_deref(),
            Some("山东省淄博市张店区马尚街道")
        );
        assert_eq!(
            generalise("淄川区龙泉镇东村3组").as_deref(),
            Some("淄川区龙泉镇")
        );
        assert_eq!(generalise("张店区华光路5号").as_deref(), Some("张店区"));
        assert_eq!(generalise("幸福小区5号楼"), None);
    }
}
