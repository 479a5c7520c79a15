//! "Organization role", least privilege first, with a caution for the two
//! roles that can manage the organisation.

use crate::domain::role::Role;
use leptos::prelude::*;

#[component]
pub fn OrgRoleSelect(
    role: RwSignal<Role>,
    id: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id>"Organization role"</label>
            {hint.map(|h| view! { <p class="field-hint">{h}</p> })}
            <select id=id aria-describedby=error_id.clone() on:change=move |ev| {
                if let Some(r) = Role::parse(&event_target_value(&ev)) {
                    role.set(r);
                }
            }>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.key() selected=move || role.get() == r>{r.label()}</option>
                }).collect_view()}
            </select>
            <Show when=move || role.get().is_elevated()>
                <p class="warning" role="note">{move || format!(
                    "Caution: an {} can create and delete service accounts and manage every project of the organization. Give this only to an integration that must do that.",
                    role.get().key()
                )}</p>
            </Show>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
