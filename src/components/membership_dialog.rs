//! "Add to projects" and "Remove from projects" for one or many accounts:
//! one request each, a preview, and a check of the result.

use crate::components::dialog::Dialog;
use crate::components::project_picker::ProjectPicker;
use crate::domain::create_form::ProjectChoice;
use crate::domain::matrix::Change;
use crate::domain::membership::{elevated_grants, failed_change_note, grant_plan, preview, revoke_plan, Mismatch};
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::membership::{apply_and_verify, Applied};
use leptos::prelude::*;
use std::collections::HashMap;

/// How many usernames the dialog lists before summarising.
const LISTED: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Add,
    Remove,
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Failed(String),
    Applied(Applied),
}

fn describe(m: &Mismatch, accounts: &HashMap<u64, String>, projects: &HashMap<u64, String>) -> String {
    let who = accounts.get(&m.account).cloned().unwrap_or_else(|| m.account.to_string());
    let place = projects.get(&m.project).cloned().unwrap_or_else(|| m.project.to_string());
    let role = |r: Option<crate::domain::role::Role>| r.map_or("no direct role", |r| r.key());
    format!("{who} in {place}: expected {}, the project lists {}", role(m.expected), role(m.found))
}

#[component]
pub fn MembershipDialog(
    org: u64,
    direction: Direction,
    /// (id, username) of the accounts to change.
    accounts: Vec<(u64, String)>,
    on_close: Callback<()>,
    /// After a request: the affected projects as re-read, or `None` when the
    /// request failed and the view should re-read what it shows.
    on_changed: Callback<Option<Applied>>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let project_names: Vec<(u64, String)> =
        session.me().map(|m| m.projects_of(org).map(|p| (p.id, p.name.clone())).collect()).unwrap_or_default();
    let choices = RwSignal::new(project_names.iter().map(|(id, n)| ProjectChoice::new(*id, n)).collect::<Vec<_>>());
    let pending = RwSignal::new(false);
    let tasks = Tasks::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let error = RwSignal::new(None::<String>);
    let account_ids: Vec<u64> = accounts.iter().map(|a| a.0).collect();
    let account_names: HashMap<u64, String> = accounts.iter().cloned().collect();
    let project_map: HashMap<u64, String> = project_names.into_iter().collect();
    let (title, verb, button) = match direction {
        Direction::Add => ("Add to projects", "Add to", "Add"),
        Direction::Remove => ("Remove from projects", "Remove from", "Remove"),
    };
    let count = accounts.len();
    let chosen = move || {
        choices.with(|c| c.iter().filter(|p| p.chosen).map(|p| (p.id, p.name.clone(), p.role)).collect::<Vec<_>>())
    };

    let submit = {
        let account_ids = account_ids.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let picked = chosen();
            let change = match direction {
                Direction::Add => {
                    grant_plan(&account_ids, &picked.iter().map(|(id, _, r)| (*id, *r)).collect::<Vec<_>>())
                        .map(Change::Add)
                }
                Direction::Remove => {
                    revoke_plan(&account_ids, &picked.iter().map(|(id, _, _)| *id).collect::<Vec<_>>())
                        .map(Change::Remove)
                }
            };
            let change = match change {
                Ok(c) => c,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            error.set(None);
            outcome.set(None);
            let Some(client) = session.client() else { return };
            pending.set(true);
            tasks.spawn(move |signal| async move {
                let result = apply_and_verify(&client, org, &change, Some(&signal)).await;
                if let Err(e) = &result {
                    session.note_error(e);
                }
                if let Ok(applied) = &result {
                    applied.unchecked.iter().for_each(|(_, e)| session.note_error(e));
                }
                pending.set(false);
                on_changed.run(result.as_ref().ok().cloned());
                outcome.set(Some(match result {
                    Ok(applied) => Outcome::Applied(applied),
                    Err(e) => Outcome::Failed(format!("{e} {}", failed_change_note(e.outcome_unknown()))),
                }));
            });
        }
    };

    let listed: Vec<String> = accounts.iter().take(LISTED).map(|a| a.1.clone()).collect();
    let hidden = count.saturating_sub(LISTED);
    let report = move || {
        outcome.get().map(|o| match o {
            Outcome::Failed(text) => view! { <div class="alert-error" role="alert"><p>{text}</p></div> }.into_any(),
            Outcome::Applied(a) if a.mismatches.is_empty() && a.unchecked.is_empty() => {
                let done = match direction {
                    Direction::Add => "Done: every membership now has the role asked for (checked by re-reading the projects).",
                    Direction::Remove => "Done: the accounts are no longer direct members of those projects (checked by re-reading them).",
                };
                view! { <div class="alert-ok" role="status"><p>{done}</p></div> }.into_any()
            }
            Outcome::Applied(a) => {
                let lines: Vec<String> = a
                    .mismatches
                    .iter()
                    .map(|m| describe(m, &account_names, &project_map))
                    .chain(a.unchecked.iter().map(|(p, why)| {
                        format!("{} could not be re-read, so was not checked: {why}", project_map.get(p).cloned().unwrap_or_else(|| p.to_string()))
                    }))
                    .collect();
                view! {
                    <div class="alert-error" role="alert">
                        <p>"The request was accepted, but re-reading the projects shows not every membership took:"</p>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <Dialog title=title on_close=on_close closable=Signal::derive(move || !pending.get())>
            <form on:submit=submit>
                <p>{format!("For {}:", crate::domain::text::count_of(count, "service account"))}</p>
                <ul class="dialog-list">
                    {listed.into_iter().map(|u| view! { <li><code>{u}</code></li> }).collect_view()}
                    {(hidden > 0).then(|| view! { <li>{format!("and {hidden} more")}</li> })}
                </ul>
                <ProjectPicker choices=choices verb=verb with_roles=direction == Direction::Add id="membership-projects" error=error/>
                {(direction == Direction::Add).then(|| view! {
                    <p class="field-hint">"An account already in a project takes the role chosen here: this is how a role is changed."</p>
                })}
                <p class="preview" aria-live="polite">{move || preview(count, chosen().len())}</p>
                {move || {
                    let picked = chosen();
                    let high = elevated_grants(&picked);
                    (direction == Direction::Add && !high.is_empty()).then(|| view! {
                        <p class="warning" role="note">{format!("This raises accounts to admin or owner in: {}. Admins and owners can manage the project's members and settings.", high.join(", "))}</p>
                    })
                }}
                {report}
                <p class="progress" role="status">{move || pending.get().then_some("Sending one request, then re-reading the projects…")}</p>
                <div class="dialog-actions">
                    <button type="button" class="button-secondary" disabled=move || pending.get() on:click=move |_| on_close.run(())>
                        {move || if outcome.with(Option::is_some) { "Close" } else { "Cancel" }}
                    </button>
                    <button type="submit" class=if direction == Direction::Add { "button-primary" } else { "button-danger" } disabled=move || pending.get()>{button}</button>
                </div>
            </form>
        </Dialog>
    }
}
