//! `cargo xtask serve`: the staff app, built for release and served on loopback.

use crate::{Result, process::run, tools, trunk};

/// Builds the app and serves it until interrupted.
///
/// # Errors
/// When a tool is missing or the build fails.
pub(crate) fn run_server() -> Result {
    tools::ensure_web_tools()?;
    trunk::build()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    eprintln!("\nPhonedesk: http://127.0.0.1:{port}/  (Ctrl-C to stop)\n");
    // No live-reload script: what is served is what the release build produced.
    run(trunk::trunk(&[
        "serve",
        "--release",
        "--no-autoreload",
        "--address",
        "127.0.0.1",
        "--port",
        &port,
    ]))
}
