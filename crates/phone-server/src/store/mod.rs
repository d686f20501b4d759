//! All SQL, split by concern: the SQLite file, its connections, migrations and secrets here;
//! phone numbers (`phone_numbers`), customers and businesses (`customers`), the audit trail
//! (`history`), clients, users and sessions (`access`), and what only tests and benchmarks use
//! (`support`). The contract's rules are the core's (`phone_model::plan_create` and the like):
//! the store fetches the facts they need and applies what they decide.
//!
//! Durability: WAL with `synchronous = FULL`, so a write is on disk before it is answered.
//! Writes go through one connection and begin `IMMEDIATE`, so concurrent writers (also from
//! another process) wait for each other instead of failing; reads use a small pool and never
//! wait for writes.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

mod access;
mod customers;
mod history;
mod phone_numbers;
mod support;

use phone_model::{Businesses, PageSize, Refusal, ValidationError};
use rand::Rng;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

pub use access::{Account, ClientAccess, Role, SessionUser};
pub use customers::CustomerFilter;

/// The migrations, in order; each runs once, in its own transaction.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_customers_and_phone_numbers.sql"),
    include_str!("../../migrations/0002_access_and_history.sql"),
    include_str!("../../migrations/0003_tenancy.sql"),
];

/// The oldest SQLite that does not risk corrupting a WAL database under concurrent writes
/// or checkpoints (fixed in 3.51.3).
const MIN_SQLITE: (u32, u32, u32) = (3, 51, 3);

/// Server-assigned ids look like the provider's (7 to 10 digits) and are random, so they
/// reveal neither order nor count.
const ID_RANGE: std::ops::Range<u64> = 1_000_000..10_000_000_000;

/// What can go wrong in storage: always the server's fault, never the client's.
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite failed.
    Sqlite(rusqlite::Error),
    /// The SQLite linked in is too old to be safe.
    SqliteTooOld(String),
    /// The database's folder could not be created.
    Folder(std::io::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(e) => write!(f, "database: {e}"),
            Self::SqliteTooOld(v) => write!(f, "SQLite {v} is too old: 3.51.3 or later is needed"),
            Self::Folder(e) => write!(f, "database folder: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

/// Why an operation on a customer was refused or failed.
#[derive(Debug)]
pub enum OperationError {
    /// The contract's refusal: no such customer or phone number (for this customer), or a
    /// customer of a business the caller may not see.
    Refused(Refusal),
    /// A rule that needs the stored data: a duplicate, the primary rules.
    Invalid(ValidationError),
    /// Storage failed.
    Store(StoreError),
}

impl std::fmt::Display for OperationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(refusal) => write!(f, "refused: {}", refusal.message()),
            Self::Invalid(error) => write!(f, "refused: {error}"),
            Self::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for OperationError {}

impl From<rusqlite::Error> for OperationError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(e))
    }
}

impl From<StoreError> for OperationError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
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

/// The database.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    cursor_key: [u8; 32],
    token_seed: [u8; 32],
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// When the file cannot be opened or migrated, or SQLite is too old.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(StoreError::Folder)?;
        }
        check_sqlite_version()?;
        let mut writer = connect(path)?;
        migrate(&mut writer)?;
        let cursor_key = secret_key(&mut writer, "cursor_key")?;
        let token_seed = secret_key(&mut writer, "token_signing_seed")?;
        Ok(Self {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            cursor_key,
            token_seed,
        })
    }

    /// The seed of the Ed25519 key that signs this server's access tokens.
    pub fn token_seed(&self) -> &[u8; 32] {
        &self.token_seed
    }

    /// The key that signs this database's list cursors.
    pub fn cursor_key(&self) -> &[u8; 32] {
        &self.cursor_key
    }

    /// Runs `f` on a reading connection from the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let pooled = self.readers.lock().expect("no reader panics while holding the pool").pop();
        let connection = match pooled {
            Some(connection) => connection,
            None => connect(&self.path)?,
        };
        let result = f(&connection);
        self.readers.lock().expect("no reader panics while holding the pool").push(connection);
        Ok(result?)
    }

    /// Like [`read`](Self::read), for reads that the contract may refuse.
    fn read_checked<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, OperationError>,
    ) -> Result<T, OperationError> {
        self.read(|c| Ok(f(c)))?
    }

    /// Runs `f` in an IMMEDIATE transaction on the writing connection, committing on `Ok`.
    fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, OperationError>,
    ) -> Result<T, OperationError> {
        let mut writer = self.writer.lock().expect("no writer panics while holding the lock");
        let tx = writer.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Answers only when the database does.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| c.query_row("SELECT count(*) FROM settings", [], |_| Ok(())))
    }

    /// SQLite's own check of the whole file: `ok`, or what is wrong.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.read(|c| c.query_row("PRAGMA integrity_check", [], |row| row.get(0)))
    }

    /// Whether the database holds no customer and no business (a fresh file).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM businesses)",
                [],
                |row| row.get(0),
            )
        })
    }
}

/// Opens one connection with the settings every connection needs.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(Duration::from_secs(5))?;
    connection.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )?;
    Ok(connection)
}

fn check_sqlite_version() -> Result<(), StoreError> {
    let version = rusqlite::version();
    let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    let found = (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    if found < MIN_SQLITE { Err(StoreError::SqliteTooOld(version.to_owned())) } else { Ok(()) }
}

/// Runs the migrations the database has not had yet (`user_version` counts them).
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let done: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (number, migration) in (1_i64..).zip(MIGRATIONS).skip(usize::try_from(done).unwrap_or(0)) {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(migration)?;
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
    }
    Ok(())
}

/// A random 32-byte key of the database's, made once with the database and kept in it.
fn secret_key(connection: &mut Connection, name: &str) -> Result<[u8; 32], StoreError> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored: Option<Vec<u8>> = tx
        .query_row("SELECT value FROM settings WHERE name = ?1", [name], |row| row.get(0))
        .optional()?;
    let key = match stored.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
        Some(key) => key,
        None => {
            let key: [u8; 32] = rand::rng().random();
            tx.execute(
                "INSERT OR REPLACE INTO settings (name, value) VALUES (?1, ?2)",
                params![name, key.as_slice()],
            )?;
            key
        }
    };
    tx.commit()?;
    Ok(key)
}

/// Splits `size + 1` fetched rows into a page and whether there is a next one.
pub(super) fn page<T>(mut rows: Vec<(i64, T)>, size: PageSize) -> Page<T> {
    let has_next = rows.len() > size.get() as usize;
    rows.truncate(size.get() as usize);
    let next_after = if has_next { rows.last().map(|(seq, _)| *seq) } else { None };
    Page { items: rows.into_iter().map(|(_, item)| item).collect(), next_after }
}

/// A caller's businesses as one SQL parameter: `NULL` for all, else a JSON array that queries
/// read with `business_id IN (SELECT value FROM json_each(?))`.
pub(super) fn within(businesses: &Businesses) -> Option<String> {
    businesses.ids().map(|ids| serde_json::Value::from(ids.to_vec()).to_string())
}

/// A random id that `exists_query` says is not taken.
pub(super) fn unused_id(tx: &Transaction<'_>, exists_query: &str) -> rusqlite::Result<String> {
    loop {
        let id = rand::rng().random_range(ID_RANGE).to_string();
        let taken: bool = tx.prepare_cached(exists_query)?.query_row([&id], |row| row.get(0))?;
        if !taken {
            return Ok(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_is_durable_and_the_bundled_sqlite_is_recent_enough() {
        let folder = std::env::temp_dir().join(format!("phonedesk-store-{}", std::process::id()));
        let store = Store::open(&folder.join("settings.sqlite3")).unwrap();
        store.ping().unwrap();
        let settings = |c: &Connection| -> rusqlite::Result<(String, i64, i64)> {
            Ok((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
            ))
        };
        let writer = settings(&store.writer.lock().unwrap()).unwrap();
        let reader = store.read(settings).unwrap();
        // synchronous 2 is FULL: a commit is on disk before it returns.
        assert_eq!(writer, ("wal".to_owned(), 2, 1));
        assert_eq!(reader, writer);
        assert!(check_sqlite_version().is_ok(), "SQLite {}", rusqlite::version());
        std::fs::remove_dir_all(folder).unwrap();
    }
}
