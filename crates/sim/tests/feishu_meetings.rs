//! Feishu meetings over HTTP (note §5): get, list_by_no, invite (≤ 10), kickout, set_host
//! (compare-and-swap), end.

mod feishu_common;

use feishu_common::*;
use serde_json::{json, Value};

/// A reserve of the sandbox user and a live meeting under it with users 1 and 2 in it.
async fn live(t: &TestSim) -> (Value, String) {
    let r = t.apply(&t.user(), json!({"topic": "例会"})).await;
    let m = t
        .start_meeting(r["id"].as_str().unwrap(), &[t.open_id(1), t.open_id(2)])
        .await;
    (r, m)
}

fn invitee(id: &str) -> Value {
    json!({"id": id, "user_type": 1})
}

#[tokio::test]
async fn meeting_get_shape_participants_and_ability() {
    let t = start().await;
    let (r, m) = live(&t).await;
    let user = t.user();
    let path = format!("{VC}/meetings/{m}");
    let a = t.get(&path, &user).await;
    let meeting = &a.ok()["meeting"];
    assert_eq!(meeting["id"], m.as_str());
    assert_eq!(meeting["meeting_no"], r["meeting_no"]);
    assert_eq!(meeting["url"], r["url"]);
    assert_eq!(meeting["status"], 2);
    // Times and counts are strings (note §4.6).
    assert!(meeting["start_time"].is_string());
    assert_eq!(meeting["participant_count"], "3");
    assert!(meeting.get("participants").is_none());
    assert!(meeting.get("ability").is_none());
    let with = t
        .get(&format!("{path}?with_participants=true"), &user)
        .await;
    let ps = with.ok()["meeting"]["participants"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ps.len(), 3);
    assert!(ps
        .iter()
        .any(|p| p["id"] == t.creds.user_id.as_str() && p["is_host"] == true));
    // ability: tenant token with with_meeting_ability=true only (note §5.1).
    let tenant = t.tenant().await;
    let ab = t
        .get(&format!("{path}?with_meeting_ability=true"), &tenant)
        .await;
    assert!(ab.ok()["meeting"]["ability"].is_object());
    let ab = t
        .get(&format!("{path}?with_meeting_ability=true"), &user)
        .await;
    assert!(ab.ok()["meeting"].get("ability").is_none());
    // Unknown: 404/121004; a user neither owner nor participant: 403/121005.
    t.get(&format!("{VC}/meetings/6911188411932033028"), &user)
        .await
        .err(404, 121004);
    t.get(&path, &t.user_n(3)).await.err(403, 121005);
    // Bad user_id_type: 121003.
    t.get(&format!("{path}?user_id_type=email"), &user)
        .await
        .err(400, 121003);
    // Older than 90 days: gone (note §5.1).
    t.fs.advance_clock(91 * 86_400);
    t.get(&path, &t.tenant().await).await.err(404, 121004);
}

#[tokio::test]
async fn list_by_no_pages_and_checks_its_range() {
    let t = start().await;
    let user = t.user();
    let r = t.apply(&user, json!({"topic": "多场"})).await;
    let id = r["id"].as_str().unwrap();
    let no = r["meeting_no"].as_str().unwrap();
    // Three sessions, one after the other, under one meeting number (note §11).
    let mut ids = Vec::new();
    for _ in 0..3 {
        let m = t.start_meeting(id, &[]).await;
        t.patch(&format!("{VC}/meetings/{m}/end"), &t.user(), json!({}))
            .await
            .ok();
        ids.push(m);
        t.fs.advance_clock(60);
    }
    let user = t.user();
    let tenant = t.tenant().await;
    let now = t.fs.now().timestamp();
    let base = format!(
        "{VC}/meetings/list_by_no?meeting_no={no}&start_time={}&end_time={now}",
        now - 3600
    );
    let first = t.get(&format!("{base}&page_size=2"), &tenant).await;
    let d = first.ok();
    assert_eq!(d["has_more"], true);
    let briefs: Vec<&str> = d["meeting_briefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(briefs, [ids[0].as_str(), ids[1].as_str()]);
    let token = d["page_token"].as_str().unwrap();
    let second = t
        .get(&format!("{base}&page_size=2&page_token={token}"), &user)
        .await;
    let d = second.ok();
    assert_eq!(d["has_more"], false);
    assert_eq!(d["meeting_briefs"][0]["id"], ids[2].as_str());
    assert_eq!(d["meeting_briefs"][0]["url"], r["url"]);
    // Range errors: start ≥ end, more than 90 days, bad number, page_size > 50: 121003.
    let p = |q: String| format!("{VC}/meetings/list_by_no?{q}");
    t.get(
        &p(format!("meeting_no={no}&start_time={now}&end_time={now}")),
        &tenant,
    )
    .await
    .err(400, 121003);
    t.get(
        &p(format!(
            "meeting_no={no}&start_time={}&end_time={now}",
            now - 91 * 86_400
        )),
        &tenant,
    )
    .await
    .err(400, 121003);
    t.get(
        &p("meeting_no=12345&start_time=1&end_time=2".to_owned()),
        &tenant,
    )
    .await
    .err(400, 121003);
    t.get(&format!("{base}&page_size=51"), &tenant)
        .await
        .err(400, 121003);
    t.get(&p(format!("meeting_no={no}")), &tenant)
        .await
        .err(400, 121003);
}

#[tokio::test]
async fn invite_rings_at_most_10_people_into_a_live_meeting() {
    let t = start().await;
    let (_, m) = live(&t).await;
    let user = t.user();
    let path = format!("{VC}/meetings/{m}/invite");
    // 11 invitees: 121003 (assumption, note §13), nobody rung.
    let eleven: Vec<Value> = (0..11).map(|i| invitee(&format!("ou_{i}"))).collect();
    t.patch(&path, &user, json!({"invitees": eleven}))
        .await
        .err(400, 121003);
    t.patch(&path, &user, json!({"invitees": []}))
        .await
        .err(400, 121003);
    // Ten, with partial success under code 0: a user of the tenant rings (1), strangers fail (2).
    let mut ten = vec![invitee(&t.open_id(3))];
    ten.extend((0..9).map(|i| invitee(&format!("ou_stranger{i}"))));
    let a = t.patch(&path, &user, json!({"invitees": ten})).await;
    let results = a.ok()["invite_results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 10);
    assert_eq!(results[0]["status"], 1);
    assert!(results[1..].iter().all(|r| r["status"] == 2));
    let snap = t.fs.meetings();
    assert!(snap[0].participants.contains(&(t.open_id(3), 3)), "ringing");
    // The invitee answers: in the meeting, so a second invite fails for them (status 2).
    t.fs.join_meeting(&m, &t.open_id(3)).unwrap();
    assert!(t.fs.meetings()[0].participants.contains(&(t.open_id(3), 2)));
    let again = t
        .patch(&path, &user, json!({"invitees": [invitee(&t.open_id(3))]}))
        .await;
    assert_eq!(again.ok()["invite_results"][0]["status"], 2);
    let kicked = t
        .post(
            &format!("{VC}/meetings/{m}/kickout"),
            &t.tenant().await,
            json!({"kickout_users": [invitee(&t.open_id(3))]}),
        )
        .await;
    assert_eq!(kicked.ok()["kickout_results"][0]["result"], 1);
    // Inviting oneself: 122005; an operator not in the meeting: 122003.
    t.patch(
        &path,
        &user,
        json!({"invitees": [invitee(&t.creds.user_id)]}),
    )
    .await
    .err(400, 122005);
    t.patch(
        &path,
        &t.user_n(3),
        json!({"invitees": [invitee(&t.open_id(1))]}),
    )
    .await
    .err(400, 122003);
    // Locked: 122008; full: 122006.
    t.fs.set_meeting_locked(&m, true).unwrap();
    t.patch(&path, &user, json!({"invitees": [invitee(&t.open_id(3))]}))
        .await
        .err(400, 122008);
    t.fs.set_meeting_locked(&m, false).unwrap();
    let mut o = t.fs.options();
    o.meeting_capacity = 3;
    t.fs.set_options(o);
    t.patch(&path, &user, json!({"invitees": [invitee(&t.open_id(3))]}))
        .await
        .err(400, 122006);
    // Unknown meeting: 404/122002; ended: 122001.
    t.patch(
        &format!("{VC}/meetings/6911188411932033028/invite"),
        &user,
        json!({"invitees": [invitee(&t.open_id(3))]}),
    )
    .await
    .err(404, 122002);
    t.patch(&format!("{VC}/meetings/{m}/end"), &user, json!({}))
        .await
        .ok();
    t.patch(&path, &user, json!({"invitees": [invitee(&t.open_id(3))]}))
        .await
        .err(400, 122001);
}

#[tokio::test]
async fn kickout_removes_participants_with_a_tenant_token() {
    let t = start().await;
    let (_, m) = live(&t).await;
    let tenant = t.tenant().await;
    let path = format!("{VC}/meetings/{m}/kickout");
    let a = t
        .post(
            &path,
            &tenant,
            json!({"kickout_users": [invitee(&t.open_id(1)), invitee(&t.open_id(3))]}),
        )
        .await;
    let results = a.ok()["kickout_results"].as_array().unwrap().clone();
    assert_eq!(
        (results[0]["result"].as_i64(), results[1]["result"].as_i64()),
        (Some(1), Some(2))
    );
    assert!(t.fs.meetings()[0].participants.contains(&(t.open_id(1), 4)));
    t.post(&path, &tenant, json!({})).await.err(400, 121003);
    t.post(
        &format!("{VC}/meetings/1/kickout"),
        &tenant,
        json!({"kickout_users": [invitee(&t.open_id(2))]}),
    )
    .await
    .err(404, 122002);
}

#[tokio::test]
async fn set_host_is_a_compare_and_swap() {
    let t = start().await;
    let (_, m) = live(&t).await;
    let user = t.user();
    let path = format!("{VC}/meetings/{m}/set_host");
    // A stale old_host_user: 409/121006 with the current host (note §5.5, §13).
    let a = t
        .patch(
            &path,
            &user,
            json!({"host_user": invitee(&t.open_id(1)), "old_host_user": invitee(&t.open_id(2))}),
        )
        .await;
    a.err(409, 121006);
    assert_eq!(a.body["data"]["host_user"]["id"], t.creds.user_id.as_str());
    // Target not in the meeting: 122004; oneself: 122005; a non-host operator: 121005.
    t.patch(&path, &user, json!({"host_user": invitee(&t.open_id(3))}))
        .await
        .err(400, 122004);
    t.patch(
        &path,
        &user,
        json!({"host_user": invitee(&t.creds.user_id)}),
    )
    .await
    .err(400, 122005);
    t.patch(
        &path,
        &t.user_n(2),
        json!({"host_user": invitee(&t.open_id(1))}),
    )
    .await
    .err(403, 121005);
    t.patch(&path, &user, json!({})).await.err(400, 121003);
    let a = t
        .patch(&path, &user, json!({"host_user": invitee(&t.open_id(1)), "old_host_user": invitee(&t.creds.user_id)}))
        .await;
    assert_eq!(a.ok()["host_user"]["id"], t.open_id(1).as_str());
    assert_eq!(t.fs.meetings()[0].host, t.open_id(1));
    // The tenant may move it back without being in the meeting.
    let tenant = t.tenant().await;
    t.patch(
        &path,
        &tenant,
        json!({"host_user": invitee(&t.creds.user_id)}),
    )
    .await
    .ok();
    assert_eq!(t.fs.meetings()[0].host, t.creds.user_id);
}

#[tokio::test]
async fn only_the_host_ends_a_live_meeting_once() {
    let t = start().await;
    let (r, m) = live(&t).await;
    let path = format!("{VC}/meetings/{m}/end");
    // In the meeting but not the host: 121005 (assumption, note §13); not in it: 122003.
    t.patch(&path, &t.user_n(1), json!({}))
        .await
        .err(403, 121005);
    t.patch(&path, &t.user_n(3), json!({}))
        .await
        .err(400, 122003);
    assert_eq!(t.patch(&path, &t.user(), json!({})).await.ok(), &json!({}));
    let snap = &t.fs.meetings()[0];
    assert!(!snap.live);
    t.patch(&path, &t.user(), json!({})).await.err(400, 122001);
    let got = t.get(&format!("{VC}/meetings/{m}"), &t.user()).await;
    let meeting = &got.ok()["meeting"];
    assert_eq!(meeting["status"], 3);
    assert!(meeting["end_time"].is_string());
    // No live session any more; a new one can start under the same reserve.
    let id = r["id"].as_str().unwrap();
    t.get(&format!("{VC}/reserves/{id}/get_active_meeting"), &t.user())
        .await
        .err(404, 121004);
    let again = t.start_meeting(id, &[]).await;
    assert_ne!(again, m);
}
