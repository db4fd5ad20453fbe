//! The Feishu listener as a whole (note §9, §13 "Platform"): the envelope and `X-Tt-Logid` on
//! every answer, rate limits, rooms and room levels (note §7), the shared faults, persistence
//! in `state_dir/feishu.json`, and the binary (`--vendor feishu`) without secrets in its log.

mod feishu_common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use feishu_common::*;
use huiyi_sim::SimVendor;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn every_answer_has_a_logid_and_errors_carry_it() {
    let t = start().await;
    let tenant = t.tenant().await;
    // Success: {code:0, msg:"success", data}.
    let a = t.get(&format!("{VC}/rooms"), &tenant).await;
    assert!(a.ok().is_object());
    let id1 = a.logid().to_owned();
    assert!(id1.len() >= 20, "{id1}");
    // A business error inside the envelope, with error.log_id and a troubleshooter link.
    let e = t.get(&format!("{VC}/reserves/123"), &tenant).await;
    e.err(404, 121004);
    assert_ne!(e.logid(), id1);
    assert!(e.body["error"]["troubleshooter"]
        .as_str()
        .unwrap()
        .contains(&format!("log_id={}", e.logid())));
    // Unknown path, the token endpoints, the page, a faulted answer: all have one.
    t.call(Method::GET, "/open-apis/vc/v1/nothing", Some(&tenant), None)
        .await
        .err(404, 404);
    let tok = t.tenant_raw(json!({})).await;
    assert!(!tok.logid().is_empty());
    let o = t.oauth(json!({})).await;
    assert_eq!(o.code(), 20001);
    assert!(!o.logid().is_empty());
    let page = t
        .http
        .get(t.url("/open-apis/authen/v1/authorize?client_id=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.headers().contains_key("x-tt-logid"));
    t.arm(json!({"kind": "server_error", "remaining": 1})).await;
    t.get(&format!("{VC}/rooms"), &tenant)
        .await
        .err(500, 121001);
    t.get(&format!("{VC}/rooms"), &tenant).await.ok();
}

#[tokio::test]
async fn list_by_no_is_limited_to_100_a_minute_per_api() {
    let t = start().await;
    let tenant = t.tenant().await;
    let now = t.fs.now().timestamp();
    let path = format!(
        "{VC}/meetings/list_by_no?meeting_no=123456789&start_time={}&end_time={now}",
        now - 60
    );
    for _ in 0..100 {
        t.get(&path, &tenant).await.ok();
    }
    // The 101st: HTTP 429, 99991400 and the x-ogw-ratelimit headers (note §9).
    let a = t.get(&path, &tenant).await;
    a.err(429, 99991400);
    assert_eq!(a.headers["x-ogw-ratelimit-limit"], "100");
    let reset: i64 = a.headers["x-ogw-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&reset), "{reset}");
    // Per API: other endpoints still answer.
    t.get(&format!("{VC}/rooms"), &tenant).await.ok();
    // A minute later on the sim clock the budget is back.
    t.advance(60).await;
    let tenant = t.tenant().await;
    t.get(&path, &tenant).await.ok();
    assert_eq!(t.fs.api_count("meetings.list_by_no"), 102);
    // Limits can be switched off.
    let mut o = t.fs.options();
    o.rate_limits = false;
    t.fs.set_options(o);
    for _ in 0..100 {
        t.get(&path, &tenant).await.ok();
    }
}

#[tokio::test]
async fn rooms_added_by_tests_are_listed_under_their_level() {
    let t = start().await;
    let tenant = t.tenant().await;
    let d = t.get(&format!("{VC}/rooms?page_size=1"), &tenant).await;
    let level = d.ok()["rooms"][0]["room_level_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = t.fs.add_room("新会议室", 6, &level, false).unwrap();
    assert!(id.starts_with("omm_"));
    let got = t.get(&format!("{VC}/rooms/{id}"), &tenant).await;
    let room = &got.ok()["room"];
    assert_eq!(room["name"], "新会议室");
    assert_eq!(room["capacity"], 6);
    assert_eq!(room["room_status"]["status"], false);
    let all = t.get(&format!("{VC}/rooms?page_size=100"), &tenant).await;
    assert_eq!(all.ok()["rooms"].as_array().unwrap().len(), 5);
    assert!(
        t.fs.add_room("x", 1, "omb_nope", true).is_err(),
        "unknown level"
    );
}

#[tokio::test]
async fn rooms_and_room_levels() {
    let t = start().await;
    let tenant = t.tenant().await;
    let user = t.user();
    let list = t.get(&format!("{VC}/rooms?page_size=3"), &tenant).await;
    let d = list.ok().clone();
    assert_eq!(d["rooms"].as_array().unwrap().len(), 3);
    assert_eq!(d["has_more"], true);
    let rest = t
        .get(
            &format!(
                "{VC}/rooms?page_size=3&page_token={}",
                d["page_token"].as_str().unwrap()
            ),
            &user,
        )
        .await;
    let rooms: Vec<Value> = d["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest.ok()["rooms"].as_array().unwrap())
        .cloned()
        .collect();
    assert_eq!(rooms.len(), 4);
    let first = &rooms[0];
    let room_id = first["room_id"].as_str().unwrap();
    assert!(room_id.starts_with("omm_"));
    assert!(first["room_level_id"].as_str().unwrap().starts_with("omb_"));
    assert_eq!(first["path"].as_array().unwrap().len(), 2);
    t.get(&format!("{VC}/rooms?page_size=101"), &tenant)
        .await
        .err(400, 121003);
    // get, mget.
    let got = t.get(&format!("{VC}/rooms/{room_id}"), &tenant).await;
    assert_eq!(got.ok()["room"]["name"], first["name"]);
    t.get(&format!("{VC}/rooms/omm_nope"), &tenant)
        .await
        .err(404, 121004);
    let m = t
        .post(
            &format!("{VC}/rooms/mget"),
            &tenant,
            json!({"room_ids": [room_id, "omm_nope"]}),
        )
        .await;
    assert_eq!(m.ok()["items"].as_array().unwrap().len(), 1);
    // search: user token only; only bookable (enabled) rooms.
    let s = t
        .post(&format!("{VC}/rooms/search"), &user, json!({}))
        .await;
    let found = s.ok()["rooms"].as_array().unwrap().clone();
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|r| r["room_status"]["status"] == true));
    let s = t
        .post(
            &format!("{VC}/rooms/search"),
            &user,
            json!({"keyword": "天坛"}),
        )
        .await;
    assert_eq!(s.ok()["rooms"].as_array().unwrap().len(), 1);
    let s = t
        .post(
            &format!("{VC}/rooms/search"),
            &user,
            json!({"keyword": "三层", "search_level_name": true}),
        )
        .await;
    assert_eq!(s.ok()["rooms"].as_array().unwrap().len(), 2);
    let s = t
        .post(
            &format!("{VC}/rooms/search"),
            &user,
            json!({"custom_room_ids": ["R501"]}),
        )
        .await;
    assert_eq!(s.ok()["rooms"][0]["custom_room_id"], "R501");
    // Levels: top, children, get, mget, search (GET and the seed's POST, note §12.3).
    let top = t.get(&format!("{VC}/room_levels"), &tenant).await;
    let top = top.ok()["items"].as_array().unwrap().clone();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["has_child"], true);
    let b1 = top[0]["room_level_id"].as_str().unwrap();
    let kids = t
        .get(&format!("{VC}/room_levels?room_level_id={b1}"), &user)
        .await;
    assert_eq!(kids.ok()["items"].as_array().unwrap().len(), 2);
    let lv = t.get(&format!("{VC}/room_levels/{b1}"), &tenant).await;
    assert_eq!(lv.ok()["room_level"]["custom_group_id"], "B1");
    t.get(&format!("{VC}/room_levels/omb_nope"), &tenant)
        .await
        .err(404, 121004);
    let mg = t
        .post(
            &format!("{VC}/room_levels/mget"),
            &tenant,
            json!({"level_ids": [b1]}),
        )
        .await;
    assert_eq!(mg.ok()["items"][0]["room_level_id"], b1);
    let sg = t
        .get(
            &format!("{VC}/room_levels/search?custom_level_ids=B1,B1F3"),
            &tenant,
        )
        .await;
    assert_eq!(sg.ok()["level_ids"].as_array().unwrap().len(), 2);
    let sp = t
        .post(
            &format!("{VC}/room_levels/search"),
            &tenant,
            json!({"custom_level_ids": ["B1F5"]}),
        )
        .await;
    assert_eq!(sp.ok()["level_ids"].as_array().unwrap().len(), 1);
    t.get(&format!("{VC}/room_levels/search"), &tenant)
        .await
        .err(400, 121003);
}

#[tokio::test]
async fn state_persists_in_feishu_json_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let t = start_with(Some(dir.path())).await;
    let tenant = t.tenant().await;
    let r = t.apply(&t.user(), json!({"topic": "持久"})).await;
    let creds = t.creds.clone();
    let info = t.sim.listeners()[0].credentials.clone();
    for k in [
        "app_id",
        "app_secret",
        "user_id",
        "user_name",
        "tenant_key",
        "authorize_path",
        "token_path",
    ] {
        assert!(info[k].is_string(), "{k} in {info}");
    }
    assert_eq!(info["app_secret"], creds.app_secret.as_str());
    t.sim.shutdown().await;
    let file = dir.path().join("feishu.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let t2 = start_with(Some(dir.path())).await;
    assert_eq!(t2.creds, creds);
    // The tenant token and the reserve survive the restart.
    let got = t2
        .get(
            &format!("{VC}/reserves/{}", r["id"].as_str().unwrap()),
            &tenant,
        )
        .await;
    assert_eq!(got.ok()["reserve"]["meeting_settings"]["topic"], "持久");
    // A fresh state dir gets new random credentials.
    let other = tempfile::tempdir().unwrap();
    let t3 = start_with(Some(other.path())).await;
    assert_ne!(t3.creds.app_secret, creds.app_secret);
    assert!(t3.creds.app_id.starts_with("cli_") && t3.creds.user_id.starts_with("ou_"));
    t2.sim.shutdown().await;
    t3.sim.shutdown().await;
}

#[test]
fn the_vendor_is_called_feishu() {
    assert_eq!(SimVendor::Feishu.name(), "feishu");
    assert_eq!(serde_json::to_value(SimVendor::Feishu).unwrap(), "feishu");
    assert!(SimVendor::ALL.contains(&SimVendor::Feishu));
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_feishu_and_logs_no_secret() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_huiyi-sim"))
            .args(["serve", "--vendor", "feishu", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(info["vendor"], "feishu");
    let base = info["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"));
    let creds = &info["credentials"];
    let (app_id, secret) = (
        creds["app_id"].as_str().unwrap(),
        creds["app_secret"].as_str().unwrap(),
    );
    let http = client();
    let post = |path: &str, ct: &'static str, body: String| {
        http.post(format!("{base}{path}"))
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    let tok: Value = post(
        "/open-apis/auth/v3/tenant_access_token/internal",
        "application/json",
        json!({"app_id": app_id, "app_secret": secret}).to_string(),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let tenant = tok["tenant_access_token"].as_str().unwrap().to_owned();
    let challenge = s256(VERIFIER);
    let consent = post(
        "/open-apis/authen/v1/authorize",
        "application/x-www-form-urlencoded",
        serde_urlencoded::to_string([
            ("client_id", app_id),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", ALL_SCOPES),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("decision", "approve"),
        ])
        .unwrap(),
    )
    .await
    .unwrap();
    let loc = consent.headers()["location"].to_str().unwrap().to_owned();
    let code = query_param(&loc, "code").unwrap();
    let grant: Value = post(
        "/open-apis/authen/v2/oauth/token",
        "application/json",
        json!({"grant_type": "authorization_code", "client_id": app_id, "client_secret": secret,
               "code": code, "code_verifier": VERIFIER})
        .to_string(),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let access = grant["access_token"].as_str().unwrap().to_owned();
    let refresh = grant["refresh_token"].as_str().unwrap().to_owned();
    let rooms = http
        .get(format!("{base}{VC}/rooms"))
        .header("Authorization", format!("Bearer {access}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rooms.status(), StatusCode::OK);
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
        log.contains("GET /open-apis/vc/v1/rooms 200"),
        "requests are logged: {log}"
    );
    for secret in [secret, &tenant, &code, VERIFIER, &access, &refresh] {
        assert!(!log.contains(secret), "logged a secret: {log}");
    }
}

#[tokio::test]
async fn room_reads_are_limited_to_50_a_second() {
    let t = start().await;
    let tenant = t.tenant().await;
    // Frozen: all of these fall in one sim second, however slow the machine.
    t.fs.freeze_clock();
    let path = format!("{VC}/rooms");
    for _ in 0..50 {
        t.get(&path, &tenant).await.ok();
    }
    let a = t.get(&path, &tenant).await;
    a.err(429, 99991400);
    assert_eq!(a.headers["x-ogw-ratelimit-limit"], "50");
    assert_eq!(a.headers["x-ogw-ratelimit-reset"], "1");
    // The next second has a new budget.
    t.fs.advance_clock(1);
    t.get(&path, &tenant).await.ok();
    t.fs.unfreeze_clock();
    t.get(&path, &tenant).await.ok();
}
