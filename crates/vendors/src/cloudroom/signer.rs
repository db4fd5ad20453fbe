//! Pure signing for the CloudRoom (云屋) meeting Web API (doc L20-49, note §2). No I/O and no
//! clock: the caller passes the timestamp and the request id, so the document's worked example
//! (L43-49) is checked byte for byte.
//!
//! The signature is a plain SHA-256 (not an HMAC) over `secretId&timestamp&secretKey` (L28) and
//! covers nothing else: not the method, path, body or request id (note §2.2).

use sha2::{Digest, Sha256};

/// The four headers of doc L24-29, sent on every request (L33: "统一放到 HTTP Header").
pub const HEADER_SECRET_ID: &str = "x-cr-secretid";
pub const HEADER_TIMESTAMP: &str = "x-cr-timestamp";
pub const HEADER_SIGNATURE: &str = "x-cr-signature";
pub const HEADER_REQUEST_ID: &str = "x-cr-requestid";

/// `X-CR-Signature` = lower-case hex of `sha256(secretId + '&' + timestamp + '&' + secretKey)`
/// (L28; the Java sample's Guava `Hashing.sha256().hashString(…, UTF_8).toString()` is lower
/// case, L68-73, and so is the example value L49). `timestamp` must be exactly the decimal
/// string sent in `X-CR-Timestamp`.
pub fn signature(secret_id: &str, timestamp: &str, secret_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret_id.as_bytes());
    h.update(b"&");
    h.update(timestamp.as_bytes());
    h.update(b"&");
    h.update(secret_key.as_bytes());
    hex::encode(h.finalize())
}

/// The header values of one request.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub secret_id: String,
    /// Unix seconds, decimal, no leading zeros (L27: "单位为秒").
    pub timestamp: String,
    pub signature: String,
    /// L29: "每次请求API的ID，可用UUID".
    pub request_id: String,
}

impl std::fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The signature can be replayed for 5 minutes on any request (note §2.2).
        f.debug_struct("SignedHeaders")
            .field("secret_id", &self.secret_id)
            .field("timestamp", &self.timestamp)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// Signs one request made at `unix_secs` (a negative clock is signed as 0).
pub fn sign(secret_id: &str, secret_key: &str, unix_secs: i64, request_id: &str) -> SignedHeaders {
    let timestamp = unix_secs.max(0).to_string();
    SignedHeaders {
        secret_id: secret_id.to_string(),
        signature: signature(secret_id, &timestamp, secret_key),
        timestamp,
        request_id: request_id.to_string(),
    }
}

/// A fresh random (v4) UUID in its usual hyphenated lower-case form.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6mioUaDlFdf3Bagt3s";
    const KEY: &str = "t02npiEZn82WqRl26Nfb0stD89bZkwTT";

    #[test]
    fn the_documents_worked_example_signs_exactly() {
        // Doc L43-49.
        assert_eq!(
            signature(ID, "1622098479", KEY),
            "edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f25"
        );
        let h = sign(ID, KEY, 1_622_098_479, "r-1");
        assert_eq!(h.timestamp, "1622098479");
        assert_eq!(
            h.signature,
            "edda74671f313bc7c081bf6e11c8da9ebe73224e4aadba96f6ae2c6ba4550f25"
        );
        assert!(!format!("{h:?}").contains("edda7467"));
    }

    #[test]
    fn the_notes_extra_vectors_tell_seconds_separators_and_order_apart() {
        // Note §2.3 (computed there, not in the document).
        assert_eq!(
            signature(ID, "1622098480", KEY),
            "443e0e405fb37c9430cf3f6a3e967666cabec80a8a1b724991a6526f811d5349"
        );
        assert_eq!(
            signature(ID, "1622098479000", KEY),
            "a22c3562448858c502e3e6aca6fbe5bae6c2803219fd3e2ee6bec59b75bc9443"
        );
        assert_eq!(
            signature(KEY, "1622098479", ID),
            "3958691cd07be973357344b877827d10b68003f2473432345813c1daeed650ff"
        );
        assert_eq!(
            signature(
                "LQrJzTFBsSTB90Stjr",
                "1622980800",
                "HxYxy7baX8jn7swVJaFdEx7HpMu0cRX6"
            ),
            "4f075b0bd41ceb30fd56b07cfd43a4bdda97eebdfbde8cebd74d57bdf297cda7"
        );
    }

    #[test]
    fn request_ids_are_fresh_uuids() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(&a).is_ok());
        assert_eq!(a.len(), 36);
    }
}
