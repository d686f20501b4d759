//! Staff sign-in for the app: `GET /auth/session` (who is signed in), `POST /auth/session`
//! (sign in with `{"username", "password"}`), `DELETE /auth/session` (sign out).
//!
//! The session is an HttpOnly, SameSite=Strict cookie (Secure when the request came over TLS
//! through a proxy that says so) holding a random token; the database keeps only its hash.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::blocking;
use crate::{
    AppState,
    auth::{
        APP_HEADER, IDLE_LIMIT, SESSION_COOKIE, cookie, now, passwords, session_user, token_hash,
    },
    extract::ContractJson,
};

const WRONG: &str = "The user name or password is incorrect.";

fn who(name: &str, role: &str) -> Json<Value> {
    Json(json!({"username": name, "role": role}))
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
    match blocking(&state, move |store| Ok(session_user(store, &headers)?)).await {
        Ok(Some((name, role))) => who(&name, role.as_str()).into_response(),
        Ok(None) => not_signed_in(),
        Err(error) => error.into_response(),
    }
}

/// Signs in.
pub async fn session_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    ContractJson(body): ContractJson<Value>,
) -> Response {
    if !headers.contains_key(APP_HEADER) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"message": "Sign in from the Phonedesk app."})),
        )
            .into_response();
    }
    let username = body["username"].as_str().unwrap_or_default().trim().to_owned();
    let password = body["password"].as_str().unwrap_or_default().to_owned();
    // Repeated failures slow down: the wait grows with each failure for this name.
    tokio::time::sleep(state.access.sign_in_delay(&username)).await;
    let name = username.clone();
    let checked = blocking(&state, move |store| {
        let user = store.user(&name)?;
        // Check a password even for an unknown name, so the answer's timing does not tell
        // which names exist.
        let (hash, role) = match &user {
            Some((hash, role)) => (hash.as_str(), Some(*role)),
            None => (passwords::unknown_user_hash(), None),
        };
        let matches = passwords::verify(&password, hash);
        let role = role.filter(|_| matches);
        if let Some(role) = role {
            let token = passwords::random_secret();
            store.start_session(&token_hash(&token), &name, now())?;
            Ok(Some((token, role)))
        } else {
            Ok(None)
        }
    })
    .await;
    match checked {
        Ok(Some((token, role))) => {
            state.access.record_sign_in(&username, true);
            let mut response = who(&username, role.as_str()).into_response();
            let secure = if over_tls(&headers) { "; Secure" } else { "" };
            let cookie = format!(
                "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={IDLE_LIMIT}{secure}"
            );
            response
                .headers_mut()
                .insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ASCII"));
            response
        }
        Ok(None) => {
            state.access.record_sign_in(&username, false);
            (StatusCode::UNAUTHORIZED, Json(json!({"message": WRONG}))).into_response()
        }
        Err(error) => error.into_response(),
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
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = token_hash(token);
        if let Err(error) = blocking(&state, move |store| Ok(store.end_session(&hash)?)).await {
            return error.into_response();
        }
    }
    let mut response = Json(json!({"message": "Signed out."})).into_response();
    let cleared = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&cleared).expect("ASCII"));
    response
}

/// Whether a proxy in front says the request came over TLS.
fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}
