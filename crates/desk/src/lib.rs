//! Huiyi's application service: accounts, booking, the agenda and its offline cache, join links,
//! and the built-in sandbox. Both front ends (the Tauri commands and `huiyictl`) are thin
//! adapters over [`Desk`]; everything a person can do is a method here.
//!
//! Data flow: front end -> `Desk` -> (core validation, SQLite store, secret store, vendor client)
//! -> a typed result from [`api`] or a [`UiError`] in the desk's language.

pub mod api;
pub mod bindings;
mod errors;
pub mod feishu_user;
pub mod logging;
pub mod secrets;
pub mod series;
pub mod series_plan;
pub mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use huiyi_core::{
    Account, AccountAuth, AccountId, Attendee, AttendeeInput, AttendeeRole, BookingForm,
    Capabilities, ExposeSecret, FieldError, FieldErrorCode, JoinLink, JoinPreferences, Lang,
    LinkKind, LinkRole, MeetingDraft, MeetingState, Registrant, RegistrantInput, SecretString,
    VendorErrorKind, VendorKind, VendorMeeting, VendorRoom,
};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use huiyi_vendors::feishu::{FeishuClient, LoopbackRedirect, UserTokenStore};
use huiyi_vendors::{
    client_for, feishu_client_for, AccountCredentials, Http, VendorClient, VendorError,
};

pub use api::*;
pub use logging::init_logging;
pub use secrets::{KeyringStore, MemoryStore, SecretError, SecretStore};
use store::{AccountRow, MeetingRecord, MeetingRow, Store};

const LANG_PREFERENCE: &str = "lang";
const JOIN_PREFERENCE: &str = "join";
/// Meetings read at once when a vendor has no list and each is read by its id.
const REFRESH_READS_AT_ONCE: usize = 4;

pub struct DeskOptions {
    pub data_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub lang: Lang,
    /// The loopback port Feishu's authorization comes back to for real accounts
    /// ([`feishu_user::redirect_port`]; 0 = any free port, for tests).
    pub feishu_redirect_port: u16,
}

/// The application service. Cheap to clone; all clones share one store, one set of vendor
/// clients (which hold session tokens) and one sandbox.
#[derive(Clone)]
pub struct Desk {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct CachedClient {
    base_url: String,
    auth: AccountAuth,
    client: Arc<dyn VendorClient>,
    /// The same client as a Feishu one, for the calls the trait has not (user OAuth).
    feishu: Option<Arc<FeishuClient>>,
}

struct Inner {
    data_dir: PathBuf,
    store: Store,
    secrets: Arc<dyn SecretStore>,
    lang: RwLock<Lang>,
    http: Http,
    /// One client per account, kept because it holds the vendor session (token) and renews it.
    clients: Mutex<HashMap<AccountId, CachedClient>>,
    /// The in-process fake vendors, while running. An async mutex: starting it awaits, and the
    /// sandbox accounts are re-pointed while it is held so nobody uses a stale address.
    sandbox: tokio::sync::Mutex<Option<Sim>>,
    /// "Connect my Feishu user" flows waiting for the browser.
    feishu_connects: feishu_user::PendingConnects,
    feishu_redirect_port: u16,
}

/// The sandbox account's name in each language. Sandbox accounts are Huiyi's own, so their
/// label always follows the current UI language (the stored label is only a fallback).
pub fn sandbox_label(vendor: VendorKind, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("沙盒 · {}", vendor.display_name(lang)),
        Lang::En => format!("Sandbox · {}", vendor.display_name(lang)),
    }
}

/// The computer's IANA zone: `$TZ` when it names one (`Europe/Berlin`, also `:Europe/Berlin`),
/// else the system setting, else UTC.
pub fn local_zone() -> String {
    std::env::var("TZ")
        .ok()
        .map(|z| z.trim_start_matches(':').to_string())
        .filter(|z| z.parse::<Tz>().is_ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .filter(|z| z.parse::<Tz>().is_ok())
        })
        .unwrap_or_else(|| "UTC".to_string())
}

/// Now, to the second: what the store keeps, so a returned view equals the stored one.
fn now_secs() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(0)
}

fn is_open_state(state: MeetingState) -> bool {
    matches!(state, MeetingState::Scheduled | MeetingState::InProgress)
}

fn registrant_view(r: &Registrant) -> RegistrantView {
    RegistrantView {
        id: r.id.clone(),
        name: r.name.clone(),
        email: r.email.clone(),
        state: r.state,
        registered_at: r.registered_at,
        has_link: r.join_url.is_some(),
    }
}

fn link_view(l: &JoinLink) -> LinkView {
    LinkView {
        kind: l.kind,
        role: l.role,
        url: l.public_url().map(str::to_string),
    }
}

/// A vendor answer as the cache keeps it: host links lose their URL, the host password
/// becomes a flag.
fn record_from_vendor(
    vm: &VendorMeeting,
    fallback_zone: &str,
    now: DateTime<Utc>,
) -> MeetingRecord {
    MeetingRecord {
        vendor_id: vm.vendor_id.clone(),
        subject: vm.subject.clone(),
        start: vm.start,
        end: vm.end(),
        zone: vm
            .zone
            .map(|z| z.name().to_string())
            .unwrap_or_else(|| fallback_zone.to_string()),
        state: vm.state,
        meeting_number: vm.meeting_number.clone(),
        organizer: vm.organizer.clone(),
        attendees: vm.attendees.clone(),
        guest_password: vm.guest_password.clone(),
        dial_in: vm.dial_in.clone(),
        links: vm.links.iter().map(link_view).collect(),
        notify: vm.notify,
        has_host_password: vm.host_password.is_some(),
        fetched_at: now,
    }
}

/// Vendors answer with less than they were given: Huawei masks phone numbers
/// (`+86138*****8000`, dropped by the mapping) and may omit emails. Without the known values an
/// edit form would come back with a phone-only attendee who has no contact left (and fail
/// validation), so each attendee the vendor returns gets its missing contacts back from what we
/// already know about the same person (same email, account, or else same name).
fn merge_attendees(fresh: Vec<Attendee>, known: &[Attendee]) -> Vec<Attendee> {
    fresh
        .into_iter()
        .map(|mut a| {
            let same = known
                .iter()
                .find(|k| a.email.is_some() && k.email == a.email)
                .or_else(|| {
                    known
                        .iter()
                        .find(|k| a.account.is_some() && k.account == a.account)
                })
                .or_else(|| {
                    known
                        .iter()
                        .find(|k| !a.name.is_empty() && k.name == a.name)
                });
            if let Some(k) = same {
                // Tencent answers an invitee with the userid as the only name.
                if (a.name.is_empty() || a.account.as_deref() == Some(a.name.as_str()))
                    && !k.name.is_empty()
                {
                    a.name = k.name.clone();
                }
                a.phone = a.phone.or_else(|| k.phone.clone());
                a.email = a.email.or_else(|| k.email.clone());
                a.account = a.account.or_else(|| k.account.clone());
            }
            a
        })
        .collect()
}

/// The name a person shows in a meeting they join from here: who the account signs in as (the
/// part before " @ " of "user @ app"), else the account's label; at most 30 characters, the
/// shortest limit among the vendors (CloudRoom `nickName`, L1157).
fn join_nickname(account: &AccountRow, label: &str) -> String {
    let name = account
        .identity_name
        .as_deref()
        .and_then(|n| n.split(" @ ").next())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(label);
    name.chars().take(30).collect()
}

/// A vendor answer for a meeting already cached: what the vendor leaves out comes from the
/// cache — the zone it was booked in, masked contacts (see [`merge_attendees`]) and, for a
/// vendor that keeps no start (`Capabilities::keeps_start`: a Feishu reserve holds only the
/// time its number stops working), the start planned here.
fn record_from_known(
    vm: &VendorMeeting,
    known: &MeetingRecord,
    keeps_start: bool,
    now: DateTime<Utc>,
) -> MeetingRecord {
    let mut r = record_from_vendor(vm, &known.zone, now);
    r.attendees = merge_attendees(std::mem::take(&mut r.attendees), &known.attendees);
    if !keeps_start {
        if r.state != MeetingState::InProgress {
            r.start = known.start.min(r.end);
        }
        if r.subject.is_empty() {
            r.subject = known.subject.clone();
        }
    }
    r
}

/// After a create or update, the vendor's answer may leave out what we just sent (some APIs
/// return only ids and times, Huawei masks phones); fill those from the draft so the cache
/// shows what was booked.
fn record_after_write(
    vm: &VendorMeeting,
    draft: &MeetingDraft,
    now: DateTime<Utc>,
) -> MeetingRecord {
    let mut r = record_from_vendor(vm, draft.zone.name(), now);
    r.attendees = if r.attendees.is_empty() {
        draft.attendees.clone()
    } else {
        merge_attendees(std::mem::take(&mut r.attendees), &draft.attendees)
    };
    if r.notify.is_none() {
        r.notify = Some(draft.notify);
    }
    if r.subject.is_empty() {
        r.subject = draft.subject.clone();
    }
    r
}

impl Desk {
    /// `$HUIYI_DATA_DIR`, else the platform's data folder + `huiyi`
    /// (`~/.local/share/huiyi` on Linux).
    pub fn default_data_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("HUIYI_DATA_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("huiyi")
    }

    pub fn open(opts: DeskOptions) -> Result<Desk, UiError> {
        let store = Store::open(&opts.data_dir).map_err(|e| UiError::from_store(&e, opts.lang))?;
        tracing::info!(data_dir = %opts.data_dir.display(), "desk opened");
        Ok(Desk {
            inner: Arc::new(Inner {
                data_dir: opts.data_dir,
                store,
                secrets: opts.secrets,
                lang: RwLock::new(opts.lang),
                http: Http::new(),
                clients: Mutex::new(HashMap::new()),
                sandbox: tokio::sync::Mutex::new(None),
                feishu_connects: feishu_user::PendingConnects::default(),
                feishu_redirect_port: opts.feishu_redirect_port,
            }),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    fn lang(&self) -> Lang {
        *self.inner.lang.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> Settings {
        Settings {
            lang: self.lang(),
            data_dir: self.inner.data_dir.display().to_string(),
            local_zone: local_zone(),
            join: self.join_preferences(),
        }
    }

    /// How join links should bring the person in (saved; the defaults until changed).
    fn join_preferences(&self) -> JoinPreferences {
        self.inner
            .store
            .preference(JOIN_PREFERENCE)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// Remembers how join links should bring the person in. The links of meetings read from
    /// now on carry them (Feishu's app link); clients are rebuilt to use them.
    pub fn save_join_preferences(&self, join: JoinPreferences) -> Result<Settings, UiError> {
        let json = serde_json::to_string(&join).unwrap_or_default();
        self.inner
            .store
            .set_preference(JOIN_PREFERENCE, &json)
            .map_err(|e| self.store_err(e))?;
        self.clients().retain(|_, c| c.feishu.is_none());
        Ok(self.settings())
    }

    /// The language for this session only (the CLI's `--lang`).
    pub fn set_lang(&self, lang: Lang) {
        *self.inner.lang.write().unwrap_or_else(|p| p.into_inner()) = lang;
    }

    /// The language a person chose in the window: used now and remembered for the next start.
    pub fn save_lang(&self, lang: Lang) -> Result<(), UiError> {
        self.set_lang(lang);
        let code = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        self.inner
            .store
            .set_preference(LANG_PREFERENCE, code)
            .map_err(|e| UiError::from_store(&e, lang))
    }

    /// The language last chosen with [`Desk::save_lang`], if any.
    pub fn saved_lang(&self) -> Option<Lang> {
        self.inner
            .store
            .preference(LANG_PREFERENCE)
            .ok()
            .flatten()
            .as_deref()
            .and_then(Lang::parse)
    }

    /// IANA zone names for the zone picker, sorted.
    pub fn zones() -> Vec<String> {
        let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name().to_string())
            .collect();
        zones.sort();
        zones
    }

    // ---- errors ----

    fn store_err(&self, e: store::StoreError) -> UiError {
        tracing::error!(error = %e, "store failure");
        UiError::from_store(&e, self.lang())
    }

    fn vendor_err(&self, op: &str, e: VendorError) -> UiError {
        // VendorError's Display holds only the vendor's code and text (no secrets, see its docs).
        tracing::warn!(op, vendor = %e.vendor, kind = e.kind.code(), code = ?e.code, status = ?e.status, "vendor call failed");
        UiError::from_vendor(&e, self.lang())
    }

    fn secret_err(&self, e: SecretError) -> UiError {
        tracing::warn!(error = %e, "secret store failure");
        UiError::from_secret(&e, self.lang())
    }

    // ---- accounts ----

    fn label_of(&self, a: &Account) -> String {
        if a.sandbox {
            sandbox_label(a.vendor, self.lang())
        } else {
            a.label.clone()
        }
    }

    fn account_view(&self, row: &AccountRow) -> AccountView {
        let a = &row.account;
        AccountView {
            id: a.id.clone(),
            vendor: a.vendor,
            vendor_name: a.vendor.display_name(self.lang()).to_string(),
            label: self.label_of(a),
            base_url: a.base_url.clone(),
            principal: a.auth.principal(),
            auth: a.auth.clone(),
            sandbox: a.sandbox,
            created_at: a.created_at,
            user_authorization: self.user_authorization(a),
        }
    }

    /// Where a Feishu account's user authorization stands (read from the secret store).
    fn user_authorization(&self, a: &Account) -> Option<UserAuthorization> {
        if a.vendor != VendorKind::Feishu {
            return None;
        }
        let tokens = feishu_user::SecretUserTokens::new(self.inner.secrets.clone(), &a.id).load();
        let now = Utc::now();
        let state = match &tokens {
            None => UserAuthorizationState::NotConnected,
            Some(t) if t.access_fresh(now) || t.can_refresh(now) => {
                UserAuthorizationState::Connected
            }
            Some(_) => UserAuthorizationState::Lapsed,
        };
        Some(UserAuthorization {
            state,
            renewable_until: tokens
                .filter(|_| state == UserAuthorizationState::Connected)
                .and_then(|t| t.refresh_expires_at.or(Some(t.access_expires_at))),
            redirect_uri: (!a.sandbox && self.inner.feishu_redirect_port != 0)
                .then(|| feishu_user::redirect_uri(self.inner.feishu_redirect_port)),
            connecting: self.inner.feishu_connects.authorize_url(&a.id).is_some(),
        })
    }

    fn account_row(&self, id: &AccountId) -> Result<AccountRow, UiError> {
        self.inner
            .store
            .account(id)
            .map_err(|e| self.store_err(e))?
            .ok_or_else(|| UiError::account_not_found(self.lang()))
    }

    pub fn accounts(&self) -> Result<Vec<AccountView>, UiError> {
        let rows = self.inner.store.accounts().map_err(|e| self.store_err(e))?;
        Ok(rows.iter().map(|r| self.account_view(r)).collect())
    }

    /// Checks the form, signs in at the vendor with the credentials (so a typo is caught now,
    /// not at the first booking), then stores the secret in the secret store and the rest in
    /// SQLite.
    pub async fn add_account(&self, new: NewAccount) -> Result<AccountView, UiError> {
        let lang = self.lang();
        let vendor = new.auth.vendor();
        let mut errors = Vec::new();
        let label = new.label.trim().to_string();
        if label.is_empty() {
            errors.push(FieldError::new("label", FieldErrorCode::Required));
        } else if label.chars().count() > 64 {
            errors.push(FieldError::new(
                "label",
                FieldErrorCode::TooLong { max: 64 },
            ));
        }
        let base_url = new
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(vendor.default_base_url())
            .trim_end_matches('/')
            .to_string();
        let host_part = base_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or("");
        if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
            || host_part.is_empty()
            || base_url.chars().any(char::is_whitespace)
        {
            errors.push(FieldError::new("base_url", FieldErrorCode::BadUrl));
        }
        let auth = match &new.auth {
            AccountAuth::HuaweiAppId { app_id, user_id } => {
                if app_id.trim().is_empty() {
                    errors.push(FieldError::new("auth.app_id", FieldErrorCode::Required));
                }
                AccountAuth::HuaweiAppId {
                    app_id: app_id.trim().to_string(),
                    user_id: user_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|u| !u.is_empty())
                        .map(str::to_string),
                }
            }
            AccountAuth::HuaweiPassword { account } => {
                if account.trim().is_empty() {
                    errors.push(FieldError::new("auth.account", FieldErrorCode::Required));
                }
                AccountAuth::HuaweiPassword {
                    account: account.trim().to_string(),
                }
            }
            AccountAuth::TencentApp {
                app_id,
                sdk_id,
                secret_id,
                operator,
            } => {
                for (field, value) in [
                    ("auth.app_id", app_id),
                    ("auth.secret_id", secret_id),
                    ("auth.operator", operator),
                ] {
                    if value.trim().is_empty() {
                        errors.push(FieldError::new(field, FieldErrorCode::Required));
                    }
                }
                AccountAuth::TencentApp {
                    app_id: app_id.trim().to_string(),
                    // An empty SDK ID is "none": Tencent refuses an unassigned one (190303).
                    sdk_id: sdk_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    secret_id: secret_id.trim().to_string(),
                    operator: operator.trim().to_string(),
                }
            }
            AccountAuth::BizconfApi {
                site_sign,
                user_id,
                user_name,
            } => {
                for (field, value) in [("auth.site_sign", site_sign), ("auth.user_id", user_id)] {
                    if value.trim().is_empty() {
                        errors.push(FieldError::new(field, FieldErrorCode::Required));
                    }
                }
                AccountAuth::BizconfApi {
                    site_sign: site_sign.trim().to_string(),
                    user_id: user_id.trim().to_string(),
                    user_name: user_name.trim().to_string(),
                }
            }
            AccountAuth::FeishuApp {
                app_id,
                region,
                owner,
            } => {
                if app_id.trim().is_empty() {
                    errors.push(FieldError::new("auth.app_id", FieldErrorCode::Required));
                }
                AccountAuth::FeishuApp {
                    app_id: app_id.trim().to_string(),
                    region: *region,
                    owner: owner
                        .as_deref()
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(str::to_string),
                }
            }
            AccountAuth::CloudroomApi { secret_id, user_id } => {
                if secret_id.trim().is_empty() {
                    errors.push(FieldError::new("auth.secret_id", FieldErrorCode::Required));
                }
                // A CloudRoom user id is a Long (L126): anything else would fail only after the
                // key pair was checked, with no field to point at.
                if let Some(u) = user_id.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                    if !u.bytes().all(|b| b.is_ascii_digit())
                        || !u.parse::<i64>().is_ok_and(|v| v > 0)
                    {
                        errors.push(FieldError::new("auth.user_id", FieldErrorCode::NotANumber));
                    }
                }
                AccountAuth::CloudroomApi {
                    secret_id: secret_id.trim().to_string(),
                    // Empty: the company's creator hosts (CloudRoom doc L126).
                    user_id: user_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|u| !u.is_empty())
                        .map(str::to_string),
                }
            }
        };
        if new.secret.expose_secret().trim().is_empty() {
            errors.push(FieldError::new("secret", FieldErrorCode::Required));
        }
        if !errors.is_empty() {
            return Err(UiError::invalid_input(&errors, lang));
        }

        let secret = SecretString::from(new.secret.expose_secret().to_string());
        let id = AccountId(uuid::Uuid::new_v4().to_string());
        let cached = self.build_client(&id, &base_url, &auth, &secret);
        let identity = cached
            .client
            .verify()
            .await
            .map_err(|e| self.vendor_err("verify", e))?;

        let row = self.insert_account(
            Account {
                id: id.clone(),
                vendor,
                label,
                base_url,
                auth,
                sandbox: false,
                created_at: now_secs(),
            },
            &secret,
            Some(identity.user_id),
            Some(identity.display_name),
        )?;
        self.clients().insert(id.clone(), cached);
        tracing::info!(account = %id, vendor = %vendor, "account added");
        Ok(self.account_view(&row))
    }

    /// Stores a new account: the secret in the secret store, the rest in SQLite; a failed
    /// insert leaves no orphan secret behind.
    fn insert_account(
        &self,
        account: Account,
        secret: &SecretString,
        identity_user_id: Option<String>,
        identity_name: Option<String>,
    ) -> Result<AccountRow, UiError> {
        self.inner
            .secrets
            .put(&account.id, secret)
            .map_err(|e| self.secret_err(e))?;
        let row = AccountRow {
            account,
            identity_user_id,
            identity_name,
            refreshed_at: None,
        };
        if let Err(e) = self.inner.store.insert_account(&row) {
            let _ = self.inner.secrets.delete(&row.account.id);
            return Err(self.store_err(e));
        }
        Ok(row)
    }

    /// Forgets the account: its secret, its row and its cached meetings. The meetings stay at
    /// the vendor.
    pub async fn remove_account(&self, id: &AccountId) -> Result<(), UiError> {
        self.account_row(id)?;
        // Secret first: if the keyring refuses, nothing has changed and the user can retry.
        self.inner
            .secrets
            .delete(id)
            .map_err(|e| self.secret_err(e))?;
        feishu_user::SecretUserTokens::new(self.inner.secrets.clone(), id).clear();
        self.inner.feishu_connects.cancel(id);
        self.inner
            .store
            .delete_account(id)
            .map_err(|e| self.store_err(e))?;
        self.clients().remove(id);
        tracing::info!(account = %id, "account removed");
        Ok(())
    }

    // ---- a Feishu account's user ----

    /// Connects the person's own Feishu user to a Feishu account (OAuth 2.0 code + PKCE, note
    /// §3.3): listens on a loopback redirect, hands the authorize page to `open_browser` (the
    /// shell opens the system browser; a CLI prints it), waits for the browser's answer (at
    /// most [`feishu_user::CONNECT_TIMEOUT`], or until [`Desk::cancel_feishu_connect`]),
    /// exchanges the code and keeps the tokens in the secret store. The verifier and the
    /// tokens never leave Rust.
    pub async fn connect_feishu_user(
        &self,
        account: &AccountId,
        open_browser: impl FnOnce(&str) + Send,
    ) -> Result<AccountView, UiError> {
        let lang = self.lang();
        let row = self.account_row(account)?;
        let (row, _) = self.client(&row).await?;
        let feishu = self
            .cached_client(&row)?
            .feishu
            .ok_or_else(|| UiError::no_user_authorization(lang))?;
        // A flow already waiting on the fixed port would keep it: stop it first.
        self.inner.feishu_connects.cancel(account);
        let port = if row.account.sandbox {
            0
        } else {
            self.inner.feishu_redirect_port
        };
        let redirect = LoopbackRedirect::bind(port, feishu_user::REDIRECT_PATH)
            .await
            .map_err(|e| {
                tracing::warn!(port, error = %e, "Feishu redirect listener failed");
                UiError::redirect_port_busy(port, lang)
            })?;
        let start = feishu
            .begin_authorization(&redirect.redirect_uri)
            .map_err(|e| self.vendor_err("authorize", e))?;
        let cancel = self
            .inner
            .feishu_connects
            .register(account, &start.authorize_url);
        tracing::info!(account = %account, "waiting for the Feishu authorization");
        open_browser(&start.authorize_url);
        let reply = tokio::select! {
            r = redirect.wait(feishu_user::CONNECT_TIMEOUT) => r,
            _ = cancel.notified() => {
                self.inner.feishu_connects.finished(account, &cancel);
                tracing::info!(account = %account, "Feishu connection cancelled");
                return Err(UiError::connect_cancelled(lang));
            }
        };
        self.inner.feishu_connects.finished(account, &cancel);
        let reply = reply.map_err(|e| match e.kind {
            VendorErrorKind::PermissionDenied => UiError::connect_declined(lang),
            VendorErrorKind::Timeout => {
                UiError::connect_timed_out(feishu_user::CONNECT_TIMEOUT.as_secs() / 60, lang)
            }
            _ => self.vendor_err("authorize", e),
        })?;
        feishu
            .finish_authorization(&start, reply.code.expose_secret(), &reply.state)
            .await
            .map_err(|e| self.vendor_err("authorize", e))?;
        tracing::info!(account = %account, "Feishu user connected");
        Ok(self.account_view(&self.account_row(account)?))
    }

    /// The authorize page of the account's connection in progress (to open again or copy when
    /// the browser did not come up). Not a secret: the PKCE verifier is not in it.
    pub fn feishu_connect_link(&self, account: &AccountId) -> Option<String> {
        self.inner.feishu_connects.authorize_url(account)
    }

    /// Stops waiting for the browser; the pending [`Desk::connect_feishu_user`] returns a
    /// `cancelled` error.
    pub fn cancel_feishu_connect(&self, account: &AccountId) -> bool {
        self.inner.feishu_connects.cancel(account)
    }

    /// Forgets the user's tokens (here; Feishu keeps the grant until the user revokes it).
    pub fn disconnect_feishu_user(&self, account: &AccountId) -> Result<AccountView, UiError> {
        let row = self.account_row(account)?;
        if row.account.vendor != VendorKind::Feishu {
            return Err(UiError::no_user_authorization(self.lang()));
        }
        feishu_user::SecretUserTokens::new(self.inner.secrets.clone(), account).clear();
        tracing::info!(account = %account, "Feishu user disconnected");
        Ok(self.account_view(&row))
    }

    // ---- vendor clients ----

    fn clients(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, CachedClient>> {
        self.inner.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A client for an account's address, auth and secret; a Feishu one keeps the user's
    /// tokens in the secret store.
    fn build_client(
        &self,
        id: &AccountId,
        base_url: &str,
        auth: &AccountAuth,
        secret: &SecretString,
    ) -> CachedClient {
        let creds = AccountCredentials {
            auth: auth.clone(),
            secret: secret.clone(),
        };
        let feishu = feishu_client_for(base_url, creds.clone(), &self.inner.http).map(|c| {
            let tokens = feishu_user::SecretUserTokens::new(self.inner.secrets.clone(), id);
            Arc::new(
                c.with_user_tokens(Arc::new(tokens) as Arc<dyn UserTokenStore>)
                    .with_join_preferences(self.join_preferences()),
            )
        });
        let client: Arc<dyn VendorClient> = match &feishu {
            Some(f) => f.clone(),
            None => client_for(base_url, creds, &self.inner.http),
        };
        CachedClient {
            base_url: base_url.to_string(),
            auth: auth.clone(),
            client,
            feishu,
        }
    }

    /// The account's client, reusing the cached one while the account's address and auth are
    /// unchanged. Does not start the sandbox (see [`Desk::client`]).
    fn cached_client(&self, row: &AccountRow) -> Result<CachedClient, UiError> {
        let a = &row.account;
        if let Some(c) = self.clients().get(&a.id) {
            if c.base_url == a.base_url && c.auth == a.auth {
                return Ok(c.clone());
            }
        }
        let secret = self
            .inner
            .secrets
            .get(&a.id)
            .map_err(|e| self.secret_err(e))?;
        let cached = self.build_client(&a.id, &a.base_url, &a.auth, &secret);
        self.clients().insert(a.id.clone(), cached.clone());
        Ok(cached)
    }

    fn client_now(&self, row: &AccountRow) -> Result<Arc<dyn VendorClient>, UiError> {
        Ok(self.cached_client(row)?.client)
    }

    /// The client for a call that goes to the vendor: a sandbox account starts the sandbox
    /// first when it is not running. A sandbox account's row is always read again: its address
    /// changes when the sandbox starts, possibly by another call (one sandbox serves several
    /// vendors, so the agenda starts it from one account while another waits for it).
    async fn client(
        &self,
        row: &AccountRow,
    ) -> Result<(AccountRow, Arc<dyn VendorClient>), UiError> {
        let row = if row.account.sandbox {
            // Both take the sandbox lock, which is held until every account is re-pointed.
            if !self.sandbox_running().await {
                self.start_sandbox().await?;
            }
            self.account_row(&row.account.id)?
        } else {
            row.clone()
        };
        let client = self.client_now(&row)?;
        Ok((row, client))
    }

    pub fn capabilities(&self, account: &AccountId) -> Result<Capabilities, UiError> {
        let row = self.account_row(account)?;
        Ok(self.client_now(&row)?.capabilities())
    }

    // ---- sandbox ----

    async fn sandbox_running(&self) -> bool {
        self.inner.sandbox.lock().await.is_some()
    }

    pub async fn sandbox_status(&self) -> SandboxStatus {
        let running = self.sandbox_running().await;
        let accounts = self
            .inner
            .store
            .accounts()
            .map(|rows| {
                rows.iter()
                    .filter(|r| r.account.sandbox)
                    .map(|r| self.account_view(r))
                    .collect()
            })
            .unwrap_or_default();
        SandboxStatus { running, accounts }
    }

    /// Starts the fake vendors in this process on 127.0.0.1 (state in `data_dir/sandbox`, so
    /// sandbox meetings survive restarts). The first start adds one sandbox account per fake
    /// vendor; later starts re-point those accounts at the new port (and new credentials, if
    /// the sandbox state was wiped). Starting a running sandbox only reports its status.
    pub async fn start_sandbox(&self) -> Result<SandboxStatus, UiError> {
        let lang = self.lang();
        let mut guard = self.inner.sandbox.lock().await;
        if guard.is_none() {
            let config = SimConfig {
                state_dir: Some(self.inner.data_dir.join("sandbox")),
                // Every fake there is; a vendor this build has no client for gets no account.
                vendors: SimVendor::ALL.to_vec(),
                port: 0,
            };
            let sim = Sim::start(config).await.map_err(|e| {
                tracing::error!(error = %e, "sandbox failed to start");
                UiError::sandbox(&e.to_string(), lang)
            })?;
            *guard = Some(sim);
        }
        let listeners = guard
            .as_ref()
            .map(|s| s.listeners().to_vec())
            .unwrap_or_default();
        for l in &listeners {
            if let Err(e) = self.adopt_listener(l) {
                // Leave the sandbox running: the accounts can be fixed by starting again.
                drop(guard);
                return Err(e);
            }
        }
        drop(guard);
        tracing::info!(listeners = listeners.len(), "sandbox running");
        Ok(self.sandbox_status().await)
    }

    /// Creates or re-points the sandbox account served by one listener.
    fn adopt_listener(&self, l: &huiyi_sim::ListenerInfo) -> Result<(), UiError> {
        let lang = self.lang();
        let Some(vendor) = VendorKind::parse(&l.vendor) else {
            return Ok(()); // a fake vendor this build has no client for
        };
        let field = |k: &str| {
            l.credentials
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let (auth, secret, user_name) = match vendor {
            VendorKind::Huawei => {
                let user_id = field("user_id");
                (
                    AccountAuth::HuaweiAppId {
                        app_id: field("app_id"),
                        user_id: (!user_id.is_empty()).then_some(user_id),
                    },
                    SecretString::from(field("app_key")),
                    field("user_name"),
                )
            }
            VendorKind::Tencent => {
                let sdk_id = field("sdk_id");
                (
                    AccountAuth::TencentApp {
                        app_id: field("app_id"),
                        sdk_id: (!sdk_id.is_empty()).then_some(sdk_id),
                        secret_id: field("secret_id"),
                        operator: field("userid"),
                    },
                    SecretString::from(field("secret_key")),
                    String::new(),
                )
            }
            VendorKind::Bizconf => (
                AccountAuth::BizconfApi {
                    site_sign: field("site_sign"),
                    user_id: field("user_id"),
                    user_name: field("user_name"),
                },
                SecretString::from(field("api_key")),
                field("user_name"),
            ),
            VendorKind::Feishu => {
                let owner = field("user_id");
                (
                    // The sandbox books for its user with the app's token (owner_id), so
                    // booking works before anyone connects a user.
                    AccountAuth::FeishuApp {
                        app_id: field("app_id"),
                        region: huiyi_core::FeishuRegion::Feishu,
                        owner: (!owner.is_empty()).then_some(owner),
                    },
                    SecretString::from(field("app_secret")),
                    field("user_name"),
                )
            }
            // A fake vendor this build has no client for.
            VendorKind::Cloudroom => {
                let user_id = field("user_id");
                (
                    AccountAuth::CloudroomApi {
                        secret_id: field("secret_id"),
                        user_id: (!user_id.is_empty()).then_some(user_id),
                    },
                    SecretString::from(field("secret_key")),
                    field("user_name"),
                )
            }
        };
        if secret.expose_secret().is_empty() {
            return Err(UiError::sandbox(
                "the fake vendor reported no credentials",
                lang,
            ));
        }
        // A fake whose API sits under a path (CloudRoom's `/CLOUDROOM-SERVER`) says so.
        let base_url = format!(
            "{}{}",
            l.base_url.trim_end_matches('/'),
            field("base_path").trim_end_matches('/')
        );
        let store = &self.inner.store;
        let existing: Vec<AccountRow> = store
            .accounts()
            .map_err(|e| self.store_err(e))?
            .into_iter()
            .filter(|r| r.account.sandbox && r.account.vendor == vendor)
            .collect();
        if existing.is_empty() {
            let identity_user_id = match &auth {
                AccountAuth::HuaweiAppId { user_id, .. } => user_id.clone(),
                AccountAuth::HuaweiPassword { account } => Some(account.clone()),
                AccountAuth::TencentApp { operator, .. } => Some(operator.clone()),
                AccountAuth::BizconfApi { user_id, .. } => Some(user_id.clone()),
                AccountAuth::FeishuApp { owner, .. } => owner.clone(),
                AccountAuth::CloudroomApi { user_id, .. } => user_id.clone(),
            };
            let row = self.insert_account(
                Account {
                    id: AccountId(uuid::Uuid::new_v4().to_string()),
                    vendor,
                    label: sandbox_label(vendor, lang),
                    base_url,
                    auth: auth.clone(),
                    sandbox: true,
                    created_at: now_secs(),
                },
                &secret,
                identity_user_id,
                (!user_name.is_empty()).then_some(user_name),
            )?;
            let id = &row.account.id;
            tracing::info!(account = %id, vendor = %vendor, "sandbox account added");
        } else {
            for row in existing {
                let id = &row.account.id;
                // Cached clients need no eviction: `client_now` rebuilds one whose address or
                // auth no longer matches the row, and keeps (with its token) one that does.
                if row.account.base_url != base_url || row.account.auth != auth {
                    store
                        .update_account_endpoint(id, &base_url, &auth)
                        .map_err(|e| self.store_err(e))?;
                }
                // Write the key only when it differs: keyrings may prompt or log on writes.
                let same = matches!(self.inner.secrets.get(id), Ok(s) if s.expose_secret() == secret.expose_secret());
                if !same {
                    self.inner
                        .secrets
                        .put(id, &secret)
                        .map_err(|e| self.secret_err(e))?;
                }
                tracing::info!(account = %id, "sandbox account re-pointed");
            }
        }
        Ok(())
    }

    /// Stops the sandbox (its state stays on disk). Sandbox accounts start it again when used.
    pub async fn stop_sandbox(&self) -> SandboxStatus {
        let sim = self.inner.sandbox.lock().await.take();
        if let Some(sim) = sim {
            sim.shutdown().await;
            tracing::info!("sandbox stopped");
        }
        self.sandbox_status().await
    }

    // ---- agenda ----

    fn summary(&self, row: &MeetingRow, account: &Account) -> MeetingSummary {
        let m = &row.record;
        MeetingSummary {
            id: row.id.clone(),
            account_id: account.id.clone(),
            account_label: self.label_of(account),
            vendor: account.vendor,
            sandbox: account.sandbox,
            subject: m.subject.clone(),
            start: m.start,
            end: m.end,
            zone: m.zone.clone(),
            state: m.state,
            meeting_number: m.meeting_number.clone(),
            series_id: self
                .inner
                .store
                .series_of_meeting(&account.id, &m.vendor_id)
                .ok()
                .flatten(),
        }
    }

    fn view(&self, row: &MeetingRow, account: &Account) -> Result<MeetingView, UiError> {
        let m = &row.record;
        let rooms = self
            .inner
            .store
            .meeting_rooms(&row.id)
            .map_err(|e| self.store_err(e))?;
        Ok(MeetingView {
            summary: self.summary(row, account),
            organizer: m.organizer.clone(),
            attendees: m.attendees.clone(),
            guest_password: m.guest_password.clone(),
            has_host_password: m.has_host_password,
            dial_in: m.dial_in.clone(),
            links: m.links.clone(),
            notify: m.notify,
            rooms,
            fetched_at: m.fetched_at,
        })
    }

    fn agenda_from_cache(&self, problems: Vec<AccountProblem>) -> Result<Agenda, UiError> {
        let store = &self.inner.store;
        let account_rows = store.accounts().map_err(|e| self.store_err(e))?;
        let refreshed_at = account_rows.iter().filter_map(|r| r.refreshed_at).min();
        let accounts: HashMap<AccountId, Account> = account_rows
            .into_iter()
            .map(|r| (r.account.id.clone(), r.account))
            .collect();
        let now = Utc::now();
        let mut meetings: Vec<MeetingSummary> = store
            .meetings()
            .map_err(|e| self.store_err(e))?
            .iter()
            .filter(|m| is_open_state(m.record.state) && m.record.end > now)
            .filter_map(|m| accounts.get(&m.account_id).map(|a| self.summary(m, a)))
            .collect();
        meetings.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        Ok(Agenda {
            meetings,
            problems,
            refreshed_at,
        })
    }

    /// The agenda from SQLite only: instant, offline.
    pub fn cached_agenda(&self) -> Result<Agenda, UiError> {
        self.agenda_from_cache(Vec::new())
    }

    /// Asks every account's vendor at once, updates the cache, and returns the merged agenda.
    /// An account that fails becomes an [`AccountProblem`]; its cached meetings still show.
    pub async fn agenda(&self) -> Result<Agenda, UiError> {
        let rows = self.inner.store.accounts().map_err(|e| self.store_err(e))?;
        let results =
            futures::future::join_all(rows.iter().map(|row| self.refresh_account(row))).await;
        let problems = rows
            .iter()
            .zip(results)
            .filter_map(|(row, r)| {
                r.err().map(|error| AccountProblem {
                    account_id: row.account.id.clone(),
                    account_label: self.label_of(&row.account),
                    error,
                })
            })
            .collect();
        self.agenda_from_cache(problems)
    }

    async fn refresh_account(&self, row: &AccountRow) -> Result<(), UiError> {
        let (row, client) = self.client(row).await?;
        let caps = client.capabilities();
        let id = &row.account.id;
        let cached: Vec<MeetingRecord> = self
            .inner
            .store
            .meetings()
            .map_err(|e| self.store_err(e))?
            .into_iter()
            .filter(|m| &m.account_id == id)
            .map(|m| m.record)
            .collect();
        let now = Utc::now();
        let (records, failed) = if caps.lists_meetings {
            let listed = client
                .list_meetings()
                .await
                .map_err(|e| self.vendor_err("list", e))?;
            (
                self.listed_records(&listed, &cached, caps.keeps_start, now),
                None,
            )
        } else {
            self.records_by_id(client.as_ref(), cached, caps.keeps_start, now)
                .await
        };
        self.inner
            .store
            .replace_account_meetings(id, &records, now)
            .map_err(|e| self.store_err(e))?;
        tracing::info!(account = %id, meetings = records.len(), "account refreshed");
        match failed {
            Some(e) => Err(self.vendor_err("get", e)),
            None => Ok(()),
        }
    }

    /// The account's meetings as the vendor listed them. A listed meeting without a zone keeps
    /// the zone cached for it (the one it was booked in), else the computer's zone.
    fn listed_records(
        &self,
        listed: &[VendorMeeting],
        cached: &[MeetingRecord],
        keeps_start: bool,
        now: DateTime<Utc>,
    ) -> Vec<MeetingRecord> {
        let local = local_zone();
        listed
            .iter()
            .map(
                |vm| match cached.iter().find(|k| k.vendor_id == vm.vendor_id) {
                    Some(known) => record_from_known(vm, known, keeps_start, now),
                    None => record_from_vendor(vm, &local, now),
                },
            )
            .collect()
    }

    /// For a vendor without a list of meetings (Feishu): each cached meeting still to come is
    /// read by its id, a few at a time. One the vendor no longer has is dropped; one that could
    /// not be read stays as cached, and the first such error is returned beside the records.
    async fn records_by_id(
        &self,
        client: &dyn VendorClient,
        cached: Vec<MeetingRecord>,
        keeps_start: bool,
        now: DateTime<Utc>,
    ) -> (Vec<MeetingRecord>, Option<VendorError>) {
        use futures::StreamExt;
        let reads = futures::stream::iter(cached.into_iter().map(|known| async move {
            // What is over leaves the cache, as it leaves a vendor's list.
            if !is_open_state(known.state) || known.end <= now {
                return (None, None);
            }
            match client.get_meeting(&known.vendor_id).await {
                Ok(vm) => (Some(record_from_known(&vm, &known, keeps_start, now)), None),
                Err(e) if e.kind == VendorErrorKind::NotFound => (None, None),
                Err(e) => (Some(known), Some(e)),
            }
        }))
        .buffer_unordered(REFRESH_READS_AT_ONCE)
        .collect::<Vec<_>>()
        .await;
        let mut records = Vec::new();
        let mut failed = None;
        for (record, error) in reads {
            records.extend(record);
            failed = failed.or(error);
        }
        (records, failed)
    }

    // ---- meetings ----

    fn meeting_row(&self, id: &str) -> Result<(MeetingRow, AccountRow), UiError> {
        let m = self
            .inner
            .store
            .meeting(id)
            .map_err(|e| self.store_err(e))?
            .ok_or_else(|| UiError::meeting_not_found(self.lang()))?;
        let a = self.account_row(&m.account_id)?;
        Ok((m, a))
    }

    fn stored_view(&self, meeting_id: &str, account: &Account) -> Result<MeetingView, UiError> {
        let row = self
            .inner
            .store
            .meeting(meeting_id)
            .map_err(|e| self.store_err(e))?
            .ok_or_else(|| UiError::meeting_not_found(self.lang()))?;
        self.view(&row, account)
    }

    /// Validates the form against the account's vendor limits, books the meeting, and caches
    /// it. Nothing is stored unless the vendor accepted it.
    pub async fn book(
        &self,
        account: &AccountId,
        form: BookingForm,
    ) -> Result<MeetingView, UiError> {
        let row = self.account_row(account)?;
        let (row, client) = self.client(&row).await?;
        let draft = form
            .validate(Utc::now(), &client.capabilities())
            .map_err(|errors| UiError::invalid_input(&errors, self.lang()))?;
        let vm = client
            .create_meeting(&draft)
            .await
            .map_err(|e| self.vendor_err("create", e))?;
        let record = record_after_write(&vm, &draft, Utc::now());
        let id = self
            .inner
            .store
            .upsert_meeting(account, &record)
            .map_err(|e| self.store_err(e))?;
        tracing::info!(account = %account, meeting = %id, vendor_id = %vm.vendor_id, "meeting booked");
        self.stored_view(&id, &row.account)
    }

    /// The advice the booking form shows before submitting (see [`BookingCheck`]): overlaps
    /// from the local agenda, free ports from the vendor. `editing` is the meeting being
    /// changed, left out of both. A form whose times cannot be read yet gets no advice.
    pub async fn booking_check(
        &self,
        account: &AccountId,
        form: &BookingForm,
        editing: Option<&MeetingId>,
    ) -> Result<BookingCheck, UiError> {
        let Some((start, end)) = form.times() else {
            return Ok(BookingCheck::default());
        };
        let row = self.account_row(account)?;
        let edited = match editing {
            Some(id) => Some(self.meeting_row(id)?.0),
            None => None,
        };
        let overlapping = self
            .inner
            .store
            .meetings()
            .map_err(|e| self.store_err(e))?
            .iter()
            .filter(|m| &m.account_id == account && Some(&m.id) != editing)
            .filter(|m| is_open_state(m.record.state))
            .filter(|m| m.record.start < end && start < m.record.end)
            .map(|m| self.summary(m, &row.account))
            .collect();
        let (_, client) = self.client(&row).await?;
        let caps = client.capabilities();
        let (free_ports, ports_error) = if caps.max_ports.is_some() {
            let excluded = edited.as_ref().map(|m| m.record.vendor_id.as_str());
            match client.free_ports(start, end, excluded).await {
                Ok(n) => (Some(n), None),
                Err(e) => (None, Some(self.vendor_err("free ports", e))),
            }
        } else {
            (None, None)
        };
        Ok(BookingCheck {
            overlapping,
            overlap_refused: caps.one_meeting_at_a_time,
            free_ports,
            ports_error,
        })
    }

    /// The booking form prefilled from the cached meeting, times in the meeting's own zone.
    pub fn edit_form(&self, id: &MeetingId) -> Result<BookingForm, UiError> {
        let (row, account) = self.meeting_row(id)?;
        let m = &row.record;
        // The password comes back where the booking form sets one (CloudRoom).
        let sets_password = self
            .client_now(&account)
            .is_ok_and(|c| c.capabilities().password_digits.is_some());
        let zone: Tz = m.zone.parse().unwrap_or(Tz::UTC);
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();
        Ok(BookingForm {
            subject: m.subject.clone(),
            start: local(m.start),
            end: Some(local(m.end)),
            duration_minutes: None,
            zone: zone.name().to_string(),
            attendees: m
                .attendees
                .iter()
                .map(|a| AttendeeInput {
                    name: a.name.clone(),
                    email: a.email.clone().unwrap_or_default(),
                    phone: a.phone.clone().unwrap_or_default(),
                    account: a.account.clone().unwrap_or_default(),
                    host: a.role == AttendeeRole::Host,
                })
                .collect(),
            notify: m.notify.unwrap_or_default(),
            // Left open: an edit keeps the meeting's ports and registration as booked.
            ports: None,
            registration: false,
            password: if sets_password {
                m.guest_password.clone().unwrap_or_default()
            } else {
                String::new()
            },
        })
    }

    /// Replaces the meeting's subject, time, attendees and notices. The cache changes only
    /// when the vendor accepted the change.
    pub async fn edit(&self, id: &MeetingId, form: BookingForm) -> Result<MeetingView, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (account, client) = self.client(&account).await?;
        let draft = form
            .validate(Utc::now(), &client.capabilities())
            .map_err(|errors| UiError::invalid_input(&errors, self.lang()))?;
        let vm = client
            .update_meeting(&meeting.record.vendor_id, &draft)
            .await
            .map_err(|e| self.vendor_err("update", e))?;
        let record = record_after_write(&vm, &draft, Utc::now());
        let stored = self
            .inner
            .store
            .upsert_meeting(&account.account.id, &record)
            .map_err(|e| self.store_err(e))?;
        if stored != *id {
            // The vendor answered with a different meeting id (it re-created the meeting): the
            // old one no longer exists there, so the old row goes.
            let _ = self.inner.store.delete_meeting(id);
        }
        tracing::info!(meeting = %stored, "meeting edited");
        self.stored_view(&stored, &account.account)
    }

    /// Cancels at the vendor, then forgets the meeting. A meeting the vendor no longer has is
    /// already gone, which is what the person wanted: it is forgotten and Ok is returned.
    pub async fn cancel(&self, id: &MeetingId) -> Result<(), UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (_, client) = self.client(&account).await?;
        match client.cancel_meeting(&meeting.record.vendor_id).await {
            Ok(()) => {}
            Err(e) if e.kind == VendorErrorKind::NotFound => {
                tracing::info!(meeting = %id, "meeting was already gone at the vendor");
            }
            Err(e) => return Err(self.vendor_err("cancel", e)),
        }
        self.inner
            .store
            .delete_meeting(id)
            .map_err(|e| self.store_err(e))?;
        self.series_meeting_cancelled(&account.account.id, &meeting.record.vendor_id);
        tracing::info!(meeting = %id, "meeting cancelled");
        Ok(())
    }

    /// Ends a meeting in progress for everyone, then reads it back (it leaves the agenda).
    pub async fn end_meeting(&self, id: &MeetingId) -> Result<MeetingView, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (account, client) = self.client(&account).await?;
        client
            .end_meeting(&meeting.record.vendor_id)
            .await
            .map_err(|e| self.vendor_err("end", e))?;
        tracing::info!(meeting = %id, "meeting ended");
        self.fetch(&meeting, &account).await?;
        self.stored_view(id, &account.account)
    }

    /// Fresh details from the vendor (the cache is updated); when the vendor cannot be
    /// reached, the cached details (check `fetched_at`).
    pub async fn meeting(&self, id: &MeetingId) -> Result<MeetingView, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        match self.fetch(&meeting, &account).await {
            Ok((_, account)) => self.stored_view(id, &account.account),
            Err(e) if e.retryable => {
                tracing::info!(meeting = %id, code = %e.code, "showing cached details");
                self.view(&meeting, &account.account)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads the meeting from the vendor and refreshes its cache row. A meeting the vendor no
    /// longer has leaves the cache.
    async fn fetch(
        &self,
        meeting: &MeetingRow,
        account: &AccountRow,
    ) -> Result<(VendorMeeting, AccountRow), UiError> {
        let (account, client) = self.client(account).await?;
        match client.get_meeting(&meeting.record.vendor_id).await {
            Ok(vm) => {
                let keeps_start = client.capabilities().keeps_start;
                let record = record_from_known(&vm, &meeting.record, keeps_start, Utc::now());
                self.inner
                    .store
                    .upsert_meeting(&account.account.id, &record)
                    .map_err(|e| self.store_err(e))?;
                Ok((vm, account))
            }
            Err(e) => {
                if e.kind == VendorErrorKind::NotFound {
                    let _ = self.inner.store.delete_meeting(&meeting.id);
                }
                Err(self.vendor_err("get", e))
            }
        }
    }

    /// A join link fresh from the vendor, for the caller to open or copy. Host links are
    /// secrets: expose them only where they are opened or copied. Web links are preferred
    /// because they work without the vendor's client installed.
    pub async fn join_link(&self, id: &MeetingId, role: LinkRole) -> Result<JoinLink, UiError> {
        self.join_link_of(id, role, None).await
    }

    /// A join link fresh from the vendor of one kind (`sfcloud://` rather than web, say), or
    /// of the preferred kind when `kind` is none.
    pub async fn join_link_of(
        &self,
        id: &MeetingId,
        role: LinkRole,
        kind: Option<LinkKind>,
    ) -> Result<JoinLink, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (vm, account) = self.fetch(&meeting, &account).await?;
        let mut minted = Vec::new();
        if kind == Some(LinkKind::Protocol)
            && !vm.links.iter().any(|l| l.kind == LinkKind::Protocol)
        {
            // A link minted for this person now (CloudRoom's CRMT string), never cached.
            let (_, client) = self.client(&account).await?;
            let nick = join_nickname(&account, &self.label_of(&account.account));
            minted = client
                .launch_links(&vm.vendor_id, role, &nick)
                .await
                .map_err(|e| self.vendor_err("join", e))?;
            tracing::info!(meeting = %id, role = ?role, "join link minted");
        }
        let mut links: Vec<&JoinLink> = vm
            .links
            .iter()
            .chain(&minted)
            .filter(|l| l.role == role && kind.is_none_or(|k| l.kind == k))
            .collect();
        links.sort_by_key(|l| if l.kind == LinkKind::Web { 0 } else { 1 });
        links
            .first()
            .map(|l| (*l).clone())
            .ok_or_else(|| UiError::no_link(self.lang()))
    }

    /// The rooms the account's vendor manages (Tencent Meeting Rooms), to book one for a
    /// meeting. A vendor without rooms answers with an `unsupported` error.
    pub async fn vendor_rooms(&self, account: &AccountId) -> Result<Vec<VendorRoom>, UiError> {
        let row = self.account_row(account)?;
        let (_, client) = self.client(&row).await?;
        client
            .list_rooms()
            .await
            .map_err(|e| self.vendor_err("list rooms", e))
    }

    /// Books vendor rooms for a meeting and records them with it. A room taken at that time
    /// fails with `room_occupied` and nothing is recorded.
    pub async fn book_rooms(
        &self,
        id: &MeetingId,
        room_ids: &[String],
    ) -> Result<MeetingView, UiError> {
        let room_ids: Vec<String> = room_ids
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        if room_ids.is_empty() {
            return Err(UiError::invalid_input(
                &[FieldError::new("rooms", FieldErrorCode::Required)],
                self.lang(),
            ));
        }
        let (meeting, account) = self.meeting_row(id)?;
        let (account, client) = self.client(&account).await?;
        let mut booked = client
            .book_rooms(&meeting.record.vendor_id, &room_ids)
            .await
            .map_err(|e| self.vendor_err("book rooms", e))?;
        // The booking answer names the rooms but may leave out where they are and their seats
        // (Tencent's has no `participant_number`), or leave a requested room out although the
        // call succeeded: the room list fills in what the page shows. Without it the rooms are
        // still recorded, under what is known.
        for rid in &room_ids {
            if !booked.iter().any(|r| &r.vendor_id == rid) {
                booked.push(VendorRoom {
                    vendor_id: rid.clone(),
                    name: rid.clone(),
                    location: None,
                    capacity: None,
                    bookable: true,
                });
            }
        }
        if booked
            .iter()
            .any(|r| r.capacity.is_none() || r.location.is_none())
        {
            match client.list_rooms().await {
                Ok(known) => {
                    for r in &mut booked {
                        if let Some(k) = known.iter().find(|k| k.vendor_id == r.vendor_id) {
                            r.name = k.name.clone();
                            r.location = r.location.take().or_else(|| k.location.clone());
                            r.capacity = r.capacity.or(k.capacity);
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(meeting = %id, error = %e.detail, "room details not filled in")
                }
            }
        }
        self.inner
            .store
            .add_meeting_rooms(id, &booked, Utc::now())
            .map_err(|e| self.store_err(e))?;
        tracing::info!(meeting = %id, rooms = room_ids.len(), "rooms booked");
        self.stored_view(id, &account.account)
    }

    /// Gives a room booked for the meeting back to the vendor.
    pub async fn release_room(
        &self,
        id: &MeetingId,
        room_id: &str,
    ) -> Result<MeetingView, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (account, client) = self.client(&account).await?;
        client
            .release_rooms(&meeting.record.vendor_id, &[room_id.to_string()])
            .await
            .map_err(|e| self.vendor_err("release rooms", e))?;
        self.inner
            .store
            .remove_meeting_room(id, room_id)
            .map_err(|e| self.store_err(e))?;
        tracing::info!(meeting = %id, "room released");
        self.stored_view(id, &account.account)
    }

    /// The people registered for the meeting, fresh from the vendor (not cached: the list
    /// changes as people register).
    pub async fn registrants(&self, id: &MeetingId) -> Result<Vec<RegistrantView>, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (_, client) = self.client(&account).await?;
        let list = client
            .registrants(&meeting.record.vendor_id)
            .await
            .map_err(|e| self.vendor_err("registrants", e))?;
        Ok(list.iter().map(registrant_view).collect())
    }

    /// Registers a person for the meeting; they get a personal join link (copy it with
    /// `registrant_link`).
    pub async fn add_registrant(
        &self,
        id: &MeetingId,
        person: RegistrantInput,
    ) -> Result<RegistrantView, UiError> {
        let person = person
            .validate()
            .map_err(|errors| UiError::invalid_input(&errors, self.lang()))?;
        let (meeting, account) = self.meeting_row(id)?;
        let (_, client) = self.client(&account).await?;
        let added = client
            .add_registrant(&meeting.record.vendor_id, &person)
            .await
            .map_err(|e| self.vendor_err("add registrant", e))?;
        tracing::info!(meeting = %id, "registrant added");
        Ok(registrant_view(&added))
    }

    /// A registrant's personal join link, fresh from the vendor, for the caller to copy.
    pub async fn registrant_link(
        &self,
        id: &MeetingId,
        registrant: &str,
    ) -> Result<SecretString, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (_, client) = self.client(&account).await?;
        client
            .registrants(&meeting.record.vendor_id)
            .await
            .map_err(|e| self.vendor_err("registrants", e))?
            .into_iter()
            .find(|r| r.id == registrant)
            .and_then(|r| r.join_url)
            .ok_or_else(|| UiError::no_link(self.lang()))
    }

    /// The host password, fresh from the vendor (never cached).
    pub async fn host_password(&self, id: &MeetingId) -> Result<SecretString, UiError> {
        let (meeting, account) = self.meeting_row(id)?;
        let (vm, _) = self.fetch(&meeting, &account).await?;
        vm.host_password
            .ok_or_else(|| UiError::no_host_password(self.lang()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Tauri shell shares one Desk across threads and awaits its futures on a
    /// multi-threaded runtime: both need Send (and Sync for the Desk). Compiles or fails.
    #[allow(dead_code)]
    fn desk_and_its_futures_are_send(d: &Desk, a: &AccountId, m: &MeetingId) {
        fn is_send<T: Send>(_: &T) {}
        fn is_sync<T: Send + Sync>() {}
        is_sync::<Desk>();
        is_send(&d.add_account(NewAccount {
            label: String::new(),
            base_url: None,
            auth: AccountAuth::HuaweiPassword {
                account: String::new(),
            },
            secret: SecretString::from(String::new()),
        }));
        is_send(&d.remove_account(a));
        is_send(&d.agenda());
        is_send(&d.book(a, BookingForm::default()));
        is_send(&d.edit(m, BookingForm::default()));
        is_send(&d.cancel(m));
        is_send(&d.meeting(m));
        is_send(&d.join_link(m, LinkRole::Host));
        is_send(&d.host_password(m));
        is_send(&d.vendor_rooms(a));
        is_send(&d.registrants(m));
        is_send(&d.end_meeting(m));
        is_send(&d.add_registrant(m, RegistrantInput::default()));
        is_send(&d.registrant_link(m, ""));
        is_send(&d.booking_check(a, &BookingForm::default(), None));
        is_send(&d.book_rooms(m, &[]));
        is_send(&d.release_room(m, ""));
        is_send(&d.start_sandbox());
        is_send(&d.stop_sandbox());
        is_send(&d.sandbox_status());
        is_send(&d.create_series(a, SeriesForm::default()));
        is_send(&d.resume_series());
        is_send(&d.cancel_series(""));
        is_send(&d.cancel_occurrence("", "", true));
        is_send(&d.move_occurrence("", "", "", None));
    }

    #[test]
    fn attendee_contacts_masked_by_the_vendor_are_restored_from_what_was_sent() {
        let sent = vec![
            Attendee {
                name: "李四".into(),
                email: None,
                phone: Some("+8613800138000".into()),
                account: None,
                role: AttendeeRole::Host,
            },
            Attendee {
                name: "张三".into(),
                email: Some("z@example.com".into()),
                phone: None,
                account: None,
                role: AttendeeRole::Participant,
            },
        ];
        let answered = vec![
            Attendee {
                name: "李四".into(),
                email: None,
                phone: None,
                account: None,
                role: AttendeeRole::Host,
            },
            Attendee {
                name: "新人".into(),
                email: Some("n@example.com".into()),
                phone: None,
                account: None,
                role: AttendeeRole::Participant,
            },
        ];
        let merged = merge_attendees(answered, &sent);
        assert_eq!(merged.len(), 2, "the vendor's list decides who attends");
        assert_eq!(merged[0].phone.as_deref(), Some("+8613800138000"));
        assert_eq!(merged[1].name, "新人");
        assert_eq!(merged[1].phone, None);
    }

    #[test]
    fn sandbox_labels_follow_the_language() {
        assert_eq!(
            sandbox_label(VendorKind::Huawei, Lang::Zh),
            "沙盒 · 华为云会议"
        );
        assert_eq!(
            sandbox_label(VendorKind::Huawei, Lang::En),
            "Sandbox · Huawei Cloud Meeting"
        );
    }
}
