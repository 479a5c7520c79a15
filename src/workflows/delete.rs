//! Deletes accounts a few at a time and reports each outcome; the signed-in
//! account, when among them, goes last (deleting it first turns every other
//! delete into a 401).

use crate::api::{accounts, ApiClient, ApiError};
use crate::domain::delete::{delete_order, DeleteReport};
use futures::stream::{self, StreamExt};
use web_sys::AbortSignal;

const AT_ONCE: usize = 4;

/// One account's delete as it finishes.
pub struct Deleted<'a> {
    pub done: usize,
    pub total: usize,
    pub result: &'a Result<(), ApiError>,
}

pub async fn delete_accounts(
    client: &ApiClient,
    org: u64,
    targets: Vec<(u64, String)>,
    signal: Option<&AbortSignal>,
    on_each: &dyn Fn(Deleted),
) -> DeleteReport {
    let total = targets.len();
    let (others, own) = delete_order(targets, client.username());
    let mut report = DeleteReport::default();
    let record = |id: u64, username: String, result: Result<(), ApiError>, report: &mut DeleteReport| {
        match &result {
            Ok(()) => report.deleted.push(id),
            Err(e) => report.failed.push((id, username, e.to_string())),
        }
        on_each(Deleted { done: report.deleted.len() + report.failed.len(), total, result: &result });
    };
    let mut results = stream::iter(others)
        .map(|(id, username)| {
            let client = client.clone();
            async move { (id, username, accounts::delete(&client, org, id, signal).await) }
        })
        .buffer_unordered(AT_ONCE);
    while let Some((id, username, result)) = results.next().await {
        record(id, username, result, &mut report);
    }
    if let Some((id, username)) = own {
        let result = accounts::delete(client, org, id, signal).await;
        record(id, username, result, &mut report);
    }
    report
}
