use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// An https link that opens the web client or hands over to the installed client.
    Web,
    /// A custom-scheme link (`wemeet://`, `sfcloud://`, `CRMT:`) that launches the vendor client.
    Protocol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LinkRole {
    /// Carries host rights: a secret, never stored, logged or sent over IPC.
    Host,
    Attendee,
}

/// A join link as a vendor returned it. Deliberately not `Serialize`: a host link is a secret,
/// so the only way out of Rust is [`JoinLink::public_url`] (attendee links) or an explicit
/// `expose_secret` at the point where the link is opened or copied.
#[derive(Clone)]
pub struct JoinLink {
    pub kind: LinkKind,
    pub role: LinkRole,
    pub url: SecretString,
}

impl JoinLink {
    pub fn new(kind: LinkKind, role: LinkRole, url: impl Into<String>) -> JoinLink {
        JoinLink {
            kind,
            role,
            url: SecretString::from(url.into()),
        }
    }

    /// The URL when it may be shown and stored (attendee links only).
    pub fn public_url(&self) -> Option<&str> {
        match self.role {
            LinkRole::Attendee => Some(self.url.expose_secret()),
            LinkRole::Host => None,
        }
    }
}

impl std::fmt::Debug for JoinLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinLink")
            .field("kind", &self.kind)
            .field("role", &self.role)
            .field("url", &self.public_url().unwrap_or("[redacted]"))
            .finish()
    }
}

/// How the person wants to enter a meeting from a join link, where the vendor's link can say
/// so (Feishu's `app_link` switches `preview`, `mic`, `camera`, `speaker`, note §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JoinPreferences {
    /// Show the pre-join page first (camera/mic check).
    pub preview: bool,
    pub mic: bool,
    pub camera: bool,
    pub speaker: bool,
}

impl Default for JoinPreferences {
    /// Preview on, so nobody enters with a live microphone or camera by surprise; mic and
    /// camera off, speaker on.
    fn default() -> Self {
        JoinPreferences {
            preview: true,
            mic: false,
            camera: false,
            speaker: true,
        }
    }
}
