//! Applying a dry run: its rows judged again, one after another, against the business as it is
//! now, and each row's writes made through the same operations as the API's (a customer made
//! with their primary number, then their other numbers), each with an idempotency key of the
//! import, the row and the number. A row is the unit: a cancel stops between rows, and the
//! apply runs in a task of its own, so a closed tab leaves no row half made. After a crash,
//! applying the same file again finds what the rows made (by reference, or by name and number,
//! or by the key's kept answer) and writes only the rest.

use std::{sync::Arc, time::Instant};

use axum::http::{HeaderValue, StatusCode};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, ErrorBody, IdempotencyKey, PhoneNumberInput, Value,
    import::{ImportDecisions, ImportState, Judge, Verdict},
};
use serde_json::json;

use super::{Held, stored_customers};
use crate::{Answered, ApiError, Keyed, Operations, Principal, Reply, Sent};

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
    held: &Held,
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
    let writer = importing(principal, &held.id);
    let started = Instant::now();
    for row in held.rows.iter().filter(|row| !decisions.skip.contains(row.number)) {
        if held.is_cancelled() {
            return Ok(ImportState::Cancelled);
        }
        let accept = decisions.accept_repairs.contains(row.number);
        let verdict = judge.judge(row.number, &row.cells, accept);
        let applied = write(ops, &writer, held, &mut judge, verdict).await?;
        held.update(|progress| {
            progress.done += 1;
            match applied {
                Applied::Created(numbers) => {
                    progress.customers_created += 1;
                    progress.numbers_added += numbers;
                }
                Applied::Added(numbers) => progress.numbers_added += numbers,
                Applied::Unchanged => progress.unchanged += 1,
            }
            // At the pace so far: in front of the provider, its rate budget sets it.
            let left = f64::from(progress.rows.saturating_sub(progress.done));
            let per_row = started.elapsed().as_secs_f64() / f64::from(progress.done);
            progress.seconds_left = Some((left * per_row).ceil() as u32);
        });
    }
    Ok(ImportState::Done)
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

/// Makes a row's writes. `Err` only when the store or the provider fails, which stops the
/// apply (applying again resumes it); a write the rules refuse leaves its row unchanged.
async fn write(
    ops: &Operations,
    writer: &Principal,
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
            let Some(id) = create_customer(ops, writer, input, key(0)).await? else {
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
        if add_number(ops, writer, &customer_id, input, key(number)).await? {
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
    fn keyed(self, path: &str, body: &[u8]) -> Result<Keyed, String> {
        let text = format!("import-{}-{}-{}", self.import, self.row, self.number);
        let key = IdempotencyKey::parse(&text).map_err(|e| e.message().to_owned())?;
        Ok(Keyed::new(key, "POST", path, body))
    }
}

/// Makes the customer: their id, or `None` when the rules (or the provider) refused them.
async fn create_customer(
    ops: &Operations,
    writer: &Principal,
    input: CustomerInput,
    key: Key<'_>,
) -> Result<Option<String>, String> {
    let body = json!({
        "businessId": text(&input.business_id),
        "firstName": text(&input.first_name),
        "lastName": text(&input.last_name),
        "externalReference": text(&input.external_reference),
        "phoneNumber": input.phone_number.as_ref().map(number_body),
    });
    let body = Bytes::from(body.to_string());
    let keyed = key.keyed("/CustomerServices/v1.0/customers", &body)?;
    loop {
        let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
        let answer = ops.customers_create(writer.clone(), sent, Some(keyed.clone())).await;
        match answer {
            Ok((_, Reply::Made(made))) => return Ok(Some(made.into_inner().customer.customer_id)),
            Ok((_, Reply::Passed(answer))) => match passed(&answer).await? {
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

/// Adds a number to the customer: whether it was added.
async fn add_number(
    ops: &Operations,
    writer: &Principal,
    customer_id: &str,
    input: PhoneNumberInput,
    key: Key<'_>,
) -> Result<bool, String> {
    let body = Bytes::from(number_body(&input).to_string());
    let path = format!("/CustomerServices/v1.0/customers/{customer_id}/phoneNumbers");
    let keyed = key.keyed(&path, &body)?;
    loop {
        let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
        let answer =
            ops.phone_numbers_create(writer.clone(), customer_id.into(), sent, Some(keyed.clone()));
        match answer.await {
            Ok((_, Reply::Made(_))) => return Ok(true),
            Ok((_, Reply::Passed(answer))) => match passed(&answer).await? {
                Passed::Again => continue,
                Passed::Refused => return Ok(false),
                Passed::Made => return Ok(true),
            },
            Err(error) => return refused(error).map(|()| false),
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

async fn passed(answer: &Answered) -> Result<Passed, String> {
    match answer.status {
        status if status.is_success() => Ok(Passed::Made),
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds = answer
                .headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
                .unwrap_or(1)
                .clamp(1, 3600);
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
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

/// A number's request body, as a client of the API sends it.
fn number_body(input: &PhoneNumberInput) -> serde_json::Value {
    json!({
        "phoneName": text(&input.phone_name),
        "countryCode": text(&input.country_code),
        "areaCode": text(&input.area_code),
        "phoneNumber": text(&input.phone_number),
        "phoneType": text(&input.phone_type),
        "isPrimary": input.is_primary == Value::Bool(true),
    })
}
