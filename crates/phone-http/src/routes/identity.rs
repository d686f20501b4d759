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
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::{
    AppState,
    auth::{MAX_NAME, MAX_SECRET, address, passwords, too_many, truncated},
};
use phone_operations::{
    now,
    tokens::{READ_SCOPE, SCOPE},
};

/// The identity service's base URL: from the server's configured public URL, never from the
/// request's `Host`.
fn issuer(state: &AppState) -> String {
    format!("{}/identity", state.public_url)
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

/// Issues an access token. An unknown client id costs the same password work as a known one
/// (so the timing does not tell which ids exist), checks take turns with sign-ins, and an id or
/// secret too long to exist is refused before any of it.
pub async fn token(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return oauth_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request",
                "The request is larger than a token request can be.",
            );
        }
        Err(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The request must be form-encoded (application/x-www-form-urlencoded).",
            );
        }
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
        state.telemetry.credential_failed("token_request");
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    };
    let address = address(&extensions);
    let refused = |why: &str| {
        tracing::warn!(client = %truncated(&client_id), %address, "token refused: {why}");
        state.telemetry.credential_failed("token_request");
        oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed.")
    };
    if client_id.len() > MAX_NAME || secret.len() > MAX_SECRET {
        return refused("id or secret too long");
    }
    let Some(_turn) = state.access.password_check().await else {
        tracing::warn!(%address, "token refused: too many password checks at once");
        return too_many(1000);
    };
    let id = client_id.clone();
    let known = state
        .ops
        .blocking(move |store| {
            let hash = store.client_secret_hash(&id)?;
            let verified = passwords::verify_stored(&secret, hash.as_deref());
            Ok(if verified { store.client_access(&id)? } else { None })
        })
        .await;
    let access = match known {
        Ok(Some(access)) => access,
        Ok(None) => return refused("unknown client or wrong secret"),
        Err(error) => return error.into_response(),
    };
    // A read-only client, or one that asks for no more, gets a token that cannot write.
    let scope = if access.read_only || (!asked.is_empty() && !asked.contains(&SCOPE)) {
        READ_SCOPE
    } else {
        SCOPE
    };
    let (keys, at) = (state.ops.keys().ring(), now());
    let (signer, key_left) = keys.token_signer(at);
    let lifetime = key_left.map_or(state.token_lifetime, |left| left.min(state.token_lifetime));
    let token = signer.issue(&client_id, scope, &issuer(&state), at, lifetime);
    tracing::info!(client = %client_id, %address, scope, "token issued");
    let mut response = Json(json!({
        "access_token": token, "expires_in": lifetime, "token_type": "Bearer", "scope": scope
    }))
    .into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// OpenID Connect discovery: where to get tokens and the keys that verify them.
pub async fn openid_configuration(State(state): State<AppState>) -> Json<Value> {
    let issuer = issuer(&state);
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

/// The keys that verify access tokens: during a rotation the new one and the old, each by its
/// `kid`.
pub async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.ops.keys().ring().jwks(now()))
}
