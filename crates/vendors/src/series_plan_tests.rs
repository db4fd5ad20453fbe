//! The capability report's translations, vendor by vendor, and the acceptance example
//! ("last Friday of every month, 24 times") across all five.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc, Weekday};
use huiyi_core::{
    BeyondCap, CapLimit, DiffHint, Lang, NativeKind, NotCarried, OccurrenceOverride, PeriodUnit,
    PlanMode, PlanReason, Series, SeriesRule, VendorKind,
};

use crate::cloudroom::mapping::{self as cr, Period, PeriodEnd};
use crate::tencent::mapping::{
    self as tc, month_date_mask, month_week_mask, weekday_mask, RecurringRule, Repeat, Until,
};
use crate::{huawei, Http, VendorClient};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn series(start: &str, zone: &str, rrule: &str) -> Series {
    Series {
        subject: "周会".into(),
        start: t(start),
        zone: zone.into(),
        duration_minutes: 60,
        rule: SeriesRule::parse(rrule).unwrap(),
        exdates: Vec::new(),
        overrides: Vec::new(),
    }
}

fn sh(start: &str, rrule: &str) -> Series {
    series(start, "Asia/Shanghai", rrule)
}

fn tencent(s: &Series) -> Result<RecurringRule, PlanReason> {
    tc::recurring_rule_from_series(s)
}

fn rule(repeat: Repeat, count: u32) -> RecurringRule {
    RecurringRule {
        repeat,
        until: Until::Count(count),
    }
}

/// 2026-01-30 is the last Friday of January 2026.
const LAST_FRIDAY: &str = "FREQ=MONTHLY;BYDAY=-1FR;COUNT=24";

// ---------------------------------------------------------------- Tencent

#[test]
fn tencent_fixed_types_are_chosen_for_the_plain_rules() {
    // 2026-03-02 is a Monday.
    let cases = [
        ("FREQ=DAILY;COUNT=10", Repeat::Daily),
        (
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=20",
            Repeat::Weekdays,
        ),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20", Repeat::Weekdays),
        ("FREQ=WEEKLY;COUNT=8", Repeat::Weekly),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=8", Repeat::Weekly),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=8", Repeat::Biweekly),
        ("FREQ=MONTHLY;COUNT=12", Repeat::Monthly),
        ("FREQ=MONTHLY;BYMONTHDAY=2;COUNT=12", Repeat::Monthly),
    ];
    for (text, repeat) in cases {
        let s = sh("2026-03-02T09:30", text);
        let count = s.expand(1000).unwrap().occurrences.len() as u32;
        assert_eq!(tencent(&s), Ok(rule(repeat, count)), "{text}");
    }
}

#[test]
fn tencent_custom_types_carry_the_bit_masks() {
    let s = sh("2026-03-02T09:30", "FREQ=DAILY;INTERVAL=3;COUNT=7");
    assert_eq!(tencent(&s), Ok(rule(Repeat::EveryDays { every: 3 }, 7)));
    // The note's "every 3 weeks, Monday and Tuesday": days 6.
    let s = sh(
        "2026-03-02T09:30",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TU;COUNT=10",
    );
    assert_eq!(
        tencent(&s),
        Ok(rule(Repeat::EveryWeeks { every: 3, days: 6 }, 10))
    );
    // Weekly on Monday and Thursday: custom every 1 week.
    let s = sh("2026-03-02T09:30", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10");
    assert_eq!(
        tencent(&s),
        Ok(rule(
            Repeat::EveryWeeks {
                every: 1,
                days: weekday_mask(&[Weekday::Mon, Weekday::Thu])
            },
            10
        ))
    );
    // The note's "every 3 months, 4th-week Monday": days 1026. 2026-03-23 is the 4th Monday.
    let s = sh(
        "2026-03-23T09:30",
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=4MO;COUNT=4",
    );
    assert_eq!(
        tencent(&s),
        Ok(rule(
            Repeat::MonthlyByWeek {
                every: 3,
                days: 1026
            },
            4
        ))
    );
    // Second Thursday of every month (2026-03-12).
    let s = sh("2026-03-12T09:30", "FREQ=MONTHLY;BYDAY=2TH;COUNT=12");
    assert_eq!(
        tencent(&s),
        Ok(rule(
            Repeat::MonthlyByWeek {
                every: 1,
                days: month_week_mask(Weekday::Thu, &[2])
            },
            12
        ))
    );
    // Every Friday of the month (all five weeks; a month without a 5th skips it, as RRULE).
    let s = sh("2026-03-06T09:30", "FREQ=MONTHLY;BYDAY=FR;COUNT=20");
    assert_eq!(
        tencent(&s),
        Ok(rule(
            Repeat::MonthlyByWeek {
                every: 1,
                days: month_week_mask(Weekday::Fri, &[1, 2, 3, 4, 5])
            },
            20
        ))
    );
    // The note's "every 3 months on the 1st and 26th": days 33554433.
    let s = sh(
        "2026-03-01T09:30",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1,26;COUNT=8",
    );
    assert_eq!(
        tencent(&s),
        Ok(rule(
            Repeat::MonthlyByDate {
                every: 3,
                days: 33554433
            },
            8
        ))
    );
    assert_eq!(month_date_mask(&[1, 26]), 33554433);
    // An end date becomes the count it gives.
    let s = sh("2026-03-02T09:30", "FREQ=WEEKLY;UNTIL=20260330T020000Z");
    assert_eq!(tencent(&s), Ok(rule(Repeat::Weekly, 5)));
}

#[test]
fn tencent_refuses_what_it_cannot_say_exactly_with_the_reason() {
    let reason = |start: &str, text: &str| tencent(&sh(start, text)).unwrap_err();
    assert_eq!(
        reason("2026-01-30T09:30", LAST_FRIDAY),
        PlanReason::OrdinalWeekday {
            by_day: "-1FR".into()
        }
    );
    assert_eq!(
        reason("2026-01-30T09:30", LAST_FRIDAY).message(VendorKind::Tencent, Lang::En),
        "Tencent Meeting cannot express 'the last Friday' (BYDAY=-1FR)"
    );
    assert_eq!(
        reason("2026-01-30T09:30", LAST_FRIDAY).message(VendorKind::Tencent, Lang::Zh),
        "腾讯会议 无法表示“最后一个星期五”（BYDAY=-1FR）"
    );
    assert_eq!(
        reason("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=60"),
        PlanReason::TooManyOccurrences { max: 50, got: 60 }
    );
    assert_eq!(reason("2026-03-02T09:30", "FREQ=WEEKLY"), PlanReason::NoEnd);
    assert_eq!(
        reason("2026-03-02T09:30", "FREQ=YEARLY;COUNT=3"),
        PlanReason::Yearly
    );
    assert_eq!(
        reason(
            "2026-03-02T09:30",
            "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;COUNT=3"
        ),
        PlanReason::SetPos
    );
    assert_eq!(
        reason("2026-03-02T09:30", "FREQ=DAILY;BYDAY=MO,WE;COUNT=6"),
        PlanReason::DailyFiltered
    );
    assert_eq!(
        reason("2026-03-02T09:30", "FREQ=MONTHLY;BYDAY=1MO,1TU;COUNT=6"),
        PlanReason::SeveralWeekdays {
            by_day: "1MO,1TU".into()
        }
    );
    assert_eq!(
        reason("2026-03-31T09:30", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6"),
        PlanReason::NegativeMonthDay { day: -1 }
    );
    // The 31st: the series skips April; what Tencent does is not documented.
    assert_eq!(
        reason("2026-03-31T09:30", "FREQ=MONTHLY;COUNT=6"),
        PlanReason::ShortMonthDay { day: 31 }
    );
    // Wednesday 4 March is not a Monday: Tencent would not hold the first meeting.
    assert_eq!(
        reason("2026-03-04T09:30", "FREQ=WEEKLY;BYDAY=MO;COUNT=6"),
        PlanReason::StartOffRule {
            start: "2026-03-04 09:30".into()
        }
    );
    // Every two weeks on Sunday and Monday: whether Sunday opens or closes Tencent's week
    // decides the second meeting, and the note does not say.
    let r = reason(
        "2026-03-01T09:30",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;COUNT=6",
    );
    assert!(
        matches!(
            r,
            PlanReason::Differs {
                hint: Some(DiffHint::WeekStart),
                ..
            }
        ),
        "{r:?}"
    );
    // A retitled occurrence: Tencent moves occurrences but cannot retitle one.
    let mut s = sh("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=6");
    let mut o = OccurrenceOverride::of(t("2026-03-09T09:30"));
    o.subject = Some("特别周会".into());
    s.overrides.push(o);
    assert_eq!(
        tencent(&s),
        Err(PlanReason::RetitledOccurrences { count: 1 })
    );
}

#[test]
fn tencent_native_plan_lists_exdates_and_moves_as_calls_after_the_create() {
    let mut s = sh("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=10");
    s.exdates.push(t("2026-03-16T09:30"));
    let mut o = OccurrenceOverride::of(t("2026-03-23T09:30"));
    o.start = Some(t("2026-03-24T10:00"));
    s.overrides.push(o);
    let plan = tc::series_plan(&s);
    assert_eq!(
        plan.mode,
        PlanMode::Native {
            kind: NativeKind::TencentRecurring
        }
    );
    assert_eq!(plan.occurrences, 9);
    assert_eq!(
        plan.not_carried,
        vec![
            NotCarried::CancelledAfterCreate { count: 1 },
            NotCarried::MovedAfterCreate { count: 1 }
        ]
    );
    assert!(plan.reasons.is_empty());
    // The native rule counts the excluded date too (it is cancelled after).
    assert_eq!(tencent(&s), Ok(rule(Repeat::Weekly, 10)));
}

#[test]
fn tencent_predicted_dates_follow_the_documented_examples() {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 4th-week Monday every 3 months from 2026-03-23.
    let got = tc::recurring_dates(
        Repeat::MonthlyByWeek {
            every: 3,
            days: 1026,
        },
        d("2026-03-23"),
        3,
        Weekday::Sun,
    )
    .unwrap();
    assert_eq!(got, [d("2026-03-23"), d("2026-06-22"), d("2026-09-28")]);
    // A 5th week skips months without one.
    let got = tc::recurring_dates(
        Repeat::MonthlyByWeek {
            every: 1,
            days: month_week_mask(Weekday::Fri, &[5]),
        },
        d("2026-01-30"),
        3,
        Weekday::Sun,
    )
    .unwrap();
    assert_eq!(got, [d("2026-01-30"), d("2026-05-29"), d("2026-07-31")]);
}

// ---------------------------------------------------------------- Huawei

#[test]
fn huawei_plans_a_cycle_conference_or_says_why_not() {
    let s = sh("2026-03-02T09:30", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10");
    let plan = huawei::cycle::series_plan(&s);
    assert_eq!(
        plan.mode,
        PlanMode::Native {
            kind: NativeKind::HuaweiCycle
        }
    );
    assert_eq!(plan.occurrences, 10);
    assert_eq!(
        plan.not_carried,
        vec![NotCarried::VendorReminders { days: 1 }]
    );

    let plan = huawei::cycle::series_plan(&sh("2026-01-30T09:30", LAST_FRIDAY));
    assert_eq!(plan.mode, PlanMode::Local);
    assert_eq!(plan.occurrences, 24);
    assert_eq!(
        plan.reasons,
        vec![PlanReason::OrdinalWeekday {
            by_day: "-1FR".into()
        }]
    );
    assert_eq!(
        plan.reason_messages(Lang::En),
        ["Huawei Cloud Meeting cannot express 'the last Friday' (BYDAY=-1FR)"]
    );

    let plan = huawei::cycle::series_plan(&sh("2026-03-02T09:30", "FREQ=DAILY;COUNT=60"));
    assert_eq!(
        plan.reasons,
        vec![PlanReason::TooManyOccurrences { max: 50, got: 60 }]
    );
    assert_eq!(plan.occurrences, 60);
    let plan =
        huawei::cycle::series_plan(&sh("2026-03-02T09:30", "FREQ=DAILY;INTERVAL=20;COUNT=5"));
    assert_eq!(
        plan.reasons,
        vec![PlanReason::Interval {
            unit: PeriodUnit::Day,
            max: 15,
            got: 20
        }]
    );
    assert_eq!(
        plan.reason_messages(Lang::Zh),
        ["华为云会议 最多每 15 天重复一次；此系列每 20 天"]
    );
    // The 31st: Huawei moves it to the month's end, the series skips the month.
    let plan = huawei::cycle::series_plan(&sh("2026-01-31T09:30", "FREQ=MONTHLY;COUNT=4"));
    assert!(
        matches!(
            plan.reasons.as_slice(),
            [PlanReason::Differs {
                hint: Some(DiffHint::ShortMonths),
                ..
            }]
        ),
        "{:?}",
        plan.reasons
    );
    // EXDATEs become cancellations after the create.
    let mut s = sh("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=10");
    s.exdates.push(t("2026-03-09T09:30"));
    let plan = huawei::cycle::series_plan(&s);
    assert!(plan.is_native());
    assert_eq!(plan.occurrences, 9);
    assert_eq!(
        plan.not_carried[0],
        NotCarried::CancelledAfterCreate { count: 1 }
    );
}

// ---------------------------------------------------------------- CloudRoom

#[test]
fn cloudroom_takes_its_five_patterns_only() {
    let ok = |start: &str, text: &str| cr::recurrence_from_series(&sh(start, text));
    assert_eq!(
        ok("2026-03-02T09:30", "FREQ=DAILY;COUNT=3").unwrap().period,
        Period::Daily
    );
    assert_eq!(
        ok(
            "2026-03-02T09:30",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10"
        )
        .unwrap()
        .period,
        Period::Workdays
    );
    assert_eq!(
        ok("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=3")
            .unwrap()
            .period,
        Period::Weekly
    );
    assert_eq!(
        ok("2026-03-02T09:30", "FREQ=WEEKLY;INTERVAL=2;COUNT=3")
            .unwrap()
            .period,
        Period::Fortnightly
    );
    let monthly = ok("2026-03-02T09:30", "FREQ=MONTHLY;COUNT=3").unwrap();
    assert_eq!(monthly.period, Period::Monthly);
    // Ends at the last meeting's end (2026-05-02 10:30 in Shanghai).
    assert_eq!(
        monthly.end,
        PeriodEnd::At(Utc.with_ymd_and_hms(2026, 5, 2, 2, 30, 0).unwrap())
    );
    assert_eq!(
        ok("2026-03-02T09:30", "FREQ=WEEKLY").unwrap().end,
        PeriodEnd::Never
    );

    let no = |start: &str, text: &str| ok(start, text).unwrap_err();
    assert_eq!(
        no("2026-01-30T09:30", LAST_FRIDAY),
        PlanReason::OrdinalWeekday {
            by_day: "-1FR".into()
        }
    );
    assert_eq!(
        no("2026-03-02T09:30", "FREQ=WEEKLY;INTERVAL=3;COUNT=3"),
        PlanReason::IntervalNotOffered {
            unit: PeriodUnit::Week,
            got: 3
        }
    );
    assert_eq!(
        no("2026-03-02T09:30", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3"),
        PlanReason::OtherWeekdays {
            by_day: "MO,TH".into()
        }
    );
    assert_eq!(
        no("2026-03-31T09:30", "FREQ=MONTHLY;COUNT=3"),
        PlanReason::ShortMonthDay { day: 31 }
    );
    assert_eq!(
        no("2026-03-02T09:30", "FREQ=MONTHLY;BYMONTHDAY=2,16;COUNT=3"),
        PlanReason::OtherMonthDays { days: vec![2, 16] }
    );
    assert_eq!(
        no(
            "2026-03-07T09:30",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=3"
        ),
        PlanReason::StartOffRule {
            start: "2026-03-07 09:30".into()
        }
    );
    // New York keeps 09:30 across its DST change; CloudRoom (UTC+8) keeps 22:30 Beijing.
    let r = cr::recurrence_from_series(&series(
        "2026-03-02T09:30",
        "America/New_York",
        "FREQ=WEEKLY;COUNT=4",
    ))
    .unwrap_err();
    assert_eq!(
        r,
        PlanReason::Differs {
            series: Some("2026-03-09 09:30".into()),
            vendor: Some("2026-03-09 10:30".into()),
            hint: Some(DiffHint::ZoneRules)
        }
    );
    // No per-occurrence operation: an EXDATE rules the periodic meeting out.
    let mut s = sh("2026-03-02T09:30", "FREQ=WEEKLY;COUNT=4");
    s.exdates.push(t("2026-03-09T09:30"));
    assert_eq!(
        cr::recurrence_from_series(&s),
        Err(PlanReason::NoOccurrenceOperations { count: 1 })
    );

    let plan = cr::series_plan(&sh(
        "2026-03-02T09:30",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10",
    ));
    assert!(plan.is_native());
    assert_eq!(plan.not_carried, vec![NotCarried::VendorWorkdays]);
    let plan = cr::series_plan(&sh("2026-03-02T09:30", "FREQ=DAILY"));
    assert!(plan.open_ended);
    assert_eq!(
        plan.headline(Lang::En),
        "native CloudRoom recurring series, without end"
    );
}

// ---------------------------------------------------------------- all five

fn clients(now: DateTime<Utc>) -> Vec<Arc<dyn VendorClient>> {
    use crate::{bizconf, cloudroom, feishu, tencent};
    use huiyi_core::SecretString;
    let http = Http::default();
    let base = "http://127.0.0.1:9";
    let secret = || SecretString::from("s");
    vec![
        Arc::new(huawei::HuaweiClient::new(
            base,
            huawei::HuaweiAuth::Password {
                account: "a".into(),
                password: secret(),
            },
            &http,
        )),
        Arc::new(tencent::TencentClient::new(
            base,
            tencent::TencentAuth {
                app_id: "1".into(),
                sdk_id: None,
                secret_id: "3".into(),
                secret_key: secret(),
                operator: "op".into(),
            },
            &http,
        )),
        Arc::new(bizconf::BizconfClient::new(
            base,
            bizconf::BizconfAuth {
                site_sign: "s".into(),
                user_id: "u".into(),
                user_name: "n".into(),
                api_key: secret(),
            },
            &http,
        )),
        Arc::new(
            feishu::FeishuClient::new(
                base,
                feishu::FeishuAuth::new(
                    "cli_1".into(),
                    secret(),
                    huiyi_core::FeishuRegion::Feishu,
                    None,
                ),
                &http,
            )
            .with_clock(Arc::new(move || now)),
        ),
        Arc::new(cloudroom::CloudroomClient::new(
            base,
            cloudroom::CloudroomAuth {
                secret_id: "1".into(),
                secret_key: secret(),
                user_id: None,
            },
            &http,
        )),
    ]
}

#[test]
fn last_friday_of_every_month_24_times_is_single_meetings_everywhere_and_says_why() {
    let s = sh("2026-01-30T09:30", LAST_FRIDAY);
    let now = Utc.with_ymd_and_hms(2026, 1, 20, 0, 0, 0).unwrap();
    let plans: Vec<_> = clients(now).iter().map(|c| c.series_plan(&s)).collect();
    let vendors: Vec<VendorKind> = plans.iter().map(|p| p.vendor).collect();
    assert_eq!(vendors, VendorKind::ALL);
    for p in &plans {
        assert_eq!(p.mode, PlanMode::Local, "{:?}", p.vendor);
    }
    let ordinal = PlanReason::OrdinalWeekday {
        by_day: "-1FR".into(),
    };
    assert_eq!(plans[0].reasons, std::slice::from_ref(&ordinal));
    assert_eq!(plans[1].reasons, std::slice::from_ref(&ordinal));
    assert_eq!(plans[2].reasons, [PlanReason::NoRecurrence]);
    assert_eq!(plans[3].reasons, [PlanReason::ReservesDoNotRepeat]);
    assert_eq!(plans[4].reasons, [ordinal]);
    for p in [&plans[0], &plans[1], &plans[2], &plans[4]] {
        assert_eq!(p.occurrences, 24);
        assert!(p.beyond_cap.is_empty());
    }
    // Feishu: only meetings ending by 2026-02-19 can be reserved on 2026-01-20.
    let f = &plans[3];
    assert_eq!(f.occurrences, 1);
    assert_eq!(
        f.beyond_cap,
        vec![BeyondCap {
            limit: CapLimit::BookingWindow { days: 30 },
            count: Some(23),
            first: Some(DateTime::parse_from_rfc3339("2026-02-27T09:30:00+08:00").unwrap()),
        }]
    );
    assert_eq!(
        f.beyond_cap_messages(Lang::En),
        ["Feishu VC books meetings that end within 30 days only: 23 meeting(s) from 2026-02-27 09:30 on cannot be booked now; book them later, once they are within 30 days"]
    );
    assert_eq!(
        plans[2].headline(Lang::Zh),
        "24 个单次会议（会易按系列管理）"
    );
}
