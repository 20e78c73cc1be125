//! Imports .docx files and exports each again in its GB/T 9704 format, for a look and for the
//! round-trip measure (`cargo run -p gongkai-docx --example reexport OUT_DIR FILE…`, used by
//! `scripts/docx-roundtrip.py`). The attribute's 附注 is not added: the export holds what the
//! source held.

use gongkai_docx::export::{export_policy, ExportOptions};
use gongkai_docx::import::import_path;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    for path in args {
        let p = std::path::Path::new(&path);
        let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("out");
        match import_path(p).map(|imp| export_policy(&imp.fields, &ExportOptions::default())) {
            Ok(Ok(bytes)) => {
                if let Err(e) = std::fs::write(out.join(format!("{name}.docx")), bytes) {
                    eprintln!("{path}: {e}");
                }
            }
            Ok(Err(e)) => eprintln!("{path}: {e}"),
            Err(e) => eprintln!("{path}: {} {e}", e.code()),
        }
    }
}
