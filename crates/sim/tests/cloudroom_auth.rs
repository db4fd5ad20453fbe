//! CloudRoom authentication over HTTP: the four X-CR-* headers (L20-L35), the document's
//! signature example (L43-L49), the 5-minute window, every auth code 22001-22009 (L1088-L1103)
//! and the Date header a client corrects its skew from.

#[path = "cloudroom_common/mod.rs"]
mod common;

use common::{assert_code, headers, start};
use huiyi_sim::cloudroom::CloudroomOptions;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn without(h: &[(String, String)], name: &str) -> Vec<(String, String)> {
    h.iter().filter(|(k, _)| k != name).cloned().collect()
}

fn with(h: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut h = without(h, name);
    h.push((name.to_owned(), value.to_owned()));
    h
}

#[tokio::test]
async fn the_documents_signature_example_verifies() {
    let t = start().await;
    // L43-L49: secretId, secretKey, timestamp 1622098479 → edda7467…0f25.
    t.cr.set_company_key("6mioUaDlFdf3Bagt3s", "t02npiEZn82WqRl26Nfb0stD89bZkwTT");
    t.set_clock(1_622_098_479);
    let h = vec![
        ("X-CR-SecretId".to_owned(), "6mioUaDlFdf3Bagt3s".to_owned()),
        ("X-CR-Timestamp".to_owned(), "1622098479".to_owned()),
        (
            "X-CR-Signature".to_owned(),
            "edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f25".to_owned(),
        ),
        (
            "X-CR-RequestId".to_owned(),
            "3f1c7d0e-0000-4000-8000-000000000001".to_owned(),
        ),
    ];
    let got = t.raw(Method::GET, "/conference/list", &h, None).await;
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    assert_eq!(
        t.cr.accepted_signatures(),
        vec!["edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f25".to_owned()]
    );
    // One character off is 22005.
    let bad = with(
        &h,
        "X-CR-Signature",
        "edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f26",
    );
    assert_code(
        &t.raw(Method::GET, "/conference/list", &bad, None).await,
        22005,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn each_missing_header_has_its_code_in_order() {
    let t = start().await;
    let h = t.signed();
    let get = |h: Vec<(String, String)>| {
        let t = &t;
        async move { t.raw(Method::GET, "/conference/list", &h, None).await }
    };
    assert_code(&get(vec![]).await, 22001);
    assert_code(&get(without(&h, "X-CR-SecretId")).await, 22001);
    assert_code(&get(with(&h, "X-CR-SecretId", "")).await, 22001);
    assert_code(&get(without(&h, "X-CR-Timestamp")).await, 22002);
    assert_code(&get(with(&h, "X-CR-Timestamp", "")).await, 22002);
    assert_code(&get(without(&h, "X-CR-Signature")).await, 22003);
    // Headers only: the same values in the query string do not count (L33).
    let q: String = h
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let got = t
        .raw(Method::GET, &format!("/conference/list?{q}"), &[], None)
        .await;
    assert_code(&got, 22001);
    // A missing RequestId has no code (L29 vs L1094-L1103): served, and recorded as missing.
    let got = get(without(&h, "X-CR-RequestId")).await;
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    assert_eq!(t.cr.request_ids().last(), Some(&None));
    let got = get(h.clone()).await;
    assert_eq!(got.0, StatusCode::OK);
    assert!(t
        .cr
        .request_ids()
        .last()
        .unwrap()
        .as_deref()
        .unwrap()
        .starts_with("req-"));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn timestamp_format_account_and_permission_codes() {
    let t = start().await;
    let h = t.signed();
    let get = |h: Vec<(String, String)>| {
        let t = &t;
        async move { t.raw(Method::GET, "/conference/list", &h, None).await }
    };
    for bad in ["abc", "1622098479.5", "1e9", "0x10", "99999999999999999999"] {
        assert_code(&get(with(&h, "X-CR-Timestamp", bad)).await, 22009);
    }
    // Unknown secretId (22006) is checked before the signature.
    let other = headers("NoSuchSecretId0000", "whatever", &t.now().to_string());
    assert_code(&get(other).await, 22006);
    // The company without API permission (22007).
    t.cr.set_options(CloudroomOptions {
        api_enabled: false,
        ..CloudroomOptions::default()
    });
    assert_code(&get(t.signed()).await, 22007);
    t.cr.set_options(CloudroomOptions::default());
    assert_eq!(get(t.signed()).await.0, StatusCode::OK);
    // The platform key is for the company endpoints only (L730), and vice versa: 22224.
    let p = t.cr.platform_credentials();
    let ph = headers(&p.secret_id, &p.secret_key, &t.now().to_string());
    assert_code(&get(ph.clone()).await, 22224);
    let body = json!({"compGUID": "g1", "compName": "n", "admin": "a@x", "adminName": "A", "adminPwd": "123456"});
    assert_code(
        &t.raw(Method::POST, "/company", &t.signed(), Some(&body))
            .await,
        22224,
    );
    let got = t.raw(Method::POST, "/company", &ph, Some(&body)).await;
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_five_minute_window_by_the_sim_clock() {
    let t = start().await;
    t.set_clock(1_700_000_000);
    let at = |ts: i64| headers(&t.creds.secret_id, &t.creds.secret_key, &ts.to_string());
    let get = |h: Vec<(String, String)>| {
        let t = &t;
        async move { t.raw(Method::GET, "/conference/list", &h, None).await }
    };
    let now = 1_700_000_000;
    for ok in [now - 300, now + 300, now] {
        assert_eq!(get(at(ok)).await.0, StatusCode::OK, "{ok}");
    }
    for stale in [now - 301, now + 301] {
        assert_code(&get(at(stale)).await, 22004);
    }
    // Milliseconds are a valid Long, just far away: 22004, not 22009 (note §2.2).
    assert_code(&get(at(now * 1000)).await, 22004);
    // The server's clock moves: the same signature expires.
    let h = at(now);
    assert_eq!(get(h.clone()).await.0, StatusCode::OK);
    t.cr.advance_clock(301);
    assert_code(&get(h.clone()).await, 22004);
    // Skew the server back: a client's "now" is then in its future.
    t.cr.advance_clock(-900);
    assert_code(&get(at(now)).await, 22004);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn signature_is_lowercase_hex_over_id_timestamp_key_only() {
    let t = start().await;
    let h = t.signed();
    let sig = h
        .iter()
        .find(|(k, _)| k == "X-CR-Signature")
        .unwrap()
        .1
        .clone();
    let get = |h: Vec<(String, String)>| {
        let t = &t;
        async move { t.raw(Method::GET, "/conference/list", &h, None).await }
    };
    assert_code(
        &get(with(&h, "X-CR-Signature", &sig.to_uppercase())).await,
        22005,
    );
    t.cr.set_options(CloudroomOptions {
        lenient_signature_case: true,
        ..CloudroomOptions::default()
    });
    assert_eq!(
        get(with(&h, "X-CR-Signature", &sig.to_uppercase())).await.0,
        StatusCode::OK
    );
    t.cr.set_options(CloudroomOptions::default());
    // The signed timestamp must be the header's text: "+ts" or "0ts" is another string.
    let ts = t.now().to_string();
    let padded = with(&h, "X-CR-Timestamp", &format!("0{ts}"));
    assert_code(&get(padded).await, 22005);
    // Key and id swapped (a common slip) is 22005.
    let swapped = with(
        &h,
        "X-CR-Signature",
        &huiyi_sim::cloudroom::sign(&t.creds.secret_key, &ts, &t.creds.secret_id),
    );
    assert_code(&get(swapped).await, 22005);
    // Nothing else is signed: one set of headers serves other paths, methods and bodies, and
    // again (no replay code exists).
    let (s, v) = t
        .raw(
            Method::POST,
            "/conference",
            &h,
            Some(&json!({"subject": "同一签名"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(get(h.clone()).await.0, StatusCode::OK);
    assert_eq!(get(h).await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn every_answer_has_a_date_by_the_sim_clock_and_json_errors() {
    let t = start().await;
    t.set_clock(1_622_098_479);
    for h in [t.signed(), vec![]] {
        let resp = t
            .http
            .get(t.url("/conference/list"))
            .headers(
                h.iter()
                    .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
                    .collect(),
            )
            .send()
            .await
            .unwrap();
        let date = resp.headers()["date"].to_str().unwrap().to_owned();
        assert_eq!(date, "Thu, 27 May 2021 06:54:39 GMT");
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
    }
    // Unknown paths and wrong methods are business code 400 (HTTP 500), after auth.
    assert_code(&t.get("/nothing/here").await, 400);
    assert_code(
        &t.call(Method::PATCH, "/conference/12345678", None).await,
        400,
    );
    assert_code(&t.raw(Method::GET, "/nothing/here", &[], None).await, 22001);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn expire_tokens_fault_is_22004_once() {
    let t = start().await;
    t.cr.set_fault(huiyi_sim::Fault {
        kind: huiyi_sim::FaultKind::ExpireTokens,
        remaining: 1,
        path_prefix: None,
    });
    assert_code(&t.list("").await, 22004);
    assert_eq!(t.list("").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}
