//! Recurring series booked as single meetings ("local" mode): the series is expanded here
//! (huiyi-core's [`Series::expand`]) and each occurrence becomes one ordinary meeting at the
//! vendor and in the agenda.
//!
//! Crash safety is an outbox in SQLite (`series`, `series_occurrences`, see the store):
//! - the series and every occurrence (`pending`) are written before anything is sent;
//! - each vendor call is recorded before it is sent (`sending`, attempt counted) and after it
//!   (`booked` with the vendor's id and the meeting row, in one transaction; or `failed`);
//! - a run of a series holds an OS file lock (`data_dir/series-locks/<id>.lock`), released by
//!   the OS when the process dies (SIGKILL included), so two runs (two windows, the CLI and the
//!   app) never send for the same series at once, and a `sending` occurrence found by a run
//!   holding the lock was abandoned by a crash;
//! - an abandoned `sending` occurrence, or a call that failed ambiguously (timeout, dropped
//!   connection, unreadable answer: the vendor may have committed), is *reconciled* before any
//!   retry: the vendor's list is read and a meeting with the occurrence's subject and start
//!   (and end, when one matches) that no other occurrence claims is taken as its booking. Not
//!   found: it is sent again (at most [`MAX_ATTEMPTS`] calls). A vendor without a list (Feishu)
//!   cannot be asked: the occurrence becomes `unknown` and is reported, never booked blindly a
//!   second time.
//!
//! Resuming is explicit, [`Desk::resume_series`]: `Desk::open` is synchronous, may run outside
//! an async runtime, and a short CLI command would be cut off mid-call by its own exit. The
//! app calls it once after start; every `huiyictl series` command that changes something runs
//! it first, and `huiyictl series resume` runs it alone.
//!
//! A series in "native" mode (one recurring meeting at the vendor) is planned in the same
//! tables with `mode = native`; this module books only local ones.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use huiyi_core::booking::{local_to_utc, parse_local_datetime};
use huiyi_core::{
    BookingForm, Capabilities, FieldError, FieldErrorCode, Lang, MeetingDraft, OccurrenceOverride,
    Series, SeriesRule, VendorErrorKind, VendorMeeting,
};
use huiyi_vendors::{VendorClient, VendorError};

use crate::api::{
    OccurrenceState, OccurrenceView, SeriesForm, SeriesMode, SeriesState, SeriesView, UiError,
};
use crate::store::{AccountRow, OccurrenceRow, SeriesRow};
use crate::{now_secs, record_after_write, record_from_vendor, Desk};

pub use huiyi_core::series_plan::MAX_LOCAL_OCCURRENCES;
/// The most create calls for one occurrence (the first and two retries after a reconcile that
/// found nothing).
pub const MAX_ATTEMPTS: u32 = 3;
/// How long a change to a series waits for a run of it (booking) to finish.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A run of one series, held while it lasts; the OS releases it when the process ends.
pub(crate) struct SeriesLock {
    _file: File,
}

/// What the vendor's list says about an occurrence whose create may have happened.
enum Found {
    Yes(Box<VendorMeeting>),
    No,
    /// The vendor has no list to ask.
    CannotTell,
}

/// The call may have been carried out at the vendor although no answer says so.
fn ambiguous(e: &VendorError) -> bool {
    matches!(
        e.kind,
        VendorErrorKind::Timeout
            | VendorErrorKind::Network
            | VendorErrorKind::BadResponse
            | VendorErrorKind::Unavailable
    )
}

fn local_key(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn series_error(code: &str, zh: &str, en: &str, lang: Lang) -> UiError {
    UiError::plain(code, lang.pick(zh, en).to_string())
}

fn occurrence_not_found(lang: Lang) -> UiError {
    series_error(
        "not_found",
        "该系列没有这一次会议：请用 series show 列出的原定开始时间。",
        "The series has no such occurrence: name it by the original start `series show` lists.",
        lang,
    )
}

/// The booking form of one occurrence: the series' template at the occurrence's times.
fn occurrence_form(template: &BookingForm, zone: Tz, o: &OccurrenceRow) -> BookingForm {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();
    BookingForm {
        subject: o.subject.clone(),
        start: local(o.start),
        end: None,
        duration_minutes: Some(((o.end - o.start).num_minutes()).max(0) as u32),
        zone: zone.name().to_string(),
        ..template.clone()
    }
}

/// The series and the per-occurrence template a form describes, or every problem at once.
fn parse_form(form: &SeriesForm) -> Result<(Series, BookingForm), Vec<FieldError>> {
    let mut errors = Vec::new();
    let start = parse_local_datetime(&form.start);
    if start.is_none() {
        errors.push(FieldError::new("start", FieldErrorCode::BadDateTime));
    }
    let mut exdates = Vec::new();
    for (i, ex) in form.exdates.iter().enumerate() {
        match parse_local_datetime(ex) {
            Some(t) => exdates.push(t),
            None => errors.push(FieldError::new(
                format!("exdates.{i}"),
                FieldErrorCode::BadDateTime,
            )),
        }
    }
    if form.subject.trim().is_empty() {
        errors.push(FieldError::new("subject", FieldErrorCode::Required));
    }
    let rule = SeriesRule::parse(&form.rrule)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(start), Some(rule)) = (start, rule) else {
        return Err(errors);
    };
    let series = Series {
        subject: form.subject.trim().to_string(),
        start,
        zone: form.zone.trim().to_string(),
        duration_minutes: form.duration_minutes,
        rule,
        exdates,
        overrides: Vec::new(),
    };
    if let Err(e) = series.validate() {
        errors.extend(e);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let template = BookingForm {
        subject: series.subject.clone(),
        start: String::new(),
        end: None,
        duration_minutes: None,
        zone: series.zone.clone(),
        attendees: form.attendees.clone(),
        notify: form.notify,
        ports: form.ports,
        registration: form.registration,
        password: form.password.clone(),
    };
    Ok((series, template))
}

impl Desk {
    // ---- locks ----

    fn series_lock_path(&self, id: &str) -> PathBuf {
        self.inner
            .data_dir
            .join("series-locks")
            .join(format!("{id}.lock"))
    }

    /// The run of a series, if nobody (this process or another) holds it.
    fn try_lock_series(&self, id: &str) -> Result<Option<SeriesLock>, UiError> {
        let path = self.series_lock_path(id);
        let io = |e: std::io::Error| self.store_err(crate::store::StoreError::Io(e));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SeriesLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io(e)),
        }
    }

    /// The run of a series, waiting (bounded) for a run in progress to end.
    async fn lock_series(&self, id: &str) -> Result<SeriesLock, UiError> {
        let deadline = tokio::time::Instant::now() + LOCK_WAIT;
        loop {
            if let Some(lock) = self.try_lock_series(id)? {
                return Ok(lock);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(series_error(
                    "busy",
                    "该系列正在预订中，请稍后再试。",
                    "The series is being booked right now; try again in a moment.",
                    self.lang(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    // ---- reading ----

    fn series_row(&self, id: &str) -> Result<SeriesRow, UiError> {
        self.inner
            .store
            .series(id)
            .map_err(|e| self.store_err(e))?
            .ok_or_else(|| {
                series_error(
                    "not_found",
                    "找不到该系列会议。",
                    "No such series.",
                    self.lang(),
                )
            })
    }

    fn occurrence_rows(&self, id: &str) -> Result<Vec<OccurrenceRow>, UiError> {
        self.inner
            .store
            .occurrences(id)
            .map_err(|e| self.store_err(e))
    }

    fn series_view(&self, row: &SeriesRow) -> Result<SeriesView, UiError> {
        let account = self.account_row(&row.account_id)?;
        let occurrences = self.occurrence_rows(&row.id)?;
        let count = |s: OccurrenceState| occurrences.iter().filter(|o| o.state == s).count() as u32;
        let running = self.try_lock_series(&row.id)?.is_none();
        Ok(SeriesView {
            id: row.id.clone(),
            account_id: row.account_id.clone(),
            account_label: self.label_of(&account.account),
            vendor: account.account.vendor,
            subject: row.series.subject.clone(),
            zone: row.series.zone.clone(),
            rrule: row.series.rule.to_string(),
            summary: row.series.summary(self.lang()),
            mode: row.mode,
            state: row.state,
            created_at: row.created_at,
            booked: count(OccurrenceState::Booked),
            total: occurrences.len() as u32 - count(OccurrenceState::Cancelled),
            unknown: count(OccurrenceState::Unknown),
            failed: count(OccurrenceState::Failed),
            running,
            occurrences: occurrences
                .iter()
                .map(|o| OccurrenceView {
                    original_start: local_key(o.original_start),
                    subject: o.subject.clone(),
                    start: o.start,
                    end: o.end,
                    state: o.state,
                    meeting_id: o.meeting_id.clone(),
                    attempts: o.attempts,
                    error: o.last_error.clone(),
                })
                .collect(),
        })
    }

    /// A series and its progress, from the store (another call may be booking it right now:
    /// each booked occurrence is committed as it happens).
    pub fn series(&self, id: &str) -> Result<SeriesView, UiError> {
        self.series_view(&self.series_row(id)?)
    }

    /// Every series, oldest first.
    pub fn series_list(&self) -> Result<Vec<SeriesView>, UiError> {
        let rows = self
            .inner
            .store
            .all_series()
            .map_err(|e| self.store_err(e))?;
        rows.iter().map(|r| self.series_view(r)).collect()
    }

    // ---- booking ----

    /// Plans a series and books it: [`Desk::plan_series`] then [`Desk::book_series`]. Returns
    /// when every occurrence has been tried; see the view for what is booked.
    pub async fn create_series(
        &self,
        account: &huiyi_core::AccountId,
        form: SeriesForm,
    ) -> Result<SeriesView, UiError> {
        let planned = self.plan_series(account, form).await?;
        self.book_series(&planned.id).await
    }

    /// Checks the form (the rule, and every occurrence against the account's limits as a
    /// single booking would be), then writes the series and all its occurrences as `pending`.
    /// Nothing is sent yet.
    pub async fn plan_series(
        &self,
        account: &huiyi_core::AccountId,
        form: SeriesForm,
    ) -> Result<SeriesView, UiError> {
        let lang = self.lang();
        let row = self.account_row(account)?;
        let (row, client) = self.client(&row).await?;
        let caps = client.capabilities();
        let (series, template) =
            parse_form(&form).map_err(|errors| UiError::invalid_input(&errors, lang))?;
        let expansion = series
            .expand(MAX_LOCAL_OCCURRENCES)
            .map_err(|errors| UiError::invalid_input(&errors, lang))?;
        if expansion.truncated {
            let mut e = UiError::invalid_input(
                &[FieldError::new(
                    "rrule",
                    FieldErrorCode::RuleValueOutOfRange {
                        part: "COUNT".into(),
                        min: 1,
                        max: MAX_LOCAL_OCCURRENCES as i32,
                    },
                )],
                lang,
            );
            let message = match lang {
                Lang::Zh => format!(
                    "逐次预订的系列必须有结束（COUNT 或 UNTIL），且最多 {MAX_LOCAL_OCCURRENCES} 次。"
                ),
                Lang::En => format!(
                    "A series booked meeting by meeting needs an end (COUNT or UNTIL) within {MAX_LOCAL_OCCURRENCES} occurrences."
                ),
            };
            if let Some(f) = e.fields.first_mut() {
                f.message = message.clone();
            }
            e = e.with_message(&message);
            return Err(e);
        }
        let zone = series.tz().unwrap_or(Tz::UTC);
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now();
        let occurrences: Vec<OccurrenceRow> = expansion
            .occurrences
            .iter()
            .enumerate()
            .map(|(i, o)| OccurrenceRow {
                series_id: id.clone(),
                original_start: o.original_start.with_timezone(&zone).naive_local(),
                seq: i as u32,
                subject: o.subject.clone(),
                start: o.start.with_timezone(&Utc),
                end: o.end.with_timezone(&Utc),
                state: if o.cancelled {
                    OccurrenceState::Cancelled
                } else {
                    OccurrenceState::Pending
                },
                vendor_id: None,
                meeting_id: None,
                attempts: 0,
                last_error: None,
                sent_at: None,
            })
            .collect();
        // Every occurrence as a single booking: the first problem found is the form's.
        for o in occurrences
            .iter()
            .filter(|o| o.state == OccurrenceState::Pending)
        {
            occurrence_form(&template, zone, o)
                .validate(now, &caps)
                .map_err(|errors| UiError::invalid_input(&errors, lang))?;
        }
        let stamp = now_secs();
        let row = SeriesRow {
            id: id.clone(),
            account_id: row.account.id.clone(),
            series,
            template,
            mode: SeriesMode::Local,
            state: SeriesState::Booking,
            created_at: stamp,
            updated_at: stamp,
        };
        self.inner
            .store
            .insert_series(&row, &occurrences)
            .map_err(|e| self.store_err(e))?;
        tracing::info!(series = %id, account = %account, occurrences = occurrences.len(), "series planned");
        self.series_view(&row)
    }

    /// Books what is left of a series (reconciling interrupted calls first). When another run
    /// of it is going on (another window, the CLI) nothing is done and its progress is
    /// returned.
    pub async fn book_series(&self, id: &str) -> Result<SeriesView, UiError> {
        let row = self.series_row(id)?;
        if let Some(lock) = self.try_lock_series(id)? {
            let result = self.run_series(&row).await;
            drop(lock);
            result?;
        }
        self.series(id)
    }

    /// Continues every series a crash or a restart interrupted (booking or cancelling) whose
    /// run nobody holds. One failing series does not stop the others; their views say where
    /// each stands.
    pub async fn resume_series(&self) -> Result<Vec<SeriesView>, UiError> {
        let rows = self
            .inner
            .store
            .all_series()
            .map_err(|e| self.store_err(e))?;
        let mut out = Vec::new();
        for row in rows
            .into_iter()
            .filter(|r| matches!(r.state, SeriesState::Booking | SeriesState::Cancelling))
            .filter(|r| r.mode == SeriesMode::Local)
        {
            if let Some(lock) = self.try_lock_series(&row.id)? {
                tracing::info!(series = %row.id, state = row.state.as_str(), "resuming series");
                if let Err(e) = self.run_series(&row).await {
                    tracing::warn!(series = %row.id, code = %e.code, "series not finished");
                }
                drop(lock);
                out.push(self.series(&row.id)?);
            }
        }
        Ok(out)
    }

    /// One run, lock held: a cancelling series is cancelled, a booking one booked.
    async fn run_series(&self, row: &SeriesRow) -> Result<(), UiError> {
        // The state as it is now (the caller's row may be older than a cancel).
        let row = self.series_row(&row.id)?;
        match row.state {
            SeriesState::Cancelling => return self.run_cancel(&row, None).await.map(|_| ()),
            SeriesState::Booking => {}
            _ => return Ok(()),
        }
        if row.mode != SeriesMode::Local {
            return Ok(());
        }
        let account = self.account_row(&row.account_id)?;
        let (account, client) = self.client(&account).await?;
        let caps = client.capabilities();
        let zone = row.series.tz().unwrap_or(Tz::UTC);
        let mut occurrences = self.occurrence_rows(&row.id)?;

        // Calls a crash interrupted: ask the vendor before anything is sent again.
        for o in occurrences.iter_mut() {
            if o.state == OccurrenceState::Sending {
                self.reconcile(&account, &client, &caps, o).await?;
            }
        }
        for o in occurrences.iter_mut() {
            if o.state != OccurrenceState::Pending {
                continue;
            }
            if self.series_row(&row.id)?.state == SeriesState::Cancelling {
                tracing::info!(series = %row.id, "booking stopped: the series is being cancelled");
                return self.run_cancel(&row, None).await.map(|_| ());
            }
            self.send_occurrence(&row, zone, &account, &client, &caps, o)
                .await?;
        }
        self.settle(&row.id)
    }

    /// The series' state from its occurrences' (a series still being booked stays so).
    fn settle(&self, id: &str) -> Result<(), UiError> {
        let row = self.series_row(id)?;
        let occurrences = self.occurrence_rows(id)?;
        let any = |s: OccurrenceState| occurrences.iter().any(|o| o.state == s);
        let state = if row.state == SeriesState::Cancelling {
            if any(OccurrenceState::Booked) || any(OccurrenceState::Sending) {
                SeriesState::Cancelling
            } else if any(OccurrenceState::Unknown) {
                SeriesState::Partial
            } else {
                SeriesState::Cancelled
            }
        } else if any(OccurrenceState::Pending) || any(OccurrenceState::Sending) {
            SeriesState::Booking
        } else if any(OccurrenceState::Failed) || any(OccurrenceState::Unknown) {
            SeriesState::Partial
        } else if any(OccurrenceState::Booked) {
            SeriesState::Booked
        } else {
            SeriesState::Cancelled
        };
        if state != row.state {
            self.inner
                .store
                .set_series_state(id, state)
                .map_err(|e| self.store_err(e))?;
            tracing::info!(series = %id, state = state.as_str(), "series state");
        }
        Ok(())
    }

    fn save(&self, o: &OccurrenceRow) -> Result<(), UiError> {
        self.inner
            .store
            .save_occurrence(o)
            .map_err(|e| self.store_err(e))
    }

    /// Sends one pending occurrence: recorded as `sending` first, then `booked` or `failed`;
    /// an ambiguous failure is reconciled with the vendor's list before it is sent again.
    async fn send_occurrence(
        &self,
        row: &SeriesRow,
        zone: Tz,
        account: &AccountRow,
        client: &Arc<dyn VendorClient>,
        caps: &Capabilities,
        o: &mut OccurrenceRow,
    ) -> Result<(), UiError> {
        loop {
            let draft = match occurrence_form(&row.template, zone, o).validate(Utc::now(), caps) {
                Ok(d) => d,
                Err(errors) => {
                    o.state = OccurrenceState::Failed;
                    o.last_error = Some(UiError::invalid_input(&errors, self.lang()).message);
                    return self.save(o);
                }
            };
            o.state = OccurrenceState::Sending;
            o.attempts += 1;
            o.sent_at = Some(now_secs());
            self.save(o)?;
            match client.create_meeting(&draft).await {
                Ok(vm) => {
                    return self.booked(account, o, &vm, Some(&draft));
                }
                Err(e) if ambiguous(&e) => {
                    let ui = self.vendor_err("create", e);
                    o.last_error = Some(ui.message.clone());
                    self.save(o)?;
                    tracing::warn!(series = %o.series_id, occurrence = %o.original_start, "create may have happened; reading the vendor's list");
                    self.reconcile(account, client, caps, o).await?;
                    if o.state != OccurrenceState::Pending {
                        return Ok(());
                    }
                }
                Err(e) if e.kind == VendorErrorKind::BeyondBookingWindow => {
                    // Too far ahead for this vendor yet (Feishu: 30 days): it stays pending and
                    // a later run (resume) books it once it is within the window.
                    let ui = self.vendor_err("create", e);
                    o.state = OccurrenceState::Pending;
                    o.last_error = Some(ui.message);
                    return self.save(o);
                }
                Err(e) => {
                    let ui = self.vendor_err("create", e);
                    o.state = OccurrenceState::Failed;
                    o.last_error = Some(ui.message);
                    return self.save(o);
                }
            }
        }
    }

    /// Records a booked occurrence and its meeting (one transaction).
    fn booked(
        &self,
        account: &AccountRow,
        o: &mut OccurrenceRow,
        vm: &VendorMeeting,
        draft: Option<&MeetingDraft>,
    ) -> Result<(), UiError> {
        let now = Utc::now();
        let record = match draft {
            Some(d) => record_after_write(vm, d, now),
            // Found in a list: a meeting without a zone gets the series' own.
            None => record_from_vendor(vm, &self.series_row(&o.series_id)?.series.zone, now),
        };
        let id = self
            .inner
            .store
            .save_booked_occurrence(o, &account.account.id, &record)
            .map_err(|e| self.store_err(e))?;
        tracing::info!(series = %o.series_id, occurrence = %o.original_start, meeting = %id, "occurrence booked");
        Ok(())
    }

    /// Looks for the occurrence among the vendor's meetings after a call that may have
    /// happened: found → booked with that meeting; not found → pending again (or failed after
    /// [`MAX_ATTEMPTS`]); no list → unknown. A list that cannot be read leaves it `sending`
    /// and ends the run with the error (the next run asks again).
    async fn reconcile(
        &self,
        account: &AccountRow,
        client: &Arc<dyn VendorClient>,
        caps: &Capabilities,
        o: &mut OccurrenceRow,
    ) -> Result<(), UiError> {
        match self.find_at_vendor(account, client, caps, o).await? {
            Found::Yes(vm) => {
                tracing::info!(series = %o.series_id, occurrence = %o.original_start, "reconciled: the vendor has it");
                self.booked(account, o, &vm, None)
            }
            Found::No if o.attempts >= MAX_ATTEMPTS => {
                o.state = OccurrenceState::Failed;
                self.save(o)
            }
            Found::No => {
                tracing::info!(series = %o.series_id, occurrence = %o.original_start, "reconciled: not at the vendor; sending again");
                o.state = OccurrenceState::Pending;
                self.save(o)
            }
            Found::CannotTell => {
                tracing::warn!(series = %o.series_id, occurrence = %o.original_start, "the vendor cannot say whether it has it");
                o.state = OccurrenceState::Unknown;
                o.last_error = Some(
                    self.lang()
                        .pick(
                            "预订请求可能已被会议方执行，但该会议方无法列出会议，无法确认：请在会议方应用中查看，本系列不会重复预订。",
                            "The booking may have reached the vendor, which cannot list meetings to confirm it: check the vendor's own app; Huiyi will not book it a second time.",
                        )
                        .to_string(),
                );
                self.save(o)
            }
        }
    }

    async fn find_at_vendor(
        &self,
        account: &AccountRow,
        client: &Arc<dyn VendorClient>,
        caps: &Capabilities,
        o: &OccurrenceRow,
    ) -> Result<Found, UiError> {
        if !caps.lists_meetings || !caps.keeps_start {
            return Ok(Found::CannotTell);
        }
        let listed = client
            .list_meetings()
            .await
            .map_err(|e| self.vendor_err("list", e))?;
        // Meetings other occurrences (of any series of the account) already hold.
        let claimed = self.claimed_vendor_ids(account)?;
        let mut candidates: Vec<&VendorMeeting> = listed
            .iter()
            .filter(|vm| !claimed.contains(&vm.vendor_id))
            .filter(|vm| vm.start == o.start && vm.subject.trim() == o.subject.trim())
            .collect();
        candidates.sort_by_key(|vm| vm.end() != o.end);
        Ok(match candidates.first() {
            Some(vm) => Found::Yes(Box::new((*vm).clone())),
            None => Found::No,
        })
    }

    fn claimed_vendor_ids(&self, account: &AccountRow) -> Result<Vec<String>, UiError> {
        let rows = self
            .inner
            .store
            .all_series()
            .map_err(|e| self.store_err(e))?;
        let mut out = Vec::new();
        for r in rows.iter().filter(|r| r.account_id == account.account.id) {
            out.extend(
                self.occurrence_rows(&r.id)?
                    .into_iter()
                    .filter(|o| o.state == OccurrenceState::Booked)
                    .filter_map(|o| o.vendor_id),
            );
        }
        Ok(out)
    }

    // ---- cancelling ----

    /// Cancels the whole series: booking stops, every booked occurrence is cancelled at the
    /// vendor. What could not be cancelled stays `booked` with its error (the series stays
    /// `cancelling`, and resuming tries again); an `unknown` one is reported as is.
    pub async fn cancel_series(&self, id: &str) -> Result<SeriesView, UiError> {
        let row = self.series_row(id)?;
        if row.state != SeriesState::Cancelled {
            // Seen by a run in progress before its next occurrence.
            self.inner
                .store
                .set_series_state(id, SeriesState::Cancelling)
                .map_err(|e| self.store_err(e))?;
        }
        let lock = self.lock_series(id).await?;
        let row = self.series_row(id)?;
        let result = self.run_cancel(&row, None).await;
        drop(lock);
        result?;
        self.series(id)
    }

    /// Cancels one occurrence, or it and every later one (`following`), mapped to single
    /// meeting cancellations; every other occurrence is left as it is.
    pub async fn cancel_occurrence(
        &self,
        id: &str,
        original_start: &str,
        following: bool,
    ) -> Result<SeriesView, UiError> {
        let key = parse_local_datetime(original_start).ok_or_else(|| {
            UiError::invalid_input(
                &[FieldError::new("occurrence", FieldErrorCode::BadDateTime)],
                self.lang(),
            )
        })?;
        let lock = self.lock_series(id).await?;
        let row = self.series_row(id)?;
        let occurrences = self.occurrence_rows(id)?;
        let first = occurrences
            .iter()
            .find(|o| o.original_start == key)
            .ok_or_else(|| occurrence_not_found(self.lang()))?
            .seq;
        let result = self
            .run_cancel(&row, Some((first, following)))
            .await
            .and_then(|()| self.settle(id));
        drop(lock);
        result?;
        self.series(id)
    }

    /// Cancels occurrences (all, or `(seq, following)`): the series' overrides record it.
    async fn run_cancel(&self, row: &SeriesRow, which: Option<(u32, bool)>) -> Result<(), UiError> {
        let account = self.account_row(&row.account_id)?;
        let (account, client) = self.client(&account).await?;
        let caps = client.capabilities();
        let mut series = row.series.clone();
        let mut first_error = None;
        for mut o in self.occurrence_rows(&row.id)? {
            let picked = match which {
                None => true,
                Some((seq, following)) => o.seq == seq || (following && o.seq > seq),
            };
            if !picked || o.state == OccurrenceState::Cancelled {
                continue;
            }
            if o.state == OccurrenceState::Sending {
                self.reconcile(&account, &client, &caps, &mut o).await?;
            }
            match o.state {
                OccurrenceState::Booked => {
                    let vendor_id = o.vendor_id.clone().unwrap_or_default();
                    match client.cancel_meeting(&vendor_id).await {
                        Ok(()) => {}
                        Err(e) if e.kind == VendorErrorKind::NotFound => {}
                        Err(e) => {
                            let ui = self.vendor_err("cancel", e);
                            o.last_error = Some(ui.message.clone());
                            self.save(&o)?;
                            first_error.get_or_insert(ui);
                            continue;
                        }
                    }
                }
                // Never known to exist: nothing to cancel, but it stays reported.
                OccurrenceState::Unknown => continue,
                _ => {}
            }
            o.last_error = None;
            self.inner
                .store
                .save_cancelled_occurrence(&mut o)
                .map_err(|e| self.store_err(e))?;
            mark_cancelled(&mut series, o.original_start);
            tracing::info!(series = %row.id, occurrence = %o.original_start, "occurrence cancelled");
        }
        let state = self.series_row(&row.id)?.state;
        self.inner
            .store
            .update_series(&row.id, state, &series)
            .map_err(|e| self.store_err(e))?;
        self.settle(&row.id)?;
        match first_error {
            // The whole series: the view reports what is left; a single cancel says why.
            Some(e) if which.is_some() => Err(e),
            _ => Ok(()),
        }
    }

    // ---- moving ----

    /// Moves one occurrence (a new start, and a new length if given): its single meeting is
    /// edited at the vendor; no other occurrence is touched. A pending or failed occurrence
    /// is booked at the new time.
    pub async fn move_occurrence(
        &self,
        id: &str,
        original_start: &str,
        new_start: &str,
        duration_minutes: Option<u32>,
    ) -> Result<SeriesView, UiError> {
        let lang = self.lang();
        let key = parse_local_datetime(original_start).ok_or_else(|| {
            UiError::invalid_input(
                &[FieldError::new("occurrence", FieldErrorCode::BadDateTime)],
                lang,
            )
        })?;
        let lock = self.lock_series(id).await?;
        let result = self.move_locked(id, key, new_start, duration_minutes).await;
        drop(lock);
        result?;
        self.series(id)
    }

    async fn move_locked(
        &self,
        id: &str,
        key: NaiveDateTime,
        new_start: &str,
        duration_minutes: Option<u32>,
    ) -> Result<(), UiError> {
        let lang = self.lang();
        let row = self.series_row(id)?;
        let zone = row.series.tz().unwrap_or(Tz::UTC);
        let o = self
            .occurrence_rows(id)?
            .into_iter()
            .find(|o| o.original_start == key)
            .ok_or_else(|| occurrence_not_found(lang))?;
        let local = parse_local_datetime(new_start).ok_or_else(|| {
            UiError::invalid_input(
                &[FieldError::new("start", FieldErrorCode::BadDateTime)],
                lang,
            )
        })?;
        let start = local_to_utc(local, zone)
            .map_err(|code| UiError::invalid_input(&[FieldError::new("start", code)], lang))?;
        let minutes = duration_minutes.unwrap_or(((o.end - o.start).num_minutes()).max(1) as u32);
        let mut moved = o.clone();
        moved.start = start;
        moved.end = start + chrono::Duration::minutes(i64::from(minutes));

        let account = self.account_row(&row.account_id)?;
        let (account, client) = self.client(&account).await?;
        let caps = client.capabilities();
        let draft = occurrence_form(&row.template, zone, &moved)
            .validate(Utc::now(), &caps)
            .map_err(|errors| UiError::invalid_input(&errors, lang))?;

        let mut series = row.series.clone();
        let ov = override_of(&mut series, key);
        ov.start = Some(local);
        ov.duration_minutes = Some(minutes);
        match o.state {
            OccurrenceState::Booked => {
                let old_vendor_id = o.vendor_id.clone().unwrap_or_default();
                let old_meeting = o.meeting_id.clone();
                let vm = client
                    .update_meeting(&old_vendor_id, &draft)
                    .await
                    .map_err(|e| self.vendor_err("update", e))?;
                moved.last_error = None;
                self.booked(&account, &mut moved, &vm, Some(&draft))?;
                if vm.vendor_id != old_vendor_id {
                    // The vendor re-created the meeting: the old row is gone there.
                    if let Some(m) = old_meeting {
                        let _ = self.inner.store.delete_meeting(&m);
                    }
                }
                self.inner
                    .store
                    .update_series(id, row.state, &series)
                    .map_err(|e| self.store_err(e))?;
            }
            OccurrenceState::Pending | OccurrenceState::Failed => {
                moved.state = OccurrenceState::Pending;
                moved.last_error = None;
                moved.attempts = 0;
                self.save(&moved)?;
                self.inner
                    .store
                    .update_series(id, SeriesState::Booking, &series)
                    .map_err(|e| self.store_err(e))?;
                self.run_series(&row).await?;
            }
            _ => {
                return Err(series_error(
                    "invalid_state",
                    "这一次会议现在不能改期（已取消，或在会议方的状态未知）。",
                    "This occurrence cannot be moved now (it is cancelled, or its state at the vendor is unknown).",
                    lang,
                ));
            }
        }
        tracing::info!(series = %id, occurrence = %key, "occurrence moved");
        Ok(())
    }

    // ---- single-meeting operations on a series' meeting ----

    /// A meeting cancelled on its own (`Desk::cancel`) that was an occurrence: the occurrence
    /// is cancelled too, so the series does not count or cancel it again.
    pub(crate) fn series_meeting_cancelled(
        &self,
        account: &huiyi_core::AccountId,
        vendor_id: &str,
    ) {
        let Ok(Some(series_id)) = self.inner.store.series_of_meeting(account, vendor_id) else {
            return;
        };
        let Ok(occurrences) = self.inner.store.occurrences(&series_id) else {
            return;
        };
        for mut o in occurrences
            .into_iter()
            .filter(|o| o.vendor_id.as_deref() == Some(vendor_id))
        {
            if self.inner.store.save_cancelled_occurrence(&mut o).is_ok() {
                if let Ok(Some(row)) = self.inner.store.series(&series_id) {
                    let mut series = row.series.clone();
                    mark_cancelled(&mut series, o.original_start);
                    let _ = self
                        .inner
                        .store
                        .update_series(&series_id, row.state, &series);
                }
            }
        }
    }
}

/// The override of the occurrence at `key`, added when there is none.
fn override_of(series: &mut Series, key: NaiveDateTime) -> &mut OccurrenceOverride {
    let i = match series
        .overrides
        .iter()
        .position(|o| o.original_start == key)
    {
        Some(i) => i,
        None => {
            series.overrides.push(OccurrenceOverride::of(key));
            series.overrides.len() - 1
        }
    };
    &mut series.overrides[i]
}

fn mark_cancelled(series: &mut Series, key: NaiveDateTime) {
    override_of(series, key).cancelled = true;
}
