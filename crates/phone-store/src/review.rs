//! The data-quality review: how many numbers have each problem, and a page of one problem's
//! numbers with their customers, read from the verdicts kept beside each number (`verdicts`)
//! through a partial index, so a review of a million numbers reads only the few flagged ones.
//! Whether another customer has a number, and whether a mark covers them (`marks`), is read
//! within the caller's businesses.

use phone_model::{
    Businesses, CustomerResource, PageSize, PhoneNumberResource, Problem, SharedNumberMark,
};

use super::marks::expected;
use super::rows::{columns_of, customer_from, phone_number_from};
use super::sql::{Sql, params};
use super::{Page, Store, StoreError, page, within};

/// A page of the review: how many numbers have each problem (within the caller's businesses),
/// and the page asked for of one problem's numbers, each with its customer and, for a shared
/// number, the other customers who have it.
#[derive(Debug)]
pub struct ReviewPage {
    pub counts: Vec<(Problem, i64)>,
    pub numbers: Page<ReviewedRow>,
}

/// One number of the review, as stored.
#[derive(Debug)]
pub struct ReviewedRow {
    pub customer: CustomerResource,
    pub number: PhoneNumberResource,
    /// For a shared number: the other customers (of the caller's businesses) who have it.
    pub shared_with: Vec<CustomerResource>,
    /// For a shared number marked as expected, in a list of those: who marked it, and when.
    pub expected: Option<SharedNumberMark>,
}

impl Store {
    /// The review: counts of every problem, and a page of `problem`'s numbers (none when no
    /// problem is asked for), oldest first. Shared numbers marked as expected (see `marks`)
    /// are neither counted nor listed, but for `expected`, which lists only those.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn review(
        &self,
        problem: Option<Problem>,
        expected: bool,
        businesses: &Businesses,
        after: i64,
        size: PageSize,
    ) -> Result<ReviewPage, StoreError> {
        let within = within(businesses);
        self.read(|db| {
            let counts = counts(db, within.as_deref())?;
            let numbers = match problem {
                Some(problem) => numbers(db, problem, expected, within.as_deref(), after, size)?,
                None => Page { items: Vec::new(), next_after: None },
            };
            Ok(ReviewPage { counts, numbers })
        })
    }
}

/// The condition "another customer, of the caller's businesses (`$n`), has `p`'s number".
fn shared_within(db: &dyn Sql, n: usize) -> String {
    format!(
        "EXISTS (SELECT 1 FROM phone_numbers o JOIN customers oc ON oc.seq = o.customer_seq
                 WHERE o.duplicate_key = p.duplicate_key AND o.customer_seq <> p.customer_seq
                   AND (CAST(${n} AS TEXT) IS NULL OR oc.business_id IN ({})))",
        db.dialect().json_strings(n)
    )
}

fn counts(db: &mut dyn Sql, within: Option<&str>) -> Result<Vec<(Problem, i64)>, StoreError> {
    let sums: Vec<String> = Problem::ALL
        .iter()
        .map(|problem| {
            let shared = if *problem == Problem::Shared {
                format!(" AND {} AND NOT {}", shared_within(db, 1), expected(db, 1))
            } else {
                String::new()
            };
            format!(
                "coalesce(sum(CASE WHEN (p.review & {}) <> 0{shared} THEN 1 ELSE 0 END), 0)",
                problem.bit()
            )
        })
        .collect();
    let row = db.row(
        &format!(
            "SELECT {} FROM phone_numbers p JOIN customers c ON c.seq = p.customer_seq
             WHERE p.review <> 0 AND (CAST($1 AS TEXT) IS NULL OR c.business_id IN ({}))",
            sums.join(", "),
            db.dialect().json_strings(1)
        ),
        params![within],
    )?;
    Problem::ALL.iter().enumerate().map(|(i, problem)| Ok((*problem, row.int(i)?))).collect()
}

/// A page of `problem`'s numbers; of shared numbers, those marked as expected when
/// `expected` (with who marked them, and when), else the others.
fn numbers(
    db: &mut dyn Sql,
    problem: Problem,
    expected: bool,
    within: Option<&str>,
    after: i64,
    size: PageSize,
) -> Result<Page<ReviewedRow>, StoreError> {
    let (shared, marked, mark) = if problem == Problem::Shared {
        let not = if expected { "" } else { "NOT " };
        let condition = format!(" AND {} AND {not}{}", shared_within(db, 3), self::expected(db, 3));
        // The mark that covers the row's customer: there is one when the row is expected.
        let marked = ", m.marked_by, m.marked_at";
        let mark = "LEFT JOIN shared_number_marks m ON m.business_id = c.business_id
                        AND m.duplicate_key = p.duplicate_key AND m.customer_seq = p.customer_seq";
        (condition, marked, mark)
    } else {
        (String::new(), "", "")
    };
    // `p.review <> 0` as written: what lets the planner walk the partial index.
    let statement = format!(
        "SELECT p.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                c.external_reference, {}{marked}
         FROM phone_numbers p JOIN customers c ON c.seq = p.customer_seq
              JOIN businesses b ON b.business_id = c.business_id {mark}
         WHERE p.review <> 0 AND (p.review & $1) <> 0 AND p.seq > $2
           AND (CAST($3 AS TEXT) IS NULL OR c.business_id IN ({})){shared}
         ORDER BY p.seq LIMIT $4",
        columns_of("p"),
        db.dialect().json_strings(3)
    );
    let rows =
        db.rows(&statement, params![problem.bit(), after, within, i64::from(size.get()) + 1])?;
    let mut found = Vec::new();
    for row in &rows {
        let customer = customer_from(row, 1)?;
        let number = phone_number_from(row, 7)?;
        let shared_with = if problem == Problem::Shared {
            others_with(db, &customer.customer_id, &number, within)?
        } else {
            Vec::new()
        };
        // An expected row's own customer is covered (see `marks::expected`): the join found it.
        let expected = if expected {
            Some(SharedNumberMark { by: row.text(14)?, at: row.int(15)? })
        } else {
            None
        };
        found.push((row.int(0)?, ReviewedRow { customer, number, shared_with, expected }));
    }
    Ok(page(found, size))
}

/// The other customers (within the caller's businesses) who have this customer's number.
fn others_with(
    db: &mut dyn Sql,
    customer_id: &str,
    number: &PhoneNumberResource,
    within: Option<&str>,
) -> Result<Vec<CustomerResource>, StoreError> {
    let statement = format!(
        "SELECT DISTINCT c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                c.external_reference, c.seq
         FROM phone_numbers p JOIN phone_numbers o ON o.duplicate_key = p.duplicate_key
              JOIN customers c ON c.seq = o.customer_seq
              JOIN businesses b ON b.business_id = c.business_id
         WHERE p.phone_number_id = $1 AND c.customer_id <> $2
           AND (CAST($3 AS TEXT) IS NULL OR c.business_id IN ({}))
         ORDER BY c.seq LIMIT 10",
        db.dialect().json_strings(3)
    );
    let rows =
        db.rows(&statement, params![number.phone_number_id.as_str(), customer_id, within])?;
    rows.iter().map(|row| customer_from(row, 0)).collect()
}
