//! One-off meetings (note §3.1, §3.3-§3.5): create, modify, cancel, query by ID and by code,
//! and the user's upcoming/ongoing list.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::recurrence::{self, Recurrence};
use super::state::{
    random_alnum, random_digits, CustomerLink, Lifecycle, Meeting, MeetingStatus, State as SimState,
};
use super::wire::{self, field};
use super::TencentSim;

/// The user meeting list answers at most 20 per page (note §3.5, [doc 42421]).
pub(crate) const PAGE_SIZE: usize = 20;

fn bad(msg: impl Into<String>) -> ApiError {
    errors::BAD_PARAM.with_msg(msg)
}

/// `meeting_type`: 0 normal (default) or 1 recurring.
fn meeting_type(obj: &Map<String, Value>) -> Result<Option<i64>, ApiError> {
    match wire::opt_int(obj, "meeting_type")? {
        None => Ok(None),
        Some(t @ (0 | 1)) => Ok(Some(t)),
        Some(_) => Err(bad("meeting_type must be 0 or 1")),
    }
}

/// At most 50 recurring series at a time per account (note §3.1). The note names no code for
/// it; the generic parameter error (assumption).
const MAX_LIVE_SERIES: usize = 50;

fn time_zone(obj: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let tz = wire::opt_string(obj, "time_zone")?.filter(|s| !s.is_empty());
    // Oracle/IANA names ("Asia/Shanghai"); the sim only checks the shape.
    if tz.as_ref().is_some_and(|t| {
        t.len() > 64
            || !t
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b))
    }) {
        return Err(bad("time_zone is not a time zone name"));
    }
    Ok(tz)
}

/// `enable_host_key` / `host_key`: a 6-digit key, generated when enabled and empty (§3.1).
fn host_key(obj: &Map<String, Value>, current: Option<String>) -> Result<Option<String>, ApiError> {
    let enabled = wire::opt_bool(obj, "enable_host_key")?;
    let given = wire::opt_string(obj, "host_key")?.filter(|k| !k.is_empty());
    if let Some(k) = &given {
        if k.len() != 6 || !k.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("host_key must be 6 digits"));
        }
    }
    Ok(match enabled {
        Some(false) => None,
        Some(true) => given.or(current).or_else(|| Some(random_digits(6))),
        None => given.or(current),
    })
}

fn extra(
    obj: &Map<String, Value>,
    mut base: Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    for key in wire::EXTRA_BOOLS {
        if let Some(b) = wire::opt_bool(obj, key)? {
            base.insert((*key).to_owned(), json!(b));
        }
    }
    if let Some(v) = field(obj, "live_config") {
        if !v.is_object() {
            return Err(bad("live_config must be an object"));
        }
        base.insert("live_config".to_owned(), v.clone());
    }
    Ok(base)
}

fn check_members_exist(st: &SimState, ms: &[super::state::Member]) -> Result<(), ApiError> {
    match ms.iter().find(|m| !st.is_member(&m.userid)) {
        Some(m) => {
            Err(errors::UNREGISTERED_USER.with_msg(format!("unregistered user: {}", m.userid)))
        }
        None => Ok(()),
    }
}

/// The operator: a member of the enterprise.
fn member(st: &SimState, userid: &str) -> Result<(), ApiError> {
    if st.is_member(userid) {
        Ok(())
    } else {
        Err(errors::UNREGISTERED_USER.with_msg(format!("unregistered user: {userid}")))
    }
}

/// `POST /v1/meetings` (note §3.1).
pub(crate) async fn create(
    State(sim): State<TencentSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    // "X-TC-Registered: 1 ... then created meetings appear in the user's meeting list" (§2.1).
    // The create doc says it must be 1; tolerant reading: without it the meeting is still
    // created, but stays out of the list.
    let registered = headers
        .get("x-tc-registered")
        .is_some_and(|v| v.as_bytes() == b"1");
    let obj = wire::json_object(&body)?;
    let userid = wire::req_string(&obj, "userid")?;
    wire::instanceid(&obj)?;
    let subject = wire::req_string(&obj, "subject")?;
    wire::check_subject(&subject)?;
    let kind = match wire::req_int(&obj, "type")? {
        0 => 0u8,
        1 => 1u8,
        _ => return Err(bad("type must be 0 (scheduled) or 1 (instant)")),
    };
    let recurring = meeting_type(&obj)? == Some(1);
    let rule_req = recurrence::parse_request(&obj)?;
    let rule_req = match (recurring, rule_req) {
        (true, None) => return Err(bad("recurring_rule is required when meeting_type is 1")),
        (true, Some(r)) if r.sub_meeting_id.is_some() => {
            return Err(bad("recurring_rule.sub_meeting_id is for modify only"))
        }
        // "Recurring requires type != 1" (note §3.1).
        (true, Some(_)) if kind == 1 => {
            return Err(bad("an instant meeting (type 1) cannot be recurring"))
        }
        (true, r) => r,
        // A rule without meeting_type 1 is ignored, as the SDK field docs describe it as
        // "when meeting_type=1" (tolerant reading).
        (false, _) => None,
    };
    let start = wire::opt_time(&obj, "start_time")?.ok_or_else(|| bad("start_time is required"))?;
    let end = wire::opt_time(&obj, "end_time")?.ok_or_else(|| bad("end_time is required"))?;
    if end <= start {
        return Err(bad("end_time must be after start_time"));
    }
    let password = wire::opt_password(&obj)?.filter(|p| !p.is_empty());
    let hosts = wire::opt_members(&obj, "hosts", wire::MAX_INVITEES)?.unwrap_or_default();
    let invitees = wire::opt_members(&obj, "invitees", wire::MAX_INVITEES)?.unwrap_or_default();
    let guests = wire::opt_guests(&obj)?.unwrap_or_default();
    let location = wire::opt_string(&obj, "location")?.filter(|s| !s.is_empty());
    if let Some(l) = &location {
        wire::check_location(l)?;
    }
    let time_zone = time_zone(&obj)?;
    let settings = wire::merge_settings(&obj, wire::default_settings())?;
    let extra = extra(&obj, Map::new())?;
    let host_key = host_key(&obj, None)?;

    let info = sim.write(|st| {
        member(st, &userid)?;
        check_members_exist(st, &hosts)?;
        let now = st.now().timestamp();
        // A scheduled meeting that would already be over cannot be booked (assumption: the
        // note names no code; the generic parameter error).
        if kind == 0 && end <= now {
            return Err(bad("end_time is in the past"));
        }
        let recurrence = match &rule_req {
            None => None,
            Some(req) => {
                let rule = req.rule(now)?;
                let tz = recurrence::zone(time_zone.as_deref())?;
                let occurrences = recurrence::expand(&rule, start, end, tz)?;
                let live_series = st
                    .meetings
                    .values()
                    .filter(|m| m.creator == userid && m.recurrence.is_some())
                    .filter(|m| {
                        matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started)
                    })
                    .count();
                if live_series >= MAX_LIVE_SERIES {
                    return Err(bad("at most 50 recurring meetings at a time"));
                }
                Some(Recurrence { rule, occurrences })
            }
        };
        if !st.take_create_quota(&userid) {
            return Err(errors::CREATE_QUOTA);
        }
        // Invitees outside the enterprise are not refused: they are reported back
        // (`user_non_registered`, note §3.1).
        let non_registered: Vec<String> = invitees
            .iter()
            .filter(|m| !st.is_member(&m.userid))
            .map(|m| m.userid.clone())
            .collect();
        let meeting = Meeting {
            meeting_id: st.new_meeting_id(),
            meeting_code: st.new_meeting_code(),
            creator: userid.clone(),
            registered,
            subject: subject.clone(),
            kind,
            start,
            end,
            password: password.clone(),
            hosts: hosts.clone(),
            invitees: invitees.clone(),
            guests: guests.clone(),
            location: location.clone(),
            time_zone: time_zone.clone(),
            settings: settings.clone(),
            extra: extra.clone(),
            host_key: host_key.clone(),
            join_token: random_alnum(12),
            lifecycle: Lifecycle::Active,
            created_at: now,
            recurrence,
            rooms: Vec::new(),
            subject_visible: true,
            customer_links: Vec::new(),
        };
        let info = wire::created(&meeting, &non_registered);
        st.meetings.insert(meeting.meeting_id.clone(), meeting);
        Ok(info)
    })?;
    Ok(Json(json!({"meeting_number": 1, "meeting_info_list": [info]})).into_response())
}

/// `PUT /v1/meetings/{meeting_id}` (note §3.3): omitted fields stay, `[]` clears hosts,
/// invitees and guests, `password: ""` removes the password.
pub(crate) async fn modify(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let userid = wire::req_string(&obj, "userid")?;
    wire::instanceid(&obj)?;
    let mtype = meeting_type(&obj)?;
    let rule_req = recurrence::parse_request(&obj)?;
    match (mtype, &rule_req) {
        (Some(1), None) => return Err(bad("recurring_rule is required when meeting_type is 1")),
        (Some(0) | None, Some(_)) => return Err(bad("recurring_rule needs meeting_type 1")),
        (_, Some(r)) if r.sub_meeting_id.is_some() && r.has_rule_fields => {
            return Err(bad(
                "recurring_rule.sub_meeting_id cannot be combined with rule changes",
            ))
        }
        _ => {}
    }
    let subject = wire::opt_string(&obj, "subject")?;
    if let Some(s) = &subject {
        wire::check_subject(s)?;
    }
    let start = wire::opt_time(&obj, "start_time")?;
    let end = wire::opt_time(&obj, "end_time")?;
    let kind = match wire::opt_int(&obj, "type")? {
        None => None,
        Some(0) => Some(0u8),
        Some(1) => Some(1u8),
        Some(_) => return Err(bad("type must be 0 or 1")),
    };
    let password = wire::opt_password(&obj)?;
    let hosts = wire::opt_members(&obj, "hosts", wire::MAX_INVITEES)?;
    let invitees = wire::opt_members(&obj, "invitees", wire::MAX_INVITEES)?;
    let guests = wire::opt_guests(&obj)?;
    let location = wire::opt_string(&obj, "location")?;
    if let Some(l) = &location {
        wire::check_location(l)?;
    }
    let time_zone = time_zone(&obj)?;

    let info = sim.write(|st| {
        member(st, &userid)?;
        let now = st.now().timestamp();
        let m = st.meetings.get(&id).ok_or(errors::NO_SUCH_MEETING)?;
        if m.creator != userid {
            return Err(errors::NOT_CREATOR);
        }
        if !matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started) {
            return Err(errors::NO_MODIFY);
        }
        if let Some(h) = &hosts {
            check_members_exist(st, h)?;
        }
        if mtype == Some(0) && m.recurrence.is_some() {
            return Err(bad("a recurring meeting cannot become a one-off"));
        }
        let mut m = m.clone();
        if let Some(tz) = time_zone.clone() {
            m.time_zone = Some(tz);
        }
        match rule_req.as_ref().and_then(|r| r.sub_meeting_id.clone()) {
            // Move one occurrence (note §3.2, §3.3 FLAG: body shape inferred).
            Some(sub) => {
                let Some(r) = m.recurrence.as_mut() else {
                    return Err(bad("sub_meeting_id is for recurring meetings only"));
                };
                let occ = r
                    .occurrences
                    .iter_mut()
                    .find(|o| o.sub_meeting_id == sub && !o.deleted)
                    .ok_or_else(|| bad("no such sub_meeting_id"))?;
                if occ.start <= now {
                    return Err(errors::NO_MODIFY.with_msg("this occurrence has already started"));
                }
                let new_start = start.unwrap_or(occ.start);
                let new_end = end.unwrap_or(new_start + (occ.end - occ.start));
                if new_end <= new_start || new_end <= now {
                    return Err(bad("end_time must be after start_time and in the future"));
                }
                occ.start = new_start;
                occ.end = new_end;
                r.occurrences.sort_by_key(|o| o.start);
            }
            None => {
                let new_start = start.unwrap_or(m.start);
                let new_end = end.unwrap_or(m.end);
                if new_end <= new_start {
                    return Err(bad("end_time must be after start_time"));
                }
                if (start.is_some() || end.is_some()) && new_end <= now {
                    return Err(bad("end_time is in the past"));
                }
                let redefine = rule_req.is_some()
                    || (m.recurrence.is_some() && (start.is_some() || end.is_some()));
                if redefine {
                    // The whole series is redefined from its (new) first meeting; earlier
                    // per-occurrence moves and cancellations are dropped (assumption).
                    let rule = match &rule_req {
                        Some(req) => req.rule(now)?,
                        None => m
                            .recurrence
                            .as_ref()
                            .map(|r| r.rule.clone())
                            .ok_or_else(|| bad("recurring_rule is required"))?,
                    };
                    if m.kind == 1 || kind == Some(1) {
                        return Err(bad("an instant meeting (type 1) cannot be recurring"));
                    }
                    let tz = recurrence::zone(m.time_zone.as_deref())?;
                    let occurrences = recurrence::expand(&rule, new_start, new_end, tz)?;
                    m.recurrence = Some(Recurrence { rule, occurrences });
                }
                if !m.rooms.is_empty() && redefine {
                    return Err(bad("recurring meetings cannot hold booked rooms"));
                }
                // 20006: "a meeting room is occupied in the modified time range" (§3.9).
                for room in &m.rooms {
                    if st
                        .room_conflict(room, new_start, new_end, &m.meeting_id)
                        .is_some()
                    {
                        return Err(errors::ROOM_OCCUPIED);
                    }
                }
                m.start = new_start;
                m.end = new_end;
            }
        }
        if let Some(s) = subject.clone() {
            m.subject = s;
        }
        if let Some(k) = kind {
            m.kind = k;
        }
        if let Some(p) = password.clone() {
            m.password = Some(p).filter(|p| !p.is_empty());
        }
        if let Some(h) = hosts.clone() {
            m.hosts = h;
        }
        if let Some(i) = invitees.clone() {
            m.invitees = i;
        }
        if let Some(g) = guests.clone() {
            m.guests = g;
        }
        if let Some(l) = location.clone() {
            m.location = Some(l).filter(|l| !l.is_empty());
        }
        m.settings = wire::merge_settings(&obj, m.settings.clone())?;
        m.extra = extra(&obj, m.extra.clone())?;
        m.host_key = host_key(&obj, m.host_key.clone())?;
        let info = wire::modified(&m);
        st.meetings.insert(m.meeting_id.clone(), m);
        Ok(info)
    })?;
    Ok(Json(json!({"meeting_number": 1, "meeting_info_list": [info]})).into_response())
}

/// `POST /v1/meetings/{meeting_id}/cancel` (note §3.4). Answers `{}`: the official Python SDK
/// fails on an empty 200 body (note, "Observed in the official Python SDK"), so the "empty
/// body" inference of §3.4 is not followed.
pub(crate) async fn cancel(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let userid = wire::req_string(&obj, "userid")?;
    wire::instanceid(&obj)?;
    let reason_code = wire::req_int(&obj, "reason_code")?;
    wire::opt_string(&obj, "reason_detail")?;
    meeting_type(&obj)?;
    // "omit to cancel the whole series" (note §3.4).
    let sub = match field(&obj, "sub_meeting_id") {
        None => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(bad("sub_meeting_id must be a string")),
    };
    sim.write(|st| {
        member(st, &userid)?;
        let now = st.now().timestamp();
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_SUCH_MEETING)?;
        if m.creator != userid {
            return Err(errors::NOT_CREATOR);
        }
        if let Some(sub) = sub {
            let status = m.status(now);
            let Some(r) = m.recurrence.as_mut() else {
                return Err(bad("sub_meeting_id is for recurring meetings only"));
            };
            if status == MeetingStatus::Cancelled {
                return Ok(());
            }
            let occ = r
                .occurrences
                .iter_mut()
                .find(|o| o.sub_meeting_id == sub)
                .ok_or_else(|| bad("no such sub_meeting_id"))?;
            if occ.deleted {
                return Ok(());
            }
            if occ.start <= now {
                return Err(bad(
                    "only occurrences that have not started can be cancelled",
                ));
            }
            occ.deleted = true;
            // The last remaining occurrence gone: the series is cancelled (assumption).
            if r.occurrences.iter().all(|o| o.deleted) {
                m.lifecycle = Lifecycle::Cancelled {
                    at: now,
                    reason_code,
                };
            }
            return Ok(());
        }
        match m.status(now) {
            MeetingStatus::Init => {
                m.lifecycle = Lifecycle::Cancelled {
                    at: now,
                    reason_code,
                };
                Ok(())
            }
            // Cancelling again succeeds (assumption: lets a client retry a cancel whose
            // answer was lost without a spurious error).
            MeetingStatus::Cancelled => Ok(()),
            // "only meetings that have not started can be cancelled" (status table, [doc copy]).
            MeetingStatus::Started | MeetingStatus::Ended | MeetingStatus::Recycled => {
                Err(bad("only meetings that have not started can be cancelled"))
            }
        }
    })?;
    Ok(Json(json!({})).into_response())
}

/// The operator of a query: `userid`, or `operator_id` with `operator_id_type=1` (the Python
/// SDK's form, note "Observed"); plus the required `instanceid`.
fn query_operator(q: &BTreeMap<String, String>) -> Result<String, ApiError> {
    let instance = q
        .get("instanceid")
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| bad("instanceid is required"))?;
    if !wire::valid_instanceid(instance) {
        return Err(bad("instanceid is not a known device type"));
    }
    if let Some(u) = q.get("userid").filter(|u| !u.is_empty()) {
        return Ok(u.clone());
    }
    match (
        q.get("operator_id"),
        q.get("operator_id_type").map(String::as_str),
    ) {
        (Some(op), Some("1")) if !op.is_empty() => Ok(op.clone()),
        (Some(_), Some(_)) => Err(bad("operator_id_type: only 1 (userid) is served")),
        _ => Err(bad("userid or operator_id is required")),
    }
}

/// `GET /v1/meetings/{meeting_id}?userid=&instanceid=` (note §3.5).
pub(crate) async fn get_one(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let userid = query_operator(&q)?;
    let info = sim.read(|st| {
        member(st, &userid)?;
        let now = st.now().timestamp();
        let m = st.meetings.get(&id).ok_or(errors::NO_SUCH_MEETING)?;
        Ok(wire::queried(m, now, wire::Subs::All))
    })?;
    Ok(Json(json!({"meeting_number": 1, "meeting_info_list": [info]})).into_response())
}

/// `GET /v1/meetings?meeting_code=` (by code) or `GET /v1/meetings?userid=&instanceid=[&pos=]`
/// (the user's upcoming and ongoing meetings, note §3.5).
pub(crate) async fn list_or_by_code(
    State(sim): State<TencentSim>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let userid = query_operator(&q)?;
    if let Some(code) = q.get("meeting_code").filter(|c| !c.is_empty()) {
        let info = sim.read(|st| {
            member(st, &userid)?;
            let now = st.now().timestamp();
            // A recycled code cannot be queried by code (note §3.5).
            let m = st
                .meetings
                .values()
                .filter(|m| &m.meeting_code == code && m.status(now) != MeetingStatus::Recycled)
                .max_by_key(|m| m.created_at)
                .ok_or(errors::NO_SUCH_MEETING)?;
            Ok(wire::queried(m, now, wire::Subs::All))
        })?;
        return Ok(Json(json!({"meeting_number": 1, "meeting_info_list": [info]})).into_response());
    }
    // `pos` (offset) or the newer `cursory`; both are offsets into the list here.
    let offset = |key: &str| -> Result<Option<usize>, ApiError> {
        match q.get(key).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse::<usize>()
                .map(Some)
                .map_err(|_| bad(format!("{key} must be a non-negative integer"))),
        }
    };
    let pos = offset("pos")?.or(offset("cursory")?).unwrap_or(0);
    let subs = match q.get("is_show_all_sub_meetings").map(String::as_str) {
        None | Some("") | Some("0") => wire::Subs::CurrentOnly,
        Some("1") => wire::Subs::All,
        Some(_) => return Err(bad("is_show_all_sub_meetings must be 0 or 1")),
    };
    let page = sim.read(|st| {
        member(st, &userid)?;
        let now = st.now().timestamp();
        let mut rows: Vec<&Meeting> = st
            .meetings
            .values()
            .filter(|m| m.registered && m.concerns(&userid))
            .filter(|m| matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started))
            .collect();
        // By the start of the ongoing or next occurrence (the meeting's start for one-offs).
        let key = |m: &Meeting| m.current_sub_meeting(now).map_or(m.start, |o| o.start);
        rows.sort_by(|a, b| (key(a), &a.meeting_id).cmp(&(key(b), &b.meeting_id)));
        let total = rows.len();
        let list: Vec<Value> = rows
            .into_iter()
            .skip(pos)
            .take(PAGE_SIZE)
            .map(|m| wire::queried(m, now, subs))
            .collect();
        let next_pos = pos.saturating_add(list.len());
        let remaining = total.saturating_sub(next_pos);
        Ok(json!({
            "meeting_number": list.len(),
            "remaining": remaining,
            "next_pos": next_pos,
            "next_cursory": next_pos,
            "meeting_info_list": list,
        }))
    })?;
    Ok(Json(page).into_response())
}

/// `GET /v1/history/meetings/{userid}?page=&page_size=&meeting_code=&start_time=&end_time=`
/// (note §3.5): the user's ended meetings, one row per ended occurrence of a series, most
/// recent first (order not documented: assumption). Cancelled meetings are not history.
pub(crate) async fn history(
    State(sim): State<TencentSim>,
    Path(userid): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let int = |key: &str, default: i64, lo: i64, hi: i64| -> Result<i64, ApiError> {
        match q.get(key).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                _ => Err(bad(format!("{key} must be {lo}-{hi}"))),
            },
        }
    };
    let page = int("page", 1, 1, i64::from(i32::MAX))?;
    let page_size = int("page_size", 20, 1, 20)?;
    let from = int("start_time", 0, 0, i64::MAX)?;
    let to = int("end_time", i64::MAX, 0, i64::MAX)?;
    let code = q.get("meeting_code").filter(|c| !c.is_empty()).cloned();
    let out = sim.read(|st| {
        member(st, &userid)?;
        let now = st.now().timestamp();
        let mut rows: Vec<(i64, Value)> = Vec::new();
        for m in st.meetings.values() {
            if !m.concerns(&userid) || !matches!(m.lifecycle, Lifecycle::Active) {
                continue;
            }
            if code.as_ref().is_some_and(|c| c != &m.meeting_code) {
                continue;
            }
            let mut push = |start: i64, end: i64, sub: Option<&str>| {
                if end <= now && start >= from && start <= to {
                    let mut row = json!({
                        "meeting_id": m.meeting_id, "meeting_code": m.meeting_code,
                        "subject": m.subject, "start_time": start, "end_time": end,
                        "meeting_type": if sub.is_some() { 1 } else { 0 },
                    });
                    if let Some(sub) = sub {
                        row["sub_meeting_id"] = json!(sub);
                    }
                    rows.push((start, row));
                }
            };
            match &m.recurrence {
                None => push(m.start, m.end, None),
                Some(r) => {
                    for o in r.occurrences.iter().filter(|o| !o.deleted) {
                        push(o.start, o.end, Some(&o.sub_meeting_id));
                    }
                }
            }
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        let total = rows.len() as i64;
        let size = page_size;
        let list: Vec<Value> = rows
            .into_iter()
            .skip(usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX))
            .take(usize::try_from(size).unwrap_or(20))
            .map(|(_, v)| v)
            .collect();
        Ok(json!({
            "total_count": total,
            "total_page": (total + size - 1) / size,
            "current_page": page,
            "current_size": list.len(),
            "meeting_info_list": list,
        }))
    })?;
    Ok(Json(out).into_response())
}

/// `customer_data`: required, at most 256 bytes (note §3.8).
const MAX_CUSTOMER_DATA: usize = 256;

/// `POST /v1/meetings/customer-short-url` with `{meeting_id, customer_data}` (note §3.8):
/// `{meeting_short_url_customer_data:{customer_data, meeting_short_url}}`. The same
/// customer_data gets the same link again (assumption). Not for cancelled or ended meetings.
pub(crate) async fn create_customer_link(
    State(sim): State<TencentSim>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let id = wire::req_string(&obj, "meeting_id")?;
    let data = wire::req_string(&obj, "customer_data")?;
    if data.len() > MAX_CUSTOMER_DATA {
        return Err(bad("customer_data: at most 256 bytes"));
    }
    let out = sim.write(|st| {
        let now = st.now().timestamp();
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_SUCH_MEETING)?;
        if !matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started) {
            return Err(errors::NO_MODIFY);
        }
        let link = match m.customer_links.iter().find(|l| l.customer_data == data) {
            Some(l) => l.clone(),
            None => {
                let l = CustomerLink {
                    customer_data: data.clone(),
                    token: random_alnum(12),
                };
                m.customer_links.push(l.clone());
                l
            }
        };
        Ok(json!({"meeting_short_url_customer_data": {
            "customer_data": link.customer_data, "meeting_short_url": link.url(),
        }}))
    })?;
    Ok(Json(out).into_response())
}

/// `GET /v1/meetings/{meeting_id}/customer-short-url` (note §3.8).
pub(crate) async fn list_customer_links(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let out = sim.read(|st| {
        let m = st.meetings.get(&id).ok_or(errors::NO_SUCH_MEETING)?;
        let list: Vec<Value> = m
            .customer_links
            .iter()
            .map(|l| json!({"customer_data": l.customer_data, "meeting_short_url": l.url()}))
            .collect();
        Ok(json!({"meeting_short_url_customer_data": list}))
    })?;
    Ok(Json(out).into_response())
}
