//! The booking form as a person fills it in (UI or CLI), and the rules that turn it into a
//! [`MeetingDraft`] or into field errors that say what to fix.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::capabilities::{Capabilities, PasswordDigits};
use crate::error::{FieldError, FieldErrorCode};
use crate::meeting::{Attendee, AttendeeRole, MeetingDraft, Notifications};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttendeeInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub host: bool,
}

/// Raw form input. Times are wall-clock times in `zone`, as typed: `2026-11-24T09:30`.
/// The end is given either as `end` or as `duration_minutes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookingForm {
    pub subject: String,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_minutes: Option<u32>,
    pub zone: String,
    #[serde(default)]
    pub attendees: Vec<AttendeeInput>,
    #[serde(default)]
    pub notify: Notifications,
    /// Concurrent participant ports (方数) to reserve; empty = the vendor's default. Only for
    /// vendors with [`Capabilities::max_ports`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ports: Option<u32>,
    /// Attendees must register first. Only for vendors with [`Capabilities::registration`].
    #[serde(default)]
    pub registration: bool,
    /// The meeting password attendees type; empty = none. Only for vendors with
    /// [`Capabilities::password_digits`].
    #[serde(default)]
    pub password: String,
}

/// Parses `YYYY-MM-DDTHH:MM[:SS]` (a space may replace the `T`).
pub fn parse_local_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
}

/// Wall-clock time in `zone` to an instant. A time repeated by a DST change takes its first
/// occurrence; a time skipped by one is an error the person must fix.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, FieldErrorCode> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(FieldErrorCode::NonexistentLocalTime),
    }
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

/// A mobile number with country code (`+8613800138000`) or a SIP number (`sip:...`, digits).
fn looks_like_phone(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("sip:") {
        return !rest.is_empty() && !rest.chars().any(char::is_whitespace);
    }
    let digits = s.strip_prefix('+').unwrap_or(s);
    (5..=20).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl BookingForm {
    /// The meeting's start and end in UTC when the form says them readably, whatever else is
    /// still missing: what a check before submitting (conflicts, free ports) needs. Problems
    /// with the times themselves are reported by [`BookingForm::validate`].
    pub fn times(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let zone: Tz = self.zone.trim().parse().ok()?;
        let start = local_to_utc(parse_local_datetime(&self.start)?, zone).ok()?;
        let end = match self.end.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(end) => local_to_utc(parse_local_datetime(end)?, zone).ok()?,
            None => start + chrono::Duration::minutes(i64::from(self.duration_minutes?)),
        };
        (end > start).then_some((start, end))
    }

    /// Checks everything that can be checked without asking the vendor, against the vendor's
    /// declared limits, and returns either the draft or every problem at once.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        caps: &Capabilities,
    ) -> Result<MeetingDraft, Vec<FieldError>> {
        let mut errors = Vec::new();

        let subject = self.subject.trim().to_string();
        if subject.is_empty() {
            errors.push(FieldError::new("subject", FieldErrorCode::Required));
        } else if subject.chars().count() > caps.max_subject_chars {
            errors.push(FieldError::new(
                "subject",
                FieldErrorCode::TooLong {
                    max: caps.max_subject_chars,
                },
            ));
        }

        let zone: Option<Tz> = if self.zone.trim().is_empty() {
            errors.push(FieldError::new("zone", FieldErrorCode::Required));
            None
        } else {
            let z = self.zone.trim().parse::<Tz>().ok();
            if z.is_none() {
                errors.push(FieldError::new("zone", FieldErrorCode::UnknownZone));
            }
            z
        };

        let start_local = if self.start.trim().is_empty() {
            errors.push(FieldError::new("start", FieldErrorCode::Required));
            None
        } else {
            let p = parse_local_datetime(&self.start);
            if p.is_none() {
                errors.push(FieldError::new("start", FieldErrorCode::BadDateTime));
            }
            p
        };
        let start = match (start_local, zone) {
            (Some(local), Some(zone)) => match local_to_utc(local, zone) {
                Ok(t) => Some(t),
                Err(code) => {
                    errors.push(FieldError::new("start", code));
                    None
                }
            },
            _ => None,
        };
        if let Some(s) = start {
            if s <= now {
                errors.push(FieldError::new("start", FieldErrorCode::StartInPast));
            }
        }

        let range = FieldErrorCode::DurationOutOfRange {
            min: caps.min_duration_minutes,
            max: caps.max_duration_minutes,
        };
        let duration = match (
            self.end.as_deref().filter(|e| !e.trim().is_empty()),
            self.duration_minutes,
        ) {
            (Some(end), _) => match (parse_local_datetime(end), zone) {
                (None, _) => {
                    errors.push(FieldError::new("end", FieldErrorCode::BadDateTime));
                    None
                }
                (Some(local), Some(zone)) => match (local_to_utc(local, zone), start) {
                    (Err(code), _) => {
                        errors.push(FieldError::new("end", code));
                        None
                    }
                    (Ok(end), Some(start)) if end <= start => {
                        errors.push(FieldError::new("end", FieldErrorCode::EndNotAfterStart));
                        None
                    }
                    (Ok(end), Some(start)) => {
                        let minutes = (end - start).num_minutes();
                        u32::try_from(minutes).ok().or_else(|| {
                            errors.push(FieldError::new("end", range.clone()));
                            None
                        })
                    }
                    (Ok(_), None) => None,
                },
                (Some(_), None) => None,
            },
            (None, Some(minutes)) => Some(minutes),
            (None, None) => {
                errors.push(FieldError::new("end", FieldErrorCode::Required));
                None
            }
        };
        if let Some(minutes) = duration {
            if minutes < caps.min_duration_minutes || minutes > caps.max_duration_minutes {
                let field = if self.end.as_deref().is_some_and(|e| !e.trim().is_empty()) {
                    "end"
                } else {
                    "duration_minutes"
                };
                errors.push(FieldError::new(field, range.clone()));
            }
        }

        if self.attendees.len() > caps.max_attendees {
            errors.push(FieldError::new(
                "attendees",
                FieldErrorCode::TooManyAttendees {
                    max: caps.max_attendees,
                },
            ));
        }
        let mut attendees = Vec::with_capacity(self.attendees.len());
        for (i, a) in self.attendees.iter().enumerate() {
            let email = non_empty(&a.email);
            let phone = non_empty(&a.phone);
            let account = non_empty(&a.account);
            if let Some(e) = &email {
                if !looks_like_email(e) {
                    errors.push(FieldError::new(
                        format!("attendees.{i}.email"),
                        FieldErrorCode::BadEmail,
                    ));
                }
            }
            if let Some(p) = &phone {
                if !looks_like_phone(p) {
                    errors.push(FieldError::new(
                        format!("attendees.{i}.phone"),
                        FieldErrorCode::BadPhone,
                    ));
                }
            }
            if email.is_none() && phone.is_none() && account.is_none() {
                errors.push(FieldError::new(
                    format!("attendees.{i}"),
                    FieldErrorCode::AttendeeUnreachable,
                ));
            } else if caps.attendee_needs_phone && phone.is_none() {
                errors.push(FieldError::new(
                    format!("attendees.{i}.phone"),
                    FieldErrorCode::AttendeeNeedsPhone,
                ));
            }
            if caps.attendee_needs_account && account.is_none() {
                errors.push(FieldError::new(
                    format!("attendees.{i}.account"),
                    FieldErrorCode::AttendeeNeedsAccount,
                ));
            }
            if caps.only_hosts_by_account && (!a.host || account.is_none()) {
                errors.push(FieldError::new(
                    format!("attendees.{i}"),
                    FieldErrorCode::AttendeeMustBeHostAccount,
                ));
            }
            let name = non_empty(&a.name)
                .or_else(|| email.clone())
                .or_else(|| account.clone())
                .or_else(|| phone.clone())
                .unwrap_or_default();
            if name.chars().count() > 96 {
                errors.push(FieldError::new(
                    format!("attendees.{i}.name"),
                    FieldErrorCode::TooLong { max: 96 },
                ));
            }
            attendees.push(Attendee {
                name,
                email,
                phone,
                account,
                role: if a.host {
                    AttendeeRole::Host
                } else {
                    AttendeeRole::Participant
                },
            });
        }

        match (self.ports, caps.max_ports) {
            (None, _) => {}
            (Some(_), None) => {
                errors.push(FieldError::new(
                    "ports",
                    FieldErrorCode::NotSupportedByVendor,
                ));
            }
            (Some(p), Some(max)) if p < 1 || p > max => {
                errors.push(FieldError::new(
                    "ports",
                    FieldErrorCode::PortsOutOfRange { min: 1, max },
                ));
            }
            (Some(_), Some(_)) => {}
        }
        if self.registration && !caps.registration {
            errors.push(FieldError::new(
                "registration",
                FieldErrorCode::NotSupportedByVendor,
            ));
        }
        let password = non_empty(&self.password);
        match (&password, caps.password_digits) {
            (None, _) => {}
            (Some(_), None) => {
                errors.push(FieldError::new(
                    "password",
                    FieldErrorCode::NotSupportedByVendor,
                ));
            }
            (Some(p), Some(PasswordDigits { min, max })) => {
                let len = p.chars().count();
                if !p.chars().all(|c| c.is_ascii_digit()) || len < min || len > max {
                    errors.push(FieldError::new(
                        "password",
                        FieldErrorCode::PasswordDigits { min, max },
                    ));
                }
            }
        }

        let notify = Notifications {
            email: self.notify.email && caps.notify_email,
            sms: self.notify.sms && caps.notify_sms,
            calendar: self.notify.calendar && caps.notify_calendar,
        };

        match (errors.is_empty(), start, duration, zone) {
            (true, Some(start), Some(duration_minutes), Some(zone)) => Ok(MeetingDraft {
                subject,
                start,
                duration_minutes,
                zone,
                attendees,
                notify,
                ports: self.ports,
                registration: self.registration,
                password,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn caps() -> Capabilities {
        Capabilities {
            max_subject_chars: 128,
            min_duration_minutes: 15,
            max_duration_minutes: 1440,
            max_attendees: 500,
            attendee_needs_phone: false,
            only_hosts_by_account: false,
            attendee_needs_account: false,
            notify_email: true,
            notify_sms: true,
            notify_calendar: true,
            edit: true,
            host_links: true,
            rooms: false,
            max_ports: None,
            registration: false,
            one_meeting_at_a_time: false,
            native_series: false,
            end_meeting: false,
            lists_meetings: true,
            keeps_start: true,
            app_link_on_demand: false,
            password_digits: None,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
    }

    fn form() -> BookingForm {
        BookingForm {
            subject: " 周例会 ".into(),
            start: "2026-11-24T09:30".into(),
            end: Some("2026-11-24 10:30".into()),
            duration_minutes: None,
            zone: "Asia/Shanghai".into(),
            attendees: vec![AttendeeInput {
                name: "张三".into(),
                email: "zhang@example.com".into(),
                ..Default::default()
            }],
            notify: Notifications::default(),
            ports: None,
            registration: false,
            password: String::new(),
        }
    }

    fn codes(f: &BookingForm) -> Vec<(String, FieldErrorCode)> {
        f.validate(now(), &caps())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_form_becomes_a_utc_draft() {
        let d = form().validate(now(), &caps()).unwrap();
        assert_eq!(d.subject, "周例会");
        assert_eq!(
            d.start,
            Utc.with_ymd_and_hms(2026, 11, 24, 1, 30, 0).unwrap()
        );
        assert_eq!(d.duration_minutes, 60);
        assert_eq!(d.attendees[0].name, "张三");
    }

    #[test]
    fn end_before_start_is_reported_on_the_end_field() {
        let mut f = form();
        f.end = Some("2026-11-24T09:00".into());
        assert_eq!(
            codes(&f),
            vec![("end".into(), FieldErrorCode::EndNotAfterStart)]
        );
    }

    #[test]
    fn past_start_unknown_zone_empty_subject_and_unreachable_attendee_all_reported() {
        let mut f = form();
        f.subject = "  ".into();
        f.start = "2026-11-23T08:00".into();
        f.end = Some("2026-11-23T09:00".into());
        f.attendees.push(AttendeeInput {
            name: "Nobody".into(),
            ..Default::default()
        });
        let c = codes(&f);
        assert!(c.contains(&("subject".into(), FieldErrorCode::Required)));
        assert!(c.contains(&("start".into(), FieldErrorCode::StartInPast)));
        assert!(c.contains(&("attendees.1".into(), FieldErrorCode::AttendeeUnreachable)));
        f.zone = "Mars/Olympus".into();
        assert!(codes(&f).contains(&("zone".into(), FieldErrorCode::UnknownZone)));
    }

    #[test]
    fn durations_outside_the_vendor_range_are_refused() {
        let mut f = form();
        f.end = None;
        f.duration_minutes = Some(10);
        assert_eq!(
            codes(&f),
            vec![(
                "duration_minutes".into(),
                FieldErrorCode::DurationOutOfRange { min: 15, max: 1440 }
            )]
        );
    }

    #[test]
    fn a_time_skipped_by_dst_is_refused_and_a_repeated_one_takes_the_first() {
        let mut f = form();
        f.zone = "America/New_York".into();
        f.start = "2027-03-14T02:30".into();
        f.end = None;
        f.duration_minutes = Some(30);
        assert_eq!(
            codes(&f),
            vec![("start".into(), FieldErrorCode::NonexistentLocalTime)]
        );
        f.start = "2026-11-01T01:30".into();
        let now = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
        let d = f.validate(now, &caps()).unwrap();
        assert_eq!(
            d.start,
            Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap(),
            "EDT, the first 01:30"
        );
    }

    #[test]
    fn bad_email_and_phone_and_phone_requirement() {
        let mut f = form();
        f.attendees = vec![AttendeeInput {
            email: "not-an-email".into(),
            phone: "12ab".into(),
            ..Default::default()
        }];
        let c = codes(&f);
        assert!(c.contains(&("attendees.0.email".into(), FieldErrorCode::BadEmail)));
        assert!(c.contains(&("attendees.0.phone".into(), FieldErrorCode::BadPhone)));
        let mut caps = caps();
        caps.attendee_needs_phone = true;
        let f = form();
        let e = f.validate(now(), &caps).unwrap_err();
        assert_eq!(e[0].code, FieldErrorCode::AttendeeNeedsPhone);
        let mut caps = super::tests::caps();
        caps.attendee_needs_account = true;
        let e = form().validate(now(), &caps).unwrap_err();
        assert_eq!(e[0].field, "attendees.0.account");
        assert_eq!(e[0].code, FieldErrorCode::AttendeeNeedsAccount);
    }

    #[test]
    fn a_vendor_of_hosts_by_account_refuses_anyone_else_by_field() {
        let mut hosts_only = caps();
        hosts_only.only_hosts_by_account = true;
        let mut f = form();
        f.attendees = vec![
            AttendeeInput {
                name: "Host".into(),
                account: "ou_1".into(),
                host: true,
                ..Default::default()
            },
            AttendeeInput {
                name: "Guest".into(),
                email: "guest@example.com".into(),
                ..Default::default()
            },
            AttendeeInput {
                name: "Host without id".into(),
                email: "h@example.com".into(),
                host: true,
                ..Default::default()
            },
        ];
        assert!(
            f.validate(now(), &caps()).is_ok(),
            "unrestricted vendors take all three"
        );
        let e = f.validate(now(), &hosts_only).unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), &e.code)).collect();
        assert_eq!(
            got,
            [
                ("attendees.1", &FieldErrorCode::AttendeeMustBeHostAccount),
                ("attendees.2", &FieldErrorCode::AttendeeMustBeHostAccount)
            ]
        );
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let e = FieldError::new("end", FieldErrorCode::EndNotAfterStart);
        assert_eq!(e.message(crate::Lang::Zh), "结束时间必须晚于开始时间。");
        assert_eq!(
            e.message(crate::Lang::En),
            "The end must be after the start."
        );
    }

    #[test]
    fn ports_and_registration_pass_through_to_the_draft_when_the_vendor_has_them() {
        let mut caps = caps();
        caps.max_ports = Some(300);
        caps.registration = true;
        let mut f = form();
        f.ports = Some(25);
        f.registration = true;
        let d = f.validate(now(), &caps).unwrap();
        assert_eq!(d.ports, Some(25));
        assert!(d.registration);
        f.ports = None;
        f.registration = false;
        let d = f.validate(now(), &caps).unwrap();
        assert_eq!((d.ports, d.registration), (None, false));
    }

    #[test]
    fn ports_outside_one_to_the_vendor_maximum_are_refused() {
        let mut caps = caps();
        caps.max_ports = Some(300);
        for bad in [0, 301] {
            let mut f = form();
            f.ports = Some(bad);
            let e = f.validate(now(), &caps).unwrap_err();
            assert_eq!(
                e,
                vec![FieldError::new(
                    "ports",
                    FieldErrorCode::PortsOutOfRange { min: 1, max: 300 }
                )],
                "{bad}"
            );
        }
        let mut f = form();
        f.ports = Some(300);
        assert!(f.validate(now(), &caps).is_ok());
        let e = FieldError::new(
            "ports",
            FieldErrorCode::PortsOutOfRange { min: 1, max: 300 },
        );
        assert_eq!(e.message(crate::Lang::Zh), "方数须在 1 到 300 之间。");
        assert_eq!(
            e.message(crate::Lang::En),
            "The number of ports must be between 1 and 300."
        );
    }

    #[test]
    fn ports_or_registration_asked_of_a_vendor_without_them_are_refused() {
        let mut f = form();
        f.ports = Some(10);
        f.registration = true;
        assert_eq!(
            codes(&f),
            vec![
                ("ports".into(), FieldErrorCode::NotSupportedByVendor),
                ("registration".into(), FieldErrorCode::NotSupportedByVendor),
            ]
        );
        let e = FieldError::new("ports", FieldErrorCode::NotSupportedByVendor);
        assert!(e.message(crate::Lang::Zh).contains("不支持"));
        assert!(e.message(crate::Lang::En).contains("does not support"));
    }

    #[test]
    fn old_forms_without_ports_or_registration_still_read() {
        let json = serde_json::json!({
            "subject": "周会", "start": "2026-11-24T09:30", "duration_minutes": 30,
            "zone": "Asia/Shanghai"
        });
        let f: BookingForm = serde_json::from_value(json).unwrap();
        assert_eq!((f.ports, f.registration), (None, false));
        let out = serde_json::to_value(&f).unwrap();
        assert!(out.get("ports").is_none(), "unset ports are left out");
    }

    #[test]
    fn times_are_read_from_end_or_duration_whatever_else_is_missing() {
        let f = BookingForm {
            start: "2017-01-10T12:00".into(),
            end: Some("2017-01-10T13:30".into()),
            zone: "Asia/Shanghai".into(),
            ..Default::default()
        };
        let utc = |h, m| Utc.with_ymd_and_hms(2017, 1, 10, h, m, 0).unwrap();
        assert_eq!(
            f.times(),
            Some((utc(4, 0), utc(5, 30))),
            "no subject needed"
        );
        let by_length = BookingForm {
            end: None,
            duration_minutes: Some(45),
            ..f.clone()
        };
        assert_eq!(by_length.times(), Some((utc(4, 0), utc(4, 45))));
        for broken in [
            BookingForm {
                zone: "Mars/Base".into(),
                ..f.clone()
            },
            BookingForm {
                start: "tomorrow".into(),
                ..f.clone()
            },
            BookingForm {
                end: Some("2017-01-10T11:00".into()),
                ..f.clone()
            },
            BookingForm {
                end: None,
                ..f.clone()
            },
        ] {
            assert_eq!(broken.times(), None, "{broken:?}");
        }
    }
}
