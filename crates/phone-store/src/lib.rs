//! All SQL, split by concern: opening a database and what every query shares here; the two
//! engines (`sqlite`, the embedded default, and `postgres`, for several servers on one
//! database) behind one interface of statements and rows (`sql`), with their connection pool
//! (`pool`); customers and phone numbers read from rows, and the customer every operation on
//! one starts from (`rows`); phone numbers (`phone_numbers`), customers (`customers`), which
//! customers a list asks for (`customer_filter`) and finding them (`search`), businesses
//! (`businesses`), the audit trail (`history`), creates made safe to retry (`idempotency`),
//! each number's verdict kept for the data-quality review (`verdicts`), the review (`review`)
//! and the shared numbers marked as expected there (`marks`), clients, users and
//! sessions (`access`), the calls phone systems report (`calls`) and PostgreSQL's `LISTEN`
//! that tells every server of them (`listener`), the keys that sign tokens and cursors
//! (`keys`), who may read the SQLite files (`files`), what fails and how it says so (`error`),
//! and what only tests and benchmarks use (`support`). Every query is written once, for both
//! engines. The contract's rules are the core's (`phone_model::plan_create` and the like): the store fetches the facts
//! they need and applies what they decide, in one transaction.
//!
//! Nothing outside this crate names an engine's client library, and this crate names nothing
//! of the server's: what it reports for metrics goes to an [`Observer`] the server gives it.

use std::{
    fmt,
    path::PathBuf,
    str::FromStr,
    sync::Arc,
    time::{Duration, Instant},
};

mod access;
pub mod backup;
mod batch;
mod businesses;
mod calls;
mod copy;
mod customer_filter;
mod customers;
mod error;
mod files;
mod history;
mod idempotency;
mod keys;
mod listener;
mod marks;
mod mirror;
mod phone_numbers;
mod pool;
mod postgres;
mod review;
mod roster;
mod rows;
mod schema;
mod search;
mod sql;
mod sqlite;
#[cfg(any(test, feature = "test-support"))]
mod support;
mod verdicts;

use phone_model::{Businesses, PageSize};
use rand::Rng;

pub use access::{Account, ClientAccess, Role, SessionUser, StoredSession};
pub use batch::Batch;
pub use businesses::{Added, BusinessListing, Removed};
pub use calls::StoredCallEvent;
pub use copy::CopyError;
pub use customer_filter::CustomerFilter;
pub use error::{BackupStep, DataError, OperationError, StoreError};
pub use idempotency::{Answer, Attempt, Claim};
pub use keys::{Rotation, SigningKeys, StoredKey};
use pool::Pool;
pub use review::{ReviewPage, ReviewedRow};
pub use roster::{RosterEntry, RosterNumber};
pub use schema::Opening;
use sql::{Sql, params};

#[cfg(any(test, feature = "test-support"))]
pub use support::{BENCH_FIRST_NAMES, BENCH_LAST_NAMES};

/// Server-assigned ids look like the provider's (7 to 10 digits) and are random, so they
/// reveal neither order nor count.
const ID_RANGE: std::ops::Range<u64> = 1_000_000..10_000_000_000;

/// Where the data is: a SQLite file, or a PostgreSQL database (`postgres://…`).
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for Location {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Self::Postgres(text.to_owned())
        } else {
            Self::Sqlite(PathBuf::from(text))
        })
    }
}

/// As logs and messages show it: a PostgreSQL URL without its password, whether in its
/// user part (`user:secret@`) or as a parameter (`?password=secret`).
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => path.display().fmt(f),
            Self::Postgres(url) => {
                let (base, query) = url.split_once('?').unwrap_or((url, ""));
                match (base.find("://"), base.rfind('@')) {
                    (Some(scheme), Some(at)) if base[scheme + 3..at].contains(':') => {
                        let user_end = scheme + 3 + base[scheme + 3..at].find(':').unwrap_or(0);
                        write!(f, "{}:…{}", &base[..user_end], &base[at..])?;
                    }
                    _ => f.write_str(base)?,
                }
                if query.is_empty() {
                    return Ok(());
                }
                let parameters: Vec<&str> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((name, _)) if name.eq_ignore_ascii_case("password") => "password=…",
                        _ => pair,
                    })
                    .collect();
                write!(f, "?{}", parameters.join("&"))
            }
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Who makes a change, and when (seconds since the epoch): what the audit trail records. The
/// caller passes the time in, so the store never reads a clock of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'a> {
    pub actor: &'a str,
    pub at: i64,
}

/// A page of rows and the `seq` to continue after, if there are more.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

/// A call to the database, as the observer is told of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Read,
    Write,
}

impl Call {
    /// As metrics name it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// Whoever keeps the server's metrics: the store tells it what it does, and knows nothing of
/// how it is shown.
pub trait Observer: Send + Sync + fmt::Debug {
    /// A call to the database took `took`.
    fn database_call(&self, call: Call, took: Duration);
}

/// The database.
#[derive(Debug)]
pub struct Store {
    engine: Engine,
    /// Told how long each read and write took (see [`Observer`]).
    observer: Option<Arc<dyn Observer>>,
}

#[derive(Debug)]
enum Engine {
    Sqlite(sqlite::Engine),
    Postgres(postgres::Engine),
}

impl Store {
    /// Opens an existing database and brings its schema up to date.
    ///
    /// # Errors
    /// When there is no database there ([`StoreError::Missing`], [`StoreError::NoSchema`]), it
    /// cannot be opened or migrated, a newer server migrated it, or SQLite is too old.
    pub fn open(location: &Location) -> Result<Self, StoreError> {
        Self::open_with(location, Opening::default())
    }

    /// Opens the database, making it first if there is none.
    ///
    /// # Errors
    /// As [`Store::open`], but for a missing database.
    pub fn create(location: &Location) -> Result<Self, StoreError> {
        Self::open_with(location, Opening { create: true, ..Opening::default() })
    }

    /// Opens the database as `opening` says.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_with(location: &Location, opening: Opening) -> Result<Self, StoreError> {
        let engine = match location {
            Location::Sqlite(path) => Engine::Sqlite(sqlite::Engine::open(path, opening)?),
            Location::Postgres(url) => {
                Engine::Postgres(postgres::Engine::open(url, &location.to_string(), opening)?)
            }
        };
        Ok(Self { engine, observer: None })
    }

    /// Runs `f` on a connection outside a transaction.
    fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.timed(Call::Read, || match &self.engine {
            Engine::Sqlite(engine) => engine.read(f),
            Engine::Postgres(engine) => engine.read(f),
        })
    }

    /// Runs `f` in one transaction, committed on `Ok`.
    fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.timed(Call::Write, || match &self.engine {
            Engine::Sqlite(engine) => engine.write(f),
            Engine::Postgres(engine) => engine.write(f),
        })
    }

    /// `work`, with its time told to the observer.
    fn timed<T>(&self, call: Call, work: impl FnOnce() -> T) -> T {
        let Some(observer) = &self.observer else { return work() };
        let started = Instant::now();
        let value = work();
        observer.database_call(call, started.elapsed());
        value
    }

    /// The store, telling `observer` how long each call to the database takes.
    pub fn observed_by(self, observer: Arc<dyn Observer>) -> Self {
        Self { observer: Some(observer), ..self }
    }

    /// Calls that waited for a free connection, for `/metrics`.
    pub fn pool_waits(&self) -> u64 {
        match &self.engine {
            Engine::Sqlite(engine) => engine.pool_waits(),
            Engine::Postgres(engine) => engine.pool_waits(),
        }
    }

    /// Whether a small read takes only microseconds now: the embedded database with a reader
    /// free. (PostgreSQL's reads wait on the network; SQLite's in WAL mode never wait for
    /// writers.)
    pub fn reads_at_once(&self) -> bool {
        match &self.engine {
            Engine::Sqlite(engine) => engine.reads_at_once(),
            Engine::Postgres(_) => false,
        }
    }

    /// How many migrations the database has had, and how many this server knows.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn migrations(&self) -> Result<(i64, usize), StoreError> {
        let (applied, known) = match &self.engine {
            Engine::Sqlite(_) => ("PRAGMA user_version", sqlite::MIGRATIONS.len()),
            Engine::Postgres(_) => {
                ("SELECT count(*) FROM schema_migrations", postgres::MIGRATIONS.len())
            }
        };
        Ok((self.read(|db| db.row(applied, &[])?.int(0))?, known))
    }

    /// Answers only when the database does, with every migration this server knows applied
    /// (a newer server may have applied more).
    ///
    /// # Errors
    /// When the database cannot be read, or its schema is older than this server's.
    pub fn ready(&self) -> Result<(), StoreError> {
        let (applied, known) = self.migrations()?;
        if usize::try_from(applied).is_ok_and(|applied| applied >= known) {
            Ok(())
        } else {
            Err(DataError::Migrations { applied, known }.into())
        }
    }

    /// SQLite's own check of the whole file: `ok`, or what is wrong; `None` on PostgreSQL,
    /// which checks its pages itself.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn integrity_check(&self) -> Result<Option<String>, StoreError> {
        match &self.engine {
            Engine::Sqlite(engine) => engine.integrity_check().map(Some),
            Engine::Postgres(_) => Ok(None),
        }
    }

    /// Whether the database holds no customer and no business (a fresh file).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.read(|db| {
            db.row(
                "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM businesses)",
                &[],
            )?
            .bool(0)
        })
    }
}

/// What follows the SQL migrations, in Rust, run by each engine after it migrates: the search
/// documents when a migration asked for them, the review's verdicts when the core's rules or
/// plans are not those they were made by, and the database's keys when it has none yet.
///
/// On a schema a newer server migrated (`newer`, served by `--allow-newer-schema`) only the
/// keys: this server's older rules must not remake what the newer one keeps.
fn after_migrations(db: &mut dyn Sql, newer: bool) -> Result<(), StoreError> {
    if !newer {
        search::remake_if_stale(db)?;
        verdicts::remake_if_stale(db)?;
    }
    keys::make_missing(db)
}

/// Splits `size + 1` fetched rows into a page and whether there is a next one.
pub(crate) fn page<T>(mut rows: Vec<(i64, T)>, size: PageSize) -> Page<T> {
    let has_next = rows.len() > size.get() as usize;
    rows.truncate(size.get() as usize);
    let next_after = if has_next { rows.last().map(|(seq, _)| *seq) } else { None };
    Page { items: rows.into_iter().map(|(_, item)| item).collect(), next_after }
}

/// A caller's businesses as one SQL parameter: `NULL` for all, else a JSON array of their ids
/// (see [`sql::Dialect::json_strings`]).
pub(crate) fn within(businesses: &Businesses) -> Option<String> {
    businesses.ids().map(|ids| serde_json::Value::from(ids.to_vec()).to_string())
}

/// A random id that `exists_query` says is not taken.
pub(crate) fn unused_id(db: &mut dyn Sql, exists_query: &str) -> Result<String, StoreError> {
    loop {
        let id = rand::rng().random_range(ID_RANGE).to_string();
        if !db.row(exists_query, params![&id])?.bool(0)? {
            return Ok(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgresql_url_is_shown_without_its_password_wherever_it_is_written() {
        let shown = |url: &str| Location::from_str(url).unwrap().to_string();
        assert_eq!(shown("postgres://pd:s3cret@db:5432/pd"), "postgres://pd:…@db:5432/pd");
        assert_eq!(
            shown("postgres://pd@db/pd?sslmode=disable&password=s3cret"),
            "postgres://pd@db/pd?sslmode=disable&password=…"
        );
        assert_eq!(
            shown("postgresql://pd:a@db/pd?PASSWORD=b&application_name=x"),
            "postgresql://pd:…@db/pd?password=…&application_name=x"
        );
        assert_eq!(shown("postgres://pd@%2Frun%2Fpg/pd"), "postgres://pd@%2Frun%2Fpg/pd");
        assert_eq!(shown("data/phonedesk.sqlite3"), "data/phonedesk.sqlite3");
    }
}
