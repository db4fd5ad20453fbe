//! The contract between the desk and its front ends (the Tauri commands and `huiyictl --json`):
//! request and response types defined once here and exported to TypeScript with ts-rs
//! (`ui/src/lib/bindings.ts`; a test fails when that file is stale).
//!
//! Nothing in a response type can hold a secret: host links and host passwords never leave
//! Rust except through `Desk::host_link` / `Desk::host_password`, which return `SecretString`.

use chrono::{DateTime, Utc};
use huiyi_core::{
    AccountAuth, AccountId, Attendee, AttendeeInput, FieldErrorCode, LinkKind, LinkRole,
    MeetingState, Notifications, RegistrationState, VendorKind, VendorRoom,
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
    /// The series this meeting was booked for, when it is one occurrence of a series booked as
    /// single meetings (see `Desk::series`).
    pub series_id: Option<SeriesId>,
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

/// Local id of a recurring series in the desk's store (a UUID string).
pub type SeriesId = String;

/// A recurring series as the form (or CLI) gives it. Times are wall-clock times in `zone`, as
/// typed; `rrule` is an RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=10`). Every occurrence is
/// booked with the same subject, attendees, notices, ports, registration and password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SeriesForm {
    pub subject: String,
    /// The first start (DTSTART): `2026-03-02T09:30`.
    pub start: String,
    pub zone: String,
    pub duration_minutes: u32,
    pub rrule: String,
    /// Occurrences left out (EXDATE), by their start, wall-clock time in `zone`.
    #[serde(default)]
    pub exdates: Vec<String>,
    #[serde(default)]
    pub attendees: Vec<AttendeeInput>,
    #[serde(default)]
    pub notify: Notifications,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ports: Option<u32>,
    #[serde(default)]
    pub registration: bool,
    #[serde(default)]
    pub password: String,
}

/// How a series exists at the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SeriesMode {
    /// Expanded here and booked as one single meeting per occurrence (every vendor).
    Local,
    /// Kept by the vendor as one recurring meeting (Tencent, Huawei, CloudRoom): not yet.
    Native,
}

/// Where a series as a whole stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SeriesState {
    /// Occurrences are still to be sent (or a booking was interrupted: resume it).
    Booking,
    /// Every occurrence not cancelled is booked.
    Booked,
    /// Booking ended with occurrences failed or unknown (see each occurrence).
    Partial,
    /// Cancelling was asked; what was booked is being cancelled.
    Cancelling,
    /// Every occurrence is cancelled.
    Cancelled,
}

/// Where one occurrence stands. `Sending` is written before the vendor is called, so a crash
/// during the call leaves it behind and the next run reconciles it with the vendor's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceState {
    Pending,
    Sending,
    Booked,
    /// The vendor refused it (the error says why); nothing exists at the vendor.
    Failed,
    Cancelled,
    /// The vendor may or may not have it, and cannot be asked (no list of meetings): check
    /// the vendor's own app; it is never booked blindly a second time.
    Unknown,
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<$t> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
    };
}
text_enum!(SeriesMode { Local => "local", Native => "native" });
text_enum!(SeriesState {
    Booking => "booking",
    Booked => "booked",
    Partial => "partial",
    Cancelling => "cancelling",
    Cancelled => "cancelled",
});
text_enum!(OccurrenceState {
    Pending => "pending",
    Sending => "sending",
    Booked => "booked",
    Failed => "failed",
    Cancelled => "cancelled",
    Unknown => "unknown",
});

/// One occurrence of a series and its booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OccurrenceView {
    /// Its key: where the rule put it, wall-clock time in the series' zone
    /// (`2026-03-02T09:30`), whatever moves happened since.
    pub original_start: String,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: OccurrenceState,
    /// The meeting in the agenda, when booked.
    pub meeting_id: Option<MeetingId>,
    /// Calls made to the vendor to book it.
    pub attempts: u32,
    /// Why the last attempt failed, in the UI language.
    pub error: Option<String>,
}

/// A series and the progress of its booking ("n of N booked").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SeriesView {
    pub id: SeriesId,
    pub account_id: AccountId,
    pub account_label: String,
    pub vendor: VendorKind,
    pub subject: String,
    pub zone: String,
    /// The rule in canonical RRULE form.
    pub rrule: String,
    /// The rule in words, in the UI language.
    pub summary: String,
    pub mode: SeriesMode,
    pub state: SeriesState,
    pub created_at: DateTime<Utc>,
    /// Occurrences booked at the vendor.
    pub booked: u32,
    /// Occurrences meant to exist (all but the cancelled ones).
    pub total: u32,
    /// Occurrences whose existence at the vendor is unknown (see [`OccurrenceState::Unknown`]).
    pub unknown: u32,
    pub failed: u32,
    /// A booking or cancelling of this series is running now (here or in another window).
    pub running: bool,
    pub occurrences: Vec<OccurrenceView>,
}
