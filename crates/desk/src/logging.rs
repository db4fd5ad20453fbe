//! Logging to `data_dir/logs/huiyi.log` (and stderr when asked).
//!
//! Redaction is by construction: the desk logs ids, vendor names, operations and error codes,
//! never a secret, a token, a host link or a host password (the types that hold those do not
//! print them), and the vendor HTTP layer logs method, path, status and duration only. The
//! secret-scan test reads this file after a full scenario to hold that line.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

use crate::api::UiError;

pub fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("logs").join("huiyi.log")
}

/// Installs the process-wide subscriber. The filter comes from `HUIYI_LOG` (tracing's
/// `EnvFilter` syntax), default `info`. Calling it again in the same process (tests, a second
/// desk) keeps the first subscriber and returns Ok: the file is still created so callers can
/// rely on its path.
pub fn init_logging(data_dir: &Path, also_stderr: bool) -> Result<PathBuf, UiError> {
    let path = log_path(data_dir);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| UiError::logging(&e.to_string()))?;
    }
    // A plain file appended synchronously: every line is on disk when the call returns, so a
    // crash loses nothing and tests can read the file right away.
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| UiError::logging(&e.to_string()))?;
    let filter = || EnvFilter::try_from_env("HUIYI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer()
        .with_ansi(false)
        .with_target(true)
        .with_writer(Mutex::new(file))
        .with_filter(filter());
    let stderr_layer = also_stderr.then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    // Err only means another subscriber is already installed, which is fine (see above).
    let _ = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    Ok(path)
}
