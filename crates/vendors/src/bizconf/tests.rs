//! Client behaviour against the scripted server, answering with the document's own samples
//! (comments removed, curly quotes straightened; each cites its lines): the token over the
//! fields sent, form and GET request shapes, paging and deduplication, the password rule of
//! `confModify2`, what is repeated and what never is, error mapping, and that no secret
//! reaches a log line, an error or a `Debug` output.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use huiyi_core::{LinkKind, LinkRole, Notifications};
use serde_json::{json, Value};

use super::*;
use crate::http::RetryPolicy;
use crate::huawei::tests::logs;
use crate::scripted::{fake, fake_at, Fake, Seen};

const API_KEY: &str = "APIKEY-secret-0123456789abcdef";
const SITE: &str = "ceshibfwater";
const USER_ID: &str = "101821841";
const USER_NAME: &str = "binsontests";
/// The host token inside the samples' `protocolHostStartUrl` (L411).
const HOST_TOKEN: &str = "2iW9XZPbWW4GY9aYn935G1HE_wgBKnnJ2UVJ5vX6F4Q";
/// The signature segment of the samples' `hostStartUrl` (L424).
const HOST_PAGE: &str = "33AE20AB74D21E7E3FF15EA6DA9FE6AB";

/// ConfInfo-A as printed at L407-437 (2.1; the same at 2.2, 2.3, 2.5-2.7).
fn conf_a() -> Value {
    json!({
        "confNumber": "1336450341", "beforeTime": 0,
        "webClientJoin": "https://cc.bizvideo.cn/wc/join/1336450341?pwd=&prefer=1",
        "protocolHostStartUrl": format!("sfcloud://www.confcloud.cn/start?confno=1336450341&sid=GXHuekTQQ_2FxfhpLA3HDQ&stype=100&uid=GXHuekTQQ_2FxfhpLA3HDQ&uname=binsontests&token={HOST_TOKEN}.BgVAYU01cVdPS0VtMlh0eXBrQkFpaitvazNaRkJrVWtXL1BYbk9yUmduM2JNc1REd1FnZS9SL2t3R0NCSFdvTERsaEBjOTFmMjE4MDI3NzU0YmU5ZDEzMzJlNzRmYzE5ZWFlZTk1OGIxZDUyOTdmZTE3NmE1NTZlNjI0MjMyYzQyZjNjAAwzQ0JBdW9pWVMzcz0AAA"),
        "optionJbh": 0, "confPassword": "", "roomId": 2110531, "virConfId": 4007059,
        "rcIps": "119.254.126.100,119.254.126.101,rc2.bizvideo.cn,rc4.bizvideo.cn",
        "confName": "ces", "duration": 60,
        "protocolJoinUrl": "sfcloud://www.confcloud.cn/join?confno=1336450341&pwd=",
        "h323pwd": "", "startTime": "2021-11-24 06:10:00", "audio": 3,
        "joinUrl": "https://ceshibfwater.bizvideo.cn/j/67965674/0C8CE7626DADA44CF5992F39482CB866",
        "hostStartUrl": format!("https://ceshibfwater.bizvideo.cn/j/67965673/{HOST_PAGE}"),
        "confParties": 2, "confId": 6796567, "watermark": 1, "userName": USER_NAME,
        "userId": USER_ID, "confDelFlag": 1, "optionVideoHost": 0, "confStatus": 0,
        "interpretation": 0, "waitingRoom": 1, "optionVideoParticipants": 0,
        "meetingAuthentication": 1
    })
}

/// `{"status":100,"message":"success","data":{…}}` (L404-438).
fn one(c: Value) -> String {
    json!({"status": 100, "message": "success", "data": c}).to_string()
}

fn fail(code: i64, msg: &str) -> String {
    json!({"status": code, "message": msg}).to_string()
}

/// The 2.5 answer (L929-1003): the same meeting listed twice, `currentPage` a string.
fn upcoming_sample() -> String {
    json!({
        "status": 100, "totalPage": 1, "currentPage": "1", "totalItems": 2, "pageSize": 10,
        "data": {"confInfo": [conf_a(), conf_a()]}, "message": "success"
    })
    .to_string()
}

/// A conf with another id and start (for paging tests).
fn conf(id: i64, start: &str) -> Value {
    let mut c = conf_a();
    c["confId"] = json!(id);
    c["confNumber"] = json!(format!("13364{id:05}"));
    c["startTime"] = json!(start);
    c
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

fn auth() -> BizconfAuth {
    BizconfAuth {
        site_sign: SITE.into(),
        user_id: USER_ID.into(),
        user_name: USER_NAME.into(),
        api_key: SecretString::from(API_KEY),
    }
}

/// The document's samples are from 2017-2021; "now" is before them so they read as upcoming.
fn client(f: &Fake) -> BizconfClient {
    let now = Utc.with_ymd_and_hms(2017, 1, 1, 0, 0, 0).unwrap();
    BizconfClient::new(&f.base, auth(), &http()).with_clock(Arc::new(move || now))
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        subject: "ces".into(),
        // Beijing 2021-11-24 14:10 = GMT 06:10, the sample's start (L421).
        start: Shanghai
            .with_ymd_and_hms(2021, 11, 24, 14, 10, 0)
            .unwrap()
            .with_timezone(&Utc),
        duration_minutes: 60,
        zone: Shanghai,
        attendees: Vec::new(),
        notify: Notifications::default(),
        ports: Some(2),
        registration: false,
        password: None,
    }
}

/// The fields a request carried: the form body of a POST, the query of a GET.
fn fields(s: &Seen) -> Vec<(String, String)> {
    let text = if s.method == "GET" {
        s.target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("")
            .to_string()
    } else {
        String::from_utf8(s.raw_body.clone()).unwrap()
    };
    reqwest::Url::parse(&format!("http://x/?{text}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn field(s: &Seen, name: &str) -> Option<String> {
    fields(s)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// What a server does: recompute the token from the identity, the key and `timeStamp`.
fn token_ok(s: &Seen) -> bool {
    let (Some(user), Some(ts), Some(token)) =
        (field(s, "userId"), field(s, "timeStamp"), field(s, "token"))
    else {
        return false;
    };
    let Ok(ts) = ts.parse::<i64>() else {
        return false;
    };
    signer::token(&user, API_KEY, ts) == token
}

#[tokio::test]
async fn a_booking_is_one_signed_form_post_with_gmt_time_and_reads_the_documents_answer() {
    let f = fake(|_, _| (200, one(conf_a()))).await;
    let m = client(&f).create_meeting(&draft()).await.unwrap();

    let seen = f.seen();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/openapi/v2/confReservation")
    );
    assert_eq!(
        req.headers["content-type"],
        "application/x-www-form-urlencoded; charset=UTF-8"
    );
    assert!(token_ok(req), "{:?}", fields(req));
    let got = fields(req);
    let names: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "userId",
            "siteSign",
            "timeStamp",
            "token",
            "userName",
            "confName",
            "startTime",
            "duration",
            "confParties"
        ]
    );
    assert_eq!(field(req, "userId").as_deref(), Some(USER_ID));
    assert_eq!(field(req, "siteSign").as_deref(), Some(SITE));
    assert_eq!(field(req, "userName").as_deref(), Some(USER_NAME));
    assert_eq!(
        field(req, "startTime").as_deref(),
        Some("2021-11-24 06:10:00")
    );
    assert_eq!(field(req, "duration").as_deref(), Some("60"));
    assert_eq!(field(req, "confParties").as_deref(), Some("2"));
    let token = field(req, "token").unwrap();
    assert_eq!(token, token.to_ascii_uppercase());
    assert!(!String::from_utf8_lossy(&req.raw_body).contains(API_KEY));

    assert_eq!(m.vendor_id, "6796567");
    assert_eq!(m.meeting_number, "1336450341");
    assert_eq!(m.subject, "ces");
    assert_eq!(m.start, draft().start);
    assert_eq!(m.duration_minutes, 60);
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(m.guest_password, None, "\"\" is no password");
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
                Some(
                    "https://ceshibfwater.bizvideo.cn/j/67965674/0C8CE7626DADA44CF5992F39482CB866"
                )
            ),
            (
                LinkKind::Web,
                LinkRole::Attendee,
                Some("https://cc.bizvideo.cn/wc/join/1336450341?pwd=&prefer=1")
            ),
            (
                LinkKind::Protocol,
                LinkRole::Attendee,
                Some("sfcloud://www.confcloud.cn/join?confno=1336450341&pwd=")
            ),
            (LinkKind::Protocol, LinkRole::Host, None),
            (LinkKind::Web, LinkRole::Host, None),
        ]
    );
    assert!(m.links[3].url.expose_secret().contains(HOST_TOKEN));
}

#[tokio::test]
async fn registration_is_asked_for_only_when_the_draft_wants_it() {
    let f = fake(|_, _| (200, one(conf_a()))).await;
    let c = client(&f);
    let mut d = draft();
    d.registration = true;
    d.ports = None;
    c.create_meeting(&d).await.unwrap();
    let req = &f.seen()[0];
    assert_eq!(field(req, "registrationType").as_deref(), Some("1"));
    assert_eq!(
        field(req, "confParties").as_deref(),
        Some(DEFAULT_PORTS.to_string().as_str())
    );
}

#[tokio::test]
async fn a_booking_is_never_sent_twice_after_an_outage() {
    // Had the first answer been lost, a second booking would succeed: a second meeting.
    let f = fake(|_, n| match n {
        0 => (502, String::new()),
        _ => (200, one(conf_a())),
    })
    .await;
    let e = client(&f).create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert_eq!(f.count("POST", "/openapi/v2/confReservation"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_is_never_sent_twice_after_a_timeout() {
    // No answer in time: the booking may have been made.
    let f = fake(|_, _| {
        std::thread::sleep(StdDuration::from_millis(400));
        (200, one(conf_a()))
    })
    .await;
    let quick = Http::with_settings(
        StdDuration::from_secs(1),
        StdDuration::from_millis(150),
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: StdDuration::from_millis(5),
        },
    );
    let e = BizconfClient::new(&f.base, auth(), &quick)
        .create_meeting(&draft())
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Timeout);
    assert_eq!(f.count("POST", "/openapi/v2/confReservation"), 1);
}

#[tokio::test]
async fn a_conflict_and_missing_ports_are_reported_with_the_vendors_words() {
    let f = fake(|_, n| match n {
        0 => (
            200,
            fail(202, "会议冲突，当前预约的会议与之前的会议存在时间冲突"),
        ),
        _ => (200, fail(205, "缺少会议资源，没有找到合适的会议室资源")),
    })
    .await;
    let c = client(&f);
    let e = c.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::TimeConflict);
    assert_eq!(e.code.as_deref(), Some("202"));
    assert!(e.detail.contains("会议冲突"));
    assert!(e
        .message(huiyi_core::Lang::En)
        .contains("one meeting per account at a time"));
    let e = c.create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ResourcesInsufficient);
    assert_eq!(e.code.as_deref(), Some("205"));
    assert_eq!(f.count("POST", "/openapi/v2/confReservation"), 2);
}

#[tokio::test]
async fn subjects_bizconf_refuses_are_refused_before_anything_is_sent() {
    let f = fake(|_, _| (200, one(conf_a()))).await;
    let mut d = draft();
    d.subject = "Q3: budget".into();
    let e = client(&f).create_meeting(&d).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert!(e.detail.contains("\":\""), "{}", e.detail);
    assert!(f.seen().is_empty());
}

/// ConfInfo-B, the 2.12 answer (L1906-1934).
fn conf_b() -> Value {
    json!({
        "protocolHostStartUrl": "sfcloud://www.confcloud.cn/start?confno=1508220020&sid=Ig01w1XmQrmA9CaXH00k7g&stype=100&uid=Ig01w1XmQrmA9CaXH00k7g&uname=binson&token=ZTnk9i1Xzu9zMCKrGbvRAOZ-KAoZOzmdbunguG18LQM.BgMg",
        "hostStartUrl": "http://virtual_wat.bizvideo.cn/j/1104353/8EB2C95A729297D3142041C2E6A79881",
        "confStatus": 0, "roomId": 1096468, "confPassword": "123456", "optionJbh": 0,
        "startTime": "2017-06-26 15:30:00", "optionVideoParticipants": 0, "confId": 110435,
        "duration": 30, "h323pwd": "166072", "confName": "斌斌好", "confParties": 15,
        "userId": "1129908",
        "joinUrl": "http://virtual_wat.bizvideo.cn/j/1104354/3F891ED40DD65158F3D10DE24C0CAB33",
        "userName": "binson", "confDelFlag": 1, "rcIps": "", "optionVideoHost": 0,
        "protocolJoinUrl": "sfcloud://www.confcloud.cn/join?confno=1508220020&pwd=123456",
        "confNumber": "1508220020", "videoConf": " 1508220020",
        "videoPhone": " 86-10-56294788,86-10-56294688", "beforeTime": 20,
        "watchUrl": "http://online.bizconfstreaming.cn/watch/rm2k94mds",
        "watermark": 0, "interpretation": 1, "audio": 1
    })
}

#[tokio::test]
async fn an_edit_reads_the_meeting_first_and_sends_its_password_back() {
    let f = fake(|req, _| match req.path.as_str() {
        "/openapi/v2/getConfDetailByConfId" => (200, one(conf_b())),
        _ => (200, one(conf_b())),
    })
    .await;
    let mut d = draft();
    d.subject = "斌斌好".into();
    d.ports = None;
    d.duration_minutes = 45;
    let m = client(&f).update_meeting("110435", &d).await.unwrap();
    assert_eq!(m.vendor_id, "110435");
    assert_eq!(m.guest_password.as_deref(), Some("123456"));

    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    let (read, write) = (&seen[0], &seen[1]);
    assert_eq!(read.method, "GET", "2.3 is a GET (L701-704)");
    assert_eq!(field(read, "confId").as_deref(), Some("110435"));
    assert!(token_ok(read));
    assert_eq!(write.path, "/openapi/v2/confModify2");
    assert!(token_ok(write));
    assert_ne!(field(read, "timeStamp"), field(write, "timeStamp"));
    assert_eq!(field(write, "confId").as_deref(), Some("110435"));
    assert_eq!(
        field(write, "confPassword").as_deref(),
        Some("123456"),
        "an empty password would remove it (L1762)"
    );
    assert_eq!(
        field(write, "startTime").as_deref(),
        Some("2021-11-24 06:10:00")
    );
    assert_eq!(field(write, "duration").as_deref(), Some("45"));
    assert_eq!(field(write, "confParties").as_deref(), Some("15"), "kept");
    assert_eq!(field(write, "beforeTime").as_deref(), Some("20"));
    assert_eq!(
        field(write, "watermark"),
        None,
        "absent = as booked (L1872)"
    );
    assert_eq!(field(write, "registrationType"), None, "not a 2.12 field");
}

#[tokio::test]
async fn an_edit_that_cannot_know_the_password_or_targets_a_live_meeting_sends_nothing() {
    let mut no_password = conf_b();
    no_password.as_object_mut().unwrap().remove("confPassword");
    let f = fake(move |_, _| (200, one(no_password.clone()))).await;
    let e = client(&f)
        .update_meeting("110435", &draft())
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    assert!(e.detail.contains("password"), "{}", e.detail);
    assert_eq!(f.count("POST", "/openapi/v2/confModify2"), 0);

    let mut live = conf_b();
    live["confStatus"] = json!(2);
    let f = fake(move |_, _| (200, one(live.clone()))).await;
    let e = client(&f)
        .update_meeting("110435", &draft())
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::MeetingStarted);
    assert_eq!(f.count("POST", "/openapi/v2/confModify2"), 0);
}

#[tokio::test]
async fn an_edit_is_repeated_after_an_outage_each_time_with_a_fresh_token() {
    let f = fake(|req, n| match (req.path.as_str(), n) {
        ("/openapi/v2/confModify2", 0) => (502, String::new()),
        _ => (200, one(conf_b())),
    })
    .await;
    client(&f).update_meeting("110435", &draft()).await.unwrap();
    let writes: Vec<Seen> = f
        .seen()
        .into_iter()
        .filter(|s| s.path == "/openapi/v2/confModify2")
        .collect();
    assert_eq!(writes.len(), 2);
    assert!(writes.iter().all(token_ok));
    assert_ne!(field(&writes[0], "token"), field(&writes[1], "token"));
}

#[tokio::test]
async fn details_are_a_get_with_the_fields_in_the_query_and_unknown_meetings_read_as_not_found() {
    let f = fake(|_, n| match n {
        0 => (200, one(conf_a())),
        _ => (
            200,
            fail(401, "会议不存在 或者会议已取消 或会议不属于此用户"),
        ),
    })
    .await;
    let c = client(&f);
    let m = c.get_meeting("6796567").await.unwrap();
    assert_eq!(m.meeting_number, "1336450341");
    assert_eq!(m.organizer.as_deref(), Some(USER_NAME));
    let req = &f.seen()[0];
    assert_eq!(req.method, "GET");
    assert!(req.raw_body.is_empty());
    assert!(token_ok(req));
    let e = c.get_meeting("6796567").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    let e = c.get_meeting("../confReservation").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(f.seen().len(), 2, "a malformed id is never sent");
}

#[tokio::test]
async fn cancel_and_end_are_sent_once_and_read_their_documented_answers() {
    let f = fake(|req, _| match req.path.as_str() {
        // L843-847 and L1997-2000.
        "/openapi/v2/cancelConf" => (
            200,
            json!({"status": 100, "message": "cancel conf success"}).to_string(),
        ),
        "/openapi/v2/endConf" => (
            200,
            json!({"status": 100, "message": "end conf success"}).to_string(),
        ),
        _ => (404, String::new()),
    })
    .await;
    let c = client(&f);
    c.cancel_meeting("6796567").await.unwrap();
    c.end_meeting("6796567").await.unwrap();
    let seen = f.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.method == "POST" && token_ok(s)));
    assert_eq!(field(&seen[0], "confId").as_deref(), Some("6796567"));

    let f = fake(|_, _| (503, String::new())).await;
    let c = client(&f);
    assert_eq!(
        c.cancel_meeting("6796567").await.unwrap_err().kind,
        VendorErrorKind::Unavailable
    );
    assert_eq!(
        f.count("POST", "/openapi/v2/cancelConf"),
        1,
        "never repeated"
    );
    let f = fake(|_, _| (200, fail(708, "状态错误"))).await;
    let e = client(&f).end_meeting("6796567").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert!(e.detail.contains("in progress"));
}

#[tokio::test]
async fn the_agenda_is_the_ongoing_and_every_upcoming_page_deduplicated() {
    let f = fake(|req, _| {
        let page = field(req, "pageNo").unwrap_or_default();
        match (req.path.as_str(), page.as_str()) {
            // 2.6 (L1053-1091): the sample's copy-pasted confStatus 0.
            ("/openapi/v2/getLivingConfByUserId", _) => (
                200,
                json!({"status": 100, "data": {"confInfo": [conf(1, "2017-01-01 00:00:00")]}, "message": "success"})
                    .to_string(),
            ),
            ("/openapi/v2/getScheduledConfListByUserId", "1") => {
                let mut items: Vec<Value> = (2..=21).map(|i| conf(i, "2017-02-01 00:00:00")).collect();
                // The ongoing meeting listed again, and a cancelled one.
                items[0] = conf(1, "2017-01-01 00:00:00");
                items[1]["confStatus"] = json!(9);
                (200, json!({"status": 100, "totalPage": 2, "currentPage": "1", "totalItems": 25, "pageSize": 20, "data": {"confInfo": items}, "message": "success"}).to_string())
            }
            ("/openapi/v2/getScheduledConfListByUserId", "2") => {
                let items: Vec<Value> = (22..=26).map(|i| conf(i, "2017-02-01 00:00:00")).collect();
                (200, json!({"status": 100, "totalPage": 2, "currentPage": "2", "totalItems": 25, "pageSize": 20, "data": {"confInfo": items}, "message": "success"}).to_string())
            }
            _ => (200, fail(109, "参数错误")),
        }
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    let ids: Vec<&str> = list.iter().map(|m| m.vendor_id.as_str()).collect();
    assert_eq!(ids.len(), 24, "{ids:?}");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 24);
    assert_eq!(list[0].vendor_id, "1");
    assert_eq!(list[0].state, MeetingState::InProgress);
    assert!(!ids.contains(&"3"), "cancelled");
    let pages: Vec<String> = f
        .seen()
        .iter()
        .filter(|s| s.path == "/openapi/v2/getScheduledConfListByUserId")
        .map(|s| field(s, "pageNo").unwrap())
        .collect();
    assert_eq!(pages, ["1", "2"]);
    assert!(f.seen().iter().all(token_ok));
}

#[tokio::test]
async fn the_documents_list_sample_dedupes_and_an_endless_list_stops() {
    let f = fake(|req, _| match req.path.as_str() {
        "/openapi/v2/getLivingConfByUserId" => (
            200,
            json!({"status": 100, "data": {"confInfo": []}, "message": "success"}).to_string(),
        ),
        _ => (200, upcoming_sample()),
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    assert_eq!(list.len(), 1, "the two entries of L936-999 are one meeting");

    // A server that always claims more and always sends a full page.
    let f = fake(|req, _| {
        if req.path == "/openapi/v2/getLivingConfByUserId" {
            return (200, json!({"status": 100, "data": {"confInfo": []}}).to_string());
        }
        let page: i64 = field(req, "pageNo").and_then(|p| p.parse().ok()).unwrap_or(0);
        let items: Vec<Value> = (0..20).map(|i| conf(page * 100 + i, "2017-02-01 00:00:00")).collect();
        (200, json!({"status": 100, "totalPage": 9999, "currentPage": page.to_string(), "data": {"confInfo": items}}).to_string())
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    assert_eq!(
        f.count("POST", "/openapi/v2/getScheduledConfListByUserId"),
        50
    );
    assert_eq!(list.len(), 1000);
}

#[tokio::test]
async fn a_user_that_never_booked_has_an_empty_agenda_and_still_verifies() {
    let f = fake(|_, _| (200, fail(101, "账号不存在，找不到对应的账号资源"))).await;
    let c = client(&f);
    assert!(c.list_meetings().await.unwrap().is_empty());
    let id = c.verify().await.unwrap();
    assert_eq!(id.user_id, USER_ID);
    assert_eq!(id.display_name, USER_NAME);
    let f = fake(|_, _| {
        (
            200,
            fail(102, "权限验证失败,请检测APIKey 或者token加密方式是否正确"),
        )
    })
    .await;
    let e = client(&f).verify().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    let f = fake(|_, _| (200, fail(106, "站点无效"))).await;
    assert_eq!(
        client(&f).verify().await.unwrap_err().kind,
        VendorErrorKind::BadCredentials
    );
}

#[tokio::test]
async fn ended_meetings_are_ended_whatever_the_listed_status_and_filter_in_gmt() {
    // 2.7 (L1171-1214): the sample says confStatus 0.
    let f = fake(|_, _| {
        (
            200,
            json!({"status": 100, "totalPage": 1, "currentPage": "1", "totalItems": 1, "pageSize": 10,
                   "data": {"confInfo": [conf_a()]}, "message": "success"})
            .to_string(),
        )
    })
    .await;
    let from = Shanghai
        .with_ymd_and_hms(2021, 11, 1, 8, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let list = client(&f).ended_meetings(Some(from), None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].state, MeetingState::Ended);
    let req = &f.seen()[0];
    assert_eq!(req.path, "/openapi/v2/getFinishedConfListByUserId");
    assert_eq!(
        field(req, "startTime").as_deref(),
        Some("2021-11-01 00:00:00")
    );
    assert_eq!(field(req, "endTime"), None);
}

#[tokio::test]
async fn site_lists_read_their_string_typed_numbers() {
    // 2.8 (L1295-1324), made valid JSON: numbers quoted, URLs rejoined.
    let f = fake(|_, _| {
        (
            200,
            json!({"status": 100, "message": "success", "data": [{
                "confId": "18915", "confNumber": "1806598698", "confName": "测试修改18915",
                "startTime": "2017-02-11 09:00:00", "duration": "10",
                "joinUrl": "http://watTestHW.bizvideo.cn/j/189154/B4A5AE08D5B42A0305CDE9F009EB9991",
                "hostStartUrl": "http://watTestHW.bizvideo.cn/j/189153/B844B17844EF5F5D8C16759C5A6ED944",
                "confPassword": "4512", "confStatus": "0", "confParties": "5", "userName": "api test",
                "userId": "hw1", "beforeTime": 20,
                "watchUrl": "http://online.bizconfstreaming.cn/watch/rm2k94mds", "interpretation": 1
            }], "totalPage": 100, "currentPage": 1, "totalItems": 10, "pageSize": 10})
            .to_string(),
        )
    })
    .await;
    let list = client(&f)
        .site_meetings(SiteList::Scheduled, None, None)
        .await
        .unwrap();
    assert_eq!(
        f.seen().len(),
        1,
        "a short page ends the list despite totalPage 100"
    );
    assert_eq!(list.len(), 1);
    let s = &list[0];
    assert_eq!(s.meeting.vendor_id, "18915");
    assert_eq!(s.meeting.meeting_number, "1806598698");
    assert_eq!(s.meeting.duration_minutes, 10);
    assert_eq!(s.meeting.state, MeetingState::Scheduled);
    assert_eq!(s.meeting.guest_password.as_deref(), Some("4512"));
    assert_eq!(s.meeting.organizer.as_deref(), Some("api test"));
    assert_eq!(s.user_id.as_deref(), Some("hw1"));
    assert_eq!((s.ports, s.before_minutes), (Some(5), Some(20)));
    assert!(s.interpretation);
    let roles: Vec<(LinkKind, LinkRole)> =
        s.meeting.links.iter().map(|l| (l.kind, l.role)).collect();
    assert_eq!(
        roles,
        [
            (LinkKind::Web, LinkRole::Attendee),
            (LinkKind::Web, LinkRole::Host)
        ]
    );
    assert_eq!(
        f.seen()[0].path,
        "/openapi/v2/getScheduledConfListBySiteSign"
    );

    let f = fake(|_, _| {
        (200, json!({"status": 100, "data": [{"confId": "7", "startTime": "2017-02-11 09:00:00", "confStatus": "0"}]}).to_string())
    })
    .await;
    let c = client(&f);
    let live = c.site_meetings(SiteList::Living, None, None).await.unwrap();
    assert_eq!(live[0].meeting.state, MeetingState::InProgress);
    let ended = c
        .site_meetings(SiteList::Finished, None, None)
        .await
        .unwrap();
    assert_eq!(ended[0].meeting.state, MeetingState::Ended);
}

#[tokio::test]
async fn free_ports_for_a_window_leave_out_the_meeting_being_changed_by_its_number() {
    let f = fake(|req, _| match req.path.as_str() {
        "/openapi/v2/getConfDetailByConfId" => (200, one(conf_a())),
        // L2275-2280, at the top level.
        _ => (
            200,
            json!({"status": 100, "message": "success", "remainNumPartis": 75, "totalNumParties": 100})
                .to_string(),
        ),
    })
    .await;
    let c = client(&f);
    let start = Utc.with_ymd_and_hms(2021, 11, 24, 6, 10, 0).unwrap();
    let end = start + chrono::Duration::seconds(90 * 60 + 1);
    assert_eq!(c.free_ports(start, end, None).await.unwrap(), 75);
    let usage = c.port_usage(start, end, Some("6796567")).await.unwrap();
    assert_eq!(
        usage,
        PortUsage {
            free: 75,
            total: Some(100)
        }
    );
    let asks: Vec<Seen> = f
        .seen()
        .into_iter()
        .filter(|s| s.path == "/openapi/v2/getReMainNumPartis")
        .collect();
    assert_eq!(
        field(&asks[0], "startTime").as_deref(),
        Some("2021-11-24 06:10:00")
    );
    assert_eq!(
        field(&asks[0], "duration").as_deref(),
        Some("91"),
        "a started minute counts"
    );
    assert_eq!(field(&asks[0], "confNumber"), None);
    assert_eq!(field(&asks[1], "confNumber").as_deref(), Some("1336450341"));
    assert!(asks.iter().all(token_ok));
    let e = c.free_ports(end, start, None).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
}

#[tokio::test]
async fn vendors_without_ports_say_so() {
    let f = fake(|_, _| (500, String::new())).await;
    let t = crate::tencent::TencentClient::new(
        &f.base,
        crate::tencent::TencentAuth {
            app_id: "1".into(),
            sdk_id: None,
            secret_id: "k".into(),
            secret_key: SecretString::from("s"),
            operator: "o".into(),
        },
        &http(),
    );
    let now = Utc::now();
    let e = t.free_ports(now, now, None).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unsupported);
    assert!(f.seen().is_empty());
    assert_eq!(t.capabilities().max_ports, None);
    let b = client(&f).capabilities();
    assert_eq!(b.max_ports, Some(MAX_PORTS));
    assert!(b.registration && b.host_links && b.edit);
}

#[tokio::test]
async fn registration_questions_registrants_and_their_personal_links() {
    let f = fake(|req, _| match req.path.as_str() {
        // L3628-3631: a string status and an empty message.
        "/openapi/v2/updateRegistrationQuestions" => {
            (200, json!({"status": "100", "message": ""}).to_string())
        }
        // L3814-3825.
        "/openapi/v2/addRegistrant" => (200, json!({"status": 100, "message": "success", "data": {
            "registrant_id": "oMCmm7WcSnm57uEbqwWs-A", "id": 1130352963, "topic": "921728",
            "start_time": "2022-09-23T01:30:00Z",
            "join_url": "https://meeting.bizvideo.cn/j/xxxxxx?tk=tsGz2SVkdPl0AzqPZNDe4dSJWYwKPLyBZryQg9nsUPM.DQIAAAAAQ1_RQxZvTUNtbTdXY1NubTU3dUVicXdXcy1BAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "tk": "tsGz2SVkdPl0AzqPZNDe4dSJWYwKPLyBZryQg9nsUPM.DQIAAAAAQ1_RQxZvTUNtbTdXY1NubTU3dUVicXdXcy1BAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        }}).to_string()),
        // L3885-3918.
        _ => (200, json!({"status": 100, "message": "success", "data": [{
            "id": "datpeQ2QTYmsT462Rr-O2w", "first_name": "binson1", "last_name": "binson1",
            "email": "isom@vip.qq.com", "address": "", "city": "", "country": "", "zip": "",
            "state": "", "phone": "", "industry": "", "org": "", "job_title": "",
            "purchasing_time_frame": "", "role_in_purchase_process": "", "no_of_employees": "",
            "comments": "", "custom_questions": [{"title": "How are you?", "value": "GOOD."}],
            "status": "approved", "create_time": "2022-09-28T06:37:22Z",
            "join_url": "https://meeting.bizvideo.cn/w/1340678743?tk=cIRgtICi0j235z3CeW2fkTkiRgPNy3gnjEls3CZ4nBE.DQIAAAAAT-kiVxZkYXRwZVEyUVRZbXNUNDYyUnItTzJ3AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        }]}).to_string()),
    })
    .await;
    let c = client(&f);
    c.update_registration_questions(
        "6796567",
        &RegistrationQuestions {
            standard: vec![StandardQuestion {
                field: StandardField::LastName,
                required: true,
            }],
            custom: vec![CustomQuestion {
                title: "How are you?".into(),
                kind: CustomQuestionKind::Short,
                answers: vec!["Good".into()],
                required: true,
            }],
        },
    )
    .await
    .unwrap();
    let reg = c
        .add_registrant(
            "6796567",
            &NewRegistrant {
                first_name: "Jill".into(),
                email: "jchill@example.com".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(reg.registrant_id, "oMCmm7WcSnm57uEbqwWs-A");
    assert_eq!(reg.meeting_number.as_deref(), Some("1130352963"));
    assert_eq!(
        reg.start,
        Some(Utc.with_ymd_and_hms(2022, 9, 23, 1, 30, 0).unwrap())
    );
    assert!(reg.join_url.expose_secret().contains("?tk=tsGz2SVkdPl0"));
    assert!(!format!("{reg:?}").contains("tsGz2SVkdPl0"));

    let list = c
        .registrants("6796567", RegistrantStatus::Approved)
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let r = &list[0];
    assert_eq!(r.id, "datpeQ2QTYmsT462Rr-O2w");
    assert_eq!(r.email.as_deref(), Some("isom@vip.qq.com"));
    assert_eq!(r.status, Some(RegistrantStatus::Approved));
    assert_eq!(
        r.answers,
        [("How are you?".to_string(), "GOOD.".to_string())]
    );
    assert_eq!(
        r.created,
        Some(Utc.with_ymd_and_hms(2022, 9, 28, 6, 37, 22).unwrap())
    );
    assert!(r
        .join_url
        .as_ref()
        .unwrap()
        .expose_secret()
        .contains("/w/1340678743?tk="));
    assert!(!format!("{r:?}").contains("cIRgtICi0j") && !format!("{r:?}").contains("isom@"));

    let seen = f.seen();
    let q = &seen[0];
    assert_eq!(q.method, "POST");
    assert_eq!(field(q, "confId").as_deref(), Some("6796567"));
    let custom: Value = serde_json::from_str(&field(q, "custom_questions").unwrap()).unwrap();
    assert_eq!(custom[0]["type"], "short");
    let add = &seen[1];
    assert_eq!(field(add, "first_name").as_deref(), Some("Jill"));
    assert_eq!(field(add, "email").as_deref(), Some("jchill@example.com"));
    let get = &seen[2];
    assert_eq!(get.method, "GET", "3.33 is a GET (L3838)");
    assert_eq!(field(get, "status").as_deref(), Some("approved"));
    assert!(seen.iter().all(token_ok));
}

#[tokio::test]
async fn a_registrant_is_never_added_twice_and_must_have_a_name_and_email() {
    let f = fake(|_, _| (502, String::new())).await;
    let c = client(&f);
    let r = NewRegistrant {
        first_name: "Jill".into(),
        email: "jchill@example.com".into(),
        ..Default::default()
    };
    assert_eq!(
        c.add_registrant("6796567", &r).await.unwrap_err().kind,
        VendorErrorKind::Unavailable
    );
    assert_eq!(f.count("POST", "/openapi/v2/addRegistrant"), 1);
    let e = c
        .add_registrant(
            "6796567",
            &NewRegistrant {
                email: String::new(),
                ..r
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert_eq!(f.count("POST", "/openapi/v2/addRegistrant"), 1);
}

#[tokio::test]
async fn a_stale_token_is_signed_again_once_and_then_reads_as_clock_skew() {
    let f = fake(|_, n| match n {
        0 => (200, fail(704, "Token过期")),
        _ => (200, one(conf_a())),
    })
    .await;
    let m = client(&f).create_meeting(&draft()).await.unwrap();
    assert_eq!(m.vendor_id, "6796567");
    let seen = f.seen();
    assert_eq!(
        seen.len(),
        2,
        "refused before acting, so a booking may be re-sent"
    );
    assert_ne!(field(&seen[0], "timeStamp"), field(&seen[1], "timeStamp"));
    assert!(seen.iter().all(token_ok));

    let f = fake(|_, _| (200, fail(704, "Token过期"))).await;
    let e = client(&f).create_meeting(&draft()).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::ClockSkew);
    assert_eq!(f.seen().len(), 2);
}

#[tokio::test]
async fn concurrent_requests_never_share_a_timestamp_or_a_token() {
    let f = fake(|_, _| (200, one(conf_a()))).await;
    // A frozen clock: every request is signed in the same millisecond.
    let c = Arc::new(client(&f));
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.get_meeting("6796567").await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let seen = f.seen();
    assert_eq!(seen.len(), 40);
    assert!(seen.iter().all(token_ok));
    let stamps: HashSet<String> = seen.iter().filter_map(|s| field(s, "timeStamp")).collect();
    let tokens: HashSet<String> = seen.iter().filter_map(|s| field(s, "token")).collect();
    assert_eq!((stamps.len(), tokens.len()), (40, 40));
}

#[tokio::test]
async fn answers_without_a_status_or_not_json_are_bad_responses() {
    let f = fake(|_, n| match n {
        0 => (200, "<html>maintenance</html>".into()),
        _ => (200, json!({"data": {}}).to_string()),
    })
    .await;
    let c = client(&f);
    assert_eq!(
        c.cancel_meeting("6796567").await.unwrap_err().kind,
        VendorErrorKind::BadResponse
    );
    assert_eq!(
        c.cancel_meeting("6796567").await.unwrap_err().kind,
        VendorErrorKind::BadResponse
    );
    let e = BizconfClient::new("not a url", auth(), &http())
        .get_meeting("1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Network);
    let long_user = BizconfAuth {
        user_id: "u".repeat(33),
        ..auth()
    };
    let e = BizconfClient::new(&f.base, long_user, &http())
        .get_meeting("1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_output_or_errors() {
    let logs = logs();
    let f = fake(|req, n| match (req.path.as_str(), n) {
        ("/openapi/v2/confReservation", _) => (200, one(conf_a())),
        ("/openapi/v2/getConfDetailByConfId", 0) => (502, String::new()),
        ("/openapi/v2/getConfDetailByConfId", _) => (200, one(conf_a())),
        _ => (200, fail(102, "权限验证失败")),
    })
    .await;
    let c = client(&f);
    let created = c.create_meeting(&draft()).await.unwrap();
    let fetched = c.get_meeting("6796567").await.unwrap();
    let e = c.cancel_meeting("6796567").await.unwrap_err();
    let creds = crate::AccountCredentials {
        auth: huiyi_core::AccountAuth::BizconfApi {
            site_sign: SITE.into(),
            user_id: USER_ID.into(),
            user_name: USER_NAME.into(),
        },
        secret: SecretString::from(API_KEY),
    };
    let mut outputs = vec![
        format!("{c:?}"),
        format!("{created:?}"),
        format!("{fetched:?}"),
        format!("{:?}", auth()),
        format!("{creds:?}"),
        e.to_string(),
        format!("{e:?}"),
        e.message(huiyi_core::Lang::Zh),
    ];
    let via_factory = crate::client_for(&f.base, creds, &http());
    assert_eq!(via_factory.vendor(), VendorKind::Bizconf);
    via_factory.get_meeting("6796567").await.unwrap();
    let log_text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        log_text.contains("getConfDetailByConfId"),
        "the path is logged"
    );
    outputs.push(log_text);
    let all = outputs.join("\n");
    let mut secrets = vec![
        API_KEY.to_string(),
        HOST_TOKEN.to_string(),
        HOST_PAGE.to_string(),
        // Queries (GET carries the token there) stay out of logs.
        "timeStamp=".to_string(),
        "token=".to_string(),
    ];
    secrets.extend(f.seen().iter().filter_map(|s| field(s, "token")));
    for s in secrets {
        assert!(!all.contains(&s), "{s} leaked:\n{all}");
    }
}

#[tokio::test]
async fn a_server_that_pages_by_its_own_default_size_is_read_to_the_end() {
    // Asked for 20 a page, the server keeps its documented default of 10 (L902) and says so.
    let f = fake(|req, _| {
        if req.path == "/openapi/v2/getLivingConfByUserId" {
            return (
                200,
                json!({"status": 100, "data": {"confInfo": []}}).to_string(),
            );
        }
        let page: i64 = field(req, "pageNo")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let count = if page < 3 { 10 } else { 5 };
        let items: Vec<Value> = (0..count)
            .map(|i| conf(page * 100 + i, "2017-02-01 00:00:00"))
            .collect();
        (
            200,
            json!({"status": 100, "totalPage": 3, "currentPage": page.to_string(), "totalItems": 25,
                   "pageSize": 10, "data": {"confInfo": items}, "message": "success"})
            .to_string(),
        )
    })
    .await;
    let list = client(&f).list_meetings().await.unwrap();
    assert_eq!(list.len(), 25);
    assert_eq!(
        f.count("POST", "/openapi/v2/getScheduledConfListByUserId"),
        3
    );
}

#[tokio::test]
async fn a_detail_answer_without_its_id_is_still_the_meeting_asked_for() {
    let mut c = conf_a();
    c.as_object_mut().unwrap().remove("confId");
    let f = fake(move |_, _| (200, one(c.clone()))).await;
    let m = client(&f).get_meeting("6796567").await.unwrap();
    assert_eq!(m.vendor_id, "6796567");
    let f = fake(|_, _| {
        (
            200,
            json!({"status": 100, "message": "success"}).to_string(),
        )
    })
    .await;
    assert_eq!(
        client(&f).get_meeting("6796567").await.unwrap_err().kind,
        VendorErrorKind::NotFound
    );
}

#[tokio::test]
async fn after_a_stale_token_the_next_one_is_signed_with_the_servers_clock() {
    // The server's clock is 30 s ahead: too little to adopt unasked, enough to refuse.
    let f = fake_at(Some(30), |_, n| match n {
        0 => (200, fail(704, "Token过期")),
        _ => (200, one(conf_a())),
    })
    .await;
    let before = Utc::now().timestamp_millis();
    BizconfClient::new(&f.base, auth(), &http())
        .get_meeting("6796567")
        .await
        .unwrap();
    let seen = f.seen();
    let stamp = |s: &Seen| field(s, "timeStamp").unwrap().parse::<i64>().unwrap();
    assert!(stamp(&seen[0]) - before < 10_000, "first: our own clock");
    let ahead = stamp(&seen[1]) - before;
    assert!((25_000..40_000).contains(&ahead), "{ahead}");
    assert!(seen.iter().all(token_ok));
}

/// 201 on the registration endpoints is a meeting whose time is over (L3832, L57-58), not a
/// start time to move; elsewhere it stays StartInPast.
#[test]
fn a_201_from_registration_reads_as_a_meeting_that_has_ended() {
    let refused = VendorError {
        vendor: VENDOR,
        kind: errors::classify(200, Some(201)),
        status: Some(200),
        code: Some("201".into()),
        detail: "会议时间错误".into(),
    };
    assert_eq!(refused.kind, VendorErrorKind::StartInPast);
    let closed = registration_closed(refused);
    assert_eq!(closed.kind, VendorErrorKind::NotFound);
    assert_eq!(closed.code.as_deref(), Some("201"));
    assert!(
        closed.detail.contains("the meeting has ended"),
        "{}",
        closed.detail
    );

    let other = VendorError::new(VENDOR, VendorErrorKind::TimeConflict, "x");
    assert_eq!(
        registration_closed(other).kind,
        VendorErrorKind::TimeConflict
    );
}
