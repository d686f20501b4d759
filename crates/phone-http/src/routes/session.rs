//! Staff sign-in for the app: `GET /auth/session` (who is signed in), `POST /auth/session`
//! (sign in with `{"username", "password"}`), `DELETE /auth/session` (sign out).
//!
//! The session is an HttpOnly, SameSite=Strict cookie holding a random token (Secure and
//! `__Host-` named unless the server's public URL is plain HTTP on loopback: see
//! [`CookiePolicy`](crate::auth::CookiePolicy)); the database keeps only its hash.

use axum::{
    Json,
    extract::State,
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use phone_model::{Businesses, SignIn, StaffSession};
use serde_json::json;

use crate::{
    AppState,
    auth::{
        APP_HEADER, IDLE_LIMIT, MAX_NAME, MAX_SECRET, address, attempts::Gate, cookie, now_millis,
        passwords, session_user, token_hash, too_many, truncated,
    },
    extract::Body,
};
use phone_operations::{ApiError, now};
use phone_store::{SessionUser, Store};

const WRONG: &str = "The user name or password is incorrect.";

/// Who is signed in: name, role, and the businesses they see (`allBusinesses` for the
/// provider's own staff, with every business listed), so the app can show and filter by them;
/// and whether this server is a gateway, so that the app asks `/gatewayStatus` only of one.
fn who(store: &Store, user: &SessionUser, gateway: bool) -> Result<StaffSession, ApiError> {
    Ok(StaffSession {
        username: user.name.clone(),
        role: user.role,
        all_businesses: user.businesses == Businesses::All,
        businesses: store.businesses(&user.businesses)?,
        gateway,
    })
}

fn not_signed_in() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"message": "Authorization has been denied for this request."})),
    )
        .into_response()
}

/// Who is signed in.
pub async fn session_get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let answer = match session_user(&state, &headers).await {
        Ok(Some((user, _))) => {
            let gateway = state.ops.gateway().is_some();
            state.ops.blocking(move |store| who(store, &user, gateway)).await.map(Some)
        }
        Ok(None) => Ok(None),
        Err(error) => Err(error),
    };
    match answer {
        Ok(Some(body)) => Json(body).into_response(),
        Ok(None) => not_signed_in(),
        Err(error) => error.into_response(),
    }
}

/// Signs in. Each attempt counts before its password is checked: while a failure's wait is
/// pending, or the name is locked, the answer is 429 at once; a name or password too long to
/// exist is refused without any password work; and password checks take turns (see
/// [`Access`](crate::auth::Access)).
pub async fn session_create(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    Body(sent): Body<SignIn>,
) -> Response {
    let body = match sent.read {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    if !headers.contains_key(APP_HEADER) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"message": "Sign in from the Phonedesk app."})),
        )
            .into_response();
    }
    let username = body.username.trim().to_owned();
    let password = body.password;
    let address = address(&extensions);
    if username.len() > MAX_NAME || password.len() > MAX_SECRET {
        tracing::warn!(user = %truncated(&username), %address, "sign-in refused: name or password too long");
        return wrong(&state);
    }
    if let Some((why, millis)) = held_back(state.access.attempts.before(&username, now_millis())) {
        tracing::warn!(user = %username, %address, "sign-in refused: {why}");
        return too_many(millis);
    }
    let Some(_turn) = state.access.password_check().await else {
        tracing::warn!(user = %username, %address, "sign-in refused: too many password checks at once");
        return too_many(1000);
    };
    let (name, gateway) = (username.clone(), state.ops.gateway().is_some());
    let checked = state
        .ops
        .blocking(move |store| {
            let user = store.user(&name)?;
            let exists = user.is_some();
            let matches =
                passwords::verify_stored(&password, user.as_ref().map(|(h, _)| h.as_str()));
            match user.filter(|_| matches) {
                Some((_, user)) => {
                    let token = passwords::random_secret();
                    store.start_session(&token_hash(&token), &name, now())?;
                    Ok((Some((token, who(store, &user, gateway)?)), exists))
                }
                None => Ok((None, exists)),
            }
        })
        .await;
    let (succeeded, exists) = match &checked {
        Ok((found, exists)) => (found.is_some(), *exists),
        Err(_) => (false, true),
    };
    let checked = checked.map(|(found, _)| found);
    if state.access.attempts.after(&username, succeeded, exists, now_millis()) {
        tracing::warn!(user = %username, %address, "sign-in locked after repeated failures");
    }
    match checked {
        Ok(Some((token, body))) => {
            tracing::info!(user = %username, %address, "signed in");
            let mut response = Json(body).into_response();
            let cookie = state.cookies.set(&token, IDLE_LIMIT);
            response
                .headers_mut()
                .insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ASCII"));
            response
        }
        Ok(None) => {
            tracing::warn!(user = %username, %address, "sign-in failed");
            wrong(&state)
        }
        Err(error) => error.into_response(),
    }
}

/// Why the attempts' gate held a sign-in back, as the log says it, and for how many
/// milliseconds; `None` when it lets it go. An operator reading "locked" looks for an attack on
/// the name; a concurrent sign-in (a double click) is nothing of the kind.
fn held_back(gate: Gate) -> Option<(&'static str, i64)> {
    match gate {
        Gate::Go => None,
        Gate::Locked(millis) => Some(("the name is locked after repeated failures", millis)),
        Gate::Wait(millis) => Some(("waiting out the delay after a failed sign-in", millis)),
        Gate::Busy(millis) => {
            Some(("another sign-in for this name is being checked right now", millis))
        }
    }
}

/// Signs out.
pub async fn session_delete(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !headers.contains_key(APP_HEADER) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"message": "Sign out from the Phonedesk app."})),
        )
            .into_response();
    }
    if let Some(token) = cookie(&headers, state.cookies.name()) {
        let hash = token_hash(token);
        if let Err(error) = state.ops.blocking(move |store| Ok(store.end_session(&hash)?)).await {
            return error.into_response();
        }
    }
    let mut response = Json(json!({"message": "Signed out."})).into_response();
    let cleared = state.cookies.set("", 0);
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&cleared).expect("ASCII"));
    response
}

/// The answer to a wrong name or password, counted for `/metrics`.
fn wrong(state: &AppState) -> Response {
    state.telemetry.credential_failed("sign_in");
    (StatusCode::UNAUTHORIZED, Json(json!({"message": WRONG}))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_held_back_is_logged_as_what_held_it_back() {
        assert_eq!(held_back(Gate::Go), None);
        let why = |gate| held_back(gate).expect("held back");
        assert_eq!(why(Gate::Locked(5)), ("the name is locked after repeated failures", 5));
        assert_eq!(why(Gate::Wait(6)), ("waiting out the delay after a failed sign-in", 6));
        assert_eq!(
            why(Gate::Busy(7)),
            ("another sign-in for this name is being checked right now", 7)
        );
    }
}
