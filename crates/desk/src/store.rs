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

use crate::api::{LinkView, MeetingId};

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
}
