//! The year-end review of disclosure attributes (task table 000 item 7: 定期对公开属性为依申请公开
//! 或不予公开的公文进行审查，符合条件的转为主动公开). For a year it lists this PC's documents
//! whose attribute is 依申请公开 or 不予公开 (those made that year or before), each with its
//! ground; the clerk confirms the attribute or converts the document to 主动公开 with a reason.
//! A conversion goes through the normal workflow: the document is withdrawn to 拟稿 (logged with
//! the reason), its attribute becomes 主动公开, and it is signed off and published again. Each
//! review is kept with who and when; a finished review counts on the duty board (T07-3).

use crate::{Api, ApiError, ApiResult, ErrorCode};
use gongkai_core::{Attribute, Channel, Stage};
use gongkai_store::YearEndReviewRow;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The year to review.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearEndRequest {
    pub year: i32,
}

/// One document of the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearEndItem {
    pub doc_id: String,
    pub title: String,
    pub doc_number: String,
    /// 依申请公开 or 不予公开 (as reviewed, for a converted one).
    pub attribute: String,
    /// The grounds, as the regulation names them.
    pub grounds: Vec<String>,
    pub reason: String,
    /// `pending`, `confirmed` or `converted`.
    pub outcome: String,
    #[ts(optional)]
    pub reviewed_by: Option<String>,
    #[ts(optional)]
    pub reviewed_at: Option<String>,
    pub review_reason: String,
}

/// The review of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearEndView {
    pub year: i32,
    pub items: Vec<YearEndItem>,
    pub pending: u32,
}

/// Confirm a document's attribute, or convert it to 主动公开.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearEndDecision {
    pub year: i32,
    pub doc_id: String,
    /// True: convert to 主动公开 (the reason is required).
    pub convert: bool,
    #[serde(default)]
    pub reason: String,
    /// For a conversion: the catalogue item it will be published in (when the document has
    /// none yet).
    #[ts(optional)]
    #[serde(default)]
    pub catalog_item: Option<String>,
}

/// The duty the review fulfils on the board: the office's own (T07-3, seed 000 item 7), a
/// unit's review of its own documents (T07-3U).
pub(crate) const REVIEW_DUTY: &str = "T07-3";
pub(crate) const UNIT_REVIEW_DUTY: &str = "T07-3U";

fn reviewable(a: Attribute) -> bool {
    matches!(a, Attribute::OnRequest | Attribute::Withheld)
}

impl Api {
    /// The documents to review for `year`, with what was decided.
    pub fn review_year_end(&self, req: YearEndRequest) -> ApiResult<YearEndView> {
        let store = self.store()?;
        let law = self.law(&store)?;
        let done = store.year_end_reviews(req.year)?;
        let end = chrono::NaiveDate::from_ymd_opt(req.year, 12, 31)
            .ok_or_else(|| ApiError::invalid("年份不对。"))?;
        let mut items = Vec::new();
        for doc in store.list_documents(false)? {
            if crate::files::local_date(doc.created_at) > end {
                continue;
            }
            let id = doc.doc_id.to_string();
            let review = done.iter().find(|r| r.doc_id == id);
            let Some(d) = store.publication(doc.doc_id)?.disclosure else {
                continue;
            };
            if !reviewable(d.attribute) && review.is_none() {
                continue;
            }
            let grounds = d
                .grounds
                .iter()
                .map(|g| {
                    law.withhold
                        .iter()
                        .chain(&law.partial)
                        .find(|x| &x.id == g)
                        .map(|x| format!("{}（{}）", x.label, x.article))
                        .unwrap_or_else(|| g.clone())
                })
                .collect();
            items.push(YearEndItem {
                doc_id: id,
                title: doc.title.clone(),
                doc_number: doc.doc_number.clone(),
                attribute: review
                    .map(|r| r.attribute.clone())
                    .unwrap_or_else(|| d.attribute.label().to_string()),
                grounds,
                reason: d.reason.clone(),
                outcome: review.map_or("pending".into(), |r| r.outcome.clone()),
                reviewed_by: review.map(|r| r.by.clone()),
                reviewed_at: review.map(|r| r.at.to_rfc3339()),
                review_reason: review.map(|r| r.reason.clone()).unwrap_or_default(),
            });
        }
        let pending = items.iter().filter(|i| i.outcome == "pending").count() as u32;
        Ok(YearEndView {
            year: req.year,
            items,
            pending,
        })
    }

    /// Confirms or converts one document (see the module doc). When the last pending document
    /// of the year is reviewed, the review is recorded as done on the duty board.
    pub fn review_year_end_decide(&self, req: YearEndDecision) -> ApiResult<YearEndView> {
        let reason = req.reason.trim().to_string();
        let view = self.review_year_end(YearEndRequest { year: req.year })?;
        let item = view
            .items
            .iter()
            .find(|i| i.doc_id == req.doc_id.trim())
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "{}年度审查清单中没有这份文件（只审查依申请公开和不予公开的文件）。",
                    req.year
                ))
            })?;
        if item.outcome != "pending" {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("这份文件{}年度已审查（{}）。", req.year, item.outcome),
            ));
        }
        if req.convert && reason.is_empty() {
            return Err(ApiError::invalid(
                "转为主动公开须写明理由（如：不予公开的情形已消失）。",
            ));
        }
        let doc = item.doc_id.clone();
        let attribute = item.attribute.clone();
        if req.convert {
            // Through the normal workflow: back to 拟稿 with the reason, then the attribute.
            let stage = self
                .workflow_status(crate::DocRef {
                    doc_id: doc.clone(),
                })?
                .stage;
            if stage != Stage::Drafting {
                self.workflow_transition(crate::TransitionRequest {
                    doc_id: doc.clone(),
                    to: Stage::Drafting,
                    reason: format!("{}年度公开属性审查：转为主动公开。{reason}", req.year),
                })?;
            }
            let mut d = self
                .store()?
                .publication(crate::parse_doc_id(&doc)?)?
                .disclosure
                .ok_or_else(|| ApiError::new(ErrorCode::Internal, "公开属性记录缺失"))?;
            d.attribute = Attribute::Active;
            d.grounds.clear();
            d.ground_detail.clear();
            d.reason = format!("{}年度公开属性审查转为主动公开：{reason}", req.year);
            if d.channels.is_empty() {
                d.channels = vec![Channel::Website];
            }
            if let Some(item) = req
                .catalog_item
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                d.catalog_item = Some(item.to_string());
            }
            self.disclosure_set(crate::DisclosureSetRequest {
                doc_id: doc.clone(),
                disclosure: d,
            })?;
        }
        let clerk = Self::clerk(&*self.store()?)?;
        self.store()?.year_end_review_add(&YearEndReviewRow {
            doc_id: doc,
            year: req.year,
            outcome: if req.convert {
                "converted"
            } else {
                "confirmed"
            }
            .into(),
            attribute,
            reason,
            by: clerk.name.clone(),
            at: self.clock.now(),
        })?;
        let after = self.review_year_end(YearEndRequest { year: req.year })?;
        if after.pending == 0 {
            self.review_year_end_finish(YearEndRequest { year: req.year })?;
        }
        Ok(after)
    }

    /// Records the year's review as done on the duty board (at a unit it also goes to the
    /// office). Done by itself when the last document is reviewed; a year with nothing to review
    /// is finished by the clerk. Refused while documents wait, and when already recorded.
    pub fn review_year_end_finish(&self, req: YearEndRequest) -> ApiResult<YearEndView> {
        let view = self.review_year_end(req.clone())?;
        if view.pending > 0 {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                format!(
                    "还有{}份文件尚未审查，请逐份确认或转为主动公开。",
                    view.pending
                ),
            ));
        }
        let store = self.store()?;
        let clerk = Self::clerk(&store)?;
        let office = Self::role_in(&store)? == crate::Role::Office;
        let (duty, fulfil) = if office {
            (REVIEW_DUTY, "record")
        } else {
            (UNIT_REVIEW_DUTY, "year_end_review")
        };
        let due = chrono::NaiveDate::from_ymd_opt(req.year, 12, 31)
            .ok_or_else(|| ApiError::invalid("年份不对。"))?;
        if store
            .duty_records()?
            .iter()
            .any(|r| r.duty_id == duty && r.unit_id == clerk.unit_id && r.for_due == Some(due))
        {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{}年度公开属性审查已登记完成。", req.year),
            ));
        }
        drop(store);
        let converted = view
            .items
            .iter()
            .filter(|i| i.outcome == "converted")
            .count();
        self.record_duty(
            crate::DutyRecordRequest {
                duty_id: duty.into(),
                unit: Some(clerk.unit_id.clone()),
                date: crate::files::local_date(self.clock.now()).to_string(),
                note: format!(
                    "{}年度公开属性审查：{} 份，转为主动公开 {converted} 份",
                    req.year,
                    view.items.len()
                ),
                for_due: Some(due.to_string()),
            },
            fulfil,
        )?;
        Ok(view)
    }
}
