//! The server under a slowloris attack (`cargo xtask faults`, after [`crate::abuse`]): for 30 s,
//! 2,000 connections that never send a byte and 200 that send a request's head a byte every
//! 3 s, each made again a second after the server closes it, while a legitimate client lists a
//! customer's numbers on the connection it kept from before the attack. Reported: that
//! client's latency quiet and under attack and its errors, how long new clients waited for a
//! first answer during the attack, the server's most open file descriptors (the goal: its
//! connection cap and 64 more), and what the attackers' connections met. The server's defaults,
//! as shipped.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use phone_http::serving;
use phone_store::Location;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    Failure, a_customer,
    abuse::{ATTACK, PACE, QUIET, Seen, legitimate, ms},
    load::http,
    serve_with,
};

/// Connections that send nothing.
const SILENT: usize = 2000;
/// Connections that send a request's head a byte at a time.
const SLOW: usize = 200;
/// How often a slow connection sends its next byte.
const DRIP: Duration = Duration::from_secs(3);
/// How long an attacker waits to connect again once the server closed its connection.
const AGAIN: Duration = Duration::from_secs(1);
/// How often a new client comes during the attack.
const NEWCOMERS_EVERY: Duration = Duration::from_secs(5);
/// How long a new client waits to try again when refused.
const TRY_AGAIN: Duration = Duration::from_millis(100);
/// How long before the attack's end new clients stop coming: each has the attack's last
/// seconds to get in, more than the server's default `--header-timeout` (10 s), after which a
/// silent connection's place is free.
const NEWCOMERS_STOP: Duration = Duration::from_secs(12);
/// A connection closed sooner than this after connecting was refused, not timed out.
const REFUSED_WITHIN: Duration = Duration::from_millis(100);
/// Descriptors this process needs besides its attackers': the runtime's, the clients'.
const OWN_DESCRIPTORS: u64 = 100;

/// Runs the scenario; returns Markdown lines.
pub async fn measure(binary: &Path) -> Result<Vec<String>, Failure> {
    // The server inherits this process's limit, so its cap is the one computed from it.
    let limit = serving::open_file_limit();
    let needed = (SILENT + SLOW) as u64 + OWN_DESCRIPTORS;
    if limit.is_some_and(|limit| limit < needed) {
        return Err(format!(
            "the slow clients' scenario opens {needed} files, and this process may open {limit:?}: \
             raise its limit (cargo xtask faults runs it with ulimit -n raised to the hard limit)"
        )
        .into());
    }
    let cap = serving::max_connections(None, limit)?.get();
    let folder = tempfile::tempdir()?;
    let database = Location::Sqlite(folder.path().join("slow-clients.sqlite3"));
    let server = serve_with(binary, &database, &[]).await?;
    let pid = server.process.id();
    let (customer, _) = a_customer(&server.target).await?;
    let address = server.process.address().to_owned();

    // The legitimate client on a thread and runtime of its own (see `abuse`), quiet and then
    // under attack on one connection, as a client that was there before the attack keeps its.
    let (quiet_done, attack_starts) = std::sync::mpsc::channel();
    let (target, watched) = (server.target.clone(), customer.clone());
    let client = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let http = http();
            let quiet = legitimate(&http, &target, &watched, QUIET).await?;
            let _ = quiet_done.send(());
            let attacked = legitimate(&http, &target, &watched, ATTACK).await?;
            Ok::<_, Failure>((quiet, attacked))
        })
    });
    attack_starts.recv().map_err(|_| "the legitimate client stopped before the attack")?;

    let until = Instant::now() + ATTACK;
    let met = Arc::new(Met::default());
    let mut attackers = Vec::with_capacity(SILENT + SLOW);
    for n in 0..SILENT + SLOW {
        let (address, met) = (address.clone(), Arc::clone(&met));
        attackers
            .push(tokio::spawn(async move { attack(&address, n >= SILENT, until, &met).await }));
    }
    let mut newcomers = Vec::new();
    let mut most_descriptors = 0;
    let mut next_newcomer = Instant::now() + NEWCOMERS_EVERY / 2;
    while Instant::now() < until {
        most_descriptors = most_descriptors.max(open_descriptors(pid));
        if Instant::now() >= next_newcomer && next_newcomer + NEWCOMERS_STOP <= until {
            let address = address.clone();
            newcomers.push(tokio::spawn(async move { first_answer(&address, until).await }));
            next_newcomer += NEWCOMERS_EVERY;
        }
        // The descriptors are counted ten times a second.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (quiet, attacked) = client.join().map_err(|_| "the legitimate client panicked")??;
    for attacker in attackers {
        attacker.await?;
    }
    let mut waits = Vec::new();
    for newcomer in newcomers {
        waits.push(newcomer.await?);
    }
    drop(server);

    let waits: Vec<String> = waits
        .iter()
        .map(|wait| wait.map_or("none".to_owned(), |wait| format!("{:.1}", wait.as_secs_f64())))
        .collect();
    eprintln!(
        "slow clients: p99 {:.2} ms quiet, {:.2} ms under attack, {} errors; at most {most_descriptors} descriptors",
        ms(quiet.p99),
        ms(attacked.p99),
        attacked.errors
    );
    let mut lines = vec![
        "### Slow and idle clients".to_owned(),
        String::new(),
        format!(
            "Written by `cargo xtask faults`: for {} s, {SILENT} connections that send nothing and {SLOW} that send a request's head a byte every {} s, each made again {} s after the server closes it, while a client lists a customer's numbers every {} ms on the connection it kept from before; the server's defaults (here `--max-connections` {cap}, `--header-timeout` 10 s).",
            ATTACK.as_secs(),
            DRIP.as_secs(),
            AGAIN.as_secs(),
            PACE.as_millis()
        ),
        String::new(),
    ];
    lines.extend(Seen::compared(&quiet, &attacked));
    lines.extend([
        format!(
            "| server's most open file descriptors (goal ≤ {cap} + 64) | | {most_descriptors} |"
        ),
        format!(
            "| new clients' waits for a first answer, trying every {} ms, s (one every {} s) | | {} |",
            TRY_AGAIN.as_millis(),
            NEWCOMERS_EVERY.as_secs(),
            waits.join(", ")
        ),
        format!(
            "| attackers' connections made / closed at once (refused) / closed by a timeout | | {} / {} / {} |",
            met.made.load(Ordering::Relaxed),
            met.refused.load(Ordering::Relaxed),
            met.timed_out.load(Ordering::Relaxed)
        ),
    ]);
    Ok(lines)
}

/// What the attackers' connections met.
#[derive(Default)]
struct Met {
    made: AtomicU64,
    /// Closed within [`REFUSED_WITHIN`] of connecting: refused at the cap.
    refused: AtomicU64,
    /// Closed later: a timeout.
    timed_out: AtomicU64,
}

/// One attacker until `until`: connects, sends nothing (or, if `slow`, a request's head a byte
/// every [`DRIP`]) until the server closes the connection, waits [`AGAIN`], and connects again.
async fn attack(address: &str, slow: bool, until: Instant, met: &Met) {
    let head = b"GET /healthz HTTP/1.1\r\nHost: phonedesk\r\nX-Slow: ".iter().cycle();
    let mut head = head.copied();
    while Instant::now() < until {
        let Ok(stream) = TcpStream::connect(address).await else {
            tokio::time::sleep(AGAIN).await;
            continue;
        };
        met.made.fetch_add(1, Ordering::Relaxed);
        let connected = Instant::now();
        let (mut reading, mut writing) = stream.into_split();
        let closed = async {
            let mut buffer = [0; 1024];
            while matches!(reading.read(&mut buffer).await, Ok(read) if read > 0) {}
        };
        let drip = async {
            loop {
                if slow {
                    let byte = head.next().unwrap_or(b'x');
                    if writing.write_all(&[byte]).await.is_err() {
                        // Closed: the read above sees it.
                        std::future::pending::<()>().await;
                    }
                }
                tokio::time::sleep(DRIP).await;
            }
        };
        let deadline = tokio::time::sleep_until(until.into());
        tokio::select! {
            () = closed => {
                let counter = if connected.elapsed() < REFUSED_WITHIN {
                    &met.refused
                } else {
                    &met.timed_out
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
            () = drip => {}
            () = deadline => return,
        }
        tokio::time::sleep(AGAIN).await;
    }
}

/// How long a new client that sends `GET /healthz` on a new connection, and tries again every
/// [`TRY_AGAIN`] while it is refused, waits for its answer; `None` if it got none by `until`.
async fn first_answer(address: &str, until: Instant) -> Option<Duration> {
    let started = Instant::now();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    while Instant::now() < until {
        if let Ok(mut stream) = TcpStream::connect(address).await {
            let mut answer = Vec::new();
            let sent = stream.write_all(request.as_bytes()).await.is_ok();
            let read =
                tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer));
            if sent && matches!(read.await, Ok(Ok(_))) && answer.starts_with(b"HTTP/1.1 200") {
                return Some(started.elapsed());
            }
        }
        tokio::time::sleep(TRY_AGAIN).await;
    }
    None
}

/// The descriptors a process has open now.
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}
