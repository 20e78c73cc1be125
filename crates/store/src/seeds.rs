//! The reference data Gongkai ships (`seeds/` at the repository root, embedded at build time):
//! units, the disclosure catalogue and law, the holiday calendar and the time rules.
//!
//! Each dataset carries a version from `seeds/manifest.json`. On open, a dataset missing from the
//! database or older than the embedded one is replaced in one transaction; a newer one in the
//! database (written by a newer binary) is left alone.

use crate::{ts, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// One versioned dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub version: u32,
    pub json: String,
}

/// A set of datasets to load.
#[derive(Debug, Clone, Default)]
pub struct SeedSet {
    pub datasets: Vec<Dataset>,
}

#[derive(Deserialize)]
struct Manifest {
    datasets: Vec<ManifestEntry>,
}

#[derive(Deserialize)]
struct ManifestEntry {
    name: String,
    file: String,
    version: u32,
}

const MANIFEST: &str = include_str!("../../../seeds/manifest.json");
const FILES: &[(&str, &str)] = &[
    ("units.json", include_str!("../../../seeds/units.json")),
    (
        "holidays.json",
        include_str!("../../../seeds/holidays.json"),
    ),
    (
        "disclosure-catalog.json",
        include_str!("../../../seeds/disclosure-catalog.json"),
    ),
    (
        "disclosure-law.json",
        include_str!("../../../seeds/disclosure-law.json"),
    ),
    (
        "time-rules.json",
        include_str!("../../../seeds/time-rules.json"),
    ),
    (
        "deid-policy.json",
        include_str!("../../../seeds/deid-policy.json"),
    ),
    (
        "reply-templates.json",
        include_str!("../../../seeds/reply-templates.json"),
    ),
    ("duties.json", include_str!("../../../seeds/duties.json")),
];

impl SeedSet {
    /// The datasets compiled into this binary.
    pub fn embedded() -> Result<Self> {
        let manifest: Manifest =
            serde_json::from_str(MANIFEST).map_err(|e| StoreError::Seed(e.to_string()))?;
        let mut datasets = Vec::new();
        for entry in manifest.datasets {
            let json = FILES
                .iter()
                .find(|(f, _)| *f == entry.file)
                .map(|(_, j)| j.to_string())
                .ok_or_else(|| StoreError::Seed(format!("{} is not embedded", entry.file)))?;
            datasets.push(Dataset {
                name: entry.name,
                version: entry.version,
                json,
            });
        }
        Ok(SeedSet { datasets })
    }
}

#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<SeedUnit>,
}

#[derive(Deserialize)]
struct SeedUnit {
    id: String,
    name: String,
    parent: Option<String>,
    kind: String,
    verified: bool,
}

fn load_units(tx: &Connection, json: &str) -> Result<()> {
    let file: UnitsFile =
        serde_json::from_str(json).map_err(|e| StoreError::Seed(format!("units: {e}")))?;
    // Units stay (clerks and documents name them); ones no longer listed are retired.
    tx.execute("UPDATE units SET retired = 1", [])?;
    for (i, u) in file.units.iter().enumerate() {
        tx.execute(
            "INSERT INTO units(id, name, parent, kind, verified, position, retired)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, parent = excluded.parent,
               kind = excluded.kind, verified = excluded.verified, position = excluded.position,
               retired = 0",
            params![u.id, u.name, u.parent, u.kind, u.verified, i as i64],
        )?;
    }
    Ok(())
}

/// Loads every dataset that is missing or older in the database.
pub(crate) fn apply(conn: &mut Connection, seeds: &SeedSet, now: DateTime<Utc>) -> Result<()> {
    for d in &seeds.datasets {
        apply_one(conn, d, now)?;
    }
    Ok(())
}

/// Loads one dataset if it is missing or older in the database, in one transaction; true when
/// loaded.
fn apply_one(conn: &mut Connection, d: &Dataset, now: DateTime<Utc>) -> Result<bool> {
    let have: Option<u32> = conn
        .query_row(
            "SELECT version FROM seed_data WHERE name = ?1",
            [&d.name],
            |r| r.get(0),
        )
        .optional()?;
    if have.is_some_and(|v| v >= d.version) {
        return Ok(false);
    }
    serde_json::from_str::<serde_json::Value>(&d.json)
        .map_err(|e| StoreError::Seed(format!("{}: {e}", d.name)))?;
    let tx = conn.transaction()?;
    if d.name == "units" {
        load_units(&tx, &d.json)?;
    }
    tx.execute(
        "INSERT INTO seed_data(name, version, sha256, json, applied_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, sha256 = excluded.sha256,
           json = excluded.json, applied_at = excluded.applied_at",
        params![
            d.name,
            d.version,
            hex::encode(Sha256::digest(d.json.as_bytes())),
            d.json,
            ts(now)
        ],
    )?;
    tx.commit()?;
    Ok(true)
}

impl Store {
    /// Loads a dataset the office issued (from the hub or a file) if it is newer than the one
    /// held; true when loaded. The caller has verified the office's signature.
    pub fn apply_dataset(&mut self, d: &Dataset, now: DateTime<Utc>) -> Result<bool> {
        apply_one(&mut self.conn, d, now)
    }

    /// `(name, version, sha256)` of every loaded dataset.
    pub fn seed_versions(&self) -> Result<Vec<(String, u32, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, version, sha256 FROM seed_data ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A loaded dataset's JSON.
    pub fn seed_json(&self, name: &str) -> Result<String> {
        self.conn
            .query_row("SELECT json FROM seed_data WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("seed dataset {name}")))
    }
}
