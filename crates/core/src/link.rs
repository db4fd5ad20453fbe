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
    /// The link itself is a credential whatever its role: CloudRoom's `CRMT:` string carries
    /// an account and a password hash (note §5.4), minted for one person right before launch.
    /// Such a link is never public ([`JoinLink::public_url`] is none), so it is neither
    /// cached, logged nor sent over IPC; build it with [`JoinLink::credential`].
    pub secret: bool,
}

impl JoinLink {
    pub fn new(kind: LinkKind, role: LinkRole, url: impl Into<String>) -> JoinLink {
        JoinLink {
            kind,
            role,
            url: SecretString::from(url.into()),
            secret: false,
        }
    }

    /// A link that is a credential in itself (see [`JoinLink::secret`]), for any role.
    pub fn credential(kind: LinkKind, role: LinkRole, url: SecretString) -> JoinLink {
        JoinLink {
            kind,
            role,
            url,
            secret: true,
        }
    }

    /// The URL when it may be shown and stored (attendee links that are not credentials).
    pub fn public_url(&self) -> Option<&str> {
        match self.role {
            LinkRole::Attendee if !self.secret => Some(self.url.expose_secret()),
            LinkRole::Attendee | LinkRole::Host => None,
        }
    }
}

impl std::fmt::Debug for JoinLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinLink")
            .field("kind", &self.kind)
            .field("role", &self.role)
            .field("url", &self.public_url().unwrap_or("[redacted]"))
            .field("secret", &self.secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_link_is_never_public_nor_printed_even_for_attendees() {
        let crmt = "CRMT:LU1FRVRUWVBFPU1FRVRNR1IK";
        let l = JoinLink::credential(
            LinkKind::Protocol,
            LinkRole::Attendee,
            SecretString::from(crmt),
        );
        assert_eq!(l.public_url(), None);
        assert!(!format!("{l:?}").contains("LU1F"));
        assert_eq!(l.url.expose_secret(), crmt, "kept verbatim, case included");
        let web = JoinLink::new(LinkKind::Web, LinkRole::Attendee, "https://x/abc");
        assert_eq!(web.public_url(), Some("https://x/abc"));
        assert!(!web.secret);
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
