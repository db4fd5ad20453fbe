//! Test helpers for the CloudRoom fake: a sim on an ephemeral port and requests signed as the
//! document says (L20-L35: four X-CR-* headers, sha256(secretId&timestamp&secretKey)).
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use huiyi_sim::cloudroom::{CloudroomSim, SandboxCredentials};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const V2: &str = "/CLOUDROOM-SERVER/v2";

pub struct TestSim {
    pub sim: Sim,
    pub base: String,
    pub cr: CloudroomSim,
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
    start_in_opt(None).await
}

pub async fn start_in(dir: &Path) -> TestSim {
    start_in_opt(Some(dir)).await
}

async fn start_in_opt(dir: Option<&Path>) -> TestSim {
    let sim = Sim::start(SimConfig {
        state_dir: dir.map(Path::to_path_buf),
        vendors: vec![SimVendor::Cloudroom],
        port: 0,
    })
    .await
    .expect("sim starts");
    let l = sim
        .listeners()
        .iter()
        .find(|l| l.vendor == "cloudroom")
        .expect("cloudroom listener")
        .clone();
    let cr = sim.cloudroom().expect("cloudroom handle");
    let creds = cr.credentials();
    TestSim {
        sim,
        base: l.base_url,
        cr,
        creds,
        http: client(),
    }
}

/// The four headers for `id`/`key` at timestamp `ts`.
pub fn headers(id: &str, key: &str, ts: &str) -> Vec<(String, String)> {
    vec![
        ("X-CR-SecretId".into(), id.into()),
        ("X-CR-Timestamp".into(), ts.into()),
        (
            "X-CR-Signature".into(),
            huiyi_sim::cloudroom::sign(id, ts, key),
        ),
        ("X-CR-RequestId".into(), format!("req-{}", rand_suffix())),
    ]
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{V2}{path}", self.base)
    }

    pub fn now(&self) -> i64 {
        self.cr.now().timestamp()
    }

    /// The company's headers at the sim's now.
    pub fn signed(&self) -> Vec<(String, String)> {
        headers(
            &self.creds.secret_id,
            &self.creds.secret_key,
            &self.now().to_string(),
        )
    }

    /// A request with exactly these headers; `body` None = no body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        hdrs: &[(String, String)],
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        for (k, v) in hdrs {
            req = req.header(k, v);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json; charset=UTF-8")
                .body(b.to_string());
        }
        read(req.send().await.expect("answered")).await
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        self.raw(method, path, &self.signed(), body).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }

    pub async fn create(&self, body: Value) -> (StatusCode, Value) {
        self.post("/conference", &body).await
    }

    /// Create and return the confId, asserting success.
    pub async fn create_ok(&self, body: Value) -> i64 {
        let (s, v) = self.create(body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            v.as_object().map(|o| o.len()),
            Some(1),
            "bare {{confId}}: {v}"
        );
        v["confId"].as_i64().expect("Long confId")
    }

    /// A meeting an hour from now, for `minutes`.
    pub fn scheduled(&self, subject: &str, minutes: i64) -> Value {
        let start = self.now() + 3600;
        json!({"subject": subject, "orderConfig": {
            "scheduleTime": start, "scheduleEndTime": start + minutes * 60,
        }})
    }

    pub async fn detail(&self, id: i64) -> Value {
        let (s, v) = self.get(&format!("/conference/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["confDetail"].clone()
    }

    pub async fn join(&self, id: i64, query: &str) -> (StatusCode, Value) {
        self.get(&format!("/conference/{id}/join?{query}")).await
    }

    pub async fn list(&self, query: &str) -> (StatusCode, Value) {
        self.get(&format!("/conference/list?{query}")).await
    }

    pub async fn history(&self, query: &str) -> (StatusCode, Value) {
        self.get(&format!("/conference/history/list?{query}")).await
    }

    /// Freeze the sim clock at `t` (Unix seconds).
    pub fn set_clock(&self, t: i64) {
        self.cr.freeze_clock();
        self.cr.advance_clock(t - self.now());
    }
}

/// Status and JSON body; a non-JSON body reads as a string.
pub async fn read(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let bytes = resp.bytes().await.expect("body");
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

/// A refusal: the code's HTTP status (400 auth, 429 frequency, 500 business) and exactly
/// `{code, msg}` with the document's message.
pub fn assert_code(got: &(StatusCode, Value), code: i64) {
    let want = huiyi_sim::cloudroom::http_status(code);
    assert_eq!(
        got.0.as_u16(),
        want.as_u16(),
        "HTTP status for {code}: {}",
        got.1
    );
    assert_eq!(got.1["code"], code, "{}", got.1);
    assert_eq!(
        got.1["msg"],
        huiyi_sim::cloudroom::message(code),
        "{}",
        got.1
    );
    assert_eq!(got.1.as_object().map(|o| o.len()), Some(2), "{}", got.1);
}

pub fn assert_empty_ok(got: &(StatusCode, Value)) {
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    assert_eq!(got.1, json!({}));
}
