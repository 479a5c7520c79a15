//! What an organisation-scoped page shows before an organisation is chosen.

use leptos::prelude::*;

#[component]
pub fn ChooseOrg(
    /// The page's heading.
    title: &'static str,
    /// What the page will show once an organisation is chosen.
    purpose: &'static str,
) -> impl IntoView {
    view! {
        <section class="empty-state">
            <h1>{title}</h1>
            <p>{format!("Choose an organization above to {purpose}.")}</p>
        </section>
    }
}
