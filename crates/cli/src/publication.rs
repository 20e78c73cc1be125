//! The publication commands under `doc` (attribute, status, check, advance, package, secrecy,
//! signoff, event, pause, import, export-docx, export-interpretation) and `deadlines`, over the
//! same API as the desktop.

use crate::{emit, invalid, Format};
use clap::{Args, Subcommand};
use gongkai_api::{
    Api, ApiError, Decision, DeidDecideRequest, DeidImageRequest, DisclosureSetRequest,
    DisclosureView, DocRef, ErrorCode, EventRequest, ExportRequest, ImportRequest, ObligationView,
    PackageSaveRequest, PauseRequest, SecrecyRecordRequest, SignoffRequest, TransitionRequest,
    WorkflowView, WrittenFile,
};
use gongkai_core::{Attribute, Channel, Disclosure, DueState, Gate, Reach, Stage};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Settle or show a document's 公开属性.
#[derive(Args)]
pub struct AttributeArgs {
    /// Document id (a unique prefix of 8+ characters is enough).
    pub id: String,
    /// active | on_request | withheld | partial (or 主动公开 / 依申请公开 / 不予公开 / 部分公开).
    /// Without it the current attribute is shown.
    #[arg(long)]
    pub set: Option<String>,
    /// A legal ground id (see `gongkai law grounds`), repeatable.
    #[arg(long = "ground")]
    pub grounds: Vec<String>,
    /// The concrete reason.
    #[arg(long, default_value = "")]
    pub reason: String,
    /// The statute a ground asks for (e.g. 法律、行政法规名称及条款).
    #[arg(long, default_value = "")]
    pub detail: String,
    /// website | new_media | reading_room | press | press_conference | notice_board, repeatable.
    #[arg(long = "channel")]
    pub channels: Vec<String>,
    /// Catalogue item id, e.g. C06.
    #[arg(long)]
    pub catalog: Option<String>,
    /// 涉及群众和企业权益.
    #[arg(long)]
    pub affects_public: bool,
    /// Replaces or amends an earlier policy.
    #[arg(long)]
    pub replaces_policy: bool,
    /// Carries 惠企利民 measures.
    #[arg(long)]
    pub has_benefits: bool,
}

/// Publication commands under `gongkai doc`.
#[derive(Subcommand)]
pub enum PubCmd {
    /// Settle (`--set`) or show the disclosure attribute.
    Attribute(AttributeArgs),
    /// The workflow stage, the steps, the log and the deadlines.
    Status { id: String },
    /// The gates still closed (with their messages) and the interpretation package's issues.
    Check { id: String },
    /// Move to the next stage (`--to`), or back to drafting with `--to drafting --reason …`.
    Advance {
        id: String,
        /// Stage name, e.g. attribute_set or 属性已认定.
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Save the interpretation package from a JSON file (the `Package` layout), or show it.
    Package {
        id: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Record the 保密审查 from a JSON file (the `SecrecyReview` layout), or show it.
    Secrecy {
        id: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// The de-identification review of the head revision: lists the findings and what was kept
    /// visible (with why); `--accept-all` accepts every undecided one (as reviewed);
    /// `--confirm-images` confirms the package's images as looked at; `--apply` makes the public
    /// text.
    Deid {
        id: String,
        #[arg(long)]
        accept_all: bool,
        #[arg(long)]
        confirm_images: bool,
        #[arg(long)]
        apply: bool,
    },
    /// Record the paper sign-off.
    Signoff {
        id: String,
        #[arg(long)]
        signer: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        opinion: String,
    },
    /// Record the date of `published` or `interpretation_published`.
    Event {
        id: String,
        kind: String,
        /// YYYY-MM-DD
        date: String,
    },
    /// Import a Word draft (.docx) as a new document.
    Import { file: PathBuf },
    /// Write the policy document as GB/T 9704 .docx.
    ExportDocx {
        id: String,
        out: PathBuf,
        /// The de-identified text that will be published (needs the review applied).
        #[arg(long)]
        redacted: bool,
    },
    /// Write the interpretation package as .docx.
    ExportInterpretation {
        id: String,
        out: PathBuf,
        #[arg(long)]
        redacted: bool,
    },
    /// Pause the document's deadlines FROM..TO (inclusive) with a reason.
    Pause {
        id: String,
        /// YYYY-MM-DD..YYYY-MM-DD
        range: String,
        #[arg(long)]
        reason: String,
    },
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, ApiError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        invalid(&format!(
            "无法读取{what}文件 {}：{e}（须为 UTF-8 JSON）。",
            path.display()
        ))
    })?;
    serde_json::from_str(&text)
        .map_err(|e| invalid(&format!("{what}文件 {} 格式有误：{e}", path.display())))
}

fn out(r: anyhow::Result<()>) -> Result<(), ApiError> {
    r.map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

fn parse_stage(s: &str) -> Result<Stage, ApiError> {
    Stage::parse(s).ok_or_else(|| {
        invalid("阶段名称无效：可用 attribute_set、interpretation_synced、deidentified、secrecy_cleared、in_review 或 drafting（也可写中文名称）。")
    })
}

fn gates_text(o: &mut String, title: &str, gates: &[Gate]) {
    if gates.is_empty() {
        let _ = writeln!(o, "{title}：无");
    } else {
        let _ = writeln!(o, "{title}：");
        for g in gates {
            let _ = writeln!(o, "  - [{}] {}", g.code, g.message);
        }
    }
}

fn deadline_line(d: &ObligationView) -> String {
    let due = d.due.as_deref().unwrap_or("—");
    let state = match d.state {
        DueState::Waiting => format!("待“{}”后起算", d.trigger_label),
        DueState::Running => format!("剩余{}个工作日", d.days_left.unwrap_or(0)),
        DueState::Overdue => format!("已逾期{}个工作日", -d.days_left.unwrap_or(0)),
        DueState::Done => format!("已于{}完成", d.done.as_deref().unwrap_or("")),
        DueState::DoneLate => format!("逾期完成（{}）", d.done.as_deref().unwrap_or("")),
    };
    let prov = if d.provisional {
        "（超出节假日表，暂按周一至周五推算）"
    } else {
        ""
    };
    format!("{}：到期 {due}{prov}，{state}", d.what)
}

fn status_text(w: &WorkflowView) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "当前阶段：{}", w.stage_label);
    if let Some(r) = &w.returned_reason {
        let _ = writeln!(o, "退文理由：{r}");
    }
    for s in &w.steps {
        let mark = match s.state.as_str() {
            "done" => "✓",
            "current" => "▶",
            _ => " ",
        };
        let _ = writeln!(o, "  {mark} {}", s.label);
    }
    if !w.log.is_empty() {
        let _ = writeln!(o, "流转记录：");
        for l in &w.log {
            let why = if l.reason.is_empty() {
                String::new()
            } else {
                format!("（{}）", l.reason)
            };
            let _ = writeln!(
                o,
                "  {} {}：{} → {}{why}",
                l.at, l.actor, l.from_label, l.to_label
            );
        }
    }
    let _ = writeln!(o, "时限：");
    for d in &w.deadlines {
        let _ = writeln!(o, "  {}", deadline_line(d));
    }
    o
}

#[derive(Serialize)]
struct CheckOut<'a> {
    stage: Stage,
    next: Option<Stage>,
    next_gates: &'a [Gate],
    bundle_gates: &'a [Gate],
    package_complete: bool,
    package_issues: Vec<gongkai_core::PackageIssue>,
    attribute_issues: Vec<gongkai_core::DisclosureIssue>,
}

fn check_text(c: &CheckOut<'_>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "当前阶段：{}", c.stage.label());
    if let Some(n) = c.next {
        gates_text(&mut o, &format!("进入“{}”前还缺", n.label()), c.next_gates);
    }
    gates_text(&mut o, "生成报送包前还缺", c.bundle_gates);
    for i in &c.attribute_issues {
        let _ = writeln!(o, "  公开属性：{}", i.message);
    }
    for i in &c.package_issues {
        let kind = if i.blocking {
            "解读缺项"
        } else {
            "形式化解读提示"
        };
        let _ = writeln!(o, "  {kind}：{}", i.message);
    }
    o
}

fn attribute_text(v: &DisclosureView) -> String {
    match &v.disclosure {
        None => "尚未确定公开属性。\n".into(),
        Some(d) => {
            let mut o = format!("公开属性：{}\n", d.attribute.label());
            if !d.grounds.is_empty() {
                let _ = writeln!(o, "理由：{}", d.grounds.join("、"));
            }
            if !d.reason.is_empty() {
                let _ = writeln!(o, "具体说明：{}", d.reason);
            }
            if let Some(by) = &v.decided_by {
                let _ = writeln!(o, "认定人：{by}");
            }
            o
        }
    }
}

fn doc(id: &str, api: &Api) -> Result<String, ApiError> {
    crate::resolve(api, id)
}

/// Runs one publication command.
pub fn run(api: &Api, f: Format, cmd: PubCmd) -> Result<(), ApiError> {
    match cmd {
        PubCmd::Attribute(a) => {
            let doc_id = doc(&a.id, api)?;
            let view = match a.set {
                None => api.disclosure_get(DocRef { doc_id })?,
                Some(attr) => {
                    let attribute = Attribute::parse(&attr).ok_or_else(|| {
                        invalid(
                            "公开属性应为 active、on_request、withheld 或 partial（或中文名称）。",
                        )
                    })?;
                    let channels = a
                        .channels
                        .iter()
                        .map(|c| {
                            Channel::parse(c).ok_or_else(|| {
                                invalid(&format!("公开方式“{c}”无效：可用 website、new_media、reading_room、press、press_conference、notice_board。"))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    api.disclosure_set(DisclosureSetRequest {
                        doc_id,
                        disclosure: Disclosure {
                            attribute,
                            grounds: a.grounds,
                            reason: a.reason,
                            ground_detail: a.detail,
                            channels,
                            catalog_item: a.catalog,
                            reach: Reach {
                                affects_public: a.affects_public,
                                replaces_policy: a.replaces_policy,
                                has_benefits: a.has_benefits,
                            },
                        },
                    })?
                }
            };
            out(emit(f, &view, attribute_text))
        }
        PubCmd::Status { id } => {
            let w = api.workflow_status(DocRef {
                doc_id: doc(&id, api)?,
            })?;
            out(emit(f, &w, status_text))
        }
        PubCmd::Check { id } => {
            let doc_id = doc(&id, api)?;
            let w = api.workflow_status(DocRef {
                doc_id: doc_id.clone(),
            })?;
            let p = api.package_get(DocRef {
                doc_id: doc_id.clone(),
            })?;
            let attr = api.disclosure_get(DocRef { doc_id })?;
            let c = CheckOut {
                stage: w.stage,
                next: w.next,
                next_gates: &w.next_gates,
                bundle_gates: &w.bundle_gates,
                package_complete: p.check.complete,
                package_issues: if w.facts.needs_interpretation || p.head.is_some() {
                    p.check.issues
                } else {
                    vec![]
                },
                attribute_issues: attr.issues,
            };
            out(emit(f, &c, check_text))
        }
        PubCmd::Advance { id, to, reason } => {
            let w = api.workflow_transition(TransitionRequest {
                doc_id: doc(&id, api)?,
                to: parse_stage(&to)?,
                reason,
            })?;
            out(emit(f, &w, status_text))
        }
        PubCmd::Package { id, file } => {
            let doc_id = doc(&id, api)?;
            let view = match file {
                None => api.package_get(DocRef { doc_id })?,
                Some(path) => {
                    let package = read_json(&path, "解读材料")?;
                    let base = api.package_get(DocRef {
                        doc_id: doc_id.clone(),
                    })?;
                    api.package_save(PackageSaveRequest {
                        doc_id,
                        base_rev_id: base.head.map(|h| h.rev_id),
                        package,
                    })?
                }
            };
            out(emit(f, &view, |v| {
                let mut o = format!(
                    "{}（第{}版）\n完整：{}\n",
                    v.display_title,
                    v.head.as_ref().map_or(0, |h| h.rev_no),
                    if v.check.complete { "是" } else { "否" }
                );
                for i in &v.check.issues {
                    let _ = writeln!(o, "  - {}", i.message);
                }
                o
            }))
        }
        PubCmd::Secrecy { id, file } => {
            let doc_id = doc(&id, api)?;
            let view = match file {
                None => api.secrecy_get(DocRef { doc_id })?,
                Some(path) => api.secrecy_record(SecrecyRecordRequest {
                    doc_id,
                    review: read_json(&path, "保密审查")?,
                })?,
            };
            out(emit(f, &view, |v| {
                if v.review.is_none() {
                    return "尚未登记保密审查。\n".into();
                }
                if v.problems.is_empty() {
                    return "保密审查已通过。\n".into();
                }
                v.problems.iter().map(|p| format!("- {p}\n")).collect()
            }))
        }
        PubCmd::Deid {
            id,
            accept_all,
            confirm_images,
            apply,
        } => {
            let doc_id = doc(&id, api)?;
            let mut review = api.deid_review(DocRef {
                doc_id: doc_id.clone(),
            })?;
            if accept_all {
                let pending: Vec<String> = review
                    .findings
                    .iter()
                    .filter(|x| x.decision == Decision::Pending)
                    .map(|x| x.id.clone())
                    .collect();
                if !pending.is_empty() {
                    review = api.deid_decide(DeidDecideRequest {
                        doc_id: doc_id.clone(),
                        rev_id: review.rev_id.clone(),
                        finding_ids: pending,
                        decision: Decision::Accepted,
                        replacement: None,
                    })?;
                }
            }
            if confirm_images {
                let open: Vec<String> = review
                    .images
                    .iter()
                    .filter(|i| i.confirmed_by.is_none())
                    .map(|i| i.sha256.clone())
                    .collect();
                for sha256 in open {
                    review = api.deid_image_confirm(DeidImageRequest {
                        doc_id: doc_id.clone(),
                        sha256,
                    })?;
                }
            }
            if apply {
                let applied = api.deid_apply(DocRef { doc_id })?;
                return out(emit(f, &applied.report, |r| {
                    let n: u32 = r.counts.values().sum();
                    format!(
                        "已生成公开文本：替换{n}处个人信息（审查人：{}）\n",
                        r.reviewer
                    )
                }));
            }
            out(emit(f, &review, |r| {
                let mut o = String::new();
                for x in &r.findings {
                    let _ = writeln!(
                        o,
                        "{:?}\t{}\t{}\t→ {}",
                        x.decision, x.kind, x.text, x.replacement
                    );
                }
                for k in &r.kept {
                    let _ = writeln!(o, "保留\t{}\t{}\t（{}）", k.kind, k.text, k.reason);
                }
                for i in &r.images {
                    let state = i
                        .confirmed_by
                        .as_deref()
                        .map_or("未确认".to_string(), |b| format!("已确认（{b}）"));
                    let _ = writeln!(o, "图片\t{}\t{state}", i.file_name);
                }
                let _ = writeln!(o, "待确认：{}处", r.pending);
                o
            }))
        }
        PubCmd::Signoff {
            id,
            signer,
            date,
            opinion,
        } => {
            let w = api.signoff_record(SignoffRequest {
                doc_id: doc(&id, api)?,
                signer,
                signed_on: date,
                opinion,
            })?;
            out(emit(f, &w, status_text))
        }
        PubCmd::Event { id, kind, date } => {
            let w = api.event_record(EventRequest {
                doc_id: doc(&id, api)?,
                kind,
                date,
            })?;
            out(emit(f, &w, status_text))
        }
        PubCmd::Import { file } => {
            let v = api.doc_import(ImportRequest {
                path: file.display().to_string(),
            })?;
            out(emit(f, &v, |v| {
                let mut o = format!(
                    "已导入：{}（{}）\n",
                    v.doc.summary.doc_id,
                    if v.doc.fields.title.is_empty() {
                        "无标题"
                    } else {
                        &v.doc.fields.title
                    }
                );
                if let Some(l) = &v.left_out {
                    let _ = writeln!(o, "{l}");
                }
                for n in &v.notices {
                    let _ = writeln!(o, "提示：{n}");
                }
                o
            }))
        }
        PubCmd::ExportDocx {
            id,
            out: path,
            redacted,
        } => {
            let w = api.doc_export_docx(ExportRequest {
                doc_id: doc(&id, api)?,
                path: path.display().to_string(),
                redacted,
            })?;
            out_written(f, &w)
        }
        PubCmd::ExportInterpretation {
            id,
            out: path,
            redacted,
        } => {
            let w = api.interpretation_export_docx(ExportRequest {
                doc_id: doc(&id, api)?,
                path: path.display().to_string(),
                redacted,
            })?;
            out_written(f, &w)
        }
        PubCmd::Pause { id, range, reason } => {
            let (start, end) = range.split_once("..").ok_or_else(|| {
                invalid("暂停区间应写成 开始日期..结束日期，如 2026-03-02..2026-03-06。")
            })?;
            let w = api.deadline_pause(PauseRequest {
                doc_id: doc(&id, api)?,
                start: start.into(),
                end: end.into(),
                reason,
            })?;
            out(emit(f, &w, status_text))
        }
    }
}

fn out_written(f: Format, w: &WrittenFile) -> Result<(), ApiError> {
    out(emit(f, w, |w| {
        format!(
            "已写入 {}（{} 字节，SHA-256 {}）\n",
            w.path,
            w.bytes,
            &w.sha256[..12]
        )
    }))
}

/// `gongkai deadlines`: the panel of running and overdue deadlines.
pub fn panel(api: &Api, f: Format) -> Result<(), ApiError> {
    let list = api.deadlines_panel()?;
    out(emit(f, &list, |v| {
        if v.is_empty() {
            return "（没有进行中的时限）\n".into();
        }
        v.iter()
            .map(|d| format!("{}  {}  {}\n", d.doc_id, d.doc_title, deadline_line(d)))
            .collect()
    }))
}
