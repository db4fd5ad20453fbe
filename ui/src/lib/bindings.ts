// GENERATED FILE - DO NOT EDIT.
// The IPC types of huiyi-desk (crates/desk/src/api.rs) and the huiyi-core types they use,
// exported with ts-rs. Regenerate with: UPDATE_BINDINGS=1 cargo test -p huiyi-desk bindings

/**
 * The non-secret half of an account's credentials. The secret half (App Key, password, ...)
 * lives only in the OS keyring, keyed by the account id.
 */
export type AccountAuth = { "method": "huawei_app_id", app_id: string, user_id: string | null, } | { "method": "huawei_password", account: string, } | { "method": "tencent_app", app_id: string, sdk_id: string | null, secret_id: string, operator: string, } | { "method": "bizconf_api", site_sign: string, user_id: string, user_name: string, } | { "method": "feishu_app", app_id: string, region: FeishuRegion, owner: string | null, } | { "method": "cloudroom_api", secret_id: string, user_id: string | null, };

/**
 * Local identifier of an account (a UUID string). Also the keyring entry's user name.
 */
export type AccountId = string;

export type AccountProblem = { account_id: AccountId, account_label: string, error: UiError, };

export type AccountView = { id: AccountId, vendor: VendorKind, 
/**
 * The vendor's name in the UI language.
 */
vendor_name: string, label: string, base_url: string, 
/**
 * Who the account acts as ("alice @ fdb8…", "zhangsan@huawei.com").
 */
principal: string, auth: AccountAuth, sandbox: boolean, created_at: string, 
/**
 * The person's own authorization, for vendors whose calls need one (Feishu: booking
 * without an owner, ending a meeting); none for the others.
 */
user_authorization: UserAuthorization | null, };

export type Agenda = { 
/**
 * Upcoming and in-progress meetings of every account, by start time.
 */
meetings: Array<MeetingSummary>, 
/**
 * Accounts whose refresh failed; their meetings come from the cache.
 */
problems: Array<AccountProblem>, 
/**
 * The oldest successful refresh among the accounts shown, if any.
 */
refreshed_at: string | null, };

/**
 * A person invited to a meeting. At least one of `email`, `phone` and `account` is set
 * (enforced by [`crate::booking::BookingForm::validate`]).
 */
export type Attendee = { name: string, email: string | null, 
/**
 * E.164 mobile number (`+8613800138000`) or a SIP number.
 */
phone: string | null, 
/**
 * The person's user id at the vendor (Huawei third-party user id, Tencent userid, ...).
 */
account: string | null, role: AttendeeRole, };

export type AttendeeInput = { name: string, email: string, phone: string, account: string, host: boolean, };

export type AttendeeRole = "host" | "participant";

/**
 * Occurrences of the series the vendor will not hold now.
 */
export type BeyondCap = { limit: CapLimit, 
/**
 * How many; none when the series goes on without end.
 */
count: number | null, 
/**
 * The first of them, as the series places it.
 */
first: string | null, };

/**
 * What the booking form shows before it is submitted, while the person is still choosing a
 * time: the account's other meetings then, and the ports free then where the vendor reserves
 * ports. Advice, not a verdict: the vendor decides when the booking is sent.
 */
export type BookingCheck = { 
/**
 * The account's other open meetings overlapping the chosen time (from the local agenda).
 */
overlapping: Array<MeetingSummary>, 
/**
 * The vendor refuses a meeting overlapping another of the account (BizConf 202), so with
 * `overlapping` non-empty the booking would fail.
 */
overlap_refused: boolean, 
/**
 * Ports free for the whole chosen time, the meeting being changed not counted.
 */
free_ports: number | null, 
/**
 * Why `free_ports` could not be read, when the vendor reserves ports but did not answer.
 */
ports_error: UiError | null, };

/**
 * Raw form input. Times are wall-clock times in `zone`, as typed: `2026-11-24T09:30`.
 * The end is given either as `end` or as `duration_minutes`.
 */
export type BookingForm = { subject: string, start: string, end?: string, duration_minutes?: number, zone: string, attendees: Array<AttendeeInput>, notify: Notifications, 
/**
 * Concurrent participant ports (方数) to reserve; empty = the vendor's default. Only for
 * vendors with [`Capabilities::max_ports`].
 */
ports?: number, 
/**
 * Attendees must register first. Only for vendors with [`Capabilities::registration`].
 */
registration: boolean, 
/**
 * The meeting password attendees type; empty = none. Only for vendors with
 * [`Capabilities::password_digits`].
 */
password: string, };

/**
 * The limit that keeps some occurrences from being booked now.
 */
export type CapLimit = { "kind": "booking_window", days: number, } | { "kind": "no_end", planned: number, };

/**
 * What a vendor can express, declared by its client and checked by the desk before anything
 * is submitted, so a limit becomes a field error at the form instead of a vendor rejection.
 */
export type Capabilities = { max_subject_chars: number, min_duration_minutes: number, max_duration_minutes: number, max_attendees: number, 
/**
 * The vendor needs every attendee to carry one of these identities.
 */
attendee_needs_phone: boolean, 
/**
 * The vendor takes no participant list, only hosts named by their user id there (a
 * Feishu reserve's assigned hosts, by open_id): anyone else cannot be expressed.
 */
only_hosts_by_account: boolean, 
/**
 * Every attendee is named by their user id at the vendor (CloudRoom invites by user id
 * only): an email or phone alone cannot be expressed.
 */
attendee_needs_account: boolean, 
/**
 * The vendor sends its own email / SMS / calendar notices when asked to.
 */
notify_email: boolean, notify_sms: boolean, notify_calendar: boolean, 
/**
 * A meeting can be edited before it starts.
 */
edit: boolean, 
/**
 * Join links carry host rights separately from attendee links.
 */
host_links: boolean, 
/**
 * The vendor manages meeting rooms that can be booked for a meeting (Tencent Meeting
 * Rooms): [`crate::VendorRoom`].
 */
rooms: boolean, 
/**
 * The most concurrent participant ports (方数) one meeting may reserve; `None` = the vendor
 * reserves no ports, so a booking cannot ask for any (BizConf `confParties`).
 */
max_ports: number | null, 
/**
 * Meetings can require attendees to register first (BizConf `registrationType`).
 */
registration: boolean, 
/**
 * The vendor refuses a meeting that overlaps another of the same account (BizConf 202,
 * one meeting per user per time slot), so the form warns before booking one.
 */
one_meeting_at_a_time: boolean, 
/**
 * The vendor keeps a recurring series as one meeting with occurrences (Tencent
 * `meeting_type` 1, Huawei cycle conferences). Without it (BizConf) a series can only be
 * booked as single meetings, which the series feature does locally. A vendor that keeps a
 * series under one id but has no occurrences to address (CloudRoom `periodType`: one
 * `confId` for the whole series, no per-occurrence edit, cancel or listing, no weekday
 * choice) does not have it either: its native periodic form is reachable only through its
 * client's own API (`CloudroomClient::create_periodic_meeting`).
 */
native_series: boolean, 
/**
 * A meeting in progress can be ended for everyone from Huiyi (BizConf `endConf`).
 */
end_meeting: boolean, 
/**
 * The vendor lists an account's meetings. Without it (Feishu has no list of reserves) the
 * agenda follows the meetings booked here, reading each by its id.
 */
lists_meetings: boolean, 
/**
 * The vendor keeps a meeting's start. Without it (a Feishu reserve holds only the time its
 * number stops working) the start shown is the one planned in Huiyi.
 */
keeps_start: boolean, 
/**
 * Joining in the vendor's app takes a link minted for the person right before the launch,
 * which is a credential (CloudRoom's `CRMT:` string): it is never shown or cached, only
 * fetched by the Join button (`Desk::join_link_of` with the protocol kind).
 */
app_link_on_demand: boolean, 
/**
 * A meeting password can be chosen at booking: digits only, this many (CloudRoom 4-6);
 * `None` = Huiyi does not set one for this vendor.
 */
password_digits: PasswordDigits | null, };

/**
 * Which calendar rule made a vendor's meetings differ from the series'.
 */
export type DiffHint = "short_months" | "week_start" | "zone_rules";

/**
 * Which Feishu cloud an app lives on: Feishu (China, open.feishu.cn) or Lark (international,
 * open.larksuite.com); note §1, [GO:client.go] `FeishuBaseUrl` / `LarkBaseUrl`.
 */
export type FeishuRegion = "feishu" | "lark";

/**
 * One problem with one field of a form; `field` names the input (`subject`, `start`, `end`,
 * `zone`, `attendees.2.email`, ...) so the UI can show it next to that input.
 */
export type FieldError = { field: string, code: FieldErrorCode, };

export type FieldErrorCode = { "kind": "required" } | { "kind": "too_long", max: number, } | { "kind": "bad_date_time" } | { "kind": "start_in_past" } | { "kind": "end_not_after_start" } | { "kind": "duration_out_of_range", min: number, max: number, } | { "kind": "unknown_zone" } | { "kind": "nonexistent_local_time" } | { "kind": "attendee_unreachable" } | { "kind": "attendee_needs_phone" } | { "kind": "attendee_must_be_host_account" } | { "kind": "attendee_needs_account" } | { "kind": "bad_email" } | { "kind": "bad_phone" } | { "kind": "too_many_attendees", max: number, } | { "kind": "bad_url" } | { "kind": "not_a_number" } | { "kind": "password_digits", min: number, max: number, } | { "kind": "ports_out_of_range", min: number, max: number, } | { "kind": "not_supported_by_vendor" } | { "kind": "rule_syntax", part: string, } | { "kind": "rule_missing_freq" } | { "kind": "rule_part_repeated", part: string, } | { "kind": "rule_unsupported", part: string, } | { "kind": "rule_value_out_of_range", part: string, min: number, max: number, } | { "kind": "rule_part_not_with_freq", part: string, freq: string, } | { "kind": "rule_count_and_until" } | { "kind": "rule_set_pos_alone" } | { "kind": "until_not_utc" } | { "kind": "rule_no_occurrences" } | { "kind": "not_an_occurrence" } | { "kind": "duplicate_occurrence" };

export type FieldErrorView = { field: string, code: FieldErrorCode, message: string, };

/**
 * How the person wants to enter a meeting from a join link, where the vendor's link can say
 * so (Feishu's `app_link` switches `preview`, `mic`, `camera`, `speaker`, note §10).
 */
export type JoinPreferences = { 
/**
 * Show the pre-join page first (camera/mic check).
 */
preview: boolean, mic: boolean, camera: boolean, speaker: boolean, };

/**
 * The UI language. Every message a person reads is produced in one of these.
 */
export type Lang = "zh" | "en";

export type LinkKind = "web" | "protocol";

export type LinkRole = "host" | "attendee";

export type LinkView = { kind: LinkKind, role: LinkRole, 
/**
 * The URL for attendee links; `None` for host links, which Rust opens or copies itself.
 */
url: string | null, };

/** Local id of a meeting in the desk's store (a UUID string). */
export type MeetingId = string;

export type MeetingState = "scheduled" | "in_progress" | "ended" | "cancelled";

/**
 * One row of the agenda.
 */
export type MeetingSummary = { id: string, account_id: AccountId, account_label: string, vendor: VendorKind, sandbox: boolean, subject: string, start: string, end: string, 
/**
 * IANA zone of the meeting, for showing its own time beside the local time.
 */
zone: string, state: MeetingState, meeting_number: string, 
/**
 * The series this meeting was booked for, when it is one occurrence of a series booked as
 * single meetings (see `Desk::series`).
 */
series_id: string | null, };

export type MeetingView = { summary: MeetingSummary, organizer: string | null, attendees: Array<Attendee>, guest_password: string | null, 
/**
 * The vendor gave a host password; copy it with the `copy_host_password` command.
 */
has_host_password: boolean, 
/**
 * Dial-in access number.
 */
dial_in: string | null, links: Array<LinkView>, notify: Notifications | null, 
/**
 * Vendor rooms booked for the meeting through Huiyi, in booking order.
 */
rooms: Array<VendorRoom>, 
/**
 * When the details were last read from the vendor.
 */
fetched_at: string, };

/**
 * Which native recurrence the vendor's series is.
 */
export type NativeKind = "huawei_cycle" | "tencent_recurring" | "cloudroom_periodic";

/**
 * A new account as the form (or CLI) gives it. `secret` (App Key or password) goes straight to
 * the keyring; it is deserialized into a type that never prints and is never sent back.
 */
export type NewAccount = { label: string, 
/**
 * Empty or absent: the vendor's official host.
 */
base_url?: string, auth: AccountAuth, secret: string, };

/**
 * A part of the series the vendor's own rule does not carry, and what becomes of it.
 */
export type NotCarried = { "kind": "cancelled_after_create", count: number, } | { "kind": "moved_after_create", count: number, } | { "kind": "vendor_workdays" } | { "kind": "vendor_reminders", days: number, } | { "kind": "series_known_only_to_huiyi" };

/**
 * Which notices the vendor itself sends to the attendees.
 */
export type Notifications = { email: boolean, sms: boolean, calendar: boolean, };

/**
 * Where one occurrence stands. `Sending` is written before the vendor is called, so a crash
 * during the call leaves it behind and the next run reconciles it with the vendor's list.
 */
export type OccurrenceState = "pending" | "sending" | "booked" | "failed" | "cancelled" | "unknown";

/**
 * One occurrence of a series and its booking.
 */
export type OccurrenceView = { 
/**
 * Its key: where the rule put it, wall-clock time in the series' zone
 * (`2026-03-02T09:30`), whatever moves happened since.
 */
original_start: string, subject: string, start: string, end: string, state: OccurrenceState, 
/**
 * The meeting in the agenda, when booked.
 */
meeting_id: string | null, 
/**
 * Calls made to the vendor to book it.
 */
attempts: number, 
/**
 * Why the last attempt failed, in the UI language.
 */
error: string | null, };

/**
 * How many digits a meeting password has.
 */
export type PasswordDigits = { min: number, max: number, };

/**
 * The unit of an interval.
 */
export type PeriodUnit = "day" | "week" | "month";

/**
 * How the vendor will hold the series.
 */
export type PlanMode = { "mode": "native", kind: NativeKind, } | { "mode": "local" };

/**
 * Why the vendor cannot keep the series natively.
 */
export type PlanReason = { "kind": "no_recurrence" } | { "kind": "reserves_do_not_repeat" } | { "kind": "invalid", problems: Array<FieldError>, } | { "kind": "zone", zone: string, } | { "kind": "yearly" } | { "kind": "interval", unit: PeriodUnit, max: number, got: number, } | { "kind": "interval_not_offered", unit: PeriodUnit, got: number, } | { "kind": "ordinal_weekday", by_day: string, } | { "kind": "day_and_date" } | { "kind": "monthly_by_weekday", by_day: string, } | { "kind": "set_pos" } | { "kind": "daily_filtered" } | { "kind": "negative_month_day", day: number, } | { "kind": "other_weekdays", by_day: string, } | { "kind": "several_weekdays", by_day: string, } | { "kind": "other_month_days", days: Array<number>, } | { "kind": "short_month_day", day: number, } | { "kind": "no_end" } | { "kind": "too_many_occurrences", max: number, got: number, } | { "kind": "longer_than_a_year", start: string, end: string, } | { "kind": "length", min: number, max: number, got: number, } | { "kind": "start_off_rule", start: string, } | { "kind": "retitled_occurrences", count: number, } | { "kind": "no_occurrence_operations", count: number, } | { "kind": "differs", series: string | null, vendor: string | null, hint: DiffHint | null, };

/**
 * A person to register, as the form (or CLI) gives them.
 */
export type RegistrantInput = { name: string, email: string, };

/**
 * A registrant as the meeting page lists them. Their personal join link stays in Rust
 * (`Desk::registrant_link`, copied by the shell).
 */
export type RegistrantView = { id: string, name: string, email: string | null, state: RegistrationState, registered_at: string | null, 
/**
 * The vendor gave them a personal join link.
 */
has_link: boolean, };

export type RegistrationState = "pending" | "approved" | "denied";

export type SandboxStatus = { running: boolean, 
/**
 * Sandbox accounts that exist (running or not).
 */
accounts: Array<AccountView>, };

/**
 * A recurring series as the form (or CLI) gives it. Times are wall-clock times in `zone`, as
 * typed; `rrule` is an RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=10`). Every occurrence is
 * booked with the same subject, attendees, notices, ports, registration and password.
 */
export type SeriesForm = { subject: string, 
/**
 * The first start (DTSTART): `2026-03-02T09:30`.
 */
start: string, zone: string, duration_minutes: number, rrule: string, 
/**
 * Occurrences left out (EXDATE), by their start, wall-clock time in `zone`.
 */
exdates: Array<string>, attendees: Array<AttendeeInput>, notify: Notifications, ports?: number, registration: boolean, password: string, };

/**
 * How a series exists at the vendor.
 */
export type SeriesMode = "local" | "native";

/**
 * What one vendor will do with a series. See the module docs.
 */
export type SeriesPlan = { vendor: VendorKind, mode: PlanMode, 
/**
 * Meetings the vendor will hold once booked (EXDATEs and cancelled occurrences left out;
 * for a local plan, only those that can be booked now).
 */
occurrences: number, 
/**
 * The vendor keeps the series without end (a native rule with no end date).
 */
open_ended: boolean, beyond_cap: Array<BeyondCap>, not_carried: Array<NotCarried>, 
/**
 * Why not native (empty for a native plan).
 */
reasons: Array<PlanReason>, };

/**
 * One account's part of the capability report, with every item in the desk's language.
 */
export type SeriesPlanView = { account: AccountView, plan: SeriesPlan, 
/**
 * "native Tencent Meeting recurring series of 24 meeting(s)" / "24 single meeting(s), ...".
 */
headline: string, 
/**
 * Why not native (empty when native).
 */
reasons: Array<string>, 
/**
 * Occurrences the vendor will not hold now, and why.
 */
beyond_cap: Array<string>, 
/**
 * Parts of the series the vendor's rule does not carry, and what Huiyi does instead.
 */
not_carried: Array<string>, };

/**
 * Where a series as a whole stands.
 */
export type SeriesState = "booking" | "booked" | "partial" | "cancelling" | "cancelled";

/**
 * A series and the progress of its booking ("n of N booked").
 */
export type SeriesView = { id: string, account_id: AccountId, account_label: string, vendor: VendorKind, subject: string, zone: string, 
/**
 * The rule in canonical RRULE form.
 */
rrule: string, 
/**
 * The rule in words, in the UI language.
 */
summary: string, mode: SeriesMode, state: SeriesState, created_at: string, 
/**
 * Occurrences booked at the vendor.
 */
booked: number, 
/**
 * Occurrences meant to exist (all but the cancelled ones).
 */
total: number, 
/**
 * Occurrences whose existence at the vendor is unknown (see [`OccurrenceState::Unknown`]).
 */
unknown: number, failed: number, 
/**
 * A booking or cancelling of this series is running now (here or in another window).
 */
running: boolean, occurrences: Array<OccurrenceView>, };

export type Settings = { lang: Lang, data_dir: string, 
/**
 * The computer's own IANA zone, the default for new bookings.
 */
local_zone: string, 
/**
 * How join links bring the person in (where a vendor's link can say so).
 */
join: JoinPreferences, };

/**
 * What every front end shows when something fails: a sentence in the UI language that says
 * what to fix, plus machine-readable parts. Never contains a secret.
 */
export type UiError = { 
/**
 * Stable code: `invalid_input`, `not_found`, `keyring`, `storage`, or a vendor kind code
 * such as `start_in_past` (see `VendorErrorKind::code`).
 */
code: string, message: string, vendor: VendorKind | null, 
/**
 * The vendor's own error code, for support.
 */
vendor_code: string | null, retryable: boolean, 
/**
 * Per-field problems for `invalid_input`.
 */
fields: Array<FieldErrorView>, };

/**
 * Where an account's user authorization stands (Feishu's user token, OAuth in the browser).
 */
export type UserAuthorization = { state: UserAuthorizationState, 
/**
 * Until when it can be renewed without the browser (the refresh token's end).
 */
renewable_until: string | null, 
/**
 * The redirect URI the vendor app must list in its security settings; none for a sandbox
 * account (the fake accepts any loopback address).
 */
redirect_uri: string | null, 
/**
 * A connection is waiting for the browser's answer.
 */
connecting: boolean, };

export type UserAuthorizationState = "not_connected" | "connected" | "lapsed";

/**
 * Why a vendor call failed, in terms a person can act on. Vendor clients map their own error
 * codes onto these; the raw code and message travel alongside for support.
 */
export type VendorErrorKind = "bad_credentials" | "account_locked" | "session_expired" | "user_authorization_needed" | "clock_skew" | "permission_denied" | "start_in_past" | "beyond_booking_window" | "daily_limit_reached" | "resources_insufficient" | "room_occupied" | "time_conflict" | "unsupported" | "attendee_invalid" | "meeting_started" | "not_found" | "invalid_request" | "rate_limited" | "unavailable" | "timeout" | "network" | "bad_response";

/**
 * The five conferencing clouds Huiyi books on.
 */
export type VendorKind = "huawei" | "tencent" | "bizconf" | "feishu" | "cloudroom";

/**
 * A room as the vendor describes it.
 */
export type VendorRoom = { 
/**
 * The vendor's id for the room (Tencent `meeting_room_id`).
 */
vendor_id: string, name: string, 
/**
 * Where it is ("5F East"), when the vendor says.
 */
location: string | null, 
/**
 * Seats, when the vendor says.
 */
capacity: number | null, 
/**
 * The vendor lets meetings be booked in it (Tencent `scheduled_status` 1).
 */
bookable: boolean, };
