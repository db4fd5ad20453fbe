//! Client behaviour against the scripted server, answering with the note's samples (each cites
//! its lines in `vendor-notes/feishu-vc.md`): the flat token answers and their renewal rules,
//! the `{code,msg,data}` envelope with business errors, rate limits waited out, reserve bodies
//! and the honest mapping of times, `app_link` switches, invite batches, OAuth with PKCE and
//! single-use refresh tokens, rooms, and that no secret reaches a log, an error or `Debug`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use huiyi_core::{Attendee, AttendeeRole, LinkKind, MeetingState, Notifications};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use super::*;
use crate::http::RetryPolicy;
use crate::huawei::tests::logs;
use crate::scripted::{fake, fake_with_headers, Fake, Seen};

/// The sample credentials of note L126.
const APP_ID: &str = "cli_slkdjalasdkjasd";
const APP_SECRET: &str = "dskLLdkasdjlasdKK";
/// The sample tenant token prefix of note L127, made whole.
const TENANT: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";
const OWNER: &str = "ou_3ec3f6a28a0d08c45d895276e8e5e19b";
/// The sample app_link of note L247.
const APP_LINK: &str = "https://applink.feishu.cn/client/videochat/open?source=openplatform&action=join&idtype=reservationid&id={?}&preview={?}&mic={?}&speaker={?}&camera={?}";

fn http() -> Http {
    logs();
    Http::with_settings(
        StdDuration::from_secs(2),
        StdDuration::from_secs(5),
        RetryPolicy {
            max_attempts: 2,
            initial_backoff: StdDuration::from_millis(10),
        },
    )
}

fn auth(owner: Option<&str>) -> FeishuAuth {
    FeishuAuth {
        app_id: APP_ID.into(),
        app_secret: SecretString::from(APP_SECRET),
        region: FeishuRegion::Feishu,
        owner: owner.map(str::to_string),
    }
}

fn client(f: &Fake) -> FeishuClient {
    FeishuClient::new(&f.base, auth(Some(OWNER)), &http())
}

/// `{"code":0,"msg":"ok","tenant_access_token":"t-…","expire":7200}` (L127).
fn tenant_answer(expire: i64) -> String {
    json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT, "expire": expire}).to_string()
}

fn ok(data: Value) -> String {
    json!({"code": 0, "msg": "success", "data": data}).to_string()
}

fn fail(code: i64, msg: &str) -> String {
    json!({"code": code, "msg": msg, "data": {}}).to_string()
}

/// The apply answer of L245-249, with `end_time` set to the one asked for (the sample's is
/// earlier than its request, §12.13) and `url` ending in the number (L514-520).
fn reserve(end: i64) -> Value {
    json!({
        "id": "6911188411934973028", "meeting_no": "112000358", "password": "971024",
        "url": "https://vc.feishu.cn/j/112000358", "app_link": APP_LINK,
        "live_link": "https://meetings.feishu.cn/s/1gub381l4gglv", "end_time": end.to_string()
    })
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        subject: "周会".into(),
        start: Utc::now() + Duration::days(2),
        duration_minutes: 60,
        zone: Shanghai,
        attendees: vec![Attendee {
            name: "主持人".into(),
            email: None,
            phone: None,
            account: Some("ou_7d8a6e6df7621556ce0d21922b676706ccs".into()),
            role: AttendeeRole::Host,
        }],
        notify: Notifications::default(),
        ports: None,
        registration: false,
        password: None,
    }
}

fn token_route(req: &Seen) -> Option<(u16, String)> {
    (req.path == "/open-apis/auth/v3/tenant_access_token/internal")
        .then(|| (200, tenant_answer(7200)))
}

#[tokio::test]
async fn a_booking_sends_the_planned_end_and_the_owner_and_reads_back_what_feishu_holds() {
    let f = fake(|req, _| {
        if let Some(r) = token_route(req) {
            return r;
        }
        let end: i64 = req.body["end_time"].as_str().unwrap_or("0").parse().unwrap_or(0);
        (200, ok(json!({"reserve": reserve(end), "reserve_correction_check_info": {"invalid_host_id_list": []}})))
    })
    .await;
    let d = draft();
    let m = client(&f).create_meeting(&d).await.unwrap();
    let seen = f.seen();
    // The token: flat body {app_id, app_secret} (L124-126), then Bearer on the call (L181).
    assert_eq!(
        seen[0].body,
        json!({"app_id": APP_ID, "app_secret": APP_SECRET})
    );
    let apply = &seen[1];
    assert_eq!(
        (apply.method.as_str(), apply.path.as_str()),
        ("POST", "/open-apis/vc/v1/reserves/apply")
    );
    assert_eq!(apply.headers["authorization"], format!("Bearer {TENANT}"));
    assert_eq!(apply.query["user_id_type"], "open_id");
    // end_time as a string of Unix seconds = the planned end (L229); owner_id with a tenant
    // token (L232-234); the subject as topic, the host as assign_host_list (L211).
    assert_eq!(
        apply.body["end_time"],
        json!(d.end().timestamp().to_string())
    );
    assert_eq!(apply.body["owner_id"], OWNER);
    assert_eq!(apply.body["meeting_settings"]["topic"], "周会");
    assert_eq!(
        apply.body["meeting_settings"]["assign_host_list"],
        json!([{"user_type": 1, "id": "ou_7d8a6e6df7621556ce0d21922b676706ccs"}])
    );
    assert!(
        apply.body["meeting_settings"].get("password").is_none(),
        "the owner's setting decides"
    );
    assert_eq!(m.vendor_id, "6911188411934973028");
    assert_eq!(m.meeting_number, "112000358");
    assert_eq!(m.guest_password.as_deref(), Some("971024"));
    assert_eq!(m.start, d.start);
    assert_eq!(m.end().timestamp(), d.end().timestamp());
    assert_eq!(m.state, MeetingState::Scheduled);
    let web = m.links.iter().find(|l| l.kind == LinkKind::Web).unwrap();
    assert_eq!(web.url.expose_secret(), "https://vc.feishu.cn/j/112000358");
    let app = m
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Protocol)
        .unwrap();
    assert_eq!(
        app.url.expose_secret(),
        "https://applink.feishu.cn/client/videochat/open?source=openplatform&action=join&idtype=reservationid&id=6911188411934973028&preview=1&mic=0&speaker=1&camera=0"
    );
}

#[tokio::test]
async fn what_a_reserve_cannot_hold_is_refused_before_any_call() {
    let f = fake(|_, _| (200, tenant_answer(7200))).await;
    let c = client(&f);
    let mut far = draft();
    far.start = Utc::now() + Duration::days(30);
    let e = c.create_meeting(&far).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BeyondBookingWindow);
    let mut past = draft();
    past.start = Utc::now() - Duration::hours(3);
    assert_eq!(
        c.create_meeting(&past).await.unwrap_err().kind,
        VendorErrorKind::StartInPast
    );
    let mut guest = draft();
    guest.attendees[0].role = AttendeeRole::Participant;
    let e = c.create_meeting(&guest).await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::AttendeeInvalid);
    assert!(e.detail.contains("no participant list"), "{e}");
    assert!(f.seen().is_empty());
}

#[tokio::test]
async fn a_meeting_read_back_has_only_the_expiry_unless_one_is_live() {
    let end = (Utc::now() + Duration::days(3)).timestamp();
    let live = Arc::new(AtomicI64::new(0));
    let live2 = live.clone();
    let f = fake(move |req, _| {
        if let Some(r) = token_route(req) {
            return r;
        }
        match req.path.as_str() {
            // get.md: every field plus expire_status, reserve_user_id, meeting_settings (L275-278).
            "/open-apis/vc/v1/reserves/6911188411934973028" => {
                let mut r = reserve(end);
                r["expire_status"] = json!(1);
                r["reserve_user_id"] = json!(OWNER);
                r["meeting_settings"] = json!({"topic": "my meeting", "auto_record": true});
                (200, ok(json!({"reserve": r})))
            }
            "/open-apis/vc/v1/reserves/6911188411934973028/get_active_meeting" => {
                match live2.load(Ordering::SeqCst) {
                    // Nothing live: 404/121004 (ASSUMPTION, §12.10 L626-627).
                    0 => (404, fail(121004, "data not exist")),
                    s => (200, ok(json!({"meeting": {
                        "id": "6911188411932033028", "topic": "my meeting", "meeting_no": "112000358",
                        "start_time": s.to_string(), "status": 2,
                        "host_user": {"id": OWNER, "user_type": 1}
                    }}))),
                }
            }
            _ => (404, fail(121004, "data not exist")),
        }
    })
    .await;
    let c = client(&f);
    let m = c.get_meeting("6911188411934973028").await.unwrap();
    assert_eq!(m.subject, "my meeting");
    assert_eq!(m.state, MeetingState::Scheduled);
    assert_eq!(
        (m.start.timestamp(), m.duration_minutes),
        (end, 0),
        "Feishu keeps no start"
    );
    assert_eq!(m.organizer.as_deref(), Some(OWNER));
    let started = Utc::now().timestamp() - 600;
    live.store(started, Ordering::SeqCst);
    let m = c.get_meeting("6911188411934973028").await.unwrap();
    assert_eq!(m.state, MeetingState::InProgress);
    assert_eq!(m.start.timestamp(), started);
    assert_eq!(m.end().timestamp() / 60, end / 60);
    let e = c.get_meeting("42").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::NotFound);
    assert_eq!(e.code.as_deref(), Some("121004"));
    assert_eq!(
        c.get_meeting("../x").await.unwrap_err().kind,
        VendorErrorKind::NotFound
    );
}

#[tokio::test]
async fn an_update_renews_and_replaces_then_reads_the_link_back_and_delete_deletes() {
    let f = fake(|req, _| {
        if let Some(r) = token_route(req) {
            return r;
        }
        match req.method.as_str() {
            // The update answer has no app_link (L266-267).
            "PUT" => {
                let mut r = reserve(1);
                r.as_object_mut().unwrap().remove("app_link");
                r["expire_status"] = json!(0);
                (200, ok(json!({"reserve": r})))
            }
            "GET" => (200, ok(json!({"reserve": reserve((Utc::now() + Duration::days(2)).timestamp() + 3600)}))),
            "DELETE" => (200, json!({"code": 0, "msg": "success", "data": {}}).to_string()),
            _ => (400, fail(121003, "param error")),
        }
    })
    .await;
    let c = client(&f);
    let d = draft();
    let m = c.update_meeting("6911188411934973028", &d).await.unwrap();
    let put = f.seen().into_iter().find(|s| s.method == "PUT").unwrap();
    assert_eq!(put.path, "/open-apis/vc/v1/reserves/6911188411934973028");
    assert_eq!(put.body["end_time"], json!(d.end().timestamp().to_string()));
    assert_eq!(put.body["meeting_settings"]["topic"], "周会");
    assert!(
        put.body.get("owner_id").is_none(),
        "update takes no owner_id (L264)"
    );
    assert!(m.links.iter().any(|l| l.kind == LinkKind::Protocol));
    c.cancel_meeting("6911188411934973028").await.unwrap();
    assert_eq!(
        f.count("DELETE", "/open-apis/vc/v1/reserves/6911188411934973028"),
        1
    );
    assert_eq!(
        f.count("POST", "/open-apis/auth/v3/tenant_access_token/internal"),
        1,
        "the token is cached"
    );
}

#[tokio::test]
async fn an_expired_tenant_token_is_renewed_once_then_reported() {
    // 99991663 for an expired tenant token (L647-649); the GO SDK retries once (L657-659).
    let f = fake(|req, n| {
        if let Some(r) = token_route(req) {
            return r;
        }
        match (req.path.as_str(), n) {
            ("/open-apis/vc/v1/rooms/omm_1", 0) => (
                400,
                fail(99991663, "Invalid access token for authorization"),
            ),
            ("/open-apis/vc/v1/rooms/omm_1", _) => {
                (200, ok(json!({"room": {"room_id": "omm_1", "name": "A"}})))
            }
            _ => (
                400,
                fail(99991663, "Invalid access token for authorization"),
            ),
        }
    })
    .await;
    let c = client(&f);
    assert_eq!(c.room("omm_1").await.unwrap().name.as_deref(), Some("A"));
    assert_eq!(
        f.count("POST", "/open-apis/auth/v3/tenant_access_token/internal"),
        2
    );
    let e = c.room("omm_2").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::SessionExpired);
    assert_eq!(
        f.count("GET", "/open-apis/vc/v1/rooms/omm_2"),
        2,
        "bounded: one renewal"
    );
}

#[tokio::test]
async fn the_tenant_token_is_renewed_three_minutes_before_its_remaining_expire() {
    let now = Arc::new(AtomicI64::new(Utc::now().timestamp()));
    let clock_now = now.clone();
    // `expire` is what remains (L133-136; 4567 observed).
    let f = fake(|req, _| {
        if req.path.ends_with("tenant_access_token/internal") {
            return (200, tenant_answer(4567));
        }
        (200, ok(json!({"room": {"room_id": "omm_1"}})))
    })
    .await;
    let c = client(&f).with_clock(Arc::new(move || {
        Utc.timestamp_opt(clock_now.load(Ordering::SeqCst), 0)
            .unwrap()
    }));
    c.room("omm_1").await.unwrap();
    now.fetch_add(4567 - 200, Ordering::SeqCst);
    c.room("omm_1").await.unwrap();
    assert_eq!(
        f.count("POST", "/open-apis/auth/v3/tenant_access_token/internal"),
        1
    );
    now.fetch_add(30, Ordering::SeqCst);
    c.room("omm_1").await.unwrap();
    assert_eq!(
        f.count("POST", "/open-apis/auth/v3/tenant_access_token/internal"),
        2
    );
}

#[tokio::test]
async fn token_refusals_inside_http_200_are_credential_errors() {
    // {"code":10014,"msg":"app id not exists"} with HTTP 200 (L143-145).
    let f = fake(|_, _| {
        (
            200,
            json!({"code": 10014, "msg": "app id not exists"}).to_string(),
        )
    })
    .await;
    let e = client(&f).verify().await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::BadCredentials);
    assert_eq!(e.code.as_deref(), Some("10014"));
    let ok = fake(|_, _| (200, tenant_answer(7200))).await;
    assert_eq!(client(&ok).verify().await.unwrap().user_id, OWNER);
}

#[tokio::test]
async fn business_errors_keep_the_log_id_and_rate_limits_are_waited_out() {
    let f = fake_with_headers(None, |req, n| {
        let logid = vec![("X-Tt-Logid".to_string(), "20241108123456ABCDEF".to_string())];
        if req.path.ends_with("tenant_access_token/internal") {
            return (200, logid, tenant_answer(7200));
        }
        match (req.path.as_str(), n) {
            // 429 + 99991400 + x-ogw-ratelimit-reset (L502-506).
            ("/open-apis/vc/v1/rooms/omm_1", 0) => (
                429,
                vec![("x-ogw-ratelimit-limit".into(), "50".into()), ("x-ogw-ratelimit-reset".into(), "1".into())],
                json!({"code": 99991400, "msg": "request trigger frequency limit"}).to_string(),
            ),
            ("/open-apis/vc/v1/rooms/omm_1", _) => (200, logid, ok(json!({"room": {"room_id": "omm_1"}}))),
            ("/open-apis/vc/v1/rooms/omm_2", _) => (
                // The legacy 400 variant (L504-505), asking for a wait longer than we allow.
                400,
                vec![("x-ogw-ratelimit-reset".into(), "60".into())],
                json!({"code": 99991400, "msg": "request trigger frequency limit"}).to_string(),
            ),
            _ => (
                403,
                logid,
                json!({"code": 121005, "msg": "no permission", "error": {"log_id": "body-log", "troubleshooter": "https://open.feishu.cn/search?from=openapi"}}).to_string(),
            ),
        }
    })
    .await;
    let c = client(&f);
    let t0 = Instant::now();
    c.room("omm_1").await.unwrap();
    assert!(
        t0.elapsed() >= StdDuration::from_millis(900),
        "waited the reset"
    );
    assert_eq!(f.count("GET", "/open-apis/vc/v1/rooms/omm_1"), 2);
    let e = c.room("omm_2").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::RateLimited);
    assert!(e.retryable());
    assert_eq!(
        f.count("GET", "/open-apis/vc/v1/rooms/omm_2"),
        1,
        "no 60 s wait"
    );
    let e = c.room("omm_3").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::PermissionDenied);
    assert_eq!(e.code.as_deref(), Some("121005"));
    assert_eq!(e.status, Some(403));
    assert!(
        e.detail.contains("X-Tt-Logid 20241108123456ABCDEF"),
        "{}",
        e.detail
    );
}

#[tokio::test]
async fn rate_limit_waits_are_bounded() {
    let f = fake_with_headers(None, |req, _| {
        if req.path.ends_with("tenant_access_token/internal") {
            return (200, vec![], tenant_answer(7200));
        }
        (
            429,
            vec![("x-ogw-ratelimit-reset".into(), "0".into())],
            json!({"code": 99991400, "msg": "limit"}).to_string(),
        )
    })
    .await;
    let e = client(&f).delete_reserve("1").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::RateLimited);
    assert_eq!(
        f.count("DELETE", "/open-apis/vc/v1/reserves/1"),
        1 + MAX_RATE_RETRIES as usize
    );
}

fn user_tokens(access_left: Duration) -> UserTokens {
    UserTokens {
        access_token: SecretString::from("eyJ-access-1"),
        access_expires_at: Utc::now() + access_left,
        refresh_token: Some(SecretString::from("eyJ-refresh-1")),
        refresh_expires_at: Some(Utc::now() + Duration::days(7)),
        scope: Some("vc:meeting offline_access".into()),
    }
}

/// The authen/v2 answer (L168, lifetimes of L176-177).
fn oauth_answer(n: usize) -> String {
    json!({
        "code": 0, "access_token": format!("eyJ-access-{}", n + 2), "expires_in": 7200,
        "refresh_token": format!("eyJ-refresh-{}", n + 2), "refresh_token_expires_in": 604800,
        "token_type": "Bearer", "scope": "vc:meeting offline_access"
    })
    .to_string()
}

#[tokio::test]
async fn invites_go_ten_at_a_time_with_a_refreshed_user_token_whose_successor_is_saved() {
    let f = fake(|req, n| match req.path.as_str() {
        "/open-apis/authen/v2/oauth/token" => (200, oauth_answer(n)),
        "/open-apis/vc/v1/meetings/6911188411932033028/invite" => {
            let results: Vec<Value> = req.body["invitees"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|i| json!({"id": i["id"], "user_type": 1, "status": 1}))
                        .collect()
                })
                .unwrap_or_default();
            (200, ok(json!({"invite_results": results})))
        }
        _ => (404, fail(121004, "data not exist")),
    })
    .await;
    let store = Arc::new(MemoryTokenStore::new(Some(user_tokens(Duration::minutes(
        1,
    )))));
    let c = client(&f).with_user_tokens(store.clone());
    let people: Vec<MeetingUser> = (0..23)
        .map(|i| MeetingUser {
            id: Some(format!("ou_{i:032}")),
            user_type: Some(1),
        })
        .collect();
    let results = c.invite("6911188411932033028", &people).await.unwrap();
    assert_eq!(results.len(), 23);
    let seen = f.seen();
    let refresh = &seen[0];
    assert_eq!(refresh.body["grant_type"], "refresh_token");
    assert_eq!(refresh.body["refresh_token"], "eyJ-refresh-1");
    assert_eq!(refresh.body["client_id"], APP_ID);
    let invites: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.path.ends_with("/invite"))
        .collect();
    let sizes: Vec<usize> = invites
        .iter()
        .map(|s| s.body["invitees"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [10, 10, 3]);
    assert!(invites
        .iter()
        .all(|s| s.method == "PATCH" && s.headers["authorization"] == "Bearer eyJ-access-2"));
    // The rotated refresh token was handed to the store (L173-175): the old one is dead.
    let saved = store.load().unwrap();
    assert_eq!(
        saved.refresh_token.unwrap().expose_secret(),
        "eyJ-refresh-2"
    );
    assert_eq!(
        f.count("POST", "/open-apis/authen/v2/oauth/token"),
        1,
        "one refresh for all calls"
    );
}

#[tokio::test]
async fn a_spent_refresh_token_clears_the_store_and_asks_for_authorization() {
    // Reuse → 400/20073 "refresh token has been used" (L653-656).
    let f = fake(|req, _| match req.path.as_str() {
        "/open-apis/authen/v2/oauth/token" => (
            400,
            json!({"code": 20073, "error": "invalid_grant", "error_description": "refresh token has been used"}).to_string(),
        ),
        _ => (200, ok(json!({}))),
    })
    .await;
    let store = Arc::new(MemoryTokenStore::new(Some(user_tokens(Duration::minutes(
        -5,
    )))));
    let c = client(&f).with_user_tokens(store.clone());
    let e = c.end_meeting("6911188411932033028").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::UserAuthorizationNeeded);
    assert_eq!(e.code.as_deref(), Some("20073"));
    assert!(store.load().is_none());
    assert_eq!(
        f.count("PATCH", "/open-apis/vc/v1/meetings/6911188411932033028/end"),
        0
    );
    // Without any tokens the call is not even tried.
    let e = c.end_meeting("6911188411932033028").await.unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::UserAuthorizationNeeded);
    assert_eq!(f.count("POST", "/open-apis/authen/v2/oauth/token"), 1);
}

#[tokio::test]
async fn an_expired_user_token_is_refreshed_once_on_99991677() {
    let f = fake(|req, n| match (req.path.as_str(), n) {
        ("/open-apis/authen/v2/oauth/token", n) => (200, oauth_answer(n)),
        (p, 0) if p.ends_with("/end") => (400, fail(99991677, "user token expired")),
        (p, _) if p.ends_with("/end") => (200, ok(json!({}))),
        _ => (404, fail(121004, "")),
    })
    .await;
    let store = Arc::new(MemoryTokenStore::new(Some(user_tokens(Duration::hours(1)))));
    let c = client(&f).with_user_tokens(store.clone());
    c.end_meeting("6911188411932033028").await.unwrap();
    let ends: Vec<Seen> = f
        .seen()
        .into_iter()
        .filter(|s| s.path.ends_with("/end"))
        .collect();
    assert_eq!(ends[0].headers["authorization"], "Bearer eyJ-access-1");
    assert_eq!(ends[1].headers["authorization"], "Bearer eyJ-access-2");
}

#[tokio::test]
async fn authorization_checks_the_state_and_exchanges_the_code_with_the_verifier() {
    let f = fake(|_, n| (200, oauth_answer(n))).await;
    let store = Arc::new(MemoryTokenStore::default());
    let c = client(&f).with_user_tokens(store.clone());
    let start = c
        .begin_authorization("http://127.0.0.1:53682/callback")
        .unwrap();
    assert!(start
        .authorize_url
        .starts_with(&format!("{}/open-apis/authen/v1/authorize?", f.base)));
    assert!(start
        .authorize_url
        .contains(&format!("state={}", start.state)));
    assert!(start.authorize_url.contains(&format!(
        "code_challenge={}",
        auth::code_challenge(start.verifier.expose_secret())
    )));
    let e = c
        .finish_authorization(&start, "code-1", "forged")
        .await
        .unwrap_err();
    assert_eq!(e.kind, VendorErrorKind::PermissionDenied);
    assert!(f.seen().is_empty());
    let tokens = c
        .finish_authorization(&start, "code-1", &start.state.clone())
        .await
        .unwrap();
    assert_eq!(tokens.access_token.expose_secret(), "eyJ-access-2");
    let body = &f.seen()[0].body;
    assert_eq!(body["grant_type"], "authorization_code");
    assert_eq!(body["code"], "code-1");
    assert_eq!(body["code_verifier"], start.verifier.expose_secret());
    assert_eq!(body["redirect_uri"], "http://127.0.0.1:53682/callback");
    assert_eq!(body["client_secret"], APP_SECRET);
    assert!(store.load().is_some());
    assert!(c.begin_authorization("https://example.com/cb").is_err());
    let region_default = FeishuClient::new("", auth(None), &http());
    assert!(region_default
        .begin_authorization("http://127.0.0.1:1/cb")
        .unwrap()
        .authorize_url
        .starts_with("https://accounts.feishu.cn/open-apis/authen/v1/authorize?"));
}

#[tokio::test]
async fn rooms_are_listed_page_by_page_and_searched_with_the_user_token() {
    let f = fake(|req, _| {
        if let Some(r) = token_route(req) {
            return r;
        }
        match (req.path.as_str(), req.query.get("page_token").map(String::as_str)) {
            // data{rooms[], page_token, has_more} (L387-389); room fields (L382-386).
            ("/open-apis/vc/v1/rooms", None) => (200, ok(json!({"rooms": [
                {"room_id": "omm_4de32cf10a4358788ff4e09e37ebbf9b", "name": "测试会议室", "capacity": "10",
                 "description": "5F", "room_level_id": "omb_8d020b12fe49e82847c2af3c193d5754",
                 "room_status": {"status": true, "schedule_status": true}}
            ], "page_token": "p2", "has_more": true}))),
            ("/open-apis/vc/v1/rooms", Some("p2")) => (200, ok(json!({"rooms": [
                {"room_id": "omm_2", "name": "停用", "capacity": 4, "room_status": {"status": false, "disable_end_time": "0"}}
            ], "has_more": false}))),
            ("/open-apis/vc/v1/rooms/search", _) => (200, ok(json!({"rooms": [{"room_id": "omm_2", "name": "x"}], "has_more": false}))),
            _ => (404, fail(121004, "")),
        }
    })
    .await;
    let store = Arc::new(MemoryTokenStore::new(Some(user_tokens(Duration::hours(1)))));
    let c = client(&f).with_user_tokens(store);
    let rooms = c.list_rooms().await.unwrap();
    assert_eq!(rooms.len(), 2);
    assert_eq!(rooms[0].capacity, Some(10));
    assert_eq!(rooms[0].location.as_deref(), Some("5F"));
    assert!(rooms[0].bookable && !rooms[1].bookable);
    let found = c.search_rooms("测试").await.unwrap();
    assert_eq!(found.len(), 1);
    let search = f
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/search"))
        .unwrap();
    assert_eq!(search.headers["authorization"], "Bearer eyJ-access-1");
    assert_eq!(search.body["keyword"], "测试");
    assert!(
        !c.capabilities().rooms,
        "rooms cannot be booked on a reserve (L405-408)"
    );
    assert!(!c.capabilities().native_series);
    assert_eq!(
        c.book_rooms("1", &["omm_2".into()]).await.unwrap_err().kind,
        VendorErrorKind::Unsupported
    );
    assert_eq!(
        c.list_meetings().await.unwrap_err().kind,
        VendorErrorKind::Unsupported
    );
}

#[test]
fn app_link_switches_follow_the_preferences_and_unknown_holes_are_not_offered() {
    let all_on = JoinPreferences {
        preview: false,
        mic: true,
        camera: true,
        speaker: true,
    };
    assert_eq!(
        mapping::fill_app_link(APP_LINK, "6911188411934973028", all_on).unwrap(),
        "https://applink.feishu.cn/client/videochat/open?source=openplatform&action=join&idtype=reservationid&id=6911188411934973028&preview=0&mic=1&speaker=1&camera=1"
    );
    // The server filled the id (the real sample, L526-527): kept as it is.
    let filled = APP_LINK.replace("id={?}", "id=123");
    assert!(
        mapping::fill_app_link(&filled, "999", JoinPreferences::default())
            .unwrap()
            .contains("&id=123&")
    );
    assert_eq!(
        mapping::fill_app_link(&format!("{APP_LINK}&new={{?}}"), "1", all_on),
        None
    );
    assert_eq!(
        mapping::fill_app_link("http://applink.feishu.cn/x?mic={?}", "1", all_on),
        None
    );
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_output_or_errors() {
    let logs = logs();
    let f = fake(|req, n| match req.path.as_str() {
        "/open-apis/auth/v3/tenant_access_token/internal" => (200, tenant_answer(7200)),
        "/open-apis/authen/v2/oauth/token" => (200, oauth_answer(n)),
        _ => (403, fail(121005, "no permission")),
    })
    .await;
    let store = Arc::new(MemoryTokenStore::new(Some(user_tokens(Duration::minutes(
        1,
    )))));
    let c = client(&f).with_user_tokens(store.clone());
    let e1 = c.get_meeting("6911188411934973028").await.unwrap_err();
    let e2 = c.end_meeting("6911188411932033028").await.unwrap_err();
    let start = c.begin_authorization("http://127.0.0.1:9/cb").unwrap();
    let creds = crate::AccountCredentials {
        auth: huiyi_core::AccountAuth::FeishuApp {
            app_id: APP_ID.into(),
            region: FeishuRegion::Feishu,
            owner: Some(OWNER.into()),
        },
        secret: SecretString::from(APP_SECRET),
    };
    let via_factory = crate::client_for(&f.base, creds.clone(), &http());
    assert_eq!(via_factory.vendor(), VendorKind::Feishu);
    via_factory.verify().await.unwrap();
    let log_text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        log_text.contains("/open-apis/vc/v1/reserves"),
        "the path is logged"
    );
    let all = [
        format!("{c:?}"),
        format!("{:?}", auth(Some(OWNER))),
        format!("{creds:?}"),
        format!("{start:?}"),
        format!("{:?}", store.load()),
        e1.to_string(),
        format!("{e2:?}"),
        log_text,
    ]
    .join("\n");
    for s in [
        APP_SECRET,
        TENANT,
        "eyJ-access",
        "eyJ-refresh",
        start.verifier.expose_secret(),
    ] {
        assert!(!all.contains(s), "{s} leaked");
    }
}

#[tokio::test]
async fn in_meeting_operations_use_the_documented_bodies_and_tokens() {
    let f = fake(|req, _| {
        if let Some(r) = token_route(req) {
            return r;
        }
        match req.path.as_str() {
            // kickout_results[].result (L348-349), T only.
            "/open-apis/vc/v1/meetings/6911188411932033028/kickout" => (200, ok(json!({"kickout_results": [{"id": "ou_a", "user_type": 1, "result": 2}]}))),
            // set_host answers the current host (L358-359); a lost CAS is 409/121006 (L355-357).
            "/open-apis/vc/v1/meetings/6911188411932033028/set_host" if req.body.get("old_host_user").is_some() => {
                (409, fail(121006, "data conflict"))
            }
            "/open-apis/vc/v1/meetings/6911188411932033028/set_host" => (200, ok(json!({"host_user": {"id": "ou_b", "user_type": 1}}))),
            // list_by_no pages with has_more + page_token (L326), "msg":"" in the example (L328).
            "/open-apis/vc/v1/meetings/list_by_no" => match req.query.get("page_token").map(String::as_str) {
                None => (200, json!({"code": 0, "msg": "", "data": {"has_more": true, "page_token": "5", "meeting_briefs": [{"id": "1", "meeting_no": "112000358"}]}}).to_string()),
                _ => (200, json!({"code": 0, "msg": "", "data": {"has_more": false, "meeting_briefs": [{"id": 2, "meeting_no": "112000358"}]}}).to_string()),
            },
            _ => (404, fail(121004, "")),
        }
    })
    .await;
    let c = client(&f);
    let ou = |id: &str| MeetingUser {
        id: Some(id.into()),
        user_type: Some(1),
    };
    let kicked = c
        .kickout("6911188411932033028", &[ou("ou_a")])
        .await
        .unwrap();
    assert_eq!(kicked[0].status, Some(2), "per-user result 2 = failed");
    let k = f
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/kickout"))
        .unwrap();
    assert_eq!(
        k.body,
        json!({"kickout_users": [{"id": "ou_a", "user_type": 1}]})
    );
    assert_eq!(k.headers["authorization"], format!("Bearer {TENANT}"));
    let host = c
        .set_host("6911188411932033028", &ou("ou_b"), None)
        .await
        .unwrap();
    assert_eq!(host, Some(ou("ou_b")));
    let e = c
        .set_host("6911188411932033028", &ou("ou_b"), Some(&ou("ou_c")))
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("121006"));
    let now = Utc::now();
    let briefs = c
        .list_by_no("112000358", now - Duration::days(7), now)
        .await
        .unwrap();
    assert_eq!(
        briefs
            .iter()
            .map(|b| b.id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["1", "2"]
    );
    let first = f
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("list_by_no"))
        .unwrap();
    assert_eq!(first.query["page_size"], "50");
    assert_eq!(
        first.query["start_time"],
        (now - Duration::days(7)).timestamp().to_string()
    );
}

#[test]
fn a_lark_account_talks_to_lark_unless_its_base_url_says_otherwise() {
    let lark = FeishuAuth {
        region: FeishuRegion::Lark,
        ..auth(None)
    };
    let c = FeishuClient::new("https://open.feishu.cn/", lark.clone(), &http());
    assert_eq!(c.base_url, "https://open.larksuite.com");
    assert_eq!(c.accounts_url, "https://accounts.larksuite.com");
    let c = FeishuClient::new("http://127.0.0.1:7000", lark, &http());
    assert_eq!(
        (c.base_url.as_str(), c.accounts_url.as_str()),
        ("http://127.0.0.1:7000", "http://127.0.0.1:7000")
    );
}
