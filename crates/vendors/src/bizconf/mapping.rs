//! huiyi-core <-> BizConf wire conversions. The only place that knows BizConf's time format:
//! every time, sent or returned, is a GMT wall-clock string `yyyy-MM-dd HH:mm:ss` without a
//! zone (L13-15, L146), e.g. Beijing 2017-01-10 12:00:00 is sent as `2017-01-10 04:00:00`.
//! Registrants' times are ISO-8601 UTC instead (`2022-09-23T01:30:00Z`, L3821).
//!
//! Links: `protocolHostStartUrl` (`sfcloud://…/start?…&token=…`) and `hostStartUrl` carry host
//! rights and become [`LinkRole::Host`] links, which never leave Rust unredacted;
//! `protocolJoinUrl` (`sfcloud://…/join?…`) and `joinUrl`/`webClientJoin` are attendee links
//! (note §5). A link of the wrong shape (a protocol link that is not `sfcloud://`, a web link
//! that is not http(s)) is dropped rather than offered for opening.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use huiyi_core::{JoinLink, LinkKind, LinkRole, MeetingDraft, MeetingState, VendorMeeting};
use secrecy::{ExposeSecret, SecretString};

use super::wire::{AddedRegistrant, ConfInfo, ConfModify2, ConfReservation, Form, RegistrantInfo};

/// The wire time format (L146).
pub const WIRE_TIME: &str = "%Y-%m-%d %H:%M:%S";
/// The scheme of BizConf's client links (L10, L411, L419).
pub const PROTOCOL_SCHEME: &str = "sfcloud://";
/// Ports one meeting may ask for in a form. ASSUMPTION: the document gives no upper bound for
/// `confParties` (L303-308); the real limit is the site's concurrent total, which
/// [`super::BizconfClient::port_usage`] reads per time window. This only catches typos.
pub const MAX_PORTS: u32 = 1000;
/// Ports reserved when the draft names none. ASSUMPTION: the document has no default
/// (`confParties` is required, L303-308); 10 leaves room for a small meeting, and a draft with
/// more attendees gets one port per attendee plus the host.
pub const DEFAULT_PORTS: u32 = 10;
/// `userId` "长度不能超过32位" (L212).
pub const MAX_USER_ID_CHARS: usize = 32;
/// Meeting length assumed when an answer has no usable duration.
const DEFAULT_LENGTH_MINUTES: u32 = 60;
/// Characters and sequences a `confName` must not contain (L254, L1755).
const FORBIDDEN_IN_NAME: [&str; 13] = [
    "\\", "/", ":", "*", "?", "？", "\"", "<", ">", "|", "&lt;", "&gt;", "\n",
];

/// Why a draft cannot be sent to BizConf as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexpressible {
    #[error("BizConf does not accept {0:?} in a meeting subject; remove it")]
    ForbiddenInSubject(String),
    #[error("BizConf reserves 1 to {max} ports for a meeting; {0} were asked for", max = MAX_PORTS)]
    Ports(u32),
    #[error("a BizConf meeting lasts at least a minute")]
    NoDuration,
    #[error("the BizConf user id must be 1 to {max} characters", max = MAX_USER_ID_CHARS)]
    UserId,
    #[error("the current meeting password could not be read, and changing the meeting without it would remove it")]
    PasswordUnknown,
}

/// An answer that does not describe a meeting we can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadMeeting {
    #[error("a meeting without an id")]
    NoId,
    #[error("meeting {0} has no readable start time")]
    NoStart(String),
}

/// An instant as BizConf's GMT string.
pub fn to_wire_time(t: DateTime<Utc>) -> String {
    t.format(WIRE_TIME).to_string()
}

/// BizConf's GMT string as an instant; also reads it without seconds.
pub fn from_wire_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, WIRE_TIME)
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()
        .map(|n| n.and_utc())
}

/// Whole minutes from `start` to `end`, a started minute counting as one.
pub fn minutes_between(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<u32> {
    let secs = (end - start).num_seconds();
    if secs <= 0 {
        return None;
    }
    u32::try_from((secs + 59) / 60).ok()
}

pub fn check_subject(subject: &str) -> Result<(), Unexpressible> {
    match FORBIDDEN_IN_NAME.iter().find(|f| subject.contains(**f)) {
        Some(f) => Err(Unexpressible::ForbiddenInSubject((*f).to_string())),
        None => Ok(()),
    }
}

pub fn check_user_id(user_id: &str) -> Result<(), Unexpressible> {
    let n = user_id.chars().count();
    if n == 0 || n > MAX_USER_ID_CHARS {
        return Err(Unexpressible::UserId);
    }
    Ok(())
}

fn checked_ports(p: u32) -> Result<u32, Unexpressible> {
    if (1..=MAX_PORTS).contains(&p) {
        Ok(p)
    } else {
        Err(Unexpressible::Ports(p))
    }
}

/// The ports to reserve for a new meeting: the draft's, else `default` or one per attendee plus
/// the host, whichever is more.
pub fn ports_for(draft: &MeetingDraft, default: u32) -> Result<u32, Unexpressible> {
    match draft.ports {
        Some(p) => checked_ports(p),
        None => {
            let people = u32::try_from(draft.attendees.len())
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            Ok(default.max(people).clamp(1, MAX_PORTS))
        }
    }
}

/// 2.1 `confReservation` for a draft. Attendees are not sent: BizConf has no invitation or
/// attendee endpoint (note §4 feature map); they only size the default ports.
pub fn draft_to_reservation(
    draft: &MeetingDraft,
    user_name: &str,
    default_ports: u32,
) -> Result<ConfReservation, Unexpressible> {
    check_subject(&draft.subject)?;
    if draft.duration_minutes == 0 {
        return Err(Unexpressible::NoDuration);
    }
    Ok(ConfReservation {
        user_name: user_name.to_string(),
        conf_name: draft.subject.clone(),
        start_time: to_wire_time(draft.start),
        duration: draft.duration_minutes,
        conf_parties: ports_for(draft, default_ports)?,
        registration: draft.registration,
    })
}

/// 2.12 `confModify2` for an edit of `current` (read just before). The password is the one
/// the meeting has, because an empty `confPassword` removes it (L1762): when the answer did not
/// say what it is, the edit is refused rather than risk removing it. Ports the draft leaves
/// open keep the meeting's current count. Registration cannot change: 2.12 has no
/// `registrationType` (L1716-1899), so the meeting keeps what it was booked with.
pub fn draft_to_modify(
    conf_id: &str,
    draft: &MeetingDraft,
    current: &ConfInfo,
    default_ports: u32,
) -> Result<ConfModify2, Unexpressible> {
    check_subject(&draft.subject)?;
    if draft.duration_minutes == 0 {
        return Err(Unexpressible::NoDuration);
    }
    let conf_password = current
        .conf_password
        .clone()
        .ok_or(Unexpressible::PasswordUnknown)?;
    let current_ports = current
        .conf_parties
        .and_then(|p| u32::try_from(p).ok())
        .filter(|p| *p >= 1);
    let conf_parties = match (draft.ports, current_ports) {
        (Some(p), _) => checked_ports(p)?,
        (None, Some(p)) => p,
        (None, None) => ports_for(draft, default_ports)?,
    };
    Ok(ConfModify2 {
        conf_id: conf_id.to_string(),
        conf_name: draft.subject.clone(),
        conf_password,
        start_time: to_wire_time(draft.start),
        duration: draft.duration_minutes,
        conf_parties,
        before_time: current.before_time.filter(|b| *b >= 0),
        interpretation: current.interpretation,
        // "默认为0" is not a defined value (only 1-3, L380): resent only when it is one.
        audio: current.audio.filter(|a| (1..=3).contains(a)),
        waiting_room: current.waiting_room,
    })
}

/// `confStatus` and `confDelFlag` as a state (L176-179). An unknown or missing status is read
/// from the clock.
pub fn state(
    conf_status: Option<i64>,
    del_flag: Option<i64>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> MeetingState {
    if del_flag == Some(2) {
        return MeetingState::Cancelled;
    }
    match conf_status {
        Some(0) => MeetingState::Scheduled,
        Some(2) => MeetingState::InProgress,
        Some(3) => MeetingState::Ended,
        Some(9) => MeetingState::Cancelled,
        _ if now < start => MeetingState::Scheduled,
        _ if now < end => MeetingState::InProgress,
        _ => MeetingState::Ended,
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn is_web(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(char::is_whitespace)
}

fn is_protocol(url: &str) -> bool {
    url.to_ascii_lowercase().starts_with(PROTOCOL_SCHEME) && !url.chars().any(char::is_whitespace)
}

fn secret_link(kind: LinkKind, role: LinkRole, url: &Option<SecretString>) -> Option<JoinLink> {
    let u = url.as_ref()?.expose_secret().trim();
    let ok = match kind {
        LinkKind::Web => is_web(u),
        LinkKind::Protocol => is_protocol(u),
    };
    ok.then(|| JoinLink::new(kind, role, u))
}

fn public_link(kind: LinkKind, url: &Option<String>) -> Option<JoinLink> {
    let u = non_empty(url)?;
    let ok = match kind {
        LinkKind::Web => is_web(&u),
        LinkKind::Protocol => is_protocol(&u),
    };
    ok.then(|| JoinLink::new(kind, LinkRole::Attendee, u))
}

/// The meeting's links, attendee links first: the web join page, the web client, the
/// `sfcloud://` join link; then the host's `sfcloud://` start link and web start page.
pub fn links(c: &ConfInfo) -> Vec<JoinLink> {
    [
        public_link(LinkKind::Web, &c.join_url),
        public_link(LinkKind::Web, &c.web_client_join),
        public_link(LinkKind::Protocol, &c.protocol_join_url),
        secret_link(
            LinkKind::Protocol,
            LinkRole::Host,
            &c.protocol_host_start_url,
        ),
        secret_link(LinkKind::Web, LinkRole::Host, &c.host_start_url),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A meeting of the API as huiyi-core's.
pub fn meeting_to_core(c: &ConfInfo, now: DateTime<Utc>) -> Result<VendorMeeting, BadMeeting> {
    let vendor_id = non_empty(&c.conf_id).ok_or(BadMeeting::NoId)?;
    let start = c
        .start_time
        .as_deref()
        .and_then(from_wire_time)
        .ok_or_else(|| BadMeeting::NoStart(vendor_id.clone()))?;
    let duration_minutes = c
        .duration
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_LENGTH_MINUTES);
    let end = start + Duration::minutes(i64::from(duration_minutes));
    let dial_in = match (non_empty(&c.video_phone), non_empty(&c.video_conf)) {
        (Some(phones), Some(conf)) => Some(format!("{phones} ({conf})")),
        (Some(phones), None) => Some(phones),
        _ => None,
    };
    Ok(VendorMeeting {
        meeting_number: non_empty(&c.conf_number).unwrap_or_else(|| vendor_id.clone()),
        vendor_id,
        subject: c.conf_name.clone().unwrap_or_default(),
        start,
        duration_minutes,
        // Every BizConf time is GMT; the meeting holds no zone of its own.
        zone: None,
        state: state(c.conf_status, c.conf_del_flag, start, end, now),
        organizer: non_empty(&c.user_name),
        // No attendee list exists for a scheduled meeting (note §4 feature map).
        attendees: Vec::new(),
        guest_password: non_empty(&c.conf_password),
        // The host key is a per-user value of 2.21/2.29, not part of a meeting.
        host_password: None,
        dial_in,
        links: links(c),
        notify: None,
    })
}

/// A meeting of the site lists (2.8-2.10, L1295-1324): any user's meeting of the site, with
/// the fields only those lists give.
#[derive(Debug, Clone)]
pub struct SiteMeeting {
    pub meeting: VendorMeeting,
    /// The booker's `userId`.
    pub user_id: Option<String>,
    /// Ports (方数) reserved.
    pub ports: Option<u32>,
    /// Minutes the meeting may start early.
    pub before_minutes: Option<u32>,
    /// The live-stream watch page (public by design).
    pub watch_url: Option<String>,
    pub interpretation: bool,
}

pub fn site_meeting(c: &ConfInfo, now: DateTime<Utc>) -> Result<SiteMeeting, BadMeeting> {
    Ok(SiteMeeting {
        meeting: meeting_to_core(c, now)?,
        user_id: non_empty(&c.user_id),
        ports: c.conf_parties.and_then(|p| u32::try_from(p).ok()),
        before_minutes: c.before_time.and_then(|p| u32::try_from(p).ok()),
        watch_url: non_empty(&c.watch_url).filter(|u| is_web(u)),
        interpretation: c.interpretation == Some(1),
    })
}

// ---------------------------------------------------------------- registration (3.31-3.33)

/// A standard registration question's field (3.31 `questions[].field_name`, L3617-3619).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardField {
    LastName,
    Address,
    City,
    Country,
    Zip,
    State,
    Phone,
    Industry,
    Org,
    JobTitle,
    PurchasingTimeFrame,
    RoleInPurchaseProcess,
    NoOfEmployees,
    Comments,
}

impl StandardField {
    pub fn as_str(self) -> &'static str {
        use StandardField::*;
        match self {
            LastName => "last_name",
            Address => "address",
            City => "city",
            Country => "country",
            Zip => "zip",
            State => "state",
            Phone => "phone",
            Industry => "industry",
            Org => "org",
            JobTitle => "job_title",
            PurchasingTimeFrame => "purchasing_time_frame",
            RoleInPurchaseProcess => "role_in_purchase_process",
            NoOfEmployees => "no_of_employees",
            Comments => "comments",
        }
    }
}

/// A standard question: which field, and whether it must be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardQuestion {
    pub field: StandardField,
    pub required: bool,
}

/// `custom_questions[].type` (L3597-3600): free text or one of `answers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomQuestionKind {
    Short,
    Single,
}

impl CustomQuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomQuestionKind::Short => "short",
            CustomQuestionKind::Single => "single",
        }
    }
}

/// A question of the meeting's own (L3562-3600).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomQuestion {
    pub title: String,
    pub kind: CustomQuestionKind,
    /// The choices of a `Single` question.
    pub answers: Vec<String>,
    pub required: bool,
}

/// What 3.31 `updateRegistrationQuestions` sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationQuestions {
    pub standard: Vec<StandardQuestion>,
    pub custom: Vec<CustomQuestion>,
}

/// How an array travels in a form body is not documented (note §6.25). ASSUMPTION: as its JSON
/// text in one field, `custom_questions=[{"answers":["Good"],…}]`, the shape of L3566-3575.
fn json_text(v: &serde_json::Value) -> String {
    v.to_string()
}

/// The form fields of 3.31 after `confId`; empty lists are left out.
pub fn questions_form(q: &RegistrationQuestions) -> Form {
    let mut f: Form = Vec::new();
    if !q.custom.is_empty() {
        let v: Vec<serde_json::Value> = q
            .custom
            .iter()
            .map(|c| {
                serde_json::json!({
                    "answers": c.answers, "required": c.required,
                    "title": c.title, "type": c.kind.as_str()
                })
            })
            .collect();
        f.push(("custom_questions", json_text(&serde_json::Value::from(v))));
    }
    if !q.standard.is_empty() {
        let v: Vec<serde_json::Value> = q
            .standard
            .iter()
            .map(|s| serde_json::json!({"field_name": s.field.as_str(), "required": s.required}))
            .collect();
        f.push(("questions", json_text(&serde_json::Value::from(v))));
    }
    f
}

/// A person to register (3.32, L3682-3811): `first_name` and `email` are required.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewRegistrant {
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub org: Option<String>,
    pub job_title: Option<String>,
    /// Two letters, China = `CN` (L3727).
    pub country: Option<String>,
    pub comments: Option<String>,
    /// `(title, answer)`; an answer is at most 128 characters (L3769).
    pub answers: Vec<(String, String)>,
    /// One of the document's enum (`zh-CN`, `en-US`, …, L3803-3804).
    pub language: Option<String>,
    /// `auto_approve`; `None` = BizConf's default, true (L3811).
    pub auto_approve: Option<bool>,
}

impl std::fmt::Debug for NewRegistrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A person's contact details stay out of logs.
        f.debug_struct("NewRegistrant")
            .field("answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

/// The most characters of one custom answer (L3769).
pub const MAX_ANSWER_CHARS: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRegistrant {
    #[error("a registrant needs a name and an email address")]
    Missing,
    #[error("the answer to {0:?} is longer than {max} characters", max = MAX_ANSWER_CHARS)]
    AnswerTooLong(String),
}

/// The form fields of 3.32 after `confId`.
pub fn registrant_form(r: &NewRegistrant) -> Result<Form, BadRegistrant> {
    let first = r.first_name.trim();
    let email = r.email.trim();
    if first.is_empty() || email.is_empty() {
        return Err(BadRegistrant::Missing);
    }
    if let Some((title, _)) = r
        .answers
        .iter()
        .find(|(_, v)| v.chars().count() > MAX_ANSWER_CHARS)
    {
        return Err(BadRegistrant::AnswerTooLong(title.clone()));
    }
    let mut f: Form = vec![("first_name", first.into()), ("email", email.into())];
    let optional = [
        ("last_name", &r.last_name),
        ("phone", &r.phone),
        ("org", &r.org),
        ("job_title", &r.job_title),
        ("country", &r.country),
        ("comments", &r.comments),
        ("language", &r.language),
    ];
    f.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| non_empty(v).map(|v| (k, v))),
    );
    if !r.answers.is_empty() {
        let v: Vec<serde_json::Value> = r
            .answers
            .iter()
            .map(|(title, value)| serde_json::json!({"title": title, "value": value}))
            .collect();
        f.push(("custom_questions", json_text(&serde_json::Value::from(v))));
    }
    if let Some(a) = r.auto_approve {
        f.push(("auto_approve", a.to_string()));
    }
    Ok(f)
}

/// A registrant's state (3.33 `status`, L3877-3882).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrantStatus {
    Pending,
    Approved,
    Denied,
}

impl RegistrantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrantStatus::Pending => "pending",
            RegistrantStatus::Approved => "approved",
            RegistrantStatus::Denied => "denied",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrantStatus> {
        [
            RegistrantStatus::Pending,
            RegistrantStatus::Approved,
            RegistrantStatus::Denied,
        ]
        .into_iter()
        .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// The answer of 3.32: the registrant and their **personal** join link (secret: it admits
/// that person; give it to them and nobody else).
#[derive(Clone)]
pub struct Registration {
    pub registrant_id: String,
    /// The `id` of the answer, which looks like the meeting number (note §6.6).
    pub meeting_number: Option<String>,
    pub topic: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub join_url: SecretString,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("registrant_id", &self.registrant_id)
            .field("meeting_number", &self.meeting_number)
            .field("start", &self.start)
            .field("join_url", &"[redacted]")
            .finish()
    }
}

/// One registrant of 3.33.
#[derive(Clone)]
pub struct Registrant {
    pub id: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub status: Option<RegistrantStatus>,
    pub created: Option<DateTime<Utc>>,
    /// `(title, answer)` of the custom questions.
    pub answers: Vec<(String, String)>,
    /// The personal join link (secret).
    pub join_url: Option<SecretString>,
}

impl std::fmt::Debug for Registrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Contact details and the personal link stay out of logs.
        f.debug_struct("Registrant")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

fn iso_time(s: &Option<String>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.as_deref()?.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn registration_from_wire(a: &AddedRegistrant) -> Option<Registration> {
    Some(Registration {
        registrant_id: non_empty(&a.registrant_id)?,
        meeting_number: non_empty(&a.id),
        topic: non_empty(&a.topic),
        start: iso_time(&a.start_time),
        join_url: a
            .join_url
            .as_ref()
            .filter(|u| is_web(u.expose_secret()))?
            .clone(),
    })
}

pub fn registrant_from_wire(r: &RegistrantInfo) -> Option<Registrant> {
    Some(Registrant {
        id: non_empty(&r.id)?,
        first_name: r.first_name.clone().unwrap_or_default(),
        last_name: non_empty(&r.last_name),
        email: non_empty(&r.email),
        status: r.status.as_deref().and_then(RegistrantStatus::parse),
        created: iso_time(&r.create_time),
        answers: r
            .custom_questions
            .iter()
            .filter_map(|q| Some((q.title.clone()?, q.value.clone().unwrap_or_default())))
            .collect(),
        join_url: r
            .join_url
            .as_ref()
            .filter(|u| is_web(u.expose_secret()))
            .cloned(),
    })
}

/// A listed registrant as Huiyi shows them; `listed_as` is the status the list was asked for,
/// used when the entry does not say its own.
pub fn registrant_to_core(r: Registrant, listed_as: RegistrantStatus) -> huiyi_core::Registrant {
    let name = match r
        .last_name
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        Some(last) => format!("{} {last}", r.first_name.trim()),
        None => r.first_name.trim().to_string(),
    };
    huiyi_core::Registrant {
        id: r.id,
        name,
        email: r.email,
        state: match r.status.unwrap_or(listed_as) {
            RegistrantStatus::Pending => huiyi_core::RegistrationState::Pending,
            RegistrantStatus::Approved => huiyi_core::RegistrationState::Approved,
            RegistrantStatus::Denied => huiyi_core::RegistrationState::Denied,
        },
        registered_at: r.created,
        join_url: r.join_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Asia::Shanghai;
    use huiyi_core::Notifications;
    use serde_json::json;

    fn draft() -> MeetingDraft {
        MeetingDraft {
            subject: "周会".into(),
            start: Utc.with_ymd_and_hms(2030, 8, 30, 4, 0, 0).unwrap(),
            duration_minutes: 45,
            zone: Shanghai,
            attendees: Vec::new(),
            notify: Notifications::default(),
            ports: None,
            registration: false,
            password: None,
        }
    }

    /// The document's own example (L14-15): a meeting at Beijing 2017-01-10 12:00:00 is sent
    /// as 2017-01-10 04:00:00.
    #[test]
    fn beijing_noon_is_sent_as_four_in_the_morning_gmt() {
        let beijing = Shanghai.with_ymd_and_hms(2017, 1, 10, 12, 0, 0).unwrap();
        let wire = to_wire_time(beijing.with_timezone(&Utc));
        assert_eq!(wire, "2017-01-10 04:00:00");
        assert_eq!(
            from_wire_time(&wire).unwrap().with_timezone(&Shanghai),
            beijing
        );
        // The sample start of L421 read back.
        assert_eq!(
            from_wire_time("2021-11-24 06:10:00"),
            Some(Utc.with_ymd_and_hms(2021, 11, 24, 6, 10, 0).unwrap())
        );
        assert_eq!(from_wire_time("2021-11-24T06:10:00+08:00"), None);
    }

    #[test]
    fn subjects_with_forbidden_characters_are_refused_before_sending() {
        for bad in [
            "Q3: budget",
            "a/b",
            "why?",
            "全角？",
            "x&lt;y",
            "two\nlines",
            "a|b",
        ] {
            assert!(check_subject(bad).is_err(), "{bad}");
        }
        assert!(check_subject("周会 - Q3 (budget) #1").is_ok());
        let mut d = draft();
        d.subject = "Q3: budget".into();
        assert_eq!(
            draft_to_reservation(&d, "张三", DEFAULT_PORTS),
            Err(Unexpressible::ForbiddenInSubject(":".into()))
        );
    }

    #[test]
    fn a_reservation_carries_gmt_time_minutes_ports_and_registration_when_asked() {
        let mut d = draft();
        let r = draft_to_reservation(&d, "张三", DEFAULT_PORTS).unwrap();
        assert_eq!(r.start_time, "2030-08-30 04:00:00");
        assert_eq!((r.duration, r.conf_parties), (45, DEFAULT_PORTS));
        assert!(!r.form().iter().any(|(k, _)| *k == "registrationType"));
        d.ports = Some(3);
        d.registration = true;
        let f = draft_to_reservation(&d, "张三", DEFAULT_PORTS)
            .unwrap()
            .form();
        assert!(f.contains(&("confParties", "3".into())));
        assert!(f.contains(&("registrationType", "1".into())));
        d.ports = Some(0);
        assert_eq!(
            draft_to_reservation(&d, "张三", DEFAULT_PORTS),
            Err(Unexpressible::Ports(0))
        );
    }

    #[test]
    fn default_ports_grow_with_the_attendees() {
        let mut d = draft();
        d.attendees = (0..24)
            .map(|i| huiyi_core::Attendee {
                name: format!("p{i}"),
                email: Some(format!("p{i}@example.com")),
                phone: None,
                account: None,
                role: huiyi_core::AttendeeRole::Participant,
            })
            .collect();
        assert_eq!(ports_for(&d, DEFAULT_PORTS), Ok(25));
    }

    fn sample_b() -> ConfInfo {
        // 2.12's answer (L1906-1934), comments removed and quotes straightened.
        serde_json::from_value(json!({
            "protocolHostStartUrl": "sfcloud://www.confcloud.cn/start?confno=1508220020&sid=Ig01w1XmQrmA9CaXH00k7g&stype=100&uid=Ig01w1XmQrmA9CaXH00k7g&uname=binson&token=ZTnk9i1Xzu9zMCKrGbvRAOZ-KAoZOzmdbunguG18LQM.BgMgK3RWdmUxVEtucTB5UTIvdTJLOW1LWTRLOWFiOXAyYmhAZjNhYmRjNDQ5MWQ5YWE5ODg1ODgzZjFkZjNhOGRmMWY4YjZhMmY4ZDQxZThiOTA1NWFhZjNjNjAzMGQ4NDJjNwAMM0NCQXVvaVlTM3M9",
            "hostStartUrl": "http://virtual_wat.bizvideo.cn/j/1104353/8EB2C95A729297D3142041C2E6A79881",
            "confStatus": 0, "roomId": 1096468, "confPassword": "123456", "optionJbh": 0,
            "startTime": "2017-06-26 15:30:00", "optionVideoParticipants": 0, "confId": 110435,
            "duration": 30, "h323pwd": "166072", "confName": "斌斌好", "confParties": 15,
            "userId": "1129908",
            "joinUrl": "http://virtual_wat.bizvideo.cn/j/1104354/3F891ED40DD65158F3D10DE24C0CAB33",
            "userName": "binson", "confDelFlag": 1, "rcIps": "", "optionVideoHost": 0,
            "protocolJoinUrl": "sfcloud://www.confcloud.cn/join?confno=1508220020&pwd=123456",
            "confNumber": "1508220020", "videoConf": " 1508220020",
            "videoPhone": " 86-10-56294788,86-10-56294688", "beforeTime": 20,
            "watchUrl": "http://online.bizconfstreaming.cn/watch/rm2k94mds",
            "watermark": 0, "interpretation": 1, "audio": 1
        }))
        .unwrap()
    }

    #[test]
    fn the_modify_answer_of_the_document_maps_with_host_links_kept_secret() {
        let now = Utc.with_ymd_and_hms(2017, 6, 1, 0, 0, 0).unwrap();
        let m = meeting_to_core(&sample_b(), now).unwrap();
        assert_eq!(m.vendor_id, "110435");
        assert_eq!(m.meeting_number, "1508220020");
        assert_eq!(m.subject, "斌斌好");
        assert_eq!(
            m.start,
            Utc.with_ymd_and_hms(2017, 6, 26, 15, 30, 0).unwrap()
        );
        assert_eq!(m.duration_minutes, 30);
        assert_eq!(m.state, MeetingState::Scheduled);
        assert_eq!(m.organizer.as_deref(), Some("binson"));
        assert_eq!(m.guest_password.as_deref(), Some("123456"));
        assert_eq!(
            m.dial_in.as_deref(),
            Some("86-10-56294788,86-10-56294688 (1508220020)")
        );
        let kinds: Vec<(LinkKind, LinkRole)> = m.links.iter().map(|l| (l.kind, l.role)).collect();
        assert_eq!(
            kinds,
            [
                (LinkKind::Web, LinkRole::Attendee),
                (LinkKind::Protocol, LinkRole::Attendee),
                (LinkKind::Protocol, LinkRole::Host),
                (LinkKind::Web, LinkRole::Host),
            ]
        );
        assert_eq!(
            m.links[1].public_url(),
            Some("sfcloud://www.confcloud.cn/join?confno=1508220020&pwd=123456")
        );
        assert!(m.links[2]
            .url
            .expose_secret()
            .starts_with("sfcloud://www.confcloud.cn/start?"));
        let dbg = format!("{m:?}");
        assert!(!dbg.contains("ZTnk9i1Xzu9zMCKrGbvRAOZ"), "{dbg}");
        assert!(!dbg.contains("8EB2C95A729297D3142041C2E6A79881"), "{dbg}");
    }

    #[test]
    fn states_follow_conf_status_and_the_delete_flag() {
        let t = |h| Utc.with_ymd_and_hms(2030, 1, 1, h, 0, 0).unwrap();
        let (start, end) = (t(10), t(11));
        assert_eq!(
            state(Some(0), Some(1), start, end, t(9)),
            MeetingState::Scheduled
        );
        assert_eq!(
            state(Some(2), None, start, end, t(9)),
            MeetingState::InProgress
        );
        assert_eq!(state(Some(3), None, start, end, t(9)), MeetingState::Ended);
        assert_eq!(
            state(Some(9), None, start, end, t(9)),
            MeetingState::Cancelled
        );
        assert_eq!(
            state(Some(0), Some(2), start, end, t(9)),
            MeetingState::Cancelled
        );
        assert_eq!(
            state(None, None, start, end, t(10)),
            MeetingState::InProgress
        );
        assert_eq!(state(Some(1), None, start, end, t(12)), MeetingState::Ended);
    }

    #[test]
    fn links_of_the_wrong_shape_are_dropped() {
        let c: ConfInfo = serde_json::from_value(json!({
            "confId": 1, "startTime": "2030-01-01 00:00:00",
            "protocolJoinUrl": "javascript:alert(1)", "joinUrl": "ftp://x/j/14/A",
            "webClientJoin": "https://cc.bizvideo.cn/wc/join/1?pwd=&prefer=1",
            "protocolHostStartUrl": "https://not-a-protocol/start"
        }))
        .unwrap();
        let l = links(&c);
        assert_eq!(l.len(), 1);
        assert_eq!(
            l[0].public_url(),
            Some("https://cc.bizvideo.cn/wc/join/1?pwd=&prefer=1")
        );
    }

    #[test]
    fn an_edit_keeps_the_password_and_the_current_ports_and_refuses_when_it_cannot_know() {
        let current = sample_b();
        let m = draft_to_modify("110435", &draft(), &current, DEFAULT_PORTS).unwrap();
        let f = m.form();
        assert!(f.contains(&("confPassword", "123456".into())));
        assert!(f.contains(&("confParties", "15".into())), "ports kept");
        assert!(f.contains(&("beforeTime", "20".into())));
        assert!(f.contains(&("interpretation", "1".into())));
        assert!(f.contains(&("audio", "1".into())));
        assert!(!f
            .iter()
            .any(|(k, _)| *k == "watermark" || *k == "optionJbh"));
        let mut d = draft();
        d.ports = Some(40);
        let f = draft_to_modify("110435", &d, &current, DEFAULT_PORTS)
            .unwrap()
            .form();
        assert!(f.contains(&("confParties", "40".into())));
        // A meeting without a password stays without one: "" is what it had.
        let open = ConfInfo {
            conf_password: Some(String::new()),
            ..sample_b()
        };
        let f = draft_to_modify("110435", &draft(), &open, DEFAULT_PORTS)
            .unwrap()
            .form();
        assert!(f.contains(&("confPassword", String::new())));
        // Unknown: refused, never sent empty.
        let unknown = ConfInfo {
            conf_password: None,
            ..sample_b()
        };
        assert_eq!(
            draft_to_modify("110435", &draft(), &unknown, DEFAULT_PORTS),
            Err(Unexpressible::PasswordUnknown)
        );
    }

    #[test]
    fn question_and_registrant_forms() {
        let q = RegistrationQuestions {
            standard: vec![StandardQuestion {
                field: StandardField::LastName,
                required: true,
            }],
            custom: vec![CustomQuestion {
                title: "How are you?".into(),
                kind: CustomQuestionKind::Short,
                answers: vec!["Good".into()],
                required: true,
            }],
        };
        let f = questions_form(&q);
        let custom: serde_json::Value = serde_json::from_str(&f[0].1).unwrap();
        // The sample of L3566-3575.
        assert_eq!(
            custom,
            json!([{"answers": ["Good"], "required": true, "title": "How are you?", "type": "short"}])
        );
        let standard: serde_json::Value = serde_json::from_str(&f[1].1).unwrap();
        assert_eq!(
            standard,
            json!([{"field_name": "last_name", "required": true}])
        );
        assert!(questions_form(&RegistrationQuestions::default()).is_empty());

        let r = NewRegistrant {
            first_name: "Jill".into(),
            email: "jchill@example.com".into(),
            answers: vec![("how old are you?".into(), "18".into())],
            auto_approve: Some(false),
            ..Default::default()
        };
        let f = registrant_form(&r).unwrap();
        assert_eq!(f[0], ("first_name", "Jill".into()));
        assert_eq!(f[1], ("email", "jchill@example.com".into()));
        assert!(f.contains(&("auto_approve", "false".into())));
        assert!(!format!("{r:?}").contains("jchill"));
        let long = NewRegistrant {
            answers: vec![("t".into(), "x".repeat(129))],
            ..r.clone()
        };
        assert_eq!(
            registrant_form(&long),
            Err(BadRegistrant::AnswerTooLong("t".into()))
        );
        let nameless = NewRegistrant {
            first_name: " ".into(),
            ..r
        };
        assert_eq!(registrant_form(&nameless), Err(BadRegistrant::Missing));
    }
}
