//! Who is calling, and what they may do. Every call under the API prefix needs a valid bearer
//! token (API clients) or a staff session (the app); a viewer may only read; and a write by
//! session must prove it comes from the app, so another site cannot make a staff member's
//! browser change a number.

pub mod attempts;
mod cookies;
pub mod passwords;
pub mod twilio;
mod verified;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{Semaphore, SemaphorePermit};

use axum::{
    extract::{Request, State},
    http::{Extensions, HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use phone_model::Refusal;

use crate::{
    AppState,
    client_address::ClientAddress,
    rate_limit::{self, RateLimiter, with_standing},
};
use phone_operations::ApiError;
use phone_operations::{Caller, Principal, now};
use phone_store::{SessionUser, StoredSession};

pub use self::cookies::{CookiePolicy, SECURE_SESSION_COOKIE, SESSION_COOKIE, cookie};

/// The header the app sends with every request: a page of another site cannot send it without
/// the browser asking us first (CORS), and we never say yes.
pub const APP_HEADER: &str = "x-phonedesk-request";
/// A session ends after this long without a request, in seconds.
pub const IDLE_LIMIT: i64 = 30 * 60;
/// A session ends this long after it began, however busy, in seconds.
pub const ABSOLUTE_LIMIT: i64 = 12 * 60 * 60;

/// The longest user name or client id a sign-in may name: longer ones exist nowhere, so they
/// are refused before any password work.
pub const MAX_NAME: usize = 64;
/// The longest password or client secret read.
pub const MAX_SECRET: usize = 1024;
/// The contract's 429, with when to come back.
pub(crate) fn too_many(millis: i64) -> Response {
    let mut response = rate_limit::refused();
    let seconds = (millis + 999) / 1000;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

/// The address a request came from, for the security log and the access log: behind a
/// trusted proxy, the caller it names (see [`ClientAddress`]).
pub(crate) fn address(extensions: &Extensions) -> String {
    ClientAddress::of(extensions).map_or_else(|| "unknown".to_owned(), |c| c.ip.to_string())
}

/// A name as the log shows it: at most 64 characters, so the log cannot be flooded.
pub(crate) fn truncated(name: &str) -> String {
    name.chars().take(MAX_NAME).collect()
}

/// How long a sign-in waits for a turn at checking a password before it is told to come back.
const CHECK_WAIT: Duration = Duration::from_secs(2);

/// The server's sign-in state.
#[derive(Debug)]
pub struct Access {
    /// Tokens already verified: one signature check per token, not per request.
    verified: verified::VerifiedTokens,
    /// Sign-in attempts per user name.
    pub attempts: attempts::Attempts,
    /// Password checks (Argon2, ~19 MiB each) at once: no more than the machine has cores, so
    /// a flood of sign-ins cannot take the memory or the blocking threads the API needs.
    password_checks: Semaphore,
}

impl Default for Access {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            verified: verified::VerifiedTokens::default(),
            attempts: attempts::Attempts::default(),
            password_checks: Semaphore::new(cores),
        }
    }
}

impl Access {
    /// A turn at checking a password; `None` when none comes free soon (answer 429).
    pub async fn password_check(&self) -> Option<SemaphorePermit<'_>> {
        tokio::time::timeout(CHECK_WAIT, self.password_checks.acquire()).await.ok()?.ok()
    }
}

/// Milliseconds since the epoch.
pub fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The blake3 hash of a session token: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// How often, in seconds, a session's last use is written: writing on every request would make
/// every read a write; a minute's precision will do for a thirty-minute idle limit.
const TOUCH_EVERY: i64 = 60;

/// What a stored session is at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAt {
    /// Unused for longer than [`IDLE_LIMIT`], or begun longer than [`ABSOLUTE_LIMIT`] ago.
    Over,
    /// Live: the seconds it has left once used now (the lesser of the two limits), and whether
    /// this use must be written.
    Live { left: i64, touch: bool },
}

impl SessionAt {
    pub fn of(session: &StoredSession, now: i64) -> Self {
        if now - session.last_seen > IDLE_LIMIT || now - session.started_at > ABSOLUTE_LIMIT {
            return Self::Over;
        }
        Self::Live {
            left: IDLE_LIMIT.min(session.started_at + ABSOLUTE_LIMIT - now),
            touch: now - session.last_seen > TOUCH_EVERY,
        }
    }
}

/// The staff member of the request's session cookie, if it is a live session, with the
/// seconds it has left.
///
/// # Errors
/// When the database fails.
pub async fn session_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(SessionUser, i64)>, ApiError> {
    match cookie(headers, state.cookies.name()) {
        Some(token) => staff_session(state, token, now()).await,
        None => Ok(None),
    }
}

/// The staff member of session `token` at `now`, with the seconds it has left: the session
/// counts as used, and an ended one is removed. Every app request pays for the lookup, so it is
/// a small read done at once; the writes, at most one a minute per session, go to a blocking
/// thread.
///
/// # Errors
/// When the database fails.
pub async fn staff_session(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Option<(SessionUser, i64)>, ApiError> {
    let hash = token_hash(token);
    let lookup = hash.clone();
    let found = state.ops.small_read(move |store| Ok(store.session(&lookup)?)).await?;
    let Some(session) = found else { return Ok(None) };
    match SessionAt::of(&session, now) {
        SessionAt::Over => {
            state.ops.blocking(move |store| Ok(store.end_session(&hash)?)).await?;
            Ok(None)
        }
        SessionAt::Live { left, touch } => {
            if touch {
                state.ops.blocking(move |store| Ok(store.touch_session(&hash, now)?)).await?;
            }
            Ok(Some((session.user, left)))
        }
    }
}

/// Whether a staff write proves it comes from the app: it carries the app's header (which a
/// cross-site form cannot send, and a cross-site script only after a CORS preflight we refuse),
/// and any `Origin` is the server's public URL's. Not the `Host` header's: behind a proxy that
/// is the proxy's upstream (`127.0.0.1:8080`), or the host without its port. A server on plain
/// HTTP on loopback (a developer's, the default) also takes an `Origin` naming its `Host`, so
/// `localhost` and `127.0.0.1` both work.
fn from_the_app(headers: &HeaderMap, public_url: &str, plain_loopback: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return headers.contains_key(APP_HEADER);
    };
    let origin = origin.to_str().unwrap_or_default();
    let public = origin_of(public_url);
    let as_host = plain_loopback
        && origin.split_once("://").is_some_and(|(_, rest)| {
            headers.get(header::HOST).and_then(|h| h.to_str().ok()) == Some(rest)
        });
    headers.contains_key(APP_HEADER) && (origin.eq_ignore_ascii_case(public) || as_host)
}

/// The origin of a URL as a browser writes it: its scheme and authority (`https://a.example`
/// of `https://a.example/phonedesk`).
fn origin_of(url: &str) -> &str {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let end = url[authority_start..].find('/').map_or(url.len(), |i| authority_start + i);
    &url[..end]
}

/// What the API's gate needs: the app's state and the API's rate limits.
#[derive(Debug, Clone)]
pub struct Gate {
    pub state: AppState,
    pub limiter: RateLimiter,
}

/// The middleware in front of the API: finds the principal, counts the request against it (or
/// against the address, for a request without valid credentials), refuses those past their
/// limit or who may not do what they ask, and hands the principal to the handlers. The answer
/// carries the caller it was counted as, for the access log.
pub async fn require_principal(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    // A call event changes no customer's data: a read-only client (a phone system) reports
    // calls.
    let reports_a_call = *request.method() == Method::POST && request.uri().path() == "/calls";
    let writes = !reports_a_call
        && !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (found, request) = if reports_a_call && twilio::signed(request.headers()) {
        twilio::principal(&gate.state, request).await
    } else {
        (principal(&gate.state, request.headers(), writes).await, request)
    };
    let caller = match &found {
        Ok((principal, _)) => principal.caller(),
        Err(_) => rate_limit::caller_at(&request),
    };
    let standing = gate.limiter.count(&caller, rate_limit::now());
    let mut response = if standing.allowed {
        admit(&gate.state, found, &caller, writes, request, next).await
    } else {
        rate_limit::refuse(found.is_ok()).await
    };
    response.extensions_mut().insert(caller);
    with_standing(response, standing)
}

/// The answer to a request within its caller's limit: a refusal of its credentials or of a
/// write it may not make, or the handler's.
async fn admit(
    state: &AppState,
    found: Result<(Principal, Option<String>), Response>,
    caller: &Caller,
    writes: bool,
    mut request: Request,
    next: Next,
) -> Response {
    let (principal, refreshed_cookie) = match found {
        Err(refusal) => {
            if refusal.status() == axum::http::StatusCode::UNAUTHORIZED {
                state.telemetry.credential_failed("api_request");
            }
            return refusal;
        }
        Ok(found) => found,
    };
    let mut response = match principal {
        principal if writes && !principal.can_write() => {
            tracing::warn!(?caller, "refused: may not write");
            ApiError::Refused(Refusal::CustomerAccessDenied).into_response()
        }
        principal => {
            request.extensions_mut().insert(principal);
            let response = next.run(request).await;
            // The request's span names the path.
            if response.status() == axum::http::StatusCode::FORBIDDEN {
                tracing::warn!(?caller, "refused: customer_access_denied");
            }
            response
        }
    };
    if let Some(cookie) = refreshed_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The principal of a request, with a refreshed session cookie for a staff member.
async fn principal(
    state: &AppState,
    headers: &HeaderMap,
    writes: bool,
) -> Result<(Principal, Option<String>), Response> {
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
        let token = token.trim();
        let (keys, at) = (state.ops.keys().ring(), now());
        let claims = state
            .access
            .verified
            .claims(token, at, |kid| keys.accepts(kid, at), || keys.verify(token, at))
            .ok_or_else(unauthorized)?;
        // The client as it stands now: a removed client's tokens stop at once, and a change
        // to its businesses applies to the next request.
        let id = claims.sub.clone();
        let access = state
            .ops
            .small_read(move |store| Ok(store.client_access(&id)?))
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(unauthorized)?;
        let may_write =
            claims.scope.split_whitespace().any(|s| s == phone_operations::tokens::SCOPE);
        let read_only = access.read_only || !may_write;
        let client = Principal::Client { id: claims.sub, businesses: access.businesses, read_only };
        return Ok((client, None));
    }
    let policy = state.cookies;
    let token = cookie(headers, policy.name()).ok_or_else(unauthorized)?;
    let user = staff_session(state, token, now()).await.map_err(IntoResponse::into_response)?;
    let (SessionUser { name, role, businesses }, left) = user.ok_or_else(unauthorized)?;
    if writes && !from_the_app(headers, &state.public_url, !policy.secure) {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("none");
        tracing::warn!(
            user = %name,
            origin = %truncated(origin),
            expected = %origin_of(&state.public_url),
            app_header = headers.contains_key(APP_HEADER),
            "staff write refused: not from the app's own pages (behind a proxy, --public-url \
             must be the address staff open)"
        );
        return Err(ApiError::Refused(Refusal::ForeignOrigin).into_response());
    }
    // The cookie lasts as long as the session still may: refreshed as it is used.
    Ok((Principal::User { name, role, businesses }, Some(policy.set(token, left))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_plain_only_over_http_on_loopback() {
        let secure = |url| CookiePolicy::for_url(url).secure;
        for plain in
            ["http://127.0.0.1:8080", "http://localhost", "http://[::1]", "http://[::1]:80/x"]
        {
            assert!(!secure(plain), "{plain}");
        }
        for tls in [
            "https://127.0.0.1",
            "http://127.example.com",
            "http://0.0.0.0:8080",
            "http://phonedesk.example.com",
        ] {
            assert!(secure(tls), "{tls}");
        }
    }

    #[tokio::test]
    async fn password_checks_take_turns_and_a_late_one_is_told_to_come_back() {
        let access = Access {
            verified: verified::VerifiedTokens::default(),
            attempts: attempts::Attempts::default(),
            password_checks: Semaphore::new(2),
        };
        let first = access.password_check().await;
        let second = access.password_check().await;
        assert!(first.is_some() && second.is_some());
        let started = std::time::Instant::now();
        assert!(access.password_check().await.is_none(), "no turn while two checks run");
        assert!(started.elapsed() >= CHECK_WAIT);
        drop(first);
        assert!(access.password_check().await.is_some(), "a turn once one ends");
    }
}
