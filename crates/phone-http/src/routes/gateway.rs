//! `GET /gatewayStatus` (Phonedesk's extension): which provider answers the contract's
//! operations, and when the copy that search, history and the review read was last synced.

use axum::{Json, extract::State};
use phone_model::GatewayStatus;
use phone_operations::ApiError;

use crate::AppState;

#[utoipa::path(
    get,
    path = "/gatewayStatus",
    tag = "Customers",
    operation_id = "gatewayStatus",
    responses(
        (status = 200, body = GatewayStatus, description = "Phonedesk's extension: in gateway mode (`phone-server --upstream …`), the provider whose API answers the contract's operations, and when the copy that search, history and the review read was last synced in full. A server of its own data answers `null` for both."),
    )
)]
pub async fn gateway_status(
    State(state): State<AppState>,
) -> Result<Json<GatewayStatus>, ApiError> {
    let (upstream, synced_at) = state.ops().gateway_status().await?;
    Ok(Json(GatewayStatus { upstream, synced_at }))
}
