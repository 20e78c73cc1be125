//! `gongkai consult …`: 征求意见 over the API — open the window, take in comments, decide them,
//! write and confirm the feedback, record the decision's publication. Each prints the
//! consultation as it stands (with `--format json`, the API's `ConsultView`).

use crate::{emit, resolve, Format};
use clap::Subcommand;
use gongkai_api::{
    Api, ApiError, ConsultCloseRequest, ConsultCommentRequest, ConsultDecideRequest,
    ConsultFeedbackRequest, ConsultImportRequest, ConsultKeepRequest, ConsultOpenRequest,
    ConsultView, DocRef, ErrorCode,
};

#[derive(Subcommand)]
pub enum ConsultCmd {
    /// Open a document for public comment (or move its window). At least 30 calendar days,
    /// both ends counted; shorter only with --reason.
    Open {
        id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Add comments: --file F (.csv with a header naming 意见内容 and optionally 收到日期, 渠道,
    /// 意见人, 条款; or .txt, one comment per paragraph), or one comment with --text.
    Comment {
        id: String,
        #[arg(long, conflicts_with = "text")]
        file: Option<std::path::PathBuf>,
        #[arg(long)]
        text: Option<String>,
        #[arg(long, default_value = "")]
        topic: String,
        #[arg(long, default_value = "")]
        received: String,
    },
    /// What became of a comment: adopted | partly | not_adopted (the last two with --reason).
    Decide {
        id: String,
        comment: String,
        #[arg(long)]
        adoption: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        topic: Option<String>,
    },
    /// Write the feedback (采纳情况) from a text file; it is de-identified (each finding masked
    /// unless named with --keep) and confirmed.
    Feedback {
        id: String,
        #[arg(long)]
        file: std::path::PathBuf,
        /// Leave this flagged text visible (an official's name, a published office number).
        #[arg(long)]
        keep: Vec<String>,
    },
    /// Record the decision's publication (a bundle published through the office does it too).
    Close {
        id: String,
        #[arg(long)]
        date: String,
    },
    /// Show a document's consultation.
    Show { id: String },
}

fn text(v: &ConsultView) -> String {
    let mut t = format!(
        "《{}》征求意见 {} 至 {}（{}天{}）\n",
        v.title,
        v.window.from,
        v.window.to,
        v.window.days,
        if v.window.short {
            format!("，短于{}天：{}", v.window.min_days, v.short_reason)
        } else {
            String::new()
        }
    );
    t.push_str(&format!(
        "意见 {} 条，待研究 {} 条\n",
        v.comments.len(),
        v.pending
    ));
    for g in &v.groups {
        t.push_str(&format!(
            "  {}：{} 条（采纳 {}，部分采纳 {}，未予采纳 {}）\n",
            g.topic, g.total, g.adopted, g.partly, g.not_adopted
        ));
    }
    for c in &v.comments {
        t.push_str(&format!(
            "  {}  {}  {}  {}  {}\n",
            &c.comment_id[..8.min(c.comment_id.len())],
            c.received,
            c.adoption_label,
            if c.topic.is_empty() {
                "其他"
            } else {
                &c.topic
            },
            c.text.lines().next().unwrap_or("")
        ));
    }
    if let Some(f) = &v.feedback {
        t.push_str(&format!(
            "意见反馈（{}）：\n{}\n",
            match &f.confirmed_by {
                Some(by) => format!("{by} 已确认去标识化"),
                None => "未确认".into(),
            },
            f.redacted
        ));
        for x in &f.findings {
            t.push_str(&format!(
                "  {} {}：{} → {}\n",
                x.label,
                if x.keep { "保留" } else { "遮蔽" },
                x.text,
                if x.keep { &x.text } else { &x.replacement }
            ));
        }
    }
    for s in &v.steps {
        t.push_str(&format!(
            "{}：应于 {} 前{}\n",
            s.title,
            s.due,
            match &s.done_on {
                Some(d) => format!("，{d} 已完成"),
                None if s.status == "overdue" => "，已超期".into(),
                None => String::new(),
            }
        ));
    }
    if !v.blocking.is_empty() {
        t.push_str(&format!("送审签前还须：{}\n", v.blocking));
    }
    t
}

/// The comment a prefix names.
fn comment_id(api: &Api, doc: &str, prefix: &str) -> Result<String, ApiError> {
    let v = api
        .consult_get(DocRef { doc_id: doc.into() })?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "这份文件还没有开始征求意见。"))?;
    let found: Vec<&str> = v
        .comments
        .iter()
        .filter(|c| c.comment_id.starts_with(prefix.trim()))
        .map(|c| c.comment_id.as_str())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("没有编号以 {prefix} 开头的意见。"),
        )),
        _ => Err(crate::invalid(&format!(
            "编号 {prefix} 对应多条意见，请多写几位。"
        ))),
    }
}

/// Runs `gongkai consult …`.
pub fn consult(api: &Api, f: Format, cmd: ConsultCmd) -> Result<(), ApiError> {
    let v = match cmd {
        ConsultCmd::Open {
            id,
            from,
            to,
            reason,
        } => api.consult_open(ConsultOpenRequest {
            doc_id: resolve(api, &id)?,
            from,
            to,
            reason,
        })?,
        ConsultCmd::Comment {
            id,
            file,
            text,
            topic,
            received,
        } => {
            let doc_id = resolve(api, &id)?;
            match (file, text) {
                (Some(file), _) => api.consult_comment_import(ConsultImportRequest {
                    doc_id,
                    path: file.display().to_string(),
                })?,
                (None, Some(text)) => api.consult_comment_add(ConsultCommentRequest {
                    doc_id,
                    received,
                    channel: String::new(),
                    commenter: String::new(),
                    topic,
                    text,
                })?,
                (None, None) => {
                    return Err(crate::invalid(
                        "请用 --file 指定意见文件，或用 --text 写一条意见。",
                    ))
                }
            }
        }
        ConsultCmd::Decide {
            id,
            comment,
            adoption,
            reason,
            topic,
        } => {
            let doc_id = resolve(api, &id)?;
            let comment_id = comment_id(api, &doc_id, &comment)?;
            api.consult_comment_decide(ConsultDecideRequest {
                doc_id,
                comment_id,
                adoption,
                reason,
                topic,
            })?
        }
        ConsultCmd::Feedback { id, file, keep } => {
            let doc_id = resolve(api, &id)?;
            let bytes = std::fs::read(&file).map_err(|e| {
                ApiError::new(
                    ErrorCode::BadFile,
                    format!("读不到反馈文件 {}：{e}", file.display()),
                )
            })?;
            let text = gongkai_core::consultation::decode_text(&bytes);
            let mut v = api.consult_feedback(ConsultFeedbackRequest {
                doc_id: doc_id.clone(),
                text,
            })?;
            for k in &keep {
                let hits: Vec<u32> = v
                    .feedback
                    .iter()
                    .flat_map(|fb| fb.findings.iter())
                    .filter(|x| x.text == k.trim())
                    .map(|x| x.index)
                    .collect();
                if hits.is_empty() {
                    return Err(crate::invalid(&format!(
                        "反馈中没有被识别为个人信息的“{k}”，无需 --keep。"
                    )));
                }
                for index in hits {
                    v = api.consult_feedback_keep(ConsultKeepRequest {
                        doc_id: doc_id.clone(),
                        index,
                        keep: true,
                    })?;
                }
            }
            api.consult_feedback_confirm(DocRef { doc_id })?
        }
        ConsultCmd::Close { id, date } => api.consult_close(ConsultCloseRequest {
            doc_id: resolve(api, &id)?,
            date,
        })?,
        ConsultCmd::Show { id } => api
            .consult_get(DocRef {
                doc_id: resolve(api, &id)?,
            })?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "这份文件还没有开始征求意见。"))?,
    };
    emit(f, &v, text).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}
