//! The duty board: what each unit owes, by when, and what fulfilled it.
//!
//! Duties are data (`seeds/duties.json`, from the task table 000, and every item of the disclosure
//! catalogue 004): each with its units, a cadence and what fulfils it. The board is computed from
//! records each time it is shown — duty records the clerk made, publications placed in a
//! catalogue item, the year figures sent for the annual report — never stored.
//!
//! Statuses: `done` (with the records that did it), `overdue` (the due date passed), `due`
//! (due within [`DUE_SOON_DAYS`] or the period is running), `upcoming`, and `stale` for a
//! catalogue item updated 定期 whose last publication is older than its period (since the day
//! it went stale).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A dated duty counts as `due` this many days before its date.
pub const DUE_SOON_DAYS: i64 = 30;

/// The duties file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyBook {
    /// Days after which a 定期更新 catalogue item goes stale when the office set none for it.
    pub catalog_period_days: u32,
    /// The office's period per catalogue item id.
    #[serde(default)]
    pub catalog_periods: BTreeMap<String, u32>,
    /// Catalogue 责任主体 names that are not written as a unit's name (e.g. 网安支队).
    #[serde(default)]
    pub unit_aliases: BTreeMap<String, String>,
    /// The rules for 征求意见 (window, feedback and decision dates).
    #[serde(default)]
    pub consultation: crate::consultation::ConsultRules,
    pub duties: Vec<DutyDef>,
}

/// One duty of the task table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyDef {
    pub id: String,
    /// In the seed's words.
    pub title: String,
    /// Where the seed says so.
    pub source: String,
    /// `quarterly`, or `annual` with `by` (`MM-DD`).
    pub cadence: String,
    #[serde(default)]
    pub by: Option<String>,
    /// Unit ids, or `["*"]` for every 局直单位 (kind `unit`).
    pub units: Vec<String>,
    /// `record` (a duty record the clerk makes), `annual_report` (the year figures sent) or
    /// `year_end_review` (recorded by the app when the year's attribute review is finished).
    pub fulfil: String,
}

/// A unit as the board needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    pub id: String,
    pub name: String,
    pub kind: String,
}

/// A catalogue item as the board needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogDuty {
    pub id: String,
    pub title: String,
    /// 责任主体 as the catalogue writes them.
    pub responsible: Vec<String>,
    /// 实时更新 (else 定期更新).
    pub realtime: bool,
}

/// What the records say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFacts {
    /// Each duty record.
    pub records: Vec<DutyRecord>,
    /// (catalogue item, unit, publication date, what) of each publication.
    pub publications: Vec<(String, String, NaiveDate, String)>,
    /// (unit, report year, date sent) of the year figures.
    pub reports: Vec<(String, i32, NaiveDate)>,
    /// Each consultation with its steps.
    pub consultations: Vec<ConsultFact>,
}

/// A consultation as the board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultFact {
    pub doc_id: String,
    pub unit: String,
    pub title: String,
    pub window: crate::consultation::Window,
    pub comments: u32,
    pub steps: Vec<crate::consultation::Step>,
}

/// A duty done, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyRecord {
    pub duty_id: String,
    pub unit: String,
    pub date: NaiveDate,
    /// The due date of the period it answers when done late; else it answers the period its
    /// date falls in.
    pub for_due: Option<NaiveDate>,
    pub what: String,
}

/// The period the board covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardPeriod {
    pub year: i32,
    /// 1–4, or the whole year.
    pub quarter: Option<u32>,
}

impl BoardPeriod {
    /// `YYYY` or `YYYY-Qn`.
    pub fn parse(s: &str) -> Option<BoardPeriod> {
        let s = s.trim();
        let (y, q) = match s.split_once('-') {
            Some((y, q)) => (y, Some(q.strip_prefix(['Q', 'q'])?.parse::<u32>().ok()?)),
            None => (s, None),
        };
        let year = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        if q.is_some_and(|q| !(1..=4).contains(&q)) {
            return None;
        }
        Some(BoardPeriod { year, quarter: q })
    }

    fn span(self) -> (NaiveDate, NaiveDate) {
        match self.quarter {
            Some(q) => quarter_span(self.year, q),
            None => (ymd(self.year, 1, 1), ymd(self.year, 12, 31)),
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn quarter_span(year: i32, q: u32) -> (NaiveDate, NaiveDate) {
    let start = ymd(year, 3 * q - 2, 1);
    let end = if q == 4 {
        ymd(year, 12, 31)
    } else {
        ymd(year, 3 * q + 1, 1) - Duration::days(1)
    };
    (start, end)
}

/// One line of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyRow {
    pub duty_id: String,
    pub title: String,
    pub unit: String,
    pub due: Option<NaiveDate>,
    /// `upcoming`, `due`, `done`, `overdue`, `stale`.
    pub status: String,
    pub since: Option<NaiveDate>,
    pub fulfilled_by: Vec<String>,
    /// Extra words for the clerk (e.g. 信息变化后20个工作日内).
    pub note: String,
}

fn dated_status(due: NaiveDate, done: bool, on: NaiveDate, running: bool) -> &'static str {
    if done {
        "done"
    } else if on > due {
        "overdue"
    } else if running || (due - on).num_days() <= DUE_SOON_DAYS {
        "due"
    } else {
        "upcoming"
    }
}

impl DutyBook {
    /// Reads the duties file.
    pub fn parse(json: &str) -> Result<DutyBook, String> {
        let b: DutyBook =
            serde_json::from_str(json).map_err(|e| format!("职责清单格式不对：{e}"))?;
        for d in &b.duties {
            match (d.cadence.as_str(), d.by.as_deref()) {
                ("quarterly", _) => {}
                ("annual", Some(by)) if parse_md(by).is_some() => {}
                _ => return Err(format!("职责 {} 的时限写法不对", d.id)),
            }
            if !matches!(
                d.fulfil.as_str(),
                "record" | "annual_report" | "year_end_review"
            ) {
                return Err(format!("职责 {} 的完成方式不对", d.id));
            }
        }
        if b.catalog_period_days == 0 || b.catalog_periods.values().any(|d| *d == 0) {
            return Err("目录定期更新的周期须大于0天".into());
        }
        if b.consultation.min_days == 0 {
            return Err("征求意见的最短期限须大于0天".into());
        }
        Ok(b)
    }

    /// The period of a 定期更新 catalogue item.
    pub fn period_of(&self, item: &str) -> u32 {
        self.catalog_periods
            .get(item)
            .copied()
            .unwrap_or(self.catalog_period_days)
    }

    /// Sets the period of a 定期更新 item (`None`: back to the default). Refuses 0 days.
    pub fn set_period(&mut self, item: &str, days: Option<u32>) -> Result<(), String> {
        match days {
            Some(0) => Err("更新周期须大于0天".into()),
            Some(d) if d != self.catalog_period_days => {
                self.catalog_periods.insert(item.to_string(), d);
                Ok(())
            }
            _ => {
                self.catalog_periods.remove(item);
                Ok(())
            }
        }
    }

    /// The units a list names (`*`: every 局直单位); names that are no unit are returned apart.
    fn resolve(&self, names: &[String], units: &[UnitRef]) -> (Vec<String>, Vec<String>) {
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for n in names {
            if n == "*" || n == "各单位" || n == "局直各单位" {
                ids.extend(
                    units
                        .iter()
                        .filter(|u| u.kind == "unit")
                        .map(|u| u.id.clone()),
                );
            } else if let Some(u) = units.iter().find(|u| &u.id == n || &u.name == n) {
                ids.push(u.id.clone());
            } else if let Some(id) = self.unit_aliases.get(n) {
                ids.push(id.clone());
            } else {
                unknown.push(n.clone());
            }
        }
        ids.dedup();
        (ids, unknown)
    }

    /// The board for `period` as it stood on `on`, for every unit in `units` (a unit's PC
    /// passes only its own). Catalogue items whose 责任主体 is no unit are listed with the unit
    /// left empty and the names in the note (the office sees them; a unit never owes them).
    pub fn board(
        &self,
        catalog: &[CatalogDuty],
        units: &[UnitRef],
        all_units: &[UnitRef],
        facts: &BoardFacts,
        period: BoardPeriod,
        on: NaiveDate,
    ) -> Vec<DutyRow> {
        let wanted = |id: &str| units.iter().any(|u| u.id == id);
        let (start, end) = period.span();
        let mut rows = Vec::new();
        for d in &self.duties {
            let (ids, _) = self.resolve(&d.units, all_units);
            for unit in ids.iter().filter(|u| wanted(u)) {
                // A record answers the period it names (done late), else the one its date is in.
                let records = |from: NaiveDate, to: NaiveDate, due: NaiveDate| -> Vec<String> {
                    facts
                        .records
                        .iter()
                        .filter(|r| {
                            r.duty_id == d.id
                                && &r.unit == unit
                                && r.date <= on
                                && match r.for_due {
                                    Some(f) => f == due,
                                    None => r.date >= from && r.date <= to,
                                }
                        })
                        .map(|r| format!("{} {}", r.date, r.what))
                        .collect()
                };
                if d.cadence == "quarterly" {
                    for q in 1..=4 {
                        let (qs, qe) = quarter_span(period.year, q);
                        if qe < start || qs > end {
                            continue;
                        }
                        let by = records(qs, qe, qe);
                        let status = if qs > on && by.is_empty() {
                            "upcoming"
                        } else {
                            dated_status(qe, !by.is_empty(), on, on >= qs)
                        };
                        rows.push(row(d, unit, Some(qe), status, None, by, ""));
                    }
                    continue;
                }
                let Some((m, dd)) = d.by.as_deref().and_then(parse_md) else {
                    continue;
                };
                let due = ymd(period.year, m, dd);
                if due < start || due > end {
                    continue;
                }
                let by: Vec<String> = if d.fulfil == "annual_report" {
                    // The report of the year before, sent by its 31 January.
                    facts
                        .reports
                        .iter()
                        .filter(|(u, y, date)| u == unit && *y == period.year - 1 && *date <= on)
                        .map(|(_, y, date)| format!("{date} 报送{y}年度报告数据"))
                        .collect()
                } else {
                    records(ymd(period.year, 1, 1), ymd(period.year, 12, 31), due)
                };
                let status = dated_status(due, !by.is_empty(), on, false);
                rows.push(row(d, unit, Some(due), status, None, by, ""));
            }
        }
        for c in facts.consultations.iter().filter(|c| wanted(&c.unit)) {
            let short = if c.window.short {
                format!("（{}天，短于规定）", c.window.days)
            } else {
                String::new()
            };
            let def = DutyDef {
                id: format!("征求意见:{}", c.doc_id),
                title: String::new(),
                source: "000 序号3；004 决策公开".into(),
                cadence: String::new(),
                by: None,
                units: Vec::new(),
                fulfil: String::new(),
            };
            for s in &c.steps {
                if s.due < start || s.due > end {
                    continue;
                }
                let def = DutyDef {
                    id: format!("{}:{}", def.id, s.key),
                    title: format!("征求意见《{}》：{}", c.title, s.title),
                    ..def.clone()
                };
                let (status, by, note) = if s.key == "collect" {
                    let note = format!("征求意见期 {} 至 {}{short}", c.window.from, c.window.to);
                    if on < c.window.from {
                        ("upcoming", Vec::new(), note)
                    } else if on <= c.window.to {
                        ("due", vec![format!("已收到意见{}条", c.comments)], note)
                    } else {
                        (
                            "done",
                            vec![format!("{} 期满，收到意见{}条", c.window.to, c.comments)],
                            note,
                        )
                    }
                } else {
                    let by: Vec<String> = s
                        .done_on
                        .map(|d| format!("{d} {}", s.title))
                        .into_iter()
                        .collect();
                    let status = dated_status(s.due, !by.is_empty(), on, on > c.window.to);
                    let note = if s.provisional {
                        "截止日期超出节假日表范围，待核对".to_string()
                    } else {
                        "有意见征集就要有意见反馈，有意见反馈就要有决策公布".to_string()
                    };
                    (status, by, note)
                };
                rows.push(row(&def, &c.unit, Some(s.due), status, None, by, &note));
            }
        }
        for item in catalog {
            let (mut ids, unknown) = self.resolve(&item.responsible, all_units);
            ids.retain(|u| wanted(u));
            let title = format!("主动公开目录：{}", item.title);
            let def = DutyDef {
                id: item.id.clone(),
                title,
                source: "004".into(),
                cadence: String::new(),
                by: None,
                units: Vec::new(),
                fulfil: String::new(),
            };
            if ids.is_empty() && units.len() > 1 {
                let who = if unknown.is_empty() {
                    "目录未写明责任主体".to_string()
                } else {
                    format!("责任主体“{}”未对应到单位", unknown.join("、"))
                };
                rows.push(row(&def, "", None, "upcoming", None, Vec::new(), &who));
                continue;
            }
            for unit in &ids {
                let last = facts
                    .publications
                    .iter()
                    .filter(|(i, u, date, _)| i == &item.id && u == unit && *date <= on)
                    .max_by_key(|(_, _, date, _)| *date);
                let by: Vec<String> = last
                    .map(|(_, _, date, what)| format!("{date} {what}"))
                    .into_iter()
                    .collect();
                if item.realtime {
                    let status = if by.is_empty() { "upcoming" } else { "done" };
                    rows.push(row(
                        &def,
                        unit,
                        None,
                        status,
                        None,
                        by,
                        "实时更新：信息形成或变更之日起20个工作日内公开（条例第二十六条）",
                    ));
                    continue;
                }
                let days = self.period_of(&item.id) as i64;
                let note = format!("定期更新：每{days}天至少更新一次");
                match last {
                    Some((_, _, date, _)) => {
                        let due = *date + Duration::days(days);
                        if on > due {
                            rows.push(row(&def, unit, Some(due), "stale", Some(due), by, &note));
                        } else {
                            let status = if (due - on).num_days() <= DUE_SOON_DAYS {
                                "due"
                            } else {
                                "done"
                            };
                            rows.push(row(&def, unit, Some(due), status, None, by, &note));
                        }
                    }
                    None => rows.push(row(&def, unit, None, "due", None, by, &note)),
                }
            }
        }
        rows
    }
}

fn row(
    d: &DutyDef,
    unit: &str,
    due: Option<NaiveDate>,
    status: &str,
    since: Option<NaiveDate>,
    fulfilled_by: Vec<String>,
    note: &str,
) -> DutyRow {
    DutyRow {
        duty_id: d.id.clone(),
        title: d.title.clone(),
        unit: unit.into(),
        due,
        status: status.into(),
        since,
        fulfilled_by,
        note: note.into(),
    }
}

fn parse_md(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

/// The quarter of a date (1–4).
pub fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rec(id: &str, unit: &str, date: &str, for_due: Option<&str>, what: &str) -> DutyRecord {
        DutyRecord {
            duty_id: id.into(),
            unit: unit.into(),
            date: d(date),
            for_due: for_due.map(d),
            what: what.into(),
        }
    }

    fn units() -> Vec<UnitRef> {
        [
            ("zhzx-wsgaban", "指挥中心网上公安办公室", "office"),
            ("zazd", "治安支队", "unit"),
            ("xfc", "信访处", "unit"),
            ("wazd", "网络安全保卫支队", "unit"),
        ]
        .iter()
        .map(|(id, name, kind)| UnitRef {
            id: id.to_string(),
            name: name.to_string(),
            kind: kind.to_string(),
        })
        .collect()
    }

    const SHIPPED: &str = include_str!("../../../seeds/duties.json");

    fn book() -> DutyBook {
        DutyBook::parse(SHIPPED).unwrap()
    }

    fn find<'a>(rows: &'a [DutyRow], id: &str, unit: &str, due: Option<&str>) -> &'a DutyRow {
        rows.iter()
            .find(|r| r.duty_id == id && r.unit == unit && due.is_none_or(|x| r.due == Some(d(x))))
            .unwrap_or_else(|| panic!("{id} {unit} {due:?} not on {rows:#?}"))
    }

    #[test]
    fn periods_parse_as_written_and_nothing_else() {
        assert_eq!(
            BoardPeriod::parse("2026-Q3"),
            Some(BoardPeriod {
                year: 2026,
                quarter: Some(3)
            })
        );
        assert_eq!(
            BoardPeriod::parse("2026"),
            Some(BoardPeriod {
                year: 2026,
                quarter: None
            })
        );
        for bad in ["2026-Q5", "26", "2026-3", "Q1", ""] {
            assert_eq!(BoardPeriod::parse(bad), None, "{bad}");
        }
        assert_eq!(quarter_span(2026, 1), (d("2026-01-01"), d("2026-03-31")));
        assert_eq!(quarter_span(2026, 4), (d("2026-10-01"), d("2026-12-31")));
    }

    /// A hand-made table: the quarterly progress update, the annual duties and the report, on
    /// given dates.
    #[test]
    fn the_task_table_duties_by_unit_and_date() {
        let b = book();
        let u = units();
        let facts = BoardFacts {
            records: vec![
                rec("T01", "zazd", "2026-03-20", None, "一季度进展"),
                rec("T01", "zazd", "2026-07-02", None, "三季度进展"),
                rec(
                    "T01",
                    "xfc",
                    "2026-07-20",
                    Some("2026-06-30"),
                    "二季度进展（补）",
                ),
                rec("T09-2", "zhzx-wsgaban", "2026-05-10", None, "通识培训"),
            ],
            publications: Vec::new(),
            reports: vec![("zazd".into(), 2025, d("2026-01-20"))],
            consultations: Vec::new(),
        };
        let year = BoardPeriod {
            year: 2026,
            quarter: None,
        };
        let on = d("2026-08-15");
        let rows = b.board(&[], &u, &u, &facts, year, on);
        // 政府工作报告 progress: 治安支队 did Q1; its July record counts in Q3 (a record counts in
        // its own quarter unless it names another), so Q2 is overdue. 信访处 did Q2 late.
        assert_eq!(
            find(&rows, "T01", "zazd", Some("2026-03-31")).status,
            "done"
        );
        assert_eq!(
            find(&rows, "T01", "zazd", Some("2026-06-30")).status,
            "overdue"
        );
        let q3 = find(&rows, "T01", "zazd", Some("2026-09-30"));
        assert_eq!((q3.status.as_str(), q3.fulfilled_by.len()), ("done", 1));
        assert_eq!(
            find(&rows, "T01", "zazd", Some("2026-12-31")).status,
            "upcoming"
        );
        let late = find(&rows, "T01", "xfc", Some("2026-06-30"));
        assert_eq!(late.status, "done");
        assert_eq!(
            late.fulfilled_by,
            vec!["2026-07-20 二季度进展（补）".to_string()]
        );
        // Before the late record was made, that quarter was overdue; the record does not count
        // for the quarter its date is in.
        let before = b.board(&[], &u, &u, &facts, year, d("2026-07-10"));
        assert_eq!(
            find(&before, "T01", "xfc", Some("2026-06-30")).status,
            "overdue"
        );
        assert_eq!(find(&rows, "T01", "xfc", Some("2026-09-30")).status, "due");
        assert!(!rows.iter().any(|r| r.duty_id == "T01" && r.unit == "wazd"));
        // The office's annual duties: training done, 回头看 overdue, year-end review upcoming.
        assert_eq!(find(&rows, "T09-2", "zhzx-wsgaban", None).status, "done");
        assert_eq!(find(&rows, "T09-3", "zhzx-wsgaban", None).status, "overdue");
        assert_eq!(
            find(&rows, "T07-3", "zhzx-wsgaban", None).status,
            "upcoming"
        );
        // The annual report of 2025, due 31 January 2026: 治安支队 sent, 信访处 did not.
        let r = find(&rows, "R14", "zazd", None);
        assert_eq!((r.status.as_str(), r.due), ("done", Some(d("2026-01-31"))));
        assert_eq!(find(&rows, "R14", "xfc", None).status, "overdue");
        // On 10 January the same report is due, not overdue.
        let early = b.board(&[], &u, &u, &facts, year, d("2026-01-10"));
        assert_eq!(find(&early, "R14", "xfc", None).status, "due");
        // A quarter only.
        let q = b.board(
            &[],
            &u,
            &u,
            &facts,
            BoardPeriod {
                year: 2026,
                quarter: Some(2),
            },
            on,
        );
        assert!(q
            .iter()
            .filter(|r| r.duty_id == "T01")
            .all(|r| r.due == Some(d("2026-06-30"))));
        // A unit's PC sees its own lines only.
        let mine = b.board(&[], &u[1..2], &u, &facts, year, on);
        assert!(mine.iter().all(|r| r.unit == "zazd"));
        assert!(mine.iter().any(|r| r.duty_id == "R14"));
    }

    #[test]
    fn a_catalogue_item_goes_stale_exactly_a_period_after_its_last_publication() {
        let mut b = book();
        b.catalog_periods.insert("C24".into(), 90);
        let u = units();
        let cat = vec![
            CatalogDuty {
                id: "C24".into(),
                title: "人事信息-人事任免".into(),
                responsible: vec!["治安支队".into()],
                realtime: false,
            },
            CatalogDuty {
                id: "C01".into(),
                title: "机构职能-机构概况".into(),
                responsible: vec!["网安支队".into()],
                realtime: true,
            },
            CatalogDuty {
                id: "C31".into(),
                title: "建议提案".into(),
                responsible: vec!["承担回复任务的单位".into()],
                realtime: false,
            },
        ];
        let facts = BoardFacts {
            publications: vec![(
                "C24".into(),
                "zazd".into(),
                d("2026-03-02"),
                "任免通知".into(),
            )],
            ..Default::default()
        };
        let year = BoardPeriod {
            year: 2026,
            quarter: None,
        };
        let at = |on: &str| b.board(&cat, &u, &u, &facts, year, d(on));
        let last_day = at("2026-05-31"); // 2 March + 90 days
        let r = find(&last_day, "C24", "zazd", None);
        assert_eq!((r.status.as_str(), r.due), ("due", Some(d("2026-05-31"))));
        assert_eq!(r.fulfilled_by, vec!["2026-03-02 任免通知".to_string()]);
        let next = at("2026-06-01");
        let r = find(&next, "C24", "zazd", None);
        assert_eq!(
            (r.status.as_str(), r.since),
            ("stale", Some(d("2026-05-31")))
        );
        assert_eq!(find(&at("2026-03-10"), "C24", "zazd", None).status, "done");
        // Before any publication it is due, with no date.
        assert_eq!(find(&at("2026-02-01"), "C24", "zazd", None).status, "due");
        // The alias reaches its unit; a 实时更新 item is upcoming until something is published.
        assert_eq!(find(&next, "C01", "wazd", None).status, "upcoming");
        // A 责任主体 that is no unit is shown at the office, named.
        let orphan = find(&next, "C31", "", None);
        assert!(
            orphan.note.contains("承担回复任务的单位"),
            "{}",
            orphan.note
        );
        // A unit's PC never sees it.
        assert!(b
            .board(&cat, &u[1..2], &u, &facts, year, d("2026-06-01"))
            .iter()
            .all(|r| r.unit == "zazd"));
    }

    #[test]
    fn a_broken_duties_file_is_refused() {
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
        v["duties"][0]["cadence"] = "monthly".into();
        assert!(DutyBook::parse(&v.to_string())
            .unwrap_err()
            .contains("时限"));
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
        v["catalog_period_days"] = 0.into();
        assert!(DutyBook::parse(&v.to_string()).is_err());
    }

    /// A consultation's three steps land on the board with their dates, for the unit that holds
    /// the document, and move from due to done as the records say.
    #[test]
    fn a_consultations_steps_are_on_the_board_with_their_dates() {
        use crate::consultation::{check_window, steps, ConsultRules};
        let cal =
            crate::WorkCalendar::from_json(include_str!("../../../seeds/holidays.json")).unwrap();
        let b = book();
        let u = units();
        let rules = ConsultRules::default();
        let w = check_window(d("2026-09-01"), d("2026-09-30"), "", rules).unwrap();
        let fact = |feedback: Option<&str>, on: &str| ConsultFact {
            doc_id: "doc1".into(),
            unit: "zazd".into(),
            title: "停车管理办法".into(),
            window: w.clone(),
            comments: 4,
            steps: steps(&w, feedback.map(d), None, d(on), &cal, rules).unwrap(),
        };
        let feedback_due = cal.add_working_days(d("2026-09-30"), 20, &[]).unwrap().date;
        let board = |facts: &BoardFacts, on: &str| {
            let year = BoardPeriod::parse("2026").unwrap();
            b.board(&[], &u[1..2], &u, facts, year, d(on))
        };
        let running = BoardFacts {
            consultations: vec![fact(None, "2026-09-10")],
            ..Default::default()
        };
        let rows = board(&running, "2026-09-10");
        let collect = find(&rows, "征求意见:doc1:collect", "zazd", Some("2026-09-30"));
        assert_eq!(collect.status, "due");
        assert!(collect.fulfilled_by[0].contains("4条"));
        assert_eq!(
            find(&rows, "征求意见:doc1:feedback", "zazd", None).due,
            Some(feedback_due)
        );
        // The day after the feedback's due date with no feedback: overdue; the window done.
        let after = (feedback_due + Duration::days(1)).to_string();
        let late = BoardFacts {
            consultations: vec![fact(None, &after)],
            ..Default::default()
        };
        let rows = board(&late, &after);
        assert_eq!(
            find(&rows, "征求意见:doc1:collect", "zazd", None).status,
            "done"
        );
        assert_eq!(
            find(&rows, "征求意见:doc1:feedback", "zazd", None).status,
            "overdue"
        );
        assert_eq!(
            find(&rows, "征求意见:doc1:decision", "zazd", None).status,
            "overdue"
        );
        let fed = BoardFacts {
            consultations: vec![fact(Some("2026-10-12"), &after)],
            ..Default::default()
        };
        assert_eq!(
            find(&board(&fed, &after), "征求意见:doc1:feedback", "zazd", None).status,
            "done"
        );
        // Another unit's board does not show it.
        let year = BoardPeriod::parse("2026").unwrap();
        assert!(b
            .board(&[], &u[2..3], &u, &fed, year, d(&after))
            .iter()
            .all(|r| !r.duty_id.starts_with("征求意见")));
    }

    #[test]
    fn a_period_set_to_the_default_is_the_default_again() {
        let mut b = book();
        b.set_period("C05", Some(30)).unwrap();
        assert_eq!(b.period_of("C05"), 30);
        assert!(b.set_period("C05", Some(0)).is_err());
        b.set_period("C05", Some(b.catalog_period_days)).unwrap();
        assert!(b.catalog_periods.is_empty());
    }
}
