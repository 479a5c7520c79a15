//! The router and the session: sign-in at `/`, everything else behind it.

use crate::components::protected::ProtectedShell;
use crate::config::RuntimeConfig;
use crate::lazy_pages;
use crate::pages::sign_in::SignInPage;
use crate::session::{Session, SignInDraft};
use leptos::prelude::*;

use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

pub fn draft_from(config: &RuntimeConfig) -> SignInDraft {
    SignInDraft {
        region: config.region(),
        base_url: config.api_base_url.clone().unwrap_or_default(),
        username: String::new(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new(draft_from(&RuntimeConfig::default()));
    provide_context(session);
    let config_problem = RwSignal::new(None::<String>);
    let ready = RwSignal::new(false);
    let runtime = RwSignal::new(RuntimeConfig::default());
    provide_context(runtime);
    #[cfg(target_arch = "wasm32")]
    crate::tasks::Tasks::new().spawn(move |_| async move {
        let (config, problem) = crate::config::load().await;
        session.draft.set(draft_from(&config));
        runtime.set(config);
        config_problem.set(problem);
        ready.set(true);
    });
    provide_context(config_problem);

    view! {
        <Show when=move || ready.get() fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            <Router>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=SignInPage/>
                    // One protected parent: the shell is rendered once around the page.
                    // lazy_pages::for_path maps the same paths (for prefetching).
                    <ParentRoute path=path!("") view=ProtectedShell>
                        <Route path=path!("/accounts") view=lazy_pages::ACCOUNTS/>
                        <Route path=path!("/accounts/new") view=lazy_pages::CREATE/>
                        <Route path=path!("/accounts/:id") view=lazy_pages::DETAIL/>
                        <Route path=path!("/matrix") view=lazy_pages::MATRIX/>
                        <Route path=path!("/review") view=lazy_pages::REVIEW/>
                        <Route path=path!("/me") view=lazy_pages::OVERVIEW/>
                    </ParentRoute>
                </Routes>
            </Router>
        </Show>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main class="centered">
            <h1>"Page not found"</h1>
            <p>"This address is not part of the console. " <a href="/accounts">"Go to the service accounts"</a></p>
        </main>
    }
}
