//! The IPC types as TypeScript, in one file: `ui/src/lib/bindings.ts`.
//!
//! `cargo test -p huiyi-desk bindings` fails when the committed file differs from what the Rust
//! types generate; `UPDATE_BINDINGS=1 cargo test -p huiyi-desk bindings` rewrites it.

use std::any::TypeId;
use std::collections::BTreeMap;

use crate::series_plan::SeriesPlanView;
use huiyi_core::{
    AccountAuth, AccountId, Attendee, AttendeeInput, AttendeeRole, BeyondCap, BookingForm,
    CapLimit, Capabilities, DiffHint, FeishuRegion, FieldError, FieldErrorCode, JoinPreferences,
    Lang, LinkKind, LinkRole, MeetingState, NativeKind, NotCarried, Notifications, PasswordDigits,
    PeriodUnit, PlanMode, PlanReason, RegistrantInput, RegistrationState, SeriesPlan,
    VendorErrorKind, VendorKind, VendorRoom,
};
use ts_rs::{Config, TS};

use crate::api::{
    AccountProblem, AccountView, Agenda, BookingCheck, FieldErrorView, LinkView, MeetingSummary,
    MeetingView, NewAccount, OccurrenceState, OccurrenceView, RegistrantView, SandboxStatus,
    SeriesForm, SeriesMode, SeriesState, SeriesView, Settings, UiError, UserAuthorization,
    UserAuthorizationState,
};

/// Path of the committed bindings, relative to this crate.
pub const BINDINGS_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/bindings.ts");

const HEADER: &str = "\
// GENERATED FILE - DO NOT EDIT.
// The IPC types of huiyi-desk (crates/desk/src/api.rs) and the huiyi-core types they use,
// exported with ts-rs. Regenerate with: UPDATE_BINDINGS=1 cargo test -p huiyi-desk bindings
";

struct Decl {
    text: String,
    deps: Vec<(TypeId, String)>,
}

fn decl<T: TS + 'static + ?Sized>(cfg: &Config) -> (TypeId, String, Decl) {
    let mut text = String::new();
    if let Some(docs) = T::docs() {
        text.push_str(&docs);
    }
    text.push_str("export ");
    text.push_str(&T::decl(cfg));
    let deps = T::dependencies(cfg)
        .into_iter()
        .map(|d| (d.type_id, d.ts_name))
        .collect();
    (TypeId::of::<T>(), T::ident(cfg), Decl { text, deps })
}

/// The whole file, deterministic: header, then every declaration sorted by name.
pub fn typescript() -> String {
    let cfg = Config::new();
    let all = [
        // api.rs
        decl::<AccountView>(&cfg),
        decl::<UserAuthorization>(&cfg),
        decl::<UserAuthorizationState>(&cfg),
        decl::<NewAccount>(&cfg),
        decl::<MeetingSummary>(&cfg),
        decl::<LinkView>(&cfg),
        decl::<MeetingView>(&cfg),
        decl::<Agenda>(&cfg),
        decl::<AccountProblem>(&cfg),
        decl::<FieldErrorView>(&cfg),
        decl::<UiError>(&cfg),
        decl::<SandboxStatus>(&cfg),
        decl::<Settings>(&cfg),
        decl::<BookingCheck>(&cfg),
        decl::<RegistrantView>(&cfg),
        decl::<RegistrantInput>(&cfg),
        decl::<RegistrationState>(&cfg),
        // huiyi-core types the front end sends or receives
        decl::<AccountId>(&cfg),
        decl::<AccountAuth>(&cfg),
        decl::<FeishuRegion>(&cfg),
        decl::<JoinPreferences>(&cfg),
        decl::<PasswordDigits>(&cfg),
        decl::<VendorKind>(&cfg),
        decl::<Attendee>(&cfg),
        decl::<AttendeeRole>(&cfg),
        decl::<AttendeeInput>(&cfg),
        decl::<BookingForm>(&cfg),
        decl::<Notifications>(&cfg),
        decl::<MeetingState>(&cfg),
        decl::<LinkKind>(&cfg),
        decl::<LinkRole>(&cfg),
        decl::<FieldErrorCode>(&cfg),
        decl::<VendorErrorKind>(&cfg),
        decl::<Lang>(&cfg),
        decl::<Capabilities>(&cfg),
        decl::<VendorRoom>(&cfg),
        decl::<SeriesForm>(&cfg),
        decl::<SeriesMode>(&cfg),
        decl::<SeriesState>(&cfg),
        decl::<OccurrenceState>(&cfg),
        decl::<OccurrenceView>(&cfg),
        decl::<SeriesView>(&cfg),
        // series_plan.rs: the capability report of a recurring series
        decl::<SeriesPlanView>(&cfg),
        decl::<SeriesPlan>(&cfg),
        decl::<PlanMode>(&cfg),
        decl::<NativeKind>(&cfg),
        decl::<BeyondCap>(&cfg),
        decl::<CapLimit>(&cfg),
        decl::<NotCarried>(&cfg),
        decl::<PlanReason>(&cfg),
        decl::<DiffHint>(&cfg),
        decl::<PeriodUnit>(&cfg),
        decl::<FieldError>(&cfg),
    ];
    let known: Vec<TypeId> = all.iter().map(|(id, _, _)| *id).collect();
    for (_, name, d) in &all {
        for (dep, dep_name) in &d.deps {
            // A type referenced but not declared would compile in Rust and break the UI build;
            // catch it here, where the fix (add it to the list above) is obvious.
            assert!(
                known.contains(dep),
                "{name} uses {dep_name}, which is not in bindings::typescript()'s list"
            );
        }
    }
    let mut sorted: BTreeMap<String, String> = BTreeMap::new();
    for (_, name, d) in all {
        sorted.insert(name, d.text);
    }
    // `MeetingId` is a Rust type alias, invisible to ts-rs; declared by hand so the UI can name it.
    sorted.insert("MeetingId".into(), "/** Local id of a meeting in the desk's store (a UUID string). */\nexport type MeetingId = string;".into());
    let mut out = String::from(HEADER);
    for text in sorted.values() {
        out.push('\n');
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_ts_is_up_to_date() {
        let generated = typescript();
        let path = std::path::Path::new(BINDINGS_PATH);
        if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).unwrap();
            }
            std::fs::write(path, &generated).unwrap();
            eprintln!("wrote {}", path.display());
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/bindings.ts is stale (or missing): run `UPDATE_BINDINGS=1 cargo test -p huiyi-desk bindings` and commit it"
        );
    }

    #[test]
    fn bindings_declare_every_ipc_type_and_no_secret_field_but_the_input_one() {
        let ts = typescript();
        for name in [
            "AccountView",
            "MeetingView",
            "Agenda",
            "UiError",
            "BookingForm",
            "SandboxStatus",
            "MeetingId",
        ] {
            assert!(
                ts.contains(&format!("export type {name} ")),
                "{name} missing"
            );
        }
        // The only `secret` is NewAccount's input field; nothing the desk returns has one.
        assert_eq!(ts.matches("secret:").count(), 1, "{ts}");
    }
}
