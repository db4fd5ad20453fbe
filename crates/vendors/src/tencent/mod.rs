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
    CancelMeetingRequest, ErrorEnvelope, MeetingInfo, MeetingList, RoomList, RoomsRequest,
    INSTANCE_ID, OPERATOR_USERID,
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
        let mut query = self.operator_query();
        if let Some(p) = pos {
            query.push(("pos", p.to_string()));
        }
        if let Some(c) = cursory {
            query.push(("cursory", c.to_string()));
        }
        let resp = self.call(Method::GET, MEETINGS_PATH, &query, None).await?;
        resp.json(VENDOR, "meeting list")
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

fn unexpressible(e: mapping::Unexpressible) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::AttendeeInvalid, e.to_string())
}

fn meeting_path(vendor_id: &str) -> Result<String, VendorError> {
    // Meeting IDs are decimal strings; anything else would change the path we sign.
    if vendor_id.is_empty() || !vendor_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(VendorError::new(
            VENDOR,
            VendorErrorKind::NotFound,
            "not a Tencent Meeting meeting ID",
        ));
    }
    Ok(format!("{MEETINGS_PATH}/{vendor_id}"))
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
            // Invitees in the create body: ≤ 300 (note §3.1); more need the invitees API.
            max_attendees: 300,
            attendee_needs_phone: false,
            // Tencent sends no notices of its own on request (no such switch in §3.1).
            notify_email: false,
            notify_sms: false,
            notify_calendar: false,
            edit: true,
            // One `join_url` for everyone; host rights come from the host key, not a link.
            host_links: false,
            // Tencent Meeting Rooms can be booked for a one-off meeting (note §3.9).
            rooms: true,
        }
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

    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        let body = encode_json(
            VENDOR,
            &mapping::draft_to_create(draft, &self.auth.operator).map_err(unexpressible)?,
        )?;
        let resp = self
            .creations
            .run(self.call(Method::POST, MEETINGS_PATH, &[], Some(body)))
            .await?;
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
        let body = encode_json(
            VENDOR,
            &mapping::draft_to_modify(draft, &self.auth.operator).map_err(unexpressible)?,
        )?;
        self.call(Method::PUT, &path, &[], Some(body)).await?;
        self.get_meeting(vendor_id).await
    }

    /// The whole meeting (no `sub_meeting_id`). The answer may be empty or `{}`.
    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let path = format!("{}/cancel", meeting_path(vendor_id)?);
        let body = encode_json(
            VENDOR,
            &CancelMeetingRequest {
                userid: self.auth.operator.clone(),
                instanceid: INSTANCE_ID,
                reason_code: CANCEL_REASON_CODE,
                reason_detail: None,
            },
        )?;
        self.call(Method::POST, &path, &[], Some(body)).await?;
        Ok(())
    }

    /// `GET /v1/meetings/{id}?userid=&instanceid=` (note §3.5: the SDK's operator_id form is
    /// an SDK gap; userid is what the document requires).
    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let path = meeting_path(vendor_id)?;
        let resp = self
            .call(Method::GET, &path, &self.operator_query(), None)
            .await?;
        let list: MeetingList = resp.json(VENDOR, "meeting details")?;
        let m = list
            .meeting_info_list
            .iter()
            .find(|m| m.meeting_id.as_deref() == Some(vendor_id))
            .or(list.meeting_info_list.first())
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::NotFound,
                    "the details answer holds no meeting",
                )
            })?;
        self.to_meeting(m)
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
            for r in list.meeting_room_list.iter().filter_map(mapping::room_to_core) {
                if !rooms.iter().any(|known| known.vendor_id == r.vendor_id) {
                    rooms.push(r);
                }
            }
            let last = list.total_page.is_none_or(|total| {
                total <= list.current_page.unwrap_or(i64::try_from(page).unwrap_or(i64::MAX))
            });
            if got == 0 || last {
                break;
            }
        }
        Ok(rooms)
    }

    /// `POST /v1/meetings/{id}/book-rooms`: one-off meetings of 15 min to 24 h only; 20006
    /// when a room is taken (note §3.9).
    async fn book_rooms(
        &self,
        vendor_id: &str,
        room_ids: &[String],
    ) -> Result<Vec<VendorRoom>, VendorError> {
        let path = format!("{}/book-rooms", meeting_path(vendor_id)?);
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
