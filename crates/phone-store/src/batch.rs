//! Many creates in one transaction: an import's rows, committed together instead of one
//! `fsync` each (on SQLite, a commit per write held an import to 160 rows a second). Each
//! create is the same as [`Store::create_customer`]'s or [`Store::create_phone_number`]'s,
//! within a savepoint of its own, so one that the rules refuse takes back only its own changes.
//! Nothing is acknowledged until the batch commits: a crash loses the batch whole, never part
//! of a create.

use phone_model::{
    Businesses, CreatedCustomer, NewCustomer, PhoneNumberResource, ValidPhoneNumber,
};

use super::customers::create_customer_in;
use super::phone_numbers::create_phone_number_in;
use super::sql::Sql;
use super::{Answer, Attempt, Change, OperationError, Store, StoreError};

/// The creates of one transaction (see [`Store::batch`]).
pub struct Batch<'a> {
    db: &'a mut dyn Sql,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batch")
    }
}

impl Store {
    /// Runs `work`'s creates in one transaction, committed when it returns `Ok`.
    ///
    /// # Errors
    /// What `work` returns, or the database's failure: nothing of the batch is kept then.
    pub fn batch<T>(
        &self,
        work: impl FnOnce(&mut Batch<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write(|db| work(&mut Batch { db }))
    }
}

impl Batch<'_> {
    /// As [`Store::create_customer`].
    ///
    /// # Errors
    /// As [`Store::create_customer`]; the batch goes on without this create.
    pub fn create_customer(
        &mut self,
        customer: &NewCustomer,
        businesses: &Businesses,
        change: &Change<'_>,
        attempt: Option<&Attempt>,
    ) -> Result<Answer<CreatedCustomer>, OperationError> {
        businesses.check_new_customer(customer.business_id()).map_err(OperationError::Refused)?;
        savepoint(self.db, |db| create_customer_in(db, customer, change, attempt))
    }

    /// As [`Store::create_phone_number`].
    ///
    /// # Errors
    /// As [`Store::create_phone_number`]; the batch goes on without this create.
    pub fn create_phone_number(
        &mut self,
        customer_id: &str,
        businesses: &Businesses,
        number: &ValidPhoneNumber,
        change: &Change<'_>,
        attempt: Option<&Attempt>,
    ) -> Result<Answer<PhoneNumberResource>, OperationError> {
        savepoint(self.db, |db| {
            create_phone_number_in(db, customer_id, businesses, number, change, attempt)
        })
    }
}

/// `f` within a savepoint: its changes kept when it succeeds, taken back when it fails (on
/// PostgreSQL, a failed statement would otherwise spoil the whole transaction).
fn savepoint<T>(
    db: &mut dyn Sql,
    f: impl FnOnce(&mut dyn Sql) -> Result<T, OperationError>,
) -> Result<T, OperationError> {
    db.execute("SAVEPOINT one_create", &[])?;
    match f(db) {
        Ok(value) => {
            db.execute("RELEASE SAVEPOINT one_create", &[])?;
            Ok(value)
        }
        Err(error) => {
            db.execute("ROLLBACK TO SAVEPOINT one_create", &[])?;
            db.execute("RELEASE SAVEPOINT one_create", &[])?;
            Err(error)
        }
    }
}
