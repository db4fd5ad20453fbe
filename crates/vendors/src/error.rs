use huiyi_core::{Lang, VendorErrorKind, VendorKind};

/// A failed vendor call: what it means for the user (`kind`), plus what the vendor said, kept
/// for support and logs. Never carries a secret: `detail` holds only the vendor's own error
/// text or a description of a transport failure.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{vendor} call failed: {kind:?} (HTTP {status:?}, vendor code {code:?}): {detail}")]
pub struct VendorError {
    pub vendor: VendorKind,
    pub kind: VendorErrorKind,
    pub status: Option<u16>,
    /// The vendor's error code, e.g. `MMC.111071013`.
    pub code: Option<String>,
    /// The vendor's error message, or what went wrong on the wire.
    pub detail: String,
}

impl VendorError {
    pub fn new(
        vendor: VendorKind,
        kind: VendorErrorKind,
        detail: impl Into<String>,
    ) -> VendorError {
        VendorError {
            vendor,
            kind,
            status: None,
            code: None,
            detail: detail.into(),
        }
    }

    pub fn retryable(&self) -> bool {
        self.kind.retryable()
    }

    /// The sentence shown to a person, with the vendor's code appended for support.
    pub fn message(&self, lang: Lang) -> String {
        let text = self.kind.message(lang, self.vendor.display_name(lang));
        match &self.code {
            Some(code) => format!("{text} ({code})"),
            None => text,
        }
    }
}

/// Vendor error messages are kept short in errors and logs.
const MAX_DETAIL_CHARS: usize = 200;

/// A vendor's message cut to a length fit for an error detail.
pub(crate) fn truncate_detail(s: &str) -> String {
    if s.chars().count() <= MAX_DETAIL_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_DETAIL_CHARS).collect();
        t.push('…');
        t
    }
}
