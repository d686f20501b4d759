//! The shared engine, PostgreSQL, for several servers on one database.
//!
//! The client is `tokio-postgres`. Its connections run on a small runtime of the store's own,
//! and the store's calls wait for their answers on the blocking threads the routes already use
//! (a client's requests only travel over channels to its connection task), so one storage
//! interface serves both engines and nothing blocks the server's async threads.
//!
//! Isolation: READ COMMITTED, PostgreSQL's default, and every write that decides by what is
//! stored first locks the row it decides for (`SELECT … FOR UPDATE` on the customer, or on
//! the business for a new customer). Every rule of the contract is per customer, so writes
//! that could conflict run one after another, each reading what the one before committed,
//! and writes for different customers run side by side, with no retries needed. The unique
//! indexes (one primary, no duplicate) hold even so. Durability: `synchronous_commit` is on
//! (the default), so a commit is on disk before it is answered.

use std::{collections::HashMap, sync::LazyLock, time::Duration};

use bytes::BytesMut;
use tokio_postgres::{
    Client, NoTls, Statement,
    types::{IsNull, ToSql, Type, to_sql_checked},
};

use super::{
    Pool, StoreError, after_migrations,
    schema::{self, Migration, Opening, migration},
    sql::{ColumnProblem, Dialect, Param, Row, Sql, Value, unexpected},
};

/// The migrations, in order, numbered as SQLite's (see [`schema`]); each runs once, all that
/// a database lacks in one transaction.
pub(super) const MIGRATIONS: &[Migration] = &[
    migration!("postgres", "0001_customers_and_phone_numbers"),
    migration!("postgres", "0002_access_and_history"),
    migration!("postgres", "0003_tenancy"),
    migration!("postgres", "0004_search"),
    migration!("postgres", "0005_idempotency"),
    migration!("postgres", "0006_review"),
    migration!("postgres", "0007_signing_keys"),
    migration!("postgres", "0008_shared_number_marks"),
    migration!("postgres", "0009_call_events"),
];

/// Held while migrating, so servers starting together migrate one at a time.
const MIGRATION_LOCK: i64 = 0x7068_6f6e_6564_736b; // "phonedsk"

/// Runs every connection's I/O. It lives as long as the process.
pub(super) static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("phonedesk-postgres")
        .enable_all()
        .build()
        .expect("a runtime for the PostgreSQL connections")
});

/// A PostgreSQL database and this server's connections to it.
#[derive(Debug)]
pub struct Engine {
    pub(super) config: tokio_postgres::Config,
    connections: Pool<Connection>,
}

/// One connection, with the statements it has prepared.
#[derive(Debug)]
struct Connection {
    client: Client,
    statements: HashMap<String, Statement>,
    /// A rollback failed: the connection may still be in a transaction.
    broken: bool,
}

impl Engine {
    /// Connects to the database at `url` (`postgres://…`, named `database` in messages),
    /// and brings its schema up to date (making it only when `opening` says so).
    pub fn open(url: &str, database: &str, opening: Opening) -> Result<Self, StoreError> {
        let engine = Self::unconnected(url)?;
        let mut connection = engine.connections.take(|| engine.connect())?;
        connection.transaction(|c| migrate(c, database, opening))?;
        drop(connection);
        Ok(engine)
    }

    /// Runs `statements` (one or several, with their own `BEGIN` and `COMMIT` if they want a
    /// transaction) on the database at `url` as it is, without migrating it first: for tests
    /// that make a database as an older release did.
    #[cfg(any(test, feature = "test-support"))]
    pub(super) fn run_unmigrated(url: &str, statements: &str) -> Result<(), StoreError> {
        let engine = Self::unconnected(url)?;
        engine.with_connection(|connection| connection.batch(statements))?
    }

    /// The engine for the database at `url`, with no connection yet.
    fn unconnected(url: &str) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(db)?;
        // A database host that stops answering (rather than refusing) must become a 503 in
        // seconds, not after the operating system's TCP timeouts: a connect gives up after 5 s
        // unless the URL says otherwise, and an idle connection is probed every few seconds.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config
            .keepalives_idle(Duration::from_secs(10))
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(3);
        Ok(Self { config, connections: Pool::new() })
    }

    /// The connection pool's waits.
    pub fn pool_waits(&self) -> u64 {
        self.connections.waits()
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let config = self.config.clone();
        let client = block_on(RUNTIME.spawn(async move {
            let (client, connection) = config.connect(NoTls).await?;
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::warn!("PostgreSQL connection ended: {error}");
                }
            });
            Ok::<_, tokio_postgres::Error>(client)
        }))
        .map_err(|e| StoreError::Database(Box::new(e)))?
        .map_err(db)?;
        Ok(Connection { client, statements: HashMap::new(), broken: false })
    }

    /// Runs `f` on a connection from the pool, outside a transaction.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.with_connection(|c| f(c))?
    }

    /// Runs `f` in a transaction, committing on `Ok` and rolling back otherwise.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.with_connection(|c| c.transaction(|c| f(c)))?
    }

    /// Runs `f` on a connection from the pool; one that closed, or failed to roll back, is not
    /// put back.
    fn with_connection<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> Result<T, StoreError> {
        let mut connection = self.connections.take(|| self.connect())?;
        let result = f(&mut connection);
        if connection.client.is_closed() || connection.broken {
            connection.discard();
        }
        Ok(result)
    }
}

impl Connection {
    fn transaction<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.batch("BEGIN")?;
        match f(self) {
            Ok(value) => {
                self.batch("COMMIT")?;
                Ok(value)
            }
            Err(error) => {
                // The error to report is the first; a connection that cannot roll back may
                // still be in the transaction, and is not reused.
                self.broken = self.batch("ROLLBACK").is_err();
                Err(error)
            }
        }
    }

    fn batch(&mut self, statements: &str) -> Result<(), StoreError> {
        block_on(self.client.batch_execute(statements)).map_err(db)
    }

    fn prepared(&mut self, statement: &str) -> Result<Statement, StoreError> {
        if let Some(prepared) = self.statements.get(statement) {
            return Ok(prepared.clone());
        }
        let prepared = block_on(self.client.prepare(statement)).map_err(db)?;
        self.statements.insert(statement.to_owned(), prepared.clone());
        Ok(prepared)
    }
}

impl Sql for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn rows(&mut self, statement: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let prepared = self.prepared(statement)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = block_on(self.client.query(&prepared, &params)).map_err(db)?;
        rows.iter().map(row_from).collect()
    }

    /// Prepared afresh, not from the cache: PostgreSQL plans a statement's first executions
    /// for their values, and may settle on one generic plan after five.
    fn rows_planned_for_values(
        &mut self,
        statement: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Row>, StoreError> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = block_on(self.client.query(statement, &params)).map_err(db)?;
        rows.iter().map(row_from).collect()
    }

    fn execute(&mut self, statement: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let prepared = self.prepared(statement)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        block_on(self.client.execute(&prepared, &params)).map_err(db)
    }
}

/// In one transaction, under an advisory lock so two servers starting together do not race:
/// renumbers a database 0.3.0 migrated (see [`schema::postgres_version_from_0_3_0`]), runs the
/// migrations the database has not had yet (or refuses it, see [`schema::pending`]), then what
/// follows them (see [`after_migrations`]). `schema_migrations` has a row per migration
/// applied, with its version and name; the count of rows is the schema's version.
fn migrate(
    connection: &mut Connection,
    database: &str,
    opening: Opening,
) -> Result<(), StoreError> {
    connection.rows("SELECT pg_advisory_xact_lock($1)", &[Param::Int(MIGRATION_LOCK)])?;
    let sql = connection as &mut dyn Sql;
    let made = sql.row("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?.bool(0)?;
    let recorded =
        if made { sql.row("SELECT count(*) FROM schema_migrations", &[])?.int(0)? } else { 0 };
    // 0.3.0 and the releases before it recorded versions of their own numbering, and no names.
    let numbered_apart = made
        && !sql
            .row(
                "SELECT EXISTS (SELECT 1 FROM pg_attribute
                                WHERE attrelid = 'schema_migrations'::regclass
                                  AND attname = 'name' AND NOT attisdropped)",
                &[],
            )?
            .bool(0)?;
    let done =
        if numbered_apart { schema::postgres_version_from_0_3_0(recorded) } else { recorded };
    let pending = schema::pending(database, done, MIGRATIONS, opening)?;
    if !made {
        connection
            .batch("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT)")?;
    } else if numbered_apart && !schema::is_newer(done, MIGRATIONS) {
        renumber(connection, database, recorded, done)?;
    }
    schema::run(connection, database, done, pending, |connection, version, migration| {
        connection.batch(migration.sql)?;
        record(connection, version, migration)
    })?;
    after_migrations(connection, schema::is_newer(done, MIGRATIONS))
}

/// Records the versions of a database migrated to 0.3.0's `recorded` anew, as the versions
/// up to `done` of today's numbering, each with its migration's name. Nothing else changes:
/// the schema is the one those migrations make.
fn renumber(
    connection: &mut Connection,
    database: &str,
    recorded: i64,
    done: i64,
) -> Result<(), StoreError> {
    connection.batch(
        "ALTER TABLE schema_migrations ADD COLUMN name TEXT;
         DELETE FROM schema_migrations;",
    )?;
    for (version, migration) in (1..=done).zip(MIGRATIONS) {
        record(connection, version, migration)?;
    }
    tracing::info!(
        database,
        from = recorded,
        to = done,
        "renumbered the schema's version as SQLite's: 0.3.0 numbered PostgreSQL's migrations \
         apart (its 0001 was today's 0001 to 0003); no migration runs for it"
    );
    Ok(())
}

fn record(
    connection: &mut Connection,
    version: i64,
    migration: &Migration,
) -> Result<(), StoreError> {
    connection
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[Param::Int(version), Param::Text(migration.name)],
        )
        .map(drop)
}

/// Reads a row into plain values, by each column's type.
fn row_from(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let values = row
        .columns()
        .iter()
        .enumerate()
        .map(|(column, described)| {
            let get = |e: tokio_postgres::Error| unexpected(column, e);
            Ok(match *described.type_() {
                Type::INT8 => row.try_get::<_, Option<i64>>(column).map_err(get)?.map(Value::Int),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(column)
                    .map_err(get)?
                    .map(|v| Value::Int(v.into())),
                Type::BOOL => row.try_get::<_, Option<bool>>(column).map_err(get)?.map(Value::Bool),
                Type::TEXT | Type::VARCHAR | Type::NAME => {
                    row.try_get::<_, Option<String>>(column).map_err(get)?.map(Value::Text)
                }
                Type::BYTEA => {
                    row.try_get::<_, Option<Vec<u8>>>(column).map_err(get)?.map(Value::Bytes)
                }
                Type::VOID => None,
                ref other => return Err(unexpected(column, ColumnProblem::OfType(other.clone()))),
            }
            .unwrap_or(Value::Null))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Row(values))
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Self::Null => Ok(IsNull::Yes),
            Self::Int(value) if *ty == Type::INT4 => i32::try_from(value)?.to_sql(ty, out),
            // A boolean as SQLite keeps it, on its way into PostgreSQL (`phone-server copy`).
            Self::Int(value) if *ty == Type::BOOL => (value != 0).to_sql(ty, out),
            Self::Int(value) => value.to_sql(ty, out),
            Self::Bool(value) => value.to_sql(ty, out),
            Self::Text(text) => text.to_sql(ty, out),
            Self::Bytes(bytes) => bytes.to_sql(ty, out),
        }
    }

    /// Each value's own `to_sql` writes it for the type PostgreSQL asked for; a mismatch is an
    /// error PostgreSQL reports.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A PostgreSQL failure, as the store reports it: [`StoreError::Unavailable`] when the server
/// cannot be reached or is not taking work (its connection closed or failed; SQLSTATE class
/// 08, connection exceptions, but for 08P01; 57P01–57P03, shutting down or starting; 53300,
/// too many connections).
fn db(error: tokio_postgres::Error) -> StoreError {
    let unreachable = match error.code() {
        Some(code) => {
            let code = code.code();
            // 08P01, a protocol violation, is a bug rather than an outage.
            (code.starts_with("08") && code != "08P01")
                || ["57P01", "57P02", "57P03", "53300"].contains(&code)
        }
        // No SQLSTATE: the error is the connection's own (I/O, closed), not a statement's.
        None => {
            error.is_closed()
                || std::error::Error::source(&error).is_some_and(|s| s.is::<std::io::Error>())
        }
    };
    if unreachable {
        StoreError::Unavailable(Box::new(error))
    } else {
        StoreError::Database(Box::new(error))
    }
}

/// Waits on this thread for a client call, or a task spawned on [`RUNTIME`], where the
/// connections do their I/O.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    futures_executor::block_on(future)
}
