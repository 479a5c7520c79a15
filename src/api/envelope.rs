//! Unwraps `{"status": "ok", "results": ...}`, and accepts a bare object where
//! Mixpanel has been seen to answer without the envelope.

use super::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn results(body: &str) -> Result<Value, ApiError> {
    let value: Value = serde_json::from_str(body).map_err(|e| ApiError::Decode(format!("not JSON: {e}")))?;
    match value {
        Value::Object(mut map) => match map.get("status").and_then(Value::as_str) {
            Some("ok") => Ok(map.remove("results").unwrap_or(Value::Null)),
            Some("error") => Err(ApiError::Unexpected {
                status: 200,
                message: map.get("error").and_then(Value::as_str).map(str::to_string),
            }),
            _ => Ok(Value::Object(map)),
        },
        other => Ok(other),
    }
}

/// The usual shape, read straight into `T`: unknown fields are skipped
/// without building a `Value` tree (listings run to megabytes).
#[derive(serde::Deserialize)]
struct Wrapped<T> {
    #[serde(default)]
    status: Option<String>,
    results: T,
}

pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    if let Ok(wrapped) = serde_json::from_str::<Wrapped<T>>(body) {
        if wrapped.status.as_deref() != Some("error") {
            return Ok(wrapped.results);
        }
    }
    serde_json::from_value(results(body)?).map_err(|e| ApiError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unwraps_results_and_accepts_bare_objects() {
        assert_eq!(results(r#"{"status":"ok","results":[1]}"#), Ok(json!([1])));
        assert_eq!(results(r#"{"status":"ok"}"#), Ok(Value::Null));
        assert_eq!(results(r#"{"id": 5}"#), Ok(json!({"id": 5})));
    }

    #[test]
    fn malformed_and_error_bodies_are_errors() {
        assert!(matches!(results(r#"{"status": "ok", "results": [{"id": 1,"#), Err(ApiError::Decode(_))));
        assert_eq!(
            results(r#"{"status":"error","error":"nope"}"#),
            Err(ApiError::Unexpected { status: 200, message: Some("nope".into()) })
        );
    }
}
