//! The Tencent client against huiyi-sim's Tencent fake (built independently from the same
//! vendor note), over real HTTP on 127.0.0.1. Each test starts its own in-memory sim.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDate, TimeZone, Utc, Weekday};
use huiyi_core::{
    AccountAuth, Attendee, AttendeeRole, ExposeSecret, LinkKind, LinkRole, MeetingDraft,
    MeetingState, Notifications, SecretString, VendorErrorKind,
};
use huiyi_sim::tencent::{MeetingStatus, TencentSim};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};
use huiyi_vendors::http::RetryPolicy;
use huiyi_vendors::tencent::{
    month_date_mask, month_week_mask, weekday_mask, Guest, Occurrence, RecurringRule, Repeat,
    Series, TencentAuth, TencentClient, Until,
};
use huiyi_vendors::{client_for, AccountCredentials, Http, VendorClient};

struct Env {
    sim: Sim,
    base_url: String,
}

impl Env {
    async fn start() -> Env {
        let sim = Sim::start(SimConfig {
            state_dir: None,
            vendors: vec![SimVendor::Tencent],
            port: 0,
        })
        .await
        .unwrap();
        let base_url = sim.listeners()[0].base_url.clone();
        Env { sim, base_url }
    }

    fn tencent(&self) -> TencentSim {
        self.sim.tencent().unwrap()
    }

    fn auth(&self) -> TencentAuth {
        let c = self.tencent().credentials();
        TencentAuth {
            app_id: c.app_id,
            sdk_id: Some(c.sdk_id).filter(|s| !s.is_empty()),
            secret_id: c.secret_id,
            secret_key: SecretString::from(c.secret_key),
            operator: c.userid,
        }
    }

    /// Through the factory, as the desk builds it.
    fn client(&self) -> Arc<dyn VendorClient> {
        let a = self.auth();
        client_for(
            &self.base_url,
            AccountCredentials {
                auth: AccountAuth::TencentApp {
                    app_id: a.app_id,
                    sdk_id: a.sdk_id,
                    secret_id: a.secret_id,
                    operator: a.operator,
                },
                secret: a.secret_key,
            },
            &http(),
        )
    }

    fn client_with(&self, auth: TencentAuth) -> TencentClient {
        TencentClient::new(&self.base_url, auth, &http())
    }

    /// A start time tomorrow by the sim's clock, on a whole minute.
    fn tomorrow(&self) -> DateTime<Utc> {
        (self.tencent().now() + Duration::days(1))
            .duration_trunc(Duration::minutes(1))
            .unwrap()
    }
}

fn http() -> Http {
    Http::with_settings(
        StdDuration::from_secs(5),
        StdDuration::from_secs(10),
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: StdDuration::from_millis(20),
        },
    )
}

fn draft(start: DateTime<Utc>) -> MeetingDraft {
    MeetingDraft {
        subject: "周例会 weekly".into(),
        start,
        duration_minutes: 45,
        zone: "Asia/Shanghai".parse().unwrap(),
        attendees: vec![
            Attendee {
                name: "张三".into(),
                email: None,
                phone: None,
                account: Some("zhangsan".into()),
                role: AttendeeRole::Participant,
            },
            Attendee {
                name: "Li Si".into(),
                email: None,
                phone: None,
                account: Some("lisi".into()),
                role: AttendeeRole::Host,
            },
            Attendee {
                name: "Guest".into(),
                email: None,
                phone: Some("+8613800138000".into()),
                account: None,
                role: AttendeeRole::Participant,
            },
        ],
        notify: Notifications {
            email: false,
            sms: false,
            calendar: false,
        },
        ports: None,
        registration: false,
        password: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_proves_the_keys_and_wrong_ones_are_bad_credentials() {
    let env = Env::start().await;
    let id = env.client().verify().await.unwrap();
    assert_eq!(id.user_id, env.auth().operator);

    let mut wrong_key = env.auth();
    wrong_key.secret_key = SecretString::from("not-the-secret-key");
    let e = env.client_with(wrong_key).verify().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials, "{e:?}");
    assert_eq!(
        e.code.as_deref(),
        Some("200003"),
        "a wrong Secret Key: {e:?}"
    );

    let mut wrong_id = env.auth();
    wrong_id.secret_id = format!("{}x", wrong_id.secret_id);
    let e = env.client_with(wrong_id).verify().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials, "{e:?}");

    let mut unassigned_sdk = env.auth();
    unassigned_sdk.sdk_id = Some("1234567890".into());
    let e = env.client_with(unassigned_sdk).verify().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials, "{e:?}");
    assert_eq!(e.code.as_deref(), Some("190303"), "{e:?}");
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_booked_read_listed_edited_and_cancelled() {
    let env = Env::start().await;
    let sim = env.tencent();
    sim.add_user("zhangsan");
    sim.add_user("lisi");
    let c = env.client();
    let start = env.tomorrow();

    let created = c.create_meeting(&draft(start)).await.unwrap();
    assert_eq!(created.subject, "周例会 weekly");
    assert_eq!(created.start, start);
    assert_eq!(created.duration_minutes, 45);
    assert_eq!(created.state, MeetingState::Scheduled);
    assert!(!created.meeting_number.is_empty());
    let link = &created.links[0];
    assert_eq!((link.kind, link.role), (LinkKind::Web, LinkRole::Attendee));
    assert!(link.url.expose_secret().starts_with("http"));

    let held = sim
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == created.vendor_id)
        .unwrap();
    assert_eq!(held.creator, env.auth().operator);
    assert!(held.registered, "X-TC-Registered: 1 was sent");
    assert_eq!(held.kind, 0);
    assert_eq!(held.start_time, start);
    assert_eq!(held.end_time, start + Duration::minutes(45));
    assert_eq!(held.time_zone.as_deref(), Some("Asia/Shanghai"));
    assert_eq!(held.hosts, vec!["lisi".to_string()]);
    assert_eq!(held.invitees, vec!["zhangsan".to_string()]);
    assert_eq!(held.guests[0]["area"], "86");
    assert_eq!(held.guests[0]["phone_number"], "13800138000");

    let got = c.get_meeting(&created.vendor_id).await.unwrap();
    assert_eq!(got.vendor_id, created.vendor_id);
    assert_eq!(got.meeting_number, created.meeting_number);
    assert_eq!(got.start, start);
    assert_eq!(got.zone, Some(chrono_tz::Asia::Shanghai));

    let listed = c.list_meetings().await.unwrap();
    assert!(listed.iter().any(|m| m.vendor_id == created.vendor_id));

    let mut edited = draft(start + Duration::hours(2));
    edited.subject = "改期 moved".into();
    edited.duration_minutes = 30;
    edited.attendees.truncate(1);
    let updated = c.update_meeting(&created.vendor_id, &edited).await.unwrap();
    assert_eq!(updated.subject, "改期 moved");
    assert_eq!(updated.start, start + Duration::hours(2));
    assert_eq!(updated.duration_minutes, 30);
    let held = sim
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == created.vendor_id)
        .unwrap();
    assert!(held.hosts.is_empty() || held.hosts == vec![env.auth().operator]);
    assert_eq!(held.invitees, vec!["zhangsan".to_string()]);

    c.cancel_meeting(&created.vendor_id).await.unwrap();
    let held = sim
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == created.vendor_id)
        .unwrap();
    assert_eq!(held.cancel_reason_code, Some(1));
    let after = c.list_meetings().await.unwrap();
    assert!(after
        .iter()
        .all(|m| m.vendor_id != created.vendor_id || m.state == MeetingState::Cancelled));
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_pages_through_every_upcoming_meeting() {
    let env = Env::start().await;
    let sim = env.tencent();
    let mut options = sim.options();
    options.per_minute_create_limit = None;
    options.daily_create_limit = None;
    sim.set_options(options);
    let c = env
        .client_with(env.auth())
        .with_creation_limit(100, StdDuration::from_secs(1));
    let start = env.tomorrow();
    let mut ids = Vec::new();
    for i in 0..45 {
        let mut d = draft(start + Duration::hours(i));
        d.attendees.clear();
        ids.push(c.create_meeting(&d).await.unwrap().vendor_id);
    }
    let listed = c.list_meetings().await.unwrap();
    let mut got: Vec<String> = listed.into_iter().map(|m| m.vendor_id).collect();
    got.sort();
    ids.sort();
    assert_eq!(got, ids, "every meeting once, across three pages");
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_from_the_fake_reach_the_caller_typed() {
    let env = Env::start().await;
    let c = env.client();
    let e = c.get_meeting("1234567890123456789").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound, "{e:?}");

    // A server error on a read is retried, freshly signed.
    env.tencent().set_fault(Fault {
        kind: FaultKind::ServerError,
        remaining: 1,
        path_prefix: None,
    });
    c.list_meetings().await.unwrap();

    // A creation whose answer is lost is not repeated (it may have been booked).
    let before = env.tencent().create_count();
    env.tencent().set_fault(Fault {
        kind: FaultKind::DropAfterCommit,
        remaining: 1,
        path_prefix: Some("/v1/meetings".into()),
    });
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    let e = c.create_meeting(&d).await.unwrap_err();
    assert!(e.retryable(), "{e:?}");
    assert_eq!(env.tencent().create_count(), before + 1);
    env.sim.shutdown().await;
}

/// The daily creation cap (9008, note §3.10) is not queued away like the per-minute one: it
/// reaches the caller as the daily limit, and nothing more is created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_creation_cap_reaches_the_caller_as_the_daily_limit() {
    let env = Env::start().await;
    let sim = env.tencent();
    sim.set_options(huiyi_sim::tencent::TencentOptions {
        daily_create_limit: Some(2),
        ..sim.options()
    });
    let c = env.client();
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    c.create_meeting(&d).await.unwrap();
    c.create_meeting(&d).await.unwrap();
    let e = c.create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::DailyLimitReached, "{e:?}");
    assert_eq!(e.code.as_deref(), Some("9008"), "{e:?}");
    assert_eq!(sim.create_count(), 2);
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_clock_an_hour_ahead_is_learnt_and_the_request_signed_again() {
    let env = Env::start().await;
    let sim = env.tencent();
    sim.advance_clock(3600);
    let c = env.client();
    // Refused once (190300), then signed on the server's clock from its Date header.
    c.list_meetings().await.unwrap();
    assert_eq!(sim.request_count(), 2);
    // Later calls use the learnt clock straight away.
    c.list_meetings().await.unwrap();
    assert_eq!(sim.request_count(), 3);
    env.sim.shutdown().await;
}

/// Issue 3's acceptance: 12 creations in a burst against the 9-per-minute limit all succeed,
/// and the fake never accepted more than 9 in any minute. Takes a little over a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_twelve_creations_is_queued_under_the_fakes_limit() {
    let env = Env::start().await;
    let c = env.client();
    let start = env.tomorrow();
    let started = Instant::now();
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let c = c.clone();
            let mut d = draft(start + Duration::hours(i));
            d.attendees.clear();
            tokio::spawn(async move { c.create_meeting(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let sim = env.tencent();
    assert_eq!(sim.create_count(), 12);
    assert_eq!(sim.rate_limited_count(), 0);
    assert!(sim.max_creates_per_minute() <= 9);
    assert!(started.elapsed() >= StdDuration::from_secs(60));
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- native recurrence

/// `local` o'clock in Shanghai on the first `weekday` at least a day after the sim's now.
fn next_weekday_at(env: &Env, weekday: Weekday, local: u32) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let mut day = (env.tencent().now() + Duration::days(1))
        .with_timezone(&tz)
        .date_naive();
    while day.weekday() != weekday {
        day = day.succ_opt().unwrap();
    }
    tz.from_local_datetime(&day.and_hms_opt(local, 0, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The first Monday of a month at least a day ahead, 10:00 Shanghai.
fn first_monday_ahead(env: &Env) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let tomorrow = (env.tencent().now() + Duration::days(1))
        .with_timezone(&tz)
        .date_naive();
    let mut day = NaiveDate::from_ymd_opt(tomorrow.year(), tomorrow.month(), 1).unwrap();
    loop {
        if let Some(m) = (0..7)
            .map(|i| day + Duration::days(i))
            .find(|d| d.weekday() == Weekday::Mon && *d >= tomorrow)
        {
            return tz
                .from_local_datetime(&m.and_hms_opt(10, 0, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&Utc);
        }
        day = add_months(day, 1);
    }
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    let months = d.year() * 12 + d.month0() as i32 + n as i32;
    NaiveDate::from_ymd_opt(months / 12, (months % 12) as u32 + 1, d.day()).unwrap()
}

fn shanghai(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

fn at_same_time(first: DateTime<Utc>, day: NaiveDate) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let local = first.with_timezone(&tz).time();
    tz.from_local_datetime(&day.and_time(local))
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn unlimited(env: &Env) -> TencentClient {
    let sim = env.tencent();
    let mut options = sim.options();
    options.per_minute_create_limit = None;
    options.daily_create_limit = None;
    sim.set_options(options);
    env.client_with(env.auth())
        .with_creation_limit(100, StdDuration::from_secs(1))
}

/// The acceptance test of native recurrence: a recurring Tencent meeting created through the
/// client lists all its occurrences from the fake, one occurrence is moved and another
/// cancelled, and the series reads back consistently (and the fake agrees).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_lists_every_occurrence_and_one_moves_and_another_is_cancelled() {
    let env = Env::start().await;
    let sim = env.tencent();
    sim.add_user("zhangsan");
    sim.add_user("lisi");
    let c = env.client_with(env.auth());
    let start = env.tomorrow();
    let length = Duration::minutes(45);
    let rule = RecurringRule {
        repeat: Repeat::Weekly,
        until: Until::Count(5),
    };

    let series = c
        .create_recurring_meeting(&draft(start), &rule)
        .await
        .unwrap();
    assert_eq!(series.meeting.subject, "周例会 weekly");
    assert_eq!(series.meeting.start, start);
    assert_eq!(series.rule, Some(rule));
    assert!(!series.incomplete);
    let times: Vec<(DateTime<Utc>, DateTime<Utc>, bool)> = series
        .occurrences
        .iter()
        .map(|o| (o.start, o.end, o.cancelled))
        .collect();
    let weekly: Vec<(DateTime<Utc>, DateTime<Utc>, bool)> = (0..5)
        .map(|k| {
            let s = start + Duration::weeks(k);
            (s, s + length, false)
        })
        .collect();
    assert_eq!(times, weekly, "five weekly occurrences, none cancelled");
    let ids: Vec<String> = series
        .occurrences
        .iter()
        .map(|o| o.sub_meeting_id.clone())
        .collect();
    assert_eq!(
        ids.iter().collect::<std::collections::HashSet<_>>().len(),
        5,
        "{ids:?}"
    );
    assert_eq!(
        series.current_sub_meeting_id.as_deref(),
        Some(ids[0].as_str())
    );
    assert_eq!(series.remaining, Some(5));

    // The second occurrence moves two hours later and shrinks to 30 minutes; the third is
    // cancelled.
    let moved_start = start + Duration::weeks(1) + Duration::hours(2);
    let moved_end = moved_start + Duration::minutes(30);
    let after_move = c
        .move_occurrence(&series.meeting.vendor_id, &ids[1], moved_start, moved_end)
        .await
        .unwrap();
    assert_eq!(after_move.occurrences[1].start, moved_start);
    c.cancel_occurrence(&series.meeting.vendor_id, &ids[2])
        .await
        .unwrap();

    let expected = vec![
        Occurrence {
            sub_meeting_id: ids[0].clone(),
            start,
            end: start + length,
            cancelled: false,
        },
        Occurrence {
            sub_meeting_id: ids[1].clone(),
            start: moved_start,
            end: moved_end,
            cancelled: false,
        },
        Occurrence {
            sub_meeting_id: ids[2].clone(),
            start: start + Duration::weeks(2),
            end: start + Duration::weeks(2) + length,
            cancelled: true,
        },
        Occurrence {
            sub_meeting_id: ids[3].clone(),
            start: start + Duration::weeks(3),
            end: start + Duration::weeks(3) + length,
            cancelled: false,
        },
        Occurrence {
            sub_meeting_id: ids[4].clone(),
            start: start + Duration::weeks(4),
            end: start + Duration::weeks(4) + length,
            cancelled: false,
        },
    ];
    let back = c.get_series(&series.meeting.vendor_id).await.unwrap();
    assert_eq!(back.occurrences, expected);
    assert_eq!(back.remaining, Some(4));
    assert_eq!(
        back.meeting.subject, "周例会 weekly",
        "the series keeps its subject"
    );
    assert_eq!(back.meeting.state, MeetingState::Scheduled);

    // The fake holds the same series.
    let held = sim
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == series.meeting.vendor_id)
        .unwrap();
    assert!(held.recurring);
    let held_subs: Vec<(String, DateTime<Utc>, DateTime<Utc>, bool)> = held
        .sub_meetings
        .iter()
        .map(|s| {
            (
                s.sub_meeting_id.clone(),
                s.start_time,
                s.end_time,
                s.deleted,
            )
        })
        .collect();
    let expected_subs: Vec<(String, DateTime<Utc>, DateTime<Utc>, bool)> = expected
        .iter()
        .map(|o| (o.sub_meeting_id.clone(), o.start, o.end, o.cancelled))
        .collect();
    assert_eq!(held_subs, expected_subs);

    // The agenda shows the series once (the list shows only the current occurrence).
    let listed = c.list_meetings().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .filter(|m| m.vendor_id == series.meeting.vendor_id)
            .count(),
        1
    );

    // Cancelling an occurrence already cancelled, or one that does not exist.
    let e = c
        .cancel_occurrence(&series.meeting.vendor_id, "not-an-occurrence")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest, "{e:?}");

    // The whole series.
    c.cancel_series(&series.meeting.vendor_id).await.unwrap();
    let held = sim
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == series.meeting.vendor_id)
        .unwrap();
    assert_eq!(held.cancel_reason_code, Some(1));
    assert_eq!(held.status, MeetingStatus::Cancelled);
    let gone = c.get_series(&series.meeting.vendor_id).await.unwrap();
    assert_eq!(gone.meeting.state, MeetingState::Cancelled);
    assert!(c
        .list_meetings()
        .await
        .unwrap()
        .iter()
        .all(|m| m.vendor_id != series.meeting.vendor_id));
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_rule_expands_on_the_fake_as_the_note_describes() {
    let env = Env::start().await;
    let c = unlimited(&env);
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    d.duration_minutes = 30;

    let dates = |s: &Series| -> Vec<NaiveDate> {
        s.occurrences.iter().map(|o| shanghai(o.start)).collect()
    };
    let check = |s: &Series, first: DateTime<Utc>, days: &[NaiveDate]| {
        assert_eq!(dates(s), days, "{:?}", s.rule);
        for o in &s.occurrences {
            assert_eq!(
                o.start,
                at_same_time(first, shanghai(o.start)),
                "same wall time"
            );
            assert_eq!(o.end - o.start, Duration::minutes(30));
            assert!(!o.cancelled);
        }
    };
    let create = |start: DateTime<Utc>, repeat: Repeat, until: Until| {
        let mut d = d.clone();
        d.start = start;
        let c = &c;
        async move {
            let rule = RecurringRule { repeat, until };
            let s = c.create_recurring_meeting(&d, &rule).await.unwrap();
            assert_eq!(s.rule, Some(rule));
            s
        }
    };

    let friday = next_weekday_at(&env, Weekday::Fri, 9);
    let f = shanghai(friday);
    let day = |n: i64| f + Duration::days(n);
    let s = create(friday, Repeat::Daily, Until::Count(3)).await;
    check(&s, friday, &[day(0), day(1), day(2)]);
    let s = create(friday, Repeat::Weekdays, Until::Count(3)).await;
    check(&s, friday, &[day(0), day(3), day(4)]);
    let s = create(friday, Repeat::Biweekly, Until::Count(3)).await;
    check(&s, friday, &[day(0), day(14), day(28)]);
    let s = create(friday, Repeat::EveryDays { every: 3 }, Until::Count(3)).await;
    check(&s, friday, &[day(0), day(3), day(6)]);
    // Until a date: the last day included.
    let until = at_same_time(friday, day(3)) + Duration::hours(1);
    let s = create(friday, Repeat::Daily, Until::Date(until)).await;
    check(&s, friday, &[day(0), day(1), day(2), day(3)]);

    // Every 3 weeks on Monday and Tuesday (the note's example: days 6).
    let monday = next_weekday_at(&env, Weekday::Mon, 10);
    let m = shanghai(monday);
    let mon_tue = weekday_mask(&[Weekday::Mon, Weekday::Tue]);
    assert_eq!(mon_tue, 6);
    let s = create(
        monday,
        Repeat::EveryWeeks {
            every: 3,
            days: mon_tue,
        },
        Until::Count(4),
    )
    .await;
    check(
        &s,
        monday,
        &[
            m,
            m + Duration::days(1),
            m + Duration::days(21),
            m + Duration::days(22),
        ],
    );

    // Monthly: the first Monday of each month; and every 2 months on two dates.
    let first_monday = first_monday_ahead(&env);
    let fm = shanghai(first_monday);
    let nth_monday = |d: NaiveDate| {
        let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap();
        (0..7)
            .map(|i| first + Duration::days(i))
            .find(|x| x.weekday() == Weekday::Mon)
            .unwrap()
    };
    let s = create(
        first_monday,
        Repeat::MonthlyByWeek {
            every: 1,
            days: month_week_mask(Weekday::Mon, &[1]),
        },
        Until::Count(3),
    )
    .await;
    check(
        &s,
        first_monday,
        &[
            fm,
            nth_monday(add_months(
                NaiveDate::from_ymd_opt(fm.year(), fm.month(), 1).unwrap(),
                1,
            )),
            nth_monday(add_months(
                NaiveDate::from_ymd_opt(fm.year(), fm.month(), 1).unwrap(),
                2,
            )),
        ],
    );
    let s = create(
        first_monday,
        Repeat::MonthlyByDate {
            every: 2,
            days: month_date_mask(&[fm.day(), fm.day() + 1]),
        },
        Until::Count(3),
    )
    .await;
    check(
        &s,
        first_monday,
        &[fm, fm + Duration::days(1), add_months(fm, 2)],
    );
    let s = create(first_monday, Repeat::Monthly, Until::Count(2)).await;
    check(&s, first_monday, &[fm, add_months(fm, 1)]);
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_occurrences_are_listed_and_fifty_one_are_refused_before_sending() {
    let env = Env::start().await;
    let c = env.client_with(env.auth());
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    let s = c
        .create_recurring_meeting(
            &d,
            &RecurringRule {
                repeat: Repeat::Daily,
                until: Until::Count(50),
            },
        )
        .await
        .unwrap();
    assert_eq!(s.occurrences.len(), 50);
    assert_eq!(s.occurrences[49].start, d.start + Duration::days(49));

    let before = env.tencent().request_count();
    let e = c
        .create_recurring_meeting(
            &d,
            &RecurringRule {
                repeat: Repeat::Weekly,
                until: Until::Count(51),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert!(e.detail.contains("at most 50"), "{}", e.detail);
    assert_eq!(env.tencent().request_count(), before, "nothing was sent");
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- invitees and guests

fn colleagues(sim: &TencentSim, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|i| format!("staff-{i:04}")).collect();
    for id in &ids {
        sim.add_user(id);
    }
    ids
}

fn invited(ids: &[String]) -> Vec<Attendee> {
    ids.iter()
        .map(|id| Attendee {
            name: id.clone(),
            email: None,
            phone: None,
            account: Some(id.clone()),
            role: AttendeeRole::Participant,
        })
        .collect()
}

fn held_invitees(env: &Env, id: &str) -> Vec<String> {
    env.tencent()
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == id)
        .unwrap()
        .invitees
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_three_hundred_colleagues_go_through_the_invitees_api() {
    let env = Env::start().await;
    let sim = env.tencent();
    let staff = colleagues(&sim, 2001);
    let c = env.client_with(env.auth());
    assert_eq!(c.capabilities().max_attendees, 2000);

    // 350 colleagues: more than a create body takes (the fake refuses over 300 there).
    let mut d = draft(env.tomorrow());
    d.attendees = invited(&staff[..350]);
    let created = c.create_meeting(&d).await.unwrap();
    assert_eq!(
        held_invitees(&env, &created.vendor_id),
        staff[..350].to_vec()
    );
    let shown: Vec<&str> = created
        .attendees
        .iter()
        .filter_map(|a| a.account.as_deref())
        .filter(|a| a.starts_with("staff-"))
        .collect();
    assert_eq!(shown.len(), 350, "all of them, not the 200 a query shows");

    let listed = c.list_invitees(&created.vendor_id).await.unwrap();
    let ids: Vec<String> = listed.iter().map(|i| i.userid.clone()).collect();
    assert_eq!(ids, staff[..350].to_vec(), "every page, in order");

    // The full 2000 replace them; one more is refused before sending.
    c.set_invitees(&created.vendor_id, &staff[..2000])
        .await
        .unwrap();
    assert_eq!(
        held_invitees(&env, &created.vendor_id),
        staff[..2000].to_vec()
    );
    assert_eq!(
        c.list_invitees(&created.vendor_id).await.unwrap().len(),
        2000
    );
    let before = sim.request_count();
    let e = c
        .set_invitees(&created.vendor_id, &staff[..2001])
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert!(e.detail.contains("2000"), "{}", e.detail);
    assert_eq!(sim.request_count(), before);

    // An edit with 400 colleagues; then an empty list clears them.
    let mut edited = d.clone();
    edited.attendees = invited(&staff[1000..1400]);
    let updated = c.update_meeting(&created.vendor_id, &edited).await.unwrap();
    assert_eq!(
        held_invitees(&env, &created.vendor_id),
        staff[1000..1400].to_vec()
    );
    assert_eq!(
        updated
            .attendees
            .iter()
            .filter(|a| a
                .account
                .as_deref()
                .is_some_and(|a| a.starts_with("staff-")))
            .count(),
        400
    );
    c.set_invitees(&created.vendor_id, &[]).await.unwrap();
    assert!(held_invitees(&env, &created.vendor_id).is_empty());
    assert!(c
        .list_invitees(&created.vendor_id)
        .await
        .unwrap()
        .is_empty());
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_whose_invitees_are_refused_is_not_left_behind() {
    let env = Env::start().await;
    let sim = env.tencent();
    let mut staff = colleagues(&sim, 320);
    // Not a member of the enterprise: the invitees API refuses the list (190001).
    staff.push("outsider".into());
    let c = env.client_with(env.auth());
    let mut d = draft(env.tomorrow());
    d.attendees = invited(&staff);
    let e = c.create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid, "{e:?}");
    assert!(e.detail.contains("cancelled again"), "{}", e.detail);
    let held = sim.meetings();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].status, MeetingStatus::Cancelled);
    assert!(c.list_meetings().await.unwrap().is_empty());
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guests_are_read_and_replaced_with_the_area_apart() {
    let env = Env::start().await;
    let c = env.client_with(env.auth());
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    let m = c.create_meeting(&d).await.unwrap();
    assert!(c.get_guests(&m.vendor_id).await.unwrap().is_empty());

    let guests = vec![
        Guest {
            phone: "+8613800138000".into(),
            name: Some("王五".into()),
        },
        Guest {
            phone: "00852 9123 4567".into(),
            name: None,
        },
    ];
    c.set_guests(&m.vendor_id, &guests).await.unwrap();
    let held = env
        .tencent()
        .meetings()
        .into_iter()
        .find(|x| x.meeting_id == m.vendor_id)
        .unwrap();
    assert_eq!(
        held.guests,
        serde_json::json!([
            {"area": "86", "phone_number": "13800138000", "guest_name": "王五"},
            {"area": "852", "phone_number": "91234567"}
        ])
    );
    assert_eq!(
        c.get_guests(&m.vendor_id).await.unwrap(),
        vec![
            Guest {
                phone: "+8613800138000".into(),
                name: Some("王五".into()),
            },
            Guest {
                phone: "+85291234567".into(),
                name: None,
            },
        ]
    );

    let before = env.tencent().request_count();
    let e = c
        .set_guests(
            &m.vendor_id,
            &[Guest {
                phone: "sip:1234@example.com".into(),
                name: Some("Desk".into()),
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert_eq!(env.tencent().request_count(), before);

    c.set_guests(&m.vendor_id, &[]).await.unwrap();
    assert!(c.get_guests(&m.vendor_id).await.unwrap().is_empty());
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- lookups and lists

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_found_by_the_code_as_people_type_it() {
    let env = Env::start().await;
    let c = env.client_with(env.auth());
    let mut d = draft(env.tomorrow());
    d.attendees.clear();
    let m = c.create_meeting(&d).await.unwrap();
    let code = &m.meeting_number;
    let typed = format!(" {}-{}-{} ", &code[..3], &code[3..6], &code[6..]);
    let found = c.get_meeting_by_code(&typed).await.unwrap();
    assert_eq!(found.vendor_id, m.vendor_id);
    assert_eq!(found.start, d.start);

    let e = c.get_meeting_by_code("000000000").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound, "{e:?}");
    let before = env.tencent().request_count();
    let e = c.get_meeting_by_code("abc").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(env.tencent().request_count(), before);
    env.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_meetings_are_listed_across_pages_with_each_ended_occurrence() {
    let env = Env::start().await;
    let c = unlimited(&env);
    let start = env.tomorrow();
    let mut ids = Vec::new();
    for i in 0..23 {
        let mut d = draft(start + Duration::hours(i));
        d.attendees.clear();
        ids.push(c.create_meeting(&d).await.unwrap().vendor_id);
    }
    let mut d = draft(start);
    d.attendees.clear();
    let series = c
        .create_recurring_meeting(
            &d,
            &RecurringRule {
                repeat: Repeat::Daily,
                until: Until::Count(3),
            },
        )
        .await
        .unwrap();
    assert!(c.list_ended_meetings().await.unwrap().is_empty());

    // Two days later: the 23 one-offs and the first two occurrences have ended.
    env.tencent().advance_clock(2 * 86_400 + 3600);
    let ended = c.list_ended_meetings().await.unwrap();
    let mut one_offs: Vec<String> = ended
        .iter()
        .filter(|e| e.sub_meeting_id.is_none())
        .map(|e| e.meeting_id.clone())
        .collect();
    one_offs.sort();
    ids.sort();
    assert_eq!(one_offs, ids, "all 23, across two pages");
    let mut occurrences: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = ended
        .iter()
        .filter(|e| e.meeting_id == series.meeting.vendor_id)
        .map(|e| (e.sub_meeting_id.clone().unwrap(), e.start, e.end))
        .collect();
    occurrences.sort_by_key(|o| o.1);
    let expected: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = series.occurrences[..2]
        .iter()
        .map(|o| (o.sub_meeting_id.clone(), o.start, o.end))
        .collect();
    assert_eq!(occurrences, expected);
    assert_eq!(ended.len(), 25);
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- Tencent Meeting Rooms

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_are_listed_booked_without_double_booking_and_released() {
    let env = Env::start().await;
    let c = env.client_with(env.auth());
    let rooms = c.list_rooms().await.unwrap();
    let held = env.tencent().rooms();
    assert_eq!(rooms.len(), held.len());
    for (r, h) in rooms.iter().zip(&held) {
        assert_eq!(r.vendor_id, h.meeting_room_id);
        assert_eq!(r.name, h.meeting_room_name);
        assert_eq!(
            r.location.as_deref(),
            Some(h.meeting_room_location.as_str())
        );
        assert_eq!(r.capacity, Some(h.participant_number));
        assert_eq!(r.bookable, h.bookable);
    }
    assert!(rooms.iter().any(|r| !r.bookable));
    let room = rooms.iter().find(|r| r.bookable).unwrap().clone();
    let detail = c.room_detail(&room.vendor_id).await.unwrap();
    assert_eq!(detail, room);

    let start = env.tomorrow();
    let mut d = draft(start);
    d.attendees.clear();
    let a = c.create_meeting(&d).await.unwrap();
    let booked = c
        .book_rooms(&a.vendor_id, std::slice::from_ref(&room.vendor_id))
        .await
        .unwrap();
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].vendor_id, room.vendor_id);
    assert_eq!(booked[0].name, room.name);

    // A second meeting overlapping the first cannot have the same room.
    let mut overlapping = draft(start + Duration::minutes(30));
    overlapping.attendees.clear();
    let b = c.create_meeting(&overlapping).await.unwrap();
    let e = c
        .book_rooms(&b.vendor_id, std::slice::from_ref(&room.vendor_id))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::RoomOccupied, "{e:?}");
    assert_eq!(e.code.as_deref(), Some("20006"));

    let window = (env.tencent().now(), env.tencent().now() + Duration::days(7));
    let in_room = c
        .room_meetings(&room.vendor_id, window.0, window.1)
        .await
        .unwrap();
    let ids: Vec<&str> = in_room.iter().map(|m| m.meeting_id.as_str()).collect();
    assert_eq!(ids, vec![a.vendor_id.as_str()]);
    assert_eq!(in_room[0].start, start);
    assert_eq!(in_room[0].end, start + Duration::minutes(45));
    assert_eq!(in_room[0].subject, "周例会 weekly");
    assert_eq!(in_room[0].state, MeetingState::Scheduled);

    // Released by the first, it can be booked by the second.
    c.release_rooms(&a.vendor_id, std::slice::from_ref(&room.vendor_id))
        .await
        .unwrap();
    c.book_rooms(&b.vendor_id, std::slice::from_ref(&room.vendor_id))
        .await
        .unwrap();
    let in_room = c
        .room_meetings(&room.vendor_id, window.0, window.1)
        .await
        .unwrap();
    let ids: Vec<&str> = in_room.iter().map(|m| m.meeting_id.as_str()).collect();
    assert_eq!(ids, vec![b.vendor_id.as_str()]);
    let held_b = env
        .tencent()
        .meetings()
        .into_iter()
        .find(|m| m.meeting_id == b.vendor_id)
        .unwrap();
    assert_eq!(held_b.rooms, vec![room.vendor_id.clone()]);

    // A recurring meeting cannot have a room.
    let mut weekly = draft(start + Duration::days(1));
    weekly.attendees.clear();
    let series = c
        .create_recurring_meeting(
            &weekly,
            &RecurringRule {
                repeat: Repeat::Weekly,
                until: Until::Count(3),
            },
        )
        .await
        .unwrap();
    let e = c
        .book_rooms(
            &series.meeting.vendor_id,
            std::slice::from_ref(&room.vendor_id),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unsupported, "{e:?}");
    assert!(e.detail.contains("recurring"), "{}", e.detail);

    // A window beyond 90 days is refused before sending.
    let e = c
        .room_meetings(&room.vendor_id, window.0, window.0 + Duration::days(91))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    env.sim.shutdown().await;
}
