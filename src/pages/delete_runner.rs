//! Deletes accounts a few at a time and reports each outcome; shared by the
//! table's bulk delete and the detail page.

use crate::api::{accounts, ApiClient};
use crate::domain::delete::DeleteReport;
use crate::session::Session;
use futures::stream::{self, StreamExt};
use leptos::prelude::*;

const AT_ONCE: usize = 4;

pub async fn delete_accounts(
    client: &ApiClient,
    org: u64,
    targets: Vec<(u64, String)>,
    progress: RwSignal<Option<String>>,
    session: Session,
) -> DeleteReport {
    let total = targets.len();
    let mut report = DeleteReport::default();
    let mut results = stream::iter(targets)
        .map(|(id, username)| {
            let client = client.clone();
            async move { (id, username, accounts::delete(&client, org, id).await) }
        })
        .buffer_unordered(AT_ONCE);
    while let Some((id, username, result)) = results.next().await {
        match result {
            Ok(()) => report.deleted.push(id),
            Err(e) => {
                session.note_error(&e);
                report.failed.push((id, username, e.to_string()));
            }
        }
        progress.set(Some(format!("Deleted {} of {total}…", report.deleted.len())));
    }
    report
}
