//! The Feishu fake's persisted state: one self-built app in one tenant, its users, tokens,
//! reserves, meetings and rooms.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) const STATE_SCHEMA: u32 = 1;

/// Tenant token lifetime: 2 h (note §3.1).
pub(crate) const TENANT_TOKEN_SECS: i64 = 7200;
/// With less than this left, a new tenant token is issued (note §3.1).
pub(crate) const TENANT_RENEW_SECS: i64 = 30 * 60;
/// user_access_token lifetime, the docs' example `expires_in` (note §3.3).
pub(crate) const USER_TOKEN_SECS: i64 = 7200;
/// refresh_token lifetime, the docs' example `refresh_token_expires_in` (note §3.3).
pub(crate) const REFRESH_TOKEN_SECS: i64 = 604_800;
/// Refreshing stops 365 days after the user's authorization (20037, note §3.3).
pub(crate) const AUTH_MAX_SECS: i64 = 365 * 86_400;
/// Authorization codes live 5 minutes and are single-use (note §3.3).
pub(crate) const CODE_SECS: i64 = 300;
/// Reserve `end_time` at most 30 days ahead (note §4.2).
pub(crate) const RESERVE_MAX_SECS: i64 = 30 * 86_400;
/// Meeting get and list_by_no reach back 90 days (note §5.1, §5.2).
pub(crate) const NINETY_DAYS: i64 = 90 * 86_400;

/// Which cloud the fake plays: the same API, different link hosts (note §1, §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    #[default]
    Feishu,
    Lark,
}

impl Region {
    pub(crate) fn vc_host(self) -> &'static str {
        match self {
            Region::Feishu => "vc.feishu.cn",
            Region::Lark => "vc.larksuite.com",
        }
    }
    pub(crate) fn applink_host(self) -> &'static str {
        match self {
            Region::Feishu => "applink.feishu.cn",
            Region::Lark => "applink.larksuite.com",
        }
    }
    /// Assumption: Lark's live host mirrors Feishu's (note §10 gives only Feishu's).
    pub(crate) fn live_host(self) -> &'static str {
        match self {
            Region::Feishu => "meetings.feishu.cn",
            Region::Lark => "meetings.larksuite.com",
        }
    }
}

/// Tunables (`POST /__sim/options`, [`super::FeishuSim::set_options`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeishuOptions {
    pub region: Region,
    /// Enforce the documented rate limits (note §9). Default true.
    pub rate_limits: bool,
    /// The app may refresh user tokens; false ⇒ 20074 (note §3.3, §13). Default true.
    pub refresh_enabled: bool,
    /// Scopes the app has been granted in the console; a tenant call needing another one is
    /// refused with 99991672. Default: every VC scope.
    pub app_scopes: Vec<String>,
    /// Participants a meeting holds (122006 beyond). Default 100.
    pub meeting_capacity: u32,
}

pub(crate) const ALL_SCOPES: [&str; 8] = [
    "vc:reserve",
    "vc:reserve:readonly",
    "vc:meeting",
    "vc:meeting:readonly",
    "vc:meeting.meetingid:read",
    "vc:room",
    "vc:room:readonly",
    "offline_access",
];

impl Default for FeishuOptions {
    fn default() -> Self {
        FeishuOptions {
            region: Region::Feishu,
            rate_limits: true,
            refresh_enabled: true,
            app_scopes: ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            meeting_capacity: 100,
        }
    }
}

/// The sandbox app and tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct App {
    pub app_id: String,
    pub app_secret: String,
    pub tenant_key: String,
}

/// A user of the tenant (`open_id`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub open_id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TenantToken {
    pub token: String,
    pub issued_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub open_id: String,
    /// (challenge, method) when the authorize request had PKCE.
    pub challenge: Option<(String, String)>,
    pub issued_at: i64,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UserToken {
    pub open_id: String,
    pub scope: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RefreshToken {
    pub open_id: String,
    pub scope: String,
    pub expires_at: i64,
    /// When the user authorized (the 365-day cap).
    pub authorized_at: i64,
    pub used: bool,
    pub revoked: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Reserve {
    pub id: String,
    pub meeting_no: String,
    /// "" = no password.
    pub password: String,
    pub end_time: i64,
    /// `reserve_user_id`, the owner.
    pub owner: String,
    pub meeting_settings: Value,
    pub live_code: String,
    pub created_at: i64,
    pub deleted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Participant {
    pub id: String,
    pub user_type: i64,
    pub first_join_time: i64,
    pub final_leave_time: i64,
    pub is_host: bool,
    /// 1 calling, 2 in meeting, 3 ringing, 4 not in / left.
    pub status: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meeting {
    pub id: String,
    pub reserve_id: String,
    pub meeting_no: String,
    pub topic: String,
    pub password: String,
    pub owner: String,
    pub start_time: i64,
    /// None while in progress.
    pub end_time: Option<i64>,
    pub host: String,
    pub participants: Vec<Participant>,
    pub locked: bool,
    pub meeting_connect: bool,
}

impl Meeting {
    pub(crate) fn live(&self) -> bool {
        self.end_time.is_none()
    }
    pub(crate) fn in_meeting(&self, id: &str) -> bool {
        self.participants
            .iter()
            .any(|p| p.id == id && p.status == 2)
    }
    pub(crate) fn present(&self) -> usize {
        self.participants.iter().filter(|p| p.status == 2).count()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RoomLevel {
    pub room_level_id: String,
    pub name: String,
    pub parent_id: String,
    pub custom_group_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Room {
    pub room_id: String,
    pub name: String,
    pub capacity: i64,
    pub description: String,
    pub display_id: String,
    pub custom_room_id: String,
    pub room_level_id: String,
    /// `room_status.status`: bookable.
    pub enabled: bool,
    pub devices: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub schema: u32,
    #[serde(flatten)]
    pub clock: crate::clock::SimClock,
    pub options: FeishuOptions,
    pub app: App,
    /// The sandbox user (the one the authorization page signs in) is the first.
    pub users: Vec<User>,
    pub tenant_tokens: Vec<TenantToken>,
    pub codes: BTreeMap<String, AuthCode>,
    pub user_tokens: BTreeMap<String, UserToken>,
    pub refresh_tokens: BTreeMap<String, RefreshToken>,
    pub reserves: BTreeMap<String, Reserve>,
    pub meetings: BTreeMap<String, Meeting>,
    pub room_levels: Vec<RoomLevel>,
    pub rooms: Vec<Room>,
    pub last_id: u64,
}

impl crate::persist::Persisted for State {
    const SCHEMA: u32 = STATE_SCHEMA;
    fn schema(&self) -> u32 {
        self.schema
    }
}

impl State {
    pub(crate) fn fresh() -> State {
        let user = |name: &str| User {
            open_id: format!("ou_{}", crate::random_hex(32)),
            name: name.to_owned(),
        };
        let level = |id: &str, name: &str, parent: &str, custom: &str| RoomLevel {
            room_level_id: id.to_owned(),
            name: name.to_owned(),
            parent_id: parent.to_owned(),
            custom_group_id: custom.to_owned(),
        };
        let b1 = format!("omb_{}", crate::random_hex(32));
        let f3 = format!("omb_{}", crate::random_hex(32));
        let f5 = format!("omb_{}", crate::random_hex(32));
        let room = |name: &str, cap: i64, lvl: &str, custom: &str, enabled: bool| Room {
            room_id: format!("omm_{}", crate::random_hex(32)),
            name: name.to_owned(),
            capacity: cap,
            description: String::new(),
            display_id: format!("FM{}", digits(9)),
            custom_room_id: custom.to_owned(),
            room_level_id: lvl.to_owned(),
            enabled,
            devices: vec!["电视".to_owned(), "摄像头".to_owned()],
        };
        State {
            schema: STATE_SCHEMA,
            clock: crate::clock::SimClock::default(),
            options: FeishuOptions::default(),
            app: App {
                app_id: format!("cli_{}", crate::random_hex(16)),
                app_secret: random_alnum(32),
                tenant_key: crate::random_hex(16),
            },
            users: vec![user("沙箱用户"), user("张三"), user("李四"), user("王五")],
            tenant_tokens: Vec::new(),
            codes: BTreeMap::new(),
            user_tokens: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            reserves: BTreeMap::new(),
            meetings: BTreeMap::new(),
            rooms: vec![
                room("天坛", 8, &f3, "R301", true),
                room("颐和园", 20, &f3, "R302", true),
                room("长城", 4, &f5, "R501", true),
                room("故宫（维修中）", 12, &f5, "R502", false),
            ],
            room_levels: vec![
                level(&b1, "一号楼", "0", "B1"),
                level(&f3, "三层", &b1, "B1F3"),
                level(&f5, "五层", &b1, "B1F5"),
            ],
            last_id: 6_911_188_411_934_973_028 + rand::rng().random_range(0..1_000_000_000u64),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn now_s(&self) -> i64 {
        self.now().timestamp()
    }

    /// A new 19-digit id (reserves and meetings share the sequence).
    pub(crate) fn next_id(&mut self) -> String {
        self.last_id += rand::rng().random_range(1..10_000u64);
        self.last_id.to_string()
    }

    pub(crate) fn user(&self, open_id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.open_id == open_id)
    }

    /// A 9-digit meeting number no unexpired reserve holds (bounded tries).
    pub(crate) fn free_meeting_no(&self) -> String {
        let now = self.now_s();
        for _ in 0..1000 {
            let no = format!("{}{}", rand::rng().random_range(1..10u8), digits(8));
            if !self
                .reserves
                .values()
                .any(|r| r.meeting_no == no && !r.deleted && r.end_time > now)
            {
                return no;
            }
        }
        digits(9)
    }
}

/// `n` random decimal digits.
pub(crate) fn digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

pub(crate) fn random_alnum(n: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALNUM[rng.random_range(0..ALNUM.len())] as char)
        .collect()
}

/// A JWT-looking opaque token, `eyJ…`, about 1 KB (note §3.3: "1–2 KB", "look like a JWT").
pub(crate) fn jwt_like(kind: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"ES256","kid":"sim","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(
        serde_json::json!({"kind": kind, "jti": crate::random_hex(32), "pad": random_alnum(600)})
            .to_string(),
    );
    let mut rng = rand::rng();
    let sig: Vec<u8> = (0..64).map(|_| rng.random_range(0..=255u8)).collect();
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(sig))
}
