//! The BizConf request token (document L11-12, repeated at L2139, L2258, L2335, …; note §2):
//!
//! ```text
//! token = UPPERCASE_HEX( MD5( "<identity>|<APIKey>|<timeStamp>" ) )
//! ```
//!
//! `identity` is the request's `userId` value for every endpoint Huiyi calls (the document
//! writes `UserId`, meaning the value, note §6.3); `confNo` for 2.15/2.19/2.30 and
//! `confNumber` for 2.29, which Huiyi does not call. The API key is never sent, only the hash.
//! `timeStamp` is the same decimal milliseconds sent as the `timeStamp` field (L134).
//!
//! A token is valid for one request only ("仅一次请求有效，再次请求需重新生成", L12). The token is
//! a pure function of (identity, key, timeStamp), so every request needs a new timestamp:
//! [`Stamps`] hands out milliseconds that strictly increase per identity, even when many
//! requests are signed in the same millisecond from several tasks.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use md5::{Digest, Md5};

/// `"<identity>|<APIKey>|<timeStamp>"`: one ASCII `|` between the values, no spaces, no
/// encoding (the curly quotes of L12 only delimit the string).
pub fn string_to_sign(identity: &str, api_key: &str, timestamp_ms: i64) -> String {
    format!("{identity}|{api_key}|{timestamp_ms}")
}

/// 32 upper-case hex characters of the MD5 of [`string_to_sign`] over its UTF-8 bytes
/// ("MD5 加密（大写）", L12; UTF-8 for non-ASCII identities is an assumption, note §2 T5).
pub fn token(identity: &str, api_key: &str, timestamp_ms: i64) -> String {
    let digest = Md5::digest(string_to_sign(identity, api_key, timestamp_ms).as_bytes());
    hex::encode_upper(digest)
}

/// Identities remembered before old ones are forgotten (an entry older than a minute can no
/// longer collide with a new stamp unless the clock jumps back by more than that).
const MAX_IDENTITIES: usize = 1024;
const FORGET_AFTER_MS: i64 = 60_000;

/// Single-use timestamps: for each identity, `max(now_ms, last + 1)` under one lock, so no two
/// requests of an identity ever carry the same `timeStamp` (and hence the same token), whether
/// they are signed in the same millisecond, concurrently, or after the clock stepped back.
#[derive(Debug, Default)]
pub struct Stamps {
    last: Mutex<HashMap<String, i64>>,
}

impl Stamps {
    pub fn new() -> Stamps {
        Stamps::default()
    }

    /// The timestamp for the next request of `identity`, given the clock's `now_ms`.
    pub fn next(&self, identity: &str, now_ms: i64) -> i64 {
        // A poisoned lock only means another thread panicked mid-insert; the map is still a
        // map of valid stamps.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let stamp = match last.get(identity) {
            Some(prev) => now_ms.max(prev.saturating_add(1)),
            None => now_ms,
        };
        if last.len() >= MAX_IDENTITIES && !last.contains_key(identity) {
            let horizon = now_ms.saturating_sub(FORGET_AFTER_MS);
            last.retain(|_, t| *t > horizon);
        }
        last.insert(identity.to_string(), stamp);
        stamp
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Arc;

    const KEY: &str = "testApiKey123";

    /// Note §2, vectors T1-T5 (computed with Python's hashlib, cross-checked with md5sum).
    #[test]
    fn the_vectors_of_the_note() {
        let cases = [
            // T1: userId of L429, 2021-11-24 06:00:00 GMT.
            (
                "101821841",
                KEY,
                1637733600000,
                "39F8E668110D95BFD8D0B131BFD88DA3",
            ),
            // T2: the next request, one millisecond later.
            (
                "101821841",
                KEY,
                1637733600001,
                "629EB715016CC914055BF4E99196B61D",
            ),
            // T3: userId of L1313 with a 32-character key, 2017-02-11 09:00:00 GMT.
            (
                "hw1",
                "0123456789abcdef0123456789abcdef",
                1486803600000,
                "F5526FC6F38A501741E6EE2EEB44C0CD",
            ),
            // T4: a confNo / confNumber identity (2.15, 2.19, 2.29, 2.30).
            (
                "1336450341",
                KEY,
                1637733600000,
                "F635E64FF8A5DB68BA0FA48038CCF01A",
            ),
            // T5: a non-ASCII identity, UTF-8.
            (
                "张三",
                KEY,
                1637733600000,
                "9D2627E569FFD7563F9B7073185605F4",
            ),
        ];
        for (identity, key, ts, want) in cases {
            assert_eq!(token(identity, key, ts), want, "{identity} {ts}");
        }
        assert_eq!(
            string_to_sign("101821841", KEY, 1637733600000),
            "101821841|testApiKey123|1637733600000"
        );
    }

    #[test]
    fn tokens_are_upper_case_and_not_the_lower_case_form() {
        let t = token("101821841", KEY, 1637733600000);
        assert_ne!(t, "39f8e668110d95bfd8d0b131bfd88da3");
        assert_eq!(t.len(), 32);
        assert!(t
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)));
    }

    #[test]
    fn stamps_increase_within_one_millisecond_and_when_the_clock_steps_back() {
        let s = Stamps::new();
        assert_eq!(s.next("u1", 1_000), 1_000);
        assert_eq!(s.next("u1", 1_000), 1_001);
        assert_eq!(s.next("u1", 1_000), 1_002);
        // The clock stepped back: still after the last stamp.
        assert_eq!(s.next("u1", 500), 1_003);
        // The clock moved on past the stamps: the clock wins.
        assert_eq!(s.next("u1", 5_000), 5_000);
        // Another identity has its own sequence.
        assert_eq!(s.next("u2", 1_000), 1_000);
    }

    #[test]
    fn many_threads_signing_at_once_never_share_a_timestamp_or_a_token() {
        let stamps = Arc::new(Stamps::new());
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let stamps = stamps.clone();
                std::thread::spawn(move || {
                    (0..250)
                        .map(|_| {
                            // Every thread reads the same frozen clock.
                            let ts = stamps.next("101821841", 1637733600000);
                            (ts, token("101821841", KEY, ts))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let all: Vec<(i64, String)> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        assert_eq!(all.len(), 4000);
        let stamps: HashSet<i64> = all.iter().map(|(t, _)| *t).collect();
        let tokens: HashSet<&String> = all.iter().map(|(_, t)| t).collect();
        assert_eq!(stamps.len(), 4000);
        assert_eq!(tokens.len(), 4000);
        assert_eq!(stamps.iter().min(), Some(&1637733600000));
        assert_eq!(stamps.iter().max(), Some(&(1637733600000 + 3999)));
    }

    #[test]
    fn the_identity_table_stays_bounded() {
        let s = Stamps::new();
        for i in 0..(MAX_IDENTITIES * 3) {
            s.next(&format!("u{i}"), 1_000_000 + i as i64 * FORGET_AFTER_MS);
        }
        let len = s.last.lock().unwrap().len();
        assert!(len <= MAX_IDENTITIES, "{len}");
    }
}
