//! `gongkai review year-end` (the year-end review of disclosure attributes), and
//! `gongkai duties` (the duty board: what each unit owes, by when, and what fulfilled it) and
//! `gongkai duties record` (a duty done that no record of the app shows), over the API. With
//! `--format json` the board prints as a list of
//! `{"duty_id", "title", "unit", "due", "status", "since", "fulfilled_by", …}`.

use crate::{emit, Format};
use clap::{Args, Subcommand};
use gongkai_api::{
    Api, ApiError, DutiesRequest, DutyExportRequest, DutyPeriodRequest, DutyRecordRequest,
    DutyRowView, ErrorCode, YearEndDecision, YearEndRequest,
};

/// The board, or a record.
#[derive(Args)]
pub struct DutiesArgs {
    #[command(subcommand)]
    cmd: Option<DutiesCmd>,
    /// Office: one unit only.
    #[arg(long)]
    unit: Option<String>,
    /// YYYY or YYYY-Qn (default: this year).
    #[arg(long)]
    period: Option<String>,
    /// The board as it stood on this day (default: today).
    #[arg(long)]
    on: Option<String>,
    /// Write the board to FILE.xlsx (the sheet) or FILE.ics (a calendar of what is not done).
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

#[derive(Subcommand)]
enum DutiesCmd {
    /// Record a duty done (a training held, the leader's hearing, a progress update published
    /// elsewhere).
    Record {
        duty_id: String,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        date: String,
        #[arg(long)]
        note: String,
        /// Done late: the due date of the period it answers (e.g. 2026-06-30 for Q2).
        #[arg(long = "for")]
        for_due: Option<String>,
    },
    /// Office: set how often a 定期更新 catalogue item must be updated (no --days: back to the
    /// default). The units get it with the reference data.
    Period {
        item: String,
        #[arg(long)]
        days: Option<u32>,
    },
}

const STATUS: [(&str, &str); 5] = [
    ("overdue", "已超期"),
    ("stale", "未及时更新"),
    ("due", "待完成"),
    ("upcoming", "未到期"),
    ("done", "已完成"),
];

fn text(rows: &[DutyRowView]) -> String {
    if rows.is_empty() {
        return "这一期间没有职责。\n".into();
    }
    let mut out = String::new();
    for (status, label) in STATUS {
        for r in rows.iter().filter(|r| r.status == status) {
            out.push_str(&format!(
                "{label}  {}  {}  {}  {}{}{}\n",
                r.duty_id,
                if r.unit_name.is_empty() {
                    "（未落实到单位）"
                } else {
                    &r.unit_name
                },
                r.due.as_deref().unwrap_or("—"),
                r.title,
                r.since
                    .as_deref()
                    .map(|s| format!("（自 {s} 起未更新）"))
                    .unwrap_or_default(),
                if r.fulfilled_by.is_empty() {
                    String::new()
                } else {
                    format!("  ← {}", r.fulfilled_by.join("；"))
                }
            ));
        }
    }
    out
}

/// Runs `gongkai duties …`.
pub fn duties(api: &Api, f: Format, args: DutiesArgs) -> Result<(), ApiError> {
    let board = match args.cmd {
        Some(DutiesCmd::Record {
            duty_id,
            unit,
            date,
            note,
            for_due,
        }) => api.duties_record(DutyRecordRequest {
            duty_id,
            unit,
            date,
            note,
            for_due,
        })?,
        Some(DutiesCmd::Period { item, days }) => {
            api.duties_set_period(DutyPeriodRequest { item, days })?
        }
        None => {
            let req = DutiesRequest {
                unit: args.unit,
                period: args.period,
                on: args.on,
            };
            if let Some(out) = args.out {
                let w = api.duties_export(DutyExportRequest {
                    board: req,
                    path: out.display().to_string(),
                })?;
                return emit(f, &w, |w| format!("已写入 {}\n", w.path))
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()));
            }
            api.duties_board(req)?
        }
    };
    emit(f, &board.rows, |rows| text(rows))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// `gongkai review …`.
#[derive(Subcommand)]
pub enum ReviewCmd {
    /// The year-end review of 依申请公开 and 不予公开 documents: lists them; with --confirm the
    /// attribute stands, with --convert the document goes back to 拟稿 to become 主动公开.
    YearEnd {
        #[arg(long)]
        year: i32,
        #[arg(long, conflicts_with = "convert")]
        confirm: Option<String>,
        #[arg(long, requires = "reason")]
        convert: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        /// For --convert: the catalogue item it will be published in.
        #[arg(long)]
        catalog: Option<String>,
        /// Record the year's review as finished (a year with nothing to review, too).
        #[arg(long, conflicts_with_all = ["confirm", "convert"])]
        finish: bool,
    },
}

/// Runs `gongkai review …`.
pub fn review(api: &Api, f: Format, cmd: ReviewCmd) -> Result<(), ApiError> {
    let ReviewCmd::YearEnd {
        year,
        confirm,
        convert,
        reason,
        catalog,
        finish,
    } = cmd;
    let view = match (confirm, convert) {
        _ if finish => api.review_year_end_finish(YearEndRequest { year })?,
        (Some(doc), _) => api.review_year_end_decide(YearEndDecision {
            year,
            doc_id: doc,
            convert: false,
            reason,
            catalog_item: None,
        })?,
        (None, Some(doc)) => api.review_year_end_decide(YearEndDecision {
            year,
            doc_id: doc,
            convert: true,
            reason,
            catalog_item: catalog,
        })?,
        (None, None) => api.review_year_end(YearEndRequest { year })?,
    };
    emit(f, &view, |v| {
        let mut t = format!(
            "{}年度公开属性审查：{} 份，待审查 {} 份\n",
            v.year,
            v.items.len(),
            v.pending
        );
        for i in &v.items {
            let outcome = match i.outcome.as_str() {
                "confirmed" => "维持",
                "converted" => "转为主动公开",
                _ => "待审查",
            };
            t.push_str(&format!(
                "{}  {}  {}  {}  {}\n",
                outcome,
                i.doc_id,
                i.attribute,
                i.title,
                i.grounds.join("；")
            ));
        }
        t
    })
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}
