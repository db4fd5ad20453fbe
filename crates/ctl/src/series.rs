//! `huiyictl series ...`: recurring series. `series preview` expands a rule with huiyi-core
//! alone (no data folder, account, keyring or network is touched). The others book a series as
//! single meetings through the desk (`create`), show its progress (`show`, `list`), move or
//! cancel occurrences (`edit`, `cancel`) and continue what a crash or an interruption left
//! (`resume`). `create`, `edit`, `cancel` and `resume` first resume every interrupted series
//! of the data folder; `show` and `list` only read (and say when a series is interrupted).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use huiyi_core::booking::parse_local_datetime;
use huiyi_core::{Expansion, FieldError, FieldErrorCode, Lang, Occurrence, Series, SeriesRule};
use huiyi_desk::{
    Desk, DeskOptions, OccurrenceState, SeriesForm, SeriesState, SeriesView, UiError,
};
use serde::Serialize;

#[derive(Subcommand, Debug)]
pub enum SeriesCommand {
    /// Print the occurrences of a start, zone and RFC 5545 repeat rule, and the rule in words
    /// (needs no account).
    Preview(PreviewArgs),
    /// Book a series as single meetings, one per occurrence (crash-safe: an interrupted
    /// booking is continued by the next `series` command).
    Create(Box<CreateArgs>),
    /// A series, its progress (n of N booked) and each occurrence's state.
    Show { id: String },
    /// Every series and its progress.
    List,
    /// Cancel the whole series, or one occurrence (--occurrence), or it and every later one
    /// (--following). What was booked is cancelled at the vendor.
    Cancel {
        id: String,
        /// The occurrence, by its original start (wall-clock time in the series' zone, as
        /// `series show` lists it).
        #[arg(long, value_name = "LOCAL")]
        occurrence: Option<String>,
        /// With --occurrence: that one and every later one.
        #[arg(long, requires = "occurrence")]
        following: bool,
    },
    /// Move one occurrence: its meeting is edited at the vendor, no other is touched.
    Edit {
        id: String,
        /// The occurrence, by its original start (as `series show` lists it).
        #[arg(long, value_name = "LOCAL")]
        occurrence: String,
        /// Its new start, wall-clock time in the series' zone.
        #[arg(long, value_name = "LOCAL")]
        start: String,
        /// Its new length in minutes (default: unchanged).
        #[arg(long, value_name = "MIN")]
        duration: Option<u32>,
    },
    /// Continue every series a crash or an interruption left unfinished.
    Resume,
    /// What each account's vendor will do with the series before anything is booked: native
    /// or single meetings, occurrences beyond a cap, what it cannot carry, and why.
    Plan(super::series_plan::PlanArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The account to book with (its id in `account list`).
    #[arg(long)]
    pub account: String,
    #[arg(long)]
    pub subject: String,
    /// The first start (DTSTART), wall-clock time in --zone: 2026-03-02T09:30.
    #[arg(long)]
    pub start: String,
    /// IANA time zone of the series (default: the computer's zone).
    #[arg(long)]
    pub zone: Option<String>,
    /// Length of each occurrence in minutes.
    #[arg(long, value_name = "MIN", default_value_t = 60)]
    pub duration: u32,
    /// RFC 5545 repeat rule with an end: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10'.
    #[arg(long)]
    pub rrule: String,
    /// An occurrence to leave out, by its start, wall-clock time in --zone (repeatable).
    #[arg(long = "exdate", value_name = "LOCAL")]
    pub exdates: Vec<String>,
    /// An attendee: 'name=张三,email=a@b.c,phone=+8613800138000,account=u1,host' (repeatable).
    #[arg(long = "attendee", value_name = "SPEC")]
    pub attendees: Vec<String>,
    /// Meeting password, digits only (vendors that let the booker choose one).
    #[arg(long, value_name = "DIGITS")]
    pub password: Option<String>,
    /// Concurrent participant ports to reserve (BizConf); default: the vendor's.
    #[arg(long, value_name = "N")]
    pub ports: Option<u32>,
}

#[derive(Args, Debug)]
pub struct PreviewArgs {
    /// The first start (DTSTART), wall-clock time in --zone: 2026-03-02T09:30.
    #[arg(long)]
    pub start: String,
    /// IANA time zone the series keeps its wall-clock times in: Asia/Shanghai.
    #[arg(long)]
    pub zone: String,
    /// RFC 5545 repeat rule: 'FREQ=WEEKLY;BYDAY=MO,WE' (FREQ DAILY, WEEKLY, MONTHLY or YEARLY;
    /// INTERVAL, BYDAY, BYMONTHDAY, BYSETPOS, COUNT or UNTIL in UTC, WKST).
    #[arg(long)]
    pub rrule: String,
    /// An occurrence to leave out, by its start, wall-clock time in --zone (repeatable).
    #[arg(long = "exdate", value_name = "LOCAL")]
    pub exdates: Vec<String>,
    /// Length of each occurrence in minutes.
    #[arg(long, value_name = "MIN", default_value_t = 60)]
    pub duration: u32,
    /// How many occurrences to print (at most 1000).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
}

/// `series preview --json`.
#[derive(Serialize)]
struct PreviewJson<'a> {
    /// The rule in words, in the chosen language.
    summary: String,
    /// The rule as read, in canonical RRULE form.
    rrule: String,
    zone: &'a str,
    occurrences: &'a [Occurrence],
    /// More occurrences follow the ones listed.
    truncated: bool,
    /// The rule gives the first start itself (else it is still the first occurrence).
    start_matches_rule: bool,
}

/// What a desk-backed series command printed.
enum SeriesOutput {
    One(SeriesView),
    Many(Vec<SeriesView>),
}

/// Runs a `series` command and prints its result; the exit code as `main_with_args` gives it.
pub(crate) fn run(
    command: &SeriesCommand,
    data_dir: Option<&std::path::Path>,
    json: bool,
    lang: Lang,
) -> ExitCode {
    if let SeriesCommand::Plan(args) = command {
        return super::series_plan::run(
            args,
            data_dir.map(std::path::Path::to_path_buf),
            json,
            lang,
        );
    }
    if !matches!(command, SeriesCommand::Preview(_)) {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("cannot start the async runtime: {e}");
                return ExitCode::from(1);
            }
        };
        return match runtime.block_on(run_desk(command, data_dir, lang)) {
            Ok(out) => {
                print_series(&out, json, lang);
                ExitCode::SUCCESS
            }
            Err(e) => {
                super::print_error(&e, json, lang);
                ExitCode::from(if e.code == "invalid_input" { 2 } else { 1 })
            }
        };
    }
    match command {
        SeriesCommand::Preview(args) => match preview(args) {
            Ok((series, expansion)) => {
                print_preview(&series, &expansion, json, lang);
                ExitCode::SUCCESS
            }
            Err(errors) => {
                super::print_error(&UiError::invalid_input(&errors, lang), json, lang);
                ExitCode::from(2)
            }
        },
        _ => unreachable!("run by run_desk"),
    }
}

async fn run_desk(
    command: &SeriesCommand,
    data_dir: Option<&std::path::Path>,
    lang: Lang,
) -> Result<SeriesOutput, UiError> {
    let data_dir = data_dir
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(Desk::default_data_dir);
    huiyi_desk::init_logging(&data_dir, false)?;
    let desk = Desk::open(DeskOptions {
        data_dir,
        secrets: super::secret_store(),
        lang,
        feishu_redirect_port: huiyi_desk::feishu_user::redirect_port(),
    })?;
    // What a crash or an interruption left is finished before anything new is done.
    let resumed = match command {
        SeriesCommand::Show { .. } | SeriesCommand::List | SeriesCommand::Plan(_) => Vec::new(),
        _ => desk.resume_series().await?,
    };
    match command {
        SeriesCommand::Preview(_) | SeriesCommand::Plan(_) => {
            unreachable!("run without this desk")
        }
        SeriesCommand::Create(a) => {
            let attendees = super::parse_attendees(&a.attendees, lang)?;
            let form = SeriesForm {
                subject: a.subject.clone(),
                start: a.start.clone(),
                zone: a.zone.clone().unwrap_or_else(huiyi_desk::local_zone),
                duration_minutes: a.duration,
                rrule: a.rrule.clone(),
                exdates: a.exdates.clone(),
                attendees,
                notify: Default::default(),
                ports: a.ports,
                registration: false,
                password: a.password.clone().unwrap_or_default(),
            };
            let account = huiyi_core::AccountId(a.account.clone());
            Ok(SeriesOutput::One(desk.create_series(&account, form).await?))
        }
        SeriesCommand::Show { id } => Ok(SeriesOutput::One(desk.series(id)?)),
        SeriesCommand::List => Ok(SeriesOutput::Many(desk.series_list()?)),
        SeriesCommand::Cancel {
            id,
            occurrence,
            following,
        } => Ok(SeriesOutput::One(match occurrence {
            Some(o) => desk.cancel_occurrence(id, o, *following).await?,
            None => desk.cancel_series(id).await?,
        })),
        SeriesCommand::Edit {
            id,
            occurrence,
            start,
            duration,
        } => Ok(SeriesOutput::One(
            desk.move_occurrence(id, occurrence, start, *duration)
                .await?,
        )),
        SeriesCommand::Resume => Ok(SeriesOutput::Many(resumed)),
    }
}

fn state_word(s: OccurrenceState, lang: Lang) -> &'static str {
    use OccurrenceState::*;
    match s {
        Pending => lang.pick("待预订", "pending"),
        Sending => lang.pick("发送中", "sending"),
        Booked => lang.pick("已预订", "booked"),
        Failed => lang.pick("失败", "failed"),
        Cancelled => lang.pick("已取消", "cancelled"),
        Unknown => lang.pick("状态未知", "unknown"),
    }
}

fn series_word(s: SeriesState, lang: Lang) -> &'static str {
    use SeriesState::*;
    match s {
        Booking => lang.pick("预订中", "booking"),
        Booked => lang.pick("已全部预订", "booked"),
        Partial => lang.pick("部分完成", "partial"),
        Cancelling => lang.pick("取消中", "cancelling"),
        Cancelled => lang.pick("已取消", "cancelled"),
    }
}

fn print_view(v: &SeriesView, lang: Lang) {
    let zone: chrono_tz::Tz = v.zone.parse().unwrap_or(chrono_tz::Tz::UTC);
    println!("{}  [{}]", v.subject, v.id);
    println!("  {}", v.summary);
    match lang {
        Lang::Zh => println!(
            "  账号：{}（{}）  状态：{}  已预订 {}/{}",
            v.account_label,
            v.vendor.display_name(lang),
            series_word(v.state, lang),
            v.booked,
            v.total
        ),
        Lang::En => println!(
            "  Account: {} ({})  State: {}  Booked {} of {}",
            v.account_label,
            v.vendor.display_name(lang),
            series_word(v.state, lang),
            v.booked,
            v.total
        ),
    }
    if v.state == SeriesState::Booking && !v.running {
        println!(
            "  {}",
            lang.pick(
                "预订被中断：运行 huiyictl series resume 继续。",
                "The booking was interrupted: run `huiyictl series resume` to continue."
            )
        );
    }
    for o in &v.occurrences {
        let start = o.start.with_timezone(&zone).format("%Y-%m-%d %H:%M");
        let mut line = format!(
            "  {}  {start}  {}",
            o.original_start,
            state_word(o.state, lang)
        );
        if let Some(m) = &o.meeting_id {
            line.push_str(&format!("  {m}"));
        }
        if let Some(e) = &o.error {
            line.push_str(&format!("  — {e}"));
        }
        println!("{line}");
    }
}

fn print_series(out: &SeriesOutput, json: bool, lang: Lang) {
    match (out, json) {
        (SeriesOutput::One(v), true) => super::print_json(v),
        (SeriesOutput::Many(v), true) => super::print_json(v),
        (SeriesOutput::One(v), false) => print_view(v, lang),
        (SeriesOutput::Many(vs), false) => {
            if vs.is_empty() {
                println!("{}", lang.pick("没有系列会议。", "No series."));
            }
            for v in vs {
                print_view(v, lang);
            }
        }
    }
}

fn preview(args: &PreviewArgs) -> Result<(Series, Expansion), Vec<FieldError>> {
    let mut errors = Vec::new();
    let start = parse_local_datetime(&args.start);
    if start.is_none() {
        errors.push(FieldError::new("start", FieldErrorCode::BadDateTime));
    }
    let mut exdates = Vec::new();
    for (i, ex) in args.exdates.iter().enumerate() {
        match parse_local_datetime(ex) {
            Some(t) => exdates.push(t),
            None => errors.push(FieldError::new(
                format!("exdates.{i}"),
                FieldErrorCode::BadDateTime,
            )),
        }
    }
    let rule = SeriesRule::parse(&args.rrule)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(start), Some(rule), true) = (start, rule, errors.is_empty()) else {
        // Say everything at once: the zone too, which expanding would have checked.
        if args.zone.trim().parse::<chrono_tz::Tz>().is_err() {
            let code = if args.zone.trim().is_empty() {
                FieldErrorCode::Required
            } else {
                FieldErrorCode::UnknownZone
            };
            errors.insert(0, FieldError::new("zone", code));
        }
        return Err(errors);
    };
    let series = Series {
        subject: String::new(),
        start,
        zone: args.zone.trim().to_string(),
        duration_minutes: args.duration,
        rule,
        exdates,
        overrides: Vec::new(),
    };
    let expansion = series.expand(args.limit)?;
    Ok((series, expansion))
}

fn print_preview(series: &Series, e: &Expansion, json: bool, lang: Lang) {
    if json {
        super::print_json(&PreviewJson {
            summary: series.summary(lang),
            rrule: series.rule.to_string(),
            zone: &series.zone,
            occurrences: &e.occurrences,
            truncated: e.truncated,
            start_matches_rule: e.start_matches_rule,
        });
        return;
    }
    println!("{}", series.summary(lang));
    if !e.start_matches_rule {
        println!(
            "{}",
            lang.pick(
                "注意：开始时间不符合重复规则，按 RFC 5545 它仍是第一次会议。",
                "Note: the start does not match the rule; RFC 5545 keeps it as the first occurrence."
            )
        );
    }
    for o in &e.occurrences {
        println!("{}", o.start.to_rfc3339());
    }
    if e.truncated {
        let n = e.occurrences.len();
        let more = match lang {
            Lang::Zh => format!(
                "……后面还有。只列出了前 {n} 次；用 --limit 列出更多（最多 {} 次）。",
                huiyi_core::series::MAX_OCCURRENCES
            ),
            Lang::En => format!(
                "... and more: only the first {n} are listed; use --limit for more (at most {}).",
                huiyi_core::series::MAX_OCCURRENCES
            ),
        };
        println!("{more}");
    }
}
