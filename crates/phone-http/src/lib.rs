//! Phonedesk's HTTP layer: the provider's Phone Number API (and the customers part its
//! workflows need) as routes, one table for a server of its own data and for a gateway; the
//! extractors that read requests in the contract's shapes; sign-in, tokens and the auth gate;
//! rate limits; the staff app's files; metrics; and the connection loop that serves it all.
//! What each operation means is `phone_operations`'; the data is `phone_store`'s.
//!
//! [`app`] builds the whole HTTP service from an [`AppState`], so tests drive it on a socket
//! of their own; the `phone-server` binary reads the configuration and serves.

pub mod access_log;
mod assets;
pub mod auth;
pub mod client_address;
mod extract;
mod headers;
mod open_files;
mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod serving;
pub mod telemetry;
pub mod version;
mod warned;

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::handler::Handler;
use axum::{
    Router,
    body::Bytes,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Request, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use phone_model::Refusal;
use tower::ServiceBuilder;
use tower_http::{
    classify::ServerErrorsFailureClass,
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

pub use crate::rate_limit::RateLimit;
use crate::{extract::BODY_LIMIT, rate_limit::RateLimiter};
use phone_operations::{ApiError, Gateway, Keys, Operations};
use phone_store::Store;

/// Where the contract's API lives.
pub const API_PREFIX: &str = "/CustomerServices/v1.0";

/// What every request handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The contract's operations, over the database or the provider; with the database, and
    /// the keys that sign tokens and cursors as last read from it.
    ops: Operations,
    access: Arc<auth::Access>,
    /// See [`AppOptions::public_url`].
    public_url: Arc<str>,
    /// How the session cookie is sent, from the public URL (kept, not read from it per request).
    cookies: auth::CookiePolicy,
    /// See [`AppOptions::token_lifetime`].
    token_lifetime: i64,
    /// What `/metrics` shows.
    telemetry: telemetry::Telemetry,
    /// Time in the database, as the store tells it (kept for a gateway's new telemetry).
    database: telemetry::DatabaseCalls,
    /// The last readiness check, shared by the probes of a second.
    readiness: Arc<routes::health::Readiness>,
}

/// The public URL of a server that was not told its own: the default address, on loopback.
const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl AppState {
    /// State around an open database, with its keys as they stand.
    ///
    /// # Errors
    /// When the database's keys cannot be read.
    pub fn new(store: Store) -> Result<Self, phone_store::StoreError> {
        let keys = Arc::new(Keys::new(store.signing_keys()?));
        let database = telemetry::DatabaseCalls::new();
        let store = Arc::new(store.observed_by(Arc::new(database.clone())));
        let telemetry = telemetry::Telemetry::new(&store, &database, None);
        let mut state = Self {
            ops: Operations::local(store, keys),
            database,
            access: Arc::new(auth::Access::default()),
            public_url: Arc::from(""),
            cookies: auth::CookiePolicy { secure: true },
            token_lifetime: phone_operations::tokens::LIFETIME,
            telemetry,
            readiness: Arc::default(),
        };
        state.set_public_url(DEFAULT_PUBLIC_URL);
        Ok(state)
    }

    /// The same, in gateway mode: the contract's operations go to `gateway`, and the database
    /// keeps the rest (see [`gateway`]).
    pub fn with_gateway(self, gateway: Arc<Gateway>) -> Self {
        let telemetry = telemetry::Telemetry::new(self.ops.store(), &self.database, Some(&gateway));
        Self { ops: self.ops.through(gateway), telemetry, ..self }
    }

    /// The contract's operations, and the database and keys beneath them.
    pub fn ops(&self) -> &Operations {
        &self.ops
    }

    /// What `/metrics` shows, for what counts outside the router (the connection loop).
    pub fn telemetry(&self) -> &telemetry::Telemetry {
        &self.telemetry
    }

    /// The public URL and what follows from it, set together.
    fn set_public_url(&mut self, public_url: &str) {
        self.public_url = Arc::from(public_url.trim_end_matches('/'));
        self.cookies = auth::CookiePolicy::for_url(public_url);
    }
}

/// How the service is put together, beyond its database.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The built staff app (`dist/`), served for every path outside the API.
    pub app_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<HeaderValue>,
    /// Requests per caller per window.
    pub rate_limit: RateLimit,
    /// Sign-in and token requests per address per window.
    pub sign_in_limit: RateLimit,
    /// The server's public base URL (`https://phonedesk.example.com`): the identity service's
    /// issuer and endpoints, and whether cookies must be `Secure`. Never taken from a request's
    /// `Host`, which the caller chooses.
    pub public_url: String,
    /// Seconds an access token from `/identity/connect/token` lasts.
    pub token_lifetime: i64,
    /// Whether `/metrics` is served here, to loopback callers only (else on an address of its
    /// own, see [`telemetry::router`]).
    pub metrics_here: bool,
    /// The proxies whose `Forwarded` / `X-Forwarded-For` name the caller (see
    /// [`client_address`]).
    pub trusted_proxies: client_address::TrustedProxies,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            app_dir: None,
            cors_origins: Vec::new(),
            rate_limit: RateLimit::default(),
            sign_in_limit: RateLimit { limit: 30, window: std::time::Duration::from_secs(60) },
            public_url: DEFAULT_PUBLIC_URL.to_owned(),
            trusted_proxies: client_address::TrustedProxies::default(),
            token_lifetime: phone_operations::tokens::LIFETIME,
            metrics_here: true,
        }
    }
}

/// The largest body of a sign-in or a token request: a name and a password, or a form of a
/// few fields.
pub const SIGN_IN_BODY_LIMIT: usize = 4 * 1024;

/// The whole HTTP service.
pub fn app(mut state: AppState, options: &AppOptions) -> Router {
    // Several servers on one PostgreSQL hear each other's calls from the start, not from the
    // first stream (an event told before the database was listened to would be missed).
    if tokio::runtime::Handle::try_current().is_ok() {
        state.ops.hear_calls();
    }
    state.set_public_url(&options.public_url);
    state.token_lifetime = options.token_lifetime;
    let (api, mut openapi) = routes::api().split_for_parts();
    routes::complete(&mut openapi);
    let openapi = Bytes::from(openapi.to_json().expect("the generated document serialises"));
    let api_limiter =
        RateLimiter::new(options.rate_limit, "api", state.telemetry.rate_limited("api"));
    let gate = auth::Gate { state: state.clone(), limiter: api_limiter };
    let api = api
        .layer(axum::middleware::from_fn_with_state(gate, auth::require_principal))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .route(
            "/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi) }),
        )
        .fallback(|| async { ApiError::Refused(Refusal::NotFound) })
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    let api = match cors(&options.cors_origins) {
        Some(cors) => api.layer(cors),
        None => api,
    };
    // Signing in and getting a token check a password: their bodies are small, and each address
    // gets few attempts (`--sign-in-limit`), on top of the per-name waits and locks.
    let sign_ins =
        RateLimiter::new(options.sign_in_limit, "sign_in", state.telemetry.rate_limited("sign_in"));
    let sign_in_guard = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(sign_ins, rate_limit::limit_by_address))
        .layer(DefaultBodyLimit::max(SIGN_IN_BODY_LIMIT));
    let metrics = state.telemetry.clone();
    let outside_the_api = Router::new()
        .route("/readyz", get(routes::health::readyz))
        .route(
            "/identity/connect/token",
            post(routes::identity::token.layer(sign_in_guard.clone())),
        )
        .route(
            "/identity/.well-known/openid-configuration",
            get(routes::identity::openid_configuration),
        )
        .route("/identity/.well-known/openid-configuration/jwks", get(routes::identity::jwks))
        .route(
            "/auth/session",
            get(routes::session::session_get)
                .post(routes::session::session_create.layer(sign_in_guard))
                .delete(routes::session::session_delete),
        );
    let outside_the_api = if options.metrics_here {
        outside_the_api.route("/metrics", get(telemetry::on_api_address))
    } else {
        outside_the_api
    };
    let outside_the_api = outside_the_api.with_state(state.clone());
    let outside_the_api = match &options.app_dir {
        Some(dir) => outside_the_api.merge(assets::app_files(dir)),
        None => outside_the_api.fallback(|| async { ApiError::Refused(Refusal::NotFound) }),
    };
    // Everything outside the API counts against the caller's address (`--rate-limit` a window,
    // apart from the API's): sign-outs with junk cookies, probes, discovery and the app's files
    // cannot be sent without end. `/healthz` stays out: it costs nothing, and a liveness probe
    // must not be refused.
    let by_address =
        RateLimiter::new(options.rate_limit, "api", state.telemetry.rate_limited("api"));
    let outside_the_api = outside_the_api
        .layer(axum::middleware::from_fn_with_state(by_address, rate_limit::limit_by_address));
    let router = Router::new()
        .nest(API_PREFIX, api)
        .route("/healthz", get(routes::health::healthz))
        .with_state(state)
        .merge(outside_the_api);
    let request_id = HeaderName::from_static("x-request-id");
    router
        .layer(axum::middleware::map_response(method_not_allowed_in_contract_shape))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        // The span gives a request's own lines its id. tower-http's lines for each request and
        // answer are left out: the access log has them at `info`, with the route template and
        // numbers for the latency and status.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(())
                .on_failure(body_failed),
        )
        .layer(SetRequestIdLayer::new(request_id, CountingRequestIds::default()))
        .layer(axum::middleware::map_request(keep_only_plain_request_ids))
        .layer(axum::middleware::from_fn_with_state(metrics, telemetry::record))
        .layer(axum::middleware::from_fn(access_log::access_log))
        // Outermost: every layer and handler within counts and logs the same caller.
        .layer(axum::middleware::from_fn_with_state(
            options.trusted_proxies.clone(),
            client_address::resolve,
        ))
}

/// tower-http's failure line, only for an answer's body that failed part way (an app file that
/// could not be read): nothing else sees that. A 5xx status is in the access log already, and
/// its cause was logged where it arose.
fn body_failed(
    failure: ServerErrorsFailureClass,
    _latency: std::time::Duration,
    _: &tracing::Span,
) {
    if let ServerErrorsFailureClass::Error(error) = failure {
        tracing::error!(%error, "the answer's body failed");
    }
}

/// A caller's `X-Request-Id` is kept only when it is `[A-Za-z0-9-]{1,64}`; anything else (a
/// log-injection attempt, a kilobyte of it) is dropped, and the server makes its own.
async fn keep_only_plain_request_ids(
    mut request: axum::extract::Request,
) -> axum::extract::Request {
    let plain = request.headers().get("x-request-id").is_none_or(|value| {
        let bytes = value.as_bytes();
        (1..=64).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    });
    if !plain {
        request.headers_mut().remove("x-request-id");
    }
    request
}

/// axum answers a known path with an unknown method with an empty 405; give it the contract's
/// body. axum adds the `Allow` header after this runs (only where none is set).
async fn method_not_allowed_in_contract_shape(response: Response) -> Response {
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        let mut refused = ApiError::Refused(Refusal::MethodNotAllowed).into_response();
        // Who asked, for the access log.
        *refused.extensions_mut() = response.into_parts().0.extensions;
        refused
    } else {
        response
    }
}

fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods(tower_http::cors::Any)
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                header::IF_MATCH,
                HeaderName::from_static("idempotency-key"),
            ])
            .expose_headers([header::ETAG, HeaderName::from_static("idempotent-replayed")]),
    )
}

/// Request ids: a per-process random prefix and a counter, so ids are unique across restarts
/// without a UUID dependency.
#[derive(Debug, Clone)]
struct CountingRequestIds {
    prefix: u32,
    next: Arc<AtomicU64>,
}

impl Default for CountingRequestIds {
    fn default() -> Self {
        Self { prefix: rand::random(), next: Arc::new(AtomicU64::new(1)) }
    }
}

impl MakeRequestId for CountingRequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix)).ok().map(RequestId::new)
    }
}
