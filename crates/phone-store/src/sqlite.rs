//! The embedded engine, SQLite: one file, WAL with `synchronous = FULL`, so a write is on disk
//! before it is answered. Writes go through one connection and begin `IMMEDIATE`, so concurrent
//! writers (also from another process) wait for each other instead of failing; reads use a pool
//! of their own and never wait for writes.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use rusqlite::{
    Connection, OpenFlags, TransactionBehavior,
    config::DbConfig,
    types::{ToSqlOutput, ValueRef},
};

use super::{
    DataError, Pool, StoreError, after_migrations, files,
    schema::{self, Migration, Opening, migration},
    sql::{ColumnProblem, Dialect, Param, Row, Sql, Value, unexpected},
};

/// The migrations, in order; each runs once, in its own transaction.
pub(super) const MIGRATIONS: &[Migration] = &[
    migration!("sqlite", "0001_customers_and_phone_numbers"),
    migration!("sqlite", "0002_access_and_history"),
    migration!("sqlite", "0003_tenancy"),
    migration!("sqlite", "0004_search"),
    migration!("sqlite", "0005_idempotency"),
    migration!("sqlite", "0006_review"),
    migration!("sqlite", "0007_signing_keys"),
    migration!("sqlite", "0008_shared_number_marks"),
    migration!("sqlite", "0009_call_events"),
];

/// The oldest SQLite that does not risk corrupting a WAL database under concurrent writes
/// or checkpoints (fixed in 3.51.3).
const MIN_SQLITE: (u32, u32, u32) = (3, 51, 3);

/// More than the store has statements, so each is prepared once per connection.
const STATEMENT_CACHE: usize = 128;

/// A SQLite database file and its connections.
#[derive(Debug)]
pub struct Engine {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Pool<Connection>,
}

impl Engine {
    /// Opens the database at `path` (making it, and its folder, only when `opening` says so),
    /// and brings its schema up to date.
    pub fn open(path: &Path, opening: Opening) -> Result<Self, StoreError> {
        check_version(rusqlite::version())?;
        if path.exists() {
            files::make_private(&files::database_files(path));
        } else {
            if !opening.create {
                return Err(StoreError::Missing(path.to_owned()));
            }
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                files::make_folder(folder).map_err(StoreError::Folder)?;
            }
            // SQLite makes its log files with the database's mode: these are private too.
            files::make_private_file(path)
                .map_err(|error| StoreError::File(path.to_owned(), error))?;
        }
        let mut writer = connect(path, opening.create)?;
        let newer = migrate(&mut writer, path, opening)?;
        let engine =
            Self { path: path.to_owned(), writer: Mutex::new(writer), readers: Pool::new() };
        engine.write(|db| after_migrations(db, newer))?;
        Ok(engine)
    }

    /// Runs `f` on a reading connection from the pool.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        // Never made here: a file that vanished under the server is an error, not a new one.
        let connection = self.readers.take(|| connect(&self.path, false))?;
        f(&mut Conn(&connection))
    }

    /// The connection pool's waits.
    pub fn pool_waits(&self) -> u64 {
        self.readers.waits()
    }

    /// Whether a read would find a connection at once.
    pub fn reads_at_once(&self) -> bool {
        self.readers.has_free()
    }

    /// Runs `f` in an IMMEDIATE transaction on the writing connection, committing on `Ok`.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut writer = self.writer.lock().expect("no writer panics while holding the lock");
        let tx = writer.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        let value = f(&mut Conn(&tx))?;
        tx.commit().map_err(db)?;
        Ok(value)
    }

    /// SQLite's own check of the whole file: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.read(|db| db.row("PRAGMA integrity_check", &[])?.text(0))
    }
}

/// A SQLite failure, as the store reports it: [`StoreError::Unavailable`] when the file
/// cannot be opened, or stays locked by another process past the busy timeout. (An I/O error
/// is a failing disk, not a wait: it stays a 500, logged as an error.)
fn db(error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode::{CannotOpen, DatabaseBusy, DatabaseLocked, PermissionDenied};
    match error.sqlite_error_code() {
        Some(CannotOpen | DatabaseBusy | DatabaseLocked | PermissionDenied) => {
            StoreError::Unavailable(Box::new(error))
        }
        _ => StoreError::Database(Box::new(error)),
    }
}

/// Opens one connection with the settings every connection needs; `create` makes a missing
/// file.
pub(super) fn connect(path: &Path, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let connection = Connection::open_with_flags(path, flags).map_err(db)?;
    connection.busy_timeout(Duration::from_secs(5)).map_err(db)?;
    connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Without the query planner stability guarantee, SQLite (3.47 and later) plans a bound
    // `LIMIT $n` by its value and so prepares the statement again at every bind: a fifth of
    // the CPU of each authorized list request went to parsing its SQL (issue 18). Our plans
    // never depend on a bound value (the only LIKEs start with `%`).
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(db)?;
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(db)?;
    Ok(connection)
}

/// Refuses a SQLite older than [`MIN_SQLITE`] (`version` as SQLite gives it: `3.51.3`).
fn check_version(version: &str) -> Result<(), StoreError> {
    let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    let found = (
        parts.first().copied().unwrap_or(0),
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    if found < MIN_SQLITE { Err(StoreError::SqliteTooOld(version.to_owned())) } else { Ok(()) }
}

/// Runs the migrations the database has not had yet (`user_version` counts them), each in a
/// transaction of its own, or refuses the database (see [`schema::pending`]); whether a newer
/// server migrated it.
fn migrate(connection: &mut Connection, path: &Path, opening: Opening) -> Result<bool, StoreError> {
    let done: i64 =
        connection.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(db)?;
    let database = path.display().to_string();
    let pending = schema::pending(&database, done, MIGRATIONS, opening)?;
    schema::run(connection, &database, done, pending, |connection, version, migration| {
        let tx =
            connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        tx.execute_batch(migration.sql).map_err(db)?;
        tx.pragma_update(None, "user_version", version).map_err(db)?;
        tx.commit().map_err(db)
    })?;
    Ok(schema::is_newer(done, MIGRATIONS))
}

/// A connection (or a transaction's) as the store's queries use it.
struct Conn<'a>(&'a Connection);

impl Sql for Conn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn rows(&mut self, statement: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut prepared = self.0.prepare_cached(statement).map_err(db)?;
        bind(&mut prepared, params)?;
        let columns = prepared.column_count();
        let mut rows = prepared.raw_query();
        let mut found = Vec::new();
        while let Some(row) = rows.next().map_err(db)? {
            let values = (0..columns)
                .map(|column| {
                    Ok(match row.get_ref(column).map_err(db)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(value) => Value::Int(value),
                        ValueRef::Text(text) => Value::Text(
                            std::str::from_utf8(text)
                                .map_err(|e| unexpected(column, e))?
                                .to_owned(),
                        ),
                        ValueRef::Blob(bytes) => Value::Bytes(bytes.to_vec()),
                        ValueRef::Real(_) => {
                            return Err(unexpected(column, ColumnProblem::RealNumber));
                        }
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            found.push(Row(values));
        }
        Ok(found)
    }

    fn execute(&mut self, statement: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let mut prepared = self.0.prepare_cached(statement).map_err(db)?;
        bind(&mut prepared, params)?;
        Ok(prepared.raw_execute().map_err(db)? as u64)
    }
}

/// Binds `params` in order. SQLite numbers named parameters in the order they first appear,
/// so `$n` is the n-th only when they first appear in order: checked, so a statement that
/// breaks that fails in every test that runs it instead of binding the wrong values.
fn bind(statement: &mut rusqlite::Statement<'_>, params: &[Param<'_>]) -> Result<(), StoreError> {
    if statement.parameter_count() != params.len() {
        let (given, expected) = (params.len(), statement.parameter_count());
        return Err(DataError::ParameterCount { given, expected }.into());
    }
    for (index, param) in (1..).zip(params) {
        let numbered = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
            == Some(index);
        if !numbered {
            return Err(DataError::ParameterOrder(index).into());
        }
        statement.raw_bind_parameter(index, param).map_err(db)?;
    }
    Ok(())
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Self::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Self::Int(value) => ToSqlOutput::Borrowed(ValueRef::Integer(value)),
            Self::Bool(value) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(value))),
            Self::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Self::Bytes(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE: Opening = Opening { create: true, allow_newer_schema: false };

    #[test]
    fn every_connection_is_durable_and_the_bundled_sqlite_is_recent_enough() {
        let folder = tempfile::tempdir().unwrap();
        let engine = Engine::open(&folder.path().join("settings.sqlite3"), CREATE).unwrap();
        let settings = |db: &mut dyn Sql| -> Result<(String, i64, i64), StoreError> {
            Ok((
                db.row("PRAGMA journal_mode", &[])?.text(0)?,
                db.row("PRAGMA synchronous", &[])?.int(0)?,
                db.row("PRAGMA foreign_keys", &[])?.int(0)?,
            ))
        };
        let writer = settings(&mut Conn(&engine.writer.lock().unwrap())).unwrap();
        let reader = engine.read(settings).unwrap();
        // synchronous 2 is FULL: a commit is on disk before it returns.
        assert_eq!(writer, ("wal".to_owned(), 2, 1));
        assert_eq!(reader, writer);
        assert!(check_version(rusqlite::version()).is_ok(), "SQLite {}", rusqlite::version());
    }

    #[test]
    fn a_file_that_vanished_is_unavailable_and_never_made_again() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("gone.sqlite3");
        let opened = connect(&path, false);
        assert!(matches!(opened, Err(StoreError::Unavailable(_))), "{opened:?}");
        assert!(!path.exists());
    }

    #[test]
    fn an_older_sqlite_is_refused() {
        for old in ["3.51.2", "3.50.9", "3.9.99", "2.99.99", "garbage"] {
            assert!(
                matches!(check_version(old), Err(StoreError::SqliteTooOld(v)) if v == old),
                "{old}"
            );
        }
        for recent in ["3.51.3", "3.51.10", "3.52.0", "4.0.0"] {
            assert!(check_version(recent).is_ok(), "{recent}");
        }
    }

    #[test]
    fn a_cached_statement_with_a_bound_limit_is_prepared_once() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("limit.sqlite3");
        drop(Engine::open(&path, CREATE).unwrap());
        let connection = connect(&path, false).unwrap();
        let statement = concat!(
            "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n) ",
            "SELECT value FROM n LIMIT $1"
        );
        for limit in [51, 2, 51] {
            let mut prepared = connection.prepare_cached(statement).unwrap();
            let rows: Vec<i64> = prepared
                .query_map([limit], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(rows.len(), usize::try_from(limit).unwrap());
            let again = prepared.get_status(rusqlite::StatementStatus::RePrepare);
            assert_eq!(again, 0, "prepared again when LIMIT was bound to {limit}");
        }
    }

    #[test]
    fn a_statement_whose_parameters_first_appear_out_of_order_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let engine = Engine::open(&folder.path().join("order.sqlite3"), CREATE).unwrap();
        let answer = engine.read(|db| db.rows("SELECT $2, $1", &[Param::Int(1), Param::Int(2)]));
        assert!(
            matches!(&answer, Err(StoreError::Data(DataError::ParameterOrder(1)))),
            "{answer:?}"
        );
        let in_order =
            engine.read(|db| db.row("SELECT $1, $2, $1", &[Param::Int(1), Param::Int(2)]));
        assert_eq!(in_order.unwrap().0, [Value::Int(1), Value::Int(2), Value::Int(1)]);
    }
}
