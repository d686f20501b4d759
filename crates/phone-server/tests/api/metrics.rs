//! `/metrics`: counters that move by exactly the traffic sent, by route template, shown to
//! this machine only unless given an address of their own; every series the README documents
//! described from the first scrape; both formats as promtool, Prometheus's own checker, wants
//! them.

mod promtool;

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;

use reqwest::header;

use crate::server::{
    TestServer, Upstream, gateway_mode, new_database, not_found, phone, read, start_process,
};

/// What Prometheus asks for first, and gets by default.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The Prometheus text format, for those that ask for `text/plain` only.
const TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A series' value in a scrape, in either format, when the series is there.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map(|v| v.trim().parse().expect("a number"))
}

/// A series' value (`0` when the series is not there yet).
fn value(text: &str, series: &str) -> f64 {
    sample(text, series).unwrap_or(0.0)
}

/// `/metrics` at `root` as a client sending `Accept: accept` gets it, which must come as
/// `content_type`.
async fn scrape_from(root: &str, accept: &str, content_type: &str) -> String {
    let client = reqwest::Client::new();
    let answer =
        client.get(format!("{root}/metrics")).header(header::ACCEPT, accept).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[header::CONTENT_TYPE], content_type, "for Accept: {accept}");
    assert_eq!(answer.headers()[header::VARY], "accept");
    answer.text().await.unwrap()
}

/// OpenMetrics, as Prometheus asks for it.
async fn scrape(server: &TestServer) -> String {
    scrape_from(&server.root, PROMETHEUS_ACCEPT, OPENMETRICS).await
}

/// The text format, as `curl` (`*/*`) and a scraper asking for `text/plain` get it.
async fn scrape_text(root: &str) -> String {
    let text = scrape_from(root, "text/plain; version=0.0.4", TEXT).await;
    let curl = scrape_from(root, "*/*", TEXT).await;
    assert_eq!(families(&text), families(&curl), "the same families either way");
    text
}

/// Prometheus 2.x's own `Accept`, OpenMetrics first.
const PROMETHEUS_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// The `# TYPE` lines of a scrape: what it describes, whatever its figures.
fn families(scrape: &str) -> Vec<&str> {
    scrape.lines().filter(|line| line.starts_with("# TYPE")).collect()
}

#[tokio::test]
async fn counters_move_by_exactly_the_traffic_sent_by_route_template() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");
    let before = scrape(&server).await;

    for _ in 0..3 {
        assert_eq!(server.get(&numbers).await.status(), StatusCode::OK);
    }
    for _ in 0..2 {
        let missing = server.get(&format!("{numbers}/9999999")).await;
        assert_eq!(read(missing).await, (StatusCode::NOT_FOUND, not_found()));
    }
    let created = server.post(&numbers, &phone("021", "555 0101", "mobile", false)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let stranger = reqwest::Client::new();
    let refused = stranger.get(format!("{}/customers", server.api)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let wrong_secret = stranger
        .post(format!("{}/identity/connect/token", server.root))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "nobody"),
            ("client_secret", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_secret.status(), StatusCode::UNAUTHORIZED);

    let after = scrape(&server).await;
    let moved = |series: &str| value(&after, series) - value(&before, series);
    let api = "/CustomerServices/v1.0";
    let requests = |method: &str, route: &str, status: u16| {
        format!(
            "phonedesk_http_requests_total{{method=\"{method}\",route=\"{api}{route}\",status=\"{status}\"}}"
        )
    };
    let list = "/customers/{customerId}/phoneNumbers";
    let one = "/customers/{customerId}/phoneNumbers/{phoneNumberId}";
    assert_eq!(moved(&requests("GET", list, 200)), 3.0);
    assert_eq!(moved(&requests("GET", one, 404)), 2.0);
    assert_eq!(moved(&requests("POST", list, 201)), 1.0);
    assert_eq!(moved(&requests("GET", "/customers", 401)), 1.0);
    let token_requests = "phonedesk_http_requests_total{method=\"POST\",route=\"/identity/connect/token\",status=\"401\"}";
    assert_eq!(moved(token_requests), 1.0);
    let route =
        |method: &str, route: &str| format!("{{method=\"{method}\",route=\"{api}{route}\"}}");
    assert_eq!(
        moved(&format!("phonedesk_http_request_duration_seconds_count{}", route("GET", list))),
        3.0
    );
    assert!(moved(&format!("phonedesk_http_response_body_bytes_total{}", route("GET", one))) > 0.0);
    for kind in ["api_request", "token_request"] {
        assert_eq!(moved(&format!("phonedesk_credential_failures_total{{kind=\"{kind}\"}}")), 1.0);
    }
    assert!(moved("phonedesk_database_seconds_count{kind=\"write\"}") >= 1.0);
    assert!(moved("phonedesk_database_seconds_count{kind=\"read\"}") >= 6.0);
    if gateway_mode() {
        // Six of the requests went on to the provider.
        let answered = "phonedesk_upstream_request_duration_seconds_count{kind=\"api\"}";
        assert!(moved(answered) >= 6.0, "{after}");
    }
    // Templates, never the raw paths: no id is in a route.
    let routes: Vec<&str> = after
        .lines()
        .filter_map(|line| line.split_once("route=\"")?.1.split_once('"').map(|(route, _)| route))
        .collect();
    assert!(routes.contains(&"/CustomerServices/v1.0/customers/{customerId}/phoneNumbers"));
    assert!(
        routes.iter().all(|route| !route.contains(&customer) && !route.contains("9999999")),
        "{routes:?}"
    );
}

#[tokio::test]
async fn metrics_are_for_this_machine_or_on_an_address_of_their_own() {
    let server = TestServer::start().await;
    // A proxy on this machine forwards the public's requests from loopback.
    let forwarded = server
        .client
        .get(format!("{}/metrics", server.root))
        .header("X-Forwarded-For", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(read(forwarded).await, (StatusCode::NOT_FOUND, not_found()));

    let mut apart =
        TestServer::start_with(&["--metrics-address", "127.0.0.1:0", "--rate-limit", "2"]).await;
    let here = apart.client.get(format!("{}/metrics", apart.root)).send().await.unwrap();
    assert_eq!(read(here).await, (StatusCode::NOT_FOUND, not_found()));
    let address = apart.process().metrics_address().expect("a metrics address").to_owned();
    for _ in 0..4 {
        let _ = apart.get("/customers").await;
    }
    let root = format!("http://{address}");
    let text = scrape_from(&root, PROMETHEUS_ACCEPT, OPENMETRICS).await;
    assert_eq!(value(&text, "phonedesk_rate_limited_total{kind=\"api\"}"), 2.0, "{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
    // The address of their own offers the text format too.
    let text = scrape_text(&root).await;
    assert_eq!(value(&text, "phonedesk_rate_limited_total{kind=\"api\"}"), 2.0, "{text}");
}

#[tokio::test]
async fn both_formats_pass_promtool_after_traffic() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let numbers = format!("/customers/{customer}/phoneNumbers");
    let created = server.post(&numbers, &phone("021", "555 0101", "mobile", false)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(server.get(&numbers).await.status(), StatusCode::OK);
    assert_eq!(server.get(&format!("{numbers}/9999999")).await.status(), StatusCode::NOT_FOUND);
    let stranger = reqwest::get(format!("{}/customers", server.api)).await.unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);

    let text = scrape_text(&server.root).await;
    let openmetrics = scrape(&server).await;

    promtool::check_text(&text);
    promtool::check_openmetrics(&openmetrics);
}

#[tokio::test]
async fn a_scraper_asking_for_text_plain_gets_the_prometheus_text_format() {
    let server = TestServer::start().await;
    let refused = reqwest::get(format!("{}/customers", server.api)).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let text = scrape_text(&server.root).await;
    let openmetrics = scrape(&server).await;

    // The same counts, named as each format names them: the text format's HELP and TYPE name a
    // counter's series, OpenMetrics' its family, and only OpenMetrics marks its end.
    let refused = "phonedesk_credential_failures_total{kind=\"api_request\"}";
    assert_eq!(sample(&text, refused), Some(1.0), "{text}");
    assert_eq!(sample(&openmetrics, refused), Some(1.0), "{openmetrics}");
    assert!(text.contains("\n# TYPE phonedesk_http_requests_total counter\n"), "{text}");
    assert!(openmetrics.contains("\n# TYPE phonedesk_http_requests counter\n"), "{openmetrics}");
    assert!(!text.contains("# EOF"), "{text}");
    assert!(openmetrics.ends_with("\n# EOF\n"), "{openmetrics}");
}

/// A row of the README's table of series.
#[derive(Debug)]
struct Documented {
    /// The series' names, as the text format's HELP and TYPE give them.
    names: Vec<&'static str>,
    /// The values of its `kind` label, if it has one.
    kinds: Vec<&'static str>,
    gateway_only: bool,
}

/// The series the README documents, from its table (the rows whose first cell names
/// `phonedesk_…` or `process_…` series).
fn documented() -> Vec<Documented> {
    let readme = include_str!("../../../../README.md");
    let unquote = |list: &'static str| list.split(", ").map(|item| item.trim_matches('`'));
    let rows = readme.lines().filter_map(|line| {
        let mut cells = line.strip_prefix('|')?.split('|').map(str::trim);
        let (names, labels, what) = (cells.next()?, cells.next()?, cells.next()?);
        let names: Vec<&str> = unquote(names).collect();
        let ours = |name: &&str| name.starts_with("phonedesk_") || name.starts_with("process_");
        if !names.iter().all(ours) {
            return None;
        }
        let kinds = labels.strip_prefix("`kind` (").and_then(|kinds| kinds.strip_suffix(')'));
        let kinds = kinds.map(|kinds| unquote(kinds).collect()).unwrap_or_default();
        Some(Documented { names, kinds, gateway_only: what.starts_with("gateway mode") })
    });
    let rows: Vec<Documented> = rows.collect();
    assert!(rows.len() > 9, "the README's table of series, read as {rows:?}");
    rows
}

/// Checks that `text` (the text format) describes each series in `rows`, and has the series
/// of each of its kinds: a counter's at 0, a histogram's with its count.
#[track_caller]
fn check_described<'a>(text: &str, rows: impl IntoIterator<Item = &'a Documented>) {
    for row in rows {
        for name in &row.names {
            let help = format!("# HELP {name} ");
            let described = text.lines().any(|line| line.starts_with(&help));
            assert!(described, "no HELP for {name}:\n{text}");
            let kind_of = text
                .lines()
                .find_map(|line| line.strip_prefix(&format!("# TYPE {name} ")))
                .unwrap_or_else(|| panic!("no TYPE for {name}:\n{text}"));
            for kind in &row.kinds {
                let labels = format!("{{kind=\"{kind}\"}}");
                match kind_of {
                    "counter" => assert_eq!(sample(text, &format!("{name}{labels}")), Some(0.0)),
                    "histogram" => {
                        assert!(sample(text, &format!("{name}_count{labels}")).is_some(), "{text}");
                    }
                    other => panic!("{name} is a {other} by kind"),
                }
            }
        }
    }
}

#[tokio::test]
async fn a_new_server_describes_every_documented_series_before_its_first_request() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let server = start_process(&new_database(folder.path()), &["--create-database"]);

    let text = scrape_text(&server.base_url()).await;

    let everywhere = documented().into_iter().filter(|row| !row.gateway_only);
    let everywhere = everywhere.filter(|row| {
        cfg!(target_os = "linux") || !row.names.iter().any(|name| name.starts_with("process_"))
    });
    check_described(&text, &everywhere.collect::<Vec<_>>());
    // No request has been answered yet: the per-route families have no series.
    assert!(!text.contains("\nphonedesk_http_requests_total{"), "{text}");
    let commit = phone_http::version::COMMIT;
    let build = format!(
        "phonedesk_build_info{{version=\"{}\",commit=\"{commit}\"}}",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(sample(&text, &build), Some(1.0), "{text}");
    promtool::check_text(&text);
}

#[tokio::test]
async fn a_new_gateway_has_every_kind_of_provider_call_and_error_from_the_start() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let provider = Upstream::start(folder.path(), &[]);
    let flags = provider.gateway_flags(&provider.api());
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let gateway =
        start_process(&new_database(folder.path()), &[&["--create-database"], &flags[..]].concat());

    let text = scrape_text(&gateway.base_url()).await;

    let rows: Vec<Documented> = documented().into_iter().filter(|row| row.gateway_only).collect();
    assert!(!rows.is_empty());
    check_described(&text, &rows);
    // The provider's latency goes a step past the rest's, to the default timeout.
    let prefix = "phonedesk_upstream_request_duration_seconds_bucket{kind=\"api\",le=\"";
    let bounds = text.lines().filter_map(|line| line.strip_prefix(prefix)?.split_once('"'));
    let bounds: Vec<&str> = bounds.map(|(bound, _)| bound).collect();
    assert_eq!(bounds[bounds.len() - 3..], ["5", "10", "+Inf"], "{text}");
    promtool::check_text(&text);
}

/// Now, in seconds since the epoch.
fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs_f64()
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_process_figures_are_the_server_processes_own() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let before = now();
    let server = start_process(&new_database(folder.path()), &["--create-database"]);

    let text = scrape_text(&server.base_url()).await;

    let after = now();
    let figure = |name| sample(&text, name).unwrap_or_else(|| panic!("{name} in\n{text}"));
    // The kernel's boot time is in whole seconds: the start may read up to one early.
    let started = figure("process_start_time_seconds");
    assert!((before - 1.0..=after).contains(&started), "{before} ≤ {started} ≤ {after}");
    let cpu = figure("process_cpu_seconds_total");
    let cores = std::thread::available_parallelism().expect("a core count").get() as f64;
    assert!((0.0..=(after - before + 0.01) * cores).contains(&cpu), "{cpu} s of CPU");
    // The kernel's own count of the resident set, from another file than the server reads.
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap();
    let kib = status.lines().find_map(|line| line.strip_prefix("VmRSS:")).expect("VmRSS");
    let kib: f64 = kib.trim().trim_end_matches("kB").trim().parse().expect("kB");
    let resident = figure("process_resident_memory_bytes");
    assert!((resident - kib * 1024.0).abs() < kib * 1024.0 / 4.0, "{resident} B, {kib} kB");
    assert!(figure("process_virtual_memory_bytes") > resident);
    // The soft limit as util-linux's prlimit reads it for the process.
    let pid = server.id().to_string();
    let args = ["--pid", &pid, "--nofile", "--output", "SOFT", "--noheadings"];
    let limit = std::process::Command::new("prlimit").args(args).output().expect("prlimit");
    let limit: f64 = String::from_utf8(limit.stdout).unwrap().trim().parse().expect("a limit");
    assert_eq!(figure("process_max_fds"), limit);
    let open = figure("process_open_fds");
    let listed = std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count() as f64;
    // The scrape's connection may have closed since, and the listing held one of its own.
    assert!((open - listed).abs() <= 2.0 && open >= 3.0, "{open} open, {listed} listed");
}
