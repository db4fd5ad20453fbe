//! Feishu's answers: the `{code, msg, data}` envelope (note §9) and the error codes the fake
//! emits, with the HTTP status the per-method pages give them (note §9 table, §12.12).
//!
//! Every answer carries `X-Tt-Logid` (added by `super::logid_layer`); a failure also carries an
//! `error` object with `log_id` (the same id) and a `troubleshooter` URL (note §9, §13
//! "Platform"). Business refusals of the VC API use the 4xx/5xx of the table; the auth
//! endpoints (`tenant_access_token/internal`) answer HTTP 200 even on failure (note §3.1).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

tokio::task_local! {
    /// The log id of the request being answered (set by `super::logid_layer`).
    pub(crate) static LOGID: String;
}

/// The current request's log id ("" outside a request).
pub(crate) fn logid() -> String {
    LOGID.try_with(Clone::clone).unwrap_or_default()
}

/// One refusal in the VC / platform envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub http: StatusCode,
    pub code: i64,
    pub msg: &'static str,
    /// Extra members of `error` (field_violations, permission_violations, ...).
    pub error: Option<Value>,
    /// `data` sent with the error (set_host's 121006 returns the current host, note §13).
    pub data: Option<Value>,
    /// Extra headers (rate limiting).
    pub headers: Vec<(&'static str, String)>,
}

const fn e(http: u16, code: i64, msg: &'static str) -> ApiError {
    ApiError {
        http: match StatusCode::from_u16(http) {
            Ok(s) => s,
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
        },
        code,
        msg,
        error: None,
        data: None,
        headers: Vec::new(),
    }
}

// Platform (note §9 "Auth and platform codes"). HTTP 400 for all token failures: 400 was
// observed for 99991661 and the others are not pinned (note §12.12).
pub const NEED_TOKEN: ApiError = e(
    400,
    99991661,
    "Missing access token for authorization. Please make a request with token attached.",
);
pub const TENANT_TOKEN_INVALID: ApiError = e(
    400,
    99991663,
    "Invalid access token for authorization. Please make a request with token attached.",
);
pub const USER_TOKEN_INVALID: ApiError = e(
    400,
    99991668,
    "Invalid access token for authorization. Please make a request with token attached.",
);
pub const USER_TOKEN_NOT_SUPPORT: ApiError = e(400, 99991668, "user access token not support");
pub const BAD_TOKEN_FORMAT: ApiError = e(400, 99991671, "Invalid token: must start with t-/u-");
pub const APP_SCOPE_MISSING: ApiError = e(
    400,
    99991672,
    "Access denied. One of the following scopes is required",
);
pub const USER_TOKEN_EXPIRED: ApiError = e(400, 99991677, "Authentication token expired.");
pub const USER_SCOPE_MISSING: ApiError = e(400, 99991679, "Unauthorized. You do not have permission to perform the requested operation on the resource. Please request user re-authorization and try again.");
pub const RATE_LIMITED: ApiError = e(429, 99991400, "request trigger frequency limit");
/// Unknown path (assumption: the gateway's plain 404, in the envelope so clients can branch on code).
pub const NO_SUCH_API: ApiError = e(404, 404, "404 page not found");

// VC (note §9 table; room pages use 404 for 121005/121006, note §7).
pub const INTERNAL: ApiError = e(500, 121001, "internal error");
pub const NOT_SUPPORT: ApiError = e(400, 121002, "not support");
pub const PARAM: ApiError = e(400, 121003, "param error");
pub const NOT_EXIST: ApiError = e(404, 121004, "data not exist");
pub const NO_PERMISSION: ApiError = e(403, 121005, "no permission");
pub const CONFLICT: ApiError = e(409, 121006, "data conflict");
pub const MEETING_STATUS: ApiError = e(400, 122001, "meeting status unexpected");
pub const MEETING_NOT_EXIST: ApiError = e(404, 122002, "meeting not exist");
pub const OPERATOR_NOT_IN_MEETING: ApiError = e(400, 122003, "operator user not in meeting");
pub const TARGET_NOT_IN_MEETING: ApiError = e(400, 122004, "target user not in meeting");
pub const CANNOT_OPERATE_SELF: ApiError = e(400, 122005, "cannot operate self");
pub const MEETING_FULL: ApiError = e(400, 122006, "participant count reach limit");
pub const MEETING_LOCKED: ApiError = e(400, 122008, "meeting is locked");
pub const RECORD_PARAM: ApiError = e(400, 123002, "record param error");
pub const HOSTS_OVER_10: ApiError = e(400, 123003, "assign host exceed max limit 10");
pub const HOST_ERROR: ApiError = e(400, 123004, "assign host error");
pub const BAD_PASSWORD: ApiError = e(400, 123006, "invalid password");

impl ApiError {
    pub(crate) fn field(mut self, field: &str, description: &str) -> ApiError {
        self.error = Some(json!({
            "field_violations": [{"field": field, "description": description}]
        }));
        self
    }

    pub(crate) fn with_data(mut self, data: Value) -> ApiError {
        self.data = Some(data);
        self
    }
}

/// The troubleshooter link of a failure (note §9).
fn troubleshooter(code: i64, log_id: &str) -> String {
    format!("https://open.feishu.cn/search?from=openapi&log_id={log_id}&code={code}")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let log_id = logid();
        let mut error = json!({
            "log_id": log_id,
            "troubleshooter": troubleshooter(self.code, &log_id),
        });
        if let (Some(Value::Object(extra)), Value::Object(err)) = (self.error, &mut error) {
            err.extend(extra);
        }
        let mut body = json!({"code": self.code, "msg": self.msg, "error": error});
        if let Some(data) = self.data {
            body["data"] = data;
        }
        let mut resp = (self.http, Json(body)).into_response();
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

/// `{"code":0,"msg":"success","data":…}`.
pub(crate) fn ok(data: Value) -> Response {
    Json(json!({"code": 0, "msg": "success", "data": data})).into_response()
}

pub(crate) type ApiResult = Result<Response, ApiError>;
