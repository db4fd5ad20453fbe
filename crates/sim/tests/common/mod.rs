//! Test helpers: a sim on an ephemeral port and a plain reqwest client speaking to it over HTTP.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use huiyi_sim::huawei::{sign_app_auth, HuaweiSim, SandboxCredentials};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub struct TestSim {
    pub sim: Sim,
    pub base: String,
    pub hw: HuaweiSim,
    pub creds: SandboxCredentials,
    pub http: reqwest::Client,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

pub async fn start() -> TestSim {
    start_with(None).await
}

pub async fn start_in(dir: &Path) -> TestSim {
    start_with(Some(dir)).await
}

async fn start_with(dir: Option<&Path>) -> TestSim {
    let sim = Sim::start(SimConfig {
        state_dir: dir.map(Path::to_path_buf),
        vendors: vec![SimVendor::Huawei],
        port: 0,
    })
    .await
    .expect("sim starts");
    let base = sim.listeners()[0].base_url.clone();
    let hw = sim.huawei().expect("huawei listener");
    let creds = hw.credentials();
    TestSim {
        sim,
        base,
        hw,
        creds,
        http: client(),
    }
}

/// 40 random hex characters: a valid nonce (32-64).
pub fn nonce() -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    (0..40)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// App ID auth body + header for `user_id`, signed with the sandbox appKey.
    pub fn app_auth_request(&self, user_id: &str) -> (String, Value) {
        let expire = self.hw.now().timestamp() + 600;
        let nonce = nonce();
        let sig = sign_app_auth(
            &self.creds.app_key,
            &self.creds.app_id,
            user_id,
            expire,
            &nonce,
        );
        let header = format!(
            "HMAC-SHA256 signature={sig},access={}",
            B64.encode(&self.creds.app_id)
        );
        let mut body = json!({
            "appId": self.creds.app_id, "clientType": 72, "expireTime": expire, "nonce": nonce,
        });
        if !user_id.is_empty() {
            body["userId"] = json!(user_id);
        }
        (header, body)
    }

    pub async fn post_app_auth(&self, authorization: &str, body: &Value) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(self.url("/v2/usg/acs/auth/appauth"))
            .header("Authorization", authorization)
            .header("X-Token-Type", "LongTicket")
            .json(body)
            .send()
            .await
            .expect("appauth answered");
        read(resp).await
    }

    /// Full login response for an App ID user.
    pub async fn app_login(&self, user_id: &str) -> Value {
        let (header, body) = self.app_auth_request(user_id);
        let (status, v) = self.post_app_auth(&header, &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }

    pub async fn app_token(&self, user_id: &str) -> String {
        token_of(&self.app_login(user_id).await)
    }

    /// Access token of the sandbox App ID user.
    pub async fn token(&self) -> String {
        self.app_token(&self.creds.user_id.clone()).await
    }

    pub async fn account_login(&self, account: &str, password: &str) -> (StatusCode, Value) {
        let basic = B64.encode(format!("{account}:{password}"));
        let resp = self
            .http
            .post(self.url("/v1/usg/acs/auth/account"))
            .header("Authorization", format!("Basic {basic}"))
            .json(&json!({"account": account, "clientType": 72}))
            .send()
            .await
            .expect("account auth answered");
        read(resp).await
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.header("X-Access-Token", t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        read(req.send().await.expect("answered")).await
    }

    pub async fn create(&self, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/v1/mmc/management/conferences",
            Some(token),
            Some(&body),
        )
        .await
    }

    /// Create and return the single ConferenceInfo, asserting success.
    pub async fn create_ok(&self, token: &str, body: Value) -> Value {
        let (status, v) = self.create(token, body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let arr = v.as_array().expect("create answers a JSON array");
        assert_eq!(arr.len(), 1);
        arr[0].clone()
    }

    pub async fn list(&self, token: &str, query: &str) -> (StatusCode, Value) {
        self.call(
            Method::GET,
            &format!("/v1/mmc/management/conferences{query}"),
            Some(token),
            None,
        )
        .await
    }

    pub async fn detail(&self, token: &str, id: &str) -> (StatusCode, Value) {
        let path = format!("/v1/mmc/management/conferences/confDetail?conferenceID={id}");
        self.call(Method::GET, &path, Some(token), None).await
    }

    pub async fn edit(&self, token: &str, id: &str, body: Value) -> (StatusCode, Value) {
        let path = format!("/v1/mmc/management/conferences?conferenceID={id}");
        self.call(Method::PUT, &path, Some(token), Some(&body))
            .await
    }

    pub async fn cancel(&self, token: &str, id: &str, extra: &str) -> (StatusCode, Value) {
        let path = format!("/v1/mmc/management/conferences?conferenceID={id}{extra}");
        self.call(Method::DELETE, &path, Some(token), None).await
    }

    /// UTC "yyyy-MM-dd HH:mm", `minutes` from the sim's now.
    pub fn start_in_minutes(&self, minutes: i64) -> String {
        (self.hw.now() + chrono::Duration::minutes(minutes))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// A valid scheduled booking an hour from now.
    pub fn booking(&self, subject: &str) -> Value {
        json!({"subject": subject, "mediaTypes": "HDVideo", "startTime": self.start_in_minutes(60), "length": 45})
    }
}

pub fn token_of(login: &Value) -> String {
    login["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_owned()
}

/// Status and JSON body; an empty body reads as Null, a non-JSON body as a string.
pub async fn read(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let bytes = resp.bytes().await.expect("body");
    if bytes.is_empty() {
        return (status, Value::Null);
    }
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

/// Assert a vendor error: HTTP status and `error_code`, and the envelope's two fields.
pub fn assert_error(got: &(StatusCode, Value), status: u16, code: &str) {
    assert_eq!(got.0.as_u16(), status, "status for {code}: {}", got.1);
    assert_eq!(got.1["error_code"], code, "{}", got.1);
    assert!(got.1["error_msg"].is_string(), "{}", got.1);
}
