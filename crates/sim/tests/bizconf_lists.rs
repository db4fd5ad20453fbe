//! BizConf lists over real HTTP: the user's upcoming / ongoing / ended meetings (2.5-2.7)
//! and the site's (2.8-2.10), with their different shapes (note §6.8, §6.9, §7.18).

#[path = "bizconf_common/mod.rs"]
mod common;

use common::{assert_ok, assert_status, id_of, set_param, start, TestSim};
use serde_json::Value;

/// Book for `user` at `minutes` from now, 30 minutes long.
async fn book_at(t: &TestSim, user: &str, name: &str, minutes: i64) -> String {
    let mut b = t.booking(name);
    set_param(&mut b, "userId", user);
    set_param(&mut b, "userName", user);
    set_param(&mut b, "startTime", &t.gmt(minutes));
    set_param(&mut b, "duration", "30");
    id_of(&t.book_ok(b).await)
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|m| match &m["confId"] {
            Value::String(s) => s.clone(),
            n => n.as_u64().unwrap().to_string(),
        })
        .collect()
}

#[tokio::test]
async fn user_upcoming_list_pages_with_a_string_current_page() {
    let t = start().await;
    let me = t.creds.user_id.clone();
    let a = book_at(&t, &me, "a", 60).await;
    let b = book_at(&t, &me, "b", 120).await;
    let c = book_at(&t, &me, "c", 180).await;
    book_at(&t, "colleague", "theirs", 60).await;
    let got = t
        .post("getScheduledConfListByUserId", &[("pageSize", "2")])
        .await;
    assert_ok(&got);
    let v = &got.1;
    // L929-L935: paging at the top level, currentPage a string, data.confInfo.
    assert_eq!(v["currentPage"], "1");
    assert_eq!(v["totalPage"], 2);
    assert_eq!(v["totalItems"], 3);
    assert_eq!(v["pageSize"], 2);
    assert_eq!(v["message"], "success");
    let page1 = v["data"]["confInfo"].as_array().unwrap();
    assert_eq!(ids(page1), vec![a.clone(), b.clone()], "soonest first");
    assert_eq!(page1[0]["confId"].as_u64().unwrap().to_string(), a);
    assert!(page1[0]["protocolJoinUrl"].is_string());
    assert_eq!(page1[0]["confStatus"], 0);
    let got = t
        .post(
            "getScheduledConfListByUserId",
            &[("pageNo", "2"), ("pageSize", "2")],
        )
        .await;
    assert_eq!(got.1["currentPage"], "2");
    assert_eq!(
        ids(got.1["data"]["confInfo"].as_array().unwrap()),
        vec![c.clone()]
    );
    // Defaults 1 and 10 (L895, L902).
    let got = t.post("getScheduledConfListByUserId", &[]).await;
    assert_eq!(got.1["pageSize"], 10);
    assert_eq!(got.1["totalPage"], 1);
    // Start time filter: meetings starting within [startTime, endTime].
    let from = t.gmt(100);
    let to = t.gmt(180);
    let got = t
        .post(
            "getScheduledConfListByUserId",
            &[("startTime", &from), ("endTime", &to)],
        )
        .await;
    assert_eq!(
        ids(got.1["data"]["confInfo"].as_array().unwrap()),
        vec![b, c]
    );
    // Malformed paging or filter: 109.
    for bad in [
        ("pageNo", "0"),
        ("pageSize", "x"),
        ("startTime", "tomorrow"),
    ] {
        assert_status(&t.post("getScheduledConfListByUserId", &[bad]).await, 109);
    }
    t.sim.shutdown().await;
}

#[tokio::test]
async fn an_empty_list_and_an_unknown_user() {
    let t = start().await;
    let got = t.post("getScheduledConfListByUserId", &[]).await;
    assert_ok(&got);
    assert_eq!(got.1["totalItems"], 0);
    assert_eq!(got.1["data"]["confInfo"], serde_json::json!([]));
    // note §7.16: a userId the site does not know is 101 on the user's lists.
    for endpoint in [
        "getScheduledConfListByUserId",
        "getLivingConfByUserId",
        "getFinishedConfListByUserId",
    ] {
        assert_status(&t.post(endpoint, &[("userId", "nobody")]).await, 101);
    }
    // The site's lists go by the site sign (L1221, L1330, L1439): any userId that signs the
    // request reads them, booked before or not.
    let me = t.creds.user_id.clone();
    let booked = book_at(&t, &me, "site-wide", 60).await;
    let got = t
        .post("getScheduledConfListBySiteSign", &[("userId", "nobody")])
        .await;
    assert_ok(&got);
    assert_eq!(got.1["data"][0]["confId"], Value::String(booked));
    for endpoint in [
        "getLivingConfListBySiteSign",
        "getFinishedConfListBySiteSign",
    ] {
        assert_ok(&t.post(endpoint, &[("userId", "nobody")]).await);
    }
    t.sim.shutdown().await;
}

#[tokio::test]
async fn meetings_move_from_upcoming_to_living_to_finished() {
    let t = start().await;
    let me = t.creds.user_id.clone();
    let first = book_at(&t, &me, "first", 60).await;
    let second = book_at(&t, &me, "second", 120).await;
    let count = |v: &Value| v["data"]["confInfo"].as_array().unwrap().len();
    t.bc.advance_clock(61 * 60);
    // 2.6 is "POST GET" (L1015): both work; no paging fields (L1053-L1091).
    for get in [false, true] {
        let got = t.call("getLivingConfByUserId", get, &[]).await;
        assert_ok(&got);
        let live = got.1["data"]["confInfo"].as_array().unwrap().clone();
        assert_eq!(ids(&live), vec![first.clone()]);
        assert_eq!(live[0]["confStatus"], 2);
        assert!(got.1.get("totalPage").is_none());
    }
    let upcoming = t.post("getScheduledConfListByUserId", &[]).await;
    assert_eq!(
        ids(upcoming.1["data"]["confInfo"].as_array().unwrap()),
        vec![second.clone()]
    );
    t.bc.advance_clock(120 * 60);
    let finished = t.post("getFinishedConfListByUserId", &[]).await;
    assert_ok(&finished);
    let list = finished.1["data"]["confInfo"].as_array().unwrap();
    // Latest first; confStatus 3 (the sample's 0 at L1204 is a copy-paste, note §6.15).
    assert_eq!(ids(list), vec![second, first]);
    assert!(list.iter().all(|m| m["confStatus"] == 3));
    assert_eq!(finished.1["currentPage"], "1");
    assert_eq!(count(&t.post("getLivingConfByUserId", &[]).await.1), 0);
    assert_eq!(
        count(&t.post("getScheduledConfListByUserId", &[]).await.1),
        0
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn cancelled_meetings_are_in_no_list() {
    let t = start().await;
    let me = t.creds.user_id.clone();
    let id = book_at(&t, &me, "gone", 60).await;
    assert_ok(&t.post("cancelConf", &[("confId", &id)]).await);
    for endpoint in [
        "getScheduledConfListByUserId",
        "getFinishedConfListByUserId",
        "getScheduledConfListBySiteSign",
        "getFinishedConfListBySiteSign",
    ] {
        let got = t.post(endpoint, &[]).await;
        assert_eq!(got.1["totalItems"], 0, "{endpoint}: {}", got.1);
    }
    t.sim.shutdown().await;
}

#[tokio::test]
async fn site_lists_hold_every_user_with_numbers_as_strings() {
    let t = start().await;
    let me = t.creds.user_id.clone();
    let mine = book_at(&t, &me, "mine", 60).await;
    let theirs = book_at(&t, "colleague", "theirs", 90).await;
    let got = t.post("getScheduledConfListBySiteSign", &[]).await;
    assert_ok(&got);
    let v = &got.1;
    // L1298: data is the array itself.
    let list = v["data"].as_array().expect("data is an array");
    assert_eq!(ids(list), vec![mine.clone(), theirs]);
    // L1320-L1323: paging at the top level, currentPage a number here.
    assert_eq!(v["currentPage"], 1);
    assert_eq!(v["totalItems"], 2);
    assert_eq!(v["totalPage"], 1);
    assert_eq!(v["pageSize"], 10);
    let m = &list[0];
    // L1300-L1311: numbers quoted.
    assert_eq!(m["confId"], mine.as_str());
    assert_eq!(m["duration"], "30");
    assert_eq!(m["confStatus"], "0");
    assert_eq!(m["confParties"], "5");
    assert!(m["confNumber"].is_string());
    // L1314, L1316: beforeTime and interpretation unquoted.
    assert_eq!(m["beforeTime"], 0);
    assert_eq!(m["interpretation"], 0);
    assert_eq!(m["userId"], me.as_str());
    // The sandbox user exists from the start: its name, not the one sent (L226).
    assert_eq!(m["userName"], t.creds.user_name.as_str());
    assert!(m["joinUrl"]
        .as_str()
        .unwrap()
        .contains(&format!("/j/{mine}4/")));
    assert!(m["hostStartUrl"]
        .as_str()
        .unwrap()
        .contains(&format!("/j/{mine}3/")));
    // No sfcloud:// links in site lists (note §6.9).
    assert!(m.get("protocolJoinUrl").is_none() && m.get("protocolHostStartUrl").is_none());
    assert!(!v.to_string().contains("sfcloud://"));
    // Paging.
    let got = t
        .post(
            "getScheduledConfListBySiteSign",
            &[("pageNo", "2"), ("pageSize", "1")],
        )
        .await;
    assert_eq!(got.1["currentPage"], 2);
    assert_eq!(got.1["totalPage"], 2);
    assert_eq!(got.1["data"].as_array().unwrap().len(), 1);
    // Any user of the site may ask (note §6.31).
    let got = t
        .post("getScheduledConfListBySiteSign", &[("userId", "colleague")])
        .await;
    assert_eq!(got.1["totalItems"], 2);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn site_living_and_finished() {
    let t = start().await;
    let me = t.creds.user_id.clone();
    let a = book_at(&t, &me, "a", 60).await;
    let b = book_at(&t, "colleague", "b", 60).await;
    t.bc.advance_clock(61 * 60);
    let live = t.post("getLivingConfListBySiteSign", &[]).await;
    assert_ok(&live);
    let list = live.1["data"].as_array().unwrap();
    assert_eq!(ids(list), vec![a.clone(), b.clone()]);
    assert!(list.iter().all(|m| m["confStatus"] == "2"));
    assert_ok(&t.post("endConf", &[("confId", &a)]).await);
    let done = t.post("getFinishedConfListBySiteSign", &[]).await;
    let list = done.1["data"].as_array().unwrap();
    assert_eq!(ids(list), vec![a.clone()]);
    assert_eq!(list[0]["confStatus"], "3");
    // A time filter on the site list.
    let to = t.gmt(-120);
    let got = t
        .post("getFinishedConfListBySiteSign", &[("endTime", &to)])
        .await;
    assert_eq!(got.1["totalItems"], 0);
    t.sim.shutdown().await;
}
