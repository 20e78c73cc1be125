//! De-identification review through the API: scan the head revision's publishable text, let the
//! clerk accept, reject, edit or add findings, and apply them into the redacted fields with a
//! report that holds counts, reviewer and time — never the original values.

use crate::{parse_doc_id, Api, ApiError, ApiResult, ErrorCode};
use gongkai_core::{DocFields, DocId, IdSource, Revision};
use gongkai_deid::{apply, Finding, Kind, Scanner};
use gongkai_store::deid::{FindingRow, ReportRow};
use gongkai_store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// A clerk's decision on one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Accepted,
    Rejected,
}

impl Decision {
    fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        }
    }
    fn parse(s: &str) -> Decision {
        match s {
            "accepted" => Decision::Accepted,
            "rejected" => Decision::Rejected,
            _ => Decision::Pending,
        }
    }
}

/// A kind of personal information, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidKind {
    /// Stable name, e.g. `id_card`.
    pub kind: String,
    /// Chinese name, e.g. 居民身份证号.
    pub label: String,
}

/// One finding as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidFinding {
    pub id: String,
    pub kind: String,
    pub label: String,
    /// Code points into `DeidReview.text`.
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub confidence: f32,
    pub reason: String,
    /// `scan`, `manual` (marked by the clerk) or `carried` (decision kept from an earlier revision).
    pub source: String,
    pub decision: Decision,
    /// What it becomes when applied (the clerk's edit, else the policy's).
    pub replacement: String,
    /// The replacement is the clerk's own.
    pub edited: bool,
}

/// Counts per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KindCount {
    pub kind: String,
    pub label: String,
    pub total: u32,
    pub pending: u32,
}

/// The report kept for the submission bundle: counts, reviewer, time; no original values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidReport {
    pub rev_id: String,
    pub policy_version: u32,
    /// Replacements per kind.
    pub counts: BTreeMap<String, u32>,
    pub reviewer: String,
    pub reviewed_at: String,
    /// SHA-256 of the redacted publishable text.
    pub redacted_sha256: String,
}

/// Something that looked like personal information and stays visible on purpose, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidKept {
    pub kind: String,
    pub label: String,
    /// Code points into `DeidReview.text`.
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub reason: String,
}

/// An image of the interpretation package, to be confirmed by the clerk as free of personal
/// information (faces, names, number plates, documents in the picture).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidImage {
    pub sha256: String,
    pub file_name: String,
    pub caption: String,
    /// Who confirmed it, when (RFC 3339); `None` while unconfirmed.
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
}

/// Confirm one image of the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidImageRequest {
    pub doc_id: String,
    pub sha256: String,
}

/// The review of a document's head revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidReview {
    pub doc_id: String,
    pub rev_id: String,
    pub rev_no: u32,
    /// The publishable text (title, paragraphs, attachments, 附注; one per line). Local only.
    pub text: String,
    pub findings: Vec<DeidFinding>,
    pub pending: u32,
    pub kinds: Vec<KindCount>,
    /// Set once the review of this revision has been applied.
    pub report: Option<DeidReport>,
    /// What the scan left visible on purpose (officials, published office numbers …), with why.
    pub kept: Vec<DeidKept>,
    /// The package's images and whether each was confirmed.
    pub images: Vec<DeidImage>,
}

/// Decide findings of a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidDecideRequest {
    pub doc_id: String,
    pub rev_id: String,
    pub finding_ids: Vec<String>,
    pub decision: Decision,
    /// A replacement of the clerk's own (with `accepted`).
    #[ts(optional)]
    pub replacement: Option<String>,
}

/// Mark a missed span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidMarkRequest {
    pub doc_id: String,
    pub rev_id: String,
    pub start: u32,
    pub end: u32,
    pub kind: String,
}

/// The applied review: the redacted fields, ready to publish, and the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeidApplied {
    pub fields: DocFields,
    pub text: String,
    pub report: DeidReport,
}

fn to_finding(r: &FindingRow) -> Option<Finding> {
    Some(Finding {
        kind: Kind::parse(&r.kind)?,
        start: r.start as usize,
        end: r.end as usize,
        text: r.text.clone(),
        confidence: r.confidence,
        reason: r.reason.clone(),
        replacement: r.replacement.clone(),
    })
}

fn report_dto(r: ReportRow) -> DeidReport {
    DeidReport {
        rev_id: r.rev_id,
        policy_version: r.policy_version,
        counts: serde_json::from_str(&r.counts).unwrap_or_default(),
        reviewer: r.reviewer,
        reviewed_at: r.reviewed_at.to_rfc3339(),
        redacted_sha256: r.redacted_sha256,
    }
}

fn review(store: &Store, scanner: &Scanner, head: &Revision) -> ApiResult<DeidReview> {
    let rev_id = head.meta.rev_id.to_string();
    let rows = store.deid_findings(&rev_id)?;
    let text = head.fields.publish_text();
    // What each finding would become, computed as one document so pseudonyms are consistent.
    let all: Vec<Finding> = rows.iter().filter_map(to_finding).collect();
    let preview = apply(&text, &all, scanner.policy());
    let kept: Vec<gongkai_deid::Kept> = match store.deid_kept(&rev_id)? {
        Some(json) => serde_json::from_str(&json).unwrap_or_default(),
        None => scanner.explain(&text).kept,
    };
    let by_span: HashMap<(usize, usize), String> = preview
        .replacements
        .into_iter()
        .map(|r| ((r.start, r.end), r.replacement))
        .collect();
    let mut kinds: BTreeMap<Kind, (u32, u32)> = BTreeMap::new();
    let findings: Vec<DeidFinding> = rows
        .iter()
        .map(|r| {
            let kind = Kind::parse(&r.kind);
            let decision = Decision::parse(&r.decision);
            if let Some(k) = kind {
                let e = kinds.entry(k).or_default();
                e.0 += 1;
                e.1 += u32::from(decision == Decision::Pending);
            }
            DeidFinding {
                id: r.id.clone(),
                kind: r.kind.clone(),
                label: kind.map_or_else(|| r.kind.clone(), |k| k.label().to_string()),
                start: r.start,
                end: r.end,
                text: r.text.clone(),
                confidence: r.confidence,
                reason: r.reason.clone(),
                source: r.source.clone(),
                decision,
                replacement: r.replacement.clone().unwrap_or_else(|| {
                    by_span
                        .get(&(r.start as usize, r.end as usize))
                        .cloned()
                        .unwrap_or_default()
                }),
                edited: r.replacement.is_some(),
            }
        })
        .collect();
    Ok(DeidReview {
        doc_id: head.meta.doc_id.to_string(),
        rev_id: rev_id.clone(),
        rev_no: head.meta.rev_no,
        text,
        pending: findings
            .iter()
            .filter(|f| f.decision == Decision::Pending)
            .count() as u32,
        findings,
        kinds: kinds
            .into_iter()
            .map(|(k, (total, pending))| KindCount {
                kind: k.as_str().into(),
                label: k.label().into(),
                total,
                pending,
            })
            .collect(),
        report: store.deid_report(&rev_id)?.map(report_dto),
        kept: kept
            .into_iter()
            .map(|k| DeidKept {
                kind: k.kind.as_str().into(),
                label: k.kind.label().into(),
                start: k.start as u32,
                end: k.end as u32,
                text: k.text,
                reason: k.reason,
            })
            .collect(),
        images: images(store, head.meta.doc_id)?,
    })
}

/// The package's images with their confirmation.
fn images(store: &Store, doc_id: DocId) -> ApiResult<Vec<DeidImage>> {
    let Some((_, package)) = store.package_head(doc_id)? else {
        return Ok(Vec::new());
    };
    let reviews = store.deid_image_reviews(&doc_id.to_string())?;
    Ok(package
        .graphics
        .iter()
        .map(|g| {
            let r = reviews.iter().find(|r| r.sha256 == g.sha256);
            DeidImage {
                sha256: g.sha256.clone(),
                file_name: g.file_name.clone(),
                caption: g.caption.clone(),
                confirmed_by: r.map(|r| r.reviewer.clone()),
                confirmed_at: r.map(|r| r.reviewed_at.to_rfc3339()),
            }
        })
        .collect())
}

/// How many of the package's images are not confirmed yet.
/// How many images of `package` (the head already loaded) are not confirmed yet.
pub(crate) fn images_unreviewed(
    store: &Store,
    doc_id: DocId,
    package: Option<&gongkai_core::Package>,
) -> ApiResult<u32> {
    let Some(p) = package.filter(|p| !p.graphics.is_empty()) else {
        return Ok(0);
    };
    let reviews = store.deid_image_reviews(&doc_id.to_string())?;
    Ok(p.graphics
        .iter()
        .filter(|g| !reviews.iter().any(|r| r.sha256 == g.sha256))
        .count() as u32)
}

/// Scans the head revision unless already scanned, carrying decisions over from the previous
/// scanned revision for the same (kind, text), and re-locating hand-marked spans.
fn ensure_scanned(api: &Api, store: &mut Store, doc_id: DocId) -> ApiResult<Revision> {
    let head = store.head(doc_id)?;
    let rev_id = head.meta.rev_id.to_string();
    if store.deid_scanned(&rev_id)? {
        return Ok(head);
    }
    let text = head.fields.publish_text();
    let previous = store.deid_previous_findings(&doc_id.to_string(), &rev_id)?;
    let decided: HashMap<(String, String), &FindingRow> = previous
        .iter()
        .filter(|p| p.decision != "pending")
        .map(|p| ((p.kind.clone(), p.text.clone()), p))
        .collect();
    let ids: &dyn IdSource = api.ids.as_ref();
    let scan = api.scanner().explain(&text);
    let kept_json = serde_json::to_string(&scan.kept).unwrap_or_else(|_| "[]".into());
    let mut rows: Vec<FindingRow> = scan
        .findings
        .into_iter()
        .map(|f| {
            let carried = decided.get(&(f.kind.as_str().to_string(), f.text.clone()));
            FindingRow {
                id: ids.new_uuid().to_string(),
                doc_id: doc_id.to_string(),
                rev_id: rev_id.clone(),
                kind: f.kind.as_str().into(),
                start: f.start as u32,
                end: f.end as u32,
                text: f.text,
                confidence: f.confidence,
                reason: f.reason,
                source: if carried.is_some() { "carried" } else { "scan" }.into(),
                decision: carried.map_or("pending".into(), |p| p.decision.clone()),
                replacement: carried.and_then(|p| p.replacement.clone()),
                decided_by: carried.and_then(|p| p.decided_by.clone()),
                decided_at: carried.and_then(|p| p.decided_at),
            }
        })
        .collect();
    let chars: Vec<char> = text.chars().collect();
    for m in previous.iter().filter(|p| p.source == "manual") {
        let needle: Vec<char> = m.text.chars().collect();
        if needle.is_empty() {
            continue;
        }
        let mut i = 0;
        while i + needle.len() <= chars.len() {
            if chars[i..i + needle.len()] == needle[..] {
                let (s, e) = (i as u32, (i + needle.len()) as u32);
                if !rows.iter().any(|r| r.start < e && s < r.end) {
                    rows.push(FindingRow {
                        id: ids.new_uuid().to_string(),
                        start: s,
                        end: e,
                        rev_id: rev_id.clone(),
                        ..m.clone()
                    });
                }
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    store.deid_save_scan(&doc_id.to_string(), &rev_id, &rows, api.clock.now())?;
    store.deid_save_kept(&rev_id, &kept_json)?;
    Ok(head)
}

fn check_head(head: &Revision, rev_id: &str) -> ApiResult<()> {
    if head.meta.rev_id.to_string() != rev_id {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "文件在审查期间已被修改并生成了新版本，请重新打开去标识化审查（已确认的项目会自动沿用）。",
        ));
    }
    Ok(())
}

impl Api {
    /// The kinds of personal information, for the clerk's “mark as …” picker.
    pub fn deid_kinds(&self) -> Vec<DeidKind> {
        Kind::ALL
            .iter()
            .map(|k| DeidKind {
                kind: k.as_str().into(),
                label: k.label().into(),
            })
            .collect()
    }

    /// The review of the document's head revision, scanning it first if it is new.
    pub fn deid_review(&self, req: crate::DocRef) -> ApiResult<DeidReview> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let head = ensure_scanned(self, &mut store, doc_id)?;
        review(&store, &self.scanner(), &head)
    }

    /// Accepts, rejects or resets findings (optionally with the clerk's own replacement).
    pub fn deid_decide(&self, req: DeidDecideRequest) -> ApiResult<DeidReview> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let head = store.head(doc_id)?;
        check_head(&head, &req.rev_id)?;
        let replacement = req.replacement.as_deref().map(str::trim);
        if replacement.is_some_and(|r| r.chars().count() > 100) {
            return Err(ApiError::invalid("替换文字过长（不超过100个字）。"));
        }
        let n = store.deid_decide(
            &req.rev_id,
            &req.finding_ids,
            req.decision.as_str(),
            replacement,
            &clerk.name,
            self.clock.now(),
        )?;
        if n != req.finding_ids.len() {
            return Err(ApiError::not_found(
                "部分标记已不存在，请刷新审查列表后重试。",
            ));
        }
        review(&store, &self.scanner(), &head)
    }

    /// Confirms that the clerk looked at an image of the package and it shows no personal
    /// information (or was replaced by one that does not).
    pub fn deid_image_confirm(&self, req: DeidImageRequest) -> ApiResult<DeidReview> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let in_package = store
            .package_head(doc_id)?
            .is_some_and(|(_, p)| p.graphics.iter().any(|g| g.sha256 == req.sha256));
        if !in_package {
            return Err(ApiError::not_found(
                "该图片已不在解读材料中，请刷新去标识化审查。",
            ));
        }
        store.deid_confirm_image(
            &doc_id.to_string(),
            &req.sha256,
            &clerk.name,
            self.clock.now(),
        )?;
        let head = ensure_scanned(self, &mut store, doc_id)?;
        review(&store, &self.scanner(), &head)
    }

    /// Marks a span the scan missed (accepted at once).
    pub fn deid_mark(&self, req: DeidMarkRequest) -> ApiResult<DeidReview> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let kind = Kind::parse(&req.kind)
            .ok_or_else(|| ApiError::invalid("请选择要标记的个人信息类别。"))?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let head = store.head(doc_id)?;
        check_head(&head, &req.rev_id)?;
        let text: Vec<char> = head.fields.publish_text().chars().collect();
        let (s, e) = (req.start as usize, req.end as usize);
        if s >= e || e > text.len() || text[s..e].contains(&'\n') {
            return Err(ApiError::invalid("请在同一段文字内选中要标记的内容。"));
        }
        let existing = store.deid_findings(&req.rev_id)?;
        if existing
            .iter()
            .any(|f| (f.start as usize) < e && s < f.end as usize)
        {
            return Err(ApiError::invalid(
                "所选文字与已有标记重叠，请先驳回或修改已有标记。",
            ));
        }
        store.deid_add(&FindingRow {
            id: self.ids.new_uuid().to_string(),
            doc_id: doc_id.to_string(),
            rev_id: req.rev_id.clone(),
            kind: kind.as_str().into(),
            start: req.start,
            end: req.end,
            text: text[s..e].iter().collect(),
            confidence: 1.0,
            reason: format!("由{}手工标记", clerk.name),
            source: "manual".into(),
            decision: "accepted".into(),
            replacement: None,
            decided_by: Some(clerk.name.clone()),
            decided_at: Some(self.clock.now()),
        })?;
        review(&store, &self.scanner(), &head)
    }

    /// The head revision and its fields with the accepted findings applied. Refused while any
    /// finding is undecided.
    pub(crate) fn redact_head(
        &self,
        store: &mut Store,
        doc_id: DocId,
    ) -> ApiResult<(Revision, gongkai_deid::Applied, DocFields)> {
        let head = ensure_scanned(self, store, doc_id)?;
        let rev_id = head.meta.rev_id.to_string();
        let rows = store.deid_findings(&rev_id)?;
        let pending = rows.iter().filter(|r| r.decision == "pending").count();
        if pending > 0 {
            return Err(ApiError::new(
                ErrorCode::DeidPending,
                format!("还有{pending}处个人信息尚未确认，请逐条接受或驳回后再生成公开文本。"),
            ));
        }
        let accepted: Vec<Finding> = rows
            .iter()
            .filter(|r| r.decision == "accepted")
            .filter_map(to_finding)
            .collect();
        let applied = apply(
            &head.fields.publish_text(),
            &accepted,
            self.scanner().policy(),
        );
        let fields = head
            .fields
            .with_publish_text(&applied.text)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::Internal, "去标识化结果与原文结构不符，请重试。")
            })?;
        Ok((head, applied, fields))
    }

    /// Applies the accepted findings: the redacted fields and the kept report. Refused while any
    /// finding is undecided.
    pub fn deid_apply(&self, req: crate::DocRef) -> ApiResult<DeidApplied> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let (head, applied, fields) = self.redact_head(&mut store, doc_id)?;
        let rev_id = head.meta.rev_id.to_string();
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for r in &applied.replacements {
            *counts.entry(r.kind.as_str().to_string()).or_default() += 1;
        }
        let row = ReportRow {
            rev_id: rev_id.clone(),
            doc_id: doc_id.to_string(),
            policy_version: self.scanner().policy().version,
            counts: serde_json::to_string(&counts).unwrap_or_default(),
            reviewer: clerk.name.clone(),
            reviewed_at: self.clock.now(),
            redacted_sha256: hex::encode(Sha256::digest(applied.text.as_bytes())),
        };
        store.deid_save_report(&row)?;
        Ok(DeidApplied {
            fields,
            text: applied.text,
            report: report_dto(row),
        })
    }
}
