//! The BizConf listener as a whole: the shared faults and control endpoints, persistence in
//! `state_dir/bizconf.json`, the binary (all three vendors by default), and what it logs.

#[path = "bizconf_common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_ok, assert_status, id_of, params, start, start_in, start_with};
use huiyi_sim::{Fault, FaultKind, SimVendor};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn fault(kind: FaultKind, remaining: u32, prefix: Option<&str>) -> Fault {
    Fault {
        kind,
        remaining,
        path_prefix: prefix.map(str::to_owned),
    }
}

const LIST: &str = "getScheduledConfListByUserId";

#[tokio::test]
async fn server_error_is_http_500_with_103_and_books_nothing() {
    let t = start().await;
    t.bc.set_fault(fault(
        FaultKind::ServerError,
        1,
        Some("/openapi/v2/confReservation"),
    ));
    let got = t.book(t.booking("never")).await;
    assert_eq!(got.0, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(got.1["status"], 103);
    assert!(t.bc.meetings().is_empty());
    t.book_ok(t.booking("now")).await;
    assert_eq!(t.bc.meetings().len(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn expire_tokens_refuses_the_request_it_hits_with_704() {
    let t = start().await;
    t.bc.set_fault(fault(FaultKind::ExpireTokens, 1, None));
    assert_status(&t.post(LIST, &[]).await, 704);
    // A client that retries with a new timeStamp gets through.
    assert_ok(&t.post(LIST, &[]).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn malformed_body_commits_then_answers_broken_json() {
    let t = start().await;
    t.bc.set_fault(fault(FaultKind::MalformedBody, 1, None));
    let (status, v) = t.book(t.booking("half")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v.is_string(), "not JSON: {v}");
    assert_eq!(t.bc.meetings().len(), 1, "committed");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn drop_after_commit_books_then_hangs_up() {
    let t = start().await;
    t.bc.set_fault(fault(
        FaultKind::DropAfterCommit,
        1,
        Some("/openapi/v2/confReservation"),
    ));
    let p = t.signed(t.booking("dropped"));
    let sent = t
        .http
        .post(t.url("confReservation"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&p).unwrap())
        .send()
        .await;
    assert!(sent.is_err(), "no answer: {sent:?}");
    assert_eq!(t.bc.meetings().len(), 1, "but committed");
    // The client's read-back finds it (a safe reconciliation path).
    let got = t.post(LIST, &[]).await;
    assert_eq!(got.1["totalItems"], 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn delay_slows_the_answer_down() {
    let t = start().await;
    t.bc.set_fault(fault(FaultKind::Delay(300), 1, None));
    let began = Instant::now();
    assert_ok(&t.post(LIST, &[]).await);
    assert!(began.elapsed() >= Duration::from_millis(300));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn control_endpoints_faults_clock_options_state() {
    let t = start().await;
    let http = common::client();
    let resp = http
        .post(format!("{}/__sim/faults", t.base))
        .json(&json!({"kind": "server_error", "remaining": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(t.post(LIST, &[]).await.0, StatusCode::INTERNAL_SERVER_ERROR);
    // Clock: a meeting an hour away is live after advancing it.
    let id = id_of(&t.book_ok(t.booking("clock")).await);
    let resp = http
        .post(format!("{}/__sim/clock", t.base))
        .json(&json!({"advance_seconds": 3660}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(t.detail_ok(&id).await["confStatus"], 2);
    // Options: the site's capacity.
    let resp = http
        .post(format!("{}/__sim/options", t.base))
        .json(&json!({"site_capacity": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(t.bc.site_capacity(), 7);
    let got = t
        .post(
            "getReMainNumPartis",
            &[("startTime", &t.gmt(600)), ("duration", "30")],
        )
        .await;
    assert_eq!(got.1["totalNumParties"], 7);
    // State: no API key, no host token.
    let (status, state) = common::read(
        http.get(format!("{}/__sim/state", t.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["meetings"][0]["conf_id"].to_string(), id);
    assert_eq!(state["request_count"], t.bc.request_count());
    assert!(state["credentials"].get("api_key").is_none());
    assert!(!state.to_string().contains(&t.creds.api_key));
    assert!(!state.to_string().contains("sfcloud://"));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn request_counter_counts_vendor_calls_only() {
    let t = start().await;
    assert_eq!(t.bc.request_count(), 0);
    t.post(LIST, &[]).await;
    t.get("getConfDetailByConfId", &[("confId", "1")]).await;
    common::client()
        .get(format!("{}/__sim/state", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(t.bc.request_count(), 2);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_in(dir.path()).await;
    let creds = first.creds.clone();
    let mut b = first.booking("持久");
    common::set_param(&mut b, "confPassword", "4512");
    let booked = first.book_ok(b).await;
    let id = id_of(&booked);
    first.sim.shutdown().await;

    let second = start_in(dir.path()).await;
    assert_eq!(second.creds, creds, "credentials are generated once");
    let listener = &second.sim.listeners()[0];
    assert_eq!(listener.vendor, "bizconf");
    let keys: Vec<&String> = listener.credentials.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{}", listener.credentials);
    for k in ["site_sign", "user_id", "user_name", "api_key"] {
        assert!(listener.credentials[k].is_string(), "{k}");
    }
    assert_eq!(listener.credentials["api_key"], creds.api_key.as_str());
    let d = second.detail_ok(&id).await;
    assert_eq!(d["confName"], "持久");
    assert_eq!(d["confNumber"], booked["confNumber"]);
    assert_eq!(d["joinUrl"], booked["joinUrl"]);
    assert_eq!(d["confPassword"], "4512");
    assert_eq!(second.bc.booking_count(), 1);
    second.sim.shutdown().await;
    let path = dir.path().join("bizconf.json");
    let _: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A fresh state dir: other random credentials.
    let other = tempfile::tempdir().unwrap();
    let third = start_in(other.path()).await;
    assert_ne!(third.creds.api_key, creds.api_key);
    assert_ne!(third.creds.site_sign, creds.site_sign);
    assert_eq!(third.creds.api_key.len(), 32);
    third.sim.shutdown().await;
}

#[tokio::test]
async fn three_vendors_side_by_side() {
    let t = start_with(None, SimVendor::ALL.to_vec()).await;
    let names: Vec<&str> = t
        .sim
        .listeners()
        .iter()
        .map(|l| l.vendor.as_str())
        .collect();
    assert_eq!(
        names,
        ["huawei", "tencent", "bizconf", "feishu", "cloudroom"]
    );
    assert!(t.sim.huawei().is_some() && t.sim.tencent().is_some());
    t.book_ok(t.booking("side by side")).await;
    assert!(t.sim.tencent().unwrap().meetings().is_empty());
    t.sim.shutdown().await;
}

#[test]
fn the_vendor_is_called_bizconf_everywhere() {
    assert_eq!(SimVendor::Bizconf.name(), "bizconf");
    assert_eq!(serde_json::to_value(SimVendor::Bizconf).unwrap(), "bizconf");
    let parsed: SimVendor = serde_json::from_value(json!("bizconf")).unwrap();
    assert_eq!(parsed, SimVendor::Bizconf);
    assert!(SimVendor::ALL.contains(&SimVendor::Bizconf));
}

/// Kills the child on drop so a failing assertion cannot leak the process.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start the binary with these arguments; its listener lines (`n` of them) and the child.
async fn spawn(args: &[&str], n: usize) -> (Child, Vec<Value>) {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_huiyi-sim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let read = tokio::task::spawn_blocking(move || {
        let mut r = BufReader::new(stdout);
        let mut out = Vec::new();
        for _ in 0..n {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            out.push(line);
        }
        out
    });
    // Bounded: a binary that prints fewer listener lines than expected fails the test instead
    // of hanging it (dropping the child kills it, which ends the blocked read).
    let lines = tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .unwrap_or_else(|_| {
            panic!("huiyi-sim {args:?} printed fewer than {n} listener lines in 30 s")
        })
        .unwrap();
    let infos = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (child, infos)
}

#[tokio::test]
async fn the_binary_serves_bizconf_by_default_and_by_name() {
    let (_all, infos) = spawn(&["serve", "--port", "0"], 5).await;
    let names: Vec<&str> = infos
        .iter()
        .map(|i| i["vendor"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["huawei", "tencent", "bizconf", "feishu", "cloudroom"]
    );
    let base = infos[2]["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    // Unsigned: 109 in the envelope, HTTP 200.
    let resp = common::client()
        .post(format!("{base}/openapi/v2/{LIST}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("userId=x")
        .send()
        .await
        .unwrap();
    let (status, body) = common::read(resp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], 109, "{body}");

    let (_one, infos) = spawn(&["serve", "--vendor", "bizconf", "--port", "0"], 1).await;
    assert_eq!(infos[0]["vendor"], "bizconf");
    for k in ["site_sign", "user_id", "user_name", "api_key"] {
        assert!(infos[0]["credentials"][k].is_string(), "{k}");
    }
}

#[tokio::test]
async fn secrets_are_not_logged() {
    let (mut child, infos) = spawn(&["serve", "--vendor", "bizconf", "--port", "0"], 1).await;
    let base = infos[0]["base_url"].as_str().unwrap().to_owned();
    let creds = &infos[0]["credentials"];
    let user = creds["user_id"].as_str().unwrap().to_owned();
    let key = creds["api_key"].as_str().unwrap().to_owned();
    let site = creds["site_sign"].as_str().unwrap().to_owned();
    let http = common::client();
    let now_ms = chrono::Utc::now().timestamp_millis();
    let sign = |ts: i64| {
        let ts = ts.to_string();
        let token = huiyi_sim::bizconf::token(&user, &key, &ts);
        (ts, token)
    };
    let start = (chrono::Utc::now() + chrono::Duration::hours(2))
        .format("%Y-%m-%d %H:%M:00")
        .to_string();
    let (ts, book_token) = sign(now_ms);
    let mut p = params(&[
        ("userId", &user),
        ("userName", "Log Test"),
        ("confName", "log"),
        ("confPassword", "778899"),
        ("startTime", &start),
        ("duration", "30"),
        ("confParties", "3"),
        ("siteSign", &site),
    ]);
    p.push(("timeStamp".into(), ts));
    p.push(("token".into(), book_token.clone()));
    let (_, booked) = common::read(
        http.post(format!("{base}/openapi/v2/confReservation"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&p).unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(booked["status"], 100, "{booked}");
    let conf_id = booked["data"]["confId"].to_string();
    // A GET carries the token in the query string.
    let (ts, get_token) = sign(now_ms + 1);
    let q = params(&[
        ("userId", &user),
        ("confId", &conf_id),
        ("siteSign", &site),
        ("timeStamp", &ts),
        ("token", &get_token),
    ]);
    let (_, detail) = common::read(
        http.get(format!(
            "{base}/openapi/v2/getConfDetailByConfId?{}",
            serde_urlencoded::to_string(&q).unwrap()
        ))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(detail["status"], 100, "{detail}");
    let host_url = detail["data"]["protocolHostStartUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let host_token = host_url.rsplit("token=").next().unwrap().to_owned();
    let host_start = detail["data"]["hostStartUrl"].as_str().unwrap().to_owned();
    // Stop the server and read everything it logged.
    let _ = child.0.kill();
    let _ = child.0.wait();
    let mut log = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("GET /openapi/v2/getConfDetailByConfId 200"),
        "requests are logged: {log}"
    );
    for secret in [
        key.as_str(),
        &book_token,
        &get_token,
        &host_token,
        &host_start,
        "778899",
    ] {
        assert!(!log.contains(secret), "logged a secret: {log}");
    }
}
