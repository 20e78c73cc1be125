//! Home addresses (`address`): after cues such as 住址、家住、户籍地, and residential details
//! (…路12号3单元402室, …小区5号楼, …村3组) anywhere. Office addresses (办公地址, a 公安局's
//! 受理窗口) are left alone.

use crate::finding::{Finding, Kept, Kind};
use crate::text::{cue_regex, finding, Text};
use regex::Regex;
use std::sync::LazyLock;

const CUES: &[&str] = &[
    "通讯地址",
    "通信地址",
    "联系地址",
    "邮寄地址",
    "送达地址",
    "收件地址",
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
    "本机关",
    "机关地址",
    "本局",
    "我局",
    "办公地点",
    "办理地点",
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
        r"|(?:[\p{Han}&&[^在于其的了是和与向从到住位把被为对将及反映称]]{1,9}?(?:省|市|区|县|镇|乡|街道|办事处))*",
        r"[\p{Han}&&[^在于其的了是和与向从到住位把被为对将及]]{2,12}?(?:小区|花园|家园|公寓|新村|苑)",
        r"(?:\d+(?:号楼|栋|幢|号)(?:\d+单元)?(?:\d+(?:室|户|号))?|\d+-\d+-\d+(?:室)?)",
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

/// Whether `addr` names an office by `word` (公安局, 中心 …), not a road called after one
/// (中心路, 政府街).
fn names_office(addr: &str, word: &str) -> bool {
    addr.match_indices(word).any(|(i, _)| {
        let rest = &addr[i + word.len()..];
        ![
            "路", "街", "大街", "大道", "巷", "胡同", "东路", "西路", "南路", "北路",
        ]
        .iter()
        .any(|r| rest.starts_with(r))
    })
}

fn has_detail(addr: &str) -> bool {
    let rest = addr.replace("街道", "");
    DETAIL.iter().any(|d| rest.contains(d))
}

fn residential(addr: &str) -> bool {
    ["号楼", "栋", "幢", "单元", "室", "户", "组"]
        .iter()
        .any(|d| addr.contains(d))
        || BUILDING_UNIT_ROOM.is_match(addr)
}

/// 楼-单元-室 written with dashes after an estate's name (金茵小区15-2-402).
static BUILDING_UNIT_ROOM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Han}\d+-\d+-\d+").expect("static regex"));

fn push(t: &Text, out: &mut Vec<Finding>, s: usize, e: usize, c: f32, why: &str) {
    out.push(finding(t, Kind::Address, s, e, c, why));
}

/// Where an address read after a cue ends: after its last unit (室、户、号、组、楼、街道、镇…), so that
/// “住院治疗期间” or the rest of a sentence is never taken for an address.
fn address_end(addr: &str) -> usize {
    const ENDS: &[&str] = &[
        "号房", "号楼", "单元", "室", "户", "号", "组", "栋", "幢", "座", "层", "楼", "小区",
        "花园", "家园", "公寓", "新村", "社区", "大院", "村", "苑", "路", "街", "巷", "弄", "胡同",
        "镇", "乡", "街道", "区", "县", "市",
    ];
    // The last unit of any level (a trailing clause after it is not part of the address).
    ENDS.iter()
        .flat_map(|u| {
            addr.match_indices(u)
                // 街 of 街道 is the township, not a street.
                .filter(|(i, m)| !(*m == "街" && addr[i + m.len()..].starts_with('道')))
                .map(|(i, m)| i + m.len())
        })
        .max()
        .unwrap_or(addr.len())
}

/// Cues that only say “address” (通讯地址、联系地址…): the address is a person's only when it
/// reaches a home (a flat, a house number in a village).
fn generic_cue(cue: &str) -> bool {
    cue.contains("地址") && !cue.contains("住") && !cue.contains("户籍") && !cue.contains("家庭")
}

pub(crate) fn addresses(t: &Text, out: &mut Vec<Finding>, kept: &mut Vec<Kept>) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for c in CUE_RE.captures_iter(&t.norm) {
        let whole = c.get(0).expect("match");
        let m = c.get(1).expect("group");
        let cue = &whole.as_str()[..m.start() - whole.start()];
        let addr = &m.as_str()[..address_end(m.as_str())];
        let (s, e) = (t.c(m.start()), t.c(m.start() + addr.len()));
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
        // “住” alone is a weak cue: the address must name a place below the township.
        if cue.trim_end_matches([':', '：', ' ', '在', '于']) == "住" && !residential(addr) {
            let admin = ["省", "市", "区", "县", "镇", "乡", "街道"]
                .iter()
                .any(|u| addr.contains(u));
            if !(admin && has_detail(addr)) {
                continue;
            }
        }
        let before = t.before(t.c(whole.start()), 8);
        // 住所 of a legal person (its registered address) is public, not a home.
        let clause = t.before(t.c(whole.start()), 60);
        let clause = clause.rsplit(['。', '\n']).next().unwrap_or_default();
        let legal_person = cue.starts_with("住所")
            && ["公司", "企业", "统一社会信用代码", "单位", "合作社", "厂"]
                .iter()
                .any(|w| clause.contains(w));
        if legal_person
            || OFFICE
                .iter()
                .any(|w| names_office(addr, w) || before.contains(w))
        {
            kept.push(Kept {
                kind: Kind::Address,
                start: s,
                end: e,
                text: t.slice(s, e),
                reason: "机关、单位的办公或办事地址".into(),
            });
            continue;
        }
        if generic_cue(cue) && !residential(addr) {
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
            .any(|w| names_office(text, w) || t.before(s, 6).contains(w))
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

/// What stands for an address that names no 乡镇/区县/市 to keep (幸福小区3号楼501室): 某
/// and the kind of place it was (某小区, 某村, 某路), so the sentence still reads.
pub fn placeholder(addr: &str) -> String {
    const PLACES: &[&str] = &[
        "小区", "花园", "家园", "公寓", "新村", "大厦", "社区", "大院", "村", "苑", "路", "街",
        "巷", "弄", "胡同",
    ];
    PLACES
        .iter()
        .filter_map(|p| addr.find(p).map(|i| (i, *p)))
        .min()
        .map_or_else(|| "某处".to_string(), |(_, p)| format!("某{p}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_with_nothing_to_keep_reads_as_some_place_of_its_kind() {
        assert_eq!(placeholder("幸福小区3号楼2单元501室"), "某小区");
        assert_eq!(placeholder("西关村3组12号"), "某村");
        assert_eq!(placeholder("人民西路12号3单元402室"), "某路");
        assert_eq!(placeholder("12-1-101"), "某处");
    }

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
