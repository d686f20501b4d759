//! The load generator: connections that each send a request, wait for its answer and send the
//! next, for a bounded time and number of requests, and what they found.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde_json::{Value, json};

use crate::Failure;

/// How long each measurement runs, and the most requests it sends.
pub const DURATION: Duration = Duration::from_secs(3);
pub const MAX_REQUESTS: u64 = 300_000;

pub type Http = Client<HttpConnector, Full<Bytes>>;

/// Where the load goes: the base URLs of one API and the bearer token to send. Several bases
/// are several servers on one database; a measurement sends its requests to them in turn.
#[derive(Clone)]
pub struct Target {
    pub apis: Vec<String>,
    pub token: String,
}

impl Target {
    pub fn new(api: String, token: String) -> Self {
        Self { apis: vec![api], token }
    }

    /// The first server's API.
    pub fn api(&self) -> &str {
        &self.apis[0]
    }
}

/// Sends one request with a bearer token; its status and JSON body.
pub async fn call(
    http: &Http,
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), Failure> {
    let bearer = format!("Bearer {token}");
    send(http, method, url, &[("authorization", &bearer)], json(body)?).await
}

/// `body` as a request's bytes.
pub fn json(body: Option<&Value>) -> Result<Option<Bytes>, Failure> {
    Ok(body.map(serde_json::to_vec).transpose()?.map(Bytes::from))
}

/// Sends one request with `headers` (those that say who sends it), and `body` as JSON; its
/// status and JSON body.
pub async fn send(
    http: &Http,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Bytes>,
) -> Result<(u16, Value), Failure> {
    let mut request = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let payload = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            body
        }
        None => Bytes::new(),
    };
    let response = http.request(request.body(Full::new(payload))?).await?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

pub fn http() -> Http {
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(1).build_http()
}

/// What one measurement found.
pub struct Stats {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Stats {
    pub fn row(&self, what: &str, connections: usize) -> String {
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
pub enum Operation {
    List,
    One,
    Create,
    Update,
    /// `GET /customers?search=…`, the text given as the measurement's `number`.
    Search,
    /// The list with a malformed bearer token: the 401 path, each 401 counted as answered.
    Unauthorized,
    /// The list as the staff app asks for it: the target's token is a session cookie
    /// (`name=value`), not a bearer token.
    StaffList,
    /// `GET /callers?number=…`: each request asks the next of the measurement's `customers`,
    /// which are numbers (percent-encoded); an answer without a caller counts as an error.
    Callers,
}

/// Runs `connections` workers, each on its own connection (one per server when the target has
/// several, which the requests go to in turn), for [`DURATION`]. Worker `i` works on
/// `customers[i % customers.len()]` (a caller lookup asks each of them in turn); `number` is
/// one of the first customer's numbers, or the text searched for (percent-encoded).
pub async fn measure(
    server: &Target,
    operation: Operation,
    connections: usize,
    customers: &[String],
    number: &str,
) -> Result<Stats, Failure> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    let all: Arc<[String]> = customers.into();
    for worker in 0..connections {
        let token = match operation {
            Operation::Unauthorized => "not-a-token".to_owned(),
            _ => server.token.clone(),
        };
        let (apis, token, all, customer, number, sent) = (
            server.apis.clone(),
            token,
            Arc::clone(&all),
            customers[worker % customers.len()].clone(),
            number.to_owned(),
            Arc::clone(&sent),
        );
        workers.push(tokio::spawn(async move {
            let http = http();
            // Each updating worker changes a number of its own, so workers do not contend on one row.
            let own_number = format!("7{:09}", NEXT.fetch_add(1, Ordering::Relaxed));
            let own = match operation {
                Operation::Update => {
                    let api = &apis[0];
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
                let api = &apis[n as usize % apis.len()];
                let (method, url, body) = match operation {
                    Operation::List | Operation::Unauthorized | Operation::StaffList => (Method::GET, format!("{api}/customers/{customer}/phoneNumbers"), None),
                    Operation::One => (Method::GET, format!("{api}/customers/{customer}/phoneNumbers/{number}"), None),
                    Operation::Search => (Method::GET, format!("{api}/customers?search={number}"), None),
                    Operation::Callers => (Method::GET, format!("{api}/callers?number={}", all[n as usize % all.len()]), None),
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
                let expected = |status: u16, body: &Value| match operation {
                    Operation::Unauthorized => status == 401,
                    Operation::Callers => status == 200 && body["callers"][0].is_object(),
                    _ => (200..300).contains(&status),
                };
                let answer = match operation {
                    Operation::StaffList => match json(body.as_ref()) {
                        Ok(body) => send(&http, method, &url, &[("cookie", &token)], body).await,
                        Err(error) => Err(error),
                    },
                    _ => call(&http, method, &url, &token, body.as_ref()).await,
                };
                match answer {
                    Ok((status, body)) if expected(status, &body) => latencies.push(at.elapsed()),
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
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let at = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(at).copied().unwrap_or_default()
}

/// One load to measure: what [`measure`] takes, kept together to run again.
pub struct Load<'a> {
    target: &'a Target,
    operation: Operation,
    pub connections: usize,
    customers: &'a [String],
    number: &'a str,
}

impl<'a> Load<'a> {
    pub fn new(
        target: &'a Target,
        operation: Operation,
        connections: usize,
        customers: &'a [String],
        number: &'a str,
    ) -> Self {
        Self { target, operation, connections, customers, number }
    }

    pub async fn measure(&self) -> Result<Stats, Failure> {
        measure(self.target, self.operation, self.connections, self.customers, self.number).await
    }
}
