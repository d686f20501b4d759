//! The SQL of businesses, as an operator manages them (`phone-server business …`) and as the
//! demo and a gateway's sync put them.

use super::search::remake_documents;
use super::sql::{Sql, params};
use super::{OperationError, Store, StoreError, within};
use phone_model::{BusinessId, BusinessResource, Businesses};

/// A business as `business list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessListing {
    pub business_id: String,
    pub name: String,
    /// How many customers it has.
    pub customers: i64,
}

/// What `business add` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// The business is new.
    Added,
    /// There was already a business with the id, by this name; nothing changed.
    Exists(String),
}

/// What `business remove` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// The business is gone.
    Removed,
    /// No business has the id.
    NotFound,
    /// The business still has this many customers, so it stays: they would be orphans.
    HasCustomers(i64),
}

impl Store {
    /// Adds a business, or renames it (and its customers are then found by the new name).
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn put_business(&self, business_id: &str, name: &str) -> Result<(), OperationError> {
        self.write(|db| Ok(put_business_row(db, business_id, name)?))
    }

    /// Adds a business that customers can then be created in; an existing one is left as it is.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn add_business(&self, business_id: &BusinessId, name: &str) -> Result<Added, StoreError> {
        self.write(|db| {
            let inserted = db.optional_row(
                "INSERT INTO businesses (business_id, name) VALUES ($1, $2)
                 ON CONFLICT (business_id) DO NOTHING RETURNING 1",
                params![business_id.as_str(), name],
            )?;
            if inserted.is_some() {
                return Ok(Added::Added);
            }
            let existing = db.row(
                "SELECT name FROM businesses WHERE business_id = $1",
                params![business_id.as_str()],
            )?;
            Ok(Added::Exists(existing.text(0)?))
        })
    }

    /// Renames a business (its customers are then found by the new name); `false` when there
    /// is no such business.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn rename_business(&self, business_id: &str, name: &str) -> Result<bool, StoreError> {
        self.write(|db| {
            let found = db.optional_row(
                "SELECT 1 FROM businesses WHERE business_id = $1",
                params![business_id],
            )?;
            if found.is_some() {
                put_business_row(db, business_id, name)?;
            }
            Ok(found.is_some())
        })
    }

    /// Removes a business that has no customers.
    ///
    /// # Errors
    /// When the database cannot be written.
    pub fn remove_business(&self, business_id: &str) -> Result<Removed, StoreError> {
        self.write(|db| {
            // Locked (on PostgreSQL), so a customer cannot be created in it meanwhile: creates
            // lock the business's row too.
            let lock = db.dialect().for_update();
            let found = db.optional_row(
                &format!("SELECT 1 FROM businesses WHERE business_id = $1{lock}"),
                params![business_id],
            )?;
            if found.is_none() {
                return Ok(Removed::NotFound);
            }
            let customers = db
                .row("SELECT count(*) FROM customers WHERE business_id = $1", params![business_id])?
                .int(0)?;
            if customers > 0 {
                return Ok(Removed::HasCustomers(customers));
            }
            // Its calls go with it: they are of no one's customers now.
            db.execute("DELETE FROM call_events WHERE business_id = $1", params![business_id])?;
            db.execute("DELETE FROM businesses WHERE business_id = $1", params![business_id])?;
            // Nobody keeps access to it: a business added later with the same id starts with
            // no one assigned, as a new one does.
            for table in ["client_businesses", "user_businesses"] {
                let statement = format!("DELETE FROM {table} WHERE business_id = $1");
                db.execute(&statement, params![business_id])?;
            }
            Ok(Removed::Removed)
        })
    }

    /// The businesses of a set, with their names, by id.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn businesses(&self, businesses: &Businesses) -> Result<Vec<BusinessResource>, StoreError> {
        let within = within(businesses);
        self.read(|db| {
            let statement = format!(
                "SELECT business_id, name FROM businesses
                 WHERE CAST($1 AS TEXT) IS NULL OR business_id IN ({})
                 ORDER BY business_id",
                db.dialect().json_strings(1)
            );
            db.rows(&statement, params![within.as_ref()])?
                .iter()
                .map(|row| Ok(BusinessResource { business_id: row.text(0)?, name: row.text(1)? }))
                .collect()
        })
    }

    /// Every business, by id, with how many customers each has.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn businesses_with_customers(&self) -> Result<Vec<BusinessListing>, StoreError> {
        self.read(|db| {
            db.rows(
                "SELECT b.business_id, b.name,
                        (SELECT count(*) FROM customers c WHERE c.business_id = b.business_id)
                 FROM businesses b ORDER BY b.business_id",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok(BusinessListing {
                    business_id: row.text(0)?,
                    name: row.text(1)?,
                    customers: row.int(2)?,
                })
            })
            .collect()
        })
    }
}

/// Adds a business, or renames it: a row comes back when the business is new or its name
/// changed, and then its customers' documents are made again (a new business has none).
pub(super) fn put_business_row(
    db: &mut dyn Sql,
    business_id: &str,
    name: &str,
) -> Result<(), StoreError> {
    let changed = db.optional_row(
        "INSERT INTO businesses (business_id, name) VALUES ($1, $2)
         ON CONFLICT (business_id) DO UPDATE SET name = excluded.name
         WHERE businesses.name <> excluded.name RETURNING 1",
        params![business_id, name],
    )?;
    if changed.is_some() {
        remake_documents(db, Some(business_id))?;
    }
    Ok(())
}
