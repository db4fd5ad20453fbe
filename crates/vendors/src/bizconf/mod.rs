//! BizConf Video (会畅) client, built from the vendor document `vendor-docs/001_…txt` (the
//! contract; `Lnnn` are its lines) and its digest `vendor-notes/bizconf.md` ("note").
//!
//! Every call is `https://api.bizvideo.cn/openapi/v2/<endpoint>` (any base URL the account
//! names), a form POST (`application/x-www-form-urlencoded; charset=UTF-8`, L16-17) or a GET
//! with the fields in the query where the document says GET (2.3 `getConfDetailByConfId`,
//! 3.33 `getRegistrants`). Each request carries `userId`, `siteSign`, `timeStamp` and a
//! single-use `token` ([`signer`]); the result is the JSON `status` (100 = success), not the
//! HTTP status.
//!
//! **Retries.** A token is good for one request, so every attempt is signed afresh. What may
//! be sent again after a lost answer (timeout, dropped connection, 5xx):
//! - reads, whether GET or POST: the detail, the user and site lists, the free-port count,
//!   the registrant list;
//! - writes that set absolute values and so cannot book anything twice: `confModify2` (the
//!   same time, length, ports and password again) and `updateRegistrationQuestions` (the same
//!   questions again).
//!
//! Never repeated: `confReservation` (a second meeting would be booked), `addRegistrant` (a
//! second registration), and `cancelConf`/`endConf` (a repeat after a cancellation that did
//! happen answers 401 and would turn a success into an error; the desk reads the meeting back
//! instead). Any request refused with 704 (stale token) is re-signed and sent once more: the
//! server refused it before acting.
//!
//! **Not native here**: recurrence (the document has none, note §4), invitations and attendee
//! lists for scheduled meetings, vendor notifications. Host links (`protocolHostStartUrl`,
//! `hostStartUrl`) are fetched fresh with [`VendorClient::get_meeting`] and are secrets, like
//! the API key, the request tokens and registrants' personal links: none of them reaches a log
//! line, an error or a `Debug` output.

pub mod errors;
pub mod mapping;
pub mod signer;
pub mod wire;

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiyi_core::{
    Capabilities, MeetingDraft, MeetingState, VendorErrorKind, VendorKind, VendorMeeting,
};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{truncate_detail, VendorError};
use crate::http::{encode_form, Http, HttpRequest, HttpResponse};
use crate::{VendorClient, VendorIdentity};
use errors::{classify, refused_before_acting};
use wire::{
    AddedRegistrant, ConfInfo, ConfInfoList, Envelope, Form, RegistrantInfo, RemainingPorts,
    StatusOnly, STATUS_OK,
};

pub use mapping::{
    from_wire_time, to_wire_time, CustomQuestion, CustomQuestionKind, NewRegistrant, Registrant,
    RegistrantStatus, Registration, RegistrationQuestions, SiteMeeting, StandardField,
    StandardQuestion, DEFAULT_PORTS, MAX_PORTS,
};

const VENDOR: VendorKind = VendorKind::Bizconf;
const API_PREFIX: &str = "/openapi/v2/";

/// Meetings asked for per page of a list. ASSUMPTION: the document gives only the default
/// (10, L902) and no maximum; 20 is modest enough for any server.
const PAGE_SIZE: usize = 20;
/// Pages of one list read at most (1000 meetings).
const MAX_PAGES: usize = 50;
/// Subject length. ASSUMPTION: the document states no limit for `confName` (L250-254).
const MAX_SUBJECT_CHARS: usize = 100;
/// Meeting length. ASSUMPTION: the document states no bounds for `duration` (L272-276).
const MIN_DURATION_MINUTES: u32 = 1;
const MAX_DURATION_MINUTES: u32 = 24 * 60;

/// The account's credentials (L6-8): the site, the user meetings are booked as, and the
/// site's API KEY, which never leaves this process (only tokens made with it do).
#[derive(Clone, Debug)]
pub struct BizconfAuth {
    /// `siteSign`, the site identifier.
    pub site_sign: String,
    /// `userId`, the customer-side user id (≤ 32 characters, L212); also the token identity.
    pub user_id: String,
    /// `userName`, sent when booking; BizConf keeps the first one it saw (L226).
    pub user_name: String,
    pub api_key: SecretString,
}

/// "Now"; replaceable so tests can sign at a fixed time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Which site-wide list to read (2.8-2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteList {
    /// 2.8 `getScheduledConfListBySiteSign`: booked, not yet held.
    Scheduled,
    /// 2.9 `getLivingConfListBySiteSign`: in progress.
    Living,
    /// 2.10 `getFinishedConfListBySiteSign`: ended.
    Finished,
}

impl SiteList {
    fn endpoint(self) -> &'static str {
        match self {
            SiteList::Scheduled => "getScheduledConfListBySiteSign",
            SiteList::Living => "getLivingConfListBySiteSign",
            SiteList::Finished => "getFinishedConfListBySiteSign",
        }
    }
}

/// Ports of the site for a time window (2.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortUsage {
    /// `remainNumPartis`: still free for that window.
    pub free: u32,
    /// `totalNumParties`: the site's concurrent total, when the answer gives it.
    pub total: Option<u32>,
}

/// Whether a request may be sent again after a lost answer (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// A read, or a write of absolute values.
    Safe,
    /// May have booked, registered, cancelled or ended something.
    Never,
}

pub struct BizconfClient {
    base_url: String,
    auth: BizconfAuth,
    http: Http,
    clock: Clock,
    /// Server clock minus ours, in milliseconds, learnt from `Date` headers when it is more
    /// than a minute.
    skew_ms: AtomicI64,
    stamps: signer::Stamps,
    default_ports: u32,
}

impl std::fmt::Debug for BizconfClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BizconfClient")
            .field("base_url", &self.base_url)
            .field("site_sign", &self.auth.site_sign)
            .field("user_id", &self.auth.user_id)
            .finish_non_exhaustive()
    }
}

impl BizconfClient {
    pub fn new(base_url: &str, auth: BizconfAuth, http: &Http) -> BizconfClient {
        BizconfClient {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            auth,
            http: http.clone(),
            clock: Arc::new(Utc::now),
            skew_ms: AtomicI64::new(0),
            stamps: signer::Stamps::new(),
            default_ports: DEFAULT_PORTS,
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> BizconfClient {
        self.clock = clock;
        self
    }

    /// Ports reserved for a meeting whose draft names none (the account's default).
    pub fn with_default_ports(mut self, ports: u32) -> BizconfClient {
        self.default_ports = ports.clamp(1, MAX_PORTS);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn url(&self, endpoint: &str) -> Result<Url, VendorError> {
        Url::parse(&format!("{}{API_PREFIX}{endpoint}", self.base_url))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::Network,
                    "the server address is not a valid http(s) URL",
                )
            })
    }

    /// The request with the four authentication fields first and a fresh token.
    fn signed(&self, method: &Method, url: &Url, fields: &Form) -> HttpRequest {
        let now_ms = self.now().timestamp_millis() + self.skew_ms.load(Ordering::Relaxed);
        let ts = self.stamps.next(&self.auth.user_id, now_ms);
        let token = signer::token(&self.auth.user_id, self.auth.api_key.expose_secret(), ts);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(fields.len() + 4);
        let ts = ts.to_string();
        all.push(("userId", self.auth.user_id.as_str()));
        all.push(("siteSign", self.auth.site_sign.as_str()));
        all.push(("timeStamp", ts.as_str()));
        all.push(("token", token.as_str()));
        all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        if *method == Method::GET {
            let mut url = url.clone();
            url.query_pairs_mut().extend_pairs(all);
            HttpRequest::new(Method::GET, url)
        } else {
            HttpRequest::new(method.clone(), url.clone()).form(encode_form(&all))
        }
    }

    /// The server's clock from its `Date` header: adopted when it is more than a minute from
    /// ours, or whatever it is after a 704 (`exact`), since the server then said our timestamp
    /// is outside its window.
    fn learn_skew(&self, resp: &HttpResponse, exact: bool) {
        if let Some(server) = resp.date {
            let skew = (server - self.now()).num_milliseconds();
            let keep = exact || skew.abs() > 60_000;
            self.skew_ms
                .store(if keep { skew } else { 0 }, Ordering::Relaxed);
        }
    }

    /// One call: signed afresh for every attempt, repeated only as [`Repeat`] allows (at most
    /// the HTTP layer's attempts) plus one re-signed repeat after a 704. Answers the response
    /// of a `status` 100.
    async fn call(
        &self,
        method: Method,
        endpoint: &str,
        fields: Form,
        repeat: Repeat,
    ) -> Result<HttpResponse, VendorError> {
        mapping::check_user_id(&self.auth.user_id).map_err(unexpressible)?;
        let url = self.url(endpoint)?;
        let policy = self.http.retry_policy();
        let attempts = match repeat {
            Repeat::Safe => policy.max_attempts.max(1),
            Repeat::Never => 1,
        };
        let mut backoff = policy.initial_backoff;
        let mut attempt = 1;
        let mut resigned = false;
        loop {
            let req = self.signed(&method, &url, &fields);
            match self.http.send_single(VENDOR, req, attempt).await {
                Ok(resp) => {
                    let status = serde_json::from_slice::<StatusOnly>(&resp.body).ok();
                    let code = status.as_ref().and_then(|s| s.status);
                    self.learn_skew(&resp, refused_before_acting(code));
                    if resp.is_success() && code == Some(STATUS_OK) {
                        return Ok(resp);
                    }
                    if resp.is_success() && code.is_none() {
                        let mut e = VendorError::new(
                            VENDOR,
                            VendorErrorKind::BadResponse,
                            format!("the {endpoint} answer has no status"),
                        );
                        e.status = Some(resp.status);
                        return Err(e);
                    }
                    if refused_before_acting(code) && !resigned {
                        resigned = true;
                        tracing::info!(
                            vendor = VENDOR.as_str(),
                            endpoint,
                            skew_ms = self.skew_ms.load(Ordering::Relaxed),
                            "token refused before the request was acted on; signing it again"
                        );
                        continue;
                    }
                    let error = rejection(&resp, status);
                    let outage = resp.status >= 500;
                    if !(outage && attempt < attempts) {
                        return Err(error);
                    }
                }
                Err(e) => {
                    let transient =
                        matches!(e.kind, VendorErrorKind::Timeout | VendorErrorKind::Network);
                    if !(transient && attempt < attempts) {
                        return Err(e);
                    }
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
            attempt += 1;
        }
    }

    fn to_meeting(&self, c: &ConfInfo) -> Result<VendorMeeting, VendorError> {
        mapping::meeting_to_core(c, self.now())
            .map_err(|e| VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string()))
    }

    /// 2.3 `getConfDetailByConfId` (GET, L695-783): the meeting as the API describes it, with
    /// fresh host and join links.
    async fn detail(&self, conf_id: &str) -> Result<ConfInfo, VendorError> {
        let resp = self
            .call(
                Method::GET,
                "getConfDetailByConfId",
                vec![("confId", conf_id.to_string())],
                Repeat::Safe,
            )
            .await?;
        let env: Envelope<ConfInfo> = resp.json(VENDOR, "meeting details")?;
        let mut info = env.data.ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::NotFound,
                "the details answer holds no meeting",
            )
        })?;
        // The meeting asked for, even when the answer leaves its id out.
        if info.conf_id.as_deref().is_none_or(|c| c.trim().is_empty()) {
            info.conf_id = Some(conf_id.to_string());
        }
        Ok(info)
    }

    /// Every page of a user list (2.5, 2.7), bounded; empty when the user is unknown (101: a
    /// userId that never booked, L226).
    async fn user_list(
        &self,
        endpoint: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<ConfInfo>, VendorError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut fields: Form = vec![
                // String-typed in 2.5/2.7 (L894, L901); the same text either way in a form.
                ("pageNo", page.to_string()),
                ("pageSize", PAGE_SIZE.to_string()),
            ];
            if let Some(f) = from {
                fields.push(("startTime", to_wire_time(f)));
            }
            if let Some(t) = to {
                fields.push(("endTime", to_wire_time(t)));
            }
            let resp = match self
                .call(Method::POST, endpoint, fields, Repeat::Safe)
                .await
            {
                Ok(r) => r,
                Err(e) if has_code(&e, errors::NO_ACCOUNT) => return Ok(out),
                Err(e) => return Err(e),
            };
            let env: Envelope<ConfInfoList> = resp.json(VENDOR, "meeting list")?;
            let got = env.data.as_ref().map_or(0, |d| d.conf_info.len());
            let done = last_page(&env, page, got, out.len() + got);
            out.extend(env.data.map(|d| d.conf_info).unwrap_or_default());
            if done {
                return Ok(out);
            }
        }
        tracing::warn!(
            vendor = VENDOR.as_str(),
            endpoint,
            "list did not finish within the page limit; showing what was read"
        );
        Ok(out)
    }

    /// 2.6 `getLivingConfByUserId` (POST; "POST GET", L1015): the user's meeting in progress
    /// ("at most one", L1009). Unknown user (101): none.
    async fn living(&self) -> Result<Vec<ConfInfo>, VendorError> {
        let resp = match self
            .call(
                Method::POST,
                "getLivingConfByUserId",
                Vec::new(),
                Repeat::Safe,
            )
            .await
        {
            Ok(r) => r,
            Err(e) if has_code(&e, errors::NO_ACCOUNT) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let env: Envelope<ConfInfoList> = resp.json(VENDOR, "ongoing meetings")?;
        Ok(env.data.map(|d| d.conf_info).unwrap_or_default())
    }

    /// 2.13 `endConf` (L1940-2000): ends a meeting in progress ("仅适用于会议状态为会中的会议",
    /// L1943). Never repeated on its own. A meeting that is not in progress reads as an
    /// invalid request, not as "already started".
    pub async fn end_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let conf_id = conf_id_checked(vendor_id)?;
        match self
            .call(
                Method::POST,
                "endConf",
                vec![("confId", conf_id)],
                Repeat::Never,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(mut e) if has_code(&e, errors::STATUS_ERROR) => {
                e.kind = VendorErrorKind::InvalidRequest;
                e.detail = format!("only a meeting in progress can be ended: {}", e.detail);
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// 2.7 `getFinishedConfListByUserId` (L1094-1214): the user's ended meetings, optionally
    /// within `[from, to]` (both GMT on the wire; how the filter applies is not documented).
    /// Paged, bounded, deduplicated. Ended regardless of the listed `confStatus`: the sample
    /// shows 0 there (L1204, note §6.15).
    pub async fn ended_meetings(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<VendorMeeting>, VendorError> {
        let list = self
            .user_list("getFinishedConfListByUserId", from, to)
            .await?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for c in &list {
            let Some(m) = self.readable(c, &mut seen) else {
                continue;
            };
            let mut m = m;
            if m.state != MeetingState::Cancelled {
                m.state = MeetingState::Ended;
            }
            out.push(m);
        }
        Ok(out)
    }

    /// 2.8-2.10: every meeting of the site (any user) in one list, optionally within
    /// `[from, to]`. These lists quote their numbers (`"duration":"10"`, L1304) and give no
    /// `sfcloud://` links (L1295-1324). Paged, bounded, deduplicated; the state follows the
    /// list asked for where the listed `confStatus` is the samples' copy-pasted 0.
    pub async fn site_meetings(
        &self,
        which: SiteList,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<SiteMeeting>, VendorError> {
        let now = self.now();
        let mut out: Vec<SiteMeeting> = Vec::new();
        let mut seen = HashSet::new();
        let mut complete = false;
        let mut read = 0usize;
        for page in 1..=MAX_PAGES {
            // Int-typed here (L1281-1292).
            let mut fields: Form = vec![
                ("pageNo", page.to_string()),
                ("pageSize", PAGE_SIZE.to_string()),
            ];
            if let Some(f) = from {
                fields.push(("startTime", to_wire_time(f)));
            }
            if let Some(t) = to {
                fields.push(("endTime", to_wire_time(t)));
            }
            let resp = self
                .call(Method::POST, which.endpoint(), fields, Repeat::Safe)
                .await?;
            // `data` is the array itself here (L1298), not `data.confInfo`.
            let env: Envelope<Vec<ConfInfo>> = resp.json(VENDOR, "site meeting list")?;
            let got = env.data.as_ref().map_or(0, Vec::len);
            read += got;
            let done = last_page(&env, page, got, read);
            for c in env.data.unwrap_or_default() {
                match mapping::site_meeting(&c, now) {
                    Ok(mut s) => {
                        if !seen.insert(s.meeting.vendor_id.clone()) {
                            continue;
                        }
                        s.meeting.state = match (which, s.meeting.state) {
                            (_, MeetingState::Cancelled) => MeetingState::Cancelled,
                            (SiteList::Living, _) => MeetingState::InProgress,
                            (SiteList::Finished, _) => MeetingState::Ended,
                            (SiteList::Scheduled, st) => st,
                        };
                        out.push(s);
                    }
                    Err(e) => {
                        tracing::warn!(vendor = VENDOR.as_str(), error = %e, "skipping a site meeting the list could not describe")
                    }
                }
            }
            if done {
                complete = true;
                break;
            }
        }
        if !complete {
            tracing::warn!(
                vendor = VENDOR.as_str(),
                "site list did not finish within the page limit; showing what was read"
            );
        }
        Ok(out)
    }

    /// 2.16 `getReMainNumPartis` (L2200-2280): the site's free and total concurrent ports for a
    /// meeting from `start` to `end`. `excluding_vendor_id`: a meeting of this user whose own
    /// ports do not count (the one being changed); the endpoint takes its meeting *number*
    /// (`confNumber`, L2247-2251), so the meeting is read first to learn it.
    pub async fn port_usage(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        excluding_vendor_id: Option<&str>,
    ) -> Result<PortUsage, VendorError> {
        let duration = mapping::minutes_between(start, end).ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::InvalidRequest,
                "the window must end after it starts",
            )
        })?;
        let mut fields: Form = vec![
            // The format is not restated at L2226; every other time is GMT (L13-15).
            ("startTime", to_wire_time(start)),
            ("duration", duration.to_string()),
        ];
        if let Some(id) = excluding_vendor_id {
            let c = self.detail(&conf_id_checked(id)?).await?;
            let number = c
                .conf_number
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| {
                    VendorError::new(
                        VENDOR,
                        VendorErrorKind::BadResponse,
                        "the meeting to leave out has no meeting number",
                    )
                })?;
            fields.push(("confNumber", number));
        }
        let resp = self
            .call(Method::POST, "getReMainNumPartis", fields, Repeat::Safe)
            .await?;
        // At the top level, spelled as printed (L2278-2279).
        let r: RemainingPorts = resp.json(VENDOR, "free ports answer")?;
        let free = r.remain_num_partis.ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                "the free ports answer has no remainNumPartis",
            )
        })?;
        Ok(PortUsage {
            free: u32::try_from(free.max(0)).unwrap_or(u32::MAX),
            total: r
                .total_num_parties
                .and_then(|t| u32::try_from(t.max(0)).ok()),
        })
    }

    /// 3.31 `updateRegistrationQuestions` (L3515-3631) for a meeting booked with
    /// registration. Setting the same questions twice is harmless, so it may be repeated.
    pub async fn update_registration_questions(
        &self,
        vendor_id: &str,
        questions: &RegistrationQuestions,
    ) -> Result<(), VendorError> {
        let mut fields: Form = vec![("confId", conf_id_checked(vendor_id)?)];
        fields.extend(mapping::questions_form(questions));
        self.call(
            Method::POST,
            "updateRegistrationQuestions",
            fields,
            Repeat::Safe,
        )
        .await
        .map_err(registration_closed)?;
        Ok(())
    }

    /// 3.32 `addRegistrant` (L3635-3825): registers a person and answers their personal join
    /// link. Never repeated on its own (it would register them twice).
    pub async fn add_registrant(
        &self,
        vendor_id: &str,
        registrant: &NewRegistrant,
    ) -> Result<Registration, VendorError> {
        let mut fields: Form = vec![("confId", conf_id_checked(vendor_id)?)];
        fields.extend(mapping::registrant_form(registrant).map_err(|e| {
            VendorError::new(VENDOR, VendorErrorKind::AttendeeInvalid, e.to_string())
        })?);
        let resp = self
            .call(Method::POST, "addRegistrant", fields, Repeat::Never)
            .await
            .map_err(registration_closed)?;
        let env: Envelope<AddedRegistrant> = resp.json(VENDOR, "registration answer")?;
        env.data
            .as_ref()
            .and_then(mapping::registration_from_wire)
            .ok_or_else(|| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::BadResponse,
                    "the registration answer has no registrant id or join link",
                )
            })
    }

    /// 3.33 `getRegistrants` (GET, L3830-3918) with the given state (BizConf's default is
    /// approved). Only before the meeting's end (L3832).
    pub async fn registrants(
        &self,
        vendor_id: &str,
        status: RegistrantStatus,
    ) -> Result<Vec<Registrant>, VendorError> {
        let fields: Form = vec![
            ("confId", conf_id_checked(vendor_id)?),
            ("status", status.as_str().to_string()),
        ];
        let resp = self
            .call(Method::GET, "getRegistrants", fields, Repeat::Safe)
            .await
            .map_err(registration_closed)?;
        let env: Envelope<Vec<RegistrantInfo>> = resp.json(VENDOR, "registrant list")?;
        Ok(env
            .data
            .unwrap_or_default()
            .iter()
            .filter_map(mapping::registrant_from_wire)
            .collect())
    }

    /// A listed meeting as ours, once per id; unreadable ones are skipped with a warning so
    /// that one bad entry does not hide the rest.
    fn readable(&self, c: &ConfInfo, seen: &mut HashSet<String>) -> Option<VendorMeeting> {
        match self.to_meeting(c) {
            Ok(m) => seen.insert(m.vendor_id.clone()).then_some(m),
            Err(e) => {
                tracing::warn!(vendor = VENDOR.as_str(), error = %e.detail, "skipping a meeting the list could not describe");
                None
            }
        }
    }
}

/// Whether `page` was the last: no items, the page count or the item count says so, or a page
/// shorter than the page size the server says it used (ours when it does not say). The
/// site-list sample's `totalPage: 100` beside `totalItems: 10` (L1320-1322) is why the item
/// count and a short page end a list too.
fn last_page<T>(env: &Envelope<T>, page: usize, got: usize, read: usize) -> bool {
    let page = i64::try_from(page).unwrap_or(i64::MAX);
    let read = i64::try_from(read).unwrap_or(i64::MAX);
    let size = env.page_size.filter(|s| *s > 0).unwrap_or(PAGE_SIZE as i64);
    got == 0
        || i64::try_from(got).unwrap_or(i64::MAX) < size
        || env.total_page.is_some_and(|t| t <= page)
        || env.total_items.is_some_and(|t| t <= read)
}

/// A registration call refused with 201. The registration endpoints work only until the
/// meeting's end ("只能在会议结束时间之前使用", L3832), and 201 is "会议时间错误，会议时间过期…"
/// (L57-58): here it means the meeting is over, not that a start time should move.
fn registration_closed(e: VendorError) -> VendorError {
    if !has_code(&e, errors::TIME_ERROR) {
        return e;
    }
    VendorError {
        kind: VendorErrorKind::NotFound,
        detail: format!("registration closed: the meeting has ended ({})", e.detail),
        ..e
    }
}

/// Whether a refusal carried this BizConf `status` code.
fn has_code(e: &VendorError, code: i64) -> bool {
    e.code.as_deref().and_then(|c| c.parse::<i64>().ok()) == Some(code)
}

/// Meeting ids are integers (L742-746); anything else is not one of ours.
fn conf_id_checked(vendor_id: &str) -> Result<String, VendorError> {
    let id = vendor_id.trim();
    if id.is_empty() || id.len() > 20 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(VendorError::new(
            VENDOR,
            VendorErrorKind::NotFound,
            "not a BizConf meeting id",
        ));
    }
    Ok(id.to_string())
}

fn unexpressible(e: mapping::Unexpressible) -> VendorError {
    VendorError::new(VENDOR, VendorErrorKind::InvalidRequest, e.to_string())
}

/// A refused answer as an error: the `status` code when there is one, else the HTTP status.
/// Only the vendor's `message` reaches the detail, never the body.
fn rejection(resp: &HttpResponse, status: Option<StatusOnly>) -> VendorError {
    let status = status.unwrap_or_default();
    let code = status.status.filter(|c| *c != STATUS_OK);
    let detail = match status.message.filter(|m| !m.trim().is_empty()) {
        Some(msg) => truncate_detail(msg.trim()),
        None => match code {
            Some(c) => format!("BizConf answered status {c} without a message"),
            None => format!("HTTP {} without a BizConf answer", resp.status),
        },
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
impl VendorClient for BizconfClient {
    fn vendor(&self) -> VendorKind {
        VENDOR
    }

    /// No recurrence natively: the document has no repeat parameter or endpoint (note §4), so
    /// a series is expanded locally into single bookings (the series feature does that later),
    /// each one subject to 202 (one meeting per user at a time) and 205 (ports).
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_subject_chars: MAX_SUBJECT_CHARS,
            min_duration_minutes: MIN_DURATION_MINUTES,
            max_duration_minutes: MAX_DURATION_MINUTES,
            // Attendees never reach BizConf (no invitation API); each needs a port, the host
            // takes one.
            max_attendees: (MAX_PORTS - 1) as usize,
            attendee_needs_phone: false,
            only_hosts_by_account: false,
            attendee_needs_account: false,
            // BizConf sends no notices of its own.
            notify_email: false,
            notify_sms: false,
            notify_calendar: false,
            edit: true,
            // Separate host start links (`protocolHostStartUrl`, `hostStartUrl`).
            host_links: true,
            rooms: false,
            max_ports: Some(MAX_PORTS),
            registration: true,
            // 202: one meeting per user per time slot.
            one_meeting_at_a_time: true,
            // The document has no recurring meetings.
            native_series: false,
            end_meeting: true,
            lists_meetings: true,
            keeps_start: true,
            app_link_on_demand: false,
            password_digits: None,
        }
    }

    /// One read of the user's upcoming meetings: it proves the site sign, the API key and the
    /// user id together and changes nothing. A user that has never booked is unknown to
    /// BizConf until its first booking (L226), so 101 still verifies. The display name is the
    /// one BizConf holds, when a meeting shows it (it keeps the first name it saw, L226).
    async fn verify(&self) -> Result<VendorIdentity, VendorError> {
        let fields: Form = vec![("pageNo", "1".into()), ("pageSize", "1".into())];
        let shown_name = match self
            .call(
                Method::POST,
                "getScheduledConfListByUserId",
                fields,
                Repeat::Safe,
            )
            .await
        {
            Ok(resp) => {
                let env: Envelope<ConfInfoList> = resp.json(VENDOR, "meeting list")?;
                env.data
                    .and_then(|d| d.conf_info.into_iter().find_map(|c| c.user_name))
                    .filter(|n| !n.trim().is_empty())
            }
            Err(e) if has_code(&e, errors::NO_ACCOUNT) => None,
            Err(e) => return Err(e),
        };
        let display_name = shown_name
            .or_else(|| Some(self.auth.user_name.clone()).filter(|n| !n.trim().is_empty()))
            .unwrap_or_else(|| self.auth.user_id.clone());
        Ok(VendorIdentity {
            user_id: self.auth.user_id.clone(),
            display_name,
        })
    }

    /// 2.1 `confReservation` (L186-438), sent exactly once: 202 when the user already has a
    /// meeting then ([`VendorErrorKind::TimeConflict`]), 205 when the site lacks the ports.
    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError> {
        // `userName` is required (L222); an account without a name books under its userId.
        let user_name = Some(self.auth.user_name.trim())
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.auth.user_id);
        let req = mapping::draft_to_reservation(draft, user_name, self.default_ports)
            .map_err(unexpressible)?;
        let resp = self
            .call(Method::POST, "confReservation", req.form(), Repeat::Never)
            .await?;
        let env: Envelope<ConfInfo> = resp.json(VENDOR, "booking answer")?;
        let info = env.data.ok_or_else(|| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                "the booking succeeded but its answer holds no meeting",
            )
        })?;
        self.to_meeting(&info)
    }

    /// 2.12 `confModify2` (L1697-1935) after reading the meeting (2.3): the current password is
    /// sent back, because an empty one would remove it (L1762); ports the draft leaves open
    /// stay as they are; a meeting in progress is refused before anything is sent (2.12 is
    /// for meetings not yet started; live ones take 2.14). Registration stays as booked:
    /// 2.12 has no `registrationType`.
    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError> {
        let conf_id = conf_id_checked(vendor_id)?;
        let current = self.detail(&conf_id).await?;
        match self.to_meeting(&current).map(|m| m.state) {
            Ok(MeetingState::InProgress) => {
                return Err(VendorError::new(
                    VENDOR,
                    VendorErrorKind::MeetingStarted,
                    "the meeting is in progress",
                ))
            }
            Ok(MeetingState::Cancelled) | Ok(MeetingState::Ended) => {
                return Err(VendorError::new(
                    VENDOR,
                    VendorErrorKind::NotFound,
                    "the meeting was cancelled or has ended",
                ))
            }
            _ => {}
        }
        if draft.registration {
            tracing::debug!(
                vendor = VENDOR.as_str(),
                "registration cannot be changed by an edit; the meeting keeps what it was booked with"
            );
        }
        let req = mapping::draft_to_modify(&conf_id, draft, &current, self.default_ports).map_err(
            |e| match e {
                mapping::Unexpressible::PasswordUnknown => {
                    VendorError::new(VENDOR, VendorErrorKind::BadResponse, e.to_string())
                }
                other => unexpressible(other),
            },
        )?;
        let resp = self
            .call(Method::POST, "confModify2", req.form(), Repeat::Safe)
            .await?;
        let env: Envelope<ConfInfo> = resp.json(VENDOR, "change answer")?;
        match env.data.filter(|c| c.conf_id.is_some()) {
            Some(info) => self.to_meeting(&info),
            None => self.get_meeting(&conf_id).await,
        }
    }

    /// 2.4 `cancelConf` (L787-847), sent once. BizConf refuses meetings in progress, deleted or
    /// already cancelled (L790); a meeting that was ever held ends up ended (3), others
    /// cancelled (9) (L796).
    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let conf_id = conf_id_checked(vendor_id)?;
        self.call(
            Method::POST,
            "cancelConf",
            vec![("confId", conf_id)],
            Repeat::Never,
        )
        .await?;
        Ok(())
    }

    /// 2.3, with fresh links: the host start link (`protocolHostStartUrl`, whose `token` is
    /// the host credential) is worth fetching right before it is opened.
    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError> {
        let conf_id = conf_id_checked(vendor_id)?;
        let info = self.detail(&conf_id).await?;
        self.to_meeting(&info)
    }

    /// The user's ongoing meeting (2.6) and upcoming ones (2.5, every page, bounded),
    /// deduplicated by meeting id (the 2.5 sample itself lists one meeting twice, L936-999),
    /// without cancelled, deleted or ended ones. The ongoing list's `confStatus` is the
    /// samples' copy-pasted 0 (L1082, note §6.15), so its entries count as in progress.
    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for c in self.living().await? {
            if let Some(mut m) = self.readable(&c, &mut seen) {
                if m.state == MeetingState::Scheduled {
                    m.state = MeetingState::InProgress;
                }
                if m.state == MeetingState::InProgress {
                    out.push(m);
                }
            }
        }
        let upcoming = self
            .user_list("getScheduledConfListByUserId", None, None)
            .await?;
        for c in &upcoming {
            if let Some(m) = self.readable(c, &mut seen) {
                if matches!(m.state, MeetingState::Scheduled | MeetingState::InProgress) {
                    out.push(m);
                }
            }
        }
        Ok(out)
    }

    async fn free_ports(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        excluding_vendor_id: Option<&str>,
    ) -> Result<u32, VendorError> {
        Ok(self.port_usage(start, end, excluding_vendor_id).await?.free)
    }

    /// `endConf` (2.13).
    async fn end_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        BizconfClient::end_meeting(self, vendor_id).await
    }

    /// Every registrant: the list is asked per status (3.33 takes one), approved first.
    async fn registrants(
        &self,
        vendor_id: &str,
    ) -> Result<Vec<huiyi_core::Registrant>, VendorError> {
        let mut all = Vec::new();
        for status in [
            RegistrantStatus::Approved,
            RegistrantStatus::Pending,
            RegistrantStatus::Denied,
        ] {
            for r in BizconfClient::registrants(self, vendor_id, status).await? {
                all.push(mapping::registrant_to_core(r, status));
            }
        }
        Ok(all)
    }

    /// 3.32 with the name as `first_name` (the only name BizConf requires) and BizConf's own
    /// approval default (approved straight away, L3811).
    async fn add_registrant(
        &self,
        vendor_id: &str,
        person: &huiyi_core::RegistrantInput,
    ) -> Result<huiyi_core::Registrant, VendorError> {
        let added = BizconfClient::add_registrant(
            self,
            vendor_id,
            &NewRegistrant {
                first_name: person.name.clone(),
                email: person.email.clone(),
                ..NewRegistrant::default()
            },
        )
        .await?;
        Ok(huiyi_core::Registrant {
            id: added.registrant_id,
            name: person.name.clone(),
            email: Some(person.email.clone()),
            state: huiyi_core::RegistrationState::Approved,
            registered_at: None,
            join_url: Some(added.join_url),
        })
    }
}

#[cfg(test)]
mod tests;
