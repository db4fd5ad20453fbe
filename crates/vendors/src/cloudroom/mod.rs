//! CloudRoom (云屋) meeting Web API client, written from the vendor document
//! (`vendor-docs/004_4811e8f414f0903c.txt`, cited `Lnnn`) and its digest
//! (`vendor-notes/cloudroom.md`, cited `note §x`).
//!
//! Every request carries four headers (L24-29): the company's Secret ID, a Unix-seconds
//! timestamp, `sha256(secretId&timestamp&secretKey)` and a fresh UUID as request id. No session,
//! no token. A "signature expired" refusal (22004: more than 5 minutes from the server's clock,
//! L1099) teaches the client the server's clock from the answer's `Date` header and the request
//! is signed again, once (L91-95). A rate-limit refusal (HTTP 429 / 22008, L1105) is waited out a
//! bounded number of times; the two list endpoints, limited to 300 calls a minute (L420, L501),
//! are also paced on our side. Both refusals happen before the server acts, so any method may be
//! sent again after them; otherwise only a GET is retried (5xx outages, lost connections).
//!
//! Success bodies are bare JSON (no envelope, note §1.4); an enveloped one
//! (`{code, data}`) is unwrapped defensively. Errors are `{code, msg}` under 400 (signing),
//! 429 (rate) or 500 (every business code), mapped in `errors.rs`.
//!
//! Joining: the join call answers a `CRMT:` string (L291-321) that carries an account and a
//! password hash (note §5.4). It is a credential: minted per person right before the launch
//! through [`VendorClient::launch_links`] or [`CloudroomClient::join_string`], never part of
//! [`VendorClient::get_meeting`] (whose answer the desk caches), never logged, and kept
//! verbatim (no URL parser: `CRMT:` must keep its case, note §5.5).
//!
//! Periodic meetings (`orderConfig.periodType`, L584-585) are one `confId` for the whole
//! series with no per-occurrence operation: they are booked through the inherent
//! [`CloudroomClient::create_periodic_meeting`], and `Capabilities::native_series` is false.

pub mod errors;
pub mod mapping;
pub mod signer;
pub mod wire;

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use huiyi_core::{
    Capabilities, JoinLink, LinkKind, LinkRole, MeetingDraft, MeetingState, VendorErrorKind,
    VendorKind, VendorMeeting,
};
use reqwest::header::{HeaderName, ACCEPT};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::error::{truncate_detail, VendorError};
use crate::http::{encode_json, Http, HttpRequest, HttpResponse};
use crate::{VendorClient, VendorIdentity};
use errors::{classify, SIGNATURE_EXPIRED};
use wire::{CreateAnswer, DetailAnswer, ErrorBody, JoinAnswer, Page};

pub use mapping::{
    MeetingPassword, Period, PeriodEnd, Recurrence, Unexpressible, MAX_COHOSTS,
    MAX_DURATION_MINUTES, MAX_NICKNAME_CHARS, MAX_SUBJECT_CHARS,
};

const VENDOR: VendorKind = VendorKind::Cloudroom;

const CONFERENCE_PATH: &str = "/v2/conference";
const LIST_PATH: &str = "/v2/conference/list";
const HISTORY_PATH: &str = "/v2/conference/history/list";

/// Page size asked for: "最大值为100" (L437). Out of range falls back to 20, so the paging does
/// not assume it got 100.
pub const PAGE_SIZE: usize = 100;
/// Pages read at most per list (10 000 meetings at 100 a page, 2 000 at the fallback 20).
pub const MAX_PAGES: usize = 100;
/// "访问限制：300次/min" on both list endpoints (L420, L501).
pub const LIST_LIMIT: usize = 300;
pub const LIST_WINDOW: StdDuration = StdDuration::from_secs(60);
/// "时间间隔最大一年" (L435, 22236).
pub const MAX_LIST_SPAN_DAYS: i64 = 365;
/// `userType` (L302): 1 host, 4 ordinary participant.
const USER_TYPE_HOST: &str = "1";
const USER_TYPE_ATTENDEE: &str = "4";

/// The account's credentials (L15-18).
#[derive(Clone, Debug)]
pub struct CloudroomAuth {
    /// `X-CR-SecretId`: identifies the company.
    pub secret_id: String,
    /// Signs; never sent (L18, L34).
    pub secret_key: SecretString,
    /// The CloudRoom user (a Long) meetings are hosted by (`hostId`) and listed for
    /// (`searchUserId`); none = the company's creator (L126).
    pub user_id: Option<String>,
}

/// "Now" for signatures; replaceable so tests can sign at a fixed time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How a 429 / 22008 refusal is waited out: `Retry-After` when the server sends one (the
/// document does not say it does), else `first` doubling each time, each wait at most `max`,
/// at most `waits` times before the refusal is returned as `RateLimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateWaits {
    pub waits: u32,
    pub first: StdDuration,
    pub max: StdDuration,
}

impl Default for RateWaits {
    fn default() -> Self {
        RateWaits {
            waits: 3,
            first: StdDuration::from_secs(2),
            max: StdDuration::from_secs(20),
        }
    }
}

/// Paces calls so that no `window` holds more than `limit` of them (counted when each went
/// out).
struct Pacer {
    limit: usize,
    window: StdDuration,
    sent: Mutex<VecDeque<tokio::time::Instant>>,
}

impl Pacer {
    fn new(limit: usize, window: StdDuration) -> Pacer {
        Pacer {
            limit: limit.max(1),
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    async fn wait_turn(&self) {
        let mut sent = self.sent.lock().await;
        loop {
            let now = tokio::time::Instant::now();
            while sent
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= self.window)
            {
                sent.pop_front();
            }
            if sent.len() < self.limit {
                break;
            }
            let Some(oldest) = sent.front().copied() else {
                break;
            };
            tracing::info!(
                vendor = VENDOR.as_str(),
                "list limit of 300 a minute reached; waiting"
            );
            tokio::time::sleep_until(oldest + self.window).await;
        }
        sent.push_back(tokio::time::Instant::now());
    }
}

/// A periodic meeting as read: the meeting (its first occurrence's times) and its recurrence,
/// none for a one-off meeting.
#[derive(Debug, Clone)]
pub struct PeriodicMeeting {
    pub meeting: VendorMeeting,
    pub recurrence: Option<Recurrence>,
}

pub struct CloudroomClient {
    base_url: String,
    auth: CloudroomAuth,
    http: Http,
    clock: Clock,
    /// Server clock minus ours, in seconds, learnt from the `Date` of a 22004 refusal.
    skew_secs: AtomicI64,
    rate: RateWaits,
    lists: Pacer,
}

impl std::fmt::Debug for CloudroomClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudroomClient")
            .field("base_url", &self.base_url)
            .field("secret_id", &self.auth.secret_id)
            .field("user_id", &self.auth.user_id)
            .finish_non_exhaustive()
    }
}

fn invalid(e: Unexpressible) -> VendorError {
    let kind = match e {
        Unexpressible::NoUserId(_) | Unexpressible::TooManyCohosts(_) => {
            VendorErrorKind::AttendeeInvalid
        }
        Unexpressible::BadAccountUserId => VendorErrorKind::BadCredentials,
        _ => VendorErrorKind::InvalidRequest,
    };
    VendorError::new(VENDOR, kind, e.to_string())
}

fn bad_response(detail: impl Into<String>) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::BadResponse, detail)
}

/// `/v2/conference/{confId}` for a confId, a Long (L147); anything else cannot be a CloudRoom
/// meeting and must not change the path.
fn conf_path(conf_id: &str) -> Result<(i64, String), VendorError> {
    let id = conf_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0 && conf_id.trim().bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::NotFound,
                "not a CloudRoom meeting number",
            )
        })?;
    Ok((id, format!("{CONFERENCE_PATH}/{id}")))
}

fn code_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-2xx answer as an error: `{code, msg}` when it is one, else the status. Only the
/// vendor's `msg` reaches the detail, never the raw body.
fn rejection(resp: &HttpResponse) -> VendorError {
    let body = serde_json::from_slice::<ErrorBody>(&resp.body).unwrap_or_default();
    error_from(resp.status, body.code, body.msg)
}

fn error_from(status: u16, code: Option<i64>, msg: Option<String>) -> VendorError {
    let detail = match msg.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => truncate_detail(m),
        None => format!("HTTP {status} without a CloudRoom error body"),
    };
    VendorError {
        vendor: VENDOR,
        kind: classify(status, code),
        status: Some(status),
        code: code.map(|c| c.to_string()),
        detail,
    }
}

/// Reads a 2xx answer as `T`. The document's answers are bare (note §1.4); defensively, an
/// object with an integer `code` is taken for an envelope: with `data` and a success code (0 or
/// 200) the `data` is read, and with another code plus `msg` (or `data`) it is an error. An
/// empty body reads as `{}`. Errors name the JSON problem's category only: a serde message can
/// quote a value, and a value may be a CRMT string.
fn read<T: DeserializeOwned>(resp: &HttpResponse, what: &str) -> Result<T, VendorError> {
    let text = String::from_utf8_lossy(&resp.body);
    let mut value: Value = if text.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&resp.body).map_err(|_| {
            let mut e = bad_response(format!("could not read the {what}: it is not valid JSON"));
            e.status = Some(resp.status);
            e
        })?
    };
    if let Value::Object(o) = &value {
        if let Some(code) = o.get("code").and_then(code_of) {
            let has_data = o.contains_key("data");
            let success = code == 0 || code == 200;
            if has_data && success {
                value = match o.get("data") {
                    Some(Value::Null) | None => Value::Object(Default::default()),
                    Some(d) => d.clone(),
                };
            } else if !success && (has_data || o.contains_key("msg")) {
                let msg = o.get("msg").and_then(Value::as_str).map(str::to_string);
                return Err(error_from(resp.status, Some(code), msg));
            }
        }
    }
    serde_json::from_value(value).map_err(|e| {
        let category = match e.classify() {
            serde_json::error::Category::Data => "a field has an unexpected type or is missing",
            _ => "it is not valid JSON",
        };
        let mut err = bad_response(format!("could not read the {what}: {category}"));
        err.status = Some(resp.status);
        err
    })
}

/// `Retry-After` in seconds, if the server sent one.
fn retry_after(resp: &HttpResponse) -> Option<StdDuration> {
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(StdDuration::from_secs)
}

impl CloudroomClient {
    pub fn new(base_url: &str, auth: CloudroomAuth, http: &Http) -> CloudroomClient {
        CloudroomClient {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            auth,
            http: http.clone(),
            clock: Arc::new(Utc::now),
            skew_secs: AtomicI64::new(0),
            rate: RateWaits::default(),
            lists: Pacer::new(LIST_LIMIT, LIST_WINDOW),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> CloudroomClient {
        self.clock = clock;
        self
    }

    /// Other 429 waits (tests use short ones).
    pub fn with_rate_waits(mut self, rate: RateWaits) -> CloudroomClient {
        self.rate = rate;
        self
    }

    /// Another pace for the list endpoints (tests use a short window).
    pub fn with_list_limit(mut self, limit: usize, window: StdDuration) -> CloudroomClient {
        self.lists = Pacer::new(limit, window);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn server_now(&self) -> DateTime<Utc> {
        self.now() + Duration::seconds(self.skew_secs.load(Ordering::Relaxed))
    }

    /// The account's user id as a Long, none when it is the company's creator.
    fn host(&self) -> Result<Option<i64>, VendorError> {
        match self
            .auth
            .user_id
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => Ok(None),
            Some(u) => mapping::user_id(u)
                .map(Some)
                .ok_or_else(|| invalid(Unexpressible::BadAccountUserId)),
        }
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

    /// The request with the four headers of L24-29, signed now (server time as far as known).
    fn signed(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<HttpRequest, VendorError> {
        let header_error = |_| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadCredentials,
                "the Secret ID contains characters HTTP headers cannot carry",
            )
        };
        let h = signer::sign(
            self.auth.secret_id.trim(),
            self.auth.secret_key.expose_secret(),
            self.server_now().timestamp(),
            &signer::new_request_id(),
        );
        let mut req = HttpRequest::new(method.clone(), url.clone())
            .header(ACCEPT, "application/json")
            .map_err(header_error)?
            .header(
                HeaderName::from_static(signer::HEADER_SECRET_ID),
                &h.secret_id,
            )
            .map_err(header_error)?
            .header(
                HeaderName::from_static(signer::HEADER_TIMESTAMP),
                &h.timestamp,
            )
            .map_err(header_error)?
            .secret_header(
                HeaderName::from_static(signer::HEADER_SIGNATURE),
                &h.signature,
            )
            .map_err(header_error)?
            .header(
                HeaderName::from_static(signer::HEADER_REQUEST_ID),
                &h.request_id,
            )
            .map_err(header_error)?;
        if let Some(b) = body {
            // JSON bodies (note §1.3); `Content-Type: application/json; charset=UTF-8`.
            req = req.json(b.to_vec());
        }
        Ok(req)
    }

    /// One signed call; see the module comment for what is sent again and when.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, VendorError> {
        let url = self.url(path, query)?;
        let idempotent = method == Method::GET;
        let policy = self.http.retry_policy();
        let attempts = if idempotent {
            policy.max_attempts.max(1)
        } else {
            1
        };
        let mut backoff = policy.initial_backoff;
        let mut attempt = 1;
        let mut resigned = false;
        let mut rate_waits = 0u32;
        loop {
            let req = self.signed(&method, &url, body.as_deref())?;
            match self.http.send_single(VENDOR, req, attempt).await {
                Ok(resp) if resp.is_success() => return Ok(resp),
                Ok(resp) => {
                    let error = rejection(&resp);
                    let code = error.code.as_deref().and_then(|c| c.parse::<i64>().ok());
                    if code == Some(SIGNATURE_EXPIRED) && !resigned {
                        resigned = true;
                        if let Some(server) = resp.date {
                            self.skew_secs
                                .store((server - self.now()).num_seconds(), Ordering::Relaxed);
                        }
                        tracing::info!(
                            vendor = VENDOR.as_str(),
                            path,
                            skew_secs = self.skew_secs.load(Ordering::Relaxed),
                            "signature expired; signing again on the server's clock"
                        );
                        continue;
                    }
                    if errors::refused_before_acting(resp.status, code)
                        && code != Some(SIGNATURE_EXPIRED)
                        && rate_waits < self.rate.waits
                    {
                        let doubled = self
                            .rate
                            .first
                            .saturating_mul(2u32.saturating_pow(rate_waits));
                        let wait = retry_after(&resp).unwrap_or(doubled).min(self.rate.max);
                        rate_waits += 1;
                        tracing::info!(
                            vendor = VENDOR.as_str(),
                            path,
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            "rate limited; waiting before sending again"
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    // A 5xx reads as an outage without a code or with code 500 "服务器内部异常";
                    // one with a business code is an answer (every business code comes as
                    // HTTP 500, L1115), even one read as Unavailable: 22203 "会议未开始" asked
                    // again at once says the same, so it is not sent again.
                    let outage = resp.status >= 500 && matches!(code, None | Some(500));
                    if !(idempotent && attempt < attempts && outage) {
                        return Err(error);
                    }
                }
                Err(e) => {
                    if !(idempotent
                        && attempt < attempts
                        && matches!(e.kind, VendorErrorKind::Timeout | VendorErrorKind::Network))
                    {
                        return Err(e);
                    }
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
            attempt += 1;
        }
    }

    /// `GET /v2/conference/{confId}` → `confDetail` (L188-288).
    async fn detail(&self, conf_id: &str) -> Result<wire::ConfDetail, VendorError> {
        let (_, path) = conf_path(conf_id)?;
        let resp = self.call(Method::GET, &path, &[], None).await?;
        let answer: DetailAnswer = read(&resp, "meeting details")?;
        answer
            .conf_detail
            .ok_or_else(|| bad_response("the meeting details answer holds no confDetail"))
    }

    /// One page of a list (L416-574): `searchUserId` when the account names a user, no time
    /// filter (the document's own examples send none, L441, L522).
    async fn page(
        &self,
        path: &str,
        current: usize,
        size: usize,
        span: Option<(i64, i64)>,
    ) -> Result<Page, VendorError> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(u) = self.host()? {
            query.push(("searchUserId", u.to_string()));
        }
        if let Some((from, to)) = span {
            query.push(("startTime", from.to_string()));
            query.push(("endTime", to.to_string()));
        }
        query.push(("current", current.to_string()));
        query.push(("size", size.to_string()));
        self.lists.wait_turn().await;
        let resp = self.call(Method::GET, path, &query, None).await?;
        read(&resp, "meeting list")
    }

    /// Every page of a list, bounded: on while `remaining` says so, else while fewer than
    /// `total` were read, else while pages come full (the examples omit `remaining`, note
    /// §1.8); deduplicated by `confId`.
    async fn all_pages(
        &self,
        path: &str,
        span: Option<(i64, i64)>,
        ended: bool,
    ) -> Result<Vec<VendorMeeting>, VendorError> {
        let now = self.now();
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut read_count = 0usize;
        for current in 1..=MAX_PAGES {
            let page = self.page(path, current, PAGE_SIZE, span).await?;
            let got = page.records.len();
            read_count += got;
            let mut fresh = 0usize;
            for r in &page.records {
                let Some(m) = mapping::record_to_core(r, ended, now) else {
                    tracing::warn!(
                        vendor = VENDOR.as_str(),
                        "skipping a listed meeting without a confId"
                    );
                    continue;
                };
                if seen.insert(m.vendor_id.clone()) {
                    fresh += 1;
                    out.push(m);
                }
            }
            // "超出范围使用默认值" (L436): a page past the end is answered with page 1, so a
            // page that brings nothing new ends the list instead of going round again.
            if current > 1 && got > 0 && fresh == 0 {
                return Ok(out);
            }
            let more = match (page.remaining, page.total) {
                (Some(r), _) => r > 0,
                (None, Some(t)) => i64::try_from(read_count).unwrap_or(i64::MAX) < t,
                // 20 is the page size the server falls back to (L437).
                (None, None) => got >= 20,
            };
            if !more || got == 0 {
                return Ok(out);
            }
        }
        tracing::warn!(
            vendor = VENDOR.as_str(),
            read = read_count,
            "meeting list did not finish within the page limit; showing what was read"
        );
        Ok(out)
    }

    async fn modify(
        &self,
        conf_id: &str,
        req: &wire::ModifyRequest,
    ) -> Result<VendorMeeting, VendorError> {
        let (_, path) = conf_path(conf_id)?;
        let body = encode_json(VENDOR, req)?;
        let resp = self.call(Method::PUT, &path, &[], Some(body)).await?;
        let _: Value = read(&resp, "modify answer")?;
        self.get_meeting(conf_id).await
    }
}

/// CloudRoom-only operations: passwords, periodic meetings, the join string, the history.
impl CloudroomClient {
    /// `POST /v2/conference` (L114-153) with a password (4-6 digits, checked by
    /// [`MeetingPassword::parse`]) and a recurrence, either optional. The answer holds only the
    /// `confId`, so the meeting is read back; should that read fail, the meeting exists all the
    /// same and is described from the draft rather than reported as a failure (which would
    /// invite a second booking).
    pub async fn create_meeting_with(
        &self,
        draft: &MeetingDraft,
        password: Option<&MeetingPassword>,
        recurrence: Option<Recurrence>,
    ) -> Result<VendorMeeting, VendorError> {
        let req =
            mapping::draft_to_create(draft, self.host()?, password, recurrence).map_err(invalid)?;
        let body = encode_json(VENDOR, &req)?;
        let resp = self
            .call(Method::POST, CONFERENCE_PATH, &[], Some(body))
            .await?;
        let answer: CreateAnswer = read(&resp, "create answer")?;
        let id = answer
            .conf_id
            .filter(|i| *i > 0)
            .ok_or_else(|| bad_response("the create answer holds no confId"))?
            .to_string();
        match self.get_meeting(&id).await {
            Ok(m) => Ok(m),
            Err(e) => {
                tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "the new meeting could not be read back; describing it from the draft");
                Ok(VendorMeeting {
                    vendor_id: id.clone(),
                    meeting_number: id,
                    subject: req.subject,
                    start: draft.start,
                    duration_minutes: draft.duration_minutes,
                    zone: None,
                    state: MeetingState::Scheduled,
                    organizer: None,
                    attendees: draft.attendees.clone(),
                    guest_password: password.map(|p| p.as_str().to_string()),
                    host_password: None,
                    dial_in: None,
                    links: Vec::new(),
                    notify: Some(draft.notify),
                })
            }
        }
    }

    /// A periodic meeting (周期会议): `orderConfig.periodType` 1-5 and `periodEndTime` (-1 = no
    /// end), L584-585. The draft is the first occurrence; CloudRoom keeps the series as one
    /// `confId` with no way to address an occurrence.
    pub async fn create_periodic_meeting(
        &self,
        draft: &MeetingDraft,
        recurrence: Recurrence,
        password: Option<&MeetingPassword>,
    ) -> Result<PeriodicMeeting, VendorError> {
        let m = self
            .create_meeting_with(draft, password, Some(recurrence))
            .await?;
        self.get_periodic(&m.vendor_id).await.or_else(|e| {
            tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "the new series could not be read back");
            Ok(PeriodicMeeting {
                meeting: m,
                recurrence: Some(recurrence),
            })
        })
    }

    /// The meeting with its recurrence as CloudRoom holds it.
    pub async fn get_periodic(&self, conf_id: &str) -> Result<PeriodicMeeting, VendorError> {
        let d = self.detail(conf_id).await?;
        Ok(PeriodicMeeting {
            recurrence: mapping::detail_recurrence(&d),
            meeting: mapping::detail_to_core(&d, conf_id, self.now()),
        })
    }

    /// `PUT /v2/conference/{confId}` (L155-186) setting everything, the recurrence included:
    /// `None` makes the meeting a one-off one (`periodType` 0). The whole series changes
    /// (note §3.2). `password`: none keeps the current one.
    pub async fn update_meeting_with(
        &self,
        conf_id: &str,
        draft: &MeetingDraft,
        password: Option<&MeetingPassword>,
        recurrence: Option<Recurrence>,
    ) -> Result<VendorMeeting, VendorError> {
        let current = self.detail(conf_id).await?;
        let req =
            mapping::draft_to_modify(draft, self.host()?, current.host_id, password, recurrence)
                .map_err(invalid)?;
        self.modify(conf_id, &req).await
    }

    /// The join string for one person: `GET /v2/conference/{confId}/join?nickName=&userType=
    /// &password=` (L291-321). `userType` 1 for the host, else 4 (L302). The answer is a
    /// credential (account + password hash, note §5.4): it comes back as a secret
    /// [`JoinLink`] of kind `Protocol`, kept verbatim, to be opened right away and forgotten.
    pub async fn join_string(
        &self,
        conf_id: &str,
        nick_name: &str,
        password: Option<&str>,
        role: LinkRole,
    ) -> Result<JoinLink, VendorError> {
        let (_, path) = conf_path(conf_id)?;
        let nick = mapping::nickname(nick_name).map_err(invalid)?;
        let user_type = match role {
            LinkRole::Host => USER_TYPE_HOST,
            LinkRole::Attendee => USER_TYPE_ATTENDEE,
        };
        let mut query = vec![("nickName", nick), ("userType", user_type.to_string())];
        if let Some(p) = password.map(str::trim).filter(|p| !p.is_empty()) {
            query.push(("password", p.to_string()));
        }
        let resp = self
            .call(Method::GET, &format!("{path}/join"), &query, None)
            .await?;
        let answer: JoinAnswer = read(&resp, "join answer")?;
        let crmt = answer
            .crmt
            .filter(|c| mapping::crmt_ok(c.expose_secret()))
            .ok_or_else(|| bad_response("the join answer holds no usable CRMT string"))?;
        Ok(JoinLink::credential(LinkKind::Protocol, role, crmt))
    }

    /// Ended meetings between `from` and `to` (at most a year apart, L516, 22236):
    /// `GET /v2/conference/history/list` (L497-574), every page, bounded.
    pub async fn list_history(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<VendorMeeting>, VendorError> {
        if to < from || to - from > Duration::days(MAX_LIST_SPAN_DAYS) {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "CloudRoom lists at most one year of past meetings at a time",
            ));
        }
        self.all_pages(HISTORY_PATH, Some((from.timestamp(), to.timestamp())), true)
            .await
    }
}

/// The draft's password as CloudRoom takes it (the form checked it already).
fn draft_password(draft: &MeetingDraft) -> Result<Option<MeetingPassword>, VendorError> {
    draft
        .password
        .as_deref()
        .map(MeetingPassword::parse)
        .transpose()
        .map_err(invalid)
}

#[async_trait]
impl VendorClient for CloudroomClient {
    fn vendor(&self) -> VendorKind {
        VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // 22212 "会议主题不能超过50个字符" (L1137).
            max_subject_chars: MAX_SUBJECT_CHARS,
            // The end must not be before the start (22218) and at most 24 h after it (22222,
            // L1147). ASSUMPTION: a meeting lasts at least a minute.
            min_duration_minutes: 1,
            max_duration_minutes: MAX_DURATION_MINUTES,
            // ASSUMPTION: the document caps no invitee list; 2000 is the largest number of
            // people it names (virtual members 0-2000, L596).
            max_attendees: 2000,
            // People are invited by CloudRoom user id only (L127, note §9.7); the client
            // refuses an attendee without one (AttendeeInvalid) before sending.
            attendee_needs_phone: false,
            only_hosts_by_account: false,
            attendee_needs_account: true,
            // emailNotice / smsNotice (L130-131); no calendar invitation.
            notify_email: true,
            notify_sms: true,
            notify_calendar: false,
            edit: true,
            // `url` is the host's link, `publicUrl` everyone's (L215-216).
            host_links: true,
            rooms: false,
            max_ports: None,
            registration: false,
            one_meeting_at_a_time: false,
            // One confId per series, no occurrence to edit, cancel or list (L584-585, note
            // §4.1): not a native series in the capability's sense; the periodic form is the
            // inherent `create_periodic_meeting`.
            native_series: false,
            // POST …/end (L359-387).
            end_meeting: true,
            lists_meetings: true,
            keeps_start: true,
            // The CRMT string comes from the join endpoint, per person (L291-321).
            app_link_on_demand: true,
            // 4-6 digits (L132, L1140).
            password_digits: Some(huiyi_core::PasswordDigits {
                min: mapping::PASSWORD_MIN_DIGITS,
                max: mapping::PASSWORD_MAX_DIGITS,
            }),
        }
    }

    fn series_plan(&self, series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
        mapping::series_plan(series)
    }

    /// One signed read of the first list page (1 record): proves the Secret ID and Key, the
    /// company's API permission and the user id together, and changes nothing.
    async fn verify(&self) -> Result<VendorIdentity, VendorError> {
        self.page(LIST_PATH, 1, 1, None).await?;
        let user = self.host()?.map(|u| u.to_string());
        Ok(VendorIdentity {
            user_id: user.clone().unwrap_or_else(|| self.auth.secret_id.clone()),
            display_name: match user {
                Some(u) => format!("{u} @ {}", self.auth.secret_id),
                None => self.auth.secret_id.clone(),
            },
        })
    }

    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        let password = draft_password(draft)?;
        self.create_meeting_with(draft, password.as_ref(), None)
            .await
    }

    /// The meeting is read first: a periodic one keeps its recurrence (an edit of its time
    /// must not turn the series into one meeting), and its host stays out of the invitees.
    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError> {
        let current = self.detail(vendor_id).await?;
        let keep = mapping::detail_recurrence(&current);
        if keep.is_some_and(|r| r.end == PeriodEnd::Unknown || !r.period.bookable()) {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::Unsupported,
                "this periodic CloudRoom meeting's recurrence cannot be sent back as read; edit it in CloudRoom",
            ));
        }
        // No password in the draft keeps the current one (a cleared one cannot be sent).
        let password = draft_password(draft)?;
        let req = mapping::draft_to_modify(
            draft,
            self.host()?,
            current.host_id,
            password.as_ref(),
            keep,
        )
        .map_err(invalid)?;
        self.modify(vendor_id, &req).await
    }

    /// `DELETE /v2/conference/{confId}` (L389-414): the whole series for a periodic meeting.
    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let (_, path) = conf_path(vendor_id)?;
        let resp = self.call(Method::DELETE, &path, &[], None).await?;
        let _: Value = read(&resp, "delete answer")?;
        Ok(())
    }

    /// `confDetail`, without any CRMT string (see [`VendorClient::launch_links`]).
    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let d = self.detail(vendor_id).await?;
        Ok(mapping::detail_to_core(&d, vendor_id, self.now()))
    }

    /// `GET /v2/conference/list` (L416-495): not-started and in-progress meetings of the
    /// account's user (or the company's, without one), every page, bounded and paced.
    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError> {
        let all = self.all_pages(LIST_PATH, None, false).await?;
        Ok(all
            .into_iter()
            .filter(|m| m.state != MeetingState::Ended)
            .collect())
    }

    /// `POST /v2/conference/{confId}/end` (L359-387), with an empty body.
    async fn end_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let (_, path) = conf_path(vendor_id)?;
        let resp = self
            .call(Method::POST, &format!("{path}/end"), &[], Some(Vec::new()))
            .await?;
        let _: Value = read(&resp, "end answer")?;
        Ok(())
    }

    /// The CRMT string for `nick_name` (with the meeting's password, read from the details
    /// first: the join call wants it, L303), then the web link of the same role as the
    /// fallback when the CloudRoom client is not installed (L109-112).
    async fn launch_links(
        &self,
        vendor_id: &str,
        role: LinkRole,
        nick_name: &str,
    ) -> Result<Vec<JoinLink>, VendorError> {
        let d = self.detail(vendor_id).await?;
        let crmt = self
            .join_string(vendor_id, nick_name, d.password.as_deref(), role)
            .await?;
        let mut links = vec![crmt];
        links.extend(
            mapping::detail_to_core(&d, vendor_id, self.now())
                .links
                .into_iter()
                .filter(|l| l.role == role),
        );
        Ok(links)
    }
}

#[cfg(test)]
mod tests;
