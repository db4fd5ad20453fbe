//! Recurring series booked as single meetings, against every fake vendor over real HTTP with
//! a real SQLite file: a weekly series of 10 becomes 10 meetings at the fake; moving one and
//! cancelling another leaves every other meeting at the fake as it was; a create whose
//! connection drops after the vendor committed is reconciled by the vendor's list (no
//! duplicate), or, where the vendor has no list (Feishu), reported `unknown` and not repeated;
//! an interrupted run (occurrences left `sending`) is reconciled on resume.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::*;
use huiyi_core::{AccountAuth, Lang, SecretString};
use huiyi_desk::store::Store;
use huiyi_desk::{
    AccountView, Desk, NewAccount, OccurrenceState, SeriesForm, SeriesState, SeriesView,
};
use huiyi_sim::{Fault, FaultKind, Sim, SimConfig, SimVendor};

/// A live meeting at a fake: its id, subject and end (every vendor keeps an end; Feishu keeps
/// no start).
type Live = BTreeMap<String, (String, DateTime<Utc>)>;

struct Fake {
    sim: Sim,
    vendor: SimVendor,
}

impl Fake {
    fn live(&self) -> Live {
        let ts = |s: i64| Utc.timestamp_opt(s, 0).unwrap();
        match self.vendor {
            SimVendor::Huawei => self
                .sim
                .huawei()
                .unwrap()
                .meetings()
                .into_iter()
                .filter(|m| format!("{:?}", m.phase) != "Cancelled")
                .map(|m| (m.conference_id, (m.subject, m.end_time)))
                .collect(),
            SimVendor::Tencent => self
                .sim
                .tencent()
                .unwrap()
                .meetings()
                .into_iter()
                .filter(|m| !matches!(format!("{:?}", m.status).as_str(), "Cancelled" | "Recycled"))
                .map(|m| (m.meeting_id, (m.subject, m.end_time)))
                .collect(),
            SimVendor::Bizconf => self
                .sim
                .bizconf()
                .unwrap()
                .meetings()
                .into_iter()
                .filter(|m| format!("{:?}", m.status) != "Cancelled")
                .map(|m| {
                    let end = m.start_time + Duration::minutes(m.duration_minutes.into());
                    (m.conf_id.to_string(), (m.conf_name, end))
                })
                .collect(),
            SimVendor::Feishu => self
                .sim
                .feishu()
                .unwrap()
                .reserves()
                .into_iter()
                .filter(|r| !r.deleted)
                .map(|r| {
                    let topic = r.meeting_settings["topic"]
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    (r.id, (topic, ts(r.end_time)))
                })
                .collect(),
            SimVendor::Cloudroom => self
                .sim
                .cloudroom()
                .unwrap()
                .meetings()
                .into_iter()
                .map(|m| {
                    let end = ts(m.schedule_end_time.unwrap_or_default());
                    (m.conf_id.to_string(), (m.subject, end))
                })
                .collect(),
        }
    }

    fn arm(&self, fault: Fault) {
        match self.vendor {
            SimVendor::Huawei => self.sim.huawei().unwrap().set_fault(fault),
            SimVendor::Tencent => self.sim.tencent().unwrap().set_fault(fault),
            SimVendor::Bizconf => self.sim.bizconf().unwrap().set_fault(fault),
            SimVendor::Feishu => self.sim.feishu().unwrap().set_fault(fault),
            SimVendor::Cloudroom => self.sim.cloudroom().unwrap().set_fault(fault),
        }
    }

    /// The path a booking is sent to, for faults aimed at bookings only.
    fn create_path(&self) -> &'static str {
        match self.vendor {
            SimVendor::Huawei => "/v1/mmc/management/conferences",
            SimVendor::Tencent => "/v1/meetings",
            SimVendor::Bizconf => "/openapi/v2/confReservation",
            SimVendor::Feishu => "/open-apis/vc/v1/reserves/apply",
            SimVendor::Cloudroom => "/CLOUDROOM-SERVER/v2/conference",
        }
    }
}

/// A fake of `vendor` and an account on it, added as a real one would be.
async fn fake_account(desk: &Desk, vendor: SimVendor) -> (Fake, AccountView) {
    let (sim, account) = match vendor {
        SimVendor::Feishu => feishu_account(desk).await,
        SimVendor::Cloudroom => cloudroom_account(desk).await,
        _ => {
            let sim = Sim::start(SimConfig {
                state_dir: None,
                vendors: vec![vendor],
                port: 0,
            })
            .await
            .unwrap();
            let base_url = Some(sim.listeners()[0].base_url.clone());
            let (auth, secret) = match vendor {
                SimVendor::Huawei => {
                    let c = creds(&sim);
                    (
                        AccountAuth::HuaweiAppId {
                            app_id: c.app_id,
                            user_id: Some(c.user_id),
                        },
                        c.app_key,
                    )
                }
                SimVendor::Tencent => {
                    let c = sim.tencent().unwrap().credentials();
                    (
                        AccountAuth::TencentApp {
                            app_id: c.app_id.clone(),
                            sdk_id: Some(c.sdk_id.clone()).filter(|s| !s.is_empty()),
                            secret_id: c.secret_id.clone(),
                            operator: c.userid.clone(),
                        },
                        c.secret_key.clone(),
                    )
                }
                SimVendor::Bizconf => {
                    let c = sim.bizconf().unwrap().credentials();
                    (
                        AccountAuth::BizconfApi {
                            site_sign: c.site_sign,
                            user_id: c.user_id,
                            user_name: c.user_name,
                        },
                        c.api_key,
                    )
                }
                _ => unreachable!(),
            };
            let account = desk
                .add_account(NewAccount {
                    label: format!("{vendor:?}"),
                    base_url,
                    auth,
                    secret: SecretString::from(secret),
                })
                .await
                .expect("account added");
            (sim, account)
        }
    };
    (Fake { sim, vendor }, account)
}

/// Weekly, or daily for Feishu, whose reserves reach at most 30 days ahead (a weekly series of
/// 10 would leave its last occurrences pending until they come within reach).
fn series_form(vendor: SimVendor, subject: &str, count: u32) -> SeriesForm {
    let mut f = weekly(subject, count);
    if vendor == SimVendor::Feishu {
        f.rrule = format!("FREQ=DAILY;COUNT={count}");
    }
    f
}

fn weekly(subject: &str, count: u32) -> SeriesForm {
    SeriesForm {
        subject: subject.into(),
        start: shanghai_local(2, 9, 30),
        zone: "Asia/Shanghai".into(),
        duration_minutes: 60,
        rrule: format!("FREQ=WEEKLY;COUNT={count}"),
        ..Default::default()
    }
}

fn vendor_ids(desk: &Desk, view: &SeriesView) -> Vec<String> {
    let agenda = desk.cached_agenda().unwrap();
    view.occurrences
        .iter()
        .filter(|o| o.state == OccurrenceState::Booked)
        .map(|o| {
            let id = o
                .meeting_id
                .clone()
                .expect("a booked occurrence has its meeting");
            let m = agenda
                .meetings
                .iter()
                .find(|m| m.id == id)
                .expect("in the agenda");
            assert_eq!(m.series_id.as_deref(), Some(view.id.as_str()), "tagged");
            id
        })
        .collect()
}

async fn ten_then_move_one_and_cancel_another(vendor: SimVendor) {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let (fake, account) = fake_account(&desk, vendor).await;
    let view = desk
        .create_series(&account.id, series_form(vendor, "Weekly sync", 10))
        .await
        .unwrap_or_else(|e| panic!("{vendor:?}: {e:?}"));
    assert_eq!(view.state, SeriesState::Booked, "{vendor:?}: {view:#?}");
    assert_eq!((view.booked, view.total), (10, 10));
    assert!(!view.running);
    assert!(view.summary.starts_with("Every"), "{}", view.summary);
    let before = fake.live();
    assert_eq!(
        before.len(),
        10,
        "{vendor:?}: ten single meetings at the fake"
    );
    assert_eq!(vendor_ids(&desk, &view).len(), 10);
    let ends: BTreeSet<DateTime<Utc>> = before.values().map(|(_, e)| *e).collect();
    assert_eq!(ends.len(), 10, "one per occurrence, none twice");

    // Move the 3rd two hours later, cancel the 6th.
    let third = view.occurrences[2].clone();
    let sixth = view.occurrences[5].clone();
    let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let new_start = (third.start + Duration::hours(2))
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let moved = desk
        .move_occurrence(&view.id, &third.original_start, &new_start, None)
        .await
        .unwrap_or_else(|e| panic!("{vendor:?}: move {e:?}"));
    assert_eq!(moved.occurrences[2].start, third.start + Duration::hours(2));
    assert_eq!(moved.occurrences[2].state, OccurrenceState::Booked);
    let after_move = fake.live();
    assert_eq!(after_move.len(), 10, "{vendor:?}: a move creates nothing");
    let cancelled = desk
        .cancel_occurrence(&view.id, &sixth.original_start, false)
        .await
        .unwrap_or_else(|e| panic!("{vendor:?}: cancel {e:?}"));
    assert_eq!(cancelled.occurrences[5].state, OccurrenceState::Cancelled);
    assert_eq!((cancelled.booked, cancelled.total), (9, 9));
    assert_eq!(cancelled.state, SeriesState::Booked);

    let after = fake.live();
    assert_eq!(after.len(), 9, "{vendor:?}: one cancelled at the fake");
    let changed: Vec<_> = before
        .iter()
        .filter(|(id, v)| after.get(*id) != Some(v))
        .collect();
    assert_eq!(
        changed.len(),
        2,
        "{vendor:?}: only the moved and the cancelled meetings changed: {changed:?}"
    );
    let third_end = third.end + Duration::hours(2);
    assert!(
        after.values().any(|(_, e)| *e == third_end),
        "{vendor:?}: the moved one ends two hours later"
    );
    assert!(!after.values().any(|(_, e)| *e == sixth.end));
    assert_eq!(vendor_ids(&desk, &cancelled).len(), 9);
    fake.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bizconf_weekly_series_of_ten() {
    ten_then_move_one_and_cancel_another(SimVendor::Bizconf).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feishu_weekly_series_of_ten() {
    ten_then_move_one_and_cancel_another(SimVendor::Feishu).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huawei_weekly_series_of_ten_in_local_mode() {
    ten_then_move_one_and_cancel_another(SimVendor::Huawei).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_weekly_series_of_ten_in_local_mode() {
    ten_then_move_one_and_cancel_another(SimVendor::Tencent).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudroom_weekly_series_of_ten_in_local_mode() {
    ten_then_move_one_and_cancel_another(SimVendor::Cloudroom).await;
}

/// The 4th create is carried out but its answer never arrives: the vendor's list shows it,
/// so it is taken, not booked again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drop_after_commit_is_reconciled_by_the_list_without_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let (fake, account) = fake_account(&desk, SimVendor::Bizconf).await;
    let path = Some(fake.create_path().to_string());
    fake.arm(Fault {
        kind: FaultKind::Delay(0),
        remaining: 3,
        path_prefix: path.clone(),
    });
    fake.arm(Fault {
        kind: FaultKind::DropAfterCommit,
        remaining: 1,
        path_prefix: path,
    });
    let view = desk
        .create_series(&account.id, weekly("Board", 8))
        .await
        .unwrap();
    assert_eq!(view.state, SeriesState::Booked, "{view:#?}");
    assert_eq!((view.booked, view.total), (8, 8));
    assert_eq!(view.occurrences[3].attempts, 1, "found, not sent again");
    assert_eq!(fake.live().len(), 8, "exactly one meeting per occurrence");
    assert_eq!(fake.sim.bizconf().unwrap().booking_count(), 8);
    let ids: BTreeSet<String> = vendor_ids(&desk, &view).into_iter().collect();
    assert_eq!(ids.len(), 8);

    // The whole series cancelled: everything booked goes.
    let gone = desk.cancel_series(&view.id).await.unwrap();
    assert_eq!(gone.state, SeriesState::Cancelled);
    assert_eq!(gone.total, 0);
    assert!(fake.live().is_empty());
    assert!(desk.cached_agenda().unwrap().meetings.is_empty());
    fake.sim.shutdown().await;
}

/// Feishu has no list of reserves: a create whose answer is lost cannot be confirmed, so the
/// occurrence is `unknown` and reported, and never booked twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feishu_drop_after_commit_becomes_unknown_not_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let (fake, account) = fake_account(&desk, SimVendor::Feishu).await;
    let path = Some(fake.create_path().to_string());
    fake.arm(Fault {
        kind: FaultKind::Delay(0),
        remaining: 3,
        path_prefix: path.clone(),
    });
    fake.arm(Fault {
        kind: FaultKind::DropAfterCommit,
        remaining: 1,
        path_prefix: path,
    });
    let view = desk
        .create_series(&account.id, series_form(SimVendor::Feishu, "Standup", 6))
        .await
        .unwrap();
    assert_eq!(view.state, SeriesState::Partial, "{view:#?}");
    assert_eq!((view.booked, view.unknown, view.total), (5, 1, 6));
    let unknown = &view.occurrences[3];
    assert_eq!(unknown.state, OccurrenceState::Unknown);
    assert_eq!(unknown.attempts, 1);
    assert!(unknown
        .error
        .as_deref()
        .unwrap()
        .contains("check the vendor"));
    assert_eq!(
        fake.live().len(),
        6,
        "the dropped one exists once, nothing twice"
    );

    // Resuming does not book it blindly either.
    desk.resume_series().await.unwrap();
    assert_eq!(fake.live().len(), 6);
    assert_eq!(desk.series(&view.id).unwrap().unknown, 1);
    fake.sim.shutdown().await;
}

/// A run interrupted by a crash leaves `sending` occurrences: one the vendor has (its create
/// got through) is taken from the list, one it has not is sent; nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_is_reconciled_on_resume() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let (fake, account) = fake_account(&desk, SimVendor::Huawei).await;
    let planned = desk
        .plan_series(&account.id, weekly("Review", 4))
        .await
        .unwrap();
    assert_eq!(planned.state, SeriesState::Booking);
    assert_eq!((planned.booked, planned.total), (0, 4));
    assert!(fake.live().is_empty(), "planning sends nothing");

    // What a crash mid-call leaves: occurrence 0 was sent and committed at the vendor,
    // occurrence 1 was recorded as sending but never reached it.
    let first = &planned.occurrences[0];
    let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
    let mut f = form("Review", 2);
    f.attendees.clear();
    f.start = local(first.start);
    f.end = Some(local(first.end));
    let single = desk.book(&account.id, f).await.unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for mut o in store.occurrences(&planned.id).unwrap().into_iter().take(2) {
            o.state = OccurrenceState::Sending;
            o.attempts = 1;
            store.save_occurrence(&o).unwrap();
        }
    }
    assert_eq!(fake.live().len(), 1);

    let resumed = desk.resume_series().await.unwrap();
    assert_eq!(resumed.len(), 1);
    let view = &resumed[0];
    assert_eq!(view.state, SeriesState::Booked, "{view:#?}");
    assert_eq!((view.booked, view.total), (4, 4));
    assert_eq!(view.occurrences[0].attempts, 1, "taken from the list");
    assert_eq!(view.occurrences[1].attempts, 2, "not there: sent again");
    assert_eq!(
        view.occurrences[0].meeting_id.as_deref(),
        Some(single.summary.id.as_str())
    );
    assert_eq!(fake.live().len(), 4, "exactly one meeting per occurrence");
    fake.sim.shutdown().await;
}

/// A rule without an end cannot be booked meeting by meeting; a past start is refused before
/// anything is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_or_past_series_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let (fake, account) = fake_account(&desk, SimVendor::Bizconf).await;
    let mut f = weekly("Forever", 1);
    f.rrule = "FREQ=WEEKLY".into();
    let e = desk.create_series(&account.id, f).await.unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(e.fields[0].field, "rrule");
    let mut f = weekly("Past", 3);
    f.start = shanghai_local(-8, 9, 30);
    let e = desk.create_series(&account.id, f).await.unwrap_err();
    assert_eq!(e.fields[0].field, "start", "{e:?}");
    assert!(desk.series_list().unwrap().is_empty());
    assert!(fake.live().is_empty());
    fake.sim.shutdown().await;
}
