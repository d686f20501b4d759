//! The schema's versions: the numbered migrations each engine embeds, and the one decision of
//! what to do with a database at a given version (make it, migrate it, serve it, or refuse
//! it), logged loudly whenever it changes the database.
//!
//! Both engines number their migrations alike: `migrations/sqlite/0007_signing_keys.sql` and
//! `migrations/postgres/0007_signing_keys.sql` are the same change, and a database at
//! version 7 has had it, whichever engine it is on. Up to 0.3.0 PostgreSQL's were numbered
//! apart (see [`postgres_version_from_0_3_0`]).

use std::time::Instant;

use super::StoreError;

/// How a database is opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Opening {
    /// Make the database if there is none (a SQLite file, or the schema in an empty
    /// PostgreSQL database). Without it, a missing database is an error naming it: a
    /// mistyped `--database` must not start on a new, empty one.
    pub create: bool,
    /// Serve a database a newer `phone-server` migrated beyond this one's schema, instead of
    /// refusing it. Safe only when every newer migration merely adds (README, "Upgrading").
    pub allow_newer_schema: bool,
}

/// One migration: the name of its file in `migrations/<engine>/`, and its SQL.
#[derive(Debug)]
pub(super) struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

/// `migration!("sqlite", "0001_customers_and_phone_numbers")`: the file, embedded.
macro_rules! migration {
    ($engine:literal, $name:literal) => {
        $crate::schema::Migration {
            name: $name,
            sql: include_str!(concat!("../migrations/", $engine, "/", $name, ".sql")),
        }
    };
}
pub(super) use migration;

/// How many of PostgreSQL's first migrations 0.3.0 had squashed into its first,
/// `0001_schema`, beyond that one.
const SQUASHED_BY_0_3_0: i64 = 2;

/// The version of today's numbering for a PostgreSQL database that phone-server 0.3.0 (or an
/// older release) recorded as at `version` of its own.
///
/// Up to 0.3.0 PostgreSQL had its own numbers: its `0001_schema` made at once what SQLite's
/// 0001 to 0003 make (a PostgreSQL database started at the schema of its day), so its
/// `0002_search` was SQLite's `0004_search`, and so on to its 0006, SQLite's 0008. Since
/// issue 34 the two folders hold the same numbers for the same changes: `0001_schema` is split
/// into SQLite's 0001 to 0003, the rest renamed, their SQL unchanged. A database whose
/// `schema_migrations` has no `name` column is numbered the old way, and is renumbered once,
/// in the transaction that would migrate it: its version n (n ≥ 1) becomes n + 2. That is
/// safe because old version n holds exactly what new n + 2 makes (old 0001 = new 0001 to 0003;
/// each later file is the same SQL), so no migration runs twice and none is skipped:
/// `tests/api/schema.rs` makes a database with 0.3.0's own files at each of its versions and
/// finds, once it is opened, the schema and recorded versions of a new one. 0 stays 0:
/// nothing was applied.
pub(super) fn postgres_version_from_0_3_0(version: i64) -> i64 {
    if version > 0 { version + SQUASHED_BY_0_3_0 } else { version }
}

/// Whether a database at schema version `done` is newer than `known` reaches: a newer server
/// migrated it.
pub(super) fn is_newer(done: i64, known: &[Migration]) -> bool {
    usize::try_from(done).is_ok_and(|done| done > known.len())
}

/// The migrations a database at schema version `done` (how many it has had) still needs,
/// or why it must not be opened. `database` names it in messages and the log.
///
/// # Errors
/// [`StoreError::NoSchema`] for a database without any (unless `opening.create`);
/// [`StoreError::NewerSchema`] for one beyond `known` (unless `opening.allow_newer_schema`).
pub(super) fn pending<'a>(
    database: &str,
    done: i64,
    known: &'a [Migration],
    opening: Opening,
) -> Result<&'a [Migration], StoreError> {
    let newer = is_newer(done, known);
    let done = usize::try_from(done).unwrap_or(0);
    if done == 0 && !opening.create {
        return Err(StoreError::NoSchema(database.to_owned()));
    }
    if newer {
        if !opening.allow_newer_schema {
            return Err(StoreError::NewerSchema {
                database: database.to_owned(),
                found: done,
                known: known.len(),
            });
        }
        tracing::warn!(
            database,
            schema_version = done,
            known = known.len(),
            "serving a database a newer phone-server migrated, as --allow-newer-schema says"
        );
        return Ok(&[]);
    }
    let pending = &known[done..];
    if done == 0 {
        tracing::info!(database, "creating a new Phonedesk database");
    }
    if !pending.is_empty() {
        let names: Vec<&str> = pending.iter().map(|m| m.name).collect();
        tracing::info!(
            database,
            from = done,
            to = known.len(),
            migrations = %names.join(", "),
            "migrating the database's schema"
        );
    }
    Ok(pending)
}

/// Runs `apply` for each migration of `pending`, numbered from `done + 1`, logging each.
///
/// # Errors
/// What `apply` returns: the first migration that failed, which its transaction undid.
pub(super) fn run<C: ?Sized>(
    connection: &mut C,
    database: &str,
    done: i64,
    pending: &[Migration],
    mut apply: impl FnMut(&mut C, i64, &Migration) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for (version, migration) in (done + 1..).zip(pending) {
        let started = Instant::now();
        apply(connection, version, migration).map_err(|error| StoreError::Migration {
            name: migration.name,
            error: Box::new(error),
        })?;
        tracing::info!(
            database,
            migration = migration.name,
            schema_version = version,
            ms = started.elapsed().as_millis(),
            "applied a migration"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[Migration] = &[
        Migration { name: "0001_a", sql: "" },
        Migration { name: "0002_b", sql: "" },
        Migration { name: "0003_c", sql: "" },
    ];

    fn names(migrations: &[Migration]) -> Vec<&str> {
        migrations.iter().map(|m| m.name).collect()
    }

    #[test]
    fn a_database_without_a_schema_is_made_only_when_asked() {
        let refused = pending("data/typo.sqlite3", 0, KNOWN, Opening::default());
        assert!(
            matches!(&refused, Err(StoreError::NoSchema(name)) if name == "data/typo.sqlite3"),
            "{refused:?}"
        );
        let made = pending("db", 0, KNOWN, Opening { create: true, ..Opening::default() });
        assert_eq!(names(made.unwrap()), ["0001_a", "0002_b", "0003_c"]);
    }

    #[test]
    fn an_older_database_gets_the_migrations_it_lacks_and_a_current_one_none() {
        assert_eq!(
            names(pending("db", 1, KNOWN, Opening::default()).unwrap()),
            ["0002_b", "0003_c"]
        );
        assert!(pending("db", 3, KNOWN, Opening::default()).unwrap().is_empty());
    }

    #[test]
    fn postgresql_versions_0_3_0_recorded_become_those_of_the_same_migrations_now() {
        // 0.3.0's 0001_schema was today's 0001 to 0003; its 0002_search is today's 0004_search,
        // and its last, 0006_shared_number_marks, today's 0008.
        let postgres = super::super::postgres::MIGRATIONS;
        for (old, new) in [(0, 0), (1, 3), (2, 4), (6, 8)] {
            assert_eq!(postgres_version_from_0_3_0(old), new, "0.3.0's version {old}");
        }
        assert_eq!(postgres[3].name, "0004_search");
        assert_eq!(postgres[7].name, "0008_shared_number_marks");
    }

    /// The names of the files in `migrations/<engine>`, sorted.
    fn files(engine: &str) -> Vec<String> {
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(engine);
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("the migrations folder")
            .map(|entry| entry.expect("a file").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_engines_have_the_same_migrations_by_number_and_name_and_embed_every_one() {
        let (sqlite, postgres) = (files("sqlite"), files("postgres"));
        assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres");
        for (number, name) in (1..).zip(&sqlite) {
            assert!(name.starts_with(&format!("{number:04}_")), "{name} is not number {number}");
        }
        for (engine, embedded) in [
            ("sqlite", super::super::sqlite::MIGRATIONS),
            ("postgres", super::super::postgres::MIGRATIONS),
        ] {
            let embedded: Vec<String> =
                embedded.iter().map(|m| format!("{}.sql", m.name)).collect();
            assert_eq!(embedded, sqlite, "{engine}'s MIGRATIONS, in order");
        }
    }

    #[test]
    fn a_newer_database_is_refused_with_both_versions_unless_allowed() {
        let refused = pending("db", 7, KNOWN, Opening::default());
        assert!(
            matches!(refused, Err(StoreError::NewerSchema { found: 7, known: 3, .. })),
            "{refused:?}"
        );
        let message = refused.unwrap_err().to_string();
        assert!(message.contains("schema version 7") && message.contains("up to 3"), "{message}");
        let allowed = Opening { allow_newer_schema: true, ..Opening::default() };
        assert!(pending("db", 4, KNOWN, allowed).unwrap().is_empty());
    }
}
