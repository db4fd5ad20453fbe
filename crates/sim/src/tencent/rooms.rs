//! Tencent Meeting Rooms (note §3.9): the room list and detail, booking rooms for a meeting
//! and releasing them, and the meetings of a room.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::state::{MeetingStatus, Room, State as SimState};
use super::wire::{self, field};
use super::TencentSim;

/// A booked meeting lasts at least 15 minutes and at most 24 hours (note §3.9).
const MIN_BOOKED_SECS: i64 = 15 * 60;
const MAX_BOOKED_SECS: i64 = 24 * 3600;
/// The room-meetings window: at most 90 days (note §3.9).
const MAX_WINDOW_SECS: i64 = 90 * 86_400;

fn bad(msg: impl Into<String>) -> ApiError {
    errors::BAD_PARAM.with_msg(msg)
}

fn room_json(r: &Room) -> Value {
    json!({
        "meeting_room_id": r.meeting_room_id,
        "meeting_room_name": r.meeting_room_name,
        "meeting_room_location": r.meeting_room_location,
        "account_type": 1,
        "account_new_type": 1,
        // 2 = idle.
        "meeting_room_status": 2,
        "scheduled_status": r.scheduled_status,
        "is_allow_call": true,
        "participant_number": r.participant_number,
        "active_code": r.active_code,
    })
}

/// `operator_id` + `operator_id_type` (1 = userid, documented on release-rooms and assumed on
/// book-rooms, note §3.9 FLAG): a member of the enterprise.
fn operator(st: &SimState, obj: &Map<String, Value>) -> Result<String, ApiError> {
    let op = wire::req_string(obj, "operator_id")?;
    if wire::req_int(obj, "operator_id_type")? != 1 {
        return Err(bad("operator_id_type: only 1 (userid) is served"));
    }
    if !st.is_member(&op) {
        return Err(errors::UNREGISTERED_USER.with_msg(format!("unregistered user: {op}")));
    }
    Ok(op)
}

fn room_ids(obj: &Map<String, Value>) -> Result<Vec<String>, ApiError> {
    let Some(Value::Array(items)) = field(obj, "meeting_room_id_list") else {
        return Err(bad("meeting_room_id_list is required"));
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let Value::String(id) = item else {
            return Err(bad("meeting_room_id_list: strings"));
        };
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    if out.is_empty() {
        return Err(bad("meeting_room_id_list is empty"));
    }
    Ok(out)
}

/// `POST /v1/meetings/{meeting_id}/book-rooms`.
pub(crate) async fn book(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let ids = room_ids(&obj)?;
    let subject_visible = wire::opt_bool(&obj, "subject_visible")?;
    let out = sim.write(|st| {
        operator(st, &obj)?;
        let now = st.now().timestamp();
        let m = st.meetings.get(&id).ok_or(errors::NO_SUCH_MEETING)?;
        if !matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started) {
            return Err(errors::NO_MODIFY);
        }
        if m.recurrence.is_some() {
            return Err(bad("rooms cannot be booked for recurring meetings"));
        }
        if !(MIN_BOOKED_SECS..=MAX_BOOKED_SECS).contains(&(m.end - m.start)) {
            return Err(bad("rooms can be booked for meetings of 15 minutes to 24 hours"));
        }
        let (start, end) = (m.start, m.end);
        for rid in &ids {
            let room = st
                .rooms
                .iter()
                .find(|r| &r.meeting_room_id == rid)
                .ok_or_else(|| bad(format!("no such meeting room: {rid}")))?;
            if room.scheduled_status != 1 {
                return Err(bad(format!("meeting room {rid} is not open for booking")));
            }
            if st.room_conflict(rid, start, end, &id).is_some() {
                return Err(errors::ROOM_OCCUPIED);
            }
        }
        let Some(m) = st.meetings.get_mut(&id) else {
            return Err(errors::NO_SUCH_MEETING);
        };
        for rid in ids.iter() {
            if !m.rooms.contains(rid) {
                m.rooms.push(rid.clone());
            }
        }
        if let Some(v) = subject_visible {
            m.subject_visible = v;
        }
        let booked: Vec<Value> = m
            .rooms
            .clone()
            .iter()
            .filter_map(|rid| st.rooms.iter().find(|r| &r.meeting_room_id == rid))
            .map(|r| {
                json!({"meeting_room_id": r.meeting_room_id, "meeting_room_name": r.meeting_room_name,
                    "meeting_room_location": r.meeting_room_location})
            })
            .collect();
        Ok(json!({"meeting_room_number": booked.len(), "meeting_room_list": booked}))
    })?;
    Ok(Json(out).into_response())
}

/// `POST /v1/meetings/{meeting_id}/release-rooms`: answers `{}` ("empty response", a JSON
/// body like cancel's: assumption). Releasing a room the meeting does not hold is a no-op.
pub(crate) async fn release(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let ids = room_ids(&obj)?;
    sim.write(|st| {
        operator(st, &obj)?;
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_SUCH_MEETING)?;
        m.rooms.retain(|r| !ids.contains(r));
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

fn page_params(q: &BTreeMap<String, String>, max_size: i64) -> Result<(i64, i64), ApiError> {
    let int = |key: &str, default: i64, hi: i64| match q.get(key).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=hi).contains(&n) => Ok(n),
            _ => Err(bad(format!("{key} must be 1-{hi}"))),
        },
    };
    Ok((
        int("page", 1, i64::from(i32::MAX))?,
        int("page_size", 20, max_size)?,
    ))
}

fn paged(rows: Vec<Value>, page: i64, size: i64, list_key: &str) -> Value {
    let total = rows.len() as i64;
    let list: Vec<Value> = rows
        .into_iter()
        .skip(usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(20))
        .collect();
    json!({
        "total_count": total,
        "total_page": (total + size - 1) / size,
        "current_page": page,
        "current_size": list.len(),
        list_key: list,
    })
}

/// `GET /v1/meeting-rooms?page=&page_size=&meeting_room_name=`. The page-size cap is not
/// documented; up to 100 is accepted (assumption).
pub(crate) async fn list(
    State(sim): State<TencentSim>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let (page, size) = page_params(&q, 100)?;
    let name = q
        .get("meeting_room_name")
        .filter(|s| !s.is_empty())
        .cloned();
    let out = sim.read(|st| {
        let rows: Vec<Value> = st
            .rooms
            .iter()
            .filter(|r| {
                name.as_ref()
                    .is_none_or(|n| r.meeting_room_name.contains(n.as_str()))
            })
            .map(room_json)
            .collect();
        Ok(paged(rows, page, size, "meeting_room_list"))
    })?;
    Ok(Json(out).into_response())
}

/// `GET /v1/meeting-rooms/{meeting_room_id}`; the response wrapper is not in the note, so
/// the room object is answered flat (assumption).
pub(crate) async fn detail(
    State(sim): State<TencentSim>,
    Path(room): Path<String>,
) -> Result<Response, ApiError> {
    let out = sim.read(|st| {
        st.rooms
            .iter()
            .find(|r| r.meeting_room_id == room)
            .map(room_json)
            .ok_or_else(|| bad(format!("no such meeting room: {room}")))
    })?;
    Ok(Json(out).into_response())
}

/// `GET /v1/meeting-rooms/{operator_id}/meetings?operator_id_type=5&instanceid=&start_time=
/// &end_time=&page=&page_size=`: the live meetings holding a room. Only `operator_id_type` 5
/// (meeting_room_id) is served; 3 (rooms_id, a Rooms device) needs device accounts the sandbox
/// does not have. The response shape is not in the note: the paged shape of the other lists
/// with `meeting_info_list` (assumption).
pub(crate) async fn meetings(
    State(sim): State<TencentSim>,
    Path(room): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    if q.get("operator_id_type").map(String::as_str) != Some("5") {
        return Err(bad("operator_id_type: only 5 (meeting_room_id) is served"));
    }
    let (page, size) = page_params(&q, 20)?;
    let time = |key: &str| -> Result<Option<i64>, ApiError> {
        match q.get(key).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse::<i64>()
                .map(Some)
                .map_err(|_| bad(format!("{key} must be Unix seconds"))),
        }
    };
    let out = sim.read(|st| {
        let now = st.now().timestamp();
        let from = time("start_time")?.unwrap_or(now);
        let to = time("end_time")?.unwrap_or(from + MAX_WINDOW_SECS);
        if to < from || to - from > MAX_WINDOW_SECS {
            return Err(bad("start_time..end_time: at most 90 days"));
        }
        if !st.rooms.iter().any(|r| r.meeting_room_id == room) {
            return Err(bad(format!("no such meeting room: {room}")));
        }
        let mut rows: Vec<_> = st
            .meetings
            .values()
            .filter(|m| m.rooms.contains(&room))
            .filter(|m| matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started))
            .filter(|m| m.start < to && from < m.end)
            .collect();
        rows.sort_by(|a, b| (a.start, &a.meeting_id).cmp(&(b.start, &b.meeting_id)));
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|m| {
                let subject = if m.subject_visible || m.start - now <= 3600 {
                    json!(m.subject)
                } else {
                    // subject_visible false: hidden until an hour before the start (§1.5).
                    json!("")
                };
                json!({"meeting_id": m.meeting_id, "meeting_code": m.meeting_code,
                    "subject": subject, "start_time": m.start, "end_time": m.end,
                    "status": m.status(now).wire(), "creator": m.creator})
            })
            .collect();
        Ok(paged(rows, page, size, "meeting_info_list"))
    })?;
    Ok(Json(out).into_response())
}
