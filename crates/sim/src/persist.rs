//! Each fake's state as one JSON file in the state dir, shared by every vendor: read with a
//! schema check, written atomically (temporary file, fsync, rename) with mode 0600, because the
//! state holds the sandbox's secrets (the fake is the vendor and must hand them out again).

use std::io::Write;
use std::path::Path;

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
