//! Child process of the sync crash test: on the PC in DATA_DIR, saves a new revision of the first
//! document (when EDIT is 1), prints its id once the save returned, then syncs, and again, until
//! the parent kills it with SIGKILL. Sync errors (the hub busy, a half-read page) are printed and
//! the loop goes on, as the window's background sync would.
//!
//! Usage: `sync_loop DATA_DIR EDIT` (key password in GONGKAI_KEY_PASSWORD)

use anyhow::{Context, Result};
use gongkai_api::{Api, DocRef, ListRequest, SaveRequest, SyncNowRequest};
use std::io::Write;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().context("usage: sync_loop DATA_DIR EDIT")?;
    let edit = args.next().context("edit")? == "1";
    let password = std::env::var("GONGKAI_KEY_PASSWORD").context("GONGKAI_KEY_PASSWORD")?;
    let api = Api::open(std::path::Path::new(&dir));
    let mut n = 0u64;
    loop {
        if edit {
            let docs = api.doc_list(ListRequest { in_bin: false })?;
            let doc = docs.first().context("no document")?;
            let view = api.doc_get(DocRef {
                doc_id: doc.doc_id.to_string(),
            })?;
            let mut fields = view.fields;
            n += 1;
            fields
                .body
                .push(format!("第{n}次补充（{}）", std::process::id()));
            let saved = api.doc_save(SaveRequest {
                doc_id: doc.doc_id.to_string(),
                base_rev_id: view.head.rev_id.to_string(),
                fields,
            })?;
            println!("saved {}", saved.head.rev_id);
        }
        match api.sync_now(SyncNowRequest {
            password: password.clone(),
        }) {
            Ok(r) => println!("synced {} {}", r.pushed, r.pulled),
            Err(e) => println!("error {:?} {}", e.code, e.message),
        }
        std::io::stdout().flush()?;
    }
}
