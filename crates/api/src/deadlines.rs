//! The working-day calendar and the time rules through the API (the CLI's `calendar` and
//! `deadline` commands; the deadline panel of the workflow builds on these).

use crate::{Api, ApiError, ApiResult};
use chrono::NaiveDate;
use gongkai_core::{due_date, time_rules_from_json, CalendarError, TimeRule, WorkCalendar};
use gongkai_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Add working days to a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddWorkdaysRequest {
    /// `YYYY-MM-DD`
    pub date: String,
    pub days: u32,
}

/// Compute a rule's due date from its trigger event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeadlineRequest {
    pub rule_id: u32,
    /// `YYYY-MM-DD`
    pub trigger: String,
    /// Pauses (e.g. waiting for a third party's opinion) as `[from, to]`, inclusive.
    #[serde(default)]
    pub pauses: Vec<(String, String)>,
}

/// A computed date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DueView {
    /// `YYYY-MM-DD`
    pub date: String,
    /// A day counted lies beyond the holiday table (Monday–Friday assumed).
    pub provisional: bool,
}

/// A rule's due date with the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeadlineView {
    pub rule: TimeRule,
    pub trigger: String,
    pub due: DueView,
}

pub(crate) fn date(s: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(format!(
            "日期“{s}”格式不正确，应写成 YYYY-MM-DD，如 2026-03-05。"
        ))
    })
}

fn cal_err(e: CalendarError) -> ApiError {
    ApiError::invalid(e.to_string())
}

impl Api {
    pub(crate) fn calendar_in(&self, store: &Store) -> ApiResult<WorkCalendar> {
        WorkCalendar::from_json(&store.seed_json("holidays")?).map_err(cal_err)
    }

    pub(crate) fn time_rules_in(&self, store: &Store) -> ApiResult<Vec<TimeRule>> {
        time_rules_from_json(&store.seed_json("time_rules")?).map_err(cal_err)
    }

    fn calendar(&self) -> ApiResult<WorkCalendar> {
        self.calendar_in(&*self.store()?)
    }

    /// The seeded time rules.
    pub fn time_rules(&self) -> ApiResult<Vec<TimeRule>> {
        self.time_rules_in(&*self.store()?)
    }

    /// The `days`th working day after `date`.
    pub fn calendar_add_workdays(&self, req: AddWorkdaysRequest) -> ApiResult<DueView> {
        if req.days > 3660 {
            return Err(ApiError::invalid("工作日数过大（不超过3660）。"));
        }
        let due = self
            .calendar()?
            .add_working_days(date(&req.date)?, req.days, &[])
            .map_err(cal_err)?;
        Ok(DueView {
            date: due.date.to_string(),
            provisional: due.provisional,
        })
    }

    /// The due date of a time rule for an event on `trigger`.
    pub fn deadline(&self, req: DeadlineRequest) -> ApiResult<DeadlineView> {
        let rules = self.time_rules()?;
        let rule = rules
            .into_iter()
            .find(|r| r.id == req.rule_id)
            .ok_or_else(|| cal_err(CalendarError::UnknownRule(req.rule_id)))?;
        let trigger = date(&req.trigger)?;
        let pauses = req
            .pauses
            .iter()
            .map(|(a, b)| Ok((date(a)?, date(b)?)))
            .collect::<ApiResult<Vec<_>>>()?;
        let due = due_date(&self.calendar()?, &rule, trigger, &pauses).map_err(cal_err)?;
        Ok(DeadlineView {
            rule,
            trigger: trigger.to_string(),
            due: DueView {
                date: due.date.to_string(),
                provisional: due.provisional,
            },
        })
    }
}
