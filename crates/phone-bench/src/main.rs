//! Phonedesk's API benchmarks, run by `cargo xtask bench` against a release build of
//! `phone-server` on loopback: requests per second and latency under load, the list's latency
//! as the database grows, and durable writes per second, on SQLite and then on PostgreSQL
//! (`postgres`). Prints a Markdown report on stdout.
//!
//! `phone-bench <phone-server> [prism]` runs them all; `phone-bench --postgres <phone-server>`
//! only the PostgreSQL section (about five minutes, two of them filling 10 million numbers;
//! `PHONEDESK_BENCH_PG_NUMBERS=1000000` for fewer); `phone-bench --abuse <phone-server>` the
//! server under attack, for `cargo xtask faults` (`--slow-clients` only its slowloris part,
//! `--behind-proxy` only the sign-ins of a hundred callers behind a trusted proxy);
//! `phone-bench --search <phone-server>` only
//! the customer search at 100,000 customers; `phone-bench --calls <phone-server>` only the phone
//! systems' caller lookup and call event streams; `phone-bench --browser` only the measurements in
//! headless Chromium (the end-to-end harness's `PHONEDESK_SERVER` and `dist/`).
//!
//! Every load is bounded in time and in requests, and goes only to 127.0.0.1.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    slice,
    time::{Duration, Instant},
};

mod abuse;
mod behind_proxy;
mod call_streams;
mod calls;
mod chromium;
mod gateway;
mod hot_path;
mod imports;
mod lighthouse;
mod load;
mod machine;
mod postgres;
mod review;
mod search;
mod slow_clients;

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{ClientAccess, Location, Store};
use serde_json::Value;

use load::{DURATION, MAX_REQUESTS, Operation, Target, call, http, measure};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A release `phone-server` on its own database and port (stopped when dropped).
struct Server {
    process: phone_launch::Server,
    target: Target,
}

/// A server for the benchmarks: rate limits out of the way, since they measure the server.
async fn serve(binary: &Path, database: &Location) -> Result<Server, Failure> {
    serve_with(binary, database, &["--rate-limit", "100000000"]).await
}

/// A server with `limits`, and a token of a client that may do everything.
async fn serve_with(
    binary: &Path,
    database: &Location,
    limits: &[&str],
) -> Result<Server, Failure> {
    let everything = ClientAccess { businesses: Businesses::All, read_only: false };
    let (id, secret) = accounts::add_client(&Store::create(database)?, "bench", &everything)?;
    let database = database.to_string();
    let mut args = vec!["--database", database.as_str(), "--demo"];
    args.extend(limits);
    let process = phone_launch::Server::start(binary, &args)?;
    let base = process.base_url();
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let request = Request::post(format!("{base}/identity/connect/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form)))?;
    let response = http().request(request).await?;
    let body: Value = serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
    let token = body["access_token"].as_str().ok_or("no token")?.to_owned();
    Ok(Server { process, target: Target::new(format!("{base}/CustomerServices/v1.0"), token) })
}

/// The first demo customer and one of its numbers.
async fn a_customer(server: &Target) -> Result<(String, String), Failure> {
    let http = http();
    let (_, page) = call(
        &http,
        Method::GET,
        &format!("{}/customers?limit=1", server.api()),
        &server.token,
        None,
    )
    .await?;
    let customer = page["customers"][0]["customerId"].as_str().ok_or("no customer")?.to_owned();
    let (_, numbers) = call(
        &http,
        Method::GET,
        &format!("{}/customers/{customer}/phoneNumbers", server.api()),
        &server.token,
        None,
    )
    .await?;
    let number =
        numbers["phoneNumbers"][0]["phoneNumberId"].as_str().ok_or("no number")?.to_owned();
    Ok((customer, number))
}

/// The ids of the first `n` customers the target lists, page by page.
async fn customers(target: &Target, n: usize) -> Result<Vec<String>, Failure> {
    let http = http();
    let mut ids = Vec::new();
    let mut cursor = String::new();
    while ids.len() < n {
        let url = format!("{}/customers?limit=50{cursor}", target.api());
        let (_, page) = call(&http, Method::GET, &url, &target.token, None).await?;
        let listed = page["customers"].as_array().ok_or("no customers")?;
        ids.extend(listed.iter().filter_map(|c| c["customerId"].as_str().map(str::to_owned)));
        match page["responseMetadata"]["nextCursor"].as_str() {
            Some(next) => cursor = format!("&nextCursor={next}"),
            None => break,
        }
    }
    ids.truncate(n);
    if ids.len() < n {
        return Err(format!("{} customers listed, {n} wanted", ids.len()).into());
    }
    Ok(ids)
}

/// Stoplight Prism serving the provider's OpenAPI document (a copy is in `data/`), under the
/// same list load as ours at 64 connections.
async fn against_prism(prism: &Path, ours: &f64) -> Result<Vec<String>, Failure> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/CustomerServicesApi.v1.yaml");
    let mut child = Command::new(prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(&spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let target = Target::new(format!("http://127.0.0.1:{port}"), "any".to_owned());
    let ready = Instant::now();
    while call(
        &http(),
        Method::GET,
        &format!("{}/customers/1234567/phoneNumbers", target.api()),
        "any",
        None,
    )
    .await
    .is_err()
    {
        if ready.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            return Err("Prism did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stats = measure(&target, Operation::List, 64, &["1234567".to_owned()], "").await;
    let _ = child.kill();
    let _ = child.wait();
    let stats = stats?;
    let theirs = stats.requests as f64 / stats.seconds;
    Ok(vec![
        "| server | GET …/phoneNumbers at 64 connections, requests/s | p50 ms | p99 ms |"
            .to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| Stoplight Prism 5.16.0 mock of the provider's document | {theirs:.0} | {:.2} | {:.2} |",
            stats.p50.as_secs_f64() * 1000.0,
            stats.p99.as_secs_f64() * 1000.0
        ),
        format!("| phone-server (from the table above) | {ours:.0} | | |"),
        String::new(),
        format!(
            "**Ratio:** phone-server does {:.1}× Prism's throughput on the list.",
            ours / theirs.max(1.0)
        ),
    ])
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let usage = "usage: phone-bench [--abuse | --slow-clients | --behind-proxy | --postgres] <path to release \
                 phone-server> [prism], \
                 phone-bench --lighthouse <phone-server> <lighthouse> <dist>, phone-bench --search \
                 <phone-server>, phone-bench --calls <phone-server>, phone-bench --imports <phone-server>, phone-bench --review \
                 <phone-server>, phone-bench --hot-path <phone-server>, \
                 phone-bench --gateway <phone-server>, or \
                 phone-bench --browser";
    // One section alone: `--<section> <phone-server> [more]`.
    let argument = |n: usize| std::env::args().nth(n).map(PathBuf::from).ok_or(usage);
    let flag = std::env::args().nth(1).filter(|a| a.starts_with("--"));
    if let Some(flag) = flag {
        let folder = tempfile::tempdir()?;
        let lines = match flag.as_str() {
            "--browser" => chromium::measure(),
            "--abuse" => {
                let mut lines = abuse::measure(&argument(2)?).await?;
                lines.push(String::new());
                lines.extend(slow_clients::measure(&argument(2)?).await?);
                lines.push(String::new());
                lines.extend(behind_proxy::measure(&argument(2)?).await?);
                lines
            }
            "--slow-clients" => slow_clients::measure(&argument(2)?).await?,
            "--behind-proxy" => behind_proxy::measure(&argument(2)?).await?,
            "--lighthouse" => {
                lighthouse::measure(&argument(2)?, &argument(3)?, &argument(4)?).await?
            }
            "--search" => search::measure(&argument(2)?, folder.path()).await?,
            "--calls" => calls::measure(&argument(2)?, folder.path()).await?,
            "--imports" => imports::measure(&argument(2)?, folder.path()).await?,
            "--hot-path" => hot_path::measure_all(&argument(2)?, folder.path()).await?.0,
            "--review" => review::measure(&argument(2)?, folder.path()).await?,
            "--gateway" => gateway::measure_all(&argument(2)?, folder.path()).await?,
            "--postgres" => postgres::measure_all(&argument(2)?, None).await?,
            _ => return Err(usage.into()),
        };
        println!("{}", lines.join("\n"));
        return Ok(());
    }
    let binary = PathBuf::from(std::env::args().nth(1).ok_or(usage)?);
    let folder = tempfile::tempdir()?;
    let mut report = vec![
        format!(
            "Machine: {}. Each row: {} s or {MAX_REQUESTS} requests, whichever ends first, on loopback; each connection sends its next request when the last is answered.",
            machine::describe(),
            DURATION.as_secs()
        ),
        String::new(),
        "## API under load".to_owned(),
        String::new(),
        "| operation | connections | requests/s | p50 ms | p99 ms | errors |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    let server = serve(&binary, &Location::Sqlite(folder.path().join("load.sqlite3"))).await?;
    let (customer, number) = a_customer(&server.target).await?;
    let mut durable = 0.0_f64;
    let mut list_at_64 = 0.0_f64;
    for (name, operation) in [
        ("GET …/phoneNumbers (list)", Operation::List),
        ("GET …/phoneNumbers/{id}", Operation::One),
        ("POST …/phoneNumbers", Operation::Create),
        ("PUT …/phoneNumbers/{id}", Operation::Update),
    ] {
        for connections in [1, 16, 64] {
            let stats = measure(
                &server.target,
                operation,
                connections,
                slice::from_ref(&customer),
                &number,
            )
            .await?;
            if matches!(operation, Operation::Create) {
                durable = durable.max(stats.requests as f64 / stats.seconds);
            }
            if matches!(operation, Operation::List) && connections == 64 {
                list_at_64 = stats.requests as f64 / stats.seconds;
            }
            let row = stats.row(name, connections);
            eprintln!("{row}");
            report.push(row);
        }
    }
    drop(server);
    report.push(String::new());
    report.push(format!(
        "**Durable creates per second:** {durable:.0} (the best POST row: each 201 is answered only after SQLite's WAL commit with `synchronous = FULL`)."
    ));

    report.push(String::new());
    report.extend(hot_path::measure_all(&binary, folder.path()).await?.0);
    report.extend(["".to_owned(), "## The list as the database grows".to_owned(), String::new()]);
    report.push(
        "| numbers in the database | customers | p50 ms | p99 ms | requests/s (16 connections) |"
            .to_owned(),
    );
    report.push("|---|---|---|---|---|".to_owned());
    for total in [1_000_usize, 100_000, 1_000_000] {
        let database = Location::Sqlite(folder.path().join(format!("scale-{total}.sqlite3")));
        let store = Store::create(&database)?;
        store.put_business("3333333", "Bench")?;
        let filled = Instant::now();
        let customer = store.fill_for_benchmark("3333333", total / 10, 10)?;
        eprintln!("filled {total} numbers in {:.1} s", filled.elapsed().as_secs_f64());
        drop(store);
        let server = serve(&binary, &database).await?;
        let stats = measure(&server.target, Operation::List, 16, &[customer], "").await?;
        let row = format!(
            "| {total} | {} | {:.2} | {:.2} | {:.0} |",
            total / 10,
            stats.p50.as_secs_f64() * 1000.0,
            stats.p99.as_secs_f64() * 1000.0,
            stats.requests as f64 / stats.seconds
        );
        eprintln!("{row}");
        report.push(row);
    }
    report.push(String::new());
    report.extend(search::measure(&binary, folder.path()).await?);
    report.push(String::new());
    report.extend(calls::measure(&binary, folder.path()).await?);
    report.push(String::new());
    report.extend(review::measure(&binary, folder.path()).await?);
    report.push(String::new());
    report.extend(gateway::measure_all(&binary, folder.path()).await?);
    if let Some(prism) = std::env::args().nth(2) {
        report.extend([
            "".to_owned(),
            "## Against a mock a user might run instead".to_owned(),
            String::new(),
        ]);
        report.extend(against_prism(Path::new(&prism), &list_at_64).await?);
    }
    report.push(String::new());
    report.extend(postgres::measure_all(&binary, Some(list_at_64)).await?);
    report.push(String::new());
    report.extend(chromium::measure());
    println!("{}", report.join("\n"));
    Ok(())
}
