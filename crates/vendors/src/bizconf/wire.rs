//! Request parameters and response bodies of the BizConf (会畅) conference-management API,
//! spelled exactly as the vendor document spells them (`vendor-docs/001_…txt`; `Lnnn` are its
//! line numbers, "note" is `vendor-notes/bizconf.md`).
//!
//! Requests are form fields (L16-17), built here as ordered `(name, value)` pairs; the client
//! adds the four authentication fields (`userId`, `siteSign`, `timeStamp`, `token`). Optional
//! fields that are not set are left out, never sent empty, except `confPassword` on
//! `confModify2`, which is required and whose empty value *removes* the password (L1762).
//!
//! Responses are read tolerantly, because the document's own samples disagree with each other
//! (note §6): a number may come as a string (`"confStatus":"0"` in the site lists, L1310;
//! `"currentPage":"1"`, L932; `"status":"100"`, L3629), `confId` may be a number (L426) or a
//! string (L1300), any field may be missing or null, and an unreadable optional value reads as
//! absent instead of failing the whole answer. Host-only values (`protocolHostStartUrl`,
//! `hostStartUrl`, `h323pwd`) and registrants' personal links are `SecretString` from the
//! moment they are parsed, so no `Debug` of these types can print them.

use crate::lenient::{null_as_empty, opt_i64, opt_secret, opt_string};
use secrecy::SecretString;
use serde::Deserialize;

/// Form fields in order: names as the document spells them, values already as text.
pub type Form = Vec<(&'static str, String)>;

/// `status` of a successful answer (L33-34: 100 操作成功).
pub const STATUS_OK: i64 = 100;

// ---------------------------------------------------------------- requests

/// `POST /openapi/v2/confReservation` (2.1, L186-401), the fields Huiyi sets.
///
/// The watermark variant `confReservation2` (2.2, L441-655) is not used: it differs by a
/// required `loginName` shown as the watermark, `watermark` and `meetingAuthentication`, and it
/// lacks `registrationType` (registration) and `live`. Huiyi books no watermarked meetings but
/// does book meetings with registration, so 2.1 is the one that can express what we need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfReservation {
    /// Display name; BizConf keeps the one of the userId's first booking (L226).
    pub user_name: String,
    /// No `\ / : * ? ？ " < > |`, `&lt;`, `&gt;` or newline (L254).
    pub conf_name: String,
    /// GMT `yyyy-MM-dd HH:mm:ss` (L13-15, L146; the table's `yyyy-MM-ss` at L269 is a typo).
    pub start_time: String,
    /// Minutes (L276).
    pub duration: u32,
    /// Concurrent participant ports, 方数 (L303-308, required).
    pub conf_parties: u32,
    /// `registrationType=1`: attendees must register (L397-401); left out otherwise.
    pub registration: bool,
}

impl ConfReservation {
    pub fn form(&self) -> Form {
        let mut f: Form = vec![
            ("userName", self.user_name.clone()),
            ("confName", self.conf_name.clone()),
            ("startTime", self.start_time.clone()),
            ("duration", self.duration.to_string()),
            ("confParties", self.conf_parties.to_string()),
        ];
        if self.registration {
            f.push(("registrationType", "1".into()));
        }
        f
    }
}

/// `POST /openapi/v2/confModify2` (2.12, L1697-1899). `confPassword`, `startTime`, `duration`
/// and `confParties` are required (L1758-1809). The switches whose absence is documented as
/// "unchanged" (`optionJbh`, `optionVideoHost`, `optionVideoParticipants`: "如不修改，则不必传此参数",
/// L1770; `watermark`: "传空…使用预约会议时候设置的", L1872) are left out. Fields whose absence
/// is not documented (`beforeTime`, `interpretation`, `audio`, `waitingRoom`) are resent with
/// the meeting's current values when it has them, so an edit cannot reset them by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfModify2 {
    pub conf_id: String,
    pub conf_name: String,
    /// The password the meeting keeps: empty *removes* it (L1762), so this is the current one
    /// read just before, never a default.
    pub conf_password: String,
    pub start_time: String,
    pub duration: u32,
    pub conf_parties: u32,
    pub before_time: Option<i64>,
    pub interpretation: Option<i64>,
    pub audio: Option<i64>,
    pub waiting_room: Option<i64>,
}

impl std::fmt::Debug for ConfModify2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfModify2")
            .field("conf_id", &self.conf_id)
            .field("start_time", &self.start_time)
            .field("duration", &self.duration)
            .field("conf_parties", &self.conf_parties)
            .field("has_password", &!self.conf_password.is_empty())
            .finish_non_exhaustive()
    }
}

impl ConfModify2 {
    pub fn form(&self) -> Form {
        let mut f: Form = vec![
            ("confId", self.conf_id.clone()),
            ("confName", self.conf_name.clone()),
            ("confPassword", self.conf_password.clone()),
            ("startTime", self.start_time.clone()),
            ("duration", self.duration.to_string()),
            ("confParties", self.conf_parties.to_string()),
        ];
        let optional = [
            ("beforeTime", self.before_time),
            ("interpretation", self.interpretation),
            ("audio", self.audio),
            ("waitingRoom", self.waiting_room),
        ];
        f.extend(
            optional
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
        );
        f
    }
}

// ---------------------------------------------------------------- responses

/// The result code of every answer: `{"status": 100, "message": "success", …}` (note §1).
/// `status` is the result, not the HTTP status; 3.31 prints it as the string `"100"` (L3629).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusOnly {
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
}

/// An answer whose result sits in `data`, with the paging fields the lists put at the top
/// level beside `status` (L929-934: `totalPage`, `currentPage` as a string, `totalItems`,
/// `pageSize`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
    #[serde(default = "Option::default")]
    pub data: Option<T>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub total_page: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub current_page: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub total_items: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub page_size: Option<i64>,
}

/// `data` of the user lists 2.5-2.7: `{"confInfo": [ … ]}` (L935-1001).
#[derive(Debug, Default, Deserialize)]
pub struct ConfInfoList {
    #[serde(rename = "confInfo", default, deserialize_with = "null_as_empty")]
    pub conf_info: Vec<ConfInfo>,
}

/// A meeting as the API describes it. One type serves the three shapes of the document:
/// "ConfInfo-A" of 2.1/2.3/2.5-2.7 (L403-438), "ConfInfo-B" of 2.12 (L1903-1935, adds
/// `videoConf`, `videoPhone`, `watchUrl`, lacks `webClientJoin`) and the site lists' smaller
/// "ConfInfo-S" with string-typed numbers (L1295-1324).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfInfo {
    /// Meeting id, the key of every later call: a number (L426) or a string (L1300).
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_id: Option<String>,
    /// Meeting number people enter (10 digits in the samples).
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_number: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_name: Option<String>,
    /// The meeting password in clear; `""` when there is none (L413).
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_password: Option<String>,
    /// GMT `yyyy-MM-dd HH:mm:ss`.
    #[serde(default, deserialize_with = "opt_string")]
    pub start_time: Option<String>,
    /// Minutes.
    #[serde(default, deserialize_with = "opt_i64")]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_parties: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub before_time: Option<i64>,
    /// 0 booked, 2 in progress, 3 ended, 9 cancelled (L176, L432).
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_status: Option<i64>,
    /// 1 normal, 2 deleted (0 "invalid data", L179).
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_del_flag: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub user_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub room_id: Option<String>,
    /// `sfcloud://…/start?…&token=…`: starts the meeting as host (L411). Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub protocol_host_start_url: Option<SecretString>,
    /// `https://<site>.bizvideo.cn/j/<confId>3/…`: the host's start page (L424). Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub host_start_url: Option<SecretString>,
    /// `sfcloud://www.confcloud.cn/join?confno=…&pwd=…` (L419).
    #[serde(default, deserialize_with = "opt_string")]
    pub protocol_join_url: Option<String>,
    /// `https://<site>.bizvideo.cn/j/<confId>4/…` (L423).
    #[serde(default, deserialize_with = "opt_string")]
    pub join_url: Option<String>,
    /// `https://cc.bizvideo.cn/wc/join/<confNumber>?pwd=…&prefer=1` (L410).
    #[serde(default, deserialize_with = "opt_string")]
    pub web_client_join: Option<String>,
    /// H.323 password (L420). Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub h323pwd: Option<SecretString>,
    /// Audio conference number (2.12, L1928).
    #[serde(default, deserialize_with = "opt_string")]
    pub video_conf: Option<String>,
    /// Dial-in numbers, comma-separated, with a leading space in the sample (L1929).
    #[serde(default, deserialize_with = "opt_string")]
    pub video_phone: Option<String>,
    /// Live-stream watch page, public by design (L1315, L1931).
    #[serde(default, deserialize_with = "opt_string")]
    pub watch_url: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub option_jbh: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub interpretation: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub audio: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub waiting_room: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub watermark: Option<i64>,
}

/// 2.16 `getReMainNumPartis` answers at the top level (L2275-2280), spelled as printed:
/// `remainNumPartis` beside `totalNumParties`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RemainingPorts {
    #[serde(rename = "remainNumPartis", default, deserialize_with = "opt_i64")]
    pub remain_num_partis: Option<i64>,
    #[serde(rename = "totalNumParties", default, deserialize_with = "opt_i64")]
    pub total_num_parties: Option<i64>,
}

/// `data` of 3.32 `addRegistrant` (L3814-3825).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddedRegistrant {
    #[serde(default, deserialize_with = "opt_string")]
    pub registrant_id: Option<String>,
    /// Looks like the meeting number (1130352963, note §6.6).
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub topic: Option<String>,
    /// ISO-8601 UTC, `2022-09-23T01:30:00Z`.
    #[serde(default, deserialize_with = "opt_string")]
    pub start_time: Option<String>,
    /// The registrant's personal join link, `…?tk=<registrant token>`. Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub join_url: Option<SecretString>,
    /// The registrant token alone. Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub tk: Option<SecretString>,
}

/// One `{"title", "value"}` answer to a custom question (L3747-3769, L3907-3912).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CustomAnswer {
    #[serde(default, deserialize_with = "opt_string")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub value: Option<String>,
}

/// One item of 3.33 `getRegistrants` (L3889-3916).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistrantInfo {
    /// The registrant id (3.32's `registrant_id`).
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub org: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub job_title: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub comments: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_questions: Vec<CustomAnswer>,
    /// `pending`, `approved` or `denied`.
    #[serde(default, deserialize_with = "opt_string")]
    pub status: Option<String>,
    /// ISO-8601 UTC.
    #[serde(default, deserialize_with = "opt_string")]
    pub create_time: Option<String>,
    /// Personal join link with the registrant's `tk`. Secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub join_url: Option<SecretString>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    #[test]
    fn conf_id_reads_as_a_number_or_a_string_and_numbers_as_strings() {
        let a: ConfInfo =
            serde_json::from_value(json!({"confId": 6796567, "duration": 60})).unwrap();
        assert_eq!(a.conf_id.as_deref(), Some("6796567"));
        assert_eq!(a.duration, Some(60));
        // The site lists (L1300-1311).
        let s: ConfInfo = serde_json::from_value(json!({
            "confId": "18915", "duration": "10", "confStatus": "0", "confParties": "5"
        }))
        .unwrap();
        assert_eq!(s.conf_id.as_deref(), Some("18915"));
        assert_eq!(
            (s.duration, s.conf_status, s.conf_parties),
            (Some(10), Some(0), Some(5))
        );
    }

    #[test]
    fn unreadable_optional_values_read_as_absent() {
        let c: ConfInfo = serde_json::from_value(json!({
            "confId": {"x": 1}, "duration": "ten", "confStatus": null, "audio": [1],
            "hostStartUrl": ""
        }))
        .unwrap();
        assert!(c.conf_id.is_none() && c.duration.is_none() && c.conf_status.is_none());
        assert!(c.audio.is_none() && c.host_start_url.is_none());
    }

    #[test]
    fn string_status_and_paging_fields_are_read() {
        // 3.31 (L3628-3631) prints the status as a string.
        let s: StatusOnly =
            serde_json::from_value(json!({"status": "100", "message": ""})).unwrap();
        assert_eq!(s.status, Some(STATUS_OK));
        // 2.5 (L929-934): currentPage is a string, the rest numbers.
        let e: Envelope<ConfInfoList> = serde_json::from_value(json!({
            "status": 100, "totalPage": 1, "currentPage": "1", "totalItems": 2, "pageSize": 10,
            "data": {"confInfo": []}, "message": "success"
        }))
        .unwrap();
        assert_eq!(
            (e.total_page, e.current_page, e.total_items, e.page_size),
            (Some(1), Some(1), Some(2), Some(10))
        );
        let none: Envelope<ConfInfoList> =
            serde_json::from_value(json!({"status": 100, "data": null})).unwrap();
        assert!(none.data.is_none());
    }

    #[test]
    fn host_links_are_secret_in_debug_output() {
        let c: ConfInfo = serde_json::from_value(json!({
            "protocolHostStartUrl": "sfcloud://www.confcloud.cn/start?confno=1&token=HOSTTOKEN",
            "hostStartUrl": "https://x.bizvideo.cn/j/13/HOSTPAGE",
            "h323pwd": "166072"
        }))
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("HOSTTOKEN") && !dbg.contains("HOSTPAGE") && !dbg.contains("166072"));
        assert!(c
            .protocol_host_start_url
            .unwrap()
            .expose_secret()
            .ends_with("HOSTTOKEN"));
    }

    #[test]
    fn modify_forms_always_carry_the_password_field_and_only_known_extras() {
        let m = ConfModify2 {
            conf_id: "110435".into(),
            conf_name: "斌斌好".into(),
            conf_password: String::new(),
            start_time: "2017-06-26 15:30:00".into(),
            duration: 30,
            conf_parties: 15,
            before_time: Some(20),
            interpretation: None,
            audio: Some(1),
            waiting_room: None,
        };
        let f = m.form();
        let keys: Vec<&str> = f.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "confId",
                "confName",
                "confPassword",
                "startTime",
                "duration",
                "confParties",
                "beforeTime",
                "audio"
            ]
        );
        let secret = ConfModify2 {
            conf_password: "PWD-secret".into(),
            ..m
        };
        assert!(!format!("{secret:?}").contains("PWD-secret"));
    }
}
