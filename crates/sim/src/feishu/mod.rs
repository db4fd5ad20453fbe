//! Fake Feishu / Lark video conferencing (VC v1) server, built from the vendor document
//! vendor-docs/003_8aef37fd27b15832.txt (`S:Lnnn`, an overview: paths, methods, token types)
//! and its digest vendor-notes/feishu-vc.md (`note §n`, bodies, codes, limits). Where they
//! disagree the document wins unless the note's §12 says the per-method pages are the better
//! source; what neither states is marked as an assumption next to the code.
//!
//! | endpoint | method | tokens |
//! |---|---|---|
//! | `/open-apis/auth/v3/tenant_access_token/internal` | POST | app_id + app_secret |
//! | `/open-apis/auth/v3/app_access_token/internal` | POST | app_id + app_secret |
//! | `/open-apis/authen/v1/authorize` (the consent page; accounts.feishu.cn in real life) | GET, POST (form) | — |
//! | `/open-apis/authen/v2/oauth/token` | POST | client_id + client_secret |
//! | `/open-apis/vc/v1/reserves/apply` | POST | T (with owner_id), U |
//! | `/open-apis/vc/v1/reserves/:reserve_id` | PUT, DELETE, GET | T, U |
//! | `/open-apis/vc/v1/reserves/:reserve_id/get_active_meeting` | GET | T, U |
//! | `/open-apis/vc/v1/meetings/:meeting_id` | GET | T, U |
//! | `/open-apis/vc/v1/meetings/list_by_no` | GET | T, U |
//! | `/open-apis/vc/v1/meetings/:meeting_id/invite` | PATCH | U |
//! | `/open-apis/vc/v1/meetings/:meeting_id/kickout` | POST | T |
//! | `/open-apis/vc/v1/meetings/:meeting_id/set_host` | PATCH | T, U |
//! | `/open-apis/vc/v1/meetings/:meeting_id/end` | PATCH | U |
//! | `/open-apis/vc/v1/rooms`, `/rooms/:room_id`, `/rooms/mget` | GET, GET, POST | T, U |
//! | `/open-apis/vc/v1/rooms/search` | POST | U |
//! | `/open-apis/vc/v1/room_levels`, `/room_levels/:id`, `/room_levels/mget` | GET, GET, POST | T, U |
//! | `/open-apis/vc/v1/room_levels/search` | GET and POST (note §12.3) | T, U |
//!
//! Meetings start only when people join, which no API does: tests and the sandbox start one
//! with [`FeishuSim::start_meeting`] or `POST /__sim/start_meeting`. Control endpoints under
//! `/__sim/` are not part of the vendor API.
//!
//! Choices where the seed and the note leave room (each also marked at its code):
//! * Reserve token types: the seed says U only (S:L233, L263, L296, L329, L362); the per-method
//!   pages accept T too (note §12.1): both are served, and tenant `apply` needs an `owner_id`
//!   of the tenant (121003). A tenant token reaches every reserve and meeting of the app; a
//!   user token only its own (121005, note §12.10).
//! * Room reads take T and U as the seed says (S:L1356-L1442, note §12.2); `rooms/search` U
//!   only. `room_levels/search` answers GET and POST (note §12.3, S:L1918).
//! * The 121003 codes of apply (missing settings, end_time missing / past / > 30 days, tenant
//!   without owner) are the note's assumption (§13); invite with > 10 invitees is 121003 (§13).
//! * `password` omitted: the sandbox owner's setting is "random", 6 digits (note §4.1).
//! * `get_active_meeting` with nothing live: 404/121004 (note §12.10). GET after expiry
//!   answers with `expire_status` 2 (note §13).
//! * `end` by a participant who is not the host: 121005; `set_host` the same (note §13).
//! * Token failures answer HTTP 400 (note §12.12: only 99991661 was observed); the OAuth
//!   endpoint answers 400 with `{code, error, error_description}` (401 for a wrong
//!   client secret, RFC 6749 §5.2), 20049 when a PKCE code comes without the right verifier.
//!   A failed exchange does not consume the code (assumption).
//! * Registered redirect URIs: any loopback `http://127.0.0.1|localhost|[::1][:port]/…`
//!   (RFC 8252 §7.3); anything else gets an error page, never a redirect.
//! * Region: one listener plays Feishu or Lark ([`FeishuOptions::region`]): the link hosts
//!   change (note §10), the API does not.
//! * Rate limits (note §9): per API per app, windows on the sim clock; list_by_no 100/min,
//!   the others 1000/min and 50/s; 429 + 99991400 + `x-ogw-ratelimit-{limit,reset}`.

mod auth;
mod errors;
mod state;
mod vc;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use auth::pkce_matches;
pub use errors::ApiError;
pub use state::{FeishuOptions, Region};

use crate::faults::{Fault, FaultSet};
use crate::persist::Persistent;
use crate::server::Backend;
use crate::SimError;
use state::State as SimState;

/// The sandbox credentials (also in [`crate::ListenerInfo::credentials`]).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCredentials {
    /// The self-built app's App ID (`cli_…`), also the OAuth `client_id`.
    pub app_id: String,
    /// Its App Secret, also the OAuth `client_secret`.
    pub app_secret: String,
    /// The sandbox user's `open_id` (`ou_…`): the user the authorization page signs in, and a
    /// valid `owner_id` for tenant-token bookings.
    pub user_id: String,
    pub user_name: String,
    /// `tenant_key`.
    pub tenant_key: String,
    /// Path of the authorization page on the listener.
    pub authorize_path: String,
    /// Path of the token endpoint.
    pub token_path: String,
}

impl std::fmt::Debug for SandboxCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("user_name", &self.user_name)
            .finish_non_exhaustive()
    }
}

/// A reserve as the server holds it (tests, `GET /__sim/state`).
#[derive(Debug, Clone, Serialize)]
pub struct ReserveSnapshot {
    pub id: String,
    pub meeting_no: String,
    pub password: String,
    pub end_time: i64,
    pub owner: String,
    pub meeting_settings: Value,
    pub deleted: bool,
    /// By the sim clock.
    pub expired: bool,
}

/// A meeting (a session held under a reserve).
#[derive(Debug, Clone, Serialize)]
pub struct MeetingSnapshot {
    pub id: String,
    pub reserve_id: String,
    pub meeting_no: String,
    pub topic: String,
    pub host: String,
    pub live: bool,
    pub locked: bool,
    /// (open_id, status): 1 calling, 2 in meeting, 3 ringing, 4 left.
    pub participants: Vec<(String, i64)>,
}

/// A user of the sandbox tenant.
#[derive(Debug, Clone, Serialize)]
pub struct UserSnapshot {
    pub open_id: String,
    pub name: String,
}

/// Tokens from one OAuth grant ([`FeishuSim::authorize_user`]).
#[derive(Clone)]
pub struct UserGrant {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for UserGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UserGrant(<redacted>)")
    }
}

#[derive(Default)]
struct Window {
    minute_start: i64,
    minute_count: u32,
    second: i64,
    second_count: u32,
}

pub(crate) struct Shared {
    state: Persistent<SimState>,
    faults: FaultSet,
    requests: AtomicU64,
    /// Tokens and codes handed out / accepted since start, bounded (leak scans).
    issued: Mutex<VecDeque<String>>,
    accepted: Mutex<VecDeque<String>>,
    /// PKCE verifiers received at the token endpoint (leak scans: a client's secret too).
    verifiers: Mutex<VecDeque<String>>,
    /// Per-API rate windows (memory only).
    windows: Mutex<HashMap<&'static str, Window>>,
    /// Requests answered, per API bucket name.
    per_api: Mutex<HashMap<&'static str, u64>>,
}

const MAX_REMEMBERED: usize = 20_000;

/// Cheap clone handle on the Feishu fake.
#[derive(Clone)]
pub struct FeishuSim {
    shared: Arc<Shared>,
}

const LOGID: HeaderName = HeaderName::from_static("x-tt-logid");

/// `X-Tt-Logid` on every answer (note §9, §13), also inside error bodies via [`errors::LOGID`].
async fn logid_layer(req: Request, next: Next) -> Response {
    let id = format!(
        "{}{}",
        Utc::now().format("%Y%m%d%H%M%S"),
        crate::random_hex(20).to_uppercase()
    );
    let mut resp = errors::LOGID.scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(LOGID, v);
    }
    resp
}

impl FeishuSim {
    pub(crate) fn open(path: Option<PathBuf>) -> Result<FeishuSim, SimError> {
        Ok(FeishuSim {
            shared: Arc::new(Shared {
                state: Persistent::open(path, SimState::fresh)?,
                faults: FaultSet::default(),
                requests: AtomicU64::new(0),
                issued: Mutex::new(VecDeque::new()),
                accepted: Mutex::new(VecDeque::new()),
                verifiers: Mutex::new(VecDeque::new()),
                windows: Mutex::new(HashMap::new()),
                per_api: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub(crate) fn router(&self) -> Router {
        const VC: &str = "/open-apis/vc/v1";
        let api = Router::new()
            .route(
                "/open-apis/auth/v3/tenant_access_token/internal",
                post(auth::tenant_token),
            )
            .route(
                "/open-apis/auth/v3/app_access_token/internal",
                post(auth::app_token),
            )
            .route(
                "/open-apis/authen/v1/authorize",
                get(auth::authorize_page).post(auth::authorize_decision),
            )
            .route("/open-apis/authen/v2/oauth/token", post(auth::oauth_token))
            .route(&format!("{VC}/reserves/apply"), post(vc::reserve_apply))
            .route(
                &format!("{VC}/reserves/{{reserve_id}}"),
                get(vc::reserve_get)
                    .put(vc::reserve_update)
                    .delete(vc::reserve_delete),
            )
            .route(
                &format!("{VC}/reserves/{{reserve_id}}/get_active_meeting"),
                get(vc::reserve_active_meeting),
            )
            .route(
                &format!("{VC}/meetings/list_by_no"),
                get(vc::meeting_list_by_no),
            )
            .route(
                &format!("{VC}/meetings/{{meeting_id}}"),
                get(vc::meeting_get),
            )
            .route(
                &format!("{VC}/meetings/{{meeting_id}}/invite"),
                patch(vc::meeting_invite),
            )
            .route(
                &format!("{VC}/meetings/{{meeting_id}}/kickout"),
                post(vc::meeting_kickout),
            )
            .route(
                &format!("{VC}/meetings/{{meeting_id}}/set_host"),
                patch(vc::meeting_set_host),
            )
            .route(
                &format!("{VC}/meetings/{{meeting_id}}/end"),
                patch(vc::meeting_end),
            )
            .route(&format!("{VC}/rooms"), get(vc::room_list))
            .route(&format!("{VC}/rooms/mget"), post(vc::room_mget))
            .route(&format!("{VC}/rooms/search"), post(vc::room_search))
            .route(&format!("{VC}/rooms/{{room_id}}"), get(vc::room_get))
            .route(&format!("{VC}/room_levels"), get(vc::level_list))
            .route(&format!("{VC}/room_levels/mget"), post(vc::level_mget))
            .route(
                &format!("{VC}/room_levels/search"),
                get(vc::level_search).post(vc::level_search),
            )
            .route(
                &format!("{VC}/room_levels/{{room_level_id}}"),
                get(vc::level_get),
            )
            .route("/__sim/options", post(control_options))
            .route("/__sim/state", get(control_state))
            .route("/__sim/start_meeting", post(control_start_meeting))
            .merge(crate::control::routes())
            .fallback(no_such_api)
            .method_not_allowed_fallback(no_such_api)
            .with_state(self.clone());
        crate::server::wrap(api, Arc::new(self.clone()))
            .layer(axum::middleware::from_fn(logid_layer))
    }

    pub fn credentials(&self) -> SandboxCredentials {
        let st = self.lock();
        SandboxCredentials {
            app_id: st.app.app_id.clone(),
            app_secret: st.app.app_secret.clone(),
            user_id: st.users[0].open_id.clone(),
            user_name: st.users[0].name.clone(),
            tenant_key: st.app.tenant_key.clone(),
            authorize_path: "/open-apis/authen/v1/authorize".to_owned(),
            token_path: "/open-apis/authen/v2/oauth/token".to_owned(),
        }
    }

    pub(crate) fn credentials_json(&self) -> Value {
        serde_json::to_value(self.credentials()).unwrap_or(Value::Null)
    }

    /// Every user of the tenant; the sandbox user first, then colleagues to invite or make host.
    pub fn users(&self) -> Vec<UserSnapshot> {
        self.lock()
            .users
            .iter()
            .map(|u| UserSnapshot {
                open_id: u.open_id.clone(),
                name: u.name.clone(),
            })
            .collect()
    }

    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.arm(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    pub fn advance_clock(&self, seconds: i64) {
        let _ = self.write(|st| {
            st.clock.advance(seconds);
            Ok(())
        });
    }

    /// Stop the sim clock on a whole second (only `advance_clock` moves it), so that tests of
    /// per-second budgets cannot straddle a second boundary.
    pub fn freeze_clock(&self) {
        let _ = self.write(|st| {
            st.clock.freeze();
            Ok(())
        });
    }

    /// Let the sim clock run again from where it stands.
    pub fn unfreeze_clock(&self) {
        let _ = self.write(|st| {
            st.clock.unfreeze();
            Ok(())
        });
    }

    pub fn options(&self) -> FeishuOptions {
        self.lock().options.clone()
    }

    pub fn set_options(&self, options: FeishuOptions) {
        let _ = self.write(|st| {
            st.options = options;
            Ok(())
        });
    }

    /// Every reserve ever applied for, deleted ones included.
    pub fn reserves(&self) -> Vec<ReserveSnapshot> {
        let st = self.lock();
        let now = st.now_s();
        st.reserves
            .values()
            .map(|r| ReserveSnapshot {
                id: r.id.clone(),
                meeting_no: r.meeting_no.clone(),
                password: r.password.clone(),
                end_time: r.end_time,
                owner: r.owner.clone(),
                meeting_settings: r.meeting_settings.clone(),
                deleted: r.deleted,
                expired: r.end_time <= now,
            })
            .collect()
    }

    pub fn meetings(&self) -> Vec<MeetingSnapshot> {
        self.lock()
            .meetings
            .values()
            .map(|m| MeetingSnapshot {
                id: m.id.clone(),
                reserve_id: m.reserve_id.clone(),
                meeting_no: m.meeting_no.clone(),
                topic: m.topic.clone(),
                host: m.host.clone(),
                live: m.live(),
                locked: m.locked,
                participants: m
                    .participants
                    .iter()
                    .map(|p| (p.id.clone(), p.status))
                    .collect(),
            })
            .collect()
    }

    /// Start a meeting under `reserve_id`: the owner joins and hosts, then `others` join. The
    /// reserve must exist, be unexpired and have no live meeting ("一个预约最多有一个正在进行中
    /// 的会议", note §4.6). Returns the meeting id.
    pub fn start_meeting(&self, reserve_id: &str, others: &[String]) -> Result<String, ApiError> {
        self.write(|st| vc::start_meeting(st, reserve_id, others))
    }

    /// `open_id` joins the live meeting `meeting_id` (an invitee answering, a late comer).
    pub fn join_meeting(&self, meeting_id: &str, open_id: &str) -> Result<(), ApiError> {
        self.write(|st| vc::join_meeting(st, meeting_id, open_id))
    }

    /// Lock or unlock a live meeting (invite then fails with 122008).
    pub fn set_meeting_locked(&self, meeting_id: &str, locked: bool) -> Result<(), ApiError> {
        self.write(|st| {
            let m = st
                .meetings
                .get_mut(meeting_id)
                .ok_or(errors::MEETING_NOT_EXIST)?;
            m.locked = locked;
            Ok(())
        })
    }

    /// Add a bookable (or disabled) room under the room level `room_level_id` (tests of room
    /// paging); returns its `room_id`. The level must exist.
    pub fn add_room(
        &self,
        name: &str,
        capacity: i64,
        room_level_id: &str,
        enabled: bool,
    ) -> Result<String, ApiError> {
        self.write(|st| {
            if !st
                .room_levels
                .iter()
                .any(|l| l.room_level_id == room_level_id)
            {
                return Err(errors::NOT_EXIST);
            }
            let room_id = format!("omm_{}", crate::random_hex(32));
            st.rooms.push(state::Room {
                room_id: room_id.clone(),
                name: name.to_owned(),
                capacity,
                description: String::new(),
                display_id: format!("FM{}", state::digits(9)),
                custom_room_id: format!("R{}", st.rooms.len() + 1000),
                room_level_id: room_level_id.to_owned(),
                enabled,
                devices: Vec::new(),
            });
            Ok(room_id)
        })
    }

    /// An authorization code for the sandbox user, as if the page's "授权" was clicked.
    pub fn authorize_code(
        &self,
        redirect_uri: &str,
        scope: &str,
        code_challenge_s256: Option<&str>,
    ) -> Result<String, ApiError> {
        let open_id = self.lock().users[0].open_id.clone();
        let challenge = code_challenge_s256.map(|c| (c.to_owned(), "S256".to_owned()));
        self.issue_code(redirect_uri, scope, &open_id, challenge)
    }

    /// Sandbox user tokens without the page or the token endpoint (tests of other endpoints).
    /// `scope`: space-separated; include `offline_access` for a refresh token.
    pub fn authorize_user(&self, scope: &str) -> UserGrant {
        self.authorize_user_as(0, scope)
    }

    /// Like [`Self::authorize_user`] for the `n`-th user of [`Self::users`].
    pub fn authorize_user_as(&self, n: usize, scope: &str) -> UserGrant {
        let grant = self
            .write(|st| {
                let open_id = st
                    .users
                    .get(n)
                    .map(|u| u.open_id.clone())
                    .unwrap_or_default();
                let now = st.now_s();
                Ok(auth::grant_for_tests(st, &open_id, scope, now))
            })
            .unwrap_or(UserGrant {
                access_token: String::new(),
                refresh_token: None,
            });
        self.remember_issued(&grant.access_token);
        if let Some(r) = &grant.refresh_token {
            self.remember_issued(r);
        }
        grant
    }

    /// The sandbox user withdraws the app's authorization: every refresh token is revoked
    /// (refreshing then fails with 20064, note §3.3); access tokens live out their 2 h.
    pub fn revoke_refresh_tokens(&self) {
        let _ = self.write(|st| {
            for t in st.refresh_tokens.values_mut() {
                t.revoked = true;
            }
            Ok(())
        });
    }

    /// Every token and code the fake handed out since it started (bounded, oldest first).
    pub fn issued_tokens(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.issued)
            .iter()
            .cloned()
            .collect()
    }

    /// Every bearer token the fake accepted since it started (bounded, oldest first).
    pub fn accepted_tokens(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.accepted)
            .iter()
            .cloned()
            .collect()
    }

    /// Every PKCE `code_verifier` a client sent with a code (bounded, oldest first).
    pub fn received_verifiers(&self) -> Vec<String> {
        crate::persist::lock(&self.shared.verifiers)
            .iter()
            .cloned()
            .collect()
    }

    /// Vendor API requests received (control endpoints not counted).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Authenticated requests per API (`"reserves.apply"`, `"meetings.list_by_no"`, ...).
    pub fn api_count(&self, api: &str) -> u64 {
        crate::persist::lock(&self.shared.per_api)
            .get(api)
            .copied()
            .unwrap_or(0)
    }

    pub(crate) fn remember_issued(&self, token: &str) {
        remember(&self.shared.issued, token);
    }

    pub(crate) fn remember_verifier(&self, verifier: &str) {
        remember(&self.shared.verifiers, verifier);
    }

    fn remember_accepted(&self, token: &str) {
        remember(&self.shared.accepted, token);
    }

    /// Count one call of `api` and refuse it beyond its budget (note §9: per API, per app; a
    /// dual limit throttles on either). Windows follow the sim clock.
    fn rate_check(&self, api: &auth::Api) -> Result<(), ApiError> {
        *crate::persist::lock(&self.shared.per_api)
            .entry(api.name)
            .or_default() += 1;
        let (now, enabled) = {
            let st = self.lock();
            (st.now_s(), st.options.rate_limits)
        };
        if !enabled {
            return Ok(());
        }
        let mut windows = crate::persist::lock(&self.shared.windows);
        let w = windows.entry(api.name).or_default();
        if now >= w.minute_start + 60 || now < w.minute_start {
            w.minute_start = now;
            w.minute_count = 0;
        }
        if now != w.second {
            w.second = now;
            w.second_count = 0;
        }
        let over_minute = w.minute_count >= api.per_min;
        let over_second = api.per_sec.is_some_and(|l| w.second_count >= l);
        if over_minute || over_second {
            let (limit, reset) = if over_minute {
                (api.per_min, w.minute_start + 60 - now)
            } else {
                (api.per_sec.unwrap_or(0), 1)
            };
            let mut e = errors::RATE_LIMITED;
            e.headers = vec![
                ("x-ogw-ratelimit-limit", limit.to_string()),
                ("x-ogw-ratelimit-reset", reset.max(1).to_string()),
            ];
            return Err(e);
        }
        w.minute_count += 1;
        w.second_count += 1;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.shared.state.lock()
    }

    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut SimState) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.shared.state.write(f, errors::INTERNAL)
    }
}

fn remember(list: &Mutex<VecDeque<String>>, token: &str) {
    let mut list = crate::persist::lock(list);
    if list.len() >= MAX_REMEMBERED {
        list.pop_front();
    }
    list.push_back(token.to_owned());
}

impl Backend for FeishuSim {
    fn vendor(&self) -> &'static str {
        "feishu"
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
    /// Every tenant token, user token and refresh token expires now.
    fn expire_tokens(&self) {
        let _ = self.write(|st| {
            let now = st.now_s();
            for t in &mut st.tenant_tokens {
                t.expires_at = t.expires_at.min(now);
            }
            for t in st.user_tokens.values_mut() {
                t.expires_at = t.expires_at.min(now);
            }
            for t in st.refresh_tokens.values_mut() {
                t.expires_at = t.expires_at.min(now);
            }
            Ok(())
        });
    }
    fn now(&self) -> DateTime<Utc> {
        FeishuSim::now(self)
    }
    fn advance_clock(&self, seconds: i64) {
        FeishuSim::advance_clock(self, seconds)
    }
}

async fn no_such_api() -> ApiError {
    errors::NO_SUCH_API
}

async fn control_options(State(sim): State<FeishuSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<FeishuOptions>(&body) {
        Ok(options) => {
            sim.set_options(options);
            Json(sim.options()).into_response()
        }
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}

/// State without secrets or tokens (a dump pasted into a bug report carries none).
async fn control_state(State(sim): State<FeishuSim>) -> Response {
    let creds = sim.credentials();
    Json(json!({
        "now": sim.now(),
        "options": sim.options(),
        "credentials": {"app_id": creds.app_id, "user_id": creds.user_id, "user_name": creds.user_name},
        "users": sim.users(),
        "reserves": sim.reserves(),
        "meetings": sim.meetings(),
        "request_count": sim.request_count(),
        "faults": sim.shared.faults.armed(),
    }))
    .into_response()
}

#[derive(Deserialize)]
struct StartMeeting {
    reserve_id: String,
    #[serde(default)]
    participants: Vec<String>,
}

/// `POST /__sim/start_meeting {"reserve_id", "participants": [open_id…]}` → `{"meeting_id"}`.
async fn control_start_meeting(State(sim): State<FeishuSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<StartMeeting>(&body) {
        Ok(b) => match sim.start_meeting(&b.reserve_id, &b.participants) {
            Ok(id) => Json(json!({"meeting_id": id})).into_response(),
            Err(e) => crate::control::error(StatusCode::CONFLICT, format!("{} {}", e.code, e.msg)),
        },
        Err(err) => crate::control::error(StatusCode::BAD_REQUEST, err),
    }
}
