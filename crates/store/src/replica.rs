//! What travels of a document's publication between a unit's PCs, besides its revisions.
//!
//! - **Package revisions** form a graph like document revisions: a remote child of the head
//!   moves the head, a sibling stays a second leaf (the package is 冲突) until a merge revision
//!   names every leaf. The images a revision shows travel with it.
//! - **Publication events**: every record a clerk makes about a document's way to publication
//!   (a stage move with its sign-off and dated events, the disclosure attribute, the secrecy
//!   review, an event date, a deadline pause) is an immutable event in a *register* of the
//!   document (`workflow`, `disclosure`, `secrecy`, `event:<kind>`, `pause:<id>`). Each event
//!   names the register's head on the PC that wrote it (its parent). A remote event whose parent
//!   is this PC's head moves the register and is applied to the publication record; one that is
//!   not is kept as a second leaf and changes nothing: the register is 冲突 until the clerk keeps
//!   one side, with the reason, in a `resolve` event that descends from every leaf. Nothing is
//!   ever chosen silently, and the stage a PC shows only moves by its own clerk or by an event
//!   made on top of what it shows (the compare-and-set of a stage move, across PCs).
//!
//! Local writes add their event and their outbox row (a trigger) in the write's transaction.

use crate::event_log::{body, EventLog};
use crate::publication::{PauseRow, SignoffRow};
use crate::sync::Applied;
use crate::{parse_ts, ts, Result, Store, StoreError};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::{Clerk, Disclosure, DocId, Package, SecrecyReview, Stage, PACKAGE_SCHEMA};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};

pub(crate) const SCHEMA_V12: &str = "
ALTER TABLE package_revisions ADD COLUMN device_id TEXT;
DROP TRIGGER package_revisions_immutable;
UPDATE package_revisions SET device_id = (SELECT value FROM settings WHERE key = 'device_id');
CREATE TRIGGER package_revisions_immutable BEFORE UPDATE ON package_revisions
BEGIN SELECT RAISE(ABORT, 'package revisions are immutable'); END;
CREATE INDEX package_revisions_parent ON package_revisions(parent_rev_id);
CREATE TABLE package_merges (
    rev_id        TEXT NOT NULL REFERENCES package_revisions(rev_id),
    merged_rev_id TEXT NOT NULL REFERENCES package_revisions(rev_id),
    PRIMARY KEY (rev_id, merged_rev_id)
) STRICT;
CREATE INDEX package_merges_merged ON package_merges(merged_rev_id);
CREATE TABLE pub_events (
    event_id   TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES documents(doc_id),
    register   TEXT NOT NULL,
    parent_id  TEXT REFERENCES pub_events(event_id),
    device_id  TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX pub_events_register ON pub_events(doc_id, register);
CREATE INDEX pub_events_parent ON pub_events(parent_id);
CREATE TRIGGER pub_events_immutable BEFORE UPDATE ON pub_events
BEGIN SELECT RAISE(ABORT, 'publication events are immutable'); END;
CREATE TABLE pub_event_merges (
    event_id  TEXT NOT NULL REFERENCES pub_events(event_id),
    merged_id TEXT NOT NULL REFERENCES pub_events(event_id),
    PRIMARY KEY (event_id, merged_id)
) STRICT;
CREATE INDEX pub_event_merges_merged ON pub_event_merges(merged_id);
CREATE TABLE pub_heads (
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id),
    register TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES pub_events(event_id),
    PRIMARY KEY (doc_id, register)
) STRICT;
INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
SELECT 'main',
       (SELECT coalesce(max(seq), 0) FROM sync_outbox WHERE series = 'main')
         + row_number() OVER (ORDER BY created_at, rev_no, rev_id),
       rev_id, 'package_revision', rev_id, created_at
FROM package_revisions;
CREATE TRIGGER package_revisions_outbox AFTER INSERT ON package_revisions
WHEN NEW.device_id = (SELECT value FROM settings WHERE key = 'device_id')
BEGIN
    INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
    VALUES ('main',
            (SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'main'),
            NEW.rev_id, 'package_revision', NEW.rev_id, NEW.created_at);
END;
CREATE TRIGGER pub_events_outbox AFTER INSERT ON pub_events
WHEN NEW.device_id = (SELECT value FROM settings WHERE key = 'device_id')
BEGIN
    INSERT INTO sync_outbox(series, seq, change_id, kind, record_id, created_at)
    VALUES ('main',
            (SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox WHERE series = 'main'),
            NEW.event_id, 'pub_event', NEW.event_id, NEW.created_at);
END;
";

/// The register of stage moves.
pub const WORKFLOW: &str = "workflow";
/// The register of the disclosure attribute.
pub const DISCLOSURE: &str = "disclosure";
/// The register of the secrecy review.
pub const SECRECY: &str = "secrecy";

/// What one publication event records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PubChange {
    /// A stage move, with the sign-off it records and the dates it sets.
    Stage {
        from: Stage,
        to: Stage,
        reason: String,
        doc_rev_id: String,
        package_rev_id: Option<String>,
        #[serde(default)]
        signoff: Option<SignoffRow>,
        #[serde(default)]
        events: Vec<(String, NaiveDate)>,
        /// The bundle made with this move (de-identified: what the office receives).
        #[serde(default)]
        submission: Option<Box<crate::SubmissionRow>>,
    },
    Disclosure {
        value: Disclosure,
    },
    Secrecy {
        value: SecrecyReview,
        rev_id: String,
    },
    /// A dated event (`published`, `interpretation_published`).
    Event {
        event: String,
        on: NaiveDate,
    },
    Pause {
        pause: PauseRow,
    },
    /// The de-identification review of a revision as applied (register `deid:<rev>`).
    Deid {
        review: Box<DeidReview>,
    },
    /// Ends a 冲突 of the register: `keep` (one of the leaves) stands, for `reason`.
    Resolve {
        keep: String,
        reason: String,
    },
}

/// A de-identification review as applied on one PC: every finding of the revision with its
/// decision, what the scan kept visible, the report and the images confirmed. It carries the
/// original personal data, so it travels only sealed to the unit's own PCs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeidReview {
    pub rev_id: String,
    pub scanned_at: Option<DateTime<Utc>>,
    pub findings: Vec<crate::deid::FindingRow>,
    pub kept: Option<String>,
    pub report: crate::deid::ReportRow,
    pub images: Vec<crate::deid::ImageReviewRow>,
}

/// One publication event as it is stored and travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PubEvent {
    pub event_id: String,
    pub doc_id: String,
    pub register: String,
    pub parent_id: Option<String>,
    #[serde(default)]
    pub merges: Vec<String>,
    pub device_id: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub change: PubChange,
}

/// An image as it travels with a package revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageBlob {
    pub sha256: String,
    pub media_type: String,
    /// Base64.
    pub bytes: String,
}

/// A package revision as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageChange {
    pub rev_id: String,
    pub doc_id: String,
    pub parent_rev_id: Option<String>,
    #[serde(default)]
    pub merges: Vec<String>,
    pub author_id: String,
    pub author_name: String,
    pub device_id: String,
    pub created_at: DateTime<Utc>,
    pub content_sha256: String,
    pub package: Package,
    /// The images the package shows.
    #[serde(default)]
    pub images: Vec<ImageBlob>,
}

/// A register with more than one leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterConflict {
    pub register: String,
    /// The leaf this PC shows.
    pub head: String,
    /// Every leaf, oldest first.
    pub leaves: Vec<PubEvent>,
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool> {
    Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

const LOG: EventLog = EventLog {
    events: "pub_events",
    merges: "pub_event_merges",
    heads: "pub_heads",
    key: &["doc_id", "register"],
};

const EVENT_COLS: &str =
    "event_id, doc_id, register, parent_id, device_id, author, created_at, body";

pub(crate) fn load_event(conn: &Connection, event_id: &str) -> Result<Option<PubEvent>> {
    let Some(mut ev) = conn
        .query_row(
            &format!("SELECT {EVENT_COLS} FROM pub_events WHERE event_id = ?1"),
            [event_id],
            |r| {
                Ok(PubEvent {
                    event_id: r.get(0)?,
                    doc_id: r.get(1)?,
                    register: r.get(2)?,
                    parent_id: r.get(3)?,
                    merges: Vec::new(),
                    device_id: r.get(4)?,
                    author: r.get(5)?,
                    created_at: parse_ts(&r.get::<_, String>(6)?)?,
                    change: body(r, 7)?,
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

fn register_head(conn: &Connection, doc: &str, register: &str) -> Result<Option<String>> {
    LOG.head(conn, &[doc, register])
}

fn set_head(conn: &Connection, doc: &str, register: &str, event_id: &str) -> Result<()> {
    LOG.set_head(conn, &[doc, register], event_id)
}

fn register_leaves(conn: &Connection, doc: &str, register: &str) -> Result<Vec<PubEvent>> {
    LOG.leaf_ids(conn, &[doc, register])?
        .iter()
        .filter_map(|id| load_event(conn, id).transpose())
        .collect()
}

fn insert_event(conn: &Connection, ev: &PubEvent) -> Result<()> {
    let body = serde_json::to_string(&ev.change).map_err(bad)?;
    conn.execute(
        &format!("INSERT INTO pub_events({EVENT_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            ev.event_id,
            ev.doc_id,
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

fn this_device(conn: &Connection) -> Result<String> {
    conn.query_row(
        "SELECT value FROM settings WHERE key = 'device_id'",
        [],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("device id".into()))
}

/// Records an event this PC's clerk made (already applied to the publication record by the
/// caller), on top of the register's head, merging `merges`. Returns its id.
pub(crate) fn record_local(
    conn: &Connection,
    doc: &str,
    register: &str,
    author: &str,
    at: DateTime<Utc>,
    change: PubChange,
    merges: Vec<String>,
) -> Result<String> {
    let device = this_device(conn)?;
    // Unique with the device's id in front; max(rowid) is read from the index end, not counted.
    let n: i64 = conn.query_row(
        "SELECT coalesce(max(rowid), 0) + 1 FROM pub_events",
        [],
        |r| r.get(0),
    )?;
    let ev = PubEvent {
        event_id: format!("{device}.{n}"),
        doc_id: doc.to_string(),
        register: register.to_string(),
        parent_id: register_head(conn, doc, register)?,
        merges,
        device_id: device,
        author: author.to_string(),
        created_at: at,
        change,
    };
    insert_event(conn, &ev)?;
    set_head(conn, doc, register, &ev.event_id)?;
    Ok(ev.event_id)
}

fn ensure_publication(conn: &Connection, doc: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO publications(doc_id, stage) VALUES (?1, 'drafting') ON CONFLICT(doc_id) DO NOTHING",
        [doc],
    )?;
    Ok(())
}

fn current_stage(conn: &Connection, doc: &str) -> Result<Stage> {
    let s: Option<String> = conn
        .query_row(
            "SELECT stage FROM publications WHERE doc_id = ?1",
            [doc],
            |r| r.get(0),
        )
        .optional()?;
    Ok(s.as_deref()
        .and_then(Stage::parse)
        .unwrap_or(Stage::Drafting))
}

#[allow(clippy::too_many_arguments)]
fn log_move(
    conn: &Connection,
    doc: &str,
    from: Stage,
    to: Stage,
    actor: &str,
    at: DateTime<Utc>,
    reason: &str,
    doc_rev_id: &str,
    package_rev_id: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE publications SET stage = ?2 WHERE doc_id = ?1",
        params![doc, to.as_str()],
    )?;
    conn.execute(
        "UPDATE documents SET status = ?2 WHERE doc_id = ?1",
        params![doc, to.doc_status().as_str()],
    )?;
    conn.execute(
        "INSERT INTO workflow_log(doc_id, from_stage, to_stage, actor, at, reason, doc_rev_id,
            package_rev_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            doc,
            from.as_str(),
            to.as_str(),
            actor,
            ts(at),
            reason,
            doc_rev_id,
            package_rev_id
        ],
    )?;
    Ok(())
}

pub(crate) fn insert_signoff(conn: &Connection, s: &SignoffRow) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO signoffs(id, doc_id, doc_rev_id, package_rev_id, signer, signed_on,
            opinion, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            s.id,
            s.doc_id,
            s.doc_rev_id,
            s.package_rev_id,
            s.signer,
            s.signed_on.to_string(),
            s.opinion,
            s.recorded_by,
            ts(s.recorded_at)
        ],
    )?;
    Ok(())
}

/// Applies what `change` records to the publication record (the stage without a
/// compare-and-set: the event's place in the register is what was checked).
pub(crate) fn materialize(
    conn: &Connection,
    doc: &str,
    author: &str,
    at: DateTime<Utc>,
    change: &PubChange,
) -> Result<()> {
    ensure_publication(conn, doc)?;
    match change {
        PubChange::Stage {
            from,
            to,
            reason,
            doc_rev_id,
            package_rev_id,
            signoff,
            events,
            submission,
        } => {
            if let Some(s) = signoff {
                insert_signoff(conn, s)?;
            }
            if let Some(s) = submission {
                crate::exchange::insert_submission(conn, s, true)?;
            }
            log_move(
                conn,
                doc,
                *from,
                *to,
                author,
                at,
                reason,
                doc_rev_id,
                package_rev_id.as_deref(),
            )?;
            for (kind, on) in events {
                Store::set_event_in(conn, doc, kind, *on, author, at)?;
            }
        }
        PubChange::Disclosure { value } => {
            conn.execute(
                "UPDATE publications SET disclosure = ?2, disclosure_by = ?3, disclosure_at = ?4
                 WHERE doc_id = ?1",
                params![
                    doc,
                    serde_json::to_string(value).map_err(bad)?,
                    author,
                    ts(at)
                ],
            )?;
        }
        PubChange::Secrecy { value, rev_id } => {
            conn.execute(
                "UPDATE publications SET secrecy = ?2, secrecy_rev_id = ?3, secrecy_by = ?4,
                    secrecy_at = ?5 WHERE doc_id = ?1",
                params![
                    doc,
                    serde_json::to_string(value).map_err(bad)?,
                    rev_id,
                    author,
                    ts(at)
                ],
            )?;
        }
        PubChange::Event { event, on } => {
            Store::set_event_in(conn, doc, event, *on, author, at)?;
        }
        PubChange::Pause { pause } => {
            conn.execute(
                "INSERT OR IGNORE INTO deadline_pauses(id, doc_id, start, end, reason, recorded_by,
                    recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    pause.id,
                    doc,
                    pause.start.to_string(),
                    pause.end.to_string(),
                    pause.reason,
                    pause.recorded_by,
                    ts(pause.recorded_at)
                ],
            )?;
        }
        PubChange::Deid { review } => {
            Store::take_review_in(conn, doc, review)?;
        }
        PubChange::Resolve { keep, reason } => {
            let kept = resolved_value(conn, keep)?;
            if let PubChange::Stage {
                to,
                doc_rev_id,
                package_rev_id,
                ..
            } = &kept.change
            {
                // The sign-offs and dates recorded on the kept side's way there.
                for ev in branch(conn, keep, doc)? {
                    if let PubChange::Stage {
                        signoff,
                        events,
                        submission,
                        ..
                    } = &ev.change
                    {
                        if let Some(s) = signoff {
                            insert_signoff(conn, s)?;
                        }
                        if let Some(s) = submission {
                            crate::exchange::insert_submission(conn, s, true)?;
                        }
                        for (kind, on) in events {
                            Store::set_event_in(conn, doc, kind, *on, &ev.author, ev.created_at)?;
                        }
                    }
                }
                let from = current_stage(conn, doc)?;
                log_move(
                    conn,
                    doc,
                    from,
                    *to,
                    author,
                    at,
                    &format!("处理流程冲突：{reason}"),
                    doc_rev_id,
                    package_rev_id.as_deref(),
                )?;
            } else {
                materialize(conn, doc, &kept.author, kept.created_at, &kept.change)?;
            }
        }
    }
    Ok(())
}

/// The event whose value a `resolve` keeps (following resolves of resolves).
fn resolved_value(conn: &Connection, event_id: &str) -> Result<PubEvent> {
    let mut id = event_id.to_string();
    for _ in 0..10_000 {
        let ev = load_event(conn, &id)?
            .ok_or_else(|| StoreError::NotFound(format!("publication event {id}")))?;
        match &ev.change {
            PubChange::Resolve { keep, .. } => id = keep.clone(),
            _ => return Ok(ev),
        }
    }
    Err(bad("resolve chain too long"))
}

/// The events on the way to `leaf` that the document's current head does not descend from,
/// oldest first.
fn branch(conn: &Connection, leaf: &str, doc: &str) -> Result<Vec<PubEvent>> {
    let mut seen_from_head = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = register_head(conn, doc, WORKFLOW)?.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen_from_head.insert(id.clone()) {
            continue;
        }
        if let Some(ev) = load_event(conn, &id)? {
            stack.extend(ev.parent_id.clone());
            stack.extend(ev.merges.clone());
        }
    }
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![leaf.to_string()];
    while let Some(id) = stack.pop() {
        if seen_from_head.contains(&id) || !seen.insert(id.clone()) {
            continue;
        }
        if let Some(ev) = load_event(conn, &id)? {
            stack.extend(ev.parent_id.clone());
            stack.extend(ev.merges.clone());
            out.push(ev);
        }
    }
    out.sort_by(|a, b| (a.created_at, &a.event_id).cmp(&(b.created_at, &b.event_id)));
    Ok(out)
}

/// Whether every record an event refers to is here.
fn references_here(conn: &Connection, ev: &PubEvent) -> Result<bool> {
    const DOC: &str = "SELECT 1 FROM documents WHERE doc_id = ?1";
    const REV: &str = "SELECT 1 FROM revisions WHERE rev_id = ?1";
    const PKG: &str = "SELECT 1 FROM package_revisions WHERE rev_id = ?1";
    const EV: &str = "SELECT 1 FROM pub_events WHERE event_id = ?1";
    if !exists(conn, DOC, &ev.doc_id)? {
        return Ok(false);
    }
    for p in ev.parent_id.iter().chain(ev.merges.iter()) {
        if !exists(conn, EV, p)? {
            return Ok(false);
        }
    }
    Ok(match &ev.change {
        PubChange::Stage {
            doc_rev_id,
            package_rev_id,
            signoff,
            ..
        } => {
            let mut revs = vec![doc_rev_id.as_str()];
            let mut pkgs: Vec<&str> = package_rev_id.iter().map(String::as_str).collect();
            if let Some(s) = signoff {
                revs.push(&s.doc_rev_id);
                pkgs.extend(s.package_rev_id.as_deref());
            }
            revs.iter()
                .map(|r| exists(conn, REV, r))
                .chain(pkgs.iter().map(|p| exists(conn, PKG, p)))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .all(|b| b)
        }
        PubChange::Secrecy { rev_id, .. } => exists(conn, REV, rev_id)?,
        PubChange::Deid { review } => exists(conn, REV, &review.rev_id)?,
        PubChange::Resolve { keep, .. } => exists(conn, EV, keep)?,
        _ => true,
    })
}

/// Applies a publication event from another PC of the unit.
pub(crate) fn apply_pub_event(tx: &Transaction<'_>, ev: &PubEvent) -> Result<Applied> {
    if exists(
        tx,
        "SELECT 1 FROM pub_events WHERE event_id = ?1",
        &ev.event_id,
    )? {
        return Ok(Applied::Known);
    }
    if !references_here(tx, ev)? {
        return Ok(Applied::Waiting);
    }
    let valid_register = match &ev.change {
        PubChange::Stage { .. } => ev.register == WORKFLOW,
        PubChange::Disclosure { .. } => ev.register == DISCLOSURE,
        PubChange::Secrecy { .. } => ev.register == SECRECY,
        PubChange::Event { event, .. } => ev.register == format!("event:{event}"),
        PubChange::Pause { pause } => ev.register == format!("pause:{}", pause.id),
        PubChange::Deid { review } => {
            ev.register == format!("deid:{}", review.rev_id)
                && review.report.rev_id == review.rev_id
                && review.report.doc_id == ev.doc_id
        }
        PubChange::Resolve { .. } => true,
    };
    if !valid_register {
        return Err(bad(format!(
            "publication event {}: register {} does not fit its record",
            ev.event_id, ev.register
        )));
    }
    for p in ev.parent_id.iter().chain(ev.merges.iter()) {
        let other: String = tx.query_row(
            "SELECT doc_id || '/' || register FROM pub_events WHERE event_id = ?1",
            [p],
            |r| r.get(0),
        )?;
        if other != format!("{}/{}", ev.doc_id, ev.register) {
            return Err(bad(format!(
                "publication event {}: a parent belongs to another register",
                ev.event_id
            )));
        }
    }
    insert_event(tx, ev)?;
    let head = register_head(tx, &ev.doc_id, &ev.register)?;
    let moves = match &head {
        None => true,
        Some(h) => ev.parent_id.as_ref() == Some(h) || ev.merges.contains(h),
    };
    if moves {
        materialize(tx, &ev.doc_id, &ev.author, ev.created_at, &ev.change)?;
        set_head(tx, &ev.doc_id, &ev.register, &ev.event_id)?;
    }
    if register_leaves(tx, &ev.doc_id, &ev.register)?.len() > 1 {
        Ok(Applied::Conflict)
    } else {
        Ok(Applied::FastForward)
    }
}

/// A package revision to write.
pub(crate) struct PackageRow<'a> {
    pub rev_id: &'a str,
    pub doc_id: &'a str,
    pub parent_rev_id: Option<&'a str>,
    pub author_id: &'a str,
    pub author_name: &'a str,
    pub device_id: &'a str,
    pub created_at: DateTime<Utc>,
    pub content_sha256: &'a str,
    pub package: &'a Package,
}

/// Writes a package revision numbered after every revision of the document here, with the
/// leaves it merges; returns its number.
pub(crate) fn insert_package(
    conn: &Connection,
    r: &PackageRow<'_>,
    merges: &[&str],
) -> Result<u32> {
    let rev_no: u32 = conn.query_row(
        "SELECT coalesce(max(rev_no), 0) + 1 FROM package_revisions WHERE doc_id = ?1",
        [r.doc_id],
        |x| x.get(0),
    )?;
    conn.execute(
        "INSERT INTO package_revisions(rev_id, doc_id, parent_rev_id, rev_no, author_id,
            author_name, created_at, content_schema, content_sha256, content, device_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.rev_id,
            r.doc_id,
            r.parent_rev_id,
            rev_no,
            r.author_id,
            r.author_name,
            ts(r.created_at),
            PACKAGE_SCHEMA,
            r.content_sha256,
            serde_json::to_string(r.package).map_err(bad)?,
            r.device_id,
        ],
    )?;
    for m in merges {
        conn.execute(
            "INSERT OR IGNORE INTO package_merges(rev_id, merged_rev_id) VALUES (?1, ?2)",
            [r.rev_id, m],
        )?;
    }
    Ok(rev_no)
}

fn package_head_of(conn: &Connection, doc: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT package_head FROM publications WHERE doc_id = ?1",
            [doc],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

const PKG_META: &str = "SELECT rev_id, doc_id, parent_rev_id, author_id, author_name, device_id,
    created_at, content_sha256, content FROM package_revisions";

fn package_change(conn: &Connection, rev_id: &str) -> Result<PackageChange> {
    let mut c = conn
        .query_row(&format!("{PKG_META} WHERE rev_id = ?1"), [rev_id], |r| {
            let content: String = r.get(8)?;
            Ok((
                PackageChange {
                    rev_id: r.get(0)?,
                    doc_id: r.get(1)?,
                    parent_rev_id: r.get(2)?,
                    merges: Vec::new(),
                    author_id: r.get(3)?,
                    author_name: r.get(4)?,
                    device_id: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    created_at: parse_ts(&r.get::<_, String>(6)?)?,
                    content_sha256: r.get(7)?,
                    package: Package::default(),
                    images: Vec::new(),
                },
                content,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("package revision {rev_id}")))
        .and_then(|(mut c, content)| {
            c.package = serde_json::from_str(&content).map_err(bad)?;
            Ok(c)
        })?;
    let mut st = conn.prepare_cached(
        "SELECT merged_rev_id FROM package_merges WHERE rev_id = ?1 ORDER BY merged_rev_id",
    )?;
    c.merges = st
        .query_map([rev_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(c)
}

fn package_leaves_in(conn: &Connection, doc: &str) -> Result<Vec<PackageChange>> {
    let mut st = conn.prepare_cached(
        "SELECT p.rev_id FROM package_revisions p WHERE p.doc_id = ?1
           AND NOT EXISTS (SELECT 1 FROM package_revisions c WHERE c.parent_rev_id = p.rev_id)
           AND NOT EXISTS (SELECT 1 FROM package_merges m WHERE m.merged_rev_id = p.rev_id)
         ORDER BY p.created_at, p.rev_id",
    )?;
    let ids: Vec<String> = st
        .query_map([doc], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|id| package_change(conn, id)).collect()
}

/// Applies a package revision from another PC of the unit.
pub(crate) fn apply_package(tx: &Transaction<'_>, p: &PackageChange) -> Result<Applied> {
    const PKG: &str = "SELECT 1 FROM package_revisions WHERE rev_id = ?1";
    if exists(tx, PKG, &p.rev_id)? {
        return Ok(Applied::Known);
    }
    if !exists(tx, "SELECT 1 FROM documents WHERE doc_id = ?1", &p.doc_id)? {
        return Ok(Applied::Waiting);
    }
    let parents: Vec<&String> = p.parent_rev_id.iter().chain(p.merges.iter()).collect();
    for parent in &parents {
        if !exists(tx, PKG, parent)? {
            return Ok(Applied::Waiting);
        }
    }
    if p.package.content_hash() != p.content_sha256 {
        return Err(bad(format!(
            "package revision {}: content does not match its hash",
            p.rev_id
        )));
    }
    for img in &p.images {
        let bytes = B64.decode(&img.bytes).map_err(bad)?;
        let sum = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(&bytes))
        };
        if sum != img.sha256 {
            return Err(bad(format!("image {}: bytes do not match", img.sha256)));
        }
        tx.execute(
            "INSERT INTO package_images(sha256, media_type, bytes, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(sha256) DO NOTHING",
            params![img.sha256, img.media_type, bytes, ts(p.created_at)],
        )?;
    }
    ensure_publication(tx, &p.doc_id)?;
    let merges: Vec<&str> = p.merges.iter().map(String::as_str).collect();
    insert_package(
        tx,
        &PackageRow {
            rev_id: &p.rev_id,
            doc_id: &p.doc_id,
            parent_rev_id: p.parent_rev_id.as_deref(),
            author_id: &p.author_id,
            author_name: &p.author_name,
            device_id: &p.device_id,
            created_at: p.created_at,
            content_sha256: &p.content_sha256,
            package: &p.package,
        },
        &merges,
    )?;
    let head = package_head_of(tx, &p.doc_id)?;
    let moves = match &head {
        None => true,
        Some(h) => parents.contains(&h),
    };
    if moves {
        tx.execute(
            "UPDATE publications SET package_head = ?2 WHERE doc_id = ?1",
            [&p.doc_id, &p.rev_id],
        )?;
    }
    if package_leaves_in(tx, &p.doc_id)?.len() > 1 {
        Ok(Applied::Conflict)
    } else {
        Ok(Applied::FastForward)
    }
}

impl Store {
    /// A package revision with its merges and the images it shows, as sync sends it.
    pub fn sync_package(&self, rev_id: &str) -> Result<PackageChange> {
        let mut c = package_change(&self.conn, rev_id)?;
        for g in &c.package.graphics {
            if c.images.iter().any(|i| i.sha256 == g.sha256) {
                continue;
            }
            if let Ok((media_type, bytes)) = self.image(&g.sha256) {
                c.images.push(ImageBlob {
                    sha256: g.sha256.clone(),
                    media_type,
                    bytes: B64.encode(bytes),
                });
            }
        }
        Ok(c)
    }

    /// A publication event, as sync sends it.
    pub fn sync_pub_event(&self, event_id: &str) -> Result<PubEvent> {
        load_event(&self.conn, event_id)?
            .ok_or_else(|| StoreError::NotFound(format!("publication event {event_id}")))
    }

    /// The leaves of a document's package (more than one: 冲突), oldest first.
    pub fn package_leaves(&self, doc_id: DocId) -> Result<Vec<PackageChange>> {
        package_leaves_in(&self.conn, &doc_id.to_string())
    }

    /// The registers of a document in 冲突.
    pub fn register_conflicts(&self, doc_id: DocId) -> Result<Vec<RegisterConflict>> {
        let doc = doc_id.to_string();
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT register FROM pub_events WHERE doc_id = ?1 ORDER BY register",
        )?;
        let registers: Vec<String> = st
            .query_map([&doc], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for register in registers {
            let leaves = register_leaves(&self.conn, &doc, &register)?;
            if leaves.len() > 1 {
                out.push(RegisterConflict {
                    head: register_head(&self.conn, &doc, &register)?.unwrap_or_default(),
                    register,
                    leaves,
                });
            }
        }
        Ok(out)
    }

    /// Documents whose package or a publication register is 冲突.
    pub fn publication_conflicts(&self) -> Result<Vec<DocId>> {
        let mut st = self.conn.prepare_cached(
            "SELECT doc_id FROM (
               SELECT p.doc_id FROM package_revisions p
                WHERE NOT EXISTS (SELECT 1 FROM package_revisions c WHERE c.parent_rev_id = p.rev_id)
                  AND NOT EXISTS (SELECT 1 FROM package_merges m WHERE m.merged_rev_id = p.rev_id)
                GROUP BY p.doc_id HAVING count(*) > 1
               UNION
               SELECT e.doc_id FROM pub_events e
                WHERE NOT EXISTS (SELECT 1 FROM pub_events c WHERE c.parent_id = e.event_id)
                  AND NOT EXISTS (SELECT 1 FROM pub_event_merges m WHERE m.merged_id = e.event_id)
                GROUP BY e.doc_id, e.register HAVING count(*) > 1)
             ORDER BY doc_id",
        )?;
        let ids: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|s| DocId::parse(s).map_err(bad)).collect()
    }

    /// Ends a register's 冲突: `keep` (one of its leaves) stands, for `reason`; the event names
    /// every leaf and is applied here as it will be on the unit's other PCs.
    pub fn resolve_register(
        &mut self,
        doc_id: DocId,
        register: &str,
        keep: &str,
        reason: &str,
        author: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let doc = doc_id.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let leaves = register_leaves(&tx, &doc, register)?;
        if leaves.len() < 2 {
            return Err(StoreError::Conflict {
                head: String::new(),
                base: register.to_string(),
            });
        }
        if !leaves.iter().any(|l| l.event_id == keep) {
            return Err(StoreError::NotFound(format!("leaf {keep} of {register}")));
        }
        let head = register_head(&tx, &doc, register)?;
        let merges: Vec<String> = leaves
            .iter()
            .map(|l| l.event_id.clone())
            .filter(|id| Some(id) != head.as_ref())
            .collect();
        let change = PubChange::Resolve {
            keep: keep.to_string(),
            reason: reason.to_string(),
        };
        materialize(&tx, &doc, author, now, &change)?;
        record_local(&tx, &doc, register, author, now, change, merges)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves a package merge revision on top of the head that also descends from the other
    /// leaves, even when its content equals the head's: it is what ends the package's 冲突.
    pub fn save_package_merge(
        &mut self,
        doc_id: DocId,
        rev_id: &str,
        author: &Clerk,
        pkg: &Package,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let doc = doc_id.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let leaves = package_leaves_in(&tx, &doc)?;
        let Some(head) = package_head_of(&tx, &doc)?.filter(|_| leaves.len() > 1) else {
            return Err(StoreError::Conflict {
                head: String::new(),
                base: "package".into(),
            });
        };
        let merges: Vec<&str> = leaves
            .iter()
            .map(|l| l.rev_id.as_str())
            .filter(|id| *id != head)
            .collect();
        insert_package(
            &tx,
            &PackageRow {
                rev_id,
                doc_id: &doc,
                parent_rev_id: Some(&head),
                author_id: &author.id.to_string(),
                author_name: &author.name,
                device_id: &author.device_id.to_string(),
                created_at: now,
                content_sha256: &pkg.content_hash(),
                package: pkg,
            },
            &merges,
        )?;
        tx.execute(
            "UPDATE publications SET package_head = ?2 WHERE doc_id = ?1",
            [&doc, rev_id],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Migration 12's Rust step: the publication state recorded before sync existed becomes this
/// PC's first events (so the unit's other PCs receive it), oldest record first.
pub(crate) fn seed_events(tx: &Transaction<'_>) -> Result<()> {
    let Some(_) = tx
        .query_row(
            "SELECT value FROM settings WHERE key = 'device_id'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
    else {
        return Ok(());
    };
    let mut st = tx.prepare(
        "SELECT p.doc_id, p.stage, p.disclosure, p.disclosure_by, p.disclosure_at, p.secrecy,
                p.secrecy_rev_id, p.secrecy_by, p.secrecy_at, d.head_rev_id, d.updated_at,
                p.package_head
         FROM publications p JOIN documents d ON d.doc_id = p.doc_id ORDER BY p.doc_id",
    )?;
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(st);
    for (doc, stage, disc, disc_by, disc_at, sec, sec_rev, sec_by, sec_at, head, updated, pkg) in
        rows
    {
        let at_or = |s: &Option<String>| -> Result<DateTime<Utc>> {
            Ok(parse_ts(s.as_deref().unwrap_or(&updated))?)
        };
        if let Some(v) = disc.as_deref() {
            let value: Disclosure = serde_json::from_str(v).map_err(bad)?;
            let by = disc_by.clone().unwrap_or_default();
            record_local(
                tx,
                &doc,
                DISCLOSURE,
                &by,
                at_or(&disc_at)?,
                PubChange::Disclosure { value },
                vec![],
            )?;
        }
        if let (Some(v), Some(rev_id)) = (sec.as_deref(), sec_rev.clone()) {
            let value: SecrecyReview = serde_json::from_str(v).map_err(bad)?;
            record_local(
                tx,
                &doc,
                SECRECY,
                &sec_by.clone().unwrap_or_default(),
                at_or(&sec_at)?,
                PubChange::Secrecy { value, rev_id },
                vec![],
            )?;
        }
        let stage = Stage::parse(&stage).unwrap_or(Stage::Drafting);
        if stage != Stage::Drafting {
            let signoff = tx
                .query_row(
                    "SELECT id, doc_id, doc_rev_id, package_rev_id, signer, signed_on, opinion,
                        recorded_by, recorded_at FROM signoffs WHERE doc_id = ?1
                     ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
                    [&doc],
                    crate::publication::signoff_row,
                )
                .optional()?;
            let mut st = tx.prepare("SELECT kind, on_date FROM doc_events WHERE doc_id = ?1")?;
            let events: Vec<(String, NaiveDate)> = st
                .query_map([&doc], |r| {
                    Ok((r.get(0)?, crate::publication::date_col(r, 1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let last = tx
                .query_row(
                    "SELECT actor, at FROM workflow_log WHERE doc_id = ?1 ORDER BY seq DESC LIMIT 1",
                    [&doc],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?;
            let (actor, at) = match last {
                Some((a, t)) => (a, parse_ts(&t)?),
                None => (String::new(), parse_ts(&updated)?),
            };
            record_local(
                tx,
                &doc,
                WORKFLOW,
                &actor,
                at,
                PubChange::Stage {
                    from: Stage::Drafting,
                    to: stage,
                    reason: "升级前记录的环节".into(),
                    doc_rev_id: head.clone(),
                    package_rev_id: pkg.clone(),
                    signoff,
                    events,
                    submission: None,
                },
                vec![],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{Incoming, IncomingEntry, RemoteRevision};
    use crate::{NewDocument, Transition};
    use chrono::TimeZone;
    use gongkai_core::{ClerkId, DocFields, Graphic, RevId, SeqIds};

    fn t(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, min, 0)
            .single()
            .unwrap()
    }

    struct Pc {
        store: Store,
        clerk: Clerk,
        ids: SeqIds,
    }

    fn pc(start: u64, name: &str) -> Pc {
        let mut store = Store::open_in_memory(t(0)).unwrap();
        let ids = SeqIds::starting_at(start);
        let clerk = Clerk {
            id: ClerkId::new(&ids),
            name: name.into(),
            unit_id: "zazd".into(),
            device_id: store.device_id(&ids).unwrap(),
        };
        store.add_clerk(&clerk, t(0)).unwrap();
        Pc { store, clerk, ids }
    }

    /// Sends every change `from` wrote to `to`, as the sync engine would after decrypting.
    fn ship(from: &Pc, to: &mut Pc) -> crate::sync::PageApplied {
        let mut entries = Vec::new();
        for row in from.store.sync_pending().unwrap() {
            let incoming = match row.kind.as_str() {
                "doc_revision" => {
                    let o = from
                        .store
                        .sync_revision(RevId::parse(&row.record_id).unwrap())
                        .unwrap();
                    Incoming::Revision(Box::new(RemoteRevision {
                        unit_id: o.unit_id,
                        meta: o.revision.meta,
                        merges: o.merges,
                        fields: o.revision.fields,
                        doc_created_by: o.doc_created_by,
                        doc_created_at: o.doc_created_at,
                    }))
                }
                "package_revision" => {
                    Incoming::Package(Box::new(from.store.sync_package(&row.record_id).unwrap()))
                }
                "pub_event" => {
                    Incoming::PubEvent(Box::new(from.store.sync_pub_event(&row.record_id).unwrap()))
                }
                other => panic!("unexpected kind {other}"),
            };
            entries.push(IncomingEntry {
                server_seq: row.seq,
                change_json: row.change_id.clone(),
                incoming,
            });
        }
        to.store.sync_apply(&entries, None, false).unwrap()
    }

    fn new_doc(p: &mut Pc) -> (DocId, RevId) {
        let doc = DocId::new(&p.ids);
        let rev = RevId::new(&p.ids);
        p.store
            .create_document(NewDocument {
                doc_id: doc,
                rev_id: rev,
                author: &p.clerk,
                fields: &DocFields {
                    title: "关于规范户籍窗口服务的通知".into(),
                    body: vec!["各派出所：".into()],
                    ..Default::default()
                },
                now: t(1),
            })
            .unwrap();
        (doc, rev)
    }

    fn mv(p: &mut Pc, doc: DocId, rev: RevId, from: Stage, to: Stage, min: u32) {
        let actor = p.clerk.name.clone();
        let rev = rev.to_string();
        p.store
            .transition(&Transition {
                doc_id: doc,
                from,
                to,
                actor: &actor,
                at: t(min),
                reason: "",
                doc_rev_id: &rev,
                package_rev_id: None,
            })
            .unwrap();
    }

    fn disclosure(attribute: gongkai_core::Attribute, reason: &str) -> Disclosure {
        Disclosure {
            attribute,
            grounds: vec![],
            reason: reason.into(),
            ground_detail: String::new(),
            channels: vec![],
            catalog_item: None,
            reach: Default::default(),
        }
    }

    fn two_pcs_with_a_document() -> (Pc, Pc, DocId, RevId) {
        let mut a = pc(1, "王晓明");
        let mut b = pc(500_000, "李娜");
        let (doc, rev) = new_doc(&mut a);
        ship(&a, &mut b);
        (a, b, doc, rev)
    }

    #[test]
    fn the_publication_record_travels_to_the_units_other_pc() {
        let (mut a, mut b, doc, rev) = two_pcs_with_a_document();
        let png = b"\x89PNG fake image bytes".to_vec();
        let sha = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(&png))
        };
        a.store.put_image(&sha, "image/png", &png, t(2)).unwrap();
        let pkg = Package {
            title: "解读".into(),
            interpreter: "王晓明".into(),
            graphics: vec![Graphic {
                sha256: sha.clone(),
                file_name: "图解.png".into(),
                media_type: "image/png".into(),
                size: png.len() as u32,
                caption: "一图读懂".into(),
            }],
            ..Default::default()
        };
        let clerk = a.clerk.clone();
        a.store
            .save_package(doc, None, "pkg-1", &clerk, &pkg, t(2))
            .unwrap();
        let d = disclosure(gongkai_core::Attribute::Active, "面向社会公众");
        a.store.set_disclosure(doc, &d, "王晓明", t(3)).unwrap();
        mv(&mut a, doc, rev, Stage::Drafting, Stage::AttributeSet, 4);
        a.store
            .add_pause(
                doc,
                &PauseRow {
                    id: "pause-1".into(),
                    start: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                    end: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
                    reason: "征求第三方意见".into(),
                    recorded_by: "王晓明".into(),
                    recorded_at: t(5),
                },
            )
            .unwrap();
        let signoff = SignoffRow {
            id: "so-1".into(),
            doc_id: doc.to_string(),
            doc_rev_id: rev.to_string(),
            package_rev_id: Some("pkg-1".into()),
            signer: "张局长".into(),
            signed_on: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            opinion: "同意".into(),
            recorded_by: "王晓明".into(),
            recorded_at: t(6),
        };
        let rev_s = rev.to_string();
        a.store
            .record_signoff(
                &signoff,
                &Transition {
                    doc_id: doc,
                    from: Stage::AttributeSet,
                    to: Stage::Signed,
                    actor: "王晓明",
                    at: t(6),
                    reason: "",
                    doc_rev_id: &rev_s,
                    package_rev_id: Some("pkg-1"),
                },
            )
            .unwrap();
        let got = ship(&a, &mut b);
        assert_eq!(got.conflicts, 0);
        assert_eq!(got.waiting, 0);
        assert_eq!(
            b.store.publication(doc).unwrap(),
            a.store.publication(doc).unwrap()
        );
        assert_eq!(
            b.store.package_head(doc).unwrap(),
            a.store.package_head(doc).unwrap()
        );
        assert_eq!(b.store.image(&sha).unwrap(), ("image/png".into(), png));
        assert_eq!(b.store.pauses(doc).unwrap(), a.store.pauses(doc).unwrap());
        assert_eq!(b.store.latest_signoff(doc).unwrap(), Some(signoff));
        let strip = |s: &Store| {
            s.workflow_log(doc)
                .unwrap()
                .into_iter()
                .map(|l| (l.from, l.to, l.actor, l.at))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&b.store), strip(&a.store));
        assert_eq!(
            b.store.document(doc).unwrap().status,
            a.store.document(doc).unwrap().status
        );
        // Nothing B received is queued to go out again from B.
        assert!(b.store.sync_pending().unwrap().is_empty());
        // Shipping again changes nothing.
        let again = ship(&a, &mut b);
        assert_eq!((again.revisions, again.conflicts), (0, 0));
    }

    #[test]
    fn concurrent_stage_moves_are_a_conflict_until_the_clerk_keeps_one_with_a_reason() {
        let (mut a, mut b, doc, rev) = two_pcs_with_a_document();
        mv(&mut a, doc, rev, Stage::Drafting, Stage::AttributeSet, 2);
        ship(&a, &mut b);
        assert_eq!(b.store.publication(doc).unwrap().stage, Stage::AttributeSet);
        // Offline, each PC moves the document its own way.
        mv(
            &mut a,
            doc,
            rev,
            Stage::AttributeSet,
            Stage::InterpretationSynced,
            3,
        );
        mv(&mut b, doc, rev, Stage::AttributeSet, Stage::Drafting, 4);
        let to_b = ship(&a, &mut b);
        let to_a = ship(&b, &mut a);
        assert_eq!((to_b.conflicts, to_a.conflicts), (1, 1));
        // Each PC keeps showing its own clerk's stage; nothing was chosen for them.
        assert_eq!(
            a.store.publication(doc).unwrap().stage,
            Stage::InterpretationSynced
        );
        assert_eq!(b.store.publication(doc).unwrap().stage, Stage::Drafting);
        assert_eq!(a.store.publication_conflicts().unwrap(), vec![doc]);
        let c = b.store.register_conflicts(doc).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].register, WORKFLOW);
        assert_eq!(c[0].leaves.len(), 2);
        // B keeps A's move, with the reason.
        let keep = c[0]
            .leaves
            .iter()
            .find(|l| l.device_id == a.clerk.device_id.to_string())
            .unwrap()
            .event_id
            .clone();
        b.store
            .resolve_register(
                doc,
                WORKFLOW,
                &keep,
                "解读已同步，按王晓明的进度",
                "李娜",
                t(5),
            )
            .unwrap();
        assert_eq!(
            b.store.publication(doc).unwrap().stage,
            Stage::InterpretationSynced
        );
        assert!(b.store.publication_conflicts().unwrap().is_empty());
        let got = ship(&b, &mut a);
        assert_eq!(got.conflicts, 0);
        assert!(a.store.publication_conflicts().unwrap().is_empty());
        assert_eq!(
            a.store.publication(doc).unwrap().stage,
            Stage::InterpretationSynced
        );
        for s in [&a.store, &b.store] {
            let log = s.workflow_log(doc).unwrap();
            let last = log.last().unwrap();
            assert_eq!(last.to, Stage::InterpretationSynced);
            assert_eq!(last.reason, "处理流程冲突：解读已同步，按王晓明的进度");
            assert_eq!(last.actor, "李娜");
        }
        // Both PCs go on from the same stage: a further move on A reaches B without conflict.
        mv(
            &mut a,
            doc,
            rev,
            Stage::InterpretationSynced,
            Stage::Deidentified,
            6,
        );
        let got = ship(&a, &mut b);
        assert_eq!(got.conflicts, 0);
        assert_eq!(b.store.publication(doc).unwrap().stage, Stage::Deidentified);
    }

    #[test]
    fn two_attributes_set_offline_conflict_and_a_package_edited_twice_merges() {
        let (mut a, mut b, doc, _) = two_pcs_with_a_document();
        let (ca, cb) = (a.clerk.clone(), b.clerk.clone());
        let pkg = |title: &str| Package {
            title: title.into(),
            ..Default::default()
        };
        a.store
            .save_package(doc, None, "p1", &ca, &pkg("一"), t(2))
            .unwrap();
        ship(&a, &mut b);
        a.store
            .save_package(doc, Some("p1"), "p2a", &ca, &pkg("二（甲）"), t(3))
            .unwrap();
        b.store
            .save_package(doc, Some("p1"), "p2b", &cb, &pkg("二（乙）"), t(3))
            .unwrap();
        let active = disclosure(gongkai_core::Attribute::Active, "");
        let on_request = disclosure(gongkai_core::Attribute::OnRequest, "仅涉及特定对象");
        a.store
            .set_disclosure(doc, &active, "王晓明", t(4))
            .unwrap();
        b.store
            .set_disclosure(doc, &on_request, "李娜", t(4))
            .unwrap();
        ship(&a, &mut b);
        ship(&b, &mut a);
        for (s, mine) in [(&a.store, "二（甲）"), (&b.store, "二（乙）")] {
            assert!(s
                .package_head(doc)
                .unwrap()
                .unwrap()
                .1
                .title
                .starts_with(mine));
            assert_eq!(s.package_leaves(doc).unwrap().len(), 2);
            let c = s.register_conflicts(doc).unwrap();
            assert_eq!(
                c.iter().map(|c| c.register.as_str()).collect::<Vec<_>>(),
                vec![DISCLOSURE]
            );
        }
        assert_eq!(a.store.publication(doc).unwrap().disclosure, Some(active));
        // Still editable while 冲突: a save on the shown version is numbered after every leaf.
        a.store
            .save_package(doc, Some("p2a"), "p2a2", &ca, &pkg("二（甲，再改）"), t(4))
            .unwrap();
        assert_eq!(a.store.package_leaves(doc).unwrap().len(), 2);
        assert_eq!(
            b.store.publication(doc).unwrap().disclosure,
            Some(on_request.clone())
        );
        ship(&a, &mut b);
        // A merges the package and keeps B's attribute.
        a.store
            .save_package_merge(doc, "p3", &ca, &pkg("二（甲乙合并）"), t(5))
            .unwrap();
        let keep = a.store.register_conflicts(doc).unwrap()[0]
            .leaves
            .iter()
            .find(|l| l.author == "李娜")
            .unwrap()
            .event_id
            .clone();
        a.store
            .resolve_register(
                doc,
                DISCLOSURE,
                &keep,
                "该文件只涉及特定对象",
                "王晓明",
                t(5),
            )
            .unwrap();
        assert_eq!(
            a.store.publication(doc).unwrap().disclosure,
            Some(on_request.clone())
        );
        ship(&a, &mut b);
        for s in [&a.store, &b.store] {
            assert!(s.publication_conflicts().unwrap().is_empty());
            assert_eq!(
                s.package_head(doc).unwrap().unwrap().1.title,
                "二（甲乙合并）"
            );
            assert_eq!(
                s.publication(doc).unwrap().disclosure,
                Some(on_request.clone())
            );
        }
        // Resolving what is not in conflict is refused.
        assert!(a
            .store
            .resolve_register(doc, DISCLOSURE, &keep, "再来一次", "王晓明", t(6))
            .is_err());
    }

    #[test]
    fn an_event_waits_for_what_it_refers_to_and_a_mislabelled_one_is_refused() {
        let (mut a, mut b, doc, rev) = two_pcs_with_a_document();
        mv(&mut a, doc, rev, Stage::Drafting, Stage::AttributeSet, 2);
        let rows = a.store.sync_pending().unwrap();
        let ev_row = rows.iter().find(|r| r.kind == "pub_event").unwrap();
        let mut ev = a.store.sync_pub_event(&ev_row.record_id).unwrap();
        // Refers to a revision B does not have yet: waits.
        if let PubChange::Stage { doc_rev_id, .. } = &mut ev.change {
            *doc_rev_id = RevId::new(&SeqIds::starting_at(9_000_000)).to_string();
        }
        let entry = |ev: PubEvent, seq| IncomingEntry {
            server_seq: seq,
            change_json: format!("{seq}"),
            incoming: Incoming::PubEvent(Box::new(ev)),
        };
        let got = b
            .store
            .sync_apply(&[entry(ev.clone(), 1)], None, false)
            .unwrap();
        assert_eq!(got.waiting, 1);
        assert_eq!(b.store.publication(doc).unwrap().stage, Stage::Drafting);
        // A stage move dressed as a disclosure record is refused and waits with the reason.
        let mut wrong = a.store.sync_pub_event(&ev_row.record_id).unwrap();
        wrong.register = DISCLOSURE.into();
        let got = b.store.sync_apply(&[entry(wrong, 2)], None, false).unwrap();
        assert_eq!(got.waiting, 1);
        let inbox = b.store.sync_inbox().unwrap();
        assert!(inbox
            .iter()
            .any(|(seq, _, why)| *seq == 2 && why.contains("register")));
        assert_eq!(b.store.publication(doc).unwrap().stage, Stage::Drafting);
    }
}
