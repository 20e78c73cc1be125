//! The working-day calendar (工作日): Monday–Friday, less the State Council's days off, plus its
//! 调休 working weekends, from the seeded holiday table; and the time rules counted on it.
//!
//! Counting follows 民法典 第二百零一条 (the trigger day is not counted) and 第二百零三条 (a period
//! whose last day is a day off ends on the next working day). Dates outside the years the table
//! covers are counted Monday–Friday and the result is marked `provisional`.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Why a calendar or time rule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日表格式有误：{0}")]
    BadTable(String),
    #[error("没有编号为 {0} 的时限规则。")]
    UnknownRule(u32),
    #[error("时限规则 {0} 是每年固定日期或频次要求，不能从触发日期推算到期日。")]
    NotCountable(u32),
    #[error("日期超出可计算的范围。")]
    OutOfRange,
}

#[derive(Deserialize)]
struct YearEntry {
    holidays: Vec<NaiveDate>,
    workdays: Vec<NaiveDate>,
}

#[derive(Deserialize)]
struct TableFile {
    years: BTreeMap<String, YearEntry>,
}

/// The holiday table: days off, 调休 working days, and the calendar years it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
}

/// A computed due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub date: NaiveDate,
    /// Some day counted lies beyond the holiday table: Monday–Friday was assumed.
    pub provisional: bool,
}

impl WorkCalendar {
    /// Reads the seeded table (`seeds/holidays.json`: years keyed by the notice year; the union of
    /// all years is used, since a notice can name days of the next or previous calendar year).
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        let t: TableFile = serde_json::from_str(json).map_err(json_problem)?;
        let mut c = WorkCalendar::default();
        for (year, entry) in t.years {
            let y: i32 = year
                .parse()
                .map_err(|_| CalendarError::BadTable(format!("年份“{year}”无效")))?;
            c.years.insert(y);
            c.off.extend(entry.holidays);
            c.on.extend(entry.workdays);
        }
        if let Some(both) = c.off.intersection(&c.on).next() {
            return Err(CalendarError::BadTable(format!(
                "{both} 同时被列为放假日和上班日"
            )));
        }
        Ok(c)
    }

    /// The calendar years the table covers.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// Whether the table covers the date's year.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.years.contains(&d.year())
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.on.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`th working day after `trigger` (the trigger day itself is not counted); days inside
    /// any of `pauses` (inclusive intervals, e.g. waiting for a third party's opinion) do not count.
    pub fn add_working_days(
        &self,
        trigger: NaiveDate,
        n: u32,
        pauses: &[(NaiveDate, NaiveDate)],
    ) -> Result<Due, CalendarError> {
        let mut d = trigger;
        let mut provisional = !self.covers(d);
        let mut counted = 0;
        while counted < n {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            provisional |= !self.covers(d);
            if self.is_working_day(d) && !pauses.iter().any(|(a, b)| *a <= d && d <= *b) {
                counted += 1;
            }
        }
        Ok(Due {
            date: d,
            provisional,
        })
    }

    /// Working days from `from` to `to`: those in `(from, to]` when `to` is later, minus those in
    /// `(to, from]` when it is earlier (so an overdue date gives a negative count).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let n = a
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working_day(*d))
            .count() as i64;
        sign * n
    }

    /// A period of calendar days or months ending on `end`, moved to the next working day when
    /// `end` is a day off (民法典 第二百零三条).
    fn roll(&self, end: NaiveDate, mut provisional: bool) -> Result<Due, CalendarError> {
        let mut d = end;
        provisional |= !self.covers(d);
        while !self.is_working_day(d) {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            provisional |= !self.covers(d);
        }
        Ok(Due {
            date: d,
            provisional,
        })
    }

    /// `n` calendar days after `trigger`, plus the days of `pauses` that fall inside the period.
    pub fn add_calendar_days(
        &self,
        trigger: NaiveDate,
        n: u32,
        pauses: &[(NaiveDate, NaiveDate)],
    ) -> Result<Due, CalendarError> {
        let mut end = trigger
            .checked_add_days(Days::new(n.into()))
            .ok_or(CalendarError::OutOfRange)?;
        for (a, b) in pauses {
            if *b >= trigger && *a <= end {
                let from = (*a).max(trigger.succ_opt().ok_or(CalendarError::OutOfRange)?);
                let days = (*b - from).num_days() + 1;
                if days > 0 {
                    end = end
                        .checked_add_days(Days::new(days as u64))
                        .ok_or(CalendarError::OutOfRange)?;
                }
            }
        }
        self.roll(end, !self.covers(trigger))
    }

    /// `n` months after `trigger`.
    pub fn add_months(&self, trigger: NaiveDate, n: u32) -> Result<Due, CalendarError> {
        let end = trigger
            .checked_add_months(Months::new(n))
            .ok_or(CalendarError::OutOfRange)?;
        self.roll(end, !self.covers(trigger))
    }
}

/// One time rule (`seeds/time-rules.json`, from shared/reference/deadlines.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TimeRule {
    pub id: u32,
    pub trigger: String,
    pub duration: String,
    /// Days or months, for countable rules.
    pub amount: Option<u32>,
    /// `WD` working days, `CD` calendar days, `M` months, `fixed`, `freq`.
    pub unit: String,
    pub action: String,
    pub source: String,
    pub status: String,
}

#[derive(Deserialize)]
struct RulesFile {
    rules: Vec<TimeRule>,
}

/// Parses the seeded time rules.
pub fn time_rules_from_json(json: &str) -> Result<Vec<TimeRule>, CalendarError> {
    serde_json::from_str::<RulesFile>(json)
        .map(|f| f.rules)
        .map_err(json_problem)
}

/// A JSON table that cannot be read, said in Chinese with where (serde's own words are English).
fn json_problem(e: serde_json::Error) -> CalendarError {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof => "不是有效的 JSON 文件",
        Category::Data => "内容与规定的格式不符（缺少项目，或日期不是 YYYY-MM-DD）",
        Category::Io => "无法读取",
    };
    CalendarError::BadTable(format!("{what}（第{}行第{}列）", e.line(), e.column()))
}

/// The due date of `rule` for an event on `trigger`, respecting `pauses`.
pub fn due_date(
    cal: &WorkCalendar,
    rule: &TimeRule,
    trigger: NaiveDate,
    pauses: &[(NaiveDate, NaiveDate)],
) -> Result<Due, CalendarError> {
    let n = rule.amount.ok_or(CalendarError::NotCountable(rule.id))?;
    match rule.unit.as_str() {
        "WD" => cal.add_working_days(trigger, n, pauses),
        "CD" => cal.add_calendar_days(trigger, n, pauses),
        "M" => cal.add_months(trigger, n),
        _ => Err(CalendarError::NotCountable(rule.id)),
    }
}
