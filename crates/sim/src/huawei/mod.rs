//! Fake Huawei Cloud Meeting (华为云会议) server, built from "华为云会议 服务端 API 参考"
//! (vendor-docs/002_e708609837d580ce.txt; line numbers `Lnnn` below refer to it) and the digest
//! vendor-notes/huawei-cloud-meeting.md.
//!
//! Served: App ID and account auth, token refresh/logout, one-off meetings (create, edit,
//! cancel, list, detail) and recurring series (`cycleconferences`, `cyclesubconf`; see
//! `cycles` and `recurrence`). Plus control endpoints under `/__sim/` that are not part of
//! the vendor API.
//!
//! Where the document is silent or contradicts itself, the sim chooses (and says so next to
//! the code):
//! - `X-Token-Type` is optional but must be `LongTicket` when sent (table L530 vs the SDK).
//! - Refresh takes the refresh token (table L946, not the example L992) and rotates both tokens.
//! - Edit replaces every bookable field and the attendee list (undocumented; series edit
//!   example L3085-3204 resets omitted fields); links, ID and host password stay.
//! - Attendee `role` is 0/1 (table L1931), although MMC.111072035 says [0,2] (L27118).
//! - `limit` above 500 on the list is refused with MMC.111071061 rather than clamped.
//! - A started meeting runs for its booked length from the actual start (prolongLength note,
//!   L1978); by the clock alone it runs from startTime to endTime.
//! - Free enterprise by default: 20 meetings per account per Beijing day, no SMS
//!   ([`HuaweiOptions`]); a series counts as one booking.
//! - Series (`cycles`, `recurrence`; every choice marked [fake-decision] there): dates are
//!   local to timeZoneID through IANA zones; only startTime's time of day counts; occurrences
//!   not after now are dropped and startDate moves to the first kept one (L2645 vs L2716);
//!   beyond 50 the endDate silently moves to the 50th (L1953); a series edit is a full
//!   overwrite (subject "Conference Topic" when omitted, L3101) that keeps the conferenceID,
//!   links and passwords but regenerates every cycleSubConfID (L3173); one-off endpoints
//!   answer MMC.111070005 for a series and the series endpoints for a one-off meeting.

mod auth;
mod cycles;
mod errors;
mod meetings;
mod recurrence;
mod state;
mod wire;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{json, Value};

pub use auth::sign_app_auth;
pub use state::{CycleKind, HuaweiOptions, MeetingPhase, Notification, NotifyChannel, NotifyEvent};

use crate::faults::{Fault, FaultSet};
use crate::persist::{lock, Persistent};
use crate::server::Backend;
use crate::SimError;
use errors::ApiError;
use state::{Issued, State as SimState};

/// Plaintext tokens kept for `issued_tokens()`; the oldest are forgotten beyond this.
const MAX_REMEMBERED_TOKENS: usize = 20_000;

/// The sandbox credentials (also in [`crate::ListenerInfo::credentials`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCredentials {
    pub app_id: String,
    pub app_key: String,
    /// Third-party userId for App ID auth.
    pub user_id: String,
    pub user_name: String,
    /// Account for account/password auth.
    pub account: String,
    pub password: String,
}

/// A meeting as the server holds it (tests and `GET /__sim/state`).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingSnapshot {
    pub conference_id: String,
    /// Booker's userUUID and name.
    pub owner_user_uuid: String,
    pub owner_name: String,
    pub subject: String,
    pub media_types: String,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub length_minutes: u32,
    pub time_zone_id: String,
    pub language: String,
    /// By the sim clock, now.
    pub phase: MeetingPhase,
    pub immediate: bool,
    pub chair_password: String,
    pub guest_password: String,
    pub chair_join_uri: String,
    pub guest_join_uri: String,
    /// As stored (wire field names).
    pub attendees: Value,
    pub conf_config_info: Value,
    pub vmr_flag: u8,
    /// A recurring series (`conferenceType` 2); then the times above are those of its current
    /// occurrence, and [`HuaweiSim::series`] has the rest.
    pub recurring: bool,
}

/// A recurring series as the server holds it (tests and `GET /__sim/state`).
#[derive(Debug, Clone, Serialize)]
pub struct SeriesSnapshot {
    pub conference_id: String,
    pub subject: String,
    pub media_types: String,
    pub time_zone_id: String,
    /// By the sim clock, now: in progress if one occurrence is, and so on.
    pub phase: MeetingPhase,
    pub cycle: CycleKind,
    pub interval: u8,
    pub points: Vec<u8>,
    /// As reported: startDate moved to the first occurrence kept, endDate to the 50th.
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub pre_remind_days: u8,
    /// The series' booked length.
    pub length_minutes: u32,
    pub chair_join_uri: String,
    pub guest_join_uri: String,
    /// Every occurrence ever generated for the current definition, cancelled ones included,
    /// in order.
    pub sub_confs: Vec<SubConfSnapshot>,
}

/// One occurrence of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubConfSnapshot {
    pub cycle_sub_conf_id: String,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub length_minutes: u32,
    /// As answered in `mediaType`.
    pub media_types: String,
    pub description: Option<String>,
    /// Cancelled through `DELETE .../cyclesubconf` or with the whole series.
    pub cancelled: bool,
    /// Ended early with `type=1`.
    pub ended_early: bool,
    /// Changed through `PUT .../cyclesubconf`.
    pub edited: bool,
    /// By the sim clock, now.
    pub phase: MeetingPhase,
}

pub(crate) struct Shared {
    state: Persistent<SimState>,
    faults: FaultSet,
    issued: Mutex<Vec<String>>,
    requests: AtomicU64,
}

/// Cheap clone handle on the Huawei fake's shared state.
#[derive(Clone)]
pub struct HuaweiSim {
    shared: Arc<Shared>,
}

impl HuaweiSim {
    /// Load state from `path` (or start fresh, with new random credentials, and write it).
    pub(crate) fn open(path: Option<PathBuf>) -> Result<HuaweiSim, SimError> {
        let sim = HuaweiSim {
            shared: Arc::new(Shared {
                state: Persistent::open(path, SimState::fresh)?,
                faults: FaultSet::default(),
                issued: Mutex::new(Vec::new()),
                requests: AtomicU64::new(0),
            }),
        };
        Ok(sim)
    }

    pub(crate) fn router(&self) -> Router {
        let api = Router::new()
            .route("/v2/usg/acs/auth/appauth", post(auth::app_auth))
            .route("/v1/usg/acs/auth/account", post(auth::account_auth))
            .route("/v1/usg/acs/token", put(auth::refresh).delete(auth::logout))
            .route(
                "/v1/mmc/management/conferences",
                post(meetings::create)
                    .put(meetings::edit)
                    .delete(meetings::cancel)
                    .get(meetings::list),
            )
            .route(
                "/v1/mmc/management/conferences/confDetail",
                get(meetings::detail),
            )
            .route(
                "/v1/mmc/management/cycleconferences",
                post(cycles::create)
                    .put(cycles::edit)
                    .delete(cycles::cancel),
            )
            .route(
                "/v1/mmc/management/conferences/cyclesubconf",
                put(cycles::edit_sub).delete(cycles::cancel_subs),
            )
            .route("/__sim/conferences/{id}/start", post(control_start))
            .route("/__sim/options", post(control_options))
            .route("/__sim/state", get(control_state))
            .merge(crate::control::routes())
            .fallback(no_such_api)
            .method_not_allowed_fallback(no_such_api)
            .with_state(self.clone());
        crate::server::wrap(api, Arc::new(self.clone()))
    }

    pub fn credentials(&self) -> SandboxCredentials {
        let st = self.lock();
        let e = &st.enterprise;
        SandboxCredentials {
            app_id: e.app_id.clone(),
            app_key: e.app_key.clone(),
            user_id: e.user_id.clone(),
            user_name: e.user_name.clone(),
            account: e.account.clone(),
            password: e.password.clone(),
        }
    }

    /// Replace the App ID, App Key, user and account credentials (e.g. to replay the
    /// document's own signature examples). Persisted like any other change; the
    /// `ListenerInfo` printed at start is not updated.
    pub fn set_credentials(&self, creds: SandboxCredentials) {
        let _ = self.write(|st| {
            let e = &mut st.enterprise;
            e.app_id = creds.app_id;
            e.app_key = creds.app_key;
            e.user_id = creds.user_id;
            e.user_name = creds.user_name;
            e.account = creds.account;
            e.password = creds.password;
            Ok(())
        });
    }

    pub(crate) fn credentials_json(&self) -> Value {
        serde_json::to_value(self.credentials()).unwrap_or(Value::Null)
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

    /// Force a scheduled meeting into progress now; it then runs for its booked length.
    pub fn start_meeting(&self, conference_id: &str) -> Result<(), SimError> {
        let mut outcome = Ok(());
        let _ = self.write(|st| {
            let now = st.now().timestamp();
            let Some(m) = st.meetings.get_mut(conference_id) else {
                outcome = Err(SimError::NoSuchConference(conference_id.to_owned()));
                return Ok(());
            };
            match m.phase(now) {
                MeetingPhase::Created => {}
                MeetingPhase::Destroyed | MeetingPhase::Cancelled => {
                    outcome = Err(SimError::ConferenceClosed(conference_id.to_owned()));
                }
                MeetingPhase::Schedule => {
                    if let Some(cycle) = m.booking.schedule.cycle_mut() {
                        // A series: its next occurrence starts now.
                        if let Some(sub) = cycle
                            .subs
                            .iter_mut()
                            .find(|s| s.phase(now) == MeetingPhase::Schedule)
                        {
                            sub.forced_start = Some(now);
                        }
                    } else {
                        m.forced_start = Some(now);
                        m.conf_uuid = Some(state::uuid_v1(now, &m.uuid_node));
                    }
                }
            }
            Ok(())
        });
        outcome
    }

    /// Every meeting ever booked, cancelled and ended ones included, oldest ID first.
    pub fn meetings(&self) -> Vec<MeetingSnapshot> {
        let st = self.lock();
        let now = st.now().timestamp();
        st.meetings.values().map(|m| snapshot(m, now)).collect()
    }

    /// A recurring series with every occurrence (None for unknown IDs and one-off meetings),
    /// so a test can check that moving or cancelling one occurrence leaves the others as they
    /// were.
    pub fn series(&self, conference_id: &str) -> Option<SeriesSnapshot> {
        let st = self.lock();
        let now = st.now().timestamp();
        st.meetings
            .get(conference_id)
            .and_then(|m| series_snapshot(m, now))
    }

    /// Every recurring series ever booked, oldest ID first.
    pub fn all_series(&self) -> Vec<SeriesSnapshot> {
        let st = self.lock();
        let now = st.now().timestamp();
        st.meetings
            .values()
            .filter_map(|m| series_snapshot(m, now))
            .collect()
    }

    /// Every access and refresh token issued since this process started (the state file holds
    /// only their digests), so tests can scan logs and databases for leaks.
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.shared.issued).clone()
    }

    /// Emails, SMS and calendar invitations that would have been sent.
    pub fn notifications(&self) -> Vec<Notification> {
        self.lock().notifications.clone()
    }

    /// Vendor API requests received (control endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    pub fn options(&self) -> HuaweiOptions {
        self.lock().options.clone()
    }

    pub fn set_options(&self, options: HuaweiOptions) {
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
        self.shared.state.write(f, errors::SERVER_BUSY)
    }

    pub(crate) fn record_issued(&self, issued: &Issued) {
        let mut list = lock(&self.shared.issued);
        list.push(issued.access.clone());
        list.push(issued.refresh.clone());
        let excess = list.len().saturating_sub(MAX_REMEMBERED_TOKENS);
        list.drain(..excess);
    }
}

impl Backend for HuaweiSim {
    fn advance_clock(&self, seconds: i64) {
        HuaweiSim::advance_clock(self, seconds)
    }

    fn vendor(&self) -> &'static str {
        "huawei"
    }

    fn now(&self) -> DateTime<Utc> {
        HuaweiSim::now(self)
    }
    fn faults(&self) -> &FaultSet {
        &self.shared.faults
    }
    fn count_request(&self) {
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
    }
    fn server_error(&self) -> Response {
        errors::SERVER_BUSY.into_response()
    }
    fn expire_tokens(&self) {
        let _ = self.write(|st| {
            st.expire_all_tokens();
            Ok(())
        });
    }
}

fn at(t: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default()
}

fn series_snapshot(m: &state::Meeting, now: i64) -> Option<SeriesSnapshot> {
    let b = &m.booking;
    let cycle = b.schedule.cycle()?;
    let p = &cycle.params;
    Some(SeriesSnapshot {
        conference_id: m.conference_id.clone(),
        subject: b.subject.clone(),
        media_types: b.media_types.clone(),
        time_zone_id: b.time_zone_id.clone(),
        phase: m.phase(now),
        cycle: p.cycle,
        interval: p.interval,
        points: p.points.clone(),
        start_date: p.start_date,
        end_date: p.end_date,
        pre_remind_days: p.pre_remind_days,
        length_minutes: cycle.length_min,
        chair_join_uri: wire::chair_join_uri(m),
        guest_join_uri: wire::guest_join_uri(m),
        sub_confs: cycle
            .subs
            .iter()
            .map(|s| {
                let (start, end) = s.window();
                SubConfSnapshot {
                    cycle_sub_conf_id: s.id.clone(),
                    start_time: at(start),
                    end_time: at(end),
                    length_minutes: s.length_min,
                    media_types: s.media_types.clone(),
                    description: s.description.clone(),
                    cancelled: matches!(s.lifecycle, state::Lifecycle::Cancelled { .. }),
                    ended_early: matches!(s.lifecycle, state::Lifecycle::Ended { .. }),
                    edited: s.edited,
                    phase: if matches!(m.lifecycle, state::Lifecycle::Cancelled { .. })
                        && s.phase(now) == MeetingPhase::Schedule
                    {
                        MeetingPhase::Cancelled
                    } else {
                        s.phase(now)
                    },
                }
            })
            .collect(),
    })
}

fn snapshot(m: &state::Meeting, now: i64) -> MeetingSnapshot {
    let b = &m.booking;
    let (start, end) = m.window(now);
    MeetingSnapshot {
        conference_id: m.conference_id.clone(),
        owner_user_uuid: m.owner.clone(),
        owner_name: m.owner_name.clone(),
        subject: b.subject.clone(),
        media_types: b.media_types.clone(),
        start_time: at(start),
        end_time: at(end),
        length_minutes: m.length_min(now),
        time_zone_id: b.time_zone_id.clone(),
        language: b.language.clone(),
        phase: m.phase(now),
        immediate: b.immediate,
        chair_password: m.chair_password.clone(),
        guest_password: m.guest_password.clone(),
        chair_join_uri: wire::chair_join_uri(m),
        guest_join_uri: wire::guest_join_uri(m),
        attendees: serde_json::to_value(&b.attendees).unwrap_or(Value::Null),
        conf_config_info: serde_json::to_value(&b.config).unwrap_or(Value::Null),
        vmr_flag: b.vmr_flag,
        recurring: b.schedule.cycle().is_some(),
    }
}

// --- control endpoints (not part of the vendor API) --------------------------------------------

async fn no_such_api() -> ApiError {
    errors::NO_SUCH_API
}

async fn control_start(State(sim): State<HuaweiSim>, UrlPath(id): UrlPath<String>) -> Response {
    match sim.start_meeting(&id) {
        Ok(()) => {
            Json(json!({"conference_id": id, "phase": MeetingPhase::Created})).into_response()
        }
        Err(err @ SimError::NoSuchConference(_)) => {
            crate::control::error(StatusCode::NOT_FOUND, err)
        }
        Err(err) => crate::control::error(StatusCode::CONFLICT, err),
    }
}

async fn control_options(State(sim): State<HuaweiSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<HuaweiOptions>(&body) {
        Ok(options) => {
            sim.set_options(options);
            Json(sim.options()).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

async fn control_state(State(sim): State<HuaweiSim>) -> Response {
    Json(json!({
        "now": sim.now(),
        "options": sim.options(),
        "credentials": sim.credentials(),
        "meetings": sim.meetings(),
        "series": sim.all_series(),
        "notifications": sim.notifications(),
        "issued_tokens": sim.issued_tokens(),
        "request_count": sim.request_count(),
        "faults": sim.shared.faults.armed(),
    }))
    .into_response()
}
