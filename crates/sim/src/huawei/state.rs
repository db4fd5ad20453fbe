//! Everything the Huawei fake remembers, and the rules that only depend on that state and the
//! sim clock (token store, meeting phases, notifications). No HTTP in here.
//!
//! The whole `State` is one JSON document on disk. Access and refresh tokens are stored as
//! SHA-256 digests, like a real server would: the state file never holds a usable token.
//! Meeting passwords, host links and the sandbox credentials are stored as they are, because the
//! server must hand them out again; keep `state_dir` private (it is written with mode 0600).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::random_hex;

/// Bump when the on-disk layout changes incompatibly.
pub(crate) const STATE_SCHEMA: u32 = 1;
/// Live tokens per user and clientType 72 (L506-510); any other clientType gets 1.
pub(crate) const MAX_TOKENS_API: usize = 64;
/// Refresh tokens live 30 days (`refreshValidPeriod` 2592000, L683).
pub(crate) const REFRESH_VALID_SECS: i64 = 2_592_000;
/// Access tokens live 12-24 h (L510); the sim draws `validPeriod` from this range.
pub(crate) const ACCESS_VALID_SECS: std::ops::RangeInclusive<i64> = 43_200..=86_400;
/// Expired sessions are kept this long so their tokens still answer "expired" (400
/// MMC.118000001) rather than "unknown" (401 USG.201000000); then they are forgotten.
const STALE_SESSION_GRACE_SECS: i64 = 7 * 86_400;
/// Upper bound on remembered expired sessions per user (keeps the state file bounded).
const MAX_STALE_SESSIONS_PER_USER: usize = 256;
/// Upper bound on recorded notifications (oldest are dropped).
const MAX_NOTIFICATIONS: usize = 10_000;

/// Enterprise behaviour that the document leaves to the enterprise's edition or configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HuaweiOptions {
    /// Meetings one account may create per day (Beijing date); None = unlimited. Free
    /// enterprises get 20 (MMC.111071082, L27096), paid ones have no limit.
    pub daily_create_limit: Option<u32>,
    /// Whether `isSendSms` sends anything: only commercial enterprises may send SMS; for free
    /// ones `true` is silently ignored (ConfConfigInfo table, L1965).
    pub sms_enabled: bool,
    /// How far ahead a meeting may start. The document names the error (MMC.111071014) but not
    /// the window.
    pub booking_horizon_days: u32,
    /// SIP access number returned as `accessNumber` (examples: "+991117", L2207).
    pub access_number: String,
}

impl Default for HuaweiOptions {
    fn default() -> Self {
        // The sandbox is a free enterprise, like the App ID example's `corpType: 5` (L671).
        HuaweiOptions {
            daily_create_limit: Some(20),
            sms_enabled: false,
            booking_horizon_days: 365,
            access_number: "+991117".to_owned(),
        }
    }
}

/// The one sandbox enterprise with its App ID and its password account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Enterprise {
    pub company_id: String,
    /// Returned as ConferenceInfo `deptName` ("企业名称", L2047).
    pub company_name: String,
    pub sp_id: String,
    pub app_id: String,
    pub app_key: String,
    /// Third-party userId pre-provisioned for App ID auth.
    pub user_id: String,
    pub user_name: String,
    /// Huawei Cloud Meeting account for account/password auth.
    pub account: String,
    pub password: String,
}

impl Enterprise {
    pub(crate) fn generate() -> Enterprise {
        Enterprise {
            company_id: random_digits(9),
            company_name: "Huiyi 沙箱企业".to_owned(),
            sp_id: random_hex(32),
            app_id: random_hex(32),
            app_key: random_alnum(64),
            user_id: format!("sandbox-{}@huiyi.local", random_hex(6)),
            user_name: "沙箱用户".to_owned(),
            account: format!("huiyi{}@sandbox", random_digits(6)),
            // 8-32 characters (L728); mixed classes like a real enterprise policy demands.
            password: format!("Hy{}@9", random_alnum(14)),
        }
    }
}

/// How a user logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Login {
    /// App ID auth with this third-party userId.
    AppUser { third_account: String },
    /// App ID auth without userId: the enterprise default admin (L544, FAQ L28018-28026).
    DefaultAdmin,
    /// Account/password auth.
    Account { account: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub uuid: String,
    pub login: Login,
    pub name: String,
    /// 0 default admin, 1 admin, 2 ordinary user (UserInfo, L791-830).
    pub admin_type: u8,
    pub sip_number: String,
}

impl User {
    pub(crate) fn is_admin(&self) -> bool {
        self.admin_type <= 1
    }

    /// The identity other people's bookings name this user by.
    pub(crate) fn is_named_by(&self, a: &Attendee) -> bool {
        if a.user_uuid.as_deref() == Some(self.uuid.as_str()) {
            return true;
        }
        let own = match &self.login {
            Login::AppUser { third_account } => Some(third_account),
            Login::Account { account } => Some(account),
            Login::DefaultAdmin => None,
        };
        own.is_some() && a.account_id.as_ref() == own
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Session {
    pub access_sha256: String,
    pub refresh_sha256: String,
    pub user: String,
    pub client_type: i64,
    pub created_ms: i64,
    pub valid_period: i64,
    pub expires_at: i64,
    pub refresh_expires_at: i64,
}

/// A freshly issued token pair (plaintext exists only here and in the HTTP answer).
pub(crate) struct Issued {
    pub access: String,
    pub refresh: String,
    pub session: Session,
}

pub(crate) enum TokenCheck {
    Valid(String),
    Expired,
    Unknown,
}

/// When a meeting takes place: once, or as a recurring series (4.2.4, `cycleconferences`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Schedule {
    Single {
        /// Unix seconds, whole minutes (UTC).
        start: i64,
        length_min: u32,
    },
    /// A series: one conferenceID, one set of links, one sub-conference per occurrence.
    Cycle(Box<Cycle>),
}

impl Schedule {
    pub(crate) fn cycle(&self) -> Option<&Cycle> {
        match self {
            Schedule::Single { .. } => None,
            Schedule::Cycle(c) => Some(c),
        }
    }
    pub(crate) fn cycle_mut(&mut self) -> Option<&mut Cycle> {
        match self {
            Schedule::Single { .. } => None,
            Schedule::Cycle(c) => Some(c),
        }
    }
}

/// `cycle` of CycleParams (Table 4-4, L1954): exactly `Day`, `Week` or `Month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CycleKind {
    Day,
    Week,
    Month,
}

impl CycleKind {
    pub(crate) fn wire(self) -> &'static str {
        match self {
            CycleKind::Day => "Day",
            CycleKind::Week => "Week",
            CycleKind::Month => "Month",
        }
    }
}

/// CycleParams as the series holds them after creation: `start_date` moved to the first kept
/// occurrence and `end_date` moved earlier by the 50-occurrence cap (L1953, L2716).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CycleParams {
    /// Local dates in the series' timeZoneID zone (L1952-1953).
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub cycle: CycleKind,
    pub interval: u8,
    /// Week: 0 = Sunday .. 6; Month: 1..31 (Table 4-4, L1956). Empty for Day.
    pub points: Vec<u8>,
    pub pre_remind_days: u8,
}

/// The restricted per-occurrence ConfConfigInfo (Table 4-29 L2607-2614, Table 4-43 L3257-3264).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SubConfig {
    pub call_in_restriction: u8,
    pub audience_call_in_restriction: u8,
    pub allow_guest_start_conf: bool,
    pub enable_waiting_room: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_audience_count_info: Option<ShowAudienceCountInfo>,
}

impl SubConfig {
    pub(crate) fn of(c: &ConfConfig) -> SubConfig {
        SubConfig {
            call_in_restriction: c.call_in_restriction,
            audience_call_in_restriction: c.audience_call_in_restriction,
            allow_guest_start_conf: c.allow_guest_start_conf,
            enable_waiting_room: c.enable_waiting_room,
            show_audience_count_info: None,
        }
    }
}

/// Table 4-30 / 4-44 (L2618-2623).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ShowAudienceCountInfo {
    pub show_audience_mode: u8,
    pub base_audience_count: u32,
    pub multiple: f64,
}

/// One occurrence of a series (Subconfs, Table 4-28, L2592-2605).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SubConf {
    /// cycleSubConfID: 32 lowercase hex, UUIDv1 of the moment it was generated (L2766).
    pub id: String,
    /// Unix seconds, whole minutes (UTC).
    pub start: i64,
    pub length_min: u32,
    pub media_types: String,
    pub is_auto_record: u8,
    pub record_auth_type: u8,
    pub config: SubConfig,
    pub description: Option<String>,
    /// Cancelled through 4.2.6, or ended early with `type=1`.
    pub lifecycle: Lifecycle,
    /// Set by `start_meeting`: in progress from then for `length_min`.
    pub forced_start: Option<i64>,
    /// Moved or otherwise changed through 4.2.8 since it was generated.
    pub edited: bool,
}

impl SubConf {
    /// When it actually runs: from a forced start, otherwise as booked.
    pub(crate) fn window(&self) -> (i64, i64) {
        let start = self.forced_start.unwrap_or(self.start);
        (start, start + i64::from(self.length_min) * 60)
    }

    pub(crate) fn phase(&self, now: i64) -> MeetingPhase {
        match self.lifecycle {
            Lifecycle::Cancelled { .. } => return MeetingPhase::Cancelled,
            Lifecycle::Ended { .. } => return MeetingPhase::Destroyed,
            Lifecycle::Active => {}
        }
        let (start, end) = self.window();
        if now >= end {
            MeetingPhase::Destroyed
        } else if now >= start {
            MeetingPhase::Created
        } else {
            MeetingPhase::Schedule
        }
    }

    /// Neither cancelled nor over: listed in `subConfs`.
    pub(crate) fn is_open(&self, now: i64) -> bool {
        matches!(
            self.phase(now),
            MeetingPhase::Schedule | MeetingPhase::Created
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Cycle {
    pub params: CycleParams,
    /// The series' `length` (each occurrence starts with it; 4.2.8 may change one).
    pub length_min: u32,
    /// Ordered by start.
    pub subs: Vec<SubConf>,
}

impl Cycle {
    /// The occurrence the series shows at top level: the first one not cancelled and not
    /// over; when none is left, the last one not cancelled ([fake-decision]: the document only
    /// shows fresh series, where it is the first, ConferenceInfo `cycleSubConfID` L2063).
    pub(crate) fn current(&self, now: i64) -> Option<&SubConf> {
        self.subs
            .iter()
            .find(|s| s.is_open(now))
            .or_else(|| {
                self.subs
                    .iter()
                    .rev()
                    .find(|s| !matches!(s.lifecycle, Lifecycle::Cancelled { .. }))
            })
            .or_else(|| self.subs.first())
    }

    /// The series as a whole: in progress if one occurrence is, booked while one is still to
    /// come, closed once all have taken place, cancelled when every occurrence was cancelled.
    pub(crate) fn phase(&self, now: i64) -> MeetingPhase {
        let phases: Vec<MeetingPhase> = self.subs.iter().map(|s| s.phase(now)).collect();
        for wanted in [
            MeetingPhase::Created,
            MeetingPhase::Schedule,
            MeetingPhase::Destroyed,
        ] {
            if phases.contains(&wanted) {
                return wanted;
            }
        }
        MeetingPhase::Cancelled
    }
}

/// One invitee as booked (Attendee table 4-3, L1922-1947), unknown fields dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Attendee {
    #[serde(rename = "userUUID", skip_serializing_if = "Option::is_none")]
    pub user_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub role: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<String>,
    pub is_mute: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_invite: Option<u8>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(rename = "deptUUID", skip_serializing_if = "Option::is_none")]
    pub dept_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dept_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_type: Option<u8>,
}

impl Attendee {
    /// Hard terminals count in `terminlCount`, everything else in `normalCount`.
    pub(crate) fn is_hard_terminal(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "terminal" | "ideahub" | "board" | "hwvision"
        )
    }
}

/// ConfConfigInfo after merging the request over the enterprise defaults (Table 4-5/4-16).
/// Serialized as-is into responses, so the field names are the wire names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConfConfig {
    pub is_send_notify: bool,
    pub is_send_sms: bool,
    pub is_send_calendar: bool,
    pub is_auto_mute: bool,
    pub is_hard_terminal_auto_mute: bool,
    pub is_guest_free_pwd: bool,
    pub call_in_restriction: u8,
    pub allow_guest_start_conf: bool,
    #[serde(rename = "vmrIDType", skip_serializing_if = "Option::is_none")]
    pub vmr_id_type: Option<u8>,
    pub prolong_length: u8,
    pub enable_waiting_room: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_host_camera_on: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_guest_camera_on: Option<bool>,
    /// Response-only, undocumented but present in the examples (L2735).
    pub invite_mode: String,
    pub audience_call_in_restriction: u8,
}

impl Default for ConfConfig {
    /// The sandbox enterprise's configuration; values as in the create-series response
    /// example (L2735-2750), where nothing was overridden.
    fn default() -> Self {
        ConfConfig {
            is_send_notify: true,
            is_send_sms: true,
            is_send_calendar: true,
            is_auto_mute: false,
            is_hard_terminal_auto_mute: false,
            is_guest_free_pwd: false,
            call_in_restriction: 0,
            allow_guest_start_conf: true,
            vmr_id_type: None,
            prolong_length: 15,
            enable_waiting_room: false,
            is_host_camera_on: None,
            is_guest_camera_on: None,
            invite_mode: "AUTO_INVITE".to_owned(),
            audience_call_in_restriction: 0,
        }
    }
}

/// The bookable part of a meeting: what create sets and edit replaces wholesale.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Booking {
    pub subject: String,
    pub media_types: String,
    pub schedule: Schedule,
    /// Booked without startTime ("start now"): confType IMMEDIATELY.
    pub immediate: bool,
    pub time_zone_id: String,
    pub language: String,
    pub attendees: Vec<Attendee>,
    pub config: ConfConfig,
    pub record_type: u8,
    pub is_auto_record: u8,
    pub record_aux_stream: u8,
    pub record_auth_type: u8,
    pub encrypt_mode: Option<u8>,
    pub live_address: Option<String>,
    pub aux_address: Option<String>,
    pub vmr_flag: u8,
    pub vmr_id: Option<String>,
    pub concurrent_participants: u32,
    pub support_simultaneous_interpretation: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Lifecycle {
    Active,
    Cancelled {
        at: i64,
    },
    /// Ended early with `DELETE ...&type=1`.
    Ended {
        at: i64,
    },
}

/// Where a meeting is at a given moment of the sim clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingPhase {
    /// Booked, not started: conferenceState "Schedule".
    Schedule,
    /// In progress: conferenceState "Created".
    Created,
    /// Over: conferenceState "Destroyed"; gone from list and detail.
    Destroyed,
    /// Cancelled before it took place; gone from list and detail.
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meeting {
    pub conference_id: String,
    pub owner: String,
    pub owner_name: String,
    pub booking: Booking,
    pub chair_password: String,
    pub guest_password: String,
    /// 48-hex tokens of the join links.
    pub chair_link: String,
    pub guest_link: String,
    /// confUUID of an immediate meeting or of a forced start (UUIDv1, 32 hex).
    pub conf_uuid: Option<String>,
    /// UUIDv1 node for confUUIDs derived from a clock-driven start.
    pub uuid_node: String,
    /// Set by start_meeting(): in progress from then for `length` minutes (the automatic end
    /// counts the duration from the actual start, ConfConfigInfo prolongLength note, L1978).
    pub forced_start: Option<i64>,
    pub lifecycle: Lifecycle,
    pub created_at: i64,
}

impl Meeting {
    pub(crate) fn phase(&self, now: i64) -> MeetingPhase {
        match self.lifecycle {
            Lifecycle::Cancelled { .. } => return MeetingPhase::Cancelled,
            Lifecycle::Ended { .. } => return MeetingPhase::Destroyed,
            Lifecycle::Active => {}
        }
        if let Some(cycle) = self.booking.schedule.cycle() {
            return cycle.phase(now);
        }
        let (start, end) = self.window(now);
        if now >= end {
            MeetingPhase::Destroyed
        } else if now >= start {
            MeetingPhase::Created
        } else {
            MeetingPhase::Schedule
        }
    }

    /// Start and end as the API shows them at the top level: the booked (or forced) times of
    /// a one-off meeting; for a series, those of its current occurrence (`Cycle::current`).
    pub(crate) fn window(&self, now: i64) -> (i64, i64) {
        match &self.booking.schedule {
            Schedule::Single { start, length_min } => {
                let start = self.forced_start.unwrap_or(*start);
                (start, start + i64::from(*length_min) * 60)
            }
            Schedule::Cycle(c) => c.current(now).map(SubConf::window).unwrap_or((0, 0)),
        }
    }

    /// Booked length in minutes (of the current occurrence for a series).
    pub(crate) fn length_min(&self, now: i64) -> u32 {
        match &self.booking.schedule {
            Schedule::Single { length_min, .. } => *length_min,
            Schedule::Cycle(c) => c.current(now).map_or(c.length_min, |s| s.length_min),
        }
    }

    /// confUUID as the API shows it: only once the meeting exists on the media side
    /// (immediate meetings, or a scheduled one in progress); never for future ones (L2043).
    pub(crate) fn conf_uuid_at(&self, now: i64) -> Option<String> {
        if self.booking.schedule.cycle().is_none() {
            if let Some(uuid) = &self.conf_uuid {
                return Some(uuid.clone());
            }
        }
        (self.phase(now) == MeetingPhase::Created)
            .then(|| uuid_v1(self.window(now).0, &self.uuid_node))
    }

    pub(crate) fn invites(&self, user: &User) -> bool {
        self.booking.attendees.iter().any(|a| user.is_named_by(a))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyEvent {
    Create,
    Modify,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannel {
    /// `isSendNotify` to the attendee's `email`.
    Email,
    /// `isSendCalendar`: calendar invitation to the attendee's `email`.
    Calendar,
    /// `isSendSms` to the attendee's `sms` (commercial enterprises only).
    Sms,
}

/// A notice Huawei would have sent to an attendee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub conference_id: String,
    pub event: NotifyEvent,
    pub channel: NotifyChannel,
    /// Email address or mobile number.
    pub to: String,
    pub subject: String,
    /// UTC "yyyy-MM-dd HH:mm".
    pub start_time: String,
    pub time_zone_id: String,
    pub language: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub schema: u32,
    #[serde(flatten)]
    pub clock: crate::clock::SimClock,
    pub options: HuaweiOptions,
    pub enterprise: Enterprise,
    pub users: Vec<User>,
    pub sessions: Vec<Session>,
    pub meetings: BTreeMap<String, Meeting>,
    pub notifications: Vec<Notification>,
    /// "<user uuid>/<Beijing date>" -> meetings created that day.
    pub daily_creates: BTreeMap<String, u32>,
}

impl State {
    pub(crate) fn fresh() -> State {
        let enterprise = Enterprise::generate();
        let mut state = State {
            schema: STATE_SCHEMA,
            clock: crate::clock::SimClock::default(),
            options: HuaweiOptions::default(),
            enterprise,
            users: Vec::new(),
            sessions: Vec::new(),
            meetings: BTreeMap::new(),
            notifications: Vec::new(),
            daily_creates: BTreeMap::new(),
        };
        let user_id = state.enterprise.user_id.clone();
        let user_name = state.enterprise.user_name.clone();
        let account = state.enterprise.account.clone();
        state.user_for(Login::DefaultAdmin, "企业管理员");
        state.user_for(
            Login::AppUser {
                third_account: user_id,
            },
            &user_name,
        );
        state.user_for(Login::Account { account }, &user_name);
        state
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn user(&self, uuid: &str) -> Option<&User> {
        self.users.iter().find(|u| u.uuid == uuid)
    }

    /// The user behind a login, provisioned on first use (App ID users are created by the
    /// first successful App ID auth, as `ucloginAccount` "Auto-<uuid>" shows, L648).
    pub(crate) fn user_for(&mut self, login: Login, name: &str) -> User {
        if let Some(u) = self.users.iter().find(|u| u.login == login) {
            return u.clone();
        }
        let admin_type = if login == Login::DefaultAdmin { 0 } else { 2 };
        let user = User {
            uuid: random_hex(32),
            login,
            name: name.to_owned(),
            admin_type,
            sip_number: format!("+99111{}", random_digits(12)),
        };
        self.users.push(user.clone());
        user
    }

    /// Issue a token pair, evicting the oldest live token beyond the per-user limit.
    pub(crate) fn issue_tokens(&mut self, user: &str, client_type: i64) -> Issued {
        let now = self.now();
        let now_s = now.timestamp();
        self.prune_sessions(now_s);
        let limit = if client_type == 72 { MAX_TOKENS_API } else { 1 };
        let mut live: Vec<usize> = self
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.user == user && s.client_type == client_type && s.expires_at > now_s)
            .map(|(i, _)| i)
            .collect();
        live.sort_by_key(|&i| self.sessions[i].created_ms);
        let evict = (live.len() + 1).saturating_sub(limit);
        let mut doomed: Vec<usize> = live.into_iter().take(evict).collect();
        doomed.sort_unstable_by(|a, b| b.cmp(a));
        for i in doomed {
            self.sessions.remove(i);
        }
        let valid_period = rand::rng().random_range(ACCESS_VALID_SECS);
        let access = new_token();
        let refresh = new_token();
        let session = Session {
            access_sha256: sha256_hex(&access),
            refresh_sha256: sha256_hex(&refresh),
            user: user.to_owned(),
            client_type,
            created_ms: now.timestamp_millis(),
            valid_period,
            expires_at: now_s + valid_period,
            refresh_expires_at: now_s + REFRESH_VALID_SECS,
        };
        self.sessions.push(session.clone());
        Issued {
            access,
            refresh,
            session,
        }
    }

    pub(crate) fn check_access(&self, token: &str) -> TokenCheck {
        let digest = sha256_hex(token);
        match self.sessions.iter().find(|s| s.access_sha256 == digest) {
            None => TokenCheck::Unknown,
            Some(s) if s.expires_at <= self.now().timestamp() => TokenCheck::Expired,
            Some(s) => TokenCheck::Valid(s.user.clone()),
        }
    }

    /// Rotate both tokens of the session owning this refresh token.
    pub(crate) fn refresh(&mut self, refresh_token: &str) -> Option<Issued> {
        let digest = sha256_hex(refresh_token);
        let now = self.now();
        let now_s = now.timestamp();
        let session = self
            .sessions
            .iter_mut()
            .find(|s| s.refresh_sha256 == digest && s.refresh_expires_at > now_s)?;
        let valid_period = rand::rng().random_range(ACCESS_VALID_SECS);
        let access = new_token();
        let refresh = new_token();
        session.access_sha256 = sha256_hex(&access);
        session.refresh_sha256 = sha256_hex(&refresh);
        session.created_ms = now.timestamp_millis();
        session.valid_period = valid_period;
        session.expires_at = now_s + valid_period;
        session.refresh_expires_at = now_s + REFRESH_VALID_SECS;
        Some(Issued {
            access,
            refresh,
            session: session.clone(),
        })
    }

    /// Log out: forget the session of this live access token. False if it was not live.
    pub(crate) fn logout(&mut self, token: &str) -> bool {
        let digest = sha256_hex(token);
        let now_s = self.now().timestamp();
        let before = self.sessions.len();
        self.sessions
            .retain(|s| !(s.access_sha256 == digest && s.expires_at > now_s));
        self.sessions.len() != before
    }

    /// ExpireTokens fault: every token stops working now, but still answers "expired".
    pub(crate) fn expire_all_tokens(&mut self) {
        let now_s = self.now().timestamp();
        for s in &mut self.sessions {
            s.expires_at = s.expires_at.min(now_s);
            s.refresh_expires_at = s.refresh_expires_at.min(now_s);
        }
    }

    fn prune_sessions(&mut self, now_s: i64) {
        self.sessions
            .retain(|s| s.expires_at.max(s.refresh_expires_at) + STALE_SESSION_GRACE_SECS > now_s);
        // Bound the expired sessions remembered per user, oldest first.
        let mut stale_per_user: BTreeMap<String, usize> = BTreeMap::new();
        for s in self.sessions.iter().rev() {
            if s.expires_at <= now_s {
                *stale_per_user.entry(s.user.clone()).or_default() += 1;
            }
        }
        for (user, count) in stale_per_user {
            let mut excess = count.saturating_sub(MAX_STALE_SESSIONS_PER_USER);
            self.sessions.retain(|s| {
                if excess > 0 && s.user == user && s.expires_at <= now_s {
                    excess -= 1;
                    false
                } else {
                    true
                }
            });
        }
    }

    /// A conferenceID not yet used: 9 digits, no leading zero.
    pub(crate) fn new_conference_id(&self) -> String {
        let mut rng = rand::rng();
        loop {
            let id = rng.random_range(100_000_000u32..1_000_000_000).to_string();
            if !self.meetings.contains_key(&id) {
                return id;
            }
        }
    }

    /// Count a creation against the free-tier quota; false when the quota is used up.
    pub(crate) fn take_daily_quota(&mut self, user: &str) -> bool {
        let Some(limit) = self.options.daily_create_limit else {
            return true;
        };
        let today = beijing_date(self.now());
        // Keep only today's counters: the map never grows beyond one entry per active user.
        self.daily_creates.retain(|k, _| k.ends_with(&today));
        let counter = self
            .daily_creates
            .entry(format!("{user}/{today}"))
            .or_default();
        if *counter >= limit {
            return false;
        }
        *counter += 1;
        true
    }

    /// Record what Huawei would send to each attendee for this event (ConfConfigInfo flags,
    /// Table 4-5 L1961-1981; SMS only for commercial enterprises).
    pub(crate) fn notify(&mut self, meeting: &Meeting, event: NotifyEvent) {
        let b = &meeting.booking;
        let at = self.now();
        let start_time = format_minute(meeting.window(at.timestamp()).0);
        for a in &b.attendees {
            let mut send = |channel, to: &String| {
                self.notifications.push(Notification {
                    conference_id: meeting.conference_id.clone(),
                    event,
                    channel,
                    to: to.clone(),
                    subject: b.subject.clone(),
                    start_time: start_time.clone(),
                    time_zone_id: b.time_zone_id.clone(),
                    language: b.language.clone(),
                    at,
                });
            };
            if let Some(email) = &a.email {
                if b.config.is_send_notify {
                    send(NotifyChannel::Email, email);
                }
                if b.config.is_send_calendar {
                    send(NotifyChannel::Calendar, email);
                }
            }
            if let Some(sms) = &a.sms {
                if b.config.is_send_sms && self.options.sms_enabled {
                    send(NotifyChannel::Sms, sms);
                }
            }
        }
        let excess = self.notifications.len().saturating_sub(MAX_NOTIFICATIONS);
        self.notifications.drain(..excess);
    }
}

/// UTC "yyyy-MM-dd HH:mm", the API's time format both ways (L1896, L2008).
pub(crate) fn format_minute(unix: i64) -> String {
    match Utc.timestamp_opt(unix, 0).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => String::new(),
    }
}

/// The calendar day in Beijing (UTC+8, no DST), the service's home zone.
fn beijing_date(now: DateTime<Utc>) -> String {
    (now + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

/// A UUIDv1 (32 hex, no dashes) for `unix` seconds, as Huawei's confUUIDs are (note §1.5).
pub(crate) fn uuid_v1(unix: i64, node: &str) -> String {
    uuid_v1_seq(unix, 0, node)
}

/// A UUIDv1 `seq` 100-ns ticks after `unix` seconds: a batch generated in one moment gets
/// consecutive time fields, as the create-series example's `fe24d135…`/`fe24d136…` (L2766).
pub(crate) fn uuid_v1_seq(unix: i64, seq: u64, node: &str) -> String {
    // 100-ns intervals since 1582-10-15.
    let ticks = (unix as u64)
        .wrapping_mul(10_000_000)
        .wrapping_add(0x01B2_1DD2_1381_4000)
        .wrapping_add(seq);
    let time_low = ticks & 0xffff_ffff;
    let time_mid = (ticks >> 32) & 0xffff;
    let time_hi = ((ticks >> 48) & 0x0fff) | 0x1000;
    // `node` is 16 random hex: 4 for the clock sequence, 12 for the node.
    let clock_seq =
        u16::from_str_radix(node.get(..4).unwrap_or("0"), 16).unwrap_or(0) & 0x3fff | 0x8000;
    let node = node.get(4..16).unwrap_or("000000000000");
    format!("{time_low:08x}{time_mid:04x}{time_hi:04x}{clock_seq:04x}{node}")
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// "cnr" + 37 alphanumerics, the shape of the examples' tokens (L640, note §1.8).
fn new_token() -> String {
    format!("cnr{}", random_alnum(37))
}

pub(crate) fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|i| {
            let lo = if i == 0 { 1 } else { 0 };
            char::from(b'0' + rng.random_range(lo..10u8))
        })
        .collect()
}

fn random_alnum(n: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALNUM[rng.random_range(0..ALNUM.len())] as char)
        .collect()
}

impl crate::persist::Persisted for State {
    const SCHEMA: u32 = STATE_SCHEMA;

    fn schema(&self) -> u32 {
        self.schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v1_decodes_like_the_documents_examples() {
        fn unix_of(uuid: &str) -> i64 {
            let low = u64::from_str_radix(&uuid[0..8], 16).unwrap();
            let mid = u64::from_str_radix(&uuid[8..12], 16).unwrap();
            let hi = u64::from_str_radix(&uuid[12..16], 16).unwrap() & 0x0fff;
            let ticks = (hi << 48) | (mid << 32) | low;
            ((ticks - 0x01B2_1DD2_1381_4000) / 10_000_000) as i64
        }
        // confUUID 050c7898216811ea... is 2019-12-18 07:28:43 UTC (note §1.5).
        let t = Utc
            .with_ymd_and_hms(2019, 12, 18, 7, 28, 43)
            .unwrap()
            .timestamp();
        assert_eq!(unix_of("050c7898216811eaa6958bf3bb9ac167"), t);
        let uuid = uuid_v1(t, "a6958bf3bb9ac167");
        assert_eq!(unix_of(&uuid), t);
        assert_eq!(&uuid[12..16], "11ea", "version 1");
        assert!(uuid.ends_with("a6958bf3bb9ac167"), "{uuid}");
        assert_eq!(uuid.len(), 32);
    }

    #[test]
    fn sixty_fifth_token_evicts_the_oldest() {
        let mut st = State::fresh();
        let user = st.users[1].uuid.clone();
        let first = st.issue_tokens(&user, 72);
        for _ in 0..63 {
            st.issue_tokens(&user, 72);
        }
        assert!(matches!(
            st.check_access(&first.access),
            TokenCheck::Valid(_)
        ));
        st.issue_tokens(&user, 72);
        assert!(matches!(
            st.check_access(&first.access),
            TokenCheck::Unknown
        ));
    }
}
