//! The HTTP client: one base URL and one credential, held in memory only.
//! Sends the standard base64 Basic header and only CORS-simple headers besides
//! (a preflight carrying others was seen to fail against Mixpanel).
//!
//! Every request is timed out, and every request can be cancelled three ways
//! at once: by its caller's signal (the page that started it went away), by
//! its timeout, and by [`ApiClient::revoke`] (sign-out, idle lock, a 401).
//! Revoking zeroes the credential in every clone and aborts what is in
//! flight, so a task holding a clone can never send it again.

use super::envelope::decode;
use super::error::ApiError;
use super::fetch::{fetch, Answer, Outgoing};
use super::retry::{retry_after_network_error, retry_delay};
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use web_sys::AbortSignal;
use zeroize::{Zeroize, Zeroizing};

/// How long a write may take before the console stops waiting and checks
/// what happened instead.
pub const POST_TIMEOUT_SECONDS: u32 = 30;
/// A read or a delete; a hung one must never trap the admin.
pub const READ_TIMEOUT_SECONDS: u32 = 60;
/// `/me` can take minutes for a large organisation; sign-in shows the wait
/// and offers Cancel, and nothing else times out before it.
pub const ME_TIMEOUT_SECONDS: u32 = 600;

struct Inner {
    base_url: String,
    username: String,
    /// The Basic header, built once; zeroed on revoke or when the last clone
    /// is dropped.
    authorization: Mutex<Option<Zeroizing<String>>>,
    /// The method `remove-from-project` answered to, once one has.
    remove_method: Mutex<Option<Method>>,
    /// config.json's `max_parallel_requests`: the most requests a fan-out
    /// keeps in flight over a multiplexed connection.
    max_parallel: AtomicUsize,
    /// Whether the server caps each HTTP/2 connection to this API at
    /// `max_parallel` streams (see `domain::parallel::server_caps_streams`).
    streams_capped: AtomicBool,
    /// The protocol the API's answers last came over (`h2`, `http/1.1`),
    /// as Resource Timing reported it.
    protocol: Mutex<String>,
    /// Aborted on revoke: every request in flight listens to it.
    #[cfg(target_arch = "wasm32")]
    session: send_wrapper::SendWrapper<web_sys::AbortController>,
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
            .field("revoked", &self.is_revoked())
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

/// The `nextHopProtocol` of the newest finished request to `base_url` in the
/// page's Resource Timing buffer (which the console never clears); `None`
/// when there is none or the browser hides it (a cross-origin API without
/// `Timing-Allow-Origin` may).
#[cfg(target_arch = "wasm32")]
fn observed_protocol(base_url: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let entries = web_sys::window()?.performance()?.get_entries_by_type("resource");
    (0..entries.length()).rev().find_map(|i| {
        let entry = entries.get(i).dyn_into::<web_sys::PerformanceResourceTiming>().ok()?;
        let protocol = entry.next_hop_protocol();
        (entry.name().starts_with(base_url) && !protocol.is_empty()).then_some(protocol)
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn observed_protocol(_base_url: &str) -> Option<String> {
    None
}

/// The HTTP methods the console uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    /// As the request line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl ApiClient {
    pub fn new(base_url: &str, username: &str, secret: &str) -> ApiClient {
        ApiClient {
            inner: Arc::new(Inner {
                base_url: base_url.trim_end_matches('/').to_string(),
                username: username.to_string(),
                authorization: Mutex::new(Some(basic_header(username, secret))),
                remove_method: Mutex::new(None),
                max_parallel: AtomicUsize::new(crate::domain::parallel::DEFAULT_MAX_PARALLEL),
                streams_capped: AtomicBool::new(false),
                protocol: Mutex::new(String::new()),
                #[cfg(target_arch = "wasm32")]
                session: send_wrapper::SendWrapper::new(
                    web_sys::AbortController::new().expect("AbortController exists in every supported browser"),
                ),
            }),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn username(&self) -> &str {
        &self.inner.username
    }

    /// Forgets the credential in every clone and aborts every request in
    /// flight. Idempotent.
    pub fn revoke(&self) {
        if let Ok(mut header) = self.inner.authorization.lock() {
            *header = None;
        }
        #[cfg(target_arch = "wasm32")]
        self.inner.session.abort();
    }

    /// The method that worked for a revoke earlier in this session.
    pub fn remove_method(&self) -> Option<Method> {
        self.inner.remove_method.lock().ok().and_then(|m| *m)
    }

    pub fn remember_remove_method(&self, method: Method) {
        if let Ok(mut m) = self.inner.remove_method.lock() {
            *m = Some(method);
        }
    }

    /// Sets config.json's `max_parallel_requests` for this session.
    pub fn set_max_parallel(&self, limit: usize) {
        self.inner.max_parallel.store(limit, Ordering::Relaxed);
    }

    /// Says whether the server caps each HTTP/2 connection to this API at
    /// `max_parallel_requests` streams, for this session.
    pub fn set_streams_capped(&self, capped: bool) {
        self.inner.streams_capped.store(capped, Ordering::Relaxed);
    }

    /// How many requests a fan-out may keep in flight now: the configured
    /// limit over HTTP/2 or HTTP/3, the browser's six over HTTP/1.1 or when
    /// the protocol cannot be seen (see `domain::parallel`).
    pub fn lanes(&self) -> usize {
        self.remember_protocol();
        let protocol = self.inner.protocol.lock().map(|p| p.clone()).unwrap_or_default();
        crate::domain::parallel::lanes(&protocol, self.inner.max_parallel.load(Ordering::Relaxed))
    }

    /// How many requests a fan-out running `lanes` at once hands the browser
    /// (see `domain::parallel::handed`).
    pub fn handed(&self, lanes: usize) -> usize {
        let protocol = self.inner.protocol.lock().map(|p| p.clone()).unwrap_or_default();
        let cap =
            self.inner.streams_capped.load(Ordering::Relaxed).then(|| self.inner.max_parallel.load(Ordering::Relaxed));
        crate::domain::parallel::handed(&protocol, lanes, cap)
    }

    /// Notes the protocol of the newest answer from the API, if the page can
    /// see one. Sign-in calls it after `/me`, so a fan-out that starts while
    /// no other answer has finished (the matrix loads its accounts at the
    /// same time) still knows the connection.
    pub fn remember_protocol(&self) {
        if let Some(seen) = observed_protocol(&self.inner.base_url) {
            if let Ok(mut remembered) = self.inner.protocol.lock() {
                *remembered = seen;
            }
        }
    }

    pub fn is_revoked(&self) -> bool {
        self.inner.authorization.lock().map(|h| h.is_none()).unwrap_or(true)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.base_url)
    }

    /// A read, asking again after a 429 (Retry-After when readable, else
    /// 1/2/4 s; see `retry`), and once after a broken connection. `on_wait`
    /// hears each 429 wait in seconds, so the page can say it is waiting.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
        on_wait: &dyn Fn(u32),
    ) -> Result<T, ApiError> {
        self.get_with(path, signal, on_wait, decode).await
    }

    /// `get` with the answer's text read by `decode` (`get` passes the
    /// envelope decoder; a listing passes `sa_wire`'s, compiled for speed).
    pub async fn get_with<T>(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
        on_wait: &dyn Fn(u32),
        decode: impl FnOnce(&str) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        decode(as_text(&self.get_bytes(path, signal, on_wait).await?)?)
    }

    /// `get`'s exchanges and retries, compiled once for every answer type
    /// (only the decoding differs; a read's body is never a secret).
    async fn get_bytes(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
        on_wait: &dyn Fn(u32),
    ) -> Result<Vec<u8>, ApiError> {
        let mut retry = 0;
        let mut network_retries = 0;
        loop {
            match self.exchange(Method::Get, path, None, signal, READ_TIMEOUT_SECONDS).await {
                Err(ApiError::Network(base_url)) => {
                    let Some(pause) = retry_after_network_error(network_retries) else {
                        return Err(ApiError::Network(base_url));
                    };
                    network_retries += 1;
                    gloo_timers::future::sleep(pause).await;
                }
                Err(ApiError::RateLimited { retry_after }) => {
                    retry += 1;
                    let Some(wait) = retry_delay(retry, retry_after) else {
                        return Err(ApiError::RateLimited { retry_after });
                    };
                    on_wait(wait.as_secs() as u32);
                    gloo_timers::future::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    /// `/me`: one try, with its own long timeout (cancel through `signal`).
    pub async fn get_me<T: DeserializeOwned>(&self, path: &str, signal: Option<&AbortSignal>) -> Result<T, ApiError> {
        decode_bytes(&self.exchange(Method::Get, path, None, signal, ME_TIMEOUT_SECONDS).await?)
    }

    /// POSTs once, giving up after `POST_TIMEOUT_SECONDS`. Never retried here
    /// or anywhere: a repeated create can create a duplicate account.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        signal: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        self.send(Method::Post, path, Some(body), signal, POST_TIMEOUT_SECONDS).await
    }

    /// Sends once with any method; never retried. A write's answer can carry
    /// a secret (a create's does): its bytes are zeroed once decoded.
    pub async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        signal: Option<&AbortSignal>,
        timeout_seconds: u32,
    ) -> Result<T, ApiError> {
        let json = body
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ApiError::Decode(format!("could not build the request: {e}")))?;
        let mut bytes = self.exchange(method, path, json, signal, timeout_seconds).await?;
        let result = decode_bytes(&bytes);
        if method != Method::Get {
            bytes.zeroize();
        }
        result
    }

    /// One request and its answer's body: a 2xx's bytes, or the error the
    /// status (or the cancellation) means. Not generic, so the request
    /// machinery is compiled once, not once per body and answer type.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        json: Option<String>,
        signal: Option<&AbortSignal>,
        timeout_seconds: u32,
    ) -> Result<Vec<u8>, ApiError> {
        let Some(authorization) = self.authorization() else { return Err(ApiError::SignedOut) };
        let guard = Guard::new(self, signal, timeout_seconds);
        // Nothing of the API goes into or comes out of the browser's HTTP
        // cache (its answers hold account data; the kit's proxy says
        // no-store too), and no cookie or remembered HTTP login rides along:
        // the one credential is the Authorization header. Skipping the cache
        // and cookie lookups also gets a fan-out's first round onto the wire
        // sooner: the matrix's twelfth listing left at 5–18 ms after the
        // first instead of 11–40 ms.
        let mut headers = vec![("Authorization", authorization.as_str()), ("Accept", "application/json")];
        if json.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let outgoing = Outgoing {
            method: method.name(),
            headers: &headers,
            body: json.as_deref(),
            private: true,
            signal: guard.signal(),
        };
        let result = match fetch(&self.url(path), outgoing).await {
            Ok(answer) => read(answer, &self.inner.base_url, method != Method::Get).await,
            Err(_) => Err(ApiError::Network(self.inner.base_url.clone())),
        };
        result.map_err(|e| guard.explain(e, &self.inner.base_url))
    }

    /// The Basic header while the session holds its credential (a copy,
    /// zeroed when dropped).
    fn authorization(&self) -> Option<Zeroizing<String>> {
        let header = self.inner.authorization.lock().ok()?;
        header.as_ref().map(|h| Zeroizing::new(h.as_str().to_string()))
    }
}

/// The combined cancellation of one request: caller, timeout, revocation.
struct Guard {
    #[cfg(target_arch = "wasm32")]
    timeout: AbortSignal,
    #[cfg(target_arch = "wasm32")]
    caller: Option<AbortSignal>,
    #[cfg(target_arch = "wasm32")]
    session: AbortSignal,
    #[cfg(target_arch = "wasm32")]
    combined: AbortSignal,
    seconds: u32,
}

impl Guard {
    #[cfg(target_arch = "wasm32")]
    fn new(client: &ApiClient, caller: Option<&AbortSignal>, seconds: u32) -> Guard {
        let timeout = AbortSignal::timeout_with_u32(seconds.saturating_mul(1000));
        let session = client.inner.session.signal();
        let all = js_sys::Array::of2(&timeout, &session);
        if let Some(c) = caller {
            all.push(c);
        }
        let combined = AbortSignal::any(&all);
        Guard { timeout, caller: caller.cloned(), session, combined, seconds }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn new(_: &ApiClient, _: Option<&AbortSignal>, seconds: u32) -> Guard {
        Guard { seconds }
    }

    #[cfg(target_arch = "wasm32")]
    fn signal(&self) -> Option<&AbortSignal> {
        Some(&self.combined)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn signal(&self) -> Option<&AbortSignal> {
        None
    }

    /// Says why a request failed when it was one of ours that cut it.
    #[cfg(target_arch = "wasm32")]
    fn explain(&self, error: ApiError, base_url: &str) -> ApiError {
        if self.session.aborted() {
            ApiError::SignedOut
        } else if self.caller.as_ref().is_some_and(AbortSignal::aborted) {
            ApiError::Cancelled
        } else if self.timeout.aborted() {
            ApiError::Timeout { base_url: base_url.to_string(), seconds: self.seconds }
        } else {
            error
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn explain(&self, error: ApiError, base_url: &str) -> ApiError {
        let _ = (base_url, self.seconds);
        error
    }
}

/// Reads the answer: a 2xx's body, or the error its status and text say.
/// `secret_bearing` (every write) zeroes an error answer's bytes here; a
/// 2xx's are the caller's to zero once decoded. A read's body (a listing, up
/// to megabytes, never a secret) is freed without the extra pass.
async fn read(answer: Answer, base_url: &str, secret_bearing: bool) -> Result<Vec<u8>, ApiError> {
    // A body that fails to arrive is a broken connection, not a format problem.
    // Bytes, not text: no UTF-16 round trip for listings of megabytes.
    let mut bytes = answer.bytes().await.map_err(|_| ApiError::Network(base_url.to_string()))?;
    if answer.ok {
        return Ok(bytes);
    }
    let error = match std::str::from_utf8(&bytes) {
        Ok(text) => ApiError::from_status(answer.status, text, answer.retry_after.as_deref()),
        Err(_) => not_text(),
    };
    if secret_bearing {
        bytes.zeroize();
    }
    Err(error)
}

fn decode_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    decode(as_text(bytes)?)
}

/// An answer's bytes as the text every decoder reads.
fn as_text(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|_| not_text())
}

fn not_text() -> ApiError {
    ApiError::Decode("the answer is not UTF-8 text".into())
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

    #[test]
    fn revoking_forgets_the_credential_in_every_clone() {
        let client = ApiClient::new("https://x/api/app", "bot", "hunter2");
        let held_by_a_task = client.clone();
        assert!(!held_by_a_task.is_revoked());
        client.revoke();
        assert!(held_by_a_task.is_revoked());
    }
}
