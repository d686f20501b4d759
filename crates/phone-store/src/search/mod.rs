//! Finding customers (the `search` extension of `GET /customers`): the documents and reversed
//! digits kept for it, and the query. What matches, and how well, is the core's
//! (`phone_model::search`); the database's own text index finds the candidates (SQLite FTS5 with
//! trigrams, PostgreSQL's `pg_trgm`), and a B-tree the numbers, so no search reads every row.

mod statement;
mod tiers;

pub(super) use tiers::by_number;

use phone_model::{CustomerQuery, CustomerResource, PageSize, customer_document, reversed_digits};

use super::customer_filter::CustomerFilter;
use super::sql::{Sql, params};
use super::{Page, StoreError};

/// The setting a migration leaves when the documents and digits must be made again.
const STALE: &str = "search_index_stale";

/// Makes (or makes again) customer `seq`'s document.
pub(super) fn put_document(db: &mut dyn Sql, seq: i64, document: &str) -> Result<(), StoreError> {
    let key = db.dialect().search_key();
    db.execute(&format!("DELETE FROM customer_search WHERE {key} = $1"), params![seq])?;
    db.execute(
        &format!("INSERT INTO customer_search ({key}, document) VALUES ($1, $2)"),
        params![seq, document],
    )?;
    Ok(())
}

/// Makes again the documents of the customers of `business_id` (of all when `None`), after
/// the business was renamed or the database was copied or migrated.
pub(super) fn remake_documents(
    db: &mut dyn Sql,
    business_id: Option<&str>,
) -> Result<(), StoreError> {
    let mut after = 0;
    loop {
        let rows = db.rows(
            "SELECT c.seq, c.first_name, c.last_name, c.external_reference, c.customer_id, b.name
             FROM customers c JOIN businesses b USING (business_id)
             WHERE c.seq > $1 AND (CAST($2 AS TEXT) IS NULL OR c.business_id = $2)
             ORDER BY c.seq LIMIT 1000",
            params![after, business_id],
        )?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.int(0)?;
        for row in &rows {
            let document = customer_document(
                &row.text(1)?,
                &row.text(2)?,
                &row.text(3)?,
                &row.text(4)?,
                &row.text(5)?,
            );
            put_document(db, row.int(0)?, &document)?;
        }
    }
}

/// Makes every document and every number's reversed digits when a migration asked for it
/// (the folding rules are the core's, so SQL cannot): run in the transaction that migrates.
pub(super) fn remake_if_stale(db: &mut dyn Sql) -> Result<(), StoreError> {
    if db.optional_row("SELECT 1 FROM settings WHERE name = $1", params![STALE])?.is_none() {
        return Ok(());
    }
    remake_documents(db, None)?;
    let mut after = 0;
    loop {
        let rows = db.rows(
            "SELECT seq, duplicate_key FROM phone_numbers WHERE seq > $1 ORDER BY seq LIMIT 1000",
            params![after],
        )?;
        let Some(last) = rows.last() else { break };
        after = last.int(0)?;
        for row in &rows {
            db.execute(
                "UPDATE phone_numbers SET digits_reversed = $1 WHERE seq = $2",
                params![reversed_digits(&row.text(1)?).as_str(), row.int(0)?],
            )?;
        }
    }
    db.execute("DELETE FROM settings WHERE name = $1", params![STALE])?;
    Ok(())
}

/// One page of the customers matching `query` within `filter` and the caller's businesses
/// (`within`, see `crate::within`), best first: those with a number in the query's digits,
/// then whole-word, word-start and within-word matches, each tier oldest first; then, on a
/// first page with room left, those one typo away. (A number's digits are looked for only as
/// a number, or as an id or reference whole or at its start.) A query the core finds too
/// short (`CustomerQuery::too_short`) finds nobody, without a look at the database: what it
/// matched would be chance, and the app says why instead.
pub(super) fn search(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
    after: i64,
    size: PageSize,
) -> Result<Page<CustomerResource>, StoreError> {
    if query.too_short() {
        return Ok(Page { items: Vec::new(), next_after: None });
    }
    let mut found = tiers::ranked(db, query, filter, within, after, size)?;
    // A number has no typos: it is found by its digits.
    if after != 0 || found.next_after.is_some() || query.number.is_some() {
        return Ok(found);
    }
    for customer in tiers::with_typos(db, query, filter, within)? {
        if found.items.len() == size.get() as usize {
            break;
        }
        if !found.items.iter().any(|c| c.customer_id == customer.customer_id) {
            found.items.push(customer);
        }
    }
    Ok(found)
}
