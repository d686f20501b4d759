//! The contract's operations in gateway mode. Each checks the caller's businesses against the
//! customer (from the copy, or from the provider when the copy does not have it yet), goes to
//! the provider, and passes its answer on; a write the provider made goes into the copy and the
//! history. Search, history and the review are answered from the copy, as in the other modes.

use std::sync::Arc;

use axum::{
    Extension, Json, Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::{get, put},
};
use bytes::Bytes;
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerResource, IdempotencyKey, IfMatch,
    NewCustomer, PhoneNumberInput, PhoneNumberPage, PhoneNumberResource, Refusal, ValidationError,
    Warning, stored_duplicate_key, validate_create, validate_new_customer, validate_update,
};
use serde::de::DeserializeOwned;

use super::{Answered, Gateway, every_number, segment, succeeded};
use crate::{
    AppState,
    auth::{Principal, now},
    error::ApiError,
    extract::{Ids, ListQuery, Precondition, fingerprint, idempotency_key},
    routes::{blocking, customers, review, small_read},
    store::{Attempt, Change, Claim},
    warned,
};

/// The API's routes in gateway mode (the same paths as [`crate::routes::api`]), and the
/// gateway's own `GET /gatewayStatus`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/customers", get(customers_list).post(customers_create))
        .route("/customers/{customerId}", get(customer_get))
        .route("/customers/{customerId}/phoneNumbers", get(numbers_list).post(number_create))
        .route(
            "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
            get(number_get).put(number_update).delete(number_delete),
        )
        .route("/customers/{customerId}/phoneNumberHistory", get(history))
        .route("/phoneNumberReview", get(review::phone_number_review))
        // Marks are Phonedesk's own, kept beside the copy the review reads: answered locally.
        .route(
            "/customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected",
            put(review::shared_expected_put).delete(review::shared_expected_delete),
        )
        .route("/gatewayStatus", get(status))
}

/// Why a request stops before its own upstream call: the contract's refusal, or the provider's
/// answer to the call that looked the customer up, passed on.
#[derive(Debug)]
pub enum Stop {
    Refused(ApiError),
    Passed(Answered),
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Self {
        Self::Refused(error)
    }
}

impl IntoResponse for Stop {
    fn into_response(self) -> Response {
        match self {
            Self::Refused(error) => error.into_response(),
            Self::Passed(answer) => pass_on(answer),
        }
    }
}

/// The provider's answer as the caller gets it.
fn pass_on(answer: Answered) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers;
    response
}

/// The provider's answer with a number's version as its `ETag`, when it is a number.
fn versioned(answer: Answered) -> Response {
    let version = read::<PhoneNumberResource>(&answer).map(|n| n.version().to_string());
    let mut response = pass_on(answer);
    if let Some(version) = version.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::ETAG, version);
    }
    response
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

fn gateway(state: &AppState) -> Arc<Gateway> {
    Arc::clone(state.gateway.as_ref().expect("the gateway's routes are served in gateway mode"))
}

/// A request's query string with its `?`, as sent (or nothing).
fn query_of(uri: &Uri) -> String {
    uri.query().map_or_else(String::new, |query| format!("?{query}"))
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
    state: &AppState,
    principal: &Principal,
    customer_id: &str,
) -> Result<Option<Answered>, Stop> {
    let id = customer_id.to_owned();
    let copied = small_read(state, move |store| Ok(store.mirrored_business(&id)?)).await?;
    let (business, fetched) = match copied {
        Some(business) => (business, None),
        None => {
            let path = customer_path(customer_id, None);
            let answer = gateway(state).send(principal, Method::GET, &path, None).await?;
            let Some(customer) = read::<CustomerResource>(&answer) else {
                return Err(refused_or_unreadable(answer));
            };
            let business = customer.business.business_id.clone();
            blocking(state, move |store| Ok(store.mirror_customers(&[customer])?)).await?;
            (business, Some(answer))
        }
    };
    principal.businesses().check_customer(Some(&business)).map_err(ApiError::Refused)?;
    Ok(fetched)
}

/// Puts what the provider made into the copy before the caller hears of it, so that search,
/// history and the review know it at once. A copy that fails to take it is logged (the sync
/// mends it), never the caller's failure: the provider made the change.
async fn copy(
    state: &AppState,
    work: impl FnOnce(&crate::store::Store) -> Result<(), ApiError> + Send + 'static,
) {
    if let Err(error) = blocking(state, work).await {
        tracing::warn!(?error, "the gateway's copy did not take the provider's answer");
    }
}

/// A number the provider wrote for `principal` goes into the copy, recorded as their change.
async fn copy_number(
    state: &AppState,
    principal: &Principal,
    customer_id: String,
    number: PhoneNumberResource,
) {
    let actor = principal.actor();
    copy(state, move |store| {
        Ok(store.mirror_number(&customer_id, &number, &Change { actor: &actor, at: now() })?)
    })
    .await;
}

/// `GET /customers`: a search from the copy; else the provider's list, within the caller's
/// businesses (asked for by `businessId` when the caller has one business; from the copy when
/// it has several, since the provider's list would be everyone's).
async fn customers_list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: ListQuery,
    uri: Uri,
) -> Result<Response, Stop> {
    let local = |state, principal, query| async move {
        customers::customers_list(State(state), Extension(principal), query)
            .await
            .map(IntoResponse::into_response)
            .map_err(Stop::from)
    };
    if query.get("search").is_some() {
        return local(state, principal, query).await;
    }
    let asked = query.get("businessId").map(str::trim).filter(|b| !b.is_empty());
    let path = match (principal.businesses().ids(), asked) {
        (None, _) => format!("/customers{}", query_of(&uri)),
        (Some(_), Some(business)) => {
            principal.businesses().check_new_customer(business).map_err(ApiError::Refused)?;
            listed_within(&query, business)
        }
        (Some([only]), None) => listed_within(&query, only),
        (Some(_), None) => return local(state, principal, query).await,
    };
    Ok(pass_on(gateway(&state).send(&principal, Method::GET, &path, None).await?))
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
async fn customer_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
) -> Result<Response, Stop> {
    if let Some(fetched) = known(&state, &principal, &customer_id).await? {
        return Ok(pass_on(fetched));
    }
    let path = customer_path(&customer_id, None);
    Ok(pass_on(gateway(&state).send(&principal, Method::GET, &path, None).await?))
}

/// `GET …/phoneNumbers`. (Reads leave the copy alone: the sync keeps it, and a write on every
/// read would cost every read.)
async fn numbers_list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
    uri: Uri,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    let path = format!("{}{}", customer_path(&customer_id, Some(None)), query_of(&uri));
    Ok(pass_on(gateway(&state).send(&principal, Method::GET, &path, None).await?))
}

/// `GET …/phoneNumbers/{phoneNumberId}`, with its `ETag`, and `If-Match` compared.
async fn number_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    Precondition(condition): Precondition,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    let path = customer_path(&customer_id, Some(Some(&phone_number_id)));
    let answer = gateway(&state).send(&principal, Method::GET, &path, None).await?;
    if let Some(number) = read::<PhoneNumberResource>(&answer) {
        let condition = condition.map_err(ApiError::invalid)?;
        IfMatch::check(condition.as_ref(), number.version()).map_err(ApiError::Refused)?;
    }
    Ok(versioned(answer))
}

/// Compares `If-Match` with the number's version at the provider, just before a change: not
/// atomic (the provider has no condition of its own), but a change made before this read is
/// never overwritten. As on a server of its own, a number that is not there is a 404 whatever
/// the header, and a malformed header is a 400 together with the body's errors (the core's
/// rules, which are the provider's) for one that is.
async fn compare(
    state: &AppState,
    principal: &Principal,
    path: &str,
    condition: Precondition,
    body_errors: impl FnOnce() -> Vec<ValidationError>,
) -> Result<(), Stop> {
    let condition = match condition.0 {
        Ok(None) => return Ok(()),
        Ok(Some(condition)) => Ok(condition),
        Err(malformed) => Err(malformed),
    };
    let current = gateway(state).send(principal, Method::GET, path, None).await?;
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

/// `PUT …/phoneNumbers/{phoneNumberId}`.
async fn number_update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    condition: Precondition,
    request: Request,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    let path = customer_path(&customer_id, Some(Some(&phone_number_id)));
    let body = body_of(request).await?;
    let validation = read_body::<PhoneNumberInput>(body.as_ref())
        .map(|input| validate_update(&phone_number_id, &input));
    let warnings = validation.as_ref().map_or_else(Vec::new, |v| v.warnings().to_vec());
    let body_errors = || match validation {
        Some(validation) => validation.errors().to_vec(),
        None => vec![ValidationError::BodyInvalid],
    };
    compare(&state, &principal, &path, condition, body_errors).await?;
    let answer = gateway(&state).send(&principal, Method::PUT, &path, body).await?;
    if let Some(number) = read::<PhoneNumberResource>(&answer) {
        copy_number(&state, &principal, customer_id, number).await;
    }
    Ok(told(versioned(answer), &warnings))
}

/// A request's body read as `T` (`{}` when it has none), as the provider reads it; `None` when
/// it does not parse.
fn read_body<T: DeserializeOwned>(body: Option<&(HeaderValue, Bytes)>) -> Option<T> {
    let bytes = body.map_or(&b"{}"[..], |(_, bytes)| bytes.as_ref());
    serde_json::from_slice(bytes).ok()
}

/// The provider's answer, with the warnings the core's rules give the request when the
/// provider made the write: the provider sends none of its own, and a caller of the gateway
/// is told what a caller of a server of its own is.
fn told(mut response: Response, warnings: &[Warning]) -> Response {
    if response.status().is_success() {
        warned::tell(response.headers_mut(), warnings);
    }
    response
}

/// `DELETE …/phoneNumbers/{phoneNumberId}`.
async fn number_delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    condition: Precondition,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    let path = customer_path(&customer_id, Some(Some(&phone_number_id)));
    compare(&state, &principal, &path, condition, Vec::new).await?;
    let answer = gateway(&state).send(&principal, Method::DELETE, &path, None).await?;
    if succeeded(&answer) {
        copy(&state, move |store| {
            let actor = principal.actor();
            let change = Change { actor: &actor, at: now() };
            Ok(store.mirror_deletion(&customer_id, &phone_number_id, &change)?)
        })
        .await;
    }
    Ok(pass_on(answer))
}

/// `GET …/phoneNumberHistory`: the changes made through the gateway, from the copy.
async fn history(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    customers::phone_number_history(State(state), Extension(principal), Ids(customer_id))
        .await
        .map(IntoResponse::into_response)
        .map_err(Stop::from)
}

/// `GET /gatewayStatus`: which provider, and when the copy was last synced in full.
async fn status(
    State(state): State<AppState>,
) -> Result<Json<phone_model::GatewayStatus>, ApiError> {
    let upstream = gateway(&state).api().to_owned();
    let synced_at = small_read(&state, |store| Ok(store.synced_at()?)).await?;
    Ok(Json(phone_model::GatewayStatus { upstream, synced_at }))
}

/// A request's body as it is sent on: its bytes and declared type (no type, no body).
async fn body_of(request: Request) -> Result<Option<(HeaderValue, Bytes)>, ApiError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = axum::body::to_bytes(request.into_body(), crate::extract::BODY_LIMIT)
        .await
        .map_err(|error| crate::extract::unread_body(&error))?;
    Ok(match content_type {
        Some(content_type) => Some((content_type, bytes)),
        None if bytes.is_empty() => None,
        None => return Err(ApiError::Refused(Refusal::UnsupportedMediaType)),
    })
}

/// What a create makes: how an attempt whose outcome is unknown is looked for at the
/// provider, and what goes into the copy.
#[derive(Debug, Clone, Copy)]
enum Made {
    Customer,
    Number,
}

/// `POST /customers`: in one of the caller's businesses.
async fn customers_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    request: Request,
) -> Result<Response, Stop> {
    let key = idempotency_key(request.headers())?;
    let asked = request.uri().path().to_owned();
    let body = body_of(request).await?;
    // A caller of some businesses: the body is read as the provider reads it (names in any
    // case, the last of a repeated one), and its business checked; a body whose business
    // cannot be read gets the core's errors rather than going on unchecked.
    if principal.businesses().ids().is_some() {
        let customer = new_customer(body.as_ref())?;
        let business = customer.business_id();
        principal.businesses().check_new_customer(business).map_err(ApiError::Refused)?;
    }
    let warnings = read_body::<CustomerInput>(body.as_ref())
        .map_or_else(Vec::new, |input| validate_new_customer(&input).1);
    let made = Made::Customer;
    let creation =
        Creation { path: "/customers".to_owned(), asked, body, key, customer_id: None, made };
    Ok(told(create(&state, &principal, creation).await?, &warnings))
}

/// A new customer's body as the provider reads it, judged by the core's rules.
fn new_customer(body: Option<&(HeaderValue, Bytes)>) -> Result<NewCustomer, ApiError> {
    let input = read_body::<CustomerInput>(body)
        .ok_or_else(|| ApiError::invalid(ValidationError::BodyMalformed))?;
    validate_new_customer(&input).0.map_err(ApiError::Validation)
}

/// `POST …/phoneNumbers`.
async fn number_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
    request: Request,
) -> Result<Response, Stop> {
    known(&state, &principal, &customer_id).await?;
    let key = idempotency_key(request.headers())?;
    let asked = request.uri().path().to_owned();
    let body = body_of(request).await?;
    let path = customer_path(&customer_id, Some(None));
    let warnings = read_body::<PhoneNumberInput>(body.as_ref())
        .map_or_else(Vec::new, |input| validate_create(&input).warnings().to_vec());
    let (customer_id, made) = (Some(customer_id), Made::Number);
    let creation = Creation { path, asked, body, key, customer_id, made };
    Ok(told(create(&state, &principal, creation).await?, &warnings))
}

/// A create as it goes to the provider.
struct Creation {
    /// The provider's path.
    path: String,
    /// The path as the caller asked it: what an `Idempotency-Key`'s fingerprint covers.
    asked: String,
    body: Option<(HeaderValue, Bytes)>,
    key: Option<IdempotencyKey>,
    /// The customer whose number it is.
    customer_id: Option<String>,
    made: Made,
}

/// Sends a create. With an `Idempotency-Key`, attempts with the key take turns, and the key is
/// claimed in the local database: an answered key gets its answer again; a key whose first
/// attempt got no answer (a timeout) is looked for at the provider before a second attempt is
/// sent.
async fn create(
    state: &AppState,
    principal: &Principal,
    creation: Creation,
) -> Result<Response, Stop> {
    let gateway = gateway(state);
    let Creation { path, asked, body, key, customer_id, made } = creation;
    let Some(key) = key else {
        let answer = gateway.send(principal, Method::POST, &path, body).await?;
        take_created(state, principal, &answer, customer_id, made).await;
        return Ok(created(answer, None));
    };
    let bytes = body.as_ref().map(|(_, b)| b.clone()).unwrap_or_default();
    let attempt = Attempt {
        scope: principal.scope(),
        key: key.as_str().to_owned(),
        fingerprint: fingerprint(&Method::POST, &asked, &bytes),
    };
    let _turn = gateway.turn((attempt.scope.clone(), attempt.key.clone())).await;
    let claimed = attempt.clone();
    match blocking(state, move |store| Ok(store.claim_key(&claimed, now())?)).await? {
        Claim::Answered(body) => return Ok(replayed(Bytes::from(body))),
        Claim::Reused => return Err(ApiError::Refused(Refusal::IdempotencyKeyReused).into()),
        Claim::InDoubt => {
            if let Some(found) =
                look_for(state, principal, made, customer_id.as_deref(), &bytes).await?
            {
                keep(state, &attempt, found.clone()).await?;
                return Ok(replayed(found));
            }
        }
        Claim::Fresh => {}
    }
    // No answer: the provider may have made it, and the key stays in doubt. Any answer (the
    // gateway's own 429 among them) says whether it was made.
    let answer = gateway.send(principal, Method::POST, &path, body).await?;
    if answer.status == StatusCode::CREATED {
        keep(state, &attempt, answer.body.clone()).await?;
    } else {
        release(state, &attempt).await?;
    }
    take_created(state, principal, &answer, customer_id, made).await;
    Ok(created(answer, Some(false)))
}

async fn keep(state: &AppState, attempt: &Attempt, body: Bytes) -> Result<(), ApiError> {
    let attempt = attempt.clone();
    let body = String::from_utf8_lossy(&body).into_owned();
    blocking(state, move |store| Ok(store.keep_answer(&attempt, &body)?)).await
}

async fn release(state: &AppState, attempt: &Attempt) -> Result<(), ApiError> {
    let attempt = attempt.clone();
    blocking(state, move |store| Ok(store.release_key(&attempt)?)).await
}

/// A create's answer: `Idempotent-Replayed` says whether it repeats an earlier one (none
/// without a key); a number's version is its `ETag`.
fn created(answer: Answered, replayed: Option<bool>) -> Response {
    let mut response = versioned(answer);
    if let Some(replayed) = replayed {
        let value = HeaderValue::from_static(if replayed { "true" } else { "false" });
        response.headers_mut().insert("idempotent-replayed", value);
    }
    response
}

/// The kept answer of an earlier attempt with the same key.
fn replayed(body: Bytes) -> Response {
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    created(Answered { status: StatusCode::CREATED, headers, body }, Some(true))
}

/// What the provider created goes into the copy, recorded as the caller's change.
async fn take_created(
    state: &AppState,
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
                copy_number(state, principal, customer_id, number).await;
            }
        }
        Made::Customer => {
            let Some(created) = read::<CreatedCustomer>(answer) else { return };
            let actor = principal.actor();
            copy(state, move |store| {
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
    state: &AppState,
    principal: &Principal,
    made: Made,
    customer_id: Option<&str>,
    body: &[u8],
) -> Result<Option<Bytes>, ApiError> {
    let gateway = gateway(state);
    match (made, customer_id) {
        (Made::Number, Some(customer_id)) => {
            let Ok(input) = serde_json::from_slice::<PhoneNumberInput>(body) else {
                return Ok(None);
            };
            let Ok(number) = validate_create(&input).into_result() else { return Ok(None) };
            let key = number.duplicate_key();
            let numbers = all_numbers(&gateway, principal, customer_id).await?;
            Ok(numbers
                .into_iter()
                .find(|n| stored_duplicate_key(n) == key)
                .map(|n| Bytes::from(serde_json::to_vec(&n).expect("a number serialises"))))
        }
        (Made::Customer, _) => {
            let body = (HeaderValue::from_static("application/json"), Bytes::copy_from_slice(body));
            let Ok(customer) = new_customer(Some(&body)) else { return Ok(None) };
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
            let numbers = all_numbers(&gateway, principal, &customer.customer_id).await?;
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
