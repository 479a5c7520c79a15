//! Project membership listings, fetched per project with bounded concurrency.

use super::accounts;
use super::client::ApiClient;
use super::error::ApiError;
use super::retry::retry_delay;
use crate::domain::membership::{AddBody, RemoveBody};
use crate::domain::role::Role;
use futures::stream::{self, StreamExt};
use serde::Deserialize;
use std::time::Duration;
use web_sys::AbortSignal;

/// Requests in flight at once when fanning out over projects.
pub const FAN_OUT_LIMIT: usize = 6;

/// Spacing of the first requests of a long fan-out. Started together, all six
/// answers land together and queue for the one main thread (and the server's
/// cores), and every lane waits for the slowest; spaced out, they stay apart.
/// Measured on the matrix benchmark (200 projects, 50 ms latency): 1,946 ms
/// with 10 ms spacing, 2,026 ms with none.
const STAGGER: Duration = Duration::from_millis(10);

/// When the request for the `index`-th of `total` projects may start. Only a
/// fan-out of more than one round is spaced: there the lanes that start
/// late have a request fewer to make, so spacing costs nothing.
pub fn start_delay(index: usize, total: usize) -> Duration {
    if total > FAN_OUT_LIMIT && index < FAN_OUT_LIMIT {
        STAGGER * index as u32
    } else {
        Duration::ZERO
    }
}

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
    let mut retry = 0;
    loop {
        match client.get(&format!("/projects/{project}/service-accounts"), signal).await {
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

/// What `members_of_all` reports as it goes.
pub enum Progress {
    Waiting { project: u64, seconds: u32 },
    Done { project: u64, result: Result<Vec<Member>, ApiError> },
}

/// Lists every project's members, at most `FAN_OUT_LIMIT` at once, calling
/// `on_each` as each answer arrives (for progress); a failing project does not
/// stop the others.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<AbortSignal>,
    on_each: impl Fn(Progress),
) {
    let on_each = &on_each;
    let total = projects.len();
    let mut answers = stream::iter(projects.into_iter().enumerate())
        .map(|(index, project)| {
            let client = client.clone();
            let signal = signal.clone();
            async move {
                let delay = start_delay(index, total);
                if !delay.is_zero() {
                    gloo_timers::future::sleep(delay).await;
                }
                let on_wait = |seconds| on_each(Progress::Waiting { project, seconds });
                (project, members(&client, project, signal.as_ref(), &on_wait).await)
            }
        })
        .buffer_unordered(FAN_OUT_LIMIT);
    while let Some((project, result)) = answers.next().await {
        on_each(Progress::Done { project, result });
    }
}

/// One add request; never retried (see `ApiClient::post`).
pub async fn add(client: &ApiClient, org: u64, body: &AddBody) -> Result<(), ApiError> {
    client.post::<_, serde_json::Value>(&format!("{}/add-to-project", accounts::base(org)), body).await.map(|_| ())
}

/// One remove request; never retried.
pub async fn remove(client: &ApiClient, org: u64, body: &RemoveBody) -> Result<(), ApiError> {
    client.post::<_, serde_json::Value>(&format!("{}/remove-from-project", accounts::base(org)), body).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fan_out_of_several_rounds_spaces_its_first_requests() {
        assert_eq!(start_delay(0, 200), Duration::ZERO);
        assert_eq!(start_delay(5, 200), STAGGER * 5);
        assert_eq!(start_delay(6, 200), Duration::ZERO, "later requests start as lanes free up");
        assert_eq!(start_delay(5, FAN_OUT_LIMIT), Duration::ZERO, "one round: all at once");
    }
}
