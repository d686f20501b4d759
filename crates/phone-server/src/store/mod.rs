//! All SQL: the SQLite file, its migrations, and every query, behind a small interface that a
//! PostgreSQL backend can later implement too.
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

use phone_model::{
    BusinessResource, Businesses, ChangeAction, CreateFacts, CreatedCustomer, CustomerResource,
    NewCustomer, PageSize, PhoneNumberChange, PhoneNumberId, PhoneNumberResource, PhoneType,
    Refusal, UpdateFacts, ValidPhoneNumber, ValidationError, plan_create, plan_delete, plan_update,
};
use rand::Rng;
mod access;

pub use access::{Account, ClientAccess, Role, SessionUser};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};

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

/// A page of rows and the `seq` to continue after, if there are more.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

/// Which customers to list.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CustomerFilter {
    pub business_id: Option<String>,
    pub external_reference: Option<String>,
    /// Matches customer id, external reference, first, last and full name (any case).
    pub search: Option<String>,
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

    /// Customers with other than exactly one primary number (each with its count).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn customers_without_one_primary(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.read(|c| {
            c.prepare(
                "SELECT c.customer_id, (SELECT count(*) FROM phone_numbers p
                                        WHERE p.customer_seq = c.seq AND p.is_primary = 1) AS primaries
                 FROM customers c WHERE primaries <> 1",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
        })
    }

    /// Fills the database for a benchmark: `customers` customers of business `business_id`, each
    /// with `per_customer` numbers (the first primary), in one transaction. Returns the last
    /// customer's id. Far faster than requests, and the rows are what requests would write.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn fill_for_benchmark(
        &self,
        business_id: &str,
        customers: usize,
        per_customer: usize,
    ) -> Result<String, OperationError> {
        self.write(|tx| {
            let mut last = String::new();
            let start: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM customers", [], |r| r.get(0))?;
            for c in 0..customers as i64 {
                let customer_id = format!("9{:09}", start + c + 1);
                tx.execute(
                    "INSERT INTO customers (customer_id, business_id, first_name, last_name, external_reference)
                     VALUES (?1, ?2, 'Bench', ?1, '')",
                    params![customer_id, business_id],
                )?;
                let customer_seq = tx.last_insert_rowid();
                for n in 0..per_customer as i64 {
                    let number = format!("{:07}", n + 2_000_000);
                    tx.execute(
                        "INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                                    area_code, phone_number, phone_type, is_primary, duplicate_key)
                         VALUES (?1, ?2, 'Bench', '+64', '09', ?3, 'home', ?4, ?5)",
                        params![format!("8{:09}", customer_seq * 100 + n), customer_seq, number, n == 0, format!("+649{number}")],
                    )?;
                }
                last = customer_id;
            }
            Ok(last)
        })
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

    /// Adds a business, or renames it.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn put_business(&self, business_id: &str, name: &str) -> Result<(), OperationError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO businesses (business_id, name) VALUES (?1, ?2)
                 ON CONFLICT (business_id) DO UPDATE SET name = excluded.name",
                params![business_id, name],
            )?;
            Ok(())
        })
    }

    /// One page of a customer's phone numbers, oldest first.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or that `businesses` does not
    /// hold; when the database cannot be read.
    pub fn phone_numbers(
        &self,
        customer_id: &str,
        businesses: &Businesses,
        after: i64,
        size: PageSize,
    ) -> Result<Page<PhoneNumberResource>, OperationError> {
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            let mut statement = c.prepare_cached(
                "SELECT seq, phone_number_id, phone_name, country_code, area_code, phone_number,
                        phone_type, is_primary
                 FROM phone_numbers WHERE customer_seq = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = statement
                .query_map(params![customer_seq, after, size.get() + 1], |row| {
                    Ok((row.get::<_, i64>(0)?, phone_number_from(row, 1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(page(rows, size))
        })
    }

    /// One phone number of a customer.
    ///
    /// # Errors
    /// The contract's refusal for a customer outside `businesses`, or a number that does not
    /// exist or is another customer's (404); when the database cannot be read.
    pub fn phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            find_phone_number(c, customer_seq, phone_number_id)?
                .ok_or(OperationError::Refused(Refusal::NotFound))
        })
    }

    /// Adds a phone number to a customer. `isPrimary: true` demotes the others; a customer
    /// without a primary gets this one as primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a customer that does not exist or is outside
    /// `businesses`; [`OperationError::Invalid`] with `PhoneNumberExists` for a number the
    /// customer already has.
    pub fn create_phone_number(
        &self,
        customer_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        actor: &str,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            insert_phone_number(tx, customer_seq, number, actor)
        })
    }

    /// Replaces a phone number's fields; `isPrimary: true` promotes it, `false` on the primary
    /// is refused, absent leaves it.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`; [`OperationError::Invalid`] with `PhoneNumberExists` or `PrimaryRequired`.
    pub fn update_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        actor: &str,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            let (seq, was_primary) = locate(tx, customer_seq, phone_number_id)?;
            let before = phone_number_at(tx, seq)?;
            let key = number.duplicate_key();
            let duplicate: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM phone_numbers
                                WHERE customer_seq = ?1 AND duplicate_key = ?2 AND seq <> ?3)",
                params![customer_seq, key, seq],
                |row| row.get(0),
            )?;
            let facts = UpdateFacts { was_primary, duplicate };
            let outcome =
                plan_update(number.is_primary(), facts).map_err(OperationError::Invalid)?;
            if outcome.demote_primary {
                demote_primary(tx, customer_seq, actor)?;
            }
            let is_primary = outcome.is_primary;
            tx.execute(
                "UPDATE phone_numbers SET phone_name = ?2, country_code = ?3, area_code = ?4,
                        phone_number = ?5, phone_type = ?6, is_primary = ?7, duplicate_key = ?8
                 WHERE seq = ?1",
                params![
                    seq,
                    number.phone_name(),
                    number.country_code().as_str(),
                    number.area_code(),
                    number.phone_number(),
                    number.phone_type().as_str(),
                    is_primary,
                    key
                ],
            )?;
            let after = phone_number_at(tx, seq)?;
            // An update that changes nothing is no change to record.
            if after != before {
                record_change(
                    tx,
                    customer_seq,
                    actor,
                    ChangeAction::Updated,
                    Some(&before),
                    Some(&after),
                )?;
            }
            Ok(after)
        })
    }

    /// Deletes a phone number that is not the primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`; [`OperationError::Invalid`] with `PrimaryDeletion` for the primary.
    pub fn delete_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        actor: &str,
    ) -> Result<(), OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            let (seq, is_primary) = locate(tx, customer_seq, phone_number_id)?;
            plan_delete(is_primary).map_err(OperationError::Invalid)?;
            let before = phone_number_at(tx, seq)?;
            tx.execute("DELETE FROM phone_numbers WHERE seq = ?1", [seq])?;
            record_change(tx, customer_seq, actor, ChangeAction::Deleted, Some(&before), None)?;
            Ok(())
        })
    }

    /// A customer's phone number history, newest first.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`;
    /// when the database cannot be read.
    pub fn phone_number_history(
        &self,
        customer_id: &str,
        businesses: &Businesses,
    ) -> Result<Vec<PhoneNumberChange>, OperationError> {
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            let mut statement = c.prepare_cached(
                "SELECT phone_number_id, at, actor, action, before, after FROM phone_number_changes
                 WHERE customer_seq = ?1 ORDER BY seq DESC LIMIT 200",
            )?;
            let rows = statement
                .query_map([customer_seq], |row| {
                    let json = |column: usize| -> rusqlite::Result<Option<PhoneNumberResource>> {
                        let text: Option<String> = row.get(column)?;
                        text.map(|t| {
                            serde_json::from_str(&t).map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    column,
                                    rusqlite::types::Type::Text,
                                    Box::new(e),
                                )
                            })
                        })
                        .transpose()
                    };
                    let id: String = row.get(0)?;
                    let action: String = row.get(3)?;
                    Ok(PhoneNumberChange {
                        phone_number_id: PhoneNumberId::new(&id).map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(
                                0,
                                rusqlite::types::Type::Text,
                                Box::new(e),
                            )
                        })?,
                        at: row.get(1)?,
                        actor: row.get(2)?,
                        action: match action.as_str() {
                            "created" => ChangeAction::Created,
                            "deleted" => ChangeAction::Deleted,
                            _ => ChangeAction::Updated,
                        },
                        before: json(4)?,
                        after: json(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// One page of the customers of `businesses` matching `filter`, oldest first. The
    /// businesses are a condition of the query, so a page is never filled from others'.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn customers(
        &self,
        filter: &CustomerFilter,
        businesses: &Businesses,
        after: i64,
        size: PageSize,
    ) -> Result<Page<CustomerResource>, StoreError> {
        let within = businesses.ids().map(|ids| serde_json::Value::from(ids.to_vec()).to_string());
        self.read(|c| {
            let pattern = filter.search.as_deref().map(like_pattern);
            let mut statement = c.prepare_cached(
                "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                        c.external_reference
                 FROM customers c JOIN businesses b USING (business_id)
                 WHERE c.seq > ?1
                   AND (?2 IS NULL OR c.business_id = ?2)
                   AND (?3 IS NULL OR c.external_reference = ?3)
                   AND (?4 IS NULL OR c.customer_id LIKE ?4 ESCAPE '\\'
                        OR c.external_reference LIKE ?4 ESCAPE '\\'
                        OR c.first_name || ' ' || c.last_name LIKE ?4 ESCAPE '\\'
                        OR c.last_name || ' ' || c.first_name LIKE ?4 ESCAPE '\\')
                   AND (?6 IS NULL OR c.business_id IN (SELECT value FROM json_each(?6)))
                 ORDER BY c.seq LIMIT ?5",
            )?;
            let rows = statement
                .query_map(
                    params![
                        after,
                        filter.business_id,
                        filter.external_reference,
                        pattern,
                        size.get() + 1,
                        within
                    ],
                    |row| Ok((row.get::<_, i64>(0)?, customer_from(row, 1)?)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(page(rows, size))
        })
    }

    /// One customer.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`;
    /// when the database cannot be read.
    pub fn customer(
        &self,
        customer_id: &str,
        businesses: &Businesses,
    ) -> Result<CustomerResource, OperationError> {
        self.read_checked(|c| {
            customer_for(c, customer_id, businesses)?;
            find_customer(c, customer_id)?.ok_or(OperationError::Refused(Refusal::NotFound))
        })
    }

    /// Creates a customer with its one phone number, as the primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a business outside `businesses` (whether it exists or
    /// not: a caller learns nothing of others' businesses); [`OperationError::Invalid`] with
    /// `BusinessIdInvalid` for an unknown business, or `ExternalReferenceExists`.
    pub fn create_customer(
        &self,
        customer: &NewCustomer,
        businesses: &Businesses,
        actor: &str,
    ) -> Result<CreatedCustomer, OperationError> {
        businesses.check_new_customer(customer.business_id()).map_err(OperationError::Refused)?;
        self.write(|tx| {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM businesses WHERE business_id = ?1)",
                [customer.business_id()],
                |row| row.get(0),
            )?;
            if !known {
                return Err(OperationError::Invalid(ValidationError::BusinessIdInvalid));
            }
            if !customer.external_reference().is_empty() {
                let taken: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM customers
                                    WHERE business_id = ?1 AND external_reference = ?2)",
                    [customer.business_id(), customer.external_reference()],
                    |row| row.get(0),
                )?;
                if taken {
                    return Err(OperationError::Invalid(ValidationError::ExternalReferenceExists));
                }
            }
            let customer_id = unused_id(tx, "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = ?1)")?;
            tx.execute(
                "INSERT INTO customers (customer_id, business_id, first_name, last_name, external_reference)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    customer_id,
                    customer.business_id(),
                    customer.first_name(),
                    customer.last_name(),
                    customer.external_reference()
                ],
            )?;
            let customer_seq = tx.last_insert_rowid();
            let phone_number = insert_phone_number(tx, customer_seq, customer.phone_number(), actor)?;
            let customer = find_customer(tx, &customer_id)?.expect("the customer inserted in this transaction exists");
            Ok(CreatedCustomer { customer, phone_number })
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
fn page<T>(mut rows: Vec<(i64, T)>, size: PageSize) -> Page<T> {
    let has_next = rows.len() > size.get() as usize;
    rows.truncate(size.get() as usize);
    let next_after = if has_next { rows.last().map(|(seq, _)| *seq) } else { None };
    Page { items: rows.into_iter().map(|(_, item)| item).collect(), next_after }
}

/// The customer's `seq` when `businesses` holds its business; the contract's refusal (404 or
/// 403) otherwise, decided by the core.
fn customer_for(
    c: &Connection,
    customer_id: &str,
    businesses: &Businesses,
) -> Result<i64, OperationError> {
    let found: Option<(i64, String)> = c
        .prepare_cached("SELECT seq, business_id FROM customers WHERE customer_id = ?1")?
        .query_row([customer_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    businesses
        .check_customer(found.as_ref().map(|(_, business)| business.as_str()))
        .map_err(OperationError::Refused)?;
    found.map(|(seq, _)| seq).ok_or(OperationError::Refused(Refusal::NotFound))
}

fn find_customer(c: &Connection, customer_id: &str) -> rusqlite::Result<Option<CustomerResource>> {
    c.prepare_cached(
        "SELECT c.customer_id, c.business_id, b.name, c.first_name, c.last_name, c.external_reference
         FROM customers c JOIN businesses b USING (business_id) WHERE c.customer_id = ?1",
    )?
    .query_row([customer_id], |row| customer_from(row, 0))
    .optional()
}

fn find_phone_number(
    c: &Connection,
    customer_seq: i64,
    phone_number_id: &str,
) -> rusqlite::Result<Option<PhoneNumberResource>> {
    c.prepare_cached(
        "SELECT phone_number_id, phone_name, country_code, area_code, phone_number, phone_type,
                is_primary
         FROM phone_numbers WHERE customer_seq = ?1 AND phone_number_id = ?2",
    )?
    .query_row(params![customer_seq, phone_number_id], |row| phone_number_from(row, 0))
    .optional()
}

/// A customer's phone number's `seq`, and whether it is primary; 404 when the customer has no
/// such number.
fn locate(
    tx: &Transaction<'_>,
    customer_seq: i64,
    phone_number_id: &str,
) -> Result<(i64, bool), OperationError> {
    tx.prepare_cached(
        "SELECT seq, is_primary FROM phone_numbers WHERE customer_seq = ?1 AND phone_number_id = ?2",
    )?
    .query_row(params![customer_seq, phone_number_id], |row| Ok((row.get(0)?, row.get(1)?)))
    .optional()?
    .ok_or(OperationError::Refused(Refusal::NotFound))
}

/// Makes the customer's primary number an ordinary one, and records that.
fn demote_primary(
    tx: &Transaction<'_>,
    customer_seq: i64,
    actor: &str,
) -> Result<(), OperationError> {
    let primary: Option<i64> = tx
        .query_row(
            "SELECT seq FROM phone_numbers WHERE customer_seq = ?1 AND is_primary = 1",
            [customer_seq],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(seq) = primary {
        let before = phone_number_at(tx, seq)?;
        tx.execute("UPDATE phone_numbers SET is_primary = 0 WHERE seq = ?1", [seq])?;
        let after = PhoneNumberResource { is_primary: false, ..before.clone() };
        record_change(tx, customer_seq, actor, ChangeAction::Updated, Some(&before), Some(&after))?;
    }
    Ok(())
}

/// The phone number in row `seq`.
fn phone_number_at(tx: &Transaction<'_>, seq: i64) -> rusqlite::Result<PhoneNumberResource> {
    tx.prepare_cached(
        "SELECT phone_number_id, phone_name, country_code, area_code, phone_number, phone_type,
                is_primary
         FROM phone_numbers WHERE seq = ?1",
    )?
    .query_row([seq], |row| phone_number_from(row, 0))
}

/// Adds a change to the audit trail, in the transaction that makes it.
fn record_change(
    tx: &Transaction<'_>,
    customer_seq: i64,
    actor: &str,
    action: ChangeAction,
    before: Option<&PhoneNumberResource>,
    after: Option<&PhoneNumberResource>,
) -> Result<(), OperationError> {
    let id = after.or(before).map(|n| n.phone_number_id.to_string()).unwrap_or_default();
    let json = |n: Option<&PhoneNumberResource>| {
        n.map(|n| serde_json::to_string(n).expect("a phone number serialises"))
    };
    let action = match action {
        ChangeAction::Created => "created",
        ChangeAction::Updated => "updated",
        ChangeAction::Deleted => "deleted",
    };
    tx.execute(
        "INSERT INTO phone_number_changes (customer_seq, phone_number_id, at, actor, action, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![customer_seq, id, crate::auth::now(), actor, action, json(before), json(after)],
    )?;
    Ok(())
}

fn insert_phone_number(
    tx: &Transaction<'_>,
    customer_seq: i64,
    number: &ValidPhoneNumber,
    actor: &str,
) -> Result<PhoneNumberResource, OperationError> {
    let key = number.duplicate_key();
    let (exists, has_primary): (bool, bool) = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = ?1 AND duplicate_key = ?2),
                EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = ?1 AND is_primary = 1)",
        params![customer_seq, key],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let facts = CreateFacts { has_primary, duplicate: exists };
    let outcome =
        plan_create(number.is_primary() == Some(true), facts).map_err(OperationError::Invalid)?;
    if outcome.demote_primary {
        demote_primary(tx, customer_seq, actor)?;
    }
    let is_primary = outcome.is_primary;
    let id =
        unused_id(tx, "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE phone_number_id = ?1)")?;
    tx.execute(
        "INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                    area_code, phone_number, phone_type, is_primary, duplicate_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            customer_seq,
            number.phone_name(),
            number.country_code().as_str(),
            number.area_code(),
            number.phone_number(),
            number.phone_type().as_str(),
            is_primary,
            key
        ],
    )?;
    let created = phone_number_at(tx, tx.last_insert_rowid())?;
    record_change(tx, customer_seq, actor, ChangeAction::Created, None, Some(&created))?;
    Ok(created)
}

/// A random id that `exists_query` says is not taken.
fn unused_id(tx: &Transaction<'_>, exists_query: &str) -> rusqlite::Result<String> {
    loop {
        let id = rand::rng().random_range(ID_RANGE).to_string();
        let taken: bool = tx.prepare_cached(exists_query)?.query_row([&id], |row| row.get(0))?;
        if !taken {
            return Ok(id);
        }
    }
}

/// A LIKE pattern that matches `search` anywhere, with LIKE's own characters escaped.
fn like_pattern(search: &str) -> String {
    let escaped = search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Reads a phone number from the row's columns starting at `first`.
fn phone_number_from(row: &Row<'_>, first: usize) -> rusqlite::Result<PhoneNumberResource> {
    let invalid = |column: usize, e: ValidationError| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    };
    let id: String = row.get(first)?;
    let country_code: String = row.get(first + 2)?;
    let phone_type: String = row.get(first + 5)?;
    Ok(PhoneNumberResource {
        phone_number_id: PhoneNumberId::new(&id).map_err(|e| invalid(first, e))?,
        phone_name: row.get(first + 1)?,
        country_code: phone_model::CountryCode::new(&country_code)
            .map_err(|e| invalid(first + 2, e))?,
        area_code: row.get(first + 3)?,
        phone_number: row.get(first + 4)?,
        phone_type: phone_type.parse::<PhoneType>().map_err(|e| invalid(first + 5, e))?,
        is_primary: row.get(first + 6)?,
    })
}

/// Reads a customer from the row's columns starting at `first`.
fn customer_from(row: &Row<'_>, first: usize) -> rusqlite::Result<CustomerResource> {
    Ok(CustomerResource {
        customer_id: row.get(first)?,
        business: BusinessResource { business_id: row.get(first + 1)?, name: row.get(first + 2)? },
        first_name: row.get(first + 3)?,
        last_name: row.get(first + 4)?,
        external_reference: row.get(first + 5)?,
    })
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
