//! The same server on PostgreSQL, against issue 13's goals, in the same run as the SQLite
//! figures: the list at 64 connections (÷ SQLite's), durable creates, the list's p99 as the
//! database grows, and three servers on one database (÷ one).
//!
//! One throwaway cluster (`phone_launch::Postgres`: `synchronous_commit` and `fsync` on, as
//! PostgreSQL's defaults have them; the report shows the settings as the cluster answers
//! `SHOW`) and a fresh database in it for every measurement. Each row also says who used the
//! CPUs meanwhile: the `phone-server` processes, PostgreSQL's, this load generator, and
//! anything else on the machine, so that a reader can tell what limited it.
//!
//! `phone-bench --postgres <phone-server>` runs only this section, with a SQLite list figure of
//! its own for the ratio. `PHONEDESK_BENCH_PG_NUMBERS` sets the most stored numbers the growth
//! rows fill (default [`LARGEST`]).

use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use phone_launch::Postgres;
use phone_store::{Location, Store};

use crate::{
    Failure, Server, a_customer, customers,
    load::{Load, Operation, Stats},
    machine::{self, Usage, Watched},
    serve,
};

/// The most stored numbers the growth rows fill unless `PHONEDESK_BENCH_PG_NUMBERS` says
/// otherwise: the goal's 10 million, which took two minutes to fill and vacuum on the 2-core
/// machine the goals were measured on.
const LARGEST: usize = 10_000_000;

/// How many `phone-server` processes share the database in the last measurement.
const SERVERS: usize = 3;

/// How many measured rounds the growth rows take the median of.
const ROUNDS: usize = 5;

/// The business the filled databases' customers belong to.
const BUSINESS: &str = "3333333";

/// What a measurement found and who used the CPUs meanwhile.
struct Measured {
    stats: Stats,
    cpu: Usage,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.stats.requests as f64 / self.stats.seconds
    }
}

/// The section as it runs: the cluster, the server binary, and the rows measured so far.
struct Section<'a> {
    binary: &'a Path,
    postgres: Postgres,
    postmaster: Option<u32>,
    rows: Vec<String>,
}

/// The list's p99 at one database size, at 1 and at 16 connections.
struct Growth {
    numbers: usize,
    alone: Duration,
    loaded: Duration,
}

/// Runs the section; `sqlite_list` is the SQLite list figure at 64 connections of this run,
/// measured here when not given. Returns Markdown lines.
pub async fn measure_all(binary: &Path, sqlite_list: Option<f64>) -> Result<Vec<String>, Failure> {
    let largest = match std::env::var("PHONEDESK_BENCH_PG_NUMBERS") {
        Ok(text) => text.parse().map_err(|_| "PHONEDESK_BENCH_PG_NUMBERS: a number of rows")?,
        Err(_) => LARGEST,
    };
    let postgres = Postgres::start()?;
    let postmaster = machine::postmaster(&postgres.socket_folder().join("data"));
    let mut section = Section { binary, postgres, postmaster, rows: Vec::new() };
    let sqlite_list = match sqlite_list {
        Some(figure) => figure,
        None => section.sqlite_list().await?,
    };
    let list = section.list().await?;
    let (one_customer, many_customers) = section.creates().await?;
    let growth = section.growth(largest).await?;
    let servers = section.servers().await?;

    let synchronous_commit = section.show("synchronous_commit")?;
    let mut lines = vec![
        "## PostgreSQL".to_owned(),
        String::new(),
        format!(
            "A throwaway cluster (`phone_launch::Postgres`) on this machine, reached through a Unix socket. As it answers `SHOW`: PostgreSQL {}, `synchronous_commit = {synchronous_commit}`, `fsync = {}`, `wal_sync_method = {}`, `shared_buffers = {}`, `max_connections = {}`. A fresh database for each row; each row measured after an unmeasured round of the same load (the servers open their PostgreSQL connections on first use). The growth rows' databases are filled, then vacuumed, analysed and checkpointed, as autovacuum would have long before a deployment held that many. The last column is the cores used during the row: by the `phone-server` processes, by PostgreSQL's, by this load generator, and by everything else.",
            section.show("server_version")?,
            section.show("fsync")?,
            section.show("wal_sync_method")?,
            section.show("shared_buffers")?,
            section.show("max_connections")?,
        ),
        String::new(),
        "| operation | connections | requests/s | p50 ms | p99 ms | errors | CPU, cores |"
            .to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    lines.append(&mut section.rows);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    let (small, large) = (growth.first().ok_or("no sizes")?, growth.last().ok_or("no sizes")?);
    let (loaded, alone) = (ratio(large.loaded, small.loaded), ratio(large.alone, small.alone));
    let list_ratio = list.per_second() / sqlite_list.max(1.0);
    let servers_ratio = servers.per_second() / list.per_second().max(1.0);
    lines.extend([
        String::new(),
        "| measure (issue 13) | goal | measured | ratio | met |".to_owned(),
        "|---|---|---|---|---|".to_owned(),
        format!(
            "| GET list requests/s with PostgreSQL, 64 connections, ÷ the SQLite figure | ≥ 0.7 | {:.0} ÷ {sqlite_list:.0} | {:.2} | {} |",
            list.per_second(),
            list_ratio,
            met(list_ratio >= 0.7)
        ),
        format!(
            "| durable creates per second on PostgreSQL (`synchronous_commit = {synchronous_commit}`), the best POST row: a customer per connection; one customer | ≥ 2,000 | {many_customers:.0}; {one_customer:.0} | | {}; {} |",
            met(many_customers >= 2000.0),
            met(one_customer >= 2000.0),
        ),
        format!(
            "| list p99 at {} stored numbers{} ÷ at {}, PostgreSQL: 16 connections; 1 connection | ≤ 1.2 | {:.2} ÷ {:.2} ms; {:.2} ÷ {:.2} ms | {loaded:.2}; {alone:.2} | {}; {} |",
            large.numbers,
            if large.numbers == 10_000_000 { "" } else { " (the goal names 10,000,000)" },
            small.numbers,
            ms(large.loaded),
            ms(small.loaded),
            ms(large.alone),
            ms(small.alone),
            met(loaded <= 1.2),
            met(alone <= 1.2),
        ),
        format!(
            "| {SERVERS} servers on one PostgreSQL, GET list requests/s ÷ one server, 64 connections | ≥ 1.5 | {:.0} ÷ {:.0} | {servers_ratio:.2} | {}: {} |",
            servers.per_second(),
            list.per_second(),
            met(servers_ratio >= 1.5),
            limit(&list.cpu, &servers.cpu),
        ),
    ]);
    section.postgres.stop()?;
    Ok(lines)
}

impl Section<'_> {
    /// The list at 64 connections on SQLite, for the ratio when this section runs alone.
    async fn sqlite_list(&mut self) -> Result<f64, Failure> {
        let folder = tempfile::tempdir()?;
        let server =
            serve(self.binary, &Location::Sqlite(folder.path().join("list.sqlite3"))).await?;
        let (customer, number) = a_customer(&server.target).await?;
        let customers = [customer];
        let load = Load::new(&server.target, Operation::List, 64, &customers, &number);
        let list = self.run("GET …/phoneNumbers (list), SQLite", &[&server.process], &load).await?;
        Ok(list.per_second())
    }

    /// The list at 64 connections: the demo data, as SQLite's row.
    async fn list(&mut self) -> Result<Measured, Failure> {
        let (server, _) = self.serve_demo("list").await?;
        let (customer, number) = a_customer(&server.target).await?;
        let customers = [customer];
        let load = Load::new(&server.target, Operation::List, 64, &customers, &number);
        self.run("GET …/phoneNumbers (list)", &[&server.process], &load).await
    }

    /// The best creates per second for one customer, and with a customer per connection.
    async fn creates(&mut self) -> Result<(f64, f64), Failure> {
        // As in SQLite's rows, every create is for one customer: PostgreSQL runs those one
        // after another (each locks the customer's row first).
        let mut one_customer = 0.0_f64;
        for connections in [1, 16, 64] {
            let (server, _) = self.serve_demo(&format!("creates_{connections}")).await?;
            let (customer, number) = a_customer(&server.target).await?;
            let customers = [customer];
            let load =
                Load::new(&server.target, Operation::Create, connections, &customers, &number);
            let what = "POST …/phoneNumbers, one customer";
            let create = self.run(what, &[&server.process], &load).await?;
            one_customer = one_customer.max(create.per_second());
        }
        // As a provider's many clients would: each connection creates for a customer of its
        // own, so the transactions run side by side and share the WAL's flushes.
        let mut many_customers = 0.0_f64;
        for connections in [16, 64] {
            let (location, _) =
                self.filled(&format!("spread_creates_{connections}"), connections, 1)?;
            let server = serve(self.binary, &location).await?;
            let customers = customers(&server.target, connections).await?;
            let load = Load::new(&server.target, Operation::Create, connections, &customers, "");
            let what = "POST …/phoneNumbers, a customer per connection";
            let create = self.run(what, &[&server.process], &load).await?;
            many_customers = many_customers.max(create.per_second());
        }
        Ok((one_customer, many_customers))
    }

    /// The list of a customer with 10 numbers, in databases of 1,000 stored numbers up to
    /// `largest`, at 1 and 16 connections: [`ROUNDS`] rounds over every size in turn, after
    /// one unmeasured, and each size's row the round of its median p99. A single p99 of a few
    /// seconds moves with whatever else the machine does meanwhile; rounds in turn spread that
    /// over the sizes alike.
    async fn growth(&mut self, largest: usize) -> Result<Vec<Growth>, Failure> {
        let mut filled = Vec::new();
        for numbers in sizes(largest) {
            let started = Instant::now();
            let (location, customer) = self.filled(&format!("n{numbers}"), numbers / 10, 10)?;
            let Location::Postgres(url) = &location else { unreachable!("a PostgreSQL database") };
            // What autovacuum would have done long before a deployment held this many: the
            // rows' first vacuum and the planner's statistics. Not during the measurements.
            psql(url, &["VACUUM ANALYZE"])?;
            eprintln!(
                "filled and vacuumed {numbers} numbers in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            filled.push((numbers, serve(self.binary, &location).await?, [customer]));
        }
        // The fills wrote gigabytes: their checkpoint now, not spread over the measurements.
        psql(&self.postgres.url(), &["CHECKPOINT"])?;
        let mut p99 = vec![[Duration::ZERO; 2]; filled.len()];
        for (at, connections) in [1, 16].into_iter().enumerate() {
            let mut rounds: Vec<Vec<Measured>> = filled.iter().map(|_| Vec::new()).collect();
            for round in 0..=ROUNDS {
                for ((_, server, customer), measured) in filled.iter().zip(&mut rounds) {
                    let load =
                        Load::new(&server.target, Operation::List, connections, customer, "");
                    if round == 0 {
                        load.measure().await?;
                    } else {
                        measured.push(self.watched(&[&server.process], &load).await?);
                    }
                }
            }
            for (size, mut measured) in rounds.into_iter().enumerate() {
                measured.sort_by_key(|m| m.stats.p99);
                let median = measured.swap_remove(measured.len() / 2);
                let what = format!(
                    "GET …/phoneNumbers (list), {} numbers stored (median p99 of {ROUNDS})",
                    filled[size].0
                );
                self.row(&what, connections, &median);
                p99[size][at] = median.stats.p99;
            }
        }
        Ok(filled
            .iter()
            .zip(p99)
            .map(|((numbers, _, _), [alone, loaded])| Growth { numbers: *numbers, alone, loaded })
            .collect())
    }

    /// The list at 64 connections, the requests going to [`SERVERS`] servers in turn, all on
    /// one database with the demo data.
    async fn servers(&mut self) -> Result<Measured, Failure> {
        let (first, location) = self.serve_demo("servers").await?;
        let (customer, number) = a_customer(&first.target).await?;
        let Location::Postgres(url) = &location else { unreachable!("a PostgreSQL database") };
        let mut others = Vec::new();
        let mut target = first.target.clone();
        for _ in 1..SERVERS {
            let other = phone_launch::Server::start(
                self.binary,
                &["--database", url, "--rate-limit", "100000000"],
            )?;
            target.apis.push(format!("{}/CustomerServices/v1.0", other.base_url()));
            others.push(other);
        }
        let mut servers = vec![&first.process];
        servers.extend(&others);
        let customers = [customer];
        let load = Load::new(&target, Operation::List, 64, &customers, &number);
        self.run(&format!("GET …/phoneNumbers (list), {SERVERS} servers in turn"), &servers, &load)
            .await
    }

    /// Measures `load` after an unmeasured round of it, and adds the row.
    async fn run(
        &mut self,
        what: &str,
        servers: &[&phone_launch::Server],
        load: &Load<'_>,
    ) -> Result<Measured, Failure> {
        // Each server opens its pool's connections to PostgreSQL (a process each) and prepares
        // its statements on first use: the rows are about the steady state that follows.
        load.measure().await?;
        let measured = self.watched(servers, load).await?;
        self.row(what, load.connections, &measured);
        Ok(measured)
    }

    /// Measures `load`, watching the CPUs of `servers`, of PostgreSQL and of the rest.
    async fn watched(
        &self,
        servers: &[&phone_launch::Server],
        load: &Load<'_>,
    ) -> Result<Measured, Failure> {
        let watching = Watched {
            servers: servers.iter().map(|server| server.id()).collect(),
            postmaster: self.postmaster,
        };
        let before = watching.sample();
        let stats = load.measure().await?;
        Ok(Measured { stats, cpu: before.used_until(&watching.sample()) })
    }

    fn row(&mut self, what: &str, connections: usize, measured: &Measured) {
        let row = format!("{} {} |", measured.stats.row(what, connections), measured.cpu);
        eprintln!("{row}");
        self.rows.push(row);
    }

    /// A server on a fresh database `name`, with the demo data.
    async fn serve_demo(&self, name: &str) -> Result<(Server, Location), Failure> {
        let location = Location::Postgres(self.postgres.create_database(name)?);
        Ok((serve(self.binary, &location).await?, location))
    }

    /// A fresh database `name` holding `customers` customers with `per_customer` numbers each,
    /// and the last customer's id.
    fn filled(
        &self,
        name: &str,
        customers: usize,
        per_customer: usize,
    ) -> Result<(Location, String), Failure> {
        let location = Location::Postgres(self.postgres.create_database(name)?);
        let store = Store::create(&location)?;
        store.put_business(BUSINESS, "Bench")?;
        let last = store.fill_for_benchmark(BUSINESS, customers, per_customer)?;
        Ok((location, last))
    }

    /// `SHOW name`, as the cluster answers it.
    fn show(&self, name: &str) -> Result<String, Failure> {
        psql(&self.postgres.url(), &[&format!("SHOW {name}")])
    }
}

/// Runs `commands` on the database at `url`, each on its own (`VACUUM` may not share a
/// transaction), through `psql`: `PG_BIN`'s, as for the cluster, or the one on the path.
/// Returns what they printed.
pub fn psql(url: &str, commands: &[&str]) -> Result<String, Failure> {
    let psql = std::env::var_os("PG_BIN").map_or("psql".into(), |bin| Path::new(&bin).join("psql"));
    let mut command = Command::new(psql);
    command.arg(url).args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1"]);
    for each in commands {
        command.args(["-c", each]);
    }
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn met(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

/// What the CPUs did while one server and then several served the list: when they were busy
/// both times, more servers brought more processes to run but no more cores to run them on.
fn limit(one: &Usage, several: &Usage) -> String {
    let busy = format!(
        "the CPUs were {:.0}% busy with one server ({:.2} cores its, {:.2} PostgreSQL's) and {:.0}% with {SERVERS} ({:.2} theirs, {:.2} PostgreSQL's)",
        one.busy * 100.0,
        one.servers,
        one.postgres,
        several.busy * 100.0,
        several.servers,
        several.postgres
    );
    if one.busy >= 0.9 && several.busy >= 0.9 {
        format!("{busy}; more servers add processes, not cores")
    } else {
        busy
    }
}

/// The stored-number counts of the growth rows: 1,000, then a hundred times more while below
/// `largest`, and `largest` itself (1,000, 100,000 and 10,000,000 by default).
fn sizes(largest: usize) -> Vec<usize> {
    let mut sizes: Vec<usize> = std::iter::successors(Some(1_000_usize), |n| n.checked_mul(100))
        .take_while(|&n| n < largest)
        .collect();
    sizes.push(largest.max(1_000));
    sizes
}
