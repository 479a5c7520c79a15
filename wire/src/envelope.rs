//! Unwraps `{"status": "ok", "results": ...}`, and accepts a bare object where
//! Mixpanel has been seen to answer without the envelope.

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
pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, DecodeError> {
    let wrapped = match serde_json::from_str::<Wrapped<T>>(body) {
        Ok(w) if w.status.as_deref() != Some("error") => return Ok(w.results),
        other => other,
    };
    let Ok(envelope) = serde_json::from_str::<Envelope>(body) else {
        return serde_json::from_str(body).map_err(decode_error);
    };
    match envelope.status.as_ref().and_then(Value::as_str) {
        Some("error") => Err(DecodeError::Refused(envelope.error.as_ref().and_then(Value::as_str).map(str::to_string))),
        // `results` missing or null: read as JSON null (an `Option` is `None`).
        Some("ok") if envelope.results.is_none() => serde_json::from_str("null").map_err(decode_error),
        Some("ok") => wrapped.map(|w| w.results).map_err(decode_error),
        _ => serde_json::from_str(body).map_err(decode_error),
    }
}

fn decode_error(e: serde_json::Error) -> DecodeError {
    if e.is_syntax() || e.is_eof() {
        DecodeError::Malformed(format!("not JSON: {e}"))
    } else {
        DecodeError::Malformed(e.to_string())
    }
}

/// Why an answer could not be read as what was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON, or not of the expected shape: what serde_json said.
    Malformed(String),
    /// A 2xx whose envelope says `"status": "error"`, with its `error` text.
    Refused(Option<String>),
}
