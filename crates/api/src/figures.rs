//! The annual report's figures from the units to the office. A unit writes its year's tables
//! (二, 三 and 四: counts only, never an applicant or an application) as a JSON file signed with
//! its device key; the office takes it in only when an activated key of that unit verifies it,
//! keeps the latest sending per unit and year, and sees each unit's figures, the bureau's sum and
//! which units have not sent theirs.

use crate::exchange::Role;
use crate::requests::{AnnualRequest, ReportCell};
use crate::{Api, ApiError, ApiResult, ErrorCode};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use gongkai_bundle::{verify_message, Algorithm};
use gongkai_store::UnitFiguresRow;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const COMMENT: &str = "gongkai annual report figures";

/// Write this unit's figures for the office.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FiguresSendRequest {
    pub year: i32,
    pub password: String,
    pub path: String,
}

impl std::fmt::Debug for FiguresSendRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FiguresSendRequest")
            .field("year", &self.year)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The figures queued for the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FiguresQueued {
    pub year: i32,
    pub note_id: String,
    pub sent_at: String,
}

/// One unit at the office: whether and when it sent its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitFiguresView {
    pub unit_code: String,
    pub unit_name: String,
    #[ts(optional)]
    pub sent_at: Option<String>,
    /// Its cells (records left out), empty when not sent.
    pub cells: Vec<ReportCell>,
}

/// The office's view of a year: every unit, and the sum of those that sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FiguresCollection {
    pub year: i32,
    pub units: Vec<UnitFiguresView>,
    /// Cell by cell, the sum over the units that sent.
    pub total: Vec<ReportCell>,
    /// The units that have not sent theirs.
    pub missing: Vec<String>,
}

/// What the signed file holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    year: i32,
    unit_code: String,
    unit_name: String,
    sent_at: String,
    cells: Vec<ReportCell>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedFigures {
    /// The body's JSON text, signed as is.
    body: String,
    key_id: String,
    signature: String,
}

/// A figures body's year, unit and sending time, or why it is not one.
pub(crate) fn figures_header(json: &str) -> Result<(i32, String, String), String> {
    let b: Body = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok((b.year, b.unit_code, b.sent_at))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadFile, msg)
}

impl Api {
    /// The year's figures of this unit (counts only: the records behind each cell left out).
    fn figures_body(&self, year: i32) -> ApiResult<Body> {
        let (clerk, unit_name) = {
            let store = self.store()?;
            Self::require_role(&store, Role::Unit)?;
            let clerk = Self::clerk(&store)?;
            let name = store
                .unit(&clerk.unit_id)
                .map(|u| u.name)
                .unwrap_or_default();
            (clerk, name)
        };
        let report = self.report_annual(AnnualRequest { year })?;
        Ok(Body {
            year,
            unit_code: clerk.unit_id.clone(),
            unit_name,
            sent_at: self.clock.now().to_rfc3339(),
            cells: report
                .cells
                .into_iter()
                .map(|c| ReportCell {
                    records: Vec::new(),
                    ..c
                })
                .collect(),
        })
    }

    /// Queues figures as a register message for the office; returns its id.
    fn queue_figures(&self, body: &Body) -> ApiResult<String> {
        let (note, note_id) = self.new_note(
            crate::transfer::KIND_FIGURES,
            &body.unit_code,
            "office",
            "",
            body,
        )?;
        self.store()?.register_note_queue(&note, self.clock.now())?;
        Ok(note_id)
    }

    /// Unit: queues the year's figures for the office; they go with the next sync (signed
    /// then) or in the next bag for the office.
    pub fn report_figures_queue(&self, req: AnnualRequest) -> ApiResult<FiguresQueued> {
        let body = self.figures_body(req.year)?;
        let note_id = self.queue_figures(&body)?;
        Ok(FiguresQueued {
            year: req.year,
            note_id,
            sent_at: body.sent_at,
        })
    }

    /// Unit: writes the year's figures, signed with this PC's key.
    pub fn report_figures_send(&self, req: FiguresSendRequest) -> ApiResult<crate::WrittenFile> {
        let signer = Self::unlock(&*self.store()?, &req.password)?.1;
        let body = self.figures_body(req.year)?;
        let text = serde_json::to_string(&body)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let sig = signer
            .sign_message(text.as_bytes(), COMMENT)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let signed = SignedFigures {
            body: text,
            key_id: signer.key_id().to_string(),
            signature: B64.encode(sig),
        };
        let bytes = serde_json::to_vec_pretty(&signed)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let written = crate::files::write_atomic(std::path::Path::new(req.path.trim()), &bytes)?;
        // The sending counts on the duty board; with a hub or a bag it also goes that way (the
        // office keeps one sending per unit and year, so the same figures twice change nothing).
        self.queue_figures(&body)?;
        Ok(written)
    }

    /// Office: takes in a unit's figures file (verified against the trust store).
    pub fn report_figures_receive(&self, req: crate::FileRequest) -> ApiResult<FiguresCollection> {
        let bytes = crate::exchange::read_file(&req.path, 4 << 20, "年度报告数据文件")?;
        let signed: SignedFigures = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("这不是年度报告数据文件（{e}）。")))?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let key = store
            .trusted_key(&signed.key_id)?
            .filter(|k| k.activated_at.is_some() && k.revoked_at.is_none())
            .ok_or_else(|| {
                bad("签名密钥不在信任库中或未启用、已吊销：只收已启用的单位密钥签名的数据。")
            })?;
        let alg = Algorithm::parse(&key.algorithm)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "密钥算法记录无法识别"))?;
        let sig = B64
            .decode(&signed.signature)
            .map_err(|_| bad("签名格式不对。"))?;
        verify_message(alg, &key.public_key, signed.body.as_bytes(), &sig)
            .map_err(|e| bad(format!("签名核验未通过，文件可能被改动：{e}")))?;
        let body: Body = serde_json::from_str(&signed.body)
            .map_err(|e| bad(format!("数据格式不对（{e}）。")))?;
        if body.unit_code != key.unit_code {
            return Err(bad("数据所称的单位与签名密钥的单位不一致，未收。"));
        }
        store.unit_figures_put(&UnitFiguresRow {
            year: body.year,
            unit_code: body.unit_code.clone(),
            figures: signed.body.clone(),
            key_id: signed.key_id,
            sent_at: body.sent_at,
            received_at: self.clock.now(),
        })?;
        drop(store);
        self.report_figures_collection(AnnualRequest { year: body.year })
    }

    /// Office: each unit's figures for the year, the sum and the units not heard from.
    pub fn report_figures_collection(&self, req: AnnualRequest) -> ApiResult<FiguresCollection> {
        let store = self.store()?;
        let received = store.unit_figures(req.year)?;
        let units = store.units()?;
        let mut out = Vec::new();
        let mut total: Vec<ReportCell> = Vec::new();
        let mut missing = Vec::new();
        for u in units.iter().filter(|u| u.kind == "unit") {
            let got = received.iter().find(|r| r.unit_code == u.id);
            let body: Option<Body> = got.and_then(|r| serde_json::from_str(&r.figures).ok());
            match &body {
                Some(b) => {
                    for c in &b.cells {
                        match total.iter_mut().find(|t| {
                            t.table == c.table
                                && t.group == c.group
                                && t.row == c.row
                                && t.column_group == c.column_group
                                && t.column == c.column
                        }) {
                            Some(t) => t.value += c.value,
                            None => total.push(c.clone()),
                        }
                    }
                }
                None => missing.push(u.name.clone()),
            }
            out.push(UnitFiguresView {
                unit_code: u.id.clone(),
                unit_name: u.name.clone(),
                sent_at: body.as_ref().map(|b| b.sent_at.clone()),
                cells: body.map(|b| b.cells).unwrap_or_default(),
            });
        }
        Ok(FiguresCollection {
            year: req.year,
            units: out,
            total,
            missing,
        })
    }
}
