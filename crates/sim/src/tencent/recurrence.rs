//! Native recurring meetings at the wire level (note §3.2): `recurring_rule` parsing, the
//! expansion into sub-meetings, and the documented caps.
//!
//! Expansion happens in the meeting's `time_zone` (default Asia/Shanghai, the service's home
//! zone: assumption), keeping the first meeting's local wall-clock time and duration.
//! Choices where the note is silent (marked "assumption" below):
//! - A date that does not exist in a month (the 31st, a 5th Monday) is skipped, as the note
//!   says for type 2 ("months without a 5th week are skipped").
//! - Custom weekly weeks run Sunday to Saturday (bit0 = Sunday).
//! - An `until_date` that would produce more occurrences than the cap is refused (190004)
//!   rather than silently cut.
//! - `sub_meeting_id` = the occurrence's original start in Unix seconds, as in the doc example
//!   (note §3.2 FLAG: clients treat it as opaque); a moved occurrence keeps its ID.

use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::errors::{self, ApiError};
use super::wire::{field, opt_int};

/// Occurrence cap for daily / weekdays / weekly (create doc) ...
pub(crate) const CAP_SHORT: usize = 200;
/// ... and for biweekly / monthly (note §3.2 `until_count`).
pub(crate) const CAP_LONG: usize = 50;
/// Default `until_count` and `until_date` (now + 7 days).
const DEFAULT_COUNT: i64 = 7;
/// Bounds the expansion loop (periods examined).
const MAX_PERIODS: i64 = 5_000;

fn bad(msg: impl Into<String>) -> ApiError {
    errors::BAD_PARAM.with_msg(msg)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Rule {
    pub recurring_type: i64,
    pub until_type: i64,
    pub until_date: i64,
    pub until_count: i64,
    pub customized_recurring_type: Option<i64>,
    pub customized_recurring_step: Option<i64>,
    pub customized_recurring_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Occurrence {
    pub sub_meeting_id: String,
    pub start: i64,
    pub end: i64,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Recurrence {
    pub rule: Rule,
    pub occurrences: Vec<Occurrence>,
}

/// What a `recurring_rule` object asks for.
pub(crate) struct RuleRequest {
    /// Set on modify: move this one occurrence.
    pub sub_meeting_id: Option<String>,
    /// Any rule field present.
    pub has_rule_fields: bool,
    obj: Map<String, Value>,
}

pub(crate) fn parse_request(body: &Map<String, Value>) -> Result<Option<RuleRequest>, ApiError> {
    let Some(v) = field(body, "recurring_rule") else {
        return Ok(None);
    };
    let Value::Object(obj) = v else {
        return Err(bad("recurring_rule must be an object"));
    };
    let sub_meeting_id = match field(obj, "sub_meeting_id") {
        None => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        // Lenient: a number for the ID.
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(bad("sub_meeting_id must be a string")),
    };
    let has_rule_fields = obj
        .iter()
        .any(|(k, v)| k != "sub_meeting_id" && !v.is_null());
    Ok(Some(RuleRequest {
        sub_meeting_id,
        has_rule_fields,
        obj: obj.clone(),
    }))
}

impl RuleRequest {
    /// The rule with the documented defaults (daily, until a date 7 days from now).
    pub(crate) fn rule(&self, now: i64) -> Result<Rule, ApiError> {
        let o = &self.obj;
        let in_range = |key: &str, v: Option<i64>, lo: i64, hi: i64| match v {
            Some(n) if n < lo || n > hi => {
                Err(bad(format!("recurring_rule.{key} must be {lo}-{hi}")))
            }
            _ => Ok(v),
        };
        let recurring_type =
            in_range("recurring_type", opt_int(o, "recurring_type")?, 0, 5)?.unwrap_or(0);
        let until_type = in_range("until_type", opt_int(o, "until_type")?, 0, 1)?.unwrap_or(0);
        let until_date = opt_int(o, "until_date")?.unwrap_or(now + 7 * 86_400);
        let until_count = opt_int(o, "until_count")?.unwrap_or(DEFAULT_COUNT);
        let (ctype, step, days) = if recurring_type == 5 {
            let ctype = in_range(
                "customized_recurring_type",
                opt_int(o, "customized_recurring_type")?,
                0,
                3,
            )?
            .unwrap_or(0);
            let step = in_range(
                "customized_recurring_step",
                opt_int(o, "customized_recurring_step")?,
                1,
                i64::from(u16::MAX),
            )?
            .unwrap_or(1);
            let days = opt_int(o, "customized_recurring_days")?;
            (Some(ctype), Some(step), days)
        } else {
            (None, None, None)
        };
        Ok(Rule {
            recurring_type,
            until_type,
            until_date,
            until_count,
            customized_recurring_type: ctype,
            customized_recurring_step: step,
            customized_recurring_days: days,
        })
    }
}

impl Rule {
    fn cap(&self) -> usize {
        match (self.recurring_type, self.customized_recurring_type) {
            (0..=2, _) => CAP_SHORT,
            (5, Some(0 | 1)) => CAP_SHORT,
            _ => CAP_LONG,
        }
    }

    /// As the query APIs show it.
    pub(crate) fn wire(&self) -> Value {
        let mut o = json!({
            "recurring_type": self.recurring_type,
            "until_type": self.until_type,
            "until_date": self.until_date,
            "until_count": self.until_count,
        });
        if let Some(t) = self.customized_recurring_type {
            o["customized_recurring_type"] = json!(t);
        }
        if let Some(s) = self.customized_recurring_step {
            o["customized_recurring_step"] = json!(s);
        }
        if let Some(d) = self.customized_recurring_days {
            o["customized_recurring_days"] = json!(d);
        }
        o
    }
}

/// The meeting's zone for expansion; unknown names are a parameter error.
pub(crate) fn zone(time_zone: Option<&str>) -> Result<Tz, ApiError> {
    match time_zone {
        None => Ok(chrono_tz::Asia::Shanghai),
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| bad("time_zone is not a known time zone")),
    }
}

fn weekday_bit(w: Weekday) -> i64 {
    1 << w.num_days_from_sunday()
}

/// 1-based week of the month a date falls in, counted in whole 7-day blocks (the 4th Monday
/// is in week 4).
fn week_of_month(d: NaiveDate) -> u32 {
    (d.day() - 1) / 7 + 1
}

fn add_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    let total = i64::from(d.year()) * 12 + i64::from(d.month0()) + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u32::try_from(total.rem_euclid(12)).ok()? + 1;
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn nth_weekday(month_start: NaiveDate, w: Weekday, n: u32) -> Option<NaiveDate> {
    let offset = (7 + w.num_days_from_sunday() - month_start.weekday().num_days_from_sunday()) % 7;
    let d = month_start + Duration::days(i64::from(offset + (n - 1) * 7));
    (d.month() == month_start.month()).then_some(d)
}

/// The dates of one period (in order), for period index `k`.
fn period_dates(rule: &Rule, first: NaiveDate, k: i64) -> Result<Vec<NaiveDate>, ApiError> {
    let step = rule.customized_recurring_step.unwrap_or(1);
    let days = rule.customized_recurring_days.unwrap_or(0);
    let shift = |d: i64| first.checked_add_signed(Duration::days(d));
    let out = match (rule.recurring_type, rule.customized_recurring_type) {
        (0, _) => shift(k).into_iter().collect(),
        (1, _) => shift(k)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .into_iter()
            .collect(),
        (2, _) => shift(7 * k).into_iter().collect(),
        (3, _) => shift(14 * k).into_iter().collect(),
        (4, _) => add_months(first, k)
            .and_then(|m| NaiveDate::from_ymd_opt(m.year(), m.month(), first.day()))
            .into_iter()
            .collect(),
        (5, Some(0)) => shift(step * k).into_iter().collect(),
        (5, Some(1)) => {
            let week_start =
                first - Duration::days(i64::from(first.weekday().num_days_from_sunday()));
            let base = week_start + Duration::days(7 * step * k);
            (0..7)
                .map(|i| base + Duration::days(i))
                .filter(|d| days & weekday_bit(d.weekday()) != 0)
                .collect()
        }
        (5, Some(2)) => {
            let Some(month) = add_months(first, step * k) else {
                return Ok(Vec::new());
            };
            // "only the weekday of the first meeting is supported" (note §3.2).
            (1..=5u32)
                .filter(|n| days & (1 << (6 + n)) != 0)
                .filter_map(|n| nth_weekday(month, first.weekday(), n))
                .collect()
        }
        (5, Some(3)) => {
            let Some(month) = add_months(first, step * k) else {
                return Ok(Vec::new());
            };
            (1..=31u32)
                .filter(|day| days & (1 << (day - 1)) != 0)
                .filter_map(|day| NaiveDate::from_ymd_opt(month.year(), month.month(), day))
                .collect()
        }
        _ => return Err(bad("recurring_rule: unknown recurring type")),
    };
    Ok(out)
}

/// "recurring_days no include firstStartTime" (note §3.2, the official example's message).
fn check_days_include_first(rule: &Rule, first: NaiveDate) -> Result<(), ApiError> {
    let days = rule.customized_recurring_days.unwrap_or(0);
    let ok = match rule.customized_recurring_type {
        Some(1) => days & weekday_bit(first.weekday()) != 0,
        Some(2) => {
            days & weekday_bit(first.weekday()) != 0
                && days & (1 << (6 + week_of_month(first))) != 0
        }
        Some(3) => days & (1 << (first.day() - 1)) != 0,
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(bad("recurring_days no include firstStartTime"))
    }
}

fn local_instant(tz: Tz, local: NaiveDateTime) -> Option<i64> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.timestamp()),
        LocalResult::Ambiguous(a, _) => Some(a.timestamp()),
        // In a DST gap: the same wall time an hour later.
        LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|t| t.timestamp()),
    }
}

/// Expand a rule from the first meeting (`start`..`end`, Unix seconds) in `tz`.
pub(crate) fn expand(
    rule: &Rule,
    start: i64,
    end: i64,
    tz: Tz,
) -> Result<Vec<Occurrence>, ApiError> {
    if rule.recurring_type == 5 {
        check_days_include_first(rule, local_date(start, tz)?)?;
    }
    let cap = rule.cap();
    if rule.until_type == 1 && !(1..=cap as i64).contains(&rule.until_count) {
        return Err(bad(format!("recurring_rule.until_count must be 1-{cap}")));
    }
    let local_start = tz
        .timestamp_opt(start, 0)
        .single()
        .ok_or_else(|| bad("start_time out of range"))?
        .naive_local();
    let first = local_start.date();
    let time = local_start.time();
    let length = end - start;
    let until = if rule.until_type == 0 {
        let d = local_date(rule.until_date, tz)?;
        if d < first {
            return Err(bad("recurring_rule.until_date is before the first meeting"));
        }
        Some(d)
    } else {
        None
    };
    let mut out: Vec<Occurrence> = Vec::new();
    'periods: for k in 0..MAX_PERIODS {
        for d in period_dates(rule, first, k)? {
            if d < first {
                continue;
            }
            if until.is_some_and(|u| d > u) {
                break 'periods;
            }
            let Some(s) = local_instant(tz, d.and_time(time)) else {
                continue;
            };
            out.push(Occurrence {
                sub_meeting_id: s.to_string(),
                start: s,
                end: s + length,
                deleted: false,
            });
            if rule.until_type == 1 && out.len() as i64 >= rule.until_count {
                break 'periods;
            }
            if out.len() > cap {
                return Err(bad(format!("recurring_rule: more than {cap} occurrences")));
            }
        }
    }
    if out.is_empty() {
        return Err(bad("recurring_rule produces no occurrence"));
    }
    Ok(out)
}

fn local_date(t: i64, tz: Tz) -> Result<NaiveDate, ApiError> {
    tz.timestamp_opt(t, 0)
        .single()
        .map(|t| t.date_naive())
        .ok_or_else(|| bad("time out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> Rule {
        let body = json!({ "recurring_rule": v });
        parse_request(body.as_object().unwrap())
            .unwrap()
            .unwrap()
            .rule(0)
            .unwrap()
    }

    fn sh(y: i32, m: u32, d: u32, h: u32) -> i64 {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .timestamp()
    }

    fn dates(occ: &[Occurrence]) -> Vec<String> {
        occ.iter()
            .map(|o| {
                chrono_tz::Asia::Shanghai
                    .timestamp_opt(o.start, 0)
                    .unwrap()
                    .format("%Y-%m-%d %a %H:%M")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn the_official_custom_examples() {
        let tz = chrono_tz::Asia::Shanghai;
        // Every 3 days x7, from Mon 2023-09-04 10:00.
        let s = sh(2023, 9, 4, 10);
        let r = rule(
            json!({"recurring_type":5,"until_type":1,"until_count":7,"customized_recurring_type":0,"customized_recurring_step":3}),
        );
        let o = expand(&r, s, s + 3600, tz).unwrap();
        assert_eq!(o.len(), 7);
        assert_eq!(o[1].start - o[0].start, 3 * 86_400);
        assert_eq!(o[0].sub_meeting_id, s.to_string());
        // Every 3 weeks on Mon+Tue (days 6).
        let r = rule(
            json!({"recurring_type":"5","until_type":1,"until_count":4,"customized_recurring_type":1,"customized_recurring_step":3,"customized_recurring_days":6}),
        );
        assert_eq!(
            dates(&expand(&r, s, s + 3600, tz).unwrap()),
            [
                "2023-09-04 Mon 10:00",
                "2023-09-05 Tue 10:00",
                "2023-09-25 Mon 10:00",
                "2023-09-26 Tue 10:00"
            ]
        );
        // Every 3 months, 4th-week Monday (1026), from Mon 2023-09-25 (4th Monday).
        let s = sh(2023, 9, 25, 10);
        let r = rule(
            json!({"recurring_type":5,"until_type":1,"until_count":3,"customized_recurring_type":2,"customized_recurring_step":3,"customized_recurring_days":1026}),
        );
        assert_eq!(
            dates(&expand(&r, s, s + 3600, tz).unwrap()),
            [
                "2023-09-25 Mon 10:00",
                "2023-12-25 Mon 10:00",
                "2024-03-25 Mon 10:00"
            ]
        );
        // Every 3 months on the 1st and 26th (33554433), from 2023-09-26.
        let s = sh(2023, 9, 26, 10);
        let r = rule(
            json!({"recurring_type":5,"until_type":1,"until_count":3,"customized_recurring_type":3,"customized_recurring_step":3,"customized_recurring_days":33554433}),
        );
        assert_eq!(
            dates(&expand(&r, s, s + 3600, tz).unwrap()),
            [
                "2023-09-26 Tue 10:00",
                "2023-12-01 Fri 10:00",
                "2023-12-26 Tue 10:00"
            ]
        );
        // Days that do not include the first meeting's date.
        let r = rule(
            json!({"recurring_type":5,"until_type":1,"until_count":3,"customized_recurring_type":3,"customized_recurring_step":1,"customized_recurring_days":1}),
        );
        let err = expand(&r, s, s + 3600, tz).unwrap_err();
        assert_eq!(err.code, 190004);
        assert_eq!(err.msg, "recurring_days no include firstStartTime");
    }

    #[test]
    fn plain_types_and_caps() {
        let tz = chrono_tz::Asia::Shanghai;
        let s = sh(2026, 12, 4, 9); // a Friday
        let weekdays = rule(json!({"recurring_type":1,"until_type":1,"until_count":3}));
        assert_eq!(
            dates(&expand(&weekdays, s, s + 1800, tz).unwrap()),
            [
                "2026-12-04 Fri 09:00",
                "2026-12-07 Mon 09:00",
                "2026-12-08 Tue 09:00"
            ]
        );
        let monthly =
            rule(json!({"recurring_type":4,"until_type":0,"until_date": sh(2027, 3, 4, 23)}));
        let s31 = sh(2026, 12, 31, 9);
        assert_eq!(
            dates(&expand(&monthly, s31, s31 + 1800, tz).unwrap()),
            ["2026-12-31 Thu 09:00", "2027-01-31 Sun 09:00"],
            "months without the 31st are skipped"
        );
        let biweekly = rule(json!({"recurring_type":3,"until_type":1,"until_count":51}));
        assert_eq!(expand(&biweekly, s, s + 1800, tz).unwrap_err().code, 190004);
        let daily = rule(json!({"recurring_type":0,"until_type":1,"until_count":200}));
        assert_eq!(expand(&daily, s, s + 1800, tz).unwrap().len(), 200);
        let too_long =
            rule(json!({"recurring_type":0,"until_type":0,"until_date": s + 250 * 86_400}));
        assert_eq!(expand(&too_long, s, s + 1800, tz).unwrap_err().code, 190004);
    }

    #[test]
    fn wall_time_is_kept_across_dst() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let s = tz
            .with_ymd_and_hms(2027, 3, 22, 9, 0, 0)
            .unwrap()
            .timestamp();
        let weekly = rule(json!({"recurring_type":2,"until_type":1,"until_count":2}));
        let o = expand(&weekly, s, s + 3600, tz).unwrap();
        assert_eq!(
            o[1].start - o[0].start,
            7 * 86_400 - 3600,
            "clocks go forward on 28 March"
        );
    }
}
