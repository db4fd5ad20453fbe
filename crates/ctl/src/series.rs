//! `huiyictl series ...`: recurring series. For now `series preview`, which expands a rule with
//! huiyi-core alone: no data folder, account, keyring or network is touched.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use huiyi_core::booking::parse_local_datetime;
use huiyi_core::{Expansion, FieldError, FieldErrorCode, Lang, Occurrence, Series, SeriesRule};
use huiyi_desk::UiError;
use serde::Serialize;

#[derive(Subcommand, Debug)]
pub enum SeriesCommand {
    /// Print the occurrences of a start, zone and RFC 5545 repeat rule, and the rule in words
    /// (needs no account).
    Preview(PreviewArgs),
    /// What each account's vendor will do with the series before anything is booked: native
    /// or single meetings, occurrences beyond a cap, what it cannot carry, and why.
    Plan(super::series_plan::PlanArgs),
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

/// Runs a `series` command and prints its result; the exit code as `main_with_args` gives it.
pub(crate) fn run(command: &SeriesCommand, json: bool, lang: Lang) -> ExitCode {
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
        SeriesCommand::Plan(_) => unreachable!("series plan is run by main_with_args"),
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
