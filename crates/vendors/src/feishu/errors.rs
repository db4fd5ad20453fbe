//! Feishu codes (note §9, L449-510) mapped to what they mean for a person booking a meeting.
//! Business failures may arrive inside HTTP 200 (token endpoints, note L143-145) or with a
//! 4xx/5xx status whose number differs between pages for the same code (§12.12, L632-635), so
//! only `code` decides. The vendor's code, message and `X-Tt-Logid` travel in the error for
//! support.

use huiyi_core::{VendorErrorKind, VendorKind};

use super::wire::Status;
use crate::error::{truncate_detail, VendorError};
use crate::http::HttpResponse;

pub const OK: i64 = 0;
/// request trigger frequency limit (note L502-506).
pub const RATE_LIMITED: i64 = 99991400;
/// Tenant token expired or unknown, or a U-only API called with a tenant token (L485-486).
pub const TENANT_TOKEN_INVALID: i64 = 99991663;
/// App token invalid (L487).
pub const APP_TOKEN_INVALID: i64 = 99991664;
/// User token invalid, or a user token on a T-only API (L487-488).
pub const USER_TOKEN_INVALID: i64 = 99991668;
/// "Invalid token: must start with t-/u-" (L489).
pub const TOKEN_FORMAT: i64 = 99991671;
/// User token expired (L491-492).
pub const USER_TOKEN_EXPIRED: i64 = 99991677;
/// Nothing found (reserve/meeting id; also what get_active_meeting is assumed to answer when
/// no meeting is live, §12.10, L626-627).
pub const DATA_NOT_EXIST: i64 = 121004;

/// Codes after which the tenant token is fetched again and the call repeated once
/// ([GO:core/httptransport.go], note L139-142).
pub fn tenant_token_stale(code: i64) -> bool {
    matches!(
        code,
        TENANT_TOKEN_INVALID | APP_TOKEN_INVALID | TOKEN_FORMAT
    )
}

/// Codes after which the user token is refreshed and the call repeated once.
pub fn user_token_stale(code: i64) -> bool {
    matches!(code, USER_TOKEN_INVALID | USER_TOKEN_EXPIRED | TOKEN_FORMAT)
}

/// OAuth refusals after which the stored user tokens are useless and the user must authorize
/// again (note L173-177, L653-656).
pub fn needs_reauthorization(code: i64) -> bool {
    matches!(
        code,
        20003 | 20004 | 20026 | 20037 | 20049 | 20064 | 20065 | 20073 | 20074 | 99991669
    )
}

/// The kind for a documented code; `None` for 0 and for codes no source lists.
pub fn kind_for_code(code: i64) -> Option<VendorErrorKind> {
    use VendorErrorKind::*;
    Some(match code {
        // ---- VC (note §9 table, L462-483) ----
        // 121001 internal error (HTTP 500): the server failed; reads may be repeated.
        121001 => Unavailable,
        // 121002 not support: e.g. a 1v1 call to a non-PSTN callee (L253, L669-670).
        121002 => Unsupported,
        // 121003 param error: a bad value or range (end_time beyond 30 days, tenant token
        // without owner_id, list_by_no range > 90 days; L253, L662-666).
        121003 => InvalidRequest,
        // 121004 data not exist: unknown or deleted reserve/meeting id (L268, L678).
        DATA_NOT_EXIST => NotFound,
        // 121005 no permission: wrong token type, operator, or not the owner (L469).
        121005 => PermissionDenied,
        // 121006 data conflict: set_host's compare-and-swap lost (L355-357); read again.
        121006 => InvalidRequest,
        // 122001 meeting status unexpected: the meeting is not in progress (invite/end/...).
        122001 => InvalidRequest,
        // 122002 meeting not exist.
        122002 => NotFound,
        // 122003 operator user not in meeting: the user token's user must be in it (L334).
        122003 => PermissionDenied,
        // 122004 target user not in meeting (set_host, kickout).
        122004 => AttendeeInvalid,
        // 122005 cannot operate self.
        122005 => InvalidRequest,
        // 122006 participant count reach limit: the meeting is full.
        122006 => ResourcesInsufficient,
        // 122007 callee is busy.
        122007 => AttendeeInvalid,
        // 122008 meeting is locked: nobody may be invited.
        122008 => PermissionDenied,
        // 122009 participant status not expected.
        122009 => AttendeeInvalid,
        // 123002 record param error: a 1v1 call cannot auto-record (L254).
        123002 => InvalidRequest,
        // 123003 assign host exceeds max limit 10 (L211).
        123003 => InvalidRequest,
        // 123004 assign host error: a malformed host id.
        123004 => AttendeeInvalid,
        // 123006 invalid password: not "" and not 4-9 digits (L212).
        123006 => InvalidRequest,
        // ---- platform (L484-494) ----
        // 99991400 request trigger frequency limit (L505); waited for and retried first.
        RATE_LIMITED => RateLimited,
        // 99991661 Need a token: no Authorization header; the credentials never produced one.
        99991661 => BadCredentials,
        // 99991663 / 99991664: tenant or app token invalid, still so after one renewal.
        TENANT_TOKEN_INVALID | APP_TOKEN_INVALID => SessionExpired,
        // 99991665 invalid tenant code.
        99991665 => BadCredentials,
        // 99991668 user token invalid (or sent to a tenant-only API), after one refresh.
        USER_TOKEN_INVALID => UserAuthorizationNeeded,
        // 99991669 invalid user refresh token: authorize again.
        99991669 => UserAuthorizationNeeded,
        // 99991671 token format: must start with t-/u- (a bad token reached the header).
        TOKEN_FORMAT => BadCredentials,
        // 99991672 the app lacks a scope (turn it on in the developer console).
        99991672 => PermissionDenied,
        // 99991673 unauthorized app (not installed / disabled in the tenant).
        99991673 => AccountLocked,
        // 99991676 token has no permission.
        99991676 => PermissionDenied,
        // 99991677 user token expired, and no refresh helped.
        USER_TOKEN_EXPIRED => UserAuthorizationNeeded,
        // 99991679 the user has not granted the scope: authorize again with it.
        99991679 => PermissionDenied,
        // 99992351 open_ids not existing (an invitee or host id).
        99992351 => AttendeeInvalid,
        // 10003 invalid parameter (tenant token with an empty/malformed app_id or secret,
        // L144-145).
        10003 => BadCredentials,
        // 10012 get app access token fail.
        10012 => BadCredentials,
        // 10014 app id not exists / app unauthorized (L144-147).
        10014 => BadCredentials,
        // ---- OAuth authen/v2 (L494-501) ----
        // 20001 missing parameter.
        20001 => InvalidRequest,
        // 20002 bad client secret.
        20002 => BadCredentials,
        // 20003 code not found / 20004 code expired (5 min) / 20065 code already used:
        // the authorization has to be done again.
        20003 | 20004 | 20065 => UserAuthorizationNeeded,
        // 20010 the user may not use the app.
        20010 => PermissionDenied,
        // 20024 client (app) mismatch.
        20024 => BadCredentials,
        // 20036 bad grant_type; 20063 malformed request; 20071 redirect_uri mismatch.
        20036 | 20063 | 20071 => InvalidRequest,
        // 20037 refresh token expired (365-day cap), 20026 invalid, 20064 revoked, 20073
        // already used (single-use, L173-175), 20049 PKCE check failed: authorize again.
        20037 | 20026 | 20064 | 20073 | 20049 => UserAuthorizationNeeded,
        // 20074 the app may not refresh user tokens (switch off in the console).
        20074 => PermissionDenied,
        // 20050 server error, 20072 temporarily unavailable (HTTP 503).
        20050 | 20072 => Unavailable,
        _ => return None,
    })
}

/// The `X-Tt-Logid` of an answer (fallback `X-Request-Id`, note L460), for support.
pub fn log_id(resp: &HttpResponse) -> Option<String> {
    resp.header("x-tt-logid")
        .or_else(|| resp.header("x-request-id"))
        .map(str::to_string)
}

/// The error for a failed answer: `code` decides the kind; without a known code, the HTTP
/// status does. The detail keeps the message and the log id.
pub fn classify(vendor: VendorKind, resp: &HttpResponse, status: &Status) -> VendorError {
    let code = status.code.filter(|c| *c != OK);
    let kind = code.and_then(kind_for_code).unwrap_or(match resp.status {
        429 => VendorErrorKind::RateLimited,
        401 => VendorErrorKind::SessionExpired,
        403 => VendorErrorKind::PermissionDenied,
        404 => VendorErrorKind::NotFound,
        500..=599 => VendorErrorKind::Unavailable,
        200..=299 if code.is_none() => VendorErrorKind::BadResponse,
        _ => VendorErrorKind::InvalidRequest,
    });
    let msg = status
        .msg
        .clone()
        .filter(|m| !m.trim().is_empty())
        .or_else(|| status.error.as_ref().and_then(|e| e.message.clone()))
        .or_else(|| status.error_description.clone())
        .or_else(|| status.error.as_ref().and_then(|e| e.oauth_error.clone()))
        .unwrap_or_else(|| format!("HTTP {}", resp.status));
    let logid = log_id(resp).or_else(|| status.error.as_ref().and_then(|e| e.log_id.clone()));
    let mut detail = truncate_detail(&msg);
    if let Some(l) = logid {
        detail.push_str(&format!(" (X-Tt-Logid {})", truncate_detail(&l)));
    }
    let mut e = VendorError::new(vendor, kind, detail);
    e.status = Some(resp.status);
    e.code = code.map(|c| c.to_string());
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_kind() {
        let documented = [
            121001, 121002, 121003, 121004, 121005, 121006, 122001, 122002, 122003, 122004, 122005,
            122006, 122007, 122008, 122009, 123002, 123003, 123004, 123006, 99991400, 99991661,
            99991663, 99991664, 99991665, 99991668, 99991669, 99991671, 99991672, 99991673,
            99991676, 99991677, 99991679, 99992351, 10003, 10012, 10014, 20001, 20002, 20003,
            20004, 20010, 20024, 20036, 20037, 20049, 20050, 20063, 20065, 20071, 20072, 20026,
            20064, 20073, 20074,
        ];
        for c in documented {
            assert!(kind_for_code(c).is_some(), "{c}");
        }
        assert_eq!(kind_for_code(0), None);
        assert_eq!(kind_for_code(121004), Some(VendorErrorKind::NotFound));
        assert_eq!(kind_for_code(99991400), Some(VendorErrorKind::RateLimited));
        assert!(needs_reauthorization(20073) && needs_reauthorization(20037));
        assert!(tenant_token_stale(99991663) && !tenant_token_stale(99991677));
        assert!(user_token_stale(99991677));
    }
}
