//! Feishu / Lark VC client, built from the seed document `vendor-docs/003_…txt` (an overview:
//! method/path/token tables, cited `S:Lnnn`) and its digest `vendor-notes/feishu-vc.md` (the
//! note, cited `Lnnn`), which brings the request and answer bodies from the reference pages.
//!
//! **Shape.** `https://open.feishu.cn/open-apis/…` (Lark: open.larksuite.com; the account's base
//! URL wins), JSON bodies, `Authorization: Bearer <token>` (note §3.4), answers
//! `{code, msg, data}` where only `code` decides (0 = success), whatever the HTTP status
//! (§9, §12.12).
//!
//! **Tokens** ([`auth`]). The app's `tenant_access_token` serves the reserve, meeting-get,
//! list_by_no, kickout, set_host and room calls (note §14 L719-720; the seed lists reserves as
//! user-token only, the reference pages accept both, §12.1 L594-600: reserves go with the tenant
//! token plus `owner_id` when the account names an owner, else with the user token). A user's
//! token (OAuth + PKCE, [`FeishuClient::begin_authorization`] /
//! [`FeishuClient::finish_authorization`]) is needed for invite, end and room search (L721).
//! Stale tokens are renewed once per call on the documented codes.
//!
//! **Retries.** GETs are repeated by [`Http::send`] on 5xx and lost connections. Rate limiting
//! (429 or code 99991400, L502-506) is waited out — `x-ogw-ratelimit-reset` seconds, at most
//! [`MAX_RATE_WAIT`] each, at most [`MAX_RATE_RETRIES`] times — for any method: a throttled
//! request was refused before anything happened. A write lost in transit is not repeated.
//!
//! **Not native here**: recurrence (a reserve has none; the calendar v4 API has RRULE events
//! with a VC link, note §11 L563-577, but needs a calendar, bot capability and other scopes, and
//! its meetings are not the reserve meetings this client manages — series are expanded locally),
//! advance invitations (invite rings people into a *running* meeting only, L580-582), and room
//! booking (the reserve has no room field; rooms are booked as calendar v4 attendees, L405-408):
//! rooms are listed, read and searched only. Feishu has no API listing an owner's reserves, so
//! [`VendorClient::list_meetings`] is unsupported: meetings are followed by id.

pub mod auth;
pub mod errors;
pub mod loopback;
pub mod mapping;
pub mod wire;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiyi_core::{
    Capabilities, FeishuRegion, MeetingDraft, VendorErrorKind, VendorKind, VendorMeeting,
    VendorRoom,
};
use reqwest::header::AUTHORIZATION;
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::error::VendorError;
use crate::http::{encode_json, Http, HttpRequest, HttpResponse};
use crate::{VendorClient, VendorIdentity};
use auth::TenantToken;
use errors::{classify, needs_reauthorization, tenant_token_stale, user_token_stale};
use wire::{
    ApplyBody, Envelope, InviteBody, InviteData, KickoutBody, KickoutData, ListByNoData,
    MeetingData, OAuthTokenAnswer, OAuthTokenRequest, ReserveData, RoomData, RoomLevelData,
    RoomLevelPage, RoomPage, RoomSearchBody, SetHostBody, SetHostData, Status, TenantTokenAnswer,
    TenantTokenRequest, UpdateBody, USER_ID_TYPE,
};

pub use auth::{MemoryTokenStore, OAuthStart, UserTokenStore, UserTokens, DEFAULT_SCOPES};
pub use huiyi_core::JoinPreferences;
pub use loopback::{parse_redirect, AuthorizationReply, LoopbackRedirect};
pub use mapping::{Planned, Unexpressible};
pub use wire::{
    ActionPermission, AssignHost, Meeting, MeetingBrief, MeetingSettings, MeetingUser,
    PermissionChecker, Reserve, Room, RoomLevel, UserResult,
};

const VENDOR: VendorKind = VendorKind::Feishu;
const API: &str = "/open-apis";

/// Rate-limit waits per call (bounded loop).
pub const MAX_RATE_RETRIES: u32 = 2;
/// The longest single wait for a rate limit; a longer `x-ogw-ratelimit-reset` is reported.
pub const MAX_RATE_WAIT: StdDuration = StdDuration::from_secs(10);
/// Invitees per invite call (note L336).
pub const MAX_INVITEES_PER_CALL: usize = 10;
/// Pages read at most for one list.
const MAX_PAGES: usize = 50;
/// Subject length. ASSUMPTION: no source states a limit for `topic`.
const MAX_SUBJECT_CHARS: usize = 100;

/// The app's credentials (note §3.1): `app_id` (`cli_…`) and its secret; `owner` the open_id
/// booked for with the tenant token (`owner_id`, L232-234).
#[derive(Clone)]
pub struct FeishuAuth {
    pub app_id: String,
    pub app_secret: SecretString,
    pub region: FeishuRegion,
    pub owner: Option<String>,
}

impl FeishuAuth {
    pub fn new(
        app_id: String,
        app_secret: SecretString,
        region: FeishuRegion,
        owner: Option<String>,
    ) -> FeishuAuth {
        FeishuAuth {
            app_id,
            app_secret,
            region,
            owner,
        }
    }
}

impl std::fmt::Debug for FeishuAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeishuAuth")
            .field("app_id", &self.app_id)
            .field("region", &self.region)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

/// "Now"; replaceable so tests can move time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Which token a call carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum As {
    Tenant,
    User,
}

/// A reserve as Feishu answered a booking or change, with the host ids it refused
/// (`reserve_correction_check_info.invalid_host_id_list`, L242-249).
#[derive(Debug, Clone)]
pub struct ReserveOutcome {
    pub reserve: Reserve,
    pub invalid_host_ids: Vec<String>,
}

pub struct FeishuClient {
    base_url: String,
    accounts_url: String,
    auth: FeishuAuth,
    http: Http,
    clock: Clock,
    tenant: tokio::sync::Mutex<Option<TenantToken>>,
    users: Option<Arc<dyn UserTokenStore>>,
    /// One refresh at a time: a refresh token works once.
    user_lock: tokio::sync::Mutex<()>,
    prefs: JoinPreferences,
}

impl std::fmt::Debug for FeishuClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeishuClient")
            .field("base_url", &self.base_url)
            .field("app_id", &self.auth.app_id)
            .field("owner", &self.auth.owner)
            .field("user_tokens", &self.users.is_some())
            .finish_non_exhaustive()
    }
}

fn bad_url() -> VendorError {
    VendorError::new(
        VENDOR,
        VendorErrorKind::Network,
        "the server address is not a valid http(s) URL",
    )
}

fn needs_authorization(detail: &str) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::UserAuthorizationNeeded, detail)
}

/// An id as one path segment: letters, digits, `_` and `-` only (reserve/meeting ids are
/// digits, rooms `omm_…`, levels `omb_…`); anything else is refused as unknown.
fn seg(id: &str) -> Result<&str, VendorError> {
    if id.is_empty()
        || id.len() > 128
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(VendorError::new(
            VENDOR,
            VendorErrorKind::NotFound,
            "not a Feishu id",
        ));
    }
    Ok(id)
}

fn unexpressible(e: Unexpressible) -> VendorError {
    let kind = match e {
        Unexpressible::EndInPast => VendorErrorKind::StartInPast,
        Unexpressible::BeyondThirtyDays(_) => VendorErrorKind::BeyondBookingWindow,
        _ => VendorErrorKind::AttendeeInvalid,
    };
    VendorError::new(VENDOR, kind, e.to_string())
}

impl FeishuClient {
    /// `base_url`: the account's API host (empty = the region's). The authorize page lives on
    /// the region's accounts host (note L162) when `base_url` is the region's default, else on
    /// `base_url` itself (a sandbox serves both).
    pub fn new(base_url: &str, auth: FeishuAuth, http: &Http) -> FeishuClient {
        let base = base_url.trim().trim_end_matches('/');
        // An empty base URL, or the Feishu host on a Lark account (what a form prefilled from
        // `VendorKind::default_base_url` gives), means the region's own host.
        let base = if base.is_empty()
            || (auth.region == FeishuRegion::Lark
                && base == FeishuRegion::Feishu.default_base_url())
        {
            auth.region.default_base_url().to_string()
        } else {
            base.to_string()
        };
        let accounts_url = if base == auth.region.default_base_url() {
            auth.region.accounts_base_url().to_string()
        } else {
            base.clone()
        };
        FeishuClient {
            base_url: base,
            accounts_url,
            auth,
            http: http.clone(),
            clock: Arc::new(Utc::now),
            tenant: tokio::sync::Mutex::new(None),
            users: None,
            user_lock: tokio::sync::Mutex::new(()),
            prefs: JoinPreferences::default(),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> FeishuClient {
        self.clock = clock;
        self
    }

    /// Where the user's tokens are kept; without a store, user-token calls fail with
    /// `UserAuthorizationNeeded` ("connect Feishu first").
    pub fn with_user_tokens(mut self, store: Arc<dyn UserTokenStore>) -> FeishuClient {
        self.users = Some(store);
        self
    }

    /// How `app_link` join links open the Feishu client.
    pub fn with_join_preferences(mut self, prefs: JoinPreferences) -> FeishuClient {
        self.prefs = prefs;
        self
    }

    /// The authorize page host (tests, private deployments).
    pub fn with_accounts_url(mut self, url: &str) -> FeishuClient {
        self.accounts_url = url.trim().trim_end_matches('/').to_string();
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, VendorError> {
        let mut url = Url::parse(&format!("{}{API}{path}", self.base_url))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(bad_url)?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    // ---- tokens ----

    /// The tenant token, fetched when none is cached, when it is within 3 min of expiry, or
    /// when `renew` (the last one was refused).
    async fn tenant_token(&self, renew: bool) -> Result<SecretString, VendorError> {
        let mut cached = self.tenant.lock().await;
        let now = self.now();
        if !renew {
            if let Some(t) = cached.as_ref().filter(|t| t.fresh(now)) {
                return Ok(t.token.clone());
            }
        }
        *cached = None;
        let body = encode_json(
            VENDOR,
            &TenantTokenRequest {
                app_id: &self.auth.app_id,
                app_secret: self.auth.app_secret.expose_secret(),
            },
        )?;
        let req = HttpRequest::new(
            Method::POST,
            self.url("/auth/v3/tenant_access_token/internal", &[])?,
        )
        .json(body);
        let resp = self.http.send(VENDOR, req).await?;
        // Flat answer, HTTP 200 even on failure (L130, L143-145).
        let answer: TenantTokenAnswer = resp.json(VENDOR, "tenant token answer")?;
        match (answer.code, answer.tenant_access_token) {
            (Some(0), Some(token)) => {
                let t = TenantToken::new(token, answer.expire, now);
                let token = t.token.clone();
                *cached = Some(t);
                Ok(token)
            }
            (code, _) => Err(classify(
                VENDOR,
                &resp,
                &Status {
                    code: code.filter(|c| *c != 0),
                    msg: answer.msg,
                    ..Status::default()
                },
            )),
        }
    }

    fn store(&self) -> Result<&Arc<dyn UserTokenStore>, VendorError> {
        self.users.as_ref().ok_or_else(|| {
            needs_authorization(
                "this call needs a Feishu user's authorization: connect Feishu first",
            )
        })
    }

    /// The user's access token, refreshed (and the rotated pair saved) when it is within 3 min
    /// of expiry or `renew`.
    async fn user_token(&self, renew: bool) -> Result<SecretString, VendorError> {
        let store = self.store()?;
        let _one_at_a_time = self.user_lock.lock().await;
        let now = self.now();
        let tokens = store.load().ok_or_else(|| {
            needs_authorization("no Feishu user authorization: connect Feishu first")
        })?;
        if !renew && tokens.access_fresh(now) {
            return Ok(tokens.access_token);
        }
        let Some(refresh) = tokens
            .refresh_token
            .clone()
            .filter(|_| tokens.can_refresh(now))
        else {
            // Nothing to refresh with: use what is left of the access token, then ask again.
            if !renew && tokens.access_expires_at > now {
                return Ok(tokens.access_token);
            }
            store.clear();
            return Err(needs_authorization(
                "the Feishu authorization has lapsed: connect Feishu again",
            ));
        };
        let secret = self.auth.app_secret.expose_secret();
        let body = OAuthTokenRequest {
            grant_type: "refresh_token",
            client_id: &self.auth.app_id,
            client_secret: secret,
            code: None,
            redirect_uri: None,
            code_verifier: None,
            refresh_token: Some(refresh.expose_secret()),
        };
        let fresh = self.oauth_token(&body, store.as_ref()).await?;
        Ok(fresh.access_token)
    }

    /// `POST /open-apis/authen/v2/oauth/token` (L166-177); on success the tokens are saved,
    /// on a refused refresh meaning "authorize again" the store is cleared.
    async fn oauth_token(
        &self,
        body: &OAuthTokenRequest<'_>,
        store: &dyn UserTokenStore,
    ) -> Result<UserTokens, VendorError> {
        let req = HttpRequest::new(Method::POST, self.url("/authen/v2/oauth/token", &[])?)
            .json(encode_json(VENDOR, body)?);
        // Sent once: a refresh token may already be spent if the answer is lost.
        let resp = self.http.send_single(VENDOR, req, 1).await?;
        let status: Status = serde_json::from_slice(&resp.body).unwrap_or_default();
        let answer: Option<OAuthTokenAnswer> = serde_json::from_slice(&resp.body).ok();
        let now = self.now();
        match answer {
            Some(a)
                if resp.is_success() && a.code.unwrap_or(0) == 0 && a.access_token.is_some() =>
            {
                let secs = |s: Option<i64>| s.filter(|s| *s > 0);
                let tokens = UserTokens {
                    access_expires_at: now
                        + chrono::Duration::seconds(
                            secs(a.expires_in).unwrap_or(auth::DEFAULT_TOKEN_SECONDS),
                        ),
                    access_token: a
                        .access_token
                        .unwrap_or_else(|| SecretString::from(String::new())),
                    refresh_expires_at: secs(a.refresh_token_expires_in)
                        .map(|s| now + chrono::Duration::seconds(s)),
                    refresh_token: a.refresh_token,
                    scope: a.scope,
                };
                store.save(&tokens);
                Ok(tokens)
            }
            _ => {
                let e = classify(VENDOR, &resp, &status);
                // Only a refused *refresh* kills the stored tokens (single-use refresh tokens,
                // note L173-175, L654-655). A refused code exchange (a replayed code 20065, a
                // wrong verifier 20049, L653-656) says nothing about tokens saved earlier.
                if body.grant_type == "refresh_token"
                    && status.code.is_some_and(needs_reauthorization)
                {
                    store.clear();
                }
                Err(e)
            }
        }
    }

    /// Starts a user authorization: the authorize URL (with `state` and the S256 challenge)
    /// for a loopback `redirect_uri` registered in the app's security settings (L162-165),
    /// asking for [`DEFAULT_SCOPES`].
    pub fn begin_authorization(&self, redirect_uri: &str) -> Result<OAuthStart, VendorError> {
        let verifier = auth::new_code_verifier();
        let state = auth::new_state();
        let authorize_url = auth::authorize_url(
            &self.accounts_url,
            &self.auth.app_id,
            redirect_uri,
            DEFAULT_SCOPES,
            &state,
            &verifier,
        )
        .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::InvalidRequest, e.to_string()))?;
        Ok(OAuthStart {
            authorize_url,
            state,
            verifier,
            redirect_uri: redirect_uri.to_string(),
        })
    }

    /// Ends a user authorization: checks the `state` the redirect brought back, exchanges the
    /// code (5 min, single use) with the PKCE verifier, saves the tokens in the store (if any)
    /// and returns them.
    pub async fn finish_authorization(
        &self,
        start: &OAuthStart,
        code: &str,
        returned_state: &str,
    ) -> Result<UserTokens, VendorError> {
        if returned_state != start.state {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::PermissionDenied,
                "the authorization answer does not belong to this request (state mismatch)",
            ));
        }
        let body = OAuthTokenRequest {
            grant_type: "authorization_code",
            client_id: &self.auth.app_id,
            client_secret: self.auth.app_secret.expose_secret(),
            code: Some(code),
            redirect_uri: Some(&start.redirect_uri),
            code_verifier: Some(start.verifier.expose_secret()),
            refresh_token: None,
        };
        let memory = MemoryTokenStore::default();
        let store: &dyn UserTokenStore = match &self.users {
            Some(s) => s.as_ref(),
            None => &memory,
        };
        let _one_at_a_time = self.user_lock.lock().await;
        self.oauth_token(&body, store).await
    }

    // ---- calls ----

    /// One API call with its token; renews the token once on the stale-token codes and waits
    /// out rate limits (bounded). `data` absent reads as its default.
    async fn call<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        who: As,
        what: &str,
    ) -> Result<T, VendorError> {
        let url = self.url(path, query)?;
        let mut renewed = false;
        let mut renew_now = false;
        let mut waits = 0;
        loop {
            let token = match who {
                As::Tenant => self.tenant_token(renew_now).await?,
                As::User => self.user_token(renew_now).await?,
            };
            renew_now = false;
            let mut req = HttpRequest::new(method.clone(), url.clone())
                .secret_header(AUTHORIZATION, &format!("Bearer {}", token.expose_secret()))
                .map_err(|_| {
                    VendorError::new(
                        VENDOR,
                        VendorErrorKind::BadCredentials,
                        "the token is malformed",
                    )
                })?;
            if let Some(b) = &body {
                req = req.json(b.clone());
            }
            let resp = self.http.send(VENDOR, req).await?;
            let status: Status = serde_json::from_slice(&resp.body).unwrap_or_default();
            if resp.status == 429 || status.code == Some(errors::RATE_LIMITED) {
                if let Some(wait) = rate_wait(&resp).filter(|_| waits < MAX_RATE_RETRIES) {
                    waits += 1;
                    tracing::info!(
                        vendor = VENDOR.as_str(),
                        path,
                        wait_ms = wait.as_millis() as u64,
                        "rate limited; waiting"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(classify(VENDOR, &resp, &status));
            }
            if let Some(code) = status.code {
                let stale = match who {
                    As::Tenant => tenant_token_stale(code),
                    As::User => user_token_stale(code),
                };
                if stale && !renewed {
                    renewed = true;
                    renew_now = true;
                    continue;
                }
            }
            if status.code != Some(errors::OK) || !resp.is_success() {
                return Err(classify(VENDOR, &resp, &status));
            }
            let env: Envelope<T> = resp.json(VENDOR, what)?;
            return Ok(env.data.unwrap_or_default());
        }
    }

    /// Reserves go with the tenant token and `owner_id` when the account has an owner, else
    /// with the user's token. The seed lists the five reserve methods as user-token only
    /// (S:L233, 263, 296, 329, 362); the reference pages, the GO SDK and MCP accept both and
    /// document `owner_id` for the tenant case (note §12.1, L594-600), so a booking needs no
    /// per-user OAuth. If a real server ever follows the seed, connecting a user and leaving
    /// `owner` empty switches every reserve call to the user token.
    fn reserve_identity(&self) -> Result<(As, Option<String>), VendorError> {
        match self
            .auth
            .owner
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            Some(o) => Ok((As::Tenant, Some(o.to_string()))),
            None if self.users.is_some() => Ok((As::User, None)),
            None => Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "name the Feishu user (open_id) the meetings belong to, or connect a Feishu user",
            )),
        }
    }

    fn uid_query() -> Vec<(&'static str, String)> {
        vec![("user_id_type", USER_ID_TYPE.to_string())]
    }

    /// `POST /reserves/apply` (note §4.2).
    pub async fn apply_reserve(
        &self,
        end: DateTime<Utc>,
        settings: &MeetingSettings,
    ) -> Result<ReserveOutcome, VendorError> {
        let (who, owner_id) = self.reserve_identity()?;
        let body = encode_json(
            VENDOR,
            &ApplyBody {
                end_time: mapping::to_wire_time(end),
                owner_id,
                meeting_settings: settings.clone(),
            },
        )?;
        let data: ReserveData = self
            .call(
                Method::POST,
                "/vc/v1/reserves/apply",
                &Self::uid_query(),
                Some(body),
                who,
                "reserve",
            )
            .await?;
        outcome(data)
    }

    /// `PUT /reserves/:reserve_id` (note §4.3): absent fields unchanged, empty ones cleared;
    /// a new `end_time` renews the reservation (≤ 30 days from now).
    pub async fn update_reserve(
        &self,
        reserve_id: &str,
        end: Option<DateTime<Utc>>,
        settings: Option<&MeetingSettings>,
    ) -> Result<ReserveOutcome, VendorError> {
        let (who, _) = self.reserve_identity()?;
        let body = encode_json(
            VENDOR,
            &UpdateBody {
                end_time: end.map(mapping::to_wire_time),
                meeting_settings: settings.cloned(),
            },
        )?;
        let path = format!("/vc/v1/reserves/{}", seg(reserve_id)?);
        let data: ReserveData = self
            .call(
                Method::PUT,
                &path,
                &Self::uid_query(),
                Some(body),
                who,
                "reserve",
            )
            .await?;
        outcome(data)
    }

    /// `DELETE /reserves/:reserve_id` (note §4.4; cannot be undone).
    pub async fn delete_reserve(&self, reserve_id: &str) -> Result<(), VendorError> {
        let (who, _) = self.reserve_identity()?;
        let path = format!("/vc/v1/reserves/{}", seg(reserve_id)?);
        let _: serde_json::Value = self
            .call(Method::DELETE, &path, &[], None, who, "answer")
            .await?;
        Ok(())
    }

    /// `GET /reserves/:reserve_id` (note §4.5): every field, `app_link` included.
    pub async fn get_reserve(&self, reserve_id: &str) -> Result<Reserve, VendorError> {
        let (who, _) = self.reserve_identity()?;
        let path = format!("/vc/v1/reserves/{}", seg(reserve_id)?);
        let data: ReserveData = self
            .call(Method::GET, &path, &Self::uid_query(), None, who, "reserve")
            .await?;
        data.reserve.ok_or_else(|| missing("reserve"))
    }

    /// `GET /reserves/:reserve_id/get_active_meeting` (note §4.6): the meeting live under the
    /// reserve, or none. ASSUMPTION (§12.10 L626-627): "nothing live" answers 121004.
    pub async fn get_active_meeting(
        &self,
        reserve_id: &str,
    ) -> Result<Option<Meeting>, VendorError> {
        let (who, _) = self.reserve_identity()?;
        let path = format!("/vc/v1/reserves/{}/get_active_meeting", seg(reserve_id)?);
        let r: Result<MeetingData, _> = self
            .call(Method::GET, &path, &Self::uid_query(), None, who, "meeting")
            .await;
        match r {
            Ok(d) => Ok(d.meeting.filter(|m| m.id.is_some())),
            Err(e) if e.code.as_deref() == Some("121004") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /meetings/:meeting_id` (note §5.1): own meetings of the last 90 days.
    pub async fn meeting(
        &self,
        meeting_id: &str,
        with_participants: bool,
    ) -> Result<Meeting, VendorError> {
        let path = format!("/vc/v1/meetings/{}", seg(meeting_id)?);
        let mut q = Self::uid_query();
        q.push(("with_participants", with_participants.to_string()));
        let data: MeetingData = self
            .call(Method::GET, &path, &q, None, As::Tenant, "meeting")
            .await?;
        data.meeting.ok_or_else(|| missing("meeting"))
    }

    /// `GET /meetings/list_by_no` (note §5.2): the meetings held under a 9-digit number between
    /// `start` and `end` (< 90 days apart), every page (bounded).
    pub async fn list_by_no(
        &self,
        meeting_no: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<MeetingBrief>, VendorError> {
        all_pages(|token| async move {
            let mut q = vec![
                ("meeting_no", meeting_no.to_string()),
                ("start_time", mapping::to_wire_time(start)),
                ("end_time", mapping::to_wire_time(end)),
                ("page_size", "50".to_string()),
            ];
            if let Some(t) = token {
                q.push(("page_token", t));
            }
            let page: ListByNoData = self
                .call(
                    Method::GET,
                    "/vc/v1/meetings/list_by_no",
                    &q,
                    None,
                    As::Tenant,
                    "meeting list",
                )
                .await?;
            Ok((
                page.meeting_briefs,
                next_page(page.page_token, page.has_more),
            ))
        })
        .await
    }

    /// `PATCH /meetings/:meeting_id/invite` (note §5.3): rings Feishu users into a meeting in
    /// progress; needs the user's token (the user in the meeting). Sent 10 per call; the
    /// results of every call, in order (per invitee `status` 1 success / 2 failed).
    pub async fn invite(
        &self,
        meeting_id: &str,
        invitees: &[MeetingUser],
    ) -> Result<Vec<UserResult>, VendorError> {
        let path = format!("/vc/v1/meetings/{}/invite", seg(meeting_id)?);
        let mut out = Vec::new();
        for chunk in invitees.chunks(MAX_INVITEES_PER_CALL) {
            let body = encode_json(VENDOR, &InviteBody { invitees: chunk })?;
            let data: InviteData = self
                .call(
                    Method::PATCH,
                    &path,
                    &Self::uid_query(),
                    Some(body),
                    As::User,
                    "invite results",
                )
                .await?;
            out.extend(data.invite_results);
        }
        Ok(out)
    }

    /// `PATCH /meetings/:meeting_id/end` (note §5.6): user token, the current host.
    pub async fn end_meeting(&self, meeting_id: &str) -> Result<(), VendorError> {
        let path = format!("/vc/v1/meetings/{}/end", seg(meeting_id)?);
        let _: serde_json::Value = self
            .call(Method::PATCH, &path, &[], None, As::User, "answer")
            .await?;
        Ok(())
    }

    /// `POST /meetings/:meeting_id/kickout` (note §5.4): tenant token only (S:L533-549).
    pub async fn kickout(
        &self,
        meeting_id: &str,
        users: &[MeetingUser],
    ) -> Result<Vec<UserResult>, VendorError> {
        let path = format!("/vc/v1/meetings/{}/kickout", seg(meeting_id)?);
        let body = encode_json(
            VENDOR,
            &KickoutBody {
                kickout_users: users,
            },
        )?;
        let data: KickoutData = self
            .call(
                Method::POST,
                &path,
                &Self::uid_query(),
                Some(body),
                As::Tenant,
                "kickout results",
            )
            .await?;
        Ok(data.kickout_results)
    }

    /// `PATCH /meetings/:meeting_id/set_host` (note §5.5): compare-and-swap on `old_host`; a
    /// lost race answers 121006 (`InvalidRequest`): read the meeting and decide again.
    pub async fn set_host(
        &self,
        meeting_id: &str,
        host: &MeetingUser,
        old_host: Option<&MeetingUser>,
    ) -> Result<Option<MeetingUser>, VendorError> {
        let path = format!("/vc/v1/meetings/{}/set_host", seg(meeting_id)?);
        let body = encode_json(
            VENDOR,
            &SetHostBody {
                host_user: host,
                old_host_user: old_host,
            },
        )?;
        let data: SetHostData = self
            .call(
                Method::PATCH,
                &path,
                &Self::uid_query(),
                Some(body),
                As::Tenant,
                "host",
            )
            .await?;
        Ok(data.host_user)
    }

    /// `GET /rooms` (note §7): one page of the rooms under a level (none = the whole tenant).
    pub async fn rooms_page(
        &self,
        room_level_id: Option<&str>,
        page_token: Option<&str>,
    ) -> Result<(Vec<Room>, Option<String>), VendorError> {
        let mut q = vec![
            ("page_size", "100".to_string()),
            ("user_id_type", USER_ID_TYPE.to_string()),
        ];
        if let Some(l) = room_level_id {
            q.push(("room_level_id", l.to_string()));
        }
        if let Some(t) = page_token {
            q.push(("page_token", t.to_string()));
        }
        let page: RoomPage = self
            .call(
                Method::GET,
                "/vc/v1/rooms",
                &q,
                None,
                As::Tenant,
                "room list",
            )
            .await?;
        Ok((page.rooms, next_page(page.page_token, page.has_more)))
    }

    /// `GET /rooms/:room_id`.
    pub async fn room(&self, room_id: &str) -> Result<Room, VendorError> {
        let path = format!("/vc/v1/rooms/{}", seg(room_id)?);
        let data: RoomData = self
            .call(
                Method::GET,
                &path,
                &Self::uid_query(),
                None,
                As::Tenant,
                "room",
            )
            .await?;
        data.room.ok_or_else(|| missing("room"))
    }

    /// `POST /rooms/search` (user token only, note L392-395): the rooms the user may book
    /// whose name matches `keyword`, every page (bounded).
    pub async fn search_rooms(&self, keyword: &str) -> Result<Vec<Room>, VendorError> {
        all_pages(|token| async move {
            let body = encode_json(
                VENDOR,
                &RoomSearchBody {
                    keyword: Some(keyword),
                    room_level_id: None,
                    page_size: 100,
                    page_token: token.as_deref(),
                },
            )?;
            let page: RoomPage = self
                .call(
                    Method::POST,
                    "/vc/v1/rooms/search",
                    &Self::uid_query(),
                    Some(body),
                    As::User,
                    "room list",
                )
                .await?;
            Ok((page.rooms, next_page(page.page_token, page.has_more)))
        })
        .await
    }

    /// `GET /room_levels` (note L399): the levels under `parent` (none = the top), every page.
    pub async fn room_levels(&self, parent: Option<&str>) -> Result<Vec<RoomLevel>, VendorError> {
        all_pages(|token| async move {
            let mut q = vec![("page_size", "100".to_string())];
            if let Some(p) = parent {
                q.push(("room_level_id", p.to_string()));
            }
            if let Some(t) = token {
                q.push(("page_token", t));
            }
            let page: RoomLevelPage = self
                .call(
                    Method::GET,
                    "/vc/v1/room_levels",
                    &q,
                    None,
                    As::Tenant,
                    "room level list",
                )
                .await?;
            Ok((page.items, next_page(page.page_token, page.has_more)))
        })
        .await
    }

    /// `GET /room_levels/:room_level_id`.
    pub async fn room_level(&self, room_level_id: &str) -> Result<RoomLevel, VendorError> {
        let path = format!("/vc/v1/room_levels/{}", seg(room_level_id)?);
        let data: RoomLevelData = self
            .call(Method::GET, &path, &[], None, As::Tenant, "room level")
            .await?;
        data.room_level.ok_or_else(|| missing("room level"))
    }

    fn to_meeting(
        &self,
        reserve: &Reserve,
        active: Option<&Meeting>,
        planned: Option<Planned>,
        subject: &str,
    ) -> Result<VendorMeeting, VendorError> {
        mapping::meeting_from_reserve(reserve, active, planned, subject, self.prefs, self.now())
            .ok_or_else(|| missing("reserve id"))
    }
}

fn missing(what: &str) -> VendorError {
    VendorError::new(
        VENDOR,
        VendorErrorKind::BadResponse,
        format!("the answer has no {what}"),
    )
}

fn outcome(data: ReserveData) -> Result<ReserveOutcome, VendorError> {
    Ok(ReserveOutcome {
        reserve: data.reserve.ok_or_else(|| missing("reserve"))?,
        invalid_host_ids: data
            .reserve_correction_check_info
            .map(|c| c.invalid_host_id_list)
            .unwrap_or_default(),
    })
}

/// How long a rate-limited answer asks to wait: `x-ogw-ratelimit-reset` seconds (L506), 1 s
/// when absent; none when longer than [`MAX_RATE_WAIT`].
fn rate_wait(resp: &HttpResponse) -> Option<StdDuration> {
    let secs = resp
        .header("x-ogw-ratelimit-reset")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(1.0);
    let wait = StdDuration::from_secs_f64(secs.min(MAX_RATE_WAIT.as_secs_f64() + 1.0));
    (wait <= MAX_RATE_WAIT).then_some(wait)
}

#[async_trait]
impl VendorClient for FeishuClient {
    fn vendor(&self) -> VendorKind {
        VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_subject_chars: MAX_SUBJECT_CHARS,
            min_duration_minutes: 1,
            // The reserve holds no length; the meeting must end within 30 days of booking
            // (checked per booking). ASSUMPTION: one day as the longest single meeting.
            max_duration_minutes: 24 * 60,
            // Only assigned hosts (≤ 10, L211) travel; a reserve has no participant list.
            max_attendees: mapping::MAX_HOSTS,
            attendee_needs_phone: false,
            // Only assigned hosts by open_id travel (L211): refused at the form.
            only_hosts_by_account: true,
            attendee_needs_account: false,
            // "不会生成日程": no calendar event, and Feishu sends no notice (L239-240).
            notify_email: false,
            notify_sms: false,
            notify_calendar: false,
            edit: true,
            host_links: false,
            // Rooms can be listed (list_rooms) but not booked for a reserve (L405-408).
            rooms: false,
            max_ports: None,
            registration: false,
            // At most one meeting live per reserve (L283); nothing limits an owner to one
            // reserve at a time.
            one_meeting_at_a_time: false,
            // No recurrence on reserves (L551); calendar v4 RRULE events exist (L563-577) but
            // need a calendar and bot identity, and make calendar meetings, not reserves.
            native_series: false,
            // The reserve's live meeting is ended with the connected user's token (note §5.6).
            end_meeting: true,
            // No API lists an owner's reserves (module docs): meetings are followed by id.
            lists_meetings: false,
            // A reserve holds only `end_time`, the moment its number stops working (note L229-238).
            keeps_start: false,
            app_link_on_demand: false,
            password_digits: None,
        }
    }

    fn series_plan(&self, series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
        huiyi_core::SeriesPlan::local_within(
            VENDOR,
            series,
            vec![huiyi_core::PlanReason::ReservesDoNotRepeat],
            self.now(),
            mapping::MAX_RESERVE_DAYS as u32,
        )
    }

    async fn verify(&self) -> Result<VendorIdentity, VendorError> {
        self.tenant_token(false).await?;
        let user_id = self
            .auth
            .owner
            .clone()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(|| self.auth.app_id.clone());
        Ok(VendorIdentity {
            display_name: user_id.clone(),
            user_id,
        })
    }

    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        let end = mapping::reserve_end(draft, self.now()).map_err(unexpressible)?;
        let settings = mapping::settings_from_draft(draft).map_err(unexpressible)?;
        let out = self.apply_reserve(end, &settings).await?;
        if !out.invalid_host_ids.is_empty() {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                refused = out.invalid_host_ids.len(),
                "Feishu refused assigned hosts"
            );
        }
        self.to_meeting(
            &out.reserve,
            None,
            Some(Planned {
                start: draft.start,
                zone: draft.zone,
            }),
            &draft.subject,
        )
    }

    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError> {
        let end = mapping::reserve_end(draft, self.now()).map_err(unexpressible)?;
        let settings = mapping::settings_from_draft(draft).map_err(unexpressible)?;
        self.update_reserve(vendor_id, Some(end), Some(&settings))
            .await?;
        // The update answer has no app_link (L266-267, §12.11): read the reserve back.
        let reserve = self.get_reserve(vendor_id).await?;
        self.to_meeting(
            &reserve,
            None,
            Some(Planned {
                start: draft.start,
                zone: draft.zone,
            }),
            &draft.subject,
        )
    }

    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        self.delete_reserve(vendor_id).await
    }

    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let reserve = self.get_reserve(vendor_id).await?;
        let active = if reserve.expire_status == Some(2) {
            None
        } else {
            self.get_active_meeting(vendor_id).await?
        };
        self.to_meeting(&reserve, active.as_ref(), None, "")
    }

    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError> {
        Err(VendorError::new(
            VENDOR,
            VendorErrorKind::Unsupported,
            "Feishu has no API listing reservations; each meeting is read by its id",
        ))
    }

    /// Ends the meeting live under the reserve `vendor_id`: the reserve's active meeting
    /// (tenant token), then `PATCH /meetings/:id/end` with the user's token.
    async fn end_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let Some(id) = self.get_active_meeting(vendor_id).await?.and_then(|m| m.id) else {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "only a meeting in progress can be ended: nobody is in this meeting",
            ));
        };
        FeishuClient::end_meeting(self, &id).await
    }

    async fn list_rooms(&self) -> Result<Vec<VendorRoom>, VendorError> {
        let rooms =
            all_pages(|token| async move { self.rooms_page(None, token.as_deref()).await }).await?;
        Ok(rooms.iter().filter_map(mapping::room).collect())
    }
}

/// The next page's token: only when the answer says there is more (`has_more`) and gives a
/// token to ask with.
fn next_page(page_token: Option<String>, has_more: Option<bool>) -> Option<String> {
    page_token.filter(|t| !t.is_empty() && has_more == Some(true))
}

/// Every page of a Feishu list: `fetch` reads the page of a token (none = the first) and gives
/// its items and the next token. Bounded by `MAX_PAGES`, and a server that hands back the token
/// it was asked with ends the list instead of looping.
async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, VendorError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), VendorError>>,
{
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (items, next) = fetch(token.clone()).await?;
        out.extend(items);
        match next {
            Some(t) if Some(&t) != token.as_ref() => token = Some(t),
            _ => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
