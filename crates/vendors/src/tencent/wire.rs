//! Request and response bodies of the Tencent Meeting REST API as the official SDKs spell them
//! (vendor note §3). Requests omit what is not set (`null` is never sent: for `hosts` and
//! `guests` an empty array means "clear" and omission "unchanged", note §3.12). Responses are
//! read tolerantly: numbers may come as strings and times as strings or integers (note §3,
//! §3.2), fields may be missing or null.
//!
//! Host-only values (`host_key`) are held in `SecretString` from the moment they are parsed,
//! so no `Debug` of these types can print them.

use crate::lenient::{null_as_empty, opt_i64, opt_secret, opt_string};
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
    /// Required when `meeting_type` is 1 (note §3.1, §3.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_rule: Option<RecurringRuleObj>,
}

/// `recurring_rule` of create (note §3.2). Unset fields are omitted, never `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RecurringRuleObj {
    /// 0 daily, 1 Mon-Fri, 2 weekly, 3 every two weeks, 4 monthly, 5 custom.
    pub recurring_type: u8,
    /// 0 end by date, 1 end by count.
    pub until_type: u8,
    /// Unix seconds (end by date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until_date: Option<i64>,
    /// Number of occurrences (end by count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until_count: Option<u32>,
    /// Only with `recurring_type` 5: 0 by day, 1 by week, 2 monthly by week-of-month, 3
    /// monthly by date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customized_recurring_type: Option<u8>,
    /// Every N days / weeks / months.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customized_recurring_step: Option<u32>,
    /// Bit mask (sum of bits), see [`super::mapping::RecurringRule`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customized_recurring_days: Option<u32>,
}

/// `recurring_rule` of modify when one occurrence moves: only `sub_meeting_id` ("cannot be
/// combined with rule changes", note §3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubMeetingRule {
    pub sub_meeting_id: String,
}

/// Body of `PUT /v1/meetings/{meeting_id}` moving one occurrence of a series (note §3.3:
/// `meeting_type` 1, `recurring_rule: {sub_meeting_id}` and the new times; FLAG: the shape
/// is inferred from the field docs). The subject is left out: it belongs to the whole series.
#[derive(Debug, Clone, Serialize)]
pub struct MoveOccurrenceRequest {
    pub userid: String,
    pub instanceid: u32,
    /// 1 = recurring.
    pub meeting_type: u8,
    pub recurring_rule: SubMeetingRule,
    pub start_time: String,
    pub end_time: String,
}

/// Body of `PUT /v1/meetings/{meeting_id}/invitees` (note §3.6): overwrites the list; `[]`
/// clears it.
#[derive(Debug, Clone, Serialize)]
pub struct SetInviteesRequest {
    pub userid: String,
    pub instanceid: u32,
    pub invitees: Vec<UserObj>,
}

/// Body of `PUT /v1/guests/{meeting_id}` (note §3.7): overwrites; `[]` clears.
#[derive(Debug, Clone, Serialize)]
pub struct SetGuestsRequest {
    pub userid: String,
    pub instanceid: u32,
    pub guests: Vec<GuestObj>,
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
    /// Omitted (unchanged) when the list goes through the invitees API instead (more than
    /// the body's 300, note §3.1/§3.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitees: Option<Vec<UserObj>>,
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
    /// 1 for a recurring meeting (note §3.4); omitted (0) for a one-off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_type: Option<u8>,
    /// One occurrence of a series; omitted to cancel the whole series (note §3.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_meeting_id: Option<String>,
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
    /// The series' rule, when `meeting_type` is 1 (note §3.2).
    #[serde(default, deserialize_with = "opt_rule")]
    pub recurring_rule: Option<RecurringRuleInfo>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sub_meetings: Vec<SubMeetingInfo>,
    /// 0/1 as the field table spells it ...
    #[serde(default, deserialize_with = "opt_i64")]
    pub has_more_sub_meeting: Option<i64>,
    /// ... and as the doc example spells it (note §3.2 FLAG: both are read).
    #[serde(default, deserialize_with = "opt_i64")]
    pub has_more_sub_meetings: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub remain_sub_meetings: Option<i64>,
    /// The next or ongoing occurrence.
    #[serde(default, deserialize_with = "opt_string")]
    pub current_sub_meeting_id: Option<String>,
}

impl MeetingInfo {
    /// Whether the answer says sub-meetings were left out, under either spelling.
    pub fn more_sub_meetings(&self) -> bool {
        self.has_more_sub_meeting.unwrap_or(0) != 0 || self.has_more_sub_meetings.unwrap_or(0) != 0
    }
}

/// `recurring_rule` as the query APIs show it (note §3.2); every field tolerant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecurringRuleInfo {
    #[serde(default, deserialize_with = "opt_i64")]
    pub recurring_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub until_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub until_date: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub until_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub customized_recurring_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub customized_recurring_step: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub customized_recurring_days: Option<i64>,
}

/// One occurrence: `{sub_meeting_id, status (0 exists, 1 deleted), start_time, end_time}`,
/// times as integers in the docs but read as strings too (note §3, §3.2).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubMeetingInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub sub_meeting_id: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub end_time: Option<i64>,
}

/// `GET /v1/meetings/{id}/invitees`: `{has_remaining, next_pos, invitees:[{userid,
/// nick_name}]}` (note §3.6).
#[derive(Debug, Default, Deserialize)]
pub struct InviteesPage {
    /// A boolean in the docs; 0/1 and strings read too.
    #[serde(default, deserialize_with = "opt_i64")]
    pub has_remaining: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub next_pos: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub invitees: Vec<UserInfo>,
}

/// `GET /v1/guests/{id}`: `{meeting_id, meeting_code, subject, guests}` (note §3.7).
#[derive(Debug, Default, Deserialize)]
pub struct GuestsAnswer {
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub guests: Vec<GuestInfo>,
}

/// The paged answers of the ended-meetings list (note §3.5) and of a room's meetings (§3.9):
/// `{total_count, total_page, current_page, current_size, meeting_info_list}`.
#[derive(Debug, Default, Deserialize)]
pub struct PagedMeetings {
    #[serde(default, deserialize_with = "opt_i64")]
    pub total_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub total_page: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub current_page: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub meeting_info_list: Vec<MeetingRow>,
}

/// A row of those lists: `{meeting_id, meeting_code, subject, start_time (int),
/// end_time (int), meeting_type, sub_meeting_id}` for ended meetings (note §3.5); a room's
/// meetings add `status` (the note gives no shape there: read with the same tolerance).
#[derive(Debug, Default, Deserialize)]
pub struct MeetingRow {
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_code: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub end_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub meeting_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub sub_meeting_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub status: Option<String>,
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

/// `GET /v1/meeting-rooms/{meeting_room_id}` (note §3.9). The note names fields, not the
/// wrapper: the room is read flat, and from a `basic_info` object when the flat reading has no
/// name (tolerant reading).
#[derive(Debug, Default, Deserialize)]
pub struct RoomDetail {
    #[serde(flatten)]
    pub room: RoomInfo,
    #[serde(default)]
    pub basic_info: Option<RoomInfo>,
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

// ---------------------------------------------------------------- readers of our own

/// A rule object; anything that is not an object (null, "", a number) gives none.
fn opt_rule<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RecurringRuleInfo>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(v @ Value::Object(_)) => {
            Some(RecurringRuleInfo::deserialize(v).map_err(de::Error::custom)?)
        }
        _ => None,
    })
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

    /// Note §3.2 FLAG: `has_more_sub_meeting` (table) or `has_more_sub_meetings` (example),
    /// as 0/1, a boolean or a string; sub-meeting times as integers or strings.
    #[test]
    fn recurring_fields_are_read_under_either_spelling_and_any_number_form() {
        let read = |more: Value| -> MeetingInfo {
            let mut v = json!({
                "meeting_id": "1", "meeting_type": 1,
                "sub_meetings": [
                    {"sub_meeting_id": 1599622242, "status": "1", "start_time": "1599622242", "end_time": 1599625842},
                    {"sub_meeting_id": "1600227042", "status": 0, "start_time": 1600227042, "end_time": "1600230642"}
                ],
                "remain_sub_meetings": "2", "current_sub_meeting_id": 1600227042,
                "recurring_rule": {"recurring_type": 2, "until_type": 1, "until_count": 2}
            });
            if let Value::Object(extra) = more {
                for (k, val) in extra {
                    v[k] = val;
                }
            }
            serde_json::from_value(v).unwrap()
        };
        for (more, expected) in [
            (json!({"has_more_sub_meeting": 1}), true),
            (json!({"has_more_sub_meetings": 1}), true),
            (json!({"has_more_sub_meetings": true}), true),
            (
                json!({"has_more_sub_meeting": "0", "has_more_sub_meetings": 1}),
                true,
            ),
            (json!({"has_more_sub_meeting": 0}), false),
            (json!({"has_more_sub_meetings": false}), false),
            (json!({}), false),
        ] {
            let m = read(more.clone());
            assert_eq!(m.more_sub_meetings(), expected, "{more}");
            assert_eq!(
                m.sub_meetings[0].sub_meeting_id.as_deref(),
                Some("1599622242")
            );
            assert_eq!(m.sub_meetings[0].status, Some(1));
            assert_eq!(m.sub_meetings[0].start_time, Some(1599622242));
            assert_eq!(m.sub_meetings[1].end_time, Some(1600230642));
            assert_eq!(m.remain_sub_meetings, Some(2));
            assert_eq!(m.current_sub_meeting_id.as_deref(), Some("1600227042"));
            assert_eq!(m.recurring_rule.as_ref().unwrap().until_count, Some(2));
        }
        // A one-off meeting: no rule (null or absent) and no sub-meetings.
        let m: MeetingInfo = serde_json::from_value(
            json!({"meeting_id": "1", "recurring_rule": null, "sub_meetings": null}),
        )
        .unwrap();
        assert!(m.recurring_rule.is_none() && m.sub_meetings.is_empty() && !m.more_sub_meetings());
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
            recurring_rule: None,
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["type"], 0);
        assert!(v.get("hosts").is_none() && v.get("guests").is_none());
        assert!(!serde_json::to_string(&c).unwrap().contains("null"));
    }
}
