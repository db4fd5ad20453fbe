//! Request bodies and query strings in, bare JSON bodies out (no envelope, note §1.4).
//!
//! Types follow a Jackson-like reading of the document's Java types (note §1.9)
//! [fake-decision]: a Long/Integer field takes a JSON integer or a numeric string; any other
//! type is code 400 "请求地址或参数错误"; unknown fields (the example's `"order": 1`, L140) are
//! ignored. Time fields (Unix seconds, L582-L585) have their own "format" codes (22216, 22219,
//! 22213): a non-integer, a value ≤ 0 or one that looks like milliseconds (≥ 10^11) is a format
//! error; `periodEndTime` also takes -1 (no end).

use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::state::{
    beijing_string, Attributes, CloudroomOptions, Meeting, Permission, Schedule, State,
    MAX_MEETING_SECS,
};

/// The body as a JSON object (anything else: 400).
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(errors::BAD_REQUEST),
    }
}

/// A query string (bad percent-encoding: 400). Repeated names: the first wins.
pub(crate) fn query(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| errors::BAD_REQUEST)
}

pub(crate) fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A Long/Integer: absent or null → None; integer or numeric string → Some; else 400.
pub(crate) fn long(v: Option<&Value>) -> Result<Option<i64>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(errors::BAD_REQUEST),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| errors::BAD_REQUEST),
        Some(_) => Err(errors::BAD_REQUEST),
    }
}

/// A String: absent or null → None; a number is taken as its text (Jackson); else 400.
pub(crate) fn string(v: Option<&Value>) -> Result<Option<String>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(errors::BAD_REQUEST),
    }
}

/// A Long[]: absent or null → None; else every element a Long.
pub(crate) fn longs(v: Option<&Value>) -> Result<Option<Vec<i64>>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| long(Some(i))?.ok_or(errors::BAD_REQUEST))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(errors::BAD_REQUEST),
    }
}

/// A time in Unix seconds: missing → `missing`; not a plausible seconds value → `bad`.
fn time(
    v: Option<&Value>,
    missing: ApiError,
    bad: ApiError,
    allow_minus_one: bool,
) -> Result<i64, ApiError> {
    let n = match v {
        None | Some(Value::Null) => return Err(missing),
        Some(Value::String(s)) if s.trim().is_empty() => return Err(missing),
        Some(Value::Number(n)) => n.as_i64().ok_or(bad)?,
        Some(Value::String(s)) => s.trim().parse::<i64>().map_err(|_| bad)?,
        Some(_) => return Err(bad),
    };
    if allow_minus_one && n == -1 {
        return Ok(n);
    }
    if n <= 0 || n >= 100_000_000_000 {
        return Err(bad);
    }
    Ok(n)
}

/// `subject` (22209 empty or blank [fake-decision: trimmed], 22212 over 50 characters,
/// counted as Unicode scalars).
pub(crate) fn subject(v: Option<&Value>) -> Result<String, ApiError> {
    let s = string(v)?.unwrap_or_default();
    if s.trim().is_empty() {
        return Err(errors::EMPTY_SUBJECT);
    }
    if s.chars().count() > 50 {
        return Err(errors::LONG_SUBJECT);
    }
    Ok(s)
}

/// `password`: 4-6 ASCII digits (22210, L129); "" = none [fake-decision].
pub(crate) fn password(v: Option<&Value>) -> Result<Option<String>, ApiError> {
    let Some(p) = string(v)? else {
        return Ok(None);
    };
    if p.is_empty() {
        return Ok(Some(p));
    }
    if !(4..=6).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(errors::BAD_PASSWORD);
    }
    Ok(Some(p))
}

/// What an `orderConfig` asks for.
pub(crate) enum Order {
    /// Absent, or `{periodType:0}` without times (L140): an instant meeting.
    Instant,
    /// Times absent but a period type given (modify only: keep the times).
    PeriodOnly(i64),
    Scheduled(Schedule),
}

/// Validate an `orderConfig` (L580-L585) at `now`.
pub(crate) fn order_config(
    v: Option<&Value>,
    now: i64,
    options: &CloudroomOptions,
) -> Result<Option<Order>, ApiError> {
    let oc = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(oc)) => oc,
        Some(_) => return Err(errors::BAD_REQUEST),
    };
    let period_type = long(oc.get("periodType"))?.unwrap_or(0);
    let has_start = !matches!(oc.get("scheduleTime"), None | Some(Value::Null));
    if !has_start && !options.strict_order_config && !oc.contains_key("scheduleEndTime") {
        if !(0..=5).contains(&period_type) {
            return Err(errors::BAD_PERIOD_TYPE);
        }
        return Ok(Some(if period_type == 0 {
            Order::Instant
        } else {
            Order::PeriodOnly(period_type)
        }));
    }
    let start = time(
        oc.get("scheduleTime"),
        errors::NO_START,
        errors::BAD_START,
        false,
    )?;
    if start < now {
        return Err(errors::START_PAST);
    }
    let end = time(
        oc.get("scheduleEndTime"),
        errors::NO_END,
        errors::BAD_END,
        false,
    )?;
    if end < start {
        return Err(errors::END_BEFORE_START);
    }
    if end - start > MAX_MEETING_SECS {
        return Err(errors::TOO_LONG);
    }
    if !(0..=5).contains(&period_type) {
        return Err(errors::BAD_PERIOD_TYPE);
    }
    let period_end = if period_type == 0 {
        0
    } else {
        let pe = time(
            oc.get("periodEndTime"),
            errors::NO_PERIOD_END,
            errors::BAD_PERIOD_END,
            true,
        )?;
        if pe != -1 && pe < start {
            return Err(errors::PERIOD_END_BEFORE_START);
        }
        pe
    };
    Ok(Some(Order::Scheduled(Schedule {
        start,
        end,
        period_type,
        period_end,
    })))
}

fn int_in(v: Option<&Value>, ok: &[i64]) -> Result<Option<i64>, ApiError> {
    match long(v)? {
        Some(n) if !ok.contains(&n) => Err(errors::BAD_REQUEST),
        other => Ok(other),
    }
}

/// Apply an `attributes` object (L591-L599) over `a`. Request names are the table's.
pub(crate) fn attributes(v: Option<&Value>, a: &mut Attributes) -> Result<(), ApiError> {
    let at = match v {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(at)) => at,
        Some(_) => return Err(errors::BAD_REQUEST),
    };
    let tri = [-1, 0, 1];
    let bin = [0, 1];
    if let Some(n) = int_in(at.get("autoOpenCamera"), &tri)? {
        a.auto_open_camera = n;
    }
    if let Some(n) = int_in(at.get("autoOpenMicrophone"), &tri)? {
        a.auto_open_microphone = n;
    }
    if let Some(n) = int_in(at.get("canJoinAdv"), &bin)? {
        a.can_join_adv = n;
    }
    if let Some(n) = int_in(at.get("loginIvr"), &bin)? {
        a.login_ivr = n;
    }
    if let Some(n) = int_in(at.get("waterMark"), &bin)? {
        a.water_mark = n;
    }
    if let Some(n) = int_in(at.get("waitHall"), &bin)? {
        a.wait_hall = n;
    }
    if let Some(n) = int_in(at.get("allowJoin"), &[0, 1, 2])? {
        a.allow_join = n;
    }
    if let Some(n) = long(at.get("virtualMembers"))? {
        if !(0..=2000).contains(&n) {
            return Err(errors::BAD_VIRTUAL);
        }
        a.virtual_members = n;
    }
    // Layout: 2000 tiled, 0 mutual view, "other split screens: their number" (L597). Which
    // numbers exist is not stated; 1-64 are taken as split counts [fake-decision].
    if let Some(n) = long(at.get("vwallo"))? {
        if !(n == 2000 || (0..=64).contains(&n)) {
            return Err(errors::BAD_LAYOUT);
        }
        a.vwallo = n;
    }
    Ok(())
}

/// Apply a `permission` object (L605-L618, table names, each 0/1) over `p`.
pub(crate) fn permission(v: Option<&Value>, p: &mut Permission) -> Result<(), ApiError> {
    let pm = match v {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(pm)) => pm,
        Some(_) => return Err(errors::BAD_REQUEST),
    };
    let keys: Vec<String> = p.keys().cloned().collect();
    for k in keys {
        if let Some(n) = int_in(pm.get(&k), &[0, 1])? {
            p.insert(k, n);
        }
    }
    Ok(())
}

fn time_value(t: i64, as_string: bool) -> Value {
    if as_string {
        json!(beijing_string(t))
    } else {
        json!(t)
    }
}

/// `{"confDetail": {...}}` (L205-L287).
pub(crate) fn conf_detail(st: &State, m: &Meeting, now: i64) -> Value {
    let o = &st.options;
    let order = match &m.schedule {
        // An instant meeting: its creation as the start, no end (as the list's
        // `scheduleEndTime: 0`, L483) [fake-decision].
        None => json!({
            "scheduleTime": time_value(m.created_at, o.detail_times_as_strings),
            "scheduleEndTime": if o.detail_times_as_strings { json!("") } else { json!(0) },
            "periodType": 0,
            "periodEndTime": if o.detail_times_as_strings { json!("") } else { json!(0) },
        }),
        Some(s) => json!({
            "scheduleTime": time_value(s.start, o.detail_times_as_strings),
            "scheduleEndTime": time_value(s.end, o.detail_times_as_strings),
            "periodType": s.period_type,
            // "" for none: the example's `""` sits beside `periodType: 0` (L253-L254). A
            // series without end is -1 in either form: that is the document's value for "no
            // end" (L585); an empty string would read as "end unknown" and a client could not
            // send the series back as it is (found by the client test, vendors/tests/
            // cloudroom_client.rs).
            "periodEndTime": match (o.detail_times_as_strings, s.period_type, s.period_end) {
                (_, p, -1) if p != 0 => json!(-1),
                (true, 0, _) => json!(""),
                (true, _, pe) => json!(beijing_string(pe)),
                (false, 0, _) => json!(0),
                (false, _, pe) => json!(pe),
            },
        }),
    };
    let a = &m.attributes;
    let p = |k: &str| m.permission.get(k).copied().unwrap_or(0);
    let (attributes, permission) = if o.detail_example_names {
        // The example's model (L257-L284): `-1` ("local setting") shows as `*UseLocal: 1`,
        // `allowJoin` as `onlyInvitee`/`onlyComp`, the layout as `vwalldo`, pictures and URLs
        // as the inverted `imForbid*`.
        (
            json!({
                "autoOpenCamera": a.auto_open_camera.max(0),
                "autoOpenMicrophone": a.auto_open_microphone.max(0),
                "micUseLocal": i64::from(a.auto_open_microphone == -1),
                "cameraUseLocal": i64::from(a.auto_open_camera == -1),
                "loginIvr": a.login_ivr,
                "onlyInvitee": i64::from(a.allow_join == 2),
                "onlyComp": i64::from(a.allow_join == 1),
                "canJoinAdv": a.can_join_adv,
                "virtualMembers": a.virtual_members,
                "waterMark": a.water_mark,
                "vwalldo": a.vwallo,
            }),
            json!({
                "createWB": 1,
                "saveWB": p("saveWB"),
                "publicIM": p("publicIM"),
                "privateIM": p("privateIM"),
                "recordConf": p("recordConf"),
                "uploadDoc": 1,
                "openMicrophone": p("openMicrophone"),
                "openCamera": p("openCamera"),
                "shareOrUpload": p("allowShare"),
                "srvRecord": 0,
                "pstnCall": p("pstnCall"),
                "allowModifyName": p("allowModifyName"),
                "imForbidPic": 1 - p("allowPicture"),
                "imForbidUrl": 1 - p("allowUrl"),
                "allowShare": p("allowShare"),
            }),
        )
    } else {
        (
            json!({
                "autoOpenCamera": a.auto_open_camera,
                "autoOpenMicrophone": a.auto_open_microphone,
                "canJoinAdv": a.can_join_adv,
                "loginIvr": a.login_ivr,
                "waterMark": a.water_mark,
                "virtualMembers": a.virtual_members,
                "vwallo": a.vwallo,
                "waitHall": a.wait_hall,
                "allowJoin": a.allow_join,
            }),
            json!(m.permission),
        )
    };
    json!({"confDetail": {
        "confId": m.conf_id,
        "subject": m.subject,
        "url": format!("http://www.cloudroom.com/{}", m.host_code),
        "publicUrl": format!("http://www.cloudroom.com/{}", m.public_code),
        "password": m.password,
        "hostId": m.host_id,
        "hostName": st.user_name(m.host_id),
        // InviteeInfo (L620-L626): `inviteId`, not `inviteeId`.
        "inviteeInfos": m.invitee_ids.iter().map(|id| json!({
            "inviteId": id, "inviteeName": st.user_name(*id), "inviteeType": 0,
        })).collect::<Vec<_>>(),
        // `AssistantInfos` is never defined (L221) [fake-decision: id and name].
        "assistantInfos": m.assistant_ids.iter().map(|id| json!({
            "assistantId": id, "assistantName": st.user_name(*id),
        })).collect::<Vec<_>>(),
        "status": m.status(now).code(),
        "pstnNum": m.pstn_num,
        "pstnPwd": m.pstn_pwd,
        "emailNotice": m.email_notice,
        "smsNotice": m.sms_notice,
        "orderConfig": order,
        "attributes": attributes,
        "permission": permission,
    }})
}

/// The scheduled window shown in list records: the occurrence in progress or next
/// [fake-decision]; an instant meeting shows its creation and 0 (as L481-L483).
fn shown_window(m: &Meeting, now: i64) -> (i64, i64) {
    match &m.schedule {
        None => (m.created_at, 0),
        Some(s) => s.current_or_next(now).unwrap_or((s.start, s.end)),
    }
}

/// One record of `/conference/list` (L455-L492: the table's fields plus the example's
/// `startTime`, `endTime`, `confCode`).
pub(crate) fn list_record(st: &State, m: &Meeting, now: i64) -> Value {
    let (s, e) = shown_window(m, now);
    let status = m.status(now);
    json!({
        "confId": m.conf_id,
        "subject": m.subject,
        "confType": i64::from(m.schedule.is_some()),
        "scheduleTime": s,
        "scheduleEndTime": e,
        "startTime": m.started_at.filter(|_| status.code() == 1).unwrap_or(s),
        "endTime": 0,
        "hostName": st.user_name(m.host_id),
        "members": if status.code() == 1 { m.members() } else { 0 },
        "confCode": m.public_code,
        "periodType": m.schedule.map(|s| s.period_type).unwrap_or(0),
        "status": status.code(),
        "password": m.password,
        "ownerId": m.owner_id,
    })
}

/// One record of `/conference/history/list` (L536-L545, with the example's extra fields).
pub(crate) fn history_record(st: &State, m: &Meeting, now: i64) -> Value {
    let (s, e) = match &m.schedule {
        None => (m.created_at, 0),
        Some(s) => (s.start, s.end),
    };
    json!({
        "confId": m.conf_id,
        "subject": m.subject,
        "confType": i64::from(m.schedule.is_some()),
        "scheduleTime": s,
        "scheduleEndTime": e,
        "startTime": m.started_at.unwrap_or(s),
        "endTime": m.end_time(now),
        "hostName": st.user_name(m.host_id),
        "members": m.members(),
        "confCode": m.public_code,
        "periodType": m.schedule.map(|s| s.period_type).unwrap_or(0),
    })
}

/// `current`/`size` (L436-L437): default 1 and 20; "超出范围使用默认值": `size` outside 1-100
/// is 20 (not clamped to 100), `current` below 1 or past the last page is 1
/// [fake-decision: past the last page is "out of range" too, as MyBatis-Plus's overflow
/// setting does]. Non-numbers are 400.
pub(crate) fn page<T: Clone>(
    q: &[(String, String)],
    items: &[T],
    with_remaining: bool,
    render: impl Fn(&T) -> Value,
) -> Result<Value, ApiError> {
    let num = |name: &str| -> Result<Option<i64>, ApiError> {
        match param(q, name).map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| errors::BAD_REQUEST),
        }
    };
    let size = num("size")?.filter(|s| (1..=100).contains(s)).unwrap_or(20);
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let pages = (total + size - 1) / size;
    let mut current = num("current")?.filter(|c| *c >= 1).unwrap_or(1);
    if current > pages {
        current = 1;
    }
    let from = usize::try_from((current - 1) * size).unwrap_or(usize::MAX);
    let records: Vec<Value> = items
        .iter()
        .skip(from)
        .take(usize::try_from(size).unwrap_or(20))
        .map(render)
        .collect();
    let mut out = json!({"total": total, "records": records});
    if with_remaining {
        out["remaining"] = json!(i64::from(current * size < total));
    }
    Ok(out)
}

/// `startTime`/`endTime` of the lists (L434-L435): seconds; the span at most a year (22236).
pub(crate) fn time_filter(q: &[(String, String)]) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let num = |name: &str| -> Result<Option<i64>, ApiError> {
        match param(q, name).map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| errors::BAD_REQUEST),
        }
    };
    let (a, b) = (num("startTime")?, num("endTime")?);
    if let (Some(a), Some(b)) = (a, b) {
        if b - a > 365 * 86_400 {
            return Err(errors::SPAN_TOO_LONG);
        }
    }
    Ok((a, b))
}
