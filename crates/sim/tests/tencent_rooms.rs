//! Tencent Meeting Rooms (note §3.9) over real HTTP.

#[path = "tencent_common/mod.rs"]
mod common;

use common::{assert_error, start, TestSim};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn rooms_body(t: &TestSim, ids: &[&str]) -> Value {
    json!({"operator_id": t.userid(), "operator_id_type": 1, "meeting_room_id_list": ids})
}

async fn book(t: &TestSim, meeting: &str, ids: &[&str]) -> (StatusCode, Value) {
    t.call(
        "POST",
        &format!("/v1/meetings/{meeting}/book-rooms"),
        Some(&rooms_body(t, ids)),
    )
    .await
}

#[tokio::test]
async fn rooms_are_listed_and_described() {
    let t = start().await;
    let (status, v) = t
        .call("GET", "/v1/meeting-rooms?page=1&page_size=2", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["total_count"], 4);
    assert_eq!(v["total_page"], 2);
    assert_eq!(v["current_size"], 2);
    let first = &v["meeting_room_list"][0];
    for k in [
        "meeting_room_id",
        "meeting_room_name",
        "meeting_room_location",
        "meeting_room_status",
        "scheduled_status",
        "participant_number",
    ] {
        assert!(!first[k].is_null(), "{k}: {first}");
    }
    let id = first["meeting_room_id"].as_str().unwrap();
    let (status, d) = t
        .call("GET", &format!("/v1/meeting-rooms/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["meeting_room_name"], first["meeting_room_name"]);
    assert_eq!(d["scheduled_status"], 1);
    let (_, v) = t
        .call("GET", "/v1/meeting-rooms?meeting_room_name=Board", None)
        .await;
    assert_eq!(v["total_count"], 1);
    assert_eq!(t.tc.rooms().len(), 4);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn booking_a_room_then_an_overlap_is_20006_until_released() {
    let t = start().await;
    let rooms = t.tc.rooms();
    let room = rooms[0].meeting_room_id.as_str();
    let a = t.create_ok(&t.booking("A")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = t.create_ok(&t.booking("B")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, v) = book(&t, &a, &[room]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["meeting_room_number"], 1);
    assert_eq!(v["meeting_room_list"][0]["meeting_room_id"], room);
    assert_eq!(
        v["meeting_room_list"][0]["meeting_room_name"],
        rooms[0].meeting_room_name.as_str()
    );
    assert_eq!(
        t.tc.meetings()
            .iter()
            .find(|m| m.meeting_id == a)
            .unwrap()
            .rooms,
        vec![room.to_owned()]
    );
    // Booking it again for the same meeting is harmless.
    assert_eq!(book(&t, &a, &[room]).await.0, StatusCode::OK);

    // Same time, same room: occupied.
    assert_error(&book(&t, &b, &[room]).await, 500, 20006);
    // Another room is fine.
    assert_eq!(
        book(&t, &b, &[rooms[1].meeting_room_id.as_str()]).await.0,
        StatusCode::OK
    );

    // The room's meetings.
    let uri = format!("/v1/meeting-rooms/{room}/meetings?operator_id_type=5&instanceid=1");
    let (status, v) = t.call("GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["total_count"], 1);
    assert_eq!(v["meeting_info_list"][0]["meeting_id"], a.as_str());

    // Moving a meeting onto the time of another meeting holding its room is 20006 too.
    let mut later = t.booking("C");
    later["start_time"] = json!(t.at(300));
    later["end_time"] = json!(t.at(330));
    let c = t.create_ok(&later).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // While A holds the room at 60-105, C (300-330) can book it.
    assert_eq!(book(&t, &c, &[room]).await.0, StatusCode::OK);
    let got = t
        .modify(&a, &json!({"userid": t.userid(), "instanceid": 1, "start_time": t.at(310), "end_time": t.at(340)}))
        .await;
    assert_error(&got, 500, 20006);

    // Released: B can take it.
    let (status, v) = t
        .call(
            "POST",
            &format!("/v1/meetings/{a}/release-rooms"),
            Some(&rooms_body(&t, &[room])),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(book(&t, &b, &[room]).await.0, StatusCode::OK);
    // A cancelled meeting frees its rooms too.
    assert_eq!(t.cancel(&c, 1).await.0, StatusCode::OK);
    let got = t
        .modify(&b, &json!({"userid": t.userid(), "instanceid": 1, "start_time": t.at(300), "end_time": t.at(330)}))
        .await;
    assert_eq!(got.0, StatusCode::OK, "{}", got.1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn booking_rules() {
    let t = start().await;
    let rooms = t.tc.rooms();
    let room = rooms[0].meeting_room_id.as_str();
    // Shorter than 15 minutes, longer than 24 hours.
    let mut short = t.booking("short");
    short["end_time"] = json!(t.at(70));
    let short = t.create_ok(&short).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(&book(&t, &short, &[room]).await, 400, 190004);
    let mut long = t.booking("long");
    long["end_time"] = json!(t.at(60 + 24 * 60 + 1));
    let long = t.create_ok(&long).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(&book(&t, &long, &[room]).await, 400, 190004);
    // Not for recurring meetings.
    let mut series = t.booking("series");
    series["meeting_type"] = json!(1);
    series["recurring_rule"] = json!({"recurring_type": 2, "until_type": 1, "until_count": 3});
    let series = t.create_ok(&series).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(&book(&t, &series, &[room]).await, 400, 190004);
    // A room not open for booking, an unknown room, an unknown meeting, a bad operator type.
    let ok = t.create_ok(&t.booking("ok")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closed = rooms.iter().find(|r| !r.bookable).unwrap();
    assert_error(
        &book(&t, &ok, &[closed.meeting_room_id.as_str()]).await,
        400,
        190004,
    );
    assert_error(&book(&t, &ok, &["nope"]).await, 400, 190004);
    assert_error(&book(&t, "1234567890123456789", &[room]).await, 500, 9003);
    let mut body = rooms_body(&t, &[room]);
    body["operator_id_type"] = json!(3);
    let got = t
        .call(
            "POST",
            &format!("/v1/meetings/{ok}/book-rooms"),
            Some(&body),
        )
        .await;
    assert_error(&got, 400, 190004);
    assert!(t.tc.meetings().iter().all(|m| m.rooms.is_empty()));
    t.sim.shutdown().await;
}
