//! Client behaviour against a tiny scripted HTTP server (the full fake will live in huiyi-sim):
//! the signature over the exact bytes sent, request shapes, paging, error mapping, re-signing
//! after refusals, the creation queue, and that no secret reaches Debug output, errors or logs.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{TimeZone, Utc};
use huiyi_core::{Attendee, AttendeeRole, Notifications};
use serde_json::{json, Value};

use super::*;
use crate::http::RetryPolicy;
use crate::huawei::tests::logs;
use crate::scripted::{fake, fake_at, Fake, Seen};

const APP_ID: &str = "200000001";
const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE-secret";
const OPERATOR: &str = "tester1";
const HOST_KEY: &str = "HOSTKEY-731902";
const MEETING_ID: &str = "10418246224797450687";

/// Recomputes the signature from what arrived, as a server would.
trait SignatureCheck {
    fn signature_ok(&self, secret_key: &str) -> bool;
}

impl SignatureCheck for Seen {
    fn signature_ok(&self, secret_key: &str) -> bool {
        let parts = signer::SignedParts {
            method: &self.method,
            secret_id: &self.headers["x-tc-key"],
            nonce: &self.headers["x-tc-nonce"],
            timestamp: &self.headers["x-tc-timestamp"],
            request_uri: &self.target,
            body: &self.raw_body,
        };
        signer::signature(&parts, secret_key) == self.headers["x-tc-signature"]
    }
}

fn http() -> Http {
    logs();
    Http::with_settings(
        StdDuration::from_secs(2),
        StdDuration::from_secs(5),
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: StdDuration::from_millis(5),
        },
    )
}

fn auth(sdk_id: Option<&str>) -> TencentAuth {
    TencentAuth {
        app_id: APP_ID.into(),
        sdk_id: sdk_id.map(Into::into),
        secret_id: SECRET_ID.into(),
        secret_key: SecretString::from(SECRET_KEY),
        operator: OPERATOR.into(),
    }
}

fn client(f: &Fake) -> TencentClient {
    TencentClient::new(&f.base, auth(None), &http())
}

fn meeting(id: &str, start: i64) -> Value {
    json!({
        "subject": "周会", "meeting_id": id, "meeting_code": "806146667", "type": 0,
        "status": "MEETING_STATE_INIT",
        "join_url": "https://meeting.tencent.com/dm/uaa3D5n4vtjY",
        "hosts": [{"userid": OPERATOR}], "participants": [{"userid": "zhangsan"}],
        "start_time": start.to_string(), "end_time": (start + 3600).to_string(),
        "password": "1234", "host_key": HOST_KEY, "time_zone": "Asia/Shanghai"
    })
}

fn one(id: &str) -> String {
    json!({"meeting_number": 1, "meeting_info_list": [meeting(id, 1914321600)]}).to_string()
}

fn err(code: i64, msg: &str) -> String {
    json!({"error_info": {"error_code": code, "new_error_code": 1000000000 + code, "message": msg}})
        .to_string()
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        subject: "周会".into(),
        start: Utc.with_ymd_and_hms(2030, 8, 30, 12, 0, 0).unwrap(),
        duration_minutes: 60,
        zone: "Asia/Shanghai".parse().unwrap(),
        attendees: vec![
            Attendee {
                name: "张三".into(),
                email: Some("zhang@example.com".into()),
                phone: None,
                account: Some("zhangsan".into()),
                role: AttendeeRole::Participant,
            },
            Attendee {
                name: "Guest".into(),
                email: None,
                phone: Some("+8613800138000".into()),
                account: None,
                role: AttendeeRole::Participant,
            },
        ],
        notify: Notifications::default(),
        ports: None,
        registration: false,
        password: None,
    }
}

#[tokio::test]
async fn create_is_signed_over_the_exact_bytes_sent_with_the_documented_headers() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let fixed = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let c = client(&f).with_clock(Arc::new(move || fixed));
    let m = c.create_meeting(&draft()).await.unwrap();
    assert_eq!(m.vendor_id, MEETING_ID);
    assert_eq!(m.meeting_number, "806146667");
    assert_eq!(
        m.links[0].public_url(),
        Some("https://meeting.tencent.com/dm/uaa3D5n4vtjY")
    );

    let req = &f.seen()[0];
    assert_eq!(
        (req.method.as_str(), req.target.as_str()),
        ("POST", "/v1/meetings")
    );
    let h = &req.headers;
    assert_eq!(h["x-tc-key"], SECRET_ID);
    assert_eq!(h["x-tc-timestamp"], fixed.timestamp().to_string());
    assert_eq!(h["appid"], APP_ID);
    assert_eq!(h["x-tc-registered"], "1");
    assert_eq!(h["content-type"], "application/json");
    assert!(!h.contains_key("sdkid"), "no SdkId unless one was assigned");
    let nonce: u64 = h["x-tc-nonce"].parse().unwrap();
    assert_eq!(nonce / 1_000_000, fixed.timestamp_millis() as u64);
    assert_eq!(h["x-tc-signature"].len(), 88);
    assert!(req.signature_ok(SECRET_KEY));
    assert!(!req.signature_ok("another key"));
    assert_eq!(
        req.body,
        json!({
            "userid": OPERATOR, "instanceid": 1, "subject": "周会", "type": 0,
            "start_time": "1914321600", "end_time": "1914325200", "meeting_type": 0,
            "invitees": [{"userid": "zhangsan"}],
            "guests": [{"area": "86", "phone_number": "13800138000", "guest_name": "Guest"}],
            "time_zone": "Asia/Shanghai"
        })
    );
}

#[tokio::test]
async fn an_assigned_sdk_id_is_sent_and_every_request_gets_a_fresh_nonce() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let c = TencentClient::new(&f.base, auth(Some("19000000001")), &http());
    c.get_meeting(MEETING_ID).await.unwrap();
    c.get_meeting(MEETING_ID).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].headers["sdkid"], "19000000001");
    assert_ne!(seen[0].headers["x-tc-nonce"], seen[1].headers["x-tc-nonce"]);
    assert!(seen.iter().all(|s| s.signature_ok(SECRET_KEY)));
}

#[tokio::test]
async fn get_signs_the_query_and_an_empty_body() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let m = client(&f).get_meeting(MEETING_ID).await.unwrap();
    let req = &f.seen()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.target,
        format!("/v1/meetings/{MEETING_ID}?userid=tester1&instanceid=1")
    );
    assert!(req.raw_body.is_empty());
    assert!(req.signature_ok(SECRET_KEY));
    assert_eq!(m.guest_password.as_deref(), Some("1234"));
    assert_eq!(m.host_password.as_ref().unwrap().expose_secret(), HOST_KEY);
    assert_eq!(m.attendees.len(), 2);
}

#[tokio::test]
async fn update_puts_the_whole_definition_then_reads_the_meeting_back() {
    let f = fake(|req, _| match req.method.as_str() {
        "PUT" => (
            200,
            json!({"meeting_number": 1, "meeting_info_list": [{"meeting_id": MEETING_ID, "meeting_code": "806146667"}]}).to_string(),
        ),
        _ => (200, one(MEETING_ID)),
    })
    .await;
    let mut d = draft();
    d.attendees.truncate(1);
    let m = client(&f).update_meeting(MEETING_ID, &d).await.unwrap();
    assert_eq!(m.subject, "周会");
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].target, format!("/v1/meetings/{MEETING_ID}"));
    assert!(seen[0].signature_ok(SECRET_KEY));
    assert_eq!(
        seen[0].body,
        json!({
            "userid": OPERATOR, "instanceid": 1, "subject": "周会",
            "start_time": "1914321600", "end_time": "1914325200",
            "hosts": [], "invitees": [{"userid": "zhangsan"}], "guests": [],
            "time_zone": "Asia/Shanghai"
        })
    );
    assert_eq!(seen[1].method, "GET");
}

#[tokio::test]
async fn cancel_posts_a_reason_and_accepts_an_empty_or_json_answer() {
    for answer in ["", "{}"] {
        let f = fake(move |_, _| (200, answer.to_string())).await;
        client(&f).cancel_meeting(MEETING_ID).await.unwrap();
        let req = &f.seen()[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.target, format!("/v1/meetings/{MEETING_ID}/cancel"));
        assert_eq!(
            req.body,
            json!({"userid": OPERATOR, "instanceid": 1, "reason_code": 1})
        );
        assert!(req.signature_ok(SECRET_KEY));
    }
}

#[tokio::test]
async fn an_id_that_would_change_the_signed_path_is_refused_before_any_call() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let e = client(&f).get_meeting("1/../../x?y").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn the_list_follows_next_pos_while_remaining_and_drops_duplicates() {
    let f = fake(|req, _| {
        let page = |ids: &[&str], remaining: i64, next: i64| {
            let list: Vec<Value> = ids.iter().map(|i| meeting(i, 1914321600)).collect();
            json!({"meeting_number": ids.len(), "remaining": remaining, "next_pos": next,
                   "meeting_info_list": list})
            .to_string()
        };
        match req.query.get("pos").map(String::as_str) {
            None => (200, page(&["1", "2"], 3, 2)),
            // The list moved while paging: "2" comes again.
            Some("2") => (200, page(&["2", "3"], 1, 4)),
            Some("4") => (200, page(&["4"], 0, 5)),
            _ => (500, err(5108, "unexpected pos")),
        }
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|m| m.vendor_id.as_str()).collect();
    assert_eq!(ids, vec!["1", "2", "3", "4"]);
    let seen = f.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].target, "/v1/meetings?userid=tester1&instanceid=1");
    assert_eq!(
        seen[1].target,
        "/v1/meetings?userid=tester1&instanceid=1&pos=2"
    );
    assert!(seen.iter().all(|s| s.signature_ok(SECRET_KEY)));
}

#[tokio::test]
async fn a_list_that_never_ends_or_stalls_is_bounded() {
    let f = fake(|_, n| {
        (
            200,
            json!({"remaining": 5, "next_pos": (n as i64 + 1) * 20,
                   "meeting_info_list": [meeting(&format!("{n}"), 1914321600)]})
            .to_string(),
        )
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    assert_eq!(list.len(), MAX_LIST_PAGES);
    assert_eq!(f.seen().len(), MAX_LIST_PAGES);

    let stuck = fake(|_, _| {
        (
            200,
            json!({"remaining": 5, "next_pos": 0, "meeting_info_list": [meeting("1", 1914321600)]})
                .to_string(),
        )
    })
    .await;
    client(&stuck).list_meetings().await.unwrap();
    assert!(stuck.seen().len() <= 2, "{}", stuck.seen().len());
}

#[tokio::test]
async fn verify_is_one_signed_read_that_proves_the_keys() {
    let f = fake(|req, _| {
        if req.signature_ok(SECRET_KEY) {
            (
                200,
                json!({"meeting_number": 0, "remaining": 0, "meeting_info_list": []}).to_string(),
            )
        } else {
            (400, err(200003, "Signature failed"))
        }
    })
    .await;
    let id = client(&f).verify().await.unwrap();
    assert_eq!(id.user_id, OPERATOR);
    assert_eq!(f.seen()[0].method, "GET");

    let mut wrong = auth(None);
    wrong.secret_key = SecretString::from("not the key");
    let e = TencentClient::new(&f.base, wrong, &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(e.code.as_deref(), Some("200003"));
    assert_eq!(e.detail, "Signature failed");
}

#[tokio::test]
async fn documented_errors_reach_the_caller_typed_and_coded_errors_are_not_retried() {
    let cases = [
        (400, 190303, VendorErrorKind::BadCredentials),
        (500, 9003, VendorErrorKind::NotFound),
        (500, 190315, VendorErrorKind::PermissionDenied),
        (400, 9061, VendorErrorKind::RateLimited),
        (400, 190004, VendorErrorKind::InvalidRequest),
    ];
    for (status, code, kind) in cases {
        let f = fake(move |_, _| (status, err(code, "x"))).await;
        let e = client(&f).get_meeting(MEETING_ID).await.unwrap_err();
        assert_eq!(e.kind, kind, "{code}");
        assert_eq!(e.code, Some(code.to_string()));
        assert_eq!(e.status, Some(status));
        assert_eq!(f.seen().len(), 1, "{code} must not be retried");
    }
    let f = fake(|_, _| (400, err(9008, "create too frequent"))).await;
    let e = client(&f).create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::DailyLimitReached);
    assert_eq!(f.seen().len(), 1);
}

#[tokio::test]
async fn a_get_is_retried_after_an_outage_with_a_new_signature_and_a_post_is_not() {
    let f = fake(|req, n| match (req.method.as_str(), n) {
        ("GET", 0) => (502, "bad gateway".into()),
        ("GET", 1) => (500, err(5108, "internal error")),
        ("GET", _) => (200, one(MEETING_ID)),
        _ => (503, String::new()),
    })
    .await;
    let c = client(&f);
    c.get_meeting(MEETING_ID).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 3);
    assert_ne!(seen[0].headers["x-tc-nonce"], seen[1].headers["x-tc-nonce"]);
    assert_ne!(seen[1].headers["x-tc-nonce"], seen[2].headers["x-tc-nonce"]);
    assert!(seen[2].signature_ok(SECRET_KEY));
    let e = c.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(f.seen().len(), 4);
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_server_date_and_the_request_signed_again() {
    // The server runs an hour ahead and refuses timestamps more than 5 minutes off.
    let f = fake_at(Some(3600), |req, _| {
        let ts: i64 = req.headers["x-tc-timestamp"].parse().unwrap();
        if (ts - (Utc::now().timestamp() + 3600)).abs() > 300 {
            (400, err(190300, "timestamp expired"))
        } else {
            (200, one(MEETING_ID))
        }
    })
    .await;
    let m = client(&f).create_meeting(&draft()).await.unwrap();
    assert_eq!(m.vendor_id, MEETING_ID);
    let seen = f.seen();
    assert_eq!(
        seen.len(),
        2,
        "refused once, then signed on the server's time"
    );
    assert!(seen[1].signature_ok(SECRET_KEY));

    // Without a Date header the refusal stays, as a clock problem the user can fix.
    let f = fake(|_, _| (400, err(190300, "timestamp expired"))).await;
    let e = client(&f).get_meeting(MEETING_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ClockSkew);
    assert_eq!(f.seen().len(), 2);
    assert!(e.message(huiyi_core::Lang::En).contains("clock"));
}

#[tokio::test]
async fn a_replayed_nonce_is_signed_again_once_and_books_once() {
    let f = fake(|_, n| match n {
        0 => (400, err(190301, "nonce replay")),
        _ => (200, one(MEETING_ID)),
    })
    .await;
    client(&f).create_meeting(&draft()).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    assert_ne!(seen[0].headers["x-tc-nonce"], seen[1].headers["x-tc-nonce"]);

    let always = fake(|_, _| (400, err(190301, "nonce replay"))).await;
    let e = client(&always).create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(always.seen().len(), 2, "one repeat, not a loop");
}

#[tokio::test]
async fn a_burst_of_creations_is_queued_under_the_limit_not_failed() {
    let f = fake(|_, n| (200, one(&format!("{}", 1000 + n)))).await;
    let window = StdDuration::from_millis(400);
    let c = Arc::new(client(&f).with_creation_limit(2, window));
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.create_meeting(&draft()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut at: Vec<Instant> = f.seen().iter().map(|s| s.at).collect();
    at.sort();
    assert_eq!(at.len(), 5);
    for w in at.windows(3) {
        assert!(
            w[2].duration_since(w[0]) >= window,
            "three creations inside one window"
        );
    }
    assert!(started.elapsed() >= window * 2);
    assert_eq!(CREATE_LIMIT, 9);
    assert_eq!(CREATE_WINDOW, StdDuration::from_secs(60));
}

#[tokio::test]
async fn what_tencent_cannot_express_is_refused_before_any_call() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let mut d = draft();
    d.attendees[1].phone = None;
    d.attendees[1].email = Some("guest@example.com".into());
    let e = client(&f).create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert!(e.detail.contains("attendee 2"), "{}", e.detail);
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn unreadable_answers_are_bad_responses_that_quote_nothing() {
    let f = fake(|_, _| {
        (
            200,
            format!("{{\"meeting_info_list\":[{{\"host_key\":\"{HOST_KEY}\""),
        )
    })
    .await;
    let e = client(&f).get_meeting(MEETING_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    assert!(!format!("{e} {e:?}").contains(HOST_KEY));
    let f = fake(|_, _| (200, json!({"meeting_info_list": []}).to_string())).await;
    let e = client(&f).get_meeting(MEETING_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    let e = TencentClient::new("not a url", auth(None), &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Network);
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_output_or_errors() {
    let logs = logs();
    let f = fake(|req, n| match (req.method.as_str(), n) {
        ("POST", 0) => (400, err(190301, "nonce replay")),
        ("POST", _) => (200, one(MEETING_ID)),
        ("GET", 0) => (502, String::new()),
        ("GET", _) => (200, one(MEETING_ID)),
        _ => (400, err(190303, "unauthenticated secret")),
    })
    .await;
    let c = client(&f);
    let created = c.create_meeting(&draft()).await.unwrap();
    let fetched = c.get_meeting(MEETING_ID).await.unwrap();
    let e = c.update_meeting(MEETING_ID, &draft()).await.unwrap_err();
    let mut outputs = vec![
        format!("{c:?}"),
        format!("{created:?}"),
        format!("{fetched:?}"),
        format!("{:?}", auth(Some("sdk"))),
        e.to_string(),
        format!("{e:?}"),
        e.message(huiyi_core::Lang::Zh),
    ];
    let creds = crate::AccountCredentials {
        auth: huiyi_core::AccountAuth::TencentApp {
            app_id: APP_ID.into(),
            sdk_id: None,
            secret_id: SECRET_ID.into(),
            operator: OPERATOR.into(),
        },
        secret: SecretString::from(SECRET_KEY),
    };
    outputs.push(format!("{creds:?}"));
    let via_factory = crate::client_for(&f.base, creds, &http());
    assert_eq!(via_factory.vendor(), VendorKind::Tencent);
    via_factory.get_meeting(MEETING_ID).await.unwrap();
    let log_text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(log_text.contains("vendor=\"tencent\"") || log_text.contains("vendor=tencent"));
    outputs.push(log_text);
    let all = outputs.join("\n");
    let mut secrets = vec![
        SECRET_KEY.to_string(),
        HOST_KEY.to_string(),
        // Query strings (the operator's userid) stay out of logs.
        "userid=".to_string(),
    ];
    secrets.extend(f.seen().iter().map(|s| s.headers["x-tc-signature"].clone()));
    for s in secrets {
        assert!(!all.contains(&s), "{s} leaked:\n{all}");
    }
}

// ---------------------------------------------------------------- native recurrence (§3.2-§3.4)

fn series_answer(subs: Value, more: (&str, Value)) -> String {
    let mut m = meeting(MEETING_ID, 1914321600);
    m["meeting_type"] = json!(1);
    m["recurring_rule"] = json!({"recurring_type": 2, "until_type": 1, "until_count": 3});
    m["sub_meetings"] = subs;
    m[more.0] = more.1;
    m["remain_sub_meetings"] = json!(3);
    m["current_sub_meeting_id"] = json!("1914321600");
    json!({"meeting_number": 1, "meeting_info_list": [m]}).to_string()
}

fn sub(id: &str, start: Value, end: Value, status: i64) -> Value {
    json!({"sub_meeting_id": id, "status": status, "start_time": start, "end_time": end})
}

#[tokio::test]
async fn a_recurring_create_sends_meeting_type_1_and_the_rule_as_the_note_spells_it() {
    let f = fake(|req, _| match req.method.as_str() {
        "POST" => (200, one(MEETING_ID)),
        _ => (
            200,
            series_answer(json!([]), ("has_more_sub_meeting", json!(0))),
        ),
    })
    .await;
    let c = client(&f);
    let cases = [
        (
            RecurringRule {
                repeat: Repeat::EveryWeeks {
                    every: 3,
                    days: weekday_mask(&[chrono::Weekday::Mon, chrono::Weekday::Tue]),
                },
                until: Until::Count(4),
            },
            json!({"recurring_type": 5, "until_type": 1, "until_count": 4,
                   "customized_recurring_type": 1, "customized_recurring_step": 3,
                   "customized_recurring_days": 6}),
        ),
        (
            RecurringRule {
                repeat: Repeat::MonthlyByWeek {
                    every: 3,
                    days: month_week_mask(chrono::Weekday::Mon, &[4]),
                },
                until: Until::Date(Utc.timestamp_opt(1695732877, 0).unwrap()),
            },
            json!({"recurring_type": 5, "until_type": 0, "until_date": 1695732877,
                   "customized_recurring_type": 2, "customized_recurring_step": 3,
                   "customized_recurring_days": 1026}),
        ),
        (
            RecurringRule {
                repeat: Repeat::MonthlyByDate {
                    every: 3,
                    days: month_date_mask(&[1, 26]),
                },
                until: Until::Count(3),
            },
            json!({"recurring_type": 5, "until_type": 1, "until_count": 3,
                   "customized_recurring_type": 3, "customized_recurring_step": 3,
                   "customized_recurring_days": 33554433}),
        ),
        (
            RecurringRule {
                repeat: Repeat::EveryDays { every: 3 },
                until: Until::Count(7),
            },
            json!({"recurring_type": 5, "until_type": 1, "until_count": 7,
                   "customized_recurring_type": 0, "customized_recurring_step": 3}),
        ),
        (
            RecurringRule {
                repeat: Repeat::Biweekly,
                until: Until::Count(50),
            },
            json!({"recurring_type": 3, "until_type": 1, "until_count": 50}),
        ),
    ];
    for (i, (rule, wire_rule)) in cases.iter().enumerate() {
        let s = c.create_recurring_meeting(&draft(), rule).await.unwrap();
        assert_eq!(s.meeting.vendor_id, MEETING_ID);
        let seen = f.seen();
        let post = &seen[2 * i];
        assert_eq!(
            (post.method.as_str(), post.path.as_str()),
            ("POST", "/v1/meetings")
        );
        assert!(post.signature_ok(SECRET_KEY));
        assert_eq!(post.body["meeting_type"], 1);
        assert_eq!(post.body["type"], 0, "a series is never an instant meeting");
        assert_eq!(post.body["recurring_rule"], *wire_rule, "{rule:?}");
        // Read back by ID: the create answer carries no sub-meetings.
        assert_eq!(seen[2 * i + 1].method, "GET");
        assert_eq!(seen[2 * i + 1].path, format!("/v1/meetings/{MEETING_ID}"));
    }
}

#[tokio::test]
async fn a_rule_tencent_would_refuse_is_refused_before_any_call() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let c = client(&f);
    let bad = [
        (Repeat::Daily, Until::Count(51), "at most 50"),
        (Repeat::Weekly, Until::Count(0), "at least one"),
        (
            Repeat::EveryDays { every: 0 },
            Until::Count(3),
            "every 1 or more",
        ),
        (
            Repeat::EveryWeeks { every: 1, days: 0 },
            Until::Count(3),
            "bit mask",
        ),
        (
            Repeat::EveryWeeks {
                every: 1,
                days: 128,
            },
            Until::Count(3),
            "bit mask",
        ),
        // Two weekdays: "only the weekday of the first meeting is supported" (note §3.2).
        (
            Repeat::MonthlyByWeek {
                every: 1,
                days: 6 | 128,
            },
            Until::Count(3),
            "bit mask",
        ),
        (
            Repeat::MonthlyByWeek { every: 1, days: 2 },
            Until::Count(3),
            "bit mask",
        ),
        (
            Repeat::MonthlyByDate { every: 1, days: 0 },
            Until::Count(3),
            "bit mask",
        ),
    ];
    for (repeat, until, says) in bad {
        let e = c
            .create_recurring_meeting(&draft(), &RecurringRule { repeat, until })
            .await
            .unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::InvalidRequest, "{repeat:?}");
        assert!(e.detail.contains(says), "{repeat:?}: {}", e.detail);
    }
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn sub_meeting_times_are_read_as_numbers_or_strings_and_status_1_is_cancelled() {
    let f = fake(|_, _| {
        (
            200,
            series_answer(
                json!([
                    sub("1914926400", json!("1914926400"), json!("1914930000"), 1),
                    sub("1914321600", json!(1914321600), json!(1914325200), 0),
                    // No end: the meeting's length.
                    {"sub_meeting_id": 1915531200_i64, "start_time": "1915531200"},
                    // No ID or no start: left out.
                    {"status": 0, "start_time": 1916136000},
                    {"sub_meeting_id": "x", "end_time": 1916136000},
                ]),
                ("has_more_sub_meeting", json!(0)),
            ),
        )
    })
    .await;
    let s = client(&f).get_series(MEETING_ID).await.unwrap();
    let at = |t: i64| Utc.timestamp_opt(t, 0).unwrap();
    assert_eq!(
        s.occurrences,
        vec![
            Occurrence {
                sub_meeting_id: "1914321600".into(),
                start: at(1914321600),
                end: at(1914325200),
                cancelled: false
            },
            Occurrence {
                sub_meeting_id: "1914926400".into(),
                start: at(1914926400),
                end: at(1914930000),
                cancelled: true
            },
            Occurrence {
                sub_meeting_id: "1915531200".into(),
                start: at(1915531200),
                end: at(1915531200 + 3600),
                cancelled: false
            },
        ]
    );
    assert_eq!(s.remaining, Some(3));
    assert_eq!(s.current_sub_meeting_id.as_deref(), Some("1914321600"));
    assert_eq!(
        s.rule,
        Some(RecurringRule {
            repeat: Repeat::Weekly,
            until: Until::Count(3)
        })
    );
    assert!(!s.incomplete);
    assert_eq!(f.seen().len(), 1, "nothing more to fetch");
}

/// Note §3.2 FLAG: the field table says `has_more_sub_meeting`, the doc example
/// `has_more_sub_meetings`. Either one makes the client read the user's list with
/// `is_show_all_sub_meetings=1` for the rest.
#[tokio::test]
async fn either_spelling_of_has_more_sub_meetings_fetches_the_rest_from_the_list() {
    for more in [
        ("has_more_sub_meeting", json!(1)),
        ("has_more_sub_meetings", json!(1)),
        ("has_more_sub_meetings", json!(true)),
        ("has_more_sub_meeting", json!("1")),
    ] {
        let first_only = series_answer(
            json!([sub("1914321600", json!(1914321600), json!(1914325200), 0)]),
            more.clone(),
        );
        let f = fake(move |req, _| {
            if req.path == "/v1/meetings" {
                let all = json!([
                    sub("1914321600", json!(1914321600), json!(1914325200), 0),
                    sub("1914926400", json!("1914926400"), json!("1914930000"), 0),
                    sub("1915531200", json!(1915531200), json!(1915534800), 0),
                ]);
                let other = meeting("1", 1914321600);
                let mut m: Value = serde_json::from_str::<Value>(&series_answer(
                    all,
                    ("has_more_sub_meeting", json!(0)),
                ))
                .unwrap()["meeting_info_list"][0]
                    .clone();
                m["meeting_id"] = json!(MEETING_ID);
                (
                    200,
                    json!({"meeting_number": 2, "remaining": 0, "next_pos": 2,
                           "meeting_info_list": [other, m]})
                    .to_string(),
                )
            } else {
                (200, first_only.clone())
            }
        })
        .await;
        let s = client(&f).get_series(MEETING_ID).await.unwrap();
        let ids: Vec<&str> = s
            .occurrences
            .iter()
            .map(|o| o.sub_meeting_id.as_str())
            .collect();
        assert_eq!(ids, ["1914321600", "1914926400", "1915531200"], "{more:?}");
        assert!(!s.incomplete);
        let seen = f.seen();
        assert_eq!(seen.len(), 2);
        assert_eq!(
            seen[1].target,
            "/v1/meetings?userid=tester1&instanceid=1&is_show_all_sub_meetings=1"
        );
        assert!(seen[1].signature_ok(SECRET_KEY));
    }

    // The list does not have it either: the series is marked incomplete, not failed.
    let f = fake(|req, _| {
        if req.path == "/v1/meetings" {
            (
                200,
                json!({"remaining": 0, "meeting_info_list": []}).to_string(),
            )
        } else {
            (
                200,
                series_answer(
                    json!([sub("1914321600", json!(1914321600), json!(1914325200), 0)]),
                    ("has_more_sub_meetings", json!(1)),
                ),
            )
        }
    })
    .await;
    let s = client(&f).get_series(MEETING_ID).await.unwrap();
    assert_eq!(s.occurrences.len(), 1);
    assert!(s.incomplete);
}

#[tokio::test]
async fn moving_one_occurrence_puts_its_sub_meeting_id_and_the_new_times_only() {
    let f = fake(|req, _| match req.method.as_str() {
        "PUT" => (
            200,
            json!({"meeting_number": 1, "meeting_info_list": [{"meeting_id": MEETING_ID}]})
                .to_string(),
        ),
        _ => (
            200,
            series_answer(json!([]), ("has_more_sub_meeting", json!(0))),
        ),
    })
    .await;
    let c = client(&f);
    let start = Utc.timestamp_opt(1914933600, 0).unwrap();
    c.move_occurrence(
        MEETING_ID,
        "1914926400",
        start,
        start + Duration::minutes(30),
    )
    .await
    .unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].target, format!("/v1/meetings/{MEETING_ID}"));
    assert!(seen[0].signature_ok(SECRET_KEY));
    assert_eq!(
        seen[0].body,
        json!({"userid": OPERATOR, "instanceid": 1, "meeting_type": 1,
               "recurring_rule": {"sub_meeting_id": "1914926400"},
               "start_time": "1914933600", "end_time": "1914935400"})
    );
    assert_eq!(seen[1].method, "GET");

    let e = c
        .move_occurrence(MEETING_ID, "1914926400", start, start)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(f.seen().len(), 2);
}

#[tokio::test]
async fn cancelling_one_occurrence_or_the_series_sends_meeting_type_1() {
    let f = fake(|_, _| (200, "{}".to_string())).await;
    let c = client(&f);
    c.cancel_occurrence(MEETING_ID, "1914926400").await.unwrap();
    c.cancel_series(MEETING_ID).await.unwrap();
    let seen = f.seen();
    let path = format!("/v1/meetings/{MEETING_ID}/cancel");
    assert!(seen
        .iter()
        .all(|s| s.path == path && s.signature_ok(SECRET_KEY)));
    assert_eq!(
        seen[0].body,
        json!({"userid": OPERATOR, "instanceid": 1, "reason_code": 1,
               "meeting_type": 1, "sub_meeting_id": "1914926400"})
    );
    assert_eq!(
        seen[1].body,
        json!({"userid": OPERATOR, "instanceid": 1, "reason_code": 1, "meeting_type": 1})
    );
    // An empty ID would cancel the whole series: refused.
    let e = c.cancel_occurrence(MEETING_ID, " ").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(f.seen().len(), 2);
}

// ---------------------------------------------------------------- invitees and guests (§3.6, §3.7)

fn staff(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

#[tokio::test]
async fn the_invitee_list_follows_next_pos_and_reads_has_remaining_as_bool_or_number() {
    for (more, done) in [
        (json!(true), json!(false)),
        (json!(1), json!(0)),
        (json!("1"), json!(null)),
    ] {
        let label = more.to_string();
        let f = fake(move |req, _| {
            let pos: usize = req.query.get("pos").map_or(0, |p| p.parse().unwrap());
            let page: Vec<Value> = (pos..(pos + 2).min(5))
                .map(|i| json!({"userid": format!("u{i}"), "nick_name": format!("User {i}")}))
                .collect();
            let last = pos + 2 >= 5;
            (
                200,
                json!({"has_remaining": if last { done.clone() } else { more.clone() },
                       "next_pos": pos + 2, "invitees": page})
                .to_string(),
            )
        })
        .await;
        let list = client(&f).list_invitees(MEETING_ID).await.unwrap();
        let ids: Vec<&str> = list.iter().map(|i| i.userid.as_str()).collect();
        assert_eq!(ids, ["u0", "u1", "u2", "u3", "u4"], "{label}");
        assert_eq!(list[0].nick_name.as_deref(), Some("User 0"));
        let seen = f.seen();
        assert_eq!(seen.len(), 3);
        assert_eq!(
            seen[0].target,
            format!("/v1/meetings/{MEETING_ID}/invitees?userid=tester1&instanceid=1")
        );
        assert_eq!(
            seen[1].target,
            format!("/v1/meetings/{MEETING_ID}/invitees?userid=tester1&instanceid=1&pos=2")
        );
    }

    // A server that never stops, or does not move on, is bounded.
    let f = fake(|req, _| {
        let pos: i64 = req.query.get("pos").map_or(0, |p| p.parse().unwrap());
        (
            200,
            json!({"has_remaining": true, "next_pos": pos + 1,
                   "invitees": [{"userid": format!("u{pos}")}]})
            .to_string(),
        )
    })
    .await;
    let list = client(&f).list_invitees(MEETING_ID).await.unwrap();
    assert_eq!(list.len(), MAX_INVITEE_PAGES);
    let stuck = fake(|_, _| {
        (
            200,
            json!({"has_remaining": true, "next_pos": 0, "invitees": [{"userid": "u0"}]})
                .to_string(),
        )
    })
    .await;
    client(&stuck).list_invitees(MEETING_ID).await.unwrap();
    assert_eq!(stuck.seen().len(), 1);
}

#[tokio::test]
async fn setting_invitees_overwrites_with_userids_and_caps_at_2000() {
    let f = fake(|_, _| (200, "{}".to_string())).await;
    let c = client(&f);
    c.set_invitees(MEETING_ID, &["a".into(), " b ".into(), "a".into()])
        .await
        .unwrap();
    c.set_invitees(MEETING_ID, &[]).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(
        seen[0].target,
        format!("/v1/meetings/{MEETING_ID}/invitees")
    );
    assert!(seen[0].signature_ok(SECRET_KEY));
    assert_eq!(
        seen[0].body,
        json!({"userid": OPERATOR, "instanceid": 1, "invitees": [{"userid": "a"}, {"userid": "b"}]})
    );
    assert_eq!(
        seen[1].body,
        json!({"userid": OPERATOR, "instanceid": 1, "invitees": []}),
        "an empty list clears"
    );
    let e = c.set_invitees(MEETING_ID, &staff(2001)).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    let e = c.set_invitees(MEETING_ID, &["".into()]).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert_eq!(f.seen().len(), 2);
}

fn colleagues_draft(n: usize) -> MeetingDraft {
    let mut d = draft();
    d.attendees = staff(n)
        .into_iter()
        .map(|u| Attendee {
            name: u.clone(),
            email: None,
            phone: None,
            account: Some(u),
            role: AttendeeRole::Participant,
        })
        .collect();
    d
}

#[tokio::test]
async fn three_hundred_invitees_stay_in_the_body_and_more_go_through_the_invitees_api() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    client(&f)
        .create_meeting(&colleagues_draft(300))
        .await
        .unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].body["invitees"].as_array().unwrap().len(), 300);

    let f = fake(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => (200, "{}".to_string()),
        _ => (200, one(MEETING_ID)),
    })
    .await;
    client(&f)
        .create_meeting(&colleagues_draft(301))
        .await
        .unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].method, "POST");
    assert!(
        seen[0].body.get("invitees").is_none(),
        "not in the create body"
    );
    assert_eq!(seen[1].method, "PUT");
    assert_eq!(seen[1].path, format!("/v1/meetings/{MEETING_ID}/invitees"));
    assert_eq!(seen[1].body["invitees"].as_array().unwrap().len(), 301);
    assert_eq!(seen[1].body["invitees"][300], json!({"userid": "u300"}));
    assert_eq!(seen[2].method, "GET", "read back to show them");

    // The same for an edit: the modify body leaves the invitees unchanged.
    let f = fake(|req, _| match req.method.as_str() {
        "PUT" => (200, "{}".to_string()),
        _ => (200, one(MEETING_ID)),
    })
    .await;
    client(&f)
        .update_meeting(MEETING_ID, &colleagues_draft(301))
        .await
        .unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].path, format!("/v1/meetings/{MEETING_ID}"));
    assert!(seen[0].body.get("invitees").is_none());
    assert_eq!(seen[0].body["hosts"], json!([]));
    assert_eq!(seen[1].path, format!("/v1/meetings/{MEETING_ID}/invitees"));
    assert_eq!(seen[1].body["invitees"].as_array().unwrap().len(), 301);

    // Over 2000 cannot be expressed at all.
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let e = client(&f)
        .create_meeting(&colleagues_draft(2001))
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn a_query_showing_200_participants_is_completed_from_the_invitees_api() {
    let f = fake(|req, _| {
        if req.path.ends_with("/invitees") {
            let list: Vec<Value> = (0..250)
                .map(|i| json!({"userid": format!("u{i}")}))
                .collect();
            (
                200,
                json!({"has_remaining": false, "next_pos": 250, "invitees": list}).to_string(),
            )
        } else {
            let mut m = meeting(MEETING_ID, 1914321600);
            m["participants"] = json!((0..200)
                .map(|i| json!({"userid": format!("u{i}")}))
                .collect::<Vec<_>>());
            (
                200,
                json!({"meeting_number": 1, "meeting_info_list": [m]}).to_string(),
            )
        }
    })
    .await;
    let m = client(&f).get_meeting(MEETING_ID).await.unwrap();
    // The operator (host) and 250 invitees.
    assert_eq!(m.attendees.len(), 251);

    // Not the creator: the invitees API refuses, the 200 shown are kept.
    let f = fake(|req, _| {
        if req.path.ends_with("/invitees") {
            (500, err(190315, "not the creator"))
        } else {
            let mut m = meeting(MEETING_ID, 1914321600);
            m["participants"] = json!((0..200)
                .map(|i| json!({"userid": format!("u{i}")}))
                .collect::<Vec<_>>());
            (
                200,
                json!({"meeting_number": 1, "meeting_info_list": [m]}).to_string(),
            )
        }
    })
    .await;
    let m = client(&f).get_meeting(MEETING_ID).await.unwrap();
    assert_eq!(m.attendees.len(), 201);
}

#[tokio::test]
async fn guests_are_sent_with_the_area_without_plus_and_read_back_in_international_form() {
    let f = fake(|req, _| match req.method.as_str() {
        "PUT" => (200, "{}".to_string()),
        _ => (
            200,
            json!({"meeting_id": MEETING_ID, "meeting_code": "806146667", "subject": "s",
                   "guests": [{"area": "86", "phone_number": "13800138000", "guest_name": "A"},
                              {"area": "+852", "phone_number": 91234567},
                              {"area": "86", "phone_number": "138****8000"}]})
            .to_string(),
        ),
    })
    .await;
    let c = client(&f);
    c.set_guests(
        MEETING_ID,
        &[
            Guest {
                phone: "+86 138-0013-8000".into(),
                name: Some(" A ".into()),
            },
            Guest {
                phone: "0085291234567".into(),
                name: None,
            },
        ],
    )
    .await
    .unwrap();
    let got = c.get_guests(MEETING_ID).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen[0].target, format!("/v1/guests/{MEETING_ID}"));
    assert!(seen[0].signature_ok(SECRET_KEY));
    assert_eq!(
        seen[0].body,
        json!({"userid": OPERATOR, "instanceid": 1, "guests": [
            {"area": "86", "phone_number": "13800138000", "guest_name": "A"},
            {"area": "852", "phone_number": "91234567"}]})
    );
    assert_eq!(
        seen[1].target,
        format!("/v1/guests/{MEETING_ID}?userid=tester1&instanceid=1")
    );
    assert_eq!(
        got,
        vec![
            Guest {
                phone: "+8613800138000".into(),
                name: Some("A".into())
            },
            Guest {
                phone: "+85291234567".into(),
                name: None
            },
        ],
        "a masked number is left out"
    );
    let e = c
        .set_guests(
            MEETING_ID,
            &vec![
                Guest {
                    phone: "+8613800138000".into(),
                    name: None
                };
                2001
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert_eq!(f.seen().len(), 2);
}

// ---------------------------------------------------------------- lookups and lists (§3.5, §3.9)

#[tokio::test]
async fn a_typed_code_is_sent_as_digits_only() {
    let f = fake(|_, _| (200, one(MEETING_ID))).await;
    let m = client(&f).get_meeting_by_code("987-654 321").await.unwrap();
    assert_eq!(m.vendor_id, MEETING_ID);
    let seen = f.seen();
    assert_eq!(
        seen[0].target,
        "/v1/meetings?meeting_code=987654321&userid=tester1&instanceid=1"
    );
    assert!(seen[0].signature_ok(SECRET_KEY));
    let f = fake(|_, _| {
        (
            200,
            json!({"meeting_number": 0, "meeting_info_list": []}).to_string(),
        )
    })
    .await;
    let e = client(&f)
        .get_meeting_by_code("12345678901")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
}

#[tokio::test]
async fn ended_meetings_follow_the_pages_and_the_userid_is_one_encoded_segment() {
    let f = fake(|req, _| {
        let page: i64 = req.query["page"].parse().unwrap();
        let rows: Vec<Value> = (0..2)
            .map(|i| {
                let n = page * 10 + i;
                // Times as integers (note §3.5) on page 1, as strings on page 2.
                let t = |s: i64| {
                    if page == 1 {
                        json!(s)
                    } else {
                        json!(s.to_string())
                    }
                };
                json!({"meeting_id": format!("m{n}"), "meeting_code": "806146667",
                       "subject": "周会", "start_time": t(1700000000 + n),
                       "end_time": t(1700003600 + n), "meeting_type": if i == 1 { 1 } else { 0 },
                       "sub_meeting_id": if i == 1 { json!("1700000000") } else { json!(null) }})
            })
            .collect();
        (
            200,
            json!({"total_count": 4, "total_page": 2, "current_page": page, "current_size": 2,
                   "meeting_info_list": rows})
            .to_string(),
        )
    })
    .await;
    let mut a = auth(None);
    a.operator = "李 雷/x?y".into();
    let c = TencentClient::new(&f.base, a, &http());
    let ended = c.list_ended_meetings().await.unwrap();
    let ids: Vec<&str> = ended.iter().map(|e| e.meeting_id.as_str()).collect();
    assert_eq!(ids, ["m10", "m11", "m20", "m21"]);
    assert_eq!(ended[2].start, Utc.timestamp_opt(1700000020, 0).unwrap());
    assert_eq!(ended[2].end, Utc.timestamp_opt(1700003620, 0).unwrap());
    assert_eq!(ended[1].sub_meeting_id.as_deref(), Some("1700000000"));
    assert_eq!(ended[0].sub_meeting_id, None);
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].target,
        "/v1/history/meetings/%E6%9D%8E%20%E9%9B%B7%2Fx%3Fy?page=1&page_size=20"
    );
    assert!(seen.iter().all(|s| s.signature_ok(SECRET_KEY)));

    // No total_page and never empty: bounded.
    let f = fake(|req, _| {
        (
            200,
            json!({"meeting_info_list": [{"meeting_id": format!("m{}", req.query["page"]),
                   "start_time": 1700000000, "end_time": 1700003600}], "total_page": 1000000})
            .to_string(),
        )
    })
    .await;
    let ended = client(&f).list_ended_meetings().await.unwrap();
    assert_eq!(ended.len(), MAX_HISTORY_PAGES);
}

#[tokio::test]
async fn room_detail_reads_a_flat_or_a_basic_info_answer() {
    for answer in [
        json!({"meeting_room_id": "R1", "meeting_room_name": "1号会议室",
               "meeting_room_location": "A座3层", "participant_number": 8, "scheduled_status": 1}),
        json!({"basic_info": {"meeting_room_name": "1号会议室", "meeting_room_location": "A座3层",
               "participant_number": "8"}, "scheduled_status": 0}),
    ] {
        let a = answer.to_string();
        let f = fake(move |_, _| (200, a.clone())).await;
        let r = client(&f).room_detail("R1").await.unwrap();
        assert_eq!(r.vendor_id, "R1");
        assert_eq!(r.name, "1号会议室");
        assert_eq!(r.location.as_deref(), Some("A座3层"));
        assert_eq!(r.capacity, Some(8));
        assert_eq!(r.bookable, answer["scheduled_status"] == 1);
        assert_eq!(f.seen()[0].target, "/v1/meeting-rooms/R1");
    }
    let f = fake(|_, _| (200, "{}".to_string())).await;
    let e = client(&f).room_detail("../x").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn room_meetings_ask_by_meeting_room_id_within_the_window() {
    let f = fake(|req, _| {
        let page: i64 = req.query["page"].parse().unwrap();
        (
            200,
            json!({"total_count": 2, "total_page": 2, "current_page": page,
                   "meeting_info_list": [{"meeting_id": format!("m{page}"), "meeting_code": "806146667",
                   "subject": "", "start_time": "1914321600", "end_time": 1914325200,
                   "status": "MEETING_STATE_INIT"}]})
            .to_string(),
        )
    })
    .await;
    let from = Utc.timestamp_opt(1914300000, 0).unwrap();
    let list = client(&f)
        .room_meetings("R1", from, from + Duration::days(90))
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].start, Utc.timestamp_opt(1914321600, 0).unwrap());
    assert_eq!(list[0].end, Utc.timestamp_opt(1914325200, 0).unwrap());
    assert_eq!(list[0].state, MeetingState::Scheduled);
    let seen = f.seen();
    assert_eq!(
        seen[0].target,
        format!(
            "/v1/meeting-rooms/R1/meetings?operator_id_type=5&instanceid=1&start_time=1914300000&end_time={}&page=1&page_size=20",
            1914300000 + 90 * 86400
        )
    );
}

#[tokio::test]
async fn a_recurring_meeting_is_refused_rooms_before_the_booking_is_sent() {
    let f = fake(|_, _| {
        (
            200,
            series_answer(json!([]), ("has_more_sub_meeting", json!(0))),
        )
    })
    .await;
    let e = client(&f)
        .book_rooms(MEETING_ID, &["R1".to_string()])
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unsupported);
    assert!(e.detail.contains("recurring"));
    assert!(f.seen().iter().all(|s| s.method == "GET"));
}
