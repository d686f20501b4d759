//! OAuth 2.0 client credentials, as the provider's identity service does it:
//!
//! - `POST /identity/connect/token` (form-encoded `grant_type=client_credentials`,
//!   `client_id`, `client_secret` — or HTTP Basic — optional `scope`) → an access token;
//! - `GET /identity/.well-known/openid-configuration` and its `jwks`, so that clients can
//!   verify tokens.
//!
//! Errors follow RFC 6749 §5.2.

use axum::{
    Form, Json,
    extract::{State, rejection::FormRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use super::blocking;
use crate::{
    AppState,
    auth::{
        now, passwords,
        tokens::{LIFETIME, READ_SCOPE, SCOPE},
    },
};

/// The identity service's base URL as the caller reached it.
fn issuer(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}/identity")
}

/// An RFC 6749 §5.2 error.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response =
        (status, Json(json!({"error": error, "error_description": description}))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
    }
    response
}

/// The client's id and secret: from HTTP Basic, else from the form.
fn client_credentials(headers: &HeaderMap, form: &[(String, String)]) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|encoded| STANDARD.decode(encoded.trim()).ok())
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':').map(|(id, secret)| (id.to_owned(), secret.to_owned()))
        });
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    basic.or_else(|| Some((field("client_id")?, field("client_secret")?)))
}

/// Issues an access token.
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request must be form-encoded (application/x-www-form-urlencoded).",
        );
    };
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match field("grant_type") {
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required.",
            );
        }
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only the client_credentials grant is supported.",
            );
        }
    }
    // `customerservices` reads and writes; `customerservices.read` only reads.
    let asked: Vec<&str> = field("scope").unwrap_or_default().split_whitespace().collect();
    if asked.iter().any(|s| *s != SCOPE && *s != READ_SCOPE) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "The scopes are customerservices and customerservices.read.",
        );
    }
    let Some((client_id, secret)) = client_credentials(&headers, &form) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    };
    let id = client_id.clone();
    let known = blocking(&state, move |store| {
        let hash = store.client_secret_hash(&id)?;
        let verified = hash.is_some_and(|hash| passwords::verify(&secret, &hash));
        Ok(if verified { store.client_access(&id)? } else { None })
    })
    .await;
    let access = match known {
        Ok(Some(access)) => access,
        Ok(None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client authentication failed.",
            );
        }
        Err(error) => return error.into_response(),
    };
    // A read-only client, or one that asks for no more, gets a token that cannot write.
    let scope = if access.read_only || (!asked.is_empty() && !asked.contains(&SCOPE)) {
        READ_SCOPE
    } else {
        SCOPE
    };
    let token = state.access.keys.issue(&client_id, scope, &issuer(&headers), now());
    let mut response = Json(json!({
        "access_token": token, "expires_in": LIFETIME, "token_type": "Bearer", "scope": scope
    }))
    .into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// OpenID Connect discovery: where to get tokens and the keys that verify them.
pub async fn openid_configuration(headers: HeaderMap) -> Json<Value> {
    let issuer = issuer(&headers);
    Json(json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}/connect/token"),
        "jwks_uri": format!("{issuer}/.well-known/openid-configuration/jwks"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "scopes_supported": [SCOPE, READ_SCOPE],
        "id_token_signing_alg_values_supported": ["EdDSA"],
    }))
}

/// The keys that verify access tokens.
pub async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.access.keys.jwks())
}
