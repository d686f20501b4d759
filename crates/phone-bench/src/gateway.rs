//! Gateway mode (issue 19): a gateway in front of a second `phone-server` playing the provider
//! with 100,000 customers of two numbers each. The full sync's time with no rate budget (and
//! what the provider's documented rate would make of it), the latency the gateway adds to a
//! list, and search through the gateway's copy.

use std::{
    path::Path,
    slice,
    time::{Duration, Instant},
};

use hyper::Method;
use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Location, Store};

use crate::{
    Failure,
    load::{Operation, call, http, measure},
    search::{encode, searches},
    serve, serve_with,
};

const CUSTOMERS: usize = 100_000;
const NUMBERS_EACH: usize = 2;
/// The provider's documented rate: `X-RateLimit-Limit`, "the maximum number of requests you're
/// permitted to make per hour", is 60 in its document.
const DOCUMENTED_PER_HOUR: f64 = 60.0;
/// Goals: the full sync (s), the latency the gateway adds (ms, p50 and p99), search p99 (ms).
const SYNC_S: f64 = 60.0;
const ADDED_P50_MS: f64 = 0.5;
const ADDED_P99_MS: f64 = 2.0;
const SEARCH_MS: f64 = 20.0;

/// The section's rows.
///
/// # Errors
/// When filling the database, a server or a request fails.
pub async fn measure_all(binary: &Path, folder: &Path) -> Result<Vec<String>, Failure> {
    let provider_data = Location::Sqlite(folder.join("provider.sqlite3"));
    let store = Store::create(&provider_data)?;
    store.put_business("3333333", "Bench Physio")?;
    let last = store.fill_for_benchmark("3333333", CUSTOMERS, NUMBERS_EACH)?;
    let everything = ClientAccess { businesses: Businesses::All, read_only: false };
    let (id, secret) = accounts::add_client(&store, "gateway", &everything)?;
    drop(store);
    let provider = serve(binary, &provider_data).await?;
    let secret_file = folder.join("provider-secret");
    std::fs::write(&secret_file, secret)?;

    // The sync starts as the gateway does; it is over when the gateway says when it ended.
    let started = Instant::now();
    let flags = [
        "--rate-limit",
        "100000000",
        "--upstream",
        provider.target.api(),
        "--upstream-client-id",
        &id,
        "--upstream-client-secret-file",
        &secret_file.display().to_string(),
        "--upstream-rate",
        "1000000000",
        "--sync-interval",
        "86400",
    ];
    let gateway =
        serve_with(binary, &Location::Sqlite(folder.join("gateway.sqlite3")), &flags).await?;
    let status = format!("{}/gatewayStatus", gateway.target.api());
    loop {
        let (_, answer) = call(&http(), Method::GET, &status, &gateway.target.token, None).await?;
        if answer["syncedAt"].is_i64() {
            break;
        }
        if started.elapsed() > Duration::from_secs(1800) {
            return Err("the sync did not end within 30 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let synced = started.elapsed().as_secs_f64();
    // A page of 50 customers, then each customer's numbers (one page each).
    let requests = CUSTOMERS.div_ceil(50) + CUSTOMERS;
    let documented_hours = requests as f64 / DOCUMENTED_PER_HOUR;
    eprintln!("synced {CUSTOMERS} customers in {synced:.1} s ({requests} requests)");

    // One person's list, directly and through the gateway.
    let customers = slice::from_ref(&last);
    let direct = measure(&provider.target, Operation::List, 1, customers, "").await?;
    let through = measure(&gateway.target, Operation::List, 1, customers, "").await?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let added = (ms(through.p50) - ms(direct.p50), ms(through.p99) - ms(direct.p99));

    let mut lines = vec![
        "## In front of the provider (gateway mode)".to_owned(),
        String::new(),
        format!(
            "A gateway (`--upstream`, no rate budget) in front of a second release `phone-server` playing the provider, with {CUSTOMERS} customers of {NUMBERS_EACH} numbers each, both on SQLite, on loopback."
        ),
        String::new(),
        format!(
            "**Full sync:** {synced:.1} s for {CUSTOMERS} customers ({requests} requests: a page of 50 customers at a time, then each customer's numbers, 8 at once). Within the provider's documented rate ({DOCUMENTED_PER_HOUR:.0} requests an hour, its `X-RateLimit-Limit`) the same sync would take {documented_hours:.0} hours ({:.0} days).",
            documented_hours / 24.0
        ),
        String::new(),
        "| GET …/phoneNumbers, 1 connection | requests/s | p50 ms | p99 ms | errors |".to_owned(),
        "|---|---|---|---|---|".to_owned(),
        format!(
            "| the provider directly | {:.0} | {:.2} | {:.2} | {} |",
            direct.requests as f64 / direct.seconds,
            ms(direct.p50),
            ms(direct.p99),
            direct.errors
        ),
        format!(
            "| through the gateway | {:.0} | {:.2} | {:.2} | {} |",
            through.requests as f64 / through.seconds,
            ms(through.p50),
            ms(through.p99),
            through.errors
        ),
        String::new(),
        "| search through the gateway, 1 connection | p50 ms | p99 ms | errors |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    let (_, numbers) = call(
        &http(),
        Method::GET,
        &format!("{}/customers/{last}/phoneNumbers", provider.target.api()),
        &provider.target.token,
        None,
    )
    .await?;
    let number = numbers["phoneNumbers"][0]["phoneNumber"].as_str().ok_or("no number")?.to_owned();
    let mut worst = 0.0_f64;
    for (what, text) in searches(&number) {
        let stats =
            measure(&gateway.target, Operation::Search, 1, customers, &encode(&text)).await?;
        worst = worst.max(ms(stats.p99));
        let row = format!(
            "| {what}: `{text}` | {:.2} | {:.2} | {} |",
            ms(stats.p50),
            ms(stats.p99),
            stats.errors
        );
        eprintln!("{row}");
        lines.push(row);
    }
    let met = |yes: bool| if yes { "yes" } else { "no" };
    lines.extend([
        String::new(),
        "| measure (issue 19) | goal | measured | met |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| latency the gateway adds to a GET list, p50 / p99 | ≤ {ADDED_P50_MS} ms / ≤ {ADDED_P99_MS} ms | {:.2} ms / {:.2} ms | {} |",
            added.0,
            added.1,
            met(added.0 <= ADDED_P50_MS && added.1 <= ADDED_P99_MS)
        ),
        format!(
            "| full sync of {CUSTOMERS} customers with {NUMBERS_EACH} numbers each, no rate budget | ≤ {SYNC_S:.0} s | {synced:.1} s | {} |",
            met(synced <= SYNC_S)
        ),
        format!(
            "| search through the gateway, {CUSTOMERS} customers, p99 (the worst kind) | ≤ {SEARCH_MS:.0} ms | {worst:.2} ms | {} |",
            met(worst <= SEARCH_MS)
        ),
    ]);
    Ok(lines)
}
