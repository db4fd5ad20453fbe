//! huiyi-core <-> Tencent wire conversions (note §3): times as Unix seconds in strings, the IANA
//! `time_zone`, hosts and invitees by `userid`, guests by phone (`area` without `+`), meeting
//! states, `join_url` as an opaque attendee link, and the host key as a secret.

use chrono::{DateTime, Duration, Utc, Weekday};
use chrono_tz::Tz;
use huiyi_core::{
    Attendee, AttendeeRole, JoinLink, LinkKind, LinkRole, MeetingDraft, MeetingState,
    VendorMeeting, VendorRoom,
};

use super::wire::{
    CreateMeetingRequest, GuestInfo, GuestObj, MeetingInfo, MeetingRow, ModifyMeetingRequest,
    RecurringRuleInfo, RecurringRuleObj, RoomInfo, SubMeetingInfo, UserInfo, UserObj, INSTANCE_ID,
};

/// Meeting length assumed when an answer has no usable end time.
const DEFAULT_LENGTH_MINUTES: u32 = 60;

/// Why a draft cannot be expressed for Tencent Meeting. Says which attendee (by position and
/// name) and why; names are not secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexpressible {
    #[error("Tencent Meeting invites colleagues by user ID and guests by mobile number; attendee {0} ({1}) has neither")]
    NoUserIdOrPhone(usize, String),
    #[error("Tencent Meeting makes only colleagues (by user ID) hosts; attendee {0} ({1}) has no user ID")]
    HostWithoutUserId(usize, String),
    #[error("Tencent Meeting guests need a mobile number with its country code; attendee {0} ({1}) has {2:?}")]
    BadPhone(usize, String, String),
    #[error("Tencent Meeting takes at most {max} hosts; this meeting has {0}", max = MAX_BODY_PEOPLE)]
    TooManyHosts(usize),
    #[error("Tencent Meeting takes at most {max} invited colleagues; this meeting has {0}", max = MAX_INVITEES)]
    TooManyInvitees(usize),
    #[error("Tencent Meeting takes at most {max} guests by phone; this meeting has {0}", max = MAX_GUESTS)]
    TooManyGuests(usize),
}

/// Hosts and invitees a create or modify body may carry (note §3.1: invitees "≤300 (more →
/// use the invitees API)"). ASSUMPTION: the same cap for `hosts`, which have no API of their
/// own; the note gives no number for them.
pub const MAX_BODY_PEOPLE: usize = 300;
/// Invitees the invitees API takes (note §3.6: "Max 2000").
pub const MAX_INVITEES: usize = 2000;
/// Guests a meeting takes (note §3.1: "up to 2000").
pub const MAX_GUESTS: usize = 2000;

/// Unix seconds as the string the API wants.
pub fn to_wire_time(t: DateTime<Utc>) -> String {
    t.timestamp().to_string()
}

pub fn from_wire_time(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp(secs, 0)
}

/// ITU country calling codes are prefix-free: 1 and 7 are one digit, these are two, every other
/// code is three.
const TWO_DIGIT_CODES: [&str; 44] = [
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// `+8613800138000` -> (`86`, `13800138000`); `+85291234567` -> (`852`, `91234567`). A number
/// without `+` is taken as a mainland China number. SIP numbers and anything else give none.
pub fn split_phone(phone: &str) -> Option<(String, String)> {
    let p: String = phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let (international, digits) = match p.strip_prefix('+') {
        Some(rest) => (true, rest.to_string()),
        None => match p.strip_prefix("00") {
            Some(rest) => (true, rest.to_string()),
            None => (false, p.clone()),
        },
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !international {
        return Some(("86".into(), digits));
    }
    let code_len = if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else if digits.len() >= 2 && TWO_DIGIT_CODES.contains(&&digits[..2]) {
        2
    } else {
        3
    };
    if digits.len() <= code_len + 3 {
        return None;
    }
    Some((
        digits[..code_len].to_string(),
        digits[code_len..].to_string(),
    ))
}

/// Hosts, invitees and guests for a draft.
pub struct People {
    pub hosts: Vec<UserObj>,
    pub invitees: Vec<UserObj>,
    pub guests: Vec<GuestObj>,
}

/// Splits the attendees and checks the counts Tencent takes: hosts in the body (≤300),
/// invitees through the body or the invitees API (≤2000), guests (≤2000).
pub fn people(attendees: &[Attendee]) -> Result<People, Unexpressible> {
    let p = people_unchecked(attendees)?;
    if p.hosts.len() > MAX_BODY_PEOPLE {
        return Err(Unexpressible::TooManyHosts(p.hosts.len()));
    }
    if p.invitees.len() > MAX_INVITEES {
        return Err(Unexpressible::TooManyInvitees(p.invitees.len()));
    }
    if p.guests.len() > MAX_GUESTS {
        return Err(Unexpressible::TooManyGuests(p.guests.len()));
    }
    Ok(p)
}

fn people_unchecked(attendees: &[Attendee]) -> Result<People, Unexpressible> {
    let mut out = People {
        hosts: Vec::new(),
        invitees: Vec::new(),
        guests: Vec::new(),
    };
    for (i, a) in attendees.iter().enumerate() {
        let n = i + 1;
        let account = a
            .account
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (account, a.role, a.phone.as_deref()) {
            (Some(userid), AttendeeRole::Host, _) => out.hosts.push(UserObj {
                userid: userid.to_string(),
            }),
            (Some(userid), AttendeeRole::Participant, _) => out.invitees.push(UserObj {
                userid: userid.to_string(),
            }),
            (None, AttendeeRole::Host, _) => {
                return Err(Unexpressible::HostWithoutUserId(n, a.name.clone()))
            }
            (None, AttendeeRole::Participant, Some(phone)) => {
                let (area, phone_number) = split_phone(phone)
                    .ok_or_else(|| Unexpressible::BadPhone(n, a.name.clone(), phone.to_string()))?;
                out.guests.push(GuestObj {
                    area,
                    phone_number,
                    guest_name: (!a.name.trim().is_empty()).then(|| a.name.trim().to_string()),
                });
            }
            (None, AttendeeRole::Participant, None) => {
                return Err(Unexpressible::NoUserIdOrPhone(n, a.name.clone()))
            }
        }
    }
    Ok(out)
}

fn some_if_any<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

pub fn draft_to_create(
    draft: &MeetingDraft,
    operator: &str,
) -> Result<CreateMeetingRequest, Unexpressible> {
    let p = people(&draft.attendees)?;
    Ok(CreateMeetingRequest {
        userid: operator.to_string(),
        instanceid: INSTANCE_ID,
        subject: draft.subject.clone(),
        kind: 0,
        start_time: to_wire_time(draft.start),
        end_time: to_wire_time(draft.end()),
        meeting_type: 0,
        hosts: some_if_any(p.hosts),
        invitees: some_if_any(p.invitees),
        guests: some_if_any(p.guests),
        time_zone: draft.zone.name().to_string(),
        recurring_rule: None,
    })
}

/// The edit body: the whole definition, people included (an empty list clears them).
pub fn draft_to_modify(
    draft: &MeetingDraft,
    operator: &str,
) -> Result<ModifyMeetingRequest, Unexpressible> {
    let p = people(&draft.attendees)?;
    Ok(ModifyMeetingRequest {
        userid: operator.to_string(),
        instanceid: INSTANCE_ID,
        subject: draft.subject.clone(),
        start_time: to_wire_time(draft.start),
        end_time: to_wire_time(draft.end()),
        hosts: p.hosts,
        invitees: Some(p.invitees),
        // Guests are a Business/Enterprise/Education feature: a personal-edition account that
        // never had any does not send the field at all.
        guests: Some(p.guests),
        time_zone: draft.zone.name().to_string(),
    })
}

/// Why an answer could not become a meeting. Names the field only, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the meeting in the answer has no usable {0}")]
pub struct BadMeeting(pub &'static str);

/// `MEETING_STATE_*` (note §3.5); absent or unknown states are read from the times.
pub fn map_state(
    status: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> MeetingState {
    match status.map(str::trim) {
        Some("MEETING_STATE_INIT") => MeetingState::Scheduled,
        Some("MEETING_STATE_STARTED") => MeetingState::InProgress,
        Some("MEETING_STATE_ENDED")
        | Some("MEETING_STATE_NULL")
        | Some("MEETING_STATE_RECYCLED") => MeetingState::Ended,
        Some("MEETING_STATE_CANCELLED") | Some("MEETING_STATE_INVALID") => MeetingState::Cancelled,
        _ if now < start => MeetingState::Scheduled,
        _ if now < end => MeetingState::InProgress,
        _ => MeetingState::Ended,
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub fn meeting_to_core(m: &MeetingInfo, now: DateTime<Utc>) -> Result<VendorMeeting, BadMeeting> {
    let vendor_id = non_empty(m.meeting_id.as_ref()).ok_or(BadMeeting("meeting_id"))?;
    let start = m
        .start_time
        .and_then(from_wire_time)
        .ok_or(BadMeeting("start_time"))?;
    let duration_minutes = m
        .end_time
        .and_then(from_wire_time)
        .and_then(|end| u32::try_from((end - start).num_minutes()).ok())
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_LENGTH_MINUTES);
    let end = start + Duration::minutes(i64::from(duration_minutes));

    let mut attendees: Vec<Attendee> = Vec::new();
    let mut add_user = |u: &super::wire::UserInfo, role: AttendeeRole| {
        let Some(userid) = non_empty(u.userid.as_ref()) else {
            return;
        };
        if let Some(existing) = attendees
            .iter_mut()
            .find(|a| a.account.as_deref() == Some(userid.as_str()))
        {
            if role == AttendeeRole::Host {
                existing.role = AttendeeRole::Host;
            }
            return;
        }
        attendees.push(Attendee {
            name: non_empty(u.nick_name.as_ref()).unwrap_or_else(|| userid.clone()),
            email: None,
            phone: None,
            account: Some(userid),
            role,
        });
    };
    for h in &m.hosts {
        add_user(h, AttendeeRole::Host);
    }
    for p in &m.participants {
        add_user(p, AttendeeRole::Participant);
    }
    for g in &m.guests {
        let (Some(area), Some(number)) = (
            non_empty(g.area.as_ref()),
            non_empty(g.phone_number.as_ref()),
        ) else {
            continue;
        };
        // A masked number is useless for calling or re-submitting.
        if number.contains('*') {
            continue;
        }
        let phone = format!("+{}{number}", area.trim_start_matches('+'));
        attendees.push(Attendee {
            name: non_empty(g.guest_name.as_ref()).unwrap_or_else(|| phone.clone()),
            email: None,
            phone: Some(phone),
            account: None,
            role: AttendeeRole::Participant,
        });
    }

    let links = non_empty(m.join_url.as_ref())
        .map(|u| vec![JoinLink::new(LinkKind::Web, LinkRole::Attendee, u)])
        .unwrap_or_default();

    Ok(VendorMeeting {
        meeting_number: non_empty(m.meeting_code.as_ref()).unwrap_or_else(|| vendor_id.clone()),
        vendor_id,
        subject: m.subject.clone().unwrap_or_default(),
        start,
        duration_minutes,
        zone: m
            .time_zone
            .as_deref()
            .and_then(|z| z.trim().parse::<Tz>().ok()),
        state: map_state(m.status.as_deref(), start, end, now),
        organizer: None,
        attendees,
        guest_password: non_empty(m.password.as_ref()),
        host_password: m.host_key.clone(),
        dial_in: None,
        links,
        notify: None,
    })
}

// ---------------------------------------------------------------- native recurrence (§3.2)

/// Occurrences a series may have, checked before sending. The create doc allows 200 for
/// daily/weekday/weekly and 50 for the others, the modify and 2021 query docs say 1-50 (note
/// §3.2 FLAG): 50 holds for every type and every document.
pub const MAX_OCCURRENCES: u32 = 50;

/// How a Tencent series repeats (`recurring_type` and, for 5, `customized_recurring_*`,
/// note §3.2). The custom bit masks are the wire's; build them with [`weekday_mask`],
/// [`month_week_mask`] and [`month_date_mask`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// `recurring_type` 0.
    Daily,
    /// 1: Monday to Friday.
    Weekdays,
    /// 2.
    Weekly,
    /// 3: every two weeks.
    Biweekly,
    /// 4: on the first meeting's day of the month.
    Monthly,
    /// 5 / custom type 0: every `every` days.
    EveryDays { every: u32 },
    /// 5 / 1: every `every` weeks on the weekdays of `days` (bit0 Sunday ... bit6 Saturday).
    EveryWeeks { every: u32, days: u32 },
    /// 5 / 2: every `every` months on the first meeting's weekday in the weeks of the month
    /// of `days` (weekday bits 0-6 plus week bits 7-11: 128 = 1st week ... 2048 = 5th).
    MonthlyByWeek { every: u32, days: u32 },
    /// 5 / 3: every `every` months on the dates of `days` (bit0 = 1st ... bit30 = 31st).
    MonthlyByDate { every: u32, days: u32 },
}

/// When a series ends (`until_type`, note §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// 0: the last occurrence is on or before this day.
    Date(DateTime<Utc>),
    /// 1: this many occurrences (1 to [`MAX_OCCURRENCES`]).
    Count(u32),
}

/// A Tencent native recurring rule (`recurring_rule`, note §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecurringRule {
    pub repeat: Repeat,
    pub until: Until,
}

/// Why a rule cannot be sent; checked before any call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRule {
    #[error("Tencent Meeting series have at most {max} occurrences; {0} were asked for", max = MAX_OCCURRENCES)]
    TooManyOccurrences(u32),
    #[error("a series needs at least one occurrence")]
    NoOccurrence,
    #[error("a custom series repeats every 1 or more days, weeks or months")]
    ZeroStep,
    #[error("the days of a custom series are not a valid Tencent Meeting bit mask ({0})")]
    BadDays(u32),
}

/// Bit mask of weekdays for [`Repeat::EveryWeeks`]: bit0 Sunday ... bit6 Saturday.
pub fn weekday_mask(days: &[Weekday]) -> u32 {
    days.iter()
        .fold(0, |m, d| m | (1 << d.num_days_from_sunday()))
}

/// Bit mask for [`Repeat::MonthlyByWeek`]: the weekday bit plus one bit per week of the month
/// (1-5; 2^7 = 1st week ... 2^11 = 5th), e.g. 4th-week Monday = 2 + 1024 = 1026.
pub fn month_week_mask(weekday: Weekday, weeks: &[u8]) -> u32 {
    weeks
        .iter()
        .filter(|w| (1..=5).contains(*w))
        .fold(weekday_mask(&[weekday]), |m, w| {
            m | (1 << (6 + u32::from(*w)))
        })
}

/// Bit mask for [`Repeat::MonthlyByDate`]: bit0 = the 1st ... bit30 = the 31st.
pub fn month_date_mask(dates: &[u32]) -> u32 {
    dates
        .iter()
        .filter(|d| (1..=31).contains(*d))
        .fold(0, |m, d| m | (1 << (d - 1)))
}

/// The wire rule, refusing what Tencent would refuse or what the note advises against.
pub fn rule_to_wire(rule: &RecurringRule) -> Result<RecurringRuleObj, BadRule> {
    let mut out = RecurringRuleObj::default();
    let custom = |out: &mut RecurringRuleObj, kind: u8, every: u32, days: Option<u32>| {
        if every == 0 {
            return Err(BadRule::ZeroStep);
        }
        out.recurring_type = 5;
        out.customized_recurring_type = Some(kind);
        out.customized_recurring_step = Some(every);
        out.customized_recurring_days = days;
        Ok(())
    };
    match rule.repeat {
        Repeat::Daily => out.recurring_type = 0,
        Repeat::Weekdays => out.recurring_type = 1,
        Repeat::Weekly => out.recurring_type = 2,
        Repeat::Biweekly => out.recurring_type = 3,
        Repeat::Monthly => out.recurring_type = 4,
        Repeat::EveryDays { every } => custom(&mut out, 0, every, None)?,
        Repeat::EveryWeeks { every, days } => {
            if days == 0 || days >= 1 << 7 {
                return Err(BadRule::BadDays(days));
            }
            custom(&mut out, 1, every, Some(days))?
        }
        Repeat::MonthlyByWeek { every, days } => {
            // Exactly one weekday ("only the weekday of the first meeting is supported") and
            // at least one week of the month, nothing above bit 11.
            let weekday_bits = (days & 0x7f).count_ones();
            if weekday_bits != 1 || days & 0xf80 == 0 || days >= 1 << 12 {
                return Err(BadRule::BadDays(days));
            }
            custom(&mut out, 2, every, Some(days))?
        }
        Repeat::MonthlyByDate { every, days } => {
            if days == 0 || days >= 1 << 31 {
                return Err(BadRule::BadDays(days));
            }
            custom(&mut out, 3, every, Some(days))?
        }
    }
    match rule.until {
        Until::Date(d) => {
            out.until_type = 0;
            out.until_date = Some(d.timestamp());
        }
        Until::Count(0) => return Err(BadRule::NoOccurrence),
        Until::Count(n) if n > MAX_OCCURRENCES => return Err(BadRule::TooManyOccurrences(n)),
        Until::Count(n) => {
            out.until_type = 1;
            out.until_count = Some(n);
        }
    }
    Ok(out)
}

/// The rule a query shows, when it is one we know; none otherwise.
pub fn rule_from_wire(r: &RecurringRuleInfo) -> Option<RecurringRule> {
    let step = || {
        r.customized_recurring_step
            .and_then(|s| u32::try_from(s).ok())
            .filter(|s| *s > 0)
            .unwrap_or(1)
    };
    let days = || {
        r.customized_recurring_days
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(0)
    };
    let repeat = match (r.recurring_type.unwrap_or(0), r.customized_recurring_type) {
        (0, _) => Repeat::Daily,
        (1, _) => Repeat::Weekdays,
        (2, _) => Repeat::Weekly,
        (3, _) => Repeat::Biweekly,
        (4, _) => Repeat::Monthly,
        (5, None | Some(0)) => Repeat::EveryDays { every: step() },
        (5, Some(1)) => Repeat::EveryWeeks {
            every: step(),
            days: days(),
        },
        (5, Some(2)) => Repeat::MonthlyByWeek {
            every: step(),
            days: days(),
        },
        (5, Some(3)) => Repeat::MonthlyByDate {
            every: step(),
            days: days(),
        },
        _ => return None,
    };
    let until = match r.until_type.unwrap_or(0) {
        1 => Until::Count(u32::try_from(r.until_count?).ok()?),
        _ => Until::Date(r.until_date.and_then(from_wire_time)?),
    };
    Some(RecurringRule { repeat, until })
}

/// One occurrence of a series (`sub_meetings[]`, note §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Opaque (the doc example's equal the start timestamp; note §3.2 FLAG).
    pub sub_meeting_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `status` 1: this occurrence was cancelled on its own.
    pub cancelled: bool,
}

/// A series as Tencent holds it.
#[derive(Debug, Clone)]
pub struct Series {
    /// The series as one meeting (its first occurrence's times, subject, people, links).
    pub meeting: VendorMeeting,
    /// The rule, when the answer carries one we can read.
    pub rule: Option<RecurringRule>,
    /// Every occurrence the vendor listed, cancelled ones included, by start time.
    pub occurrences: Vec<Occurrence>,
    /// `remain_sub_meetings`: occurrences still to come.
    pub remaining: Option<u32>,
    /// `current_sub_meeting_id`: the ongoing or next occurrence.
    pub current_sub_meeting_id: Option<String>,
    /// The vendor said it left occurrences out and no other answer supplied them.
    pub incomplete: bool,
}

/// The listed sub-meetings; entries without an ID or a start are left out. A missing end is
/// the start plus `length`.
pub fn occurrences(subs: &[SubMeetingInfo], length: Duration) -> Vec<Occurrence> {
    let mut out: Vec<Occurrence> = subs
        .iter()
        .filter_map(|s| {
            let id = non_empty(s.sub_meeting_id.as_ref())?;
            let start = s.start_time.and_then(from_wire_time)?;
            let end = s
                .end_time
                .and_then(from_wire_time)
                .filter(|e| *e > start)
                .unwrap_or(start + length);
            Some(Occurrence {
                sub_meeting_id: id,
                start,
                end,
                cancelled: s.status.unwrap_or(0) == 1,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.start, &a.sub_meeting_id).cmp(&(b.start, &b.sub_meeting_id)));
    out.dedup_by(|a, b| a.sub_meeting_id == b.sub_meeting_id);
    out
}

pub fn series_from_wire(m: &MeetingInfo, now: DateTime<Utc>) -> Result<Series, BadMeeting> {
    let meeting = meeting_to_core(m, now)?;
    let length = Duration::minutes(i64::from(meeting.duration_minutes));
    Ok(Series {
        rule: m.recurring_rule.as_ref().and_then(rule_from_wire),
        occurrences: occurrences(&m.sub_meetings, length),
        remaining: m.remain_sub_meetings.and_then(|r| u32::try_from(r).ok()),
        current_sub_meeting_id: non_empty(m.current_sub_meeting_id.as_ref()),
        incomplete: m.more_sub_meetings(),
        meeting,
    })
}

// ---------------------------------------------------------------- people (§3.6, §3.7)

/// A colleague on the invitees list (note §3.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub userid: String,
    pub nick_name: Option<String>,
}

pub fn invitee_from_wire(u: &UserInfo) -> Option<Invitee> {
    Some(Invitee {
        userid: non_empty(u.userid.as_ref())?,
        nick_name: non_empty(u.nick_name.as_ref()),
    })
}

/// An external guest by phone (note §3.7), in international form (`+8613800138000`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub phone: String,
    pub name: Option<String>,
}

/// The wire guest: `area` without `+`/`00`, the national number apart.
pub fn guest_to_wire(g: &Guest) -> Option<GuestObj> {
    let (area, phone_number) = split_phone(&g.phone)?;
    Some(GuestObj {
        area,
        phone_number,
        guest_name: g
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    })
}

/// A guest as read back; masked or incomplete numbers are left out.
pub fn guest_from_wire(g: &GuestInfo) -> Option<Guest> {
    let area = non_empty(g.area.as_ref())?;
    let number = non_empty(g.phone_number.as_ref()).filter(|n| !n.contains('*'))?;
    Some(Guest {
        phone: format!("+{}{number}", area.trim_start_matches('+')),
        name: non_empty(g.guest_name.as_ref()),
    })
}

// ---------------------------------------------------------------- lists (§3.5, §3.9)

/// A meeting (or one occurrence of a series) of the user's that has ended (note §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedMeeting {
    pub meeting_id: String,
    pub meeting_code: Option<String>,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The occurrence, for a series.
    pub sub_meeting_id: Option<String>,
}

pub fn ended_from_wire(r: &MeetingRow) -> Option<EndedMeeting> {
    let start = r.start_time.and_then(from_wire_time)?;
    Some(EndedMeeting {
        meeting_id: non_empty(r.meeting_id.as_ref())?,
        meeting_code: non_empty(r.meeting_code.as_ref()),
        subject: r.subject.clone().unwrap_or_default(),
        end: r
            .end_time
            .and_then(from_wire_time)
            .filter(|e| *e >= start)
            .unwrap_or(start),
        start,
        sub_meeting_id: non_empty(r.sub_meeting_id.as_ref()),
    })
}

/// A meeting holding a Tencent Meeting Rooms room (note §3.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomMeeting {
    pub meeting_id: String,
    pub meeting_code: Option<String>,
    /// Empty while the booking hides it (`subject_visible` false, until an hour before).
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: MeetingState,
}

pub fn room_meeting_from_wire(r: &MeetingRow, now: DateTime<Utc>) -> Option<RoomMeeting> {
    let start = r.start_time.and_then(from_wire_time)?;
    let end = r
        .end_time
        .and_then(from_wire_time)
        .filter(|e| *e > start)
        .unwrap_or(start + Duration::minutes(i64::from(DEFAULT_LENGTH_MINUTES)));
    Some(RoomMeeting {
        meeting_id: non_empty(r.meeting_id.as_ref())?,
        meeting_code: non_empty(r.meeting_code.as_ref()),
        subject: r.subject.clone().unwrap_or_default(),
        state: map_state(r.status.as_deref(), start, end, now),
        start,
        end,
    })
}

/// A room as the vendor lists it; one without an ID cannot be booked and is left out. Book-rooms
/// answers carry no `scheduled_status`: a room it returns was just booked, so it is bookable.
pub fn room_to_core(r: &RoomInfo) -> Option<VendorRoom> {
    let vendor_id = r.meeting_room_id.clone().filter(|s| !s.trim().is_empty())?;
    Some(VendorRoom {
        name: r
            .meeting_room_name
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| vendor_id.clone()),
        location: r
            .meeting_room_location
            .clone()
            .filter(|s| !s.trim().is_empty()),
        capacity: r
            .participant_number
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0),
        bookable: r.scheduled_status.is_none_or(|s| s == 1),
        vendor_id,
    })
}

// ---------------------------------------------------------------- from Huiyi's series

/// Dates a prediction walks at most (a series holds at most [`MAX_OCCURRENCES`]).
const MAX_PERIODS: u32 = 5000;

/// The local dates Tencent is expected to give for `repeat` from the first meeting's date
/// `first`, at most `count`, with weeks starting on `week_start` (for a custom weekly rule
/// every N > 1 weeks: undocumented, so callers try both Sunday and Monday). ASSUMPTIONS (note
/// §3.2 documents the types, not the arithmetic): dates are local dates in the meeting's
/// `time_zone` and every meeting keeps the first one's wall-clock time; "monthly" (type 4) is
/// the first meeting's day of the month; the "n-th week" of a monthly-by-week rule is the n-th
/// such weekday of the month (the note's "2nd Thursday"), and a month without a 5th is skipped
/// (documented). `Err(day)`: a day of the month some month in range lacks, where Tencent's
/// behaviour is not documented.
pub fn recurring_dates(
    repeat: Repeat,
    first: chrono::NaiveDate,
    count: usize,
    week_start: Weekday,
) -> Result<Vec<chrono::NaiveDate>, u32> {
    use chrono::{Datelike, Months, NaiveDate};
    let mut out: Vec<NaiveDate> = Vec::new();
    let month_dates = |k: u32, every: u32, days: &[u32], out: &mut Vec<NaiveDate>| {
        let Some(month) = first
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(k * every)))
        else {
            return Ok(false);
        };
        for &d in days {
            match month.with_day(d) {
                Some(date) if date >= first => out.push(date),
                Some(_) => {}
                None => return Err(d),
            }
        }
        Ok(true)
    };
    let mask_days = |mask: u32| -> Vec<u32> { (0..31).filter(|b| mask & (1 << b) != 0).collect() };
    let mut k: u32 = 0;
    while out.len() < count && k < MAX_PERIODS {
        match repeat {
            Repeat::Daily | Repeat::EveryDays { .. } => {
                let every = match repeat {
                    Repeat::EveryDays { every } => every.max(1),
                    _ => 1,
                };
                out.push(first + Duration::days(i64::from(k) * i64::from(every)));
            }
            Repeat::Weekdays => {
                let d = first + Duration::days(i64::from(k));
                if d.weekday().num_days_from_monday() < 5 {
                    out.push(d);
                }
            }
            Repeat::Weekly => out.push(first + Duration::weeks(i64::from(k))),
            Repeat::Biweekly => out.push(first + Duration::weeks(2 * i64::from(k))),
            Repeat::EveryWeeks { every, days } => {
                let back = (7 + first.weekday().num_days_from_sunday()
                    - week_start.num_days_from_sunday())
                    % 7;
                let base = first - Duration::days(i64::from(back))
                    + Duration::weeks(i64::from(k) * i64::from(every.max(1)));
                let mut week: Vec<NaiveDate> = (0..7)
                    .map(|i| base + Duration::days(i))
                    .filter(|d| days & (1 << d.weekday().num_days_from_sunday()) != 0)
                    .filter(|d| *d >= first)
                    .collect();
                week.sort_unstable();
                out.extend(week);
            }
            Repeat::Monthly => {
                if !month_dates(k, 1, &[first.day()], &mut out)? {
                    break;
                }
            }
            Repeat::MonthlyByDate { every, days } => {
                let days: Vec<u32> = mask_days(days).into_iter().map(|b| b + 1).collect();
                if !month_dates(k, every.max(1), &days, &mut out)? {
                    break;
                }
            }
            Repeat::MonthlyByWeek { every, days } => {
                let Some(month) = first
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(Months::new(k * every.max(1))))
                else {
                    break;
                };
                let Some(weekday) = (0..7u32)
                    .find(|b| days & (1 << b) != 0)
                    .map(|b| Weekday::try_from(((b + 6) % 7) as u8).expect("0..7"))
                else {
                    break;
                };
                let offset = (7 + weekday.num_days_from_monday()
                    - month.weekday().num_days_from_monday())
                    % 7;
                for n in 1..=5u32 {
                    if days & (1 << (6 + n)) == 0 {
                        continue;
                    }
                    let d = month + Duration::days(i64::from(offset + 7 * (n - 1)));
                    if d.month() == month.month() && d >= first {
                        out.push(d);
                    }
                }
            }
        }
        k += 1;
    }
    out.truncate(count);
    Ok(out)
}

/// The Tencent rule that holds exactly the meetings of `series`' rule (DTSTART, RRULE, zone;
/// EXDATEs become [`super::TencentClient::cancel_occurrence`] and moved occurrences
/// [`super::TencentClient::move_occurrence`] after the create), or why there is none, in the
/// report's words. Structural first (which `recurring_type` / custom type and bit mask), then
/// checked by comparing [`recurring_dates`] with the series' own expansion, so a difference in
/// calendar arithmetic (short months, week starts) is refused, never booked wrong. The end is
/// always sent as a count (`until_type` 1): exact whatever Tencent does with an end date.
pub fn recurring_rule_from_series(
    series: &huiyi_core::Series,
) -> Result<RecurringRule, huiyi_core::PlanReason> {
    use chrono::Datelike;
    use huiyi_core::series::resolve_local;
    use huiyi_core::{Frequency, PlanReason, RuleEnd};

    series
        .validate()
        .map_err(|problems| PlanReason::Invalid { problems })?;
    let retitled = huiyi_core::series_plan::retitled_occurrences(series);
    if retitled > 0 {
        return Err(PlanReason::RetitledOccurrences { count: retitled });
    }
    let mut bare = series.clone();
    bare.exdates.clear();
    bare.overrides.clear();
    let zone = bare.tz().ok_or_else(|| PlanReason::Zone {
        zone: bare.zone.clone(),
    })?;
    let rule = &bare.rule;
    let by_day_text = || {
        rule.by_day
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    if rule.freq == Frequency::Yearly {
        return Err(PlanReason::Yearly);
    }
    if !rule.by_set_pos.is_empty() {
        return Err(PlanReason::SetPos);
    }
    if let Some(d) = rule
        .by_day
        .iter()
        .find(|d| d.ordinal.is_some_and(|n| n < 0))
    {
        return Err(PlanReason::OrdinalWeekday {
            by_day: d.to_string(),
        });
    }
    if rule.end == RuleEnd::Never {
        return Err(PlanReason::NoEnd);
    }
    let expansion = bare
        .expand(huiyi_core::series::MAX_OCCURRENCES)
        .map_err(|problems| PlanReason::Invalid { problems })?;
    let count = expansion.occurrences.len();
    if count > MAX_OCCURRENCES as usize || expansion.truncated {
        return Err(PlanReason::TooManyOccurrences {
            max: MAX_OCCURRENCES as usize,
            got: count,
        });
    }
    if !expansion.start_matches_rule {
        return Err(PlanReason::StartOffRule {
            start: bare.start.format("%Y-%m-%d %H:%M").to_string(),
        });
    }

    let first = bare.start.date();
    let first_wd = first.weekday();
    let n = rule.interval;
    let plain: Vec<Weekday> = {
        let mut v: Vec<Weekday> = rule
            .by_day
            .iter()
            .filter(|d| d.ordinal.is_none())
            .map(|d| d.weekday.to_chrono())
            .collect();
        v.sort_by_key(|d| d.num_days_from_monday());
        v.dedup();
        v
    };
    let workdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    let repeat = match rule.freq {
        Frequency::Daily => {
            if !rule.by_month_day.is_empty() {
                return Err(PlanReason::DailyFiltered);
            }
            match (rule.by_day.is_empty(), n) {
                (true, 1) => Repeat::Daily,
                (true, every) => Repeat::EveryDays { every },
                (false, 1) if plain == workdays => Repeat::Weekdays,
                (false, _) => return Err(PlanReason::DailyFiltered),
            }
        }
        Frequency::Weekly => {
            let days = if plain.is_empty() {
                vec![first_wd]
            } else {
                plain.clone()
            };
            match n {
                1 if days == workdays => Repeat::Weekdays,
                1 if days == [first_wd] => Repeat::Weekly,
                2 if days == [first_wd] => Repeat::Biweekly,
                every => Repeat::EveryWeeks {
                    every,
                    days: weekday_mask(&days),
                },
            }
        }
        Frequency::Monthly => {
            if !rule.by_day.is_empty() && !rule.by_month_day.is_empty() {
                return Err(PlanReason::DayAndDate);
            }
            if !rule.by_day.is_empty() {
                // Monthly by week of the month: one weekday, the first meeting's.
                if rule
                    .by_day
                    .iter()
                    .any(|d| d.weekday.to_chrono() != first_wd)
                {
                    return Err(PlanReason::SeveralWeekdays {
                        by_day: by_day_text(),
                    });
                }
                let weeks: Vec<u8> = if rule.by_day.iter().any(|d| d.ordinal.is_none()) {
                    vec![1, 2, 3, 4, 5]
                } else {
                    rule.by_day
                        .iter()
                        .filter_map(|d| d.ordinal)
                        .map(|o| o as u8)
                        .collect()
                };
                Repeat::MonthlyByWeek {
                    every: n,
                    days: month_week_mask(first_wd, &weeks),
                }
            } else {
                if let Some(&d) = rule.by_month_day.iter().find(|d| **d < 0) {
                    return Err(PlanReason::NegativeMonthDay { day: d });
                }
                let mut days: Vec<u32> = rule.by_month_day.iter().map(|d| *d as u32).collect();
                if days.is_empty() {
                    days.push(first.day());
                }
                days.sort_unstable();
                days.dedup();
                if n == 1 && days == [first.day()] {
                    Repeat::Monthly
                } else {
                    Repeat::MonthlyByDate {
                        every: n,
                        days: month_date_mask(&days),
                    }
                }
            }
        }
        Frequency::Yearly => return Err(PlanReason::Yearly),
    };
    let out = RecurringRule {
        repeat,
        until: Until::Count(count as u32),
    };
    if let Err(e) = rule_to_wire(&out) {
        return Err(match e {
            BadRule::TooManyOccurrences(got) => PlanReason::TooManyOccurrences {
                max: MAX_OCCURRENCES as usize,
                got: got as usize,
            },
            _ => PlanReason::Differs {
                series: None,
                vendor: None,
                hint: None,
            },
        });
    }

    let time = bare.start.time();
    let ours: Vec<DateTime<Utc>> = expansion
        .occurrences
        .iter()
        .map(|o| o.start.with_timezone(&Utc))
        .collect();
    let theirs = |week_start: Weekday| -> Result<Vec<DateTime<Utc>>, PlanReason> {
        let dates = recurring_dates(repeat, first, count, week_start)
            .map_err(|day| PlanReason::ShortMonthDay { day })?;
        Ok(dates
            .into_iter()
            .map(|d| resolve_local(d.and_time(time), zone).with_timezone(&Utc))
            .collect())
    };
    let sunday = theirs(Weekday::Sun)?;
    let monday = theirs(Weekday::Mon)?;
    let hint = (sunday != monday).then_some(huiyi_core::DiffHint::WeekStart);
    for predicted in [&sunday, &monday] {
        if let Some(reason) = PlanReason::first_difference(&ours, predicted, zone, hint) {
            return Err(reason);
        }
    }
    Ok(out)
}

/// What Tencent will do with `series`: its native recurring meeting when
/// [`recurring_rule_from_series`] finds an exact rule, single meetings otherwise.
pub fn series_plan(series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
    use huiyi_core::{NativeKind, SeriesPlan, VendorKind};
    match recurring_rule_from_series(series) {
        Ok(_) => SeriesPlan::native(
            VendorKind::Tencent,
            NativeKind::TencentRecurring,
            series,
            false,
        ),
        Err(reason) => SeriesPlan::local(VendorKind::Tencent, series, vec![reason]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use huiyi_core::Notifications;
    use secrecy::ExposeSecret;
    use serde_json::json;

    fn attendee(name: &str, account: Option<&str>, phone: Option<&str>, host: bool) -> Attendee {
        Attendee {
            name: name.into(),
            email: None,
            phone: phone.map(Into::into),
            account: account.map(Into::into),
            role: if host {
                AttendeeRole::Host
            } else {
                AttendeeRole::Participant
            },
        }
    }

    fn draft(attendees: Vec<Attendee>) -> MeetingDraft {
        MeetingDraft {
            subject: "周会".into(),
            start: Utc.with_ymd_and_hms(2030, 8, 30, 12, 0, 0).unwrap(),
            duration_minutes: 45,
            zone: "Asia/Shanghai".parse().unwrap(),
            attendees,
            notify: Notifications::default(),
            ports: None,
            registration: false,
            password: None,
        }
    }

    #[test]
    fn phones_split_into_area_and_number() {
        let s = |p: &str| split_phone(p).map(|(a, n)| format!("{a}|{n}"));
        assert_eq!(s("+8613800138000").as_deref(), Some("86|13800138000"));
        assert_eq!(s("008613800138000").as_deref(), Some("86|13800138000"));
        assert_eq!(s("13800138000").as_deref(), Some("86|13800138000"));
        assert_eq!(s("+85291234567").as_deref(), Some("852|91234567"));
        assert_eq!(s("+14155550123").as_deref(), Some("1|4155550123"));
        assert_eq!(s("+447700900123").as_deref(), Some("44|7700900123"));
        assert_eq!(s("+886912345678").as_deref(), Some("886|912345678"));
        assert_eq!(s("sip:1234@x"), None);
        assert_eq!(s("+86"), None);
    }

    #[test]
    fn a_draft_becomes_the_create_body_with_string_times() {
        let d = draft(vec![
            attendee("张三", Some("zhangsan"), None, false),
            attendee("李四", Some("lisi"), None, true),
            attendee("Guest", None, Some("+8613800138000"), false),
        ]);
        let v = serde_json::to_value(draft_to_create(&d, "tester1").unwrap()).unwrap();
        assert_eq!(
            v,
            json!({
                "userid": "tester1", "instanceid": 1, "subject": "周会", "type": 0,
                "start_time": "1914321600", "end_time": "1914324300", "meeting_type": 0,
                "hosts": [{"userid": "lisi"}], "invitees": [{"userid": "zhangsan"}],
                "guests": [{"area": "86", "phone_number": "13800138000", "guest_name": "Guest"}],
                "time_zone": "Asia/Shanghai"
            })
        );
        let empty = serde_json::to_value(draft_to_create(&draft(vec![]), "t").unwrap()).unwrap();
        assert!(empty.get("hosts").is_none() && empty.get("invitees").is_none());
        let m = serde_json::to_value(draft_to_modify(&draft(vec![]), "t").unwrap()).unwrap();
        assert_eq!(m["hosts"], json!([]));
        assert_eq!(m["invitees"], json!([]));
        assert_eq!(m["guests"], json!([]));
        assert!(m.get("type").is_none());
    }

    #[test]
    fn what_tencent_cannot_express_is_refused_with_the_reason() {
        let mut email_only = attendee("Ann", None, None, false);
        email_only.email = Some("ann@example.com".into());
        assert_eq!(
            draft_to_create(&draft(vec![email_only]), "t").unwrap_err(),
            Unexpressible::NoUserIdOrPhone(1, "Ann".into())
        );
        assert!(matches!(
            draft_to_create(
                &draft(vec![attendee("B", None, Some("+8613800138000"), true)]),
                "t"
            ),
            Err(Unexpressible::HostWithoutUserId(1, _))
        ));
        assert!(matches!(
            draft_to_create(
                &draft(vec![attendee("C", None, Some("sip:99"), false)]),
                "t"
            ),
            Err(Unexpressible::BadPhone(1, _, _))
        ));
    }

    #[test]
    fn an_answer_becomes_a_meeting_with_the_join_url_public_and_the_host_key_secret() {
        let info: MeetingInfo = serde_json::from_value(json!({
            "meeting_id": "10418246224797450687", "meeting_code": "806146667",
            "subject": "周会", "status": "MEETING_STATE_INIT",
            "start_time": "1914321600", "end_time": 1914324300,
            "join_url": "https://meeting.tencent.com/dm/uaa3D5n4vtjY",
            "password": "1234", "host_key": "654321", "time_zone": "Asia/Shanghai",
            "hosts": [{"userid": "lisi"}],
            "participants": [{"userid": "zhangsan", "nick_name": "张三"}, {"userid": "lisi"}],
            "guests": [{"area": "86", "phone_number": "13800138000", "guest_name": "Guest"}]
        }))
        .unwrap();
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let m = meeting_to_core(&info, now).unwrap();
        assert_eq!(m.vendor_id, "10418246224797450687");
        assert_eq!(m.meeting_number, "806146667");
        assert_eq!(
            m.start,
            Utc.with_ymd_and_hms(2030, 8, 30, 12, 0, 0).unwrap()
        );
        assert_eq!(m.duration_minutes, 45);
        assert_eq!(m.zone, Some(chrono_tz::Asia::Shanghai));
        assert_eq!(m.state, MeetingState::Scheduled);
        assert_eq!(m.guest_password.as_deref(), Some("1234"));
        assert_eq!(m.host_password.as_ref().unwrap().expose_secret(), "654321");
        assert_eq!(m.links.len(), 1);
        assert_eq!(
            m.links[0].public_url(),
            Some("https://meeting.tencent.com/dm/uaa3D5n4vtjY")
        );
        assert_eq!(m.links[0].kind, LinkKind::Web);
        let people: Vec<_> = m
            .attendees
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.account.as_deref(),
                    a.phone.as_deref(),
                    a.role,
                )
            })
            .collect();
        assert_eq!(
            people,
            vec![
                ("lisi", Some("lisi"), None, AttendeeRole::Host),
                ("张三", Some("zhangsan"), None, AttendeeRole::Participant),
                (
                    "Guest",
                    None,
                    Some("+8613800138000"),
                    AttendeeRole::Participant
                ),
            ]
        );
        assert!(!format!("{m:?}").contains("654321"));
    }

    #[test]
    fn the_notes_custom_rule_examples_give_its_bit_masks() {
        use chrono::Weekday::*;
        assert_eq!(weekday_mask(&[Mon, Tue]), 6);
        assert_eq!(weekday_mask(&[Sun, Sat]), 1 + 64);
        assert_eq!(month_week_mask(Mon, &[4]), 1026);
        assert_eq!(month_week_mask(Thu, &[2]), 16 + 256);
        assert_eq!(
            month_week_mask(Mon, &[0, 6]),
            2,
            "weeks outside 1-5 are ignored"
        );
        assert_eq!(month_date_mask(&[1, 26]), 33554433);
        assert_eq!(month_date_mask(&[31]), 1 << 30);
    }

    #[test]
    fn rules_go_to_the_wire_and_come_back() {
        let until = Utc.with_ymd_and_hms(2030, 9, 26, 0, 0, 0).unwrap();
        let rules = [
            (Repeat::Daily, 0, None),
            (Repeat::Weekdays, 1, None),
            (Repeat::Weekly, 2, None),
            (Repeat::Biweekly, 3, None),
            (Repeat::Monthly, 4, None),
            (Repeat::EveryDays { every: 3 }, 5, Some(0)),
            (Repeat::EveryWeeks { every: 3, days: 6 }, 5, Some(1)),
            (
                Repeat::MonthlyByWeek {
                    every: 3,
                    days: 1026,
                },
                5,
                Some(2),
            ),
            (
                Repeat::MonthlyByDate {
                    every: 3,
                    days: 33554433,
                },
                5,
                Some(3),
            ),
        ];
        for (repeat, kind, custom) in rules {
            for until in [Until::Count(7), Until::Date(until)] {
                let rule = RecurringRule { repeat, until };
                let w = rule_to_wire(&rule).unwrap();
                assert_eq!(w.recurring_type, kind);
                assert_eq!(w.customized_recurring_type, custom);
                let v = serde_json::to_value(&w).unwrap();
                assert!(!v.to_string().contains("null"));
                let back: RecurringRuleInfo = serde_json::from_value(v).unwrap();
                assert_eq!(rule_from_wire(&back), Some(rule));
            }
        }
        // The query side may send numbers as strings.
        let r: RecurringRuleInfo = serde_json::from_value(json!({
            "recurring_type": "5", "until_type": "1", "until_count": "4",
            "customized_recurring_type": "1", "customized_recurring_step": "3",
            "customized_recurring_days": "6"
        }))
        .unwrap();
        assert_eq!(
            rule_from_wire(&r),
            Some(RecurringRule {
                repeat: Repeat::EveryWeeks { every: 3, days: 6 },
                until: Until::Count(4)
            })
        );
        assert_eq!(
            rule_to_wire(&RecurringRule {
                repeat: Repeat::Weekly,
                until: Until::Count(51)
            }),
            Err(BadRule::TooManyOccurrences(51))
        );
    }

    #[test]
    fn too_many_people_for_tencent_are_refused_with_the_count() {
        let n = |k: usize, host: bool, phone: bool| -> Vec<Attendee> {
            (0..k)
                .map(|i| {
                    if phone {
                        attendee("g", None, Some(&format!("+86138{i:08}")), false)
                    } else {
                        attendee("u", Some(&format!("u{i}")), None, host)
                    }
                })
                .collect()
        };
        assert!(people(&n(2000, false, false)).is_ok());
        assert!(people(&n(2000, false, true)).is_ok());
        assert!(people(&n(300, true, false)).is_ok());
        assert_eq!(
            people(&n(2001, false, false)).err(),
            Some(Unexpressible::TooManyInvitees(2001))
        );
        assert_eq!(
            people(&n(2001, false, true)).err(),
            Some(Unexpressible::TooManyGuests(2001))
        );
        assert_eq!(
            people(&n(301, true, false)).err(),
            Some(Unexpressible::TooManyHosts(301))
        );
    }

    #[test]
    fn states_follow_the_status_table_then_the_clock() {
        let s = Utc.with_ymd_and_hms(2030, 1, 1, 10, 0, 0).unwrap();
        let e = s + Duration::hours(1);
        let before = s - Duration::hours(1);
        assert_eq!(
            map_state(Some("MEETING_STATE_STARTED"), s, e, before),
            MeetingState::InProgress
        );
        assert_eq!(
            map_state(Some("MEETING_STATE_CANCELLED"), s, e, before),
            MeetingState::Cancelled
        );
        assert_eq!(
            map_state(Some("MEETING_STATE_RECYCLED"), s, e, before),
            MeetingState::Ended
        );
        assert_eq!(map_state(None, s, e, before), MeetingState::Scheduled);
        assert_eq!(
            map_state(Some("???"), s, e, s + Duration::minutes(5)),
            MeetingState::InProgress
        );
        assert_eq!(map_state(None, s, e, e), MeetingState::Ended);
    }
}
