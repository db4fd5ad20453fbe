use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a vendor can express, declared by its client and checked by the desk before anything
/// is submitted, so a limit becomes a field error at the form instead of a vendor rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Capabilities {
    pub max_subject_chars: usize,
    pub min_duration_minutes: u32,
    pub max_duration_minutes: u32,
    pub max_attendees: usize,
    /// The vendor needs every attendee to carry one of these identities.
    pub attendee_needs_phone: bool,
    /// The vendor takes no participant list, only hosts named by their user id there (a
    /// Feishu reserve's assigned hosts, by open_id): anyone else cannot be expressed.
    pub only_hosts_by_account: bool,
    /// Every attendee is named by their user id at the vendor (CloudRoom invites by user id
    /// only): an email or phone alone cannot be expressed.
    pub attendee_needs_account: bool,
    /// The vendor sends its own email / SMS / calendar notices when asked to.
    pub notify_email: bool,
    pub notify_sms: bool,
    pub notify_calendar: bool,
    /// A meeting can be edited before it starts.
    pub edit: bool,
    /// Join links carry host rights separately from attendee links.
    pub host_links: bool,
    /// The vendor manages meeting rooms that can be booked for a meeting (Tencent Meeting
    /// Rooms): [`crate::VendorRoom`].
    pub rooms: bool,
    /// The most concurrent participant ports (方数) one meeting may reserve; `None` = the vendor
    /// reserves no ports, so a booking cannot ask for any (BizConf `confParties`).
    pub max_ports: Option<u32>,
    /// Meetings can require attendees to register first (BizConf `registrationType`).
    pub registration: bool,
    /// The vendor refuses a meeting that overlaps another of the same account (BizConf 202,
    /// one meeting per user per time slot), so the form warns before booking one.
    pub one_meeting_at_a_time: bool,
    /// The vendor keeps a recurring series as one meeting with occurrences (Tencent
    /// `meeting_type` 1, Huawei cycle conferences). Without it (BizConf) a series can only be
    /// booked as single meetings, which the series feature does locally. A vendor that keeps a
    /// series under one id but has no occurrences to address (CloudRoom `periodType`: one
    /// `confId` for the whole series, no per-occurrence edit, cancel or listing, no weekday
    /// choice) does not have it either: its native periodic form is reachable only through its
    /// client's own API (`CloudroomClient::create_periodic_meeting`).
    pub native_series: bool,
    /// A meeting in progress can be ended for everyone from Huiyi (BizConf `endConf`).
    pub end_meeting: bool,
    /// The vendor lists an account's meetings. Without it (Feishu has no list of reserves) the
    /// agenda follows the meetings booked here, reading each by its id.
    pub lists_meetings: bool,
    /// The vendor keeps a meeting's start. Without it (a Feishu reserve holds only the time its
    /// number stops working) the start shown is the one planned in Huiyi.
    pub keeps_start: bool,
    /// Joining in the vendor's app takes a link minted for the person right before the launch,
    /// which is a credential (CloudRoom's `CRMT:` string): it is never shown or cached, only
    /// fetched by the Join button (`Desk::join_link_of` with the protocol kind).
    pub app_link_on_demand: bool,
    /// A meeting password can be chosen at booking: digits only, this many (CloudRoom 4-6);
    /// `None` = Huiyi does not set one for this vendor.
    pub password_digits: Option<PasswordDigits>,
}

/// How many digits a meeting password has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PasswordDigits {
    pub min: usize,
    pub max: usize,
}
