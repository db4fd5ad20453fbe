//! Huiyi's domain: vendors, accounts, meetings, join links, validation rules, user-facing errors.
//! No I/O lives here; every other crate speaks these types.

pub mod account;
pub mod booking;
pub mod capabilities;
pub mod error;
pub mod i18n;
pub mod link;
pub mod meeting;
pub mod registration;
pub mod room;
pub mod series;
pub mod series_plan;
pub mod vendor;

pub use account::{Account, AccountAuth, AccountId, FeishuRegion};
pub use booking::{AttendeeInput, BookingForm};
pub use capabilities::{Capabilities, PasswordDigits};
pub use error::{FieldError, FieldErrorCode, VendorErrorKind};
pub use i18n::Lang;
pub use link::{JoinLink, JoinPreferences, LinkKind, LinkRole};
pub use meeting::{
    Attendee, AttendeeRole, MeetingDraft, MeetingState, Notifications, VendorMeeting,
};
pub use registration::{Registrant, RegistrantInput, RegistrationState};
pub use room::VendorRoom;
pub use secrecy::{ExposeSecret, SecretString};
pub use series::{
    ByDay, Expansion, Frequency, Occurrence, OccurrenceOverride, RuleEnd, Series, SeriesRule,
    Weekday,
};
pub use series_plan::{
    BeyondCap, CapLimit, DiffHint, NativeKind, NotCarried, PeriodUnit, PlanMode, PlanReason,
    SeriesPlan,
};
pub use vendor::VendorKind;
