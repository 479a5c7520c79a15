//! The frame of every signed-in page: who is signed in, the organisation
//! picker, navigation and sign-out.

use crate::session::{Session, SignOutReason};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = move || session.me();
    let username = move || session.client().map(|c| c.username().to_string()).unwrap_or_default();
    let on_org = move |ev: leptos::ev::Event| session.set_org(event_target_value(&ev).parse().ok());

    view! {
        <div class="shell">
            <header class="shell-header">
                <a class="brand" href="/accounts">"Service accounts console"</a>
                <nav aria-label="Main">
                    <A href="/accounts">"Service accounts"</A>
                </nav>
                <div class="shell-org">
                    <label for="organization">"Organization"</label>
                    <select id="organization" on:change=on_org>
                        <option value="" disabled=true selected=move || session.org().is_none()>
                            "Choose an organization"
                        </option>
                        {move || {
                            me().map(|me| {
                                me.organizations
                                    .into_iter()
                                    .map(|org| {
                                        let id = org.id;
                                        view! {
                                            <option value=id.to_string() selected=move || session.org() == Some(id)>
                                                {format!("{} ({})", org.name, org.role)}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            })
                        }}
                    </select>
                </div>
                <div class="shell-user">
                    <span class="whoami" title="Signed in as">{username}</span>
                    <button type="button" class="button-secondary" on:click=move |_| session.sign_out(SignOutReason::User)>
                        "Sign out"
                    </button>
                </div>
            </header>
            <main class="shell-main" id="main">{children()}</main>
        </div>
    }
}
