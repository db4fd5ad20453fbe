//! Meetings: book (2.1, 2.2), detail (2.3), cancel (2.4), modify (2.12), end (2.13), the
//! remaining ports of a window (2.16), and the user's and the site's lists (2.5-2.10).

use axum::extract::State;
use axum::Json;
use rand::RngExt;
use serde_json::{json, Value};

use super::auth;
use super::errors::{self, ApiError};
use super::state::{random_digits, ConfStatus, Lifecycle, Meeting, State as SimState, User};
use super::wire::{self, Params};
use super::BizconfSim;

/// Bounds (not in the document, which gives none; they keep the arithmetic small): a meeting
/// lasts at most 30 days, starts at most 24 h early, and asks for at most 100 000 ports.
/// Beyond them: 104.
const MAX_DURATION_MIN: i64 = 30 * 24 * 60;
const MAX_BEFORE_MIN: i64 = 24 * 60;
const MAX_PARTIES: i64 = 100_000;
/// `userId` "长度不能超过32位" (L212).
const MAX_USER_ID: usize = 32;
/// Undocumented bounds on free text (assumption): longer is 104.
const MAX_TEXT: usize = 256;

/// The characters 2.1 and 2.12 refuse in `confName` (L254, L1755): 104.
fn check_conf_name(name: &str) -> Result<(), ApiError> {
    const FORBIDDEN: [char; 11] = ['\\', '/', ':', '*', '?', '？', '"', '<', '>', '|', '\n'];
    if name.contains(FORBIDDEN)
        || name.contains("&lt;")
        || name.contains("&gt;")
        || name.chars().count() > MAX_TEXT
    {
        return Err(errors::BAD_MEETING_PARAM);
    }
    Ok(())
}

fn in_range(v: i64, lo: i64, hi: i64) -> Result<u32, ApiError> {
    if (lo..=hi).contains(&v) {
        Ok(u32::try_from(v).unwrap_or(0))
    } else {
        Err(errors::BAD_MEETING_PARAM)
    }
}

fn text(p: &Params, name: &str) -> Result<Option<String>, ApiError> {
    match p.raw(name) {
        Some(v) if v.chars().count() > MAX_TEXT => Err(errors::BAD_MEETING_PARAM),
        v => Ok(v.map(str::to_owned)),
    }
}

/// The 6-digit H.323 password: none without a meeting password, and not the password itself
/// (L1911 vs L1917: "123456" / "166072").
fn h323pwd(password: &str) -> String {
    if password.is_empty() {
        String::new()
    } else {
        random_digits(6)
    }
}

/// 201 for a start before the current minute (L58 "会议时间过期"). Clients round to the
/// minute, so the minute now under way is still bookable (assumption).
fn check_not_past(st: &SimState, start: i64) -> Result<(), ApiError> {
    let now = st.now_s();
    if start < now - now.rem_euclid(60) {
        return Err(errors::BAD_TIME);
    }
    Ok(())
}

/// 202 (one meeting per userId per period, L192) and 205 (ports, L64) for `m`'s window.
fn check_slot(st: &SimState, m: &Meeting, except: Option<u64>) -> Result<(), ApiError> {
    let (a, b) = m.window();
    if st.conflict(&m.user_id, a, b, except) {
        return Err(errors::CONFLICT);
    }
    let used = st.ports_in_use(a, b, except);
    if u64::from(used) + u64::from(m.conf_parties) > u64::from(st.options.site_capacity) {
        return Err(errors::NO_RESOURCES);
    }
    Ok(())
}

fn ok(data: Value) -> Json<Value> {
    Json(json!({"status": 100, "message": "success", "data": data}))
}

/// `POST /openapi/v2/confReservation` (2.1, L186-L438).
pub(crate) async fn reserve(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    book(&sim, &p, false)
}

/// `POST /openapi/v2/confReservation2` (2.2, L441-L692): `loginName` required, `watermark`
/// and `meetingAuthentication` accepted; `live` and `registrationType` are not 2.2 parameters
/// and are ignored.
pub(crate) async fn reserve_watermark(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    book(&sim, &p, true)
}

fn book(sim: &BizconfSim, p: &Params, watermark_variant: bool) -> Result<Json<Value>, ApiError> {
    auth::check(sim, p, "userId")?;
    let user_id = p.req("userId")?.to_owned();
    // L212 states the limit for 2.1; 2.2 (L467) does not restate it: applied to both.
    if user_id.chars().count() > MAX_USER_ID {
        return Err(errors::BAD_PARAM);
    }
    let user_name = p.req("userName")?.to_owned();
    let login_name = if watermark_variant {
        p.req("loginName")?.to_owned()
    } else {
        text(p, "loginName")?.unwrap_or_default()
    };
    let conf_name = p.req("confName")?.to_owned();
    check_conf_name(&conf_name)?;
    let start = p.req_time("startTime")?;
    let duration = in_range(p.req_int("duration")?, 1, MAX_DURATION_MIN)?;
    let conf_parties = in_range(p.req_int("confParties")?, 1, MAX_PARTIES)?;
    let password = text(p, "confPassword")?.unwrap_or_default();
    let before_time = in_range(p.opt_int("beforeTime")?.unwrap_or(0), 0, MAX_BEFORE_MIN)?;
    let flag = |name: &str| p.opt_enum(name, &[0, 1]).map(Option::unwrap_or_default);
    let option_jbh = flag("optionJbh")?;
    let option_video_host = flag("optionVideoHost")?;
    let option_video_participants = flag("optionVideoParticipants")?;
    let is_instant = flag("isInstantMeeting")?;
    let is_tuiliu = flag("isTuiliu")?;
    let stream_diy = flag("streamDiy")?;
    // "1 on, 0 or anything else off" (L337).
    let interpretation = u8::from(p.opt_int("interpretation")? == Some(1));
    // "1/2/3, default 0" (L380, note §6.12): 0 is kept as the default.
    let audio = p.opt_enum("audio", &[0, 1, 2, 3])?.unwrap_or(0);
    let waiting_room = p.opt_enum("waitingRoom", &[0, 1, 2])?.unwrap_or(0);
    // The stream parameters only count with streamDiy=1 (L352).
    let (stream_url, stream_key, watch_url) = if stream_diy == 1 {
        (
            text(p, "streamUrl")?.unwrap_or_default(),
            text(p, "streamKey")?.unwrap_or_default(),
            text(p, "watchUrl")?.unwrap_or_default(),
        )
    } else {
        Default::default()
    };
    let (watermark, meeting_authentication, registration) = if watermark_variant {
        let watermark = flag("watermark")?;
        let auth = p
            .opt_enum("meetingAuthentication", &[0, 1, 2])?
            .unwrap_or(0);
        // "forced on when the watermark is on" (L655).
        (watermark, if watermark == 1 { 1 } else { auth }, false)
    } else {
        // `live` (L394) is accepted and has no effect here.
        p.opt_enum("live", &[0, 1])?;
        (0, 0, p.opt_int("registrationType")? == Some(1))
    };
    // Accepted, not shown anywhere (L215).
    text(p, "phone")?;

    sim.write(|st| {
        check_not_past(st, start)?;
        let now = st.now_s();
        let conf_id = st.new_conf_id();
        let mut rng = rand::rng();
        let m = Meeting {
            conf_id,
            conf_number: st.new_conf_number(),
            user_id: user_id.clone(),
            conf_name,
            h323pwd: h323pwd(&password),
            password,
            start,
            duration,
            before_time,
            conf_parties,
            option_jbh,
            option_video_host,
            option_video_participants,
            is_instant,
            interpretation,
            is_tuiliu,
            stream_diy,
            stream_url,
            stream_key,
            watch_url,
            audio,
            waiting_room,
            watermark,
            meeting_authentication,
            login_name,
            registration,
            room_id: rng.random_range(1_000_000..10_000_000),
            vir_conf_id: rng.random_range(1_000_000..10_000_000),
            join_sig: crate::random_hex(32).to_uppercase(),
            host_sig: crate::random_hex(32).to_uppercase(),
            lifecycle: Lifecycle::Active,
            created_at: now,
            questions: json!({"questions": [], "custom_questions": []}),
            registrants: Vec::new(),
        };
        check_slot(st, &m, None)?;
        // The first booking creates the user; its first userName sticks (L226).
        st.users
            .entry(user_id.clone())
            .or_insert_with(|| User::new(&user_name, now));
        let data = wire::conf_info_a(st, &m);
        st.meetings.insert(conf_id, m);
        st.bookings_total += 1;
        Ok(ok(data))
    })
}

/// The user's meeting `confId` (101 unknown user; 109 not a number; 401 unknown, cancelled
/// or someone else's, L70).
fn owned<'a>(st: &'a SimState, p: &Params) -> Result<&'a Meeting, ApiError> {
    let user_id = p.req("userId")?;
    if !st.users.contains_key(user_id) {
        return Err(errors::NO_ACCOUNT);
    }
    let raw = p.req("confId")?;
    if !raw.bytes().all(|b| b.is_ascii_digit()) || raw.len() > 19 {
        return Err(errors::BAD_PARAM);
    }
    let id: u64 = raw.parse().map_err(|_| errors::BAD_PARAM)?;
    let m = st.meetings.get(&id).ok_or(errors::NO_MEETING)?;
    if m.user_id != user_id || m.status(st.now_s()) == ConfStatus::Cancelled {
        return Err(errors::NO_MEETING);
    }
    Ok(m)
}

/// `GET /openapi/v2/getConfDetailByConfId` (2.3, L695-L783): ConfInfo-A, with a fresh host
/// token in `protocolHostStartUrl`.
pub(crate) async fn detail(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    sim.read(|st| Ok(ok(wire::conf_info_a(st, owned(st, &p)?))))
}

/// `POST /openapi/v2/cancelConf` (2.4, L787-L847). Live meetings cannot be cancelled (L790):
/// 708 (assumption, note §7.10); cancelled ones: 401. A meeting that took place reads as ended
/// after cancelling, one that never did as cancelled (L796).
pub(crate) async fn cancel(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    sim.write(|st| {
        let now = st.now_s();
        let m = owned(st, &p)?;
        let held = match (m.status(now), m.lifecycle) {
            (_, Lifecycle::Cancelled { .. }) => return Err(errors::NO_MEETING),
            (ConfStatus::Live, _) => return Err(errors::BAD_STATE),
            (ConfStatus::Ended, _) => true,
            _ => false,
        };
        let id = m.conf_id;
        if let Some(m) = st.meetings.get_mut(&id) {
            m.lifecycle = Lifecycle::Cancelled { at: now, held };
        }
        Ok(Json(
            json!({"status": 100, "message": "cancel conf success"}),
        ))
    })
}

/// `POST /openapi/v2/endConf` (2.13, L1940-L2000): only a meeting in progress (L1943); one
/// not started yet is 708, one already over 707 (assumptions, note §7.11).
pub(crate) async fn end(State(sim): State<BizconfSim>, p: Params) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    sim.write(|st| {
        let now = st.now_s();
        let m = owned(st, &p)?;
        match m.status(now) {
            ConfStatus::Live => {}
            ConfStatus::Ended => return Err(errors::MEETING_ENDED),
            _ => return Err(errors::BAD_STATE),
        }
        let id = m.conf_id;
        if let Some(m) = st.meetings.get_mut(&id) {
            m.lifecycle = Lifecycle::Ended { at: now };
        }
        Ok(Json(json!({"status": 100, "message": "end conf success"})))
    })
}

/// `POST /openapi/v2/confModify2` (2.12, L1697-L1935). Required: `confId`, `confPassword`
/// (present, possibly empty: empty removes the password, L1762), `startTime`, `duration`,
/// `confParties` (L1791-L1809). Optional fields left out keep their value (L1770).
/// Only a booked meeting can be modified: in progress 708 (2.14 is the live variant), over
/// 707 (assumptions). `upCompatible` (L1816) is accepted and has no effect: the sim's site is
/// one pool of ports, with no port sizes to step up to.
pub(crate) async fn modify(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    let Some(password) = p.raw("confPassword") else {
        return Err(errors::BAD_PARAM);
    };
    if password.chars().count() > MAX_TEXT {
        return Err(errors::BAD_MEETING_PARAM);
    }
    let start = p.req_time("startTime")?;
    let duration = in_range(p.req_int("duration")?, 1, MAX_DURATION_MIN)?;
    let conf_parties = in_range(p.req_int("confParties")?, 1, MAX_PARTIES)?;
    let conf_name = p.non_empty("confName").map(str::to_owned);
    if let Some(n) = &conf_name {
        check_conf_name(n)?;
    }
    let flag = |name: &str| p.opt_enum(name, &[0, 1]);
    let option_jbh = flag("optionJbh")?;
    let option_video_host = flag("optionVideoHost")?;
    let option_video_participants = flag("optionVideoParticipants")?;
    let is_tuiliu = flag("isTuiliu")?;
    let stream_diy = flag("streamDiy")?;
    // Empty keeps the booking's setting (L1872).
    let watermark = flag("watermark")?;
    let before_time = p
        .opt_int("beforeTime")?
        .map(|b| in_range(b, 0, MAX_BEFORE_MIN))
        .transpose()?;
    let interpretation = p.opt_int("interpretation")?.map(|i| u8::from(i == 1));
    let audio = p.opt_enum("audio", &[0, 1, 2, 3])?;
    let waiting_room = p.opt_enum("waitingRoom", &[0, 1, 2])?;
    let stream_key = text(&p, "streamKey")?.filter(|s| !s.is_empty());
    let watch_url = text(&p, "watchUrl")?.filter(|s| !s.is_empty());
    let login_name = text(&p, "loginName")?.filter(|s| !s.is_empty());
    let password = password.to_owned();

    sim.write(|st| {
        let now = st.now_s();
        let current = owned(st, &p)?;
        match current.status(now) {
            ConfStatus::Booked => {}
            ConfStatus::Live => return Err(errors::BAD_STATE),
            _ => return Err(errors::MEETING_ENDED),
        }
        check_not_past(st, start)?;
        let mut m = current.clone();
        if m.password != password {
            m.h323pwd = h323pwd(&password);
        }
        m.password = password;
        m.start = start;
        m.duration = duration;
        m.conf_parties = conf_parties;
        if let Some(n) = conf_name {
            m.conf_name = n;
        }
        set(&mut m.option_jbh, option_jbh);
        set(&mut m.option_video_host, option_video_host);
        set(&mut m.option_video_participants, option_video_participants);
        set(&mut m.is_tuiliu, is_tuiliu);
        set(&mut m.stream_diy, stream_diy);
        set(&mut m.watermark, watermark);
        set(&mut m.before_time, before_time);
        set(&mut m.interpretation, interpretation);
        set(&mut m.audio, audio);
        set(&mut m.waiting_room, waiting_room);
        set(&mut m.login_name, login_name);
        // "Only for meetings booked with a custom push stream" (L1852, L1859).
        if m.stream_diy == 1 {
            set(&mut m.stream_key, stream_key);
            set(&mut m.watch_url, watch_url);
        }
        check_slot(st, &m, Some(m.conf_id))?;
        let data = wire::conf_info_b(st, &m);
        st.meetings.insert(m.conf_id, m);
        Ok(ok(data))
    })
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// `POST /openapi/v2/getReMainNumPartis` (2.16, L2200-L2280): the site's ports free during
/// `[startTime - beforeTime, startTime + duration)`, at the top level. `confNumber` (L2251,
/// "your own meeting") is left out of the count when it is one of the caller's meetings; any
/// other number is ignored (assumption). The caller need not have booked before (the userId
/// only signs the request).
pub(crate) async fn remaining_ports(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    let user_id = p.req("userId")?;
    let start = p.req_time("startTime")?;
    let duration = in_range(p.req_int("duration")?, 1, MAX_DURATION_MIN)?;
    let before = in_range(p.opt_int("beforeTime")?.unwrap_or(0), 0, MAX_BEFORE_MIN)?;
    let conf_number = p.non_empty("confNumber");
    sim.read(|st| {
        let except = conf_number.and_then(|n| {
            st.meetings
                .values()
                .find(|m| m.conf_number == n && m.user_id == user_id)
                .map(|m| m.conf_id)
        });
        let a = start - i64::from(before) * 60;
        let b = start + i64::from(duration) * 60;
        let total = st.options.site_capacity;
        let remain = total.saturating_sub(st.ports_in_use(a, b, except));
        Ok(Json(json!({
            "status": 100,
            "message": "success",
            "remainNumPartis": remain,
            "totalNumParties": total,
        })))
    })
}

// --- lists --------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Which {
    Scheduled,
    Living,
    Finished,
}

impl Which {
    fn status(self) -> ConfStatus {
        match self {
            Which::Scheduled => ConfStatus::Booked,
            Which::Living => ConfStatus::Live,
            Which::Finished => ConfStatus::Ended,
        }
    }
}

/// The meetings of `user` (None: the whole site) in state `which`, whose start lies within
/// the optional `startTime`/`endTime` (inclusive; the document does not say how the filter
/// applies: assumption). Upcoming and live ones soonest first, ended ones latest first.
fn select<'a>(
    st: &'a SimState,
    p: &Params,
    user: Option<&str>,
    which: Which,
) -> Result<Vec<&'a Meeting>, ApiError> {
    let from = p.opt_time("startTime")?;
    let to = p.opt_time("endTime")?;
    let now = st.now_s();
    let mut out: Vec<&Meeting> = st
        .meetings
        .values()
        .filter(|m| user.is_none_or(|u| m.user_id == u))
        .filter(|m| m.status(now) == which.status())
        .filter(|m| from.is_none_or(|f| m.start >= f) && to.is_none_or(|t| m.start <= t))
        .collect();
    out.sort_by_key(|m| (m.start, m.conf_id));
    if let Which::Finished = which {
        out.reverse();
    }
    Ok(out)
}

/// 101 unless `userId` is a user of the site (note §7.16).
fn known_user<'a>(st: &SimState, p: &'a Params) -> Result<&'a str, ApiError> {
    let user_id = p.req("userId")?;
    if st.users.contains_key(user_id) {
        Ok(user_id)
    } else {
        Err(errors::NO_ACCOUNT)
    }
}

struct Page {
    total_page: u64,
    current: u64,
    total_items: u64,
    size: u64,
}

fn page<'a>(all: Vec<&'a Meeting>, p: &Params) -> Result<(Vec<&'a Meeting>, Page), ApiError> {
    let (current, size) = p.paging()?;
    let total_items = all.len() as u64;
    let skip = usize::try_from((current - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let items = all
        .into_iter()
        .skip(skip)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    Ok((
        items,
        Page {
            total_page: total_items.div_ceil(size),
            current,
            total_items,
            size,
        },
    ))
}

/// 2.5 and 2.7: `data.confInfo[]` of ConfInfo-A; paging at the top level with `currentPage` a
/// string (L932, L1174).
fn user_list(sim: &BizconfSim, p: &Params, which: Which) -> Result<Json<Value>, ApiError> {
    auth::check(sim, p, "userId")?;
    sim.read(|st| {
        let user = known_user(st, p)?;
        let (items, pg) = page(select(st, p, Some(user), which)?, p)?;
        let infos: Vec<Value> = items.iter().map(|m| wire::conf_info_a(st, m)).collect();
        Ok(Json(json!({
            "status": 100,
            "totalPage": pg.total_page,
            "currentPage": pg.current.to_string(),
            "totalItems": pg.total_items,
            "pageSize": pg.size,
            "data": {"confInfo": infos},
            "message": "success",
        })))
    })
}

/// `POST /openapi/v2/getScheduledConfListByUserId` (2.5, L852-L1003): booked, not started.
pub(crate) async fn user_scheduled(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    user_list(&sim, &p, Which::Scheduled)
}

/// `POST /openapi/v2/getFinishedConfListByUserId` (2.7, L1094-L1214): ended (3).
pub(crate) async fn user_finished(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    user_list(&sim, &p, Which::Finished)
}

/// `POST|GET /openapi/v2/getLivingConfByUserId` (2.6, L1006-L1091, "POST GET" L1015):
/// `data.confInfo[]`, no paging; at most one in practice (one meeting per user per period).
pub(crate) async fn user_living(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    sim.read(|st| {
        let user = known_user(st, &p)?;
        let now = st.now_s();
        let infos: Vec<Value> = st
            .meetings
            .values()
            .filter(|m| m.user_id == user && m.status(now) == ConfStatus::Live)
            .map(|m| wire::conf_info_a(st, m))
            .collect();
        Ok(Json(json!({
            "status": 100,
            "data": {"confInfo": infos},
            "message": "success",
        })))
    })
}

/// 2.8-2.10: `data[]` of ConfInfo-S (numbers as strings); paging at the top level with
/// `currentPage` a number (L1320-L1323). Every meeting of the site, listed "根据站点标识"
/// (by the site sign, L1221, L1330, L1439): the `userId` is only "客户系统中的用户唯一ID"
/// (L1241) and signs the request, so one that has not booked yet (BizConf creates users on
/// their first booking, L226) lists the site too. (Note §7.16 suggested 101 for unknown
/// userIds on every list; the document ties only the user lists 2.5-2.7 to the userId.)
fn site_list(sim: &BizconfSim, p: &Params, which: Which) -> Result<Json<Value>, ApiError> {
    auth::check(sim, p, "userId")?;
    sim.read(|st| {
        let (items, pg) = page(select(st, p, None, which)?, p)?;
        let infos: Vec<Value> = items.iter().map(|m| wire::conf_info_s(st, m)).collect();
        Ok(Json(json!({
            "status": 100,
            "message": "success",
            "data": infos,
            "totalPage": pg.total_page,
            "currentPage": pg.current,
            "totalItems": pg.total_items,
            "pageSize": pg.size,
        })))
    })
}

/// `POST /openapi/v2/getScheduledConfListBySiteSign` (2.8, L1218-L1324).
pub(crate) async fn site_scheduled(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    site_list(&sim, &p, Which::Scheduled)
}

/// `POST /openapi/v2/getLivingConfListBySiteSign` (2.9, L1327-L1433).
pub(crate) async fn site_living(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    site_list(&sim, &p, Which::Living)
}

/// `POST /openapi/v2/getFinishedConfListBySiteSign` (2.10, L1436-L1542).
pub(crate) async fn site_finished(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    site_list(&sim, &p, Which::Finished)
}
