//! The desk's SQLite store: accounts (no secrets) and the meeting cache behind the offline
//! agenda. One file, `huiyi.sqlite3`, in WAL mode with foreign keys on; the schema is versioned
//! with `PRAGMA user_version` and migrated forward on open.
//!
//! What is never written here: App Keys, passwords, tokens, host links, host passwords. Links
//! are stored as [`LinkView`]s, whose host entries have no URL.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use huiyi_core::{
    Account, AccountAuth, AccountId, Attendee, MeetingState, Notifications, VendorKind, VendorRoom,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::api::{LinkView, MeetingId, OccurrenceState, SeriesId, SeriesMode, SeriesState};
use huiyi_core::{BookingForm, Series};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error(
        "the database was written by a newer Huiyi (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("cannot create the data folder: {0}")]
    Io(#[from] std::io::Error),
}

/// Each entry moves the schema from version `index` to `index + 1`. Never edit a released
/// entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: accounts and the meeting cache.
    r#"
    CREATE TABLE accounts (
        id               TEXT PRIMARY KEY,
        vendor           TEXT NOT NULL,
        label            TEXT NOT NULL,
        base_url         TEXT NOT NULL,
        auth             TEXT NOT NULL,          -- AccountAuth as JSON: ids only, no secret
        sandbox          INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL,
        identity_user_id TEXT,
        identity_name    TEXT,
        refreshed_at     TEXT                    -- last successful meeting list from the vendor
    );
    CREATE TABLE meetings (
        id                TEXT PRIMARY KEY,      -- local UUID, stable across refreshes
        account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        vendor_id         TEXT NOT NULL,
        subject           TEXT NOT NULL,
        start_utc         TEXT NOT NULL,         -- RFC 3339 UTC with Z: sorts as text
        end_utc           TEXT NOT NULL,
        zone              TEXT NOT NULL,
        state             TEXT NOT NULL,
        meeting_number    TEXT NOT NULL,
        organizer         TEXT,
        attendees         TEXT NOT NULL,         -- JSON [Attendee]
        guest_password    TEXT,
        dial_in           TEXT,
        links             TEXT NOT NULL,         -- JSON [LinkView]; host links have url null
        notify            TEXT,                  -- JSON Notifications
        has_host_password INTEGER NOT NULL DEFAULT 0,
        fetched_at        TEXT NOT NULL,
        UNIQUE (account_id, vendor_id)
    );
    CREATE INDEX meetings_by_start ON meetings(start_utc);
    "#,
    // 2: choices the person made in the window that outlive a restart (the UI language).
    r#"
    CREATE TABLE preferences (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 3: vendor rooms booked for a meeting through Huiyi. Vendors do not return them with the
    // meeting (Tencent's details have no rooms), so this is the only record of them.
    r#"
    CREATE TABLE meeting_rooms (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        room_id    TEXT NOT NULL,                -- the vendor's id for the room
        name       TEXT NOT NULL,
        location   TEXT,
        capacity   INTEGER,
        booked_at  TEXT NOT NULL,
        PRIMARY KEY (meeting_id, room_id)
    );
    "#,
    // 4: recurring series booked as single meetings: the outbox. Every occurrence is written
    // before anything is sent, and each vendor call is recorded before it is sent (`sending`)
    // and after (`booked` with the vendor's id, or `failed`), so a crash between the two is
    // found and reconciled on the next run.
    r#"
    CREATE TABLE series (
        id               TEXT PRIMARY KEY,       -- local UUID
        account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        definition       TEXT NOT NULL,          -- huiyi_core::Series as JSON
        template         TEXT NOT NULL,          -- BookingForm as JSON: all but the times
        mode             TEXT NOT NULL,          -- local | native
        state            TEXT NOT NULL,          -- SeriesState
        vendor_series_id TEXT,                   -- native mode: the vendor's series id
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
    );
    CREATE TABLE series_occurrences (
        series_id      TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        original_start TEXT NOT NULL,            -- wall-clock in the series' zone: the key
        seq            INTEGER NOT NULL,         -- order of the expansion
        subject        TEXT NOT NULL,
        start_utc      TEXT NOT NULL,            -- planned (moved: the new time)
        end_utc        TEXT NOT NULL,
        state          TEXT NOT NULL,            -- OccurrenceState
        vendor_id      TEXT,                     -- when booked (or found at the vendor)
        meeting_id     TEXT,                     -- its row in `meetings` when booked
        attempts       INTEGER NOT NULL DEFAULT 0,
        last_error     TEXT,                     -- the UI message of the last failure
        sent_at        TEXT,                     -- when the last call was recorded as sent
        updated_at     TEXT NOT NULL,
        PRIMARY KEY (series_id, original_start)
    );
    CREATE INDEX series_occurrences_by_vendor_id ON series_occurrences(vendor_id);
    "#,
];

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub account: Account,
    pub identity_user_id: Option<String>,
    pub identity_name: Option<String>,
    pub refreshed_at: Option<DateTime<Utc>>,
}

/// A cached meeting without its local id (what a vendor answer turns into).
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRecord {
    pub vendor_id: String,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub zone: String,
    pub state: MeetingState,
    pub meeting_number: String,
    pub organizer: Option<String>,
    pub attendees: Vec<Attendee>,
    pub guest_password: Option<String>,
    pub dial_in: Option<String>,
    pub links: Vec<LinkView>,
    pub notify: Option<Notifications>,
    pub has_host_password: bool,
    pub fetched_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub account_id: AccountId,
    pub record: MeetingRecord,
}

pub struct Store {
    conn: Mutex<Connection>,
}

/// A recurring series as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    pub id: SeriesId,
    pub account_id: AccountId,
    pub series: Series,
    /// What every occurrence is booked with; its times are left empty.
    pub template: BookingForm,
    pub mode: SeriesMode,
    pub state: SeriesState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One occurrence of a series and its booking, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OccurrenceRow {
    pub series_id: SeriesId,
    /// The key: where the rule put it, wall-clock time in the series' zone.
    pub original_start: chrono::NaiveDateTime,
    pub seq: u32,
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: OccurrenceState,
    pub vendor_id: Option<String>,
    pub meeting_id: Option<MeetingId>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The key format of `original_start`: sorts as text, like the UTC columns.
const LOCAL_KEY: &str = "%Y-%m-%dT%H:%M:%S";

const SERIES_COLUMNS: &str =
    "id, account_id, definition, template, mode, state, created_at, updated_at";
const OCCURRENCE_COLUMNS: &str = "series_id, original_start, seq, subject, start_utc, end_utc, \
     state, vendor_id, meeting_id, attempts, last_error, sent_at";

fn raw_series(r: &Row<'_>) -> rusqlite::Result<[String; 8]> {
    Ok([
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ])
}

fn parse_series(raw: [String; 8]) -> Result<SeriesRow, StoreError> {
    let [id, account_id, definition, template, mode, state, created_at, updated_at] = raw;
    Ok(SeriesRow {
        id,
        account_id: AccountId(account_id),
        series: from_json(&definition)?,
        template: from_json(&template)?,
        mode: SeriesMode::parse(&mode)
            .ok_or_else(|| StoreError::Corrupt(format!("series mode {mode:?}")))?,
        state: SeriesState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("series state {state:?}")))?,
        created_at: parse_ts(&created_at)?,
        updated_at: parse_ts(&updated_at)?,
    })
}

type RawOccurrence = ([String; 7], u32, [Option<String>; 4]);

fn raw_occurrence(r: &Row<'_>) -> rusqlite::Result<RawOccurrence> {
    Ok((
        [
            r.get(0)?,
            r.get(1)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get::<_, i64>(2)?.to_string(),
        ],
        r.get(9)?,
        [r.get(7)?, r.get(8)?, r.get(10)?, r.get(11)?],
    ))
}

fn parse_occurrence(raw: RawOccurrence) -> Result<OccurrenceRow, StoreError> {
    let ([series_id, original_start, subject, start, end, state, seq], attempts, opt) = raw;
    let [vendor_id, meeting_id, last_error, sent_at] = opt;
    Ok(OccurrenceRow {
        series_id,
        original_start: chrono::NaiveDateTime::parse_from_str(&original_start, LOCAL_KEY)
            .map_err(|e| StoreError::Corrupt(format!("original_start {original_start:?}: {e}")))?,
        seq: seq
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("seq {seq:?}")))?,
        subject,
        start: parse_ts(&start)?,
        end: parse_ts(&end)?,
        state: OccurrenceState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("occurrence state {state:?}")))?,
        vendor_id,
        meeting_id,
        attempts,
        last_error,
        sent_at: sent_at.as_deref().map(parse_ts).transpose()?,
    })
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

const ACCOUNT_COLUMNS: &str =
    "id, vendor, label, base_url, auth, sandbox, created_at, identity_user_id, identity_name, refreshed_at";
const MEETING_COLUMNS: &str =
    "id, account_id, vendor_id, subject, start_utc, end_utc, zone, state, meeting_number, \
     organizer, attendees, guest_password, dial_in, links, notify, has_host_password, fetched_at";

/// Raw columns, read inside the rusqlite callback; parsed afterwards so that damage becomes a
/// typed error instead of a panic.
struct RawAccount([Option<String>; 10], bool);

fn raw_account(r: &Row<'_>) -> rusqlite::Result<RawAccount> {
    Ok(RawAccount(
        [
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            None,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ],
        r.get::<_, i64>(5)? != 0,
    ))
}

fn parse_account(raw: RawAccount) -> Result<AccountRow, StoreError> {
    let RawAccount(c, sandbox) = raw;
    let [id, vendor, label, base_url, auth, _, created_at, uid, uname, refreshed] = c;
    let need = |v: Option<String>, what: &str| {
        v.ok_or_else(|| StoreError::Corrupt(format!("account {what} missing")))
    };
    let vendor = need(vendor, "vendor")?;
    let vendor = VendorKind::parse(&vendor)
        .ok_or_else(|| StoreError::Corrupt(format!("vendor {vendor:?}")))?;
    let auth: AccountAuth = from_json(&need(auth, "auth")?)?;
    Ok(AccountRow {
        account: Account {
            id: AccountId(need(id, "id")?),
            vendor,
            label: need(label, "label")?,
            base_url: need(base_url, "base_url")?,
            auth,
            sandbox,
            created_at: parse_ts(&need(created_at, "created_at")?)?,
        },
        identity_user_id: uid,
        identity_name: uname,
        refreshed_at: refreshed.as_deref().map(parse_ts).transpose()?,
    })
}

struct RawMeeting {
    /// Every column as text except `has_host_password` (index 15, left `None` here).
    text: [Option<String>; 17],
    has_host_password: bool,
}

fn raw_meeting(r: &Row<'_>) -> rusqlite::Result<RawMeeting> {
    let mut text: [Option<String>; 17] = Default::default();
    for (i, slot) in text.iter_mut().enumerate() {
        if i != 15 {
            *slot = r.get(i)?;
        }
    }
    Ok(RawMeeting {
        text,
        has_host_password: r.get::<_, i64>(15)? != 0,
    })
}

fn parse_meeting(raw: RawMeeting) -> Result<MeetingRow, StoreError> {
    let [id, account_id, vendor_id, subject, start, end, zone, state, number, organizer, attendees, guest_password, dial_in, links, notify, _, fetched_at] =
        raw.text;
    let need = |v: Option<String>, what: &str| {
        v.ok_or_else(|| StoreError::Corrupt(format!("meeting {what} missing")))
    };
    let state = need(state, "state")?;
    Ok(MeetingRow {
        id: need(id, "id")?,
        account_id: AccountId(need(account_id, "account_id")?),
        record: MeetingRecord {
            vendor_id: need(vendor_id, "vendor_id")?,
            subject: need(subject, "subject")?,
            start: parse_ts(&need(start, "start")?)?,
            end: parse_ts(&need(end, "end")?)?,
            zone: need(zone, "zone")?,
            state: MeetingState::parse(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("state {state:?}")))?,
            meeting_number: need(number, "meeting_number")?,
            organizer,
            attendees: from_json(&need(attendees, "attendees")?)?,
            guest_password,
            dial_in,
            links: from_json(&need(links, "links")?)?,
            notify: notify.as_deref().map(from_json).transpose()?,
            has_host_password: raw.has_host_password,
            fetched_at: parse_ts(&need(fetched_at, "fetched_at")?)?,
        },
    })
}

impl Store {
    /// Opens (creating if needed) `data_dir/huiyi.sqlite3` and migrates it.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let conn = Connection::open(data_dir.join("huiyi.sqlite3"))?;
        // WAL lets the GUI read the agenda while a refresh writes; busy_timeout covers the CLI
        // and the GUI touching the same file at once.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let store = Store {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // Every write runs in a transaction, so a panic elsewhere cannot leave a half-written
        // state behind the poisoned lock.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .lock()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if current > known {
            return Err(StoreError::TooNew {
                found: current,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    // ---- preferences ----

    pub fn preference(&self, key: &str) -> Result<Option<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT value FROM preferences WHERE key = ?1")?;
        let mut rows = stmt.query([key])?;
        Ok(match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        })
    }

    pub fn set_preference(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO preferences (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    // ---- accounts ----

    pub fn insert_account(&self, row: &AccountRow) -> Result<(), StoreError> {
        let a = &row.account;
        self.lock().execute(
            &format!("INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                a.id.0,
                a.vendor.as_str(),
                a.label,
                a.base_url,
                to_json(&a.auth)?,
                a.sandbox as i64,
                ts(&a.created_at),
                row.identity_user_id,
                row.identity_name,
                row.refreshed_at.as_ref().map(ts),
            ],
        )?;
        Ok(())
    }

    pub fn accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, id"
        ))?;
        let raws = stmt
            .query_map([], raw_account)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(parse_account).collect()
    }

    pub fn account(&self, id: &AccountId) -> Result<Option<AccountRow>, StoreError> {
        let conn = self.lock();
        let raw = conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"),
                [&id.0],
                raw_account,
            )
            .optional()?;
        raw.map(parse_account).transpose()
    }

    /// Removes the account and, through the foreign key, its cached meetings.
    pub fn delete_account(&self, id: &AccountId) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM accounts WHERE id = ?1", [&id.0])?
            > 0)
    }

    /// Re-points an account (the sandbox gets a new port and maybe new credentials each start).
    pub fn update_account_endpoint(
        &self,
        id: &AccountId,
        base_url: &str,
        auth: &AccountAuth,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE accounts SET base_url = ?2, auth = ?3 WHERE id = ?1",
            params![id.0, base_url, to_json(auth)?],
        )?;
        Ok(())
    }

    pub fn update_identity(
        &self,
        id: &AccountId,
        user_id: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE accounts SET identity_user_id = ?2, identity_name = ?3 WHERE id = ?1",
            params![id.0, user_id, name],
        )?;
        Ok(())
    }

    // ---- meetings ----

    /// Inserts or updates one meeting by (account, vendor id) and returns its local id, which
    /// stays the same across refreshes. `partial` marks a record from a list call, which may
    /// lack details (attendees, links, passwords): then missing details keep their cached value.
    fn upsert_in(
        conn: &Connection,
        account: &AccountId,
        m: &MeetingRecord,
        partial: bool,
    ) -> Result<MeetingId, StoreError> {
        let new_id = uuid::Uuid::new_v4().to_string();
        conn.execute(
            &format!(
                "INSERT INTO meetings ({MEETING_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 ON CONFLICT (account_id, vendor_id) DO UPDATE SET
                    subject = excluded.subject,
                    start_utc = excluded.start_utc,
                    end_utc = excluded.end_utc,
                    zone = excluded.zone,
                    state = excluded.state,
                    meeting_number = excluded.meeting_number,
                    organizer = CASE WHEN ?18 THEN COALESCE(excluded.organizer, organizer) ELSE excluded.organizer END,
                    attendees = CASE WHEN ?18 AND excluded.attendees = '[]' THEN attendees ELSE excluded.attendees END,
                    guest_password = CASE WHEN ?18 THEN COALESCE(excluded.guest_password, guest_password) ELSE excluded.guest_password END,
                    dial_in = CASE WHEN ?18 THEN COALESCE(excluded.dial_in, dial_in) ELSE excluded.dial_in END,
                    links = CASE WHEN ?18 AND excluded.links = '[]' THEN links ELSE excluded.links END,
                    notify = CASE WHEN ?18 THEN COALESCE(excluded.notify, notify) ELSE excluded.notify END,
                    has_host_password = CASE WHEN ?18 THEN MAX(excluded.has_host_password, has_host_password) ELSE excluded.has_host_password END,
                    fetched_at = excluded.fetched_at"
            ),
            params![
                new_id,
                account.0,
                m.vendor_id,
                m.subject,
                ts(&m.start),
                ts(&m.end),
                m.zone,
                m.state.as_str(),
                m.meeting_number,
                m.organizer,
                to_json(&m.attendees)?,
                m.guest_password,
                m.dial_in,
                to_json(&m.links)?,
                m.notify.as_ref().map(to_json).transpose()?,
                m.has_host_password as i64,
                ts(&m.fetched_at),
                partial,
            ],
        )?;
        let id: String = conn.query_row(
            "SELECT id FROM meetings WHERE account_id = ?1 AND vendor_id = ?2",
            params![account.0, m.vendor_id],
            |r| r.get(0),
        )?;
        Ok(id)
    }

    /// Stores full details of one meeting (after book, edit or a details fetch).
    pub fn upsert_meeting(
        &self,
        account: &AccountId,
        m: &MeetingRecord,
    ) -> Result<MeetingId, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let id = Self::upsert_in(&tx, account, m, false)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces an account's cached meetings with a successful list from its vendor: listed
    /// meetings are upserted, those the vendor no longer lists are dropped, and the refresh
    /// time is recorded. One transaction, so a crash leaves the previous cache.
    pub fn replace_account_meetings(
        &self,
        account: &AccountId,
        listed: &[MeetingRecord],
        refreshed_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut keep = Vec::with_capacity(listed.len());
        for m in listed {
            keep.push(Self::upsert_in(&tx, account, m, true)?);
        }
        let existing: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM meetings WHERE account_id = ?1")?;
            let ids = stmt
                .query_map([&account.0], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            ids
        };
        for id in existing.iter().filter(|id| !keep.contains(id)) {
            tx.execute("DELETE FROM meetings WHERE id = ?1", [id])?;
        }
        tx.execute(
            "UPDATE accounts SET refreshed_at = ?2 WHERE id = ?1",
            params![account.0, ts(&refreshed_at)],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn meeting(&self, id: &str) -> Result<Option<MeetingRow>, StoreError> {
        let conn = self.lock();
        let raw = conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1"),
                [id],
                raw_meeting,
            )
            .optional()?;
        raw.map(parse_meeting).transpose()
    }

    pub fn delete_meeting(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM meetings WHERE id = ?1", [id])?
            > 0)
    }

    /// The vendor rooms booked for a meeting, in the order they were booked.
    pub fn meeting_rooms(&self, meeting: &str) -> Result<Vec<VendorRoom>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT room_id, name, location, capacity FROM meeting_rooms
             WHERE meeting_id = ?1 ORDER BY booked_at, rowid",
        )?;
        let rooms = stmt
            .query_map([meeting], |r| {
                Ok(VendorRoom {
                    vendor_id: r.get(0)?,
                    name: r.get(1)?,
                    location: r.get(2)?,
                    capacity: r.get(3)?,
                    // It was bookable: it is booked.
                    bookable: true,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rooms)
    }

    /// Records rooms the vendor booked for a meeting (a room booked again keeps its place).
    pub fn add_meeting_rooms(
        &self,
        meeting: &str,
        rooms: &[VendorRoom],
        booked_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        for r in rooms {
            tx.execute(
                "INSERT INTO meeting_rooms (meeting_id, room_id, name, location, capacity, booked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (meeting_id, room_id) DO UPDATE SET
                    name = excluded.name,
                    location = COALESCE(excluded.location, location),
                    capacity = COALESCE(excluded.capacity, capacity)",
                params![meeting, r.vendor_id, r.name, r.location, r.capacity, ts(&booked_at)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn remove_meeting_room(&self, meeting: &str, room_id: &str) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "DELETE FROM meeting_rooms WHERE meeting_id = ?1 AND room_id = ?2",
            params![meeting, room_id],
        )? > 0)
    }

    /// Every cached meeting, by start time.
    pub fn meetings(&self) -> Result<Vec<MeetingRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings ORDER BY start_utc, id"
        ))?;
        let raws = stmt
            .query_map([], raw_meeting)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(parse_meeting).collect()
    }
}

// ---- series ----

impl Store {
    /// Writes a series and all its occurrences at once: the outbox, before anything is sent.
    pub fn insert_series(
        &self,
        row: &SeriesRow,
        occurrences: &[OccurrenceRow],
    ) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            &format!(
                "INSERT INTO series ({SERIES_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ),
            params![
                row.id,
                row.account_id.0,
                to_json(&row.series)?,
                to_json(&row.template)?,
                row.mode.as_str(),
                row.state.as_str(),
                ts(&row.created_at),
                ts(&row.updated_at),
            ],
        )?;
        for o in occurrences {
            Self::insert_occurrence_in(&tx, o)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn insert_occurrence_in(conn: &Connection, o: &OccurrenceRow) -> Result<(), StoreError> {
        conn.execute(
            &format!(
                "INSERT INTO series_occurrences ({OCCURRENCE_COLUMNS}, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                o.series_id,
                o.original_start.format(LOCAL_KEY).to_string(),
                o.seq,
                o.subject,
                ts(&o.start),
                ts(&o.end),
                o.state.as_str(),
                o.vendor_id,
                o.meeting_id,
                o.attempts,
                o.last_error,
                o.sent_at.as_ref().map(ts),
                ts(&Utc::now()),
            ],
        )?;
        Ok(())
    }

    pub fn series(&self, id: &str) -> Result<Option<SeriesRow>, StoreError> {
        let conn = self.lock();
        let raw = conn
            .query_row(
                &format!("SELECT {SERIES_COLUMNS} FROM series WHERE id = ?1"),
                [id],
                raw_series,
            )
            .optional()?;
        raw.map(parse_series).transpose()
    }

    /// Every series, oldest first.
    pub fn all_series(&self) -> Result<Vec<SeriesRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {SERIES_COLUMNS} FROM series ORDER BY created_at, id"
        ))?;
        let raws = stmt
            .query_map([], raw_series)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(parse_series).collect()
    }

    /// The series' state and definition (overrides change as occurrences move or are
    /// cancelled).
    pub fn update_series(
        &self,
        id: &str,
        state: SeriesState,
        series: &Series,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE series SET state = ?2, definition = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, state.as_str(), to_json(series)?, ts(&Utc::now())],
        )?;
        Ok(())
    }

    pub fn set_series_state(&self, id: &str, state: SeriesState) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE series SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), ts(&Utc::now())],
        )?;
        Ok(())
    }

    /// A series' occurrences in the order of its expansion.
    pub fn occurrences(&self, series_id: &str) -> Result<Vec<OccurrenceRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OCCURRENCE_COLUMNS} FROM series_occurrences WHERE series_id = ?1 ORDER BY seq"
        ))?;
        let raws = stmt
            .query_map([series_id], raw_occurrence)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(parse_occurrence).collect()
    }

    fn save_occurrence_in(conn: &Connection, o: &OccurrenceRow) -> Result<(), StoreError> {
        let n = conn.execute(
            "UPDATE series_occurrences SET subject = ?3, start_utc = ?4, end_utc = ?5, state = ?6, \
             vendor_id = ?7, meeting_id = ?8, attempts = ?9, last_error = ?10, sent_at = ?11, \
             updated_at = ?12 WHERE series_id = ?1 AND original_start = ?2",
            params![
                o.series_id,
                o.original_start.format(LOCAL_KEY).to_string(),
                o.subject,
                ts(&o.start),
                ts(&o.end),
                o.state.as_str(),
                o.vendor_id,
                o.meeting_id,
                o.attempts,
                o.last_error,
                o.sent_at.as_ref().map(ts),
                ts(&Utc::now()),
            ],
        )?;
        if n != 1 {
            return Err(StoreError::Corrupt(format!(
                "occurrence {} of series {} missing",
                o.original_start, o.series_id
            )));
        }
        Ok(())
    }

    /// Writes an occurrence's state (committed before the caller goes on: `sending` is on disk
    /// before the vendor is called).
    pub fn save_occurrence(&self, o: &OccurrenceRow) -> Result<(), StoreError> {
        Self::save_occurrence_in(&self.lock(), o)
    }

    /// A booked occurrence: its meeting enters the agenda and the occurrence records it, in
    /// one transaction. Returns the meeting's local id (also set on `o`).
    pub fn save_booked_occurrence(
        &self,
        o: &mut OccurrenceRow,
        account: &AccountId,
        record: &MeetingRecord,
    ) -> Result<MeetingId, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let id = Self::upsert_in(&tx, account, record, false)?;
        o.state = OccurrenceState::Booked;
        o.vendor_id = Some(record.vendor_id.clone());
        o.meeting_id = Some(id.clone());
        o.last_error = None;
        Self::save_occurrence_in(&tx, o)?;
        tx.commit()?;
        Ok(id)
    }

    /// A cancelled occurrence: its meeting leaves the agenda, in one transaction.
    pub fn save_cancelled_occurrence(&self, o: &mut OccurrenceRow) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        if let Some(m) = o.meeting_id.take() {
            tx.execute("DELETE FROM meetings WHERE id = ?1", [&m])?;
        }
        o.state = OccurrenceState::Cancelled;
        Self::save_occurrence_in(&tx, o)?;
        tx.commit()?;
        Ok(())
    }

    /// The series a booked meeting of the account belongs to.
    pub fn series_of_meeting(
        &self,
        account: &AccountId,
        vendor_id: &str,
    ) -> Result<Option<SeriesId>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT o.series_id FROM series_occurrences o JOIN series s ON s.id = o.series_id \
                 WHERE o.vendor_id = ?2 AND s.account_id = ?1 AND o.state = 'booked' LIMIT 1",
                params![account.0, vendor_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use huiyi_core::{AttendeeRole, LinkKind, LinkRole};

    fn account(id: &str) -> AccountRow {
        AccountRow {
            account: Account {
                id: AccountId(id.into()),
                vendor: VendorKind::Huawei,
                label: "北京".into(),
                base_url: "http://127.0.0.1:1".into(),
                auth: AccountAuth::HuaweiAppId {
                    app_id: "app".into(),
                    user_id: Some("u1".into()),
                },
                sandbox: false,
                created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            },
            identity_user_id: Some("uid".into()),
            identity_name: Some("Alice".into()),
            refreshed_at: None,
        }
    }

    fn meeting(vendor_id: &str, hour: u32) -> MeetingRecord {
        MeetingRecord {
            vendor_id: vendor_id.into(),
            subject: format!("m{vendor_id}"),
            start: Utc.with_ymd_and_hms(2026, 11, 24, hour, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 11, 24, hour + 1, 0, 0).unwrap(),
            zone: "Asia/Shanghai".into(),
            state: MeetingState::Scheduled,
            meeting_number: vendor_id.into(),
            organizer: Some("Alice".into()),
            attendees: vec![Attendee {
                name: "张三".into(),
                email: Some("z@example.com".into()),
                phone: None,
                account: None,
                role: AttendeeRole::Participant,
            }],
            guest_password: Some("123456".into()),
            dial_in: None,
            links: vec![
                LinkView {
                    kind: LinkKind::Web,
                    role: LinkRole::Attendee,
                    url: Some("https://x/j".into()),
                },
                LinkView {
                    kind: LinkKind::Web,
                    role: LinkRole::Host,
                    url: None,
                },
            ],
            notify: Some(Notifications::default()),
            has_host_password: true,
            fetched_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn schema_is_versioned_and_reopening_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        store.insert_account(&account("a1")).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.accounts().unwrap(), vec![account("a1")]);
        let mode: String = store
            .lock()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_version_1_file_is_migrated_to_the_newest_schema_and_keeps_its_accounts() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = Connection::open(dir.path().join("huiyi.sqlite3")).unwrap();
            let tx = conn.transaction().unwrap();
            tx.execute_batch(MIGRATIONS[0]).unwrap();
            tx.execute(
                "INSERT INTO accounts (id, vendor, label, base_url, auth, sandbox, created_at) VALUES \
                 ('v1', 'huawei', 'Old', 'https://h', '{\"method\":\"huawei_password\",\"account\":\"u\"}', 0, \
                 '2026-11-01T00:00:00Z')",
                [],
            )
            .unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        store.insert_account(&account("a1")).unwrap();
        assert_eq!(store.preference("lang").unwrap(), None);
        store.set_preference("lang", "en").unwrap();
        store.set_preference("lang", "zh").unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.preference("lang").unwrap().as_deref(),
            Some("zh"),
            "the last choice, after a restart"
        );
        let labels: Vec<String> = store
            .accounts()
            .unwrap()
            .into_iter()
            .map(|a| a.account.label)
            .collect();
        assert_eq!(labels.len(), 2, "{labels:?}");
        assert!(
            labels.contains(&"Old".to_string()),
            "the version-1 account survived: {labels:?}"
        );
    }

    #[test]
    fn a_newer_schema_is_refused_rather_than_damaged() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let conn = Connection::open(dir.path().join("huiyi.sqlite3")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn refresh_keeps_local_ids_drops_missing_meetings_and_keeps_details_a_list_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = account("a1");
        store.insert_account(&a).unwrap();
        let id1 = store
            .upsert_meeting(&a.account.id, &meeting("1", 3))
            .unwrap();
        let id2 = store
            .upsert_meeting(&a.account.id, &meeting("2", 1))
            .unwrap();
        assert_eq!(
            store
                .meetings()
                .unwrap()
                .iter()
                .map(|m| m.id.clone())
                .collect::<Vec<_>>(),
            vec![id2.clone(), id1.clone()]
        );

        let mut listed = meeting("1", 4);
        listed.attendees.clear();
        listed.links.clear();
        listed.guest_password = None;
        store
            .replace_account_meetings(&a.account.id, &[listed], Utc::now())
            .unwrap();
        let rows = store.meetings().unwrap();
        assert_eq!(
            rows.len(),
            1,
            "meeting 2 vanished at the vendor, so it leaves the cache"
        );
        assert_eq!(rows[0].id, id1, "local id is stable");
        assert_eq!(
            rows[0].record.start.format("%H").to_string(),
            "04",
            "new time taken"
        );
        assert_eq!(
            rows[0].record.attendees.len(),
            1,
            "details the list lacked are kept"
        );
        assert_eq!(rows[0].record.guest_password.as_deref(), Some("123456"));
        assert!(store
            .account(&a.account.id)
            .unwrap()
            .unwrap()
            .refreshed_at
            .is_some());

        assert!(store.delete_account(&a.account.id).unwrap());
        assert!(
            store.meetings().unwrap().is_empty(),
            "cascade removes the account's meetings"
        );
        assert!(store.meeting(&id1).unwrap().is_none());
    }

    #[test]
    fn booked_rooms_survive_refreshes_and_leave_with_their_meeting() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = account("a1");
        store.insert_account(&a).unwrap();
        let id = store
            .upsert_meeting(&a.account.id, &meeting("1", 3))
            .unwrap();
        let room = |id: &str, name: &str| VendorRoom {
            vendor_id: id.into(),
            name: name.into(),
            location: Some("A座3层".into()),
            capacity: Some(8),
            bookable: true,
        };
        let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        store
            .add_meeting_rooms(&id, &[room("r1", "1号会议室")], t0)
            .unwrap();
        // Booked again later (the vendor answers with every room of the meeting): no
        // duplicate, the first one keeps its place.
        store
            .add_meeting_rooms(
                &id,
                &[room("r2", "Board Room"), room("r1", "1号会议室")],
                t0 + chrono::Duration::minutes(1),
            )
            .unwrap();
        let names = |s: &Store| {
            s.meeting_rooms(&id)
                .unwrap()
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&store), ["1号会议室", "Board Room"]);

        // A refresh rewrites the meeting row; the rooms stay with it.
        store
            .replace_account_meetings(&a.account.id, &[meeting("1", 4)], Utc::now())
            .unwrap();
        assert_eq!(names(&store), ["1号会议室", "Board Room"]);

        assert!(store.remove_meeting_room(&id, "r1").unwrap());
        assert!(!store.remove_meeting_room(&id, "r1").unwrap());
        assert_eq!(names(&store), ["Board Room"]);

        store.delete_meeting(&id).unwrap();
        assert!(store.meeting_rooms(&id).unwrap().is_empty());
    }

    #[test]
    fn a_version_3_file_gains_the_series_outbox_and_occurrences_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut conn = Connection::open(dir.path().join("huiyi.sqlite3")).unwrap();
            let tx = conn.transaction().unwrap();
            for sql in &MIGRATIONS[..3] {
                tx.execute_batch(sql).unwrap();
            }
            tx.pragma_update(None, "user_version", 3).unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), 4);
        let a = account("a1");
        store.insert_account(&a).unwrap();
        let t = |h: u32| Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap();
        let series: Series = serde_json::from_value(serde_json::json!({
            "subject": "Weekly", "start": "2026-11-24T09:00:00", "zone": "Asia/Shanghai",
            "duration_minutes": 60, "rule": {"freq": "WEEKLY", "end": {"kind": "count", "count": 2}}
        }))
        .unwrap();
        let row = SeriesRow {
            id: "s1".into(),
            account_id: a.account.id.clone(),
            series,
            template: BookingForm::default(),
            mode: SeriesMode::Local,
            state: SeriesState::Booking,
            created_at: t(0),
            updated_at: t(0),
        };
        let occ = |i: u32| OccurrenceRow {
            series_id: "s1".into(),
            original_start: t(1 + i).naive_utc(),
            seq: i,
            subject: "Weekly".into(),
            start: t(1 + i),
            end: t(2 + i),
            state: OccurrenceState::Pending,
            vendor_id: None,
            meeting_id: None,
            attempts: 0,
            last_error: None,
            sent_at: None,
        };
        store.insert_series(&row, &[occ(0), occ(1)]).unwrap();
        assert_eq!(store.series("s1").unwrap().unwrap(), row);
        let mut o = store.occurrences("s1").unwrap()[0].clone();
        assert_eq!(o, occ(0));
        o.state = OccurrenceState::Sending;
        o.attempts = 1;
        o.sent_at = Some(t(0));
        store.save_occurrence(&o).unwrap();
        let mid = store
            .save_booked_occurrence(&mut o, &a.account.id, &meeting("v1", 1))
            .unwrap();
        let back = store.occurrences("s1").unwrap();
        assert_eq!(back[0].state, OccurrenceState::Booked);
        assert_eq!(back[0].meeting_id.as_deref(), Some(mid.as_str()));
        assert_eq!(
            store
                .series_of_meeting(&a.account.id, "v1")
                .unwrap()
                .as_deref(),
            Some("s1")
        );
        store.save_cancelled_occurrence(&mut o).unwrap();
        assert!(
            store.meeting(&mid).unwrap().is_none(),
            "its meeting left the agenda"
        );
        assert_eq!(store.series_of_meeting(&a.account.id, "v1").unwrap(), None);
        assert!(store.delete_account(&a.account.id).unwrap());
        assert!(store.all_series().unwrap().is_empty(), "cascade");
    }
}
