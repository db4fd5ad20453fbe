//! Everything the Tencent fake remembers, and the rules that only depend on that state and the
//! sim clock (meeting status, creation quotas). No HTTP in here.
//!
//! The whole `State` is one JSON document on disk (mode 0600: it holds the sandbox Secret Key
//! and meeting passwords, which the server must hand out again).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::recurrence::{Occurrence, Recurrence};
use crate::random_hex;

/// Bump when the on-disk layout changes incompatibly.
pub(crate) const STATE_SCHEMA: u32 = 1;
/// A meeting's code is recycled 30 days after its scheduled start (status table, [doc copy]).
pub(crate) const RECYCLE_SECS: i64 = 30 * 86_400;
/// Accepted creations remembered for the per-minute limit and `max_creates_per_minute`.
const MAX_CREATE_LOG: usize = 10_000;

/// Limits the note gives for the enterprise (§3.10, error 9008).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TencentOptions {
    /// Meetings one creator `userid` may create per Beijing day; None = unlimited. Default 100.
    pub daily_create_limit: Option<u32>,
    /// Meetings one creator may create in any 60 seconds; None = unlimited. Default 9.
    pub per_minute_create_limit: Option<u32>,
}

impl Default for TencentOptions {
    fn default() -> Self {
        TencentOptions {
            daily_create_limit: Some(100),
            per_minute_create_limit: Some(9),
        }
    }
}

/// The one sandbox enterprise and its self-built app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Enterprise {
    /// `AppId` header: the enterprise ID.
    pub app_id: String,
    /// `SdkId` header; empty = none assigned (then the header must be absent or empty).
    pub sdk_id: String,
    /// `X-TC-Key`.
    pub secret_id: String,
    pub secret_key: String,
    /// The operator userid the sandbox account books as.
    pub userid: String,
    /// Every userid of the enterprise (the operator first).
    pub users: Vec<String>,
}

impl Enterprise {
    pub(crate) fn generate() -> Enterprise {
        let userid = format!("sandbox-{}", random_hex(6));
        Enterprise {
            app_id: random_digits(9),
            sdk_id: random_digits(11),
            secret_id: random_alnum(32),
            secret_key: random_alnum(32),
            users: vec![
                userid.clone(),
                "colleague-1".to_owned(),
                "colleague-2".to_owned(),
                "colleague-3".to_owned(),
            ],
            userid,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Lifecycle {
    Active,
    Cancelled { at: i64, reason_code: i64 },
}

/// A meeting's `status` (note §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingStatus {
    /// Scheduled, not started: `MEETING_STATE_INIT`.
    Init,
    /// In progress by the sim clock: `MEETING_STATE_STARTED`.
    Started,
    /// Past its end: `MEETING_STATE_ENDED`.
    Ended,
    /// `MEETING_STATE_CANCELLED`.
    Cancelled,
    /// 30 days after the scheduled start; the code is recycled: `MEETING_STATE_RECYCLED`.
    Recycled,
}

impl MeetingStatus {
    pub fn wire(self) -> &'static str {
        match self {
            MeetingStatus::Init => "MEETING_STATE_INIT",
            MeetingStatus::Started => "MEETING_STATE_STARTED",
            MeetingStatus::Ended => "MEETING_STATE_ENDED",
            MeetingStatus::Cancelled => "MEETING_STATE_CANCELLED",
            MeetingStatus::Recycled => "MEETING_STATE_RECYCLED",
        }
    }
}

/// One `{userid, is_anonymous?, nick_name?}` of hosts / invitees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Member {
    pub userid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_anonymous: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
}

/// One guest `{area, phone_number, guest_name?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Guest {
    pub area: String,
    pub phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guest_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meeting {
    /// 64-bit decimal in a string.
    pub meeting_id: String,
    /// 9 digits.
    pub meeting_code: String,
    pub creator: String,
    /// Created with `X-TC-Registered: 1`: only then it shows in the user's meeting list.
    pub registered: bool,
    pub subject: String,
    /// `type`: 0 scheduled, 1 instant.
    pub kind: u8,
    pub start: i64,
    pub end: i64,
    /// None or "" = no password.
    pub password: Option<String>,
    pub hosts: Vec<Member>,
    pub invitees: Vec<Member>,
    pub guests: Vec<Guest>,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    /// Merged over the defaults; wire names.
    pub settings: Map<String, Value>,
    /// Other accepted create fields echoed on query (`enable_live`, `sync_to_wework`, ...).
    pub extra: Map<String, Value>,
    pub host_key: Option<String>,
    /// Token of `join_url` (`https://meeting.tencent.com/dm/<token>`).
    pub join_token: String,
    pub lifecycle: Lifecycle,
    pub created_at: i64,
    /// `meeting_type` 1: the rule and its sub-meetings (note §3.2).
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// Tencent Meeting Rooms booked for this meeting (`book-rooms`, note §3.9).
    #[serde(default)]
    pub rooms: Vec<String>,
    /// `subject_visible` of the last booking (default true).
    #[serde(default = "yes")]
    pub subject_visible: bool,
    /// User-exclusive join links (note §3.8): customer_data and the link's token.
    #[serde(default)]
    pub customer_links: Vec<CustomerLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CustomerLink {
    pub customer_data: String,
    pub token: String,
}

impl CustomerLink {
    /// The shape of `join_url` with its own token (the note gives no example of these links:
    /// assumption; clients treat links as opaque).
    pub(crate) fn url(&self) -> String {
        format!("https://meeting.tencent.com/dm/{}", self.token)
    }
}

fn yes() -> bool {
    true
}

/// A Tencent Meeting Rooms room of the enterprise (note §3.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Room {
    pub meeting_room_id: String,
    pub meeting_room_name: String,
    pub meeting_room_location: String,
    pub participant_number: u32,
    /// 0 not open for booking, 1 open.
    pub scheduled_status: u8,
    pub active_code: String,
}

impl Room {
    fn seed() -> Vec<Room> {
        [
            ("1号会议室", "A座3层", 8),
            ("2号会议室", "A座3层", 12),
            ("Board Room", "B座12层", 20),
            ("前台洽谈室", "A座1层", 4),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (name, location, size))| Room {
            meeting_room_id: format!("{}{}", random_digits(8), i),
            meeting_room_name: name.to_owned(),
            meeting_room_location: location.to_owned(),
            participant_number: size,
            // The last one is not open for booking, to exercise that path.
            scheduled_status: if i == 3 { 0 } else { 1 },
            active_code: random_alnum(12).to_uppercase(),
        })
        .collect()
    }
}

impl Meeting {
    pub(crate) fn status(&self, now: i64) -> MeetingStatus {
        if let Some(r) = &self.recurrence {
            return recurring_status(self.lifecycle, r, now);
        }
        if now >= self.start + RECYCLE_SECS {
            return MeetingStatus::Recycled;
        }
        match self.lifecycle {
            Lifecycle::Cancelled { .. } => MeetingStatus::Cancelled,
            Lifecycle::Active if now >= self.end => MeetingStatus::Ended,
            Lifecycle::Active if now >= self.start => MeetingStatus::Started,
            Lifecycle::Active => MeetingStatus::Init,
        }
    }

    /// `current_sub_meeting_id`: the ongoing or next occurrence.
    pub(crate) fn current_sub_meeting(&self, now: i64) -> Option<&Occurrence> {
        self.recurrence
            .as_ref()?
            .occurrences
            .iter()
            .find(|o| !o.deleted && o.end > now)
    }

    pub(crate) fn join_url(&self) -> String {
        format!("https://meeting.tencent.com/dm/{}", self.join_token)
    }

    /// Creator, a designated host or an invitee.
    pub(crate) fn concerns(&self, userid: &str) -> bool {
        self.creator == userid
            || self.hosts.iter().any(|m| m.userid == userid)
            || self.invitees.iter().any(|m| m.userid == userid)
    }
}

/// A series: in progress while one of its occurrences is, scheduled while one is ahead, ended
/// after the last; recycled 30 days after its last occurrence's start.
fn recurring_status(lifecycle: Lifecycle, r: &Recurrence, now: i64) -> MeetingStatus {
    let live = || r.occurrences.iter().filter(|o| !o.deleted);
    let last_start = r.occurrences.iter().map(|o| o.start).max().unwrap_or(0);
    if now >= last_start + RECYCLE_SECS {
        return MeetingStatus::Recycled;
    }
    if let Lifecycle::Cancelled { .. } = lifecycle {
        return MeetingStatus::Cancelled;
    }
    if live().any(|o| o.start <= now && now < o.end) {
        MeetingStatus::Started
    } else if live().any(|o| o.end > now) {
        MeetingStatus::Init
    } else {
        MeetingStatus::Ended
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Creation {
    pub userid: String,
    pub at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub schema: u32,
    #[serde(flatten)]
    pub clock: crate::clock::SimClock,
    pub options: TencentOptions,
    pub enterprise: Enterprise,
    pub meetings: BTreeMap<String, Meeting>,
    /// Recent accepted creations, oldest first (bounded).
    pub creations: Vec<Creation>,
    /// "<userid>/<Beijing date>" -> meetings created that day.
    pub daily_creates: BTreeMap<String, u32>,
    pub creates_total: u64,
    pub creates_refused: u64,
    /// Highest number of creations by one userid within any 60 s (never lowered).
    pub max_creates_per_minute: u32,
    #[serde(default = "Room::seed")]
    pub rooms: Vec<Room>,
}

impl State {
    pub(crate) fn fresh() -> State {
        State {
            schema: STATE_SCHEMA,
            clock: crate::clock::SimClock::default(),
            options: TencentOptions::default(),
            enterprise: Enterprise::generate(),
            meetings: BTreeMap::new(),
            creations: Vec::new(),
            daily_creates: BTreeMap::new(),
            creates_total: 0,
            creates_refused: 0,
            max_creates_per_minute: 0,
            rooms: Room::seed(),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The first live meeting other than `except` that holds `room` during [start, end).
    pub(crate) fn room_conflict(
        &self,
        room: &str,
        start: i64,
        end: i64,
        except: &str,
    ) -> Option<&Meeting> {
        let now = self.now().timestamp();
        self.meetings.values().find(|m| {
            m.meeting_id != except
                && m.rooms.iter().any(|r| r == room)
                && matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started)
                && m.start < end
                && start < m.end
        })
    }

    pub(crate) fn is_member(&self, userid: &str) -> bool {
        self.enterprise.users.iter().any(|u| u == userid)
    }

    /// Count a creation against the per-minute and daily limits; false (and counted as
    /// refused) when either is used up.
    pub(crate) fn take_create_quota(&mut self, userid: &str) -> bool {
        let now = self.now();
        let now_s = now.timestamp();
        let in_window = |st: &State| {
            st.creations
                .iter()
                .filter(|c| c.userid == userid && c.at > now_s - 60)
                .count()
        };
        if let Some(limit) = self.options.per_minute_create_limit {
            if in_window(self) >= limit as usize {
                self.creates_refused += 1;
                return false;
            }
        }
        let today = beijing_date(now);
        self.daily_creates.retain(|k, _| k.ends_with(&today));
        let key = format!("{userid}/{today}");
        let used = self.daily_creates.get(&key).copied().unwrap_or(0);
        if self.options.daily_create_limit.is_some_and(|l| used >= l) {
            self.creates_refused += 1;
            return false;
        }
        self.daily_creates.insert(key, used + 1);
        self.creations.push(Creation {
            userid: userid.to_owned(),
            at: now_s,
        });
        let excess = self.creations.len().saturating_sub(MAX_CREATE_LOG);
        self.creations.drain(..excess);
        self.creates_total += 1;
        let window = u32::try_from(in_window(self)).unwrap_or(u32::MAX);
        self.max_creates_per_minute = self.max_creates_per_minute.max(window);
        true
    }

    /// A meeting_id not yet used: a 19-digit decimal (64-bit, like "10418246224797450687").
    pub(crate) fn new_meeting_id(&self) -> String {
        let mut rng = rand::rng();
        loop {
            let id = rng
                .random_range(1_000_000_000_000_000_000u64..=u64::MAX)
                .to_string();
            if !self.meetings.contains_key(&id) {
                return id;
            }
        }
    }

    /// A 9-digit code no live (not recycled) meeting holds.
    pub(crate) fn new_meeting_code(&self) -> String {
        let now = self.now().timestamp();
        loop {
            let code = random_digits(9);
            let taken = self
                .meetings
                .values()
                .any(|m| m.meeting_code == code && m.status(now) != MeetingStatus::Recycled);
            if !taken {
                return code;
            }
        }
    }
}

/// The calendar day in Beijing (UTC+8, no DST), the service's home zone.
fn beijing_date(now: DateTime<Utc>) -> String {
    (now + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
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

pub(crate) fn random_alnum(n: usize) -> String {
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
    fn nine_a_minute_then_refused_until_the_window_moves() {
        let mut st = State::fresh();
        for _ in 0..9 {
            assert!(st.take_create_quota("u"));
        }
        assert!(!st.take_create_quota("u"));
        assert!(st.take_create_quota("other"), "per creator");
        st.clock.advance(61);
        assert!(st.take_create_quota("u"));
        assert_eq!(st.creates_total, 11);
        assert_eq!(st.creates_refused, 1);
        assert_eq!(st.max_creates_per_minute, 9);
    }

    #[test]
    fn daily_cap() {
        let mut st = State::fresh();
        st.options.per_minute_create_limit = None;
        st.options.daily_create_limit = Some(3);
        for _ in 0..3 {
            assert!(st.take_create_quota("u"));
        }
        assert!(!st.take_create_quota("u"));
    }
}
