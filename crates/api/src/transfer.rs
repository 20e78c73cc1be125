//! 转办 between the office and the units, and the units' figures to the office: register
//! messages.
//!
//! The office records an application and names the unit that must answer; the unit's PCs get it,
//! the unit drafts the reply and sends it back; the office replies to the applicant with it or
//! returns it with a reason. The office keeps the application's clock (补正, pauses, extension)
//! and the reply; every change it records reaches the unit. A unit's year figures go the same
//! way.
//!
//! Each message is written in the same transaction as the change that causes it
//! ([`gongkai_store::Store::request_save_noting`]) and signed when it is sent (the key password
//! is asked only then). Office → unit: sealed with age for the unit's enrolled PCs (their signed
//! recipients, checked against the office's own trust store) and pushed as an
//! `office_note` change, so the hub sees only which unit it is for; the applicant is named
//! only masked, the content as asked. Unit → office: on the submissions channel, signed by the
//! PC's key and verified against the trust store; it carries no applicant data (the reply type,
//! and a note de-identified before it leaves the unit).

use crate::exchange::Role;
use crate::{Api, ApiError, ApiResult, ErrorCode};
use gongkai_core::request::ClockFacts;
use gongkai_store::{DraftRecord, NewNote, ReplyRecord, RequestRow};
use gongkai_sync::messages::{RecipientBody, Signed};
use serde::{Deserialize, Serialize};

/// The office passes an application on.
pub(crate) const KIND_ASSIGN: &str = "assign";
/// The office's record of an application changed (clock, reply, decision on the draft).
pub(crate) const KIND_UPDATE: &str = "update";
/// A unit's draft reply.
pub(crate) const KIND_DRAFT: &str = "draft";
/// A unit's year figures.
pub(crate) const KIND_FIGURES: &str = "figures";
/// A unit's duty record (the duty board).
pub(crate) const KIND_DUTY: &str = "duty";

/// A duty record as it goes to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DutyData {
    record_id: String,
    duty_id: String,
    on_date: chrono::NaiveDate,
    #[serde(default)]
    for_due: Option<chrono::NaiveDate>,
    note: String,
    by: String,
}

impl From<&gongkai_store::DutyRecordRow> for DutyData {
    fn from(r: &gongkai_store::DutyRecordRow) -> DutyData {
        DutyData {
            record_id: r.record_id.clone(),
            duty_id: r.duty_id.clone(),
            on_date: r.on_date,
            for_due: r.for_due,
            note: r.note.clone(),
            by: r.by.clone(),
        }
    }
}
/// Where register messages lie in a transfer bag.
pub(crate) const NOTES: &str = "notes/";
/// The office's name in `from` and `to`.
const OFFICE: &str = "office";

/// A register message as signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct NoteBody {
    pub note_id: String,
    pub kind: String,
    /// `office` or the unit's code.
    pub from: String,
    /// The unit's code or `office`.
    pub to: String,
    pub written_at: String,
    #[serde(default)]
    pub request_id: String,
    pub data: serde_json::Value,
}

/// What the unit gets of an application passed on to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AssignData {
    serial: String,
    channel: String,
    applicant_type: String,
    /// Masked (张**).
    applicant: String,
    content: String,
    facts: ClockFacts,
    created_by: String,
}

/// The office's record of an application, as the unit keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct UpdateData {
    facts: ClockFacts,
    reply: Option<ReplyRecord>,
    draft: Option<DraftRecord>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadFile, msg)
}

/// Register messages for a bag: its files, and the messages they carry.
#[derive(Debug, Default)]
pub(crate) struct BagNotes {
    pub files: Vec<(String, Vec<u8>)>,
    pub ids: Vec<String>,
}

/// What taking in a register message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Taken {
    /// A new application passed on, or a change to one.
    Request(String),
    /// A unit's figures for a year.
    Figures(i32),
    /// A unit's duty record.
    Duty,
    /// Seen before, or older than what is kept.
    Nothing,
}

impl Api {
    /// A register message about `request_id` from this PC to `to`.
    pub(crate) fn new_note(
        &self,
        kind: &str,
        from: &str,
        to: &str,
        request_id: &str,
        data: impl Serialize,
    ) -> ApiResult<(NewNote, String)> {
        let note_id = self.ids.new_uuid().to_string();
        let body = NoteBody {
            note_id: note_id.clone(),
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
            written_at: self.clock.now().to_rfc3339(),
            request_id: request_id.into(),
            data: serde_json::to_value(data).map_err(internal)?,
        };
        let text = serde_json::to_string(&body).map_err(internal)?;
        let unit = if to == OFFICE { from } else { to };
        Ok((
            NewNote {
                note_id: note_id.clone(),
                unit_id: unit.into(),
                kind: kind.into(),
                body: text,
            },
            note_id,
        ))
    }

    /// Office: the 转办 of a new application to its unit.
    pub(crate) fn assign_note(&self, row: &RequestRow) -> ApiResult<NewNote> {
        let data = AssignData {
            serial: row.serial.clone(),
            channel: row.channel.clone(),
            applicant_type: row.applicant_type.clone(),
            applicant: gongkai_core::request::mask_applicant(&row.applicant_name, ""),
            content: row.content.clone(),
            facts: row.facts.clone(),
            created_by: row.created_by.clone(),
        };
        Ok(self
            .new_note(KIND_ASSIGN, OFFICE, &row.unit_id, &row.request_id, data)?
            .0)
    }

    /// Office: the application's record as it now stands, for its unit.
    pub(crate) fn update_note(&self, row: &RequestRow) -> ApiResult<NewNote> {
        let data = UpdateData {
            facts: row.facts.clone(),
            reply: row.reply.clone(),
            draft: row.draft.clone(),
        };
        Ok(self
            .new_note(KIND_UPDATE, OFFICE, &row.unit_id, &row.request_id, data)?
            .0)
    }

    /// Unit: the draft reply of an application the office passed on.
    pub(crate) fn draft_note(&self, row: &RequestRow, draft: &DraftRecord) -> ApiResult<NewNote> {
        Ok(self
            .new_note(KIND_DRAFT, &row.unit_id, OFFICE, &row.request_id, draft)?
            .0)
    }

    /// Office: pushes the messages not yet on the hub, each sealed for its unit's PCs. A unit
    /// none of whose PCs has reached the hub yet keeps its messages queued (named in the
    /// returned list, unless they all went by bag already) while the others go.
    pub(crate) fn push_office_notes(
        &self,
        call: &crate::sync::HubCall<'_>,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<(u32, Vec<String>)> {
        let (notes, list, device) = {
            let store = self.store()?;
            let list = crate::sync::key_list_from(
                &store.trusted_keys()?,
                0,
                String::new(),
                signer.key_id(),
            );
            let device = Self::clerk(&store)?.device_id.to_string();
            (store.register_notes_not_on_hub()?, list, device)
        };
        let mut units: Vec<&str> = notes.iter().map(|n| n.unit_id.as_str()).collect();
        units.dedup();
        let mut sent = 0;
        let mut waiting = Vec::new();
        for unit in units {
            let bytes = call(
                reqwest::Method::GET,
                &format!("/v1/recipients/{unit}"),
                Vec::new(),
            )?;
            let changes: Vec<gongkai_sync_proto::Change> = serde_json::from_slice(&bytes)
                .map_err(|e| internal(format!("同步服务器返回的加密公钥格式不对：{e}")))?;
            let recipients: Vec<String> = verified_recipients(&changes, &list, unit)
                .into_values()
                .collect();
            let mine = notes.iter().filter(|n| n.unit_id == unit);
            if recipients.is_empty() {
                if notes
                    .iter()
                    .any(|n| n.unit_id == unit && n.sent_at.is_none())
                {
                    waiting.push(self.unit_name(unit));
                }
                continue;
            }
            let batch = mine
                .map(|n| {
                    Ok(gongkai_sync_proto::Change {
                        change_id: n.note_id.clone(),
                        unit_id: unit.to_string(),
                        series: format!("{device}/notes-{unit}"),
                        seq: n.seq,
                        kind: gongkai_sync_proto::ChangeKind::OfficeNote,
                        doc_id: None,
                        rev_id: None,
                        parents: Vec::new(),
                        key_version: None,
                        payload: seal_note(&n.body, signer, &recipients)?,
                        created_at: n.created_at.clone(),
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            for chunk in batch.chunks(gongkai_sync::engine::BATCH) {
                let body = serde_json::to_vec(&gongkai_sync_proto::PushRequest {
                    changes: chunk.to_vec(),
                })
                .map_err(internal)?;
                let answer = call(reqwest::Method::POST, "/v1/changes", body)?;
                let resp: gongkai_sync_proto::PushResponse =
                    serde_json::from_slice(&answer).map_err(internal)?;
                let store = self.store()?;
                for ack in resp.acks {
                    store.register_note_on_hub(&ack.change_id, self.clock.now())?;
                    sent += 1;
                }
            }
        }
        Ok((sent, waiting))
    }

    fn unit_name(&self, unit: &str) -> String {
        self.store()
            .ok()
            .and_then(|s| s.unit(unit).ok())
            .map(|u| u.name)
            .unwrap_or_else(|| unit.to_string())
    }

    /// Office: the messages for `unit` not yet sent, sealed for the PCs the office learned from
    /// the unit's bags, as files for the office's bag to it (mark them sent once the bag is
    /// written). Returns the files and how many wait because no PC of the unit is known yet.
    pub(crate) fn office_bag_notes(
        &self,
        unit: &str,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<(BagNotes, u32)> {
        let (notes, recipients) = {
            let store = self.store()?;
            let notes: Vec<_> = store
                .register_notes_unsent()?
                .into_iter()
                .filter(|n| n.unit_id == unit)
                .collect();
            let recipients: Vec<String> = store
                .office_recipients(unit)?
                .into_iter()
                .map(|(_, r)| r)
                .collect();
            (notes, recipients)
        };
        if recipients.is_empty() {
            return Ok((BagNotes::default(), notes.len() as u32));
        }
        let mut out = BagNotes::default();
        for n in &notes {
            out.files.push((
                format!("{NOTES}{}.age", n.note_id),
                seal_note(&n.body, signer, &recipients)?.into_bytes(),
            ));
            out.ids.push(n.note_id.clone());
        }
        Ok((out, 0))
    }

    /// Marks the messages of a written bag sent.
    pub(crate) fn bag_notes_sent(&self, ids: &[String]) -> ApiResult<()> {
        let store = self.store()?;
        for id in ids {
            store.register_note_sent(id, self.clock.now())?;
        }
        Ok(())
    }

    /// Office: keeps the recipients of the unit's PCs found in a unit PC's bag, when a key the
    /// office lists for that unit signed them.
    pub(crate) fn office_learn_recipients(&self, unit: &str, messages: &[u8]) -> ApiResult<()> {
        let changes: Vec<gongkai_sync_proto::Change> = String::from_utf8_lossy(messages)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let store = self.store()?;
        let list = crate::sync::key_list_from(&store.trusted_keys()?, 0, String::new(), "");
        for (key_id, recipient) in verified_recipients(&changes, &list, unit) {
            store.office_recipient_put(&key_id, unit, &recipient, self.clock.now())?;
        }
        Ok(())
    }

    /// Unit: the messages for the office not yet sent, signed, as files for this PC's bag
    /// (mark them sent once the bag is written).
    pub(crate) fn unit_bag_notes(&self, signer: &gongkai_bundle::Signer) -> ApiResult<BagNotes> {
        let mut out = BagNotes::default();
        for n in self.store()?.register_notes_unsent()? {
            let signed = sign_text(&n.body, signer)?;
            out.files.push((
                format!("{NOTES}{}.json", n.note_id),
                serde_json::to_vec(&signed).map_err(internal)?,
            ));
            out.ids.push(n.note_id);
        }
        Ok(out)
    }

    /// Unit: an office message from a bag (sealed for this PC), applied; true when it changed
    /// the register.
    pub(crate) fn unit_take_sealed(
        &self,
        sealed: &[u8],
        identity: &age::x25519::Identity,
    ) -> ApiResult<bool> {
        let plain =
            gongkai_sync::crypto::open_sealed_for(&String::from_utf8_lossy(sealed), identity)
                .map_err(|e| bad(format!("转办消息无法解密：{e}")))?;
        let body = self.office_signed(&plain)?;
        Ok(self.unit_take_note(body)? != Taken::Nothing)
    }

    /// Unit: uploads the queued messages for the office (draft replies, figures).
    pub(crate) fn send_unit_notes(
        &self,
        run: &gongkai_sync::UnitSync<'_>,
        signer: &gongkai_bundle::Signer,
    ) -> ApiResult<u32> {
        let notes = self.store()?.register_notes_unsent()?;
        let mut sent = 0;
        for n in notes {
            let signed = sign_text(&n.body, signer)?;
            let bytes = serde_json::to_vec(&signed).map_err(internal)?;
            run.send_to_office(&n.note_id, bytes)
                .map_err(crate::sync::sync_err)?;
            self.store()?
                .register_note_sent(&n.note_id, self.clock.now())?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Unit: opens the office's messages waiting in the inbox with this PC's identity; returns
    /// how many changed the register. One that cannot be opened stays, with its reason.
    pub(crate) fn import_office_notes(&self, identity: &age::x25519::Identity) -> ApiResult<u32> {
        let waiting = self.store()?.sync_inbox()?;
        let mut taken = 0;
        for (seq, json, _) in waiting {
            let Ok(change) = serde_json::from_str::<gongkai_sync_proto::Change>(&json) else {
                continue;
            };
            if change.kind != gongkai_sync_proto::ChangeKind::OfficeNote {
                continue;
            }
            let opened = gongkai_sync::crypto::open_sealed_for(&change.payload, identity)
                .map_err(|e| bad(format!("转办消息无法解密：{e}")))
                .and_then(|plain| {
                    let body = self.office_signed(&plain)?;
                    if body.note_id != change.change_id || body.to != change.unit_id {
                        return Err(bad("转办消息与其投递信息不符，未收。"));
                    }
                    self.unit_take_note(body)
                });
            match opened {
                Ok(t) => {
                    if t != Taken::Nothing {
                        taken += 1;
                    }
                    self.store()?.sync_inbox_remove(seq)?;
                }
                Err(e) => self.store()?.sync_inbox_reason(seq, &e.message)?,
            }
        }
        Ok(taken)
    }

    /// A message signed by a pinned office key: its body.
    fn office_signed(&self, bytes: &[u8]) -> ApiResult<NoteBody> {
        let signed: Signed =
            serde_json::from_slice(bytes).map_err(|e| bad(format!("转办消息格式不对（{e}）。")))?;
        let pinned = self.store()?.office_keys()?;
        let (_, pk) = pinned
            .iter()
            .find(|(id, _)| *id == signed.key_id)
            .ok_or_else(|| bad("转办消息不是本机登记的指挥中心密钥签名的，未收。"))?;
        let sig = base64_decode(&signed.signature)?;
        gongkai_bundle::verify_message(
            gongkai_bundle::Algorithm::MinisignEd25519,
            pk,
            signed.body.as_bytes(),
            &sig,
        )
        .map_err(|e| bad(format!("转办消息的签名核验未通过：{e}")))?;
        serde_json::from_str(&signed.body).map_err(|e| bad(format!("转办消息内容不对（{e}）。")))
    }

    /// Unit: applies an office message meant for this unit.
    fn unit_take_note(&self, body: NoteBody) -> ApiResult<Taken> {
        let mut store = self.store()?;
        let store = &mut *store;
        Self::require_role(store, Role::Unit)?;
        let clerk = Self::clerk(store)?;
        if body.to != clerk.unit_id || body.from != OFFICE {
            return Err(bad("这条转办消息不是发给本单位的，未收。"));
        }
        if !store.register_note_is_news(&body.note_id, &body.request_id, &body.written_at)? {
            return Ok(Taken::Nothing);
        }
        let existing = store.request(&body.request_id).ok();
        let (note_id, written_at) = (body.note_id.clone(), body.written_at.clone());
        let mut save = |row: &RequestRow| {
            store.request_save_from_office(row, &note_id, &written_at, self.clock.now())
        };
        match body.kind.as_str() {
            KIND_ASSIGN => {
                if existing.is_some() {
                    return Ok(Taken::Nothing);
                }
                let d: AssignData = serde_json::from_value(body.data)
                    .map_err(|e| bad(format!("转办内容不完整（{e}）。")))?;
                let row = RequestRow {
                    request_id: body.request_id.clone(),
                    serial: format!("中心{}", d.serial),
                    channel: d.channel,
                    applicant_type: d.applicant_type,
                    applicant_name: d.applicant,
                    applicant_contact: String::new(),
                    content: d.content,
                    unit_id: clerk.unit_id.clone(),
                    facts: d.facts,
                    reply: None,
                    appeals: Vec::new(),
                    created_by: d.created_by,
                    created_at: self.clock.now(),
                    origin: gongkai_store::ORIGIN_OFFICE.into(),
                    draft: None,
                };
                save(&row)?;
                Ok(Taken::Request(row.request_id))
            }
            KIND_UPDATE => {
                let mut row = existing
                    .filter(|r| r.origin == gongkai_store::ORIGIN_OFFICE)
                    .ok_or_else(|| bad("还没有收到这件申请的转办，稍后同步再试。"))?;
                let d: UpdateData = serde_json::from_value(body.data)
                    .map_err(|e| bad(format!("转办内容不完整（{e}）。")))?;
                row.facts = d.facts;
                row.reply = d.reply;
                // The office's word on a draft counts for the draft it saw (made here or on
                // another PC of the unit); a newer draft made here since stays as it is.
                if let Some(theirs) = d.draft {
                    if row.draft.as_ref().is_none_or(|mine| mine.at <= theirs.at) {
                        row.draft = Some(theirs);
                    }
                }
                save(&row)?;
                Ok(Taken::Request(row.request_id))
            }
            other => Err(bad(format!("未知的转办消息：{other}"))),
        }
    }

    /// Office: takes in a message a unit sent (a draft reply, its figures), verified against
    /// the trust store: the signing key must be listed for the unit the message names.
    pub(crate) fn office_take_note(&self, bytes: &[u8]) -> ApiResult<Taken> {
        let signed: Signed =
            serde_json::from_slice(bytes).map_err(|e| bad(format!("单位消息格式不对（{e}）。")))?;
        let mut store = self.store()?;
        Self::require_role(&store, Role::Office)?;
        let list = crate::sync::key_list_from(&store.trusted_keys()?, 0, String::new(), "");
        let claimed: NoteBody = serde_json::from_str(&signed.body)
            .map_err(|e| bad(format!("单位消息内容不对（{e}）。")))?;
        let body: NoteBody = signed
            .open(&list, &claimed.from)
            .map_err(|e| bad(format!("单位消息未通过核验：{e}")))?;
        if body.to != OFFICE {
            return Err(bad("这条消息不是发给指挥中心的，未收。"));
        }
        match body.kind.as_str() {
            KIND_DRAFT => {
                let mut row = store
                    .request(&body.request_id)
                    .map_err(|_| bad("单位回复的申请在本机登记簿中没有，未收。"))?;
                if row.unit_id != body.from {
                    return Err(bad("这件申请不是转办给该单位的，未收其拟答复。"));
                }
                let mut draft: DraftRecord = serde_json::from_value(body.data)
                    .map_err(|e| bad(format!("拟答复内容不完整（{e}）。")))?;
                if row.reply.is_some()
                    || row
                        .draft
                        .as_ref()
                        .is_some_and(|d| d.at.as_str() >= draft.at.as_str())
                {
                    return Ok(Taken::Nothing);
                }
                if gongkai_core::request::outcome(&draft.outcome).is_none() {
                    return Err(bad("拟答复的答复类型无法识别，未收。"));
                }
                draft.state = gongkai_store::DraftState::Sent;
                draft.reason.clear();
                row.draft = Some(draft);
                store.request_save(&row, self.clock.now())?;
                Ok(Taken::Request(row.request_id))
            }
            KIND_FIGURES => {
                let figures = serde_json::to_string(&body.data).map_err(internal)?;
                let (year, unit, sent_at) = crate::figures::figures_header(&figures)
                    .map_err(|e| bad(format!("年度报告数据不对（{e}）。")))?;
                if unit != body.from {
                    return Err(bad("数据所称的单位与签名密钥的单位不一致，未收。"));
                }
                let kept = store.unit_figures_put(&gongkai_store::UnitFiguresRow {
                    year,
                    unit_code: unit,
                    figures,
                    key_id: signed.key_id,
                    sent_at,
                    received_at: self.clock.now(),
                })?;
                Ok(if kept {
                    Taken::Figures(year)
                } else {
                    Taken::Nothing
                })
            }
            KIND_DUTY => {
                let d: DutyData = serde_json::from_value(body.data)
                    .map_err(|e| bad(format!("职责完成记录不完整（{e}）。")))?;
                let kept = store.duty_record_add(
                    &gongkai_store::DutyRecordRow {
                        record_id: d.record_id,
                        duty_id: d.duty_id,
                        unit_id: body.from.clone(),
                        on_date: d.on_date,
                        for_due: d.for_due,
                        note: d.note,
                        by: d.by,
                    },
                    self.clock.now(),
                )?;
                Ok(if kept { Taken::Duty } else { Taken::Nothing })
            }
            other => Err(bad(format!("未知的单位消息：{other}"))),
        }
    }
}

/// The recipients of `unit`'s PCs that a key the office lists for that unit (and has not
/// revoked) signed: the newest per key id.
fn verified_recipients(
    changes: &[gongkai_sync_proto::Change],
    list: &gongkai_sync_proto::KeyList,
    unit: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut by_key: std::collections::BTreeMap<String, String> = Default::default();
    for c in changes.iter().filter(|c| c.unit_id == unit) {
        let raw = base64_decode(&c.payload).unwrap_or_else(|_| c.payload.clone().into_bytes());
        let Ok(signed) = serde_json::from_slice::<Signed>(&raw) else {
            continue;
        };
        if let Ok(b) = signed.open::<RecipientBody>(list, unit) {
            if b.key_id == signed.key_id && b.unit_id == unit {
                by_key.insert(b.key_id, b.recipient);
            }
        }
    }
    by_key
}

/// A message signed with the office key and sealed for the unit's PCs (base64 age file).
fn seal_note(
    body: &str,
    signer: &gongkai_bundle::Signer,
    recipients: &[String],
) -> ApiResult<String> {
    let plain = serde_json::to_vec(&sign_text(body, signer)?).map_err(internal)?;
    gongkai_sync::crypto::seal_for(recipients, &plain).map_err(internal)
}

fn base64_decode(s: &str) -> ApiResult<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .map_err(|_| bad("签名格式不对。"))
}

/// Signs a message's text as is with this PC's key.
fn sign_text(text: &str, signer: &gongkai_bundle::Signer) -> ApiResult<Signed> {
    use base64::Engine;
    let sig = signer
        .sign_message(text.as_bytes(), "gongkai register note")
        .map_err(internal)?;
    Ok(Signed {
        body: text.to_string(),
        key_id: signer.key_id().to_string(),
        signature: base64::engine::general_purpose::STANDARD.encode(sig),
    })
}
