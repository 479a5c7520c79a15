//! The deliberate confirmation before deleting one or several accounts.

use crate::components::dialog::Dialog;
use crate::components::field::TextField;
use crate::domain::delete::{confirmation_phrase, is_confirmed};
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::delete::Deleted;
use leptos::prelude::*;

/// What the page says when the admin stops waiting for a delete.
pub const STOPPED_WAITING: &str = "Stopped waiting for Mixpanel to answer the delete. Accounts whose delete was already sent may or may not be deleted; the list shows what the server holds now.";

/// Stops a page's running delete (the run keyed "delete") when the admin
/// closes the dialog while it waits; true when one was running.
pub fn stop_waiting(tasks: Tasks, pending: RwSignal<bool>, progress: RwSignal<Option<String>>) -> bool {
    if !pending.get_untracked() {
        return false;
    }
    tasks.stop("delete");
    pending.set(false);
    progress.set(None);
    true
}

/// The progress callback for `workflows::delete`: counts into `progress`
/// (what the dialog shows) and hands every error to the session (a 401 ends it).
pub fn delete_progress(session: Session, progress: RwSignal<Option<String>>) -> impl Fn(Deleted) {
    move |d: Deleted| {
        if let Err(e) = d.result {
            session.note_error(e);
        }
        progress.set(Some(format!("Deleted {} of {}…", d.done, d.total)));
    }
}

/// How many usernames the dialog lists before summarising the rest.
const LISTED: usize = 12;

#[component]
pub fn DeleteDialog(
    /// The accounts to delete, by username.
    usernames: Vec<String>,
    /// Whether the signed-in account is among them.
    #[prop(default = false)]
    includes_self: bool,
    /// Runs the deletion; the dialog shows progress while `pending`.
    on_confirm: Callback<()>,
    /// Cancel or Escape; also while pending, when the page stops waiting.
    on_close: Callback<()>,
    #[prop(into)] pending: Signal<bool>,
    /// Progress text while pending, e.g. "Deleted 3 of 10…".
    #[prop(into)]
    progress: Signal<Option<String>>,
) -> impl IntoView {
    let phrase = confirmation_phrase(&usernames);
    let title = match usernames.len() {
        1 => "Delete service account".to_string(),
        n => format!("Delete {n} service accounts"),
    };
    let typed = RwSignal::new(String::new());
    let confirmed = {
        let phrase = phrase.clone();
        Signal::derive(move || typed.with(|t| is_confirmed(t, &phrase)))
    };
    let hidden = usernames.len().saturating_sub(LISTED);
    let listed: Vec<String> = usernames.into_iter().take(LISTED).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if confirmed.get_untracked() && !pending.get_untracked() {
            on_confirm.run(());
        }
    };
    view! {
        // Always closable: closing while a delete runs stops waiting for it
        // (a hung DELETE must never trap the admin here); the page says so.
        <Dialog title=title on_close=on_close>
            <form on:submit=submit>
                <p>"Deleting removes the account from every project and the organization at once. Anything using its secret stops working. This cannot be undone."</p>
                <ul class="dialog-list">
                    {listed.into_iter().map(|u| view! { <li><code>{u}</code></li> }).collect_view()}
                    {(hidden > 0).then(|| view! { <li>{format!("and {hidden} more")}</li> })}
                </ul>
                {includes_self.then(|| view! {
                    <p class="warning" role="note">"This includes the account you are signed in with: the console will sign you out."</p>
                })}
                <TextField
                    id="delete-confirm"
                    label="Type the username to confirm"
                    value=typed
                    error=Signal::derive(|| None::<String>)
                />
                <p class="field-hint">"Type " <code class="phrase">{phrase}</code> " exactly."</p>
                <p class="progress" role="status">{move || progress.get()}</p>
                <div class="dialog-actions">
                    <button type="button" class="button-secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button-danger" disabled=move || !confirmed.get() || pending.get()>"Delete"</button>
                </div>
            </form>
        </Dialog>
    }
}
