//! Each fake's state as one JSON file in the state dir, shared by every vendor: read with a
//! schema check, written atomically (temporary file, fsync, rename) with mode 0600, because the
//! state holds the sandbox's secrets (the fake is the vendor and must hand them out again).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::SimError;

/// A vendor's persisted state, versioned so a newer file is refused rather than misread.
pub(crate) trait Persisted: Serialize + DeserializeOwned {
    /// The schema this build reads and writes.
    const SCHEMA: u32;
    /// The schema the value was written with.
    fn schema(&self) -> u32;
}

pub(crate) fn load<T: Persisted>(path: &Path) -> Result<T, SimError> {
    let io = |source| SimError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let state: T = serde_json::from_slice(&bytes).map_err(|source| SimError::BadState {
        path: path.to_owned(),
        source,
    })?;
    if state.schema() != T::SCHEMA {
        return Err(io(std::io::Error::other(format!(
            "state schema {} is not the supported {}",
            state.schema(),
            T::SCHEMA
        ))));
    }
    Ok(state)
}

/// A crash leaves the old or the new state, never half of one.
pub(crate) fn save<T: Persisted>(path: &Path, state: &T) -> Result<(), SimError> {
    let io = |source| SimError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let bytes = serde_json::to_vec_pretty(state).map_err(|source| SimError::BadState {
        path: path.to_owned(),
        source,
    })?;
    let tmp = path.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io)?;
    file.write_all(&bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)
}

/// A vendor's state behind its lock, written back to its file (when it has one) after every
/// change, before the change is answered.
pub(crate) struct Persistent<S> {
    path: Option<PathBuf>,
    state: Mutex<S>,
}

impl<S: Persisted> Persistent<S> {
    /// Loads `path` when it exists, else starts from `fresh()`; writes the file at once, so an
    /// unusable state dir fails at start rather than at the first booking.
    pub(crate) fn open(path: Option<PathBuf>, fresh: impl FnOnce() -> S) -> Result<Self, SimError> {
        let state = match &path {
            Some(p) if p.exists() => load(p)?,
            _ => fresh(),
        };
        if let Some(p) = &path {
            save(p, &state)?;
        }
        Ok(Persistent {
            path,
            state: Mutex::new(state),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, S> {
        lock(&self.state)
    }

    /// Runs `f` under the lock and persists whatever it did — refusals change state too (rate
    /// counters). When the file cannot be written the answer is `busy`, the vendor's own
    /// "try again" error.
    pub(crate) fn write<T, E>(
        &self,
        f: impl FnOnce(&mut S) -> Result<T, E>,
        busy: E,
    ) -> Result<T, E> {
        let mut st = self.lock();
        let out = f(&mut st);
        if let Some(path) = &self.path {
            if let Err(err) = save(path, &*st) {
                tracing::error!("{err}");
                return Err(busy);
            }
        }
        out
    }
}

/// Handlers never leave state half-changed across a panic point, so a poisoned lock is still
/// consistent.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
