//! Tencent enterprise self-built app signing (note §2) over real HTTP: good requests pass,
//! and each failure answers its documented code in the `{"error_info":{...}}` envelope.

#[path = "tencent_common/mod.rs"]
mod common;

use common::{assert_error, nonce, remove, set, signature, start};
use huiyi_sim::tencent::SandboxCredentials;
use reqwest::StatusCode;
use serde_json::json;

#[test]
fn the_test_signer_reproduces_the_notes_vectors() {
    // Note §2.3, V1 and V4 (computed from the official SDKs' algorithm).
    let id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    let key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    assert_eq!(
        signature(
            id,
            key,
            "GET",
            "1234567",
            "1572168600",
            "/v1/meetings/7567173273889276131?userid=tester1&instanceid=1",
            ""
        ),
        "ZWM1ZTQ3NDhmYWQ1MzhhMjM0MmJmNDUyZjY5Yjc3NGQ1NDc5OTAxMDJkZGRmZDZmNjNiOGY1NzFmZDFmMWRlZA=="
    );
    assert_eq!(
        signature(
            id,
            key,
            "PUT",
            "42",
            "1700000000",
            "/v1/meetings/7567173273889276131",
            r#"{"userid":"tester1","instanceid":1,"subject":"周会"}"#
        ),
        "ZGFiMmE2MmRhNjNlMDY4ZmI4YzE5YWQ0MzdjOTJjODQ0N2IwOWFjZTVkYzFiZGMwODE4MzA4MzQwZGIzODNlNw=="
    );
    // The sim's own signer agrees.
    assert_eq!(
        huiyi_sim::tencent::sign(id, key, "POST", "1234567", "1572168600", "/v1/meetings",
            br#"{"userid":"tester1","instanceid":1,"subject":"tester's meeting","type":0,"start_time":"1572168600","end_time":"1572172200"}"#),
        "ZGMxZmE2OTY3NmE0YzE1MGJlZTJjNmRhMTlkYTgxMDQ2NTBhZTRmNjRkNDg1NWM0NjNhMzFjZjA0MTc0NzNjNQ=="
    );
}

#[tokio::test]
async fn a_signed_request_passes_and_the_notes_vector_replays_against_the_sim() {
    let t = start().await;
    let (status, v) = t.list("").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["meeting_info_list"], json!([]));

    // The documentation credentials and V2 itself, with the sim's clock set to V2's time.
    t.tc.set_credentials(SandboxCredentials {
        app_id: "200000001".into(),
        sdk_id: String::new(),
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".into(),
        secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into(),
        userid: "tester1".into(),
    });
    t.tc.advance_clock(1572168600 + 60 - t.tc.now().timestamp());
    let body = r#"{"userid":"tester1","instanceid":1,"subject":"tester's meeting","type":0,"start_time":"1572168600","end_time":"1572172200"}"#;
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("X-TC-Key".to_owned(), "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".to_owned()),
        ("X-TC-Timestamp".to_owned(), "1572168600".to_owned()),
        ("X-TC-Nonce".to_owned(), "1234567".to_owned()),
        ("X-TC-Signature".to_owned(), "ZGMxZmE2OTY3NmE0YzE1MGJlZTJjNmRhMTlkYTgxMDQ2NTBhZTRmNjRkNDg1NWM0NjNhMzFjZjA0MTc0NzNjNQ==".to_owned()),
        ("AppId".to_owned(), "200000001".to_owned()),
        ("X-TC-Registered".to_owned(), "1".to_owned()),
    ];
    let (status, v) = t.send("POST", "/v1/meetings", body, &headers).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["meeting_info_list"][0]["subject"], "tester's meeting");
    // The same request again is a replay.
    assert_error(
        &t.send("POST", "/v1/meetings", body, &headers).await,
        400,
        190301,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn clock_skew_beyond_five_minutes_is_190300() {
    let t = start().await;
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    let now = t.tc.now().timestamp();
    for (offset, ok) in [(-290, true), (290, true), (-310, false), (310, false)] {
        let h = t.headers_at("GET", &uri, "", &(now + offset).to_string(), &nonce());
        let got = t.send("GET", &uri, "", &h).await;
        if ok {
            assert_eq!(got.0, StatusCode::OK, "{offset}: {}", got.1);
        } else {
            assert_error(&got, 400, 190300);
        }
    }
    // The server's clock is what counts: moving it makes a fresh client timestamp stale.
    let h = t.headers("GET", &uri, "");
    t.tc.advance_clock(600);
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190300);
    // A timestamp that is not Unix seconds.
    let mut h = t.headers("GET", &uri, "");
    set(&mut h, "X-TC-Timestamp", "2026-11-23T10:00:00Z");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190300);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_replayed_nonce_is_190301_but_a_fresh_one_passes() {
    let t = start().await;
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    let h = t.headers("GET", &uri, "");
    assert_eq!(t.send("GET", &uri, "", &h).await.0, StatusCode::OK);
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190301);
    // A replay of a create does not create twice.
    let body = t.booking("once").to_string();
    let h = t.headers("POST", "/v1/meetings", &body);
    assert_eq!(
        t.send("POST", "/v1/meetings", &body, &h).await.0,
        StatusCode::OK
    );
    assert_error(
        &t.send("POST", "/v1/meetings", &body, &h).await,
        400,
        190301,
    );
    assert_eq!(t.tc.meetings().len(), 1);
    assert_eq!(t.list("").await.0, StatusCode::OK, "fresh nonce");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn wrong_key_app_or_sdk_id_is_190303() {
    let mut t = start().await;
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    assert!(!t.creds.sdk_id.is_empty(), "the sandbox app has an SdkId");

    let mut h = t.headers("GET", &uri, "");
    set(&mut h, "X-TC-Key", "AKIDnotthekey");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);

    let mut h = t.headers("GET", &uri, "");
    set(&mut h, "AppId", "123");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);

    let mut h = t.headers("GET", &uri, "");
    remove(&mut h, "AppId");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);

    let mut h = t.headers("GET", &uri, "");
    set(&mut h, "SdkId", "99999999999");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);

    // Assigned but not sent.
    let mut h = t.headers("GET", &uri, "");
    remove(&mut h, "SdkId");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);

    // The 190303 text says "do not send SdkId if none was assigned": an account without one.
    let mut creds = t.creds.clone();
    creds.sdk_id = String::new();
    t.tc.set_credentials(creds.clone());
    t.creds = creds;
    let mut h = t.headers("GET", &uri, "");
    assert_eq!(
        t.send("GET", &uri, "", &h).await.0,
        StatusCode::OK,
        "absent"
    );
    let mut h2 = t.headers("GET", &uri, "");
    set(&mut h2, "SdkId", "");
    assert_eq!(
        t.send("GET", &uri, "", &h2).await.0,
        StatusCode::OK,
        "empty, like the Python SDK"
    );
    set(&mut h, "SdkId", "12345678901");
    set(&mut h, "X-TC-Nonce", &nonce());
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 190303);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_bad_signature_is_200003() {
    let t = start().await;
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    let ts = t.tc.now().timestamp().to_string();

    // Signed with the wrong secret key.
    let mut h = t.headers("GET", &uri, "");
    let n = nonce();
    set(&mut h, "X-TC-Nonce", &n);
    set(&mut h, "X-TC-Timestamp", &ts);
    set(
        &mut h,
        "X-TC-Signature",
        &signature(&t.creds.secret_id, "wrong", "GET", &n, &ts, &uri, ""),
    );
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 200003);

    // Base64 of the raw digest instead of the hex (community code the note warns about).
    let mut h = t.headers("GET", &uri, "");
    let raw = {
        use base64::Engine;
        use hmac::{Hmac, KeyInit, Mac};
        let n = h.iter().find(|(k, _)| k == "X-TC-Nonce").unwrap().1.clone();
        let ts = h
            .iter()
            .find(|(k, _)| k == "X-TC-Timestamp")
            .unwrap()
            .1
            .clone();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(t.creds.secret_key.as_bytes()).unwrap();
        mac.update(
            format!(
                "GET\nX-TC-Key={}&X-TC-Nonce={n}&X-TC-Timestamp={ts}\n{uri}\n",
                t.creds.secret_id
            )
            .as_bytes(),
        );
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    };
    set(&mut h, "X-TC-Signature", &raw);
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 200003);

    // Signed for a different query order than the one sent.
    let sent = format!("/v1/meetings?instanceid=1&userid={}", t.userid());
    let h = t.headers("GET", &uri, "");
    assert_error(&t.send("GET", &sent, "", &h).await, 400, 200003);
    // ... while any order works when the signature covers what is sent (Go sorts, Python does not).
    let h = t.headers("GET", &sent, "");
    assert_eq!(t.send("GET", &sent, "", &h).await.0, StatusCode::OK);

    // A body other than the one signed (re-serialized with other whitespace).
    let body = t.booking("x");
    let signed = body.to_string();
    let h = t.headers("POST", "/v1/meetings", &signed);
    let pretty = serde_json::to_string_pretty(&body).unwrap();
    assert_error(
        &t.send("POST", "/v1/meetings", &pretty, &h).await,
        400,
        200003,
    );

    // No signature at all.
    let mut h = t.headers("GET", &uri, "");
    remove(&mut h, "X-TC-Signature");
    assert_error(&t.send("GET", &uri, "", &h).await, 400, 200003);
    assert!(t.tc.meetings().is_empty());
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_failed_signature_does_not_burn_the_nonce() {
    let t = start().await;
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    let good = t.headers("GET", &uri, "");
    let mut bad = good.clone();
    set(&mut bad, "X-TC-Signature", "AAAA");
    assert_error(&t.send("GET", &uri, "", &bad).await, 400, 200003);
    assert_eq!(t.send("GET", &uri, "", &good).await.0, StatusCode::OK);
    t.sim.shutdown().await;
}
