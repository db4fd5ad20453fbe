//! Chapter 4, one-off meetings: create (4.2.1), cancel (4.2.2), edit (4.2.3), list (4.2.9) and
//! detail (4.2.10).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::auth::caller;
use super::errors::{self, ApiError};
use super::state::{
    uuid_v1, Booking, Lifecycle, Meeting, MeetingPhase, NotifyEvent, Schedule, State as SimState,
    User,
};
use super::wire::{self, AuthMode, BookingRequest, ViewerRole};
use super::HuaweiSim;
use crate::random_hex;

/// `POST /v1/mmc/management/conferences`: a JSON array with one ConferenceInfo (L1999).
pub(crate) async fn create(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let info = sim.write(|st| {
        let user = caller(st, &headers)?;
        let req = wire::parse_booking(&body, AuthMode::of(&user))?;
        if req.vmr_flag == Some(1) {
            // The sandbox enterprise owns no cloud meeting rooms or personal meeting IDs.
            return Err(errors::VMR_DATA_NOT_FOUND);
        }
        let now = st.now().timestamp();
        let booking = resolve(req.clone(), now, st, &user)?;
        if !st.take_daily_quota(&user.uuid) {
            return Err(errors::CONF_NUM_UP_TO_LIMIT);
        }
        let uuid_node = random_hex(16);
        let conf_uuid = booking.immediate.then(|| uuid_v1(now, &uuid_node));
        Ok(insert_new(
            st,
            &user,
            req.guest_pwd.as_deref(),
            booking,
            conf_uuid,
            uuid_node,
            now,
        ))
    })?;
    Ok(Json(json!([info])).into_response())
}

/// Stores a new conference (one-off or series) of `user` and answers its ConferenceInfo as
/// the chair sees it: the guest password as asked, else a fresh one unlike the chair's; new
/// join links; the create notice.
pub(crate) fn insert_new(
    st: &mut SimState,
    user: &User,
    guest_pwd: Option<&str>,
    booking: Booking,
    conf_uuid: Option<String>,
    uuid_node: String,
    now: i64,
) -> Value {
    let chair_password = distinct_password(guest_pwd);
    let guest_password = guest_pwd.map(str::to_string).unwrap_or_else(|| {
        let mut p = numeric_password();
        while p == chair_password {
            p = numeric_password();
        }
        p
    });
    let meeting = Meeting {
        conference_id: st.new_conference_id(),
        owner: user.uuid.clone(),
        owner_name: user.name.clone(),
        conf_uuid,
        booking,
        chair_password,
        guest_password,
        chair_link: random_hex(48),
        guest_link: random_hex(48),
        uuid_node,
        forced_start: None,
        lifecycle: Lifecycle::Active,
        created_at: now,
    };
    st.notify(&meeting, NotifyEvent::Create);
    let info = wire::conference_info(
        &meeting,
        &st.enterprise,
        &st.options,
        now,
        ViewerRole::Chair,
        false,
    );
    st.meetings.insert(meeting.conference_id.clone(), meeting);
    info
}

/// `PUT /v1/mmc/management/conferences?conferenceID=`: replaces the main fields and the
/// attendees (whether omitted fields are kept is undocumented, note §6.3 #35; the series edit
/// example resets them, L3085-3204, so the sim treats every edit as a full definition). The
/// conference ID, join links and host password stay; the guest password stays unless
/// confConfigInfo.guestPwd sets a new one.
pub(crate) async fn edit(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let info = sim.write(|st| {
        let user = caller(st, &headers)?;
        let id = conference_id_param(query.as_deref())?;
        let now = st.now().timestamp();
        let meeting = open_single(st, &id, now)?;
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        if meeting.phase(now) == MeetingPhase::Created {
            return Err(errors::MODIFY_STARTED);
        }
        let req = wire::parse_booking(&body, AuthMode::of(&user))?;
        // vmrFlag/vmrID "不支持修改" (L2391-2393).
        let vmr_changed = req.vmr_flag.is_some_and(|f| f != meeting.booking.vmr_flag)
            || (req.vmr_id.is_some() && req.vmr_id != meeting.booking.vmr_id);
        if vmr_changed {
            return Err(errors::MODIFY_VMR_FLAG_FAIL);
        }
        let owner = st
            .user(&meeting.owner)
            .cloned()
            .unwrap_or_else(|| user.clone());
        let mut booking = resolve(req.clone(), now, st, &owner)?;
        booking.vmr_flag = meeting.booking.vmr_flag;
        booking.vmr_id = meeting.booking.vmr_id.clone();

        let Some(meeting) = st.meetings.get_mut(&id) else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        if let Some(pwd) = req.guest_pwd {
            meeting.guest_password = pwd;
            if meeting.chair_password == meeting.guest_password {
                meeting.chair_password = distinct_password(Some(&meeting.guest_password));
            }
        }
        if booking.immediate {
            // Edit documents empty startTime as "start now" too (L2370).
            meeting.conf_uuid = Some(uuid_v1(now, &meeting.uuid_node));
        }
        meeting.booking = booking;
        let meeting = meeting.clone();
        st.notify(&meeting, NotifyEvent::Modify);
        Ok(wire::conference_info(
            &meeting,
            &st.enterprise,
            &st.options,
            now,
            ViewerRole::Chair,
            false,
        ))
    })?;
    Ok(Json(json!([info])).into_response())
}

/// `DELETE /v1/mmc/management/conferences?conferenceID=[&type=1]`: empty 200 (L2260-2338).
pub(crate) async fn cancel(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    sim.write(|st| {
        let user = caller(st, &headers)?;
        let q = wire::query_map(query.as_deref())?;
        let id = conference_id_param(query.as_deref())?;
        let end_running = wire::query_int(&q, "type", 0, i64::MIN..=i64::MAX)? == 1;
        let now = st.now().timestamp();
        let meeting = open_single(st, &id, now)?;
        // Enterprise admins may cancel anyone's meeting, users only their own (L2264).
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        let phase = meeting.phase(now);
        let Some(meeting) = st.meetings.get_mut(&id) else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        match phase {
            MeetingPhase::Created if !end_running => return Err(errors::CANCEL_STARTED),
            MeetingPhase::Created => meeting.lifecycle = Lifecycle::Ended { at: now },
            _ => meeting.lifecycle = Lifecycle::Cancelled { at: now },
        }
        let meeting = meeting.clone();
        if phase == MeetingPhase::Schedule {
            st.notify(&meeting, NotifyEvent::Cancel);
        }
        Ok(())
    })?;
    Ok(().into_response())
}

/// `GET /v1/mmc/management/conferences` (4.2.9, L3332-3496): meetings not yet ended.
pub(crate) async fn list(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let page = sim.read(|st| {
        let user = caller(st, &headers)?;
        let q = wire::query_map(query.as_deref())?;
        let bad = errors::PARAMETER_VERIFIED_FAIL;
        let offset = wire::query_int(&q, "offset", 0, 0..=i64::from(i32::MAX))?;
        // Max 500 (L3360); beyond is undocumented, the sim refuses rather than clamps.
        let limit = wire::query_int(&q, "limit", 20, 1..=500)?;
        let query_all = match q.get("queryAll").map(String::as_str) {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(bad),
        };
        let search = q
            .get("searchKey")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_lowercase());
        if search.as_ref().is_some_and(|s| s.chars().count() > 128) {
            return Err(bad);
        }
        let now = st.now().timestamp();
        // queryConfMode: the window the start time must fall in, counted from now (INFERRED:
        // the document only names ADAY/AWEEK/AMONTH/ALL, L3363).
        let window = match q.get("queryConfMode").map(String::as_str) {
            None | Some("") | Some("ALL") => None,
            Some("ADAY") => Some(86_400),
            Some("AWEEK") => Some(7 * 86_400),
            Some("AMONTH") => Some(30 * 86_400),
            Some(_) => return Err(bad),
        };
        let descending = match q.get("sortType").map(String::as_str) {
            None | Some("") | Some("ASC_StartTIME") => false,
            Some("DSC_StartTIME") => true,
            Some(_) => return Err(bad),
        };
        // Admins may list another user (userUUID, L3358) or everyone (queryAll); others get
        // their own and invited meetings, whatever they pass.
        let other_user = q
            .get("userUUID")
            .filter(|u| user.is_admin() && !u.is_empty());

        let mut rows: Vec<&Meeting> = st
            .meetings
            .values()
            .filter(|m| matches!(m.phase(now), MeetingPhase::Schedule | MeetingPhase::Created))
            .filter(|m| match other_user {
                Some(uuid) => &m.owner == uuid,
                None if user.is_admin() && query_all => true,
                None => m.owner == user.uuid || m.invites(&user),
            })
            .filter(|m| window.is_none_or(|w| m.window(now).0 < now + w))
            .filter(|m| {
                search.as_ref().is_none_or(|s| {
                    m.booking.subject.to_lowercase().contains(s)
                        || m.owner_name.to_lowercase().contains(s)
                        || m.conference_id.contains(s.as_str())
                })
            })
            .collect();
        rows.sort_by_key(|m| (m.window(now).0, m.conference_id.clone()));
        if descending {
            rows.reverse();
        }
        let count = rows.len();
        let data: Vec<Value> = rows
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(20))
            .map(|m| {
                wire::conference_info(m, &st.enterprise, &st.options, now, viewer(&user, m), false)
            })
            .collect();
        Ok(json!({"offset": offset, "limit": limit, "count": count, "data": data}))
    })?;
    Ok(Json(page).into_response())
}

/// `GET /v1/mmc/management/conferences/confDetail?conferenceID=` (4.2.10, L3498-3844):
/// `{conferenceData, data: PageParticipant}`; ended meetings are history, not details.
pub(crate) async fn detail(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let page = sim.read(|st| {
        let user = caller(st, &headers)?;
        let q = wire::query_map(query.as_deref())?;
        let id = conference_id_param(query.as_deref())?;
        let offset = wire::query_int(&q, "offset", 0, 0..=i64::from(i32::MAX))?;
        let limit = wire::query_int(&q, "limit", 20, 1..=500)?;
        let search = q
            .get("searchKey")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_lowercase());
        let now = st.now().timestamp();
        let meeting = open_meeting(st, &id, now)?;
        if !(meeting.owner == user.uuid || meeting.invites(&user) || user.is_admin()) {
            return Err(errors::ROLE_AUTHENTICATION_FAILED);
        }
        let matching: Vec<Value> = meeting
            .booking
            .attendees
            .iter()
            .filter(|a| {
                search.as_ref().is_none_or(|s| {
                    [&a.name, &a.phone, &a.email, &a.account_id]
                        .into_iter()
                        .flatten()
                        .any(|f| f.to_lowercase().contains(s))
                })
            })
            .map(wire::participant_info)
            .collect();
        let count = matching.len();
        let data: Vec<Value> = matching
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(20))
            .collect();
        let info = wire::conference_info(
            meeting,
            &st.enterprise,
            &st.options,
            now,
            viewer(&user, meeting),
            true,
        );
        Ok(json!({
            "conferenceData": info,
            "data": {"offset": offset, "limit": limit, "count": count, "data": data},
        }))
    })?;
    Ok(Json(page).into_response())
}

/// Apply the clock-dependent checks to a parsed body and produce the stored booking.
fn resolve(
    req: BookingRequest,
    now: i64,
    st: &SimState,
    owner: &User,
) -> Result<Booking, ApiError> {
    let this_minute = now - now.rem_euclid(60);
    let (start, immediate) = match req.start {
        None => (this_minute, true),
        // The current minute is still "now"; anything earlier is in the past.
        Some(t) if t < this_minute => return Err(errors::START_TIME_IN_PAST),
        Some(t) if t > now + i64::from(st.options.booking_horizon_days) * 86_400 => {
            return Err(errors::START_TIME_TOO_FAR)
        }
        Some(t) => (t, false),
    };
    let length_min = req.length_min;
    // Default subject "<booker>的会议", as in the list example "user01的会议" (L3425).
    let subject = format!("{}的会议", owner.name);
    Ok(booking_from(
        req,
        Schedule::Single { start, length_min },
        immediate,
        subject,
    ))
}

/// The stored booking of a parsed body with its schedule decided.
pub(super) fn booking_from(
    req: BookingRequest,
    schedule: Schedule,
    immediate: bool,
    default_subject: String,
) -> Booking {
    Booking {
        subject: req.subject.unwrap_or(default_subject),
        media_types: req.media_types,
        schedule,
        immediate,
        time_zone_id: req.time_zone_id,
        language: req.language,
        attendees: req.attendees,
        config: req.config,
        record_type: req.record_type,
        is_auto_record: req.is_auto_record,
        record_aux_stream: req.record_aux_stream,
        record_auth_type: req.record_auth_type,
        encrypt_mode: req.encrypt_mode,
        live_address: req.live_address,
        aux_address: req.aux_address,
        vmr_flag: req.vmr_flag.unwrap_or(0),
        vmr_id: req.vmr_id,
        concurrent_participants: req.concurrent_participants,
        support_simultaneous_interpretation: req.support_simultaneous_interpretation,
    }
}

pub(super) fn conference_id_param(query: Option<&str>) -> Result<String, ApiError> {
    let q = wire::query_map(query)?;
    q.get("conferenceID")
        .filter(|id| !id.is_empty())
        .cloned()
        .ok_or(errors::PARAMETER_VERIFIED_FAIL)
}

/// A meeting that has neither been cancelled nor ended; anything else is "not found"
/// (MMC.111070005 "请检查会议ID是否正确,或会议是否已召开", L27055).
pub(super) fn open_meeting<'a>(
    st: &'a SimState,
    id: &str,
    now: i64,
) -> Result<&'a Meeting, ApiError> {
    st.meetings
        .get(id)
        .filter(|m| matches!(m.phase(now), MeetingPhase::Schedule | MeetingPhase::Created))
        .ok_or(errors::CONF_DATA_NOT_FOUND)
}

/// An open one-off meeting. A series is not one: it is edited and cancelled through
/// `/cycleconferences` (4.2.5, 4.2.7), and [fake-decision] the one-off endpoints answer
/// MMC.111070005 for it, as for any conference they do not hold.
fn open_single<'a>(st: &'a SimState, id: &str, now: i64) -> Result<&'a Meeting, ApiError> {
    open_meeting(st, id, now)
        .ok()
        .filter(|m| m.booking.schedule.cycle().is_none())
        .ok_or(errors::CONF_DATA_NOT_FOUND)
}

pub(super) fn may_manage(user: &User, m: &Meeting) -> bool {
    m.owner == user.uuid || user.is_admin()
}

/// Chair for the booker and for invitees booked as host (role 1); general otherwise.
pub(super) fn viewer(user: &User, m: &Meeting) -> ViewerRole {
    let host_invitee = m
        .booking
        .attendees
        .iter()
        .any(|a| a.role == 1 && user.is_named_by(a));
    if m.owner == user.uuid || host_invitee {
        ViewerRole::Chair
    } else {
        ViewerRole::General
    }
}

/// 6-digit meeting password.
pub(super) fn numeric_password() -> String {
    super::state::random_digits(6)
}

/// A host password different from the guest one (USG.201080006: they must differ).
pub(super) fn distinct_password(guest: Option<&str>) -> String {
    loop {
        let p = numeric_password();
        if Some(p.as_str()) != guest {
            return p;
        }
    }
}
