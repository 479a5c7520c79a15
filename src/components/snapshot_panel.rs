//! On the Review page: **Download snapshot** (every account and direct
//! membership, hashed) and **Compare with snapshot** (a file input), whose
//! result lists **Added**, **Removed** and **Changed access**, raised
//! privileges first, with **Export comparison**.

use crate::components::download::download_text;
use crate::domain::snapshot::{compare, comparison_csv, read, take, to_json, Comparison};
use crate::routing::use_project_names;
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::snapshot::gather;
use chrono::Utc;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq)]
enum State {
    Idle,
    Working(String),
    Failed(String),
    Compared(Comparison, String),
}

#[component]
pub fn SnapshotPanel(org: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    let projects = use_project_names(org);
    let state = RwSignal::new(State::Idle);
    let tasks = Tasks::new();
    let org_name = session.me().and_then(|m| m.organization(org).map(|o| o.name.clone())).unwrap_or_default();
    let org_name = StoredValue::new(org_name);

    let download = move |_| {
        let Some(client) = session.client() else { return };
        state.set(State::Working("Reading every account and project for the snapshot…".into()));
        tasks.replace("snapshot", move |signal| async move {
            let names = projects.get_value();
            let on_progress = |done, total| state.set(State::Working(format!("Reading projects: {done} of {total}…")));
            match gather(&client, org, &names, Some(&signal), &on_progress).await {
                Ok((accounts, memberships)) => {
                    let now = Utc::now();
                    let snapshot = take(org, &org_name.get_value(), &accounts, memberships, now);
                    let name = format!(
                        "service-accounts-snapshot-org-{org}-{}.json",
                        crate::domain::time_format::compact(now, '-')
                    );
                    state.set(match download_text(&name, "application/json", &to_json(&snapshot)) {
                        Ok(()) => State::Idle,
                        Err(e) => State::Failed(format!("The snapshot could not be saved: {e}")),
                    });
                }
                Err(e) => {
                    session.note_error(&e);
                    state.set(State::Failed(format!("The snapshot was not taken: {e}")));
                }
            }
        });
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        let Some(client) = session.client() else { return };
        state.set(State::Working("Reading the snapshot file…".into()));
        tasks.replace("snapshot", move |signal| async move {
            let text = match JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
                Some(text) => text,
                None => {
                    state.set(State::Failed("The file could not be read. Nothing was compared.".into()));
                    return;
                }
            };
            let then = match read(&text, org) {
                Ok(s) => s,
                Err(e) => {
                    state.set(State::Failed(e));
                    return;
                }
            };
            state.set(State::Working("Reading the present state to compare…".into()));
            let names = projects.get_value();
            match gather(&client, org, &names, Some(&signal), &|done, total| {
                state.set(State::Working(format!("Reading projects: {done} of {total}…")))
            })
            .await
            {
                Ok((accounts, memberships)) => {
                    let now = take(org, &org_name.get_value(), &accounts, memberships, Utc::now());
                    state.set(State::Compared(compare(&then.content, &now.content), then.content.taken_at));
                }
                Err(e) => {
                    session.note_error(&e);
                    state.set(State::Failed(format!(
                        "The present state could not be read, so nothing was compared: {e}"
                    )));
                }
            }
        });
    };

    let export = move |_| {
        if let State::Compared(c, taken) = state.get_untracked() {
            let name = format!("service-accounts-comparison-org-{org}-since-{}.csv", taken.replace(':', ""));
            if let Err(e) = download_text(&name, "text/csv;charset=utf-8", &comparison_csv(&c)) {
                state.set(State::Failed(format!("The comparison could not be saved: {e}")));
            }
        }
    };

    let list = |heading: &'static str, items: Vec<String>| {
        let id = format!("compare-{}", heading.to_lowercase().replace(' ', "-"));
        let labelled_by = id.clone();
        view! {
            <section class="review-section" aria-labelledby=labelled_by>
                <h3 id=id>{heading}</h3>
                {if items.is_empty() {
                    view! { <p class="muted">"None."</p> }.into_any()
                } else {
                    view! { <ul class="review-list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
        }
    };

    view! {
        <section class="review-section snapshot-panel" aria-labelledby="snapshot-heading">
            <h2 id="snapshot-heading">"Access snapshot"</h2>
            <p class="muted">"Save every account and direct membership now; compare a saved snapshot with the present at audit time."</p>
            <div class="toolbar-actions">
                <button type="button" class="button-secondary" disabled=move || matches!(state.get(), State::Working(_)) on:click=download>"Download snapshot"</button>
                <div class="field inline">
                    <label for="compare-snapshot">"Compare with snapshot"</label>
                    <input id="compare-snapshot" type="file" accept="application/json,.json" on:change=on_file/>
                </div>
            </div>
            {move || match state.get() {
                State::Idle => ().into_any(),
                State::Working(text) => view! { <p class="progress" role="status">{text}</p> }.into_any(),
                State::Failed(text) => view! { <div class="alert-error" role="alert"><p>{text}</p></div> }.into_any(),
                State::Compared(c, taken) => {
                    let changed: Vec<String> = c
                        .changed
                        .iter()
                        .map(|x| format!("{}{}: {}", if x.raised { "▲ " } else { "" }, x.username, x.what))
                        .collect();
                    view! {
                        <p role="status">{format!("Compared with the snapshot taken {taken}.")}</p>
                        {list("Added", c.added.clone())}
                        {list("Removed", c.removed.clone())}
                        {list("Changed access", changed)}
                        <button type="button" class="button-secondary" on:click=export>"Export comparison"</button>
                    }.into_any()
                }
            }}
        </section>
    }
}
