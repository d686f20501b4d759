//! Lighthouse (npm, pinned, in `target/lighthouse/`) on the staff app as `phone-server` serves
//! it: the default simulated mobile run, performance only, on the sign-in page and on a
//! customer's page (signed in, through the session cookie). Each row: the score and the
//! metrics it weighs most.

use std::{path::Path, process::Command};

use http_body_util::{BodyExt, Full};
use hyper::{Request, body::Bytes};
use phone_model::{Businesses, PageSize};
use phone_server::accounts;
use phone_store::{CustomerFilter, Location, Role, Store};
use serde_json::{Value, json};

use crate::{Failure, load::http};

const PASSWORD: &str = "lighthouse benchmark password";

/// The rows of the Lighthouse section.
///
/// # Errors
/// When the server, a sign-in or Lighthouse fails.
pub async fn measure(
    binary: &Path,
    lighthouse: &Path,
    dist: &Path,
) -> Result<Vec<String>, Failure> {
    let folder = tempfile::tempdir()?;
    let database = Location::Sqlite(folder.path().join("lighthouse.sqlite3"));
    let store = Store::create(&database)?;
    phone_server::demo::seed_if_empty(&store)?;
    accounts::add_user(&store, "lighthouse", Role::Viewer, &Businesses::All, PASSWORD)?;
    let all = CustomerFilter::default();
    let customer = store.customers(&all, &Businesses::All, 0, PageSize::MAX)?.items;
    let customer = customer.first().ok_or("no demo customer")?.customer_id.clone();
    drop(store);
    let (location, dist) = (database.to_string(), dist.to_string_lossy().into_owned());
    let server =
        phone_launch::Server::start(binary, &["--database", &location, "--app-dir", &dist])?;
    let base = server.base_url();
    let cookie = sign_in(&base, "lighthouse", PASSWORD).await?;
    let mut rows = vec![
        "| page | performance score | largest contentful paint, s | first contentful paint, s | total blocking time, ms | cumulative layout shift |"
            .to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    for (page, path, headers) in [
        ("sign-in", "/".to_owned(), None),
        ("search", "/".to_owned(), Some(&cookie)),
        ("a customer's numbers", format!("/customers/{customer}"), Some(&cookie)),
        ("review", "/review".to_owned(), Some(&cookie)),
    ] {
        let report = run(lighthouse, &format!("{base}{path}"), headers)?;
        let value =
            |audit: &str| report["audits"][audit]["numericValue"].as_f64().unwrap_or(f64::NAN);
        rows.push(format!(
            "| {page} | {:.2} | {:.1} | {:.1} | {:.0} | {:.3} |",
            report["categories"]["performance"]["score"].as_f64().unwrap_or(f64::NAN),
            value("largest-contentful-paint") / 1000.0,
            value("first-contentful-paint") / 1000.0,
            value("total-blocking-time"),
            value("cumulative-layout-shift"),
        ));
    }
    Ok(rows)
}

/// Signs in as `username`; the session cookie as `name=value`.
pub async fn sign_in(base: &str, username: &str, password: &str) -> Result<String, Failure> {
    let body = json!({"username": username, "password": password}).to_string();
    let request = Request::post(format!("{base}/auth/session"))
        .header("content-type", "application/json")
        .header("x-phonedesk-request", "1")
        .body(Full::new(Bytes::from(body)))?;
    let response = http().request(request).await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    response.into_body().collect().await?;
    Ok(cookie)
}

/// One Lighthouse run; its JSON report.
fn run(lighthouse: &Path, url: &str, cookie: Option<&String>) -> Result<Value, Failure> {
    let mut command = Command::new(lighthouse);
    command
        .arg(url)
        .args(["--output=json", "--output-path=stdout", "--only-categories=performance", "--quiet"])
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage")
        .env("CHROME_PATH", "/usr/bin/chromium");
    if let Some(cookie) = cookie {
        command.arg(format!("--extra-headers={}", json!({"Cookie": cookie})));
    }
    let output = command.output()?;
    if !output.status.success() {
        return Err(
            format!("lighthouse failed: {}", String::from_utf8_lossy(&output.stderr)).into()
        );
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}
