//! `huiyi-sim serve [--vendor huawei|tencent|bizconf|feishu|cloudroom]... [--port N] [--state-dir DIR]`
//!
//! Prints one JSON line per listener (`ListenerInfo`, including the sandbox credentials) on
//! stdout, then serves until SIGINT or SIGTERM. Logs method, path and status to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use huiyi_sim::{Sim, SimConfig, SimVendor};

#[derive(Parser)]
#[command(
    name = "huiyi-sim",
    version,
    about = "Fake conferencing clouds on 127.0.0.1"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the fake vendor APIs.
    Serve {
        /// Vendor to serve (repeatable); default: every vendor.
        #[arg(long = "vendor", value_enum)]
        vendors: Vec<SimVendor>,
        /// First port (the n-th vendor gets port + n); 0 = ephemeral.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Keep state here (JSON) so it survives restarts; default: memory only.
        #[arg(long)]
        state_dir: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        // Colour codes only for a terminal: log files and test harnesses get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let Command::Serve {
        mut vendors,
        port,
        state_dir,
    } = Cli::parse().command;
    if vendors.is_empty() {
        vendors.extend(SimVendor::ALL);
    }
    let sim = match Sim::start(SimConfig {
        state_dir,
        vendors,
        port,
    })
    .await
    {
        Ok(sim) => sim,
        Err(err) => {
            eprintln!("huiyi-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    for info in sim.listeners() {
        match serde_json::to_string(info) {
            Ok(line) => {
                let _ = writeln!(out, "{line}");
            }
            Err(err) => eprintln!("huiyi-sim: {err}"),
        }
    }
    let _ = out.flush();
    drop(out);
    wait_for_signal().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
