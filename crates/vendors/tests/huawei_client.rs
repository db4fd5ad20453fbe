//! The Huawei client against huiyi-sim, the independent fake built from the same document, over
//! real HTTP on 127.0.0.1. Each test starts its own in-memory sim.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, DurationRound, Utc};
use huiyi_core::{
    AccountAuth, Attendee, AttendeeRole, ExposeSecret, LinkKind, LinkRole, MeetingDraft,
    MeetingState, Notifications, SecretString, VendorErrorKind,
};
use huiyi_sim::huawei::{HuaweiSim, NotifyChannel};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};
use huiyi_vendors::http::RetryPolicy;
use huiyi_vendors::{client_for, AccountCredentials, Http, VendorClient};

struct Env {
    sim: Sim,
    base_url: String,
    creds: serde_json::Value,
}

impl Env {
    async fn start() -> Env {
        let sim = Sim::start(SimConfig {
            state_dir: None,
            vendors: vec![SimVendor::Huawei],
            port: 0,
        })
        .await
        .unwrap();
        let l = sim.listeners()[0].clone();
        Env {
            sim,
            base_url: l.base_url,
            creds: l.credentials,
        }
    }

    fn huawei(&self) -> HuaweiSim {
        self.sim.huawei().unwrap()
    }

    fn cred(&self, k: &str) -> String {
        self.creds[k].as_str().unwrap().to_string()
    }

    fn app_client(&self) -> Arc<dyn VendorClient> {
        self.app_client_with_key(&self.cred("app_key"))
    }

    fn app_client_with_key(&self, key: &str) -> Arc<dyn VendorClient> {
        let creds = AccountCredentials {
            auth: AccountAuth::HuaweiAppId {
                app_id: self.cred("app_id"),
                user_id: Some(self.cred("user_id")),
            },
            secret: SecretString::from(key.to_string()),
        };
        client_for(&self.base_url, creds, &http())
    }

    fn password_client(&self, password: &str) -> Arc<dyn VendorClient> {
        let creds = AccountCredentials {
            auth: AccountAuth::HuaweiPassword {
                account: self.cred("account"),
            },
            secret: SecretString::from(password.to_string()),
        };
        client_for(&self.base_url, creds, &http())
    }

    /// A start time tomorrow by the sim's clock, on a whole minute.
    fn tomorrow(&self) -> DateTime<Utc> {
        (self.huawei().now() + Duration::days(1))
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
                email: Some("zhang@example.com".into()),
                phone: Some("+8613800138000".into()),
                account: None,
                role: AttendeeRole::Participant,
            },
            Attendee {
                name: "Li Si".into(),
                email: Some("li@example.com".into()),
                phone: Some("+8613900139000".into()),
                account: Some("lisi".into()),
                role: AttendeeRole::Host,
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

fn fault(kind: FaultKind, remaining: u32, prefix: &str) -> Fault {
    Fault {
        kind,
        remaining,
        path_prefix: Some(prefix.to_string()),
    }
}

const CONFERENCES: &str = "/v1/mmc/management/conferences";

#[tokio::test]
async fn book_edit_list_show_and_cancel_a_meeting() {
    let env = Env::start().await;
    let c = env.app_client();

    let who = c.verify().await.unwrap();
    assert!(!who.user_id.is_empty());
    assert!(!who.display_name.is_empty());

    let start = env.tomorrow();
    let m = c.create_meeting(&draft(start)).await.unwrap();
    assert_eq!(m.subject, "周例会 weekly");
    assert_eq!(m.start, start);
    assert_eq!(m.duration_minutes, 45);
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(m.zone, Some("Asia/Shanghai".parse().unwrap()));
    assert!(m.guest_password.as_deref().is_some_and(|p| !p.is_empty()));
    assert!(m.host_password.is_some());
    let host = m
        .links
        .iter()
        .find(|l| l.role == LinkRole::Host)
        .expect("a host link");
    let guest = m
        .links
        .iter()
        .find(|l| l.role == LinkRole::Attendee)
        .expect("an attendee link");
    assert_eq!((host.kind, guest.kind), (LinkKind::Web, LinkKind::Web));
    assert_ne!(host.url.expose_secret(), guest.url.expose_secret());
    assert!(guest.public_url().unwrap().contains(&m.vendor_id));

    // What the server holds: UTC start, the Beijing time-zone ID, both attendees, the flags.
    let held = env
        .huawei()
        .meetings()
        .into_iter()
        .find(|s| s.conference_id == m.vendor_id)
        .unwrap();
    assert_eq!(held.start_time, start);
    assert_eq!(held.time_zone_id, "56");
    assert!(held.media_types.contains("HDVideo"), "{}", held.media_types);
    assert_eq!(held.attendees.as_array().map(Vec::len), Some(2));
    assert_eq!(
        &held.chair_password,
        m.host_password.as_ref().unwrap().expose_secret()
    );
    let notices = env.huawei().notifications();
    assert!(notices
        .iter()
        .any(|n| n.to == "zhang@example.com" && n.channel == NotifyChannel::Email));
    assert!(notices
        .iter()
        .any(|n| n.to == "li@example.com" && n.channel == NotifyChannel::Calendar));
    assert!(
        !notices.iter().any(|n| n.channel == NotifyChannel::Sms),
        "SMS was not asked for"
    );

    // Edit: new subject, later start, longer, one attendee fewer.
    let mut d = draft(start + Duration::hours(2));
    d.subject = "改期 moved".into();
    d.duration_minutes = 90;
    d.attendees.truncate(1);
    let e = c.update_meeting(&m.vendor_id, &d).await.unwrap();
    assert_eq!(e.vendor_id, m.vendor_id);
    assert_eq!(e.subject, "改期 moved");
    assert_eq!(e.start, start + Duration::hours(2));
    assert_eq!(e.duration_minutes, 90);
    let held = env
        .huawei()
        .meetings()
        .into_iter()
        .find(|s| s.conference_id == m.vendor_id)
        .unwrap();
    assert_eq!(held.length_minutes, 90);
    assert_eq!(held.attendees.as_array().map(Vec::len), Some(1));

    // A second meeting, then the list holds both.
    let other = c
        .create_meeting(&draft(start + Duration::days(1)))
        .await
        .unwrap();
    let list = c.list_meetings().await.unwrap();
    let ids: Vec<_> = list.iter().map(|m| m.vendor_id.as_str()).collect();
    assert!(
        ids.contains(&m.vendor_id.as_str()) && ids.contains(&other.vendor_id.as_str()),
        "{ids:?}"
    );

    let shown = c.get_meeting(&m.vendor_id).await.unwrap();
    assert_eq!(shown.subject, "改期 moved");
    assert_eq!(shown.duration_minutes, 90);
    assert_eq!(shown.attendees.len(), 1);
    assert_eq!(
        shown.attendees[0].email.as_deref(),
        Some("zhang@example.com")
    );
    assert!(shown.links.iter().any(|l| l.role == LinkRole::Host));

    c.cancel_meeting(&m.vendor_id).await.unwrap();
    let ids: Vec<_> = c
        .list_meetings()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.vendor_id)
        .collect();
    assert!(!ids.contains(&m.vendor_id));
    assert!(ids.contains(&other.vendor_id));
    assert_eq!(
        c.get_meeting(&m.vendor_id).await.unwrap_err().kind,
        VendorErrorKind::NotFound
    );
    assert_eq!(
        c.cancel_meeting(&m.vendor_id).await.unwrap_err().kind,
        VendorErrorKind::NotFound
    );
    env.sim.shutdown().await;
}

#[tokio::test]
async fn password_accounts_book_with_phone_numbers() {
    let env = Env::start().await;
    let c = env.password_client(&env.cred("password"));
    assert!(c.capabilities().attendee_needs_phone);
    c.verify().await.unwrap();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    assert_eq!(
        c.get_meeting(&m.vendor_id).await.unwrap().vendor_id,
        m.vendor_id
    );
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_start_in_the_past_is_refused_as_such() {
    let env = Env::start().await;
    let c = env.app_client();
    let past = (env.huawei().now() - Duration::hours(1))
        .duration_trunc(Duration::minutes(1))
        .unwrap();
    let e = c.create_meeting(&draft(past)).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::StartInPast);
    assert_eq!(e.code.as_deref(), Some("MMC.111071013"));
    assert!(env.huawei().meetings().is_empty());
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_started_meeting_can_be_neither_edited_nor_cancelled() {
    let env = Env::start().await;
    let c = env.app_client();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    env.huawei().start_meeting(&m.vendor_id).unwrap();
    assert_eq!(
        c.get_meeting(&m.vendor_id).await.unwrap().state,
        MeetingState::InProgress
    );
    let e = c
        .update_meeting(&m.vendor_id, &draft(env.tomorrow()))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::MeetingStarted);
    assert_eq!(e.code.as_deref(), Some("MMC.111071065"));
    let e = c.cancel_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::MeetingStarted);
    assert_eq!(e.code.as_deref(), Some("MMC.111071067"));
    env.sim.shutdown().await;
}

#[tokio::test]
async fn wrong_keys_and_passwords_are_bad_credentials() {
    let env = Env::start().await;
    let e = env
        .app_client_with_key("not-the-app-key-0000000000")
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(e.code.as_deref(), Some("USG.206010025"));
    let e = env
        .app_client_with_key("not-the-app-key-0000000000")
        .list_meetings()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    let e = env
        .password_client("Wrong-password-1")
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_are_renewed_without_the_caller_noticing() {
    let env = Env::start().await;
    let c = env.app_client();
    c.list_meetings().await.unwrap();
    let tokens_before = env.huawei().issued_tokens().len();
    // Every live token dies while the client still holds one.
    env.huawei()
        .set_fault(fault(FaultKind::ExpireTokens, 1, CONFERENCES));
    // Three days out, so it is still upcoming after the clock jump below.
    let m = c
        .create_meeting(&draft(env.tomorrow() + Duration::days(2)))
        .await
        .unwrap();
    assert!(
        env.huawei().issued_tokens().len() > tokens_before,
        "a new login happened"
    );
    assert_eq!(c.list_meetings().await.unwrap().len(), 1);
    assert_eq!(m.state, MeetingState::Scheduled);

    // Password account: the sim clock moves past the token's 12-24 h life.
    let p = env.password_client(&env.cred("password"));
    p.create_meeting(&draft(env.tomorrow() + Duration::days(2)))
        .await
        .unwrap();
    let tokens_before = env.huawei().issued_tokens().len();
    env.huawei().advance_clock(25 * 3600);
    assert_eq!(p.list_meetings().await.unwrap().len(), 1);
    assert!(
        env.huawei().issued_tokens().len() > tokens_before,
        "a new login happened"
    );
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_server_error_on_a_get_is_retried_but_not_on_a_post() {
    let env = Env::start().await;
    let c = env.app_client();
    c.verify().await.unwrap();
    env.huawei()
        .set_fault(fault(FaultKind::ServerError, 1, CONFERENCES));
    assert!(c.list_meetings().await.unwrap().is_empty());

    env.huawei()
        .set_fault(fault(FaultKind::ServerError, 1, CONFERENCES));
    let e = c.create_meeting(&draft(env.tomorrow())).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert!(e.retryable());
    assert!(
        env.huawei().meetings().is_empty(),
        "nothing was booked behind the user's back"
    );

    // A GET that keeps failing gives up after the bounded retries.
    env.huawei()
        .set_fault(fault(FaultKind::ServerError, 10, CONFERENCES));
    let before = env.huawei().request_count();
    assert_eq!(
        c.list_meetings().await.unwrap_err().kind,
        VendorErrorKind::Unavailable
    );
    assert_eq!(env.huawei().request_count() - before, 3);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_malformed_answer_is_a_bad_response() {
    let env = Env::start().await;
    let c = env.app_client();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    env.huawei()
        .set_fault(fault(FaultKind::MalformedBody, 1, CONFERENCES));
    let e = c.get_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    let text = format!("{e} {e:?}");
    assert!(!text.contains(m.host_password.as_ref().unwrap().expose_secret()));
    assert!(!text.contains("/#/j/"), "no link from the cut body: {text}");
    env.sim.shutdown().await;
}

#[tokio::test]
async fn no_issued_token_or_host_secret_shows_in_debug_or_errors() {
    let env = Env::start().await;
    let c = env.app_client();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    let shown = c.get_meeting(&m.vendor_id).await.unwrap();
    env.huawei().start_meeting(&m.vendor_id).unwrap();
    let err = c
        .update_meeting(&m.vendor_id, &draft(env.tomorrow()))
        .await
        .unwrap_err();
    let text = format!(
        "{m:?}\n{shown:?}\n{err}\n{err:?}\n{}",
        err.message(huiyi_core::Lang::En)
    );
    let mut secrets = env.huawei().issued_tokens();
    assert!(!secrets.is_empty());
    secrets.push(env.cred("app_key"));
    secrets.push(
        m.host_password
            .as_ref()
            .unwrap()
            .expose_secret()
            .to_string(),
    );
    let host = m.links.iter().find(|l| l.role == LinkRole::Host).unwrap();
    secrets.push(host.url.expose_secret().to_string());
    for s in secrets {
        assert!(!text.contains(&s), "leaked {s}");
    }
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_token_near_its_end_is_refreshed_with_the_refresh_token() {
    use huiyi_vendors::huawei::{HuaweiAuth, HuaweiClient};
    use std::sync::atomic::{AtomicI64, Ordering};

    let env = Env::start().await;
    let offset = Arc::new(AtomicI64::new(0));
    let o = offset.clone();
    let c = HuaweiClient::new(
        &env.base_url,
        HuaweiAuth::AppId {
            app_id: env.cred("app_id"),
            user_id: Some(env.cred("user_id")),
            app_key: SecretString::from(env.cred("app_key")),
        },
        &http(),
    )
    .with_clock(Arc::new(move || {
        Utc::now() + Duration::seconds(o.load(Ordering::SeqCst))
    }));
    c.create_meeting(&draft(env.tomorrow())).await.unwrap();

    // From now on a new login would fail: the App Key was rotated at the vendor.
    let mut creds = env.huawei().credentials();
    creds.app_key = "rotated-app-key-000000000000000".into();
    env.huawei().set_credentials(creds);

    // A day later by our clock the access token (12-24 h) is due; the 30-day refresh token is not.
    offset.store(24 * 3600, Ordering::SeqCst);
    assert_eq!(
        c.list_meetings().await.unwrap().len(),
        1,
        "renewed by refresh, not by a login"
    );

    // Once every token is dead only a login could help, and the old key no longer works.
    env.huawei()
        .set_fault(fault(FaultKind::ExpireTokens, 1, CONFERENCES));
    assert_eq!(
        c.list_meetings().await.unwrap_err().kind,
        VendorErrorKind::BadCredentials
    );
    env.sim.shutdown().await;
}
