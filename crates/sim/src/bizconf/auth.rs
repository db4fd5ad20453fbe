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

use super::errors::{self, ApiError};
use super::wire::Params;
use super::BizconfSim;

/// Bounds the remembered tokens; beyond it the oldest half is forgotten.
const MAX_SEEN: usize = 200_000;

/// `UPPERCASE_HEX(MD5("<identity>|<api_key>|<time_stamp>"))` (L12), UTF-8 input.
pub fn token(identity: &str, api_key: &str, time_stamp: &str) -> String {
    hex::encode_upper(md5(format!("{identity}|{api_key}|{time_stamp}").as_bytes()))
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
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// MD5 (RFC 1321). Written here rather than pulling a crate in for one 64-line function;
/// checked against the RFC's test suite and the note's vectors below.
pub(crate) fn md5(input: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    // K[i] = floor(abs(sin(i + 1)) * 2^32).
    const K: [u32; 64] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391,
    ];
    let mut h: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    let mut msg = input.to_vec();
    let bit_len = (input.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_le_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut m = [0u32; 16];
        for (i, w) in chunk.chunks_exact(4).enumerate() {
            m[i] = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        }
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
    }
    let mut out = [0u8; 16];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_the_rfc_1321_test_suite() {
        let cases = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, digest) in cases {
            assert_eq!(hex::encode(md5(input.as_bytes())), digest, "{input:?}");
        }
        // Lengths at the padding boundary (56 and 64 bytes), digests from md5sum.
        assert_eq!(
            hex::encode(md5(&[b'a'; 56])),
            "3b0c8ac703f828b04c6c197006d17218"
        );
        assert_eq!(
            hex::encode(md5(&[b'a'; 64])),
            "014842d480b571495a4a0363793f7367"
        );
    }

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
