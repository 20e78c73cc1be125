//! 冲突, as the window and the CLI show and end them: a document whose text, interpretation
//! package or publication record (stage, attribute, secrecy review, dates) was changed on two
//! of the unit's PCs at once. Every version is shown side by side; the clerk keeps one or saves
//! a merge, and a kept stage or attribute is logged with the clerk's reason. The store decides
//! what is in conflict; this only lays it out and passes the clerk's choice on.

use crate::{parse_doc_id, parse_rev_id, Api, ApiError, ApiResult, ErrorCode};
use chrono::SecondsFormat;
use gongkai_core::{DocFields, DocId, Package, RevId};
use gongkai_store::{PubChange, PubEvent, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One leaf of a 冲突 document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LeafView {
    pub rev_id: String,
    pub author_name: String,
    pub created_at: String,
    /// The version this PC shows and edits.
    pub is_head: bool,
    pub fields: DocFields,
}

/// One version of a 冲突 interpretation package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackageLeafView {
    pub rev_id: String,
    pub author_name: String,
    pub created_at: String,
    pub is_head: bool,
    pub package: Package,
    /// The package as lines of text, for the side-by-side comparison.
    pub lines: Vec<String>,
}

/// One side of a 冲突 record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordLeafView {
    pub event_id: String,
    pub author: String,
    pub created_at: String,
    pub is_head: bool,
    /// What this side says, in words (e.g. 属性已确定 → 解读已同步).
    pub summary: String,
}

/// A publication record (stage, attribute, secrecy review, a date) in 冲突.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordConflictView {
    /// `workflow`, `disclosure`, `secrecy`, `event:<kind>`.
    pub register: String,
    /// 流程环节, 公开属性, 保密审查, 公开日期 …
    pub label: String,
    pub leaves: Vec<RecordLeafView>,
}

/// A 冲突 document with its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictView {
    pub doc_id: String,
    pub title: String,
    /// The text's versions, the head first (empty when only other parts are in 冲突).
    pub leaves: Vec<LeafView>,
    /// The package's versions, the head first (empty when the package is not in 冲突).
    pub package_leaves: Vec<PackageLeafView>,
    pub records: Vec<RecordConflictView>,
}

/// Keep this side of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordChoice {
    pub register: String,
    pub keep_event_id: String,
}

/// End a 冲突: for each part in conflict, keep one version or give merged content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResolveRequest {
    pub doc_id: String,
    /// Keep this version of the text as it is.
    #[ts(optional)]
    pub keep_rev_id: Option<String>,
    /// Or this merged text.
    #[ts(optional)]
    pub fields: Option<DocFields>,
    /// Keep this version of the package.
    #[ts(optional)]
    #[serde(default)]
    pub keep_package_rev_id: Option<String>,
    /// Or this merged package.
    #[ts(optional)]
    #[serde(default)]
    pub package: Option<Package>,
    /// The side kept of each record in 冲突.
    #[serde(default)]
    pub records: Vec<RecordChoice>,
    /// Why (logged with a kept record; required for those).
    #[ts(optional)]
    #[serde(default)]
    pub reason: Option<String>,
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// How many documents are 冲突 in any part, and records of the unit's registers.
pub(crate) fn count(store: &Store) -> ApiResult<u32> {
    Ok(conflicted(store)?.len() as u32 + crate::unit_records::count(store)?)
}

fn conflicted(store: &Store) -> ApiResult<Vec<DocId>> {
    let mut ids: Vec<DocId> = store.conflicts()?.into_iter().map(|c| c.doc_id).collect();
    ids.extend(store.publication_conflicts()?);
    ids.sort_by_key(|d| d.to_string());
    ids.dedup();
    Ok(ids)
}

/// Refuses to move a document on while any part of it is 冲突: the stage, a sign-off or a
/// bundle must follow from one agreed version.
pub(crate) fn ensure_settled(store: &Store, doc_id: DocId) -> ApiResult<()> {
    let text = store.leaves(doc_id)?.len() > 1;
    let package = store.package_leaves(doc_id)?.len() > 1;
    let records = !store.register_conflicts(doc_id)?.is_empty();
    if text || package || records {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "这份文件在本单位两台电脑上被同时修改（冲突）：请先在“同步”窗口中处理冲突，再推进流程",
        ));
    }
    Ok(())
}

/// The package as lines: what a clerk compares.
pub fn package_lines(p: &Package) -> Vec<String> {
    let mut out = vec![
        format!("标题：{}", p.title),
        format!("解读人：{}", p.interpreter),
        format!("联系方式：{}", p.contact),
    ];
    if !p.first_interpreter.is_empty() {
        out.push(format!("第一解读人：{}", p.first_interpreter));
    }
    let forms: Vec<&str> = p.forms.iter().map(|f| f.label()).collect();
    out.push(format!("解读形式：{}", forms.join("、")));
    for s in &p.sections {
        out.push(format!("【{}】", s.key.label()));
        out.extend(s.text.lines().map(str::to_string));
    }
    for (i, q) in p.qa.iter().enumerate() {
        out.push(format!("问{}：{}", i + 1, q.question));
        out.push(format!("答{}：{}", i + 1, q.answer));
    }
    for g in &p.graphics {
        out.push(format!("图：{}（{}）", g.caption, g.file_name));
    }
    for l in &p.links {
        out.push(format!("链接：{} {}", l.title, l.url));
    }
    out
}

fn register_label(register: &str) -> String {
    match register {
        gongkai_store::replica::WORKFLOW => "流程环节".into(),
        gongkai_store::replica::DISCLOSURE => "公开属性".into(),
        gongkai_store::replica::SECRECY => "保密审查".into(),
        "event:published" => "文件公开日期".into(),
        "event:interpretation_published" => "解读公开日期".into(),
        other if other.starts_with("deid:") => "去标识化审查".into(),
        other => other.to_string(),
    }
}

fn summary(store: &Store, ev: &PubEvent) -> String {
    match &ev.change {
        PubChange::Stage {
            from,
            to,
            reason,
            signoff,
            ..
        } => {
            let mut s = format!("{} → {}", from.label(), to.label());
            if let Some(so) = signoff {
                s.push_str(&format!("（{} {} 签发）", so.signer, so.signed_on));
            }
            if !reason.is_empty() {
                s.push_str(&format!("，理由：{reason}"));
            }
            s
        }
        PubChange::Disclosure { value } => {
            let mut s = value.attribute.label().to_string();
            if !value.reason.is_empty() {
                s.push_str(&format!("：{}", value.reason));
            }
            s
        }
        PubChange::Secrecy { value, .. } => value.conclusion.label().to_string(),
        PubChange::Event { on, .. } => on.to_string(),
        PubChange::Deid { review } => {
            let decided = review
                .findings
                .iter()
                .filter(|f| f.decision == "accepted")
                .count();
            format!(
                "{} 条发现，{decided} 处替换（{}）",
                review.findings.len(),
                review.report.reviewer
            )
        }
        PubChange::Pause { pause } => format!("{} 至 {}：{}", pause.start, pause.end, pause.reason),
        PubChange::Resolve { keep, reason } => {
            let kept = store
                .sync_pub_event(keep)
                .map(|k| summary(store, &k))
                .unwrap_or_default();
            format!("{kept}（处理冲突时选定：{reason}）")
        }
    }
}

impl Api {
    /// Documents in 冲突 with every version of each part in conflict, the head first.
    pub fn sync_conflicts(&self) -> ApiResult<Vec<ConflictView>> {
        let store = self.store()?;
        let mut out = Vec::new();
        for doc_id in conflicted(&store)? {
            let doc = store.document(doc_id)?;
            let mut leaves = Vec::new();
            let rev_leaves = store.leaves(doc_id)?;
            if rev_leaves.len() > 1 {
                for m in &rev_leaves {
                    let rev = store.revision(m.rev_id)?;
                    leaves.push(LeafView {
                        rev_id: m.rev_id.to_string(),
                        author_name: m.author_name.clone(),
                        created_at: time(m.created_at),
                        is_head: m.rev_id == doc.head_rev_id,
                        fields: rev.fields,
                    });
                }
            }
            leaves.sort_by_key(|l| !l.is_head);
            let mut package_leaves = Vec::new();
            let pkg_leaves = store.package_leaves(doc_id)?;
            if pkg_leaves.len() > 1 {
                let head = store.publication(doc_id)?.package_head;
                for p in pkg_leaves {
                    package_leaves.push(PackageLeafView {
                        is_head: head.as_deref() == Some(p.rev_id.as_str()),
                        lines: package_lines(&p.package),
                        rev_id: p.rev_id,
                        author_name: p.author_name,
                        created_at: time(p.created_at),
                        package: p.package,
                    });
                }
            }
            package_leaves.sort_by_key(|l| !l.is_head);
            let mut records = Vec::new();
            for c in store.register_conflicts(doc_id)? {
                let mut leaves: Vec<RecordLeafView> = c
                    .leaves
                    .iter()
                    .map(|l| RecordLeafView {
                        event_id: l.event_id.clone(),
                        author: l.author.clone(),
                        created_at: time(l.created_at),
                        is_head: l.event_id == c.head,
                        summary: summary(&store, l),
                    })
                    .collect();
                leaves.sort_by_key(|l| !l.is_head);
                records.push(RecordConflictView {
                    label: register_label(&c.register),
                    register: c.register,
                    leaves,
                });
            }
            out.push(ConflictView {
                doc_id: doc_id.to_string(),
                title: doc.title,
                leaves,
                package_leaves,
                records,
            });
        }
        Ok(out)
    }

    /// Ends a 冲突: a merge revision of the text and of the package that descends from every
    /// version, and for each record the kept side with the reason, all on this PC first and on
    /// the unit's other PCs at their next sync. Parts not in conflict may not be answered.
    pub fn doc_resolve(&self, req: ResolveRequest) -> ApiResult<crate::SaveResponse> {
        let doc_id = parse_doc_id(&req.doc_id)?;
        let mut store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let now = self.clock.now();
        let leaves = store.leaves(doc_id)?;
        let pkg_leaves = store.package_leaves(doc_id)?;
        let records = store.register_conflicts(doc_id)?;
        let answers_text = req.keep_rev_id.is_some() || req.fields.is_some();
        let answers_pkg = req.keep_package_rev_id.is_some() || req.package.is_some();
        if !answers_text && !answers_pkg && req.records.is_empty() {
            let any = leaves.len() > 1 || pkg_leaves.len() > 1 || !records.is_empty();
            return Err(if any {
                ApiError::invalid(
                    "请为冲突的内容作出选择：保留某一版本（--keep），或提供合并后的内容（--merge-file）",
                )
            } else {
                ApiError::new(
                    ErrorCode::Conflict,
                    "这份文件没有冲突（可能已在其他电脑上合并），请刷新后再看",
                )
            });
        }
        let not_in_conflict = || {
            ApiError::new(
                ErrorCode::Conflict,
                "所选内容已没有冲突（可能已在其他电脑上处理），请刷新后再看",
            )
        };
        // Check every answer before writing any.
        let fields: Option<DocFields> = if answers_text {
            if leaves.len() < 2 {
                return Err(not_in_conflict());
            }
            Some(match (&req.keep_rev_id, req.fields.clone()) {
                (Some(keep), None) => {
                    let rev = parse_rev_id(keep)?;
                    if !leaves.iter().any(|l| l.rev_id == rev) {
                        return Err(ApiError::invalid("要保留的版本不是冲突中的版本之一"));
                    }
                    store.revision(rev)?.fields
                }
                (None, Some(fields)) => fields,
                _ => {
                    return Err(ApiError::invalid(
                        "请二选一：保留某一版本（--keep），或提供合并后的内容（--merge-file）",
                    ))
                }
            })
        } else {
            None
        };
        let package: Option<Package> = if answers_pkg {
            if pkg_leaves.len() < 2 {
                return Err(not_in_conflict());
            }
            Some(match (&req.keep_package_rev_id, req.package.clone()) {
                (Some(keep), None) => pkg_leaves
                    .iter()
                    .find(|l| &l.rev_id == keep)
                    .map(|l| l.package.clone())
                    .ok_or_else(|| ApiError::invalid("要保留的解读材料不是冲突中的版本之一"))?,
                (None, Some(p)) => p,
                _ => {
                    return Err(ApiError::invalid(
                        "解读材料请二选一：保留某一版本，或提供合并后的内容",
                    ))
                }
            })
        } else {
            None
        };
        let reason = req.reason.as_deref().map(str::trim).unwrap_or_default();
        for choice in &req.records {
            let c = records
                .iter()
                .find(|c| c.register == choice.register)
                .ok_or_else(not_in_conflict)?;
            if !c.leaves.iter().any(|l| l.event_id == choice.keep_event_id) {
                return Err(ApiError::invalid(format!(
                    "要保留的{}不是冲突中的记录之一",
                    register_label(&c.register)
                )));
            }
            if reason.is_empty() {
                return Err(ApiError::invalid(
                    "请写明处理冲突的理由（会记入流程日志，其他电脑也能看到）",
                ));
            }
        }
        let mut head = store.document(doc_id)?.head_rev_id;
        if let Some(fields) = &fields {
            let merged: Vec<RevId> = leaves.iter().map(|l| l.rev_id).collect();
            let meta = store.save_merge(
                doc_id,
                RevId::new(self.ids.as_ref()),
                &merged,
                &clerk,
                fields,
                now,
            )?;
            head = meta.rev_id;
        }
        if let Some(p) = &package {
            let rev = self.ids.new_uuid().to_string();
            store.save_package_merge(doc_id, &rev, &clerk, p, now)?;
        }
        for choice in &req.records {
            store.resolve_register(
                doc_id,
                &choice.register,
                &choice.keep_event_id,
                reason,
                &clerk.name,
                now,
            )?;
        }
        let rev = store.revision(head)?;
        Ok(crate::SaveResponse {
            saved: fields.is_some(),
            head: rev.meta,
            issues: gongkai_core::validate(&rev.fields),
            paragraphs: rev
                .fields
                .body
                .iter()
                .map(|p| gongkai_core::classify_paragraph(p))
                .collect(),
        })
    }
}
