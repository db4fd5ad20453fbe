//! Each fault kind, through the handle and through the HTTP control endpoints.

mod common;

use std::time::{Duration, Instant};

use common::{assert_error, start};
use huiyi_sim::{Fault, FaultKind};
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
async fn server_error_answers_500_without_doing_anything() {
    let t = start().await;
    let token = t.token().await;
    t.hw.set_fault(fault(FaultKind::ServerError, 2, Some("/v1/mmc")));
    for _ in 0..2 {
        let got = t.create(&token, t.booking("never")).await;
        assert_error(&got, 500, "USG.000000001");
        assert_eq!(got.1["error_msg"], "The server is busy.");
    }
    assert!(t.hw.meetings().is_empty());
    // Used up: the next request goes through.
    t.create_ok(&token, t.booking("now")).await;
    assert_eq!(t.hw.meetings().len(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn path_prefix_limits_a_fault() {
    let t = start().await;
    t.hw.set_fault(fault(
        FaultKind::ServerError,
        1,
        Some("/v1/mmc/management/conferences/confDetail"),
    ));
    let token = t.token().await; // appauth is not hit
    assert_eq!(t.list(&token, "").await.0, StatusCode::OK);
    assert_error(&t.detail(&token, "123456789").await, 500, "USG.000000001");
    assert_error(&t.detail(&token, "123456789").await, 400, "MMC.111070005");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn delay_slows_the_answer_down() {
    let t = start().await;
    let token = t.token().await;
    t.hw.set_fault(fault(FaultKind::Delay(400), 1, None));
    let began = Instant::now();
    assert_eq!(t.list(&token, "").await.0, StatusCode::OK);
    assert!(
        began.elapsed() >= Duration::from_millis(400),
        "{:?}",
        began.elapsed()
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn malformed_body_commits_then_answers_broken_json() {
    let t = start().await;
    let token = t.token().await;
    t.hw.set_fault(fault(FaultKind::MalformedBody, 1, None));
    let resp = t
        .http
        .post(t.url("/v1/mmc/management/conferences"))
        .header("X-Access-Token", &token)
        .json(&t.booking("half"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.unwrap();
    assert!(!bytes.is_empty());
    assert!(
        serde_json::from_slice::<Value>(&bytes).is_err(),
        "body must not parse"
    );
    assert_eq!(t.hw.meetings().len(), 1, "the meeting was booked anyway");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn expire_tokens_makes_every_live_token_expired() {
    let t = start().await;
    let a = t.token().await;
    let b = t.app_token("second-user").await;
    t.hw.set_fault(fault(FaultKind::ExpireTokens, 1, None));
    assert_error(&t.list(&a, "").await, 400, "MMC.118000001");
    assert_error(&t.list(&b, "").await, 400, "MMC.118000001");
    // Logging in again works.
    let fresh = t.token().await;
    assert_eq!(t.list(&fresh, "").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn drop_after_commit_books_but_never_answers() {
    let t = start().await;
    let token = t.token().await;
    t.hw.set_fault(fault(
        FaultKind::DropAfterCommit,
        1,
        Some("/v1/mmc/management/conferences"),
    ));
    let sent = t
        .http
        .post(t.url("/v1/mmc/management/conferences"))
        .header("X-Access-Token", &token)
        .json(&t.booking("dropped"))
        .send()
        .await;
    assert!(
        sent.is_err(),
        "the connection must close without an answer: {sent:?}"
    );
    let meetings = t.hw.meetings();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].subject, "dropped");
    // The server is fine afterwards, and the client can find the booking.
    let (_, page) = t.list(&token, "").await;
    assert_eq!(page["count"], 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn control_endpoints_over_http() {
    let t = start().await;
    let token = t.token().await;
    let id = t.create_ok(&token, t.booking("ctl")).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = t.hw.request_count();

    let post = |path: &str, body: Value| {
        let req = t.http.post(t.url(path)).json(&body);
        async move { common::read(req.send().await.unwrap()).await }
    };
    let (status, armed) = post(
        "/__sim/faults",
        json!({"kind": "server_error", "remaining": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{armed}");
    assert_error(&t.list(&token, "").await, 500, "USG.000000001");
    let (status, _) = post(
        "/__sim/faults",
        json!({"kind": {"delay": 1}, "remaining": 1, "path_prefix": "/v1"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.list(&token, "").await.0, StatusCode::OK);
    let (status, _) = post("/__sim/faults", json!({"kind": "explode", "remaining": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let now = t.hw.now();
    let (status, clock) = post("/__sim/clock", json!({"advance_seconds": 3600})).await;
    assert_eq!(status, StatusCode::OK, "{clock}");
    assert!(t.hw.now() - now >= chrono::Duration::seconds(3600));

    let (status, _) = post(&format!("/__sim/conferences/{id}/start"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(
        &t.edit(&token, &id, t.booking("x")).await,
        400,
        "MMC.111071065",
    );
    let (status, _) = post("/__sim/conferences/000000000/start", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, state) =
        common::read(t.http.get(t.url("/__sim/state")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["meetings"][0]["conference_id"], id.as_str());
    assert_eq!(state["meetings"][0]["phase"], "Created");
    assert!(state["issued_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == token.as_str()));
    // Control calls are not vendor requests.
    assert_eq!(state["request_count"].as_u64().unwrap(), before + 3);
    t.sim.shutdown().await;
}
