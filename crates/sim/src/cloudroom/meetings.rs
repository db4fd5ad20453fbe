//! The meeting endpoints (L114-L574): create, modify, query, join, end, delete, list, history.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::state::{
    default_permission, random_digits, Attributes, ConfStatus, Join, Meeting, State as SimState,
};
use super::wire::{self, Order};
use super::CloudroomSim;

type Answer = Result<Json<Value>, ApiError>;

/// A `{confId}` path segment: a Long, else 400 (note §10).
pub(crate) fn conf_id(raw: &str) -> Result<i64, ApiError> {
    if raw.is_empty() || raw.len() > 18 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(errors::BAD_REQUEST);
    }
    raw.parse().map_err(|_| errors::BAD_REQUEST)
}

/// Invitees: create reads `inviteIds` (L127), modify `inviteeIds` (L168); the other spelling
/// only when lenient (note §10).
fn invitee_field<'a>(
    body: &'a Map<String, Value>,
    own: &str,
    other: &str,
    lenient: bool,
) -> Option<&'a Value> {
    match body.get(own) {
        Some(v) if !v.is_null() => Some(v),
        _ if lenient => body.get(other),
        _ => None,
    }
}

/// The people fields shared by create and modify: (host, invitees, assistants), each None
/// when absent. 22223 unknown host, 22228 unknown invitee, 22234 more than four co-hosts,
/// 22235 unknown co-host.
type People = (Option<i64>, Option<Vec<i64>>, Option<Vec<i64>>);

fn people(
    st: &SimState,
    body: &Map<String, Value>,
    invitees: Option<&Value>,
) -> Result<People, ApiError> {
    let host = wire::long(body.get("hostId"))?;
    if let Some(h) = host {
        if st.user(h).is_none() {
            return Err(errors::NO_HOST);
        }
    }
    let invitees = wire::longs(invitees)?;
    if let Some(ids) = &invitees {
        if ids.iter().any(|id| st.user(*id).is_none()) {
            return Err(errors::NO_INVITEE);
        }
    }
    let assistants = wire::longs(body.get("assistantInfos"))?;
    if let Some(ids) = &assistants {
        if ids.len() > 4 {
            return Err(errors::TOO_MANY_ASSISTANTS);
        }
        if ids.iter().any(|id| st.user(*id).is_none()) {
            return Err(errors::NO_ASSISTANT);
        }
    }
    Ok((host, invitees.map(dedup), assistants.map(dedup)))
}

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    let mut seen = Vec::new();
    ids.retain(|id| {
        let new = !seen.contains(id);
        seen.push(*id);
        new
    });
    ids
}

fn notice(v: Option<&Value>) -> Result<Option<i64>, ApiError> {
    match wire::long(v)? {
        Some(n) if n != 0 && n != 1 => Err(errors::BAD_REQUEST),
        other => Ok(other),
    }
}

fn vote_ids(v: Option<&Value>) -> Result<Vec<String>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| wire::string(Some(i))?.ok_or(errors::BAD_REQUEST))
            .collect(),
        Some(_) => Err(errors::BAD_REQUEST),
    }
}

/// POST /v2/conference (L114-L153) → `{"confId": Long}`.
///
/// Validation order [fake-decision]: subject (22209, 22212) → password (22210) → orderConfig
/// (22214, 22216, 22215, 22217, 22219, 22218, 22222, 22220, 22211, 22213, 22221) → people
/// (22223, 22228, 22234, 22235) → notices → attributes (22226, 22225) → `allowJoin=2` with no
/// invitee (22229 "邀请人不能为空") → permission.
pub(crate) async fn create(State(sim): State<CloudroomSim>, body: Bytes) -> Answer {
    let body = wire::object(&body)?;
    let conf_id = sim.write(|st| {
        let now = st.now_s();
        let subject = wire::subject(body.get("subject"))?;
        let password = wire::password(body.get("password"))?.unwrap_or_default();
        let schedule = match wire::order_config(body.get("orderConfig"), now, &st.options)? {
            None | Some(Order::Instant) => None,
            // A period without times on create: no start to repeat (22214).
            Some(Order::PeriodOnly(_)) => return Err(errors::NO_START),
            Some(Order::Scheduled(s)) => Some(s),
        };
        let lenient = st.options.lenient_invitee_field;
        let (host, invitees, assistants) = people(
            st,
            &body,
            invitee_field(&body, "inviteIds", "inviteeIds", lenient),
        )?;
        let email_notice = notice(body.get("emailNotice"))?.unwrap_or(0);
        let sms_notice = notice(body.get("smsNotice"))?.unwrap_or(0);
        let mut attributes = Attributes::defaults();
        wire::attributes(body.get("attributes"), &mut attributes)?;
        let invitees = invitees.unwrap_or_default();
        if attributes.allow_join == 2 && invitees.is_empty() {
            return Err(errors::EMPTY_INVITEES);
        }
        let mut permission = default_permission();
        wire::permission(body.get("permission"), &mut permission)?;
        // `votelds` (L135, surely `voteIds`): kept under either spelling, never used.
        let votes = vote_ids(body.get("votelds").or(body.get("voteIds")))?;
        let id = st.new_conf_id();
        let host_code = st.new_code();
        let mut public_code = st.new_code();
        while public_code == host_code {
            public_code = st.new_code();
        }
        st.meetings.insert(
            id,
            Meeting {
                conf_id: id,
                subject,
                host_id: host.unwrap_or(st.creator_id),
                owner_id: st.creator_id,
                invitee_ids: invitees,
                assistant_ids: assistants.unwrap_or_default(),
                password,
                email_notice,
                sms_notice,
                schedule,
                attributes,
                permission,
                vote_ids: votes,
                host_code,
                public_code,
                pstn_num: "008675536550000".to_owned(),
                pstn_pwd: random_digits(6),
                created_at: now,
                joined_until: None,
                started_at: None,
                host_until: None,
                joins: Vec::new(),
                ended_at: None,
            },
        );
        Ok(id)
    })?;
    Ok(Json(json!({ "confId": conf_id })))
}

/// PUT /v2/conference/{confId} (L155-L186) → `{}`. Partial: absent fields stay, arrays given
/// replace [fake-decision, note §3.2]. 22201 unknown, 22227 unless not started.
pub(crate) async fn modify(
    State(sim): State<CloudroomSim>,
    Path(raw): Path<String>,
    body: Bytes,
) -> Answer {
    let id = conf_id(&raw)?;
    let body = wire::object(&body)?;
    sim.write(|st| {
        let now = st.now_s();
        let status = st
            .meetings
            .get(&id)
            .map(|m| m.status(now))
            .ok_or(errors::NO_MEETING)?;
        if status != ConfStatus::NotStarted {
            return Err(errors::STARTED_OR_ENDED);
        }
        let subject = match body.get("subject") {
            None | Some(Value::Null) => None,
            v => Some(wire::subject(v)?),
        };
        let password = wire::password(body.get("password"))?;
        let order = wire::order_config(body.get("orderConfig"), now, &st.options)?;
        let lenient = st.options.lenient_invitee_field;
        let (host, invitees, assistants) = people(
            st,
            &body,
            invitee_field(&body, "inviteeIds", "inviteIds", lenient),
        )?;
        let m = st.meetings.get(&id).ok_or(errors::NO_MEETING)?;
        let mut attributes = m.attributes.clone();
        wire::attributes(body.get("attributes"), &mut attributes)?;
        let invitees_after = invitees.clone().unwrap_or_else(|| m.invitee_ids.clone());
        if attributes.allow_join == 2 && invitees_after.is_empty() {
            return Err(errors::EMPTY_INVITEES);
        }
        let mut permission = m.permission.clone();
        wire::permission(body.get("permission"), &mut permission)?;
        let schedule = match order {
            None => m.schedule,
            Some(Order::Instant) => m.schedule.map(|mut s| {
                s.period_type = 0;
                s.period_end = 0;
                s
            }),
            Some(Order::PeriodOnly(pt)) => {
                // A period over the times already booked: needs them, and periodEndTime is
                // then missing (22211) [fake-decision].
                if m.schedule.is_none() {
                    return Err(errors::NO_START);
                }
                let _ = pt;
                return Err(errors::NO_PERIOD_END);
            }
            Some(Order::Scheduled(s)) => Some(s),
        };
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_MEETING)?;
        if let Some(s) = subject {
            m.subject = s;
        }
        if let Some(p) = password {
            m.password = p;
        }
        if let Some(h) = host {
            m.host_id = h;
        }
        m.invitee_ids = invitees_after;
        if let Some(a) = assistants {
            m.assistant_ids = a;
        }
        m.attributes = attributes;
        m.permission = permission;
        m.schedule = schedule;
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// GET /v2/conference/{confId} (L188-L288) → `{"confDetail": {...}}`.
pub(crate) async fn query(State(sim): State<CloudroomSim>, Path(raw): Path<String>) -> Answer {
    let id = conf_id(&raw)?;
    sim.read(|st| {
        let m = st.meetings.get(&id).ok_or(errors::NO_MEETING)?;
        Ok(Json(wire::conf_detail(st, m, st.now_s())))
    })
}

/// GET /v2/conference/{confId}/join?nickName=&userType=&password= (L291-L321) →
/// `{"crmt": "CRMT:<base64>"}`.
///
/// Checks [fake-decision order]: 22201 → nickName empty 22230 / over 30 characters 22232 →
/// userType not 1 or 4 (default 4) 22231 → ended 22204 → password set and not given or wrong
/// 22202 (hosts too) → `canJoinAdv=0`, a participant, no host in yet 22203. `allowJoin` is not
/// enforced: the request names no user (22205/22206 only by injection, note §3.4). Handing
/// out the string joins nobody: the document has the string launched in the installed client,
/// which "加入该会议" (L323-357) — the fake's [`CloudroomSim::enter`] plays that client.
/// [fake-decision, was: the first join API call started the meeting, which made a meeting
/// whose join string was merely fetched impossible to delete (22227).]
///
/// The payload [fake-decision, note §5.4], base64 of newline-separated `-KEY=VALUE`, carries an
/// account and a password hash as the doc's sample does (L318: `-MGRACNT=<account>;<md5>`):
/// `-MEETTYPE=MEETMGR`, `-MGRACNT=<company creator's account>;<md5 of a per-join secret>`,
/// `-CONFID`, `-NICKNAME`, `-USERTYPE`. Every CRMT handed out is recorded (leak scans).
pub(crate) async fn join(
    State(sim): State<CloudroomSim>,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let id = conf_id(&raw)?;
    let q = wire::query(q.as_deref())?;
    let crmt = sim.write(|st| {
        let now = st.now_s();
        if !st.meetings.contains_key(&id) {
            return Err(errors::NO_MEETING);
        }
        let nick = wire::param(&q, "nickName").unwrap_or("").trim().to_owned();
        if nick.is_empty() {
            return Err(errors::EMPTY_NICK);
        }
        if nick.chars().count() > 30 {
            return Err(errors::LONG_NICK);
        }
        let user_type = match wire::param(&q, "userType").map(str::trim) {
            None | Some("") => 4,
            Some("1") => 1,
            Some("4") => 4,
            Some(_) => return Err(errors::BAD_USER_TYPE),
        };
        let account = st
            .user(st.creator_id)
            .map(|u| u.account.clone())
            .unwrap_or_default();
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_MEETING)?;
        if m.status(now) == ConfStatus::Ended {
            return Err(errors::ENDED);
        }
        if !m.password.is_empty() && wire::param(&q, "password") != Some(m.password.as_str()) {
            return Err(errors::WRONG_PASSWORD);
        }
        let host_in = m.host_until.is_some_and(|u| now < u);
        if user_type == 4 && m.attributes.can_join_adv == 0 && !host_in {
            return Err(errors::NOT_STARTED);
        }
        let secret = hex::encode(Md5::digest(crate::random_hex(32).as_bytes()));
        let text = format!(
            "-MEETTYPE=MEETMGR\n-MGRACNT={account};{secret}\n-CONFID={id}\n-NICKNAME={nick}\n-USERTYPE={user_type}\n"
        );
        Ok(format!("CRMT:{}", B64.encode(text)))
    })?;
    sim.remember_crmt(&crmt);
    Ok(Json(json!({ "crmt": crmt })))
}

/// POST /v2/conference/{confId}/end (L359-L387) → `{}`. The meeting (a whole series: one
/// confId, no occurrence API) becomes history. Not started or in progress may be ended; ended
/// again is 22204 [fake-decision].
pub(crate) async fn end(State(sim): State<CloudroomSim>, Path(raw): Path<String>) -> Answer {
    let id = conf_id(&raw)?;
    sim.write(|st| {
        let now = st.now_s();
        let m = st.meetings.get_mut(&id).ok_or(errors::NO_MEETING)?;
        if m.status(now) == ConfStatus::Ended {
            return Err(errors::ENDED);
        }
        m.ended_at = Some(now);
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// DELETE /v2/conference/{confId} (L389-L414) → `{}`. In progress: 22227 [fake-decision];
/// not started and ended ones go (from the lists and the history).
pub(crate) async fn delete(State(sim): State<CloudroomSim>, Path(raw): Path<String>) -> Answer {
    let id = conf_id(&raw)?;
    sim.write(|st| {
        let now = st.now_s();
        let m = st.meetings.get(&id).ok_or(errors::NO_MEETING)?;
        if m.status(now) == ConfStatus::InProgress {
            return Err(errors::STARTED_OR_ENDED);
        }
        st.meetings.remove(&id);
        st.deleted.push(id);
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// `searchUserId` (L433): the meetings the user hosts, owns, is invited to or co-hosts
/// [fake-decision]; absent = the whole company's. Not a number: 400.
fn involves(m: &Meeting, user: Option<i64>) -> bool {
    user.is_none_or(|u| {
        m.host_id == u
            || m.owner_id == u
            || m.invitee_ids.contains(&u)
            || m.assistant_ids.contains(&u)
    })
}

fn search_user(q: &[(String, String)]) -> Result<Option<i64>, ApiError> {
    match wire::param(q, "searchUserId").map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| errors::BAD_REQUEST),
    }
}

fn overlaps(a: i64, b: Option<i64>, from: Option<i64>, to: Option<i64>) -> bool {
    from.is_none_or(|f| b.is_none_or(|b| b >= f)) && to.is_none_or(|t| a <= t)
}

/// GET /v2/conference/list (L416-L495): not started and in progress, by scheduled (or
/// current occurrence's) time; `startTime`/`endTime` keep those whose window overlaps
/// [fake-decision].
pub(crate) async fn list(State(sim): State<CloudroomSim>, RawQuery(q): RawQuery) -> Answer {
    let q = wire::query(q.as_deref())?;
    let user = search_user(&q)?;
    let (from, to) = wire::time_filter(&q)?;
    sim.read(|st| {
        let now = st.now_s();
        let mut items: Vec<(i64, &Meeting)> = st
            .meetings
            .values()
            .filter(|m| m.status(now) != ConfStatus::Ended && involves(m, user))
            .filter_map(|m| {
                let (s, e) = match &m.schedule {
                    None => (
                        m.created_at,
                        Some(m.created_at + super::state::MAX_MEETING_SECS),
                    ),
                    Some(sc) => match sc.current_or_next(now) {
                        Some((s, _)) => (s, sc.last_end()),
                        None => (sc.start, Some(sc.end)),
                    },
                };
                overlaps(s, e, from, to).then_some((s, m))
            })
            .collect();
        items.sort_by_key(|(s, m)| (*s, m.conf_id));
        let out = wire::page(&q, &items, st.options.list_remaining, |(_, m)| {
            wire::list_record(st, m, now)
        })?;
        Ok(Json(out))
    })
}

/// GET /v2/conference/history/list (L497-L574): ended meetings, newest end first; the time
/// filter applies to the actual start and end [fake-decision].
pub(crate) async fn history(State(sim): State<CloudroomSim>, RawQuery(q): RawQuery) -> Answer {
    let q = wire::query(q.as_deref())?;
    let user = search_user(&q)?;
    let (from, to) = wire::time_filter(&q)?;
    sim.read(|st| {
        let now = st.now_s();
        let mut items: Vec<(i64, &Meeting)> = st
            .meetings
            .values()
            .filter(|m| m.status(now) == ConfStatus::Ended && involves(m, user))
            .filter_map(|m| {
                let start = m
                    .started_at
                    .or(m.schedule.map(|s| s.start))
                    .unwrap_or(m.created_at);
                let end = m.end_time(now);
                overlaps(start, Some(end), from, to).then_some((end, m))
            })
            .collect();
        items.sort_by_key(|(e, m)| (std::cmp::Reverse(*e), m.conf_id));
        let out = wire::page(&q, &items, st.options.list_remaining, |(_, m)| {
            wire::history_record(st, m, now)
        })?;
        Ok(Json(out))
    })
}

/// Someone enters the meeting in the CloudRoom client (what launching a CRMT string does,
/// L323-357): the meeting is in progress until the end of its occurrence; a host lets
/// participants in when `canJoinAdv` is 0.
pub(crate) fn enter(
    st: &mut SimState,
    id: i64,
    nick_name: &str,
    host: bool,
) -> Result<(), ApiError> {
    let now = st.now_s();
    let m = st.meetings.get_mut(&id).ok_or(errors::NO_MEETING)?;
    if m.status(now) == ConfStatus::Ended {
        return Err(errors::ENDED);
    }
    let host_in = m.host_until.is_some_and(|u| now < u);
    if !host && m.attributes.can_join_adv == 0 && !host_in {
        return Err(errors::NOT_STARTED);
    }
    let until = m.occurrence_end(now);
    m.joined_until = Some(until);
    m.started_at.get_or_insert(now);
    if host {
        m.host_until = Some(until);
    }
    m.joins.push(Join {
        nick_name: nick_name.to_owned(),
        user_type: if host { 1 } else { 4 },
        at: now,
    });
    Ok(())
}
