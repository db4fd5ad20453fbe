//! Test helpers for the Tencent fake: a sim on an ephemeral port, a plain reqwest client, and
//! a request signer written here from the note (§2.2), independent of the sim's own.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use huiyi_sim::tencent::{SandboxCredentials, TencentSim};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::Sha256;

pub struct TestSim {
    pub sim: Sim,
    pub base: String,
    pub tc: TencentSim,
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
    start_with(None, vec![SimVendor::Tencent]).await
}

pub async fn start_in(dir: &Path) -> TestSim {
    start_with(Some(dir), vec![SimVendor::Tencent]).await
}

pub async fn start_with(dir: Option<&Path>, vendors: Vec<SimVendor>) -> TestSim {
    let sim = Sim::start(SimConfig {
        state_dir: dir.map(Path::to_path_buf),
        vendors,
        port: 0,
    })
    .await
    .expect("sim starts");
    let base = sim
        .listeners()
        .iter()
        .find(|l| l.vendor == "tencent")
        .expect("tencent listener")
        .base_url
        .clone();
    let tc = sim.tencent().expect("tencent handle");
    let creds = tc.credentials();
    TestSim {
        sim,
        base,
        tc,
        creds,
        http: client(),
    }
}

/// Note §2.2: Base64(lowercase hex(HMAC-SHA256(secret_key, stringToSign))).
pub fn signature(
    secret_id: &str,
    secret_key: &str,
    method: &str,
    nonce: &str,
    timestamp: &str,
    uri: &str,
    body: &str,
) -> String {
    let to_sign = format!(
        "{method}\nX-TC-Key={secret_id}&X-TC-Nonce={nonce}&X-TC-Timestamp={timestamp}\n{uri}\n{body}"
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("any key length");
    mac.update(to_sign.as_bytes());
    B64.encode(hex::encode(mac.finalize().into_bytes()))
}

/// The SDKs' nonce: unix millis * 1e6 + random (note §2.1).
pub fn nonce() -> String {
    use rand::RngExt;
    let millis = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    (millis * 1_000_000 + rand::rng().random_range(0..1_000_000u64)).to_string()
}

pub type Headers = Vec<(String, String)>;

pub fn set(headers: &mut Headers, name: &str, value: &str) {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    headers.push((name.to_owned(), value.to_owned()));
}

pub fn remove(headers: &mut Headers, name: &str) {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
}

impl TestSim {
    pub fn url(&self, uri: &str) -> String {
        format!("{}{}", self.base, uri)
    }

    /// Signed headers for this request at the sim's clock.
    pub fn headers(&self, method: &str, uri: &str, body: &str) -> Headers {
        let ts = self.tc.now().timestamp().to_string();
        self.headers_at(method, uri, body, &ts, &nonce())
    }

    pub fn headers_at(
        &self,
        method: &str,
        uri: &str,
        body: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Headers {
        let c = &self.creds;
        let sig = signature(
            &c.secret_id,
            &c.secret_key,
            method,
            nonce,
            timestamp,
            uri,
            body,
        );
        let mut h: Headers = vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-TC-Key".into(), c.secret_id.clone()),
            ("X-TC-Timestamp".into(), timestamp.into()),
            ("X-TC-Nonce".into(), nonce.into()),
            ("X-TC-Signature".into(), sig),
            ("AppId".into(), c.app_id.clone()),
            ("X-TC-Registered".into(), "1".into()),
        ];
        if !c.sdk_id.is_empty() {
            h.push(("SdkId".into(), c.sdk_id.clone()));
        }
        h
    }

    /// Send exactly these bytes with exactly these headers.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        body: &str,
        headers: &Headers,
    ) -> (StatusCode, Value) {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, format!("{}{}", self.base, uri));
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if !body.is_empty() {
            req = req.body(body.to_owned());
        }
        read(req.send().await.expect("answered")).await
    }

    /// A correctly signed call; `body` is serialized once, signed and sent as those bytes.
    pub async fn call(&self, method: &str, uri: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let body = body.map(Value::to_string).unwrap_or_default();
        let headers = self.headers(method, uri, &body);
        self.send(method, uri, &body, &headers).await
    }

    pub fn userid(&self) -> &str {
        &self.creds.userid
    }

    /// Unix seconds `minutes` from the sim's now, as a string.
    pub fn at(&self, minutes: i64) -> String {
        (self.tc.now().timestamp() + minutes * 60).to_string()
    }

    /// A valid scheduled meeting an hour from now, lasting 45 minutes.
    pub fn booking(&self, subject: &str) -> Value {
        json!({
            "userid": self.userid(), "instanceid": 1, "subject": subject, "type": 0,
            "start_time": self.at(60), "end_time": self.at(105),
        })
    }

    pub async fn create(&self, body: &Value) -> (StatusCode, Value) {
        self.call("POST", "/v1/meetings", Some(body)).await
    }

    /// Create and return the single meeting_info_list entry, asserting success.
    pub async fn create_ok(&self, body: &Value) -> Value {
        let (status, v) = self.create(body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["meeting_number"], 1, "{v}");
        v["meeting_info_list"][0].clone()
    }

    pub async fn get(&self, id: &str) -> (StatusCode, Value) {
        let uri = format!("/v1/meetings/{id}?userid={}&instanceid=1", self.userid());
        self.call("GET", &uri, None).await
    }

    pub async fn get_ok(&self, id: &str) -> Value {
        let (status, v) = self.get(id).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v["meeting_info_list"][0].clone()
    }

    pub async fn modify(&self, id: &str, body: &Value) -> (StatusCode, Value) {
        self.call("PUT", &format!("/v1/meetings/{id}"), Some(body))
            .await
    }

    pub async fn cancel(&self, id: &str, reason_code: i64) -> (StatusCode, Value) {
        let body = json!({"userid": self.userid(), "instanceid": 1, "reason_code": reason_code});
        self.call("POST", &format!("/v1/meetings/{id}/cancel"), Some(&body))
            .await
    }

    pub async fn list(&self, extra: &str) -> (StatusCode, Value) {
        let uri = format!("/v1/meetings?userid={}&instanceid=1{extra}", self.userid());
        self.call("GET", &uri, None).await
    }
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

/// Assert a vendor error: HTTP status, `error_info.error_code` and the envelope's fields.
pub fn assert_error(got: &(StatusCode, Value), status: u16, code: i64) {
    assert_eq!(got.0.as_u16(), status, "status for {code}: {}", got.1);
    let info = &got.1["error_info"];
    assert_eq!(info["error_code"], code, "{}", got.1);
    assert!(info["new_error_code"].is_i64(), "{}", got.1);
    assert!(info["message"].is_string(), "{}", got.1);
}
