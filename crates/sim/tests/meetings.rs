//! Chapter 4 one-off meetings over real HTTP: create, edit, cancel, list, detail.

mod common;

use common::{assert_error, start};
use huiyi_sim::huawei::{HuaweiOptions, MeetingPhase, NotifyChannel, NotifyEvent};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn link_ok(uri: &Value, id: &str) -> bool {
    let Some(uri) = uri.as_str() else {
        return false;
    };
    let Some(token) = uri.strip_prefix(&format!("https://c.meeting.huaweicloud.com/#/j/{id}/"))
    else {
        return false;
    };
    token.len() == 48
        && token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn password(info: &Value, role: &str) -> Option<String> {
    info["passwordEntry"]
        .as_array()?
        .iter()
        .find(|p| p["conferenceRole"] == role)
        .and_then(|p| p["password"].as_str())
        .map(str::to_owned)
}

#[tokio::test]
async fn scheduled_meeting_lifecycle_create_list_detail_edit_cancel() {
    let t = start().await;
    let token = t.token().await;
    let start_time = t.start_in_minutes(120);
    let info = t
        .create_ok(
            &token,
            json!({"subject": "例行会议", "mediaTypes": "HDVideo", "startTime": start_time, "length": 60,
                   "attendees": [{"accountId": "zhangshan@huawei.com", "appId": t.creds.app_id, "name": "张三",
                                  "phone": "+8613800138000"}],
                   "confConfigInfo": {"isSendNotify": false, "isSendSms": false, "isSendCalendar": false}}),
        )
        .await;
    let id = info["conferenceID"].as_str().unwrap().to_owned();
    assert!(
        id.len() == 9 && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(info["conferenceState"], "Schedule");
    assert_eq!(info["confType"], "FUTURE");
    assert!(
        info.get("confUUID").is_none(),
        "future meetings carry no confUUID"
    );
    assert_eq!(info["mediaTypes"], "Data,Voice,HDVideo");
    assert_eq!(info["timeZoneID"], "56");
    assert_eq!(info["language"], "zh-CN");
    assert_eq!(info["startTime"], start_time.as_str());
    assert_eq!(info["endTime"], t.start_in_minutes(180).as_str());
    assert_eq!(info["size"], 1);
    assert!(
        link_ok(&info["chairJoinUri"], &id) && link_ok(&info["guestJoinUri"], &id),
        "{info}"
    );
    assert_ne!(info["chairJoinUri"], info["guestJoinUri"]);
    let chair = password(&info, "chair").unwrap();
    let guest = password(&info, "general").unwrap();
    assert_ne!(chair, guest);
    assert_eq!(info["accessNumber"], "+991117");
    assert_eq!(info["confConfigInfo"]["isSendNotify"], false);
    assert_eq!(
        info["confConfigInfo"]["prolongLength"], 15,
        "enterprise default merged in"
    );
    assert_eq!(info["partAttendeeInfo"][0]["phone"], "+86138*****8000");
    assert_eq!(info["partAttendeeInfo"][0]["name"], "张三");

    let (status, page) = t.list(&token, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["count"], 1);
    assert_eq!(page["offset"], 0);
    assert_eq!(page["limit"], 20);
    assert_eq!(page["data"][0]["conferenceID"], id.as_str());

    let (status, detail) = t.detail(&token, &id).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["conferenceData"]["role"], "chair");
    assert_eq!(
        detail["conferenceData"]["chairJoinUri"],
        info["chairJoinUri"]
    );
    assert_eq!(detail["data"]["count"], 1);
    assert_eq!(detail["data"]["data"][0]["state"], "MEETING");
    assert_eq!(
        detail["data"]["data"][0]["accountId"],
        "zhangshan@huawei.com"
    );

    // Edit replaces the main fields and the attendee list.
    let new_start = t.start_in_minutes(240);
    let (status, edited) = t
        .edit(
            &token,
            &id,
            json!({"subject": "改期", "mediaTypes": "Voice", "startTime": new_start, "length": 30,
                   "attendees": [{"email": "li@example.com", "name": "李四"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let edited = &edited[0];
    assert_eq!(edited["conferenceID"], id.as_str());
    assert_eq!(edited["subject"], "改期");
    assert_eq!(edited["mediaTypes"], "Data,Voice");
    assert_eq!(edited["startTime"], new_start.as_str());
    assert_eq!(edited["size"], 1);
    assert_eq!(edited["partAttendeeInfo"][0]["name"], "李四");
    assert_eq!(
        edited["chairJoinUri"], info["chairJoinUri"],
        "links survive an edit"
    );

    let (status, body) = t.cancel(&token, &id, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Null, "cancel answers an empty body");
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(&t.detail(&token, &id).await, 400, "MMC.111070005");
    assert_error(&t.cancel(&token, &id, "").await, 400, "MMC.111070005");
    assert_error(
        &t.edit(&token, &id, t.booking("x")).await,
        400,
        "MMC.111070005",
    );
    assert_eq!(t.hw.meetings()[0].phase, MeetingPhase::Cancelled);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn empty_start_time_books_an_immediate_meeting() {
    let t = start().await;
    let token = t.token().await;
    let info = t
        .create_ok(
            &token,
            json!({"mediaTypes": "HDVideo", "startTime": "", "isAutoRecord": "0"}),
        )
        .await;
    assert_eq!(info["conferenceState"], "Created");
    assert_eq!(info["confType"], "IMMEDIATELY");
    let uuid = info["confUUID"].as_str().unwrap();
    assert!(
        uuid.len() == 32 && uuid.bytes().all(|b| b.is_ascii_hexdigit()),
        "{uuid}"
    );
    assert_eq!(info["subject"], format!("{}的会议", t.creds.user_name));
    // Default length 30 minutes.
    assert_eq!(t.hw.meetings()[0].length_minutes, 30);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn start_time_and_field_validation() {
    let t = start().await;
    let token = t.token().await;
    let with = |patch: Value| {
        let mut b = t.booking("v");
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                b.as_object_mut().unwrap().remove(k);
            } else {
                b[k] = v.clone();
            }
        }
        b
    };
    assert_error(
        &t.create(&token, with(json!({"startTime": t.start_in_minutes(-5)})))
            .await,
        400,
        "MMC.111071013",
    );
    let far = (t.hw.now() + chrono::Duration::days(400))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert_error(
        &t.create(&token, with(json!({"startTime": far}))).await,
        400,
        "MMC.111071014",
    );
    for bad in [
        "2030-08-30T12:00",
        "2030-08-30 12:00:00",
        "2030/08/30 12:00",
        "30-08-2030 12:00",
    ] {
        assert_error(
            &t.create(&token, with(json!({"startTime": bad}))).await,
            400,
            "MMC.111071061",
        );
    }
    assert_error(
        &t.create(&token, with(json!({"length": 14}))).await,
        400,
        "MMC.111071061",
    );
    assert_error(
        &t.create(&token, with(json!({"length": 1441}))).await,
        400,
        "MMC.111071061",
    );
    assert_error(
        &t.create(&token, with(json!({"mediaTypes": null}))).await,
        400,
        "MMC.111071061",
    );
    assert_error(
        &t.create(&token, with(json!({"subject": "x".repeat(129)})))
            .await,
        400,
        "MMC.111071061",
    );
    assert_error(
        &t.create(&token, with(json!({"timeZoneID": "78"}))).await,
        400,
        "MMC.111071061",
    );
    assert_error(
        &t.create(
            &token,
            with(json!({"confConfigInfo": {"guestPwd": "12a4"}})),
        )
        .await,
        400,
        "MMC.111071061",
    );
    let resp = t
        .http
        .post(t.url("/v1/mmc/management/conferences"))
        .header("X-Access-Token", &token)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_error(&common::read(resp).await, 400, "MMC.111071062");

    // Accepted edge values: 15 and 1440 minutes, 128-char subject, numeric timeZoneID,
    // string booleans, a guest password of our choosing.
    let ok = t
        .create_ok(
            &token,
            with(
                json!({"length": 1440, "subject": "x".repeat(128), "timeZoneID": 26,
                        "confConfigInfo": {"isSendNotify": "false", "guestPwd": "2468"}}),
            ),
        )
        .await;
    assert_eq!(ok["timeZoneID"], "26");
    assert_eq!(ok["confConfigInfo"]["isSendNotify"], false);
    assert_eq!(password(&ok, "general").as_deref(), Some("2468"));
    assert_ne!(password(&ok, "chair").as_deref(), Some("2468"));
    t.create_ok(&token, with(json!({"length": 15}))).await;
    assert_eq!(
        t.hw.meetings().len(),
        2,
        "rejected bookings leave nothing behind"
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn started_meetings_cannot_be_edited_or_cancelled_without_type_1() {
    let t = start().await;
    let token = t.token().await;
    let id = t.create_ok(&token, t.booking("站会")).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    t.hw.start_meeting(&id).unwrap();
    let (_, detail) = t.detail(&token, &id).await;
    assert_eq!(detail["conferenceData"]["conferenceState"], "Created");
    assert!(detail["conferenceData"]["confUUID"].is_string());

    assert_error(
        &t.edit(&token, &id, t.booking("改")).await,
        400,
        "MMC.111071065",
    );
    assert_error(&t.cancel(&token, &id, "").await, 400, "MMC.111071067");
    let (status, _) = t.cancel(&token, &id, "&type=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.hw.meetings()[0].phase, MeetingPhase::Destroyed);
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(
        &t.cancel(&token, &id, "&type=1").await,
        400,
        "MMC.111070005",
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_sim_clock_moves_meetings_into_progress_and_out_of_the_list() {
    let t = start().await;
    let token = t.token().await;
    let id = t.create_ok(&token, t.booking("clock")).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    // Booked an hour ahead for 45 minutes: in progress 61 minutes later.
    t.hw.advance_clock(61 * 60);
    let (_, page) = t.list(&token, "").await;
    assert_eq!(page["data"][0]["conferenceState"], "Created");
    assert_error(
        &t.edit(&token, &id, t.booking("late")).await,
        400,
        "MMC.111071065",
    );
    // And over after its end.
    t.hw.advance_clock(45 * 60);
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(&t.detail(&token, &id).await, 400, "MMC.111070005");
    assert_eq!(t.hw.meetings()[0].phase, MeetingPhase::Destroyed);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn attendee_validation_codes() {
    let t = start().await;
    let app_token = t.token().await;
    let booking_with = |attendee: Value| {
        let mut b = t.booking("a");
        b["attendees"] = json!([attendee]);
        b
    };
    let cases = [
        (json!({"name": "无联系方式"}), "MMC.111072031"),
        (json!({"accountId": "u1"}), "MMC.111072031"),
        (json!({"email": "not-an-email"}), "MMC.111071024"),
        (json!({"email": "a@b.com", "sms": "12ab"}), "MMC.111071025"),
        (
            json!({"email": "a@b.com", "name": "名".repeat(97)}),
            "MMC.111072034",
        ),
        (
            json!({"email": "a@b.com", "deptName": "d".repeat(129)}),
            "MMC.111071026",
        ),
        (json!({"email": "a@b.com", "role": 2}), "MMC.111072035"),
        (json!({"email": "a@b.com", "isMute": 2}), "MMC.111072038"),
        (
            json!({"email": "a@b.com", "isAutoInvite": "3"}),
            "MMC.111072039",
        ),
        (json!({"phone": "+86 138 0013"}), "MMC.111072033"),
        (
            json!({"phone": format!("sip:{}", "1".repeat(124))}),
            "MMC.111072032",
        ),
    ];
    for (attendee, code) in cases {
        let got = t.create(&app_token, booking_with(attendee.clone())).await;
        assert_error(&got, 400, code);
    }
    // App ID: accountId + appId is enough; so is email alone; role/isMute as strings.
    t.create_ok(
        &app_token,
        booking_with(json!({"accountId": "u1", "appId": t.creds.app_id, "role": "1"})),
    )
    .await;
    t.create_ok(
        &app_token,
        booking_with(json!({"email": "a@b.com", "isMute": "1"})),
    )
    .await;

    // Account/password auth: phone is required (Table 4-3).
    let (_, login) = t.account_login(&t.creds.account, &t.creds.password).await;
    let account_token = common::token_of(&login);
    assert_error(
        &t.create(&account_token, booking_with(json!({"email": "a@b.com"})))
            .await,
        400,
        "MMC.111072031",
    );
    let info = t
        .create_ok(
            &account_token,
            booking_with(json!({"phone": "+8613800138000", "email": "a@b.com"})),
        )
        .await;
    assert_eq!(info["partAttendeeInfo"][0]["phone"], "+86138*****8000");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn notifications_follow_the_conf_config_flags() {
    let t = start().await;
    let token = t.token().await;
    let attendees = json!([{"name": "A", "email": "a@example.com", "sms": "+8613800000001"},
                           {"name": "B", "phone": "+8613800000002"}]);
    let mut b = t.booking("通知");
    b["attendees"] = attendees.clone();
    b["confConfigInfo"] =
        json!({"isSendNotify": "true", "isSendSms": true, "isSendCalendar": "false"});
    let id = t.create_ok(&token, b).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    let sent = t.hw.notifications();
    // Free enterprise: SMS silently skipped; calendar off; one email.
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].channel, NotifyChannel::Email);
    assert_eq!(sent[0].to, "a@example.com");
    assert_eq!(sent[0].event, NotifyEvent::Create);
    assert_eq!(sent[0].conference_id, id);

    // A paid enterprise sends the SMS too; the default flags are all on.
    t.hw.set_options(HuaweiOptions {
        sms_enabled: true,
        daily_create_limit: None,
        ..HuaweiOptions::default()
    });
    let mut b = t.booking("默认");
    b["attendees"] = attendees;
    let id2 = t.create_ok(&token, b).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut channels: Vec<NotifyChannel> =
        t.hw.notifications()
            .into_iter()
            .filter(|n| n.conference_id == id2)
            .map(|n| n.channel)
            .collect();
    channels.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(
        channels,
        vec![
            NotifyChannel::Calendar,
            NotifyChannel::Email,
            NotifyChannel::Sms
        ]
    );

    // Cancelling notifies the same channels.
    t.cancel(&token, &id2, "").await;
    let cancels =
        t.hw.notifications()
            .into_iter()
            .filter(|n| n.event == NotifyEvent::Cancel)
            .count();
    assert_eq!(cancels, 3);

    // All flags off: nothing.
    let before = t.hw.notifications().len();
    let mut b = t.booking("静默");
    b["attendees"] = json!([{"email": "c@example.com", "sms": "+8613800000003"}]);
    b["confConfigInfo"] =
        json!({"isSendNotify": false, "isSendSms": false, "isSendCalendar": false});
    t.create_ok(&token, b).await;
    assert_eq!(t.hw.notifications().len(), before);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn other_users_meetings_are_forbidden_and_invitees_see_a_guest_view() {
    let t = start().await;
    let owner = t.token().await;
    let stranger = t.app_token("stranger").await;
    let invitee = t.app_token("invitee").await;
    let mut b = t.booking("私密");
    b["attendees"] = json!([{"accountId": "invitee", "appId": t.creds.app_id}]);
    let id = t.create_ok(&owner, b).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_error(
        &t.edit(&stranger, &id, t.booking("x")).await,
        403,
        "MMC.111070002",
    );
    assert_error(&t.cancel(&stranger, &id, "").await, 403, "MMC.111070002");
    assert_error(&t.detail(&stranger, &id).await, 403, "MMC.111070010");
    assert_eq!(t.list(&stranger, "").await.1["count"], 0);

    let (_, page) = t.list(&invitee, "").await;
    assert_eq!(page["count"], 1);
    let row = &page["data"][0];
    assert!(
        row.get("chairJoinUri").is_none(),
        "guests never see the host link"
    );
    assert!(password(row, "chair").is_none() && password(row, "general").is_some());
    let (status, detail) = t.detail(&invitee, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["conferenceData"]["role"], "general");
    assert_error(
        &t.edit(&invitee, &id, t.booking("x")).await,
        403,
        "MMC.111070002",
    );

    // The enterprise default admin (App ID without userId) may cancel anyone's meeting.
    let admin = t.app_token("").await;
    assert_eq!(
        t.list(&admin, "").await.1["count"],
        0,
        "admins list their own unless queryAll"
    );
    assert_eq!(t.list(&admin, "?queryAll=true").await.1["count"], 1);
    assert_eq!(t.cancel(&admin, &id, "").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn list_paging_search_and_sorting() {
    let t = start().await;
    let token = t.token().await;
    for (subject, minutes) in [("周会", 300), ("站会", 100), ("评审", 200)] {
        let mut b = t.booking(subject);
        b["startTime"] = json!(t.start_in_minutes(minutes));
        t.create_ok(&token, b).await;
    }
    let (_, page) = t.list(&token, "?limit=2").await;
    assert_eq!(page["count"], 3);
    assert_eq!(page["limit"], 2);
    let subjects: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["站会", "评审"],
        "ascending start time by default"
    );
    let (_, page) = t.list(&token, "?offset=2&limit=2").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["subject"], "周会");
    let (_, page) = t.list(&token, "?sortType=DSC_StartTIME").await;
    assert_eq!(page["data"][0]["subject"], "周会");
    let (_, page) = t.list(&token, "?searchKey=%E8%AF%84").await; // "评"
    assert_eq!(page["count"], 1);
    assert_eq!(page["data"][0]["subject"], "评审");
    assert_eq!(t.list(&token, "?limit=500").await.0, StatusCode::OK);
    assert_error(&t.list(&token, "?limit=501").await, 400, "MMC.111071061");
    assert_error(&t.list(&token, "?sortType=asc").await, 400, "MMC.111071061");
    assert_error(
        &t.list(&token, "?queryConfMode=AYEAR").await,
        400,
        "MMC.111071061",
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn free_tier_quota_and_vmr_rules() {
    let t = start().await;
    let token = t.token().await;
    t.hw.set_options(HuaweiOptions {
        daily_create_limit: Some(2),
        ..HuaweiOptions::default()
    });
    let id = t.create_ok(&token, t.booking("1")).await["conferenceID"]
        .as_str()
        .unwrap()
        .to_owned();
    t.create_ok(&token, t.booking("2")).await;
    let got = t.create(&token, t.booking("3")).await;
    assert_error(&got, 400, "MMC.111071082");
    assert_eq!(got.1["error_msg"], "CONF_NUM_UP_TO_LIMIT");
    // Another user has their own quota.
    let other = t.app_token("another").await;
    t.create_ok(&other, t.booking("4")).await;

    // vmrFlag cannot be changed by an edit.
    let mut b = t.booking("vmr");
    b["vmrFlag"] = json!(1);
    assert_error(&t.edit(&token, &id, b).await, 400, "MMC.111071010");
    let mut b = t.booking("same vmr flag");
    b["vmrFlag"] = json!(0);
    assert_eq!(
        t.edit(&token, &id, b).await.0,
        StatusCode::OK,
        "edits do not count against the quota"
    );
    t.sim.shutdown().await;
}
