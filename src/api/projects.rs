//! Project membership listings, fetched per project with bounded concurrency.

use super::client::ApiClient;
use super::error::ApiError;
use futures::stream::{self, StreamExt};
use serde::Deserialize;
use web_sys::AbortSignal;

/// Requests in flight at once when fanning out over projects.
pub const FAN_OUT_LIMIT: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Member {
    pub id: u64,
    pub username: String,
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

pub async fn members(client: &ApiClient, project: u64, signal: Option<&AbortSignal>) -> Result<Vec<Member>, ApiError> {
    client.get(&format!("/projects/{project}/service-accounts"), signal).await
}

/// Lists every project's members, at most `FAN_OUT_LIMIT` at once, calling
/// `on_each` as each answer arrives (for progress); a failing project does not
/// stop the others.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<AbortSignal>,
    mut on_each: impl FnMut(u64, Result<Vec<Member>, ApiError>),
) {
    let mut answers = stream::iter(projects)
        .map(|project| {
            let client = client.clone();
            let signal = signal.clone();
            async move { (project, members(&client, project, signal.as_ref()).await) }
        })
        .buffer_unordered(FAN_OUT_LIMIT);
    while let Some((project, result)) = answers.next().await {
        on_each(project, result);
    }
}
