//! Tencent one-off meetings over real HTTP (note §3.1, §3.3-§3.5).

#[path = "tencent_common/mod.rs"]
mod common;

use common::{assert_error, remove, start};
use huiyi_sim::tencent::{MeetingStatus, TencentOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn create_answers_the_documented_shape() {
    let t = start().await;
    let mut body = t.booking("周会");
    body["password"] = json!("1234");
    body["time_zone"] = json!("Asia/Shanghai");
    body["location"] = json!("3楼大会议室");
    body["settings"] = json!({"mute_enable_join": false, "auto_in_waiting_room": true});
    body["hosts"] = json!([{"userid": "colleague-1"}]);
    body["invitees"] = json!([{"userid": "colleague-2"}, {"userid": "outsider@example.com"}]);
    body["guests"] = json!([{"area": "86", "phone_number": "13800000000", "guest_name": "王"}]);
    let m = t.create_ok(&body).await;
    let id = m["meeting_id"].as_str().expect("meeting_id is a string");
    assert!(
        id.len() >= 19 && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    assert!(id.parse::<u64>().is_ok(), "64-bit");
    let code = m["meeting_code"].as_str().unwrap();
    assert!(
        code.len() == 9 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let url = m["join_url"].as_str().unwrap();
    assert!(url.starts_with("https://meeting.tencent.com/dm/"), "{url}");
    assert_eq!(m["subject"], "周会");
    assert_eq!(m["type"], 0);
    assert_eq!(m["start_time"], body["start_time"], "times are strings");
    assert_eq!(m["end_time"], body["end_time"]);
    assert_eq!(m["password"], "1234");
    assert_eq!(m["hosts"], json!([{"userid": "colleague-1"}]));
    assert_eq!(m["participants"].as_array().unwrap().len(), 2);
    assert_eq!(m["user_non_registered"], json!(["outsider@example.com"]));
    assert_eq!(m["settings"]["mute_enable_join"], false);
    assert_eq!(m["settings"]["auto_in_waiting_room"], true);
    assert_eq!(m["settings"]["allow_unmute_self"], true, "default");
    assert_eq!(m["location"], "3楼大会议室");

    let q = t.get_ok(id).await;
    assert_eq!(q["status"], "MEETING_STATE_INIT");
    assert_eq!(q["need_password"], true);
    assert_eq!(q["time_zone"], "Asia/Shanghai");
    assert_eq!(q["guests"][0]["area"], "86");
    assert_eq!(q["join_url"], url);
    let snap = &t.tc.meetings()[0];
    assert_eq!(snap.meeting_id, id);
    assert_eq!(snap.status, MeetingStatus::Init);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn numbers_sent_as_strings_are_accepted() {
    // The official custom-rule examples send "instanceid":"1", "type":"0" (note §3.2 FLAG).
    let t = start().await;
    let mut body = t.booking("lenient");
    body["instanceid"] = json!("1");
    body["type"] = json!("0");
    body["meeting_type"] = json!("0");
    // And integer times.
    body["start_time"] = json!(t.at(30).parse::<i64>().unwrap());
    body["end_time"] = json!(t.at(60).parse::<i64>().unwrap());
    let m = t.create_ok(&body).await;
    assert_eq!(m["start_time"], t.at(30));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn invalid_bookings_are_190004_with_http_400() {
    let t = start().await;
    let base = t.booking("x");
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().remove(k);
        b
    };
    let cases = vec![
        ("no userid", without("userid")),
        ("no instanceid", without("instanceid")),
        ("no subject", without("subject")),
        ("no type", without("type")),
        ("no start", without("start_time")),
        ("no end", without("end_time")),
        ("bad type", with("type", json!(2))),
        ("bad instanceid", with("instanceid", json!(99))),
        (
            "end before start",
            with("end_time", base["start_time"].clone()),
        ),
        ("password letters", with("password", json!("abcd"))),
        ("password short", with("password", json!("123"))),
        ("password long", with("password", json!("1234567"))),
        ("subject too long", with("subject", json!("x".repeat(513)))),
        (
            "location too long",
            with("location", json!("会".repeat(19))),
        ),
        (
            "guest area with +",
            with(
                "guests",
                json!([{"area": "+86", "phone_number": "13800000000"}]),
            ),
        ),
        (
            "guest area 0086",
            with(
                "guests",
                json!([{"area": "0086", "phone_number": "13800000000"}]),
            ),
        ),
        (
            "guest without phone",
            with("guests", json!([{"area": "86"}])),
        ),
        ("settings not an object", with("settings", json!(1))),
        (
            "bad only_user_join_type",
            with("settings", json!({"only_user_join_type": 4})),
        ),
        (
            "bad auto_record_type",
            with("settings", json!({"auto_record_type": "tape"})),
        ),
        (
            "in the past",
            with("end_time", json!(t.at(-1))).tap_start(t.at(-30)),
        ),
        (
            "301 invitees",
            with(
                "invitees",
                json!((0..301)
                    .map(|i| json!({"userid": format!("u{i}")}))
                    .collect::<Vec<_>>()),
            ),
        ),
    ];
    for (what, body) in cases {
        let got = t.create(&body).await;
        assert_error(&got, 400, 190004);
        assert!(t.tc.meetings().is_empty(), "{what}");
    }
    // Not JSON at all.
    let h = t.headers("POST", "/v1/meetings", "nope");
    assert_error(
        &t.send("POST", "/v1/meetings", "nope", &h).await,
        400,
        190004,
    );
    // 512 Latin letters and 256 CJK characters are fine (tolerant reading of the odd unit).
    t.create_ok(&with("subject", json!("x".repeat(512)))).await;
    t.create_ok(&with("subject", json!("会".repeat(256)))).await;
    t.create_ok(&with("location", json!("会".repeat(18)))).await;
    t.sim.shutdown().await;
}

trait TapStart {
    fn tap_start(self, start: String) -> Value;
}
impl TapStart for Value {
    fn tap_start(mut self, start: String) -> Value {
        self["start_time"] = json!(start);
        self
    }
}

#[tokio::test]
async fn unknown_users_are_190001_with_http_500() {
    let t = start().await;
    let mut body = t.booking("x");
    body["userid"] = json!("nobody");
    assert_error(&t.create(&body).await, 500, 190001);
    let mut body = t.booking("x");
    body["hosts"] = json!([{"userid": "nobody"}]);
    assert_error(&t.create(&body).await, 500, 190001);
    t.tc.add_user("newcomer");
    body["hosts"] = json!([{"userid": "newcomer"}]);
    t.create_ok(&body).await;
    t.sim.shutdown().await;
}

#[tokio::test]
async fn query_by_id_accepts_userid_or_operator_id() {
    let t = start().await;
    let id = t.create_ok(&t.booking("q")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The Python SDK's form (note, "Observed"): operator_id + operator_id_type=1, no userid.
    let uri = format!(
        "/v1/meetings/{id}?instanceid=1&operator_id={}&operator_id_type=1",
        t.userid()
    );
    let (status, v) = t.call("GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["meeting_number"], 1);
    assert_eq!(v["meeting_info_list"][0]["meeting_id"], id.as_str());
    // Neither: a parameter error.
    assert_error(
        &t.call("GET", &format!("/v1/meetings/{id}?instanceid=1"), None)
            .await,
        400,
        190004,
    );
    // An unknown meeting: 9003, HTTP 500 (note §3.10).
    assert_error(&t.get("1234567890123456789").await, 500, 9003);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn query_by_code() {
    let t = start().await;
    let m = t.create_ok(&t.booking("code")).await;
    let code = m["meeting_code"].as_str().unwrap();
    let uri = format!(
        "/v1/meetings?meeting_code={code}&userid={}&instanceid=1",
        t.userid()
    );
    let (status, v) = t.call("GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["meeting_info_list"][0]["meeting_id"], m["meeting_id"]);
    let uri = format!(
        "/v1/meetings?meeting_code=000000000&userid={}&instanceid=1",
        t.userid()
    );
    assert_error(&t.call("GET", &uri, None).await, 500, 9003);
    // 30 days after the start the code is recycled: not found by code, RECYCLED by ID.
    t.tc.advance_clock(31 * 86_400);
    let uri = format!(
        "/v1/meetings?meeting_code={code}&userid={}&instanceid=1",
        t.userid()
    );
    assert_error(&t.call("GET", &uri, None).await, 500, 9003);
    let q = t.get_ok(m["meeting_id"].as_str().unwrap()).await;
    assert_eq!(q["status"], "MEETING_STATE_RECYCLED");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_changes_only_what_is_sent() {
    let t = start().await;
    let mut body = t.booking("before");
    body["password"] = json!("123456");
    body["hosts"] = json!([{"userid": "colleague-1"}]);
    body["invitees"] = json!([{"userid": "colleague-2"}]);
    body["guests"] = json!([{"area": "86", "phone_number": "13800000000"}]);
    body["location"] = json!("A");
    let m = t.create_ok(&body).await;
    let id = m["meeting_id"].as_str().unwrap();

    let new_start = t.at(120);
    let (status, v) = t
        .modify(
            id,
            &json!({"userid": t.userid(), "instanceid": 1, "subject": "after",
            "start_time": new_start, "end_time": t.at(150)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let info = &v["meeting_info_list"][0];
    assert_eq!(info["meeting_id"], id);
    assert_eq!(info["meeting_code"], m["meeting_code"]);
    assert!(info["settings"]["change_nickname"].is_i64(), "{v}");
    let q = t.get_ok(id).await;
    assert_eq!(q["subject"], "after");
    assert_eq!(q["start_time"], new_start);
    assert_eq!(q["password"], "123456", "omitted: unchanged");
    assert_eq!(q["hosts"], json!([{"userid": "colleague-1"}]));
    assert_eq!(q["participants"], json!([{"userid": "colleague-2"}]));
    assert_eq!(q["location"], "A");
    assert_eq!(q["join_url"], m["join_url"]);

    // `[]` clears, `""` removes the password (note §3.3).
    let (status, v) = t
        .modify(
            id,
            &json!({"userid": t.userid(), "instanceid": 1, "password": "",
            "hosts": [], "invitees": [], "guests": [], "settings": {"allow_unmute_self": false}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let q = t.get_ok(id).await;
    assert!(q.get("password").is_none(), "{q}");
    assert_eq!(q["need_password"], false);
    assert_eq!(
        q["hosts"],
        json!([{"userid": t.userid()}]),
        "default host: the creator"
    );
    assert_eq!(q["participants"], json!([]));
    assert_eq!(q["guests"], json!([]));
    assert_eq!(q["settings"]["allow_unmute_self"], false);
    assert_eq!(q["settings"]["allow_in_before_host"], true);

    // Errors.
    assert_error(
        &t.modify(
            id,
            &json!({"userid": "colleague-1", "instanceid": 1, "subject": "x"}),
        )
        .await,
        500,
        190315,
    );
    assert_error(
        &t.modify(
            "1234567890123456789",
            &json!({"userid": t.userid(), "instanceid": 1}),
        )
        .await,
        500,
        9003,
    );
    assert_error(
        &t.modify(id, &json!({"instanceid": 1, "subject": "x"}))
            .await,
        400,
        190004,
    );
    assert_error(
        &t.modify(
            id,
            &json!({"userid": t.userid(), "instanceid": 1, "end_time": t.at(110)}),
        )
        .await,
        400,
        190004,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn cancel_with_reason_code() {
    let t = start().await;
    let id = t.create_ok(&t.booking("c")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // reason_code is required.
    let (s, v) = t
        .call(
            "POST",
            &format!("/v1/meetings/{id}/cancel"),
            Some(&json!({"userid": t.userid(), "instanceid": 1})),
        )
        .await;
    assert_error(&(s, v), 400, 190004);
    // Only the creator.
    let (s, v) = t
        .call(
            "POST",
            &format!("/v1/meetings/{id}/cancel"),
            Some(&json!({"userid": "colleague-1", "instanceid": 1, "reason_code": 1})),
        )
        .await;
    assert_error(&(s, v), 500, 190315);

    let (status, v) = t.cancel(&id, 7).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({}), "a JSON body, which the Python SDK needs");
    assert_eq!(t.get_ok(&id).await["status"], "MEETING_STATE_CANCELLED");
    assert_eq!(t.tc.meetings()[0].cancel_reason_code, Some(7));
    assert_eq!(t.list("").await.1["meeting_info_list"], json!([]));
    // Again: still fine (a retry after a lost answer).
    assert_eq!(t.cancel(&id, 7).await.0, StatusCode::OK);
    // A cancelled meeting cannot be modified.
    assert_error(
        &t.modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "subject": "x"}),
        )
        .await,
        500,
        9102,
    );
    assert_error(&t.cancel("1234567890123456789", 1).await, 500, 9003);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn status_follows_the_sim_clock() {
    let t = start().await;
    let id = t.create_ok(&t.booking("clock")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    t.tc.advance_clock(61 * 60);
    assert_eq!(t.get_ok(&id).await["status"], "MEETING_STATE_STARTED");
    assert_eq!(
        t.list("").await.1["meeting_info_list"][0]["meeting_id"],
        id.as_str(),
        "ongoing meetings are listed"
    );
    // A started meeting cannot be cancelled, but can still be modified.
    assert_error(&t.cancel(&id, 1).await, 400, 190004);
    t.tc.advance_clock(45 * 60);
    assert_eq!(t.get_ok(&id).await["status"], "MEETING_STATE_ENDED");
    assert_eq!(t.list("").await.1["meeting_info_list"], json!([]));
    assert_error(
        &t.modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "subject": "x"}),
        )
        .await,
        500,
        9102,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_list_pages_by_twenty_with_remaining_and_next_pos() {
    let t = start().await;
    t.tc.set_options(TencentOptions {
        daily_create_limit: None,
        per_minute_create_limit: None,
    });
    let mut ids = Vec::new();
    for i in 0..45 {
        let mut b = t.booking(&format!("m{i}"));
        b["start_time"] = json!(t.at(60 + i));
        b["end_time"] = json!(t.at(90 + i));
        ids.push(
            t.create_ok(&b).await["meeting_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Someone else's meeting that invites the user is listed too; one created without
    // X-TC-Registered is not.
    let mut other = t.booking("invited");
    other["userid"] = json!("colleague-1");
    other["invitees"] = json!([{"userid": t.userid()}]);
    other["start_time"] = json!(t.at(200));
    other["end_time"] = json!(t.at(230));
    ids.push(
        t.create_ok(&other).await["meeting_id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    let body = t.booking("unregistered").to_string();
    let mut h = t.headers("POST", "/v1/meetings", &body);
    remove(&mut h, "X-TC-Registered");
    assert_eq!(
        t.send("POST", "/v1/meetings", &body, &h).await.0,
        StatusCode::OK
    );

    let mut seen = Vec::new();
    let mut pos = 0u64;
    let mut pages = Vec::new();
    for _ in 0..10 {
        let (status, v) = t.list(&format!("&pos={pos}")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let list = v["meeting_info_list"].as_array().unwrap();
        assert!(list.len() <= 20);
        assert_eq!(v["meeting_number"], list.len());
        seen.extend(
            list.iter()
                .map(|m| m["meeting_id"].as_str().unwrap().to_owned()),
        );
        pages.push((list.len(), v["remaining"].as_u64().unwrap()));
        if v["remaining"] == 0 {
            break;
        }
        pos = v["next_pos"].as_u64().unwrap();
    }
    assert_eq!(pages, vec![(20, 26), (20, 6), (6, 0)]);
    assert_eq!(seen, ids, "in start order, each once");
    assert_error(&t.list("&pos=x").await, 400, 190004);
    assert_error(
        &t.call("GET", "/v1/meetings?userid=nobody&instanceid=1", None)
            .await,
        500,
        190001,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_answer_in_the_envelope() {
    let t = start().await;
    assert_error(&t.call("GET", "/v1/no/such/api", None).await, 404, 190004);
    assert_error(&t.call("DELETE", "/v1/meetings", None).await, 404, 190004);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn ended_meetings_are_history() {
    let t = start().await;
    let a = t.create_ok(&t.booking("first")).await;
    let mut later = t.booking("second");
    later["start_time"] = json!(t.at(120));
    later["end_time"] = json!(t.at(150));
    let b = t.create_ok(&later).await;
    let cancelled = t.create_ok(&t.booking("cancelled")).await;
    assert_eq!(
        t.cancel(cancelled["meeting_id"].as_str().unwrap(), 1)
            .await
            .0,
        StatusCode::OK
    );
    let uri = |q: &str| format!("/v1/history/meetings/{}?{q}", t.userid());

    let (status, v) = t.call("GET", &uri(""), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["total_count"], 0, "nothing has ended yet");

    t.tc.advance_clock(3 * 3600);
    let (_, v) = t.call("GET", &uri(""), None).await;
    assert_eq!(v["total_count"], 2);
    assert_eq!(v["total_page"], 1);
    assert_eq!(v["current_page"], 1);
    assert_eq!(v["current_size"], 2);
    let rows = v["meeting_info_list"].as_array().unwrap();
    assert_eq!(rows[0]["meeting_id"], b["meeting_id"], "most recent first");
    assert_eq!(rows[1]["meeting_id"], a["meeting_id"]);
    assert!(rows[0]["start_time"].is_i64(), "integers here");
    assert_eq!(rows[0]["meeting_type"], 0);

    let (_, v) = t.call("GET", &uri("page=2&page_size=1"), None).await;
    assert_eq!(v["total_page"], 2);
    assert_eq!(v["meeting_info_list"][0]["meeting_id"], a["meeting_id"]);
    let code = a["meeting_code"].as_str().unwrap();
    let (_, v) = t
        .call("GET", &uri(&format!("meeting_code={code}")), None)
        .await;
    assert_eq!(v["total_count"], 1);
    assert_error(
        &t.call("GET", &uri("page_size=21"), None).await,
        400,
        190004,
    );
    t.sim.shutdown().await;
}
