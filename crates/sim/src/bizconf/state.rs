//! The BizConf fake's persisted state: the one sandbox site, its users and meetings.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) const STATE_SCHEMA: u32 = 1;

/// Tunables of the fake (`POST /__sim/options`, [`super::BizconfSim::set_options`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BizconfOptions {
    /// Concurrent ports of the site (`totalNumParties` of 2.16; the sample's 100, L2279).
    pub site_capacity: u32,
    /// How far `timeStamp` may be from the sim clock, either way, in seconds (assumption, see
    /// `auth`). Default 300.
    pub token_window_secs: i64,
    /// Status answered to a replayed token (assumption, note §7.2: 704 or 102). Default 704.
    pub replay_status: i64,
    /// The site has expired: every request is refused with 106 (L49).
    pub site_expired: bool,
}

impl Default for BizconfOptions {
    fn default() -> Self {
        BizconfOptions {
            site_capacity: 100,
            token_window_secs: 300,
            replay_status: 704,
            site_expired: false,
        }
    }
}

/// The sandbox site and its API permission.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Site {
    pub site_sign: String,
    pub api_key: String,
    /// The sandbox account's userId and name (a user from the start).
    pub user_id: String,
    pub user_name: String,
}

impl Site {
    fn generate() -> Site {
        Site {
            site_sign: format!("sandbox{}", crate::random_hex(8)),
            api_key: crate::random_hex(32),
            user_id: format!("huiyi-{}", crate::random_hex(8)),
            user_name: "沙箱用户".to_owned(),
        }
    }

    /// The site's host label in join links (`<site>.bizvideo.cn`, note §5.2).
    pub(crate) fn subdomain(&self) -> String {
        self.site_sign
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    }
}

/// A user of the site, created by its first booking (L226) or present from the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    /// The first `userName` given: later, different ones are ignored (L226).
    pub user_name: String,
    /// The platform's id for the user (`sid`/`uid` of the host start link, note §5.1).
    pub uid: String,
    pub created_at: i64,
}

impl User {
    pub(crate) fn new(user_name: &str, now: i64) -> User {
        User {
            user_name: user_name.to_owned(),
            uid: random_b64url(16),
            created_at: now,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Lifecycle {
    Active,
    /// `endConf` (2.13).
    Ended {
        at: i64,
    },
    /// `cancelConf` (2.4); `held`: it had taken place, so it reads as ended (L796).
    Cancelled {
        at: i64,
        held: bool,
    },
}

/// `confStatus` (L176): 0 booked, 2 in progress, 3 ended, 9 cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfStatus {
    Booked,
    Live,
    Ended,
    Cancelled,
}

impl ConfStatus {
    pub fn code(self) -> u8 {
        match self {
            ConfStatus::Booked => 0,
            ConfStatus::Live => 2,
            ConfStatus::Ended => 3,
            ConfStatus::Cancelled => 9,
        }
    }

    /// Holds its user's time slot and the site's ports.
    pub(crate) fn holds_resources(self) -> bool {
        matches!(self, ConfStatus::Booked | ConfStatus::Live)
    }
}

/// A registrant (3.32).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Registrant {
    pub id: String,
    /// Every text field as given (`first_name`, `email`, `city`, ...); absent ones are "".
    pub fields: BTreeMap<String, String>,
    /// `[{"title","value"}]`.
    pub custom_questions: Vec<(String, String)>,
    /// "approved" or "pending".
    pub status: String,
    pub create_time: i64,
    /// The personal token of `join_url` (secret).
    pub tk: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meeting {
    pub conf_id: u64,
    /// 10 digits.
    pub conf_number: String,
    pub user_id: String,
    pub conf_name: String,
    /// "" = no password.
    pub password: String,
    /// Unix seconds, UTC.
    pub start: i64,
    /// Minutes.
    pub duration: u32,
    /// Minutes the meeting may start early.
    pub before_time: u32,
    pub conf_parties: u32,
    pub option_jbh: u8,
    pub option_video_host: u8,
    pub option_video_participants: u8,
    pub is_instant: u8,
    /// 1 on, anything else off (L337).
    pub interpretation: u8,
    pub is_tuiliu: u8,
    pub stream_diy: u8,
    pub stream_url: String,
    pub stream_key: String,
    pub watch_url: String,
    pub audio: u8,
    pub waiting_room: u8,
    pub watermark: u8,
    pub meeting_authentication: u8,
    pub login_name: String,
    /// Booked with `registrationType=1` (2.1 only).
    pub registration: bool,
    pub room_id: u64,
    pub vir_conf_id: u64,
    pub h323pwd: String,
    /// The opaque 32-hex segments of `joinUrl` and `hostStartUrl` (note §5.2).
    pub join_sig: String,
    pub host_sig: String,
    pub lifecycle: Lifecycle,
    pub created_at: i64,
    /// 3.31 as last set: `{"questions": [...], "custom_questions": [...]}`.
    pub questions: Value,
    pub registrants: Vec<Registrant>,
}

impl Meeting {
    pub(crate) fn end(&self) -> i64 {
        self.start + i64::from(self.duration) * 60
    }

    /// The reserved window: `[start - beforeTime, start + duration)` (assumption, note §6.29:
    /// 2.16 takes `beforeTime`, so the early-start minutes are reserved too; meetings that
    /// only touch do not overlap).
    pub(crate) fn window(&self) -> (i64, i64) {
        (self.start - i64::from(self.before_time) * 60, self.end())
    }

    /// By the sim clock: booked until its start, in progress until its end, then ended
    /// (the sim's stand-in for a host starting and leaving).
    pub(crate) fn status(&self, now: i64) -> ConfStatus {
        match self.lifecycle {
            Lifecycle::Cancelled { held: false, .. } => ConfStatus::Cancelled,
            Lifecycle::Cancelled { held: true, .. } | Lifecycle::Ended { .. } => ConfStatus::Ended,
            Lifecycle::Active if now >= self.end() => ConfStatus::Ended,
            Lifecycle::Active if now >= self.start => ConfStatus::Live,
            Lifecycle::Active => ConfStatus::Booked,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub schema: u32,
    #[serde(flatten)]
    pub clock: crate::clock::SimClock,
    pub options: BizconfOptions,
    pub site: Site,
    pub users: BTreeMap<String, User>,
    pub meetings: BTreeMap<u64, Meeting>,
    /// The next `confId` is above this.
    pub last_conf_id: u64,
    pub bookings_total: u64,
}

impl State {
    pub(crate) fn fresh() -> State {
        let site = Site::generate();
        let mut users = BTreeMap::new();
        let now = Utc::now().timestamp();
        users.insert(site.user_id.clone(), User::new(&site.user_name, now));
        State {
            schema: STATE_SCHEMA,
            clock: crate::clock::SimClock::default(),
            options: BizconfOptions::default(),
            site,
            users,
            meetings: BTreeMap::new(),
            last_conf_id: rand::rng().random_range(1_000_000..5_000_000),
            bookings_total: 0,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn now_s(&self) -> i64 {
        self.now().timestamp()
    }

    /// Peak ports held during `[a, b)` by meetings other than `except` (usage only changes
    /// where a window starts, so the peak is at `a` or at one of those starts).
    pub(crate) fn ports_in_use(&self, a: i64, b: i64, except: Option<u64>) -> u32 {
        let now = self.now_s();
        let windows: Vec<(i64, i64, u32)> = self
            .meetings
            .values()
            .filter(|m| Some(m.conf_id) != except && m.status(now).holds_resources())
            .map(|m| {
                let (s, e) = m.window();
                (s, e, m.conf_parties)
            })
            .filter(|(s, e, _)| *s < b && a < *e)
            .collect();
        let mut points: Vec<i64> = windows
            .iter()
            .map(|(s, _, _)| *s)
            .filter(|s| *s > a)
            .collect();
        points.push(a);
        points
            .iter()
            .map(|p| {
                windows
                    .iter()
                    .filter(|(s, e, _)| s <= p && p < e)
                    .map(|(_, _, n)| *n)
                    .fold(0u32, u32::saturating_add)
            })
            .max()
            .unwrap_or(0)
    }

    /// Another meeting of `user_id` (not `except`) holding part of `[a, b)` (202, L192).
    pub(crate) fn conflict(&self, user_id: &str, a: i64, b: i64, except: Option<u64>) -> bool {
        let now = self.now_s();
        self.meetings.values().any(|m| {
            let (s, e) = m.window();
            Some(m.conf_id) != except
                && m.user_id == user_id
                && m.status(now).holds_resources()
                && s < b
                && a < e
        })
    }

    /// A new `confId` (7 digits in the 2.1 sample, 6796567; increasing).
    pub(crate) fn new_conf_id(&mut self) -> u64 {
        self.last_conf_id += rand::rng().random_range(1..40);
        self.last_conf_id
    }

    /// A 10-digit meeting number no other meeting has (samples 1336450341, 1806598698).
    pub(crate) fn new_conf_number(&self) -> String {
        loop {
            let n = format!("1{}", random_digits(9));
            if !self.meetings.values().any(|m| m.conf_number == n) {
                return n;
            }
        }
    }

    /// A meeting by `confId`, or by its 10-digit number (3.31-3.33 take "the id returned by
    /// booking", L3547, which booking does not return: both are accepted, note §6.6).
    pub(crate) fn find_meeting(&self, id: &str) -> Option<&Meeting> {
        if id.len() == 10 {
            if let Some(m) = self.meetings.values().find(|m| m.conf_number == id) {
                return Some(m);
            }
        }
        id.parse().ok().and_then(|n: u64| self.meetings.get(&n))
    }
}

impl crate::persist::Persisted for State {
    const SCHEMA: u32 = STATE_SCHEMA;

    fn schema(&self) -> u32 {
        self.schema
    }
}

pub(crate) fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// `n` random bytes as unpadded base64url (16 bytes → 22 characters, like the samples' `uid`
/// and registrant ids).
pub(crate) fn random_b64url(n: usize) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut rng = rand::rng();
    let bytes: Vec<u8> = (0..n).map(|_| rng.random_range(0..=255u8)).collect();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token shaped like the samples' host and registrant tokens (note §5.1): 43 base64url
/// characters, a dot, and a base64url blob ending in `@` and 64 hex characters.
pub(crate) fn opaque_token() -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut blob = vec![0x06, 0x05, 0x40];
    blob.extend(random_b64url(24).into_bytes());
    blob.push(b'@');
    blob.extend(crate::random_hex(64).into_bytes());
    format!("{}.{}", random_b64url(32), URL_SAFE_NO_PAD.encode(blob))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(st: &mut State, user: &str, start: i64, minutes: u32, parties: u32) -> u64 {
        let id = st.new_conf_id();
        st.meetings.insert(
            id,
            Meeting {
                conf_id: id,
                conf_number: st.new_conf_number(),
                user_id: user.to_owned(),
                conf_name: "m".into(),
                password: String::new(),
                start,
                duration: minutes,
                before_time: 0,
                conf_parties: parties,
                option_jbh: 0,
                option_video_host: 0,
                option_video_participants: 0,
                is_instant: 0,
                interpretation: 0,
                is_tuiliu: 0,
                stream_diy: 0,
                stream_url: String::new(),
                stream_key: String::new(),
                watch_url: String::new(),
                audio: 0,
                waiting_room: 0,
                watermark: 0,
                meeting_authentication: 0,
                login_name: String::new(),
                registration: false,
                room_id: 1,
                vir_conf_id: 1,
                h323pwd: String::new(),
                join_sig: String::new(),
                host_sig: String::new(),
                lifecycle: Lifecycle::Active,
                created_at: 0,
                questions: Value::Null,
                registrants: Vec::new(),
            },
        );
        id
    }

    #[test]
    fn peak_ports_not_the_sum_of_every_overlap() {
        let mut st = State::fresh();
        let t = st.now_s() + 3600;
        // 30 ports 0-60 min, 40 ports 60-120 min: never 70 at once.
        meeting(&mut st, "a", t, 60, 30);
        let b = meeting(&mut st, "b", t + 3600, 60, 40);
        assert_eq!(st.ports_in_use(t, t + 7200, None), 40);
        assert_eq!(
            st.ports_in_use(t, t + 3600, None),
            30,
            "touching is not overlap"
        );
        assert_eq!(st.ports_in_use(t + 1800, t + 5400, Some(b)), 30);
        meeting(&mut st, "c", t + 1800, 60, 20);
        assert_eq!(st.ports_in_use(t, t + 7200, None), 60);
        assert!(st.conflict("a", t + 3599, t + 4000, None));
        assert!(!st.conflict("a", t + 3600, t + 4000, None));
    }

    #[test]
    fn shapes_of_generated_values() {
        let st = State::fresh();
        assert_eq!(st.new_conf_number().len(), 10);
        assert_eq!(random_b64url(16).len(), 22);
        let tok = opaque_token();
        let (head, _) = tok.split_once('.').unwrap();
        assert_eq!(head.len(), 43);
        assert!(st.site.subdomain().starts_with("sandbox"));
    }
}
