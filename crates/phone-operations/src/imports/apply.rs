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

use axum::http::{HeaderValue, StatusCode};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, ErrorBody, IdempotencyKey, PhoneNumberInput, Value,
    import::{ImportDecisions, ImportState, Judge, Verdict},
    validate_create, validate_new_customer,
};
use phone_store::{Batch, Change, OperationError, StoreError};
use serde_json::json;
use tokio::runtime::Handle;

use super::{Held, stored_customers};
use crate::{Answered, ApiError, Keyed, Operations, Principal, Reply, Sent, now};

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
        .map_err(|e| format!("{e:?}"))?;
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
        batched.map_err(|e| e.to_string())?;
        Ok((judge, applied))
    }
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

/// Where a row's writes go: `Err` only when the store or the provider fails, which stops the
/// apply (applying again resumes it); a write the rules refuse leaves its row unchanged.
trait RowWriter {
    /// Makes the customer: their id, or `None` when the rules (or the provider) refused them.
    fn create_customer(
        &mut self,
        input: CustomerInput,
        key: Key<'_>,
    ) -> Result<Option<String>, String>;
    /// Adds a number to the customer: whether it was added.
    fn add_number(
        &mut self,
        customer_id: &str,
        input: PhoneNumberInput,
        key: Key<'_>,
    ) -> Result<bool, String>;
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
    let key = |number: usize| Key { import: &held.id, row, number };
    let mut writes = verdict.writes.into_iter().enumerate();
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
            let Some(id) = writer.create_customer(input, key(0))? else {
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
    for (number, input) in writes {
        if writer.add_number(&customer_id, input, key(number))? {
            added += 1;
        }
    }
    Ok(match (verdict.new_customer.is_some(), added) {
        (true, _) => Applied::Created(added),
        (false, 0) => Applied::Unchanged,
        (false, added) => Applied::Added(added),
    })
}

/// A write's idempotency key: the import's, the row's and the number's within it.
#[derive(Clone, Copy)]
struct Key<'a> {
    import: &'a str,
    row: u32,
    number: usize,
}

impl Key<'_> {
    /// The key of a create of `path` with `body`, as a client's request would be keyed.
    fn keyed(self, path: &str, body: &[u8]) -> Result<Keyed, String> {
        let text = format!("import-{}-{}-{}", self.import, self.row, self.number);
        let key = IdempotencyKey::parse(&text).map_err(|e| e.message().to_owned())?;
        Ok(Keyed::new(key, "POST", path, body))
    }
}

const CUSTOMERS: &str = "/CustomerServices/v1.0/customers";

fn numbers_path(customer_id: &str) -> String {
    format!("{CUSTOMERS}/{customer_id}/phoneNumbers")
}

/// The server's own database: the rows of a batch, in its one transaction.
struct Local<'b, 'a> {
    batch: &'b mut Batch<'a>,
    writer: &'b Principal,
    actor: &'b str,
    /// The store's failure, which ends the batch (and rolls it back).
    failed: &'b mut Option<StoreError>,
}

impl Local<'_, '_> {
    /// A refusal of the rules leaves the row; a failure of the store ends the batch.
    fn refused<T>(&mut self, error: OperationError, refused: T) -> Result<T, String> {
        match error {
            OperationError::Store(error) => {
                let said = error.to_string();
                *self.failed = Some(error);
                Err(said)
            }
            OperationError::Refused(_) | OperationError::Invalid(_) => Ok(refused),
        }
    }
}

impl RowWriter for Local<'_, '_> {
    fn create_customer(
        &mut self,
        input: CustomerInput,
        key: Key<'_>,
    ) -> Result<Option<String>, String> {
        let attempt = key.keyed(CUSTOMERS, &customer_body(&input))?.attempt(self.writer);
        let Ok(customer) = validate_new_customer(&input).0 else { return Ok(None) };
        let change = Change { actor: self.actor, at: now() };
        let businesses = self.writer.businesses();
        match self.batch.create_customer(&customer, businesses, &change, Some(&attempt)) {
            Ok(made) => Ok(Some(made.into_inner().customer.customer_id)),
            Err(error) => self.refused(error, None),
        }
    }

    fn add_number(
        &mut self,
        customer_id: &str,
        input: PhoneNumberInput,
        key: Key<'_>,
    ) -> Result<bool, String> {
        let path = numbers_path(customer_id);
        let attempt = key.keyed(&path, &number_body(&input))?.attempt(self.writer);
        let Ok(number) = validate_create(&input).into_result() else { return Ok(false) };
        let change = Change { actor: self.actor, at: now() };
        let businesses = self.writer.businesses();
        match self.batch.create_phone_number(
            customer_id,
            businesses,
            &number,
            &change,
            Some(&attempt),
        ) {
            Ok(_) => Ok(true),
            Err(error) => self.refused(error, false),
        }
    }
}

/// The provider, through the gateway's operations (its API, the rate budget, the copy).
struct Provider<'a> {
    ops: &'a Operations,
    writer: &'a Principal,
    runtime: &'a Handle,
}

impl RowWriter for Provider<'_> {
    fn create_customer(
        &mut self,
        input: CustomerInput,
        key: Key<'_>,
    ) -> Result<Option<String>, String> {
        let body = customer_body(&input);
        let keyed = key.keyed(CUSTOMERS, &body)?;
        loop {
            let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
            let create = self.ops.customers_create(self.writer.clone(), sent, Some(keyed.clone()));
            match self.runtime.block_on(create) {
                Ok((_, Reply::Made(made))) => {
                    return Ok(Some(made.into_inner().customer.customer_id));
                }
                Ok((_, Reply::Passed(answer))) => match passed(self.runtime, &answer)? {
                    Passed::Again => continue,
                    Passed::Refused => return Ok(None),
                    Passed::Made => {
                        let made: CreatedCustomer =
                            serde_json::from_slice(&answer.body).map_err(|e| e.to_string())?;
                        return Ok(Some(made.customer.customer_id));
                    }
                },
                Err(error) => return refused(error).map(|()| None),
            }
        }
    }

    fn add_number(
        &mut self,
        customer_id: &str,
        input: PhoneNumberInput,
        key: Key<'_>,
    ) -> Result<bool, String> {
        let body = number_body(&input);
        let keyed = key.keyed(&numbers_path(customer_id), &body)?;
        loop {
            let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
            let create = self.ops.phone_numbers_create(
                self.writer.clone(),
                customer_id.into(),
                sent,
                Some(keyed.clone()),
            );
            match self.runtime.block_on(create) {
                Ok((_, Reply::Made(_))) => return Ok(true),
                Ok((_, Reply::Passed(answer))) => match passed(self.runtime, &answer)? {
                    Passed::Again => continue,
                    Passed::Refused => return Ok(false),
                    Passed::Made => return Ok(true),
                },
                Err(error) => return refused(error).map(|()| false),
            }
        }
    }
}

/// What the provider's answer to a write means for the import.
enum Passed {
    Made,
    /// Its rules refused the write: the row is left as it is.
    Refused,
    /// Its rate limit (or the gateway's share of it): asked again once the wait it asked for
    /// is over.
    Again,
}

fn passed(runtime: &Handle, answer: &Answered) -> Result<Passed, String> {
    match answer.status {
        status if status.is_success() => Ok(Passed::Made),
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds = answer
                .headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
                .unwrap_or(1)
                .clamp(1, 3600);
            runtime.block_on(tokio::time::sleep(std::time::Duration::from_secs(seconds)));
            Ok(Passed::Again)
        }
        status if status.is_client_error() => Ok(Passed::Refused),
        status => Err(format!("The provider answered {status}.")),
    }
}

/// A write the rules refused leaves the row unchanged (`Ok`); a failure of the store or the
/// provider stops the apply.
fn refused(error: ApiError) -> Result<(), String> {
    match error {
        // The provider unreachable, or the gateway's budget refused outright.
        ApiError::Refused(refusal) if refusal.status() >= 500 || refusal.status() == 429 => {
            Err(ErrorBody::refusal(refusal).message)
        }
        ApiError::Validation(_) | ApiError::Refused(_) | ApiError::Unfit { .. } => Ok(()),
        ApiError::Internal(cause) | ApiError::Unavailable(cause) => Err(cause.to_string()),
    }
}

fn json_type() -> HeaderValue {
    HeaderValue::from_static("application/json")
}

fn text(value: &Value) -> &str {
    match value {
        Value::Text(text) => text,
        _ => "",
    }
}

/// A new customer's request body, as a client of the API sends it.
fn customer_body(input: &CustomerInput) -> Bytes {
    let body = json!({
        "businessId": text(&input.business_id),
        "firstName": text(&input.first_name),
        "lastName": text(&input.last_name),
        "externalReference": text(&input.external_reference),
        "phoneNumber": input.phone_number.as_ref().map(number_json),
    });
    Bytes::from(body.to_string())
}

/// A number's request body, as a client of the API sends it.
fn number_body(input: &PhoneNumberInput) -> Bytes {
    Bytes::from(number_json(input).to_string())
}

fn number_json(input: &PhoneNumberInput) -> serde_json::Value {
    json!({
        "phoneName": text(&input.phone_name),
        "countryCode": text(&input.country_code),
        "areaCode": text(&input.area_code),
        "phoneNumber": text(&input.phone_number),
        "phoneType": text(&input.phone_type),
        "isPrimary": input.is_primary == Value::Bool(true),
    })
}
