//! Child process of the bundle crash test: opens the data folder and makes the bundle of one
//! signed document (password from `GONGKAI_KEY_PASSWORD`), printing `done` once the API call has
//! returned. The parent kills it with SIGKILL at a random moment.
//!
//! Usage: `export_once DATA_DIR DOC_ID OUT.zip`

use anyhow::{anyhow, Context, Result};
use gongkai_api::{Api, BundleExportRequest};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: export_once DATA_DIR DOC_ID OUT.zip";
    let dir = args.next().context(usage)?;
    let doc_id = args.next().context(usage)?;
    let out = args.next().context(usage)?;
    let password = std::env::var("GONGKAI_KEY_PASSWORD").context("GONGKAI_KEY_PASSWORD")?;
    let api = Api::open(std::path::Path::new(&dir));
    api.bundle_export(BundleExportRequest {
        doc_id,
        password,
        path: out,
    })
    .map_err(|e| anyhow!("{:?}: {}", e.code, e.message))?;
    println!("done");
    Ok(())
}
