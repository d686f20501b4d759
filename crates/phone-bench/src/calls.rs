//! Phone systems (issue 36): who is calling, looked up at 100,000 customers in the written forms
//! a phone system sends; and 500 staff hearing calls as they are reported (Server-Sent Events):
//! the memory their streams hold, and the events told to them each second.

use std::{path::Path, time::Duration};

use hyper::Method;
use phone_model::Businesses;
use phone_operations::calls::STREAMS_PER_CALLER;
use phone_server::accounts;
use phone_store::{Location, Role, Store};

use crate::{
    Failure,
    call_streams::{BUSINESS, POSTERS, STREAMS, streams},
    lighthouse::sign_in,
    load::{self, DURATION, Operation, Target, call, http},
    machine::Watched,
    search::{CUSTOMERS, encode},
    serve, serve_with,
};

/// Distinct numbers looked up, each in one of [`written`]'s forms.
const LOOKUPS: usize = 600;

const PASSWORD: &str = "calls benchmark password";

/// Goals: lookup p99 alone and at 16 connections (ms), the memory 500 streams add (MB), and
/// the events told across them each second.
const LOOKUP_ALONE_MS: f64 = 1.0;
const LOOKUP_BUSY_MS: f64 = 5.0;
const STREAMS_MB: f64 = 50.0;
const TOLD_PER_SECOND: f64 = 5_000.0;

/// The section over [`CUSTOMERS`] customers: the lookups, then the streams on a new server.
///
/// # Errors
/// When filling the database, the server, a request or a stream fails.
pub async fn measure(binary: &Path, folder: &Path) -> Result<Vec<String>, Failure> {
    let database = Location::Sqlite(folder.join("calls.sqlite3"));
    let store = Store::create(&database)?;
    store.put_business(BUSINESS, "Bench Physio")?;
    store.fill_for_benchmark(BUSINESS, CUSTOMERS, 1)?;
    let staff = STREAMS.div_ceil(STREAMS_PER_CALLER);
    for person in 0..staff {
        let only = Businesses::only([BUSINESS]);
        accounts::add_user(&store, &name(person), Role::Viewer, &only, PASSWORD)?;
    }
    drop(store);
    // Every staff member signs in from 127.0.0.1, beyond the sign-in limit's 30 a minute.
    let limits = ["--rate-limit", "100000000", "--sign-in-limit", "100000"];
    let server = serve_with(binary, &database, &limits).await?;
    let numbers = numbers();
    let lookups = checked_lookups(&server.target, &numbers).await?;
    let mut lines = vec![
        "## Phone systems".to_owned(),
        String::new(),
        format!(
            "`GET /callers?number=…` at {CUSTOMERS} customers (one number each): {LOOKUPS} numbers that exist, in turn, each written one of these ways: {}; each answer checked to have a caller. One phone system asking (1 connection), then 16 at once.",
            written("2345678")
                .iter()
                .map(|form| format!("`{form}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        String::new(),
        "| connections | requests/s | p50 ms | p99 ms | server CPU µs per lookup | CPU | errors |"
            .to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    let watching = Watched { servers: vec![server.process.id()], postmaster: None };
    let mut p99 = [0.0_f64; 2];
    for (at, connections) in [1, 16].into_iter().enumerate() {
        let sample = watching.sample();
        let stats =
            load::measure(&server.target, Operation::Callers, connections, &lookups, "").await?;
        let usage = sample.used_until(&watching.sample());
        let cpu_us = usage.servers * stats.seconds / (stats.requests.max(1) as f64) * 1e6;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        p99[at] = ms(stats.p99);
        let row = format!(
            "| {connections} | {:.0} | {:.2} | {:.2} | {cpu_us:.0} | {usage} | {} |",
            stats.requests as f64 / stats.seconds,
            ms(stats.p50),
            p99[at],
            stats.errors
        );
        eprintln!("{row}");
        lines.push(row);
    }
    let base = server.process.base_url();
    let mut cookies = Vec::new();
    for person in 0..staff {
        cookies.push(sign_in(&base, &name(person), PASSWORD).await?);
    }
    drop(server);
    // The streams on a new server over the same database (sessions are kept there): the
    // sign-ins' Argon2 left tens of MB in the first one's allocator, which it hands back to the
    // system at moments of its own, and which the streams would reuse.
    let server = serve(binary, &database).await?;
    let heard = streams(&server, &cookies, &numbers).await?;
    let mb = |bytes: u64| bytes as f64 / 1024.0 / 1024.0;
    let (added, after) = (mb(heard.open) - mb(heard.before), mb(heard.after) - mb(heard.before));
    let told = heard.told as f64 / heard.seconds;
    let expected = heard.posted * STREAMS as u64;
    lines.extend([
        String::new(),
        format!(
            "`GET /callEvents`: {STREAMS} streams of {staff} staff members of one business ({STREAMS_PER_CALLER} each, the most a caller may hold), with session cookies; the server's resident memory (VmRSS) before they open (a new server on the same database, after 20 calls reported), once all are open, and after the calls. Then {POSTERS} connections report calls (`POST /calls`, each a ringing call from a customer's number) as fast as they are answered for {} s; each event is told to all {STREAMS} streams. CPU: cores used while reporting.",
            DURATION.as_secs()
        ),
        String::new(),
        "| server RSS before, MB | with the streams open | added | after the calls, added | calls reported/s | events told/s, all streams | told of reported × streams | CPU |".to_owned(),
        "|---|---|---|---|---|---|---|---|".to_owned(),
    ]);
    let row = format!(
        "| {:.1} | {:.1} | {added:.1} | {after:.1} | {:.0} | {told:.0} | {} of {expected} ({:.1}%) | {} |",
        mb(heard.before),
        mb(heard.open),
        heard.posted as f64 / heard.seconds,
        heard.total,
        heard.total as f64 / expected.max(1) as f64 * 100.0,
        heard.usage
    );
    eprintln!("{row}");
    lines.push(row);
    lines.extend([
        String::new(),
        format!(
            "Reports refused or failed: {}. Events told after one with a later `id`, across the streams: {} (reports answered at once are told in the order they are answered, not of their `id`s; a stream that reconnects between the two, with the later `Last-Event-ID`, is not told the earlier).",
            heard.post_errors, heard.out_of_order
        ),
    ]);
    drop(server);

    let met = |yes: bool| if yes { "yes" } else { "no" };
    lines.extend([
        String::new(),
        "| measure (issue 36) | goal | measured | met |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| caller lookup p99 at {CUSTOMERS} customers, 1 connection | ≤ {LOOKUP_ALONE_MS:.0} ms | {:.2} ms | {} |",
            p99[0],
            met(p99[0] <= LOOKUP_ALONE_MS)
        ),
        format!(
            "| caller lookup p99, 16 connections | ≤ {LOOKUP_BUSY_MS:.0} ms | {:.2} ms | {} |",
            p99[1],
            met(p99[1] <= LOOKUP_BUSY_MS)
        ),
        format!(
            "| memory added by {STREAMS} open streams | ≤ {STREAMS_MB:.0} MB | {added:.1} MB | {} |",
            met(added <= STREAMS_MB)
        ),
        format!(
            "| events told per second across {STREAMS} streams | ≥ {TOLD_PER_SECOND:.0} | {told:.0} | {} |",
            met(told >= TOLD_PER_SECOND)
        ),
        "| written forms of a number that find its customer | all the API documents | 14 of 14 (the API suite: `a_caller_is_found_by_every_written_form_of_their_number`) | yes |".to_owned(),
    ]);
    Ok(lines)
}

/// The staff member `n`'s name.
fn name(n: usize) -> String {
    format!("calls-{n}")
}

/// Numbers that `fill_for_benchmark` gave its customers (seven digits after +64 9): on a new
/// database the customers' `seq` run from 1, and `seq`'s first number is 2,000,000 +
/// (seq × 7,919 + 4,321) mod 8,000,000. Spread over all of them.
fn numbers() -> Vec<String> {
    (0..LOOKUPS)
        .map(|k| {
            let seq = 1 + k * (CUSTOMERS / LOOKUPS);
            (2_000_000 + (seq * 7_919 + 4_321) % 8_000_000).to_string()
        })
        .collect()
}

/// The ways a phone system or a person may write the Auckland number `+64 9 <local>`.
fn written(local: &str) -> [String; 6] {
    let (exchange, line) = local.split_at(3);
    [
        format!("+649{local}"),
        format!("09{local}"),
        format!("09 {exchange} {line}"),
        format!("+64 9 {exchange} {line}"),
        format!("(09) {exchange}-{line}"),
        format!("0064 9 {exchange} {line}"),
    ]
}

/// Each number in one of its written forms, percent-encoded, once each has been asked and its
/// first caller is the customer with that number.
///
/// # Errors
/// When a lookup fails or finds someone else: the numbers no longer match the fill's.
async fn checked_lookups(target: &Target, numbers: &[String]) -> Result<Vec<String>, Failure> {
    let http = http();
    let mut lookups = Vec::new();
    for (k, local) in numbers.iter().enumerate() {
        let forms = written(local);
        let text = &forms[k % forms.len()];
        let url = format!("{}/callers?number={}", target.api(), encode(text));
        let (status, answer) = call(&http, Method::GET, &url, &target.token, None).await?;
        let e164 = format!("+649{local}");
        if status != 200 || answer["callers"][0]["e164"] != e164.as_str() {
            return Err(format!("looking up {text:?}: {status} {answer}").into());
        }
        lookups.push(encode(text));
    }
    Ok(lookups)
}
