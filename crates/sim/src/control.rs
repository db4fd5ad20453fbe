//! Test-control endpoints every fake serves under `/__sim/` (outside any vendor's API): arming
//! and clearing faults, and moving the clock. Vendor-specific ones (options, state dumps) stay
//! with their vendor.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Fault;
use crate::server::Backend;

/// The shared routes, to be merged into a vendor's router before its state is attached.
pub(crate) fn routes<S: Backend + Clone>() -> Router<S> {
    Router::new()
        .route(
            "/__sim/faults",
            post(arm_fault::<S>).delete(clear_faults::<S>),
        )
        .route("/__sim/clock", post(advance_clock::<S>))
}

pub(crate) fn error(status: StatusCode, msg: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": msg.to_string()}))).into_response()
}

async fn arm_fault<S: Backend + Clone>(State(sim): State<S>, body: Bytes) -> Response {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(fault) => {
            sim.faults().arm(fault);
            Json(json!({"armed": sim.faults().armed()})).into_response()
        }
        Err(err) => error(StatusCode::BAD_REQUEST, err),
    }
}

async fn clear_faults<S: Backend + Clone>(State(sim): State<S>) -> Response {
    sim.faults().clear();
    Json(json!({"armed": []})).into_response()
}

#[derive(Deserialize)]
struct ClockBody {
    advance_seconds: i64,
}

async fn advance_clock<S: Backend + Clone>(State(sim): State<S>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockBody>(&body) {
        Ok(c) => {
            sim.advance_clock(c.advance_seconds);
            Json(json!({"now": sim.now()})).into_response()
        }
        Err(err) => error(StatusCode::BAD_REQUEST, err),
    }
}
