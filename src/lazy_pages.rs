//! The pages behind sign-in, each a wasm chunk of its own: the first screen
//! downloads only what sign-in and the shell need (see README, "Bytes").
//! `bundle` splits the release build at these functions (feature `split`);
//! elsewhere (native tests, the browser tests' wasm) they are plain calls.
//!
//! Not Leptos' `#[lazy_route]`: its loader panics when a chunk cannot be
//! fetched (the console was redeployed while open, the network dropped), and a
//! panic kills the console. Here a failed load becomes a page that says so,
//! and the next visit tries again.

use crate::pages::account_detail::AccountDetailPage;
use crate::pages::accounts::AccountsPage;
use crate::pages::create_account::CreateAccountPage;
use crate::pages::matrix::MatrixPage;
use crate::pages::overview::OverviewPage;
use crate::pages::review::ReviewPage;
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::ChooseView;
use std::future::Future;
use std::pin::Pin;

type Loaded = Result<AnyView, SplitLoaderError>;
type Load = Pin<Box<dyn Future<Output = Loaded>>>;
type Preload = Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;

/// A route's view that is fetched on first use. The router waits for it
/// (the page on screen stays until the next one is ready), as it does for
/// Leptos' own lazy routes.
#[derive(Clone, Copy)]
pub struct LazyPage {
    /// Which page: for tests and for reading a profile.
    pub name: &'static str,
    load: fn() -> Load,
    preload: fn() -> Preload,
}

impl ChooseView for LazyPage {
    async fn choose(self) -> AnyView {
        match (self.load)().await {
            Ok(view) => view,
            Err(_) => view! { <NotLoaded/> }.into_any(),
        }
    }

    async fn preload(&self) {
        // A failure here is met again, and shown, when the page is chosen.
        let _ = (self.preload)().await;
    }
}

impl LazyPage {
    /// Starts fetching the page's code without waiting for it (sign-in does
    /// this while /me is asked, so the first page is ready when it answers).
    pub fn prefetch(self) {
        leptos::task::spawn_local(async move {
            let _ = (self.preload)().await;
        });
    }
}

#[component]
fn NotLoaded() -> impl IntoView {
    // Inside the shell's <main>, as every page: a section, not a second main.
    view! {
        <section class="page-not-loaded" aria-labelledby="not-loaded-heading">
            <h1 id="not-loaded-heading">"This page could not be loaded"</h1>
            <p role="alert">
                "The console could not fetch this page's code: the network dropped, or the console was "
                "updated since this tab opened it. Try again, or reload the page (you will sign in again)."
            </p>
        </section>
    }
}

/// A page's split point. Only the bundled release build splits (feature
/// `split`, set by scripts/build.sh): anywhere else, such as the browser
/// tests' wasm, an unresolved chunk import would stop the module loading,
/// so there the page is a plain call.
macro_rules! lazy_page {
    ($name:ident, $preload:ident, $page:ident) => {
        #[cfg(feature = "split")]
        #[wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name() -> Loaded {
            Ok(view! { <$page/> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $name() -> Loaded {
            Ok(view! { <$page/> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

lazy_page!(accounts_page, preload_accounts_page, AccountsPage);
lazy_page!(create_page, preload_create_page, CreateAccountPage);
lazy_page!(detail_page, preload_detail_page, AccountDetailPage);
lazy_page!(matrix_page, preload_matrix_page, MatrixPage);
lazy_page!(review_page, preload_review_page, ReviewPage);
lazy_page!(overview_page, preload_overview_page, OverviewPage);

macro_rules! page {
    ($name:ident, $preload:ident) => {
        LazyPage { name: stringify!($name), load: || Box::pin($name()), preload: || Box::pin($preload()) }
    };
}

pub const ACCOUNTS: LazyPage = page!(accounts_page, preload_accounts_page);
pub const CREATE: LazyPage = page!(create_page, preload_create_page);
pub const DETAIL: LazyPage = page!(detail_page, preload_detail_page);
pub const MATRIX: LazyPage = page!(matrix_page, preload_matrix_page);
pub const REVIEW: LazyPage = page!(review_page, preload_review_page);
pub const OVERVIEW: LazyPage = page!(overview_page, preload_overview_page);

/// Fetches a page's code when the admin shows the intent to open it: the
/// pointer comes over a link to it, or the link gets focus. The click
/// follows 100 ms or more later, enough for the chunk on a usual
/// connection. (Measured: without any prefetch the access matrix's first
/// click waited ~60 ms for its chunks on loopback. Prefetching every page
/// once the first was in also hid that, but made every session download
/// and compile all 580 KB, pages never opened included.)
#[cfg(target_arch = "wasm32")]
pub fn prefetch_on_intent() {
    use leptos::wasm_bindgen::JsCast;
    // No list of pages already asked for: the split loader remembers a
    // loaded chunk (a repeat returns at once) and forgets a failed one, so
    // the next hover tries again.
    let on_intent = |target: Option<leptos::web_sys::EventTarget>| {
        let href = target
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        if let Some(page) = href.as_deref().and_then(for_path) {
            page.prefetch();
        }
    };
    let _ = leptos_use::use_event_listener(document(), leptos::ev::pointerover, move |ev| on_intent(ev.target()));
    let _ = leptos_use::use_event_listener(document(), leptos::ev::focusin, move |ev| on_intent(ev.target()));
}

/// The page a path inside the console leads to, for prefetching: the same
/// table as app.rs's routes (keep the two in step).
pub fn for_path(path: &str) -> Option<LazyPage> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    match path.trim_end_matches('/') {
        "/accounts" => Some(ACCOUNTS),
        "/accounts/new" => Some(CREATE),
        "/matrix" => Some(MATRIX),
        "/review" => Some(REVIEW),
        "/me" => Some(OVERVIEW),
        p if p.starts_with("/accounts/") => Some(DETAIL),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: Option<LazyPage>, b: LazyPage) -> bool {
        a.is_some_and(|a| a.name == b.name)
    }

    #[test]
    fn each_path_prefetches_its_own_page() {
        assert!(same(for_path("/accounts?org=1"), ACCOUNTS));
        assert!(same(for_path("/accounts/new"), CREATE));
        assert!(same(for_path("/accounts/12?org=1"), DETAIL));
        assert!(same(for_path("/matrix"), MATRIX));
        assert!(same(for_path("/review#x"), REVIEW));
        assert!(same(for_path("/me"), OVERVIEW));
        assert!(for_path("/").is_none());
        assert!(for_path("/elsewhere").is_none());
    }
}
