//! What an orchestrator asks: is the process alive (`/healthz`), and can it serve (`/readyz`).

use axum::{Json, extract::State, http::StatusCode};
use phone_model::{ErrorBody, Refusal};
use serde_json::{Value, json};

use super::blocking;
use crate::AppState;

/// `200 {"status":"ok"}` whenever the process answers at all: restarting it would not help
/// with anything else, so liveness asks nothing of the database or the provider.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `200 {"status":"ok"}` when the server can serve: its database answers with the schema it
/// was built for, and in gateway mode a token from the provider is in hand or can be had.
/// Otherwise `503` in the contract's shape, so a load balancer sends callers elsewhere.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = blocking(&state, |store| Ok(store.ready()?)).await;
    let upstream = match (&database, &state.gateway) {
        (Ok(()), Some(gateway)) => gateway.ready().await.map_err(|e| e.to_string()),
        _ => Ok(()),
    };
    match (database, upstream) {
        (Ok(()), Ok(())) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        (database, upstream) => {
            tracing::warn!(?database, ?upstream, "not ready");
            let body = ErrorBody::refusal(Refusal::Unavailable);
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!(body)))
        }
    }
}
