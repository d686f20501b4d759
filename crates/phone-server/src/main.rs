//! `phone-server`: read the configuration, then serve until told to stop (`serve`), or run one
//! of the commands that manage the database (`commands`).

mod commands;
mod serve;
mod spreadsheets;

use std::{process::ExitCode, time::Duration};

use clap::Parser;
use phone_server::config::Config;

fn main() -> ExitCode {
    let config = Config::parse();
    phone_server::logging::init(config.log_format, config.access_log);
    let result = match config.command {
        Some(_) => commands::manage(config).map_err(|e| e.to_string()),
        None => serve_until_stopped(config).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("phone-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves on a runtime of its own: once the server has stopped, work still running on it (a
/// database call of a request cut off by the shutdown timeout) gets a second more, then the
/// process ends. An unanswered write that the exit interrupts is rolled back, never half done.
fn serve_until_stopped(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(serve::serve(config));
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}
