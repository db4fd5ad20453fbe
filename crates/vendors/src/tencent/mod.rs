//! Tencent Meeting (腾讯会议) client for enterprise self-built apps, built from the vendor note
//! `tencent-meeting.md`, which rebuilds the REST API from the official SDKs (the vendor document
//! itself is only a changelog).
//!
//! Every request is signed on its own (note §2): no session, no token. The signature covers a
//! fresh nonce and the timestamp, so a request is never re-sent byte for byte: retries (GET only,
//! after a 5xx that reads as an outage, or a lost connection) and the one repeat after a refusal
//! that happens before the server acts (190300 clock skew, 190301 replayed nonce) are signed
//! again. The server's clock is learnt from `Date` headers, so a computer whose clock is off
//! signs with the server's time after the first refusal.
//!
//! Meeting creation is limited to 9 a minute (error 9008, note §3.10): the client queues
//! creations so that no 60-second window holds more than 9 of them, counted from when each
//! answer arrived, instead of letting the limit surface as an error.
//!
//! Besides the cross-vendor [`VendorClient`] operations, the client speaks Tencent's own APIs
//! as inherent methods until the trait grows a series model: native recurring series
//! (note §3.2-§3.4: create, read with every occurrence, move or cancel one occurrence, cancel
//! the series), the invitees and guests APIs (§3.6, §3.7; more than the 300 colleagues a
//! create or modify body takes go through the invitees API), lookup by meeting code and the
//! ended-meetings list (§3.5), and room details and a room's meetings (§3.9).

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
    Capabilities, MeetingDraft, MeetingState, VendorErrorKind, VendorKind, VendorMeeting,
    VendorRoom,
};
use reqwest::header::{HeaderName, CONTENT_TYPE};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::error::truncate_detail;
use crate::error::VendorError;
use crate::http::{encode_json, Http, HttpRequest, HttpResponse};
use crate::{VendorClient, VendorIdentity};
use errors::{classify, refused_before_acting};
use wire::{
    CancelMeetingRequest, CreateMeetingRequest, ErrorEnvelope, GuestsAnswer, InviteesPage,
    MeetingInfo, MeetingList, MoveOccurrenceRequest, PagedMeetings, RoomInfo, RoomList,
    RoomsRequest, SetGuestsRequest, SetInviteesRequest, SubMeetingInfo, SubMeetingRule, UserInfo,
    UserObj, INSTANCE_ID, OPERATOR_USERID,
};

pub use mapping::{
    month_date_mask, month_week_mask, weekday_mask, EndedMeeting, Guest, Invitee, Occurrence,
    RecurringRule, Repeat, RoomMeeting, Series, Until, MAX_BODY_PEOPLE, MAX_GUESTS, MAX_INVITEES,
    MAX_OCCURRENCES,
};

const VENDOR: VendorKind = VendorKind::Tencent;

const MEETINGS_PATH: &str = "/v1/meetings";
const ROOMS_PATH: &str = "/v1/meeting-rooms";
/// Rooms read a page (the cap is not documented; 20 is every list's documented page size).
const ROOM_PAGE_SIZE: usize = 20;
/// Pages of the room list read at most.
const MAX_ROOM_PAGES: usize = 50;

/// Creations per window (error 9008: "≤9/minute", note §3.10).
pub const CREATE_LIMIT: usize = 9;
pub const CREATE_WINDOW: StdDuration = StdDuration::from_secs(60);
/// Pages of the user's meeting list read at most (20 meetings a page, note §3.5).
const MAX_LIST_PAGES: usize = 50;
/// `reason_code` sent with a cancellation: caller-defined and required (note §3.4).
const CANCEL_REASON_CODE: u32 = 1;
/// `meeting_type` 1: a recurring meeting (note §3.1, §3.4).
const RECURRING: u8 = 1;
/// A query shows at most 200 `participants`; "use the invitees API beyond that" (note §3.5).
const MAX_PARTICIPANTS_SHOWN: usize = 200;
/// Pages of the invitees list read at most (2000 invitees, note §3.6, at any page size ≥ 10).
const MAX_INVITEE_PAGES: usize = 200;
/// The ended-meetings list's page size: "page_size (1–20)" (note §3.5).
const HISTORY_PAGE_SIZE: usize = 20;
/// Pages of the ended-meetings list read at most (1000 meetings).
const MAX_HISTORY_PAGES: usize = 50;
/// Pages of a room's meetings read at most ("page_size (≤20)", note §3.9).
const MAX_ROOM_MEETING_PAGES: usize = 50;
/// A room's meetings are asked for at most 90 days at a time (note §3.9).
const MAX_ROOM_WINDOW_DAYS: i64 = 90;
/// `operator_id_type` 5: the room-meetings path names a `meeting_room_id` (note §3.9).
const OPERATOR_MEETING_ROOM: &str = "5";

/// The account's credentials, secret half included (note §2.1).
#[derive(Clone, Debug)]
pub struct TencentAuth {
    /// Enterprise ID, sent as `AppId`.
    pub app_id: String,
    /// Sent as `SdkId` only when assigned: an unassigned one is refused with 190303.
    pub sdk_id: Option<String>,
    /// `X-TC-Key`.
    pub secret_id: String,
    /// The HMAC key; never sent.
    pub secret_key: SecretString,
    /// The `userid` meetings are booked as (their creator).
    pub operator: String,
}

/// "Now" for signatures; replaceable so tests can sign at a fixed time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Queues meeting creations so that at most `limit` answers arrived in any `window`.
pub struct CreationLimiter {
    limit: usize,
    window: StdDuration,
    /// When each recent creation's answer arrived. Held across a creation, which serialises
    /// creations: a later one starts only once the earlier one's time is known.
    done: Mutex<VecDeque<tokio::time::Instant>>,
}

impl CreationLimiter {
    pub fn new(limit: usize, window: StdDuration) -> CreationLimiter {
        CreationLimiter {
            limit: limit.max(1),
            window,
            done: Mutex::new(VecDeque::new()),
        }
    }

    /// Runs `call` when the window allows it, recording when it finished.
    pub async fn run<T, F: std::future::Future<Output = T>>(&self, call: F) -> T {
        let mut done = self.done.lock().await;
        loop {
            let now = tokio::time::Instant::now();
            while done
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= self.window)
            {
                done.pop_front();
            }
            if done.len() < self.limit {
                break;
            }
            let Some(oldest) = done.front().copied() else {
                break;
            };
            let wait = (oldest + self.window).saturating_duration_since(now);
            tracing::info!(
                vendor = VENDOR.as_str(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "creation limit reached; the meeting is queued"
            );
            tokio::time::sleep_until(oldest + self.window).await;
        }
        let out = call.await;
        done.push_back(tokio::time::Instant::now());
        out
    }
}

pub struct TencentClient {
    base_url: String,
    auth: TencentAuth,
    http: Http,
    clock: Clock,
    /// Server clock minus ours, in seconds, learnt from `Date` headers.
    skew_secs: AtomicI64,
    creations: CreationLimiter,
}

impl std::fmt::Debug for TencentClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TencentClient")
            .field("base_url", &self.base_url)
            .field("app_id", &self.auth.app_id)
            .field("operator", &self.auth.operator)
            .finish_non_exhaustive()
    }
}

impl TencentClient {
    pub fn new(base_url: &str, auth: TencentAuth, http: &Http) -> TencentClient {
        TencentClient {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            auth,
            http: http.clone(),
            clock: Arc::new(Utc::now),
            skew_secs: AtomicI64::new(0),
            creations: CreationLimiter::new(CREATE_LIMIT, CREATE_WINDOW),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> TencentClient {
        self.clock = clock;
        self
    }

    /// Another creation limit (tests use a short window).
    pub fn with_creation_limit(mut self, limit: usize, window: StdDuration) -> TencentClient {
        self.creations = CreationLimiter::new(limit, window);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn server_now(&self) -> DateTime<Utc> {
        self.now() + Duration::seconds(self.skew_secs.load(Ordering::Relaxed))
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

    fn operator_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("userid", self.auth.operator.clone()),
            ("instanceid", INSTANCE_ID.to_string()),
        ]
    }

    /// The request with the headers of note §2.1, signed over exactly the request-target and
    /// body that go out. Header names go out lower-case (HTTP/1.1 names are case-insensitive;
    /// the official Go SDK sends them canonicalised as `X-Tc-Key`, so the server does not
    /// compare case).
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
                "the credentials contain characters HTTP headers cannot carry",
            )
        };
        let request_uri = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let now = self.server_now();
        let timestamp = now.timestamp().max(0).to_string();
        let nonce =
            signer::new_nonce(u64::try_from(now.timestamp_millis()).unwrap_or(0)).to_string();
        let body_bytes = body.unwrap_or(&[]);
        let signature = signer::signature(
            &signer::SignedParts {
                method: method.as_str(),
                secret_id: &self.auth.secret_id,
                nonce: &nonce,
                timestamp: &timestamp,
                request_uri: &request_uri,
                body: body_bytes,
            },
            self.auth.secret_key.expose_secret(),
        );
        let mut req = HttpRequest::new(method.clone(), url.clone())
            .header(CONTENT_TYPE, "application/json")
            .map_err(header_error)?
            .header(HeaderName::from_static("x-tc-key"), &self.auth.secret_id)
            .map_err(header_error)?
            .header(HeaderName::from_static("x-tc-timestamp"), &timestamp)
            .map_err(header_error)?
            .header(HeaderName::from_static("x-tc-nonce"), &nonce)
            .map_err(header_error)?
            .secret_header(HeaderName::from_static("x-tc-signature"), &signature)
            .map_err(header_error)?
            .header(HeaderName::from_static("appid"), &self.auth.app_id)
            .map_err(header_error)?
            .header(HeaderName::from_static("x-tc-registered"), "1")
            .map_err(header_error)?;
        if let Some(sdk_id) = self
            .auth
            .sdk_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            req = req
                .header(HeaderName::from_static("sdkid"), sdk_id)
                .map_err(header_error)?;
        }
        if let Some(b) = body {
            req.body = Some(b.to_vec());
        }
        Ok(req)
    }

    fn learn_skew(&self, resp: &HttpResponse) {
        if let Some(server) = resp.date {
            let skew = (server - self.now()).num_seconds();
            // Below a minute is latency and rounding, not a clock problem.
            self.skew_secs
                .store(if skew.abs() > 60 { skew } else { 0 }, Ordering::Relaxed);
        }
    }

    /// One signed call. A GET is retried (signed afresh) after a 5xx without a vendor code or a
    /// lost connection; any call is repeated once, signed afresh, after a refusal the server
    /// makes before acting (clock skew, replayed nonce).
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
        loop {
            let req = self.signed(&method, &url, body.as_deref())?;
            match self.http.send_single(VENDOR, req, attempt).await {
                Ok(resp) => {
                    self.learn_skew(&resp);
                    if resp.is_success() {
                        return Ok(resp);
                    }
                    let error = rejection(&resp);
                    let code = error.code.as_deref().and_then(|c| c.parse::<i64>().ok());
                    if refused_before_acting(code) && !resigned {
                        resigned = true;
                        tracing::info!(vendor = VENDOR.as_str(), path, code = ?code, skew_secs = self.skew_secs.load(Ordering::Relaxed), "request refused before it was acted on; signing it again");
                        continue;
                    }
                    // A 5xx is retried when it reads as an outage (no code, or an internal
                    // error such as 5108); one with another code (9003 "does not exist" is a
                    // 500) is an answer.
                    let outage = resp.status >= 500
                        && (code.is_none() || error.kind == VendorErrorKind::Unavailable);
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

    fn to_meeting(&self, m: &MeetingInfo) -> Result<VendorMeeting, VendorError> {
        mapping::meeting_to_core(m, self.now())
            .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string()))
    }

    fn first_meeting(&self, resp: &HttpResponse, what: &str) -> Result<VendorMeeting, VendorError> {
        let list: MeetingList = resp.json(VENDOR, what)?;
        let m = list.meeting_info_list.first().ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                format!("the {what} holds no meeting"),
            )
        })?;
        self.to_meeting(m)
    }

    /// One page of the operator's upcoming and ongoing meetings.
    async fn list_page(
        &self,
        pos: Option<i64>,
        cursory: Option<i64>,
    ) -> Result<MeetingList, VendorError> {
        self.list_page_with(pos, cursory, false).await
    }

    /// `all_subs`: `is_show_all_sub_meetings=1`, every occurrence of a series (note §3.5).
    async fn list_page_with(
        &self,
        pos: Option<i64>,
        cursory: Option<i64>,
        all_subs: bool,
    ) -> Result<MeetingList, VendorError> {
        let mut query = self.operator_query();
        if let Some(p) = pos {
            query.push(("pos", p.to_string()));
        }
        if let Some(c) = cursory {
            query.push(("cursory", c.to_string()));
        }
        if all_subs {
            query.push(("is_show_all_sub_meetings", "1".to_string()));
        }
        let resp = self.call(Method::GET, MEETINGS_PATH, &query, None).await?;
        resp.json(VENDOR, "meeting list")
    }

    fn cancel_body(
        &self,
        meeting_type: Option<u8>,
        sub_meeting_id: Option<String>,
    ) -> Result<Vec<u8>, VendorError> {
        encode_json(
            VENDOR,
            &CancelMeetingRequest {
                userid: self.auth.operator.clone(),
                instanceid: INSTANCE_ID,
                reason_code: CANCEL_REASON_CODE,
                reason_detail: None,
                meeting_type,
                sub_meeting_id,
            },
        )
    }

    async fn cancel_with(
        &self,
        vendor_id: &str,
        meeting_type: Option<u8>,
        sub_meeting_id: Option<String>,
    ) -> Result<(), VendorError> {
        let path = format!("{}/cancel", meeting_path(vendor_id)?);
        let body = self.cancel_body(meeting_type, sub_meeting_id)?;
        self.call(Method::POST, &path, &[], Some(body)).await?;
        Ok(())
    }

    /// `POST /v1/meetings` through the creation queue. More than 300 colleagues do not fit
    /// the body (note §3.1): the meeting is created without them and they are set through the
    /// invitees API right after (≤2000, note §3.6). Should that fail, the new meeting is
    /// cancelled again so that no meeting without its invitees is left behind, and the error
    /// says so. Answers the new meeting's ID, its create answer, and whether the invitees
    /// went separately (then the create answer does not show them).
    async fn create_with(
        &self,
        mut req: CreateMeetingRequest,
    ) -> Result<(String, HttpResponse, bool), VendorError> {
        let separate = match req.invitees.take() {
            Some(list) if list.len() > MAX_BODY_PEOPLE => Some(list),
            small => {
                req.invitees = small;
                None
            }
        };
        let body = encode_json(VENDOR, &req)?;
        let resp = self
            .creations
            .run(self.call(Method::POST, MEETINGS_PATH, &[], Some(body)))
            .await?;
        let list: MeetingList = resp.json(VENDOR, "create answer")?;
        let id = list
            .meeting_info_list
            .first()
            .and_then(|m| m.meeting_id.clone())
            .filter(|i| !i.trim().is_empty())
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the create answer holds no meeting ID",
                )
            })?;
        let Some(invitees) = separate else {
            return Ok((id, resp, false));
        };
        let count = invitees.len();
        if let Err(mut e) = self.put_invitees(&id, invitees).await {
            let meeting_type = (req.meeting_type == RECURRING).then_some(RECURRING);
            let undone = self.cancel_with(&id, meeting_type, None).await;
            e.detail = match undone {
                Ok(()) => format!(
                    "the meeting was created but its {count} invitees could not be set, so it was cancelled again: {}",
                    e.detail
                ),
                Err(c) => {
                    tracing::warn!(vendor = VENDOR.as_str(), error = %c.detail, "a meeting left without its invitees could not be cancelled");
                    format!(
                        "meeting {id} was created but its {count} invitees could not be set, and cancelling it failed too: {}",
                        e.detail
                    )
                }
            };
            return Err(e);
        }
        Ok((id, resp, true))
    }

    async fn put_invitees(
        &self,
        vendor_id: &str,
        invitees: Vec<UserObj>,
    ) -> Result<(), VendorError> {
        let path = format!("{}/invitees", meeting_path(vendor_id)?);
        let body = encode_json(
            VENDOR,
            &SetInviteesRequest {
                userid: self.auth.operator.clone(),
                instanceid: INSTANCE_ID,
                invitees,
            },
        )?;
        self.call(Method::PUT, &path, &[], Some(body)).await?;
        Ok(())
    }

    /// The raw meeting object of `GET /v1/meetings/{id}`, its invitees completed through the
    /// invitees API when the query shows the most it shows (200, note §3.5). That API is for
    /// the creator only; when it refuses, the 200 shown are kept.
    async fn meeting_info(&self, vendor_id: &str) -> Result<MeetingInfo, VendorError> {
        let path = meeting_path(vendor_id)?;
        let resp = self
            .call(Method::GET, &path, &self.operator_query(), None)
            .await?;
        let list: MeetingList = resp.json(VENDOR, "meeting details")?;
        let pick = list
            .meeting_info_list
            .iter()
            .position(|m| m.meeting_id.as_deref() == Some(vendor_id))
            .unwrap_or(0);
        let mut info = list
            .meeting_info_list
            .into_iter()
            .nth(pick)
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::NotFound,
                    "the details answer holds no meeting",
                )
            })?;
        if info.participants.len() >= MAX_PARTICIPANTS_SHOWN {
            match self.list_invitees(vendor_id).await {
                Ok(all) => {
                    info.participants = all
                        .into_iter()
                        .map(|i| UserInfo {
                            userid: Some(i.userid),
                            nick_name: i.nick_name,
                        })
                        .collect();
                }
                Err(e) => {
                    tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "the full invitee list could not be read; showing the first 200")
                }
            }
        }
        Ok(info)
    }

    /// The sub-meetings of `vendor_id` as the user's list shows them with
    /// `is_show_all_sub_meetings=1` (note §3.2: without it only the current one), or none
    /// when the meeting is not on the list.
    async fn listed_sub_meetings(
        &self,
        vendor_id: &str,
    ) -> Result<Option<(Vec<SubMeetingInfo>, bool)>, VendorError> {
        let mut pos: Option<i64> = None;
        for _ in 0..MAX_LIST_PAGES {
            let page = self.list_page_with(pos, None, true).await?;
            let got = page.meeting_info_list.len();
            if let Some(m) = page
                .meeting_info_list
                .into_iter()
                .find(|m| m.meeting_id.as_deref() == Some(vendor_id))
            {
                let more = m.more_sub_meetings();
                return Ok(Some((m.sub_meetings, more)));
            }
            let prev = pos.unwrap_or(0);
            let next = page
                .next_pos
                .unwrap_or(prev + i64::try_from(got).unwrap_or(0));
            if page.remaining.unwrap_or(0) <= 0 || got == 0 || next <= prev {
                break;
            }
            pos = Some(next);
        }
        Ok(None)
    }

    fn rooms_request(&self, room_ids: &[String]) -> Result<Vec<u8>, VendorError> {
        encode_json(
            VENDOR,
            &RoomsRequest {
                operator_id: self.auth.operator.clone(),
                operator_id_type: OPERATOR_USERID,
                meeting_room_id_list: room_ids.to_vec(),
            },
        )
    }
}

/// Tencent-only operations (native series, invitees and guests APIs, lookups by code, ended
/// meetings, Rooms details). Inherent until the cross-vendor trait grows a series model.
impl TencentClient {
    /// Books a native recurring meeting (`meeting_type` 1 + `recurring_rule`, note §3.1,
    /// §3.2): the draft is the first occurrence. The rule is checked first (at most 50
    /// occurrences, note §3.2 FLAG). A creation like any other: it waits its turn under the
    /// creation limit. Answers the series as read back, every occurrence included.
    pub async fn create_recurring_meeting(
        &self,
        draft: &MeetingDraft,
        rule: &RecurringRule,
    ) -> Result<Series, VendorError> {
        let wire_rule = mapping::rule_to_wire(rule).map_err(bad_rule)?;
        let mut req =
            mapping::draft_to_create(draft, &self.auth.operator).map_err(unexpressible)?;
        req.meeting_type = RECURRING;
        req.recurring_rule = Some(wire_rule);
        let (id, _, _) = self.create_with(req).await?;
        self.get_series(&id).await
    }

    /// A series with its occurrences: `GET /v1/meetings/{id}` shows every `sub_meetings`
    /// entry (the user's list shows only the current one unless asked, note §3.2). When the
    /// answer says more exist (`has_more_sub_meeting` or `has_more_sub_meetings`, note §3.2
    /// FLAG), the user's list with `is_show_all_sub_meetings=1` is read for the rest.
    pub async fn get_series(&self, vendor_id: &str) -> Result<Series, VendorError> {
        let mut info = self.meeting_info(vendor_id).await?;
        if info.more_sub_meetings() {
            if let Some((subs, more)) = self.listed_sub_meetings(vendor_id).await? {
                if subs.len() > info.sub_meetings.len() {
                    info.sub_meetings = subs;
                    info.has_more_sub_meeting = Some(i64::from(more));
                    info.has_more_sub_meetings = None;
                }
            }
        }
        let series = mapping::series_from_wire(&info, self.now())
            .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string()))?;
        if series.incomplete {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                listed = series.occurrences.len(),
                "the vendor says the series has more occurrences than it listed"
            );
        }
        Ok(series)
    }

    /// Moves one occurrence: `PUT /v1/meetings/{id}` with `meeting_type` 1,
    /// `recurring_rule: {sub_meeting_id}` and the new times (note §3.3; FLAG: the shape is
    /// inferred, no worked example). The rest of the series stays. Answers the series.
    pub async fn move_occurrence(
        &self,
        vendor_id: &str,
        sub_meeting_id: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Series, VendorError> {
        if end <= start {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "the occurrence must end after it starts",
            ));
        }
        let path = meeting_path(vendor_id)?;
        let body = encode_json(
            VENDOR,
            &MoveOccurrenceRequest {
                userid: self.auth.operator.clone(),
                instanceid: INSTANCE_ID,
                meeting_type: RECURRING,
                recurring_rule: SubMeetingRule {
                    sub_meeting_id: sub_meeting_id_checked(sub_meeting_id)?,
                },
                start_time: mapping::to_wire_time(start),
                end_time: mapping::to_wire_time(end),
            },
        )?;
        self.call(Method::PUT, &path, &[], Some(body)).await?;
        self.get_series(vendor_id).await
    }

    /// Cancels one occurrence: cancel with `meeting_type` 1 and its `sub_meeting_id`
    /// (note §3.4).
    pub async fn cancel_occurrence(
        &self,
        vendor_id: &str,
        sub_meeting_id: &str,
    ) -> Result<(), VendorError> {
        let sub = sub_meeting_id_checked(sub_meeting_id)?;
        self.cancel_with(vendor_id, Some(RECURRING), Some(sub))
            .await
    }

    /// Cancels the whole series: `meeting_type` 1 without `sub_meeting_id` (note §3.4).
    pub async fn cancel_series(&self, vendor_id: &str) -> Result<(), VendorError> {
        self.cancel_with(vendor_id, Some(RECURRING), None).await
    }

    /// Replaces the meeting's invited colleagues: `PUT /v1/meetings/{id}/invitees`
    /// (note §3.6: overwrites, an empty list clears, at most 2000, creator only).
    pub async fn set_invitees(
        &self,
        vendor_id: &str,
        userids: &[String],
    ) -> Result<(), VendorError> {
        if userids.len() > MAX_INVITEES {
            return Err(unexpressible(mapping::Unexpressible::TooManyInvitees(
                userids.len(),
            )));
        }
        let mut invitees: Vec<UserObj> = Vec::with_capacity(userids.len());
        for (i, u) in userids.iter().enumerate() {
            let userid = u.trim();
            if userid.is_empty() {
                return Err(VendorError::new(
                    VENDOR,
                    VendorErrorKind::AttendeeInvalid,
                    format!("invitee {} has no user ID", i + 1),
                ));
            }
            if !invitees.iter().any(|o| o.userid == userid) {
                invitees.push(UserObj {
                    userid: userid.to_string(),
                });
            }
        }
        self.put_invitees(vendor_id, invitees).await
    }

    /// Every invited colleague: `GET /v1/meetings/{id}/invitees`, following `next_pos` while
    /// `has_remaining` (note §3.6), bounded, deduplicated by userid.
    pub async fn list_invitees(&self, vendor_id: &str) -> Result<Vec<Invitee>, VendorError> {
        let path = format!("{}/invitees", meeting_path(vendor_id)?);
        let mut out: Vec<Invitee> = Vec::new();
        let mut pos: i64 = 0;
        for _ in 0..MAX_INVITEE_PAGES {
            let mut query = self.operator_query();
            if pos > 0 {
                query.push(("pos", pos.to_string()));
            }
            let resp = self.call(Method::GET, &path, &query, None).await?;
            let page: InviteesPage = resp.json(VENDOR, "invitee list")?;
            let got = page.invitees.len();
            for i in page.invitees.iter().filter_map(mapping::invitee_from_wire) {
                if !out.iter().any(|o| o.userid == i.userid) {
                    out.push(i);
                }
            }
            let next = page
                .next_pos
                .unwrap_or(pos + i64::try_from(got).unwrap_or(0));
            if page.has_remaining.unwrap_or(0) == 0 || got == 0 || next <= pos {
                return Ok(out);
            }
            pos = next;
        }
        tracing::warn!(
            vendor = VENDOR.as_str(),
            read = out.len(),
            "invitee list did not finish within the page limit"
        );
        Ok(out)
    }

    /// The meeting's guests: `GET /v1/guests/{id}` (note §3.7).
    pub async fn get_guests(&self, vendor_id: &str) -> Result<Vec<Guest>, VendorError> {
        let path = guests_path(vendor_id)?;
        let resp = self
            .call(Method::GET, &path, &self.operator_query(), None)
            .await?;
        let answer: GuestsAnswer = resp.json(VENDOR, "guest list")?;
        Ok(answer
            .guests
            .iter()
            .filter_map(mapping::guest_from_wire)
            .collect())
    }

    /// Replaces the meeting's guests: `PUT /v1/guests/{id}` (note §3.7: overwrites, `[]`
    /// clears; `area` without `+` or `00`). At most 2000 (note §3.1).
    pub async fn set_guests(&self, vendor_id: &str, guests: &[Guest]) -> Result<(), VendorError> {
        if guests.len() > MAX_GUESTS {
            return Err(unexpressible(mapping::Unexpressible::TooManyGuests(
                guests.len(),
            )));
        }
        let mut wire_guests = Vec::with_capacity(guests.len());
        for (i, g) in guests.iter().enumerate() {
            let w = mapping::guest_to_wire(g).ok_or_else(|| {
                unexpressible(mapping::Unexpressible::BadPhone(
                    i + 1,
                    g.name.clone().unwrap_or_default(),
                    g.phone.clone(),
                ))
            })?;
            wire_guests.push(w);
        }
        let path = guests_path(vendor_id)?;
        let body = encode_json(
            VENDOR,
            &SetGuestsRequest {
                userid: self.auth.operator.clone(),
                instanceid: INSTANCE_ID,
                guests: wire_guests,
            },
        )?;
        self.call(Method::PUT, &path, &[], Some(body)).await?;
        Ok(())
    }

    /// A meeting by the code people type: `GET /v1/meetings?meeting_code=&userid=&instanceid=`
    /// (note §3.5). Everything but digits is dropped ("987-654-321", note §3.11); the length
    /// is not checked (recurring codes have 11 digits, note §3.1 FLAG).
    pub async fn get_meeting_by_code(&self, code: &str) -> Result<VendorMeeting, VendorError> {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "a Tencent Meeting code is made of digits",
            ));
        }
        let mut query = vec![("meeting_code", digits)];
        query.extend(self.operator_query());
        let resp = self.call(Method::GET, MEETINGS_PATH, &query, None).await?;
        let list: MeetingList = resp.json(VENDOR, "meeting details")?;
        let m = list.meeting_info_list.first().ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::NotFound,
                "no meeting has that code",
            )
        })?;
        self.to_meeting(m)
    }

    /// The operator's ended meetings, most recent as the vendor orders them:
    /// `GET /v1/history/meetings/{userid}?page=&page_size=` (note §3.5), every page up to
    /// `total_page`, bounded. A series gives one row per ended occurrence.
    pub async fn list_ended_meetings(&self) -> Result<Vec<EndedMeeting>, VendorError> {
        let path = format!("/v1/history/meetings/{}", path_segment(&self.auth.operator));
        let mut out: Vec<EndedMeeting> = Vec::new();
        for page in 1..=MAX_HISTORY_PAGES {
            let query = [
                ("page", page.to_string()),
                ("page_size", HISTORY_PAGE_SIZE.to_string()),
            ];
            let resp = self.call(Method::GET, &path, &query, None).await?;
            let list: PagedMeetings = resp.json(VENDOR, "ended-meetings list")?;
            let got = list.meeting_info_list.len();
            for m in list
                .meeting_info_list
                .iter()
                .filter_map(mapping::ended_from_wire)
            {
                let seen = out.iter().any(|o| {
                    o.meeting_id == m.meeting_id
                        && o.sub_meeting_id == m.sub_meeting_id
                        && o.start == m.start
                });
                if !seen {
                    out.push(m);
                }
            }
            if got == 0 || last_page(&list, page) {
                return Ok(out);
            }
        }
        tracing::warn!(
            vendor = VENDOR.as_str(),
            read = out.len(),
            "ended-meetings list did not finish within the page limit"
        );
        Ok(out)
    }

    /// One room: `GET /v1/meeting-rooms/{meeting_room_id}` (note §3.9; `scheduled_status` 1 =
    /// open for booking).
    pub async fn room_detail(&self, room_id: &str) -> Result<VendorRoom, VendorError> {
        let path = room_path(room_id)?;
        let resp = self.call(Method::GET, &path, &[], None).await?;
        let d: wire::RoomDetail = resp.json(VENDOR, "room details")?;
        let mut room: RoomInfo = d.room;
        if let Some(basic) = d.basic_info {
            room.meeting_room_id = room.meeting_room_id.or(basic.meeting_room_id);
            room.meeting_room_name = room.meeting_room_name.or(basic.meeting_room_name);
            room.meeting_room_location = room.meeting_room_location.or(basic.meeting_room_location);
            room.participant_number = room.participant_number.or(basic.participant_number);
            room.scheduled_status = room.scheduled_status.or(basic.scheduled_status);
        }
        if room.meeting_room_id.is_none() {
            room.meeting_room_id = Some(room_id.to_string());
        }
        mapping::room_to_core(&room).ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                "the room details hold no room",
            )
        })
    }

    /// The live meetings holding a room between `from` and `to` (at most 90 days):
    /// `GET /v1/meeting-rooms/{id}/meetings?operator_id_type=5&instanceid=&start_time=
    /// &end_time=&page=&page_size=` (note §3.9), every page, bounded.
    pub async fn room_meetings(
        &self,
        room_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RoomMeeting>, VendorError> {
        if to < from || to - from > Duration::days(MAX_ROOM_WINDOW_DAYS) {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "a room's meetings are read at most 90 days at a time",
            ));
        }
        let path = format!("{}/meetings", room_path(room_id)?);
        let now = self.now();
        let mut out: Vec<RoomMeeting> = Vec::new();
        for page in 1..=MAX_ROOM_MEETING_PAGES {
            let query = [
                ("operator_id_type", OPERATOR_MEETING_ROOM.to_string()),
                ("instanceid", INSTANCE_ID.to_string()),
                ("start_time", from.timestamp().to_string()),
                ("end_time", to.timestamp().to_string()),
                ("page", page.to_string()),
                ("page_size", ROOM_PAGE_SIZE.to_string()),
            ];
            let resp = self.call(Method::GET, &path, &query, None).await?;
            let list: PagedMeetings = resp.json(VENDOR, "room meetings")?;
            let got = list.meeting_info_list.len();
            for m in list
                .meeting_info_list
                .iter()
                .filter_map(|r| mapping::room_meeting_from_wire(r, now))
            {
                if !out
                    .iter()
                    .any(|o| o.meeting_id == m.meeting_id && o.start == m.start)
                {
                    out.push(m);
                }
            }
            if got == 0 || last_page(&list, page) {
                return Ok(out);
            }
        }
        Ok(out)
    }
}

fn last_page(list: &PagedMeetings, page: usize) -> bool {
    let current = list
        .current_page
        .unwrap_or(i64::try_from(page).unwrap_or(i64::MAX));
    list.total_page.is_none_or(|total| total <= current)
}

fn bad_rule(e: mapping::BadRule) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::InvalidRequest, e.to_string())
}

/// Sub-meeting IDs go into a JSON body, but an empty one would cancel the whole series.
fn sub_meeting_id_checked(id: &str) -> Result<String, VendorError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(VendorError::new(
            VENDOR,
            VendorErrorKind::NotFound,
            "no occurrence given (an empty sub_meeting_id would mean the whole series)",
        ));
    }
    Ok(id.to_string())
}

fn guests_path(vendor_id: &str) -> Result<String, VendorError> {
    // The same check as the meeting path: the ID becomes part of the signed path.
    meeting_path(vendor_id)?;
    Ok(format!("/v1/guests/{vendor_id}"))
}

fn room_path(room_id: &str) -> Result<String, VendorError> {
    id_path(ROOMS_PATH, room_id, "not a Tencent Meeting Rooms room ID")
}

/// `prefix/id` for an ID made of letters and digits (Tencent's are decimal strings); anything
/// else would change the path that is signed, so it is refused as unknown.
fn id_path(prefix: &str, id: &str, refusal: &'static str) -> Result<String, VendorError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(VendorError::new(VENDOR, VendorErrorKind::NotFound, refusal));
    }
    Ok(format!("{prefix}/{id}"))
}

/// A userid as one path segment: unreserved characters as they are, everything else
/// percent-encoded, so that the path sent is the path signed and no `/` or `?` splits it.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn unexpressible(e: mapping::Unexpressible) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::AttendeeInvalid, e.to_string())
}

fn meeting_path(vendor_id: &str) -> Result<String, VendorError> {
    id_path(MEETINGS_PATH, vendor_id, "not a Tencent Meeting meeting ID")
}

/// Turns a non-2xx answer into an error: `error_info.error_code` when there is one, else the
/// status. Only the vendor's `message` reaches the detail, never the raw body.
fn rejection(resp: &HttpResponse) -> VendorError {
    let info = serde_json::from_slice::<ErrorEnvelope>(&resp.body)
        .ok()
        .and_then(|e| e.error_info)
        .unwrap_or_default();
    let code = info.error_code;
    let detail = match info.message.filter(|m| !m.trim().is_empty()) {
        Some(msg) => truncate_detail(msg.trim()),
        None => format!("HTTP {} without a Tencent error body", resp.status),
    };
    VendorError {
        vendor: VENDOR,
        kind: classify(resp.status, code),
        status: Some(resp.status),
        code: code.map(|c| c.to_string()),
        detail,
    }
}

#[async_trait]
impl VendorClient for TencentClient {
    fn vendor(&self) -> VendorKind {
        VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // Subject ≤ 512 "bytes" with up to 4 per CJK character (note §3.1): 128 characters
            // always fit.
            max_subject_chars: 128,
            // ASSUMPTION: the note gives no length limits for a meeting; 15 min to 24 h are
            // the Rooms booking bounds (note §3.9), so any meeting booked can also get a room.
            min_duration_minutes: 15,
            max_duration_minutes: 1440,
            // Colleagues: ≤ 300 in the create/modify body (note §3.1), up to 2000 through the
            // invitees API, which the client uses beyond 300 (note §3.6); guests by phone: up
            // to 2000 (note §3.1). One count covers all attendees, so 2000 keeps each group
            // within its limit whatever the mix (hosts have a cap of their own, checked by
            // the client).
            max_attendees: MAX_INVITEES.min(MAX_GUESTS),
            attendee_needs_phone: false,
            only_hosts_by_account: false,
            attendee_needs_account: false,
            // Tencent sends no notices of its own on request (no such switch in §3.1).
            notify_email: false,
            notify_sms: false,
            notify_calendar: false,
            edit: true,
            // One `join_url` for everyone; host rights come from the host key, not a link.
            host_links: false,
            // Tencent Meeting Rooms can be booked for a one-off meeting (note §3.9).
            rooms: true,
            // No ports to reserve and no registration in the client (both ignored).
            max_ports: None,
            registration: false,
            one_meeting_at_a_time: false,
            // `meeting_type` 1 with a `recurring_rule` (note §3.2).
            native_series: true,
            end_meeting: false,
            lists_meetings: true,
            keeps_start: true,
            app_link_on_demand: false,
            password_digits: None,
        }
    }

    fn series_plan(&self, series: &huiyi_core::Series) -> huiyi_core::SeriesPlan {
        mapping::series_plan(series)
    }

    /// One signed read of the operator's meeting list: it proves the enterprise ID, Secret ID,
    /// SDK ID, Secret Key and the operator's userid together, and changes nothing.
    async fn verify(&self) -> Result<VendorIdentity, VendorError> {
        self.list_page(None, None).await?;
        Ok(VendorIdentity {
            user_id: self.auth.operator.clone(),
            display_name: self.auth.operator.clone(),
        })
    }

    /// More than 300 colleagues go through the invitees API after the creation (note §3.1,
    /// §3.6); the meeting is then read back so that the answer shows them.
    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        let req = mapping::draft_to_create(draft, &self.auth.operator).map_err(unexpressible)?;
        let (id, resp, separate) = self.create_with(req).await?;
        if separate {
            return self.get_meeting(&id).await;
        }
        self.first_meeting(&resp, "create answer")
    }

    /// The modify answer carries only IDs and a few settings (note §3.3), so the meeting is
    /// read back.
    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError> {
        let path = meeting_path(vendor_id)?;
        let mut req =
            mapping::draft_to_modify(draft, &self.auth.operator).map_err(unexpressible)?;
        // More than the body's 300 colleagues: the body leaves the invitees unchanged and the
        // invitees API replaces them (note §3.3, §3.6).
        let separate = match req.invitees.take() {
            Some(list) if list.len() > MAX_BODY_PEOPLE => Some(list),
            small => {
                req.invitees = small;
                None
            }
        };
        let body = encode_json(VENDOR, &req)?;
        self.call(Method::PUT, &path, &[], Some(body)).await?;
        if let Some(invitees) = separate {
            self.put_invitees(vendor_id, invitees).await?;
        }
        self.get_meeting(vendor_id).await
    }

    /// The whole meeting (no `sub_meeting_id`). The answer may be empty or `{}`.
    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        self.cancel_with(vendor_id, None, None).await
    }

    /// `GET /v1/meetings/{id}?userid=&instanceid=` (note §3.5: the SDK's operator_id form is
    /// an SDK gap; userid is what the document requires).
    /// More than 200 invitees are read through the invitees API (note §3.5).
    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let info = self.meeting_info(vendor_id).await?;
        self.to_meeting(&info)
    }

    /// The operator's upcoming and ongoing meetings, 20 a page while `remaining` is not 0,
    /// following `next_pos` (and `next_cursory` when the server gives one), deduplicated by
    /// `meeting_id` and bounded (note §3.5).
    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError> {
        let mut meetings = Vec::new();
        let mut seen = HashSet::new();
        let mut pos: Option<i64> = None;
        let mut cursory: Option<i64> = None;
        let mut read = 0usize;
        let mut complete = false;
        for _ in 0..MAX_LIST_PAGES {
            let page = self.list_page(pos, cursory).await?;
            let got = page.meeting_info_list.len();
            read += got;
            for m in &page.meeting_info_list {
                let Some(id) = m.meeting_id.clone().filter(|i| !i.trim().is_empty()) else {
                    tracing::warn!(
                        vendor = VENDOR.as_str(),
                        "skipping a listed meeting without an ID"
                    );
                    continue;
                };
                if !seen.insert(id) {
                    continue;
                }
                match self.to_meeting(m) {
                    Ok(m) if m.state != MeetingState::Ended => meetings.push(m),
                    Ok(_) => {}
                    // One unreadable entry must not hide the rest of the agenda.
                    Err(e) => {
                        tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "skipping a meeting the list could not describe")
                    }
                }
            }
            if page.remaining.unwrap_or(0) <= 0 || got == 0 {
                complete = true;
                break;
            }
            let prev = pos.unwrap_or(0);
            let next = page
                .next_pos
                .unwrap_or(prev + i64::try_from(got).unwrap_or(0));
            if next <= prev && page.next_cursory.is_none() {
                // A server that does not move on would send the same page forever.
                break;
            }
            pos = Some(next);
            cursory = page.next_cursory.filter(|c| *c != 0);
        }
        if !complete {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                read,
                "meeting list did not finish within the page limit; showing what was read"
            );
        }
        Ok(meetings)
    }

    /// `GET /v1/meeting-rooms?page=&page_size=`, every page up to `total_page` (bounded).
    async fn list_rooms(&self) -> Result<Vec<VendorRoom>, VendorError> {
        let mut rooms: Vec<VendorRoom> = Vec::new();
        for page in 1..=MAX_ROOM_PAGES {
            let query = [
                ("page", page.to_string()),
                ("page_size", ROOM_PAGE_SIZE.to_string()),
            ];
            let resp = self.call(Method::GET, ROOMS_PATH, &query, None).await?;
            let list: RoomList = resp.json(VENDOR, "room list")?;
            let got = list.meeting_room_list.len();
            for r in list
                .meeting_room_list
                .iter()
                .filter_map(mapping::room_to_core)
            {
                if !rooms.iter().any(|known| known.vendor_id == r.vendor_id) {
                    rooms.push(r);
                }
            }
            let last = list.total_page.is_none_or(|total| {
                total
                    <= list
                        .current_page
                        .unwrap_or(i64::try_from(page).unwrap_or(i64::MAX))
            });
            if got == 0 || last {
                break;
            }
        }
        Ok(rooms)
    }

    /// `POST /v1/meetings/{id}/book-rooms`: one-off meetings of 15 min to 24 h only; 20006
    /// when a room is taken (note §3.9). The meeting is read first so that a recurring one or
    /// one of the wrong length is refused with the reason, whatever the vendor's wording.
    async fn book_rooms(
        &self,
        vendor_id: &str,
        room_ids: &[String],
    ) -> Result<Vec<VendorRoom>, VendorError> {
        let path = format!("{}/book-rooms", meeting_path(vendor_id)?);
        let info = self.meeting_info(vendor_id).await?;
        if info.meeting_type == Some(i64::from(RECURRING)) || !info.sub_meetings.is_empty() {
            return Err(VendorError::new(
                VENDOR,
                VendorErrorKind::Unsupported,
                "Tencent Meeting Rooms cannot be booked for a recurring meeting, only for a one-off meeting",
            ));
        }
        if let (Some(start), Some(end)) = (info.start_time, info.end_time) {
            if !(15 * 60..=24 * 3600).contains(&(end - start)) {
                return Err(VendorError::new(
                    VENDOR,
                    VendorErrorKind::InvalidRequest,
                    "Tencent Meeting Rooms can be booked for meetings of 15 minutes to 24 hours",
                ));
            }
        }
        let body = self.rooms_request(room_ids)?;
        let resp = self.call(Method::POST, &path, &[], Some(body)).await?;
        let list: RoomList = resp.json(VENDOR, "book-rooms answer")?;
        Ok(list
            .meeting_room_list
            .iter()
            .filter_map(mapping::room_to_core)
            .collect())
    }

    /// `POST /v1/meetings/{id}/release-rooms`; the answer is empty or `{}`.
    async fn release_rooms(&self, vendor_id: &str, room_ids: &[String]) -> Result<(), VendorError> {
        let path = format!("{}/release-rooms", meeting_path(vendor_id)?);
        let body = self.rooms_request(room_ids)?;
        self.call(Method::POST, &path, &[], Some(body)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
