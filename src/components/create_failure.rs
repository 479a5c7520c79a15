//! What a failed create means for the admin: created or not, and what next.

use crate::api::accounts::Created;
use crate::api::ApiError;
use crate::domain::account::Account;
use crate::workflows::create::{CreateOutcome, CreateStep};
use leptos::prelude::*;

/// A create that did not hand over a secret, as the create page and the
/// rotation both show it.
#[derive(Clone, Debug, PartialEq)]
pub enum CreateProblem {
    /// The server said no: nothing was created.
    Refused(ApiError),
    /// The answer was lost; `made` is what the list showed, `check` why it
    /// could not say.
    Lost { error: ApiError, made: Vec<Account>, check: Option<ApiError> },
}

/// The secret, or what went wrong.
pub fn split_outcome(outcome: CreateOutcome) -> Result<Created, CreateProblem> {
    match outcome {
        CreateOutcome::Created(c) => Ok(c),
        CreateOutcome::Refused(e) => Err(CreateProblem::Refused(e)),
        CreateOutcome::NotCreated(error) => Err(CreateProblem::Lost { error, made: vec![], check: None }),
        CreateOutcome::CreatedAnyway(error, made) => Err(CreateProblem::Lost { error, made, check: None }),
        CreateOutcome::Unknown(error, check) => Err(CreateProblem::Lost { error, made: vec![], check: Some(check) }),
    }
}

/// What the secret dialog must say about the created account's expiry,
/// remembered in the session for its detail page too.
pub fn check_expiry(
    session: crate::session::Session,
    body: &crate::domain::create_form::CreateBody,
    created: &Created,
) -> Option<String> {
    let warning = crate::domain::expiry_check::expiry_warning(body.expires.as_deref(), created.account.expires)?;
    session.note_expiry(created.account.id, warning.clone());
    Some(warning)
}

/// The progress line while a create runs.
pub fn step_text(step: CreateStep) -> String {
    match step {
        CreateStep::Sending => "Creating… the request is sent once and never repeated.".to_string(),
        CreateStep::Checking(look) => format!(
            "The answer was lost. Checking the list of service accounts (look {look}) to see whether the account was made; nothing is re-sent…"
        ),
    }
}

/// For a create whose answer was lost. `on_delete`, when given, offers to
/// delete an account that was made anyway (its secret is lost).
#[component]
pub fn LostAnswerNotice(
    name: String,
    error: ApiError,
    /// Accounts the create made anyway; empty when it made none.
    made: Vec<Account>,
    /// Set when the console could not check.
    check_failed: Option<ApiError>,
    on_delete: Option<Callback<Account>>,
) -> impl IntoView {
    let detail = if let Some(check) = check_failed {
        format!(
            "The console could not check whether the account was created ({check}). Open the service accounts list and look for an account named {name} before trying again; nothing was retried."
        )
    } else if made.is_empty() {
        format!(
            "The account was not created: the list of service accounts shows no new account named {name}. Nothing was retried; your entries are kept, so you can try again."
        )
    } else {
        "The account was created anyway, but its secret was in the lost answer and cannot be shown again, so nothing can use it. Delete it, then create it again.".to_string()
    };
    view! {
        <div class="alert-error" role="alert">
            <p>{error.to_string()}</p>
            <p>{detail}</p>
            {(!made.is_empty()).then(|| view! {
                <ul>{made.into_iter().map(|a| {
                    let label = format!("Delete {}", a.username);
                    let username = a.username.clone();
                    view! {
                        <li>
                            <code>{username}</code>
                            {on_delete.map(|d| view! {
                                <button type="button" class="button-danger" on:click=move |_| d.run(a.clone())>{label}</button>
                            })}
                        </li>
                    }
                }).collect_view()}</ul>
            })}
        </div>
    }
}
