//! The publication of a document through the API: its interpretation package (with images),
//! its disclosure attribute, its confidentiality review, its sign-off, its workflow stage with the
//! gates still closed, and its deadlines (computed when shown, from its events).
//!
//! The rules are the core's (`interpretation`, `disclosure`, `workflow`, `schedule`); this module
//! gathers the facts they need from the store and turns the answers into DTOs.

use crate::deadlines::date;
use crate::{parse_doc_id, Api, ApiError, ApiResult, ErrorCode};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::{
    check_disclosure, check_package, check_secrecy, check_transition, closed_gates,
    needs_interpretation, obligations, Applies, Attribute, Channel, Disclosure, DisclosureIssue,
    DocId, DueState, Events, Facts, Gate, Graphic, InterpForm, LawBook, Package, PackageCheck,
    Reach, SecrecyConclusion, SecrecyReview, Stage, TransitionError, SECRECY_CHECKLIST,
};
use gongkai_store::{LogRow, PackageRevMeta, PauseRow, SignoffRow, Store, StoreError, Transition};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::files::local_date;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A value with its Chinese label, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Extra text (e.g. the 附注 an attribute prints).
    pub hint: String,
}

/// A package revision's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageRevView {
    pub rev_id: String,
    pub rev_no: u32,
    pub author_name: String,
    pub created_at: String,
    pub content_sha256: String,
}

fn rev_view(m: &PackageRevMeta) -> PackageRevView {
    PackageRevView {
        rev_id: m.rev_id.clone(),
        rev_no: m.rev_no,
        author_name: m.author_name.clone(),
        created_at: rfc3339(m.created_at),
        content_sha256: m.content_sha256.clone(),
    }
}

/// A document's interpretation package with its check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageView {
    pub doc_id: String,
    /// None until the first save.
    pub head: Option<PackageRevView>,
    /// The content (a fresh one names the clerk's unit as interpreter).
    pub package: Package,
    pub display_title: String,
    pub needs_interpretation: bool,
    pub check: PackageCheck,
    pub revision_count: u32,
}

/// Save the package on top of `base_rev_id` (null for the first save).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageSaveRequest {
    pub doc_id: String,
    pub base_rev_id: Option<String>,
    pub package: Package,
}

/// Add an image to the package's store (the package refers to it by hash once saved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImageAddRequest {
    pub doc_id: String,
    pub file_name: String,
    /// The file's bytes, base64.
    pub data_base64: String,
    #[serde(default)]
    pub caption: String,
}

/// Names a stored image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImageRef {
    pub sha256: String,
}

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImageData {
    pub media_type: String,
    pub data_base64: String,
}

/// What the attribute panel chooses from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisclosureOptions {
    pub attributes: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub forms: Vec<Choice>,
    pub conclusions: Vec<Choice>,
    pub checklist: Vec<String>,
    pub law: LawBook,
}

/// A document's disclosure attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisclosureView {
    pub doc_id: String,
    pub disclosure: Option<Disclosure>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// Empty when the attribute is settled.
    pub issues: Vec<DisclosureIssue>,
    /// Sent for sign-off: the attribute can no longer change without withdrawing.
    pub locked: bool,
}

/// Settle the attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisclosureSetRequest {
    pub doc_id: String,
    pub disclosure: Disclosure,
}

/// A document's confidentiality review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SecrecyView {
    pub doc_id: String,
    pub review: Option<SecrecyReview>,
    /// The document revision number it reviewed.
    pub rev_no: Option<u32>,
    /// It reviewed the current revision.
    pub current: bool,
    /// What keeps it from passing (empty: passed).
    pub problems: Vec<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<String>,
}

/// Record the confidentiality review of the current revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SecrecyRecordRequest {
    pub doc_id: String,
    pub review: SecrecyReview,
}

/// Record the paper sign-off (签发).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignoffRequest {
    pub doc_id: String,
    pub signer: String,
    /// `YYYY-MM-DD`
    pub signed_on: String,
    pub opinion: String,
}

/// A recorded sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignoffView {
    pub signer: String,
    pub signed_on: String,
    pub opinion: String,
    pub recorded_by: String,
    pub doc_rev_no: u32,
    pub package_rev_no: Option<u32>,
}

/// One step of the workflow as the document page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepView {
    pub stage: Stage,
    pub label: String,
    /// `done`, `current` or `todo`.
    pub state: String,
    /// The gates of this step still closed.
    pub gates: Vec<Gate>,
}

/// One logged transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LogEntry {
    pub from: Stage,
    pub from_label: String,
    pub to: Stage,
    pub to_label: String,
    pub actor: String,
    pub at: String,
    pub reason: String,
    pub doc_rev_id: String,
    pub package_rev_id: Option<String>,
}

/// One deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ObligationView {
    pub doc_id: String,
    pub doc_title: String,
    pub rule_id: u32,
    pub what: String,
    pub trigger_label: String,
    pub trigger: Option<String>,
    pub due: Option<String>,
    /// The count ran past the holiday table (Monday–Friday assumed).
    pub provisional: bool,
    pub done: Option<String>,
    pub state: DueState,
    /// Working days left (negative: overdue by that many).
    pub days_left: Option<i32>,
    pub source: String,
}

/// A recorded pause of a document's deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PauseView {
    pub start: String,
    pub end: String,
    pub reason: String,
    pub recorded_by: String,
}

/// A document's place in the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkflowView {
    pub doc_id: String,
    pub stage: Stage,
    pub stage_label: String,
    pub steps: Vec<StepView>,
    pub facts: Facts,
    /// The next stage on the main path the clerk can ask for, if any.
    pub next: Option<Stage>,
    /// The document can go back to 拟稿 (withdrawal, or redrafting after a 退文).
    pub can_withdraw: bool,
    /// Why `next` cannot be reached yet.
    pub next_gates: Vec<Gate>,
    /// Everything still missing before the bundle can be made.
    pub bundle_gates: Vec<Gate>,
    pub log: Vec<LogEntry>,
    /// The reasons of the last 退文, while the document is returned or being redrafted.
    pub returned_reason: Option<String>,
    pub signoff: Option<SignoffView>,
    pub deadlines: Vec<ObligationView>,
    /// The pauses the deadlines respect, oldest first.
    pub pauses: Vec<PauseView>,
}

/// Move the document to `to` (the next stage, or back to 拟稿 with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransitionRequest {
    pub doc_id: String,
    pub to: Stage,
    #[serde(default)]
    pub reason: String,
}

/// Record the date of an event that starts or ends a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRequest {
    pub doc_id: String,
    /// `published` (the document) or `interpretation_published`.
    pub kind: String,
    /// `YYYY-MM-DD`
    pub date: String,
}

/// Pause a document's deadlines (e.g. waiting for a third party's opinion, 第三十二条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PauseRequest {
    pub doc_id: String,
    pub start: String,
    pub end: String,
    pub reason: String,
}

/// Replace the holiday table with an imported file (the format of `seeds/holidays.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarImportRequest {
    pub json: String,
}

/// The holiday table in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarInfo {
    pub version: u32,
    pub years: Vec<i32>,
}

const MAX_IMAGE: usize = 10 * 1024 * 1024;

fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

fn transition_err(e: TransitionError) -> ApiError {
    let code = match e {
        TransitionError::Gated(..) => ErrorCode::GateClosed,
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, e.to_string())
}

fn stage_conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict { .. } => ApiError::new(
            ErrorCode::Conflict,
            "该文件的流程状态已在其他窗口或命令行中改变，请刷新后重试。",
        ),
        other => other.into(),
    }
}

/// The law, catalogue, calendar and time rules, parsed from the seed data.
pub(crate) struct Refs {
    pub(crate) law: LawBook,
    pub(crate) cal: gongkai_core::WorkCalendar,
    pub(crate) rules: Vec<gongkai_core::TimeRule>,
}

/// Everything the rules need about one document, read once.
pub(crate) struct Gathered {
    pub(crate) doc_id: DocId,
    pub(crate) title: String,
    pub(crate) head_rev_id: String,
    pub(crate) fields: gongkai_core::DocFields,
    pub(crate) pub_row: gongkai_store::PublicationRow,
    pub(crate) package: Option<(PackageRevMeta, Package)>,
    pub(crate) signoff: Option<SignoffRow>,
    pub(crate) log: Vec<LogRow>,
    pub(crate) facts: Facts,
}

/// Whether the attribute is fixed: from 审签中 on (the review form carries it) until a return.
pub fn attribute_locked(stage: Stage) -> bool {
    stage >= Stage::InReview && stage != Stage::Returned
}

/// The workflow's rule-made part of a [`WorkflowView`]: the steps with the gates each one adds,
/// the next stage a clerk may move to, and what is still closed before it and before the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowRules {
    pub stage_label: String,
    pub steps: Vec<StepView>,
    pub next: Option<Stage>,
    pub can_withdraw: bool,
    pub next_gates: Vec<Gate>,
    pub bundle_gates: Vec<Gate>,
}

/// The steps and gates of a document at `stage` with `facts` (what [`Api::workflow_status`] shows).
pub fn workflow_rules(stage: Stage, facts: &Facts) -> WorkflowRules {
    let main: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::Returned)
        .collect();
    let position = |s: Stage| match s {
        Stage::Returned => main.iter().position(|m| *m == Stage::Submitted),
        other => main.iter().position(|m| *m == other),
    };
    let here = position(stage).unwrap_or(0);
    let mut steps = Vec::new();
    let mut before: Vec<String> = Vec::new();
    for (i, s) in main.iter().enumerate() {
        let all = closed_gates(*s, facts);
        let new: Vec<Gate> = all
            .iter()
            .filter(|gate| !before.contains(&gate.code))
            .cloned()
            .collect();
        before = all.into_iter().map(|gate| gate.code).collect();
        let state = if i < here || (i == here && stage == Stage::Returned) {
            "done"
        } else if i == here {
            "current"
        } else {
            "todo"
        };
        steps.push(StepView {
            stage: *s,
            label: s.label().into(),
            state: state.into(),
            gates: if state == "done" { vec![] } else { new },
        });
    }
    let next = gongkai_core::workflow::next(stage).filter(|n| {
        stage != Stage::Returned && *n <= Stage::InReview
            || (stage == Stage::InReview && *n == Stage::Signed)
    });
    WorkflowRules {
        stage_label: stage.label().into(),
        steps,
        next,
        can_withdraw: gongkai_core::can_withdraw(stage),
        next_gates: next.map_or_else(Vec::new, |n| closed_gates(n, facts)),
        bundle_gates: closed_gates(Stage::Packaged, facts),
    }
}

/// Whether a clerk may move a document from `from` to `to` by hand (what
/// [`Api::workflow_transition`] checks before it writes): sign-off, bundle and the office's
/// decisions have their own paths; a withdrawal needs a reason; the gates must be open.
pub fn transition_rule(from: Stage, to: Stage, facts: &Facts, reason: &str) -> ApiResult<()> {
    if reason.chars().count() > 1000 {
        return Err(ApiError::invalid("原因过长（不超过1000字）。"));
    }
    match to {
        Stage::Signed => {
            return Err(ApiError::invalid(
                "签发须登记审签单上的签发人、日期和意见：请使用“登记签发”。",
            ))
        }
        Stage::Submitted if from == Stage::Packaged => {}
        Stage::Packaged | Stage::Submitted | Stage::Accepted | Stage::Returned | Stage::Published => {
            return Err(ApiError::invalid(
                "封装在生成报送包时完成；受理、退文和发布以指挥中心网上公安办公室的签名回执为准（导入回执）。",
            ))
        }
        Stage::Drafting if from != Stage::Returned && reason.is_empty() => {
            return Err(ApiError::invalid("撤回到拟稿须写明原因。"))
        }
        _ => {}
    }
    check_transition(from, to, facts, reason).map_err(transition_err)
}

fn reach_of(row: &gongkai_store::PublicationRow) -> Reach {
    row.disclosure.as_ref().map(|d| d.reach).unwrap_or_default()
}

impl Api {
    /// The core's package check plus a scan of the published parts for personal information: an
    /// interpretation explains a policy and names no private person (the interpreter's own name
    /// and office line are separate fields, published on purpose).
    fn check_package_here(
        &self,
        pkg: &Package,
        fields: &gongkai_core::DocFields,
        reach: Reach,
    ) -> PackageCheck {
        let mut check = check_package(pkg, fields, reach);
        let mut spans = Vec::new();
        let mut kinds: Vec<&str> = Vec::new();
        for (place, text) in pkg.published_parts() {
            for f in self.scanner().scan(text) {
                if !kinds.contains(&f.kind.label()) {
                    kinds.push(f.kind.label());
                }
                spans.push(gongkai_core::Span {
                    place,
                    start: f.start as u32,
                    end: f.end as u32,
                });
            }
        }
        if !spans.is_empty() {
            check.issues.push(gongkai_core::PackageIssue {
                code: "personal_info".into(),
                blocking: true,
                message: format!(
                    "解读材料中有{}处个人信息（{}），解读将随文件公开：请删除或改写为“张某”等。",
                    spans.len(),
                    kinds.join("、")
                ),
                spans,
            });
            check.complete = false;
        }
        check
    }

    pub(crate) fn law(&self, store: &Store) -> ApiResult<LawBook> {
        LawBook::from_json(
            &store.seed_json("disclosure_law")?,
            &store.seed_json("disclosure_catalog")?,
        )
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }

    /// The reference data the rules read, parsed once per call (not once per document).
    pub(crate) fn refs(&self, store: &Store) -> ApiResult<Refs> {
        Ok(Refs {
            law: self.law(store)?,
            cal: self.calendar_in(store)?,
            rules: self.time_rules_in(store)?,
        })
    }

    pub(crate) fn gather(&self, store: &Store, refs: &Refs, doc_id: DocId) -> ApiResult<Gathered> {
        let head = store.head(doc_id)?;
        let pub_row = store.publication(doc_id)?;
        let package = store.package_head(doc_id)?;
        let signoff = store.latest_signoff(doc_id)?;
        let log = store.workflow_log(doc_id)?;
        let law = &refs.law;
        let head_rev_id = head.meta.rev_id.to_string();
        let reach = reach_of(&pub_row);
        let proactive = pub_row
            .disclosure
            .as_ref()
            .is_none_or(|d| d.attribute.is_published());
        let findings = store.deid_findings(&head_rev_id)?;
        let secrecy_ok = match (&pub_row.secrecy, &pub_row.secrecy_rev_id) {
            (Some(r), Some(rev)) => {
                rev == &head_rev_id
                    && check_secrecy(r, pub_row.disclosure.as_ref().map(|d| d.attribute)).is_empty()
            }
            _ => false,
        };
        let facts = Facts {
            attribute_set: pub_row
                .disclosure
                .as_ref()
                .is_some_and(|d| check_disclosure(d, law).is_empty()),
            needs_interpretation: needs_interpretation(head.fields.doc_type, reach, proactive),
            interpretation_complete: package
                .as_ref()
                .is_some_and(|(_, p)| self.check_package_here(p, &head.fields, reach).complete),
            deid_pending: findings.iter().filter(|f| f.decision == "pending").count() as u32,
            deid_applied: store.deid_report(&head_rev_id)?.is_some(),
            images_unreviewed: crate::deid::images_unreviewed(
                store,
                doc_id,
                package.as_ref().map(|(_, p)| p),
            )?,
            secrecy_cleared: secrecy_ok,
            placeholders: gongkai_core::placeholders(&head.fields).len() as u32,
            signoff_recorded: signoff.is_some(),
            review_stale: signoff.as_ref().is_some_and(|s| {
                s.doc_rev_id != head_rev_id
                    || s.package_rev_id.as_deref()
                        != package.as_ref().map(|(m, _)| m.rev_id.as_str())
            }),
            consultation_unfinished: crate::consult::gate(
                store,
                &doc_id.to_string(),
                local_date(self.clock.now()),
            )?,
        };
        Ok(Gathered {
            doc_id,
            title: head.fields.title.clone(),
            head_rev_id,
            fields: head.fields,
            pub_row,
            package,
            signoff,
            log,
            facts,
        })
    }

    pub(crate) fn obligations_of(
        &self,
        store: &Store,
        refs: &Refs,
        g: &Gathered,
    ) -> ApiResult<Vec<ObligationView>> {
        let last_entry = |to: Stage| {
            g.log
                .iter()
                .rev()
                .find(|l| l.to == to)
                .map(|l| local_date(l.at))
        };
        let recorded = store.events(g.doc_id)?;
        let event = |k: &str| recorded.iter().find(|(kind, _)| kind == k).map(|(_, d)| *d);
        let ev = Events {
            secrecy_requested: last_entry(Stage::Deidentified),
            secrecy_cleared: last_entry(Stage::SecrecyCleared),
            signed: g.signoff.as_ref().map(|s| s.signed_on),
            published: event("published"),
            interpretation_published: event("interpretation_published"),
        };
        let pauses: Vec<(NaiveDate, NaiveDate)> = store
            .pauses(g.doc_id)?
            .into_iter()
            .map(|p| (p.start, p.end))
            .collect();
        let applies = Applies {
            published: g
                .pub_row
                .disclosure
                .as_ref()
                .is_some_and(|d| d.attribute.is_published()),
            needs_interpretation: g.facts.needs_interpretation,
        };
        let (cal, rules) = (&refs.cal, &refs.rules);
        let today = local_date(self.clock.now());
        let list = obligations(cal, rules, applies, &ev, &pauses, today)
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        Ok(list
            .into_iter()
            .map(|o| ObligationView {
                doc_id: g.doc_id.to_string(),
                doc_title: g.title.clone(),
                rule_id: o.rule_id,
                what: o.what,
                trigger_label: o.trigger_label,
                trigger: o.trigger.map(|d| d.to_string()),
                due: o.due.map(|d| d.date.to_string()),
                provisional: o.due.is_some_and(|d| d.provisional),
                done: o.done.map(|d| d.to_string()),
                state: o.state,
                days_left: o
                    .days_left
                    .map(|d| d.clamp(i32::MIN as i64, i32::MAX as i64) as i32),
                source: o.source,
            })
            .collect())
    }

    fn workflow_view(&self, store: &Store, refs: &Refs, g: &Gathered) -> ApiResult<WorkflowView> {
        let stage = g.pub_row.stage;
        let rules = workflow_rules(stage, &g.facts);
        let returned_reason = if matches!(stage, Stage::Returned | Stage::Drafting) {
            let last_return = g.log.iter().rposition(|l| l.to == Stage::Returned);
            let redrafted_since = last_return
                .is_some_and(|i| g.log[i + 1..].iter().any(|l| l.from == Stage::Drafting));
            last_return
                .filter(|_| !redrafted_since)
                .map(|i| g.log[i].reason.clone())
        } else {
            None
        };
        let signoff = match &g.signoff {
            Some(s) => Some(SignoffView {
                signer: s.signer.clone(),
                signed_on: s.signed_on.to_string(),
                opinion: s.opinion.clone(),
                recorded_by: s.recorded_by.clone(),
                doc_rev_no: store
                    .revision(gongkai_core::RevId::parse(&s.doc_rev_id).map_err(|_| {
                        ApiError::new(ErrorCode::Internal, "签发记录的版本编号无效。")
                    })?)?
                    .meta
                    .rev_no,
                package_rev_no: match &s.package_rev_id {
                    Some(p) => Some(store.package_revision(p)?.0.rev_no),
                    None => None,
                },
            }),
            None => None,
        };
        Ok(WorkflowView {
            doc_id: g.doc_id.to_string(),
            stage,
            stage_label: stage.label().into(),
            steps: rules.steps,
            facts: g.facts.clone(),
            next: rules.next,
            can_withdraw: rules.can_withdraw,
            next_gates: rules.next_gates,
            bundle_gates: rules.bundle_gates,
            log: g
                .log
                .iter()
                .map(|l| LogEntry {
                    from: l.from,
                    from_label: l.from.label().into(),
                    to: l.to,
                    to_label: l.to.label().into(),
                    actor: l.actor.clone(),
                    at: rfc3339(l.at),
                    reason: l.reason.clone(),
                    doc_rev_id: l.doc_rev_id.clone(),
                    package_rev_id: l.package_rev_id.clone(),
                })
                .collect(),
            returned_reason,
            signoff,
            deadlines: self.obligations_of(store, refs, g)?,
            pauses: store
                .pauses(g.doc_id)?
                .into_iter()
                .map(|p| PauseView {
                    start: p.start.to_string(),
                    end: p.end.to_string(),
                    reason: p.reason,
                    recorded_by: p.recorded_by,
                })
                .collect(),
        })
    }

    pub(crate) fn package_view(&self, store: &Store, doc_id: DocId) -> ApiResult<PackageView> {
        let g = self.gather(store, &self.refs(store)?, doc_id)?;
        let reach = reach_of(&g.pub_row);
        let (head, package) = match &g.package {
            Some((m, p)) => (Some(rev_view(m)), p.clone()),
            None => {
                let clerk = Self::clerk(store)?;
                (
                    None,
                    Package {
                        interpreter_unit: clerk.unit_id.clone(),
                        interpreter: clerk.name.clone(),
                        forms: vec![InterpForm::Text],
                        ..Default::default()
                    },
                )
            }
        };
        Ok(PackageView {
            doc_id: doc_id.to_string(),
            display_title: package.display_title(&g.fields.title),
            needs_interpretation: g.facts.needs_interpretation,
            check: self.check_package_here(&package, &g.fields, reach),
            revision_count: store.package_revisions(doc_id)?.len() as u32,
            head,
            package,
        })
    }

    /// The choices of the attribute, package and secrecy panels.
    pub fn disclosure_options(&self) -> ApiResult<DisclosureOptions> {
        let store = self.store()?;
        let choice = |value: String, label: &str, hint: &str| Choice {
            value,
            label: label.into(),
            hint: hint.into(),
        };
        let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
        Ok(DisclosureOptions {
            attributes: Attribute::ALL
                .iter()
                .map(|a| choice(a.as_str().into(), a.label(), a.document_mark()))
                .collect(),
            channels: Channel::ALL
                .iter()
                .map(|c| choice(name(serde_json::json!(c)), c.label(), ""))
                .collect(),
            forms: InterpForm::ALL
                .iter()
                .map(|f| choice(name(serde_json::json!(f)), f.label(), ""))
                .collect(),
            conclusions: [
                SecrecyConclusion::Approve,
                SecrecyConclusion::ApproveRedacted,
                SecrecyConclusion::Refuse,
                SecrecyConclusion::Escalate,
            ]
            .iter()
            .map(|c| choice(name(serde_json::json!(c)), c.label(), ""))
            .collect(),
            checklist: SECRECY_CHECKLIST.iter().map(|s| s.to_string()).collect(),
            law: self.law(&store)?,
        })
    }

    /// A document's interpretation package (a fresh one if none was saved yet).
    pub fn package_get(&self, req: crate::DocRef) -> ApiResult<PackageView> {
        let store = self.store()?;
        self.package_view(&store, parse_doc_id(&req.doc_id)?)
    }

    /// Saves the package as a new package revision (autosave calls this).
    pub fn package_save(&self, req: PackageSaveRequest) -> ApiResult<PackageView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let p = &req.package;
        let too_long = p.sections.iter().any(|s| s.text.chars().count() > 50_000)
            || p.qa.len() > 500
            || p.graphics.len() > 100;
        if too_long {
            return Err(ApiError::invalid(
                "解读内容过长（每节不超过5万字，问答不超过500组，图片不超过100张），请精简后再保存。",
            ));
        }
        for g in &p.graphics {
            store.image(&g.sha256).map_err(|_| {
                ApiError::invalid(format!("图片“{}”未找到，请重新添加该图片。", g.file_name))
            })?;
        }
        let rev_id = self.ids.new_uuid().to_string();
        store
            .save_package(
                doc_id,
                req.base_rev_id.as_deref(),
                &rev_id,
                &clerk,
                p,
                self.clock.now(),
            )
            .map_err(|e| match e {
                StoreError::Conflict { .. } => ApiError::new(
                    ErrorCode::Conflict,
                    "解读材料已在其他窗口或命令行中被修改。请复制您刚才的修改，重新打开后再粘贴。",
                ),
                other => ApiError::from_save(other),
            })?;
        self.package_view(&store, doc_id)
    }

    /// Stores an image (PNG or JPEG, at most 10 MB) for the package; returns the [`Graphic`] to
    /// put in the package.
    pub fn package_image_add(&self, req: ImageAddRequest) -> ApiResult<Graphic> {
        parse_doc_id(&req.doc_id)?;
        if req.data_base64.len() > MAX_IMAGE / 3 * 4 + 4 {
            return Err(ApiError::invalid(
                "图片过大（不超过10MB），请压缩后再添加。",
            ));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(req.data_base64.trim())
            .map_err(|_| ApiError::invalid("图片数据无法读取，请重新选择文件。"))?;
        media_type(&bytes).ok_or_else(|| {
            ApiError::invalid("只能添加 PNG 或 JPEG 格式的图片，请另存为这两种格式后再添加。")
        })?;
        // Metadata (EXIF with GPS, XMP, comments, PNG text) never enters the package.
        let stripped = gongkai_deid::image::strip_metadata(&bytes)
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        let (media, bytes) = (stripped.media_type, stripped.bytes);
        let sha = hex::encode(Sha256::digest(&bytes));
        self.store()?
            .put_image(&sha, media, &bytes, self.clock.now())
            .map_err(ApiError::from_save)?;
        let file_name: String = req
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .take(120)
            .collect();
        Ok(Graphic {
            sha256: sha,
            file_name,
            media_type: media.into(),
            size: bytes.len() as u32,
            caption: req.caption.trim().to_string(),
        })
    }

    /// A stored image.
    pub fn package_image(&self, req: ImageRef) -> ApiResult<ImageData> {
        let (media_type, bytes) = self.store()?.image(&req.sha256)?;
        Ok(ImageData {
            media_type,
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    fn disclosure_view(&self, store: &Store, doc_id: DocId) -> ApiResult<DisclosureView> {
        let row = store.publication(doc_id)?;
        let law = self.law(store)?;
        Ok(DisclosureView {
            doc_id: doc_id.to_string(),
            issues: row
                .disclosure
                .as_ref()
                .map(|d| check_disclosure(d, &law))
                .unwrap_or_default(),
            disclosure: row.disclosure,
            decided_by: row.disclosure_by,
            decided_at: row.disclosure_at.map(rfc3339),
            locked: attribute_locked(row.stage),
        })
    }

    /// A document's disclosure attribute.
    pub fn disclosure_get(&self, req: crate::DocRef) -> ApiResult<DisclosureView> {
        let store = self.store()?;
        self.disclosure_view(&store, parse_doc_id(&req.doc_id)?)
    }

    /// Settles the attribute. Refused with the issues when incomplete, and once the document has
    /// gone for sign-off (the form carries the attribute).
    pub fn disclosure_set(&self, req: DisclosureSetRequest) -> ApiResult<DisclosureView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let row = store.publication(doc_id)?;
        if attribute_locked(row.stage) {
            return Err(ApiError::invalid(
                "文件已送审签，公开属性以审签单为准。如需修改，请先撤回到拟稿。",
            ));
        }
        let mut d = req.disclosure;
        d.reason = d.reason.trim().to_string();
        d.ground_detail = d.ground_detail.trim().to_string();
        d.grounds.dedup();
        d.channels.sort();
        d.channels.dedup();
        let issues = check_disclosure(&d, &self.law(&store)?);
        if !issues.is_empty() {
            return Err(ApiError::invalid(
                issues
                    .iter()
                    .map(|i| i.message.as_str())
                    .collect::<Vec<_>>()
                    .join(""),
            ));
        }
        store
            .set_disclosure(doc_id, &d, &clerk.name, self.clock.now())
            .map_err(ApiError::from_save)?;
        self.disclosure_view(&store, doc_id)
    }

    fn secrecy_view(&self, store: &Store, doc_id: DocId) -> ApiResult<SecrecyView> {
        let row = store.publication(doc_id)?;
        let head = store.document(doc_id)?.head_rev_id.to_string();
        let rev_no = match &row.secrecy_rev_id {
            Some(r) => Some(
                store
                    .revision(gongkai_core::RevId::parse(r).map_err(|_| {
                        ApiError::new(ErrorCode::Internal, "保密审查记录的版本编号无效。")
                    })?)?
                    .meta
                    .rev_no,
            ),
            None => None,
        };
        let current = row.secrecy_rev_id.as_deref() == Some(head.as_str());
        let mut problems = row
            .secrecy
            .as_ref()
            .map(|r| check_secrecy(r, row.disclosure.as_ref().map(|d| d.attribute)))
            .unwrap_or_default();
        if row.secrecy.is_some() && !current {
            problems.push(format!(
                "保密审查针对的是第{}版，文件此后又有修改：请对当前版本重新审查。",
                rev_no.unwrap_or(0)
            ));
        }
        Ok(SecrecyView {
            doc_id: doc_id.to_string(),
            review: row.secrecy,
            rev_no,
            current,
            problems,
            recorded_by: row.secrecy_by,
            recorded_at: row.secrecy_at.map(rfc3339),
        })
    }

    /// A document's confidentiality review.
    pub fn secrecy_get(&self, req: crate::DocRef) -> ApiResult<SecrecyView> {
        let store = self.store()?;
        self.secrecy_view(&store, parse_doc_id(&req.doc_id)?)
    }

    /// Records the confidentiality review of the current revision (kept even when it does not
    /// pass yet; the view says what is missing).
    pub fn secrecy_record(&self, req: SecrecyRecordRequest) -> ApiResult<SecrecyView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let r = &req.review;
        if [&r.section, &r.secrecy_office, &r.leader]
            .iter()
            .any(|o| o.opinion.chars().count() > 500 || o.name.chars().count() > 50)
        {
            return Err(ApiError::invalid("审查意见过长（每条不超过500字）。"));
        }
        let head = store.document(doc_id)?.head_rev_id.to_string();
        store
            .set_secrecy(doc_id, r, &head, &clerk.name, self.clock.now())
            .map_err(ApiError::from_save)?;
        self.secrecy_view(&store, doc_id)
    }

    /// Where the document is in the workflow, what is still missing, and its deadlines.
    pub fn workflow_status(&self, req: crate::DocRef) -> ApiResult<WorkflowView> {
        let store = self.store()?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, parse_doc_id(&req.doc_id)?)?;
        self.workflow_view(&store, &refs, &g)
    }

    /// Moves the document one step forward on the main path (up to 审签中), or back to 拟稿
    /// (withdrawal, or after a 退文), with the reason logged.
    pub fn workflow_transition(&self, req: TransitionRequest) -> ApiResult<WorkflowView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        let from = g.pub_row.stage;
        let reason = req.reason.trim();
        transition_rule(from, req.to, &g.facts, reason)?;
        crate::conflicts::ensure_settled(&store, doc_id)?;
        store
            .transition(&Transition {
                doc_id,
                from,
                to: req.to,
                actor: &clerk.name,
                at: self.clock.now(),
                reason,
                doc_rev_id: &g.head_rev_id,
                package_rev_id: g.package.as_ref().map(|(m, _)| m.rev_id.as_str()),
            })
            .map_err(stage_conflict)?;
        let g = self.gather(&store, &refs, doc_id)?;
        self.workflow_view(&store, &refs, &g)
    }

    /// Records the paper sign-off of the pair (document revision, package revision) that went for
    /// sign-off, and moves 审签中 → 已签发.
    pub fn signoff_record(&self, req: SignoffRequest) -> ApiResult<WorkflowView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        if g.pub_row.stage != Stage::InReview {
            return Err(ApiError::invalid(format!(
                "文件当前处于“{}”，只有“审签中”的文件才能登记签发。",
                g.pub_row.stage.label()
            )));
        }
        let signer = req.signer.trim();
        if signer.is_empty() || signer.chars().count() > 30 {
            return Err(ApiError::invalid("请填写签发人姓名（不超过30个字）。"));
        }
        if req.opinion.chars().count() > 500 {
            return Err(ApiError::invalid("签发意见过长（不超过500字）。"));
        }
        let signed_on = date(&req.signed_on)?;
        let today = local_date(self.clock.now());
        if signed_on > today {
            return Err(ApiError::invalid("签发日期不能晚于今天，请核对审签单。"));
        }
        let pkg_rev = g.package.as_ref().map(|(m, _)| m.rev_id.clone());
        let sent = g.log.iter().rev().find(|l| l.to == Stage::InReview);
        if let Some(sent) = sent {
            if sent.doc_rev_id != g.head_rev_id || sent.package_rev_id != pkg_rev {
                return Err(ApiError::new(
                    ErrorCode::GateClosed,
                    "送审签后文件或解读又有修改，审签单对应的是旧版本：请撤回到拟稿，重新打印审签单送签。",
                ));
            }
            if signed_on < local_date(sent.at) {
                return Err(ApiError::invalid("签发日期早于送审签日期，请核对审签单。"));
            }
        }
        let facts = Facts {
            signoff_recorded: true,
            review_stale: false,
            ..g.facts.clone()
        };
        check_transition(Stage::InReview, Stage::Signed, &facts, "").map_err(transition_err)?;
        crate::conflicts::ensure_settled(&store, doc_id)?;
        let now = self.clock.now();
        let opinion = req.opinion.trim();
        store
            .record_signoff(
                &SignoffRow {
                    id: self.ids.new_uuid().to_string(),
                    doc_id: doc_id.to_string(),
                    doc_rev_id: g.head_rev_id.clone(),
                    package_rev_id: pkg_rev.clone(),
                    signer: signer.into(),
                    signed_on,
                    opinion: opinion.into(),
                    recorded_by: clerk.name.clone(),
                    recorded_at: now,
                },
                &Transition {
                    doc_id,
                    from: Stage::InReview,
                    to: Stage::Signed,
                    actor: &clerk.name,
                    at: now,
                    reason: &format!("{signer}签发：{opinion}"),
                    doc_rev_id: &g.head_rev_id,
                    package_rev_id: pkg_rev.as_deref(),
                },
            )
            .map_err(stage_conflict)?;
        let g = self.gather(&store, &refs, doc_id)?;
        self.workflow_view(&store, &refs, &g)
    }

    /// Records the date of a document event that starts or ends a deadline.
    pub fn event_record(&self, req: EventRequest) -> ApiResult<WorkflowView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        if !matches!(
            req.kind.as_str(),
            "published" | "interpretation_published" | "repealed"
        ) {
            return Err(ApiError::invalid(
                "事件只能是 published（文件公开）、interpretation_published（解读发布）或 repealed（废止）。",
            ));
        }
        let on = date(&req.date)?;
        if on > local_date(self.clock.now()) {
            return Err(ApiError::invalid("日期不能晚于今天。"));
        }
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        store
            .set_event(doc_id, &req.kind, on, &clerk.name, self.clock.now())
            .map_err(ApiError::from_save)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        self.workflow_view(&store, &refs, &g)
    }

    /// Pauses a document's deadlines for an interval (inclusive).
    pub fn deadline_pause(&self, req: PauseRequest) -> ApiResult<WorkflowView> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let (start, end) = (date(&req.start)?, date(&req.end)?);
        if end < start {
            return Err(ApiError::invalid("暂停的结束日期不能早于开始日期。"));
        }
        if (end - start).num_days() > 366 {
            return Err(ApiError::invalid("暂停不能超过一年。"));
        }
        if req.reason.trim().is_empty() {
            return Err(ApiError::invalid(
                "请写明暂停原因（如：征求第三方意见，条例第三十二条）。",
            ));
        }
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        store
            .add_pause(
                doc_id,
                &PauseRow {
                    id: self.ids.new_uuid().to_string(),
                    start,
                    end,
                    reason: req.reason.trim().into(),
                    recorded_by: clerk.name.clone(),
                    recorded_at: self.clock.now(),
                },
            )
            .map_err(ApiError::from_save)?;
        let refs = self.refs(&store)?;
        let g = self.gather(&store, &refs, doc_id)?;
        self.workflow_view(&store, &refs, &g)
    }

    /// The deadline panel: every running or overdue deadline of the live documents and of the
    /// 依申请公开 register, with the annual report in its season, soonest first.
    pub fn deadlines_panel(&self) -> ApiResult<Vec<ObligationView>> {
        let store = self.store()?;
        let refs = self.refs(&store)?;
        let mut out = Vec::new();
        for doc in store.list_documents(false)? {
            let g = self.gather(&store, &refs, doc.doc_id)?;
            out.extend(
                self.obligations_of(&store, &refs, &g)?
                    .into_iter()
                    .filter(|o| matches!(o.state, DueState::Running | DueState::Overdue)),
            );
        }
        out.extend(self.request_obligations(&store)?);
        out.sort_by(|a, b| a.due.cmp(&b.due).then(a.doc_title.cmp(&b.doc_title)));
        Ok(out)
    }

    /// Replaces the holiday table with an imported one, after checking it.
    pub fn calendar_import(&self, req: CalendarImportRequest) -> ApiResult<CalendarInfo> {
        if req.json.len() > 5 * 1024 * 1024 {
            return Err(ApiError::invalid("节假日表文件过大（不超过5MB）。"));
        }
        let cal = gongkai_core::WorkCalendar::from_json(&req.json).map_err(|e| {
            ApiError::invalid(format!(
                "{e}。请使用与 seeds/holidays.json 相同格式的文件。"
            ))
        })?;
        if cal.years().is_empty() {
            return Err(ApiError::invalid("节假日表中没有任何年份。"));
        }
        let version = self
            .store()?
            .import_seed("holidays", &req.json, self.clock.now())
            .map_err(ApiError::from_save)?;
        Ok(CalendarInfo {
            version,
            years: cal.years(),
        })
    }

    /// The holiday table in use.
    pub fn calendar_info(&self) -> ApiResult<CalendarInfo> {
        let store = self.store()?;
        let cal = self.calendar_in(&store)?;
        let version = store
            .seed_versions()?
            .into_iter()
            .find(|(n, _, _)| n == "holidays")
            .map_or(0, |(_, v, _)| v);
        Ok(CalendarInfo {
            version,
            years: cal.years(),
        })
    }
}
