//! Whether the server can do its work: it answers only when the database does.

use axum::{Json, extract::State, http::StatusCode};
use phone_model::{ErrorBody, Refusal};
use serde_json::{Value, json};

use super::blocking;
use crate::AppState;

/// `200 {"status":"ok"}` when the database answers, `503` in the contract's shape otherwise.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match blocking(&state, |store| Ok(store.ping()?)).await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        Err(error) => {
            tracing::error!(?error, "health check: the database does not answer");
            let body = ErrorBody::refusal(Refusal::Unavailable);
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!(body)))
        }
    }
}
