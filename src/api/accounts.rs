//! Service accounts of an organisation.

use super::client::{ApiClient, Method, READ_TIMEOUT_SECONDS};
use super::error::ApiError;
use crate::domain::account::Account;
use crate::domain::create_form::CreateBody;
use serde::Deserialize;
use web_sys::AbortSignal;
use zeroize::Zeroizing;

/// The organisation's service-accounts collection; the add and remove
/// endpoints hang below it.
pub(crate) fn base(org: u64) -> String {
    format!("/organizations/{org}/service-accounts")
}

/// The whole list (a read: 429s are waited out, `on_wait` hears each wait).
pub async fn list(
    client: &ApiClient,
    org: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Vec<Account>, ApiError> {
    client.get(&base(org), signal, on_wait).await
}

pub use sa_wire::account_name::AccountName;

/// The list read for names only (ids and usernames: all the access matrix
/// needs of it), decoded by `sa_wire`, compiled for speed.
pub async fn names(
    client: &ApiClient,
    org: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Vec<AccountName>, ApiError> {
    client
        .get_with(&base(org), signal, on_wait, |text| sa_wire::account_name::decode_names(text).map_err(ApiError::from))
        .await
}

/// An account's organisation role, as the list gives it (the single GET does
/// not carry it in the generated spec).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct ListedRole {
    pub id: u64,
    #[serde(default)]
    pub org_role: Option<String>,
}

/// The list read for ids and organisation roles only.
pub async fn org_roles(
    client: &ApiClient,
    org: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Vec<ListedRole>, ApiError> {
    client.get(&base(org), signal, on_wait).await
}

/// One account; Mixpanel answers wrapped or bare, and the client accepts both.
pub async fn get(
    client: &ApiClient,
    org: u64,
    id: u64,
    signal: Option<&AbortSignal>,
    on_wait: &dyn Fn(u32),
) -> Result<Account, ApiError> {
    client.get(&format!("{}/{id}", base(org)), signal, on_wait).await
}

/// One DELETE, timed out like a read (a hung delete must not trap the
/// admin in its dialog); never retried.
pub async fn delete(client: &ApiClient, org: u64, id: u64, signal: Option<&AbortSignal>) -> Result<(), ApiError> {
    client
        .send::<(), serde_json::Value>(
            Method::Delete,
            &format!("{}/{id}", base(org)),
            None,
            signal,
            READ_TIMEOUT_SECONDS,
        )
        .await
        .map(|_| ())
}

/// A secret, returned once by create: never printed, zeroed when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(|s| Secret(Zeroizing::new(s)))
    }
}

/// Create's answer: the account plus `token`, its secret. The account's
/// fields are read leniently (`Account` never fails on a bad field), so a
/// secret that arrived is always shown.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Created {
    #[serde(flatten)]
    pub account: Account,
    pub token: Secret,
}

/// Sends the create once; see `ApiClient::post` for why it is never retried.
pub async fn create(
    client: &ApiClient,
    org: u64,
    body: &CreateBody,
    signal: Option<&AbortSignal>,
) -> Result<Created, ApiError> {
    client.post(&base(org), body, signal).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::envelope::decode;

    #[test]
    fn created_carries_the_secret_but_never_prints_it() {
        let body = r#"{"status": "ok", "results": {"id": 7, "username": "etl.0a1b2c.mp-service-account",
            "created": "2026-11-22T12:00:00Z", "creator": 1, "last_used": null, "expires": null, "user": 9,
            "token": "s3cret"}}"#;
        let created: Created = decode(body).unwrap();
        assert_eq!((created.account.id, created.token.expose()), (7, "s3cret"));
        assert!(!format!("{created:?}").contains("s3cret"));
    }
}
