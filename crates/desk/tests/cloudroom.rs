//! A CloudRoom account through the desk, against the CloudRoom fake over real HTTP: booking
//! with invitees (by CloudRoom user id) and a password, the agenda, the join string minted
//! per person right before joining (a credential: fetched, never cached), deletion.

mod common;

use common::*;
use huiyi_core::{AttendeeInput, ExposeSecret, LinkKind, LinkRole, VendorKind};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloudroom_meeting_is_booked_joined_by_its_crmt_string_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    let (sim, account) = cloudroom_account(&desk).await;
    let fake = sim.cloudroom().unwrap();
    assert_eq!(account.vendor, VendorKind::Cloudroom);
    let caps = desk.capabilities(&account.id).unwrap();
    assert!(caps.app_link_on_demand);
    let digits = caps
        .password_digits
        .expect("passwords are chosen at booking");
    assert_eq!((digits.min, digits.max), (4, 6));

    let colleague = fake
        .users()
        .into_iter()
        .nth(1)
        .expect("the fake has a second user");
    let mut f = form("Design review", 3);
    f.attendees = vec![AttendeeInput {
        name: colleague.name.clone(),
        account: colleague.id.to_string(),
        ..Default::default()
    }];
    f.password = "12a4".into();
    let e = desk.book(&account.id, f.clone()).await.unwrap_err();
    assert_eq!(e.fields[0].field, "password", "{e:?}");
    assert!(e.fields[0].message.contains("4 to 6 digits"), "{e:?}");
    assert!(fake.meetings().is_empty(), "nothing was sent");

    f.password = "0482".into();
    let booked = desk.book(&account.id, f).await.expect("booked");
    let snap = fake
        .meetings()
        .into_iter()
        .find(|m| m.conf_id.to_string() == booked.summary.meeting_number)
        .expect("the fake holds the meeting");
    assert_eq!(snap.password, "0482", "the leading zero survives");
    assert_eq!(snap.invitee_ids, vec![colleague.id]);
    assert_eq!(snap.schedule_time, Some(booked.summary.start.timestamp()));
    assert_eq!(booked.guest_password.as_deref(), Some("0482"));
    assert!(
        booked.links.iter().all(|l| l.kind != LinkKind::Protocol),
        "no join string is cached: {:?}",
        booked.links
    );
    let agenda = desk.agenda().await.unwrap();
    assert!(agenda.problems.is_empty(), "{:?}", agenda.problems);
    assert_eq!(agenda.meetings.len(), 1);
    assert_eq!(agenda.meetings[0].start, booked.summary.start);
    assert_eq!(desk.edit_form(&booked.summary.id).unwrap().password, "0482");

    // Join in the app: a CRMT string minted now, verbatim, a secret.
    let crmt = desk
        .join_link_of(
            &booked.summary.id,
            LinkRole::Attendee,
            Some(LinkKind::Protocol),
        )
        .await
        .expect("a join string");
    assert!(crmt.secret);
    assert_eq!(crmt.public_url(), None);
    let issued = fake.issued_crmts();
    assert_eq!(issued.len(), 1);
    assert_eq!(crmt.url.expose_secret(), &issued[0], "passed on verbatim");
    assert!(crmt.url.expose_secret().starts_with("CRMT:"));
    // The web link stays the default.
    let web = desk
        .join_link(&booked.summary.id, LinkRole::Attendee)
        .await
        .unwrap();
    assert_eq!(web.kind, LinkKind::Web);

    desk.cancel(&booked.summary.id).await.expect("deleted");
    assert!(fake.meetings().is_empty(), "deleted at CloudRoom");
    assert!(desk.agenda().await.unwrap().meetings.is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_has_a_cloudroom_account() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::Zh);
    let status = desk.start_sandbox().await.unwrap();
    let cr = status
        .accounts
        .iter()
        .find(|a| a.vendor == VendorKind::Cloudroom)
        .expect("a CloudRoom sandbox account")
        .clone();
    assert!(
        cr.base_url.ends_with("/CLOUDROOM-SERVER"),
        "{}",
        cr.base_url
    );
    let mut f = form("沙盒云屋会议", 2);
    f.attendees.clear();
    let m = desk.book(&cr.id, f).await.expect("booked in the sandbox");
    let link = desk
        .join_link_of(&m.summary.id, LinkRole::Attendee, Some(LinkKind::Protocol))
        .await
        .expect("a join string");
    assert!(link.url.expose_secret().starts_with("CRMT:"));
    desk.cancel(&m.summary.id).await.expect("deleted");
    desk.stop_sandbox().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloudroom_user_id_that_is_not_a_number_is_named_at_its_field() {
    use huiyi_core::{AccountAuth, FieldErrorCode, SecretString};
    use huiyi_desk::NewAccount;
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), huiyi_core::Lang::En);
    for bad in ["zhangsan", "10001 4", "0"] {
        let e = desk
            .add_account(NewAccount {
                label: "CloudRoom".into(),
                base_url: None,
                auth: AccountAuth::CloudroomApi {
                    secret_id: "6mioUaDlFdf3Bagt3s".into(),
                    user_id: Some(bad.into()),
                },
                secret: SecretString::from("t02npiEZn82WqRl26Nfb0stD89bZkwTT".to_string()),
            })
            .await
            .expect_err(bad);
        assert_eq!(e.code, "invalid_input", "{bad}: {e:?}");
        assert_eq!(e.fields.len(), 1, "{bad}: {e:?}");
        assert_eq!(e.fields[0].field, "auth.user_id");
        assert_eq!(e.fields[0].code, FieldErrorCode::NotANumber);
    }
    assert!(desk.accounts().unwrap().is_empty());
}
