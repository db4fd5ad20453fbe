//! CloudRoom wire <-> huiyi-core: drafts into create/modify bodies, `confDetail` and list
//! records into [`VendorMeeting`], the coarse `periodType` recurrence, meeting passwords and the
//! `CRMT:` join string.

use chrono::{DateTime, Utc};
use huiyi_core::{
    Attendee, AttendeeRole, JoinLink, LinkKind, LinkRole, MeetingDraft, MeetingState,
    Notifications, VendorMeeting,
};
use secrecy::ExposeSecret;
use serde_json::Value;

use super::wire::{
    ConfDetail, CreateRequest, ListRecord, ModifyRequest, OrderConfig, OrderConfigRead,
};

/// "会议主题不能超过50个字符" (22212, L1137). Counted in Unicode scalars; Java counts UTF-16
/// units, which is the same for Chinese and differs only for characters beyond the BMP (emoji),
/// so those are counted twice here to stay under the server's count.
pub const MAX_SUBJECT_CHARS: usize = 50;
/// "预约时间不能超过24小时" (22222, L1147).
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;
/// "联席主持人个数不能超过四个" (22234, L1159).
pub const MAX_COHOSTS: usize = 4;
/// "昵称不能大于30个字符" (22232, L1157).
pub const MAX_NICKNAME_CHARS: usize = 30;
/// A CRMT string longer than this is not taken for one (the sample is 105 characters; the
/// cap only keeps an absurd answer from reaching the OS URL handler).
pub const MAX_CRMT_LEN: usize = 8192;

/// Why a request cannot be expressed for CloudRoom; said before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexpressible {
    #[error("CloudRoom needs a meeting subject")]
    EmptySubject,
    #[error("CloudRoom subjects are at most 50 characters (this one has {0})")]
    SubjectTooLong(usize),
    #[error("CloudRoom meetings last from 1 minute to 24 hours ({0} minutes asked)")]
    Duration(u32),
    #[error("CloudRoom meeting passwords are 4 to 6 digits")]
    BadPassword,
    #[error("CloudRoom invites people by their CloudRoom user id (a number) only; {0} has none")]
    NoUserId(String),
    #[error("CloudRoom allows at most 4 co-hosts ({0} asked)")]
    TooManyCohosts(usize),
    #[error("the account's CloudRoom user id is not a number")]
    BadAccountUserId,
    #[error("a CloudRoom nickname is 1 to 30 characters")]
    BadNickname,
    #[error("the recurrence cannot be booked on CloudRoom: {0}")]
    BadRecurrence(&'static str),
}

/// Digits of a meeting password (L129, 22210).
pub const PASSWORD_MIN_DIGITS: usize = 4;
pub const PASSWORD_MAX_DIGITS: usize = 6;

/// A meeting password as CloudRoom takes it: 4 to 6 ASCII digits (L129, 22210). Kept a string
/// so that a leading zero survives.
#[derive(Clone, PartialEq, Eq)]
pub struct MeetingPassword(String);

impl MeetingPassword {
    pub fn parse(s: &str) -> Result<MeetingPassword, Unexpressible> {
        let s = s.trim();
        if (PASSWORD_MIN_DIGITS..=PASSWORD_MAX_DIGITS).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(MeetingPassword(s.to_string()))
        } else {
            Err(Unexpressible::BadPassword)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for MeetingPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MeetingPassword([redacted])")
    }
}

/// `periodType` (L584, L464). Creating takes 1-5 only (L584; 22220 otherwise); 6 and 7 are
/// seen in lists (L464) and anything else is kept as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// 1 每天.
    Daily,
    /// 2 每个工作日 (which days are workdays is CloudRoom's business: holidays unknown).
    Workdays,
    /// 3 每周, on the first occurrence's weekday.
    Weekly,
    /// 4 每两周.
    Fortnightly,
    /// 5 每月, on the first occurrence's day of the month.
    Monthly,
    /// 6 每季度: read only.
    Quarterly,
    /// 7 每年: read only.
    Yearly,
    /// Any other value read.
    Other(i64),
}

impl Period {
    pub fn from_wire(v: i64) -> Option<Period> {
        Some(match v {
            0 => return None,
            1 => Period::Daily,
            2 => Period::Workdays,
            3 => Period::Weekly,
            4 => Period::Fortnightly,
            5 => Period::Monthly,
            6 => Period::Quarterly,
            7 => Period::Yearly,
            other => Period::Other(other),
        })
    }

    pub fn to_wire(self) -> i64 {
        match self {
            Period::Daily => 1,
            Period::Workdays => 2,
            Period::Weekly => 3,
            Period::Fortnightly => 4,
            Period::Monthly => 5,
            Period::Quarterly => 6,
            Period::Yearly => 7,
            Period::Other(v) => v,
        }
    }

    /// Whether a create or modify may send it (L584: 0-5).
    pub fn bookable(self) -> bool {
        (1..=5).contains(&self.to_wire())
    }
}

/// When a periodic meeting stops (`periodEndTime`, L585).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodEnd {
    /// `-1`: no end.
    Never,
    /// The series ends at this instant (Unix seconds on the wire).
    At(DateTime<Utc>),
    /// Read only: the answer held no readable end (the query example's `""`, L254).
    Unknown,
}

/// CloudRoom's whole recurrence model: a kind and an end. One `confId` for the series, no
/// weekday choice, interval, count, exception or per-occurrence operation (note §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub period: Period,
    pub end: PeriodEnd,
}

impl Recurrence {
    /// `periodType` + `periodEndTime` as read; `None` for a one-off meeting.
    pub fn from_wire(period_type: Option<i64>, period_end: Option<i64>) -> Option<Recurrence> {
        let period = Period::from_wire(period_type?)?;
        let end = match period_end {
            Some(-1) => PeriodEnd::Never,
            Some(s) if s > 0 => DateTime::from_timestamp(s, 0)
                .map(PeriodEnd::At)
                .unwrap_or(PeriodEnd::Unknown),
            _ => PeriodEnd::Unknown,
        };
        Some(Recurrence { period, end })
    }

    /// `(periodType, periodEndTime)` to send, checked against the first occurrence's start
    /// (22221: the end must not be before the start).
    fn to_wire(self, start: DateTime<Utc>) -> Result<(i64, i64), Unexpressible> {
        if !self.period.bookable() {
            return Err(Unexpressible::BadRecurrence(
                "CloudRoom books daily, workday, weekly, fortnightly or monthly series only",
            ));
        }
        let end = match self.end {
            PeriodEnd::Never => -1,
            PeriodEnd::At(t) if t >= start => t.timestamp(),
            PeriodEnd::At(_) => {
                return Err(Unexpressible::BadRecurrence(
                    "the series would end before it starts",
                ))
            }
            PeriodEnd::Unknown => {
                return Err(Unexpressible::BadRecurrence(
                    "the series needs an end or none",
                ))
            }
        };
        Ok((self.period.to_wire(), end))
    }
}

/// Checks the subject (22209, 22212).
fn subject(draft: &MeetingDraft) -> Result<String, Unexpressible> {
    let s = draft.subject.trim();
    if s.is_empty() {
        return Err(Unexpressible::EmptySubject);
    }
    let utf16 = s.encode_utf16().count();
    if utf16 > MAX_SUBJECT_CHARS {
        return Err(Unexpressible::SubjectTooLong(utf16));
    }
    Ok(s.to_string())
}

fn order_config(
    draft: &MeetingDraft,
    recurrence: Option<Recurrence>,
) -> Result<OrderConfig, Unexpressible> {
    if draft.duration_minutes == 0 || draft.duration_minutes > MAX_DURATION_MINUTES {
        return Err(Unexpressible::Duration(draft.duration_minutes));
    }
    let (period_type, period_end_time) = match recurrence {
        Some(r) => {
            let (t, e) = r.to_wire(draft.start)?;
            (t, Some(e))
        }
        None => (0, None),
    };
    Ok(OrderConfig {
        schedule_time: draft.start.timestamp(),
        schedule_end_time: draft.end().timestamp(),
        period_type,
        period_end_time,
    })
}

/// A user id as CloudRoom takes it: a Long (L126-128).
pub fn user_id(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|v| *v > 0)
}

/// Who the draft names: invitees (`inviteIds` / `inviteeIds`) and co-hosts
/// (`assistantInfos`), by CloudRoom user id, without the host and without repeats.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct People {
    pub invitees: Vec<i64>,
    pub cohosts: Vec<i64>,
}

/// Attendees must carry their CloudRoom user id in `account` (the document invites by id only,
/// note §9.7); one without is refused rather than silently left out. A `Host` attendee becomes
/// a co-host (联席主持人, L128): the host itself is the account's user (`hostId`).
pub fn people(draft: &MeetingDraft, host: Option<i64>) -> Result<People, Unexpressible> {
    let mut out = People::default();
    for a in &draft.attendees {
        let Some(id) = a.account.as_deref().and_then(user_id) else {
            let who = if a.name.trim().is_empty() {
                a.email.clone().or(a.phone.clone()).unwrap_or_default()
            } else {
                a.name.clone()
            };
            return Err(Unexpressible::NoUserId(who));
        };
        if Some(id) == host {
            continue;
        }
        let list = match a.role {
            AttendeeRole::Host => &mut out.cohosts,
            AttendeeRole::Participant => &mut out.invitees,
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    out.invitees.retain(|i| !out.cohosts.contains(i));
    if out.cohosts.len() > MAX_COHOSTS {
        return Err(Unexpressible::TooManyCohosts(out.cohosts.len()));
    }
    Ok(out)
}

/// The create body: a scheduled meeting (`orderConfig` with both times, L582-583), periodic
/// when `recurrence` is given.
pub fn draft_to_create(
    draft: &MeetingDraft,
    host: Option<i64>,
    password: Option<&MeetingPassword>,
    recurrence: Option<Recurrence>,
) -> Result<CreateRequest, Unexpressible> {
    let subject = subject(draft)?;
    let order = order_config(draft, recurrence)?;
    let p = people(draft, host)?;
    Ok(CreateRequest {
        subject,
        host_id: host,
        invite_ids: (!p.invitees.is_empty()).then_some(p.invitees),
        assistant_infos: (!p.cohosts.is_empty()).then_some(p.cohosts),
        password: password.map(|p| p.as_str().to_string()),
        email_notice: i32::from(draft.notify.email),
        sms_notice: i32::from(draft.notify.sms),
        order_config: Some(order),
    })
}

/// The modify body (`host`: the account's user, sent as `hostId`; `current_host`: the
/// meeting's host as read, left out of the people when no host is sent). Every field Huiyi manages is sent, so the meeting is replaced rather than
/// merged: the invitee list goes out even when empty (`[]`, ASSUMPTION: a list given replaces
/// the old one, note §3.2). `keep` is the series the meeting is (read first), kept as it is so
/// that an edit of its time does not turn it into a one-off meeting.
pub fn draft_to_modify(
    draft: &MeetingDraft,
    host: Option<i64>,
    current_host: Option<i64>,
    password: Option<&MeetingPassword>,
    keep: Option<Recurrence>,
) -> Result<ModifyRequest, Unexpressible> {
    let subject = subject(draft)?;
    let order = order_config(draft, keep)?;
    // Without a host to send, the meeting keeps its host, who is not one of the people.
    let p = people(draft, host.or(current_host))?;
    Ok(ModifyRequest {
        subject: Some(subject),
        host_id: host,
        invitee_ids: Some(p.invitees),
        assistant_infos: Some(p.cohosts),
        password: password.map(|p| p.as_str().to_string()),
        order_config: Some(order),
    })
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn is_http(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://"))
        && !s.trim().contains(char::is_whitespace)
}

fn state(status: Option<i64>) -> MeetingState {
    match status {
        Some(1) => MeetingState::InProgress,
        Some(2) => MeetingState::Ended,
        // 0, or none (the list example has no status, L474-492).
        _ => MeetingState::Scheduled,
    }
}

/// Start and length from the scheduled times, else the actual ones. `0` means not set (the
/// list example's `scheduleEndTime: 0`, L483); with no start at all, `now` (an instant meeting);
/// with no end, a length of 0 (unknown).
fn times(
    schedule: Option<i64>,
    schedule_end: Option<i64>,
    actual: Option<i64>,
    actual_end: Option<i64>,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, u32) {
    let set = |v: Option<i64>| v.filter(|s| *s > 0);
    let start_secs = set(schedule).or(set(actual));
    let start = start_secs
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or(now);
    let end = set(schedule_end)
        .filter(|_| set(schedule).is_some())
        .or(set(actual_end))
        .filter(|e| *e > start.timestamp());
    let minutes = end
        .map(|e| (e - start.timestamp() + 59) / 60)
        .and_then(|m| u32::try_from(m).ok())
        .unwrap_or(0);
    (start, minutes)
}

/// An entry of the undefined `AssistantInfos[]` (note §4.4): a bare id, or an object with an
/// id and perhaps a name under names we guess.
fn cohost(v: &Value) -> Option<(i64, Option<String>)> {
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => user_id(s),
        _ => None,
    };
    match v {
        Value::Object(o) => {
            let id = ["assistantId", "userId", "id", "inviteId"]
                .iter()
                .find_map(|k| o.get(*k).and_then(num))?;
            let name = ["assistantName", "userName", "name"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .map(str::to_string);
            Some((id, name))
        }
        other => num(other).map(|id| (id, None)),
    }
}

/// `confDetail` as a meeting. Its links: `url` is the host's (L215, a secret host link) and
/// `publicUrl` everyone's (L216). No CRMT string: that is minted per person by the join call.
pub fn detail_to_core(d: &ConfDetail, asked_id: &str, now: DateTime<Utc>) -> VendorMeeting {
    let id = d
        .conf_id
        .map(|i| i.to_string())
        .unwrap_or_else(|| asked_id.to_string());
    let order = d.order_config.unwrap_or_default();
    let (start, duration_minutes) = times(
        order.schedule_time,
        order.schedule_end_time,
        None,
        None,
        now,
    );
    let mut attendees = Vec::new();
    if let Some(host) = d.host_id {
        attendees.push(Attendee {
            name: non_empty(&d.host_name).unwrap_or_else(|| host.to_string()),
            email: None,
            phone: None,
            account: Some(host.to_string()),
            role: AttendeeRole::Host,
        });
    }
    for (cid, name) in d.assistant_infos.iter().filter_map(cohost) {
        if !attendees
            .iter()
            .any(|a| a.account.as_deref() == Some(&cid.to_string()))
        {
            attendees.push(Attendee {
                name: name.unwrap_or_else(|| cid.to_string()),
                email: None,
                phone: None,
                account: Some(cid.to_string()),
                role: AttendeeRole::Host,
            });
        }
    }
    for i in &d.invitee_infos {
        let Some(iid) = i.invite_id else { continue };
        if attendees
            .iter()
            .any(|a| a.account.as_deref() == Some(&iid.to_string()))
        {
            continue;
        }
        attendees.push(Attendee {
            name: non_empty(&i.invitee_name).unwrap_or_else(|| iid.to_string()),
            email: None,
            phone: None,
            account: Some(iid.to_string()),
            role: AttendeeRole::Participant,
        });
    }
    let mut links = Vec::new();
    if let Some(public) = non_empty(&d.public_url).filter(|u| is_http(u)) {
        links.push(JoinLink::new(LinkKind::Web, LinkRole::Attendee, public));
    }
    if let Some(host) = d.url.as_ref().filter(|u| is_http(u.expose_secret())) {
        links.push(JoinLink::new(
            LinkKind::Web,
            LinkRole::Host,
            host.expose_secret().trim(),
        ));
    }
    let dial_in = match (non_empty(&d.pstn_num), non_empty(&d.pstn_pwd)) {
        (Some(num), Some(pwd)) => Some(format!("{num} ({pwd})")),
        (Some(num), None) => Some(num),
        _ => None,
    };
    let notify = (d.email_notice.is_some() || d.sms_notice.is_some()).then(|| Notifications {
        email: d.email_notice == Some(1),
        sms: d.sms_notice == Some(1),
        calendar: false,
    });
    VendorMeeting {
        meeting_number: id.clone(),
        vendor_id: id,
        subject: d.subject.clone().unwrap_or_default(),
        start,
        duration_minutes,
        // Unix seconds carry no zone and the document names none (note §1.7).
        zone: None,
        state: state(d.status),
        organizer: non_empty(&d.host_name),
        attendees,
        guest_password: non_empty(&d.password),
        host_password: None,
        dial_in,
        links,
        notify,
    }
}

/// The recurrence of a `confDetail`, if it is periodic.
pub fn detail_recurrence(d: &ConfDetail) -> Option<Recurrence> {
    let o: OrderConfigRead = d.order_config?;
    Recurrence::from_wire(o.period_type, o.period_end_time)
}

/// A list or history record as a meeting; `ended` for the history list (its records have no
/// status, L536-545). None for a record without a `confId`.
pub fn record_to_core(r: &ListRecord, ended: bool, now: DateTime<Utc>) -> Option<VendorMeeting> {
    let id = r.conf_id?.to_string();
    let (start, duration_minutes) = times(
        r.schedule_time,
        r.schedule_end_time,
        r.start_time,
        r.end_time,
        now,
    );
    Some(VendorMeeting {
        meeting_number: id.clone(),
        vendor_id: id,
        subject: r.subject.clone().unwrap_or_default(),
        start,
        duration_minutes,
        zone: None,
        state: if ended {
            MeetingState::Ended
        } else {
            state(r.status)
        },
        organizer: non_empty(&r.host_name),
        attendees: Vec::new(),
        guest_password: non_empty(&r.password),
        host_password: None,
        dial_in: None,
        // The list gives no link: `confCode` is the path of the web links (note §3.3), but
        // the host is not documented, so nothing is made up here.
        links: Vec::new(),
        notify: None,
    })
}

/// Whether `s` is usable as a CRMT string: `CRMT:` (compared without case, though it is passed
/// on as received) and a non-empty base64 payload (note §5.2, §5.5), so that nothing
/// argument-like (`-…`, spaces, quotes) reaches the OS URL handler.
pub fn crmt_ok(s: &str) -> bool {
    let Some(prefix) = s.get(..5) else {
        return false;
    };
    let payload = &s[5..];
    prefix.eq_ignore_ascii_case("CRMT:")
        && !payload.is_empty()
        && s.len() <= MAX_CRMT_LEN
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
}

/// A nickname for the join call: trimmed, 1 to 30 characters (22230, 22232).
pub fn nickname(s: &str) -> Result<String, Unexpressible> {
    let s = s.trim();
    let n = s.encode_utf16().count();
    if n == 0 || n > MAX_NICKNAME_CHARS {
        return Err(Unexpressible::BadNickname);
    }
    Ok(s.to_string())
}

// ---------------------------------------------------------------- from Huiyi's series

/// The zone CloudRoom is taken to compute periodic meetings in: never stated; the document's
/// examples are round times in UTC+8 (note §1.7). Shanghai has had no daylight-saving time
/// since 1991.
pub const PERIOD_ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// The starts CloudRoom is expected to give for `period` from `first` (wall-clock time and
/// dates in [`PERIOD_ZONE`]), at most `max`, none starting after `end`. ASSUMPTIONS: weekly and
/// fortnightly keep the first meeting's weekday, monthly its day of the month (`Err(day)` when a
/// month in range lacks it: what CloudRoom does then is unknown), workdays are Monday to Friday
/// (CloudRoom may know holidays: the report says so).
pub fn periodic_starts(
    period: Period,
    first: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    max: usize,
) -> Result<Vec<DateTime<Utc>>, u32> {
    use chrono::{Datelike, Duration, Months};
    let local = first.with_timezone(&PERIOD_ZONE).naive_local();
    let (date, time) = (local.date(), local.time());
    let mut out = Vec::new();
    let mut k: u32 = 0;
    while out.len() < max && k < 5000 {
        let d = match period {
            Period::Daily => Some(date + Duration::days(i64::from(k))),
            Period::Workdays => Some(date + Duration::days(i64::from(k)))
                .filter(|d| d.weekday().num_days_from_monday() < 5),
            Period::Weekly => Some(date + Duration::weeks(i64::from(k))),
            Period::Fortnightly => Some(date + Duration::weeks(2 * i64::from(k))),
            Period::Monthly => {
                let Some(month) = date
                    .with_day(1)
                    .and_then(|m| m.checked_add_months(Months::new(k)))
                else {
                    break;
                };
                Some(month.with_day(date.day()).ok_or(date.day())?)
            }
            Period::Quarterly | Period::Yearly | Period::Other(_) => break,
        };
        k += 1;
        let Some(d) = d else { continue };
        let at =
            huiyi_core::series::resolve_local(d.and_time(time), PERIOD_ZONE).with_timezone(&Utc);
        if end.is_some_and(|e| at > e) {
            break;
        }
        out.push(at);
    }
    Ok(out)
}

/// The CloudRoom periodic meeting that holds exactly the meetings of `series`, or why there is
/// none, in the report's words. CloudRoom has five fixed patterns (daily, workdays, weekly,
/// fortnightly, monthly, each from the first meeting), an end instant or none, and no way to
/// address one occurrence: a series with EXDATEs or changed occurrences is not native. The end
/// is the last meeting's end (as the document's SDK examples set it). The pattern is then
/// checked by comparing [`periodic_starts`] with the series' expansion (so a series kept in a
/// zone whose offset differs from UTC+8, or changes, is refused when the meetings would
/// differ).
pub fn recurrence_from_series(
    series: &huiyi_core::Series,
) -> Result<Recurrence, huiyi_core::PlanReason> {
    use chrono::{Datelike, Offset};
    use huiyi_core::{DiffHint, Frequency, PeriodUnit, PlanReason, RuleEnd};

    series
        .validate()
        .map_err(|problems| PlanReason::Invalid { problems })?;
    let edits = series.exdates.len() + series.overrides.len();
    if edits > 0 {
        return Err(PlanReason::NoOccurrenceOperations { count: edits });
    }
    let zone = series.tz().ok_or_else(|| PlanReason::Zone {
        zone: series.zone.clone(),
    })?;
    let rule = &series.rule;
    if series.duration_minutes > MAX_DURATION_MINUTES {
        return Err(PlanReason::Length {
            min: 1,
            max: MAX_DURATION_MINUTES,
            got: series.duration_minutes,
        });
    }
    if !rule.by_set_pos.is_empty() {
        return Err(PlanReason::SetPos);
    }
    let by_day_text = || {
        rule.by_day
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let first = series.start.date();
    let first_wd = huiyi_core::Weekday::from_chrono(first.weekday());
    let mut plain: Vec<huiyi_core::Weekday> = rule
        .by_day
        .iter()
        .filter(|d| d.ordinal.is_none())
        .map(|d| d.weekday)
        .collect();
    plain.sort();
    plain.dedup();
    use huiyi_core::Weekday as W;
    let workdays = [W::Mo, W::Tu, W::We, W::Th, W::Fr];
    let n = rule.interval;
    let period = match rule.freq {
        Frequency::Yearly => return Err(PlanReason::Yearly),
        Frequency::Daily => {
            if !rule.by_month_day.is_empty() || (!plain.is_empty() && plain != workdays) {
                return Err(PlanReason::DailyFiltered);
            }
            match (plain.is_empty(), n) {
                (_, n) if n > 1 => {
                    return Err(PlanReason::IntervalNotOffered {
                        unit: PeriodUnit::Day,
                        got: n,
                    })
                }
                (true, _) => Period::Daily,
                (false, _) => Period::Workdays,
            }
        }
        Frequency::Weekly => {
            let days = if plain.is_empty() {
                vec![first_wd]
            } else {
                plain.clone()
            };
            match n {
                1 if days == workdays => Period::Workdays,
                _ if days != [first_wd] => {
                    return Err(PlanReason::OtherWeekdays {
                        by_day: by_day_text(),
                    })
                }
                1 => Period::Weekly,
                2 => Period::Fortnightly,
                n => {
                    return Err(PlanReason::IntervalNotOffered {
                        unit: PeriodUnit::Week,
                        got: n,
                    })
                }
            }
        }
        Frequency::Monthly => {
            if let Some(d) = rule.by_day.iter().find(|d| d.ordinal.is_some()) {
                return Err(PlanReason::OrdinalWeekday {
                    by_day: d.to_string(),
                });
            }
            if !rule.by_day.is_empty() {
                return Err(PlanReason::MonthlyByWeekday {
                    by_day: by_day_text(),
                });
            }
            if !rule.by_month_day.is_empty() && rule.by_month_day != [first.day() as i8] {
                return Err(PlanReason::OtherMonthDays {
                    days: rule.by_month_day.clone(),
                });
            }
            if n > 1 {
                return Err(PlanReason::IntervalNotOffered {
                    unit: PeriodUnit::Month,
                    got: n,
                });
            }
            Period::Monthly
        }
    };
    let expansion = series
        .expand(huiyi_core::series::MAX_OCCURRENCES)
        .map_err(|problems| PlanReason::Invalid { problems })?;
    if !expansion.start_matches_rule {
        return Err(PlanReason::StartOffRule {
            start: series.start.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    let ours: Vec<DateTime<Utc>> = expansion
        .occurrences
        .iter()
        .map(|o| o.start.with_timezone(&Utc))
        .collect();
    let end = match rule.end {
        RuleEnd::Never => PeriodEnd::Never,
        RuleEnd::Count { .. } | RuleEnd::Until { .. } => PeriodEnd::At(
            expansion
                .occurrences
                .last()
                .expect("a valid series has a first occurrence")
                .end
                .with_timezone(&Utc),
        ),
    };
    let until = match end {
        PeriodEnd::At(t) => Some(t),
        _ => None,
    };
    let theirs = periodic_starts(period, ours[0], until, ours.len() + 1)
        .map_err(|day| PlanReason::ShortMonthDay { day })?;
    let theirs = if until.is_none() {
        // Without end both go on: compare what the series expanded.
        theirs.into_iter().take(ours.len()).collect()
    } else {
        theirs
    };
    let hint = if ours.iter().any(|t| {
        t.with_timezone(&zone).offset().fix() != t.with_timezone(&PERIOD_ZONE).offset().fix()
    }) {
        Some(DiffHint::ZoneRules)
    } else {
        None
    };
    if let Some(reason) = PlanReason::first_difference(&ours, &theirs, zone, hint) {
        return Err(reason);
    }
    Ok(Recurrence { period, end })
}

/// What CloudRoom will do with `series`: a periodic meeting when [`recurrence_from_series`]
/// finds an exact one, single meetings otherwise.
pub fn series_plan(series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
    use huiyi_core::{NativeKind, NotCarried, SeriesPlan, VendorKind};
    const V: VendorKind = VendorKind::Cloudroom;
    match recurrence_from_series(series) {
        Ok(r) => {
            let mut plan = SeriesPlan::native(
                V,
                NativeKind::CloudroomPeriodic,
                series,
                r.end == PeriodEnd::Never,
            );
            if r.period == Period::Workdays {
                plan.not_carried.push(NotCarried::VendorWorkdays);
            }
            plan
        }
        Err(reason) => SeriesPlan::local(V, series, vec![reason]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use huiyi_core::Notifications;

    fn draft() -> MeetingDraft {
        MeetingDraft {
            subject: " 周会 ".into(),
            start: Utc.with_ymd_and_hms(2031, 6, 6, 12, 0, 0).unwrap(),
            duration_minutes: 120,
            zone: chrono_tz::Asia::Shanghai,
            attendees: vec![],
            notify: Notifications {
                email: true,
                sms: false,
                calendar: true,
            },
            ports: None,
            registration: false,
            password: None,
        }
    }

    fn person(name: &str, account: Option<&str>, role: AttendeeRole) -> Attendee {
        Attendee {
            name: name.into(),
            email: None,
            phone: None,
            account: account.map(Into::into),
            role,
        }
    }

    #[test]
    fn passwords_are_four_to_six_digits_and_keep_leading_zeros() {
        assert_eq!(MeetingPassword::parse("0123").unwrap().as_str(), "0123");
        assert_eq!(MeetingPassword::parse("123456").unwrap().as_str(), "123456");
        for bad in ["123", "1234567", "12a4", "", "１２３４", "12 34"] {
            assert_eq!(
                MeetingPassword::parse(bad),
                Err(Unexpressible::BadPassword),
                "{bad}"
            );
        }
        assert!(!format!("{:?}", MeetingPassword::parse("9876").unwrap()).contains("9876"));
    }

    #[test]
    fn subjects_and_lengths_are_checked_before_sending() {
        let mut d = draft();
        d.subject = "字".repeat(50);
        assert!(draft_to_create(&d, None, None, None).is_ok());
        d.subject = "字".repeat(51);
        assert_eq!(
            draft_to_create(&d, None, None, None).unwrap_err(),
            Unexpressible::SubjectTooLong(51)
        );
        d.subject = "   ".into();
        assert_eq!(
            draft_to_create(&d, None, None, None).unwrap_err(),
            Unexpressible::EmptySubject
        );
        let mut d = draft();
        d.duration_minutes = 24 * 60 + 1;
        assert!(matches!(
            draft_to_create(&d, None, None, None),
            Err(Unexpressible::Duration(_))
        ));
    }

    #[test]
    fn people_are_invited_by_user_id_and_extra_hosts_become_cohosts() {
        let mut d = draft();
        d.attendees = vec![
            person("主持", Some("1000141441"), AttendeeRole::Host),
            person("张三", Some("1001"), AttendeeRole::Participant),
            person("李四", Some(" 1002 "), AttendeeRole::Host),
            person("张三again", Some("1001"), AttendeeRole::Participant),
        ];
        let p = people(&d, Some(1000141441)).unwrap();
        assert_eq!(p.invitees, [1001]);
        assert_eq!(p.cohosts, [1002]);
        d.attendees
            .push(person("王五", None, AttendeeRole::Participant));
        assert_eq!(
            people(&d, None).unwrap_err(),
            Unexpressible::NoUserId("王五".into())
        );
        d.attendees = (1..=5)
            .map(|i| person("h", Some(&i.to_string()), AttendeeRole::Host))
            .collect();
        assert_eq!(
            people(&d, None).unwrap_err(),
            Unexpressible::TooManyCohosts(5)
        );
    }

    #[test]
    fn recurrences_are_checked_and_read_back() {
        let d = draft();
        let weekly = Recurrence {
            period: Period::Weekly,
            end: PeriodEnd::Never,
        };
        let req = draft_to_create(&d, None, None, Some(weekly)).unwrap();
        let o = req.order_config.unwrap();
        assert_eq!((o.period_type, o.period_end_time), (3, Some(-1)));
        let yearly = Recurrence {
            period: Period::Yearly,
            end: PeriodEnd::Never,
        };
        assert!(matches!(
            draft_to_create(&d, None, None, Some(yearly)),
            Err(Unexpressible::BadRecurrence(_))
        ));
        let early = Recurrence {
            period: Period::Daily,
            end: PeriodEnd::At(d.start - chrono::Duration::days(1)),
        };
        assert!(draft_to_create(&d, None, None, Some(early)).is_err());
        assert_eq!(Recurrence::from_wire(Some(0), Some(-1)), None);
        assert_eq!(
            Recurrence::from_wire(Some(7), None),
            Some(Recurrence {
                period: Period::Yearly,
                end: PeriodEnd::Unknown
            })
        );
        assert_eq!(
            Recurrence::from_wire(Some(9), Some(-1)).unwrap().period,
            Period::Other(9)
        );
    }

    #[test]
    fn crmt_strings_are_checked_without_changing_them() {
        assert!(crmt_ok("CRMT:LU1FRVRUWVBFPU1FRVRNR1IKLU1H"));
        assert!(crmt_ok("crmt:LU1F"));
        for bad in [
            "CRMT:",
            "CRMT: -x",
            "http://x",
            "CRMT:a b",
            "CRMT:\"x",
            "CRM",
            "CRMT:-a&b",
        ] {
            assert!(!crmt_ok(bad), "{bad}");
        }
        assert!(!crmt_ok(&format!("CRMT:{}", "A".repeat(MAX_CRMT_LEN))));
    }

    #[test]
    fn nicknames_are_one_to_thirty_characters() {
        assert_eq!(nickname(" 张三 ").unwrap(), "张三");
        assert!(nickname(&"字".repeat(30)).is_ok());
        assert!(nickname(&"字".repeat(31)).is_err());
        assert!(nickname("  ").is_err());
    }
}
