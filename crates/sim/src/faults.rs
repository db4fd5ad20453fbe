//! Injected faults: what a flaky vendor or network does to a request.
//!
//! Faults are vendor-neutral; each vendor decides what "server error" looks like and how its
//! tokens expire (see `server::Backend`). Control endpoints under `/__sim/` are never faulted.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What happens to a request hit by a fault.
///
/// JSON (for `POST /__sim/faults`): `"server_error"`, `{"delay": 250}`, `"malformed_body"`,
/// `"expire_tokens"`, `"drop_after_commit"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer 500 with the vendor's "server busy" body; the operation is not performed.
    ServerError,
    /// Wait this many milliseconds, then handle the request normally.
    Delay(u64),
    /// Perform the operation, then answer 200 with its JSON body cut in half.
    MalformedBody,
    /// Expire every live access and refresh token now, then handle the request normally.
    ExpireTokens,
    /// Perform the operation, then close the connection without answering.
    DropAfterCommit,
}

/// One armed fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FaultKind,
    /// How many matching requests it hits before disarming itself.
    pub remaining: u32,
    /// Only requests whose path starts with this are hit; None = every vendor request.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

/// Armed faults of one listener, first armed = first applied.
#[derive(Debug, Default)]
pub(crate) struct FaultSet {
    armed: Mutex<Vec<Fault>>,
}

impl FaultSet {
    pub(crate) fn arm(&self, fault: Fault) {
        if fault.remaining == 0 {
            return;
        }
        self.lock().push(fault);
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn armed(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Consume one hit of the first fault matching `path`.
    pub(crate) fn take(&self, path: &str) -> Option<FaultKind> {
        let mut armed = self.lock();
        let idx = armed.iter().position(|f| {
            f.path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
        })?;
        let fault = &mut armed[idx];
        let kind = fault.kind.clone();
        fault.remaining = fault.remaining.saturating_sub(1);
        if fault.remaining == 0 {
            armed.remove(idx);
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        // A panic while holding this lock cannot leave the Vec inconsistent, so recover.
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_counts_down_and_honours_prefix() {
        let set = FaultSet::default();
        set.arm(Fault {
            kind: FaultKind::ServerError,
            remaining: 2,
            path_prefix: Some("/v1/mmc".into()),
        });
        assert_eq!(set.take("/v2/usg/acs/auth/appauth"), None);
        assert_eq!(
            set.take("/v1/mmc/management/conferences"),
            Some(FaultKind::ServerError)
        );
        assert_eq!(
            set.take("/v1/mmc/management/conferences"),
            Some(FaultKind::ServerError)
        );
        assert_eq!(set.take("/v1/mmc/management/conferences"), None);
    }

    #[test]
    fn json_shape() {
        let f: Fault = serde_json::from_str(r#"{"kind":{"delay":250},"remaining":1}"#).unwrap();
        assert_eq!(f.kind, FaultKind::Delay(250));
        let f: Fault = serde_json::from_str(
            r#"{"kind":"drop_after_commit","remaining":3,"path_prefix":"/v1"}"#,
        )
        .unwrap();
        assert_eq!(f.kind, FaultKind::DropAfterCommit);
    }
}
