//! Test helpers for the BizConf fake: a sim on an ephemeral port, a plain reqwest client, and
//! requests signed as the document says (L12: token = uppercase hex MD5("userId|APIKey|ts"),
//! a new timeStamp for every request).
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use huiyi_sim::bizconf::{BizconfSim, SandboxCredentials};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use reqwest::StatusCode;
use serde_json::Value;

pub const V2: &str = "/openapi/v2";

pub struct TestSim {
    pub sim: Sim,
    pub base: String,
    pub bc: BizconfSim,
    pub creds: SandboxCredentials,
    pub http: reqwest::Client,
    last_ts: AtomicI64,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

pub async fn start() -> TestSim {
    start_with(None, vec![SimVendor::Bizconf]).await
}

pub async fn start_in(dir: &Path) -> TestSim {
    start_with(Some(dir), vec![SimVendor::Bizconf]).await
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
        .find(|l| l.vendor == "bizconf")
        .expect("bizconf listener")
        .base_url
        .clone();
    let bc = sim.bizconf().expect("bizconf handle");
    // Put the sim clock one second past a whole minute, so that times computed a few
    // milliseconds apart with `gmt` never straddle a minute boundary.
    let into_minute = bc.now().timestamp().rem_euclid(60);
    bc.advance_clock(61 - into_minute);
    let creds = bc.credentials();
    TestSim {
        sim,
        base,
        bc,
        creds,
        http: client(),
        last_ts: AtomicI64::new(0),
    }
}

pub type Params = Vec<(String, String)>;

pub fn params(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn get_param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub fn set_param(p: &mut Params, name: &str, value: &str) {
    p.retain(|(k, _)| k != name);
    p.push((name.to_owned(), value.to_owned()));
}

pub fn remove_param(p: &mut Params, name: &str) {
    p.retain(|(k, _)| k != name);
}

impl TestSim {
    pub fn url(&self, endpoint: &str) -> String {
        format!("{}{V2}/{endpoint}", self.base)
    }

    /// A timeStamp (ms) at the sim's clock, strictly increasing across calls (note §2: two
    /// requests in one millisecond would otherwise share a token).
    pub fn ts(&self) -> String {
        let now = self.bc.now().timestamp_millis();
        let prev = self.last_ts.fetch_max(now, Ordering::SeqCst);
        let ts = if prev >= now {
            self.last_ts.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            now
        };
        ts.to_string()
    }

    /// `p` plus token, timeStamp and siteSign for its userId (the sandbox user's when absent).
    pub fn signed(&self, mut p: Params) -> Params {
        if get_param(&p, "userId").is_none() {
            p.push(("userId".into(), self.creds.user_id.clone()));
        }
        let user = get_param(&p, "userId").unwrap_or_default().to_owned();
        let ts = self.ts();
        let token = huiyi_sim::bizconf::token(&user, &self.creds.api_key, &ts);
        set_param(&mut p, "timeStamp", &ts);
        set_param(&mut p, "token", &token);
        if get_param(&p, "siteSign").is_none() {
            p.push(("siteSign".into(), self.creds.site_sign.clone()));
        }
        p
    }

    /// POST exactly these parameters as a form.
    pub async fn post_raw(&self, endpoint: &str, p: &Params) -> (StatusCode, Value) {
        let body = serde_urlencoded::to_string(p).expect("form");
        let resp = self
            .http
            .post(self.url(endpoint))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("answered");
        read(resp).await
    }

    /// GET with exactly these parameters in the query string.
    pub async fn get_raw(&self, endpoint: &str, p: &Params) -> (StatusCode, Value) {
        let query = serde_urlencoded::to_string(p).expect("query");
        let resp = self
            .http
            .get(format!("{}?{query}", self.url(endpoint)))
            .send()
            .await
            .expect("answered");
        read(resp).await
    }

    pub async fn post(&self, endpoint: &str, p: &[(&str, &str)]) -> (StatusCode, Value) {
        self.post_raw(endpoint, &self.signed(params(p))).await
    }

    pub async fn get(&self, endpoint: &str, p: &[(&str, &str)]) -> (StatusCode, Value) {
        self.get_raw(endpoint, &self.signed(params(p))).await
    }

    /// A signed GET or POST.
    pub async fn call(&self, endpoint: &str, get: bool, p: &[(&str, &str)]) -> (StatusCode, Value) {
        if get {
            self.get(endpoint, p).await
        } else {
            self.post(endpoint, p).await
        }
    }

    /// GMT `yyyy-MM-dd HH:mm:ss`, `minutes` from the sim's now, on a whole minute.
    pub fn gmt(&self, minutes: i64) -> String {
        let now = self.bc.now().timestamp();
        let t = now - now.rem_euclid(60) + minutes * 60;
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    /// A valid booking for the sandbox user: an hour from now, 45 minutes, 5 ports.
    pub fn booking(&self, name: &str) -> Params {
        params(&[
            ("userId", &self.creds.user_id),
            ("userName", &self.creds.user_name),
            ("confName", name),
            ("startTime", &self.gmt(60)),
            ("duration", "45"),
            ("confParties", "5"),
        ])
    }

    pub async fn book(&self, p: Params) -> (StatusCode, Value) {
        self.post_raw("confReservation", &self.signed(p)).await
    }

    /// Book and return `data`, asserting success.
    pub async fn book_ok(&self, p: Params) -> Value {
        let (status, v) = self.book(p).await;
        assert_ok(&(status, v.clone()));
        v["data"].clone()
    }

    pub async fn detail(&self, conf_id: &str) -> (StatusCode, Value) {
        self.get("getConfDetailByConfId", &[("confId", conf_id)])
            .await
    }

    pub async fn detail_ok(&self, conf_id: &str) -> Value {
        let got = self.detail(conf_id).await;
        assert_ok(&got);
        got.1["data"].clone()
    }

    /// A valid confModify2 for the sandbox user's meeting (required fields only).
    pub fn modification(&self, conf_id: &str, password: &str, start_min: i64) -> Params {
        params(&[
            ("confId", conf_id),
            ("confPassword", password),
            ("startTime", &self.gmt(start_min)),
            ("duration", "45"),
            ("confParties", "5"),
        ])
    }
}

/// The confId of a booking answer (a JSON number) as a string.
pub fn id_of(data: &Value) -> String {
    data["confId"].as_u64().expect("numeric confId").to_string()
}

/// Status and JSON body; a non-JSON body reads as a string.
pub async fn read(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let bytes = resp.bytes().await.expect("body");
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

/// HTTP 200 and `status` 100.
pub fn assert_ok(got: &(StatusCode, Value)) {
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    assert_eq!(got.1["status"], 100, "{}", got.1);
}

/// A vendor refusal: HTTP 200, `status` = code, the document's message, no `data`.
pub fn assert_status(got: &(StatusCode, Value), code: i64) {
    assert_eq!(got.0, StatusCode::OK, "HTTP status for {code}: {}", got.1);
    assert_eq!(got.1["status"], code, "{}", got.1);
    assert_eq!(
        got.1["message"],
        huiyi_sim::bizconf::message(code),
        "{}",
        got.1
    );
    assert!(got.1.get("data").is_none(), "{}", got.1);
}
