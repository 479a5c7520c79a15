//! Project membership listings and the add/remove requests.

use super::accounts;
use super::client::{ApiClient, Method, POST_TIMEOUT_SECONDS};
use super::error::ApiError;
use crate::domain::membership::{AddBody, RemoveBody};
pub use sa_wire::member::Member;
use web_sys::AbortSignal;

/// One project's members, asking again after a 429 (it is a read).
/// `on_wait` hears how many seconds it waits before each retry.
pub async fn members(
    client: &ApiClient,
    project: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Vec<Member>, ApiError> {
    // Decoded by `sa_wire`, compiled for speed: a matrix load reads 200 of these.
    let path = format!("/projects/{project}/service-accounts");
    client.get_with(&path, signal, on_wait, |text| sa_wire::member::decode_listing(text).map_err(ApiError::from)).await
}

/// One add request; never retried (see `ApiClient::post`).
pub async fn add(client: &ApiClient, org: u64, body: &AddBody, signal: Option<&AbortSignal>) -> Result<(), ApiError> {
    client
        .post::<_, serde_json::Value>(&format!("{}/add-to-project", accounts::base(org)), body, signal)
        .await
        .map(|_| ())
}

/// The method a revoke tries first: the generated spec's DELETE (likelier
/// the server's truth), or the one that worked earlier in this session.
pub fn first_remove_method(remembered: Option<Method>) -> Method {
    remembered.unwrap_or(Method::Delete)
}

/// After an answer to `tried`: the other method, only when the answer was a
/// 405 (a clear "nothing was done"); any other answer is final.
pub fn fallback_method(tried: Method, error: &ApiError) -> Option<Method> {
    if !error.is_method_not_allowed() {
        return None;
    }
    match tried {
        Method::Delete => Some(Method::Post),
        Method::Post => Some(Method::Delete),
        Method::Get => None,
    }
}

/// One revoke: the public page says POST, the generated spec serves DELETE
/// (with the same JSON body). Sent with the first method; on a 405 only, the
/// same body once with the other; the method that worked is remembered for
/// the session. Never repeated after any other answer.
pub async fn remove(
    client: &ApiClient,
    org: u64,
    body: &RemoveBody,
    signal: Option<&AbortSignal>,
) -> Result<(), ApiError> {
    let path = format!("{}/remove-from-project", accounts::base(org));
    let first = first_remove_method(client.remove_method());
    let send = |method| client.send::<_, serde_json::Value>(method, &path, Some(body), signal, POST_TIMEOUT_SECONDS);
    let (method, result) = match send(first).await {
        Err(e) => match fallback_method(first, &e) {
            Some(other) => (other, send(other).await),
            None => (first, Err(e)),
        },
        ok => (first, ok),
    };
    if result.is_ok() {
        client.remember_remove_method(method);
    }
    result.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_405_alone_switches_the_method_once() {
        let not_allowed = ApiError::from_status(405, r#"{"status":"error","error":"Method POST not allowed"}"#, None);
        assert_eq!(first_remove_method(None), Method::Delete);
        assert_eq!(first_remove_method(Some(Method::Post)), Method::Post);
        assert_eq!(fallback_method(Method::Delete, &not_allowed), Some(Method::Post));
        assert_eq!(fallback_method(Method::Post, &not_allowed), Some(Method::Delete));
        for other in [
            ApiError::from_status(500, "", None),
            ApiError::from_status(403, "", None),
            ApiError::Timeout { base_url: "x".into(), seconds: 30 },
            ApiError::Network("x".into()),
        ] {
            assert_eq!(fallback_method(Method::Delete, &other), None, "{other:?} is final");
        }
        assert!(!not_allowed.outcome_unknown(), "a 405 means nothing was done");
    }
}
