//! Units (from the seeded list) and clerks.

use crate::{parse_ts, ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::{Clerk, ClerkId, DeviceId, Unit};
use rusqlite::{params, OptionalExtension, Row};

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE units (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    parent   TEXT,
    kind     TEXT NOT NULL,
    verified INTEGER NOT NULL,
    position INTEGER NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE clerks (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    unit_id    TEXT NOT NULL REFERENCES units(id),
    device_id  TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
";

fn unit_row(r: &Row<'_>) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        name: r.get(1)?,
        parent: r.get(2)?,
        kind: r.get(3)?,
        verified: r.get(4)?,
    })
}

fn clerk_row(r: &Row<'_>) -> rusqlite::Result<Clerk> {
    let id: String = r.get(0)?;
    let device: String = r.get(3)?;
    let bad = |e: uuid::Error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    };
    Ok(Clerk {
        id: ClerkId::parse(&id).map_err(bad)?,
        name: r.get(1)?,
        unit_id: r.get(2)?,
        device_id: DeviceId::parse(&device).map_err(bad)?,
    })
}

impl Store {
    /// The current (not retired) units in list order.
    pub fn units(&self) -> Result<Vec<Unit>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, name, parent, kind, verified FROM units WHERE retired = 0 ORDER BY position",
        )?;
        let rows = st.query_map([], unit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One unit by id (retired ones included, since old documents name them).
    pub fn unit(&self, id: &str) -> Result<Unit> {
        self.conn
            .query_row(
                "SELECT id, name, parent, kind, verified FROM units WHERE id = ?1",
                [id],
                unit_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("unit {id}")))
    }

    /// Records a clerk and makes them the current user of this installation.
    pub fn add_clerk(&mut self, clerk: &Clerk, now: DateTime<Utc>) -> Result<()> {
        self.unit(&clerk.unit_id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO clerks(id, name, unit_id, device_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                clerk.id.to_string(),
                clerk.name,
                clerk.unit_id,
                clerk.device_id.to_string(),
                ts(now)
            ],
        )?;
        tx.execute(
            "INSERT INTO settings(key, value) VALUES ('current_clerk', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [clerk.id.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The clerk using this installation, once set up.
    pub fn current_clerk(&self) -> Result<Option<Clerk>> {
        let Some(id) = self.setting("current_clerk")? else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, unit_id, device_id FROM clerks WHERE id = ?1",
                [id],
                clerk_row,
            )
            .optional()?)
    }

    /// When the clerk was created (first run).
    pub fn clerk_created_at(&self, id: ClerkId) -> Result<DateTime<Utc>> {
        let s: String = self.conn.query_row(
            "SELECT created_at FROM clerks WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        Ok(parse_ts(&s)?)
    }
}
