//! Pages behind sign-in: without a session, go to sign-in, remembering where
//! the admin was headed (unless they signed out on purpose).

use crate::components::shell::Shell;
use crate::session::{Session, SignOutReason};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The parent route of every signed-in page: the shell around an `<Outlet/>`.
#[component]
pub fn ProtectedShell() -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move || {
        if session.is_signed_in() {
            return;
        }
        let target = match session.ended() {
            Some(SignOutReason::User) => "/".to_string(),
            _ => {
                // leptos_router's `search` comes without its leading '?'.
                let search = location.search.get_untracked();
                let search = search.trim_start_matches('?');
                let path = location.pathname.get_untracked();
                let here = if search.is_empty() { path } else { format!("{path}?{search}") };
                format!("/?next={}", String::from(js_sys::encode_uri_component(&here)))
            }
        };
        navigate(&target, NavigateOptions { replace: true, ..NavigateOptions::default() });
    });
    move || session.is_signed_in().then(|| view! { <Shell><Outlet/></Shell> })
}
