//! What the store's queries need of a database engine, and no more: run a statement with
//! parameters, get rows of plain values back. SQLite (`sqlite`) and PostgreSQL (`postgres`)
//! each implement it, so every query and every rule of the store is written once.
//!
//! Statements are written in the SQL both engines read: parameters as `$1`, `$2`, … (each first
//! used in that order, which is how SQLite numbers named parameters), booleans as `TRUE` and
//! `FALSE`, `ON CONFLICT` and `RETURNING`. Where the engines differ, [`Dialect`] says how.

use super::{DataError, StoreError};

/// A statement's parameter.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<bool> for Param<'_> {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(value: &'a [u8]) -> Self {
        Self::Bytes(value)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// The parameters of a statement, each converted with `Param::from`.
macro_rules! params {
    ($($value:expr),* $(,)?) => { &[$($crate::sql::Param::from($value)),*] as &[$crate::sql::Param<'_>] };
}
pub(crate) use params;

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    /// The value written out, alike on both engines (booleans as `1` and `0`), for tests that
    /// compare databases.
    #[cfg(any(test, feature = "test-support"))]
    pub fn as_text(&self) -> String {
        match self {
            Self::Null => "NULL".to_owned(),
            Self::Int(value) => value.to_string(),
            Self::Bool(value) => i64::from(*value).to_string(),
            Self::Text(text) => format!("{text:?}"),
            Self::Bytes(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// One row of a result.
#[derive(Debug)]
pub struct Row(pub(super) Vec<Value>);

impl Row {
    fn value(&self, column: usize) -> Result<&Value, StoreError> {
        self.0.get(column).ok_or_else(|| unexpected(column, ColumnProblem::NoSuchColumn))
    }

    /// An integer column.
    pub fn int(&self, column: usize) -> Result<i64, StoreError> {
        self.optional_int(column)?.ok_or_else(|| unexpected(column, ColumnProblem::Null))
    }

    /// An integer column that may be null.
    pub fn optional_int(&self, column: usize) -> Result<Option<i64>, StoreError> {
        match self.value(column)? {
            Value::Int(value) => Ok(Some(*value)),
            Value::Null => Ok(None),
            _ => Err(unexpected(column, ColumnProblem::NotAnInteger)),
        }
    }

    /// A boolean column (SQLite keeps booleans as 0 and 1).
    pub fn bool(&self, column: usize) -> Result<bool, StoreError> {
        match self.value(column)? {
            Value::Bool(value) => Ok(*value),
            Value::Int(value) => Ok(*value != 0),
            _ => Err(unexpected(column, ColumnProblem::NotABoolean)),
        }
    }

    /// A text column.
    pub fn text(&self, column: usize) -> Result<String, StoreError> {
        self.optional_text(column)?.ok_or_else(|| unexpected(column, ColumnProblem::Null))
    }

    /// A text column that may be null.
    pub fn optional_text(&self, column: usize) -> Result<Option<String>, StoreError> {
        match self.value(column)? {
            Value::Text(value) => Ok(Some(value.clone())),
            Value::Null => Ok(None),
            _ => Err(unexpected(column, ColumnProblem::NotText)),
        }
    }

    /// A binary column.
    pub fn bytes(&self, column: usize) -> Result<Vec<u8>, StoreError> {
        match self.value(column)? {
            Value::Bytes(value) => Ok(value.clone()),
            _ => Err(unexpected(column, ColumnProblem::NotBytes)),
        }
    }
}

/// A stored value that is not what the schema says it is: `problem` is a [`ColumnProblem`], the
/// error that reading or parsing the column gave, or (from a caller that has neither) a phrase.
pub fn unexpected(
    column: usize,
    problem: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> StoreError {
    DataError::Column { column, problem: problem.into() }.into()
}

/// What reading a row finds wrong with one of its columns by itself, with no error of the
/// engine's or a parser's to give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnProblem {
    /// The statement gave no row, where one was needed.
    #[error("no row")]
    NoRow,
    /// The row has fewer columns.
    #[error("no such column")]
    NoSuchColumn,
    /// A value was needed.
    #[error("null")]
    Null,
    /// An integer was needed.
    #[error("not an integer")]
    NotAnInteger,
    /// A boolean (or SQLite's 0 or 1) was needed.
    #[error("not a boolean")]
    NotABoolean,
    /// Text was needed.
    #[error("not text")]
    NotText,
    /// Bytes were needed.
    #[error("not bytes")]
    NotBytes,
    /// SQLite holds a floating-point value, which no column of the schema does.
    #[error("a real number")]
    RealNumber,
    /// PostgreSQL gave a column of a type that no column of the schema has.
    #[error("a column of type {0}")]
    OfType(tokio_postgres::types::Type),
}

/// Where the two engines' SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// What a `SELECT` ends with to lock the rows it reads until the transaction ends.
    /// PostgreSQL writers run side by side and need it; SQLite has one writer at a time.
    pub fn for_update(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE",
        }
    }

    /// A statement that holds a lock on one phone number (its duplicate key, `$1`) until the
    /// transaction ends, for writes that read and change other customers' rows of that number
    /// (the review's shared bit): PostgreSQL's transaction-scoped advisory lock; nothing on
    /// SQLite, whose writers take turns.
    pub fn lock_number(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            Self::Postgres => Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"),
        }
    }

    /// The column of `customer_search` that holds the customer's `seq`: an FTS5 table's own
    /// `rowid` in SQLite, a column of its own in PostgreSQL.
    pub fn search_key(self) -> &'static str {
        match self {
            Self::Sqlite => "rowid",
            Self::Postgres => "customer_seq",
        }
    }

    /// The rows of a JSON array of strings given as parameter `$n`, as a one-column table.
    pub fn json_strings(self, n: usize) -> String {
        match self {
            Self::Sqlite => format!("SELECT value FROM json_each(${n})"),
            Self::Postgres => format!("SELECT json_array_elements_text(CAST(${n} AS JSON))"),
        }
    }
}

/// A connection, or a transaction on one: what every query of the store runs on.
pub trait Sql {
    /// Which engine this is.
    fn dialect(&self) -> Dialect;

    /// Runs `statement` and returns every row.
    ///
    /// # Errors
    /// When the database fails.
    fn rows(&mut self, statement: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError>;

    /// Runs `statement` as [`Sql::rows`] does, but planned for these parameters' values: for a
    /// query whose best plan depends on them (a search: how many rows do its words match?),
    /// where one plan for any values, which an engine may cache, can be far off.
    ///
    /// # Errors
    /// When the database fails.
    fn rows_planned_for_values(
        &mut self,
        statement: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Row>, StoreError> {
        self.rows(statement, params)
    }

    /// Runs `statement` and returns how many rows it changed.
    ///
    /// # Errors
    /// When the database fails.
    fn execute(&mut self, statement: &str, params: &[Param<'_>]) -> Result<u64, StoreError>;
}

impl dyn Sql + '_ {
    /// The first row, if any.
    ///
    /// # Errors
    /// When the database fails.
    pub fn optional_row(
        &mut self,
        statement: &str,
        params: &[Param<'_>],
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.rows(statement, params)?.into_iter().next())
    }

    /// The first row, which must exist.
    ///
    /// # Errors
    /// When the database fails or there is no row.
    pub fn row(&mut self, statement: &str, params: &[Param<'_>]) -> Result<Row, StoreError> {
        self.optional_row(statement, params)?.ok_or_else(|| unexpected(0, ColumnProblem::NoRow))
    }
}
