//! "Save the secret now": the one moment a secret exists in the clear. Copy,
//! download, confirm stored; Done wipes it from memory and the DOM.

use crate::api::accounts::Secret;
use crate::components::dialog::Dialog;
use crate::components::download::download_text;
use crate::components::leave_guard::LeaveGuard;
use crate::domain::credentials::{credentials_filename, credentials_json};
use crate::session::Session;
use leptos::html;
use leptos::prelude::*;
use leptos_use::{use_clipboard, use_timeout_fn, UseClipboardReturn};
use std::time::Duration;

/// How long to wait for the Clipboard API before offering the fallback.
const COPY_PATIENCE: Duration = Duration::from_millis(1500);

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// No Clipboard API (plain http) or it refused: the text is selected instead.
    Selected,
}

#[component]
pub fn SecretDialog(
    username: String,
    secret: Secret,
    api_base_url: String,
    org: u64,
    /// After the admin confirmed storing it; the secret is already wiped.
    on_done: Callback<()>,
    /// A line above the secret, e.g. what was created and with which access.
    #[prop(optional, into)]
    context: Option<String>,
    /// Something the admin must know before confirming, e.g. that Mixpanel
    /// did not apply the expiry asked for.
    #[prop(default = None)]
    warning: Option<String>,
) -> impl IntoView {
    // The only copy; `None` after Done (dropping it zeroes the bytes).
    let held = StoredValue::new_local(Some(secret));
    let shown = held.with_value(|s| s.as_ref().map(|s| s.expose().to_string())).unwrap_or_default();
    let stored = RwSignal::new(false);
    let copy_state = RwSignal::new(CopyState::Idle);
    let download_error = RwSignal::new(None::<String>);
    let secret_node = NodeRef::<html::Code>::new();
    let UseClipboardReturn { is_supported, copied, copy, .. } = use_clipboard();
    // The idle lock waits while this dialog is open (it would destroy the
    // secret); it locks when Done closes it.
    let session = use_context::<Session>();
    if let Some(session) = session {
        session.secret_opened();
        on_cleanup(move || session.secret_closed());
    }

    let select_secret = move || {
        if let (Some(node), Ok(Some(selection))) = (secret_node.get_untracked(), window().get_selection()) {
            let _ = selection.select_all_children(&node);
        }
        copy_state.set(CopyState::Selected);
    };
    Effect::new(move |_| {
        if copied.get() {
            copy_state.set(CopyState::Copied);
        }
    });
    // Cleared with the dialog: Done right after Copy leaves nothing behind.
    let fall_back_later = use_timeout_fn(
        move |_: ()| {
            if matches!(copy_state.try_get_untracked(), Some(state) if state != CopyState::Copied) {
                select_secret();
            }
        },
        COPY_PATIENCE.as_millis() as f64,
    )
    .start;
    let on_copy = move |_| {
        if !is_supported.get_untracked() {
            select_secret();
            return;
        }
        held.with_value(|s| {
            if let Some(s) = s {
                copy(s.expose());
            }
        });
        fall_back_later(());
    };
    let on_download = {
        let username = username.clone();
        move |_| {
            let text = held.with_value(|s| {
                s.as_ref().map(|s| zeroize::Zeroizing::new(credentials_json(&username, s.expose(), &api_base_url, org)))
            });
            if let Some(text) = text {
                download_error.set(download_text(&credentials_filename(&username), "application/json", &text).err());
            }
        }
    };
    let done = Callback::new(move |_| {
        if !stored.get_untracked() {
            return;
        }
        held.update_value(|s| *s = None);
        on_done.run(());
    });

    view! {
        <LeaveGuard message="The new secret has not been confirmed as stored. If you leave now it is lost for good. Leave anyway?"/>
        <Dialog title="Save the secret now" on_close=done closable=Signal::derive(move || stored.get())>
            {context.map(|c| view! { <p>{c}</p> })}
            {warning.map(|w| view! { <p class="alert-error" role="alert">{w}</p> })}
            <p class="warning" role="note">"This is the only time the secret is shown. Mixpanel cannot show it again: store it in your secret manager now."</p>
            {move || session.is_some_and(|s| s.lock_deferred()).then(|| view! {
                <p class="warning" role="alert">"The console was idle long enough to lock. It waits until you confirm the secret is stored and press Done, then signs out."</p>
            })}
            <dl class="secret-fields">
                <dt>"Username"</dt>
                <dd><code class="copyable">{username.clone()}</code></dd>
                <dt>"Secret"</dt>
                <dd><code class="copyable secret" node_ref=secret_node>{shown}</code></dd>
            </dl>
            <div class="secret-actions">
                <button type="button" class="button-primary" on:click=on_copy>"Copy secret"</button>
                <button type="button" class="button-secondary" on:click=on_download>"Download credentials"</button>
            </div>
            <p class="progress" role="status">{move || match copy_state.get() {
                CopyState::Idle => String::new(),
                CopyState::Copied => "Secret copied to the clipboard.".to_string(),
                CopyState::Selected => "This browser does not allow copying here, so the secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.".to_string(),
            }}</p>
            {move || download_error.get().map(|e| view! { <p class="alert-error" role="alert">{format!("The file could not be saved: {e}")}</p> })}
            <div class="field checkbox">
                <input type="checkbox" id="secret-stored" prop:checked=move || stored.get() on:change=move |ev| stored.set(event_target_checked(&ev))/>
                <label for="secret-stored">"I have stored the secret"</label>
            </div>
            <div class="dialog-actions">
                <button type="button" class="button-primary" disabled=move || !stored.get() on:click=move |_| done.run(())>"Done"</button>
            </div>
        </Dialog>
    }
}
