//! Names of natural persons (`person_name`), from four sources: context cues (当事人、申请人…、
//! 先生、女士、“，男，”, the addressee of a reply), the statistical tagger ([`crate::tagger`], a CRF
//! trained on newswire, which finds names with no cue at all), lists and tables (a 姓名 column,
//! the other items of a list in which names were found), and everywhere else a found name recurs.
//! Officials acting in an official capacity (签发人, 局长 X, a staff member after an office) and the
//! 法定代表人 of a legal person (public in 双公示 notices) are kept visible, with the reason; already
//! pseudonymised forms (张某, 李某某) are not personal information.

use crate::finding::{Finding, Kept, Kind};
use crate::tagger;
use crate::text::{cue_regex, finding, is_han, Text};
use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the jieba dictionary now (it is loaded once per process, on first use otherwise).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

pub(crate) const COMPOUND: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "澹台", "申屠", "太史", "万俟",
];
/// Common single-character surnames (about 300), most frequent first.
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由阎贝";

/// Occupations and descriptions that stand right before a person's name in news-style text
/// (教授刘明远, 射击冠军赵红梅, 快递员王强): the name is a person's, not necessarily private.
const PERSON_ROLES: &[&str] = &[
    "副教授",
    "教授",
    "研究员",
    "博士",
    "硕士",
    "院士",
    "专家",
    "学者",
    "律师",
    "医生",
    "护士",
    "教师",
    "老师",
    "工程师",
    "记者",
    "通讯员",
    "作家",
    "画家",
    "演员",
    "歌手",
    "运动员",
    "冠军",
    "亚军",
    "选手",
    "模范",
    "红旗手",
    "标兵",
    "志愿者",
    "网格员",
    "快递员",
    "外卖员",
    "司机",
    "厨师",
    "农民工",
    "退伍军人",
    "老党员",
    "大学生",
    "研究生",
    "村医",
    "船长",
    "主播",
    "乘客",
];

/// Cues that say a person is meant but are also ordinary words in running text (群众都比较满意):
/// the name after them must look like one on its own.
const WEAK_CUES: &[&str] = &[
    "群众",
    "居民",
    "村民",
    "市民",
    "学生",
    "农民",
    "工人",
    "业主",
    "网民",
    "经营者",
    "负责人",
    "患者",
    "死者",
    "伤者",
    "车主",
    "房主",
    "户主",
    "个体户",
    "外籍人员",
    "外国人",
    "外籍",
    "房东",
    "房客",
    "租客",
    "同事",
    "邻居",
    "朋友",
    "前妻",
    "前夫",
    "父亲",
    "母亲",
    "丈夫",
    "妻子",
    "儿子",
    "女儿",
];

/// Every cue before a name: the strong ones, then the weak.
static BEFORE_ALL: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| BEFORE_CUES.iter().chain(WEAK_CUES).copied().collect());

fn weak_cue(cue: &str) -> bool {
    let c = cue.trim_end_matches([':', '：', ' ', '为', '是']);
    WEAK_CUES.contains(&c)
}

/// Roles of an agency's own staff in its documents: a name after them is named in office.
const OFFICIAL_ROLES: &[&str] = &[
    "签发人",
    "第一解读人",
    "解读人",
    "起草人",
    "拟稿人",
    "核稿人",
    "审核人",
    "审签人",
    "承办人",
    "经办人",
    "发布人",
    "新闻发言人",
    "主持人",
    "办理人员",
    "起草人员",
    "主要起草人",
];

/// Words before a name that make it a natural person's (the longest first); with
/// [`WEAK_CUES`], all of them are [`BEFORE_ALL`].
const BEFORE_CUES: &[&str] = &[
    "委托诉讼代理人",
    "委托代理人",
    "法定代理人",
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
    "监护人",
    "嫌疑人",
    "承租人",
    "出租人",
    "见证人",
    "证人",
    "原告",
    "被告",
    "兹证明",
    "姓名",
    "决定对",
    "其家属",
    "家属",
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
    "（公民身份",
    "(公民身份",
    "（身份证",
    "(身份证",
    "的身份证",
    "的银行卡",
    "的驾驶证",
    "轻微伤",
    "轻伤",
    "重伤",
    "打伤",
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
    "因于在的将对和与等系是为被向从到把已曾也就都又及并所之某诉说持受，。、；：:（）() \n0123456789";

fn surname_len(chars: &[char]) -> Option<usize> {
    if chars.len() >= 2 {
        let two: String = chars[..2].iter().collect();
        if COMPOUND.contains(&two.as_str()) {
            return Some(2);
        }
    }
    chars.first().filter(|c| tagger::is_surname(**c)).map(|_| 1)
}

/// Could `word` be a person's name? A dictionary word (陈述, 安全法: jieba's dictionary tags some of
/// them `nr`) only counts when the text clearly ends the name there (`strong_end`).
///
/// `strict` (after a weak cue such as 群众、学生, or before an after-cue): a word that starts with a
/// function word (和编辑) or with another dictionary word (关键难题) is not taken for a name.
fn plausible(word: &str, strong_end: bool, strict: bool) -> bool {
    let chars: Vec<char> = word.chars().collect();
    shaped(word, strict)
        && (!JIEBA.has_word(word)
            || JIEBA
                .tag(word, false)
                .first()
                .is_some_and(|t| t.tag == "nr")
            || (strong_end && chars.len() >= 3))
}

/// Whether `word` has a name's shape: a known surname, two to four Han characters, no 某, no
/// function character after the surname, not a form word or a title.
fn shaped(word: &str, strict: bool) -> bool {
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
        && !FORM_WORDS.contains(&word)
        && !(strict && function_word_start(&chars))
        && !(strict
            && sl == 1
            && chars.len() >= 3
            && common_word(&chars[..2].iter().collect::<String>()))
}

/// Whether what follows a name describes a person (性别, 曾用名, 出生, 身份证号): then even a
/// dictionary word (高乐, 金阳) after a person cue is the person's name.
fn person_follows(t: &Text, e: usize) -> bool {
    let after = t.after(e, 8);
    let rest = after.trim_start_matches(['，', ',', '（', '(', '）', ')', ' ']);
    rest.len() < after.len()
        && ([
            "男，",
            "女，",
            "男,",
            "女,",
            "男）",
            "女）",
            "男)",
            "女)",
            "男。",
            "女。",
            "曾用名",
            "别名",
            "出生",
            "身份证",
            "公民身份",
        ]
        .iter()
        .any(|w| rest.starts_with(w))
            || rest.chars().take(5).collect::<String>().ends_with('年')
                && rest.chars().take(4).all(|c| c.is_ascii_digit()))
}

/// A dictionary word that jieba does not tag as a person's name.
fn common_word(w: &str) -> bool {
    JIEBA.has_word(w) && JIEBA.tag(w, false).first().is_none_or(|t| t.tag != "nr")
}

/// The span's first character ends a word begun before it (事项|全文, 过程|中, 完成|后): the span
/// starts inside a word, so it is not a name.
fn crosses_word(t: &Text, s: usize) -> bool {
    s > 0 && is_han(t.chars[s - 1]) && {
        let w: String = [t.chars[s - 1], t.chars[s]].iter().collect();
        common_word(&w)
    }
}

/// Words of forms that jieba's dictionary tags as names (盖 and 章 are surnames): never a person.
const FORM_WORDS: &[&str] = &[
    "盖章",
    "签章",
    "签字",
    "签名",
    "公章",
    "印章",
    "手印",
    "单位盖章",
];

/// Characters that are surnames but far more often a word of their own at the start of a phrase
/// (和、都、任、许、全、强、向 …).
const FUNCTION_SURNAMES: &str =
    "和都任许全强向由时应来谈战曾区古国农解宣光支富呼欧纪万于及与其以为把被对将从在";

/// Prepositions that are also surnames (向, 于, 和 …): after a cue they usually begin the
/// sentence's next phrase (向公安机关, 于次日), not a name.
const PREPOSITIONS: &str = "向于与和及对将把被在为从以由";

/// “和编辑”, “都比”, “许多”: a function word followed by an ordinary word, not a name (a real
/// name starting with such a character is left to the model, which weighs its context).
fn function_word_start(chars: &[char]) -> bool {
    if !FUNCTION_SURNAMES.contains(chars[0]) {
        return false;
    }
    let word: String = chars.iter().collect();
    let rest: String = chars[1..].iter().collect();
    let nr = JIEBA
        .tag(&word, false)
        .first()
        .is_some_and(|t| t.tag == "nr");
    !nr && (chars.len() == 2 || (rest.chars().count() >= 2 && JIEBA.has_word(&rest)))
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
fn name_at(t: &Text, at: usize, strict: bool) -> Option<(usize, usize)> {
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
    } else if first == sl + 1
        && next.len() == 2
        && !tokens.first().is_some_and(|w| common_word(w))
        && is_han(next[0])
        && !STOPS.contains(next[0])
        && STOPS.contains(next[1])
    {
        // jieba glued the third character to the verb after it: 赵梓|豪持|护照
        sl + 2
    } else if first > sl && first <= sl + 2 {
        first
    } else if first == sl {
        let next = tokens.get(1).map_or(0, |t| t.chars().count());
        let single_han = |k: usize| {
            let c: Vec<char> = tokens
                .get(k)
                .map(|t| t.chars().collect())
                .unwrap_or_default();
            c.len() == 1 && is_han(c[0]) && !STOPS.contains(c[0])
        };
        if sl == 2 && single_han(1) && single_han(2) {
            // jieba split a compound surname's two given characters: 欧阳|佑|桂
            sl + 2
        } else if (1..=2).contains(&next) {
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
    // jieba glued a verb or preposition to the name (任珍诉|被告, 韩冬因|琐事): drop it.
    let mut len = len;
    while len > sl + 1 && STOPS.contains(window[len - 1]) {
        len -= 1;
    }
    if len <= sl || window[sl..len].iter().any(|c| !is_han(*c)) {
        return None;
    }
    let cand: String = window[..len].iter().collect();
    // “其母亲向公安机关报案”: a preposition that is also a surname, then an ordinary word.
    if sl == 1 && PREPOSITIONS.contains(window[0]) && window.len() >= 3 {
        let next: String = window[1..3].iter().collect();
        if common_word(&next) {
            return None;
        }
    }
    // “被告向原告”, “原告与被告”: a preposition before another party, not a name.
    let rest: String = window[sl..len].iter().collect();
    if FUNCTION_SURNAMES.contains(window[0])
        && (BEFORE_ALL.iter().any(|c| rest.starts_with(c))
            || PERSON_ROLES.iter().any(|c| rest.starts_with(c)))
    {
        return None;
    }
    ((plausible(&cand, strong_end(t, at + len), strict)
        || (person_follows(t, at + len) && shaped(&cand, strict)))
        && !place_follows(t, at + len))
    .then_some((at, at + len))
}

/// Reads a name that ends at `end` (just before an after-cue).
fn name_before(t: &Text, end: usize, strict: bool) -> Option<(usize, usize)> {
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
        if plausible(&cand, true, strict)
            && (take == 1 || tokens[tokens.len() - 2].chars().count() <= 2)
        {
            len = chars.len();
            break;
        }
    }
    // jieba glued the name to the word before it (致程玉): the last three, else two characters.
    if len < 2 {
        let chars = &t.chars[start..end];
        for n in [3usize, 2] {
            if chars.len() >= n {
                let cand: String = chars[chars.len() - n..].iter().collect();
                if plausible(&cand, true, true) && surname_len(&chars[chars.len() - n..]) == Some(1)
                {
                    len = n;
                    break;
                }
            }
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
        "支队",
        "大队",
        "中队",
        "总队",
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
    // The agency's own people named by their role in the document (签发人, 解读人, 起草人 …),
    // also for the later names of a list after the role (起草人员：周强、吴磊、郑洁).
    let role = before.trim_end_matches([':', '：', ' ', '\u{3000}']);
    let list_role = t.before(list_start(t, s), 8);
    let list_role = list_role.trim_end_matches([':', '：', ' ', '\u{3000}']);
    titles
        .iter()
        .any(|title| after.starts_with(title.as_str()) || before.ends_with(title.as_str()))
        || OFFICIAL_ROLES
            .iter()
            .any(|r| role.ends_with(r) || list_role.ends_with(r))
        || after.starts_with("主持")
        || STAFF_LIST_NOTE.is_match(&t.after(e, 40))
}

/// A list of names noted as the agency's staff: （均为治安支队民警）.
static STAFF_LIST_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:、\p{Han}{2,4})*[（(]均为[^）)]{0,16}(?:民警|干部|工作人员|辅警)[）)]")
        .expect("static regex")
});

/// Where the 、-separated list of short Han items that the item at `s` ends begins (`s` itself
/// when it is not a later item of such a list).
fn list_start(t: &Text, mut s: usize) -> usize {
    while s >= 3 && t.chars[s - 1] == '、' {
        let mut k = s - 1;
        while k > 0 && is_han(t.chars[k - 1]) && s - 1 - k < 4 {
            k -= 1;
        }
        if s - 1 - k < 2 {
            break;
        }
        s = k;
    }
    s
}

/// A name in Latin letters (a foreign national's, as in a passport): two to four capitalised
/// words (JOHN SMITH, Maria Garcia, Jean-Luc O'Neil), whole words only.
static LATIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Za-z'’-]*[a-zA-Z](?:[ ·•][A-Z][A-Za-z'’-]*[a-zA-Z]){1,3}")
        .expect("static regex")
});

/// A name with a separating dot (买买提·吐尔逊, 阿依古丽·艾买提) starting at byte `at`.
static DOTTED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,8}(?:[·•‧・]\p{Han}{1,10}){1,2}").expect("static regex")
});

/// The dotted name starting at byte `at` of the normalised text, as code points.
fn dotted_name_at(t: &Text, at: usize) -> Option<(usize, usize)> {
    let m = DOTTED_NAME.find(t.norm.get(at..)?)?;
    if m.as_str().contains('某') {
        return None;
    }
    // The last part runs on into the sentence (艾买提在乌鲁木齐): it ends at a stop character.
    let (s, mut e) = (t.c(at), t.c(at + m.end()));
    let last_dot = (s..e).rev().find(|&i| !is_han(t.chars[i]))?;
    if let Some(stop) = (last_dot + 2..e).find(|&i| STOPS.contains(t.chars[i])) {
        e = stop;
    }
    Some((s, e))
}

/// A name read short after a strong cue that is really four characters up to the end of the
/// clause (张王丽萍, a married woman's name with both surnames, read as 张王): the four end the
/// clause, none is a stop character, and they are not two ordinary words (双方签字).
fn whole_four(t: &Text, (s, e): (usize, usize)) -> (usize, usize) {
    let four_end = s + 4;
    if !(2..=3).contains(&(e - s))
        || four_end >= t.len()
        || !(e..four_end).all(|i| is_han(t.chars[i]))
    {
        return (s, e);
    }
    let four: String = t.chars[s..four_end].iter().collect();
    let ends = matches!(
        t.nchar(four_end),
        Some('，' | ',' | '。' | '；' | ';' | '：' | ':' | '（' | '(' | '、')
    );
    let words: Vec<&str> = JIEBA.cut(&four, true).into_iter().map(|w| w.word).collect();
    let two_words = words.len() == 2 && words.iter().all(|w| common_word(w));
    if ends && !two_words && !four.chars().any(|c| c == '某' || STOPS.contains(c)) {
        (s, four_end)
    } else {
        (s, e)
    }
}

/// The Latin-letter name starting at byte `at` of the normalised text, as code points.
fn latin_name_at(t: &Text, at: usize) -> Option<(usize, usize)> {
    let m = LATIN_NAME.find(t.norm.get(at..)?)?;
    let end = at + m.end();
    if t.norm[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    Some((t.c(at), t.c(end)))
}

/// The spans a name starting at `at` may have, shortest first: a known surname and one or two
/// Han characters (none of them 某 or a stop character).
fn name_spans_at(t: &Text, at: usize) -> impl Iterator<Item = (usize, usize)> {
    let window: Vec<char> = t.chars[at.min(t.len())..(at + 6).min(t.len())].to_vec();
    let sl = surname_len(&window).unwrap_or(usize::MAX);
    (1..=2).map_while(move |given| {
        let end = sl.checked_add(given)?;
        let ok = end <= window.len()
            && window[sl..end]
                .iter()
                .all(|c| is_han(*c) && *c != '某' && !STOPS.contains(*c));
        ok.then_some((at, at + end))
    })
}

/// A cue, then a party's marker (当事人甲：, 被告一：) and a colon.
static BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    cue_regex(
        &BEFORE_ALL,
        // The marker only with its colon: 市民丁一鸣 is 丁一鸣, not party 丁.
        r"(?:(?:[甲乙丙丁]|[一二三四五六七八九]|\d)\s*[:：]|\s*(?:[:：]|为|是))?\s*",
    )
});
/// A Han character (the name's last) followed by an after-cue.
static AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    let esc: Vec<String> = AFTER_CUES.iter().map(|c| regex::escape(c)).collect();
    Regex::new(&format!(r"\p{{Han}}(?:{})", esc.join("|"))).expect("static regex")
});
/// The legal representative of a legal person: public in 双公示 (行政许可、行政处罚) notices.
static LEGAL_REP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"法定代表人(?:（负责人）|\(负责人\))?\s*(?:[:：]|为|是)?\s*").expect("static regex")
});
/// A list of people counted at its end: 许姗、许静及许国强等三户, 张三、李四等2人.
static COUNTED_LIST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\p{Han}{2,6}(?:、\p{Han}{2,4})+(?:(?:及|和|与)\p{Han}{2,4})?等(?:\d+|[一二三四五六七八九十两]+)(?:户|人|名|位)",
    )
    .expect("static regex")
});
/// A verb or preposition before a person in a record of facts (致X轻微伤, 将X的车辆损坏,
/// 经联系X本人): the name counts only where the words after it confirm a person.
static RECORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:致|将|把|经联系|联系上|通知|询问|约谈|走访|赔偿|补偿|返还)")
        .expect("static regex")
});
const RECORD_AFTER: &[&str] = &[
    "的车",
    "的房",
    "的财物",
    "的手机",
    "的电动",
    "轻微伤",
    "轻伤",
    "重伤",
    "受伤",
    "死亡",
    "打伤",
    "殴打",
    "本人",
    "医疗费",
    "医药费",
    "误工费",
    "经济损失",
    "各项损失",
];
static ROLE_RE: LazyLock<Regex> = LazyLock::new(|| cue_regex(PERSON_ROLES, ""));
/// An alias: 曾用名、别名、化名、又名.
static ALIAS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:曾用名|别名|化名|又名)\s*(?:[:：]|为|是)?\s*").expect("static regex")
});

/// The model's lowest marginal probability for a span the best path did not take.
const RECALL_FLOOR: f32 = 0.45;
/// The model's score a span needs when it does not start with a known surname.
const NO_SURNAME_SCORE: f32 = 0.5;
/// The model's score a span with a known surname needs.
const SURNAME_SCORE: f32 = 0.5;

/// A candidate name: span, confidence, reason.
type Cand = (usize, usize, f32, String);

/// The characters of `[s, e)` without the spaces of a spaced name (高　勇).
fn name_chars(t: &Text, s: usize, e: usize) -> Vec<char> {
    t.chars[s..e]
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn plausible_span(t: &Text, s: usize, e: usize) -> bool {
    let chars = name_chars(t, s, e);
    let word: String = chars.iter().collect();
    let dot = |c: &char| matches!(c, '·' | '•' | '‧' | '・');
    !FORM_WORDS.contains(&word.as_str())
        && (2..=12).contains(&chars.len())
        && chars.iter().all(|c| is_han(*c) || dot(c))
        && chars.first().is_some_and(|c| !dot(c))
        && chars.last().is_some_and(|c| !dot(c))
        && !chars.contains(&'某')
        && t.nchar(e) != Some('某')
        && !FUNCTION_CHARS.contains(chars[1])
        && !["先生", "女士", "同志", "小姐", "师傅"]
            .iter()
            .any(|h| word.ends_with(h))
}

/// Names the model finds, sentence by sentence. A short run of spaces between two Han
/// characters is dropped before tagging, so a name spaced out in a table (高　勇) reads as one.
fn model_names(t: &Text, out: &mut Vec<Cand>) {
    let mut seg_start = 0;
    let n = t.len();
    let mut seq: Vec<char> = Vec::with_capacity(256);
    let mut map: Vec<usize> = Vec::with_capacity(256);
    for i in 0..=n {
        let end = i == n
            || matches!(
                t.nchars[i],
                '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';'
            )
            || i - seg_start >= 400;
        if !end {
            continue;
        }
        seq.clear();
        map.clear();
        let mut k = seg_start;
        while k < i {
            if t.nchars[k].is_whitespace() {
                let mut j = k;
                while j < i && t.nchars[j].is_whitespace() {
                    j += 1;
                }
                let between_han = k > seg_start
                    && is_han(t.nchars[k - 1])
                    && j < i
                    && is_han(t.nchars[j])
                    && j - k <= 2;
                if !between_han {
                    for m in k..j {
                        seq.push(tagger::shape(t.nchars[m]));
                        map.push(m);
                    }
                }
                k = j;
                continue;
            }
            seq.push(tagger::shape(t.nchars[k]));
            map.push(k);
            k += 1;
        }
        if seq.iter().any(|c| is_han(*c)) {
            for tg in tagger::names(&seq, RECALL_FLOOR) {
                let (s, mut e) = (map[tg.start], map[tg.end - 1] + 1);
                // A space, a verb or a preposition the model took along (郑涵␣, 郑秀说): not
                // part of the name.
                while e > s + 2
                    && (t.nchars[e - 1].is_whitespace() || STOPS.contains(t.nchars[e - 1]))
                {
                    e -= 1;
                }
                if !plausible_span(t, s, e) {
                    continue;
                }
                let chars = name_chars(t, s, e);
                let word: String = chars.iter().collect();
                let surname = surname_len(&chars).is_some();
                let need = if surname {
                    SURNAME_SCORE
                } else {
                    NO_SURNAME_SCORE
                };
                // A field label in a list (；许可内容：…) or a document number (张公信复〔2024〕).
                let label = matches!(t.nchar(e), Some(':' | '：'))
                    && (s == 0 || matches!(t.nchars[s - 1], '；' | ';' | '，' | ',' | '、' | '。'));
                let doc_number = matches!(t.nchar(e), Some('〔' | '[' | '［'));
                let transliterated = !surname && chars.iter().any(|c| !is_han(*c));
                if tg.score < need
                    || (tg.score < 0.9 && crosses_word(t, s))
                    || (chars.len() == 2 && tg.score < 0.95 && common_word(&word))
                    || (chars.len() > 4 && surname)
                    || (chars.len() > 5 && !transliterated)
                    || word.ends_with(NOT_NAME_ENDINGS)
                    || place_follows(t, e)
                    || label
                    || doc_number
                {
                    continue;
                }
                let e = to_word_end(t, s, e);
                out.push((
                    s,
                    e,
                    0.5 + 0.45 * tg.score,
                    format!("人名识别模型判定为人名（模型得分 {:.2}）", tg.score),
                ));
            }
        }
        seg_start = i + 1;
    }
}

/// A model span that ends inside a word of the segmenter's (司马南|方 of 司马|南方|驾驶, 扎西顿|珠
/// of 扎西|顿珠) is extended to that word's end, up to four characters: the rest of a name must
/// not stay visible.
fn to_word_end(t: &Text, s: usize, e: usize) -> usize {
    let stop = (s + 6).min(t.len());
    if e >= stop || !is_han(t.chars[e]) || !is_han(t.chars[e - 1]) {
        return e;
    }
    let text: String = t.chars[s..stop].iter().collect();
    let mut at = s;
    for w in JIEBA.cut(&text, true) {
        let n = w.word.chars().count();
        if at < e && e < at + n {
            let end = at + n;
            // A word of the dictionary (南方), not one the segmenter's guesser made up (冬说).
            let ok = n == 2
                && JIEBA.has_word(w.word)
                && end - s <= 4
                && strong_end(t, end)
                && !strong_end(t, e)
                && (e..end).all(|i| {
                    is_han(t.chars[i]) && t.chars[i] != '某' && !STOPS.contains(t.chars[i])
                });
            return if ok { end } else { e };
        }
        at += n;
        if at >= e {
            break;
        }
    }
    e
}

/// The name an item starts with: its leading Han characters, with one short run of spaces
/// allowed after the first character (高　勇), cut at 等 (许国强等三户). It must read as a name:
/// 2–4 characters starting with a surname, not a dictionary word of another kind.
fn name_like_item(t: &Text, s: usize, e: usize) -> Option<(usize, usize)> {
    let mut end = s;
    let mut han = 0;
    while end < e {
        let c = t.chars[end];
        if is_han(c) && c != '等' {
            han += 1;
            end += 1;
        } else if c.is_whitespace() && han == 1 {
            let mut j = end;
            while j < e && t.chars[j].is_whitespace() {
                j += 1;
            }
            if j - end > 2 || j >= e || !is_han(t.chars[j]) {
                break;
            }
            end = j;
        } else {
            break;
        }
    }
    let chars = name_chars(t, s, end);
    if !(2..=4).contains(&chars.len()) {
        return None;
    }
    let sl = surname_len(&chars)?;
    let word: String = chars.iter().collect();
    let other_word = JIEBA.has_word(&word)
        && JIEBA
            .tag(&word, false)
            .first()
            .is_none_or(|t| t.tag != "nr");
    if chars.len() <= sl
        || chars.contains(&'某')
        || FUNCTION_CHARS.contains(chars[sl])
        || word.ends_with(NOT_NAME_ENDINGS)
        || other_word
    {
        return None;
    }
    Some((s, end))
}

/// Which characters a growing list of spans covers, brought up to date on each question, so that
/// checking thousands of names against each other stays linear.
struct Cover {
    bits: Vec<bool>,
    done: usize,
}

impl Cover {
    fn new(len: usize) -> Self {
        Cover {
            bits: vec![false; len + 1],
            done: 0,
        }
    }

    /// Whether `[s, e)` overlaps any of `items` (which only ever grow at the end).
    fn hits<T>(
        &mut self,
        items: &[T],
        span: impl Fn(&T) -> (usize, usize),
        s: usize,
        e: usize,
    ) -> bool {
        for it in &items[self.done.min(items.len())..] {
            let (a, b) = span(it);
            self.bits[a..b].fill(true);
        }
        self.done = items.len();
        self.bits[s..e].iter().any(|x| *x)
    }
}

/// Whether `c` joins the items of a list of names (许姗、许静及许国强; 张三；李四; a tab).
fn list_sep(c: char) -> bool {
    matches!(
        c,
        '、' | '；' | ';' | '\t' | '及' | '和' | '与' | '/' | '／'
    )
}

/// The end of what may follow a name inside a list item before the next separator: spaces and
/// an amount or a count (“陆建强 100元”, “王某 2人”).
fn item_tail(t: &Text, mut i: usize) -> usize {
    let start = i;
    while i < t.len()
        && (t.nchars[i].is_whitespace() || t.nchars[i].is_ascii_digit() || t.nchars[i] == '.')
    {
        i += 1;
    }
    if i > start {
        for unit in ["万元", "元", "人", "户", "名", "岁"] {
            if t.after(i, unit.chars().count()) == unit {
                i += unit.chars().count();
                break;
            }
        }
    }
    while i < t.len() && t.nchars[i].is_whitespace() && t.nchars[i] != '\n' {
        i += 1;
    }
    i
}

/// The start of the item that ends at `end` (exclusive): back over an amount and spaces, then
/// over Han characters (at most five, one short space run allowed after the first).
fn item_before(t: &Text, end: usize) -> Option<(usize, usize)> {
    let mut e = end;
    while e > 0 && t.nchars[e - 1].is_whitespace() && t.nchars[e - 1] != '\n' {
        e -= 1;
    }
    // An amount after the name: “吕婷花 500元、…”.
    let mut k = e;
    for unit in ["万元", "元", "人", "户", "名", "岁"] {
        if k >= unit.chars().count() && t.before(k, unit.chars().count()) == unit {
            k -= unit.chars().count();
            break;
        }
    }
    let digits_end = k;
    while k > 0 && (t.nchars[k - 1].is_ascii_digit() || t.nchars[k - 1] == '.') {
        k -= 1;
    }
    if k < digits_end {
        while k > 0 && t.nchars[k - 1].is_whitespace() && t.nchars[k - 1] != '\n' {
            k -= 1;
        }
        e = k;
    }
    let mut s = e;
    while s > 0 && is_han(t.chars[s - 1]) && e - s < 5 {
        s -= 1;
    }
    // The character before must end the item: a separator, punctuation, space or the start.
    if s == e || (s > 0 && is_han(t.chars[s - 1]) && !list_sep(t.nchars[s - 1])) {
        return None;
    }
    name_like_item(t, s, e)
}

/// The neighbours of found names in a list (公示名单 in running text, “许姗、许静及许国强等三户”,
/// a donor list “陆建强 100元；邓振承 1000元”) are names too when they read as names. Only items
/// joined to a found name by a list separator count, so the rest of the sentence never does.
fn list_names(t: &Text, found: &[Cand], out: &mut Vec<Cand>) {
    let mut frontier: Vec<(usize, usize)> = found.iter().map(|c| (c.0, c.1)).collect();
    let (mut fcov, mut ocov) = (Cover::new(t.len()), Cover::new(t.len()));
    let span = |c: &Cand| (c.0, c.1);
    let mut rounds = 0;
    while let Some((s, e)) = frontier.pop() {
        rounds += 1;
        if rounds > 10_000 {
            break;
        }
        // To the right: name, tail, separator, next item.
        let after = item_tail(t, e);
        if after < t.len() && list_sep(t.nchars[after]) {
            let mut a = after + 1;
            while a < t.len() && t.nchars[a].is_whitespace() && t.nchars[a] != '\n' {
                a += 1;
            }
            let mut b = a;
            while b < t.len()
                && !t.nchars[b].is_whitespace()
                && !list_sep(t.nchars[b])
                && !"，,。：:（）()".contains(t.nchars[b])
            {
                b += 1;
            }
            if let Some((ns, ne)) = name_like_item(t, a, b) {
                if !fcov.hits(found, span, ns, ne) && !ocov.hits(out, span, ns, ne) {
                    out.push((ns, ne, 0.85, "与同一名单中已认定的姓名并列".to_string()));
                    frontier.push((ns, ne));
                }
            }
        }
        // To the left: item, separator, name.
        let mut b = s;
        while b > 0 && t.nchars[b - 1].is_whitespace() && t.nchars[b - 1] != '\n' {
            b -= 1;
        }
        if b > 0 && list_sep(t.nchars[b - 1]) {
            if let Some((ns, ne)) = item_before(t, b - 1) {
                if !fcov.hits(found, span, ns, ne) && !ocov.hits(out, span, ns, ne) {
                    out.push((ns, ne, 0.85, "与同一名单中已认定的姓名并列".to_string()));
                    frontier.push((ns, ne));
                }
            }
        }
    }
}

/// The items of a list counted at its end (等三户, 等5人) that read as names, when at least two do.
fn counted_lists(t: &Text, out: &mut Vec<Cand>) {
    if !t.norm.contains('、') || !t.norm.contains('等') {
        return;
    }
    for m in COUNTED_LIST_RE.find_iter(&t.norm) {
        let (ms, me) = (t.c(m.start()), t.c(m.end()));
        let deng = (ms..me).rev().find(|&i| t.nchars[i] == '等').unwrap_or(me);
        let mut items = Vec::new();
        let mut s = ms;
        for i in ms..=deng {
            if i == deng || matches!(t.nchars[i], '、' | '及' | '和' | '与') {
                items.push((s, i));
                s = i + 1;
            }
        }
        let mut names = Vec::new();
        for (n, &(a, b)) in items.iter().enumerate() {
            // The first item may carry the words before the list (经评议龙斌): its last 3 or 2.
            let starts: Vec<usize> = if n == 0 {
                vec![b.saturating_sub(3).max(a), b.saturating_sub(2).max(a)]
            } else {
                vec![a]
            };
            if let Some(span) = starts.into_iter().find_map(|st| name_like_item(t, st, b)) {
                names.push(span);
            }
        }
        if names.len() >= 2 {
            for (s, e) in names {
                out.push((s, e, 0.85, "“……等N户（人）”名单中的姓名".to_string()));
            }
        }
    }
}

/// Tables (公示名单, 花名册): a tab-separated header row with a 姓名 column makes that column of
/// every following row a name.
fn table_names(t: &Text, out: &mut Vec<Cand>) {
    let mut col: Option<usize> = None;
    let mut cover = Cover::new(t.len());
    let mut ls = 0;
    for i in 0..=t.len() {
        if i < t.len() && t.nchars[i] != '\n' {
            continue;
        }
        let line: Vec<(usize, usize)> = {
            // Cells: split at tabs only, keeping empty cells so columns line up.
            let mut cells = Vec::new();
            let mut s = ls;
            for k in ls..=i {
                if k == i || t.nchars[k] == '\t' {
                    cells.push((s, k));
                    s = k + 1;
                }
            }
            cells
        };
        if line.len() >= 2 {
            let header = line.iter().position(|&(a, b)| {
                let cell: String = t.nchars[a..b].iter().collect();
                matches!(
                    cell.trim(),
                    "姓名" | "姓 名" | "姓　名" | "户主姓名" | "户主" | "捐款人" | "申请人"
                )
            });
            match header {
                Some(c) => col = Some(c),
                None => {
                    if let Some(&(a, b)) = col.and_then(|c| line.get(c)) {
                        if let Some((s, e)) = name_cell(t, a, b) {
                            if !cover.hits(out, |c: &Cand| (c.0, c.1), s, e) {
                                out.push((s, e, 0.9, "名单表格“姓名”列中的姓名".to_string()));
                            }
                        }
                    }
                }
            }
        } else if i > ls {
            // A line that is not a table row ends the table.
            col = None;
        }
        ls = i + 1;
    }
}

/// A cell of a 姓名 column: 2–4 Han characters (a spaced name allowed), not pseudonymised.
fn name_cell(t: &Text, a: usize, b: usize) -> Option<(usize, usize)> {
    let (mut s, mut e) = (a, b);
    while s < e && t.chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && t.chars[e - 1].is_whitespace() {
        e -= 1;
    }
    let chars = name_chars(t, s, e);
    ((2..=4).contains(&chars.len()) && chars.iter().all(|c| is_han(*c)) && !chars.contains(&'某'))
        .then_some((s, e))
}

/// A name after 联系人 in an agency's own letter (it has a 签发人, or speaks as 本机关/我局) is the
/// agency's staff member, named in that capacity.
fn agency_contact(t: &Text, s: usize) -> bool {
    let before = t.before(s, 4);
    let b = before.trim_end_matches([':', '：', ' ']);
    b.ends_with("联系人")
        && ["签发人", "本机关", "我局", "本局", "我单位", "各单位"]
            .iter()
            .any(|w| t.norm.contains(w))
}

/// Finds person names in `t`; names kept visible on purpose go to `kept` with the reason.
pub(crate) fn person_names(
    t: &Text,
    titles: &[String],
    out: &mut Vec<Finding>,
    kept: &mut Vec<Kept>,
) {
    let mut found: Vec<Cand> = Vec::new();
    let (mut fcov, mut pcov) = (Cover::new(t.len()), Cover::new(t.len()));
    let cspan = |c: &Cand| (c.0, c.1);
    let pspan = |p: &(usize, usize, String)| (p.0, p.1);
    let mut officials: HashSet<String> = HashSet::new();
    let mut public: Vec<(usize, usize, String)> = Vec::new();
    // 法定代表人 of a legal person: public (双公示).
    let mut legal: HashSet<String> = HashSet::new();
    for m in LEGAL_REP_RE.find_iter(&t.norm) {
        if let Some((s, e)) = name_at(t, t.c(m.end()), false) {
            legal.insert(t.slice(s, e));
            public.push((
                s,
                e,
                "法人的法定代表人：双公示（行政许可、行政处罚）中依规公开".into(),
            ));
        }
    }
    const OFFICIAL: &str = "职务或机构名称前后的姓名：依职务履职的公职人员";
    let push = |found: &mut Vec<Cand>,
                officials: &mut HashSet<String>,
                public: &mut Vec<(usize, usize, String)>,
                (s, e, c, why): Cand| {
        if legal.contains(&t.slice(s, e)) {
            return;
        }
        let office = official(t, s, e, titles) || agency_contact(t, s);
        // A strong private cue right before the name (来信人张伟) outranks an office nearby.
        if office && !(c >= 0.9 && strong_private(t, s)) {
            officials.insert(t.slice(s, e));
            public.push((s, e, OFFICIAL.into()));
        } else {
            found.push((s, e, c, why));
        }
    };
    for m in BEFORE_RE.find_iter(&t.norm) {
        let cue = m.as_str().trim_end_matches([':', '：', ' ', '为', '是']);
        let weak = weak_cue(m.as_str());
        let at = t.c(m.end());
        let span = match (weak, dotted_name_at(t, m.end())) {
            (false, Some(d)) => Some(d),
            _ => name_at(t, at, weak).map(|n| if weak { n } else { whole_four(t, n) }),
        };
        if let Some((s, e)) = span {
            push(
                &mut found,
                &mut officials,
                &mut public,
                (s, e, 0.95, format!("紧随“{cue}”的姓名")),
            );
        } else if let Some((s, e)) = latin_name_at(t, m.end()) {
            push(
                &mut found,
                &mut officials,
                &mut public,
                (s, e, 0.9, format!("紧随“{cue}”的外文姓名")),
            );
        }
    }
    for m in ROLE_RE.find_iter(&t.norm) {
        if let Some((s, e)) = name_at(t, t.c(m.end()), true) {
            if !fcov.hits(&found, cspan, s, e) {
                push(
                    &mut found,
                    &mut officials,
                    &mut public,
                    (
                        s,
                        e,
                        0.85,
                        format!("紧随职业、身份称谓“{}”的姓名", m.as_str()),
                    ),
                );
            }
        }
    }
    for m in RECORD_RE.find_iter(&t.norm) {
        let at = t.c(m.end());
        let confirmed = |(_, e): &(usize, usize)| {
            let after = t.after(*e, 4);
            RECORD_AFTER.iter().any(|w| after.starts_with(w))
        };
        // The words after the name fix where it ends when the segmenter glued it to them
        // (经联系毛鸣成本人: 毛鸣|成本|人).
        let span = name_at(t, at, true)
            .filter(confirmed)
            .or_else(|| name_spans_at(t, at).find(confirmed));
        if let Some((s, e)) = span {
            let after = t.after(e, 4);
            if !fcov.hits(&found, cspan, s, e) {
                push(
                    &mut found,
                    &mut officials,
                    &mut public,
                    (
                        s,
                        e,
                        0.85,
                        format!(
                            "“{}……{}”中的当事人姓名",
                            m.as_str(),
                            after.chars().take(2).collect::<String>()
                        ),
                    ),
                );
            }
        }
    }
    for m in ALIAS_RE.find_iter(&t.norm) {
        if let Some((s, e)) = name_at(t, t.c(m.end()), false) {
            found.push((s, e, 0.95, "曾用名、别名".into()));
        }
    }
    for m in AFTER_RE.find_iter(&t.norm) {
        let end = t.c(m.start()) + 1;
        // After an apposition (，男 （公民身份号码 先生) a name needs no further proof.
        let tail = t.after(end, 5);
        let strong = ["男", "女", "身份", "出生", "汉族", "先生", "小姐"]
            .iter()
            .any(|w| tail.contains(w));
        // 内有余思宁的身份证: 有余 is a word, but 有 introduces the owner of the papers.
        let introduced =
            |s: usize| strong && s > 0 && "有是给让叫找与和及同跟".contains(t.chars[s - 1]);
        if let Some((s, e)) =
            name_before(t, end, !strong).filter(|&(s, _)| !crosses_word(t, s) || introduced(s))
        {
            // “X，系统……”: 系 begins a word there, not “X，系[某公司职工]”.
            let after: String = t.after(end, 3);
            if after.starts_with("，系") || after.starts_with(",系") {
                let w: String = after.chars().skip(1).take(2).collect();
                if JIEBA.has_word(&w) {
                    continue;
                }
            }
            let cue = t.after(end, 3);
            let cue = cue.trim_start_matches([',', '，', '(', '（']);
            push(
                &mut found,
                &mut officials,
                &mut public,
                (s, e, 0.9, format!("后接“{cue}”的姓名")),
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
            // “孙建国代表：您提出的建议……”: a deputy answered in that capacity.
            let deputy = ["代表", "委员"].iter().any(|h| head_str.ends_with(h));
            for h in ["先生", "女士", "同志", "同学", "代表", "委员"] {
                head_str = head_str.strip_suffix(h).unwrap_or(head_str);
            }
            if BEFORE_ALL.iter().any(|c| head_str.starts_with(c)) {
                line_start = i + 1;
                continue;
            }
            let head: Vec<char> = head_str.chars().collect();
            // The letter's first sentence may start on the next line.
            let colon_cp = line_start + line[..colon].chars().count();
            let rest = t.after(colon_cp, 80);
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
                if deputy {
                    public.push((
                        s,
                        s + head.len(),
                        "人大代表、政协委员：依职务提出建议、提案".into(),
                    ));
                    line_start = i + 1;
                    continue;
                }
                push(
                    &mut found,
                    &mut officials,
                    &mut public,
                    (
                        s,
                        s + head.len(),
                        0.9,
                        "答复书开头称呼的申请人、来信人姓名".into(),
                    ),
                );
            }
        }
        line_start = i + 1;
    }
    // Tables with a 姓名 column, lists counted at their end.
    let mut table = Vec::new();
    table_names(t, &mut table);
    counted_lists(t, &mut table);
    for cand in table {
        if !fcov.hits(&found, cspan, cand.0, cand.1) {
            push(&mut found, &mut officials, &mut public, cand);
        }
    }
    // The model, where no cue found the name.
    let mut model = Vec::new();
    model_names(t, &mut model);
    for cand in model {
        if !fcov.hits(&found, cspan, cand.0, cand.1) && !pcov.hits(&public, pspan, cand.0, cand.1) {
            push(&mut found, &mut officials, &mut public, cand);
        }
    }
    // Lists.
    let mut listed = Vec::new();
    list_names(t, &found, &mut listed);
    for cand in listed {
        if !fcov.hits(&found, cspan, cand.0, cand.1) && !pcov.hits(&public, pspan, cand.0, cand.1) {
            push(&mut found, &mut officials, &mut public, cand);
        }
    }
    // A two-character name that elsewhere clearly has a third character (凌建在明知… beside
    // 凌建在的行为) is the three-character name.
    extend_names(t, &mut found);
    // A name found once is found everywhere it recurs.
    // A name found with a strong cue (来信人张伟) is a private person's even where the same name
    // also looked like an official's elsewhere: privacy first.
    let strong: HashSet<String> = found
        .iter()
        .filter(|c| c.2 >= 0.9)
        .map(|c| t.slice(c.0, c.1))
        .collect();
    let names: HashSet<String> = found
        .iter()
        .map(|c| t.slice(c.0, c.1))
        .filter(|n| (!officials.contains(n) || strong.contains(n)) && !legal.contains(n))
        .collect();
    let names: Vec<String> = names.into_iter().collect();
    if !names.is_empty() {
        let mut covered = vec![false; t.len() + 1];
        for c in &found {
            covered[c.0..c.1].fill(true);
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
                found.push((i, e, 0.85, "与文中已认定的自然人姓名相同".into()));
            }
        }
    }
    for (s, e, c, why) in found {
        let name = t.slice(s, e);
        if officials.contains(&name) && c < 0.9 && !strong.contains(&name) {
            public.push((s, e, "与文中依职务出现的公职人员同名".into()));
            continue;
        }
        out.push(finding(t, Kind::PersonName, s, e, c, &why));
    }
    public.sort_by_key(|p| (p.0, p.1));
    public.dedup_by_key(|p| (p.0, p.1));
    for (s, e, why) in public {
        kept.push(Kept {
            kind: Kind::PersonName,
            start: s,
            end: e,
            text: t.slice(s, e),
            reason: why,
        });
    }
}

/// Extends each found two-character name (surname + one) to three characters where the same three
/// characters stand elsewhere in the text clearly ended (followed by punctuation, 的, 因, 于 …).
fn extend_names(t: &Text, found: &mut [Cand]) {
    let mut longer: HashMap<String, String> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    for c in found.iter() {
        let chars = name_chars(t, c.0, c.1);
        if chars.len() != 2 || surname_len(&chars) != Some(1) {
            continue;
        }
        let name: String = chars.iter().collect();
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut from = 0;
        while let Some(i) = t.norm[from..].find(&name) {
            let b = from + i;
            let e = t.c(b) + 2;
            // Not a verb after the name (郑秀说，): 在 may be a name's (凌建在).
            if let Some(third) = t
                .nchar(e)
                .filter(|c| is_han(*c) && !"的某等说持受诉".contains(*c))
            {
                let after = t.after(e + 1, 1);
                if after.is_empty()
                    || after.starts_with(['，', ',', '。', '；', '、', '：', '（', '(', '的'])
                {
                    longer.insert(name.clone(), format!("{name}{third}"));
                    break;
                }
            }
            from = b + name.len();
        }
    }
    for c in found.iter_mut() {
        let name = t.slice(c.0, c.1);
        if let Some(l) = longer.get(&name) {
            if t.slice(c.0, c.1 + 1) == *l {
                c.1 += 1;
            }
        }
    }
}

/// A cue right before the name that makes it a private person's even next to an office
/// (来信人、申请人 …).
fn strong_private(t: &Text, s: usize) -> bool {
    let before = t.before(s, 8);
    let b = before.trim_end_matches([':', '：', ' ']);
    BEFORE_ALL.iter().any(|c| b.ends_with(c))
}
