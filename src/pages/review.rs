//! Route `/review`: where an organisation keeps its service accounts healthy.
//! One section per finding (pure functions over the list and the policy,
//! computed once per list), each with its accounts, the fact that put them
//! there, and its fix; plus the expiry calendar.

use crate::api::{accounts, ApiError};
use crate::components::choose_org::ChooseOrg;
use crate::components::delete_dialog::{delete_progress, stop_waiting, DeleteDialog, STOPPED_WAITING};
use crate::components::download::download_text;
use crate::components::snapshot_panel::SnapshotPanel;
use crate::config::RuntimeConfig;
use crate::domain::account::Account;
use crate::domain::calendar::expiry_calendar;
use crate::domain::findings::{findings, listed_rows, Finding, Flagged, LISTED};
use crate::domain::text::count_of;
use crate::perf::{mark, mark_after_paint};
use crate::routing::{account_href, use_org};
use crate::session::Session;
use crate::tasks::Tasks;
use crate::workflows::delete::delete_accounts;
use chrono::Utc;
use leptos::prelude::*;

/// A listed account's height in px: a line, or a line with a Rotate button
/// (style/review.css, base.css).
const ROW_PX: usize = 24;
const ROW_WITH_BUTTON_PX: usize = 40;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let org = use_org();
    move || match org.get() {
        Some(org) => view! { <OrgReview org=org/> }.into_any(),
        None => view! { <ChooseOrg title="Review" purpose="review its service accounts"/> }.into_any(),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Waiting(u32),
    Ready,
    Failed(ApiError),
}

#[component]
fn OrgReview(org: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    let policy = use_context::<RwSignal<RuntimeConfig>>()
        .map(|c| c.with_untracked(RuntimeConfig::policy))
        .unwrap_or_else(crate::domain::policy::Policy::none);
    let policy = StoredValue::new(policy);
    let list = RwSignal::new(Vec::<Account>::new());
    let load = RwSignal::new(Load::Loading);
    let reload = RwSignal::new(0u32);
    let tasks = Tasks::new();
    mark("review-start");
    Effect::new(move |_| {
        reload.track();
        let Some(client) = session.client() else { return };
        load.set(Load::Loading);
        tasks.replace("load", move |signal| async move {
            let on_wait = |s| load.set(Load::Waiting(s));
            match accounts::list(&client, org, Some(&signal), &on_wait).await {
                Ok(found) => {
                    mark("review-response");
                    list.set(found.into_iter().filter(Account::is_usable).collect());
                    load.set(Load::Ready);
                    mark_after_paint("review-painted");
                }
                Err(e) => {
                    session.note_error(&e);
                    load.set(Load::Failed(e));
                }
            }
        });
    });
    let found = Memo::new(move |_| list.with(|l| policy.with_value(|p| findings(l, p, Utc::now()))));

    // The delete fix: exactly the accounts of one finding.
    let deleting = RwSignal::new(None::<Vec<(u64, String)>>);
    let pending = RwSignal::new(false);
    let progress = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let confirm = Callback::new(move |_| {
        let (Some(client), Some(targets)) = (session.client(), deleting.get_untracked()) else { return };
        pending.set(true);
        tasks.replace("delete", move |signal| async move {
            let on_each = delete_progress(session, progress);
            let report = delete_accounts(&client, org, targets, Some(&signal), &on_each).await;
            let mut text = report.summary();
            for (_, user, why) in &report.failed {
                text.push_str(&format!(" {user}: {why}."));
            }
            pending.set(false);
            progress.set(None);
            deleting.set(None);
            outcome.set(Some(text));
            reload.update(|n| *n += 1);
        });
    });
    let on_close = Callback::new(move |_| {
        if stop_waiting(tasks, pending, progress) {
            outcome.set(Some(STOPPED_WAITING.to_string()));
            reload.update(|n| *n += 1);
        }
        deleting.set(None);
    });

    let navigate = StoredValue::new(leptos_router::hooks::use_navigate());
    let export_error = RwSignal::new(None::<String>);
    let export_calendar = move |_| {
        let org_name = session.me().and_then(|m| m.organization(org).map(|o| o.name.clone())).unwrap_or_default();
        let text = list.with_untracked(|l| expiry_calendar(&l.iter().collect::<Vec<_>>(), org, &org_name, Utc::now()));
        let name = format!("service-account-expiries-org-{org}.ics");
        export_error.set(download_text(&name, "text/calendar;charset=utf-8", &text).err());
    };

    let section = move |finding: Finding, flagged: &[Flagged]| {
        let heading_id = format!("review-{}", finding.key());
        let labelled_by = heading_id.clone();
        let fix = match finding {
            Finding::Expired => Some("Delete expired"),
            Finding::NeverUsed => Some("Delete never used"),
            _ => None,
        };
        // Only the sections with a delete fix need every account's name.
        let targets: Vec<(u64, String)> = match fix {
            Some(_) => {
                list.with_untracked(|l| flagged.iter().map(|f| (l[f.index].id, l[f.index].username.clone())).collect())
            }
            None => Vec::new(),
        };
        let hidden = flagged.len().saturating_sub(LISTED);
        let rotates = matches!(finding, Finding::NoExpiry | Finding::OverMaxLifetime | Finding::ElevatedOrgRole);
        let row_px = if rotates { ROW_WITH_BUTTON_PX } else { ROW_PX };
        let list_height = format!("auto {}px", listed_rows(flagged.len()) * row_px);
        let items = list.with_untracked(|l| {
            flagged
                .iter()
                .take(LISTED)
                .map(|f| {
                    let a = &l[f.index];
                    // Where rotation is the fix, it starts from here, compliant with the policy.
                    let rotate = rotates.then(|| {
                        let label = format!("Rotate {}", a.username);
                        let href = format!("/accounts/{}?org={org}&rotate=1", a.id);
                        view! {
                            " "
                            <button type="button" class="button-secondary button-small" aria-label=label
                                on:click=move |_| navigate.with_value(|n| n(&href, Default::default()))>"Rotate"</button>
                        }
                    });
                    view! {
                        <li><a href=account_href(org, a.id)><code>{a.username.clone()}</code></a>": "{policy.with_value(|p| f.fact.text(a, p))}{rotate}</li>
                    }
                })
                .collect_view()
        });
        view! {
            <section class="review-section" aria-labelledby=labelled_by>
                <h2 id=heading_id>{finding.heading()}</h2>
                {if flagged.is_empty() {
                    view! { <p class="muted">{format!("None: no account is {}.", finding.heading().to_lowercase())}</p> }.into_any()
                } else {
                    view! {
                        <p>{format!("{}. {}", count_of(flagged.len(), "account"), finding.advice())}</p>
                        {fix.map(|label| {
                            let targets = targets.clone();
                            view! {
                                <button type="button" class="button-danger" on:click=move |_| {
                                    outcome.set(None);
                                    deleting.set(Some(targets.clone()));
                                }>{label}</button>
                            }
                        })}
                        // Its height while off screen, where it is not laid
                        // out (content-visibility, style/review.css).
                        <ul class="review-list" style:contain-intrinsic-block-size=list_height>{items}</ul>
                        {(hidden > 0).then(|| view! { <p class="muted">{format!("and {hidden} more")}</p> })}
                    }.into_any()
                }}
            </section>
        }
    };

    view! {
        <section class="review-page" aria-labelledby="review-heading">
            <div class="page-head">
                <h1 id="review-heading">"Review"</h1>
                <button type="button" class="button-secondary" disabled=move || load.get() != Load::Ready on:click=export_calendar>"Export expiry calendar"</button>
            </div>
            <p class="muted">"What needs attention in this organization's service accounts, by your organization's policy (config.json) and the console's defaults."</p>
            {move || export_error.get().map(|e| view! { <div class="alert-error" role="alert"><p>{format!("The calendar could not be saved: {e}")}</p></div> })}
            <SnapshotPanel org=org/>
            {move || outcome.get().map(|text| view! { <div class="alert-ok" role="status"><p>{text}</p></div> })}
            {move || match load.get() {
                Load::Loading => view! { <p class="loading" role="status">"Loading service accounts…"</p> }.into_any(),
                Load::Waiting(s) => view! { <p class="loading" role="status">{format!("Mixpanel is limiting the request rate; asking again in {s} s…")}</p> }.into_any(),
                Load::Failed(e) => view! {
                    <div class="alert-error" role="alert">
                        <p>{e.to_string()}</p>
                        <button type="button" class="button-secondary" on:click=move |_| reload.update(|n| *n += 1)>"Try again"</button>
                    </div>
                }.into_any(),
                Load::Ready => found.with(|all| all.iter().map(|(f, flagged)| section(*f, flagged)).collect_view()).into_any(),
            }}
            {move || deleting.get().map(|targets| view! {
                <DeleteDialog
                    usernames=targets.into_iter().map(|(_, u)| u).collect()
                    on_confirm=confirm
                    on_close=on_close
                    pending=pending
                    progress=progress
                />
            })}
        </section>
    }
}
