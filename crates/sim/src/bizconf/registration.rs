//! Registration: questions (3.31), add a registrant (3.32), list registrants (3.33).
//!
//! Choices where the document is silent or unclear:
//! - `confId` is "the `id` field returned by booking" (L3547, L3667, L3862), which booking
//!   does not return (note §6.6): the meeting's `confId` and its 10-digit `confNumber` are
//!   both accepted.
//! - Array parameters (`questions`, `custom_questions`) travel as JSON text in one form field
//!   (note §6.25 [inference]); text that is not a JSON array of the documented objects is 109,
//!   values outside the documented enums are 104.
//! - Only meetings booked with `registrationType=1` (L401) take registrations; others: 712
//!   "会议模式错误". An ended meeting: 201 (L3832 "only before the meeting's end time"; the
//!   same for 3.31/3.32); a cancelled one 401.
//! - Registering an e-mail address already registered answers the existing registration (same
//!   id and link) instead of a second one.
//! - The join link is `https://meeting.bizvideo.cn/j/<confNumber>?tk=<tk>` (L3822); 3.33's
//!   sample shows `/w/` (L3915), the webinar form: the sim books meetings, not webinars.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

use super::auth;
use super::errors::{self, ApiError};
use super::state::{
    opaque_token, random_b64url, ConfStatus, Meeting, Registrant, State as SimState,
};
use super::wire::{self, Params};
use super::BizconfSim;

/// `field_name` values of 3.31 `questions` (L3619).
const STANDARD_FIELDS: [&str; 14] = [
    "last_name",
    "address",
    "city",
    "country",
    "zip",
    "state",
    "phone",
    "industry",
    "org",
    "job_title",
    "purchasing_time_frame",
    "role_in_purchase_process",
    "no_of_employees",
    "comments",
];

/// Text fields of a registrant, as 3.33 lists them (L3890-L3906), plus `language`.
const REGISTRANT_FIELDS: [&str; 17] = [
    "first_name",
    "last_name",
    "email",
    "address",
    "city",
    "country",
    "zip",
    "state",
    "phone",
    "industry",
    "org",
    "job_title",
    "purchasing_time_frame",
    "role_in_purchase_process",
    "no_of_employees",
    "comments",
    "language",
];

/// L3789.
const EMPLOYEES: [&str; 8] = [
    "1-20",
    "21-50",
    "51-100",
    "101-500",
    "500-1,000",
    "1,001-5,000",
    "5,001-10,000",
    "More than 10,000",
];

/// L3804.
const LANGUAGES: [&str; 14] = [
    "en-US", "de-DE", "es-ES", "fr-FR", "jp-JP", "pt-PT", "ru-RU", "zh-CN", "zh-TW", "ko-KO",
    "it-IT", "vi-VN", "pl-PL", "Tr-TR",
];

/// Custom answers: at most 128 characters (L3769).
const MAX_ANSWER: usize = 128;
/// Bounds (assumption): questions per meeting, characters per field, registrants per meeting.
const MAX_QUESTIONS: usize = 50;
const MAX_FIELD: usize = 256;
const MAX_REGISTRANTS: usize = 10_000;

/// The caller's registration meeting named by `confId`, not cancelled and not over.
fn registration_meeting<'a>(st: &'a SimState, p: &Params) -> Result<&'a Meeting, ApiError> {
    let user_id = p.req("userId")?;
    if !st.users.contains_key(user_id) {
        return Err(errors::NO_ACCOUNT);
    }
    let m = st
        .find_meeting(p.req("confId")?)
        .filter(|m| m.user_id == user_id)
        .ok_or(errors::NO_MEETING)?;
    match m.status(st.now_s()) {
        ConfStatus::Cancelled => return Err(errors::NO_MEETING),
        ConfStatus::Ended => return Err(errors::BAD_TIME),
        _ => {}
    }
    if !m.registration {
        return Err(errors::BAD_MODE);
    }
    Ok(m)
}

fn json_array(p: &Params, name: &str) -> Result<Option<Vec<Map<String, Value>>>, ApiError> {
    let Some(raw) = p.non_empty(name) else {
        return Ok(None);
    };
    let v: Value = serde_json::from_str(raw).map_err(|_| errors::BAD_PARAM)?;
    let Value::Array(items) = v else {
        return Err(errors::BAD_PARAM);
    };
    if items.len() > MAX_QUESTIONS {
        return Err(errors::BAD_MEETING_PARAM);
    }
    items
        .into_iter()
        .map(|i| match i {
            Value::Object(o) => Ok(o),
            _ => Err(errors::BAD_PARAM),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn string_in(o: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    match o.get(key) {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= MAX_FIELD => Ok(s.clone()),
        Some(Value::String(s)) if !s.is_empty() => Err(errors::BAD_MEETING_PARAM),
        _ => Err(errors::BAD_PARAM),
    }
}

fn bool_in(o: &Map<String, Value>, key: &str) -> Result<bool, ApiError> {
    match o.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(errors::BAD_PARAM),
    }
}

/// `POST /openapi/v2/updateRegistrationQuestions` (3.31, L3515-L3631). Each list given
/// replaces the meeting's; one left out stays. Answers `{"status":"100","message":""}`, the
/// status a string (L3628-L3631).
pub(crate) async fn update_questions(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    let custom = json_array(&p, "custom_questions")?
        .map(|items| {
            items
                .iter()
                .map(|q| {
                    let title = string_in(q, "title")?;
                    let kind = string_in(q, "type")?;
                    if kind != "short" && kind != "single" {
                        return Err(errors::BAD_MEETING_PARAM);
                    }
                    let answers: Vec<String> = match q.get("answers") {
                        None => Vec::new(),
                        Some(Value::Array(a)) => a
                            .iter()
                            .map(|x| x.as_str().map(str::to_owned).ok_or(errors::BAD_PARAM))
                            .collect::<Result<_, _>>()?,
                        Some(_) => return Err(errors::BAD_PARAM),
                    };
                    Ok(json!({
                        "title": title,
                        "type": kind,
                        "required": bool_in(q, "required")?,
                        "answers": answers,
                    }))
                })
                .collect::<Result<Vec<Value>, ApiError>>()
        })
        .transpose()?;
    let standard = json_array(&p, "questions")?
        .map(|items| {
            items
                .iter()
                .map(|q| {
                    let field = string_in(q, "field_name")?;
                    if !STANDARD_FIELDS.contains(&field.as_str()) {
                        return Err(errors::BAD_MEETING_PARAM);
                    }
                    Ok(json!({"field_name": field, "required": bool_in(q, "required")?}))
                })
                .collect::<Result<Vec<Value>, ApiError>>()
        })
        .transpose()?;
    sim.write(|st| {
        let id = registration_meeting(st, &p)?.conf_id;
        if let Some(m) = st.meetings.get_mut(&id) {
            if let Some(c) = custom {
                m.questions["custom_questions"] = Value::Array(c);
            }
            if let Some(s) = standard {
                m.questions["questions"] = Value::Array(s);
            }
        }
        Ok(Json(json!({"status": "100", "message": ""})))
    })
}

fn registrant_join_url(m: &Meeting, r: &Registrant) -> String {
    format!(
        "https://meeting.bizvideo.cn/j/{}?tk={}",
        m.conf_number, r.tk
    )
}

/// Questions marked required that the registrant left unanswered: 109.
fn check_required(
    m: &Meeting,
    fields: &std::collections::BTreeMap<String, String>,
    custom: &[(String, String)],
) -> Result<(), ApiError> {
    let required = |q: &&Value| q["required"].as_bool() == Some(true);
    let empty = Vec::new();
    let standard = m.questions["questions"].as_array().unwrap_or(&empty);
    for q in standard.iter().filter(required) {
        let name = q["field_name"].as_str().unwrap_or("");
        if fields.get(name).is_none_or(String::is_empty) {
            return Err(errors::BAD_PARAM);
        }
    }
    let customs = m.questions["custom_questions"].as_array().unwrap_or(&empty);
    for q in customs.iter().filter(required) {
        let title = q["title"].as_str().unwrap_or("");
        if !custom.iter().any(|(t, v)| t == title && !v.is_empty()) {
            return Err(errors::BAD_PARAM);
        }
    }
    Ok(())
}

/// `POST /openapi/v2/addRegistrant` (3.32, L3635-L3825): `first_name` and `email` required
/// (L3683, L3695); each registrant gets a personal join link with its own `tk`.
pub(crate) async fn add_registrant(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    p.req("first_name")?;
    let email = p.req("email")?;
    let well_formed = email
        .split_once('@')
        .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.contains('@'));
    if !well_formed {
        return Err(errors::BAD_PARAM);
    }
    let mut fields = std::collections::BTreeMap::new();
    for name in REGISTRANT_FIELDS {
        let v = p.raw(name).unwrap_or("");
        if v.chars().count() > MAX_FIELD {
            return Err(errors::BAD_MEETING_PARAM);
        }
        fields.insert(name.to_owned(), v.to_owned());
    }
    let employees = fields["no_of_employees"].as_str();
    if !employees.is_empty() && !EMPLOYEES.contains(&employees) {
        return Err(errors::BAD_MEETING_PARAM);
    }
    let language = fields["language"].as_str();
    if !language.is_empty() && !LANGUAGES.contains(&language) {
        return Err(errors::BAD_MEETING_PARAM);
    }
    let custom: Vec<(String, String)> = json_array(&p, "custom_questions")?
        .unwrap_or_default()
        .iter()
        .map(|q| {
            let title = string_in(q, "title")?;
            let value = match q.get("value") {
                Some(Value::String(v)) if v.chars().count() <= MAX_ANSWER => v.clone(),
                Some(Value::String(_)) => return Err(errors::BAD_MEETING_PARAM),
                _ => return Err(errors::BAD_PARAM),
            };
            Ok((title, value))
        })
        .collect::<Result<_, ApiError>>()?;
    // Default true (L3811).
    let approved = match p.non_empty("auto_approve") {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(errors::BAD_PARAM),
    };
    sim.write(|st| {
        let now = st.now_s();
        let m = registration_meeting(st, &p)?;
        let existing = m
            .registrants
            .iter()
            .find(|r| r.fields["email"].eq_ignore_ascii_case(&fields["email"]));
        let r = match existing {
            Some(r) => r.clone(),
            None => {
                check_required(m, &fields, &custom)?;
                if m.registrants.len() >= MAX_REGISTRANTS {
                    return Err(errors::NO_RESOURCES);
                }
                let r = Registrant {
                    id: random_b64url(16),
                    fields,
                    custom_questions: custom,
                    status: if approved { "approved" } else { "pending" }.to_owned(),
                    create_time: now,
                    tk: opaque_token(),
                };
                let id = m.conf_id;
                if let Some(m) = st.meetings.get_mut(&id) {
                    m.registrants.push(r.clone());
                }
                r
            }
        };
        let m = registration_meeting(st, &p)?;
        Ok(Json(json!({
            "status": 100,
            "message": "success",
            "data": {
                "registrant_id": r.id,
                // The meeting number, as a number (L3819: 1130352963).
                "id": m.conf_number.parse::<u64>().unwrap_or(0),
                "topic": m.conf_name,
                "start_time": wire::fmt_iso(m.start),
                "join_url": registrant_join_url(m, &r),
                "tk": r.tk,
            }
        })))
    })
}

/// `GET /openapi/v2/getRegistrants` (3.33, L3830-L3918): registrants with `status`
/// (default approved; pending, approved or denied, L3880-L3882).
pub(crate) async fn list_registrants(
    State(sim): State<BizconfSim>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    auth::check(&sim, &p, "userId")?;
    let status = p.non_empty("status").unwrap_or("approved");
    if !["pending", "approved", "denied"].contains(&status) {
        return Err(errors::BAD_MEETING_PARAM);
    }
    sim.read(|st| {
        let m = registration_meeting(st, &p)?;
        let data: Vec<Value> = m
            .registrants
            .iter()
            .filter(|r| r.status == status)
            .map(|r| {
                let mut o = Map::new();
                o.insert("id".into(), json!(r.id));
                for name in REGISTRANT_FIELDS.iter().filter(|n| **n != "language") {
                    o.insert((*name).into(), json!(r.fields[*name]));
                }
                o.insert(
                    "custom_questions".into(),
                    Value::Array(
                        r.custom_questions
                            .iter()
                            .map(|(t, v)| json!({"title": t, "value": v}))
                            .collect(),
                    ),
                );
                o.insert("status".into(), json!(r.status));
                o.insert("create_time".into(), json!(wire::fmt_iso(r.create_time)));
                o.insert("join_url".into(), json!(registrant_join_url(m, r)));
                Value::Object(o)
            })
            .collect();
        Ok(Json(
            json!({"status": 100, "message": "success", "data": data}),
        ))
    })
}
