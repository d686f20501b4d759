//! Shared numbers marked as expected (Phonedesk's extension, `phone_model::SharedNumberMark`):
//! staff say a number several customers share is fine, and the review leaves it out while
//! only those customers share it.
//!
//! A mark is of a business (the marked number's customer's) and a number (its duplicate key),
//! one row per customer it covers: every customer the marker may see who had the number then.
//! A row of the review is expected when every customer the caller may see with its number is
//! covered by the mark of the row's business ([`expected`]); the row's own customer is one of
//! them, so without a mark nothing is expected, and a customer who gets the number later
//! brings it back. Marking and taking a mark back are recorded in each covered customer's
//! history.

use phone_model::{Businesses, ChangeAction, SharedNumberMark, plan_shared_mark};

use super::history::record_change;
use super::phone_numbers::locate;
use super::rows::{columns_of, customer_for, phone_number_from};
use super::sql::{Sql, params};
use super::verdicts::lock_numbers;
use super::{Change, OperationError, Store, StoreError, within};

impl Store {
    /// Marks a customer's shared number as expected, covering every customer of `businesses`
    /// who has it now (a mark made before for the business and number is replaced).
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`,
    /// or a number that is not the customer's; [`OperationError::Invalid`] with
    /// `PhoneNumberNotShared` when no other customer of `businesses` has it.
    pub fn mark_shared_expected(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        change: &Change<'_>,
    ) -> Result<SharedNumberMark, OperationError> {
        let within = within(businesses);
        self.write(|db| {
            let (business, key) = marked(db, customer_id, phone_number_id, businesses)?;
            let sharers = customers_with(db, &key, within.as_deref())?;
            plan_shared_mark(sharers.len() > 1).map_err(OperationError::Invalid)?;
            forget(db, &business, &key)?;
            for (customer_seq, _) in &sharers {
                db.execute(
                    "INSERT INTO shared_number_marks (business_id, duplicate_key, customer_seq,
                                                      marked_by, marked_at)
                     VALUES ($1, $2, $3, $4, $5)",
                    params![
                        business.as_str(),
                        key.as_str(),
                        *customer_seq,
                        change.actor,
                        change.at
                    ],
                )?;
            }
            for (customer_seq, number_seq) in &sharers {
                record(db, *customer_seq, *number_seq, change, ChangeAction::MarkedSharedExpected)?;
            }
            Ok(SharedNumberMark { by: change.actor.to_owned(), at: change.at })
        })
    }

    /// Takes back the mark of a customer's number (of the customer's business): the number is
    /// reviewed as shared again. Returns the mark taken back.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`,
    /// a number that is not the customer's, or a number with no mark (404).
    pub fn unmark_shared_expected(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        change: &Change<'_>,
    ) -> Result<SharedNumberMark, OperationError> {
        self.write(|db| {
            let (business, key) = marked(db, customer_id, phone_number_id, businesses)?;
            // The covered customers who still have the number, for their history.
            let rows = db.rows(
                "SELECT m.customer_seq, p.seq, m.marked_by, m.marked_at
                 FROM shared_number_marks m
                 LEFT JOIN phone_numbers p ON p.customer_seq = m.customer_seq
                                          AND p.duplicate_key = m.duplicate_key
                 WHERE m.business_id = $1 AND m.duplicate_key = $2 ORDER BY m.customer_seq",
                params![business.as_str(), key.as_str()],
            )?;
            let Some(first) = rows.first() else {
                return Err(OperationError::Refused(phone_model::Refusal::NotFound));
            };
            let mark = SharedNumberMark { by: first.text(2)?, at: first.int(3)? };
            forget(db, &business, &key)?;
            for row in &rows {
                if let Some(number_seq) = row.optional_int(1)? {
                    let action = ChangeAction::UnmarkedSharedExpected;
                    record(db, row.int(0)?, number_seq, change, action)?;
                }
            }
            Ok(mark)
        })
    }
}

/// The business and duplicate key of the customer's number a mark is about, with the
/// customer's row and the number's key locked for the write (as a write of the number takes
/// them, so a mark and a new sharer's save take turns).
fn marked(
    db: &mut dyn Sql,
    customer_id: &str,
    phone_number_id: &str,
    businesses: &Businesses,
) -> Result<(String, String), OperationError> {
    let customer_seq = customer_for(db, customer_id, businesses, true)?;
    let (_, key, _) = locate(db, customer_seq, phone_number_id, None)?;
    lock_numbers(db, &[&key])?;
    let business = db
        .row("SELECT business_id FROM customers WHERE seq = $1", params![customer_seq])?
        .text(0)?;
    Ok((business, key))
}

/// The customers of the caller's businesses (`within`) who have the number `key`, each with
/// their row of it (`seq`).
fn customers_with(
    db: &mut dyn Sql,
    key: &str,
    within: Option<&str>,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let statement = format!(
        "SELECT p.customer_seq, p.seq FROM phone_numbers p JOIN customers c ON c.seq = p.customer_seq
         WHERE p.duplicate_key = $1 AND (CAST($2 AS TEXT) IS NULL OR c.business_id IN ({}))
         ORDER BY p.customer_seq",
        db.dialect().json_strings(2)
    );
    db.rows(&statement, params![key, within])?
        .iter()
        .map(|row| Ok((row.int(0)?, row.int(1)?)))
        .collect()
}

/// Drops the business's mark of the number `key`, if it has one.
fn forget(db: &mut dyn Sql, business: &str, key: &str) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM shared_number_marks WHERE business_id = $1 AND duplicate_key = $2",
        params![business, key],
    )?;
    Ok(())
}

/// Records a mark, or taking it back, in a covered customer's history, with their number (row
/// `number_seq`) as it is: after a mark, before taking it back.
fn record(
    db: &mut dyn Sql,
    customer_seq: i64,
    number_seq: i64,
    change: &Change<'_>,
    action: ChangeAction,
) -> Result<(), OperationError> {
    let row = db.row(
        &format!("SELECT {} FROM phone_numbers WHERE seq = $1", columns_of("phone_numbers")),
        params![number_seq],
    )?;
    let number = phone_number_from(&row, 0)?;
    let (before, after) = match action {
        ChangeAction::UnmarkedSharedExpected => (Some(&number), None),
        _ => (None, Some(&number)),
    };
    record_change(db, customer_seq, change, action, before, after)
}

/// The condition "row `p` (of customer `c`) is a shared number marked as expected": every
/// customer of the caller's businesses (`$n`) with its number is covered by the mark of `c`'s
/// business. (`p`'s own customer is one of them: no mark, no expected row.)
pub(super) fn expected(db: &dyn Sql, n: usize) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM phone_numbers o JOIN customers oc ON oc.seq = o.customer_seq
                     WHERE o.duplicate_key = p.duplicate_key
                       AND (CAST(${n} AS TEXT) IS NULL OR oc.business_id IN ({}))
                       AND NOT EXISTS (SELECT 1 FROM shared_number_marks m
                                       WHERE m.business_id = c.business_id
                                         AND m.duplicate_key = p.duplicate_key
                                         AND m.customer_seq = o.customer_seq))",
        db.dialect().json_strings(n)
    )
}
