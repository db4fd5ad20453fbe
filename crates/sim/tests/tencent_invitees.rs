//! Tencent invitees (note §3.6) and guests (note §3.7) over real HTTP.

#[path = "tencent_common/mod.rs"]
mod common;

use common::{assert_error, start};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn invitees_are_overwritten_listed_by_page_and_cleared() {
    let t = start().await;
    for i in 0..25 {
        t.tc.add_user(&format!("staff-{i:02}"));
    }
    let mut b = t.booking("invitees");
    b["invitees"] = json!([{"userid": "colleague-1"}]);
    let id = t.create_ok(&b).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/meetings/{id}/invitees");
    let list_uri = |pos: u64| format!("{path}?userid={}&instanceid=1&pos={pos}", t.userid());

    let all: Vec<_> = (0..25)
        .map(|i| json!({"userid": format!("staff-{i:02}")}))
        .collect();
    let (status, v) = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1, "invitees": all})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v, json!({}));

    let (status, p1) = t.call("GET", &list_uri(0), None).await;
    assert_eq!(status, StatusCode::OK, "{p1}");
    assert_eq!(p1["has_remaining"], true);
    assert_eq!(p1["invitees"].as_array().unwrap().len(), 20);
    assert_eq!(
        p1["invitees"][0]["userid"], "staff-00",
        "colleague-1 was overwritten"
    );
    assert!(p1["invitees"][0]["nick_name"].is_string());
    let (_, p2) = t
        .call("GET", &list_uri(p1["next_pos"].as_u64().unwrap()), None)
        .await;
    assert_eq!(p2["has_remaining"], false);
    assert_eq!(p2["invitees"].as_array().unwrap().len(), 5);
    // The meeting query shows them as participants.
    assert_eq!(
        t.get_ok(&id).await["participants"]
            .as_array()
            .unwrap()
            .len(),
        25
    );

    // A missing array clears; outsiders and non-creators are refused.
    let (status, _) = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        t.call("GET", &list_uri(0), None).await.1["invitees"],
        json!([])
    );
    let got = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1,
            "invitees": [{"userid": "outsider@example.com"}]})),
        )
        .await;
    assert_error(&got, 500, 190001);
    let got = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": "colleague-1", "instanceid": 1, "invitees": []})),
        )
        .await;
    assert_error(&got, 500, 190315);
    let got = t
        .call(
            "GET",
            &format!("{path}?userid=colleague-1&instanceid=1"),
            None,
        )
        .await;
    assert_error(&got, 500, 190315);
    let too_many: Vec<_> = (0..2001)
        .map(|i| json!({"userid": format!("u{i}")}))
        .collect();
    let got = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1, "invitees": too_many})),
        )
        .await;
    assert_error(&got, 400, 190004);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn guests_are_overwritten_and_cleared() {
    let t = start().await;
    let id = t.create_ok(&t.booking("guests")).await["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/guests/{id}");
    let get_uri = format!("{path}?userid={}&instanceid=1", t.userid());
    let guests = json!([{"area": "86", "phone_number": "13800000000", "guest_name": "李"},
        {"area": "852", "phone_number": "91234567"}]);
    let (status, v) = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1, "guests": guests})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, g) = t.call("GET", &get_uri, None).await;
    assert_eq!(status, StatusCode::OK, "{g}");
    assert_eq!(g["meeting_id"], id.as_str());
    assert!(g["meeting_code"].is_string());
    assert_eq!(g["subject"], "guests");
    assert_eq!(g["guests"], guests);
    // "+86" is refused (the area code goes without +).
    let got = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1,
            "guests": [{"area": "+86", "phone_number": "13800000000"}]})),
        )
        .await;
    assert_error(&got, 400, 190004);
    // [] clears.
    let (status, _) = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1, "guests": []})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.call("GET", &get_uri, None).await.1["guests"], json!([]));
    // A cancelled meeting's guests cannot be changed.
    assert_eq!(t.cancel(&id, 1).await.0, StatusCode::OK);
    let got = t
        .call(
            "PUT",
            &path,
            Some(&json!({"userid": t.userid(), "instanceid": 1, "guests": []})),
        )
        .await;
    assert_error(&got, 500, 9102);
    assert_error(
        &t.call(
            "GET",
            &format!("/v1/guests/1?userid={}&instanceid=1", t.userid()),
            None,
        )
        .await,
        500,
        9003,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn user_exclusive_links() {
    let t = start().await;
    let m = t.create_ok(&t.booking("links")).await;
    let id = m["meeting_id"].as_str().unwrap();
    let make = |data: &str| json!({"meeting_id": id, "customer_data": data});
    let (status, a) = t
        .call(
            "POST",
            "/v1/meetings/customer-short-url",
            Some(&make("invitee-a")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let a = &a["meeting_short_url_customer_data"];
    assert_eq!(a["customer_data"], "invitee-a");
    let url_a = a["meeting_short_url"].as_str().unwrap().to_owned();
    assert!(url_a.starts_with("https://meeting.tencent.com/"), "{url_a}");
    assert_ne!(url_a, m["join_url"].as_str().unwrap());
    let (_, b) = t
        .call(
            "POST",
            "/v1/meetings/customer-short-url",
            Some(&make("invitee-b")),
        )
        .await;
    let (_, again) = t
        .call(
            "POST",
            "/v1/meetings/customer-short-url",
            Some(&make("invitee-a")),
        )
        .await;
    assert_eq!(
        again["meeting_short_url_customer_data"]["meeting_short_url"],
        url_a.as_str()
    );
    let (status, list) = t
        .call(
            "GET",
            &format!("/v1/meetings/{id}/customer-short-url"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list["meeting_short_url_customer_data"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[1]["meeting_short_url"],
        b["meeting_short_url_customer_data"]["meeting_short_url"]
    );
    let got = t
        .call(
            "POST",
            "/v1/meetings/customer-short-url",
            Some(&make(&"x".repeat(257))),
        )
        .await;
    assert_error(&got, 400, 190004);
    let got = t
        .call(
            "POST",
            "/v1/meetings/customer-short-url",
            Some(&json!({"meeting_id": "1", "customer_data": "x"})),
        )
        .await;
    assert_error(&got, 500, 9003);
    t.sim.shutdown().await;
}
