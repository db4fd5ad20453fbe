//! CloudRoom list and history (L416-L574): paging `{total, remaining, records}`, the time
//! filter and its one-year limit, searchUserId, periodType 6/7, and 300 calls a minute.

#[path = "cloudroom_common/mod.rs"]
mod common;

use common::{assert_code, start};
use huiyi_sim::cloudroom::CloudroomOptions;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<i64> {
    v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["confId"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn paging_defaults_and_out_of_range() {
    let t = start().await;
    let mut made = Vec::new();
    for i in 0..25 {
        let s = t.now() + 3600 + i * 60;
        made.push(
            t.create_ok(json!({"subject": format!("m{i}"), "orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 60}}))
                .await,
        );
    }
    let (st, v) = t.list("").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["total"], 25);
    assert_eq!(v["remaining"], 1);
    assert_eq!(
        ids(&v),
        made[..20].to_vec(),
        "default size 20, by scheduled time"
    );
    let v = t.list("current=2&size=20").await.1;
    assert_eq!(ids(&v), made[20..].to_vec());
    assert_eq!(v["remaining"], 0);
    let v = t.list("current=3&size=10").await.1;
    assert_eq!(ids(&v).len(), 5);
    // size over 100 or below 1 → the default 20, not clamped (L437).
    assert_eq!(ids(&t.list("size=200").await.1).len(), 20);
    assert_eq!(ids(&t.list("size=0").await.1).len(), 20);
    assert_eq!(ids(&t.list("size=100").await.1).len(), 25);
    // current out of range → page 1 (past the last page too): page by `remaining`.
    assert_eq!(
        ids(&t.list("current=0&size=10").await.1),
        made[..10].to_vec()
    );
    assert_eq!(
        ids(&t.list("current=9&size=10").await.1),
        made[..10].to_vec()
    );
    assert_code(&t.list("current=abc").await, 400);
    // A record: the table's fields plus the example's extras (L455-L492).
    let r = &t.list("size=1").await.1["records"][0];
    for k in [
        "confId",
        "subject",
        "confType",
        "scheduleTime",
        "scheduleEndTime",
        "startTime",
        "endTime",
        "hostName",
        "members",
        "confCode",
        "periodType",
        "status",
        "password",
        "ownerId",
    ] {
        assert!(r.get(k).is_some(), "{k} in {r}");
    }
    assert_eq!(r["confType"], 1);
    assert_eq!(r["status"], 0);
    assert_eq!(r["ownerId"].to_string(), t.creds.user_id);
    // Without `remaining`, as the examples (switch).
    t.cr.set_options(CloudroomOptions {
        list_remaining: false,
        ..CloudroomOptions::default()
    });
    let v = t.list("").await.1;
    assert!(v.get("remaining").is_none());
    assert!(t.history("").await.1.get("remaining").is_none());
    t.cr.set_options(CloudroomOptions::default());
    // Empty is not an error.
    assert_eq!(
        t.history("").await.1,
        json!({"total": 0, "records": [], "remaining": 0})
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn filters_by_time_and_user() {
    let t = start().await;
    let u = t.cr.users();
    t.cr.freeze_clock();
    let now = t.now();
    let a = t
        .create_ok(json!({"subject": "a", "orderConfig": {"scheduleTime": now + 3600, "scheduleEndTime": now + 7200}}))
        .await;
    let b = t
        .create_ok(
            json!({"subject": "b", "hostId": u[1].id, "inviteIds": [u[2].id],
            "orderConfig": {"scheduleTime": now + 86_400, "scheduleEndTime": now + 90_000}}),
        )
        .await;
    let q = |from: i64, to: i64| format!("startTime={from}&endTime={to}");
    assert_eq!(ids(&t.list(&q(now, now + 10_000)).await.1), vec![a]);
    assert_eq!(
        ids(&t.list(&q(now + 80_000, now + 100_000)).await.1),
        vec![b]
    );
    assert_eq!(
        ids(&t.list(&format!("startTime={}", now + 80_000)).await.1),
        vec![b]
    );
    assert_eq!(
        ids(&t.list(&format!("endTime={}", now + 10_000)).await.1),
        vec![a]
    );
    // One year at most (22236).
    assert_code(&t.list(&q(now, now + 365 * 86_400 + 1)).await, 22236);
    assert_eq!(t.list(&q(now, now + 365 * 86_400)).await.0, StatusCode::OK);
    assert_code(&t.history(&q(now, now + 400 * 86_400)).await, 22236);
    // searchUserId: host, invitee; the creator owns everything.
    assert_eq!(
        ids(&t.list(&format!("searchUserId={}", u[1].id)).await.1),
        vec![b]
    );
    assert_eq!(
        ids(&t.list(&format!("searchUserId={}", u[2].id)).await.1),
        vec![b]
    );
    assert_eq!(
        ids(&t.list(&format!("searchUserId={}", u[5].id)).await.1),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&t.list(&format!("searchUserId={}", t.creds.user_id)).await.1),
        vec![a, b]
    );
    assert_code(&t.list("searchUserId=me").await, 400);
    // History: after end, with actual times.
    t.join(a, "nickName=x").await;
    t.cr.enter(a, "x", false).unwrap();
    t.cr.enter(a, "y", false).unwrap();
    let v = t.list("").await.1;
    let ra = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["confId"] == a)
        .unwrap()
        .clone();
    assert_eq!(ra["status"], 1);
    assert_eq!(ra["members"], 2);
    t.cr.advance_clock(100);
    t.post(&format!("/conference/{a}/end"), &json!({})).await;
    assert_eq!(ids(&t.list("").await.1), vec![b]);
    let h = t.history("").await.1;
    assert_eq!(ids(&h), vec![a]);
    let r = &h["records"][0];
    assert_eq!(r["startTime"], now);
    assert_eq!(r["endTime"], now + 100);
    assert_eq!(r["members"], 2);
    assert_eq!(r["subject"], "a");
    assert_eq!(
        ids(&t.history(&q(now + 200, now + 300)).await.1),
        Vec::<i64>::new()
    );
    // Deleting removes it from history.
    t.delete(&format!("/conference/{a}")).await;
    assert_eq!(t.history("").await.1["total"], 0);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn lists_show_period_types_6_and_7_from_the_console() {
    let t = start().await;
    let s = t.now() + 3600;
    let id = t
        .create_ok(json!({"subject": "季度会", "orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 3600}}))
        .await;
    assert!(t.cr.set_period_type_from_console(id, 6, -1));
    let v = t.list("").await.1;
    assert_eq!(v["records"][0]["periodType"], 6);
    assert!(t.cr.set_period_type_from_console(id, 7, -1));
    assert_eq!(t.list("").await.1["records"][0]["periodType"], 7);
    assert_eq!(t.detail(id).await["orderConfig"]["periodType"], 7);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn three_hundred_calls_a_minute_per_list_endpoint() {
    let t = start().await;
    t.cr.freeze_clock();
    // Align to the start of a clock minute.
    t.cr.advance_clock(60 - t.now().rem_euclid(60));
    for i in 0..300 {
        let (s, v) = t.list("").await;
        assert_eq!(s, StatusCode::OK, "call {i}: {v}");
    }
    assert_code(&t.list("").await, 22008);
    // The other list endpoint counts on its own; other endpoints are not limited.
    assert_eq!(t.history("").await.0, StatusCode::OK);
    assert_eq!(t.create(json!({"subject": "x"})).await.0, StatusCode::OK);
    // A bad signature is 22005, not 429.
    let mut h = t.signed();
    h.retain(|(k, _)| k != "X-CR-Signature");
    h.push(("X-CR-Signature".into(), "0".repeat(64)));
    assert_code(
        &t.raw(reqwest::Method::GET, "/conference/list", &h, None)
            .await,
        22005,
    );
    // The next minute.
    t.cr.advance_clock(60);
    assert_eq!(t.list("").await.0, StatusCode::OK);
    // Configurable.
    t.cr.set_options(CloudroomOptions {
        list_rate_limit_per_minute: 1,
        ..CloudroomOptions::default()
    });
    assert_code(&t.list("").await, 22008);
    t.sim.shutdown().await;
}
