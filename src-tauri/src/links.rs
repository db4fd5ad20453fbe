//! Which links the shell agrees to hand to the operating system.
//!
//! Links come from vendors, and a link opened by the OS can start any registered program, so
//! only `https` URLs with a host are opened. (The vendor catalogue of protocol links —
//! `wemeet://`, `CRMT:` — will widen this per vendor.)

use huiyi_core::Lang;
use huiyi_desk::UiError;

pub fn ui_error(code: &str, message: String) -> UiError {
    UiError {
        code: code.to_string(),
        message,
        vendor: None,
        vendor_code: None,
        retryable: false,
        fields: Vec::new(),
    }
}

/// Ok when `raw` is a web (http or https) URL with a host; otherwise the error the person sees.
/// Plain http is opened too: CloudRoom's documented join links are `http://www.cloudroom.com/…`
/// (L238, L244), and a browser page is no more than that. The URL itself is never put into the
/// message: it may be a host link.
pub fn check_openable(raw: &str, lang: Lang) -> Result<url::Url, UiError> {
    let refused = || {
        ui_error(
            "link_refused",
            lang.pick(
                "会易只打开网页（http/https）链接，这个入会链接的形式不安全，已拒绝打开。可以复制会议号手动入会。",
                "Huiyi only opens web (http/https) links and refused this join link; join with the meeting number instead.",
            )
            .to_string(),
        )
    };
    let url = url::Url::parse(raw.trim()).map_err(|_| refused())?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none_or(str::is_empty) {
        return Err(refused());
    }
    Ok(url)
}

/// The authorization page of a "connect my user" flow: https with a host, or plain http on
/// this computer (the sandbox serves the page on 127.0.0.1).
pub fn check_authorize_page(raw: &str, lang: Lang) -> Result<url::Url, UiError> {
    let url = url::Url::parse(raw.trim()).ok().filter(|u| {
        let host = u.host_str().unwrap_or("");
        (u.scheme() == "https" && !host.is_empty())
            || (u.scheme() == "http" && matches!(host, "127.0.0.1" | "localhost" | "[::1]"))
    });
    url.ok_or_else(|| {
        ui_error(
            "link_refused",
            lang.pick(
                "授权页面地址不安全，已拒绝打开。请检查账号的服务器地址。",
                "The authorization page's address is not safe and was not opened; check the account's server address.",
            )
            .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_are_opened_and_nothing_else() {
        for good in [
            "https://c.meeting.huaweicloud.com/#/j/914673889/9505dc",
            "http://www.cloudroom.com/abc123",
        ] {
            assert!(check_openable(good, Lang::En).is_ok(), "{good}");
        }
        for bad in [
            "http://",
            "CRMT:LU1FRVRUWVBFPUIFRVRNR1IK",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "cloudlink://join?id=1",
            "https://",
            "  ftp://c.meeting.huaweicloud.com/x",
            "not a url",
            "",
        ] {
            let e = check_openable(bad, Lang::En).unwrap_err();
            assert_eq!(e.code, "link_refused", "{bad}");
            assert!(!e.message.contains(bad) || bad.is_empty());
        }
    }

    #[test]
    fn the_refusal_speaks_the_ui_language() {
        let e = check_openable("file:///etc/passwd", Lang::Zh).unwrap_err();
        assert!(e.message.contains("网页"), "{}", e.message);
        assert!(e.message.contains("会易"));
    }

    #[test]
    fn authorization_pages_open_on_https_or_this_computer_only() {
        for good in [
            "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_1",
            "http://127.0.0.1:41234/open-apis/authen/v1/authorize?client_id=cli_1",
        ] {
            assert!(check_authorize_page(good, Lang::En).is_ok(), "{good}");
        }
        for bad in [
            "http://accounts.feishu.cn/open-apis/authen/v1/authorize",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://",
        ] {
            assert!(check_authorize_page(bad, Lang::En).is_err(), "{bad}");
        }
    }
}
