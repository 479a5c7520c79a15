//! Every way a request can fail, each with a message that says what happened
//! and what to do next.

use thiserror::Error;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ApiError {
    #[error("The request was refused as invalid: {0}")]
    BadRequest(String),
    #[error("The credentials were not accepted ({0}). Check the username and secret, that the account has not expired, and that it belongs to this region.")]
    Unauthorized(String),
    #[error("Permission denied: {0}")]
    Forbidden(String),
    #[error("Not found: {0}. It may have been deleted meanwhile; reload to see the current state.")]
    NotFound(String),
    /// 422: JSON of the wrong shape (the generated spec); nothing was done.
    #[error("The request was refused as malformed (HTTP 422): {0}")]
    Invalid(String),
    #[error("{}", rate_limited_text(*.retry_after))]
    RateLimited { retry_after: Option<u32> },
    #[error("The server failed (HTTP {status}){}. Try again in a moment.", detail(.message))]
    Server { status: u16, message: Option<String> },
    #[error("Could not reach the API at {0}, or it refused this page's origin (the browser hides which). Check the region or API base URL and your connection; a proxy must allow this page's origin (CORS), and the server hosting this console must allow that address in its Content-Security-Policy (connect-src). Hosting the console with the deploy kit's same-origin proxy avoids CORS altogether.")]
    Network(String),
    #[error("No answer from the API at {base_url} within {seconds} seconds; the console stopped waiting.")]
    Timeout { base_url: String, seconds: u32 },
    #[error("The server's answer could not be read ({0}). The API base URL may point at something other than Mixpanel's App API.")]
    Decode(String),
    #[error("Unexpected answer from the server (HTTP {status}){}.", detail(.message))]
    Unexpected { status: u16, message: Option<String> },
    /// The session ended (sign-out, idle lock, 401) before or while the
    /// request ran; it was not sent, or was cut off.
    #[error("The session ended, so the request was stopped. Sign in again to continue.")]
    SignedOut,
    /// The page or dialog that started it went away.
    #[error("The request was cancelled.")]
    Cancelled,
}

fn rate_limited_text(retry_after: Option<u32>) -> String {
    match retry_after {
        Some(s) => {
            format!("Mixpanel is limiting the request rate. Try again in {s} second{}.", if s == 1 { "" } else { "s" })
        }
        None => "Mixpanel is limiting the request rate. Wait a little and try again.".into(),
    }
}

fn detail(message: &Option<String>) -> String {
    message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
}

impl ApiError {
    /// Maps a non-2xx answer to an error, using the envelope's text when present.
    pub fn from_status(status: u16, body: &str, retry_after: Option<&str>) -> ApiError {
        let message = server_message(body);
        let text = || message.clone().unwrap_or_else(|| format!("HTTP {status}"));
        match status {
            400 => ApiError::BadRequest(text()),
            401 => ApiError::Unauthorized(text()),
            403 => ApiError::Forbidden(text()),
            404 => ApiError::NotFound(text()),
            422 => ApiError::Invalid(text()),
            429 => ApiError::RateLimited { retry_after: retry_after.and_then(|v| v.trim().parse().ok()) },
            500..=599 => ApiError::Server { status, message },
            _ => ApiError::Unexpected { status, message },
        }
    }

    /// A 405: the server refused the method and did nothing.
    pub fn is_method_not_allowed(&self) -> bool {
        matches!(self, ApiError::Unexpected { status: 405, .. })
    }

    /// Whether the session's credentials are no longer good (sign-in again).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized(_))
    }

    /// Whether a write may have happened although the console saw no success:
    /// the answer was lost, unreadable or a server failure. Refusals (4xx)
    /// mean nothing changed.
    pub fn outcome_unknown(&self) -> bool {
        !self.is_method_not_allowed()
            && matches!(
                self,
                ApiError::Network(_)
                    | ApiError::Timeout { .. }
                    | ApiError::Server { .. }
                    | ApiError::Decode(_)
                    | ApiError::Unexpected { .. }
                    | ApiError::SignedOut
                    | ApiError::Cancelled
            )
    }

    /// The server's own text for a refusal (400 or 403), to show next to the
    /// field it concerns.
    pub fn refusal_text(&self) -> Option<&str> {
        match self {
            ApiError::BadRequest(text) | ApiError::Forbidden(text) | ApiError::Invalid(text) => Some(text),
            _ => None,
        }
    }
}

/// The `error` text of Mixpanel's envelope, if the body is one, followed by
/// its `details` when they are readable (text, or an object of texts).
fn server_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let text = value.get("error")?.as_str()?.trim();
    if text.is_empty() {
        return None;
    }
    let details = match value.get("details") {
        Some(serde_json::Value::String(d)) => Some(d.trim().to_string()),
        Some(serde_json::Value::Object(map)) => {
            let parts: Vec<String> = map
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}: {v}")))
                .filter(|p| !p.contains(text))
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    }
    .filter(|d| !d.is_empty() && d != text);
    Some(match details {
        Some(d) => format!("{text} ({d})"),
        None => text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENVELOPE: &str = r#"{"status": "error", "error": "username is required"}"#;

    #[test]
    fn statuses_map_to_kinds_with_the_server_text() {
        assert_eq!(ApiError::from_status(400, ENVELOPE, None), ApiError::BadRequest("username is required".into()));
        assert_eq!(ApiError::from_status(403, ENVELOPE, None), ApiError::Forbidden("username is required".into()));
        assert_eq!(ApiError::from_status(404, "", None), ApiError::NotFound("HTTP 404".into()));
        assert_eq!(ApiError::from_status(429, "", Some(" 7 ")), ApiError::RateLimited { retry_after: Some(7) });
        assert_eq!(
            ApiError::from_status(429, "", Some("Wed, 21 Oct 2015")),
            ApiError::RateLimited { retry_after: None }
        );
        assert_eq!(ApiError::from_status(502, "<html>", None), ApiError::Server { status: 502, message: None });
        assert_eq!(
            ApiError::from_status(418, ENVELOPE, None),
            ApiError::Unexpected { status: 418, message: Some("username is required".into()) }
        );
        assert!(ApiError::from_status(401, ENVELOPE, None).is_unauthorized());
    }

    #[test]
    fn the_generated_specs_422_and_details_are_read() {
        let body = r#"{"status": "error", "error": "username must be a string", "type": "validation_error",
            "details": {"field": "username", "problem": "username must be a string"}}"#;
        let e = ApiError::from_status(422, body, None);
        assert_eq!(e, ApiError::Invalid("username must be a string (field: username)".into()));
        assert_eq!(e.refusal_text(), Some("username must be a string (field: username)"));
        assert!(!e.outcome_unknown(), "a 422 did nothing");
        let e = ApiError::from_status(500, r#"{"status":"error","error":"boom","details":"db down"}"#, None);
        assert_eq!(e, ApiError::Server { status: 500, message: Some("boom (db down)".into()) });
    }

    #[test]
    fn messages_say_what_happened_and_what_next() {
        assert_eq!(
            ApiError::RateLimited { retry_after: Some(1) }.to_string(),
            "Mixpanel is limiting the request rate. Try again in 1 second."
        );
        assert_eq!(
            ApiError::Server { status: 500, message: Some("Internal server error".into()) }.to_string(),
            "The server failed (HTTP 500): Internal server error. Try again in a moment."
        );
        assert!(ApiError::Unauthorized("Invalid service account credentials".into())
            .to_string()
            .contains("Check the username and secret"));
        assert!(ApiError::Network("https://x".into()).to_string().contains("Could not reach the API at https://x"));
        assert!(ApiError::Server { status: 502, message: None }.outcome_unknown());
        assert!(ApiError::Timeout { base_url: "x".into(), seconds: 30 }.outcome_unknown());
        assert!(!ApiError::BadRequest("x".into()).outcome_unknown());
        assert!(!ApiError::RateLimited { retry_after: None }.outcome_unknown());
        assert_eq!(ApiError::Forbidden("no".into()).refusal_text(), Some("no"));
    }
}
