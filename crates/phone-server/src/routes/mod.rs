//! The HTTP API, under `/CustomerServices/v1.0`:
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/customers` | [`customers::customers_list`] (`limit`, `nextCursor`, `businessId`, `externalReference`, and our `search`) |
//! | POST | `/customers` | [`customers::customers_create`] |
//! | GET | `/customers/{customerId}` | [`customers::customers_get`] |
//! | GET | `/customers/{customerId}/phoneNumbers` | [`phone_numbers::phone_numbers_list`] |
//! | POST | `/customers/{customerId}/phoneNumbers` | [`phone_numbers::phone_numbers_create`] |
//! | GET | `/customers/{customerId}/phoneNumbers/{phoneNumberId}` | [`phone_numbers::phone_numbers_get`] |
//! | PUT | `/customers/{customerId}/phoneNumbers/{phoneNumberId}` | [`phone_numbers::phone_numbers_update`] |
//! | DELETE | `/customers/{customerId}/phoneNumbers/{phoneNumberId}` | [`phone_numbers::phone_numbers_delete`] |
//! | GET | `/customers/{customerId}/phoneNumberHistory` | [`customers::phone_number_history`] (our extension: the audit trail) |
//! | GET | `/openapi.json` | this API's OpenAPI 3.1 document, generated from these handlers |
//!
//! Every operation under the prefix but `openapi.json` needs a bearer token or a staff session
//! (see `auth`). Outside the prefix: `GET /healthz` ([`health::healthz`]); the identity
//! service (`/identity/…`, [`identity`]); staff sign-in (`/auth/session`, [`session`]).

pub mod customers;
pub mod health;
pub mod identity;
pub mod phone_numbers;
pub mod session;

use std::sync::Arc;

use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{AppState, error::ApiError, store::Store};

/// The API's routes, with the OpenAPI document they describe.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(customers::customers_list, customers::customers_create))
        .routes(routes!(customers::customers_get))
        .routes(routes!(customers::phone_number_history))
        .routes(routes!(phone_numbers::phone_numbers_list, phone_numbers::phone_numbers_create))
        .routes(routes!(
            phone_numbers::phone_numbers_get,
            phone_numbers::phone_numbers_update,
            phone_numbers::phone_numbers_delete
        ))
}

/// The document's header; the paths come from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Phonedesk Customer Services API",
        description = "The Phone Number part of the Debitsuccess Customer Services API, as Phonedesk implements it. \
                       `search` on `GET /customers` is Phonedesk's own extension.",
        version = "1.0"
    ),
    servers((url = "/CustomerServices/v1.0")),
    tags((name = "Customers"), (name = "Phone Numbers"))
)]
struct ApiDoc;

/// Runs blocking database work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || work(&store))
        .await
        .map_err(|e| ApiError::Internal(Box::new(e)))?
}
