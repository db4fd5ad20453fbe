//! Meetings that require attendees to register first (BizConf `registrationType`): the people
//! registered and how a new one is entered. Each registrant gets a personal join link, which
//! is that person's secret: it is held as a `SecretString` and leaves Rust only when copied.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::booking::looks_like_email;
use crate::error::{FieldError, FieldErrorCode};

/// A person to register, as the form (or CLI) gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegistrantInput {
    pub name: String,
    pub email: String,
}

impl RegistrantInput {
    /// Trimmed, or every problem at once (`name`, `email`).
    pub fn validate(&self) -> Result<RegistrantInput, Vec<FieldError>> {
        let name = self.name.trim().to_string();
        let email = self.email.trim().to_string();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new("name", FieldErrorCode::Required));
        }
        if email.is_empty() {
            errors.push(FieldError::new("email", FieldErrorCode::Required));
        } else if !looks_like_email(&email) {
            errors.push(FieldError::new("email", FieldErrorCode::BadEmail));
        }
        if errors.is_empty() {
            Ok(RegistrantInput { name, email })
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationState {
    /// Waiting for the organizer's approval.
    Pending,
    Approved,
    Denied,
}

/// A registrant as the vendor lists them. Not `Serialize`: the join link is a secret.
#[derive(Clone)]
pub struct Registrant {
    /// The vendor's id for the registration.
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub state: RegistrationState,
    pub registered_at: Option<DateTime<Utc>>,
    /// The personal join link.
    pub join_url: Option<SecretString>,
}

impl std::fmt::Debug for Registrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Contact details and the personal link stay out of logs.
        f.debug_struct("Registrant")
            .field("id", &self.id)
            .field("state", &self.state)
            .field("has_link", &self.join_url.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registrant_needs_a_name_and_a_valid_email() {
        let ok = RegistrantInput {
            name: " 王五 ".into(),
            email: " wang@example.com ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.email.as_str()),
            ("王五", "wang@example.com")
        );
        let bad = RegistrantInput {
            name: " ".into(),
            email: "not-an-email".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            bad,
            vec![
                FieldError::new("name", FieldErrorCode::Required),
                FieldError::new("email", FieldErrorCode::BadEmail)
            ]
        );
    }
}
