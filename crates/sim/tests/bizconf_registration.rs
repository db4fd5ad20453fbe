//! BizConf registration over real HTTP: questions (3.31), add a registrant (3.32), list
//! registrants (3.33).

#[path = "bizconf_common/mod.rs"]
mod common;

use common::{assert_ok, assert_status, id_of, set_param, start, TestSim};
use serde_json::{json, Value};

/// A meeting booked with registrationType=1 (L401); returns (confId, confNumber).
async fn registration_meeting(t: &TestSim) -> (String, String) {
    let mut b = t.booking("研讨会");
    set_param(&mut b, "registrationType", "1");
    let d = t.book_ok(b).await;
    (id_of(&d), d["confNumber"].as_str().unwrap().to_owned())
}

async fn add(t: &TestSim, conf: &str, extra: &[(&str, &str)]) -> (reqwest::StatusCode, Value) {
    let mut p = vec![("confId", conf)];
    p.extend_from_slice(extra);
    t.post("addRegistrant", &p).await
}

#[tokio::test]
async fn each_registrant_gets_a_personal_join_link() {
    let t = start().await;
    let (id, number) = registration_meeting(&t).await;
    let got = add(
        &t,
        &id,
        &[
            ("first_name", "Jill"),
            ("last_name", "Chill"),
            ("email", "jchill@example.com"),
            ("city", "杭州"),
            ("no_of_employees", "1-20"),
            ("language", "zh-CN"),
            (
                "custom_questions",
                r#"[{"title":"How are you?","value":"GOOD."}]"#,
            ),
        ],
    )
    .await;
    assert_ok(&got);
    let a = &got.1["data"];
    // L3818-L3823.
    assert_eq!(
        a["id"],
        number.parse::<u64>().unwrap(),
        "the meeting number, as a number"
    );
    assert_eq!(a["topic"], "研讨会");
    let start = t.bc.meetings()[0].start_time;
    assert_eq!(
        a["start_time"],
        start.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    let tk = a["tk"].as_str().unwrap();
    assert_eq!(
        a["join_url"],
        format!("https://meeting.bizvideo.cn/j/{number}?tk={tk}")
    );
    assert_eq!(a["registrant_id"].as_str().unwrap().len(), 22);
    let b = add(
        &t,
        &id,
        &[("first_name", "Bob"), ("email", "bob@example.com")],
    )
    .await;
    assert_ok(&b);
    assert_ne!(b.1["data"]["tk"], a["tk"], "personal");
    assert_ne!(b.1["data"]["registrant_id"], a["registrant_id"]);
    // 3.33 (GET): approved by default, every field present.
    let got = t.get("getRegistrants", &[("confId", &id)]).await;
    assert_ok(&got);
    let list = got.1["data"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let jill = &list[0];
    assert_eq!(jill["id"], a["registrant_id"]);
    assert_eq!(jill["join_url"], a["join_url"]);
    assert_eq!(jill["status"], "approved");
    assert_eq!(jill["city"], "杭州");
    assert_eq!(
        jill["custom_questions"],
        json!([{"title": "How are you?", "value": "GOOD."}])
    );
    for k in [
        "first_name",
        "last_name",
        "email",
        "address",
        "city",
        "country",
        "zip",
        "state",
        "phone",
        "industry",
        "org",
        "job_title",
        "purchasing_time_frame",
        "role_in_purchase_process",
        "no_of_employees",
        "comments",
        "create_time",
    ] {
        assert!(jill[k].is_string(), "{k}: {jill}");
    }
    assert_eq!(list[1]["address"], "");
    // The same e-mail again answers the existing registration.
    let again = add(
        &t,
        &id,
        &[("first_name", "Jill"), ("email", "JCHILL@example.com")],
    )
    .await;
    assert_eq!(again.1["data"]["registrant_id"], a["registrant_id"]);
    assert_eq!(t.bc.meetings()[0].registrants.len(), 2);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn pending_registrants_only_show_with_status_pending() {
    let t = start().await;
    let (id, _) = registration_meeting(&t).await;
    let got = add(
        &t,
        &id,
        &[
            ("first_name", "P"),
            ("email", "p@example.com"),
            ("auto_approve", "false"),
        ],
    )
    .await;
    assert_ok(&got);
    let approved = t.get("getRegistrants", &[("confId", &id)]).await;
    assert_eq!(approved.1["data"], json!([]));
    let pending = t
        .get("getRegistrants", &[("confId", &id), ("status", "pending")])
        .await;
    assert_eq!(pending.1["data"][0]["status"], "pending");
    let denied = t
        .get("getRegistrants", &[("confId", &id), ("status", "denied")])
        .await;
    assert_eq!(denied.1["data"], json!([]));
    assert_status(
        &t.get("getRegistrants", &[("confId", &id), ("status", "rejected")])
            .await,
        104,
    );
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "Q"),
                ("email", "q@example.com"),
                ("auto_approve", "no"),
            ],
        )
        .await,
        109,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn add_registrant_validates_its_fields() {
    let t = start().await;
    let (id, _) = registration_meeting(&t).await;
    // L3683, L3695: first_name and email are required.
    assert_status(&add(&t, &id, &[("email", "a@example.com")]).await, 109);
    assert_status(&add(&t, &id, &[("first_name", "A")]).await, 109);
    assert_status(
        &add(&t, &id, &[("first_name", "A"), ("email", "not-an-address")]).await,
        109,
    );
    // L3769: a custom answer is at most 128 characters.
    let long = format!(r#"[{{"title":"t","value":"{}"}}]"#, "x".repeat(129));
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "A"),
                ("email", "a@example.com"),
                ("custom_questions", &long),
            ],
        )
        .await,
        104,
    );
    let fits = format!(r#"[{{"title":"t","value":"{}"}}]"#, "x".repeat(128));
    assert_ok(
        &add(
            &t,
            &id,
            &[
                ("first_name", "A"),
                ("email", "a@example.com"),
                ("custom_questions", &fits),
            ],
        )
        .await,
    );
    // Not JSON: 109; outside the enums (L3789, L3804): 104.
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "B"),
                ("email", "b@example.com"),
                ("custom_questions", "title=t"),
            ],
        )
        .await,
        109,
    );
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "B"),
                ("email", "b@example.com"),
                ("no_of_employees", "7"),
            ],
        )
        .await,
        104,
    );
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "B"),
                ("email", "b@example.com"),
                ("language", "zh"),
            ],
        )
        .await,
        104,
    );
    assert_eq!(t.bc.meetings()[0].registrants.len(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn questions_answer_a_string_status_and_required_ones_are_enforced() {
    let t = start().await;
    let (id, number) = registration_meeting(&t).await;
    let got = t
        .post(
            "updateRegistrationQuestions",
            &[
                ("confId", &id),
                ("questions", r#"[{"field_name":"last_name","required":true}]"#),
                (
                    "custom_questions",
                    r#"[{"answers":["Good"],"required":true,"title":"How are you?","type":"short"}]"#,
                ),
            ],
        )
        .await;
    // L3628-L3631: the status is the string "100" and the message empty.
    assert_eq!(got.0, reqwest::StatusCode::OK);
    assert_eq!(got.1, json!({"status": "100", "message": ""}));
    // Without last_name, or without the custom answer: 109.
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "A"),
                ("email", "a@example.com"),
                (
                    "custom_questions",
                    r#"[{"title":"How are you?","value":"Good"}]"#,
                ),
            ],
        )
        .await,
        109,
    );
    assert_status(
        &add(
            &t,
            &id,
            &[
                ("first_name", "A"),
                ("last_name", "B"),
                ("email", "a@example.com"),
            ],
        )
        .await,
        109,
    );
    assert_ok(
        &add(
            &t,
            &id,
            &[
                ("first_name", "A"),
                ("last_name", "B"),
                ("email", "a@example.com"),
                (
                    "custom_questions",
                    r#"[{"title":"How are you?","value":"Good"}]"#,
                ),
            ],
        )
        .await,
    );
    // The meeting number works as confId too (L3547 says "the id field", note §6.6).
    let got = t
        .post(
            "updateRegistrationQuestions",
            &[
                ("confId", &number),
                ("questions", "[]"),
                ("custom_questions", "[]"),
            ],
        )
        .await;
    assert_eq!(got.1["status"], "100");
    assert_ok(
        &add(
            &t,
            &number,
            &[("first_name", "C"), ("email", "c@example.com")],
        )
        .await,
    );
    // Invalid question lists.
    for (field, v, code) in [
        (
            "questions",
            r#"[{"field_name":"shoe_size","required":true}]"#,
            104,
        ),
        ("custom_questions", r#"[{"title":"t","type":"long"}]"#, 104),
        ("questions", r#"{"field_name":"city"}"#, 109),
        ("questions", "last_name", 109),
    ] {
        assert_status(
            &t.post(
                "updateRegistrationQuestions",
                &[("confId", &id), (field, v)],
            )
            .await,
            code,
        );
    }
    t.sim.shutdown().await;
}

#[tokio::test]
async fn registration_needs_a_registration_meeting_before_its_end() {
    let t = start().await;
    // Booked without registrationType=1: 712 "会议模式错误".
    let plain = id_of(&t.book_ok(t.booking("plain")).await);
    assert_status(
        &add(
            &t,
            &plain,
            &[("first_name", "A"), ("email", "a@example.com")],
        )
        .await,
        712,
    );
    assert_status(&t.get("getRegistrants", &[("confId", &plain)]).await, 712);
    assert_status(
        &t.post("updateRegistrationQuestions", &[("confId", &plain)])
            .await,
        712,
    );
    // Unknown meeting, someone else's, unknown user.
    assert_status(&t.get("getRegistrants", &[("confId", "123")]).await, 401);
    let (id, _) = registration_meeting_later(&t).await;
    assert_status(
        &t.get("getRegistrants", &[("userId", "nobody"), ("confId", &id)])
            .await,
        101,
    );
    let mut other = t.booking("x");
    set_param(&mut other, "userId", "colleague");
    set_param(&mut other, "userName", "Colleague");
    t.book_ok(other).await;
    assert_status(
        &t.get(
            "getRegistrants",
            &[("userId", "colleague"), ("confId", &id)],
        )
        .await,
        401,
    );
    // While it runs: still fine. After its end (L3832): 201.
    assert_ok(&add(&t, &id, &[("first_name", "A"), ("email", "a@example.com")]).await);
    t.bc.advance_clock(241 * 60);
    assert_ok(&t.get("getRegistrants", &[("confId", &id)]).await);
    t.bc.advance_clock(45 * 60);
    assert_status(&t.get("getRegistrants", &[("confId", &id)]).await, 201);
    assert_status(
        &add(&t, &id, &[("first_name", "B"), ("email", "b@example.com")]).await,
        201,
    );
    // POST is not how 3.33 is called (L3838: GET).
    let p = t.signed(common::params(&[("confId", &id)]));
    assert_eq!(t.post_raw("getRegistrants", &p).await.0.as_u16(), 405);
    t.sim.shutdown().await;
}

/// A registration meeting four hours from now (after the one-hour default slot).
async fn registration_meeting_later(t: &TestSim) -> (String, String) {
    let mut b = t.booking("later");
    set_param(&mut b, "registrationType", "1");
    set_param(&mut b, "startTime", &t.gmt(240));
    let d = t.book_ok(b).await;
    (id_of(&d), d["confNumber"].as_str().unwrap().to_owned())
}
