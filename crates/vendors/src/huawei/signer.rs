//! Pure functions that build Huawei's login `Authorization` headers (note §2.1, §2.2; document
//! L526-533, L598-600, L728, FAQ 24.3 L28018-28026). No I/O and no clock, so every vector of the
//! vendor note can be checked byte for byte.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rand::distr::Alphanumeric;
use rand::RngExt as _;
use sha2::Sha256;

/// The string App ID authentication signs: `appId:userId:expireTime:nonce`. An absent user id
/// (log in as the enterprise default administrator) keeps both colons, `appId::expireTime:nonce`,
/// as the FAQ insists (L28018-28026).
pub fn string_to_sign(app_id: &str, user_id: &str, expire_time: u64, nonce: &str) -> String {
    format!("{app_id}:{user_id}:{expire_time}:{nonce}")
}

/// Lower-case hex HMAC-SHA256 of [`string_to_sign`] keyed with the App Key (L529).
pub fn app_signature(
    app_id: &str,
    user_id: &str,
    expire_time: u64,
    nonce: &str,
    app_key: &str,
) -> String {
    // HMAC accepts keys of any length, so this cannot fail; the fallback only keeps the
    // function total without a panic path.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(app_key.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign(app_id, user_id, expire_time, nonce).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `HMAC-SHA256 signature=<hex>,access=<base64(appId)>`: one space after the scheme, a comma
/// without a space between the pairs, values unquoted (L598-600).
pub fn app_auth_header(
    app_id: &str,
    user_id: &str,
    expire_time: u64,
    nonce: &str,
    app_key: &str,
) -> String {
    let signature = app_signature(app_id, user_id, expire_time, nonce, app_key);
    format!(
        "HMAC-SHA256 signature={signature},access={}",
        STANDARD.encode(app_id.as_bytes())
    )
}

/// `Basic base64(account:password)` for account/password authentication (L728, L830).
pub fn basic_auth_header(account: &str, password: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{account}:{password}").as_bytes())
    )
}

/// A fresh nonce for App ID authentication: the document wants 32-64 characters (L543); 48
/// random alphanumerics sit safely inside that range.
pub fn new_nonce() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(48)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_ID: &str = "fdb8e4699586458bbd10c834872dcc62";
    const USER: &str = "testuser@mycorp.com";
    const NONCE: &str = "EyclQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv162d42d92s";
    const KEY: &str = "123asdkfieijfaidsjfanadifjadifjifsdghajusdiwewea123344o4adfdkfo";

    #[test]
    fn the_access_part_is_the_documented_base64_of_the_app_id() {
        // Document L599.
        let h = app_auth_header(APP_ID, USER, 1627722929, NONCE, KEY);
        assert!(
            h.ends_with(",access=ZmRiOGU0Njk5NTg2NDU4YmJkMTBjODM0ODcyZGNjNjI="),
            "{h}"
        );
    }

    #[test]
    fn computed_vector_1_full_header() {
        assert_eq!(
            string_to_sign(APP_ID, USER, 1627722929, NONCE),
            "fdb8e4699586458bbd10c834872dcc62:testuser@mycorp.com:1627722929:EyclQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv162d42d92s"
        );
        assert_eq!(
            app_auth_header(APP_ID, USER, 1627722929, NONCE, KEY),
            "HMAC-SHA256 signature=ff6e65a69dcbd4dac1c1dcd9ace80154ce186f799f83bbf7bbf1272f7f40449a,access=ZmRiOGU0Njk5NTg2NDU4YmJkMTBjODM0ODcyZGNjNjI="
        );
    }

    #[test]
    fn computed_vector_2_empty_user_keeps_both_colons() {
        assert_eq!(
            string_to_sign(APP_ID, "", 1627722929, NONCE),
            "fdb8e4699586458bbd10c834872dcc62::1627722929:EyclQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv162d42d92s"
        );
        assert_eq!(
            app_signature(APP_ID, "", 1627722929, NONCE, KEY),
            "5b3131e83dcf781a52d5a36a3cd67c986d712d638b210839c5d465853fc9e071"
        );
    }

    #[test]
    fn computed_vector_3_expire_time_zero() {
        assert_eq!(
            app_signature(APP_ID, USER, 0, NONCE, KEY),
            "fcda236515ab5f8662d670f6b8460c11ed68812b2612d4b17e1321371e7b0e16"
        );
    }

    #[test]
    fn computed_vector_4_minimal() {
        assert_eq!(
            app_auth_header("app123", "alice", 1700000000, "0123456789abcdef0123456789abcdef", "secretKey"),
            "HMAC-SHA256 signature=93beb2d8e5af42b9fbb7b5b2bc5954b471437a0ba9144be01494370e00caf87b,access=YXBwMTIz"
        );
    }

    #[test]
    fn basic_vectors_from_the_document_and_the_note() {
        assert_eq!(basic_auth_header("test", "test"), "Basic dGVzdDp0ZXN0"); // L830
        assert_eq!(basic_auth_header("user01", "123"), "Basic dXNlcjAxOjEyMw=="); // L27919-27921
        assert_eq!(
            basic_auth_header("zhangsan@huawei.com", "Abcd@1234"),
            "Basic emhhbmdzYW5AaHVhd2VpLmNvbTpBYmNkQDEyMzQ="
        ); // note §2.5 vector 5
    }

    #[test]
    fn a_different_key_gives_a_different_signature() {
        assert_ne!(
            app_signature(APP_ID, USER, 1627722929, NONCE, KEY),
            app_signature(APP_ID, USER, 1627722929, NONCE, "another-key")
        );
    }

    #[test]
    fn nonces_are_long_enough_alphanumeric_and_fresh() {
        let a = new_nonce();
        let b = new_nonce();
        assert!((32..=64).contains(&a.len()));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
