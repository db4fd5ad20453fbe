//! Request authentication (doc L20-L105, errors L1088-L1111, note §2), the list endpoints'
//! frequency limit, and the fake's injected errors; a middleware in front of every vendor path.
//!
//! ```text
//! X-CR-Signature = lowercase_hex(SHA-256(secretId + "&" + X-CR-Timestamp + "&" + secretKey))
//! ```
//! The signature covers nothing else (not the method, path, body or RequestId), so within the
//! window one signature serves any number of requests (note §2.2): the fake does not refuse a
//! replay, since the document has no code for one.
//!
//! Order of the checks [fake-decision, note §2.4; the document gives none]: SecretId empty
//! (22001) → Timestamp empty (22002) → Signature empty (22003) → Timestamp not decimal
//! (22009) → unknown SecretId (22006) → API not enabled (22007) → |now − ts| > 300 s (22004;
//! exactly 300 accepted; a millisecond timestamp is "expired", not "badly formatted") →
//! signature (22005; lower-case hex only unless lenient) → list frequency (429/22008).
//! `X-CR-RequestId` is required (L29) but has no error code: a request without it is served and
//! the absence recorded ([`super::CloudroomSim::request_ids`]).
//!
//! Which key signs what (L730 "企业管理的相关接口，需要使用平台全局的 secretId 和 secretKey"):
//! `/v2/company…` takes the platform pair; everything else the company pair. The wrong pair for
//! a path (both are known accounts) is 22224 "权限不足" (HTTP 500) [fake-decision].

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::errors::{self, ApiError};
use super::{CloudroomSim, BASE};

/// `lowercase_hex(sha256(secretId + "&" + timestamp + "&" + secretKey))` (L31, L47-L49).
pub fn sign(secret_id: &str, timestamp: &str, secret_key: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{secret_id}&{timestamp}&{secret_key}").as_bytes(),
    ))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Which key a path needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Realm {
    Company,
    Platform,
}

fn realm(path: &str) -> Realm {
    let company = format!("{BASE}/v2/company");
    if path == company || path.starts_with(&format!("{company}/")) {
        Realm::Platform
    } else {
        Realm::Company
    }
}

/// The two endpoints with "访问限制：300次/min" (L420, L501).
pub(crate) fn rate_limited_endpoint(path: &str) -> bool {
    path == format!("{BASE}/v2/conference/list")
        || path == format!("{BASE}/v2/conference/history/list")
}

pub(crate) async fn check(State(sim): State<CloudroomSim>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/__sim/") {
        return next.run(req).await;
    }
    let request_id = header(req.headers(), "x-cr-requestid").map(str::to_owned);
    if let Err(err) = verify(&sim, &path, req.headers()) {
        return err.into_response();
    }
    sim.record_request_id(request_id);
    if let Some(resp) = sim.take_injected(&path) {
        return resp;
    }
    next.run(req).await
}

fn verify(sim: &CloudroomSim, path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    let secret_id = header(headers, "x-cr-secretid").ok_or(errors::NO_SECRET_ID)?;
    let ts_raw = header(headers, "x-cr-timestamp").ok_or(errors::NO_TIMESTAMP)?;
    let signature = header(headers, "x-cr-signature").ok_or(errors::NO_SIGNATURE)?;
    // A Long (L27): optional sign, decimal digits, fits in i64.
    let digits = ts_raw.strip_prefix('-').unwrap_or(ts_raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(errors::BAD_TIMESTAMP);
    }
    let ts: i64 = ts_raw.parse().map_err(|_| errors::BAD_TIMESTAMP)?;
    let (key, realm_of_key, options, now) = sim.read(|st| {
        let (key, r) = if secret_id == st.company.secret_id {
            (st.company.secret_key.clone(), Realm::Company)
        } else if secret_id == st.platform.secret_id {
            (st.platform.secret_key.clone(), Realm::Platform)
        } else {
            return Err(errors::NO_ACCOUNT);
        };
        Ok((key, r, st.options.clone(), st.now_s()))
    })?;
    if realm_of_key == Realm::Company && !options.api_enabled {
        return Err(errors::API_DISABLED);
    }
    if now.abs_diff(ts) > options.signature_window_secs.unsigned_abs() || sim.take_expire_fault() {
        return Err(errors::EXPIRED);
    }
    // Signed over the header exactly as sent (a leading zero or "+" would change it).
    let expected = sign(secret_id, ts_raw, &key);
    let sent = if options.lenient_signature_case {
        signature.to_ascii_lowercase()
    } else {
        signature.to_owned()
    };
    if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(errors::BAD_SIGNATURE);
    }
    sim.remember_signature(signature);
    if realm(path) != realm_of_key {
        return Err(errors::FORBIDDEN);
    }
    if rate_limited_endpoint(path) && !sim.count_list_call(secret_id, path, now) {
        return Err(errors::RATE_LIMITED);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's example (L43-L49), and the note's extra vectors (§2.3).
    #[test]
    fn the_documents_signature_example() {
        assert_eq!(
            sign(
                "6mioUaDlFdf3Bagt3s",
                "1622098479",
                "t02npiEZn82WqRl26Nfb0stD89bZkwTT"
            ),
            "edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f25"
        );
        assert_eq!(
            sign(
                "6mioUaDlFdf3Bagt3s",
                "1622098480",
                "t02npiEZn82WqRl26Nfb0stD89bZkwTT"
            ),
            "443e0e405fb37c9430cf3f6a3e967666cabec80a8a1b724991a6526f811d5349"
        );
        assert_eq!(
            sign(
                "LQrJzTFBsSTB90Stjr",
                "1622980800",
                "HxYxy7baX8jn7swVJaFdEx7HpMu0cRX6"
            ),
            "4f075b0bd41ceb30fd56b07cfd43a4bdda97eebdfbde8cebd74d57bdf297cda7"
        );
    }
}
