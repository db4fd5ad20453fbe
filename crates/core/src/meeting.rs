use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::link::JoinLink;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeRole {
    Host,
    Participant,
}

/// A person invited to a meeting. At least one of `email`, `phone` and `account` is set
/// (enforced by [`crate::booking::BookingForm::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendee {
    pub name: String,
    pub email: Option<String>,
    /// E.164 mobile number (`+8613800138000`) or a SIP number.
    pub phone: Option<String>,
    /// The person's user id at the vendor (Huawei third-party user id, Tencent userid, ...).
    pub account: Option<String>,
    pub role: AttendeeRole,
}

/// Which notices the vendor itself sends to the attendees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Notifications {
    pub email: bool,
    pub sms: bool,
    pub calendar: bool,
}

impl Default for Notifications {
    fn default() -> Self {
        Notifications {
            email: true,
            sms: false,
            calendar: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    Scheduled,
    InProgress,
    Ended,
    Cancelled,
}

impl MeetingState {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingState::Scheduled => "scheduled",
            MeetingState::InProgress => "in_progress",
            MeetingState::Ended => "ended",
            MeetingState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingState> {
        [
            MeetingState::Scheduled,
            MeetingState::InProgress,
            MeetingState::Ended,
            MeetingState::Cancelled,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// A validated request to book (or re-book, on edit) a one-off meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    pub subject: String,
    pub start: DateTime<Utc>,
    pub duration_minutes: u32,
    /// The meeting's zone: how times are shown to attendees and in vendor notifications.
    pub zone: Tz,
    pub attendees: Vec<Attendee>,
    pub notify: Notifications,
    /// Concurrent participant ports (方数) to reserve, for vendors that reserve them (BizConf
    /// `confParties`, [`crate::Capabilities::max_ports`]); `None` = the vendor client's or the
    /// account's default. Vendors without ports ignore it.
    pub ports: Option<u32>,
    /// Attendees must register before joining (BizConf `registrationType=1`,
    /// [`crate::Capabilities::registration`]). Vendors without registration ignore it.
    pub registration: bool,
    /// The meeting password attendees type (checked against
    /// [`crate::Capabilities::password_digits`]); `None` = no password.
    pub password: Option<String>,
}

impl MeetingDraft {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(i64::from(self.duration_minutes))
    }
}

/// A meeting as a vendor reports it, already mapped out of the vendor's wire format.
#[derive(Debug, Clone)]
pub struct VendorMeeting {
    /// The vendor's id for the meeting (Huawei `conferenceID`), used in every later call.
    pub vendor_id: String,
    /// The number people type to join (often the same as `vendor_id`).
    pub meeting_number: String,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub duration_minutes: u32,
    /// IANA zone the vendor holds for the meeting, when it reports one.
    pub zone: Option<Tz>,
    pub state: MeetingState,
    /// The booker's name as the vendor shows it.
    pub organizer: Option<String>,
    pub attendees: Vec<Attendee>,
    pub guest_password: Option<String>,
    /// Grants host rights: a secret like host links.
    pub host_password: Option<SecretString>,
    pub dial_in: Option<String>,
    pub links: Vec<JoinLink>,
    pub notify: Option<Notifications>,
}

impl VendorMeeting {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(i64::from(self.duration_minutes))
    }
}
