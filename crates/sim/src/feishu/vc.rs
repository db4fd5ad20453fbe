//! The VC v1 endpoints: reserves (note §4), meetings (note §5), rooms and room levels (note §7).
//!
//! The fake's tenant has one id per user, its `open_id`; `user_id_type` is checked for a known
//! value and otherwise changes nothing (assumption: the sandbox hands out open_ids only).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use super::auth::{Api, Caller};
use super::errors::{self, ok, ApiError, ApiResult};
use super::state::{
    digits, random_alnum, Meeting, Participant, Reserve, Room, RoomLevel, State as SimState,
    NINETY_DAYS, RESERVE_MAX_SECS,
};
use super::FeishuSim;

type Q = Query<HashMap<String, String>>;

const fn api(
    name: &'static str,
    tenant: bool,
    user: bool,
    scopes: &'static [&'static str],
    per_min: u32,
    per_sec: Option<u32>,
) -> Api {
    Api {
        name,
        tenant,
        user,
        scopes,
        per_min,
        per_sec,
    }
}

const RESERVE_W: &[&str] = &["vc:reserve"];
const RESERVE_R: &[&str] = &["vc:reserve:readonly", "vc:reserve"];
const MEETING_R: &[&str] = &["vc:meeting:readonly", "vc:meeting"];
const MEETING_W: &[&str] = &["vc:meeting"];
const ROOM_R: &[&str] = &["vc:room:readonly", "vc:room"];

// Token types: note §2 table with the §12.1 choice (reserves: T and U) and the seed's T+U for
// room reads (§12.2, S:L1356-L1442); rooms/search U only (S:L1607). Rates: note §4 (1000/min
// and 50/s), §5.2 (list_by_no 100/min), §7 (room reads 1000/min and 50/s).
const APPLY: Api = api("reserves.apply", true, true, RESERVE_W, 1000, Some(50));
const UPDATE: Api = api("reserves.update", true, true, RESERVE_W, 1000, Some(50));
const DELETE: Api = api("reserves.delete", true, true, RESERVE_W, 1000, Some(50));
const GET: Api = api("reserves.get", true, true, RESERVE_R, 1000, Some(50));
const ACTIVE: Api = api(
    "reserves.get_active_meeting",
    true,
    true,
    RESERVE_R,
    1000,
    Some(50),
);
const MEETING_GET: Api = api("meetings.get", true, true, MEETING_R, 1000, Some(50));
const LIST_BY_NO: Api = api(
    "meetings.list_by_no",
    true,
    true,
    &["vc:meeting:readonly", "vc:meeting.meetingid:read"],
    100,
    None,
);
const INVITE: Api = api("meetings.invite", false, true, MEETING_W, 1000, Some(50));
const KICKOUT: Api = api("meetings.kickout", true, false, MEETING_W, 1000, Some(50));
const SET_HOST: Api = api("meetings.set_host", true, true, MEETING_W, 1000, Some(50));
const END: Api = api("meetings.end", false, true, MEETING_W, 1000, Some(50));
const ROOM_LIST: Api = api("rooms.list", true, true, ROOM_R, 1000, Some(50));
const ROOM_GET: Api = api("rooms.get", true, true, ROOM_R, 1000, Some(50));
const ROOM_MGET: Api = api("rooms.mget", true, true, ROOM_R, 1000, Some(50));
const ROOM_SEARCH: Api = api("rooms.search", false, true, ROOM_R, 1000, Some(50));
const LEVEL_LIST: Api = api("room_levels.list", true, true, ROOM_R, 1000, Some(50));
const LEVEL_GET: Api = api("room_levels.get", true, true, ROOM_R, 1000, Some(50));
const LEVEL_MGET: Api = api("room_levels.mget", true, true, ROOM_R, 1000, Some(50));
const LEVEL_SEARCH: Api = api("room_levels.search", true, true, ROOM_R, 1000, Some(50));

// --- helpers -------------------------------------------------------------------------------------

fn body_object(body: &Bytes, required: bool) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return if required {
            Err(errors::PARAM.field("body", "request body is required"))
        } else {
            Ok(Map::new())
        };
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(errors::PARAM.field("body", "request body is not a JSON object")),
    }
}

fn check_user_id_type(q: &HashMap<String, String>) -> Result<(), ApiError> {
    match q.get("user_id_type").map(String::as_str) {
        None | Some("open_id" | "union_id" | "user_id") => Ok(()),
        Some(_) => Err(errors::PARAM.field("user_id_type", "must be open_id, union_id or user_id")),
    }
}

fn bool_query(q: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match q.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(errors::PARAM.field(name, "must be true or false")),
    }
}

/// A unix-seconds value sent as a string (the docs) or a number (the Python SDK, note
/// "Observed in the official Python SDK").
fn unix_seconds(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// `end_time` of apply/update: required, in the future, at most 30 days ahead (note §4.2).
fn check_end_time(v: Option<&Value>, now: i64) -> Result<i64, ApiError> {
    let Some(t) = v.and_then(unix_seconds) else {
        return Err(errors::PARAM.field("end_time", "end_time is required (unix seconds)"));
    };
    if t <= now {
        return Err(errors::PARAM.field("end_time", "end_time is in the past"));
    }
    if t > now + RESERVE_MAX_SECS {
        return Err(errors::PARAM.field("end_time", "end_time is more than 30 days ahead"));
    }
    Ok(t)
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

/// Offset paging with an opaque token.
fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, bool, String), ApiError> {
    let start = match token.filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t
            .strip_prefix("pt_")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| errors::PARAM.field("page_token", "invalid page_token"))?,
    };
    let end = (start + size).min(items.len());
    let has_more = end < items.len();
    let next = if has_more {
        format!("pt_{end}")
    } else {
        String::new()
    };
    Ok((items[start..end].to_vec(), has_more, next))
}

fn page_size(raw: Option<&String>, default: usize, max: usize) -> Result<usize, ApiError> {
    match raw {
        None => Ok(default),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| errors::PARAM.field("page_size", "page_size out of range")),
    }
}

// --- meeting settings (note §4.1) ---------------------------------------------------------------

struct Checked {
    settings: Map<String, Value>,
    invalid_hosts: Vec<String>,
}

/// Validate a full `meeting_settings` (apply, or update after merging). Invalid host ids are
/// dropped from `assign_host_list` and reported (note §12.10: the list for unknown ids, 123004
/// for malformed entries).
fn check_settings(st: &SimState, settings: Map<String, Value>) -> Result<Checked, ApiError> {
    let mut settings = settings;
    let p = |f: &str| errors::PARAM.field(&format!("meeting_settings.{f}"), "invalid value");
    if let Some(t) = settings.get("topic") {
        if !t.is_string() {
            return Err(p("topic"));
        }
    }
    let initial_type = match settings.get("meeting_initial_type") {
        None | Some(Value::Null) => 1,
        Some(v) => match int(v) {
            Some(t @ (1 | 2)) => t,
            _ => return Err(p("meeting_initial_type")),
        },
    };
    if let Some(perms) = settings.get("action_permissions") {
        let ok = perms.as_array().is_some_and(|a| {
            a.iter().all(|perm| {
                perm.get("permission")
                    .and_then(int)
                    .is_some_and(|n| (1..=3).contains(&n))
                    && perm
                        .get("permission_checkers")
                        .and_then(Value::as_array)
                        .is_some_and(|cs| {
                            cs.iter().all(|c| {
                                c.get("check_field")
                                    .and_then(int)
                                    .is_some_and(|n| (1..=3).contains(&n))
                                    && c.get("check_mode")
                                        .and_then(int)
                                        .is_some_and(|n| (1..=2).contains(&n))
                                    && c.get("check_list")
                                        .and_then(Value::as_array)
                                        .is_some_and(|l| l.iter().all(Value::is_string))
                            })
                        })
            })
        });
        if !ok {
            return Err(p("action_permissions"));
        }
    }
    for flag in ["auto_record", "meeting_connect"] {
        if settings
            .get(flag)
            .is_some_and(|v| !v.is_boolean() && !v.is_null())
        {
            return Err(p(flag));
        }
    }
    let auto_record = settings.get("auto_record").and_then(Value::as_bool) == Some(true);
    if initial_type == 2 {
        // 1v1 calls: PSTN callees only, mainland numbers "+86-…" (note §4.1).
        if auto_record {
            return Err(errors::RECORD_PARAM);
        }
        let callee = settings.get("call_setting").and_then(|c| c.get("callee"));
        let pstn = callee.is_some_and(|c| {
            c.get("user_type").and_then(int) == Some(6)
                && c.get("pstn_sip_info")
                    .and_then(|i| i.get("main_address"))
                    .and_then(Value::as_str)
                    .and_then(|a| a.strip_prefix("+86-"))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if !pstn {
            // Assumption (note §13: 121002 or 121003).
            return Err(p("call_setting"));
        }
    }
    if let Some(pw) = settings.get("password") {
        let okpw = pw.as_str().is_some_and(|s| {
            s.is_empty() || ((4..=9).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        });
        if !okpw && !pw.is_null() {
            return Err(errors::BAD_PASSWORD);
        }
    }
    let mut invalid_hosts = Vec::new();
    if let Some(hosts) = settings.get("assign_host_list") {
        let Some(list) = hosts.as_array() else {
            return Err(errors::HOST_ERROR);
        };
        if list.len() > 10 {
            return Err(errors::HOSTS_OVER_10);
        }
        let mut kept = Vec::new();
        for h in list {
            let id = h
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let (Some(id), Some(1)) = (id, h.get("user_type").and_then(int)) else {
                return Err(errors::HOST_ERROR);
            };
            if st.user(id).is_some() {
                kept.push(h.clone());
            } else {
                invalid_hosts.push(id.to_owned());
            }
        }
        settings.insert("assign_host_list".to_owned(), Value::Array(kept));
    }
    Ok(Checked {
        settings,
        invalid_hosts,
    })
}

// --- reserves (note §4) --------------------------------------------------------------------------

fn links(st: &SimState, r: &Reserve) -> (String, String, String) {
    let region = st.options.region;
    (
        format!("https://{}/j/{}", region.vc_host(), r.meeting_no),
        format!(
            "https://{}/client/videochat/open?source=openplatform&action=join&idtype=reservationid&id={}&preview={{?}}&mic={{?}}&speaker={{?}}&camera={{?}}",
            region.applink_host(),
            r.id
        ),
        format!("https://{}/s/{}", region.live_host(), r.live_code),
    )
}

fn expire_status(st: &SimState, r: &Reserve) -> i64 {
    if r.end_time > st.now_s() {
        1
    } else {
        2
    }
}

fn reserve_json(st: &SimState, r: &Reserve, full: bool) -> Value {
    let (url, app_link, live_link) = links(st, r);
    let mut v = json!({
        "id": r.id,
        "meeting_no": r.meeting_no,
        "password": r.password,
        "url": url,
        "app_link": app_link,
        "live_link": live_link,
        "end_time": r.end_time.to_string(),
    });
    if full {
        v["expire_status"] = json!(expire_status(st, r));
        v["reserve_user_id"] = json!(r.owner);
        v["meeting_settings"] = r.meeting_settings.clone();
    }
    v
}

fn own_reserve<'a>(st: &'a SimState, caller: &Caller, id: &str) -> Result<&'a Reserve, ApiError> {
    let r = st
        .reserves
        .get(id)
        .filter(|r| !r.deleted)
        .ok_or(errors::NOT_EXIST)?;
    match caller {
        // Assumption (note §12.10): the tenant reaches every reserve of its app.
        Caller::Tenant => Ok(r),
        Caller::User(u) if *u == r.owner => Ok(r),
        Caller::User(_) => Err(errors::NO_PERMISSION),
    }
}

/// `POST /open-apis/vc/v1/reserves/apply` (note §4.2).
pub(crate) async fn reserve_apply(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    let caller = sim.caller(&headers, &APPLY)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, true)?;
    sim.write(|st| {
        let now = st.now_s();
        let owner = match &caller {
            // owner_id is used, and required, only with a tenant token (note §4.2, §12.1).
            Caller::Tenant => {
                let id = body.get("owner_id").and_then(Value::as_str).unwrap_or_default();
                if st.user(id).is_none() {
                    return Err(errors::PARAM.field("owner_id", "owner_id is required with tenant_access_token and must be a user of the tenant"));
                }
                id.to_owned()
            }
            Caller::User(u) => u.clone(),
        };
        let Some(Value::Object(settings)) = body.get("meeting_settings") else {
            return Err(errors::PARAM.field("meeting_settings", "meeting_settings is required"));
        };
        let checked = check_settings(st, settings.clone())?;
        let one_to_one = checked.settings.get("meeting_initial_type").and_then(int) == Some(2);
        // end_time is required for multi-person meetings (note §4.2); a 1v1 call without one
        // gets the longest term (assumption).
        let end_time = match body.get("end_time") {
            None if one_to_one => now + RESERVE_MAX_SECS,
            v => check_end_time(v, now)?,
        };
        let password = match checked.settings.get("password").and_then(Value::as_str) {
            Some(p) => p.to_owned(),
            // Omitted: the owner's personal setting decides (note §4.1); the sandbox owner's
            // setting is "random password".
            None => digits(6),
        };
        let reserve = Reserve {
            id: st.next_id(),
            meeting_no: st.free_meeting_no(),
            password,
            end_time,
            owner,
            meeting_settings: Value::Object(checked.settings),
            live_code: random_alnum(13).to_lowercase(),
            created_at: now,
            deleted: false,
        };
        let data = json!({
            "reserve": reserve_json(st, &reserve, false),
            "reserve_correction_check_info": {"invalid_host_id_list": checked.invalid_hosts},
        });
        st.reserves.insert(reserve.id.clone(), reserve);
        Ok(ok(data))
    })
}

/// `PUT /open-apis/vc/v1/reserves/:reserve_id` (note §4.3): absent = unchanged, sent empty =
/// cleared; a new `end_time` renews (again ≤ 30 days).
pub(crate) async fn reserve_update(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult {
    let caller = sim.caller(&headers, &UPDATE)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, false)?;
    sim.write(|st| {
        let now = st.now_s();
        let r = own_reserve(st, &caller, &id)?.clone();
        let end_time = match body.get("end_time") {
            None => r.end_time,
            v => check_end_time(v, now)?,
        };
        let mut settings = r.meeting_settings.as_object().cloned().unwrap_or_default();
        let mut invalid_hosts = Vec::new();
        let mut password = r.password.clone();
        match body.get("meeting_settings") {
            None | Some(Value::Null) => {}
            Some(Value::Object(changes)) => {
                // meeting_connect cannot be updated (note §4.1); resending the same value is
                // harmless (assumption).
                if let Some(c) = changes.get("meeting_connect") {
                    let current = settings
                        .get("meeting_connect")
                        .cloned()
                        .unwrap_or(Value::Bool(false));
                    if *c != current && !c.is_null() {
                        return Err(errors::NOT_SUPPORT.field(
                            "meeting_settings.meeting_connect",
                            "meeting_connect cannot be updated",
                        ));
                    }
                }
                for (k, v) in changes {
                    if k == "meeting_connect" {
                        continue;
                    }
                    settings.insert(k.clone(), v.clone());
                }
                let checked = check_settings(st, settings)?;
                settings = checked.settings;
                invalid_hosts = checked.invalid_hosts;
                if let Some(p) = changes.get("password") {
                    password = p.as_str().unwrap_or_default().to_owned();
                }
            }
            Some(_) => return Err(errors::PARAM.field("meeting_settings", "must be an object")),
        }
        let r = st.reserves.get_mut(&id).ok_or(errors::NOT_EXIST)?;
        r.end_time = end_time;
        r.meeting_settings = Value::Object(settings);
        r.password = password;
        let r = r.clone();
        let mut reserve = reserve_json(st, &r, false);
        if let Value::Object(m) = &mut reserve {
            m.remove("app_link");
        }
        reserve["expire_status"] = json!(expire_status(st, &r));
        Ok(ok(json!({
            "reserve": reserve,
            "reserve_correction_check_info": {"invalid_host_id_list": invalid_hosts},
        })))
    })
}

/// `DELETE /open-apis/vc/v1/reserves/:reserve_id` (note §4.4): cannot be undone.
pub(crate) async fn reserve_delete(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let caller = sim.caller(&headers, &DELETE)?;
    sim.write(|st| {
        own_reserve(st, &caller, &id)?;
        if let Some(r) = st.reserves.get_mut(&id) {
            r.deleted = true;
        }
        Ok(ok(json!({})))
    })
}

/// `GET /open-apis/vc/v1/reserves/:reserve_id` (note §4.5). Still answers after expiry, with
/// `expire_status` 2 (note §13 suggestion).
pub(crate) async fn reserve_get(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let caller = sim.caller(&headers, &GET)?;
    check_user_id_type(&q)?;
    let st = sim.lock();
    let r = own_reserve(&st, &caller, &id)?;
    Ok(ok(json!({"reserve": reserve_json(&st, r, true)})))
}

/// `GET /open-apis/vc/v1/reserves/:reserve_id/get_active_meeting` (note §4.6). Nothing live:
/// 404/121004 (assumption, note §12.10).
pub(crate) async fn reserve_active_meeting(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let caller = sim.caller(&headers, &ACTIVE)?;
    check_user_id_type(&q)?;
    let with_participants = bool_query(&q, "with_participants")?;
    let st = sim.lock();
    own_reserve(&st, &caller, &id)?;
    let m = st
        .meetings
        .values()
        .find(|m| m.reserve_id == id && m.live())
        .ok_or(errors::NOT_EXIST)?;
    Ok(ok(
        json!({"meeting": meeting_json(&st, m, with_participants, false)}),
    ))
}

// --- meetings (note §5) --------------------------------------------------------------------------

fn url_of(st: &SimState, meeting_no: &str) -> String {
    format!("https://{}/j/{meeting_no}", st.options.region.vc_host())
}

fn participant_json(p: &Participant, now: i64) -> Value {
    let until = if p.final_leave_time > 0 {
        p.final_leave_time
    } else {
        now
    };
    let joined = p.first_join_time > 0;
    json!({
        "id": p.id,
        "first_join_time": if joined { p.first_join_time.to_string() } else { String::new() },
        "final_leave_time": if p.final_leave_time > 0 { p.final_leave_time.to_string() } else { String::new() },
        "in_meeting_duration": if joined { (until - p.first_join_time).max(0).to_string() } else { "0".to_owned() },
        "user_type": p.user_type,
        "is_host": p.is_host,
        "is_cohost": false,
        "is_external": false,
        "status": p.status,
    })
}

fn meeting_json(st: &SimState, m: &Meeting, with_participants: bool, ability: bool) -> Value {
    let now = st.now_s();
    let joined = m
        .participants
        .iter()
        .filter(|p| p.first_join_time > 0)
        .count();
    let mut v = json!({
        "id": m.id,
        "topic": m.topic,
        "url": url_of(st, &m.meeting_no),
        "meeting_no": m.meeting_no,
        "password": m.password,
        "create_time": m.start_time.to_string(),
        "start_time": m.start_time.to_string(),
        "host_user": {"id": m.host, "user_type": 1},
        "meeting_connect": m.meeting_connect,
        "status": if m.live() { 2 } else { 3 },
        "participant_count": joined.to_string(),
        "participant_count_accumulated": joined.to_string(),
        "note_id": "",
    });
    // While live there is no end time: left out (assumption; the docs do not say).
    if let Some(end) = m.end_time {
        v["end_time"] = json!(end.to_string());
    }
    if with_participants {
        v["participants"] = m
            .participants
            .iter()
            .map(|p| participant_json(p, now))
            .collect();
    }
    if ability {
        v["ability"] = json!({
            "use_video": true, "use_audio": true, "use_share_screen": false,
            "use_follow_screen": false, "use_recording": false, "use_pstn": false,
        });
    }
    v
}

/// "只能获取归属于自己的会议，支持查询最近90天内的会议" (note §5.1).
fn own_meeting<'a>(st: &'a SimState, caller: &Caller, id: &str) -> Result<&'a Meeting, ApiError> {
    let m = st.meetings.get(id).ok_or(errors::NOT_EXIST)?;
    if m.start_time < st.now_s() - NINETY_DAYS {
        return Err(errors::NOT_EXIST);
    }
    match caller {
        Caller::Tenant => Ok(m),
        Caller::User(u) if *u == m.owner || m.participants.iter().any(|p| p.id == *u) => Ok(m),
        Caller::User(_) => Err(errors::NO_PERMISSION),
    }
}

/// `GET /open-apis/vc/v1/meetings/:meeting_id` (note §5.1).
pub(crate) async fn meeting_get(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
) -> ApiResult {
    let caller = sim.caller(&headers, &MEETING_GET)?;
    check_user_id_type(&q)?;
    let with_participants = bool_query(&q, "with_participants")?;
    // `ability` only for a tenant token with with_meeting_ability=true (note §5.1).
    let ability = bool_query(&q, "with_meeting_ability")? && caller == Caller::Tenant;
    let st = sim.lock();
    let m = own_meeting(&st, &caller, &id)?;
    Ok(ok(
        json!({"meeting": meeting_json(&st, m, with_participants, ability)}),
    ))
}

/// `GET /open-apis/vc/v1/meetings/list_by_no` (note §5.2): sessions under one meeting number
/// that started in [start_time, end_time], a range of at most 90 days.
pub(crate) async fn meeting_list_by_no(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
) -> ApiResult {
    let caller = sim.caller(&headers, &LIST_BY_NO)?;
    let no = q
        .get("meeting_no")
        .filter(|n| n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| errors::PARAM.field("meeting_no", "meeting_no must be 9 digits"))?;
    let time = |name: &str| {
        q.get(name)
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| errors::PARAM.field(name, "unix seconds required"))
    };
    let (start, end) = (time("start_time")?, time("end_time")?);
    if start >= end || end - start > NINETY_DAYS {
        return Err(errors::PARAM.field("end_time", "start_time < end_time, at most 90 days apart"));
    }
    let size = page_size(q.get("page_size"), 20, 50)?;
    let st = sim.lock();
    let mut found: Vec<&Meeting> = st
        .meetings
        .values()
        .filter(|m| m.meeting_no == *no && (start..=end).contains(&m.start_time))
        .filter(|m| match &caller {
            Caller::Tenant => true,
            Caller::User(u) => *u == m.owner || m.participants.iter().any(|p| p.id == *u),
        })
        .collect();
    found.sort_by_key(|m| (m.start_time, m.id.clone()));
    let briefs: Vec<Value> = found
        .iter()
        .map(|m| {
            json!({
                "id": m.id, "topic": m.topic, "url": url_of(&st, &m.meeting_no),
                "meeting_no": m.meeting_no, "password": m.password,
                "meeting_connect": m.meeting_connect, "note_id": "",
            })
        })
        .collect();
    let (items, has_more, token) = page(&briefs, q.get("page_token").map(String::as_str), size)?;
    let mut data = json!({"has_more": has_more, "meeting_briefs": items});
    if has_more {
        data["page_token"] = json!(token);
    }
    Ok(ok(data))
}

/// A live meeting for an operation, or 122002 / 122001 (note §5.3-§5.6).
fn live_meeting<'a>(st: &'a mut SimState, id: &str) -> Result<&'a mut Meeting, ApiError> {
    let m = st.meetings.get_mut(id).ok_or(errors::MEETING_NOT_EXIST)?;
    if !m.live() {
        return Err(errors::MEETING_STATUS);
    }
    Ok(m)
}

fn user_list(body: &Map<String, Value>, key: &str) -> Result<Vec<(String, i64)>, ApiError> {
    let list = body
        .get(key)
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| errors::PARAM.field(key, "a non-empty list is required"))?;
    list.iter()
        .map(|u| {
            let id = u
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let ty = u.get("user_type").and_then(int);
            match (id, ty) {
                (Some(id), Some(ty)) => Ok((id.to_owned(), ty)),
                _ => Err(errors::PARAM.field(key, "each entry needs id and user_type")),
            }
        })
        .collect()
}

/// `PATCH /open-apis/vc/v1/meetings/:meeting_id/invite` (note §5.3): rings up to 10 people
/// into a live meeting; the operator must be in it. Per-invitee status 1/2 under code 0.
pub(crate) async fn meeting_invite(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    let caller = sim.caller(&headers, &INVITE)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, true)?;
    let invitees = user_list(&body, "invitees")?;
    if invitees.len() > 10 {
        // Assumption (note §13): the documented cap of 10 is a param error.
        return Err(errors::PARAM.field("invitees", "at most 10 invitees per call"));
    }
    let Caller::User(operator) = caller else {
        return Err(errors::TENANT_TOKEN_INVALID);
    };
    sim.write(|st| {
        let capacity = st.options.meeting_capacity as usize;
        let known: Vec<bool> = invitees.iter().map(|(i, _)| st.user(i).is_some()).collect();
        let m = live_meeting(st, &id)?;
        if !m.in_meeting(&operator) {
            return Err(errors::OPERATOR_NOT_IN_MEETING);
        }
        if invitees.iter().any(|(i, _)| *i == operator) {
            return Err(errors::CANNOT_OPERATE_SELF);
        }
        if m.locked {
            return Err(errors::MEETING_LOCKED);
        }
        if m.present() >= capacity {
            return Err(errors::MEETING_FULL);
        }
        let mut results = Vec::new();
        for ((who, ty), known) in invitees.iter().zip(known) {
            let already = m.in_meeting(who);
            let rings = known && *ty == 1 && !already;
            if rings {
                match m.participants.iter_mut().find(|p| p.id == *who) {
                    Some(p) => p.status = 3,
                    None => m.participants.push(Participant {
                        id: who.clone(),
                        user_type: *ty,
                        first_join_time: 0,
                        final_leave_time: 0,
                        is_host: false,
                        status: 3,
                    }),
                }
            }
            results.push(json!({"id": who, "user_type": ty, "status": if rings { 1 } else { 2 }}));
        }
        Ok(ok(json!({"invite_results": results})))
    })
}

/// `POST /open-apis/vc/v1/meetings/:meeting_id/kickout` (note §5.4, tenant token only).
pub(crate) async fn meeting_kickout(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    sim.caller(&headers, &KICKOUT)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, true)?;
    let users = user_list(&body, "kickout_users")?;
    sim.write(|st| {
        let now = st.now_s();
        let m = live_meeting(st, &id)?;
        let mut results = Vec::new();
        for (who, ty) in &users {
            let removed = match m
                .participants
                .iter_mut()
                .find(|p| p.id == *who && p.status == 2)
            {
                Some(p) => {
                    p.status = 4;
                    p.final_leave_time = now;
                    true
                }
                None => false,
            };
            results
                .push(json!({"id": who, "user_type": ty, "result": if removed { 1 } else { 2 }}));
        }
        Ok(ok(json!({"kickout_results": results})))
    })
}

/// `PATCH /open-apis/vc/v1/meetings/:meeting_id/set_host` (note §5.5): compare-and-swap on
/// `old_host_user`; a mismatch is 409/121006 with the current host in `data.host_user` (note
/// §13, an inference).
pub(crate) async fn meeting_set_host(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    let caller = sim.caller(&headers, &SET_HOST)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, true)?;
    let target = body
        .get("host_user")
        .and_then(|h| h.get("id"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| errors::PARAM.field("host_user", "host_user.id is required"))?
        .to_owned();
    let old = body
        .get("old_host_user")
        .and_then(|h| h.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    sim.write(|st| {
        let m = live_meeting(st, &id)?;
        let current = json!({"host_user": {"id": m.host, "user_type": 1}});
        if let Caller::User(op) = &caller {
            if !m.in_meeting(op) {
                return Err(errors::OPERATOR_NOT_IN_MEETING);
            }
            if *op != m.host {
                // The operator must be the current host (note §5.5).
                return Err(errors::NO_PERMISSION);
            }
            if *op == target {
                return Err(errors::CANNOT_OPERATE_SELF);
            }
        }
        if old.as_ref().is_some_and(|o| *o != m.host) {
            return Err(errors::CONFLICT.with_data(current));
        }
        if !m.in_meeting(&target) {
            return Err(errors::TARGET_NOT_IN_MEETING);
        }
        for p in &mut m.participants {
            p.is_host = p.id == target;
        }
        m.host = target.clone();
        Ok(ok(json!({"host_user": {"id": target, "user_type": 1}})))
    })
}

/// `PATCH /open-apis/vc/v1/meetings/:meeting_id/end` (note §5.6): user token of the current
/// host; someone else in the meeting gets 121005 (assumption, note §13).
pub(crate) async fn meeting_end(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let caller = sim.caller(&headers, &END)?;
    let Caller::User(op) = caller else {
        return Err(errors::TENANT_TOKEN_INVALID);
    };
    sim.write(|st| {
        let now = st.now_s();
        let m = live_meeting(st, &id)?;
        if !m.in_meeting(&op) {
            return Err(errors::OPERATOR_NOT_IN_MEETING);
        }
        if op != m.host {
            return Err(errors::NO_PERMISSION);
        }
        m.end_time = Some(now);
        for p in &mut m.participants {
            if p.status == 2 {
                p.final_leave_time = now;
            }
            p.status = 4;
        }
        Ok(ok(json!({})))
    })
}

/// [`FeishuSim::join_meeting`]: `open_id` (a user of the tenant) joins a live meeting, e.g.
/// picks up an invitation's call.
pub(crate) fn join_meeting(
    st: &mut SimState,
    meeting_id: &str,
    open_id: &str,
) -> Result<(), ApiError> {
    if st.user(open_id).is_none() {
        return Err(errors::PARAM.field("open_id", "not a user of the tenant"));
    }
    let capacity = st.options.meeting_capacity as usize;
    let now = st.now_s();
    let m = live_meeting(st, meeting_id)?;
    if m.in_meeting(open_id) {
        return Ok(());
    }
    if m.present() >= capacity {
        return Err(errors::MEETING_FULL);
    }
    match m.participants.iter_mut().find(|p| p.id == open_id) {
        Some(p) => {
            p.status = 2;
            p.final_leave_time = 0;
            if p.first_join_time == 0 {
                p.first_join_time = now;
            }
        }
        None => m.participants.push(Participant {
            id: open_id.to_owned(),
            user_type: 1,
            first_join_time: now,
            final_leave_time: 0,
            is_host: false,
            status: 2,
        }),
    }
    Ok(())
}

/// [`FeishuSim::start_meeting`].
pub(crate) fn start_meeting(
    st: &mut SimState,
    reserve_id: &str,
    others: &[String],
) -> Result<String, ApiError> {
    let now = st.now_s();
    let r = st
        .reserves
        .get(reserve_id)
        .filter(|r| !r.deleted && r.end_time > now)
        .ok_or(errors::NOT_EXIST)?
        .clone();
    if st
        .meetings
        .values()
        .any(|m| m.reserve_id == reserve_id && m.live())
    {
        return Err(errors::CONFLICT);
    }
    if let Some(unknown) = others.iter().find(|o| st.user(o).is_none()) {
        return Err(errors::PARAM.field("participants", &format!("unknown user {unknown}")));
    }
    let joined = |id: &str, host: bool| Participant {
        id: id.to_owned(),
        user_type: 1,
        first_join_time: now,
        final_leave_time: 0,
        is_host: host,
        status: 2,
    };
    let mut participants = vec![joined(&r.owner, true)];
    for o in others {
        if !participants.iter().any(|p| p.id == *o) {
            participants.push(joined(o, false));
        }
    }
    let id = st.next_id();
    st.meetings.insert(
        id.clone(),
        Meeting {
            id: id.clone(),
            reserve_id: r.id.clone(),
            meeting_no: r.meeting_no.clone(),
            topic: r
                .meeting_settings
                .get("topic")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            password: r.password.clone(),
            owner: r.owner.clone(),
            start_time: now,
            end_time: None,
            host: r.owner.clone(),
            participants,
            locked: false,
            meeting_connect: r
                .meeting_settings
                .get("meeting_connect")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
    );
    Ok(id)
}

// --- rooms and room levels (note §7) -------------------------------------------------------------

/// Level ids from the top down to `level` (included).
fn level_path(st: &SimState, level: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut cur = level.to_owned();
    for _ in 0..32 {
        let Some(l) = st.room_levels.iter().find(|l| l.room_level_id == cur) else {
            break;
        };
        path.push(l.room_level_id.clone());
        cur = l.parent_id.clone();
    }
    path.reverse();
    path
}

fn room_json(st: &SimState, r: &Room) -> Value {
    json!({
        "room_id": r.room_id,
        "name": r.name,
        "capacity": r.capacity,
        "description": r.description,
        "display_id": r.display_id,
        "custom_room_id": r.custom_room_id,
        "room_level_id": r.room_level_id,
        "path": level_path(st, &r.room_level_id),
        "room_status": {
            "status": r.enabled,
            "schedule_status": r.enabled,
            "disable_start_time": "",
            "disable_end_time": if r.enabled { "" } else { "0" },
            "disable_reason": if r.enabled { "" } else { "维修" },
            "contact_ids": [],
            "disable_notice": false,
            "resume_notice": false,
        },
        "device": r.devices.iter().map(|d| json!({"name": d})).collect::<Vec<_>>(),
    })
}

fn level_json(st: &SimState, l: &RoomLevel) -> Value {
    json!({
        "room_level_id": l.room_level_id,
        "name": l.name,
        "parent_id": l.parent_id,
        "path": level_path(st, &l.room_level_id),
        "has_child": st.room_levels.iter().any(|c| c.parent_id == l.room_level_id),
        "custom_group_id": l.custom_group_id,
    })
}

/// `GET /open-apis/vc/v1/rooms` (note §7): rooms under `room_level_id` (and its sub-levels,
/// assumption), the whole tenant when empty; page_size ≤ 100 (default 20, assumption).
pub(crate) async fn room_list(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
) -> ApiResult {
    sim.caller(&headers, &ROOM_LIST)?;
    check_user_id_type(&q)?;
    let size = page_size(q.get("page_size"), 20, 100)?;
    let st = sim.lock();
    let level = q.get("room_level_id").filter(|s| !s.is_empty());
    if let Some(l) = level {
        if !st.room_levels.iter().any(|x| x.room_level_id == *l) {
            return Err(errors::NOT_EXIST);
        }
    }
    let rooms: Vec<Value> = st
        .rooms
        .iter()
        .filter(|r| level.is_none_or(|l| level_path(&st, &r.room_level_id).contains(l)))
        .map(|r| room_json(&st, r))
        .collect();
    let (items, has_more, token) = page(&rooms, q.get("page_token").map(String::as_str), size)?;
    Ok(ok(
        json!({"rooms": items, "page_token": token, "has_more": has_more}),
    ))
}

/// `GET /open-apis/vc/v1/rooms/:room_id`.
pub(crate) async fn room_get(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Q,
) -> ApiResult {
    sim.caller(&headers, &ROOM_GET)?;
    check_user_id_type(&q)?;
    let st = sim.lock();
    let r = st
        .rooms
        .iter()
        .find(|r| r.room_id == id)
        .ok_or(errors::NOT_EXIST)?;
    Ok(ok(json!({"room": room_json(&st, r)})))
}

fn id_list(body: &Map<String, Value>, key: &str) -> Result<Vec<String>, ApiError> {
    body.get(key)
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty() && l.len() <= 100)
        .and_then(|l| l.iter().map(|v| v.as_str().map(str::to_owned)).collect())
        .ok_or_else(|| errors::PARAM.field(key, "1 to 100 ids required"))
}

/// `POST /open-apis/vc/v1/rooms/mget {"room_ids":[…]}` → `data.items`; unknown ids are
/// left out (assumption).
pub(crate) async fn room_mget(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    sim.caller(&headers, &ROOM_MGET)?;
    check_user_id_type(&q)?;
    let ids = id_list(&body_object(&body, true)?, "room_ids")?;
    let st = sim.lock();
    let items: Vec<Value> = ids
        .iter()
        .filter_map(|id| st.rooms.iter().find(|r| r.room_id == *id))
        .map(|r| room_json(&st, r))
        .collect();
    Ok(ok(json!({"items": items})))
}

/// `POST /open-apis/vc/v1/rooms/search` (user token only): only rooms the user may book
/// (enabled ones). `custom_room_ids` wins over `keyword` (note §7).
pub(crate) async fn room_search(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    sim.caller(&headers, &ROOM_SEARCH)?;
    check_user_id_type(&q)?;
    let body = body_object(&body, false)?;
    let size = match body.get("page_size") {
        None => 10,
        Some(v) => int(v)
            .filter(|n| (1..=100).contains(n))
            .map(|n| n as usize)
            .ok_or_else(|| errors::PARAM.field("page_size", "1 to 100"))?,
    };
    let custom: Option<Vec<String>> =
        body.get("custom_room_ids")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            });
    let keyword = body
        .get("keyword")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let level = body
        .get("room_level_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let by_level_name = body.get("search_level_name").and_then(Value::as_bool) == Some(true);
    let st = sim.lock();
    let rooms: Vec<Value> = st
        .rooms
        .iter()
        .filter(|r| r.enabled)
        .filter(|r| match &custom {
            Some(ids) if !ids.is_empty() => ids.contains(&r.custom_room_id),
            _ => {
                let path = level_path(&st, &r.room_level_id);
                let level_ok = level.is_none_or(|l| path.iter().any(|p| p == l));
                let name_ok = keyword.is_empty()
                    || r.name.contains(keyword)
                    || (by_level_name
                        && path.iter().any(|p| {
                            st.room_levels
                                .iter()
                                .any(|l| l.room_level_id == *p && l.name.contains(keyword))
                        }));
                level_ok && name_ok
            }
        })
        .map(|r| room_json(&st, r))
        .collect();
    let token = body.get("page_token").and_then(Value::as_str);
    let (items, has_more, token) = page(&rooms, token, size)?;
    Ok(ok(
        json!({"rooms": items, "page_token": token, "has_more": has_more}),
    ))
}

/// `GET /open-apis/vc/v1/room_levels?room_level_id=` : children of that level (the top when
/// empty, parent "0").
pub(crate) async fn level_list(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
) -> ApiResult {
    sim.caller(&headers, &LEVEL_LIST)?;
    let size = page_size(q.get("page_size"), 20, 100)?;
    let st = sim.lock();
    let parent = q
        .get("room_level_id")
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("0");
    if parent != "0" && !st.room_levels.iter().any(|l| l.room_level_id == parent) {
        return Err(errors::NOT_EXIST);
    }
    let levels: Vec<Value> = st
        .room_levels
        .iter()
        .filter(|l| l.parent_id == parent)
        .map(|l| level_json(&st, l))
        .collect();
    let (items, has_more, token) = page(&levels, q.get("page_token").map(String::as_str), size)?;
    Ok(ok(
        json!({"items": items, "page_token": token, "has_more": has_more}),
    ))
}

pub(crate) async fn level_get(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    sim.caller(&headers, &LEVEL_GET)?;
    let st = sim.lock();
    let l = st
        .room_levels
        .iter()
        .find(|l| l.room_level_id == id)
        .ok_or(errors::NOT_EXIST)?;
    Ok(ok(json!({"room_level": level_json(&st, l)})))
}

/// `POST /open-apis/vc/v1/room_levels/mget {"level_ids":[…]}` → `data.items`.
pub(crate) async fn level_mget(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    sim.caller(&headers, &LEVEL_MGET)?;
    let ids = id_list(&body_object(&body, true)?, "level_ids")?;
    let st = sim.lock();
    let items: Vec<Value> = ids
        .iter()
        .filter_map(|id| st.room_levels.iter().find(|l| l.room_level_id == *id))
        .map(|l| level_json(&st, l))
        .collect();
    Ok(ok(json!({"items": items})))
}

/// `room_levels/search`: GET with `custom_level_ids=a,b` (DOCS/GO/MCP) or POST (the seed,
/// S:L1918) with the same query or a JSON body `{"custom_level_ids": [...] | "a,b"}` (note
/// §12.3). Answers `data.level_ids`.
pub(crate) async fn level_search(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> ApiResult {
    sim.caller(&headers, &LEVEL_SEARCH)?;
    let mut wanted: Vec<String> = q
        .get("custom_level_ids")
        .map(|s| {
            s.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if wanted.is_empty() {
        let body = body_object(&body, false)?;
        match body.get("custom_level_ids") {
            Some(Value::String(s)) => wanted = s.split(',').map(|p| p.trim().to_owned()).collect(),
            Some(Value::Array(l)) => {
                wanted = l
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            }
            _ => {}
        }
    }
    if wanted.is_empty() {
        return Err(errors::PARAM.field("custom_level_ids", "custom_level_ids is required"));
    }
    let st = sim.lock();
    let ids: Vec<&str> = st
        .room_levels
        .iter()
        .filter(|l| wanted.contains(&l.custom_group_id))
        .map(|l| l.room_level_id.as_str())
        .collect();
    Ok(ok(json!({"level_ids": ids})))
}
