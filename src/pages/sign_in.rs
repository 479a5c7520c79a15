//! Route `/`: region or base URL, username and secret; `/me` checks them.

use crate::api::me::fetch_me;
use crate::api::ApiClient;
use crate::components::field::TextField;
use crate::config::RuntimeConfig;
use crate::domain::next_path::safe_next;
use crate::domain::parallel::server_caps_streams;
use crate::domain::region::Region;
use crate::domain::sign_in::{check_sign_in, SignInErrors};
use crate::session::{Session, SignInDraft};
use crate::tasks::{sleep, Tasks};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let config_problem = use_context::<RwSignal<Option<String>>>().unwrap_or_else(|| RwSignal::new(None));
    let runtime = use_context::<RwSignal<RuntimeConfig>>().unwrap_or_else(|| RwSignal::new(RuntimeConfig::default()));
    let draft = session.draft.get_untracked();
    let region = RwSignal::new(draft.region);
    let base_url = RwSignal::new(draft.base_url);
    let username = RwSignal::new(draft.username);
    let secret = RwSignal::new(String::new());
    let errors = RwSignal::new(SignInErrors::default());
    let failure = RwSignal::new(session.take_notice());
    let pending = RwSignal::new(false);
    // Seconds spent waiting for /me, which can take minutes.
    let elapsed = RwSignal::new(0u32);
    let tasks = Tasks::new();
    // The first-screen benchmark's end: the form painted, its handlers on.
    crate::perf::mark_after_paint("sign-in-ready");
    let query = use_query_map();
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let origin = window().location().origin().unwrap_or_default();
        let region_url = runtime.with_untracked(|c| c.region_base_url(region.get_untracked(), &origin));
        let checked = secret.with_untracked(|s| {
            check_sign_in(
                region.get_untracked(),
                region_url.as_deref(),
                &base_url.get_untracked(),
                &username.get_untracked(),
                s,
            )
        });
        let target = match checked {
            Ok(target) => target,
            Err(e) => {
                let first = [("base-url", &e.base_url), ("username", &e.username), ("secret", &e.secret)]
                    .into_iter()
                    .find(|(_, err)| err.is_some())
                    .map(|(id, _)| id);
                errors.set(e);
                failure.set(None);
                if let Some(id) = first {
                    focus(id);
                }
                return;
            }
        };
        errors.set(SignInErrors::default());
        failure.set(None);
        pending.set(true);
        let client = secret.with_untracked(|s| ApiClient::new(&target.base_url, &target.username, s));
        client.set_max_parallel(runtime.with_untracked(RuntimeConfig::max_parallel));
        let declared = runtime.with_untracked(|c| c.server_caps_streams);
        client.set_streams_capped(server_caps_streams(declared, client.base_url(), &origin));
        let draft = SignInDraft {
            region: region.get_untracked(),
            base_url: base_url.get_untracked(),
            username: target.username,
        };
        let next = safe_next(query.with_untracked(|q| q.get("next")).as_deref(), &origin);
        // The page after sign-in is fetched while /me is asked.
        if let Some(page) = crate::lazy_pages::for_path(&next) {
            page.prefetch();
        }
        let navigate = navigate.clone();
        elapsed.set(0);
        tasks.replace("elapsed", move |_| async move {
            loop {
                sleep(Duration::from_secs(1)).await;
                elapsed.update(|s| *s += 1);
            }
        });
        tasks.replace("sign-in", move |signal| async move {
            let result = fetch_me(&client, Some(&signal)).await;
            tasks.stop("elapsed");
            match result {
                Ok(me) => {
                    client.remember_protocol();
                    secret.set(String::new());
                    session.sign_in(client, me, draft);
                    navigate(&next, NavigateOptions::default());
                }
                Err(e) => {
                    failure.set(Some(e.to_string()));
                    pending.set(false);
                }
            }
        });
    };

    let cancel = move |_| {
        tasks.stop("sign-in");
        tasks.stop("elapsed");
        pending.set(false);
        failure.set(Some("Sign-in cancelled: the console stopped waiting for Mixpanel. Nothing was changed.".into()));
    };

    let on_region = move |ev: leptos::ev::Event| {
        region.set(Region::from_key(&event_target_value(&ev)).unwrap_or(Region::Us));
        errors.update(|e| e.base_url = None);
    };

    view! {
        <main class="sign-in">
            <div class="sign-in-card">
                <h1>"Mixpanel service accounts"</h1>
                <p class="lead">"Sign in with a service account that is an admin or owner of your organization. The credential stays in this tab's memory only: a reload or sign-out forgets it."</p>
                <form on:submit=submit novalidate=true aria-busy=move || pending.get().to_string()>
                    <div class="field">
                        <label for="region">"Region"</label>
                        <select id="region" on:change=on_region>
                            {Region::ALL
                                .into_iter()
                                .map(|r| view! { <option value=r.key() selected=move || region.get() == r>{r.label()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <Show when=move || region.get() == Region::Custom>
                        <TextField
                            id="base-url"
                            label="API base URL"
                            value=base_url
                            input_type="url"
                            hint="Your internal proxy to Mixpanel's App API, e.g. https://mixpanel-proxy.example.com/api/app"
                            error=Signal::derive(move || errors.with(|e| e.base_url.clone()))
                        />
                    </Show>
                    <TextField
                        id="username"
                        label="Username"
                        value=username
                        autocomplete="username"
                        error=Signal::derive(move || errors.with(|e| e.username.clone()))
                    />
                    <TextField
                        id="secret"
                        label="Secret"
                        value=secret
                        input_type="password"
                        error=Signal::derive(move || errors.with(|e| e.secret.clone()))
                    />
                    <div class="form-error" role="alert">
                        {move || failure.get().map(|f| view! { <p>{f}</p> })}
                        {move || config_problem.get().map(|p| view! { <p>{format!("{p}. Using the default region.")}</p> })}
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button-primary" disabled=move || pending.get()>"Sign in"</button>
                        <Show when=move || pending.get()>
                            <button type="button" class="button-secondary" on:click=cancel>"Cancel"</button>
                        </Show>
                    </div>
                    <p class="progress" role="status">{move || pending.get().then(|| match elapsed.get() {
                        0 => "Waiting for Mixpanel to confirm the credential…".to_string(),
                        s => format!("Waiting for Mixpanel to confirm the credential… {s} s (large organizations can take minutes)"),
                    })}</p>
                </form>
            </div>
        </main>
    }
}
