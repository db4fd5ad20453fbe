//! Where account secrets (App Keys, passwords) live: the OS keyring, never SQLite.
//!
//! [`KeyringStore`] is the real store. [`MemoryStore`] keeps secrets in process memory and is
//! meant for tests (and for `huiyictl` only when `HUIYI_SECRET_STORE=memory`, which is test-only:
//! nothing survives the process).

use std::collections::HashMap;
use std::sync::Mutex;

use huiyi_core::{AccountId, ExposeSecret, Lang, SecretString};

/// Why a secret could not be stored or read. Messages never include the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keyring service could be reached at all (no Secret Service on D-Bus, no session bus).
    #[error("no keyring service is available: {0}")]
    Unavailable(String),
    /// The keyring exists but refused access (locked, prompt dismissed).
    #[error("the keyring is locked or refused access: {0}")]
    Locked(String),
    /// There is no secret for this account.
    #[error("no secret is stored for this account")]
    Missing,
    /// This build has no real keyring for the platform (it would silently keep secrets in memory).
    #[error("this build has no real keyring backend for the platform")]
    NoBackend,
    #[error("keyring failure: {0}")]
    Platform(String),
}

impl SecretError {
    /// A sentence that says what to do, in the UI language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SecretError::Unavailable(_), Lang::Zh) => {
                "无法连接系统密钥环（未运行 Secret Service）。请启动并解锁密钥环（如 GNOME Keyring 或 KWallet）后重试。".into()
            }
            (SecretError::Unavailable(_), Lang::En) => {
                "Could not reach the system keyring (no Secret Service is running). Start and unlock your keyring (e.g. GNOME Keyring or KWallet) and try again.".into()
            }
            (SecretError::Locked(_), Lang::Zh) => "系统密钥环已锁定或拒绝访问，请解锁密钥环后重试。".into(),
            (SecretError::Locked(_), Lang::En) => {
                "The system keyring is locked or refused access; unlock your keyring and try again.".into()
            }
            (SecretError::Missing, Lang::Zh) => {
                "密钥环中没有该账号的密钥（可能已被删除）。请删除该账号后重新添加。".into()
            }
            (SecretError::Missing, Lang::En) => {
                "The keyring holds no secret for this account (it may have been deleted); remove the account and add it again.".into()
            }
            (SecretError::NoBackend, Lang::Zh) => "此版本没有可用的系统密钥环后端，无法安全保存密钥。".into(),
            (SecretError::NoBackend, Lang::En) => {
                "This build has no system keyring backend, so secrets cannot be kept safely.".into()
            }
            (SecretError::Platform(_), Lang::Zh) => "系统密钥环出错，请确认密钥环正在运行并已解锁后重试。".into(),
            (SecretError::Platform(_), Lang::En) => {
                "The system keyring failed; make sure it is running and unlocked, then try again.".into()
            }
        }
    }
}

pub trait SecretStore: Send + Sync {
    fn put(&self, account: &AccountId, secret: &SecretString) -> Result<(), SecretError>;
    fn get(&self, account: &AccountId) -> Result<SecretString, SecretError>;
    /// Deleting a secret that is not there is not an error.
    fn delete(&self, account: &AccountId) -> Result<(), SecretError>;
}

/// The OS keyring: Secret Service on Linux/BSD, Keychain on macOS, Credential Manager on
/// Windows. One entry per account: service `huiyi` (or `$HUIYI_KEYRING_SERVICE`, which lets tests
/// and several installs keep apart), user = the account id.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore::new()
    }
}

impl KeyringStore {
    pub fn new() -> KeyringStore {
        let service = std::env::var("HUIYI_KEYRING_SERVICE")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "huiyi".to_string());
        KeyringStore { service }
    }

    pub fn with_service(service: impl Into<String>) -> KeyringStore {
        KeyringStore {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// keyring 3 falls back to a process-memory mock when built without a platform feature;
    /// such a store would lose every secret at exit while claiming success, so it is refused.
    fn ensure_real_backend() -> Result<(), SecretError> {
        use keyring::credential::CredentialPersistence;
        let builder = keyring::default::default_credential_builder();
        match builder.persistence() {
            CredentialPersistence::EntryOnly | CredentialPersistence::ProcessOnly => {
                Err(SecretError::NoBackend)
            }
            _ => Ok(()),
        }
    }

    fn entry(&self, account: &AccountId) -> Result<keyring::Entry, SecretError> {
        Self::ensure_real_backend()?;
        keyring::Entry::new(&self.service, &account.0).map_err(map_keyring_error)
    }

    /// Checks that the keyring can actually be used right now (reachable and unlocked) by
    /// reading an entry that does not exist. Used by front ends to explain problems early and by
    /// tests to decide whether a real keyring is there.
    pub fn probe(&self) -> Result<(), SecretError> {
        let entry = self.entry(&AccountId("huiyi-probe".into()))?;
        match entry.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Turns keyring's errors into ours without copying any secret (BadEncoding carries the stored
/// bytes, Ambiguous the credentials: neither is kept).
fn map_keyring_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoEntry => SecretError::Missing,
        keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            // The Secret Service backend reports "no D-Bus / no service" as NoStorageAccess too;
            // telling it apart from a locked keyring makes the message actionable.
            if looks_unreachable(&text) {
                SecretError::Unavailable(text)
            } else {
                SecretError::Locked(text)
            }
        }
        keyring::Error::PlatformFailure(inner) => {
            let text = inner.to_string();
            if looks_unreachable(&text) {
                SecretError::Unavailable(text)
            } else {
                SecretError::Platform(text)
            }
        }
        keyring::Error::BadEncoding(_) => {
            SecretError::Platform("the stored secret is not UTF-8".into())
        }
        keyring::Error::TooLong(attr, max) => {
            SecretError::Platform(format!("attribute {attr} longer than {max}"))
        }
        keyring::Error::Invalid(attr, why) => {
            SecretError::Platform(format!("attribute {attr} invalid: {why}"))
        }
        keyring::Error::Ambiguous(list) => {
            SecretError::Platform(format!("{} keyring entries match this account", list.len()))
        }
        other => SecretError::Platform(other.to_string()),
    }
}

fn looks_unreachable(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "org.freedesktop.dbus.error.serviceunknown",
        "was not provided by any .service files",
        "dbus_session_bus_address",
        "unable to autolaunch",
        "no such file or directory",
        "connection refused",
        "failed to connect",
        "not provided by any",
    ]
    .iter()
    .any(|needle| t.contains(needle))
}

impl SecretStore for KeyringStore {
    fn put(&self, account: &AccountId, secret: &SecretString) -> Result<(), SecretError> {
        self.entry(account)?
            .set_password(secret.expose_secret())
            .map_err(map_keyring_error)
    }

    fn get(&self, account: &AccountId) -> Result<SecretString, SecretError> {
        self.entry(account)?
            .get_password()
            .map(SecretString::from)
            .map_err(map_keyring_error)
    }

    fn delete(&self, account: &AccountId) -> Result<(), SecretError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Secrets in process memory. For tests; loses everything when dropped.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<AccountId, SecretString>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, SecretString>> {
        // A panic while holding this lock cannot leave the map half-updated (single inserts),
        // so a poisoned lock is still safe to use.
        self.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn put(&self, account: &AccountId, secret: &SecretString) -> Result<(), SecretError> {
        self.lock().insert(
            account.clone(),
            SecretString::from(secret.expose_secret().to_string()),
        );
        Ok(())
    }

    fn get(&self, account: &AccountId) -> Result<SecretString, SecretError> {
        self.lock()
            .get(account)
            .map(|s| SecretString::from(s.expose_secret().to_string()))
            .ok_or(SecretError::Missing)
    }

    fn delete(&self, account: &AccountId) -> Result<(), SecretError> {
        self.lock().remove(account);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemoryStore::new();
        let id = AccountId("a1".into());
        assert_eq!(store.get(&id).unwrap_err(), SecretError::Missing);
        store
            .put(&id, &SecretString::from("k1".to_string()))
            .unwrap();
        assert_eq!(store.get(&id).unwrap().expose_secret(), "k1");
        store.delete(&id).unwrap();
        store.delete(&id).unwrap();
        assert_eq!(store.get(&id).unwrap_err(), SecretError::Missing);
    }

    #[test]
    fn this_build_has_a_real_keyring_backend() {
        // Fails when the platform feature is missing and keyring would fall back to its mock.
        KeyringStore::ensure_real_backend().unwrap();
    }

    #[test]
    fn keyring_messages_say_what_to_do() {
        let m = SecretError::Unavailable("x".into()).message(Lang::En);
        assert!(m.contains("no Secret Service is running"), "{m}");
        assert!(SecretError::Locked("x".into())
            .message(Lang::En)
            .contains("unlock your keyring"));
    }
}
