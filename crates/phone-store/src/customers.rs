//! The SQL of customers: the list and search within a caller's businesses, one
//! customer, creating one with its first number.

use super::idempotency::{Answer, Attempt, once};
use super::phone_numbers::insert_phone_number;
use super::search::{put_document, search};
use super::sql::{Row, Sql, params};
use super::{Change, OperationError, Page, Store, StoreError, page, unused_id, within};
use phone_model::{
    BusinessResource, Businesses, CreatedCustomer, CustomerQuery, CustomerResource, NewCustomer,
    PageSize, Refusal, ValidationError, customer_document,
};

/// Which customers to list.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CustomerFilter {
    pub business_id: Option<String>,
    pub external_reference: Option<String>,
    /// What a person typed to find a customer (see `phone_model::search`): then the page is
    /// the best matches first.
    pub search: Option<CustomerQuery>,
}

impl Store {
    /// One page of the customers of `businesses` matching `filter`, oldest first. The
    /// businesses are a condition of the query, so a page is never filled from others'.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn customers(
        &self,
        filter: &CustomerFilter,
        businesses: &Businesses,
        after: i64,
        size: PageSize,
    ) -> Result<Page<CustomerResource>, StoreError> {
        let within = within(businesses);
        if let Some(query) = &filter.search {
            return self.read(|db| search(db, query, filter, within.as_deref(), after, size));
        }
        self.read(|db| {
            let statement = format!(
                "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                        c.external_reference
                 FROM customers c JOIN businesses b USING (business_id)
                 WHERE c.seq > $1
                   AND (CAST($2 AS TEXT) IS NULL OR c.business_id = $2)
                   AND (CAST($3 AS TEXT) IS NULL OR c.external_reference = $3)
                   AND (CAST($4 AS TEXT) IS NULL OR c.business_id IN ({}))
                 ORDER BY c.seq LIMIT $5",
                db.dialect().json_strings(4)
            );
            let rows = db.rows(
                &statement,
                params![
                    after,
                    filter.business_id.as_ref(),
                    filter.external_reference.as_ref(),
                    within.as_ref(),
                    i64::from(size.get()) + 1
                ],
            )?;
            let rows = rows
                .iter()
                .map(|row| Ok((row.int(0)?, customer_from(row, 1)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(page(rows, size))
        })
    }

    /// One customer.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`;
    /// when the database cannot be read.
    pub fn customer(
        &self,
        customer_id: &str,
        businesses: &Businesses,
    ) -> Result<CustomerResource, OperationError> {
        self.read(|db| {
            customer_for(db, customer_id, businesses, false)?;
            find_customer(db, customer_id)?.ok_or(OperationError::Refused(Refusal::NotFound))
        })
    }

    /// Creates a customer with its one phone number, as the primary. With an `attempt` whose
    /// key has been used before, answers as the first time did instead.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a business outside `businesses` (whether it exists or
    /// not: a caller learns nothing of others' businesses); [`OperationError::Invalid`] with
    /// `BusinessIdInvalid` for an unknown business, or `ExternalReferenceExists`; a key used
    /// before for another request.
    pub fn create_customer(
        &self,
        customer: &NewCustomer,
        businesses: &Businesses,
        change: &Change<'_>,
        attempt: Option<&Attempt>,
    ) -> Result<Answer<CreatedCustomer>, OperationError> {
        businesses.check_new_customer(customer.business_id()).map_err(OperationError::Refused)?;
        self.write(|db| {
            once(db, attempt, change.at, |db| {
                // Locked, so two servers creating customers of one business check the external
                // reference one after the other.
                let business = db.optional_row(
                    &format!(
                        "SELECT name FROM businesses WHERE business_id = $1{}",
                        db.dialect().for_update()
                    ),
                    params![customer.business_id()],
                )?;
                let Some(business) = business else {
                    return Err(OperationError::Invalid(ValidationError::BusinessIdInvalid));
                };
                if !customer.external_reference().is_empty() {
                    let taken = db
                        .row(
                            "SELECT EXISTS (SELECT 1 FROM customers
                                        WHERE business_id = $1 AND external_reference = $2)",
                            params![customer.business_id(), customer.external_reference()],
                        )?
                        .bool(0)?;
                    if taken {
                        return Err(OperationError::Invalid(
                            ValidationError::ExternalReferenceExists,
                        ));
                    }
                }
                let customer_id = unused_id(
                    db,
                    "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = $1)",
                )?;
                let customer_seq = db
                    .row(
                        "INSERT INTO customers (customer_id, business_id, first_name, last_name,
                                            external_reference)
                     VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                        params![
                            customer_id.as_str(),
                            customer.business_id(),
                            customer.first_name(),
                            customer.last_name(),
                            customer.external_reference()
                        ],
                    )?
                    .int(0)?;
                let document = customer_document(
                    customer.first_name(),
                    customer.last_name(),
                    customer.external_reference(),
                    &customer_id,
                    &business.text(0)?,
                );
                put_document(db, customer_seq, &document)?;
                let phone_number =
                    insert_phone_number(db, customer_seq, customer.phone_number(), change)?;
                let customer = find_customer(db, &customer_id)?
                    .expect("the customer inserted in this transaction exists");
                Ok(CreatedCustomer { customer, phone_number })
            })
        })
    }
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

fn find_customer(
    db: &mut dyn Sql,
    customer_id: &str,
) -> Result<Option<CustomerResource>, StoreError> {
    db.optional_row(
        "SELECT c.customer_id, c.business_id, b.name, c.first_name, c.last_name, c.external_reference
         FROM customers c JOIN businesses b USING (business_id) WHERE c.customer_id = $1",
        params![customer_id],
    )?
    .map(|row| customer_from(&row, 0))
    .transpose()
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
