//! The data-quality review at a million stored numbers (issue 16's goal: the first page in
//! ≤ 500 ms), on SQLite, the default engine.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use hyper::Method;
use phone_store::{Location, Store};

use crate::{
    Failure,
    load::{call, http, quantile},
    serve,
};

/// The numbers stored: 100,000 customers with ten each.
pub const NUMBERS: usize = 1_000_000;

/// One number in this many is spoiled (a landline saved as a mobile); one in ten times as many
/// shares one office number.
const EVERY: i64 = 100;

/// The goal for the review's first page, in milliseconds.
const GOAL_MS: f64 = 500.0;

/// Requests timed per row, one after another, after one untimed.
const TIMES: usize = 30;

/// The section.
///
/// # Errors
/// When filling the database, the server or a request fails.
pub async fn measure(binary: &Path, folder: &Path) -> Result<Vec<String>, Failure> {
    let database = Location::Sqlite(folder.join("review.sqlite3"));
    let store = Store::create(&database)?;
    store.put_business("3333333", "Bench")?;
    store.fill_for_benchmark("3333333", NUMBERS / 10, 10)?;
    let judging = store.spoil_for_review(EVERY)?;
    drop(store);
    let server = serve(binary, &database).await?;
    let client = http();
    let mut lines = vec![
        "## The data-quality review".to_owned(),
        String::new(),
        format!(
            "`GET /phoneNumberReview` at {NUMBERS} stored numbers (100,000 customers × 10; one in {EVERY} a landline saved as a mobile, one in {} sharing an office number), SQLite, one request at a time ({TIMES} timed). Judging all {NUMBERS} numbers again, as a server does once when the plans or rules change: {:.1} s.",
            EVERY * 10,
            judging.as_secs_f64()
        ),
        String::new(),
        "| request | numbers in the group | p50 ms | p99 ms |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    let mut worst = 0.0_f64;
    for (what, query) in [
        ("the counts alone", ""),
        ("first page of 20: wrong type", "?problem=wrongType&limit=20"),
        ("first page of 20: shared", "?problem=sharedNumber&limit=20"),
        ("first page of 20: not in plan", "?problem=notInPlan&limit=20"),
    ] {
        let url = format!("{}/phoneNumberReview{query}", server.target.api());
        let mut times = Vec::new();
        let mut listed = String::new();
        for n in 0..=TIMES {
            let started = Instant::now();
            let (status, body) =
                call(&client, Method::GET, &url, &server.target.token, None).await?;
            if status != 200 {
                return Err(format!("{url}: {status} {body}").into());
            }
            if n > 0 {
                times.push(started.elapsed());
            }
            let problem = query.split('&').next().and_then(|q| q.strip_prefix("?problem="));
            listed = body["problems"]
                .as_array()
                .and_then(|all| {
                    all.iter().find(|p| Some(p["problem"].as_str().unwrap_or_default()) == problem)
                })
                .map_or_else(|| "—".to_owned(), |p| p["count"].to_string());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let (p50, p99) = (ms(quantile(&times, 0.5)), ms(quantile(&times, 0.99)));
        if !query.is_empty() {
            worst = worst.max(p99);
        }
        let row = format!("| {what} | {listed} | {p50:.1} | {p99:.1} |");
        eprintln!("{row}");
        lines.push(row);
    }
    let met = if worst <= GOAL_MS { "yes" } else { "no" };
    lines.extend([
        String::new(),
        "| measure (issue 16) | goal | measured | met |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| the review's first page at {NUMBERS} numbers, p99, the slowest group | ≤ {GOAL_MS:.0} ms | {worst:.1} ms | {met} |"
        ),
    ]);
    Ok(lines)
}
