//! One module per vendor — signer, wire types, client and mapping side by side — behind one
//! trait, [`VendorClient`]. Each vendor's folder has the same shape:
//!
//! ```text
//! huawei/, tencent/, bizconf/, feishu/, cloudroom/
//!   mod.rs      the client: implements VendorClient (auth, token cache, calls)
//!   signer.rs   pure signing functions, tested with the vectors of the vendor note
//!               (feishu: auth.rs — tenant token rules, OAuth + PKCE, the user token store)
//!   wire.rs     request/response types exactly as the vendor document spells them
//!   mapping.rs  wire <-> huiyi-core conversions (time formats, zones, states, links)
//!   errors.rs   vendor error codes -> VendorErrorKind
//! ```

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use huiyi_core::{
    AccountAuth, Capabilities, JoinLink, LinkRole, MeetingDraft, PlanReason, Registrant,
    RegistrantInput, SecretString, Series, SeriesPlan, VendorErrorKind, VendorKind, VendorMeeting,
    VendorRoom,
};

pub mod bizconf;
pub mod cloudroom;
pub mod error;
pub mod feishu;
pub mod http;
pub mod huawei;
pub mod lenient;
#[cfg(test)]
mod scripted;
#[cfg(test)]
mod series_plan_tests;
pub mod tencent;

pub use error::VendorError;
pub use http::Http;

/// Everything needed to talk to a vendor as one account: the stored, non-secret half and the
/// secret from the keyring (App Key or password). `Debug` shows the secret as redacted.
#[derive(Debug, Clone)]
pub struct AccountCredentials {
    pub auth: AccountAuth,
    pub secret: SecretString,
}

/// The client for an account. `base_url` is the account's API host (the vendor's default, a
/// private deployment, or the sandbox); `http` is the application's shared HTTP layer.
pub fn client_for(base_url: &str, creds: AccountCredentials, http: &Http) -> Arc<dyn VendorClient> {
    let auth = match creds.auth {
        AccountAuth::HuaweiAppId { app_id, user_id } => huawei::HuaweiAuth::AppId {
            app_id,
            user_id,
            app_key: creds.secret,
        },
        AccountAuth::HuaweiPassword { account } => huawei::HuaweiAuth::Password {
            account,
            password: creds.secret,
        },
        AccountAuth::TencentApp {
            app_id,
            sdk_id,
            secret_id,
            operator,
        } => {
            return Arc::new(tencent::TencentClient::new(
                base_url,
                tencent::TencentAuth {
                    app_id,
                    sdk_id,
                    secret_id,
                    secret_key: creds.secret,
                    operator,
                },
                http,
            ))
        }
        AccountAuth::BizconfApi {
            site_sign,
            user_id,
            user_name,
        } => {
            return Arc::new(bizconf::BizconfClient::new(
                base_url,
                bizconf::BizconfAuth {
                    site_sign,
                    user_id,
                    user_name,
                    api_key: creds.secret,
                },
                http,
            ))
        }
        AccountAuth::FeishuApp {
            app_id,
            region,
            owner,
        } => {
            let auth = feishu::FeishuAuth::new(app_id, creds.secret, region, owner);
            return Arc::new(feishu::FeishuClient::new(base_url, auth, http));
        }
        AccountAuth::CloudroomApi { secret_id, user_id } => {
            return Arc::new(cloudroom::CloudroomClient::new(
                base_url,
                cloudroom::CloudroomAuth {
                    secret_id,
                    secret_key: creds.secret,
                    user_id,
                },
                http,
            ))
        }
    };
    Arc::new(huawei::HuaweiClient::new(base_url, auth, http))
}

/// The Feishu client of a Feishu account (`None` for another vendor's): the desk needs its
/// OAuth calls and the user token store, which the trait has not.
pub fn feishu_client_for(
    base_url: &str,
    creds: AccountCredentials,
    http: &Http,
) -> Option<feishu::FeishuClient> {
    match creds.auth {
        AccountAuth::FeishuApp {
            app_id,
            region,
            owner,
        } => {
            let auth = feishu::FeishuAuth::new(app_id, creds.secret, region, owner);
            Some(feishu::FeishuClient::new(base_url, auth, http))
        }
        _ => None,
    }
}

/// Who the vendor says an account is, learnt when the account is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorIdentity {
    /// The vendor's id for the user (Huawei `userId` UUID).
    pub user_id: String,
    /// A name to show ("testuser@mycorp.com").
    pub display_name: String,
}

/// The operations Huiyi needs from every conferencing cloud. Implementations keep their own
/// session state (tokens) and renew it transparently; a caller never sees a session expiry
/// unless the credentials themselves stopped working.
#[async_trait]
pub trait VendorClient: Send + Sync {
    fn vendor(&self) -> VendorKind;

    /// What this account can express; checked before anything is submitted.
    fn capabilities(&self) -> Capabilities;

    /// What this vendor will do with a recurring series, before anything is submitted: its
    /// native recurrence where that holds exactly the series' meetings, single meetings
    /// otherwise (the default: a vendor without recurring meetings). Pure: no network.
    fn series_plan(&self, series: &Series) -> SeriesPlan {
        SeriesPlan::local(self.vendor(), series, vec![PlanReason::NoRecurrence])
    }

    /// Signs in with the account's credentials and says who the vendor thinks we are.
    async fn verify(&self) -> Result<VendorIdentity, VendorError>;

    async fn create_meeting(&self, draft: &MeetingDraft) -> Result<VendorMeeting, VendorError>;

    /// Replaces the meeting's subject, time, attendees and notification settings.
    async fn update_meeting(
        &self,
        vendor_id: &str,
        draft: &MeetingDraft,
    ) -> Result<VendorMeeting, VendorError>;

    async fn cancel_meeting(&self, vendor_id: &str) -> Result<(), VendorError>;

    /// Full details, including host links and passwords where the account is the host.
    async fn get_meeting(&self, vendor_id: &str) -> Result<VendorMeeting, VendorError>;

    /// Every meeting of the account that has not ended yet (scheduled or in progress).
    async fn list_meetings(&self) -> Result<Vec<VendorMeeting>, VendorError>;

    /// The rooms the vendor manages for the account's enterprise (`capabilities().rooms`).
    async fn list_rooms(&self) -> Result<Vec<VendorRoom>, VendorError> {
        Err(no_rooms(self.vendor()))
    }

    /// Books rooms for a meeting; the answer is the rooms the meeting holds afterwards as far
    /// as the vendor says (Tencent's answer shape is ambiguous: all of them, or only those of
    /// this call). A room already taken for that time fails with
    /// [`VendorErrorKind::RoomOccupied`].
    async fn book_rooms(
        &self,
        vendor_id: &str,
        room_ids: &[String],
    ) -> Result<Vec<VendorRoom>, VendorError> {
        let _ = (vendor_id, room_ids);
        Err(no_rooms(self.vendor()))
    }

    /// Gives rooms booked for a meeting back.
    async fn release_rooms(&self, vendor_id: &str, room_ids: &[String]) -> Result<(), VendorError> {
        let _ = (vendor_id, room_ids);
        Err(no_rooms(self.vendor()))
    }

    /// Concurrent participant ports (方数) still free for a meeting held from `start` to `end`,
    /// for vendors that reserve ports (`capabilities().max_ports`). `excluding_vendor_id`: a
    /// meeting of this account whose own ports are not counted as taken (the meeting being
    /// moved or resized), where the vendor allows that.
    async fn free_ports(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        excluding_vendor_id: Option<&str>,
    ) -> Result<u32, VendorError> {
        let _ = (start, end, excluding_vendor_id);
        Err(no_ports(self.vendor()))
    }

    /// Ends a meeting in progress for everyone (`capabilities().end_meeting`).
    async fn end_meeting(&self, vendor_id: &str) -> Result<(), VendorError> {
        let _ = vendor_id;
        Err(VendorError::new(
            self.vendor(),
            VendorErrorKind::Unsupported,
            "this vendor's meetings cannot be ended from Huiyi",
        ))
    }

    /// Join links minted for one person right before the launch, which
    /// [`VendorClient::get_meeting`] does not carry because they are credentials
    /// ([`JoinLink::secret`]): CloudRoom's `CRMT:` string (account + password hash, note §5.4)
    /// for `nick_name`, followed by the meeting's web link as the fallback. Never cache, log or
    /// send them over IPC; open them from Rust. Vendors whose `get_meeting` links suffice
    /// answer none.
    async fn launch_links(
        &self,
        vendor_id: &str,
        role: LinkRole,
        nick_name: &str,
    ) -> Result<Vec<JoinLink>, VendorError> {
        let _ = (vendor_id, role, nick_name);
        Ok(Vec::new())
    }

    /// The people registered for a meeting that requires registration
    /// (`capabilities().registration`).
    async fn registrants(&self, vendor_id: &str) -> Result<Vec<Registrant>, VendorError> {
        let _ = vendor_id;
        Err(no_registration(self.vendor()))
    }

    /// Registers a person; the answer carries their personal join link.
    async fn add_registrant(
        &self,
        vendor_id: &str,
        person: &RegistrantInput,
    ) -> Result<Registrant, VendorError> {
        let _ = (vendor_id, person);
        Err(no_registration(self.vendor()))
    }
}

fn no_ports(vendor: VendorKind) -> VendorError {
    VendorError::new(
        vendor,
        VendorErrorKind::Unsupported,
        "this vendor reserves no participant ports",
    )
}

fn no_registration(vendor: VendorKind) -> VendorError {
    VendorError::new(
        vendor,
        VendorErrorKind::Unsupported,
        "this vendor has no meeting registration",
    )
}

fn no_rooms(vendor: VendorKind) -> VendorError {
    VendorError::new(
        vendor,
        VendorErrorKind::Unsupported,
        "this vendor has no rooms of its own to book",
    )
}
