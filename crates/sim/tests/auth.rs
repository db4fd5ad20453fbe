//! Chapter 3 over real HTTP: App ID signature checks, account auth, token store rules.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::{assert_error, start, token_of, TestSim};
use huiyi_sim::huawei::SandboxCredentials;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const LIST: &str = "/v1/mmc/management/conferences";

/// Note §2.5 COMPUTED vector 1: the document's own request example (L588-613) signed with the
/// sample app_key of L26608.
const V1_APP_ID: &str = "fdb8e4699586458bbd10c834872dcc62";
const V1_APP_KEY: &str = "123asdkfieijfaidsjfanadifjadifjifsdghajusdiwewea123344o4adfdkfo";
const V1_SIGNATURE: &str = "ff6e65a69dcbd4dac1c1dcd9ace80154ce186f799f83bbf7bbf1272f7f40449a";
const V1_EXPIRE: i64 = 1_627_722_929;

/// Give the sim the vector's credentials and move its clock to just before the vector's
/// expireTime (2021-07-31), so the signed request is still valid.
fn prepare_vector_1(t: &TestSim) {
    let mut creds = t.creds.clone();
    creds.app_id = V1_APP_ID.to_owned();
    creds.app_key = V1_APP_KEY.to_owned();
    t.hw.set_credentials(creds);
    let now = t.hw.now().timestamp();
    t.hw.advance_clock(V1_EXPIRE - 600 - now);
}

fn vector_1_body() -> Value {
    json!({"appId": V1_APP_ID, "clientType": 72, "expireTime": V1_EXPIRE,
           "nonce": "EyclQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv162d42d92s", "userEmail": "*****",
           "userId": "testuser@mycorp.com", "userName": "testuser", "userPhone": "173****9092"})
}

#[tokio::test]
async fn documented_vector_1_is_accepted_in_lower_and_upper_case() {
    let t = start().await;
    prepare_vector_1(&t);
    let header = format!(
        "HMAC-SHA256 signature={V1_SIGNATURE},access=ZmRiOGU0Njk5NTg2NDU4YmJkMTBjODM0ODcyZGNjNjI="
    );
    let (status, login) = t.post_app_auth(&header, &vector_1_body()).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = token_of(&login);
    assert!(token.starts_with("cnr") && token.len() == 40, "{token}");
    let valid = login["validPeriod"].as_i64().unwrap();
    assert!((43_200..=86_400).contains(&valid), "validPeriod {valid}");
    assert_eq!(login["refreshValidPeriod"], 2_592_000);
    assert_eq!(
        login["expireTime"].as_i64().unwrap() - login["createTime"].as_i64().unwrap() / 1000,
        valid
    );
    assert_eq!(login["user"]["thirdAccount"], "testuser@mycorp.com");
    assert_eq!(login["user"]["appId"], V1_APP_ID);
    assert_eq!(login["user"]["adminType"], 2);
    assert_eq!(login["clientType"], 72);

    // The official SDK sends upper-case hex: same request, same answer.
    let upper = header.replace(V1_SIGNATURE, &V1_SIGNATURE.to_uppercase());
    let (status, login) = t.post_app_auth(&upper, &vector_1_body()).await;
    assert_eq!(status, StatusCode::OK, "{login}");

    // And the token works on the meeting API.
    let (status, page) = t.list(&token, "").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn sdk_style_request_without_token_type_and_with_null_corp_id_is_accepted() {
    let t = start().await;
    let (header, mut body) = t.app_auth_request(&t.creds.user_id);
    body["corpId"] = Value::Null;
    body["deptCode"] = Value::Null;
    body["clientType"] = json!("72");
    let resp = t
        .http
        .post(t.url("/v2/usg/acs/auth/appauth"))
        .header("Authorization", header)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let got = common::read(resp).await;
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn every_broken_app_auth_is_401_app_auth_failed() {
    let t = start().await;
    let (good_header, good_body) = t.app_auth_request(&t.creds.user_id);

    // One hex digit flipped.
    let sig_at = good_header.find("signature=").unwrap() + "signature=".len();
    let mut flipped = good_header.clone();
    let c = &good_header[sig_at..sig_at + 1];
    flipped.replace_range(sig_at..sig_at + 1, if c == "0" { "1" } else { "0" });
    let got = t.post_app_auth(&flipped, &good_body).await;
    assert_error(&got, 401, "USG.206010025");
    assert_eq!(got.1["error_msg"], "App auth failed.");

    // access is not base64(appId).
    let wrong_access = format!(
        "{},access={}",
        good_header.split(",access=").next().unwrap(),
        B64.encode("other")
    );
    assert_error(
        &t.post_app_auth(&wrong_access, &good_body).await,
        401,
        "USG.206010025",
    );

    // Body userId differs from the signed one.
    let mut other_user = good_body.clone();
    other_user["userId"] = json!("mallory");
    assert_error(
        &t.post_app_auth(&good_header, &other_user).await,
        401,
        "USG.206010025",
    );

    // clientType other than 72.
    let mut other_client = good_body.clone();
    other_client["clientType"] = json!(71);
    assert_error(
        &t.post_app_auth(&good_header, &other_client).await,
        401,
        "USG.206010025",
    );

    // corpId in single-enterprise mode.
    let mut corp = good_body.clone();
    corp["corpId"] = json!("651543334");
    assert_error(
        &t.post_app_auth(&good_header, &corp).await,
        401,
        "USG.206010025",
    );

    // Nonce of 31 characters, correctly signed.
    let expire = t.hw.now().timestamp() + 600;
    let short = "a".repeat(31);
    let sig = huiyi_sim::huawei::sign_app_auth(
        &t.creds.app_key,
        &t.creds.app_id,
        &t.creds.user_id,
        expire,
        &short,
    );
    let header = format!(
        "HMAC-SHA256 signature={sig},access={}",
        B64.encode(&t.creds.app_id)
    );
    let body = json!({"appId": t.creds.app_id, "clientType": 72, "expireTime": expire, "nonce": short, "userId": t.creds.user_id});
    assert_error(&t.post_app_auth(&header, &body).await, 401, "USG.206010025");

    // expireTime in the past, correctly signed.
    let past = t.hw.now().timestamp() - 5;
    let n = common::nonce();
    let sig = huiyi_sim::huawei::sign_app_auth(
        &t.creds.app_key,
        &t.creds.app_id,
        &t.creds.user_id,
        past,
        &n,
    );
    let header = format!(
        "HMAC-SHA256 signature={sig},access={}",
        B64.encode(&t.creds.app_id)
    );
    let body = json!({"appId": t.creds.app_id, "clientType": 72, "expireTime": past, "nonce": n, "userId": t.creds.user_id});
    assert_error(&t.post_app_auth(&header, &body).await, 401, "USG.206010025");

    // X-Token-Type present but not LongTicket.
    let resp = t
        .http
        .post(t.url("/v2/usg/acs/auth/appauth"))
        .header("Authorization", &good_header)
        .header("X-Token-Type", "ShortTicket")
        .json(&good_body)
        .send()
        .await
        .unwrap();
    assert_error(&common::read(resp).await, 401, "USG.206010025");

    // The untouched request still works (none of the above consumed anything).
    assert_eq!(
        t.post_app_auth(&good_header, &good_body).await.0,
        StatusCode::OK
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn expire_time_zero_and_empty_user_id_log_in_the_default_admin() {
    let t = start().await;
    let n = common::nonce();
    let sig = huiyi_sim::huawei::sign_app_auth(&t.creds.app_key, &t.creds.app_id, "", 0, &n);
    let header = format!(
        "HMAC-SHA256 signature={sig},access={}",
        B64.encode(&t.creds.app_id)
    );
    let body = json!({"appId": t.creds.app_id, "clientType": 72, "expireTime": 0, "nonce": n});
    let (status, login) = t.post_app_auth(&header, &body).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["user"]["adminType"], 0);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_65th_token_evicts_the_oldest() {
    let t = start().await;
    let first = t.token().await;
    let second = t.token().await;
    for _ in 0..63 {
        t.token().await;
    }
    assert_error(&t.list(&first, "").await, 401, "USG.201000000");
    assert_eq!(t.list(&second, "").await.0, StatusCode::OK);
    // Another user's tokens are counted separately.
    let other = t.app_token("someone-else").await;
    assert_eq!(t.list(&other, "").await.0, StatusCode::OK);
    assert_eq!(t.list(&second, "").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn token_checks_on_the_meeting_api() {
    let t = start().await;
    let token = t.token().await;
    assert_error(
        &t.call(Method::GET, LIST, None, None).await,
        400,
        "MMC.111070111",
    );
    assert_error(
        &t.list("cnrNoSuchTokenNoSuchTokenNoSuchToken1234", "").await,
        401,
        "USG.201000000",
    );
    assert_eq!(t.list(&token, "").await.0, StatusCode::OK);

    // 24 h + 1 s later every access token has expired: 400, not 401 (L27198).
    t.hw.advance_clock(86_401);
    let got = t.list(&token, "").await;
    assert_error(&got, 400, "MMC.118000001");
    assert_eq!(got.1["error_msg"], "USER_TOKEN_AUTH_FAILED");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn account_auth_with_basic_credentials() {
    let t = start().await;
    let (status, login) = t.account_login(&t.creds.account, &t.creds.password).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["user"]["ucloginAccount"], t.creds.account.as_str());
    assert_eq!(t.list(&token_of(&login), "").await.0, StatusCode::OK);

    let wrong = t.account_login(&t.creds.account, "WrongPassword1").await;
    assert_error(&wrong, 400, "USG.206010000");
    assert_eq!(wrong.1["error_msg"], "Invalid username or password.");
    assert_error(
        &t.account_login("nobody@sandbox", &t.creds.password).await,
        400,
        "USG.206010000",
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_the_tokens_and_logout_kills_them() {
    let t = start().await;
    let login = t.app_login(&t.creds.user_id).await;
    let access = token_of(&login);
    let refresh = login["refreshToken"].as_str().unwrap().to_owned();

    // The access token is not a refresh token (table L946).
    let got = t
        .call(Method::PUT, "/v1/usg/acs/token", Some(&access), None)
        .await;
    assert_error(&got, 401, "USG.201000000");

    let (status, renewed) = t
        .call(Method::PUT, "/v1/usg/acs/token", Some(&refresh), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let new_access = token_of(&renewed);
    assert_ne!(new_access, access);
    assert_eq!(t.list(&new_access, "").await.0, StatusCode::OK);
    assert_error(&t.list(&access, "").await, 401, "USG.201000000");
    // A refresh token works once.
    assert_error(
        &t.call(Method::PUT, "/v1/usg/acs/token", Some(&refresh), None)
            .await,
        401,
        "USG.201000000",
    );

    let (status, body) = t
        .call(Method::DELETE, "/v1/usg/acs/token", Some(&new_access), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Null, "logout answers an empty body");
    assert_error(&t.list(&new_access, "").await, 401, "USG.201000000");

    let issued = t.hw.issued_tokens();
    assert!(issued.contains(&access) && issued.contains(&refresh) && issued.contains(&new_access));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn request_id_is_echoed_and_unknown_paths_use_the_error_envelope() {
    let t = start().await;
    let resp = t
        .http
        .get(t.url("/v1/mmc/management/nothing-here"))
        .header("X-Request-ID", "trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "trace-123");
    let got = common::read(resp).await;
    assert_eq!(got.0, StatusCode::NOT_FOUND);
    assert!(
        got.1["error_code"].is_string() && got.1["error_msg"].is_string(),
        "{}",
        got.1
    );

    // Without one, the server makes one up.
    let resp = t.http.get(t.url("/nope")).send().await.unwrap();
    assert!(!resp.headers()["x-request-id"].is_empty());
    // A known path with an unsupported method is just as unknown.
    let got = t.call(Method::PATCH, LIST, None, None).await;
    assert_eq!(got.0, StatusCode::NOT_FOUND);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn credentials_are_random_per_fresh_sim() {
    let a = start().await;
    let b = start().await;
    let ca: &SandboxCredentials = &a.creds;
    assert_ne!(ca.app_key, b.creds.app_key);
    assert_ne!(ca.password, b.creds.password);
    assert!((8..=32).contains(&ca.password.len()));
    let info = &a.sim.listeners()[0];
    assert_eq!(info.vendor, "huawei");
    assert!(info.base_url.starts_with("http://127.0.0.1:"));
    for key in [
        "app_id",
        "app_key",
        "user_id",
        "user_name",
        "account",
        "password",
    ] {
        assert!(info.credentials[key].is_string(), "{key}");
    }
    a.sim.shutdown().await;
    b.sim.shutdown().await;
}
