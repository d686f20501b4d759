//! Sign-ins from a hundred callers behind one proxy, one of them hostile (`cargo xtask faults`,
//! after [`crate::slow_clients`]): the release server with `--trusted-proxy 127.0.0.1`, as the
//! README runs it behind nginx, each caller named by `X-Forwarded-For` from the proxy's address.
//! The hostile caller tries its way through twice the sign-in allowance; then each of the other
//! 99 signs in once. Reported: how many of the 99 still had their allowance (the goal: all), and
//! how many of the hostile caller's attempts were refused.

use std::path::Path;

use http_body_util::Full;
use hyper::{Request, body::Bytes};
use serde_json::json;

use crate::{Failure, load::http, serve_with};

/// The sign-in allowance per address and window the server is given (its default).
const SIGN_IN_LIMIT: usize = 30;
/// Callers behind the proxy, the hostile one among them.
const CALLERS: u8 = 100;

/// Runs the scenario; returns Markdown lines.
pub async fn measure(binary: &Path) -> Result<Vec<String>, Failure> {
    let folder = tempfile::tempdir()?;
    let database = phone_store::Location::Sqlite(folder.path().join("proxy.sqlite3"));
    // A window no run can cross: windows start at multiples of their length since the epoch.
    let limit = SIGN_IN_LIMIT.to_string();
    let flags =
        ["--trusted-proxy", "127.0.0.1", "--rate-window", "1000000000", "--sign-in-limit", &limit];
    let server = serve_with(binary, &database, &flags).await?;
    let base = server.process.base_url();
    let http = http();
    let sign_in = async |caller: u8, attempt: usize| -> Result<u16, Failure> {
        // A name of its own each time: a name's failures make its next attempt wait.
        let name = format!("caller{caller}-{attempt}");
        let body = json!({"username": name, "password": "not it"});
        let request = Request::post(format!("{base}/auth/session"))
            .header("content-type", "application/json")
            .header("x-phonedesk-request", "1")
            .header("x-forwarded-for", format!("198.51.100.{caller}"))
            .body(Full::new(Bytes::from(serde_json::to_vec(&body)?)))?;
        Ok(http.request(request).await?.status().as_u16())
    };
    let mut hostile_refused = 0;
    for attempt in 0..2 * SIGN_IN_LIMIT {
        hostile_refused += usize::from(sign_in(1, attempt).await? == 429);
    }
    let mut kept = 0;
    for caller in 2..=CALLERS {
        kept += usize::from(sign_in(caller, 0).await? == 401);
    }
    let others = usize::from(CALLERS) - 1;
    eprintln!("behind a proxy: {kept} of {others} kept their allowance");
    Ok(vec![
        "### Sign-ins behind a proxy".to_owned(),
        String::new(),
        format!(
            "Written by `cargo xtask faults`: the server with `--trusted-proxy 127.0.0.1`, {CALLERS} callers named by `X-Forwarded-For`; one tries {} sign-ins (its allowance is {SIGN_IN_LIMIT} a window), then each other signs in once.",
            2 * SIGN_IN_LIMIT
        ),
        String::new(),
        "| measure | value |".to_owned(),
        "|---|---|".to_owned(),
        format!("| callers who kept their allowance (goal: all {others}) | {kept} |"),
        format!(
            "| the hostile caller's attempts refused | {hostile_refused} of {} |",
            2 * SIGN_IN_LIMIT
        ),
    ])
}
