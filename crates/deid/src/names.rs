//! Names of natural persons (`person_name`): from context cues (当事人、申请人…、先生、女士、
//! “，男，”), from jieba-rs's `nr` tag in sentences about a person, and then everywhere else the same
//! name recurs in the document. Officials acting in an official capacity (签发人, 局长 X) and
//! already pseudonymised forms (张某, 李某某) are not personal information.

use crate::finding::{Finding, Kind};
use crate::text::{cue_regex, finding, is_han, Text};
use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the jieba dictionary now (it is loaded once per process, on first use otherwise).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

const COMPOUND: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "澹台", "申屠", "太史", "万俟",
];
/// Common single-character surnames (about 300), most frequent first.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";

/// Words before a name that make it a natural person's (the longest first).
const BEFORE_CUES: &[&str] = &[
    "委托诉讼代理人",
    "委托代理人",
    "法定代理人",
    "法定代表人",
    "违法行为人",
    "违法嫌疑人",
    "犯罪嫌疑人",
    "被申请人",
    "被处罚人",
    "被举报人",
    "被投诉人",
    "被告人",
    "第三人",
    "申请人",
    "当事人",
    "举报人",
    "投诉人",
    "信访人",
    "来访人",
    "来信人",
    "被害人",
    "受害人",
    "驾驶人",
    "驾驶员",
    "报警人",
    "报案人",
    "求助人",
    "代理人",
    "其丈夫",
    "其妻子",
    "其父亲",
    "其母亲",
    "其儿子",
    "其女儿",
    "其子",
    "其女",
    "其妻",
    "其夫",
    "其父",
    "其母",
    "经营者",
    "负责人",
    "监护人",
    "嫌疑人",
    "承租人",
    "出租人",
    "见证人",
    "证人",
    "户主",
    "车主",
    "房主",
    "死者",
    "伤者",
    "患者",
    "原告",
    "被告",
    "村民",
    "居民",
    "市民",
    "群众",
    "学生",
    "业主",
    "工人",
    "农民",
    "网民",
    "个体户",
    "姓名",
];
const AFTER_CUES: &[&str] = &[
    "先生",
    "女士",
    "小姐",
    "同学",
    "老人",
    "大爷",
    "大妈",
    "阿姨",
    "师傅",
    "夫妇",
    "一家",
    "之子",
    "之女",
    "之妻",
    "之夫",
    "之父",
    "之母",
    "（男",
    "(男",
    "（女",
    "(女",
    "，男",
    ",男",
    "，女",
    ",女",
    "，身份证",
    "，公民身份",
    "，住",
    "，出生",
    "，现住",
    "，户籍",
    "，汉族",
    "，系",
];
/// Sentences with one of these words are about a person: jieba's `nr` tags count there.
const PERSON_SENTENCE: &[&str] = &[
    "男，",
    "女，",
    "（男",
    "（女",
    "身份证",
    "出生",
    "住址",
    "户籍",
    "家住",
    "现住",
    "手机",
    "电话",
    "当事人",
    "申请人",
    "举报人",
    "投诉人",
    "信访人",
    "驾驶",
    "报警",
    "村民",
    "居民",
    "群众",
    "先生",
    "女士",
    "患者",
    "学生",
    "嫌疑人",
    "被害人",
    "受害人",
    "代理人",
    "违法",
    "处罚",
    "来信",
    "来访",
    "反映",
    "诉称",
    "称其",
];
/// Endings of words that are places, laws, bodies or roles rather than names.
const NOT_NAME_ENDINGS: &[char] = &[
    '人', '员', '者', '率', '卡', '电', '费', '证', '号', '码', '局', '队', '所', '处', '科', '室',
    '区', '县', '市', '省', '路', '街', '巷', '道', '村', '镇', '乡', '法', '条', '店', '厂', '园',
    '站', '楼', '院', '馆', '场', '述', '某',
];
/// Characters that never stand second in a name (向其, 于是 …).
const FUNCTION_CHARS: &str = "其之的了是和与在于向从到把被为对将及并或也都";
/// Words after a name that end it.
const STOPS: &str =
    "因于在的将对和与等系是为被向从到把已曾也就都又及并所之某，。、；：:（）() \n0123456789";

fn surname_len(chars: &[char]) -> Option<usize> {
    if chars.len() >= 2 {
        let two: String = chars[..2].iter().collect();
        if COMPOUND.contains(&two.as_str()) {
            return Some(2);
        }
    }
    chars.first().filter(|c| SURNAMES.contains(**c)).map(|_| 1)
}

/// Could `word` be a person's name? A dictionary word (陈述, 安全法: jieba's dictionary tags some of
/// them `nr`) only counts when the text clearly ends the name there (`strong_end`).
fn plausible(word: &str, strong_end: bool) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let Some(sl) = surname_len(&chars) else {
        return false;
    };
    (2..=4).contains(&chars.len())
        && chars.len() > sl
        && chars.iter().all(|c| is_han(*c))
        && chars[sl] != '某'
        && !FUNCTION_CHARS.contains(chars[sl])
        && !word.ends_with(NOT_NAME_ENDINGS)
        && !["先生", "女士", "同志", "小姐", "师傅"]
            .iter()
            .any(|h| word.ends_with(h))
        && (strong_end
            || !JIEBA.has_word(word)
            || (chars.len() >= 3
                && JIEBA
                    .tag(word, false)
                    .first()
                    .is_some_and(|t| t.tag == "nr")))
}

/// A place-name suffix right after the word: 马尚|街道, 王村|镇 — it names a place, not a person.
fn place_follows(t: &Text, e: usize) -> bool {
    let after = t.after(e, 2);
    [
        "街道", "镇", "乡", "村", "路", "街", "区", "县", "市", "小区", "社区", "大道", "桥", "山",
        "湖", "河", "庄", "屯", "店",
    ]
    .iter()
    .any(|p| after.starts_with(p))
}

/// Whether the text right after a name clearly ends it (punctuation, 男/女, a verb of the record).
fn strong_end(t: &Text, e: usize) -> bool {
    let after = t.after(e, 2);
    after.is_empty()
        || after.starts_with(['，', ',', '（', '(', '。', '；', '：', ':', '、', ' ', '\n'])
        || [
            "男", "女", "因", "于", "在", "系", "涉", "驾", "称", "报", "等", "的",
        ]
        .iter()
        .any(|w| after.starts_with(w))
}

/// Reads a name starting at `at`, using jieba's segmentation of the next few characters.
fn name_at(t: &Text, at: usize) -> Option<(usize, usize)> {
    let window: Vec<char> = t.chars[at..(at + 6).min(t.len())].to_vec();
    let sl = surname_len(&window)?;
    if window.get(sl).is_none_or(|c| *c == '某' || !is_han(*c)) {
        return None;
    }
    let text: String = window.iter().collect();
    let tokens: Vec<&str> = JIEBA.cut(&text, true).into_iter().map(|t| t.word).collect();
    let first = tokens.first().map_or(0, |t| t.chars().count());
    let next: Vec<char> = tokens
        .get(1)
        .map(|t| t.chars().collect())
        .unwrap_or_default();
    let len = if first == sl + 1 && next.len() == 1 && is_han(next[0]) && !STOPS.contains(next[0]) {
        // jieba split a three-character name: 徐海|涛
        sl + 2
    } else if first > sl && first <= sl + 2 {
        first
    } else if first == sl {
        let next = tokens.get(1).map_or(0, |t| t.chars().count());
        if (1..=2).contains(&next) {
            sl + next
        } else {
            sl + 1
        }
    } else {
        // jieba glued the name to what follows: cut at the first stop character.
        let mut n = sl;
        while n < (sl + 2).min(window.len()) && is_han(window[n]) && !STOPS.contains(window[n]) {
            n += 1;
        }
        n
    };
    if len <= sl || window[sl..len].iter().any(|c| !is_han(*c)) {
        return None;
    }
    let cand: String = window[..len].iter().collect();
    (plausible(&cand, strong_end(t, at + len)) && !place_follows(t, at + len))
        .then_some((at, at + len))
}

/// Reads a name that ends at `end` (just before an after-cue).
fn name_before(t: &Text, end: usize) -> Option<(usize, usize)> {
    let start = end.saturating_sub(6);
    let chunk: String = t.chars[start..end].iter().collect();
    let tokens: Vec<&str> = JIEBA
        .cut(&chunk, true)
        .into_iter()
        .map(|t| t.word)
        .collect();
    let mut len = 0usize;
    // The last token, or the last two when jieba split surname and given name.
    for take in [1usize, 2] {
        if tokens.len() < take {
            break;
        }
        let cand: String = tokens[tokens.len() - take..].concat();
        let chars: Vec<char> = cand.chars().collect();
        if plausible(&cand, true) && (take == 1 || tokens[tokens.len() - 2].chars().count() <= 2) {
            len = chars.len();
            break;
        }
    }
    (len >= 2).then_some((end - len, end))
}

fn official(t: &Text, s: usize, e: usize, titles: &[String]) -> bool {
    let after = t.after(e, 6);
    let before = t.before(s, 5);
    // A name right after an office (交警支队秩序科郭文, 指挥中心 许文强) is its staff member's.
    let b = before.trim_end();
    if [
        "科",
        "处",
        "队",
        "局",
        "所",
        "中心",
        "室",
        "办",
        "办公室",
        "大厅",
        "窗口",
    ]
    .iter()
    .any(|o| b.ends_with(o))
    {
        return true;
    }
    // “X同志你好” addresses a citizen; “X同志主持” is an official.
    if ["同志你好", "同志您好", "同志：", "同志:"]
        .iter()
        .any(|g| after.starts_with(g))
    {
        return false;
    }
    titles
        .iter()
        .any(|title| after.starts_with(title.as_str()) || before.ends_with(title.as_str()))
        || before.ends_with("签发人：")
        || before.ends_with("签发人:")
        || after.starts_with("主持")
}

static BEFORE_RE: LazyLock<Regex> =
    LazyLock::new(|| cue_regex(BEFORE_CUES, r"\s*(?:[:：]|为|是)?\s*"));
/// A Han character (the name's last) followed by an after-cue.
static AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    let esc: Vec<String> = AFTER_CUES.iter().map(|c| regex::escape(c)).collect();
    Regex::new(&format!(r"\p{{Han}}(?:{})", esc.join("|"))).expect("static regex")
});

/// Finds person names in `t`.
pub(crate) fn person_names(t: &Text, titles: &[String], out: &mut Vec<Finding>) {
    let mut found: Vec<(usize, usize, f32, &'static str)> = Vec::new();
    let mut officials: HashSet<String> = HashSet::new();
    let push = |found: &mut Vec<_>, officials: &mut HashSet<String>, s: usize, e: usize, c, why| {
        if official(t, s, e, titles) {
            officials.insert(t.slice(s, e));
        } else {
            found.push((s, e, c, why));
        }
    };
    for m in BEFORE_RE.find_iter(&t.norm) {
        if let Some((s, e)) = name_at(t, t.c(m.end())) {
            push(
                &mut found,
                &mut officials,
                s,
                e,
                0.95,
                "紧随“当事人、申请人”等称谓的姓名",
            );
        }
    }
    for m in AFTER_RE.find_iter(&t.norm) {
        let end = t.c(m.start()) + 1;
        if let Some((s, e)) = name_before(t, end) {
            push(
                &mut found,
                &mut officials,
                s,
                e,
                0.9,
                "后接“先生、女士、（男）”等的姓名",
            );
        }
    }
    // The addressee of a reply letter: “谢天：本机关……您……”.
    let mut line_start = 0;
    for (i, c) in t
        .chars
        .iter()
        .enumerate()
        .chain(std::iter::once((t.len(), &'\n')))
    {
        if *c != '\n' {
            continue;
        }
        let line: String = t.chars[line_start..i].iter().collect();
        if let Some(colon) = line.find(['：', ':']) {
            let mut head_str = line[..colon].trim();
            for h in ["先生", "女士", "同志", "同学"] {
                head_str = head_str.strip_suffix(h).unwrap_or(head_str);
            }
            if BEFORE_CUES.iter().any(|c| head_str.starts_with(c)) {
                line_start = i + 1;
                continue;
            }
            let head: Vec<char> = head_str.chars().collect();
            let rest = &line[colon..];
            if (2..=4).contains(&head.len())
                && head.iter().all(|c| is_han(*c))
                && surname_len(&head).is_some_and(|sl| head.len() > sl && head[sl] != '某')
                && (rest.contains('您') || rest.contains('你'))
            {
                let s = line_start
                    + line[..colon]
                        .chars()
                        .take_while(|c| c.is_whitespace())
                        .count();
                push(
                    &mut found,
                    &mut officials,
                    s,
                    s + head.len(),
                    0.9,
                    "答复书开头称呼的申请人、来信人姓名",
                );
            }
        }
        line_start = i + 1;
    }
    // jieba `nr` in sentences about a person.
    let mut sent_start = 0;
    for (i, c) in t
        .chars
        .iter()
        .enumerate()
        .chain(std::iter::once((t.len(), &'。')))
    {
        if !matches!(c, '。' | '！' | '？' | '；' | '\n') {
            continue;
        }
        let sentence: String = t.chars[sent_start..i].iter().collect();
        if PERSON_SENTENCE.iter().any(|w| sentence.contains(w)) {
            let mut pos = sent_start;
            for tag in JIEBA.tag(&sentence, true) {
                let n = tag.word.chars().count();
                if tag.tag == "nr"
                    && (2..=4).contains(&n)
                    && plausible(tag.word, strong_end(t, pos + n))
                    && t.nchar(pos + n) != Some('某')
                    && !place_follows(t, pos + n)
                {
                    push(
                        &mut found,
                        &mut officials,
                        pos,
                        pos + n,
                        0.8,
                        "分词标注为人名（nr），且所在句子涉及个人",
                    );
                }
                pos += n;
            }
        }
        sent_start = i + 1;
    }
    // A name found once is found everywhere it recurs.
    // A name found with a strong cue (来信人张伟) is a private person's even where the same name
    // also looked like an official's elsewhere: privacy first.
    let strong: HashSet<String> = found
        .iter()
        .filter(|&&(_, _, c, _)| c >= 0.9)
        .map(|&(s, e, ..)| t.slice(s, e))
        .collect();
    let names: HashSet<String> = found
        .iter()
        .map(|&(s, e, ..)| t.slice(s, e))
        .filter(|n| !officials.contains(n) || strong.contains(n))
        .collect();
    let names: Vec<String> = names.into_iter().collect();
    if !names.is_empty() {
        let mut covered = vec![false; t.len() + 1];
        for &(s, e, ..) in &found {
            covered[s..e].fill(true);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&names)
            .expect("names are plain strings");
        for m in ac.find_iter(&t.norm) {
            let (i, e) = (t.c(m.start()), t.c(m.end()));
            // “张伟同志来信” names the same private person as “来信人张伟”: 同志 after a name
            // already found as a private person does not make it an official's.
            let comrade = t.after(e, 2).starts_with("同志");
            if !covered[i..e].iter().any(|&c| c)
                && t.nchar(e) != Some('某')
                && (comrade || !official(t, i, e, titles))
            {
                covered[i..e].fill(true);
                found.push((i, e, 0.85, "与文中已认定的自然人姓名相同"));
            }
        }
    }
    for (s, e, c, why) in found {
        let name = t.slice(s, e);
        if officials.contains(&name) && c < 0.9 && !strong.contains(&name) {
            continue;
        }
        out.push(finding(t, Kind::PersonName, s, e, c, why));
    }
}
