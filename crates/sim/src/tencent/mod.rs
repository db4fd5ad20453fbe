//! Fake Tencent Meeting (腾讯会议) server, built from vendor-notes/tencent-meeting.md (which
//! rebuilds the API from the official SDKs, with sources; the vendor document
//! vendor-docs/000_b89fd6bccf2c12b6.txt is only the changelog). `§n` below refers to the note.
//!
//! Served: enterprise self-built app signing on every request (§2: `X-TC-Key`,
//! `X-TC-Timestamp`, `X-TC-Nonce`, `X-TC-Signature`, `AppId`, `SdkId`; the 5-minute window and
//! replay memory), and one-off meetings: create, modify, cancel, query by ID and by code, the
//! user's upcoming list (§3.1, §3.3-§3.5), with the creation limits of error 9008 (9 per
//! minute, 100 per day per creator). Plus control endpoints under `/__sim/` that are not part
//! of the vendor API. Also native recurring meetings at the wire level (§3.2: `meeting_type`
//! 1, `recurring_rule`, `sub_meetings`, `current_sub_meeting_id`, moving or cancelling one
//! occurrence by `sub_meeting_id`; see `recurrence`), and the invitees and guests APIs
//! (§3.6, §3.7), the user's ended meetings (§3.5), and Tencent Meeting Rooms (§3.9: list,
//! detail, book and release for a meeting with 20006 on overlap, meetings of a room), and
//! user-exclusive join links (§3.8).
//!
//! Where the note is uncertain, the sim takes the tolerant reading and says so next to the
//! code. Notable choices:
//! - `SdkId`: must equal the assigned one when there is one; with none assigned it may be
//!   absent or empty (the Python SDK always sends it, empty).
//! - Query by ID accepts `userid` or `operator_id` + `operator_id_type=1` (the Python SDK).
//! - Cancel answers `{}` (the Python SDK fails on an empty body), not an empty body (§3.4).
//! - Numbers may be JSON strings (§3.2 FLAG); timestamps may be strings or integers.
//! - A meeting is `MEETING_STATE_STARTED` between its start and end by the sim clock.
//! - The creation limits count per creator `userid` over a sliding 60 s and a Beijing day.

mod auth;
mod errors;
mod invitees;
mod meetings;
mod recurrence;
mod rooms;
mod state;
mod wire;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
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

pub use auth::sign;
pub use state::{MeetingStatus, TencentOptions};

use crate::faults::{Fault, FaultSet};
use crate::persist::Persistent;
use crate::server::Backend;
use crate::SimError;
use errors::ApiError;
use state::State as SimState;

/// The sandbox credentials (also in [`crate::ListenerInfo::credentials`]).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCredentials {
    /// `AppId` header (enterprise ID).
    pub app_id: String,
    /// `SdkId` header; empty when none is assigned.
    pub sdk_id: String,
    /// `X-TC-Key`.
    pub secret_id: String,
    pub secret_key: String,
    /// The operator `userid`.
    pub userid: String,
}

impl std::fmt::Debug for SandboxCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxCredentials")
            .field("app_id", &self.app_id)
            .field("sdk_id", &self.sdk_id)
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("userid", &self.userid)
            .finish()
    }
}

/// A meeting as the server holds it (tests and `GET /__sim/state`).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingSnapshot {
    pub meeting_id: String,
    pub meeting_code: String,
    pub creator: String,
    /// Created with `X-TC-Registered: 1` (only those show in the user's list).
    pub registered: bool,
    pub subject: String,
    /// `type`: 0 scheduled, 1 instant.
    pub kind: u8,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    /// By the sim clock, now.
    pub status: MeetingStatus,
    pub password: Option<String>,
    pub join_url: String,
    pub hosts: Vec<String>,
    pub invitees: Vec<String>,
    /// As stored (wire field names).
    pub guests: Value,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    pub settings: Value,
    /// `reason_code` of the cancellation.
    pub cancel_reason_code: Option<i64>,
    /// `meeting_type` 1.
    pub recurring: bool,
    /// The occurrences of a recurring meeting (deleted ones included); empty otherwise.
    pub sub_meetings: Vec<SubMeetingSnapshot>,
    /// meeting_room_id of each booked Tencent Meeting Rooms room.
    pub rooms: Vec<String>,
}

/// A Tencent Meeting Rooms room of the sandbox enterprise.
#[derive(Debug, Clone, Serialize)]
pub struct RoomSnapshot {
    pub meeting_room_id: String,
    pub meeting_room_name: String,
    pub meeting_room_location: String,
    pub participant_number: u32,
    /// Open for booking.
    pub bookable: bool,
}

/// One occurrence of a recurring meeting.
#[derive(Debug, Clone, Serialize)]
pub struct SubMeetingSnapshot {
    pub sub_meeting_id: String,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    /// Cancelled on its own (`status` 1 on the wire).
    pub deleted: bool,
}

pub(crate) struct Shared {
    state: Persistent<SimState>,
    faults: FaultSet,
    nonces: Mutex<auth::NonceCache>,
    /// `X-TC-Signature` values accepted since this process started, newest last, bounded:
    /// `accepted_signatures()` lets tests search logs and databases for them.
    signatures: Mutex<std::collections::VecDeque<String>>,
    requests: AtomicU64,
}

/// Accepted signatures kept for `accepted_signatures()`; the oldest are forgotten beyond this.
const MAX_REMEMBERED_SIGNATURES: usize = 20_000;

/// Cheap clone handle on the Tencent fake's shared state.
#[derive(Clone)]
pub struct TencentSim {
    shared: Arc<Shared>,
}

impl TencentSim {
    /// Load state from `path` (or start fresh, with new random credentials, and write it).
    pub(crate) fn open(path: Option<PathBuf>) -> Result<TencentSim, SimError> {
        let sim = TencentSim {
            shared: Arc::new(Shared {
                state: Persistent::open(path, SimState::fresh)?,
                faults: FaultSet::default(),
                nonces: Mutex::new(auth::NonceCache::default()),
                signatures: Mutex::new(std::collections::VecDeque::new()),
                requests: AtomicU64::new(0),
            }),
        };
        Ok(sim)
    }

    pub(crate) fn router(&self) -> Router {
        let api = Router::new()
            .route(
                "/v1/meetings",
                post(meetings::create).get(meetings::list_or_by_code),
            )
            .route(
                "/v1/meetings/{meeting_id}",
                get(meetings::get_one).put(meetings::modify),
            )
            .route("/v1/meetings/{meeting_id}/cancel", post(meetings::cancel))
            .route(
                "/v1/meetings/{meeting_id}/invitees",
                get(invitees::list_invitees).put(invitees::set_invitees),
            )
            .route("/v1/history/meetings/{userid}", get(meetings::history))
            .route(
                "/v1/meetings/customer-short-url",
                post(meetings::create_customer_link),
            )
            .route(
                "/v1/meetings/{meeting_id}/customer-short-url",
                get(meetings::list_customer_links),
            )
            .route("/v1/meetings/{meeting_id}/book-rooms", post(rooms::book))
            .route(
                "/v1/meetings/{meeting_id}/release-rooms",
                post(rooms::release),
            )
            .route("/v1/meeting-rooms", get(rooms::list))
            .route("/v1/meeting-rooms/{room}", get(rooms::detail))
            .route("/v1/meeting-rooms/{room}/meetings", get(rooms::meetings))
            .route(
                "/v1/guests/{meeting_id}",
                get(invitees::get_guests).put(invitees::set_guests),
            )
            .route("/__sim/options", post(control_options))
            .route("/__sim/state", get(control_state))
            .merge(crate::control::routes())
            .fallback(no_such_api)
            .method_not_allowed_fallback(no_such_api)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                auth::check,
            ))
            .with_state(self.clone());
        crate::server::wrap(api, Arc::new(self.clone()))
    }

    pub fn credentials(&self) -> SandboxCredentials {
        let st = self.lock();
        let e = &st.enterprise;
        SandboxCredentials {
            app_id: e.app_id.clone(),
            sdk_id: e.sdk_id.clone(),
            secret_id: e.secret_id.clone(),
            secret_key: e.secret_key.clone(),
            userid: e.userid.clone(),
        }
    }

    /// Replace the app credentials and operator (e.g. an empty `sdk_id` for an account without
    /// one). The operator stays a member of the enterprise. Persisted; the `ListenerInfo`
    /// printed at start is not updated.
    pub fn set_credentials(&self, creds: SandboxCredentials) {
        let _ = self.write(|st| {
            let e = &mut st.enterprise;
            e.app_id = creds.app_id;
            e.sdk_id = creds.sdk_id;
            e.secret_id = creds.secret_id;
            e.secret_key = creds.secret_key;
            if !e.users.contains(&creds.userid) {
                e.users.push(creds.userid.clone());
            }
            e.userid = creds.userid;
            Ok(())
        });
    }

    /// Add a member to the enterprise (hosts must be members; invitees who are not are
    /// reported as `user_non_registered`).
    pub fn add_user(&self, userid: &str) {
        let _ = self.write(|st| {
            if !st.is_member(userid) {
                st.enterprise.users.push(userid.to_owned());
            }
            Ok(())
        });
    }

    /// Every userid of the sandbox enterprise (the operator first).
    pub fn users(&self) -> Vec<String> {
        self.lock().enterprise.users.clone()
    }

    pub(crate) fn credentials_json(&self) -> Value {
        serde_json::to_value(self.credentials()).unwrap_or(Value::Null)
    }

    /// Arm a fault (it applies after those armed before it are used up).
    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.arm(fault);
    }

    /// Every `X-TC-Signature` the fake accepted since it started (bounded), so tests can scan
    /// what the client left behind for them.
    pub fn accepted_signatures(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.signatures)
            .iter()
            .cloned()
            .collect()
    }

    pub(crate) fn remember_signature(&self, signature: &str) {
        let mut seen = crate::persist::lock(&self.shared.signatures);
        if seen.len() >= MAX_REMEMBERED_SIGNATURES {
            seen.pop_front();
        }
        seen.push_back(signature.to_owned());
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

    /// Every meeting ever booked, cancelled and ended ones included, by meeting_id.
    pub fn meetings(&self) -> Vec<MeetingSnapshot> {
        let st = self.lock();
        let now = st.now().timestamp();
        st.meetings.values().map(|m| snapshot(m, now)).collect()
    }

    /// The sandbox enterprise's rooms (the last one is not open for booking).
    pub fn rooms(&self) -> Vec<RoomSnapshot> {
        self.lock()
            .rooms
            .iter()
            .map(|r| RoomSnapshot {
                meeting_room_id: r.meeting_room_id.clone(),
                meeting_room_name: r.meeting_room_name.clone(),
                meeting_room_location: r.meeting_room_location.clone(),
                participant_number: r.participant_number,
                bookable: r.scheduled_status == 1,
            })
            .collect()
    }

    /// Vendor API requests received (control endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Meetings created (accepted) since the state was created.
    pub fn create_count(&self) -> u64 {
        self.lock().creates_total
    }

    /// Creations refused with 9008 (per-minute or daily limit).
    pub fn rate_limited_count(&self) -> u64 {
        self.lock().creates_refused
    }

    /// The most creations one userid got accepted within any 60 seconds (never above the
    /// per-minute limit; this is what "the fake counts" means).
    pub fn max_creates_per_minute(&self) -> u32 {
        self.lock().max_creates_per_minute
    }

    pub fn options(&self) -> TencentOptions {
        self.lock().options.clone()
    }

    pub fn set_options(&self, options: TencentOptions) {
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
}

impl Backend for TencentSim {
    fn advance_clock(&self, seconds: i64) {
        TencentSim::advance_clock(self, seconds)
    }

    fn vendor(&self) -> &'static str {
        "tencent"
    }
    fn now(&self) -> DateTime<Utc> {
        TencentSim::now(self)
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
    /// Signed requests carry no token that could expire (§2: every request is signed on its
    /// own), so this fault only lets the request through.
    fn expire_tokens(&self) {}
}

fn snapshot(m: &state::Meeting, now: i64) -> MeetingSnapshot {
    let at = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default();
    MeetingSnapshot {
        meeting_id: m.meeting_id.clone(),
        meeting_code: m.meeting_code.clone(),
        creator: m.creator.clone(),
        registered: m.registered,
        subject: m.subject.clone(),
        kind: m.kind,
        start_time: at(m.start),
        end_time: at(m.end),
        status: m.status(now),
        password: m.password.clone(),
        join_url: m.join_url(),
        hosts: m.hosts.iter().map(|h| h.userid.clone()).collect(),
        invitees: m.invitees.iter().map(|h| h.userid.clone()).collect(),
        guests: serde_json::to_value(&m.guests).unwrap_or(Value::Null),
        location: m.location.clone(),
        time_zone: m.time_zone.clone(),
        settings: Value::Object(m.settings.clone()),
        cancel_reason_code: match m.lifecycle {
            state::Lifecycle::Cancelled { reason_code, .. } => Some(reason_code),
            state::Lifecycle::Active => None,
        },
        recurring: m.recurrence.is_some(),
        sub_meetings: m
            .recurrence
            .iter()
            .flat_map(|r| &r.occurrences)
            .map(|o| SubMeetingSnapshot {
                sub_meeting_id: o.sub_meeting_id.clone(),
                start_time: at(o.start),
                end_time: at(o.end),
                deleted: o.deleted,
            })
            .collect(),
        rooms: m.rooms.clone(),
    }
}

// --- control endpoints (not part of the vendor API) --------------------------------------------

async fn no_such_api() -> ApiError {
    errors::NO_SUCH_API
}

async fn control_options(State(sim): State<TencentSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<TencentOptions>(&body) {
        Ok(options) => {
            sim.set_options(options);
            Json(sim.options()).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

/// Everything but the Secret Key (the sandbox's credentials are printed at start anyway; the
/// key is left out so that a state dump pasted into a bug report does not carry it).
async fn control_state(State(sim): State<TencentSim>) -> Response {
    let creds = sim.credentials();
    Json(json!({
        "now": sim.now(),
        "options": sim.options(),
        "credentials": {"app_id": creds.app_id, "sdk_id": creds.sdk_id, "secret_id": creds.secret_id, "userid": creds.userid},
        "users": sim.users(),
        "rooms": sim.rooms(),
        "meetings": sim.meetings(),
        "request_count": sim.request_count(),
        "create_count": sim.create_count(),
        "rate_limited_count": sim.rate_limited_count(),
        "max_creates_per_minute": sim.max_creates_per_minute(),
        "faults": sim.shared.faults.armed(),
    }))
    .into_response()
}
