//! `#[tauri::command]`s: one per desk call, same names as the desk methods. Each returns
//! `Result<T, UiError>` so the web view handles one error shape.
//!
//! Host links and host passwords never cross into the web view: `open_link`, `copy_link` and
//! `copy_host_password` fetch them fresh and open or copy them here, in Rust.

use huiyi_core::AccountId;
use huiyi_core::{
    BookingForm, Capabilities, ExposeSecret, Lang, LinkKind, LinkRole, RegistrantInput, VendorRoom,
};
use huiyi_desk::{
    AccountView, Agenda, BookingCheck, Desk, MeetingId, MeetingView, NewAccount, RegistrantView,
    SandboxStatus, Settings, UiError,
};
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use crate::links::{check_authorize_page, check_openable, ui_error};
use crate::Shell;

type Res<T> = Result<T, UiError>;

fn desk(shell: &State<'_, Shell>) -> Res<Desk> {
    shell.desk()
}

#[tauri::command]
pub fn settings(shell: State<'_, Shell>) -> Res<Settings> {
    Ok(desk(&shell)?.settings())
}

#[tauri::command]
pub fn set_lang(shell: State<'_, Shell>, lang: Lang) -> Res<Settings> {
    let d = desk(&shell)?;
    d.save_lang(lang)?;
    Ok(d.settings())
}

#[tauri::command]
pub fn save_join_preferences(
    shell: State<'_, Shell>,
    join: huiyi_core::JoinPreferences,
) -> Res<Settings> {
    desk(&shell)?.save_join_preferences(join)
}

#[tauri::command]
pub fn accounts(shell: State<'_, Shell>) -> Res<Vec<AccountView>> {
    desk(&shell)?.accounts()
}

#[tauri::command]
pub async fn add_account(shell: State<'_, Shell>, account: NewAccount) -> Res<AccountView> {
    desk(&shell)?.add_account(account).await
}

#[tauri::command]
pub async fn remove_account(shell: State<'_, Shell>, id: AccountId) -> Res<()> {
    desk(&shell)?.remove_account(&id).await
}

#[tauri::command]
pub async fn sandbox_status(shell: State<'_, Shell>) -> Res<SandboxStatus> {
    Ok(desk(&shell)?.sandbox_status().await)
}

#[tauri::command]
pub async fn start_sandbox(shell: State<'_, Shell>) -> Res<SandboxStatus> {
    desk(&shell)?.start_sandbox().await
}

#[tauri::command]
pub fn cached_agenda(shell: State<'_, Shell>) -> Res<Agenda> {
    desk(&shell)?.cached_agenda()
}

#[tauri::command]
pub async fn agenda(shell: State<'_, Shell>) -> Res<Agenda> {
    desk(&shell)?.agenda().await
}

#[tauri::command]
pub fn capabilities(shell: State<'_, Shell>, account: AccountId) -> Res<Capabilities> {
    desk(&shell)?.capabilities(&account)
}

#[tauri::command]
pub async fn book(
    shell: State<'_, Shell>,
    account: AccountId,
    form: BookingForm,
) -> Res<MeetingView> {
    desk(&shell)?.book(&account, form).await
}

#[tauri::command]
pub async fn booking_check(
    shell: State<'_, Shell>,
    account: AccountId,
    form: BookingForm,
    editing: Option<MeetingId>,
) -> Res<BookingCheck> {
    desk(&shell)?
        .booking_check(&account, &form, editing.as_ref())
        .await
}

#[tauri::command]
pub fn edit_form(shell: State<'_, Shell>, id: MeetingId) -> Res<BookingForm> {
    desk(&shell)?.edit_form(&id)
}

#[tauri::command]
pub async fn edit(shell: State<'_, Shell>, id: MeetingId, form: BookingForm) -> Res<MeetingView> {
    desk(&shell)?.edit(&id, form).await
}

#[tauri::command]
pub async fn cancel(shell: State<'_, Shell>, id: MeetingId) -> Res<()> {
    desk(&shell)?.cancel(&id).await
}

#[tauri::command]
pub async fn end_meeting(shell: State<'_, Shell>, id: MeetingId) -> Res<MeetingView> {
    desk(&shell)?.end_meeting(&id).await
}

#[tauri::command]
pub async fn meeting(shell: State<'_, Shell>, id: MeetingId) -> Res<MeetingView> {
    desk(&shell)?.meeting(&id).await
}

#[tauri::command]
pub async fn vendor_rooms(shell: State<'_, Shell>, account: AccountId) -> Res<Vec<VendorRoom>> {
    desk(&shell)?.vendor_rooms(&account).await
}

#[tauri::command]
pub async fn book_rooms(
    shell: State<'_, Shell>,
    id: MeetingId,
    room_ids: Vec<String>,
) -> Res<MeetingView> {
    desk(&shell)?.book_rooms(&id, &room_ids).await
}

#[tauri::command]
pub async fn release_room(
    shell: State<'_, Shell>,
    id: MeetingId,
    room_id: String,
) -> Res<MeetingView> {
    desk(&shell)?.release_room(&id, &room_id).await
}

#[tauri::command]
pub fn zones() -> Res<Vec<String>> {
    Ok(Desk::zones())
}

/// Opens the meeting's join link for `role` in the default browser (which hands over to the
/// vendor's client when it is installed); with `kind`, that kind of link.
#[tauri::command]
pub async fn open_link(
    app: AppHandle,
    shell: State<'_, Shell>,
    meeting_id: MeetingId,
    role: LinkRole,
    kind: Option<LinkKind>,
) -> Res<()> {
    let d = desk(&shell)?;
    let lang = d.settings().lang;
    // The web link, or the one of `kind` when given: an app link that is itself https (Feishu's
    // applink.feishu.cn) opens like a web link; any other scheme is refused below.
    let link = d.join_link_of(&meeting_id, role, kind).await?;
    let url = check_openable(link.url.expose_secret(), lang)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| {
            // The error text may quote the URL (a host link), so only its kind is logged.
            tracing::warn!(role = ?role, kind = %error_kind(&e), "opening a join link failed");
            ui_error(
                "open_failed",
                lang.pick(
                    "无法打开浏览器，请改用“复制”并粘贴到浏览器中。",
                    "Could not open a browser; use Copy and paste the link into one.",
                )
                .to_string(),
            )
        })?;
    tracing::info!(role = ?role, "join link opened");
    Ok(())
}

/// Copies the meeting's join link for `role` to the clipboard: the web link, or the one of
/// `kind` when given (a vendor's protocol link).
#[tauri::command]
pub async fn copy_link(
    app: AppHandle,
    shell: State<'_, Shell>,
    meeting_id: MeetingId,
    role: LinkRole,
    kind: Option<LinkKind>,
) -> Res<()> {
    let d = desk(&shell)?;
    let lang = d.settings().lang;
    let link = d.join_link_of(&meeting_id, role, kind).await?;
    write_clipboard(&app, link.url.expose_secret(), lang)?;
    tracing::info!(role = ?role, "join link copied");
    Ok(())
}

/// Copies the host password to the clipboard.
#[tauri::command]
pub async fn copy_host_password(
    app: AppHandle,
    shell: State<'_, Shell>,
    meeting_id: MeetingId,
) -> Res<()> {
    let d = desk(&shell)?;
    let lang = d.settings().lang;
    let password = d.host_password(&meeting_id).await?;
    write_clipboard(&app, password.expose_secret(), lang)?;
    tracing::info!("host password copied");
    Ok(())
}

fn write_clipboard(app: &AppHandle, text: &str, lang: Lang) -> Res<()> {
    app.clipboard().write_text(text.to_string()).map_err(|e| {
        tracing::warn!(kind = %error_kind(&e), "clipboard write failed");
        ui_error(
            "clipboard",
            lang.pick(
                "无法写入剪贴板，请稍后重试。",
                "Could not write to the clipboard; try again.",
            )
            .to_string(),
        )
    })
}

/// Connects the person's Feishu user to a Feishu account: the authorization page opens in the
/// system browser (from Rust), and the call returns once the browser came back (or the
/// connection was cancelled, declined or timed out).
#[tauri::command]
pub async fn connect_feishu_user(
    app: AppHandle,
    shell: State<'_, Shell>,
    account: AccountId,
) -> Res<AccountView> {
    let d = desk(&shell)?;
    let lang = d.settings().lang;
    d.connect_feishu_user(&account, |url| {
        // A browser that does not come up is not the end: the page offers "copy the link".
        if let Err(e) = open_authorize_page(&app, url, lang) {
            tracing::warn!(code = %e.code, "the Feishu authorization page was not opened");
        }
    })
    .await
}

/// Opens the page of the account's connection in progress again.
#[tauri::command]
pub fn open_feishu_connect_link(
    app: AppHandle,
    shell: State<'_, Shell>,
    account: AccountId,
) -> Res<()> {
    let (url, lang) = connect_page(&shell, &account)?;
    open_authorize_page(&app, &url, lang)
}

/// Copies the page of the account's connection in progress (to open in another browser).
#[tauri::command]
pub fn copy_feishu_connect_link(
    app: AppHandle,
    shell: State<'_, Shell>,
    account: AccountId,
) -> Res<()> {
    let (url, lang) = connect_page(&shell, &account)?;
    write_clipboard(&app, &url, lang)
}

/// The authorization page of the account's connection in progress, and the UI language.
fn connect_page(shell: &State<'_, Shell>, account: &AccountId) -> Res<(String, Lang)> {
    let d = desk(shell)?;
    let lang = d.settings().lang;
    let url = d.feishu_connect_link(account).ok_or_else(|| {
        ui_error(
            "not_found",
            lang.pick(
                "没有正在进行的连接，请重新点击“连接”。",
                "No connection is in progress; choose Connect again.",
            )
            .to_string(),
        )
    })?;
    Ok((url, lang))
}

#[tauri::command]
pub fn cancel_feishu_connect(shell: State<'_, Shell>, account: AccountId) -> Res<bool> {
    Ok(desk(&shell)?.cancel_feishu_connect(&account))
}

#[tauri::command]
pub fn disconnect_feishu_user(shell: State<'_, Shell>, account: AccountId) -> Res<AccountView> {
    desk(&shell)?.disconnect_feishu_user(&account)
}

fn open_authorize_page(app: &AppHandle, raw: &str, lang: Lang) -> Res<()> {
    let url = check_authorize_page(raw, lang)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| {
            tracing::warn!(kind = %error_kind(&e), "opening the authorization page failed");
            ui_error(
                "open_failed",
                lang.pick(
                    "无法打开浏览器，请复制链接并粘贴到浏览器中。",
                    "Could not open a browser; copy the link and paste it into one.",
                )
                .to_string(),
            )
        })
}

/// The error's type name only: plugin errors can quote what they were given.
fn error_kind<E>(_: &E) -> &'static str {
    std::any::type_name::<E>()
}

#[tauri::command]
pub async fn registrants(shell: State<'_, Shell>, id: MeetingId) -> Res<Vec<RegistrantView>> {
    desk(&shell)?.registrants(&id).await
}

#[tauri::command]
pub async fn add_registrant(
    shell: State<'_, Shell>,
    id: MeetingId,
    person: RegistrantInput,
) -> Res<RegistrantView> {
    desk(&shell)?.add_registrant(&id, person).await
}

/// Copies a registrant's personal join link (their secret: it never enters the web view).
#[tauri::command]
pub async fn copy_registrant_link(
    app: AppHandle,
    shell: State<'_, Shell>,
    meeting_id: MeetingId,
    registrant_id: String,
) -> Res<()> {
    let d = desk(&shell)?;
    let lang = d.settings().lang;
    let link = d.registrant_link(&meeting_id, &registrant_id).await?;
    write_clipboard(&app, link.expose_secret(), lang)?;
    tracing::info!("registrant link copied");
    Ok(())
}
