//! What the tests and the benchmarks use, not the server: the invariant query the crash test
//! checks, and a loader that fills a database far faster than requests would.

use rusqlite::params;

use super::{OperationError, Store, StoreError};

impl Store {
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
}
