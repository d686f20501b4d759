//! The SQL of phone numbers: a customer's list, one number, and the three writes, each in one
//! transaction that fetches the facts the core's rules need and applies their outcome.

use phone_model::{
    Businesses, ChangeAction, CreateFacts, IfMatch, PageSize, PhoneNumberResource, Refusal,
    UpdateFacts, ValidPhoneNumber, plan_create, plan_delete, plan_update, reversed_digits,
};

use super::history::record_change;
use super::idempotency::{Answer, Attempt, once};
use super::rows::{columns, customer_for, phone_number_from};
use super::sql::{Sql, params};
use super::verdicts::{lock_numbers, share, verdict};
use super::{Change, OperationError, Page, Store, StoreError, page, unused_id};

impl Store {
    /// One page of a customer's phone numbers, oldest first.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or that `businesses` does not
    /// hold; when the database cannot be read.
    pub fn phone_numbers(
        &self,
        customer_id: &str,
        businesses: &Businesses,
        after: i64,
        size: PageSize,
    ) -> Result<Page<PhoneNumberResource>, OperationError> {
        self.read(|db| {
            // The customer and the page in one statement, one round trip: the customer's row
            // comes back once with no number when the page is empty.
            let rows = db.rows(
                concat!(
                    "SELECT c.business_id, p.seq, ",
                    columns!(),
                    " FROM customers c
                      LEFT JOIN phone_numbers p ON p.customer_seq = c.seq AND p.seq > $1
                      WHERE c.customer_id = $2 ORDER BY p.seq LIMIT $3"
                ),
                params![after, customer_id, i64::from(size.get()) + 1],
            )?;
            let business = rows.first().map(|row| row.text(0)).transpose()?;
            businesses.check_customer(business.as_deref()).map_err(OperationError::Refused)?;
            let rows = rows
                .iter()
                .filter(|row| row.optional_int(1).is_ok_and(|seq| seq.is_some()))
                .map(|row| Ok((row.int(1)?, phone_number_from(row, 2)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(page(rows, size))
        })
    }

    /// One phone number of a customer.
    ///
    /// # Errors
    /// The contract's refusal for a customer outside `businesses`, or a number that does not
    /// exist or is another customer's (404); when the database cannot be read.
    pub fn phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.read(|db| {
            let customer_seq = customer_for(db, customer_id, businesses, false)?;
            let found = db.optional_row(
                concat!(
                    "SELECT ",
                    columns!(),
                    " FROM phone_numbers WHERE customer_seq = $1 AND phone_number_id = $2"
                ),
                params![customer_seq, phone_number_id],
            )?;
            let found = found.as_ref().ok_or(OperationError::Refused(Refusal::NotFound))?;
            Ok(phone_number_from(found, 0)?)
        })
    }

    /// Adds a phone number to a customer. `isPrimary: true` demotes the others; a customer
    /// without a primary gets this one as primary. With an `attempt` whose key has been used
    /// before, answers as the first time did instead.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a customer that does not exist or is outside
    /// `businesses`, or a key used before for another request; [`OperationError::Invalid`]
    /// with `PhoneNumberExists` for a number the customer already has.
    pub fn create_phone_number(
        &self,
        customer_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        change: &Change<'_>,
        attempt: Option<&Attempt>,
    ) -> Result<Answer<PhoneNumberResource>, OperationError> {
        self.write(|db| {
            create_phone_number_in(db, customer_id, businesses, number, change, attempt)
        })
    }

    /// Replaces a phone number's fields; `isPrimary: true` promotes it, `false` on the primary
    /// is refused, absent leaves it. Only if the number's version is one `condition` admits.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`, or a version `condition` does not admit; [`OperationError::Invalid`] with
    /// `PhoneNumberExists` or `PrimaryRequired`.
    pub fn update_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        change: &Change<'_>,
        condition: Option<&IfMatch>,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.write(|db| {
            let customer_seq = customer_for(db, customer_id, businesses, true)?;
            let (seq, old_key, before) = locate(db, customer_seq, phone_number_id, condition)?;
            let key = number.duplicate_key();
            lock_numbers(db, &[&old_key, key.as_str()])?;
            let duplicate = db
                .row(
                    "SELECT EXISTS (SELECT 1 FROM phone_numbers
                                    WHERE customer_seq = $1 AND duplicate_key = $2 AND seq <> $3)",
                    params![customer_seq, key.as_str(), seq],
                )?
                .bool(0)?;
            let facts = UpdateFacts { was_primary: before.is_primary, duplicate };
            let outcome =
                plan_update(number.is_primary(), facts).map_err(OperationError::Invalid)?;
            if outcome.demote_primary {
                demote_primary(db, customer_seq, change)?;
            }
            let after = db.row(
                concat!(
                    "UPDATE phone_numbers SET phone_name = $1, country_code = $2, area_code = $3,
                            phone_number = $4, phone_type = $5, is_primary = $6, duplicate_key = $7,
                            digits_reversed = $8
                     WHERE seq = $9 RETURNING ",
                    columns!()
                ),
                params![
                    number.phone_name(),
                    number.country_code().as_str(),
                    number.area_code(),
                    number.phone_number(),
                    number.phone_type().as_str(),
                    outcome.is_primary,
                    key.as_str(),
                    reversed_digits(&key).as_str(),
                    seq
                ],
            )?;
            let after = phone_number_from(&after, 0)?;
            judge(db, &after, key.as_str())?;
            if old_key != key.as_str() {
                share(db, &old_key)?;
            }
            // An update that changes nothing is no change to record.
            if after != before {
                let action = ChangeAction::Updated;
                record_change(db, customer_seq, change, action, Some(&before), Some(&after))?;
            }
            Ok(after)
        })
    }

    /// Deletes a phone number that is not the primary, if its version is one `condition`
    /// admits.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`, or a version `condition` does not admit; [`OperationError::Invalid`] with
    /// `PrimaryDeletion` for the primary.
    pub fn delete_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        change: &Change<'_>,
        condition: Option<&IfMatch>,
    ) -> Result<(), OperationError> {
        self.write(|db| {
            let customer_seq = customer_for(db, customer_id, businesses, true)?;
            let (seq, key, before) = locate(db, customer_seq, phone_number_id, condition)?;
            plan_delete(before.is_primary).map_err(OperationError::Invalid)?;
            lock_numbers(db, &[&key])?;
            db.execute("DELETE FROM phone_numbers WHERE seq = $1", params![seq])?;
            share(db, &key)?;
            record_change(db, customer_seq, change, ChangeAction::Deleted, Some(&before), None)?;
            Ok(())
        })
    }
}

/// A customer's phone number's `seq`, duplicate key and values, read in the write's transaction (after the
/// customer's lock) so that `condition` is checked against what the write changes: 404 when
/// the customer has no such number, 412 when `condition` does not admit its version.
pub(super) fn locate(
    db: &mut dyn Sql,
    customer_seq: i64,
    phone_number_id: &str,
    condition: Option<&IfMatch>,
) -> Result<(i64, String, PhoneNumberResource), OperationError> {
    let found = db.optional_row(
        concat!(
            "SELECT seq, duplicate_key, ",
            columns!(),
            " FROM phone_numbers WHERE customer_seq = $1 AND phone_number_id = $2"
        ),
        params![customer_seq, phone_number_id],
    )?;
    let found = found.ok_or(OperationError::Refused(Refusal::NotFound))?;
    let number = phone_number_from(&found, 2)?;
    IfMatch::check(condition, number.version()).map_err(OperationError::Refused)?;
    Ok((found.int(0)?, found.text(1)?, number))
}

/// Makes the customer's primary number an ordinary one, and records that.
fn demote_primary(
    db: &mut dyn Sql,
    customer_seq: i64,
    change: &Change<'_>,
) -> Result<(), OperationError> {
    let demoted = db.optional_row(
        concat!(
            "UPDATE phone_numbers SET is_primary = FALSE
             WHERE customer_seq = $1 AND is_primary RETURNING ",
            columns!()
        ),
        params![customer_seq],
    )?;
    if let Some(row) = demoted {
        record_demotion(db, customer_seq, change, &phone_number_from(&row, 0)?)?;
    }
    Ok(())
}

/// Records that `demoted` (as it is now) was the primary and is no longer.
pub(super) fn record_demotion(
    db: &mut dyn Sql,
    customer_seq: i64,
    change: &Change<'_>,
    demoted: &PhoneNumberResource,
) -> Result<(), OperationError> {
    let before = PhoneNumberResource { is_primary: true, ..demoted.clone() };
    record_change(db, customer_seq, change, ChangeAction::Updated, Some(&before), Some(demoted))
}

pub(super) fn insert_phone_number(
    db: &mut dyn Sql,
    customer_seq: i64,
    number: &ValidPhoneNumber,
    change: &Change<'_>,
) -> Result<PhoneNumberResource, OperationError> {
    let key = number.duplicate_key();
    lock_numbers(db, &[key.as_str()])?;
    let facts = db.row(
        "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = $1 AND duplicate_key = $2),
                EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = $1 AND is_primary)",
        params![customer_seq, key.as_str()],
    )?;
    let facts = CreateFacts { duplicate: facts.bool(0)?, has_primary: facts.bool(1)? };
    let outcome =
        plan_create(number.is_primary() == Some(true), facts).map_err(OperationError::Invalid)?;
    if outcome.demote_primary {
        demote_primary(db, customer_seq, change)?;
    }
    let id =
        unused_id(db, "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE phone_number_id = $1)")?;
    let created = db.row(
        concat!(
            "INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                        area_code, phone_number, phone_type, is_primary,
                                        duplicate_key, digits_reversed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ",
            columns!()
        ),
        params![
            id.as_str(),
            customer_seq,
            number.phone_name(),
            number.country_code().as_str(),
            number.area_code(),
            number.phone_number(),
            number.phone_type().as_str(),
            outcome.is_primary,
            key.as_str(),
            reversed_digits(&key).as_str()
        ],
    )?;
    let created = phone_number_from(&created, 0)?;
    judge(db, &created, key.as_str())?;
    record_change(db, customer_seq, change, ChangeAction::Created, None, Some(&created))?;
    Ok(created)
}

/// Stores the core's verdict on a number just written (see `verdicts`), and whether another
/// customer has its number (`duplicate_key`).
pub(super) fn judge(
    db: &mut dyn Sql,
    number: &PhoneNumberResource,
    duplicate_key: &str,
) -> Result<(), StoreError> {
    db.execute(
        &format!(
            "UPDATE phone_numbers SET review = $1 | (review & {}) WHERE phone_number_id = $2",
            phone_model::Problem::Shared.bit()
        ),
        params![verdict(number), number.phone_number_id.as_str()],
    )?;
    share(db, duplicate_key)
}

/// [`Store::create_phone_number`] within the transaction `db` is in.
pub(super) fn create_phone_number_in(
    db: &mut dyn Sql,
    customer_id: &str,
    businesses: &Businesses,
    number: &ValidPhoneNumber,
    change: &Change<'_>,
    attempt: Option<&Attempt>,
) -> Result<Answer<PhoneNumberResource>, OperationError> {
    let customer_seq = customer_for(db, customer_id, businesses, true)?;
    once(db, attempt, change.at, |db| insert_phone_number(db, customer_seq, number, change))
}
