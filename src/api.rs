//! The one client of the Phone Number API: typed requests with gloo-net, every answer checked
//! with `ok()` and every error body decoded into [`ApiError`].

use std::{cell::RefCell, fmt, rc::Rc};

use gloo_net::http::{Request, RequestBuilder, Response};
use phone_model::{
    BusinessResource, CustomerPage, CustomerResource, ErrorBody, PhoneNumberHistory,
    PhoneNumberPage, PhoneNumberResource, PhoneNumberReview, Problem, SharedNumberMark, Version,
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
    /// Any other refusal (404, 409, 5xx …) with the server's message.
    Refused { status: u16, message: String },
    /// No answer: the server is down or the network is.
    Network,
    /// An answer this client cannot read.
    Unreadable(u16),
}

impl ApiError {
    /// Whether the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Refused { status: 404, .. })
    }

    /// Whether the thing asked for is another business's (403 `customer_access_denied`: it
    /// exists, outside the businesses the person sees).
    pub fn is_foreign(&self) -> bool {
        matches!(self, Self::Refused { status: 403, .. })
    }

    /// Whether a change was refused because someone else changed the number first (412: the
    /// `If-Match` the app sent names a version that is no longer current).
    pub fn is_stale(&self) -> bool {
        matches!(self, Self::Refused { status: 412, .. })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(body) => f.write_str(&body.message),
            // The server's sentence is for API clients; staff are told what happened.
            Self::Refused { status: 412, .. } => f.write_str(
                "Someone else changed this number while you were working on it. Your change was not saved.",
            ),
            // Gateway mode: the provider's system behind Phonedesk failed, not the app.
            Self::Refused { status: 502, .. } => f.write_str(
                "The provider's system could not be reached. What you typed is kept: try again in a moment.",
            ),
            Self::Refused { status: 504, .. } => f.write_str(
                "The provider's system did not answer in time. The change may have been made: check the customer's numbers before trying again.",
            ),
            Self::Refused { message, .. } => f.write_str(message),
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
    if response.status() == 401 {
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
    match response.json::<ErrorBody>().await {
        Ok(body) if status == 400 => ApiError::Invalid(body),
        Ok(body) => ApiError::Refused { status, message: body.message },
        Err(_) => ApiError::Unreadable(status),
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

/// Who is signed in, and the businesses whose customers they see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub username: String,
    pub role: String,
    /// The provider's own staff see every business.
    #[serde(default)]
    pub all_businesses: bool,
    /// The businesses they see (every one, listed, for the provider's staff).
    #[serde(default)]
    pub businesses: Vec<BusinessResource>,
    /// Whether the server is a gateway to the provider's API (which has `/gatewayStatus`).
    #[serde(default)]
    pub gateway: bool,
}

impl Me {
    /// Whether they may change numbers (an editor) or only read them (a viewer).
    pub fn can_edit(&self) -> bool {
        self.role == "editor"
    }
}

/// Who is signed in; `None` when nobody is.
pub async fn session() -> Result<Option<Me>, ApiError> {
    match call::<Me>(from_app(RequestBuilder::new(&session_url())).build()).await {
        Ok(me) => Ok(Some(me)),
        Err(ApiError::Refused { status: 401, .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Signs in.
pub async fn sign_in(username: &str, password: &str) -> Result<Me, ApiError> {
    #[derive(serde::Serialize)]
    struct SignIn<'a> {
        username: &'a str,
        password: &'a str,
    }
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
/// [`Me::gateway`]): a server of its own data has no `/gatewayStatus`.
pub async fn gateway_synced_at() -> Option<Option<i64>> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Status {
        synced_at: Option<i64>,
    }
    call::<Status>(get("/gatewayStatus")).await.ok().map(|status| status.synced_at)
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
