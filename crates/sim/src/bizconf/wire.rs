//! Request parameters and response shapes.
//!
//! Requests: POST parameters in an `application/x-www-form-urlencoded` body (L16-L17), UTF-8
//! (note §1 [inference]); GET parameters in the query string (note §1 [inference]). A POST body
//! of another content type is not read (its parameters are missing: 109), nor is the query
//! string of a POST. When a parameter repeats, the first value counts.
//!
//! Responses: ConfInfo-A (2.1 sample, L403-L438) for booking, detail and the user lists;
//! ConfInfo-B (2.12 sample, L1903-L1935) for modify; ConfInfo-S, with numbers as strings
//! (2.8 sample, L1295-L1324) for the site lists. Valid JSON, unlike the samples (note §6.9).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, Method};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Value};

use super::errors::{self, ApiError};
use super::state::{opaque_token, Meeting, Site, State, User};

/// Bounds a request body.
const MAX_BODY: usize = 1024 * 1024;

/// The request's parameters, in order.
pub(crate) struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req.method() == Method::GET {
            let query = req.uri().query().unwrap_or("").to_owned();
            return Ok(Params::parse(query.as_bytes()));
        }
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| errors::BAD_PARAM)?;
        if body.len() > MAX_BODY {
            return Err(errors::BAD_PARAM);
        }
        if !form {
            return Ok(Params(Vec::new()));
        }
        Ok(Params::parse(&body))
    }
}

impl Params {
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn parse(bytes: &[u8]) -> Params {
        Params(serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default())
    }

    /// The first value of `name`, as sent (possibly empty).
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name` if not empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.raw(name).filter(|v| !v.is_empty())
    }

    /// Required: missing or empty is 109 (L52).
    pub(crate) fn req(&self, name: &str) -> Result<&str, ApiError> {
        self.non_empty(name).ok_or(errors::BAD_PARAM)
    }

    /// An optional integer; empty counts as absent; not an integer is 109.
    pub(crate) fn opt_int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => parse_int(v).map(Some),
        }
    }

    pub(crate) fn req_int(&self, name: &str) -> Result<i64, ApiError> {
        parse_int(self.req(name)?)
    }

    /// An optional option flag restricted to `allowed` (104 outside it, L46).
    pub(crate) fn opt_enum(&self, name: &str, allowed: &[i64]) -> Result<Option<u8>, ApiError> {
        match self.opt_int(name)? {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(u8::try_from(v).unwrap_or(0))),
            Some(_) => Err(errors::BAD_MEETING_PARAM),
        }
    }

    /// A required GMT time `yyyy-MM-dd HH:mm:ss` (L146), as Unix seconds.
    pub(crate) fn req_time(&self, name: &str) -> Result<i64, ApiError> {
        parse_time(self.req(name)?)
    }

    pub(crate) fn opt_time(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.non_empty(name).map(parse_time).transpose()
    }

    /// `pageNo`/`pageSize`: positive integers (String in 2.5/2.7, Int in 2.8-2.10: the same on
    /// a form), defaults 1 and 10 (L895, L902).
    pub(crate) fn paging(&self) -> Result<(u64, u64), ApiError> {
        let page = self.opt_int("pageNo")?.unwrap_or(1);
        let size = self.opt_int("pageSize")?.unwrap_or(10);
        // The document gives no bounds; below 1 is refused, and a page holds at most 1000
        // (assumption, bounds the answer).
        if page < 1 || !(1..=1000).contains(&size) {
            return Err(errors::BAD_PARAM);
        }
        Ok((page.unsigned_abs(), size.unsigned_abs()))
    }
}

fn parse_int(v: &str) -> Result<i64, ApiError> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(errors::BAD_PARAM);
    }
    v.parse().map_err(|_| errors::BAD_PARAM)
}

/// Exactly `yyyy-MM-dd HH:mm:ss`, GMT (L13-L15, L146): no `T`, no zone suffix, no fraction
/// (note §7.20); anything else is 109. (The booking tables' `yyyy-MM-ss`, L269, is a typo,
/// note §6.1.)
pub(crate) fn parse_time(v: &str) -> Result<i64, ApiError> {
    if v.len() != 19 {
        return Err(errors::BAD_PARAM);
    }
    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc().timestamp())
        .map_err(|_| errors::BAD_PARAM)
}

pub(crate) fn fmt_time(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// ISO-8601 UTC as in the registrant fields (`2022-09-23T01:30:00Z`, L3821).
pub(crate) fn fmt_iso(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub(crate) fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// --- links (note §5) -----------------------------------------------------------------------

/// `https://<site>.bizvideo.cn/j/<confId>4/<32 hex>` (L423). The samples of 2017 use http
/// (L1305, L1908), those of 2021 https (L423-L424): the sim uses https everywhere.
pub(crate) fn join_url(site: &Site, m: &Meeting) -> String {
    format!(
        "https://{}.bizvideo.cn/j/{}4/{}",
        site.subdomain(),
        m.conf_id,
        m.join_sig
    )
}

/// `https://<site>.bizvideo.cn/j/<confId>3/<32 hex>` (L424). Secret.
pub(crate) fn host_start_url(site: &Site, m: &Meeting) -> String {
    format!(
        "https://{}.bizvideo.cn/j/{}3/{}",
        site.subdomain(),
        m.conf_id,
        m.host_sig
    )
}

/// `sfcloud://www.confcloud.cn/join?confno=<confNumber>&pwd=<password>` (L419, L1926).
pub(crate) fn protocol_join_url(m: &Meeting) -> String {
    format!(
        "sfcloud://www.confcloud.cn/join?confno={}&pwd={}",
        m.conf_number,
        pct(&m.password)
    )
}

/// `sfcloud://www.confcloud.cn/start?confno=..&sid=..&stype=100&uid=..&uname=..&token=..`
/// (L411), with a fresh host token on every answer (note §7.19). Secret.
pub(crate) fn protocol_host_start_url(m: &Meeting, user: &User) -> String {
    format!(
        "sfcloud://www.confcloud.cn/start?confno={}&sid={}&stype=100&uid={}&uname={}&token={}",
        m.conf_number,
        user.uid,
        user.uid,
        pct(&user.user_name),
        opaque_token()
    )
}

/// `https://cc.bizvideo.cn/wc/join/<confNumber>?pwd=<password>&prefer=1` (L410).
pub(crate) fn web_client_join(m: &Meeting) -> String {
    format!(
        "https://cc.bizvideo.cn/wc/join/{}?pwd={}&prefer=1",
        m.conf_number,
        pct(&m.password)
    )
}

/// The hardware access addresses of the 2.1 sample (L416).
const RC_IPS: &str = "119.254.126.100,119.254.126.101,rc2.bizvideo.cn,rc4.bizvideo.cn";

fn user_of(st: &State, m: &Meeting) -> User {
    st.users
        .get(&m.user_id)
        .cloned()
        .unwrap_or_else(|| User::new(&m.user_id, 0))
}

/// ConfInfo-A (L408-L436): 29 fields, `confId` a number, `confNumber` a string.
pub(crate) fn conf_info_a(st: &State, m: &Meeting) -> Value {
    let user = user_of(st, m);
    json!({
        "confNumber": m.conf_number,
        "beforeTime": m.before_time,
        "webClientJoin": web_client_join(m),
        "protocolHostStartUrl": protocol_host_start_url(m, &user),
        "optionJbh": m.option_jbh,
        "confPassword": m.password,
        "roomId": m.room_id,
        "virConfId": m.vir_conf_id,
        "rcIps": RC_IPS,
        "confName": m.conf_name,
        "duration": m.duration,
        "protocolJoinUrl": protocol_join_url(m),
        "h323pwd": m.h323pwd,
        "startTime": fmt_time(m.start),
        "audio": m.audio,
        "joinUrl": join_url(&st.site, m),
        "hostStartUrl": host_start_url(&st.site, m),
        "confParties": m.conf_parties,
        "confId": m.conf_id,
        "watermark": m.watermark,
        "userName": user.user_name,
        "userId": m.user_id,
        "confDelFlag": 1,
        "optionVideoHost": m.option_video_host,
        "confStatus": m.status(st.now_s()).code(),
        "interpretation": m.interpretation,
        "waitingRoom": m.waiting_room,
        "optionVideoParticipants": m.option_video_participants,
        "meetingAuthentication": m.meeting_authentication,
    })
}

/// ConfInfo-B (L1907-L1934): the modify answer. No `webClientJoin`, `virConfId`,
/// `waitingRoom` or `meetingAuthentication`; adds `videoConf`, `videoPhone` (without the
/// sample's stray leading space, L1928-L1929) and `watchUrl`.
pub(crate) fn conf_info_b(st: &State, m: &Meeting) -> Value {
    let user = user_of(st, m);
    json!({
        "protocolHostStartUrl": protocol_host_start_url(m, &user),
        "hostStartUrl": host_start_url(&st.site, m),
        "confStatus": m.status(st.now_s()).code(),
        "roomId": m.room_id,
        "confPassword": m.password,
        "optionJbh": m.option_jbh,
        "startTime": fmt_time(m.start),
        "optionVideoParticipants": m.option_video_participants,
        "confId": m.conf_id,
        "duration": m.duration,
        "h323pwd": m.h323pwd,
        "confName": m.conf_name,
        "confParties": m.conf_parties,
        "userId": m.user_id,
        "joinUrl": join_url(&st.site, m),
        "userName": user.user_name,
        "confDelFlag": 1,
        "rcIps": RC_IPS,
        "optionVideoHost": m.option_video_host,
        "protocolJoinUrl": protocol_join_url(m),
        "confNumber": m.conf_number,
        "videoConf": m.conf_number,
        "videoPhone": "86-10-56294788,86-10-56294688",
        "beforeTime": m.before_time,
        "watchUrl": m.watch_url,
        "watermark": m.watermark,
        "interpretation": m.interpretation,
        "audio": m.audio,
    })
}

/// ConfInfo-S (L1299-L1316): `confId`, `duration`, `confStatus`, `confParties` as strings;
/// `beforeTime` and `interpretation` numbers (as the sample, unquoted); no protocol links.
pub(crate) fn conf_info_s(st: &State, m: &Meeting) -> Value {
    let user = user_of(st, m);
    json!({
        "confId": m.conf_id.to_string(),
        "confNumber": m.conf_number,
        "confName": m.conf_name,
        "startTime": fmt_time(m.start),
        "duration": m.duration.to_string(),
        "joinUrl": join_url(&st.site, m),
        "hostStartUrl": host_start_url(&st.site, m),
        "confPassword": m.password,
        "confStatus": m.status(st.now_s()).code().to_string(),
        "confParties": m.conf_parties.to_string(),
        "userName": user.user_name,
        "userId": m.user_id,
        "beforeTime": m.before_time,
        "watchUrl": m.watch_url,
        "interpretation": m.interpretation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_strict_gmt_strings() {
        // The document's own conversion example (L14-L15): Beijing 12:00 is sent as 04:00.
        assert_eq!(parse_time("2017-01-10 04:00:00").unwrap(), 1_484_020_800);
        assert_eq!(fmt_time(1_484_020_800), "2017-01-10 04:00:00");
        for bad in [
            "2017-01-10T04:00:00",
            "2017-01-10 04:00:00+08:00",
            "2017-01-10 04:00",
            "2017-01-10 4:00:00 ",
            "2017-13-10 04:00:00",
            "1484020800",
        ] {
            assert_eq!(parse_time(bad), Err(errors::BAD_PARAM), "{bad}");
        }
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(pct("binson-tests_1.~"), "binson-tests_1.~");
        assert_eq!(pct("沙箱 a&b"), "%E6%B2%99%E7%AE%B1%20a%26b");
    }
}
