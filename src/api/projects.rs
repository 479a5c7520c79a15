//! Project membership listings, fetched per project with bounded concurrency.

use super::client::{ApiClient, RawAnswer};
use super::error::ApiError;
use super::retry::retry_delay;
use crate::domain::membership::{AddBody, RemoveBody};
use crate::domain::role::Role;
use futures::stream::{self, StreamExt};
use futures::FutureExt;
use serde::Deserialize;
use std::collections::VecDeque;
use web_sys::AbortSignal;

/// Requests in flight at once when fanning out over projects.
pub const FAN_OUT_LIMIT: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Member {
    pub id: u64,
    pub role: String,
    /// `individual`, `team` or `organization` (access through the org role).
    #[serde(default)]
    pub target_type: Option<String>,
}

impl Member {
    /// Direct memberships can be changed per project; inherited ones cannot.
    pub fn is_direct(&self) -> bool {
        self.target_type.as_deref().is_none_or(|t| t == "individual")
    }
}

impl Member {
    /// The role as the console's type; `None` for a role it does not know.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

/// One project's members, asking again after a 429 (it is a read).
/// `on_wait` hears how many seconds it waits before each retry.
pub async fn members(
    client: &ApiClient,
    project: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Vec<Member>, ApiError> {
    members_raw(client, project, signal, on_wait).await?.decode()
}

async fn members_raw(
    client: &ApiClient,
    project: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<RawAnswer, ApiError> {
    let mut retry = 0;
    loop {
        let answer = client.get_raw(&format!("/projects/{project}/service-accounts"), signal).await?;
        let Some(ApiError::RateLimited { retry_after }) = answer.rate_limited() else { return Ok(answer) };
        retry += 1;
        let Some(wait) = retry_delay(retry, retry_after) else {
            return Err(ApiError::RateLimited { retry_after });
        };
        on_wait(wait.as_secs() as u32);
        gloo_timers::future::sleep(wait).await;
    }
}

/// What `members_of_all` reports as it goes.
pub enum Progress {
    Waiting { project: u64, seconds: u32 },
    Done { project: u64, result: Result<Vec<Member>, ApiError> },
}

/// Lists every project's members, at most `FAN_OUT_LIMIT` at once, calling
/// `on_each` as each answer arrives (for progress); a failing project does not
/// stop the others. Answers are decoded after their slot is freed, so the
/// next request is already under way meanwhile.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<AbortSignal>,
    on_each: impl Fn(Progress),
) {
    let on_each = &on_each;
    let mut answers = stream::iter(projects)
        .map(|project| {
            let client = client.clone();
            let signal = signal.clone();
            async move {
                let on_wait = |seconds| on_each(Progress::Waiting { project, seconds });
                (project, members_raw(&client, project, signal.as_ref(), &on_wait).await)
            }
        })
        .buffer_unordered(FAN_OUT_LIMIT);
    let mut ready = VecDeque::new();
    let mut finished = false;
    loop {
        // Poll without waiting first: a freed slot gets its next request
        // under way before this thread is busy decoding.
        while !finished {
            match answers.next().now_or_never() {
                Some(Some(answer)) => ready.push_back(answer),
                Some(None) => finished = true,
                None => break,
            }
        }
        if let Some((project, raw)) = ready.pop_front() {
            on_each(Progress::Done { project, result: raw.and_then(|r| r.decode()) });
            // Let answers that arrived meanwhile be read (and their slots
            // refilled) before the next decode keeps this thread busy.
            yield_to_browser().await;
            continue;
        }
        if finished {
            break;
        }
        match answers.next().await {
            Some(answer) => ready.push_back(answer),
            None => finished = true,
        }
    }
}

fn org_base(org: u64) -> String {
    format!("/organizations/{org}/service-accounts")
}

/// One add request; never retried (see `ApiClient::post`).
pub async fn add(client: &ApiClient, org: u64, body: &AddBody) -> Result<(), ApiError> {
    client.post::<_, serde_json::Value>(&format!("{}/add-to-project", org_base(org)), body).await.map(|_| ())
}

/// One remove request; never retried.
pub async fn remove(client: &ApiClient, org: u64, body: &RemoveBody) -> Result<(), ApiError> {
    client.post::<_, serde_json::Value>(&format!("{}/remove-from-project", org_base(org)), body).await.map(|_| ())
}

/// Resolves after the browser has run the tasks already queued (network
/// answers among them); a message port, unlike a timer, is never clamped.
async fn yield_to_browser() {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
            let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
