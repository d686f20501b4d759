//! Who is calling, and what they may do. Every call under the API prefix needs a valid bearer
//! token (API clients) or a staff session (the app); a viewer may only read; and a write by
//! session must prove it comes from the app, so another site cannot make a staff member's
//! browser change a number.

pub mod passwords;
pub mod tokens;

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use phone_model::{Businesses, Refusal};

use crate::{
    AppState,
    error::ApiError,
    store::{OperationError, Role, SessionUser, Store},
};
use tokens::TokenKeys;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "phonedesk_session";
/// The header the app sends with every request: a page of another site cannot send it without
/// the browser asking us first (CORS), and we never say yes.
pub const APP_HEADER: &str = "x-phonedesk-request";
/// A session ends after this long without a request, in seconds.
pub const IDLE_LIMIT: i64 = 30 * 60;

/// Who made a request, and the businesses whose customers they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An API client, by its id (from a bearer token).
    Client { id: String, businesses: Businesses, read_only: bool },
    /// A staff member, by name, with their role (from a session).
    User { name: String, role: Role, businesses: Businesses },
}

impl Principal {
    /// Whether it may change data.
    pub fn can_write(&self) -> bool {
        match self {
            Self::Client { read_only, .. } => !read_only,
            Self::User { role, .. } => *role == Role::Editor,
        }
    }

    /// The businesses whose customers it may see and change.
    pub fn businesses(&self) -> &Businesses {
        match self {
            Self::Client { businesses, .. } | Self::User { businesses, .. } => businesses,
        }
    }

    /// How the audit trail names it.
    pub fn actor(&self) -> String {
        match self {
            Self::Client { id, .. } => format!("client {id}"),
            Self::User { name, .. } => name.clone(),
        }
    }
}

/// The server's keys and sign-in state.
#[derive(Debug)]
pub struct Access {
    pub keys: TokenKeys,
    /// Failed sign-ins per user name since their last success: each makes the next answer wait
    /// longer.
    failures: Mutex<HashMap<String, u32>>,
}

impl Access {
    pub fn new(store: &Store) -> Self {
        Self {
            keys: TokenKeys::from_seed(store.token_seed()),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long to wait before answering a sign-in for `username`: nothing at first, then
    /// doubling from a quarter second, at most 8 seconds.
    pub fn sign_in_delay(&self, username: &str) -> Duration {
        let failures = self.failures.lock().expect("no sign-in panics holding the counts");
        match failures.get(username).copied().unwrap_or(0) {
            0 => Duration::ZERO,
            n => Duration::from_millis(250 << (n - 1).min(5)),
        }
    }

    pub fn record_sign_in(&self, username: &str, succeeded: bool) {
        let mut failures = self.failures.lock().expect("no sign-in panics holding the counts");
        if succeeded {
            failures.remove(username);
        } else {
            *failures.entry(username.to_owned()).or_default() += 1;
        }
    }
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The blake3 hash of a session token: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// The value of a cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The staff member of the request's session cookie, if it is a live session.
///
/// # Errors
/// When the database fails.
pub fn session_user(
    store: &Store,
    headers: &HeaderMap,
) -> Result<Option<SessionUser>, OperationError> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => store.session(&token_hash(token), now(), IDLE_LIMIT),
        None => Ok(None),
    }
}

/// Whether a request that came with a session cookie proves it comes from the app: it carries
/// the app's header, and any `Origin` is this server's own.
fn from_the_app(headers: &HeaderMap) -> bool {
    let has_header = headers.contains_key(APP_HEADER);
    let same_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, rest)| host.to_str().is_ok_and(|h| h == rest)),
        (Some(_), None) => false,
    };
    has_header && same_origin
}

/// The middleware in front of the API: finds the principal, refuses those who may not do what
/// they ask, and hands the principal to the handlers.
pub async fn require_principal(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let principal = match principal(&state, request.headers(), writes).await {
        Ok(principal) => principal,
        Err(refusal) => return refusal.into_response(),
    };
    if writes && !principal.can_write() {
        return ApiError::Refused(Refusal::CustomerAccessDenied).into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

async fn principal(
    state: &AppState,
    headers: &HeaderMap,
    writes: bool,
) -> Result<Principal, Response> {
    let unauthorized = || {
        let mut response = ApiError::Refused(Refusal::Unauthorized).into_response();
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    };
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(unauthorized)?;
        let claims = state.access.keys.verify(token.trim()).ok_or_else(unauthorized)?;
        // The client as it stands now: a removed client's tokens stop at once, and a change
        // to its businesses applies to the next request.
        let store = std::sync::Arc::clone(&state.store);
        let id = claims.sub.clone();
        let access = tokio::task::spawn_blocking(move || store.client_access(&id))
            .await
            .map_err(|e| ApiError::Internal(Box::new(e)).into_response())?
            .map_err(|e| ApiError::from(e).into_response())?
            .ok_or_else(unauthorized)?;
        let may_write = claims.scope.split_whitespace().any(|s| s == tokens::SCOPE);
        let read_only = access.read_only || !may_write;
        return Ok(Principal::Client { id: claims.sub, businesses: access.businesses, read_only });
    }
    let store = std::sync::Arc::clone(&state.store);
    let headers_owned = headers.clone();
    let user = tokio::task::spawn_blocking(move || session_user(&store, &headers_owned))
        .await
        .map_err(|e| ApiError::Internal(Box::new(e)).into_response())?
        .map_err(|e| ApiError::from(e).into_response())?;
    let SessionUser { name, role, businesses } = user.ok_or_else(unauthorized)?;
    if writes && !from_the_app(headers) {
        return Err(ApiError::Refused(Refusal::CustomerAccessDenied).into_response());
    }
    Ok(Principal::User { name, role, businesses })
}
