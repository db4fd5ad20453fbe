//! Tencent error envelope and the error codes the sim emits (note §3.10).
//!
//! On failure the HTTP status is not 200: 400 for a request error, 500 for a service error
//! ([doc 43704]). Body: `{"error_info":{"error_code":<int>,"new_error_code":<int>,"message":"…"}}`.
//!
//! `new_error_code` prefixes are inconsistent in the samples (190303 → 200190303, 190004 →
//! 1000190004; note §3.10 FLAG). The sim uses the sampled value where there is one, the
//! 2001xxxxx prefix for the other signing errors (same family as 190303: assumption) and the
//! 1000xxxxxx prefix otherwise (assumption). Clients must key on `error_code`.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// One error the vendor API can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: i64,
    pub new_code: i64,
    pub msg: Cow<'static, str>,
}

const fn e(status: u16, code: i64, new_code: i64, msg: &'static str) -> ApiError {
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    ApiError {
        status,
        code,
        new_code,
        msg: Cow::Borrowed(msg),
    }
}

impl ApiError {
    /// The same code with a more precise message (e.g. which field is wrong).
    pub fn with_msg(mut self, msg: impl Into<String>) -> ApiError {
        self.msg = Cow::Owned(msg.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error_info": {
                "error_code": self.code,
                "new_error_code": self.new_code,
                "message": self.msg,
            }})),
        )
            .into_response()
    }
}

// --- signing (note §2, §3.10). The document gives no HTTP status for these; they are request
// errors, so 400 (assumption, "400 means an API request error" [doc 43704]).
/// `X-TC-Timestamp` more than 5 minutes away from the server clock.
pub const CLOCK_SKEW: ApiError = e(
    400,
    190300,
    200190300,
    "X-TC-Timestamp is more than 5 minutes away from server time",
);
/// Same timestamp + nonce seen within 5 minutes.
pub const REPLAY: ApiError = e(
    400,
    190301,
    200190301,
    "replayed request: X-TC-Nonce already used with this X-TC-Timestamp",
);
/// Unknown AppId / X-TC-Key, or a wrong or unassigned SdkId ([seed L490-L499]).
pub const BAD_KEY: ApiError = e(
    400,
    190303,
    200190303,
    "unauthenticated secret: check the AppId and X-TC-Key headers; do not send SdkId if none was assigned",
);
/// "Signature failed" (https://cloud.tencent.com/developer/article/1739992).
pub const BAD_SIGNATURE: ApiError = e(400, 200003, 1000200003, "Signature failed");

// --- requests -------------------------------------------------------------------------------
/// 190004 → HTTP 400 (note §3.10, the 190315 page).
pub const BAD_PARAM: ApiError = e(400, 190004, 1000190004, "invalid request parameter");
/// 9003 → HTTP 500 (same page).
pub const NO_SUCH_MEETING: ApiError = e(500, 9003, 1000009003, "meeting does not exist");
/// 190001 → HTTP 500: a userid that is not a member of the enterprise.
pub const UNREGISTERED_USER: ApiError = e(500, 190001, 1000190001, "unregistered user present");
/// 190315 → HTTP 500.
pub const NOT_CREATOR: ApiError = e(500, 190315, 1000190315, "not the meeting creator");
/// 9008: ≤100 meetings per day, ≤9 per minute ([doc 43704]). Its HTTP status is not given;
/// 500 like the other 9xxx codes whose status is documented (9003). Assumption.
pub const CREATE_QUOTA: ApiError = e(
    500,
    9008,
    1000009008,
    "meeting creation quota exceeded: at most 100 meetings per day and 9 per minute",
);
/// 9102: no permission to modify (here: the meeting is cancelled, ended or recycled).
pub const NO_MODIFY: ApiError = e(500, 9102, 1000009102, "no permission to modify the meeting");
/// 5108 "internal": what the ServerError fault answers with.
pub const INTERNAL: ApiError = e(500, 5108, 1000005108, "internal error");
/// Unknown path or method. Not documented; kept in the vendor envelope so clients parse it
/// like any other error (assumption).
pub const NO_SUCH_API: ApiError = e(404, 190004, 1000190004, "no such API");
/// 20006: "a meeting room is occupied in the modified time range" ([doc 43704]). HTTP status
/// not given; 500 like the other business errors whose status is documented (assumption).
pub const ROOM_OCCUPIED: ApiError = e(
    500,
    20006,
    1000020006,
    "a meeting room is occupied in the requested time range",
);
