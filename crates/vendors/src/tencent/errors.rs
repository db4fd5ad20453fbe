//! Tencent Meeting error codes (`{"error_info":{"error_code","new_error_code","message"}}`,
//! note §3.10, doc 43704) mapped to what they mean for a person booking a meeting. The code is
//! keyed on `error_code`: the `new_error_code` prefixes are inconsistent (note §3.10 FLAG).

use huiyi_core::VendorErrorKind;

/// `X-TC-Timestamp` more than 5 minutes from the server's clock.
pub const CLOCK_SKEW: i64 = 190300;
/// The same (timestamp, nonce) seen within 5 minutes: a replay.
pub const REPLAYED_NONCE: i64 = 190301;

/// The kind for a documented code, if booking can meet it.
pub fn kind_for_code(code: i64) -> Option<VendorErrorKind> {
    use VendorErrorKind::*;
    let kind = match code {
        // Signing and credentials.
        CLOCK_SKEW => ClockSkew,
        // Refused before it took effect; the client already retried once with a fresh nonce.
        REPLAYED_NONCE => Unavailable,
        // 190303: unknown AppId / X-TC-Key / SdkId; 200003: "Signature failed" (wrong Secret
        // Key); 50000: the enterprise ID is invalid.
        190303 | 200003 | 50000 => BadCredentials,
        // 50001: the enterprise is unavailable.
        50001 => AccountLocked,
        // 190325: not allowed for this app; 190315: not the meeting's creator; 9042: no
        // permission; 9099-9102: no permission to enter / book / join / modify; 10005: app
        // version disabled.
        190325 | 190315 | 9042 | 9099..=9102 | 10005 => PermissionDenied,
        // Meeting does not exist.
        9003 => NotFound,
        // Create quota: at most 100 a day and 9 a minute. The client queues to stay under the
        // per-minute limit itself, so this is read as the daily cap.
        9008 => DailyLimitReached,
        // Querying meetings too frequently.
        9061 => RateLimited,
        // Concurrent-meeting limit, user-count cap.
        9098 | 156009 => ResourcesInsufficient,
        // A Rooms room is occupied in that time range (doc 43704).
        20006 => RoomOccupied,
        // An unregistered user among the invitees; a user that does not exist or is
        // unavailable.
        190001 | 20001 | 20003 => AttendeeInvalid,
        // Invalid parameter; bad user-management parameter; sensitive word in the subject.
        190004 | 10001 | 9093 | 9002 => InvalidRequest,
        // Internal errors.
        41 | 5108 | 10000 => Unavailable,
        _ => return None,
    };
    Some(kind)
}

/// What the HTTP status alone says (no envelope, or a code the table does not know). The
/// document uses 400 for request errors and 500 for service errors, including some that are
/// really "not found" (9003 -> 500), which is why the code wins when there is one.
pub fn kind_for_status(status: u16) -> VendorErrorKind {
    use VendorErrorKind::*;
    match status {
        401 => BadCredentials,
        403 => PermissionDenied,
        404 => NotFound,
        429 => RateLimited,
        400..=499 => InvalidRequest,
        500..=599 => Unavailable,
        _ => BadResponse,
    }
}

pub fn classify(status: u16, code: Option<i64>) -> VendorErrorKind {
    code.and_then(kind_for_code)
        .unwrap_or_else(|| kind_for_status(status))
}

/// Whether a failed answer may be sent again, freshly signed, without risk of doing twice what
/// the server did once: refusals that happen before the request is acted on.
pub fn refused_before_acting(code: Option<i64>) -> bool {
    matches!(code, Some(CLOCK_SKEW) | Some(REPLAYED_NONCE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use VendorErrorKind::*;

    #[test]
    fn signing_failures_each_have_their_own_meaning() {
        assert_eq!(classify(400, Some(190300)), ClockSkew);
        assert_eq!(classify(400, Some(190301)), Unavailable);
        assert_eq!(classify(400, Some(190303)), BadCredentials);
        assert_eq!(classify(400, Some(200003)), BadCredentials);
        assert_eq!(classify(400, Some(190325)), PermissionDenied);
        assert!(refused_before_acting(Some(190300)));
        assert!(refused_before_acting(Some(190301)));
        assert!(!refused_before_acting(Some(190303)));
        assert!(!refused_before_acting(None));
    }

    #[test]
    fn booking_errors_map_to_what_the_user_must_fix() {
        let cases = [
            (500, 9003, NotFound),
            (400, 9008, DailyLimitReached),
            (400, 9061, RateLimited),
            (500, 190315, PermissionDenied),
            (400, 9101, PermissionDenied),
            (500, 190001, AttendeeInvalid),
            (400, 190004, InvalidRequest),
            (400, 9093, InvalidRequest),
            (400, 9098, ResourcesInsufficient),
            (400, 20006, RoomOccupied),
            (400, 50000, BadCredentials),
            (500, 5108, Unavailable),
        ];
        for (status, code, kind) in cases {
            assert_eq!(classify(status, Some(code)), kind, "{code}");
        }
    }

    #[test]
    fn unknown_codes_and_bare_statuses_fall_back_to_the_status() {
        assert_eq!(classify(400, Some(123456789)), InvalidRequest);
        assert_eq!(classify(500, Some(123456789)), Unavailable);
        assert_eq!(classify(401, None), BadCredentials);
        assert_eq!(classify(403, None), PermissionDenied);
        assert_eq!(classify(404, None), NotFound);
        assert_eq!(classify(429, None), RateLimited);
        assert_eq!(classify(502, None), Unavailable);
        assert_eq!(classify(302, None), BadResponse);
    }
}
