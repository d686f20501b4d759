//! The contract's operations in gateway mode. Each checks the caller's businesses against the
//! customer (from the copy, or from the provider when the copy does not have it yet), goes to
//! the provider, and passes its answer on; a write the provider made goes into the copy and the
//! history. Search, history and the review are answered from the copy, as in the other modes.

mod create;
mod reads;

use axum::http::{HeaderValue, Method, header};
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerResource, NewCustomer, PhoneNumberInput,
    PhoneNumberResource, Refusal, Refused, ValidationError, Warning, first_refusal,
    validate_create, validate_new_customer, validate_update,
};
use phone_store::{Answer, Change};
use serde::de::DeserializeOwned;

use self::create::{Creation, Made, create};
pub(crate) use self::reads::{
    customers_get, customers_list, phone_number_history, phone_numbers_get, phone_numbers_list,
};
use crate::{
    ApiError, Condition, Keyed, NumberIds, Operations, Principal, Reply, Sent,
    gateway::{Answered, Gateway, segment, succeeded},
    now,
};

/// Why a request stops before its own upstream call: the contract's refusal, or the provider's
/// answer to the call that looked the customer up, passed on.
#[derive(Debug)]
pub(crate) enum Stop {
    Refused(ApiError),
    Passed(Answered),
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Self {
        Self::Refused(error)
    }
}

/// An operation's end: a stop that passes the provider's answer on is a reply like any other.
fn ended<T>(result: Result<T, Stop>) -> Result<T, ApiError>
where
    T: From<Answered>,
{
    match result {
        Ok(done) => Ok(done),
        Err(Stop::Refused(error)) => Err(error),
        Err(Stop::Passed(answer)) => Ok(T::from(answer)),
    }
}

impl<T> From<Answered> for Reply<T> {
    fn from(answer: Answered) -> Self {
        Self::Passed(answer)
    }
}

impl<T> From<Answered> for (Vec<Warning>, Reply<T>) {
    fn from(answer: Answered) -> Self {
        (Vec::new(), Reply::Passed(answer))
    }
}

/// The provider's answer with a number's version as its `ETag`, when it is a number.
fn versioned(mut answer: Answered) -> Answered {
    let version = read::<PhoneNumberResource>(&answer).map(|n| n.version().to_string());
    if let Some(version) = version.and_then(|v| HeaderValue::from_str(&v).ok()) {
        answer.headers.insert(header::ETAG, version);
    }
    answer
}

/// What stops a request when the provider's answer to a lookup is not the thing looked up:
/// its refusal, passed on; or, for a success that cannot be read, a 502, never the success
/// (which would answer a write with a read, or skip the caller's businesses).
fn refused_or_unreadable(answer: Answered) -> Stop {
    if answer.status.is_success() {
        tracing::warn!(status = %answer.status, "the provider's answer could not be read");
        Stop::Refused(ApiError::Refused(Refusal::UpstreamUnreachable))
    } else {
        Stop::Passed(answer)
    }
}

/// A success's body, read as `T`.
fn read<T: DeserializeOwned>(answer: &Answered) -> Option<T> {
    succeeded(answer).then(|| serde_json::from_slice(&answer.body).ok()).flatten()
}

/// The provider's path of a customer, or of its numbers or one number, made from the ids
/// the caller's businesses were checked against (never the raw path, which might name
/// something else once the provider decodes it).
fn customer_path(customer_id: &str, number: Option<Option<&str>>) -> String {
    let customer = format!("/customers/{}", segment(customer_id));
    match number {
        None => customer,
        Some(None) => format!("{customer}/phoneNumbers"),
        Some(Some(id)) => format!("{customer}/phoneNumbers/{}", segment(id)),
    }
}

/// Makes sure the copy has the customer and the caller may see it: 404 or the provider's
/// answer when it does not exist there, 403 when it is another business's. The provider's
/// answer, when the customer had to be fetched.
async fn known(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
) -> Result<Option<Answered>, Stop> {
    let id = customer_id.to_owned();
    let copied = ops.small_read(move |store| Ok(store.mirrored_business(&id)?)).await?;
    let (business, fetched) = match copied {
        Some(business) => (business, None),
        None => {
            let path = customer_path(customer_id, None);
            let answer = gateway.send(principal, Method::GET, &path, None).await?;
            let Some(customer) = read::<CustomerResource>(&answer) else {
                return Err(refused_or_unreadable(answer));
            };
            let business = customer.business.business_id.clone();
            ops.blocking(move |store| Ok(store.mirror_customers(&[customer])?)).await?;
            (business, Some(answer))
        }
    };
    principal.businesses().check_customer(Some(&business)).map_err(ApiError::Refused)?;
    Ok(fetched)
}

/// [`known`], for an operation that goes on only when the customer is there and the caller's.
async fn check_known(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
) -> Result<(), Stop> {
    known(ops, gateway, principal, customer_id).await.map(drop)
}

/// Puts what the provider made into the copy before the caller hears of it, so that search,
/// history and the review know it at once. A copy that fails to take it is logged (the sync
/// mends it), never the caller's failure: the provider made the change.
async fn copy(
    ops: &Operations,
    work: impl FnOnce(&phone_store::Store) -> Result<(), ApiError> + Send + 'static,
) {
    if let Err(error) = ops.blocking(work).await {
        tracing::warn!(?error, "the gateway's copy did not take the provider's answer");
    }
}

/// A number the provider wrote for `principal` goes into the copy, recorded as their change.
async fn copy_number(
    ops: &Operations,
    principal: &Principal,
    customer_id: String,
    number: PhoneNumberResource,
) {
    let actor = principal.actor();
    copy(ops, move |store| {
        Ok(store.mirror_number(&customer_id, &number, &Change { actor: &actor, at: now() })?)
    })
    .await;
}

/// Compares `If-Match` with the number's version at the provider, just before a change: not
/// atomic (the provider has no condition of its own), but a change made before this read is
/// never overwritten. As on a server of its own, the core's [`first_refusal`] answers: a number
/// that is not there is a 404 whatever the header, and a malformed header is a 400 together with
/// the body's errors (the core's rules, which are the provider's) for one that is. Without a
/// header nothing is looked up: the provider answers for the number and the body.
async fn compare(
    gateway: &Gateway,
    principal: &Principal,
    path: &str,
    condition: Condition,
    body_errors: impl FnOnce() -> Vec<ValidationError>,
) -> Result<(), Stop> {
    if let Ok(None) = condition {
        return Ok(());
    }
    let current = gateway.send(principal, Method::GET, path, None).await?;
    let number = read::<PhoneNumberResource>(&current).map(|number| Some(number.version()));
    // The provider judges the body of what it is sent; a malformed header is not sent.
    let errors = if condition.is_err() { body_errors() } else { Vec::new() };
    first_refusal(number.ok_or(current), &condition, errors).map_err(refused)
}

/// What stops a request for the refusal that comes first: the provider's answer to the
/// number's look-up, passed on, or the contract's refusal.
fn refused(first: Refused<Answered>) -> Stop {
    match first {
        Refused::Target(current) => refused_or_unreadable(current),
        Refused::PreconditionFailed => ApiError::Refused(Refusal::PreconditionFailed).into(),
        Refused::Invalid(errors) => ApiError::from(errors).into(),
    }
}

/// `PUT …/phoneNumbers/{phoneNumberId}`: the body goes to the provider as it was sent, which
/// judges it; the core's warnings go with a success.
pub(crate) async fn phone_numbers_update(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    ids: NumberIds,
    condition: Condition,
    sent: Sent<PhoneNumberInput>,
) -> Result<(Vec<Warning>, Reply<PhoneNumberResource>), ApiError> {
    ended(
        async {
            let NumberIds { customer_id, phone_number_id } = ids;
            check_known(ops, gateway, &principal, &customer_id).await?;
            let path = customer_path(&customer_id, Some(Some(&phone_number_id)));
            let validation = sent.read.ok().map(|input| validate_update(&phone_number_id, &input));
            let warnings = validation.as_ref().map_or_else(Vec::new, |v| v.warnings().to_vec());
            let body_errors = || match validation {
                Some(validation) => validation.errors().to_vec(),
                None => vec![ValidationError::BodyInvalid],
            };
            compare(gateway, &principal, &path, condition, body_errors).await?;
            let answer = gateway.send(&principal, Method::PUT, &path, sent.raw).await?;
            if let Some(number) = read::<PhoneNumberResource>(&answer) {
                copy_number(ops, &principal, customer_id, number).await;
            }
            Ok((told(&answer, warnings), Reply::Passed(versioned(answer))))
        }
        .await,
    )
}

/// The warnings the core's rules give a request, when the provider made the write: the
/// provider sends none of its own, and a caller of the gateway is told what a caller of a
/// server of its own is.
fn told(answer: &Answered, warnings: Vec<Warning>) -> Vec<Warning> {
    if answer.status.is_success() { warnings } else { Vec::new() }
}

/// `DELETE …/phoneNumbers/{phoneNumberId}`.
pub(crate) async fn phone_numbers_delete(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    ids: NumberIds,
    condition: Condition,
) -> Result<Reply<()>, ApiError> {
    ended(
        async {
            let NumberIds { customer_id, phone_number_id } = ids;
            check_known(ops, gateway, &principal, &customer_id).await?;
            let path = customer_path(&customer_id, Some(Some(&phone_number_id)));
            compare(gateway, &principal, &path, condition, Vec::new).await?;
            let answer = gateway.send(&principal, Method::DELETE, &path, None).await?;
            if succeeded(&answer) {
                copy(ops, move |store| {
                    let actor = principal.actor();
                    let change = Change { actor: &actor, at: now() };
                    Ok(store.mirror_deletion(&customer_id, &phone_number_id, &change)?)
                })
                .await;
            }
            Ok(Reply::Passed(answer))
        }
        .await,
    )
}

/// `POST /customers`: in one of the caller's businesses.
pub(crate) async fn customers_create(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    sent: Sent<CustomerInput>,
    key: Option<Keyed>,
) -> Result<(Vec<Warning>, Reply<Answer<CreatedCustomer>>), ApiError> {
    // A caller of some businesses: the body is read as the provider reads it, and its business
    // checked; a body whose business cannot be read gets the core's errors rather than going
    // on unchecked.
    let input = sent.read.ok();
    if principal.businesses().ids().is_some() {
        let customer = new_customer(input.as_ref())?;
        let business = customer.business_id();
        principal.businesses().check_new_customer(business).map_err(ApiError::Refused)?;
    }
    let warnings = input.map_or_else(Vec::new, |input| validate_new_customer(&input).1);
    let creation = Creation {
        path: "/customers".to_owned(),
        body: sent.raw,
        key,
        customer_id: None,
        made: Made::Customer,
    };
    let answer = create(ops, gateway, &principal, creation).await?;
    Ok((told(&answer, warnings), Reply::Passed(answer)))
}

/// A new customer's body, judged by the core's rules.
fn new_customer(input: Option<&CustomerInput>) -> Result<NewCustomer, ApiError> {
    let input = input.ok_or_else(|| ApiError::invalid(ValidationError::BodyMalformed))?;
    validate_new_customer(input).0.map_err(ApiError::Validation)
}

/// `POST …/phoneNumbers`.
pub(crate) async fn phone_numbers_create(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    customer_id: String,
    sent: Sent<PhoneNumberInput>,
    key: Option<Keyed>,
) -> Result<(Vec<Warning>, Reply<Answer<PhoneNumberResource>>), ApiError> {
    ended(
        async {
            check_known(ops, gateway, &principal, &customer_id).await?;
            let path = customer_path(&customer_id, Some(None));
            let warnings = sent
                .read
                .as_ref()
                .map_or_else(|_| Vec::new(), |input| validate_create(input).warnings().to_vec());
            let customer_id = Some(customer_id);
            let creation = Creation { path, body: sent.raw, key, customer_id, made: Made::Number };
            let answer = create(ops, gateway, &principal, creation).await?;
            Ok((told(&answer, warnings), Reply::Passed(answer)))
        }
        .await,
    )
}
