//! Phonedesk's API benchmarks, run by `cargo xtask bench` against a release build of
//! `phone-server` on loopback: requests per second and latency under load, the list's latency
//! as the database grows, and durable writes per second. Prints a Markdown report on stdout.
//!
//! Every load is bounded in time and in requests, and goes only to 127.0.0.1.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

mod abuse;
mod chromium;

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use phone_model::Businesses;
use phone_server::{
    accounts,
    store::{ClientAccess, Location, Store},
};
use serde_json::{Value, json};

/// How long each measurement runs, and the most requests it sends.
const DURATION: Duration = Duration::from_secs(3);
const MAX_REQUESTS: u64 = 300_000;

type Http = Client<HttpConnector, Full<Bytes>>;
type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Where the load goes: an API's base URL and the bearer token to send.
struct Target {
    api: String,
    token: String,
}

/// A release `phone-server` on its own database and port (stopped when dropped).
struct Server {
    process: phone_launch::Server,
    target: Target,
}

async fn call(
    http: &Http,
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), Failure> {
    let mut request = Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {token}"));
    let payload = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            Bytes::from(serde_json::to_vec(body)?)
        }
        None => Bytes::new(),
    };
    let response = http.request(request.body(Full::new(payload))?).await?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

fn http() -> Http {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(1).build_http()
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
    let (id, secret) = accounts::add_client(&Store::open(database)?, "bench", &everything)?;
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
    Ok(Server { process, target: Target { api: format!("{base}/CustomerServices/v1.0"), token } })
}

/// What one measurement found.
struct Stats {
    requests: u64,
    errors: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

impl Stats {
    fn row(&self, what: &str, connections: usize) -> String {
        format!(
            "| {what} | {connections} | {:.0} | {:.2} | {:.2} | {} |",
            self.requests as f64 / self.seconds,
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.errors
        )
    }
}

/// What each request of a measurement is.
#[derive(Clone, Copy)]
enum Operation {
    List,
    One,
    Create,
    Update,
}

/// Runs `connections` workers, each on its own connection, for [`DURATION`].
async fn measure(
    server: &Target,
    operation: Operation,
    connections: usize,
    customer: &str,
    number: &str,
) -> Result<Stats, Failure> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (api, token, customer, number, sent) = (
            server.api.clone(),
            server.token.clone(),
            customer.to_owned(),
            number.to_owned(),
            Arc::clone(&sent),
        );
        workers.push(tokio::spawn(async move {
            let http = http();
            // Each updating worker changes a number of its own, so workers do not contend on one row.
            let own_number = format!("7{:09}", NEXT.fetch_add(1, Ordering::Relaxed));
            let own = match operation {
                Operation::Update => {
                    let body = json!({"phoneName": "Bench", "countryCode": "+44", "phoneNumber": own_number, "phoneType": "work", "isPrimary": false});
                    let (_, created) = call(&http, Method::POST, &format!("{api}/customers/{customer}/phoneNumbers"), &token, Some(&body)).await?;
                    created["phoneNumberId"].as_str().unwrap_or_default().to_owned()
                }
                _ => number.clone(),
            };
            let mut latencies = Vec::new();
            let mut errors = 0_u64;
            while started.elapsed() < DURATION && sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS {
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let (method, url, body) = match operation {
                    Operation::List => (Method::GET, format!("{api}/customers/{customer}/phoneNumbers"), None),
                    Operation::One => (Method::GET, format!("{api}/customers/{customer}/phoneNumbers/{number}"), None),
                    Operation::Create => (
                        Method::POST,
                        format!("{api}/customers/{customer}/phoneNumbers"),
                        Some(json!({"phoneName": "Bench", "countryCode": "+44", "phoneNumber": format!("1{n:09}"), "phoneType": "work", "isPrimary": false})),
                    ),
                    Operation::Update => (
                        Method::PUT,
                        format!("{api}/customers/{customer}/phoneNumbers/{own}"),
                        Some(json!({"phoneName": format!("Bench {n}"), "countryCode": "+44", "phoneNumber": own_number, "phoneType": "work"})),
                    ),
                };
                let at = Instant::now();
                match call(&http, method, &url, &token, body.as_ref()).await {
                    Ok((status, _)) if (200..300).contains(&status) => latencies.push(at.elapsed()),
                    _ => errors += 1,
                }
            }
            Ok::<_, Failure>((latencies, errors))
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (found, failed) = worker.await??;
        latencies.extend(found);
        errors += failed;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let (p50, p99) = (quantile(&latencies, 0.50), quantile(&latencies, 0.99));
    Ok(Stats { requests: latencies.len() as u64, errors, seconds, p50, p99 })
}

/// The `q` quantile of sorted latencies (0 when there are none).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let at = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(at).copied().unwrap_or_default()
}

/// The first demo customer and one of its numbers.
async fn a_customer(server: &Target) -> Result<(String, String), Failure> {
    let http = http();
    let (_, page) =
        call(&http, Method::GET, &format!("{}/customers?limit=1", server.api), &server.token, None)
            .await?;
    let customer = page["customers"][0]["customerId"].as_str().ok_or("no customer")?.to_owned();
    let (_, numbers) = call(
        &http,
        Method::GET,
        &format!("{}/customers/{customer}/phoneNumbers", server.api),
        &server.token,
        None,
    )
    .await?;
    let number =
        numbers["phoneNumbers"][0]["phoneNumberId"].as_str().ok_or("no number")?.to_owned();
    Ok((customer, number))
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
    let target = Target { api: format!("http://127.0.0.1:{port}"), token: "any".to_owned() };
    let ready = Instant::now();
    while call(
        &http(),
        Method::GET,
        &format!("{}/customers/1234567/phoneNumbers", target.api),
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
    let stats = measure(&target, Operation::List, 64, "1234567", "").await;
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

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
        })
        .map_or(0.0, |kb| kb as f64 / 1024.0 / 1024.0);
    format!("{cores} cores, {memory:.0} GiB memory; server and load generator share them")
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let usage = "usage: phone-bench [--abuse] <path to release phone-server> [prism]";
    if std::env::args().nth(1).as_deref() == Some("--abuse") {
        let binary = PathBuf::from(std::env::args().nth(2).ok_or(usage)?);
        println!("{}", abuse::measure(&binary).await?.join("\n"));
        return Ok(());
    }
    let binary = PathBuf::from(std::env::args().nth(1).ok_or(usage)?);
    let folder = tempfile::tempdir()?;
    let mut report = vec![
        format!(
            "Machine: {}. Each row: {} s or {MAX_REQUESTS} requests, whichever ends first, on loopback; each connection sends its next request when the last is answered.",
            machine(),
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
            let stats = measure(&server.target, operation, connections, &customer, &number).await?;
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

    report.extend(["".to_owned(), "## The list as the database grows".to_owned(), String::new()]);
    report.push(
        "| numbers in the database | customers | p50 ms | p99 ms | requests/s (16 connections) |"
            .to_owned(),
    );
    report.push("|---|---|---|---|---|".to_owned());
    for total in [1_000_usize, 100_000, 1_000_000] {
        let database = Location::Sqlite(folder.path().join(format!("scale-{total}.sqlite3")));
        let store = Store::open(&database)?;
        store.put_business("3333333", "Bench")?;
        let filled = Instant::now();
        let customer = store.fill_for_benchmark("3333333", total / 10, 10)?;
        eprintln!("filled {total} numbers in {:.1} s", filled.elapsed().as_secs_f64());
        drop(store);
        let server = serve(&binary, &database).await?;
        let stats = measure(&server.target, Operation::List, 16, &customer, "").await?;
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
    if let Some(prism) = std::env::args().nth(2) {
        report.extend([
            "".to_owned(),
            "## Against a mock a user might run instead".to_owned(),
            String::new(),
        ]);
        report.extend(against_prism(Path::new(&prism), &list_at_64).await?);
    }
    report.push(String::new());
    report.extend(chromium::measure());
    println!("{}", report.join("\n"));
    Ok(())
}
