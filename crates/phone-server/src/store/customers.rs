//! The SQL of customers and businesses: the list and search within a caller's businesses, one
//! customer, creating one with its first number.

use phone_model::{
    BusinessResource, Businesses, CreatedCustomer, CustomerResource, NewCustomer, PageSize,
    Refusal, ValidationError,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::phone_numbers::insert_phone_number;
use super::{Change, OperationError, Page, Store, StoreError, page, unused_id, within};

/// Which customers to list.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CustomerFilter {
    pub business_id: Option<String>,
    pub external_reference: Option<String>,
    /// Matches customer id, external reference, first, last and full name (any case).
    pub search: Option<String>,
}

impl Store {
    /// Adds a business, or renames it.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn put_business(&self, business_id: &str, name: &str) -> Result<(), OperationError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO businesses (business_id, name) VALUES (?1, ?2)
                 ON CONFLICT (business_id) DO UPDATE SET name = excluded.name",
                params![business_id, name],
            )?;
            Ok(())
        })
    }

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
        self.read(|c| {
            let pattern = filter.search.as_deref().map(like_pattern);
            let mut statement = c.prepare_cached(
                "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                        c.external_reference
                 FROM customers c JOIN businesses b USING (business_id)
                 WHERE c.seq > ?1
                   AND (?2 IS NULL OR c.business_id = ?2)
                   AND (?3 IS NULL OR c.external_reference = ?3)
                   AND (?4 IS NULL OR c.customer_id LIKE ?4 ESCAPE '\\'
                        OR c.external_reference LIKE ?4 ESCAPE '\\'
                        OR c.first_name || ' ' || c.last_name LIKE ?4 ESCAPE '\\'
                        OR c.last_name || ' ' || c.first_name LIKE ?4 ESCAPE '\\')
                   AND (?6 IS NULL OR c.business_id IN (SELECT value FROM json_each(?6)))
                 ORDER BY c.seq LIMIT ?5",
            )?;
            let rows = statement
                .query_map(
                    params![
                        after,
                        filter.business_id,
                        filter.external_reference,
                        pattern,
                        size.get() + 1,
                        within
                    ],
                    |row| Ok((row.get::<_, i64>(0)?, customer_from(row, 1)?)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
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
        self.read_checked(|c| {
            customer_for(c, customer_id, businesses)?;
            find_customer(c, customer_id)?.ok_or(OperationError::Refused(Refusal::NotFound))
        })
    }

    /// Creates a customer with its one phone number, as the primary.
    ///
    /// # Errors
    /// [`OperationError::Refused`] for a business outside `businesses` (whether it exists or
    /// not: a caller learns nothing of others' businesses); [`OperationError::Invalid`] with
    /// `BusinessIdInvalid` for an unknown business, or `ExternalReferenceExists`.
    pub fn create_customer(
        &self,
        customer: &NewCustomer,
        businesses: &Businesses,
        change: &Change<'_>,
    ) -> Result<CreatedCustomer, OperationError> {
        businesses.check_new_customer(customer.business_id()).map_err(OperationError::Refused)?;
        self.write(|tx| {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM businesses WHERE business_id = ?1)",
                [customer.business_id()],
                |row| row.get(0),
            )?;
            if !known {
                return Err(OperationError::Invalid(ValidationError::BusinessIdInvalid));
            }
            if !customer.external_reference().is_empty() {
                let taken: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM customers
                                    WHERE business_id = ?1 AND external_reference = ?2)",
                    [customer.business_id(), customer.external_reference()],
                    |row| row.get(0),
                )?;
                if taken {
                    return Err(OperationError::Invalid(ValidationError::ExternalReferenceExists));
                }
            }
            let customer_id = unused_id(tx, "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_id = ?1)")?;
            tx.execute(
                "INSERT INTO customers (customer_id, business_id, first_name, last_name, external_reference)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    customer_id,
                    customer.business_id(),
                    customer.first_name(),
                    customer.last_name(),
                    customer.external_reference()
                ],
            )?;
            let customer_seq = tx.last_insert_rowid();
            let phone_number = insert_phone_number(tx, customer_seq, customer.phone_number(), change)?;
            let customer = find_customer(tx, &customer_id)?.expect("the customer inserted in this transaction exists");
            Ok(CreatedCustomer { customer, phone_number })
        })
    }
}

/// The customer's `seq` when `businesses` holds its business; the contract's refusal (404 or
/// 403) otherwise, decided by the core.
pub(super) fn customer_for(
    c: &Connection,
    customer_id: &str,
    businesses: &Businesses,
) -> Result<i64, OperationError> {
    let found: Option<(i64, String)> = c
        .prepare_cached("SELECT seq, business_id FROM customers WHERE customer_id = ?1")?
        .query_row([customer_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    businesses
        .check_customer(found.as_ref().map(|(_, business)| business.as_str()))
        .map_err(OperationError::Refused)?;
    found.map(|(seq, _)| seq).ok_or(OperationError::Refused(Refusal::NotFound))
}

fn find_customer(c: &Connection, customer_id: &str) -> rusqlite::Result<Option<CustomerResource>> {
    c.prepare_cached(
        "SELECT c.customer_id, c.business_id, b.name, c.first_name, c.last_name, c.external_reference
         FROM customers c JOIN businesses b USING (business_id) WHERE c.customer_id = ?1",
    )?
    .query_row([customer_id], |row| customer_from(row, 0))
    .optional()
}

/// A LIKE pattern that matches `search` anywhere, with LIKE's own characters escaped.
fn like_pattern(search: &str) -> String {
    let escaped = search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Reads a customer from the row's columns starting at `first`.
fn customer_from(row: &Row<'_>, first: usize) -> rusqlite::Result<CustomerResource> {
    Ok(CustomerResource {
        customer_id: row.get(first)?,
        business: BusinessResource { business_id: row.get(first + 1)?, name: row.get(first + 2)? },
        first_name: row.get(first + 3)?,
        last_name: row.get(first + 4)?,
        external_reference: row.get(first + 5)?,
    })
}
