//! Serves the built console (`dist/`) on the API's origin, with a runtime
//! `config.json` that points the console at this very server.

use crate::state::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

pub fn routes(sandbox: &Shared) -> Router<Shared> {
    let router = Router::new().route("/config.json", get(config));
    match &sandbox.dist {
        // Unknown paths get index.html so the console's own routes survive a reload.
        Some(dist) => router.fallback_service(ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")))),
        None => router.fallback(no_console),
    }
}

async fn config(State(sandbox): State<Shared>, headers: HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let api = sandbox.console_api.clone().unwrap_or_else(|| format!("http://{host}/api/app"));
    let mut config = json!({"default_region": "custom", "api_base_url": api});
    if let Some(policy) = &sandbox.policy {
        config["policy"] = policy.clone();
    }
    if let Some(seconds) = sandbox.idle_lock_seconds {
        config["idle_lock_seconds"] = json!(seconds);
    }
    Json(config).into_response()
}

/// The deploy kit's security headers and cache rules on every answer; a
/// console pointed at another API's origin gets it added to connect-src, as
/// the kit's README tells a deployment to do.
pub async fn kit_headers(
    State(sandbox): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let cache = crate::kit_headers::cache_control(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in crate::kit_headers::security_headers() {
        headers.insert(name, value);
    }
    if let Some(origin) = sandbox.console_api.as_deref().and_then(crate::kit_headers::origin_of) {
        crate::kit_headers::allow_connect(headers, &origin);
    }
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static(cache));
    response
}

async fn no_console() -> Response {
    (StatusCode::NOT_FOUND, "This sandbox serves no console build: start it with --dist dist").into_response()
}
