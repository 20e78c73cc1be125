//! A document's own deadlines, computed from its trigger events each time they are shown (never
//! stored as fixed dates): the time rules of `seeds/time-rules.json` that apply to a publication,
//! counted on the working-day calendar, with pauses respected.
//!
//! - rule 8: 主动公开 information is published within 20 working days of being formed (第二十六条);
//!   the document is formed when it is signed (签发).
//! - rule 1: the first interpretation material is public within 3 working days of the document's
//!   publication (seed 000 / seed 004).
//! - rule 25: the 保密办 gives its opinion within 10 working days of the request.

use crate::calendar::{due_date, CalendarError, Due, TimeRule, WorkCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The dated events of one publication that start or end a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Events {
    /// Sent for the confidentiality review (entered 已去标识化).
    pub secrecy_requested: Option<NaiveDate>,
    pub secrecy_cleared: Option<NaiveDate>,
    /// 签发 recorded.
    pub signed: Option<NaiveDate>,
    /// The document was published (reported by the central office).
    pub published: Option<NaiveDate>,
    /// The interpretation was published.
    pub interpretation_published: Option<NaiveDate>,
}

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// The trigger event has not happened: nothing runs yet.
    Waiting,
    /// Running, due date ahead (or today).
    Running,
    /// Running and past its due date.
    Overdue,
    /// Done on time.
    Done,
    /// Done after the due date.
    DoneLate,
}

/// One deadline of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub rule_id: u32,
    /// What must be done, in Chinese.
    pub what: String,
    /// The event that starts it, in Chinese.
    pub trigger_label: String,
    pub trigger: Option<NaiveDate>,
    pub due: Option<Due>,
    pub done: Option<NaiveDate>,
    pub state: DueState,
    /// Working days from today to the due date (negative when overdue), while running.
    pub days_left: Option<i64>,
    /// The rule's source, for the clerk.
    pub source: String,
}

/// What decides which obligations apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applies {
    /// 主动公开 or 部分公开.
    pub published: bool,
    pub needs_interpretation: bool,
}

/// The obligations of one publication as of `today`.
pub fn obligations(
    cal: &WorkCalendar,
    rules: &[TimeRule],
    applies: Applies,
    ev: &Events,
    pauses: &[(NaiveDate, NaiveDate)],
    today: NaiveDate,
) -> Result<Vec<Obligation>, CalendarError> {
    // (rule, what, trigger label, trigger date, done date)
    type Plan<'a> = (u32, &'a str, &'a str, Option<NaiveDate>, Option<NaiveDate>);
    let mut plan: Vec<Plan> = vec![(
        25,
        "保密办出具保密审查意见",
        "送保密审查",
        ev.secrecy_requested,
        ev.secrecy_cleared,
    )];
    if applies.published {
        plan.push((
            8,
            "在政府网站等渠道主动公开文件",
            "文件签发（信息形成）",
            ev.signed,
            ev.published,
        ));
    }
    if applies.needs_interpretation {
        plan.push((
            1,
            "发布首次解读材料",
            "文件公开发布",
            ev.published,
            ev.interpretation_published,
        ));
    }
    let mut out = Vec::new();
    for (id, what, trigger_label, trigger, done) in plan {
        let rule = rules
            .iter()
            .find(|r| r.id == id)
            .ok_or(CalendarError::UnknownRule(id))?;
        let due = trigger
            .map(|t| due_date(cal, rule, t, pauses))
            .transpose()?;
        let (state, days_left) = match (due, done) {
            (None, _) => (DueState::Waiting, None),
            (Some(d), Some(done)) if done <= d.date => (DueState::Done, None),
            (Some(_), Some(_)) => (DueState::DoneLate, None),
            (Some(d), None) => {
                let left = cal.working_days_between(today, d.date);
                let state = if today > d.date {
                    DueState::Overdue
                } else {
                    DueState::Running
                };
                (state, Some(left))
            }
        };
        out.push(Obligation {
            rule_id: id,
            what: what.into(),
            trigger_label: trigger_label.into(),
            trigger,
            due,
            done,
            state,
            days_left,
            source: rule.source.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::time_rules_from_json;

    fn cal() -> WorkCalendar {
        WorkCalendar::from_json(include_str!("../../../seeds/holidays.json")).unwrap()
    }

    fn rules() -> Vec<TimeRule> {
        time_rules_from_json(include_str!("../../../seeds/time-rules.json")).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const ALL: Applies = Applies {
        published: true,
        needs_interpretation: true,
    };

    #[test]
    fn nothing_runs_before_its_trigger() {
        let o = obligations(
            &cal(),
            &rules(),
            ALL,
            &Events::default(),
            &[],
            d("2025-09-01"),
        )
        .unwrap();
        assert_eq!(o.len(), 3);
        assert!(o
            .iter()
            .all(|o| o.state == DueState::Waiting && o.due.is_none()));
        let none = Applies {
            published: false,
            needs_interpretation: false,
        };
        let o = obligations(
            &cal(),
            &rules(),
            none,
            &Events::default(),
            &[],
            d("2025-09-01"),
        )
        .unwrap();
        assert_eq!(o.iter().map(|o| o.rule_id).collect::<Vec<_>>(), vec![25]);
    }

    #[test]
    fn the_interpretation_is_due_three_working_days_after_publication_across_national_day() {
        // Published Friday 2025-09-26; 2025-09-28 (Sunday) is a 调休 working day, then
        // 10-01..10-08 are off: the 3rd working day is 2025-09-30.
        let ev = Events {
            signed: Some(d("2025-09-10")),
            published: Some(d("2025-09-26")),
            ..Default::default()
        };
        let o = obligations(&cal(), &rules(), ALL, &ev, &[], d("2025-09-29")).unwrap();
        let interp = o.iter().find(|o| o.rule_id == 1).unwrap();
        assert_eq!(interp.due.unwrap().date, d("2025-09-30"));
        assert_eq!(interp.state, DueState::Running);
        assert_eq!(interp.days_left, Some(1));
        let publish = o.iter().find(|o| o.rule_id == 8).unwrap();
        assert_eq!(publish.state, DueState::Done);
        // On 2025-10-09 it is overdue by one working day.
        let o = obligations(&cal(), &rules(), ALL, &ev, &[], d("2025-10-09")).unwrap();
        let interp = o.iter().find(|o| o.rule_id == 1).unwrap();
        assert_eq!(interp.state, DueState::Overdue);
        assert_eq!(interp.days_left, Some(-1));
    }

    #[test]
    fn pauses_push_the_due_date_and_lateness_is_kept() {
        let ev = Events {
            secrecy_requested: Some(d("2026-03-02")),
            ..Default::default()
        };
        let o = obligations(&cal(), &rules(), ALL, &ev, &[], d("2026-03-02")).unwrap();
        assert_eq!(o[0].due.unwrap().date, d("2026-03-16"));
        let paused = [(d("2026-03-04"), d("2026-03-06"))];
        let o = obligations(&cal(), &rules(), ALL, &ev, &paused, d("2026-03-02")).unwrap();
        assert_eq!(o[0].due.unwrap().date, d("2026-03-19"));
        let late = Events {
            secrecy_cleared: Some(d("2026-03-20")),
            ..ev
        };
        let o = obligations(&cal(), &rules(), ALL, &late, &paused, d("2026-04-01")).unwrap();
        assert_eq!(o[0].state, DueState::DoneLate);
    }
}
