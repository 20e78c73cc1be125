//! `gongkai request …` (the 依申请公开 register), `gongkai report annual` (tables 二, 三 and 四 of
//! the annual report) and `gongkai report figure` (table 二's entered figures), over the API. With `--format json`, a request prints as the API's view
//! (`request_id`, `serial`, `due`, `status`, the pauses, the reply …) and the report as one object
//! per cell: `{"table", "group", "row", "column_group", "column", "value", "records"}`.

use crate::{emit, Format};
use clap::Subcommand;
use gongkai_api::{
    AnnualRequest, Api, ApiError, DocRef, ErrorCode, RequestChangeRequest, RequestListRequest,
    RequestNewRequest, RequestView,
};

#[derive(Subcommand)]
pub enum RequestCmd {
    /// Record an application (依申请公开).
    New {
        /// YYYY-MM-DD
        #[arg(long)]
        received: String,
        /// 当面|信函|网络|传真|其他
        #[arg(long)]
        channel: String,
        /// 自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他
        #[arg(long)]
        applicant_type: String,
        /// What is asked.
        #[arg(long)]
        content: String,
        /// The applicant's name (kept on this PC, shown masked).
        #[arg(long, default_value = "")]
        applicant: String,
        /// The applicant's phone or address (kept on this PC, shown masked).
        #[arg(long, default_value = "")]
        contact: String,
        /// The unit that must answer (转办); default: this PC's unit.
        #[arg(long)]
        unit: Option<String>,
    },
    /// One application with its clock (by id or serial, e.g. 2026-003).
    Show { id: String },
    /// The register.
    List {
        /// Only those not answered yet.
        #[arg(long)]
        open: bool,
    },
    /// Give the application the next free serial of its year (when another PC of the unit
    /// gave the same serial to another application: 流水号重复 in `sync conflicts`).
    Renumber { id: String },
    /// 补正: asked on --asked, the corrected application received on --received.
    Correct {
        id: String,
        #[arg(long)]
        asked: String,
        #[arg(long, default_value = "")]
        received: String,
    },
    /// A pause for a third party's or another body's opinion (不计入答复期限).
    Pause {
        id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// 第三方|其他机关
        #[arg(long)]
        reason: String,
    },
    /// The extension by 20 working days.
    Extend {
        id: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        approved_by: String,
        #[arg(long)]
        reason: String,
    },
    /// The reply types with their ids and report rows.
    Outcomes,
    /// The reply.
    Reply {
        id: String,
        /// See `gongkai request outcomes`.
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        date: String,
        /// Also write the 答复书 (.docx) here.
        #[arg(long)]
        letter: Option<std::path::PathBuf>,
    },
    /// Unit: the draft reply of an application the office passed on (转办), sent to the office
    /// with the next sync; the note is de-identified before it leaves.
    Draft {
        id: String,
        #[arg(long)]
        outcome: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Office: reply to the applicant with the unit's draft (on --date, today if left out).
    Accept {
        id: String,
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Office: return the unit's draft with the reason.
    Return {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// A 行政复议 or 行政诉讼 about the reply.
    Appeal {
        id: String,
        /// 行政复议|直接起诉|复议后起诉
        #[arg(long)]
        kind: String,
        /// 维持|纠正|其他|尚未审结
        #[arg(long)]
        result: String,
    },
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// Unit: the year's figures (tables 二, 三, 四; no applicant, no application) for the
    /// office, signed with this PC's key: written to --out, or without it queued for the next
    /// sync (or the next bag for the office).
    Send {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Office: take in a unit's figures file.
    Receive { file: std::path::PathBuf },
    /// Office: which units have sent their figures, and the sum.
    Units {
        #[arg(long)]
        year: i32,
    },
    /// Enter a figure of table 二: --key licensing|penalty|coercion (counts) or fees (万元);
    /// without --value it is cleared.
    Figure {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        key: String,
        #[arg(long)]
        value: Option<f64>,
    },
    /// Tables 三 and 四 of the year's 政府信息公开工作年度报告, from the register; with --out,
    /// the report as .docx (the national format's layout) or .xlsx (tables 三 and 四).
    Annual {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

fn line(r: &RequestView) -> String {
    let due = if r.due_provisional {
        format!("{}（暂定）", r.due)
    } else {
        r.due.clone()
    };
    let from = match (
        r.origin.as_str(),
        r.draft.as_ref().map(|d| d.state.as_str()),
    ) {
        ("office", Some("returned")) => "  中心转办·拟答复被退回",
        ("office", Some("sent")) => "  中心转办·已报拟答复",
        ("office", _) => "  中心转办",
        ("assigned", Some("sent")) => "  单位已报拟答复",
        _ => "",
    };
    let state = match r.status.as_str() {
        "replied" => "已答复",
        "awaiting_correction" => "待补正",
        "overdue" => "已超期",
        "due_soon" => "即将到期",
        _ => "办理中",
    };
    format!(
        "{}  {}  {}  {}{}  答复期限 {}  {}\n",
        r.serial, r.received, r.applicant_type, state, from, due, r.content
    )
}

/// Runs one `request` command.
pub fn request(api: &Api, f: Format, cmd: RequestCmd) -> Result<(), ApiError> {
    let change = |id: String, action: &str, fill: &dyn Fn(&mut RequestChangeRequest)| {
        let mut req = RequestChangeRequest {
            request_id: id,
            action: action.into(),
            ..Default::default()
        };
        fill(&mut req);
        api.request_change(req)
    };
    let view = match cmd {
        RequestCmd::New {
            received,
            channel,
            applicant_type,
            content,
            applicant,
            contact,
            unit,
        } => api.request_new(RequestNewRequest {
            received,
            channel,
            applicant_type,
            applicant_name: applicant,
            applicant_contact: contact,
            content,
            unit,
        })?,
        RequestCmd::Show { id } => api.request_get(DocRef { doc_id: id })?,
        RequestCmd::Renumber { id } => {
            let request_id = api.request_get(DocRef { doc_id: id })?.request_id;
            api.request_renumber(gongkai_api::RenumberRequest {
                request_id: request_id.clone(),
            })?;
            api.request_get(DocRef { doc_id: request_id })?
        }
        RequestCmd::List { open } => {
            let list = api.request_list(RequestListRequest { open })?;
            return emit(f, &list, |l| {
                if l.is_empty() {
                    "登记簿中没有申请。\n".into()
                } else {
                    l.iter().map(line).collect()
                }
            })
            .map_err(internal);
        }
        RequestCmd::Correct {
            id,
            asked,
            received,
        } => change(id, "correct", &|r| {
            r.date = asked.clone();
            r.to = received.clone();
        })?,
        RequestCmd::Pause {
            id,
            from,
            to,
            reason,
        } => change(id, "pause", &|r| {
            r.date = from.clone();
            r.to = to.clone();
            r.reason = reason.clone();
        })?,
        RequestCmd::Extend {
            id,
            date,
            approved_by,
            reason,
        } => change(id, "extend", &|r| {
            r.date = date.clone();
            r.by = approved_by.clone();
            r.reason = reason.clone();
        })?,
        RequestCmd::Outcomes => {
            let list = api.request_outcomes();
            return emit(f, &list, |l| {
                l.iter()
                    .map(|o| format!("{}  {}  （{}）\n", o.id, o.label, o.article))
                    .collect()
            })
            .map_err(internal);
        }
        RequestCmd::Reply {
            id,
            outcome,
            date,
            letter,
        } => {
            let v = change(id, "reply", &|r| {
                r.outcome = outcome.clone();
                r.date = date.clone();
            })?;
            if let Some(path) = letter {
                let w = api.request_letter(gongkai_api::RequestLetterRequest {
                    request_id: v.request_id.clone(),
                    path: path.display().to_string(),
                })?;
                if matches!(f, Format::Text) {
                    println!("已写入答复书 {}", w.path);
                }
            }
            v
        }
        RequestCmd::Draft { id, outcome, note } => change(id, "draft", &|r| {
            r.outcome = outcome.clone();
            r.reason = note.clone();
        })?,
        RequestCmd::Accept { id, date } => change(id, "accept", &|r| {
            r.date = date.clone();
        })?,
        RequestCmd::Return { id, reason } => change(id, "return", &|r| {
            r.reason = reason.clone();
        })?,
        RequestCmd::Appeal { id, kind, result } => change(id, "appeal", &|r| {
            r.kind = kind.clone();
            r.result = result.clone();
        })?,
    };
    emit(f, &view, line).map_err(internal)
}

/// Runs one `report` command.
pub fn report(api: &Api, f: Format, cmd: ReportCmd) -> Result<(), ApiError> {
    let collection_text = |c: &gongkai_api::FiguresCollection| {
        let mut t = format!("{}年度各单位报送情况\n", c.year);
        for u in &c.units {
            t.push_str(&format!(
                "{}  {}\n",
                u.unit_name,
                u.sent_at.as_deref().unwrap_or("未报送")
            ));
        }
        t.push_str(&format!("未报送：{} 个单位\n", c.missing.len()));
        t
    };
    let (year, out) = match cmd {
        ReportCmd::Send { year, out: None } => {
            let q = api.report_figures_queue(gongkai_api::AnnualRequest { year })?;
            return emit(f, &q, |q| {
                format!("{}年度数据已排队，下次同步时报送指挥中心\n", q.year)
            })
            .map_err(internal);
        }
        ReportCmd::Send {
            year,
            out: Some(out),
        } => {
            let password = crate::exchange::password_prompt("签名密钥密码：")?;
            let w = api.report_figures_send(gongkai_api::FiguresSendRequest {
                year,
                password,
                path: out.display().to_string(),
            })?;
            return emit(f, &w, |w| format!("已写入 {}，请送交指挥中心\n", w.path))
                .map_err(internal);
        }
        ReportCmd::Receive { file } => {
            let c = api.report_figures_receive(gongkai_api::FileRequest {
                path: file.display().to_string(),
            })?;
            return emit(f, &c, collection_text).map_err(internal);
        }
        ReportCmd::Units { year } => {
            let c = api.report_figures_collection(AnnualRequest { year })?;
            return emit(f, &c, collection_text).map_err(internal);
        }
        ReportCmd::Figure { year, key, value } => {
            let figures =
                api.report_figure_set(gongkai_api::ReportFigureRequest { year, key, value })?;
            return emit(f, &figures, |fs| {
                fs.iter()
                    .map(|x| {
                        format!(
                            "{}  {}  {}\n",
                            x.label,
                            x.value.map_or("（未填）".to_string(), |v| v.to_string()),
                            x.entered_by.clone().unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .map_err(internal);
        }
        ReportCmd::Annual { year, out } => (year, out),
    };
    if let Some(path) = out {
        let w = api.report_export(gongkai_api::ReportExportRequest {
            year,
            path: path.display().to_string(),
        })?;
        return emit(f, &w, |w| {
            format!("已写入 {}（{} 字节）\n", w.path, w.bytes)
        })
        .map_err(internal);
    }
    let r = api.report_annual(AnnualRequest { year })?;
    emit(f, &r.cells, |cells| {
        let mut t = format!("{year}年度 政府信息公开工作年度报告（表三、表四）\n");
        for c in cells.iter().filter(|c| c.value > 0.0) {
            let row = [c.group.as_str(), c.row.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let col = [c.column_group.as_str(), c.column.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            t.push_str(&format!("表{}  {row}  {col}  {}\n", c.table, c.value));
        }
        t
    })
    .map_err(internal)
}
