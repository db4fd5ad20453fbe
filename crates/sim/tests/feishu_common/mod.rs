//! Test helpers for the Feishu fake: a sim on an ephemeral port and a plain reqwest client
//! that never follows redirects (the OAuth tests read `Location`).
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use huiyi_sim::feishu::{FeishuSim, SandboxCredentials};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const VC: &str = "/open-apis/vc/v1";
/// Every VC scope the sandbox app has, plus offline_access.
pub const ALL_SCOPES: &str =
    "vc:reserve vc:reserve:readonly vc:meeting vc:meeting:readonly vc:room:readonly offline_access";
pub const REDIRECT: &str = "http://127.0.0.1:53682/callback";

pub struct TestSim {
    pub sim: Sim,
    pub base: String,
    pub fs: FeishuSim,
    pub creds: SandboxCredentials,
    pub http: reqwest::Client,
}

/// An answer: status, headers, JSON body (Null when the body is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> i64 {
        self.body["code"].as_i64().unwrap_or(-1)
    }
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn logid(&self) -> &str {
        self.headers
            .get("x-tt-logid")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// Assert code 0 with HTTP 200, and return data.
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(
            (self.status, self.code()),
            (StatusCode::OK, 0),
            "{}",
            self.body
        );
        assert_eq!(self.body["msg"], "success");
        self.data()
    }
    /// Assert an error: HTTP status and code, and the error object with this answer's log id.
    #[track_caller]
    pub fn err(&self, http: u16, code: i64) {
        assert_eq!(
            (self.status.as_u16(), self.code()),
            (http, code),
            "{}",
            self.body
        );
        assert!(!self.logid().is_empty());
        assert_eq!(self.body["error"]["log_id"], self.logid(), "{}", self.body);
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

pub async fn start() -> TestSim {
    start_with(None).await
}

pub async fn start_with(dir: Option<&Path>) -> TestSim {
    let sim = Sim::start(SimConfig {
        state_dir: dir.map(Path::to_path_buf),
        vendors: vec![SimVendor::Feishu],
        port: 0,
    })
    .await
    .expect("sim starts");
    let base = sim.listeners()[0].base_url.clone();
    let fs = sim.feishu().expect("feishu handle");
    let creds = fs.credentials();
    TestSim {
        sim,
        base,
        fs,
        creds,
        http: client(),
    }
}

/// S256 challenge of a verifier (RFC 7636 §4.2).
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9RbY0Mvpx-Wy9k8YGGuK5zNAh0a1b2c3d4e5f6";

pub async fn read(resp: reqwest::Response) -> Answer {
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("body");
    Answer {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A call with `Authorization: Bearer <token>` (no header when `token` is None).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json; charset=utf-8")
                .body(b.to_string());
        }
        read(req.send().await.expect("answered")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// `POST /open-apis/auth/v3/tenant_access_token/internal` with this body.
    pub async fn tenant_raw(&self, body: Value) -> Answer {
        let resp = self
            .http
            .post(self.url("/open-apis/auth/v3/tenant_access_token/internal"))
            .header("Content-Type", "application/json; charset=utf-8")
            .body(body.to_string())
            .send()
            .await
            .expect("answered");
        read(resp).await
    }

    /// A tenant_access_token for the sandbox app.
    pub async fn tenant(&self) -> String {
        let a = self
            .tenant_raw(json!({"app_id": self.creds.app_id, "app_secret": self.creds.app_secret}))
            .await;
        assert_eq!(a.code(), 0, "{}", a.body);
        a.body["tenant_access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    /// A user_access_token of the sandbox user with every scope.
    pub fn user(&self) -> String {
        self.fs.authorize_user(ALL_SCOPES).access_token
    }

    /// A user_access_token of the n-th user.
    pub fn user_n(&self, n: usize) -> String {
        self.fs.authorize_user_as(n, ALL_SCOPES).access_token
    }

    pub fn open_id(&self, n: usize) -> String {
        self.fs.users()[n].open_id.clone()
    }

    /// `end_time` `secs` from the sim's now, as the docs' string.
    pub fn end_in(&self, secs: i64) -> String {
        (self.fs.now().timestamp() + secs).to_string()
    }

    /// Apply for a reserve with a user token; returns data.reserve.
    pub async fn apply(&self, token: &str, settings: Value) -> Value {
        let a = self
            .post(
                &format!("{VC}/reserves/apply"),
                token,
                json!({"end_time": self.end_in(86_400), "meeting_settings": settings}),
            )
            .await;
        a.ok()["reserve"].clone()
    }

    /// POST to the token endpoint.
    pub async fn oauth(&self, body: Value) -> Answer {
        let resp = self
            .http
            .post(self.url("/open-apis/authen/v2/oauth/token"))
            .header("Content-Type", "application/json; charset=utf-8")
            .body(body.to_string())
            .send()
            .await
            .expect("answered");
        read(resp).await
    }

    /// Complete the consent form by a plain HTTP POST; returns the `Location` header.
    pub async fn consent(&self, params: &[(&str, &str)]) -> (StatusCode, String) {
        let resp = self
            .http
            .post(self.url("/open-apis/authen/v1/authorize"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(params).expect("form"))
            .send()
            .await
            .expect("answered");
        let status = resp.status();
        let loc = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, loc)
    }

    /// A code for the sandbox user through the consent form, with PKCE S256 of `VERIFIER`.
    pub async fn code(&self, scope: &str) -> String {
        let challenge = s256(VERIFIER);
        let (status, loc) = self
            .consent(&[
                ("client_id", &self.creds.app_id),
                ("response_type", "code"),
                ("redirect_uri", REDIRECT),
                ("scope", scope),
                ("state", "st8"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("decision", "approve"),
            ])
            .await;
        assert_eq!(status, StatusCode::FOUND);
        query_param(&loc, "code").expect("code in Location")
    }

    /// Exchange `code` with `VERIFIER`.
    pub async fn exchange(&self, code: &str) -> Answer {
        self.oauth(json!({
            "grant_type": "authorization_code",
            "client_id": self.creds.app_id,
            "client_secret": self.creds.app_secret,
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": VERIFIER,
        }))
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Answer {
        self.oauth(json!({
            "grant_type": "refresh_token",
            "client_id": self.creds.app_id,
            "client_secret": self.creds.app_secret,
            "refresh_token": refresh_token,
        }))
        .await
    }

    /// Start a meeting under `reserve_id` through the control endpoint; the meeting id.
    pub async fn start_meeting(&self, reserve_id: &str, others: &[String]) -> String {
        let resp = self
            .http
            .post(self.url("/__sim/start_meeting"))
            .body(json!({"reserve_id": reserve_id, "participants": others}).to_string())
            .send()
            .await
            .expect("answered");
        let a = read(resp).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body["meeting_id"]
            .as_str()
            .expect("meeting_id")
            .to_owned()
    }

    pub async fn arm(&self, fault: Value) {
        let resp = self
            .http
            .post(self.url("/__sim/faults"))
            .body(fault.to_string())
            .send()
            .await
            .expect("answered");
        assert!(resp.status().is_success());
    }

    pub async fn advance(&self, secs: i64) {
        let resp = self
            .http
            .post(self.url("/__sim/clock"))
            .body(json!({"advance_seconds": secs}).to_string())
            .send()
            .await
            .expect("answered");
        assert!(resp.status().is_success());
    }
}

/// The value of `name` in the query of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}
