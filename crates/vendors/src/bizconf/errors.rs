//! BizConf result codes (`status` in every answer, §1.2 "ERR CODE定义", L28-115; note §3) mapped
//! to what they mean for a person booking a meeting. The document never says which endpoint
//! answers which code, so each mapping follows the code's own description; the vendor's code
//! and message always travel alongside in the error for support.

use huiyi_core::VendorErrorKind;

/// 操作成功 (L33-34).
pub const OK: i64 = 100;
/// 账号不存在 (L36-37): also what the user lists may answer for a userId that has never booked
/// (users are created by their first booking, L226).
pub const NO_ACCOUNT: i64 = 101;
/// 会议时间错误 (L57-58): a start time that has passed, or a meeting whose time is over.
pub const TIME_ERROR: i64 = 201;
/// 会议冲突 (L60-61): one meeting per userId in any one time period (L192).
pub const TIME_CONFLICT: i64 = 202;
/// 缺少会议资源 (L63-64): not enough ports (方数) left on the site for that time.
pub const NO_RESOURCES: i64 = 205;
/// Token过期 (L90-91): the token's timestamp was refused; nothing was done.
pub const TOKEN_EXPIRED: i64 = 704;
/// 状态错误 (L102-103).
pub const STATUS_ERROR: i64 = 708;

/// The kind for a documented code; `None` for 100 and for codes the document does not list.
pub fn kind_for_code(code: i64) -> Option<VendorErrorKind> {
    use VendorErrorKind::*;
    let kind = match code {
        // 101 账号不存在，找不到对应的账号资源: the userId (or the account behind the key)
        // is unknown.
        101 => BadCredentials,
        // 102 权限验证失败,请检测APIKey 或者token加密方式是否正确: wrong API key (or token
        // algorithm).
        102 => BadCredentials,
        // 103 服务器内部错误,或者系统不支持某种功能: an internal error (or an unsupported
        // function); reads as an outage, but the client never repeats a request on it.
        103 => Unavailable,
        // 104 会议参数错误，或者未能匹配符合规则的值: a meeting field broke a rule (a forbidden
        // character in the name, an out-of-range option).
        104 => InvalidRequest,
        // 106 站点无效…: the site sign does not exist, expired, was deleted or is of the wrong
        // type; the account's site sign (or the site itself) must be fixed.
        106 => BadCredentials,
        // 109 参数错误，获取不到对应参数的参数值，或者参数值不对: a field missing or malformed.
        109 => InvalidRequest,
        // 112 更新错误: the server failed to store an update.
        112 => Unavailable,
        // 201 会议时间错误，会议时间过期或者会议时间还没有开始，或者时间段没有这个会议: for a
        // booking or a change, the start time has already passed.
        TIME_ERROR => StartInPast,
        // 202 会议冲突，当前预约的会议与之前的会议存在时间冲突: this account (userId) already
        // has a meeting in that time; BizConf allows one per userId at a time (L192, L447).
        TIME_CONFLICT => TimeConflict,
        // 205 缺少会议资源，没有找到合适的会议室资源: the site has not enough free ports (方数)
        // for that time; ask for fewer ports, another time, or more capacity.
        NO_RESOURCES => ResourcesInsufficient,
        // 301 虚拟会议室过期: the account's virtual meeting room (its licence) expired.
        301 => AccountLocked,
        // 401 会议不存在 或者会议已取消 或会议不属于此用户: unknown, cancelled, or another
        // user's meeting.
        401 => NotFound,
        // 402 会议室不存在: the meeting room does not exist.
        402 => NotFound,
        // 403 头像不存在: the avatar does not exist (not used by Huiyi).
        403 => NotFound,
        // 501 站点提醒: a site notice without documented detail; the site refuses, its message
        // says why.
        501 => PermissionDenied,
        // 701 设备已激活: the hardware device is already activated.
        701 => PermissionDenied,
        // 702 设备未激活: the hardware device is not activated.
        702 => PermissionDenied,
        // 703 设备过期: the hardware device's licence expired.
        703 => AccountLocked,
        // 704 Token过期: the token's timestamp is outside what the server accepts. Tokens are
        // made fresh for each request and the client re-signs once, so a second 704 means this
        // computer's clock is off.
        TOKEN_EXPIRED => ClockSkew,
        // 705 会议未到过期时间: the meeting has not reached its expiry time yet (too early for
        // the operation).
        705 => InvalidRequest,
        // 706 会议失败或者被占用 (过着 is a typo): the meeting slot is taken by another meeting.
        706 => TimeConflict,
        // 707 会议结束: the meeting has already ended.
        707 => NotFound,
        // 708 状态错误: the meeting is in a state that forbids the operation; for a change or a
        // cancellation (L790: not while in progress) that is a meeting already under way.
        STATUS_ERROR => MeetingStarted,
        // 709 会议启动中: the meeting is starting.
        709 => MeetingStarted,
        // 710 未绑定: the device or account is not bound.
        710 => PermissionDenied,
        // 711 设备已删除: the hardware device was deleted.
        711 => NotFound,
        // 712 会议模式错误: the meeting mode does not allow the operation.
        712 => InvalidRequest,
        _ => return None,
    };
    Some(kind)
}

/// What the HTTP status says when the answer carries no code. The document never mentions
/// HTTP statuses (note §1); the paths are fixed names, so a 404 means the server address is
/// not a BizConf API.
pub fn kind_for_status(status: u16) -> VendorErrorKind {
    use VendorErrorKind::*;
    match status {
        401 => BadCredentials,
        403 => PermissionDenied,
        404 => Network,
        429 => RateLimited,
        400..=499 => InvalidRequest,
        500..=599 => Unavailable,
        _ => BadResponse,
    }
}

/// A failed answer's kind: the code when the document knows it, else a code the document does
/// not list reads as a refused request, else the HTTP status.
pub fn classify(http_status: u16, code: Option<i64>) -> VendorErrorKind {
    match code.filter(|c| *c != OK) {
        Some(c) => kind_for_code(c).unwrap_or(VendorErrorKind::InvalidRequest),
        None => kind_for_status(http_status),
    }
}

/// Whether a refused request may be signed again and sent once more, whatever the endpoint:
/// only when the server refused it before acting (a stale token).
pub fn refused_before_acting(code: Option<i64>) -> bool {
    code == Some(TOKEN_EXPIRED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use huiyi_core::Lang;
    use VendorErrorKind::*;

    /// Every code of L28-115 has a meaning; 100 is success.
    #[test]
    fn every_documented_code_maps() {
        let documented = [
            101, 102, 103, 104, 106, 109, 112, 201, 202, 205, 301, 401, 402, 403, 501, 701, 702,
            703, 704, 705, 706, 707, 708, 709, 710, 711, 712,
        ];
        for code in documented {
            assert!(kind_for_code(code).is_some(), "{code}");
        }
        assert_eq!(kind_for_code(OK), None);
        assert_eq!(kind_for_code(105), None);
    }

    #[test]
    fn booking_refusals_read_as_what_the_user_must_change() {
        let cases = [
            (101, BadCredentials),
            (102, BadCredentials),
            (106, BadCredentials),
            (104, InvalidRequest),
            (109, InvalidRequest),
            (201, StartInPast),
            (202, TimeConflict),
            (205, ResourcesInsufficient),
            (401, NotFound),
            (704, ClockSkew),
            (708, MeetingStarted),
        ];
        for (code, kind) in cases {
            assert_eq!(classify(200, Some(code)), kind, "{code}");
        }
    }

    #[test]
    fn a_time_conflict_and_missing_ports_say_so_plainly() {
        let conflict = classify(200, Some(202)).message(Lang::En, "BizConf Video");
        assert!(
            conflict.contains("one meeting per account at a time"),
            "{conflict}"
        );
        let zh = classify(200, Some(202)).message(Lang::Zh, "会畅");
        assert!(zh.contains("已有另一个会议"), "{zh}");
        let ports = classify(200, Some(205)).message(Lang::En, "BizConf Video");
        assert!(
            ports.contains("run out of BizConf Video meeting resources"),
            "{ports}"
        );
    }

    #[test]
    fn unknown_codes_and_bare_statuses() {
        assert_eq!(classify(200, Some(999)), InvalidRequest);
        assert_eq!(classify(502, None), Unavailable);
        assert_eq!(classify(404, None), Network);
        assert_eq!(classify(429, None), RateLimited);
        assert_eq!(classify(302, None), BadResponse);
        assert_eq!(
            classify(500, Some(205)),
            ResourcesInsufficient,
            "the code wins"
        );
        assert!(refused_before_acting(Some(704)));
        assert!(!refused_before_acting(Some(102)));
        assert!(!refused_before_acting(None));
    }
}
