//! Where an import's rows are written: the server's own database, a batch of rows in one
//! transaction through the store's own creates ([`Local`]); or the provider, one request at a
//! time through the gateway's operations and rate budget ([`Provider`]).

use axum::http::{HeaderValue, StatusCode};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, ErrorBody, IdempotencyKey, PhoneNumberInput,
    PhoneNumberResource, Value, Warning, validate_create, validate_new_customer,
};
use phone_store::{Answer, Batch, Change, OperationError, StoreError};
use serde::de::DeserializeOwned;
use serde_json::json;
use tokio::runtime::Handle;

use crate::{Answered, ApiError, Keyed, Operations, Principal, Reply, Sent, now};

/// The server's own database: the rows of a batch, in its one transaction.
pub(super) struct Local<'b, 'a> {
    pub batch: &'b mut Batch<'a>,
    pub writer: &'b Principal,
    pub actor: &'b str,
    /// The store's failure, which ends the batch (and rolls it back).
    pub failed: &'b mut Option<StoreError>,
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
pub(super) struct Provider<'a> {
    pub ops: &'a Operations,
    pub writer: &'a Principal,
    pub runtime: &'a Handle,
}

impl Provider<'_> {
    /// Sends the create `send` makes until the provider answers it, asking again after each
    /// wait its rate limit asks for: what was made, or `None` when its rules refused it.
    fn until_answered<T, F>(&self, send: impl Fn() -> F) -> Result<Option<T>, String>
    where
        T: DeserializeOwned,
        F: Future<Output = Result<(Vec<Warning>, Reply<Answer<T>>), ApiError>>,
    {
        loop {
            match self.runtime.block_on(send()) {
                Ok((_, Reply::Made(made))) => return Ok(Some(made.into_inner())),
                Ok((_, Reply::Passed(answer))) => match passed(self.runtime, &answer)? {
                    Passed::Again => {}
                    Passed::Refused => return Ok(None),
                    Passed::Made => {
                        return serde_json::from_slice(&answer.body)
                            .map(Some)
                            .map_err(|e| e.to_string());
                    }
                },
                Err(error) => return refused(error).map(|()| None),
            }
        }
    }
}

impl RowWriter for Provider<'_> {
    fn create_customer(
        &mut self,
        input: CustomerInput,
        key: Key<'_>,
    ) -> Result<Option<String>, String> {
        let body = customer_body(&input);
        let keyed = key.keyed(CUSTOMERS, &body)?;
        let made: Option<CreatedCustomer> = self.until_answered(|| {
            let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
            self.ops.customers_create(self.writer.clone(), sent, Some(keyed.clone()))
        })?;
        Ok(made.map(|made| made.customer.customer_id))
    }

    fn add_number(
        &mut self,
        customer_id: &str,
        input: PhoneNumberInput,
        key: Key<'_>,
    ) -> Result<bool, String> {
        let body = number_body(&input);
        let keyed = key.keyed(&numbers_path(customer_id), &body)?;
        let made: Option<PhoneNumberResource> = self.until_answered(|| {
            let sent = Sent { raw: Some((json_type(), body.clone())), read: Ok(input.clone()) };
            let customer_id = customer_id.to_owned();
            self.ops.phone_numbers_create(
                self.writer.clone(),
                customer_id,
                sent,
                Some(keyed.clone()),
            )
        })?;
        Ok(made.is_some())
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

/// Where a row's writes go: `Err` only when the store or the provider fails, which stops the
/// apply (applying again resumes it); a write the rules refuse leaves its row unchanged.
pub(super) trait RowWriter {
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

/// A write's idempotency key: the import's, the row's, and what the write is (the customer, or
/// the number of one column), so that a write keeps its key however the row's other writes
/// went (a repair declined once and accepted later, a create that was made before a crash).
#[derive(Clone, Copy)]
pub(super) struct Key<'a> {
    pub import: &'a str,
    pub row: u32,
    /// `None`: the customer; `Some(n)`: the number in the row's column `n`.
    pub column: Option<usize>,
}

impl Key<'_> {
    /// The key of a create of `path` with `body`, as a client's request would be keyed.
    pub(super) fn keyed(self, path: &str, body: &[u8]) -> Result<Keyed, String> {
        let what = self.column.map_or_else(|| "customer".to_owned(), |n| format!("column-{n}"));
        let text = format!("import-{}-{}-{what}", self.import, self.row);
        let key = IdempotencyKey::parse(&text).map_err(|e| e.message().to_owned())?;
        Ok(Keyed::new(key, "POST", path, body))
    }
}

pub(super) const CUSTOMERS: &str = "/CustomerServices/v1.0/customers";

pub(super) fn numbers_path(customer_id: &str) -> String {
    format!("{CUSTOMERS}/{customer_id}/phoneNumbers")
}

/// A new customer's request body, as a client of the API sends it.
pub(super) fn customer_body(input: &CustomerInput) -> Bytes {
    let body = json!({
        "businessId": input.business_id.as_text(),
        "firstName": input.first_name.as_text(),
        "lastName": input.last_name.as_text(),
        "externalReference": input.external_reference.as_text(),
        "phoneNumber": input.phone_number.as_ref().map(number_json),
    });
    Bytes::from(body.to_string())
}

/// A number's request body, as a client of the API sends it.
pub(super) fn number_body(input: &PhoneNumberInput) -> Bytes {
    Bytes::from(number_json(input).to_string())
}

fn number_json(input: &PhoneNumberInput) -> serde_json::Value {
    json!({
        "phoneName": input.phone_name.as_text(),
        "countryCode": input.country_code.as_text(),
        "areaCode": input.area_code.as_text(),
        "phoneNumber": input.phone_number.as_text(),
        "phoneType": input.phone_type.as_text(),
        "isPrimary": input.is_primary == Value::Bool(true),
    })
}
