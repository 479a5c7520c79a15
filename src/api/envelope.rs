//! Unwraps `{"status": "ok", "results": ...}`, and accepts a bare object where
//! Mixpanel has been seen to answer without the envelope: `sa_wire`'s
//! decoder, its errors said as the console's.

use super::error::ApiError;
use sa_wire::envelope::DecodeError;
use serde::de::DeserializeOwned;

/// `{"status": "ok", "results": T}` as `T`; `{"status": "error", ...}` as an
/// error; anything else (a bare object) as `T` itself.
pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    sa_wire::envelope::decode(body).map_err(ApiError::from)
}

impl From<DecodeError> for ApiError {
    fn from(error: DecodeError) -> ApiError {
        match error {
            DecodeError::Malformed(message) => ApiError::Decode(message),
            DecodeError::Refused(message) => ApiError::Unexpected { status: 200, message },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
