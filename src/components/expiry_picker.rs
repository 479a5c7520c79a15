//! "Expires": presets, a custom date, or never (with a warning), and a line
//! saying when exactly that is.

use crate::domain::expiry::{expiry_instant, ExpiryChoice};
use crate::domain::time_format::{absolute, relative};
use chrono::{Duration, Utc};
use leptos::prelude::*;

#[component]
pub fn ExpiryPicker(
    choice: RwSignal<ExpiryChoice>,
    /// `YYYY-MM-DD` for `Custom date`.
    custom_date: RwSignal<String>,
    #[prop(into)] date_error: Signal<Option<String>>,
    /// A refusal of the choice itself (a policy that forbids Never).
    #[prop(into, default = Signal::stored(None))]
    choice_error: Signal<Option<String>>,
    /// Prefix for element ids, unique on the page.
    id: &'static str,
) -> impl IntoView {
    let select_id = format!("{id}-expiry");
    let date_id = format!("{id}-expiry-date");
    let error_id = format!("{date_id}-error");
    let choice_error_id = format!("{select_id}-error");
    let tomorrow = crate::domain::time_format::iso_date(Utc::now().date_naive() + Duration::days(1));
    let when = move || {
        let now = Utc::now();
        match expiry_instant(choice.get(), &custom_date.get(), now) {
            Ok(Some(t)) => format!("Expires {} ({}).", absolute(t), relative(t, now)),
            _ => String::new(),
        }
    };
    view! {
        <div class="field" class:field-invalid=move || choice_error.with(Option::is_some)>
            <label for=select_id.clone()>"Expires"</label>
            <select id=select_id aria-describedby=choice_error_id.clone() aria-invalid=move || if choice_error.with(Option::is_some) { "true" } else { "false" } on:change=move |ev| {
                if let Some(c) = ExpiryChoice::from_key(&event_target_value(&ev)) {
                    choice.set(c);
                }
            }>
                {ExpiryChoice::ALL.into_iter().map(|c| view! {
                    <option value=c.key() selected=move || choice.get() == c>{c.label()}</option>
                }).collect_view()}
            </select>
            <p class="field-hint" aria-live="polite">{when}</p>
            <p class="field-error" id=choice_error_id>{move || choice_error.get()}</p>
        </div>
        <Show when=move || choice.get() == ExpiryChoice::Custom>
            <div class="field" class:field-invalid=move || date_error.with(Option::is_some)>
                <label for=date_id.clone()>"Expiry date"</label>
                <p class="field-hint">"The account stops working at 00:00 UTC on this day."</p>
                <input
                    id=date_id.clone()
                    type="date"
                    min=tomorrow.clone()
                    bind:value=custom_date
                    aria-invalid=move || if date_error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                />
                <p class="field-error" id=error_id.clone()>{move || date_error.get()}</p>
            </div>
        </Show>
        <Show when=move || choice.get() == ExpiryChoice::Never>
            <p class="warning" role="note">"Never expiring: a leaked secret keeps working until someone deletes the account. Mixpanel advises always setting an expiry and rotating."</p>
        </Show>
    }
}
