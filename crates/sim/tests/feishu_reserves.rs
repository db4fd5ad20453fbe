//! Feishu reserves over HTTP (note §4): apply with the 30-day end_time rule and the
//! meeting_settings checks, update (partial, renewal), delete, get, get_active_meeting, links
//! (note §10).

mod feishu_common;

use feishu_common::*;
use serde_json::{json, Value};

fn apply_path() -> String {
    format!("{VC}/reserves/apply")
}

#[tokio::test]
async fn apply_with_a_user_token_answers_the_documented_reserve() {
    let t = start().await;
    let user = t.user();
    let end = t.end_in(3 * 86_400);
    let a = t
        .post(
            &apply_path(),
            &user,
            json!({"end_time": end, "meeting_settings": {"topic": "周会", "password": "1234"}}),
        )
        .await;
    let data = a.ok();
    let r = &data["reserve"];
    let id = r["id"].as_str().unwrap();
    assert_eq!(id.len(), 19, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    let no = r["meeting_no"].as_str().unwrap();
    assert_eq!(no.len(), 9);
    // url ends in the meeting number (note §10); app_link has the id and four {?} switches.
    assert_eq!(r["url"], format!("https://vc.feishu.cn/j/{no}"));
    assert_eq!(
        r["app_link"],
        format!("https://applink.feishu.cn/client/videochat/open?source=openplatform&action=join&idtype=reservationid&id={id}&preview={{?}}&mic={{?}}&speaker={{?}}&camera={{?}}")
    );
    assert!(r["live_link"]
        .as_str()
        .unwrap()
        .starts_with("https://meetings.feishu.cn/s/"));
    assert_eq!(r["end_time"], end.as_str());
    assert_eq!(r["password"], "1234");
    // Apply has no expire_status / reserve_user_id / meeting_settings (note §4.2).
    assert!(r.get("expire_status").is_none() && r.get("meeting_settings").is_none());
    assert_eq!(
        data["reserve_correction_check_info"]["invalid_host_id_list"],
        json!([])
    );

    let got = t.get(&format!("{VC}/reserves/{id}"), &user).await;
    let g = &got.ok()["reserve"];
    assert_eq!(g["expire_status"], 1);
    assert_eq!(g["reserve_user_id"], t.creds.user_id.as_str());
    assert_eq!(g["meeting_settings"]["topic"], "周会");
    assert_eq!(g["app_link"], r["app_link"]);
    assert_eq!(t.fs.reserves().len(), 1);
}

#[tokio::test]
async fn apply_with_a_tenant_token_needs_an_owner_of_the_tenant() {
    let t = start().await;
    let tenant = t.tenant().await;
    let settings = json!({"topic": "t"});
    let end = t.end_in(86_400);
    // Note §12.1 / §13: tenant apply without owner_id → 121003.
    t.post(
        &apply_path(),
        &tenant,
        json!({"end_time": end, "meeting_settings": settings}),
    )
    .await
    .err(400, 121003);
    t.post(
        &apply_path(),
        &tenant,
        json!({"end_time": end, "owner_id": "ou_stranger", "meeting_settings": settings}),
    )
    .await
    .err(400, 121003);
    let a = t
        .post(
            &apply_path(),
            &tenant,
            json!({"end_time": end, "owner_id": t.open_id(1), "meeting_settings": settings}),
        )
        .await;
    let id = a.ok()["reserve"]["id"].as_str().unwrap().to_owned();
    let got = t.get(&format!("{VC}/reserves/{id}"), &tenant).await;
    assert_eq!(
        got.ok()["reserve"]["reserve_user_id"],
        t.open_id(1).as_str()
    );
    // The owner may read it with their own user token; another user may not (403/121005).
    t.get(&format!("{VC}/reserves/{id}"), &t.user_n(1))
        .await
        .ok();
    t.get(&format!("{VC}/reserves/{id}"), &t.user())
        .await
        .err(403, 121005);
}

#[tokio::test]
async fn end_time_is_required_in_the_future_and_at_most_30_days_ahead() {
    let t = start().await;
    let user = t.user();
    let s = json!({"topic": "x"});
    let now = t.fs.now().timestamp();
    // Missing (multi-person), in the past, 30 days + 1 h ahead: 121003 (note §4.2, §13).
    t.post(&apply_path(), &user, json!({"meeting_settings": s}))
        .await
        .err(400, 121003);
    t.post(
        &apply_path(),
        &user,
        json!({"end_time": (now - 60).to_string(), "meeting_settings": s}),
    )
    .await
    .err(400, 121003);
    let a = t
        .post(
            &apply_path(),
            &user,
            json!({"end_time": (now + 30 * 86_400 + 3600).to_string(), "meeting_settings": s}),
        )
        .await;
    a.err(400, 121003);
    assert_eq!(a.body["error"]["field_violations"][0]["field"], "end_time");
    // 30 days minus a minute is fine; so is a JSON number (the Python SDK, note last section).
    t.post(
        &apply_path(),
        &user,
        json!({"end_time": (now + 30 * 86_400 - 60).to_string(), "meeting_settings": s}),
    )
    .await
    .ok();
    t.post(
        &apply_path(),
        &user,
        json!({"end_time": now + 3600, "meeting_settings": s}),
    )
    .await
    .ok();
    // Missing meeting_settings: 121003; a body that is not JSON: 121003.
    t.post(&apply_path(), &user, json!({"end_time": now + 3600}))
        .await
        .err(400, 121003);
    let resp = t
        .http
        .post(t.url(&apply_path()))
        .header("Authorization", format!("Bearer {user}"))
        .body("not json")
        .send()
        .await
        .unwrap();
    read(resp).await.err(400, 121003);
    assert_eq!(t.fs.reserves().len(), 2);
}

#[tokio::test]
async fn meeting_settings_are_checked_as_documented() {
    let t = start().await;
    let user = t.user();
    let end = t.end_in(86_400);
    let apply = |settings: Value| {
        let body = json!({"end_time": end, "meeting_settings": settings});
        let t = &t;
        let user = &user;
        async move { t.post(&apply_path(), user, body).await }
    };
    let host = |id: &str| json!({"user_type": 1, "id": id});
    // 11 hosts: 123003.
    let eleven: Vec<Value> = (0..11).map(|_| host(&t.open_id(1))).collect();
    apply(json!({"assign_host_list": eleven}))
        .await
        .err(400, 123003);
    // A malformed host entry: 123004.
    apply(json!({"assign_host_list": [{"user_type": 2, "id": t.open_id(1)}]}))
        .await
        .err(400, 123004);
    apply(json!({"assign_host_list": [{"user_type": 1}]}))
        .await
        .err(400, 123004);
    // An unknown host id is reported, not refused.
    let a = apply(json!({"assign_host_list": [host(&t.open_id(1)), host("ou_nobody")]})).await;
    assert_eq!(
        a.ok()["reserve_correction_check_info"]["invalid_host_id_list"],
        json!(["ou_nobody"])
    );
    // Password: "" = none, 4–9 digits kept, anything else 123006, omitted = the owner's
    // setting (a random 6-digit one in the sandbox).
    for bad in ["123", "1234567890", "12a4", "abcd"] {
        apply(json!({"password": bad})).await.err(400, 123006);
    }
    assert_eq!(
        apply(json!({"password": ""})).await.ok()["reserve"]["password"],
        ""
    );
    assert_eq!(
        apply(json!({"password": "123456789"})).await.ok()["reserve"]["password"],
        "123456789"
    );
    let random = apply(json!({})).await.ok()["reserve"]["password"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        random.len() == 6 && random.bytes().all(|b| b.is_ascii_digit()),
        "{random}"
    );
    // Permissions with values outside their enums: 121003.
    apply(json!({"action_permissions": [{"permission": 4, "permission_checkers": []}]}))
        .await
        .err(400, 121003);
    apply(json!({"action_permissions": [{"permission": 3, "permission_checkers": [{"check_field": 1, "check_mode": 3, "check_list": []}]}]}))
        .await
        .err(400, 121003);
    apply(json!({"action_permissions": [{"permission": 3, "permission_checkers": [{"check_field": 3, "check_mode": 1, "check_list": [t.creds.tenant_key]}]}]}))
        .await
        .ok();
    // 1v1 calls: PSTN callee only; never auto-recorded (123002).
    let pstn =
        json!({"callee": {"user_type": 6, "pstn_sip_info": {"main_address": "+86-02187654321"}}});
    apply(json!({"meeting_initial_type": 2, "call_setting": pstn, "auto_record": true}))
        .await
        .err(400, 123002);
    apply(json!({"meeting_initial_type": 2, "call_setting": {"callee": {"user_type": 1, "id": t.open_id(1)}}}))
        .await
        .err(400, 121003);
    apply(json!({"meeting_initial_type": 2, "call_setting": pstn}))
        .await
        .ok();
    apply(json!({"meeting_initial_type": 3}))
        .await
        .err(400, 121003);
}

#[tokio::test]
async fn update_is_partial_and_renews_within_30_days() {
    let t = start().await;
    let user = t.user();
    let r = t
        .apply(
            &user,
            json!({"topic": "旧", "password": "4321", "auto_record": true}),
        )
        .await;
    let id = r["id"].as_str().unwrap();
    let path = format!("{VC}/reserves/{id}");
    // Only the topic: the rest stays (note §4.3).
    let a = t
        .put(&path, &user, json!({"meeting_settings": {"topic": "新"}}))
        .await;
    let u = &a.ok()["reserve"];
    assert_eq!(u["password"], "4321");
    assert_eq!(u["expire_status"], 1);
    assert!(
        u.get("app_link").is_none(),
        "the update table has no app_link (note §4.3)"
    );
    let g = t.get(&path, &user).await;
    let s = &g.ok()["reserve"]["meeting_settings"];
    assert_eq!(
        (s["topic"].as_str(), s["auto_record"].as_bool()),
        (Some("新"), Some(true))
    );
    // Sent empty: cleared.
    t.put(&path, &user, json!({"meeting_settings": {"password": ""}}))
        .await
        .ok();
    assert_eq!(t.get(&path, &user).await.ok()["reserve"]["password"], "");
    // Renewal re-checks the 30-day rule.
    t.fs.advance_clock(20 * 86_400);
    // (User tokens live 2 h: a fresh one after the jump.)
    let user = t.user();
    t.put(&path, &user, json!({"end_time": t.end_in(31 * 86_400)}))
        .await
        .err(400, 121003);
    let end = t.end_in(29 * 86_400);
    t.put(&path, &user, json!({"end_time": end})).await.ok();
    assert_eq!(
        t.get(&path, &user).await.ok()["reserve"]["end_time"],
        end.as_str()
    );
    // meeting_connect cannot be updated (note §4.1).
    t.put(
        &path,
        &user,
        json!({"meeting_settings": {"meeting_connect": true}}),
    )
    .await
    .err(400, 121002);
    // Someone else's: 403/121005; unknown: 404/121004.
    t.put(
        &path,
        &t.user_n(2),
        json!({"meeting_settings": {"topic": "x"}}),
    )
    .await
    .err(403, 121005);
    t.put(
        &format!("{VC}/reserves/6900000000000000001"),
        &user,
        json!({}),
    )
    .await
    .err(404, 121004);
}

#[tokio::test]
async fn expiry_and_delete() {
    let t = start().await;
    let user = t.user();
    let r = t.apply(&user, json!({"topic": "到期"})).await;
    let id = r["id"].as_str().unwrap();
    let path = format!("{VC}/reserves/{id}");
    // After end_time: still readable, expire_status 2 (note §13 suggestion).
    t.fs.advance_clock(86_401);
    let user = t.user();
    assert_eq!(
        t.get(&path, &user).await.ok()["reserve"]["expire_status"],
        2
    );
    assert!(t.fs.reserves()[0].expired);
    // Someone else cannot delete it.
    t.delete(&path, &t.user_n(1)).await.err(403, 121005);
    let a = t.delete(&path, &user).await;
    assert_eq!(a.ok(), &json!({}));
    // Deleted: 404/121004 on every later call.
    t.get(&path, &user).await.err(404, 121004);
    t.delete(&path, &user).await.err(404, 121004);
    t.put(&path, &user, json!({"meeting_settings": {"topic": "x"}}))
        .await
        .err(404, 121004);
    t.get(&format!("{path}/get_active_meeting"), &user)
        .await
        .err(404, 121004);
    assert!(t.fs.reserves()[0].deleted);
}

#[tokio::test]
async fn get_active_meeting_finds_the_live_session_only() {
    let t = start().await;
    let user = t.user();
    let r = t.apply(&user, json!({"topic": "活跃"})).await;
    let id = r["id"].as_str().unwrap();
    let path = format!("{VC}/reserves/{id}/get_active_meeting");
    // Nothing live: 404/121004 (assumption, note §12.10).
    t.get(&path, &user).await.err(404, 121004);
    let meeting = t.start_meeting(id, &[t.open_id(1)]).await;
    let a = t
        .get(&format!("{path}?with_participants=true"), &user)
        .await;
    let m = &a.ok()["meeting"];
    assert_eq!(m["id"], meeting.as_str());
    assert_eq!(m["status"], 2);
    assert_eq!(m["topic"], "活跃");
    assert_eq!(m["meeting_no"], r["meeting_no"]);
    assert_eq!(m["participants"].as_array().unwrap().len(), 2);
    assert_eq!(m["host_user"]["id"], t.creds.user_id.as_str());
    // Without with_participants there are none.
    assert!(t.get(&path, &user).await.ok()["meeting"]
        .get("participants")
        .is_none());
    // A tenant token reaches it too (note §12.1).
    t.get(&path, &t.tenant().await).await.ok();
}

#[tokio::test]
async fn lark_region_changes_the_link_hosts() {
    let t = start().await;
    let mut o = t.fs.options();
    o.region = huiyi_sim::feishu::Region::Lark;
    t.fs.set_options(o);
    let r = t.apply(&t.user(), json!({})).await;
    assert!(r["url"]
        .as_str()
        .unwrap()
        .starts_with("https://vc.larksuite.com/j/"));
    assert!(r["app_link"]
        .as_str()
        .unwrap()
        .starts_with("https://applink.larksuite.com/client/videochat/open?"));
}
