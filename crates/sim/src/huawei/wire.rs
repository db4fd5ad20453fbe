//! JSON in and out: lenient request parsing (the vendor's own examples send booleans and
//! numbers as strings, note §7.5) and the response shapes of chapter 3 and 4.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::state::{
    format_minute, Attendee, ConfConfig, CycleParams, Enterprise, HuaweiOptions, Issued, Login,
    Meeting, SubConf, User,
};

// --- lenient scalars ---------------------------------------------------------------------------

/// A field, with JSON null treated as absent (the SDK sends `"corpId": null`).
pub(crate) fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// true/false, or the strings "true"/"false" (the create-series example, L2664-2666).
pub(crate) fn loose_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An integral number, or a string holding one (`"clientType": "72"`, L1391).
pub(crate) fn loose_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(errors::PARAMETER_VERIFIED_FAIL),
    }
}

/// A string field that is absent when empty.
pub(crate) fn opt_nonempty(
    obj: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, ApiError> {
    Ok(opt_string(obj, key)?.filter(|s| !s.is_empty()))
}

pub(crate) fn opt_int_in(
    obj: &Map<String, Value>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
    err: ApiError,
) -> Result<Option<i64>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => match loose_int(v) {
            Some(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(err),
        },
    }
}

pub(crate) fn opt_bool(obj: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => loose_bool(v)
            .map(Some)
            .ok_or(errors::PARAMETER_VERIFIED_FAIL),
    }
}

fn small(n: i64) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// Parse a JSON object body for the MMC endpoints.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(errors::BODY_EMPTY);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        _ => Err(errors::JSON_CONVERSION_FAILED),
    }
}

/// Query string as a map; malformed encodings are a parameter error.
pub(crate) fn query_map(raw: Option<&str>) -> Result<BTreeMap<String, String>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| errors::PARAMETER_VERIFIED_FAIL)?;
    Ok(pairs.into_iter().collect())
}

/// An optional integer query parameter within a range.
pub(crate) fn query_int(
    q: &BTreeMap<String, String>,
    key: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ApiError> {
    match q.get(key).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(errors::PARAMETER_VERIFIED_FAIL),
        },
    }
}

// --- booking requests --------------------------------------------------------------------------

/// How the caller authenticated; it decides what identifies an attendee (Table 4-3, L1928-1932).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthMode {
    AppId,
    Account,
}

impl AuthMode {
    pub(crate) fn of(user: &User) -> AuthMode {
        match user.login {
            Login::Account { .. } => AuthMode::Account,
            Login::AppUser { .. } | Login::DefaultAdmin => AuthMode::AppId,
        }
    }
}

/// A validated create/edit body (Table 4-2, L1895-1920; edit L2370-2394), before the start
/// time is checked against the clock.
#[derive(Debug, Clone)]
pub(crate) struct BookingRequest {
    /// Unix seconds; None = "start now" (missing or empty startTime).
    pub start: Option<i64>,
    pub length_min: u32,
    pub subject: Option<String>,
    pub media_types: String,
    pub time_zone_id: String,
    pub language: String,
    pub attendees: Vec<Attendee>,
    pub config: ConfConfig,
    pub guest_pwd: Option<String>,
    pub record_type: u8,
    pub is_auto_record: u8,
    pub record_aux_stream: u8,
    pub record_auth_type: u8,
    pub encrypt_mode: Option<u8>,
    pub live_address: Option<String>,
    pub aux_address: Option<String>,
    /// As sent (None = not sent), so edit can tell "unchanged" from "changed".
    pub vmr_flag: Option<u8>,
    pub vmr_id: Option<String>,
    pub concurrent_participants: u32,
    pub support_simultaneous_interpretation: bool,
}

/// Most attendees one booking may carry. MMC.111071066 exists but the document gives no
/// number; this is the sim's choice.
pub(crate) const MAX_ATTENDEES: usize = 500;

pub(crate) fn parse_booking(body: &[u8], mode: AuthMode) -> Result<BookingRequest, ApiError> {
    let obj = json_object(body)?;
    let bad = errors::PARAMETER_VERIFIED_FAIL;

    let start = match opt_string(&obj, "startTime")? {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => Some(parse_start_time(&s)?),
    };
    let length_min = opt_int_in(&obj, "length", 15..=1440, bad)?.unwrap_or(30);
    let media_types = match opt_nonempty(&obj, "mediaTypes")? {
        Some(m) => normalize_media_types(&m)?,
        None => return Err(bad),
    };
    let subject = opt_string(&obj, "subject")?.filter(|s| !s.trim().is_empty());
    if subject.as_ref().is_some_and(|s| s.chars().count() > 128) {
        return Err(bad);
    }
    // A string index into the time-zone table (L27822-27909); numbers accepted too (note §7.5).
    let time_zone_id = match field(&obj, "timeZoneID") {
        None => "56".to_owned(),
        Some(v) => match loose_int(v) {
            Some(n) if (1..=77).contains(&n) => n.to_string(),
            _ => return Err(bad),
        },
    };
    let language = match opt_nonempty(&obj, "language")?.as_deref() {
        None => "zh-CN".to_owned(),
        Some(l @ ("zh-CN" | "en-US")) => l.to_owned(),
        Some(_) => return Err(bad),
    };
    let (config, guest_pwd) = match field(&obj, "confConfigInfo") {
        None => (ConfConfig::default(), None),
        Some(Value::Object(c)) => parse_conf_config(c)?,
        Some(_) => return Err(bad),
    };
    let attendees = match field(&obj, "attendees") {
        None => Vec::new(),
        Some(Value::Array(list)) => {
            if list.len() > MAX_ATTENDEES {
                return Err(errors::ATTENDEES_OVER_LIMIT);
            }
            list.iter()
                .map(|a| parse_attendee(a, mode))
                .collect::<Result<_, _>>()?
        }
        Some(_) => return Err(bad),
    };
    let record_type = opt_int_in(&obj, "recordType", 0..=3, bad)?.unwrap_or(0);
    let is_auto_record = opt_int_in(&obj, "isAutoRecord", 0..=1, bad)?.unwrap_or(0);
    let record_aux_stream = opt_int_in(&obj, "recordAuxStream", 0..=1, bad)?.unwrap_or(0);
    let record_auth_type = opt_int_in(&obj, "recordAuthType", 0..=2, bad)?.unwrap_or(0);
    let encrypt_mode = opt_int_in(&obj, "encryptMode", 0..=2, bad)?;
    // Create says liveAddress/auxAddress, edit says liveAddresses/auxAddresses (L2384, L2387):
    // accept both spellings everywhere.
    let live_address = match opt_nonempty(&obj, "liveAddress")? {
        Some(a) => Some(a),
        None => opt_nonempty(&obj, "liveAddresses")?,
    };
    let aux_address = match opt_nonempty(&obj, "auxAddress")? {
        Some(a) => Some(a),
        None => opt_nonempty(&obj, "auxAddresses")?,
    };
    for addr in [&live_address, &aux_address].into_iter().flatten() {
        if addr.chars().count() > 255 {
            return Err(bad);
        }
    }
    let vmr_flag = opt_int_in(&obj, "vmrFlag", 0..=1, bad)?.map(small);
    let vmr_id = opt_nonempty(&obj, "vmrID")?;
    let concurrent_participants =
        opt_int_in(&obj, "concurrentParticipants", 0..=i64::from(u32::MAX), bad)?.unwrap_or(0);
    let support_simultaneous_interpretation =
        opt_bool(&obj, "supportSimultaneousInterpretation")?.unwrap_or(false);

    Ok(BookingRequest {
        start,
        length_min: u32::try_from(length_min).unwrap_or(30),
        subject,
        media_types,
        time_zone_id,
        language,
        attendees,
        config,
        guest_pwd,
        record_type: small(record_type),
        is_auto_record: small(is_auto_record),
        record_aux_stream: small(record_aux_stream),
        record_auth_type: small(record_auth_type),
        encrypt_mode: encrypt_mode.map(small),
        live_address,
        aux_address,
        vmr_flag,
        vmr_id,
        concurrent_participants: u32::try_from(concurrent_participants).unwrap_or(u32::MAX),
        support_simultaneous_interpretation,
    })
}

/// Exactly `yyyy-MM-dd HH:mm`, UTC (L1896); anything else is MMC.111071061.
pub(crate) fn parse_start_time(s: &str) -> Result<i64, ApiError> {
    let shape_ok = s.len() == 16
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(errors::PARAMETER_VERIFIED_FAIL);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .map(|t| t.and_utc().timestamp())
        .map_err(|_| errors::PARAMETER_VERIFIED_FAIL)
}

/// Requests say `Voice` or `HDVideo` (or comma lists); responses list the full set with Data
/// and Voice added, e.g. "HDVideo" -> "Data,Voice,HDVideo" (L2164 vs L2200). The order for
/// audio-only meetings ("Data,Voice") is INFERRED.
pub(crate) fn normalize_media_types(raw: &str) -> Result<String, ApiError> {
    let mut video = None;
    for token in raw.split(',').map(str::trim) {
        match token {
            "Voice" | "Data" => {}
            "HDVideo" => video = Some("HDVideo"),
            "Video" => video = video.or(Some("Video")),
            _ => return Err(errors::PARAMETER_VERIFIED_FAIL),
        }
    }
    Ok(match video {
        Some(v) => format!("Data,Voice,{v}"),
        None => "Data,Voice".to_owned(),
    })
}

fn parse_conf_config(c: &Map<String, Value>) -> Result<(ConfConfig, Option<String>), ApiError> {
    let bad = errors::PARAMETER_VERIFIED_FAIL;
    let mut cfg = ConfConfig::default();
    let flags: [(&str, &mut bool); 8] = [
        ("isSendNotify", &mut cfg.is_send_notify),
        ("isSendSms", &mut cfg.is_send_sms),
        ("isSendCalendar", &mut cfg.is_send_calendar),
        ("isAutoMute", &mut cfg.is_auto_mute),
        (
            "isHardTerminalAutoMute",
            &mut cfg.is_hard_terminal_auto_mute,
        ),
        ("isGuestFreePwd", &mut cfg.is_guest_free_pwd),
        ("allowGuestStartConf", &mut cfg.allow_guest_start_conf),
        ("enableWaitingRoom", &mut cfg.enable_waiting_room),
    ];
    for (key, slot) in flags {
        if let Some(b) = opt_bool(c, key)? {
            *slot = b;
        }
    }
    cfg.is_host_camera_on = opt_bool(c, "isHostCameraOn")?;
    cfg.is_guest_camera_on = opt_bool(c, "isGuestCameraOn")?;
    if let Some(n) = field(c, "callInRestriction") {
        match loose_int(n) {
            Some(v @ (0 | 2 | 3)) => cfg.call_in_restriction = small(v),
            _ => return Err(bad),
        }
    }
    if let Some(n) = opt_int_in(c, "audienceCallInRestriction", 0..=2, bad)? {
        cfg.audience_call_in_restriction = small(n);
    }
    cfg.vmr_id_type = opt_int_in(c, "vmrIDType", 0..=1, bad)?.map(small);
    if let Some(n) = opt_int_in(c, "prolongLength", 0..=60, bad)? {
        cfg.prolong_length = small(n);
    }
    // guestPwd: 4-16 digits (Table 4-5).
    let guest_pwd = opt_nonempty(c, "guestPwd")?;
    if let Some(p) = &guest_pwd {
        if !(4..=16).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad);
        }
    }
    Ok((cfg, guest_pwd))
}

const ATTENDEE_TYPES: [&str; 8] = [
    "normal",
    "terminal",
    "outside",
    "mobile",
    "ideahub",
    "board",
    "hwvision",
    "customnumber",
];

fn parse_attendee(v: &Value, mode: AuthMode) -> Result<Attendee, ApiError> {
    let Value::Object(o) = v else {
        return Err(errors::PARAMETER_VERIFIED_FAIL);
    };
    let a = Attendee {
        user_uuid: opt_nonempty(o, "userUUID")?,
        account_id: opt_nonempty(o, "accountId")?,
        app_id: opt_nonempty(o, "appId")?,
        name: opt_nonempty(o, "name")?,
        role: small(opt_int_in(o, "role", 0..=1, errors::ATTENDEE_ROLE)?.unwrap_or(0)),
        phone: opt_nonempty(o, "phone")?,
        phone2: opt_nonempty(o, "phone2")?,
        phone3: opt_nonempty(o, "phone3")?,
        email: opt_nonempty(o, "email")?,
        sms: opt_nonempty(o, "sms")?,
        is_mute: small(opt_int_in(o, "isMute", 0..=1, errors::ATTENDEE_IS_MUTE)?.unwrap_or(0)),
        is_auto_invite: opt_int_in(o, "isAutoInvite", 0..=1, errors::ATTENDEE_AUTO_INVITE)?
            .map(small),
        kind: opt_nonempty(o, "type")?.unwrap_or_else(|| "normal".to_owned()),
        address: opt_nonempty(o, "address")?,
        dept_uuid: opt_nonempty(o, "deptUUID")?,
        dept_name: opt_nonempty(o, "deptName")?,
        unique_type: opt_int_in(o, "uniqueType", 0..=1, errors::PARAMETER_VERIFIED_FAIL)?
            .map(small),
    };
    // Table 4-3 says role is 0 or 1; chapter 22 MMC.111072035 says "[0,2]" (L27118). The
    // table is the request contract, so 2 is rejected.
    if a.name.as_ref().is_some_and(|n| n.chars().count() > 96) {
        return Err(errors::ATTENDEE_NAME_TOO_LONG);
    }
    if a.dept_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > 128)
    {
        return Err(errors::DEPTNAME_TOO_LONG);
    }
    if !ATTENDEE_TYPES.contains(&a.kind.as_str()) {
        return Err(errors::PARAMETER_VERIFIED_FAIL);
    }
    for phone in [&a.phone, &a.phone2, &a.phone3].into_iter().flatten() {
        check_call_number(phone)?;
    }
    if a.email.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(errors::EMAIL_ILLEGAL);
    }
    if a.sms.as_deref().is_some_and(|s| !valid_mobile(s)) {
        return Err(errors::SMS_ILLEGAL);
    }
    let reachable = match mode {
        // Account/password auth: phone is required (Table 4-3, L1932).
        AuthMode::Account => a.phone.is_some(),
        // App ID auth: accountId (+ appId) names the third-party user (L1928-1929); otherwise a
        // call number, mobile or email must be there (MMC.111072031, L27112).
        AuthMode::AppId => {
            (a.account_id.is_some() && a.app_id.is_some())
                || a.user_uuid.is_some()
                || a.phone.is_some()
                || a.sms.is_some()
                || a.email.is_some()
        }
    };
    if !reachable {
        return Err(errors::ATTENDEE_NO_ADDRESS);
    }
    Ok(a)
}

/// SIP URI or TEL number, at most 127 characters (MMC.111072032/033).
fn check_call_number(n: &str) -> Result<(), ApiError> {
    if n.chars().count() > 127 {
        return Err(errors::ATTENDEE_NUMBER_TOO_LONG);
    }
    let ok = if let Some(uri) = n.strip_prefix("sip:") {
        !uri.is_empty() && !uri.contains(char::is_whitespace)
    } else {
        let digits = n.strip_prefix("tel:").unwrap_or(n);
        let digits = digits.strip_prefix('+').unwrap_or(digits);
        (3..=32).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if ok {
        Ok(())
    } else {
        Err(errors::ATTENDEE_NUMBER_FORMAT)
    }
}

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    e.len() <= 255
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

fn valid_mobile(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (5..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

// --- responses ---------------------------------------------------------------------------------

/// The login/refresh answer (Table 3-4, L564-586; example L615-687).
pub(crate) fn login_response(
    issued: Option<&Issued>,
    user: &User,
    ent: &Enterprise,
    options: &HuaweiOptions,
) -> Value {
    let (ucl_account, third_account, app_id) = match &user.login {
        Login::AppUser { third_account } => (
            format!("Auto-{}", user.uuid),
            Some(third_account.clone()),
            Some(ent.app_id.clone()),
        ),
        Login::DefaultAdmin => (
            format!("Auto-{}", user.uuid),
            None,
            Some(ent.app_id.clone()),
        ),
        Login::Account { account } => (account.clone(), Some(account.clone()), None),
    };
    let corp_type = if options.daily_create_limit.is_some() {
        5
    } else {
        0
    };
    let mut v = json!({
        "accessToken": issued.map(|i| i.access.clone()),
        "tokenIp": "127.0.0.1",
        "validPeriod": issued.map(|i| i.session.valid_period),
        "expireTime": issued.map(|i| i.session.expires_at),
        "createTime": issued.map(|i| i.session.created_ms),
        "user": {
            "realm": "huaweicloud.com",
            "userId": user.uuid,
            "ucloginAccount": ucl_account,
            "serviceAccount": format!("sip:{}@huaweicloud.com", user.sip_number),
            "numberHA1": super::state::sha256_hex(&user.sip_number)[..32],
            "alias1": null,
            "companyId": ent.company_id,
            "spId": ent.sp_id,
            "companyDomain": null,
            "userType": 2,
            "adminType": user.admin_type,
            "name": user.name,
            "nameEn": "",
            "isBindPhone": null,
            "freeUser": false,
            "thirdAccount": third_account,
            "visionAccount": null,
            "headPictureUrl": null,
            "password": null,
            "status": 0,
            "paidAccount": null,
            "paidPassword": null,
            "weLinkUser": false,
            "appId": app_id,
            "tr069Account": null,
            "corpType": corp_type,
            "cloudUserId": "",
            "grayUser": false
        },
        "clientType": issued.map(|i| i.session.client_type).unwrap_or(72),
        "forceLoginInd": null,
        "firstLogin": false,
        "pwdExpired": false,
        "daysPwdAvailable": -1,
        "delayDelete": false,
        "proxyToken": null,
        "tokenType": 0,
        "refreshToken": issued.map(|i| i.refresh.clone()),
        "refreshValidPeriod": super::state::REFRESH_VALID_SECS,
        "refreshExpireTime": issued.map(|i| i.session.refresh_expires_at),
        "refreshCreateTime": issued.map(|i| i.session.created_ms),
    });
    if issued.is_none() {
        v["refreshValidPeriod"] = Value::Null;
    }
    v
}

/// What the caller may see of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ViewerRole {
    /// The booker or a host invitee: both passwords and the host link.
    Chair,
    /// Anyone else allowed to look: guest password and guest link only (L2016).
    General,
}

const JOIN_HOST: &str = "https://c.meeting.huaweicloud.com/#/j";

pub(crate) fn chair_join_uri(m: &Meeting) -> String {
    format!("{JOIN_HOST}/{}/{}", m.conference_id, m.chair_link)
}

pub(crate) fn guest_join_uri(m: &Meeting) -> String {
    format!("{JOIN_HOST}/{}/{}", m.conference_id, m.guest_link)
}

/// "+99111283523474158" -> "+99111*****4158", as partAttendeeInfo shows phones (L2238).
pub(crate) fn mask_phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let keep_head = if chars.len() > 10 { 6 } else { 0 };
    let head: String = chars[..keep_head].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}*****{tail}")
}

/// ConferenceInfo (Table 4-8, L2001-2063; create example L2185-2248; list example L3420-3479).
pub(crate) fn conference_info(
    m: &Meeting,
    ent: &Enterprise,
    options: &HuaweiOptions,
    now: i64,
    viewer: ViewerRole,
    with_role: bool,
) -> Value {
    let b = &m.booking;
    let (start, end) = m.window(now);
    let state = match m.phase(now) {
        super::state::MeetingPhase::Schedule => "Schedule",
        super::state::MeetingPhase::Created => "Created",
        super::state::MeetingPhase::Destroyed | super::state::MeetingPhase::Cancelled => {
            "Destroyed"
        }
    };
    let mut passwords = Vec::new();
    if viewer == ViewerRole::Chair {
        passwords.push(json!({"conferenceRole": "chair", "password": m.chair_password}));
    }
    passwords.push(json!({"conferenceRole": "general", "password": m.guest_password}));

    // First 20 soft clients and first 20 hard terminals (L2044).
    let soft = b.attendees.iter().filter(|a| !a.is_hard_terminal());
    let hard = b.attendees.iter().filter(|a| a.is_hard_terminal());
    let part: Vec<Value> = soft
        .take(20)
        .chain(hard.take(20))
        .map(|a| {
            let mut p = Map::new();
            if let Some(phone) = &a.phone {
                p.insert("phone".into(), json!(mask_phone(phone)));
            }
            if let Some(name) = &a.name {
                p.insert("name".into(), json!(name));
            }
            p.insert("role".into(), json!(a.role));
            p.insert("isMute".into(), json!(a.is_mute));
            p.insert("type".into(), json!(a.kind));
            Value::Object(p)
        })
        .collect();
    let hard_count = b.attendees.iter().filter(|a| a.is_hard_terminal()).count();

    let mut v = json!({
        "conferenceID": m.conference_id,
        "mediaTypes": b.media_types,
        "subject": b.subject,
        "size": b.attendees.len(),
        "timeZoneID": b.time_zone_id,
        "startTime": format_minute(start),
        "endTime": format_minute(end),
        "conferenceState": state,
        "accessNumber": options.access_number,
        "language": b.language,
        "passwordEntry": passwords,
        "userUUID": m.owner,
        "scheduserName": m.owner_name,
        "multiStreamFlag": 1,
        "conferenceType": 0,
        "confType": if b.immediate { "IMMEDIATELY" } else { "FUTURE" },
        "isAutoMute": u8::from(b.config.is_auto_mute),
        "isHardTerminalAutoMute": u8::from(b.config.is_hard_terminal_auto_mute),
        "isAutoRecord": b.is_auto_record,
        "guestJoinUri": guest_join_uri(m),
        "recordType": b.record_type,
        "recordAuxStream": b.record_aux_stream,
        "recordAuthType": b.record_auth_type,
        "confConfigInfo": b.config,
        "vmrFlag": b.vmr_flag,
        "scheduleVmr": false,
        "partAttendeeInfo": part,
        "terminlCount": hard_count,
        "normalCount": b.attendees.len() - hard_count,
        "deptName": ent.company_name,
        "confMode": "RTC",
        "webinar": false,
        "concurrentParticipants": b.concurrent_participants,
        "supportSimultaneousInterpretation": b.support_simultaneous_interpretation,
    });
    let Value::Object(obj) = &mut v else { return v };
    if viewer == ViewerRole::Chair {
        obj.insert("chairJoinUri".into(), json!(chair_join_uri(m)));
    }
    if let Some(uuid) = m.conf_uuid_at(now) {
        obj.insert("confUUID".into(), json!(uuid));
    }
    if let Some(a) = &b.live_address {
        obj.insert("liveAddress".into(), json!(a));
    }
    if let Some(a) = &b.aux_address {
        obj.insert("auxAddress".into(), json!(a));
    }
    if let Some(id) = &b.vmr_id {
        obj.insert("vmrID".into(), json!(id));
    }
    if let Some(mode) = b.encrypt_mode {
        obj.insert("encryptMode".into(), json!(mode));
    }
    if let Some(cycle) = b.schedule.cycle() {
        // conferenceType 2 / confType CYCLE, cycleParams, subConfs and the first sub-meeting's
        // cycleSubConfID (Table 4-8, L2019-2021, L2062-2063; example L2711-2722, L2766-2797).
        obj.insert("conferenceType".into(), json!(2));
        obj.insert("confType".into(), json!("CYCLE"));
        obj.insert("cycleParams".into(), cycle_params_json(&cycle.params));
        let subs: Vec<Value> = cycle
            .subs
            .iter()
            .filter(|s| s.is_open(now))
            .map(|s| sub_conf_json(s, &m.conference_id))
            .collect();
        obj.insert("subConfs".into(), Value::Array(subs));
        if let Some(first) = cycle.current(now) {
            obj.insert("cycleSubConfID".into(), json!(first.id));
        }
    }
    if with_role {
        let role = match viewer {
            ViewerRole::Chair => "chair",
            ViewerRole::General => "general",
        };
        obj.insert("role".into(), json!(role));
    }
    v
}

/// CycleParams as responses show them (Table 4-15, L2118-2126; example L2715-2722).
/// `cycleCount` is undocumented and 0 in every example (L2719, L3128), whatever the number of
/// occurrences; the sim answers 0 too, so no client comes to rely on it.
pub(crate) fn cycle_params_json(p: &CycleParams) -> Value {
    let mut v = json!({
        "startDate": p.start_date.format("%Y-%m-%d").to_string(),
        "cycle": p.cycle.wire(),
        "endDate": p.end_date.format("%Y-%m-%d").to_string(),
        "cycleCount": 0,
        "interval": p.interval,
        "preRemindDays": p.pre_remind_days,
    });
    if !p.points.is_empty() {
        v["point"] = json!(p.points);
    }
    v
}

/// One Subconfs entry (Table 4-28, L2592-2605): note the singular `mediaType` (L2597).
pub(crate) fn sub_conf_json(s: &SubConf, conference_id: &str) -> Value {
    let (start, end) = s.window();
    let mut v = json!({
        "cycleSubConfID": s.id,
        "conferenceID": conference_id,
        "startTime": format_minute(start),
        "endTime": format_minute(end),
        "mediaType": s.media_types,
        "isAutoRecord": s.is_auto_record,
        "recordAuthType": s.record_auth_type,
        "confConfigInfo": s.config,
    });
    if let Some(d) = &s.description {
        v["description"] = json!(d);
    }
    v
}

/// ParticipantInfo (Table 4-54, L3567-3585) for one booked attendee.
pub(crate) fn participant_info(a: &Attendee) -> Value {
    let number = a.phone.as_deref().map(mask_phone);
    let mut p = json!({
        "participantID": number,
        "name": a.name,
        "subscriberID": number,
        "role": a.role,
        "state": "MEETING",
        "attendeeType": a.kind,
        "accountId": a.account_id,
        "email": a.email,
        "sms": a.sms.as_deref().map(mask_phone),
        "deptName": a.dept_name,
        "userUUID": a.user_uuid,
        "appId": a.app_id,
        "isNotOverlayPidName": false,
    });
    if let (Some(n), Value::Object(obj)) = (a.is_auto_invite, &mut p) {
        obj.insert("isAutoInvite".into(), json!(n));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_format_is_exact() {
        assert!(parse_start_time("2030-08-30 12:00").is_ok());
        for bad in [
            "2030-08-30 12:00:00",
            "2030-8-30 12:00",
            "2030-08-30T12:00",
            "2030-02-30 12:00",
            "2030-08-30 24:00",
        ] {
            assert_eq!(
                parse_start_time(bad),
                Err(errors::PARAMETER_VERIFIED_FAIL),
                "{bad}"
            );
        }
    }

    #[test]
    fn media_types_are_normalized() {
        assert_eq!(
            normalize_media_types("HDVideo").unwrap(),
            "Data,Voice,HDVideo"
        );
        assert_eq!(normalize_media_types("Voice").unwrap(), "Data,Voice");
        assert!(normalize_media_types("HVideo").is_err());
    }

    #[test]
    fn phones_are_masked_like_the_examples() {
        assert_eq!(mask_phone("+991116006724158"), "+99111*****4158");
    }
}
