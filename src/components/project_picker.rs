//! Projects chosen by name, each with its own role: the create form and the
//! add/remove dialogs. Every row stays in the list when unticked, so a role
//! picked for it is not lost.

use crate::domain::create_form::ProjectChoice;
use crate::domain::role::Role;
use leptos::prelude::*;

/// Above this many projects a filter box helps find one by name.
const FILTER_FROM: usize = 8;

#[component]
pub fn ProjectPicker(
    /// The rows, two-way bound.
    choices: RwSignal<Vec<ProjectChoice>>,
    /// Starts each checkbox's name: "Add to", "Remove from".
    verb: &'static str,
    /// Whether each row has a role select ("Role in PROJECT").
    #[prop(default = true)]
    with_roles: bool,
    /// An error about the projects, shown under the list.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Prefix for element ids, unique on the page.
    id: &'static str,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let count = choices.with_untracked(Vec::len);
    let chosen = move || choices.with(|c| c.iter().filter(|p| p.chosen).count());
    let error_id = format!("{id}-error");
    let rows = choices.with_untracked(|c| c.iter().map(|p| (p.id, p.name.clone())).collect::<Vec<_>>());
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, (project, name))| {
            let check_id = format!("{id}-{project}");
            let lowered = name.to_lowercase();
            let hidden = move || filter.with(|f| !f.trim().is_empty() && !lowered.contains(&f.trim().to_lowercase()));
            let is_chosen = move || choices.with(|c| c[i].chosen);
            let role = move || choices.with(|c| c[i].role);
            view! {
                <li class="picker-row" hidden=hidden class:picker-chosen=is_chosen>
                    <input
                        type="checkbox"
                        id=check_id.clone()
                        aria-label=format!("{verb} {name}")
                        prop:checked=is_chosen
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            choices.update(|c| c[i].chosen = on);
                        }
                    />
                    <label for=check_id class="picker-name">{name.clone()}</label>
                    {with_roles.then(|| view! {
                        <select
                            aria-label=format!("Role in {name}")
                            on:change=move |ev| {
                                if let Some(r) = Role::parse(&event_target_value(&ev)) {
                                    choices.update(|c| c[i].role = r);
                                }
                            }
                        >
                            {Role::ALL.into_iter().map(|r| view! {
                                <option value=r.key() selected=move || role() == r>{r.label()}</option>
                            }).collect_view()}
                        </select>
                        <span class="picker-caution" aria-hidden="true">{move || (is_chosen() && role().is_elevated()).then_some("⚠")}</span>
                    })}
                </li>
            }
        })
        .collect_view();
    let described = error_id.clone();
    view! {
        <fieldset class="project-picker" aria-describedby=described aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }>
            <legend>"Projects"</legend>
            <p class="field-hint">{move || format!("{} of {count} chosen", chosen())}</p>
            {(count >= FILTER_FROM).then(|| view! {
                <div class="field inline">
                    <label for=format!("{id}-filter")>"Filter projects"</label>
                    <input id=format!("{id}-filter") type="search" autocomplete="off" bind:value=filter/>
                </div>
            })}
            {if count == 0 {
                view! { <p class="empty-state">"This organization has no projects you can see."</p> }.into_any()
            } else {
                view! { <ul class="picker-list">{rows}</ul> }.into_any()
            }}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </fieldset>
    }
}
