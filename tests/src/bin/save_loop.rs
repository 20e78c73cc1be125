//! Child process of the crash test: saves revisions of one document in a loop and prints each
//! revision id on its own line only after its save has returned. The parent kills it with SIGKILL.
//!
//! Usage: `save_loop DB_PATH SEED`

use anyhow::{Context, Result};
use gongkai_core::{Clerk, ClerkId, DocFields, DocId, RevId, UuidV7Ids};
use gongkai_store::{NewDocument, SaveRevision, Store};
use std::io::Write;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().context("usage: save_loop DB_PATH SEED")?;
    let seed: u64 = args.next().context("seed")?.parse()?;
    let ids = UuidV7Ids;
    let mut store = Store::open(std::path::Path::new(&path), chrono::Utc::now())?;
    let clerk = match store.current_clerk()? {
        Some(c) => c,
        None => {
            let c = Clerk {
                id: ClerkId::new(&ids),
                name: "崩溃测试".into(),
                unit_id: "zazd".into(),
                device_id: store.device_id(&ids)?,
            };
            store.add_clerk(&c, chrono::Utc::now())?;
            c
        }
    };
    let mut fields = DocFields {
        title: format!("崩溃测试文件 {seed}"),
        ..Default::default()
    };
    let doc_id = DocId::new(&ids);
    let mut base = RevId::new(&ids);
    store.create_document(NewDocument {
        doc_id,
        rev_id: base,
        author: &clerk,
        fields: &fields,
        now: chrono::Utc::now(),
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{base}")?;
    out.flush()?;
    for i in 0u64.. {
        fields.body.push(format!(
            "第{i}段：关于进一步做好政务公开工作的意见（{seed}）"
        ));
        let rev_id = RevId::new(&ids);
        store.save_revision(SaveRevision {
            doc_id,
            base_rev_id: base,
            rev_id,
            author: &clerk,
            fields: &fields,
            now: chrono::Utc::now(),
            restored_from: None,
        })?;
        base = rev_id;
        writeln!(out, "{rev_id}")?;
        out.flush()?;
    }
    Ok(())
}
