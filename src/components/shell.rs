//! The frame of every signed-in page: who is signed in, the organisation
//! picker, navigation, sign-out, and the idle lock.

use crate::config::RuntimeConfig;
use crate::routing::{accounts_href, use_org};
use crate::session::{Session, SignOutReason};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use leptos_use::{use_idle, UseIdleReturn};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = expect_context::<Session>();
    let org = use_org();
    let navigate = use_navigate();
    let idle_ms = use_context::<RwSignal<RuntimeConfig>>().map(|c| c.get_untracked().idle_lock_ms()).unwrap_or(900_000);
    let UseIdleReturn { idle, reset, .. } = use_idle(idle_ms);
    // use_idle arms its timer only on the first input event; arm it now, so an
    // admin who signs in and walks away is locked out too.
    reset();
    Effect::new(move || {
        if idle.get() {
            // Deferred while a secret is on screen (see `Session::idle`).
            session.idle();
        }
    });

    // A page's code (src/lazy_pages.rs) is fetched as soon as a link to it
    // is pointed at or focused.
    #[cfg(target_arch = "wasm32")]
    crate::lazy_pages::prefetch_on_intent();

    let username = move || session.client().map(|c| c.username().to_string()).unwrap_or_default();
    let on_org = move |ev: leptos::ev::Event| {
        if let Ok(id) = event_target_value(&ev).parse::<u64>() {
            navigate(&accounts_href(id), NavigateOptions::default());
        }
    };
    let org_href = move |path: &'static str| move || org.get().map_or(path.to_string(), |o| format!("{path}?org={o}"));

    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="shell-header">
                <a class="brand" href=org_href("/accounts")>"Service accounts console"</a>
                <nav aria-label="Main">
                    <A href=org_href("/accounts")>"Service accounts"</A>
                    <A href=org_href("/matrix")>"Access matrix"</A>
                    <A href=org_href("/review")>"Review"</A>
                    <A href=org_href("/me")>"Identity"</A>
                </nav>
                <div class="shell-org">
                    <label for="organization">"Organization"</label>
                    <select id="organization" on:change=on_org>
                        <option value="" disabled=true selected=move || org.get().is_none()>"Choose an organization"</option>
                        {move || session.me().map(|me| me.organizations.into_iter().map(|o| {
                            let id = o.id;
                            view! { <option value=id.to_string() selected=move || org.get() == Some(id)>{format!("{} ({})", o.name, o.role)}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <div class="shell-user">
                    <span class="whoami" title="Signed in as">{username}</span>
                    <button type="button" class="button-secondary" on:click=move |_| session.sign_out(SignOutReason::User)>"Sign out"</button>
                </div>
            </header>
            <main class="shell-main" id="main" tabindex="-1">{children()}</main>
        </div>
    }
}
