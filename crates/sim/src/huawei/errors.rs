//! Huawei error envelope and the error codes the sim emits.
//!
//! Every error body is `{"error_code": "...", "error_msg": "..."}` (doc L7336-7366). For MMC codes
//! `error_msg` is the SCREAMING_SNAKE symbolic name, for USG codes the English sentence; both come
//! verbatim from the chapter-22 table (L27030-27629), with PDF wrap spaces removed.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// One error the vendor API can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub msg: &'static str,
}

const fn e(status: u16, code: &'static str, msg: &'static str) -> ApiError {
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    ApiError { status, code, msg }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error_code": self.code, "error_msg": self.msg})),
        )
            .into_response()
    }
}

// --- USG (auth) ---------------------------------------------------------------------------
/// L27451. Every App ID auth failure (bad signature, access, nonce, expireTime, clientType...).
pub const APP_AUTH_FAILED: ApiError = e(401, "USG.206010025", "App auth failed.");
/// L27450. Unknown, evicted, logged-out or (on /usg endpoints) expired token.
pub const INVALID_TOKEN: ApiError = e(401, "USG.201000000", "Invalid token.");
/// L27393. Wrong account or password (also used for an unknown account: do not reveal which).
pub const BAD_CREDENTIALS: ApiError = e(400, "USG.206010000", "Invalid username or password.");
/// Malformed or missing `Authorization: Basic` header on account auth.
pub const BAD_AUTH_INFO: ApiError = e(401, "USG.206020000", "Invalid authentication information.");
/// L27588. What the ServerError fault answers with.
pub const SERVER_BUSY: ApiError = e(500, "USG.000000001", "The server is busy.");

// --- MMC token checks ---------------------------------------------------------------------
/// L27061.
pub const TOKEN_IS_NULL: ApiError = e(400, "MMC.111070111", "REQUEST_TOKEN_IS_NULL");
/// L27198. Expired session: HTTP 400, not 401, on /mmc endpoints.
pub const TOKEN_EXPIRED: ApiError = e(400, "MMC.118000001", "USER_TOKEN_AUTH_FAILED");

// --- MMC meeting management -----------------------------------------------------------------
pub const CONF_DATA_NOT_FOUND: ApiError = e(400, "MMC.111070005", "CONF_DATA_NOT_FOUND");
pub const VMR_DATA_NOT_FOUND: ApiError = e(400, "MMC.111070006", "VMR_DATA_NOT_FOUND");
pub const INSUFFICIENT_PERMISSIONS: ApiError =
    e(403, "MMC.111070002", "CONF_INSUFFICIENT_PERMISSIONS");
pub const ROLE_AUTHENTICATION_FAILED: ApiError =
    e(403, "MMC.111070010", "CONF_ROLE_AUTHENTICATION_FAILED");
pub const MODIFY_VMR_FLAG_FAIL: ApiError = e(400, "MMC.111071010", "CONF_MODIFY_VMR_FLAG_FAIL");
pub const START_TIME_IN_PAST: ApiError = e(
    400,
    "MMC.111071013",
    "CONF_START_TIME_LESS_THAN_CURRENT_TIME",
);
pub const START_TIME_TOO_FAR: ApiError = e(
    400,
    "MMC.111071014",
    "CONF_START_TIME_OVER_MAX_SCHEDULE_TIME",
);
pub const EMAIL_ILLEGAL: ApiError = e(400, "MMC.111071024", "CONF_EMAIL_ILLEGAL");
pub const SMS_ILLEGAL: ApiError = e(400, "MMC.111071025", "CONF_SMS_ILLEGAL");
pub const DEPTNAME_TOO_LONG: ApiError = e(400, "MMC.111071026", "CONF_DEPTNAME_TOO_LONG");
pub const PARAMETER_VERIFIED_FAIL: ApiError = e(400, "MMC.111071061", "PARAMETER_VERIFIED_FAIL");
pub const JSON_CONVERSION_FAILED: ApiError = e(400, "MMC.111071062", "JSON_CONVERSION_FAILED");
pub const MODIFY_STARTED: ApiError = e(
    400,
    "MMC.111071065",
    "CONF_MODIFY_FAIL_AS_CONFIG_ALREADY_STARTED",
);
pub const ATTENDEES_OVER_LIMIT: ApiError =
    e(400, "MMC.111071066", "CONF_ATTENDEES_NUMBER_EXCEED_LIMIT");
pub const CANCEL_STARTED: ApiError = e(400, "MMC.111071067", "CONF_CANCEL_FAIL_AS_CONF_STARTED");
pub const CONF_NUM_UP_TO_LIMIT: ApiError = e(400, "MMC.111071082", "CONF_NUM_UP_TO_LIMIT");
/// L27066. The only meaning chapter 22 gives: "取消周期会议ID列表不能为空".
pub const PARAMS_NULL: ApiError = e(400, "MMC.111071016", "CONF_PARAMS_NULL_EXCEPTION");
/// L27067.
pub const CYCLE_PARAMS_NULL: ApiError = e(400, "MMC.111071020", "CONF_CYCLE_PARAMS_NULL_EXCEPTION");
/// L27071-27078.
pub const CYCLE_STARTDATE_NULL: ApiError =
    e(400, "MMC.111071041", "CONF_CYCLE_PARAMS_STARTDATE_NULL");
pub const CYCLE_ENDDATE_NULL: ApiError = e(400, "MMC.111071042", "CONF_CYCLE_PARAMS_ENDDATE_NULL");
pub const CYCLE_ILLEGAL: ApiError = e(400, "MMC.111071043", "CONF_CYCLE_PARAMS_CYCLE_ILLEGAL");
pub const CYCLE_INTERVAL_RANGE: ApiError = e(
    400,
    "MMC.111071044",
    "CONF_CYCLE_PARAMS_INTERVAL_NOT_IN_RANGE",
);
pub const CYCLE_POINT_NULL: ApiError = e(
    400,
    "MMC.111071045",
    "CONF_CYCLE_PARAMS_POINT_NULL_EXCEPTION",
);
pub const CYCLE_POINT_RANGE: ApiError =
    e(400, "MMC.111071046", "CONF_CYCLE_PARAMS_POINT_NOT_IN_RANGE");
/// L27090 "您选定的时间中没有会议": a series whose every occurrence is already past.
pub const NO_CONF_IN_SELECTED_TIME: ApiError =
    e(400, "MMC.111071069", "CONF_NOCONF_IN_SELECTED_TIME");
/// L27091.
pub const SUB_CANNOT_MODIFY_LIVE_ROOM: ApiError =
    e(400, "MMC.111071070", "SUB_CYCONF_CANNOT_MODIFY_LIVE_ROOM");
/// L27097.
pub const SUB_MODIFY_TIME_OVER_RANGE: ApiError =
    e(400, "MMC.111071119", "SUB_CYCONF_MODIFY_TIME_OVER_RANGE");
pub const BODY_EMPTY: ApiError = e(400, "MMC.111072057", "CONF_BAD_REQUEST");

// --- Attendee validation (§4.3 of the note; L27112-27120) ------------------------------------
pub const ATTENDEE_NO_ADDRESS: ApiError = e(400, "MMC.111072031", "PARAM_ERROR");
pub const ATTENDEE_NUMBER_TOO_LONG: ApiError = e(400, "MMC.111072032", "PARAM_ERROR");
pub const ATTENDEE_NUMBER_FORMAT: ApiError = e(400, "MMC.111072033", "PARAM_ERROR");
pub const ATTENDEE_NAME_TOO_LONG: ApiError = e(400, "MMC.111072034", "PARAM_ERROR");
pub const ATTENDEE_ROLE: ApiError = e(400, "MMC.111072035", "PARAM_ERROR");
pub const ATTENDEE_IS_MUTE: ApiError = e(400, "MMC.111072038", "PARAM_ERROR");
pub const ATTENDEE_AUTO_INVITE: ApiError = e(400, "MMC.111072039", "PARAM_ERROR");

/// Unknown path or method. The real answer comes from the API gateway, whose APIGW codes the
/// document does not list (L27032); this code and text are the gateway's public "no such API"
/// error, kept in the same envelope so clients parse it like any other error.
pub const NO_SUCH_API: ApiError = e(
    404,
    "APIGW.0101",
    "The API does not exist or has not been published in the environment",
);
