//! What an orchestrator asks: is the process alive (`/healthz`), and can it serve (`/readyz`).

use std::time::{Duration, Instant};

use axum::{Json, extract::State, http::StatusCode};
use phone_model::{ErrorBody, Refusal};
use serde_json::{Value, json};

use crate::AppState;

/// How long one readiness check answers every probe: a flood of probes (they need no
/// credentials) costs the database one read a second, and the provider one token request.
const FRESH: Duration = Duration::from_secs(1);

/// The last readiness check and when it was made; held while a check runs, so probes that
/// arrive meanwhile wait for its answer instead of making their own.
#[derive(Debug, Default)]
pub struct Readiness(tokio::sync::Mutex<Option<(Instant, Result<(), String>)>>);

/// `200 {"status":"ok"}` whenever the process answers at all: restarting it would not help
/// with anything else, so liveness asks nothing of the database or the provider.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `200 {"status":"ok"}` when the server can serve: its database answers with the schema it
/// was built for, and in gateway mode a token from the provider is in hand or can be had.
/// Otherwise `503` in the contract's shape, so a load balancer sends callers elsewhere. The log
/// says when readiness changes, and why.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let mut last = state.readiness.0.lock().await;
    let fresh = last.as_ref().filter(|(at, _)| at.elapsed() < FRESH).map(|(_, r)| r.clone());
    let ready = match fresh {
        Some(ready) => ready,
        None => {
            let ready = check(&state).await;
            match (&ready, last.as_ref().map(|(_, before)| before.is_ok())) {
                (Ok(()), Some(false)) => tracing::info!("ready again"),
                (Err(why), None | Some(true)) => tracing::warn!(%why, "not ready"),
                _ => {}
            }
            *last = Some((Instant::now(), ready.clone()));
            ready
        }
    };
    drop(last);
    match ready {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        Err(_) => {
            let body = ErrorBody::refusal(Refusal::Unavailable);
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!(body)))
        }
    }
}

async fn check(state: &AppState) -> Result<(), String> {
    state
        .ops
        .blocking(|store| Ok(store.ready()?))
        .await
        .map_err(|e| format!("the database: {e:?}"))?;
    match state.ops.gateway() {
        Some(gateway) => gateway.ready().await.map_err(|e| e.to_string()),
        None => Ok(()),
    }
}
