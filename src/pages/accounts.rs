//! Route `/accounts`: every service account of the organisation, with
//! search, status filter and sort in the URL, selection, bulk delete, CSV.

use crate::api::{accounts, ApiError};
use crate::components::accounts_table::{AccountsTable, StatusCounts};
use crate::components::choose_org::ChooseOrg;
use crate::components::delete_dialog::{delete_progress, stop_waiting, DeleteDialog, STOPPED_WAITING};
use crate::components::download::download_text;
use crate::components::membership_dialog::{Direction, MembershipDialog};
use crate::domain::account::Account;
use crate::domain::calendar::expiry_calendar;
use crate::domain::csv_export::accounts_csv;
use crate::domain::delete::deleted_self;
use crate::domain::delete::DeleteReport;
use crate::domain::role::role_label;
use crate::domain::status::Status;
use crate::domain::text::{count_of, thousands};
use crate::domain::view::{filtered_indexes, org_role_counts, sorted_indexes, Column, Rows, ViewQuery};
use crate::perf::{mark, mark_after_paint};
use crate::routing::{new_account_href, use_org, with_query};
use crate::session::{Session, SignOutReason};
use crate::tasks::Tasks;
use crate::workflows::delete::delete_accounts;
use crate::workflows::membership::Applied;
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    /// A 429: asking again after this many seconds.
    Waiting(u32),
    Ready,
    Failed(ApiError),
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let org = use_org();
    move || match org.get() {
        Some(org) => view! { <OrgAccounts org=org/> }.into_any(),
        None => view! { <ChooseOrg title="Service accounts" purpose="see its service accounts"/> }.into_any(),
    }
}

#[component]
fn OrgAccounts(org: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let query = Memo::new(move |_| query_map.with(|q| ViewQuery::from_params(|k| q.get(k))));
    let rows = RwSignal::new(Rows::default());
    let phase = RwSignal::new(Phase::Loading);
    let selected = RwSignal::new(HashSet::<u64>::new());
    let report = RwSignal::new(None::<DeleteReport>);
    let confirming = RwSignal::new(false);
    let membership = RwSignal::new(None::<Direction>);
    let deleting = RwSignal::new(false);
    let progress = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0u32);
    let export_error = RwSignal::new(None::<String>);
    let now = Utc::now();
    let can_manage = session.me().and_then(|m| m.organization(org).map(|o| o.can_manage())).unwrap_or(false);

    // Sorting depends on the sort alone, so a keystroke never re-sorts.
    let sort_key = Memo::new(move |_| query.with(|q| (q.sort, q.direction)));
    let sorted = Memo::new(move |_| {
        let (column, direction) = sort_key.get();
        rows.with(|r| sorted_indexes(r, column, direction))
    });
    let visible = Memo::new(move |_| {
        query.with(|q| {
            sorted.with(|s| rows.with(|r| filtered_indexes(r, s, &q.search, q.status, q.org_role.as_deref())))
        })
    });
    let role_counts = Memo::new(move |_| rows.with(org_role_counts));

    let unreadable = RwSignal::new(Vec::<Account>::new());
    let thresholds = use_context::<RwSignal<crate::config::RuntimeConfig>>()
        .map(|c| c.with_untracked(|c| c.policy().thresholds()))
        .unwrap_or_default();
    let stopped = RwSignal::new(false);
    let tasks = Tasks::new();
    Effect::new(move |_| {
        reload.track();
        let Some(client) = session.client() else { return };
        phase.set(Phase::Loading);
        tasks.replace("load", move |signal| async move {
            let on_wait = |seconds| phase.set(Phase::Waiting(seconds));
            match accounts::list(&client, org, Some(&signal), &on_wait).await {
                Ok(mut list) => {
                    mark("accounts-response");
                    unreadable.set(Account::take_unusable(&mut list));
                    rows.set(Rows::with_thresholds(list, Utc::now(), thresholds));
                    phase.set(Phase::Ready);
                    mark_after_paint("accounts-painted");
                }
                Err(e) => {
                    session.note_error(&e);
                    phase.set(Phase::Failed(e));
                }
            }
        });
    });

    let go_new = StoredValue::new(navigate.clone());
    let set_query = move |q: ViewQuery| {
        let mut pairs = vec![("org", org.to_string())];
        pairs.extend(q.to_params());
        navigate(
            &with_query("/accounts", &pairs),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    let set_query = StoredValue::new(set_query);
    let on_sort = Callback::new(move |column: Column| {
        let next = query.with_untracked(|q| q.sorted_by(column));
        set_query.with_value(|f| f(next));
    });
    let on_status = Callback::new(move |status: Option<Status>| {
        let next = ViewQuery { status, ..query.get_untracked() };
        set_query.with_value(|f| f(next));
    });
    let on_role = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let next = ViewQuery { org_role: (!value.is_empty()).then_some(value), ..query.get_untracked() };
        set_query.with_value(|f| f(next));
    };
    let on_search = move |ev: leptos::ev::Event| {
        let next = ViewQuery { search: event_target_value(&ev), ..query.get_untracked() };
        set_query.with_value(|f| f(next));
    };

    let export = move |_| {
        let text = rows.with_untracked(|r| visible.with_untracked(|v| accounts_csv(r, v)));
        let name = format!("service-accounts-org-{org}-{}.csv", crate::domain::time_format::compact(Utc::now(), '-'));
        export_error.set(download_text(&name, "text/csv;charset=utf-8", &text).err());
    };

    // The filtered view's expiries as an iCalendar file.
    let export_calendar = move |_| {
        let org_name = session.me().and_then(|m| m.organization(org).map(|o| o.name.clone())).unwrap_or_default();
        let text = rows.with_untracked(|r| {
            visible.with_untracked(|v| {
                let shown: Vec<&Account> = v.iter().map(|&i| &r.accounts[i]).collect();
                expiry_calendar(&shown, org, &org_name, Utc::now())
            })
        });
        let name = format!("service-account-expiries-org-{org}.ics");
        export_error.set(download_text(&name, "text/calendar;charset=utf-8", &text).err());
    };

    let targets = move || {
        rows.with(|r| {
            selected.with(|s| {
                r.accounts.iter().filter(|a| s.contains(&a.id)).map(|a| (a.id, a.username.clone())).collect::<Vec<_>>()
            })
        })
    };
    let targets_untracked = move || untrack(targets);
    let confirm = Callback::new(move |_| {
        let Some(client) = session.client() else { return };
        stopped.set(false);
        let chosen = targets();
        let own = chosen.iter().find(|(_, u)| *u == client.username()).map(|(id, _)| *id);
        deleting.set(true);
        tasks.replace("delete", move |signal| async move {
            let on_each = delete_progress(session, progress);
            let result = delete_accounts(&client, org, chosen, Some(&signal), &on_each).await;
            if deleted_self(&result, own) {
                // The credential is gone with the account: end the session, saying what happened.
                let mut notice = format!(
                    "You deleted the service account you were signed in with ({}), so the console signed out. {}",
                    client.username(),
                    result.summary()
                );
                for (_, user, why) in &result.failed {
                    notice.push_str(&format!(" {user}: {why}."));
                }
                session.sign_out_with(SignOutReason::DeletedSelf, notice);
                return;
            }
            let gone: HashSet<u64> = result.deleted.iter().copied().collect();
            rows.update(|r| *r = r.without(&gone));
            selected.update(|s| s.retain(|id| !gone.contains(id)));
            deleting.set(false);
            confirming.set(false);
            progress.set(None);
            report.set(Some(result));
        });
    });

    view! {
        <section class="accounts-page" aria-labelledby="accounts-heading">
            <div class="page-head">
                <h1 id="accounts-heading">"Service accounts"</h1>
                <p class="count" aria-live="polite">{move || match phase.get() {
                    // Never "0 service accounts" for a list not yet seen.
                    Phase::Ready => count_of(visible.with(Vec::len), "service account"),
                    Phase::Loading | Phase::Waiting(_) => "Loading…".to_string(),
                    Phase::Failed(_) => "Not loaded".to_string(),
                }}</p>
            </div>
            <StatusCounts rows=rows loaded=Signal::derive(move || phase.get() == Phase::Ready)
                active=Signal::derive(move || query.with(|q| q.status)) on_pick=on_status/>
            <div class="toolbar">
                <div class="field inline">
                    <label for="search">"Search"</label>
                    <input id="search" type="search" prop:value=move || query.with(|q| q.search.clone()) placeholder="Username or creator" on:input=on_search autocomplete="off" spellcheck="false"/>
                </div>
                <div class="field inline">
                    <label for="status-filter">"Status"</label>
                    <select id="status-filter" on:change=move |ev| on_status.run(Status::from_key(&event_target_value(&ev)))>
                        <option value="" selected=move || query.with(|q| q.status.is_none())>"All"</option>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || query.with(|q| q.status == Some(s))>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field inline">
                    <label for="org-role-filter">"Organization role"</label>
                    <select id="org-role-filter" on:change=on_role>
                        <option value="" selected=move || query.with(|q| q.org_role.is_none())>"All"</option>
                        // Every role the list holds, unknown (custom) ones as written.
                        {move || role_counts.get().into_iter().map(|(role, n)| {
                            let value = role.clone();
                            let selected = move || query.with(|q| q.org_role.as_deref() == Some(value.as_str()));
                            view! { <option value=role.clone() selected=selected>{format!("{} ({})", role_label(&role), thousands(n))}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="toolbar-actions">
                    <span class="selection-count">{move || selected.with(|s| if s.is_empty() { String::new() } else { format!("{} selected", s.len()) })}</span>
                    <button type="button" class="button-primary" disabled=!can_manage title=(!can_manage).then_some("Only organization admins and owners can create service accounts") on:click=move |_| go_new.with_value(|n| n(&new_account_href(org), NavigateOptions::default()))>"New service account"</button>
                    <button type="button" class="button-secondary" disabled=move || selected.with(HashSet::is_empty) on:click=move |_| membership.set(Some(Direction::Add))>"Add to projects"</button>
                    <button type="button" class="button-secondary" disabled=move || selected.with(HashSet::is_empty) on:click=move |_| membership.set(Some(Direction::Remove))>"Remove from projects"</button>
                    <button type="button" class="button-danger" disabled=move || selected.with(HashSet::is_empty) on:click=move |_| { report.set(None); confirming.set(true) }>"Delete selected"</button>
                    <button type="button" class="button-secondary" disabled=move || phase.get() != Phase::Ready on:click=export>"Export CSV"</button>
                    <button type="button" class="button-secondary" disabled=move || phase.get() != Phase::Ready on:click=export_calendar>"Export expiry calendar"</button>
                </div>
            </div>
            {move || export_error.get().map(|e| view! {
                <div class="alert-error" role="alert"><p>{format!("The file could not be saved: {e}. Nothing was changed.")}</p></div>
            })}
            {move || report.get().map(|r| view! { <DeleteSummary report=r on_dismiss=Callback::new(move |_| report.set(None))/> })}
            {move || stopped.get().then(|| view! { <div class="alert-error" role="alert"><p>{STOPPED_WAITING}</p></div> })}
            {move || unreadable.with(|bad| (!bad.is_empty()).then(|| view! {
                <div class="warning" role="note">
                    <p>{format!("{} of the listing could not be read and {} not shown (no usable id or username):", count_of(bad.len(), "row"), if bad.len() == 1 { "is" } else { "are" })}</p>
                    <ul>{bad.iter().map(|a| view! { <li>{a.problems.join("; ")}</li> }).collect_view()}</ul>
                </div>
            }))}
            {move || match phase.get() {
                Phase::Loading => view! { <p class="loading" role="status">"Loading service accounts…"</p> }.into_any(),
                Phase::Waiting(seconds) => view! {
                    <p class="loading" role="status">{format!("Mixpanel is limiting the request rate; asking again in {seconds} s…")}</p>
                }.into_any(),
                Phase::Failed(e) => view! {
                    <div class="alert-error" role="alert">
                        <p>{e.to_string()}</p>
                        <button type="button" class="button-secondary" on:click=move |_| reload.update(|n| *n += 1)>"Try again"</button>
                    </div>
                }.into_any(),
                Phase::Ready if rows.with(Rows::is_empty) => view! {
                    <p class="empty-state">"This organization has no service accounts yet."</p>
                }.into_any(),
                Phase::Ready => view! {
                    <AccountsTable rows=rows visible=visible query=query on_sort=on_sort selected=selected org=org now=now/>
                    <Show when=move || visible.with(Vec::is_empty)>
                        <p class="empty-state">"No service account matches this search and filter."</p>
                    </Show>
                }.into_any(),
            }}
            {move || membership.get().map(|direction| view! {
                <MembershipDialog org=org direction=direction accounts=targets_untracked()
                    on_close=Callback::new(move |_| membership.set(None))
                    on_changed=Callback::new(|_: Option<Applied>| ())/>
            })}
            <Show when=move || confirming.get()>
                {move || {
                    let chosen = targets();
                    let me = session.client().map(|c| c.username().to_string()).unwrap_or_default();
                    let includes_self = chosen.iter().any(|(_, u)| *u == me);
                    view! {
                        <DeleteDialog
                            usernames=chosen.into_iter().map(|(_, u)| u).collect()
                            includes_self=includes_self
                            on_confirm=confirm
                            on_close=Callback::new(move |_| {
                                // Stop waiting (a hung DELETE), then show what the server holds.
                                if stop_waiting(tasks, deleting, progress) {
                                    stopped.set(true);
                                    reload.update(|n| *n += 1);
                                }
                                confirming.set(false);
                            })
                            pending=deleting
                            progress=progress
                        />
                    }
                }}
            </Show>
        </section>
    }
}

/// What a delete did: a status for the successes, an alert naming each failure.
#[component]
fn DeleteSummary(report: DeleteReport, on_dismiss: Callback<()>) -> impl IntoView {
    let failed = !report.failed.is_empty();
    let summary = report.summary();
    view! {
        <div class=if failed { "alert-error" } else { "alert-ok" } role=if failed { "alert" } else { "status" }>
            <p>{summary}</p>
            {failed.then(|| view! {
                <ul>{report.failed.iter().map(|(_, user, why)| view! { <li><code>{user.clone()}</code>": "{why.clone()}</li> }).collect_view()}</ul>
            })}
            <button type="button" class="button-secondary" on:click=move |_| on_dismiss.run(())>"Dismiss"</button>
        </div>
    }
}
