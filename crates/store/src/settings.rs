//! Key–value settings of this installation (device id, current clerk), and the table that records
//! which version of each seed dataset is loaded.

use crate::{Result, Store};
use gongkai_core::{DeviceId, IdSource};
use rusqlite::OptionalExtension;

pub(crate) const SCHEMA_V1: &str = "
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE seed_data (
    name       TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    json       TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;
";

impl Store {
    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// This installation's device id, made on first use.
    pub fn device_id(&self, ids: &dyn IdSource) -> Result<DeviceId> {
        if let Some(s) = self.setting("device_id")? {
            if let Ok(id) = DeviceId::parse(&s) {
                return Ok(id);
            }
        }
        let id = DeviceId::new(ids);
        self.set_setting("device_id", &id.to_string())?;
        Ok(id)
    }
}
