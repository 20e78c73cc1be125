//! 依申请公开, as the window and the CLI ask for it: record an application, its 补正, the pauses
//! for a third party's or another body's opinion, the extension, the reply and any 复议 or 诉讼;
//! the register with each application's clock (computed every time from the working-day
//! calendar); and tables 三 and 四 of the annual report counted from the register, each number
//! with the applications behind it. The applicant's name and contact are shown masked.

use crate::deadlines::date;
use crate::{Api, ApiError, ApiResult, ErrorCode};
use gongkai_core::request::{
    annual_tables, outcome, AppealKind, AppealResult, ApplicantType, ClockFacts, ClockPause,
    Counted, Extension, RequestChannel, OUTCOMES,
};
use gongkai_core::WorkCalendar;
use gongkai_store::{AppealRecord, ReplyRecord, RequestRow};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Record an application.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestNewRequest {
    /// YYYY-MM-DD.
    pub received: String,
    /// 当面、信函、网络、传真、其他.
    pub channel: String,
    /// 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他.
    pub applicant_type: String,
    #[serde(default)]
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_contact: String,
    /// What is asked.
    pub content: String,
    /// The unit that must answer (转办); empty: this PC's unit.
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
}

/// A change to an application's clock or its reply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestChangeRequest {
    pub request_id: String,
    /// `correct`: 补正 asked on `date`, the corrected application received on `to` (optional);
    /// `pause`: `date`..`to` waiting for `reason` (第三方 or 其他机关); `extend`: on `date`,
    /// approved by `by`, for `reason`; `reply`: `outcome` on `date`; `appeal`: `kind`, `result`.
    /// 转办: at the unit `draft` (`outcome`, the note in `reason`); at the office `accept`
    /// (reply on `date`, today if empty) or `return` (with `reason`).
    pub action: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub result: String,
}

/// One reply type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutcomeView {
    pub id: String,
    /// The report's row, e.g. `（三）不予公开 1.属于国家秘密`.
    pub label: String,
    pub article: String,
}

/// The reply of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplyView {
    pub outcome: OutcomeView,
    pub date: String,
    pub by: String,
    /// Within the period.
    pub on_time: bool,
}

/// One application with its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestView {
    pub request_id: String,
    pub serial: String,
    pub received: String,
    pub channel: String,
    pub applicant_type: String,
    /// Masked (张**, 138****5678).
    pub applicant: String,
    pub content: String,
    pub unit_id: String,
    /// `open`, `awaiting_correction`, `due_soon`, `overdue`, `replied`.
    pub status: String,
    /// The reply's due date.
    pub due: String,
    /// Part of the period lies beyond the holiday table.
    pub due_provisional: bool,
    /// Working days left (negative: overdue), while open.
    #[ts(optional)]
    pub days_left: Option<i32>,
    pub correction_due: String,
    #[ts(optional)]
    pub correction_asked: Option<String>,
    #[ts(optional)]
    pub corrected_received: Option<String>,
    pub pauses: Vec<ClockPause>,
    #[ts(optional)]
    pub extension: Option<Extension>,
    #[ts(optional)]
    pub reply: Option<ReplyView>,
    pub appeals: Vec<AppealView>,
    /// `local` (recorded here), `office` (at a unit: passed on by the office, which keeps the
    /// clock and replies), `assigned` (at the office: passed on to `unit_id`).
    pub origin: String,
    /// The unit's draft reply of a passed-on application.
    #[ts(optional)]
    pub draft: Option<DraftView>,
    /// Register messages about it not yet sent (they go with the next sync).
    pub unsent: u32,
}

/// A unit's draft reply of a passed-on application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftView {
    pub outcome: OutcomeView,
    pub note: String,
    pub by: String,
    pub at: String,
    /// `sent`, `accepted`, `returned`.
    pub state: String,
    /// The office's reason when returned.
    pub reason: String,
}

/// A 复议 or 诉讼.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppealView {
    pub kind: String,
    pub result: String,
    pub recorded_on: String,
}

/// The register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestListRequest {
    /// Only those not answered yet.
    #[serde(default)]
    pub open: bool,
}

/// One cell of the annual report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportCell {
    pub table: String,
    pub group: String,
    pub row: String,
    pub column_group: String,
    pub column: String,
    /// A count, or 万元 for 行政事业性收费 (written without a fraction when whole).
    #[serde(serialize_with = "whole_or_fraction")]
    #[ts(type = "number")]
    pub value: f64,
    /// What was counted: applications' serials, documents' titles, or who entered the figure.
    pub records: Vec<String>,
}

fn whole_or_fraction<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && *v >= 0.0 && *v < 1e15 {
        s.serialize_u64(*v as u64)
    } else {
        s.serialize_f64(*v)
    }
}

/// Tables 三 and 四 of a year's report, with the sections the clerk writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnnualReport {
    pub year: i32,
    pub cells: Vec<ReportCell>,
    /// 一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项 of this year …
    pub texts: ReportTexts,
    /// … and of the year before, to write beside.
    pub last_year: ReportTexts,
    /// Table 二's figures the clerk enters.
    pub figures: Vec<FigureView>,
    /// Table 三's rows in the format's order, with their headings and indents.
    pub rows_three: Vec<ThreeRow>,
    /// The format's check rule holds: 一 + 二 = （七）总计 + 四 in every column.
    pub balanced: bool,
}

/// One printed row of table 三 (its numbers are the cells of its `group` and `row`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThreeRow {
    pub label: String,
    pub level: u8,
    /// The cells' group (empty for a heading row, which has no numbers).
    pub group: String,
    pub heading: bool,
}

/// A figure of table 二 the clerk enters, with who entered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FigureView {
    /// `licensing`, `penalty`, `coercion`, `fees`.
    pub key: String,
    /// The format's row, e.g. 行政处罚.
    pub label: String,
    /// 万元 (行政事业性收费) rather than a count.
    pub amount: bool,
    #[ts(optional)]
    pub value: Option<f64>,
    #[ts(optional)]
    pub entered_by: Option<String>,
    #[ts(optional)]
    pub entered_at: Option<String>,
}

/// Enter (or clear, with no value) a figure of table 二.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFigureRequest {
    pub year: i32,
    pub key: String,
    #[ts(optional)]
    pub value: Option<f64>,
}

#[derive(Serialize, Deserialize)]
struct StoredFigure {
    value: f64,
    by: String,
    at: String,
}

fn figures_of(store: &gongkai_store::Store, year: i32) -> ApiResult<Vec<FigureView>> {
    gongkai_core::request::ENTERED_FIGURES
        .iter()
        .map(|(key, label, amount)| {
            let stored: Option<StoredFigure> = store
                .setting(&format!("report.{year}.figure.{key}"))?
                .and_then(|s| serde_json::from_str(&s).ok());
            Ok(FigureView {
                key: key.to_string(),
                label: label.to_string(),
                amount: *amount,
                value: stored.as_ref().map(|f| f.value),
                entered_by: stored.as_ref().map(|f| f.by.clone()),
                entered_at: stored.map(|f| f.at),
            })
        })
        .collect()
}

/// 本年制发, 本年废止, 现行有效, each with the documents counted.
type IssuedRow = [(u32, Vec<String>); 3];

/// Table 二（一）: (规章 row, 行政规范性文件 row), each 制发/废止/现行有效 with the titles counted.
fn table_two_docs(
    store: &gongkai_store::Store,
    year: i32,
) -> ApiResult<Vec<(&'static str, IssuedRow)>> {
    // Only published documents can count: their head revisions are read, no others.
    let mut docs = Vec::new();
    for (doc_id, published, repealed) in store.published_documents()? {
        let doc = store.document(doc_id)?;
        let rev = store.revision(doc.head_rev_id)?;
        docs.push((
            doc.title,
            rev.fields.doc_type == gongkai_core::DocType::Normative,
            Some(published),
            repealed,
        ));
    }
    let issued: Vec<gongkai_core::request::IssuedDoc<'_>> = docs
        .iter()
        .map(
            |(title, normative, published, repealed)| gongkai_core::request::IssuedDoc {
                id: title,
                normative: *normative,
                published: *published,
                repealed: *repealed,
            },
        )
        .collect();
    Ok(vec![
        ("规章", Default::default()),
        (
            "行政规范性文件",
            gongkai_core::request::issued_counts(year, &issued),
        ),
    ])
}

/// The text sections of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportTexts {
    pub overview: String,
    pub problems: String,
    pub other: String,
}

/// Save one text section of a year's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportTextRequest {
    pub year: i32,
    /// `overview`, `problems` or `other`.
    pub section: String,
    pub text: String,
}

/// Write the year's report as .docx (GB/T 9704) or .xlsx (by the path's extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportExportRequest {
    pub year: i32,
    pub path: String,
}

const SECTIONS: [&str; 3] = ["overview", "problems", "other"];

/// Write the 答复书 of an answered application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestLetterRequest {
    pub request_id: String,
    pub path: String,
}

/// The regulation's articles from the law dataset: (article, paragraphs).
fn articles(store: &gongkai_store::Store) -> ApiResult<Vec<(String, Vec<String>)>> {
    #[derive(Deserialize)]
    struct Law {
        articles: Vec<Article>,
    }
    #[derive(Deserialize)]
    struct Article {
        article: String,
        paragraphs: Vec<String>,
    }
    let law: Law = serde_json::from_str(&store.seed_json("disclosure_law")?)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("条例数据有误：{e}")))?;
    Ok(law
        .articles
        .into_iter()
        .map(|a| (a.article, a.paragraphs))
        .collect())
}

fn texts_of(store: &gongkai_store::Store, year: i32) -> ApiResult<ReportTexts> {
    let get = |s: &str| -> ApiResult<String> {
        Ok(store
            .setting(&format!("report.{year}.{s}"))?
            .unwrap_or_default())
    };
    Ok(ReportTexts {
        overview: get("overview")?,
        problems: get("problems")?,
        other: get("other")?,
    })
}

/// Which year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnnualRequest {
    pub year: i32,
}

/// Days before the due date from which an open application counts as due soon.
const DUE_SOON: i64 = 5;

/// A reply type by id, or a message saying where the ids are.
fn known_outcome(id: &str) -> ApiResult<&'static gongkai_core::request::Outcome> {
    outcome(id).ok_or_else(|| {
        ApiError::invalid("答复类型不对：请用 gongkai request outcomes 查看可选的编号。")
    })
}

fn outcome_view(id: &str) -> Option<OutcomeView> {
    outcome(id).map(|o| OutcomeView {
        id: o.id.into(),
        label: o.label(),
        article: o.article.into(),
    })
}

impl Api {
    fn request_view(
        &self,
        store: &gongkai_store::Store,
        cal: &WorkCalendar,
        r: &RequestRow,
        today: chrono::NaiveDate,
    ) -> ApiResult<RequestView> {
        let clock = r
            .facts
            .clock(cal)
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        let left = cal.working_days_between(today, clock.due.date);
        let status = match (&r.reply, clock.awaiting_correction) {
            (Some(_), _) => "replied",
            (None, true) => "awaiting_correction",
            (None, false) if today > clock.due.date => "overdue",
            (None, false) if left <= DUE_SOON => "due_soon",
            _ => "open",
        };
        let applicant =
            gongkai_core::request::mask_applicant(&r.applicant_name, &r.applicant_contact);
        let unsent = store
            .register_notes_for(&r.request_id)?
            .iter()
            .filter(|n| n.sent_at.is_none())
            .count() as u32;
        let origin = if r.origin == gongkai_store::ORIGIN_OFFICE {
            "office"
        } else if Self::role_in(store)? == crate::Role::Office {
            "assigned"
        } else {
            "local"
        };
        Ok(RequestView {
            request_id: r.request_id.clone(),
            serial: r.serial.clone(),
            received: r.facts.received.to_string(),
            channel: RequestChannel::parse(&r.channel)
                .map_or(r.channel.clone(), |c| c.label().into()),
            applicant_type: ApplicantType::parse(&r.applicant_type)
                .map_or(r.applicant_type.clone(), |a| a.label().into()),
            applicant,
            content: r.content.clone(),
            unit_id: r.unit_id.clone(),
            status: status.into(),
            due: clock.due.date.to_string(),
            due_provisional: clock.due.provisional,
            days_left: r.reply.is_none().then_some(left as i32),
            correction_due: clock.correction_due.date.to_string(),
            correction_asked: r.facts.correction_asked.map(|d| d.to_string()),
            corrected_received: r.facts.corrected_received.map(|d| d.to_string()),
            pauses: r.facts.pauses.clone(),
            extension: r.facts.extension.clone(),
            reply: r.reply.as_ref().and_then(|rep| {
                outcome_view(&rep.outcome).map(|o| ReplyView {
                    outcome: o,
                    date: rep.date.to_string(),
                    by: rep.by.clone(),
                    on_time: rep.date <= clock.due.date,
                })
            }),
            appeals: r
                .appeals
                .iter()
                .map(|a| AppealView {
                    kind: a.kind.label().into(),
                    result: a.result.label().into(),
                    recorded_on: a.recorded_on.to_string(),
                })
                .collect(),
            origin: origin.into(),
            draft: r.draft.as_ref().and_then(|d| {
                outcome_view(&d.outcome).map(|o| DraftView {
                    outcome: o,
                    note: d.note.clone(),
                    by: d.by.clone(),
                    at: d.at.clone(),
                    state: match d.state {
                        gongkai_store::DraftState::Sent => "sent",
                        gongkai_store::DraftState::Accepted => "accepted",
                        gongkai_store::DraftState::Returned => "returned",
                    }
                    .into(),
                    reason: d.reason.clone(),
                })
            }),
            unsent,
        })
    }

    fn today(&self) -> chrono::NaiveDate {
        crate::files::local_date(self.clock.now())
    }

    /// Records an application received on `received`.
    pub fn request_new(&self, req: RequestNewRequest) -> ApiResult<RequestView> {
        let received = date(&req.received)?;
        if received > self.today() {
            return Err(ApiError::invalid("收到日期不能晚于今天，请核对。"));
        }
        let channel = RequestChannel::parse(&req.channel)
            .ok_or_else(|| ApiError::invalid("收到方式应为：当面、信函、网络、传真或其他。"))?;
        let applicant = ApplicantType::parse(&req.applicant_type).ok_or_else(|| {
            ApiError::invalid(
                "申请人类型应为：自然人、商业企业、科研机构、社会公益组织、法律服务机构或其他。",
            )
        })?;
        let content = req.content.trim();
        if content.is_empty() {
            return Err(ApiError::invalid("请写明申请公开的内容。"));
        }
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let chosen = req.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        if chosen.is_none() && Self::role_in(&store)? == crate::Role::Office {
            return Err(ApiError::invalid(
                "请选择承办单位：指挥中心登记的申请须转办给答复的单位。",
            ));
        }
        let unit = chosen.unwrap_or(&clerk.unit_id).to_string();
        if store.unit(&unit).is_err() {
            return Err(ApiError::invalid(format!(
                "没有代码为 {unit} 的单位，请从单位列表中选择。"
            )));
        }
        let row = RequestRow {
            request_id: self.ids.new_uuid().to_string(),
            serial: store.request_next_serial(chrono::Datelike::year(&received))?,
            channel: channel.id(),
            applicant_type: applicant.id(),
            applicant_name: req.applicant_name.trim().to_string(),
            applicant_contact: req.applicant_contact.trim().to_string(),
            content: content.to_string(),
            unit_id: unit,
            facts: ClockFacts {
                received,
                ..Default::default()
            },
            reply: None,
            appeals: Vec::new(),
            created_by: clerk.name.clone(),
            created_at: self.clock.now(),
            origin: gongkai_store::ORIGIN_LOCAL.into(),
            draft: None,
        };
        // At the office the application goes to its unit (转办) with this same write.
        if Self::role_in(&store)? == crate::Role::Office {
            store.request_save_noting(&row, &self.assign_note(&row)?, self.clock.now())?;
        } else {
            store.request_save(&row, self.clock.now())?;
        }
        let cal = self.calendar_in(&store)?;
        self.request_view(&store, &cal, &row, self.today())
    }

    /// One application.
    pub fn request_get(&self, req: crate::DocRef) -> ApiResult<RequestView> {
        let store = self.store()?;
        let row = store.request(&req.doc_id)?;
        let cal = self.calendar_in(&store)?;
        self.request_view(&store, &cal, &row, self.today())
    }

    /// The register (open ones only with `open`), newest first.
    pub fn request_list(&self, req: RequestListRequest) -> ApiResult<Vec<RequestView>> {
        let store = self.store()?;
        let cal = self.calendar_in(&store)?;
        let today = self.today();
        store
            .requests()?
            .iter()
            .filter(|r| !req.open || r.reply.is_none())
            .map(|r| self.request_view(&store, &cal, r, today))
            .collect()
    }

    /// The reply types, in the order of the report's rows.
    pub fn request_outcomes(&self) -> Vec<OutcomeView> {
        OUTCOMES.iter().filter_map(|o| outcome_view(o.id)).collect()
    }

    /// Records a 补正, a pause, the extension, the reply or an appeal.
    pub fn request_change(&self, req: RequestChangeRequest) -> ApiResult<RequestView> {
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let mut row = store.request(&req.request_id)?;
        let today = self.today();
        let cal = self.calendar_in(&store)?;
        let not_after_today = |d: chrono::NaiveDate, what: &str| {
            if d > today {
                Err(ApiError::invalid(format!("{what}不能晚于今天，请核对。")))
            } else {
                Ok(())
            }
        };
        let replied = || ApiError::new(ErrorCode::Conflict, "这件申请已经答复，办理期限不再变化。");
        let office = Self::role_in(&store)? == crate::Role::Office;
        let passed_on = row.origin == gongkai_store::ORIGIN_OFFICE;
        if passed_on && req.action != "draft" {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "这件申请由指挥中心转办：办理期限、答复和复议诉讼由指挥中心登记。请用“拟答复”把答复意见报指挥中心。",
            ));
        }
        match req.action.as_str() {
            "draft" => {
                if !passed_on {
                    return Err(ApiError::invalid(
                        "拟答复用于指挥中心转办的申请；本单位登记的申请请直接登记答复。",
                    ));
                }
                if row.reply.is_some() {
                    return Err(replied());
                }
                let o = known_outcome(&req.outcome)?;
                // The note leaves the unit: it goes through the de-identification pass first.
                let scanner = self.scanner();
                let note = req.reason.trim();
                let note = gongkai_deid::apply(note, &scanner.scan(note), scanner.policy()).text;
                let draft = gongkai_store::DraftRecord {
                    outcome: o.id.into(),
                    note,
                    by: clerk.name.clone(),
                    at: self.clock.now().to_rfc3339(),
                    state: gongkai_store::DraftState::Sent,
                    reason: String::new(),
                };
                row.draft = Some(draft.clone());
                let note = self.draft_note(&row, &draft)?;
                store.request_save_noting(&row, &note, self.clock.now())?;
                return self.request_view(&store, &cal, &row, today);
            }
            "accept" | "return" => {
                if !office {
                    return Err(ApiError::invalid(
                        "采用或退回单位的拟答复只在指挥中心办理。",
                    ));
                }
                if row.reply.is_some() {
                    return Err(replied());
                }
                let Some(draft) = row
                    .draft
                    .as_mut()
                    .filter(|d| d.state == gongkai_store::DraftState::Sent)
                else {
                    return Err(ApiError::invalid("承办单位还没有报来拟答复。"));
                };
                if req.action == "accept" {
                    let on = if req.date.trim().is_empty() {
                        today
                    } else {
                        date(&req.date)?
                    };
                    not_after_today(on, "答复日期")?;
                    if on < row.facts.received {
                        return Err(ApiError::invalid("答复日期不能早于收到申请的日期。"));
                    }
                    draft.state = gongkai_store::DraftState::Accepted;
                    let outcome_id = draft.outcome.clone();
                    row.facts.replied = Some(on);
                    row.reply = Some(ReplyRecord {
                        outcome: outcome_id,
                        date: on,
                        by: clerk.name.clone(),
                    });
                } else {
                    let reason = req.reason.trim();
                    if reason.is_empty() {
                        return Err(ApiError::invalid(
                            "退回须写明理由，承办单位据此重新拟答复。",
                        ));
                    }
                    draft.state = gongkai_store::DraftState::Returned;
                    draft.reason = reason.into();
                }
            }
            "correct" => {
                if row.reply.is_some() {
                    return Err(replied());
                }
                let asked = date(&req.date)?;
                not_after_today(asked, "补正告知日期")?;
                if asked < row.facts.received {
                    return Err(ApiError::invalid("补正告知日期不能早于收到申请的日期。"));
                }
                if row.facts.correction_asked.is_some_and(|a| a != asked) {
                    return Err(ApiError::invalid(
                        "补正只能告知一次（条例第三十条“一次性告知”）。",
                    ));
                }
                row.facts.correction_asked = Some(asked);
                if !req.to.trim().is_empty() {
                    let back = date(&req.to)?;
                    not_after_today(back, "收到补正申请的日期")?;
                    if back < asked {
                        return Err(ApiError::invalid(
                            "收到补正申请的日期不能早于补正告知日期。",
                        ));
                    }
                    row.facts.corrected_received = Some(back);
                }
            }
            "pause" => {
                if row.reply.is_some() {
                    return Err(replied());
                }
                let (from, to) = (date(&req.date)?, date(&req.to)?);
                if to < from {
                    return Err(ApiError::invalid("征求意见的结束日期不能早于开始日期。"));
                }
                let reason = req.reason.trim();
                if !matches!(reason, "第三方" | "其他机关") {
                    return Err(ApiError::invalid(
                        "不计入答复期限的只有征求第三方或其他机关意见的时间：原因请写“第三方”或“其他机关”。",
                    ));
                }
                if from < row.facts.received {
                    return Err(ApiError::invalid("征求意见不能早于收到申请。"));
                }
                row.facts.pauses.push(ClockPause {
                    from,
                    to,
                    reason: reason.into(),
                });
            }
            "extend" => {
                if row.reply.is_some() {
                    return Err(replied());
                }
                if row.facts.extension.is_some() {
                    return Err(ApiError::invalid(
                        "答复期限只能延长一次，且最长不超过20个工作日（条例第三十三条）。",
                    ));
                }
                let on = date(&req.date)?;
                let due = row
                    .facts
                    .clock(&cal)
                    .map_err(|e| ApiError::invalid(e.to_string()))?
                    .due
                    .date;
                if on > due {
                    return Err(ApiError::invalid(format!(
                        "延期须在原答复期限（{due}）届满前决定并告知申请人。"
                    )));
                }
                if req.by.trim().is_empty() || req.reason.trim().is_empty() {
                    return Err(ApiError::invalid("延期须写明同意的负责人和延期理由。"));
                }
                row.facts.extension = Some(Extension {
                    date: on,
                    approved_by: req.by.trim().into(),
                    reason: req.reason.trim().into(),
                });
            }
            "reply" => {
                if row.reply.is_some() {
                    return Err(replied());
                }
                let o = known_outcome(&req.outcome)?;
                let on = date(&req.date)?;
                not_after_today(on, "答复日期")?;
                if on < row.facts.received {
                    return Err(ApiError::invalid("答复日期不能早于收到申请的日期。"));
                }
                row.facts.replied = Some(on);
                row.reply = Some(ReplyRecord {
                    outcome: o.id.into(),
                    date: on,
                    by: clerk.name.clone(),
                });
            }
            "appeal" => {
                if row.reply.is_none() {
                    return Err(ApiError::invalid("尚未答复的申请不能登记复议或诉讼。"));
                }
                let kind = AppealKind::parse(&req.kind).ok_or_else(|| {
                    ApiError::invalid("种类应为：行政复议、直接起诉或复议后起诉。")
                })?;
                let result = AppealResult::parse(&req.result)
                    .ok_or_else(|| ApiError::invalid("结果应为：维持、纠正、其他或尚未审结。"))?;
                // A later result of the same proceeding replaces 尚未审结.
                row.appeals
                    .retain(|a| !(a.kind == kind && a.result == AppealResult::Pending));
                row.appeals.push(AppealRecord {
                    kind,
                    result,
                    recorded_on: today,
                    by: clerk.name.clone(),
                });
            }
            other => {
                return Err(ApiError::invalid(format!("未知的办理操作：{other}")));
            }
        }
        // The office's record of a passed-on application follows to its unit.
        if office {
            store.request_save_noting(&row, &self.update_note(&row)?, self.clock.now())?;
        } else {
            store.request_save(&row, self.clock.now())?;
        }
        self.request_view(&store, &cal, &row, today)
    }

    /// The deadlines panel's rows for the register: every application not answered yet (rule 10,
    /// 条例 第三十三条), and from 1 December to 31 January the annual report due by 31 January
    /// (rule 14, 条例 第四十九条).
    pub(crate) fn request_obligations(
        &self,
        store: &gongkai_store::Store,
    ) -> ApiResult<Vec<crate::ObligationView>> {
        use gongkai_core::DueState;
        let cal = self.calendar_in(store)?;
        let today = self.today();
        let mut out = Vec::new();
        for r in store.requests()?.iter().filter(|r| r.reply.is_none()) {
            let v = self.request_view(store, &cal, r, today)?;
            if v.status == "awaiting_correction" {
                continue;
            }
            out.push(crate::ObligationView {
                doc_id: String::new(),
                doc_title: format!("依申请公开 {}：{}", v.serial, v.content),
                rule_id: 10,
                what: "答复政府信息公开申请".into(),
                trigger_label: if v.corrected_received.is_some() {
                    "收到补正后的申请".into()
                } else {
                    "收到申请".into()
                },
                trigger: Some(
                    v.corrected_received
                        .clone()
                        .unwrap_or_else(|| v.received.clone()),
                ),
                due: Some(v.due.clone()),
                provisional: v.due_provisional,
                done: None,
                state: if v.status == "overdue" {
                    DueState::Overdue
                } else {
                    DueState::Running
                },
                days_left: v.days_left,
                source: "《政府信息公开条例》第三十三条".into(),
            });
        }
        let (y, m) = (
            chrono::Datelike::year(&today),
            chrono::Datelike::month(&today),
        );
        let report_year = match m {
            12 => Some(y),
            1 => Some(y - 1),
            _ => None,
        };
        if let Some(year) = report_year {
            if let Some(due) = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 31) {
                out.push(crate::ObligationView {
                    doc_id: String::new(),
                    doc_title: format!("{year}年度政府信息公开工作年度报告"),
                    rule_id: 14,
                    what: "提交并公布上一年度政府信息公开工作年度报告".into(),
                    trigger_label: "每年".into(),
                    trigger: None,
                    due: Some(due.to_string()),
                    provisional: false,
                    done: None,
                    state: if today > due {
                        DueState::Overdue
                    } else {
                        DueState::Running
                    },
                    days_left: Some(cal.working_days_between(today, due) as i32),
                    source: "《政府信息公开条例》第四十九条".into(),
                });
            }
        }
        Ok(out)
    }

    /// Tables 三 and 四 of `year`'s annual report, counted from the register.
    pub fn report_annual(&self, req: AnnualRequest) -> ApiResult<AnnualReport> {
        if !(2008..=2100).contains(&req.year) {
            return Err(ApiError::invalid("年度不正确。"));
        }
        let store = self.store()?;
        let rows = store.requests()?;
        let texts = texts_of(&store, req.year)?;
        let last_year = texts_of(&store, req.year - 1)?;
        let figures = figures_of(&store, req.year)?;
        let two = table_two_docs(&store, req.year)?;
        drop(store);
        let core = self.core_cells(req.year, &rows);
        let balanced = gongkai_core::request::check_rule_holds(&core);
        let rows_three = gongkai_core::request::printed_three(&core)
            .into_iter()
            .map(|r| ThreeRow {
                heading: r.values.is_none(),
                label: r.label,
                level: r.level,
                group: r.group,
            })
            .collect();
        let cells = core
            .into_iter()
            .map(|c| ReportCell {
                table: c.table.into(),
                group: c.group,
                row: c.row,
                column_group: c.column_group,
                column: c.column,
                value: f64::from(c.value),
                records: c.records,
            })
            .collect::<Vec<_>>();
        let mut all = Vec::new();
        for (row, counts) in two {
            for (column, (value, records)) in ["本年制发件数", "本年废止件数", "现行有效件数"]
                .into_iter()
                .zip(counts)
            {
                all.push(ReportCell {
                    table: "二".into(),
                    group: "第二十条第（一）项".into(),
                    row: row.into(),
                    column_group: String::new(),
                    column: column.into(),
                    value: f64::from(value),
                    records,
                });
            }
        }
        for (f, group) in figures.iter().zip([
            "第二十条第（五）项",
            "第二十条第（六）项",
            "第二十条第（六）项",
            "第二十条第（八）项",
        ]) {
            if let Some(value) = f.value {
                all.push(ReportCell {
                    table: "二".into(),
                    group: group.into(),
                    row: f.label.clone(),
                    column_group: String::new(),
                    column: if f.amount {
                        "本年收费金额（单位：万元）".into()
                    } else {
                        "本年处理决定数量".into()
                    },
                    value,
                    records: f.entered_by.iter().map(|b| format!("{b}填报")).collect(),
                });
            }
        }
        all.extend(cells);
        Ok(AnnualReport {
            year: req.year,
            cells: all,
            texts,
            last_year,
            figures,
            rows_three,
            balanced,
        })
    }

    fn core_cells(&self, year: i32, rows: &[RequestRow]) -> Vec<gongkai_core::request::Cell> {
        let register: Vec<Counted<'_>> = rows
            .iter()
            .map(|r| Counted {
                id: &r.serial,
                applicant: ApplicantType::parse(&r.applicant_type)
                    .unwrap_or(ApplicantType::OtherOrg),
                received: r.facts.received,
                reply: r.reply.as_ref().map(|rep| (rep.date, rep.outcome.as_str())),
                appeals: r
                    .appeals
                    .iter()
                    .map(|a| (a.kind, a.result, chrono::Datelike::year(&a.recorded_on)))
                    .collect(),
            })
            .collect();
        annual_tables(year, &register)
    }

    /// Writes the 答复书 of an answered application (.docx): the finding for its reply type, the
    /// article it rests on quoted from the regulation, and the remedy with its time limits. It
    /// names the applicant (it is for that applicant only); personal information of anyone else
    /// in the quoted request is masked by the de-identification policy.
    pub fn request_letter(&self, req: RequestLetterRequest) -> ApiResult<crate::WrittenFile> {
        let store = self.store()?;
        let row = store.request(&req.request_id)?;
        let reply = row
            .reply
            .as_ref()
            .ok_or_else(|| ApiError::invalid("请先登记答复（答复类型和日期），再生成答复书。"))?;
        let o = outcome(&reply.outcome)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "答复类型记录无法识别"))?;
        let clerk = Self::clerk(&store)?;
        let unit = store
            .unit(&row.unit_id)
            .or_else(|_| store.unit(&clerk.unit_id))
            .map(|u| u.name)
            .unwrap_or_default();
        let law = articles(&store)?;
        drop(store);
        let text = gongkai_core::request::article_text(&law, o.article).unwrap_or_default();
        let (year, n) = row.serial.split_once('-').unwrap_or(("", &row.serial));
        let number = format!(
            "{unit}依申请公开答复〔{year}〕{}号",
            n.trim_start_matches('0')
        );
        let templates = self.reply_templates()?;
        let finding = templates.finding(o);
        // What the letter repeats of the application goes through the de-identification pass:
        // a third party named in the request is not named back.
        let scanner = self.scanner();
        let content =
            gongkai_deid::apply(&row.content, &scanner.scan(&row.content), scanner.policy()).text;
        let bytes = gongkai_docx::export::export_reply_letter(&gongkai_docx::export::ReplyLetter {
            unit_name: &unit,
            number: &number,
            applicant: &row.applicant_name,
            received: row.facts.corrected_received.unwrap_or(row.facts.received),
            content: &content,
            finding: &finding,
            article: o.article,
            article_text: &text,
            remedy: &templates.remedy,
            date: reply.date,
        })
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let path = std::path::PathBuf::from(req.path.trim());
        if path.extension().and_then(|e| e.to_str()) != Some("docx") {
            return Err(ApiError::invalid("答复书请以 .docx 结尾命名文件。"));
        }
        crate::files::write_atomic(&path, &bytes)
    }

    /// The 答复书 wording in use (shipped, or as the office last issued it).
    fn reply_templates(&self) -> ApiResult<gongkai_core::request::ReplyTemplates> {
        let json = self.store()?.seed_json("reply_templates")?;
        gongkai_core::request::ReplyTemplates::parse(&json)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e))
    }

    /// Enters (or clears) a figure of table 二, recording who entered it.
    pub fn report_figure_set(&self, req: ReportFigureRequest) -> ApiResult<Vec<FigureView>> {
        let Some((key, _, amount)) = gongkai_core::request::ENTERED_FIGURES
            .iter()
            .find(|(k, _, _)| *k == req.key)
        else {
            return Err(ApiError::invalid(
                "只能填写行政许可、行政处罚、行政强制的件数和行政事业性收费金额。",
            ));
        };
        let store = self.store()?;
        let name = format!("report.{}.figure.{key}", req.year);
        match req.value {
            None => store.set_setting(&name, "")?,
            Some(v) if !v.is_finite() || v < 0.0 || (!amount && v.fract() != 0.0) => {
                return Err(ApiError::invalid(if *amount {
                    "收费金额应为不小于0的数（单位：万元）。"
                } else {
                    "件数应为不小于0的整数。"
                }))
            }
            Some(v) => {
                let clerk = Self::clerk(&store)?;
                let stored = StoredFigure {
                    value: v,
                    by: clerk.name,
                    at: self.clock.now().to_rfc3339(),
                };
                store.set_setting(
                    &name,
                    &serde_json::to_string(&stored)
                        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
                )?;
            }
        }
        figures_of(&store, req.year)
    }

    /// Saves one text section of a year's report.
    pub fn report_text_save(&self, req: ReportTextRequest) -> ApiResult<ReportTexts> {
        if !SECTIONS.contains(&req.section.as_str()) {
            return Err(ApiError::invalid("未知的报告部分。"));
        }
        if req.text.chars().count() > 20_000 {
            return Err(ApiError::invalid("这一部分过长（不超过2万字）。"));
        }
        let store = self.store()?;
        store.set_setting(&format!("report.{}.{}", req.year, req.section), &req.text)?;
        texts_of(&store, req.year)
    }

    /// Writes the year's report: .docx in the national format's layout, or .xlsx with tables
    /// 三 and 四 for the office's sheets.
    pub fn report_export(&self, req: ReportExportRequest) -> ApiResult<crate::WrittenFile> {
        let path = std::path::PathBuf::from(req.path.trim());
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let (rows, texts, unit, figures, two) = {
            let store = self.store()?;
            let clerk = Self::clerk(&store)?;
            let unit = store
                .unit(&clerk.unit_id)
                .map(|u| u.name)
                .unwrap_or_default();
            (
                store.requests()?,
                texts_of(&store, req.year)?,
                unit,
                figures_of(&store, req.year)?,
                table_two_docs(&store, req.year)?,
            )
        };
        let cells = self.core_cells(req.year, &rows);
        let three = gongkai_core::request::printed_three(&cells);
        let four = gongkai_core::request::printed_four(&cells);
        let title = format!("{unit}{}年政府信息公开工作年度报告", req.year);
        let bytes = match ext.as_str() {
            "docx" => gongkai_docx::export::export_annual_report(
                &gongkai_docx::export::AnnualReportDoc {
                    title: &title,
                    overview: &texts.overview,
                    problems: &texts.problems,
                    other: &texts.other,
                    three: &three,
                    four,
                    issued: [
                        two[0].1.clone().map(|(n, _)| n),
                        two[1].1.clone().map(|(n, _)| n),
                    ],
                    figures: [0, 1, 2, 3].map(|i| figures[i].value),
                },
                Some(self.today()),
            )
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            "xlsx" => gongkai_report::annual_xlsx(&title, &three, four)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            _ => {
                return Err(ApiError::invalid(
                    "请以 .docx（年度报告全文）或 .xlsx（表三、表四）结尾命名文件。",
                ))
            }
        };
        crate::files::write_atomic(&path, &bytes)
    }
}
