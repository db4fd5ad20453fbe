//! The BizConf client against huiyi-sim's BizConf fake, built independently from the same
//! document (vendor-docs/001_…txt, `Lnnn`), over real HTTP on 127.0.0.1. Each test starts its
//! own in-memory sim.

use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, DurationRound, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Shanghai;
use huiyi_core::{
    ExposeSecret, Lang, LinkKind, LinkRole, MeetingDraft, MeetingState, Notifications,
    SecretString, VendorErrorKind, VendorMeeting,
};
use huiyi_sim::bizconf::{BizconfSim, ConfStatus, MeetingSnapshot, SandboxCredentials};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};
use huiyi_vendors::bizconf::{
    signer, to_wire_time, BizconfAuth, BizconfClient, CustomQuestion, CustomQuestionKind,
    NewRegistrant, RegistrantStatus, RegistrationQuestions, SiteList, StandardField,
    StandardQuestion,
};
use huiyi_vendors::http::{encode_form, RetryPolicy};
use huiyi_vendors::{Http, VendorClient};

const V2: &str = "/openapi/v2/";

struct Env {
    sim: Sim,
    base_url: String,
    creds: SandboxCredentials,
}

impl Env {
    async fn start() -> Env {
        let sim = Sim::start(SimConfig {
            state_dir: None,
            vendors: vec![SimVendor::Bizconf],
            port: 0,
        })
        .await
        .unwrap();
        let base_url = sim.listeners()[0].base_url.clone();
        let bc = sim.bizconf().unwrap();
        // One second past a whole minute, so that "now, to the minute" cannot straddle one.
        let into_minute = bc.now().timestamp().rem_euclid(60);
        bc.advance_clock(61 - into_minute);
        let creds = bc.credentials();
        Env {
            sim,
            base_url,
            creds,
        }
    }

    fn bc(&self) -> BizconfSim {
        self.sim.bizconf().unwrap()
    }

    fn client(&self) -> BizconfClient {
        self.client_with(&self.creds.site_sign, &self.creds.api_key)
    }

    fn client_with(&self, site_sign: &str, api_key: &str) -> BizconfClient {
        BizconfClient::new(
            &self.base_url,
            BizconfAuth {
                site_sign: site_sign.to_string(),
                user_id: self.creds.user_id.clone(),
                user_name: self.creds.user_name.clone(),
                api_key: SecretString::from(api_key.to_string()),
            },
            &http(),
        )
    }

    /// The sim's clock to the minute, plus `minutes`.
    fn in_minutes(&self, minutes: i64) -> DateTime<Utc> {
        self.bc()
            .now()
            .duration_trunc(Duration::minutes(1))
            .unwrap()
            + Duration::minutes(minutes)
    }

    fn tomorrow(&self) -> DateTime<Utc> {
        self.in_minutes(24 * 60)
    }

    fn snapshot(&self, vendor_id: &str) -> MeetingSnapshot {
        self.bc()
            .meetings()
            .into_iter()
            .find(|m| m.conf_id.to_string() == vendor_id)
            .unwrap_or_else(|| panic!("the fake holds no meeting {vendor_id}"))
    }

    /// A request signed as the document says (L12), as another BizConf client would send it:
    /// a meeting booked outside Huiyi (with a password, or by another user of the site). Its
    /// timestamps lie seconds behind the clock, where the client under test never signs.
    async fn raw(
        &self,
        endpoint: &str,
        user_id: &str,
        fields: &[(&str, &str)],
    ) -> serde_json::Value {
        static BACK: AtomicI64 = AtomicI64::new(10_000);
        let ts =
            (self.bc().now().timestamp_millis() - BACK.fetch_add(1, Ordering::Relaxed)).to_string();
        let token = huiyi_sim::bizconf::token(user_id, &self.creds.api_key, &ts);
        let mut all: Vec<(&str, &str)> = vec![
            ("userId", user_id),
            ("siteSign", &self.creds.site_sign),
            ("timeStamp", &ts),
            ("token", &token),
        ];
        all.extend_from_slice(fields);
        let resp = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .post(format!("{}{V2}{endpoint}", self.base_url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode_form(&all))
            .send()
            .await
            .unwrap();
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["status"], 100, "{endpoint}: {v}");
        v
    }

    /// Books a meeting outside Huiyi; answers its confId.
    async fn raw_booking(
        &self,
        user_id: &str,
        start: DateTime<Utc>,
        ports: u32,
        password: &str,
    ) -> String {
        let start = to_wire_time(start);
        let ports = ports.to_string();
        let v = self
            .raw(
                "confReservation",
                user_id,
                &[
                    ("userName", "外部预约"),
                    ("confName", "booked elsewhere"),
                    ("startTime", &start),
                    ("duration", "45"),
                    ("confParties", &ports),
                    ("confPassword", password),
                ],
            )
            .await;
        v["data"]["confId"].to_string()
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
        zone: Shanghai,
        attendees: Vec::new(),
        notify: Notifications {
            email: false,
            sms: false,
            calendar: false,
        },
        ports: Some(5),
        registration: false,
        password: None,
    }
}

fn fault(kind: FaultKind, remaining: u32, endpoint: &str) -> Fault {
    Fault {
        kind,
        remaining,
        path_prefix: Some(format!("{V2}{endpoint}")),
    }
}

fn link(m: &VendorMeeting, kind: LinkKind, role: LinkRole, prefix: &str) -> String {
    m.links
        .iter()
        .filter(|l| l.kind == kind && l.role == role)
        .map(|l| l.url.expose_secret().to_string())
        .find(|u| u.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {kind:?} {role:?} link starting {prefix}"))
}

fn code(e: &huiyi_vendors::VendorError) -> &str {
    e.code.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------- signing

/// Note §2 T1-T5: the client's signer and the fake's check compute the same tokens.
#[test]
fn the_token_vectors_of_the_note_agree_on_both_sides() {
    let cases = [
        (
            "101821841",
            "testApiKey123",
            1637733600000,
            "39F8E668110D95BFD8D0B131BFD88DA3",
        ),
        (
            "101821841",
            "testApiKey123",
            1637733600001,
            "629EB715016CC914055BF4E99196B61D",
        ),
        (
            "hw1",
            "0123456789abcdef0123456789abcdef",
            1486803600000,
            "F5526FC6F38A501741E6EE2EEB44C0CD",
        ),
        (
            "1336450341",
            "testApiKey123",
            1637733600000,
            "F635E64FF8A5DB68BA0FA48038CCF01A",
        ),
        (
            "张三",
            "testApiKey123",
            1637733600000,
            "9D2627E569FFD7563F9B7073185605F4",
        ),
    ];
    for (identity, key, ts, want) in cases {
        assert_eq!(signer::token(identity, key, ts), want, "client {identity}");
        assert_eq!(
            huiyi_sim::bizconf::token(identity, key, &ts.to_string()),
            want,
            "fake {identity}"
        );
    }
}

#[tokio::test]
async fn verify_proves_the_key_and_a_wrong_key_or_site_says_so() {
    let env = Env::start().await;
    let id = env.client().verify().await.unwrap();
    assert_eq!(id.user_id, env.creds.user_id);
    assert_eq!(id.display_name, env.creds.user_name);

    let before = env.bc().request_count();
    let e = env
        .client_with(&env.creds.site_sign, "0123456789abcdef0123456789abcdef")
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(code(&e), "102");
    assert_eq!(
        env.bc().request_count() - before,
        1,
        "a wrong key is not retried"
    );

    let e = env
        .client_with("no-such-site", &env.creds.api_key)
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(code(&e), "106");
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- meetings

/// BizConf creates a user on its first booking and keeps its first name (L226); until then
/// the user lists do not know the userId (101), which still verifies.
#[tokio::test]
async fn an_account_that_never_booked_verifies_and_its_first_booking_creates_it() {
    let env = Env::start().await;
    let fresh = |name: &str| {
        BizconfClient::new(
            &env.base_url,
            BizconfAuth {
                site_sign: env.creds.site_sign.clone(),
                user_id: "huiyi-first-timer".into(),
                user_name: name.into(),
                api_key: SecretString::from(env.creds.api_key.clone()),
            },
            &http(),
        )
    };
    let c = fresh("新用户");
    let id = c.verify().await.unwrap();
    assert_eq!(
        (id.user_id.as_str(), id.display_name.as_str()),
        ("huiyi-first-timer", "新用户")
    );
    assert!(c.list_meetings().await.unwrap().is_empty());
    assert!(c.ended_meetings(None, None).await.unwrap().is_empty());
    assert_eq!(
        c.free_ports(env.tomorrow(), env.tomorrow() + Duration::hours(1), None)
            .await
            .unwrap(),
        100
    );
    let site = c.site_meetings(SiteList::Scheduled, None, None).await;
    assert!(site.is_ok(), "{site:?}");

    c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    let renamed = fresh("another name");
    let m = renamed
        .create_meeting(&draft(env.tomorrow() + Duration::hours(2)))
        .await
        .unwrap();
    assert_eq!(
        m.organizer.as_deref(),
        Some("新用户"),
        "the first name sticks"
    );
    assert_eq!(renamed.verify().await.unwrap().display_name, "新用户");
    env.sim.shutdown().await;
}

/// Note §2 T5: a non-ASCII userId is signed over its UTF-8 bytes, in a form body (POST) and
/// in a query string (GET) alike.
#[tokio::test]
async fn a_chinese_user_id_signs_books_and_reads() {
    let env = Env::start().await;
    let c = BizconfClient::new(
        &env.base_url,
        BizconfAuth {
            site_sign: env.creds.site_sign.clone(),
            user_id: "张三".into(),
            user_name: "张三".into(),
            api_key: SecretString::from(env.creds.api_key.clone()),
        },
        &http(),
    );
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    assert_eq!(env.snapshot(&m.vendor_id).user_id, "张三");
    let shown = c.get_meeting(&m.vendor_id).await.unwrap();
    assert_eq!(shown.organizer.as_deref(), Some("张三"));
    assert_eq!(c.list_meetings().await.unwrap().len(), 1);
    env.sim.shutdown().await;
}

/// Subjects BizConf refuses (L254) are refused before anything is sent.
#[tokio::test]
async fn a_subject_bizconf_refuses_is_caught_before_sending() {
    let env = Env::start().await;
    let before = env.bc().request_count();
    let mut d = draft(env.tomorrow());
    d.subject = "Q3: review".into();
    let e = env.client().create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(env.bc().request_count(), before);
    env.sim.shutdown().await;
}

/// L13-15: Beijing 2017-01-10 12:00:00 is sent as 2017-01-10 04:00:00; and a meeting booked
/// for Beijing noon is held by the server at 04:00 GMT.
#[tokio::test]
async fn a_beijing_noon_meeting_is_stored_as_four_gmt() {
    let noon_2017 = Shanghai.with_ymd_and_hms(2017, 1, 10, 12, 0, 0).unwrap();
    assert_eq!(
        to_wire_time(noon_2017.with_timezone(&Utc)),
        "2017-01-10 04:00:00"
    );

    let env = Env::start().await;
    let tomorrow = env.tomorrow().with_timezone(&Shanghai).date_naive();
    let noon = Shanghai
        .from_local_datetime(&tomorrow.and_hms_opt(12, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let m = env.client().create_meeting(&draft(noon)).await.unwrap();
    assert_eq!(m.start, noon);
    let held = env.snapshot(&m.vendor_id);
    assert_eq!(held.start_time, noon);
    assert_eq!(held.start_time.hour(), 4, "12:00 in Beijing is 04:00 GMT");
    assert_eq!(held.duration_minutes, 45);
    assert_eq!(held.conf_parties, 5);
    assert_eq!(held.conf_name, "周例会 weekly");
    env.sim.shutdown().await;
}

#[tokio::test]
async fn details_carry_every_join_link_and_a_fresh_host_start_link() {
    let env = Env::start().await;
    let c = env.client();
    let booked = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    let m = c.get_meeting(&booked.vendor_id).await.unwrap();
    let id = &m.vendor_id;
    let no = &m.meeting_number;
    assert_eq!(no.len(), 10, "{no}");
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(m.organizer.as_deref(), Some(env.creds.user_name.as_str()));
    assert_eq!(m.guest_password, None);

    let join = link(&m, LinkKind::Protocol, LinkRole::Attendee, "sfcloud://");
    assert_eq!(
        join,
        format!("sfcloud://www.confcloud.cn/join?confno={no}&pwd=")
    );
    let web_client = link(
        &m,
        LinkKind::Web,
        LinkRole::Attendee,
        "https://cc.bizvideo.cn/",
    );
    assert_eq!(
        web_client,
        format!("https://cc.bizvideo.cn/wc/join/{no}?pwd=&prefer=1")
    );
    let web = link(&m, LinkKind::Web, LinkRole::Attendee, "https://");
    assert!(web.contains(&format!(".bizvideo.cn/j/{id}4/")), "{web}");
    assert_eq!(web, env.snapshot(id).join_url);
    let host_web = link(&m, LinkKind::Web, LinkRole::Host, "https://");
    assert!(
        host_web.contains(&format!(".bizvideo.cn/j/{id}3/")),
        "{host_web}"
    );
    let start = link(
        &m,
        LinkKind::Protocol,
        LinkRole::Host,
        &format!("sfcloud://www.confcloud.cn/start?confno={no}&"),
    );
    assert!(start.contains("&token="), "{start}");

    // The host start link is fetched fresh: its token changes with each read.
    let again = c.get_meeting(id).await.unwrap();
    let start_again = link(&again, LinkKind::Protocol, LinkRole::Host, "sfcloud://");
    assert_ne!(start, start_again);
    env.sim.shutdown().await;
}

/// L1758-1762: `confPassword` is required on 2.12 and an empty one removes the password; an
/// edit made in Huiyi (which sets no password) must keep the one the meeting has.
#[tokio::test]
async fn an_edit_moves_the_meeting_and_keeps_its_password() {
    let env = Env::start().await;
    let c = env.client();
    let id = env
        .raw_booking(&env.creds.user_id, env.tomorrow(), 5, "4512")
        .await;
    let seen = c.get_meeting(&id).await.unwrap();
    assert_eq!(seen.guest_password.as_deref(), Some("4512"));

    let mut change = draft(env.tomorrow() + Duration::hours(3));
    change.subject = "改期 moved".into();
    change.duration_minutes = 90;
    change.ports = None;
    let m = c.update_meeting(&id, &change).await.unwrap();
    assert_eq!(m.start, change.start);
    assert_eq!(m.duration_minutes, 90);
    assert_eq!(m.guest_password.as_deref(), Some("4512"));
    let join = link(&m, LinkKind::Protocol, LinkRole::Attendee, "sfcloud://");
    assert!(join.ends_with("&pwd=4512"), "{join}");

    let held = env.snapshot(&id);
    assert_eq!(
        held.password.as_deref(),
        Some("4512"),
        "the edit kept the password"
    );
    assert_eq!(held.start_time, change.start);
    assert_eq!(held.duration_minutes, 90);
    assert_eq!(held.conf_name, "改期 moved");
    assert_eq!(held.conf_parties, 5, "ports the edit left open stay");

    // A meeting without a password stays without one.
    let plain = c
        .create_meeting(&draft(env.tomorrow() + Duration::hours(8)))
        .await
        .unwrap();
    c.update_meeting(
        &plain.vendor_id,
        &draft(env.tomorrow() + Duration::hours(9)),
    )
    .await
    .unwrap();
    assert_eq!(env.snapshot(&plain.vendor_id).password, None);
    env.sim.shutdown().await;
}

/// L192: one meeting per userId in a time period (202), for a booking and for an edit.
#[tokio::test]
async fn a_second_meeting_of_the_account_at_that_time_is_a_time_conflict() {
    let env = Env::start().await;
    let c = env.client();
    let t = env.tomorrow();
    let a = c.create_meeting(&draft(t)).await.unwrap();
    let b = c
        .create_meeting(&draft(t + Duration::hours(2)))
        .await
        .unwrap();

    let e = c
        .create_meeting(&draft(t + Duration::minutes(30)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::TimeConflict);
    assert_eq!(code(&e), "202");
    assert!(
        e.message(Lang::En)
            .contains("one meeting per account at a time"),
        "{}",
        e.message(Lang::En)
    );

    let e = c
        .update_meeting(&b.vendor_id, &draft(t + Duration::minutes(15)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::TimeConflict);
    assert_eq!(
        env.snapshot(&b.vendor_id).start_time,
        t + Duration::hours(2)
    );
    assert_eq!(env.bc().meetings().len(), 2);

    // Another user of the site may meet at the same time.
    env.raw_booking("someone-else", t, 5, "").await;
    assert_eq!(env.snapshot(&a.vendor_id).status, ConfStatus::Booked);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_meeting_is_gone() {
    let env = Env::start().await;
    let c = env.client();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    assert_eq!(c.list_meetings().await.unwrap().len(), 1);
    c.cancel_meeting(&m.vendor_id).await.unwrap();
    assert_eq!(env.snapshot(&m.vendor_id).status, ConfStatus::Cancelled);
    assert!(c.list_meetings().await.unwrap().is_empty());

    let e = c.get_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(code(&e), "401");
    let e = c.cancel_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    let e = c.get_meeting("1").await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::NotFound, "401"));
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_start_in_the_past_is_refused_as_such() {
    let env = Env::start().await;
    let e = env
        .client()
        .create_meeting(&draft(env.in_minutes(-60)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::StartInPast);
    assert_eq!(code(&e), "201");
    assert!(env.bc().meetings().is_empty());
    env.sim.shutdown().await;
}

/// The sim clock starts the meeting; 2.13 ends only meetings in progress (L1943), 2.4 cancels
/// none in progress (L790), 2.12 is for meetings not started.
#[tokio::test]
async fn a_live_meeting_is_listed_as_ongoing_and_can_be_ended_but_not_edited() {
    let env = Env::start().await;
    let c = env.client();
    let soon = c.create_meeting(&draft(env.in_minutes(2))).await.unwrap();
    let later = c.create_meeting(&draft(env.tomorrow())).await.unwrap();

    // Ending a meeting that has not started: 708, read as a request that cannot apply.
    let e = c.end_meeting(&later.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::InvalidRequest, "708"));
    assert!(
        e.detail.contains("only a meeting in progress"),
        "{}",
        e.detail
    );

    env.bc().advance_clock(3 * 60);
    assert_eq!(env.snapshot(&soon.vendor_id).status, ConfStatus::Live);
    let listed = c.list_meetings().await.unwrap();
    let state_of = |id: &str| listed.iter().find(|m| m.vendor_id == id).map(|m| m.state);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(state_of(&soon.vendor_id), Some(MeetingState::InProgress));
    assert_eq!(state_of(&later.vendor_id), Some(MeetingState::Scheduled));

    let e = c
        .update_meeting(&soon.vendor_id, &draft(env.tomorrow() + Duration::hours(5)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::MeetingStarted);
    let e = c.cancel_meeting(&soon.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::MeetingStarted, "708"));
    assert_eq!(env.snapshot(&soon.vendor_id).status, ConfStatus::Live);

    c.end_meeting(&soon.vendor_id).await.unwrap();
    assert_eq!(env.snapshot(&soon.vendor_id).status, ConfStatus::Ended);
    let ended = c.ended_meetings(None, None).await.unwrap();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].vendor_id, soon.vendor_id);
    assert_eq!(ended[0].state, MeetingState::Ended);
    // The filter is GMT on the wire too: a window around its start finds it, a later one not.
    let at = soon.start;
    let around = c
        .ended_meetings(
            Some(at - Duration::minutes(1)),
            Some(at + Duration::minutes(1)),
        )
        .await
        .unwrap();
    assert_eq!(around.len(), 1);
    let later_window = c
        .ended_meetings(Some(at + Duration::hours(1)), None)
        .await
        .unwrap();
    assert!(later_window.is_empty(), "{later_window:?}");
    let listed = c.list_meetings().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].vendor_id, later.vendor_id);

    // Ending it again: 707 会议结束.
    let e = c.end_meeting(&soon.vendor_id).await.unwrap_err();
    assert_eq!(code(&e), "707");
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    env.sim.shutdown().await;
}

/// 2.8-2.10 list every user's meetings with numbers as strings (L1295-1324).
#[tokio::test]
async fn site_lists_show_every_user_with_numbers_read_from_strings() {
    let env = Env::start().await;
    let c = env.client();
    let mut d = draft(env.in_minutes(2));
    d.ports = Some(7);
    let mine = c.create_meeting(&d).await.unwrap();
    let theirs = env.raw_booking("someone-else", env.tomorrow(), 9, "").await;

    let site = c
        .site_meetings(SiteList::Scheduled, None, None)
        .await
        .unwrap();
    assert_eq!(site.len(), 2);
    let of = |id: &str| {
        site.iter()
            .find(|s| s.meeting.vendor_id == id)
            .unwrap()
            .clone()
    };
    let m = of(&mine.vendor_id);
    assert_eq!(m.ports, Some(7));
    assert_eq!(m.meeting.duration_minutes, 45);
    assert_eq!(m.meeting.start, d.start);
    assert_eq!(m.user_id.as_deref(), Some(env.creds.user_id.as_str()));
    assert_eq!(m.meeting.state, MeetingState::Scheduled);
    let t = of(&theirs);
    assert_eq!(t.ports, Some(9));
    assert_eq!(t.user_id.as_deref(), Some("someone-else"));

    env.bc().advance_clock(3 * 60);
    let living = c.site_meetings(SiteList::Living, None, None).await.unwrap();
    assert_eq!(living.len(), 1);
    assert_eq!(living[0].meeting.vendor_id, mine.vendor_id);
    assert_eq!(living[0].meeting.state, MeetingState::InProgress);
    c.end_meeting(&mine.vendor_id).await.unwrap();
    let finished = c
        .site_meetings(SiteList::Finished, None, None)
        .await
        .unwrap();
    assert_eq!(finished.len(), 1);
    assert_eq!(finished[0].meeting.state, MeetingState::Ended);
    assert!(c
        .site_meetings(SiteList::Living, None, None)
        .await
        .unwrap()
        .is_empty());
    env.sim.shutdown().await;
}

/// 2.16 before booking, and leaving out the meeting being changed (L2247-2251).
#[tokio::test]
async fn free_ports_count_before_booking_and_leave_out_the_meeting_being_changed() {
    let env = Env::start().await;
    let c = env.client();
    let t = env.tomorrow();
    let end = t + Duration::minutes(45);
    let before = c.port_usage(t, end, None).await.unwrap();
    assert_eq!((before.free, before.total), (100, Some(100)));

    let mut d = draft(t);
    d.ports = Some(30);
    let m = c.create_meeting(&d).await.unwrap();
    assert_eq!(c.free_ports(t, end, None).await.unwrap(), 70);
    assert_eq!(
        c.free_ports(t + Duration::minutes(30), end + Duration::hours(1), None)
            .await
            .unwrap(),
        70
    );
    assert_eq!(
        c.free_ports(end, end + Duration::hours(1), None)
            .await
            .unwrap(),
        100
    );
    assert_eq!(
        c.free_ports(t, end, Some(&m.vendor_id)).await.unwrap(),
        100,
        "the meeting being changed does not count against itself"
    );

    // So a change to 100 ports fits, and 101 would not.
    d.ports = Some(100);
    c.update_meeting(&m.vendor_id, &d).await.unwrap();
    assert_eq!(env.snapshot(&m.vendor_id).conf_parties, 100);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn too_few_ports_is_resources_insufficient_with_a_clear_message() {
    let env = Env::start().await;
    env.bc().set_site_capacity(20);
    let mut d = draft(env.tomorrow());
    d.ports = Some(30);
    let e = env.client().create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ResourcesInsufficient);
    assert_eq!(code(&e), "205");
    let text = e.message(Lang::En);
    assert!(
        text.contains("run out of BizConf Video meeting resources"),
        "{text}"
    );
    assert!(e.message(Lang::Zh).contains("会议资源不足"));
    assert!(env.bc().meetings().is_empty());
    d.ports = Some(20);
    env.client().create_meeting(&d).await.unwrap();
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- tokens and faults

/// 704 Token过期 (L90-91): the request was refused before anything happened, so the client
/// signs it again, once.
#[tokio::test]
async fn a_stale_token_is_signed_again_once() {
    let env = Env::start().await;
    let c = env.client();
    let bc = env.bc();

    bc.set_fault(fault(
        FaultKind::ExpireTokens,
        1,
        "getScheduledConfListByUserId",
    ));
    let before = bc.request_count();
    c.verify().await.unwrap();
    assert_eq!(bc.request_count() - before, 2);

    bc.set_fault(fault(
        FaultKind::ExpireTokens,
        2,
        "getScheduledConfListByUserId",
    ));
    let before = bc.request_count();
    let e = c.verify().await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::ClockSkew, "704"));
    assert_eq!(
        bc.request_count() - before,
        2,
        "signed again once, not more"
    );

    // The server's clock an hour ahead: the first token is stale, the second one is signed
    // by the server's clock (its Date header) and the client keeps using it.
    bc.advance_clock(3600);
    let before = bc.request_count();
    c.verify().await.unwrap();
    assert_eq!(bc.request_count() - before, 2);
    let before = bc.request_count();
    c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    assert_eq!(bc.request_count() - before, 1);
    env.sim.shutdown().await;
}

/// Two Huiyi instances of one account signing in the same millisecond send the same token;
/// the fake refuses the second (single use, L12) and the client signs it again.
#[tokio::test]
async fn a_replayed_token_is_refused_and_signed_again() {
    let env = Env::start().await;
    let bc = env.bc();
    let frozen = bc.now();
    let a = env.client().with_clock(Arc::new(move || frozen));
    let b = env.client().with_clock(Arc::new(move || frozen));
    a.verify().await.unwrap();
    let accepted = bc.accepted_tokens().len();
    let before = bc.request_count();
    b.verify().await.unwrap();
    assert_eq!(
        bc.request_count() - before,
        2,
        "refused once, then signed again"
    );
    assert_eq!(bc.accepted_tokens().len(), accepted + 1);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_server_error_is_retried_for_reads_only() {
    let env = Env::start().await;
    let c = env.client();
    let bc = env.bc();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();

    bc.set_fault(fault(FaultKind::ServerError, 1, "getConfDetailByConfId"));
    let before = bc.request_count();
    c.get_meeting(&m.vendor_id).await.unwrap();
    assert_eq!(bc.request_count() - before, 2);

    bc.set_fault(fault(FaultKind::ServerError, 1, "confReservation"));
    let before = bc.request_count();
    let e = c
        .create_meeting(&draft(env.tomorrow() + Duration::hours(2)))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert!(e.retryable());
    assert_eq!(
        bc.request_count() - before,
        1,
        "a booking is never sent twice"
    );
    assert_eq!(bc.meetings().len(), 1);

    // A read that keeps failing gives up after the bounded attempts.
    bc.set_fault(fault(FaultKind::ServerError, 10, "getConfDetailByConfId"));
    let before = bc.request_count();
    let e = c.get_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(bc.request_count() - before, 3);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn a_cut_answer_is_a_bad_response_that_shows_no_link() {
    let env = Env::start().await;
    let c = env.client();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();
    env.bc()
        .set_fault(fault(FaultKind::MalformedBody, 1, "getConfDetailByConfId"));
    let e = c.get_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    let text = format!("{e} {e:?}");
    assert!(!text.contains("sfcloud://"), "{text}");
    assert!(!text.contains("bizvideo.cn/j/"), "{text}");
    env.sim.shutdown().await;
}

/// The booking was made, but its answer never came back: the client must not book again
/// (the desk reads back instead).
#[tokio::test]
async fn a_booking_whose_answer_is_lost_is_not_sent_again() {
    let env = Env::start().await;
    let c = env.client();
    let bc = env.bc();
    bc.set_fault(fault(FaultKind::DropAfterCommit, 1, "confReservation"));
    let before = bc.request_count();
    let e = c.create_meeting(&draft(env.tomorrow())).await.unwrap_err();
    assert!(
        matches!(e.kind, VendorErrorKind::Network | VendorErrorKind::Timeout),
        "{e:?}"
    );
    assert_eq!(bc.request_count() - before, 1);
    assert_eq!(bc.meetings().len(), 1, "booked once, not twice");
    assert_eq!(c.list_meetings().await.unwrap().len(), 1);
    env.sim.shutdown().await;
}

/// An edit sends absolute values, so a lost answer is sent again and the edit happens once;
/// a cancellation is not repeated (a repeat would answer 401 for a cancellation that worked).
#[tokio::test]
async fn a_lost_edit_answer_is_repeated_but_a_lost_cancellation_is_not() {
    let env = Env::start().await;
    let c = env.client();
    let bc = env.bc();
    let m = c.create_meeting(&draft(env.tomorrow())).await.unwrap();

    bc.set_fault(fault(FaultKind::DropAfterCommit, 1, "confModify2"));
    let moved = env.tomorrow() + Duration::hours(4);
    let before = bc.request_count();
    let edited = c.update_meeting(&m.vendor_id, &draft(moved)).await.unwrap();
    assert_eq!(edited.start, moved);
    assert_eq!(
        bc.request_count() - before,
        3,
        "detail, the lost edit, the repeat"
    );
    assert_eq!(env.snapshot(&m.vendor_id).start_time, moved);

    // A list read by POST is a read too: retried after a 500.
    bc.set_fault(fault(
        FaultKind::ServerError,
        1,
        "getScheduledConfListByUserId",
    ));
    assert_eq!(c.list_meetings().await.unwrap().len(), 1);

    bc.set_fault(fault(FaultKind::DropAfterCommit, 1, "cancelConf"));
    let before = bc.request_count();
    let e = c.cancel_meeting(&m.vendor_id).await.unwrap_err();
    assert!(
        matches!(e.kind, VendorErrorKind::Network | VendorErrorKind::Timeout),
        "{e:?}"
    );
    assert_eq!(bc.request_count() - before, 1);
    assert_eq!(env.snapshot(&m.vendor_id).status, ConfStatus::Cancelled);
    env.sim.shutdown().await;
}

/// Thirty bookings at once through one client: the fake accepts each token once only, so a
/// reused token would show as a refusal (or a re-signed extra request).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_concurrent_bookings_never_reuse_a_token() {
    let env = Env::start().await;
    let bc = env.bc();
    let c = Arc::new(env.client());
    let t = env.tomorrow();
    let accepted_before = bc.accepted_tokens().len();
    let before = bc.request_count();
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move {
                let mut d = draft(t + Duration::hours(i));
                d.ports = Some(3);
                c.create_meeting(&d).await
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        let m = task.await.unwrap().unwrap();
        ids.insert(m.vendor_id);
    }
    assert_eq!(ids.len(), 30);
    assert_eq!(bc.meetings().len(), 30);
    assert_eq!(
        bc.request_count() - before,
        30,
        "no request was refused and sent again"
    );
    let accepted = bc.accepted_tokens();
    let new: std::collections::HashSet<&String> = accepted[accepted_before..].iter().collect();
    assert_eq!(new.len(), 30);

    // More than one page of each list (the client asks for 20 at a time).
    assert_eq!(c.list_meetings().await.unwrap().len(), 30);
    let site = c
        .site_meetings(SiteList::Scheduled, None, None)
        .await
        .unwrap();
    assert_eq!(site.len(), 30);
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- registration

fn registrant(name: &str, email: &str) -> NewRegistrant {
    NewRegistrant {
        first_name: name.into(),
        last_name: Some("Test".into()),
        email: email.into(),
        answers: vec![("How are you?".into(), "Good".into())],
        ..NewRegistrant::default()
    }
}

#[tokio::test]
async fn registration_questions_registrants_and_personal_links() {
    let env = Env::start().await;
    let c = env.client();
    let mut d = draft(env.tomorrow());
    d.registration = true;
    let m = c.create_meeting(&d).await.unwrap();
    assert!(env.snapshot(&m.vendor_id).registration);

    c.update_registration_questions(
        &m.vendor_id,
        &RegistrationQuestions {
            standard: vec![StandardQuestion {
                field: StandardField::LastName,
                required: true,
            }],
            custom: vec![CustomQuestion {
                title: "How are you?".into(),
                kind: CustomQuestionKind::Single,
                answers: vec!["Good".into(), "Fine".into()],
                required: false,
            }],
        },
    )
    .await
    .unwrap();

    // The questions reached BizConf: the surname is now required.
    let mut no_surname = registrant("孙八", "sun@example.com");
    no_surname.last_name = None;
    let e = c
        .add_registrant(&m.vendor_id, &no_surname)
        .await
        .unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::InvalidRequest, "109"));

    let r = c
        .add_registrant(&m.vendor_id, &registrant("张三", "zhang@example.com"))
        .await
        .unwrap();
    let url = r.join_url.expose_secret();
    assert!(url.starts_with("https://meeting.bizvideo.cn/j/"), "{url}");
    assert!(url.contains("?tk="), "{url}");
    assert_eq!(r.meeting_number.as_deref(), Some(m.meeting_number.as_str()));

    let mut waiting = registrant("Li", "li@example.com");
    waiting.auto_approve = Some(false);
    let w = c.add_registrant(&m.vendor_id, &waiting).await.unwrap();

    let approved = c
        .registrants(&m.vendor_id, RegistrantStatus::Approved)
        .await
        .unwrap();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].id, r.registrant_id);
    assert_eq!(approved[0].first_name, "张三");
    assert_eq!(approved[0].email.as_deref(), Some("zhang@example.com"));
    assert_eq!(approved[0].status, Some(RegistrantStatus::Approved));
    assert_eq!(
        approved[0].answers,
        vec![("How are you?".to_string(), "Good".to_string())]
    );
    let pending = c
        .registrants(&m.vendor_id, RegistrantStatus::Pending)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, w.registrant_id);
    assert_eq!(env.snapshot(&m.vendor_id).registrants.len(), 2);

    // Registration is open until the meeting ends (L3832); after that BizConf answers 201
    // (会议时间过期), which must not read as "pick a later start time".
    let mut soon = draft(env.in_minutes(2));
    soon.registration = true;
    soon.duration_minutes = 5;
    let short = c.create_meeting(&soon).await.unwrap();
    c.add_registrant(&short.vendor_id, &registrant("赵六", "zhao@example.com"))
        .await
        .unwrap();
    env.bc().advance_clock(8 * 60);
    let e = c
        .registrants(&short.vendor_id, RegistrantStatus::Approved)
        .await
        .unwrap_err();
    assert_eq!(code(&e), "201");
    assert_eq!(e.kind, VendorErrorKind::NotFound, "{e:?}");
    assert!(e.detail.contains("ended"), "{}", e.detail);
    let e = c
        .add_registrant(&short.vendor_id, &registrant("钱七", "qian@example.com"))
        .await
        .unwrap_err();
    assert_eq!((e.kind, code(&e)), (VendorErrorKind::NotFound, "201"));

    // A meeting booked without registration takes none (712 会议模式错误).
    let plain = c
        .create_meeting(&draft(env.tomorrow() + Duration::hours(2)))
        .await
        .unwrap();
    let e = c
        .add_registrant(&plain.vendor_id, &registrant("王五", "wang@example.com"))
        .await
        .unwrap_err();
    assert_eq!(code(&e), "712");
    env.sim.shutdown().await;
}

// ---------------------------------------------------------------- secrets in logs

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary from the moment the log test starts, at TRACE. Global:
/// a thread-local subscriber misses events whose callsites other tests running at the same
/// time registered first (tracing caches their interest).
fn captured_log() -> LogBuffer {
    static LOG: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = LogBuffer::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    })
    .clone()
}

/// A full scenario with every log line captured (TRACE, the sim's lines too): no API key, no
/// token the fake accepted, no host start link and no registrant link appears.
#[tokio::test]
async fn no_key_token_or_host_link_reaches_the_log() {
    let log = captured_log();
    let env = Env::start().await;
    let c = env.client();
    let bc = env.bc();
    c.verify().await.unwrap();
    let mut d = draft(env.tomorrow());
    d.registration = true;
    let m = c.create_meeting(&d).await.unwrap();
    let shown = c.get_meeting(&m.vendor_id).await.unwrap();
    c.update_meeting(&m.vendor_id, &draft(env.tomorrow() + Duration::hours(1)))
        .await
        .unwrap();
    c.list_meetings().await.unwrap();
    c.site_meetings(SiteList::Scheduled, None, None)
        .await
        .unwrap();
    c.free_ports(d.start, d.end(), Some(&m.vendor_id))
        .await
        .unwrap();
    let r = c
        .add_registrant(&m.vendor_id, &registrant("张三", "zhang@example.com"))
        .await
        .unwrap();
    c.registrants(&m.vendor_id, RegistrantStatus::Approved)
        .await
        .unwrap();
    bc.set_fault(fault(FaultKind::ExpireTokens, 1, "getConfDetailByConfId"));
    c.get_meeting(&m.vendor_id).await.unwrap();
    bc.set_fault(fault(FaultKind::ServerError, 1, "getConfDetailByConfId"));
    c.get_meeting(&m.vendor_id).await.unwrap();
    let _ = env
        .client_with(&env.creds.site_sign, "wrong")
        .verify()
        .await;
    c.cancel_meeting(&m.vendor_id).await.unwrap();

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("vendor call") && text.contains("signing it again"),
        "the log was captured: {text}"
    );
    let mut secrets = bc.accepted_tokens();
    assert!(secrets.len() > 10, "{}", secrets.len());
    secrets.push(env.creds.api_key.clone());
    for l in m.links.iter().chain(&shown.links) {
        if l.role == LinkRole::Host {
            let url = l.url.expose_secret().to_string();
            if let Some((_, token)) = url.split_once("token=") {
                secrets.push(token.to_string());
            }
            secrets.push(url);
        }
    }
    secrets.push(r.join_url.expose_secret().to_string());
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "the log holds a secret: {s}");
    }
    let shown_text = format!("{m:?} {shown:?} {r:?}");
    for s in &secrets {
        assert!(
            !shown_text.contains(s.as_str()),
            "Debug shows a secret: {s}"
        );
    }
    env.sim.shutdown().await;
}
