//! Tencent creation limits (9008: 9 per minute, 100 per day), the shared faults on the
//! Tencent listener, persistence and the binary.

#[path = "tencent_common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_error, start, start_in, start_with};
use huiyi_sim::tencent::TencentOptions;
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

#[tokio::test]
async fn nine_creations_a_minute_then_9008() {
    let t = start().await;
    for i in 0..9 {
        t.create_ok(&t.booking(&format!("burst {i}"))).await;
    }
    let got = t.create(&t.booking("tenth")).await;
    assert_error(&got, 500, 9008);
    assert_eq!(t.tc.create_count(), 9);
    assert_eq!(t.tc.rate_limited_count(), 1);
    assert_eq!(t.tc.max_creates_per_minute(), 9);
    assert_eq!(t.tc.meetings().len(), 9);
    // Other calls are not limited by it.
    assert_eq!(t.list("").await.0, StatusCode::OK);
    // A sliding minute: 59 s later still refused, 61 s later accepted.
    t.tc.advance_clock(59);
    assert_error(&t.create(&t.booking("too soon")).await, 500, 9008);
    t.tc.advance_clock(2);
    t.create_ok(&t.booking("next minute")).await;
    assert_eq!(t.tc.create_count(), 10);
    assert_eq!(t.tc.rate_limited_count(), 2);
    assert_eq!(t.tc.max_creates_per_minute(), 9);
    // Invalid requests are not counted against the quota.
    t.tc.advance_clock(61);
    let mut bad = t.booking("bad");
    bad["password"] = json!("x");
    for _ in 0..12 {
        assert_error(&t.create(&bad).await, 400, 190004);
    }
    t.create_ok(&t.booking("still fine")).await;
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_daily_cap_is_9008_too() {
    let t = start().await;
    assert_eq!(t.tc.options(), TencentOptions::default());
    assert_eq!(t.tc.options().daily_create_limit, Some(100));
    t.tc.set_options(TencentOptions {
        daily_create_limit: Some(100),
        per_minute_create_limit: None,
    });
    for i in 0..100 {
        let (status, v) = t.create(&t.booking(&format!("d{i}"))).await;
        assert_eq!(status, StatusCode::OK, "{i}: {v}");
    }
    assert_error(&t.create(&t.booking("101st")).await, 500, 9008);
    assert_eq!(t.tc.create_count(), 100);
    // Another creator has their own quota.
    let mut other = t.booking("other");
    other["userid"] = json!("colleague-1");
    t.create_ok(&other).await;
    // The next Beijing day.
    t.tc.advance_clock(86_400);
    t.create_ok(&t.booking("tomorrow")).await;
    t.sim.shutdown().await;
}

#[tokio::test]
async fn server_error_answers_500_without_doing_anything() {
    let t = start().await;
    t.tc.set_fault(fault(FaultKind::ServerError, 2, Some("/v1/meetings")));
    for _ in 0..2 {
        let got = t.create(&t.booking("never")).await;
        assert_error(&got, 500, 5108);
    }
    assert!(t.tc.meetings().is_empty());
    t.create_ok(&t.booking("now")).await;
    assert_eq!(t.tc.meetings().len(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn delay_slows_the_answer_down() {
    let t = start().await;
    t.tc.set_fault(fault(FaultKind::Delay(400), 1, None));
    let began = Instant::now();
    assert_eq!(t.list("").await.0, StatusCode::OK);
    assert!(began.elapsed() >= Duration::from_millis(400));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn malformed_body_commits_then_answers_broken_json() {
    let t = start().await;
    t.tc.set_fault(fault(FaultKind::MalformedBody, 2, None));
    let (status, v) = t.create(&t.booking("half")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v.is_string(), "not JSON: {v}");
    assert_eq!(t.tc.meetings().len(), 1, "committed");
    // Cancel's tiny `{}` body is broken too.
    let id = t.tc.meetings()[0].meeting_id.clone();
    let (status, v) = t.cancel(&id, 1).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v.is_string(), "not JSON: {v}");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn expire_tokens_has_nothing_to_expire_for_signed_requests() {
    let t = start().await;
    t.tc.set_fault(fault(FaultKind::ExpireTokens, 1, None));
    assert_eq!(t.list("").await.0, StatusCode::OK);
    assert_eq!(t.list("").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn drop_after_commit_creates_then_hangs_up() {
    let t = start().await;
    t.tc.set_fault(fault(FaultKind::DropAfterCommit, 1, Some("/v1/meetings")));
    let body = t.booking("dropped").to_string();
    let h = t.headers("POST", "/v1/meetings", &body);
    let mut req = t.http.post(t.url("/v1/meetings"));
    for (k, v) in &h {
        req = req.header(k.as_str(), v.as_str());
    }
    let sent = req.body(body).send().await;
    assert!(sent.is_err(), "no answer: {sent:?}");
    assert_eq!(t.tc.meetings().len(), 1, "but committed");
    assert_eq!(t.tc.create_count(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn faults_and_clock_over_the_control_endpoints() {
    let t = start().await;
    let http = common::client();
    let resp = http
        .post(t.url("/__sim/faults"))
        .json(&json!({"kind": "server_error", "remaining": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_error(&t.list("").await, 500, 5108);
    let before = t.tc.now();
    let resp = http
        .post(t.url("/__sim/clock"))
        .json(&json!({"advance_seconds": 3600}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(t.tc.now() - before >= chrono::Duration::seconds(3600));
    let (status, state) = common::read(http.get(t.url("/__sim/state")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["request_count"], 1);
    assert!(
        state["credentials"].get("secret_key").is_none(),
        "no secret in the dump"
    );
    assert!(!state.to_string().contains(&t.creds.secret_key));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_date_header_follows_the_sim_clock() {
    let t = start().await;
    t.tc.advance_clock(86_400 * 3);
    let uri = format!("/v1/meetings?userid={}&instanceid=1", t.userid());
    let h = t.headers("GET", &uri, "");
    let mut req = t.http.get(t.url(&uri));
    for (k, v) in &h {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req.send().await.unwrap();
    let date = resp.headers()["date"].to_str().unwrap().to_owned();
    let parsed = chrono::DateTime::parse_from_rfc2822(&date).unwrap();
    assert!(
        (parsed.timestamp() - t.tc.now().timestamp()).abs() < 5,
        "{date}"
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_in(dir.path()).await;
    let creds = first.creds.clone();
    let id = first.create_ok(&first.booking("持久")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    first.tc.advance_clock(60);
    first.sim.shutdown().await;

    let second = start_in(dir.path()).await;
    assert_eq!(second.creds, creds, "credentials are generated once");
    let listener = &second.sim.listeners()[0];
    assert_eq!(listener.vendor, "tencent");
    for k in ["app_id", "sdk_id", "secret_id", "secret_key", "userid"] {
        assert!(listener.credentials[k].is_string(), "{k}");
    }
    assert_eq!(
        listener.credentials["secret_key"],
        creds.secret_key.as_str()
    );
    assert_eq!(second.tc.create_count(), 1);
    assert_eq!(second.get_ok(&id).await["subject"], "持久");
    second.sim.shutdown().await;
    let path = dir.path().join("tencent.json");
    let _: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn both_vendors_side_by_side_on_consecutive_listeners() {
    let t = start_with(None, vec![SimVendor::Huawei, SimVendor::Tencent]).await;
    let ls = t.sim.listeners();
    assert_eq!(ls.len(), 2);
    assert_eq!(ls[0].vendor, "huawei");
    assert_eq!(ls[1].vendor, "tencent");
    assert!(t.sim.huawei().is_some());
    t.create_ok(&t.booking("side by side")).await;
    assert!(t.sim.huawei().unwrap().meetings().is_empty());
    t.sim.shutdown().await;
}

/// Kills the child on drop so a failing assertion cannot leak the process.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_every_vendor_by_default() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_huiyi-sim"))
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        let mut r = BufReader::new(stdout);
        let mut out = Vec::new();
        for _ in 0..2 {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            out.push(line);
        }
        out
    })
    .await
    .unwrap();
    let infos: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(infos[0]["vendor"], "huawei");
    assert_eq!(infos[1]["vendor"], "tencent");
    let base = infos[1]["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let (status, body) = common::read(
        common::client()
            .get(format!("{base}/v1/meetings?userid=x&instanceid=1"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error_info"]["error_code"], 190303, "unsigned: {body}");
}
