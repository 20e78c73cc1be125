//! Imports .docx files and prints what import made of each, as JSON
//! (`cargo run -p gongkai-docx --example probe FILE…`): to see a real file's import at a glance.

fn main() {
    for path in std::env::args().skip(1) {
        match gongkai_docx::import::import_path(std::path::Path::new(&path)) {
            Ok(imp) => println!(
                "== {path}\n{}",
                serde_json::to_string_pretty(&imp).unwrap_or_default()
            ),
            Err(e) => println!("== {path}\nERROR {}: {e}", e.code()),
        }
    }
}
