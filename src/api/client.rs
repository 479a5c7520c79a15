//! The HTTP client: one base URL and one credential, held in memory only.
//! Sends the standard base64 Basic header and only CORS-simple headers besides
//! (a preflight carrying others was seen to fail against Mixpanel).

use super::envelope::decode;
use super::error::ApiError;
use base64::Engine;
use gloo_net::http::{Request, RequestBuilder, Response};
use gloo_timers::callback::Timeout;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use web_sys::{AbortController, AbortSignal};
use zeroize::Zeroizing;

/// How long a write may take before the console stops waiting and checks
/// what happened instead.
pub const POST_TIMEOUT_SECONDS: u32 = 30;

struct Inner {
    base_url: String,
    username: String,
    /// The Basic header, built once; zeroed when the last clone is dropped.
    authorization: Zeroizing<String>,
}

/// Cheap to clone; every clone shares the one credential.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ApiClient {
    // Never print the credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base_url)
            .field("username", &self.inner.username)
            .finish()
    }
}

impl PartialEq for ApiClient {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

pub fn basic_header(username: &str, secret: &str) -> Zeroizing<String> {
    let pair = Zeroizing::new(format!("{username}:{secret}"));
    Zeroizing::new(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair.as_bytes())))
}

impl ApiClient {
    pub fn new(base_url: &str, username: &str, secret: &str) -> ApiClient {
        ApiClient {
            inner: Arc::new(Inner {
                base_url: base_url.trim_end_matches('/').to_string(),
                username: username.to_string(),
                authorization: basic_header(username, secret),
            }),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn username(&self) -> &str {
        &self.inner.username
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.base_url)
    }

    fn prepare(&self, builder: RequestBuilder, signal: Option<&AbortSignal>) -> RequestBuilder {
        builder
            .header("Authorization", &self.inner.authorization)
            .header("Accept", "application/json")
            .abort_signal(signal)
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str, signal: Option<&AbortSignal>) -> Result<T, ApiError> {
        let request = self.prepare(Request::get(&self.url(path)), signal).build();
        self.run(request).await
    }

    /// POSTs once, giving up after `POST_TIMEOUT_SECONDS`. Never retried here
    /// or anywhere: a repeated create can create a duplicate account.
    pub async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, ApiError> {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let timed_out = timed_out.clone();
            Timeout::new(POST_TIMEOUT_SECONDS * 1000, move || {
                timed_out.set(true);
                if let Some(c) = controller {
                    c.abort();
                }
            })
        };
        let request = self.prepare(Request::post(&self.url(path)), signal.as_ref()).json(body);
        let result = self.run(request).await;
        drop(timer);
        if timed_out.get() {
            return Err(ApiError::Timeout { base_url: self.inner.base_url.clone(), seconds: POST_TIMEOUT_SECONDS });
        }
        result
    }

    pub async fn delete(&self, path: &str) -> Result<serde_json::Value, ApiError> {
        let request = self.prepare(Request::delete(&self.url(path)), None).build();
        self.run(request).await
    }

    async fn run<T: DeserializeOwned>(&self, request: Result<Request, gloo_net::Error>) -> Result<T, ApiError> {
        let request = request.map_err(|e| ApiError::Decode(format!("could not build the request: {e}")))?;
        let response = request.send().await.map_err(|_| ApiError::Network(self.inner.base_url.clone()))?;
        read(response, &self.inner.base_url).await
    }
}

async fn read<T: DeserializeOwned>(response: Response, base_url: &str) -> Result<T, ApiError> {
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    // A body that fails to arrive is a broken connection, not a format problem.
    // Bytes, not text: no UTF-16 round trip for listings of megabytes.
    // Zeroed after decoding: a create's answer carries the new secret.
    let bytes = Zeroizing::new(response.binary().await.map_err(|_| ApiError::Network(base_url.to_string()))?);
    let body = std::str::from_utf8(&bytes).map_err(|_| ApiError::Decode("the answer is not UTF-8 text".into()))?;
    if (200..300).contains(&status) {
        decode(body)
    } else {
        Err(ApiError::from_status(status, body, retry_after.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_standard_base64() {
        assert_eq!(basic_header("user", "pa:ss").as_str(), "Basic dXNlcjpwYTpzcw==");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let client = ApiClient::new("https://x/api/app/", "bot", "hunter2");
        let shown = format!("{client:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("Basic"), "{shown}");
        assert_eq!(client.base_url(), "https://x/api/app");
    }
}
