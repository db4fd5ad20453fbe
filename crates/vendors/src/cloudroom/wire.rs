//! Request and answer bodies exactly as the CloudRoom document spells them (camelCase, note
//! §1.4, §3, §4). Answers are read tolerantly (lenient.rs): ids and times may come as numbers
//! or strings, and the query example writes times as `"2021-04-14 15:07:31"` and an empty
//! `periodEndTime` as `""` although the tables declare Unix seconds (L250-255 vs L582-585).

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;
use secrecy::SecretString;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient::{null_as_empty, opt_i64, opt_secret, opt_string};

/// `POST /v2/conference` (L123-135). Only what Huiyi sets is sent; omitted fields keep the
/// vendor's defaults.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CreateRequest {
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_id: Option<i64>,
    /// Spelled `inviteIds` on create (L127) but `inviteeIds` on modify (L168).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_ids: Option<Vec<i64>>,
    /// Co-host (联席主持人) user ids, at most 4 (L128, 22234).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assistant_infos: Option<Vec<i64>>,
    /// 4-6 digits (L129).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// 0/1 (L130-131).
    pub email_notice: i32,
    pub sms_notice: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_config: Option<OrderConfig>,
}

/// `PUT /v2/conference/{confId}` (L164-173). No `emailNotice` / `smsNotice` here: the modify
/// table does not list them.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ModifyRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_id: Option<i64>,
    /// `inviteeIds` (L168), unlike create's `inviteIds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitee_ids: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assistant_infos: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_config: Option<OrderConfig>,
}

/// OrderConfig as sent (L580-585): Unix seconds.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrderConfig {
    pub schedule_time: i64,
    pub schedule_end_time: i64,
    /// 0 none, 1 daily, 2 workdays, 3 weekly, 4 fortnightly, 5 monthly (L584).
    pub period_type: i64,
    /// Required when `periodType` is not 0; `-1` = no end (L585).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_end_time: Option<i64>,
}

/// `{ "confId": 12345678 }` (L147-152).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAnswer {
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_id: Option<i64>,
}

/// `{ "confDetail": {…} }` (L205-207).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailAnswer {
    #[serde(default)]
    pub conf_detail: Option<ConfDetail>,
}

/// 会议详情 (L211-229).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfDetail {
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    /// 主持人入会链接 (L215): the host's link, a secret.
    #[serde(default, deserialize_with = "opt_secret")]
    pub url: Option<SecretString>,
    /// 公共入会链接 (L216).
    #[serde(default, deserialize_with = "opt_string")]
    pub public_url: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub host_id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub host_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub invitee_infos: Vec<InviteeInfo>,
    /// `AssistantInfos[]`, a type the document never defines (L221, note §4.4): kept raw.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assistant_infos: Vec<Value>,
    /// 0 not started, 1 in progress, 2 ended (L222).
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub pstn_num: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub pstn_pwd: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub email_notice: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub sms_notice: Option<i64>,
    #[serde(default, deserialize_with = "opt_order_config")]
    pub order_config: Option<OrderConfigRead>,
}

/// OrderConfig as read: times in any of the forms the document shows.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrderConfigRead {
    #[serde(default, deserialize_with = "opt_time")]
    pub schedule_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_time")]
    pub schedule_end_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub period_type: Option<i64>,
    /// `-1` (no end) is kept as -1; `""` gives none.
    #[serde(default, deserialize_with = "opt_time")]
    pub period_end_time: Option<i64>,
}

/// InviteeInfo (L620-626): the id field is `inviteId` (L624); `inviteeId` is accepted too.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteeInfo {
    #[serde(default, alias = "inviteeId", deserialize_with = "opt_i64")]
    pub invite_id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub invitee_name: Option<String>,
    /// 0 user, 1 terminal, 2 SIP (L626).
    #[serde(default, deserialize_with = "opt_i64")]
    pub invitee_type: Option<i64>,
}

/// `{ "crmt": "CRMT:…" }` (L311-319). Straight into a secret: it carries an account and a
/// password hash (note §5.4).
#[derive(Default, Deserialize)]
pub struct JoinAnswer {
    #[serde(default, deserialize_with = "opt_secret")]
    pub crmt: Option<SecretString>,
}

/// The paged lists (L447-451): `remaining` is absent from the examples (note §1.8).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Page {
    #[serde(default, deserialize_with = "opt_i64")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub remaining: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub records: Vec<ListRecord>,
}

/// A record of the meeting list (L455-470) or of the history list (L536-545), with the
/// example's extra `startTime`, `endTime` and `confCode` (L474-492).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRecord {
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    /// 0 instant, 1 scheduled.
    #[serde(default, deserialize_with = "opt_i64")]
    pub conf_type: Option<i64>,
    #[serde(default, deserialize_with = "opt_time")]
    pub schedule_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_time")]
    pub schedule_end_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_time")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_time")]
    pub end_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub host_name: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub members: Option<i64>,
    /// 0-7 here: 6 quarterly and 7 yearly appear only in the list (L464).
    #[serde(default, deserialize_with = "opt_i64")]
    pub period_type: Option<i64>,
    /// 0 not started, 1 in progress (L468).
    #[serde(default, deserialize_with = "opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub owner_id: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub conf_code: Option<String>,
}

/// `{code, msg}` (L1092, L1107, L1117).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default, deserialize_with = "opt_i64")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub msg: Option<String>,
}

/// A time as CloudRoom writes it, as Unix seconds: an integer, a numeric string, or
/// `yyyy-MM-dd HH:mm:ss` (the query example, L251-252) read in UTC+8 (ASSUMPTION, note §1.7:
/// the document names no zone; its examples are round local times in China). `""`, `null`
/// and anything unreadable give none; `0` stays 0 and `-1` stays -1 for the mapping to judge.
/// A number above 10^11 is read as milliseconds (ASSUMPTION: the document says seconds, a
/// millisecond value would otherwise land in the year 5000).
pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().map(seconds),
        Some(Value::String(s)) => parse_time(s.trim()),
        _ => None,
    })
}

fn seconds(v: i64) -> i64 {
    if v > 100_000_000_000 {
        v / 1000
    } else {
        v
    }
}

/// See [`opt_time`].
pub fn parse_time(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    if let Ok(v) = s.parse::<i64>() {
        return Some(seconds(v));
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    Shanghai
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.timestamp())
}

/// An OrderConfig object; anything else (a string, a number) gives none rather than failing
/// the whole answer.
fn opt_order_config<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OrderConfigRead>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(v @ Value::Object(_)) => serde_json::from_value(v).ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_and_modify_spell_the_invitees_differently() {
        let c = CreateRequest {
            subject: "周会".into(),
            host_id: Some(1000141441),
            invite_ids: Some(vec![1, 2]),
            assistant_infos: None,
            password: Some("0123".into()),
            email_notice: 1,
            sms_notice: 0,
            order_config: Some(OrderConfig {
                schedule_time: 1622980800,
                schedule_end_time: 1622988000,
                period_type: 0,
                period_end_time: None,
            }),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            json!({"subject":"周会","hostId":1000141441,"inviteIds":[1,2],"password":"0123",
                   "emailNotice":1,"smsNotice":0,
                   "orderConfig":{"scheduleTime":1622980800,"scheduleEndTime":1622988000,"periodType":0}})
        );
        let m = ModifyRequest {
            subject: None,
            host_id: None,
            invitee_ids: Some(vec![3]),
            assistant_infos: Some(vec![]),
            password: None,
            order_config: None,
        };
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            json!({"inviteeIds":[3],"assistantInfos":[]})
        );
    }

    #[test]
    fn times_are_read_as_numbers_strings_local_text_or_nothing() {
        let o: OrderConfigRead = serde_json::from_value(json!({
            "scheduleTime": "2021-04-14 15:07:31", "scheduleEndTime": "1618391251",
            "periodType": "3", "periodEndTime": ""
        }))
        .unwrap();
        // 2021-04-14 15:07:31 +08:00 = 07:07:31Z.
        assert_eq!(o.schedule_time, Some(1618384051));
        assert_eq!(o.schedule_end_time, Some(1618391251));
        assert_eq!(o.period_type, Some(3));
        assert_eq!(o.period_end_time, None);
        let o: OrderConfigRead = serde_json::from_value(json!({
            "scheduleTime": 1622980800000_i64, "scheduleEndTime": 0, "periodEndTime": -1
        }))
        .unwrap();
        assert_eq!(o.schedule_time, Some(1622980800));
        assert_eq!(o.schedule_end_time, Some(0));
        assert_eq!(o.period_end_time, Some(-1));
        let d: ConfDetail =
            serde_json::from_value(json!({"confId": "12345678", "orderConfig": "odd"})).unwrap();
        assert_eq!(d.conf_id, Some(12345678));
        assert!(d.order_config.is_none());
    }
}
