//! The desktop binary: everything is in the library so that tests can build the same app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> anyhow::Result<()> {
    gongkai_desktop_lib::run()
}
