//! BizConf result codes (doc §1.2, L28-L115) and the error envelope.
//!
//! The document has no sample error response and never mentions HTTP status codes (note §1):
//! the sim answers HTTP 200 with `{"status": <code>, "message": "<the document's text>"}` and no
//! `data` (note §1 [inference]). Exceptions, which are not vendor answers: the ServerError fault
//! (HTTP 500, status 103) and an unknown path or method (HTTP 404/405, status 103 "the system
//! does not support the function"), both assumptions.
//!
//! Codes the sim emits, and where (the document maps no code to an endpoint, note §7):
//! 101 unknown `userId` (everything but booking, which creates the user, 2.16 and the site
//! lists 2.8-2.10, which go by the site sign);
//! 102 wrong token (also lowercase hex); 103 internal (fault, unwritable state);
//! 104 a value outside the rules (forbidden `confName` characters, enum values, sizes);
//! 106 unknown or expired `siteSign`; 109 missing or malformed parameter;
//! 201 `startTime` in the past, registrants of an ended meeting; 202 overlap for one userId;
//! 205 not enough ports on the site; 401 unknown / cancelled / someone else's meeting;
//! 704 stale `timeStamp`, and a replayed token by default ([`super::BizconfOptions`]);
//! 707 the meeting has ended; 708 wrong state (cancel a live meeting, end one not live);
//! 712 registration endpoints on a meeting booked without `registrationType=1`.
//! The others (112, 301, 402, 403, 501, 7xx devices, 705, 706, 709-711) concern features this
//! sim does not serve (devices, rooms, avatars); they are listed so that a configured code still
//! carries the document's message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Every code of §1.2 with its message, verbatim (L33-L115).
pub const CODES: [(i64, &str); 28] = [
    (100, "操作成功"),
    (101, "账号不存在，找不到对应的账号资源"),
    (102, "权限验证失败,请检测APIKey 或者token加密方式是否正确"),
    (103, "服务器内部错误,或者系统不支持某种功能"),
    (104, "会议参数错误，或者未能匹配符合规则的值"),
    (
        106,
        "站点无效，站点不存在，过期，已经删除，不符合类型的站点都会这个错误码",
    ),
    (109, "参数错误，获取不到对应参数的参数值，或者参数值不对"),
    (112, "更新错误"),
    (
        201,
        "会议时间错误，会议时间过期或者会议时间还没有开始，或者时间段没有这个会议。",
    ),
    (202, "会议冲突，当前预约的会议与之前的会议存在时间冲突"),
    (205, "缺少会议资源，没有找到合适的会议室资源"),
    (301, "虚拟会议室过期"),
    (401, "会议不存在 或者会议已取消 或会议不属于此用户"),
    (402, "会议室不存在"),
    (403, "头像不存在"),
    (501, "站点提醒"),
    (701, "设备已激活"),
    (702, "设备未激活"),
    (703, "设备过期"),
    (704, "Token过期"),
    (705, "会议未到过期时间"),
    (706, "会议失败过着被占用"),
    (707, "会议结束"),
    (708, "状态错误"),
    (709, "会议启动中"),
    (710, "未绑定"),
    (711, "设备已删除"),
    (712, "会议模式错误"),
];

/// The document's message for `code` (empty for a code it does not list).
pub fn message(code: i64) -> &'static str {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, m)| *m)
        .unwrap_or("")
}

/// One refusal: a §1.2 code, answered in the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiError {
    pub http: StatusCode,
    pub code: i64,
}

const fn e(code: i64) -> ApiError {
    ApiError {
        http: StatusCode::OK,
        code,
    }
}

impl ApiError {
    pub(crate) fn code(code: i64) -> ApiError {
        e(code)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.http,
            Json(json!({"status": self.code, "message": message(self.code)})),
        )
            .into_response()
    }
}

pub const NO_ACCOUNT: ApiError = e(101);
pub const BAD_TOKEN: ApiError = e(102);
pub const INTERNAL: ApiError = e(103);
pub const BAD_MEETING_PARAM: ApiError = e(104);
pub const BAD_SITE: ApiError = e(106);
pub const BAD_PARAM: ApiError = e(109);
pub const BAD_TIME: ApiError = e(201);
pub const CONFLICT: ApiError = e(202);
pub const NO_RESOURCES: ApiError = e(205);
pub const NO_MEETING: ApiError = e(401);
pub const TOKEN_EXPIRED: ApiError = e(704);
pub const MEETING_ENDED: ApiError = e(707);
pub const BAD_STATE: ApiError = e(708);
pub const BAD_MODE: ApiError = e(712);

/// What the ServerError fault answers: HTTP 500 with 103 (assumption: the document shows no
/// HTTP error at all).
pub const SERVER_ERROR: ApiError = ApiError {
    http: StatusCode::INTERNAL_SERVER_ERROR,
    code: 103,
};
/// An unknown path (assumption; not a vendor answer the document shows).
pub const NO_SUCH_API: ApiError = ApiError {
    http: StatusCode::NOT_FOUND,
    code: 103,
};
/// A known path with the wrong method, e.g. POST to a GET endpoint (assumption).
pub const WRONG_METHOD: ApiError = ApiError {
    http: StatusCode::METHOD_NOT_ALLOWED,
    code: 103,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_with_a_message() {
        for (i, (code, msg)) in CODES.iter().enumerate() {
            assert!(!msg.is_empty(), "{code}");
            assert!(
                CODES[i + 1..].iter().all(|(c, _)| c != code),
                "{code} twice"
            );
        }
        assert_eq!(message(704), "Token过期");
        assert_eq!(message(999), "");
    }
}
