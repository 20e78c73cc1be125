//! 冲突 of the unit's registers, as the window and the CLI show and end them: an application,
//! a consultation or a comment, a duty record or a year-end review changed on two of the unit's
//! PCs at once, and two applications given one 流水号 on two PCs. Each side is described in
//! words; the clerk keeps one side with a reason, or renumbers one application. The store
//! decides what is in conflict; this only lays it out and passes the clerk's choice on.

use crate::{Api, ApiError, ApiResult, ErrorCode, RecordLeafView};
use chrono::SecondsFormat;
use gongkai_store::{Store, StoreError, UnitChange, UnitConflict, UnitEvent};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A record of the unit's registers in 冲突.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitConflictView {
    /// `sides` (two versions of one record) or `serial` (one 流水号, two applications).
    pub kind: String,
    /// `request:<id>`, `consultation:<doc>`, `comment:<id>`, `duty:<id>`, `year_end:<doc>:<year>`
    /// (for `serial`: the serial).
    pub register: String,
    /// What the record is, in words (依申请公开 2026-007 …).
    pub label: String,
    /// The sides, the one this PC shows first (`sides`).
    pub leaves: Vec<RecordLeafView>,
    /// The applications sharing the serial, each described (`serial`).
    pub requests: Vec<SerialUserView>,
}

/// One of the applications registered under one serial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SerialUserView {
    pub request_id: String,
    /// Received, channel, masked applicant, content.
    pub summary: String,
}

/// Keep one side of a unit record in 冲突.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitResolveRequest {
    pub register: String,
    pub keep_event_id: String,
    pub reason: String,
}

/// Give an application the next free serial of its year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenumberRequest {
    pub request_id: String,
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn request_summary(r: &gongkai_store::RequestRow) -> String {
    let applicant = gongkai_core::request::mask_applicant(&r.applicant_name, &r.applicant_contact);
    let content: String = r.content.chars().take(30).collect();
    format!(
        "{} 收到，{applicant}：{content}",
        r.facts.received, // the date the clock runs from
    )
}

fn summary(store: &Store, ev: &UnitEvent) -> String {
    match &ev.change {
        UnitChange::Request { row } => {
            let mut s = format!("流水号 {}", row.serial);
            if let Some(reply) = &row.reply {
                let outcome = gongkai_core::request::outcome(&reply.outcome)
                    .map_or(reply.outcome.clone(), |o| o.label());
                s.push_str(&format!("，{} 已答复：{outcome}", reply.date));
            } else if let Some(d) = &row.draft {
                s.push_str(&format!("，拟答复已写（{}）", d.by));
            } else {
                s.push_str("，未答复");
            }
            let f = &row.facts;
            if let Some(asked) = f.correction_asked {
                s.push_str(&format!("，{asked} 要求补正"));
            }
            if f.extension.is_some() {
                s.push_str("，已延期");
            }
            if !f.pauses.is_empty() {
                s.push_str(&format!("，{} 次中止", f.pauses.len()));
            }
            if !row.appeals.is_empty() {
                s.push_str(&format!("，{} 次复议或诉讼", row.appeals.len()));
            }
            s
        }
        UnitChange::Consultation { row } => {
            let mut s = format!("征求意见 {} 至 {}", row.opens_on, row.closes_on);
            if row.feedback.is_some() {
                s.push_str("，采纳情况已写");
            }
            if let Some(by) = &row.confirmed_by {
                s.push_str(&format!("，{by} 已确认去标识化"));
            }
            if let Some(on) = row.closed_on {
                s.push_str(&format!("，{on} 已办结"));
            }
            s
        }
        UnitChange::Comment { row, seq } => {
            let adoption = gongkai_core::consultation::Adoption::parse(&row.adoption)
                .map_or(row.adoption.as_str(), |a| a.label());
            let mut s = format!("第 {seq} 条意见：{adoption}");
            if !row.topic.is_empty() {
                s.push_str(&format!("（{}）", row.topic));
            }
            if !row.reason.is_empty() {
                s.push_str(&format!("，理由：{}", row.reason));
            }
            s
        }
        UnitChange::DutyRecord { row } => format!("{} {}", row.on_date, row.note),
        UnitChange::YearEndReview { row } => {
            let outcome = if row.outcome == "converted" {
                "转为主动公开"
            } else {
                "维持原属性"
            };
            format!("{outcome}：{}（{}）", row.reason, row.by)
        }
        UnitChange::Resolve { keep, reason } => {
            let kept = store
                .sync_unit_event(keep)
                .map(|k| summary(store, &k))
                .unwrap_or_default();
            format!("{kept}（处理冲突时选定：{reason}）")
        }
    }
}

fn label(store: &Store, register: &str, leaves: &[UnitEvent]) -> String {
    let (kind, id) = register.split_once(':').unwrap_or((register, ""));
    let doc_title = |doc: &str| {
        crate::parse_doc_id(doc)
            .ok()
            .and_then(|d| store.document(d).ok())
            .map_or(doc.to_string(), |d| d.title)
    };
    match kind {
        "request" => {
            let serial = leaves.iter().find_map(|l| match &l.change {
                UnitChange::Request { row } => Some(row.serial.clone()),
                _ => None,
            });
            format!("依申请公开 {}", serial.unwrap_or_else(|| id.to_string()))
        }
        "consultation" => format!("征求意见：{}", doc_title(id)),
        "comment" => leaves
            .iter()
            .find_map(|l| match &l.change {
                UnitChange::Comment { row, .. } => {
                    Some(format!("征求意见的意见：{}", doc_title(&row.doc_id)))
                }
                _ => None,
            })
            .unwrap_or_else(|| "征求意见的意见".into()),
        "duty" => "履职记录".into(),
        "year_end" => {
            let doc = id.rsplit_once(':').map_or(id, |(d, _)| d);
            format!("年度公开属性复核：{}", doc_title(doc))
        }
        _ => register.to_string(),
    }
}

/// How many of the unit's records are 冲突.
pub(crate) fn count(store: &Store) -> ApiResult<u32> {
    Ok(store.unit_conflicts()?.len() as u32)
}

impl Api {
    /// The unit's register records in 冲突, each side described.
    pub fn unit_conflicts(&self) -> ApiResult<Vec<UnitConflictView>> {
        let store = self.store()?;
        let mut out = Vec::new();
        for c in store.unit_conflicts()? {
            match c {
                UnitConflict::Sides {
                    register,
                    head,
                    leaves,
                } => {
                    let mut views: Vec<RecordLeafView> = leaves
                        .iter()
                        .map(|l| RecordLeafView {
                            event_id: l.event_id.clone(),
                            author: l.author.clone(),
                            created_at: time(l.created_at),
                            is_head: l.event_id == head,
                            summary: summary(&store, l),
                        })
                        .collect();
                    views.sort_by_key(|l| !l.is_head);
                    out.push(UnitConflictView {
                        kind: "sides".into(),
                        label: label(&store, &register, &leaves),
                        register,
                        leaves: views,
                        requests: Vec::new(),
                    });
                }
                UnitConflict::Serial {
                    serial,
                    request_ids,
                } => {
                    let requests = request_ids
                        .iter()
                        .map(|id| {
                            Ok(SerialUserView {
                                request_id: id.clone(),
                                summary: request_summary(&store.request(id)?),
                            })
                        })
                        .collect::<ApiResult<_>>()?;
                    out.push(UnitConflictView {
                        kind: "serial".into(),
                        label: format!("流水号 {serial} 被两件申请使用"),
                        register: serial,
                        leaves: Vec::new(),
                        requests,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Ends a unit record's 冲突: the side kept stands here and, at their next sync, on the
    /// unit's other PCs; the reason is kept with it.
    pub fn unit_resolve(&self, req: UnitResolveRequest) -> ApiResult<Vec<UnitConflictView>> {
        let reason = req.reason.trim();
        if reason.is_empty() {
            return Err(ApiError::invalid(
                "请写明保留这一版本的理由（例如：以答复书存档为准），理由会随记录保存。",
            ));
        }
        {
            let mut store = self.store()?;
            Self::clerk(&store)?;
            match store.resolve_unit_record(
                req.register.trim(),
                req.keep_event_id.trim(),
                reason,
                self.clock.now(),
            ) {
                Ok(()) => {}
                Err(StoreError::Conflict { .. }) => {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "这条记录已没有冲突（可能已在其他电脑上处理），请刷新后再看。",
                    ))
                }
                Err(StoreError::NotFound(_)) => {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        "要保留的版本不是这条记录的冲突版本之一，请刷新后重新选择。",
                    ))
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.unit_conflicts()
    }

    /// Gives an application the next free serial of its year (ends a 流水号重复); returns the
    /// new serial.
    pub fn request_renumber(&self, req: RenumberRequest) -> ApiResult<String> {
        let mut store = self.store()?;
        Self::clerk(&store)?;
        let row = store.request(req.request_id.trim()).map_err(|_| {
            ApiError::new(ErrorCode::NotFound, "登记簿中没有这件申请，请刷新后再试。")
        })?;
        let shared = store
            .unit_conflicts()?
            .into_iter()
            .any(|c| matches!(c, UnitConflict::Serial { serial, .. } if serial == row.serial));
        if !shared {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "这件申请的流水号没有重复，无需重新编号。",
            ));
        }
        Ok(store.request_renumber(&row.request_id, self.clock.now())?)
    }
}
