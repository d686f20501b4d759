//! A business's customers with their numbers, a page of customers at a time: what an import
//! matches its rows against, and what an export writes, without 100,000 customers ever held
//! at once.

use phone_model::{PhoneNumberResource, Problem};

use super::rows::{columns_of, phone_number_from};
use super::sql::params;
use super::{Page, Store, StoreError};

/// A customer of the business, with every number of theirs.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub customer_id: String,
    pub first_name: String,
    pub last_name: String,
    pub external_reference: String,
    /// Each number with its duplicate key and the review's problems with it.
    pub numbers: Vec<RosterNumber>,
}

#[derive(Debug, Clone)]
pub struct RosterNumber {
    pub number: PhoneNumberResource,
    pub duplicate_key: String,
    pub problems: Vec<Problem>,
}

/// How many customers are read at a time.
const PAGE: u32 = 1000;

impl Store {
    /// Gives `each` every customer of `business_id`, oldest first, each with their numbers
    /// (primary first), read a page of customers at a time.
    ///
    /// # Errors
    /// When the database cannot be read, or `each` fails: nothing more is read then.
    pub fn each_in_roster<E: From<StoreError>>(
        &self,
        business_id: &str,
        mut each: impl FnMut(RosterEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut after = 0;
        loop {
            let page = self.roster_page(business_id, after, PAGE)?;
            for entry in page.items {
                each(entry)?;
            }
            match page.next_after {
                Some(next) => after = next,
                None => return Ok(()),
            }
        }
    }

    /// Up to `size` customers of `business_id` after the one at `after` (0: from the first).
    fn roster_page(
        &self,
        business_id: &str,
        after: i64,
        size: u32,
    ) -> Result<Page<RosterEntry>, StoreError> {
        let statement = format!(
            "SELECT c.seq, c.customer_id, c.first_name, c.last_name, c.external_reference,
                    p.duplicate_key, p.review, {}
             FROM customers c LEFT JOIN phone_numbers p ON p.customer_seq = c.seq
             WHERE c.seq IN (SELECT seq FROM customers WHERE business_id = $1 AND seq > $2
                             ORDER BY seq LIMIT $3)
             ORDER BY c.seq, p.is_primary DESC, p.seq",
            columns_of("p")
        );
        let rows =
            self.read(|db| db.rows(&statement, params![business_id, after, i64::from(size)]))?;
        let mut entries: Vec<RosterEntry> = Vec::new();
        let mut last = None;
        for row in &rows {
            let seq = row.int(0)?;
            if last != Some(seq) {
                last = Some(seq);
                entries.push(RosterEntry {
                    customer_id: row.text(1)?,
                    first_name: row.text(2)?,
                    last_name: row.text(3)?,
                    external_reference: row.text(4)?,
                    numbers: Vec::new(),
                });
            }
            let Some(key) = row.optional_text(5)? else { continue };
            let bits = row.int(6)?;
            let problems = Problem::ALL.into_iter().filter(|p| bits & p.bit() != 0).collect();
            let number = phone_number_from(row, 7)?;
            if let Some(entry) = entries.last_mut() {
                entry.numbers.push(RosterNumber { number, duplicate_key: key, problems });
            }
        }
        let full = entries.len() == usize::try_from(size).unwrap_or(usize::MAX);
        Ok(Page { items: entries, next_after: last.filter(|_| full) })
    }
}
