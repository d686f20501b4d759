//! 500 staff hearing calls as they are reported (issue 36): their streams opened, calls reported
//! as fast as a few connections can, and what the streams hear (see `calls`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use serde_json::json;

use crate::{
    Failure,
    load::{DURATION, Http, call, http},
    machine::{self, Watched},
};

/// The business every customer, staff member and call is of.
pub(crate) const BUSINESS: &str = "3333333";

/// The staff streams open at once, and the connections that report calls to them.
pub(crate) const STREAMS: usize = 500;
pub(crate) const POSTERS: usize = 4;

/// What the streams measured.
pub(crate) struct Heard {
    /// The server's resident bytes before the streams, with them open, and after the calls.
    pub(crate) before: u64,
    pub(crate) open: u64,
    pub(crate) after: u64,
    /// Calls reported (answered 200) and refused or failed, in `seconds`.
    pub(crate) posted: u64,
    pub(crate) post_errors: u64,
    pub(crate) seconds: f64,
    /// Events received across the streams while calls were reported, and in all (once the
    /// streams had caught up).
    pub(crate) told: u64,
    pub(crate) total: u64,
    /// Events told after a later one (a smaller `id`), across the streams.
    pub(crate) out_of_order: u64,
    pub(crate) usage: machine::Usage,
}

/// Counts kept by every stream.
#[derive(Default)]
struct Counts {
    open: AtomicU64,
    events: AtomicU64,
    out_of_order: AtomicU64,
}

/// Opens [`STREAMS`] streams, in turn with each of `cookies` (staff members signed in), then
/// reports calls from `numbers`.
pub(crate) async fn streams(
    server: &crate::Server,
    cookies: &[String],
    numbers: &[String],
) -> Result<Heard, Failure> {
    let api = server.target.api().to_owned();
    // The reporting path used once before the baseline; ended calls, which new streams are not
    // told of.
    let http = http();
    for (k, local) in numbers.iter().take(20).enumerate() {
        let body = report(local, "ended", &format!("warm-{k}"));
        let (status, answer) =
            call(&http, Method::POST, &format!("{api}/calls"), &server.target.token, Some(&body))
                .await?;
        if status != 200 {
            return Err(format!("POST /calls: {status} {answer}").into());
        }
    }
    let pid = server.process.id();
    let resident = || machine::resident_bytes(pid).ok_or("no VmRSS for the server");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = resident()?;

    let counts = Arc::new(Counts::default());
    let mut listeners: Vec<_> = (0..STREAMS)
        .map(|n| {
            let (url, cookie) = (format!("{api}/callEvents"), cookies[n % cookies.len()].clone());
            let (http, counts) = (http.clone(), Arc::clone(&counts));
            tokio::spawn(async move { listen(&http, &url, &cookie, &counts).await })
        })
        .collect();
    let opening = Instant::now();
    while counts.open.load(Ordering::Relaxed) < STREAMS as u64 {
        if let Some(at) = listeners.iter().position(|l| l.is_finished()) {
            let ended = listeners.swap_remove(at).await?;
            return Err(format!("a stream ended before the calls: {ended:?}").into());
        }
        if opening.elapsed() > Duration::from_secs(30) {
            return Err("the streams did not all open in 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let open = resident()?;

    let watching = Watched { servers: vec![pid], postmaster: None };
    let sample = watching.sample();
    let from = counts.events.load(Ordering::Relaxed);
    let started = Instant::now();
    let posters: Vec<_> = (0..POSTERS)
        .map(|poster| {
            let (url, token) = (format!("{api}/calls"), server.target.token.clone());
            let numbers = numbers.to_vec();
            tokio::spawn(async move { post(&url, &token, &numbers, poster, started).await })
        })
        .collect();
    let (mut posted, mut post_errors) = (0, 0);
    for poster in posters {
        let (answered, failed) = poster.await?;
        posted += answered;
        post_errors += failed;
    }
    let seconds = started.elapsed().as_secs_f64();
    let told = counts.events.load(Ordering::Relaxed) - from;
    let usage = sample.used_until(&watching.sample());
    // The rest is still on its way: counted until a second passes without an event.
    let mut received = counts.events.load(Ordering::Relaxed);
    let draining = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = counts.events.load(Ordering::Relaxed);
        if now == received || draining.elapsed() > Duration::from_secs(60) {
            break;
        }
        received = now;
    }
    let after = resident()?;
    for listener in &listeners {
        listener.abort();
    }
    Ok(Heard {
        before,
        open,
        after,
        posted,
        post_errors,
        seconds,
        told,
        total: received - from,
        out_of_order: counts.out_of_order.load(Ordering::Relaxed),
        usage,
    })
}

/// A call's event (`state`) from the customer with the Auckland number `local`.
fn report(local: &str, state: &str, call_id: &str) -> serde_json::Value {
    json!({"from": format!("+649{local}"), "state": state, "callId": call_id, "businessId": BUSINESS})
}

/// Reports calls one after another until [`DURATION`] has passed since `started`: how many were
/// answered 200, and how many not.
async fn post(
    url: &str,
    token: &str,
    numbers: &[String],
    poster: usize,
    started: Instant,
) -> (u64, u64) {
    let http = http();
    let (mut answered, mut failed) = (0, 0);
    let mut k = poster;
    while started.elapsed() < DURATION {
        let body = report(&numbers[k % numbers.len()], "ringing", &format!("call-{poster}-{k}"));
        match call(&http, Method::POST, url, token, Some(&body)).await {
            Ok((200, _)) => answered += 1,
            _ => failed += 1,
        }
        k += POSTERS;
    }
    (answered, failed)
}

/// One stream, heard until it ends: counts its events (each has an `id:` line), and those told
/// after a later one.
async fn listen(http: &Http, url: &str, cookie: &str, counts: &Counts) -> Result<(), Failure> {
    let request = Request::get(url).header("cookie", cookie).body(Full::new(Bytes::new()))?;
    let response = http.request(request).await?;
    if response.status() != 200 {
        return Err(format!("GET /callEvents: {}", response.status()).into());
    }
    counts.open.fetch_add(1, Ordering::Relaxed);
    let mut body = response.into_body();
    // The start of a line the last frame did not end: enough of it to read an id.
    let mut partial = Vec::new();
    let mut latest = 0;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else { continue };
        let mut lines = data.split(|&b| b == b'\n').peekable();
        while let Some(piece) = lines.next() {
            let room = 32 - partial.len();
            partial.extend_from_slice(&piece[..piece.len().min(room)]);
            if lines.peek().is_none() {
                // Not ended in this frame: the next one goes on with it.
                break;
            }
            if let Some(id) = partial.strip_prefix(b"id:") {
                let id: u64 = std::str::from_utf8(id)?.trim().parse()?;
                counts.events.fetch_add(1, Ordering::Relaxed);
                if id < latest {
                    counts.out_of_order.fetch_add(1, Ordering::Relaxed);
                }
                latest = latest.max(id);
            }
            partial.clear();
        }
    }
    Ok(())
}
