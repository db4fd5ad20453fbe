//! What one vendor will make of a recurring [`Series`], worked out before anything is sent: the
//! *capability report* (issue 7). Either the vendor keeps the series natively (Huawei
//! `cycleParams`, Tencent `recurring_rule`, CloudRoom `periodType`), which it does only where its
//! rule holds exactly the series' meetings, or Huiyi expands the series here and books one
//! single meeting per occurrence, tracked as one series. Either way the report says how many
//! meetings the vendor will hold, which occurrences it cannot take now (beyond a cap), what of
//! the series it cannot carry in its own rule (and what Huiyi does instead), and why a native
//! series was not possible: nothing is dropped silently.
//!
//! Every item is a code (stable for scripts and the UI) with a sentence in the UI language
//! (`message(vendor, lang)`; the vendor names itself in it).

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::i18n::Lang;
use crate::series::{Expansion, Series};

/// The most occurrences Huiyi books as single meetings for one series (the desk's outbox); a
/// series with more, or without end, is planned for its first this many.
pub const MAX_LOCAL_OCCURRENCES: usize = 100;
use crate::vendor::VendorKind;

/// Which native recurrence the vendor's series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NativeKind {
    /// Huawei Cloud Meeting recurring conference (`cycleParams`).
    HuaweiCycle,
    /// Tencent Meeting recurring meeting (`meeting_type` 1, `recurring_rule`).
    TencentRecurring,
    /// CloudRoom periodic meeting (`orderConfig.periodType`).
    CloudroomPeriodic,
}

impl NativeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NativeKind::HuaweiCycle => "huawei_cycle",
            NativeKind::TencentRecurring => "tencent_recurring",
            NativeKind::CloudroomPeriodic => "cloudroom_periodic",
        }
    }
}

/// How the vendor will hold the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PlanMode {
    /// One recurring meeting at the vendor, created from its own rule.
    Native { kind: NativeKind },
    /// Expanded by Huiyi into single meetings, tracked as one series.
    Local,
}

/// The limit that keeps some occurrences from being booked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CapLimit {
    /// The vendor books a meeting only if it ends within `days` of the booking (Feishu
    /// reserves: 30). The others can be booked later, once they come within reach.
    BookingWindow { days: u32 },
    /// The series has no end (or more occurrences than Huiyi expands): single meetings can be
    /// booked only for the first `planned`.
    NoEnd { planned: usize },
}

/// Occurrences of the series the vendor will not hold now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BeyondCap {
    pub limit: CapLimit,
    /// How many; none when the series goes on without end.
    pub count: Option<usize>,
    /// The first of them, as the series places it.
    pub first: Option<DateTime<FixedOffset>>,
}

/// A part of the series the vendor's own rule does not carry, and what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotCarried {
    /// Excluded dates (EXDATE) and cancelled occurrences: created with the series, then
    /// cancelled one by one right after.
    CancelledAfterCreate { count: usize },
    /// Moved or resized occurrences: created where the rule puts them, then moved one by one.
    MovedAfterCreate { count: usize },
    /// The vendor decides which days are workdays (public holidays may be skipped or added).
    VendorWorkdays,
    /// The vendor sends its own reminder `days` before each meeting.
    VendorReminders { days: u32 },
    /// Single meetings: the vendor sees unrelated meetings; only Huiyi knows they are a series.
    SeriesKnownOnlyToHuiyi,
}

/// Which calendar rule made a vendor's meetings differ from the series'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DiffHint {
    /// A day some months lack (the 29th to 31st).
    ShortMonths,
    /// Where the vendor's weeks start.
    WeekStart,
    /// The time zone (or daylight-saving rules) the vendor computes in.
    ZoneRules,
}

/// The unit of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Day,
    Week,
    Month,
}

/// Why the vendor cannot keep the series natively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanReason {
    /// The vendor has no recurring meetings at all (BizConf).
    NoRecurrence,
    /// Feishu reserves (the only scheduled meetings its API books) do not repeat.
    ReservesDoNotRepeat,
    /// The series itself is not valid.
    Invalid {
        problems: Vec<FieldError>,
    },
    /// The vendor has no time zone for the series' zone.
    Zone {
        zone: String,
    },
    Yearly,
    /// Every `got` units, where the vendor goes to `max`.
    Interval {
        unit: PeriodUnit,
        max: u32,
        got: u32,
    },
    /// The vendor repeats every 1 unit or in its fixed patterns only (CloudRoom).
    IntervalNotOffered {
        unit: PeriodUnit,
        got: u32,
    },
    /// "The last Friday" and the like (`BYDAY=-1FR`).
    OrdinalWeekday {
        by_day: String,
    },
    /// Weekdays and days of the month together (`BYDAY` with `BYMONTHDAY`).
    DayAndDate,
    /// A monthly rule on weekdays where the vendor meets on dates.
    MonthlyByWeekday {
        by_day: String,
    },
    /// `BYSETPOS`.
    SetPos,
    /// A daily rule limited to some weekdays or dates.
    DailyFiltered,
    /// A day of the month counted from its end (`BYMONTHDAY=-2`).
    NegativeMonthDay {
        day: i8,
    },
    /// Weekdays other than the first meeting's (or Monday to Friday).
    OtherWeekdays {
        by_day: String,
    },
    /// Several weekdays where the vendor takes the first meeting's only.
    SeveralWeekdays {
        by_day: String,
    },
    /// Days of the month other than the first meeting's.
    OtherMonthDays {
        days: Vec<i8>,
    },
    /// A day some months lack, where the vendor does not say what it does then.
    ShortMonthDay {
        day: u32,
    },
    /// The series has no end and the vendor's series needs one.
    NoEnd,
    /// More occurrences than the vendor's series holds.
    TooManyOccurrences {
        max: usize,
        got: usize,
    },
    /// The vendor's series spans at most a year.
    LongerThanAYear {
        start: String,
        end: String,
    },
    /// The meeting length is outside the vendor's range.
    Length {
        min: u32,
        max: u32,
        got: u32,
    },
    /// The first meeting is not one the rule gives; the vendor's rule would not hold it.
    StartOffRule {
        start: String,
    },
    /// An occurrence has a subject of its own, which the vendor cannot give one occurrence.
    RetitledOccurrences {
        count: usize,
    },
    /// Excluded dates or changed occurrences, where the vendor cannot address one occurrence.
    NoOccurrenceOperations {
        count: usize,
    },
    /// The vendor's rule gives other meetings: the first difference (`None`: no meeting there).
    Differs {
        series: Option<String>,
        vendor: Option<String>,
        hint: Option<DiffHint>,
    },
}

/// What one vendor will do with a series. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SeriesPlan {
    pub vendor: VendorKind,
    pub mode: PlanMode,
    /// Meetings the vendor will hold once booked (EXDATEs and cancelled occurrences left out;
    /// for a local plan, only those that can be booked now).
    pub occurrences: usize,
    /// The vendor keeps the series without end (a native rule with no end date).
    pub open_ended: bool,
    pub beyond_cap: Vec<BeyondCap>,
    pub not_carried: Vec<NotCarried>,
    /// Why not native (empty for a native plan).
    pub reasons: Vec<PlanReason>,
}

fn name(vendor: VendorKind, lang: Lang) -> &'static str {
    vendor.display_name(lang)
}

fn unit_words(unit: PeriodUnit, n: u32, lang: Lang) -> String {
    match (lang, unit) {
        (Lang::Zh, PeriodUnit::Day) => format!("{n} 天"),
        (Lang::Zh, PeriodUnit::Week) => format!("{n} 周"),
        (Lang::Zh, PeriodUnit::Month) => format!("{n} 个月"),
        (Lang::En, u) => {
            let w = match u {
                PeriodUnit::Day => "day",
                PeriodUnit::Week => "week",
                PeriodUnit::Month => "month",
            };
            if n == 1 {
                format!("1 {w}")
            } else {
                format!("{n} {w}s")
            }
        }
    }
}

fn at(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl PlanReason {
    pub fn message(&self, vendor: VendorKind, lang: Lang) -> String {
        use PlanReason::*;
        let v = name(vendor, lang);
        let zh = lang == Lang::Zh;
        match self {
            NoRecurrence if zh => format!("{v} 没有周期会议"),
            NoRecurrence => format!("{v} has no recurring meetings"),
            ReservesDoNotRepeat if zh => format!("{v} 的预约会议不能重复"),
            ReservesDoNotRepeat => format!("{v} reservations do not repeat"),
            Invalid { problems } => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message(lang)))
                    .collect();
                match lang {
                    Lang::Zh => format!("系列本身有问题：{}", list.join("；")),
                    Lang::En => format!("the series is not valid: {}", list.join("; ")),
                }
            }
            Zone { zone } if zh => format!("{v} 没有与 {zone} 对应的时区"),
            Zone { zone } => format!("{v} has no time zone for {zone}"),
            Yearly if zh => format!("{v} 只能按天、周或月重复，不能按年"),
            Yearly => format!("{v} repeats daily, weekly or monthly, not yearly"),
            Interval { unit, max, got } if zh => format!(
                "{v} 最多每 {}重复一次；此系列每 {}",
                unit_words(*unit, *max, lang),
                unit_words(*unit, *got, lang)
            ),
            Interval { unit, max, got } => format!(
                "{v} repeats at most every {}; this series repeats every {}",
                unit_words(*unit, *max, lang),
                unit_words(*unit, *got, lang)
            ),
            IntervalNotOffered { unit, got } if zh => format!(
                "{v} 只有固定的重复方式（每天、每个工作日、每周、每两周、每月），不能每 {}",
                unit_words(*unit, *got, lang)
            ),
            IntervalNotOffered { unit, got } => format!(
                "{v} has fixed patterns only (daily, workdays, weekly, every two weeks, monthly), not every {}",
                unit_words(*unit, *got, lang)
            ),
            OrdinalWeekday { by_day } => {
                let words = ordinal_words(by_day, lang);
                match lang {
                    Lang::Zh => format!("{v} 无法表示“{words}”（BYDAY={by_day}）"),
                    Lang::En => format!("{v} cannot express '{words}' (BYDAY={by_day})"),
                }
            }
            MonthlyByWeekday { by_day } if zh => {
                format!("{v} 的按月重复只能按日期，不能按星期（BYDAY={by_day}）")
            }
            MonthlyByWeekday { by_day } => format!(
                "a monthly {v} series meets on dates of the month, not on weekdays (BYDAY={by_day})"
            ),
            DayAndDate if zh => format!("{v} 不能同时按星期和日期重复（BYDAY 与 BYMONTHDAY）"),
            DayAndDate => {
                format!("{v} cannot repeat on weekdays and dates together (BYDAY with BYMONTHDAY)")
            }
            SetPos if zh => format!("{v} 不能在一个周期的多天中按序选取（BYSETPOS）"),
            SetPos => format!("{v} cannot pick among a period's days (BYSETPOS)"),
            DailyFiltered if zh => format!("{v} 的按天重复是每 N 天一次，不能限定星期或日期"),
            DailyFiltered => format!(
                "a daily {v} series meets every N days; it cannot be limited to some weekdays or dates"
            ),
            NegativeMonthDay { day } if zh => {
                format!("{v} 不能从月末倒数日期（BYMONTHDAY={day}）")
            }
            NegativeMonthDay { day } => format!(
                "{v} cannot count days from the end of the month (BYMONTHDAY={day})"
            ),
            OtherWeekdays { by_day } if zh => format!(
                "{v} 只能在首次会议的星期几或周一至周五重复，不能按 BYDAY={by_day}"
            ),
            OtherWeekdays { by_day } => format!(
                "{v} repeats on the first meeting's weekday or Monday to Friday only, not BYDAY={by_day}"
            ),
            SeveralWeekdays { by_day } if zh => format!(
                "{v} 的按月按周重复只能选首次会议的那个星期几，不能按 BYDAY={by_day}"
            ),
            SeveralWeekdays { by_day } => format!(
                "a {v} monthly series by week takes the first meeting's weekday only, not BYDAY={by_day}"
            ),
            OtherMonthDays { days } => {
                let list: Vec<String> = days.iter().map(ToString::to_string).collect();
                match lang {
                    Lang::Zh => format!(
                        "{v} 按月重复只能在首次会议的日期，不能按 BYMONTHDAY={}",
                        list.join(",")
                    ),
                    Lang::En => format!(
                        "{v} repeats monthly on the first meeting's day only, not BYMONTHDAY={}",
                        list.join(",")
                    ),
                }
            }
            ShortMonthDay { day } if zh => format!(
                "有的月份没有 {day} 日，{v} 未说明这时会怎么做（此系列在这些月份跳过）"
            ),
            ShortMonthDay { day } => format!(
                "some months have no day {day}, and {v} does not say what it does then (the series skips those months)"
            ),
            NoEnd if zh => format!("{v} 的周期会议必须有结束：日期或次数"),
            NoEnd => format!("a {v} series needs an end: a date or a number of meetings"),
            TooManyOccurrences { max, got } if zh => {
                format!("{v} 的周期会议最多 {max} 次；此系列有 {got} 次")
            }
            TooManyOccurrences { max, got } => {
                format!("a {v} series holds at most {max} meetings; this series has {got}")
            }
            LongerThanAYear { start, end } if zh => {
                format!("{v} 的周期会议最长一年；此系列从 {start} 到 {end}")
            }
            LongerThanAYear { start, end } => {
                format!("a {v} series spans at most one year; this one runs from {start} to {end}")
            }
            Length { min, max, got } if zh => {
                format!("{v} 的会议时长须在 {min} 到 {max} 分钟之间；此系列每次 {got} 分钟")
            }
            Length { min, max, got } => format!(
                "a {v} meeting lasts {min} to {max} minutes; this series' meetings last {got}"
            ),
            StartOffRule { start } if zh => {
                format!("首次会议（{start}）不在规则给出的日期上，{v} 的周期规则不会包含它")
            }
            StartOffRule { start } => format!(
                "the first meeting ({start}) is not one the rule gives; {v}'s rule would not hold it"
            ),
            RetitledOccurrences { count } if zh => {
                format!("{count} 次会议有自己的主题，{v} 不能单独修改某一次的主题")
            }
            RetitledOccurrences { count } => format!(
                "{count} occurrence(s) have a subject of their own, and {v} cannot retitle one occurrence"
            ),
            NoOccurrenceOperations { count } if zh => format!(
                "有 {count} 处排除或单次修改，{v} 不能单独取消或修改周期会议中的某一次"
            ),
            NoOccurrenceOperations { count } => format!(
                "{count} excluded or changed occurrence(s), and {v} cannot cancel or change one occurrence of its series"
            ),
            Differs {
                series,
                vendor: theirs,
                hint,
            } => {
                let none = lang.pick("没有会议", "no meeting");
                let ours = series.as_deref().unwrap_or(none);
                let theirs = theirs.as_deref().unwrap_or(none);
                let hint = match (hint, lang) {
                    (None, _) => String::new(),
                    (Some(DiffHint::ShortMonths), Lang::Zh) => {
                        "（某些月份没有该日期：此系列跳过该月，对方改在月末）".into()
                    }
                    (Some(DiffHint::ShortMonths), Lang::En) => {
                        " (a day some months lack is skipped by the series but moved to the month's last day by the vendor)".into()
                    }
                    (Some(DiffHint::WeekStart), Lang::Zh) => "（每周从哪天算起不同）".into(),
                    (Some(DiffHint::WeekStart), Lang::En) => {
                        " (the weeks start on another day)".into()
                    }
                    (Some(DiffHint::ZoneRules), Lang::Zh) => {
                        "（对方按另一时区或夏令时规则计算）".into()
                    }
                    (Some(DiffHint::ZoneRules), Lang::En) => {
                        " (the vendor computes in another time zone or daylight-saving rules)"
                            .into()
                    }
                };
                match lang {
                    Lang::Zh => format!(
                        "{v} 的周期规则给出的会议不同：此系列为 {ours}，{v} 为 {theirs}{hint}"
                    ),
                    Lang::En => format!(
                        "{v}'s rule would not hold the same meetings: the series has {ours} where {v} would have {theirs}{hint}"
                    ),
                }
            }
        }
    }
}

/// "the last Friday" / "最后一个星期五" for `-1FR`; the code itself when it is not one.
fn ordinal_words(by_day: &str, lang: Lang) -> String {
    let b = by_day.trim();
    if b.len() < 3 || !b.is_char_boundary(b.len() - 2) {
        return b.to_string();
    }
    let (num, day) = b.split_at(b.len() - 2);
    let (Ok(n), Some(d)) = (num.parse::<i8>(), crate::series::Weekday::parse(day)) else {
        return b.to_string();
    };
    let words = crate::series::nth_weekday_words(n, d, lang);
    match lang {
        Lang::Zh => words,
        Lang::En => format!("the {words}"),
    }
}

impl NotCarried {
    pub fn message(&self, vendor: VendorKind, lang: Lang) -> String {
        let v = name(vendor, lang);
        match (self, lang) {
            (NotCarried::CancelledAfterCreate { count }, Lang::Zh) => format!(
                "{count} 次被排除或取消的会议不能写进 {v} 的周期规则：创建系列后立即逐次取消"
            ),
            (NotCarried::CancelledAfterCreate { count }, Lang::En) => format!(
                "{count} excluded or cancelled occurrence(s) cannot be part of {v}'s rule: they are cancelled one by one right after the series is created"
            ),
            (NotCarried::MovedAfterCreate { count }, Lang::Zh) => format!(
                "{count} 次改了时间或时长的会议不能写进 {v} 的周期规则：创建系列后立即逐次修改"
            ),
            (NotCarried::MovedAfterCreate { count }, Lang::En) => format!(
                "{count} moved or resized occurrence(s) cannot be part of {v}'s rule: they are moved one by one right after the series is created"
            ),
            (NotCarried::VendorWorkdays, Lang::Zh) => {
                format!("哪些天是工作日由 {v} 决定（节假日可能不同）")
            }
            (NotCarried::VendorWorkdays, Lang::En) => format!(
                "{v} decides which days are workdays (public holidays may differ from Monday to Friday)"
            ),
            (NotCarried::VendorReminders { days }, Lang::Zh) => {
                format!("{v} 会在每次会议前 {days} 天自行发送提醒")
            }
            (NotCarried::VendorReminders { days }, Lang::En) => {
                format!("{v} sends its own reminder {days} day(s) before each meeting")
            }
            (NotCarried::SeriesKnownOnlyToHuiyi, Lang::Zh) => {
                format!("{v} 看到的是互不相关的单次会议，只有会易知道它们是一个系列")
            }
            (NotCarried::SeriesKnownOnlyToHuiyi, Lang::En) => format!(
                "{v} sees unrelated single meetings; only Huiyi knows they are one series"
            ),
        }
    }
}

impl BeyondCap {
    pub fn message(&self, vendor: VendorKind, lang: Lang) -> String {
        let v = name(vendor, lang);
        let first = self.first.as_ref().map(at).unwrap_or_default();
        match (self.limit, self.count, lang) {
            (CapLimit::BookingWindow { days }, Some(n), Lang::Zh) => format!(
                "{v} 只能预约 {days} 天内结束的会议：从 {first} 起的 {n} 次现在不能预约，待进入 {days} 天内后再预约"
            ),
            (CapLimit::BookingWindow { days }, Some(n), Lang::En) => format!(
                "{v} books meetings that end within {days} days only: {n} meeting(s) from {first} on cannot be booked now; book them later, once they are within {days} days"
            ),
            (CapLimit::BookingWindow { days }, None, Lang::Zh) => format!(
                "{v} 只能预约 {days} 天内结束的会议：从 {first} 起的会议现在不能预约，待进入 {days} 天内后再预约"
            ),
            (CapLimit::BookingWindow { days }, None, Lang::En) => format!(
                "{v} books meetings that end within {days} days only: the meetings from {first} on cannot be booked now; book them later, once they are within {days} days"
            ),
            (CapLimit::NoEnd { planned }, _, Lang::Zh) => format!(
                "系列没有结束（或超过 {planned} 次）：逐次预订只能订前 {planned} 次，从 {first} 起的不在其中；请给系列设置结束"
            ),
            (CapLimit::NoEnd { planned }, _, Lang::En) => format!(
                "the series has no end (or more than {planned} meetings): booked meeting by meeting, only the first {planned} can be, not those from {first} on; give the series an end"
            ),
        }
    }
}

impl SeriesPlan {
    /// "Native Tencent Meeting recurring meeting: 24 meetings" / "24 single meetings".
    pub fn headline(&self, lang: Lang) -> String {
        let v = name(self.vendor, lang);
        let n = self.occurrences;
        match (self.mode, self.open_ended, lang) {
            (PlanMode::Native { .. }, true, Lang::Zh) => format!("{v} 原生周期会议，不设结束"),
            (PlanMode::Native { .. }, true, Lang::En) => {
                format!("native {v} recurring series, without end")
            }
            (PlanMode::Native { .. }, false, Lang::Zh) => {
                format!("{v} 原生周期会议，共 {n} 次")
            }
            (PlanMode::Native { .. }, false, Lang::En) => {
                format!("native {v} recurring series of {n} meeting(s)")
            }
            (PlanMode::Local, _, lang) => {
                let later: Option<Option<usize>> = self.beyond_cap.iter().find_map(|b| {
                    matches!(b.limit, CapLimit::BookingWindow { .. }).then_some(b.count)
                });
                match (later, lang) {
                    (None, Lang::Zh) => format!("{n} 个单次会议（会易按系列管理）"),
                    (None, Lang::En) => {
                        format!("{n} single meeting(s), tracked by Huiyi as one series")
                    }
                    (Some(Some(m)), Lang::Zh) => {
                        format!("现在 {n} 个单次会议，以后再订 {m} 个（会易按系列管理）")
                    }
                    (Some(Some(m)), Lang::En) => format!(
                        "{n} single meeting(s) now and {m} later, tracked by Huiyi as one series"
                    ),
                    (Some(None), Lang::Zh) => {
                        format!("现在 {n} 个单次会议，其余以后再订（会易按系列管理）")
                    }
                    (Some(None), Lang::En) => format!(
                        "{n} single meeting(s) now and the rest later, tracked by Huiyi as one series"
                    ),
                }
            }
        }
    }

    pub fn reason_messages(&self, lang: Lang) -> Vec<String> {
        self.reasons
            .iter()
            .map(|r| r.message(self.vendor, lang))
            .collect()
    }

    pub fn beyond_cap_messages(&self, lang: Lang) -> Vec<String> {
        self.beyond_cap
            .iter()
            .map(|b| b.message(self.vendor, lang))
            .collect()
    }

    pub fn not_carried_messages(&self, lang: Lang) -> Vec<String> {
        self.not_carried
            .iter()
            .map(|c| c.message(self.vendor, lang))
            .collect()
    }

    pub fn is_native(&self) -> bool {
        matches!(self.mode, PlanMode::Native { .. })
    }

    /// Single meetings for every occurrence (the default for a vendor without native series).
    /// `reasons` says why not native. A series without end, or with more occurrences than
    /// Huiyi books one by one, is planned for its first [`MAX_LOCAL_OCCURRENCES`] and says so.
    pub fn local(vendor: VendorKind, series: &Series, reasons: Vec<PlanReason>) -> SeriesPlan {
        let mut plan = SeriesPlan {
            vendor,
            mode: PlanMode::Local,
            occurrences: 0,
            open_ended: false,
            beyond_cap: Vec::new(),
            not_carried: Vec::new(),
            reasons,
        };
        match series.expand(MAX_LOCAL_OCCURRENCES) {
            Err(problems) => {
                if !plan
                    .reasons
                    .iter()
                    .any(|r| matches!(r, PlanReason::Invalid { .. }))
                {
                    plan.reasons.push(PlanReason::Invalid { problems })
                }
            }
            Ok(e) => {
                plan.occurrences = live(&e);
                plan.not_carried.push(NotCarried::SeriesKnownOnlyToHuiyi);
                if e.truncated {
                    plan.beyond_cap.push(BeyondCap {
                        limit: CapLimit::NoEnd {
                            planned: e.occurrences.len(),
                        },
                        count: None,
                        first: None,
                    });
                }
            }
        }
        plan
    }

    /// [`SeriesPlan::local`], then the occurrences that end after `now + days` moved to
    /// `beyond_cap` (they can be booked later).
    pub fn local_within(
        vendor: VendorKind,
        series: &Series,
        reasons: Vec<PlanReason>,
        now: DateTime<Utc>,
        days: u32,
    ) -> SeriesPlan {
        let mut plan = SeriesPlan::local(vendor, series, reasons);
        let Ok(e) = series.expand(MAX_LOCAL_OCCURRENCES) else {
            return plan;
        };
        let limit = now + chrono::Duration::days(i64::from(days));
        let later: Vec<&crate::series::Occurrence> = e
            .occurrences
            .iter()
            .filter(|o| !o.cancelled && o.end.with_timezone(&Utc) > limit)
            .collect();
        if let Some(first) = later.first() {
            plan.occurrences -= later.len();
            plan.beyond_cap.insert(
                0,
                BeyondCap {
                    limit: CapLimit::BookingWindow { days },
                    count: (!e.truncated).then_some(later.len()),
                    first: Some(first.start),
                },
            );
            // The no-end item's first is where planning stops; keep it apart.
        }
        plan
    }

    /// A native plan for a series already found exact: the occurrences, the vendor holding it
    /// without end or not, and the EXDATEs and changed occurrences that become per-occurrence
    /// calls after the create.
    pub fn native(
        vendor: VendorKind,
        kind: NativeKind,
        series: &Series,
        open_ended: bool,
    ) -> SeriesPlan {
        let mut plan = SeriesPlan {
            vendor,
            mode: PlanMode::Native { kind },
            occurrences: 0,
            open_ended,
            beyond_cap: Vec::new(),
            not_carried: Vec::new(),
            reasons: Vec::new(),
        };
        if let Ok(e) = series.expand(crate::series::MAX_OCCURRENCES) {
            plan.occurrences = live(&e);
        }
        let cancelled =
            series.exdates.len() + series.overrides.iter().filter(|o| o.cancelled).count();
        if cancelled > 0 {
            plan.not_carried
                .push(NotCarried::CancelledAfterCreate { count: cancelled });
        }
        let moved = series
            .overrides
            .iter()
            .filter(|o| !o.cancelled && (o.start.is_some() || o.duration_minutes.is_some()))
            .count();
        if moved > 0 {
            plan.not_carried
                .push(NotCarried::MovedAfterCreate { count: moved });
        }
        plan
    }
}

/// Occurrences that will take place.
fn live(e: &Expansion) -> usize {
    e.occurrences.iter().filter(|o| !o.cancelled).count()
}

/// Occurrences with a subject of their own (no vendor's native series can retitle one).
pub fn retitled_occurrences(series: &Series) -> usize {
    series
        .overrides
        .iter()
        .filter(|o| {
            !o.cancelled
                && o.subject
                    .as_deref()
                    .is_some_and(|s| s.trim() != series.subject.trim())
        })
        .count()
}

impl PlanReason {
    /// The first difference between the series' meetings and a vendor's (starts), shown as
    /// wall-clock times in `zone`; `None` when they are the same.
    pub fn first_difference(
        ours: &[DateTime<Utc>],
        theirs: &[DateTime<Utc>],
        zone: chrono_tz::Tz,
        hint: Option<DiffHint>,
    ) -> Option<PlanReason> {
        if ours == theirs {
            return None;
        }
        let i = ours
            .iter()
            .zip(theirs)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(theirs.len()));
        let show = |t: Option<&DateTime<Utc>>| {
            t.map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        };
        Some(PlanReason::Differs {
            series: show(ours.get(i)),
            vendor: show(theirs.get(i)),
            hint,
        })
    }
}
