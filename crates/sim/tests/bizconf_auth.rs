//! BizConf token (doc L12, note §2) over real HTTP: uppercase MD5 of "userId|APIKey|timeStamp",
//! single use, fresh timeStamp, and the site sign.

#[path = "bizconf_common/mod.rs"]
mod common;

use common::{assert_ok, assert_status, get_param, params, remove_param, set_param, start};
use huiyi_sim::bizconf::{token, BizconfOptions, SandboxCredentials};

const LIST: &str = "getScheduledConfListByUserId";

#[test]
fn the_public_token_function_reproduces_the_notes_vectors() {
    // Note §2, T1 and T5 (the sim's unit tests cover all five).
    assert_eq!(
        token("101821841", "testApiKey123", "1637733600000"),
        "39F8E668110D95BFD8D0B131BFD88DA3"
    );
    assert_eq!(
        token("张三", "testApiKey123", "1637733600000"),
        "9D2627E569FFD7563F9B7073185605F4"
    );
}

#[tokio::test]
async fn the_notes_vectors_t1_and_t2_replay_against_the_sim() {
    let t = start().await;
    // The note's identity and key, and the sim clock at T1's timeStamp (2021-11-24 06:00 GMT).
    t.bc.set_credentials(SandboxCredentials {
        site_sign: t.creds.site_sign.clone(),
        user_id: "101821841".into(),
        user_name: "binsontests".into(),
        api_key: "testApiKey123".into(),
    });
    t.bc.advance_clock(1_637_733_600 - t.bc.now().timestamp());
    let t1 = params(&[
        ("userId", "101821841"),
        ("token", "39F8E668110D95BFD8D0B131BFD88DA3"),
        ("timeStamp", "1637733600000"),
        ("siteSign", &t.creds.site_sign),
    ]);
    assert_ok(&t.post_raw(LIST, &t1).await);
    // Single use (L12): the very same request again is refused.
    assert_status(&t.post_raw(LIST, &t1).await, 704);
    // T2, one millisecond later: the next request's token.
    let mut t2 = t1.clone();
    set_param(&mut t2, "timeStamp", "1637733600001");
    set_param(&mut t2, "token", "629EB715016CC914055BF4E99196B61D");
    assert_ok(&t.post_raw(LIST, &t2).await);
    // The negative vector: T1 lowercased (L12 "MD5 加密（大写）").
    let mut lower = t1.clone();
    set_param(&mut lower, "timeStamp", "1637733600002");
    let upper = token("101821841", "testApiKey123", "1637733600002");
    set_param(&mut lower, "token", &upper.to_lowercase());
    assert_status(&t.post_raw(LIST, &lower).await, 102);
    set_param(&mut lower, "token", &upper);
    assert_ok(&t.post_raw(LIST, &lower).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_lowercase_token_is_102_and_the_same_uppercase_passes() {
    let t = start().await;
    let mut p = t.signed(params(&[]));
    let good = get_param(&p, "token").unwrap().to_owned();
    assert!(good
        .bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    set_param(&mut p, "token", &good.to_lowercase());
    assert_status(&t.post_raw(LIST, &p).await, 102);
    // The refused request did not use the token up.
    set_param(&mut p, "token", &good);
    assert_ok(&t.post_raw(LIST, &p).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_key_or_identity_is_102() {
    let t = start().await;
    let ts = t.ts();
    let mut p = params(&[
        ("userId", &t.creds.user_id),
        ("timeStamp", &ts),
        ("siteSign", &t.creds.site_sign),
    ]);
    // Another API key.
    set_param(
        &mut p,
        "token",
        &token(&t.creds.user_id, "not-the-key", &ts),
    );
    assert_status(&t.post_raw(LIST, &p).await, 102);
    // The right key, but signed for another userId than the one sent.
    set_param(
        &mut p,
        "token",
        &token("someone-else", &t.creds.api_key, &ts),
    );
    assert_status(&t.post_raw(LIST, &p).await, 102);
    // Signed over another timeStamp than the one sent.
    let other = (ts.parse::<i64>().unwrap() + 1).to_string();
    set_param(
        &mut p,
        "token",
        &token(&t.creds.user_id, &t.creds.api_key, &other),
    );
    assert_status(&t.post_raw(LIST, &p).await, 102);
    // Separator spaces or a trailing pipe are a different string to sign.
    set_param(
        &mut p,
        "token",
        &token(&format!("{} ", t.creds.user_id), &t.creds.api_key, &ts),
    );
    assert_status(&t.post_raw(LIST, &p).await, 102);
    // The correct one, with the same timeStamp, still passes: refusals burn nothing.
    set_param(
        &mut p,
        "token",
        &token(&t.creds.user_id, &t.creds.api_key, &ts),
    );
    assert_ok(&t.post_raw(LIST, &p).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_replayed_token_is_refused_and_does_not_book_twice() {
    let t = start().await;
    let p = t.signed(t.booking("once"));
    assert_ok(&t.post_raw("confReservation", &p).await);
    assert_status(&t.post_raw("confReservation", &p).await, 704);
    assert_eq!(t.bc.meetings().len(), 1);
    assert_eq!(t.bc.booking_count(), 1);
    // The same userId and timeStamp on another endpoint is the same token: refused too.
    let mut list = params(&[]);
    for k in ["userId", "token", "timeStamp", "siteSign"] {
        list.push((k.into(), get_param(&p, k).unwrap().into()));
    }
    assert_status(&t.post_raw(LIST, &list).await, 704);
    // The replay code is configurable (note §7.2: 704 or 102).
    t.bc.set_options(BizconfOptions {
        replay_status: 102,
        ..t.bc.options()
    });
    assert_status(&t.post_raw(LIST, &list).await, 102);
    // A new timeStamp is a new token.
    assert_ok(&t.post(LIST, &[]).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_stale_or_future_timestamp_is_704() {
    let t = start().await;
    // Assumption documented in the sim: ±300 s by default.
    assert_eq!(t.bc.options().token_window_secs, 300);
    let now = t.bc.now().timestamp_millis();
    for (offset_s, ok) in [(-290, true), (290, true), (-310, false), (310, false)] {
        let ts = (now + offset_s * 1000).to_string();
        let p = params(&[
            ("userId", &t.creds.user_id),
            ("timeStamp", &ts),
            ("siteSign", &t.creds.site_sign),
            ("token", &token(&t.creds.user_id, &t.creds.api_key, &ts)),
        ]);
        let got = t.post_raw(LIST, &p).await;
        if ok {
            assert_ok(&got);
        } else {
            assert_status(&got, 704);
        }
    }
    // The server's clock counts: a token made now is stale once the sim clock moves on.
    let p = t.signed(params(&[]));
    t.bc.advance_clock(600);
    assert_status(&t.post_raw(LIST, &p).await, 704);
    // Seconds instead of milliseconds are 56 years in the past.
    let secs = t.bc.now().timestamp().to_string();
    let p = params(&[
        ("userId", &t.creds.user_id),
        ("timeStamp", &secs),
        ("siteSign", &t.creds.site_sign),
        ("token", &token(&t.creds.user_id, &t.creds.api_key, &secs)),
    ]);
    assert_status(&t.post_raw(LIST, &p).await, 704);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn missing_auth_parameters_are_109() {
    let t = start().await;
    for missing in ["token", "timeStamp", "siteSign", "userId"] {
        let mut p = t.signed(params(&[]));
        remove_param(&mut p, missing);
        assert_status(&t.post_raw(LIST, &p).await, 109);
    }
    // A timeStamp that is not milliseconds as a decimal number.
    let mut p = t.signed(params(&[]));
    let ts = "2026-11-23 10:00:00";
    set_param(&mut p, "timeStamp", ts);
    set_param(
        &mut p,
        "token",
        &token(&t.creds.user_id, &t.creds.api_key, ts),
    );
    assert_status(&t.post_raw(LIST, &p).await, 109);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_or_expired_site_is_106() {
    let t = start().await;
    let mut p = t.signed(params(&[]));
    set_param(&mut p, "siteSign", "no-such-site");
    assert_status(&t.post_raw(LIST, &p).await, 106);
    t.bc.set_options(BizconfOptions {
        site_expired: true,
        ..t.bc.options()
    });
    assert_status(&t.post(LIST, &[]).await, 106);
    t.bc.set_options(BizconfOptions {
        site_expired: false,
        ..t.bc.options()
    });
    assert_ok(&t.post(LIST, &[]).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn get_endpoints_take_the_token_in_the_query_and_a_json_body_is_not_read() {
    let t = start().await;
    let id = common::id_of(&t.book_ok(t.booking("query")).await);
    assert_eq!(
        t.detail_ok(&id).await["confId"]
            .as_u64()
            .unwrap()
            .to_string(),
        id
    );
    // A JSON body instead of a form (L17: x-www-form-urlencoded): the parameters are missing.
    let p = t.signed(params(&[]));
    let body: serde_json::Map<String, serde_json::Value> = p
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let resp = t.http.post(t.url(LIST)).json(&body).send().await.unwrap();
    assert_status(&common::read(resp).await, 109);
    // The charset parameter of the content type is fine.
    let resp = t
        .http
        .post(t.url(LIST))
        .header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(serde_urlencoded::to_string(&p).unwrap())
        .send()
        .await
        .unwrap();
    assert_ok(&common::read(resp).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_non_ascii_user_id_is_signed_as_utf_8() {
    let t = start().await;
    // Booking creates the user; T5's identity.
    let mut b = t.booking("utf8");
    set_param(&mut b, "userId", "张三");
    set_param(&mut b, "userName", "张三");
    t.book_ok(b).await;
    let got = t.post(LIST, &[("userId", "张三")]).await;
    assert_ok(&got);
    assert_eq!(got.1["totalItems"], 1);
    t.sim.shutdown().await;
}
