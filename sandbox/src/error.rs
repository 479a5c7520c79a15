//! Mixpanel's error envelope, as the generated spec gives it:
//! `{"status": "error", "error": "<human text>", "type": "<kind>", "details"?: ...}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into(), details: None }
    }
    /// A validation message: a value of the wrong JSON type (or a body that is
    /// not an object) is a 422 with details, as the generated spec has it;
    /// a value of the right type that breaks a rule is a 400.
    pub fn validation(message: String) -> Self {
        const WRONG_TYPE: [&str; 5] = [
            "must be a JSON object",
            "must be a positive integer",
            "must be a string",
            "must be an array",
            "must be a boolean",
        ];
        if WRONG_TYPE.iter().any(|t| message.contains(t)) {
            let field = message.split(' ').next().unwrap_or_default().to_string();
            ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                details: Some(json!({"field": field, "problem": message.clone()})),
                message,
            }
        } else {
            Self::bad_request(message)
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
}

/// The generated spec's `type` for a status.
pub fn error_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "permission_denied",
        404 => "not_found",
        405 => "method_not_allowed",
        422 => "validation_error",
        429 => "rate_limited",
        _ => "server_error",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"status": "error", "error": self.message, "type": error_type(self.status)});
        if let Some(details) = self.details {
            body["details"] = details;
        }
        (self.status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `{"status": "ok", "results": ...}`
pub fn ok(results: serde_json::Value) -> Response {
    Json(json!({"status": "ok", "results": results})).into_response()
}
