//! Huawei Cloud Meeting (华为云会议) client, built from "华为云会议 服务端 API 参考" (vendor document
//! 002, digested in the vendor note `huawei-cloud-meeting.md`).
//!
//! Sessions: App ID authentication (`POST /v2/usg/acs/auth/appauth`, HMAC-SHA256) or account +
//! password (`POST /v1/usg/acs/auth/account`, Basic). The access token is cached with its
//! lifetime, refreshed shortly before it runs out (`PUT /v1/usg/acs/token` with the refresh
//! token, else a new login), and replaced by a new login once when the server rejects it.
//! Concurrent calls wait on one login instead of each starting their own.

pub mod cycle;
pub mod errors;
pub mod mapping;
pub mod signer;
pub mod wire;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use huiyi_core::{Capabilities, MeetingDraft, VendorErrorKind, VendorKind, VendorMeeting};
use reqwest::header::{HeaderName, AUTHORIZATION};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::error::truncate_detail;
use crate::error::VendorError;
use crate::http::{encode_json, Http, HttpRequest, HttpResponse};
use crate::{VendorClient, VendorIdentity};
use cycle::{BadCycle, CycleRule, CycleSeries};
use errors::{classify, is_session_rejection, CallPhase};
use mapping::AttendeeMode;
use wire::{
    CancelSubConfsRequest, ConferenceDetail, ConferenceInfo, ConferenceList,
    CycleConferenceRequest, ErrorBody, OneOrMany, ParticipantInfo, SubConfUpdateRequest,
    TokenResponse,
};

const VENDOR: VendorKind = VendorKind::Huawei;

const APP_AUTH_PATH: &str = "/v2/usg/acs/auth/appauth";
const ACCOUNT_AUTH_PATH: &str = "/v1/usg/acs/auth/account";
const TOKEN_PATH: &str = "/v1/usg/acs/token";
const CONFERENCES_PATH: &str = "/v1/mmc/management/conferences";
const DETAIL_PATH: &str = "/v1/mmc/management/conferences/confDetail";
/// Recurring conferences: create (POST), edit (PUT), cancel (DELETE) (4.2.4, 4.2.5, 4.2.7).
const CYCLE_PATH: &str = "/v1/mmc/management/cycleconferences";
/// One or more sub-meetings of a recurring conference: edit (PUT), cancel (DELETE with a JSON
/// body) (4.2.6, 4.2.8).
const CYCLE_SUB_PATH: &str = "/v1/mmc/management/conferences/cyclesubconf";

/// How long a signed App ID login request stays valid (`expireTime` = now + 600 s, L541).
const SIGNATURE_LIFETIME_SECS: i64 = 600;
/// Renew this long before the access token runs out (tokens live 12-24 h, L510).
const RENEW_MARGIN_SECS: i64 = 300;
/// Assumed token life when an answer gives none: the documented minimum, 12 h.
const DEFAULT_TOKEN_LIFE_SECS: i64 = 12 * 3600;
/// Refresh-token life when an answer gives none: 30 days (`refreshValidPeriod` example).
const DEFAULT_REFRESH_LIFE_SECS: i64 = 30 * 24 * 3600;
/// Page size for the meeting list (the API allows up to 500, L3360).
const LIST_PAGE: usize = 100;
/// At most this many list pages (10,000 meetings): a server that keeps paging must not hold
/// the agenda hostage.
const MAX_LIST_PAGES: usize = 100;
/// Participant pages fetched for one meeting's details.
const MAX_PARTICIPANT_PAGES: usize = 10;

/// The account's credentials, secret half included.
#[derive(Clone, Debug)]
pub enum HuaweiAuth {
    /// App ID authentication as `user_id` (none: the enterprise default administrator).
    AppId {
        app_id: String,
        user_id: Option<String>,
        app_key: SecretString,
    },
    /// Account + password authentication.
    Password {
        account: String,
        password: SecretString,
    },
}

/// "Now" for token lifetimes and signatures; replaceable so tests can age a session.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

struct Session {
    access: SecretString,
    /// When to stop using the access token (by our clock, margin already taken off).
    renew_at: DateTime<Utc>,
    refresh: Option<SecretString>,
    refresh_until: DateTime<Utc>,
    /// Bumped on every new token, so a caller whose token was rejected can tell whether
    /// another caller already replaced it.
    generation: u64,
}

pub struct HuaweiClient {
    base_url: String,
    auth: HuaweiAuth,
    http: Http,
    clock: Clock,
    session: Mutex<Option<Session>>,
    /// Server clock minus ours, in seconds, learnt from `Date` headers: App ID signatures carry
    /// an absolute `expireTime` the server checks against its own clock.
    skew_secs: AtomicI64,
}

impl std::fmt::Debug for HuaweiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let principal = match &self.auth {
            HuaweiAuth::AppId {
                app_id, user_id, ..
            } => format!(
                "app {app_id} as {}",
                user_id.as_deref().unwrap_or("default admin")
            ),
            HuaweiAuth::Password { account, .. } => account.clone(),
        };
        f.debug_struct("HuaweiClient")
            .field("base_url", &self.base_url)
            .field("principal", &principal)
            .finish_non_exhaustive()
    }
}

/// A failed answer, before deciding whether it is worth a new login.
struct Rejection {
    error: VendorError,
    session_rejected: bool,
}

impl HuaweiClient {
    pub fn new(base_url: &str, auth: HuaweiAuth, http: &Http) -> HuaweiClient {
        HuaweiClient {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            auth,
            http: http.clone(),
            clock: Arc::new(Utc::now),
            session: Mutex::new(None),
            skew_secs: AtomicI64::new(0),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> HuaweiClient {
        self.clock = clock;
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, VendorError> {
        let mut url = Url::parse(&format!("{}{path}", self.base_url))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::Network,
                    "the server address is not a valid http(s) URL",
                )
            })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, VendorError> {
        let resp = self.http.send(VENDOR, req).await?;
        if let Some(server) = resp.date {
            let skew = (server - self.now()).num_seconds();
            // Below a minute is latency and rounding, not a clock problem.
            self.skew_secs
                .store(if skew.abs() > 60 { skew } else { 0 }, Ordering::Relaxed);
        }
        Ok(resp)
    }

    // ------------------------------------------------------------ authentication

    /// Logs in. An App ID signature carries an absolute `expireTime` that the server checks
    /// against its own clock (L541), so a computer whose clock runs more than the signature's
    /// 10 minutes behind would read as "wrong App Key". When a refusal comes with a `Date`
    /// header (the document's answers carry one, L847) showing such a difference, the login is
    /// signed once more on the server's time.
    async fn login(&self) -> Result<TokenResponse, VendorError> {
        let skew_used = self.skew_secs.load(Ordering::Relaxed);
        match self.login_once().await {
            Err(e)
                if e.kind == VendorErrorKind::BadCredentials
                    && matches!(self.auth, HuaweiAuth::AppId { .. })
                    && (self.skew_secs.load(Ordering::Relaxed) - skew_used).abs() > 60 =>
            {
                tracing::info!(
                    vendor = VENDOR.as_str(),
                    skew_secs = self.skew_secs.load(Ordering::Relaxed),
                    "login refused and the server clock differs from ours; signing with the server's time"
                );
                self.login_once().await
            }
            other => other,
        }
    }

    async fn login_once(&self) -> Result<TokenResponse, VendorError> {
        let header_error = |_| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadCredentials,
                "the credentials contain characters HTTP headers cannot carry",
            )
        };
        let req = match &self.auth {
            HuaweiAuth::AppId {
                app_id,
                user_id,
                app_key,
            } => {
                let user = user_id.as_deref().map(str::trim).filter(|u| !u.is_empty());
                let server_now =
                    self.now() + Duration::seconds(self.skew_secs.load(Ordering::Relaxed));
                let expire_time =
                    u64::try_from(server_now.timestamp() + SIGNATURE_LIFETIME_SECS).unwrap_or(0);
                let nonce = signer::new_nonce();
                let header = signer::app_auth_header(
                    app_id,
                    user.unwrap_or(""),
                    expire_time,
                    &nonce,
                    app_key.expose_secret(),
                );
                let body = wire::AppAuthRequest {
                    app_id: app_id.clone(),
                    client_type: wire::CLIENT_TYPE_API,
                    expire_time,
                    nonce,
                    user_id: user.map(str::to_string),
                };
                HttpRequest::new(Method::POST, self.url(APP_AUTH_PATH, &[])?)
                    .secret_header(AUTHORIZATION, &header)
                    .map_err(header_error)?
                    .header(HeaderName::from_static("x-token-type"), "LongTicket")
                    .map_err(header_error)?
                    .json(encode_json(VENDOR, &body)?)
            }
            HuaweiAuth::Password { account, password } => {
                let body = wire::AccountAuthRequest {
                    account: account.clone(),
                    client_type: wire::CLIENT_TYPE_API,
                    create_token_type: 0,
                };
                HttpRequest::new(Method::POST, self.url(ACCOUNT_AUTH_PATH, &[])?)
                    .secret_header(
                        AUTHORIZATION,
                        &signer::basic_auth_header(account, password.expose_secret()),
                    )
                    .map_err(header_error)?
                    .json(encode_json(VENDOR, &body)?)
            }
        };
        let resp = self.send(req).await?;
        if !resp.is_success() {
            return Err(rejection(&resp, CallPhase::Login).error);
        }
        resp.json(VENDOR, "login answer")
    }

    /// `PUT /v1/usg/acs/token` with the refresh token in `X-Access-Token` (table 3-12, L946).
    async fn refresh(&self, refresh: &SecretString) -> Result<TokenResponse, VendorError> {
        let req = HttpRequest::new(Method::PUT, self.url(TOKEN_PATH, &[])?)
            .secret_header(
                HeaderName::from_static("x-access-token"),
                refresh.expose_secret(),
            )
            .map_err(|_| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the refresh token is not a valid header value",
                )
            })?;
        let resp = self.send(req).await?;
        if !resp.is_success() {
            return Err(rejection(&resp, CallPhase::Api).error);
        }
        resp.json(VENDOR, "token refresh answer")
    }

    fn session_from(&self, t: &TokenResponse, issued: DateTime<Utc>, generation: u64) -> Session {
        // Lifetimes are taken as durations from now on our clock: the server's absolute
        // expireTime is on its clock (and the document's own refresh example has an expireTime
        // before its createTime, L1012-1015).
        let life = t
            .valid_period
            .and_then(|v| i64::try_from(v).ok())
            .or_else(|| match (t.expire_time, t.create_time) {
                (Some(exp), Some(created)) => i64::try_from(exp)
                    .ok()
                    .zip(i64::try_from(created / 1000).ok())
                    .map(|(e, c)| e - c),
                _ => None,
            })
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_TOKEN_LIFE_SECS);
        let margin = RENEW_MARGIN_SECS.min(life / 2);
        let refresh_life = t
            .refresh_valid_period
            .and_then(|v| i64::try_from(v).ok())
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_REFRESH_LIFE_SECS);
        Session {
            access: t.access_token.clone(),
            renew_at: issued + Duration::seconds(life - margin),
            refresh: t.refresh_token.clone(),
            refresh_until: issued
                + Duration::seconds(refresh_life - RENEW_MARGIN_SECS.min(refresh_life / 2)),
            generation,
        }
    }

    /// A usable access token and its generation: the cached one, a refreshed one when it is
    /// about to run out, or a new login.
    async fn access_token(&self) -> Result<(SecretString, u64), VendorError> {
        let mut guard = self.session.lock().await;
        let now = self.now();
        let generation = match guard.as_ref() {
            Some(s) if now < s.renew_at => return Ok((s.access.clone(), s.generation)),
            Some(s) => s.generation + 1,
            None => 1,
        };
        let refresh = guard
            .as_ref()
            .and_then(|s| s.refresh.clone().filter(|_| now < s.refresh_until));
        let mut renewed = None;
        if let Some(refresh) = refresh {
            match self.refresh(&refresh).await {
                Ok(t) => renewed = Some(t),
                // A refused refresh is not the user's problem while a login still works.
                Err(e) => {
                    tracing::info!(vendor = VENDOR.as_str(), error = e.kind.code(), code = ?e.code, "token refresh failed; logging in again")
                }
            }
        }
        let token = match renewed {
            Some(t) => t,
            None => self.login().await?,
        };
        let session = self.session_from(&token, self.now(), generation);
        let out = (session.access.clone(), session.generation);
        *guard = Some(session);
        Ok(out)
    }

    /// After the server refused token `rejected`: a new login, unless another call has already
    /// replaced that token while this one waited.
    async fn replace_rejected_token(
        &self,
        rejected: u64,
    ) -> Result<(SecretString, u64), VendorError> {
        let mut guard = self.session.lock().await;
        let generation = match guard.as_ref() {
            Some(s) if s.generation != rejected => return Ok((s.access.clone(), s.generation)),
            Some(s) => s.generation + 1,
            None => rejected + 1,
        };
        *guard = None;
        let token = self.login().await?;
        let session = self.session_from(&token, self.now(), generation);
        let out = (session.access.clone(), session.generation);
        *guard = Some(session);
        Ok(out)
    }

    // ------------------------------------------------------------ calls

    async fn call_once(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Vec<u8>>,
        token: &SecretString,
    ) -> Result<Result<HttpResponse, Rejection>, VendorError> {
        let mut req = HttpRequest::new(method.clone(), self.url(path, query)?)
            .secret_header(
                HeaderName::from_static("x-access-token"),
                token.expose_secret(),
            )
            .map_err(|_| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the access token is not a valid header value",
                )
            })?;
        if let Some(b) = body {
            req = req.json(b.clone());
        }
        let resp = self.send(req).await?;
        Ok(if resp.is_success() {
            Ok(resp)
        } else {
            Err(rejection(&resp, CallPhase::Api))
        })
    }

    /// One authenticated call; a rejected session is replaced by a new login and the call made
    /// once more. A second rejection is reported as an expired session.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, VendorError> {
        let (token, generation) = self.access_token().await?;
        match self
            .call_once(&method, path, query, body.as_ref(), &token)
            .await?
        {
            Ok(resp) => Ok(resp),
            Err(r) if r.session_rejected => {
                tracing::info!(vendor = VENDOR.as_str(), path, code = ?r.error.code, "session rejected; logging in again");
                let (token, _) = self.replace_rejected_token(generation).await?;
                match self
                    .call_once(&method, path, query, body.as_ref(), &token)
                    .await?
                {
                    Ok(resp) => Ok(resp),
                    Err(mut r) => {
                        if r.session_rejected {
                            r.error.kind = VendorErrorKind::SessionExpired;
                        }
                        Err(r.error)
                    }
                }
            }
            Err(r) => Err(r.error),
        }
    }

    fn attendee_mode(&self) -> AttendeeMode<'_> {
        match &self.auth {
            HuaweiAuth::AppId { app_id, .. } => AttendeeMode::AppId { app_id },
            HuaweiAuth::Password { .. } => AttendeeMode::Password,
        }
    }

    fn request_body(&self, draft: &MeetingDraft) -> Result<Vec<u8>, VendorError> {
        let body = mapping::draft_to_request(draft, self.attendee_mode()).map_err(|e| {
            VendorError::new(VENDOR, VendorErrorKind::InvalidRequest, e.to_string())
        })?;
        encode_json(VENDOR, &body)
    }

    fn to_meeting(
        &self,
        c: &ConferenceInfo,
        participants: Option<&[ParticipantInfo]>,
    ) -> Result<VendorMeeting, VendorError> {
        mapping::conference_to_meeting(c, participants, self.now())
            .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string()))
    }

    /// Create and edit answer with `ConferenceInfo[]` (L1999, L2411).
    fn first_conference(
        &self,
        resp: &HttpResponse,
        what: &'static str,
    ) -> Result<Option<VendorMeeting>, VendorError> {
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let c = resp.json::<OneOrMany>(VENDOR, what)?.into_first();
        c.map(|c| self.to_meeting(&c, None)).transpose()
    }

    /// Whether the details query (4.2.10) shows a recurring conference (`conferenceType` 2 /
    /// `confType` CYCLE, table 4-8); None when it cannot tell (not found, failed).
    async fn is_series(&self, vendor_id: &str) -> Option<bool> {
        let query = [
            ("conferenceID", vendor_id.to_string()),
            ("offset", "0".to_string()),
            ("limit", "1".to_string()),
        ];
        let resp = self
            .call(Method::GET, DETAIL_PATH, &query, None)
            .await
            .ok()?;
        let detail: ConferenceDetail = resp.json(VENDOR, "meeting details").ok()?;
        Some(detail.conference_data.is_cycle())
    }

    /// `GET .../confDetail?conferenceID=` (4.2.10), paging through the participants. The
    /// conference is the first page's (a recurring one lists every sub-meeting there, L3708-3833).
    async fn detail(
        &self,
        vendor_id: &str,
    ) -> Result<(ConferenceInfo, Vec<ParticipantInfo>), VendorError> {
        let mut participants: Vec<ParticipantInfo> = Vec::new();
        let mut conference = None;
        for _ in 0..MAX_PARTICIPANT_PAGES {
            let query = [
                ("conferenceID", vendor_id.to_string()),
                ("offset", participants.len().to_string()),
                ("limit", LIST_PAGE.to_string()),
            ];
            let resp = self.call(Method::GET, DETAIL_PATH, &query, None).await?;
            let detail: ConferenceDetail = resp.json(VENDOR, "meeting details")?;
            let page = detail.data.unwrap_or_default();
            let got = page.data.len();
            participants.extend(page.data);
            conference.get_or_insert(detail.conference_data);
            let total = page
                .count
                .and_then(|c| usize::try_from(c).ok())
                .unwrap_or(participants.len());
            if got == 0 || participants.len() >= total {
                break;
            }
        }
        let conference = conference.ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                "the details answer holds no meeting",
            )
        })?;
        Ok((conference, participants))
    }
}

/// Turns a non-2xx answer into an error: the `error_code` when the body has one, else the
/// status. Only `error_msg` (the vendor's own text) reaches the detail, never the raw body.
fn rejection(resp: &HttpResponse, phase: CallPhase) -> Rejection {
    let body: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let code = body.error_code.filter(|c| !c.trim().is_empty());
    let kind = classify(resp.status, code.as_deref(), phase);
    let detail = match body.error_msg.filter(|m| !m.trim().is_empty()) {
        Some(msg) => truncate_detail(msg.trim()),
        None => format!("HTTP {} without a Huawei error body", resp.status),
    };
    let session_rejected =
        phase == CallPhase::Api && code.as_deref().is_some_and(is_session_rejection);
    Rejection {
        error: VendorError {
            vendor: VENDOR,
            kind,
            status: Some(resp.status),
            code,
            detail,
        },
        session_rejected,
    }
}

#[async_trait]
impl VendorClient for HuaweiClient {
    fn vendor(&self) -> VendorKind {
        VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // subject ≤ 128 (table 4-2), length 15-1440 minutes (L1897).
            max_subject_chars: 128,
            min_duration_minutes: 15,
            max_duration_minutes: 1440,
            // No number is documented (MMC.111071066); 500 is the largest page the API
            // serves, so a larger list could not even be read back.
            max_attendees: 500,
            // Account/password auth requires `phone` for every attendee (table 4-3).
            attendee_needs_phone: matches!(self.auth, HuaweiAuth::Password { .. }),
            only_hosts_by_account: false,
            attendee_needs_account: false,
            notify_email: true,
            notify_sms: true,
            notify_calendar: true,
            edit: true,
            host_links: true,
            rooms: false,
            // Huawei reserves no ports per meeting and has no registration (ignores both).
            max_ports: None,
            registration: false,
            one_meeting_at_a_time: false,
            // Cycle conferences (`/v1/mmc/management/cycleconferences`).
            native_series: true,
            end_meeting: false,
            lists_meetings: true,
            keeps_start: true,
            app_link_on_demand: false,
            password_digits: None,
        }
    }

    fn series_plan(&self, series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
        cycle::series_plan(series)
    }

    /// Always a fresh login (the point is to check the credentials), which also primes the
    /// session cache.
    async fn verify(&self) -> Result<VendorIdentity, VendorError> {
        let mut guard = self.session.lock().await;
        let generation = guard.as_ref().map_or(1, |s| s.generation + 1);
        let token = self.login().await?;
        *guard = Some(self.session_from(&token, self.now(), generation));
        drop(guard);
        let user = token.user.unwrap_or_default();
        let user_id = user
            .user_id
            .clone()
            .or_else(|| user.third_account.clone())
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the login answer names no user",
                )
            })?;
        let display_name = [
            &user.name,
            &user.name_en,
            &user.third_account,
            &user.uclogin_account,
        ]
        .into_iter()
        .flatten()
        .find(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| match &self.auth {
            HuaweiAuth::AppId {
                app_id, user_id, ..
            } => user_id.clone().unwrap_or_else(|| app_id.clone()),
            HuaweiAuth::Password { account, .. } => account.clone(),
        });
        Ok(VendorIdentity {
            user_id,
            display_name,
        })
    }

    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        let body = self.request_body(draft)?;
        let resp = self
            .call(Method::POST, CONFERENCES_PATH, &[], Some(body))
            .await?;
        self.first_conference(&resp, "create answer")?
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the create answer holds no meeting",
                )
            })
    }

    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError> {
        let body = self.request_body(draft)?;
        let query = [("conferenceID", vendor_id.to_string())];
        let resp = match self
            .call(Method::PUT, CONFERENCES_PATH, &query, Some(body))
            .await
        {
            Ok(resp) => resp,
            // A recurring conference is edited through its own resource (4.2.7, L2983-3012, or
            // 4.2.8 for one sub-meeting); the one-off edit (4.2.3) says nothing about series and
            // the fake answers MMC.111070005 for them. Reported as what it is, not "not found".
            Err(e) if e.kind == VendorErrorKind::NotFound => {
                return Err(match self.is_series(vendor_id).await {
                    Some(true) => VendorError::new(
                        VENDOR,
                        VendorErrorKind::Unsupported,
                        "this Huawei Cloud Meeting conference is a recurring series: change the whole series or one of its meetings instead",
                    ),
                    _ => e,
                });
            }
            Err(e) => return Err(e),
        };
        match self.first_conference(&resp, "edit answer") {
            // The document's edit example answers with another meeting's copy (note §6 #18):
            // only an answer about this meeting is trusted, otherwise it is read back. The
            // edit itself succeeded either way, so an unreadable answer is not an error.
            Ok(Some(m)) if m.vendor_id == vendor_id => Ok(m),
            Ok(_) => self.get_meeting(vendor_id).await,
            Err(e) => {
                tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "edit answer unreadable; reading the meeting back");
                self.get_meeting(vendor_id).await
            }
        }
    }

    /// `DELETE ?conferenceID=` without `type=1`: a meeting in progress is refused
    /// (MMC.111071067 -> MeetingStarted) rather than ended for everyone in it.
    ///
    /// A recurring conference (listed like any meeting, as its next sub-meeting) is cancelled
    /// through its own resource (4.2.5, L2813-2843): the one-off cancel (4.2.2) says nothing
    /// about series, and a "not found" from it must not pass for "already gone" while the
    /// series is still booked. So a not-found conference is looked up once more and, when it
    /// is a series, cancelled as one.
    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let query = [("conferenceID", vendor_id.to_string())];
        match self
            .call(Method::DELETE, CONFERENCES_PATH, &query, None)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind == VendorErrorKind::NotFound => {
                match self.is_series(vendor_id).await {
                    Some(true) => self.cancel_cycle_series(vendor_id).await,
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let (conference, participants) = self.detail(vendor_id).await?;
        self.to_meeting(&conference, Some(&participants))
    }

    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError> {
        let mut meetings = Vec::new();
        let mut offset = 0usize;
        let mut complete = false;
        for _ in 0..MAX_LIST_PAGES {
            let query = [
                ("offset", offset.to_string()),
                ("limit", LIST_PAGE.to_string()),
            ];
            let resp = self
                .call(Method::GET, CONFERENCES_PATH, &query, None)
                .await?;
            let page: ConferenceList = resp.json(VENDOR, "meeting list")?;
            let got = page.data.len();
            offset += got;
            for c in &page.data {
                match self.to_meeting(c, None) {
                    Ok(m) if m.state != huiyi_core::MeetingState::Ended => meetings.push(m),
                    Ok(_) => {}
                    // One unreadable entry must not hide the rest of the agenda.
                    Err(e) => {
                        tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "skipping a meeting the list could not describe")
                    }
                }
            }
            let total = page
                .count
                .and_then(|c| usize::try_from(c).ok())
                .unwrap_or(offset);
            if got == 0 || offset >= total {
                complete = true;
                break;
            }
        }
        if !complete {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                read = offset,
                "meeting list still had pages after the limit; showing what was read"
            );
        }
        Ok(meetings)
    }
}

/// A rule or request refused before any call.
fn bad_cycle(e: BadCycle) -> VendorError {
    let kind = match e {
        BadCycle::StartDateInPast { .. } => VendorErrorKind::StartInPast,
        _ => VendorErrorKind::InvalidRequest,
    };
    VendorError::new(VENDOR, kind, e.to_string())
}

fn invalid(detail: &str) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::InvalidRequest, detail)
}

/// A `cycleSubConfID` as sent: 32 hex characters in every example (note §1.8); anything made
/// of letters, digits and dashes (a UUID with dashes) up to 64 characters is let through, the
/// rest refused before it reaches a body.
fn sub_conf_id_checked(id: &str) -> Result<String, VendorError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(invalid(
            "a sub-meeting ID (cycleSubConfID) is letters and digits",
        ));
    }
    Ok(id.to_string())
}

/// Huawei recurring ("cycle") conferences (4.2.4-4.2.8), inherent until the cross-vendor trait
/// grows a series model. Rules are checked and their sub-meetings predicted before any call
/// ([`cycle::plan`]); create and edit compare the answer with the prediction and report a
/// series the server shortened ([`cycle::Shortened`]) instead of hiding it.
impl HuaweiClient {
    /// The create/edit-series body: the one-off body plus `cycleParams`, after checking the
    /// rule against the draft (its first meeting on `startDate`, both in the `timeZoneID` zone).
    fn cycle_request(
        &self,
        draft: &MeetingDraft,
        rule: &CycleRule,
    ) -> Result<(Vec<u8>, cycle::CyclePlan), VendorError> {
        let conference = mapping::draft_to_request(draft, self.attendee_mode())
            .map_err(|e| invalid(&e.to_string()))?;
        // The zone Huawei computes the dates in: the table's zone for the ID sent.
        let zone = mapping::id_to_zone(&conference.time_zone_id).unwrap_or(draft.zone);
        let plan = cycle::plan(rule, draft.start, zone, draft.duration_minutes, self.now())
            .map_err(bad_cycle)?;
        let body = CycleConferenceRequest {
            conference,
            cycle_params: rule.to_wire(),
        };
        Ok((encode_json(VENDOR, &body)?, plan))
    }

    fn to_series(
        &self,
        c: &ConferenceInfo,
        participants: Option<&[ParticipantInfo]>,
    ) -> Result<CycleSeries, VendorError> {
        cycle::series_from_wire(c, participants, self.now())
            .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string()))
    }

    /// The series in a create/edit answer (`ConferenceInfo[]`) when it is about `expected` (any
    /// ID for a create) and lists its sub-meetings; otherwise it is read back.
    async fn answered_series(
        &self,
        resp: &HttpResponse,
        expected: Option<&str>,
        what: &'static str,
    ) -> Result<CycleSeries, VendorError> {
        let answered = if resp.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            match resp.json::<OneOrMany>(VENDOR, what) {
                Ok(many) => many.into_first(),
                // The change itself went through; only an edit can be read back by its ID.
                Err(e) if expected.is_some() => {
                    tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "series answer unreadable; reading the series back");
                    None
                }
                Err(e) => return Err(e),
            }
        };
        let id_ok = |c: &ConferenceInfo| {
            expected.is_none_or(|id| c.conference_id.as_deref().map(str::trim) == Some(id))
        };
        match answered {
            Some(c) if id_ok(&c) && !c.sub_confs.is_empty() => self.to_series(&c, None),
            // The edit example answers about another conference (L3099 vs L3062, note §6 #20),
            // and an answer without subConfs tells nothing about the sub-meetings.
            Some(c) => {
                let id = expected
                    .map(str::to_string)
                    .or_else(|| c.conference_id.clone().filter(|i| !i.trim().is_empty()))
                    .ok_or_else(|| {
                        VendorError::new(
                            VENDOR,
                            VendorErrorKind::BadResponse,
                            "the series answer names no conference",
                        )
                    })?;
                self.get_cycle_series(id.trim()).await
            }
            None => match expected {
                Some(id) => self.get_cycle_series(id).await,
                None => Err(VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the create-series answer holds no meeting",
                )),
            },
        }
    }

    fn note_shortened(
        &self,
        mut series: CycleSeries,
        rule: &CycleRule,
        plan: &cycle::CyclePlan,
    ) -> CycleSeries {
        series.shortened = cycle::shortened(rule, plan, &series, self.now());
        if let Some(s) = &series.shortened {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                requested_end = %s.requested_end,
                answered_end = ?s.answered_end,
                predicted = s.predicted,
                listed = s.listed,
                "Huawei kept fewer meetings in the series than its rule gives"
            );
        }
        series
    }

    /// Books a recurring conference: `POST /v1/mmc/management/cycleconferences` (4.2.4,
    /// L2529-2533) with the draft as the first meeting (its time of day and length make every
    /// sub-meeting's) and `rule` as `cycleParams`. The draft's start must fall on
    /// `rule.start_date` in the meeting's zone. Answers the series with every sub-meeting, and
    /// [`CycleSeries::shortened`] when the server kept fewer than the rule gives.
    pub async fn create_cycle_meeting(
        &self,
        draft: &MeetingDraft,
        rule: &CycleRule,
    ) -> Result<CycleSeries, VendorError> {
        let (body, plan) = self.cycle_request(draft, rule)?;
        let resp = self.call(Method::POST, CYCLE_PATH, &[], Some(body)).await?;
        let series = self
            .answered_series(&resp, None, "create-series answer")
            .await?;
        Ok(self.note_shortened(series, rule, &plan))
    }

    /// A recurring conference with every sub-meeting: the details query (4.2.10) lists them in
    /// `subConfs` (example L3708-3833); the participants come from its pages.
    pub async fn get_cycle_series(&self, conference_id: &str) -> Result<CycleSeries, VendorError> {
        let (conference, participants) = self.detail(conference_id).await?;
        self.to_series(&conference, Some(&participants))
    }

    /// Redefines a whole series: `PUT /v1/mmc/management/cycleconferences?conferenceID=`
    /// (4.2.7, L2995-3012). A full overwrite (note §3.8, §6 #20): every field is sent, and
    /// every sub-meeting comes back with a new `cycleSubConfID`, so IDs held from before are
    /// stale afterwards. Answers the series as it now is.
    pub async fn update_cycle_series(
        &self,
        conference_id: &str,
        draft: &MeetingDraft,
        rule: &CycleRule,
    ) -> Result<CycleSeries, VendorError> {
        let (body, plan) = self.cycle_request(draft, rule)?;
        let query = [("conferenceID", conference_id.to_string())];
        let resp = self
            .call(Method::PUT, CYCLE_PATH, &query, Some(body))
            .await?;
        let series = self
            .answered_series(&resp, Some(conference_id), "edit-series answer")
            .await?;
        Ok(self.note_shortened(series, rule, &plan))
    }

    /// Moves or resizes one sub-meeting: `PUT /v1/mmc/management/conferences/cyclesubconf
    /// ?conferenceID=` (4.2.8) with `cycleSubConfID`, `mediaTypes`, `startTime` (UTC) and
    /// `length` (all required, table 4-42) and an optional `description` (≤ 200 characters).
    /// The other sub-meetings keep their IDs. The answer has no body (L3286): the series is
    /// read back. MMC.111071119 says the new time is out of the range Huawei allows.
    pub async fn update_occurrence(
        &self,
        conference_id: &str,
        cycle_sub_conf_id: &str,
        start: DateTime<Utc>,
        length_minutes: u32,
        description: Option<&str>,
    ) -> Result<CycleSeries, VendorError> {
        if !(cycle::MIN_LENGTH..=cycle::MAX_LENGTH).contains(&length_minutes) {
            return Err(bad_cycle(BadCycle::Length(length_minutes)));
        }
        if description.is_some_and(|d| d.chars().count() > 200) {
            return Err(invalid(
                "a sub-meeting description is at most 200 characters on Huawei Cloud Meeting",
            ));
        }
        let body = encode_json(
            VENDOR,
            &SubConfUpdateRequest {
                cycle_sub_conf_id: sub_conf_id_checked(cycle_sub_conf_id)?,
                media_types: "HDVideo".into(),
                start_time: mapping::to_wire_time(start),
                length: length_minutes,
                description: description.map(str::to_string),
            },
        )?;
        let query = [("conferenceID", conference_id.to_string())];
        self.call(Method::PUT, CYCLE_SUB_PATH, &query, Some(body))
            .await?;
        self.get_cycle_series(conference_id).await
    }

    /// Cancels some sub-meetings: `DELETE /v1/mmc/management/conferences/cyclesubconf
    /// ?conferenceID=` **with a JSON body** `{"cycleSubConfIDs":[...]}` (4.2.6, table 4-35).
    /// An empty list is refused here (the server would answer MMC.111071016). No `type=1`: a
    /// sub-meeting in progress is refused rather than ended for everyone in it.
    pub async fn cancel_occurrences(
        &self,
        conference_id: &str,
        cycle_sub_conf_ids: &[String],
    ) -> Result<(), VendorError> {
        let mut ids: Vec<String> = Vec::new();
        for id in cycle_sub_conf_ids {
            let id = sub_conf_id_checked(id)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return Err(invalid("name at least one sub-meeting to cancel"));
        }
        let body = encode_json(
            VENDOR,
            &CancelSubConfsRequest {
                cycle_sub_conf_ids: ids,
            },
        )?;
        let query = [("conferenceID", conference_id.to_string())];
        self.call(Method::DELETE, CYCLE_SUB_PATH, &query, Some(body))
            .await?;
        Ok(())
    }

    /// Cancels the whole series: `DELETE /v1/mmc/management/cycleconferences?conferenceID=`
    /// (4.2.5, L2825-2843), without `type=1` (a sub-meeting in progress is refused,
    /// MMC.111071067, rather than ended).
    pub async fn cancel_cycle_series(&self, conference_id: &str) -> Result<(), VendorError> {
        let query = [("conferenceID", conference_id.to_string())];
        self.call(Method::DELETE, CYCLE_PATH, &query, None).await?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
