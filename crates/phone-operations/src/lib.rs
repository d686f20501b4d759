//! What a request to the contract's API means, whichever backend answers it: the operations
//! (list, create, get, update and delete customers' phone numbers, and the customers they
//! belong to), each written once over two backends:
//! - [`local`]: the database is the record (`phone_store`);
//! - [`provider`]: gateway mode, the provider's API is the record and its answers are passed on
//!   untouched (status, body, `X-RateLimit-*`), with a copy in the database for search,
//!   history and the review ([`gateway`]).
//!
//! Above this crate, the HTTP layer reads a request once (its ids, query, body, `If-Match`,
//! `Idempotency-Key`) and authenticates its caller ([`Principal`]); it calls one method of
//! [`Operations`] and answers with what it returns: a typed outcome, or the provider's answer
//! ([`Reply`]). Below it, the store keeps the data. The contract's rules are the core's
//! (`phone_model`): the operations gather the facts they need and do what they decide.

mod caller;
pub mod calls;
pub mod cursor;
mod error;
pub mod gateway;
pub mod imports;
pub mod keys;
mod local;
pub mod measures;
mod provider;
mod review;
pub mod tokens;

use std::sync::Arc;

use axum::{
    body::{Body, Bytes},
    http::HeaderValue,
    response::{IntoResponse, Response},
};
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerResource, IdempotencyKey, IfMatch,
    PhoneNumberChange, PhoneNumberInput, PhoneNumberPage, PhoneNumberResource, ValidationError,
    Warning,
};
use phone_store::{Answer, Attempt, Store};

pub use caller::{Caller, Principal, now};
pub use error::ApiError;
pub use gateway::{Answered, Gateway};
pub use keys::Keys;

/// The contract's operations, over the backend the server was started with.
#[derive(Debug, Clone)]
pub struct Operations {
    store: Arc<Store>,
    keys: Arc<Keys>,
    backend: Backend,
    /// Where reported calls meet the staff app's streams (the same in both modes).
    calls: Arc<calls::CallBoard>,
    /// The imports' dry runs, held to be applied.
    imports: Arc<imports::Imports>,
}

/// Who answers the contract's operations.
#[derive(Debug, Clone)]
enum Backend {
    /// The database.
    Local,
    /// The provider, through the gateway (the database keeps a copy).
    Provider(Arc<Gateway>),
}

/// What an operation answers: its outcome, or the provider's answer to pass on as it is.
#[derive(Debug)]
pub enum Reply<T> {
    Made(T),
    Passed(Answered),
}

impl<T> Reply<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reply<U> {
        match self {
            Self::Made(made) => Reply::Made(f(made)),
            Self::Passed(answer) => Reply::Passed(answer),
        }
    }
}

impl<T: IntoResponse> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        match self {
            Self::Made(made) => made.into_response(),
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

/// A request's body as it was sent (its declared type and bytes; none when it had none), and
/// as the contract reads it.
#[derive(Debug)]
pub struct Sent<T> {
    pub raw: Option<(HeaderValue, Bytes)>,
    pub read: Result<T, ApiError>,
}

/// A create's `Idempotency-Key`, with the fingerprint of what was asked (method, path, body).
#[derive(Debug, Clone)]
pub struct Keyed {
    pub key: IdempotencyKey,
    pub fingerprint: String,
}

impl Keyed {
    /// `key` for a create of `method` and `path` with `body`, fingerprinted for comparing a
    /// retry with its first attempt: a SHA-256 of the method, path and body's bytes.
    pub fn new(key: IdempotencyKey, method: &str, path: &str, body: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let asked = format!("{method} {path}\n");
        let digest = Sha256::new().chain_update(asked).chain_update(body).finalize();
        Self { key, fingerprint: digest.iter().map(|b| format!("{b:02x}")).collect() }
    }

    /// The attempt the store keeps the answer of: the caller's.
    pub(crate) fn attempt(&self, principal: &Principal) -> Attempt {
        Attempt {
            scope: principal.scope(),
            key: self.key.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// A list's query parameters, as sent (for the provider) and by name.
#[derive(Debug, Default)]
pub struct ListQuery {
    /// The query string, without its `?`.
    raw: Option<String>,
    pairs: Vec<(String, String)>,
}

impl ListQuery {
    /// The parameters of `query` (a URL's part after `?`). Decoding never fails: a bad escape
    /// stays as written.
    pub fn parse(query: Option<&str>) -> Self {
        let pairs = query.map_or_else(Vec::new, |query| {
            form_urlencoded::parse(query.as_bytes()).into_owned().collect()
        });
        Self { raw: query.map(str::to_owned), pairs }
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The query string with its `?`, as sent (or nothing).
    fn as_sent(&self) -> String {
        self.raw.as_ref().map_or_else(String::new, |query| format!("?{query}"))
    }
}

/// A customer's number, named by both ids.
#[derive(Debug, Clone)]
pub struct NumberIds {
    pub customer_id: String,
    pub phone_number_id: String,
}

/// `If-Match` as sent: none, a condition, or a malformed header.
pub type Condition = Result<Option<IfMatch>, ValidationError>;

impl Operations {
    /// The operations answered by `store`, with the keys that sign cursors.
    pub fn local(store: Arc<Store>, keys: Arc<Keys>) -> Self {
        Self {
            store,
            keys,
            backend: Backend::Local,
            calls: Arc::default(),
            imports: Arc::default(),
        }
    }

    /// The same operations answered by the provider through `gateway`.
    #[must_use]
    pub fn through(self, gateway: Arc<Gateway>) -> Self {
        Self { backend: Backend::Provider(gateway), ..self }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn keys(&self) -> &Arc<Keys> {
        &self.keys
    }

    /// The gateway, in gateway mode.
    pub fn gateway(&self) -> Option<&Arc<Gateway>> {
        match &self.backend {
            Backend::Local => None,
            Backend::Provider(gateway) => Some(gateway),
        }
    }

    /// Runs a small read (one row, or a page by an index): at once on this thread when it
    /// takes only microseconds (see [`Store::reads_at_once`]), else as [`blocking`](Self::blocking)
    /// does. Handing a read of microseconds to a blocking thread and back cost more than the
    /// read itself: the two hand-offs of each authorized request were the top of its profile
    /// (issue 18).
    pub async fn small_read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.store.reads_at_once() { work(&self.store) } else { self.blocking(work).await }
    }

    /// Runs blocking database work off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || work(&store))
            .await
            .map_err(|e| ApiError::Internal(Box::new(e)))?
    }

    /// `GET /customers`.
    pub async fn customers_list(
        &self,
        principal: Principal,
        query: ListQuery,
    ) -> Result<Reply<CustomerPage>, ApiError> {
        match &self.backend {
            Backend::Local => local::customers_list(self, principal, &query).await.map(Reply::Made),
            Backend::Provider(gateway) => {
                provider::customers_list(self, gateway, principal, query).await
            }
        }
    }

    /// `POST /customers`, with the warnings the core's rules give its number.
    pub async fn customers_create(
        &self,
        principal: Principal,
        sent: Sent<CustomerInput>,
        key: Option<Keyed>,
    ) -> Result<(Vec<Warning>, Reply<Answer<CreatedCustomer>>), ApiError> {
        match &self.backend {
            Backend::Local => local::customers_create(self, principal, sent, key).await,
            Backend::Provider(gateway) => {
                provider::customers_create(self, gateway, principal, sent, key).await
            }
        }
    }

    /// `GET /customers/{customerId}`.
    pub async fn customers_get(
        &self,
        principal: Principal,
        customer_id: String,
    ) -> Result<Reply<CustomerResource>, ApiError> {
        match &self.backend {
            Backend::Local => {
                local::customers_get(self, principal, customer_id).await.map(Reply::Made)
            }
            Backend::Provider(gateway) => {
                provider::customers_get(self, gateway, &principal, &customer_id).await
            }
        }
    }

    /// `GET …/phoneNumberHistory`: from the database in both modes (the provider keeps no
    /// history; the gateway's copy records the changes made through it).
    pub async fn phone_number_history(
        &self,
        principal: Principal,
        customer_id: String,
    ) -> Result<Reply<Vec<PhoneNumberChange>>, ApiError> {
        if let Backend::Provider(gateway) = &self.backend {
            return provider::phone_number_history(self, gateway, principal, customer_id).await;
        }
        local::phone_number_history(self, principal, customer_id).await.map(Reply::Made)
    }

    /// `GET …/phoneNumbers`.
    pub async fn phone_numbers_list(
        &self,
        principal: Principal,
        customer_id: String,
        query: ListQuery,
    ) -> Result<Reply<PhoneNumberPage>, ApiError> {
        match &self.backend {
            Backend::Local => local::phone_numbers_list(self, principal, customer_id, &query)
                .await
                .map(Reply::Made),
            Backend::Provider(gateway) => {
                provider::phone_numbers_list(self, gateway, &principal, &customer_id, &query).await
            }
        }
    }

    /// `POST …/phoneNumbers`, with the warnings the core's rules give the number.
    pub async fn phone_numbers_create(
        &self,
        principal: Principal,
        customer_id: String,
        sent: Sent<PhoneNumberInput>,
        key: Option<Keyed>,
    ) -> Result<(Vec<Warning>, Reply<Answer<PhoneNumberResource>>), ApiError> {
        match &self.backend {
            Backend::Local => {
                local::phone_numbers_create(self, principal, customer_id, sent, key).await
            }
            Backend::Provider(gateway) => {
                provider::phone_numbers_create(self, gateway, principal, customer_id, sent, key)
                    .await
            }
        }
    }

    /// `GET …/phoneNumbers/{phoneNumberId}`.
    pub async fn phone_numbers_get(
        &self,
        principal: Principal,
        ids: NumberIds,
        condition: Condition,
    ) -> Result<Reply<PhoneNumberResource>, ApiError> {
        match &self.backend {
            Backend::Local => local::phone_numbers_get(self, principal, ids, condition).await,
            Backend::Provider(gateway) => {
                provider::phone_numbers_get(self, gateway, &principal, &ids, condition).await
            }
        }
    }

    /// `PUT …/phoneNumbers/{phoneNumberId}`, with the warnings the core's rules give the
    /// number.
    pub async fn phone_numbers_update(
        &self,
        principal: Principal,
        ids: NumberIds,
        condition: Condition,
        sent: Sent<PhoneNumberInput>,
    ) -> Result<(Vec<Warning>, Reply<PhoneNumberResource>), ApiError> {
        match &self.backend {
            Backend::Local => {
                local::phone_numbers_update(self, principal, ids, condition, sent).await
            }
            Backend::Provider(gateway) => {
                provider::phone_numbers_update(self, gateway, principal, ids, condition, sent).await
            }
        }
    }

    /// `DELETE …/phoneNumbers/{phoneNumberId}`.
    pub async fn phone_numbers_delete(
        &self,
        principal: Principal,
        ids: NumberIds,
        condition: Condition,
    ) -> Result<Reply<()>, ApiError> {
        match &self.backend {
            Backend::Local => {
                local::phone_numbers_delete(self, principal, ids, condition).await.map(Reply::Made)
            }
            Backend::Provider(gateway) => {
                provider::phone_numbers_delete(self, gateway, principal, ids, condition).await
            }
        }
    }

    /// `GET /gatewayStatus`: which provider answers (none for a server of its own), and when
    /// the copy was last synced in full.
    pub async fn gateway_status(&self) -> Result<(Option<String>, Option<i64>), ApiError> {
        let Backend::Provider(gateway) = &self.backend else { return Ok((None, None)) };
        let api = gateway.api().to_owned();
        let synced_at = self.small_read(|store| Ok(store.synced_at()?)).await?;
        Ok((Some(api), synced_at))
    }
}
