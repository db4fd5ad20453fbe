//! Pure signing for Tencent Meeting enterprise self-built apps (the "JWT" / AK-SK scheme, vendor
//! note §2; it is not RFC 7519 and not Tencent Cloud TC3). No I/O and no clock: the caller passes
//! the timestamp and nonce, so every vector of note §2.3 is checked byte for byte.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngExt as _;
use sha2::Sha256;

/// What the signature covers (note §2.2): the method, the three signed headers, the exact
/// request-target sent (path, `?` and query when there is one) and the exact body bytes.
#[derive(Debug, Clone, Copy)]
pub struct SignedParts<'a> {
    /// Upper-case `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'a str,
    /// `X-TC-Key`: the app's Secret ID.
    pub secret_id: &'a str,
    /// `X-TC-Nonce`, decimal.
    pub nonce: &'a str,
    /// `X-TC-Timestamp`, Unix seconds, decimal.
    pub timestamp: &'a str,
    /// `/v1/meetings/7567173273889276131?userid=tester1&instanceid=1`.
    pub request_uri: &'a str,
    /// The body exactly as sent; empty for GET.
    pub body: &'a [u8],
}

/// `METHOD\nX-TC-Key=…&X-TC-Nonce=…&X-TC-Timestamp=…\nURI\nBODY` (note §2.2, rules 1-4). Bytes,
/// because the body is signed as sent.
pub fn string_to_sign(p: &SignedParts<'_>) -> Vec<u8> {
    let mut s = format!(
        "{}\nX-TC-Key={}&X-TC-Nonce={}&X-TC-Timestamp={}\n{}\n",
        p.method, p.secret_id, p.nonce, p.timestamp, p.request_uri
    )
    .into_bytes();
    s.extend_from_slice(p.body);
    s
}

/// Lower-case hex of HMAC-SHA256(key = Secret Key, message = the string to sign).
pub fn hex_hmac(p: &SignedParts<'_>, secret_key: &str) -> String {
    // HMAC takes keys of any length, so this cannot fail; the fallback keeps it panic-free.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret_key.as_bytes()) else {
        return String::new();
    };
    mac.update(&string_to_sign(p));
    hex::encode(mac.finalize().into_bytes())
}

/// `X-TC-Signature`: Base64 (standard, padded) of the *hex string*, not of the raw digest
/// (every official SDK does this; note §2.2). Always 88 characters ending in `==`.
pub fn signature(p: &SignedParts<'_>, secret_key: &str) -> String {
    STANDARD.encode(hex_hmac(p, secret_key).as_bytes())
}

/// A fresh nonce as the SDKs make it: `unix_millis * 1_000_000 + rand(0..=999_999)`, a positive
/// integer of about 19 digits that fits in u64 (note §2.1).
pub fn new_nonce(unix_millis: u64) -> u64 {
    let r: u64 = rand::rng().random_range(0..=999_999);
    unix_millis
        .checked_mul(1_000_000)
        .and_then(|n| n.checked_add(r))
        // A clock this far off is broken anyway; any positive random number still works.
        .unwrap_or(r + 1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    fn parts<'a>(
        method: &'a str,
        nonce: &'a str,
        timestamp: &'a str,
        uri: &'a str,
        body: &'a str,
    ) -> SignedParts<'a> {
        SignedParts {
            method,
            secret_id: SECRET_ID,
            nonce,
            timestamp,
            request_uri: uri,
            body: body.as_bytes(),
        }
    }

    fn check(p: SignedParts<'_>, hex: &str, sig: &str) {
        assert_eq!(hex_hmac(&p, SECRET_KEY), hex);
        let s = signature(&p, SECRET_KEY);
        assert_eq!(s, sig);
        assert_eq!(s.len(), 88);
        assert!(s.ends_with("=="));
    }

    #[test]
    fn v1_get_with_a_query_and_no_body() {
        let p = parts(
            "GET",
            "1234567",
            "1572168600",
            "/v1/meetings/7567173273889276131?userid=tester1&instanceid=1",
            "",
        );
        assert_eq!(
            String::from_utf8(string_to_sign(&p)).unwrap(),
            "GET\nX-TC-Key=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&X-TC-Nonce=1234567&X-TC-Timestamp=1572168600\n/v1/meetings/7567173273889276131?userid=tester1&instanceid=1\n"
        );
        check(
            p,
            "ec5e4748fad538a2342bf452f69b774d547990102dddfd6f63b8f571fd1f1ded",
            "ZWM1ZTQ3NDhmYWQ1MzhhMjM0MmJmNDUyZjY5Yjc3NGQ1NDc5OTAxMDJkZGRmZDZmNjNiOGY1NzFmZDFmMWRlZA==",
        );
    }

    #[test]
    fn v2_post_create() {
        check(
            parts(
                "POST",
                "1234567",
                "1572168600",
                "/v1/meetings",
                r#"{"userid":"tester1","instanceid":1,"subject":"tester's meeting","type":0,"start_time":"1572168600","end_time":"1572172200"}"#,
            ),
            "dc1fa69676a4c150bee2c6da19da8104650ae4f64d4855c463a31cf0417473c5",
            "ZGMxZmE2OTY3NmE0YzE1MGJlZTJjNmRhMTlkYTgxMDQ2NTBhZTRmNjRkNDg1NWM0NjNhMzFjZjA0MTc0NzNjNQ==",
        );
    }

    #[test]
    fn v3_post_cancel_with_a_19_digit_nonce() {
        check(
            parts(
                "POST",
                "1698765432123456789",
                "1698765432",
                "/v1/meetings/7567173273889276131/cancel",
                r#"{"userid":"tester1","instanceid":1,"reason_code":1,"meeting_type":1,"sub_meeting_id":"1698800000"}"#,
            ),
            "3a9230bf4ccb98d0cc14ea2c54c85d096b96de52ca3d423174d6ee416ed3be2f",
            "M2E5MjMwYmY0Y2NiOThkMGNjMTRlYTJjNTRjODVkMDk2Yjk2ZGU1MmNhM2Q0MjMxNzRkNmVlNDE2ZWQzYmUyZg==",
        );
    }

    #[test]
    fn v4_put_with_a_utf8_subject() {
        check(
            parts(
                "PUT",
                "42",
                "1700000000",
                "/v1/meetings/7567173273889276131",
                r#"{"userid":"tester1","instanceid":1,"subject":"周会"}"#,
            ),
            "dab2a62da63e068fb8c19ad437c92c8447b09ace5dc1bdc0818308340db383e7",
            "ZGFiMmE2MmRhNjNlMDY4ZmI4YzE5YWQ0MzdjOTJjODQ0N2IwOWFjZTVkYzFiZGMwODE4MzA4MzQwZGIzODNlNw==",
        );
    }

    #[test]
    fn base64_of_the_raw_digest_is_not_the_signature() {
        // The community variant the note warns about must not be what we send.
        let p = parts("GET", "1234567", "1572168600", "/v1/meetings", "");
        let raw = hex::decode(hex_hmac(&p, SECRET_KEY)).unwrap();
        assert_ne!(signature(&p, SECRET_KEY), STANDARD.encode(raw));
    }

    #[test]
    fn every_signed_part_changes_the_signature() {
        let base = parts("GET", "1", "2", "/v1/meetings?userid=a", "");
        let sig = signature(&base, SECRET_KEY);
        let variants = [
            SignedParts {
                method: "POST",
                ..base
            },
            SignedParts { nonce: "3", ..base },
            SignedParts {
                timestamp: "3",
                ..base
            },
            SignedParts {
                request_uri: "/v1/meetings?userid=b",
                ..base
            },
            SignedParts {
                body: b"{}",
                ..base
            },
            SignedParts {
                secret_id: "other",
                ..base
            },
        ];
        for v in variants {
            assert_ne!(signature(&v, SECRET_KEY), sig, "{v:?}");
        }
        assert_ne!(signature(&base, "another key"), sig);
    }

    #[test]
    fn nonces_are_positive_sdk_shaped_and_fresh() {
        let ms = 1_698_765_432_123;
        let a = new_nonce(ms);
        let b = new_nonce(ms);
        assert!(a / 1_000_000 == ms && b / 1_000_000 == ms);
        assert_eq!(a.to_string().len(), 19);
        // One in a million to collide; two draws differing makes a constant generator fail.
        assert!(a != b || new_nonce(ms) != a);
        assert!(new_nonce(0) >= 1);
    }
}
