//! The desktop shell: a Tauri window over `huiyi_desk::Desk`. Only this crate knows Tauri; each
//! command is a thin adapter over one desk call (see `commands`), so the GUI does nothing the
//! CLI cannot.

mod commands;
mod links;

use std::sync::Arc;

use huiyi_core::Lang;
use huiyi_desk::{Desk, DeskOptions, KeyringStore, UiError};

/// The desk, or why it could not be opened. Kept as state either way so the window can show the
/// reason (a damaged data file, a folder without permission) instead of failing to start.
pub struct Shell {
    desk: Result<Desk, UiError>,
}

impl Shell {
    pub fn desk(&self) -> Result<Desk, UiError> {
        self.desk.clone()
    }
}

/// The UI language until one is chosen in the window: the OS locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn os_lang() -> Lang {
    Lang::from_env()
}

fn open_desk() -> Result<Desk, UiError> {
    let data_dir = Desk::default_data_dir();
    if let Err(e) = huiyi_desk::init_logging(&data_dir, cfg!(debug_assertions)) {
        // Logging is not worth refusing to start over; say so on stderr.
        eprintln!("huiyi: logging disabled: {}", e.message);
    }
    let secrets = KeyringStore::new();
    if let Err(e) = secrets.probe() {
        // Accounts that need the keyring will report this too; the sandbox still works.
        tracing::warn!(error = %e.message(os_lang()), "keyring not usable");
    }
    let desk = Desk::open(DeskOptions {
        data_dir,
        secrets: Arc::new(secrets),
        lang: os_lang(),
        feishu_redirect_port: huiyi_desk::feishu_user::redirect_port(),
    })?;
    // A language chosen in the window wins over the OS locale from then on.
    if let Some(lang) = desk.saved_lang() {
        desk.set_lang(lang);
    }
    Ok(desk)
}

pub fn run() {
    let shell = Shell { desk: open_desk() };
    match &shell.desk {
        Err(e) => tracing::error!(code = %e.code, "desk could not be opened"),
        // A series booking cut short (the app closed or crashed mid-way) goes on by itself.
        Ok(desk) => {
            let desk = desk.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = desk.resume_series().await {
                    tracing::warn!(code = %e.code, "series bookings could not be resumed");
                }
            });
        }
    }
    tauri::Builder::default()
        // Used from Rust only: no script that turns link clicks in the page into opener calls.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::settings,
            commands::set_lang,
            commands::save_join_preferences,
            commands::accounts,
            commands::add_account,
            commands::remove_account,
            commands::sandbox_status,
            commands::start_sandbox,
            commands::cached_agenda,
            commands::agenda,
            commands::capabilities,
            commands::book,
            commands::booking_check,
            commands::edit_form,
            commands::edit,
            commands::cancel,
            commands::end_meeting,
            commands::meeting,
            commands::vendor_rooms,
            commands::book_rooms,
            commands::release_room,
            commands::zones,
            commands::open_link,
            commands::copy_link,
            commands::copy_host_password,
            commands::registrants,
            commands::add_registrant,
            commands::copy_registrant_link,
            commands::connect_feishu_user,
            commands::open_feishu_connect_link,
            commands::copy_feishu_connect_link,
            commands::cancel_feishu_connect,
            commands::disconnect_feishu_user,
        ])
        .run(tauri::generate_context!())
        .expect("Huiyi could not start its window");
}
