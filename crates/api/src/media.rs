//! Removable media in all three directions, for units whose network never reaches the hub:
//!
//! - between a unit's own PCs: the sealed changes, key messages and key list
//!   (`gongkai_sync::media`);
//! - unit → office: the same bag also carries the bundles made on that PC that have not reached
//!   the office; the office verifies the bag against its trust store (an active key of the
//!   bag's unit) and takes the bundles in as from the hub — it cannot open the sealed changes
//!   and does not try;
//! - office → unit: a bag the office signs with its key, holding the signed key list, every
//!   reference dataset and the receipts for that unit's submissions; the unit verifies it with
//!   the pinned office key and takes each part exactly as the hub would deliver it.
//!
//! Every bag is BagIt (`bagit.py --validate` accepts it); importing one twice changes nothing.

use crate::exchange::Role;
use crate::sync::{sync_err, MediaExportRequest, MediaExported, MediaImportRequest, MediaImported};
use crate::{Api, ApiError, ApiResult, ErrorCode};
use gongkai_bundle::{build_transfer, open_transfer, peek_transfer_file, Algorithm};
use gongkai_sync::media::SUBMISSIONS;
use gongkai_sync_proto::{SignedDataset, SignedKeyList};
use serde::{Deserialize, Serialize};

/// The file that marks the office's bag for a unit.
const OFFICE_MARK: &str = "office.json";
const KEYLIST: &str = "keylist.json";
const REFERENCE: &str = "reference/";
const RECEIPTS: &str = "receipts/";

#[derive(Serialize, Deserialize)]
struct OfficeMark {
    unit: String,
    issued_at: String,
}

fn media_err(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::BadFile, e.to_string())
}

impl Api {
    /// Writes a transfer bag: at a unit's PC, this PC's changes not yet exported (all with
    /// `all`) and its bundles not yet at the office; at the office, the bag for `unit`.
    pub fn sync_export_media(&self, req: MediaExportRequest) -> ApiResult<MediaExported> {
        let role = Self::role_in(&*self.store()?)?;
        let (bag, counts, notes) = if role == Role::Office {
            let (bag, receipts, reference, notes) = self.office_bag(&req)?;
            (bag, (0, Vec::new(), 0, receipts, reference), notes)
        } else {
            let signer = Self::unlock(&*self.store()?, &req.password)?.1;
            let notes = self.unit_bag_notes(&signer)?;
            let e = self.media_run(&req.password, |run| run.export_media(req.all, notes.files))?;
            let waiting = 0;
            (
                e.bag,
                (e.changes, e.ranges, e.submissions, 0, 0),
                (notes.ids, waiting),
            )
        };
        let path = if req.path.trim().is_empty() {
            let who = req.unit.as_deref().unwrap_or_default();
            self.export_dir().join(format!(
                "同步传输包-{who}{}{}.zip",
                if who.is_empty() { "" } else { "-" },
                crate::files::local_date(self.clock.now())
            ))
        } else {
            std::path::PathBuf::from(req.path.trim())
        };
        let (changes, ranges, submissions, receipts, reference) = counts;
        let file = crate::files::write_atomic(&path, &bag)?;
        // Only a bag on the disk delivers its messages.
        let (ids, notes_waiting) = notes;
        self.bag_notes_sent(&ids)?;
        Ok(MediaExported {
            file,
            changes,
            ranges,
            submissions,
            receipts,
            reference,
            notes: ids.len() as u32,
            notes_waiting,
        })
    }

    /// Reads a transfer bag: another PC of the unit's, the office's (at a unit's PC), or a
    /// unit's (at the office).
    pub fn sync_import_media(&self, req: MediaImportRequest) -> ApiResult<MediaImported> {
        let bytes = crate::exchange::read_file(&req.path, 256 << 20, "同步传输包")?;
        let role = Self::role_in(&*self.store()?)?;
        if role == Role::Office {
            return self.office_take_bag(&bytes);
        }
        if peek_transfer_file(&bytes, OFFICE_MARK)
            .map_err(media_err)?
            .is_some()
        {
            return self.unit_take_office_bag(&bytes, &req.password);
        }
        let r = self.media_run(&req.password, |run| run.import_media(&bytes))?;
        Ok(MediaImported {
            changes: r.changes,
            applied_revisions: r.applied_revisions,
            new_conflicts: r.new_conflicts,
            waiting: r.waiting,
            received: 0,
            receipts: 0,
            reference: 0,
            register: 0,
            problems: Vec::new(),
        })
    }

    /// Office: the bag for one unit (key list, reference data, that unit's receipts and register
    /// messages); returns it with the number of receipts and of datasets, and the messages in
    /// it and those waiting for a PC of the unit to be known.
    #[allow(clippy::type_complexity)]
    fn office_bag(
        &self,
        req: &MediaExportRequest,
    ) -> ApiResult<(Vec<u8>, u32, u32, (Vec<String>, u32))> {
        let unit = req
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| ApiError::invalid("请选择传输包要送往的单位"))?
            .to_string();
        let signer = {
            let store = self.store()?;
            if store.unit(&unit).is_err() {
                return Err(ApiError::invalid(format!(
                    "没有代码为 {unit} 的单位，请从单位列表中选择"
                )));
            }
            Self::unlock(&store, &req.password)?.1
        };
        let now = self.clock.now();
        let mut files = vec![
            (
                OFFICE_MARK.to_string(),
                serde_json::to_vec(&OfficeMark {
                    unit: unit.clone(),
                    issued_at: now.to_rfc3339(),
                })
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            ),
            (
                KEYLIST.to_string(),
                serde_json::to_vec(&self.signed_key_list(&signer)?)
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            ),
        ];
        let held = self.store()?.seed_versions()?;
        let reference = held.len() as u32;
        for (name, version, _) in held {
            let signed = self.signed_dataset(name.clone(), version, &signer)?;
            files.push((
                format!("{REFERENCE}{name}.json"),
                serde_json::to_vec(&signed)
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            ));
        }
        let receipts = self.store()?.issued_receipts_for(&unit)?;
        let n_receipts = receipts.len() as u32;
        for (id, body) in receipts {
            files.push((format!("{RECEIPTS}{id}.json"), body));
        }
        let (notes, waiting) = self.office_bag_notes(&unit, &signer)?;
        files.extend(notes.files);
        let labels: Vec<(&str, String)> = vec![
            ("Gongkai-Transfer", "1".into()),
            ("Gongkai-From", "office".into()),
            ("Gongkai-Unit", unit),
        ];
        let bag = build_transfer(
            &format!("gongkai-transfer-{}", self.ids.new_uuid()),
            &labels,
            &files,
            crate::files::local_date(now),
            &signer,
        )
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        Ok((bag, n_receipts, reference, (notes.ids, waiting)))
    }

    /// Office: a unit PC's bag, verified against the trust store; its bundles go to intake.
    fn office_take_bag(&self, bytes: &[u8]) -> ApiResult<MediaImported> {
        let keys = self.store()?.trusted_keys()?;
        let bag = open_transfer(bytes, |kid| {
            keys.iter()
                .find(|k| k.key_id == kid && k.activated_at.is_some() && k.revoked_at.is_none())
                .and_then(|k| Algorithm::parse(&k.algorithm).map(|a| (a, k.public_key.clone())))
        })
        .map_err(|e| media_err(format!("传输包未通过核验（须由已启用的单位密钥签名）：{e}")))?;
        if bag.label("Gongkai-From") == Some("office") {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "这是指挥中心发给单位的传输包，应在单位电脑上导入",
            ));
        }
        let signer_unit = keys
            .iter()
            .find(|k| k.key_id == bag.key_id)
            .map(|k| k.unit_code.clone())
            .unwrap_or_default();
        if bag.label("Gongkai-Unit") != Some(signer_unit.as_str()) {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "传输包标注的单位与签名密钥的单位不一致，未导入",
            ));
        }
        if let Some(messages) = bag.files.get(gongkai_sync::media::MESSAGES) {
            self.office_learn_recipients(&signer_unit, messages)?;
        }
        let mut received = 0;
        let mut seen = 0;
        let mut register = 0;
        let mut problems = Vec::new();
        for (path, bytes) in &bag.files {
            if path.starts_with(crate::transfer::NOTES) {
                seen += 1;
                match self.office_take_note(bytes) {
                    Ok(crate::transfer::Taken::Nothing) => {}
                    Ok(_) => register += 1,
                    Err(e) => problems.push(e.message),
                }
                continue;
            }
            if !path.starts_with(SUBMISSIONS) {
                continue;
            }
            seen += 1;
            if self.intake_receive_bytes(bytes.clone())?.recorded {
                received += 1;
            }
        }
        Ok(MediaImported {
            changes: seen,
            applied_revisions: 0,
            new_conflicts: 0,
            waiting: 0,
            received,
            receipts: 0,
            reference: 0,
            register,
            problems,
        })
    }

    /// Unit: the office's bag, verified with the pinned office key.
    fn unit_take_office_bag(&self, bytes: &[u8], password: &str) -> ApiResult<MediaImported> {
        let (pinned, clerk) = {
            let store = self.store()?;
            (store.office_keys()?, Self::clerk(&store)?)
        };
        if pinned.is_empty() {
            return Err(ApiError::new(
                ErrorCode::GateClosed,
                "尚未登记指挥中心的公钥：请在“签名密钥”中填入指挥中心通知上的公钥后再导入",
            ));
        }
        let bag = open_transfer(bytes, |kid| {
            pinned
                .iter()
                .find(|(id, _)| id == kid)
                .map(|(_, pk)| (Algorithm::MinisignEd25519, pk.clone()))
        })
        .map_err(|e| media_err(format!("传输包未通过指挥中心签名核验：{e}")))?;
        if bag.label("Gongkai-Unit") != Some(clerk.unit_id.as_str()) {
            return Err(ApiError::new(
                ErrorCode::BadFile,
                "这是指挥中心发给其他单位的传输包，未导入",
            ));
        }
        let mut out = MediaImported {
            changes: 0,
            applied_revisions: 0,
            new_conflicts: 0,
            waiting: 0,
            received: 0,
            receipts: 0,
            reference: 0,
            register: 0,
            problems: Vec::new(),
        };
        if let Some(raw) = bag.files.get(KEYLIST) {
            let signed: SignedKeyList = serde_json::from_slice(raw)
                .map_err(|e| media_err(format!("传输包中的密钥清单格式不对：{e}")))?;
            gongkai_sync::engine::take_key_list(&*self.store()?, &signed).map_err(sync_err)?;
            out.changes += 1;
        }
        for (path, raw) in &bag.files {
            if path.starts_with(REFERENCE) {
                let signed: SignedDataset = serde_json::from_slice(raw)
                    .map_err(|e| media_err(format!("传输包中的参考数据 {path} 格式不对：{e}")))?;
                out.changes += 1;
                if gongkai_sync::engine::take_dataset(
                    &mut *self.store()?,
                    &signed,
                    None,
                    self.clock.now(),
                )
                .map_err(sync_err)?
                {
                    out.reference += 1;
                }
            }
        }
        if out.reference > 0 {
            self.reload_scanner(&*self.store()?);
        }
        for (path, raw) in &bag.files {
            if !path.starts_with(RECEIPTS) {
                continue;
            }
            out.changes += 1;
            // A receipt for a bundle made on another PC of the unit is that PC's to record.
            let here = serde_json::from_slice::<serde_json::Value>(raw)
                .ok()
                .and_then(|v| v.get("submission_id")?.as_str().map(str::to_string))
                .is_some_and(|id| {
                    self.store()
                        .ok()
                        .and_then(|s| s.submission_is_local(&id).ok())
                        .unwrap_or(false)
                });
            if here && self.receipt_import_bytes(raw.clone())?.new {
                out.receipts += 1;
            }
        }
        let sealed: Vec<&Vec<u8>> = bag
            .files
            .iter()
            .filter(|(p, _)| p.starts_with(crate::transfer::NOTES))
            .map(|(_, b)| b)
            .collect();
        if !sealed.is_empty() {
            let (identity, _) = self.unit_identity(password)?;
            for raw in sealed {
                out.changes += 1;
                match self.unit_take_sealed(raw, &identity) {
                    Ok(true) => out.register += 1,
                    Ok(false) => {}
                    Err(e) => out.problems.push(e.message),
                }
            }
        }
        Ok(out)
    }
}
