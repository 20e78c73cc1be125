//! What the publication record's registers (`replica`) and the unit's registers
//! (`unit_replica`) share: an append-only table of events, each naming its parent and the
//! leaves it merges, and a table of the head this PC shows per register. A register is a key
//! (`doc_id, register` or `register`); a leaf is an event no other event names as parent or
//! merges. The event bodies differ and are read and written by the two modules.

use rusqlite::{params_from_iter, Connection, OptionalExtension};

use crate::Result;

/// The three tables of one kind of event log and the columns that name a register.
pub(crate) struct EventLog {
    pub events: &'static str,
    pub merges: &'static str,
    pub heads: &'static str,
    /// The register's key columns, in the order callers pass the key.
    pub key: &'static [&'static str],
}

impl EventLog {
    fn key_match(&self, prefix: &str) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{prefix}{c} = ?{}", i + 1))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The leaves `event_id` merged, sorted.
    pub fn merges_of(&self, conn: &Connection, event_id: &str) -> Result<Vec<String>> {
        let mut st = conn.prepare_cached(&format!(
            "SELECT merged_id FROM {} WHERE event_id = ?1 ORDER BY merged_id",
            self.merges
        ))?;
        let ids = st
            .query_map([event_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Records that `event_id` merges `merged` (again: no effect).
    pub fn add_merges(&self, conn: &Connection, event_id: &str, merged: &[String]) -> Result<()> {
        for m in merged {
            conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO {}(event_id, merged_id) VALUES (?1, ?2)",
                    self.merges
                ),
                [event_id, m],
            )?;
        }
        Ok(())
    }

    /// The event this PC shows for the register `key`.
    pub fn head(&self, conn: &Connection, key: &[&str]) -> Result<Option<String>> {
        Ok(conn
            .query_row(
                &format!(
                    "SELECT event_id FROM {} WHERE {}",
                    self.heads,
                    self.key_match("")
                ),
                params_from_iter(key),
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Makes `event_id` the event this PC shows for the register `key`.
    pub fn set_head(&self, conn: &Connection, key: &[&str], event_id: &str) -> Result<()> {
        let cols = self.key.join(", ");
        let slots: Vec<String> = (1..=self.key.len() + 1).map(|i| format!("?{i}")).collect();
        conn.execute(
            &format!(
                "INSERT INTO {}({cols}, event_id) VALUES ({})
                 ON CONFLICT({cols}) DO UPDATE SET event_id = excluded.event_id",
                self.heads,
                slots.join(", ")
            ),
            params_from_iter(key.iter().copied().chain([event_id])),
        )?;
        Ok(())
    }

    /// The register's leaves, oldest first (ties by id).
    pub fn leaf_ids(&self, conn: &Connection, key: &[&str]) -> Result<Vec<String>> {
        let mut st = conn.prepare_cached(&format!(
            "SELECT e.event_id FROM {events} e WHERE {key}
               AND NOT EXISTS (SELECT 1 FROM {events} c WHERE c.parent_id = e.event_id)
               AND NOT EXISTS (SELECT 1 FROM {merges} m WHERE m.merged_id = e.event_id)
             ORDER BY e.created_at, e.event_id",
            events = self.events,
            merges = self.merges,
            key = self.key_match("e.")
        ))?;
        let ids = st
            .query_map(params_from_iter(key), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

/// An event's JSON body read from column `col`, as a row conversion error when it does not
/// parse (so a damaged row is reported, not skipped).
pub(crate) fn body<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    col: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(col)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    })
}
