//! Route `/accounts/ID`: every field of one account and its project
//! memberships, gathered from each project's listing (bounded, with progress).

use crate::api::projects::Member;
use crate::api::{accounts, ApiError};
use crate::components::delete_dialog::{delete_progress, stop_waiting, DeleteDialog, STOPPED_WAITING};
use crate::components::membership_dialog::{Direction, MembershipDialog};
use crate::components::rotate_dialog::RotateDialog;
use crate::components::status_badge::StatusBadge;
use crate::domain::account::Account;
use crate::domain::parallel::at_once;
use crate::domain::role::Role;
use crate::domain::rotation::{Access, Held};
use crate::domain::sorting::sort_stable_by_cached_key;
use crate::domain::status::status_of;
use crate::domain::time_format::{absolute, relative};
use crate::routing::{account_href, accounts_href, use_org, use_project_names};
use crate::session::{Session, SignOutReason};
use crate::tasks::Tasks;
use crate::workflows::delete::delete_accounts;
use crate::workflows::fan_out::{members_of_all, Progress};
use crate::workflows::membership::Applied;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;
use leptos_router::NavigateOptions;

#[derive(Clone, Debug, PartialEq)]
struct Membership {
    project_id: u64,
    project: String,
    /// As written: a custom role stays as it is.
    role: String,
    access: Access,
}

impl Membership {
    fn held(&self) -> Option<Held> {
        Some(Held {
            project_id: self.project_id,
            project_name: self.project.clone(),
            role: Role::parse(&self.role)?,
            access: self.access,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Gathered {
    done: usize,
    total: usize,
    found: Vec<Membership>,
    failed: Vec<(String, String)>,
}

impl Gathered {
    /// Takes one project's listing as the truth about `account` there.
    fn take_listing(&mut self, project: u64, name: &str, members: Vec<Member>, account: u64) {
        self.found.retain(|m| m.project_id != project);
        self.found.extend(members.into_iter().filter(|m| m.id == account).map(|m| Membership {
            project_id: project,
            project: name.to_string(),
            access: m.access(),
            role: m.role.as_str().to_string(),
        }));
        sort_stable_by_cached_key(&mut self.found, |a| a.project.to_lowercase());
    }
}

/// The route's typed parameter: `/accounts/:id`.
#[derive(Params, Clone, Debug, PartialEq)]
struct AccountParams {
    id: Option<u64>,
}

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let org = use_org();
    let params = use_params::<AccountParams>();
    let id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.id)));
    move || match (org.get(), id.get()) {
        (Some(org), Some(id)) => view! { <AccountDetail org=org id=id/> }.into_any(),
        (None, _) => view! { <p class="empty-state">"Choose an organization above."</p> }.into_any(),
        (_, None) => {
            view! { <p class="alert-error" role="alert">"This address does not name a service account."</p> }.into_any()
        }
    }
}

fn time_row(label: &'static str, t: Option<DateTime<Utc>>, missing: &'static str) -> impl IntoView {
    let now = Utc::now();
    view! {
        <dt>{label}</dt>
        <dd>{match t {
            Some(t) => format!("{} ({})", relative(t, now), absolute(t)),
            None => missing.to_string(),
        }}</dd>
    }
}

#[component]
fn AccountDetail(org: u64, id: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let account = RwSignal::new(None::<Result<Account, ApiError>>);
    let gathered = RwSignal::new(Gathered::default());
    // Requests in flight while gathering (the fan-out says; 429s lower it).
    let lanes = RwSignal::new(0usize);
    let confirming = RwSignal::new(false);
    let rotating = RwSignal::new(false);
    let granting = RwSignal::new(false);
    let reload_members = RwSignal::new(0u32);
    let deleting = RwSignal::new(false);
    let progress = RwSignal::new(None::<String>);
    let delete_error = RwSignal::new(None::<String>);
    let waiting = RwSignal::new(None::<u32>);
    let tasks = Tasks::new();
    let project_names = use_project_names(org);

    // The org role comes from the list only (the single GET lacks it):
    // `None` while loading, `Some(None)` when the list did not say.
    let org_role = RwSignal::new(None::<Option<String>>);
    if let Some(client) = session.client() {
        let client3 = client.clone();
        tasks.spawn(move |signal| async move {
            let found = match accounts::org_roles(&client3, org, Some(&signal), &|_| {}).await {
                Ok(list) => list.into_iter().find(|a| a.id == id).and_then(|a| a.org_role),
                Err(e) => {
                    session.note_error(&e);
                    None
                }
            };
            org_role.set(Some(found));
        });
        let client2 = client.clone();
        tasks.spawn(move |signal| async move {
            let on_wait = |seconds| waiting.set(Some(seconds));
            let result = accounts::get(&client2, org, id, Some(&signal), &on_wait).await;
            if let Err(e) = &result {
                session.note_error(e);
            }
            waiting.set(None);
            account.set(Some(result));
        });
        // Re-run when a grant from this page failed: what the server holds is unknown.
        Effect::new(move |_| {
            reload_members.track();
            let ids: Vec<u64> = project_names.with_value(|n| n.ids());
            gathered.set(Gathered { total: ids.len(), ..Gathered::default() });
            let client = client.clone();
            tasks.replace("members", move |signal| async move {
                members_of_all(&client, ids, Some(&signal), |progress| {
                    let (project, result) = match progress {
                        Progress::Done { project, result } => (project, result),
                        Progress::Lanes(n) => return lanes.set(n),
                        Progress::Waiting { .. } => return,
                    };
                    let name = project_names.with_value(|n| n.name(project));
                    gathered.update(|g| {
                        g.done += 1;
                        match result {
                            Ok(members) => g.take_listing(project, &name, members, id),
                            Err(e) => {
                                session.note_error(&e);
                                g.failed.push((name, e.to_string()));
                            }
                        }
                    });
                })
                .await;
            });
        });
    }

    let navigate = StoredValue::new(navigate);
    let on_rotated = Callback::new(move |twin: u64| {
        rotating.set(false);
        navigate.with_value(|n| n(&account_href(org, twin), NavigateOptions::default()));
    });
    // Rotation copies memberships, so it waits until every project was read.
    let rotation_ready =
        move || gathered.with(|g| g.done == g.total && g.failed.is_empty()) && org_role.with(Option::is_some);
    // `?rotate=1` (the Review page's Rotate) opens the rotation once it can start.
    let query = leptos_router::hooks::use_query_map();
    let asked_to_rotate = query.with_untracked(|q| q.get("rotate").as_deref() == Some("1"));
    let auto_opened = StoredValue::new(false);
    Effect::new(move |_| {
        if asked_to_rotate && !auto_opened.get_value() && rotation_ready() && account.with(|a| matches!(a, Some(Ok(_))))
        {
            auto_opened.set_value(true);
            rotating.set(true);
        }
    });
    let held = move || gathered.with_untracked(|g| g.found.iter().filter_map(Membership::held).collect::<Vec<_>>());

    let confirm = Callback::new(move |_| {
        let (Some(client), Some(Ok(a))) = (session.client(), account.get_untracked()) else { return };
        deleting.set(true);
        let own = client.username() == a.username;
        tasks.replace("delete", move |signal| async move {
            let on_each = delete_progress(session, progress);
            let report = delete_accounts(&client, org, vec![(a.id, a.username.clone())], Some(&signal), &on_each).await;
            if own && report.failed.is_empty() {
                session.sign_out(SignOutReason::DeletedSelf);
                return;
            }
            deleting.set(false);
            confirming.set(false);
            match report.failed.first() {
                None => navigate.with_value(|n| n(&accounts_href(org), NavigateOptions::default())),
                Some((_, _, why)) => delete_error.set(Some(format!("The account was not deleted: {why}"))),
            }
        });
    });

    let memberships = move || {
        let g = gathered.get();
        let status = if g.done < g.total {
            format!("Checking projects: {} of {}{}…", g.done, g.total, at_once(lanes.get()))
        } else {
            format!("Checked all {} projects.", g.total)
        };
        view! {
            <p class="progress" role="status">{status}</p>
            {(!g.failed.is_empty()).then(|| view! {
                <div class="alert-error" role="alert">
                    <p>"Some projects could not be read; memberships there are unknown:"</p>
                    <ul>{g.failed.iter().map(|(p, why)| view! { <li>{p.clone()}": "{why.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            {if g.found.is_empty() && g.done == g.total {
                view! { <p class="empty-state">"No project memberships."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table memberships">
                        <thead><tr><th scope="col">"Project"</th><th scope="col">"Role"</th><th scope="col">"Access"</th></tr></thead>
                        <tbody>{g.found.iter().map(|m| view! {
                            <tr>
                                <td>{m.project.clone()}</td>
                                <td>{m.role.clone()}</td>
                                <td>{match m.access {
                                    Access::Direct => "Direct",
                                    Access::Team => "Through a team (change it on the team)",
                                    Access::Organization => "Through the organization role",
                                }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        }
    };

    view! {
        <p><a href=accounts_href(org)>"← All service accounts"</a></p>
        {move || match account.get() {
            None => view! { <p class="loading" role="status">{move || match waiting.get() {
                Some(s) => format!("Mixpanel is limiting the request rate; asking again in {s} s…"),
                None => "Loading the service account…".to_string(),
            }}</p> }.into_any(),
            Some(Err(e)) => view! { <div class="alert-error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
            Some(Ok(a)) => {
                let status = status_of(&a, Utc::now());
                let username = a.username.clone();
                view! {
                    <section class="detail" aria-labelledby="detail-heading">
                        <div class="page-head">
                            <h1 id="detail-heading"><code>{a.username.clone()}</code></h1>
                            <StatusBadge status=status/>
                        </div>
                        <p class="muted">{status.explanation()}</p>
                        {session.expiry_note(a.id).map(|w| view! { <div class="alert-error" role="alert"><p>{w}</p></div> })}
                        <dl class="identity">
                            <dt>"ID"</dt><dd>{a.id}</dd>
                            <dt>"Username"</dt><dd>{a.username.clone()}</dd>
                            {time_row("Created", a.created, "unknown")}
                            {time_row("Last used", a.last_used, "Never")}
                            {time_row("Expires", a.expires, "Never")}
                            <dt>"Organization role"</dt>
                            <dd>{move || match org_role.get() {
                                None => "…".to_string(),
                                Some(Some(role)) => crate::domain::role::role_label(&role),
                                Some(None) => "not reported by the API".to_string(),
                            }}</dd>
                            <dt>"Creator"</dt><dd>{a.creator_label().unwrap_or_else(|| "unknown".into())}</dd>
                        </dl>
                        <div class="toolbar-actions">
                            <button type="button" class="button-secondary" on:click=move |_| granting.set(true)>"Add to projects"</button>
                            <button type="button" class="button-secondary" disabled=move || !rotation_ready() title=move || (!rotation_ready()).then_some("Rotation waits until every project's memberships are read") on:click=move |_| rotating.set(true)>"Rotate"</button>
                            <button type="button" class="button-danger" on:click=move |_| { delete_error.set(None); confirming.set(true) }>"Delete"</button>
                        </div>
                        {move || delete_error.get().map(|e| view! { <div class="alert-error" role="alert"><p>{e}</p></div> })}
                        <h2>"Project memberships"</h2>
                        {memberships}
                        {
                            let target = vec![(a.id, a.username.clone())];
                            move || granting.get().then(|| view! {
                                <MembershipDialog org=org direction=Direction::Add accounts=target.clone()
                                    on_close=Callback::new(move |_| granting.set(false))
                                    on_changed=Callback::new(move |applied: Option<Applied>| match applied {
                                        // The dialog re-read the projects it touched: use those listings.
                                        Some(applied) => gathered.update(|g| {
                                            for (project, members) in applied.listings {
                                                let name = project_names.with_value(|n| n.name(project));
                                                g.take_listing(project, &name, members, id);
                                            }
                                        }),
                                        None => reload_members.update(|n| *n += 1),
                                    })/>
                            })
                        }
                        {move || rotating.get().then(|| view! {
                            <RotateDialog org=org old=a.clone() held=held() listed_org_role=org_role.get_untracked().flatten() on_close=Callback::new(move |_| rotating.set(false)) on_finished=on_rotated/>
                        })}
                        <Show when=move || confirming.get()>
                            <DeleteDialog
                                usernames=vec![username.clone()]
                                includes_self=session.client().is_some_and(|c| c.username() == username)
                                on_confirm=confirm
                                on_close=Callback::new(move |_| {
                                    if stop_waiting(tasks, deleting, progress) {
                                        delete_error.set(Some(STOPPED_WAITING.to_string()));
                                    }
                                    confirming.set(false);
                                })
                                pending=deleting
                                progress=progress
                            />
                        </Show>
                    </section>
                }.into_any()
            }
        }}
    }
}
