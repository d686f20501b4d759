//! A create sent to the provider: with an `Idempotency-Key`, claimed in the database first;
//! after an attempt that got no answer, looked for at the provider before it is sent again.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerResource, Listing, PhoneNumberInput,
    PhoneNumberPage, PhoneNumberResource, Refusal, stored_duplicate_key, validate_create,
};
use phone_store::{Change, Claim};

use super::{copy, copy_number, new_customer, read, versioned};
use crate::{
    ApiError, Keyed, Operations, Principal,
    gateway::{Answered, Gateway, every_number, segment},
    now,
};

/// What a create makes: how an attempt whose outcome is unknown is looked for at the
/// provider, and what goes into the copy.
#[derive(Debug, Clone, Copy)]
pub(super) enum Made {
    Customer,
    Number,
}

/// A create as it goes to the provider.
pub(super) struct Creation {
    /// The provider's path.
    pub(super) path: String,
    pub(super) body: Option<(HeaderValue, Bytes)>,
    pub(super) key: Option<Keyed>,
    /// The customer whose number it is.
    pub(super) customer_id: Option<String>,
    pub(super) made: Made,
}

/// Sends a create. With an `Idempotency-Key`, attempts with the key take turns, and the key is
/// claimed in the local database: an answered key gets its answer again; a key whose first
/// attempt got no answer (a timeout) is looked for at the provider before a second attempt is
/// sent.
pub(super) async fn create(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    creation: Creation,
) -> Result<Answered, ApiError> {
    let Creation { path, body, key, customer_id, made } = creation;
    let Some(key) = key else {
        let answer = gateway.send(principal, Method::POST, &path, body).await?;
        take_created(ops, principal, &answer, customer_id, made).await;
        return Ok(created(answer, None));
    };
    let bytes = body.as_ref().map(|(_, b)| b.clone()).unwrap_or_default();
    let attempt = key.attempt(principal);
    let _turn = gateway.turn((attempt.scope.clone(), attempt.key.as_str().to_owned())).await;
    let claimed = attempt.clone();
    match ops.blocking(move |store| Ok(store.claim_key(&claimed, now())?)).await? {
        Claim::Answered(body) => return Ok(replayed(Bytes::from(body))),
        Claim::Reused => return Err(ApiError::Refused(Refusal::IdempotencyKeyReused)),
        Claim::InDoubt => {
            if let Some(found) =
                look_for(gateway, principal, made, customer_id.as_deref(), &bytes).await?
            {
                keep(ops, &attempt, found.clone()).await?;
                return Ok(replayed(found));
            }
        }
        Claim::Fresh => {}
    }
    // No answer: the provider may have made it, and the key stays in doubt. Any answer (the
    // gateway's own 429 among them) says whether it was made.
    let answer = gateway.send(principal, Method::POST, &path, body).await?;
    if answer.status == StatusCode::CREATED {
        keep(ops, &attempt, answer.body.clone()).await?;
    } else {
        release(ops, &attempt).await?;
    }
    take_created(ops, principal, &answer, customer_id, made).await;
    Ok(created(answer, Some(false)))
}

async fn keep(
    ops: &Operations,
    attempt: &phone_store::Attempt,
    body: Bytes,
) -> Result<(), ApiError> {
    let attempt = attempt.clone();
    let body = String::from_utf8_lossy(&body).into_owned();
    ops.blocking(move |store| Ok(store.keep_answer(&attempt, &body)?)).await
}

async fn release(ops: &Operations, attempt: &phone_store::Attempt) -> Result<(), ApiError> {
    let attempt = attempt.clone();
    ops.blocking(move |store| Ok(store.release_key(&attempt)?)).await
}

/// A create's answer: `Idempotent-Replayed` says whether it repeats an earlier one (none
/// without a key); a number's version is its `ETag`.
fn created(answer: Answered, replayed: Option<bool>) -> Answered {
    let mut answer = versioned(answer);
    if let Some(replayed) = replayed {
        let value = HeaderValue::from_static(if replayed { "true" } else { "false" });
        answer.headers.insert("idempotent-replayed", value);
    }
    answer
}

/// The kept answer of an earlier attempt with the same key.
fn replayed(body: Bytes) -> Answered {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    created(Answered { status: StatusCode::CREATED, headers, body }, Some(true))
}

/// What the provider created goes into the copy, recorded as the caller's change.
async fn take_created(
    ops: &Operations,
    principal: &Principal,
    answer: &Answered,
    customer_id: Option<String>,
    made: Made,
) {
    match made {
        Made::Number => {
            if let (Some(number), Some(customer_id)) =
                (read::<PhoneNumberResource>(answer), customer_id)
            {
                copy_number(ops, principal, customer_id, number).await;
            }
        }
        Made::Customer => {
            let Some(created) = read::<CreatedCustomer>(answer) else { return };
            let actor = principal.actor();
            copy(ops, move |store| {
                let change = Change { actor: &actor, at: now() };
                store.mirror_customers(std::slice::from_ref(&created.customer))?;
                Ok(store.mirror_number(
                    &created.customer.customer_id,
                    &created.phone_number,
                    &change,
                )?)
            })
            .await;
        }
    }
}
/// Looks at the provider for what an attempt that got no answer would have made: the
/// customer's number with the body's number (the provider refuses a second one), or the
/// business's customer with the body's external reference. Its answer's body, if found.
async fn look_for(
    gateway: &Gateway,
    principal: &Principal,
    made: Made,
    customer_id: Option<&str>,
    body: &[u8],
) -> Result<Option<Bytes>, ApiError> {
    match (made, customer_id) {
        (Made::Number, Some(customer_id)) => {
            let Ok(input) = serde_json::from_slice::<PhoneNumberInput>(body) else {
                return Ok(None);
            };
            let Ok(number) = validate_create(&input).into_result() else { return Ok(None) };
            let key = number.duplicate_key();
            let numbers = all_numbers(gateway, principal, customer_id).await?;
            Ok(numbers
                .into_iter()
                .find(|n| stored_duplicate_key(n) == key)
                .map(|n| Bytes::from(serde_json::to_vec(&n).expect("a number serialises"))))
        }
        (Made::Customer, _) => {
            let input = serde_json::from_slice::<CustomerInput>(body).ok();
            let Ok(customer) = new_customer(input.as_ref()) else { return Ok(None) };
            if customer.external_reference().is_empty() {
                return Ok(None);
            }
            let path = format!(
                "/customers?businessId={}&externalReference={}",
                segment(customer.business_id()),
                segment(customer.external_reference())
            );
            let answer = gateway.send(principal, Method::GET, &path, None).await?;
            let page = read::<CustomerPage>(&answer).ok_or_else(|| unanswered(&answer))?;
            // Only the business asked for, which the caller's businesses were checked against.
            let within = Listing::Within(customer.business_id());
            let shown = |c: &CustomerResource| within.shows(Some(&c.business.business_id));
            let Some(customer) = page.customers.into_iter().find(shown) else { return Ok(None) };
            let numbers = all_numbers(gateway, principal, &customer.customer_id).await?;
            let Some(phone_number) = numbers.into_iter().find(|n| n.is_primary) else {
                return Ok(None);
            };
            let created = CreatedCustomer { customer, phone_number };
            Ok(Some(Bytes::from(serde_json::to_vec(&created).expect("a customer serialises"))))
        }
        (Made::Number, None) => Ok(None),
    }
}

/// A look-up the provider did not answer with what was asked for (a 429, a 5xx, something
/// unreadable): the key stays in doubt, and the caller is told the provider failed, rather
/// than the create being sent again on a guess.
fn unanswered(answer: &Answered) -> ApiError {
    tracing::warn!(status = %answer.status, "a look-up for an attempt in doubt was not answered");
    ApiError::Refused(Refusal::UpstreamUnreachable)
}

/// Every number of a customer at the provider, for a person: anything but the page asked
/// for (a 404 too) is [`unanswered`].
async fn all_numbers(
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
) -> Result<Vec<PhoneNumberResource>, ApiError> {
    let numbers = every_number(customer_id, |path| {
        Box::pin(async move {
            let answer = gateway.send(principal, Method::GET, &path, None).await?;
            read::<PhoneNumberPage>(&answer).map(Some).ok_or_else(|| unanswered(&answer))
        })
    });
    Ok(numbers.await?.unwrap_or_default())
}
