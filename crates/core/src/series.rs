//! Recurring series: a first start (DTSTART) as wall-clock time in an IANA zone, a length, an
//! RFC 5545 repeat rule, excluded dates (EXDATE) and per-occurrence changes, and their expansion
//! into occurrences. Nothing here knows a vendor: translating a series to a vendor's own
//! recurrence, or booking it occurrence by occurrence, builds on [`Series::expand`].
//!
//! Rule forms taken: `FREQ` DAILY, WEEKLY, MONTHLY or YEARLY; `INTERVAL`; `BYDAY`, with
//! ordinals (`-1FR`) in MONTHLY and YEARLY rules; `BYMONTHDAY`, negative counting from the
//! month's end; `BYSETPOS`; `COUNT` or `UNTIL` (UTC, as RFC 5545 requires when DTSTART has a
//! zone); `WKST`. Every other part (sub-daily frequencies, `BYHOUR`, `BYMONTH`, ...) is refused
//! with a [`FieldErrorCode`] rather than dropped.
//!
//! Expansion:
//! - The calendar arithmetic is the `rrule` crate's, run on the *nominal* wall-clock times (in
//!   a floating UTC frame, where no day is longer or shorter than another); each nominal time is
//!   then placed in the series' zone by [`resolve_local`]. So 09:30 stays 09:30 local across
//!   daylight-saving changes, and the crate's own zone handling (which drops an occurrence when
//!   both it and midnight fall in a gap) is never used.
//! - A nominal time skipped by a spring-forward change is placed as RFC 5545 §3.3.10 says for
//!   computed instances that do not exist ("interpreted in the same manner as an explicit
//!   DATE-TIME value", §3.3.5): with the UTC offset before the gap, so 02:30 on the New York
//!   change day becomes 03:30 EDT. It is kept and counted, not skipped. A time repeated by a
//!   fall-back change is its first occurrence (01:30 EDT, not EST). The first start itself must
//!   exist: a skipped DTSTART is refused like a skipped start on the booking form.
//! - Invalid dates (February 30, the 31st of a 30-day month) are no occurrence and are not
//!   counted (§3.3.10), so `BYMONTHDAY=31` skips short months.
//! - The first start is always the first occurrence and counts toward `COUNT` (RFC 5545
//!   §3.3.10, §3.8.5.1), even when the rule does not match it: "weekly on Monday and Wednesday"
//!   from Sunday the 1st has Sunday the 1st, then Monday the 2nd, ... The RFC calls such a set
//!   undefined and the `rrule` crate (like python-dateutil) leaves the start out, so this is
//!   done here, and [`Expansion::start_matches_rule`] says when it happened (a vendor that
//!   generates occurrences from the rule alone would not have that first one). The RFC's own
//!   "every Friday the 13th" example removes such a start with an EXDATE.
//! - Bounded: at most [`MAX_OCCURRENCES`], and `truncated` says when more exist.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, FieldErrorCode};
use crate::i18n::Lang;

/// The most occurrences one expansion returns (and the most a `COUNT` may ask for). An
/// unbounded rule, or one that goes on past this, comes back with `truncated`.
pub const MAX_OCCURRENCES: usize = 1000;
/// The largest `INTERVAL` taken.
pub const MAX_INTERVAL: u32 = 999;
/// The longest occurrence, in minutes. Vendor limits are checked later, against capabilities.
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;

/// How often the rule repeats. Sub-daily frequencies are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// A day of the week, as RFC 5545 spells it (`MO` .. `SU`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
pub enum Weekday {
    #[default]
    #[serde(rename = "MO")]
    Mo,
    #[serde(rename = "TU")]
    Tu,
    #[serde(rename = "WE")]
    We,
    #[serde(rename = "TH")]
    Th,
    #[serde(rename = "FR")]
    Fr,
    #[serde(rename = "SA")]
    Sa,
    #[serde(rename = "SU")]
    Su,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mo,
        Weekday::Tu,
        Weekday::We,
        Weekday::Th,
        Weekday::Fr,
        Weekday::Sa,
        Weekday::Su,
    ];

    pub fn code(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self as usize]
    }

    pub fn parse(s: &str) -> Option<Weekday> {
        let s = s.trim().to_ascii_uppercase();
        Weekday::ALL.into_iter().find(|d| d.code() == s)
    }

    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mo => chrono::Weekday::Mon,
            Weekday::Tu => chrono::Weekday::Tue,
            Weekday::We => chrono::Weekday::Wed,
            Weekday::Th => chrono::Weekday::Thu,
            Weekday::Fr => chrono::Weekday::Fri,
            Weekday::Sa => chrono::Weekday::Sat,
            Weekday::Su => chrono::Weekday::Sun,
        }
    }

    pub fn from_chrono(d: chrono::Weekday) -> Weekday {
        Weekday::ALL[d.num_days_from_monday() as usize]
    }
}

/// One `BYDAY` entry: a weekday, with an ordinal in MONTHLY and YEARLY rules (`-1FR`: the last
/// Friday of the month; `2TU`: the second Tuesday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct ByDay {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ordinal: Option<i8>,
    pub weekday: Weekday,
}

impl ByDay {
    pub fn every(weekday: Weekday) -> ByDay {
        ByDay {
            ordinal: None,
            weekday,
        }
    }

    pub fn nth(ordinal: i8, weekday: Weekday) -> ByDay {
        ByDay {
            ordinal: Some(ordinal),
            weekday,
        }
    }
}

impl fmt::Display for ByDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ordinal {
            Some(n) => write!(f, "{n}{}", self.weekday.code()),
            None => f.write_str(self.weekday.code()),
        }
    }
}

/// Where a series stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleEnd {
    /// No end: expansions of it are always truncated.
    #[default]
    Never,
    /// This many occurrences of the rule (excluded dates count, RFC 5545 §3.8.5.1).
    Count { count: u32 },
    /// The last occurrence starts at or before this instant (inclusive).
    Until { until: DateTime<Utc> },
}

/// An RFC 5545 repeat rule in the forms Huiyi takes (see the module docs). Parse one with
/// [`SeriesRule::parse`]; `Display` writes it back in canonical RRULE form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SeriesRule {
    pub freq: Frequency,
    #[serde(default = "one")]
    pub interval: u32,
    #[serde(default)]
    pub by_day: Vec<ByDay>,
    /// Days of the month, 1..31 or -31..-1 (from the end: -1 is the last day).
    #[serde(default)]
    pub by_month_day: Vec<i8>,
    /// Picks among the days the other BY parts give in each period: 1 the first, -1 the last.
    #[serde(default)]
    pub by_set_pos: Vec<i16>,
    #[serde(default)]
    pub end: RuleEnd,
    #[serde(default)]
    pub week_start: Weekday,
}

fn one() -> u32 {
    1
}

const RULE_FIELD: &str = "rrule";

fn rule_error(code: FieldErrorCode) -> FieldError {
    FieldError::new(RULE_FIELD, code)
}

fn syntax(part: &str) -> FieldError {
    rule_error(FieldErrorCode::RuleSyntax {
        part: part.to_string(),
    })
}

fn out_of_range(part: String, min: i32, max: i32) -> FieldError {
    rule_error(FieldErrorCode::RuleValueOutOfRange { part, min, max })
}

/// `20261231T235959Z`.
fn parse_until(value: &str) -> Result<DateTime<Utc>, FieldErrorCode> {
    let v = value.trim().to_ascii_uppercase();
    if let Some(utc) = v.strip_suffix('Z') {
        if let Ok(t) = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S") {
            return Ok(t.and_utc());
        }
    } else if NaiveDateTime::parse_from_str(&v, "%Y%m%dT%H%M%S").is_ok()
        || chrono::NaiveDate::parse_from_str(&v, "%Y%m%d").is_ok()
    {
        return Err(FieldErrorCode::UntilNotUtc);
    }
    Err(FieldErrorCode::RuleSyntax {
        part: format!("UNTIL={value}"),
    })
}

fn parse_int_list(
    name: &str,
    value: &str,
    min: i32,
    max: i32,
    errors: &mut Vec<FieldError>,
) -> Vec<i32> {
    let mut out = Vec::new();
    for item in value.split(',') {
        let item = item.trim();
        match item.strip_prefix('+').unwrap_or(item).parse::<i32>() {
            Ok(n) if n != 0 && (min..=max).contains(&n) => out.push(n),
            Ok(_) => errors.push(out_of_range(format!("{name}={item}"), min, max)),
            Err(_) => errors.push(syntax(&format!("{name}={item}"))),
        }
    }
    out
}

fn parse_by_day(item: &str) -> Result<ByDay, FieldError> {
    let item = item.trim();
    let upper = item.to_ascii_uppercase();
    if upper.len() < 2 || !upper.is_char_boundary(upper.len() - 2) {
        return Err(syntax(&format!("BYDAY={item}")));
    }
    let (num, day) = upper.split_at(upper.len() - 2);
    let weekday = Weekday::parse(day).ok_or_else(|| syntax(&format!("BYDAY={item}")))?;
    if num.is_empty() {
        return Ok(ByDay::every(weekday));
    }
    let n: i32 = num
        .strip_prefix('+')
        .unwrap_or(num)
        .parse()
        .map_err(|_| syntax(&format!("BYDAY={item}")))?;
    match i8::try_from(n) {
        Ok(n) if n != 0 && (-53..=53).contains(&n) => Ok(ByDay::nth(n, weekday)),
        _ => Err(out_of_range(format!("BYDAY={item}"), -53, 53)),
    }
}

impl SeriesRule {
    /// A rule that repeats with `freq` and nothing else (every day, every week on DTSTART's
    /// weekday, ...), without end.
    pub fn new(freq: Frequency) -> SeriesRule {
        SeriesRule {
            freq,
            interval: 1,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_set_pos: Vec::new(),
            end: RuleEnd::Never,
            week_start: Weekday::Mo,
        }
    }

    /// Reads an RRULE value such as `FREQ=MONTHLY;BYDAY=-1FR;COUNT=12` (an `RRULE:` prefix is
    /// allowed; names and values are case-insensitive). Every problem is reported, on the field
    /// `rrule`.
    pub fn parse(text: &str) -> Result<SeriesRule, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut body = text.trim();
        if body
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("RRULE:"))
        {
            body = body[6..].trim();
        }
        if body.is_empty() {
            return Err(vec![rule_error(FieldErrorCode::Required)]);
        }
        let mut seen: Vec<String> = Vec::new();
        let mut freq: Option<Frequency> = None;
        let mut rule = SeriesRule::new(Frequency::Daily);
        let mut count: Option<u32> = None;
        let mut until: Option<DateTime<Utc>> = None;
        for raw in body.split(';') {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let Some((name, value)) = raw.split_once('=') else {
                errors.push(syntax(raw));
                continue;
            };
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim();
            if seen.contains(&name) {
                errors.push(rule_error(FieldErrorCode::RulePartRepeated { part: name }));
                continue;
            }
            seen.push(name.clone());
            match name.as_str() {
                "FREQ" => match value.to_ascii_uppercase().as_str() {
                    "DAILY" => freq = Some(Frequency::Daily),
                    "WEEKLY" => freq = Some(Frequency::Weekly),
                    "MONTHLY" => freq = Some(Frequency::Monthly),
                    "YEARLY" => freq = Some(Frequency::Yearly),
                    f @ ("SECONDLY" | "MINUTELY" | "HOURLY") => {
                        errors.push(rule_error(FieldErrorCode::RuleUnsupported {
                            part: format!("FREQ={f}"),
                        }))
                    }
                    _ => errors.push(syntax(raw)),
                },
                "INTERVAL" => match value.parse::<u32>() {
                    Ok(n) => rule.interval = n,
                    Err(_) => errors.push(syntax(raw)),
                },
                "COUNT" => match value.parse::<u32>() {
                    Ok(n) => count = Some(n),
                    Err(_) => errors.push(syntax(raw)),
                },
                "UNTIL" => match parse_until(value) {
                    Ok(t) => until = Some(t),
                    Err(code) => errors.push(rule_error(code)),
                },
                "BYDAY" => {
                    for item in value.split(',') {
                        match parse_by_day(item) {
                            Ok(d) => rule.by_day.push(d),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = parse_int_list(&name, value, -31, 31, &mut errors)
                        .into_iter()
                        .map(|n| n as i8)
                        .collect()
                }
                "BYSETPOS" => {
                    rule.by_set_pos = parse_int_list(&name, value, -366, 366, &mut errors)
                        .into_iter()
                        .map(|n| n as i16)
                        .collect()
                }
                "WKST" => match Weekday::parse(value) {
                    Some(d) => rule.week_start = d,
                    None => errors.push(syntax(raw)),
                },
                "BYSECOND" | "BYMINUTE" | "BYHOUR" | "BYMONTH" | "BYYEARDAY" | "BYWEEKNO"
                | "RSCALE" | "SKIP" => {
                    errors.push(rule_error(FieldErrorCode::RuleUnsupported { part: name }))
                }
                _ => errors.push(syntax(raw)),
            }
        }
        match (count, until) {
            (Some(_), Some(_)) => errors.push(rule_error(FieldErrorCode::RuleCountAndUntil)),
            (Some(count), None) => rule.end = RuleEnd::Count { count },
            (None, Some(until)) => rule.end = RuleEnd::Until { until },
            (None, None) => {}
        }
        match freq {
            Some(f) => rule.freq = f,
            None if !seen.iter().any(|n| n == "FREQ") => {
                errors.push(rule_error(FieldErrorCode::RuleMissingFreq))
            }
            None => {}
        }
        if freq.is_some() {
            errors.extend(rule.problems());
        }
        if errors.is_empty() {
            Ok(rule)
        } else {
            Err(errors)
        }
    }

    /// What is wrong with this rule as RFC 5545 and Huiyi read it (ranges, and parts that do not
    /// go with the frequency); empty when it is fine. [`SeriesRule::parse`] and
    /// [`Series::expand`] both check this, so a rule built in code or read from JSON is held to
    /// the same rules as a typed one.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let freq = self.freq.as_str();
        if !(1..=MAX_INTERVAL).contains(&self.interval) {
            errors.push(out_of_range(
                format!("INTERVAL={}", self.interval),
                1,
                MAX_INTERVAL as i32,
            ));
        }
        if let RuleEnd::Count { count } = self.end {
            if count == 0 || count as usize > MAX_OCCURRENCES {
                errors.push(out_of_range(
                    format!("COUNT={count}"),
                    1,
                    MAX_OCCURRENCES as i32,
                ));
            }
        }
        for d in &self.by_day {
            let Some(n) = d.ordinal else { continue };
            let part = format!("BYDAY={d}");
            match self.freq {
                Frequency::Daily | Frequency::Weekly => {
                    errors.push(rule_error(FieldErrorCode::RulePartNotWithFreq {
                        part,
                        freq: freq.into(),
                    }))
                }
                Frequency::Monthly if n == 0 || !(-5..=5).contains(&n) => {
                    errors.push(out_of_range(part, -5, 5))
                }
                Frequency::Yearly if n == 0 || !(-53..=53).contains(&n) => {
                    errors.push(out_of_range(part, -53, 53))
                }
                _ => {}
            }
        }
        if !self.by_month_day.is_empty() && self.freq == Frequency::Weekly {
            errors.push(rule_error(FieldErrorCode::RulePartNotWithFreq {
                part: "BYMONTHDAY".into(),
                freq: freq.into(),
            }));
        }
        for &d in &self.by_month_day {
            if d == 0 || !(-31..=31).contains(&d) {
                errors.push(out_of_range(format!("BYMONTHDAY={d}"), -31, 31));
            }
        }
        for &p in &self.by_set_pos {
            if p == 0 || !(-366..=366).contains(&p) {
                errors.push(out_of_range(format!("BYSETPOS={p}"), -366, 366));
            }
        }
        if !self.by_set_pos.is_empty() && self.by_day.is_empty() && self.by_month_day.is_empty() {
            errors.push(rule_error(FieldErrorCode::RuleSetPosAlone));
        }
        errors
    }

    /// The rule in the `rrule` crate's terms, for nominal expansion from `dt_start`.
    fn to_rrule(&self) -> rrule::RRule<rrule::Unvalidated> {
        let mut r = rrule::RRule::new(match self.freq {
            Frequency::Daily => rrule::Frequency::Daily,
            Frequency::Weekly => rrule::Frequency::Weekly,
            Frequency::Monthly => rrule::Frequency::Monthly,
            Frequency::Yearly => rrule::Frequency::Yearly,
        })
        .interval(self.interval as u16)
        .week_start(self.week_start.to_chrono());
        if !self.by_day.is_empty() {
            r = r.by_weekday(
                self.by_day
                    .iter()
                    .map(|d| match d.ordinal {
                        Some(n) => rrule::NWeekday::Nth(i16::from(n), d.weekday.to_chrono()),
                        None => rrule::NWeekday::Every(d.weekday.to_chrono()),
                    })
                    .collect(),
            );
        }
        if !self.by_month_day.is_empty() {
            r = r.by_month_day(self.by_month_day.clone());
        }
        if !self.by_set_pos.is_empty() {
            r = r.by_set_pos(self.by_set_pos.iter().map(|&p| i32::from(p)).collect());
        }
        if let RuleEnd::Count { count } = self.end {
            r = r.count(count);
        }
        r
    }

    /// The rule in words, in `lang`, with the time of `start` and the zone named:
    /// "每月最后一个星期五 09:30（上海时间），共 12 次" / "Last Friday of every month at 09:30
    /// (Shanghai time), 12 times". A rule shape without words of its own is quoted as RRULE.
    pub fn summary(&self, start: NaiveDateTime, zone: &str, lang: Lang) -> String {
        let time = start.format("%H:%M");
        let tz: Option<Tz> = zone.parse().ok();
        let end = match (self.end, lang) {
            (RuleEnd::Never, Lang::Zh) => "，不设结束日期".to_string(),
            (RuleEnd::Never, Lang::En) => ", no end date".to_string(),
            (RuleEnd::Count { count }, Lang::Zh) => format!("，共 {count} 次"),
            (RuleEnd::Count { count: 1 }, Lang::En) => ", once".to_string(),
            (RuleEnd::Count { count }, Lang::En) => format!(", {count} times"),
            (RuleEnd::Until { until }, lang) => {
                let day = match tz {
                    Some(tz) => until.with_timezone(&tz).format("%Y-%m-%d").to_string(),
                    None => until.format("%Y-%m-%d").to_string(),
                };
                match lang {
                    Lang::Zh => format!("，直到 {day}"),
                    Lang::En => format!(", until {day}"),
                }
            }
        };
        let zone = zone_words(zone, lang);
        match (self.pattern_words(start, lang), lang) {
            // No space after a closing full-width bracket.
            (Some(p), Lang::Zh) if p.ends_with('）') => format!("{p}{time}{zone}{end}"),
            (Some(p), Lang::Zh) => format!("{p} {time}{zone}{end}"),
            (Some(p), Lang::En) => format!("{p} at {time} {zone}{end}"),
            (None, Lang::Zh) => format!("按规则 {self} 重复，每次 {time}{zone}{end}"),
            (None, Lang::En) => format!("Repeats by the rule {self}, at {time} {zone}{end}"),
        }
    }

    /// "Last Friday of every month" / "每月最后一个星期五", when the shape has words.
    fn pattern_words(&self, start: NaiveDateTime, lang: Lang) -> Option<String> {
        let n = self.interval;
        let plain_days = !self.by_day.is_empty() && self.by_day.iter().all(|d| d.ordinal.is_none());
        let nth_days = !self.by_day.is_empty() && self.by_day.iter().all(|d| d.ordinal.is_some());
        let no_month_days = self.by_month_day.is_empty();
        let no_set_pos = self.by_set_pos.is_empty();
        let zh = lang == Lang::Zh;
        match self.freq {
            Frequency::Daily if self.by_day.is_empty() && no_month_days && no_set_pos => {
                Some(match (zh, n) {
                    (true, 1) => "每天".into(),
                    (true, n) => format!("每 {n} 天"),
                    (false, 1) => "Every day".into(),
                    (false, n) => format!("Every {n} days"),
                })
            }
            Frequency::Daily if plain_days && no_month_days && no_set_pos && n == 1 => {
                Some(every_days(&self.by_day, lang))
            }
            Frequency::Weekly if no_set_pos && (plain_days || self.by_day.is_empty()) => {
                let days = if self.by_day.is_empty() {
                    vec![ByDay::every(Weekday::from_chrono(start.weekday()))]
                } else {
                    self.by_day.clone()
                };
                if n == 1 {
                    return Some(every_days(&days, lang));
                }
                let names: Vec<String> = sorted_weekdays(&days)
                    .into_iter()
                    .map(|d| weekday_name(d, lang, true).to_string())
                    .collect();
                let wkst = if self.week_start != Weekday::Mo && days.len() > 1 {
                    match lang {
                        Lang::Zh => format!(
                            "（每周从{}算起）",
                            weekday_name(self.week_start, lang, true)
                        ),
                        Lang::En => format!(
                            " (weeks starting on {})",
                            weekday_name(self.week_start, lang, true)
                        ),
                    }
                } else {
                    String::new()
                };
                Some(match lang {
                    Lang::Zh => format!("每 {n} 周的{}{wkst}", names.join("、")),
                    Lang::En => format!("Every {n} weeks on {}{wkst}", join_en(&names)),
                })
            }
            Frequency::Monthly => {
                let every = match (zh, n) {
                    (true, 1) => "每月".to_string(),
                    (true, n) => format!("每 {n} 个月的"),
                    (false, 1) => "of every month".to_string(),
                    (false, n) => format!("of every {n} months"),
                };
                let items: Vec<String> = if self.by_day.is_empty() && no_set_pos {
                    let days = if no_month_days {
                        vec![start.day() as i8]
                    } else {
                        self.by_month_day.clone()
                    };
                    days.into_iter().map(|d| month_day_words(d, lang)).collect()
                } else if nth_days && no_month_days && no_set_pos {
                    self.by_day
                        .iter()
                        .map(|d| nth_weekday_words(d.ordinal.unwrap_or(1), d.weekday, lang))
                        .collect()
                } else if plain_days && no_month_days && self.by_set_pos.len() == 1 {
                    let pos = self.by_set_pos[0];
                    let days = sorted_weekdays(&self.by_day);
                    if days == WORKDAYS {
                        vec![nth_words(pos, lang, "工作日", "weekday")]
                    } else if days.len() == 1 {
                        vec![nth_weekday_words(pos as i8, days[0], lang)]
                    } else {
                        return None;
                    }
                } else if plain_days && no_month_days && no_set_pos && n == 1 {
                    return Some(every_days(&self.by_day, lang));
                } else {
                    return None;
                };
                Some(match lang {
                    // Numbers stand apart from Chinese text, as in the other messages.
                    Lang::Zh if items[0].starts_with(|c: char| c.is_ascii_digit()) => {
                        format!("{every} {}", items.join("和"))
                    }
                    Lang::Zh => format!("{every}{}", items.join("和")),
                    Lang::En => capitalize(&format!("{} {every}", join_en(&items))),
                })
            }
            Frequency::Yearly if self.by_day.is_empty() && no_month_days && no_set_pos => {
                let (m, d) = (start.month(), start.day());
                Some(match (lang, n) {
                    (Lang::Zh, 1) => format!("每年 {m} 月 {d} 日"),
                    (Lang::Zh, n) => format!("每 {n} 年的 {m} 月 {d} 日"),
                    (Lang::En, 1) => format!("Every year on {} {d}", month_name(m)),
                    (Lang::En, n) => format!("Every {n} years on {} {d}", month_name(m)),
                })
            }
            _ => None,
        }
    }
}

const WORKDAYS: [Weekday; 5] = [
    Weekday::Mo,
    Weekday::Tu,
    Weekday::We,
    Weekday::Th,
    Weekday::Fr,
];

fn sorted_weekdays(days: &[ByDay]) -> Vec<Weekday> {
    let mut v: Vec<Weekday> = days.iter().map(|d| d.weekday).collect();
    v.sort();
    v.dedup();
    v
}

fn weekday_name(d: Weekday, lang: Lang, short: bool) -> &'static str {
    let i = d as usize;
    match (lang, short) {
        (Lang::Zh, true) => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        (Lang::Zh, false) => [
            "星期一",
            "星期二",
            "星期三",
            "星期四",
            "星期五",
            "星期六",
            "星期日",
        ][i],
        (Lang::En, _) => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][i],
    }
}

fn month_name(m: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(m as usize).clamp(1, 12) - 1]
}

fn join_en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Every Monday and Wednesday" / "每周一、周三"; Monday to Friday as workdays.
fn every_days(days: &[ByDay], lang: Lang) -> String {
    let days = sorted_weekdays(days);
    if days == WORKDAYS {
        return lang
            .pick(
                "每个工作日（周一至周五）",
                "Every weekday (Monday to Friday)",
            )
            .into();
    }
    match lang {
        Lang::Zh => format!(
            "每{}",
            days.iter()
                .map(|&d| weekday_name(d, lang, true))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Lang::En => format!(
            "Every {}",
            join_en(
                &days
                    .iter()
                    .map(|&d| weekday_name(d, lang, true).to_string())
                    .collect::<Vec<_>>()
            )
        ),
    }
}

fn ordinal_en(n: u32) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        n => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

fn ordinal_zh(n: u32) -> String {
    match n {
        1..=9 => ["一", "二", "三", "四", "五", "六", "七", "八", "九"][n as usize - 1].into(),
        n => format!(" {n} "),
    }
}

/// "last weekday" / "最后一个工作日", "second Tuesday" / "第二个星期二".
fn nth_words(n: i16, lang: Lang, zh_what: &str, en_what: &str) -> String {
    let k = n.unsigned_abs() as u32;
    match (lang, n > 0) {
        (Lang::Zh, true) => format!("第{}个{zh_what}", ordinal_zh(k)),
        (Lang::Zh, false) if k == 1 => format!("最后一个{zh_what}"),
        (Lang::Zh, false) => format!("倒数第{}个{zh_what}", ordinal_zh(k)),
        (Lang::En, true) => format!("{} {en_what}", ordinal_en(k)),
        (Lang::En, false) if k == 1 => format!("last {en_what}"),
        (Lang::En, false) => format!("{}-to-last {en_what}", ordinal_en(k)),
    }
}

pub(crate) fn nth_weekday_words(n: i8, d: Weekday, lang: Lang) -> String {
    nth_words(
        i16::from(n),
        lang,
        weekday_name(d, Lang::Zh, false),
        weekday_name(d, Lang::En, false),
    )
}

/// "day 15" / "15 日", "the last day" / "最后一天", "the 2nd-to-last day" / "倒数第 2 天".
fn month_day_words(d: i8, lang: Lang) -> String {
    match (lang, d) {
        (Lang::Zh, -1) => "最后一天".into(),
        (Lang::Zh, d) if d < 0 => format!("倒数第 {} 天", -i32::from(d)),
        (Lang::Zh, d) => format!("{d} 日"),
        (Lang::En, -1) => "the last day".into(),
        (Lang::En, d) if d < 0 => {
            format!("the {}-to-last day", ordinal_en(d.unsigned_abs().into()))
        }
        (Lang::En, d) => format!("day {d}"),
    }
}

/// "(Shanghai time)" / "（上海时间）".
fn zone_words(zone: &str, lang: Lang) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("Asia/Shanghai", "上海"),
        ("Asia/Chongqing", "重庆"),
        ("Asia/Urumqi", "乌鲁木齐"),
        ("Asia/Hong_Kong", "香港"),
        ("Asia/Macau", "澳门"),
        ("Asia/Taipei", "台北"),
        ("Asia/Tokyo", "东京"),
        ("Asia/Seoul", "首尔"),
        ("Asia/Singapore", "新加坡"),
        ("Asia/Kolkata", "加尔各答"),
        ("Asia/Dubai", "迪拜"),
        ("Europe/London", "伦敦"),
        ("Europe/Paris", "巴黎"),
        ("Europe/Berlin", "柏林"),
        ("Europe/Moscow", "莫斯科"),
        ("America/New_York", "纽约"),
        ("America/Chicago", "芝加哥"),
        ("America/Denver", "丹佛"),
        ("America/Los_Angeles", "洛杉矶"),
        ("America/Toronto", "多伦多"),
        ("America/Sao_Paulo", "圣保罗"),
        ("Australia/Sydney", "悉尼"),
    ];
    let zone = zone.trim();
    if matches!(
        zone,
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal"
    ) {
        return lang.pick("（UTC）", "(UTC)").into();
    }
    match lang {
        Lang::Zh => match NAMES.iter().find(|(z, _)| *z == zone) {
            Some((_, name)) => format!("（{name}时间）"),
            None => format!("（{zone} 时间）"),
        },
        Lang::En => {
            let city = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
            format!("({city} time)")
        }
    }
}

impl fmt::Display for SeriesRule {
    /// Canonical RRULE text: `FREQ=...;INTERVAL=...;BYDAY=...;BYMONTHDAY=...;BYSETPOS=...;`
    /// `COUNT=...|UNTIL=...;WKST=...`, defaults left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FREQ={}", self.freq.as_str())?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self.by_day.iter().map(ToString::to_string).collect();
            write!(f, ";BYDAY={}", days.join(","))?;
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self.by_month_day.iter().map(ToString::to_string).collect();
            write!(f, ";BYMONTHDAY={}", days.join(","))?;
        }
        if !self.by_set_pos.is_empty() {
            let pos: Vec<String> = self.by_set_pos.iter().map(ToString::to_string).collect();
            write!(f, ";BYSETPOS={}", pos.join(","))?;
        }
        match self.end {
            RuleEnd::Never => {}
            RuleEnd::Count { count } => write!(f, ";COUNT={count}")?,
            RuleEnd::Until { until } => write!(f, ";UNTIL={}", until.format("%Y%m%dT%H%M%SZ"))?,
        }
        if self.week_start != Weekday::Mo {
            write!(f, ";WKST={}", self.week_start.code())?;
        }
        Ok(())
    }
}

/// A change to one occurrence, named by the start it was first planned for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OccurrenceOverride {
    /// The occurrence's original start, wall-clock time in the series' zone (RFC 5545
    /// RECURRENCE-ID). A time skipped by a DST change names the occurrence placed after it.
    pub original_start: NaiveDateTime,
    /// Moved: its new start, wall-clock time in the series' zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub start: Option<NaiveDateTime>,
    /// Moved: its new length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_minutes: Option<u32>,
    /// Retitled: its own subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subject: Option<String>,
    /// Cancelled: it stays in the expansion, marked, so whatever was booked for it can be
    /// cancelled too (an EXDATE instead means it never was part of the series).
    #[serde(default)]
    pub cancelled: bool,
}

impl OccurrenceOverride {
    /// An override of `original_start` that changes nothing yet.
    pub fn of(original_start: NaiveDateTime) -> OccurrenceOverride {
        OccurrenceOverride {
            original_start,
            start: None,
            duration_minutes: None,
            subject: None,
            cancelled: false,
        }
    }
}

/// A recurring series as the person defined it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Series {
    #[serde(default)]
    pub subject: String,
    /// The first start (DTSTART), wall-clock time in `zone`.
    pub start: NaiveDateTime,
    /// IANA time zone the series keeps its wall-clock times in.
    pub zone: String,
    pub duration_minutes: u32,
    pub rule: SeriesRule,
    /// Occurrences left out (EXDATE), by their start, wall-clock time in `zone`.
    #[serde(default)]
    pub exdates: Vec<NaiveDateTime>,
    #[serde(default)]
    pub overrides: Vec<OccurrenceOverride>,
}

/// One meeting of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Occurrence {
    /// Where the rule puts it: the key of this occurrence (RECURRENCE-ID) whatever its
    /// overrides say.
    pub original_start: DateTime<FixedOffset>,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub subject: String,
    /// Its start or length differs from the rule's.
    pub moved: bool,
    /// It has a subject of its own.
    pub retitled: bool,
    pub cancelled: bool,
}

/// A series' occurrences, sorted by start, and whether more exist past them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Expansion {
    pub occurrences: Vec<Occurrence>,
    /// More occurrences exist than were returned (always so for a rule without end).
    pub truncated: bool,
    /// The rule itself gives the first start. When false the first start is still the first
    /// occurrence (RFC 5545), but the rule alone would not produce it.
    pub start_matches_rule: bool,
}

/// Wall-clock time in `zone` to a point in time, the way RFC 5545 §3.3.5 reads a DATE-TIME
/// with TZID: a time repeated by a fall-back change is its first occurrence; a time skipped by
/// a spring-forward change is read with the UTC offset before the gap (New York 02:30 on the
/// change day is 03:30 EDT).
pub fn resolve_local(local: NaiveDateTime, zone: Tz) -> DateTime<Tz> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(first, _) => first,
        LocalResult::None => {
            // The last wall-clock minute before the gap carries the offset before it. No tzdata
            // gap is longer than a day (Samoa, 2011-12-30).
            let mut probe = local;
            for _ in 0..(48 * 60) {
                probe -= Duration::minutes(1);
                if let Some(before) = zone.from_local_datetime(&probe).latest() {
                    let offset = before.offset().fix().local_minus_utc();
                    return zone.from_utc_datetime(&(local - Duration::seconds(offset.into())));
                }
            }
            zone.from_utc_datetime(&local)
        }
    }
}

/// What the rule gives from `start`.
struct Instances {
    /// The first start, then the rule's occurrences after it (nominal wall-clock times placed
    /// in the zone), at most `max`.
    all: Vec<DateTime<Tz>>,
    /// The rule ended before `max`.
    complete: bool,
    /// The rule gives the first start itself.
    start_matches_rule: bool,
    /// The rule gives no occurrence at all (not even a matching first start).
    rule_empty: bool,
}

fn rule_instances(
    rule: &SeriesRule,
    start: NaiveDateTime,
    zone: Tz,
    max: usize,
) -> Result<Instances, FieldError> {
    // Floating frame: the crate does calendar arithmetic only; zones are applied after.
    let floating = rrule::Tz::UTC.from_utc_datetime(&start);
    let set = rule
        .to_rrule()
        .build(floating)
        .map_err(|e| syntax(&e.to_string()))?
        // The crate's guard against rules that never match: it stops after 100 000 periods
        // without an occurrence.
        .limit();
    let until = match rule.end {
        RuleEnd::Until { until } => Some(until),
        _ => None,
    };
    let first = resolve_local(start, zone);
    let mut out = vec![first];
    let mut start_matches_rule = false;
    let mut rule_empty = true;
    let mut complete = true;
    for nominal in &set {
        let at = resolve_local(nominal.naive_utc(), zone);
        if until.is_some_and(|u| at.with_timezone(&Utc) > u) {
            break;
        }
        rule_empty = false;
        if at == first {
            start_matches_rule = true;
            continue;
        }
        if out.len() >= max {
            complete = false;
            break;
        }
        out.push(at);
    }
    if let RuleEnd::Count { count } = rule.end {
        // The crate counted the rule's own occurrences; a first start off the rule counts too.
        out.truncate(count as usize);
        complete = true;
    }
    Ok(Instances {
        all: out,
        complete,
        start_matches_rule,
        rule_empty,
    })
}

fn check_duration(field: String, minutes: u32, errors: &mut Vec<FieldError>) {
    if !(1..=MAX_DURATION_MINUTES).contains(&minutes) {
        errors.push(FieldError::new(
            field,
            FieldErrorCode::DurationOutOfRange {
                min: 1,
                max: MAX_DURATION_MINUTES,
            },
        ));
    }
}

impl Series {
    /// The series' zone, if it names one.
    pub fn tz(&self) -> Option<Tz> {
        self.zone.trim().parse().ok()
    }

    /// Every problem with the series ([`Series::expand`] without the occurrences).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        self.expand(0).map(|_| ())
    }

    /// The rule in words; see [`SeriesRule::summary`].
    pub fn summary(&self, lang: Lang) -> String {
        self.rule.summary(self.start, self.zone.trim(), lang)
    }

    /// The first `limit` occurrences (at most [`MAX_OCCURRENCES`]) after EXDATEs, with their
    /// overrides applied, sorted by start; `truncated` when more follow. Which occurrences are
    /// taken is decided by original start, so a moved one stays in the window it came from.
    ///
    /// Errors name the field: `zone`, `start`, `duration_minutes`, `rrule`, `exdates.N`,
    /// `overrides.N.original_start`, `overrides.N.start`, ... Excluded dates and overrides must
    /// name an occurrence (checked among the first [`MAX_OCCURRENCES`]; later ones are taken
    /// on trust); an override of an excluded date is refused (RFC 5545 says not to).
    pub fn expand(&self, limit: usize) -> Result<Expansion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let zone = if self.zone.trim().is_empty() {
            errors.push(FieldError::new("zone", FieldErrorCode::Required));
            None
        } else {
            let z = self.tz();
            if z.is_none() {
                errors.push(FieldError::new("zone", FieldErrorCode::UnknownZone));
            }
            z
        };
        check_duration(
            "duration_minutes".into(),
            self.duration_minutes,
            &mut errors,
        );
        errors.extend(self.rule.problems());
        if let Some(zone) = zone {
            if zone.from_local_datetime(&self.start).earliest().is_none() {
                errors.push(FieldError::new(
                    "start",
                    FieldErrorCode::NonexistentLocalTime,
                ));
            }
            for (i, o) in self.overrides.iter().enumerate() {
                if let Some(s) = o.start {
                    if zone.from_local_datetime(&s).earliest().is_none() {
                        errors.push(FieldError::new(
                            format!("overrides.{i}.start"),
                            FieldErrorCode::NonexistentLocalTime,
                        ));
                    }
                }
            }
        }
        for (i, o) in self.overrides.iter().enumerate() {
            if let Some(d) = o.duration_minutes {
                check_duration(format!("overrides.{i}.duration_minutes"), d, &mut errors);
            }
            if o.subject.as_deref().is_some_and(|s| s.trim().is_empty()) {
                errors.push(FieldError::new(
                    format!("overrides.{i}.subject"),
                    FieldErrorCode::Required,
                ));
            }
        }
        let Some(zone) = zone.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };

        // Enough of the rule to return MAX_OCCURRENCES + 1 after every EXDATE removed one.
        let wanted = MAX_OCCURRENCES + 1 + self.exdates.len();
        let Instances {
            all: raw,
            complete,
            start_matches_rule,
            rule_empty,
        } = rule_instances(&self.rule, self.start, zone, wanted).map_err(|e| vec![e])?;
        if rule_empty {
            return Err(vec![FieldError::new(
                RULE_FIELD,
                FieldErrorCode::RuleNoOccurrences,
            )]);
        }
        let horizon = *raw.last().expect("not empty");
        let is_occurrence = |t: &DateTime<Tz>| raw.binary_search(t).is_ok();
        let checkable = |t: &DateTime<Tz>| complete || *t <= horizon;

        let mut excluded: Vec<DateTime<Tz>> = Vec::new();
        for (i, &ex) in self.exdates.iter().enumerate() {
            let at = resolve_local(ex, zone);
            let field = format!("exdates.{i}");
            if excluded.contains(&at) {
                errors.push(FieldError::new(field, FieldErrorCode::DuplicateOccurrence));
            } else if checkable(&at) && !is_occurrence(&at) {
                errors.push(FieldError::new(field, FieldErrorCode::NotAnOccurrence));
            } else {
                excluded.push(at);
            }
        }
        let mut overrides: BTreeMap<DateTime<Tz>, &OccurrenceOverride> = BTreeMap::new();
        for (i, o) in self.overrides.iter().enumerate() {
            let at = resolve_local(o.original_start, zone);
            let field = format!("overrides.{i}.original_start");
            let not_one = excluded.contains(&at) || (checkable(&at) && !is_occurrence(&at));
            match overrides.entry(at) {
                Entry::Occupied(_) => {
                    errors.push(FieldError::new(field, FieldErrorCode::DuplicateOccurrence))
                }
                Entry::Vacant(_) if not_one => {
                    errors.push(FieldError::new(field, FieldErrorCode::NotAnOccurrence))
                }
                Entry::Vacant(v) => {
                    v.insert(o);
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let cap = limit.min(MAX_OCCURRENCES);
        let kept: Vec<DateTime<Tz>> = raw.into_iter().filter(|t| !excluded.contains(t)).collect();
        let truncated = kept.len() > cap || !complete;
        let length = Duration::minutes(i64::from(self.duration_minutes));
        let mut occurrences: Vec<Occurrence> = kept
            .into_iter()
            .take(cap)
            .map(|original| {
                let o = overrides.get(&original);
                let start = match o.and_then(|o| o.start) {
                    Some(s) => resolve_local(s, zone),
                    None => original,
                };
                let length = o
                    .and_then(|o| o.duration_minutes)
                    .map(|m| Duration::minutes(i64::from(m)))
                    .unwrap_or(length);
                let subject = o.and_then(|o| o.subject.clone());
                Occurrence {
                    original_start: original.fixed_offset(),
                    start: start.fixed_offset(),
                    end: (start + length).fixed_offset(),
                    moved: start != original
                        || length != Duration::minutes(i64::from(self.duration_minutes)),
                    retitled: subject.as_ref().is_some_and(|s| *s != self.subject),
                    subject: subject.unwrap_or_else(|| self.subject.clone()),
                    cancelled: o.is_some_and(|o| o.cancelled),
                }
            })
            .collect();
        occurrences.sort_by_key(|o| (o.start, o.original_start));
        Ok(Expansion {
            occurrences,
            truncated,
            start_matches_rule,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<FieldErrorCode> {
        SeriesRule::parse(text)
            .expect_err("refused")
            .into_iter()
            .map(|e| {
                assert_eq!(e.field, "rrule");
                e.code
            })
            .collect()
    }

    #[test]
    fn a_typed_rule_reads_into_its_parts_and_writes_back_canonically() {
        let r =
            SeriesRule::parse("rrule:freq=monthly; interval=2;byday=-1fr,+2TU;WKST=SU;COUNT=12")
                .unwrap();
        assert_eq!(r.freq, Frequency::Monthly);
        assert_eq!(r.interval, 2);
        assert_eq!(
            r.by_day,
            vec![ByDay::nth(-1, Weekday::Fr), ByDay::nth(2, Weekday::Tu)]
        );
        assert_eq!(r.end, RuleEnd::Count { count: 12 });
        assert_eq!(r.week_start, Weekday::Su);
        assert_eq!(
            r.to_string(),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2TU;COUNT=12;WKST=SU"
        );
        assert_eq!(SeriesRule::parse(&r.to_string()).unwrap(), r);

        let u = SeriesRule::parse("FREQ=DAILY;UNTIL=20261231T235959Z;BYMONTHDAY=1,-1").unwrap();
        assert_eq!(
            u.to_string(),
            "FREQ=DAILY;BYMONTHDAY=1,-1;UNTIL=20261231T235959Z"
        );
    }

    #[test]
    fn sub_daily_frequencies_and_other_parts_are_refused_by_name_not_dropped() {
        for f in ["SECONDLY", "MINUTELY", "HOURLY"] {
            assert_eq!(
                codes(&format!("FREQ={f}")),
                vec![FieldErrorCode::RuleUnsupported {
                    part: format!("FREQ={f}")
                }]
            );
        }
        for part in [
            "BYHOUR=9",
            "BYMINUTE=30",
            "BYSECOND=0",
            "BYMONTH=3",
            "BYYEARDAY=1",
            "BYWEEKNO=20",
        ] {
            let name = part.split('=').next().unwrap().to_string();
            assert_eq!(
                codes(&format!("FREQ=WEEKLY;{part}")),
                vec![FieldErrorCode::RuleUnsupported { part: name }],
                "{part}"
            );
        }
    }

    #[test]
    fn malformed_parts_say_which_and_every_problem_is_reported() {
        assert_eq!(
            codes("FREQ=WEEKLY;BYDAY=MO,XX;INTERVAL=two;FOO=1"),
            vec![
                FieldErrorCode::RuleSyntax {
                    part: "BYDAY=XX".into()
                },
                FieldErrorCode::RuleSyntax {
                    part: "INTERVAL=two".into()
                },
                FieldErrorCode::RuleSyntax {
                    part: "FOO=1".into()
                },
            ]
        );
        assert_eq!(codes("BYDAY=MO"), vec![FieldErrorCode::RuleMissingFreq]);
        // Text that is no rule at all, in any script, is reported, never a panic.
        assert_eq!(
            codes("每月最后一个星期五"),
            vec![
                FieldErrorCode::RuleSyntax {
                    part: "每月最后一个星期五".into()
                },
                FieldErrorCode::RuleMissingFreq
            ]
        );
        assert_eq!(
            codes("a每月"),
            vec![
                FieldErrorCode::RuleSyntax {
                    part: "a每月".into()
                },
                FieldErrorCode::RuleMissingFreq
            ]
        );
        assert_eq!(
            codes("FREQ=WEEKLY;BYDAY=周一"),
            vec![FieldErrorCode::RuleSyntax {
                part: "BYDAY=周一".into()
            }]
        );
        assert_eq!(
            codes("FREQ=DAILY;FREQ=WEEKLY"),
            vec![FieldErrorCode::RulePartRepeated {
                part: "FREQ".into()
            }]
        );
        assert_eq!(
            codes("FREQ=DAILY;COUNT=3;UNTIL=20260101T000000Z"),
            vec![FieldErrorCode::RuleCountAndUntil]
        );
        assert_eq!(
            SeriesRule::parse("  ").unwrap_err(),
            vec![FieldError::new("rrule", FieldErrorCode::Required)]
        );
    }

    #[test]
    fn ranges_and_frequency_combinations_follow_rfc_5545() {
        assert_eq!(
            codes("FREQ=MONTHLY;BYMONTHDAY=0,32"),
            vec![
                FieldErrorCode::RuleValueOutOfRange {
                    part: "BYMONTHDAY=0".into(),
                    min: -31,
                    max: 31
                },
                FieldErrorCode::RuleValueOutOfRange {
                    part: "BYMONTHDAY=32".into(),
                    min: -31,
                    max: 31
                },
            ]
        );
        assert_eq!(
            codes("FREQ=MONTHLY;BYDAY=6MO"),
            vec![FieldErrorCode::RuleValueOutOfRange {
                part: "BYDAY=6MO".into(),
                min: -5,
                max: 5
            }]
        );
        assert_eq!(
            codes("FREQ=WEEKLY;BYDAY=-1FR"),
            vec![FieldErrorCode::RulePartNotWithFreq {
                part: "BYDAY=-1FR".into(),
                freq: "WEEKLY".into()
            }]
        );
        assert_eq!(
            codes("FREQ=WEEKLY;BYMONTHDAY=1"),
            vec![FieldErrorCode::RulePartNotWithFreq {
                part: "BYMONTHDAY".into(),
                freq: "WEEKLY".into()
            }]
        );
        assert_eq!(
            codes("FREQ=MONTHLY;BYSETPOS=-1"),
            vec![FieldErrorCode::RuleSetPosAlone]
        );
        assert_eq!(
            codes("FREQ=DAILY;INTERVAL=0;COUNT=0"),
            vec![
                FieldErrorCode::RuleValueOutOfRange {
                    part: "INTERVAL=0".into(),
                    min: 1,
                    max: 999
                },
                FieldErrorCode::RuleValueOutOfRange {
                    part: "COUNT=0".into(),
                    min: 1,
                    max: 1000
                },
            ]
        );
        assert_eq!(
            codes("FREQ=DAILY;UNTIL=20261231T235959"),
            vec![FieldErrorCode::UntilNotUtc]
        );
        assert_eq!(
            codes("FREQ=DAILY;UNTIL=20261231"),
            vec![FieldErrorCode::UntilNotUtc]
        );
    }

    #[test]
    fn rule_messages_say_what_to_change_in_both_languages() {
        let e = FieldErrorCode::RuleUnsupported {
            part: "BYHOUR".into(),
        };
        assert!(e.message(Lang::Zh).contains("BYHOUR 暂不支持"));
        assert!(e.message(Lang::En).starts_with("BYHOUR is not supported"));
        let r = FieldErrorCode::RuleValueOutOfRange {
            part: "BYMONTHDAY=0".into(),
            min: -31,
            max: 31,
        };
        assert!(r
            .message(Lang::En)
            .contains("between -31 and 31, and not 0"));
        assert!(r.message(Lang::Zh).contains("不能为 0"));
    }

    #[test]
    fn the_rrule_crate_alone_drops_an_occurrence_when_it_and_midnight_fall_in_a_gap() {
        // Why expansion runs the crate on nominal times and places them itself: Havana springs
        // forward at midnight (2026-03-08 00:00 -> 01:00), and the crate's `add_time_to_date`
        // gives up when both 00:30 and midnight do not exist, silently losing 8 March (and not
        // counting it). If this starts failing, the crate fixed it; `expand` needs no change.
        let tz = rrule::Tz::America__Havana;
        let start = tz.with_ymd_and_hms(2026, 3, 7, 0, 30, 0).unwrap();
        let set = rrule::RRule::new(rrule::Frequency::Daily)
            .count(3)
            .build(start)
            .unwrap();
        let got: Vec<String> = set.all(10).dates.iter().map(|d| d.to_rfc3339()).collect();
        assert_eq!(
            got,
            [
                "2026-03-07T00:30:00-05:00",
                "2026-03-09T00:30:00-04:00",
                "2026-03-10T00:30:00-04:00"
            ]
        );
        // The same series here keeps 8 March at 01:30 CDT (tests/series.rs).
    }

    #[test]
    fn a_skipped_local_time_takes_the_offset_before_the_gap_and_a_repeated_one_the_first() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        // RFC 5545 §3.3.5's own examples.
        assert_eq!(
            resolve_local(t("2007-03-11T02:30"), ny).to_rfc3339(),
            "2007-03-11T03:30:00-04:00"
        );
        assert_eq!(
            resolve_local(t("2007-11-04T01:30"), ny).to_rfc3339(),
            "2007-11-04T01:30:00-04:00"
        );
    }
}
