//! Project membership listings and the add/remove requests.

use super::accounts;
use super::client::ApiClient;
use super::error::ApiError;
use crate::domain::membership::{AddBody, RemoveBody};
use crate::domain::role::Role;
use serde::Deserialize;
use web_sys::AbortSignal;

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
    client.get(&format!("/projects/{project}/service-accounts"), signal, on_wait).await
}

/// One add request; never retried (see `ApiClient::post`).
pub async fn add(client: &ApiClient, org: u64, body: &AddBody, signal: Option<&AbortSignal>) -> Result<(), ApiError> {
    client
        .post::<_, serde_json::Value>(&format!("{}/add-to-project", accounts::base(org)), body, signal)
        .await
        .map(|_| ())
}

/// One remove request; never retried.
pub async fn remove(
    client: &ApiClient,
    org: u64,
    body: &RemoveBody,
    signal: Option<&AbortSignal>,
) -> Result<(), ApiError> {
    client
        .post::<_, serde_json::Value>(&format!("{}/remove-from-project", accounts::base(org)), body, signal)
        .await
        .map(|_| ())
}
