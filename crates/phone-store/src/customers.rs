//! The SQL of customers: the list and search within a caller's businesses, one
//! customer, creating one with its first number.

use super::customer_filter::CustomerFilter;
use super::idempotency::{Answer, Attempt, once};
use super::phone_numbers::insert_phone_number;
use super::rows::{customer_for, customer_from};
use super::search::{by_number, put_document, search};
use super::sql::{Sql, params};
use super::{Change, OperationError, Page, Store, StoreError, page, unused_id, within};
use phone_model::{
    Businesses, CreatedCustomer, CustomerQuery, CustomerResource, NewCustomer, PageSize, Refusal,
    ValidationError, customer_document,
};

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

    /// Up to `limit` customers of `businesses` (and of `filter`'s business) with a number in
    /// `query`'s digits, oldest first, each with the number that matched: a caller lookup,
    /// which reads only the search's number tier.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn customers_with_number(
        &self,
        query: &CustomerQuery,
        filter: &CustomerFilter,
        businesses: &Businesses,
        limit: i64,
    ) -> Result<Vec<CustomerResource>, StoreError> {
        let within = within(businesses);
        self.read(|db| by_number(db, query, filter, within.as_deref(), limit))
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
        self.write(|db| create_customer_in(db, customer, change, attempt))
    }
}

/// [`Store::create_customer`] within the transaction `db` is in (its business checked).
pub(super) fn create_customer_in(
    db: &mut dyn Sql,
    customer: &NewCustomer,
    change: &Change<'_>,
    attempt: Option<&Attempt>,
) -> Result<Answer<CreatedCustomer>, OperationError> {
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
            // `<> ''`, the unique index's own condition, so that the index is used (a bound
            // reference could be empty, as far as the planner knows): without it each create
            // read every customer of the business, and an import of 100,000 slowed as it went.
            let taken = db
                .row(
                    "SELECT EXISTS (SELECT 1 FROM customers
                                    WHERE business_id = $1 AND external_reference = $2
                                      AND external_reference <> '')",
                    params![customer.business_id(), customer.external_reference()],
                )?
                .bool(0)?;
            if taken {
                return Err(OperationError::Invalid(ValidationError::ExternalReferenceExists));
            }
        }
        let customer_id =
            unused_id(db, "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = $1)")?;
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
        let phone_number = insert_phone_number(db, customer_seq, customer.phone_number(), change)?;
        let customer = find_customer(db, &customer_id)?
            .expect("the customer inserted in this transaction exists");
        Ok(CreatedCustomer { customer, phone_number })
    })
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
