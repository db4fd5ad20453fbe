//! The capability report through the desk: every account's vendor, from the cached clients
//! (sandbox accounts against huiyi-sim), no booking made.

mod common;

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use common::{memory, open_desk};
use huiyi_core::{
    CapLimit, Lang, NativeKind, PlanMode, PlanReason, Series, SeriesRule, VendorKind,
};

/// The last Friday of a month at least two months ahead (so every vendor's clock takes it as
/// the future), 09:30 Shanghai.
fn last_friday_ahead() -> NaiveDate {
    let today = Utc::now().date_naive();
    let mut month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    month = month.checked_add_months(chrono::Months::new(2)).unwrap();
    let mut d = month.checked_add_months(chrono::Months::new(1)).unwrap() - Duration::days(1);
    while d.weekday() != Weekday::Fri {
        d -= Duration::days(1);
    }
    d
}

fn series(start: NaiveDate, rrule: &str) -> Series {
    Series {
        subject: "月度回顾".into(),
        start: start.and_hms_opt(9, 30, 0).unwrap(),
        zone: "Asia/Shanghai".into(),
        duration_minutes: 60,
        rule: SeriesRule::parse(rrule).unwrap(),
        exdates: Vec::new(),
        overrides: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_account_says_what_its_vendor_will_do_before_anything_is_booked() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(dir.path(), memory(), Lang::En);
    desk.start_sandbox().await.expect("sandbox starts");

    // Last Friday of every month, 24 times: single meetings everywhere, each vendor says why.
    let s = series(last_friday_ahead(), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=24");
    let plans = desk.series_plans(&s).unwrap();
    assert_eq!(plans.len(), 5);
    let of = |v: VendorKind| {
        plans
            .iter()
            .find(|(a, _)| a.vendor == v)
            .map(|(_, p)| p.clone())
            .unwrap()
    };
    let ordinal = PlanReason::OrdinalWeekday {
        by_day: "-1FR".into(),
    };
    for v in VendorKind::ALL {
        assert_eq!(of(v).mode, PlanMode::Local, "{v:?}");
        assert_eq!(of(v).vendor, v);
    }
    assert_eq!(
        of(VendorKind::Huawei).reasons,
        std::slice::from_ref(&ordinal)
    );
    assert_eq!(
        of(VendorKind::Tencent).reasons,
        std::slice::from_ref(&ordinal)
    );
    assert_eq!(of(VendorKind::Cloudroom).reasons, [ordinal]);
    assert_eq!(of(VendorKind::Bizconf).reasons, [PlanReason::NoRecurrence]);
    assert_eq!(of(VendorKind::Bizconf).occurrences, 24);
    let feishu = of(VendorKind::Feishu);
    assert_eq!(feishu.reasons, [PlanReason::ReservesDoNotRepeat]);
    // Two months ahead: nothing within Feishu's 30 days.
    assert_eq!(feishu.occurrences, 0);
    assert_eq!(feishu.beyond_cap.len(), 1);
    assert_eq!(
        feishu.beyond_cap[0].limit,
        CapLimit::BookingWindow { days: 30 }
    );
    assert_eq!(feishu.beyond_cap[0].count, Some(24));

    // Weekly on the first Friday's weekday, 10 times: native where the vendor has a series.
    let s = series(last_friday_ahead(), "FREQ=WEEKLY;COUNT=10");
    let report = desk.series_plan_report(&s, None).unwrap();
    let kind = |v: VendorKind| {
        report
            .iter()
            .find(|r| r.account.vendor == v)
            .map(|r| r.plan.mode)
            .unwrap()
    };
    assert_eq!(
        kind(VendorKind::Huawei),
        PlanMode::Native {
            kind: NativeKind::HuaweiCycle
        }
    );
    assert_eq!(
        kind(VendorKind::Tencent),
        PlanMode::Native {
            kind: NativeKind::TencentRecurring
        }
    );
    assert_eq!(
        kind(VendorKind::Cloudroom),
        PlanMode::Native {
            kind: NativeKind::CloudroomPeriodic
        }
    );
    assert_eq!(kind(VendorKind::Bizconf), PlanMode::Local);
    let tencent = report
        .iter()
        .find(|r| r.account.vendor == VendorKind::Tencent)
        .unwrap();
    assert_eq!(
        tencent.headline,
        "native Tencent Meeting recurring series of 10 meeting(s)"
    );

    // One account, in Chinese.
    desk.set_lang(Lang::Zh);
    let bizconf = report
        .iter()
        .find(|r| r.account.vendor == VendorKind::Bizconf)
        .unwrap()
        .account
        .id
        .clone();
    let one = desk.series_plan_report(&s, Some(&bizconf)).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].reasons, ["会畅 没有周期会议"]);
    assert_eq!(one[0].headline, "10 个单次会议（会易按系列管理）");

    // An invalid series is refused naming the field, before any vendor is asked.
    let mut bad = s.clone();
    bad.zone = "Mars/Base".into();
    let e = desk.series_plans(&bad).unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(e.fields[0].field, "zone");
}
