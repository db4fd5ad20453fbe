//! `huiyictl`: the command-line front end over huiyi-desk. Every subcommand is a thin adapter
//! over one `Desk` call, so anything the desktop app does can be scripted and tested headless.
//!
//! Output: human text in the chosen language (times in the meeting's zone and the local zone),
//! or with `--json` the huiyi-desk API types serialized with serde (stable field names); errors
//! then go to stderr as a `UiError` JSON object. Exit codes: 0 ok, 2 invalid input, 1 otherwise
//! (including `account connect` declined in the browser, timed out or cancelled with Ctrl-C).
//! `account connect` also prints, to stderr and as text even with `--json`, the authorization
//! page to open and the redirect URI to register while it waits.
//!
//! Secrets come from stdin or from the variable named by `--secret-env`, never from argv (argv
//! is visible to every user of the machine through `ps`).
//!
//! `meeting join` prints the one link asked for, alone on stdout, for scripts; it launches
//! nothing. A link that is a credential (a host link, CloudRoom's CRMT join string minted for
//! this person) goes to stdout only, because the user asked for it, with a note on stderr
//! saying so; it is never logged.
//!
//! Environment:
//! - `HUIYI_DATA_DIR`: data folder when `--data-dir` is not given.
//! - `HUIYI_KEYRING_SERVICE`: keyring service name (default `huiyi`).
//! - `HUIYI_FEISHU_REDIRECT_PORT`: the loopback port `account connect` listens on for Feishu's
//!   answer (default 47613; 0 = any free port, which a real Feishu app will not accept).
//! - `HUIYI_SECRET_STORE=memory`: TEST-ONLY. Keeps secrets in process memory instead of the OS
//!   keyring, so they vanish when the command exits; only useful for in-process tests that add
//!   and use an account within one invocation. Never set it for real use.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};
use huiyi_core::{
    AccountAuth, AccountId, AttendeeInput, BookingForm, ExposeSecret, FieldError, FieldErrorCode,
    JoinLink, Lang, LinkKind, LinkRole, RegistrantInput, RegistrationState, SecretString,
    VendorRoom,
};
use huiyi_desk::{
    local_zone, AccountView, Agenda, Desk, DeskOptions, KeyringStore, MeetingSummary, MeetingView,
    MemoryStore, NewAccount, RegistrantView, SecretStore, UiError, UserAuthorization,
    UserAuthorizationState,
};
use serde::Serialize;

mod series;
mod series_plan;

#[derive(Parser, Debug)]
#[command(
    name = "huiyictl",
    version,
    about = "Book and manage meetings on Chinese conferencing clouds (Huiyi)"
)]
pub struct Cli {
    /// Data folder (default: $HUIYI_DATA_DIR, else the platform data folder + huiyi).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print results as JSON (the huiyi-desk API types); errors as a JSON object on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages: zh or en (default: from the OS locale).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use zh or en"))
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Vendor accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Meetings.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Rooms the vendor manages (Tencent Meeting Rooms), booked for a meeting.
    #[command(subcommand)]
    Room(RoomCommand),
    /// Recurring series: preview a rule; book, show, move, cancel and resume a series.
    #[command(subcommand)]
    Series(series::SeriesCommand),
}

#[derive(Subcommand, Debug)]
pub enum RoomCommand {
    /// The rooms an account's vendor has.
    List {
        #[arg(long)]
        account: String,
    },
    /// Book rooms for a meeting.
    Book {
        /// The meeting (its id in `meeting list`).
        meeting: String,
        /// A room, by id or by its exact name (repeatable).
        #[arg(long = "room", value_name = "ROOM", required = true)]
        rooms: Vec<String>,
    },
    /// Give a room booked for a meeting back.
    Release {
        meeting: String,
        /// The room, by id or by its exact name.
        #[arg(long = "room", value_name = "ROOM")]
        room: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Add an account; the secret (App Key, Secret Key, API key, App Secret or password) is
    /// read from stdin or --secret-env. Vendors: huawei, tencent, bizconf, feishu, cloudroom.
    // Boxed: the arguments are much larger than the other variants.
    Add(Box<AccountAddArgs>),
    /// List accounts (Feishu: with where the user authorization stands).
    List,
    /// Remove an account (its secret is deleted from the keyring; meetings stay at the vendor).
    Remove { id: String },
    /// Feishu: connect your own Feishu user to the account (needed to end meetings, and to
    /// book without --owner). Prints a page to open in a browser and waits for the answer
    /// (at most 10 minutes; Ctrl-C cancels).
    Connect {
        id: String,
        /// Also try to open the page with the system browser.
        #[arg(long)]
        open: bool,
    },
    /// Feishu: forget the connected user's tokens (Feishu keeps the grant until the user
    /// revokes it).
    Disconnect { id: String },
}

#[derive(Args, Debug)]
pub struct AccountAddArgs {
    /// Vendor: huawei, tencent, bizconf, feishu or cloudroom.
    #[arg(long)]
    pub vendor: String,
    #[arg(long)]
    pub label: String,
    /// API address (default: the vendor's official one).
    #[arg(long)]
    pub base_url: Option<String>,
    /// App ID authentication: the App ID (Huawei; the secret is the App Key), the
    /// enterprise ID (Tencent; the secret is the Secret Key), or the app's App ID (Feishu:
    /// cli_…; the secret is the App Secret).
    // Not required here: which of --app-id, --account, --site-sign or --secret-id a vendor
    // needs is checked per vendor, so the error names the right one.
    #[arg(long, conflicts_with_all = ["account", "site_sign"])]
    pub app_id: Option<String>,
    /// Huawei, with --app-id: the third-party user id to act as (default: the enterprise
    /// administrator). BizConf: the userId meetings are booked as. CloudRoom: the user id (a
    /// number) who hosts the meetings and whose meetings are listed (default: the company's
    /// creator).
    #[arg(long)]
    pub user_id: Option<String>,
    /// Huawei account + password authentication: the account name (the secret is the password).
    #[arg(long)]
    pub account: Option<String>,
    /// Tencent: the app's SDK ID, when one was assigned.
    #[arg(long, requires = "app_id")]
    pub sdk_id: Option<String>,
    /// Tencent: the app's Secret ID, with --app-id. CloudRoom: the company's Secret ID (企业中心
    /// → WEB-API), without --app-id. Both read the Secret Key as the secret.
    #[arg(long)]
    pub secret_id: Option<String>,
    /// Tencent: the userid the app books meetings as.
    #[arg(long, requires = "app_id")]
    pub operator: Option<String>,
    /// BizConf: the site sign (the secret is the API key; --user-id is the userId booked as).
    #[arg(long)]
    pub site_sign: Option<String>,
    /// BizConf: the user's display name (optional).
    #[arg(long, requires = "site_sign")]
    pub user_name: Option<String>,
    /// Feishu: which cloud the app lives on: feishu (open.feishu.cn, the default) or lark
    /// (open.larksuite.com).
    #[arg(long, requires = "app_id")]
    pub region: Option<String>,
    /// Feishu: the open_id (ou_…) of the user who owns the meetings booked with the app's
    /// token (optional: without it, bookings use your connected user, see `account connect`).
    #[arg(long, requires = "app_id")]
    pub owner: Option<String>,
    /// Read the secret from this environment variable instead of stdin.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Book a meeting.
    Create {
        #[arg(long)]
        account: String,
        #[command(flatten)]
        form: FormArgs,
        /// Also book this vendor room for it, by id or exact name (repeatable; Tencent).
        #[arg(long = "room", value_name = "ROOM")]
        rooms: Vec<String>,
    },
    /// The agenda of every account (refreshed from the vendors unless --cached).
    List {
        /// Show the local cache only, without asking the vendors.
        #[arg(long)]
        cached: bool,
    },
    /// Fresh details of one meeting.
    Show { id: String },
    /// Change a meeting; options not given keep their current values.
    Edit {
        id: String,
        #[command(flatten)]
        form: FormArgs,
        /// Remove every attendee (--attendee alone already replaces the whole list).
        #[arg(long)]
        clear_attendees: bool,
    },
    /// Cancel a meeting at the vendor.
    Cancel { id: String },
    /// End a meeting in progress for everyone (Feishu: needs the connected user, see
    /// `account connect`).
    End { id: String },
    /// Print a join link, fresh from the vendor, to stdout (for scripts; nothing is opened).
    /// The web link by default; with --app the link that opens the vendor's app (CloudRoom: a
    /// CRMT join string minted for you now, a credential). With --host the host's link, which
    /// carries host rights.
    Join {
        id: String,
        /// The host's link (a secret: whoever opens it joins as the host).
        #[arg(long)]
        host: bool,
        /// The link that opens the vendor's app (sfcloud://, Feishu app link, CloudRoom CRMT:)
        /// instead of the web link.
        #[arg(long)]
        app: bool,
    },
    /// The people registered for a meeting that requires registration (BizConf).
    Registrants { id: String },
    /// Register a person for a meeting; they get a personal join link from the vendor.
    Register {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct FormArgs {
    #[arg(long)]
    pub subject: Option<String>,
    /// Start, wall-clock time in --zone: 2026-11-24T09:30.
    #[arg(long)]
    pub start: Option<String>,
    /// End, wall-clock time in --zone.
    #[arg(long, conflicts_with = "duration")]
    pub end: Option<String>,
    /// Length in minutes (instead of --end).
    #[arg(long, value_name = "MIN")]
    pub duration: Option<u32>,
    /// IANA time zone of the meeting (default on create: the computer's zone).
    #[arg(long)]
    pub zone: Option<String>,
    /// An attendee: 'name=张三,email=a@b.c,phone=+8613800138000,account=u1,host' (repeatable).
    #[arg(long = "attendee", value_name = "SPEC")]
    pub attendees: Vec<String>,
    /// Do not let the vendor email the attendees.
    #[arg(long)]
    pub no_email_notice: bool,
    /// Let the vendor text the attendees.
    #[arg(long)]
    pub sms_notice: bool,
    /// Do not let the vendor send calendar invitations.
    #[arg(long)]
    pub no_calendar_notice: bool,
    /// Concurrent participant ports to reserve (BizConf); default: the vendor's.
    #[arg(long, value_name = "N")]
    pub ports: Option<u32>,
    /// Attendees register first and each gets a personal link (BizConf; on booking only).
    #[arg(long)]
    pub registration: bool,
    /// Meeting password, digits only (CloudRoom: 4 to 6; vendors that let the booker choose
    /// one). On edit, not giving it keeps the current password.
    #[arg(long, value_name = "DIGITS")]
    pub password: Option<String>,
}

/// What a command produced, printed once at the end in the chosen format.
enum Output {
    Account(AccountView),
    Accounts(Vec<AccountView>),
    /// A Feishu user was connected to the account.
    Connected(AccountView),
    /// The account's Feishu user was disconnected.
    Disconnected(AccountView),
    Meeting(MeetingView),
    /// The meeting was ended; as it stands now.
    Ended(MeetingView),
    Agenda(Agenda),
    Rooms(Vec<VendorRoom>),
    Registrants(Vec<RegistrantView>),
    /// A join link the user asked for: printed on stdout, the only place it goes.
    Link(JoinLink),
    Done {
        action: &'static str,
        id: String,
    },
}

/// `meeting join --json`. The link is printed because the user asked for it; `secret` says
/// whether it is a credential (a host link, CloudRoom's CRMT string) not to be passed on.
#[derive(Serialize)]
struct LinkJson<'a> {
    kind: LinkKind,
    role: LinkRole,
    secret: bool,
    url: &'a str,
}

#[derive(Serialize)]
struct DoneJson<'a> {
    ok: bool,
    action: &'a str,
    id: &'a str,
}

/// Parses the arguments, runs the command and prints the result. Returns the process exit code.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let json = cli.json;
    // Series commands open their own desk (`series preview` needs none).
    if let Command::Series(command) = &cli.command {
        return series::run(command, cli.data_dir.as_deref(), json, lang);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli, lang)) {
        Ok(out) => {
            print_output(&out, json, lang);
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e, json, lang);
            if e.code == "invalid_input" {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn secret_store() -> Arc<dyn SecretStore> {
    match std::env::var("HUIYI_SECRET_STORE").as_deref() {
        // Test-only, see the crate docs.
        Ok("memory") => Arc::new(MemoryStore::new()),
        _ => Arc::new(KeyringStore::new()),
    }
}

fn invalid(field: &str, code: FieldErrorCode, lang: Lang) -> UiError {
    UiError::invalid_input(&[FieldError::new(field, code)], lang)
}

/// An invalid-input error on one field whose message says what to type instead.
fn field_error(field: &str, message: &str, lang: Lang) -> UiError {
    let mut e = invalid(field, FieldErrorCode::Required, lang);
    if let Some(f) = e.fields.first_mut() {
        f.message = message.to_string();
    }
    e.with_message(message)
}

async fn run(cli: Cli, lang: Lang) -> Result<Output, UiError> {
    let json_output = cli.json;
    let data_dir = cli.data_dir.clone().unwrap_or_else(Desk::default_data_dir);
    huiyi_desk::init_logging(&data_dir, false)?;
    let desk = Desk::open(DeskOptions {
        data_dir,
        secrets: secret_store(),
        lang,
        feishu_redirect_port: huiyi_desk::feishu_user::redirect_port(),
    })?;
    match cli.command {
        Command::Account(AccountCommand::Add(a)) => {
            let new = account_form(*a, lang)?;
            Ok(Output::Account(desk.add_account(new).await?))
        }
        Command::Account(AccountCommand::List) => Ok(Output::Accounts(desk.accounts()?)),
        Command::Account(AccountCommand::Remove { id }) => {
            desk.remove_account(&AccountId(id.clone())).await?;
            Ok(Output::Done {
                action: "account_removed",
                id,
            })
        }
        Command::Account(AccountCommand::Connect { id, open }) => {
            connect_feishu_user(&desk, AccountId(id), open, lang).await
        }
        Command::Account(AccountCommand::Disconnect { id }) => Ok(Output::Disconnected(
            desk.disconnect_feishu_user(&AccountId(id))?,
        )),
        Command::Meeting(MeetingCommand::Create {
            account,
            form,
            rooms,
        }) => {
            let form = new_form(form, lang)?;
            let account = AccountId(account);
            // Rooms are resolved first, so a misspelt room books nothing.
            let room_ids = if rooms.is_empty() {
                Vec::new()
            } else {
                resolve_rooms(&desk, &account, &rooms, lang).await?
            };
            let booked = desk.book(&account, form).await?;
            if room_ids.is_empty() {
                return Ok(Output::Meeting(booked));
            }
            match desk.book_rooms(&booked.summary.id, &room_ids).await {
                Ok(view) => Ok(Output::Meeting(view)),
                Err(e) => {
                    // The meeting exists at the vendor: show it, then say what did not happen.
                    print_output(&Output::Meeting(booked.clone()), json_output, lang);
                    let message = match lang {
                        Lang::Zh => format!(
                            "会议已预订（{}），但会议室未能预订：{}",
                            booked.summary.id, e.message
                        ),
                        Lang::En => format!(
                            "The meeting is booked ({}), but the room was not: {}",
                            booked.summary.id, e.message
                        ),
                    };
                    Err(e.with_message(&message))
                }
            }
        }
        Command::Meeting(MeetingCommand::List { cached }) => {
            let agenda = if cached {
                desk.cached_agenda()?
            } else {
                desk.agenda().await?
            };
            Ok(Output::Agenda(agenda))
        }
        Command::Meeting(MeetingCommand::Show { id }) => {
            Ok(Output::Meeting(desk.meeting(&id).await?))
        }
        Command::Meeting(MeetingCommand::Edit {
            id,
            form,
            clear_attendees,
        }) => {
            let current = desk.edit_form(&id)?;
            let form = edited_form(current, form, clear_attendees, lang)?;
            Ok(Output::Meeting(desk.edit(&id, form).await?))
        }
        Command::Meeting(MeetingCommand::Cancel { id }) => {
            desk.cancel(&id).await?;
            Ok(Output::Done {
                action: "meeting_cancelled",
                id,
            })
        }
        Command::Meeting(MeetingCommand::End { id }) => {
            Ok(Output::Ended(desk.end_meeting(&id).await?))
        }
        Command::Meeting(MeetingCommand::Join { id, host, app }) => {
            let role = if host {
                LinkRole::Host
            } else {
                LinkRole::Attendee
            };
            let kind = if app {
                LinkKind::Protocol
            } else {
                LinkKind::Web
            };
            Ok(Output::Link(
                desk.join_link_of(&id, role, Some(kind)).await?,
            ))
        }
        Command::Meeting(MeetingCommand::Registrants { id }) => {
            Ok(Output::Registrants(desk.registrants(&id).await?))
        }
        Command::Meeting(MeetingCommand::Register { id, name, email }) => {
            let added = desk
                .add_registrant(&id, RegistrantInput { name, email })
                .await?;
            Ok(Output::Registrants(vec![added]))
        }
        Command::Series(_) => unreachable!("series commands are run by main_with_args"),
        Command::Room(RoomCommand::List { account }) => {
            Ok(Output::Rooms(desk.vendor_rooms(&AccountId(account)).await?))
        }
        Command::Room(RoomCommand::Book { meeting, rooms }) => {
            let account = desk.meeting(&meeting).await?.summary.account_id;
            let ids = resolve_rooms(&desk, &account, &rooms, lang).await?;
            Ok(Output::Meeting(desk.book_rooms(&meeting, &ids).await?))
        }
        Command::Room(RoomCommand::Release { meeting, room }) => {
            let view = desk.meeting(&meeting).await?;
            // A booked room is named from the meeting's own list (it may no longer be listed).
            let id = view
                .rooms
                .iter()
                .find(|r| r.vendor_id == room || r.name == room)
                .map(|r| r.vendor_id.clone())
                .ok_or_else(|| room_not_found(&room, lang))?;
            Ok(Output::Meeting(desk.release_room(&meeting, &id).await?))
        }
    }
}

/// `account connect`: the page to open goes to stderr (it is for the person at the keyboard,
/// also with --json), then the command waits for the browser's answer. Ctrl-C stops waiting:
/// the desk closes the loopback listener and the command ends with a `cancelled` error.
async fn connect_feishu_user(
    desk: &Desk,
    id: AccountId,
    open: bool,
    lang: Lang,
) -> Result<Output, UiError> {
    let account = desk
        .accounts()?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| UiError::account_not_found(lang))?;
    let Some(auth) = account.user_authorization else {
        let message = match lang {
            Lang::Zh => format!(
                "账号“{}”（{}）不需要连接用户：只有飞书账号需要。",
                account.label, account.vendor_name
            ),
            Lang::En => format!(
                "Account \"{}\" ({}) has no user to connect: only Feishu accounts do.",
                account.label, account.vendor_name
            ),
        };
        return Err(UiError::no_user_authorization(lang).with_message(&message));
    };
    let redirect_uri = auth.redirect_uri;
    let show_page = move |url: &str| {
        match lang {
            Lang::Zh => eprintln!("请在浏览器中打开此页面，以连接你的飞书用户：{url}"),
            Lang::En => {
                eprintln!("Open this page in your browser to connect your Feishu user: {url}")
            }
        }
        if let Some(uri) = &redirect_uri {
            match lang {
                Lang::Zh => eprintln!("（飞书应用的“安全设置”中须登记此重定向 URL：{uri}）"),
                Lang::En => eprintln!(
                    "(This redirect URL must be registered in the Feishu app's security settings: {uri})"
                ),
            }
        }
        if open {
            open_in_browser(url, lang);
        }
        eprintln!(
            "{}",
            lang.pick(
                "正在等待浏览器中的授权（最多 10 分钟；按 Ctrl-C 取消）……",
                "Waiting for the authorization in the browser (at most 10 minutes; Ctrl-C cancels)…"
            )
        );
    };
    let connect = desk.connect_feishu_user(&id, show_page);
    tokio::pin!(connect);
    let connected = tokio::select! {
        r = &mut connect => r,
        Ok(()) = tokio::signal::ctrl_c() => {
            // The desk stops listening and the pending call returns its `cancelled` error; if
            // the flow had not started waiting yet, stop here all the same.
            desk.cancel_feishu_connect(&id);
            match tokio::time::timeout(std::time::Duration::from_secs(5), &mut connect).await {
                Ok(Err(e)) => Err(e),
                Ok(Ok(_)) | Err(_) => Err(UiError::connect_cancelled(lang)),
            }
        }
    };
    Ok(Output::Connected(connected?))
}

/// `--open`: the system's "open this URL" command. A failure is reported, and the command
/// keeps waiting (the page can still be opened by hand).
fn open_in_browser(url: &str, lang: Lang) {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        // `start` takes its first quoted argument as a window title.
        c.args(["/C", "start", ""]).arg(url);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let program = cmd.get_program().to_string_lossy().into_owned();
    let report = move |why: String| match lang {
        Lang::Zh => eprintln!("无法打开浏览器（{program}：{why}），请手动打开上面的页面。"),
        Lang::En => {
            eprintln!("Could not open the browser ({program}: {why}); open the page above by hand.")
        }
    };
    match cmd.spawn() {
        Ok(mut child) => {
            // Reaped in the background: the command keeps waiting for the authorization.
            std::thread::spawn(move || match child.wait() {
                Ok(status) if !status.success() => report(status.to_string()),
                Ok(_) => {}
                Err(e) => report(e.to_string()),
            });
        }
        Err(e) => report(e.to_string()),
    }
}

fn room_not_found(spec: &str, lang: Lang) -> UiError {
    let message = match lang {
        Lang::Zh => format!("没有名为或编号为“{spec}”的会议室；用 huiyictl room list 查看。"),
        Lang::En => format!("No room is named or numbered \"{spec}\"; see huiyictl room list."),
    };
    invalid("rooms", FieldErrorCode::Required, lang).with_message(&message)
}

/// Room ids for what was typed: an id, or a room's exact name.
async fn resolve_rooms(
    desk: &Desk,
    account: &AccountId,
    specs: &[String],
    lang: Lang,
) -> Result<Vec<String>, UiError> {
    let known = desk.vendor_rooms(account).await?;
    specs
        .iter()
        .map(|spec| {
            let spec = spec.trim();
            known
                .iter()
                .find(|r| r.vendor_id == spec)
                .or_else(|| known.iter().find(|r| r.name == spec))
                .map(|r| r.vendor_id.clone())
                .ok_or_else(|| room_not_found(spec, lang))
        })
        .collect()
}

fn read_secret(
    secret_env: Option<&str>,
    prompt: &str,
    lang: Lang,
) -> Result<SecretString, UiError> {
    let raw = match secret_env {
        Some(var) => {
            std::env::var(var).map_err(|_| invalid("secret", FieldErrorCode::Required, lang))?
        }
        None if std::io::stdin().is_terminal() => rpassword::prompt_password(format!("{prompt}: "))
            .map_err(|_| invalid("secret", FieldErrorCode::Required, lang))?,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|_| invalid("secret", FieldErrorCode::Required, lang))?;
            // Only the line ending `echo` adds is dropped: other whitespace may be part of it.
            let trimmed = s
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(&s)
                .to_string();
            s.clear();
            trimmed
        }
    };
    Ok(SecretString::from(raw))
}

fn account_form(a: AccountAddArgs, lang: Lang) -> Result<NewAccount, UiError> {
    let vendor = huiyi_core::VendorKind::parse(&a.vendor);
    if vendor != Some(huiyi_core::VendorKind::Feishu) && (a.region.is_some() || a.owner.is_some()) {
        return Err(
            invalid("vendor", FieldErrorCode::Required, lang).with_message(lang.pick(
                "--region 和 --owner 只用于 --vendor feishu。",
                "--region and --owner are for --vendor feishu only.",
            )),
        );
    }
    let (auth, prompt) = match vendor {
        Some(huiyi_core::VendorKind::Feishu) => {
            if a.account.is_some()
                || a.site_sign.is_some()
                || a.user_id.is_some()
                || a.user_name.is_some()
                || a.sdk_id.is_some()
                || a.secret_id.is_some()
                || a.operator.is_some()
            {
                return Err(invalid("vendor", FieldErrorCode::Required, lang).with_message(
                    lang.pick(
                        "飞书账号用 --app-id（可选 --region、--owner），App Secret 作为密钥读入。",
                        "A Feishu account takes --app-id (and optionally --region and --owner); the App Secret is read as the secret.",
                    ),
                ));
            }
            let region = match a.region.as_deref().map(|r| r.trim().to_ascii_lowercase()) {
                None => huiyi_core::FeishuRegion::Feishu,
                Some(r) if r == "feishu" => huiyi_core::FeishuRegion::Feishu,
                Some(r) if r == "lark" => huiyi_core::FeishuRegion::Lark,
                Some(_) => {
                    let given = a.region.unwrap_or_default();
                    let message = match lang {
                        Lang::Zh => format!("未知的区域“{given}”：请用 --region feishu（飞书，open.feishu.cn）或 --region lark（Lark，open.larksuite.com）。"),
                        Lang::En => format!("Unknown region \"{given}\": use --region feishu (open.feishu.cn) or --region lark (open.larksuite.com)."),
                    };
                    return Err(field_error("auth.region", &message, lang));
                }
            };
            if let Some(owner) = a.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
                // The owner is sent as an open_id: anything else is refused by Feishu later,
                // with a less helpful message.
                if !owner.starts_with("ou_") {
                    let message = match lang {
                        Lang::Zh => {
                            format!("--owner “{owner}”不是飞书 open_id：open_id 以 ou_ 开头。")
                        }
                        Lang::En => format!(
                            "--owner \"{owner}\" is not a Feishu open_id: open_ids start with ou_."
                        ),
                    };
                    return Err(field_error("auth.owner", &message, lang));
                }
            }
            // A missing App ID is reported by the desk as a field error.
            (
                AccountAuth::FeishuApp {
                    app_id: a.app_id.unwrap_or_default(),
                    region,
                    owner: a.owner,
                },
                "App Secret",
            )
        }
        Some(huiyi_core::VendorKind::Huawei) => {
            if a.site_sign.is_some() {
                return Err(
                    invalid("vendor", FieldErrorCode::Required, lang).with_message(lang.pick(
                        "--site-sign 和 --user-name 只用于 --vendor bizconf。",
                        "--site-sign and --user-name are for --vendor bizconf only.",
                    )),
                );
            }
            if a.sdk_id.is_some() || a.secret_id.is_some() || a.operator.is_some() {
                return Err(
                    invalid("vendor", FieldErrorCode::Required, lang).with_message(lang.pick(
                        "--sdk-id 和 --operator 只用于 --vendor tencent；--secret-id 只用于 tencent 和 cloudroom。",
                        "--sdk-id and --operator are for --vendor tencent only; --secret-id for tencent and cloudroom.",
                    )),
                );
            }
            if a.account.is_some() && a.user_id.is_some() {
                return Err(
                    invalid("auth.user_id", FieldErrorCode::Required, lang).with_message(
                        lang.pick(
                            "--user-id 与 --app-id 一起使用，不用于 --account。",
                            "--user-id goes with --app-id, not with --account.",
                        ),
                    ),
                );
            }
            match (a.app_id, a.account) {
                (Some(app_id), _) => (
                    AccountAuth::HuaweiAppId {
                        app_id,
                        user_id: a.user_id,
                    },
                    "App Key",
                ),
                (None, Some(account)) => (
                    AccountAuth::HuaweiPassword { account },
                    lang.pick("密码", "Password"),
                ),
                (None, None) => return Err(invalid("auth.app_id", FieldErrorCode::Required, lang)),
            }
        }
        Some(huiyi_core::VendorKind::Bizconf) => {
            if a.app_id.is_some() || a.account.is_some() || a.secret_id.is_some() {
                return Err(invalid("vendor", FieldErrorCode::Required, lang).with_message(
                    lang.pick(
                        "会畅账号用 --site-sign、--user-id（可选 --user-name），API KEY 作为密钥读入。",
                        "A BizConf account takes --site-sign, --user-id (and optionally --user-name); the API key is read as the secret.",
                    ),
                ));
            }
            (
                AccountAuth::BizconfApi {
                    site_sign: a.site_sign.unwrap_or_default(),
                    user_id: a.user_id.unwrap_or_default(),
                    user_name: a.user_name.unwrap_or_default(),
                },
                "API key",
            )
        }
        Some(huiyi_core::VendorKind::Tencent) => {
            if a.account.is_some() || a.user_id.is_some() {
                return Err(invalid("vendor", FieldErrorCode::Required, lang).with_message(
                    lang.pick(
                        "腾讯会议账号用 --app-id、--secret-id、--operator（可选 --sdk-id），不用 --account 或 --user-id。",
                        "A Tencent account takes --app-id, --secret-id, --operator (and optionally --sdk-id), not --account or --user-id.",
                    ),
                ));
            }
            // Missing fields are reported by the desk, all at once, as field errors.
            (
                AccountAuth::TencentApp {
                    app_id: a.app_id.unwrap_or_default(),
                    sdk_id: a.sdk_id,
                    secret_id: a.secret_id.unwrap_or_default(),
                    operator: a.operator.unwrap_or_default(),
                },
                "Secret Key",
            )
        }
        Some(huiyi_core::VendorKind::Cloudroom) => {
            if a.app_id.is_some()
                || a.account.is_some()
                || a.site_sign.is_some()
                || a.user_name.is_some()
                || a.sdk_id.is_some()
                || a.operator.is_some()
            {
                return Err(invalid("vendor", FieldErrorCode::Required, lang).with_message(
                    lang.pick(
                        "云屋账号用 --secret-id（可选 --user-id），Secret Key 作为密钥读入。",
                        "A CloudRoom account takes --secret-id (and optionally --user-id); the Secret Key is read as the secret.",
                    ),
                ));
            }
            let user_id = a
                .user_id
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty());
            if let Some(u) = user_id {
                // CloudRoom user ids are numbers (hostId, searchUserId); anything else would be
                // refused by CloudRoom later, with a less helpful message.
                if !u.chars().all(|c| c.is_ascii_digit()) {
                    let message = match lang {
                        Lang::Zh => format!(
                            "--user-id “{u}”不是云屋用户 ID：用户 ID 是数字（见云屋企业管理后台的用户列表）。"
                        ),
                        Lang::En => format!(
                            "--user-id \"{u}\" is not a CloudRoom user id: user ids are numbers (see the users in CloudRoom's company console)."
                        ),
                    };
                    return Err(field_error("auth.user_id", &message, lang));
                }
            }
            // A missing Secret ID is reported by the desk as a field error.
            (
                AccountAuth::CloudroomApi {
                    secret_id: a.secret_id.unwrap_or_default(),
                    user_id: user_id.map(str::to_string),
                },
                "Secret Key",
            )
        }
        None => {
            let given = a.vendor.trim();
            let message = match lang {
                Lang::Zh => format!(
                    "未知的服务商“{given}”：请用 --vendor huawei、tencent、bizconf、feishu 或 cloudroom。"
                ),
                Lang::En => format!(
                    "Unknown vendor \"{given}\": use --vendor huawei, tencent, bizconf, feishu or cloudroom."
                ),
            };
            return Err(field_error("vendor", &message, lang));
        }
    };
    let secret = read_secret(a.secret_env.as_deref(), prompt, lang)?;
    Ok(NewAccount {
        label: a.label,
        base_url: a.base_url,
        auth,
        secret,
    })
}

/// `name=张三,email=a@b.c,phone=+86...,account=u1,host`
fn parse_attendee(spec: &str, index: usize, lang: Lang) -> Result<AttendeeInput, UiError> {
    let mut a = AttendeeInput::default();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("name", v)) => a.name = v.trim().to_string(),
            Some(("email", v)) => a.email = v.trim().to_string(),
            Some(("phone", v)) => a.phone = v.trim().to_string(),
            Some(("account", v)) => a.account = v.trim().to_string(),
            None if part == "host" => a.host = true,
            _ => {
                let field = format!("attendees.{index}");
                let message = match lang {
                    Lang::Zh => format!("无法理解参会人“{spec}”中的“{part}”：请用 name=、email=、phone=、account= 和 host。"),
                    Lang::En => format!("Cannot read \"{part}\" in attendee \"{spec}\": use name=, email=, phone=, account= and host."),
                };
                let mut e = UiError::invalid_input(
                    &[FieldError::new(field, FieldErrorCode::Required)],
                    lang,
                );
                if let Some(f) = e.fields.first_mut() {
                    f.message = message.clone();
                }
                return Err(e.with_message(&message));
            }
        }
    }
    Ok(a)
}

fn parse_attendees(specs: &[String], lang: Lang) -> Result<Vec<AttendeeInput>, UiError> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| parse_attendee(s, i, lang))
        .collect()
}

fn new_form(f: FormArgs, lang: Lang) -> Result<BookingForm, UiError> {
    let attendees = parse_attendees(&f.attendees, lang)?;
    Ok(BookingForm {
        // Missing values become empty strings so the desk reports them as field errors in the
        // chosen language, together with every other problem.
        subject: f.subject.unwrap_or_default(),
        start: f.start.unwrap_or_default(),
        end: f.end,
        duration_minutes: f.duration,
        zone: f.zone.unwrap_or_else(local_zone),
        attendees,
        notify: huiyi_core::Notifications {
            email: !f.no_email_notice,
            sms: f.sms_notice,
            calendar: !f.no_calendar_notice,
        },
        ports: f.ports,
        registration: f.registration,
        // Checked by the desk against the vendor's password_digits (field `password`).
        password: f.password.unwrap_or_default(),
    })
}

/// Applies the options given to the current form; the rest keeps its current value. Moving
/// only the start keeps the length; changing only the zone keeps the same instants.
fn edited_form(
    current: BookingForm,
    f: FormArgs,
    clear_attendees: bool,
    lang: Lang,
) -> Result<BookingForm, UiError> {
    let mut form = current.clone();
    let old_zone: Option<Tz> = current.zone.parse().ok();
    let old_start = old_zone.and_then(|z| to_utc(&current.start, z));
    let old_end = old_zone.and_then(|z| current.end.as_deref().and_then(|e| to_utc(e, z)));
    if let Some(zone) = &f.zone {
        form.zone = zone.clone();
        if let (Ok(new_zone), Some(s), Some(e)) = (zone.parse::<Tz>(), old_start, old_end) {
            form.start = s
                .with_timezone(&new_zone)
                .format("%Y-%m-%dT%H:%M")
                .to_string();
            form.end = Some(
                e.with_timezone(&new_zone)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
            );
        }
    }
    if let Some(subject) = f.subject {
        form.subject = subject;
    }
    if f.ports.is_some() {
        form.ports = f.ports;
    }
    if let Some(password) = f.password {
        form.password = password;
    }
    if let Some(start) = f.start {
        form.start = start;
        if f.end.is_none() && f.duration.is_none() {
            if let (Some(s), Some(e)) = (old_start, old_end) {
                form.end = None;
                form.duration_minutes = u32::try_from((e - s).num_minutes()).ok();
            }
        }
    }
    if let Some(end) = f.end {
        form.end = Some(end);
        form.duration_minutes = None;
    }
    if let Some(d) = f.duration {
        form.end = None;
        form.duration_minutes = Some(d);
    }
    // --attendee replaces the whole list (as the form would); --clear-attendees alone empties it.
    if clear_attendees || !f.attendees.is_empty() {
        form.attendees = parse_attendees(&f.attendees, lang)?;
    }
    if f.no_email_notice {
        form.notify.email = false;
    }
    if f.sms_notice {
        form.notify.sms = true;
    }
    if f.no_calendar_notice {
        form.notify.calendar = false;
    }
    Ok(form)
}

fn to_utc(local: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let naive = huiyi_core::booking::parse_local_datetime(local)?;
    huiyi_core::booking::local_to_utc(naive, zone).ok()
}

// ---- printing ----

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("cannot serialize the result: {e}"),
    }
}

fn print_output(out: &Output, json: bool, lang: Lang) {
    if json {
        match out {
            Output::Account(a) => print_json(a),
            Output::Accounts(a) => print_json(a),
            Output::Connected(a) | Output::Disconnected(a) => print_json(a),
            Output::Meeting(m) | Output::Ended(m) => print_json(m),
            Output::Agenda(a) => print_json(a),
            Output::Rooms(r) => print_json(r),
            Output::Registrants(r) => print_json(r),
            Output::Link(l) => {
                link_note(l, lang);
                print_json(&LinkJson {
                    kind: l.kind,
                    role: l.role,
                    secret: is_credential(l),
                    url: l.url.expose_secret(),
                })
            }
            Output::Done { action, id } => print_json(&DoneJson {
                ok: true,
                action,
                id,
            }),
        }
        return;
    }
    match out {
        Output::Account(a) => {
            println!("{}", lang.pick("已添加账号：", "Account added:"));
            print_account(a, lang);
        }
        Output::Accounts(list) if list.is_empty() => {
            println!(
                "{}",
                lang.pick(
                    "还没有账号。用 `huiyictl account add` 添加。",
                    "No accounts yet. Add one with `huiyictl account add`."
                )
            )
        }
        Output::Accounts(list) => list.iter().for_each(|a| print_account(a, lang)),
        Output::Connected(a) => {
            let until = a
                .user_authorization
                .as_ref()
                .and_then(|u| u.renewable_until)
                .map(local_time);
            match (lang, until) {
                (Lang::Zh, Some(t)) => println!(
                    "已为账号“{}”连接飞书用户，有效期至 {t}（此前会自动续期，无需再次授权）。",
                    a.label
                ),
                (Lang::Zh, None) => println!("已为账号“{}”连接飞书用户。", a.label),
                (Lang::En, Some(t)) => println!(
                    "Feishu user connected to \"{}\" until {t} (renewed without the browser until then).",
                    a.label
                ),
                (Lang::En, None) => println!("Feishu user connected to \"{}\".", a.label),
            }
        }
        Output::Disconnected(a) => match lang {
            Lang::Zh => println!("已断开账号“{}”的飞书用户。", a.label),
            Lang::En => println!("Feishu user disconnected from \"{}\".", a.label),
        },
        Output::Meeting(m) => print_meeting(m, lang),
        Output::Ended(m) => {
            println!("{}", lang.pick("会议已结束。", "The meeting was ended."));
            print_meeting(m, lang);
        }
        Output::Agenda(a) => print_agenda(a, lang),
        Output::Rooms(rooms) if rooms.is_empty() => {
            println!("{}", lang.pick("没有会议室。", "No rooms."))
        }
        Output::Rooms(rooms) => rooms.iter().for_each(|r| print_room(r, lang)),
        Output::Registrants(list) if list.is_empty() => {
            println!(
                "{}",
                lang.pick("尚无人报名。", "Nobody has registered yet.")
            )
        }
        Output::Registrants(list) => list.iter().for_each(|r| print_registrant(r, lang)),
        Output::Link(l) => {
            link_note(l, lang);
            // Verbatim (a CRMT string's case matters), alone on stdout, for scripts.
            println!("{}", l.url.expose_secret());
        }
        Output::Done { action, id } => match *action {
            "account_removed" => println!("{} {id}", lang.pick("已删除账号", "Removed account")),
            _ => println!("{} {id}", lang.pick("已取消会议", "Cancelled meeting")),
        },
    }
}

/// A link whoever holds it can use as this person or as the host.
fn is_credential(l: &JoinLink) -> bool {
    l.secret || l.role == LinkRole::Host
}

/// On stderr, so stdout stays the link alone: what kind of secret the link is.
fn link_note(l: &JoinLink, lang: Lang) {
    if l.secret {
        eprintln!(
            "{}",
            lang.pick(
                "注意：此入会串是凭据，只对你本人有效（为你现在生成）：不要转发、记录或分享。",
                "Note: this join string is a credential, valid for you only (minted for you just now): do not forward, log or share it.",
            )
        );
    } else if l.role == LinkRole::Host {
        eprintln!(
            "{}",
            lang.pick(
                "注意：这是主持人链接，打开者即获得主持人权限：不要分享。",
                "Note: this is the host link; whoever opens it joins with host rights: do not share it.",
            )
        );
    }
}

fn print_account(a: &AccountView, lang: Lang) {
    let sandbox = if a.sandbox {
        lang.pick("（沙盒）", " (sandbox)")
    } else {
        ""
    };
    println!(
        "{}  {}  {} · {}{}  {}",
        a.id, a.label, a.vendor_name, a.principal, sandbox, a.base_url
    );
    if let Some(u) = &a.user_authorization {
        println!("    {}", user_authorization_text(u, &a.id, lang));
    }
}

/// "Feishu user: connected until …", or how to connect.
fn user_authorization_text(u: &UserAuthorization, id: &AccountId, lang: Lang) -> String {
    let until = u.renewable_until.map(local_time);
    match (u.state, lang, until) {
        (UserAuthorizationState::Connected, Lang::Zh, Some(t)) => {
            format!("飞书用户：已连接，有效期至 {t}")
        }
        (UserAuthorizationState::Connected, Lang::Zh, None) => "飞书用户：已连接".into(),
        (UserAuthorizationState::Connected, Lang::En, Some(t)) => {
            format!("Feishu user: connected until {t}")
        }
        (UserAuthorizationState::Connected, Lang::En, None) => "Feishu user: connected".into(),
        (UserAuthorizationState::NotConnected, Lang::Zh, _) => {
            format!("飞书用户：未连接（连接：huiyictl account connect {id}）")
        }
        (UserAuthorizationState::NotConnected, Lang::En, _) => {
            format!("Feishu user: not connected (to connect: huiyictl account connect {id})")
        }
        (UserAuthorizationState::Lapsed, Lang::Zh, _) => {
            format!("飞书用户：授权已过期，请重新连接：huiyictl account connect {id}")
        }
        (UserAuthorizationState::Lapsed, Lang::En, _) => {
            format!(
                "Feishu user: authorization lapsed; connect again: huiyictl account connect {id}"
            )
        }
    }
}

/// An instant in the computer's zone: "2026-12-24 09:30 Asia/Shanghai".
fn local_time(t: DateTime<Utc>) -> String {
    let local: Tz = local_zone().parse().unwrap_or(Tz::UTC);
    format!(
        "{} {}",
        t.with_timezone(&local).format("%Y-%m-%d %H:%M"),
        local.name()
    )
}

/// "2026-11-24 09:30–10:30 Asia/Shanghai" plus the same span in the local zone.
fn time_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: &str, lang: Lang) -> String {
    let fmt = |z: Tz| {
        let (s, e) = (start.with_timezone(&z), end.with_timezone(&z));
        let end_fmt = if s.date_naive() == e.date_naive() {
            e.format("%H:%M")
        } else {
            e.format("%Y-%m-%d %H:%M")
        };
        format!("{}–{} {}", s.format("%Y-%m-%d %H:%M"), end_fmt, z.name())
    };
    let local: Tz = local_zone().parse().unwrap_or(Tz::UTC);
    match zone.parse::<Tz>() {
        Ok(z) if z == local => format!("{} {}", fmt(z), lang.pick("（本地时间）", "(local time)")),
        Ok(z) => format!(
            "{}  {} {}",
            fmt(z),
            lang.pick("本地：", "local:"),
            fmt(local)
        ),
        Err(_) => format!(
            "{} {}",
            fmt(local),
            lang.pick("（本地时间）", "(local time)")
        ),
    }
}

fn state_text(s: huiyi_core::MeetingState, lang: Lang) -> &'static str {
    use huiyi_core::MeetingState::*;
    match s {
        Scheduled => lang.pick("已预约", "scheduled"),
        InProgress => lang.pick("进行中", "in progress"),
        Ended => lang.pick("已结束", "ended"),
        Cancelled => lang.pick("已取消", "cancelled"),
    }
}

fn print_summary_line(m: &MeetingSummary, lang: Lang) {
    println!(
        "{}  {}  [{}]  {}",
        m.id,
        m.subject,
        m.account_label,
        state_text(m.state, lang)
    );
    println!("    {}", time_span(m.start, m.end, &m.zone, lang));
}

fn print_agenda(a: &Agenda, lang: Lang) {
    if a.meetings.is_empty() {
        println!(
            "{}",
            lang.pick("没有即将开始的会议。", "No upcoming meetings.")
        );
    }
    for m in &a.meetings {
        print_summary_line(m, lang);
    }
    for p in &a.problems {
        println!(
            "{} {}: {}",
            lang.pick("注意：", "Note:"),
            p.account_label,
            p.error.message
        );
        println!(
            "    {}",
            lang.pick(
                "（该账号的会议来自本地缓存）",
                "(this account's meetings come from the local cache)"
            )
        );
    }
}

fn print_meeting(m: &MeetingView, lang: Lang) {
    let s = &m.summary;
    let l = |zh, en| lang.pick(zh, en);
    println!("{}  {}", s.subject, state_text(s.state, lang));
    println!("  {} {}", l("编号：", "id:"), s.id);
    println!(
        "  {} {}",
        l("时间：", "time:"),
        time_span(s.start, s.end, &s.zone, lang)
    );
    println!(
        "  {} {} ({})",
        l("账号：", "account:"),
        s.account_label,
        s.vendor
    );
    println!(
        "  {} {}",
        l("会议号：", "meeting number:"),
        s.meeting_number
    );
    if let Some(o) = &m.organizer {
        println!("  {} {o}", l("预订者：", "organizer:"));
    }
    if let Some(p) = &m.guest_password {
        println!("  {} {p}", l("来宾密码：", "guest password:"));
    }
    if let Some(d) = &m.dial_in {
        println!("  {} {d}", l("电话接入：", "dial-in:"));
    }
    for link in &m.links {
        if let Some(url) = &link.url {
            println!("  {} {url}", l("入会链接：", "join link:"));
        }
    }
    if m.links.iter().any(|k| k.url.is_none()) || m.has_host_password {
        println!(
            "  {}",
            l(
                "（主持人链接和密码不在此显示）",
                "(host link and host password are not shown here)"
            )
        );
    }
    if !m.rooms.is_empty() {
        println!("  {}", l("会议室：", "rooms:"));
        for r in &m.rooms {
            println!("    - {} ({})", r.name, room_facts(r, lang));
        }
    }
    if !m.attendees.is_empty() {
        println!("  {}", l("参会人：", "attendees:"));
        for a in &m.attendees {
            let contact: Vec<&str> = [a.email.as_deref(), a.phone.as_deref(), a.account.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let host = if a.role == huiyi_core::AttendeeRole::Host {
                l("（主持人）", " (host)")
            } else {
                ""
            };
            println!("    - {}{} <{}>", a.name, host, contact.join(", "));
        }
    }
}

fn room_facts(r: &VendorRoom, lang: Lang) -> String {
    let mut facts: Vec<String> = Vec::new();
    if let Some(l) = &r.location {
        facts.push(l.clone());
    }
    if let Some(n) = r.capacity {
        facts.push(match lang {
            Lang::Zh => format!("{n} 座"),
            Lang::En => format!("{n} seats"),
        });
    }
    if !r.bookable {
        facts.push(lang.pick("未开放预订", "not open for booking").into());
    }
    facts.join(", ")
}

/// Personal join links are not printed: they are each registrant's secret (the window copies
/// them to the clipboard).
fn print_registrant(r: &RegistrantView, lang: Lang) {
    let state = match r.state {
        RegistrationState::Approved => lang.pick("已通过", "approved"),
        RegistrationState::Pending => lang.pick("待审核", "waiting for approval"),
        RegistrationState::Denied => lang.pick("已拒绝", "denied"),
    };
    println!(
        "{}  {} <{}>  ({state})",
        r.id,
        r.name,
        r.email.as_deref().unwrap_or("")
    );
}

fn print_room(r: &VendorRoom, lang: Lang) {
    println!("{}  {}  ({})", r.vendor_id, r.name, room_facts(r, lang));
}

fn print_error(e: &UiError, json: bool, lang: Lang) {
    if json {
        match serde_json::to_string_pretty(e) {
            Ok(s) => eprintln!("{s}"),
            Err(_) => eprintln!("{}", e.message),
        }
        return;
    }
    eprintln!("{} {}", lang.pick("错误：", "error:"), e.message);
    for f in &e.fields {
        eprintln!("  - {}: {}", f.field, f.message);
    }
    if e.fields
        .iter()
        .any(|f| f.code == huiyi_core::FieldErrorCode::AttendeeMustBeHostAccount)
    {
        eprintln!(
            "{}",
            lang.pick(
                "（主持人写作 --attendee 'name=张三,account=<用户 ID，飞书为 ou_…>,host'。）",
                "(Give hosts as --attendee 'name=…,account=<user id; Feishu: ou_…>,host'.)"
            )
        );
    }
    if e.fields
        .iter()
        .any(|f| f.code == huiyi_core::FieldErrorCode::AttendeeNeedsAccount)
    {
        eprintln!(
            "{}",
            lang.pick(
                "（参会人写作 --attendee 'name=张三,account=<该服务商的用户 ID>'。）",
                "(Give invitees as --attendee 'name=…,account=<their user id at the vendor>'.)"
            )
        );
    }
    if e.code == "user_authorization_needed" {
        eprintln!(
            "{}",
            lang.pick(
                "（用 huiyictl account connect <账号编号> 连接飞书用户；编号见 huiyictl account list。）",
                "(Connect the Feishu user with huiyictl account connect <account id>; ids are in huiyictl account list.)"
            )
        );
    }
}
