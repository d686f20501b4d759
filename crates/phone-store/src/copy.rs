//! Moving a deployment from one database to another (`phone-server copy`): every table, row
//! for row, signing keys included, so tokens, cursors and sessions issued on the old database keep
//! working on the new one. Either engine to either.

use super::search::remake_documents;
use super::sql::{Dialect, Param, Row, Sql, Value};
use super::{Store, StoreError};

/// The tables in an order that satisfies their foreign keys, each with its columns. Tables
/// with a `seq` are copied a batch at a time in its order; the rest are small.
pub(super) const TABLES: &[(&str, &[&str])] = &[
    // In place of the keys the target made when it was created (see `replace_settings`).
    ("signing_keys", &["purpose", "secret", "signs_from", "retires_at"]),
    ("businesses", &["business_id", "name"]),
    // A day's calls, so a stream resumed across the move misses none.
    ("call_events", &["seq", "business_id", "at", "event"]),
    (
        "customers",
        &["seq", "customer_id", "business_id", "first_name", "last_name", "external_reference"],
    ),
    (
        "phone_numbers",
        &[
            "seq",
            "phone_number_id",
            "customer_seq",
            "phone_name",
            "country_code",
            "area_code",
            "phone_number",
            "phone_type",
            "is_primary",
            "duplicate_key",
            "digits_reversed",
            "review",
        ],
    ),
    (
        "phone_number_changes",
        &["seq", "customer_seq", "phone_number_id", "at", "actor", "action", "before", "after"],
    ),
    (
        "shared_number_marks",
        &["business_id", "duplicate_key", "customer_seq", "marked_by", "marked_at"],
    ),
    (
        "clients",
        &[
            "client_id",
            "name",
            "secret_hash",
            "created_at",
            "all_businesses",
            "read_only",
            "twilio_auth_token",
        ],
    ),
    ("client_businesses", &["client_id", "business_id"]),
    ("users", &["username", "password_hash", "role", "created_at", "all_businesses", "demo"]),
    ("user_businesses", &["username", "business_id"]),
    ("sessions", &["token_hash", "username", "last_seen", "started_at"]),
    // A day's answers to creates, so a client's retry across the move is still answered.
    ("idempotency_keys", &["scope", "key", "fingerprint", "created_at", "response"]),
];

/// The tables a database may have that neither `copy` nor `dump` reads, and why. With
/// `settings` and [`TABLES`] they are every table a migrated database has: a test compares
/// the three with each engine's own description of a new database (`tests/api/schema.rs`).
#[cfg(any(test, feature = "test-support"))]
pub(super) const LEFT_OUT: &[(&str, &str)] = &[
    ("customer_search", "the search index, each engine's own: copy makes it anew from the rows"),
    ("schema_migrations", "PostgreSQL's record of its migrations (SQLite's is user_version)"),
];

/// Rows per batch of a `seq` table.
const BATCH: i64 = 2_000;

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The target already holds customers, businesses, clients or users.
    #[error(
        "the target database already holds data (customers, businesses, clients or users): \
         copy only into a new, empty one"
    )]
    TargetNotEmpty,
    /// Either database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Copies everything in this database into `target`, which must hold no data yet, in one
    /// transaction on each side (the source is read as of one moment). Returns how many rows
    /// each table had.
    ///
    /// # Errors
    /// [`CopyError::TargetNotEmpty`], or when either database fails.
    pub fn copy_to(&self, target: &Store) -> Result<Vec<(&'static str, u64)>, CopyError> {
        self.write(|source| {
            if source.dialect() == Dialect::Postgres {
                source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", &[])?;
            }
            target.write(|target| {
                if holds_data(target)? {
                    return Err(CopyError::TargetNotEmpty);
                }
                replace_settings(source, target)?;
                let mut counts = Vec::new();
                for (table, columns) in TABLES {
                    counts.push((*table, copy_table(source, target, table, columns)?));
                }
                // The search documents are each engine's own index: made anew from the rows.
                remake_documents(target, None)?;
                if target.dialect() == Dialect::Postgres {
                    // Rows came with their `seq`: new rows continue after the largest.
                    for (table, _) in TABLES.iter().filter(|(_, columns)| columns[0] == "seq") {
                        target.rows(
                            &format!(
                                "SELECT setval(pg_get_serial_sequence('{table}', 'seq'),
                                               (SELECT coalesce(max(seq), 0) + 1 FROM {table}),
                                               false)"
                            ),
                            &[],
                        )?;
                    }
                }
                Ok(counts)
            })
        })
    }
}

fn holds_data(db: &mut dyn Sql) -> Result<bool, StoreError> {
    db.row(
        "SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM businesses)
             OR EXISTS (SELECT 1 FROM clients) OR EXISTS (SELECT 1 FROM users)",
        &[],
    )?
    .bool(0)
}

/// The source's settings replace the target's, and the keys the target made when it was
/// created go, for the source's to be copied.
fn replace_settings(source: &mut dyn Sql, target: &mut dyn Sql) -> Result<(), StoreError> {
    for row in source.rows("SELECT name, value FROM settings ORDER BY name", &[])? {
        target.execute(
            "INSERT INTO settings (name, value) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &params_of(&row),
        )?;
    }
    target.execute("DELETE FROM signing_keys", &[]).map(drop)
}

fn copy_table(
    source: &mut dyn Sql,
    target: &mut dyn Sql,
    table: &str,
    columns: &[&str],
) -> Result<u64, StoreError> {
    let list = columns.join(", ");
    let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let insert = format!("INSERT INTO {table} ({list}) VALUES ({})", placeholders.join(", "));
    let mut copied = 0;
    if columns[0] == "seq" {
        let select = format!("SELECT {list} FROM {table} WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut after = 0;
        loop {
            let rows = source.rows(&select, &[Param::Int(after), Param::Int(BATCH)])?;
            let Some(last) = rows.last() else { break };
            after = last.int(0)?;
            for row in &rows {
                copied += target.execute(&insert, &params_of(row))?;
            }
        }
    } else {
        for row in source.rows(&format!("SELECT {list} FROM {table}"), &[])? {
            copied += target.execute(&insert, &params_of(&row))?;
        }
    }
    Ok(copied)
}

/// A row's values as the parameters of the statement that writes it again.
fn params_of(row: &Row) -> Vec<Param<'_>> {
    row.0
        .iter()
        .map(|value| match value {
            Value::Null => Param::Null,
            Value::Int(value) => Param::Int(*value),
            Value::Bool(value) => Param::Bool(*value),
            Value::Text(text) => Param::Text(text),
            Value::Bytes(bytes) => Param::Bytes(bytes),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_copy_says_why_and_a_failed_one_what_failed() {
        assert_eq!(
            CopyError::TargetNotEmpty.to_string(),
            "the target database already holds data (customers, businesses, clients or users): \
             copy only into a new, empty one"
        );
        let failed = CopyError::from(StoreError::Database("disk I/O error".into()));
        assert_eq!(failed.to_string(), "database: disk I/O error");
    }
}
