//! Service accounts of an organisation.

use super::client::ApiClient;
use super::error::ApiError;
use crate::domain::account::Account;
use web_sys::AbortSignal;

fn base(org: u64) -> String {
    format!("/organizations/{org}/service-accounts")
}

pub async fn list(client: &ApiClient, org: u64, signal: Option<&AbortSignal>) -> Result<Vec<Account>, ApiError> {
    client.get(&base(org), signal).await
}

/// One account; Mixpanel answers wrapped or bare, and the client accepts both.
pub async fn get(client: &ApiClient, org: u64, id: u64, signal: Option<&AbortSignal>) -> Result<Account, ApiError> {
    client.get(&format!("{}/{id}", base(org)), signal).await
}

pub async fn delete(client: &ApiClient, org: u64, id: u64) -> Result<(), ApiError> {
    client.delete(&format!("{}/{id}", base(org))).await.map(|_| ())
}
