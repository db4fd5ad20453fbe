//! Generates the Tauri context and one `allow-<command>` permission per app command, so the
//! capability file can list exactly which commands the web view may call (nothing else is allowed).

const COMMANDS: &[&str] = &[
    "settings",
    "set_lang",
    "save_join_preferences",
    "accounts",
    "add_account",
    "remove_account",
    "sandbox_status",
    "start_sandbox",
    "cached_agenda",
    "agenda",
    "capabilities",
    "book",
    "booking_check",
    "edit_form",
    "edit",
    "cancel",
    "end_meeting",
    "meeting",
    "vendor_rooms",
    "book_rooms",
    "release_room",
    "zones",
    "open_link",
    "copy_link",
    "copy_host_password",
    "registrants",
    "add_registrant",
    "copy_registrant_link",
    "connect_feishu_user",
    "open_feishu_connect_link",
    "copy_feishu_connect_link",
    "cancel_feishu_connect",
    "disconnect_feishu_user",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
