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
//! | GET | `/phoneNumberReview` | [`review::phone_number_review`] (our extension: the data-quality review; `problem`, `expected`) |
//! | PUT | `/customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected` | [`review::shared_expected_put`] (our extension: a shared number marked as expected) |
//! | DELETE | `/customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected` | [`review::shared_expected_delete`] (our extension: the mark taken back) |
//! | GET | `/gatewayStatus` | [`gateway::gateway_status`] (our extension: which provider answers, and when the gateway's copy was synced) |
//! | GET | `/callers` | [`calls::callers_list`] (our extension: who is calling, for phone systems; `number`, `format=3cx`) |
//! | POST | `/calls` | [`calls::calls_create`] (our extension: a phone system reports a call's event, as JSON or Twilio's signed callback) |
//! | GET | `/callEvents` | [`calls::call_events_stream`] (our extension: the staff app hears its businesses' calls, as Server-Sent Events) |
//! | GET | `/openapi.json` | this API's OpenAPI 3.1 document, generated from these handlers |
//!
//! Every operation under the prefix but `openapi.json` needs a bearer token or a staff session
//! (see `auth`). Outside the prefix: `GET /healthz` and `GET /readyz` ([`health`]); the identity
//! service (`/identity/…`, [`identity`]); staff sign-in (`/auth/session`, [`session`]).

pub mod calls;
pub mod customers;
pub mod gateway;
pub mod health;
pub mod identity;
pub mod imports;
pub mod phone_numbers;
pub mod review;
pub mod session;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use phone_model::PhoneNumberResource;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use phone_store::Answer;

/// The API's routes, with the OpenAPI document they describe.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(customers::customers_list, customers::customers_create))
        .routes(routes!(customers::customers_get))
        .routes(routes!(calls::callers_list))
        .routes(routes!(calls::calls_create))
        .routes(routes!(calls::call_events_stream))
        .routes(routes!(gateway::gateway_status))
        .routes(routes!(imports::imports_create))
        .routes(routes!(imports::imports_apply, imports::imports_cancel))
        .routes(routes!(imports::imports_get))
        .routes(routes!(imports::exports_get))
        .routes(routes!(customers::phone_number_history))
        .routes(routes!(review::phone_number_review))
        .routes(routes!(review::shared_expected_put, review::shared_expected_delete))
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
                       `search` on `GET /customers`, `phoneNumberHistory`, `phoneNumberReview`, `sharedExpected`, the phone systems' `callers`, `calls` and `callEvents`, `ETag` and `If-Match` on a phone number, and `Idempotency-Key` on creates are Phonedesk's own extensions: a client that does not use them sees the provider's API.",
        version = "1.0"
    ),
    servers((url = "/CustomerServices/v1.0")),
    tags((name = "Customers"), (name = "Phone Numbers"), (name = "Phone Systems")),
    security(("bearer" = []))
)]
struct ApiDoc;

/// Completes the document once the handlers' paths are in it: every operation needs a bearer
/// token from `/identity/connect/token` (or, for the staff app, a session cookie, which the
/// document leaves out: it is not for API clients), and can answer 401, 403 and 429.
pub fn complete(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        Content, Ref, ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    };
    let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
    openapi
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    let refusal = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
            .build()
    };
    for item in openapi.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            responses.insert(
                "401".to_owned(),
                refusal("No valid bearer token (or staff session).").into(),
            );
            responses.insert(
                "403".to_owned(),
                refusal(
                    "`customer_access_denied`: the customer (or the business asked for) is not one \
                     of the caller's businesses, or the caller may only read.",
                )
                .into(),
            );
            responses.insert(
                "429".to_owned(),
                refusal("Too many requests in the current window.").into(),
            );
        }
    }
}

/// A phone number with its version as the `ETag`.
#[derive(Debug)]
pub struct Versioned(pub PhoneNumberResource);

impl IntoResponse for Versioned {
    fn into_response(self) -> Response {
        let version = HeaderValue::from_str(&self.0.version().to_string())
            .expect("a version is a quoted hexadecimal number");
        ([(header::ETAG, version)], Json(self.0)).into_response()
    }
}

/// A create's 201, marked `Idempotent-Replayed: true` when it answers an earlier attempt.
#[derive(Debug)]
pub struct Created<T>(pub Answer<T>);

impl<T: IntoResponse> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        let (replayed, answer) = match self.0 {
            Answer::First(answer) => ("false", answer),
            Answer::Replayed(answer) => ("true", answer),
        };
        let replayed = [("idempotent-replayed", HeaderValue::from_static(replayed))];
        (StatusCode::CREATED, replayed, answer).into_response()
    }
}
