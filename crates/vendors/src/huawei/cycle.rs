//! Huawei recurring ("cycle") conferences as plain data: the typed rule (`cycleParams`, table
//! 4-4, L1949-1959), its documented limits, a prediction of the sub-meetings Huawei generates
//! from it, the translation of a Huiyi [`huiyi_core::Series`] into it, and the series as an
//! answer describes it (`subConfs[]`, table 4-28, L2592-2605). No I/O here.
//!
//! How Huawei expands a rule is only partly documented; what this module assumes (each point
//! also listed in the vendor note §7.3 #13 or flagged below):
//! - Dates are local dates in the `timeZoneID` zone (L1952-1953, L2558). Every sub-meeting takes
//!   the wall-clock time of day of `startTime` in that zone and lasts `length` (note §1.5).
//!   ASSUMPTION: the *wall-clock* time is kept across daylight-saving changes (DST behaviour is
//!   undocumented, note §1.5, §6 #22); a time skipped by a change is placed like Huiyi's own
//!   series do ([`resolve_local`]).
//! - Day: `startDate`, then every `interval` days.
//! - Week: the weekdays of `point` (0 = Sunday .. 6, L1957) in the week of `startDate`, then
//!   in every `interval`-th week. ASSUMPTION: weeks run Sunday to Saturday (the numbering starts
//!   at Sunday; the document never says).
//! - Month: the days of `point` (1..31) in the month of `startDate`, then in every
//!   `interval`-th month ("隔几月", L1955, read as "every N months", as note §3.0 does); a day
//!   the month lacks becomes its last day ("若当月没有该值，则为月末", L1957), and two points that
//!   land on the same day give one sub-meeting.
//! - Dates before `startDate` or after `endDate` are left out. At most 50 sub-meetings: beyond
//!   that Huawei silently moves `endDate` earlier (L1953), which [`cycle_occurrences`] reports
//!   instead of hiding.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use huiyi_core::series::resolve_local;
use huiyi_core::{Frequency, RuleEnd, Series, VendorMeeting};

use super::mapping::{self, id_to_zone, parse_wire_time, zone_to_id, BadMeeting};
use super::wire::{ConferenceInfo, CycleParamsInfo, CycleParamsRequest, ParticipantInfo};

/// At most this many sub-meetings per series (L1953).
pub const MAX_OCCURRENCES: usize = 50;
/// `preRemindDays` range [0,30] (L1959).
pub const MAX_PRE_REMIND_DAYS: u32 = 30;
/// The documented default of `preRemindDays` (L1959), sent explicitly since it is also "required".
pub const DEFAULT_PRE_REMIND_DAYS: u32 = 1;
/// Sub-meeting length, minutes (L1897, L3249).
pub const MIN_LENGTH: u32 = 15;
pub const MAX_LENGTH: u32 = 1440;
/// Dates the prediction returns at most (a checked rule spans at most a year: 366 days).
const MAX_WALK: usize = 1000;
/// Periods (days, weeks, months) the prediction walks at most, for rules never checked.
const MAX_PERIODS: u32 = 5000;

const DATE: &str = "%Y-%m-%d";

/// `cycle` (L1954): case as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cycle {
    Day,
    Week,
    Month,
}

impl Cycle {
    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Day => "Day",
            Cycle::Week => "Week",
            Cycle::Month => "Month",
        }
    }

    /// Reads an answer's `cycle`; case is forgiven on the way in (never on the way out).
    pub fn parse(s: &str) -> Option<Cycle> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Some(Cycle::Day),
            "week" => Some(Cycle::Week),
            "month" => Some(Cycle::Month),
            _ => None,
        }
    }

    /// The largest `interval` (L1955): Day [1,15], Week [1,5], Month [1,3].
    pub fn max_interval(self) -> u32 {
        match self {
            Cycle::Day => 15,
            Cycle::Week => 5,
            Cycle::Month => 3,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Cycle::Day => "days",
            Cycle::Week => "weeks",
            Cycle::Month => "months",
        }
    }
}

/// A Huawei recurrence rule (`cycleParams`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRule {
    pub cycle: Cycle,
    /// Every `interval` days / weeks / months.
    pub interval: u32,
    /// Week: weekdays, 0 = Sunday .. 6 = Saturday. Month: days 1..31 (clamped to the month's
    /// end). Empty for Day.
    pub points: Vec<u8>,
    /// Local dates in the meeting's `timeZoneID` zone, both inclusive.
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Notices go out this many days before each sub-meeting, 0..=30.
    pub pre_remind_days: u32,
}

/// Why a rule cannot be sent (checked before any call; the server codes it would otherwise
/// earn are named where there is one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadCycle {
    /// MMC.111071044.
    #[error("Huawei Cloud Meeting repeats every 1 to {max} {unit}; every {got} was asked for", max = cycle.max_interval(), unit = cycle.unit())]
    Interval { cycle: Cycle, got: u32 },
    /// MMC.111071045.
    #[error("a weekly or monthly Huawei Cloud Meeting series needs at least one day to meet on")]
    NoPoints,
    /// MMC.111071046.
    #[error("{point} is not a valid day for a {cycle} series (weekdays 0 = Sunday to 6, days of the month 1 to 31)", cycle = cycle.as_str())]
    PointOutOfRange { cycle: Cycle, point: u8 },
    #[error("a daily Huawei Cloud Meeting series meets every N days and takes no days to meet on")]
    PointsWithDay,
    #[error("the series ends ({end}) before it starts ({start})")]
    EndBeforeStart { start: NaiveDate, end: NaiveDate },
    #[error("a Huawei Cloud Meeting series spans at most one year: starting {start}, it must end by {latest}, not {end}")]
    LongerThanAYear {
        start: NaiveDate,
        end: NaiveDate,
        latest: NaiveDate,
    },
    #[error("Huawei Cloud Meeting sends notices 0 to 30 days ahead; {0} was asked for")]
    PreRemindDays(u32),
    #[error("a meeting lasts {MIN_LENGTH} to {MAX_LENGTH} minutes on Huawei Cloud Meeting; {0} was asked for")]
    Length(u32),
    /// Huawei refuses start dates before today (L1952).
    #[error(
        "the series starts on {start_date}, before today ({today}) in the meeting's time zone"
    )]
    StartDateInPast {
        start_date: NaiveDate,
        today: NaiveDate,
    },
    #[error("the first meeting is on {first} in the meeting's time zone, but the series starts on {start_date}; Huawei takes the time of day from the first meeting and the dates from the series")]
    StartNotOnStartDate {
        first: NaiveDate,
        start_date: NaiveDate,
    },
    /// Huawei would silently move `endDate` to the 50th sub-meeting's date (L1953).
    #[error("Huawei Cloud Meeting holds at most 50 meetings per series and this rule gives {predicted}: it would quietly end the series on {fiftieth} instead of {end_date}; end the series on {fiftieth} or earlier")]
    TooManyOccurrences {
        predicted: usize,
        fiftieth: NaiveDate,
        end_date: NaiveDate,
    },
    #[error("the rule gives no meeting between {start} and {end}")]
    NoOccurrence { start: NaiveDate, end: NaiveDate },
}

impl CycleRule {
    /// The latest `endDate` for this `startDate`: one calendar year on (L1953; a 29 February
    /// start ends by 28 February). ASSUMPTION: "最长不能超过1年" taken as a calendar year, inclusive.
    pub fn latest_end(&self) -> NaiveDate {
        self.start_date
            .checked_add_months(Months::new(12))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The documented static limits (interval, points, one year, preRemindDays). The 50-meeting
    /// limit needs the time of day: see [`cycle_occurrences`].
    pub fn check(&self) -> Result<(), BadCycle> {
        if !(1..=self.cycle.max_interval()).contains(&self.interval) {
            return Err(BadCycle::Interval {
                cycle: self.cycle,
                got: self.interval,
            });
        }
        match self.cycle {
            Cycle::Day if !self.points.is_empty() => return Err(BadCycle::PointsWithDay),
            Cycle::Day => {}
            Cycle::Week | Cycle::Month if self.points.is_empty() => return Err(BadCycle::NoPoints),
            Cycle::Week | Cycle::Month => {
                let range = if self.cycle == Cycle::Week {
                    0..=6
                } else {
                    1..=31
                };
                if let Some(&point) = self.points.iter().find(|p| !range.contains(*p)) {
                    return Err(BadCycle::PointOutOfRange {
                        cycle: self.cycle,
                        point,
                    });
                }
            }
        }
        if self.end_date < self.start_date {
            return Err(BadCycle::EndBeforeStart {
                start: self.start_date,
                end: self.end_date,
            });
        }
        if self.end_date > self.latest_end() {
            return Err(BadCycle::LongerThanAYear {
                start: self.start_date,
                end: self.end_date,
                latest: self.latest_end(),
            });
        }
        if self.pre_remind_days > MAX_PRE_REMIND_DAYS {
            return Err(BadCycle::PreRemindDays(self.pre_remind_days));
        }
        Ok(())
    }

    /// The local dates the rule gives between `start_date` and `end_date`, in order, at most
    /// [`MAX_WALK`] (a checked rule gives at most 366).
    pub fn dates(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let interval = self.interval.max(1);
        let mut points: Vec<u8> = self.points.clone();
        points.sort_unstable();
        points.dedup();
        let mut k: u32 = 0;
        while out.len() < MAX_WALK && k < MAX_PERIODS {
            let mut candidates: Vec<NaiveDate> = Vec::new();
            let period_start = match self.cycle {
                Cycle::Day => {
                    let Some(d) = self
                        .start_date
                        .checked_add_signed(Duration::days(i64::from(k) * i64::from(interval)))
                    else {
                        break;
                    };
                    candidates.push(d);
                    d
                }
                Cycle::Week => {
                    let sunday = self.start_date
                        - Duration::days(i64::from(
                            self.start_date.weekday().num_days_from_sunday(),
                        ));
                    let Some(base) = sunday
                        .checked_add_signed(Duration::weeks(i64::from(k) * i64::from(interval)))
                    else {
                        break;
                    };
                    candidates.extend(
                        points
                            .iter()
                            .filter(|p| **p <= 6)
                            .map(|p| base + Duration::days(i64::from(*p))),
                    );
                    base
                }
                Cycle::Month => {
                    let first = self.start_date.with_day(1).expect("day 1 exists");
                    let Some(month) = first.checked_add_months(Months::new(k * interval)) else {
                        break;
                    };
                    let last = last_day_of_month(month);
                    for p in points.iter().filter(|p| (1..=31).contains(*p)) {
                        let day = u32::from(*p).min(last);
                        let d = month.with_day(day).expect("clamped to the month");
                        if !candidates.contains(&d) {
                            candidates.push(d);
                        }
                    }
                    month
                }
            };
            if period_start > self.end_date {
                break;
            }
            candidates.sort_unstable();
            out.extend(
                candidates
                    .into_iter()
                    .filter(|d| *d >= self.start_date && *d <= self.end_date),
            );
            k += 1;
        }
        out.truncate(MAX_WALK);
        out
    }

    /// `cycleParams` as sent.
    pub fn to_wire(&self) -> CycleParamsRequest {
        let mut point = if self.cycle == Cycle::Day {
            Vec::new()
        } else {
            self.points.clone()
        };
        point.sort_unstable();
        point.dedup();
        CycleParamsRequest {
            start_date: self.start_date.format(DATE).to_string(),
            end_date: self.end_date.format(DATE).to_string(),
            cycle: self.cycle.as_str().to_string(),
            interval: self.interval,
            point,
            pre_remind_days: self.pre_remind_days,
        }
    }

    /// An answer's `cycleParams`, when it names a cycle and both dates. A missing interval is 1
    /// (undocumented default, note §3.0); a missing `preRemindDays` the documented 1.
    pub fn from_wire(p: &CycleParamsInfo) -> Option<CycleRule> {
        let date = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), DATE).ok())
        };
        Some(CycleRule {
            cycle: Cycle::parse(p.cycle.as_deref()?)?,
            interval: p
                .interval
                .and_then(|i| u32::try_from(i).ok())
                .filter(|i| *i > 0)
                .unwrap_or(1),
            points: p
                .point
                .iter()
                .filter_map(|v| u8::try_from(*v).ok())
                .collect(),
            start_date: date(&p.start_date)?,
            end_date: date(&p.end_date)?,
            pre_remind_days: p
                .pre_remind_days
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(DEFAULT_PRE_REMIND_DAYS),
        })
    }
}

fn last_day_of_month(first: NaiveDate) -> u32 {
    let next = first
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    (next - Duration::days(1)).day()
}

/// One sub-meeting Huawei is expected to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedOccurrence {
    /// Local date in the meeting's zone.
    pub date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What Huawei should make of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CyclePlan {
    /// The sub-meetings it holds: at most [`MAX_OCCURRENCES`].
    pub occurrences: Vec<PlannedOccurrence>,
    /// How many the rule gives before the cap.
    pub predicted: usize,
    /// More than 50: Huawei drops the rest and silently answers this earlier `endDate`.
    pub truncated: bool,
    /// The `endDate` Huawei should answer: the rule's, or the 50th sub-meeting's date.
    pub end_date: NaiveDate,
}

/// The sub-meetings Huawei generates for `rule` when `startTime` is `start_time` (only its
/// time of day in `zone` counts), each `length_minutes` long, in the `timeZoneID` zone `zone`.
/// See the module docs for the assumptions. Does not check the rule; see [`CycleRule::check`].
pub fn cycle_occurrences(
    rule: &CycleRule,
    start_time: DateTime<Utc>,
    zone: Tz,
    length_minutes: u32,
) -> CyclePlan {
    let time = start_time.with_timezone(&zone).time();
    let length = Duration::minutes(i64::from(length_minutes));
    let dates = rule.dates();
    let predicted = dates.len();
    let truncated = predicted > MAX_OCCURRENCES;
    let occurrences: Vec<PlannedOccurrence> = dates
        .into_iter()
        .take(MAX_OCCURRENCES)
        .map(|date| {
            let start = resolve_local(date.and_time(time), zone).with_timezone(&Utc);
            PlannedOccurrence {
                date,
                start,
                end: start + length,
            }
        })
        .collect();
    let end_date = if truncated {
        occurrences.last().map_or(rule.end_date, |o| o.date)
    } else {
        rule.end_date
    };
    CyclePlan {
        occurrences,
        predicted,
        truncated,
        end_date,
    }
}

/// Everything about a rule and a first meeting that can be checked without the server: the
/// static limits, the length, the first meeting on `startDate`, `startDate` not before today
/// (all in `zone`, the `timeZoneID` zone), at least one and at most 50 sub-meetings.
pub fn plan(
    rule: &CycleRule,
    start_time: DateTime<Utc>,
    zone: Tz,
    length_minutes: u32,
    now: DateTime<Utc>,
) -> Result<CyclePlan, BadCycle> {
    rule.check()?;
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length_minutes) {
        return Err(BadCycle::Length(length_minutes));
    }
    let first = start_time.with_timezone(&zone).date_naive();
    if first != rule.start_date {
        return Err(BadCycle::StartNotOnStartDate {
            first,
            start_date: rule.start_date,
        });
    }
    let today = now.with_timezone(&zone).date_naive();
    if rule.start_date < today {
        return Err(BadCycle::StartDateInPast {
            start_date: rule.start_date,
            today,
        });
    }
    let plan = cycle_occurrences(rule, start_time, zone, length_minutes);
    if plan.occurrences.is_empty() {
        return Err(BadCycle::NoOccurrence {
            start: rule.start_date,
            end: rule.end_date,
        });
    }
    if plan.truncated {
        return Err(BadCycle::TooManyOccurrences {
            predicted: plan.predicted,
            fiftieth: plan.end_date,
            end_date: rule.end_date,
        });
    }
    Ok(plan)
}

// ---------------------------------------------------------------- from Huiyi's series

/// Why a Huiyi series has no exact Huawei rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexpressible {
    #[error("the series is not valid: {0}")]
    Invalid(String),
    #[error("Huawei Cloud Meeting has no time zone for {0}")]
    Zone(String),
    #[error("Huawei Cloud Meeting repeats daily, weekly or monthly, not yearly")]
    Yearly,
    #[error("Huawei Cloud Meeting repeats every 1 to {max} {unit}; this series repeats every {got}", max = cycle.max_interval(), unit = cycle.unit())]
    Interval { cycle: Cycle, got: u32 },
    #[error("Huawei Cloud Meeting cannot pick among a period's days (BYSETPOS)")]
    SetPos,
    #[error("Huawei Cloud Meeting cannot meet on the n-th weekday of a month (BYDAY={0})")]
    OrdinalWeekday(String),
    #[error("a monthly Huawei Cloud Meeting series meets on dates of the month, not on weekdays (BYDAY={0})")]
    MonthlyByWeekday(String),
    #[error("a daily Huawei Cloud Meeting series meets every N days; it cannot be limited to some weekdays or dates")]
    DailyFiltered,
    #[error("Huawei Cloud Meeting counts days of the month from its start (and 31 as its last day); BYMONTHDAY={0} counts from its end")]
    NegativeMonthDay(i8),
    #[error("a Huawei Cloud Meeting series needs an end: a date or a number of meetings")]
    NoEnd,
    #[error("Huawei Cloud Meeting holds at most 50 meetings per series; this series has {0}")]
    TooManyOccurrences(usize),
    #[error(
        "a Huawei Cloud Meeting series spans at most one year; this one runs from {start} to {end}"
    )]
    LongerThanAYear { start: NaiveDate, end: NaiveDate },
    #[error("a meeting lasts {MIN_LENGTH} to {MAX_LENGTH} minutes on Huawei Cloud Meeting; this series' meetings last {0}")]
    Length(u32),
    #[error("the series' first meeting ({0}) is not one its rule gives; Huawei Cloud Meeting would not hold it")]
    StartOffRule(NaiveDateTime),
    #[error("Huawei Cloud Meeting would not hold the same meetings: the series has {series} where Huawei would have {huawei}{hint}")]
    Differs {
        series: String,
        huawei: String,
        hint: &'static str,
    },
}

/// The Huawei rule that holds exactly the meetings of `series`' rule (DTSTART, RRULE, length and
/// zone; EXDATEs and per-occurrence changes are not part of a rule: they become
/// [`super::HuaweiClient::cancel_occurrences`] and [`super::HuaweiClient::update_occurrence`]
/// after creation), or why there is none. The translation is structural, then checked by
/// comparing Huawei's predicted meetings ([`cycle_occurrences`]) with the series' own
/// expansion, so any difference in the calendar arithmetic (short months, week starts,
/// daylight-saving changes) is refused rather than booked wrong.
pub fn cycle_rule_from_series(series: &Series) -> Result<CycleRule, Unexpressible> {
    let mut bare = series.clone();
    bare.exdates.clear();
    bare.overrides.clear();
    let invalid = |errs: Vec<huiyi_core::FieldError>| {
        Unexpressible::Invalid(
            errs.iter()
                .map(|e| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    bare.validate().map_err(invalid)?;
    let zone = bare
        .tz()
        .ok_or_else(|| Unexpressible::Zone(bare.zone.clone()))?;
    let rule = &bare.rule;
    if !rule.by_set_pos.is_empty() {
        return Err(Unexpressible::SetPos);
    }
    if let Some(d) = rule.by_day.iter().find(|d| d.ordinal.is_some()) {
        return Err(Unexpressible::OrdinalWeekday(d.to_string()));
    }
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&bare.duration_minutes) {
        return Err(Unexpressible::Length(bare.duration_minutes));
    }
    let start_date = bare.start.date();
    let (cycle, points) = match rule.freq {
        Frequency::Daily => {
            if !rule.by_day.is_empty() || !rule.by_month_day.is_empty() {
                return Err(Unexpressible::DailyFiltered);
            }
            (Cycle::Day, Vec::new())
        }
        Frequency::Weekly => {
            let mut days: Vec<u8> = rule
                .by_day
                .iter()
                .map(|d| d.weekday.to_chrono().num_days_from_sunday() as u8)
                .collect();
            if days.is_empty() {
                days.push(start_date.weekday().num_days_from_sunday() as u8);
            }
            (Cycle::Week, days)
        }
        Frequency::Monthly => {
            if let Some(d) = rule.by_day.first() {
                return Err(Unexpressible::MonthlyByWeekday(d.to_string()));
            }
            let mut days = Vec::new();
            for &d in &rule.by_month_day {
                match d {
                    1..=31 => days.push(d as u8),
                    // The last day: Huawei's 31, clamped to every month's end (L1957).
                    -1 => days.push(31),
                    _ => return Err(Unexpressible::NegativeMonthDay(d)),
                }
            }
            if days.is_empty() {
                days.push(start_date.day() as u8);
            }
            (Cycle::Month, days)
        }
        Frequency::Yearly => return Err(Unexpressible::Yearly),
    };
    if rule.interval > cycle.max_interval() {
        return Err(Unexpressible::Interval {
            cycle,
            got: rule.interval,
        });
    }
    if rule.end == RuleEnd::Never {
        return Err(Unexpressible::NoEnd);
    }
    let expansion = bare
        .expand(huiyi_core::series::MAX_OCCURRENCES)
        .map_err(invalid)?;
    if !expansion.start_matches_rule {
        return Err(Unexpressible::StartOffRule(bare.start));
    }
    let count = expansion.occurrences.len();
    if count > MAX_OCCURRENCES || expansion.truncated {
        return Err(Unexpressible::TooManyOccurrences(count));
    }
    let last = expansion
        .occurrences
        .last()
        .expect("a valid series has a first occurrence");
    let end_date = last.start.with_timezone(&zone).date_naive();
    let mut points = points;
    points.sort_unstable();
    points.dedup();
    let out = CycleRule {
        cycle,
        interval: rule.interval,
        points: points.clone(),
        start_date,
        end_date,
        pre_remind_days: DEFAULT_PRE_REMIND_DAYS,
    };
    if end_date > out.latest_end() {
        return Err(Unexpressible::LongerThanAYear {
            start: start_date,
            end: end_date,
        });
    }
    // Huawei computes in its table zone for the series' zone (the same rules, or at least the
    // same offset at the start, mapping::zone_to_id).
    let first = expansion.occurrences[0].start.with_timezone(&Utc);
    let huawei_zone = zone_to_id(zone, first)
        .ok()
        .and_then(id_to_zone)
        .ok_or_else(|| Unexpressible::Zone(bare.zone.clone()))?;
    let predicted = cycle_occurrences(&out, first, huawei_zone, bare.duration_minutes);
    let theirs: Vec<DateTime<Utc>> = predicted.occurrences.iter().map(|o| o.start).collect();
    let ours: Vec<DateTime<Utc>> = expansion
        .occurrences
        .iter()
        .map(|o| o.start.with_timezone(&Utc))
        .collect();
    if theirs != ours || predicted.truncated {
        let i = ours
            .iter()
            .zip(&theirs)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(theirs.len()));
        let show = |t: Option<&DateTime<Utc>>| {
            t.map_or_else(
                || "no meeting".to_string(),
                |t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
            )
        };
        let hint = match cycle {
            Cycle::Month if points.iter().any(|p| *p > 28) => {
                " (a day a month lacks is skipped by the series, but moved to the month's last day by Huawei)"
            }
            Cycle::Week if out.interval > 1 => {
                " (Huawei's weeks are taken to run Sunday to Saturday)"
            }
            _ if huawei_zone != zone => " (Huawei's time zone for this meeting keeps other daylight-saving rules)",
            _ => "",
        };
        return Err(Unexpressible::Differs {
            series: show(ours.get(i)),
            huawei: show(theirs.get(i)),
            hint,
        });
    }
    Ok(out)
}

impl Unexpressible {
    /// The capability report's words for this refusal.
    pub fn to_reason(&self, series: &Series) -> huiyi_core::PlanReason {
        use huiyi_core::{DiffHint, PeriodUnit, PlanReason};
        let unit = |c: Cycle| match c {
            Cycle::Day => PeriodUnit::Day,
            Cycle::Week => PeriodUnit::Week,
            Cycle::Month => PeriodUnit::Month,
        };
        match self {
            Unexpressible::Invalid(_) => PlanReason::Invalid {
                problems: series.validate().err().unwrap_or_default(),
            },
            Unexpressible::Zone(zone) => PlanReason::Zone { zone: zone.clone() },
            Unexpressible::Yearly => PlanReason::Yearly,
            Unexpressible::Interval { cycle, got } => PlanReason::Interval {
                unit: unit(*cycle),
                max: cycle.max_interval(),
                got: *got,
            },
            Unexpressible::SetPos => PlanReason::SetPos,
            Unexpressible::OrdinalWeekday(d) => PlanReason::OrdinalWeekday { by_day: d.clone() },
            Unexpressible::MonthlyByWeekday(d) => {
                PlanReason::MonthlyByWeekday { by_day: d.clone() }
            }
            Unexpressible::DailyFiltered => PlanReason::DailyFiltered,
            Unexpressible::NegativeMonthDay(d) => PlanReason::NegativeMonthDay { day: *d },
            Unexpressible::NoEnd => PlanReason::NoEnd,
            Unexpressible::TooManyOccurrences(got) => PlanReason::TooManyOccurrences {
                max: MAX_OCCURRENCES,
                got: *got,
            },
            Unexpressible::LongerThanAYear { start, end } => PlanReason::LongerThanAYear {
                start: start.to_string(),
                end: end.to_string(),
            },
            Unexpressible::Length(got) => PlanReason::Length {
                min: MIN_LENGTH,
                max: MAX_LENGTH,
                got: *got,
            },
            Unexpressible::StartOffRule(t) => PlanReason::StartOffRule {
                start: t.format("%Y-%m-%d %H:%M").to_string(),
            },
            Unexpressible::Differs {
                series,
                huawei,
                hint,
            } => {
                let time = |s: &String| (s != "no meeting").then(|| s.clone());
                PlanReason::Differs {
                    series: time(series),
                    vendor: time(huawei),
                    hint: if hint.contains("last day") {
                        Some(DiffHint::ShortMonths)
                    } else if hint.contains("Sunday") {
                        Some(DiffHint::WeekStart)
                    } else if hint.contains("time zone") {
                        Some(DiffHint::ZoneRules)
                    } else {
                        None
                    },
                }
            }
        }
    }
}

/// What Huawei will do with `series`: a cycle conference when [`cycle_rule_from_series`] finds
/// an exact rule and no occurrence has a subject of its own (a sub-meeting's edit changes its
/// time, length and description only), single meetings otherwise. A cycle conference sends its
/// own reminders ([`DEFAULT_PRE_REMIND_DAYS`] days ahead), which the report says.
pub fn series_plan(series: &Series) -> huiyi_core::SeriesPlan {
    use huiyi_core::{NativeKind, NotCarried, PlanReason, SeriesPlan, VendorKind};
    const V: VendorKind = VendorKind::Huawei;
    if series.validate().is_err() {
        return SeriesPlan::local(V, series, Vec::new());
    }
    let retitled = huiyi_core::series_plan::retitled_occurrences(series);
    if retitled > 0 {
        return SeriesPlan::local(
            V,
            series,
            vec![PlanReason::RetitledOccurrences { count: retitled }],
        );
    }
    match cycle_rule_from_series(series) {
        Ok(rule) => {
            let mut plan = SeriesPlan::native(V, NativeKind::HuaweiCycle, series, false);
            plan.not_carried.push(NotCarried::VendorReminders {
                days: rule.pre_remind_days,
            });
            plan
        }
        Err(e) => SeriesPlan::local(V, series, vec![e.to_reason(series)]),
    }
}

// ---------------------------------------------------------------- answers

/// One sub-meeting as Huawei lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOccurrence {
    /// `cycleSubConfID` (32 hex in the examples).
    pub cycle_sub_conf_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `mediaType`, e.g. `HDVideo,Data,Voice`.
    pub media_types: Option<String>,
    pub description: Option<String>,
}

/// The server answered a shorter series than the rule asked for: it moved `endDate` earlier
/// (beyond 50 sub-meetings, L1953) or listed fewer sub-meetings than predicted. Never hidden:
/// create and edit return it with the series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortened {
    pub requested_end: NaiveDate,
    /// The answer's `cycleParams.endDate`, when it had one.
    pub answered_end: Option<NaiveDate>,
    /// Sub-meetings predicted still to come when the answer arrived.
    pub predicted: usize,
    pub listed: usize,
}

/// A recurring conference as Huawei holds it.
#[derive(Debug, Clone)]
pub struct CycleSeries {
    /// The series as one meeting (subject, people, links, passwords), timed like its next
    /// sub-meeting that has not ended.
    pub meeting: VendorMeeting,
    /// The rule as answered (its `endDate` possibly moved by the server).
    pub rule: Option<CycleRule>,
    /// Every listed sub-meeting, by start.
    pub occurrences: Vec<CycleOccurrence>,
    /// The answer's top-level `cycleSubConfID`: the first sub-meeting (L2063).
    pub first_sub_conf_id: Option<String>,
    /// Set by create and edit when the server kept fewer meetings than the rule gives.
    pub shortened: Option<Shortened>,
}

/// The listed sub-meetings, by start; entries without an ID or a start are left out. A missing
/// end is the start plus the documented default length (30 minutes).
pub fn occurrences_from_wire(c: &ConferenceInfo) -> Vec<CycleOccurrence> {
    let mut out: Vec<CycleOccurrence> = c
        .sub_confs
        .iter()
        .filter_map(|s| {
            let id = s
                .cycle_sub_conf_id
                .as_deref()
                .map(str::trim)
                .filter(|i| !i.is_empty())?;
            let start = s.start_time.as_deref().and_then(parse_wire_time)?;
            let end = s
                .end_time
                .as_deref()
                .and_then(parse_wire_time)
                .filter(|e| *e > start)
                .unwrap_or(start + Duration::minutes(30));
            Some(CycleOccurrence {
                cycle_sub_conf_id: id.to_string(),
                start,
                end,
                media_types: s.media_type.clone().filter(|m| !m.trim().is_empty()),
                description: s.description.clone().filter(|d| !d.trim().is_empty()),
            })
        })
        .collect();
    out.sort_by_key(|o| o.start);
    out
}

pub fn series_from_wire(
    c: &ConferenceInfo,
    participants: Option<&[ParticipantInfo]>,
    now: DateTime<Utc>,
) -> Result<CycleSeries, BadMeeting> {
    Ok(CycleSeries {
        meeting: mapping::conference_to_meeting(c, participants, now)?,
        rule: c.cycle_params.as_ref().and_then(CycleRule::from_wire),
        occurrences: occurrences_from_wire(c),
        first_sub_conf_id: c.cycle_sub_conf_id.clone().filter(|i| !i.trim().is_empty()),
        shortened: None,
    })
}

/// Compares an answer with what was asked for (see [`Shortened`]). Sub-meetings already started
/// by `now` are not expected (the server drops them, note §3.5).
pub fn shortened(
    requested: &CycleRule,
    plan: &CyclePlan,
    answered: &CycleSeries,
    now: DateTime<Utc>,
) -> Option<Shortened> {
    let answered_end = answered.rule.as_ref().map(|r| r.end_date);
    let predicted = plan.occurrences.iter().filter(|o| o.start > now).count();
    let listed = answered.occurrences.len();
    let moved = answered_end.is_some_and(|e| e < requested.end_date);
    (moved || listed < predicted).then_some(Shortened {
        requested_end: requested.end_date,
        answered_end,
        predicted,
        listed,
    })
}

#[cfg(test)]
mod tests;
