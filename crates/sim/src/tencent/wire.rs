//! JSON in and out: lenient request parsing (the official examples send numbers as JSON
//! strings, `"instanceid":"1"`, `"type":"0"`, and still succeed: note §3.2, FLAG "the server is
//! lenient") and the response shapes of note §3.1-§3.5.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::state::{Guest, Meeting, Member};

/// Hosts and invitees in create/modify: at most 300 (more: the invitees API), note §3.1.
pub(crate) const MAX_INVITEES: usize = 300;
/// Guests: up to 2000 ([doc 42417]).
pub(crate) const MAX_GUESTS: usize = 2000;
/// `participants` on query: at most 200 (note §3.5).
pub(crate) const MAX_PARTICIPANTS_SHOWN: usize = 200;

fn bad(msg: impl Into<String>) -> ApiError {
    errors::BAD_PARAM.with_msg(msg)
}

/// A field, with JSON null treated as absent.
pub(crate) fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// An integral number, or a string holding one.
pub(crate) fn loose_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// true/false, the strings "true"/"false", or 0/1 (lenient like the numbers).
pub(crate) fn loose_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" || s == "1" => Some(true),
        Value::String(s) if s == "false" || s == "0" => Some(false),
        Value::Number(n) if n.as_i64() == Some(1) => Some(true),
        Value::Number(n) if n.as_i64() == Some(0) => Some(false),
        _ => None,
    }
}

pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        _ => Err(bad("the body must be a JSON object")),
    }
}

pub(crate) fn query_map(raw: Option<&str>) -> Result<BTreeMap<String, String>, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| bad("malformed query"))?;
    Ok(pairs.into_iter().collect())
}

pub(crate) fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("{key} must be a string"))),
    }
}

pub(crate) fn req_string(obj: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    opt_string(obj, key)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad(format!("{key} is required")))
}

pub(crate) fn opt_int(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => loose_int(v)
            .map(Some)
            .ok_or_else(|| bad(format!("{key} must be an integer"))),
    }
}

pub(crate) fn req_int(obj: &Map<String, Value>, key: &str) -> Result<i64, ApiError> {
    opt_int(obj, key)?.ok_or_else(|| bad(format!("{key} is required")))
}

pub(crate) fn opt_bool(obj: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => loose_bool(v)
            .map(Some)
            .ok_or_else(|| bad(format!("{key} must be a boolean"))),
    }
}

/// `instanceid`: the caller's device type (note §3 conventions; 12 and 81-86 from [doc 42417]).
pub(crate) fn valid_instanceid(n: i64) -> bool {
    matches!(n, 0..=10 | 12 | 20..=22 | 30 | 32 | 33 | 81..=86)
}

pub(crate) fn instanceid(obj: &Map<String, Value>) -> Result<i64, ApiError> {
    let n = req_int(obj, "instanceid")?;
    if valid_instanceid(n) {
        Ok(n)
    } else {
        Err(bad("instanceid is not a known device type"))
    }
}

/// Unix seconds: a string (create/modify/query, note §3) or, leniently, an integer.
pub(crate) fn opt_time(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => match loose_int(v) {
            Some(t) if t >= 0 => Ok(Some(t)),
            _ => Err(bad(format!("{key} must be Unix seconds"))),
        },
    }
}

/// Subject: required, at most 512 "bytes" where "1 letter = 2 bytes, 1 CJK = 2-4" ([doc
/// 42417], FLAG odd unit). Tolerant reading: accepted when either that count (2 per
/// character) or the UTF-8 length is within 512.
pub(crate) fn check_subject(s: &str) -> Result<(), ApiError> {
    let doc_units = s.chars().count() * 2;
    if s.trim().is_empty() {
        return Err(bad("subject is required"));
    }
    if doc_units > 512 && s.len() > 512 {
        return Err(bad("subject is too long"));
    }
    Ok(())
}

/// Location: at most 18 CJK characters or 36 Latin letters (note §3.1): CJK weighs 2.
pub(crate) fn check_location(s: &str) -> Result<(), ApiError> {
    let units: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    if units > 36 {
        return Err(bad("location is too long"));
    }
    Ok(())
}

/// Password: 4-6 digits; `""` = none (modify: "removes the password").
pub(crate) fn opt_password(obj: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let Some(p) = opt_string(obj, "password")? else {
        return Ok(None);
    };
    let four_to_six_digits = (4..=6).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !p.is_empty() && !four_to_six_digits {
        return Err(bad("password must be 4-6 digits"));
    }
    Ok(Some(p))
}

/// `[{userid, is_anonymous?, nick_name?}]`; None when omitted, Some([]) for `[]`.
pub(crate) fn opt_members(
    obj: &Map<String, Value>,
    key: &str,
    max: usize,
) -> Result<Option<Vec<Member>>, ApiError> {
    let Some(v) = field(obj, key) else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(bad(format!("{key} must be an array")));
    };
    if items.len() > max {
        return Err(bad(format!("{key}: at most {max}")));
    }
    let mut out: Vec<Member> = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(m) = item else {
            return Err(bad(format!("{key}: each entry must be an object")));
        };
        let member = Member {
            userid: req_string(m, "userid")?,
            is_anonymous: opt_bool(m, "is_anonymous")?,
            nick_name: opt_string(m, "nick_name")?,
        };
        if !out.iter().any(|o| o.userid == member.userid) {
            out.push(member);
        }
    }
    Ok(Some(out))
}

/// `[{area, phone_number, guest_name?}]`; area is the country code without `+` or `00`
/// ("86", note §3.7).
pub(crate) fn opt_guests(obj: &Map<String, Value>) -> Result<Option<Vec<Guest>>, ApiError> {
    let Some(v) = field(obj, "guests") else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(bad("guests must be an array"));
    };
    if items.len() > MAX_GUESTS {
        return Err(bad(format!("guests: at most {MAX_GUESTS}")));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(g) = item else {
            return Err(bad("guests: each entry must be an object"));
        };
        let area = req_string(g, "area")?;
        let area_ok = (1..=4).contains(&area.len())
            && area.bytes().all(|b| b.is_ascii_digit())
            && !area.starts_with('0');
        if !area_ok {
            return Err(bad(
                "guests: area is the country code without + or 00, e.g. 86",
            ));
        }
        let phone_number = req_string(g, "phone_number")?;
        if phone_number.len() > 20 || !phone_number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("guests: phone_number must be digits"));
        }
        out.push(Guest {
            area,
            phone_number,
            guest_name: opt_string(g, "guest_name")?,
        });
    }
    Ok(Some(out))
}

/// The enterprise defaults of `settings` (note §3.1).
pub(crate) fn default_settings() -> Map<String, Value> {
    let v = json!({
        "mute_enable_join": true,
        "mute_enable_type_join": 2,
        "allow_unmute_self": true,
        "allow_in_before_host": true,
        "auto_in_waiting_room": false,
        "allow_screen_shared_watermark": false,
        "water_mark_type": 0,
        "only_enterprise_user_allowed": false,
        "only_user_join_type": 1,
        "auto_record_type": "none",
        "participant_join_auto_record": false,
        "enable_host_pause_auto_record": false,
        "allow_multi_device": false,
        "change_nickname": 1,
        "only_invitees_allowed": false,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Merge the request's `settings` over `base`. Known fields are type-checked (leniently);
/// unknown ones (legacy `mute_all`, `host_video`, ... note §3.1 FLAG) are ignored.
pub(crate) fn merge_settings(
    obj: &Map<String, Value>,
    mut base: Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    let Some(v) = field(obj, "settings") else {
        return Ok(base);
    };
    let Value::Object(s) = v else {
        return Err(bad("settings must be an object"));
    };
    const BOOLS: &[&str] = &[
        "mute_enable_join",
        "allow_unmute_self",
        "allow_in_before_host",
        "auto_in_waiting_room",
        "allow_screen_shared_watermark",
        "only_enterprise_user_allowed",
        "participant_join_auto_record",
        "enable_host_pause_auto_record",
        "allow_multi_device",
        "play_ivr_on_join",
        "play_ivr_on_leave",
        "only_invitees_allowed",
    ];
    const INTS: &[(&str, i64, i64)] = &[
        ("mute_enable_type_join", 0, 2),
        ("water_mark_type", 0, 1),
        ("only_user_join_type", 1, 3),
        ("change_nickname", 1, 2),
    ];
    for key in BOOLS {
        if let Some(b) = opt_bool(s, key)? {
            base.insert((*key).to_owned(), json!(b));
        }
    }
    for (key, lo, hi) in INTS {
        if let Some(n) = opt_int(s, key)? {
            if n < *lo || n > *hi {
                return Err(bad(format!("settings.{key} must be {lo}-{hi}")));
            }
            base.insert((*key).to_owned(), json!(n));
        }
    }
    if let Some(t) = opt_string(s, "auto_record_type")? {
        if !matches!(t.as_str(), "none" | "local" | "cloud") {
            return Err(bad(
                "settings.auto_record_type must be none, local or cloud",
            ));
        }
        base.insert("auto_record_type".to_owned(), json!(t));
    }
    // only_user_join_type "wins over" only_enterprise_user_allowed (note §3.1): when only the
    // latter is set to true, it means "enterprise only".
    let join_type_given = s.contains_key("only_user_join_type");
    if !join_type_given && opt_bool(s, "only_enterprise_user_allowed")? == Some(true) {
        base.insert("only_user_join_type".to_owned(), json!(3));
    }
    Ok(base)
}

/// Other create/modify fields kept and echoed on query.
pub(crate) const EXTRA_BOOLS: &[&str] = &[
    "enable_live",
    "enable_doc_upload_permission",
    "enable_enroll",
    "enable_host_key",
    "enable_interpreter",
    "sync_to_wework",
    "allow_enterprise_intranet_only",
];

fn members_json(ms: &[Member]) -> Vec<Value> {
    ms.iter()
        .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
        .collect()
}

fn hosts_of(m: &Meeting) -> Vec<Value> {
    if m.hosts.is_empty() {
        // "default is the caller" (note §3.1).
        vec![json!({"userid": m.creator})]
    } else {
        members_json(&m.hosts)
    }
}

fn password_of(m: &Meeting) -> Option<&str> {
    m.password.as_deref().filter(|p| !p.is_empty())
}

fn common(m: &Meeting) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("subject".into(), json!(m.subject));
    o.insert("meeting_id".into(), json!(m.meeting_id));
    o.insert("meeting_code".into(), json!(m.meeting_code));
    o.insert("type".into(), json!(m.kind));
    o.insert("join_url".into(), json!(m.join_url()));
    o.insert("hosts".into(), json!(hosts_of(m)));
    let shown = m.invitees.len().min(MAX_PARTICIPANTS_SHOWN);
    o.insert(
        "participants".into(),
        json!(members_json(&m.invitees[..shown])),
    );
    o.insert("current_co_hosts".into(), json!([]));
    o.insert("start_time".into(), json!(m.start.to_string()));
    o.insert("end_time".into(), json!(m.end.to_string()));
    if let Some(p) = password_of(m) {
        o.insert("password".into(), json!(p));
    }
    o.insert("settings".into(), Value::Object(m.settings.clone()));
    o.insert(
        "meeting_type".into(),
        json!(if m.recurrence.is_some() { 1 } else { 0 }),
    );
    o.insert(
        "enable_live".into(),
        json!(m
            .extra
            .get("enable_live")
            .and_then(Value::as_bool)
            .unwrap_or(false)),
    );
    if let Some(l) = &m.location {
        o.insert("location".into(), json!(l));
    }
    if let Some(k) = &m.host_key {
        o.insert("host_key".into(), json!(k));
    }
    o
}

/// One `meeting_info_list` entry of the create response.
pub(crate) fn created(m: &Meeting, non_registered: &[String]) -> Value {
    let mut o = common(m);
    if !non_registered.is_empty() {
        o.insert("user_non_registered".into(), json!(non_registered));
    }
    Value::Object(o)
}

/// Which sub-meetings a query shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subs {
    All,
    /// The user meeting list without `is_show_all_sub_meetings=1` (note §3.2).
    CurrentOnly,
}

/// One `meeting_info_list` entry of the query responses.
pub(crate) fn queried(m: &Meeting, now: i64, subs: Subs) -> Value {
    let mut o = common(m);
    if let Some(r) = &m.recurrence {
        let current = m.current_sub_meeting(now);
        let shown: Vec<Value> = r
            .occurrences
            .iter()
            .filter(|occ| {
                subs == Subs::All
                    || Some(occ.sub_meeting_id.as_str())
                        == current.map(|c| c.sub_meeting_id.as_str())
            })
            .map(|occ| {
                json!({
                    "sub_meeting_id": occ.sub_meeting_id,
                    "status": if occ.deleted { 1 } else { 0 },
                    "start_time": occ.start,
                    "end_time": occ.end,
                })
            })
            .collect();
        let remain = r
            .occurrences
            .iter()
            .filter(|occ| !occ.deleted && occ.end > now)
            .count();
        o.insert("recurring_rule".into(), r.rule.wire());
        o.insert(
            "has_more_sub_meeting".into(),
            json!(if shown.len() < r.occurrences.len() {
                1
            } else {
                0
            }),
        );
        o.insert("sub_meetings".into(), json!(shown));
        o.insert("remain_sub_meetings".into(), json!(remain));
        if let Some(c) = current {
            o.insert("current_sub_meeting_id".into(), json!(c.sub_meeting_id));
        }
    }
    o.insert("status".into(), json!(m.status(now).wire()));
    o.insert("need_password".into(), json!(password_of(m).is_some()));
    o.insert("current_hosts".into(), json!(hosts_of(m)));
    o.insert(
        "guests".into(),
        serde_json::to_value(&m.guests).unwrap_or(Value::Null),
    );
    if let Some(tz) = &m.time_zone {
        o.insert("time_zone".into(), json!(tz));
    }
    for key in EXTRA_BOOLS {
        if let Some(v) = m.extra.get(*key) {
            o.insert((*key).to_owned(), v.clone());
        }
    }
    o.entry("enable_doc_upload_permission")
        .or_insert(json!(true));
    o.entry("sync_to_wework").or_insert(json!(true));
    o.insert("has_vote".into(), json!(false));
    Value::Object(o)
}

/// One `meeting_info_list` entry of the modify response (note §3.3).
pub(crate) fn modified(m: &Meeting) -> Value {
    let mut o = Map::new();
    o.insert("meeting_id".into(), json!(m.meeting_id));
    o.insert("meeting_code".into(), json!(m.meeting_code));
    o.insert(
        "settings".into(),
        json!({
            "change_nickname": m.settings.get("change_nickname").cloned().unwrap_or(json!(1)),
            "only_invitees_allowed": m.settings.get("only_invitees_allowed").cloned().unwrap_or(json!(false)),
        }),
    );
    o.insert(
        "enable_live".into(),
        json!(m
            .extra
            .get("enable_live")
            .and_then(Value::as_bool)
            .unwrap_or(false)),
    );
    if let Some(k) = &m.host_key {
        o.insert("host_key".into(), json!(k));
    }
    Value::Object(o)
}
