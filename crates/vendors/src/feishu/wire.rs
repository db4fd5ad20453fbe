//! Feishu VC request and answer bodies, spelled as the reference pages spell them (note §3-§7,
//! §9; the seed document is an overview without bodies, note L14-15). Answers are read
//! tolerantly ([`crate::lenient`]): IDs and times are strings that may arrive as numbers
//! (note §12.8, L615-620), unknown fields are ignored and new ones never required (§12.9).

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::lenient::{null_as_empty, opt_bool, opt_i64, opt_secret, opt_string};

/// `user_id_type` sent on every call that names users (note §14, L724): `open_id` (`ou_…`).
pub const USER_ID_TYPE: &str = "open_id";

/// The envelope `{code, msg, data}` with the failure detail `error` (note §9, L451-461).
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    #[serde(default, deserialize_with = "opt_i64")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub msg: Option<String>,
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

fn none<T>() -> Option<T> {
    None
}

/// Just the code and message of any answer, for reading a failure whatever its shape.
#[derive(Debug, Default, Deserialize)]
pub struct Status {
    #[serde(default, deserialize_with = "opt_i64")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub msg: Option<String>,
    #[serde(default)]
    pub error: Option<ErrorDetail>,
    /// OAuth (authen/v2) failures: `{"code":20050,"error":"server_error","error_description"}`
    /// (note L169-170) put a string in `error`; kept apart from the object form.
    #[serde(default, deserialize_with = "opt_string")]
    pub error_description: Option<String>,
}

/// `error` of a failed call (note L453-460). Only what helps support is kept.
#[derive(Debug, Default)]
pub struct ErrorDetail {
    pub message: Option<String>,
    pub log_id: Option<String>,
    pub troubleshooter: Option<String>,
    /// `error` as a plain string (OAuth, note L170).
    pub oauth_error: Option<String>,
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Option::<serde_json::Value>::deserialize(d)?;
        let text =
            |o: &serde_json::Value, k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
        Ok(match v {
            Some(serde_json::Value::String(s)) => ErrorDetail {
                oauth_error: Some(s),
                ..ErrorDetail::default()
            },
            Some(o @ serde_json::Value::Object(_)) => ErrorDetail {
                message: text(&o, "message"),
                // Both spellings occur (note L455-458).
                log_id: text(&o, "log_id").or_else(|| text(&o, "logid")),
                troubleshooter: text(&o, "troubleshooter"),
                oauth_error: None,
            },
            _ => ErrorDetail::default(),
        })
    }
}

// ---- auth (note §3) ----

/// `POST /open-apis/auth/v3/tenant_access_token/internal` (note L123-127).
#[derive(Serialize)]
pub struct TenantTokenRequest<'a> {
    pub app_id: &'a str,
    pub app_secret: &'a str,
}

/// The flat answer (note L130-131): token and `expire` at the top level, not in `data`.
#[derive(Deserialize)]
pub struct TenantTokenAnswer {
    #[serde(default, deserialize_with = "opt_i64")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub msg: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub tenant_access_token: Option<SecretString>,
    /// Seconds *remaining* (note L133-136), not always 7200.
    #[serde(default, deserialize_with = "opt_i64")]
    pub expire: Option<i64>,
}

/// `POST /open-apis/authen/v2/oauth/token` (note L166-177): the code exchange and the refresh.
#[derive(Serialize)]
pub struct OAuthTokenRequest<'a> {
    pub grant_type: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<&'a str>,
}

/// The flat (RFC 6749 style) answer (note L168-169).
#[derive(Deserialize)]
pub struct OAuthTokenAnswer {
    #[serde(default, deserialize_with = "opt_i64")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub access_token: Option<SecretString>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub expires_in: Option<i64>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub refresh_token: Option<SecretString>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub refresh_token_expires_in: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub scope: Option<String>,
}

// ---- reserve (note §4) ----

/// `reserve_meeting_setting` (note §4.1, L197-212). Absent fields are not sent: on update,
/// absent means "unchanged" and empty means "cleared" (L261-262).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingSettings {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_permissions: Option<Vec<ActionPermission>>,
    /// 1 = multi-person meeting, 2 = 1v1 call (PSTN only) (L207).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_i64"
    )]
    pub meeting_initial_type: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_bool"
    )]
    pub auto_record: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_host_list: Option<Vec<AssignHost>>,
    /// Omitted = the owner's personal setting; "" = none; 4-9 digits (L212).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string"
    )]
    pub password: Option<String>,
}

/// `reserve_action_permission` (L201-206).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPermission {
    /// 1 = can be host, 2 = can invite, 3 = can join.
    #[serde(default, deserialize_with = "opt_i64")]
    pub permission: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub permission_checkers: Vec<PermissionChecker>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermissionChecker {
    /// 1 = user ID, 2 = user type, 3 = tenant ID.
    #[serde(default, deserialize_with = "opt_i64")]
    pub check_field: Option<i64>,
    /// 1 = allowlist, 2 = blocklist.
    #[serde(default, deserialize_with = "opt_i64")]
    pub check_mode: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub check_list: Vec<String>,
}

/// `reserve_assign_host` (L211): `user_type` 1 = Feishu user of the same tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignHost {
    #[serde(default, deserialize_with = "opt_i64")]
    pub user_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
}

/// `POST /open-apis/vc/v1/reserves/apply` body (note §4.2, L228-235). `end_time` is sent as a
/// string of Unix seconds (L229, L738-739).
#[derive(Debug, Serialize)]
pub struct ApplyBody {
    pub end_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub meeting_settings: MeetingSettings,
}

/// `PUT /open-apis/vc/v1/reserves/:reserve_id` body (note §4.3, L264).
#[derive(Debug, Serialize)]
pub struct UpdateBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_settings: Option<MeetingSettings>,
}

/// `reserve` (note §4.1, L218-222).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reserve {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_no: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub app_link: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub live_link: Option<String>,
    /// Unix seconds (string or number).
    #[serde(default, deserialize_with = "opt_i64")]
    pub end_time: Option<i64>,
    /// 1 = not expired, 2 = expired; 0 seen in examples = unknown (§12.7, L613-614).
    #[serde(default, deserialize_with = "opt_i64")]
    pub expire_status: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub reserve_user_id: Option<String>,
    #[serde(default)]
    pub meeting_settings: Option<MeetingSettings>,
}

/// `data` of apply, update and get (L241-249, L266-267, L277-278).
#[derive(Debug, Default, Deserialize)]
pub struct ReserveData {
    #[serde(default)]
    pub reserve: Option<Reserve>,
    #[serde(default)]
    pub reserve_correction_check_info: Option<CorrectionInfo>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CorrectionInfo {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub invalid_host_id_list: Vec<String>,
}

// ---- meeting (note §4.6, §5) ----

/// `{id, user_type}` as meetings name users (L289, L336, L348, L358).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingUser {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub user_type: Option<i64>,
}

/// `meeting` of get_active_meeting and meeting get (L288-295, L313). Times are Unix seconds
/// as strings.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meeting {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub topic: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_no: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub create_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub end_time: Option<i64>,
    #[serde(default)]
    pub host_user: Option<MeetingUser>,
    /// 1 calling, 2 in progress, 3 ended (L290).
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub participant_count: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub participants: Vec<Participant>,
}

/// `participants[]` (L291-293).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Participant {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub user_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_host: Option<bool>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_cohost: Option<bool>,
    /// 1 calling, 2 in meeting, 3 ringing, 4 not in / left.
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MeetingData {
    #[serde(default)]
    pub meeting: Option<Meeting>,
}

/// `data` of list_by_no (note §5.2, L326).
#[derive(Debug, Default, Deserialize)]
pub struct ListByNoData {
    #[serde(default, deserialize_with = "opt_bool")]
    pub has_more: Option<bool>,
    #[serde(default, deserialize_with = "opt_string")]
    pub page_token: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub meeting_briefs: Vec<MeetingBrief>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingBrief {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub topic: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub meeting_no: Option<String>,
}

/// invite body (note §5.3, L336).
#[derive(Debug, Serialize)]
pub struct InviteBody<'a> {
    pub invitees: &'a [MeetingUser],
}

/// `data.invite_results[]` (L338): status 1 success, 2 failed.
#[derive(Debug, Default, Deserialize)]
pub struct InviteData {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub invite_results: Vec<UserResult>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserResult {
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub user_type: Option<i64>,
    /// invite: `status`; kickout: `result` (both 1 = done, 2 = failed; L338, L349).
    #[serde(default, alias = "result", deserialize_with = "opt_i64")]
    pub status: Option<i64>,
}

/// kickout body (note §5.4, L348).
#[derive(Debug, Serialize)]
pub struct KickoutBody<'a> {
    pub kickout_users: &'a [MeetingUser],
}

#[derive(Debug, Default, Deserialize)]
pub struct KickoutData {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub kickout_results: Vec<UserResult>,
}

/// set_host body (note §5.5, L358).
#[derive(Debug, Serialize)]
pub struct SetHostBody<'a> {
    pub host_user: &'a MeetingUser,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_host_user: Option<&'a MeetingUser>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetHostData {
    #[serde(default)]
    pub host_user: Option<MeetingUser>,
}

// ---- rooms (note §7) ----

/// `room` (L382-386).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Room {
    #[serde(default, deserialize_with = "opt_string")]
    pub room_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub capacity: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub display_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub custom_room_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub room_level_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub path: Vec<String>,
    #[serde(default)]
    pub room_status: Option<RoomStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoomStatus {
    /// Usable at all.
    #[serde(default, deserialize_with = "opt_bool")]
    pub status: Option<bool>,
    /// Open for booking.
    #[serde(default, deserialize_with = "opt_bool")]
    pub schedule_status: Option<bool>,
}

/// `data` of rooms list and search (L387-395).
#[derive(Debug, Default, Deserialize)]
pub struct RoomPage {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub rooms: Vec<Room>,
    #[serde(default, deserialize_with = "opt_string")]
    pub page_token: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub has_more: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RoomData {
    #[serde(default)]
    pub room: Option<Room>,
}

/// rooms/search body (L392-395).
#[derive(Debug, Default, Serialize)]
pub struct RoomSearchBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_level_id: Option<&'a str>,
    pub page_size: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<&'a str>,
}

/// `room_level` (L402).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoomLevel {
    #[serde(default, deserialize_with = "opt_string")]
    pub room_level_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub path: Vec<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub has_child: Option<bool>,
}

/// `data` of room_levels list. ASSUMPTION: the list is `items` as in mget (L400-401, GO
/// `ListRoomLevelRespData`); `room_levels` is read too.
#[derive(Debug, Default, Deserialize)]
pub struct RoomLevelPage {
    #[serde(default, alias = "room_levels", deserialize_with = "null_as_empty")]
    pub items: Vec<RoomLevel>,
    #[serde(default, deserialize_with = "opt_string")]
    pub page_token: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub has_more: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RoomLevelData {
    #[serde(default)]
    pub room_level: Option<RoomLevel>,
}
