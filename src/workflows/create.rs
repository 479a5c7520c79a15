//! Sends a create exactly once and, when the answer is lost, finds out from
//! the list whether the account was made anyway (never by retrying).
//!
//! The list is read before the create, so "new" means an id that was not
//! there before, not "same name, recently". After a lost answer the write may
//! still commit, so the verdict waits, re-lists, and re-lists again until two
//! lists agree.

use crate::api::accounts::{self, Created};
use crate::api::{ApiClient, ApiError};
use crate::domain::account::Account;
use crate::domain::account_name::{possible_creations, settled};
use crate::domain::create_form::CreateBody;
use chrono::Utc;
use std::collections::HashSet;
use std::time::Duration;
use web_sys::AbortSignal;

/// How long to let a lost write commit before each re-list.
pub const SETTLE: Duration = Duration::from_secs(2);
/// Re-lists after a lost answer before saying "could not tell".
const MAX_RELISTS: usize = 4;

#[derive(Clone, Debug, PartialEq)]
pub enum CreateOutcome {
    Created(Created),
    /// The server said no (4xx): nothing was created.
    Refused(ApiError),
    /// The answer was lost, and two lists taken after it show no new account.
    NotCreated(ApiError),
    /// The answer was lost, but the account exists; its secret is gone.
    CreatedAnyway(ApiError, Vec<Account>),
    /// The answer was lost and the lists could not say (unreadable, or still
    /// changing).
    Unknown(ApiError, ApiError),
}

/// What the create is doing, for the page to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateStep {
    Sending,
    /// The answer was lost; checking the list (n-th look).
    Checking(usize),
}

pub async fn create_once(
    client: &ApiClient,
    org: u64,
    body: &CreateBody,
    signal: Option<&AbortSignal>,
    on_step: &dyn Fn(CreateStep),
) -> CreateOutcome {
    let sent_at = Utc::now();
    // Known ids before the write; without them the verdict falls back to the
    // creation time, which the check below says.
    let before: Option<HashSet<u64>> =
        accounts::list(client, org, signal, &|_| {}).await.ok().map(|l| l.iter().map(|a| a.id).collect());
    on_step(CreateStep::Sending);
    let error = match accounts::create(client, org, body, signal).await {
        Ok(created) => return CreateOutcome::Created(created),
        Err(e) => e,
    };
    if !error.outcome_unknown() {
        return CreateOutcome::Refused(error);
    }
    if matches!(error, ApiError::SignedOut | ApiError::Cancelled) {
        // The credential is gone: nothing can be checked from here.
        return CreateOutcome::Unknown(error.clone(), error);
    }
    let mut previous: Option<Vec<Account>> = None;
    let mut last_error = None;
    for look in 1..=MAX_RELISTS {
        on_step(CreateStep::Checking(look));
        gloo_timers::future::sleep(SETTLE).await;
        let list = match accounts::list(client, org, signal, &|_| {}).await {
            Ok(list) => list,
            Err(e) => {
                let stop = e.is_unauthorized() || matches!(e, ApiError::SignedOut | ApiError::Cancelled);
                last_error = Some(e);
                if stop {
                    break;
                }
                continue;
            }
        };
        let found: Vec<Account> =
            possible_creations(&list, &body.username, before.as_ref(), sent_at).into_iter().cloned().collect();
        if let Some(earlier) = &previous {
            let (a, b): (Vec<&Account>, Vec<&Account>) = (earlier.iter().collect(), found.iter().collect());
            if let Some(made) = settled(&a, &b) {
                let made: Vec<Account> = made.into_iter().cloned().collect();
                return if made.is_empty() {
                    CreateOutcome::NotCreated(error)
                } else {
                    CreateOutcome::CreatedAnyway(error, made)
                };
            }
        }
        previous = Some(found);
    }
    let why = last_error.unwrap_or(ApiError::Decode(
        "the list kept changing between looks, so the console cannot tell whether the account was made".into(),
    ));
    CreateOutcome::Unknown(error, why)
}
