//! Feishu authentication against the fake over HTTP: tenant_access_token (note §3.1), the
//! OAuth authorization code flow with PKCE and single-use refresh tokens (note §3.3), and the
//! bearer checks of note §13 "Auth".

mod feishu_common;

use feishu_common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn tenant_token_is_flat_and_reused_until_30_minutes_are_left() {
    let t = start().await;
    let body = json!({"app_id": t.creds.app_id, "app_secret": t.creds.app_secret});
    let first = t.tenant_raw(body.clone()).await;
    // Flat: token and expire at the top level, no data (note §3.1).
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["code"], 0);
    assert!(first.body.get("data").is_none(), "{}", first.body);
    let token = first.body["tenant_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("t-"));
    assert_eq!(first.body["expire"], 7200);
    assert!(!first.logid().is_empty());

    // ≥ 30 min left: the same token, expire = the remaining seconds.
    t.fs.advance_clock(3600);
    let again = t.tenant_raw(body.clone()).await;
    assert_eq!(again.body["tenant_access_token"], token.as_str());
    let left = again.body["expire"].as_i64().unwrap();
    assert!((3595..=3600).contains(&left), "{left}");

    // < 30 min left: a new token; the old one still works until it expires.
    t.fs.advance_clock(3600 - 29 * 60);
    let renewed = t.tenant_raw(body.clone()).await;
    let new = renewed.body["tenant_access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, token);
    assert_eq!(renewed.body["expire"], 7200);
    t.get(&format!("{VC}/rooms"), &token).await.ok();
    t.get(&format!("{VC}/rooms"), &new).await.ok();
    t.fs.advance_clock(29 * 60 + 1);
    t.get(&format!("{VC}/rooms"), &token)
        .await
        .err(400, 99991663);
    t.get(&format!("{VC}/rooms"), &new).await.ok();
    assert!(t.fs.issued_tokens().contains(&new));
    assert!(t.fs.accepted_tokens().contains(&token));
}

#[tokio::test]
async fn tenant_token_refusals_are_http_200() {
    let t = start().await;
    for body in [
        json!({}),
        json!({"app_id": t.creds.app_id}),
        json!({"app_id": "", "app_secret": ""}),
    ] {
        let a = t.tenant_raw(body).await;
        assert_eq!((a.status, a.code()), (StatusCode::OK, 10003), "{}", a.body);
    }
    let a = t
        .tenant_raw(json!({"app_id": "cli_0000000000000000", "app_secret": t.creds.app_secret}))
        .await;
    assert_eq!((a.status, a.code()), (StatusCode::OK, 10014));
    let a = t
        .tenant_raw(json!({"app_id": t.creds.app_id, "app_secret": "wrong"}))
        .await;
    assert_eq!((a.status, a.code()), (StatusCode::OK, 10014));
    // Not JSON at all.
    let resp = t
        .http
        .post(t.url("/open-apis/auth/v3/tenant_access_token/internal"))
        .body("app_id=x")
        .send()
        .await
        .unwrap();
    assert_eq!(read(resp).await.code(), 10003);
    // Without a Content-Type, as the Python SDK sends it (note, last section).
    let resp = t
        .http
        .post(t.url("/open-apis/auth/v3/tenant_access_token/internal"))
        .body(json!({"app_id": t.creds.app_id, "app_secret": t.creds.app_secret}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(read(resp).await.code(), 0);
}

#[tokio::test]
async fn bearer_checks_follow_note_13() {
    let t = start().await;
    let rooms = format!("{VC}/rooms");
    // No header: 400/99991661.
    t.call(Method::GET, &rooms, None, None)
        .await
        .err(400, 99991661);
    // Wrong prefix or shape: 99991671.
    let resp = t
        .http
        .get(t.url(&rooms))
        .header("Authorization", "Token t-abc")
        .send()
        .await
        .unwrap();
    read(resp).await.err(400, 99991671);
    t.get(&rooms, "x-abc").await.err(400, 99991671);
    // Unknown tenant token: 99991663; unknown user token: 99991668.
    t.get(&rooms, "t-unknown").await.err(400, 99991663);
    t.get(&rooms, "u-unknown").await.err(400, 99991668);

    let tenant = t.tenant().await;
    let user = t.user();
    let reserve = t.apply(&user, json!({"topic": "auth"})).await;
    let meeting = t
        .start_meeting(reserve["id"].as_str().unwrap(), &[t.open_id(1)])
        .await;
    // A tenant token on a user-only API (invite, end, rooms/search): 99991663.
    t.patch(
        &format!("{VC}/meetings/{meeting}/invite"),
        &tenant,
        json!({"invitees": [{"id": t.open_id(2), "user_type": 1}]}),
    )
    .await
    .err(400, 99991663);
    t.patch(&format!("{VC}/meetings/{meeting}/end"), &tenant, json!({}))
        .await
        .err(400, 99991663);
    t.post(&format!("{VC}/rooms/search"), &tenant, json!({}))
        .await
        .err(400, 99991663);
    // A user token on the tenant-only kickout: 99991668 "user access token not support".
    let a = t
        .post(
            &format!("{VC}/meetings/{meeting}/kickout"),
            &user,
            json!({"kickout_users": [{"id": t.open_id(1), "user_type": 1}]}),
        )
        .await;
    a.err(400, 99991668);
    assert_eq!(a.body["msg"], "user access token not support");
    // The meeting is still live and the participant still in it.
    assert!(t.fs.meetings()[0].live);

    // Expired user token: 99991677 (after 2 h on the sim clock).
    t.fs.advance_clock(7201);
    t.get(&rooms, &user).await.err(400, 99991677);
}

#[tokio::test]
async fn scopes_are_checked_for_the_app_and_the_user() {
    let t = start().await;
    let tenant = t.tenant().await;
    // The user granted no room scope: 99991679 (re-authorize).
    let reserve_only = t.fs.authorize_user("vc:reserve").access_token;
    t.get(&format!("{VC}/rooms"), &reserve_only)
        .await
        .err(400, 99991679);
    // The app lacks the room scopes: 99991672 with permission_violations.
    let mut options = t.fs.options();
    options.app_scopes.retain(|s| !s.starts_with("vc:room"));
    t.fs.set_options(options);
    let a = t.get(&format!("{VC}/rooms"), &tenant).await;
    a.err(400, 99991672);
    let violations = a.body["error"]["permission_violations"].as_array().unwrap();
    assert!(violations
        .iter()
        .any(|v| v["subject"] == "vc:room:readonly"));
}

#[tokio::test]
async fn the_authorization_page_has_a_form_that_redirects_with_code_and_state() {
    let t = start().await;
    let challenge = s256(VERIFIER);
    let query = serde_urlencoded::to_string([
        ("client_id", t.creds.app_id.as_str()),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", ALL_SCOPES),
        ("state", "xyz"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ])
    .unwrap();
    let resp = t
        .http
        .get(t.url(&format!("{}?{query}", t.creds.authorize_path)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("x-tt-logid").is_some());
    let html = resp.text().await.unwrap();
    for needle in [
        "id=\"approve\"",
        "id=\"deny\"",
        "method=\"post\"",
        "action=\"/open-apis/authen/v1/authorize\"",
        &t.creds.user_name,
        &challenge,
    ] {
        assert!(html.contains(needle), "{needle} missing in {html}");
    }

    // The form posts its hidden fields back with the button's decision.
    let base = [
        ("client_id", t.creds.app_id.as_str()),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", ALL_SCOPES),
        ("state", "xyz"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let mut approve = base.to_vec();
    approve.push(("decision", "approve"));
    let (status, loc) = t.consent(&approve).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(loc.starts_with(REDIRECT), "{loc}");
    assert_eq!(query_param(&loc, "state").as_deref(), Some("xyz"));
    let code = query_param(&loc, "code").unwrap();
    let a = t.exchange(&code).await;
    assert_eq!((a.status, a.code()), (StatusCode::OK, 0), "{}", a.body);

    let mut deny = base.to_vec();
    deny.push(("decision", "deny"));
    let (status, loc) = t.consent(&deny).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(query_param(&loc, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&loc, "code"), None);

    // Never redirected to a non-loopback URI or for another app: an error page.
    let mut evil = base.to_vec();
    evil[2] = ("redirect_uri", "https://evil.example/cb");
    evil.push(("decision", "approve"));
    let (status, loc) = t.consent(&evil).await;
    assert_eq!((status, loc.as_str()), (StatusCode::BAD_REQUEST, ""));
    let mut other = base.to_vec();
    other[0] = ("client_id", "cli_other");
    other.push(("decision", "approve"));
    assert_eq!(t.consent(&other).await.0, StatusCode::BAD_REQUEST);
    // A bad challenge method comes back as an OAuth error on the redirect.
    let mut bad = base.to_vec();
    bad[6] = ("code_challenge_method", "MD5");
    bad.push(("decision", "approve"));
    let (_, loc) = t.consent(&bad).await;
    assert_eq!(
        query_param(&loc, "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn code_exchange_checks_pkce_and_is_single_use() {
    let t = start().await;
    let code = t.code(ALL_SCOPES).await;
    // Wrong verifier: 20049, and the code is not consumed by the failure.
    let a = t
        .oauth(json!({
            "grant_type": "authorization_code", "client_id": t.creds.app_id,
            "client_secret": t.creds.app_secret, "code": code,
            "code_verifier": "A".repeat(43),
        }))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (400, 20049), "{}", a.body);
    // No verifier at all: 20049.
    let a = t
        .oauth(json!({
            "grant_type": "authorization_code", "client_id": t.creds.app_id,
            "client_secret": t.creds.app_secret, "code": code,
        }))
        .await;
    assert_eq!(a.code(), 20049);
    // Wrong secret: 20002; another redirect_uri: 20071.
    let a = t
        .oauth(json!({
            "grant_type": "authorization_code", "client_id": t.creds.app_id,
            "client_secret": "nope", "code": code, "code_verifier": VERIFIER,
        }))
        .await;
    assert_eq!(a.code(), 20002);
    let a = t
        .oauth(json!({
            "grant_type": "authorization_code", "client_id": t.creds.app_id,
            "client_secret": t.creds.app_secret, "code": code, "code_verifier": VERIFIER,
            "redirect_uri": "http://127.0.0.1:1/other",
        }))
        .await;
    assert_eq!(a.code(), 20071);

    let a = t.exchange(&code).await;
    assert_eq!(a.code(), 0, "{}", a.body);
    // RFC 6749 style, flat (note §3.3).
    assert!(a.body.get("data").is_none());
    assert_eq!(a.body["token_type"], "Bearer");
    assert_eq!(a.body["expires_in"], 7200);
    let access = a.body["access_token"].as_str().unwrap();
    assert!(access.starts_with("eyJ") && access.len() > 1000 && access.len() < 4096);
    assert!(a.body["refresh_token"].as_str().is_some());
    assert_eq!(a.body["refresh_token_expires_in"], 604_800);
    t.get(&format!("{VC}/rooms"), access).await.ok();
    assert!(t.fs.accepted_tokens().iter().any(|x| x == access));

    // The same code again: 20065; an unknown one: 20003; a bad grant type: 20036.
    assert_eq!(t.exchange(&code).await.code(), 20065);
    assert_eq!(t.exchange("nosuchcode").await.code(), 20003);
    let a = t
        .oauth(json!({"grant_type": "password", "client_id": t.creds.app_id, "client_secret": t.creds.app_secret}))
        .await;
    assert_eq!(a.code(), 20036);

    // A code older than 5 minutes: 20004.
    let late = t.code(ALL_SCOPES).await;
    t.advance(301).await;
    assert_eq!(t.exchange(&late).await.code(), 20004);
}

#[tokio::test]
async fn the_token_endpoint_also_takes_a_form_body() {
    let t = start().await;
    let code = t.code("vc:reserve").await;
    let resp = t
        .http
        .post(t.url("/open-apis/authen/v2/oauth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(
            serde_urlencoded::to_string([
                ("grant_type", "authorization_code"),
                ("client_id", &t.creds.app_id),
                ("client_secret", &t.creds.app_secret),
                ("code", &code),
                ("code_verifier", VERIFIER),
            ])
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let a = read(resp).await;
    assert_eq!(a.code(), 0, "{}", a.body);
    // Without offline_access there is no refresh token (note §3.3).
    assert!(a.body.get("refresh_token").is_none());
}

#[tokio::test]
async fn refresh_tokens_work_once_and_expire() {
    let t = start().await;
    let code = t.code(ALL_SCOPES).await;
    let first = t.exchange(&code).await;
    let r1 = first.body["refresh_token"].as_str().unwrap().to_owned();

    let second = t.refresh(&r1).await;
    assert_eq!(second.code(), 0, "{}", second.body);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    t.get(
        &format!("{VC}/rooms"),
        second.body["access_token"].as_str().unwrap(),
    )
    .await
    .ok();
    // Used twice: 400/20073 (note §3.3, §13).
    let again = t.refresh(&r1).await;
    assert_eq!((again.status.as_u16(), again.code()), (400, 20073));
    assert_eq!(again.body["error"], "invalid_grant");
    // Unknown: 20026.
    assert_eq!(t.refresh("eyJnope").await.code(), 20026);
    // The app's refresh switch off: 20074.
    let mut o = t.fs.options();
    o.refresh_enabled = false;
    t.fs.set_options(o.clone());
    assert_eq!(t.refresh(&r2).await.code(), 20074);
    o.refresh_enabled = true;
    t.fs.set_options(o);
    // Expired after refresh_token_expires_in (604800 s): 20037.
    t.advance(604_801).await;
    assert_eq!(t.refresh(&r2).await.code(), 20037);
}

#[tokio::test]
async fn the_expire_tokens_fault_expires_every_token() {
    let t = start().await;
    let tenant = t.tenant().await;
    let user = t.user();
    t.arm(json!({"kind": "expire_tokens", "remaining": 1, "path_prefix": "/open-apis/vc"}))
        .await;
    t.get(&format!("{VC}/rooms"), &tenant)
        .await
        .err(400, 99991663);
    t.get(&format!("{VC}/rooms"), &user)
        .await
        .err(400, 99991677);
    // A fresh tenant token works again.
    let fresh = t.tenant().await;
    assert_ne!(fresh, tenant);
    t.get(&format!("{VC}/rooms"), &fresh).await.ok();
}

#[tokio::test]
async fn refreshing_stops_365_days_after_consent_and_on_revocation() {
    let t = start().await;
    let code = t.code(ALL_SCOPES).await;
    let mut refresh = t.exchange(&code).await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Refresh every 6 days (inside the 7-day refresh lifetime): fine until day 365.
    let mut day = 0;
    loop {
        t.fs.advance_clock(6 * 86_400);
        day += 6;
        let a = t.refresh(&refresh).await;
        if day < 365 {
            assert_eq!(a.code(), 0, "day {day}: {}", a.body);
            refresh = a.body["refresh_token"].as_str().unwrap().to_owned();
        } else {
            // Note §3.3: 365 days after the authorization, 20037 and a new consent.
            assert_eq!(a.code(), 20037, "day {day}: {}", a.body);
            break;
        }
        assert!(day < 400, "bounded");
    }
    // A new consent starts over; a revoked grant: 20064.
    let code = t.code(ALL_SCOPES).await;
    let r = t.exchange(&code).await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    t.fs.revoke_refresh_tokens();
    assert_eq!(t.refresh(&r).await.code(), 20064);
}

#[tokio::test]
async fn app_access_token_internal_answers_both_tokens_flat() {
    let t = start().await;
    let resp = t
        .http
        .post(t.url("/open-apis/auth/v3/app_access_token/internal"))
        .header("Content-Type", "application/json; charset=utf-8")
        .body(json!({"app_id": t.creds.app_id, "app_secret": t.creds.app_secret}).to_string())
        .send()
        .await
        .unwrap();
    let a = read(resp).await;
    assert_eq!(a.code(), 0, "{}", a.body);
    assert_eq!(a.body["expire"], 7200);
    let tenant = a.body["tenant_access_token"].as_str().unwrap();
    assert_eq!(a.body["app_access_token"], tenant);
    // The same 30-minute rule: the tenant endpoint hands back the same token.
    assert_eq!(t.tenant().await, tenant);
    let resp = t
        .http
        .post(t.url("/open-apis/auth/v3/app_access_token/internal"))
        .body(json!({"app_id": t.creds.app_id, "app_secret": "x"}).to_string())
        .send()
        .await
        .unwrap();
    let a = read(resp).await;
    assert_eq!((a.status, a.code()), (StatusCode::OK, 10014));
    assert!(a.body.get("app_access_token").is_none());
}
