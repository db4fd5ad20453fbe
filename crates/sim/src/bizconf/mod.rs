//! Fake BizConf Video (会畅) conference-management server, built from the vendor document
//! vendor-docs/001_e42a1cccb3b703ca.txt (`Lnnn` below) and its digest vendor-notes/bizconf.md
//! (`note §n`). Where they disagree the document wins; what neither states is marked as an
//! assumption next to the code.
//!
//! Served under `/openapi/v2/<endpointName>` (L195 and the other "接口地址" lines):
//!
//! | § | endpoint | method |
//! |---|---|---|
//! | 2.1 | `confReservation` | POST |
//! | 2.2 | `confReservation2` (watermark) | POST |
//! | 2.3 | `getConfDetailByConfId` | GET |
//! | 2.4 | `cancelConf` | POST |
//! | 2.5 | `getScheduledConfListByUserId` | POST |
//! | 2.6 | `getLivingConfByUserId` | POST or GET (L1015) |
//! | 2.7 | `getFinishedConfListByUserId` | POST |
//! | 2.8 | `getScheduledConfListBySiteSign` | POST |
//! | 2.9 | `getLivingConfListBySiteSign` | POST |
//! | 2.10 | `getFinishedConfListBySiteSign` | POST |
//! | 2.12 | `confModify2` | POST |
//! | 2.13 | `endConf` | POST |
//! | 2.16 | `getReMainNumPartis` | POST |
//! | 3.31 | `updateRegistrationQuestions` | POST |
//! | 3.32 | `addRegistrant` | POST |
//! | 3.33 | `getRegistrants` | GET |
//!
//! Every answer is HTTP 200 with `{"status", "message", "data"?}` (`status` 100 = success,
//! note §1 [inference]); see `errors` for the codes and `auth` for the token. Times are GMT
//! `yyyy-MM-dd HH:mm:ss` on the wire (L13-L15) and UTC instants inside.
//!
//! The sim clock drives meetings: booked (0) until `startTime`, in progress (2) until
//! `startTime + duration`, then ended (3); `endConf` ends one early, `cancelConf` makes it 9
//! (or 3 if it had taken place, L796). One site with a port capacity
//! ([`BizconfOptions::site_capacity`]) shared by all its users; one meeting per user per
//! period (202). Control endpoints under `/__sim/` are not part of the vendor API.

mod auth;
mod errors;
mod meetings;
mod registration;
mod state;
mod wire;

use std::collections::VecDeque;
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
use serde::Serialize;
use serde_json::{json, Value};

pub use auth::token;
pub use errors::{message, CODES};
pub use state::{BizconfOptions, ConfStatus};

use crate::faults::{Fault, FaultSet};
use crate::persist::Persistent;
use crate::server::Backend;
use crate::SimError;
use errors::ApiError;
use state::State as SimState;

/// The sandbox credentials (also in [`crate::ListenerInfo::credentials`]).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCredentials {
    /// `siteSign`.
    pub site_sign: String,
    /// The sandbox account's `userId` (a user of the site from the start).
    pub user_id: String,
    /// Its `userName`.
    pub user_name: String,
    /// The API KEY (L8); never sent, only hashed into `token`.
    pub api_key: String,
}

impl std::fmt::Debug for SandboxCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxCredentials")
            .field("site_sign", &self.site_sign)
            .field("user_id", &self.user_id)
            .field("user_name", &self.user_name)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

/// A meeting as the server holds it (tests and `GET /__sim/state`). No host links or tokens.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingSnapshot {
    pub conf_id: u64,
    pub conf_number: String,
    pub user_id: String,
    /// The user's (first) name.
    pub user_name: String,
    pub conf_name: String,
    pub start_time: DateTime<Utc>,
    pub duration_minutes: u32,
    pub before_time_minutes: u32,
    pub conf_parties: u32,
    /// None when the meeting has no password.
    pub password: Option<String>,
    /// By the sim clock, now.
    pub status: ConfStatus,
    pub watermark: bool,
    pub meeting_authentication: u8,
    /// Booked with `registrationType=1`.
    pub registration: bool,
    pub registrants: Vec<RegistrantSnapshot>,
    /// The participant's web link.
    pub join_url: String,
}

/// A registrant (no token).
#[derive(Debug, Clone, Serialize)]
pub struct RegistrantSnapshot {
    pub id: String,
    pub first_name: String,
    pub email: String,
    /// "approved" or "pending".
    pub status: String,
}

pub(crate) struct Shared {
    state: Persistent<SimState>,
    faults: FaultSet,
    seen: Mutex<auth::SeenTokens>,
    /// Tokens accepted since this process started, newest last, bounded: `accepted_tokens()`
    /// lets tests search logs and databases for them.
    accepted: Mutex<VecDeque<String>>,
    requests: AtomicU64,
    /// Set by the ExpireTokens fault: the request it hits gets 704.
    expire_pending: AtomicBool,
}

/// Accepted tokens kept for `accepted_tokens()`; the oldest are forgotten beyond this.
const MAX_REMEMBERED_TOKENS: usize = 20_000;

/// Cheap clone handle on the BizConf fake's shared state.
#[derive(Clone)]
pub struct BizconfSim {
    shared: Arc<Shared>,
}

impl BizconfSim {
    /// Load state from `path` (or start fresh, with new random credentials, and write it).
    pub(crate) fn open(path: Option<PathBuf>) -> Result<BizconfSim, SimError> {
        Ok(BizconfSim {
            shared: Arc::new(Shared {
                state: Persistent::open(path, SimState::fresh)?,
                faults: FaultSet::default(),
                seen: Mutex::new(auth::SeenTokens::default()),
                accepted: Mutex::new(VecDeque::new()),
                requests: AtomicU64::new(0),
                expire_pending: AtomicBool::new(false),
            }),
        })
    }

    pub(crate) fn router(&self) -> Router {
        const V2: &str = "/openapi/v2";
        let api = Router::new()
            .route(&format!("{V2}/confReservation"), post(meetings::reserve))
            .route(
                &format!("{V2}/confReservation2"),
                post(meetings::reserve_watermark),
            )
            .route(
                &format!("{V2}/getConfDetailByConfId"),
                get(meetings::detail),
            )
            .route(&format!("{V2}/cancelConf"), post(meetings::cancel))
            .route(
                &format!("{V2}/getScheduledConfListByUserId"),
                post(meetings::user_scheduled),
            )
            .route(
                &format!("{V2}/getLivingConfByUserId"),
                post(meetings::user_living).get(meetings::user_living),
            )
            .route(
                &format!("{V2}/getFinishedConfListByUserId"),
                post(meetings::user_finished),
            )
            .route(
                &format!("{V2}/getScheduledConfListBySiteSign"),
                post(meetings::site_scheduled),
            )
            .route(
                &format!("{V2}/getLivingConfListBySiteSign"),
                post(meetings::site_living),
            )
            .route(
                &format!("{V2}/getFinishedConfListBySiteSign"),
                post(meetings::site_finished),
            )
            .route(&format!("{V2}/confModify2"), post(meetings::modify))
            .route(&format!("{V2}/endConf"), post(meetings::end))
            .route(
                &format!("{V2}/getReMainNumPartis"),
                post(meetings::remaining_ports),
            )
            .route(
                &format!("{V2}/updateRegistrationQuestions"),
                post(registration::update_questions),
            )
            .route(
                &format!("{V2}/addRegistrant"),
                post(registration::add_registrant),
            )
            .route(
                &format!("{V2}/getRegistrants"),
                get(registration::list_registrants),
            )
            .route("/__sim/options", post(control_options))
            .route("/__sim/state", get(control_state))
            .merge(crate::control::routes())
            .fallback(no_such_api)
            .method_not_allowed_fallback(wrong_method)
            .with_state(self.clone());
        crate::server::wrap(api, Arc::new(self.clone()))
    }

    pub fn credentials(&self) -> SandboxCredentials {
        let st = self.lock();
        SandboxCredentials {
            site_sign: st.site.site_sign.clone(),
            user_id: st.site.user_id.clone(),
            user_name: st.site.user_name.clone(),
            api_key: st.site.api_key.clone(),
        }
    }

    /// Replace the site's sign, API key and sandbox user (e.g. the note's vector values).
    /// The user becomes a user of the site if it is not one. Persisted; the `ListenerInfo`
    /// printed at start is not updated.
    pub fn set_credentials(&self, creds: SandboxCredentials) {
        let _ = self.write(|st| {
            let now = st.now_s();
            st.users
                .entry(creds.user_id.clone())
                .or_insert_with(|| state::User::new(&creds.user_name, now));
            st.site.site_sign = creds.site_sign;
            st.site.api_key = creds.api_key;
            st.site.user_id = creds.user_id;
            st.site.user_name = creds.user_name;
            Ok(())
        });
    }

    pub(crate) fn credentials_json(&self) -> Value {
        serde_json::to_value(self.credentials()).unwrap_or(Value::Null)
    }

    /// Every userId of the site with its (first) userName.
    pub fn users(&self) -> Vec<(String, String)> {
        self.lock()
            .users
            .iter()
            .map(|(id, u)| (id.clone(), u.user_name.clone()))
            .collect()
    }

    /// Arm a fault (it applies after those armed before it are used up).
    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.arm(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The sim clock: real time plus every `advance_clock` so far (persisted).
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    pub fn advance_clock(&self, seconds: i64) {
        let _ = self.write(|st| {
            st.clock.advance(seconds);
            Ok(())
        });
    }

    /// Every meeting ever booked, cancelled and ended ones included, by confId.
    pub fn meetings(&self) -> Vec<MeetingSnapshot> {
        let st = self.lock();
        let now = st.now_s();
        st.meetings
            .values()
            .map(|m| MeetingSnapshot {
                conf_id: m.conf_id,
                conf_number: m.conf_number.clone(),
                user_id: m.user_id.clone(),
                user_name: st
                    .users
                    .get(&m.user_id)
                    .map(|u| u.user_name.clone())
                    .unwrap_or_default(),
                conf_name: m.conf_name.clone(),
                start_time: DateTime::<Utc>::from_timestamp(m.start, 0).unwrap_or_default(),
                duration_minutes: m.duration,
                before_time_minutes: m.before_time,
                conf_parties: m.conf_parties,
                password: Some(m.password.clone()).filter(|p| !p.is_empty()),
                status: m.status(now),
                watermark: m.watermark == 1,
                meeting_authentication: m.meeting_authentication,
                registration: m.registration,
                registrants: m
                    .registrants
                    .iter()
                    .map(|r| RegistrantSnapshot {
                        id: r.id.clone(),
                        first_name: r.fields.get("first_name").cloned().unwrap_or_default(),
                        email: r.fields.get("email").cloned().unwrap_or_default(),
                        status: r.status.clone(),
                    })
                    .collect(),
                join_url: wire::join_url(&st.site, m),
            })
            .collect()
    }

    /// Every request `token` the fake accepted since it started (bounded, oldest first), so
    /// tests can check that none was used twice and scan what a client left behind for them.
    pub fn accepted_tokens(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.accepted)
            .iter()
            .cloned()
            .collect()
    }

    pub(crate) fn remember_token(&self, token: &str) {
        let mut accepted = crate::persist::lock(&self.shared.accepted);
        if accepted.len() >= MAX_REMEMBERED_TOKENS {
            accepted.pop_front();
        }
        accepted.push_back(token.to_owned());
    }

    /// Vendor API requests received (control endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Bookings accepted since the state was created.
    pub fn booking_count(&self) -> u64 {
        self.lock().bookings_total
    }

    /// The site's concurrent ports (`totalNumParties`).
    pub fn site_capacity(&self) -> u32 {
        self.lock().options.site_capacity
    }

    pub fn set_site_capacity(&self, ports: u32) {
        let _ = self.write(|st| {
            st.options.site_capacity = ports;
            Ok(())
        });
    }

    pub fn options(&self) -> BizconfOptions {
        self.lock().options.clone()
    }

    pub fn set_options(&self, options: BizconfOptions) {
        let _ = self.write(|st| {
            st.options = options;
            Ok(())
        });
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.shared.state.lock()
    }

    /// Read under the lock (never held across an await).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&SimState) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        f(&self.lock())
    }

    /// Change state under the lock and persist it before answering.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut SimState) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.shared.state.write(f, errors::INTERNAL)
    }

    /// Consume a pending ExpireTokens fault.
    pub(crate) fn take_expire_fault(&self) -> bool {
        self.shared.expire_pending.swap(false, Ordering::Relaxed)
    }
}

impl Backend for BizconfSim {
    fn vendor(&self) -> &'static str {
        "bizconf"
    }
    fn faults(&self) -> &FaultSet {
        &self.shared.faults
    }
    fn count_request(&self) {
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
    }
    fn server_error(&self) -> Response {
        errors::SERVER_ERROR.into_response()
    }
    /// BizConf has no session token: each request carries its own single-use token. The
    /// closest thing is that token expiring, so the request the fault hits is refused with
    /// 704 "Token过期" (and a client retrying with a new timeStamp succeeds).
    fn expire_tokens(&self) {
        self.shared.expire_pending.store(true, Ordering::Relaxed);
    }
    fn now(&self) -> DateTime<Utc> {
        BizconfSim::now(self)
    }
    fn advance_clock(&self, seconds: i64) {
        BizconfSim::advance_clock(self, seconds)
    }
}

// --- control endpoints (not part of the vendor API) --------------------------------------------

async fn no_such_api() -> ApiError {
    errors::NO_SUCH_API
}

async fn wrong_method() -> ApiError {
    errors::WRONG_METHOD
}

async fn control_options(State(sim): State<BizconfSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<BizconfOptions>(&body) {
        Ok(options) => {
            sim.set_options(options);
            Json(sim.options()).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

/// Everything but the API key (the sandbox's credentials are printed at start anyway; the key
/// is left out so that a state dump pasted into a bug report does not carry it).
async fn control_state(State(sim): State<BizconfSim>) -> Response {
    let creds = sim.credentials();
    Json(json!({
        "now": sim.now(),
        "options": sim.options(),
        "credentials": {"site_sign": creds.site_sign, "user_id": creds.user_id, "user_name": creds.user_name},
        "users": sim.users(),
        "meetings": sim.meetings(),
        "request_count": sim.request_count(),
        "booking_count": sim.booking_count(),
        "faults": sim.shared.faults.armed(),
    }))
    .into_response()
}
