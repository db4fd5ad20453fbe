use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::vendor::VendorKind;

/// Local identifier of an account (a UUID string). Also the keyring entry's user name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct AccountId(pub String);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The non-secret half of an account's credentials. The secret half (App Key, password, ...)
/// lives only in the OS keyring, keyed by the account id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum AccountAuth {
    /// Huawei App ID authentication; the secret is the App Key. `user_id` is the third-party
    /// user the app acts for; none means the enterprise default administrator.
    HuaweiAppId {
        app_id: String,
        user_id: Option<String>,
    },
    /// Huawei account + password authentication; the secret is the password.
    HuaweiPassword { account: String },
}

impl AccountAuth {
    pub fn vendor(&self) -> VendorKind {
        match self {
            AccountAuth::HuaweiAppId { .. } | AccountAuth::HuaweiPassword { .. } => {
                VendorKind::Huawei
            }
        }
    }

    /// Who this account acts as, for display ("app fdb8… as alice", "zhangsan@huawei.com").
    pub fn principal(&self) -> String {
        match self {
            AccountAuth::HuaweiAppId {
                app_id,
                user_id: Some(u),
            } if !u.is_empty() => format!("{u} @ {app_id}"),
            AccountAuth::HuaweiAppId { app_id, .. } => app_id.clone(),
            AccountAuth::HuaweiPassword { account } => account.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub vendor: VendorKind,
    /// The user's own name for the account ("Beijing office").
    pub label: String,
    /// API base URL without a trailing slash. For sandbox accounts this is re-pointed at the
    /// in-process fake each time it starts.
    pub base_url: String,
    pub auth: AccountAuth,
    /// True for accounts served by the built-in fake vendors (huiyi-sim).
    pub sandbox: bool,
    pub created_at: DateTime<Utc>,
}
