//! Request and response bodies of the Tencent Meeting REST API as the official SDKs spell them
//! (vendor note §3). Requests omit what is not set (`null` is never sent: for `hosts` and
//! `guests` an empty array means "clear" and omission "unchanged", note §3.12). Responses are
//! read tolerantly: numbers may come as strings and times as strings or integers (note §3,
//! §3.2), fields may be missing or null.
//!
//! Host-only values (`host_key`) are held in `SecretString` from the moment they are parsed,
//! so no `Debug` of these types can print them.

use secrecy::SecretString;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `instanceid` 1 (PC): "default 1 is fine" (note §3). An API caller has no device of its own.
pub const INSTANCE_ID: u32 = 1;

// ---------------------------------------------------------------- requests

/// A member of the same enterprise, by `userid` (hosts and invitees, note §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserObj {
    pub userid: String,
}

/// An external guest by phone (note §3.7): `area` is the country code without `+` or `00`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuestObj {
    pub area: String,
    pub phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guest_name: Option<String>,
}

/// Body of `POST /v1/meetings` (note §3.1).
#[derive(Debug, Clone, Serialize)]
pub struct CreateMeetingRequest {
    pub userid: String,
    pub instanceid: u32,
    pub subject: String,
    /// 0 = scheduled (预约会议).
    #[serde(rename = "type")]
    pub kind: u8,
    /// Unix seconds as a string.
    pub start_time: String,
    pub end_time: String,
    /// 0 = a one-off meeting.
    pub meeting_type: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosts: Option<Vec<UserObj>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitees: Option<Vec<UserObj>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guests: Option<Vec<GuestObj>>,
    /// IANA zone, e.g. `Asia/Shanghai`.
    pub time_zone: String,
}

/// Body of `PUT /v1/meetings/{meeting_id}` (note §3.3). Subject and times are always sent (an
/// older SDK marked them required, note §3.3 FLAG); `hosts`, `invitees` and `guests` are sent
/// even when empty, because an edit replaces the meeting's people.
#[derive(Debug, Clone, Serialize)]
pub struct ModifyMeetingRequest {
    pub userid: String,
    pub instanceid: u32,
    pub subject: String,
    pub start_time: String,
    pub end_time: String,
    pub hosts: Vec<UserObj>,
    pub invitees: Vec<UserObj>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guests: Option<Vec<GuestObj>>,
    pub time_zone: String,
}

/// Body of `POST /v1/meetings/{meeting_id}/cancel` (note §3.4).
#[derive(Debug, Clone, Serialize)]
pub struct CancelMeetingRequest {
    pub userid: String,
    pub instanceid: u32,
    /// Caller-defined and required.
    pub reason_code: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_detail: Option<String>,
}

/// Body of `POST /v1/meetings/{meeting_id}/book-rooms` and `.../release-rooms` (note §3.9).
#[derive(Debug, Clone, Serialize)]
pub struct RoomsRequest {
    pub operator_id: String,
    /// 1 = `operator_id` is a userid (documented on release-rooms, assumed on book-rooms).
    pub operator_id_type: u8,
    pub meeting_room_id_list: Vec<String>,
}

/// `operator_id_type` 1: the operator is a userid.
pub const OPERATOR_USERID: u8 = 1;

// ---------------------------------------------------------------- responses

/// `{"error_info":{"error_code":190303,"new_error_code":200190303,"message":"…"}}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorEnvelope {
    #[serde(default)]
    pub error_info: Option<ErrorInfo>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorInfo {
    #[serde(default, deserialize_with = "opt_i64")]
    pub error_code: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub new_error_code: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
}

/// The answer of create, modify, query by ID and the user's meeting list:
/// `{meeting_number, meeting_info_list, [remaining, next_pos, next_cursory]}`.
#[derive(Debug, Default, Deserialize)]
pub struct MeetingList {
    #[serde(default, deserialize_with = "opt_i64")]
    pub meeting_number: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub meeting_info_list: Vec<MeetingInfo>,
    /// Meetings not yet returned; paging stops at 0 (note §3.5).
    #[serde(default, deserialize_with = "opt_i64")]
    pub remaining: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub next_pos: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub next_cursory: Option<i64>,
}

/// One meeting object (note §3.1 response, §3.5).
#[derive(Debug, Default, Deserialize)]
pub struct MeetingInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_code: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    /// `MEETING_STATE_INIT`, ... (note §3.5).
    #[serde(default, deserialize_with = "opt_string")]
    pub status: Option<String>,
    /// Unix seconds, as a string or a number.
    #[serde(default, deserialize_with = "opt_i64")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub end_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub join_url: Option<String>,
    /// The attendees' password (4-6 digits).
    #[serde(default, deserialize_with = "opt_string")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub time_zone: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub meeting_type: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub hosts: Vec<UserInfo>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub participants: Vec<UserInfo>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub guests: Vec<GuestInfo>,
    #[serde(default, deserialize_with = "opt_string")]
    pub location: Option<String>,
    /// Grants host rights: a secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub host_key: Option<SecretString>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub userid: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub nick_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct GuestInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub area: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub phone_number: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub guest_name: Option<String>,
}

/// `GET /v1/meeting-rooms`: `{total_count, total_page, current_page, current_size,
/// meeting_room_list}`; book-rooms answers `{meeting_room_number, meeting_room_list}` (§3.9).
#[derive(Debug, Default, Deserialize)]
pub struct RoomList {
    #[serde(default, deserialize_with = "opt_i64")]
    pub total_page: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub current_page: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub meeting_room_list: Vec<RoomInfo>,
}

/// One room (note §3.9).
#[derive(Debug, Default, Deserialize)]
pub struct RoomInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_room_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_room_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_room_location: Option<String>,
    /// 0 not open for booking, 1 open.
    #[serde(default, deserialize_with = "opt_i64")]
    pub scheduled_status: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub participant_number: Option<i64>,
}

// ---------------------------------------------------------------- tolerant readers

fn scalar_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string, or a number/boolean written as one; null or absent gives none.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(scalar_string))
}

fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(opt_string(d)?
        .filter(|s| !s.is_empty())
        .map(SecretString::from))
}

/// An integer, or an integer written as a string (`"1651334400"`); "" and null give none.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| de::Error::custom("a number out of range")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| de::Error::custom("a string that is not an integer")),
        Some(Value::Bool(b)) => Ok(Some(i64::from(b))),
        Some(_) => Err(de::Error::custom("an object where a number was expected")),
    }
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    #[test]
    fn a_meeting_reads_times_as_strings_or_numbers_and_hides_the_host_key() {
        let list: MeetingList = serde_json::from_value(json!({
            "meeting_number": "1",
            "remaining": 0, "next_pos": "20",
            "meeting_info_list": [{
                "meeting_id": "10418246224797450687", "meeting_code": 806146667,
                "subject": "周会", "start_time": "1651334400", "end_time": 1651338000,
                "join_url": "https://meeting.tencent.com/dm/uaa3D5n4vtjY",
                "host_key": "123456", "hosts": null, "participants": [{"userid": "a"}]
            }]
        }))
        .unwrap();
        assert_eq!(list.next_pos, Some(20));
        let m = &list.meeting_info_list[0];
        assert_eq!(m.meeting_code.as_deref(), Some("806146667"));
        assert_eq!(m.start_time, Some(1651334400));
        assert_eq!(m.end_time, Some(1651338000));
        assert_eq!(m.host_key.as_ref().unwrap().expose_secret(), "123456");
        assert!(!format!("{m:?}").contains("123456"));
    }

    #[test]
    fn requests_omit_what_is_not_set() {
        let c = CreateMeetingRequest {
            userid: "tester1".into(),
            instanceid: 1,
            subject: "s".into(),
            kind: 0,
            start_time: "1".into(),
            end_time: "2".into(),
            meeting_type: 0,
            hosts: None,
            invitees: None,
            guests: None,
            time_zone: "Asia/Shanghai".into(),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["type"], 0);
        assert!(v.get("hosts").is_none() && v.get("guests").is_none());
        assert!(!serde_json::to_string(&c).unwrap().contains("null"));
    }
}
