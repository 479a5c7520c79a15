//! Runs around every API request: applies fault rules, then logs the request
//! (method, path, JSON body, status) for tests to assert on.

use crate::faults::{decide, Fault};
use crate::state::{LoggedRequest, Shared};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::time::Duration;

const BODY_LIMIT: usize = 8 << 20;

pub async fn api_layer(State(sandbox): State<Shared>, request: Request, next: Next) -> Response {
    let _answering = sandbox.in_flight.enter();
    let method = request.method().to_string();
    let path = request.uri().path();
    let path = path.strip_prefix("/api/app").unwrap_or(path).to_string();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let logged_body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => v,
        Err(_) if bytes.is_empty() => Value::Null,
        Err(_) => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
    };

    let decision = decide(&mut sandbox.faults(), &method, &path);
    if decision.latency_ms > 0 {
        hold(Duration::from_millis(decision.latency_ms)).await;
    }
    let response = match decision.fault {
        Some(Fault::ServerErrorAfterEffect) => {
            let _carried_out = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            fault_response(Fault::ServerError)
        }
        Some(Fault::ServerErrorCommitLater { delay_ms }) => {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                let _carried_out = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            });
            fault_response(Fault::ServerError)
        }
        Some(Fault::Hang { seconds }) => {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            fault_response(Fault::ServerError)
        }
        Some(fault) => fault_response(fault),
        None => next.run(Request::from_parts(parts, Body::from(bytes))).await,
    };
    sandbox.record(LoggedRequest { method, path, body: logged_body, status: response.status().as_u16() });
    response
}

/// Holds a request for `latency`. On a blocking thread, not tokio's timer:
/// that one rounds up to its next millisecond tick, so "50 ms" took 51 and
/// a benchmark of 34 round trips in a row drifted by tens of milliseconds.
async fn hold(latency: Duration) {
    if tokio::task::spawn_blocking(move || std::thread::sleep(latency)).await.is_err() {
        tokio::time::sleep(latency).await;
    }
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::BadRequest { message } => {
            (StatusCode::BAD_REQUEST, Json(json!({"status": "error", "error": message, "type": "bad_request"})))
                .into_response()
        }
        Fault::ServerError
        | Fault::ServerErrorAfterEffect
        | Fault::ServerErrorCommitLater { .. }
        | Fault::Hang { .. } => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"status": "error", "error": "Internal server error", "type": "server_error"})),
        )
            .into_response(),
        Fault::RateLimit { retry_after } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"status": "error", "error": "Too many requests: rate limit exceeded", "type": "rate_limited"})),
            )
                .into_response();
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        Fault::MalformedJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"status\": \"ok\", \"results\": [{\"id\": 1,",
        )
            .into_response(),
        // A body that fails before its first byte makes the server abort the
        // connection: the client sees a network error, as with a dropped link.
        Fault::Drop => {
            let failing = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by the sandbox"))
            });
            Response::new(Body::from_stream(failing))
        }
    }
}
