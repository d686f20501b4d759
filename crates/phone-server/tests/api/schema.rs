//! The schema itself, on the suite's engine: the tables and columns the migrations make are
//! those `copy` and `dump` read (on PostgreSQL, of the same kinds as SQLite's), and a database
//! phone-server 0.3.0 made, at any of its versions, opens migrated to the schema a new
//! database has.

use phone_store::{Location, Store};

use crate::server::new_database;

/// The migrations phone-server 0.3.0 shipped, as it shipped them (`tests/data/released-0.3.0`).
const RELEASED_SQLITE: &[&str] = &[
    include_str!("../data/released-0.3.0/sqlite/0001_customers_and_phone_numbers.sql"),
    include_str!("../data/released-0.3.0/sqlite/0002_access_and_history.sql"),
    include_str!("../data/released-0.3.0/sqlite/0003_tenancy.sql"),
    include_str!("../data/released-0.3.0/sqlite/0004_search.sql"),
    include_str!("../data/released-0.3.0/sqlite/0005_idempotency.sql"),
    include_str!("../data/released-0.3.0/sqlite/0006_review.sql"),
    include_str!("../data/released-0.3.0/sqlite/0007_signing_keys.sql"),
    include_str!("../data/released-0.3.0/sqlite/0008_shared_number_marks.sql"),
];
const RELEASED_POSTGRES: &[&str] = &[
    include_str!("../data/released-0.3.0/postgres/0001_schema.sql"),
    include_str!("../data/released-0.3.0/postgres/0002_search.sql"),
    include_str!("../data/released-0.3.0/postgres/0003_idempotency.sql"),
    include_str!("../data/released-0.3.0/postgres/0004_review.sql"),
    include_str!("../data/released-0.3.0/postgres/0005_signing_keys.sql"),
    include_str!("../data/released-0.3.0/postgres/0006_shared_number_marks.sql"),
];

/// Rows that every version of the schema can hold, written with the last migration.
const ROWS: &str = "
    INSERT INTO businesses (business_id, name) VALUES ('7777777', 'Old Business');
    INSERT INTO customers (customer_id, business_id, first_name, last_name, external_reference)
    VALUES ('1234567', '7777777', 'Aroha', 'Ngata', 'from 0.3.0');";

/// A column as the tests compare them: its table, its name, its declared type and whether it
/// is `NOT NULL`.
type Column = (String, String, String, bool);

#[test]
fn a_new_database_has_the_tables_and_columns_copy_and_dump_read_and_no_others() {
    let folder = tempfile::tempdir().unwrap();
    let database = new_database(folder.path());
    let columns = Store::create(&database).unwrap().columns().unwrap();

    let mut wrong = differences(&columns);
    for (table, column, declared, _) in copied(&columns) {
        if kind(declared).is_none() {
            wrong.push(format!("{table}.{column} is {declared}, which the store does not read"));
        }
    }
    if let Location::Postgres(_) = database {
        let sqlite = Location::Sqlite(folder.path().join("beside.sqlite3"));
        let sqlite = Store::create(&sqlite).unwrap().columns().unwrap();
        wrong.extend(disagreements(&sqlite, &columns));
    }
    assert!(wrong.is_empty(), "{database:?}:\n{}", wrong.join("\n"));
}

/// How `columns` differ from the tables and columns `dump` and `copy` read
/// (`phone_store`'s `copy::TABLES` and `settings`), both ways, and from those they leave out
/// (`copy::LEFT_OUT`, of which an engine may lack some).
fn differences(columns: &[Column]) -> Vec<String> {
    let dumped = Store::dumped_tables();
    let left_out: Vec<&str> = Store::tables_left_out().iter().map(|(table, _)| *table).collect();
    let mut tables: Vec<&str> = columns.iter().map(|(table, ..)| table.as_str()).collect();
    tables.dedup();
    let mut wrong = Vec::new();
    for table in &tables {
        if !left_out.contains(table) && !dumped.iter().any(|(t, _)| t == table) {
            wrong.push(format!("table {table} is neither in copy::TABLES nor in copy::LEFT_OUT"));
        }
    }
    for (table, listed) in &dumped {
        if !tables.contains(table) {
            wrong.push(format!("table {table} is in copy::TABLES, not in the database"));
            continue;
        }
        let real: Vec<&str> =
            columns.iter().filter(|(t, ..)| t == table).map(|(_, c, ..)| c.as_str()).collect();
        for column in real.iter().filter(|c| !listed.contains(c)) {
            wrong.push(format!("{table}.{column} is in the database, not in copy::TABLES"));
        }
        for column in listed.iter().filter(|c| !real.contains(c)) {
            wrong.push(format!("{table}.{column} is in copy::TABLES, not in the database"));
        }
    }
    wrong
}

/// The columns of `columns` that `dump` and `copy` read.
fn copied(columns: &[Column]) -> impl Iterator<Item = (&str, &str, &str, bool)> {
    let dumped = Store::dumped_tables();
    columns
        .iter()
        .filter(move |(table, ..)| dumped.iter().any(|(t, _)| t == table))
        .map(|(table, column, declared, not_null)| (&**table, &**column, &**declared, *not_null))
}

/// What the store reads a column's values as, by its declared type on either engine: SQLite
/// keeps booleans as integers, and `copy` writes them back as PostgreSQL's `boolean`.
fn kind(declared: &str) -> Option<&'static str> {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "boolean" => Some("integer"),
        "text" => Some("text"),
        "blob" | "bytea" => Some("bytes"),
        _ => None,
    }
}

/// Where a copied column's kind or `NOT NULL` differs between the two engines.
fn disagreements(sqlite: &[Column], postgres: &[Column]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (table, column, declared, not_null) in copied(postgres) {
        let Some((_, _, lite, lite_not_null)) =
            copied(sqlite).find(|(t, c, ..)| (*t, *c) == (table, column))
        else {
            wrong.push(format!("{table}.{column} is on PostgreSQL, not on SQLite"));
            continue;
        };
        if kind(declared) != kind(lite) || not_null != lite_not_null {
            let null = |not_null: bool| if not_null { "NOT NULL" } else { "NULL" };
            wrong.push(format!(
                "{table}.{column} is {declared} {} on PostgreSQL, {lite} {} on SQLite",
                null(not_null),
                null(lite_not_null)
            ));
        }
    }
    wrong
}

#[test]
fn a_database_0_3_0_made_opens_at_any_of_its_versions_with_a_new_ones_schema_and_its_rows() {
    let folder = tempfile::tempdir().unwrap();
    let new = new_database(&folder.path().join("new"));
    let released = match new {
        Location::Sqlite(_) => RELEASED_SQLITE,
        Location::Postgres(_) => RELEASED_POSTGRES,
    };
    let new = Store::create(&new).unwrap();
    let (_, known) = new.migrations().unwrap();
    let schema = new.schema().unwrap();

    for version in 1..=released.len() {
        let mut migrations = released[..version].to_vec();
        let last = format!("{}\n{ROWS}", migrations[version - 1]);
        migrations[version - 1] = &last;
        let old_folder = folder.path().join(format!("0.3.0-at-{version}"));
        std::fs::create_dir(&old_folder).unwrap();
        let old = new_database(&old_folder);
        Store::make_as_0_3_0(&old, &migrations).unwrap();

        let opened = Store::open(&old).unwrap_or_else(|e| panic!("at version {version}: {e}"));

        let applied = opened.migrations().unwrap();
        assert_eq!(applied, (i64::try_from(known).unwrap(), known), "at version {version}");
        assert_same_schema(&opened.schema().unwrap(), &schema, version);
        let customers = opened.dump().unwrap().into_iter().find(|(t, _)| *t == "customers");
        let customers = customers.expect("a customers table").1;
        assert_eq!(customers.len(), 1, "at version {version}");
        assert!(customers[0].contains("\"from 0.3.0\""), "{customers:?}");
    }
}

/// Fails naming the lines of one schema that the other lacks.
#[track_caller]
fn assert_same_schema(opened: &[String], new: &[String], version: usize) {
    let lacking = |one: &[String], other: &[String]| -> Vec<String> {
        one.iter().filter(|line| !other.contains(line)).cloned().collect()
    };
    let (missing, extra) = (lacking(new, opened), lacking(opened, new));
    assert!(
        missing.is_empty() && extra.is_empty(),
        "from 0.3.0's version {version}, the schema lacks {missing:#?}\nand has besides {extra:#?}"
    );
}
