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
