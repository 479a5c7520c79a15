//! `/__sandbox/*`: controls for tests and demos (no auth; the sandbox binds to
//! loopback, and answers only its own origin). Faults at run time, the request log, the known credentials.

use crate::faults::{parse_spec, FaultRule};
use crate::seed::{DEMO_ADMIN, DEMO_ANALYST, DEMO_OWNER};
use crate::state::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// Answers only requests from the sandbox's own origin (or without one, as
/// from the tests' native code or curl): another site's page must neither
/// read the demo credentials nor drive the faults. No CORS, and a request
/// that a browser marks cross-site or cross-origin is refused outright.
pub async fn same_origin_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = request.headers();
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin_ok = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_none_or(|o| o.strip_prefix("http://").is_some_and(|rest| rest == host));
    let site_ok =
        headers.get("sec-fetch-site").and_then(|s| s.to_str().ok()).is_none_or(|s| matches!(s, "same-origin" | "none"));
    if origin_ok && site_ok {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, "The sandbox's control routes answer only its own origin.").into_response()
    }
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/credentials", get(credentials))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/switches", get(switches).post(update_switches))
}

async fn credentials() -> Json<serde_json::Value> {
    let entry = |c: crate::seed::KnownCredential| json!({"username": c.username, "secret": c.secret, "role": c.role});
    Json(json!({"admin": entry(DEMO_ADMIN), "owner": entry(DEMO_OWNER), "analyst": entry(DEMO_ANALYST)}))
}

async fn requests(State(sandbox): State<Shared>) -> Response {
    Json(sandbox.requests()).into_response()
}

async fn clear_requests(State(sandbox): State<Shared>) -> StatusCode {
    sandbox.clear_requests();
    StatusCode::NO_CONTENT
}

async fn switches(State(sandbox): State<Shared>) -> Response {
    Json(sandbox.switches()).into_response()
}

/// Changes the switches given (a partial object), answers all of them.
async fn update_switches(
    State(sandbox): State<Shared>,
    Json(update): Json<crate::switches::SwitchesUpdate>,
) -> Response {
    Json(sandbox.update_switches(update)).into_response()
}

async fn faults(State(sandbox): State<Shared>) -> Response {
    Json(sandbox.faults().clone()).into_response()
}

/// Either a full rule or `{"spec": "GET /me=500"}` in the command-line form.
#[derive(Deserialize)]
#[serde(untagged)]
enum NewFault {
    Spec { spec: String },
    Rule(FaultRule),
}

async fn add_fault(State(sandbox): State<Shared>, Json(new): Json<NewFault>) -> Response {
    let rule = match new {
        NewFault::Spec { spec } => match parse_spec(&spec) {
            Ok(rule) => rule,
            Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
        },
        NewFault::Rule(rule) => rule,
    };
    sandbox.faults().push(rule.clone());
    (StatusCode::CREATED, Json(rule)).into_response()
}

async fn clear_faults(State(sandbox): State<Shared>) -> StatusCode {
    sandbox.faults().clear();
    StatusCode::NO_CONTENT
}
