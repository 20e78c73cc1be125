//! What travels between a unit's PCs besides documents and their publication record: the
//! unit's registers — 依申请公开 applications, 征求意见 consultations and their comments, duty
//! records and year-end attribute reviews.
//!
//! Each record is a *register* (`request:<id>`, `consultation:<doc>`, `comment:<id>`,
//! `duty:<id>`, `year_end:<doc>:<year>`) of immutable events. An event carries the record's
//! whole state after the write and names the register's head on the PC that wrote it (its
//! parent). A remote event whose parent is this PC's head (or that starts a register this PC
//! has not seen) is applied to the record; one that is not is kept as a second leaf and changes
//! nothing: the record is 冲突 until the clerk keeps one side, with the reason, in a `resolve`
//! event that descends from every leaf. Two applications registered offline on two PCs under
//! one 流水号 are both kept and shown as 流水号重复 until the clerk renumbers one.
//!
//! Local writes add their event, and the event its outbox row (a trigger), in the write's
//! transaction. The office's PC records no events: its registers are its own and travel as
//! signed office messages.

use crate::consult::{write_comment, write_consultation, CommentRow, ConsultRow};
use crate::duties::{insert_record, write_year_end, DutyRecordRow, YearEndReviewRow};
use crate::event_log::{body, EventLog};
use crate::requests::{save_request, DraftState, RequestRow, ORIGIN_OFFICE};
use crate::sync::Applied;
use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};

pub(crate) const SCHEMA_V19: &str = "
CREATE TABLE unit_events (
    event_id   TEXT PRIMARY KEY,
    register   TEXT NOT NULL,
    parent_id  TEXT REFERENCES unit_events(event_id),
    device_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX unit_events_register ON unit_events(register);
CREATE INDEX unit_events_parent ON unit_events(parent_id);
CREATE TRIGGER unit_events_immutable BEFORE UPDATE ON unit_events
BEGIN SELECT RAISE(ABORT, 'unit events are immutable'); END;
CREATE TABLE unit_event_merges (
    event_id  TEXT NOT NULL REFERENCES unit_events(event_id),
    merged_id TEXT NOT NULL REFERENCES unit_events(event_id),
    PRIMARY KEY (event_id, merged_id)
) STRICT;
CREATE INDEX unit_event_merges_merged ON unit_event_merges(merged_id);
CREATE TABLE unit_heads (
    register TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES unit_events(event_id)
) STRICT;
CREATE TRIGGER unit_events_outbox AFTER INSERT ON unit_events
WHEN NEW.device_id = (SELECT value FROM settings WHERE key = 'device_id')
BEGIN
    INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
    VALUES ('main',
            (SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'main'),
            NEW.event_id, 'unit_event', NEW.event_id, NEW.created_at);
END;
CREATE TABLE requests_v19 (
    request_id        TEXT PRIMARY KEY,
    serial            TEXT NOT NULL,
    received          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    applicant_type    TEXT NOT NULL,
    applicant_name    TEXT NOT NULL,
    applicant_contact TEXT NOT NULL,
    content           TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    facts             TEXT NOT NULL,
    reply             TEXT,
    appeals           TEXT NOT NULL DEFAULT '[]',
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    origin            TEXT NOT NULL DEFAULT 'local',
    draft             TEXT
) STRICT;
INSERT INTO requests_v19(request_id, serial, received, channel, applicant_type, applicant_name,
    applicant_contact, content, unit_id, facts, reply, appeals, created_by, created_at,
    updated_at, origin, draft)
SELECT request_id, serial, received, channel, applicant_type, applicant_name,
    applicant_contact, content, unit_id, facts, reply, appeals, created_by, created_at,
    updated_at, origin, draft FROM requests;
DROP TABLE requests;
ALTER TABLE requests_v19 RENAME TO requests;
CREATE INDEX requests_received ON requests(received);
CREATE INDEX requests_serial ON requests(serial);
";

/// What one unit event records: the record's state after the write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnitChange {
    Request {
        row: Box<RequestRow>,
    },
    Consultation {
        row: Box<ConsultRow>,
    },
    Comment {
        row: CommentRow,
        seq: i64,
    },
    DutyRecord {
        row: DutyRecordRow,
    },
    YearEndReview {
        row: YearEndReviewRow,
    },
    /// Ends a 冲突 of the register: `keep` (one of the leaves) stands, for `reason`.
    Resolve {
        keep: String,
        reason: String,
    },
}

impl UnitChange {
    /// The register this change belongs to (`None` for a resolution, which names its own).
    pub fn register(&self) -> Option<String> {
        Some(match self {
            UnitChange::Request { row } => format!("request:{}", row.request_id),
            UnitChange::Consultation { row } => format!("consultation:{}", row.doc_id),
            UnitChange::Comment { row, .. } => format!("comment:{}", row.comment_id),
            UnitChange::DutyRecord { row } => format!("duty:{}", row.record_id),
            UnitChange::YearEndReview { row } => {
                format!("year_end:{}:{}", row.doc_id, row.year)
            }
            UnitChange::Resolve { .. } => return None,
        })
    }
}

/// One unit event as it is stored and travels (sealed to the unit's own PCs: it holds
/// applicants' and commenters' personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEvent {
    pub event_id: String,
    pub register: String,
    pub parent_id: Option<String>,
    #[serde(default)]
    pub merges: Vec<String>,
    pub device_id: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub change: UnitChange,
}

/// A unit record in 冲突: more than one leaf, or an application sharing its 流水号.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitConflict {
    /// Two sides of one record.
    Sides {
        register: String,
        /// The leaf this PC shows.
        head: String,
        /// Every leaf, oldest first.
        leaves: Vec<UnitEvent>,
    },
    /// Applications registered under one serial on different PCs.
    Serial {
        serial: String,
        request_ids: Vec<String>,
    },
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

const LOG: EventLog = EventLog {
    events: "unit_events",
    merges: "unit_event_merges",
    heads: "unit_heads",
    key: &["register"],
};

const COLS: &str = "event_id, register, parent_id, device_id, author, created_at, body";

fn load(conn: &Connection, event_id: &str) -> Result<Option<UnitEvent>> {
    let Some(mut ev) = conn
        .query_row(
            &format!("SELECT {COLS} FROM unit_events WHERE event_id = ?1"),
            [event_id],
            |r| {
                Ok(UnitEvent {
                    event_id: r.get(0)?,
                    register: r.get(1)?,
                    parent_id: r.get(2)?,
                    merges: Vec::new(),
                    device_id: r.get(3)?,
                    author: r.get(4)?,
                    created_at: parse_ts(&r.get::<_, String>(5)?)?,
                    change: body(r, 6)?,
                })
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    ev.merges = LOG.merges_of(conn, event_id)?;
    Ok(Some(ev))
}

fn head(conn: &Connection, register: &str) -> Result<Option<String>> {
    LOG.head(conn, &[register])
}

fn set_head(conn: &Connection, register: &str, event_id: &str) -> Result<()> {
    LOG.set_head(conn, &[register], event_id)
}

fn leaves(conn: &Connection, register: &str) -> Result<Vec<UnitEvent>> {
    LOG.leaf_ids(conn, &[register])?
        .iter()
        .filter_map(|id| load(conn, id).transpose())
        .collect()
}

fn insert(conn: &Connection, ev: &UnitEvent) -> Result<()> {
    let body = serde_json::to_string(&ev.change).map_err(bad)?;
    conn.execute(
        &format!("INSERT INTO unit_events({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            ev.event_id,
            ev.register,
            ev.parent_id,
            ev.device_id,
            ev.author,
            ts(ev.created_at),
            body
        ],
    )?;
    LOG.add_merges(conn, &ev.event_id, &ev.merges)
}

/// Records a write this PC's clerk just made (already in its table, same transaction) on top
/// of the register's head. The office records nothing; a PC with no device id yet (first-run
/// set-up) neither.
pub(crate) fn record(
    conn: &Connection,
    change: UnitChange,
    at: DateTime<Utc>,
) -> Result<Option<String>> {
    let Some(register) = change.register() else {
        return Err(bad("a resolution is recorded by resolve_unit_record"));
    };
    record_in(conn, &register, change, Vec::new(), at)
}

fn record_in(
    conn: &Connection,
    register: &str,
    change: UnitChange,
    merges: Vec<String>,
    at: DateTime<Utc>,
) -> Result<Option<String>> {
    let (device, role, author): (Option<String>, Option<String>, Option<String>) = conn.query_row(
        "SELECT (SELECT value FROM settings WHERE key = 'device_id'),
                    (SELECT value FROM settings WHERE key = 'role'),
                    (SELECT name FROM clerks WHERE id =
                        (SELECT value FROM settings WHERE key = 'current_clerk'))",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some(device) = device else {
        return Ok(None);
    };
    if role.as_deref() == Some("office") {
        return Ok(None);
    }
    // Unique with the device's id in front; max(rowid) is read from the index end.
    let n: i64 = conn.query_row(
        "SELECT coalesce(max(rowid), 0) + 1 FROM unit_events",
        [],
        |r| r.get(0),
    )?;
    let ev = UnitEvent {
        event_id: format!("{device}.u{n}"),
        register: register.to_string(),
        parent_id: head(conn, register)?,
        merges,
        device_id: device,
        author: author.unwrap_or_default(),
        created_at: at,
        change,
    };
    insert(conn, &ev)?;
    set_head(conn, register, &ev.event_id)?;
    Ok(Some(ev.event_id))
}

/// The change a register's current value comes from (following resolutions to the side kept).
fn resolved(conn: &Connection, event_id: &str) -> Result<UnitEvent> {
    let mut id = event_id.to_string();
    for _ in 0..10_000 {
        let ev =
            load(conn, &id)?.ok_or_else(|| StoreError::NotFound(format!("unit event {id}")))?;
        match &ev.change {
            UnitChange::Resolve { keep, .. } => id = keep.clone(),
            _ => return Ok(ev),
        }
    }
    Err(bad("resolve chain too long"))
}

/// Writes a record's state as another PC (or a kept side) has it.
fn materialize(tx: &Connection, change: &UnitChange, at: DateTime<Utc>) -> Result<()> {
    match change {
        UnitChange::Request { row } => {
            let mut row = (**row).clone();
            if row.origin == ORIGIN_OFFICE {
                // The office's messages reach every PC of the unit: its clock and reply as
                // this PC has them stand; of the unit's draft, the newer one, and for one
                // draft the office's decision over "sent".
                if let Ok(mine) = crate::Store::request_in(tx, &row.request_id) {
                    row.facts = mine.facts;
                    row.reply = mine.reply;
                    let keep_mine = match (&mine.draft, &row.draft) {
                        (Some(m), Some(t)) => {
                            m.at > t.at || (m.at == t.at && t.state == DraftState::Sent)
                        }
                        (Some(_), None) => true,
                        _ => false,
                    };
                    if keep_mine {
                        row.draft = mine.draft;
                    }
                }
            }
            save_request(tx, &row, at)
        }
        UnitChange::Consultation { row } => write_consultation(tx, row),
        UnitChange::Comment { row, seq } => write_comment(tx, row, *seq, at),
        UnitChange::DutyRecord { row } => insert_record(tx, row, at).map(|_| ()),
        UnitChange::YearEndReview { row } => write_year_end(tx, row, true),
        UnitChange::Resolve { keep, .. } => {
            let kept = resolved(tx, keep)?;
            materialize(tx, &kept.change, at)
        }
    }
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool> {
    Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

/// Applies a unit event from another PC of the unit.
pub(crate) fn apply(tx: &Transaction<'_>, ev: &UnitEvent) -> Result<Applied> {
    const EV: &str = "SELECT 1 FROM unit_events WHERE event_id = ?1";
    if exists(tx, EV, &ev.event_id)? {
        return Ok(Applied::Known);
    }
    for p in ev.parent_id.iter().chain(ev.merges.iter()) {
        if !exists(tx, EV, p)? {
            return Ok(Applied::Waiting);
        }
    }
    // A resolution needs the side it keeps; a comment its consultation (a foreign key).
    let needs = match &ev.change {
        UnitChange::Resolve { keep, .. } => Some((EV, keep.as_str())),
        UnitChange::Comment { row, .. } => Some((
            "SELECT 1 FROM consultations WHERE doc_id = ?1",
            row.doc_id.as_str(),
        )),
        _ => None,
    };
    if let Some((sql, id)) = needs {
        if !exists(tx, sql, id)? {
            return Ok(Applied::Waiting);
        }
    }
    let fits = match ev.change.register() {
        Some(r) => r == ev.register,
        None => true,
    };
    if !fits {
        return Err(bad(format!(
            "unit event {}: register {} does not fit its record",
            ev.event_id, ev.register
        )));
    }
    for p in ev.parent_id.iter().chain(ev.merges.iter()) {
        let other: String = tx.query_row(
            "SELECT register FROM unit_events WHERE event_id = ?1",
            [p],
            |r| r.get(0),
        )?;
        if other != ev.register {
            return Err(bad(format!(
                "unit event {}: a parent belongs to another register",
                ev.event_id
            )));
        }
    }
    insert(tx, ev)?;
    let moves = match head(tx, &ev.register)? {
        None => true,
        Some(h) => ev.parent_id.as_ref() == Some(&h) || ev.merges.contains(&h),
    };
    if moves {
        materialize(tx, &ev.change, ev.created_at)?;
        set_head(tx, &ev.register, &ev.event_id)?;
    }
    let serial_clash = match &ev.change {
        UnitChange::Request { row } => serial_users(tx, &row.serial)?.len() > 1,
        _ => false,
    };
    if serial_clash || leaves(tx, &ev.register)?.len() > 1 {
        Ok(Applied::Conflict)
    } else {
        Ok(Applied::FastForward)
    }
}

fn serial_users(conn: &Connection, serial: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT request_id FROM requests WHERE serial = ?1 ORDER BY created_at, request_id",
    )?;
    let ids = st
        .query_map([serial], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Gives every record made before unit records travelled its first event, so a unit's PC that
/// already holds applications, consultations and reviews sends them on its first sync.
pub(crate) fn seed_events(tx: &Transaction<'_>) -> Result<()> {
    let requests: Vec<RequestRow> = {
        let mut st = tx.prepare("SELECT request_id FROM requests ORDER BY created_at")?;
        let ids: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| crate::Store::request_in(tx, id))
            .collect::<Result<_>>()?
    };
    for r in requests {
        let at = r.created_at;
        record(tx, UnitChange::Request { row: Box::new(r) }, at)?;
    }
    for c in crate::consult::consultations_in(tx)? {
        let at = c.opened_at;
        for (seq, comment) in crate::consult::comments_in(tx, &c.doc_id)? {
            record(tx, UnitChange::Comment { row: comment, seq }, at)?;
        }
        record(tx, UnitChange::Consultation { row: Box::new(c) }, at)?;
    }
    for (d, at) in crate::duties::records_in(tx)? {
        record(tx, UnitChange::DutyRecord { row: d }, at)?;
    }
    for y in crate::duties::year_end_in(tx, None)? {
        let at = y.at;
        record(tx, UnitChange::YearEndReview { row: y }, at)?;
    }
    Ok(())
}

impl Store {
    /// A unit event as sync sends it.
    pub fn sync_unit_event(&self, event_id: &str) -> Result<UnitEvent> {
        load(&self.conn, event_id)?
            .ok_or_else(|| StoreError::NotFound(format!("unit event {event_id}")))
    }

    /// The unit's records in 冲突: records with two sides, and serials given twice.
    pub fn unit_conflicts(&self) -> Result<Vec<UnitConflict>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.register FROM unit_events e
              WHERE NOT EXISTS (SELECT 1 FROM unit_events c WHERE c.parent_id = e.event_id)
                AND NOT EXISTS (SELECT 1 FROM unit_event_merges m WHERE m.merged_id = e.event_id)
              GROUP BY e.register HAVING count(*) > 1 ORDER BY e.register",
        )?;
        let registers: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for register in registers {
            out.push(UnitConflict::Sides {
                head: head(&self.conn, &register)?.unwrap_or_default(),
                leaves: leaves(&self.conn, &register)?,
                register,
            });
        }
        let mut st = self.conn.prepare_cached(
            "SELECT serial FROM requests GROUP BY serial HAVING count(*) > 1 ORDER BY serial",
        )?;
        let serials: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for serial in serials {
            out.push(UnitConflict::Serial {
                request_ids: serial_users(&self.conn, &serial)?,
                serial,
            });
        }
        Ok(out)
    }

    /// Ends a unit record's 冲突: `keep` (one of its leaves) stands, for `reason`; the event
    /// names every leaf and is applied here as it will be on the unit's other PCs.
    pub fn resolve_unit_record(
        &mut self,
        register: &str,
        keep: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let all = leaves(&tx, register)?;
        if all.len() < 2 {
            return Err(StoreError::Conflict {
                head: String::new(),
                base: register.to_string(),
            });
        }
        if !all.iter().any(|l| l.event_id == keep) {
            return Err(StoreError::NotFound(format!("leaf {keep} of {register}")));
        }
        let h = head(&tx, register)?;
        let merges: Vec<String> = all
            .iter()
            .map(|l| l.event_id.clone())
            .filter(|id| Some(id) != h.as_ref())
            .collect();
        let change = UnitChange::Resolve {
            keep: keep.to_string(),
            reason: reason.to_string(),
        };
        materialize(&tx, &change, now)?;
        record_in(&tx, register, change, merges, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Gives an application the next free serial of its year (ends a 流水号重复), as a change
    /// of the application that reaches the unit's other PCs.
    pub fn request_renumber(&mut self, request_id: &str, now: DateTime<Utc>) -> Result<String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut row = crate::Store::request_in(&tx, request_id)?;
        let year = row.facts.received.format("%Y").to_string();
        row.serial = crate::requests::next_serial_in(&tx, &year)?;
        save_request(&tx, &row, now)?;
        let serial = row.serial.clone();
        record(&tx, UnitChange::Request { row: Box::new(row) }, now)?;
        tx.commit()?;
        Ok(serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{Incoming, IncomingEntry};
    use crate::{ReplyRecord, ORIGIN_LOCAL};
    use chrono::{NaiveDate, TimeZone};
    use gongkai_core::request::ClockFacts;
    use gongkai_core::{Clerk, ClerkId, SeqIds};

    fn t(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, min, 0)
            .single()
            .unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn pc(start: u64, name: &str) -> Store {
        let mut store = Store::open_in_memory(t(0)).unwrap();
        let ids = SeqIds::starting_at(start);
        let clerk = Clerk {
            id: ClerkId::new(&ids),
            name: name.into(),
            unit_id: "zazd".into(),
            device_id: store.device_id(&ids).unwrap(),
        };
        store.add_clerk(&clerk, t(0)).unwrap();
        store
            .set_setting("current_clerk", &clerk.id.to_string())
            .unwrap();
        store
    }

    /// Sends every unit event `from` wrote to `to`, as the sync engine would after decrypting
    /// (in the order given: shuffled or repeated by the callers that need it).
    fn ship(from: &Store, to: &mut Store) -> crate::sync::PageApplied {
        let entries: Vec<IncomingEntry> = from
            .sync_pending()
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == "unit_event")
            .map(|row| IncomingEntry {
                server_seq: row.seq,
                change_json: row.change_id.clone(),
                incoming: Incoming::UnitEvent(Box::new(
                    from.sync_unit_event(&row.record_id).unwrap(),
                )),
            })
            .collect();
        to.sync_apply(&entries, None, false).unwrap()
    }

    fn application(id: &str, store: &Store, name: &str) -> RequestRow {
        RequestRow {
            request_id: id.into(),
            serial: store.request_next_serial(2026).unwrap(),
            channel: "letter".into(),
            applicant_type: "citizen".into(),
            applicant_name: name.into(),
            applicant_contact: "13812345678".into(),
            content: "申请公开2025年户籍窗口服务投诉处理情况".into(),
            unit_id: "zazd".into(),
            facts: ClockFacts {
                received: day(1),
                ..Default::default()
            },
            reply: None,
            appeals: Vec::new(),
            created_by: "王敏".into(),
            created_at: t(1),
            origin: ORIGIN_LOCAL.into(),
            draft: None,
        }
    }

    fn reply(outcome: &str, by: &str) -> Option<ReplyRecord> {
        Some(ReplyRecord {
            outcome: outcome.into(),
            date: day(3),
            by: by.into(),
        })
    }

    #[test]
    fn an_application_and_its_reply_reach_the_units_other_pc() {
        let (mut a, mut b) = (pc(1, "王敏"), pc(1_000, "李强"));
        let mut r = application("r1", &a, "张三丰");
        a.request_save(&r, t(2)).unwrap();
        let got = ship(&a, &mut b);
        assert_eq!((got.revisions, got.conflicts, got.waiting), (1, 0, 0));
        assert_eq!(b.request("r1").unwrap(), r);
        // B replies; A's copy moves on, and shipping everything again changes nothing.
        r.reply = reply("1", "李强");
        b.request_save(&r, t(3)).unwrap();
        ship(&b, &mut a);
        assert_eq!(a.request("r1").unwrap().reply, r.reply);
        let again = ship(&b, &mut a);
        assert_eq!((again.revisions, again.conflicts), (0, 0));
        assert!(a.unit_conflicts().unwrap().is_empty());
        assert!(b.unit_conflicts().unwrap().is_empty());
    }

    #[test]
    fn two_replies_made_offline_are_a_conflict_until_one_is_kept_with_a_reason() {
        let (mut a, mut b) = (pc(1, "王敏"), pc(1_000, "李强"));
        let r = application("r1", &a, "张三丰");
        a.request_save(&r, t(2)).unwrap();
        ship(&a, &mut b);
        let mut ra = r.clone();
        ra.reply = reply("1", "王敏");
        a.request_save(&ra, t(3)).unwrap();
        let mut rb = r.clone();
        rb.reply = reply("2", "李强");
        b.request_save(&rb, t(4)).unwrap();
        assert_eq!(ship(&a, &mut b).conflicts, 1);
        assert_eq!(ship(&b, &mut a).conflicts, 1);
        // Neither side was chosen: each PC still shows its own clerk's reply.
        assert_eq!(a.request("r1").unwrap().reply, ra.reply);
        assert_eq!(b.request("r1").unwrap().reply, rb.reply);
        let conflicts = a.unit_conflicts().unwrap();
        let [UnitConflict::Sides {
            register, leaves, ..
        }] = conflicts.as_slice()
        else {
            panic!("one conflict expected, got {conflicts:?}");
        };
        assert_eq!(register, "request:r1");
        assert_eq!(leaves.len(), 2);
        let theirs = leaves.iter().find(|l| l.author == "李强").unwrap();
        a.resolve_unit_record(register, &theirs.event_id, "以已寄出的答复书为准", t(5))
            .unwrap();
        assert_eq!(a.request("r1").unwrap().reply, rb.reply);
        assert!(a.unit_conflicts().unwrap().is_empty());
        ship(&a, &mut b);
        assert!(b.unit_conflicts().unwrap().is_empty());
        assert_eq!(b.request("r1").unwrap(), a.request("r1").unwrap());
        // A resolution that is not needed is refused.
        assert!(a
            .resolve_unit_record(register, &theirs.event_id, "再来一次", t(6))
            .is_err());
    }

    #[test]
    fn one_serial_given_on_two_pcs_keeps_both_applications_until_one_is_renumbered() {
        let (mut a, mut b) = (pc(1, "王敏"), pc(1_000, "李强"));
        let ra = application("ra", &a, "张三丰");
        let rb = application("rb", &b, "李四");
        assert_eq!(ra.serial, rb.serial);
        a.request_save(&ra, t(2)).unwrap();
        b.request_save(&rb, t(3)).unwrap();
        assert_eq!(ship(&b, &mut a).conflicts, 1);
        assert_eq!(ship(&a, &mut b).conflicts, 1);
        for s in [&a, &b] {
            assert_eq!(s.requests().unwrap().len(), 2);
            assert_eq!(
                s.unit_conflicts().unwrap(),
                vec![UnitConflict::Serial {
                    serial: "2026-001".into(),
                    request_ids: vec!["ra".into(), "rb".into()],
                }]
            );
        }
        assert_eq!(a.request_renumber("rb", t(4)).unwrap(), "2026-002");
        ship(&a, &mut b);
        for s in [&a, &b] {
            assert!(s.unit_conflicts().unwrap().is_empty());
            assert_eq!(s.request("rb").unwrap().serial, "2026-002");
            assert_eq!(s.request_next_serial(2026).unwrap(), "2026-003");
        }
    }

    #[test]
    fn consultations_comments_duty_records_and_reviews_travel_and_wait_for_what_they_need() {
        let (mut a, mut b) = (pc(1, "王敏"), pc(1_000, "李强"));
        let c = ConsultRow {
            doc_id: "d1".into(),
            opens_on: day(1),
            closes_on: day(31),
            short_reason: String::new(),
            opened_by: "王敏".into(),
            opened_at: t(1),
            feedback: None,
            feedback_findings: None,
            feedback_redacted: None,
            confirmed_by: None,
            confirmed_at: None,
            closed_on: None,
            closed_by: None,
        };
        a.consultation_save(&c, t(1)).unwrap();
        let comment = CommentRow {
            comment_id: "c1".into(),
            doc_id: "d1".into(),
            received_on: day(2),
            channel: "email".into(),
            commenter: "赵六".into(),
            topic: String::new(),
            body: "建议延长办理时间".into(),
            adoption: "pending".into(),
            reason: String::new(),
        };
        a.comments_add(std::slice::from_ref(&comment), t(2))
            .unwrap();
        a.comment_decide("d1", "c1", "第三条", "adopted", "", t(3))
            .unwrap();
        let duty = DutyRecordRow {
            record_id: "dr1".into(),
            duty_id: "T03-1".into(),
            unit_id: "zazd".into(),
            on_date: day(2),
            for_due: None,
            note: "举办政务公开培训".into(),
            by: "王敏".into(),
        };
        assert!(a.duty_record_add(&duty, t(4)).unwrap());
        let review = YearEndReviewRow {
            doc_id: "d1".into(),
            year: 2026,
            outcome: "confirmed".into(),
            attribute: "依申请公开".into(),
            reason: "仍涉及个人隐私".into(),
            by: "王敏".into(),
            at: t(5),
        };
        a.year_end_review_add(&review).unwrap();

        // The comment's events arrive before the consultation's: they wait, then apply.
        let mut entries: Vec<IncomingEntry> = a
            .sync_pending()
            .unwrap()
            .into_iter()
            .map(|row| IncomingEntry {
                server_seq: row.seq,
                change_json: row.change_id.clone(),
                incoming: Incoming::UnitEvent(Box::new(a.sync_unit_event(&row.record_id).unwrap())),
            })
            .collect();
        entries.rotate_left(1);
        let first = b.sync_apply(&entries, None, false).unwrap();
        assert!(first.waiting >= 1, "{first:?}");
        ship(&a, &mut b);
        assert_eq!(b.consultation("d1").unwrap(), Some(c));
        let got = b.comments("d1").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].topic.as_str(), got[0].adoption.as_str()),
            ("第三条", "adopted")
        );
        assert_eq!(b.duty_records().unwrap(), vec![duty]);
        assert_eq!(b.year_end_reviews(2026).unwrap(), vec![review]);
        assert!(b.unit_conflicts().unwrap().is_empty());
    }

    #[test]
    fn the_office_records_no_unit_events() {
        let mut office = pc(1, "陈主任");
        office.set_setting("role", "office").unwrap();
        let r = application("r1", &office, "张三丰");
        office.request_save(&r, t(2)).unwrap();
        assert!(office
            .sync_pending()
            .unwrap()
            .iter()
            .all(|row| row.kind != "unit_event"));
    }

    #[test]
    fn an_event_that_names_another_register_is_refused() {
        let (mut a, mut b) = (pc(1, "王敏"), pc(1_000, "李强"));
        let r = application("r1", &a, "张三丰");
        a.request_save(&r, t(2)).unwrap();
        let row = a.sync_pending().unwrap().pop().unwrap();
        let mut ev = a.sync_unit_event(&row.record_id).unwrap();
        ev.register = "request:someone-else".into();
        let got = b
            .sync_apply(
                &[IncomingEntry {
                    server_seq: 1,
                    change_json: "{}".into(),
                    incoming: Incoming::UnitEvent(Box::new(ev)),
                }],
                None,
                false,
            )
            .unwrap();
        assert_eq!(got.waiting, 1);
        assert!(b.requests().unwrap().is_empty());
    }
}
