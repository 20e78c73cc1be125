//! The duty board as the window and the CLI ask for it: the duties of the task table and the
//! catalogue for a period, per unit, computed from this PC's records each time (see
//! `gongkai_core::duty`). A unit's PC sees its own lines, from its own records: duty records,
//! its publications placed in a catalogue item, its year figures. The office sees every unit's,
//! from what reached it: the units' duty records (sent like their figures), the bundles it
//! published with their catalogue item and date, the units' figures.

use crate::exchange::Role;
use crate::{Api, ApiError, ApiResult, ErrorCode};
use gongkai_core::duty::{BoardFacts, BoardPeriod, CatalogDuty, DutyBook, UnitRef};
use gongkai_store::{DutyRecordRow, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Ask for the board.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutiesRequest {
    /// Office: one unit only.
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
    /// `YYYY` or `YYYY-Qn`; this year when empty.
    #[ts(optional)]
    #[serde(default)]
    pub period: Option<String>,
    /// The board as it stood on this day (YYYY-MM-DD); today when empty.
    #[ts(optional)]
    #[serde(default)]
    pub on: Option<String>,
}

/// One line of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutyRowView {
    pub duty_id: String,
    /// In the seeds' words.
    pub title: String,
    /// The unit's code (empty: a catalogue 责任主体 that is no unit).
    pub unit: String,
    pub unit_name: String,
    #[ts(optional)]
    pub due: Option<String>,
    /// `upcoming`, `due`, `done`, `overdue`, `stale`.
    pub status: String,
    #[ts(optional)]
    pub since: Option<String>,
    pub fulfilled_by: Vec<String>,
    pub note: String,
    /// A duty record may fulfil it (else a publication or the figures do).
    pub recordable: bool,
    /// A 定期更新 catalogue item: its period in days (the office may change it).
    #[ts(optional)]
    pub period_days: Option<u32>,
}

/// The office sets the period of a 定期更新 catalogue item (empty: back to the default). The
/// units get it with the reference data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutyPeriodRequest {
    pub item: String,
    #[ts(optional)]
    #[serde(default)]
    pub days: Option<u32>,
}

/// The board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutyBoardView {
    pub on: String,
    pub period: String,
    pub rows: Vec<DutyRowView>,
    pub overdue: u32,
    pub stale: u32,
    pub due: u32,
    pub done: u32,
}

/// Write the board as .xlsx (the sheet) or .ics (a calendar of what is not done yet).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutyExportRequest {
    #[serde(flatten)]
    #[ts(flatten)]
    pub board: DutiesRequest,
    pub path: String,
}

/// The board per unit, in the order of the unit list: counts and what is late.
fn summary_of(
    board: &DutyBoardView,
    now: chrono::DateTime<chrono::Utc>,
) -> gongkai_forms::DutySummaryData {
    struct Tally {
        unit_name: String,
        overdue: u32,
        stale: u32,
        due: u32,
        done: u32,
        late_items: Vec<(String, Vec<String>)>,
    }
    let mut units: Vec<Tally> = Vec::new();
    for r in &board.rows {
        let name = if r.unit_name.is_empty() {
            "（未落实到单位）".to_string()
        } else {
            r.unit_name.clone()
        };
        let i = match units.iter().position(|u| u.unit_name == name) {
            Some(i) => i,
            None => {
                units.push(Tally {
                    unit_name: name,
                    overdue: 0,
                    stale: 0,
                    due: 0,
                    done: 0,
                    late_items: Vec::new(),
                });
                units.len() - 1
            }
        };
        let u = &mut units[i];
        match r.status.as_str() {
            "overdue" => u.overdue += 1,
            "stale" => u.stale += 1,
            "due" => u.due += 1,
            "done" => u.done += 1,
            _ => {}
        }
        if matches!(r.status.as_str(), "overdue" | "stale") {
            // One entry per duty, its late dates together (the quarters of one duty).
            let short: String = r.title.trim_start_matches("主动公开目录：").to_string();
            let date = r.due.clone().unwrap_or_default();
            match u.late_items.iter_mut().find(|(t, _)| *t == short) {
                Some((_, dates)) => dates.push(date),
                None => u.late_items.push((short, vec![date])),
            }
        }
    }
    let units = units
        .into_iter()
        .map(|u| gongkai_forms::DutySummaryUnit {
            late_items: u
                .late_items
                .into_iter()
                .map(|(t, dates)| {
                    let dates: Vec<String> = dates.into_iter().filter(|d| !d.is_empty()).collect();
                    if dates.is_empty() {
                        t
                    } else {
                        format!("{t}（{}）", dates.join("、"))
                    }
                })
                .collect(),
            unit_name: u.unit_name,
            overdue: u.overdue,
            stale: u.stale,
            due: u.due,
            done: u.done,
        })
        .collect();
    gongkai_forms::DutySummaryData {
        org_name: String::new(),
        period: board.period.clone(),
        on: board.on.clone(),
        units,
        printed_at: now,
    }
}

/// The status as the clerk reads it.
pub fn status_label(s: &str) -> &'static str {
    match s {
        "overdue" => "已超期",
        "stale" => "未及时更新",
        "due" => "待完成",
        "done" => "已完成",
        _ => "未到期",
    }
}

/// Record a duty done.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DutyRecordRequest {
    pub duty_id: String,
    /// Office: the unit it was done by; a unit's PC: its own (may be left empty).
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
    /// YYYY-MM-DD.
    pub date: String,
    pub note: String,
    /// The due date of the period it answers (YYYY-MM-DD) when done late; empty: the period the
    /// date falls in.
    #[ts(optional)]
    #[serde(default)]
    pub for_due: Option<String>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

impl Api {
    fn duty_book(store: &Store) -> ApiResult<DutyBook> {
        DutyBook::parse(&store.seed_json("duties")?).map_err(internal)
    }

    fn catalog_duties(&self, store: &Store) -> ApiResult<Vec<CatalogDuty>> {
        Ok(self
            .law(store)?
            .catalog
            .into_iter()
            .map(|c| CatalogDuty {
                title: c.path.replace('/', "-"),
                realtime: c.update.contains("实时"),
                id: c.id,
                responsible: c.responsible,
            })
            .collect())
    }

    /// The board (see the module doc).
    pub fn duties_board(&self, req: DutiesRequest) -> ApiResult<DutyBoardView> {
        let on = match req.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => crate::deadlines::date(d)?,
            None => crate::files::local_date(self.clock.now()),
        };
        let period = match req
            .period
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(p) => BoardPeriod::parse(p)
                .ok_or_else(|| ApiError::invalid("期间请写成年份（2026）或季度（2026-Q3）。"))?,
            None => BoardPeriod {
                year: chrono::Datelike::year(&on),
                quarter: None,
            },
        };
        let store = self.store()?;
        let book = Self::duty_book(&store)?;
        let catalog = self.catalog_duties(&store)?;
        let all: Vec<UnitRef> = store
            .units()?
            .into_iter()
            .map(|u| UnitRef {
                id: u.id,
                name: u.name,
                kind: u.kind,
            })
            .collect();
        let role = Self::role_in(&store)?;
        let clerk = Self::clerk(&store)?;
        let chosen = req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let units: Vec<UnitRef> = match role {
            Role::Unit => {
                if chosen.is_some_and(|u| u != clerk.unit_id) {
                    return Err(ApiError::invalid("本机只显示本单位的职责。"));
                }
                all.iter()
                    .filter(|u| u.id == clerk.unit_id)
                    .cloned()
                    .collect()
            }
            Role::Office => match chosen {
                Some(u) => {
                    let found: Vec<UnitRef> = all.iter().filter(|x| x.id == u).cloned().collect();
                    if found.is_empty() {
                        return Err(ApiError::invalid(format!(
                            "没有代码为 {u} 的单位，请从单位列表中选择。"
                        )));
                    }
                    found
                }
                None => all.clone(),
            },
        };
        let facts = self.board_facts(&store, role, &clerk.unit_id, on)?;
        let rows = book.board(&catalog, &units, &all, &facts, period, on);
        let name = |id: &str| {
            all.iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let count = |s: &str| rows.iter().filter(|r| r.status == s).count() as u32;
        let view = DutyBoardView {
            on: on.to_string(),
            period: match period.quarter {
                Some(q) => format!("{}-Q{q}", period.year),
                None => period.year.to_string(),
            },
            overdue: count("overdue"),
            stale: count("stale"),
            due: count("due"),
            done: count("done"),
            rows: rows
                .iter()
                .map(|r| DutyRowView {
                    recordable: book
                        .duties
                        .iter()
                        .any(|d| d.id == r.duty_id && d.fulfil == "record"),
                    period_days: catalog
                        .iter()
                        .find(|c| c.id == r.duty_id && !c.realtime)
                        .map(|c| book.period_of(&c.id)),
                    duty_id: r.duty_id.clone(),
                    title: r.title.clone(),
                    unit_name: name(&r.unit),
                    unit: r.unit.clone(),
                    due: r.due.map(|d| d.to_string()),
                    status: r.status.clone(),
                    since: r.since.map(|d| d.to_string()),
                    fulfilled_by: r.fulfilled_by.clone(),
                    note: r.note.clone(),
                })
                .collect(),
        };
        Ok(view)
    }

    fn board_facts(
        &self,
        store: &Store,
        role: Role,
        own: &str,
        on: chrono::NaiveDate,
    ) -> ApiResult<BoardFacts> {
        let mut facts = BoardFacts {
            consultations: self.consult_facts(store, own, on)?,
            records: store
                .duty_records()?
                .into_iter()
                .filter(|r| role == Role::Office || r.unit_id == own)
                .map(|r| gongkai_core::duty::DutyRecord {
                    duty_id: r.duty_id,
                    unit: r.unit_id,
                    date: r.on_date,
                    for_due: r.for_due,
                    what: r.note,
                })
                .collect(),
            ..Default::default()
        };
        match role {
            Role::Unit => {
                for (doc, published, _) in store.published_documents()? {
                    let item = store
                        .publication(doc)?
                        .disclosure
                        .and_then(|d| d.catalog_item);
                    if let Some(item) = item {
                        let title = store.head(doc)?.fields.title;
                        facts
                            .publications
                            .push((item, own.to_string(), published, title));
                    }
                }
                for n in store.register_notes_for_kind(crate::transfer::KIND_FIGURES)? {
                    let body: serde_json::Value =
                        serde_json::from_str(&n.body).map_err(internal)?;
                    let year = body["data"]["year"].as_i64().unwrap_or_default() as i32;
                    let on = chrono::DateTime::parse_from_rfc3339(&n.created_at)
                        .map(|t| crate::files::local_date(t.with_timezone(&chrono::Utc)))
                        .map_err(internal)?;
                    facts.reports.push((own.to_string(), year, on));
                }
            }
            Role::Office => {
                for row in store.intake_list()? {
                    if row.status != "published" {
                        continue;
                    }
                    let Ok(sub) = gongkai_bundle::read_submission(&row.bundle) else {
                        continue;
                    };
                    let Some(item) = sub.catalog_item else {
                        continue;
                    };
                    let published = store
                        .receipts_for(&row.submission_id)?
                        .iter()
                        .filter_map(|r| {
                            let v: serde_json::Value = serde_json::from_slice(&r.body).ok()?;
                            v["decision"]["published_on"].as_str()?.parse().ok()
                        })
                        .max();
                    if let Some(on) = published {
                        facts.publications.push((
                            item,
                            row.unit_code.clone(),
                            on,
                            row.title.clone(),
                        ));
                    }
                }
                for r in store.all_unit_figures()? {
                    let on = chrono::DateTime::parse_from_rfc3339(&r.sent_at)
                        .map(|t| crate::files::local_date(t.with_timezone(&chrono::Utc)))
                        .map_err(internal)?;
                    facts.reports.push((r.unit_code, r.year, on));
                }
            }
        }
        Ok(facts)
    }

    /// Sets a 定期更新 item's period (see [`DutyPeriodRequest`]): a new version of the `duties`
    /// reference data, signed and sent to the units with the office's next sync or bag.
    pub fn duties_set_period(&self, req: DutyPeriodRequest) -> ApiResult<DutyBoardView> {
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let item = req.item.trim();
        let catalog = self.catalog_duties(&store)?;
        let Some(c) = catalog.iter().find(|c| c.id == item) else {
            return Err(ApiError::invalid(format!(
                "公开目录中没有编号为 {item} 的栏目。"
            )));
        };
        if c.realtime {
            return Err(ApiError::invalid(format!(
                "“{}”为实时更新栏目（信息形成或变更之日起20个工作日内公开），没有更新周期可设。",
                c.title
            )));
        }
        if req.days.is_some_and(|d| !(1..=3660).contains(&d)) {
            return Err(ApiError::invalid("更新周期请填1到3660天。"));
        }
        let mut v: serde_json::Value =
            serde_json::from_str(&store.seed_json("duties")?).map_err(internal)?;
        let default = v["catalog_period_days"].as_u64().unwrap_or(90) as u32;
        if !v["catalog_periods"].is_object() {
            v["catalog_periods"] = serde_json::json!({});
        }
        if let Some(map) = v["catalog_periods"].as_object_mut() {
            match req.days.filter(|d| *d != default) {
                Some(d) => {
                    map.insert(item.to_string(), d.into());
                }
                None => {
                    map.remove(item);
                }
            }
        }
        let json = v.to_string();
        DutyBook::parse(&json).map_err(ApiError::invalid)?;
        let version = store
            .seed_versions()?
            .into_iter()
            .find(|(n, _, _)| n == "duties")
            .map_or(1, |(_, v, _)| v + 1);
        store.apply_dataset(
            &gongkai_store::Dataset {
                name: "duties".into(),
                version,
                json,
            },
            self.clock.now(),
        )?;
        drop(store);
        self.duties_board(DutiesRequest::default())
    }

    /// Writes the board (see [`DutyExportRequest`]).
    pub fn duties_export(&self, req: DutyExportRequest) -> ApiResult<crate::WrittenFile> {
        let path = std::path::PathBuf::from(req.path.trim());
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("xlsx" | "ics" | "pdf")) {
            return Err(ApiError::invalid(
                "职责看板可导出为 .pdf（A4 汇总表）、.xlsx（表格）或 .ics（日历）：请以这三种扩展名之一命名文件。",
            ));
        }
        let board = self.duties_board(req.board)?;
        if ext.as_deref() == Some("pdf") {
            let bytes = gongkai_forms::render_duty_summary(&summary_of(&board, self.clock.now()))
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            return crate::files::write_atomic(&path, &bytes);
        }
        let lines: Vec<gongkai_report::BoardLine> = board
            .rows
            .iter()
            .map(|r| gongkai_report::BoardLine {
                key: format!(
                    "{}-{}-{}",
                    r.duty_id,
                    r.unit,
                    r.due.as_deref().unwrap_or("")
                ),
                title: r.title.clone(),
                unit_name: r.unit_name.clone(),
                due: r.due.as_deref().and_then(|d| d.parse().ok()),
                status: status_label(&r.status).into(),
                done: r.status == "done",
                detail: if !r.fulfilled_by.is_empty() {
                    r.fulfilled_by.join("；")
                } else if let Some(since) = &r.since {
                    format!("自 {since} 起未更新")
                } else {
                    r.note.clone()
                },
            })
            .collect();
        let title = format!("职责看板 {}（截至 {}）", board.period, board.on);
        let bytes = if ext.as_deref() == Some("xlsx") {
            gongkai_report::board_xlsx(&title, &lines)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        } else {
            gongkai_report::board_ics(&title, &lines).into_bytes()
        };
        crate::files::write_atomic(&path, &bytes)
    }

    /// Records a duty done (see `gongkai_store::DutyRecordRow`). At a unit's PC the record also
    /// goes to the office with the next sync or bag.
    pub fn duties_record(&self, req: DutyRecordRequest) -> ApiResult<DutyBoardView> {
        self.record_duty(req, "record")
    }

    /// Records a duty whose fulfilment is `fulfil` (`record`: the clerk's; `year_end_review`:
    /// the app's, when the year's review is finished).
    pub(crate) fn record_duty(
        &self,
        req: DutyRecordRequest,
        fulfil: &str,
    ) -> ApiResult<DutyBoardView> {
        let date = crate::deadlines::date(&req.date)?;
        if date > crate::files::local_date(self.clock.now()) {
            return Err(ApiError::invalid("完成日期不能晚于今天，请核对。"));
        }
        let note = req.note.trim();
        if note.is_empty() {
            return Err(ApiError::invalid(
                "请写明做了什么（如：培训名称和人数、汇报会议、公开的网址）。",
            ));
        }
        let mut store = self.store()?;
        let book = Self::duty_book(&store)?;
        if !book
            .duties
            .iter()
            .any(|d| d.id == req.duty_id && d.fulfil == fulfil)
        {
            let ids: Vec<&str> = book
                .duties
                .iter()
                .filter(|d| d.fulfil == "record")
                .map(|d| d.id.as_str())
                .collect();
            return Err(ApiError::invalid(format!(
                "职责 {} 不能登记完成情况（目录栏目由公开的文件、年度报告由报送的数据完成）；可登记的有：{}",
                req.duty_id,
                ids.join("、")
            )));
        }
        let role = Self::role_in(&store)?;
        let clerk = Self::clerk(&store)?;
        let chosen = req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let unit = match (role, chosen) {
            (Role::Unit, Some(u)) if u != clerk.unit_id => {
                return Err(ApiError::invalid("本机只能登记本单位的完成情况。"));
            }
            (Role::Unit, _) => clerk.unit_id.clone(),
            (Role::Office, Some(u)) => u.to_string(),
            (Role::Office, None) => {
                return Err(ApiError::invalid("请选择完成这项职责的单位。"));
            }
        };
        if store.unit(&unit).is_err() {
            return Err(ApiError::invalid(format!(
                "没有代码为 {unit} 的单位，请从单位列表中选择。"
            )));
        }
        let for_due = match req
            .for_due
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => Some(crate::deadlines::date(d)?),
            None => None,
        };
        let row = DutyRecordRow {
            record_id: self.ids.new_uuid().to_string(),
            duty_id: req.duty_id.clone(),
            unit_id: unit.clone(),
            on_date: date,
            for_due,
            note: note.to_string(),
            by: clerk.name.clone(),
        };
        // At a unit the record goes to the office, queued with the same write.
        if role == Role::Unit {
            let (n, _) = self.new_note(
                crate::transfer::KIND_DUTY,
                &unit,
                "office",
                "",
                crate::transfer::DutyData::from(&row),
            )?;
            store.duty_record_add_noting(&row, &n, self.clock.now())?;
        } else {
            store.duty_record_add(&row, self.clock.now())?;
        }
        drop(store);
        self.duties_board(DutiesRequest {
            unit: (role == Role::Office).then_some(unit),
            period: Some(chrono::Datelike::year(&for_due.unwrap_or(date)).to_string()),
            on: None,
        })
    }
}
