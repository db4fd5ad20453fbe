//! Client behaviour against a tiny scripted HTTP server: the signed headers of every request,
//! request shapes (methods, paths, body field names: `inviteIds` on create, `inviteeIds` on
//! modify), answer mapping (times as strings, bare and enveloped bodies), paging bounds, error
//! mapping, the one re-signing after 22004, 429 waits, and that no secret (Secret Key,
//! signature, CRMT string) reaches Debug output or errors.

use std::time::{Duration as StdDuration, Instant};

use chrono::{TimeZone, Utc};
use huiyi_core::{Attendee, AttendeeRole, Notifications};
use serde_json::{json, Value};

use super::*;
use crate::http::RetryPolicy;
use crate::huawei::tests::logs;
use crate::scripted::{fake, fake_at, fake_with_headers, Fake, Seen};

const SECRET_ID: &str = "6mioUaDlFdf3Bagt3s";
const SECRET_KEY: &str = "t02npiEZn82WqRl26Nfb0stD89bZkwTT";
const USER_ID: &str = "1000141441";
const CONF_ID: &str = "12345678";
/// The document's sample (L318), verbatim: upper-case scheme, OCR errors and all.
const CRMT: &str = "CRMT:LU1FRVRUWVBFPUIFRVRNR1IKLU1HUKFDTlQ9MTU40TA5MDgwODA7ZTEwYWRjMzk0OWJhNTlhYmJlNTZlMDU3ZjIwZjg4M2UKLU1H";

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

fn auth(user: Option<&str>) -> CloudroomAuth {
    CloudroomAuth {
        secret_id: SECRET_ID.into(),
        secret_key: SecretString::from(SECRET_KEY),
        user_id: user.map(Into::into),
    }
}

fn quick() -> RateWaits {
    RateWaits {
        waits: 2,
        first: StdDuration::from_millis(20),
        max: StdDuration::from_millis(200),
    }
}

fn client(f: &Fake) -> CloudroomClient {
    CloudroomClient::new(&f.base, auth(Some(USER_ID)), &http()).with_rate_waits(quick())
}

fn err(code: i64, msg: &str) -> String {
    json!({"code": code, "msg": msg}).to_string()
}

/// The query example (L233-287) reassembled, times as strings as it shows them, plus the
/// fields the table lists and the example omits.
fn detail_doc() -> Value {
    json!({"confDetail": {
        "confId": 12345678, "subject": "会议主题",
        "url": "http://www.cloudroom.com/abcdef", "publicUrl": "http://www.cloudroom.com/abc123",
        "password": "0123",
        "hostId": 1000141441, "hostName": "云屋科技", "status": 0,
        "pstnPwd": "123456", "pstnNum": "008612345678901",
        "inviteeInfos": [{"inviteId": 1001, "inviteeName": "张三", "inviteeType": 0}],
        "assistantInfos": [{"assistantId": 1002, "assistantName": "李四"}],
        "emailNotice": 1, "smsNotice": 0,
        "orderConfig": {"scheduleTime": "2021-04-14 15:07:31", "scheduleEndTime": "2021-04-14 17:07:31",
                        "periodType": 0, "periodEndTime": ""},
        "attributes": {"autoOpenCamera": 0, "vwalldo": 0},
        "permission": {"imForbidPic": 0}
    }})
}

fn detail_periodic() -> Value {
    json!({"confDetail": {
        "confId": 15310396, "subject": "周会", "hostId": 1000141441, "status": 0,
        "orderConfig": {"scheduleTime": 1622980800, "scheduleEndTime": 1622988000,
                        "periodType": 3, "periodEndTime": -1}
    }})
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        subject: "周会".into(),
        start: Utc.with_ymd_and_hms(2031, 6, 6, 12, 0, 0).unwrap(),
        duration_minutes: 120,
        zone: chrono_tz::Asia::Shanghai,
        attendees: vec![
            Attendee {
                name: "张三".into(),
                email: Some("zs@example.com".into()),
                phone: None,
                account: Some("1001".into()),
                role: AttendeeRole::Participant,
            },
            Attendee {
                name: "李四".into(),
                email: None,
                phone: None,
                account: Some("1002".into()),
                role: AttendeeRole::Host,
            },
        ],
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

/// What a server checks on every request (L24-29).
fn assert_signed(s: &Seen) {
    assert_eq!(s.headers["x-cr-secretid"], SECRET_ID);
    let ts = &s.headers["x-cr-timestamp"];
    assert!(
        ts.bytes().all(|b| b.is_ascii_digit()) && ts.len() == 10,
        "seconds: {ts}"
    );
    assert_eq!(
        s.headers["x-cr-signature"],
        signer::signature(SECRET_ID, ts, SECRET_KEY)
    );
    assert!(uuid::Uuid::parse_str(&s.headers["x-cr-requestid"]).is_ok());
    for v in s.headers.values() {
        assert!(!v.contains(SECRET_KEY), "the Secret Key is never sent");
    }
    assert!(!s.target.contains(SECRET_KEY));
}

#[tokio::test]
async fn every_request_carries_the_four_signed_headers_with_a_fresh_request_id() {
    let f = fake(|_, _| (200, detail_doc().to_string())).await;
    let c = client(&f);
    c.get_meeting(CONF_ID).await.unwrap();
    c.get_meeting(CONF_ID).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_signed(s);
        assert_eq!(s.method, "GET");
        assert_eq!(s.path, "/v2/conference/12345678");
        assert!(
            (s.headers["x-cr-timestamp"].parse::<i64>().unwrap() - Utc::now().timestamp()).abs()
                < 5
        );
    }
    assert_ne!(
        seen[0].headers["x-cr-requestid"],
        seen[1].headers["x-cr-requestid"]
    );
}

#[tokio::test]
async fn the_base_path_of_the_document_is_kept() {
    let f = fake(|_, _| (200, detail_doc().to_string())).await;
    let c = CloudroomClient::new(
        &format!("{}/CLOUDROOM-SERVER/", f.base),
        auth(None),
        &http(),
    );
    c.get_meeting(CONF_ID).await.unwrap();
    assert_eq!(f.seen()[0].path, "/CLOUDROOM-SERVER/v2/conference/12345678");
}

#[tokio::test]
async fn create_posts_invite_ids_and_reads_the_meeting_back() {
    let f = fake(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v2/conference") => (200, r#"{ "confId": 12345678 }"#.into()),
        ("GET", "/v2/conference/12345678") => (200, detail_doc().to_string()),
        _ => (500, err(400, "请求地址或参数错误")),
    })
    .await;
    let c = client(&f);
    let pw = MeetingPassword::parse("0123").unwrap();
    let m = c
        .create_meeting_with(&draft(), Some(&pw), None)
        .await
        .unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    let body = &seen[0].body;
    assert_signed(&seen[0]);
    assert!(seen[0].headers["content-type"].starts_with("application/json"));
    assert_eq!(
        *body,
        json!({
            "subject": "周会", "hostId": 1000141441, "inviteIds": [1001], "assistantInfos": [1002],
            "password": "0123", "emailNotice": 1, "smsNotice": 1,
            "orderConfig": {"scheduleTime": 1938513600, "scheduleEndTime": 1938520800, "periodType": 0}
        })
    );
    assert!(body.get("inviteeIds").is_none());
    assert_eq!(m.vendor_id, CONF_ID);
    assert_eq!(m.meeting_number, CONF_ID);
}

#[tokio::test]
async fn the_details_survive_times_as_strings_and_carry_no_crmt() {
    let f = fake(|_, _| (200, detail_doc().to_string())).await;
    let m = client(&f).get_meeting(CONF_ID).await.unwrap();
    // 2021-04-14 15:07:31 in UTC+8 (note §1.7 ASSUMPTION).
    assert_eq!(
        m.start,
        Utc.with_ymd_and_hms(2021, 4, 14, 7, 7, 31).unwrap()
    );
    assert_eq!(m.duration_minutes, 120);
    assert_eq!(m.subject, "会议主题");
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(m.organizer.as_deref(), Some("云屋科技"));
    assert_eq!(m.guest_password.as_deref(), Some("0123"));
    assert_eq!(m.dial_in.as_deref(), Some("008612345678901 (123456)"));
    let n = m.notify.unwrap();
    assert!(n.email && !n.sms);
    let people: Vec<(Option<&str>, AttendeeRole)> = m
        .attendees
        .iter()
        .map(|a| (a.account.as_deref(), a.role))
        .collect();
    assert_eq!(
        people,
        [
            (Some(USER_ID), AttendeeRole::Host),
            (Some("1002"), AttendeeRole::Host),
            (Some("1001"), AttendeeRole::Participant)
        ]
    );
    let links: Vec<(LinkKind, LinkRole, Option<&str>)> = m
        .links
        .iter()
        .map(|l| (l.kind, l.role, l.public_url()))
        .collect();
    assert_eq!(
        links,
        [
            (
                LinkKind::Web,
                LinkRole::Attendee,
                Some("http://www.cloudroom.com/abc123")
            ),
            (LinkKind::Web, LinkRole::Host, None),
        ]
    );
    assert!(m.links.iter().all(|l| l.kind != LinkKind::Protocol));
    assert_eq!(f.seen().len(), 1, "no join call behind a read");
}

#[tokio::test]
async fn times_as_numbers_strings_or_nothing_all_read() {
    let f = fake(|_, n| {
        let order = match n {
            0 => json!({"scheduleTime": "1622980800", "scheduleEndTime": 1622988000}),
            1 => json!({"scheduleTime": 1622980800, "scheduleEndTime": "", "periodType": "0"}),
            _ => json!(null),
        };
        (
            200,
            json!({"confDetail": {"confId": "12345678", "status": "1", "orderConfig": order}})
                .to_string(),
        )
    })
    .await;
    let c = client(&f);
    let a = c.get_meeting(CONF_ID).await.unwrap();
    assert_eq!(a.start.timestamp(), 1622980800);
    assert_eq!(a.duration_minutes, 120);
    assert_eq!(a.state, MeetingState::InProgress);
    let b = c.get_meeting(CONF_ID).await.unwrap();
    assert_eq!((b.start.timestamp(), b.duration_minutes), (1622980800, 0));
    let fixed = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let c2 = client(&f).with_clock(Arc::new(move || fixed));
    let none = c2.get_meeting(CONF_ID).await.unwrap();
    assert_eq!(
        none.start, fixed,
        "an instant meeting without times starts now"
    );
}

#[tokio::test]
async fn modify_puts_invitee_ids_without_notices_and_keeps_a_series() {
    let f = fake(|req, _| match req.method.as_str() {
        "GET" => (200, detail_periodic().to_string()),
        "PUT" => (200, "{ }".into()),
        _ => (500, err(400, "bad")),
    })
    .await;
    let c = client(&f);
    let m = c.update_meeting("15310396", &draft()).await.unwrap();
    assert_eq!(m.vendor_id, "15310396");
    let seen = f.seen();
    let methods: Vec<&str> = seen.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(methods, ["GET", "PUT", "GET"]);
    let put = &seen[1];
    assert_signed(put);
    assert_eq!(put.path, "/v2/conference/15310396");
    assert_eq!(
        put.body,
        json!({
            "subject": "周会", "hostId": 1000141441, "inviteeIds": [1001], "assistantInfos": [1002],
            "orderConfig": {"scheduleTime": 1938513600, "scheduleEndTime": 1938520800,
                            "periodType": 3, "periodEndTime": -1}
        })
    );
    assert!(put.body.get("inviteIds").is_none());
    assert!(put.body.get("emailNotice").is_none() && put.body.get("smsNotice").is_none());
}

#[tokio::test]
async fn a_series_whose_end_cannot_be_read_is_not_edited_blindly() {
    let f = fake(|req, _| match req.method.as_str() {
        "GET" => (
            200,
            json!({"confDetail": {"confId": 1, "orderConfig": {"scheduleTime": 1622980800,
                "scheduleEndTime": 1622988000, "periodType": 1, "periodEndTime": ""}}})
            .to_string(),
        ),
        _ => (200, "{}".into()),
    })
    .await;
    let e = client(&f).update_meeting("1", &draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unsupported);
    assert_eq!(f.count("PUT", "/v2/conference/1"), 0);
}

#[tokio::test]
async fn periodic_meetings_are_created_read_and_changed_as_a_whole() {
    let f = fake(|req, _| match req.method.as_str() {
        "POST" => (200, json!({"confId": 15310396}).to_string()),
        "GET" => (200, detail_periodic().to_string()),
        _ => (200, "{}".into()),
    })
    .await;
    let c = client(&f);
    let weekly = Recurrence {
        period: Period::Weekly,
        end: PeriodEnd::Never,
    };
    let p = c
        .create_periodic_meeting(&draft(), weekly, None)
        .await
        .unwrap();
    assert_eq!(p.recurrence, Some(weekly));
    assert_eq!(p.meeting.vendor_id, "15310396");
    let body = &f.seen()[0].body;
    assert_eq!(body["orderConfig"]["periodType"], 3);
    assert_eq!(body["orderConfig"]["periodEndTime"], -1);
    // Turning it into a one-off meeting is explicit.
    c.update_meeting_with("15310396", &draft(), None, None)
        .await
        .unwrap();
    let put = f.seen().into_iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.body["orderConfig"]["periodType"], 0);
    assert!(put.body["orderConfig"].get("periodEndTime").is_none());
    // Quarterly is only read (L464), never booked (L584).
    let quarterly = Recurrence {
        period: Period::Quarterly,
        end: PeriodEnd::Never,
    };
    let before = f.seen().len();
    let e = c
        .create_periodic_meeting(&draft(), quarterly, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(f.seen().len(), before, "refused before sending");
}

#[tokio::test]
async fn end_posts_an_empty_body_and_delete_deletes() {
    let f = fake(|_, _| (200, "{}".into())).await;
    let c = client(&f);
    c.end_meeting(CONF_ID).await.unwrap();
    c.cancel_meeting(CONF_ID).await.unwrap();
    let seen = f.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/v2/conference/12345678/end")
    );
    assert!(seen[0].raw_body.is_empty());
    assert_eq!(
        (seen[1].method.as_str(), seen[1].path.as_str()),
        ("DELETE", "/v2/conference/12345678")
    );
    assert_signed(&seen[1]);
    // Not a CloudRoom meeting number: nothing is sent.
    let e = c.cancel_meeting("12/../34").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(f.seen().len(), 2);
}

fn record(id: i64) -> Value {
    json!({"confId": id, "subject": format!("m{id}"), "confType": 1, "scheduleTime": 1938513600,
           "scheduleEndTime": 1938517200, "startTime": 0, "endTime": 0, "hostName": "云屋科技",
           "members": 0, "confCode": "abcdef", "periodType": 6, "status": 0, "password": "1234"})
}

#[tokio::test]
async fn the_list_follows_remaining_and_stops_at_the_end() {
    let f = fake(|req, _| {
        let current: i64 = req.query["current"].parse().unwrap();
        let (records, remaining) = match current {
            1 => (vec![record(1), record(2)], 1),
            _ => (vec![record(2), record(3)], 0),
        };
        (
            200,
            json!({"total": 3, "remaining": remaining, "records": records}).to_string(),
        )
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|m| m.vendor_id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(list[0].duration_minutes, 60);
    assert_eq!(list[0].guest_password.as_deref(), Some("1234"));
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].path, "/v2/conference/list");
    assert_eq!(seen[0].query["searchUserId"], USER_ID);
    assert_eq!(seen[0].query["current"], "1");
    assert_eq!(seen[0].query["size"], "100");
    assert!(!seen[0].query.contains_key("startTime"));
    assert_eq!(seen[1].query["current"], "2");
}

#[tokio::test]
async fn without_remaining_the_total_or_a_short_page_ends_the_list() {
    // The document's example: no `remaining` (L474-492).
    let f = fake(|_, _| {
        (
            200,
            json!({"total": 1, "records": [record(12345678)]}).to_string(),
        )
    })
    .await;
    assert_eq!(client(&f).list_meetings().await.unwrap().len(), 1);
    assert_eq!(f.seen().len(), 1);
    let g = fake(|_, _| (200, json!({"records": [record(1)]}).to_string())).await;
    assert_eq!(client(&g).list_meetings().await.unwrap().len(), 1);
    assert_eq!(g.seen().len(), 1);
    // Without a user id, no searchUserId (the company's creator, L126).
    let c = CloudroomClient::new(&g.base, auth(None), &http());
    c.list_meetings().await.unwrap();
    assert!(!g.seen()[1].query.contains_key("searchUserId"));
}

#[tokio::test]
async fn a_list_that_never_ends_is_read_a_bounded_number_of_pages() {
    let f = fake(|req, _| {
        let current: i64 = req.query["current"].parse().unwrap();
        (
            200,
            json!({"total": 999999, "remaining": 1, "records": [record(current)]}).to_string(),
        )
    })
    .await;
    let c = client(&f).with_list_limit(10_000, StdDuration::from_secs(60));
    let list = c.list_meetings().await.unwrap();
    assert_eq!(f.seen().len(), MAX_PAGES);
    assert_eq!(list.len(), MAX_PAGES);
    // A page that comes back empty ends it too, whatever `remaining` says.
    let g = fake(|_, _| (200, json!({"remaining": 1, "records": []}).to_string())).await;
    assert!(client(&g).list_meetings().await.unwrap().is_empty());
    assert_eq!(g.seen().len(), 1);
}

#[tokio::test]
async fn a_page_past_the_end_answered_as_page_one_ends_the_list() {
    // "超出范围使用默认值" (L436): past the last page the server answers page 1 again. With
    // neither `remaining` nor `total`, full pages alone would keep the client going.
    let f = fake(|_, _| {
        let records: Vec<Value> = (1..=20).map(record).collect();
        (200, json!({ "records": records }).to_string())
    })
    .await;
    let c = client(&f).with_list_limit(10_000, StdDuration::from_secs(60));
    assert_eq!(c.list_meetings().await.unwrap().len(), 20);
    assert_eq!(
        f.seen().len(),
        2,
        "page 2 repeats page 1: the list ends there"
    );
}

#[tokio::test]
async fn the_list_is_paced_to_its_limit() {
    let f = fake(|_, _| (200, json!({"total": 0, "records": []}).to_string())).await;
    let c = client(&f).with_list_limit(2, StdDuration::from_millis(300));
    let started = Instant::now();
    for _ in 0..3 {
        c.list_meetings().await.unwrap();
    }
    assert!(started.elapsed() >= StdDuration::from_millis(290));
    assert_eq!(f.seen().len(), 3);
}

#[tokio::test]
async fn history_asks_for_a_span_of_at_most_a_year() {
    let f = fake(|_, _| {
        (
            200,
            json!({"total": 1, "remaining": 0, "records": [{"confId": 5, "confType": 0,
            "startTime": 1616655277, "endTime": 1616658877, "periodType": 7}]})
            .to_string(),
        )
    })
    .await;
    let c = client(&f);
    let to = Utc.with_ymd_and_hms(2021, 6, 1, 0, 0, 0).unwrap();
    let from = to - Duration::days(30);
    let h = c.list_history(from, to).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].state, MeetingState::Ended);
    assert_eq!(h[0].start.timestamp(), 1616655277);
    assert_eq!(h[0].duration_minutes, 60);
    let s = &f.seen()[0];
    assert_eq!(s.path, "/v2/conference/history/list");
    assert_eq!(s.query["startTime"], from.timestamp().to_string());
    assert_eq!(s.query["endTime"], to.timestamp().to_string());
    let e = c
        .list_history(to - Duration::days(366), to)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(f.seen().len(), 1);
}

#[tokio::test]
async fn documented_error_codes_reach_the_caller_as_kinds() {
    let cases: &[(u16, i64, &str, VendorErrorKind)] = &[
        (400, 22005, "签名无效", VendorErrorKind::BadCredentials),
        (400, 22006, "账号不存在", VendorErrorKind::BadCredentials),
        (
            400,
            22007,
            "企业未开放API接口权限",
            VendorErrorKind::PermissionDenied,
        ),
        (
            400,
            22001,
            "header传参X-CR-SecretId不能为空",
            VendorErrorKind::BadCredentials,
        ),
        (500, 22201, "会议不存在", VendorErrorKind::NotFound),
        (
            500,
            22215,
            "预约开始时间不能小于当前时间",
            VendorErrorKind::StartInPast,
        ),
        (
            500,
            22227,
            "会议已开始或已结束",
            VendorErrorKind::MeetingStarted,
        ),
        (500, 22228, "邀请人不存在", VendorErrorKind::AttendeeInvalid),
        (
            500,
            22212,
            "会议主题不能超过50个字符",
            VendorErrorKind::InvalidRequest,
        ),
        (500, 22224, "权限不足", VendorErrorKind::PermissionDenied),
    ];
    for (status, code, msg, kind) in cases {
        let body = err(*code, msg);
        let status = *status;
        let f = fake(move |_, _| (status, body.clone())).await;
        let e = client(&f).create_meeting(&draft()).await.unwrap_err();
        assert_eq!(e.kind, *kind, "code {code}");
        assert_eq!(e.code.as_deref(), Some(code.to_string().as_str()));
        assert_eq!(e.status, Some(status));
        assert_eq!(e.detail, *msg);
        assert_eq!(f.seen().len(), 1, "code {code} is an answer, not retried");
    }
}

#[tokio::test]
async fn outages_are_retried_for_reads_only() {
    // A non-JSON 502 from a proxy.
    let f = fake(|_, _| (502, "<html>Bad Gateway</html>".into())).await;
    let c = client(&f);
    let e = c.get_meeting(CONF_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(f.seen().len(), 3);
    let e = c.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(
        f.count("POST", "/v2/conference"),
        1,
        "a booking is never sent twice"
    );
    // Code 500 "服务器内部异常" is an outage too; it recovers.
    let g = fake(|_, n| match n {
        0 => (500, err(500, "服务器内部异常")),
        _ => (200, detail_doc().to_string()),
    })
    .await;
    client(&g).get_meeting(CONF_ID).await.unwrap();
    assert_eq!(g.seen().len(), 2);
    // A 404 without a CloudRoom body is a wrong server address, not a missing meeting.
    let h = fake(|_, _| (404, "Not Found".into())).await;
    let e = client(&h).get_meeting(CONF_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
}

#[tokio::test]
async fn an_expired_signature_is_signed_again_once_on_the_servers_clock() {
    // The server runs an hour ahead and refuses timestamps more than 5 minutes off.
    let f = fake_at(Some(3600), |req, _| {
        let ts: i64 = req.headers["x-cr-timestamp"].parse().unwrap();
        if (ts - (Utc::now().timestamp() + 3600)).abs() > 300 {
            (400, err(22004, "签名过期"))
        } else if req.method == "POST" {
            (200, json!({"confId": 12345678}).to_string())
        } else {
            (200, detail_doc().to_string())
        }
    })
    .await;
    let c = client(&f);
    c.create_meeting(&draft()).await.unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 3, "refused once, signed again, then read back");
    assert_eq!(f.count("POST", "/v2/conference"), 2);
    assert_signed(&seen[1]);
    let t0: i64 = seen[0].headers["x-cr-timestamp"].parse().unwrap();
    let t1: i64 = seen[1].headers["x-cr-timestamp"].parse().unwrap();
    assert!((t1 - t0 - 3600).abs() < 5);
    assert_ne!(
        seen[0].headers["x-cr-requestid"],
        seen[1].headers["x-cr-requestid"]
    );

    // Still refused after the one repeat: a clock problem the user can fix, no loop.
    let g = fake_at(Some(3600), |_, _| (400, err(22004, "签名过期"))).await;
    let e = client(&g).get_meeting(CONF_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ClockSkew);
    assert_eq!(g.seen().len(), 2);
    // Without a Date header: one fresh signature, then the refusal.
    let h = fake(|_, _| (400, err(22004, "签名过期"))).await;
    let e = client(&h).create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ClockSkew);
    assert_eq!(h.seen().len(), 2);
    assert!(e.message(huiyi_core::Lang::En).contains("clock"));
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_a_bounded_number_of_times() {
    let f = fake(|_, n| match n {
        0 => (429, err(22008, "接口超出频率")),
        _ => (200, json!({"total": 0, "records": []}).to_string()),
    })
    .await;
    let started = Instant::now();
    client(&f).list_meetings().await.unwrap();
    assert!(started.elapsed() >= StdDuration::from_millis(20));
    assert_eq!(f.seen().len(), 2);

    // Retry-After is honoured (within the cap), for a booking too: 429 happens before acting.
    let g = fake_with_headers(None, |req, n| match (req.method.as_str(), n) {
        ("POST", 0) => (
            429,
            vec![("Retry-After".into(), "0".into())],
            err(22008, "接口超出频率"),
        ),
        ("POST", _) => (200, vec![], json!({"confId": 12345678}).to_string()),
        _ => (200, vec![], detail_doc().to_string()),
    })
    .await;
    client(&g).create_meeting(&draft()).await.unwrap();
    assert_eq!(g.count("POST", "/v2/conference"), 2);

    let always = fake(|_, _| (429, err(22008, "接口超出频率"))).await;
    let e = client(&always).list_meetings().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::RateLimited);
    assert!(e.retryable());
    assert_eq!(always.seen().len(), 3, "two waits, then the refusal");
}

#[tokio::test]
async fn bare_bodies_are_read_and_enveloped_ones_unwrapped() {
    let f = fake(|req, n| match (req.method.as_str(), n) {
        ("POST", 0) => (
            200,
            json!({"code": 0, "msg": "ok", "data": {"confId": 12345678}}).to_string(),
        ),
        ("POST", _) => (200, json!({"code": 22201, "msg": "会议不存在"}).to_string()),
        ("DELETE", _) => (200, String::new()),
        _ => (200, json!({"code": 200, "data": detail_doc()}).to_string()),
    })
    .await;
    let c = client(&f);
    let m = c.create_meeting(&draft()).await.unwrap();
    assert_eq!(m.vendor_id, CONF_ID);
    assert_eq!(m.subject, "会议主题");
    let e = c.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(e.code.as_deref(), Some("22201"));
    c.cancel_meeting(CONF_ID).await.unwrap();
    // Unreadable: said as such, without quoting the body.
    let g = fake(|_, _| (200, "{\"confDetail\": [".into())).await;
    let e = client(&g).get_meeting(CONF_ID).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
}

#[tokio::test]
async fn bad_passwords_subjects_and_people_are_refused_before_sending() {
    for bad in ["123", "1234567", "12a4", "abcd"] {
        assert!(MeetingPassword::parse(bad).is_err(), "{bad}");
    }
    let f = fake(|_, _| (200, json!({"confId": 1}).to_string())).await;
    let c = client(&f);
    let mut d = draft();
    d.subject = "长".repeat(51);
    let e = c.create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    let mut d = draft();
    d.attendees[0].account = None;
    let e = c.create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert!(e.detail.contains("张三"));
    let bad_user = CloudroomClient::new(&f.base, auth(Some("alice")), &http());
    let e = bad_user.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn the_join_string_is_fetched_per_person_and_kept_verbatim_and_secret() {
    let f = fake(|req, _| {
        if req.path.ends_with("/join") {
            (200, json!({"crmt": CRMT}).to_string())
        } else {
            (200, detail_doc().to_string())
        }
    })
    .await;
    let c = client(&f);
    let links = c
        .launch_links(CONF_ID, LinkRole::Attendee, "王 五+1")
        .await
        .unwrap();
    assert_eq!(links.len(), 2);
    let crmt = &links[0];
    assert_eq!(
        (crmt.kind, crmt.role, crmt.secret),
        (LinkKind::Protocol, LinkRole::Attendee, true)
    );
    assert_eq!(
        crmt.url.expose_secret(),
        CRMT,
        "verbatim: CRMT: keeps its case"
    );
    assert_eq!(crmt.public_url(), None);
    assert!(!format!("{links:?}").contains("LU1F"));
    assert_eq!(
        links[1].public_url(),
        Some("http://www.cloudroom.com/abc123")
    );
    let join = f
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/join"))
        .unwrap();
    assert_signed(&join);
    assert_eq!(join.method, "GET");
    assert_eq!(join.path, "/v2/conference/12345678/join");
    assert_eq!(join.query["nickName"], "王 五+1");
    assert_eq!(join.query["userType"], "4");
    assert_eq!(
        join.query["password"], "0123",
        "the meeting's password, read first"
    );

    // The host's string asks for userType 1 and is a host link.
    let host = c
        .join_string(CONF_ID, "主持人", None, LinkRole::Host)
        .await
        .unwrap();
    assert_eq!(host.role, LinkRole::Host);
    let last = f.seen().pop().unwrap();
    assert_eq!(last.query["userType"], "1");
    assert!(!last.query.contains_key("password"));
    // Nicknames of 1-30 characters (22230, 22232) are checked first.
    let before = f.seen().len();
    let e = c
        .join_string(CONF_ID, &"名".repeat(31), None, LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(f.seen().len(), before);
}

#[tokio::test]
async fn an_unusable_join_answer_is_refused_without_repeating_it() {
    let f = fake(|_, _| (200, json!({"crmt": "CRMT:abc -x secretpart"}).to_string())).await;
    let e = client(&f)
        .join_string(CONF_ID, "张三", Some("0123"), LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    assert!(!e.to_string().contains("secretpart"));
    assert!(!format!("{e:?}").contains("secretpart"));
    let g = fake(|_, _| (500, err(22202, "会议密码错误"))).await;
    let e = client(&g)
        .join_string(CONF_ID, "张三", Some("9999"), LinkRole::Attendee)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(e.code.as_deref(), Some("22202"));
}

#[tokio::test]
async fn no_secret_reaches_debug_output_or_errors() {
    let f = fake(|_, _| (400, err(22005, "签名无效"))).await;
    let c = client(&f);
    let e = c.get_meeting(CONF_ID).await.unwrap_err();
    let sig = f.seen()[0].headers["x-cr-signature"].clone();
    for text in [
        e.to_string(),
        format!("{e:?}"),
        format!("{c:?}"),
        format!("{:?}", auth(Some(USER_ID))),
    ] {
        assert!(!text.contains(SECRET_KEY), "{text}");
        assert!(!text.contains(&sig), "{text}");
    }
    let h = signer::sign(SECRET_ID, SECRET_KEY, 1_622_098_479, "r");
    assert!(!format!("{h:?}").contains(&h.signature));
}

#[test]
fn capabilities_say_what_cloudroom_can_do() {
    let c = CloudroomClient::new("http://127.0.0.1:1", auth(None), &Http::new());
    let caps = c.capabilities();
    assert_eq!(caps.max_subject_chars, 50);
    assert_eq!(caps.max_duration_minutes, 24 * 60);
    assert!(caps.notify_email && caps.notify_sms && !caps.notify_calendar);
    assert!(caps.edit && caps.end_meeting && caps.lists_meetings && caps.keeps_start);
    assert!(caps.host_links);
    assert!(!caps.rooms && !caps.registration && caps.max_ports.is_none());
    assert!(
        !caps.native_series,
        "one confId per series, no occurrences to address"
    );
    assert_eq!(c.vendor(), VendorKind::Cloudroom);
}

#[tokio::test]
async fn verify_reads_one_record_of_the_list() {
    let f = fake(|_, _| (200, json!({"total": 0, "records": []}).to_string())).await;
    let id = client(&f).verify().await.unwrap();
    assert_eq!(id.user_id, USER_ID);
    let s = &f.seen()[0];
    assert_eq!(s.path, "/v2/conference/list");
    assert_eq!(s.query["size"], "1");
    let bad = fake(|_, _| (400, err(22006, "账号不存在"))).await;
    assert_eq!(
        client(&bad).verify().await.unwrap_err().kind,
        VendorErrorKind::BadCredentials
    );
}
