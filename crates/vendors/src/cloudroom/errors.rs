//! CloudRoom error answers (`{code, msg}`, doc L1086-1162, note §1.5) mapped to what they mean
//! for a person booking or joining a meeting. HTTP 400 carries the authentication codes
//! (22001-22009, L1090), 429 the rate limit (22008, L1105) and 500 every business code,
//! including `400` and `500` themselves (L1115-1122): so the code decides, the status only when
//! there is no code.

use huiyi_core::VendorErrorKind;

/// "签名过期": `X-CR-Timestamp` more than 5 minutes from the server's clock (L1099).
pub const SIGNATURE_EXPIRED: i64 = 22004;
/// "接口超出频率" (L1111), with HTTP 429.
pub const RATE_LIMITED: i64 = 22008;

/// The kind for a documented code.
pub fn kind_for_code(code: i64) -> Option<VendorErrorKind> {
    use VendorErrorKind::*;
    let kind = match code {
        // 22001 "X-CR-SecretId must not be empty": the account has no Secret ID.
        // 22005 "签名无效": the Secret Key is wrong. 22006 "账号不存在": no company has this
        // Secret ID (L1096-1101).
        22001 | 22005 | 22006 => BadCredentials,
        // 22002 / 22003 / 22009: the timestamp or signature header is missing or malformed.
        // The client always sends them, so only something between us and CloudRoom (a proxy
        // stripping headers) can cause these: nothing the account's credentials can fix.
        22002 | 22003 | 22009 => InvalidRequest,
        SIGNATURE_EXPIRED => ClockSkew,
        // "企业未开放API接口权限": an administrator must enable the WEB-API for the company.
        22007 => PermissionDenied,
        RATE_LIMITED => RateLimited,
        // "请求地址或参数错误" (L1121).
        400 => InvalidRequest,
        // "服务器内部异常" (L1122).
        500 => Unavailable,
        // "会议不存在"; 22233 "会议记录为空"; 21030 "录像不存在".
        22201 | 22233 | 21030 => NotFound,
        // "会议已结束": for a join, the meeting is over; NotFound's sentence says "may have
        // … already ended", which is what the person needs to hear.
        22204 => NotFound,
        // "会议密码错误" (join): the password typed or cached is wrong.
        22202 => InvalidRequest,
        // "会议未开始" (join before the host while joining early is off): it will work later,
        // once the host is in. ASSUMPTION: read as a temporary refusal (retryable).
        22203 => Unavailable,
        // "仅邀请对象可加入会议", "仅企业内用户可加入会议"; 22224 "权限不足".
        22205 | 22206 | 22224 => PermissionDenied,
        // Mini-program codes with no documented endpoint (L1129-1130, note §6).
        22207 => Unavailable,
        22208 => Unsupported,
        // "预约开始时间不能小于当前时间".
        22215 => StartInPast,
        // "会议已开始或已结束": too late to modify or delete.
        22227 => MeetingStarted,
        // Host, invitees and co-hosts: 22223 "主持人不存在", 22228 "邀请人不存在", 22229
        // "邀请人不能为空", 22234 "联席主持人个数不能超过四个", 22235 "联席主持人不存在".
        22223 | 22228 | 22229 | 22234 | 22235 => AttendeeInvalid,
        // The field checks of create/modify/join/list: subject (22209, 22212), password
        // (22210), recurrence (22211, 22213, 22220, 22221), times (22214, 22216-22219,
        // 22222), layout and virtual members (22225, 22226), nickname and participant type
        // (22230-22232), list interval (22236).
        22209..=22214 | 22216..=22222 | 22225 | 22226 | 22230..=22232 | 22236 => InvalidRequest,
        _ => return None,
    };
    Some(kind)
}

/// What the status alone says (no `{code,msg}` body, or an unknown code).
pub fn kind_for_status(status: u16) -> VendorErrorKind {
    use VendorErrorKind::*;
    match status {
        // 400 is the authentication status (L1090).
        400 | 401 => BadCredentials,
        403 => PermissionDenied,
        // A 404 without a CloudRoom body is a path the server does not have: the account's
        // server address is wrong (the document answers a missing meeting with 500/22201,
        // never 404). Not `NotFound`, which would make the desk forget a cached meeting.
        404 => BadResponse,
        429 => RateLimited,
        405..=499 => InvalidRequest,
        500..=599 => Unavailable,
        _ => BadResponse,
    }
}

pub fn classify(status: u16, code: Option<i64>) -> VendorErrorKind {
    code.and_then(kind_for_code)
        .unwrap_or_else(|| kind_for_status(status))
}

/// Refusals that happen before the request is acted on, so that sending it again (signed
/// afresh) cannot do twice what was done once, whatever the method.
pub fn refused_before_acting(status: u16, code: Option<i64>) -> bool {
    matches!(code, Some(SIGNATURE_EXPIRED) | Some(RATE_LIMITED)) || status == 429
}

#[cfg(test)]
mod tests {
    use super::*;
    use VendorErrorKind::*;

    #[test]
    fn every_documented_code_has_a_kind_a_person_can_act_on() {
        let table: &[(i64, VendorErrorKind)] = &[
            (22001, BadCredentials),
            (22002, InvalidRequest),
            (22003, InvalidRequest),
            (22004, ClockSkew),
            (22005, BadCredentials),
            (22006, BadCredentials),
            (22007, PermissionDenied),
            (22009, InvalidRequest),
            (22008, RateLimited),
            (400, InvalidRequest),
            (500, Unavailable),
            (22201, NotFound),
            (22202, InvalidRequest),
            (22203, Unavailable),
            (22204, NotFound),
            (22205, PermissionDenied),
            (22206, PermissionDenied),
            (22207, Unavailable),
            (22208, Unsupported),
            (22209, InvalidRequest),
            (22210, InvalidRequest),
            (22211, InvalidRequest),
            (22212, InvalidRequest),
            (22213, InvalidRequest),
            (22214, InvalidRequest),
            (22215, StartInPast),
            (22216, InvalidRequest),
            (22217, InvalidRequest),
            (22218, InvalidRequest),
            (22219, InvalidRequest),
            (22220, InvalidRequest),
            (22221, InvalidRequest),
            (22222, InvalidRequest),
            (22223, AttendeeInvalid),
            (22224, PermissionDenied),
            (22225, InvalidRequest),
            (22226, InvalidRequest),
            (22227, MeetingStarted),
            (22228, AttendeeInvalid),
            (22229, AttendeeInvalid),
            (22230, InvalidRequest),
            (22231, InvalidRequest),
            (22232, InvalidRequest),
            (22233, NotFound),
            (22234, AttendeeInvalid),
            (22235, AttendeeInvalid),
            (22236, InvalidRequest),
            (21030, NotFound),
        ];
        for (code, kind) in table {
            assert_eq!(kind_for_code(*code), Some(*kind), "code {code}");
        }
        // The code wins over the status: 22201 comes with HTTP 500 (L1115).
        assert_eq!(classify(500, Some(22201)), NotFound);
        assert_eq!(classify(500, None), Unavailable);
        assert_eq!(classify(400, Some(99999)), BadCredentials);
        assert_eq!(classify(404, None), BadResponse);
        assert_eq!(classify(429, None), RateLimited);
        assert_eq!(classify(502, None), Unavailable);
    }

    #[test]
    fn only_refusals_before_acting_may_be_sent_again() {
        assert!(refused_before_acting(400, Some(SIGNATURE_EXPIRED)));
        assert!(refused_before_acting(429, Some(RATE_LIMITED)));
        assert!(refused_before_acting(429, None));
        assert!(!refused_before_acting(500, Some(500)));
        assert!(!refused_before_acting(500, Some(22201)));
        assert!(!refused_before_acting(400, Some(22005)));
    }
}
