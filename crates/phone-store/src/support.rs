//! What the tests and the benchmarks use, not the server (behind the `test-support` feature):
//! the invariant query the crash tests check, and a loader that fills a database far faster
//! than requests would.

use phone_model::{customer_document, fold};

use super::sql::{Dialect, Param, Value, params};
use super::{DataError, Location, OperationError, Store, StoreError};

/// The benchmark customers' first names.
pub const BENCH_FIRST_NAMES: [&str; 20] = [
    "Aroha", "John", "Mere", "Liam", "Sarah", "Wiremu", "Emma", "Hemi", "Olivia", "Tama", "Grace",
    "Noah", "Aria", "Jack", "Ruby", "Nikau", "Isla", "Leo", "Maia", "Oscar",
];

/// The benchmark customers' last names.
pub const BENCH_LAST_NAMES: [&str; 20] = [
    "Ngata", "Smith", "Tipene", "Wilson", "Brown", "Walker", "Taylor", "Parata", "Clarke", "Wood",
    "Thompson", "Robinson", "Kereama", "White", "Harris", "Martin", "Young", "King", "Hohaia",
    "Scott",
];

impl Store {
    /// Customers with other than exactly one primary number (each with its count).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn customers_without_one_primary(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.read(|db| {
            db.rows(
                "SELECT c.customer_id, count(p.seq)
                 FROM customers c LEFT JOIN phone_numbers p ON p.customer_seq = c.seq AND p.is_primary
                 GROUP BY c.seq, c.customer_id HAVING count(p.seq) <> 1",
                &[],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.int(1)?)))
            .collect()
        })
    }

    /// Runs one statement with text parameters, as a test that sets up what requests cannot
    /// (say, a row from before a rule changed) would; how many rows it changed.
    ///
    /// # Errors
    /// When the database fails.
    pub fn execute(&self, statement: &str, params: &[&str]) -> Result<u64, StoreError> {
        let params: Vec<Param<'_>> = params.iter().map(|p| Param::Text(p)).collect();
        self.write(|db| db.execute(statement, &params))
    }

    /// SQLite: holds the database's write lock (a write transaction that does nothing) for
    /// `time`, calling `taken` once it has it, as another process's long write or a forgotten
    /// `BEGIN IMMEDIATE` in a shell would. (PostgreSQL has no such lock.)
    ///
    /// # Errors
    /// When the lock cannot be taken.
    pub fn hold_write_lock(
        &self,
        time: std::time::Duration,
        taken: impl FnOnce(),
    ) -> Result<(), StoreError> {
        self.write(|_| {
            taken();
            std::thread::sleep(time);
            Ok(())
        })
    }

    /// The tables [`Store::dump`] reads, each with its columns: `settings` and those `copy`
    /// copies, which are the same.
    pub fn dumped_tables() -> Vec<(&'static str, &'static [&'static str])> {
        std::iter::once(("settings", ["name", "value"].as_slice()))
            .chain(super::copy::TABLES.iter().copied())
            .collect()
    }

    /// The tables a database has that neither `dump` nor `copy` reads, each with why.
    pub fn tables_left_out() -> &'static [(&'static str, &'static str)] {
        super::copy::LEFT_OUT
    }

    /// Every column of every table the database has, as its engine describes them (SQLite's
    /// `pragma_table_info`, PostgreSQL's `information_schema.columns`), in each table's order:
    /// the table, the column, its declared type and whether it is `NOT NULL` (SQLite's primary
    /// keys count, which its pragma leaves out). SQLite's own tables and the search index's
    /// shadow tables are left out: no migration names them.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn columns(&self) -> Result<Vec<(String, String, String, bool)>, StoreError> {
        self.read(|db| {
            let statement = match db.dialect() {
                Dialect::Sqlite => {
                    "SELECT t.name, c.name, c.type, c.\"notnull\" OR c.pk > 0
                     FROM pragma_table_list AS t, pragma_table_info(t.name) AS c
                     WHERE t.schema = 'main' AND t.type IN ('table', 'virtual')
                       AND substr(t.name, 1, 7) <> 'sqlite_'
                     ORDER BY t.name, c.cid"
                }
                Dialect::Postgres => {
                    "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT),
                            CAST(data_type AS TEXT), is_nullable = 'NO'
                     FROM information_schema.columns WHERE table_schema = current_schema()
                     ORDER BY table_name, ordinal_position"
                }
            };
            db.rows(statement, &[])?
                .iter()
                .map(|row| Ok((row.text(0)?, row.text(1)?, row.text(2)?, row.bool(3)?)))
                .collect()
        })
    }

    /// Every row of every table (keys included), each as text, sorted: what two databases
    /// holding the same deployment have alike, whichever engine each is on (a boolean reads
    /// as `1` or `0` on both).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn dump(&self) -> Result<Vec<(&'static str, Vec<String>)>, StoreError> {
        self.read(|db| {
            Self::dumped_tables()
                .into_iter()
                .map(|(table, columns)| {
                    let rows =
                        db.rows(&format!("SELECT {} FROM {table}", columns.join(", ")), &[])?;
                    let mut rows: Vec<String> = rows
                        .iter()
                        .map(|row| {
                            let values: Vec<String> = row.0.iter().map(Value::as_text).collect();
                            values.join(" | ")
                        })
                        .collect();
                    rows.sort();
                    Ok((table, rows))
                })
                .collect()
        })
    }

    /// The database's whole schema, one line per table, index, constraint, column or
    /// extension, with the versions its migrations are recorded as, sorted: what two
    /// databases of one schema have alike, however each got there.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn schema(&self) -> Result<Vec<String>, StoreError> {
        self.read(|db| {
            let statement = match db.dialect() {
                Dialect::Sqlite => {
                    "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '')
                     FROM sqlite_schema
                     UNION ALL SELECT 'user_version ' || user_version FROM pragma_user_version"
                }
                Dialect::Postgres => {
                    "SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position
                            || ' ' || data_type || ' nullable ' || is_nullable
                            || ' identity ' || is_identity
                            || ' default ' || coalesce(column_default, '-')
                            || ' collation ' || coalesce(collation_name, '-')
                     FROM information_schema.columns WHERE table_schema = current_schema()
                     UNION ALL
                     SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ': '
                            || pg_get_constraintdef(oid)
                     FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                     UNION ALL
                     SELECT 'index ' || indexname || ' on ' || tablename || ': ' || indexdef
                     FROM pg_indexes WHERE schemaname = current_schema()
                     UNION ALL SELECT 'extension ' || extname FROM pg_extension
                     UNION ALL SELECT 'version ' || version || ' ' || coalesce(name, '-')
                               FROM schema_migrations"
                }
            };
            let mut lines: Vec<String> =
                db.rows(statement, &[])?.iter().map(|row| row.text(0)).collect::<Result<_, _>>()?;
            lines.sort();
            Ok(lines)
        })
    }

    /// Makes a new database at `location` as phone-server 0.3.0 made one whose migrations were
    /// `migrations` (their SQL, in order): each applied as it is, and counted as that release
    /// counted them, in SQLite's `user_version` or in PostgreSQL's `schema_migrations
    /// (version)`, a row per migration. What a test of an upgrade from that release opens.
    ///
    /// # Errors
    /// When the database cannot be made, or a migration fails.
    pub fn make_as_0_3_0(location: &Location, migrations: &[&str]) -> Result<(), StoreError> {
        match location {
            Location::Sqlite(path) => {
                let connection = super::sqlite::connect(path, true)?;
                for (version, sql) in (1..).zip(migrations) {
                    connection
                        .execute_batch(&format!(
                            "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                        ))
                        .map_err(|error| StoreError::Database(Box::new(error)))?;
                }
                Ok(())
            }
            Location::Postgres(url) => {
                let mut statements =
                    "BEGIN;\nCREATE TABLE schema_migrations (version BIGINT PRIMARY KEY);\n"
                        .to_owned();
                for (version, sql) in (1..).zip(migrations) {
                    statements += &format!(
                        "{sql}\nINSERT INTO schema_migrations (version) VALUES ({version});\n"
                    );
                }
                statements += "COMMIT;";
                super::postgres::Engine::run_unmigrated(url, &statements)
            }
        }
    }

    /// Fills the database for a benchmark: `customers` customers of business `business_id`, each
    /// with `per_customer` numbers (at most 100; the first primary), in one transaction, set by
    /// set. Returns the last customer's id. The rows are what requests would write: the names
    /// cycle through [`BENCH_FIRST_NAMES`] × [`BENCH_LAST_NAMES`], so a name is shared by one
    /// customer in 400, and the numbers (`09` and seven digits) are spread and, up to 8,000,000 of
    /// them, each its own (7919 is prime to 8,000,000, and `seq × per_customer + i` never
    /// repeats). The ids are spread over the ten-digit range like the server's random ones, and
    /// never repeat.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn fill_for_benchmark(
        &self,
        business_id: &str,
        customers: usize,
        per_customer: usize,
    ) -> Result<String, OperationError> {
        let (customers, per_customer) = (customers as i64, per_customer.min(100) as i64);
        let names = |list: &[&str]| {
            let rows: Vec<String> =
                list.iter().enumerate().map(|(k, name)| format!("({k}, '{name}')")).collect();
            rows.join(", ")
        };
        self.write(|db| {
            let start = db.row("SELECT coalesce(max(seq), 0) FROM customers", &[])?.int(0)?;
            db.execute(
                &format!(
                    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1),
                          firsts (k, name) AS (VALUES {}),
                          lasts (k, name) AS (VALUES {})
                     INSERT INTO customers (customer_id, business_id, first_name, last_name,
                                            external_reference)
                     SELECT CAST(1000000000 + (CAST($2 AS BIGINT) + n.i) * 7907 % 9000000000 AS TEXT), $3,
                            f.name, l.name, ''
                     FROM n JOIN firsts f ON f.k = n.i % 20 JOIN lasts l ON l.k = n.i / 20 % 20
                     ORDER BY n.i",
                    names(&BENCH_FIRST_NAMES),
                    names(&BENCH_LAST_NAMES)
                ),
                params![customers, start, business_id],
            )?;
            db.execute(
                "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1)
                 INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                            area_code, phone_number, phone_type, is_primary,
                                            duplicate_key, digits_reversed)
                 SELECT CAST(8000000000 + x.seq * 100 + x.i AS TEXT), x.seq, 'Bench', '+64', '09',
                        x.number, 'home', x.i = 0, '+649' || x.number,
                        substr(x.number, 7, 1) || substr(x.number, 6, 1) || substr(x.number, 5, 1)
                        || substr(x.number, 4, 1) || substr(x.number, 3, 1)
                        || substr(x.number, 2, 1) || substr(x.number, 1, 1) || '946'
                 FROM (SELECT c.seq, n.i,
                              CAST(2000000 + ((c.seq * $1 + n.i) * 7919 + 4321) % 8000000 AS TEXT) AS number
                       FROM customers c CROSS JOIN n WHERE c.seq > $2) x",
                params![per_customer, start],
            )?;
            // Each customer's search document as `customer_document` makes it (the names are
            // plain ASCII, which `lower` folds as the core does); checked on the first.
            let business = db
                .row("SELECT name FROM businesses WHERE business_id = $1", params![business_id])?
                .text(0)?;
            let key = db.dialect().search_key();
            db.execute(
                &format!(
                    "INSERT INTO customer_search ({key}, document)
                     SELECT seq, ' ' || lower(first_name) || ' ' || lower(last_name) || ' '
                                 || customer_id || ' ' || $1 || ' '
                     FROM customers WHERE seq > $2"
                ),
                params![fold(&business).as_str(), start],
            )?;
            let first = db.optional_row(
                &format!(
                    "SELECT c.first_name, c.last_name, c.customer_id, s.document FROM customers c
                     JOIN customer_search s ON s.{key} = c.seq WHERE c.seq = $1"
                ),
                params![start + 1],
            )?;
            if let Some(first) = first {
                let (given, family, id) = (first.text(0)?, first.text(1)?, first.text(2)?);
                if first.text(3)? != customer_document(&given, &family, "", &id, &business) {
                    return Err(StoreError::from(DataError::BenchmarkDocuments).into());
                }
            }
            let last =
                db.row("SELECT customer_id FROM customers ORDER BY seq DESC LIMIT 1", &[])?;
            Ok(last.text(0)?)
        })
    }

    /// Spoils a benchmark's numbers for the review, as years of use would: every `every`th
    /// number becomes a landline saved as a mobile, and every `every * 10`th (plus one) the one
    /// office number many customers share. Then judges every number again, as a server does once
    /// after the plans change, and returns how long that took.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn spoil_for_review(&self, every: i64) -> Result<std::time::Duration, StoreError> {
        self.write(|db| {
            db.execute(
                "UPDATE phone_numbers SET phone_type = 'mobile' WHERE seq % $1 = 0",
                params![every],
            )?;
            db.execute(
                "UPDATE phone_numbers SET phone_number = '3770000', duplicate_key = '+6493770000',
                        digits_reversed = '0000773946'
                 WHERE seq % $1 = 1",
                params![every * 10],
            )?;
            let judging = std::time::Instant::now();
            super::verdicts::remake_verdicts(db)?;
            Ok(judging.elapsed())
        })
    }
}
