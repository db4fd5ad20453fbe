//! huiyi-core <-> Huawei wire conversions: times (UTC `yyyy-MM-dd HH:mm`, L1896), the
//! `timeZoneID` table (L27822-27909, note §1.5), meeting states, links, passwords, attendees.

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use huiyi_core::{
    Attendee, AttendeeRole, JoinLink, LinkKind, LinkRole, MeetingDraft, MeetingState,
    Notifications, VendorMeeting,
};
use secrecy::{ExposeSecret, SecretString};

use super::wire::{
    AttendeeRequest, ConfConfigInfoRequest, ConferenceInfo, ConferenceRequest, PartAttendee,
    ParticipantInfo,
};

/// The wire time format, always UTC.
pub const WIRE_TIME: &str = "%Y-%m-%d %H:%M";

/// Default meeting length when an answer has no usable end time (the documented default, L1897).
const DEFAULT_LENGTH_MINUTES: u32 = 30;

/// The document's time-zone table (L27822-27909): ID and the IANA zone whose rules the label
/// describes. The IANA choice is ours (note §1.5); IDs 74-77 repeat earlier rows.
pub const ZONE_TABLE: [(&str, &str, &str); 77] = [
    ("1", "Etc/GMT+12", "(GMT-12:00) Eniwetok, Kwajalein"),
    ("2", "Pacific/Midway", "(GMT-11:00) Midway Island, Samoa"),
    ("3", "Pacific/Honolulu", "(GMT-10:00) Hawaii"),
    ("4", "America/Anchorage", "(GMT-09:00) Alaska"),
    (
        "5",
        "America/Los_Angeles",
        "(GMT-08:00) Pacific Time(US&Canada);Tijuana",
    ),
    ("6", "America/Phoenix", "(GMT-07:00) Arizona"),
    (
        "7",
        "America/Denver",
        "(GMT-07:00) Mountain Time(US&Canada)",
    ),
    ("8", "America/Guatemala", "(GMT-06:00) Central America"),
    (
        "9",
        "America/Chicago",
        "(GMT-06:00) Central Time(US&Canada)",
    ),
    ("10", "America/Mexico_City", "(GMT-06:00) Mexico City"),
    ("11", "America/Regina", "(GMT-06:00) Saskatchewan"),
    ("12", "America/Bogota", "(GMT-05:00) Bogota, Lima, Quito"),
    (
        "13",
        "America/New_York",
        "(GMT-05:00) Eastern Time(US&Canada)",
    ),
    (
        "14",
        "America/Indiana/Indianapolis",
        "(GMT-05:00) Indiana(East)",
    ),
    ("15", "America/Halifax", "(GMT-04:00) Atlantic time(Canada)"),
    ("16", "America/Caracas", "(GMT-04:00) Caracas, La Paz"),
    ("17", "America/Santiago", "(GMT-04:00) Santiago"),
    ("18", "America/St_Johns", "(GMT-03:30) Newfoundland"),
    ("19", "America/Sao_Paulo", "(GMT-03:00) Brasilia"),
    (
        "20",
        "America/Argentina/Buenos_Aires",
        "(GMT-03:00) Buenos Aires, Georgetown",
    ),
    ("21", "America/Nuuk", "(GMT-03:00) Greenland"),
    ("22", "Atlantic/South_Georgia", "(GMT-02:00) Mid-Atlantic"),
    ("23", "Atlantic/Azores", "(GMT-01:00) Azores"),
    ("24", "Atlantic/Cape_Verde", "(GMT-01:00) Cape Verde Is."),
    ("25", "Africa/Casablanca", "(GMT) Casablanca, Monrovia"),
    (
        "26",
        "Europe/London",
        "(GMT) Greenwich Mean Time:Dublin, Edinburgh, Lisbon, London",
    ),
    (
        "27",
        "Europe/Berlin",
        "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
    ),
    (
        "28",
        "Europe/Budapest",
        "(GMT+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague",
    ),
    (
        "29",
        "Europe/Paris",
        "(GMT+01:00) Brussels, Copenhagen, Madrid, Paris",
    ),
    (
        "30",
        "Europe/Warsaw",
        "(GMT+01:00) Sarajevo, Skopje, Sofija, Warsaw, Zagreb",
    ),
    ("31", "Africa/Lagos", "(GMT+01:00) West Central Africa"),
    (
        "32",
        "Europe/Athens",
        "(GMT+02:00) Athens, Istanbul, Vilnius",
    ),
    ("33", "Europe/Bucharest", "(GMT+02:00) Bucharest"),
    ("34", "Africa/Cairo", "(GMT+02:00) Cairo"),
    ("35", "Africa/Johannesburg", "(GMT+02:00) Harare, Pretoria"),
    (
        "36",
        "Europe/Helsinki",
        "(GMT+02:00) Helsinki, Riga, Tallinn",
    ),
    ("37", "Asia/Jerusalem", "(GMT+02:00) Jerusalem"),
    ("38", "Asia/Baghdad", "(GMT+03:00) Baghdad, Minsk"),
    ("39", "Asia/Riyadh", "(GMT+03:00) Kuwait, Riyadh"),
    (
        "40",
        "Europe/Moscow",
        "(GMT+03:00) Moscow, St. Petersburg, Volgograd",
    ),
    ("41", "Africa/Nairobi", "(GMT+03:00) Nairobi"),
    ("42", "Asia/Tehran", "(GMT+03:30) Tehran"),
    ("43", "Asia/Dubai", "(GMT+04:00) Abu Dhabi, Muscat"),
    ("44", "Asia/Tbilisi", "(GMT+04:00) Baku, Tbilisi, Yerevan"),
    ("45", "Asia/Kabul", "(GMT+04:30) Kabul"),
    ("46", "Asia/Yekaterinburg", "(GMT+05:00) Ekaterinburg"),
    (
        "47",
        "Asia/Karachi",
        "(GMT+05:00) Islamabad, Karachi, Tashkent",
    ),
    (
        "48",
        "Asia/Kolkata",
        "(GMT+05:30) Calcutta, Chennai, Mumbai, New Delhi",
    ),
    ("49", "Asia/Kathmandu", "(GMT+05:45) Kathmandu"),
    ("50", "Asia/Almaty", "(GMT+06:00) Almaty, Novosibirsk"),
    ("51", "Asia/Dhaka", "(GMT+06:00) Astana, Dhaka"),
    ("52", "Asia/Colombo", "(GMT+05:30) Sri Jayawardenepura"),
    ("53", "Asia/Yangon", "(GMT+06:30) Rangoon"),
    ("54", "Asia/Bangkok", "(GMT+07:00) Bangkok, Hanoi, Jakarta"),
    ("55", "Asia/Krasnoyarsk", "(GMT+07:00) Krasnoyarsk"),
    (
        "56",
        "Asia/Shanghai",
        "(GMT+08:00) Beijing, Chongqing, Hong Kong, Urumqi, Taipei",
    ),
    ("57", "Asia/Irkutsk", "(GMT+08:00) Irkutsk, Ulaan Bataar"),
    (
        "58",
        "Asia/Singapore",
        "(GMT+08:00) Kuala Lumpur, Singapore",
    ),
    ("59", "Australia/Perth", "(GMT+08:00) Perth"),
    ("60", "Asia/Tokyo", "(GMT+09:00) Osaka, Sapporo, Tokyo"),
    ("61", "Asia/Seoul", "(GMT+09:00) Seoul"),
    ("62", "Asia/Yakutsk", "(GMT+09:00) Yakutsk"),
    ("63", "Australia/Adelaide", "(GMT+09:30) Adelaide"),
    ("64", "Australia/Darwin", "(GMT+09:30) Darwin"),
    ("65", "Australia/Brisbane", "(GMT+10:00) Brisbane"),
    (
        "66",
        "Australia/Sydney",
        "(GMT+10:00) Canberra, Melbourne, Sydney",
    ),
    (
        "67",
        "Pacific/Port_Moresby",
        "(GMT+10:00) Guam, Port Moresby",
    ),
    ("68", "Australia/Hobart", "(GMT+10:00) Hobart"),
    ("69", "Asia/Vladivostok", "(GMT+10:00) Vladivostok"),
    (
        "70",
        "Asia/Magadan",
        "(GMT+11:00) Magadan, Solomon Is., New Caledonia",
    ),
    ("71", "Pacific/Auckland", "(GMT+12:00) Auckland, Wellington"),
    ("72", "Pacific/Fiji", "(GMT+12:00) Fiji"),
    ("73", "Pacific/Tongatapu", "(GMT+13:00) Nuku'alofa"),
    ("74", "Asia/Irkutsk", "(GMT+08:00) Irkutsk"),
    ("75", "Africa/Casablanca", "(GMT) Casablanca"),
    ("76", "Asia/Baku", "(GMT+04:00) Baku"),
    (
        "77",
        "Asia/Kamchatka",
        "(GMT+12:00) Kamchatka, Marshall Is.",
    ),
];

/// Why a zone cannot be expressed as a Huawei `timeZoneID`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Huawei Cloud Meeting has no time zone matching {zone} (UTC{offset} at the meeting's start); choose a nearby zone with the same UTC offset")]
pub struct UnsupportedZone {
    pub zone: String,
    /// `+14:00`, `-09:30`, ...
    pub offset: String,
}

fn table_zone(iana: &str) -> Option<Tz> {
    iana.parse::<Tz>().ok()
}

fn offset_seconds(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// True when the two zones have the same UTC offset at every 15-minute step in the year either
/// side of `at`: for a meeting, "same rules" means the same wall clock around it, and the DST
/// changes of zones that really share rules happen at the same instant.
fn same_rules(a: Tz, b: Tz, at: DateTime<Utc>) -> bool {
    let agree_every = |step: Duration| {
        let mut t = at - Duration::days(366);
        let end = at + Duration::days(366);
        while t <= end {
            if offset_seconds(a, t) != offset_seconds(b, t) {
                return false;
            }
            t += step;
        }
        true
    };
    // A coarse pass rules most rows out cheaply; the fine pass catches DST changes an hour
    // apart (Cuba switches at 00:00 local, the US at 02:00: both UTC-5/-4, different rules).
    agree_every(Duration::hours(6)) && agree_every(Duration::minutes(15))
}

/// The zone's city as its labels write it: `Asia/Hong_Kong` -> `hong kong`.
fn city_of(zone: &str) -> String {
    zone.rsplit('/')
        .next()
        .unwrap_or(zone)
        .replace('_', " ")
        .to_lowercase()
}

/// Among several equally good IDs, prefer the one whose label names the zone's city
/// (`Europe/Madrid` -> 29 "Brussels, Copenhagen, Madrid, Paris"), else the first.
fn pick<'a>(candidates: &[&'a (&'a str, &'a str, &'a str)], zone: &str) -> Option<&'a str> {
    let city = city_of(zone);
    candidates
        .iter()
        .find(|(_, _, label)| label.to_lowercase().contains(&city))
        .or_else(|| candidates.first())
        .map(|(id, _, _)| *id)
}

/// Maps an IANA zone to a Huawei `timeZoneID` for a meeting starting at `at`:
/// 1. the table's own zone (first ID of a duplicate pair);
/// 2. else a table zone with the same rules around `at` (Asia/Hong_Kong -> 56, Europe/Madrid -> 29);
/// 3. else a table zone with the same UTC offset at `at` (rules differ, but the meeting's time
///    renders correctly in Huawei's notices);
/// 4. else an error that says so.
pub fn zone_to_id(zone: Tz, at: DateTime<Utc>) -> Result<&'static str, UnsupportedZone> {
    let name = zone.name();
    if let Some((id, _, _)) = ZONE_TABLE.iter().find(|(_, iana, _)| *iana == name) {
        return Ok(id);
    }
    let same: Vec<_> = ZONE_TABLE
        .iter()
        .filter(|(_, iana, _)| table_zone(iana).is_some_and(|t| same_rules(zone, t, at)))
        .collect();
    if let Some(id) = pick(&same, name) {
        return Ok(id);
    }
    let offset = offset_seconds(zone, at);
    let same_offset: Vec<_> = ZONE_TABLE
        .iter()
        .filter(|(_, iana, _)| table_zone(iana).is_some_and(|t| offset_seconds(t, at) == offset))
        .collect();
    if let Some(id) = pick(&same_offset, name) {
        return Ok(id);
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    Err(UnsupportedZone {
        zone: name.to_string(),
        offset: format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60),
    })
}

/// The IANA zone for a `timeZoneID` from an answer; unknown IDs give none.
pub fn id_to_zone(id: &str) -> Option<Tz> {
    let id = id.trim();
    ZONE_TABLE
        .iter()
        .find(|(i, _, _)| *i == id)
        .and_then(|(_, iana, _)| table_zone(iana))
}

pub fn to_wire_time(t: DateTime<Utc>) -> String {
    t.format(WIRE_TIME).to_string()
}

/// Reads an answer's `YYYY-MM-DD HH:MM` (UTC, note §1.5); seconds are tolerated.
pub fn parse_wire_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|n| n.and_utc())
}

/// How the account authenticates decides how attendees are identified (table 4-3, L1926-1931).
#[derive(Debug, Clone, Copy)]
pub enum AttendeeMode<'a> {
    /// App ID: an `accountId` is the third-party user id and needs the `appId` beside it.
    AppId { app_id: &'a str },
    /// Account/password: `accountId` is a Huawei Cloud Meeting account; `phone` is required.
    Password,
}

fn is_mobile(phone: &str) -> bool {
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

pub fn attendee_to_wire(a: &Attendee, mode: AttendeeMode<'_>) -> AttendeeRequest {
    let account_id = a.account.clone();
    let app_id = match (mode, &account_id) {
        (AttendeeMode::AppId { app_id }, Some(_)) => Some(app_id.to_string()),
        _ => None,
    };
    AttendeeRequest {
        account_id,
        app_id,
        name: (!a.name.is_empty()).then(|| a.name.clone()),
        role: match a.role {
            AttendeeRole::Host => 1,
            AttendeeRole::Participant => 0,
        },
        phone: a.phone.clone(),
        email: a.email.clone(),
        // The SMS notice goes to a mobile number; a SIP number cannot receive one.
        sms: a.phone.clone().filter(|p| is_mobile(p)),
    }
}

/// The create/edit body for a draft. Edit sends the same full body (omitted fields may reset).
pub fn draft_to_request(
    draft: &MeetingDraft,
    mode: AttendeeMode<'_>,
) -> Result<ConferenceRequest, UnsupportedZone> {
    Ok(ConferenceRequest {
        subject: draft.subject.clone(),
        media_types: "HDVideo".into(),
        start_time: to_wire_time(draft.start),
        length: draft.duration_minutes,
        attendees: draft
            .attendees
            .iter()
            .map(|a| attendee_to_wire(a, mode))
            .collect(),
        conf_config_info: ConfConfigInfoRequest {
            is_send_notify: draft.notify.email,
            is_send_sms: draft.notify.sms,
            is_send_calendar: draft.notify.calendar,
        },
        time_zone_id: zone_to_id(draft.zone, draft.start)?.to_string(),
        language: "zh-CN".into(),
    })
}

/// Why an answer could not become a meeting. Names the field only, never its value (a value
/// could be a host link).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the meeting in the answer has no usable {0}")]
pub struct BadMeeting(pub &'static str);

/// `Schedule` -> scheduled, `Creating`/`Created` -> in progress, `Destroyed` -> ended (L2009).
/// An absent or unknown state (the recurring detail example has none, L3708-3833) is read
/// from the times instead.
pub fn map_state(
    state: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> MeetingState {
    match state.map(str::trim) {
        Some("Schedule") => MeetingState::Scheduled,
        Some("Creating") | Some("Created") => MeetingState::InProgress,
        Some("Destroyed") => MeetingState::Ended,
        _ if now < start => MeetingState::Scheduled,
        _ if now < end => MeetingState::InProgress,
        _ => MeetingState::Ended,
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Answers mask phone numbers (`+99111*****4158`); a masked number is useless for calling or
/// re-submitting, so it is dropped.
fn unmasked(s: Option<&String>) -> Option<String> {
    non_empty(s).filter(|p| !p.contains('*'))
}

fn role_of(role: Option<i64>) -> AttendeeRole {
    if role == Some(1) {
        AttendeeRole::Host
    } else {
        AttendeeRole::Participant
    }
}

pub fn participant_to_attendee(p: &ParticipantInfo) -> Attendee {
    let email = non_empty(p.email.as_ref());
    let phone = unmasked(p.phone.as_ref()).or_else(|| unmasked(p.sms.as_ref()));
    let account = non_empty(p.account_id.as_ref());
    let name = non_empty(p.name.as_ref())
        .or_else(|| email.clone())
        .or_else(|| account.clone())
        .or_else(|| phone.clone())
        .unwrap_or_default();
    Attendee {
        name,
        email,
        phone,
        account,
        role: role_of(p.role),
    }
}

pub fn part_attendee_to_attendee(p: &PartAttendee) -> Attendee {
    let phone = unmasked(p.phone.as_ref());
    Attendee {
        name: non_empty(p.name.as_ref())
            .or_else(|| phone.clone())
            .unwrap_or_default(),
        email: None,
        phone,
        account: None,
        role: role_of(p.role),
    }
}

/// The next sub-meeting of a recurring conference that has not ended by `now`, else its last;
/// none for a one-off meeting or an answer without readable `subConfs`.
fn current_sub_conf(
    c: &ConferenceInfo,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let mut subs: Vec<(DateTime<Utc>, DateTime<Utc>)> = c
        .sub_confs
        .iter()
        .filter_map(|s| {
            let start = s.start_time.as_deref().and_then(parse_wire_time)?;
            let end = s
                .end_time
                .as_deref()
                .and_then(parse_wire_time)
                .filter(|e| *e > start)
                .unwrap_or(start + Duration::minutes(i64::from(DEFAULT_LENGTH_MINUTES)));
            Some((start, end))
        })
        .collect();
    subs.sort();
    subs.iter().find(|(_, e)| *e > now).or(subs.last()).copied()
}

/// ConferenceInfo -> VendorMeeting. `participants` (from the detail query) replaces the
/// abbreviated `partAttendeeInfo` when given. `now` decides the state only when the answer
/// carries none.
pub fn conference_to_meeting(
    c: &ConferenceInfo,
    participants: Option<&[ParticipantInfo]>,
    now: DateTime<Utc>,
) -> Result<VendorMeeting, BadMeeting> {
    let vendor_id = non_empty(c.conference_id.as_ref()).ok_or(BadMeeting("conferenceID"))?;
    let start = c
        .start_time
        .as_deref()
        .and_then(parse_wire_time)
        .ok_or(BadMeeting("startTime"))?;
    let duration_minutes = c
        .end_time
        .as_deref()
        .and_then(parse_wire_time)
        .and_then(|end| u32::try_from((end - start).num_minutes()).ok())
        .filter(|m| *m > 0)
        .unwrap_or(DEFAULT_LENGTH_MINUTES);
    let end = start + Duration::minutes(i64::from(duration_minutes));
    // A recurring conference is shown as its next sub-meeting that has not ended (the last
    // one once all have): the top-level times are the *first* sub-meeting's (note §3.5), and
    // how the list shows a series is undocumented (note §3.10).
    let (start, duration_minutes, end) = match current_sub_conf(c, now) {
        Some((s, e)) => (
            s,
            u32::try_from((e - s).num_minutes()).unwrap_or(duration_minutes),
            e,
        ),
        None => (start, duration_minutes, end),
    };

    let mut host_password = None;
    let mut guest_password = None;
    for entry in &c.password_entry {
        match (entry.conference_role.as_deref(), &entry.password) {
            (Some("chair"), Some(p)) => host_password = Some(p.clone()),
            (Some("general"), Some(p)) => guest_password = Some(p.expose_secret().to_string()),
            _ => {}
        }
    }

    let mut links = Vec::new();
    if let Some(uri) = &c.chair_join_uri {
        links.push(JoinLink {
            kind: LinkKind::Web,
            role: LinkRole::Host,
            url: SecretString::from(uri.expose_secret()),
            secret: false,
        });
    }
    if let Some(uri) = non_empty(c.guest_join_uri.as_ref()) {
        links.push(JoinLink::new(LinkKind::Web, LinkRole::Attendee, uri));
    }

    let attendees = match participants {
        Some(ps) if !ps.is_empty() => ps.iter().map(participant_to_attendee).collect(),
        _ => c
            .part_attendee_info
            .iter()
            .map(part_attendee_to_attendee)
            .collect(),
    };

    let notify = c.conf_config_info.and_then(|cfg| {
        (cfg.is_send_notify.is_some()
            || cfg.is_send_sms.is_some()
            || cfg.is_send_calendar.is_some())
        .then(|| Notifications {
            email: cfg.is_send_notify.unwrap_or(false),
            sms: cfg.is_send_sms.unwrap_or(false),
            calendar: cfg.is_send_calendar.unwrap_or(false),
        })
    });

    Ok(VendorMeeting {
        meeting_number: vendor_id.clone(),
        vendor_id,
        subject: c.subject.clone().unwrap_or_default(),
        start,
        duration_minutes,
        zone: c.time_zone_id.as_deref().and_then(id_to_zone),
        state: map_state(c.conference_state.as_deref(), start, end, now),
        organizer: non_empty(c.scheduser_name.as_ref()),
        attendees,
        guest_password,
        host_password,
        dial_in: non_empty(c.access_number.as_ref()),
        links,
        notify,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::huawei::wire::{ConfConfigInfo, PasswordEntry};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 1, 30, 0).unwrap()
    }

    fn tz(s: &str) -> Tz {
        s.parse().unwrap()
    }

    #[test]
    fn every_table_zone_exists_and_maps_back_to_its_first_id() {
        for (id, iana, _) in ZONE_TABLE {
            let zone = table_zone(iana).unwrap_or_else(|| panic!("{iana} is not an IANA zone"));
            let back = zone_to_id(zone, at()).unwrap();
            // Duplicates (74 Irkutsk, 75 Casablanca) go to the first row with that zone.
            let first = ZONE_TABLE.iter().find(|(_, z, _)| *z == iana).unwrap().0;
            assert_eq!(back, first, "{id} {iana}");
            assert_eq!(id_to_zone(id), Some(zone));
        }
        assert_eq!(zone_to_id(tz("Asia/Shanghai"), at()), Ok("56"));
        assert_eq!(id_to_zone("56"), Some(tz("Asia/Shanghai")));
        assert_eq!(id_to_zone(" 26 "), Some(tz("Europe/London")));
        assert_eq!(id_to_zone("0"), None);
        assert_eq!(id_to_zone("78"), None);
    }

    #[test]
    fn zones_with_the_same_rules_take_the_id_whose_label_names_them() {
        assert_eq!(zone_to_id(tz("Asia/Hong_Kong"), at()), Ok("56"));
        assert_eq!(zone_to_id(tz("Asia/Taipei"), at()), Ok("56"));
        assert_eq!(zone_to_id(tz("Asia/Chongqing"), at()), Ok("56"));
        assert_eq!(zone_to_id(tz("Asia/Kuala_Lumpur"), at()), Ok("58"));
        assert_eq!(zone_to_id(tz("Europe/Madrid"), at()), Ok("29"));
        assert_eq!(zone_to_id(tz("Europe/Rome"), at()), Ok("27"));
        assert_eq!(zone_to_id(tz("Europe/Prague"), at()), Ok("28"));
        assert_eq!(zone_to_id(tz("Europe/Zagreb"), at()), Ok("30"));
        assert_eq!(zone_to_id(tz("Europe/Lisbon"), at()), Ok("26"));
        assert_eq!(zone_to_id(tz("Europe/Dublin"), at()), Ok("26"));
        assert_eq!(zone_to_id(tz("Europe/Riga"), at()), Ok("36"));
        assert_eq!(zone_to_id(tz("America/Toronto"), at()), Ok("13"));
        assert_eq!(zone_to_id(tz("America/Vancouver"), at()), Ok("5"));
        assert_eq!(zone_to_id(tz("Asia/Calcutta"), at()), Ok("48"));
        assert_eq!(zone_to_id(tz("Australia/Melbourne"), at()), Ok("66"));
        // UTC has no row of its own; in November London is on UTC, so 26.
        assert_eq!(zone_to_id(tz("UTC"), at()), Ok("26"));
    }

    #[test]
    fn a_zone_whose_rules_differ_from_every_row_takes_the_same_offset_at_the_meeting() {
        // Cuba keeps its own DST rules; in November it is UTC-5 like Bogota (12), the first
        // row with that offset then.
        let id = zone_to_id(tz("America/Havana"), at()).unwrap();
        let z = id_to_zone(id).unwrap();
        assert_eq!(
            offset_seconds(z, at()),
            offset_seconds(tz("America/Havana"), at())
        );
        assert_eq!(id, "12");
        // Europe/Istanbul is UTC+3 all year: same rules as Baghdad (38), even though the
        // outdated label of 32 names Istanbul at +2.
        assert_eq!(zone_to_id(tz("Europe/Istanbul"), at()), Ok("38"));
    }

    #[test]
    fn offsets_the_table_lacks_are_a_clear_error() {
        let e = zone_to_id(tz("Pacific/Kiritimati"), at()).unwrap_err();
        assert_eq!(e.offset, "+14:00");
        assert!(e.to_string().contains("Pacific/Kiritimati"));
        let e = zone_to_id(tz("Pacific/Marquesas"), at()).unwrap_err();
        assert_eq!(e.offset, "-09:30");
        assert!(zone_to_id(tz("Australia/Eucla"), at()).is_err());
        assert!(zone_to_id(tz("Pacific/Chatham"), at()).is_err());
    }

    #[test]
    fn wire_times_are_utc_minutes() {
        assert_eq!(to_wire_time(at()), "2026-11-24 01:30");
        assert_eq!(parse_wire_time("2026-11-24 01:30"), Some(at()));
        assert_eq!(parse_wire_time("2026-11-24 01:30:00"), Some(at()));
        assert_eq!(parse_wire_time("24/11/2026"), None);
    }

    fn draft() -> MeetingDraft {
        MeetingDraft {
            subject: "周例会".into(),
            start: at(),
            duration_minutes: 45,
            zone: tz("Asia/Shanghai"),
            attendees: vec![
                Attendee {
                    name: "张三".into(),
                    email: Some("zhang@example.com".into()),
                    phone: Some("+8613800138000".into()),
                    account: Some("zhangsan".into()),
                    role: AttendeeRole::Host,
                },
                Attendee {
                    name: "Room".into(),
                    email: None,
                    phone: Some("sip:room1@example.com".into()),
                    account: None,
                    role: AttendeeRole::Participant,
                },
            ],
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

    #[test]
    fn a_draft_becomes_the_documented_create_body() {
        let r = draft_to_request(&draft(), AttendeeMode::AppId { app_id: "app-1" }).unwrap();
        assert_eq!(r.subject, "周例会");
        assert_eq!(r.media_types, "HDVideo");
        assert_eq!(r.start_time, "2026-11-24 01:30");
        assert_eq!(r.length, 45);
        assert_eq!(r.time_zone_id, "56");
        assert_eq!(r.language, "zh-CN");
        assert_eq!(
            r.conf_config_info,
            ConfConfigInfoRequest {
                is_send_notify: true,
                is_send_sms: false,
                is_send_calendar: true
            }
        );
        let a = &r.attendees[0];
        assert_eq!(a.account_id.as_deref(), Some("zhangsan"));
        assert_eq!(a.app_id.as_deref(), Some("app-1"));
        assert_eq!(a.role, 1);
        assert_eq!(a.sms.as_deref(), Some("+8613800138000"));
        assert_eq!(a.email.as_deref(), Some("zhang@example.com"));
        let room = &r.attendees[1];
        assert_eq!(room.app_id, None);
        assert_eq!(room.role, 0);
        assert_eq!(room.sms, None, "a SIP number gets no SMS");
        // Password accounts name Huawei accounts directly, without an appId.
        let r = draft_to_request(&draft(), AttendeeMode::Password).unwrap();
        assert_eq!(r.attendees[0].account_id.as_deref(), Some("zhangsan"));
        assert_eq!(r.attendees[0].app_id, None);
    }

    #[test]
    fn a_draft_in_a_zone_huawei_cannot_show_is_refused() {
        let mut d = draft();
        d.zone = tz("Pacific/Kiritimati");
        assert!(draft_to_request(&d, AttendeeMode::Password).is_err());
    }

    fn info() -> ConferenceInfo {
        ConferenceInfo {
            conference_id: Some("914673889".into()),
            subject: Some("例行会议".into()),
            time_zone_id: Some("56".into()),
            start_time: Some("2022-08-30 12:00".into()),
            end_time: Some("2022-08-30 13:00".into()),
            conference_state: Some("Schedule".into()),
            access_number: Some("+991117".into()),
            password_entry: vec![
                PasswordEntry {
                    conference_role: Some("chair".into()),
                    password: Some(SecretString::from("864209")),
                },
                PasswordEntry {
                    conference_role: Some("general".into()),
                    password: Some(SecretString::from("135791")),
                },
            ],
            scheduser_name: Some("金秘书".into()),
            chair_join_uri: Some(SecretString::from(
                "https://c.meeting.huaweicloud.com/#/j/914673889/chairtoken",
            )),
            guest_join_uri: Some(
                "https://c.meeting.huaweicloud.com/#/j/914673889/guesttoken".into(),
            ),
            conf_config_info: Some(ConfConfigInfo {
                is_send_notify: Some(false),
                is_send_sms: Some(true),
                is_send_calendar: None,
            }),
            part_attendee_info: vec![PartAttendee {
                name: Some("张三".into()),
                phone: Some("+99111*****4158".into()),
                kind: Some("normal".into()),
                role: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_conference_becomes_a_meeting_with_host_secrets_kept_apart() {
        let m = conference_to_meeting(&info(), None, at()).unwrap();
        assert_eq!(m.vendor_id, "914673889");
        assert_eq!(m.meeting_number, "914673889");
        assert_eq!(m.subject, "例行会议");
        assert_eq!(
            m.start,
            Utc.with_ymd_and_hms(2022, 8, 30, 12, 0, 0).unwrap()
        );
        assert_eq!(m.duration_minutes, 60);
        assert_eq!(m.zone, Some(tz("Asia/Shanghai")));
        assert_eq!(m.state, MeetingState::Scheduled);
        assert_eq!(m.organizer.as_deref(), Some("金秘书"));
        assert_eq!(m.dial_in.as_deref(), Some("+991117"));
        assert_eq!(m.guest_password.as_deref(), Some("135791"));
        assert_eq!(
            m.host_password
                .as_ref()
                .map(|p| p.expose_secret().to_string())
                .as_deref(),
            Some("864209")
        );
        let host = m.links.iter().find(|l| l.role == LinkRole::Host).unwrap();
        assert_eq!(host.kind, LinkKind::Web);
        assert!(host.url.expose_secret().ends_with("/chairtoken"));
        assert_eq!(host.public_url(), None);
        let guest = m
            .links
            .iter()
            .find(|l| l.role == LinkRole::Attendee)
            .unwrap();
        assert_eq!(guest.kind, LinkKind::Web);
        assert!(guest.public_url().unwrap().ends_with("/guesttoken"));
        assert_eq!(
            m.notify,
            Some(Notifications {
                email: false,
                sms: true,
                calendar: false
            })
        );
        // The masked phone of partAttendeeInfo is dropped, the name kept.
        assert_eq!(m.attendees.len(), 1);
        assert_eq!(m.attendees[0].name, "张三");
        assert_eq!(m.attendees[0].phone, None);
    }

    #[test]
    fn states_map_and_a_missing_state_is_read_from_the_clock() {
        let s = Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap();
        let e = s + Duration::minutes(30);
        assert_eq!(
            map_state(Some("Schedule"), s, e, s),
            MeetingState::Scheduled
        );
        assert_eq!(
            map_state(Some("Creating"), s, e, s),
            MeetingState::InProgress
        );
        assert_eq!(
            map_state(Some("Created"), s, e, s),
            MeetingState::InProgress
        );
        assert_eq!(map_state(Some("Destroyed"), s, e, s), MeetingState::Ended);
        assert_eq!(
            map_state(None, s, e, s - Duration::minutes(1)),
            MeetingState::Scheduled
        );
        assert_eq!(
            map_state(Some("?"), s, e, s + Duration::minutes(1)),
            MeetingState::InProgress
        );
        assert_eq!(map_state(None, s, e, e), MeetingState::Ended);
    }

    #[test]
    fn detail_participants_replace_the_abbreviated_list() {
        let ps = vec![
            ParticipantInfo {
                name: Some("Alice".into()),
                role: Some(1),
                account_id: Some("alice".into()),
                email: Some("alice@example.com".into()),
                sms: Some("+8613800138000".into()),
                ..Default::default()
            },
            ParticipantInfo {
                email: Some("bob@example.com".into()),
                ..Default::default()
            },
        ];
        let m = conference_to_meeting(&info(), Some(&ps), at()).unwrap();
        assert_eq!(m.attendees.len(), 2);
        assert_eq!(m.attendees[0].role, AttendeeRole::Host);
        assert_eq!(m.attendees[0].account.as_deref(), Some("alice"));
        assert_eq!(m.attendees[0].phone.as_deref(), Some("+8613800138000"));
        assert_eq!(m.attendees[1].name, "bob@example.com");
        assert_eq!(m.attendees[1].role, AttendeeRole::Participant);
    }

    #[test]
    fn answers_without_id_or_start_are_bad_and_say_which_field() {
        let mut c = info();
        c.start_time = None;
        assert_eq!(
            conference_to_meeting(&c, None, at()).unwrap_err(),
            BadMeeting("startTime")
        );
        let mut c = info();
        c.conference_id = Some(" ".into());
        assert_eq!(
            conference_to_meeting(&c, None, at()).unwrap_err(),
            BadMeeting("conferenceID")
        );
        // A missing end falls back to the documented default length.
        let mut c = info();
        c.end_time = None;
        assert_eq!(
            conference_to_meeting(&c, None, at())
                .unwrap()
                .duration_minutes,
            30
        );
    }
}
