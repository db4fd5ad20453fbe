//! The CloudRoom fake's persisted state: the platform, the sandbox company (its API credentials,
//! users, departments), meetings and recordings.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};

pub(crate) const STATE_SCHEMA: u32 = 1;

/// The sandbox credentials' company is also department id 1's company: "根目录的上级部门id是1"
/// (L980) is read as "department 1 is the root" [fake-decision].
pub(crate) const ROOT_DEPARTMENT: i64 = 1;

/// Longest a meeting may run: "预约时间不能超过24小时" (22222, L1152). Instant meetings (no
/// `orderConfig`) also end by the clock this long after creation [fake-decision].
pub(crate) const MAX_MEETING_SECS: i64 = 86_400;

/// Switches of the fake (`POST /__sim/options`, [`super::CloudroomSim::set_options`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CloudroomOptions {
    /// Allowed |server clock − X-CR-Timestamp| (L27 "相差超过5分钟"); exactly this is accepted.
    pub signature_window_secs: i64,
    /// Accept an upper-case hex signature (default false: the doc's value and Guava's output
    /// are lower-case, L49, L68-L73; note §2.2).
    pub lenient_signature_case: bool,
    /// Requests per secretId per endpoint per clock minute on the two list endpoints (L420,
    /// L501: "300次/min").
    pub list_rate_limit_per_minute: u32,
    /// The company has API permission (false → 22007 on every request, L1102).
    pub api_enabled: bool,
    /// `confDetail.orderConfig` times as `"yyyy-MM-dd HH:mm:ss"` (UTC+8) strings and
    /// `periodEndTime: ""` when there is none, as the doc's example (L250-L255). False: Long
    /// seconds as the OrderConfig table declares (L582-L585).
    pub detail_times_as_strings: bool,
    /// `confDetail.attributes`/`permission` with the example's names (L257-L284: `micUseLocal`,
    /// `onlyInvitee`, `vwalldo`, `imForbidPic`, ...). False: the tables' names (L591-L618).
    pub detail_example_names: bool,
    /// Send `remaining` in the meeting lists (the table L447-L451 has it, the examples L474,
    /// L553 do not).
    pub list_remaining: bool,
    /// Accept both `inviteIds` and `inviteeIds` on create and modify. Default false: create
    /// reads only `inviteIds` (L127), modify only `inviteeIds` (L168); the other spelling is
    /// ignored silently, as an unknown JSON field would be (note §10).
    pub lenient_invitee_field: bool,
    /// `orderConfig` without `scheduleTime` is 22214 even with `periodType` 0. Default false:
    /// the doc's own create example (L140) sends `{"periodType":0}` alone, read as instant.
    pub strict_order_config: bool,
}

impl Default for CloudroomOptions {
    fn default() -> Self {
        CloudroomOptions {
            signature_window_secs: 300,
            lenient_signature_case: false,
            list_rate_limit_per_minute: 300,
            api_enabled: true,
            detail_times_as_strings: true,
            detail_example_names: true,
            list_remaining: true,
            lenient_invitee_field: false,
            strict_order_config: false,
        }
    }
}

/// One API identity: a company's `secretId`/`secretKey` (L15-L18) or the platform's (L730).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApiKey {
    pub secret_id: String,
    pub secret_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    /// The Long id meetings use (`hostId`, `inviteIds`, `searchUserId`). Create-user answers
    /// no id (L876-L883); the fake still gives every user one.
    pub id: i64,
    pub account: String,
    pub name: String,
    pub password: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub department_id: i64,
    /// 1 admin, 2 scheduler (default), 3 ordinary, 4 department admin, 5 finance (L856).
    pub role_type: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Department {
    pub id: i64,
    pub name: String,
    pub parent_id: i64,
}

/// A company created through `POST /v2/company` (L728-L777).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Company {
    pub comp_guid: String,
    pub comp_name: String,
    pub admin: String,
    pub admin_name: String,
}

/// Scheduling as stored (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Schedule {
    pub start: i64,
    pub end: i64,
    /// 0-5 (L584); 6/7 only when set from "the console" (test helper), L464.
    pub period_type: i64,
    /// -1 = no end (L585); 0 = not periodic.
    pub period_end: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Attributes {
    pub auto_open_camera: i64,
    pub auto_open_microphone: i64,
    pub can_join_adv: i64,
    pub login_ivr: i64,
    pub water_mark: i64,
    pub virtual_members: i64,
    pub vwallo: i64,
    pub wait_hall: i64,
    pub allow_join: i64,
}

impl Attributes {
    /// The table's defaults (L591-L599).
    pub(crate) fn defaults() -> Attributes {
        Attributes {
            auto_open_camera: -1,
            auto_open_microphone: -1,
            can_join_adv: 1,
            login_ivr: 1,
            water_mark: 0,
            virtual_members: 0,
            vwallo: 2000,
            wait_hall: 0,
            allow_join: 0,
        }
    }
}

/// Permission values by the table's names (L605-L618).
pub(crate) type Permission = BTreeMap<String, i64>;

/// The table's permission defaults (L605-L618): all 1 but `recordConf`.
pub(crate) fn default_permission() -> Permission {
    [
        ("saveWB", 1),
        ("publicIM", 1),
        ("privateIM", 1),
        ("allowPicture", 1),
        ("allowUrl", 1),
        ("recordConf", 0),
        ("openMicrophone", 1),
        ("openCamera", 1),
        ("allowShare", 1),
        ("allowModifyName", 1),
        ("pstnCall", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Join {
    pub nick_name: String,
    pub user_type: i64,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meeting {
    pub conf_id: i64,
    pub subject: String,
    pub host_id: i64,
    /// The company creator (`ownerId`, L470).
    pub owner_id: i64,
    pub invitee_ids: Vec<i64>,
    pub assistant_ids: Vec<i64>,
    /// "" = none.
    pub password: String,
    pub email_notice: i64,
    pub sms_notice: i64,
    /// None = instant meeting (`confType` 0).
    pub schedule: Option<Schedule>,
    pub attributes: Attributes,
    pub permission: Permission,
    pub vote_ids: Vec<String>,
    /// The short codes of `url` (host) and `publicUrl` (L215-L216, L236, L243).
    pub host_code: String,
    pub public_code: String,
    pub pstn_num: String,
    pub pstn_pwd: String,
    pub created_at: i64,
    /// Set by a join: in progress until then (the end of the occurrence joined).
    pub joined_until: Option<i64>,
    /// First join (actual start).
    pub started_at: Option<i64>,
    /// A host (`userType=1`) has joined the current occurrence: until when.
    pub host_until: Option<i64>,
    pub joins: Vec<Join>,
    /// `POST …/end`.
    pub ended_at: Option<i64>,
}

/// 0 not started, 1 in progress, 2 ended (L222).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfStatus {
    NotStarted,
    InProgress,
    Ended,
}

impl ConfStatus {
    pub fn code(self) -> i64 {
        match self {
            ConfStatus::NotStarted => 0,
            ConfStatus::InProgress => 1,
            ConfStatus::Ended => 2,
        }
    }
}

pub(crate) fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `yyyy-MM-dd HH:mm:ss` in UTC+8 (the doc's example strings, L251; zone inferred, note §1.7).
pub(crate) fn beijing_string(t: i64) -> String {
    beijing()
        .timestamp_opt(t, 0)
        .single()
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

impl Schedule {
    /// The occurrence starts of the series in order, from the first; at most `limit`.
    /// Daily, every workday (Mon-Fri, UTC+8), weekly, fortnightly, monthly (same day of month,
    /// skipped in months without it), quarterly, yearly [fake-decision: the doc names the
    /// types only, L584, L464].
    fn starts(&self) -> impl Iterator<Item = i64> + '_ {
        let tz = beijing();
        let first = tz.timestamp_opt(self.start, 0).single();
        let mut k: i64 = 0;
        std::iter::from_fn(move || {
            let first = first?;
            loop {
                let cand = match self.period_type {
                    0 => (k == 0).then_some(self.start),
                    1 => Some(self.start + k * 86_400),
                    2 => Some(self.start + k * 86_400).filter(|t| {
                        let wd = tz
                            .timestamp_opt(*t, 0)
                            .single()
                            .map(|d| d.weekday().number_from_monday())
                            .unwrap_or(1);
                        wd <= 5
                    }),
                    3 => Some(self.start + k * 7 * 86_400),
                    4 => Some(self.start + k * 14 * 86_400),
                    5..=7 => {
                        let months = k * match self.period_type {
                            5 => 1,
                            6 => 3,
                            _ => 12,
                        };
                        let m0 = i64::from(first.month0()) + months;
                        let year = first.year() + i32::try_from(m0.div_euclid(12)).ok()?;
                        let month = u32::try_from(m0.rem_euclid(12)).ok()? + 1;
                        first
                            .with_day(1)
                            .and_then(|d| d.with_year(year))
                            .and_then(|d| d.with_month(month))
                            .and_then(|d| d.with_day(first.day()))
                            .map(|d| d.timestamp())
                    }
                    _ => (k == 0).then_some(self.start),
                };
                if self.period_type == 0 && k > 0 {
                    return None;
                }
                k += 1;
                if k > 100_000 {
                    return None;
                }
                if let Some(t) = cand {
                    if self.period_type != 0 && self.period_end != -1 && t > self.period_end {
                        return None;
                    }
                    return Some(t);
                }
            }
        })
    }

    /// The occurrence in progress at `now`, else the next one: (start, end). None once the
    /// series is over.
    pub(crate) fn current_or_next(&self, now: i64) -> Option<(i64, i64)> {
        let len = self.end - self.start;
        self.starts().map(|s| (s, s + len)).find(|(_, e)| now < *e)
    }

    /// The end of the last occurrence (None: no end).
    pub(crate) fn last_end(&self) -> Option<i64> {
        if self.period_type != 0 && self.period_end == -1 {
            return None;
        }
        let len = self.end - self.start;
        self.starts().last().map(|s| s + len)
    }
}

impl Meeting {
    /// By the sim clock: ended by `end`, or after its last occurrence (instant: 24 h after
    /// creation); in progress inside an occurrence or after a join (until that occurrence's
    /// end); else not started.
    pub(crate) fn status(&self, now: i64) -> ConfStatus {
        if self.ended_at.is_some() {
            return ConfStatus::Ended;
        }
        if self.joined_until.is_some_and(|u| now < u) {
            return ConfStatus::InProgress;
        }
        match &self.schedule {
            None => {
                if now >= self.created_at + MAX_MEETING_SECS {
                    ConfStatus::Ended
                } else {
                    ConfStatus::NotStarted
                }
            }
            Some(s) => match s.current_or_next(now) {
                None => ConfStatus::Ended,
                Some((start, _)) if now >= start => ConfStatus::InProgress,
                Some(_) => ConfStatus::NotStarted,
            },
        }
    }

    /// When it ended (by `end` or the clock), for history records.
    pub(crate) fn end_time(&self, now: i64) -> i64 {
        if let Some(t) = self.ended_at {
            return t;
        }
        match &self.schedule {
            None => self.created_at + MAX_MEETING_SECS,
            Some(s) => s.last_end().unwrap_or(now),
        }
    }

    /// The end of the occurrence a join at `now` belongs to.
    pub(crate) fn occurrence_end(&self, now: i64) -> i64 {
        match &self.schedule {
            None => self.created_at + MAX_MEETING_SECS,
            Some(s) => s
                .current_or_next(now)
                .map(|(_, e)| e)
                .unwrap_or(now + MAX_MEETING_SECS),
        }
    }

    /// Distinct nicknames that have joined.
    pub(crate) fn members(&self) -> i64 {
        let mut names: Vec<&str> = self.joins.iter().map(|j| j.nick_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        i64::try_from(names.len()).unwrap_or(i64::MAX)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Recording {
    pub file_id: String,
    pub title: String,
    pub conf_id: i64,
    pub create_time: i64,
    pub duration: i64,
    pub size: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub schema: u32,
    #[serde(flatten)]
    pub clock: crate::clock::SimClock,
    pub options: CloudroomOptions,
    pub company_name: String,
    pub company: ApiKey,
    pub platform: ApiKey,
    /// The company creator (the sandbox user): default host (L126), owner of every meeting.
    pub creator_id: i64,
    pub users: Vec<User>,
    pub departments: Vec<Department>,
    pub companies: BTreeMap<String, Company>,
    pub meetings: BTreeMap<i64, Meeting>,
    /// Deleted meetings' ids, never reused.
    pub deleted: Vec<i64>,
    pub recordings: Vec<Recording>,
    pub last_user_id: i64,
    pub last_department_id: i64,
}

fn alnum(n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(A[rng.random_range(0..A.len())]))
        .collect()
}

pub(crate) fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

impl State {
    pub(crate) fn fresh() -> State {
        let mut rng = rand::rng();
        // 10-digit Long ids like the doc's hostId 1000141441 (L245).
        let creator_id = 1_000_000_000 + rng.random_range(100_000..900_000i64);
        let user = |id: i64, account: &str, name: &str, dept: i64, role: i64| User {
            id,
            account: account.to_owned(),
            name: name.to_owned(),
            password: alnum(12),
            mobile: None,
            email: None,
            department_id: dept,
            role_type: role,
        };
        let users = vec![
            user(
                creator_id,
                "sandbox@huiyi.test",
                "沙箱管理员",
                ROOT_DEPARTMENT,
                1,
            ),
            user(creator_id + 7, "lisi@huiyi.test", "李四", 2, 2),
            user(creator_id + 13, "wangwu@huiyi.test", "王五", 2, 3),
            user(creator_id + 21, "zhaoliu@huiyi.test", "赵六", 2, 3),
            user(
                creator_id + 34,
                "sunqi@huiyi.test",
                "孙七",
                ROOT_DEPARTMENT,
                3,
            ),
            user(
                creator_id + 55,
                "zhouba@huiyi.test",
                "周八",
                ROOT_DEPARTMENT,
                3,
            ),
        ];
        State {
            schema: STATE_SCHEMA,
            clock: crate::clock::SimClock::default(),
            options: CloudroomOptions::default(),
            company_name: "沙箱科技".to_owned(),
            // Lengths of the doc's pair (L43-L46): 18 and 32 characters.
            company: ApiKey {
                secret_id: alnum(18),
                secret_key: alnum(32),
            },
            platform: ApiKey {
                secret_id: alnum(18),
                secret_key: alnum(32),
            },
            creator_id,
            users,
            departments: vec![Department {
                id: 2,
                name: "web".to_owned(),
                parent_id: ROOT_DEPARTMENT,
            }],
            companies: BTreeMap::new(),
            meetings: BTreeMap::new(),
            deleted: Vec::new(),
            recordings: Vec::new(),
            last_user_id: creator_id + 100,
            last_department_id: 2560,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn now_s(&self) -> i64 {
        self.now().timestamp()
    }

    pub(crate) fn user(&self, id: i64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(crate) fn user_name(&self, id: i64) -> String {
        self.user(id).map(|u| u.name.clone()).unwrap_or_default()
    }

    /// A new 8-digit confId (the doc's examples, L152, L1327...).
    pub(crate) fn new_conf_id(&self) -> i64 {
        let mut rng = rand::rng();
        loop {
            let id = rng.random_range(10_000_000..100_000_000i64);
            if !self.meetings.contains_key(&id) && !self.deleted.contains(&id) {
                return id;
            }
        }
    }

    /// A 6-character short code no meeting uses (`abcdef`, L236).
    pub(crate) fn new_code(&self) -> String {
        loop {
            let c = alnum(6).to_ascii_lowercase();
            if !self
                .meetings
                .values()
                .any(|m| m.host_code == c || m.public_code == c)
            {
                return c;
            }
        }
    }

    pub(crate) fn department(&self, id: i64) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// "公司 > web > test3" (L1011): the company name for the root, then each level.
    pub(crate) fn full_path(&self, id: i64) -> String {
        let mut parts = Vec::new();
        let mut cur = id;
        for _ in 0..64 {
            if cur == ROOT_DEPARTMENT {
                break;
            }
            match self.department(cur) {
                Some(d) => {
                    parts.push(d.name.clone());
                    cur = d.parent_id;
                }
                None => break,
            }
        }
        parts.push(self.company_name.clone());
        parts.reverse();
        parts.join(" > ")
    }
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

    fn sched(period_type: i64, period_end: i64) -> Schedule {
        // 2021-06-07 20:00 +08:00 is a Monday (L1341).
        Schedule {
            start: 1_623_067_200,
            end: 1_623_074_400,
            period_type,
            period_end,
        }
    }

    #[test]
    fn occurrences() {
        let s = sched(0, 0);
        assert_eq!(s.current_or_next(0), Some((1_623_067_200, 1_623_074_400)));
        assert_eq!(s.current_or_next(1_623_074_400), None);
        // The SDK example: periodEndTime = scheduleEndTime → one occurrence (L1346).
        let s = sched(1, 1_623_074_400);
        assert_eq!(s.last_end(), Some(1_623_074_400));
        let s = sched(1, -1);
        assert_eq!(s.last_end(), None);
        assert_eq!(
            s.current_or_next(1_623_074_400),
            Some((1_623_067_200 + 86_400, 1_623_074_400 + 86_400))
        );
        // Every workday: Friday → Monday.
        let friday = 1_623_067_200 + 4 * 86_400;
        let s = sched(2, -1);
        assert_eq!(
            s.current_or_next(friday + 7200).map(|o| o.0),
            Some(friday + 3 * 86_400)
        );
        let s = sched(5, -1);
        assert_eq!(
            s.current_or_next(1_623_074_400)
                .map(|o| beijing_string(o.0)),
            Some("2021-07-07 20:00:00".to_owned())
        );
        assert_eq!(beijing_string(1_622_098_479), "2021-05-27 14:54:39");
    }
}
