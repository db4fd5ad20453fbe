//! Invitees (会议邀请成员, note §3.6) and guests (会议嘉宾, note §3.7): overwrite-style set and
//! list, creator only.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::errors::{self, ApiError};
use super::state::{Meeting, MeetingStatus, State as SimState};
use super::wire::{self, field};
use super::TencentSim;

/// Set-invitees cap (note §3.6).
pub(crate) const MAX_SET_INVITEES: usize = 2000;
/// The list's page size is not documented; 20 like the meeting list (assumption).
pub(crate) const INVITEES_PAGE: usize = 20;

fn bad(msg: impl Into<String>) -> ApiError {
    errors::BAD_PARAM.with_msg(msg)
}

/// The caller must be a member and the meeting's creator.
fn own_meeting<'a>(st: &'a SimState, id: &str, userid: &str) -> Result<&'a Meeting, ApiError> {
    if !st.is_member(userid) {
        return Err(errors::UNREGISTERED_USER.with_msg(format!("unregistered user: {userid}")));
    }
    let m = st.meetings.get(id).ok_or(errors::NO_SUCH_MEETING)?;
    if m.creator != userid {
        return Err(errors::NOT_CREATOR);
    }
    Ok(m)
}

fn changeable(m: &Meeting, now: i64) -> Result<(), ApiError> {
    if matches!(m.status(now), MeetingStatus::Init | MeetingStatus::Started) {
        Ok(())
    } else {
        Err(errors::NO_MODIFY)
    }
}

fn query_user(q: &BTreeMap<String, String>) -> Result<String, ApiError> {
    match q.get("instanceid").and_then(|s| s.parse::<i64>().ok()) {
        Some(n) if wire::valid_instanceid(n) => {}
        _ => return Err(bad("instanceid is required")),
    }
    q.get("userid")
        .filter(|u| !u.is_empty())
        .cloned()
        .ok_or_else(|| bad("userid is required"))
}

/// `PUT /v1/meetings/{meeting_id}/invitees`: overwrites; an empty or missing array clears.
/// "Same-enterprise users only": others are refused with 190001. Answers `{}` (the note says
/// "empty response"; a JSON body like cancel's, which the Python SDK needs: assumption).
pub(crate) async fn set_invitees(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let userid = wire::req_string(&obj, "userid")?;
    wire::instanceid(&obj)?;
    let invitees = if field(&obj, "invitees").is_some() {
        wire::opt_members(&obj, "invitees", MAX_SET_INVITEES)?.unwrap_or_default()
    } else {
        Vec::new()
    };
    sim.write(|st| {
        let now = st.now().timestamp();
        changeable(own_meeting(st, &id, &userid)?, now)?;
        if let Some(outsider) = invitees.iter().find(|m| !st.is_member(&m.userid)) {
            return Err(errors::UNREGISTERED_USER
                .with_msg(format!("unregistered user: {}", outsider.userid)));
        }
        if let Some(m) = st.meetings.get_mut(&id) {
            m.invitees = invitees.clone();
        }
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

/// `GET /v1/meetings/{meeting_id}/invitees?userid=&instanceid=[&pos=]`:
/// `{has_remaining, next_pos, invitees:[{userid, nick_name}]}`.
pub(crate) async fn list_invitees(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let userid = query_user(&q)?;
    let pos = match q.get("pos").filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| bad("pos must be a non-negative integer"))?,
    };
    let page = sim.read(|st| {
        let m = own_meeting(st, &id, &userid)?;
        let list: Vec<Value> = m
            .invitees
            .iter()
            .skip(pos)
            .take(INVITEES_PAGE)
            .map(|i| json!({"userid": i.userid, "nick_name": i.nick_name.clone().unwrap_or_else(|| i.userid.clone())}))
            .collect();
        let next_pos = pos.saturating_add(list.len());
        Ok(json!({
            "has_remaining": next_pos < m.invitees.len(),
            "next_pos": next_pos,
            "invitees": list,
        }))
    })?;
    Ok(Json(page).into_response())
}

/// `GET /v1/guests/{meeting_id}?userid=&instanceid=`.
pub(crate) async fn get_guests(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q = wire::query_map(query.as_deref())?;
    let userid = query_user(&q)?;
    let out = sim.read(|st| {
        let m = own_meeting(st, &id, &userid)?;
        Ok(json!({
            "meeting_id": m.meeting_id,
            "meeting_code": m.meeting_code,
            "subject": m.subject,
            "guests": serde_json::to_value(&m.guests).unwrap_or(Value::Null),
        }))
    })?;
    Ok(Json(out).into_response())
}

/// `PUT /v1/guests/{meeting_id}`: overwrites; `[]` clears. Answers `{}` (assumption).
pub(crate) async fn set_guests(
    State(sim): State<TencentSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let obj = wire::json_object(&body)?;
    let userid = wire::req_string(&obj, "userid")?;
    wire::instanceid(&obj)?;
    let guests = wire::opt_guests(&obj)?.unwrap_or_default();
    sim.write(|st| {
        let now = st.now().timestamp();
        changeable(own_meeting(st, &id, &userid)?, now)?;
        if let Some(m) = st.meetings.get_mut(&id) {
            m.guests = guests.clone();
        }
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}
