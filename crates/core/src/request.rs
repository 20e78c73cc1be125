//! 依申请公开: one application for disclosure, its statutory clock and its reply, and the
//! application tables (三 and 四) of the annual report in the national format of
//! 国办公开办函〔2021〕30号, counted from the register.
//!
//! The clock (条例 第三十、三十二、三十三、三十四条; `shared/reference/deadlines.md` rules 9–13):
//! the reply is due 20 working days after the application is received — after the corrected
//! application is received when a 补正 was asked for — plus 20 more when an extension was
//! approved; days spent waiting for a third party's or another body's opinion do not count. The
//! 补正 notice itself is due within 7 working days of receipt. Days are counted on the working-day
//! calendar from the day after the trigger (民法典 第二百零一条), as the app counts every period.
//!
//! The tables' row and column names are the format's, verbatim
//! (`interpretation-requirements.md` part B).

use crate::calendar::{CalendarError, Due, WorkCalendar};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The value whose Chinese name or stable id is `s`.
fn by_name<T: Copy + Serialize>(all: &[T], label: fn(T) -> &'static str, s: &str) -> Option<T> {
    let s = s.trim();
    all.iter()
        .copied()
        .find(|v| label(*v) == s || stable_id(*v) == s)
}

/// The serde name of a unit variant.
fn stable_id<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// How the application arrived (the register's 收到方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RequestChannel {
    InPerson,
    Letter,
    Online,
    Fax,
    Other,
}

impl RequestChannel {
    pub const ALL: [RequestChannel; 5] = [
        RequestChannel::InPerson,
        RequestChannel::Letter,
        RequestChannel::Online,
        RequestChannel::Fax,
        RequestChannel::Other,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            RequestChannel::InPerson => "当面",
            RequestChannel::Letter => "信函",
            RequestChannel::Online => "网络",
            RequestChannel::Fax => "传真",
            RequestChannel::Other => "其他",
        }
    }

    /// From the Chinese name or the stable id.
    pub fn parse(s: &str) -> Option<Self> {
        by_name(&Self::ALL, Self::label, s)
    }

    /// The stable id (as stored and sent).
    pub fn id(self) -> String {
        stable_id(self)
    }
}

/// The applicant, as the report's columns divide them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    /// 自然人
    Person,
    /// 法人或其他组织: 商业企业
    Business,
    /// 科研机构
    Research,
    /// 社会公益组织
    PublicWelfare,
    /// 法律服务机构
    LegalService,
    /// 其他
    OtherOrg,
}

impl ApplicantType {
    /// In the order of the report's columns.
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::Person,
        ApplicantType::Business,
        ApplicantType::Research,
        ApplicantType::PublicWelfare,
        ApplicantType::LegalService,
        ApplicantType::OtherOrg,
    ];

    /// The report's column name.
    pub fn label(self) -> &'static str {
        match self {
            ApplicantType::Person => "自然人",
            ApplicantType::Business => "商业企业",
            ApplicantType::Research => "科研机构",
            ApplicantType::PublicWelfare => "社会公益组织",
            ApplicantType::LegalService => "法律服务机构",
            ApplicantType::OtherOrg => "其他",
        }
    }

    /// From the column name or the stable id.
    pub fn parse(s: &str) -> Option<Self> {
        by_name(&Self::ALL, Self::label, s)
    }

    /// The stable id (as stored and sent).
    pub fn id(self) -> String {
        stable_id(self)
    }
}

/// One way an application can be answered: a row of table 三 with its legal ground.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Stable id (`1`, `2`, `3-1` … `6-3`).
    pub id: &'static str,
    /// The group row of table 三, e.g. `（三）不予公开`.
    pub group: &'static str,
    /// The leaf row, e.g. `1.属于国家秘密` (empty for （一） and （二）, which have none).
    pub row: &'static str,
    /// The article the reply rests on.
    pub article: &'static str,
}

impl Outcome {
    /// The row as one label, e.g. `（三）不予公开 1.属于国家秘密`.
    pub fn label(&self) -> String {
        if self.row.is_empty() {
            self.group.to_string()
        } else {
            format!("{} {}", self.group, self.row)
        }
    }
}

const G1: &str = "（一）予以公开";
const G2: &str = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）";
const G3: &str = "（三）不予公开";
const G4: &str = "（四）无法提供";
const G5: &str = "（五）不予处理";
const G6: &str = "（六）其他处理";

/// Every reply type, in the order of table 三's rows.
pub const OUTCOMES: &[Outcome] = &[
    Outcome {
        id: "1",
        group: G1,
        row: "",
        article: "第三十六条第（一）项、第（二）项",
    },
    Outcome {
        id: "2",
        group: G2,
        row: "",
        article: "第三十七条",
    },
    Outcome {
        id: "3-1",
        group: G3,
        row: "1.属于国家秘密",
        article: "第十四条",
    },
    Outcome {
        id: "3-2",
        group: G3,
        row: "2.其他法律行政法规禁止公开",
        article: "第十四条",
    },
    Outcome {
        id: "3-3",
        group: G3,
        row: "3.危及“三安全一稳定”",
        article: "第十四条",
    },
    Outcome {
        id: "3-4",
        group: G3,
        row: "4.保护第三方合法权益",
        article: "第十五条",
    },
    Outcome {
        id: "3-5",
        group: G3,
        row: "5.属于三类内部事务信息",
        article: "第十六条第一款",
    },
    Outcome {
        id: "3-6",
        group: G3,
        row: "6.属于四类过程性信息",
        article: "第十六条第二款",
    },
    Outcome {
        id: "3-7",
        group: G3,
        row: "7.属于行政执法案卷",
        article: "第十六条第二款",
    },
    Outcome {
        id: "3-8",
        group: G3,
        row: "8.属于行政查询事项",
        article: "第三十六条第（七）项",
    },
    Outcome {
        id: "4-1",
        group: G4,
        row: "1.本机关不掌握相关政府信息",
        article: "第三十六条第（四）项、第（五）项",
    },
    Outcome {
        id: "4-2",
        group: G4,
        row: "2.没有现成信息需要另行制作",
        article: "第三十八条",
    },
    Outcome {
        id: "4-3",
        group: G4,
        row: "3.补正后申请内容仍不明确",
        article: "第三十条",
    },
    Outcome {
        id: "5-1",
        group: G5,
        row: "1.信访举报投诉类申请",
        article: "第三十九条第一款",
    },
    Outcome {
        id: "5-2",
        group: G5,
        row: "2.重复申请",
        article: "第三十六条第（六）项",
    },
    Outcome {
        id: "5-3",
        group: G5,
        row: "3.要求提供公开出版物",
        article: "第三十九条第二款",
    },
    Outcome {
        id: "5-4",
        group: G5,
        row: "4.无正当理由大量反复申请",
        article: "第三十五条",
    },
    Outcome {
        id: "5-5",
        group: G5,
        row: "5.要求行政机关确认或重新出具已获取信息",
        article: "第三十九条",
    },
    Outcome {
        id: "6-1",
        group: G6,
        row: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        article: "第三十条",
    },
    Outcome {
        id: "6-2",
        group: G6,
        row: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        article: "第四十二条",
    },
    Outcome {
        id: "6-3",
        group: G6,
        row: "3.其他",
        article: "",
    },
];

/// The 答复书 wording per reply type (`seeds/reply-templates.json`, which the office may reissue):
/// a finding per outcome id, an id pattern such as `3-*` for a whole group, `*` for anything
/// else, and the remedy every letter names (《行政复议法》第二十条, 《行政诉讼法》第四十六条;
/// deadlines.md rules 23 and 24).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTemplates {
    pub remedy: String,
    pub templates: Vec<ReplyTemplate>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTemplate {
    /// An outcome id (`3-4`), a group (`3-*`) or `*`.
    pub outcome: String,
    /// May hold `{理由}`: the row's sub-reason.
    pub finding: String,
}

/// The placeholder a finding may hold.
pub const REASON_PLACEHOLDER: &str = "{理由}";

impl ReplyTemplates {
    /// Reads and checks a templates file: the remedy names both time limits, every reply type
    /// has a finding, and no finding holds a placeholder other than `{理由}`.
    pub fn parse(json: &str) -> Result<ReplyTemplates, String> {
        let t: ReplyTemplates =
            serde_json::from_str(json).map_err(|e| format!("答复书模板格式不对：{e}"))?;
        if !(t.remedy.contains("六十日") && t.remedy.contains("六个月")) {
            return Err("答复书模板的救济途径须写明行政复议六十日、行政诉讼六个月的期限".into());
        }
        for tpl in &t.templates {
            let rest = tpl.finding.replace(REASON_PLACEHOLDER, "");
            if rest.contains('{') || rest.contains('}') {
                return Err(format!(
                    "答复书模板“{}”含有无法识别的占位符：只能用 {REASON_PLACEHOLDER}",
                    tpl.outcome
                ));
            }
            if tpl.finding.trim().is_empty() {
                return Err(format!("答复书模板“{}”没有内容", tpl.outcome));
            }
        }
        if let Some(o) = OUTCOMES.iter().find(|o| t.template(o.id).is_none()) {
            return Err(format!("答复书模板缺少答复类型 {}（{}）", o.id, o.row));
        }
        Ok(t)
    }

    /// The template for an outcome id: the exact id, else its group, else `*`.
    fn template(&self, id: &str) -> Option<&ReplyTemplate> {
        let group = id.split_once('-').map(|(g, _)| format!("{g}-*"));
        self.templates
            .iter()
            .find(|t| t.outcome == id)
            .or_else(|| {
                group
                    .as_deref()
                    .and_then(|g| self.templates.iter().find(|t| t.outcome == g))
            })
            .or_else(|| self.templates.iter().find(|t| t.outcome == "*"))
    }

    /// What the reply decides, in the letter's words.
    pub fn finding(&self, o: &Outcome) -> String {
        let reason = o.row.split_once('.').map_or(o.row, |(_, r)| r);
        self.template(o.id)
            .map(|t| t.finding.replace(REASON_PLACEHOLDER, reason))
            .unwrap_or_default()
    }
}

/// The text of an article reference such as `第三十六条第（四）项` or `第十六条第二款` in the
/// regulation's article list (`disclosure-law.json` `articles`): the item, the paragraph, or the
/// whole article; None when the article is not listed.
pub fn article_text(articles: &[(String, Vec<String>)], reference: &str) -> Option<String> {
    let first = reference.split('、').next()?.trim();
    let (article, rest) = match first.find('条') {
        Some(i) => first.split_at(i + '条'.len_utf8()),
        None => (first, ""),
    };
    let (_, paragraphs) = articles.iter().find(|(a, _)| a == article)?;
    let whole = paragraphs.join("");
    if let Some(item) = rest.strip_prefix('第').and_then(|r| r.strip_suffix('项')) {
        // An item （四）: from its marker to the next item's.
        let start = whole.find(item)?;
        let tail = &whole[start..];
        let next = tail[item.len()..]
            .find('（')
            .map_or(tail.len(), |i| i + item.len());
        return Some(tail[..next].trim_end_matches(['；', '。']).to_string() + "。");
    }
    if let Some(n) = rest.strip_prefix('第').and_then(|r| r.strip_suffix('款')) {
        let idx = ["一", "二", "三", "四", "五"]
            .iter()
            .position(|c| *c == n)?;
        return paragraphs.get(idx).cloned();
    }
    Some(whole)
}

/// The reply type with this id.
pub fn outcome(id: &str) -> Option<&'static Outcome> {
    OUTCOMES.iter().find(|o| o.id == id.trim())
}

/// A third party's or another body's opinion awaited (the days do not count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockPause {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 第三方 or 其他机关.
    pub reason: String,
}

/// The extension of the reply period (第三十三条第二款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Extension {
    pub date: NaiveDate,
    pub approved_by: String,
    pub reason: String,
}

/// What the clock needs of one application.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockFacts {
    pub received: NaiveDate,
    /// The day the 补正 notice was sent.
    pub correction_asked: Option<NaiveDate>,
    /// The day the corrected application arrived (the reply period runs from here).
    pub corrected_received: Option<NaiveDate>,
    pub pauses: Vec<ClockPause>,
    pub extension: Option<Extension>,
    pub replied: Option<NaiveDate>,
}

/// The computed clock of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RequestClock {
    /// When the 补正 notice was due (7 working days after receipt).
    pub correction_due: Due,
    /// The reply's due date.
    pub due: Due,
    /// Waiting for the corrected application: the reply period has not started.
    pub awaiting_correction: bool,
}

/// Working days of the reply period, and of the extension (第三十三条第二款).
pub const REPLY_DAYS: u32 = 20;
/// Working days for the 补正 notice (第三十条).
pub const CORRECTION_DAYS: u32 = 7;

impl ClockFacts {
    /// The clock on the working-day calendar.
    pub fn clock(&self, cal: &WorkCalendar) -> Result<RequestClock, CalendarError> {
        let correction_due = cal.add_working_days(self.received, CORRECTION_DAYS, &[])?;
        let awaiting_correction =
            self.correction_asked.is_some() && self.corrected_received.is_none();
        let start = self.corrected_received.unwrap_or(self.received);
        let days = REPLY_DAYS
            + if self.extension.is_some() {
                REPLY_DAYS
            } else {
                0
            };
        let pauses: Vec<(NaiveDate, NaiveDate)> =
            self.pauses.iter().map(|p| (p.from, p.to)).collect();
        let due = cal.add_working_days(start, days, &pauses)?;
        Ok(RequestClock {
            correction_due,
            due,
            awaiting_correction,
        })
    }
}

/// A 行政复议 or 行政诉讼 about a reply (table 四).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议
    Review,
    /// 行政诉讼 › 未经复议直接起诉
    DirectSuit,
    /// 行政诉讼 › 复议后起诉
    SuitAfterReview,
}

impl AppealKind {
    pub const ALL: [AppealKind; 3] = [
        AppealKind::Review,
        AppealKind::DirectSuit,
        AppealKind::SuitAfterReview,
    ];

    /// The column group of table 四.
    pub fn label(self) -> &'static str {
        match self {
            AppealKind::Review => "行政复议",
            AppealKind::DirectSuit => "行政诉讼 未经复议直接起诉",
            AppealKind::SuitAfterReview => "行政诉讼 复议后起诉",
        }
    }

    /// From `行政复议`, `直接起诉`, `复议后起诉` or the stable id.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "行政复议" | "review" => Some(AppealKind::Review),
            "直接起诉" | "未经复议直接起诉" | "direct_suit" => {
                Some(AppealKind::DirectSuit)
            }
            "复议后起诉" | "suit_after_review" => Some(AppealKind::SuitAfterReview),
            _ => None,
        }
    }
}

/// How a 复议 or 诉讼 ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    Upheld,
    Corrected,
    Other,
    Pending,
}

impl AppealResult {
    pub const ALL: [AppealResult; 4] = [
        AppealResult::Upheld,
        AppealResult::Corrected,
        AppealResult::Other,
        AppealResult::Pending,
    ];

    /// The column of table 四.
    pub fn label(self) -> &'static str {
        match self {
            AppealResult::Upheld => "结果维持",
            AppealResult::Corrected => "结果纠正",
            AppealResult::Other => "其他结果",
            AppealResult::Pending => "尚未审结",
        }
    }

    /// From `维持`, `纠正`, `其他`, `尚未审结` or the stable id.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "维持" | "结果维持" | "upheld" => Some(AppealResult::Upheld),
            "纠正" | "结果纠正" | "corrected" => Some(AppealResult::Corrected),
            "其他" | "其他结果" | "other" => Some(AppealResult::Other),
            "尚未审结" | "pending" => Some(AppealResult::Pending),
            _ => None,
        }
    }
}

/// What the report counts of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<'a> {
    pub id: &'a str,
    pub applicant: ApplicantType,
    pub received: NaiveDate,
    /// The reply's date and type.
    pub reply: Option<(NaiveDate, &'a str)>,
    /// (kind, result, the year it was recorded).
    pub appeals: Vec<(AppealKind, AppealResult, i32)>,
}

/// One cell of the report, with the applications that make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub table: &'static str,
    /// The group row for a sub-row (e.g. `（三）不予公开`), else empty.
    pub group: String,
    pub row: String,
    /// For table 四, the column group (行政复议 …), else empty.
    pub column_group: String,
    pub column: String,
    pub value: u32,
    /// The applications counted.
    pub records: Vec<String>,
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// Tables 三 and 四 for `year`. Per column of table 三 (each applicant type and 总计):
/// 一 received this year; 二 received before and not answered before 1 January; 三 each reply
/// type answered this year, （七）总计 their sum; 四 received by 31 December and not answered by
/// then. 一 + 二 = （七） + 四 holds by construction. Table 四 counts the appeals recorded in
/// the year by kind and result, with 总计 per kind.
pub fn annual_tables(year: i32, register: &[Counted<'_>]) -> Vec<Cell> {
    let Some((start, end)) = year_bounds(year) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    let columns: Vec<Option<ApplicantType>> = ApplicantType::ALL
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect();
    let col_label = |c: Option<ApplicantType>| c.map_or("总计", |a| a.label()).to_string();
    let in_col = |c: Option<ApplicantType>, r: &Counted<'_>| c.is_none_or(|a| a == r.applicant);
    let answered_by = |r: &Counted<'_>, d: NaiveDate| r.reply.is_some_and(|(on, _)| on <= d);
    let mut push = |group: &str, row: &str, pick: &dyn Fn(&Counted<'_>) -> bool| {
        for c in &columns {
            let records: Vec<String> = register
                .iter()
                .filter(|r| in_col(*c, r) && pick(r))
                .map(|r| r.id.to_string())
                .collect();
            cells.push(Cell {
                table: "三",
                group: group.to_string(),
                row: row.to_string(),
                column_group: String::new(),
                column: col_label(*c),
                value: records.len() as u32,
                records,
            });
        }
    };
    let before = start.pred_opt().unwrap_or(start);
    push(
        "",
        "一、本年新收政府信息公开申请数量",
        &|r| r.received >= start && r.received <= end,
    );
    push(
        "",
        "二、上年结转政府信息公开申请数量",
        &|r| r.received < start && !answered_by(r, before),
    );
    fn answered_in(r: &Counted<'_>, start: NaiveDate, end: NaiveDate) -> Option<String> {
        r.reply
            .filter(|(on, _)| *on >= start && *on <= end)
            .map(|(_, id)| id.to_string())
    }
    for o in OUTCOMES {
        let (group, row) = if o.row.is_empty() {
            ("三、本年度办理结果", o.group)
        } else {
            (o.group, o.row)
        };
        push(group, row, &|r| {
            answered_in(r, start, end).is_some_and(|id| id == o.id)
        });
    }
    push("三、本年度办理结果", "（七）总计", &|r| {
        answered_in(r, start, end).is_some_and(|id| outcome(&id).is_some())
    });
    push("", "四、结转下年度继续办理", &|r| {
        r.received <= end && !answered_by(r, end)
    });
    for kind in AppealKind::ALL {
        let appeals = |r: &Counted<'_>, res: Option<AppealResult>| {
            r.appeals
                .iter()
                .filter(|(k, rs, y)| *k == kind && *y == year && res.is_none_or(|x| x == *rs))
                .count()
        };
        for res in AppealResult::ALL
            .into_iter()
            .map(Some)
            .chain(std::iter::once(None))
        {
            let mut records = Vec::new();
            let mut value = 0;
            for r in register {
                let n = appeals(r, res);
                if n > 0 {
                    value += n as u32;
                    records.push(r.id.to_string());
                }
            }
            cells.push(Cell {
                table: "四",
                group: String::new(),
                row: String::new(),
                column_group: kind.label().to_string(),
                column: res.map_or("总计", |x| x.label()).to_string(),
                value,
                records,
            });
        }
    }
    cells
}

/// The columns of table 三, in order.
pub const THREE_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
/// The column groups and columns of table 四, in order.
pub const FOUR_GROUPS: [&str; 3] = [
    "行政复议",
    "行政诉讼 未经复议直接起诉",
    "行政诉讼 复议后起诉",
];
pub const FOUR_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
/// The note the format prints in table 三's corner.
pub const THREE_CHECK_NOTE: &str =
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和";

/// One printed row of table 三: its label, its indent (0: 一、, 1: （一）, 2: 1.) and its seven
/// numbers (None for a heading row such as 三、本年度办理结果 or （三）不予公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintedRow {
    pub label: String,
    pub level: u8,
    /// The cells' `group` for a numbered row (with `label` as their `row`), empty for a heading.
    pub group: String,
    pub values: Option<[u32; 7]>,
}

/// Table 三 as printed, from the cells of [`annual_tables`] (rows in the format's order, with
/// the group headings inserted).
pub fn printed_three(cells: &[Cell]) -> Vec<PrintedRow> {
    const THREE: &str = "三、本年度办理结果";
    let mut out: Vec<PrintedRow> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    let heading =
        |out: &mut Vec<PrintedRow>, seen: &mut Vec<(String, String)>, label: &str, level| {
            let key = (String::from("heading"), label.to_string());
            if !seen.contains(&key) {
                seen.push(key);
                out.push(PrintedRow {
                    label: label.to_string(),
                    level,
                    group: String::new(),
                    values: None,
                });
            }
        };
    for c in cells.iter().filter(|c| c.table == "三") {
        let key = (c.group.clone(), c.row.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let level = if c.group.is_empty() {
            0
        } else if c.group == THREE {
            heading(&mut out, &mut seen, THREE, 0);
            1
        } else {
            heading(&mut out, &mut seen, THREE, 0);
            heading(&mut out, &mut seen, &c.group, 1);
            2
        };
        let mut values = [0u32; 7];
        for (i, col) in THREE_COLUMNS.iter().enumerate() {
            values[i] = cells
                .iter()
                .find(|x| {
                    x.table == "三" && x.group == c.group && x.row == c.row && x.column == *col
                })
                .map_or(0, |x| x.value);
        }
        out.push(PrintedRow {
            label: c.row.clone(),
            level,
            group: c.group.clone(),
            values: Some(values),
        });
    }
    out
}

/// Whether table 三 keeps the format's check rule in every column: 一 + 二 = （七）总计 + 四.
pub fn check_rule_holds(cells: &[Cell]) -> bool {
    let v = |group: &str, row: &str, col: &str| {
        cells
            .iter()
            .find(|c| c.table == "三" && c.group == group && c.row == row && c.column == col)
            .map_or(0, |c| c.value)
    };
    THREE_COLUMNS.iter().all(|col| {
        v("", "一、本年新收政府信息公开申请数量", col)
            + v("", "二、上年结转政府信息公开申请数量", col)
            == v("三、本年度办理结果", "（七）总计", col) + v("", "四、结转下年度继续办理", col)
    })
}

/// An applicant as lists show them: the first character of the name and the ends of the
/// contact, the rest masked (张**, 138****5678).
pub fn mask_applicant(name: &str, contact: &str) -> String {
    let mask_name = |s: &str| {
        let mut cs = s.trim().chars();
        match cs.next() {
            None => String::new(),
            Some(first) => format!("{first}{}", "*".repeat(cs.count().max(1))),
        }
    };
    let mask_contact = |s: &str| {
        let cs: Vec<char> = s.trim().chars().collect();
        if cs.len() <= 4 {
            return "*".repeat(cs.len());
        }
        let keep = 3.min(cs.len() / 3);
        let tail = 4.min(cs.len() - keep);
        let mid = cs.len() - keep - tail;
        format!(
            "{}{}{}",
            cs[..keep].iter().collect::<String>(),
            "*".repeat(mid),
            cs[cs.len() - tail..].iter().collect::<String>()
        )
    };
    [mask_name(name), mask_contact(contact)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Table 四's fifteen numbers, in the format's column order.
pub fn printed_four(cells: &[Cell]) -> [u32; 15] {
    let mut out = [0u32; 15];
    for (g, group) in FOUR_GROUPS.iter().enumerate() {
        for (i, col) in FOUR_COLUMNS.iter().enumerate() {
            out[g * 5 + i] = cells
                .iter()
                .find(|c| c.table == "四" && c.column_group == *group && c.column == *col)
                .map_or(0, |c| c.value);
        }
    }
    out
}

/// One policy document as table 二（一） counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedDoc<'a> {
    pub id: &'a str,
    /// A 行政规范性文件 (else not counted: units of a bureau issue no 规章).
    pub normative: bool,
    /// The day it was published (制发 counts by publication).
    pub published: Option<NaiveDate>,
    pub repealed: Option<NaiveDate>,
}

/// Table 二（一）'s 行政规范性文件 row: 本年制发件数, 本年废止件数, 现行有效件数 (published by 31
/// December and not repealed by then), each with the documents counted.
pub fn issued_counts(year: i32, docs: &[IssuedDoc<'_>]) -> [(u32, Vec<String>); 3] {
    let Some((start, end)) = year_bounds(year) else {
        return Default::default();
    };
    let pick = |f: &dyn Fn(&IssuedDoc<'_>) -> bool| {
        let ids: Vec<String> = docs
            .iter()
            .filter(|d| d.normative && f(d))
            .map(|d| d.id.to_string())
            .collect();
        (ids.len() as u32, ids)
    };
    let within = |d: Option<NaiveDate>| d.is_some_and(|d| d >= start && d <= end);
    [
        pick(&|d| within(d.published)),
        pick(&|d| within(d.repealed)),
        pick(&|d| d.published.is_some_and(|p| p <= end) && d.repealed.is_none_or(|r| r > end)),
    ]
}

/// The figures of table 二 the clerk enters (the app keeps no register of them): key and the
/// format's row, and whether it is an amount in 万元 rather than a count.
pub const ENTERED_FIGURES: [(&str, &str, bool); 4] = [
    ("licensing", "行政许可", false),
    ("penalty", "行政处罚", false),
    ("coercion", "行政强制", false),
    ("fees", "行政事业性收费", true),
];

/// Whether `d` lies in `year`.
pub fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> WorkCalendar {
        WorkCalendar::from_json(include_str!("../../../seeds/holidays.json")).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Counted by hand on the 2026 table: 9-19 Sat off, 9-20 Sun 调休上班, 9-25 (Fri) to 9-27
    /// 中秋, 10-1 to 10-7 国庆, 10-10 Sat 调休上班.
    #[test]
    fn twenty_working_days_across_the_national_day_holidays() {
        let f = ClockFacts {
            received: d("2026-09-18"),
            ..Default::default()
        };
        let c = f.clock(&cal()).unwrap();
        // 9-20(1) 21 22 23 24(5) 28 29 30(8) 10-8 9 10(11) 12 … 16(16) 19 20 21 22(20)
        assert_eq!(c.due.date, d("2026-10-22"));
        assert!(!c.due.provisional);
        // 9-20 21 22 23 24 28 29(7)
        assert_eq!(c.correction_due.date, d("2026-09-29"));
    }

    #[test]
    fn a_third_partys_days_do_not_count_and_an_extension_adds_twenty() {
        let mut f = ClockFacts {
            received: d("2026-09-18"),
            pauses: vec![ClockPause {
                from: d("2026-10-12"),
                to: d("2026-10-16"),
                reason: "第三方".into(),
            }],
            ..Default::default()
        };
        // The five working days 10-12 … 10-16 are skipped: 19(12) 20 21 22 23(16) 26 27 28 29(20).
        assert_eq!(f.clock(&cal()).unwrap().due.date, d("2026-10-29"));
        f.extension = Some(Extension {
            date: d("2026-10-20"),
            approved_by: "刘主任".into(),
            reason: "需调取档案".into(),
        });
        // 30(21) 11-2 … 11-6(26) 9 … 13(31) 16 … 20(36) 23 24 25 26(40).
        assert_eq!(f.clock(&cal()).unwrap().due.date, d("2026-11-26"));
    }

    #[test]
    fn a_correction_restarts_the_period_from_the_corrected_application_across_the_year_end() {
        let mut f = ClockFacts {
            received: d("2025-12-15"),
            correction_asked: Some(d("2025-12-17")),
            ..Default::default()
        };
        let c = f.clock(&cal()).unwrap();
        assert!(c.awaiting_correction);
        // 16 17 18 19 22 23 24(7)
        assert_eq!(c.correction_due.date, d("2025-12-24"));
        f.corrected_received = Some(d("2025-12-22"));
        let c = f.clock(&cal()).unwrap();
        assert!(!c.awaiting_correction);
        // 23(1) 24 25 26 29 30 31(7); 2026-01-01…03 off; 01-04 Sun 调休(8) 5 … 9(13) 12 … 16(18)
        // 19(19) 20(20).
        assert_eq!(c.due.date, d("2026-01-20"));
        assert!(!c.due.provisional);
    }

    #[test]
    fn a_period_beyond_the_holiday_table_is_provisional() {
        let f = ClockFacts {
            received: d("2026-12-21"),
            ..Default::default()
        };
        let c = f.clock(&cal()).unwrap();
        assert!(c.due.provisional, "2027 is not in the table yet");
    }

    #[test]
    fn every_reply_type_lands_in_its_row_and_column_and_the_check_rule_holds() {
        let mut register = Vec::new();
        let ids: Vec<String> = (0..OUTCOMES.len() * 2 + 4)
            .map(|i| format!("r{i}"))
            .collect();
        let mut k = 0;
        for (i, o) in OUTCOMES.iter().enumerate() {
            let applicant = ApplicantType::ALL[i % 6];
            register.push(Counted {
                id: &ids[k],
                applicant,
                received: d("2026-03-02"),
                reply: Some((d("2026-03-20"), o.id)),
                appeals: vec![],
            });
            k += 1;
        }
        // Carried over from 2025 and answered in 2026; carried over into 2027; answered in 2025.
        register.push(Counted {
            id: &ids[k],
            applicant: ApplicantType::Business,
            received: d("2025-12-20"),
            reply: Some((d("2026-01-10"), "1")),
            appeals: vec![(AppealKind::Review, AppealResult::Upheld, 2026)],
        });
        register.push(Counted {
            id: &ids[k + 1],
            applicant: ApplicantType::Person,
            received: d("2026-12-28"),
            reply: None,
            appeals: vec![],
        });
        register.push(Counted {
            id: &ids[k + 2],
            applicant: ApplicantType::Person,
            received: d("2025-06-01"),
            reply: Some((d("2025-06-20"), "1")),
            appeals: vec![(AppealKind::DirectSuit, AppealResult::Pending, 2025)],
        });
        let cells = annual_tables(2026, &register);
        let get = |group: &str, row: &str, col: &str| {
            cells
                .iter()
                .find(|c| c.table == "三" && c.group == group && c.row == row && c.column == col)
                .unwrap_or_else(|| panic!("no cell {group} {row} {col}"))
                .value
        };
        for (i, o) in OUTCOMES.iter().enumerate() {
            let (group, row) = if o.row.is_empty() {
                ("三、本年度办理结果", o.group)
            } else {
                (o.group, o.row)
            };
            let col = ApplicantType::ALL[i % 6].label();
            let extra = u32::from(o.id == "1" && col == "商业企业");
            assert_eq!(get(group, row, col), 1 + extra, "{}", o.label());
            assert_eq!(
                get(group, row, "总计"),
                1 + u32::from(o.id == "1"),
                "{}",
                o.label()
            );
        }
        let total = |row: &str| {
            get(
                if row.starts_with('（') {
                    "三、本年度办理结果"
                } else {
                    ""
                },
                row,
                "总计",
            )
        };
        assert_eq!(
            total("一、本年新收政府信息公开申请数量"),
            OUTCOMES.len() as u32 + 1
        );
        assert_eq!(total("二、上年结转政府信息公开申请数量"), 1);
        assert_eq!(total("（七）总计"), OUTCOMES.len() as u32 + 1);
        assert_eq!(total("四、结转下年度继续办理"), 1);
        assert!(check_rule_holds(&cells));
        let mut broken = cells.clone();
        if let Some(c) = broken
            .iter_mut()
            .find(|c| c.row == "四、结转下年度继续办理" && c.column == "总计")
        {
            c.value += 1;
        }
        assert!(!check_rule_holds(&broken));
        // 一 + 二 = （七） + 四, in every column.
        for a in ApplicantType::ALL.iter().map(|a| a.label()).chain(["总计"]) {
            assert_eq!(
                get("", "一、本年新收政府信息公开申请数量", a)
                    + get("", "二、上年结转政府信息公开申请数量", a),
                get("三、本年度办理结果", "（七）总计", a) + get("", "四、结转下年度继续办理", a),
                "{a}"
            );
        }
        let four = |g: &str, c: &str| {
            cells
                .iter()
                .find(|x| x.table == "四" && x.column_group == g && x.column == c)
                .unwrap()
                .value
        };
        assert_eq!(four("行政复议", "结果维持"), 1);
        assert_eq!(four("行政复议", "总计"), 1);
        assert_eq!(
            four("行政诉讼 未经复议直接起诉", "尚未审结"),
            0,
            "recorded in 2025"
        );
        assert_eq!(cells.iter().filter(|c| c.table == "四").count(), 15);
        // Every number opens to its records.
        let c = cells
            .iter()
            .find(|c| c.row == "二、上年结转政府信息公开申请数量" && c.column == "商业企业")
            .unwrap();
        assert_eq!(c.records, vec![ids[k].clone()]);
    }

    #[test]
    fn the_printed_tables_follow_the_formats_rows_and_columns() {
        let register = vec![Counted {
            id: "2026-001",
            applicant: ApplicantType::Research,
            received: d("2026-03-02"),
            reply: Some((d("2026-03-05"), "3-4")),
            appeals: vec![(AppealKind::SuitAfterReview, AppealResult::Corrected, 2026)],
        }];
        let cells = annual_tables(2026, &register);
        let rows = printed_three(&cells);
        let labels: Vec<(&str, u8, bool)> = rows
            .iter()
            .map(|r| (r.label.as_str(), r.level, r.values.is_some()))
            .collect();
        assert_eq!(labels[0], ("一、本年新收政府信息公开申请数量", 0, true));
        assert_eq!(labels[1], ("二、上年结转政府信息公开申请数量", 0, true));
        assert_eq!(labels[2], ("三、本年度办理结果", 0, false));
        assert_eq!(labels[3], ("（一）予以公开", 1, true));
        assert_eq!(labels[5], ("（三）不予公开", 1, false));
        assert_eq!(labels[6], ("1.属于国家秘密", 2, true));
        assert_eq!(labels.last().unwrap(), &("四、结转下年度继续办理", 0, true));
        // 1 heading 三 + （一）（二） + 4 group headings + 8+3+5+3 leaves + （七） + 一 二 四.
        assert_eq!(rows.len(), 1 + 2 + 4 + 19 + 1 + 3);
        let third_party = rows
            .iter()
            .find(|r| r.label == "4.保护第三方合法权益")
            .unwrap();
        assert_eq!(third_party.values, Some([0, 0, 1, 0, 0, 0, 1]));
        let four = printed_four(&cells);
        assert_eq!(
            four[10..15],
            [0, 1, 0, 0, 1],
            "复议后起诉: 结果纠正 and 总计"
        );
        assert_eq!(four.iter().sum::<u32>(), 2);
    }

    #[test]
    fn a_letter_quotes_the_item_paragraph_or_article_it_rests_on() {
        let law: serde_json::Value =
            serde_json::from_str(include_str!("../../../seeds/disclosure-law.json")).unwrap();
        let articles: Vec<(String, Vec<String>)> = law["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["article"].as_str().unwrap().to_string(),
                    a["paragraphs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        let item = article_text(&articles, "第三十六条第（四）项、第（五）项").unwrap();
        assert!(item.starts_with("（四）"), "{item}");
        assert!(!item.contains("（五）"), "{item}");
        let para = article_text(&articles, "第十六条第二款").unwrap();
        assert!(para.contains("过程稿"), "{para}");
        assert!(
            !para.contains("人事管理"),
            "the first paragraph is not quoted: {para}"
        );
        assert!(article_text(&articles, "第三十八条")
            .unwrap()
            .contains("加工"));
        assert!(
            article_text(&articles, "第四十二条").is_none(),
            "not in the seed's list"
        );
    }

    const SHIPPED: &str = include_str!("../../../seeds/reply-templates.json");

    #[test]
    fn the_shipped_templates_answer_every_reply_type_in_its_own_words() {
        let t = ReplyTemplates::parse(SHIPPED).unwrap();
        let findings: Vec<String> = OUTCOMES.iter().map(|o| t.finding(o)).collect();
        for (o, f) in OUTCOMES.iter().zip(&findings) {
            assert!(!f.is_empty() && !f.contains('{'), "{}: {f}", o.id);
        }
        // Each 不予公开 ground is named; no two reply types read the same.
        assert!(t
            .finding(outcome("3-4").unwrap())
            .contains("“保护第三方合法权益”"));
        assert!(t
            .finding(outcome("3-1").unwrap())
            .contains("“属于国家秘密”"));
        let distinct: std::collections::BTreeSet<&String> = findings.iter().collect();
        assert_eq!(distinct.len(), findings.len());
        assert!(t.remedy.contains("六十日") && t.remedy.contains("六个月"));
    }

    #[test]
    fn a_reissued_template_file_is_checked_before_it_is_used() {
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
        // An exact id wins over its group.
        v["templates"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"outcome": "3-1", "finding": "涉密，不予公开。"}));
        let t = ReplyTemplates::parse(&v.to_string()).unwrap();
        assert_eq!(t.finding(outcome("3-1").unwrap()), "涉密，不予公开。");
        assert!(t
            .finding(outcome("3-2").unwrap())
            .contains("“其他法律行政法规禁止公开”"));
        let mut bad = v.clone();
        bad["templates"][0]["finding"] = "经审查，{申请人}的申请予以公开。".into();
        assert!(ReplyTemplates::parse(&bad.to_string())
            .unwrap_err()
            .contains("占位符"));
        let mut bad = v.clone();
        bad["remedy"] = "如不服，可以申请复议。".into();
        assert!(ReplyTemplates::parse(&bad.to_string())
            .unwrap_err()
            .contains("六十日"));
        let mut bad = v.clone();
        let list = bad["templates"].as_array_mut().unwrap();
        list.retain(|t| t["outcome"] != "5-2" && t["outcome"] != "*");
        assert!(ReplyTemplates::parse(&bad.to_string())
            .unwrap_err()
            .contains("5-2"));
        assert!(ReplyTemplates::parse("{}").is_err());
    }

    #[test]
    fn normative_documents_count_by_publication_and_repeal() {
        let docs = [
            IssuedDoc {
                id: "a",
                normative: true,
                published: Some(d("2026-03-01")),
                repealed: None,
            },
            IssuedDoc {
                id: "b",
                normative: true,
                published: Some(d("2024-05-01")),
                repealed: Some(d("2026-06-30")),
            },
            IssuedDoc {
                id: "c",
                normative: true,
                published: Some(d("2025-01-01")),
                repealed: Some(d("2027-01-05")),
            },
            IssuedDoc {
                id: "d",
                normative: false,
                published: Some(d("2026-02-01")),
                repealed: None,
            },
            IssuedDoc {
                id: "e",
                normative: true,
                published: None,
                repealed: None,
            },
        ];
        let [issued, repealed, in_force] = issued_counts(2026, &docs);
        assert_eq!(issued, (1, vec!["a".to_string()]));
        assert_eq!(repealed, (1, vec!["b".to_string()]));
        assert_eq!(
            in_force.0, 2,
            "a and c (repealed only in 2027): {in_force:?}"
        );
        let [i25, r25, f25] = issued_counts(2025, &docs);
        assert_eq!((i25.0, r25.0, f25.0), (1, 0, 2));
    }

    #[test]
    fn applicants_are_masked_in_lists() {
        assert_eq!(mask_applicant("张卫国", "13812345678"), "张** 138****5678");
        assert_eq!(mask_applicant("李", ""), "李*");
        assert_eq!(mask_applicant("", "1234"), "****");
    }

    #[test]
    fn names_parse_from_the_clerks_words() {
        assert_eq!(RequestChannel::parse("网络"), Some(RequestChannel::Online));
        assert_eq!(
            ApplicantType::parse("法律服务机构"),
            Some(ApplicantType::LegalService)
        );
        assert_eq!(ApplicantType::parse("person"), Some(ApplicantType::Person));
        assert_eq!(
            AppealKind::parse("复议后起诉"),
            Some(AppealKind::SuitAfterReview)
        );
        assert_eq!(AppealResult::parse("尚未审结"), Some(AppealResult::Pending));
        assert!(outcome("3-4").is_some_and(|o| o.row == "4.保护第三方合法权益"));
        assert!(outcome("9").is_none());
    }
}
