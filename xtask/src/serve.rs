//! `cargo xtask serve`: the staff app, built for release, served by `phone-server` with
//! demonstration data, on loopback.

use crate::{
    Result, embed,
    process::{command, run},
    root, tools, trunk,
};

/// Builds the app and runs the server until interrupted.
///
/// # Errors
/// When a tool is missing, the build fails or the server stops with an error.
pub(crate) fn run_server() -> Result {
    tools::ensure_web_tools()?;
    trunk::build()?;
    embed::build()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let address = format!("127.0.0.1:{port}");
    let dist = root().join("dist");
    // A database of its own: the demo users' passwords are printed on the terminal, and the
    // server refuses to take a database with them beyond loopback.
    let database = root().join("data/demo.sqlite3");
    eprintln!("\nPhonedesk: http://{address}/  (Ctrl-C to stop; data in {})\n", database.display());
    let mut server = command(
        "cargo",
        &[
            "run",
            "--release",
            "--quiet",
            "--package",
            "phone-server",
            "--",
            // Said outright: the server makes a database only when told to.
            "--create-database",
            "--demo",
            "--address",
            &address,
        ],
    );
    server.arg("--app-dir").arg(dist).arg("--database").arg(database);
    run(server)
}
