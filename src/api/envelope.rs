//! Unwraps `{"status": "ok", "results": ...}`, and accepts a bare object where
//! Mixpanel has been seen to answer without the envelope.

use super::error::ApiError;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

/// The usual shape, read straight into `T`: unknown fields are skipped
/// without building a `Value` tree (listings run to megabytes).
#[derive(serde::Deserialize)]
struct Wrapped<T> {
    #[serde(default)]
    status: Option<String>,
    results: T,
}

/// The envelope's own fields, read only when `Wrapped<T>` did not fit. A bare
/// object may have a `status` or `error` of any type: only text counts.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    results: Option<IgnoredAny>,
}

/// `{"status": "ok", "results": T}` as `T`; `{"status": "error", ...}` as an
/// error; anything else (a bare object, as Mixpanel has been seen to answer)
/// as `T` itself. Every path reads the text with the same deserializer, so
/// each API type's decoding is compiled once (a detour through `Value`
/// compiled every type a second time).
pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let wrapped = match serde_json::from_str::<Wrapped<T>>(body) {
        Ok(w) if w.status.as_deref() != Some("error") => return Ok(w.results),
        other => other,
    };
    let Ok(envelope) = serde_json::from_str::<Envelope>(body) else {
        return serde_json::from_str(body).map_err(decode_error);
    };
    match envelope.status.as_ref().and_then(Value::as_str) {
        Some("error") => Err(ApiError::Unexpected {
            status: 200,
            message: envelope.error.as_ref().and_then(Value::as_str).map(str::to_string),
        }),
        // `results` missing or null: read as JSON null (an `Option` is `None`).
        Some("ok") if envelope.results.is_none() => serde_json::from_str("null").map_err(decode_error),
        Some("ok") => wrapped.map(|w| w.results).map_err(decode_error),
        _ => serde_json::from_str(body).map_err(decode_error),
    }
}

fn decode_error(e: serde_json::Error) -> ApiError {
    if e.is_syntax() || e.is_eof() {
        ApiError::Decode(format!("not JSON: {e}"))
    } else {
        ApiError::Decode(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        id: u64,
    }

    #[test]
    fn unwraps_results_and_accepts_bare_objects() {
        assert_eq!(decode::<Value>(r#"{"status":"ok","results":[1]}"#), Ok(json!([1])));
        assert_eq!(decode::<Vec<u64>>(r#"{"status":"ok","results":[1]}"#), Ok(vec![1]));
        assert_eq!(decode::<Value>(r#"{"status":"ok"}"#), Ok(Value::Null));
        assert_eq!(decode::<Option<Item>>(r#"{"status":"ok","results":null}"#), Ok(None));
        assert_eq!(decode::<Value>(r#"{"id": 5}"#), Ok(json!({"id": 5})));
        assert_eq!(decode::<Item>(r#"{"id": 5, "extra": [1]}"#), Ok(Item { id: 5 }));
        assert_eq!(decode::<Vec<Item>>(r#"[{"id": 5}]"#), Ok(vec![Item { id: 5 }]));
        // A bare object whose `status` is its own field, not the envelope's.
        assert_eq!(decode::<Value>(r#"{"id": 5, "status": 3}"#), Ok(json!({"id": 5, "status": 3})));
    }

    #[test]
    fn malformed_and_error_bodies_are_errors() {
        assert!(matches!(decode::<Value>(r#"{"status": "ok", "results": [{"id": 1,"#), Err(ApiError::Decode(_))));
        assert!(matches!(decode::<Vec<Item>>("not json"), Err(ApiError::Decode(m)) if m.starts_with("not JSON")));
        assert_eq!(
            decode::<Value>(r#"{"status":"error","error":"nope"}"#),
            Err(ApiError::Unexpected { status: 200, message: Some("nope".into()) })
        );
        assert_eq!(
            decode::<Vec<Item>>(r#"{"status":"error","error":"nope","results":[]}"#),
            Err(ApiError::Unexpected { status: 200, message: Some("nope".into()) })
        );
        // The envelope said ok, but its results are not what was asked for.
        assert!(
            matches!(decode::<Vec<Item>>(r#"{"status":"ok","results":[{"name":"x"}]}"#), Err(ApiError::Decode(m)) if m.contains("id"))
        );
        assert!(matches!(decode::<Item>(r#"{"name": "x"}"#), Err(ApiError::Decode(_))));
    }
}
