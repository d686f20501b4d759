//! The API's hot path (issue 18): the authorized list at 64 connections against the 401 path,
//! and as the staff app asks for it (a session cookie), with the server's CPU time per request.

use std::{
    path::{Path, PathBuf},
    slice,
};

use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{Location, Role, Store};

use crate::{
    Failure, a_customer,
    lighthouse::sign_in,
    load::{Operation, Target, measure},
    machine::Watched,
    serve,
};

const STAFF: &str = "hot-path";
const PASSWORD: &str = "hot path benchmark password";

/// Goals: list p99 at 64 connections (ms), list ÷ 401 requests/s, CPU per authorized request (µs).
const P99_MS: f64 = 5.0;
const RATIO: f64 = 0.6;
const CPU_US: f64 = 25.0;

/// An earlier `phone-server` to measure first, for a before-and-after table (issue 18's
/// "done when"); its rows are marked "before".
pub const BEFORE: &str = "PHONEDESK_BENCH_BEFORE";

/// The section's rows, and the authorized list's requests/s at 64 connections.
///
/// # Errors
/// When the server or a request fails.
pub async fn measure_all(binary: &Path, folder: &Path) -> Result<(Vec<String>, f64), Failure> {
    let earlier = std::env::var_os(BEFORE).map(PathBuf::from);
    let mut lines = vec![
        "## The hot path".to_owned(),
        String::new(),
        format!(
            "`{}`, 64 connections: the demo customer's list with a valid bearer token, with a malformed one (the 401 path), and with a staff member's session cookie (as the app asks); the server's CPU time per answered request from /proc.{}",
            binary.display(),
            earlier.as_ref().map_or(String::new(), |e| format!(
                " The rows marked before are `{}` (`{BEFORE}`), measured just before, on the same machine.",
                e.display()
            )),
        ),
        String::new(),
        "| build | request | requests/s | p50 ms | p99 ms | server CPU µs per request | errors |"
            .to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    if let Some(earlier) = earlier {
        lines.extend(rows(&earlier, "before", &folder.join("before.sqlite3")).await?.0);
    }
    let (after, figures) = rows(binary, "after", &folder.join("hot-path.sqlite3")).await?;
    lines.extend(after);
    let [(list, p99, cpu), (unauthorized, _, _)] = [figures[0], figures[1]];
    let met = |yes: bool| if yes { "yes" } else { "no" };
    lines.extend([
        String::new(),
        "| measure (issue 18) | goal | measured | met |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!("| list p99, 64 connections | ≤ {P99_MS} ms | {p99:.2} ms | {} |", met(p99 <= P99_MS)),
        format!(
            "| list requests/s with a valid token ÷ the 401 path's | ≥ {RATIO} | {list:.0} ÷ {unauthorized:.0} = {:.2} | {} |",
            list / unauthorized,
            met(list / unauthorized >= RATIO)
        ),
        format!("| server CPU per authorized list request | ≤ {CPU_US} µs | {cpu:.1} µs | {} |", met(cpu <= CPU_US)),
    ]);
    Ok((lines, list))
}

/// One build's rows, marked `build`, on a database of its own; and each row's requests/s, p99
/// (ms) and CPU per request (µs).
async fn rows(
    binary: &Path,
    build: &str,
    database: &Path,
) -> Result<(Vec<String>, Vec<(f64, f64, f64)>), Failure> {
    let database = Location::Sqlite(database.to_owned());
    let server = serve(binary, &database).await?;
    let (customer, number) = a_customer(&server.target).await?;
    accounts::add_user(
        &Store::create(&database)?,
        STAFF,
        Role::Viewer,
        &Businesses::All,
        PASSWORD,
    )?;
    let base = server.process.base_url();
    let staff = Target::new(server.target.api().to_owned(), sign_in(&base, STAFF, PASSWORD).await?);
    let watching = Watched { servers: vec![server.process.id()], postmaster: None };
    let (mut lines, mut figures) = (Vec::new(), Vec::new());
    for (what, operation, target) in [
        ("GET …/phoneNumbers, valid token", Operation::List, &server.target),
        ("GET …/phoneNumbers, malformed token (401)", Operation::Unauthorized, &server.target),
        ("GET …/phoneNumbers, staff session", Operation::StaffList, &staff),
    ] {
        let before = watching.sample();
        let stats = measure(target, operation, 64, slice::from_ref(&customer), &number).await?;
        let usage = before.used_until(&watching.sample());
        let per_second = stats.requests as f64 / stats.seconds;
        let cpu_us = usage.servers * stats.seconds / (stats.requests.max(1) as f64) * 1e6;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let row = format!(
            "| {build} | {what} | {per_second:.0} | {:.2} | {:.2} | {cpu_us:.1} | {} |",
            ms(stats.p50),
            ms(stats.p99),
            stats.errors
        );
        eprintln!("{row}");
        lines.push(row);
        figures.push((per_second, ms(stats.p99), cpu_us));
    }
    Ok((lines, figures))
}
