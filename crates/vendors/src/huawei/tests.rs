//! Client behaviour against a tiny scripted HTTP server (the full fake lives in huiyi-sim and is
//! exercised by tests/huawei_client.rs): login sharing, re-authentication, refresh, request
//! shapes, error mapping, and that no secret reaches Debug output, errors or logs.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration as StdDuration;

use chrono::{TimeZone, Utc};
use huiyi_core::{Attendee, AttendeeRole, LinkRole, MeetingState, Notifications};
use serde_json::{json, Value};

use super::*;
use crate::http::RetryPolicy;
use crate::scripted::{fake, fake_at, Fake, Seen};

const APP_KEY: &str = "APPKEY-secret-0123456789abcdef";
const PASSWORD: &str = "Pa55word-secret!";
const ACCESS: &str = "cnrACCESStokenSECRET000000000000000001";
const REFRESH: &str = "cnrREFRESHtokenSECRET00000000000000001";
const CHAIR_URI: &str =
    "https://c.meeting.huaweicloud.com/#/j/914673889/CHAIRSECRETchairsecretCHAIRSECRET0123456789ab";
const CHAIR_PWD: &str = "8642097531";

fn token_body(n: usize) -> String {
    json!({
        "accessToken": format!("{ACCESS}{n}"), "refreshToken": format!("{REFRESH}{n}"),
        "validPeriod": 43200, "refreshValidPeriod": 2592000, "clientType": 72,
        "user": {"userId": "53e2759d388e413abf6a56743a2694c5", "name": "testuser@mycorp.com",
                 "thirdAccount": "testuser@mycorp.com", "password": null}
    })
    .to_string()
}

fn conference(id: &str, state: &str) -> Value {
    json!({
        "conferenceID": id, "subject": "例行会议", "timeZoneID": "56",
        "startTime": "2030-08-30 12:00", "endTime": "2030-08-30 13:00", "conferenceState": state,
        "accessNumber": "+991117", "scheduserName": "金秘书",
        "passwordEntry": [{"conferenceRole": "chair", "password": CHAIR_PWD}, {"conferenceRole": "general", "password": "135791"}],
        "chairJoinUri": CHAIR_URI,
        "guestJoinUri": format!("https://c.meeting.huaweicloud.com/#/j/{id}/guest"),
        "confConfigInfo": {"isSendNotify": "true", "isSendSms": false, "isSendCalendar": true}
    })
}

fn err(code: &str, msg: &str) -> String {
    json!({"error_code": code, "error_msg": msg}).to_string()
}

/// Every log line any test of this crate writes, at every level: installed as the global
/// subscriber before the first vendor call (a per-test `set_default` races with callsite
/// interest caching when tests run in parallel), so the secret scan covers all tests' logs.
pub(crate) fn logs() -> LogBuf {
    static LOGS: std::sync::OnceLock<LogBuf> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = LogBuf::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(buf.clone())
            .with_ansi(false)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buf
    })
    .clone()
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

fn app_auth() -> HuaweiAuth {
    HuaweiAuth::AppId {
        app_id: "fdb8e4699586458bbd10c834872dcc62".into(),
        user_id: Some("testuser@mycorp.com".into()),
        app_key: SecretString::from(APP_KEY),
    }
}

/// Logins succeed; everything else is `api(request, n)`.
async fn with_api(api: impl Fn(&Seen, usize) -> (u16, String) + Send + Sync + 'static) -> Fake {
    fake(move |req, n| match req.path.as_str() {
        APP_AUTH_PATH | ACCOUNT_AUTH_PATH | TOKEN_PATH => (200, token_body(n)),
        _ => api(req, n),
    })
    .await
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        subject: "周例会".into(),
        start: Utc.with_ymd_and_hms(2030, 8, 30, 12, 0, 0).unwrap(),
        duration_minutes: 60,
        zone: "Asia/Shanghai".parse().unwrap(),
        attendees: vec![Attendee {
            name: "张三".into(),
            email: Some("zhang@example.com".into()),
            phone: None,
            account: Some("zhangsan".into()),
            role: AttendeeRole::Participant,
        }],
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

#[tokio::test]
async fn app_id_login_is_signed_as_documented() {
    let f = with_api(|_, _| {
        (
            200,
            json!({"offset":0,"limit":100,"count":0,"data":[]}).to_string(),
        )
    })
    .await;
    let fixed = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let c = HuaweiClient::new(&f.base, app_auth(), &http()).with_clock(Arc::new(move || fixed));
    let id = c.verify().await.unwrap();
    assert_eq!(id.user_id, "53e2759d388e413abf6a56743a2694c5");
    assert_eq!(id.display_name, "testuser@mycorp.com");

    let login = &f.seen()[0];
    assert_eq!(
        (login.method.as_str(), login.path.as_str()),
        ("POST", APP_AUTH_PATH)
    );
    assert_eq!(login.headers["x-token-type"], "LongTicket");
    let b = &login.body;
    assert_eq!(b["appId"], "fdb8e4699586458bbd10c834872dcc62");
    assert_eq!(b["clientType"], 72);
    assert_eq!(b["userId"], "testuser@mycorp.com");
    assert_eq!(b["expireTime"], fixed.timestamp() + 600);
    let nonce = b["nonce"].as_str().unwrap();
    assert!(nonce.len() >= 32 && nonce.chars().all(|c| c.is_ascii_alphanumeric()));
    let expected = signer::app_auth_header(
        "fdb8e4699586458bbd10c834872dcc62",
        "testuser@mycorp.com",
        (fixed.timestamp() + 600) as u64,
        nonce,
        APP_KEY,
    );
    assert_eq!(login.headers["authorization"], expected);
    assert!(!login.body.to_string().contains(APP_KEY));
}

#[tokio::test]
async fn the_default_admin_signs_an_empty_user_and_sends_none() {
    let f = with_api(|_, _| (200, "[]".into())).await;
    let auth = HuaweiAuth::AppId {
        app_id: "app123".into(),
        user_id: None,
        app_key: SecretString::from("k"),
    };
    HuaweiClient::new(&f.base, auth, &http())
        .verify()
        .await
        .unwrap();
    let login = &f.seen()[0];
    assert!(login.body.get("userId").is_none());
    let e = login.body["expireTime"].as_u64().unwrap();
    let nonce = login.body["nonce"].as_str().unwrap();
    assert_eq!(
        login.headers["authorization"],
        signer::app_auth_header("app123", "", e, nonce, "k")
    );
}

#[tokio::test]
async fn password_login_uses_basic_auth() {
    let f = with_api(|_, _| (200, "[]".into())).await;
    let auth = HuaweiAuth::Password {
        account: "zhangsan@huawei.com".into(),
        password: SecretString::from(PASSWORD),
    };
    let c = HuaweiClient::new(&f.base, auth, &http());
    c.verify().await.unwrap();
    let login = &f.seen()[0];
    assert_eq!(login.path, ACCOUNT_AUTH_PATH);
    assert_eq!(
        login.headers["authorization"],
        signer::basic_auth_header("zhangsan@huawei.com", PASSWORD)
    );
    assert_eq!(
        login.body,
        json!({"account":"zhangsan@huawei.com","clientType":72,"createTokenType":0})
    );
    assert!(c.capabilities().attendee_needs_phone);
}

#[tokio::test]
async fn wrong_credentials_are_bad_credentials() {
    let f = fake(|_, _| (401, err("USG.206010025", "App auth failed."))).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(e.code.as_deref(), Some("USG.206010025"));
    assert_eq!(e.status, Some(401));
    let f = fake(|_, _| (400, err("USG.206010000", "Invalid username or password."))).await;
    let auth = HuaweiAuth::Password {
        account: "a".into(),
        password: SecretString::from(PASSWORD),
    };
    let e = HuaweiClient::new(&f.base, auth, &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    let f = fake(|_, _| (423, "".into())).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AccountLocked);
}

#[tokio::test]
async fn a_server_clock_ahead_of_ours_is_learnt_and_the_login_signed_again() {
    // The server runs two hours ahead and refuses signatures whose expireTime it considers past.
    let skew = 7200;
    let f = fake_at(Some(skew), move |req, n| match req.path.as_str() {
        APP_AUTH_PATH => {
            let server_now = Utc::now().timestamp() + skew;
            if req.body["expireTime"].as_i64().unwrap() < server_now {
                (401, err("USG.206010025", "App auth failed."))
            } else {
                (200, token_body(n))
            }
        }
        _ => (200, json!({"count": 0, "data": []}).to_string()),
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    c.verify().await.unwrap();
    assert_eq!(f.count("POST", APP_AUTH_PATH), 2);
    // Later logins sign on the server's time straight away.
    let e = c.replace_rejected_token(1).await;
    assert!(e.is_ok());
    assert_eq!(f.count("POST", APP_AUTH_PATH), 3);

    // Without a clock difference a refusal is final: no second attempt.
    let f = fake_at(Some(0), |_, _| {
        (401, err("USG.206010025", "App auth failed."))
    })
    .await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .verify()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(f.count("POST", APP_AUTH_PATH), 1);
}

#[tokio::test]
async fn concurrent_calls_share_one_login() {
    let f = with_api(|req, _| {
        (
            200,
            json!({"conferenceData": conference(&req.query["conferenceID"], "Schedule")})
                .to_string(),
        )
    })
    .await;
    let c = Arc::new(HuaweiClient::new(&f.base, app_auth(), &http()));
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.get_meeting(&format!("91467388{i}")).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(f.count("POST", APP_AUTH_PATH), 1);
    assert_eq!(f.count("GET", DETAIL_PATH), 8);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once_and_the_call_repeated() {
    let f = with_api(|req, n| match n {
        0 => (400, err("MMC.118000001", "USER_TOKEN_AUTH_FAILED")),
        _ => {
            // The repeated call must carry the new token.
            assert_eq!(req.headers["x-access-token"], format!("{ACCESS}1"));
            (
                200,
                json!({"offset":0,"limit":100,"count":0,"data":[]}).to_string(),
            )
        }
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    assert!(c.list_meetings().await.unwrap().is_empty());
    assert_eq!(f.count("POST", APP_AUTH_PATH), 2);
    assert_eq!(f.count("GET", CONFERENCES_PATH), 2);

    for code in ["USG.201000000", "MMC.118000000"] {
        let f = with_api(move |_, n| {
            if n == 0 {
                (401, err(code, "Invalid token."))
            } else {
                (200, "".into())
            }
        })
        .await;
        HuaweiClient::new(&f.base, app_auth(), &http())
            .cancel_meeting("914673889")
            .await
            .unwrap();
        assert_eq!(f.count("POST", APP_AUTH_PATH), 2, "{code}");
        assert_eq!(f.count("DELETE", CONFERENCES_PATH), 2, "{code}");
    }
}

#[tokio::test]
async fn a_session_rejected_twice_is_an_expired_session_not_a_loop() {
    let f = with_api(|_, _| (400, err("MMC.118000001", "USER_TOKEN_AUTH_FAILED"))).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .list_meetings()
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::SessionExpired);
    assert_eq!(f.count("POST", APP_AUTH_PATH), 2);
    assert_eq!(f.count("GET", CONFERENCES_PATH), 2);
}

#[tokio::test]
async fn a_token_near_its_end_is_refreshed_before_use() {
    let f = with_api(|_, _| {
        (
            200,
            json!({"offset":0,"limit":100,"count":0,"data":[]}).to_string(),
        )
    })
    .await;
    let offset = Arc::new(AtomicI64::new(0));
    let o = offset.clone();
    let c = HuaweiClient::new(&f.base, app_auth(), &http()).with_clock(Arc::new(move || {
        Utc::now() + Duration::seconds(o.load(Ordering::SeqCst))
    }));
    c.list_meetings().await.unwrap();
    // 43200 s token: at 43200 - 200 s it is inside the 300 s margin.
    offset.store(43_000, Ordering::SeqCst);
    c.list_meetings().await.unwrap();
    let seen = f.seen();
    let refresh: Vec<_> = seen.iter().filter(|s| s.path == TOKEN_PATH).collect();
    assert_eq!(refresh.len(), 1);
    assert_eq!(refresh[0].method, "PUT");
    assert_eq!(refresh[0].headers["x-access-token"], format!("{REFRESH}0"));
    assert_eq!(f.count("POST", APP_AUTH_PATH), 1);
    // The call after the refresh uses the refreshed token.
    assert_eq!(
        seen.last().unwrap().headers["x-access-token"],
        format!("{ACCESS}0")
    );
    assert_eq!(seen.last().unwrap().path, CONFERENCES_PATH);
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_a_new_login() {
    let f = fake(|req, n| match req.path.as_str() {
        APP_AUTH_PATH => (200, token_body(n)),
        TOKEN_PATH => (401, err("USG.201000000", "Invalid token.")),
        _ => (
            200,
            json!({"offset":0,"limit":100,"count":0,"data":[]}).to_string(),
        ),
    })
    .await;
    let offset = Arc::new(AtomicI64::new(0));
    let o = offset.clone();
    let c = HuaweiClient::new(&f.base, app_auth(), &http()).with_clock(Arc::new(move || {
        Utc::now() + Duration::seconds(o.load(Ordering::SeqCst))
    }));
    c.list_meetings().await.unwrap();
    offset.store(43_000, Ordering::SeqCst);
    c.list_meetings().await.unwrap();
    assert_eq!(f.count("PUT", TOKEN_PATH), 1);
    assert_eq!(f.count("POST", APP_AUTH_PATH), 2);
    assert_eq!(
        f.seen().last().unwrap().headers["x-access-token"],
        format!("{ACCESS}1")
    );
}

#[tokio::test]
async fn create_sends_the_documented_body_and_reads_the_array_answer() {
    let f = with_api(|_, _| {
        (
            200,
            json!([conference("914673889", "Schedule")]).to_string(),
        )
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    let m = c.create_meeting(&draft()).await.unwrap();
    assert_eq!(m.vendor_id, "914673889");
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(m.guest_password.as_deref(), Some("135791"));
    assert_eq!(m.host_password.as_ref().unwrap().expose_secret(), CHAIR_PWD);
    assert!(m
        .links
        .iter()
        .any(|l| l.role == LinkRole::Host && l.url.expose_secret() == CHAIR_URI));

    let post = f
        .seen()
        .into_iter()
        .find(|s| s.path == CONFERENCES_PATH)
        .unwrap();
    assert_eq!(post.method, "POST");
    assert_eq!(post.headers["x-access-token"], format!("{ACCESS}0"));
    assert!(post.headers["content-type"].starts_with("application/json"));
    assert_eq!(
        post.body,
        json!({
            "subject": "周例会", "mediaTypes": "HDVideo", "startTime": "2030-08-30 12:00", "length": 60,
            "attendees": [{"accountId": "zhangsan", "appId": "fdb8e4699586458bbd10c834872dcc62", "name": "张三",
                           "role": 0, "email": "zhang@example.com"}],
            "confConfigInfo": {"isSendNotify": true, "isSendSms": false, "isSendCalendar": true},
            "timeZoneID": "56", "language": "zh-CN"
        })
    );
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_server_error() {
    let f = with_api(|_, _| (500, err("USG.000000001", "The server is busy."))).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .create_meeting(&draft())
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::Unavailable);
    assert!(e.retryable());
    assert_eq!(f.count("POST", CONFERENCES_PATH), 1);
}

#[tokio::test]
async fn update_puts_the_full_body_and_cancel_deletes_without_ending() {
    let f = with_api(|req, _| match req.method.as_str() {
        "PUT" => (
            200,
            json!([conference("914087436", "Schedule")]).to_string(),
        ),
        _ => (200, String::new()),
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    let m = c.update_meeting("914087436", &draft()).await.unwrap();
    assert_eq!(m.vendor_id, "914087436");
    c.cancel_meeting("914087436").await.unwrap();
    let seen = f.seen();
    let put = seen.iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.path, CONFERENCES_PATH);
    assert_eq!(
        put.query.get("conferenceID").map(String::as_str),
        Some("914087436")
    );
    assert_eq!(put.body["mediaTypes"], "HDVideo");
    assert_eq!(put.body["subject"], "周例会");
    assert_eq!(put.body["length"], 60);
    let del = seen.iter().find(|s| s.method == "DELETE").unwrap();
    assert_eq!(
        del.query.get("conferenceID").map(String::as_str),
        Some("914087436")
    );
    assert!(
        !del.query.contains_key("type"),
        "cancel must not end a meeting in progress"
    );
}

#[tokio::test]
async fn an_edit_answer_about_another_meeting_is_read_back() {
    // The document's edit example answers with a different conferenceID (note §6 #18).
    let f = with_api(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => (
            200,
            json!([conference("914673889", "Schedule")]).to_string(),
        ),
        _ => (
            200,
            json!({"conferenceData": conference("914087436", "Schedule")}).to_string(),
        ),
    })
    .await;
    let m = HuaweiClient::new(&f.base, app_auth(), &http())
        .update_meeting("914087436", &draft())
        .await
        .unwrap();
    assert_eq!(m.vendor_id, "914087436");
    assert_eq!(f.count("GET", DETAIL_PATH), 1);
}

#[tokio::test]
async fn documented_booking_errors_reach_the_caller_typed() {
    let cases = [
        (
            "MMC.111071013",
            "CONF_START_TIME_LESS_THAN_CURRENT_TIME",
            VendorErrorKind::StartInPast,
        ),
        (
            "MMC.111071065",
            "CONF_MODIFY_FAIL_AS_CONFIG_ALREADY_STARTED",
            VendorErrorKind::MeetingStarted,
        ),
        (
            "MMC.111071082",
            "CONF_NUM_UP_TO_LIMIT",
            VendorErrorKind::DailyLimitReached,
        ),
        (
            "MMC.111072031",
            "PARAM_ERROR",
            VendorErrorKind::AttendeeInvalid,
        ),
    ];
    for (code, msg, kind) in cases {
        let f = with_api(move |_, _| (400, err(code, msg))).await;
        let e = HuaweiClient::new(&f.base, app_auth(), &http())
            .create_meeting(&draft())
            .await
            .unwrap_err();
        assert_eq!(e.kind, kind, "{code}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert_eq!(e.status, Some(400));
        assert_eq!(e.detail, msg);
        assert!(e.message(huiyi_core::Lang::En).contains(code));
    }
    let f = with_api(|_, _| (400, err("MMC.111070005", "CONF_DATA_NOT_FOUND"))).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .get_meeting("1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
}

#[tokio::test]
async fn a_zone_huawei_lacks_is_refused_before_any_call() {
    let f = with_api(|_, _| (200, "[]".into())).await;
    let mut d = draft();
    d.zone = "Pacific/Kiritimati".parse().unwrap();
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .create_meeting(&d)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert!(e.detail.contains("Pacific/Kiritimati"));
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn the_list_pages_until_count_and_leaves_out_ended_meetings() {
    let f = with_api(|req, _| {
        let offset: usize = req.query["offset"].parse().unwrap();
        let limit: usize = req.query["limit"].parse().unwrap();
        assert_eq!(limit, 100);
        let total = 150;
        let data: Vec<Value> = (offset..total.min(offset + limit))
            .map(|i| {
                conference(
                    &format!("9{i:08}"),
                    if i == 7 { "Destroyed" } else { "Schedule" },
                )
            })
            .collect();
        (
            200,
            json!({"offset": offset, "limit": limit, "count": total, "data": data}).to_string(),
        )
    })
    .await;
    let list = HuaweiClient::new(&f.base, app_auth(), &http())
        .list_meetings()
        .await
        .unwrap();
    assert_eq!(list.len(), 149);
    let offsets: Vec<_> = f
        .seen()
        .iter()
        .filter(|s| s.path == CONFERENCES_PATH)
        .map(|s| s.query["offset"].clone())
        .collect();
    assert_eq!(offsets, ["0", "100"]);
}

#[tokio::test]
async fn a_list_that_never_ends_is_bounded() {
    // A server claiming more than it ever sends would otherwise be paged forever.
    let f = with_api(|_, _| {
        (
            200,
            json!({"count": 1_000_000, "data": [conference("914673889", "Schedule")]}).to_string(),
        )
    })
    .await;
    let list = HuaweiClient::new(&f.base, app_auth(), &http())
        .list_meetings()
        .await
        .unwrap();
    assert_eq!(list.len(), MAX_LIST_PAGES);
}

#[tokio::test]
async fn details_page_through_participants() {
    let f = with_api(|req, _| {
        let offset: usize = req.query["offset"].parse().unwrap();
        let data: Vec<Value> =
            (offset..130.min(offset + 100)).map(|i| json!({"name": format!("p{i}"), "email": format!("p{i}@example.com"), "role": 0})).collect();
        (200, json!({"conferenceData": conference("914673889", "Created"), "data": {"offset": offset, "limit": 100, "count": 130, "data": data}}).to_string())
    })
    .await;
    let m = HuaweiClient::new(&f.base, app_auth(), &http())
        .get_meeting("914673889")
        .await
        .unwrap();
    assert_eq!(m.attendees.len(), 130);
    assert_eq!(m.state, MeetingState::InProgress);
    assert_eq!(f.count("GET", DETAIL_PATH), 2);
}

#[tokio::test]
async fn a_malformed_answer_is_a_bad_response_that_quotes_nothing() {
    let f = with_api(|_, _| {
        (
            200,
            format!("{{\"conferenceData\":{{\"chairJoinUri\":\"{CHAIR_URI}"),
        )
    })
    .await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .get_meeting("914673889")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
    assert!(!e.to_string().contains("CHAIRSECRET"));
    let f = with_api(|_, _| {
        (
            200,
            json!({"conferenceData": {"conferenceID": 5, "startTime": ["x"]}}).to_string(),
        )
    })
    .await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .get_meeting("914673889")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadResponse);
}

#[tokio::test]
async fn a_get_is_retried_through_a_server_error() {
    let f = with_api(|_, n| {
        if n == 0 {
            (500, err("USG.000000001", "The server is busy."))
        } else {
            (200, json!({"count":0,"data":[]}).to_string())
        }
    })
    .await;
    HuaweiClient::new(&f.base, app_auth(), &http())
        .list_meetings()
        .await
        .unwrap();
    assert_eq!(f.count("GET", CONFERENCES_PATH), 2);
}

#[tokio::test]
async fn a_bad_base_url_is_a_network_error() {
    let c = HuaweiClient::new("not a url", app_auth(), &http());
    assert_eq!(c.verify().await.unwrap_err().kind, VendorErrorKind::Network);
}

/// Collects everything tracing writes, at every level.
#[derive(Clone, Default)]
pub(crate) struct LogBuf(pub(crate) Arc<StdMutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuf {
    type Writer = LogBuf;
    fn make_writer(&'a self) -> LogBuf {
        self.clone()
    }
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_output_or_errors() {
    let logs = logs();
    let f = with_api(|req, n| match (req.method.as_str(), req.path.as_str(), n) {
        ("POST", CONFERENCES_PATH, 0) => (400, err("MMC.118000001", "USER_TOKEN_AUTH_FAILED")),
        ("POST", CONFERENCES_PATH, _) => (
            200,
            json!([conference("914673889", "Schedule")]).to_string(),
        ),
        ("GET", DETAIL_PATH, 0) => (500, err("USG.000000001", "The server is busy.")),
        ("GET", DETAIL_PATH, _) => (
            200,
            json!({"conferenceData": conference("914673889", "Schedule")}).to_string(),
        ),
        ("GET", CONFERENCES_PATH, _) => (
            200,
            format!("{{\"data\":[{{\"chairJoinUri\":\"{CHAIR_URI}\""),
        ),
        _ => (
            400,
            err(
                "MMC.111071065",
                "CONF_MODIFY_FAIL_AS_CONFIG_ALREADY_STARTED",
            ),
        ),
    })
    .await;
    let mut outputs = Vec::new();
    let app = HuaweiClient::new(&f.base, app_auth(), &http());
    let created = app.create_meeting(&draft()).await.unwrap();
    let fetched = app.get_meeting("914673889").await.unwrap();
    outputs.push(format!("{app:?}"));
    outputs.push(format!("{created:?}"));
    outputs.push(format!("{fetched:?}"));
    outputs.push(format!("{:?}", created.links));
    outputs.push(format!("{:?}", app_auth()));
    let e1 = app.list_meetings().await.unwrap_err();
    let e2 = app.update_meeting("914673889", &draft()).await.unwrap_err();
    for e in [&e1, &e2] {
        outputs.push(e.to_string());
        outputs.push(format!("{e:?}"));
        outputs.push(e.message(huiyi_core::Lang::Zh));
    }
    let pw = HuaweiClient::new(
        &f.base,
        HuaweiAuth::Password {
            account: "zhangsan".into(),
            password: SecretString::from(PASSWORD),
        },
        &http(),
    );
    pw.verify().await.unwrap();
    outputs.push(format!("{pw:?}"));
    let creds = crate::AccountCredentials {
        auth: huiyi_core::AccountAuth::HuaweiPassword {
            account: "zhangsan".into(),
        },
        secret: SecretString::from(PASSWORD),
    };
    outputs.push(format!("{creds:?}"));
    outputs.push(format!(
        "{:?}",
        crate::client_for(&f.base, creds, &http()).capabilities()
    ));
    let bad = fake(|_, _| (401, err("USG.206010025", "App auth failed."))).await;
    let e3 = HuaweiClient::new(&bad.base, app_auth(), &http())
        .verify()
        .await
        .unwrap_err();
    outputs.push(format!("{e3} {e3:?}"));

    let log_text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        log_text.contains("vendor call"),
        "the calls were logged: {log_text}"
    );
    assert!(log_text.contains(CONFERENCES_PATH));
    outputs.push(log_text);
    let all = outputs.join("\n");
    let secrets = [
        APP_KEY.to_string(),
        PASSWORD.to_string(),
        format!("{ACCESS}0"),
        format!("{ACCESS}1"),
        format!("{REFRESH}0"),
        "CHAIRSECRET".to_string(),
        CHAIR_PWD.to_string(),
        // The query string (ids, and on other vendors signatures) stays out of logs too.
        "conferenceID=".to_string(),
    ];
    for s in secrets {
        assert!(!all.contains(&s), "{s} leaked:\n{all}");
    }
}

// ---------------------------------------------------------------- recurring (cycle) conferences

use cycle::{Cycle, CycleRule};

const SUB_A: &str = "fe24d1350a3611ecbe71a328ac3ca004";
const SUB_B: &str = "fe24d1360a3611ecbe71fdd2c36bc8c2";
const SUB_C: &str = "fe24d1370a3611ecbe71fdd2c36bc8c3";

/// A recurring ConferenceInfo as the create-series example shapes it (L2676-2799).
fn cycle_conference(id: &str, end_date: &str, subs: &[(&str, &str)]) -> Value {
    let mut c = conference(id, "Schedule");
    c["conferenceType"] = json!(2);
    c["confType"] = json!("CYCLE");
    c["cycleParams"] = json!({"startDate": "2030-08-30", "endDate": end_date, "cycle": "Day",
                              "interval": 1, "preRemindDays": 1, "cycleCount": 0});
    c["cycleSubConfID"] = json!(subs.first().map(|s| s.0));
    c["subConfs"] = subs
        .iter()
        .map(|(sub, day)| {
            json!({"cycleSubConfID": sub, "conferenceID": id, "mediaType": "HDVideo,Data,Voice",
                   "startTime": format!("{day} 12:00"), "endTime": format!("{day} 13:00"),
                   "isAutoRecord": 0, "recordAuthType": 2})
        })
        .collect();
    c
}

fn three_subs() -> Vec<(&'static str, &'static str)> {
    vec![
        (SUB_A, "2030-08-30"),
        (SUB_B, "2030-08-31"),
        (SUB_C, "2030-09-01"),
    ]
}

/// Daily 30 Aug - 1 Sep 2030; the draft starts 2030-08-30 12:00 UTC = 20:00 in Beijing.
fn daily_rule() -> CycleRule {
    CycleRule {
        cycle: Cycle::Day,
        interval: 1,
        points: Vec::new(),
        start_date: chrono::NaiveDate::from_ymd_opt(2030, 8, 30).unwrap(),
        end_date: chrono::NaiveDate::from_ymd_opt(2030, 9, 1).unwrap(),
        pre_remind_days: 1,
    }
}

#[tokio::test]
async fn create_cycle_posts_the_documented_body_and_reads_every_sub_meeting() {
    let f = with_api(|_, _| {
        (
            200,
            json!([cycle_conference("986256843", "2030-09-01", &three_subs())]).to_string(),
        )
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    let s = c
        .create_cycle_meeting(&draft(), &daily_rule())
        .await
        .unwrap();
    assert_eq!(s.meeting.vendor_id, "986256843");
    assert_eq!(s.rule, Some(daily_rule()));
    assert_eq!(s.first_sub_conf_id.as_deref(), Some(SUB_A));
    let ids: Vec<_> = s
        .occurrences
        .iter()
        .map(|o| o.cycle_sub_conf_id.as_str())
        .collect();
    assert_eq!(ids, [SUB_A, SUB_B, SUB_C]);
    assert_eq!(
        s.occurrences[1].start,
        Utc.with_ymd_and_hms(2030, 8, 31, 12, 0, 0).unwrap()
    );
    assert!(s.shortened.is_none());
    assert_eq!(
        s.meeting.host_password.as_ref().unwrap().expose_secret(),
        CHAIR_PWD
    );

    let seen = f.seen();
    let post = seen.iter().find(|s| s.path == CYCLE_PATH).unwrap();
    assert_eq!(post.method, "POST");
    assert!(post.query.is_empty());
    assert!(post.headers["content-type"].starts_with("application/json"));
    assert_eq!(
        post.body,
        json!({
            "subject": "周例会", "mediaTypes": "HDVideo", "startTime": "2030-08-30 12:00", "length": 60,
            "attendees": [{"accountId": "zhangsan", "appId": "fdb8e4699586458bbd10c834872dcc62", "name": "张三",
                           "role": 0, "email": "zhang@example.com"}],
            "confConfigInfo": {"isSendNotify": true, "isSendSms": false, "isSendCalendar": true},
            "timeZoneID": "56", "language": "zh-CN",
            "cycleParams": {"startDate": "2030-08-30", "endDate": "2030-09-01", "cycle": "Day",
                            "interval": 1, "preRemindDays": 1}
        })
    );
    // The answer listed the sub-meetings: no read-back.
    assert_eq!(f.count("GET", DETAIL_PATH), 0);
}

#[tokio::test]
async fn a_series_the_server_shortened_is_reported_not_hidden() {
    let f = with_api(|_, _| {
        (
            200,
            json!([cycle_conference(
                "986256843",
                "2030-08-31",
                &three_subs()[..2]
            )])
            .to_string(),
        )
    })
    .await;
    let s = HuaweiClient::new(&f.base, app_auth(), &http())
        .create_cycle_meeting(&draft(), &daily_rule())
        .await
        .unwrap();
    let short = s.shortened.unwrap();
    assert_eq!(short.requested_end, daily_rule().end_date);
    assert_eq!(
        short.answered_end,
        chrono::NaiveDate::from_ymd_opt(2030, 8, 31)
    );
    assert_eq!((short.predicted, short.listed), (3, 2));
}

#[tokio::test]
async fn rules_huawei_would_refuse_or_truncate_are_refused_before_any_call() {
    let f = with_api(|_, _| (200, "[]".into())).await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    // 51 daily meetings: Huawei would silently end the series on the 50th.
    let mut r = daily_rule();
    r.end_date = chrono::NaiveDate::from_ymd_opt(2030, 10, 19).unwrap();
    let e = c.create_cycle_meeting(&draft(), &r).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert!(e.detail.contains("2030-10-18"), "{}", e.detail);
    let mut r = daily_rule();
    r.interval = 16;
    let e = c.create_cycle_meeting(&draft(), &r).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    // The draft's Beijing date (30 Aug, 20:00) is not the series' start date.
    let mut r = daily_rule();
    r.start_date = chrono::NaiveDate::from_ymd_opt(2030, 8, 31).unwrap();
    let e = c
        .update_cycle_series("986256843", &draft(), &r)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    // A start date already past in the meeting's zone.
    let mut d = draft();
    d.start = Utc::now() - Duration::days(2);
    let mut r = daily_rule();
    r.start_date = d
        .start
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    r.end_date = r.start_date + Duration::days(5);
    let e = c.create_cycle_meeting(&d, &r).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::StartInPast);
    assert!(f.seen().is_empty(), "no call, not even a login");
}

#[tokio::test]
async fn the_series_is_read_from_the_details_query() {
    let f = with_api(|req, _| {
        assert_eq!(req.query["conferenceID"], "986256843");
        (
            200,
            json!({"conferenceData": cycle_conference("986256843", "2030-09-01", &three_subs()),
                   "data": {"offset": 0, "limit": 100, "count": 1,
                            "data": [{"name": "张三", "accountId": "zhangsan", "role": 1}]}})
            .to_string(),
        )
    })
    .await;
    let s = HuaweiClient::new(&f.base, app_auth(), &http())
        .get_cycle_series("986256843")
        .await
        .unwrap();
    assert_eq!(s.occurrences.len(), 3);
    assert_eq!(s.meeting.attendees[0].account.as_deref(), Some("zhangsan"));
    assert_eq!(f.count("GET", DETAIL_PATH), 1);
}

#[tokio::test]
async fn a_series_edit_overwrites_everything_and_reads_back_regenerated_ids() {
    // The edit example answers about another conference (L3099 vs L3062): read back.
    let new_subs = [
        ("ff1cf7020a3711ecbe71a328ac3ca004", "2030-08-30"),
        ("ff1cf7030a3711ecbe71a328ac3ca005", "2030-08-31"),
        ("ff1cf7040a3711ecbe71a328ac3ca006", "2030-09-01"),
    ];
    let f = with_api(move |req, _| match req.method.as_str() {
        "PUT" => (
            200,
            json!([cycle_conference("914087436", "2030-09-01", &three_subs())]).to_string(),
        ),
        _ => (
            200,
            json!({"conferenceData": cycle_conference("986256843", "2030-09-01", &new_subs)})
                .to_string(),
        ),
    })
    .await;
    let s = HuaweiClient::new(&f.base, app_auth(), &http())
        .update_cycle_series("986256843", &draft(), &daily_rule())
        .await
        .unwrap();
    assert_eq!(s.meeting.vendor_id, "986256843");
    assert_eq!(s.occurrences[0].cycle_sub_conf_id, new_subs[0].0);
    assert!(s.shortened.is_none());
    let seen = f.seen();
    let put = seen.iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.path, CYCLE_PATH);
    assert_eq!(put.query["conferenceID"], "986256843");
    // The full definition, every time.
    for field in [
        "subject",
        "mediaTypes",
        "startTime",
        "length",
        "attendees",
        "confConfigInfo",
        "timeZoneID",
        "language",
        "cycleParams",
    ] {
        assert!(
            put.body.get(field).is_some(),
            "{field} missing: {}",
            put.body
        );
    }
    assert_eq!(put.body["cycleParams"]["cycle"], "Day");
    assert_eq!(f.count("GET", DETAIL_PATH), 1);
}

#[tokio::test]
async fn one_sub_meeting_is_moved_with_the_documented_body() {
    let f = with_api(|req, _| match req.method.as_str() {
        "PUT" => (200, String::new()),
        _ => (
            200,
            json!({"conferenceData": cycle_conference("986256843", "2030-09-01", &three_subs())})
                .to_string(),
        ),
    })
    .await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    let start = Utc.with_ymd_and_hms(2030, 8, 31, 7, 30, 0).unwrap();
    let s = c
        .update_occurrence("986256843", SUB_B, start, 45, Some("提前"))
        .await
        .unwrap();
    assert_eq!(s.occurrences.len(), 3);
    let seen = f.seen();
    let put = seen.iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.path, CYCLE_SUB_PATH);
    assert_eq!(put.query["conferenceID"], "986256843");
    assert_eq!(
        put.body,
        json!({"cycleSubConfID": SUB_B, "mediaTypes": "HDVideo", "startTime": "2030-08-31 07:30",
               "length": 45, "description": "提前"})
    );
    assert_eq!(f.count("GET", DETAIL_PATH), 1);

    // Checked before sending: the length range, the description, the ID.
    let e = c
        .update_occurrence("986256843", SUB_B, start, 14, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    let long = "长".repeat(201);
    assert!(c
        .update_occurrence("986256843", SUB_B, start, 30, Some(&long))
        .await
        .is_err());
    assert!(c
        .update_occurrence("986256843", "a\"b", start, 30, None)
        .await
        .is_err());
    assert_eq!(f.count("PUT", CYCLE_SUB_PATH), 1);
}

#[tokio::test]
async fn sub_meetings_are_cancelled_by_a_delete_with_a_json_body() {
    let f = with_api(|_, _| (200, String::new())).await;
    let c = HuaweiClient::new(&f.base, app_auth(), &http());
    c.cancel_occurrences(
        "985325849",
        &[SUB_A.to_string(), SUB_B.to_string(), SUB_A.to_string()],
    )
    .await
    .unwrap();
    let seen = f.seen();
    let del = seen.iter().find(|s| s.method == "DELETE").unwrap();
    assert_eq!(del.path, CYCLE_SUB_PATH);
    assert_eq!(del.query["conferenceID"], "985325849");
    assert!(!del.query.contains_key("type"));
    assert!(del.headers["content-type"].starts_with("application/json"));
    // The table's spelling (L2924), not the example's cycleSubConflDs (L2953).
    assert_eq!(
        String::from_utf8(del.raw_body.clone()).unwrap(),
        format!(r#"{{"cycleSubConfIDs":["{SUB_A}","{SUB_B}"]}}"#)
    );

    // An empty list never leaves the computer.
    let e = c.cancel_occurrences("985325849", &[]).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(f.count("DELETE", CYCLE_SUB_PATH), 1);

    // The server's own refusal of one is mapped too.
    let f = with_api(|_, _| (400, err("MMC.111071016", "CONF_PARAMS_NULL_EXCEPTION"))).await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .cancel_occurrences("985325849", &[SUB_A.to_string()])
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
    assert_eq!(e.code.as_deref(), Some("MMC.111071016"));
}

#[tokio::test]
async fn the_whole_series_is_cancelled_without_ending_a_running_meeting() {
    let f = with_api(|_, _| (200, String::new())).await;
    HuaweiClient::new(&f.base, app_auth(), &http())
        .cancel_cycle_series("984697426")
        .await
        .unwrap();
    let seen = f.seen();
    let del = seen.iter().find(|s| s.method == "DELETE").unwrap();
    assert_eq!(del.path, CYCLE_PATH);
    assert_eq!(del.query["conferenceID"], "984697426");
    assert!(!del.query.contains_key("type"));
    assert!(del.raw_body.is_empty());
}

#[tokio::test]
async fn cycle_errors_reach_the_caller_typed_and_posts_are_not_retried() {
    let cases = [
        (
            400,
            "MMC.111071020",
            "CONF_CYCLE_PARAMS_NULL_EXCEPTION",
            VendorErrorKind::InvalidRequest,
        ),
        (
            400,
            "MMC.111071044",
            "CONF_CYCLE_PARAMS_INTERVAL_NOT_IN_RANGE",
            VendorErrorKind::InvalidRequest,
        ),
        (
            500,
            "MMC.111070119",
            "CREATE_CYCLE_CONF_EXCEPTION",
            VendorErrorKind::Unavailable,
        ),
    ];
    for (status, code, msg, kind) in cases {
        let f = with_api(move |_, _| (status, err(code, msg))).await;
        let e = HuaweiClient::new(&f.base, app_auth(), &http())
            .create_cycle_meeting(&draft(), &daily_rule())
            .await
            .unwrap_err();
        assert_eq!(e.kind, kind, "{code}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert_eq!(e.detail, msg);
        assert_eq!(f.count("POST", CYCLE_PATH), 1, "{code}");
    }
    let f = with_api(|_, _| {
        (
            400,
            err("MMC.111071119", "SUB_CYCONF_MODIFY_TIME_OVER_RANGE"),
        )
    })
    .await;
    let e = HuaweiClient::new(&f.base, app_auth(), &http())
        .update_occurrence("986256843", SUB_A, Utc::now(), 30, None)
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("MMC.111071119"));
    assert_eq!(e.kind, VendorErrorKind::InvalidRequest);
}

#[tokio::test]
async fn a_series_in_the_list_reads_as_its_next_sub_meeting() {
    let f = with_api(|_, _| {
        let mut c = cycle_conference(
            "986256843",
            "2030-09-01",
            &[(SUB_A, "2020-08-30"), (SUB_B, "2030-08-31")],
        );
        // The top-level times are the first sub-meeting's, long past.
        c["startTime"] = json!("2020-08-30 12:00");
        c["endTime"] = json!("2020-08-30 13:00");
        (
            200,
            json!({"offset": 0, "limit": 100, "count": 2,
                   "data": [c, conference("914673889", "Schedule")]})
            .to_string(),
        )
    })
    .await;
    let list = HuaweiClient::new(&f.base, app_auth(), &http())
        .list_meetings()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let series = list.iter().find(|m| m.vendor_id == "986256843").unwrap();
    assert_eq!(
        series.start,
        Utc.with_ymd_and_hms(2030, 8, 31, 12, 0, 0).unwrap()
    );
    assert_eq!(series.duration_minutes, 60);
    assert_eq!(series.state, MeetingState::Scheduled);
}
