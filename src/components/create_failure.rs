//! What a failed create means for the admin: created or not, and what next.

use crate::api::ApiError;
use crate::domain::account::Account;
use leptos::prelude::*;

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
