//! CloudRoom error codes (doc L1086-L1162, note §1.5) and the error body `{code,msg}`.
//!
//! HTTP status by family, as the document says: authentication 400 (L1090), frequency 429
//! (L1105), business 500 (L1115). The messages are the document's, verbatim. The type of `code`
//! is not stated; a JSON integer is assumed (note §1.4).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Every code of the document with its message, verbatim (L1094-L1162).
pub const CODES: [(i64, &str); 47] = [
    (22001, "header传参X-CR-SecretId不能为空"),
    (22002, "header传参X-CR-Timestamp不能为空"),
    (22003, "header传参X-CR-Signature不能为空"),
    (22004, "签名过期"),
    (22005, "签名无效"),
    (22006, "账号不存在"),
    (22007, "企业未开放API接口权限"),
    (22009, "header传参X-CR-Timestamp格式不正确"),
    (22008, "接口超出频率"),
    (400, "请求地址或参数错误"),
    (500, "服务器内部异常"),
    (22201, "会议不存在"),
    (22202, "会议密码错误"),
    (22203, "会议未开始"),
    (22204, "会议已结束"),
    (22205, "仅邀请对象可加入会议"),
    (22206, "仅企业内用户可加入会议"),
    (22207, "获取小程序token异常"),
    (22208, "企业暂无小程序配置"),
    (22209, "会议主题不能为空"),
    (22210, "会议密码为4-6位数字"),
    (22211, "周期会议结束时间不能为空"),
    (22212, "会议主题不能超过50个字符"),
    (22213, "周期会议结束时间格式错误"),
    (22214, "预约开始时间不能为空"),
    (22215, "预约开始时间不能小于当前时间"),
    (22216, "预约开始时间格式错误"),
    (22217, "预约结束时间不能为空"),
    (22218, "预约结束时间不能小于开始时间"),
    (22219, "预约结束时间格式错误"),
    (22220, "非法的周期会议类型"),
    (22221, "周期会议结束时间不能小于开始时间"),
    (22222, "预约时间不能超过24小时"),
    (22223, "主持人不存在"),
    (22224, "权限不足"),
    (22225, "会议分屏数错误"),
    (22226, "虚拟人数应在0-2000之间"),
    (22227, "会议已开始或已结束"),
    (22228, "邀请人不存在"),
    (22229, "邀请人不能为空"),
    (22230, "昵称不能为空"),
    (22231, "参会者类型错误"),
    (22232, "昵称不能大于30个字符"),
    (22233, "会议记录为空"),
    (22234, "联席主持人个数不能超过四个"),
    (22235, "联席主持人不存在"),
    (22236, "查询时间间隔不能超过一年"),
];

/// Recording does not exist (L1162; listed apart, out of the 222xx sequence).
pub const VIDEO_CODE: (i64, &str) = (21030, "录像不存在");

/// The document's message for `code` (empty for a code it does not list).
pub fn message(code: i64) -> &'static str {
    if code == VIDEO_CODE.0 {
        return VIDEO_CODE.1;
    }
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, m)| *m)
        .unwrap_or("")
}

/// The HTTP status the document gives a code's family.
pub fn http_status(code: i64) -> StatusCode {
    match code {
        22008 => StatusCode::TOO_MANY_REQUESTS,
        22001..=22009 => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// One refusal, answered as `{code,msg}` with its family's HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiError {
    pub code: i64,
}

impl ApiError {
    pub const fn code(code: i64) -> ApiError {
        ApiError { code }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "msg": message(self.code)}).to_string();
        let mut resp = (http_status(self.code), body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=UTF-8"),
        );
        resp
    }
}

pub const NO_SECRET_ID: ApiError = ApiError::code(22001);
pub const NO_TIMESTAMP: ApiError = ApiError::code(22002);
pub const NO_SIGNATURE: ApiError = ApiError::code(22003);
pub const EXPIRED: ApiError = ApiError::code(22004);
pub const BAD_SIGNATURE: ApiError = ApiError::code(22005);
pub const NO_ACCOUNT: ApiError = ApiError::code(22006);
pub const API_DISABLED: ApiError = ApiError::code(22007);
pub const RATE_LIMITED: ApiError = ApiError::code(22008);
pub const BAD_TIMESTAMP: ApiError = ApiError::code(22009);
pub const BAD_REQUEST: ApiError = ApiError::code(400);
pub const INTERNAL: ApiError = ApiError::code(500);
pub const NO_MEETING: ApiError = ApiError::code(22201);
pub const WRONG_PASSWORD: ApiError = ApiError::code(22202);
pub const NOT_STARTED: ApiError = ApiError::code(22203);
pub const ENDED: ApiError = ApiError::code(22204);
pub const EMPTY_SUBJECT: ApiError = ApiError::code(22209);
pub const BAD_PASSWORD: ApiError = ApiError::code(22210);
pub const NO_PERIOD_END: ApiError = ApiError::code(22211);
pub const LONG_SUBJECT: ApiError = ApiError::code(22212);
pub const BAD_PERIOD_END: ApiError = ApiError::code(22213);
pub const NO_START: ApiError = ApiError::code(22214);
pub const START_PAST: ApiError = ApiError::code(22215);
pub const BAD_START: ApiError = ApiError::code(22216);
pub const NO_END: ApiError = ApiError::code(22217);
pub const END_BEFORE_START: ApiError = ApiError::code(22218);
pub const BAD_END: ApiError = ApiError::code(22219);
pub const BAD_PERIOD_TYPE: ApiError = ApiError::code(22220);
pub const PERIOD_END_BEFORE_START: ApiError = ApiError::code(22221);
pub const TOO_LONG: ApiError = ApiError::code(22222);
pub const NO_HOST: ApiError = ApiError::code(22223);
pub const FORBIDDEN: ApiError = ApiError::code(22224);
pub const BAD_LAYOUT: ApiError = ApiError::code(22225);
pub const BAD_VIRTUAL: ApiError = ApiError::code(22226);
pub const STARTED_OR_ENDED: ApiError = ApiError::code(22227);
pub const NO_INVITEE: ApiError = ApiError::code(22228);
pub const EMPTY_INVITEES: ApiError = ApiError::code(22229);
pub const EMPTY_NICK: ApiError = ApiError::code(22230);
pub const BAD_USER_TYPE: ApiError = ApiError::code(22231);
pub const LONG_NICK: ApiError = ApiError::code(22232);
pub const TOO_MANY_ASSISTANTS: ApiError = ApiError::code(22234);
pub const NO_ASSISTANT: ApiError = ApiError::code(22235);
pub const SPAN_TOO_LONG: ApiError = ApiError::code(22236);
pub const NO_VIDEO: ApiError = ApiError::code(21030);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_once_with_its_family_status() {
        for (i, (code, msg)) in CODES.iter().enumerate() {
            assert!(!msg.is_empty());
            assert!(CODES[i + 1..].iter().all(|(c, _)| c != code), "{code}");
        }
        assert_eq!(http_status(22004), StatusCode::BAD_REQUEST);
        assert_eq!(http_status(22008), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(http_status(400), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(http_status(21030), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(message(21030), "录像不存在");
    }
}
