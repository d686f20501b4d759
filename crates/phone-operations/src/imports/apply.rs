//! Applying a dry run: its rows judged again, one after another, against the business as it is
//! now, and each row's writes made with the API's rules and the store's own creates (a customer
//! with their primary number, then their other numbers), each with an idempotency key of the
//! import, the row and the number. A row is the unit: a cancel stops between rows, and the
//! apply runs in a task of its own, so a closed tab leaves no row half made. After a crash,
//! applying the same file again finds what the rows made (by reference, or by name and number,
//! or by the key's kept answer) and writes only the rest.
//!
//! On the server's own database, rows are written [`BATCH_ROWS`] to a transaction (a commit
//! per write held an import of 100,000 rows to 160 rows a second); in front of the provider,
//! one request at a time through its API and the gateway's rate budget.

use std::{ops::Range, sync::Arc, time::Instant};

use phone_model::{
    CustomerInput, Value,
    import::{ImportDecisions, ImportState, Judge, Verdict},
};
use tokio::runtime::Handle;

use super::{
    Held, stored_customers,
    writers::{Key, Local, Provider, RowWriter},
};
use crate::{Operations, Principal};

/// Rows written to one transaction of the server's own database: a tenth of a second's work or
/// so, which is also how long a cancel may wait.
const BATCH_ROWS: usize = 200;

/// What applying one row did.
enum Applied {
    /// Made the customer, and added this many numbers (their primary among them).
    Created(u32),
    /// Added this many numbers to a customer.
    Added(u32),
    /// Nothing: stored already, refused, or left out.
    Unchanged,
}

/// Applies `held` for `principal` with `decisions`, and records how it ended.
pub(super) async fn run(
    ops: Operations,
    principal: Principal,
    held: Arc<Held>,
    decisions: ImportDecisions,
) {
    let ended = apply(&ops, &principal, &held, &decisions).await;
    held.update(|progress| {
        progress.seconds_left = None;
        match ended {
            Ok(state) => progress.state = state,
            Err(error) => {
                tracing::error!(import = %held.id, %error, "import stopped");
                progress.state = ImportState::Failed;
                progress.error = Some(error);
            }
        }
    });
}

async fn apply(
    ops: &Operations,
    principal: &Principal,
    held: &Arc<Held>,
    decisions: &ImportDecisions,
) -> Result<ImportState, String> {
    let business_id = held.business_id.clone();
    let stored = ops
        .blocking(move |store| stored_customers(store, &business_id))
        .await
        .map_err(|e| database_failed(&format!("{e:?}")))?;
    let mut judge = Judge::new(
        &held.business_id,
        held.headings.clone(),
        held.mapping.clone(),
        held.country_code,
        stored,
    );
    let writer = Arc::new(importing(principal, &held.id));
    let wanted: Arc<Vec<usize>> = Arc::new(
        (0..held.rows.len()).filter(|&at| !decisions.skip.contains(held.rows[at].number)).collect(),
    );
    let decisions = Arc::new(decisions.clone());
    let batch = if ops.gateway().is_some() { 1 } else { BATCH_ROWS };
    let started = Instant::now();
    let mut next = 0;
    while next < wanted.len() {
        if held.is_cancelled() {
            return Ok(ImportState::Cancelled);
        }
        let range = next..(next + batch).min(wanted.len());
        next = range.end;
        let work = Work {
            ops: ops.clone(),
            writer: Arc::clone(&writer),
            held: Arc::clone(held),
            decisions: Arc::clone(&decisions),
            wanted: Arc::clone(&wanted),
            runtime: Handle::current(),
        };
        let (back, applied) = tokio::task::spawn_blocking(move || work.rows(range, judge))
            .await
            .map_err(|e| e.to_string())??;
        judge = back;
        held.update(|progress| {
            for applied in applied {
                progress.done += 1;
                match applied {
                    Applied::Created(numbers) => {
                        progress.customers_created += 1;
                        progress.numbers_added += numbers;
                    }
                    Applied::Added(numbers) => progress.numbers_added += numbers,
                    Applied::Unchanged => progress.unchanged += 1,
                }
            }
            // At the pace so far: in front of the provider, its rate budget sets it.
            let left = f64::from(progress.rows.saturating_sub(progress.done));
            let per_row = started.elapsed().as_secs_f64() / f64::from(progress.done.max(1));
            progress.seconds_left = Some((left * per_row).ceil() as u32);
        });
    }
    Ok(ImportState::Done)
}

/// What a batch of rows needs, on a blocking thread.
struct Work {
    ops: Operations,
    writer: Arc<Principal>,
    held: Arc<Held>,
    decisions: Arc<ImportDecisions>,
    /// The rows to apply, by their place in the file.
    wanted: Arc<Vec<usize>>,
    runtime: Handle,
}

impl Work {
    /// Judges and writes the rows `wanted[range]`, with `judge` (given back with what each row
    /// did): on the server's own database in one transaction, else one request at a time.
    fn rows(self, range: Range<usize>, mut judge: Judge) -> Result<(Judge, Vec<Applied>), String> {
        let mut applied = Vec::with_capacity(range.len());
        let row = |writer: &mut dyn RowWriter, judge: &mut Judge, at: usize| {
            let row = &self.held.rows[self.wanted[at]];
            let accept = self.decisions.accept_repairs.contains(row.number);
            let verdict = judge.judge(row.number, &row.cells, accept);
            write_row(writer, &self.held, judge, verdict)
        };
        if self.ops.gateway().is_some() {
            let mut provider =
                Provider { ops: &self.ops, writer: &self.writer, runtime: &self.runtime };
            for at in range {
                applied.push(row(&mut provider, &mut judge, at)?);
            }
            return Ok((judge, applied));
        }
        let actor = self.writer.actor();
        let mut failed = None;
        let batched = self.ops.store().batch(|batch| {
            let mut local =
                Local { batch, writer: &self.writer, actor: &actor, failed: &mut failed };
            for at in range {
                match row(&mut local, &mut judge, at) {
                    Ok(done) => applied.push(done),
                    Err(_) => break,
                }
            }
            match local.failed.take() {
                Some(error) => Err(error),
                None => Ok(()),
            }
        });
        batched.map_err(|e| database_failed(&e.to_string()))?;
        Ok((judge, applied))
    }
}

/// What the person is told when the database fails mid-apply: the cause is logged, never
/// sent (as the API's 500 keeps it).
fn database_failed(cause: &str) -> String {
    tracing::error!(%cause, "import: the database failed");
    "The database could not be written: apply the file again to go on from where it stopped."
        .to_owned()
}

/// The principal an import writes as: its person, named with the import in the history
/// (`ana (import 3f2a9c1b)`), whose idempotency keys are the import's own.
fn importing(principal: &Principal, import_id: &str) -> Principal {
    match principal {
        Principal::User { name, role, businesses } => Principal::User {
            name: format!("{name} (import {})", &import_id[..8.min(import_id.len())]),
            role: *role,
            businesses: businesses.clone(),
        },
        other => other.clone(),
    }
}

/// Makes a row's writes.
fn write_row(
    writer: &mut dyn RowWriter,
    held: &Held,
    judge: &mut Judge,
    verdict: Verdict,
) -> Result<Applied, String> {
    let (Some(at), false) = (verdict.customer, verdict.writes.is_empty()) else {
        return Ok(Applied::Unchanged);
    };
    let row = verdict.report.row;
    let key = |column: Option<usize>| Key { import: &held.id, row, column };
    let mut writes = verdict.writes.into_iter();
    let mut added = 0;
    let customer_id = match (&verdict.new_customer, judge.customer_id(at)) {
        (Some(new), _) => {
            let Some((_, primary)) = writes.next() else { return Ok(Applied::Unchanged) };
            let input = CustomerInput {
                business_id: Value::text(held.business_id.clone()),
                first_name: Value::text(new.first_name.clone()),
                last_name: Value::text(new.last_name.clone()),
                external_reference: Value::text(new.external_reference.clone()),
                phone_number: Some(primary),
            };
            let Some(id) = writer.create_customer(input, key(None))? else {
                return Ok(Applied::Unchanged);
            };
            judge.made(at, id.clone());
            added += 1;
            id
        }
        (None, Some(id)) => id.to_owned(),
        // The row that makes the customer was not applied.
        (None, None) => return Ok(Applied::Unchanged),
    };
    for (column, input) in writes {
        if writer.add_number(&customer_id, input, key(Some(column)))? {
            added += 1;
        }
    }
    Ok(match (verdict.new_customer.is_some(), added) {
        (true, _) => Applied::Created(added),
        (false, 0) => Applied::Unchanged,
        (false, added) => Applied::Added(added),
    })
}
