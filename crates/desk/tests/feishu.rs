//! A Feishu account through the desk, against the Feishu fake over real HTTP: booking onto a
//! reserve (which keeps only an end), the agenda that follows meetings by id because Feishu
//! lists no reserves, the "connect my Feishu user" flow through a loopback redirect and a
//! browser answering the authorization page, and ending a meeting with the user's token.

mod common;

use common::*;
use huiyi_core::{AttendeeInput, LinkKind, LinkRole, MeetingState, VendorKind};
use huiyi_desk::UserAuthorizationState;
use std::time::Duration;

/// A Feishu booking: no attendees but the organizer (a reserve carries only hosts by open_id).
fn feishu_form(subject: &str, days: i64) -> huiyi_core::BookingForm {
    let mut f = form(subject, days);
    f.attendees.clear();
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feishu_meeting_is_booked_followed_by_id_and_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    let (sim, account) = feishu_account(&desk).await;
    let fake = sim.feishu().unwrap();
    assert_eq!(account.vendor, VendorKind::Feishu);
    let caps = desk.capabilities(&account.id).unwrap();
    assert!(!caps.lists_meetings && !caps.keeps_start && !caps.native_series);

    let booked = desk
        .book(&account.id, feishu_form("Roadmap review", 3))
        .await
        .expect("booked");
    let start = booked.summary.start;
    assert_eq!(booked.summary.subject, "Roadmap review");
    assert_eq!(booked.summary.meeting_number.len(), 9, "{booked:?}");
    // What Feishu keeps is the end, as the reserve's expiry.
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == booked.summary.meeting_number)
        .expect("the fake holds the reserve");
    assert_eq!(reserve.end_time, booked.summary.end.timestamp());
    let web = booked
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Web && l.role == LinkRole::Attendee)
        .expect("a web link");
    assert!(web.url.as_deref().unwrap_or("").contains("/j/"), "{web:?}");
    assert!(
        booked
            .links
            .iter()
            .any(|l| l.kind == LinkKind::Protocol
                && l.url.as_deref().unwrap_or("").contains("applink")),
        "the Feishu app link is offered too: {:?}",
        booked.links
    );

    // The agenda reads the meeting by its id (no list exists) and keeps the planned start.
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert_eq!(agenda.meetings.len(), 1);
    assert_eq!(agenda.meetings[0].start, start, "the planned start stays");
    assert_eq!(agenda.meetings[0].end, booked.summary.end);
    let details = desk.meeting(&booked.summary.id).await.unwrap();
    assert_eq!(details.summary.start, start);
    assert_eq!(details.summary.zone, "Asia/Shanghai");

    // Moved: the reserve's expiry follows the new end.
    let mut f = desk.edit_form(&booked.summary.id).unwrap();
    f.subject = "Roadmap review (moved)".into();
    f.start = shanghai_local(4, 14, 0);
    f.end = Some(shanghai_local(4, 15, 30));
    let moved = desk.edit(&booked.summary.id, f).await.expect("moved");
    assert_eq!(moved.summary.subject, "Roadmap review (moved)");
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.id == reserve.id)
        .unwrap();
    assert_eq!(reserve.end_time, moved.summary.end.timestamp());
    assert_eq!(
        desk.agenda().await.unwrap().meetings[0].start,
        moved.summary.start
    );

    // The app link carries the person's join preferences, once saved.
    let app_link = |v: &huiyi_desk::MeetingView| {
        v.links
            .iter()
            .find(|l| l.kind == LinkKind::Protocol)
            .and_then(|l| l.url.clone())
            .expect("an app link")
    };
    assert!(app_link(&moved).contains("mic=0"), "{}", app_link(&moved));
    let settings = desk
        .save_join_preferences(huiyi_core::JoinPreferences {
            preview: false,
            mic: true,
            camera: true,
            speaker: true,
        })
        .unwrap();
    assert!(settings.join.mic && !settings.join.preview);
    let seen = desk.meeting(&booked.summary.id).await.unwrap();
    let link = app_link(&seen);
    assert!(
        link.contains("mic=1") && link.contains("camera=1") && link.contains("preview=0"),
        "{link}"
    );

    desk.cancel(&booked.summary.id).await.expect("cancelled");
    assert!(fake
        .reserves()
        .iter()
        .any(|r| r.id == reserve.id && r.deleted));
    assert!(desk.agenda().await.unwrap().meetings.is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reserve_deleted_elsewhere_leaves_the_agenda_and_a_failed_read_keeps_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    let (sim, account) = feishu_account(&desk).await;
    let fake = sim.feishu().unwrap();
    let kept = desk
        .book(&account.id, feishu_form("Stays", 2))
        .await
        .unwrap();
    let gone = desk
        .book(&account.id, feishu_form("Deleted in Feishu", 2))
        .await
        .unwrap();
    let gone_reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == gone.summary.meeting_number)
        .unwrap();
    // Deleted by someone else, straight at Feishu.
    let c = fake.credentials();
    let elsewhere = huiyi_vendors::feishu::FeishuClient::new(
        &sim.listeners()[0].base_url,
        huiyi_vendors::feishu::FeishuAuth::new(
            c.app_id,
            c.app_secret.into(),
            huiyi_core::FeishuRegion::Feishu,
            Some(c.user_id),
        ),
        &huiyi_vendors::Http::new(),
    );
    elsewhere.delete_reserve(&gone_reserve.id).await.unwrap();
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    let subjects: Vec<_> = agenda.meetings.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Stays"]);

    // Feishu down: the meeting stays (from the cache) and the account reports a problem.
    sim.shutdown().await;
    let agenda = desk.agenda().await.unwrap();
    assert_eq!(agenda.meetings.len(), 1);
    assert_eq!(agenda.meetings[0].id, kept.summary.id);
    assert_eq!(agenda.problems.len(), 1, "{:?}", agenda.problems);
    assert!(agenda.problems[0].error.retryable);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_the_user_through_the_browser_lets_a_live_meeting_be_ended() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    let (sim, account) = feishu_account(&desk).await;
    let fake = sim.feishu().unwrap();
    let auth = account.user_authorization.clone().expect("Feishu has one");
    assert_eq!(auth.state, UserAuthorizationState::NotConnected);

    let m = desk
        .book(&account.id, feishu_form("All hands", 1))
        .await
        .unwrap();
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == m.summary.meeting_number)
        .unwrap();
    fake.start_meeting(&reserve.id, &[])
        .expect("someone starts it");
    assert_eq!(
        desk.meeting(&m.summary.id).await.unwrap().summary.state,
        MeetingState::InProgress
    );
    // Ending needs the person's own token.
    let e = desk.end_meeting(&m.summary.id).await.unwrap_err();
    assert_eq!(e.code, "user_authorization_needed", "{e:?}");
    assert!(
        e.message.contains("Connect Feishu VC user"),
        "{}",
        e.message
    );

    // Connect: the desk opens the page, the "browser" approves, the loopback gets the code.
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    let browser = tokio::spawn(async move {
        let url = url_rx.await.expect("the desk opened a page");
        answer_in_browser(&url, "approve").await
    });
    let connected = desk
        .connect_feishu_user(&account.id, move |url| {
            let _ = url_tx.send(url.to_string());
        })
        .await
        .expect("connected");
    assert_eq!(
        browser.await.unwrap(),
        200,
        "the browser is told it can close"
    );
    let auth = connected.user_authorization.unwrap();
    assert_eq!(auth.state, UserAuthorizationState::Connected);
    assert!(auth.renewable_until.is_some());
    assert!(!auth.connecting);

    let ended = desk.end_meeting(&m.summary.id).await.expect("ended");
    assert_eq!(
        ended.summary.state,
        MeetingState::Scheduled,
        "the reserve stays usable"
    );
    assert!(fake.meetings().iter().all(|x| !x.live));

    // Disconnecting forgets the tokens.
    let after = desk.disconnect_feishu_user(&account.id).unwrap();
    assert_eq!(
        after.user_authorization.unwrap().state,
        UserAuthorizationState::NotConnected
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_or_cancelled_connection_says_so_and_connects_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::Zh);
    let (sim, account) = feishu_account(&desk).await;

    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    let browser = tokio::spawn(async move {
        let url = url_rx.await.unwrap();
        answer_in_browser(&url, "deny").await
    });
    let e = desk
        .connect_feishu_user(&account.id, move |url| {
            let _ = url_tx.send(url.to_string());
        })
        .await
        .unwrap_err();
    browser.await.unwrap();
    assert_eq!(e.code, "access_denied");
    assert!(e.message.contains("拒绝"), "{}", e.message);

    // Cancelled while waiting: the pending call ends, the page link is gone.
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    let waiting = {
        let desk = desk.clone();
        let id = account.id.clone();
        tokio::spawn(async move {
            desk.connect_feishu_user(&id, move |url| {
                let _ = url_tx.send(url.to_string());
            })
            .await
        })
    };
    let url = url_rx.await.unwrap();
    assert_eq!(
        desk.feishu_connect_link(&account.id).as_deref(),
        Some(url.as_str())
    );
    let view = desk.accounts().unwrap();
    assert!(view[0].user_authorization.as_ref().unwrap().connecting);
    assert!(desk.cancel_feishu_connect(&account.id));
    let e = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("the flow stops")
        .unwrap()
        .unwrap_err();
    assert_eq!(e.code, "cancelled");
    assert!(desk.feishu_connect_link(&account.id).is_none());
    let view = desk.accounts().unwrap();
    assert_eq!(
        view[0].user_authorization.as_ref().unwrap().state,
        UserAuthorizationState::NotConnected
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_has_a_feishu_account_that_books_without_a_user() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    let status = desk.start_sandbox().await.unwrap();
    let fs = status
        .accounts
        .iter()
        .find(|a| a.vendor == VendorKind::Feishu)
        .expect("a Feishu sandbox account")
        .clone();
    assert_eq!(fs.label, "Sandbox · Feishu VC");
    let auth = fs.user_authorization.clone().unwrap();
    assert_eq!(auth.redirect_uri, None, "the fake takes any loopback port");
    let m = desk
        .book(&fs.id, feishu_form("Sandbox sync", 2))
        .await
        .expect("booked with the app's token for the sandbox user");
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert!(agenda.meetings.iter().any(|x| x.id == m.summary.id));
    desk.cancel(&m.summary.id).await.unwrap();

    // Feishu's rooms are the catalogue's source (listed; a reserve cannot book one).
    let rooms = desk.vendor_rooms(&fs.id).await.expect("rooms listed");
    assert!(rooms.len() >= 2, "{rooms:?}");
    assert!(
        rooms.iter().all(|r| r.vendor_id.starts_with("omm_")),
        "{rooms:?}"
    );
    assert!(!desk.capabilities(&fs.id).unwrap().rooms);

    // A host who is not a Feishu user cannot be expressed: refused, not silently dropped.
    let mut f = feishu_form("With a guest", 2);
    f.attendees = vec![AttendeeInput {
        name: "Guest".into(),
        email: "guest@example.com".into(),
        ..Default::default()
    }];
    let e = desk.book(&fs.id, f).await.unwrap_err();
    assert_eq!(e.code, "invalid_input", "{e:?}");
    assert_eq!(e.fields.len(), 1, "{e:?}");
    assert_eq!(e.fields[0].field, "attendees.0");
    assert!(e.fields[0].message.contains("switch on Host"), "{e:?}");
    desk.stop_sandbox().await;
}
