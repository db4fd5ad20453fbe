//! The CloudRoom (云屋) client against huiyi-sim's CloudRoom fake, written independently from
//! the same document (vendor-docs/004_4811e8f414f0903c.txt, cited `Lnnn`; digest
//! vendor-notes/cloudroom.md, cited `note §x`), over real HTTP on 127.0.0.1. Each test starts
//! its own in-memory sim; the fake's clock is frozen so that minutes (the list limit's window)
//! and "now" do not move under a test, and moved on purpose where a test needs it.
//!
//! Disagreements found by making the two meet, and how each was decided (by the document):
//!
//! 1. **A series without end read back as "end unknown".** The fake wrote `periodEndTime: ""`
//!    for `-1` in its string form (the default, as the query example L251-L254); the client
//!    reads `""` as "no readable end" and then refuses to send the series back on an edit
//!    (`Unsupported`), so every edit of a never-ending series failed. The document's value for
//!    "no end" is `-1` (L585); its `""` sits beside `periodType: 0` (L253-L254), i.e. belongs
//!    to a one-off meeting. Decision: the fake answers `-1` in both forms
//!    (`sim/src/cloudroom/wire.rs`); the client keeps reading `""` on a series as unknown.
//! 2. **Business codes read as Unavailable were retried like outages.** The client sent a GET
//!    again on any 5xx whose kind was `Unavailable`, which included 22203 "会议未开始" and 22207
//!    (HTTP 500 like every business code, L1115-L1122): a join before the host was asked three
//!    times. Decision: only HTTP 5xx without a code or with code 500 "服务器内部异常" (L1122) is
//!    an outage (`vendors/src/cloudroom/mod.rs`, `call`).
//! 3. **A page past the end.** The fake answers page 1 for a `current` past the last page
//!    ("超出范围使用默认值", L436, note §1.8 [fake-decision]). The client stops by `remaining`,
//!    then `total`, then full pages; with neither of the first two a repeated page 1 would be
//!    read again up to its page bound. Decision: the fake's reading is allowed by L436, so the
//!    client also stops at a page that brings no new `confId` (`all_pages`).
//!
//! Checked and found in agreement (no change): the signature and its four headers (L24-L49),
//! 22004 → one re-signing on the `Date` clock (L91-L95, L1099), create's `inviteIds` vs
//! modify's `inviteeIds` (L127, L168), times as `yyyy-MM-dd HH:mm:ss` in UTC+8 (L251-L252,
//! note §1.7) and as Longs (L582-L585), `periodType` 1-5 to book and 6/7 read only (L584,
//! L464), `remaining` present or absent (L450, L474-L492), the error families' statuses
//! (400/429/500, L1090, L1105, L1115) with the documented messages, the 300/min list limit
//! (L420, L501), 4-6 digit passwords (L129, 22210) and the CRMT string handed over verbatim
//! (L318, note §5).

use std::collections::HashSet;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, DurationRound, Utc};
use chrono_tz::Asia::Shanghai;
use huiyi_core::{
    Attendee, AttendeeRole, ExposeSecret, LinkKind, LinkRole, MeetingDraft, MeetingState,
    Notifications, SecretString, VendorErrorKind, VendorMeeting,
};
use huiyi_sim::cloudroom::{
    CloudroomOptions, CloudroomSim, ConfStatus, Injected, MeetingSnapshot, SandboxCredentials,
};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};
use huiyi_vendors::cloudroom::{
    CloudroomAuth, CloudroomClient, MeetingPassword, Period, PeriodEnd, RateWaits, Recurrence,
};
use huiyi_vendors::http::RetryPolicy;
use huiyi_vendors::{Http, VendorClient, VendorError};
use serde_json::{json, Value};

use VendorErrorKind::*;

struct Env {
    sim: Sim,
    /// What the client is given: host + `/CLOUDROOM-SERVER` (`base_path`).
    base: String,
    creds: SandboxCredentials,
}

impl Env {
    async fn start() -> Env {
        let sim = Sim::start(SimConfig {
            state_dir: None,
            vendors: vec![SimVendor::Cloudroom],
            port: 0,
        })
        .await
        .unwrap();
        let host = sim.listeners()[0].base_url.clone();
        let cr = sim.cloudroom().unwrap();
        cr.freeze_clock();
        let creds = cr.credentials();
        assert_eq!(creds.base_path, "/CLOUDROOM-SERVER");
        Env {
            base: format!("{host}{}", creds.base_path),
            sim,
            creds,
        }
    }

    fn cr(&self) -> CloudroomSim {
        self.sim.cloudroom().unwrap()
    }

    fn client(&self) -> CloudroomClient {
        self.client_with(&self.creds.secret_id, &self.creds.secret_key)
    }

    fn client_with(&self, secret_id: &str, secret_key: &str) -> CloudroomClient {
        CloudroomClient::new(
            &self.base,
            CloudroomAuth {
                secret_id: secret_id.to_string(),
                secret_key: SecretString::from(secret_key.to_string()),
                user_id: Some(self.creds.user_id.clone()),
            },
            &http(),
        )
        .with_rate_waits(quick_waits())
    }

    /// The fake's clock, to the minute, plus `minutes`.
    fn in_minutes(&self, minutes: i64) -> DateTime<Utc> {
        self.cr()
            .now()
            .duration_trunc(Duration::minutes(1))
            .unwrap()
            + Duration::minutes(minutes)
    }

    fn tomorrow(&self) -> DateTime<Utc> {
        self.in_minutes(24 * 60)
    }

    fn snapshot(&self, vendor_id: &str) -> MeetingSnapshot {
        self.cr()
            .meeting(vendor_id.parse().unwrap())
            .unwrap_or_else(|| panic!("the fake holds no meeting {vendor_id}"))
    }

    /// The company's other users (the creator is the account's own user).
    fn user(&self, i: usize) -> (i64, String) {
        let u = &self.cr().users()[i];
        (u.id, u.name.clone())
    }

    fn requests(&self) -> u64 {
        self.cr().request_count()
    }

    /// A request signed as the document says (L24-L49), by another CloudRoom caller.
    async fn raw(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let ts = self.cr().now().timestamp().to_string();
        let sig = huiyi_sim::cloudroom::sign(&self.creds.secret_id, &ts, &self.creds.secret_key);
        let headers = vec![
            ("X-CR-SecretId", self.creds.secret_id.clone()),
            ("X-CR-Timestamp", ts),
            ("X-CR-Signature", sig),
            ("X-CR-RequestId", "raw-request".to_string()),
        ];
        let (status, v, _) = self.raw_with(method, path, &headers, body).await;
        (status, v)
    }

    /// Any headers; answers the status, the body as JSON and the Content-Type.
    async fn raw_with(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, String)],
        body: Option<Value>,
    ) -> (u16, Value, String) {
        let mut req = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = resp.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, v, ctype)
    }

    /// Books a one-off meeting outside Huiyi (one request); answers its confId.
    async fn raw_booking(&self, subject: &str, start: DateTime<Utc>, extra: Value) -> String {
        let mut body = json!({
            "subject": subject,
            "orderConfig": {"scheduleTime": start.timestamp(),
                            "scheduleEndTime": start.timestamp() + 1800, "periodType": 0},
        });
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        let (status, v) = self
            .raw(reqwest::Method::POST, "/v2/conference", Some(body))
            .await;
        assert_eq!(status, 200, "{v}");
        v["confId"].as_i64().unwrap().to_string()
    }
}

fn http() -> Http {
    Http::with_settings(
        StdDuration::from_secs(5),
        StdDuration::from_secs(10),
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: StdDuration::from_millis(10),
        },
    )
}

const QUICK_WAITS: u32 = 2;

fn quick_waits() -> RateWaits {
    RateWaits {
        waits: QUICK_WAITS,
        first: StdDuration::from_millis(10),
        max: StdDuration::from_millis(40),
    }
}

fn person(id: i64, name: &str, role: AttendeeRole) -> Attendee {
    Attendee {
        name: name.to_string(),
        email: None,
        phone: None,
        account: Some(id.to_string()),
        role,
    }
}

fn draft(start: DateTime<Utc>, attendees: Vec<Attendee>) -> MeetingDraft {
    MeetingDraft {
        subject: "周例会 weekly".into(),
        start,
        duration_minutes: 90,
        zone: Shanghai,
        attendees,
        notify: Notifications {
            email: true,
            sms: true,
            calendar: false,
        },
        ports: None,
        registration: false,
        password: None,
    }
}

fn code(e: &VendorError) -> &str {
    e.code.as_deref().unwrap_or("")
}

fn pw(s: &str) -> MeetingPassword {
    MeetingPassword::parse(s).unwrap()
}

fn end_path(id: &str) -> String {
    format!("/CLOUDROOM-SERVER/v2/conference/{id}/end")
}

fn inject(cr: &CloudroomSim, code: i64, remaining: u32, prefix: &str) {
    cr.inject(Injected {
        code,
        remaining,
        path_prefix: Some(prefix.to_string()),
    });
}

/// Polls `cond` for at most `limit`; panics when it never holds.
async fn eventually(limit: StdDuration, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
}

// ---------------------------------------------------------------- signing

#[tokio::test]
async fn every_request_is_signed_accepted_and_has_its_own_request_id() {
    let env = Env::start().await;
    let c = env.client();
    let (a, a_name) = env.user(1);
    c.verify().await.unwrap();
    let m = c
        .create_meeting(&draft(
            env.tomorrow(),
            vec![person(a, &a_name, AttendeeRole::Participant)],
        ))
        .await
        .unwrap();
    c.get_meeting(&m.vendor_id).await.unwrap();
    let mut moved = draft(env.tomorrow() + Duration::hours(1), vec![]);
    moved.subject = "改期".into();
    c.update_meeting(&m.vendor_id, &moved).await.unwrap();
    c.list_meetings().await.unwrap();
    c.launch_links(&m.vendor_id, LinkRole::Attendee, "张三")
        .await
        .unwrap();
    c.end_meeting(&m.vendor_id).await.unwrap();
    c.list_history(env.in_minutes(-60), env.in_minutes(3 * 24 * 60))
        .await
        .unwrap();
    c.cancel_meeting(&m.vendor_id).await.unwrap();

    let cr = env.cr();
    let sent = cr.request_count() as usize;
    assert!(sent >= 12, "{sent} requests");
    // Every request passed the fake's check: none was refused (no 22004/22005 retry either).
    assert_eq!(cr.accepted_signatures().len(), sent);
    for s in cr.accepted_signatures() {
        assert_eq!(s.len(), 64);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
    let ids = cr.request_ids();
    assert_eq!(ids.len(), sent);
    let mut distinct = HashSet::new();
    for id in ids {
        let id = id.expect("every request carries X-CR-RequestId (L29)");
        let u = uuid::Uuid::parse_str(&id).unwrap_or_else(|_| panic!("not a UUID: {id}"));
        assert_eq!(u.get_version_num(), 4);
        assert!(distinct.insert(id), "a request id was sent twice");
    }
}

#[tokio::test]
async fn a_wrong_secret_key_or_id_is_bad_credentials_with_the_documented_code() {
    let env = Env::start().await;
    let cr = env.cr();
    let before = env.requests();
    let e = env
        .client_with(&env.creds.secret_id, "not-the-secret-key-0000000000000")
        .verify()
        .await
        .unwrap_err();
    // 22005 "签名无效" (L1100), HTTP 400 (L1090).
    assert_eq!(
        (e.kind, code(&e), e.status),
        (BadCredentials, "22005", Some(400))
    );
    assert_eq!(e.detail, "签名无效");
    let e = env
        .client_with("NoSuchSecretId0000", &env.creds.secret_key)
        .verify()
        .await
        .unwrap_err();
    // 22006 "账号不存在" (L1101).
    assert_eq!(
        (e.kind, code(&e), e.status),
        (BadCredentials, "22006", Some(400))
    );
    assert_eq!(e.detail, "账号不存在");
    assert_eq!(
        env.requests() - before,
        2,
        "credentials errors are not retried"
    );
    assert!(cr.accepted_signatures().is_empty());
    // The company without API permission: 22007 (L1102).
    cr.set_options(CloudroomOptions {
        api_enabled: false,
        ..CloudroomOptions::default()
    });
    let e = env.client().verify().await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (PermissionDenied, "22007"));
    cr.set_options(CloudroomOptions::default());
    let who = env.client().verify().await.unwrap();
    assert_eq!(who.user_id, env.creds.user_id);
}

#[tokio::test]
async fn a_skewed_clock_is_learnt_from_the_date_header_with_exactly_one_retry() {
    for skew in [600i64, -600] {
        let env = Env::start().await;
        let cr = env.cr();
        // The server's clock is 10 minutes off ours (L1099: more than 5 minutes → 22004).
        cr.advance_clock(skew);
        let c = env.client();
        let before = env.requests();
        c.verify().await.unwrap();
        assert_eq!(
            env.requests() - before,
            2,
            "skew {skew}: one refusal, one retry"
        );
        assert_eq!(cr.accepted_signatures().len(), 1);
        // Learnt: the next calls go through at once, a booking too (sent once: no double).
        let before = env.requests();
        let m = c
            .create_meeting(&draft(env.tomorrow(), vec![]))
            .await
            .unwrap();
        assert_eq!(env.requests() - before, 2, "create + read back, no retry");
        assert_eq!(cr.meetings().len(), 1);
        assert_eq!(m.start, env.tomorrow());
    }
}

#[tokio::test]
async fn a_second_expired_signature_is_reported_as_clock_skew_not_retried_forever() {
    let env = Env::start().await;
    let cr = env.cr();
    let id = env.raw_booking("外部", env.tomorrow(), json!({})).await;
    inject(&cr, 22004, 5, &end_path(&id));
    let before = env.requests();
    let e = env.client().end_meeting(&id).await.unwrap_err();
    assert_eq!(
        (e.kind, code(&e), e.status),
        (ClockSkew, "22004", Some(400))
    );
    assert_eq!(
        env.requests() - before,
        2,
        "signed again once only (L91-L95)"
    );
    assert_ne!(env.snapshot(&id).status, ConfStatus::Ended);
}

// ---------------------------------------------------------------- operations

#[tokio::test]
async fn a_booking_reaches_the_fake_as_sent_and_reads_back_as_booked() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let (a, a_name) = env.user(1);
    let (b, b_name) = env.user(2);
    let (h, h_name) = env.user(3);
    let start = env.tomorrow() + Duration::minutes(7);
    let d = draft(
        start,
        vec![
            person(a, &a_name, AttendeeRole::Participant),
            person(b, &b_name, AttendeeRole::Participant),
            person(h, &h_name, AttendeeRole::Host),
        ],
    );
    let m = c
        .create_meeting_with(&d, Some(&pw("0123")), None)
        .await
        .unwrap();
    let s = env.snapshot(&m.vendor_id);
    // `inviteIds` on create (L127) reached the fake; co-hosts as `assistantInfos` (L128).
    assert_eq!(s.invitee_ids, vec![a, b]);
    assert_eq!(s.assistant_ids, vec![h]);
    assert_eq!(s.host_id.to_string(), env.creds.user_id);
    assert_eq!(s.password, "0123", "a leading zero survives (L129)");
    assert_eq!((s.email_notice, s.sms_notice), (1, 1));
    assert_eq!(s.schedule_time, Some(start.timestamp()));
    assert_eq!(s.schedule_end_time, Some(start.timestamp() + 90 * 60));
    assert_eq!(s.period_type, 0);

    // Read back from the fake's default answer: times as "yyyy-MM-dd HH:mm:ss" (UTC+8) and
    // `periodEndTime: ""` (L251-L254), and from the table's Longs (L582-L585).
    for strings in [true, false] {
        cr.set_options(CloudroomOptions {
            detail_times_as_strings: strings,
            detail_example_names: strings,
            ..CloudroomOptions::default()
        });
        let g = c.get_meeting(&m.vendor_id).await.unwrap();
        assert_eq!(g.start, start, "strings: {strings}");
        assert_eq!(g.duration_minutes, 90);
        assert_eq!(g.state, MeetingState::Scheduled);
        assert_eq!(g.subject, "周例会 weekly");
        assert_eq!(g.meeting_number, m.vendor_id);
        assert_eq!(g.guest_password.as_deref(), Some("0123"));
        let people: Vec<(String, String, AttendeeRole)> = g
            .attendees
            .iter()
            .map(|p| (p.account.clone().unwrap(), p.name.clone(), p.role))
            .collect();
        assert!(people.contains(&(a.to_string(), a_name.clone(), AttendeeRole::Participant)));
        assert!(people.contains(&(b.to_string(), b_name.clone(), AttendeeRole::Participant)));
        assert!(people.contains(&(h.to_string(), h_name.clone(), AttendeeRole::Host)));
        let notify = g.notify.unwrap();
        assert!(notify.email && notify.sms);
        // `publicUrl` for everyone, `url` for the host (L215-L216); no CRMT here.
        assert!(g
            .links
            .iter()
            .any(|l| l.kind == LinkKind::Web && l.role == LinkRole::Attendee && !l.secret));
        assert!(g
            .links
            .iter()
            .any(|l| l.kind == LinkKind::Web && l.role == LinkRole::Host));
        assert!(g.links.iter().all(|l| l.kind != LinkKind::Protocol));
        assert!(g.dial_in.is_some());
    }
}

#[tokio::test]
async fn an_edit_changes_the_invitees_through_invitee_ids_and_keeps_the_password() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let (a, a_name) = env.user(1);
    let (b, b_name) = env.user(2);
    let (z, z_name) = env.user(4);
    let m = c
        .create_meeting_with(
            &draft(
                env.tomorrow(),
                vec![
                    person(a, &a_name, AttendeeRole::Participant),
                    person(b, &b_name, AttendeeRole::Participant),
                ],
            ),
            Some(&pw("4321")),
            None,
        )
        .await
        .unwrap();
    assert_eq!(env.snapshot(&m.vendor_id).invitee_ids, vec![a, b]);

    let start = env.tomorrow() + Duration::hours(2);
    let mut d = draft(start, vec![person(z, &z_name, AttendeeRole::Participant)]);
    d.subject = "改过的会".into();
    d.duration_minutes = 30;
    let u = c.update_meeting(&m.vendor_id, &d).await.unwrap();
    // The fake reads only `inviteeIds` on modify (L168): the invitees really changed.
    let s = env.snapshot(&m.vendor_id);
    assert_eq!(s.invitee_ids, vec![z]);
    assert_eq!(s.subject, "改过的会");
    assert_eq!(s.schedule_time, Some(start.timestamp()));
    assert_eq!(s.schedule_end_time, Some(start.timestamp() + 30 * 60));
    assert_eq!(s.password, "4321", "no password sent: kept");
    assert_eq!((u.start, u.duration_minutes), (start, 30));
    let accounts: Vec<String> = u
        .attendees
        .iter()
        .filter(|p| p.role == AttendeeRole::Participant)
        .filter_map(|p| p.account.clone())
        .collect();
    assert_eq!(accounts, vec![z.to_string()]);

    // The other spelling on modify is ignored, as the document's field list has no such field:
    // what the client's spelling is checked against.
    let (status, _) = env
        .raw(
            reqwest::Method::PUT,
            &format!("/v2/conference/{}", m.vendor_id),
            Some(json!({"inviteIds": [a]})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(env.snapshot(&m.vendor_id).invitee_ids, vec![z]);

    // A new password and an emptied invitee list.
    c.update_meeting_with(
        &m.vendor_id,
        &draft(start, vec![]),
        Some(&pw("987654")),
        None,
    )
    .await
    .unwrap();
    let s = env.snapshot(&m.vendor_id);
    assert_eq!(s.password, "987654");
    assert!(s.invitee_ids.is_empty());
    assert_eq!(cr.meetings().len(), 1);
}

#[tokio::test]
async fn end_moves_a_meeting_to_the_history_and_delete_removes_it() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let keep = c
        .create_meeting(&draft(env.tomorrow(), vec![]))
        .await
        .unwrap();
    let m = c
        .create_meeting(&draft(env.tomorrow() + Duration::hours(3), vec![]))
        .await
        .unwrap();
    c.end_meeting(&m.vendor_id).await.unwrap();
    assert_eq!(env.snapshot(&m.vendor_id).status, ConfStatus::Ended);
    assert_eq!(
        c.get_meeting(&m.vendor_id).await.unwrap().state,
        MeetingState::Ended
    );
    let listed: Vec<String> = c
        .list_meetings()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.vendor_id)
        .collect();
    assert_eq!(listed, vec![keep.vendor_id.clone()]);
    let history = c
        .list_history(env.in_minutes(-60), env.in_minutes(2 * 24 * 60))
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].vendor_id, m.vendor_id);
    assert_eq!(history[0].state, MeetingState::Ended);
    assert_eq!(history[0].subject, "周例会 weekly");
    // Ending it again: 22204 "会议已结束" [fake-decision, note §10.8].
    let e = c.end_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e), e.status), (NotFound, "22204", Some(500)));
    assert_eq!(e.detail, "会议已结束");

    c.cancel_meeting(&m.vendor_id).await.unwrap();
    assert!(cr.meeting(m.vendor_id.parse().unwrap()).is_none());
    let e = c.get_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (NotFound, "22201"));
    let e = c.cancel_meeting(&m.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (NotFound, "22201"));
    assert!(c
        .list_history(env.in_minutes(-60), env.in_minutes(60))
        .await
        .unwrap()
        .is_empty());

    // A meeting in progress (someone joined) can be neither edited nor deleted: 22227. The
    // join string alone joins nobody; the launched client does (L323-357).
    c.launch_links(&keep.vendor_id, LinkRole::Host, "主持人")
        .await
        .unwrap();
    assert_eq!(env.snapshot(&keep.vendor_id).status, ConfStatus::NotStarted);
    cr.enter(keep.vendor_id.parse().unwrap(), "主持人", true)
        .unwrap();
    assert_eq!(env.snapshot(&keep.vendor_id).status, ConfStatus::InProgress);
    let e = c.cancel_meeting(&keep.vendor_id).await.unwrap_err();
    assert_eq!((e.kind, code(&e)), (MeetingStarted, "22227"));
    let e = c
        .update_meeting(&keep.vendor_id, &draft(env.tomorrow(), vec![]))
        .await
        .unwrap_err();
    assert_eq!((e.kind, code(&e)), (MeetingStarted, "22227"));
    assert_eq!(
        c.get_meeting(&keep.vendor_id).await.unwrap().state,
        MeetingState::InProgress
    );
    // Booking in the past: 22215.
    let e = c
        .create_meeting(&draft(env.in_minutes(-30), vec![]))
        .await
        .unwrap_err();
    assert_eq!((e.kind, code(&e)), (StartInPast, "22215"));
}

#[tokio::test]
async fn lists_are_paged_to_the_end_once_with_or_without_remaining() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let mut ids = Vec::new();
    for i in 0..210 {
        ids.push(
            env.raw_booking(
                &format!("会{i}"),
                env.tomorrow() + Duration::minutes(i),
                json!({}),
            )
            .await,
        );
    }
    // The fake's quirk, allowed by L436: a page past the end is page 1 again.
    let (_, first) = env
        .raw(
            reqwest::Method::GET,
            "/v2/conference/list?current=1&size=100",
            None,
        )
        .await;
    let (_, past) = env
        .raw(
            reqwest::Method::GET,
            "/v2/conference/list?current=9&size=100",
            None,
        )
        .await;
    assert_eq!(first["records"], past["records"]);

    for with_remaining in [true, false] {
        cr.set_options(CloudroomOptions {
            list_remaining: with_remaining,
            ..CloudroomOptions::default()
        });
        let before = env.requests();
        let listed = c.list_meetings().await.unwrap();
        assert_eq!(
            env.requests() - before,
            3,
            "100 + 100 + 10, remaining {with_remaining}"
        );
        let got: HashSet<String> = listed.iter().map(|m| m.vendor_id.clone()).collect();
        assert_eq!(got.len(), 210);
        assert!(ids.iter().all(|i| got.contains(i)));
        let one = listed.iter().find(|m| m.vendor_id == ids[5]).unwrap();
        assert_eq!(one.start, env.tomorrow() + Duration::minutes(5));
        assert_eq!(one.duration_minutes, 30);
        assert_eq!(one.subject, "会5");
    }
    // Exactly two full pages: the client must not ask for a third (which would be page 1).
    for id in &ids[200..] {
        c.cancel_meeting(id).await.unwrap();
    }
    for with_remaining in [true, false] {
        cr.set_options(CloudroomOptions {
            list_remaining: with_remaining,
            ..CloudroomOptions::default()
        });
        let before = env.requests();
        assert_eq!(c.list_meetings().await.unwrap().len(), 200);
        assert_eq!(env.requests() - before, 2, "remaining {with_remaining}");
    }
    // The history list pages the same way.
    for id in &ids[..150] {
        c.end_meeting(id).await.unwrap();
    }
    let before = env.requests();
    let h = c
        .list_history(env.in_minutes(-60), env.in_minutes(2 * 24 * 60))
        .await
        .unwrap();
    assert_eq!(h.len(), 150);
    assert_eq!(env.requests() - before, 2);
    assert!(h.iter().all(|m| m.state == MeetingState::Ended));
}

#[tokio::test]
async fn periodic_meetings_are_booked_and_read_back_with_each_period_and_end() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let start = env.tomorrow();
    let until = start + Duration::days(60);
    let periods = [
        (Period::Daily, 1),
        (Period::Workdays, 2),
        (Period::Weekly, 3),
        (Period::Fortnightly, 4),
        (Period::Monthly, 5),
    ];
    for strings in [true, false] {
        cr.set_options(CloudroomOptions {
            detail_times_as_strings: strings,
            ..CloudroomOptions::default()
        });
        for (period, wire) in periods {
            for (end, wire_end) in [
                (PeriodEnd::At(until), until.timestamp()),
                (PeriodEnd::Never, -1),
            ] {
                let r = Recurrence { period, end };
                let p = c
                    .create_periodic_meeting(&draft(start, vec![]), r, None)
                    .await
                    .unwrap();
                let s = env.snapshot(&p.meeting.vendor_id);
                assert_eq!((s.period_type, s.period_end_time), (wire, wire_end));
                let back = c.get_periodic(&p.meeting.vendor_id).await.unwrap();
                assert_eq!(back.recurrence, Some(r), "strings {strings}: {r:?}");
                assert_eq!(p.recurrence, Some(r));
                assert_eq!(back.meeting.start, start);
                assert_eq!(back.meeting.duration_minutes, 90);
            }
        }
    }
    cr.set_options(CloudroomOptions::default());

    // An edit of a series without end keeps it a series without end (disagreement 1).
    let r = Recurrence {
        period: Period::Weekly,
        end: PeriodEnd::Never,
    };
    let p = c
        .create_periodic_meeting(&draft(start, vec![]), r, Some(&pw("5555")))
        .await
        .unwrap();
    let mut moved = draft(start + Duration::hours(1), vec![]);
    moved.subject = "周会改时间".into();
    c.update_meeting(&p.meeting.vendor_id, &moved)
        .await
        .unwrap();
    let s = env.snapshot(&p.meeting.vendor_id);
    assert_eq!((s.period_type, s.period_end_time), (3, -1));
    assert_eq!(
        s.schedule_time,
        Some((start + Duration::hours(1)).timestamp())
    );
    assert_eq!(s.password, "5555");
    // Turned into a one-off meeting on purpose.
    c.update_meeting_with(&p.meeting.vendor_id, &moved, None, None)
        .await
        .unwrap();
    assert_eq!(env.snapshot(&p.meeting.vendor_id).period_type, 0);
    assert_eq!(
        c.get_periodic(&p.meeting.vendor_id)
            .await
            .unwrap()
            .recurrence,
        None
    );

    // 6 quarterly / 7 yearly exist only in the lists (L464) and the console: read as such,
    // never sent back (creating takes 0-5, L584).
    let q = c
        .create_periodic_meeting(&draft(start, vec![]), r, None)
        .await
        .unwrap();
    let id = q.meeting.vendor_id.clone();
    assert!(cr.set_period_type_from_console(id.parse().unwrap(), 6, -1));
    assert_eq!(
        c.get_periodic(&id).await.unwrap().recurrence,
        Some(Recurrence {
            period: Period::Quarterly,
            end: PeriodEnd::Never
        })
    );
    assert!(cr.set_period_type_from_console(id.parse().unwrap(), 7, until.timestamp()));
    assert_eq!(
        c.get_periodic(&id).await.unwrap().recurrence,
        Some(Recurrence {
            period: Period::Yearly,
            end: PeriodEnd::At(until)
        })
    );
    let before = env.requests();
    let e = c.update_meeting(&id, &moved).await.unwrap_err();
    assert_eq!(e.kind, Unsupported);
    assert_eq!(
        env.requests() - before,
        1,
        "read, and nothing sent to change it"
    );
    assert_eq!(env.snapshot(&id).period_type, 7);
    let yearly = Recurrence {
        period: Period::Yearly,
        end: PeriodEnd::Never,
    };
    let e = c
        .create_periodic_meeting(&draft(start, vec![]), yearly, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, InvalidRequest);
    assert_eq!(env.requests() - before, 1);
    // The list shows the series too.
    assert!(c
        .list_meetings()
        .await
        .unwrap()
        .iter()
        .any(|m| m.vendor_id == id));
}

// ---------------------------------------------------------------- join

#[tokio::test]
async fn join_hands_over_the_issued_crmt_verbatim_as_a_secret_with_the_web_fallback() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let m = c
        .create_meeting_with(&draft(env.tomorrow(), vec![]), Some(&pw("2468")), None)
        .await
        .unwrap();
    let links = c
        .launch_links(&m.vendor_id, LinkRole::Attendee, "张三 Zhang")
        .await
        .unwrap();
    let issued = cr.issued_crmts();
    assert_eq!(issued.len(), 1, "the password was read and sent: one join");
    let crmt = &links[0];
    assert_eq!(crmt.kind, LinkKind::Protocol);
    assert_eq!(crmt.role, LinkRole::Attendee);
    assert!(crmt.secret);
    assert!(crmt.public_url().is_none());
    assert_eq!(crmt.url.expose_secret(), issued[0].as_str());
    assert!(crmt.url.expose_secret().starts_with("CRMT:"));
    // The fallback: the public web link (L109-L112), the same as get_meeting's.
    assert_eq!(links.len(), 2);
    assert_eq!(
        (links[1].kind, links[1].role),
        (LinkKind::Web, LinkRole::Attendee)
    );
    let g = c.get_meeting(&m.vendor_id).await.unwrap();
    let public = g
        .links
        .iter()
        .find(|l| l.role == LinkRole::Attendee)
        .unwrap();
    assert_eq!(public.url.expose_secret(), links[1].url.expose_secret());
    assert!(
        env.snapshot(&m.vendor_id).joined.is_empty(),
        "a join string joins nobody until it is launched"
    );

    // The host: userType 1, and the host's web link as fallback.
    let host = c
        .launch_links(&m.vendor_id, LinkRole::Host, "主持人")
        .await
        .unwrap();
    assert_eq!(host[0].url.expose_secret(), cr.issued_crmts()[1].as_str());
    assert_eq!(
        (host[0].kind, host[0].role),
        (LinkKind::Protocol, LinkRole::Host)
    );
    assert!(host[1..].iter().all(|l| l.role == LinkRole::Host));
    assert!(!host[1..].is_empty());
    let j = c
        .join_string(&m.vendor_id, "李四", Some("2468"), LinkRole::Attendee)
        .await
        .unwrap();
    assert_eq!(j.url.expose_secret(), cr.issued_crmts()[2].as_str());
    assert!(j.secret);

    // A wrong password: 22202 "会议密码错误".
    let before = env.requests();
    let e = c
        .join_string(&m.vendor_id, "王五", Some("1111"), LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, code(&e), e.status),
        (InvalidRequest, "22202", Some(500))
    );
    assert_eq!(e.detail, "会议密码错误");
    assert_eq!(env.requests() - before, 1);
    // Ended: 22204 "会议已结束".
    c.end_meeting(&m.vendor_id).await.unwrap();
    let e = c
        .launch_links(&m.vendor_id, LinkRole::Attendee, "王五")
        .await
        .unwrap_err();
    assert_eq!((e.kind, code(&e)), (NotFound, "22204"));
    assert_eq!(cr.issued_crmts().len(), 3);
}

#[tokio::test]
async fn joining_before_the_host_is_not_started_answered_once() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    // Booked elsewhere with "join before the host" off (canJoinAdv 0, L593).
    let id = env
        .raw_booking(
            "先等主持人",
            env.tomorrow(),
            json!({"attributes": {"canJoinAdv": 0}}),
        )
        .await;
    let before = env.requests();
    let e = c
        .join_string(&id, "张三", None, LinkRole::Attendee)
        .await
        .unwrap_err();
    // 22203 "会议未开始": an answer, asked once (disagreement 2).
    assert_eq!(
        (e.kind, code(&e), e.status),
        (Unavailable, "22203", Some(500))
    );
    assert_eq!(e.detail, "会议未开始");
    assert_eq!(env.requests() - before, 1);
    assert!(cr.issued_crmts().is_empty());
    c.join_string(&id, "主持人", None, LinkRole::Host)
        .await
        .unwrap();
    // The host's string is not the host in the meeting: still refused until they enter.
    let e = c
        .join_string(&id, "张三", None, LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(code(&e), "22203");
    cr.enter(id.parse().unwrap(), "主持人", true).unwrap();
    c.join_string(&id, "张三", None, LinkRole::Attendee)
        .await
        .unwrap();
    assert_eq!(env.snapshot(&id).joined, vec!["主持人"]);
}

// ---------------------------------------------------------------- errors

/// What each code means for the person (client `errors.rs`), by the document's messages.
fn expected_kind(code: i64) -> VendorErrorKind {
    match code {
        22001 | 22005 | 22006 => BadCredentials,
        22002 | 22003 | 22009 => InvalidRequest,
        22004 => ClockSkew,
        22007 => PermissionDenied,
        22008 => RateLimited,
        400 => InvalidRequest,
        500 => Unavailable,
        22201 | 22204 | 22233 | 21030 => NotFound,
        22202 => InvalidRequest,
        22203 | 22207 => Unavailable,
        22205 | 22206 | 22224 => PermissionDenied,
        22208 => Unsupported,
        22215 => StartInPast,
        22227 => MeetingStarted,
        22223 | 22228 | 22229 | 22234 | 22235 => AttendeeInvalid,
        _ => InvalidRequest,
    }
}

#[tokio::test]
async fn every_code_the_fake_can_answer_reaches_the_client_as_its_kind_and_message() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let id = env.raw_booking("错误码", env.tomorrow(), json!({})).await;
    let mut codes: Vec<(i64, &str)> = huiyi_sim::cloudroom::CODES.to_vec();
    codes.push((21030, huiyi_sim::cloudroom::message(21030)));
    for (wire, msg) in codes {
        // `POST …/end` is never sent again for an answer; 22004 and 22008 are refusals before
        // acting, sent again (once, and at most QUICK_WAITS times).
        let tries: u64 = match wire {
            22004 => 2,
            22008 => 1 + u64::from(QUICK_WAITS),
            _ => 1,
        };
        inject(&cr, wire, tries as u32, &end_path(&id));
        let before = env.requests();
        let e = c.end_meeting(&id).await.unwrap_err();
        assert_eq!(e.kind, expected_kind(wire), "code {wire}");
        assert_eq!(code(&e), wire.to_string());
        assert_eq!(
            e.status,
            Some(huiyi_sim::cloudroom::http_status(wire).as_u16()),
            "code {wire}"
        );
        // 400 auth, 429 rate, 500 business (L1090, L1105, L1115).
        let family = match wire {
            22008 => 429,
            22001..=22009 => 400,
            _ => 500,
        };
        assert_eq!(e.status, Some(family));
        assert_eq!(e.detail, msg, "code {wire}");
        assert!(e.to_string().contains(msg));
        assert_eq!(env.requests() - before, tries, "code {wire}");
    }
    assert_eq!(env.snapshot(&id).status, ConfStatus::NotStarted);

    // A 500 without business code is an outage: reads are retried, writes are not.
    cr.set_fault(Fault {
        kind: FaultKind::ServerError,
        remaining: 1,
        path_prefix: Some(format!("/CLOUDROOM-SERVER/v2/conference/{id}")),
    });
    let before = env.requests();
    c.get_meeting(&id).await.unwrap();
    assert_eq!(env.requests() - before, 2);
    cr.set_fault(Fault {
        kind: FaultKind::ServerError,
        remaining: 1,
        path_prefix: Some("/CLOUDROOM-SERVER/v2/conference".into()),
    });
    let before = env.requests();
    let e = c
        .create_meeting(&draft(env.tomorrow(), vec![]))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, code(&e), e.status),
        (Unavailable, "500", Some(500))
    );
    assert_eq!(e.detail, "服务器内部异常");
    assert_eq!(env.requests() - before, 1);
    assert_eq!(cr.meetings().len(), 1);
    // A gateway's 502 with an HTML body: Unavailable, no HTML in the message.
    inject(&cr, 502, 3, "/CLOUDROOM-SERVER/v2/conference/");
    let e = c.get_meeting(&id).await.unwrap_err();
    assert_eq!(
        (e.kind, e.status, e.code.clone()),
        (Unavailable, Some(502), None)
    );
    assert!(!e.detail.contains('<'));
    // A cut answer: BadResponse.
    cr.set_fault(Fault {
        kind: FaultKind::MalformedBody,
        remaining: 1,
        path_prefix: None,
    });
    let e = c.get_meeting(&id).await.unwrap_err();
    assert_eq!(e.kind, BadResponse);
}

/// Raw request headers (name, value).
type Headers = Vec<(&'static str, String)>;

#[tokio::test]
async fn authentication_failures_have_the_documented_status_code_and_message() {
    let env = Env::start().await;
    let cr = env.cr();
    let id = &env.creds.secret_id;
    let key = &env.creds.secret_key;
    let now = cr.now().timestamp();
    let signed = |ts: i64| {
        let ts = ts.to_string();
        let sig = huiyi_sim::cloudroom::sign(id, &ts, key);
        (ts, sig)
    };
    let (ts, sig) = signed(now);
    let h = |pairs: &[(&'static str, &str)]| -> Headers {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    let (old_ts, old_sig) = signed(now - 301);
    let (edge_ts, edge_sig) = signed(now - 300);
    let cases: Vec<(Headers, Option<i64>)> = vec![
        (
            h(&[("X-CR-Timestamp", &ts), ("X-CR-Signature", &sig)]),
            Some(22001),
        ),
        (
            h(&[("X-CR-SecretId", id), ("X-CR-Signature", &sig)]),
            Some(22002),
        ),
        (
            h(&[("X-CR-SecretId", id), ("X-CR-Timestamp", &ts)]),
            Some(22003),
        ),
        (
            h(&[
                ("X-CR-SecretId", id),
                ("X-CR-Timestamp", "abc"),
                ("X-CR-Signature", &sig),
            ]),
            Some(22009),
        ),
        (
            h(&[
                ("X-CR-SecretId", "nobody"),
                ("X-CR-Timestamp", &ts),
                ("X-CR-Signature", &sig),
            ]),
            Some(22006),
        ),
        (
            h(&[
                ("X-CR-SecretId", id),
                ("X-CR-Timestamp", &ts),
                ("X-CR-Signature", &sig.to_ascii_uppercase()),
            ]),
            Some(22005),
        ),
        (
            h(&[
                ("X-CR-SecretId", id),
                ("X-CR-Timestamp", &old_ts),
                ("X-CR-Signature", &old_sig),
            ]),
            Some(22004),
        ),
        // Exactly 5 minutes is not "more than 5 minutes" (L1099).
        (
            h(&[
                ("X-CR-SecretId", id),
                ("X-CR-Timestamp", &edge_ts),
                ("X-CR-Signature", &edge_sig),
            ]),
            None,
        ),
    ];
    for (headers, want) in cases {
        let (status, body, ctype) = env
            .raw_with(reqwest::Method::GET, "/v2/conference/list", &headers, None)
            .await;
        match want {
            Some(wire) => {
                assert_eq!(status, 400, "{wire}: {body}");
                assert_eq!(
                    body,
                    json!({"code": wire, "msg": huiyi_sim::cloudroom::message(wire)})
                );
                assert!(ctype.starts_with("application/json"));
            }
            None => assert_eq!(status, 200, "{body}"),
        }
    }
    // 22008 at the list limit: HTTP 429 (L1105-L1111).
    cr.set_options(CloudroomOptions {
        list_rate_limit_per_minute: 1,
        ..CloudroomOptions::default()
    });
    let (status, body) = env
        .raw(reqwest::Method::GET, "/v2/conference/history/list", None)
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = env
        .raw(reqwest::Method::GET, "/v2/conference/history/list", None)
        .await;
    assert_eq!(
        (status, body),
        (429, json!({"code": 22008, "msg": "接口超出频率"}))
    );
    // Code 400 "请求地址或参数错误" comes with HTTP 500 (L1115-L1121): a path with no route.
    let (status, body) = env
        .raw(reqwest::Method::GET, "/v2/conference/abc", None)
        .await;
    assert_eq!(
        (status, body),
        (500, json!({"code": 400, "msg": "请求地址或参数错误"}))
    );
}

// ---------------------------------------------------------------- rate limit

#[tokio::test]
async fn the_list_limit_is_waited_out_when_the_minute_turns_and_reported_when_it_does_not() {
    let env = Env::start().await;
    let cr = env.cr();
    // 300/min (L420, L501), lowered to 3 for the test; the fake's minute is its frozen clock.
    cr.set_options(CloudroomOptions {
        list_rate_limit_per_minute: 3,
        ..CloudroomOptions::default()
    });
    let c = env.client();
    for _ in 0..3 {
        c.list_meetings().await.unwrap();
    }
    let before = env.requests();
    let e = c.list_meetings().await.unwrap_err();
    assert_eq!(
        (e.kind, code(&e), e.status),
        (RateLimited, "22008", Some(429))
    );
    assert_eq!(e.detail, "接口超出频率");
    assert_eq!(
        env.requests() - before,
        1 + u64::from(QUICK_WAITS),
        "bounded waits"
    );

    // Waiting long enough: the next minute comes (the fake's clock moves) while the client
    // waits, and the call succeeds without the caller seeing the refusal.
    let patient = env.client().with_rate_waits(RateWaits {
        waits: 200,
        first: StdDuration::from_millis(10),
        max: StdDuration::from_millis(10),
    });
    let before = env.requests();
    let call = tokio::spawn(async move { patient.list_meetings().await });
    eventually(StdDuration::from_secs(10), "a refused list call", || {
        env.requests() - before >= 2
    })
    .await;
    assert!(!call.is_finished());
    cr.advance_clock(60);
    let listed = tokio::time::timeout(StdDuration::from_secs(10), call)
        .await
        .expect("the waiting call finishes once the minute turned")
        .unwrap();
    assert!(listed.unwrap().is_empty());
}

// ---------------------------------------------------------------- local checks

#[tokio::test]
async fn what_cloudroom_would_refuse_is_refused_before_anything_is_sent() {
    let env = Env::start().await;
    let c = env.client();
    // 4-6 digits (L129, 22210): the fake agrees on each of these.
    for bad in ["123", "1234567", "12a4", "", "１２３４", "12 34"] {
        assert!(MeetingPassword::parse(bad).is_err(), "{bad:?}");
    }
    for bad in ["123", "1234567", "12a4"] {
        let (status, body) = env
            .raw(
                reqwest::Method::POST,
                "/v2/conference",
                Some(json!({"subject": "x", "password": bad})),
            )
            .await;
        assert_eq!((status, body["code"].clone()), (500, json!(22210)), "{bad}");
    }
    for good in ["0123", "123456", "9999"] {
        assert_eq!(MeetingPassword::parse(good).unwrap().as_str(), good);
    }
    let before = env.requests();
    let mut long = draft(env.tomorrow(), vec![]);
    long.subject = "字".repeat(51);
    let e = c.create_meeting(&long).await.unwrap_err();
    assert_eq!(e.kind, InvalidRequest);
    let mut day = draft(env.tomorrow(), vec![]);
    day.duration_minutes = 24 * 60 + 1;
    assert_eq!(
        c.create_meeting(&day).await.unwrap_err().kind,
        InvalidRequest
    );
    let mut nobody = draft(env.tomorrow(), vec![]);
    nobody.attendees.push(Attendee {
        name: "无号".into(),
        email: Some("x@example.com".into()),
        phone: None,
        account: None,
        role: AttendeeRole::Participant,
    });
    assert_eq!(
        c.create_meeting(&nobody).await.unwrap_err().kind,
        AttendeeInvalid
    );
    let e = c
        .join_string("12345678", &"名".repeat(31), None, LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(e.kind, InvalidRequest);
    let e = c
        .list_history(env.in_minutes(0), env.in_minutes(366 * 24 * 60))
        .await
        .unwrap_err();
    assert_eq!(e.kind, InvalidRequest);
    assert_eq!(c.get_meeting("abc").await.unwrap_err().kind, NotFound);
    assert_eq!(env.requests(), before, "nothing reached the fake");
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn no_secret_key_signature_or_crmt_shows_in_errors_or_meetings() {
    let env = Env::start().await;
    let cr = env.cr();
    let c = env.client();
    let mut errors: Vec<VendorError> = Vec::new();
    let mut meetings: Vec<VendorMeeting> = Vec::new();

    let m = c
        .create_meeting_with(&draft(env.tomorrow(), vec![]), Some(&pw("1357")), None)
        .await
        .unwrap();
    meetings.push(m.clone());
    let links = c
        .launch_links(&m.vendor_id, LinkRole::Attendee, "张三")
        .await
        .unwrap();
    let host = c
        .join_string(&m.vendor_id, "主持", Some("1357"), LinkRole::Host)
        .await
        .unwrap();
    // The CRMT is not cached: get_meeting and the lists never carry it.
    meetings.push(c.get_meeting(&m.vendor_id).await.unwrap());
    meetings.extend(c.list_meetings().await.unwrap());
    meetings.push(c.get_periodic(&m.vendor_id).await.unwrap().meeting);
    errors.push(
        c.join_string(&m.vendor_id, "错", Some("0000"), LinkRole::Attendee)
            .await
            .unwrap_err(),
    );
    errors.push(
        env.client_with(&env.creds.secret_id, "wrong-key")
            .verify()
            .await
            .unwrap_err(),
    );
    inject(&cr, 22004, 2, "/CLOUDROOM-SERVER/v2/conference/");
    errors.push(c.get_meeting(&m.vendor_id).await.unwrap_err());
    inject(&cr, 502, 3, "/CLOUDROOM-SERVER/v2/conference/");
    errors.push(c.get_meeting(&m.vendor_id).await.unwrap_err());
    cr.set_fault(Fault {
        kind: FaultKind::MalformedBody,
        remaining: 1,
        path_prefix: Some("/CLOUDROOM-SERVER/v2/conference/".into()),
    });
    errors.push(
        c.join_string(&m.vendor_id, "截断", Some("1357"), LinkRole::Attendee)
            .await
            .unwrap_err(),
    );
    errors.push(c.end_meeting("99999999").await.unwrap_err());

    let crmts = cr.issued_crmts();
    assert_eq!(crmts.len(), 3, "two handed over, one cut on the way");
    assert_eq!(links[0].url.expose_secret(), crmts[0].as_str());
    assert_eq!(host.url.expose_secret(), crmts[1].as_str());
    let mut secrets: Vec<String> = vec![env.creds.secret_key.clone()];
    secrets.extend(cr.accepted_signatures());
    for crmt in &crmts {
        secrets.push(crmt.clone());
        // The payload alone, too (after `CRMT:`).
        secrets.push(crmt[5..].to_string());
    }
    let mut texts: Vec<String> = Vec::new();
    for e in &errors {
        texts.push(e.to_string());
        texts.push(format!("{e:?}"));
        texts.push(e.message(huiyi_core::Lang::Zh));
    }
    for m in &meetings {
        texts.push(format!("{m:?}"));
        for l in &m.links {
            assert_ne!(l.kind, LinkKind::Protocol);
            texts.push(l.url.expose_secret().to_string());
        }
    }
    texts.push(format!("{c:?}"));
    texts.push(format!("{links:?}"));
    texts.push(format!("{host:?}"));
    for t in &texts {
        for s in &secrets {
            assert!(!t.contains(s.as_str()), "a secret shows in: {t}");
        }
    }
}
