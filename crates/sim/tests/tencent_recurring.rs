//! Tencent native recurring meetings at the wire level (note §3.2-§3.4) over real HTTP.

#[path = "tencent_common/mod.rs"]
mod common;

use common::{assert_error, start, TestSim};
use reqwest::StatusCode;
use serde_json::{json, Value};

const WEEK: i64 = 7 * 86_400;

/// A weekly series of `count`, first meeting in two hours, 30 minutes long.
fn weekly(t: &TestSim, count: i64) -> Value {
    let mut b = t.booking("周例会");
    b["start_time"] = json!(t.at(120));
    b["end_time"] = json!(t.at(150));
    b["time_zone"] = json!("Asia/Shanghai");
    b["meeting_type"] = json!(1);
    b["recurring_rule"] = json!({"recurring_type": 2, "until_type": 1, "until_count": count});
    b
}

fn subs(q: &Value) -> Vec<(String, i64, i64, i64)> {
    q["sub_meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["sub_meeting_id"].as_str().unwrap().to_owned(),
                s["status"].as_i64().unwrap(),
                s["start_time"].as_i64().unwrap(),
                s["end_time"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_weekly_series_lists_its_occurrences() {
    let t = start().await;
    let first: i64 = t.at(120).parse().unwrap();
    let m = t.create_ok(&weekly(&t, 4)).await;
    assert_eq!(m["meeting_type"], 1);
    let id = m["meeting_id"].as_str().unwrap();
    let q = t.get_ok(id).await;
    assert_eq!(q["meeting_type"], 1);
    assert_eq!(q["recurring_rule"]["recurring_type"], 2);
    assert_eq!(q["recurring_rule"]["until_count"], 4);
    let s = subs(&q);
    assert_eq!(s.len(), 4);
    for (i, (sub_id, status, start, end)) in s.iter().enumerate() {
        assert_eq!(*status, 0);
        assert_eq!(*start, first + i as i64 * WEEK, "integers, a week apart");
        assert_eq!(end - start, 1800);
        assert!(!sub_id.is_empty());
    }
    assert_eq!(q["current_sub_meeting_id"], s[0].0.as_str());
    assert_eq!(q["remain_sub_meetings"], 4);
    assert_eq!(q["has_more_sub_meeting"], 0);
    assert_eq!(q["status"], "MEETING_STATE_INIT");
    assert_eq!(t.tc.meetings()[0].sub_meetings.len(), 4);

    // The list shows only the current sub-meeting unless asked for all (note §3.2).
    let (_, l) = t.list("").await;
    let row = &l["meeting_info_list"][0];
    assert_eq!(row["sub_meetings"].as_array().unwrap().len(), 1);
    assert_eq!(row["has_more_sub_meeting"], 1);
    let (_, l) = t.list("&is_show_all_sub_meetings=1").await;
    assert_eq!(
        l["meeting_info_list"][0]["sub_meetings"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // By the clock: in progress during an occurrence, then the next one is current.
    t.tc.advance_clock(125 * 60);
    let q = t.get_ok(id).await;
    assert_eq!(q["status"], "MEETING_STATE_STARTED");
    assert_eq!(q["current_sub_meeting_id"], s[0].0.as_str());
    t.tc.advance_clock(30 * 60);
    let q = t.get_ok(id).await;
    assert_eq!(q["status"], "MEETING_STATE_INIT");
    assert_eq!(q["current_sub_meeting_id"], s[1].0.as_str());
    assert_eq!(q["remain_sub_meetings"], 3);
    t.tc.advance_clock(4 * WEEK);
    assert_eq!(t.get_ok(id).await["status"], "MEETING_STATE_ENDED");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn one_occurrence_moved_another_cancelled_and_the_series_reads_back() {
    let t = start().await;
    let id = t.create_ok(&weekly(&t, 4)).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = subs(&t.get_ok(&id).await);

    // Move the second occurrence by an hour.
    let (sub2, _, start2, end2) = before[1].clone();
    let (status, v) = t
        .modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "meeting_type": 1,
            "recurring_rule": {"sub_meeting_id": sub2},
            "start_time": (start2 + 3600).to_string(), "end_time": (end2 + 3600).to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");

    // Cancel the third.
    let sub3 = before[2].0.clone();
    let (status, v) = t
        .call(
            "POST",
            &format!("/v1/meetings/{id}/cancel"),
            Some(&json!({"userid": t.userid(),
            "instanceid": 1, "reason_code": 1, "meeting_type": 1, "sub_meeting_id": sub3})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, json!({}));

    let q = t.get_ok(&id).await;
    let after = subs(&q);
    assert_eq!(after.len(), 4);
    assert_eq!(after[0], before[0]);
    assert_eq!(
        after[1],
        (sub2.clone(), 0, start2 + 3600, end2 + 3600),
        "moved, same ID"
    );
    assert_eq!(after[2].0, sub3);
    assert_eq!(after[2].1, 1, "deleted");
    assert_eq!(after[3], before[3]);
    assert_eq!(q["remain_sub_meetings"], 3);
    assert_eq!(
        q["status"], "MEETING_STATE_INIT",
        "the series itself goes on"
    );

    // Moving with rule changes at the same time is refused; so is an unknown occurrence.
    let got = t
        .modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "meeting_type": 1,
            "recurring_rule": {"sub_meeting_id": sub2, "recurring_type": 0}}),
        )
        .await;
    assert_error(&got, 400, 190004);
    let got = t
        .modify(&id, &json!({"userid": t.userid(), "instanceid": 1, "meeting_type": 1,
            "recurring_rule": {"sub_meeting_id": "1"}, "start_time": t.at(500), "end_time": t.at(530)}))
        .await;
    assert_error(&got, 400, 190004);

    // Cancelling without sub_meeting_id cancels the whole series.
    assert_eq!(t.cancel(&id, 2).await.0, StatusCode::OK);
    assert_eq!(t.get_ok(&id).await["status"], "MEETING_STATE_CANCELLED");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_rule_of_a_series_can_be_changed() {
    let t = start().await;
    let id = t.create_ok(&weekly(&t, 4)).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, v) = t
        .modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "meeting_type": 1,
            "recurring_rule": {"recurring_type": 0, "until_type": 1, "until_count": 3}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let s = subs(&t.get_ok(&id).await);
    assert_eq!(s.len(), 3);
    assert_eq!(s[1].2 - s[0].2, 86_400, "daily now");
    // A recurring meeting cannot be turned back into a one-off.
    let got = t
        .modify(
            &id,
            &json!({"userid": t.userid(), "instanceid": 1, "meeting_type": 0}),
        )
        .await;
    assert_error(&got, 400, 190004);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_official_custom_example_sends_numbers_as_strings() {
    let t = start().await;
    // Every 3 weeks on the first meeting's weekday (note §3.2 examples send strings).
    let mut b = t.booking("custom");
    let start: i64 = t.at(120).parse().unwrap();
    let weekday_bit = {
        use chrono::{Datelike, TimeZone};
        let local = chrono_tz::Asia::Shanghai.timestamp_opt(start, 0).unwrap();
        1i64 << local.weekday().num_days_from_sunday()
    };
    b["start_time"] = json!(start.to_string());
    b["end_time"] = json!((start + 1800).to_string());
    b["instanceid"] = json!("1");
    b["type"] = json!("0");
    b["meeting_type"] = json!("1");
    b["recurring_rule"] = json!({"recurring_type": "5", "until_type": "1", "until_count": "3",
        "customized_recurring_type": "1", "customized_recurring_step": "3",
        "customized_recurring_days": weekday_bit.to_string()});
    let id = t.create_ok(&b).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = subs(&t.get_ok(&id).await);
    assert_eq!(s.len(), 3);
    assert_eq!(s[1].2 - s[0].2, 3 * WEEK);

    // Days that leave out the first meeting's weekday: the documented message.
    let other_day = if weekday_bit == 1 {
        2
    } else {
        weekday_bit >> 1
    };
    b["recurring_rule"]["customized_recurring_days"] = json!(other_day);
    let got = t.create(&b).await;
    assert_error(&got, 400, 190004);
    assert_eq!(
        got.1["error_info"]["message"],
        "recurring_days no include firstStartTime"
    );
    assert_eq!(got.1["error_info"]["new_error_code"], 1000190004);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn recurring_bookings_are_validated() {
    let t = start().await;
    let base = weekly(&t, 4);
    let mut no_rule = base.clone();
    no_rule.as_object_mut().unwrap().remove("recurring_rule");
    let mut instant = base.clone();
    instant["type"] = json!(1);
    let mut biweekly_51 = base.clone();
    biweekly_51["recurring_rule"] =
        json!({"recurring_type": 3, "until_type": 1, "until_count": 51});
    let mut daily_201 = base.clone();
    daily_201["recurring_rule"] = json!({"recurring_type": 0, "until_type": 1, "until_count": 201});
    let mut bad_zone = base.clone();
    bad_zone["time_zone"] = json!("Mars/Olympus");
    let mut bad_type = base.clone();
    bad_type["recurring_rule"]["recurring_type"] = json!(6);
    let mut with_sub = base.clone();
    with_sub["recurring_rule"]["sub_meeting_id"] = json!("123");
    for body in [
        no_rule,
        instant,
        biweekly_51,
        daily_201,
        bad_zone,
        bad_type,
        with_sub,
    ] {
        assert_error(&t.create(&body).await, 400, 190004);
    }
    assert!(t.tc.meetings().is_empty());
    assert_eq!(t.tc.create_count(), 0, "refused bookings use no quota");
    // The caps themselves are accepted: 200 daily, 50 biweekly.
    let mut daily_200 = base.clone();
    daily_200["recurring_rule"] = json!({"recurring_type": 0, "until_type": 1, "until_count": 200});
    t.create_ok(&daily_200).await;
    let mut biweekly_50 = base.clone();
    biweekly_50["recurring_rule"] =
        json!({"recurring_type": 3, "until_type": 1, "until_count": 50});
    t.create_ok(&biweekly_50).await;
    // A sub_meeting_id on a one-off meeting.
    let id = t.create_ok(&t.booking("one-off")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = t
        .call(
            "POST",
            &format!("/v1/meetings/{id}/cancel"),
            Some(&json!({"userid": t.userid(),
            "instanceid": 1, "reason_code": 1, "sub_meeting_id": "1"})),
        )
        .await;
    assert_error(&got, 400, 190004);
    t.sim.shutdown().await;
}
