//! Gongkai's desktop shell: opens the data directory, registers the commands and shows the window.
//! No rules live here; see `commands` for the one-line bridges into `gongkai-api`.

mod commands;

use gongkai_api::Api;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// The data directory given on the command line (`--data-dir DIR`), if any.
fn data_dir_arg(args: impl Iterator<Item = String>) -> Option<PathBuf> {
    let args: Vec<String> = args.collect();
    args.iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from))
        })
}

/// The hold on the data folder, kept for the life of the app (one window per folder).
struct FolderLock(#[allow(dead_code)] Option<gongkai_api::datadir::InstanceLock>);

/// Opens the API the way the desktop starts: moves an earlier version's roaming folder to the
/// local one (when no folder was named), then takes the folder's lock. A failed move leaves the
/// old data untouched and the app unusable, with what to do, rather than starting empty.
fn open_api(args: impl Iterator<Item = String>) -> (Api, FolderLock) {
    use gongkai_api::datadir;
    let named = data_dir_arg(args).or_else(|| {
        std::env::var_os("GONGKAI_DATA_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    });
    let dir = named.clone().unwrap_or_else(datadir::local_data_dir);
    let mut notice = None;
    if named.is_none() {
        if let Some(old) = datadir::roaming_data_dir() {
            match datadir::move_from_roaming(&old, &dir) {
                Ok(datadir::Moved::Done(m)) => notice = Some(m),
                Ok(datadir::Moved::Nothing) => {}
                Err(e) => {
                    let err = datadir::move_failed(&old, &dir, &e);
                    return (Api::unusable(&dir, err), FolderLock(None));
                }
            }
        }
    }
    match datadir::lock_instance_within(&dir, datadir::LOCK_WAIT) {
        Ok(lock) => (Api::open(&dir).with_notice(notice), FolderLock(Some(lock))),
        Err(e) => (Api::unusable(&dir, e), FolderLock(None)),
    }
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

/// What the app asks of WebKitGTK unless the user or the IT department set the variable (any
/// value, `0` included, is theirs): no accelerated compositing and no optimising JavaScript
/// JITs. On the 2-core test PC with 1,000 documents this takes the web process from 323 MB to
/// 162 MB PSS (README “Memory”); the window is a list and forms, which WebKit paints in
/// software as smoothly, and a PC with a broken or virtual GPU (a 云桌面) no longer shows a
/// blank window. `WEBKIT_DISABLE_COMPOSITING_MODE=0` turns compositing back on.
pub const WEBKIT_DEFAULTS: [(&str, &str); 3] = [
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    ("JSC_useDFGJIT", "0"),
    ("JSC_useFTLJIT", "0"),
];

/// The variables of [`WEBKIT_DEFAULTS`] to set, given which are set already.
pub fn webkit_env_to_set(is_set: impl Fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
    WEBKIT_DEFAULTS
        .into_iter()
        .filter(|(k, _)| !is_set(k))
        .collect()
}

/// Runs the desktop app.
pub fn run() -> anyhow::Result<()> {
    // Before any thread starts and before WebKit reads its environment (its web process
    // inherits it).
    #[cfg(target_os = "linux")]
    for (k, v) in webkit_env_to_set(|k| std::env::var_os(k).is_some()) {
        std::env::set_var(k, v);
    }
    let (api, lock) = open_api(std::env::args());
    let builder = tauri::Builder::default();
    // Windows: a second start of the app brings the first window forward (Linux and the
    // end-to-end runs use the folder lock alone, which refuses a second window on one folder).
    #[cfg(windows)]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
    }));
    let app = setup(builder, api)
        .manage(lock)
        .build(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("无法启动窗口：{e}"))?;
    #[cfg(target_os = "linux")]
    light_webview(&app);
    app.run(|_, _| {});
    Ok(())
}

/// WebKitGTK for an office PC with 4 GB: the smallest cache model (a document viewer, not a
/// browser) and no back/forward page cache (with [`WEBKIT_DEFAULTS`], set before start).
#[cfg(target_os = "linux")]
fn light_webview<R: tauri::Runtime>(app: &tauri::App<R>) {
    let Some(w) = app.get_webview_window("main") else {
        return;
    };
    let _ = w.with_webview(|wv| {
        use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
        let view = wv.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(false);
        }
        if let Some(context) = view.web_context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webkit_defaults_leave_what_the_user_set() {
        let none = webkit_env_to_set(|_| false);
        assert_eq!(none, WEBKIT_DEFAULTS.to_vec());
        let some = webkit_env_to_set(|k| k == "WEBKIT_DISABLE_COMPOSITING_MODE");
        assert!(some
            .iter()
            .all(|(k, _)| *k != "WEBKIT_DISABLE_COMPOSITING_MODE"));
        assert_eq!(some.len(), 2);
    }

    #[test]
    fn data_dir_flag_forms() {
        let a = |v: &[&str]| data_dir_arg(v.iter().map(|s| s.to_string()));
        assert_eq!(a(&["app", "--data-dir", "/x"]), Some(PathBuf::from("/x")));
        assert_eq!(a(&["app", "--data-dir=/y"]), Some(PathBuf::from("/y")));
        assert_eq!(a(&["app"]), None);
    }

    #[test]
    fn a_second_window_on_the_same_folder_gets_the_refusal() {
        let dir = tempfile::tempdir().unwrap();
        let args = || {
            vec![
                "app".to_string(),
                "--data-dir".into(),
                dir.path().display().to_string(),
            ]
            .into_iter()
        };
        let (first, _held) = open_api(args());
        assert!(first.status().open_error.is_none());
        let (second, _none) = open_api(args());
        let e = second.status().open_error.expect("refused");
        assert!(e.message.contains("另一个窗口"), "{}", e.message);
    }
}
