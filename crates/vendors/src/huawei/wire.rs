//! Request and response bodies exactly as the document spells them (parameter tables, not the
//! PDF-mangled examples: `appId`, not `appld`; note §6). Responses are read tolerantly, because
//! the document's own examples disagree with its tables (note §6, §7.5): booleans may come as
//! strings, numbers as strings, `timeZoneID` as a number, fields may be missing or null, and the
//! misspelt names (`scheduserName`, `terminlCount`, `partAttendeeInfo`) are the real ones.
//!
//! Secrets (tokens, `chairJoinUri`, passwords) are held in `SecretString` from the moment they
//! are parsed, so no `Debug` of these types can print them.

use crate::lenient::{null_as_empty, opt_bool, opt_i64, opt_secret, opt_string, opt_u64, secret};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// `clientType` 72: an API caller (L538), which allows 64 live tokens per user.
pub const CLIENT_TYPE_API: u32 = 72;

// ---------------------------------------------------------------- requests

/// Body of `POST /v2/usg/acs/auth/appauth` (table L534-547).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppAuthRequest {
    pub app_id: String,
    pub client_type: u32,
    /// Seconds since the epoch after which this signed request is refused.
    pub expire_time: u64,
    pub nonce: String,
    /// The signed user id; absent (not empty) for the enterprise default administrator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// Body of `POST /v1/usg/acs/auth/account` (L733-742).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountAuthRequest {
    pub account: String,
    pub client_type: u32,
    /// 0 = create a token.
    pub create_token_type: u32,
}

/// Body of create (`POST /v1/mmc/management/conferences`, table 4-2 L1895-1920) and edit
/// (`PUT ...?conferenceID=`, L2370-2394). Edit takes the same fields; we always send the full
/// definition because omitted fields may be reset (note §3.4, §6 #35).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceRequest {
    pub subject: String,
    /// Required: `HDVideo` for a video meeting.
    pub media_types: String,
    /// UTC `yyyy-MM-dd HH:mm` (L1896).
    pub start_time: String,
    /// Minutes, 15-1440.
    pub length: u32,
    pub attendees: Vec<AttendeeRequest>,
    pub conf_config_info: ConfConfigInfoRequest,
    /// Index into the time-zone table (L27822-27909), sent as a string.
    #[serde(rename = "timeZoneID")]
    pub time_zone_id: String,
    /// `zh-CN` or `en-US`: the language of Huawei's notices.
    pub language: String,
}

/// One invitee (table 4-3, L1922-1947).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Required together with `accountId` under App ID authentication (L1929).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 0 = attendee, 1 = host.
    pub role: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile number the SMS notice goes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<String>,
}

/// The notice switches of ConfConfigInfo (table 4-5, L1961-1981); always sent as real JSON
/// booleans, whatever the examples show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfConfigInfoRequest {
    pub is_send_notify: bool,
    pub is_send_sms: bool,
    pub is_send_calendar: bool,
}

/// `cycleParams` of create-series / edit-series (table 4-4, L1949-1959). Dates are
/// `YYYY-MM-DD` in the `timeZoneID` zone, not UTC (L1952-1953, L2558).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleParamsRequest {
    pub start_date: String,
    pub end_date: String,
    /// `Day`, `Week` or `Month` (case as documented).
    pub cycle: String,
    /// Always sent: the table gives no default (L1955; note §6 #21).
    pub interval: u32,
    /// Week: 0 = Sunday .. 6; Month: 1..31. Left out for `Day` ("仅当按周和月时有效", L1957).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub point: Vec<u8>,
    /// Marked required although it has a default (L1959): always sent.
    pub pre_remind_days: u32,
}

/// Body of `POST /v1/mmc/management/cycleconferences` (table 4-25, L2546-2570) and of
/// `PUT ...?conferenceID=` (L3013-3039): the one-off body plus `cycleParams`. The edit is a full
/// overwrite (note §3.8), so the whole definition is always sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleConferenceRequest {
    #[serde(flatten)]
    pub conference: ConferenceRequest,
    pub cycle_params: CycleParamsRequest,
}

/// Body of `PUT /v1/mmc/management/conferences/cyclesubconf?conferenceID=` (table 4-42,
/// L3246-3256): `cycleSubConfID`, `mediaTypes`, `startTime` and `length` are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubConfUpdateRequest {
    #[serde(rename = "cycleSubConfID")]
    pub cycle_sub_conf_id: String,
    /// `Voice` or `HDVideo` (the plural name, unlike the answers' `mediaType`, L2597).
    pub media_types: String,
    /// UTC `yyyy-MM-dd HH:mm`; never empty (empty would mean "now", L3248).
    pub start_time: String,
    pub length: u32,
    /// At most 200 characters (L3256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// JSON body of `DELETE /v1/mmc/management/conferences/cyclesubconf?conferenceID=` (table 4-35,
/// L2924): the table's `cycleSubConfIDs`, not the example's PDF-mangled `cycleSubConflDs`
/// (L2953, note §6 #2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelSubConfsRequest {
    #[serde(rename = "cycleSubConfIDs")]
    pub cycle_sub_conf_ids: Vec<String>,
}

// ---------------------------------------------------------------- responses

/// `{"error_code":"MMC.111071013","error_msg":"CONF_START_TIME_LESS_THAN_CURRENT_TIME"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default, deserialize_with = "opt_string")]
    pub error_code: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub error_msg: Option<String>,
}

/// The login / refresh answer (table 3-4, L564-586; refresh table 3-14).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    #[serde(deserialize_with = "secret")]
    pub access_token: SecretString,
    #[serde(default, deserialize_with = "opt_secret")]
    pub refresh_token: Option<SecretString>,
    /// Access-token lifetime in seconds (12-24 h).
    #[serde(default, deserialize_with = "opt_u64")]
    pub valid_period: Option<u64>,
    /// Access-token expiry, seconds since the epoch (server clock).
    #[serde(default, deserialize_with = "opt_u64")]
    pub expire_time: Option<u64>,
    /// Creation time in milliseconds (server clock).
    #[serde(default, deserialize_with = "opt_u64")]
    pub create_time: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub refresh_valid_period: Option<u64>,
    #[serde(default)]
    pub user: Option<UserInfo>,
}

/// The parts of UserInfo (L791-830) Huiyi uses. Its `password`/`paidPassword` fields are never
/// read, so they cannot leak from here.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name_en: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub third_account: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub uclogin_account: Option<String>,
}

/// ConferenceInfo (table 4-8, L2001-2063), as create/edit (in an array), list and detail return it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceInfo {
    #[serde(default, rename = "conferenceID", deserialize_with = "opt_string")]
    pub conference_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub size: Option<i64>,
    #[serde(default, rename = "timeZoneID", deserialize_with = "opt_string")]
    pub time_zone_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub start_time: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub end_time: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub media_types: Option<String>,
    /// `Schedule`, `Creating`, `Created`, `Destroyed`.
    #[serde(default, deserialize_with = "opt_string")]
    pub conference_state: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub language: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub access_number: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub password_entry: Vec<PasswordEntry>,
    #[serde(default, rename = "userUUID", deserialize_with = "opt_string")]
    pub user_uuid: Option<String>,
    /// The booker's name; the misspelling is the API's own (L2016).
    #[serde(default, rename = "scheduserName", deserialize_with = "opt_string")]
    pub scheduser_name: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub conference_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_type: Option<String>,
    /// Carries host rights.
    #[serde(default, deserialize_with = "opt_secret")]
    pub chair_join_uri: Option<SecretString>,
    #[serde(default, deserialize_with = "opt_string")]
    pub guest_join_uri: Option<String>,
    #[serde(default)]
    pub conf_config_info: Option<ConfConfigInfo>,
    #[serde(default, alias = "partAttendeInfo", deserialize_with = "null_as_empty")]
    pub part_attendee_info: Vec<PartAttendee>,
    #[serde(default, alias = "terminCount", deserialize_with = "opt_i64")]
    pub terminl_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub normal_count: Option<i64>,
    #[serde(default, rename = "vmrConferenceID", deserialize_with = "opt_string")]
    pub vmr_conference_id: Option<String>,
    #[serde(default, rename = "confUUID", deserialize_with = "opt_string")]
    pub conf_uuid: Option<String>,
    /// The caller's own role; detail queries only.
    #[serde(default, deserialize_with = "opt_string")]
    pub role: Option<String>,
    /// Recurring meetings only (table 4-15, L2118-2126).
    #[serde(default)]
    pub cycle_params: Option<CycleParamsInfo>,
    /// Every sub-meeting of a recurring meeting (table 4-28, L2592-2605).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sub_confs: Vec<SubConfInfo>,
    /// The first sub-meeting's UUID (table 4-8, L2063).
    #[serde(default, rename = "cycleSubConfID", deserialize_with = "opt_string")]
    pub cycle_sub_conf_id: Option<String>,
}

impl ConferenceInfo {
    /// A recurring meeting: `conferenceType` 2 or `confType` `CYCLE` (table 4-8), or one that
    /// carries recurrence data.
    pub fn is_cycle(&self) -> bool {
        self.conference_type == Some(2)
            || self
                .conf_type
                .as_deref()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("CYCLE"))
            || self.cycle_params.is_some()
            || !self.sub_confs.is_empty()
    }
}

/// Answer CycleParams (table 4-15, L2118-2126), read tolerantly; `cycleCount` is undocumented
/// (always 0 in the examples, L2719).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleParamsInfo {
    #[serde(default, deserialize_with = "opt_string")]
    pub start_date: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub end_date: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub cycle: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub interval: Option<i64>,
    #[serde(default, deserialize_with = "int_list")]
    pub point: Vec<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub pre_remind_days: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub cycle_count: Option<i64>,
}

/// One sub-meeting (Subconfs, table 4-28, L2592-2605). Note the singular `mediaType` (L2597).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubConfInfo {
    #[serde(default, rename = "cycleSubConfID", deserialize_with = "opt_string")]
    pub cycle_sub_conf_id: Option<String>,
    #[serde(default, rename = "conferenceID", deserialize_with = "opt_string")]
    pub conference_id: Option<String>,
    #[serde(default, alias = "mediaTypes", deserialize_with = "opt_string")]
    pub media_type: Option<String>,
    /// `YYYY-MM-DD HH:MM`, UTC (note §1.5).
    #[serde(default, deserialize_with = "opt_string")]
    pub start_time: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub end_time: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub description: Option<String>,
}

/// A list of integers, each possibly written as a string; `null` or a non-list is empty and
/// unreadable items are left out.
fn int_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    use serde_json::Value;
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// `{conferenceRole: "chair"|"general", password}` (table 4-9); the password is plaintext.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordEntry {
    #[serde(default, deserialize_with = "opt_string")]
    pub conference_role: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub password: Option<SecretString>,
}

/// Response ConfConfigInfo (table 4-16): only the notice switches matter here.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfConfigInfo {
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_send_notify: Option<bool>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_send_sms: Option<bool>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_send_calendar: Option<bool>,
}

/// PartAttendee (table 4-10): phones come masked (`+99111*****4158`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartAttendee {
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub phone: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub role: Option<i64>,
}

/// `GET /v1/mmc/management/conferences` answer (table 4-49).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConferenceList {
    #[serde(default, deserialize_with = "opt_i64")]
    pub offset: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub limit: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub data: Vec<ConferenceInfo>,
}

/// `GET /v1/mmc/management/conferences/confDetail` answer (table 4-52).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceDetail {
    pub conference_data: ConferenceInfo,
    #[serde(default)]
    pub data: Option<PageParticipant>,
}

/// Table 4-53.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParticipant {
    #[serde(default, deserialize_with = "opt_i64")]
    pub offset: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub limit: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub data: Vec<ParticipantInfo>,
}

/// Table 4-54. The table has no `phone`; `participantID` holds the number and `sms` the
/// notification mobile. `phone` is accepted in case a server sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantInfo {
    #[serde(default, rename = "participantID", deserialize_with = "opt_string")]
    pub participant_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub role: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub sms: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub app_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub attendee_type: Option<String>,
}

/// Create and edit answer with a JSON array of one ConferenceInfo (L1999); a bare object is
/// accepted too, since nothing is lost by it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    Many(Vec<ConferenceInfo>),
    One(Box<ConferenceInfo>),
}

impl OneOrMany {
    pub fn into_first(self) -> Option<ConferenceInfo> {
        match self {
            OneOrMany::Many(v) => v.into_iter().next(),
            OneOrMany::One(c) => Some(*c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_documented_create_answer_parses() {
        // Document L2185-2248, trimmed the way note §3.2 shows it.
        let body = r#"[{"conferenceID":"914673889","mediaTypes":"Data,Voice,HDVideo","subject":"例行会议","size":1,
          "timeZoneID":"56","startTime":"2022-08-30 12:00","endTime":"2022-08-30 13:00",
          "conferenceState":"Schedule","accessNumber":"+991117","language":"zh-CN",
          "passwordEntry":[{"conferenceRole":"chair","password":"111111"},{"conferenceRole":"general","password":"222222"}],
          "userUUID":"ff80808167ef1edf0167f339533d05a6","scheduserName":"金秘书","conferenceType":0,"confType":"FUTURE",
          "isAutoMute":1,"isAutoRecord":0,
          "chairJoinUri":"https://c.meeting.huaweicloud.com/#/j/914673889/6a30b8b5a325105da031442627828e496f91021ece36405f",
          "guestJoinUri":"https://c.meeting.huaweicloud.com/#/j/914673889/9505dc3349228b1ce0db8165590cc977bcff89785130fe0d",
          "recordType":2,"confConfigInfo":{"isSendNotify":false,"isSendSms":false,"isAutoMute":true},"vmrFlag":0,
          "partAttendeeInfo":[{"phone":"+99111*****4158","name":"张三","type":"normal"}],
          "terminlCount":0,"normalCount":1,"deptName":"企业协同云服务项目群"}]"#;
        let c = serde_json::from_str::<OneOrMany>(body)
            .unwrap()
            .into_first()
            .unwrap();
        assert_eq!(c.conference_id.as_deref(), Some("914673889"));
        assert_eq!(c.scheduser_name.as_deref(), Some("金秘书"));
        assert_eq!(c.terminl_count, Some(0));
        assert_eq!(c.part_attendee_info[0].name.as_deref(), Some("张三"));
        assert_eq!(c.conf_config_info.unwrap().is_send_notify, Some(false));
        assert_eq!(c.conf_config_info.unwrap().is_send_calendar, None);
        assert!(c
            .chair_join_uri
            .unwrap()
            .expose_secret()
            .contains("6a30b8b5"));
    }

    #[test]
    fn quirks_of_the_examples_are_tolerated() {
        let body = r#"{"conferenceID":914673889,"timeZoneID":56,"size":"1",
            "confConfigInfo":{"isSendNotify":"false","isSendSms":"true","isSendCalendar":1},
            "partAttendeInfo":null,"terminCount":"2","passwordEntry":null,"chairJoinUri":null,
            "unknownField":{"x":1}}"#;
        let c: ConferenceInfo = serde_json::from_str(body).unwrap();
        assert_eq!(c.conference_id.as_deref(), Some("914673889"));
        assert_eq!(c.time_zone_id.as_deref(), Some("56"));
        assert_eq!(c.size, Some(1));
        let cfg = c.conf_config_info.unwrap();
        assert_eq!(
            (cfg.is_send_notify, cfg.is_send_sms, cfg.is_send_calendar),
            (Some(false), Some(true), Some(true))
        );
        assert!(c.part_attendee_info.is_empty());
        assert_eq!(c.terminl_count, Some(2));
        assert!(c.chair_join_uri.is_none());
        assert!(c.start_time.is_none());
    }

    #[test]
    fn the_documented_login_answer_parses_and_hides_its_tokens() {
        // Document L615-687, trimmed.
        let body = r#"{"accessToken":"cnr1316vcp2celkbfko3z13Y2J8UdioOw0ER4kTK","tokenIp":"49.4.112.60",
          "validPeriod":56326,"expireTime":1627768613,"createTime":1627712287360,
          "user":{"realm":"huaweicloud.com","userId":"53e2759d388e413abf6a56743a2694c5","appId":"fdb8e4699586458bbd10c834872dcc62",
            "ucloginAccount":"Auto-53e2759d388e413abf6a56743a2694c5","name":"testuser@mycorp.com","thirdAccount":"testuser@mycorp.com",
            "password":null,"status":0},
          "clientType":72,"forceLoginInd":null,"firstLogin":false,"proxyToken":null,"tokenType":0,
          "refreshToken":"cnr13168neNyRDfomYEIci7zVjBBybZQG90fYdX2","refreshValidPeriod":2592000,
          "refreshExpireTime":1630304287,"refreshCreateTime":1627712287360}"#;
        let t: TokenResponse = serde_json::from_str(body).unwrap();
        assert_eq!(t.valid_period, Some(56326));
        assert_eq!(t.refresh_valid_period, Some(2592000));
        assert_eq!(
            t.user.as_ref().unwrap().user_id.as_deref(),
            Some("53e2759d388e413abf6a56743a2694c5")
        );
        let dbg = format!("{t:?}");
        assert!(
            !dbg.contains("cnr1316vcp2celkbfko3z13Y2J8UdioOw0ER4kTK"),
            "{dbg}"
        );
        assert!(
            !dbg.contains("cnr13168neNyRDfomYEIci7zVjBBybZQG90fYdX2"),
            "{dbg}"
        );
    }

    #[test]
    fn the_detail_answer_parses_with_participants() {
        let body = r#"{"conferenceData":{"conferenceID":"914083136","startTime":"2019-12-18 07:28","endTime":"2019-12-18 09:28"},
            "data":{"offset":0,"limit":20,"count":1,"data":[{"participantID":"+991116004380","name":"user01","role":1,
            "state":"MEETING","attendeeType":"normal","accountId":"user01","email":"u@example.com","appld":"x"}]}}"#;
        let d: ConferenceDetail = serde_json::from_str(body).unwrap();
        let p = &d.data.unwrap().data[0];
        assert_eq!(p.role, Some(1));
        assert_eq!(p.account_id.as_deref(), Some("user01"));
    }

    #[test]
    fn error_bodies_parse() {
        let e: ErrorBody =
            serde_json::from_str(r#"{"error_code":"MMC.111071013","error_msg":"CONF_START_TIME_LESS_THAN_CURRENT_TIME"}"#).unwrap();
        assert_eq!(e.error_code.as_deref(), Some("MMC.111071013"));
    }

    #[test]
    fn requests_serialize_with_the_documented_names() {
        let r = ConferenceRequest {
            subject: "周会".into(),
            media_types: "HDVideo".into(),
            start_time: "2026-11-24 01:30".into(),
            length: 60,
            attendees: vec![AttendeeRequest {
                account_id: Some("alice".into()),
                app_id: Some("app".into()),
                role: 1,
                ..Default::default()
            }],
            conf_config_info: ConfConfigInfoRequest {
                is_send_notify: true,
                is_send_sms: false,
                is_send_calendar: true,
            },
            time_zone_id: "56".into(),
            language: "zh-CN".into(),
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["mediaTypes"], "HDVideo");
        assert_eq!(v["startTime"], "2026-11-24 01:30");
        assert_eq!(v["timeZoneID"], "56");
        assert_eq!(v["attendees"][0]["accountId"], "alice");
        assert_eq!(v["attendees"][0]["appId"], "app");
        assert!(v["attendees"][0].get("email").is_none());
        assert_eq!(v["confConfigInfo"]["isSendNotify"], true);
        assert_eq!(v["confConfigInfo"]["isSendSms"], false);
        let a = serde_json::to_value(AppAuthRequest {
            app_id: "a".into(),
            client_type: CLIENT_TYPE_API,
            expire_time: 1,
            nonce: "n".into(),
            user_id: None,
        })
        .unwrap();
        assert_eq!(a["clientType"], 72);
        assert!(a.get("userId").is_none());
    }
}
