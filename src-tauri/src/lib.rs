//! Gongkai's desktop shell: opens the data directory, registers the commands and shows the window.
//! No rules live here; see `commands` for the one-line bridges into `gongkai-api`.

mod commands;

use gongkai_api::Api;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// The data directory: `--data-dir DIR` on the command line, else `GONGKAI_DATA_DIR`, else the
/// OS convention (see [`gongkai_api::default_data_dir`]).
fn data_dir_from_args(args: impl Iterator<Item = String>) -> PathBuf {
    let args: Vec<String> = args.collect();
    args.iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from))
        })
        .unwrap_or_else(gongkai_api::default_data_dir)
}

/// How often the shell asks the API whether a background sync is due (the schedule itself,
/// with its backoff, is `gongkai_sync::schedule`).
const SYNC_TICK: std::time::Duration = std::time::Duration::from_secs(5);

/// Registers the commands on a builder (shared by the app and the Tauri mock-runtime tests),
/// and starts the thread that runs the background sync when it is on and due, telling the
/// window with a `sync-status` event.
pub fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, api: Api) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(api)
        .invoke_handler(commands::handler())
        .setup(|app| {
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("background-sync".into())
                .spawn(move || loop {
                    std::thread::sleep(SYNC_TICK);
                    let api = handle.state::<Api>();
                    if let Ok(Some(status)) = api.sync_tick() {
                        let _ = handle.emit("sync-status", status);
                    }
                })?;
            Ok(())
        })
}

/// Runs the desktop app.
pub fn run() -> anyhow::Result<()> {
    let api = Api::open(&data_dir_from_args(std::env::args()));
    setup(tauri::Builder::default(), api)
        .run(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("无法启动窗口：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_flag_forms() {
        let a = |v: &[&str]| data_dir_from_args(v.iter().map(|s| s.to_string()));
        assert_eq!(a(&["app", "--data-dir", "/x"]), PathBuf::from("/x"));
        assert_eq!(a(&["app", "--data-dir=/y"]), PathBuf::from("/y"));
        assert_eq!(a(&["app"]), gongkai_api::default_data_dir());
    }
}
