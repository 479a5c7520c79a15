//! CORS on the API, switchable at run time: by default the origin is
//! reflected and `Retry-After` exposed (convenient for tests from another
//! origin); with `mixpanel_cors` the sandbox answers as Mixpanel's hosts were
//! observed to: `*`, `authorization, content-type` allowed, nothing exposed,
//! so a page cannot read `Retry-After`.

use crate::state::Shared;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn api_cors(State(sandbox): State<Shared>, request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let mixpanel = sandbox.switches().mixpanel_cors;
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
    let Some(origin) = origin else { return response };
    let headers = response.headers_mut();
    if mixpanel {
        set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if preflight {
            set(headers, header::ACCESS_CONTROL_ALLOW_HEADERS, "authorization, content-type");
            set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, "GET, PATCH, POST, PUT, DELETE");
            set(headers, header::ACCESS_CONTROL_MAX_AGE, "86400");
        }
    } else {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.append(header::VARY, HeaderValue::from_static("origin"));
        set(headers, header::ACCESS_CONTROL_EXPOSE_HEADERS, "retry-after");
        if preflight {
            set(headers, header::ACCESS_CONTROL_ALLOW_HEADERS, "authorization, content-type, accept");
            set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE");
            set(headers, header::ACCESS_CONTROL_MAX_AGE, "600");
        }
    }
    response
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &'static str) {
    headers.insert(name, HeaderValue::from_static(value));
}
