//! A labelled text input with its error right below it, wired for screen
//! readers (`aria-invalid`, `aria-describedby`).

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id; the error's id is derived from it.
    id: &'static str,
    /// The accessible name, shown as the label.
    label: &'static str,
    /// The value, two-way bound.
    value: RwSignal<String>,
    /// The error to show under the field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// `text`, `password`, `url`, ...
    #[prop(default = "text")]
    input_type: &'static str,
    /// The browser's autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A line of help under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="off"
                bind:value=value
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
