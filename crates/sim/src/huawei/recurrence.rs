//! Recurrence rules of the Huawei fake, with no HTTP and no clock of their own: the
//! `timeZoneID` table, CycleParams validation (Table 4-4, L1949-1959) and the expansion of a
//! series into its occurrences.
//!
//! Where the document is silent the sim chooses; each choice is marked [fake-decision].

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::errors::{self, ApiError};
use super::state::{CycleKind, CycleParams};
use super::wire::{field, loose_int};

/// Most occurrences one series may hold; beyond that the server silently moves `endDate`
/// earlier ("若超过50个子会议，会自动调整结束日期", L1953).
pub(crate) const MAX_OCCURRENCES: usize = 50;

/// `timeZoneID` "1".."77" (L27822-27909) as IANA zones. The document gives only labels with
/// fixed offsets; the IANA names are the digest's suggestion (note §1.5), so DST follows the
/// real zone ([fake-decision]: the document is silent on DST, note §6.3 #22).
const ZONES: [&str; 77] = [
    "Etc/GMT+12",
    "Pacific/Midway",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Denver",
    "America/Guatemala",
    "America/Chicago",
    "America/Mexico_City",
    "America/Regina",
    "America/Bogota",
    "America/New_York",
    "America/Indiana/Indianapolis",
    "America/Halifax",
    "America/Caracas",
    "America/Santiago",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Nuuk",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "Atlantic/Cape_Verde",
    "Africa/Casablanca",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Budapest",
    "Europe/Paris",
    "Europe/Warsaw",
    "Africa/Lagos",
    "Europe/Athens",
    "Europe/Bucharest",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Europe/Helsinki",
    "Asia/Jerusalem",
    "Asia/Baghdad",
    "Asia/Riyadh",
    "Europe/Moscow",
    "Africa/Nairobi",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Tbilisi",
    "Asia/Kabul",
    "Asia/Yekaterinburg",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Almaty",
    "Asia/Dhaka",
    "Asia/Colombo",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Krasnoyarsk",
    "Asia/Shanghai",
    "Asia/Irkutsk",
    "Asia/Singapore",
    "Australia/Perth",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Yakutsk",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Port_Moresby",
    "Australia/Hobart",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Pacific/Auckland",
    "Pacific/Fiji",
    "Pacific/Tongatapu",
    "Asia/Irkutsk",
    "Africa/Casablanca",
    "Asia/Baku",
    "Asia/Kamchatka",
];

/// The zone of a `timeZoneID` (already validated to "1".."77"); Beijing otherwise.
pub(crate) fn zone(time_zone_id: &str) -> Tz {
    time_zone_id
        .parse::<usize>()
        .ok()
        .and_then(|i| ZONES.get(i.wrapping_sub(1)))
        .and_then(|name| name.parse::<Tz>().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

/// Unix seconds of a local wall-clock time. A time that occurs twice (DST fall-back) is the
/// earlier instant; one skipped by DST spring-forward is taken one hour later
/// ([fake-decision]: the document is silent on DST).
pub(crate) fn local_to_unix(tz: Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local).earliest() {
        Some(t) => t.timestamp(),
        None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map_or_else(|| local.and_utc().timestamp(), |t| t.timestamp()),
    }
}

/// The local date and time of a UTC instant.
pub(crate) fn local_of(tz: Tz, unix: i64) -> NaiveDateTime {
    match Utc.timestamp_opt(unix, 0).single() {
        Some(t) => t.with_timezone(&tz).naive_local(),
        None => NaiveDateTime::default(),
    }
}

/// CycleParams as sent, validated on their own (before the clock is consulted).
pub(crate) fn parse_cycle_params(body: &Map<String, Value>) -> Result<CycleParams, ApiError> {
    let bad = errors::PARAMETER_VERIFIED_FAIL;
    // Tabled "否" (L2556) but "当会议是周期会议的时候该参数必须填写", and MMC.111071020 exists
    // for exactly this (L27067).
    let c = match field(body, "cycleParams") {
        None => return Err(errors::CYCLE_PARAMS_NULL),
        Some(Value::Object(c)) => c,
        Some(_) => return Err(bad),
    };
    let date = |key: &str, missing: ApiError| -> Result<NaiveDate, ApiError> {
        match field(c, key) {
            None => Err(missing),
            Some(Value::String(s)) if s.is_empty() => Err(missing),
            Some(Value::String(s)) => parse_date(s).ok_or(bad),
            Some(_) => Err(bad),
        }
    };
    let start_date = date("startDate", errors::CYCLE_STARTDATE_NULL)?;
    let end_date = date("endDate", errors::CYCLE_ENDDATE_NULL)?;
    // Case-sensitive: the table lists exactly Day, Week, Month (L1954).
    let cycle = match field(c, "cycle").and_then(Value::as_str) {
        Some("Day") => CycleKind::Day,
        Some("Week") => CycleKind::Week,
        Some("Month") => CycleKind::Month,
        _ => return Err(errors::CYCLE_ILLEGAL),
    };
    let range = match cycle {
        CycleKind::Day => 1..=15,
        CycleKind::Week => 1..=5,
        CycleKind::Month => 1..=3,
    };
    // No default is documented (note §6.3 #21); [fake-decision] absent = 1.
    let interval = match field(c, "interval") {
        None => 1,
        Some(v) => match loose_int(v) {
            Some(n) if range.contains(&n) => n,
            _ => return Err(errors::CYCLE_INTERVAL_RANGE),
        },
    };
    // point: "仅当按周和月时有效" (L1956): ignored for Day.
    let points = match cycle {
        CycleKind::Day => Vec::new(),
        CycleKind::Week | CycleKind::Month => {
            let allowed = if cycle == CycleKind::Week {
                0..=6
            } else {
                1..=31
            };
            let list = match field(c, "point") {
                None => return Err(errors::CYCLE_POINT_NULL),
                Some(Value::Array(list)) if list.is_empty() => {
                    return Err(errors::CYCLE_POINT_NULL)
                }
                Some(Value::Array(list)) => list,
                Some(_) => return Err(errors::CYCLE_POINT_RANGE),
            };
            let mut points = Vec::with_capacity(list.len());
            for v in list {
                match loose_int(v) {
                    Some(n) if allowed.contains(&n) => points.push(n as u8),
                    _ => return Err(errors::CYCLE_POINT_RANGE),
                }
            }
            points.sort_unstable();
            points.dedup();
            points
        }
    };
    // "是" (required) yet "默认值是1" (L1959, note §6.3 #21): [fake-decision] absent = 1;
    // outside [0,30] is a parameter error.
    let pre_remind_days = match field(c, "preRemindDays") {
        None => 1,
        Some(v) => match loose_int(v) {
            Some(n) if (0..=30).contains(&n) => n,
            _ => return Err(bad),
        },
    };
    if end_date < start_date {
        return Err(bad);
    }
    // "开始日期和结束日期之间的时间间隔最长不能超过1年" (L1953): one calendar year.
    // [fake-decision] the error code is not documented; MMC.111071061 (note §7.3 #12).
    let year_later = start_date
        .checked_add_months(chrono::Months::new(12))
        .ok_or(bad)?;
    if end_date > year_later {
        return Err(bad);
    }
    Ok(CycleParams {
        start_date,
        end_date,
        cycle,
        interval: interval as u8,
        points,
        pre_remind_days: pre_remind_days as u8,
    })
}

/// Exactly `YYYY-MM-DD` (L1952).
fn parse_date(s: &str) -> Option<NaiveDate> {
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Every date of the rule within `[start_date, end_date]`, in order.
///
/// - Day: startDate, then every `interval` days.
/// - Week: weeks counted from the one holding startDate, every `interval`-th week, on the
///   `point` weekdays (0 = Sunday, L1956). [fake-decision] weeks run Sunday to Saturday,
///   since the document numbers Sunday 0.
/// - Month: every `interval`-th month from startDate's month, on the `point` days; a day the
///   month lacks becomes its last day (L1956). [fake-decision] two points landing on the same
///   last day give one occurrence.
pub(crate) fn dates(p: &CycleParams) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let step = i64::from(p.interval.max(1));
    match p.cycle {
        CycleKind::Day => {
            let mut d = p.start_date;
            while d <= p.end_date {
                out.push(d);
                d += Duration::days(step);
            }
        }
        CycleKind::Week => {
            let week0 = p.start_date
                - Duration::days(i64::from(p.start_date.weekday().num_days_from_sunday()));
            let mut week = week0;
            while week <= p.end_date {
                for &wd in &p.points {
                    let d = week + Duration::days(i64::from(wd));
                    if d >= p.start_date && d <= p.end_date {
                        out.push(d);
                    }
                }
                week += Duration::days(7 * step);
            }
        }
        CycleKind::Month => {
            let mut first = p.start_date.with_day(1).unwrap_or(p.start_date);
            while first <= p.end_date {
                let last_day = last_day_of_month(first);
                let mut days: Vec<u32> = p
                    .points
                    .iter()
                    .map(|&d| u32::from(d).min(last_day))
                    .collect();
                days.dedup();
                for day in days {
                    if let Some(d) = first.with_day(day) {
                        if d >= p.start_date && d <= p.end_date {
                            out.push(d);
                        }
                    }
                }
                match first.checked_add_months(chrono::Months::new(u32::from(p.interval.max(1)))) {
                    Some(next) => first = next,
                    None => break,
                }
            }
        }
    }
    out
}

fn last_day_of_month(first: NaiveDate) -> u32 {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .map_or(28, |d| d.day())
}

/// The occurrences a series gets when booked at `now`: each date of the rule at the local
/// time of day `time` in `tz`, converted to UTC; occurrences not after `now` are dropped (the
/// create example books at 08:39 UTC with startTime "" and startDate 2021-08-31 and gets its
/// first occurrence on 09-01, L2645 vs L2716); at most 50 are kept. Also returns the
/// CycleParams as the server then reports them: startDate moved to the first kept
/// occurrence (L2716), endDate moved earlier to the 50th when more would be generated
/// (L1953).
pub(crate) fn expand(
    requested: &CycleParams,
    tz: Tz,
    time: NaiveTime,
    now: i64,
) -> (CycleParams, Vec<i64>) {
    let mut starts: Vec<(NaiveDate, i64)> = dates(requested)
        .into_iter()
        .map(|d| (d, local_to_unix(tz, d.and_time(time))))
        .filter(|&(_, t)| t > now)
        .collect();
    let mut params = requested.clone();
    if starts.len() > MAX_OCCURRENCES {
        starts.truncate(MAX_OCCURRENCES);
        if let Some(&(d, _)) = starts.last() {
            params.end_date = d;
        }
    }
    if let Some(&(d, _)) = starts.first() {
        params.start_date = d;
    }
    (params, starts.into_iter().map(|(_, t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(
        cycle: CycleKind,
        start: &str,
        end: &str,
        interval: u8,
        points: &[u8],
    ) -> CycleParams {
        CycleParams {
            start_date: parse_date(start).unwrap(),
            end_date: parse_date(end).unwrap(),
            cycle,
            interval,
            points: points.to_vec(),
            pre_remind_days: 1,
        }
    }

    fn fmt(ds: &[NaiveDate]) -> Vec<String> {
        ds.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn every_zone_id_names_a_real_zone() {
        for (i, name) in ZONES.iter().enumerate() {
            assert!(name.parse::<Tz>().is_ok(), "{} {name}", i + 1);
        }
        assert_eq!(zone("56"), chrono_tz::Asia::Shanghai);
        assert_eq!(zone("26"), chrono_tz::Europe::London);
    }

    #[test]
    fn weekly_points_start_in_the_week_of_start_date() {
        // 2030-01-02 is a Wednesday; Mondays and Wednesdays every 2 weeks.
        let p = params(CycleKind::Week, "2030-01-02", "2030-01-31", 2, &[1, 3]);
        assert_eq!(
            fmt(&dates(&p)),
            [
                "2030-01-02",
                "2030-01-14",
                "2030-01-16",
                "2030-01-28",
                "2030-01-30"
            ]
        );
        // Sunday is 0 and belongs to the week it starts.
        let p = params(CycleKind::Week, "2030-01-02", "2030-01-14", 1, &[0]);
        assert_eq!(fmt(&dates(&p)), ["2030-01-06", "2030-01-13"]);
    }

    #[test]
    fn monthly_days_clamp_to_the_month_end() {
        let p = params(CycleKind::Month, "2030-01-15", "2030-06-30", 1, &[30, 31]);
        assert_eq!(
            fmt(&dates(&p)),
            [
                "2030-01-30",
                "2030-01-31",
                "2030-02-28",
                "2030-03-30",
                "2030-03-31",
                "2030-04-30",
                "2030-05-30",
                "2030-05-31",
                "2030-06-30"
            ]
        );
        let p = params(CycleKind::Month, "2030-01-31", "2030-12-31", 3, &[31]);
        assert_eq!(
            fmt(&dates(&p)),
            ["2030-01-31", "2030-04-30", "2030-07-31", "2030-10-31"]
        );
    }

    #[test]
    fn fifty_cap_moves_the_end_date() {
        let p = params(CycleKind::Day, "2030-01-01", "2030-12-31", 1, &[]);
        let (reported, starts) =
            expand(&p, zone("56"), NaiveTime::from_hms_opt(9, 0, 0).unwrap(), 0);
        assert_eq!(starts.len(), 50);
        assert_eq!(reported.end_date.to_string(), "2030-02-19");
        assert_eq!(reported.start_date.to_string(), "2030-01-01");
    }
}
