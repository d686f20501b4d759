//! Finding a customer at 100,000 customers (issue 15's goal, p99 ≤ 20 ms): what staff type,
//! from a caller's number to a name with a typo, on SQLite and on PostgreSQL.

use std::path::Path;

use hyper::Method;
use phone_store::{BENCH_FIRST_NAMES, BENCH_LAST_NAMES, Location, Store};

use crate::{
    Failure,
    load::{self, Operation, call, http},
    serve,
};

/// The customers the search runs over.
pub const CUSTOMERS: usize = 100_000;

/// The goal for every kind of search, p99 in milliseconds.
const GOAL_MS: f64 = 20.0;

/// The rows of one engine's measurements (`engine` names it), and the worst p99 in ms.
///
/// # Errors
/// When filling the database, the server or a request fails.
pub async fn measure_on(
    binary: &Path,
    database: &Location,
    engine: &str,
) -> Result<(Vec<String>, f64), Failure> {
    let store = Store::create(database)?;
    store.put_business("3333333", "Bench Physio")?;
    let last = store.fill_for_benchmark("3333333", CUSTOMERS, 1)?;
    drop(store);
    // The planner's statistics, which autovacuum would have gathered long before a
    // deployment held this many.
    if let Location::Postgres(url) = database {
        crate::postgres::psql(url, &["VACUUM ANALYZE"])?;
    }
    let server = serve(binary, database).await?;
    // A caller's number: the last customer's, as a person would say it.
    let (_, numbers) = call(
        &http(),
        Method::GET,
        &format!("{}/customers/{last}/phoneNumbers", server.target.api()),
        &server.target.token,
        None,
    )
    .await?;
    let number = numbers["phoneNumbers"][0]["phoneNumber"].as_str().ok_or("no number")?.to_owned();
    let searches = searches(&number);
    let mut rows = Vec::new();
    let mut worst = 0.0_f64;
    for (what, text) in searches {
        let encoded = encode(&text);
        let customers = [last.clone()];
        let alone =
            load::measure(&server.target, Operation::Search, 1, &customers, &encoded).await?;
        let busy =
            load::measure(&server.target, Operation::Search, 16, &customers, &encoded).await?;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        worst = worst.max(ms(alone.p99));
        let row = format!(
            "| {engine} | {what}: `{text}` | {:.2} | {:.2} | {:.0} | {:.2} | {} |",
            ms(alone.p50),
            ms(alone.p99),
            busy.requests as f64 / busy.seconds,
            ms(busy.p99),
            alone.errors + busy.errors
        );
        eprintln!("{row}");
        rows.push(row);
    }
    Ok((rows, worst))
}

/// What staff type, and what kind of search it is: `number` is a caller's number (the last
/// customer's, without its area code).
pub fn searches(number: &str) -> Vec<(&'static str, String)> {
    let (first, family) = (BENCH_FIRST_NAMES[0], BENCH_LAST_NAMES[0]);
    let typo = format!("{}t{}", &family[..family.len() - 1], &family[family.len() - 1..]);
    vec![
        (
            "a caller's number, national (one match)",
            format!("09 {} {}", &number[..3], &number[3..]),
        ),
        ("a caller's number, international (one match)", format!("+64 9 {number}")),
        ("the last four digits (about ten)", number[3..].to_owned()),
        ("a last name (one customer in 20)", family.to_owned()),
        ("last name, first name (one in 400)", format!("{family}, {first}")),
        ("a name with a typo (one in 400)", format!("{first} {}", typo.to_lowercase())),
        ("the business's name (every customer)", "physio".to_owned()),
    ]
}

/// A search as a query value, percent-encoded.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}

/// The section: SQLite in `folder`, then PostgreSQL on a throwaway cluster.
///
/// # Errors
/// As [`measure_on`], or when the cluster cannot start.
pub async fn measure(binary: &Path, folder: &Path) -> Result<Vec<String>, Failure> {
    let mut lines = vec![
        "## Finding a customer".to_owned(),
        String::new(),
        format!(
            "`GET /customers?search=…` at {CUSTOMERS} customers (one number each; 20 first names × 20 last names): one person searching (1 connection), then 16 connections at once."
        ),
        String::new(),
        "| engine | search | p50 ms, 1 connection | p99 ms, 1 connection | requests/s, 16 connections | p99 ms, 16 connections | errors |".to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    let sqlite = Location::Sqlite(folder.join("search.sqlite3"));
    let (mut rows, sqlite_worst) = measure_on(binary, &sqlite, "SQLite").await?;
    lines.append(&mut rows);
    let postgres = phone_launch::Postgres::start()?;
    let database = Location::Postgres(postgres.create_database("search")?);
    let (mut rows, postgres_worst) = measure_on(binary, &database, "PostgreSQL").await?;
    lines.append(&mut rows);
    let met = |worst: f64| if worst <= GOAL_MS { "yes" } else { "no" };
    lines.extend([
        String::new(),
        "| measure (issue 15) | goal | measured | met |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| search p99 at {CUSTOMERS} customers, one person searching, the worst kind: SQLite; PostgreSQL | ≤ {GOAL_MS:.0} ms | {sqlite_worst:.2} ms; {postgres_worst:.2} ms | {}; {} |",
            met(sqlite_worst),
            met(postgres_worst)
        ),
    ]);
    Ok(lines)
}
