//! User-facing error vocabulary. Each variant renders to a sentence that says what to fix, in
//! the UI language; the codes are stable for scripts (`huiyictl --json`) and the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Lang;

/// One problem with one field of a form; `field` names the input (`subject`, `start`, `end`,
/// `zone`, `attendees.2.email`, ...) so the UI can show it next to that input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    pub field: String,
    pub code: FieldErrorCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldErrorCode) -> FieldError {
        FieldError {
            field: field.into(),
            code,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.code.message(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldErrorCode {
    Required,
    TooLong {
        max: usize,
    },
    /// Not a date-time of the form `YYYY-MM-DDTHH:MM`.
    BadDateTime,
    StartInPast,
    EndNotAfterStart,
    DurationOutOfRange {
        min: u32,
        max: u32,
    },
    UnknownZone,
    /// The local time is skipped by a daylight-saving change in the zone.
    NonexistentLocalTime,
    AttendeeUnreachable,
    AttendeeNeedsPhone,
    /// Only hosts named by their user id at the vendor can be added.
    AttendeeMustBeHostAccount,
    /// The vendor invites people by their user id there only.
    AttendeeNeedsAccount,
    BadEmail,
    BadPhone,
    TooManyAttendees {
        max: usize,
    },
    BadUrl,
    /// A number (a vendor's numeric user id, CloudRoom's) given with something else than digits.
    NotANumber,
    /// A meeting password that is not this many digits.
    PasswordDigits {
        min: usize,
        max: usize,
    },
    /// Ports (方数) outside what the vendor lets one meeting reserve.
    PortsOutOfRange {
        min: u32,
        max: u32,
    },
    /// The form asks for something the chosen vendor cannot do (ports on a vendor without
    /// ports, registration on a vendor without registration).
    NotSupportedByVendor,
    /// A repeat rule (RRULE) part that cannot be read: `part` is the text as typed.
    RuleSyntax {
        part: String,
    },
    /// A repeat rule without `FREQ`.
    RuleMissingFreq,
    /// A rule part given twice (RFC 5545: each part at most once).
    RulePartRepeated {
        part: String,
    },
    /// A valid RFC 5545 rule part that Huiyi's series do not take (`FREQ=HOURLY`, `BYHOUR`,
    /// `BYMONTH`, ...): refused rather than dropped, so a series never means less than typed.
    RuleUnsupported {
        part: String,
    },
    /// A rule value outside its range (`BYMONTHDAY=0`, `INTERVAL=0`, `BYDAY=6MO` monthly).
    /// Zero is never allowed when `min` is negative.
    RuleValueOutOfRange {
        part: String,
        min: i32,
        max: i32,
    },
    /// A rule part RFC 5545 forbids with this frequency (`BYMONTHDAY` weekly, `BYDAY=-1FR`
    /// daily or weekly).
    RulePartNotWithFreq {
        part: String,
        freq: String,
    },
    /// `COUNT` and `UNTIL` together (RFC 5545: at most one of them).
    RuleCountAndUntil,
    /// `BYSETPOS` without `BYDAY` or `BYMONTHDAY` to pick from.
    RuleSetPosAlone,
    /// `UNTIL` not in UTC (`...Z`): RFC 5545 requires it when the start has a time zone.
    UntilNotUtc,
    /// The rule gives no occurrence from the start on (an UNTIL before the start, or a rule
    /// no date matches).
    RuleNoOccurrences,
    /// An excluded date or an override names a time that is not one of the series' meetings.
    NotAnOccurrence,
    /// The same occurrence is named twice.
    DuplicateOccurrence,
}

impl FieldErrorCode {
    pub fn message(&self, lang: Lang) -> String {
        use FieldErrorCode::*;
        match (self, lang) {
            (Required, Lang::Zh) => "此项必填。".into(),
            (Required, Lang::En) => "This field is required.".into(),
            (TooLong { max }, Lang::Zh) => format!("太长了：最多 {max} 个字符。"),
            (TooLong { max }, Lang::En) => format!("Too long: at most {max} characters."),
            (BadDateTime, Lang::Zh) => "请按“年-月-日 时:分”填写日期和时间。".into(),
            (BadDateTime, Lang::En) => "Enter the date and time as YYYY-MM-DD HH:MM.".into(),
            (StartInPast, Lang::Zh) => "开始时间已经过去，请选择将来的时间。".into(),
            (StartInPast, Lang::En) => "The start time has already passed; choose a time in the future.".into(),
            (EndNotAfterStart, Lang::Zh) => "结束时间必须晚于开始时间。".into(),
            (EndNotAfterStart, Lang::En) => "The end must be after the start.".into(),
            (DurationOutOfRange { min, max }, Lang::Zh) => format!("会议时长须在 {min} 到 {max} 分钟之间。"),
            (DurationOutOfRange { min, max }, Lang::En) => {
                format!("The meeting must last between {min} and {max} minutes.")
            }
            (UnknownZone, Lang::Zh) => "未知时区，请选择列表中的时区（如 Asia/Shanghai）。".into(),
            (UnknownZone, Lang::En) => "Unknown time zone; pick one from the list (e.g. Asia/Shanghai).".into(),
            (NonexistentLocalTime, Lang::Zh) => "该时区因夏令时跳过了这个时间，请换一个时间。".into(),
            (NonexistentLocalTime, Lang::En) => {
                "This time does not exist in the zone (daylight-saving change); choose another time.".into()
            }
            (AttendeeUnreachable, Lang::Zh) => "请为该参会人填写邮箱、手机号或账号中的至少一项。".into(),
            (AttendeeUnreachable, Lang::En) => "Give this attendee an email, a phone number or an account.".into(),
            (AttendeeNeedsPhone, Lang::Zh) => "此账号类型要求每位参会人都有手机号或 SIP 号码。".into(),
            (AttendeeNeedsPhone, Lang::En) => {
                "This kind of account needs a phone or SIP number for every attendee.".into()
            }
            (AttendeeMustBeHostAccount, Lang::Zh) => "该服务商只接受以其用户 ID 指定的主持人：请打开“主持人”并填写账号（用户 ID），或移除此人。".into(),
            (AttendeeMustBeHostAccount, Lang::En) => {
                "This vendor takes only hosts named by their user ID there: switch on Host and fill in the account (user ID), or remove this person.".into()
            }
            (PasswordDigits { min, max }, Lang::Zh) => format!("会议密码须为 {min}–{max} 位数字。"),
            (PasswordDigits { min, max }, Lang::En) => format!("The meeting password must be {min} to {max} digits."),
            (AttendeeNeedsAccount, Lang::Zh) => "该服务商只能按用户 ID 邀请：请在“账号”中填写此人在该服务商的用户 ID。".into(),
            (AttendeeNeedsAccount, Lang::En) => {
                "This vendor invites people by their user ID there only: fill in this person's account (user ID).".into()
            }
            (BadEmail, Lang::Zh) => "邮箱地址格式不正确。".into(),
            (BadEmail, Lang::En) => "This is not a valid email address.".into(),
            (BadPhone, Lang::Zh) => "号码格式不正确：请填写带国家码的手机号（如 +8613800138000）。".into(),
            (BadPhone, Lang::En) => "Not a valid number: use a mobile number with country code (e.g. +8613800138000).".into(),
            (TooManyAttendees { max }, Lang::Zh) => format!("参会人太多：最多 {max} 位。"),
            (TooManyAttendees { max }, Lang::En) => format!("Too many attendees: at most {max}."),
            (BadUrl, Lang::Zh) => "地址须以 http:// 或 https:// 开头。".into(),
            (BadUrl, Lang::En) => "The address must start with http:// or https://.".into(),
            (NotANumber, Lang::Zh) => "此处只能填写数字。".into(),
            (NotANumber, Lang::En) => "Only digits here: this is a number.".into(),
            (PortsOutOfRange { min, max }, Lang::Zh) => format!("方数须在 {min} 到 {max} 之间。"),
            (PortsOutOfRange { min, max }, Lang::En) => {
                format!("The number of ports must be between {min} and {max}.")
            }
            (NotSupportedByVendor, Lang::Zh) => "所选账号的服务商不支持此项，请清除它或换一个账号。".into(),
            (NotSupportedByVendor, Lang::En) => {
                "The chosen account's vendor does not support this; clear it or pick another account.".into()
            }
            (RuleSyntax { part }, Lang::Zh) => format!("重复规则中的“{part}”无法识别：请按 RFC 5545 写，如 FREQ=WEEKLY;BYDAY=MO,WE。"),
            (RuleSyntax { part }, Lang::En) => {
                format!("\"{part}\" in the repeat rule cannot be read: write it as in RFC 5545, e.g. FREQ=WEEKLY;BYDAY=MO,WE.")
            }
            (RuleMissingFreq, Lang::Zh) => "重复规则缺少 FREQ：请写明按天、周、月或年重复（FREQ=DAILY、WEEKLY、MONTHLY 或 YEARLY）。".into(),
            (RuleMissingFreq, Lang::En) => {
                "The repeat rule has no FREQ: say whether it repeats daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY).".into()
            }
            (RulePartRepeated { part }, Lang::Zh) => format!("重复规则中 {part} 出现了不止一次，请只保留一个。"),
            (RulePartRepeated { part }, Lang::En) => format!("{part} appears more than once in the repeat rule; keep one."),
            (RuleUnsupported { part }, Lang::Zh) => format!("重复规则中的 {part} 暂不支持：系列会议只能按天、周、月或年重复，可用 INTERVAL、BYDAY、BYMONTHDAY、BYSETPOS、COUNT、UNTIL、WKST。"),
            (RuleUnsupported { part }, Lang::En) => format!(
                "{part} is not supported in a repeat rule: a series repeats daily, weekly, monthly or yearly, with INTERVAL, BYDAY, BYMONTHDAY, BYSETPOS, COUNT, UNTIL and WKST."
            ),
            (RuleValueOutOfRange { part, min, max }, Lang::Zh) if *min < 0 => {
                format!("重复规则中的 {part} 超出范围：须在 {min} 到 {max} 之间，且不能为 0。")
            }
            (RuleValueOutOfRange { part, min, max }, Lang::Zh) => format!("重复规则中的 {part} 超出范围：须在 {min} 到 {max} 之间。"),
            (RuleValueOutOfRange { part, min, max }, Lang::En) if *min < 0 => {
                format!("{part} is out of range in the repeat rule: it must be between {min} and {max}, and not 0.")
            }
            (RuleValueOutOfRange { part, min, max }, Lang::En) => {
                format!("{part} is out of range in the repeat rule: it must be between {min} and {max}.")
            }
            (RulePartNotWithFreq { part, freq }, Lang::Zh) => format!("{part} 不能与 FREQ={freq} 一起使用（RFC 5545）：请去掉它或换一种重复频率。"),
            (RulePartNotWithFreq { part, freq }, Lang::En) => {
                format!("{part} cannot be used with FREQ={freq} (RFC 5545): remove it or repeat at another frequency.")
            }
            (RuleCountAndUntil, Lang::Zh) => "COUNT（次数）和 UNTIL（截止时间）只能二选一。".into(),
            (RuleCountAndUntil, Lang::En) => "Give either COUNT (how many times) or UNTIL (until when), not both.".into(),
            (RuleSetPosAlone, Lang::Zh) => "BYSETPOS 需要配合 BYDAY 或 BYMONTHDAY 使用，从中选出第几次。".into(),
            (RuleSetPosAlone, Lang::En) => "BYSETPOS needs BYDAY or BYMONTHDAY to pick from.".into(),
            (UntilNotUtc, Lang::Zh) => "UNTIL 须写成 UTC 时间，如 20261231T235959Z（开始时间带时区时 RFC 5545 要求如此）。".into(),
            (UntilNotUtc, Lang::En) => {
                "Write UNTIL as a UTC time such as 20261231T235959Z (RFC 5545 requires it when the start has a time zone).".into()
            }
            (RuleNoOccurrences, Lang::Zh) => "按此重复规则，从开始时间起一次会议也没有：请检查规则、开始时间和截止时间（UNTIL）。".into(),
            (RuleNoOccurrences, Lang::En) => {
                "This repeat rule gives no meeting from the start on; check the rule, the start and the end (UNTIL).".into()
            }
            (NotAnOccurrence, Lang::Zh) => "这不是该系列中的一次会议：请填写那次会议原定的开始时间（系列时区的当地时间）。".into(),
            (NotAnOccurrence, Lang::En) => {
                "This is not one of the series' meetings: give the start it was first planned for (local time in the series' zone).".into()
            }
            (DuplicateOccurrence, Lang::Zh) => "同一次会议被填写了两次，请合并为一项。".into(),
            (DuplicateOccurrence, Lang::En) => "The same meeting is named twice; merge them into one.".into(),
        }
    }
}

/// Why a vendor call failed, in terms a person can act on. Vendor clients map their own error
/// codes onto these; the raw code and message travel alongside for support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VendorErrorKind {
    /// Credentials rejected (wrong App Key, password, signature).
    BadCredentials,
    /// The account is locked or disabled at the vendor.
    AccountLocked,
    /// The session expired and could not be renewed.
    SessionExpired,
    /// The call needs a person's own authorization at the vendor (Feishu's user token), which
    /// is missing or has lapsed: the user has to connect (sign in through the browser) again.
    UserAuthorizationNeeded,
    /// The vendor refused the request because this computer's clock is too far from its own
    /// (Tencent 190300: more than 5 minutes).
    ClockSkew,
    PermissionDenied,
    StartInPast,
    BeyondBookingWindow,
    DailyLimitReached,
    ResourcesInsufficient,
    /// A vendor-managed meeting room is already booked for (part of) that time.
    RoomOccupied,
    /// Another meeting of this account already holds (part of) that time, and the vendor allows
    /// one meeting per account at a time (BizConf 202).
    TimeConflict,
    /// This vendor or account cannot do that at all (e.g. rooms on a vendor without rooms).
    Unsupported,
    AttendeeInvalid,
    /// The meeting has started, so it can no longer be edited (or cancelled without ending it).
    MeetingStarted,
    NotFound,
    /// The vendor rejected a field we sent; the raw message says which.
    InvalidRequest,
    RateLimited,
    /// The vendor answered 5xx or is under maintenance.
    Unavailable,
    Timeout,
    /// The vendor could not be reached at all.
    Network,
    /// The vendor answered something we could not understand.
    BadResponse,
}

impl VendorErrorKind {
    /// Whether the same request may succeed if simply tried again later.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            VendorErrorKind::RateLimited
                | VendorErrorKind::Unavailable
                | VendorErrorKind::Timeout
                | VendorErrorKind::Network
        )
    }

    pub fn code(self) -> &'static str {
        use VendorErrorKind::*;
        match self {
            BadCredentials => "bad_credentials",
            AccountLocked => "account_locked",
            SessionExpired => "session_expired",
            UserAuthorizationNeeded => "user_authorization_needed",
            ClockSkew => "clock_skew",
            PermissionDenied => "permission_denied",
            StartInPast => "start_in_past",
            BeyondBookingWindow => "beyond_booking_window",
            DailyLimitReached => "daily_limit_reached",
            ResourcesInsufficient => "resources_insufficient",
            RoomOccupied => "room_occupied",
            TimeConflict => "time_conflict",
            Unsupported => "unsupported",
            AttendeeInvalid => "attendee_invalid",
            MeetingStarted => "meeting_started",
            NotFound => "not_found",
            InvalidRequest => "invalid_request",
            RateLimited => "rate_limited",
            Unavailable => "unavailable",
            Timeout => "timeout",
            Network => "network",
            BadResponse => "bad_response",
        }
    }

    /// What happened and what to do, in the UI language. `vendor` is the vendor's display name.
    pub fn message(self, lang: Lang, vendor: &str) -> String {
        use VendorErrorKind::*;
        match (self, lang) {
            (BadCredentials, Lang::Zh) => format!("{vendor}拒绝了该账号的凭据，请在“账号”中检查 App ID / 密钥或密码。"),
            (BadCredentials, Lang::En) => format!("{vendor} rejected this account's credentials; check the App ID and key, or the password, under Accounts."),
            (AccountLocked, Lang::Zh) => format!("该账号已被{vendor}锁定或停用，请稍后再试或联系企业管理员。"),
            (AccountLocked, Lang::En) => format!("{vendor} has locked or disabled this account; try again later or ask your enterprise administrator."),
            (SessionExpired, Lang::Zh) => format!("与{vendor}的会话已过期且无法自动续期，请检查账号凭据。"),
            (SessionExpired, Lang::En) => format!("The session with {vendor} expired and could not be renewed; check the account's credentials."),
            (UserAuthorizationNeeded, Lang::Zh) => format!("此操作需要您的{vendor}用户授权：请在“账号”中点击“连接{vendor}用户”，在浏览器中同意后重试。"),
            (UserAuthorizationNeeded, Lang::En) => format!("This needs your own {vendor} authorization: under Accounts choose “Connect {vendor} user”, approve in the browser, then try again."),
            (ClockSkew, Lang::Zh) => format!("本机时钟与{vendor}服务器相差超过 5 分钟，请校准系统时间（开启自动对时）后重试。"),
            (ClockSkew, Lang::En) => format!("This computer's clock is more than 5 minutes away from {vendor}'s; set the system time correctly (turn on automatic time) and try again."),
            (PermissionDenied, Lang::Zh) => format!("该账号在{vendor}没有此操作的权限，请联系企业管理员。"),
            (PermissionDenied, Lang::En) => format!("This account is not allowed to do that on {vendor}; ask your enterprise administrator."),
            (StartInPast, Lang::Zh) => format!("{vendor}认为开始时间已过去，请选择将来的时间（并检查电脑时钟）。"),
            (StartInPast, Lang::En) => format!("{vendor} says the start time has passed; pick a later time (and check this computer's clock)."),
            (BeyondBookingWindow, Lang::Zh) => format!("开始时间超出了{vendor}允许的预约范围，请选择更近的日期。"),
            (BeyondBookingWindow, Lang::En) => format!("The start is further ahead than {vendor} allows booking; pick an earlier date."),
            (DailyLimitReached, Lang::Zh) => format!("已达到{vendor}每日可预约的会议数上限，请明天再试或升级企业版。"),
            (DailyLimitReached, Lang::En) => format!("This account has reached {vendor}'s daily meeting limit; try tomorrow or upgrade the plan."),
            (ResourcesInsufficient, Lang::Zh) => format!("{vendor}企业会议资源不足，请缩短会议、减少人数或联系管理员购买资源。"),
            (ResourcesInsufficient, Lang::En) => format!("The enterprise has run out of {vendor} meeting resources; shorten the meeting, invite fewer people or ask an administrator to add resources."),
            (RoomOccupied, Lang::Zh) => format!("该会议室在这段时间已被{vendor}上的其他会议占用，请换一个会议室或调整时间。"),
            (RoomOccupied, Lang::En) => format!("The room is already booked on {vendor} for part of that time; choose another room or move the meeting."),
            (TimeConflict, Lang::Zh) => format!("该账号在这段时间已有另一个会议（{vendor}规定同一账号同一时间只能有一个会议），请换一个时间或先取消那个会议。"),
            (TimeConflict, Lang::En) => format!("Another meeting of this account already holds that time ({vendor} allows one meeting per account at a time); pick another time or cancel that meeting first."),
            (Unsupported, Lang::Zh) => format!("{vendor}不支持此操作。"),
            (Unsupported, Lang::En) => format!("{vendor} does not support this."),
            (AttendeeInvalid, Lang::Zh) => format!("{vendor}不接受某位参会人的信息，请检查其邮箱、手机号和姓名。"),
            (AttendeeInvalid, Lang::En) => format!("{vendor} did not accept an attendee; check their email, phone number and name."),
            (MeetingStarted, Lang::Zh) => "会议已经开始，无法再修改或取消。".into(),
            (MeetingStarted, Lang::En) => "The meeting has already started and can no longer be changed or cancelled.".into(),
            (NotFound, Lang::Zh) => format!("{vendor}上找不到这个会议，它可能已被取消或已结束。"),
            (NotFound, Lang::En) => format!("{vendor} no longer has this meeting; it may have been cancelled or already ended."),
            (InvalidRequest, Lang::Zh) => format!("{vendor}拒绝了请求中的某项内容，请检查填写的信息。"),
            (InvalidRequest, Lang::En) => format!("{vendor} rejected part of the request; check what was entered."),
            (RateLimited, Lang::Zh) => format!("对{vendor}的请求太频繁，请稍等片刻再试。"),
            (RateLimited, Lang::En) => format!("Too many requests to {vendor}; wait a moment and try again."),
            (Unavailable, Lang::Zh) => format!("{vendor}服务暂时不可用，请稍后重试。"),
            (Unavailable, Lang::En) => format!("{vendor} is temporarily unavailable; try again shortly."),
            (Timeout, Lang::Zh) => format!("{vendor}响应超时，请稍后重试。"),
            (Timeout, Lang::En) => format!("{vendor} did not answer in time; try again shortly."),
            (Network, Lang::Zh) => format!("无法连接{vendor}，请检查网络或账号中的服务器地址。"),
            (Network, Lang::En) => format!("Could not reach {vendor}; check the network, or the server address in the account."),
            (BadResponse, Lang::Zh) => format!("{vendor}返回了无法识别的内容，请稍后重试。"),
            (BadResponse, Lang::En) => format!("{vendor} sent an answer Huiyi could not understand; try again shortly."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_conflict_says_one_meeting_per_account_in_both_languages() {
        let k = VendorErrorKind::TimeConflict;
        assert_eq!(k.code(), "time_conflict");
        assert!(!k.retryable(), "the same time stays taken");
        assert!(k
            .message(Lang::Zh, "会畅")
            .contains("同一账号同一时间只能有一个会议"));
        assert!(k
            .message(Lang::En, "BizConf Video")
            .contains("one meeting per account at a time"));
        assert_eq!(
            serde_json::to_value(k).unwrap(),
            serde_json::json!("time_conflict")
        );
    }
}
