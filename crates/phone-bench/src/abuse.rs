//! The server under attack (`cargo xtask faults`): 200 concurrent attackers send sign-ins
//! with 1 MB random names and list requests with fake bearer tokens for 30 s, while a
//! legitimate client lists a customer's numbers ten times a second, as it did before the
//! attack. Reported: the legitimate client's p99 quiet and under attack, its errors, what the
//! attackers got, and the server's peak resident memory. Default limits, as shipped.

use std::{
    collections::BTreeMap,
    path::Path,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use http_body_util::Full;
use hyper::{Method, Request, body::Bytes};

use phone_store::Location;

use crate::{
    Failure, a_customer,
    load::{Http, Target, call, http, quantile},
    serve_with,
};

const ATTACKERS: usize = 200;
/// How long each attack lasts (this one, and the slow clients' in [`crate::slow_clients`]).
pub const ATTACK: Duration = Duration::from_secs(30);
/// How long the legitimate client is measured before an attack.
pub const QUIET: Duration = Duration::from_secs(20);
/// The legitimate client's pace: well under its 1,200 requests a minute.
pub const PACE: Duration = Duration::from_millis(66);

/// Runs the scenario; returns Markdown lines.
pub async fn measure(binary: &Path) -> Result<Vec<String>, Failure> {
    let folder = tempfile::tempdir()?;
    let server =
        serve_with(binary, &Location::Sqlite(folder.path().join("abuse.sqlite3")), &[]).await?;
    let pid = server.process.id();
    let (customer, _) = a_customer(&server.target).await?;
    let quiet = legitimate(&http(), &server.target, &customer, QUIET).await?;
    eprintln!("quiet: p99 {:.2} ms, {} errors", ms(quiet.p99), quiet.errors);

    let base = server.target.api().trim_end_matches("/CustomerServices/v1.0").to_owned();
    let outcomes = Arc::new(Mutex::new(BTreeMap::<String, u64>::new()));
    let started = Instant::now();
    let mut attackers = Vec::new();
    for n in 0..ATTACKERS {
        let (base, api, customer, outcomes) =
            (base.clone(), server.target.api().to_owned(), customer.clone(), Arc::clone(&outcomes));
        attackers.push(tokio::spawn(async move {
            let http = http();
            // One megabyte of name, made once per attacker: the cost is the server's to bear.
            let name = "x".repeat(1024 * 1024);
            let body = Bytes::from(format!(r#"{{"username":"{n}{name}","password":"guess"}}"#));
            let mut round = 0_u64;
            while started.elapsed() < ATTACK {
                round += 1;
                let outcome = if n % 2 == 0 {
                    let request = Request::post(format!("{base}/auth/session"))
                        .header("content-type", "application/json")
                        .header("x-phonedesk-request", "1")
                        .body(Full::new(body.clone()));
                    match request {
                        Ok(request) => match http.request(request).await {
                            Ok(response) => format!("sign-in {}", response.status().as_u16()),
                            Err(_) => "sign-in: connection closed".to_owned(),
                        },
                        Err(_) => "sign-in: not sent".to_owned(),
                    }
                } else {
                    let fake = format!("fake.{n}.{round}");
                    let url = format!("{api}/customers/{customer}/phoneNumbers");
                    match call(&http, Method::GET, &url, &fake, None).await {
                        Ok((status, _)) => format!("fake token {status}"),
                        Err(_) => "fake token: connection closed".to_owned(),
                    }
                };
                *outcomes.lock().expect("no attacker panics").entry(outcome).or_default() += 1;
            }
        }));
    }
    // The legitimate client runs on a thread and runtime of its own, so that what it measures is
    // the server, not the attackers' tasks queued beside it in this process.
    let target = server.target.clone();
    let watched = customer.clone();
    let attacked = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(legitimate(&http(), &target, &watched, ATTACK))
    })
    .join()
    .map_err(|_| "the legitimate client's thread panicked")??;
    for attacker in attackers {
        attacker.await?;
    }
    let peak = peak_resident_mib(pid);
    eprintln!(
        "under attack: p99 {:.2} ms, {} errors, peak {peak:.0} MiB",
        ms(attacked.p99),
        attacked.errors
    );
    let mut lines = vec![
        "## Under attack".to_owned(),
        String::new(),
        format!(
            "Written by `cargo xtask faults`: {ATTACKERS} attackers for {} s (half sign in with 1 MB random names, half list with fake bearer tokens) while a client lists a customer's numbers every {} ms; the server's default limits.",
            ATTACK.as_secs(),
            PACE.as_millis()
        ),
        String::new(),
    ];
    lines.extend(Seen::compared(&quiet, &attacked));
    lines.extend([
        format!("| server's peak resident memory, MiB (goal < 300) | | {peak:.0} |"),
        String::new(),
        "What the attackers got:".to_owned(),
        String::new(),
        "| answer | count |".to_owned(),
        "|---|---|".to_owned(),
    ]);
    for (outcome, count) in outcomes.lock().expect("no attacker panics").iter() {
        lines.push(format!("| {outcome} | {count} |"));
    }
    drop(server);
    Ok(lines)
}

/// What the legitimate client saw.
pub struct Seen {
    pub requests: usize,
    pub errors: usize,
    pub p50: Duration,
    pub p99: Duration,
}

impl Seen {
    /// How many times slower the 99th percentile was under attack than in quiet.
    pub fn ratio(quiet: &Self, attacked: &Self) -> f64 {
        attacked.p99.as_secs_f64() / quiet.p99.as_secs_f64().max(1e-9)
    }

    /// The table's head and rows comparing the legitimate client in quiet and under attack.
    pub fn compared(quiet: &Self, attacked: &Self) -> Vec<String> {
        vec![
            "| measure | quiet | under attack |".to_owned(),
            "|---|---|---|".to_owned(),
            format!("| legitimate list p50, ms | {:.2} | {:.2} |", ms(quiet.p50), ms(attacked.p50)),
            format!("| legitimate list p99, ms | {:.2} | {:.2} |", ms(quiet.p99), ms(attacked.p99)),
            format!(
                "| legitimate requests / errors | {} / {} | {} / {} |",
                quiet.requests, quiet.errors, attacked.requests, attacked.errors
            ),
            format!(
                "| p99 under attack ÷ quiet (goal ≤ 3) | | {:.2} |",
                Self::ratio(quiet, attacked)
            ),
        ]
    }
}

/// Lists `customer`'s numbers every [`PACE`] for `how_long`, through `http` (whose pooled
/// connection, kept from an earlier call, is reused).
pub async fn legitimate(
    http: &Http,
    target: &Target,
    customer: &str,
    how_long: Duration,
) -> Result<Seen, Failure> {
    let url = format!("{}/customers/{customer}/phoneNumbers", target.api());
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut next = Instant::now();
    while started.elapsed() < how_long {
        tokio::time::sleep_until(next.into()).await;
        next += PACE;
        let at = Instant::now();
        match call(http, Method::GET, &url, &target.token, None).await {
            Ok((200, _)) => latencies.push(at.elapsed()),
            _ => errors += 1,
        }
    }
    latencies.sort();
    let (p50, p99) = (quantile(&latencies, 0.5), quantile(&latencies, 0.99));
    Ok(Seen { requests: latencies.len() + errors, errors, p50, p99 })
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The process's peak resident memory (`VmHWM`), in MiB.
fn peak_resident_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
