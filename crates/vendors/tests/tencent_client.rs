//! The Tencent client against huiyi-sim's Tencent fake (built independently from the same
//! vendor note), over real HTTP on 127.0.0.1. Each test starts its own in-memory sim.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, DurationRound, Utc};
use huiyi_core::{
    AccountAuth, Attendee, AttendeeRole, ExposeSecret, LinkKind, LinkRole, MeetingDraft,
    MeetingState, Notifications, SecretString, VendorErrorKind,
};
use huiyi_sim::tencent::TencentSim;
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};
use huiyi_vendors::http::RetryPolicy;
use huiyi_vendors::tencent::{TencentAuth, TencentClient};
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
