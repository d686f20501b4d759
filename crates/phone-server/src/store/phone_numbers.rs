//! The SQL of phone numbers: a customer's list, one number, and the three writes, each in one
//! transaction that fetches the facts the core's rules need and applies their outcome.

use phone_model::{
    Businesses, ChangeAction, CreateFacts, PageSize, PhoneNumberId, PhoneNumberResource, PhoneType,
    Refusal, UpdateFacts, ValidPhoneNumber, ValidationError, plan_create, plan_delete, plan_update,
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{Change, OperationError, Page, Store, page, unused_id};
use super::{customers::customer_for, history::record_change};

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
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            let mut statement = c.prepare_cached(
                "SELECT seq, phone_number_id, phone_name, country_code, area_code, phone_number,
                        phone_type, is_primary
                 FROM phone_numbers WHERE customer_seq = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = statement
                .query_map(params![customer_seq, after, size.get() + 1], |row| {
                    Ok((row.get::<_, i64>(0)?, phone_number_from(row, 1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
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
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            find_phone_number(c, customer_seq, phone_number_id)?
                .ok_or(OperationError::Refused(Refusal::NotFound))
        })
    }

    /// Adds a phone number to a customer. `isPrimary: true` demotes the others; a customer
    /// without a primary gets this one as primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a customer that does not exist or is outside
    /// `businesses`; [`OperationError::Invalid`] with `PhoneNumberExists` for a number the
    /// customer already has.
    pub fn create_phone_number(
        &self,
        customer_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        change: &Change<'_>,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            insert_phone_number(tx, customer_seq, number, change)
        })
    }

    /// Replaces a phone number's fields; `isPrimary: true` promotes it, `false` on the primary
    /// is refused, absent leaves it.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`; [`OperationError::Invalid`] with `PhoneNumberExists` or `PrimaryRequired`.
    pub fn update_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        change: &Change<'_>,
    ) -> Result<PhoneNumberResource, OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            let (seq, was_primary) = locate(tx, customer_seq, phone_number_id)?;
            let before = phone_number_at(tx, seq)?;
            let key = number.duplicate_key();
            let duplicate: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM phone_numbers
                                WHERE customer_seq = ?1 AND duplicate_key = ?2 AND seq <> ?3)",
                params![customer_seq, key, seq],
                |row| row.get(0),
            )?;
            let facts = UpdateFacts { was_primary, duplicate };
            let outcome =
                plan_update(number.is_primary(), facts).map_err(OperationError::Invalid)?;
            if outcome.demote_primary {
                demote_primary(tx, customer_seq, change)?;
            }
            let is_primary = outcome.is_primary;
            tx.execute(
                "UPDATE phone_numbers SET phone_name = ?2, country_code = ?3, area_code = ?4,
                        phone_number = ?5, phone_type = ?6, is_primary = ?7, duplicate_key = ?8
                 WHERE seq = ?1",
                params![
                    seq,
                    number.phone_name(),
                    number.country_code().as_str(),
                    number.area_code(),
                    number.phone_number(),
                    number.phone_type().as_str(),
                    is_primary,
                    key
                ],
            )?;
            let after = phone_number_at(tx, seq)?;
            // An update that changes nothing is no change to record.
            if after != before {
                record_change(
                    tx,
                    customer_seq,
                    change,
                    ChangeAction::Updated,
                    Some(&before),
                    Some(&after),
                )?;
            }
            Ok(after)
        })
    }

    /// Deletes a phone number that is not the primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for an unknown customer or number, or a customer outside
    /// `businesses`; [`OperationError::Invalid`] with `PrimaryDeletion` for the primary.
    pub fn delete_phone_number(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        businesses: &Businesses,
        change: &Change<'_>,
    ) -> Result<(), OperationError> {
        self.write(|tx| {
            let customer_seq = customer_for(tx, customer_id, businesses)?;
            let (seq, is_primary) = locate(tx, customer_seq, phone_number_id)?;
            plan_delete(is_primary).map_err(OperationError::Invalid)?;
            let before = phone_number_at(tx, seq)?;
            tx.execute("DELETE FROM phone_numbers WHERE seq = ?1", [seq])?;
            record_change(tx, customer_seq, change, ChangeAction::Deleted, Some(&before), None)?;
            Ok(())
        })
    }
}

fn find_phone_number(
    c: &Connection,
    customer_seq: i64,
    phone_number_id: &str,
) -> rusqlite::Result<Option<PhoneNumberResource>> {
    c.prepare_cached(
        "SELECT phone_number_id, phone_name, country_code, area_code, phone_number, phone_type,
                is_primary
         FROM phone_numbers WHERE customer_seq = ?1 AND phone_number_id = ?2",
    )?
    .query_row(params![customer_seq, phone_number_id], |row| phone_number_from(row, 0))
    .optional()
}

/// A customer's phone number's `seq`, and whether it is primary; 404 when the customer has no
/// such number.
fn locate(
    tx: &Transaction<'_>,
    customer_seq: i64,
    phone_number_id: &str,
) -> Result<(i64, bool), OperationError> {
    tx.prepare_cached(
        "SELECT seq, is_primary FROM phone_numbers WHERE customer_seq = ?1 AND phone_number_id = ?2",
    )?
    .query_row(params![customer_seq, phone_number_id], |row| Ok((row.get(0)?, row.get(1)?)))
    .optional()?
    .ok_or(OperationError::Refused(Refusal::NotFound))
}

/// Makes the customer's primary number an ordinary one, and records that.
fn demote_primary(
    tx: &Transaction<'_>,
    customer_seq: i64,
    change: &Change<'_>,
) -> Result<(), OperationError> {
    let primary: Option<i64> = tx
        .query_row(
            "SELECT seq FROM phone_numbers WHERE customer_seq = ?1 AND is_primary = 1",
            [customer_seq],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(seq) = primary {
        let before = phone_number_at(tx, seq)?;
        tx.execute("UPDATE phone_numbers SET is_primary = 0 WHERE seq = ?1", [seq])?;
        let after = PhoneNumberResource { is_primary: false, ..before.clone() };
        record_change(
            tx,
            customer_seq,
            change,
            ChangeAction::Updated,
            Some(&before),
            Some(&after),
        )?;
    }
    Ok(())
}

/// The phone number in row `seq`.
pub(super) fn phone_number_at(
    tx: &Transaction<'_>,
    seq: i64,
) -> rusqlite::Result<PhoneNumberResource> {
    tx.prepare_cached(
        "SELECT phone_number_id, phone_name, country_code, area_code, phone_number, phone_type,
                is_primary
         FROM phone_numbers WHERE seq = ?1",
    )?
    .query_row([seq], |row| phone_number_from(row, 0))
}

pub(super) fn insert_phone_number(
    tx: &Transaction<'_>,
    customer_seq: i64,
    number: &ValidPhoneNumber,
    change: &Change<'_>,
) -> Result<PhoneNumberResource, OperationError> {
    let key = number.duplicate_key();
    let (exists, has_primary): (bool, bool) = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = ?1 AND duplicate_key = ?2),
                EXISTS (SELECT 1 FROM phone_numbers WHERE customer_seq = ?1 AND is_primary = 1)",
        params![customer_seq, key],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let facts = CreateFacts { has_primary, duplicate: exists };
    let outcome =
        plan_create(number.is_primary() == Some(true), facts).map_err(OperationError::Invalid)?;
    if outcome.demote_primary {
        demote_primary(tx, customer_seq, change)?;
    }
    let is_primary = outcome.is_primary;
    let id =
        unused_id(tx, "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE phone_number_id = ?1)")?;
    tx.execute(
        "INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                    area_code, phone_number, phone_type, is_primary, duplicate_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            customer_seq,
            number.phone_name(),
            number.country_code().as_str(),
            number.area_code(),
            number.phone_number(),
            number.phone_type().as_str(),
            is_primary,
            key
        ],
    )?;
    let created = phone_number_at(tx, tx.last_insert_rowid())?;
    record_change(tx, customer_seq, change, ChangeAction::Created, None, Some(&created))?;
    Ok(created)
}

/// Reads a phone number from the row's columns starting at `first`.
pub(super) fn phone_number_from(
    row: &Row<'_>,
    first: usize,
) -> rusqlite::Result<PhoneNumberResource> {
    let invalid = |column: usize, e: ValidationError| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    };
    let id: String = row.get(first)?;
    let country_code: String = row.get(first + 2)?;
    let phone_type: String = row.get(first + 5)?;
    Ok(PhoneNumberResource {
        phone_number_id: PhoneNumberId::new(&id).map_err(|e| invalid(first, e))?,
        phone_name: row.get(first + 1)?,
        // Read as stored: a code the provider's table has since dropped is still the code.
        country_code: phone_model::CountryCode::stored(&country_code)
            .ok_or_else(|| invalid(first + 2, ValidationError::CountryCodeInvalid))?,
        area_code: row.get(first + 3)?,
        phone_number: row.get(first + 4)?,
        phone_type: phone_type.parse::<PhoneType>().map_err(|e| invalid(first + 5, e))?,
        is_primary: row.get(first + 6)?,
    })
}
