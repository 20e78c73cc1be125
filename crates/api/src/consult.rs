//! 征求意见 through the API (rules in `gongkai_core::consultation`): open a document for public
//! comment, take in the comments (typed, or a .csv/.txt the portal gave), decide each one's
//! 采纳情况, write the feedback and confirm its de-identification, and record the decision's
//! publication. Until the loop is closed as far as the document needs, it cannot go for
//! sign-off (the workflow gate `consultation_unfinished`). The feedback, redacted, travels in
//! the document's bundle; the comments and who made them stay on this PC.

use crate::{parse_doc_id, Api, ApiError, ApiResult, ErrorCode};
use chrono::NaiveDate;
use gongkai_core::consultation::{
    self, check_window, Adoption, Comment, ConsultRules, TopicCount, Window,
};
use gongkai_core::Stage;
use gongkai_store::{CommentRow, ConsultRow, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Open (or move) a document's consultation window.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultOpenRequest {
    pub doc_id: String,
    /// First day, YYYY-MM-DD.
    pub from: String,
    /// Last day, YYYY-MM-DD.
    pub to: String,
    /// Why the window is shorter than the rule (required then).
    #[serde(default)]
    pub reason: String,
}

/// A window as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WindowView {
    pub from: String,
    pub to: String,
    /// Calendar days, both ends counted.
    pub days: u32,
    pub min_days: u32,
    pub short: bool,
    /// What the clerk should know (a short window; empty when none).
    pub warning: String,
}

/// Add one comment by hand.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultCommentRequest {
    pub doc_id: String,
    /// YYYY-MM-DD; today when empty.
    #[serde(default)]
    pub received: String,
    /// 网站, 信函, 电子邮件, 座谈会 …
    #[serde(default)]
    pub channel: String,
    /// Who (kept on this PC only).
    #[serde(default)]
    pub commenter: String,
    /// The article or subject it addresses.
    #[serde(default)]
    pub topic: String,
    pub text: String,
}

/// Read comments from a file (.csv or .txt).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultImportRequest {
    pub doc_id: String,
    pub path: String,
}

/// What became of a comment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultDecideRequest {
    pub doc_id: String,
    pub comment_id: String,
    /// `pending`, `adopted`, `partly`, `not_adopted`.
    pub adoption: String,
    #[serde(default)]
    pub reason: String,
    /// A new topic (group); unchanged when absent.
    #[ts(optional)]
    #[serde(default)]
    pub topic: Option<String>,
}

/// Write the feedback text (it is scanned again; its confirmation is cleared).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultFeedbackRequest {
    pub doc_id: String,
    pub text: String,
}

/// Keep one finding of the feedback visible (an official's name, a published office number),
/// or mask it again.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultKeepRequest {
    pub doc_id: String,
    pub index: u32,
    pub keep: bool,
}

/// Record the decision's publication.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultCloseRequest {
    pub doc_id: String,
    /// YYYY-MM-DD.
    pub date: String,
}

/// One comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CommentView {
    pub comment_id: String,
    pub received: String,
    pub channel: String,
    pub commenter: String,
    pub topic: String,
    pub text: String,
    pub adoption: String,
    /// 待研究, 采纳, 部分采纳, 未予采纳.
    pub adoption_label: String,
    pub reason: String,
}

/// Something in the feedback that looks like personal information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedbackFinding {
    pub index: u32,
    pub kind: String,
    pub label: String,
    /// Code points into the feedback text.
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// Left visible on the clerk's word (else masked).
    pub keep: bool,
    /// What it becomes when masked.
    pub replacement: String,
}

/// The feedback (采纳情况) and its de-identification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedbackView {
    pub text: String,
    pub findings: Vec<FeedbackFinding>,
    /// As it leaves, in the bundle.
    pub redacted: String,
    #[ts(optional)]
    pub confirmed_by: Option<String>,
    #[ts(optional)]
    pub confirmed_at: Option<String>,
}

/// A step with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultStepView {
    /// `collect`, `feedback`, `decision`.
    pub key: String,
    pub title: String,
    pub due: String,
    #[ts(optional)]
    pub done_on: Option<String>,
    /// `upcoming`, `due`, `done`, `overdue` (as on the duty board).
    pub status: String,
}

/// A document's consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultView {
    pub doc_id: String,
    pub title: String,
    pub window: WindowView,
    pub short_reason: String,
    pub comments: Vec<CommentView>,
    pub groups: Vec<TopicCount>,
    pub pending: u32,
    #[ts(optional)]
    pub feedback: Option<FeedbackView>,
    /// A first version of the feedback, from the comments.
    pub draft: String,
    pub steps: Vec<ConsultStepView>,
    /// The decision's publication (recorded, or the document's publication).
    #[ts(optional)]
    pub decision_on: Option<String>,
    /// Why the document cannot go for sign-off yet (empty when it can).
    pub blocking: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredFinding {
    kind: String,
    start: u32,
    end: u32,
    text: String,
    #[serde(default)]
    keep: bool,
}

fn rules(store: &Store) -> ApiResult<ConsultRules> {
    Ok(
        gongkai_core::duty::DutyBook::parse(&store.seed_json("duties")?)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e))?
            .consultation,
    )
}

fn window_of(row: &ConsultRow, r: ConsultRules) -> Window {
    Window::span(row.opens_on, row.closes_on, r)
}

fn window_view(w: &Window, r: ConsultRules) -> WindowView {
    WindowView {
        from: w.from.to_string(),
        to: w.to.to_string(),
        days: w.days,
        min_days: r.min_days,
        short: w.short,
        warning: if w.short {
            format!(
                "征求意见期{}天，少于{}天（种子000第3项：征求意见期限不少于30日），须写明缩短的理由。",
                w.days, r.min_days
            )
        } else {
            String::new()
        },
    }
}

fn core_comments(rows: &[CommentRow]) -> Vec<Comment> {
    rows.iter()
        .map(|c| Comment {
            topic: c.topic.clone(),
            text: c.body.clone(),
            adoption: Adoption::parse(&c.adoption).unwrap_or(Adoption::Pending),
            reason: c.reason.clone(),
        })
        .collect()
}

fn consult_err(e: consultation::ConsultError) -> ApiError {
    ApiError::invalid(e.to_string())
}

fn not_open() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "这份文件还没有开始征求意见：请先设定征求意见期（开始和截止日期）。",
    )
}

/// The decision's publication: recorded by hand, else the document's publication.
fn decision_on(store: &Store, row: &ConsultRow) -> ApiResult<Option<NaiveDate>> {
    if let Some(d) = row.closed_on {
        return Ok(Some(d));
    }
    Ok(store
        .events(parse_doc_id(&row.doc_id)?)?
        .into_iter()
        .find(|(kind, _)| kind == "published")
        .map(|(_, on)| on))
}

/// Why the document cannot go for sign-off yet because of its consultation (None: it can, or
/// it has none).
pub(crate) fn gate(store: &Store, doc_id: &str, today: NaiveDate) -> ApiResult<Option<String>> {
    let Some(row) = store.consultation(doc_id)? else {
        return Ok(None);
    };
    let w = window_of(&row, rules(store)?);
    let confirmed = row.confirmed_at.is_some() && row.feedback_redacted.is_some();
    Ok(consultation::bundle_gate(&w, today, pending(store, doc_id)?, confirmed).err())
}

/// What the bundle says of the consultation: counts, groups, the redacted feedback.
pub(crate) fn summary(
    api: &Api,
    store: &Store,
    doc_id: &str,
) -> ApiResult<Option<gongkai_bundle::ConsultationSummary>> {
    let Some(row) = store.consultation(doc_id)? else {
        return Ok(None);
    };
    let (Some(feedback), Some(by), Some(at)) = (
        row.feedback_redacted.clone(),
        row.confirmed_by.clone(),
        row.confirmed_at,
    ) else {
        return Ok(None);
    };
    let r = rules(store)?;
    let w = window_of(&row, r);
    let comments = store.comments(doc_id)?;
    let scanner = api.scanner();
    let clean = |s: &str| gongkai_deid::apply(s, &scanner.scan(s), scanner.policy()).text;
    Ok(Some(gongkai_bundle::ConsultationSummary {
        from: w.from,
        to: w.to,
        days: w.days,
        short_reason: Some(clean(&row.short_reason)).filter(|s| !s.trim().is_empty()),
        comments: comments.len() as u32,
        groups: consultation::group(&core_comments(&comments))
            .into_iter()
            .map(|g| gongkai_bundle::TopicSummary {
                topic: clean(&g.topic),
                total: g.total,
                adopted: g.adopted,
                partly: g.partly,
                not_adopted: g.not_adopted,
            })
            .collect(),
        feedback,
        confirmed_by: by,
        confirmed_at: at,
    }))
}

impl Api {
    fn consult_row(store: &Store, doc_id: &str) -> ApiResult<ConsultRow> {
        store.consultation(doc_id)?.ok_or_else(not_open)
    }

    /// The window as it would be (for the clerk's form, before opening).
    pub fn consult_window(&self, req: ConsultOpenRequest) -> ApiResult<WindowView> {
        let store = self.store()?;
        let r = rules(&store)?;
        let (from, to) = (
            crate::deadlines::date(&req.from)?,
            crate::deadlines::date(&req.to)?,
        );
        // Checked with a stand-in reason: the view says whether one is needed.
        let w = check_window(from, to, "-", r).map_err(consult_err)?;
        Ok(window_view(&w, r))
    }

    /// A document's consultation (`None` when it has none).
    pub fn consult_get(&self, req: crate::DocRef) -> ApiResult<Option<ConsultView>> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        match store.consultation(&doc_id.to_string())? {
            Some(row) => Ok(Some(self.consult_view(&store, &row)?)),
            None => Ok(None),
        }
    }

    fn consult_view(&self, store: &Store, row: &ConsultRow) -> ApiResult<ConsultView> {
        let r = rules(store)?;
        let doc_id = parse_doc_id(&row.doc_id)?;
        let title = store.head(doc_id)?.fields.title;
        let w = window_of(row, r);
        let today = crate::files::local_date(self.clock.now());
        let rows = store.comments(&row.doc_id)?;
        let comments = core_comments(&rows);
        let cal = self.calendar_in(store)?;
        let decided = decision_on(store, row)?;
        let feedback_on = row.confirmed_at.map(crate::files::local_date);
        let steps = consultation::steps(&w, feedback_on, decided, today, &cal, r)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let feedback = match &row.feedback {
            Some(text) => Some(self.feedback_view(text, row)?),
            None => None,
        };
        Ok(ConsultView {
            doc_id: row.doc_id.clone(),
            window: window_view(&w, r),
            short_reason: row.short_reason.clone(),
            pending: comments
                .iter()
                .filter(|c| c.adoption == Adoption::Pending)
                .count() as u32,
            groups: consultation::group(&comments),
            draft: consultation::feedback_draft(&title, &w, &comments),
            title,
            comments: rows
                .iter()
                .map(|c| {
                    let a = Adoption::parse(&c.adoption).unwrap_or(Adoption::Pending);
                    CommentView {
                        comment_id: c.comment_id.clone(),
                        received: c.received_on.to_string(),
                        channel: c.channel.clone(),
                        commenter: c.commenter.clone(),
                        topic: c.topic.clone(),
                        text: c.body.clone(),
                        adoption: a.as_str().into(),
                        adoption_label: a.label().into(),
                        reason: c.reason.clone(),
                    }
                })
                .collect(),
            feedback,
            steps: steps
                .iter()
                .map(|s| ConsultStepView {
                    key: s.key.clone(),
                    title: s.title.clone(),
                    due: s.due.to_string(),
                    done_on: s.done_on.map(|d| d.to_string()),
                    status: if s.done_on.is_some() {
                        "done"
                    } else if today > s.due {
                        "overdue"
                    } else if s.key == "collect" && today < w.from {
                        "upcoming"
                    } else {
                        "due"
                    }
                    .into(),
                })
                .collect(),
            decision_on: decided.map(|d| d.to_string()),
            blocking: gate(store, &row.doc_id, today)?.unwrap_or_default(),
        })
    }

    fn feedback_view(&self, text: &str, row: &ConsultRow) -> ApiResult<FeedbackView> {
        let stored: Vec<StoredFinding> = row
            .feedback_findings
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .unwrap_or_default();
        let scanner = self.scanner();
        let all: Vec<gongkai_deid::Finding> = stored.iter().filter_map(to_finding).collect();
        let preview = gongkai_deid::apply(text, &all, scanner.policy());
        Ok(FeedbackView {
            text: text.to_string(),
            findings: stored
                .iter()
                .enumerate()
                .map(|(i, f)| FeedbackFinding {
                    index: i as u32,
                    label: gongkai_deid::Kind::parse(&f.kind)
                        .map_or_else(|| f.kind.clone(), |k| k.label().to_string()),
                    kind: f.kind.clone(),
                    start: f.start,
                    end: f.end,
                    text: f.text.clone(),
                    keep: f.keep,
                    replacement: preview
                        .replacements
                        .iter()
                        .find(|r| r.start == f.start as usize && r.end == f.end as usize)
                        .map(|r| r.replacement.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            redacted: redact(text, &stored, scanner.policy()),
            confirmed_by: row.confirmed_by.clone(),
            confirmed_at: row.confirmed_at.map(|t| t.to_rfc3339()),
        })
    }

    /// Opens the consultation, or moves its window (comments are kept). Refused once the
    /// document went for sign-off, once the decision was published, and for a window shorter
    /// than the rule without a reason.
    pub fn consult_open(&self, req: ConsultOpenRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let r = rules(&store)?;
        let stage = store.publication(doc_id)?.stage;
        if stage >= Stage::InReview && stage != Stage::Returned {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!(
                    "文件当前处于“{}”：征求意见须在送审签之前进行（征求意见稿）。",
                    stage.label()
                ),
            ));
        }
        let (from, to) = (
            crate::deadlines::date(&req.from)?,
            crate::deadlines::date(&req.to)?,
        );
        let w = check_window(from, to, &req.reason, r).map_err(consult_err)?;
        let id = doc_id.to_string();
        let existing = store.consultation(&id)?;
        if existing.as_ref().is_some_and(|c| c.closed_on.is_some()) {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "这次征求意见已办结（决策已公布），不能再修改征求意见期。",
            ));
        }
        if let Some(first) = store.comments(&id)?.iter().map(|c| c.received_on).min() {
            if first < from {
                return Err(ApiError::invalid(format!(
                    "已登记的意见中最早的收到日期是{first}，征求意见期不能晚于这一天开始。"
                )));
            }
        }
        let short_reason = if w.short {
            req.reason.trim().to_string()
        } else {
            String::new()
        };
        let row = match existing {
            Some(c) => ConsultRow {
                opens_on: from,
                closes_on: to,
                short_reason,
                ..c
            },
            None => ConsultRow {
                doc_id: id,
                opens_on: from,
                closes_on: to,
                short_reason,
                opened_by: clerk.name.clone(),
                opened_at: self.clock.now(),
                feedback: None,
                feedback_findings: None,
                feedback_redacted: None,
                confirmed_by: None,
                confirmed_at: None,
                closed_on: None,
                closed_by: None,
            },
        };
        store.consultation_save(&row, self.clock.now())?;
        self.consult_view(&store, &row)
    }

    fn add_comments(&self, doc: &str, rows: Vec<CommentRow>) -> ApiResult<ConsultView> {
        let mut store = self.store()?;
        let row = Self::consult_row(&store, doc)?;
        if row.closed_on.is_some() {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "这次征求意见已办结，不能再登记意见。",
            ));
        }
        let today = crate::files::local_date(self.clock.now());
        for c in &rows {
            if c.received_on < row.opens_on {
                return Err(ApiError::invalid(format!(
                    "意见的收到日期{}早于征求意见开始日{}，请核对。",
                    c.received_on, row.opens_on
                )));
            }
            if c.received_on > today {
                return Err(ApiError::invalid(format!(
                    "意见的收到日期{}晚于今天，请核对。",
                    c.received_on
                )));
            }
        }
        store.comments_add(&rows, self.clock.now())?;
        let row = self.clear_confirmation(&store, row)?;
        self.consult_view(&store, &row)
    }

    /// A new comment or a changed decision makes the confirmed feedback out of date.
    fn clear_confirmation(&self, store: &Store, row: ConsultRow) -> ApiResult<ConsultRow> {
        if row.confirmed_at.is_none() {
            return Ok(row);
        }
        let row = ConsultRow {
            confirmed_at: None,
            confirmed_by: None,
            ..row
        };
        store.consultation_save(&row, self.clock.now())?;
        Ok(row)
    }

    /// Adds one comment.
    pub fn consult_comment_add(&self, req: ConsultCommentRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ApiError::invalid("请填写意见内容。"));
        }
        let received = match req.received.trim() {
            "" => crate::files::local_date(self.clock.now()),
            d => crate::deadlines::date(d)?,
        };
        let row = CommentRow {
            comment_id: self.ids.new_uuid().to_string(),
            doc_id: doc_id.to_string(),
            received_on: received,
            channel: req.channel.trim().into(),
            commenter: req.commenter.trim().into(),
            topic: req.topic.trim().into(),
            body: text.into(),
            adoption: "pending".into(),
            reason: String::new(),
        };
        self.add_comments(&doc_id.to_string(), vec![row])
    }

    /// Reads comments from a .csv (a header row naming the columns) or a .txt (one per
    /// paragraph); all or none are added.
    pub fn consult_comment_import(&self, req: ConsultImportRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let path = std::path::Path::new(req.path.trim());
        let csv = match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => true,
            Some("txt") => false,
            _ => {
                return Err(ApiError::new(
                    ErrorCode::BadFile,
                    "意见文件请用 .csv（表头含“意见内容”，可另含收到日期、渠道、意见人、条款）或 .txt（每段一条意见）。Excel 表格请另存为 CSV。",
                ))
            }
        };
        let bytes = crate::exchange::read_file(&req.path, 8 * 1024 * 1024, "意见文件")?;
        let today = crate::files::local_date(self.clock.now());
        let read = consultation::parse_comments(&bytes, csv, today)
            .map_err(|e| ApiError::new(ErrorCode::BadFile, e.to_string()))?;
        if read.is_empty() {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "意见文件中没有读到意见内容，请核对文件。",
            ));
        }
        let rows = read
            .into_iter()
            .map(|c| CommentRow {
                comment_id: self.ids.new_uuid().to_string(),
                doc_id: doc_id.to_string(),
                received_on: c.received,
                channel: c.channel,
                commenter: c.commenter,
                topic: c.topic,
                body: c.text,
                adoption: "pending".into(),
                reason: String::new(),
            })
            .collect();
        self.add_comments(&doc_id.to_string(), rows)
    }

    /// Records what became of a comment.
    pub fn consult_comment_decide(&self, req: ConsultDecideRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?.to_string();
        let adoption = Adoption::parse(&req.adoption)
            .ok_or_else(|| ApiError::invalid("采纳情况应为：待研究、采纳、部分采纳、未予采纳。"))?;
        adoption.check(&req.reason).map_err(consult_err)?;
        let store = self.store()?;
        let row = Self::consult_row(&store, &doc_id)?;
        let current = store
            .comments(&doc_id)?
            .into_iter()
            .find(|c| c.comment_id == req.comment_id.trim())
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "没有这条意见，请刷新后重试。"))?;
        let topic = req
            .topic
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.topic)
            .to_string();
        let reason = if adoption == Adoption::Adopted || adoption == Adoption::Pending {
            String::new()
        } else {
            req.reason.trim().to_string()
        };
        store.comment_decide(
            &doc_id,
            &current.comment_id,
            &topic,
            adoption.as_str(),
            &reason,
            self.clock.now(),
        )?;
        let row = self.clear_confirmation(&store, row)?;
        self.consult_view(&store, &row)
    }

    /// Writes the feedback and scans it; every finding is masked until the clerk keeps it.
    pub fn consult_feedback(&self, req: ConsultFeedbackRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?.to_string();
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ApiError::invalid(
                "请写明意见采纳情况（可先用“按意见生成”得到初稿再修改）。",
            ));
        }
        let store = self.store()?;
        let row = Self::consult_row(&store, &doc_id)?;
        let scanner = self.scanner();
        let found: Vec<StoredFinding> = scanner
            .scan(text)
            .into_iter()
            .map(|f| StoredFinding {
                kind: f.kind.as_str().into(),
                start: f.start as u32,
                end: f.end as u32,
                text: f.text,
                keep: false,
            })
            .collect();
        let row = reviewed(
            ConsultRow {
                feedback: Some(text.to_string()),
                ..row
            },
            text,
            &found,
            scanner.policy(),
        );
        store.consultation_save(&row, self.clock.now())?;
        self.consult_view(&store, &row)
    }

    /// Keeps a finding of the feedback visible, or masks it again.
    pub fn consult_feedback_keep(&self, req: ConsultKeepRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?.to_string();
        let store = self.store()?;
        let row = Self::consult_row(&store, &doc_id)?;
        let (Some(text), Some(json)) = (&row.feedback, &row.feedback_findings) else {
            return Err(ApiError::invalid("请先写好意见采纳情况。"));
        };
        let mut found: Vec<StoredFinding> = serde_json::from_str(json)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let f = found
            .get_mut(req.index as usize)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "没有这一处，请刷新后重试。"))?;
        f.keep = req.keep;
        let text = text.clone();
        let row = reviewed(row, &text, &found, self.scanner().policy());
        store.consultation_save(&row, self.clock.now())?;
        self.consult_view(&store, &row)
    }

    /// The clerk confirms the feedback's de-identification (who and when are kept); the
    /// feedback step is done that day.
    pub fn consult_feedback_confirm(&self, req: crate::DocRef) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?.to_string();
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let row = Self::consult_row(&store, &doc_id)?;
        if row.feedback.is_none() {
            return Err(ApiError::invalid("请先写好意见采纳情况。"));
        }
        let pending = pending(&store, &doc_id)?;
        if pending > 0 {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!("还有{pending}条意见未确定采纳情况，请逐条确定后再确认意见反馈。"),
            ));
        }
        let row = ConsultRow {
            confirmed_by: Some(clerk.name.clone()),
            confirmed_at: Some(self.clock.now()),
            ..row
        };
        store.consultation_save(&row, self.clock.now())?;
        self.consult_view(&store, &row)
    }

    /// Records the decision's publication by hand (a published bundle does it by itself).
    pub fn consult_close(&self, req: ConsultCloseRequest) -> ApiResult<ConsultView> {
        let doc_id = parse_doc_id(&req.doc_id)?.to_string();
        let date = crate::deadlines::date(&req.date)?;
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let row = Self::consult_row(&store, &doc_id)?;
        if date <= row.closes_on {
            return Err(ApiError::invalid(format!(
                "决策公布日期应在征求意见期满（{}）之后。",
                row.closes_on
            )));
        }
        if date > crate::files::local_date(self.clock.now()) {
            return Err(ApiError::invalid("公布日期不能晚于今天，请核对。"));
        }
        if row.confirmed_at.is_none() {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "有意见反馈才有决策公布：请先写好意见采纳情况并确认去标识化。",
            ));
        }
        let row = ConsultRow {
            closed_on: Some(date),
            closed_by: Some(clerk.name.clone()),
            ..row
        };
        store.consultation_save(&row, self.clock.now())?;
        self.consult_view(&store, &row)
    }

    /// The consultations on the duty board (this PC's, for its unit).
    pub(crate) fn consult_facts(
        &self,
        store: &Store,
        unit: &str,
        on: NaiveDate,
    ) -> ApiResult<Vec<gongkai_core::duty::ConsultFact>> {
        let r = rules(store)?;
        let cal = self.calendar_in(store)?;
        let mut out = Vec::new();
        for row in store.consultations()? {
            let Ok(doc_id) = parse_doc_id(&row.doc_id) else {
                continue;
            };
            let Ok(head) = store.head(doc_id) else {
                continue;
            };
            let w = window_of(&row, r);
            let steps = consultation::steps(
                &w,
                row.confirmed_at.map(crate::files::local_date),
                decision_on(store, &row)?,
                on,
                &cal,
                r,
            )
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            out.push(gongkai_core::duty::ConsultFact {
                doc_id: row.doc_id.clone(),
                unit: unit.to_string(),
                title: head.fields.title,
                comments: store
                    .comments(&row.doc_id)?
                    .iter()
                    .filter(|c| c.received_on <= on)
                    .count() as u32,
                window: w,
                steps,
            });
        }
        Ok(out)
    }
}

fn to_finding(f: &StoredFinding) -> Option<gongkai_deid::Finding> {
    Some(gongkai_deid::Finding {
        kind: gongkai_deid::Kind::parse(&f.kind)?,
        start: f.start as usize,
        end: f.end as usize,
        text: f.text.clone(),
        confidence: 1.0,
        reason: String::new(),
        replacement: None,
    })
}

/// The row with the feedback's findings and its redaction; a changed review needs confirming
/// again.
fn reviewed(
    row: ConsultRow,
    text: &str,
    found: &[StoredFinding],
    policy: &gongkai_deid::Policy,
) -> ConsultRow {
    ConsultRow {
        feedback_findings: Some(serde_json::to_string(found).unwrap_or_else(|_| "[]".into())),
        feedback_redacted: Some(redact(text, found, policy)),
        confirmed_by: None,
        confirmed_at: None,
        ..row
    }
}

/// How many comments wait for their 采纳情况.
fn pending(store: &Store, doc_id: &str) -> ApiResult<u32> {
    Ok(store
        .comments(doc_id)?
        .iter()
        .filter(|c| c.adoption == "pending")
        .count() as u32)
}

/// The feedback with every finding not kept masked.
fn redact(text: &str, found: &[StoredFinding], policy: &gongkai_deid::Policy) -> String {
    let masked: Vec<gongkai_deid::Finding> = found
        .iter()
        .filter(|f| !f.keep)
        .filter_map(to_finding)
        .collect();
    gongkai_deid::apply(text, &masked, policy).text
}
