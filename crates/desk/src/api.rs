//! The contract between the desk and its front ends (the Tauri commands and `huiyictl --json`):
//! request and response types defined once here and exported to TypeScript with ts-rs
//! (`ui/src/lib/bindings.ts`; a test fails when that file is stale).
//!
//! Nothing in a response type can hold a secret: host links and host passwords never leave
//! Rust except through `Desk::host_link` / `Desk::host_password`, which return `SecretString`.

use chrono::{DateTime, Utc};
use huiyi_core::{
    AccountAuth, AccountId, Attendee, FieldErrorCode, LinkKind, LinkRole, MeetingState,
    Notifications, RegistrationState, VendorKind, VendorRoom,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Local id of a meeting in the desk's store (a UUID string).
pub type MeetingId = String;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountView {
    pub id: AccountId,
    pub vendor: VendorKind,
    /// The vendor's name in the UI language.
    pub vendor_name: String,
    pub label: String,
    pub base_url: String,
    /// Who the account acts as ("alice @ fdb8…", "zhangsan@huawei.com").
    pub principal: String,
    pub auth: AccountAuth,
    pub sandbox: bool,
    pub created_at: DateTime<Utc>,
    /// The person's own authorization, for vendors whose calls need one (Feishu: booking
    /// without an owner, ending a meeting); none for the others.
    pub user_authorization: Option<UserAuthorization>,
}

/// Where an account's user authorization stands (Feishu's user token, OAuth in the browser).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserAuthorization {
    pub state: UserAuthorizationState,
    /// Until when it can be renewed without the browser (the refresh token's end).
    pub renewable_until: Option<DateTime<Utc>>,
    /// The redirect URI the vendor app must list in its security settings; none for a sandbox
    /// account (the fake accepts any loopback address).
    pub redirect_uri: Option<String>,
    /// A connection is waiting for the browser's answer.
    pub connecting: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UserAuthorizationState {
    NotConnected,
    Connected,
    /// Connected once, but it can no longer be renewed: connect again.
    Lapsed,
}

/// A new account as the form (or CLI) gives it. `secret` (App Key or password) goes straight to
/// the keyring; it is deserialized into a type that never prints and is never sent back.
#[derive(Deserialize, TS)]
pub struct NewAccount {
    pub label: String,
    /// Empty or absent: the vendor's official host.
    #[serde(default)]
    #[ts(optional)]
    pub base_url: Option<String>,
    pub auth: AccountAuth,
    #[ts(type = "string")]
    pub secret: secrecy::SecretString,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("label", &self.label)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// One row of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub account_id: AccountId,
    pub account_label: String,
    pub vendor: VendorKind,
    pub sandbox: bool,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// IANA zone of the meeting, for showing its own time beside the local time.
    pub zone: String,
    pub state: MeetingState,
    pub meeting_number: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LinkView {
    pub kind: LinkKind,
    pub role: LinkRole,
    /// The URL for attendee links; `None` for host links, which Rust opens or copies itself.
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeetingView {
    pub summary: MeetingSummary,
    pub organizer: Option<String>,
    pub attendees: Vec<Attendee>,
    pub guest_password: Option<String>,
    /// The vendor gave a host password; copy it with the `copy_host_password` command.
    pub has_host_password: bool,
    /// Dial-in access number.
    pub dial_in: Option<String>,
    pub links: Vec<LinkView>,
    pub notify: Option<Notifications>,
    /// Vendor rooms booked for the meeting through Huiyi, in booking order.
    pub rooms: Vec<VendorRoom>,
    /// When the details were last read from the vendor.
    pub fetched_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Agenda {
    /// Upcoming and in-progress meetings of every account, by start time.
    pub meetings: Vec<MeetingSummary>,
    /// Accounts whose refresh failed; their meetings come from the cache.
    pub problems: Vec<AccountProblem>,
    /// The oldest successful refresh among the accounts shown, if any.
    pub refreshed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountProblem {
    pub account_id: AccountId,
    pub account_label: String,
    pub error: UiError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldErrorView {
    pub field: String,
    pub code: FieldErrorCode,
    pub message: String,
}

/// What every front end shows when something fails: a sentence in the UI language that says
/// what to fix, plus machine-readable parts. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UiError {
    /// Stable code: `invalid_input`, `not_found`, `keyring`, `storage`, or a vendor kind code
    /// such as `start_in_past` (see `VendorErrorKind::code`).
    pub code: String,
    pub message: String,
    pub vendor: Option<VendorKind>,
    /// The vendor's own error code, for support.
    pub vendor_code: Option<String>,
    pub retryable: bool,
    /// Per-field problems for `invalid_input`.
    pub fields: Vec<FieldErrorView>,
}

/// A registrant as the meeting page lists them. Their personal join link stays in Rust
/// (`Desk::registrant_link`, copied by the shell).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RegistrantView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub state: RegistrationState,
    pub registered_at: Option<DateTime<Utc>>,
    /// The vendor gave them a personal join link.
    pub has_link: bool,
}

/// What the booking form shows before it is submitted, while the person is still choosing a
/// time: the account's other meetings then, and the ports free then where the vendor reserves
/// ports. Advice, not a verdict: the vendor decides when the booking is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct BookingCheck {
    /// The account's other open meetings overlapping the chosen time (from the local agenda).
    pub overlapping: Vec<MeetingSummary>,
    /// The vendor refuses a meeting overlapping another of the account (BizConf 202), so with
    /// `overlapping` non-empty the booking would fail.
    pub overlap_refused: bool,
    /// Ports free for the whole chosen time, the meeting being changed not counted.
    pub free_ports: Option<u32>,
    /// Why `free_ports` could not be read, when the vendor reserves ports but did not answer.
    pub ports_error: Option<UiError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SandboxStatus {
    pub running: bool,
    /// Sandbox accounts that exist (running or not).
    pub accounts: Vec<AccountView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub lang: huiyi_core::Lang,
    pub data_dir: String,
    /// The computer's own IANA zone, the default for new bookings.
    pub local_zone: String,
    /// How join links bring the person in (where a vendor's link can say so).
    pub join: huiyi_core::JoinPreferences,
}
