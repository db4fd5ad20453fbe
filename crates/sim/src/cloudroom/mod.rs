//! Fake CloudRoom (云屋) meeting Web API, built from the vendor document
//! vendor-docs/004_4811e8f414f0903c.txt (`Lnnn` below) and its digest vendor-notes/cloudroom.md
//! (`note §n`). Where the document is silent the choice is marked [fake-decision].
//!
//! The listener's `base_url` is the host only (`http://127.0.0.1:PORT`, like every other fake);
//! the API lives under [`BASE`] = `/CLOUDROOM-SERVER`, as on `https://www.cloudroom.com`
//! (L118), so a client appends `/CLOUDROOM-SERVER/v2/…` to either. The listener's credentials
//! also carry it as `base_path`.
//!
//! | endpoint | method | path (after `/CLOUDROOM-SERVER`) | doc |
//! |---|---|---|---|
//! | create meeting | POST | `/v2/conference` | L114 |
//! | modify meeting | PUT | `/v2/conference/{confId}` | L155 |
//! | query meeting | GET | `/v2/conference/{confId}` | L188 |
//! | join (CRMT) | GET | `/v2/conference/{confId}/join` | L291 |
//! | end | POST | `/v2/conference/{confId}/end` | L359 |
//! | delete | DELETE | `/v2/conference/{confId}` | L389 |
//! | list (300/min) | GET | `/v2/conference/list` | L416 |
//! | history (300/min) | GET | `/v2/conference/history/list` | L497 |
//! | recordings | GET | `/v2/video/{confId}` | L628 |
//! | delete recording | DELETE | `/v2/video/{fileId}` | L696 |
//! | company (platform key) | POST, PUT, DELETE | `/v2/company[/{compGUID}]` | L728-L837 |
//! | user | POST, PUT, DELETE | `/v2/user[/{account}]` | L839-L966 |
//! | department | POST, PUT, DELETE | `/v2/department[/{departmentId}]` | L968-L1084 |
//!
//! Success: HTTP 200 with the bare JSON the document shows (no envelope, note §1.4). Errors:
//! `{code,msg}` with HTTP 400 (auth), 429 (22008) or 500 (business, and 400 "请求地址或参数错误"
//! for unknown paths, wrong methods, malformed JSON and wrong types). Every answer carries a
//! `Date` header by the sim clock. Control endpoints under `/__sim/` are not vendor API.

mod admin;
mod auth;
mod errors;
mod meetings;
mod state;
mod wire;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use auth::sign;
pub use errors::{http_status, message, CODES};
pub use state::{CloudroomOptions, ConfStatus};

use crate::faults::{Fault, FaultSet};
use crate::persist::Persistent;
use crate::server::Backend;
use crate::SimError;
use errors::ApiError;
use state::State as SimState;

/// Where the API lives on the host (L118 and every other URL of the document).
pub const BASE: &str = "/CLOUDROOM-SERVER";

/// The sandbox company's API credentials (also in [`crate::ListenerInfo::credentials`]).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCredentials {
    /// `X-CR-SecretId` (L26).
    pub secret_id: String,
    /// Signs only, never sent (L17-L18).
    pub secret_key: String,
    /// The company creator's user id (a Long, as decimal text): `hostId` by default (L126),
    /// usable as `searchUserId`, `hostId`, `inviteIds`.
    pub user_id: String,
    pub user_name: String,
    /// `/CLOUDROOM-SERVER`: the API's path on the listener's host.
    pub base_path: String,
}

impl std::fmt::Debug for SandboxCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxCredentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("user_name", &self.user_name)
            .finish()
    }
}

/// The platform-global key for the company endpoints (L730); not in the listener's JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct PlatformCredentials {
    pub secret_id: String,
    pub secret_key: String,
}

/// A user of the sandbox company.
#[derive(Debug, Clone, Serialize)]
pub struct UserSnapshot {
    pub id: i64,
    pub account: String,
    pub name: String,
    pub department_id: i64,
    pub role_type: i64,
}

/// A meeting as the fake holds it (tests, `GET /__sim/state`).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingSnapshot {
    pub conf_id: i64,
    pub subject: String,
    pub host_id: i64,
    pub invitee_ids: Vec<i64>,
    pub assistant_ids: Vec<i64>,
    pub password: String,
    /// None: instant meeting.
    pub schedule_time: Option<i64>,
    pub schedule_end_time: Option<i64>,
    pub period_type: i64,
    pub period_end_time: i64,
    /// By the sim clock, now.
    pub status: ConfStatus,
    /// Nicknames that joined, in order.
    pub joined: Vec<String>,
    pub email_notice: i64,
    pub sms_notice: i64,
    pub vote_ids: Vec<String>,
    pub can_join_adv: i64,
    pub allow_join: i64,
    pub virtual_members: i64,
    pub vwallo: i64,
}

/// An error the fake answers instead of serving (after authentication): `code` with its
/// family's HTTP status and message (22008 → 429, 22001-22009 → 400, else 500), or `502` for
/// an HTTP 502 with a non-JSON body (a gateway in between).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Injected {
    pub code: i64,
    pub remaining: u32,
    /// Only paths starting with this (e.g. "/CLOUDROOM-SERVER/v2/conference/list").
    #[serde(default)]
    pub path_prefix: Option<String>,
}

pub(crate) struct Shared {
    state: Persistent<SimState>,
    faults: FaultSet,
    injected: Mutex<Vec<Injected>>,
    requests: AtomicU64,
    expire_pending: AtomicBool,
    /// (secretId, path) → (clock minute, calls in it).
    rate: Mutex<HashMap<(String, String), (i64, u32)>>,
    crmts: Mutex<VecDeque<String>>,
    signatures: Mutex<VecDeque<String>>,
    request_ids: Mutex<VecDeque<Option<String>>>,
}

/// Remembered secrets and ids per kind; the oldest are forgotten beyond this.
const MAX_REMEMBERED: usize = 20_000;

fn remember<T>(q: &Mutex<VecDeque<T>>, v: T) {
    let mut q = crate::persist::lock(q);
    if q.len() >= MAX_REMEMBERED {
        q.pop_front();
    }
    q.push_back(v);
}

/// Cheap clone handle on the CloudRoom fake's shared state.
#[derive(Clone)]
pub struct CloudroomSim {
    shared: Arc<Shared>,
}

impl CloudroomSim {
    /// Load state from `path` (or start fresh, with new random credentials, and write it).
    pub(crate) fn open(path: Option<PathBuf>) -> Result<CloudroomSim, SimError> {
        Ok(CloudroomSim {
            shared: Arc::new(Shared {
                state: Persistent::open(path, SimState::fresh)?,
                faults: FaultSet::default(),
                injected: Mutex::new(Vec::new()),
                requests: AtomicU64::new(0),
                expire_pending: AtomicBool::new(false),
                rate: Mutex::new(HashMap::new()),
                crmts: Mutex::new(VecDeque::new()),
                signatures: Mutex::new(VecDeque::new()),
                request_ids: Mutex::new(VecDeque::new()),
            }),
        })
    }

    pub(crate) fn router(&self) -> Router {
        let v2 = |p: &str| format!("{BASE}/v2{p}");
        let api = Router::new()
            .route(&v2("/conference"), post(meetings::create))
            .route(&v2("/conference/list"), get(meetings::list))
            .route(&v2("/conference/history/list"), get(meetings::history))
            .route(
                &v2("/conference/{conf_id}"),
                get(meetings::query)
                    .put(meetings::modify)
                    .delete(meetings::delete),
            )
            .route(&v2("/conference/{conf_id}/join"), get(meetings::join))
            .route(&v2("/conference/{conf_id}/end"), post(meetings::end))
            .route(
                &v2("/video/{id}"),
                get(admin::list_videos).delete(admin::delete_video),
            )
            .route(&v2("/company"), post(admin::create_company))
            .route(
                &v2("/company/{guid}"),
                axum::routing::put(admin::modify_company).delete(admin::delete_company),
            )
            .route(&v2("/user"), post(admin::create_user))
            .route(
                &v2("/user/{account}"),
                axum::routing::put(admin::modify_user).delete(admin::delete_user),
            )
            .route(&v2("/department"), post(admin::create_department))
            .route(
                &v2("/department/{id}"),
                axum::routing::put(admin::modify_department).delete(admin::delete_department),
            )
            .route("/__sim/options", post(control_options))
            .route("/__sim/state", get(control_state))
            .route("/__sim/inject", post(control_inject))
            .merge(crate::control::routes())
            .fallback(bad_request)
            .method_not_allowed_fallback(bad_request)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                auth::check,
            ))
            .with_state(self.clone());
        crate::server::wrap(api, Arc::new(self.clone()))
    }

    pub fn credentials(&self) -> SandboxCredentials {
        let st = self.lock();
        SandboxCredentials {
            secret_id: st.company.secret_id.clone(),
            secret_key: st.company.secret_key.clone(),
            user_id: st.creator_id.to_string(),
            user_name: st.user_name(st.creator_id),
            base_path: BASE.to_owned(),
        }
    }

    pub(crate) fn credentials_json(&self) -> Value {
        serde_json::to_value(self.credentials()).unwrap_or(Value::Null)
    }

    pub fn platform_credentials(&self) -> PlatformCredentials {
        let st = self.lock();
        PlatformCredentials {
            secret_id: st.platform.secret_id.clone(),
            secret_key: st.platform.secret_key.clone(),
        }
    }

    /// Replace the company's secretId/secretKey (e.g. the document's pair, L43-L46).
    /// Persisted; the `ListenerInfo` printed at start is not updated.
    pub fn set_company_key(&self, secret_id: &str, secret_key: &str) {
        let _ = self.write(|st| {
            st.company.secret_id = secret_id.to_owned();
            st.company.secret_key = secret_key.to_owned();
            Ok(())
        });
    }

    /// Every user of the company, the creator (sandbox user) first.
    pub fn users(&self) -> Vec<UserSnapshot> {
        self.lock()
            .users
            .iter()
            .map(|u| UserSnapshot {
                id: u.id,
                account: u.account.clone(),
                name: u.name.clone(),
                department_id: u.department_id,
                role_type: u.role_type,
            })
            .collect()
    }

    /// `nick_name` enters the meeting in the CloudRoom client, as launching its CRMT string
    /// does (L323-357); `host` as its host. The meeting is in progress from then on.
    pub fn enter(&self, conf_id: i64, nick_name: &str, host: bool) -> Result<(), ApiError> {
        self.write(|st| meetings::enter(st, conf_id, nick_name, host))
    }

    /// Every meeting not deleted, by confId.
    pub fn meetings(&self) -> Vec<MeetingSnapshot> {
        let st = self.lock();
        let now = st.now_s();
        st.meetings
            .values()
            .map(|m| MeetingSnapshot {
                conf_id: m.conf_id,
                subject: m.subject.clone(),
                host_id: m.host_id,
                invitee_ids: m.invitee_ids.clone(),
                assistant_ids: m.assistant_ids.clone(),
                password: m.password.clone(),
                schedule_time: m.schedule.map(|s| s.start),
                schedule_end_time: m.schedule.map(|s| s.end),
                period_type: m.schedule.map(|s| s.period_type).unwrap_or(0),
                period_end_time: m.schedule.map(|s| s.period_end).unwrap_or(0),
                status: m.status(now),
                joined: m.joins.iter().map(|j| j.nick_name.clone()).collect(),
                email_notice: m.email_notice,
                sms_notice: m.sms_notice,
                vote_ids: m.vote_ids.clone(),
                can_join_adv: m.attributes.can_join_adv,
                allow_join: m.attributes.allow_join,
                virtual_members: m.attributes.virtual_members,
                vwallo: m.attributes.vwallo,
            })
            .collect()
    }

    pub fn meeting(&self, conf_id: i64) -> Option<MeetingSnapshot> {
        self.meetings().into_iter().find(|m| m.conf_id == conf_id)
    }

    /// What the CloudRoom console can do and the API cannot: set a series' period type to
    /// 6 (quarterly) or 7 (yearly), which only the lists document (L464). False if unknown or
    /// not scheduled.
    pub fn set_period_type_from_console(
        &self,
        conf_id: i64,
        period_type: i64,
        period_end: i64,
    ) -> bool {
        self.write(|st| {
            let s = st
                .meetings
                .get_mut(&conf_id)
                .and_then(|m| m.schedule.as_mut())
                .ok_or(errors::NO_MEETING)?;
            s.period_type = period_type;
            s.period_end = period_end;
            Ok(())
        })
        .is_ok()
    }

    /// A recording of `conf_id` (the fake does not record by itself); its `fileId` (32 hex,
    /// L678).
    pub fn add_recording(&self, conf_id: i64, title: &str, duration: i64, size: i64) -> String {
        let file_id = crate::random_hex(32);
        let _ = self.write(|st| {
            let now = st.now_s();
            st.recordings.push(state::Recording {
                file_id: file_id.clone(),
                title: title.to_owned(),
                conf_id,
                create_time: now,
                duration,
                size,
            });
            Ok(())
        });
        file_id
    }

    /// Arm a shared fault (server error → HTTP 500 `{"code":500,"msg":"服务器内部异常"}`,
    /// delay, malformed body, drop after commit; expire tokens → the request it hits is
    /// 22004 "签名过期").
    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.arm(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
        crate::persist::lock(&self.shared.injected).clear();
    }

    /// Answer the next `remaining` matching requests with an error (rate limit 22008, 22224,
    /// 22233, mini-program codes, 502...).
    pub fn inject(&self, injected: Injected) {
        if injected.remaining > 0 {
            crate::persist::lock(&self.shared.injected).push(injected);
        }
    }

    pub(crate) fn take_injected(&self, path: &str) -> Option<Response> {
        let mut all = crate::persist::lock(&self.shared.injected);
        let idx = all
            .iter()
            .position(|i| i.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)))?;
        let code = all[idx].code;
        all[idx].remaining -= 1;
        if all[idx].remaining == 0 {
            all.remove(idx);
        }
        drop(all);
        if code == 502 {
            return Some(
                (
                    StatusCode::BAD_GATEWAY,
                    [(axum::http::header::CONTENT_TYPE, "text/html")],
                    "<html><body><h1>502 Bad Gateway</h1></body></html>",
                )
                    .into_response(),
            );
        }
        Some(ApiError::code(code).into_response())
    }

    /// The sim clock: real time plus every `advance_clock` (persisted), or the frozen second.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    /// Move the clock (negative: back). Also the way to skew the server against a client.
    pub fn advance_clock(&self, seconds: i64) {
        let _ = self.write(|st| {
            st.clock.advance(seconds);
            Ok(())
        });
    }

    /// Stop the clock on a whole second (only `advance_clock` moves it then).
    pub fn freeze_clock(&self) {
        let _ = self.write(|st| {
            st.clock.freeze();
            Ok(())
        });
    }

    pub fn unfreeze_clock(&self) {
        let _ = self.write(|st| {
            st.clock.unfreeze();
            Ok(())
        });
    }

    pub fn options(&self) -> CloudroomOptions {
        self.lock().options.clone()
    }

    pub fn set_options(&self, options: CloudroomOptions) {
        let _ = self.write(|st| {
            st.options = options;
            Ok(())
        });
    }

    /// Every CRMT string handed out by join (bounded, oldest first): each carries an account
    /// and a password hash (L318, note §5.4), so tests scan logs and stores for them.
    pub fn issued_crmts(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.crmts)
            .iter()
            .cloned()
            .collect()
    }

    /// Every `X-CR-Signature` that verified (bounded, oldest first).
    pub fn accepted_signatures(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.signatures)
            .iter()
            .cloned()
            .collect()
    }

    /// The `X-CR-RequestId` of every authenticated request, None where it was missing
    /// (required by L29, but no error code exists for its absence).
    pub fn request_ids(&self) -> Vec<Option<String>> {
        crate::persist::lock(&self.shared.request_ids)
            .iter()
            .cloned()
            .collect()
    }

    /// Vendor API requests received (control endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn remember_crmt(&self, crmt: &str) {
        remember(&self.shared.crmts, crmt.to_owned());
    }

    pub(crate) fn remember_signature(&self, sig: &str) {
        remember(&self.shared.signatures, sig.to_owned());
    }

    pub(crate) fn record_request_id(&self, id: Option<String>) {
        remember(&self.shared.request_ids, id);
    }

    /// Count one list call; false when the minute's budget is spent (fixed window by the sim
    /// clock, per secretId and endpoint [fake-decision, note §1.6]).
    pub(crate) fn count_list_call(&self, secret_id: &str, path: &str, now: i64) -> bool {
        let limit = self.lock().options.list_rate_limit_per_minute;
        let minute = now.div_euclid(60);
        let mut rate = crate::persist::lock(&self.shared.rate);
        let slot = rate
            .entry((secret_id.to_owned(), path.to_owned()))
            .or_insert((minute, 0));
        if slot.0 != minute {
            *slot = (minute, 0);
        }
        if slot.1 >= limit {
            return false;
        }
        slot.1 += 1;
        true
    }

    pub(crate) fn take_expire_fault(&self) -> bool {
        self.shared.expire_pending.swap(false, Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.shared.state.lock()
    }

    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&SimState) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        f(&self.lock())
    }

    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut SimState) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.shared.state.write(f, errors::INTERNAL)
    }
}

impl Backend for CloudroomSim {
    fn vendor(&self) -> &'static str {
        "cloudroom"
    }
    fn faults(&self) -> &FaultSet {
        &self.shared.faults
    }
    fn count_request(&self) {
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
    }
    fn server_error(&self) -> Response {
        errors::INTERNAL.into_response()
    }
    /// No tokens: the request the fault hits is refused as if its timestamp were stale
    /// (22004); a client that re-signs with a fresh timestamp gets through (L91-L95).
    fn expire_tokens(&self) {
        self.shared.expire_pending.store(true, Ordering::Relaxed);
    }
    fn now(&self) -> DateTime<Utc> {
        CloudroomSim::now(self)
    }
    fn advance_clock(&self, seconds: i64) {
        CloudroomSim::advance_clock(self, seconds)
    }
}

async fn bad_request() -> ApiError {
    errors::BAD_REQUEST
}

async fn control_options(State(sim): State<CloudroomSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<CloudroomOptions>(&body) {
        Ok(options) => {
            sim.set_options(options);
            Json(sim.options()).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

async fn control_inject(State(sim): State<CloudroomSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<Injected>(&body) {
        Ok(i) => {
            sim.inject(i);
            Json(json!({"injected": *crate::persist::lock(&sim.shared.injected)})).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

/// Everything but the secret keys and CRMTs.
async fn control_state(State(sim): State<CloudroomSim>) -> Response {
    let creds = sim.credentials();
    Json(json!({
        "now": sim.now(),
        "options": sim.options(),
        "credentials": {"secret_id": creds.secret_id, "user_id": creds.user_id, "base_path": BASE},
        "users": sim.users(),
        "meetings": sim.meetings(),
        "request_count": sim.request_count(),
        "faults": sim.shared.faults.armed(),
    }))
    .into_response()
}
