//! `huiyictl series plan`: the capability report of a recurring series. For every account (or
//! the one given), what its vendor will do before anything is booked: a native recurring
//! series or N single meetings, occurrences beyond a cap, parts it cannot carry, and why not
//! native. Reads the accounts (and their secrets, to build the clients); calls no vendor.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use huiyi_core::booking::parse_local_datetime;
use huiyi_core::{AccountId, FieldError, FieldErrorCode, Lang, Series, SeriesRule};
use huiyi_desk::series_plan::SeriesPlanView;
use huiyi_desk::{Desk, DeskOptions, UiError};
use serde::Serialize;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The first start (DTSTART), wall-clock time in --zone: 2026-03-02T09:30.
    #[arg(long)]
    pub start: String,
    /// IANA time zone the series keeps its wall-clock times in: Asia/Shanghai.
    #[arg(long)]
    pub zone: String,
    /// RFC 5545 repeat rule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=24'.
    #[arg(long)]
    pub rrule: String,
    /// An occurrence to leave out, by its start, wall-clock time in --zone (repeatable).
    #[arg(long = "exdate", value_name = "LOCAL")]
    pub exdates: Vec<String>,
    /// Length of each occurrence in minutes.
    #[arg(long, value_name = "MIN", default_value_t = 60)]
    pub duration: u32,
    /// Only this account (its id in `account list`); default: every account.
    #[arg(long)]
    pub account: Option<String>,
}

/// `series plan --json`.
#[derive(Serialize)]
struct PlanJson<'a> {
    /// The rule in words, in the chosen language.
    summary: String,
    rrule: String,
    zone: &'a str,
    accounts: &'a [SeriesPlanView],
}

/// Runs `series plan` and prints the report; exit 2 for bad input, 1 for other failures.
pub(crate) fn run(args: &PlanArgs, data_dir: Option<PathBuf>, json: bool, lang: Lang) -> ExitCode {
    let series = match series_of(args) {
        Ok(s) => s,
        Err(errors) => {
            super::print_error(&UiError::invalid_input(&errors, lang), json, lang);
            return ExitCode::from(2);
        }
    };
    match report(&series, args.account.as_deref(), data_dir, lang) {
        Ok(views) => {
            print(&series, &views, json, lang);
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::print_error(&e, json, lang);
            if e.code == "invalid_input" {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn report(
    series: &Series,
    account: Option<&str>,
    data_dir: Option<PathBuf>,
    lang: Lang,
) -> Result<Vec<SeriesPlanView>, UiError> {
    let data_dir = data_dir.unwrap_or_else(Desk::default_data_dir);
    huiyi_desk::init_logging(&data_dir, false)?;
    let desk = Desk::open(DeskOptions {
        data_dir,
        secrets: super::secret_store(),
        lang,
        feishu_redirect_port: 0,
    })?;
    let account = account.map(|a| AccountId(a.to_string()));
    desk.series_plan_report(series, account.as_ref())
}

/// The series from the arguments, every problem named by its field.
fn series_of(args: &PlanArgs) -> Result<Series, Vec<FieldError>> {
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
    series.validate()?;
    Ok(series)
}

fn print(series: &Series, views: &[SeriesPlanView], json: bool, lang: Lang) {
    if json {
        super::print_json(&PlanJson {
            summary: series.summary(lang),
            rrule: series.rule.to_string(),
            zone: &series.zone,
            accounts: views,
        });
        return;
    }
    println!("{}", series.summary(lang));
    if views.is_empty() {
        println!(
            "{}",
            lang.pick(
                "还没有账号：先用 account add 添加。",
                "No accounts yet: add one with `account add`."
            )
        );
    }
    for v in views {
        println!();
        println!(
            "{} ({}, {}): {}",
            v.account.vendor_name, v.account.label, v.account.id.0, v.headline
        );
        let sections = [
            (lang.pick("不能原生的原因", "why not native"), &v.reasons),
            (lang.pick("超出上限", "beyond cap"), &v.beyond_cap),
            (lang.pick("无法携带", "not carried"), &v.not_carried),
        ];
        for (title, items) in sections {
            for item in items {
                println!("  - {title}: {item}");
            }
        }
    }
}
