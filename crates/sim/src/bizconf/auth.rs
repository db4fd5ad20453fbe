//! The BizConf request token (doc L12, note §2), checked at the start of every handler.
//!
//! ```text
//! token = UPPERCASE_HEX(MD5("<identity>|<APIKey>|<timeStamp>"))
//! ```
//! `identity` is the `userId` value on every endpoint this sim serves (L12 "UserId"; 3.31-3.33
//! say only "token接口权限验证", L3559, L3679, L3874: userId assumed, note §2). The token is
//! "valid for one request only" (L12, L131).
//!
//! Order of the checks (the document gives none; this order never lets a request with a
//! wrong key burn a token): `token`, `timeStamp`, `siteSign` and the identity present (109) →
//! `siteSign` known and not expired (106) → `timeStamp` decimal milliseconds (109) → freshness
//! window (704) → token (102; lowercase hex is refused, L12 "MD5 加密（大写）") → single use
//! (704 by default, configurable).
//!
//! Assumptions (the document states none of these, note §2 and §6.4):
//! - Freshness: `timeStamp` must lie within ±[`super::BizconfOptions::token_window_secs`]
//!   (default 300 s) of the server clock, else 704 "Token过期". L134 only recommends "the
//!   current time in milliseconds"; note §2 "Freshness window: not documented".
//! - Replay: a token (that is, the same identity and `timeStamp`) accepted once is refused
//!   afterwards with [`super::BizconfOptions::replay_status`], 704 by default: the token was
//!   valid and has been used up, which "Token过期" describes better than 102's "check the APIKey
//!   or the token algorithm" (note §7.2 allows either). Remembered for the freshness window
//!   (older timestamps fail the window anyway), in memory only.

use std::collections::HashMap;

use md5::{Digest, Md5};

use super::errors::{self, ApiError};
use super::wire::Params;
use super::BizconfSim;

/// Bounds the remembered tokens; beyond it the oldest half is forgotten.
const MAX_SEEN: usize = 200_000;

/// `UPPERCASE_HEX(MD5("<identity>|<api_key>|<time_stamp>"))` (L12), UTF-8 input.
pub fn token(identity: &str, api_key: &str, time_stamp: &str) -> String {
    hex::encode_upper(Md5::digest(
        format!("{identity}|{api_key}|{time_stamp}").as_bytes(),
    ))
}

/// Accepted tokens with their `timeStamp` (ms), for the single-use rule.
#[derive(Default)]
pub(crate) struct SeenTokens {
    seen: HashMap<String, i64>,
}

impl SeenTokens {
    /// True if new (and now remembered); false if it was accepted before.
    fn insert(&mut self, token: &str, ts_ms: i64, now_ms: i64, window_ms: i64) -> bool {
        if self.seen.len() >= MAX_SEEN / 2 {
            self.seen.retain(|_, ts| (now_ms - *ts).abs() <= window_ms);
        }
        if self.seen.len() >= MAX_SEEN {
            let mut all: Vec<i64> = self.seen.values().copied().collect();
            all.sort_unstable();
            let cut = all[all.len() / 2];
            self.seen.retain(|_, ts| *ts > cut);
        }
        if self.seen.contains_key(token) {
            return false;
        }
        self.seen.insert(token.to_owned(), ts_ms);
        true
    }
}

/// Check the auth parameters of one request, with `identity_param` naming the identity
/// (always "userId" here). Consumes the token on success.
pub(crate) fn check(sim: &BizconfSim, p: &Params, identity_param: &str) -> Result<(), ApiError> {
    let (Some(token_sent), Some(ts_raw), Some(site_sign), Some(identity)) = (
        p.non_empty("token"),
        p.non_empty("timeStamp"),
        p.non_empty("siteSign"),
        p.non_empty(identity_param),
    ) else {
        return Err(errors::BAD_PARAM);
    };
    let (api_key, window_ms, replay, now_ms) = sim.read(|st| {
        if site_sign != st.site.site_sign || st.options.site_expired {
            return Err(errors::BAD_SITE);
        }
        Ok((
            st.site.api_key.clone(),
            st.options.token_window_secs.saturating_mul(1000),
            st.options.replay_status,
            st.now().timestamp_millis(),
        ))
    })?;
    if ts_raw.len() > 19 || !ts_raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(errors::BAD_PARAM);
    }
    let ts: i64 = ts_raw.parse().map_err(|_| errors::BAD_PARAM)?;
    if (now_ms - ts).abs() > window_ms || sim.take_expire_fault() {
        return Err(errors::TOKEN_EXPIRED);
    }
    let expected = token(identity, &api_key, ts_raw);
    if !constant_time_eq(token_sent.as_bytes(), expected.as_bytes()) {
        return Err(errors::BAD_TOKEN);
    }
    let fresh = crate::persist::lock(&sim.shared.seen).insert(&expected, ts, now_ms, window_ms);
    if !fresh {
        return Err(ApiError::code(replay));
    }
    sim.remember_token(&expected);
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

    /// Note §2, vectors T1-T5 ([computed] there with Python's hashlib).
    #[test]
    fn the_notes_token_vectors() {
        let cases = [
            (
                "101821841",
                "testApiKey123",
                "1637733600000",
                "39F8E668110D95BFD8D0B131BFD88DA3",
            ),
            (
                "101821841",
                "testApiKey123",
                "1637733600001",
                "629EB715016CC914055BF4E99196B61D",
            ),
            (
                "hw1",
                "0123456789abcdef0123456789abcdef",
                "1486803600000",
                "F5526FC6F38A501741E6EE2EEB44C0CD",
            ),
            (
                "1336450341",
                "testApiKey123",
                "1637733600000",
                "F635E64FF8A5DB68BA0FA48038CCF01A",
            ),
            (
                "张三",
                "testApiKey123",
                "1637733600000",
                "9D2627E569FFD7563F9B7073185605F4",
            ),
        ];
        for (identity, key, ts, expected) in cases {
            assert_eq!(token(identity, key, ts), expected, "{identity}");
        }
        // The negative vector: what a client that forgets to uppercase sends differs.
        assert_ne!(
            token("101821841", "testApiKey123", "1637733600000"),
            "39f8e668110d95bfd8d0b131bfd88da3"
        );
    }

    /// T1-T5 through the server's own check: each vector's token is accepted once with the
    /// sim clock at its timeStamp, refused the second time, and refused lowercased.
    #[test]
    fn the_check_accepts_the_notes_vectors_once() {
        let cases = [
            (
                "101821841",
                "testApiKey123",
                "1637733600000",
                "39F8E668110D95BFD8D0B131BFD88DA3",
            ),
            (
                "101821841",
                "testApiKey123",
                "1637733600001",
                "629EB715016CC914055BF4E99196B61D",
            ),
            (
                "hw1",
                "0123456789abcdef0123456789abcdef",
                "1486803600000",
                "F5526FC6F38A501741E6EE2EEB44C0CD",
            ),
            (
                "1336450341",
                "testApiKey123",
                "1637733600000",
                "F635E64FF8A5DB68BA0FA48038CCF01A",
            ),
            (
                "张三",
                "testApiKey123",
                "1637733600000",
                "9D2627E569FFD7563F9B7073185605F4",
            ),
        ];
        for (identity, key, ts, expected) in cases {
            let sim = BizconfSim::open(None).unwrap();
            let mut creds = sim.credentials();
            creds.api_key = key.to_owned();
            let site = creds.site_sign.clone();
            sim.set_credentials(creds);
            let at_ms: i64 = ts.parse().unwrap();
            sim.advance_clock(at_ms / 1000 - sim.now().timestamp());
            let params = |token: &str| {
                Params::from_pairs(&[
                    ("userId", identity),
                    ("token", token),
                    ("timeStamp", ts),
                    ("siteSign", &site),
                ])
            };
            assert_eq!(
                check(&sim, &params(&expected.to_lowercase()), "userId"),
                Err(errors::BAD_TOKEN),
                "{identity} lowercase"
            );
            assert_eq!(
                check(&sim, &params(expected), "userId"),
                Ok(()),
                "{identity}"
            );
            assert_eq!(
                check(&sim, &params(expected), "userId"),
                Err(errors::TOKEN_EXPIRED),
                "{identity} replayed"
            );
            assert_eq!(
                sim.accepted_tokens(),
                vec![expected.to_owned()],
                "only the accepted token is remembered"
            );
        }
    }

    #[test]
    fn a_token_is_accepted_once() {
        let mut seen = SeenTokens::default();
        assert!(seen.insert("A", 1_000, 1_000, 300_000));
        assert!(!seen.insert("A", 1_000, 2_000, 300_000));
        assert!(seen.insert("B", 1_001, 2_000, 300_000));
    }
}
