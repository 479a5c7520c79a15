use crate::domain::status::Status;
use leptos::prelude::*;

/// A status as a coloured label, with the reason on hover.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.key()) title=status.explanation()>{status.label()}</span> }
}
