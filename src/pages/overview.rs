//! Who is signed in and what `/me` says about their organisations.

use crate::session::Session;
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        session.me().map(|me| {
            let rows = me
                .organizations
                .iter()
                .map(|org| {
                    let projects = me.projects_of(org.id).count();
                    let manage = if org.can_manage() { "Can manage service accounts" } else { "Cannot manage service accounts" };
                    view! {
                        <tr>
                            <td>{org.name.clone()}</td>
                            <td>{org.role.clone()}</td>
                            <td class="num">{projects}</td>
                            <td>{manage}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="overview" aria-labelledby="identity-heading">
                    <h1 id="identity-heading">"Signed in"</h1>
                    <dl class="identity">
                        <dt>"Email"</dt>
                        <dd class="identity-email">{me.email.clone()}</dd>
                        <dt>"User id"</dt>
                        <dd>{me.user_id.map(|id| id.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    </dl>
                    <h2>"Organizations"</h2>
                    <table class="data-table">
                        <thead>
                            <tr><th scope="col">"Name"</th><th scope="col">"Your role"</th><th scope="col">"Projects"</th><th scope="col">"Access"</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
    }
}
