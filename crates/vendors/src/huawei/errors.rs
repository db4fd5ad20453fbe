//! Huawei error codes (`{"error_code","error_msg"}`, document chapter 22, L27030-27629; note
//! §4.1-4.3) mapped to what they mean for a person booking a meeting.

use huiyi_core::VendorErrorKind;

/// Where a failure happened: a login call rejects *credentials*, any later call rejects a
/// *session*. The same bare 401 means different things in the two places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPhase {
    Login,
    Api,
}

/// Codes that say "this access token is no longer good": the client logs in again once and
/// repeats the call instead of showing them. USG.201000000 (401) and MMC.118000001 (400, note
/// the status) / MMC.118000000 (401) are the documented ones; USG.000000004 reads "Session timed
/// out. Log in again." and is treated the same way.
pub fn is_session_rejection(code: &str) -> bool {
    matches!(
        code,
        "USG.201000000" | "MMC.118000001" | "MMC.118000000" | "USG.000000004"
    )
}

/// The kind for a documented code, if this code is one booking can meet.
pub fn kind_for_code(code: &str) -> Option<VendorErrorKind> {
    use VendorErrorKind::*;
    let kind = match code {
        // §4.1 authentication and token.
        "MMC.118000001" | "MMC.118000000" | "USG.201000000" | "USG.000000004" | "MMC.111070111"
        | "USG.206010005" => SessionExpired,
        "USG.206010025" | "USG.206020000" | "USG.206030017" | "USG.206010000" | "USG.206010008"
        | "USG.206110009" | "USG.206010023" | "USG.206010028" => BadCredentials,
        "MMC.118000002" | "USG.206030015" | "USG.206010007" => AccountLocked,

        // §4.2 booking, edit, cancel.
        "MMC.111071013" => StartInPast,
        "MMC.111071014" => BeyondBookingWindow,
        "MMC.111071082" => DailyLimitReached,
        "MMC.111071059" | "MMC.111071060" | "MMC.111071066" | "MMC.115022000" | "MMC.115022001"
        | "MMC.115022003" | "MMC.115023001" => ResourcesInsufficient,
        "MMC.111071065" | "MMC.111071067" | "MMC.111072003" => MeetingStarted,
        "MMC.111070005" | "MMC.111071072" | "MMC.111072006" | "MMC.111070006" => NotFound,
        "MMC.111070002" | "MMC.111070010" | "MMC.111071063" => PermissionDenied,
        "MMC.111070001" | "MMC.111071010" | "MMC.111071061" | "MMC.111071062" | "MMC.111072057"
        | "MMC.111080001" | "MMC.111073001" | "MMC.111073003" => InvalidRequest,
        // "Meeting creation failed; retry later."
        "MMC.111071003" => Unavailable,

        // Recurring conferences (chapter 22, L27066-27097; note §4.2): a rule or request
        // Huiyi should have refused before sending, so the request is at fault.
        "MMC.111071016" // CONF_PARAMS_NULL_EXCEPTION: no sub-meeting IDs to cancel
        | "MMC.111071020" // CONF_CYCLE_PARAMS_NULL_EXCEPTION
        | "MMC.111071041" // CONF_CYCLE_PARAMS_STARTDATE_NULL
        | "MMC.111071042" // CONF_CYCLE_PARAMS_ENDDATE_NULL
        | "MMC.111071043" // CONF_CYCLE_PARAMS_CYCLE_ILLEGAL
        | "MMC.111071044" // CONF_CYCLE_PARAMS_INTERVAL_NOT_IN_RANGE
        | "MMC.111071045" // CONF_CYCLE_PARAMS_POINT_NULL_EXCEPTION
        | "MMC.111071046" // CONF_CYCLE_PARAMS_POINT_NOT_IN_RANGE
        | "MMC.111071070" // SUB_CYCONF_CANNOT_MODIFY_LIVE_ROOM
        | "MMC.111071119" // SUB_CYCONF_MODIFY_TIME_OVER_RANGE
        | "MMC.111071069" // CONF_NOCONF_IN_SELECTED_TIME
        => InvalidRequest,
        // 500s: scheduling / modifying / creating the recurring meeting failed (L27503-27505).
        "MMC.111070117" | "MMC.111070118" | "MMC.111070119" => Unavailable,

        // §4.3 attendee validation.
        "MMC.111071024" | "MMC.111071025" | "MMC.111071026" | "MMC.111072031" | "MMC.111072032"
        | "MMC.111072033" | "MMC.111072034" | "MMC.111072035" | "MMC.111072038"
        | "MMC.111072039" | "MMC.111072046" | "MMC.111072047" => AttendeeInvalid,

        // Server-side failures (500/503 in chapter 22).
        "MMC.111070003" | "MMC.111071001" | "MMC.111071008" | "MMC.111071068" | "MMC.111072011"
        | "MMC.111073006" | "MMC.115029004" | "MMC.115029999" | "USG.000000001"
        | "USG.000000002" | "USG.000000010" | "USG.000000008" => Unavailable,
        _ => return None,
    };
    Some(kind)
}

/// What an HTTP status alone says, for codes the table does not know (gateway `APIGW.*`
/// errors, new codes) and for answers without an error body.
pub fn kind_for_status(status: u16, phase: CallPhase) -> VendorErrorKind {
    use VendorErrorKind::*;
    match status {
        401 if phase == CallPhase::Login => BadCredentials,
        401 => SessionExpired,
        403 => PermissionDenied,
        404 => NotFound,
        // The auth endpoints document 412 (account disabled) and 423 (account locked).
        412 | 423 => AccountLocked,
        429 => RateLimited,
        400..=499 => InvalidRequest,
        500..=599 => Unavailable,
        _ => BadResponse,
    }
}

/// The kind for a failed answer: the code when it is documented, else the status.
pub fn classify(status: u16, code: Option<&str>, phase: CallPhase) -> VendorErrorKind {
    code.and_then(kind_for_code)
        .unwrap_or_else(|| kind_for_status(status, phase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use VendorErrorKind::*;

    #[test]
    fn booking_errors_map_to_what_the_user_must_fix() {
        let cases = [
            ("MMC.111071013", StartInPast),
            ("MMC.111071014", BeyondBookingWindow),
            ("MMC.111071082", DailyLimitReached),
            ("MMC.111071065", MeetingStarted),
            ("MMC.111071067", MeetingStarted),
            ("MMC.111070005", NotFound),
            ("MMC.111071072", NotFound),
            ("MMC.111070002", PermissionDenied),
            ("MMC.111070010", PermissionDenied),
            ("MMC.111071063", PermissionDenied),
            ("MMC.111071060", ResourcesInsufficient),
            ("MMC.115022000", ResourcesInsufficient),
            ("MMC.115022001", ResourcesInsufficient),
            ("MMC.115022003", ResourcesInsufficient),
            ("MMC.111071066", ResourcesInsufficient),
            ("MMC.111071059", ResourcesInsufficient),
            ("MMC.111071024", AttendeeInvalid),
            ("MMC.111071025", AttendeeInvalid),
            ("MMC.111071026", AttendeeInvalid),
            ("MMC.111072031", AttendeeInvalid),
            ("MMC.111072034", AttendeeInvalid),
            ("MMC.111072035", AttendeeInvalid),
            ("MMC.111071061", InvalidRequest),
            ("MMC.111071062", InvalidRequest),
            ("MMC.111070001", InvalidRequest),
            ("MMC.111071010", InvalidRequest),
            ("MMC.111071003", Unavailable),
            ("MMC.111070003", Unavailable),
            ("USG.000000001", Unavailable),
            ("USG.000000008", Unavailable),
        ];
        for (code, kind) in cases {
            assert_eq!(classify(400, Some(code), CallPhase::Api), kind, "{code}");
        }
    }

    #[test]
    fn recurring_errors_are_request_faults_or_server_failures() {
        for code in [
            "MMC.111071016",
            "MMC.111071020",
            "MMC.111071041",
            "MMC.111071042",
            "MMC.111071043",
            "MMC.111071044",
            "MMC.111071045",
            "MMC.111071046",
            "MMC.111071070",
            "MMC.111071119",
            "MMC.111071069",
        ] {
            assert_eq!(kind_for_code(code), Some(InvalidRequest), "{code}");
        }
        for code in ["MMC.111070117", "MMC.111070118", "MMC.111070119"] {
            assert_eq!(
                classify(500, Some(code), CallPhase::Api),
                Unavailable,
                "{code}"
            );
        }
    }

    #[test]
    fn login_failures_are_credential_or_lock_problems() {
        for code in [
            "USG.206010025",
            "USG.206020000",
            "USG.206030017",
            "USG.206010000",
            "USG.206010008",
            "USG.206110009",
        ] {
            assert_eq!(
                classify(401, Some(code), CallPhase::Login),
                BadCredentials,
                "{code}"
            );
        }
        for code in ["USG.206030015", "MMC.118000002", "USG.206010007"] {
            assert_eq!(
                classify(423, Some(code), CallPhase::Login),
                AccountLocked,
                "{code}"
            );
        }
        // Status-only answers from the auth endpoints (L551-560).
        assert_eq!(classify(412, None, CallPhase::Login), AccountLocked);
        assert_eq!(classify(423, None, CallPhase::Login), AccountLocked);
        assert_eq!(classify(401, None, CallPhase::Login), BadCredentials);
    }

    #[test]
    fn token_rejections_trigger_a_new_login_and_otherwise_read_as_expired_sessions() {
        for code in ["USG.201000000", "MMC.118000001", "MMC.118000000"] {
            assert!(is_session_rejection(code), "{code}");
            assert_eq!(classify(400, Some(code), CallPhase::Api), SessionExpired);
        }
        assert!(!is_session_rejection("USG.206010025"));
        assert!(!is_session_rejection("MMC.111071013"));
        assert_eq!(
            classify(400, Some("MMC.111070111"), CallPhase::Api),
            SessionExpired
        );
    }

    #[test]
    fn unknown_codes_fall_back_to_the_http_status() {
        assert_eq!(
            classify(401, Some("APIGW.0301"), CallPhase::Api),
            SessionExpired
        );
        assert_eq!(classify(403, None, CallPhase::Api), PermissionDenied);
        assert_eq!(classify(404, None, CallPhase::Api), NotFound);
        assert_eq!(
            classify(429, Some("APIGW.0308"), CallPhase::Api),
            RateLimited
        );
        assert_eq!(
            classify(400, Some("MMC.999999999"), CallPhase::Api),
            InvalidRequest
        );
        assert_eq!(classify(500, None, CallPhase::Api), Unavailable);
        assert_eq!(classify(503, None, CallPhase::Api), Unavailable);
        assert_eq!(classify(302, None, CallPhase::Api), BadResponse);
    }
}
