//! HTTP Basic authentication, in both forms Mixpanel accepts.

use crate::error::ApiError;
use crate::model::{Account, Store};
use axum::http::HeaderMap;
use base64::Engine;
use chrono::{DateTime, Utc};

/// Splits an `Authorization` header into username and secret. Accepts the
/// standard `Basic base64(user:secret)` and the plain-text `Basic user:secret`.
pub fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, value) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let value = value.trim();
    // ':' is not in the base64 alphabet, so its presence means the plain form.
    let decoded = if value.contains(':') {
        value.to_string()
    } else {
        let bytes = base64::engine::general_purpose::STANDARD.decode(value).ok()?;
        String::from_utf8(bytes).ok()?
    };
    let (user, secret) = decoded.split_once(':')?;
    Some((user.to_string(), secret.to_string()))
}

/// Finds the calling account and marks it used; one message for every
/// failure so the answer does not reveal which usernames exist.
pub fn authenticate(store: &mut Store, headers: &HeaderMap, now: DateTime<Utc>) -> Result<Account, ApiError> {
    let id = caller(store, headers, now)?.id;
    store.note_username(id);
    let account = store.accounts.get_mut(&id).expect("the caller was just found");
    account.last_used = Some(now);
    Ok(account.clone())
}

/// The calling account, checked but not marked used.
pub fn caller<'a>(store: &'a Store, headers: &HeaderMap, now: DateTime<Utc>) -> Result<&'a Account, ApiError> {
    const REFUSED: &str = "Invalid service account credentials";
    let header = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::unauthorized("Authentication required: send HTTP Basic credentials"))?;
    let (user, secret) = parse_basic(header).ok_or_else(|| ApiError::unauthorized(REFUSED))?;
    let account = store
        .account_by_username(&user)
        .filter(|a| a.secret == secret)
        .ok_or_else(|| ApiError::unauthorized(REFUSED))?;
    if account.expires.is_some_and(|e| e <= now) {
        return Err(ApiError::unauthorized("Service account credentials have expired"));
    }
    Ok(account)
}

/// Whether marking the account used at `now` would change what the API
/// shows: `last_used` is written in whole seconds.
pub fn marked_used_at(account: &Account, now: DateTime<Utc>) -> bool {
    account.last_used.is_some_and(|t| t.timestamp() == now.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_base64_form() {
        let header = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("a.b:s3:cret"));
        assert_eq!(parse_basic(&header), Some(("a.b".into(), "s3:cret".into())));
    }

    #[test]
    fn parses_plain_form() {
        assert_eq!(parse_basic("Basic user:secret"), Some(("user".into(), "secret".into())));
    }

    #[test]
    fn rejects_other_schemes_and_garbage() {
        assert_eq!(parse_basic("Bearer abc"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
        assert_eq!(parse_basic("Basic"), None);
    }
}
