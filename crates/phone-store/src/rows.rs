//! Reading customers and phone numbers from the rows of a query, as every query of them does:
//! a customer, or a phone number, from a row's columns (the phone numbers' columns in the
//! order they are read: [`columns!`] and [`columns_of`]), and the customer's row each
//! operation on one customer starts from, found and checked against the caller's businesses
//! ([`customer_for`]).

use phone_model::{
    BusinessResource, Businesses, CustomerResource, PhoneNumberId, PhoneNumberResource, PhoneType,
    Refusal,
};

use super::sql::{Row, Sql, params, unexpected};
use super::{OperationError, StoreError};

/// A phone number's columns, in the order [`phone_number_from`] reads them (a macro, so that
/// `concat!` makes each statement one constant).
macro_rules! columns {
    () => {
        "phone_number_id, phone_name, country_code, area_code, phone_number, phone_type, is_primary"
    };
}
pub(super) use columns;

/// The columns [`phone_number_from`] reads, of the table (or alias) `table`.
pub(super) fn columns_of(table: &str) -> String {
    let columns: Vec<String> = columns!().split(", ").map(|c| format!("{table}.{c}")).collect();
    columns.join(", ")
}

/// Reads a phone number from the row's columns starting at `first` (in `columns!()` order).
pub(super) fn phone_number_from(
    row: &Row,
    first: usize,
) -> Result<PhoneNumberResource, StoreError> {
    let id = row.text(first)?;
    let country_code = row.text(first + 2)?;
    Ok(PhoneNumberResource {
        phone_number_id: PhoneNumberId::new(&id).map_err(|e| unexpected(first, e))?,
        phone_name: row.text(first + 1)?,
        // Read as stored: a code the provider's table has since dropped is still the code.
        country_code: phone_model::CountryCode::stored(&country_code)
            .ok_or_else(|| unexpected(first + 2, "not a country code"))?,
        area_code: row.text(first + 3)?,
        phone_number: row.text(first + 4)?,
        phone_type: row
            .text(first + 5)?
            .parse::<PhoneType>()
            .map_err(|e| unexpected(first + 5, e))?,
        is_primary: row.bool(first + 6)?,
    })
}

/// Reads a customer from the row's columns starting at `first`.
pub(super) fn customer_from(row: &Row, first: usize) -> Result<CustomerResource, StoreError> {
    Ok(CustomerResource {
        customer_id: row.text(first)?,
        business: BusinessResource {
            business_id: row.text(first + 1)?,
            name: row.text(first + 2)?,
        },
        first_name: row.text(first + 3)?,
        last_name: row.text(first + 4)?,
        external_reference: row.text(first + 5)?,
        primary_phone_number: None,
        matched_phone_number: None,
    })
}

/// The customer's `seq` when `businesses` holds its business; the contract's refusal (404 or
/// 403) otherwise, decided by the core.
///
/// When `lock` is set (in a write), the customer's row stays locked until the transaction
/// ends: PostgreSQL writers for one customer then run one after another (see `postgres`).
pub(super) fn customer_for(
    db: &mut dyn Sql,
    customer_id: &str,
    businesses: &Businesses,
    lock: bool,
) -> Result<i64, OperationError> {
    const FIND: &str = "SELECT seq, business_id FROM customers WHERE customer_id = $1";
    let lock = if lock { db.dialect().for_update() } else { "" };
    let found = if lock.is_empty() {
        db.optional_row(FIND, params![customer_id])?
    } else {
        db.optional_row(&format!("{FIND}{lock}"), params![customer_id])?
    };
    let found = found.map(|row| Ok::<_, StoreError>((row.int(0)?, row.text(1)?))).transpose()?;
    businesses
        .check_customer(found.as_ref().map(|(_, business)| business.as_str()))
        .map_err(OperationError::Refused)?;
    found.map(|(seq, _)| seq).ok_or(OperationError::Refused(Refusal::NotFound))
}
