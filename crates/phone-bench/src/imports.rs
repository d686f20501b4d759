//! Import and export (issue 37) at 100,000 rows: a dry run from upload to report, an apply of
//! 100,000 new customers on SQLite and on PostgreSQL, the server's memory while it imports
//! and exports, and an export of every customer as CSV and `.xlsx`.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use phone_launch::Postgres;
use phone_model::Businesses;
use phone_server::accounts;
use phone_store::{Location, Role, Store};
use serde_json::{Value, json};

use crate::{
    Failure,
    lighthouse::sign_in,
    load::{self, http},
    machine, serve_with,
};

const BUSINESS: &str = "4242";
const PASSWORD: &str = "imports benchmark password";
const ROWS: usize = 100_000;

/// Goals: seconds for the dry run, and for the apply on SQLite and PostgreSQL; MB added.
const DRY_RUN_S: f64 = 5.0;
const APPLY_SQLITE_S: f64 = 60.0;
const APPLY_POSTGRES_S: f64 = 120.0;
const ADDED_MB: f64 = 64.0;

/// The section: SQLite (dry run, apply, exports), then PostgreSQL (the apply).
///
/// # Errors
/// When making the file, a server, or a request fails.
pub async fn measure(binary: &Path, folder: &Path) -> Result<Vec<String>, Failure> {
    let file = rows_file(folder)?;
    let mut lines = vec![
        "## Import and export".to_owned(),
        String::new(),
        format!(
            "`{}` (made by `crates/phone-sheets/tests/fixtures/make.py`): {ROWS} new customers with one or two numbers each, in the written forms staff use and about 5% as Excel leaves them, {} MB. Imported by a staff editor into an empty business: the dry run (`POST /imports`, from the first byte sent to the last of the report), the apply with every repair accepted (from `POST …/apply` until its progress says done), then both exports streamed to the end. \"Memory added\": the server's peak resident memory (sampled every 20 ms) less its memory before the upload.",
            file.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
            std::fs::metadata(&file)?.len() / 1_000_000
        ),
        String::new(),
        "| measure | goal | result |".to_owned(),
        "|---|---|---|".to_owned(),
    ];
    let bytes = Bytes::from(std::fs::read(&file)?);
    let sqlite = Location::Sqlite(folder.join("imports.sqlite3"));
    let run = import(binary, &sqlite, &bytes, true).await?;
    lines.push(row(
        "dry run of 100,000 rows, SQLite, upload to report",
        DRY_RUN_S,
        "s",
        run.dry_run,
    ));
    lines.push(row("apply 100,000 new customers, SQLite", APPLY_SQLITE_S, "s", run.apply));
    lines.push(row("server memory added, dry run and apply", ADDED_MB, "MB", run.import_mb));
    for (format, seconds, mb, size) in &run.exports {
        lines.push(format!(
            "| export {} customers as {format} ({:.1} MB) | — | {seconds:.1} s, {mb:.1} MB added |",
            run.customers,
            *size as f64 / 1e6
        ));
    }
    let postgres = Postgres::start()?;
    let url = postgres.create_database("imports")?;
    let run = import(binary, &Location::Postgres(url), &bytes, false).await?;
    lines.push(row("apply 100,000 new customers, PostgreSQL", APPLY_POSTGRES_S, "s", run.apply));
    lines.push(row("server memory added, PostgreSQL", ADDED_MB, "MB", run.import_mb));
    postgres.stop()?;
    Ok(lines)
}

fn row(measure: &str, goal: f64, unit: &str, result: f64) -> String {
    let verdict = if result <= goal { "" } else { " (over the goal)" };
    format!("| {measure} | ≤ {goal} {unit} | {result:.1} {unit}{verdict} |")
}

/// `rows-100000.csv`, made in `folder`.
fn rows_file(folder: &Path) -> Result<PathBuf, Failure> {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../phone-sheets/tests/fixtures/make.py");
    let made = std::process::Command::new("python3").arg(script).arg(folder).status()?;
    if !made.success() {
        return Err("make.py failed".into());
    }
    Ok(folder.join("rows-100000.csv"))
}

/// What one import measured.
struct Run {
    dry_run: f64,
    apply: f64,
    import_mb: f64,
    customers: u64,
    /// Format, seconds, MB added and bytes of each export.
    exports: Vec<(&'static str, f64, f64, usize)>,
}

/// The server's peak resident memory while it runs, sampled every 20 ms.
struct Peak {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Peak {
    fn watch(pid: u32) -> Self {
        let (peak, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let (p, s) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(machine::resident_bytes(pid).unwrap_or(0), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Self { peak, stop }
    }

    /// MB above `before`, and stops watching.
    fn added_mb(self, before: u64) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        self.peak.load(Ordering::Relaxed).saturating_sub(before) as f64 / 1e6
    }
}

async fn import(
    binary: &Path,
    database: &Location,
    bytes: &Bytes,
    exports: bool,
) -> Result<Run, Failure> {
    let store = Store::create(database)?;
    store.put_business(BUSINESS, "Bench Import")?;
    accounts::add_user(&store, "importer", Role::Editor, &Businesses::only([BUSINESS]), PASSWORD)?;
    drop(store);
    let server = serve_with(binary, database, &["--rate-limit", "100000000"]).await?;
    let base = server.target.api().trim_end_matches("/CustomerServices/v1.0").to_owned();
    let cookie = sign_in(&base, "importer", PASSWORD).await?;
    let pid = server.process.id();
    let before = machine::resident_bytes(pid).unwrap_or(0);
    let peak = Peak::watch(pid);
    let api = server.target.api().to_owned();
    let started = Instant::now();
    let url = format!("{api}/imports?businessId={BUSINESS}&fileName=rows-100000.csv");
    let (status, report) = send(&cookie, Method::POST, &url, bytes.clone()).await?;
    let dry_run = started.elapsed().as_secs_f64();
    if status != 200 {
        return Err(format!("dry run: {status} {report}").into());
    }
    let id = report["importId"].as_str().ok_or("no import id")?;
    let decisions = json!({"acceptRepairs": format!("2-{}", ROWS + 2), "skip": ""});
    let started = Instant::now();
    let url = format!("{api}/imports/{id}/apply");
    let (status, _) = send(&cookie, Method::POST, &url, Bytes::from(decisions.to_string())).await?;
    if status != 202 {
        return Err(format!("apply: {status}").into());
    }
    let progress = loop {
        let (_, progress) =
            send(&cookie, Method::GET, &format!("{api}/imports/{id}"), Bytes::new()).await?;
        if progress["state"] != "running" {
            break progress;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let apply = started.elapsed().as_secs_f64();
    let import_mb = peak.added_mb(before);
    if progress["state"] != "done" {
        return Err(format!("apply: {progress}").into());
    }
    let customers = progress["customersCreated"].as_u64().unwrap_or(0);
    let mut run = Run { dry_run, apply, import_mb, customers, exports: Vec::new() };
    if exports {
        for format in ["csv", "xlsx"] {
            let before = machine::resident_bytes(pid).unwrap_or(0);
            let peak = Peak::watch(pid);
            let started = Instant::now();
            let url = format!("{api}/exports?businessId={BUSINESS}&format={format}");
            let size = download(&cookie, &url).await?;
            run.exports.push((
                format,
                started.elapsed().as_secs_f64(),
                peak.added_mb(before),
                size,
            ));
        }
    }
    Ok(run)
}

/// A staff member's request (their session, and the app's header): its status and JSON.
async fn send(
    cookie: &str,
    method: Method,
    url: &str,
    body: Bytes,
) -> Result<(u16, Value), Failure> {
    let staff = [("cookie", cookie), ("x-phonedesk-request", "1")];
    load::send(&http(), method, url, &staff, Some(body)).await
}

/// Downloads `url` to its end, counting its bytes.
async fn download(cookie: &str, url: &str) -> Result<usize, Failure> {
    let request = Request::get(url)
        .header("cookie", cookie)
        .header("x-phonedesk-request", "1")
        .body(Full::new(Bytes::new()))?;
    let mut body = http().request(request).await?.into_body();
    let mut size = 0;
    while let Some(frame) = body.frame().await {
        if let Some(data) = frame?.data_ref() {
            size += data.len();
        }
    }
    Ok(size)
}
