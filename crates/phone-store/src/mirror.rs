//! The gateway's copy of the provider's customers and numbers (see `gateway`): what its
//! search, history and review read. The provider decides and the copy takes what it is told,
//! without the contract's rules: whole lists from the sync, and single numbers from the answers
//! to writes made through the gateway, which are recorded in the history with who made them.

use phone_model::{
    ChangeAction, CustomerResource, PhoneNumberResource, customer_document, reversed_digits,
    stored_duplicate_key,
};

use super::businesses::put_business_row;
use super::history::record_change;
use super::phone_numbers::{judge, record_demotion};
use super::rows::{columns_of, phone_number_from};
use super::search::put_document;
use super::sql::{Sql, params};
use super::verdicts::{lock_numbers, share};
use super::{Change, OperationError, Store, StoreError};

/// The setting that holds when the last full sync ended (seconds since the epoch).
const SYNCED_AT: &str = "gateway_synced_at";

impl Store {
    /// Keeps a customer (and its business's name) as the provider has it.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mirror_customers(&self, customers: &[CustomerResource]) -> Result<(), StoreError> {
        self.write(|db| {
            for customer in customers {
                mirror_customer(db, customer)?;
            }
            Ok(())
        })
    }

    /// The business of a customer the copy has.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn mirrored_business(&self, customer_id: &str) -> Result<Option<String>, StoreError> {
        self.read(|db| {
            db.optional_row(
                "SELECT business_id FROM customers WHERE customer_id = $1",
                params![customer_id],
            )?
            .map(|row| row.text(0))
            .transpose()
        })
    }

    /// Replaces each customer's numbers with the provider's whole list (what the sync found):
    /// nothing is recorded in the history, which is of changes made through the gateway.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mirror_numbers(
        &self,
        lists: &[(String, Vec<PhoneNumberResource>)],
    ) -> Result<(), StoreError> {
        self.write(|db| {
            for (customer_id, numbers) in lists {
                let Some(customer_seq) = customer_seq(db, customer_id)? else { continue };
                let kept: Vec<&str> = numbers.iter().map(|n| n.phone_number_id.as_str()).collect();
                let held = db.rows(
                    "SELECT seq, phone_number_id, duplicate_key FROM phone_numbers
                     WHERE customer_seq = $1",
                    params![customer_seq],
                )?;
                for row in &held {
                    if !kept.contains(&row.text(1)?.as_str()) {
                        remove(db, row.int(0)?, &row.text(2)?)?;
                    }
                }
                // The primary last: putting it demotes whichever number the copy had as primary.
                let (primary, others): (Vec<_>, Vec<_>) =
                    numbers.iter().partition(|n| n.is_primary);
                for number in others.into_iter().chain(primary) {
                    put_number(db, customer_seq, number)?;
                }
            }
            Ok(())
        })
    }

    /// A number as the provider answered a create or update made through the gateway,
    /// recorded as `change` (and so is the primary it demoted, if any).
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mirror_number(
        &self,
        customer_id: &str,
        number: &PhoneNumberResource,
        change: &Change<'_>,
    ) -> Result<(), OperationError> {
        self.write(|db| {
            let Some(customer_seq) = customer_seq(db, customer_id)? else { return Ok(()) };
            let put = put_number(db, customer_seq, number)?;
            if let Some(demoted) = &put.demoted {
                record_demotion(db, customer_seq, change, demoted)?;
            }
            let action =
                if put.before.is_some() { ChangeAction::Updated } else { ChangeAction::Created };
            if put.before.as_ref() != Some(number) {
                record_change(db, customer_seq, change, action, put.before.as_ref(), Some(number))?;
            }
            Ok(())
        })
    }

    /// A number deleted through the gateway, recorded as `change`.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn mirror_deletion(
        &self,
        customer_id: &str,
        phone_number_id: &str,
        change: &Change<'_>,
    ) -> Result<(), OperationError> {
        self.write(|db| {
            let Some(customer_seq) = customer_seq(db, customer_id)? else { return Ok(()) };
            let held = db.optional_row(
                &format!(
                    "SELECT seq, duplicate_key, {} FROM phone_numbers
                     WHERE customer_seq = $1 AND phone_number_id = $2",
                    columns_of("phone_numbers")
                ),
                params![customer_seq, phone_number_id],
            )?;
            let Some(held) = held else { return Ok(()) };
            let before = phone_number_from(&held, 2)?;
            remove(db, held.int(0)?, &held.text(1)?)?;
            record_change(db, customer_seq, change, ChangeAction::Deleted, Some(&before), None)?;
            Ok(())
        })
    }

    /// When the last full sync ended, in seconds since the epoch.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn synced_at(&self) -> Result<Option<i64>, StoreError> {
        self.read(|db| {
            let row =
                db.optional_row("SELECT value FROM settings WHERE name = $1", params![SYNCED_AT])?;
            let bytes = row.map(|row| row.bytes(0)).transpose()?;
            Ok(bytes.and_then(|b| String::from_utf8(b).ok()).and_then(|text| text.parse().ok()))
        })
    }

    /// Records that a full sync ended at `at`.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn set_synced_at(&self, at: i64) -> Result<(), StoreError> {
        self.write(|db| {
            db.execute(
                "INSERT INTO settings (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![SYNCED_AT, at.to_string().as_bytes()],
            )?;
            Ok(())
        })
    }
}

fn customer_seq(db: &mut dyn Sql, customer_id: &str) -> Result<Option<i64>, StoreError> {
    db.optional_row("SELECT seq FROM customers WHERE customer_id = $1", params![customer_id])?
        .map(|row| row.int(0))
        .transpose()
}

fn mirror_customer(db: &mut dyn Sql, customer: &CustomerResource) -> Result<(), StoreError> {
    let business = &customer.business;
    put_business_row(db, &business.business_id, &business.name)?;
    if !customer.external_reference.is_empty() {
        // The provider moved the reference to this customer: the other one no longer has it.
        db.execute(
            "UPDATE customers SET external_reference = ''
             WHERE business_id = $1 AND external_reference = $2 AND customer_id <> $3",
            params![&business.business_id, &customer.external_reference, &customer.customer_id],
        )?;
    }
    let seq = db
        .row(
            "INSERT INTO customers (customer_id, business_id, first_name, last_name,
                                    external_reference)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (customer_id) DO UPDATE SET business_id = excluded.business_id,
                 first_name = excluded.first_name, last_name = excluded.last_name,
                 external_reference = excluded.external_reference
             RETURNING seq",
            params![
                &customer.customer_id,
                &business.business_id,
                &customer.first_name,
                &customer.last_name,
                &customer.external_reference
            ],
        )?
        .int(0)?;
    let document = customer_document(
        &customer.first_name,
        &customer.last_name,
        &customer.external_reference,
        &customer.customer_id,
        &business.name,
    );
    put_document(db, seq, &document)
}

/// What putting a number changed: the copy's number before, and the primary it demoted.
struct Put {
    before: Option<PhoneNumberResource>,
    demoted: Option<PhoneNumberResource>,
}

/// Puts a number into the copy as the provider has it. Another number of the customer with the
/// same duplicate key goes: the provider's list is the truth, whatever our key says.
fn put_number(
    db: &mut dyn Sql,
    customer_seq: i64,
    number: &PhoneNumberResource,
) -> Result<Put, StoreError> {
    let id = number.phone_number_id.as_str();
    let key = stored_duplicate_key(number);
    let held = db.optional_row(
        &format!(
            "SELECT seq, duplicate_key, {} FROM phone_numbers WHERE phone_number_id = $1",
            columns_of("phone_numbers")
        ),
        params![id],
    )?;
    let before = held.as_ref().map(|row| phone_number_from(row, 2)).transpose()?;
    let old_key = held.as_ref().map(|row| row.text(1)).transpose()?;
    let mut keys = vec![key.as_str()];
    keys.extend(old_key.as_deref());
    lock_numbers(db, &keys)?;
    let mut demoted = None;
    if number.is_primary {
        let row = db.optional_row(
            &format!(
                "UPDATE phone_numbers SET is_primary = FALSE
                 WHERE customer_seq = $1 AND is_primary AND phone_number_id <> $2 RETURNING {}",
                columns_of("phone_numbers")
            ),
            params![customer_seq, id],
        )?;
        demoted = row.map(|row| phone_number_from(&row, 0)).transpose()?;
    }
    db.execute(
        "DELETE FROM phone_numbers
         WHERE customer_seq = $1 AND duplicate_key = $2 AND phone_number_id <> $3",
        params![customer_seq, key.as_str(), id],
    )?;
    db.execute(
        "INSERT INTO phone_numbers (phone_number_id, customer_seq, phone_name, country_code,
                                    area_code, phone_number, phone_type, is_primary,
                                    duplicate_key, digits_reversed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (phone_number_id) DO UPDATE SET customer_seq = excluded.customer_seq,
             phone_name = excluded.phone_name, country_code = excluded.country_code,
             area_code = excluded.area_code, phone_number = excluded.phone_number,
             phone_type = excluded.phone_type, is_primary = excluded.is_primary,
             duplicate_key = excluded.duplicate_key, digits_reversed = excluded.digits_reversed",
        params![
            id,
            customer_seq,
            &number.phone_name,
            number.country_code.as_str(),
            &number.area_code,
            &number.phone_number,
            number.phone_type.as_str(),
            number.is_primary,
            key.as_str(),
            reversed_digits(&key).as_str()
        ],
    )?;
    judge(db, number, &key)?;
    if let Some(old_key) = old_key.filter(|old| *old != key) {
        share(db, &old_key)?;
    }
    Ok(Put { before, demoted })
}

/// Removes a number from the copy; the others with its key may no longer be shared.
fn remove(db: &mut dyn Sql, seq: i64, key: &str) -> Result<(), StoreError> {
    lock_numbers(db, &[key])?;
    db.execute("DELETE FROM phone_numbers WHERE seq = $1", params![seq])?;
    share(db, key)
}
