//! What can go wrong in storage ([`StoreError`], its stored-data cases in [`DataError`]), and
//! in an operation on a customer ([`OperationError`]). Operators read these messages in logs and
//! on the command line, and tests match some of them: each is pinned by a test below.

use std::{fmt, path::PathBuf};

use phone_model::{Refusal, ValidationError};

/// What can go wrong in storage: always the server's fault, never the client's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database engine failed.
    #[error("database: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database cannot be reached now (PostgreSQL is down or refuses connections; the
    /// SQLite file cannot be opened, or another process holds its lock): worth trying again.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored value is not what the schema says, or the database not what this server needs.
    #[error("stored data: {0}")]
    Data(#[from] DataError),
    /// The SQLite linked in (its version, as SQLite gives it: `3.51.2`) is too old to be safe.
    #[error("SQLite {0} is too old: 3.51.3 or later is needed")]
    SqliteTooOld(String),
    /// The database's folder could not be created.
    #[error("database folder: {0}")]
    Folder(#[source] std::io::Error),
    /// The database's file (named) could not be created.
    #[error("database file {path}: {error}", path = .0.display(), error = .1)]
    File(PathBuf, #[source] std::io::Error),
    /// There is no SQLite file at the path, and it was not to be created.
    #[error(
        "there is no database at {path}: give the right --database, or make a new one with \
         `phone-server --database {path} init` (or start with --create-database)",
        path = .0.display()
    )]
    Missing(PathBuf),
    /// The database (named as logs show it) holds no Phonedesk schema, and it was not to be
    /// created.
    #[error(
        "{0} holds no Phonedesk database: give the right --database, or make one there with \
         `phone-server --database … init` (or start with --create-database)"
    )]
    NoSchema(String),
    /// The database (named as logs show it) is at a schema version this server does not know:
    /// a newer `phone-server` migrated it.
    #[error(
        "{database} is at schema version {found}, and this phone-server ({version}) knows \
         versions up to {known}: a newer phone-server migrated it. Run that one, or restore the \
         backup taken before the upgrade (README, \"Upgrading\"); --allow-newer-schema serves \
         it anyway, safe only when every newer migration merely adds",
        version = env!("CARGO_PKG_VERSION")
    )]
    NewerSchema { database: String, found: usize, known: usize },
    /// A migration (named) failed; its transaction was rolled back.
    #[error("migration {name} failed: {error}")]
    Migration {
        name: &'static str,
        #[source]
        error: Box<StoreError>,
    },
}

/// The cases of [`StoreError::Data`]: what was read is not what the schema says, or a
/// statement does not fit the values given to it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A column (numbered from 0 in its row) is missing, or holds what its reader does not
    /// take: the reader's own finding, or the error that reading or parsing it gave.
    #[error("column {column}: {problem}")]
    Column {
        column: usize,
        #[source]
        problem: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A statement was given a number of parameters other than its own.
    #[error("{given} parameters for a statement of {expected}")]
    ParameterCount { given: usize, expected: usize },
    /// The statement's parameter at this position is not `$` and that number: SQLite numbers
    /// parameters in the order they first appear, so they must first appear in order.
    #[error("parameter {0} is not ${0}")]
    ParameterOrder(usize),
    /// A signing key's secret is not 32 bytes long.
    #[error("a signing key that is not 32 bytes")]
    KeyLength,
    /// A signing key is for a purpose (as stored) that is neither tokens nor cursors.
    #[error("a signing key for {0:?}")]
    KeyPurpose(String),
    /// Tokens, or cursors, have no signing key.
    #[error("no signing key of a purpose")]
    NoKey,
    /// The database has had fewer of its migrations than this server knows.
    #[error("{applied} of {known} migrations applied")]
    Migrations { applied: i64, known: usize },
    /// An answer to a create could not be written down for its retries.
    #[error("{0}")]
    Answer(#[source] serde_json::Error),
    /// SQLite's backup did not copy every page in the one step it was given.
    #[error("the backup did not finish in one step ({0})")]
    UnfinishedBackup(BackupStep),
    /// A benchmark's search documents are not those the core makes (test support only).
    #[error("the benchmark's search documents differ from the core's")]
    BenchmarkDocuments,
}

/// How SQLite's backup step ended when it did not finish (`More`, `Busy`, `Locked`): its own
/// outcome, kept without naming the engine's library outside this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupStep(pub(crate) rusqlite::backup::StepResult);

/// As SQLite's library names the outcome.
impl fmt::Display for BackupStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Why an operation on a customer was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// The contract's refusal: no such customer or phone number (for this customer), or a
    /// customer of a business the caller may not see.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// A rule that needs the stored data: a duplicate, the primary rules.
    #[error("refused: {0}")]
    Invalid(#[source] ValidationError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn says(error: impl std::error::Error, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    /// Operators read these, and tests elsewhere (`tests/api/first_run.rs`) match them.
    #[test]
    fn each_store_error_says_what_failed_in_a_sentence_of_its_own() {
        let io = || std::io::Error::other("disk full");
        says(StoreError::Database("no such table: x".into()), "database: no such table: x");
        says(StoreError::Unavailable("refused".into()), "database unavailable: refused");
        says(
            StoreError::SqliteTooOld("3.51.2".to_owned()),
            "SQLite 3.51.2 is too old: 3.51.3 or later is needed",
        );
        says(StoreError::Folder(io()), "database folder: disk full");
        says(
            StoreError::File("data/pd.sqlite3".into(), io()),
            "database file data/pd.sqlite3: disk full",
        );
        says(
            StoreError::Missing("data/pd.sqlite3".into()),
            "there is no database at data/pd.sqlite3: give the right --database, or make a new \
             one with `phone-server --database data/pd.sqlite3 init` (or start with \
             --create-database)",
        );
        says(
            StoreError::NoSchema("data/pd.sqlite3".to_owned()),
            "data/pd.sqlite3 holds no Phonedesk database: give the right --database, or make one \
             there with `phone-server --database … init` (or start with --create-database)",
        );
        says(
            StoreError::NewerSchema { database: "data/pd.sqlite3".to_owned(), found: 9, known: 8 },
            &format!(
                "data/pd.sqlite3 is at schema version 9, and this phone-server ({}) knows \
                 versions up to 8: a newer phone-server migrated it. Run that one, or restore \
                 the backup taken before the upgrade (README, \"Upgrading\"); \
                 --allow-newer-schema serves it anyway, safe only when every newer migration \
                 merely adds",
                env!("CARGO_PKG_VERSION")
            ),
        );
        says(
            StoreError::Migration {
                name: "0002_search",
                error: Box::new(StoreError::Database("syntax error".into())),
            },
            "migration 0002_search failed: database: syntax error",
        );
        says(crate::sql::unexpected(3, "not text"), "stored data: column 3: not text");
    }

    /// Each case of stored data as `StoreError::Data(String)` said it, before it had a type.
    #[test]
    fn each_case_of_stored_data_says_what_it_said_as_text() {
        let data = |error: DataError| StoreError::Data(error);
        let not_json = serde_json::from_str::<u8>("x").unwrap_err();
        let cases = [
            (
                data(DataError::ParameterCount { given: 2, expected: 3 }),
                "2 parameters for a statement of 3",
            ),
            (data(DataError::ParameterOrder(1)), "parameter 1 is not $1"),
            (data(DataError::KeyLength), "a signing key that is not 32 bytes"),
            (data(DataError::KeyPurpose("mail".to_owned())), "a signing key for \"mail\""),
            (data(DataError::NoKey), "no signing key of a purpose"),
            (data(DataError::Migrations { applied: 5, known: 8 }), "5 of 8 migrations applied"),
            (data(DataError::Answer(not_json)), "expected value at line 1 column 1"),
            (
                data(DataError::UnfinishedBackup(BackupStep(rusqlite::backup::StepResult::Busy))),
                "the backup did not finish in one step (Busy)",
            ),
            (
                data(DataError::BenchmarkDocuments),
                "the benchmark's search documents differ from the core's",
            ),
        ];
        for (error, what) in cases {
            assert_eq!(error.to_string(), format!("stored data: {what}"));
        }
    }

    /// Each problem a row's reader finds reads as the phrase `unexpected` was given before.
    #[test]
    fn a_column_that_does_not_read_says_which_and_what_it_holds() {
        use crate::sql::{ColumnProblem, unexpected};
        let cases = [
            (ColumnProblem::NoRow, "no row"),
            (ColumnProblem::NoSuchColumn, "no such column"),
            (ColumnProblem::Null, "null"),
            (ColumnProblem::NotAnInteger, "not an integer"),
            (ColumnProblem::NotABoolean, "not a boolean"),
            (ColumnProblem::NotText, "not text"),
            (ColumnProblem::NotBytes, "not bytes"),
            (ColumnProblem::RealNumber, "a real number"),
            (ColumnProblem::OfType(tokio_postgres::types::Type::FLOAT8), "a column of type float8"),
        ];
        for (problem, what) in cases {
            assert_eq!(
                unexpected(2, problem).to_string(),
                format!("stored data: column 2: {what}")
            );
        }
        let not_json = serde_json::from_str::<u8>("x").unwrap_err();
        assert_eq!(
            unexpected(1, not_json).to_string(),
            "stored data: column 1: expected value at line 1 column 1"
        );
    }

    #[test]
    fn an_operation_error_says_refused_or_what_storage_said() {
        says(
            OperationError::Refused(Refusal::NotFound),
            "refused: The requested resource could not be found.",
        );
        says(
            OperationError::Invalid(ValidationError::BusinessIdInvalid),
            "refused: BusinessId is invalid.",
        );
        says(OperationError::from(StoreError::Database("locked".into())), "database: locked");
    }

    /// What wraps another error gives it as its source, for whoever walks the chain.
    #[test]
    fn a_wrapped_cause_is_the_source() {
        use std::error::Error as _;
        let migration = StoreError::Migration {
            name: "0002_search",
            error: Box::new(StoreError::Database("syntax error".into())),
        };
        let cause = migration.source().map(ToString::to_string);
        assert_eq!(cause.as_deref(), Some("database: syntax error"));
        let column = crate::sql::unexpected(3, "not text");
        let problem = column.source().and_then(std::error::Error::source);
        assert_eq!(problem.map(ToString::to_string).as_deref(), Some("not text"));
        let store = OperationError::from(StoreError::Database("locked".into()));
        assert_eq!(store.source().map(ToString::to_string).as_deref(), Some("locked"));
    }
}
