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
    /// Tencent Meeting enterprise self-built app (the "JWT" / AK-SK signing); the secret is the
    /// Secret Key. `app_id` is the enterprise ID (`AppId` header), `sdk_id` the app's SDK ID
    /// when one was assigned (`SdkId`), `secret_id` the `X-TC-Key`, and `operator` the `userid`
    /// the app books as (the meetings' creator).
    TencentApp {
        app_id: String,
        sdk_id: Option<String>,
        secret_id: String,
        operator: String,
    },
    /// BizConf Video (会畅) REST API access; the secret is the site's API KEY. `site_sign` is
    /// the site identifier (`siteSign`), `user_id` the customer-side user id meetings are
    /// booked as (`userId`, at most 32 characters, created by BizConf on the first booking) and
    /// `user_name` its display name (`userName`; BizConf keeps the name of the first booking).
    BizconfApi {
        site_sign: String,
        user_id: String,
        user_name: String,
    },
    /// Feishu / Lark VC through a self-built app (企业自建应用); the secret is the App Secret.
    /// `app_id` (`cli_…`) and the secret buy a `tenant_access_token` (note §3.1); `region`
    /// picks open.feishu.cn or open.larksuite.com; `owner` is the user (`open_id`, `ou_…`) the
    /// meetings belong to (`owner_id` of reserve apply with a tenant token, note §4.2) and who
    /// connects through OAuth for the user-token-only calls (invite, end).
    FeishuApp {
        app_id: String,
        region: FeishuRegion,
        owner: Option<String>,
    },
    /// CloudRoom (云屋) meeting Web API; the secret is the company's Secret Key (企业中心 ->
    /// WEB-API, doc L15-18), used only to sign. `secret_id` is the company's `X-CR-SecretId`;
    /// `user_id` the CloudRoom user id (a Long) meetings are listed for (`searchUserId`) and
    /// hosted by (`hostId`); none means the company's creator, the document's default host
    /// (L126).
    CloudroomApi {
        secret_id: String,
        user_id: Option<String>,
    },
}

/// Which Feishu cloud an app lives on: Feishu (China, open.feishu.cn) or Lark (international,
/// open.larksuite.com); note §1, [GO:client.go] `FeishuBaseUrl` / `LarkBaseUrl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FeishuRegion {
    Feishu,
    Lark,
}

impl FeishuRegion {
    /// The Open Platform API host.
    pub fn default_base_url(self) -> &'static str {
        match self {
            FeishuRegion::Feishu => "https://open.feishu.cn",
            FeishuRegion::Lark => "https://open.larksuite.com",
        }
    }

    /// The host of the OAuth authorize page (note §3.3: accounts.feishu.cn; the Lark
    /// counterpart accounts.larksuite.com is an ASSUMPTION by analogy).
    pub fn accounts_base_url(self) -> &'static str {
        match self {
            FeishuRegion::Feishu => "https://accounts.feishu.cn",
            FeishuRegion::Lark => "https://accounts.larksuite.com",
        }
    }
}

impl AccountAuth {
    pub fn vendor(&self) -> VendorKind {
        match self {
            AccountAuth::HuaweiAppId { .. } | AccountAuth::HuaweiPassword { .. } => {
                VendorKind::Huawei
            }
            AccountAuth::TencentApp { .. } => VendorKind::Tencent,
            AccountAuth::BizconfApi { .. } => VendorKind::Bizconf,
            AccountAuth::FeishuApp { .. } => VendorKind::Feishu,
            AccountAuth::CloudroomApi { .. } => VendorKind::Cloudroom,
        }
    }

    /// Who this account acts as, for display ("alice @ fdb8…", "zhangsan@huawei.com",
    /// "tester1 @ 200000001" for Tencent: operator userid @ enterprise ID; "张三 (u1001) @ acme"
    /// for BizConf: user name (userId) @ site sign; "ou_… @ cli_…" for Feishu: owner @ app;
    /// "1000141441 @ 6mioUaDlFdf3Bagt3s" for CloudRoom: user id @ Secret ID).
    pub fn principal(&self) -> String {
        match self {
            AccountAuth::HuaweiAppId {
                app_id,
                user_id: Some(u),
            } if !u.is_empty() => format!("{u} @ {app_id}"),
            AccountAuth::HuaweiAppId { app_id, .. } => app_id.clone(),
            AccountAuth::HuaweiPassword { account } => account.clone(),
            AccountAuth::TencentApp {
                app_id, operator, ..
            } => format!("{operator} @ {app_id}"),
            AccountAuth::BizconfApi {
                site_sign,
                user_id,
                user_name,
            } if !user_name.trim().is_empty() && user_name != user_id => {
                format!("{user_name} ({user_id}) @ {site_sign}")
            }
            AccountAuth::BizconfApi {
                site_sign, user_id, ..
            } => format!("{user_id} @ {site_sign}"),
            AccountAuth::FeishuApp {
                app_id,
                owner: Some(o),
                ..
            } if !o.trim().is_empty() => format!("{o} @ {app_id}"),
            AccountAuth::FeishuApp { app_id, .. } => app_id.clone(),
            AccountAuth::CloudroomApi {
                secret_id,
                user_id: Some(u),
            } if !u.trim().is_empty() => format!("{u} @ {secret_id}"),
            AccountAuth::CloudroomApi { secret_id, .. } => secret_id.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tencent_account_is_tencent_and_shows_its_operator() {
        let a = AccountAuth::TencentApp {
            app_id: "200000001".into(),
            sdk_id: None,
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".into(),
            operator: "tester1".into(),
        };
        assert_eq!(a.vendor(), VendorKind::Tencent);
        assert_eq!(a.principal(), "tester1 @ 200000001");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["method"], "tencent_app");
        assert_eq!(json["sdk_id"], serde_json::Value::Null);
        let back: AccountAuth = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn a_cloudroom_account_is_cloudroom_and_shows_its_user_or_the_secret_id() {
        let a = AccountAuth::CloudroomApi {
            secret_id: "6mioUaDlFdf3Bagt3s".into(),
            user_id: Some("1000141441".into()),
        };
        assert_eq!(a.vendor(), VendorKind::Cloudroom);
        assert_eq!(a.principal(), "1000141441 @ 6mioUaDlFdf3Bagt3s");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["method"], "cloudroom_api");
        assert_eq!(json["secret_id"], "6mioUaDlFdf3Bagt3s");
        let back: AccountAuth = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let creator = AccountAuth::CloudroomApi {
            secret_id: "6mioUaDlFdf3Bagt3s".into(),
            user_id: None,
        };
        assert_eq!(creator.principal(), "6mioUaDlFdf3Bagt3s");
    }

    #[test]
    fn a_bizconf_account_is_bizconf_and_shows_name_user_id_and_site() {
        let a = AccountAuth::BizconfApi {
            site_sign: "acme".into(),
            user_id: "u1001".into(),
            user_name: "张三".into(),
        };
        assert_eq!(a.vendor(), VendorKind::Bizconf);
        assert_eq!(a.principal(), "张三 (u1001) @ acme");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["method"], "bizconf_api");
        assert_eq!(json["site_sign"], "acme");
        let back: AccountAuth = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let nameless = AccountAuth::BizconfApi {
            site_sign: "acme".into(),
            user_id: "u1001".into(),
            user_name: " ".into(),
        };
        assert_eq!(nameless.principal(), "u1001 @ acme");
    }

    #[test]
    fn a_feishu_account_is_feishu_and_shows_owner_and_app() {
        let a = AccountAuth::FeishuApp {
            app_id: "cli_slkdjalasdkjasd".into(),
            region: FeishuRegion::Lark,
            owner: Some("ou_3ec3f6a28a0d08c45d895276e8e5e19b".into()),
        };
        assert_eq!(a.vendor(), VendorKind::Feishu);
        assert_eq!(
            a.principal(),
            "ou_3ec3f6a28a0d08c45d895276e8e5e19b @ cli_slkdjalasdkjasd"
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["method"], "feishu_app");
        assert_eq!(json["region"], "lark");
        let back: AccountAuth = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let ownerless = AccountAuth::FeishuApp {
            app_id: "cli_x".into(),
            region: FeishuRegion::Feishu,
            owner: None,
        };
        assert_eq!(ownerless.principal(), "cli_x");
        assert_eq!(
            serde_json::to_value(FeishuRegion::Feishu).unwrap(),
            "feishu"
        );
        assert_eq!(
            FeishuRegion::Lark.default_base_url(),
            "https://open.larksuite.com"
        );
    }
}
