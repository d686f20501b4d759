//! The verdicts kept for the data-quality review: each number's (`phone_numbers.review`, the
//! bits of `phone_model::Problem`) kept beside it, so a review of a million numbers reads the
//! few flagged ones through a partial index instead of judging every row.
//!
//! The core judges a number alone (`Review::of`), as it is written; whether another customer
//! has it too (`Problem::Shared`) is kept up to date for every row of the number's key when
//! a number is written or deleted. When the core's rules or plans change
//! (`phone_model::verdicts_version`), every verdict is made again as the database opens.

use phone_model::{PhoneNumberResource, Problem, Review};

use super::StoreError;
use super::rows::{columns_of, phone_number_from};
use super::sql::{Sql, params};

/// The setting that holds the version of the stored verdicts.
const VERSION: &str = "review_version";

/// The verdict the core gives `number`, to store with it (without the shared bit, which
/// [`share`] keeps).
pub(super) fn verdict(number: &PhoneNumberResource) -> i64 {
    Review::of(number).bits()
}

/// Takes the locks a write needs before it changes numbers with these duplicate keys, so that
/// two customers saving one number at once each see the other's row when [`share`] runs (and,
/// taken in order, two writes never wait for each other's). Taken before the write changes
/// anything: nothing else waits for a key while holding rows.
pub(super) fn lock_numbers(db: &mut dyn Sql, keys: &[&str]) -> Result<(), StoreError> {
    let Some(lock) = db.dialect().lock_number() else { return Ok(()) };
    let mut keys = keys.to_vec();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        db.rows(lock, params![key])?;
    }
    Ok(())
}

/// Marks, or unmarks, every number with `duplicate_key` as shared: whether another customer
/// has it. Run after a number with that key is written or deleted.
pub(super) fn share(db: &mut dyn Sql, duplicate_key: &str) -> Result<(), StoreError> {
    db.execute(&flip_shared("duplicate_key = $1"), params![duplicate_key])?;
    Ok(())
}

/// The statement that flips the shared bit of the rows `which` selects whose bit is wrong
/// (only those: a row rewritten for nothing is work, and on PostgreSQL a dead row).
fn flip_shared(which: &str) -> String {
    let bit = Problem::Shared.bit();
    format!(
        "UPDATE phone_numbers
         SET review = CASE WHEN (review & {bit}) <> 0 THEN review & ~{bit} ELSE review | {bit} END
         WHERE {which}
           AND ((review & {bit}) <> 0) <> EXISTS (
                   SELECT 1 FROM phone_numbers o
                   WHERE o.duplicate_key = phone_numbers.duplicate_key
                     AND o.customer_seq <> phone_numbers.customer_seq)"
    )
}

/// Makes every verdict again when the stored ones are of other rules or plans than the core's.
pub(super) fn remake_if_stale(db: &mut dyn Sql) -> Result<(), StoreError> {
    let current = phone_model::verdicts_version();
    let stored = db.optional_row("SELECT value FROM settings WHERE name = $1", params![VERSION])?;
    if stored.map(|row| row.bytes(0)).transpose()?.as_deref() == Some(current.as_bytes()) {
        return Ok(());
    }
    remake_verdicts(db)?;
    db.execute(
        "INSERT INTO settings (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![VERSION, current.as_bytes()],
    )?;
    Ok(())
}

/// Judges every stored number again, a batch at a time, writing only the verdicts that
/// changed; then every number's shared bit, in one statement.
pub(super) fn remake_verdicts(db: &mut dyn Sql) -> Result<(), StoreError> {
    let shared = Problem::Shared.bit();
    let mut after = 0;
    loop {
        let rows = db.rows(
            &format!(
                "SELECT seq, review, {} FROM phone_numbers WHERE seq > $1 ORDER BY seq LIMIT 2000",
                columns_of("phone_numbers")
            ),
            params![after],
        )?;
        let Some(last) = rows.last() else { break };
        after = last.int(0)?;
        for row in &rows {
            let (seq, stored) = (row.int(0)?, row.int(1)?);
            let made = verdict(&phone_number_from(row, 2)?) | (stored & shared);
            if made != stored {
                db.execute(
                    "UPDATE phone_numbers SET review = $1 WHERE seq = $2",
                    params![made, seq],
                )?;
            }
        }
    }
    db.execute(&flip_shared("TRUE"), &[])?;
    Ok(())
}
