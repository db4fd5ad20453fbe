//! The desk against a real fake vendor: huiyi-sim over HTTP on 127.0.0.1, a real SQLite file
//! in a temp dir, secrets in a MemoryStore.

mod common;

use common::*;
use huiyi_core::{
    AccountAuth, AttendeeInput, ExposeSecret, FieldErrorCode, Lang, LinkRole, MeetingState,
    RegistrantInput, RegistrationState, SecretString, VendorKind,
};
use huiyi_desk::{Agenda, NewAccount, UiError};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};

fn field_codes(e: &UiError) -> Vec<(String, FieldErrorCode)> {
    e.fields
        .iter()
        .map(|f| (f.field.clone(), f.code.clone()))
        .collect()
}

fn ids(a: &Agenda) -> Vec<String> {
    a.meetings.iter().map(|m| m.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_book_agenda_details_edit_cancel() {
    let sim = start_sim().await;
    let c = creds(&sim);
    let dir = tempfile::tempdir().unwrap();
    let secrets = memory();
    let desk = open_desk(dir.path(), secrets.clone(), Lang::Zh);

    let account = add_account(&desk, &c).await;
    assert_eq!(account.vendor, VendorKind::Huawei);
    assert_eq!(account.vendor_name, "华为云会议");
    assert_eq!(account.label, "北京办公室");
    assert_eq!(account.base_url, c.base_url);
    assert!(!account.sandbox);
    assert!(account.principal.contains(&c.user_id));
    use huiyi_core::ExposeSecret;
    assert_eq!(
        secrets.get(&account.id).unwrap().expose_secret(),
        c.app_key,
        "App Key went to the secret store"
    );
    assert_eq!(desk.accounts().unwrap(), vec![account.clone()]);

    let booked = desk
        .book(&account.id, form("周例会", 3))
        .await
        .expect("booked");
    let s = &booked.summary;
    assert_eq!(s.subject, "周例会");
    assert_eq!(s.zone, "Asia/Shanghai");
    assert_eq!(s.state, MeetingState::Scheduled);
    assert_eq!((s.end - s.start).num_minutes(), 60);
    assert_eq!(
        s.start
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        shanghai_local(3, 9, 30)
    );
    assert!(!s.meeting_number.is_empty());
    let names: Vec<&str> = booked.attendees.iter().map(|a| a.name.as_str()).collect();
    assert!(
        names.contains(&"张三") && names.contains(&"李四"),
        "{names:?}"
    );
    assert!(
        booked
            .links
            .iter()
            .any(|l| l.role == LinkRole::Attendee && l.url.is_some()),
        "{:?}",
        booked.links
    );
    assert!(
        booked
            .links
            .iter()
            .all(|l| l.role != LinkRole::Host || l.url.is_none()),
        "host links carry no URL"
    );
    // The vendor sent notices as asked (email on, SMS off).
    let notices = sim.huawei().unwrap().notifications();
    assert!(
        !notices.is_empty(),
        "the sim recorded the invitation notices"
    );

    let agenda = desk.agenda().await.expect("agenda");
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert_eq!(ids(&agenda), vec![s.id.clone()]);
    assert!(agenda.refreshed_at.is_some());
    assert_eq!(agenda.meetings[0].account_label, "北京办公室");

    let details = desk.meeting(&s.id).await.expect("details");
    assert_eq!(details.summary.id, s.id);
    assert_eq!(details.summary.subject, "周例会");
    assert!(details.fetched_at >= booked.fetched_at);

    // Host link and host password come fresh and only as secrets.
    let host = desk
        .join_link(&s.id, LinkRole::Host)
        .await
        .expect("host link");
    assert!(host.public_url().is_none());
    assert!(host.url.expose_secret().starts_with("http"));
    let guest = desk
        .join_link(&s.id, LinkRole::Attendee)
        .await
        .expect("attendee link");
    assert!(guest.public_url().is_some());

    // Edit: prefilled form, change subject and time, keep attendees.
    let mut f = desk.edit_form(&s.id).expect("edit form");
    assert_eq!(f.subject, "周例会");
    assert_eq!(f.zone, "Asia/Shanghai");
    assert_eq!(f.start, shanghai_local(3, 9, 30));
    assert_eq!(f.end.as_deref(), Some(shanghai_local(3, 10, 30).as_str()));
    assert_eq!(f.attendees.len(), 2);
    assert!(
        f.attendees
            .iter()
            .any(|a| a.host && a.phone == "+8613800138000"),
        "{:?}",
        f.attendees
    );
    f.subject = "周例会（改）".into();
    f.start = shanghai_local(4, 14, 0);
    f.end = None;
    f.duration_minutes = Some(45);
    let edited = desk.edit(&s.id, f).await.expect("edited");
    assert_eq!(edited.summary.id, s.id, "the local id survives an edit");
    assert_eq!(edited.summary.subject, "周例会（改）");
    assert_eq!(
        (edited.summary.end - edited.summary.start).num_minutes(),
        45
    );
    let vendor_side = sim.huawei().unwrap().meetings();
    assert!(
        vendor_side
            .iter()
            .any(|m| format!("{m:?}").contains("周例会（改）")),
        "the vendor has the new subject"
    );
    let agenda = desk.agenda().await.unwrap();
    assert_eq!(agenda.meetings.len(), 1);
    assert_eq!(agenda.meetings[0].subject, "周例会（改）");

    desk.cancel(&s.id).await.expect("cancelled");
    assert!(desk.cached_agenda().unwrap().meetings.is_empty());
    assert!(
        desk.agenda().await.unwrap().meetings.is_empty(),
        "the vendor no longer lists it either"
    );
    let e = desk.meeting(&s.id).await.unwrap_err();
    assert_eq!(e.code, "not_found");

    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_names_the_fields_and_changes_nothing() {
    let sim = start_sim().await;
    let c = creds(&sim);
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    let account = add_account(&desk, &c).await;
    let kept = desk.book(&account.id, form("保留的会议", 2)).await.unwrap();
    let before = desk.cached_agenda().unwrap();
    let requests_before = sim.huawei().unwrap().request_count();

    let mut end_before_start = form("x", 3);
    end_before_start.end = Some(shanghai_local(3, 9, 0));
    let mut past = form("x", -2);
    past.end = None;
    past.duration_minutes = Some(30);
    let mut unknown_zone = form("x", 3);
    unknown_zone.zone = "Mars/Olympus".into();
    let mut empty_subject = form("   ", 3);
    empty_subject.subject = "   ".into();
    let mut unreachable = form("x", 3);
    unreachable.attendees = vec![AttendeeInput {
        name: "王五".into(),
        ..Default::default()
    }];

    let cases = [
        (end_before_start, "end", FieldErrorCode::EndNotAfterStart),
        (past, "start", FieldErrorCode::StartInPast),
        (unknown_zone, "zone", FieldErrorCode::UnknownZone),
        (empty_subject, "subject", FieldErrorCode::Required),
        (
            unreachable,
            "attendees.0",
            FieldErrorCode::AttendeeUnreachable,
        ),
    ];
    for (f, field, code) in cases {
        let e = desk.book(&account.id, f.clone()).await.unwrap_err();
        assert_eq!(e.code, "invalid_input", "{field}: {e:?}");
        assert!(
            field_codes(&e).contains(&(field.to_string(), code.clone())),
            "{field}: {e:?}"
        );
        let view = e.fields.iter().find(|v| v.field == field).unwrap();
        assert_eq!(
            view.message,
            code.message(Lang::Zh),
            "message in the desk's language"
        );
        assert!(
            e.message.contains(field),
            "the summary names the field: {}",
            e.message
        );

        let e = desk.edit(&kept.summary.id, f).await.unwrap_err();
        assert!(
            field_codes(&e).contains(&(field.to_string(), code)),
            "edit {field}: {e:?}"
        );
    }
    assert_eq!(
        desk.cached_agenda().unwrap(),
        before,
        "the store is unchanged"
    );
    assert_eq!(
        sim.huawei().unwrap().request_count(),
        requests_before,
        "invalid forms never reach the vendor"
    );
    assert_eq!(
        desk.meeting(&kept.summary.id)
            .await
            .unwrap()
            .summary
            .subject,
        "保留的会议"
    );

    // The same problem in English after switching language.
    desk.set_lang(Lang::En);
    let mut f = form("x", 3);
    f.end = Some(shanghai_local(3, 9, 0));
    let e = desk.book(&account.id, f).await.unwrap_err();
    assert_eq!(e.fields[0].message, "The end must be after the start.");

    // Account form problems are field errors too, and nothing is stored.
    let bad = NewAccount {
        label: " ".into(),
        base_url: Some("ftp://x".into()),
        auth: AccountAuth::HuaweiAppId {
            app_id: "".into(),
            user_id: None,
        },
        secret: SecretString::from(String::new()),
    };
    let e = desk.add_account(bad).await.unwrap_err();
    let fields: Vec<String> = e.fields.iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, vec!["label", "base_url", "auth.app_id", "secret"]);
    assert_eq!(desk.accounts().unwrap().len(), 1);

    // A Tencent account needs its enterprise ID, Secret ID and operator; the SDK ID may be empty.
    let bad = NewAccount {
        label: "Tencent".into(),
        base_url: None,
        auth: AccountAuth::TencentApp {
            app_id: " ".into(),
            sdk_id: Some("".into()),
            secret_id: "".into(),
            operator: "".into(),
        },
        secret: SecretString::from(String::new()),
    };
    let e = desk.add_account(bad).await.unwrap_err();
    let fields: Vec<String> = e.fields.iter().map(|f| f.field.clone()).collect();
    assert_eq!(
        fields,
        vec!["auth.app_id", "auth.secret_id", "auth.operator", "secret"]
    );
    assert_eq!(desk.accounts().unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vendor_errors_become_ui_errors_with_vendor_details() {
    let sim = start_sim().await;
    let c = creds(&sim);
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);

    // A wrong App Key is refused at add time, and nothing is stored.
    let mut wrong = new_account(&c, "wrong key");
    wrong.secret = SecretString::from(format!("{}x", c.app_key));
    let e = desk.add_account(wrong).await.unwrap_err();
    assert_eq!(e.code, "bad_credentials", "{e:?}");
    assert_eq!(e.vendor, Some(VendorKind::Huawei));
    assert!(
        e.vendor_code.is_some(),
        "the vendor's own code is kept for support: {e:?}"
    );
    assert!(!e.retryable);
    assert!(e.message.contains("Huawei Cloud Meeting"), "{}", e.message);
    assert!(desk.accounts().unwrap().is_empty());

    let account = add_account(&desk, &c).await;
    // The vendor is busy for the next create: a retryable "unavailable", cache untouched.
    sim.huawei().unwrap().set_fault(Fault {
        kind: FaultKind::ServerError,
        remaining: 1,
        path_prefix: None,
    });
    let e = desk.book(&account.id, form("busy", 3)).await.unwrap_err();
    assert_eq!(e.code, "unavailable", "{e:?}");
    assert!(e.retryable);
    assert_eq!(e.vendor, Some(VendorKind::Huawei));
    assert!(e.message.contains("try again"), "{}", e.message);
    assert!(
        desk.cached_agenda().unwrap().meetings.is_empty(),
        "a failed booking stores nothing"
    );
    // Once the fault is spent the same form books.
    desk.book(&account.id, form("busy", 3))
        .await
        .expect("books after the fault");

    // Unknown account and meeting ids.
    let e = desk
        .book(&huiyi_core::AccountId("nope".into()), form("x", 3))
        .await
        .unwrap_err();
    assert_eq!(e.code, "not_found");
    let e = desk.cancel(&"nope".to_string()).await.unwrap_err();
    assert_eq!(e.code, "not_found");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agenda_falls_back_to_the_cache_and_drops_meetings_gone_at_the_vendor() {
    let sim = start_sim().await;
    let c = creds(&sim);
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let account = add_account(&desk, &c).await;
    let a = desk.book(&account.id, form("A", 2)).await.unwrap();
    let b = desk.book(&account.id, form("B", 3)).await.unwrap();
    assert_eq!(
        ids(&desk.agenda().await.unwrap()),
        vec![a.summary.id.clone(), b.summary.id.clone()],
        "sorted by start"
    );

    // Another installation of the same account cancels B at the vendor.
    let other_dir = tempfile::tempdir().unwrap();
    let other = open_desk(other_dir.path(), memory(), Lang::En);
    add_account(&other, &c).await;
    let seen = other.agenda().await.unwrap();
    let b_there = seen
        .meetings
        .iter()
        .find(|m| m.subject == "B")
        .expect("the other desk sees B");
    other.cancel(&b_there.id).await.unwrap();
    assert_eq!(
        ids(&desk.agenda().await.unwrap()),
        vec![a.summary.id.clone()],
        "B left the cache on refresh"
    );

    // The vendor goes away: the agenda still shows the cached meeting and names the problem.
    sim.shutdown().await;
    let agenda = desk.agenda().await.expect("agenda still answers");
    assert_eq!(ids(&agenda), vec![a.summary.id.clone()]);
    assert_eq!(agenda.problems.len(), 1);
    let p = &agenda.problems[0];
    assert_eq!(p.account_id, account.id);
    assert_eq!(p.account_label, "北京办公室");
    assert!(p.error.retryable, "{:?}", p.error);
    assert!(
        ["network", "timeout", "unavailable"].contains(&p.error.code.as_str()),
        "{:?}",
        p.error
    );
    // Details fall back to the cache too.
    let details = desk.meeting(&a.summary.id).await.expect("cached details");
    assert_eq!(details.summary.subject, "A");
    // And nothing was lost from the cache by the failed refresh.
    assert_eq!(
        ids(&desk.cached_agenda().unwrap()),
        vec![a.summary.id.clone()]
    );
}

fn sandbox_of(accounts: &[huiyi_desk::AccountView], vendor: VendorKind) -> huiyi_desk::AccountView {
    let of: Vec<_> = accounts.iter().filter(|a| a.vendor == vendor).collect();
    assert_eq!(of.len(), 1, "one {vendor} sandbox account: {accounts:?}");
    assert!(of[0].sandbox);
    of[0].clone()
}

fn port_of(base_url: &str) -> u16 {
    base_url.rsplit(':').next().unwrap().parse().unwrap()
}

/// A booking form for Tencent: attendees are Tencent users (by userid) or guests by phone.
fn tencent_form(subject: &str, days: i64) -> huiyi_core::BookingForm {
    let mut f = form(subject, days);
    f.attendees = vec![AttendeeInput {
        name: "李四".into(),
        phone: "+8613800138000".into(),
        ..Default::default()
    }];
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_starts_persists_across_reopen_and_is_repointed() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    let status = desk.sandbox_status().await;
    assert!(!status.running && status.accounts.is_empty());

    let status = desk.start_sandbox().await.expect("sandbox starts");
    assert!(status.running);
    assert_eq!(status.accounts.len(), 5, "{:?}", status.accounts);
    let hw = sandbox_of(&status.accounts, VendorKind::Huawei);
    let tc = sandbox_of(&status.accounts, VendorKind::Tencent);
    assert_eq!(hw.label, "沙盒 · 华为云会议");
    assert_eq!(tc.label, "沙盒 · 腾讯会议");
    for a in [&hw, &tc] {
        assert!(
            a.base_url.starts_with("http://127.0.0.1:"),
            "{}",
            a.base_url
        );
    }
    assert_ne!(hw.base_url, tc.base_url, "one listener per vendor");
    assert!(
        dir.path().join("sandbox").is_dir(),
        "sandbox state lives in the data dir"
    );
    desk.set_lang(Lang::En);
    let accounts = desk.accounts().unwrap();
    assert_eq!(
        sandbox_of(&accounts, VendorKind::Huawei).label,
        "Sandbox · Huawei Cloud Meeting"
    );
    assert_eq!(
        sandbox_of(&accounts, VendorKind::Tencent).label,
        "Sandbox · Tencent Meeting"
    );

    // Starting again while running neither duplicates nor moves anything.
    let again = desk.start_sandbox().await.unwrap();
    assert_eq!(again.accounts, desk.sandbox_status().await.accounts);
    assert_eq!(again.accounts.len(), 5);

    let booked = desk
        .book(&hw.id, form("沙盒会议", 2))
        .await
        .expect("booked on the Huawei sandbox");
    assert!(booked.summary.sandbox);
    let booked_tc = desk
        .book(&tc.id, tencent_form("腾讯沙盒会议", 3))
        .await
        .expect("booked on the Tencent sandbox");
    assert!(booked_tc.summary.sandbox);
    assert_eq!(booked_tc.summary.vendor, VendorKind::Tencent);
    desk.stop_sandbox().await;
    assert!(!desk.sandbox_status().await.running);
    drop(desk);

    // Hold the old ports so the next sandbox must listen elsewhere: re-pointing is observable.
    let _hold_hw = std::net::TcpListener::bind(("127.0.0.1", port_of(&hw.base_url))).ok();
    let _hold_tc = std::net::TcpListener::bind(("127.0.0.1", port_of(&tc.base_url))).ok();

    // A new process: fresh desk, fresh (empty) secret store, same data dir.
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    let mut want = vec![booked.summary.id.clone(), booked_tc.summary.id.clone()];
    want.sort();
    let mut cached = ids(&desk.cached_agenda().unwrap());
    cached.sort();
    assert_eq!(cached, want, "the cache survived");
    assert!(!desk.sandbox_status().await.running);
    // Using the sandbox accounts starts the sandbox by itself.
    let agenda = desk.agenda().await.expect("agenda");
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    let mut got = ids(&agenda);
    got.sort();
    assert_eq!(got, want, "the sandbox kept both meetings");
    let status = desk.sandbox_status().await;
    assert!(status.running);
    assert_eq!(status.accounts.len(), 5, "no extra sandbox account");
    let hw2 = sandbox_of(&status.accounts, VendorKind::Huawei);
    let tc2 = sandbox_of(&status.accounts, VendorKind::Tencent);
    assert_eq!((&hw2.id, &tc2.id), (&hw.id, &tc.id));
    assert_ne!(
        hw2.base_url, hw.base_url,
        "Huawei re-pointed at its new port"
    );
    assert_ne!(
        tc2.base_url, tc.base_url,
        "Tencent re-pointed at its new port"
    );
    assert_ne!(
        hw2.base_url, tc2.base_url,
        "each at its own vendor's listener"
    );
    let details = desk.meeting(&booked.summary.id).await.unwrap();
    assert_eq!(details.summary.subject, "沙盒会议");
    let details = desk.meeting(&booked_tc.summary.id).await.unwrap();
    assert_eq!(details.summary.subject, "腾讯沙盒会议");
    assert_eq!(details.summary.vendor, VendorKind::Tencent);
    desk.stop_sandbox().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_dir_with_only_the_huawei_sandbox_gains_the_newer_ones() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let status = desk.start_sandbox().await.unwrap();
    let hw = sandbox_of(&status.accounts, VendorKind::Huawei);
    // What an older Huiyi left behind: the Huawei sandbox account and its fake's state only.
    desk.stop_sandbox().await;
    for a in status
        .accounts
        .iter()
        .filter(|a| a.vendor != VendorKind::Huawei)
    {
        desk.remove_account(&a.id).await.unwrap();
        std::fs::remove_file(
            dir.path()
                .join("sandbox")
                .join(format!("{}.json", a.vendor.as_str())),
        )
        .unwrap();
    }
    drop(desk);

    let desk = open_desk(dir.path(), memory(), Lang::En);
    assert_eq!(desk.sandbox_status().await.accounts, vec![hw.clone()]);
    let status = desk.start_sandbox().await.unwrap();
    assert_eq!(status.accounts.len(), 5, "{:?}", status.accounts);
    assert_eq!(sandbox_of(&status.accounts, VendorKind::Huawei).id, hw.id);
    let tc2 = sandbox_of(&status.accounts, VendorKind::Tencent);
    assert_eq!(tc2.label, "Sandbox · Tencent Meeting");
    let bc = sandbox_of(&status.accounts, VendorKind::Bizconf);
    assert_eq!(bc.label, "Sandbox · BizConf Video");
    desk.stop_sandbox().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tencent_sandbox_meeting_is_booked_shown_and_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let status = desk.start_sandbox().await.unwrap();
    let tc = sandbox_of(&status.accounts, VendorKind::Tencent);

    let caps = desk.capabilities(&tc.id).unwrap();
    assert!(
        !caps.notify_email && !caps.notify_sms && !caps.notify_calendar,
        "Tencent sends no notices itself: the form disables the switches"
    );

    let booked = desk
        .book(&tc.id, tencent_form("Tencent sandbox review", 2))
        .await
        .expect("booked");
    let s = &booked.summary;
    assert_eq!(s.vendor, VendorKind::Tencent);
    assert_eq!(s.account_id, tc.id);
    assert!(s.sandbox);
    assert_eq!(s.state, MeetingState::Scheduled);
    assert!(
        s.meeting_number.len() >= 9 && s.meeting_number.chars().all(|c| c.is_ascii_digit()),
        "the meeting code: {}",
        s.meeting_number
    );
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert_eq!(ids(&agenda), vec![s.id.clone()]);
    let details = desk.meeting(&s.id).await.unwrap();
    assert_eq!(details.summary.meeting_number, s.meeting_number);
    desk.cancel(&s.id).await.expect("cancelled");
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.meetings.is_empty(), "{:?}", ids(&agenda));
    desk.stop_sandbox().await;
}

/// Rooms from the sandbox's Tencent Meeting Rooms: listed, booked with a meeting that also
/// invites a colleague, refused (room occupied, in the UI language) for an overlapping
/// meeting, released, and kept across a details refresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tencent_room_is_booked_refused_when_taken_and_released() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    let status = desk.start_sandbox().await.unwrap();
    let tc = sandbox_of(&status.accounts, VendorKind::Tencent);
    let hw = sandbox_of(&status.accounts, VendorKind::Huawei);
    assert!(desk.capabilities(&tc.id).unwrap().rooms);
    assert!(!desk.capabilities(&hw.id).unwrap().rooms);
    let e = desk.vendor_rooms(&hw.id).await.unwrap_err();
    assert_eq!(e.code, "unsupported", "{e:?}");

    let rooms = desk.vendor_rooms(&tc.id).await.unwrap();
    assert_eq!(rooms.len(), 4, "the sandbox has four rooms: {rooms:?}");
    let room = rooms.iter().find(|r| r.name == "1号会议室").unwrap();
    assert_eq!(room.location.as_deref(), Some("A座3层"));
    assert_eq!(room.capacity, Some(8));
    assert!(room.bookable);
    assert!(
        rooms.iter().any(|r| !r.bookable),
        "a room closed for booking is shown as such"
    );

    let mut f = tencent_form("评审会", 2);
    f.attendees.push(AttendeeInput {
        name: "同事一".into(),
        account: "colleague-1".into(),
        ..Default::default()
    });
    let first = desk.book(&tc.id, f).await.expect("booked with an invitee");
    assert!(first.rooms.is_empty());
    let e = desk.book_rooms(&first.summary.id, &[]).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        vec![("rooms".into(), FieldErrorCode::Required)]
    );

    let with_room = desk
        .book_rooms(&first.summary.id, std::slice::from_ref(&room.vendor_id))
        .await
        .expect("room booked");
    assert_eq!(with_room.rooms.len(), 1);
    assert_eq!(with_room.rooms[0].name, "1号会议室");
    assert_eq!(
        (
            with_room.rooms[0].location.as_deref(),
            with_room.rooms[0].capacity
        ),
        (Some("A座3层"), Some(8)),
        "where the room is and its seats, though the booking answer leaves them out"
    );
    let refreshed = desk.meeting(&first.summary.id).await.unwrap();
    assert_eq!(refreshed.rooms, with_room.rooms, "kept across a refresh");
    assert!(
        refreshed
            .attendees
            .iter()
            .any(|a| a.account.as_deref() == Some("colleague-1") && a.name == "同事一"),
        "the invitee reads back, under the name given at booking: {:?}",
        refreshed.attendees
    );

    // The same time again: the room is taken.
    let second = desk
        .book(&tc.id, tencent_form("撞车的会", 2))
        .await
        .unwrap();
    let e = desk
        .book_rooms(&second.summary.id, std::slice::from_ref(&room.vendor_id))
        .await
        .unwrap_err();
    assert_eq!(e.code, "room_occupied", "{e:?}");
    assert_eq!(e.vendor_code.as_deref(), Some("20006"));
    assert!(e.message.contains("会议室"), "{}", e.message);
    assert!(desk
        .meeting(&second.summary.id)
        .await
        .unwrap()
        .rooms
        .is_empty());

    let released = desk
        .release_room(&first.summary.id, &room.vendor_id)
        .await
        .unwrap();
    assert!(released.rooms.is_empty());
    let moved = desk
        .book_rooms(&second.summary.id, std::slice::from_ref(&room.vendor_id))
        .await
        .expect("free after the release");
    assert_eq!(moved.rooms.len(), 1);

    desk.cancel(&second.summary.id).await.unwrap();
    desk.cancel(&first.summary.id).await.unwrap();
    desk.stop_sandbox().await;
}

/// BizConf through the sandbox: the form's check before submitting (free ports; an
/// overlapping meeting of the same account, which BizConf refuses), the booking with ports,
/// both attendee links (sfcloud:// and web) without the host start link, the refusal of an
/// overlapping meeting in words, and the cancellation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bizconf_sandbox_meeting_warns_of_overlaps_and_ports_before_booking() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let status = desk.start_sandbox().await.unwrap();
    let bc = sandbox_of(&status.accounts, VendorKind::Bizconf);
    let caps = desk.capabilities(&bc.id).unwrap();
    assert!(caps.one_meeting_at_a_time && caps.registration);
    assert!(caps.max_ports.is_some());

    let mut f = form("BizConf review", 2);
    f.attendees.clear();
    f.ports = Some(12);
    let before = desk.booking_check(&bc.id, &f, None).await.unwrap();
    assert!(before.overlapping.is_empty(), "{before:?}");
    let free = before
        .free_ports
        .expect("free ports are read before booking");
    assert!(free >= 12, "the sandbox site has room: {before:?}");

    let booked = desk.book(&bc.id, f.clone()).await.expect("booked");
    let s = &booked.summary;
    assert_eq!(s.vendor, VendorKind::Bizconf);
    let attendee_links: Vec<&str> = booked
        .links
        .iter()
        .filter(|l| l.role == LinkRole::Attendee)
        .filter_map(|l| l.url.as_deref())
        .collect();
    assert!(
        attendee_links.iter().any(|u| u.starts_with("sfcloud://")),
        "{attendee_links:?}"
    );
    assert!(
        attendee_links.iter().any(|u| u.starts_with("https://")),
        "{attendee_links:?}"
    );
    assert!(
        booked
            .links
            .iter()
            .filter(|l| l.role == LinkRole::Host)
            .all(|l| l.url.is_none()),
        "host start links stay in Rust"
    );

    // The same time again: warned before submitting, refused if submitted anyway.
    let mut g = form("Overlapping", 2);
    g.attendees.clear();
    let check = desk.booking_check(&bc.id, &g, None).await.unwrap();
    assert_eq!(
        check
            .overlapping
            .iter()
            .map(|m| m.id.clone())
            .collect::<Vec<_>>(),
        vec![s.id.clone()]
    );
    assert!(check.overlap_refused);
    let after = check.free_ports.unwrap();
    assert_eq!(
        after,
        free - 12,
        "the booked meeting's ports are taken then"
    );
    // Changing the booked meeting itself: it neither overlaps itself nor takes its own ports.
    let editing = desk.booking_check(&bc.id, &g, Some(&s.id)).await.unwrap();
    assert!(editing.overlapping.is_empty());
    assert_eq!(editing.free_ports, Some(free));
    let e = desk.book(&bc.id, g).await.unwrap_err();
    assert_eq!(e.code, "time_conflict", "{e:?}");
    assert_eq!(e.vendor_code.as_deref(), Some("202"));

    // Huawei reserves no ports: no port advice, and overlaps are allowed there.
    let hw = sandbox_of(&status.accounts, VendorKind::Huawei);
    let hcheck = desk
        .booking_check(&hw.id, &form("x", 2), None)
        .await
        .unwrap();
    assert_eq!(hcheck.free_ports, None);
    assert!(!hcheck.overlap_refused);

    desk.cancel(&s.id).await.expect("cancelled");
    assert!(desk.agenda().await.unwrap().meetings.is_empty());
    desk.stop_sandbox().await;
}

/// Registration on a BizConf sandbox meeting: a person is registered (bad input named by
/// field first), listed as approved, and their personal link is handed out only by Rust; a
/// meeting booked without registration says so in words; Huawei has no registration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrants_of_a_bizconf_meeting_are_added_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let status = desk.start_sandbox().await.unwrap();
    let bc = sandbox_of(&status.accounts, VendorKind::Bizconf);
    let mut f = form("Registered webinar", 3);
    f.attendees.clear();
    f.registration = true;
    let m = desk.book(&bc.id, f).await.unwrap().summary.id;
    assert!(desk.registrants(&m).await.unwrap().is_empty());

    let e = desk
        .add_registrant(
            &m,
            RegistrantInput {
                name: " ".into(),
                email: "x".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(&e),
        vec![
            ("name".into(), FieldErrorCode::Required),
            ("email".into(), FieldErrorCode::BadEmail)
        ]
    );
    let added = desk
        .add_registrant(
            &m,
            RegistrantInput {
                name: "王五".into(),
                email: "wangwu@example.com".into(),
            },
        )
        .await
        .unwrap();
    assert!(added.has_link);
    let listed = desk.registrants(&m).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].name, "王五");
    assert_eq!(listed[0].email.as_deref(), Some("wangwu@example.com"));
    assert_eq!(listed[0].state, RegistrationState::Approved);
    let link = desk.registrant_link(&m, &listed[0].id).await.unwrap();
    assert!(
        link.expose_secret().starts_with("https://"),
        "a personal web link"
    );

    let mut plain = form("No registration", 4);
    plain.attendees.clear();
    let p = desk.book(&bc.id, plain).await.unwrap().summary.id;
    let e = desk.registrants(&p).await.unwrap_err();
    assert_eq!(e.vendor_code.as_deref(), Some("712"), "{e:?}");

    let hw = sandbox_of(&status.accounts, VendorKind::Huawei);
    let h = desk
        .book(&hw.id, form("Huawei", 5))
        .await
        .unwrap()
        .summary
        .id;
    assert_eq!(desk.registrants(&h).await.unwrap_err().code, "unsupported");
    for id in [m, p, h] {
        desk.cancel(&id).await.unwrap();
    }
    desk.stop_sandbox().await;
}

/// A BizConf meeting in progress (by the fake's clock) is ended from Huiyi; it then reads as
/// ended and leaves the agenda. A meeting not started yet cannot be ended, in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bizconf_meeting_in_progress_is_ended() {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Bizconf],
        port: 0,
    })
    .await
    .unwrap();
    let fake = sim.bizconf().unwrap();
    let c = fake.credentials();
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let account = desk
        .add_account(NewAccount {
            label: "BizConf".into(),
            base_url: Some(sim.listeners()[0].base_url.clone()),
            auth: AccountAuth::BizconfApi {
                site_sign: c.site_sign,
                user_id: c.user_id,
                user_name: c.user_name,
            },
            secret: SecretString::from(c.api_key),
        })
        .await
        .unwrap();
    assert!(desk.capabilities(&account.id).unwrap().end_meeting);
    let mut f = form("Live review", 2);
    f.attendees.clear();
    let m = desk.book(&account.id, f).await.unwrap();
    let e = desk.end_meeting(&m.summary.id).await.unwrap_err();
    assert_eq!(e.vendor_code.as_deref(), Some("708"), "{e:?}");

    // Into the meeting, by the fake's clock.
    let ahead = (m.summary.start - fake.now()).num_seconds() + 600;
    fake.advance_clock(ahead);
    let live = desk.meeting(&m.summary.id).await.unwrap();
    assert_eq!(live.summary.state, MeetingState::InProgress);
    let ended = desk.end_meeting(&m.summary.id).await.expect("ended");
    assert_eq!(ended.summary.state, MeetingState::Ended);
    assert!(desk.agenda().await.unwrap().meetings.is_empty());
    sim.shutdown().await;
}

#[test]
fn a_language_chosen_in_the_window_is_remembered_but_set_lang_is_for_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    assert_eq!(
        desk.saved_lang(),
        None,
        "nothing chosen yet: the OS locale rules"
    );
    desk.set_lang(Lang::En);
    assert_eq!(
        desk.saved_lang(),
        None,
        "a session language (huiyictl --lang) is not remembered"
    );
    desk.save_lang(Lang::En).unwrap();
    assert_eq!(desk.settings().lang, Lang::En);
    drop(desk);
    let desk = open_desk(dir.path(), memory(), Lang::Zh);
    assert_eq!(desk.saved_lang(), Some(Lang::En));
}
