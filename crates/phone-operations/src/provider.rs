//! The contract's operations in gateway mode. Each checks the caller's businesses against the
//! customer (from the copy, or from the provider when the copy does not have it yet), goes to
//! the provider, and passes its answer on; a write the provider made goes into the copy and the
//! history. Search, history and the review are answered from the copy, as in the other modes.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerResource, IfMatch, NewCustomer,
    PhoneNumberChange, PhoneNumberInput, PhoneNumberPage, PhoneNumberResource, Refusal,
    ValidationError, Warning, stored_duplicate_key, validate_create, validate_new_customer,
    validate_update,
};
use phone_store::{Answer, Change, Claim};
use serde::de::DeserializeOwned;

use crate::{
    ApiError, Condition, Keyed, ListQuery, NumberIds, Operations, Principal, Reply, Sent,
    gateway::{Answered, Gateway, every_number, segment, succeeded},
    local, now,
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

/// `GET /customers`: a search from the copy; else the provider's list, within the caller's
/// businesses (asked for by `businessId` when the caller has one business; from the copy when
/// it has several, since the provider's list would be everyone's).
pub(crate) async fn customers_list(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    query: ListQuery,
) -> Result<Reply<CustomerPage>, ApiError> {
    if query.get("search").is_some() {
        return local::customers_list(ops, principal, &query).await.map(Reply::Made);
    }
    let asked = query.get("businessId").map(str::trim).filter(|b| !b.is_empty());
    let path = match (principal.businesses().ids(), asked) {
        (None, _) => format!("/customers{}", query.as_sent()),
        (Some(_), Some(business)) => {
            principal.businesses().check_new_customer(business).map_err(ApiError::Refused)?;
            listed_within(&query, business)
        }
        (Some([only]), None) => listed_within(&query, only),
        (Some(_), None) => {
            return local::customers_list(ops, principal, &query).await.map(Reply::Made);
        }
    };
    Ok(Reply::Passed(gateway.send(&principal, Method::GET, &path, None).await?))
}

/// The provider's customer list for a caller of some businesses, within `business`: the query
/// made again from the parameters the contract knows, with one `businessId` (a caller's
/// `businessId=` or `BusinessId=OTHER` never reaches the provider).
fn listed_within(query: &ListQuery, business: &str) -> String {
    let mut path = format!("/customers?businessId={}", segment(business));
    for name in ["limit", "nextCursor", "externalReference"] {
        if let Some(value) = query.get(name) {
            path.push_str(&format!("&{name}={}", segment(value)));
        }
    }
    path
}

/// `GET /customers/{customerId}`.
pub(crate) async fn customers_get(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
) -> Result<Reply<CustomerResource>, ApiError> {
    ended(
        async {
            if let Some(fetched) = known(ops, gateway, principal, customer_id).await? {
                return Ok(Reply::Passed(fetched));
            }
            let path = customer_path(customer_id, None);
            Ok(Reply::Passed(gateway.send(principal, Method::GET, &path, None).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumberHistory`: the changes made through the gateway, from the copy, once the
/// customer is known there.
pub(crate) async fn phone_number_history(
    ops: &Operations,
    gateway: &Gateway,
    principal: Principal,
    customer_id: String,
) -> Result<Reply<Vec<PhoneNumberChange>>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, &principal, &customer_id).await?;
            Ok(Reply::Made(local::phone_number_history(ops, principal, customer_id).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumbers`. (Reads leave the copy alone: the sync keeps it, and a write on every
/// read would cost every read.)
pub(crate) async fn phone_numbers_list(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    customer_id: &str,
    query: &ListQuery,
) -> Result<Reply<PhoneNumberPage>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, principal, customer_id).await?;
            let path = format!("{}{}", customer_path(customer_id, Some(None)), query.as_sent());
            Ok(Reply::Passed(gateway.send(principal, Method::GET, &path, None).await?))
        }
        .await,
    )
}

/// `GET …/phoneNumbers/{phoneNumberId}`, with its `ETag`, and `If-Match` compared.
pub(crate) async fn phone_numbers_get(
    ops: &Operations,
    gateway: &Gateway,
    principal: &Principal,
    ids: &NumberIds,
    condition: Condition,
) -> Result<Reply<PhoneNumberResource>, ApiError> {
    ended(
        async {
            check_known(ops, gateway, principal, &ids.customer_id).await?;
            let path = customer_path(&ids.customer_id, Some(Some(&ids.phone_number_id)));
            let answer = gateway.send(principal, Method::GET, &path, None).await?;
            if let Some(number) = read::<PhoneNumberResource>(&answer) {
                let condition = condition.map_err(ApiError::invalid)?;
                IfMatch::check(condition.as_ref(), number.version()).map_err(ApiError::Refused)?;
            }
            Ok(Reply::Passed(versioned(answer)))
        }
        .await,
    )
}

/// Compares `If-Match` with the number's version at the provider, just before a change: not
/// atomic (the provider has no condition of its own), but a change made before this read is
/// never overwritten. As on a server of its own, a number that is not there is a 404 whatever
/// the header, and a malformed header is a 400 together with the body's errors (the core's
/// rules, which are the provider's) for one that is.
async fn compare(
    gateway: &Gateway,
    principal: &Principal,
    path: &str,
    condition: Condition,
    body_errors: impl FnOnce() -> Vec<ValidationError>,
) -> Result<(), Stop> {
    let condition = match condition {
        Ok(None) => return Ok(()),
        Ok(Some(condition)) => Ok(condition),
        Err(malformed) => Err(malformed),
    };
    let current = gateway.send(principal, Method::GET, path, None).await?;
    let Some(number) = read::<PhoneNumberResource>(&current) else {
        return Err(refused_or_unreadable(current));
    };
    let condition = condition.map_err(|malformed| {
        let mut errors = vec![malformed];
        errors.extend(body_errors());
        ApiError::from(errors)
    })?;
    IfMatch::check(Some(&condition), number.version()).map_err(ApiError::Refused)?;
    Ok(())
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

/// What a create makes: how an attempt whose outcome is unknown is looked for at the
/// provider, and what goes into the copy.
#[derive(Debug, Clone, Copy)]
enum Made {
    Customer,
    Number,
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

/// A create as it goes to the provider.
struct Creation {
    /// The provider's path.
    path: String,
    body: Option<(HeaderValue, Bytes)>,
    key: Option<Keyed>,
    /// The customer whose number it is.
    customer_id: Option<String>,
    made: Made,
}

/// Sends a create. With an `Idempotency-Key`, attempts with the key take turns, and the key is
/// claimed in the local database: an answered key gets its answer again; a key whose first
/// attempt got no answer (a timeout) is looked for at the provider before a second attempt is
/// sent.
async fn create(
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
    let _turn = gateway.turn((attempt.scope.clone(), attempt.key.clone())).await;
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
            let Some(customer) = page.customers.into_iter().next() else { return Ok(None) };
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
