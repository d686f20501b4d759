//! The schema itself, on the suite's engine: a database phone-server 0.3.0 made, at any of its
//! versions, opens migrated to the schema a new database has.

use phone_server::store::{Location, Store};

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
