//! CloudRoom meetings over HTTP: create (L114), modify (L155), query (L188) with the
//! document's inconsistencies, join/CRMT (L291), end (L359), delete (L389), periodic meetings
//! and meeting states over the sim clock.

#[path = "cloudroom_common/mod.rs"]
mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::{assert_code, assert_empty_ok, start};
use huiyi_sim::cloudroom::{CloudroomOptions, ConfStatus};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn create_variants_from_the_document() {
    let t = start().await;
    // The doc's own example (L140): undocumented "order", orderConfig without times.
    let id = t
        .create_ok(json!({ "subject": "创建会议", "order": 1, "orderConfig": { "periodType": 0 }, "attributes": { "waterMark": 1 } }))
        .await;
    assert!((10_000_000..100_000_000).contains(&id), "8 digits: {id}");
    let m = t.cr.meeting(id).unwrap();
    assert_eq!(m.schedule_time, None, "instant");
    assert_eq!(
        m.host_id.to_string(),
        t.creds.user_id,
        "default host: the creator (L126)"
    );
    // Subject only (SDK "simple meeting", L1204).
    t.create_ok(json!({"subject": "api test"})).await;
    // Scheduled (L1233) and everything at once.
    let ids: Vec<i64> = t.cr.users().iter().map(|u| u.id).collect();
    let start_t = t.now() + 3600;
    let id = t
        .create_ok(json!({
            "subject": "全部字段",
            "hostId": ids[1],
            "inviteIds": [ids[2], ids[3]],
            "assistantInfos": [ids[4]],
            "password": "0123",
            "emailNotice": 1,
            "smsNotice": 0,
            "orderConfig": {"scheduleTime": start_t, "scheduleEndTime": start_t + 7200},
            "attributes": {"autoOpenCamera": 0, "canJoinAdv": 0, "virtualMembers": 2000, "vwallo": 0, "allowJoin": 2},
            "permission": {"allowPicture": 0, "recordConf": 1},
            "votelds": ["v1"],
        }))
        .await;
    let m = t.cr.meeting(id).unwrap();
    assert_eq!(m.host_id, ids[1]);
    assert_eq!(m.invitee_ids, vec![ids[2], ids[3]]);
    assert_eq!(m.assistant_ids, vec![ids[4]]);
    assert_eq!(m.password, "0123", "leading zero kept: a string");
    assert_eq!(m.schedule_time, Some(start_t));
    assert_eq!(m.vote_ids, vec!["v1".to_owned()]);
    assert_eq!((m.virtual_members, m.vwallo, m.allow_join), (2000, 0, 2));
    // Numeric strings are taken for Longs (Jackson), the SDK's equal-end recurrence (L1282).
    let s = t.now() + 600;
    let id = t
        .create_ok(json!({"subject": "周期会议", "orderConfig": {
            "scheduleTime": s.to_string(), "scheduleEndTime": s + 7200,
            "periodType": 3, "periodEndTime": s + 7200}}))
        .await;
    assert_eq!(t.cr.meeting(id).unwrap().period_type, 3);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn create_validation_codes() {
    let t = start().await;
    let now = t.now();
    let s = now + 3600;
    let oc = |v: Value| json!({"subject": "x", "orderConfig": v});
    let cases: Vec<(Value, i64)> = vec![
        (json!({}), 22209),
        (json!({"subject": ""}), 22209),
        (json!({"subject": "   "}), 22209),
        (json!({"subject": "长".repeat(51)}), 22212),
        (json!({"subject": "x", "password": "123"}), 22210),
        (json!({"subject": "x", "password": "1234567"}), 22210),
        (json!({"subject": "x", "password": "12a4"}), 22210),
        (json!({"subject": "x", "password": "１２３４"}), 22210),
        (oc(json!({"scheduleEndTime": s})), 22214),
        (oc(json!({"scheduleTime": "", "scheduleEndTime": s})), 22214),
        (oc(json!({"periodType": 1})), 22214),
        (
            oc(json!({"scheduleTime": "2030-01-01 10:00:00", "scheduleEndTime": s})),
            22216,
        ),
        (
            oc(json!({"scheduleTime": s * 1000, "scheduleEndTime": s * 1000 + 60})),
            22216,
        ),
        (
            oc(json!({"scheduleTime": now - 1, "scheduleEndTime": s})),
            22215,
        ),
        (oc(json!({"scheduleTime": s})), 22217),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": "soon"})),
            22219,
        ),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": s - 1})),
            22218,
        ),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": s + 86_401})),
            22222,
        ),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 6})),
            22220,
        ),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": -1})),
            22220,
        ),
        (
            oc(json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 1})),
            22211,
        ),
        (
            oc(
                json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 1, "periodEndTime": "never"}),
            ),
            22213,
        ),
        (
            oc(
                json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 1, "periodEndTime": -2}),
            ),
            22213,
        ),
        (
            oc(
                json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 1, "periodEndTime": s - 1}),
            ),
            22221,
        ),
        (json!({"subject": "x", "hostId": 1}), 22223),
        (json!({"subject": "x", "inviteIds": [1]}), 22228),
        (json!({"subject": "x", "assistantInfos": [1]}), 22235),
        (
            json!({"subject": "x", "attributes": {"virtualMembers": 2001}}),
            22226,
        ),
        (
            json!({"subject": "x", "attributes": {"virtualMembers": -1}}),
            22226,
        ),
        (
            json!({"subject": "x", "attributes": {"vwallo": 1999}}),
            22225,
        ),
        (
            json!({"subject": "x", "attributes": {"allowJoin": 2}}),
            22229,
        ),
        (json!({"subject": 5, "emailNotice": 2}), 400),
        (json!({"subject": "x", "hostId": "abc"}), 400),
        (json!({"subject": "x", "inviteIds": "1,2"}), 400),
        (json!({"subject": "x", "attributes": {"waterMark": 3}}), 400),
        (json!({"subject": "x", "orderConfig": [1]}), 400),
        (json!(["not", "an", "object"]), 400),
    ];
    for (body, code) in cases {
        let got = t.create(body.clone()).await;
        assert_code(&got, code);
    }
    let users: Vec<i64> = t.cr.users().iter().map(|u| u.id).collect();
    assert_code(
        &t.create(json!({"subject": "x", "assistantInfos": [users[1], users[2], users[3], users[4], users[5]]}))
            .await,
        22234,
    );
    // Boundaries that pass: 50 characters, exactly 24 h, end = start, periodEndTime -1,
    // scheduleTime = now, six digits.
    t.create_ok(json!({"subject": "长".repeat(50), "password": "999999"}))
        .await;
    t.create_ok(oc(
        json!({"scheduleTime": s, "scheduleEndTime": s + 86_400}),
    ))
    .await;
    t.create_ok(oc(json!({"scheduleTime": s, "scheduleEndTime": s})))
        .await;
    t.create_ok(oc(
        json!({"scheduleTime": s, "scheduleEndTime": s + 60, "periodType": 5, "periodEndTime": -1}),
    ))
    .await;
    t.cr.freeze_clock();
    let n = t.now();
    t.create_ok(oc(json!({"scheduleTime": n, "scheduleEndTime": n + 60})))
        .await;
    // Malformed JSON is 400 too.
    let (st, v) = t
        .http
        .post(t.url("/conference"))
        .headers(
            t.signed()
                .iter()
                .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
                .collect(),
        )
        .body("{\"subject\":")
        .send()
        .await
        .map(|r| (r.status(), r))
        .unwrap();
    let body: Value = v.json().await.unwrap();
    assert_code(&(st, body), 400);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn strict_order_config_and_invitee_spellings() {
    let t = start().await;
    t.cr.set_options(CloudroomOptions {
        strict_order_config: true,
        ..CloudroomOptions::default()
    });
    assert_code(
        &t.create(json!({"subject": "x", "orderConfig": {"periodType": 0}}))
            .await,
        22214,
    );
    t.cr.set_options(CloudroomOptions::default());
    let u: Vec<i64> = t.cr.users().iter().map(|u| u.id).collect();
    // Create reads `inviteIds` (L127); `inviteeIds` is silently ignored.
    let id = t
        .create_ok(json!({"subject": "a", "inviteeIds": [u[1]]}))
        .await;
    assert!(t.cr.meeting(id).unwrap().invitee_ids.is_empty());
    // Modify reads `inviteeIds` (L168); `inviteIds` is silently ignored.
    let id = t
        .create_ok(json!({"subject": "b", "inviteIds": [u[1]]}))
        .await;
    assert_empty_ok(
        &t.put(&format!("/conference/{id}"), &json!({"inviteIds": [u[2]]}))
            .await,
    );
    assert_eq!(t.cr.meeting(id).unwrap().invitee_ids, vec![u[1]]);
    assert_empty_ok(
        &t.put(
            &format!("/conference/{id}"),
            &json!({"inviteeIds": [u[2], u[3]]}),
        )
        .await,
    );
    assert_eq!(t.cr.meeting(id).unwrap().invitee_ids, vec![u[2], u[3]]);
    // Lenient: either spelling.
    t.cr.set_options(CloudroomOptions {
        lenient_invitee_field: true,
        ..CloudroomOptions::default()
    });
    let id = t
        .create_ok(json!({"subject": "c", "inviteeIds": [u[1]]}))
        .await;
    assert_eq!(t.cr.meeting(id).unwrap().invitee_ids, vec![u[1]]);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn query_reproduces_the_documents_example_shape() {
    let t = start().await;
    let u = t.cr.users();
    // 2030-04-14 15:07:31 +08:00, like the example's string (L251).
    t.set_clock(1_902_380_851 - 7200);
    let s = 1_902_380_851;
    let id = t
        .create_ok(
            json!({"subject": "会议主题", "password": "123456", "inviteIds": [u[1].id],
            "assistantInfos": [u[2].id],
            "orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 7200},
            "attributes": {"allowJoin": 1, "autoOpenCamera": 1},
            "permission": {"allowUrl": 0}}),
        )
        .await;
    let (st, v) = t.get(&format!("/conference/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v.as_object().unwrap().len(), 1, "bare {{confDetail}}: {v}");
    let d = &v["confDetail"];
    assert_eq!(d["confId"], id);
    assert_eq!(d["subject"], "会议主题");
    assert_eq!(d["status"], 0);
    assert_eq!(d["hostId"].to_string(), t.creds.user_id);
    assert_eq!(d["hostName"], u[0].name);
    assert_eq!(d["password"], "123456");
    assert!(d["url"]
        .as_str()
        .unwrap()
        .starts_with("http://www.cloudroom.com/"));
    assert_ne!(
        d["url"], d["publicUrl"],
        "host link differs from the public one"
    );
    assert!(d["pstnNum"].is_string() && d["pstnPwd"].is_string());
    assert_eq!(
        d["inviteeInfos"],
        json!([{"inviteId": u[1].id, "inviteeName": u[1].name, "inviteeType": 0}])
    );
    assert_eq!(d["assistantInfos"][0]["assistantId"], u[2].id);
    // Times as strings, UTC+8, periodEndTime "" (L250-L255), not the table's Longs.
    assert_eq!(
        d["orderConfig"],
        json!({"scheduleTime": "2030-04-14 15:07:31", "scheduleEndTime": "2030-04-14 17:07:31", "periodType": 0, "periodEndTime": ""})
    );
    // The example's attribute and permission names (L257-L284).
    let a = &d["attributes"];
    assert_eq!(a["onlyComp"], 1);
    assert_eq!(a["onlyInvitee"], 0);
    assert_eq!(
        a["micUseLocal"], 1,
        "autoOpenMicrophone default -1 = local setting"
    );
    assert_eq!(a["cameraUseLocal"], 0);
    assert_eq!(a["autoOpenCamera"], 1);
    assert_eq!(a["vwalldo"], 2000);
    assert!(a.get("vwallo").is_none() && a.get("allowJoin").is_none());
    let p = &d["permission"];
    assert_eq!(p["imForbidUrl"], 1, "inverted allowUrl");
    assert_eq!(p["imForbidPic"], 0);
    assert!(p.get("allowUrl").is_none());
    // The switches give the tables' shapes.
    t.cr.set_options(CloudroomOptions {
        detail_times_as_strings: false,
        detail_example_names: false,
        ..CloudroomOptions::default()
    });
    let d = t.detail(id).await;
    assert_eq!(
        d["orderConfig"],
        json!({"scheduleTime": s, "scheduleEndTime": s + 7200, "periodType": 0, "periodEndTime": 0})
    );
    assert_eq!(d["attributes"]["vwallo"], 2000);
    assert_eq!(d["attributes"]["allowJoin"], 1);
    assert_eq!(d["permission"]["allowUrl"], 0);
    // Periodic without end: -1 in either form (L585; the example's "" is a one-off's, L254).
    let id2 = t
        .create_ok(json!({"subject": "周会", "orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 3600, "periodType": 3, "periodEndTime": -1}}))
        .await;
    assert_eq!(t.detail(id2).await["orderConfig"]["periodEndTime"], -1);
    t.cr.set_options(CloudroomOptions::default());
    assert_eq!(t.detail(id2).await["orderConfig"]["periodEndTime"], -1);
    assert_eq!(t.detail(id2).await["orderConfig"]["periodType"], 3);
    // Unknown meeting, non-numeric id.
    assert_code(&t.get("/conference/99999999").await, 22201);
    assert_code(&t.get("/conference/abc").await, 400);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_is_partial_and_only_before_start() {
    let t = start().await;
    let id = t.create_ok(t.scheduled("原主题", 60)).await;
    let p = format!("/conference/{id}");
    // The doc's example (L181): subject, periodType 0, attributes; times stay.
    let before = t.cr.meeting(id).unwrap();
    assert_empty_ok(&t.put(&p, &json!({"subject": "修改会议", "orderConfig": {"periodType": 0}, "attributes": {"waterMark": 1}})).await);
    let m = t.cr.meeting(id).unwrap();
    assert_eq!(m.subject, "修改会议");
    assert_eq!(m.schedule_time, before.schedule_time);
    // New times (SDK "modify recurring", L1327-L1351).
    let s = t.now() + 7200;
    assert_empty_ok(&t.put(&p, &json!({"orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 3600, "periodType": 1, "periodEndTime": s + 3600}})).await);
    let m = t.cr.meeting(id).unwrap();
    assert_eq!((m.schedule_time, m.period_type), (Some(s), 1));
    assert_eq!(m.subject, "修改会议", "absent subject kept");
    // Validation as on create.
    assert_code(&t.put(&p, &json!({"subject": ""})).await, 22209);
    assert_code(&t.put(&p, &json!({"password": "12"})).await, 22210);
    assert_code(
        &t.put(
            &p,
            &json!({"orderConfig": {"scheduleTime": t.now() - 10, "scheduleEndTime": s}}),
        )
        .await,
        22215,
    );
    assert_code(&t.put(&p, &json!({"hostId": 42})).await, 22223);
    assert_code(&t.put(&p, &json!({"inviteeIds": [42]})).await, 22228);
    assert_code(
        &t.put("/conference/12345678", &json!({"subject": "x"}))
            .await,
        22201,
    );
    // Once started: 22227.
    t.cr.advance_clock(7200);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::InProgress);
    assert_code(&t.put(&p, &json!({"subject": "晚了"})).await, 22227);
    t.sim.shutdown().await;
}

fn decode_crmt(crmt: &str) -> String {
    let payload = crmt.strip_prefix("CRMT:").expect("CRMT: prefix");
    String::from_utf8(B64.decode(payload).expect("standard base64")).unwrap()
}

#[tokio::test]
async fn join_hands_out_recorded_crmt_strings() {
    let t = start().await;
    let id = t
        .create_ok(json!({"subject": "入会", "password": "0420"}))
        .await;
    // Percent-encoded UTF-8 nickname of exactly 30 characters.
    let nick = "云".repeat(30);
    let q = format!("nickName={}&password=0420", urlencode(&nick));
    let (s, v) = t.join(id, &q).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v.as_object().unwrap().len(), 1);
    let crmt = v["crmt"].as_str().unwrap().to_owned();
    let text = decode_crmt(&crmt);
    assert!(text.starts_with("-MEETTYPE=MEETMGR\n-MGRACNT="), "{text}");
    assert!(text.contains(&format!("-CONFID={id}\n")));
    assert!(text.contains(&format!("-NICKNAME={nick}\n")));
    assert!(text.contains("-USERTYPE=4\n"), "default participant");
    assert_eq!(t.cr.issued_crmts(), vec![crmt.clone()]);
    // Handing out the string joins nobody (L323-357: the client joins when it is launched).
    assert_eq!(t.detail(id).await["status"], 0);
    t.cr.enter(id, &nick, false).unwrap();
    assert_eq!(
        t.detail(id).await["status"],
        1,
        "someone in the client starts it"
    );
    // Host join.
    let (s, v) = t.join(id, "nickName=host&userType=1&password=0420").await;
    assert_eq!(s, StatusCode::OK);
    assert!(decode_crmt(v["crmt"].as_str().unwrap()).contains("-USERTYPE=1\n"));
    assert_ne!(v["crmt"], json!(crmt), "each CRMT differs");
    assert_eq!(t.cr.issued_crmts().len(), 2);
    // Refusals.
    assert_code(&t.join(id, "password=0420").await, 22230);
    assert_code(&t.join(id, "nickName=&password=0420").await, 22230);
    assert_code(
        &t.join(
            id,
            &format!("nickName={}&password=0420", urlencode(&"云".repeat(31))),
        )
        .await,
        22232,
    );
    assert_code(
        &t.join(id, "nickName=a&userType=2&password=0420").await,
        22231,
    );
    assert_code(
        &t.join(id, "nickName=a&userType=x&password=0420").await,
        22231,
    );
    assert_code(&t.join(id, "nickName=a").await, 22202);
    assert_code(&t.join(id, "nickName=a&password=0421").await, 22202);
    assert_code(&t.join(id, "nickName=a&userType=1&password=1").await, 22202);
    assert_code(&t.join(12345678, "nickName=a").await, 22201);
    assert_code(&t.get("/conference/x1/join?nickName=a").await, 400);
    assert_eq!(t.cr.issued_crmts().len(), 2, "refusals hand out nothing");
    // Ended: 22204.
    assert_empty_ok(&t.post(&format!("/conference/{id}/end"), &json!({})).await);
    assert_code(&t.join(id, "nickName=a&password=0420").await, 22204);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn can_join_adv_0_waits_for_the_host() {
    let t = start().await;
    let id = t
        .create_ok(json!({"subject": "等主持人", "attributes": {"canJoinAdv": 0}}))
        .await;
    assert_code(&t.join(id, "nickName=early").await, 22203);
    assert!(t.cr.enter(id, "early", false).is_err(), "nor in the client");
    assert_eq!(
        t.join(id, "nickName=host&userType=1").await.0,
        StatusCode::OK
    );
    assert_code(&t.join(id, "nickName=late").await, 22203);
    t.cr.enter(id, "host", true).unwrap();
    assert_eq!(t.join(id, "nickName=late").await.0, StatusCode::OK);
    t.cr.enter(id, "late", false).unwrap();
    assert_eq!(t.cr.meeting(id).unwrap().joined, vec!["host", "late"]);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn states_over_the_clock_end_and_delete() {
    let t = start().await;
    let id = t.create_ok(t.scheduled("按时", 60)).await;
    let status = |t: &common::TestSim| t.cr.meeting(id).unwrap().status;
    assert_eq!(status(&t), ConfStatus::NotStarted);
    t.cr.advance_clock(3600);
    assert_eq!(status(&t), ConfStatus::InProgress);
    assert_eq!(t.detail(id).await["status"], 1);
    t.cr.advance_clock(3600);
    assert_eq!(status(&t), ConfStatus::Ended);
    assert_eq!(t.detail(id).await["status"], 2);
    assert_code(
        &t.post(&format!("/conference/{id}/end"), &json!({})).await,
        22204,
    );
    // An ended meeting can be deleted; then it is gone.
    assert_empty_ok(&t.delete(&format!("/conference/{id}")).await);
    assert_code(&t.get(&format!("/conference/{id}")).await, 22201);
    assert_code(&t.delete(&format!("/conference/{id}")).await, 22201);
    // In progress cannot be deleted (22227) but can be ended, with an empty body too.
    let id = t.create_ok(json!({"subject": "即时"})).await;
    t.join(id, "nickName=a").await;
    t.cr.enter(id, "a", false).unwrap();
    assert_code(&t.delete(&format!("/conference/{id}")).await, 22227);
    let got = t
        .raw(
            Method::POST,
            &format!("/conference/{id}/end"),
            &t.signed(),
            None,
        )
        .await;
    assert_empty_ok(&got);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::Ended);
    assert_code(&t.post("/conference/12345678/end", &json!({})).await, 22201);
    // Not started can be deleted.
    let id = t.create_ok(t.scheduled("取消", 30)).await;
    assert_empty_ok(&t.delete(&format!("/conference/{id}")).await);
    assert!(t.cr.meeting(id).is_none());
    // An instant meeting nobody joins ends 24 h after creation.
    let id = t.create_ok(json!({"subject": "无人"})).await;
    t.cr.advance_clock(86_400);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::Ended);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_periodic_series_keeps_one_conf_id() {
    let t = start().await;
    // Monday 2030-01-07 10:00 +08:00, every workday, no end.
    t.set_clock(1_893_981_600 - 600);
    let s = 1_893_981_600;
    let id = t
        .create_ok(json!({"subject": "站会", "orderConfig": {"scheduleTime": s, "scheduleEndTime": s + 900, "periodType": 2, "periodEndTime": -1}}))
        .await;
    let rec = |v: &Value| {
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["confId"] == id)
            .cloned()
    };
    t.cr.advance_clock(600);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::InProgress);
    // Between occurrences it is upcoming again, the list showing the next one.
    t.cr.advance_clock(900);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::NotStarted);
    let r = rec(&t.list("").await.1).unwrap();
    assert_eq!(r["scheduleTime"], s + 86_400);
    assert_eq!(r["periodType"], 2);
    // Friday's → Monday's.
    t.cr.advance_clock(4 * 86_400);
    let r = rec(&t.list("").await.1).unwrap();
    assert_eq!(r["scheduleTime"], s + 7 * 86_400);
    // A series with an end becomes history after its last occurrence.
    let id2 = t
        .create_ok(json!({"subject": "三天", "orderConfig": {"scheduleTime": t.now() + 60, "scheduleEndTime": t.now() + 120, "periodType": 1, "periodEndTime": t.now() + 2 * 86_400 + 60}}))
        .await;
    t.cr.advance_clock(2 * 86_400 + 119);
    assert_eq!(t.cr.meeting(id2).unwrap().status, ConfStatus::InProgress);
    t.cr.advance_clock(1);
    assert_eq!(t.cr.meeting(id2).unwrap().status, ConfStatus::Ended);
    assert!(rec(&t.history("").await.1).is_none());
    assert!(t.history("").await.1["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["confId"] == id2));
    // Ending the series ends it all.
    assert_empty_ok(&t.post(&format!("/conference/{id}/end"), &json!({})).await);
    assert_eq!(t.cr.meeting(id).unwrap().status, ConfStatus::Ended);
    t.sim.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
