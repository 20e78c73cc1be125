//! 征求意见: a document out for public comment, and the loop the catalogue demands (seed 004:
//! 有意见征集就要有意见反馈，有意见反馈就要有决策公布，各环节要有始有终).
//!
//! - **The window** runs from its first to its last day, both counted, in calendar days: 1 to 30
//!   November is 30 days. Seed 000 item 3 asks for at least 30 (重大行政决策向社会公开征求意见的，
//!   征求意见期限不少于30日); a shorter window is refused unless the clerk gives a reason, and is
//!   marked as short wherever it is shown.
//! - **Comments** are counted and grouped by the article or subject they address; each is 采纳,
//!   部分采纳 or 未予采纳 (the last two with the reason), or still 待研究.
//! - **The feedback** (采纳情况) is a text the clerk writes — [`feedback_draft`] gives a first
//!   version from the comments — that is de-identified before it leaves and travels with the
//!   decision in its bundle.
//! - **The decision's publication** closes the loop.
//!
//! Each step has a due date ([`steps`]): the window's last day; the feedback and the decision
//! within the office's number of working days after the window closed ([`ConsultRules`], shipped
//! in `seeds/duties.json`).

use crate::calendar::{CalendarError, WorkCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The office's rules for consultations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultRules {
    /// The shortest window, in calendar days, both ends counted (seed 000 item 3: 30).
    pub min_days: u32,
    /// The feedback is due this many working days after the window's last day.
    pub feedback_working_days: u32,
    /// The decision is due this many working days after the window's last day.
    pub decision_working_days: u32,
}

impl Default for ConsultRules {
    fn default() -> Self {
        ConsultRules {
            min_days: 30,
            feedback_working_days: 20,
            decision_working_days: 20,
        }
    }
}

/// Why a consultation step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsultError {
    #[error("征求意见的截止日期早于开始日期，请核对。")]
    Reversed,
    #[error("征求意见期只有{days}天，少于{min}天（种子000第3项：征求意见期限不少于30日）；确需缩短的，请写明理由。")]
    TooShort { days: u32, min: u32 },
    #[error("{0}的意见请写明理由。")]
    ReasonMissing(&'static str),
    #[error("意见内容为空。")]
    EmptyComment,
}

/// A consultation's window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Calendar days, both ends counted.
    pub days: u32,
    /// Shorter than the rule (allowed only with a reason).
    pub short: bool,
}

impl Window {
    /// The window from `from` to `to` as the rule measures it (no check: see [`check_window`]).
    pub fn span(from: NaiveDate, to: NaiveDate, rules: ConsultRules) -> Window {
        let days = ((to - from).num_days() + 1).max(0) as u32;
        Window {
            from,
            to,
            days,
            short: days < rules.min_days,
        }
    }
}

/// Checks a window: the last day not before the first; at least `min_days` unless `reason` says
/// why not.
pub fn check_window(
    from: NaiveDate,
    to: NaiveDate,
    reason: &str,
    rules: ConsultRules,
) -> Result<Window, ConsultError> {
    if to < from {
        return Err(ConsultError::Reversed);
    }
    let w = Window::span(from, to, rules);
    if w.short && reason.trim().is_empty() {
        return Err(ConsultError::TooShort {
            days: w.days,
            min: rules.min_days,
        });
    }
    Ok(w)
}

/// What became of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Adoption {
    Pending,
    Adopted,
    Partly,
    NotAdopted,
}

impl Adoption {
    /// As the feedback names it.
    pub fn label(self) -> &'static str {
        match self {
            Adoption::Pending => "待研究",
            Adoption::Adopted => "采纳",
            Adoption::Partly => "部分采纳",
            Adoption::NotAdopted => "未予采纳",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Adoption::Pending => "pending",
            Adoption::Adopted => "adopted",
            Adoption::Partly => "partly",
            Adoption::NotAdopted => "not_adopted",
        }
    }

    pub fn parse(s: &str) -> Option<Adoption> {
        Some(match s.trim() {
            "pending" | "待研究" | "" => Adoption::Pending,
            "adopted" | "采纳" | "已采纳" => Adoption::Adopted,
            "partly" | "部分采纳" => Adoption::Partly,
            "not_adopted" | "未采纳" | "未予采纳" | "不予采纳" => Adoption::NotAdopted,
            _ => return None,
        })
    }

    /// 部分采纳 and 未予采纳 need the reason (seed 000 item 3: 较为集中意见不予采纳的原因).
    pub fn check(self, reason: &str) -> Result<(), ConsultError> {
        if matches!(self, Adoption::Partly | Adoption::NotAdopted) && reason.trim().is_empty() {
            return Err(ConsultError::ReasonMissing(self.label()));
        }
        Ok(())
    }
}

/// A comment as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The article or subject it addresses (the group).
    pub topic: String,
    pub text: String,
    pub adoption: Adoption,
    pub reason: String,
}

/// The comments of one topic, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TopicCount {
    pub topic: String,
    pub total: u32,
    pub adopted: u32,
    pub partly: u32,
    pub not_adopted: u32,
    pub pending: u32,
}

/// The topic a comment with none is grouped under.
pub const NO_TOPIC: &str = "其他";

/// The comments grouped by topic, the largest group first (ties in the order first seen).
pub fn group(comments: &[Comment]) -> Vec<TopicCount> {
    let mut groups: Vec<TopicCount> = Vec::new();
    for c in comments {
        let topic = match c.topic.trim() {
            "" => NO_TOPIC,
            t => t,
        };
        let i = match groups.iter().position(|g| g.topic == topic) {
            Some(i) => i,
            None => {
                groups.push(TopicCount {
                    topic: topic.to_string(),
                    total: 0,
                    adopted: 0,
                    partly: 0,
                    not_adopted: 0,
                    pending: 0,
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        g.total += 1;
        match c.adoption {
            Adoption::Adopted => g.adopted += 1,
            Adoption::Partly => g.partly += 1,
            Adoption::NotAdopted => g.not_adopted += 1,
            Adoption::Pending => g.pending += 1,
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.total));
    groups
}

fn cn_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A first version of the feedback (采纳情况) from the comments: how many, per topic how many
/// were adopted, and why those not adopted were not. It repeats no commenter and no comment's
/// wording beyond its topic, and is de-identified again before it leaves.
pub fn feedback_draft(title: &str, window: &Window, comments: &[Comment]) -> String {
    let groups = group(comments);
    let count = |a: Adoption| comments.iter().filter(|c| c.adoption == a).count();
    let mut s = format!(
        "《{title}》于{}至{}向社会公开征求意见，共收到意见建议{}条",
        cn_date(window.from),
        cn_date(window.to),
        comments.len()
    );
    if comments.is_empty() {
        s.push_str("。\n");
        return s;
    }
    s.push_str(&format!(
        "，其中采纳{}条，部分采纳{}条，未予采纳{}条",
        count(Adoption::Adopted),
        count(Adoption::Partly),
        count(Adoption::NotAdopted)
    ));
    let pending = count(Adoption::Pending);
    if pending > 0 {
        s.push_str(&format!("，尚在研究{pending}条"));
    }
    s.push_str("。具体情况如下：\n");
    for (i, g) in groups.iter().enumerate() {
        s.push_str(&format!(
            "{}. 关于“{}”的意见{}条：采纳{}条，部分采纳{}条，未予采纳{}条。",
            i + 1,
            g.topic,
            g.total,
            g.adopted,
            g.partly,
            g.not_adopted
        ));
        let mut reasons: Vec<&str> = Vec::new();
        for c in comments.iter().filter(|c| {
            matches!(c.adoption, Adoption::Partly | Adoption::NotAdopted)
                && match c.topic.trim() {
                    "" => g.topic == NO_TOPIC,
                    t => t == g.topic,
                }
        }) {
            let r = c.reason.trim();
            if !r.is_empty() && !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        if !reasons.is_empty() {
            s.push_str(&format!("未予采纳或部分采纳的理由：{}", reasons.join("；")));
            if !s.ends_with('。') {
                s.push('。');
            }
        }
        s.push('\n');
    }
    s
}

/// One step of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// `collect`, `feedback`, `decision`.
    pub key: String,
    /// 意见征集, 意见反馈, 决策公布.
    pub title: String,
    pub due: NaiveDate,
    /// When it was done (the collection: the window's last day once passed).
    pub done_on: Option<NaiveDate>,
    /// The due date counted on a calendar that does not cover it (to be checked).
    pub provisional: bool,
}

/// A consultation's steps with their dates, as of `on`: the feedback done when it was
/// confirmed after its de-identification review, the decision when the document was published
/// (or the clerk recorded its publication).
pub fn steps(
    window: &Window,
    feedback_on: Option<NaiveDate>,
    decision_on: Option<NaiveDate>,
    on: NaiveDate,
    cal: &WorkCalendar,
    rules: ConsultRules,
) -> Result<Vec<Step>, CalendarError> {
    let feedback = cal.add_working_days(window.to, rules.feedback_working_days, &[])?;
    let decision = cal.add_working_days(window.to, rules.decision_working_days, &[])?;
    let upto = |d: Option<NaiveDate>| d.filter(|d| *d <= on);
    Ok(vec![
        Step {
            key: "collect".into(),
            title: "意见征集".into(),
            due: window.to,
            done_on: (on > window.to).then_some(window.to),
            provisional: !cal.covers(window.to),
        },
        Step {
            key: "feedback".into(),
            title: "意见反馈".into(),
            due: feedback.date,
            done_on: upto(feedback_on),
            provisional: feedback.provisional,
        },
        Step {
            key: "decision".into(),
            title: "决策公布".into(),
            due: decision.date,
            done_on: upto(decision_on),
            provisional: decision.provisional,
        },
    ])
}

/// Whether the document may go into its bundle: the window has closed, every comment has been
/// decided, and the feedback has been written and its de-identification confirmed.
pub fn bundle_gate(
    window: &Window,
    on: NaiveDate,
    pending_comments: u32,
    feedback_confirmed: bool,
) -> Result<(), String> {
    if on <= window.to {
        return Err(format!(
            "这份文件正在征求意见（截至{}），征求意见期满、写好意见反馈后才能报送。",
            cn_date(window.to)
        ));
    }
    if pending_comments > 0 {
        return Err(format!(
            "还有{pending_comments}条意见未确定采纳情况，请在“征求意见”中逐条确定。"
        ));
    }
    if !feedback_confirmed {
        return Err(
            "有意见征集就要有意见反馈：请在“征求意见”中写好采纳情况并完成去标识化确认后再报送。"
                .into(),
        );
    }
    Ok(())
}

/// One comment read from a file, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedComment {
    pub received: NaiveDate,
    /// 网站, 信函, 电子邮件, 座谈会 … as the file says (may be empty).
    pub channel: String,
    /// Who commented (personal information: kept on this PC, never exported).
    pub commenter: String,
    pub topic: String,
    pub text: String,
}

/// Why a comments file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentFileError {
    #[error("意见文件为空。")]
    Empty,
    #[error("意见文件第{line}行：{message}")]
    Line { line: usize, message: String },
    #[error("意见表缺少“意见内容”列（表头应含：收到日期、渠道、意见人、条款、意见内容）。")]
    NoTextColumn,
}

/// A text file's text: UTF-8 (with or without BOM), else GB18030 (what Excel's “CSV (逗号分隔)”
/// and Notepad's ANSI write on a Chinese Windows).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    None
}

/// Reads comments from a file: a table (`.csv`, header row naming 收到日期, 渠道, 意见人, 条款 and
/// 意见内容 in any order; only 意见内容 is required) or plain text (`.txt`: one comment per
/// paragraph, paragraphs separated by a blank line, received on `default_date`).
pub fn parse_comments(
    bytes: &[u8],
    csv: bool,
    default_date: NaiveDate,
) -> Result<Vec<ImportedComment>, CommentFileError> {
    let text = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(CommentFileError::Empty);
    }
    if !csv {
        let normal = text.replace("\r\n", "\n");
        return Ok(normal
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| ImportedComment {
                received: default_date,
                channel: String::new(),
                commenter: String::new(),
                topic: String::new(),
                text: p.to_string(),
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CommentFileError::Line {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().contains(n)))
    };
    let text_col =
        col(&["意见内容", "意见建议", "内容", "意见"]).ok_or(CommentFileError::NoTextColumn)?;
    let date_col = col(&["日期", "时间"]);
    let channel_col = col(&["渠道", "方式", "来源"]);
    let who_col = col(&["意见人", "提出人", "姓名", "单位"]).filter(|c| *c != text_col);
    let topic_col = col(&["条款", "条目", "主题", "类别"]);
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| CommentFileError::Line {
            line,
            message: e.to_string(),
        })?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        };
        let body = get(Some(text_col));
        if body.is_empty() {
            continue;
        }
        let raw_date = get(date_col);
        let received = if raw_date.is_empty() {
            default_date
        } else {
            parse_date(&raw_date).ok_or_else(|| CommentFileError::Line {
                line,
                message: format!("收到日期“{raw_date}”看不懂，请写成 2026-11-05"),
            })?
        };
        out.push(ImportedComment {
            received,
            channel: get(channel_col),
            commenter: get(who_col),
            topic: get(topic_col),
            text: body,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::from_json(include_str!("../../../seeds/holidays.json")).unwrap()
    }

    #[test]
    fn thirty_days_counts_both_ends_and_shorter_needs_a_reason() {
        let r = ConsultRules::default();
        let w = check_window(d("2026-11-01"), d("2026-11-30"), "", r).unwrap();
        assert_eq!((w.days, w.short), (30, false));
        assert_eq!(
            check_window(d("2026-11-01"), d("2026-11-29"), "  ", r),
            Err(ConsultError::TooShort { days: 29, min: 30 })
        );
        let w = check_window(d("2026-11-01"), d("2026-11-15"), "上级部署时限紧", r).unwrap();
        assert_eq!((w.days, w.short), (15, true));
        assert_eq!(
            check_window(d("2026-11-02"), d("2026-11-01"), "x", r),
            Err(ConsultError::Reversed)
        );
    }

    #[test]
    fn not_adopted_needs_its_reason() {
        assert!(Adoption::NotAdopted.check("").is_err());
        assert!(Adoption::Partly.check(" ").is_err());
        assert!(Adoption::Adopted.check("").is_ok());
        assert!(Adoption::NotAdopted.check("与上位法不一致").is_ok());
    }

    fn c(topic: &str, a: Adoption, reason: &str) -> Comment {
        Comment {
            topic: topic.into(),
            text: "意见".into(),
            adoption: a,
            reason: reason.into(),
        }
    }

    #[test]
    fn comments_group_by_topic_largest_first_and_the_draft_counts_them() {
        let cs = vec![
            c("第三条", Adoption::Adopted, ""),
            c("第五条", Adoption::NotAdopted, "超出本文件调整范围"),
            c("第五条", Adoption::Partly, "已部分体现在第六条"),
            c("", Adoption::Pending, ""),
            c("第五条", Adoption::NotAdopted, "超出本文件调整范围"),
        ];
        let g = group(&cs);
        assert_eq!(g[0].topic, "第五条");
        assert_eq!((g[0].total, g[0].not_adopted, g[0].partly), (3, 2, 1));
        assert_eq!(g.iter().map(|g| g.total).sum::<u32>(), 5);
        assert!(g.iter().any(|g| g.topic == NO_TOPIC && g.pending == 1));
        let w = check_window(
            d("2026-11-01"),
            d("2026-11-30"),
            "",
            ConsultRules::default(),
        )
        .unwrap();
        let text = feedback_draft("停车管理办法", &w, &cs);
        assert!(
            text.contains("共收到意见建议5条，其中采纳1条，部分采纳1条，未予采纳2条，尚在研究1条")
        );
        assert!(text.contains("关于“第五条”的意见3条"));
        // A reason given twice is said once.
        assert_eq!(text.matches("超出本文件调整范围").count(), 1);
    }

    #[test]
    fn steps_count_working_days_from_the_windows_last_day() {
        let w = check_window(
            d("2026-09-01"),
            d("2026-09-30"),
            "",
            ConsultRules::default(),
        )
        .unwrap();
        // 国庆 2026: 1–7 October off (the calendar's own figures), so 20 working days run on.
        let s = steps(
            &w,
            None,
            None,
            d("2026-10-09"),
            &cal(),
            ConsultRules::default(),
        )
        .unwrap();
        let expected = cal()
            .add_working_days(d("2026-09-30"), 20, &[])
            .unwrap()
            .date;
        assert_eq!(s[1].due, expected);
        assert!(
            expected > d("2026-10-28"),
            "holidays are skipped: {expected}"
        );
        assert_eq!(s[0].done_on, Some(d("2026-09-30")));
        assert_eq!(s[1].done_on, None);
        // A feedback recorded after `on` does not count yet.
        let s = steps(
            &w,
            Some(d("2026-10-20")),
            None,
            d("2026-10-19"),
            &cal(),
            ConsultRules::default(),
        )
        .unwrap();
        assert_eq!(s[1].done_on, None);
    }

    #[test]
    fn the_bundle_waits_for_the_window_the_comments_and_the_feedback() {
        let w = check_window(
            d("2026-11-01"),
            d("2026-11-30"),
            "",
            ConsultRules::default(),
        )
        .unwrap();
        assert!(bundle_gate(&w, d("2026-11-30"), 0, true).is_err());
        assert!(bundle_gate(&w, d("2026-12-01"), 1, true)
            .unwrap_err()
            .contains("1条意见"));
        assert!(bundle_gate(&w, d("2026-12-01"), 0, false)
            .unwrap_err()
            .contains("意见反馈"));
        assert!(bundle_gate(&w, d("2026-12-01"), 0, true).is_ok());
    }

    #[test]
    fn a_csv_from_excel_in_gbk_reads_with_its_columns_in_any_order() {
        let csv = "意见内容,条款,收到日期,意见人\n建议延长夜间停车时段,第三条,2026/11/05,张三\n\"含逗号,的意见\",,,\n,第四条,,空行跳过\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(csv);
        let got = parse_comments(&gbk, true, d("2026-11-30")).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].received, d("2026-11-05"));
        assert_eq!(
            (got[0].topic.as_str(), got[0].commenter.as_str()),
            ("第三条", "张三")
        );
        assert_eq!(got[1].text, "含逗号,的意见");
        assert_eq!(got[1].received, d("2026-11-30"));
        let bad = "意见内容,收到日期\n好,十一月\n";
        assert!(matches!(
            parse_comments(bad.as_bytes(), true, d("2026-11-30")),
            Err(CommentFileError::Line { line: 2, .. })
        ));
        assert_eq!(
            parse_comments("姓名,电话\n张三,1\n".as_bytes(), true, d("2026-11-30")),
            Err(CommentFileError::NoTextColumn)
        );
    }

    #[test]
    fn a_text_file_is_one_comment_per_paragraph() {
        let got = parse_comments(
            "\u{feff}第一条意见\r\n续行\r\n\r\n第二条意见\n\n\n".as_bytes(),
            false,
            d("2026-11-30"),
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "第一条意见\n续行");
    }

    proptest! {
        #[test]
        fn any_bytes_read_or_refused_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), csv in any::<bool>()) {
            let _ = parse_comments(&bytes, csv, d("2026-11-30"));
        }

        #[test]
        fn any_window_is_refused_or_at_least_the_minimum_unless_a_reason(a in 0i64..800, len in -5i64..60, reason in proptest::bool::ANY) {
            let from = d("2026-01-01") + chrono::Duration::days(a);
            let to = from + chrono::Duration::days(len);
            let r = check_window(from, to, if reason { "理由" } else { "" }, ConsultRules::default());
            match r {
                Ok(w) => prop_assert!(w.days >= 30 || (reason && w.short)),
                Err(_) => prop_assert!(len < 29),
            }
        }
    }
}
