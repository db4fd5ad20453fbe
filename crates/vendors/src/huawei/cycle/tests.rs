use chrono::{NaiveDate, TimeZone, Utc};
use huiyi_core::{Series, SeriesRule};
use serde_json::json;

use super::*;
use crate::huawei::wire::OneOrMany;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn tz(s: &str) -> Tz {
    s.parse().unwrap()
}

fn rule(cycle: Cycle, interval: u32, points: &[u8], start: NaiveDate, end: NaiveDate) -> CycleRule {
    CycleRule {
        cycle,
        interval,
        points: points.to_vec(),
        start_date: start,
        end_date: end,
        pre_remind_days: 1,
    }
}

// ---------------------------------------------------------------- limits

#[test]
fn intervals_follow_the_documented_ranges() {
    for (cycle, max, points) in [
        (Cycle::Day, 15, &[][..]),
        (Cycle::Week, 5, &[1][..]),
        (Cycle::Month, 3, &[1][..]),
    ] {
        let ok = |i| rule(cycle, i, points, d(2026, 3, 1), d(2026, 3, 1)).check();
        assert_eq!(ok(1), Ok(()));
        assert_eq!(ok(max), Ok(()));
        assert_eq!(ok(0), Err(BadCycle::Interval { cycle, got: 0 }));
        assert_eq!(
            ok(max + 1),
            Err(BadCycle::Interval {
                cycle,
                got: max + 1
            })
        );
    }
    let e = rule(Cycle::Day, 16, &[], d(2026, 3, 1), d(2026, 3, 1))
        .check()
        .unwrap_err();
    assert!(e.to_string().contains("1 to 15 days"), "{e}");
}

#[test]
fn points_follow_the_documented_ranges() {
    let r = |c, p: &[u8]| rule(c, 1, p, d(2026, 3, 1), d(2026, 4, 1)).check();
    assert_eq!(r(Cycle::Week, &[0, 6]), Ok(()));
    assert_eq!(
        r(Cycle::Week, &[7]),
        Err(BadCycle::PointOutOfRange {
            cycle: Cycle::Week,
            point: 7
        })
    );
    assert_eq!(r(Cycle::Month, &[1, 31]), Ok(()));
    assert_eq!(
        r(Cycle::Month, &[0]),
        Err(BadCycle::PointOutOfRange {
            cycle: Cycle::Month,
            point: 0
        })
    );
    assert_eq!(
        r(Cycle::Month, &[32]),
        Err(BadCycle::PointOutOfRange {
            cycle: Cycle::Month,
            point: 32
        })
    );
    assert_eq!(r(Cycle::Week, &[]), Err(BadCycle::NoPoints));
    assert_eq!(r(Cycle::Month, &[]), Err(BadCycle::NoPoints));
    assert_eq!(r(Cycle::Day, &[1]), Err(BadCycle::PointsWithDay));
}

#[test]
fn dates_span_at_most_a_year_and_reminders_thirty_days() {
    let r = |end| rule(Cycle::Week, 5, &[1], d(2026, 3, 1), end).check();
    assert_eq!(r(d(2027, 3, 1)), Ok(()));
    assert_eq!(
        r(d(2027, 3, 2)),
        Err(BadCycle::LongerThanAYear {
            start: d(2026, 3, 1),
            end: d(2027, 3, 2),
            latest: d(2027, 3, 1)
        })
    );
    assert_eq!(
        r(d(2026, 2, 28)),
        Err(BadCycle::EndBeforeStart {
            start: d(2026, 3, 1),
            end: d(2026, 2, 28)
        })
    );
    // A leap day start: a year on is 28 February.
    let leap = rule(Cycle::Day, 15, &[], d(2028, 2, 29), d(2029, 2, 28));
    assert_eq!(leap.latest_end(), d(2029, 2, 28));
    assert_eq!(leap.check(), Ok(()));
    let mut r = rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 3, 2));
    r.pre_remind_days = 30;
    assert_eq!(r.check(), Ok(()));
    r.pre_remind_days = 31;
    assert_eq!(r.check(), Err(BadCycle::PreRemindDays(31)));
}

// ---------------------------------------------------------------- expansion

#[test]
fn daily_dates_step_by_the_interval() {
    let r = rule(Cycle::Day, 3, &[], d(2026, 3, 1), d(2026, 3, 10));
    assert_eq!(
        r.dates(),
        [d(2026, 3, 1), d(2026, 3, 4), d(2026, 3, 7), d(2026, 3, 10)]
    );
}

#[test]
fn weekly_dates_are_the_points_of_every_nth_sunday_week_from_the_start() {
    // 2026-03-01 is a Sunday; every Monday and Wednesday (L1957: [1,3]).
    let r = rule(Cycle::Week, 1, &[3, 1], d(2026, 3, 1), d(2026, 3, 14));
    assert_eq!(
        r.dates(),
        [d(2026, 3, 2), d(2026, 3, 4), d(2026, 3, 9), d(2026, 3, 11)]
    );
    // Every other week on Sunday and Monday from Wednesday 2026-01-07: that week's Sunday
    // and Monday are before the start, so the next active week (from Sunday 01-18) is first.
    let r = rule(Cycle::Week, 2, &[0, 1], d(2026, 1, 7), d(2026, 2, 2));
    assert_eq!(
        r.dates(),
        [d(2026, 1, 18), d(2026, 1, 19), d(2026, 2, 1), d(2026, 2, 2)]
    );
}

#[test]
fn monthly_days_a_month_lacks_become_its_last_day_once() {
    let r = rule(Cycle::Month, 1, &[31], d(2026, 1, 1), d(2026, 4, 30));
    assert_eq!(
        r.dates(),
        [
            d(2026, 1, 31),
            d(2026, 2, 28),
            d(2026, 3, 31),
            d(2026, 4, 30)
        ]
    );
    // 30 and 31 land on the same day in February (and 29 too): one sub-meeting.
    let r = rule(
        Cycle::Month,
        1,
        &[29, 30, 31],
        d(2026, 2, 1),
        d(2026, 2, 28),
    );
    assert_eq!(r.dates(), [d(2026, 2, 28)]);
    // Every three months on the 12th and 20th (L1957), days before the start left out.
    let r = rule(Cycle::Month, 3, &[20, 12], d(2026, 1, 15), d(2026, 7, 31));
    assert_eq!(
        r.dates(),
        [
            d(2026, 1, 20),
            d(2026, 4, 12),
            d(2026, 4, 20),
            d(2026, 7, 12),
            d(2026, 7, 20)
        ]
    );
}

#[test]
fn occurrences_take_the_local_time_of_day_on_local_dates() {
    // 07:00 in Beijing is 23:00 UTC the day before: startDate is the Beijing date (L1952).
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 23, 0, 0).unwrap();
    let r = rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 4));
    let p = cycle_occurrences(&r, start, tz("Asia/Shanghai"), 45);
    assert!(!p.truncated);
    assert_eq!(p.predicted, 3);
    assert_eq!(p.end_date, d(2026, 3, 4));
    assert_eq!(
        p.occurrences,
        [
            PlannedOccurrence {
                date: d(2026, 3, 2),
                start: Utc.with_ymd_and_hms(2026, 3, 1, 23, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 3, 1, 23, 45, 0).unwrap(),
            },
            PlannedOccurrence {
                date: d(2026, 3, 3),
                start: Utc.with_ymd_and_hms(2026, 3, 2, 23, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 3, 2, 23, 45, 0).unwrap(),
            },
            PlannedOccurrence {
                date: d(2026, 3, 4),
                start: Utc.with_ymd_and_hms(2026, 3, 3, 23, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 3, 3, 23, 45, 0).unwrap(),
            },
        ]
    );
    // West of UTC the other way round: 20:00 in New York is 01:00 UTC the next day.
    let start = Utc.with_ymd_and_hms(2026, 1, 6, 1, 0, 0).unwrap();
    let r = rule(Cycle::Week, 1, &[1], d(2026, 1, 5), d(2026, 1, 12));
    let p = cycle_occurrences(&r, start, tz("America/New_York"), 30);
    let starts: Vec<_> = p.occurrences.iter().map(|o| o.start).collect();
    assert_eq!(
        starts,
        [
            Utc.with_ymd_and_hms(2026, 1, 6, 1, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 13, 1, 0, 0).unwrap()
        ]
    );
}

#[test]
fn the_wall_clock_time_is_kept_across_daylight_saving_changes() {
    // 09:00 New York on Mondays across 2026-03-08 (EST -> EDT).
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
    let r = rule(Cycle::Week, 1, &[1], d(2026, 3, 2), d(2026, 3, 9));
    let p = cycle_occurrences(&r, start, tz("America/New_York"), 60);
    assert_eq!(
        p.occurrences[1].start,
        Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap()
    );
}

#[test]
fn more_than_fifty_is_reported_with_the_end_huawei_would_move_to() {
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap();
    let r = rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 6, 30));
    let p = cycle_occurrences(&r, start, tz("Asia/Shanghai"), 30);
    assert!(p.truncated);
    assert_eq!(p.predicted, 122);
    assert_eq!(p.occurrences.len(), 50);
    // The 50th: 1 March + 49 days.
    assert_eq!(p.end_date, d(2026, 4, 19));
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    let e = plan(&r, start, tz("Asia/Shanghai"), 30, now).unwrap_err();
    assert_eq!(
        e,
        BadCycle::TooManyOccurrences {
            predicted: 122,
            fiftieth: d(2026, 4, 19),
            end_date: d(2026, 6, 30)
        }
    );
    assert!(e.to_string().contains("2026-04-19"), "{e}");
    // Exactly 50 is fine.
    let r = rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 4, 19));
    assert_eq!(
        plan(&r, start, tz("Asia/Shanghai"), 30, now)
            .unwrap()
            .occurrences
            .len(),
        50
    );
}

#[test]
fn the_first_meeting_must_fall_on_the_start_date_in_the_meeting_zone() {
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    let sh = tz("Asia/Shanghai");
    // 2026-03-01 23:30 UTC is 2 March 07:30 in Beijing: the UTC date would be wrong.
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 23, 30, 0).unwrap();
    let by_utc_date = rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 3, 5));
    assert_eq!(
        plan(&by_utc_date, start, sh, 30, now),
        Err(BadCycle::StartNotOnStartDate {
            first: d(2026, 3, 2),
            start_date: d(2026, 3, 1)
        })
    );
    let by_local_date = rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 5));
    assert_eq!(
        plan(&by_local_date, start, sh, 30, now).unwrap().predicted,
        4
    );
    // Not before today, today taken in the zone: at 2026-03-01 17:00 UTC it is already
    // 2 March in Beijing.
    let late = Utc.with_ymd_and_hms(2026, 3, 1, 17, 0, 0).unwrap();
    let s = Utc.with_ymd_and_hms(2026, 2, 28, 23, 30, 0).unwrap();
    let r = rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 3, 5));
    assert_eq!(
        plan(&r, s, sh, 30, late),
        Err(BadCycle::StartDateInPast {
            start_date: d(2026, 3, 1),
            today: d(2026, 3, 2)
        })
    );
    assert_eq!(
        plan(&by_local_date, start, sh, 14, now),
        Err(BadCycle::Length(14))
    );
    assert_eq!(
        plan(&by_local_date, start, sh, 1441, now),
        Err(BadCycle::Length(1441))
    );
    // A rule with no date in its window.
    let r = rule(Cycle::Week, 1, &[0], d(2026, 3, 2), d(2026, 3, 7));
    let s = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    assert!(matches!(
        plan(&r, s, sh, 30, now),
        Err(BadCycle::NoOccurrence { .. })
    ));
}

// ---------------------------------------------------------------- wire

#[test]
fn the_rule_is_sent_with_the_documented_names() {
    let v = serde_json::to_value(
        rule(Cycle::Week, 2, &[3, 1, 3], d(2026, 3, 1), d(2026, 5, 1)).to_wire(),
    )
    .unwrap();
    assert_eq!(
        v,
        json!({"startDate": "2026-03-01", "endDate": "2026-05-01", "cycle": "Week", "interval": 2,
               "point": [1, 3], "preRemindDays": 1})
    );
    let v = serde_json::to_value(rule(Cycle::Day, 1, &[], d(2026, 3, 1), d(2026, 3, 2)).to_wire())
        .unwrap();
    assert_eq!(v["cycle"], "Day");
    assert!(v.get("point").is_none(), "Day takes no point: {v}");
    let v =
        serde_json::to_value(rule(Cycle::Month, 1, &[31], d(2026, 3, 1), d(2026, 5, 1)).to_wire())
            .unwrap();
    assert_eq!(v["cycle"], "Month");
    assert_eq!(v["point"], json!([31]));
}

/// The create-series answer of the document (L2676-2799), trimmed as note §3.5 shows it.
fn documented_answer() -> ConferenceInfo {
    let body = json!([{"conferenceID":"986256843","mediaTypes":"HDVideo,Data,Voice","subject":"例行周期会议","size":0,"timeZoneID":"56",
      "startTime":"2021-09-01 08:39","endTime":"2021-09-01 09:09","conferenceState":"Schedule","accessNumber":"+86571150",
      "conferenceType":2,"confType":"CYCLE",
      "cycleParams":{"startDate":"2021-09-01","cycle":"Day","endDate":"2021-09-02","cycleCount":0,"interval":1,"preRemindDays":1},
      "chairJoinUri":"https://100.95.188.184:443/#/j/986256843/fa4def33",
      "guestJoinUri":"https://100.95.188.184:443/#/j/986256843/53f55ec4",
      "cycleSubConfID":"fe24d1350a3611ecbe71a328ac3ca004",
      "subConfs":[
       {"cycleSubConfID":"fe24d1360a3611ecbe71fdd2c36bc8c2","conferenceID":"986256843","startTime":"2021-09-02 08:39",
        "endTime":"2021-09-02 09:09","mediaType":"HDVideo,Data,Voice","isAutoRecord":0,"recordAuthType":2},
       {"cycleSubConfID":"fe24d1350a3611ecbe71a328ac3ca004","conferenceID":"986256843","startTime":"2021-09-01 08:39",
        "endTime":"2021-09-01 09:09","mediaType":"HDVideo,Data,Voice","isAutoRecord":0,"recordAuthType":2,
        "confConfigInfo":{"callInRestriction":0,"audienceCallInRestriction":0,"allowGuestStartConf":true,"enableWaitingRoom":false}},
       {"conferenceID":"986256843","startTime":"2021-09-03 08:39"}]}]);
    serde_json::from_value::<OneOrMany>(body)
        .unwrap()
        .into_first()
        .unwrap()
}

#[test]
fn the_documented_series_answer_maps_with_every_sub_meeting() {
    let c = documented_answer();
    assert!(c.is_cycle());
    let now = Utc.with_ymd_and_hms(2021, 8, 31, 9, 0, 0).unwrap();
    let s = series_from_wire(&c, None, now).unwrap();
    assert_eq!(s.meeting.vendor_id, "986256843");
    assert_eq!(
        s.first_sub_conf_id.as_deref(),
        Some("fe24d1350a3611ecbe71a328ac3ca004")
    );
    assert_eq!(
        s.rule,
        Some(rule(Cycle::Day, 1, &[], d(2021, 9, 1), d(2021, 9, 2)))
    );
    // Sorted by start; the entry without an ID is left out.
    let ids: Vec<_> = s
        .occurrences
        .iter()
        .map(|o| o.cycle_sub_conf_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "fe24d1350a3611ecbe71a328ac3ca004",
            "fe24d1360a3611ecbe71fdd2c36bc8c2"
        ]
    );
    assert_eq!(
        s.occurrences[0].start,
        Utc.with_ymd_and_hms(2021, 9, 1, 8, 39, 0).unwrap()
    );
    assert_eq!(
        s.occurrences[0].end,
        Utc.with_ymd_and_hms(2021, 9, 1, 9, 9, 0).unwrap()
    );
    assert_eq!(
        s.occurrences[0].media_types.as_deref(),
        Some("HDVideo,Data,Voice")
    );
    assert!(s.shortened.is_none());
}

#[test]
fn a_series_reads_as_one_meeting_timed_like_its_next_sub_meeting() {
    let c = documented_answer();
    // Before the first: the first.
    let before = Utc.with_ymd_and_hms(2021, 8, 31, 9, 0, 0).unwrap();
    let m = mapping::conference_to_meeting(&c, None, before).unwrap();
    assert_eq!(m.start, Utc.with_ymd_and_hms(2021, 9, 1, 8, 39, 0).unwrap());
    assert_eq!(m.duration_minutes, 30);
    // After the first ended: the second, not the stale top-level time.
    let between = Utc.with_ymd_and_hms(2021, 9, 1, 12, 0, 0).unwrap();
    let m = mapping::conference_to_meeting(&c, None, between).unwrap();
    assert_eq!(m.start, Utc.with_ymd_and_hms(2021, 9, 2, 8, 39, 0).unwrap());
    assert_eq!(m.state, huiyi_core::MeetingState::Scheduled);
    // A series answer without subConfs keeps its top-level times.
    let mut bare = c.clone();
    bare.sub_confs.clear();
    let m = mapping::conference_to_meeting(&bare, None, between).unwrap();
    assert_eq!(m.start, Utc.with_ymd_and_hms(2021, 9, 1, 8, 39, 0).unwrap());
}

#[test]
fn answered_rules_are_read_tolerantly() {
    let p: CycleParamsInfo =
        serde_json::from_value(json!({"startDate":"2026-03-02","endDate":"2026-04-30",
        "cycle":"week","point":["1", 3, "x"],"interval":"2"}))
        .unwrap();
    assert_eq!(
        CycleRule::from_wire(&p),
        Some(rule(Cycle::Week, 2, &[1, 3], d(2026, 3, 2), d(2026, 4, 30)))
    );
    let p: CycleParamsInfo =
        serde_json::from_value(json!({"startDate":"2026-03-02","cycle":"Day"})).unwrap();
    assert_eq!(CycleRule::from_wire(&p), None);
    let p: CycleParamsInfo = serde_json::from_value(
        json!({"startDate":"2026-03-02","endDate":"2026-03-03","cycle":"Year","point":null}),
    )
    .unwrap();
    assert_eq!(CycleRule::from_wire(&p), None);
}

#[test]
fn a_shorter_answer_is_detected() {
    let start = Utc.with_ymd_and_hms(2030, 3, 1, 1, 0, 0).unwrap();
    let r = rule(Cycle::Day, 1, &[], d(2030, 3, 1), d(2030, 3, 3));
    let now = Utc.with_ymd_and_hms(2030, 2, 1, 0, 0, 0).unwrap();
    let p = plan(&r, start, tz("Asia/Shanghai"), 30, now).unwrap();
    let mut c = documented_answer();
    c.cycle_params = Some(CycleParamsInfo {
        start_date: Some("2030-03-01".into()),
        end_date: Some("2030-03-02".into()),
        cycle: Some("Day".into()),
        ..Default::default()
    });
    let s = series_from_wire(&c, None, now).unwrap();
    assert_eq!(
        shortened(&r, &p, &s, now),
        Some(Shortened {
            requested_end: d(2030, 3, 3),
            answered_end: Some(d(2030, 3, 2)),
            predicted: 3,
            listed: 2
        })
    );
    // The same end and as many as predicted: nothing to report.
    c.cycle_params.as_mut().unwrap().end_date = Some("2030-03-03".into());
    c.sub_confs[2].cycle_sub_conf_id = Some("0123456789abcdef0123456789abcdef".into());
    let s = series_from_wire(&c, None, now).unwrap();
    assert_eq!(s.occurrences.len(), 3);
    assert_eq!(shortened(&r, &p, &s, now), None);
    // Sub-meetings that already started are not expected back.
    let later = Utc.with_ymd_and_hms(2030, 3, 1, 2, 0, 0).unwrap();
    c.sub_confs.pop();
    let s = series_from_wire(&c, None, later).unwrap();
    assert_eq!(shortened(&r, &p, &s, later), None);
}

// ---------------------------------------------------------------- from a Huiyi series

fn series(start: &str, zone: &str, rrule: &str) -> Series {
    Series {
        subject: "周会".into(),
        start: NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M").unwrap(),
        zone: zone.into(),
        duration_minutes: 60,
        rule: SeriesRule::parse(rrule).unwrap(),
        exdates: Vec::new(),
        overrides: Vec::new(),
    }
}

fn from(start: &str, rrule: &str) -> Result<CycleRule, Unexpressible> {
    cycle_rule_from_series(&series(start, "Asia/Shanghai", rrule))
}

#[test]
fn expressible_series_translate_exactly() {
    // 2026-03-02 is a Monday.
    assert_eq!(
        from("2026-03-02T09:00", "FREQ=DAILY;COUNT=10"),
        Ok(rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 11)))
    );
    assert_eq!(
        from("2026-03-02T09:00", "FREQ=DAILY;INTERVAL=15;COUNT=3"),
        Ok(rule(Cycle::Day, 15, &[], d(2026, 3, 2), d(2026, 4, 1)))
    );
    assert_eq!(
        from("2026-03-02T09:00", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"),
        Ok(rule(Cycle::Week, 1, &[1, 3], d(2026, 3, 2), d(2026, 3, 18)))
    );
    // No BYDAY: DTSTART's weekday (Thursday = 4).
    assert_eq!(
        from("2026-03-05T09:00", "FREQ=WEEKLY;INTERVAL=5;COUNT=3"),
        Ok(rule(Cycle::Week, 5, &[4], d(2026, 3, 5), d(2026, 5, 14)))
    );
    // Sunday-start weeks agree with WKST=SU.
    assert_eq!(
        from(
            "2026-03-02T09:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;WKST=SU;COUNT=3"
        ),
        Ok(rule(Cycle::Week, 2, &[0, 1], d(2026, 3, 2), d(2026, 3, 16)))
    );
    // No BYMONTHDAY: DTSTART's day.
    assert_eq!(
        from("2026-03-12T09:00", "FREQ=MONTHLY;INTERVAL=3;COUNT=4"),
        Ok(rule(
            Cycle::Month,
            3,
            &[12],
            d(2026, 3, 12),
            d(2026, 12, 12)
        ))
    );
    assert_eq!(
        from("2026-03-12T09:00", "FREQ=MONTHLY;BYMONTHDAY=12,20;COUNT=4"),
        Ok(rule(
            Cycle::Month,
            1,
            &[12, 20],
            d(2026, 3, 12),
            d(2026, 4, 20)
        ))
    );
    // The last day of the month is Huawei's 31, clamped.
    assert_eq!(
        from("2026-01-31T09:00", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"),
        Ok(rule(Cycle::Month, 1, &[31], d(2026, 1, 31), d(2026, 4, 30)))
    );
    // UNTIL: the end date is the last meeting's local date.
    assert_eq!(
        from(
            "2026-03-02T09:00",
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260331T000000Z"
        ),
        Ok(rule(Cycle::Week, 1, &[1], d(2026, 3, 2), d(2026, 3, 30)))
    );
}

#[test]
fn the_end_date_is_the_zones_date_near_midnight() {
    // 07:00 Beijing daily until 2026-03-05 23:00 UTC, which is 6 March 07:00 in Beijing
    // (UNTIL is inclusive): the last meeting is on 6 March local, the 5th in UTC.
    assert_eq!(
        from("2026-03-02T07:00", "FREQ=DAILY;UNTIL=20260305T230000Z"),
        Ok(rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 6)))
    );
    // And late in the evening west of UTC: 22:00 New York on 2 March is 3 March 03:00 UTC.
    let s = series("2026-03-02T22:00", "America/New_York", "FREQ=DAILY;COUNT=2");
    assert_eq!(
        cycle_rule_from_series(&s),
        Ok(rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 3)))
    );
}

#[test]
fn a_rule_across_a_dst_change_translates_when_wall_clock_times_agree() {
    let s = series(
        "2026-03-02T09:00",
        "America/New_York",
        "FREQ=WEEKLY;COUNT=3",
    );
    assert_eq!(
        cycle_rule_from_series(&s),
        Ok(rule(Cycle::Week, 1, &[1], d(2026, 3, 2), d(2026, 3, 16)))
    );
}

#[test]
fn what_huawei_cannot_express_is_refused_with_a_reason() {
    let cases: Vec<(&str, &str, Unexpressible)> = vec![
        (
            "2026-03-02T09:00",
            "FREQ=YEARLY;COUNT=2",
            Unexpressible::Yearly,
        ),
        (
            "2026-03-02T09:00",
            "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1;COUNT=3",
            Unexpressible::SetPos,
        ),
        (
            "2026-03-27T09:00",
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
            Unexpressible::OrdinalWeekday("-1FR".into()),
        ),
        (
            "2026-03-06T09:00",
            "FREQ=MONTHLY;BYDAY=FR;COUNT=3",
            Unexpressible::MonthlyByWeekday("FR".into()),
        ),
        (
            "2026-03-30T09:00",
            "FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=2",
            Unexpressible::NegativeMonthDay(-2),
        ),
        (
            "2026-03-02T09:00",
            "FREQ=DAILY;BYDAY=MO,TU;COUNT=4",
            Unexpressible::DailyFiltered,
        ),
        (
            "2026-03-02T09:00",
            "FREQ=DAILY;INTERVAL=16;COUNT=3",
            Unexpressible::Interval {
                cycle: Cycle::Day,
                got: 16,
            },
        ),
        (
            "2026-03-02T09:00",
            "FREQ=WEEKLY;INTERVAL=6;COUNT=3",
            Unexpressible::Interval {
                cycle: Cycle::Week,
                got: 6,
            },
        ),
        (
            "2026-03-02T09:00",
            "FREQ=MONTHLY;INTERVAL=4;COUNT=3",
            Unexpressible::Interval {
                cycle: Cycle::Month,
                got: 4,
            },
        ),
        ("2026-03-02T09:00", "FREQ=DAILY", Unexpressible::NoEnd),
        (
            "2026-03-02T09:00",
            "FREQ=DAILY;COUNT=51",
            Unexpressible::TooManyOccurrences(51),
        ),
        (
            "2026-03-02T09:00",
            "FREQ=DAILY;UNTIL=20260601T000000Z",
            Unexpressible::TooManyOccurrences(91),
        ),
        (
            "2026-03-02T09:00",
            "FREQ=WEEKLY;INTERVAL=5;COUNT=12",
            Unexpressible::LongerThanAYear {
                start: d(2026, 3, 2),
                end: d(2027, 3, 22),
            },
        ),
        (
            "2026-03-02T09:00",
            "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
            Unexpressible::StartOffRule(
                NaiveDateTime::parse_from_str("2026-03-02T09:00", "%Y-%m-%dT%H:%M").unwrap(),
            ),
        ),
    ];
    for (start, rrule, want) in cases {
        let got = from(start, rrule);
        assert_eq!(got, Err(want), "{rrule}");
        assert!(!got.unwrap_err().to_string().is_empty());
    }
    let mut short = series("2026-03-02T09:00", "Asia/Shanghai", "FREQ=DAILY;COUNT=3");
    short.duration_minutes = 10;
    assert_eq!(
        cycle_rule_from_series(&short),
        Err(Unexpressible::Length(10))
    );
}

#[test]
fn calendar_differences_are_found_by_comparing_the_meetings() {
    // RFC 5545 skips months without a 31st; Huawei moves to the month's last day.
    let e = from("2026-01-31T09:00", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3").unwrap_err();
    assert_eq!(
        e,
        Unexpressible::Differs {
            series: "2026-03-31 09:00".into(),
            huawei: "2026-02-28 09:00".into(),
            hint: " (a day a month lacks is skipped by the series, but moved to the month's last day by Huawei)",
        }
    );
    // The same from DTSTART on the 31st without BYMONTHDAY.
    assert!(matches!(
        from("2026-01-31T09:00", "FREQ=MONTHLY;COUNT=3"),
        Err(Unexpressible::Differs { .. })
    ));
    // But a 31st rule that never meets a short month is exact.
    assert_eq!(
        from("2026-03-31T09:00", "FREQ=MONTHLY;INTERVAL=2;COUNT=3"),
        Ok(rule(Cycle::Month, 2, &[31], d(2026, 3, 31), d(2026, 7, 31)))
    );
    // RFC weeks start on Monday by default: every other week on Sunday and Monday differs.
    let e = from(
        "2026-03-02T09:00",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;COUNT=4",
    )
    .unwrap_err();
    assert_eq!(
        e,
        Unexpressible::Differs {
            series: "2026-03-08 09:00".into(),
            huawei: "2026-03-15 09:00".into(),
            hint: " (Huawei's weeks are taken to run Sunday to Saturday)",
        }
    );
}

#[test]
fn excluded_dates_and_changes_are_left_to_per_occurrence_calls() {
    let mut s = series("2026-03-02T09:00", "Asia/Shanghai", "FREQ=DAILY;COUNT=5");
    s.exdates
        .push(NaiveDateTime::parse_from_str("2026-03-03T09:00", "%Y-%m-%dT%H:%M").unwrap());
    assert_eq!(
        cycle_rule_from_series(&s),
        Ok(rule(Cycle::Day, 1, &[], d(2026, 3, 2), d(2026, 3, 6)))
    );
}
