//! Turning every failure into a [`UiError`]: a sentence in the UI language plus stable codes.
//! Nothing here formats a secret: vendor errors carry only the vendor's own code and text, and
//! keyring errors only the platform's description.

use huiyi_core::{FieldError, Lang};
use huiyi_vendors::VendorError;

use crate::api::{FieldErrorView, UiError};
use crate::secrets::SecretError;
use crate::store::StoreError;

impl UiError {
    pub(crate) fn plain(code: &str, message: String) -> UiError {
        UiError {
            code: code.into(),
            message,
            vendor: None,
            vendor_code: None,
            retryable: false,
            fields: Vec::new(),
        }
    }

    /// Field problems from a form; the message sums them up, each field carries its own.
    pub fn invalid_input(errors: &[FieldError], lang: Lang) -> UiError {
        let fields: Vec<FieldErrorView> = errors
            .iter()
            .map(|e| FieldErrorView {
                field: e.field.clone(),
                code: e.code.clone(),
                message: e.message(lang),
            })
            .collect();
        let listing = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "));
        let message = match lang {
            Lang::Zh => format!("请修改以下内容后重试 —— {listing}"),
            Lang::En => format!("Please fix the following and try again — {listing}"),
        };
        UiError {
            fields,
            ..UiError::plain("invalid_input", message)
        }
    }

    pub fn from_vendor(e: &VendorError, lang: Lang) -> UiError {
        UiError {
            code: e.kind.code().into(),
            message: e.message(lang),
            vendor: Some(e.vendor),
            vendor_code: e.code.clone(),
            retryable: e.retryable(),
            fields: Vec::new(),
        }
    }

    pub fn from_secret(e: &SecretError, lang: Lang) -> UiError {
        UiError::plain("keyring", e.message(lang))
    }

    pub fn from_store(e: &StoreError, lang: Lang) -> UiError {
        let message = match (e, lang) {
            (StoreError::TooNew { .. }, Lang::Zh) => "数据文件来自更新版本的 Huiyi，请升级后再打开。".to_string(),
            (StoreError::TooNew { .. }, Lang::En) => {
                "The data file was written by a newer Huiyi; upgrade Huiyi to open it.".to_string()
            }
            (StoreError::Io(io), Lang::Zh) => format!("无法访问数据文件夹（{io}），请检查磁盘空间和权限。"),
            (StoreError::Io(io), Lang::En) => {
                format!("Cannot use the data folder ({io}); check disk space and permissions.")
            }
            (other, Lang::Zh) => format!("本地数据库出错（{other}），请检查磁盘空间和权限后重试。"),
            (other, Lang::En) => format!("The local database failed ({other}); check disk space and permissions, then try again."),
        };
        UiError::plain("storage", message)
    }

    pub fn account_not_found(lang: Lang) -> UiError {
        UiError::plain(
            "not_found",
            lang.pick(
                "找不到该账号，它可能已被删除。",
                "No such account; it may have been removed.",
            )
            .into(),
        )
    }

    pub fn meeting_not_found(lang: Lang) -> UiError {
        UiError::plain(
            "not_found",
            lang.pick(
                "本地没有这个会议，请先刷新日程。",
                "No such meeting here; refresh the agenda first.",
            )
            .into(),
        )
    }

    pub fn no_host_password(lang: Lang) -> UiError {
        UiError::plain(
            "no_host_password",
            lang.pick(
                "该会议没有主持人密码，或本账号不是主持人。",
                "This meeting has no host password, or this account is not its host.",
            )
            .into(),
        )
    }

    pub fn no_link(lang: Lang) -> UiError {
        UiError::plain(
            "no_link",
            lang.pick(
                "会议方没有提供此类入会链接。",
                "The vendor gave no join link of this kind for the meeting.",
            )
            .into(),
        )
    }

    pub fn no_user_authorization(lang: Lang) -> UiError {
        UiError::plain(
            "unsupported",
            lang.pick(
                "该账号的服务商不需要用户授权。",
                "This account's vendor needs no user authorization.",
            )
            .into(),
        )
    }

    pub fn redirect_port_busy(port: u16, lang: Lang) -> UiError {
        let message = match lang {
            Lang::Zh => format!("无法在本机端口 {port} 上接收授权回调（端口被占用）。请关闭占用该端口的程序，或设置环境变量 HUIYI_FEISHU_REDIRECT_PORT 为另一个已在飞书应用安全设置中登记的端口。"),
            Lang::En => format!("Cannot receive the authorization on local port {port} (it is in use). Close the program using it, or set HUIYI_FEISHU_REDIRECT_PORT to another port registered in the Feishu app's security settings."),
        };
        UiError::plain("redirect_port_busy", message)
    }

    pub fn connect_declined(lang: Lang) -> UiError {
        UiError::plain(
            "access_denied",
            lang.pick(
                "您在浏览器中拒绝了授权，未连接任何用户。如需连接，请重试并点击“授权”。",
                "The authorization was declined in the browser, so no user was connected. To connect, try again and approve.",
            )
            .into(),
        )
    }

    pub fn connect_timed_out(minutes: u64, lang: Lang) -> UiError {
        let message = match lang {
            Lang::Zh => format!("{minutes} 分钟内浏览器没有返回授权，请重新连接。"),
            Lang::En => format!("No authorization came back from the browser within {minutes} minutes; connect again."),
        };
        UiError::plain("timeout", message)
    }

    pub fn connect_cancelled(lang: Lang) -> UiError {
        UiError::plain(
            "cancelled",
            lang.pick("已取消连接。", "Connecting was cancelled.")
                .into(),
        )
    }

    pub fn sandbox(detail: &str, lang: Lang) -> UiError {
        let message = match lang {
            Lang::Zh => format!("无法启动沙盒（{detail}），请检查数据文件夹权限后重试。"),
            Lang::En => format!("Could not start the sandbox ({detail}); check the data folder's permissions and try again."),
        };
        UiError::plain("sandbox", message)
    }

    /// The same error with another summary sentence (front ends that know more context).
    pub fn with_message(mut self, message: &str) -> UiError {
        self.message = message.to_string();
        self
    }

    pub fn logging(detail: &str) -> UiError {
        UiError::plain("storage", format!("Cannot open the log file: {detail}"))
    }
}
