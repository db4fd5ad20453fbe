//! A Feishu account's *user* authorization: the person's own tokens (OAuth 2.0 code + PKCE,
//! `huiyi_vendors::feishu`), kept in the secret store beside the app secret, and the
//! "connect my Feishu user" flow's state between its start and the browser's answer.
//!
//! The tokens are one secret-store entry per account (`<account id>#feishu-user`, a JSON object
//! the vendor crate reads and writes), saved at once on every refresh: a Feishu refresh token
//! works once, so a pair that is not saved is a user who has to connect again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use huiyi_core::AccountId;
use huiyi_vendors::feishu::{UserTokenStore, UserTokens};
use tokio::sync::Notify;

use crate::secrets::{SecretError, SecretStore};

/// The port of the loopback redirect `http://127.0.0.1:<port>/huiyi/feishu/callback`, which
/// must be registered in the app's security settings (安全设置, note L163): Feishu does not
/// say it accepts any port, so a real account uses one fixed port (`$HUIYI_FEISHU_REDIRECT_PORT`
/// overrides it). Sandbox accounts listen on any free port; the fake accepts any loopback URI.
pub const DEFAULT_REDIRECT_PORT: u16 = 47613;
pub const REDIRECT_PATH: &str = "/huiyi/feishu/callback";
/// How long the flow waits for the browser. The code itself lives 5 minutes (note L164) from
/// the moment the user approves; signing in first may take longer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The redirect port for real (not sandbox) accounts: `$HUIYI_FEISHU_REDIRECT_PORT`, else
/// [`DEFAULT_REDIRECT_PORT`]. Read by the front ends into `DeskOptions`.
pub fn redirect_port() -> u16 {
    std::env::var("HUIYI_FEISHU_REDIRECT_PORT")
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(DEFAULT_REDIRECT_PORT)
}

/// The redirect URI a real account must register at Feishu.
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{REDIRECT_PATH}")
}

/// The secret-store key of an account's user tokens.
pub fn tokens_key(account: &AccountId) -> AccountId {
    AccountId(format!("{}#feishu-user", account.0))
}

/// The user tokens of one account in the secret store. A keyring failure cannot be returned
/// through the vendor crate's store trait: it is logged (without the tokens), and the call
/// goes on as if no user were connected, which asks the person to connect again.
pub struct SecretUserTokens {
    secrets: Arc<dyn SecretStore>,
    key: AccountId,
}

impl SecretUserTokens {
    pub fn new(secrets: Arc<dyn SecretStore>, account: &AccountId) -> SecretUserTokens {
        SecretUserTokens {
            secrets,
            key: tokens_key(account),
        }
    }
}

impl UserTokenStore for SecretUserTokens {
    fn load(&self) -> Option<UserTokens> {
        match self.secrets.get(&self.key) {
            Ok(json) => {
                let tokens = UserTokens::from_secret_json(&json);
                if tokens.is_none() {
                    tracing::warn!("stored Feishu user tokens are unreadable; connect again");
                }
                tokens
            }
            Err(SecretError::Missing) => None,
            Err(e) => {
                tracing::warn!(error = %e, "Feishu user tokens could not be read");
                None
            }
        }
    }

    fn save(&self, tokens: &UserTokens) {
        if let Err(e) = self.secrets.put(&self.key, &tokens.to_secret_json()) {
            tracing::error!(error = %e, "Feishu user tokens could not be saved; connect again");
        }
    }

    fn clear(&self) {
        if let Err(e) = self.secrets.delete(&self.key) {
            tracing::warn!(error = %e, "Feishu user tokens could not be removed");
        }
    }
}

/// A connection waiting for the browser: the page to open (again, or copy), and how to stop
/// waiting.
struct Pending {
    authorize_url: String,
    cancel: Arc<Notify>,
}

/// The flows in progress, one per account at most: starting another one for the same account
/// cancels the first (its listener would otherwise hold the fixed port).
#[derive(Default)]
pub struct PendingConnects {
    by_account: Mutex<HashMap<AccountId, Pending>>,
}

impl PendingConnects {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, Pending>> {
        self.by_account.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers the flow's page; the returned notifier is signalled by [`Self::cancel`].
    pub fn register(&self, account: &AccountId, authorize_url: &str) -> Arc<Notify> {
        let cancel = Arc::new(Notify::new());
        let previous = self.map().insert(
            account.clone(),
            Pending {
                authorize_url: authorize_url.to_string(),
                cancel: cancel.clone(),
            },
        );
        if let Some(old) = previous {
            old.cancel.notify_one();
        }
        cancel
    }

    /// The page of the account's flow in progress.
    pub fn authorize_url(&self, account: &AccountId) -> Option<String> {
        self.map().get(account).map(|p| p.authorize_url.clone())
    }

    /// Stops the account's flow; whether there was one.
    pub fn cancel(&self, account: &AccountId) -> bool {
        match self.map().remove(account) {
            Some(p) => {
                // notify_one keeps the wake-up if the flow is not waiting yet.
                p.cancel.notify_one();
                true
            }
            None => false,
        }
    }

    /// Forgets the account's flow once it has ended, unless a newer one replaced it.
    pub fn finished(&self, account: &AccountId, cancel: &Arc<Notify>) {
        let mut map = self.map();
        if map
            .get(account)
            .is_some_and(|p| Arc::ptr_eq(&p.cancel, cancel))
        {
            map.remove(account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;
    use chrono::{Duration as ChronoDuration, Utc};
    use huiyi_core::{ExposeSecret, SecretString};

    fn tokens() -> UserTokens {
        UserTokens {
            access_token: SecretString::from("u-access".to_string()),
            access_expires_at: Utc::now() + ChronoDuration::hours(2),
            refresh_token: Some(SecretString::from("r-refresh".to_string())),
            refresh_expires_at: Some(Utc::now() + ChronoDuration::days(30)),
            scope: Some("vc:meeting".into()),
        }
    }

    #[test]
    fn tokens_live_in_their_own_entry_beside_the_app_secret() {
        let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
        let account = AccountId("acc-1".into());
        secrets
            .put(&account, &SecretString::from("app-secret".to_string()))
            .unwrap();
        let store = SecretUserTokens::new(secrets.clone(), &account);
        assert!(store.load().is_none(), "nobody connected yet");
        store.save(&tokens());
        let back = store.load().expect("saved tokens read back");
        assert_eq!(back.access_token.expose_secret(), "u-access");
        assert_eq!(
            secrets.get(&account).unwrap().expose_secret(),
            "app-secret",
            "the app secret is untouched"
        );
        store.clear();
        assert!(store.load().is_none());
        assert!(secrets.get(&account).is_ok());
    }

    #[tokio::test]
    async fn a_new_flow_for_the_same_account_cancels_the_first() {
        let pending = PendingConnects::default();
        let a = AccountId("a".into());
        let first = pending.register(&a, "https://x/1");
        let second = pending.register(&a, "https://x/2");
        assert_eq!(pending.authorize_url(&a).as_deref(), Some("https://x/2"));
        // The first flow was woken (a stored permit makes `notified` complete at once).
        let woke = tokio::time::timeout(Duration::from_secs(5), first.notified())
            .await
            .is_ok();
        assert!(woke, "the replaced flow is told to stop");
        pending.finished(&a, &first);
        assert!(pending.authorize_url(&a).is_some(), "the newer flow stays");
        pending.finished(&a, &second);
        assert!(pending.authorize_url(&a).is_none());
        assert!(!pending.cancel(&a));
    }
}
