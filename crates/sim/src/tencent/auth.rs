//! Enterprise self-built app signing (the "JWT" / AK/SK scheme, note §2), checked on every
//! vendor request before the handler runs.
//!
//! ```text
//! stringToSign = METHOD "\n" "X-TC-Key=" id "&X-TC-Nonce=" nonce "&X-TC-Timestamp=" ts "\n" URI "\n" body
//! X-TC-Signature = Base64(lowercase hex(HMAC-SHA256(secret_key, stringToSign)))
//! ```
//!
//! Order of the checks (the note gives none; this order never lets an unsigned request burn a
//! nonce): headers present → 5-minute window (190300) → AppId / X-TC-Key / SdkId (190303) →
//! signature (200003) → replay (190301).

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::errors::{self, ApiError};
use super::TencentSim;

/// ±5 minutes (190300, [doc 43704]); the same window for the replay memory (190301).
pub(crate) const WINDOW_SECS: i64 = 300;
/// Bounds the request body read for signing.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Bounds the remembered (timestamp, nonce) pairs; the oldest are forgotten beyond this.
const MAX_NONCES: usize = 200_000;

/// Remembered (timestamp, nonce) pairs of accepted requests, with the timestamp for pruning.
#[derive(Default)]
pub(crate) struct NonceCache {
    seen: HashMap<String, i64>,
}

impl NonceCache {
    /// True if new (and now remembered); false for a replay within the window.
    fn insert(&mut self, timestamp: i64, nonce: &str, now: i64) -> bool {
        if self.seen.len() >= MAX_NONCES / 2 {
            self.seen.retain(|_, ts| (now - *ts).abs() <= WINDOW_SECS);
        }
        if self.seen.len() >= MAX_NONCES {
            // Still full of in-window entries: forget the oldest half.
            let mut all: Vec<i64> = self.seen.values().copied().collect();
            all.sort_unstable();
            let cut = all[all.len() / 2];
            self.seen.retain(|_, ts| *ts > cut);
        }
        let key = format!("{timestamp}:{nonce}");
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key, timestamp);
        true
    }
}

/// The signature a client must send, per note §2.2.
pub fn sign(
    secret_id: &str,
    secret_key: &str,
    method: &str,
    nonce: &str,
    timestamp: &str,
    uri: &str,
    body: &[u8],
) -> String {
    B64.encode(hex_hmac(
        secret_id, secret_key, method, nonce, timestamp, uri, body,
    ))
}

fn hex_hmac(
    secret_id: &str,
    secret_key: &str,
    method: &str,
    nonce: &str,
    timestamp: &str,
    uri: &str,
    body: &[u8],
) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this arm cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(
        format!(
            "{method}\nX-TC-Key={secret_id}&X-TC-Nonce={nonce}&X-TC-Timestamp={timestamp}\n{uri}\n"
        )
        .as_bytes(),
    );
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Middleware: verify the signature of every request outside `/__sim/`.
pub(crate) async fn check(State(sim): State<TencentSim>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/__sim/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return errors::BAD_PARAM
            .with_msg("request body too large")
            .into_response();
    };
    // Sign exactly the request-target received (note §2.2 rule 3: the server evidently checks
    // the received string, since the Go SDK sorts the query and the Python SDK does not).
    let uri = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| parts.uri.path().to_owned());
    if let Err(err) = verify(&sim, parts.method.as_str(), &uri, &parts.headers, &bytes) {
        return err.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn verify(
    sim: &TencentSim,
    method: &str,
    uri: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(), ApiError> {
    let key = header(headers, "x-tc-key").filter(|s| !s.is_empty());
    let app_id = header(headers, "appid").filter(|s| !s.is_empty());
    let (Some(key), Some(app_id)) = (key, app_id) else {
        return Err(errors::BAD_KEY);
    };
    let timestamp_raw = header(headers, "x-tc-timestamp").unwrap_or("");
    // "random positive integer as a decimal string" (§2.1); the SDKs send ~19 digits (u64).
    let nonce = header(headers, "x-tc-nonce")
        .filter(|n| !n.is_empty() && n.len() <= 32 && n.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| errors::BAD_SIGNATURE.with_msg("X-TC-Nonce missing or not a number"))?;
    let signature = header(headers, "x-tc-signature")
        .filter(|s| !s.is_empty())
        .ok_or(errors::BAD_SIGNATURE)?;
    // Unix seconds as a decimal string (String since 2.3.5, [seed L546-L557]).
    let timestamp: i64 = timestamp_raw
        .parse()
        .map_err(|_| errors::CLOCK_SKEW.with_msg("X-TC-Timestamp missing or not Unix seconds"))?;
    let expected = sim.read(|st| {
        let now = st.now().timestamp();
        if (now - timestamp).abs() > WINDOW_SECS {
            return Err(errors::CLOCK_SKEW);
        }
        let e = &st.enterprise;
        // SdkId: must be the assigned one; when none is assigned it must be absent or empty
        // (the Python SDK sends `SdkId: ` then, note "Observed in the official Python SDK").
        let sdk_ok = match header(headers, "sdkid").filter(|s| !s.is_empty()) {
            Some(sent) => sent == e.sdk_id,
            None => e.sdk_id.is_empty(),
        };
        if key != e.secret_id || app_id != e.app_id || !sdk_ok {
            return Err(errors::BAD_KEY);
        }
        Ok(hex_hmac(
            key,
            &e.secret_key,
            method,
            nonce,
            timestamp_raw,
            uri,
            body,
        ))
    })?;
    // Base64 of the hex: compare the decoded hex in constant time. Tolerant of upper-case hex
    // (the FAQ only says "hex string", [doc 43551]).
    let sent = B64
        .decode(signature.as_bytes())
        .ok()
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_default();
    if !constant_time_eq(&sent, expected.as_bytes()) {
        return Err(errors::BAD_SIGNATURE);
    }
    let fresh = {
        let now = sim.now().timestamp();
        let mut cache = crate::persist::lock(&sim.shared.nonces);
        cache.insert(timestamp, nonce, now)
    };
    if !fresh {
        return Err(errors::REPLAY);
    }
    sim.remember_signature(signature);
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

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    /// Note §2.3, COMPUTED vectors V1-V4 (hex HMAC and X-TC-Signature).
    #[test]
    fn computed_vectors_from_the_note() {
        let cases: [(&str, &str, &str, &str, &str, &str, &str); 4] = [
            (
                "GET",
                "1234567",
                "1572168600",
                "/v1/meetings/7567173273889276131?userid=tester1&instanceid=1",
                "",
                "ec5e4748fad538a2342bf452f69b774d547990102dddfd6f63b8f571fd1f1ded",
                "ZWM1ZTQ3NDhmYWQ1MzhhMjM0MmJmNDUyZjY5Yjc3NGQ1NDc5OTAxMDJkZGRmZDZmNjNiOGY1NzFmZDFmMWRlZA==",
            ),
            (
                "POST",
                "1234567",
                "1572168600",
                "/v1/meetings",
                r#"{"userid":"tester1","instanceid":1,"subject":"tester's meeting","type":0,"start_time":"1572168600","end_time":"1572172200"}"#,
                "dc1fa69676a4c150bee2c6da19da8104650ae4f64d4855c463a31cf0417473c5",
                "ZGMxZmE2OTY3NmE0YzE1MGJlZTJjNmRhMTlkYTgxMDQ2NTBhZTRmNjRkNDg1NWM0NjNhMzFjZjA0MTc0NzNjNQ==",
            ),
            (
                "POST",
                "1698765432123456789",
                "1698765432",
                "/v1/meetings/7567173273889276131/cancel",
                r#"{"userid":"tester1","instanceid":1,"reason_code":1,"meeting_type":1,"sub_meeting_id":"1698800000"}"#,
                "3a9230bf4ccb98d0cc14ea2c54c85d096b96de52ca3d423174d6ee416ed3be2f",
                "M2E5MjMwYmY0Y2NiOThkMGNjMTRlYTJjNTRjODVkMDk2Yjk2ZGU1MmNhM2Q0MjMxNzRkNmVlNDE2ZWQzYmUyZg==",
            ),
            (
                "PUT",
                "42",
                "1700000000",
                "/v1/meetings/7567173273889276131",
                r#"{"userid":"tester1","instanceid":1,"subject":"周会"}"#,
                "dab2a62da63e068fb8c19ad437c92c8447b09ace5dc1bdc0818308340db383e7",
                "ZGFiMmE2MmRhNjNlMDY4ZmI4YzE5YWQ0MzdjOTJjODQ0N2IwOWFjZTVkYzFiZGMwODE4MzA4MzQwZGIzODNlNw==",
            ),
        ];
        for (method, nonce, ts, uri, body, hex, sig) in cases {
            assert_eq!(
                hex_hmac(ID, KEY, method, nonce, ts, uri, body.as_bytes()),
                hex,
                "{uri}"
            );
            let got = sign(ID, KEY, method, nonce, ts, uri, body.as_bytes());
            assert_eq!(got, sig, "{uri}");
            assert_eq!(got.len(), 88);
            assert!(got.ends_with("=="));
        }
    }

    #[test]
    fn replay_memory() {
        let mut c = NonceCache::default();
        assert!(c.insert(1000, "1", 1000));
        assert!(!c.insert(1000, "1", 1001));
        assert!(c.insert(1001, "1", 1001), "same nonce, other timestamp");
    }
}
