//! Recurring ("cycle") meetings over real HTTP: 4.2.4 create series, 4.2.5 cancel series,
//! 4.2.6 cancel occurrences (a DELETE with a JSON body), 4.2.7 edit series (a full
//! overwrite), 4.2.8 edit one occurrence, and how list/detail show a series.
//! `Lnnn` = line of vendor-docs/002_e708609837d580ce.txt; `note §x` = the Huawei digest.

mod common;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use common::{assert_error, start, start_in, TestSim};
use huiyi_sim::huawei::{CycleKind, MeetingPhase, SeriesSnapshot};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SERIES: &str = "/v1/mmc/management/cycleconferences";
const SUB: &str = "/v1/mmc/management/conferences/cyclesubconf";

/// The local date now at a fixed UTC offset (hours).
fn local_today(t: &TestSim, offset_hours: i32) -> NaiveDate {
    let tz = FixedOffset::east_opt(offset_hours * 3600).unwrap();
    t.hw.now().with_timezone(&tz).date_naive()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// UTC "yyyy-MM-dd HH:mm" of date `d` at `hh:mm` UTC.
fn utc(d: NaiveDate, hh: u32, mm: u32) -> String {
    d.and_hms_opt(hh, mm, 0)
        .unwrap()
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn minute(s: &Value) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(s.as_str().unwrap(), "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
}

/// A daily Beijing series at 09:30 local (01:30 UTC) from `from` to `to`.
fn daily(subject: &str, from: NaiveDate, to: NaiveDate) -> Value {
    json!({
        "subject": subject, "mediaTypes": "HDVideo", "startTime": utc(from, 1, 30), "length": 60,
        "timeZoneID": "56",
        "cycleParams": {"startDate": day(from), "endDate": day(to), "cycle": "Day", "interval": 1,
                        "preRemindDays": 1},
    })
}

async fn post_series(t: &TestSim, token: &str, body: &Value) -> (StatusCode, Value) {
    t.call(Method::POST, SERIES, Some(token), Some(body)).await
}

async fn create_series(t: &TestSim, token: &str, body: Value) -> Value {
    let (status, v) = post_series(t, token, &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let arr = v
        .as_array()
        .expect("create-series answers a JSON array (L2585)");
    assert_eq!(arr.len(), 1);
    arr[0].clone()
}

async fn edit_series(t: &TestSim, token: &str, id: &str, body: &Value) -> (StatusCode, Value) {
    let path = format!("{SERIES}?conferenceID={id}");
    t.call(Method::PUT, &path, Some(token), Some(body)).await
}

async fn cancel_series(t: &TestSim, token: &str, id: &str, extra: &str) -> (StatusCode, Value) {
    let path = format!("{SERIES}?conferenceID={id}{extra}");
    t.call(Method::DELETE, &path, Some(token), None).await
}

async fn edit_sub(t: &TestSim, token: &str, id: &str, body: &Value) -> (StatusCode, Value) {
    let path = format!("{SUB}?conferenceID={id}");
    t.call(Method::PUT, &path, Some(token), Some(body)).await
}

async fn cancel_subs(
    t: &TestSim,
    token: &str,
    id: &str,
    extra: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let path = format!("{SUB}?conferenceID={id}{extra}");
    t.call(Method::DELETE, &path, Some(token), body).await
}

fn id_of(info: &Value) -> String {
    info["conferenceID"].as_str().unwrap().to_owned()
}

fn sub_ids(info: &Value) -> Vec<String> {
    info["subConfs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cycleSubConfID"].as_str().unwrap().to_owned())
        .collect()
}

fn series(t: &TestSim, id: &str) -> SeriesSnapshot {
    t.hw.series(id).expect("series snapshot")
}

/// 32 lowercase hex, UUID version 1 (L2766; note §1.8).
fn is_uuid_v1_hex(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && &s[12..13] == "1"
}

#[tokio::test]
async fn create_series_answers_one_conference_with_its_sub_conferences() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let mut body = daily("例行周期会议", d, d + Duration::days(2));
    body["attendees"] = json!([{"accountId": "zhangshan@huawei.com", "appId": t.creds.app_id}]);
    let info = create_series(&t, &token, body).await;
    let id = id_of(&info);
    assert_eq!(info["conferenceType"], 2);
    assert_eq!(info["confType"], "CYCLE");
    assert_eq!(info["conferenceState"], "Schedule");
    assert_eq!(info["mediaTypes"], "Data,Voice,HDVideo");
    assert_eq!(info["subject"], "例行周期会议");
    let p = &info["cycleParams"];
    assert_eq!(p["startDate"], day(d).as_str());
    assert_eq!(p["endDate"], day(d + Duration::days(2)).as_str());
    assert_eq!(p["cycle"], "Day");
    assert_eq!(p["interval"], 1);
    assert_eq!(p["preRemindDays"], 1);
    assert_eq!(p["cycleCount"], 0, "0 in every example (L2719, L3128)");

    let subs = info["subConfs"].as_array().unwrap();
    assert_eq!(subs.len(), 3);
    let ids = sub_ids(&info);
    for (i, s) in subs.iter().enumerate() {
        assert!(is_uuid_v1_hex(&ids[i]), "{}", ids[i]);
        assert_eq!(
            s["conferenceID"],
            id.as_str(),
            "one conferenceID per series"
        );
        let date = d + Duration::days(i as i64);
        assert_eq!(s["startTime"], utc(date, 1, 30).as_str());
        assert_eq!(s["endTime"], utc(date, 2, 30).as_str());
        assert_eq!(
            s["mediaType"], "Data,Voice,HDVideo",
            "singular mediaType (L2597)"
        );
        assert!(s.get("mediaTypes").is_none());
        assert_eq!(s["confConfigInfo"]["callInRestriction"], 0);
    }
    let mut dedup = ids.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(
        dedup.len(),
        3,
        "every occurrence has its own cycleSubConfID"
    );
    // Top level = the first sub-meeting (L2063, L2694-2695).
    assert_eq!(info["startTime"], subs[0]["startTime"]);
    assert_eq!(info["endTime"], subs[0]["endTime"]);
    assert_eq!(info["cycleSubConfID"], ids[0].as_str());
    let chair = info["chairJoinUri"].as_str().unwrap();
    let guest = info["guestJoinUri"].as_str().unwrap();
    assert!(chair.starts_with(&format!("https://c.meeting.huaweicloud.com/#/j/{id}/")));
    assert!(guest.starts_with(&format!("https://c.meeting.huaweicloud.com/#/j/{id}/")));
    assert_ne!(chair, guest);
    assert!(info.get("confUUID").is_none(), "not started yet");

    // Detail (L3708-3833) and list show the same series, one row for the whole series.
    let (status, detail) = t.detail(&token, &id).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let data = &detail["conferenceData"];
    assert_eq!(data["confType"], "CYCLE");
    assert_eq!(data["cycleSubConfID"], ids[0].as_str());
    assert_eq!(sub_ids(data), ids);
    assert_eq!(data["chairJoinUri"], chair);
    assert_eq!(detail["data"]["count"], 1, "the invitee");
    let (status, page) = t.list(&token, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["count"], 1);
    assert_eq!(page["data"][0]["conferenceID"], id.as_str());
    assert_eq!(page["data"][0]["conferenceType"], 2);
    assert_eq!(sub_ids(&page["data"][0]), ids);

    // The snapshot for later contract tests.
    let snap = series(&t, &id);
    assert_eq!(snap.cycle, CycleKind::Day);
    assert_eq!(snap.length_minutes, 60);
    assert_eq!(snap.chair_join_uri, chair);
    assert_eq!(
        snap.sub_confs
            .iter()
            .map(|s| s.cycle_sub_conf_id.clone())
            .collect::<Vec<_>>(),
        ids
    );
    assert!(snap
        .sub_confs
        .iter()
        .all(|s| !s.cancelled && s.phase == MeetingPhase::Schedule));
    assert!(t.hw.meetings()[0].recurring);
    assert!(t.hw.series("123456789").is_none());
}

#[tokio::test]
async fn dates_are_local_to_the_time_zone_near_midnight() {
    let t = start().await;
    let token = t.token().await;
    // 07:00 in Beijing is 23:00 UTC the day before (note §7.5 #25).
    let d = local_today(&t, 8) + Duration::days(3);
    let body = json!({
        "mediaTypes": "Voice", "startTime": utc(d - Duration::days(1), 23, 0), "length": 30,
        "timeZoneID": "56",
        "cycleParams": {"startDate": day(d), "endDate": day(d + Duration::days(1)), "cycle": "Day"},
    });
    let info = create_series(&t, &token, body).await;
    assert_eq!(info["cycleParams"]["startDate"], day(d).as_str());
    let subs = info["subConfs"].as_array().unwrap();
    assert_eq!(subs.len(), 2);
    assert_eq!(
        subs[0]["startTime"],
        utc(d - Duration::days(1), 23, 0).as_str()
    );
    assert_eq!(subs[1]["startTime"], utc(d, 23, 0).as_str());
    assert_eq!(
        info["cycleParams"]["interval"], 1,
        "interval defaults to 1 ([fake-decision], note §6.3 #21)"
    );

    // Weekly in UTC-12 (timeZoneID "1"): Monday 20:00 local is Tuesday 08:00 UTC.
    let d0 = local_today(&t, -12) + Duration::days(2);
    let monday = d0 + Duration::days((7 - i64::from(d0.weekday().num_days_from_monday())) % 7);
    let body = json!({
        "mediaTypes": "HDVideo", "startTime": utc(monday + Duration::days(1), 8, 0), "timeZoneID": "1",
        "cycleParams": {"startDate": day(d0), "endDate": day(monday + Duration::days(13)),
                        "cycle": "Week", "point": [1]},
    });
    let info = create_series(&t, &token, body).await;
    let subs = info["subConfs"].as_array().unwrap();
    assert_eq!(subs.len(), 2, "{info}");
    assert_eq!(
        subs[0]["startTime"],
        utc(monday + Duration::days(1), 8, 0).as_str()
    );
    assert_eq!(
        subs[1]["startTime"],
        utc(monday + Duration::days(8), 8, 0).as_str()
    );
    assert_eq!(info["cycleParams"]["point"], json!([1]));
    assert_eq!(
        info["cycleParams"]["startDate"],
        day(monday).as_str(),
        "startDate moves to the first occurrence (L2645 vs L2716)"
    );

    // "Today" is the zone's today (L1952): UTC-12's today is already yesterday in UTC+13
    // (timeZoneID "73", Nuku'alofa).
    let far_west_today = local_today(&t, -12);
    let body = |zone: &str| {
        json!({
            "mediaTypes": "HDVideo", "timeZoneID": zone, "startTime": t.start_in_minutes(60),
            "cycleParams": {"startDate": day(far_west_today),
                            "endDate": day(far_west_today + Duration::days(3)), "cycle": "Day"},
        })
    };
    let (status, v) = post_series(&t, &token, &body("1")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_error(
        &post_series(&t, &token, &body("73")).await,
        400,
        "MMC.111071013",
    );
}

#[tokio::test]
async fn more_than_fifty_occurrences_silently_move_the_end_date() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let info = create_series(&t, &token, daily("长", d, d + Duration::days(100))).await;
    let subs = info["subConfs"].as_array().unwrap();
    assert_eq!(subs.len(), 50, "at most 50 sub-meetings (L1953)");
    assert_eq!(
        info["cycleParams"]["endDate"],
        day(d + Duration::days(49)).as_str(),
        "endDate silently moved to the 50th occurrence"
    );
    assert_eq!(
        subs[49]["startTime"],
        utc(d + Duration::days(49), 1, 30).as_str()
    );
    assert_eq!(series(&t, &id_of(&info)).end_date, d + Duration::days(49));

    // Span: at most one year (L1953).
    let year_later = d.checked_add_months(chrono::Months::new(12)).unwrap();
    let monthly = |end: NaiveDate| {
        json!({
            "mediaTypes": "HDVideo", "startTime": utc(d, 1, 30), "timeZoneID": "56",
            "cycleParams": {"startDate": day(d), "endDate": day(end), "cycle": "Month",
                            "interval": 1, "point": [d.day()]},
        })
    };
    let info = create_series(&t, &token, monthly(year_later)).await;
    assert!(info["subConfs"].as_array().unwrap().len() >= 12);
    assert_error(
        &post_series(&t, &token, &monthly(year_later + Duration::days(1))).await,
        400,
        "MMC.111071061",
    );
}

#[tokio::test]
async fn monthly_points_fall_back_to_the_last_day_of_short_months() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let body = json!({
        "mediaTypes": "HDVideo", "startTime": utc(d, 1, 30), "timeZoneID": "56",
        "cycleParams": {"startDate": day(d), "endDate": day(d + Duration::days(150)),
                        "cycle": "Month", "interval": 1, "point": [31]},
    });
    let info = create_series(&t, &token, body).await;
    let subs = info["subConfs"].as_array().unwrap();
    assert!(subs.len() >= 4, "{info}");
    for s in subs {
        // 01:30 UTC is 09:30 in Beijing: same date.
        let date = minute(&s["startTime"]).date_naive();
        let last = (date.with_day(1).unwrap() + chrono::Months::new(1))
            .pred_opt()
            .unwrap();
        assert_eq!(date, last, "point 31 is the month's last day (L1956)");
    }
}

#[tokio::test]
async fn cycle_params_are_validated_with_their_own_codes() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let with = |params: Value| json!({"mediaTypes": "HDVideo", "startTime": utc(d, 1, 30), "cycleParams": params});
    let ok = json!({"startDate": day(d), "endDate": day(d + Duration::days(30)), "cycle": "Week",
                    "interval": 1, "point": [1, 3]});
    let case = |f: &dyn Fn(&mut Value)| {
        let mut p = ok.clone();
        f(&mut p);
        with(p)
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"mediaTypes": "HDVideo", "startTime": utc(d, 1, 30)}),
            "MMC.111071020",
        ),
        (
            case(&|p| {
                p.as_object_mut().unwrap().remove("startDate");
            }),
            "MMC.111071041",
        ),
        (case(&|p| p["endDate"] = json!("")), "MMC.111071042"),
        (case(&|p| p["cycle"] = json!("week")), "MMC.111071043"),
        (case(&|p| p["interval"] = json!(6)), "MMC.111071044"),
        (
            case(&|p| {
                p["cycle"] = json!("Day");
                p["interval"] = json!(16);
            }),
            "MMC.111071044",
        ),
        (
            case(&|p| {
                p["cycle"] = json!("Month");
                p["interval"] = json!(4);
            }),
            "MMC.111071044",
        ),
        (case(&|p| p["point"] = json!([])), "MMC.111071045"),
        (
            case(&|p| {
                p.as_object_mut().unwrap().remove("point");
            }),
            "MMC.111071045",
        ),
        (case(&|p| p["point"] = json!([7])), "MMC.111071046"),
        (
            case(&|p| {
                p["cycle"] = json!("Month");
                p["point"] = json!([0]);
            }),
            "MMC.111071046",
        ),
        (case(&|p| p["preRemindDays"] = json!(31)), "MMC.111071061"),
        (
            case(&|p| p["startDate"] = json!("2030/01/01")),
            "MMC.111071061",
        ),
        (
            case(&|p| p["endDate"] = json!(day(d - Duration::days(1)))),
            "MMC.111071061",
        ),
        (
            case(&|p| p["startDate"] = json!(day(d - Duration::days(4)))),
            "MMC.111071013",
        ),
    ];
    for (body, code) in cases {
        assert_error(&post_series(&t, &token, &body).await, 400, code);
    }
    // Day ignores point (L1956); the rest of the body is checked like create.
    let body = with(json!({"startDate": day(d), "endDate": day(d), "cycle": "Day", "point": [99]}));
    assert_eq!(post_series(&t, &token, &body).await.0, StatusCode::OK);
    let mut body = with(ok.clone());
    body["mediaTypes"] = json!("Hologram");
    assert_error(&post_series(&t, &token, &body).await, 400, "MMC.111071061");
    let mut body = with(ok.clone());
    body["startTime"] = json!(t.start_in_minutes(-10));
    assert_error(&post_series(&t, &token, &body).await, 400, "MMC.111071013");
    assert_error(
        &t.call(Method::POST, SERIES, None, Some(&with(ok))).await,
        400,
        "MMC.111070111",
    );
    assert_eq!(t.hw.all_series().len(), 1, "nothing else was booked");
}

#[tokio::test]
async fn editing_the_series_overwrites_everything_and_regenerates_every_occurrence() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let mut body = daily("周会", d, d + Duration::days(3));
    body["attendees"] = json!([{"email": "li@example.com", "name": "李四"}]);
    body["confConfigInfo"] = json!({"isSendNotify": false, "callInRestriction": 2});
    let info = create_series(&t, &token, body).await;
    let id = id_of(&info);
    let old_ids = sub_ids(&info);
    // Change one occurrence first: the overwrite forgets it too.
    let (status, _) = edit_sub(
        &t,
        &token,
        &id,
        &json!({"cycleSubConfID": old_ids[1], "mediaTypes": "HDVideo",
                "startTime": utc(d + Duration::days(1), 3, 0), "length": 45}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // The document's own edit example sends only mediaTypes and cycleParams (L3059-3083).
    let edit = json!({"mediaTypes": "HDVideo", "startTime": utc(d, 2, 0),
                      "cycleParams": {"startDate": day(d), "endDate": day(d + Duration::days(1)),
                                      "cycle": "Day", "preRemindDays": 1}});
    let (status, v) = edit_series(&t, &token, &id, &edit).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let edited = &v.as_array().expect("ConferenceInfo[] (L3085)")[0];
    assert_eq!(
        edited["conferenceID"],
        id.as_str(),
        "same series ([fake-decision] vs L3099)"
    );
    assert_eq!(edited["chairJoinUri"], info["chairJoinUri"]);
    assert_eq!(edited["guestJoinUri"], info["guestJoinUri"]);
    assert_eq!(edited["passwordEntry"], info["passwordEntry"]);
    assert_eq!(
        edited["subject"], "Conference Topic",
        "omitted subject reset (L3101)"
    );
    assert_eq!(edited["size"], 0, "omitted attendees reset");
    assert_eq!(
        edited["confConfigInfo"]["isSendNotify"], true,
        "default again"
    );
    assert_eq!(edited["confConfigInfo"]["callInRestriction"], 0);
    let subs = edited["subConfs"].as_array().unwrap();
    assert_eq!(subs.len(), 2);
    for (i, s) in subs.iter().enumerate() {
        let date = d + Duration::days(i as i64);
        assert_eq!(s["startTime"], utc(date, 2, 0).as_str());
        assert_eq!(
            s["endTime"],
            utc(date, 2, 30).as_str(),
            "length reset to 30"
        );
    }
    let new_ids = sub_ids(edited);
    assert!(
        new_ids.iter().all(|n| !old_ids.contains(n)),
        "every cycleSubConfID regenerated (L3173 vs L2766)"
    );
    let snap = series(&t, &id);
    assert!(snap.sub_confs.iter().all(|s| !s.edited));
    assert_eq!(snap.subject, "Conference Topic");
    // The old IDs are gone.
    let (status, v) = edit_sub(
        &t,
        &token,
        &id,
        &json!({"cycleSubConfID": old_ids[0], "mediaTypes": "HDVideo",
                "startTime": utc(d, 4, 0), "length": 30}),
    )
    .await;
    assert_error(&(status, v), 400, "MMC.111070005");

    // Without startTime the time of day is "now" (L3003; L3103 "08:46" = the edit moment).
    let now_local = t.hw.now() + Duration::hours(8);
    let edit = json!({"mediaTypes": "Voice",
                      "cycleParams": {"startDate": day(d), "endDate": day(d), "cycle": "Day"}});
    let (status, v) = edit_series(&t, &token, &id, &edit).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let start = minute(&v[0]["subConfs"][0]["startTime"]) + Duration::hours(8);
    assert_eq!(start.date_naive(), d);
    let of_day = |t: DateTime<Utc>| t.time().signed_duration_since(chrono::NaiveTime::MIN);
    let drift = (of_day(start) - of_day(now_local)).num_seconds();
    assert!((-60..=60).contains(&drift), "{start} vs {now_local}");

    // Errors.
    assert_error(
        &edit_series(&t, &token, &id, &json!({"mediaTypes": "HDVideo"})).await,
        400,
        "MMC.111071020",
    );
    let mut vmr = edit.clone();
    vmr["vmrFlag"] = json!(1);
    assert_error(
        &edit_series(&t, &token, &id, &vmr).await,
        400,
        "MMC.111071010",
    );
    assert_error(
        &edit_series(&t, &token, "999999999", &edit).await,
        400,
        "MMC.111070005",
    );
    let one_off = id_of(&t.create_ok(&token, t.booking("单次")).await);
    assert_error(
        &edit_series(&t, &token, &one_off, &edit).await,
        400,
        "MMC.111070005",
    );
    // ...and the one-off endpoints do not touch a series ([fake-decision]).
    assert_error(
        &t.edit(&token, &id, t.booking("x")).await,
        400,
        "MMC.111070005",
    );
    assert_error(&t.cancel(&token, &id, "").await, 400, "MMC.111070005");
    // Another ordinary user may not edit it.
    let other = t.app_token("someone-else@huiyi.local").await;
    assert_error(
        &edit_series(&t, &other, &id, &edit).await,
        403,
        "MMC.111070002",
    );
    // Once an occurrence is in progress the series cannot be edited (L2987).
    t.hw.start_meeting(&id).unwrap();
    assert_error(
        &edit_series(&t, &token, &id, &edit).await,
        400,
        "MMC.111071065",
    );
}

#[tokio::test]
async fn moving_one_occurrence_leaves_every_other_untouched() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let info = create_series(&t, &token, daily("站会", d, d + Duration::days(4))).await;
    let id = id_of(&info);
    let ids = sub_ids(&info);
    let before = series(&t, &id);

    let moved_start = utc(d + Duration::days(2), 6, 0);
    let body = json!({"cycleSubConfID": ids[2], "mediaTypes": "Voice", "startTime": moved_start,
                      "length": 45, "description": "改到下午",
                      "confConfigInfo": {"callInRestriction": 3, "enableWaitingRoom": true}});
    let (status, v) = edit_sub(&t, &token, &id, &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, Value::Null, "no body (L3286)");

    let after = series(&t, &id);
    assert_eq!(after.sub_confs.len(), before.sub_confs.len());
    for (i, (b, a)) in before.sub_confs.iter().zip(&after.sub_confs).enumerate() {
        if i == 2 {
            assert_eq!(
                a.cycle_sub_conf_id, b.cycle_sub_conf_id,
                "same ID after a move"
            );
            assert_eq!(a.start_time, minute(&json!(moved_start)));
            assert_eq!(a.length_minutes, 45);
            assert_eq!(a.media_types, "Data,Voice");
            assert_eq!(a.description.as_deref(), Some("改到下午"));
            assert!(a.edited);
        } else {
            assert_eq!(a, b, "occurrence {i} untouched");
        }
    }
    assert_eq!(after.start_date, before.start_date);
    assert_eq!(after.end_date, before.end_date);

    let (_, detail) = t.detail(&token, &id).await;
    let sub = &detail["conferenceData"]["subConfs"][2];
    assert_eq!(sub["cycleSubConfID"], ids[2].as_str());
    assert_eq!(sub["startTime"], moved_start.as_str());
    assert_eq!(sub["endTime"], utc(d + Duration::days(2), 6, 45).as_str());
    assert_eq!(sub["mediaType"], "Data,Voice");
    assert_eq!(sub["description"], "改到下午");
    assert_eq!(sub["confConfigInfo"]["callInRestriction"], 3);
    assert_eq!(sub["confConfigInfo"]["enableWaitingRoom"], true);
    assert_eq!(detail["conferenceData"]["subConfs"][1], info["subConfs"][1]);

    // Errors, none of which changes anything.
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut b = json!({"cycleSubConfID": ids[3], "mediaTypes": "HDVideo",
                           "startTime": utc(d + Duration::days(3), 5, 0), "length": 30});
        f(&mut b);
        b
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            edit(&|b| b["cycleSubConfID"] = json!("0".repeat(32))),
            "MMC.111070005",
        ),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("cycleSubConfID");
            }),
            "MMC.111071061",
        ),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("startTime");
            }),
            "MMC.111071061",
        ),
        (edit(&|b| b["startTime"] = json!("")), "MMC.111071061"),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("length");
            }),
            "MMC.111071061",
        ),
        (edit(&|b| b["length"] = json!(10)), "MMC.111071061"),
        (
            edit(&|b| {
                b.as_object_mut().unwrap().remove("mediaTypes");
            }),
            "MMC.111071061",
        ),
        (
            edit(&|b| b["description"] = json!("长".repeat(201))),
            "MMC.111071061",
        ),
        (
            edit(&|b| b["liveAddress"] = json!("rtmp://x")),
            "MMC.111071070",
        ),
        // Onto the next occurrence (day 4 at 01:30), or across it.
        (
            edit(&|b| b["startTime"] = json!(utc(d + Duration::days(4), 1, 15))),
            "MMC.111071119",
        ),
        (
            edit(&|b| b["startTime"] = json!(utc(d + Duration::days(4), 3, 0))),
            "MMC.111071119",
        ),
        // Overlapping the moved day-2 occurrence (06:00-06:45).
        (
            edit(&|b| b["startTime"] = json!(utc(d + Duration::days(2), 6, 30))),
            "MMC.111071119",
        ),
        (
            edit(&|b| b["startTime"] = json!(t.start_in_minutes(-5))),
            "MMC.111071013",
        ),
    ];
    let snapshot = series(&t, &id);
    for (body, code) in cases {
        assert_error(&edit_sub(&t, &token, &id, &body).await, 400, code);
    }
    // Outside the series window: the last occurrence cannot move past endDate.
    let last = json!({"cycleSubConfID": ids[4], "mediaTypes": "HDVideo",
                      "startTime": utc(d + Duration::days(6), 1, 30), "length": 30});
    assert_error(
        &edit_sub(&t, &token, &id, &last).await,
        400,
        "MMC.111071119",
    );
    assert_eq!(
        series(&t, &id).sub_confs,
        snapshot.sub_confs,
        "refused edits change nothing"
    );
    assert_error(
        &edit_sub(&t, &token, "999999999", &edit(&|_| {})).await,
        400,
        "MMC.111070005",
    );

    // A started occurrence cannot be edited (L3220).
    t.hw.start_meeting(&id).unwrap();
    let first = json!({"cycleSubConfID": ids[0], "mediaTypes": "HDVideo",
                       "startTime": utc(d, 2, 0), "length": 30});
    assert_error(
        &edit_sub(&t, &token, &id, &first).await,
        400,
        "MMC.111071065",
    );
}

#[tokio::test]
async fn cancelling_occurrences_takes_a_delete_with_a_json_body() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let info = create_series(&t, &token, daily("取消", d, d + Duration::days(4))).await;
    let id = id_of(&info);
    let ids = sub_ids(&info);
    let before = series(&t, &id);

    // Empty list, no body, the PDF artifact spelling (L2953, note §6.1): MMC.111071016.
    for body in [
        Some(json!({"cycleSubConfIDs": []})),
        None,
        Some(json!({})),
        Some(json!({"cycleSubConflDs": [ids[1]]})),
    ] {
        assert_error(
            &cancel_subs(&t, &token, &id, "", body.as_ref()).await,
            400,
            "MMC.111071016",
        );
    }
    // An unknown ID refuses the whole request.
    assert_error(
        &cancel_subs(
            &t,
            &token,
            &id,
            "",
            Some(&json!({"cycleSubConfIDs": [ids[1], "f".repeat(32)]})),
        )
        .await,
        400,
        "MMC.111070005",
    );
    assert_eq!(series(&t, &id).sub_confs, before.sub_confs);

    let (status, v) = cancel_subs(
        &t,
        &token,
        &id,
        "",
        Some(&json!({"cycleSubConfIDs": [ids[1], ids[3]]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, Value::Null, "Content-Length: 0 (L2966)");
    let after = series(&t, &id);
    for (i, (b, a)) in before.sub_confs.iter().zip(&after.sub_confs).enumerate() {
        if i == 1 || i == 3 {
            assert!(a.cancelled, "{i}");
            assert_eq!(a.phase, MeetingPhase::Cancelled);
            assert_eq!(a.start_time, b.start_time);
        } else {
            assert_eq!(a, b, "occurrence {i} untouched");
        }
    }
    let (_, detail) = t.detail(&token, &id).await;
    assert_eq!(
        sub_ids(&detail["conferenceData"]),
        vec![ids[0].clone(), ids[2].clone(), ids[4].clone()]
    );
    // Cancelled ones are gone for good.
    assert_error(
        &cancel_subs(
            &t,
            &token,
            &id,
            "",
            Some(&json!({"cycleSubConfIDs": [ids[1]]})),
        )
        .await,
        400,
        "MMC.111070005",
    );

    // An occurrence in progress needs type=1 (L2917).
    t.hw.start_meeting(&id).unwrap();
    let (_, detail) = t.detail(&token, &id).await;
    assert_eq!(detail["conferenceData"]["conferenceState"], "Created");
    let running = json!({"cycleSubConfIDs": [ids[0]]});
    assert_error(
        &cancel_subs(&t, &token, &id, "", Some(&running)).await,
        400,
        "MMC.111071067",
    );
    let (status, _) = cancel_subs(&t, &token, &id, "&type=1", Some(&running)).await;
    assert_eq!(status, StatusCode::OK);
    let snap = series(&t, &id);
    assert!(snap.sub_confs[0].ended_early);
    assert_eq!(
        snap.phase,
        MeetingPhase::Schedule,
        "two occurrences still to come"
    );
    let (_, detail) = t.detail(&token, &id).await;
    assert_eq!(detail["conferenceData"]["cycleSubConfID"], ids[2].as_str());
    assert_eq!(
        detail["conferenceData"]["startTime"],
        info["subConfs"][2]["startTime"]
    );

    // Cancelling the last ones leaves nothing: the series is gone from list and detail.
    let (status, _) = cancel_subs(
        &t,
        &token,
        &id,
        "",
        Some(&json!({"cycleSubConfIDs": [ids[2], ids[4]]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(&t.detail(&token, &id).await, 400, "MMC.111070005");
}

#[tokio::test]
async fn cancelling_the_series_cancels_every_occurrence() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let id = id_of(&create_series(&t, &token, daily("整体取消", d, d + Duration::days(2))).await);
    let other = t.app_token("someone-else@huiyi.local").await;
    assert_error(
        &cancel_series(&t, &other, &id, "").await,
        403,
        "MMC.111070002",
    );
    let (status, v) = cancel_series(&t, &token, &id, "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, Value::Null);
    let snap = series(&t, &id);
    assert_eq!(snap.phase, MeetingPhase::Cancelled);
    assert!(snap.sub_confs.iter().all(|s| s.cancelled));
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(&t.detail(&token, &id).await, 400, "MMC.111070005");
    assert_error(
        &cancel_series(&t, &token, &id, "").await,
        400,
        "MMC.111070005",
    );
    let one_off = id_of(&t.create_ok(&token, t.booking("单次")).await);
    assert_error(
        &cancel_series(&t, &token, &one_off, "").await,
        400,
        "MMC.111070005",
    );

    // In progress: type=1 ends the running occurrence and cancels the rest (L2837).
    let id = id_of(&create_series(&t, &token, daily("进行中", d, d + Duration::days(2))).await);
    t.hw.start_meeting(&id).unwrap();
    assert_error(
        &cancel_series(&t, &token, &id, "").await,
        400,
        "MMC.111071067",
    );
    let (status, _) = cancel_series(&t, &token, &id, "&type=1").await;
    assert_eq!(status, StatusCode::OK);
    let snap = series(&t, &id);
    assert_eq!(snap.phase, MeetingPhase::Destroyed);
    assert!(snap.sub_confs[0].ended_early);
    assert!(snap.sub_confs[1..].iter().all(|s| s.cancelled));
}

#[tokio::test]
async fn occurrence_states_follow_the_sim_clock() {
    let t = start().await;
    let token = t.token().await;
    let d = local_today(&t, 8) + Duration::days(2);
    let info = create_series(&t, &token, daily("时钟", d, d + Duration::days(2))).await;
    let id = id_of(&info);
    let ids = sub_ids(&info);
    let first = minute(&info["subConfs"][0]["startTime"]);

    // Into the first occurrence.
    t.hw.advance_clock((first - t.hw.now()).num_seconds() + 600);
    // Access tokens live 12-24 h (L510): log in again after a jump.
    let token = t.token().await;
    let (_, detail) = t.detail(&token, &id).await;
    let data = &detail["conferenceData"];
    assert_eq!(data["conferenceState"], "Created");
    assert_eq!(data["cycleSubConfID"], ids[0].as_str());
    assert!(data["confUUID"].is_string(), "in progress: confUUID");
    assert_eq!(series(&t, &id).sub_confs[0].phase, MeetingPhase::Created);

    // Past it: the next one is the series' face now.
    t.hw.advance_clock(3600);
    let (_, detail) = t.detail(&token, &id).await;
    let data = &detail["conferenceData"];
    assert_eq!(data["conferenceState"], "Schedule");
    assert_eq!(data["cycleSubConfID"], ids[1].as_str());
    assert_eq!(data["startTime"], info["subConfs"][1]["startTime"]);
    assert_eq!(sub_ids(data), ids[1..].to_vec());
    let snap = series(&t, &id);
    assert_eq!(snap.sub_confs[0].phase, MeetingPhase::Destroyed);
    assert_eq!(
        snap.sub_confs.len(),
        3,
        "the snapshot keeps past occurrences"
    );

    // After the last one the series is over: gone from list and detail.
    t.hw.advance_clock(3 * 86_400);
    let token = t.token().await;
    assert_eq!(series(&t, &id).phase, MeetingPhase::Destroyed);
    assert_eq!(t.list(&token, "").await.1["count"], 0);
    assert_error(&t.detail(&token, &id).await, 400, "MMC.111070005");
    assert_error(
        &cancel_series(&t, &token, &id, "").await,
        400,
        "MMC.111070005",
    );
}

#[tokio::test]
async fn series_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_in(dir.path()).await;
    let token = first.token().await;
    let d = local_today(&first, 8) + Duration::days(2);
    let info = create_series(&first, &token, daily("持久", d, d + Duration::days(3))).await;
    let id = id_of(&info);
    let ids = sub_ids(&info);
    let (status, _) = edit_sub(
        &first,
        &token,
        &id,
        &json!({"cycleSubConfID": ids[1], "mediaTypes": "Voice",
                "startTime": utc(d + Duration::days(1), 4, 0), "length": 90}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = cancel_subs(
        &first,
        &token,
        &id,
        "",
        Some(&json!({"cycleSubConfIDs": [ids[2]]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let before = series(&first, &id);
    first.sim.shutdown().await;

    let second = start_in(dir.path()).await;
    let after = series(&second, &id);
    assert_eq!(after.sub_confs, before.sub_confs);
    assert_eq!(after.end_date, before.end_date);
    let (status, detail) = second.detail(&token, &id).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(
        sub_ids(&detail["conferenceData"]),
        vec![ids[0].clone(), ids[1].clone(), ids[3].clone()]
    );
    assert_eq!(
        detail["conferenceData"]["subConfs"][1]["startTime"],
        utc(d + Duration::days(1), 4, 0).as_str()
    );
    second.sim.shutdown().await;
}
