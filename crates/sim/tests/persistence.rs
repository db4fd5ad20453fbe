//! State survives a restart (the in-app sandbox), and the binary serves what it prints.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{start, start_in};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_in(dir.path()).await;
    let creds = first.creds.clone();
    let token = first.token().await;
    let id = first.create_ok(&token, first.booking("持久")).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    first.hw.advance_clock(60);
    let clock = first.hw.now();
    first.sim.shutdown().await;

    let second = start_in(dir.path()).await;
    assert_eq!(
        second.creds, creds,
        "sandbox credentials are generated once"
    );
    assert_eq!(
        second.sim.listeners()[0].credentials["app_key"],
        creds.app_key.as_str()
    );
    assert!(second.hw.now() >= clock, "the clock offset persists");
    // Tokens persist (as digests): the old token still works on the new listener.
    let (status, page) = second.list(&token, "").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["data"][0]["conferenceID"], id.as_str());
    let (status, _) = second.cancel(&token, &id, "").await;
    assert_eq!(status, StatusCode::OK);
    second.sim.shutdown().await;

    // The file is JSON, holds no plaintext token, and no temporary file is left behind.
    let path = dir.path().join("huawei.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let _: Value = serde_json::from_str(&text).unwrap();
    assert!(!text.contains(&token), "tokens are stored as digests only");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("huawei.json")]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let third = start_in(dir.path()).await;
    let token = third.token().await;
    assert_eq!(
        third.list(&token, "").await.1["count"],
        0,
        "the cancellation persisted"
    );
    third.sim.shutdown().await;
}

#[tokio::test]
async fn memory_only_sims_start_fresh() {
    let a = start().await;
    let token = a.token().await;
    a.create_ok(&token, a.booking("gone")).await;
    a.sim.shutdown().await;
    let b = start().await;
    assert!(b.hw.meetings().is_empty());
    b.sim.shutdown().await;
}

#[tokio::test]
async fn corrupt_state_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huawei.json"), b"{ not json").unwrap();
    let err = huiyi_sim::Sim::start(huiyi_sim::SimConfig {
        state_dir: Some(dir.path().to_owned()),
        vendors: vec![huiyi_sim::SimVendor::Huawei],
        port: 0,
    })
    .await
    .err()
    .expect("refuses to start");
    assert!(matches!(err, huiyi_sim::SimError::BadState { .. }), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("huawei.json")).unwrap(),
        b"{ not json"
    );
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
async fn the_binary_prints_its_listener_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_huiyi-sim"))
            .args(["serve", "--vendor", "huawei", "--port", "0", "--state-dir"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(info["vendor"], "huawei");
    let base = info["base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(info["credentials"]["app_key"].is_string());

    let http = common::client();
    let resp = http
        .get(format!("{base}/v1/mmc/management/conferences"))
        .send()
        .await
        .unwrap();
    let (status, body) = common::read(resp).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error_code"], "MMC.111070111");
    assert!(dir.path().join("huawei.json").exists());
}
