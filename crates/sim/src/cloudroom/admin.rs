//! Recordings (L628-L726), companies (L728-L837), users (L839-L966) and departments
//! (L968-L1084). Not needed to book; answered in the documented shapes.
//!
//! The document has no error codes for these beyond 21030 (recording) and the generic 400
//! "请求地址或参数错误": a missing required field, a duplicate or unknown company, account or
//! department, and an invalid `roleType` are all 400 [fake-decision].

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

use super::errors::{self, ApiError};
use super::meetings::conf_id;
use super::state::{Company, Department, User, ROOT_DEPARTMENT};
use super::wire;
use super::CloudroomSim;

type Answer = Result<Json<Value>, ApiError>;

fn required(body: &serde_json::Map<String, Value>, name: &str) -> Result<String, ApiError> {
    wire::string(body.get(name))?
        .filter(|s| !s.trim().is_empty())
        .ok_or(errors::BAD_REQUEST)
}

/// GET /v2/video/{confId}?current=&size= (L628-L694) → `{total, records, remaining}`.
/// An unknown meeting is 22201 [fake-decision]; recordings of a deleted meeting stay listed
/// by its id.
pub(crate) async fn list_videos(
    State(sim): State<CloudroomSim>,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let id = conf_id(&raw)?;
    let q = wire::query(q.as_deref())?;
    sim.read(|st| {
        if !st.meetings.contains_key(&id) && !st.deleted.contains(&id) {
            return Err(errors::NO_MEETING);
        }
        let items: Vec<_> = st.recordings.iter().filter(|r| r.conf_id == id).collect();
        let out = wire::page(&q, &items, true, |r| {
            json!({
                "title": r.title,
                "fileId": r.file_id,
                "confId": r.conf_id,
                "createTime": r.create_time,
                "duration": r.duration,
                "size": r.size,
                "url": format!("http://www.cloudroom.com/lv//vod/{}/f0.mp4?download", r.file_id),
                "vodUrl": format!("http://www.cloudroom.com/vod/{}", r.file_id),
            })
        })?;
        Ok(Json(out))
    })
}

/// DELETE /v2/video/{fileId} (L696-L726) → `{}`; 21030 when unknown.
pub(crate) async fn delete_video(
    State(sim): State<CloudroomSim>,
    Path(file_id): Path<String>,
) -> Answer {
    sim.write(|st| {
        let before = st.recordings.len();
        st.recordings.retain(|r| r.file_id != file_id);
        if st.recordings.len() == before {
            return Err(errors::NO_VIDEO);
        }
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// POST /v2/company (platform key, L730) → `{compGUID, compName, admin, adminName}`.
pub(crate) async fn create_company(State(sim): State<CloudroomSim>, body: Bytes) -> Answer {
    let body = wire::object(&body)?;
    let c = Company {
        comp_guid: required(&body, "compGUID")?,
        comp_name: required(&body, "compName")?,
        admin: required(&body, "admin")?,
        admin_name: required(&body, "adminName")?,
    };
    required(&body, "adminPwd")?;
    sim.write(|st| {
        if st.companies.contains_key(&c.comp_guid) {
            return Err(errors::BAD_REQUEST);
        }
        st.companies.insert(c.comp_guid.clone(), c.clone());
        Ok(())
    })?;
    // The password is not echoed (L761-L775).
    Ok(Json(json!({
        "compGUID": c.comp_guid, "compName": c.comp_name, "admin": c.admin, "adminName": c.admin_name,
    })))
}

/// PUT /v2/company/{compGUID} (L779-L811) → `{}`.
pub(crate) async fn modify_company(
    State(sim): State<CloudroomSim>,
    Path(guid): Path<String>,
    body: Bytes,
) -> Answer {
    let body = wire::object(&body)?;
    let name = required(&body, "compName")?;
    sim.write(|st| {
        let c = st.companies.get_mut(&guid).ok_or(errors::BAD_REQUEST)?;
        c.comp_name = name;
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// DELETE /v2/company/{compGUID} (L813-L837) → `{}`.
pub(crate) async fn delete_company(
    State(sim): State<CloudroomSim>,
    Path(guid): Path<String>,
) -> Answer {
    sim.write(|st| {
        st.companies.remove(&guid).ok_or(errors::BAD_REQUEST)?;
        Ok(())
    })?;
    Ok(Json(json!({})))
}

fn role(v: Option<&Value>) -> Result<Option<i64>, ApiError> {
    match wire::long(v)? {
        Some(r) if !(1..=5).contains(&r) => Err(errors::BAD_REQUEST),
        other => Ok(other),
    }
}

fn user_json(u: &User) -> Value {
    json!({
        "account": u.account,
        "name": u.name,
        "mobile": u.mobile,
        "departmentId": u.department_id,
        "roleType": u.role_type,
        "email": u.email,
    })
}

/// POST /v2/user (L839-L900) → `{account, name, mobile, departmentId, roleType, email}`. The
/// new user also gets a Long id (not answered, L876; [`super::CloudroomSim::users`] shows it).
pub(crate) async fn create_user(State(sim): State<CloudroomSim>, body: Bytes) -> Answer {
    let body = wire::object(&body)?;
    let account = required(&body, "account")?;
    let password = required(&body, "password")?;
    let name = required(&body, "name")?;
    let mobile = wire::string(body.get("mobile"))?;
    let email = wire::string(body.get("email"))?;
    let department = wire::long(body.get("departmentId"))?;
    let role_type = role(body.get("roleType"))?.unwrap_or(2);
    let user = sim.write(|st| {
        if st.users.iter().any(|u| u.account == account) {
            return Err(errors::BAD_REQUEST);
        }
        let department_id = department.unwrap_or(ROOT_DEPARTMENT);
        if department_id != ROOT_DEPARTMENT && st.department(department_id).is_none() {
            return Err(errors::BAD_REQUEST);
        }
        st.last_user_id += 1 + i64::from(rand::random::<u8>() % 16);
        let u = User {
            id: st.last_user_id,
            account,
            name,
            password,
            mobile,
            email,
            department_id,
            role_type,
        };
        st.users.push(u.clone());
        Ok(u)
    })?;
    Ok(Json(user_json(&user)))
}

/// PUT /v2/user/{account} (L902-L940) → `{}`; every field optional.
pub(crate) async fn modify_user(
    State(sim): State<CloudroomSim>,
    Path(account): Path<String>,
    body: Bytes,
) -> Answer {
    let body = wire::object(&body)?;
    let password = wire::string(body.get("password"))?;
    let name = wire::string(body.get("name"))?;
    let mobile = wire::string(body.get("mobile"))?;
    let email = wire::string(body.get("email"))?;
    let department = wire::long(body.get("departmentId"))?;
    let role_type = role(body.get("roleType"))?;
    sim.write(|st| {
        if let Some(d) = department {
            if d != ROOT_DEPARTMENT && st.department(d).is_none() {
                return Err(errors::BAD_REQUEST);
            }
        }
        let u = st
            .users
            .iter_mut()
            .find(|u| u.account == account)
            .ok_or(errors::BAD_REQUEST)?;
        if let Some(p) = password.filter(|p| !p.is_empty()) {
            u.password = p;
        }
        if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
            u.name = n;
        }
        if mobile.is_some() {
            u.mobile = mobile;
        }
        if email.is_some() {
            u.email = email;
        }
        if let Some(d) = department {
            u.department_id = d;
        }
        if let Some(r) = role_type {
            u.role_type = r;
        }
        Ok(())
    })?;
    Ok(Json(json!({})))
}

/// DELETE /v2/user/{account} (L942-L966) → `{}`. The company creator cannot be deleted
/// (22224) [fake-decision]; meetings keep the deleted user's id.
pub(crate) async fn delete_user(
    State(sim): State<CloudroomSim>,
    Path(account): Path<String>,
) -> Answer {
    sim.write(|st| {
        let u = st
            .users
            .iter()
            .find(|u| u.account == account)
            .ok_or(errors::BAD_REQUEST)?;
        if u.id == st.creator_id {
            return Err(errors::FORBIDDEN);
        }
        st.users.retain(|u| u.account != account);
        Ok(())
    })?;
    Ok(Json(json!({})))
}

fn department_json(st: &super::state::State, d: &Department) -> Value {
    json!({
        "departmentId": d.id,
        "name": d.name,
        "parentId": d.parent_id,
        "fullPath": st.full_path(d.id),
    })
}

fn name_and_parent(body: &serde_json::Map<String, Value>) -> Result<(String, i64), ApiError> {
    let name = required(body, "name")?;
    let parent = wire::long(body.get("parentId"))?.ok_or(errors::BAD_REQUEST)?;
    Ok((name, parent))
}

/// POST /v2/department (L968-L1013) → `{departmentId, name, parentId, fullPath}`; parentId 1
/// = directly under the root (L980).
pub(crate) async fn create_department(State(sim): State<CloudroomSim>, body: Bytes) -> Answer {
    let body = wire::object(&body)?;
    let (name, parent) = name_and_parent(&body)?;
    sim.write(|st| {
        if parent != ROOT_DEPARTMENT && st.department(parent).is_none() {
            return Err(errors::BAD_REQUEST);
        }
        st.last_department_id += 1;
        let d = Department {
            id: st.last_department_id,
            name,
            parent_id: parent,
        };
        st.departments.push(d.clone());
        Ok(Json(department_json(st, &d)))
    })
}

/// PUT /v2/department/{departmentId} (L1015-L1056) → the department. Moving it under itself
/// or a descendant is 400.
pub(crate) async fn modify_department(
    State(sim): State<CloudroomSim>,
    Path(raw): Path<String>,
    body: Bytes,
) -> Answer {
    let id = conf_id(&raw)?;
    let body = wire::object(&body)?;
    let (name, parent) = name_and_parent(&body)?;
    sim.write(|st| {
        st.department(id).ok_or(errors::BAD_REQUEST)?;
        if parent != ROOT_DEPARTMENT && st.department(parent).is_none() {
            return Err(errors::BAD_REQUEST);
        }
        let mut cur = parent;
        for _ in 0..64 {
            if cur == id {
                return Err(errors::BAD_REQUEST);
            }
            match st.department(cur) {
                Some(d) => cur = d.parent_id,
                None => break,
            }
        }
        let d = st
            .departments
            .iter_mut()
            .find(|d| d.id == id)
            .ok_or(errors::BAD_REQUEST)?;
        d.name = name;
        d.parent_id = parent;
        let d = d.clone();
        Ok(Json(department_json(st, &d)))
    })
}

/// DELETE /v2/department/{departmentId} (L1058-L1084) → `{}`. Its members move to the root
/// as ordinary users (role 3, L1060); a department with sub-departments is 400
/// [fake-decision].
pub(crate) async fn delete_department(
    State(sim): State<CloudroomSim>,
    Path(raw): Path<String>,
) -> Answer {
    let id = conf_id(&raw)?;
    sim.write(|st| {
        st.department(id).ok_or(errors::BAD_REQUEST)?;
        if st.departments.iter().any(|d| d.parent_id == id) {
            return Err(errors::BAD_REQUEST);
        }
        st.departments.retain(|d| d.id != id);
        for u in st.users.iter_mut().filter(|u| u.department_id == id) {
            u.department_id = ROOT_DEPARTMENT;
            u.role_type = 3;
        }
        Ok(())
    })?;
    Ok(Json(json!({})))
}
