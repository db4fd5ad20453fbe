//! Feishu wire <-> huiyi-core conversions.
//!
//! **Time.** A reserve has no start time, duration or time zone: only `end_time`, the expiry
//! of the reservation (meeting number), at most 30 days ahead (note §4.2 L229-236, §11
//! L551-554). The meeting starts whenever someone joins, and a reserve can host several
//! meetings one after another (L557-562). Huiyi's choice:
//! - booking sends `end_time` = the planned end of the meeting, exactly (no grace), so the
//!   meeting number is held from the booking until the planned end and released after it;
//!   a planned end in the past or more than 30 days ahead is refused before any call
//!   ([`reserve_end`]);
//! - the start time and length are kept **locally** (note §14 L714-716): the meeting returned
//!   by create/update starts at the draft's start and ends at the `end_time` Feishu
//!   confirmed (which may differ from the one sent, §12.13 L636-637);
//! - a meeting **read back** says only what Feishu holds: it starts and ends at the
//!   reservation's expiry (`duration_minutes` 0, no zone) — unless a meeting is live under the
//!   reserve, which then starts at that meeting's `start_time`. Subject, number, password,
//!   owner and links are Feishu's.
//!
//! **Links** (note §10): `url` is the attendee web link; `app_link` opens the Feishu client and
//! carries `{?}` placeholders the caller must fill (0 = off, 1 = on, L523-530), filled here from
//! [`JoinPreferences`]. A link with a placeholder left unknown is not offered.

use chrono::{DateTime, Duration, TimeZone, Utc};
use huiyi_core::{
    AttendeeRole, JoinLink, JoinPreferences, LinkKind, LinkRole, MeetingDraft, MeetingState,
    VendorMeeting, VendorRoom,
};

use super::wire::{AssignHost, Meeting, MeetingSettings, Reserve, Room};

/// How far ahead a reservation may expire (note L229-230).
pub const MAX_RESERVE_DAYS: i64 = 30;
/// Assigned hosts per reserve (note L211, error 123003).
pub const MAX_HOSTS: usize = 10;
/// `user_type` 1: a Feishu user (note L214).
pub const USER_TYPE_FEISHU: i64 = 1;

/// Unix seconds as the string Feishu wants (note L229, L738-739).
pub fn to_wire_time(t: DateTime<Utc>) -> String {
    t.timestamp().to_string()
}

pub fn from_wire_time(secs: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_opt(secs, 0).single()
}

/// Why a draft cannot become a reserve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexpressible {
    #[error("the meeting ends in the past; a Feishu reservation must expire in the future")]
    EndInPast,
    #[error("a Feishu reservation expires at most 30 days ahead (the meeting ends on {0})")]
    BeyondThirtyDays(String),
    #[error("Feishu reservations keep no participant list; only hosts with a Feishu open_id (ou_…) can be assigned ({0})")]
    Participant(String),
    #[error("a host needs a Feishu open_id (ou_…) in its account field ({0})")]
    HostWithoutOpenId(String),
    #[error("at most 10 assigned hosts per Feishu reservation")]
    TooManyHosts,
}

/// The `end_time` for a draft: its planned end, in the future and at most 30 days ahead.
pub fn reserve_end(
    draft: &MeetingDraft,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, Unexpressible> {
    let end = draft.end();
    if end <= now {
        return Err(Unexpressible::EndInPast);
    }
    if end > now + Duration::days(MAX_RESERVE_DAYS) {
        return Err(Unexpressible::BeyondThirtyDays(end.to_rfc3339()));
    }
    Ok(end)
}

/// `meeting_settings` for a draft: its subject as `topic`, and hosts (attendees with the host
/// role and an open_id in `account`) as `assign_host_list`. Anything else in the draft has no
/// place in a reserve and is refused rather than dropped. `password` is not sent: the owner's
/// personal setting decides (L212).
pub fn settings_from_draft(draft: &MeetingDraft) -> Result<MeetingSettings, Unexpressible> {
    let mut hosts = Vec::new();
    for a in &draft.attendees {
        match (a.role, a.account.as_deref().map(str::trim)) {
            (AttendeeRole::Host, Some(id)) if id.starts_with("ou_") => hosts.push(AssignHost {
                user_type: Some(USER_TYPE_FEISHU),
                id: Some(id.to_string()),
            }),
            (AttendeeRole::Host, _) => {
                return Err(Unexpressible::HostWithoutOpenId(a.name.clone()))
            }
            (AttendeeRole::Participant, _) => {
                return Err(Unexpressible::Participant(a.name.clone()))
            }
        }
    }
    if hosts.len() > MAX_HOSTS {
        return Err(Unexpressible::TooManyHosts);
    }
    Ok(MeetingSettings {
        topic: Some(draft.subject.trim().to_string()),
        // An update replaces the list: an empty one clears hosts that were removed (L261-262).
        assign_host_list: Some(hosts),
        ..MeetingSettings::default()
    })
}

/// `app_link` with every `{?}` filled: `id` with the reserve id when the server left it open
/// (the example, L247), and the four switches from `prefs`. `None` when the link is not
/// https or a placeholder remains that nobody documented.
pub fn fill_app_link(app_link: &str, reserve_id: &str, prefs: JoinPreferences) -> Option<String> {
    const HOLE: &str = "{?}";
    let (base, query) = app_link.trim().split_once('?')?;
    if !base.starts_with("https://") {
        return None;
    }
    let bit = |b: bool| if b { "1" } else { "0" };
    let mut parts = Vec::new();
    for part in query.split('&') {
        let filled = match part.split_once('=') {
            Some((k, HOLE)) => {
                let v = match k {
                    "id" if !reserve_id.is_empty()
                        && reserve_id.chars().all(|c| c.is_ascii_alphanumeric()) =>
                    {
                        reserve_id
                    }
                    "preview" => bit(prefs.preview),
                    "mic" => bit(prefs.mic),
                    "camera" => bit(prefs.camera),
                    "speaker" => bit(prefs.speaker),
                    _ => return None,
                };
                format!("{k}={v}")
            }
            _ => part.to_string(),
        };
        if filled.contains(HOLE) {
            return None;
        }
        parts.push(filled);
    }
    Some(format!("{base}?{}", parts.join("&")))
}

/// The attendee links of a reserve: `url` (web) and the filled `app_link` (protocol).
pub fn links(reserve: &Reserve, prefs: JoinPreferences) -> Vec<JoinLink> {
    let mut out = Vec::new();
    if let Some(u) = reserve
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| u.starts_with("https://"))
    {
        out.push(JoinLink::new(LinkKind::Web, LinkRole::Attendee, u));
    }
    let id = reserve.id.as_deref().unwrap_or("");
    if let Some(a) = reserve
        .app_link
        .as_deref()
        .and_then(|a| fill_app_link(a, id, prefs))
    {
        out.push(JoinLink::new(LinkKind::Protocol, LinkRole::Attendee, a));
    }
    out
}

/// What Huiyi planned for a meeting Feishu cannot store (start, length, zone).
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub start: DateTime<Utc>,
    pub zone: chrono_tz::Tz,
}

/// A reserve (plus the meeting live under it, if any) as a meeting; see the module docs for
/// the times. `planned`: the draft just booked or updated; `fallback_subject` when the answer
/// carries no settings (apply, L251-252).
pub fn meeting_from_reserve(
    reserve: &Reserve,
    active: Option<&Meeting>,
    planned: Option<Planned>,
    fallback_subject: &str,
    prefs: JoinPreferences,
    now: DateTime<Utc>,
) -> Option<VendorMeeting> {
    let vendor_id = reserve.id.clone().filter(|s| !s.trim().is_empty())?;
    let expiry = reserve.end_time.and_then(from_wire_time);
    let live = active.filter(|m| matches!(m.status, Some(1 | 2)));
    let state = if reserve.expire_status == Some(2) {
        MeetingState::Ended
    } else if live.is_some() {
        MeetingState::InProgress
    } else if expiry.is_some_and(|e| e <= now) {
        MeetingState::Ended
    } else {
        MeetingState::Scheduled
    };
    let live_start = live.and_then(|m| m.start_time).and_then(from_wire_time);
    let (start, end, zone) = match (planned, live_start) {
        (Some(p), _) => (p.start, expiry.unwrap_or(p.start), Some(p.zone)),
        (None, Some(s)) => (s, expiry.unwrap_or(s), None),
        (None, None) => {
            let e = expiry.unwrap_or(now);
            (e, e, None)
        }
    };
    // To the nearest minute: Feishu keeps whole seconds, a draft may start mid-second.
    let secs = (end - start).num_milliseconds().max(0) / 1000;
    let duration_minutes = u32::try_from((secs + 30) / 60).unwrap_or(u32::MAX);
    let subject = reserve
        .meeting_settings
        .as_ref()
        .and_then(|s| s.topic.clone())
        .or_else(|| live.and_then(|m| m.topic.clone()))
        .unwrap_or_else(|| fallback_subject.to_string());
    Some(VendorMeeting {
        vendor_id,
        meeting_number: reserve.meeting_no.clone().unwrap_or_default(),
        subject,
        start,
        duration_minutes,
        zone,
        state,
        organizer: reserve.reserve_user_id.clone(),
        attendees: Vec::new(),
        guest_password: reserve.password.clone().filter(|p| !p.is_empty()),
        host_password: None,
        dial_in: None,
        links: links(reserve, prefs),
        notify: None,
    })
}

/// A Feishu room as a vendor room: bookable when enabled and open for scheduling.
pub fn room(r: &Room) -> Option<VendorRoom> {
    let id = r.room_id.clone().filter(|s| !s.trim().is_empty())?;
    let status = r.room_status.as_ref();
    Some(VendorRoom {
        name: r.name.clone().unwrap_or_else(|| id.clone()),
        vendor_id: id,
        location: r.description.clone().filter(|d| !d.trim().is_empty()),
        capacity: r.capacity.and_then(|c| u32::try_from(c).ok()),
        bookable: status
            .is_none_or(|s| s.status != Some(false) && s.schedule_status != Some(false)),
    })
}
