//! Feishu tokens (note §3): the app's `tenant_access_token` from `app_id`/`app_secret`, and a
//! user's `user_access_token` through OAuth 2.0 authorization code with PKCE (RFC 7636). Pure
//! pieces here (PKCE, the authorize URL, expiry rules, the token store interface); the calls
//! themselves live in the client ([`super::FeishuClient`]).
//!
//! **Tenant token renewal** (note L130-142): a token lives at most 2 h and the answer's
//! `expire` is the *remaining* seconds. Asking again with ≥ 30 min left returns the same token,
//! with < 30 min left a new one (both stay valid). The client keeps the token until
//! [`TENANT_REFRESH_MARGIN`] before its expiry (the GO SDK's 3 min, L139), and drops it and asks
//! once more when a call answers 99991663/99991664/99991671 (L140-142).
//!
//! **User tokens** (note L160-178): the authorize page returns a code (5 min, single use) to a
//! loopback redirect; the code plus the PKCE verifier buys an access token (~2 h) and, with the
//! `offline_access` scope, a refresh token. A refresh token works **once**: the answer carries
//! a new one that must be persisted at once ([`UserTokenStore::save`]); 365 days after the
//! authorization refreshing fails (20037) and the user must authorize again.

use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use rand::RngExt as _;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// A tenant token is renewed this long before it expires (GO SDK `expiryDelta`, note L139).
pub const TENANT_REFRESH_MARGIN: Duration = Duration::minutes(3);
/// A user access token is refreshed this long before it expires.
pub const USER_REFRESH_MARGIN: Duration = Duration::minutes(3);
/// What is assumed when an answer names no lifetime: the documented maximum, 2 h (L132).
pub const DEFAULT_TOKEN_SECONDS: i64 = 7200;

/// Scopes asked for by default: booking (`vc:reserve`), in-meeting operations (`vc:meeting`,
/// invite/end are user-token only, note §14 L719-723), room search (`vc:room:readonly`), and
/// `offline_access` for a refresh token (L171).
pub const DEFAULT_SCOPES: &[&str] = &[
    "vc:reserve",
    "vc:meeting",
    "vc:room:readonly",
    "offline_access",
];

/// The PKCE `code_verifier`: 32 random bytes, base64url without padding (43 characters, inside
/// RFC 7636's 43-128 of unreserved characters).
pub fn new_code_verifier() -> SecretString {
    let bytes: [u8; 32] = rand::rng().random();
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}

/// The S256 `code_challenge`: BASE64URL(SHA256(verifier)) (RFC 7636 §4.2).
pub fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An unguessable `state` (anti-CSRF): 16 random bytes, base64url.
pub fn new_state() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An authorization in progress: open `authorize_url` in the browser, keep the rest until the
/// redirect comes back to `redirect_uri`. `Debug` hides the verifier.
pub struct OAuthStart {
    pub authorize_url: String,
    pub state: String,
    pub verifier: SecretString,
    pub redirect_uri: String,
}

impl std::fmt::Debug for OAuthStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthStart")
            .field("state", &self.state)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// Why an authorize URL could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeError {
    #[error("the redirect URI must be http://127.0.0.1:<port>/… or http://localhost:<port>/…")]
    NotLoopback,
    #[error("the accounts server address is not a valid URL")]
    BadAccountsUrl,
}

/// Whether `uri` is a loopback redirect a desktop app may listen on.
pub fn is_loopback_redirect(uri: &str) -> bool {
    Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
            && u.port().is_some()
    })
}

/// The authorize page URL (note L162): `{accounts}/open-apis/authen/v1/authorize?client_id=…&
/// response_type=code&redirect_uri=…&scope=…&state=…&code_challenge=…&code_challenge_method=S256`.
/// Scopes are space-separated (≤ 50, L164).
pub fn authorize_url(
    accounts_base: &str,
    app_id: &str,
    redirect_uri: &str,
    scopes: &[&str],
    state: &str,
    verifier: &SecretString,
) -> Result<String, AuthorizeError> {
    if !is_loopback_redirect(redirect_uri) {
        return Err(AuthorizeError::NotLoopback);
    }
    let mut url = Url::parse(&format!(
        "{}/open-apis/authen/v1/authorize",
        accounts_base.trim().trim_end_matches('/')
    ))
    .map_err(|_| AuthorizeError::BadAccountsUrl)?;
    url.query_pairs_mut()
        .append_pair("client_id", app_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair(
            "scope",
            &scopes
                .iter()
                .take(50)
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
        )
        .append_pair("state", state)
        .append_pair("code_challenge", &code_challenge(verifier.expose_secret()))
        .append_pair("code_challenge_method", "S256");
    Ok(url.into())
}

/// A user's tokens as the desk persists them (in the keyring). `Debug` hides the tokens.
#[derive(Clone)]
pub struct UserTokens {
    pub access_token: SecretString,
    pub access_expires_at: DateTime<Utc>,
    /// Single use: replaced by every refresh (note L173-175).
    pub refresh_token: Option<SecretString>,
    pub refresh_expires_at: Option<DateTime<Utc>>,
    /// The scopes granted, space-separated.
    pub scope: Option<String>,
}

impl std::fmt::Debug for UserTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserTokens")
            .field("access_expires_at", &self.access_expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl UserTokens {
    /// The access token still has more than the margin left.
    pub fn access_fresh(&self, now: DateTime<Utc>) -> bool {
        self.access_expires_at - USER_REFRESH_MARGIN > now
    }

    /// A refresh token is there and not known to have expired.
    pub fn can_refresh(&self, now: DateTime<Utc>) -> bool {
        self.refresh_token.is_some() && self.refresh_expires_at.is_none_or(|t| t > now)
    }
}

/// The keyring form of [`UserTokens`] (JSON, times in Unix seconds); only for the secret store.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredTokens {
    access_token: String,
    access_expires_at: i64,
    refresh_token: Option<String>,
    refresh_expires_at: Option<i64>,
    scope: Option<String>,
}

impl UserTokens {
    /// The tokens as one secret string for the OS keyring.
    pub fn to_secret_json(&self) -> SecretString {
        let s = StoredTokens {
            access_token: self.access_token.expose_secret().to_string(),
            access_expires_at: self.access_expires_at.timestamp(),
            refresh_token: self
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_string()),
            refresh_expires_at: self.refresh_expires_at.map(|t| t.timestamp()),
            scope: self.scope.clone(),
        };
        SecretString::from(serde_json::to_string(&s).unwrap_or_default())
    }

    /// Reads [`UserTokens::to_secret_json`]'s output back; none if it is not that.
    pub fn from_secret_json(s: &SecretString) -> Option<UserTokens> {
        let t: StoredTokens = serde_json::from_str(s.expose_secret()).ok()?;
        let at = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0);
        Some(UserTokens {
            access_token: SecretString::from(t.access_token),
            access_expires_at: at(t.access_expires_at)?,
            refresh_token: t.refresh_token.map(SecretString::from),
            refresh_expires_at: t.refresh_expires_at.and_then(at),
            scope: t.scope,
        })
    }
}

/// Where a user's tokens live between runs (the desk: the OS keyring). `save` is called with
/// every new pair, at once: after a refresh the old refresh token is dead.
pub trait UserTokenStore: Send + Sync {
    fn load(&self) -> Option<UserTokens>;
    fn save(&self, tokens: &UserTokens);
    fn clear(&self);
}

/// A store in memory (tests, or a session that should forget the user at exit).
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<UserTokens>>,
}

impl MemoryTokenStore {
    pub fn new(tokens: Option<UserTokens>) -> MemoryTokenStore {
        MemoryTokenStore {
            tokens: Mutex::new(tokens),
        }
    }
}

impl UserTokenStore for MemoryTokenStore {
    fn load(&self) -> Option<UserTokens> {
        self.tokens.lock().ok().and_then(|t| t.clone())
    }
    fn save(&self, tokens: &UserTokens) {
        if let Ok(mut t) = self.tokens.lock() {
            *t = Some(tokens.clone());
        }
    }
    fn clear(&self) {
        if let Ok(mut t) = self.tokens.lock() {
            *t = None;
        }
    }
}

/// A cached tenant token.
#[derive(Clone)]
pub(crate) struct TenantToken {
    pub(crate) token: SecretString,
    pub(crate) expires_at: DateTime<Utc>,
}

impl TenantToken {
    /// `expire` seconds remaining from `now`; a missing, zero or absurd value counts as the
    /// 2 h maximum's worth only if positive, else the token is used once and renewed.
    pub(crate) fn new(token: SecretString, expire: Option<i64>, now: DateTime<Utc>) -> TenantToken {
        let secs = expire
            .filter(|s| *s > 0)
            .unwrap_or(DEFAULT_TOKEN_SECONDS)
            .min(DEFAULT_TOKEN_SECONDS);
        TenantToken {
            token,
            expires_at: now + Duration::seconds(secs),
        }
    }

    pub(crate) fn fresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at - TENANT_REFRESH_MARGIN > now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_vector_gives_its_challenge() {
        // RFC 7636 Appendix B.
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let v = new_code_verifier();
        assert_eq!(v.expose_secret().len(), 43);
        assert!(v
            .expose_secret()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(v.expose_secret(), new_code_verifier().expose_secret());
        assert_ne!(new_state(), new_state());
    }

    #[test]
    fn the_authorize_url_carries_everything_and_only_loopback_redirects() {
        let v = SecretString::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_string());
        let u = authorize_url(
            "https://accounts.feishu.cn/",
            "cli_a",
            "http://127.0.0.1:53682/callback",
            DEFAULT_SCOPES,
            "st4te",
            &v,
        )
        .unwrap();
        let parsed = Url::parse(&u).unwrap();
        assert_eq!(parsed.host_str(), Some("accounts.feishu.cn"));
        assert_eq!(parsed.path(), "/open-apis/authen/v1/authorize");
        let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(q["client_id"], "cli_a");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["redirect_uri"], "http://127.0.0.1:53682/callback");
        assert_eq!(
            q["scope"],
            "vc:reserve vc:meeting vc:room:readonly offline_access"
        );
        assert_eq!(q["state"], "st4te");
        assert_eq!(
            q["code_challenge"],
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(q["code_challenge_method"], "S256");
        assert!(!u.contains("dBjftJeZ"), "the verifier never leaves");
        for bad in [
            "https://127.0.0.1:1/cb",
            "http://evil.example:80/cb",
            "http://127.0.0.1/cb",
        ] {
            assert_eq!(
                authorize_url(
                    "https://accounts.feishu.cn",
                    "cli_a",
                    bad,
                    DEFAULT_SCOPES,
                    "s",
                    &v
                ),
                Err(AuthorizeError::NotLoopback),
                "{bad}"
            );
        }
    }

    #[test]
    fn tenant_tokens_are_renewed_three_minutes_early_and_expire_is_what_remains() {
        let now = Utc::now();
        // `"expire": 4567` observed live (note L135-136): remaining seconds.
        let t = TenantToken::new(SecretString::from("t-x".to_string()), Some(4567), now);
        assert!(t.fresh(now + Duration::seconds(4567 - 181)));
        assert!(!t.fresh(now + Duration::seconds(4567 - 179)));
        let odd = TenantToken::new(SecretString::from("t-x".to_string()), Some(-5), now);
        assert_eq!(odd.expires_at, now + Duration::seconds(7200));
    }

    #[test]
    fn user_tokens_do_not_print() {
        let t = UserTokens {
            access_token: SecretString::from("eyJ-access-secret".to_string()),
            access_expires_at: Utc::now(),
            refresh_token: Some(SecretString::from("eyJ-refresh-secret".to_string())),
            refresh_expires_at: None,
            scope: None,
        };
        let s = format!("{t:?}");
        assert!(!s.contains("secret"), "{s}");
        let start = OAuthStart {
            authorize_url: "u".into(),
            state: "s".into(),
            verifier: SecretString::from("verifier-secret".to_string()),
            redirect_uri: "r".into(),
        };
        assert!(!format!("{start:?}").contains("secret"));
        let back = UserTokens::from_secret_json(&t.to_secret_json()).unwrap();
        assert_eq!(
            back.refresh_token.unwrap().expose_secret(),
            "eyJ-refresh-secret"
        );
        assert_eq!(
            back.access_expires_at.timestamp(),
            t.access_expires_at.timestamp()
        );
        assert!(UserTokens::from_secret_json(&SecretString::from("x".to_string())).is_none());
    }
}
