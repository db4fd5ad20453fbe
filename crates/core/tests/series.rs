//! Series expansion against RFC 5545: the §3.8.5.3 examples whose rule forms Huiyi takes
//! (DTSTART;TZID=America/New_York:1997..., so they cross the 1997 and 1998 DST changes too),
//! DST in New York and London, month ends, COUNT/UNTIL, EXDATE, overrides, truncation and
//! refusals.

use chrono::NaiveDateTime;
use huiyi_core::series::{resolve_local, MAX_OCCURRENCES};
use huiyi_core::{
    Expansion, FieldError, FieldErrorCode, Lang, OccurrenceOverride, RuleEnd, Series, SeriesRule,
};

fn local(s: &str) -> NaiveDateTime {
    huiyi_core::booking::parse_local_datetime(s).unwrap_or_else(|| panic!("bad test time {s}"))
}

fn series(start: &str, zone: &str, rule: &str) -> Series {
    Series {
        subject: "周会".into(),
        start: local(start),
        zone: zone.into(),
        duration_minutes: 60,
        rule: SeriesRule::parse(rule).unwrap_or_else(|e| panic!("{rule}: {e:?}")),
        exdates: Vec::new(),
        overrides: Vec::new(),
    }
}

fn expand(s: &Series, limit: usize) -> Expansion {
    s.expand(limit)
        .unwrap_or_else(|e| panic!("{} refused: {e:?}", s.rule))
}

/// Starts as `2026-03-09T09:30-04:00`.
fn starts(e: &Expansion) -> Vec<String> {
    e.occurrences
        .iter()
        .map(|o| o.start.format("%Y-%m-%dT%H:%M%:z").to_string())
        .collect()
}

/// Starts as local `1997-09-02 09:00` (wall clock in the zone).
fn wall(e: &Expansion) -> Vec<String> {
    e.occurrences
        .iter()
        .map(|o| o.start.format("%Y-%m-%d %H:%M").to_string())
        .collect()
}

/// `1997-09-02` .. at `time`, as `wall` prints them.
fn days(list: &[&str], time: &str) -> Vec<String> {
    list.iter().map(|d| format!("{d} {time}")).collect()
}

const NY: &str = "America/New_York";

/// An RFC 5545 §3.8.5.3 example: DTSTART;TZID=America/New_York:<start> and the RRULE.
fn rfc(start: &str, rule: &str, limit: usize) -> Expansion {
    expand(&series(start, NY, rule), limit)
}

// ---- RFC 5545 §3.8.5.3 ----

#[test]
fn rfc_daily_for_10_occurrences() {
    let e = rfc("1997-09-02T09:00", "FREQ=DAILY;COUNT=10", 100);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-03",
                "1997-09-04",
                "1997-09-05",
                "1997-09-06",
                "1997-09-07",
                "1997-09-08",
                "1997-09-09",
                "1997-09-10",
                "1997-09-11"
            ],
            "09:00"
        )
    );
    assert!(!e.truncated);
    assert!(e.start_matches_rule);
}

#[test]
fn rfc_daily_until_december_24_crosses_the_fall_back_at_nine_local() {
    // "==> (1997 9:00 AM EDT) September 2-30;October 1-25
    //      (1997 9:00 AM EST) October 26-31;November 1-30;December 1-23"
    let e = rfc(
        "1997-09-02T09:00",
        "FREQ=DAILY;UNTIL=19971224T000000Z",
        1000,
    );
    assert!(!e.truncated);
    assert_eq!(e.occurrences.len(), 29 + 25 + 6 + 30 + 23);
    let s = starts(&e);
    assert_eq!(s.first().unwrap(), "1997-09-02T09:00-04:00");
    assert!(s.contains(&"1997-10-25T09:00-04:00".to_string()));
    assert!(s.contains(&"1997-10-26T09:00-05:00".to_string()));
    assert_eq!(s.last().unwrap(), "1997-12-23T09:00-05:00");
}

#[test]
fn rfc_every_other_day_forever_is_truncated() {
    let e = rfc("1997-09-02T09:00", "FREQ=DAILY;INTERVAL=2", 5);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-04",
                "1997-09-06",
                "1997-09-08",
                "1997-09-10"
            ],
            "09:00"
        )
    );
    assert!(e.truncated);
}

#[test]
fn rfc_every_10_days_5_occurrences() {
    let e = rfc("1997-09-02T09:00", "FREQ=DAILY;INTERVAL=10;COUNT=5", 100);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-12",
                "1997-09-22",
                "1997-10-02",
                "1997-10-12"
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_weekly_for_10_occurrences() {
    let e = rfc("1997-09-02T09:00", "FREQ=WEEKLY;COUNT=10", 100);
    assert_eq!(
        starts(&e),
        [
            "1997-09-02T09:00-04:00",
            "1997-09-09T09:00-04:00",
            "1997-09-16T09:00-04:00",
            "1997-09-23T09:00-04:00",
            "1997-09-30T09:00-04:00",
            "1997-10-07T09:00-04:00",
            "1997-10-14T09:00-04:00",
            "1997-10-21T09:00-04:00",
            "1997-10-28T09:00-05:00",
            "1997-11-04T09:00-05:00",
        ]
    );
}

#[test]
fn rfc_weekly_on_tuesday_and_thursday_for_five_weeks_until_and_count_agree() {
    let expected = days(
        &[
            "1997-09-02",
            "1997-09-04",
            "1997-09-09",
            "1997-09-11",
            "1997-09-16",
            "1997-09-18",
            "1997-09-23",
            "1997-09-25",
            "1997-09-30",
            "1997-10-02",
        ],
        "09:00",
    );
    let until = rfc(
        "1997-09-02T09:00",
        "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        100,
    );
    let count = rfc(
        "1997-09-02T09:00",
        "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
        100,
    );
    assert_eq!(wall(&until), expected);
    assert_eq!(wall(&count), expected);
}

#[test]
fn rfc_every_other_week_on_monday_wednesday_friday_until_december_24() {
    let e = rfc(
        "1997-09-01T09:00",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-01",
                "1997-09-03",
                "1997-09-05",
                "1997-09-15",
                "1997-09-17",
                "1997-09-19",
                "1997-09-29",
                "1997-10-01",
                "1997-10-03",
                "1997-10-13",
                "1997-10-15",
                "1997-10-17",
                "1997-10-27",
                "1997-10-29",
                "1997-10-31",
                "1997-11-10",
                "1997-11-12",
                "1997-11-14",
                "1997-11-24",
                "1997-11-26",
                "1997-11-28",
                "1997-12-08",
                "1997-12-10",
                "1997-12-12",
                "1997-12-22",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_every_other_week_on_tuesday_and_thursday_for_8_occurrences() {
    let e = rfc(
        "1997-09-02T09:00",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-04",
                "1997-09-16",
                "1997-09-18",
                "1997-09-30",
                "1997-10-02",
                "1997-10-14",
                "1997-10-16",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_wkst_changes_which_days_an_every_other_week_rule_gives() {
    // "An example where the days generated makes a difference because of WKST"
    let mo = rfc(
        "1997-08-05T09:00",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        100,
    );
    assert_eq!(
        wall(&mo),
        days(
            &["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"],
            "09:00"
        )
    );
    // "changing only WKST from MO to SU, yields different results..."
    let su = rfc(
        "1997-08-05T09:00",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
        100,
    );
    assert_eq!(
        wall(&su),
        days(
            &["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"],
            "09:00"
        )
    );
}

#[test]
fn rfc_monthly_on_the_first_friday_count_and_until() {
    let count = rfc("1997-09-05T09:00", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", 100);
    assert_eq!(
        wall(&count),
        days(
            &[
                "1997-09-05",
                "1997-10-03",
                "1997-11-07",
                "1997-12-05",
                "1998-01-02",
                "1998-02-06",
                "1998-03-06",
                "1998-04-03",
                "1998-05-01",
                "1998-06-05",
            ],
            "09:00"
        )
    );
    let until = rfc(
        "1997-09-05T09:00",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        100,
    );
    assert_eq!(
        wall(&until),
        days(
            &["1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05"],
            "09:00"
        )
    );
}

#[test]
fn rfc_every_other_month_on_the_first_and_last_sunday() {
    let e = rfc(
        "1997-09-07T09:00",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-07",
                "1997-09-28",
                "1997-11-02",
                "1997-11-30",
                "1998-01-04",
                "1998-01-25",
                "1998-03-01",
                "1998-03-29",
                "1998-05-03",
                "1998-05-31",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_monthly_on_the_second_to_last_monday_for_6_months() {
    let e = rfc("1997-09-22T09:00", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", 100);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-22",
                "1997-10-20",
                "1997-11-17",
                "1997-12-22",
                "1998-01-19",
                "1998-02-16",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_monthly_on_the_third_to_the_last_day_forever() {
    let e = rfc("1997-09-28T09:00", "FREQ=MONTHLY;BYMONTHDAY=-3", 6);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-28",
                "1997-10-29",
                "1997-11-28",
                "1997-12-29",
                "1998-01-29",
                "1998-02-26",
            ],
            "09:00"
        )
    );
    assert!(e.truncated);
}

#[test]
fn rfc_monthly_on_the_2nd_and_15th_and_on_the_first_and_last_day() {
    let e = rfc(
        "1997-09-02T09:00",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-15",
                "1997-10-02",
                "1997-10-15",
                "1997-11-02",
                "1997-11-15",
                "1997-12-02",
                "1997-12-15",
                "1998-01-02",
                "1998-01-15",
            ],
            "09:00"
        )
    );
    let e = rfc(
        "1997-09-30T09:00",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-30",
                "1997-10-01",
                "1997-10-31",
                "1997-11-01",
                "1997-11-30",
                "1997-12-01",
                "1997-12-31",
                "1998-01-01",
                "1998-01-31",
                "1998-02-01",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_every_18_months_on_the_10th_to_15th() {
    let e = rfc(
        "1997-09-10T09:00",
        "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-10",
                "1997-09-11",
                "1997-09-12",
                "1997-09-13",
                "1997-09-14",
                "1997-09-15",
                "1999-03-10",
                "1999-03-11",
                "1999-03-12",
                "1999-03-13",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_every_tuesday_every_other_month() {
    let e = rfc("1997-09-02T09:00", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", 18);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-02",
                "1997-09-09",
                "1997-09-16",
                "1997-09-23",
                "1997-09-30",
                "1997-11-04",
                "1997-11-11",
                "1997-11-18",
                "1997-11-25",
                "1998-01-06",
                "1998-01-13",
                "1998-01-20",
                "1998-01-27",
                "1998-03-03",
                "1998-03-10",
                "1998-03-17",
                "1998-03-24",
                "1998-03-31",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_every_20th_monday_of_the_year() {
    let e = rfc("1997-05-19T09:00", "FREQ=YEARLY;BYDAY=20MO", 3);
    assert_eq!(
        wall(&e),
        days(&["1997-05-19", "1998-05-18", "1999-05-17"], "09:00")
    );
}

#[test]
fn rfc_every_friday_the_13th_with_the_start_excluded() {
    // EXDATE;TZID=America/New_York:19970902T090000 / RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13
    let mut s = series(
        "1997-09-02T09:00",
        NY,
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
    );
    let without = expand(&s, 5);
    assert!(
        !without.start_matches_rule,
        "a Tuesday is no Friday the 13th"
    );
    assert_eq!(
        wall(&without)[0],
        "1997-09-02 09:00",
        "yet DTSTART is the first"
    );
    s.exdates = vec![local("1997-09-02T09:00")];
    let e = expand(&s, 5);
    assert_eq!(
        wall(&e),
        days(
            &[
                "1998-02-13",
                "1998-03-13",
                "1998-11-13",
                "1999-08-13",
                "2000-10-13"
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_the_first_saturday_after_the_first_sunday_of_the_month() {
    let e = rfc(
        "1997-09-13T09:00",
        "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
        10,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-13",
                "1997-10-11",
                "1997-11-08",
                "1997-12-13",
                "1998-01-10",
                "1998-02-07",
                "1998-03-07",
                "1998-04-11",
                "1998-05-09",
                "1998-06-13",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_bysetpos_third_of_tuesday_wednesday_thursday_and_second_to_last_weekday() {
    let e = rfc(
        "1997-09-04T09:00",
        "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
        100,
    );
    assert_eq!(
        wall(&e),
        days(&["1997-09-04", "1997-10-07", "1997-11-06"], "09:00")
    );
    let e = rfc(
        "1997-09-29T09:00",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        7,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "1997-09-29",
                "1997-10-30",
                "1997-11-27",
                "1997-12-30",
                "1998-01-29",
                "1998-02-26",
                "1998-03-30",
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_an_invalid_date_february_30_is_ignored_and_not_counted() {
    let e = rfc(
        "2007-01-15T09:00",
        "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "2007-01-15",
                "2007-01-30",
                "2007-02-15",
                "2007-03-15",
                "2007-03-30"
            ],
            "09:00"
        )
    );
}

#[test]
fn rfc_yearly_rules_that_need_bymonth_are_refused_not_misread() {
    // "Yearly in June and July for 10 occurrences"
    let e = SeriesRule::parse("FREQ=YEARLY;COUNT=10;BYMONTH=6,7").unwrap_err();
    assert_eq!(
        e,
        vec![FieldError::new(
            "rrule",
            FieldErrorCode::RuleUnsupported {
                part: "BYMONTH".into()
            }
        )]
    );
}

// ---- DST ----

#[test]
fn new_york_weekly_keeps_nine_thirty_across_the_march_and_november_changes() {
    // 2026: DST starts Sunday 8 March, ends Sunday 1 November.
    let e = expand(
        &series("2026-03-02T09:30", NY, "FREQ=WEEKLY;BYDAY=MO,WE"),
        6,
    );
    assert_eq!(
        starts(&e),
        [
            "2026-03-02T09:30-05:00",
            "2026-03-04T09:30-05:00",
            "2026-03-09T09:30-04:00",
            "2026-03-11T09:30-04:00",
            "2026-03-16T09:30-04:00",
            "2026-03-18T09:30-04:00",
        ]
    );
    // Wall clock fixed, so UTC moves by the hour.
    assert_eq!(
        e.occurrences[1].start.to_utc().format("%H:%M").to_string(),
        "14:30"
    );
    assert_eq!(
        e.occurrences[2].start.to_utc().format("%H:%M").to_string(),
        "13:30"
    );
    assert_eq!(
        e.occurrences[2].end.format("%Y-%m-%dT%H:%M%:z").to_string(),
        "2026-03-09T10:30-04:00"
    );

    let e = expand(&series("2026-10-26T09:30", NY, "FREQ=WEEKLY;COUNT=3"), 10);
    assert_eq!(
        starts(&e),
        [
            "2026-10-26T09:30-04:00",
            "2026-11-02T09:30-05:00",
            "2026-11-09T09:30-05:00",
        ]
    );
}

#[test]
fn london_weekly_keeps_nine_thirty_across_the_march_and_october_changes() {
    // 2026: BST starts Sunday 29 March, ends Sunday 25 October.
    let z = "Europe/London";
    let e = expand(&series("2026-03-19T09:30", z, "FREQ=WEEKLY;COUNT=3"), 10);
    assert_eq!(
        starts(&e),
        [
            "2026-03-19T09:30+00:00",
            "2026-03-26T09:30+00:00",
            "2026-04-02T09:30+01:00",
        ]
    );
    let e = expand(&series("2026-10-15T09:30", z, "FREQ=WEEKLY;COUNT=3"), 10);
    assert_eq!(
        starts(&e),
        [
            "2026-10-15T09:30+01:00",
            "2026-10-22T09:30+01:00",
            "2026-10-29T09:30+00:00",
        ]
    );
}

#[test]
fn a_time_skipped_by_spring_forward_is_placed_with_the_offset_before_the_gap_and_counted() {
    // RFC 5545 §3.3.10 → §3.3.5: New York 02:30 on 8 March 2026 does not exist; it is read
    // with EST (-05:00), i.e. 03:30 EDT. It stays an occurrence and counts toward COUNT.
    let e = expand(&series("2026-03-07T02:30", NY, "FREQ=DAILY;COUNT=3"), 10);
    assert_eq!(
        starts(&e),
        [
            "2026-03-07T02:30-05:00",
            "2026-03-08T03:30-04:00",
            "2026-03-09T02:30-04:00",
        ]
    );
    assert_eq!(e.occurrences[1].original_start, e.occurrences[1].start);
    assert!(!e.occurrences[1].moved);
    // Named by its nominal time or by where it landed, it is the same occurrence.
    for named in ["2026-03-08T02:30", "2026-03-08T03:30"] {
        let mut s = series("2026-03-07T02:30", NY, "FREQ=DAILY;COUNT=3");
        s.exdates = vec![local(named)];
        assert_eq!(expand(&s, 10).occurrences.len(), 2, "{named}");
    }
}

#[test]
fn a_time_repeated_by_fall_back_is_its_first_occurrence() {
    let e = expand(
        &series("2026-10-24T01:30", "Europe/London", "FREQ=DAILY;COUNT=3"),
        10,
    );
    assert_eq!(
        starts(&e),
        [
            "2026-10-24T01:30+01:00",
            "2026-10-25T01:30+01:00",
            "2026-10-26T01:30+00:00",
        ]
    );
}

#[test]
fn a_gap_at_midnight_keeps_the_occurrence() {
    // Havana springs forward at midnight (8 March 2026, 00:00 → 01:00): 00:30 and midnight
    // both do not exist. The rrule crate's own zone handling drops such an occurrence
    // (see the unit test in series.rs); the expansion here keeps it, at 01:30 CDT.
    let e = expand(
        &series("2026-03-07T00:30", "America/Havana", "FREQ=DAILY;COUNT=3"),
        10,
    );
    assert_eq!(
        starts(&e),
        [
            "2026-03-07T00:30-05:00",
            "2026-03-08T01:30-04:00",
            "2026-03-09T00:30-04:00",
        ]
    );
}

#[test]
fn a_first_start_inside_a_gap_is_refused_like_on_the_booking_form() {
    let s = series("2026-03-08T02:30", NY, "FREQ=WEEKLY");
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![FieldError::new(
            "start",
            FieldErrorCode::NonexistentLocalTime
        )]
    );
}

#[test]
fn the_first_start_off_the_rule_is_still_the_first_occurrence_and_counts() {
    // 1 March 2026 is a Sunday: RFC 5545 keeps DTSTART as the first instance.
    let e = expand(
        &series("2026-03-01T09:30", NY, "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"),
        10,
    );
    assert!(!e.start_matches_rule);
    assert_eq!(
        starts(&e),
        [
            "2026-03-01T09:30-05:00",
            "2026-03-02T09:30-05:00",
            "2026-03-04T09:30-05:00",
            "2026-03-09T09:30-04:00",
        ]
    );
}

// ---- month ends ----

#[test]
fn the_last_day_of_every_month_follows_month_length_and_leap_years() {
    let e = expand(
        &series(
            "2028-01-31T10:00",
            "Asia/Shanghai",
            "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4",
        ),
        10,
    );
    assert_eq!(
        wall(&e),
        days(
            &["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"],
            "10:00"
        )
    );
}

#[test]
fn day_31_skips_the_months_without_one_with_or_without_bymonthday() {
    let expected = days(
        &["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"],
        "10:00",
    );
    for rule in ["FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", "FREQ=MONTHLY;COUNT=4"] {
        let e = expand(&series("2026-01-31T10:00", "Asia/Shanghai", rule), 10);
        assert_eq!(wall(&e), expected, "{rule}");
    }
    // February 29 only in leap years.
    let e = expand(
        &series("2024-02-29T10:00", "Asia/Shanghai", "FREQ=YEARLY;COUNT=3"),
        10,
    );
    assert_eq!(
        wall(&e),
        days(&["2024-02-29", "2028-02-29", "2032-02-29"], "10:00")
    );
}

#[test]
fn the_last_friday_of_every_month() {
    let e = expand(
        &series(
            "2026-01-30T09:30",
            "Asia/Shanghai",
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
        ),
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "2026-01-30",
                "2026-02-27",
                "2026-03-27",
                "2026-04-24",
                "2026-05-29",
                "2026-06-26",
                "2026-07-31",
                "2026-08-28",
                "2026-09-25",
                "2026-10-30",
                "2026-11-27",
                "2026-12-25",
            ],
            "09:30"
        )
    );
    assert!(e
        .occurrences
        .iter()
        .all(|o| o.start.offset().local_minus_utc() == 8 * 3600));
}

#[test]
fn the_last_workday_of_every_month_by_bysetpos() {
    let e = expand(
        &series(
            "2026-01-30T17:00",
            "Asia/Shanghai",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6",
        ),
        100,
    );
    assert_eq!(
        wall(&e),
        days(
            &[
                "2026-01-30",
                "2026-02-27",
                "2026-03-31",
                "2026-04-30",
                "2026-05-29",
                "2026-06-30"
            ],
            "17:00"
        )
    );
}

// ---- COUNT, UNTIL ----

#[test]
fn until_is_a_utc_instant_and_inclusive() {
    // 16 March 2026 09:30 EDT is 13:30Z.
    let at = expand(
        &series("2026-03-02T09:30", NY, "FREQ=WEEKLY;UNTIL=20260316T133000Z"),
        10,
    );
    assert_eq!(
        wall(&at),
        days(&["2026-03-02", "2026-03-09", "2026-03-16"], "09:30")
    );
    assert!(!at.truncated);
    let before = expand(
        &series("2026-03-02T09:30", NY, "FREQ=WEEKLY;UNTIL=20260316T132959Z"),
        10,
    );
    assert_eq!(before.occurrences.len(), 2);
}

#[test]
fn an_until_before_the_start_is_refused() {
    let s = series("2026-03-02T09:30", NY, "FREQ=WEEKLY;UNTIL=20260301T000000Z");
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![FieldError::new("rrule", FieldErrorCode::RuleNoOccurrences)]
    );
}

#[test]
fn a_rule_no_date_matches_is_refused() {
    // The second Monday is never the 1st.
    let s = series(
        "2026-03-09T09:30",
        NY,
        "FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=2MO",
    );
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![FieldError::new("rrule", FieldErrorCode::RuleNoOccurrences)]
    );
}

// ---- EXDATE ----

#[test]
fn exdates_remove_occurrences_and_still_count_toward_count() {
    let mut s = series("2026-05-04T09:30", "Asia/Shanghai", "FREQ=DAILY;COUNT=5");
    s.exdates = vec![local("2026-05-06T09:30")];
    let e = expand(&s, 10);
    assert_eq!(
        wall(&e),
        days(
            &["2026-05-04", "2026-05-05", "2026-05-07", "2026-05-08"],
            "09:30"
        )
    );
    assert!(!e.truncated);
}

#[test]
fn an_exdate_that_is_no_occurrence_or_given_twice_is_refused() {
    let mut s = series("2026-05-04T09:30", "Asia/Shanghai", "FREQ=DAILY;COUNT=5");
    s.exdates = vec![
        local("2026-05-06T09:00"),
        local("2026-05-07T09:30"),
        local("2026-05-07T09:30"),
        local("2026-06-01T09:30"),
    ];
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![
            FieldError::new("exdates.0", FieldErrorCode::NotAnOccurrence),
            FieldError::new("exdates.2", FieldErrorCode::DuplicateOccurrence),
            FieldError::new("exdates.3", FieldErrorCode::NotAnOccurrence),
        ]
    );
}

// ---- overrides ----

#[test]
fn overrides_move_retitle_and_cancel_single_occurrences_and_the_list_stays_sorted() {
    let mut s = series("2026-05-04T09:30", "Asia/Shanghai", "FREQ=DAILY;COUNT=4");
    s.overrides = vec![
        // The first moves after the second, and gets longer.
        OccurrenceOverride {
            start: Some(local("2026-05-05T15:00")),
            duration_minutes: Some(90),
            ..OccurrenceOverride::of(local("2026-05-04T09:30"))
        },
        OccurrenceOverride {
            subject: Some("季度回顾".into()),
            ..OccurrenceOverride::of(local("2026-05-06T09:30"))
        },
        OccurrenceOverride {
            cancelled: true,
            ..OccurrenceOverride::of(local("2026-05-07T09:30"))
        },
    ];
    let e = expand(&s, 10);
    let rows: Vec<(String, String, String, bool, bool, bool)> = e
        .occurrences
        .iter()
        .map(|o| {
            (
                o.original_start.format("%m-%d %H:%M").to_string(),
                format!(
                    "{}–{}",
                    o.start.format("%m-%d %H:%M"),
                    o.end.format("%H:%M")
                ),
                o.subject.clone(),
                o.moved,
                o.retitled,
                o.cancelled,
            )
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, m, r, x| (a.into(), b.into(), c.into(), m, r, x);
    assert_eq!(
        rows,
        vec![
            row(
                "05-05 09:30",
                "05-05 09:30–10:30",
                "周会",
                false,
                false,
                false
            ),
            row(
                "05-04 09:30",
                "05-05 15:00–16:30",
                "周会",
                true,
                false,
                false
            ),
            row(
                "05-06 09:30",
                "05-06 09:30–10:30",
                "季度回顾",
                false,
                true,
                false
            ),
            row(
                "05-07 09:30",
                "05-07 09:30–10:30",
                "周会",
                false,
                false,
                true
            ),
        ]
    );
}

#[test]
fn overrides_must_name_an_occurrence_once_and_not_an_excluded_one() {
    let mut s = series("2026-05-04T09:30", "Asia/Shanghai", "FREQ=DAILY;COUNT=4");
    s.exdates = vec![local("2026-05-05T09:30")];
    s.overrides = vec![
        OccurrenceOverride {
            cancelled: true,
            ..OccurrenceOverride::of(local("2026-05-05T09:30"))
        },
        OccurrenceOverride {
            cancelled: true,
            ..OccurrenceOverride::of(local("2026-05-04T10:00"))
        },
        OccurrenceOverride {
            subject: Some("A".into()),
            ..OccurrenceOverride::of(local("2026-05-06T09:30"))
        },
        OccurrenceOverride {
            subject: Some("B".into()),
            ..OccurrenceOverride::of(local("2026-05-06T09:30"))
        },
    ];
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![
            FieldError::new(
                "overrides.0.original_start",
                FieldErrorCode::NotAnOccurrence
            ),
            FieldError::new(
                "overrides.1.original_start",
                FieldErrorCode::NotAnOccurrence
            ),
            FieldError::new(
                "overrides.3.original_start",
                FieldErrorCode::DuplicateOccurrence
            ),
        ]
    );
}

#[test]
fn an_override_moved_into_a_gap_or_with_an_empty_subject_is_refused() {
    let mut s = series("2026-03-02T09:30", NY, "FREQ=DAILY;COUNT=10");
    s.overrides = vec![OccurrenceOverride {
        start: Some(local("2026-03-08T02:15")),
        subject: Some(" ".into()),
        duration_minutes: Some(0),
        ..OccurrenceOverride::of(local("2026-03-08T09:30"))
    }];
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![
            FieldError::new("overrides.0.start", FieldErrorCode::NonexistentLocalTime),
            FieldError::new(
                "overrides.0.duration_minutes",
                FieldErrorCode::DurationOutOfRange { min: 1, max: 1440 }
            ),
            FieldError::new("overrides.0.subject", FieldErrorCode::Required),
        ]
    );
}

// ---- bounds ----

#[test]
fn expansion_is_bounded_and_says_when_it_was_cut() {
    let forever = series("2026-01-01T09:00", "Asia/Shanghai", "FREQ=DAILY");
    let e = expand(&forever, 3);
    assert_eq!(e.occurrences.len(), 3);
    assert!(e.truncated);
    let capped = expand(&forever, 1_000_000);
    assert_eq!(capped.occurrences.len(), MAX_OCCURRENCES);
    assert!(capped.truncated);

    let five = series("2026-01-01T09:00", "Asia/Shanghai", "FREQ=DAILY;COUNT=5");
    assert!(!expand(&five, 5).truncated);
    assert!(expand(&five, 4).truncated);
    let most = series("2026-01-01T09:00", "Asia/Shanghai", "FREQ=DAILY;COUNT=1000");
    let e = expand(&most, MAX_OCCURRENCES);
    assert_eq!(e.occurrences.len(), 1000);
    assert!(!e.truncated);
    assert!(expand(&most, 0).truncated);
}

// ---- refusals of the series itself ----

#[test]
fn a_series_reports_every_problem_by_field() {
    let mut s = series("2026-01-01T09:00", "Mars/Olympus", "FREQ=DAILY");
    s.duration_minutes = 0;
    // A rule built in code or read from JSON is checked like a typed one.
    s.rule.by_month_day = vec![0];
    s.rule.end = RuleEnd::Count { count: 5000 };
    assert_eq!(
        s.expand(10).unwrap_err(),
        vec![
            FieldError::new("zone", FieldErrorCode::UnknownZone),
            FieldError::new(
                "duration_minutes",
                FieldErrorCode::DurationOutOfRange { min: 1, max: 1440 }
            ),
            FieldError::new(
                "rrule",
                FieldErrorCode::RuleValueOutOfRange {
                    part: "COUNT=5000".into(),
                    min: 1,
                    max: 1000
                }
            ),
            FieldError::new(
                "rrule",
                FieldErrorCode::RuleValueOutOfRange {
                    part: "BYMONTHDAY=0".into(),
                    min: -31,
                    max: 31
                }
            ),
        ]
    );
}

#[test]
fn a_series_reads_and_writes_json_with_its_rule_in_parts() {
    let mut s = series(
        "2026-01-30T09:30",
        "Asia/Shanghai",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
    );
    s.exdates = vec![local("2026-02-27T09:30")];
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["start"], "2026-01-30T09:30:00");
    assert_eq!(
        v["rule"],
        serde_json::json!({
            "freq": "MONTHLY", "interval": 1,
            "by_day": [{"ordinal": -1, "weekday": "FR"}],
            "by_month_day": [], "by_set_pos": [],
            "end": {"kind": "count", "count": 12}, "week_start": "MO"
        })
    );
    let back: Series = serde_json::from_value(v).unwrap();
    assert_eq!(back, s);
    // Parts left out take RFC 5545's defaults.
    let minimal: Series = serde_json::from_value(serde_json::json!({
        "start": "2026-01-30T09:30:00", "zone": "Asia/Shanghai", "duration_minutes": 30,
        "rule": {"freq": "WEEKLY"}
    }))
    .unwrap();
    assert_eq!(minimal.rule, SeriesRule::parse("FREQ=WEEKLY").unwrap());
    let e = serde_json::to_value(expand(&minimal, 1)).unwrap();
    assert_eq!(e["occurrences"][0]["start"], "2026-01-30T09:30:00+08:00");
    assert_eq!(e["truncated"], true);
}

// ---- summaries ----

#[test]
fn summaries_in_chinese_and_english() {
    let s = series(
        "2026-01-30T09:30",
        "Asia/Shanghai",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=12",
    );
    assert_eq!(
        s.summary(Lang::Zh),
        "每月最后一个星期五 09:30（上海时间），共 12 次"
    );
    assert_eq!(
        s.summary(Lang::En),
        "Last Friday of every month at 09:30 (Shanghai time), 12 times"
    );
    let cases = [
        (
            "FREQ=WEEKLY;BYDAY=MO,WE",
            "每周一、周三 09:30（纽约时间），不设结束日期",
            "Every Monday and Wednesday at 09:30 (New York time), no end date",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU;COUNT=4",
            "每 2 周的周二、周日（每周从周日算起）09:30（纽约时间），共 4 次",
            "Every 2 weeks on Tuesday and Sunday (weeks starting on Sunday) at 09:30 (New York time), 4 times",
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;UNTIL=20261231T235959Z",
            "每月最后一个工作日 09:30（纽约时间），直到 2026-12-31",
            "Last weekday of every month at 09:30 (New York time), until 2026-12-31",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1,-1",
            "每 3 个月的 1 日和最后一天 09:30（纽约时间），不设结束日期",
            "Day 1 and the last day of every 3 months at 09:30 (New York time), no end date",
        ),
        (
            "FREQ=DAILY;INTERVAL=2;COUNT=1",
            "每 2 天 09:30（纽约时间），共 1 次",
            "Every 2 days at 09:30 (New York time), once",
        ),
        (
            "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
            "每个工作日（周一至周五）09:30（纽约时间），不设结束日期",
            "Every weekday (Monday to Friday) at 09:30 (New York time), no end date",
        ),
        (
            "FREQ=YEARLY;COUNT=5",
            "每年 3 月 2 日 09:30（纽约时间），共 5 次",
            "Every year on March 2 at 09:30 (New York time), 5 times",
        ),
        (
            "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
            "按规则 FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13 重复，每次 09:30（纽约时间），不设结束日期",
            "Repeats by the rule FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13, at 09:30 (New York time), no end date",
        ),
    ];
    for (rule, zh, en) in cases {
        let s = series("2026-03-02T09:30", NY, rule);
        assert_eq!(s.summary(Lang::Zh), zh, "{rule}");
        assert_eq!(s.summary(Lang::En), en, "{rule}");
    }
}

#[test]
fn resolve_local_is_public_for_later_parts() {
    let t = resolve_local(
        local("2026-03-08T02:30"),
        "America/New_York".parse().unwrap(),
    );
    assert_eq!(t.to_rfc3339(), "2026-03-08T03:30:00-04:00");
}
