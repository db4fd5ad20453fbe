//! Chapter 4, recurring ("cycle") meetings: create series (4.2.4, L2517-2811), cancel series
//! (4.2.5, L2813-2891), cancel occurrences (4.2.6, L2893-2981), edit series (4.2.7,
//! L2983-3214) and edit one occurrence (4.2.8, L3216-3330). List and detail (4.2.9, 4.2.10)
//! show series through `wire::conference_info`.
//!
//! A series is one conferenceID with one set of join links and passwords; each occurrence is
//! a sub-conference with its own `cycleSubConfID` (note §3.17).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::RngExt;
use serde_json::{json, Map, Value};

use super::auth::caller;
use super::errors::{self, ApiError};
use super::meetings::{
    booking_from, conference_id_param, distinct_password, insert_new, may_manage, open_meeting,
};
use super::recurrence;
use super::state::{
    uuid_v1_seq, Cycle, CycleParams, Lifecycle, Meeting, MeetingPhase, NotifyEvent, Schedule,
    ShowAudienceCountInfo, State as SimState, SubConf, SubConfig,
};
use super::wire::{self, field, loose_bool, loose_int, AuthMode, BookingRequest, ViewerRole};
use super::HuaweiSim;
use crate::random_hex;

/// Subject of a series edited without one. The only edit-series example omits `subject` and
/// gets "Conference Topic" back (request L3059-3083, response L3101), while the create
/// default is "<booker>的会议" (L3425): the edit is a full overwrite whose default subject is
/// this one ([fake-decision], literal reading of the example, so a client that forgets the
/// subject sees it lost as it would on the real server).
const EDIT_DEFAULT_SUBJECT: &str = "Conference Topic";

/// `POST /v1/mmc/management/cycleconferences`: `ConferenceInfo[]` with one series.
pub(crate) async fn create(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let info = sim.write(|st| {
        let user = caller(st, &headers)?;
        let req = wire::parse_booking(&body, AuthMode::of(&user))?;
        let requested = recurrence::parse_cycle_params(&wire::json_object(&body)?)?;
        if req.vmr_flag == Some(1) {
            // The sandbox enterprise owns no cloud meeting rooms or personal meeting IDs.
            return Err(errors::VMR_DATA_NOT_FOUND);
        }
        let now = st.now().timestamp();
        let uuid_node = random_hex(16);
        let schedule = plan(&req, &requested, now, st, &uuid_node)?;
        // [fake-decision] a series counts as one booking against the free-tier daily quota.
        if !st.take_daily_quota(&user.uuid) {
            return Err(errors::CONF_NUM_UP_TO_LIMIT);
        }
        let booking = booking_from(req.clone(), schedule, false, format!("{}的会议", user.name));
        Ok(insert_new(
            st,
            &user,
            req.guest_pwd.as_deref(),
            booking,
            None,
            uuid_node,
            now,
        ))
    })?;
    Ok(Json(json!([info])).into_response())
}

/// `PUT /v1/mmc/management/cycleconferences?conferenceID=`: a full overwrite.
///
/// The example (L3059-3204) sends only mediaTypes and cycleParams and gets back subject
/// "Conference Topic", startTime "now", length 30 and new cycleSubConfIDs for every
/// occurrence (L3173 vs L2766): omitted fields reset to their defaults and every occurrence
/// is generated anew, so per-occurrence edits and cancellations are gone too.
///
/// The example also answers conferenceID 986256843 for a request on 914087436 (L3062 vs
/// L3099). The sim keeps the edited series' conferenceID, join links and passwords
/// ([fake-decision]): the response's links are byte-for-byte those of the create example
/// (L2730-2733), its curl sample edits 986256843 itself (L3213), and 914087436 is the
/// one-off edit example's ID (L2419), so the request line is the copy-paste, not the answer.
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
        let meeting = open_series(st, &id, now)?;
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        // "会议开始后，不能被修改" (L2987): any occurrence in progress blocks the edit.
        if meeting.phase(now) == MeetingPhase::Created {
            return Err(errors::MODIFY_STARTED);
        }
        let req = wire::parse_booking(&body, AuthMode::of(&user))?;
        let requested = recurrence::parse_cycle_params(&wire::json_object(&body)?)?;
        // vmrFlag/vmrID "不支持修改" (L3034-3036).
        let vmr_changed = req.vmr_flag.is_some_and(|f| f != meeting.booking.vmr_flag)
            || (req.vmr_id.is_some() && req.vmr_id != meeting.booking.vmr_id);
        if vmr_changed {
            return Err(errors::MODIFY_VMR_FLAG_FAIL);
        }
        let (vmr_flag, vmr_id) = (meeting.booking.vmr_flag, meeting.booking.vmr_id.clone());
        let schedule = plan(&req, &requested, now, st, &meeting.uuid_node)?;
        let guest_pwd = req.guest_pwd.clone();
        let mut booking = booking_from(req, schedule, false, EDIT_DEFAULT_SUBJECT.to_owned());
        booking.vmr_flag = vmr_flag;
        booking.vmr_id = vmr_id;

        let Some(meeting) = st.meetings.get_mut(&id) else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        if let Some(pwd) = guest_pwd {
            meeting.guest_password = pwd;
            if meeting.chair_password == meeting.guest_password {
                meeting.chair_password = distinct_password(Some(&meeting.guest_password));
            }
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

/// `DELETE /v1/mmc/management/cycleconferences?conferenceID=[&type=1]`: empty 200. By
/// default a series with an occurrence in progress cannot be cancelled (MMC.111071067);
/// `type=1` ends that occurrence and cancels the rest (L2837).
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
        let meeting = open_series(st, &id, now)?;
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        let phase = meeting.phase(now);
        if phase == MeetingPhase::Created && !end_running {
            return Err(errors::CANCEL_STARTED);
        }
        let Some(meeting) = st.meetings.get_mut(&id) else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        if let Some(cycle) = meeting.booking.schedule.cycle_mut() {
            for sub in &mut cycle.subs {
                match sub.phase(now) {
                    MeetingPhase::Created => sub.lifecycle = Lifecycle::Ended { at: now },
                    MeetingPhase::Schedule => sub.lifecycle = Lifecycle::Cancelled { at: now },
                    MeetingPhase::Destroyed | MeetingPhase::Cancelled => {}
                }
            }
        }
        meeting.lifecycle = if phase == MeetingPhase::Created {
            Lifecycle::Ended { at: now }
        } else {
            Lifecycle::Cancelled { at: now }
        };
        let meeting = meeting.clone();
        if phase == MeetingPhase::Schedule {
            st.notify(&meeting, NotifyEvent::Cancel);
        }
        Ok(())
    })?;
    Ok(().into_response())
}

/// `PUT /v1/mmc/management/conferences/cyclesubconf?conferenceID=`: moves or changes one
/// occurrence; the others keep their IDs and times. Empty 200 ("响应参数 无", L3286).
pub(crate) async fn edit_sub(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    sim.write(|st| {
        let user = caller(st, &headers)?;
        let id = conference_id_param(query.as_deref())?;
        let now = st.now().timestamp();
        let meeting = open_series(st, &id, now)?;
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        let change = parse_sub_edit(&wire::json_object(&body)?)?;
        let tz = recurrence::zone(&meeting.booking.time_zone_id);
        let Some(cycle) = meeting.booking.schedule.cycle() else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        // An unknown, cancelled or past cycleSubConfID: "会议不存在" ([fake-decision] the
        // document names no code for it; MMC.111070005, L27055, note §7.3 #15).
        let Some(idx) = cycle.subs.iter().position(|s| s.id == change.sub_id) else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        let sub = &cycle.subs[idx];
        match sub.phase(now) {
            MeetingPhase::Schedule => {}
            // "会议开始后，不能被修改" (L3220).
            MeetingPhase::Created => return Err(errors::MODIFY_STARTED),
            MeetingPhase::Destroyed | MeetingPhase::Cancelled => {
                return Err(errors::CONF_DATA_NOT_FOUND)
            }
        }
        if change.start < now - now.rem_euclid(60) {
            return Err(errors::START_TIME_IN_PAST);
        }
        check_move(cycle, idx, change.start, change.length_min, tz)?;
        let config = match &change.config {
            Some(c) => apply_sub_config(sub.config.clone(), c)?,
            None => sub.config.clone(),
        };

        let Some(cycle) = st
            .meetings
            .get_mut(&id)
            .and_then(|m| m.booking.schedule.cycle_mut())
        else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        let sub = &mut cycle.subs[idx];
        sub.start = change.start;
        sub.length_min = change.length_min;
        sub.media_types = change.media_types;
        sub.config = config;
        // [fake-decision] optional fields left out keep their value: the table marks them
        // "否" and nothing shows a reset for this endpoint (unlike the series edit).
        if let Some(v) = change.is_auto_record {
            sub.is_auto_record = v;
        }
        if let Some(v) = change.record_auth_type {
            sub.record_auth_type = v;
        }
        if let Some(d) = change.description {
            sub.description = Some(d);
        }
        sub.edited = true;
        Ok(())
    })?;
    Ok(().into_response())
}

/// `DELETE /v1/mmc/management/conferences/cyclesubconf?conferenceID=[&type=1]` with the JSON
/// body `{"cycleSubConfIDs": [...]}` (L2924; the example's `cycleSubConflDs` at L2953 is a PDF
/// I/l artifact, note §6.1, and like any other unknown key it does not count). Empty 200.
pub(crate) async fn cancel_subs(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    sim.write(|st| {
        let user = caller(st, &headers)?;
        let q = wire::query_map(query.as_deref())?;
        let id = conference_id_param(query.as_deref())?;
        let end_running = wire::query_int(&q, "type", 0, i64::MIN..=i64::MAX)? == 1;
        let now = st.now().timestamp();
        let meeting = open_series(st, &id, now)?;
        if !may_manage(&user, meeting) {
            return Err(errors::INSUFFICIENT_PERMISSIONS);
        }
        // The curl sample sends no body at all (L2980): [fake-decision] no body is the same
        // as an empty list, MMC.111071016 "取消周期会议ID列表不能为空" (L27066).
        let ids: Vec<String> = if body.iter().all(u8::is_ascii_whitespace) {
            Vec::new()
        } else {
            let obj = match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(obj)) => obj,
                _ => return Err(errors::JSON_CONVERSION_FAILED),
            };
            match field(&obj, "cycleSubConfIDs") {
                None => Vec::new(),
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(errors::PARAMETER_VERIFIED_FAIL)?,
                Some(_) => return Err(errors::PARAMETER_VERIFIED_FAIL),
            }
        };
        if ids.is_empty() {
            return Err(errors::PARAMS_NULL);
        }
        let Some(cycle) = meeting.booking.schedule.cycle() else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        // All or nothing: one bad ID and nothing is cancelled ([fake-decision]).
        let mut targets = Vec::new();
        for wanted in &ids {
            let Some(idx) = cycle.subs.iter().position(|s| &s.id == wanted) else {
                return Err(errors::CONF_DATA_NOT_FOUND);
            };
            match cycle.subs[idx].phase(now) {
                MeetingPhase::Schedule => {}
                // "默认已召开的会议不能取消" (L2917): type=1 ends it.
                MeetingPhase::Created if end_running => {}
                MeetingPhase::Created => return Err(errors::CANCEL_STARTED),
                MeetingPhase::Destroyed | MeetingPhase::Cancelled => {
                    return Err(errors::CONF_DATA_NOT_FOUND)
                }
            }
            if !targets.contains(&idx) {
                targets.push(idx);
            }
        }
        let Some(cycle) = st
            .meetings
            .get_mut(&id)
            .and_then(|m| m.booking.schedule.cycle_mut())
        else {
            return Err(errors::CONF_DATA_NOT_FOUND);
        };
        for idx in targets {
            let sub = &mut cycle.subs[idx];
            sub.lifecycle = if sub.phase(now) == MeetingPhase::Created {
                Lifecycle::Ended { at: now }
            } else {
                Lifecycle::Cancelled { at: now }
            };
        }
        Ok(())
    })?;
    Ok(().into_response())
}

/// An open series (not cancelled, not entirely over); anything else, one-off meetings
/// included, is MMC.111070005 ([fake-decision] for one-off IDs: the document does not say
/// what `/cycleconferences` answers for them).
fn open_series<'a>(st: &'a SimState, id: &str, now: i64) -> Result<&'a Meeting, ApiError> {
    open_meeting(st, id, now)
        .ok()
        .filter(|m| m.booking.schedule.cycle().is_some())
        .ok_or(errors::CONF_DATA_NOT_FOUND)
}

/// The occurrences of a series booked (or rebooked) at `now`.
///
/// - The time of day is startTime's, read in the timeZoneID zone; an empty startTime means
///   "now" (L2546). startTime's own date plays no part ([fake-decision]: the document ties
///   the dates to startDate..endDate only, L1952-1953, note §6.3 #22), but a startTime before
///   the current minute is refused like on create (MMC.111071013, same table text).
/// - startDate earlier than today in that zone: "开始日期不能早于当前日期" (L1952);
///   [fake-decision] code MMC.111071013 (note §7.3 #12, INFERRED).
/// - Occurrences not after now are dropped; none left: MMC.111071069 "您选定的时间中没有会议"
///   ([fake-decision], L27090).
/// - First occurrence beyond the booking horizon: MMC.111071014, as on create.
fn plan(
    req: &BookingRequest,
    requested: &CycleParams,
    now: i64,
    st: &SimState,
    uuid_node: &str,
) -> Result<Schedule, ApiError> {
    let this_minute = now - now.rem_euclid(60);
    let anchor = match req.start {
        None => this_minute,
        Some(t) if t < this_minute => return Err(errors::START_TIME_IN_PAST),
        Some(t) => t,
    };
    let tz = recurrence::zone(&req.time_zone_id);
    let today = recurrence::local_of(tz, now).date();
    if requested.start_date < today {
        return Err(errors::START_TIME_IN_PAST);
    }
    let time = recurrence::local_of(tz, anchor).time();
    let (params, starts) = recurrence::expand(requested, tz, time, now);
    let Some(&first) = starts.first() else {
        return Err(errors::NO_CONF_IN_SELECTED_TIME);
    };
    if first > now + i64::from(st.options.booking_horizon_days) * 86_400 {
        return Err(errors::START_TIME_TOO_FAR);
    }
    // cycleSubConfIDs: UUIDv1 of this moment with consecutive timestamps, the clock sequence
    // of the series and a node of their own, like `fe24d135…be71a328…`/`fe24d136…be71fdd2…`
    // (L2766, L2782).
    let base = rand::rng().random_range(0..9_000_000u64);
    let clock_seq = uuid_node.get(..4).unwrap_or("0000");
    let subs = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| SubConf {
            id: uuid_v1_seq(
                now,
                base + i as u64,
                &format!("{clock_seq}{}", random_hex(12)),
            ),
            start,
            length_min: req.length_min,
            media_types: req.media_types.clone(),
            is_auto_record: req.is_auto_record,
            record_auth_type: req.record_auth_type,
            config: SubConfig::of(&req.config),
            description: None,
            lifecycle: Lifecycle::Active,
            forced_start: None,
            edited: false,
        })
        .collect();
    Ok(Schedule::Cycle(Box::new(Cycle {
        params,
        length_min: req.length_min,
        subs,
    })))
}

/// A validated 4.2.8 body (Table 4-42, L3246-3271).
struct SubEdit {
    sub_id: String,
    media_types: String,
    start: i64,
    length_min: u32,
    is_auto_record: Option<u8>,
    record_auth_type: Option<u8>,
    config: Option<Map<String, Value>>,
    description: Option<String>,
}

fn parse_sub_edit(obj: &Map<String, Value>) -> Result<SubEdit, ApiError> {
    let bad = errors::PARAMETER_VERIFIED_FAIL;
    // The live room belongs to the series (MMC.111071070, L27091); the table has no such
    // field, so [fake-decision] sending one is that error.
    for key in ["liveAddress", "auxAddress", "liveAddresses", "auxAddresses"] {
        if field(obj, key).is_some() {
            return Err(errors::SUB_CANNOT_MODIFY_LIVE_ROOM);
        }
    }
    let sub_id = wire::opt_nonempty(obj, "cycleSubConfID")?.ok_or(bad)?;
    let media_types = match wire::opt_nonempty(obj, "mediaTypes")? {
        Some(m) => wire::normalize_media_types(&m)?,
        None => return Err(bad),
    };
    // Required here ("是", L3248-3249); the "empty = start now" and "default 30" notes are
    // copied from create (note §6.3 #24): [fake-decision] missing or empty is refused.
    let start = match wire::opt_string(obj, "startTime")? {
        Some(s) if !s.is_empty() => wire::parse_start_time(&s)?,
        _ => return Err(bad),
    };
    let length_min = wire::opt_int_in(obj, "length", 15..=1440, bad)?.ok_or(bad)?;
    let is_auto_record = wire::opt_int_in(obj, "isAutoRecord", 0..=1, bad)?.map(|n| n as u8);
    let record_auth_type = wire::opt_int_in(obj, "recordAuthType", 0..=2, bad)?.map(|n| n as u8);
    let description = wire::opt_string(obj, "description")?;
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        return Err(bad);
    }
    let config = match field(obj, "confConfigInfo") {
        None => None,
        Some(Value::Object(c)) => Some(c.clone()),
        Some(_) => return Err(bad),
    };
    Ok(SubEdit {
        sub_id,
        media_types,
        start,
        length_min: length_min as u32,
        is_auto_record,
        record_auth_type,
        config,
        description,
    })
}

/// The restricted ConfConfigInfo of 4.2.8 (Table 4-43/4-44, L3257-3275) over the current one.
fn apply_sub_config(mut cfg: SubConfig, c: &Map<String, Value>) -> Result<SubConfig, ApiError> {
    let bad = errors::PARAMETER_VERIFIED_FAIL;
    if let Some(v) = field(c, "callInRestriction") {
        match loose_int(v) {
            Some(n @ (0 | 2 | 3)) => cfg.call_in_restriction = n as u8,
            _ => return Err(bad),
        }
    }
    if let Some(v) = field(c, "audienceCallInRestriction") {
        match loose_int(v) {
            Some(n @ (0 | 2)) => cfg.audience_call_in_restriction = n as u8,
            _ => return Err(bad),
        }
    }
    if let Some(v) = field(c, "allowGuestStartConf") {
        cfg.allow_guest_start_conf = loose_bool(v).ok_or(bad)?;
    }
    if let Some(v) = field(c, "enableWaitingRoom") {
        cfg.enable_waiting_room = loose_bool(v).ok_or(bad)?;
    }
    match field(c, "showAudienceCountInfo") {
        None => {}
        Some(Value::Object(s)) => {
            let mode = wire::opt_int_in(s, "showAudienceMode", 0..=1, bad)?.unwrap_or(0);
            let base = wire::opt_int_in(s, "baseAudienceCount", 0..=10_000, bad)?.unwrap_or(0);
            // 1-10 with at most one decimal (Table 4-44).
            let multiple = match field(s, "multiple") {
                None => 1.0,
                Some(v) => match v.as_f64() {
                    Some(x)
                        if (1.0..=10.0).contains(&x)
                            && ((x * 10.0).round() - x * 10.0).abs() < 1e-9 =>
                    {
                        x
                    }
                    _ => return Err(bad),
                },
            };
            cfg.show_audience_count_info = Some(ShowAudienceCountInfo {
                show_audience_mode: mode as u8,
                base_audience_count: base as u32,
                multiple,
            });
        }
        Some(_) => return Err(bad),
    }
    Ok(cfg)
}

/// MMC.111071119 SUB_CYCONF_MODIFY_TIME_OVER_RANGE ("修改时间超出范围", L27097) names no
/// range. [fake-decision] an occurrence stays inside its series and in its place: its new
/// local date lies within cycleParams startDate..endDate, and it neither overlaps nor passes
/// the occurrences before and after it that are not cancelled.
fn check_move(
    cycle: &Cycle,
    idx: usize,
    start: i64,
    length_min: u32,
    tz: chrono_tz::Tz,
) -> Result<(), ApiError> {
    let over = errors::SUB_MODIFY_TIME_OVER_RANGE;
    let local = recurrence::local_of(tz, start).date();
    if local < cycle.params.start_date || local > cycle.params.end_date {
        return Err(over);
    }
    let end = start + i64::from(length_min) * 60;
    let alive = |s: &&SubConf| !matches!(s.lifecycle, Lifecycle::Cancelled { .. });
    let prev = cycle.subs[..idx].iter().rev().find(alive);
    let next = cycle.subs[idx + 1..].iter().find(alive);
    if prev.is_some_and(|p| start < p.window().1) || next.is_some_and(|n| end > n.window().0) {
        return Err(over);
    }
    Ok(())
}
