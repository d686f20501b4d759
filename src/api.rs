//! The one client of the Phone Number API: typed requests with gloo-net, every answer checked
//! with `ok()` and every error body decoded into [`ApiError`].

// Over 400 lines: the one client of the API, a typed function per request the app makes.

use std::{cell::RefCell, fmt, rc::Rc};

use gloo_net::http::{Request, RequestBuilder, Response};
use phone_model::{
    CreatedCustomer, CustomerPage, CustomerResource, ErrorBody, GatewayStatus, PhoneNumberHistory,
    PhoneNumberPage, PhoneNumberResource, PhoneNumberReview, Problem, Refusal, SharedNumberMark,
    SignIn, StaffSession, Version,
};
use serde::de::DeserializeOwned;

use crate::form::PhoneForm;

/// Where the API is unless the page says otherwise: the same origin.
const DEFAULT_BASE: &str = "/CustomerServices/v1.0";

/// The API's base URL: the `content` of `<meta name="phonedesk-api-base">` in index.html, so
/// a deployment can point the app elsewhere without rebuilding it; else [`DEFAULT_BASE`].
pub fn base_url() -> String {
    leptos::prelude::document()
        .query_selector("meta[name=phonedesk-api-base]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .map(|base| base.trim_end_matches('/').to_owned())
        .filter(|base| !base.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE.to_owned())
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400: the request broke rules; the body says which, field by field.
    Invalid(ErrorBody),
    /// Refused as a whole (404, 412, 5xx …), read back as the core's refusal, with the
    /// server's sentence (which, for a sign-in, says what was wrong).
    Refused { refusal: Refusal, message: String },
    /// No answer: the server is down or the network is.
    Network,
    /// An answer this client cannot read (not in the contract's shape, or of a status no
    /// refusal has), with its status, for whoever is told.
    Unreadable(u16),
}

impl ApiError {
    /// The refusal, when the server refused the request.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Invalid(_) => Some(Refusal::Validation),
            Self::Refused { refusal, .. } => Some(*refusal),
            Self::Network | Self::Unreadable(_) => None,
        }
    }

    /// Whether the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.refusal() == Some(Refusal::NotFound)
    }

    /// Whether the thing asked for is another business's (it exists, outside the businesses
    /// the person sees).
    pub fn is_foreign(&self) -> bool {
        self.refusal() == Some(Refusal::CustomerAccessDenied)
    }

    /// Whether a change was refused because someone else changed the number first (the
    /// `If-Match` the app sent names a version that is no longer current).
    pub fn is_stale(&self) -> bool {
        self.refusal() == Some(Refusal::PreconditionFailed)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(body) => f.write_str(&body.message),
            Self::Refused { refusal, message } => f.write_str(match refusal {
                // The server's sentence is for API clients; staff are told what happened.
                Refusal::PreconditionFailed => {
                    "Someone else changed this number while you were working on it. Your change was not saved."
                }
                // Gateway mode: the provider's system behind Phonedesk failed, not the app.
                Refusal::UpstreamUnreachable => {
                    "The provider's system could not be reached. What you typed is kept: try again in a moment."
                }
                Refusal::UpstreamTimedOut => {
                    "The provider's system did not answer in time. The change may have been made: check the customer's numbers before trying again."
                }
                _ => message,
            }),
            Self::Network => {
                f.write_str("The server could not be reached. Check the connection and try again.")
            }
            Self::Unreadable(status) => {
                write!(f, "The server answered with something unexpected (status {status}).")
            }
        }
    }
}

impl std::error::Error for ApiError {}

thread_local! {
    /// What the app does when an answer says the session has ended: set once, by the app.
    static ON_SESSION_ENDED: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Runs `handler` whenever an answer says the session has ended (401: idle too long, or
/// signed out elsewhere), wherever in the app the request was made.
pub fn on_session_ended(handler: impl Fn() + 'static) {
    ON_SESSION_ENDED.with(|slot| *slot.borrow_mut() = Some(Rc::new(handler)));
}

/// Sends a request and decodes a successful JSON answer.
async fn call<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response =
        request.map_err(|_| ApiError::Network)?.send().await.map_err(|_| ApiError::Network)?;
    if response.status() == Refusal::Unauthorized.status() {
        // Cloned out first: the handler may start requests of its own.
        if let Some(handler) = ON_SESSION_ENDED.with(|slot| slot.borrow().clone()) {
            handler();
        }
    }
    if !response.ok() {
        return Err(refusal(response).await);
    }
    let status = response.status();
    response.json::<T>().await.map_err(|_| ApiError::Unreadable(status))
}

/// The error an unsuccessful answer carries, in the contract's shape where it has one.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let Ok(body) = response.json::<ErrorBody>().await else {
        return ApiError::Unreadable(status);
    };
    match Refusal::from_answer(status, body.error_code.as_deref()) {
        Some(Refusal::Validation) => ApiError::Invalid(body),
        Some(refusal) => ApiError::Refused { refusal, message: body.message },
        None => ApiError::Unreadable(status),
    }
}

/// Every request the app makes: it takes JSON, and says it comes from the app (the server
/// refuses writes by session without this header, so other sites cannot forge them).
fn from_app(builder: RequestBuilder) -> RequestBuilder {
    builder.header("Accept", "application/json").header("X-Phonedesk-Request", "1")
}

fn get(path: &str) -> Result<Request, gloo_net::Error> {
    from_app(RequestBuilder::new(&format!("{}{path}", base_url()))).build()
}

fn with_body(
    builder: RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<Request, gloo_net::Error> {
    from_app(builder).json(body)
}

/// Where staff sign in: `/auth/session` beside the API on its origin.
fn session_url() -> String {
    let base = base_url();
    let origin = base.strip_suffix(DEFAULT_BASE).unwrap_or_default();
    format!("{origin}/auth/session")
}

/// Who is signed in, and the businesses whose customers they see; `None` when nobody is.
pub async fn session() -> Result<Option<StaffSession>, ApiError> {
    match call(from_app(RequestBuilder::new(&session_url())).build()).await {
        Ok(me) => Ok(Some(me)),
        Err(ApiError::Refused { refusal: Refusal::Unauthorized, .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Signs in.
pub async fn sign_in(username: String, password: String) -> Result<StaffSession, ApiError> {
    call(with_body(Request::post(&session_url()), &SignIn { username, password })).await
}

/// Signs out.
pub async fn sign_out() -> Result<(), ApiError> {
    call::<serde::de::IgnoredAny>(from_app(Request::delete(&session_url())).build())
        .await
        .map(|_| ())
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's own percent-encoding of a path segment or query value.
    #[wasm_bindgen(js_name = encodeURIComponent)]
    pub fn encode(text: &str) -> String;
}

/// A page of twenty of the customers found by `text` (see the server's search), best first,
/// of one business or of every business the person sees; from `cursor`, a page's
/// `nextCursor`, when given.
pub async fn search_customers(
    text: &str,
    business_id: Option<&str>,
    cursor: Option<&str>,
) -> Result<CustomerPage, ApiError> {
    let within = business_id.map(|id| format!("&businessId={}", encode(id))).unwrap_or_default();
    let from = cursor.map(|c| format!("&nextCursor={}", encode(c))).unwrap_or_default();
    call(get(&format!("/customers?limit=20&search={}{within}{from}", encode(text)))).await
}

/// When the copy a gateway's search reads was last synced in full (seconds since the epoch;
/// `None` before the first sync). `None` when it cannot be told; ask only a gateway (see
/// [`StaffSession::gateway`]): a server of its own data has no copy, and answers `null`.
pub async fn gateway_synced_at() -> Option<Option<i64>> {
    call::<GatewayStatus>(get("/gatewayStatus")).await.ok().map(|status| status.synced_at)
}

/// One customer.
pub async fn customer(customer_id: &str) -> Result<CustomerResource, ApiError> {
    call(get(&format!("/customers/{}", encode(customer_id)))).await
}

/// Every phone number of a customer, following `nextCursor` to the end.
pub async fn phone_numbers(customer_id: &str) -> Result<Vec<PhoneNumberResource>, ApiError> {
    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/customers/{}/phoneNumbers", encode(customer_id));
        if let Some(cursor) = &cursor {
            path.push_str(&format!("?nextCursor={}", encode(cursor)));
        }
        let page: PhoneNumberPage = call(get(&path)).await?;
        numbers.extend(page.phone_numbers);
        match page.response_metadata.next_cursor {
            Some(next) if page.response_metadata.has_next => cursor = Some(next),
            _ => return Ok(numbers),
        }
    }
}

/// The history of a customer's phone numbers, newest first (Phonedesk's extension).
pub async fn phone_number_history(customer_id: &str) -> Result<PhoneNumberHistory, ApiError> {
    call(get(&format!("/customers/{}/phoneNumberHistory", encode(customer_id)))).await
}

/// The data-quality review (Phonedesk's extension): every problem's count, and a page of
/// twenty of `problem`'s numbers (none without one), from `cursor` when given; of the shared
/// numbers marked as expected, when `expected`.
pub async fn review(
    problem: Option<Problem>,
    expected: bool,
    cursor: Option<&str>,
) -> Result<PhoneNumberReview, ApiError> {
    let mut query = vec!["limit=20".to_owned()];
    if let Some(problem) = problem {
        query.push(format!("problem={}", problem.as_str()));
    }
    if expected {
        query.push("expected=true".to_owned());
    }
    if let Some(cursor) = cursor {
        query.push(format!("nextCursor={}", encode(cursor)));
    }
    call(get(&format!("/phoneNumberReview?{}", query.join("&")))).await
}

/// One phone number of a customer.
pub async fn phone_number(
    customer_id: &str,
    phone_number_id: &str,
) -> Result<PhoneNumberResource, ApiError> {
    call(from_app(RequestBuilder::new(&phone_number_url(customer_id, phone_number_id))).build())
        .await
}

/// Marks a shared number as expected (a family's or an office's), or, when `undo`, takes the
/// mark back (Phonedesk's extension).
pub async fn mark_shared_expected(
    customer_id: &str,
    phone_number_id: &str,
    undo: bool,
) -> Result<SharedNumberMark, ApiError> {
    let url = format!("{}/sharedExpected", phone_number_url(customer_id, phone_number_id));
    let request = if undo { Request::delete(&url) } else { Request::put(&url) };
    call(from_app(request).build()).await
}

/// A new `Idempotency-Key`: a random UUID from the browser's cryptographic generator.
pub fn new_idempotency_key() -> String {
    leptos::prelude::window().crypto().map(|crypto| crypto.random_uuid()).unwrap_or_else(|_| {
        // No Web Crypto (a very old browser): time and chance still make a key of one's own.
        format!("{}-{}", js_sys::Date::now(), js_sys::Math::random())
    })
}

/// Adds a phone number. `key` is the attempt's `Idempotency-Key`: sending it again (a retry
/// after no answer came) gets the first answer, not a second number.
pub async fn create_phone_number(
    customer_id: &str,
    body: &PhoneForm,
    key: &str,
) -> Result<PhoneNumberResource, ApiError> {
    let url = format!("{}/customers/{}/phoneNumbers", base_url(), encode(customer_id));
    call(with_body(Request::post(&url).header("Idempotency-Key", key), body)).await
}

/// Adds a customer with their first phone number, which becomes their primary. `body` is the
/// contract's (`businessId`, `firstName`, `lastName`, `externalReference` and `phoneNumber`'s
/// members); `key` the attempt's `Idempotency-Key`, as for a number.
pub async fn create_customer(
    body: &impl serde::Serialize,
    key: &str,
) -> Result<CreatedCustomer, ApiError> {
    let url = format!("{}/customers", base_url());
    call(with_body(Request::post(&url).header("Idempotency-Key", key), body)).await
}

/// The URL of one phone number.
fn phone_number_url(customer_id: &str, phone_number_id: &str) -> String {
    format!(
        "{}/customers/{}/phoneNumbers/{}",
        base_url(),
        encode(customer_id),
        encode(phone_number_id)
    )
}

/// Replaces a phone number's fields, if it is still at `version` (else 412). The app always
/// knows the version an edit started from; without one, the change is made regardless.
pub async fn update_phone_number(
    customer_id: &str,
    phone_number_id: &str,
    body: &PhoneForm,
    version: Option<Version>,
) -> Result<PhoneNumberResource, ApiError> {
    let mut request = Request::put(&phone_number_url(customer_id, phone_number_id));
    if let Some(version) = version {
        request = request.header("If-Match", &version.to_string());
    }
    call(with_body(request, body)).await
}

/// Deletes a phone number, if it is still at `version` (else 412).
pub async fn delete_phone_number(
    customer_id: &str,
    phone_number_id: &str,
    version: Version,
) -> Result<(), ApiError> {
    let request = Request::delete(&phone_number_url(customer_id, phone_number_id))
        .header("If-Match", &version.to_string());
    call::<phone_model::MessageBody>(from_app(request).build()).await.map(|_| ())
}

/// An import's dry run (Phonedesk's extension): `file` — the `File` the person chose or
/// dropped, sent as its raw bytes — read for the business, by `mapping` (each heading's column,
/// `externalReference,firstName,,mobile`) or, without one, as the server guesses from the
/// headings. Nothing is written: the report says what applying would do.
pub async fn check_import(
    business_id: &str,
    file_name: &str,
    file: &wasm_bindgen::JsValue,
    mapping: Option<&str>,
) -> Result<phone_model::import::ImportReport, ApiError> {
    let mut url = format!(
        "{}/imports?businessId={}&fileName={}",
        base_url(),
        encode(business_id),
        encode(file_name)
    );
    if let Some(mapping) = mapping {
        url.push_str(&format!("&mapping={}", encode(mapping)));
    }
    let request = from_app(Request::post(&url))
        .header("Content-Type", "application/octet-stream")
        .body(file.clone());
    call(request).await
}

/// The URL of an import (a dry run the server holds), or of a part of it.
fn import_url(import_id: &str, part: &str) -> String {
    format!("{}/imports/{}{part}", base_url(), encode(import_id))
}

/// Starts applying a dry run with the person's decisions; the answer is its progress, running.
/// 404 when the server no longer holds the dry run (it restarted): check the file again, then
/// apply again, which finds the rows already done.
pub async fn apply_import(
    import_id: &str,
    decisions: &phone_model::import::ImportDecisions,
) -> Result<phone_model::import::ImportProgress, ApiError> {
    call(with_body(Request::post(&import_url(import_id, "/apply")), decisions)).await
}

/// Where an apply is.
pub async fn import_progress(
    import_id: &str,
) -> Result<phone_model::import::ImportProgress, ApiError> {
    call(from_app(RequestBuilder::new(&import_url(import_id, ""))).build()).await
}

/// Cancels an apply: every row done stays done, none is left half made.
pub async fn cancel_import(
    import_id: &str,
) -> Result<phone_model::import::ImportProgress, ApiError> {
    call(from_app(Request::delete(&import_url(import_id, "/apply"))).build()).await
}

/// Where a business's customers and numbers download from, as `csv` or `xlsx`: a link the
/// browser follows itself (the server answers the file as an attachment).
pub fn export_url(business_id: &str, format: &str) -> String {
    format!("{}/exports?businessId={}&format={format}", base_url(), encode(business_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(refusal: Refusal) -> ApiError {
        ApiError::Refused { refusal, message: refusal.message().to_owned() }
    }

    #[test]
    fn a_refusal_is_told_in_staffs_words_where_the_servers_are_for_api_clients() {
        let stale = refused(Refusal::PreconditionFailed);
        assert!(stale.is_stale() && !stale.is_not_found());
        assert!(stale.to_string().starts_with("Someone else changed this number"), "{stale}");
        assert!(refused(Refusal::UpstreamUnreachable).to_string().contains("could not be reached"));
        assert!(refused(Refusal::UpstreamTimedOut).to_string().contains("did not answer in time"));
        // Elsewhere, the server's sentence: a sign-in's says what was wrong.
        let wrong = ApiError::Refused {
            refusal: Refusal::Unauthorized,
            message: "The user name or password is incorrect.".to_owned(),
        };
        assert_eq!(wrong.to_string(), "The user name or password is incorrect.");
        assert!(refused(Refusal::NotFound).is_not_found());
        assert!(refused(Refusal::CustomerAccessDenied).is_foreign());
        assert!(!refused(Refusal::ForeignOrigin).is_foreign(), "a refused write is no customer's");
        assert_eq!(ApiError::Unreadable(502).refusal(), None);
    }
}
