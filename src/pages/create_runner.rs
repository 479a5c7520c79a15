//! Sends a create exactly once and, when the answer is lost, finds out from
//! the list whether the account was made anyway (never by retrying).

use crate::api::accounts::{self, Created};
use crate::api::{ApiClient, ApiError};
use crate::domain::account::Account;
use crate::domain::account_name::possible_creations;
use crate::domain::create_form::CreateBody;
use crate::session::Session;
use chrono::Utc;

#[derive(Clone, Debug, PartialEq)]
pub enum CreateOutcome {
    Created(Created),
    /// The server said no (4xx): nothing was created.
    Refused(ApiError),
    /// The answer was lost, and the list shows no new account.
    NotCreated(ApiError),
    /// The answer was lost, but the account exists; its secret is gone.
    CreatedAnyway(ApiError, Vec<Account>),
    /// The answer was lost and the list could not be read either.
    Unknown(ApiError, ApiError),
}

pub async fn create_once(client: &ApiClient, org: u64, body: &CreateBody, session: Session) -> CreateOutcome {
    let sent_at = Utc::now();
    let error = match accounts::create(client, org, body).await {
        Ok(created) => return CreateOutcome::Created(created),
        Err(e) => e,
    };
    session.note_error(&error);
    if !error.outcome_unknown() {
        return CreateOutcome::Refused(error);
    }
    match accounts::list(client, org, None).await {
        Ok(list) => {
            let made: Vec<Account> =
                possible_creations(&list, &body.username, None, sent_at).into_iter().cloned().collect();
            if made.is_empty() {
                CreateOutcome::NotCreated(error)
            } else {
                CreateOutcome::CreatedAnyway(error, made)
            }
        }
        Err(relist) => {
            session.note_error(&relist);
            CreateOutcome::Unknown(error, relist)
        }
    }
}
