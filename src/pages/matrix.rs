//! Route `/matrix`: accounts × projects with each role. Loads one listing per
//! project (at most 6 at once, 429s waited out), renders only the rows and
//! columns in view, and edits a cell with one request plus a re-read.

use crate::api::projects::{self, Member};
use crate::api::{accounts, ApiError};
use crate::components::choose_org::ChooseOrg;
use crate::domain::matrix::{cell_change, matching, sorted_by_name, Column, Matrix, SortedNames};
use crate::domain::membership::failed_change_note;
use crate::domain::parallel::at_once;
use crate::domain::text::{count_of, thousands};
use crate::pages::matrix_table::{CellEdit, MatrixTable};
use crate::perf::{mark, mark_after_paint};
use crate::routing::{use_org, use_project_names};
use crate::session::Session;
use crate::tasks::{sleep, Tasks};
use crate::workflows::fan_out::{members_of_all, Progress};
use crate::workflows::membership::apply_and_verify;
use leptos::prelude::*;
use leptos_use::use_timeout_fn;
use std::collections::HashSet;
use std::time::Duration;

/// Answers are applied in batches: one render per batch, not per project.
const FLUSH_EVERY: Duration = Duration::from_millis(150);
/// The longest the rows wait for the columns in view to answer.
const ROWS_HOLD: Duration = Duration::from_millis(100);

#[component]
pub fn MatrixPage() -> impl IntoView {
    let org = use_org();
    move || match org.get() {
        Some(org) => view! { <OrgMatrix org=org/> }.into_any(),
        None => view! { <ChooseOrg title="Access matrix" purpose="see who can reach which project"/> }.into_any(),
    }
}

/// A listing as matrix cells: every member, custom roles and team access included.
fn set_members(m: &mut Matrix, project: u64, list: &[Member]) {
    m.set_members(project, list.iter().map(|x| (x.id, x.role.known(), x.role.as_str(), x.access())));
}

/// Lets queued tasks (arrived answers, rendering) run before going on.
async fn yield_to_browser() {
    sleep(Duration::ZERO).await;
}

#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Ok(String),
    Problem(String),
}

#[component]
fn OrgMatrix(org: u64) -> impl IntoView {
    let session = expect_context::<Session>();
    mark("matrix-start");
    let project_names = use_project_names(org);
    let matrix = RwSignal::new(Matrix::new(Vec::new(), project_names.with_value(|n| n.list().to_vec())));
    let accounts_state = RwSignal::new(None::<Result<(), ApiError>>);
    // Requests in flight while loading (the fan-out says; 429s lower it).
    let lanes = RwSignal::new(0usize);
    let row_filter = RwSignal::new(String::new());
    let col_filter = RwSignal::new(String::new());
    let busy = RwSignal::new(HashSet::<(u64, u64)>::new());
    let notice = RwSignal::new(None::<Notice>);
    // Bumped to redraw selects the server did not follow (refusals).
    let redraw = RwSignal::new(0u32);
    let tasks = Tasks::new();
    let buffer = StoredValue::new_local(Vec::<(u64, Result<Vec<Member>, ApiError>)>::new());
    let flush_scheduled = StoredValue::new(false);

    let flush = move |_: ()| {
        flush_scheduled.set_value(false);
        let batch = buffer.try_update_value(std::mem::take).unwrap_or_default();
        if batch.is_empty() {
            return;
        }
        matrix.update(|m| {
            for (project, result) in batch {
                match result {
                    Ok(list) => set_members(m, project, &list),
                    Err(e) => m.set_column(project, Column::Failed(e.to_string())),
                }
            }
        });
    };
    // Cleared with the page: a flush never runs after it is gone.
    let flush_later = StoredValue::new(use_timeout_fn(flush, FLUSH_EVERY.as_millis() as f64).start);
    // How many of the first columns are in view before any scrolling (the
    // table says once it is measured); they are the first projects asked.
    let first_columns = StoredValue::new(0usize);
    // The sorted rows, while they wait for those columns' answers.
    let rows_held = StoredValue::new_local(None::<SortedNames>);
    let first_columns_answered = move || {
        let count = first_columns.get_value();
        matrix.with_untracked(|m| {
            m.projects.iter().take(count).all(|(project, _)| {
                buffer.with_value(|b| b.iter().any(|(p, _)| p == project))
                    || !matches!(m.column(*project), Column::Loading | Column::Waiting(_))
            })
        })
    };
    // Draws the rows held, with every answer that came in meanwhile.
    let draw_rows = move || {
        if let Some(sorted) = rows_held.try_update_value(Option::take).flatten() {
            matrix.update(|m| m.set_accounts(sorted));
            flush(());
            accounts_state.set(Some(Ok(())));
        }
    };
    let receive = move |project: u64, result: Result<Vec<Member>, ApiError>| {
        if let Err(e) = &result {
            session.note_error(e);
        }
        buffer.update_value(|b| b.push((project, result)));
        let outstanding = matrix.with_untracked(|m| {
            let (done, failed, total) = m.progress();
            total - done - failed
        });
        if rows_held.with_value(Option::is_some) && first_columns_answered() {
            draw_rows();
            return;
        }
        // The last answers are drawn at once: waiting would only delay "loaded".
        if buffer.with_value(Vec::len) >= outstanding {
            flush(());
        } else if !flush_scheduled.get_value() {
            flush_scheduled.set_value(true);
            flush_later.with_value(|start| start(()));
        }
    };

    let load_projects = move |ids: Vec<u64>| {
        let Some(client) = session.client() else { return };
        matrix.update(|m| ids.iter().for_each(|p| m.set_column(*p, Column::Loading)));
        tasks.spawn(move |signal| async move {
            members_of_all(&client, ids, Some(&signal), |progress| match progress {
                Progress::Lanes(n) => lanes.set(n),
                Progress::Waiting { project, seconds } => {
                    matrix.update(|m| m.set_column(project, Column::Waiting(seconds)))
                }
                Progress::Done { project, result } => receive(project, result),
            })
            .await;
        });
    };

    let accounts_wait = RwSignal::new(None::<u32>);
    if let Some(client) = session.client() {
        tasks.spawn(move |signal| async move {
            let on_wait = |seconds| accounts_wait.set(Some(seconds));
            let result = accounts::names(&client, org, Some(&signal), &on_wait).await;
            // For the benchmark: the list answered and decoded (its last
            // byte is in Resource Timing).
            mark("matrix-accounts-decoded");
            accounts_wait.set(None);
            match result {
                Ok(list) => {
                    // Decoding 10,000 names, sorting them and drawing the first
                    // rows in one go would hold the project answers that land
                    // meanwhile; a task boundary between the steps lets them
                    // through.
                    yield_to_browser().await;
                    let sorted = sorted_by_name(list.into_iter().map(|a| (a.id, a.username)).collect());
                    yield_to_browser().await;
                    // The rows are drawn once the columns in view have
                    // answered (they are the first asked, and usually have),
                    // or after ROWS_HOLD at most, with every listing that
                    // came in meanwhile: drawn before them, the 160-odd
                    // selects in view were styled twice and Chrome's autofill
                    // read them twice.
                    rows_held.set_value(Some(sorted));
                    if !first_columns_answered() {
                        sleep(ROWS_HOLD).await;
                    }
                    draw_rows();
                }
                Err(e) => {
                    session.note_error(&e);
                    accounts_state.set(Some(Err(e)));
                }
            }
        });
        load_projects(project_names.with_value(|n| n.ids()));
    }

    let loaded = Memo::new(move |_| {
        let (done, failed, total) = matrix.with(Matrix::progress);
        accounts_state.with(|a| a.is_some()) && done + failed == total
    });
    Effect::new(move |_| {
        if loaded.get() {
            mark_after_paint("matrix-loaded");
        }
    });

    let rows = Memo::new(move |_| row_filter.with(|q| matrix.with(|m| matching(&m.accounts, q))));
    let cols = Memo::new(move |_| col_filter.with(|q| matrix.with(|m| matching(&m.projects, q))));

    let change_cell = move |edit: CellEdit| {
        let CellEdit { account, username, project, project_name, to } = edit;
        let current = matrix.with_untracked(|m| m.cell(account, project));
        let Some(change) = cell_change(account, project, current, to) else { return };
        let shown = matrix.with_untracked(|m| m.shown(account, project));
        if shown.custom() {
            let custom = matrix.with_untracked(|m| m.text(shown));
            let wanted = to.map_or("no direct role", |r| r.key());
            let question = format!("{username} has the role “{custom}” in {project_name}, which this console cannot set again. Replace it with {wanted}?");
            if !window().confirm_with_message(&question).unwrap_or(false) {
                redraw.update(|n| *n += 1);
                return;
            }
        } else if let Some(role) = to.filter(|r| r.is_elevated()) {
            let question = format!("Make {username} {} in {project_name}? Admins and owners can manage the project's members and settings.", role.key());
            if !window().confirm_with_message(&question).unwrap_or(false) {
                redraw.update(|n| *n += 1);
                return;
            }
        }
        let Some(client) = session.client() else { return };
        busy.update(|b| {
            b.insert((account, project));
        });
        notice.set(None);
        tasks.spawn(move |signal| async move {
            let result = apply_and_verify(&client, org, &change, Some(&signal)).await;
            if let Err(e) = &result {
                session.note_error(e);
            }
            let wanted = to.map_or("no direct role".to_string(), |r| r.key().to_string());
            match result {
                Ok(applied) => {
                    matrix.update(|m| {
                        for (p, list) in &applied.listings {
                            set_members(m, *p, list);
                        }
                    });
                    notice.set(Some(if applied.mismatches.is_empty() && applied.unchecked.is_empty() {
                        Notice::Ok(format!(
                            "{username} now has {wanted} in {project_name} (checked by re-reading the project)."
                        ))
                    } else if applied.mismatches.is_empty() {
                        Notice::Problem(format!(
                            "The change was accepted, but {project_name} could not be re-read to check it."
                        ))
                    } else {
                        Notice::Problem(format!(
                            "The change was accepted, but {project_name} still lists {username} with {}, not {wanted}.",
                            applied.mismatches[0].found.map_or("no direct role", |r| r.key())
                        ))
                    }));
                }
                Err(e) => {
                    notice.set(Some(Notice::Problem(format!(
                        "Changing {username} in {project_name} failed: {e} {} The cell shows the project as re-read.",
                        failed_change_note(e.outcome_unknown())
                    ))));
                    // Show the server's state: re-read the project.
                    let reread = projects::members(&client, project, Some(&signal), &|_| {}).await;
                    if let Ok(list) = reread {
                        matrix.update(|m| set_members(m, project, &list));
                    }
                    redraw.update(|n| *n += 1);
                }
            }
            busy.update(|b| {
                b.remove(&(account, project));
            });
        });
    };
    let change_cell = Callback::new(change_cell);

    let progress_line = move || {
        let (done, failed, total) = matrix.with(Matrix::progress);
        let accounts_line = match (accounts_state.with(Option::is_none), accounts_wait.get()) {
            (true, Some(s)) => format!("Service accounts: rate limited, asking again in {s} s… "),
            (true, None) => "Loading service accounts… ".to_string(),
            (false, _) => String::new(),
        };
        if done + failed < total {
            format!("{accounts_line}Loading project access: {done} of {total} projects{}…", at_once(lanes.get()))
        } else if failed > 0 {
            format!("{accounts_line}Loaded {done} of {total} projects; {failed} failed.")
        } else {
            format!("{accounts_line}Loaded all {total} projects.")
        }
    };

    let failed_view = move || {
        let failed: Vec<(u64, String, String)> = matrix.with(|m| {
            m.projects
                .iter()
                .filter_map(|(id, name)| match m.column(*id) {
                    Column::Failed(why) => Some((*id, name.clone(), why.clone())),
                    _ => None,
                })
                .collect()
        });
        (!failed.is_empty()).then(|| {
            let ids: Vec<u64> = failed.iter().map(|f| f.0).collect();
            view! {
                <div class="alert-error" role="alert">
                    <p>"These projects could not be read; their columns are marked failed and the others are complete:"</p>
                    <ul>{failed.into_iter().map(|(_, n, why)| view! { <li>{n}": "{why}</li> }).collect_view()}</ul>
                    <button type="button" class="button-secondary" on:click=move |_| load_projects(ids.clone())>"Retry failed projects"</button>
                </div>
            }
        })
    };

    view! {
        <section class="matrix-page" aria-labelledby="matrix-heading">
            <div class="page-head">
                <h1 id="matrix-heading">"Access matrix"</h1>
                <p class="count" aria-live="polite">{move || format!("{} × {}", count_of(rows.with(Vec::len), "service account"), count_of(cols.with(Vec::len), "project"))}</p>
            </div>
            <p class="muted">"Each cell is the account's role in the project; “(org)” means it comes through the organization role. Choose a role or None to change a direct membership."</p>
            <div class="toolbar">
                <div class="field inline">
                    <label for="matrix-rows">"Filter accounts"</label>
                    <input id="matrix-rows" type="search" autocomplete="off" spellcheck="false" bind:value=row_filter/>
                </div>
                <div class="field inline">
                    <label for="matrix-cols">"Filter projects"</label>
                    <input id="matrix-cols" type="search" autocomplete="off" spellcheck="false" bind:value=col_filter/>
                </div>
            </div>
            <p class="progress" role="status">{progress_line}</p>
            {move || accounts_state.get().and_then(Result::err).map(|e| view! {
                <div class="alert-error" role="alert"><p>{format!("The service accounts could not be listed: {e}")}</p></div>
            })}
            {failed_view}
            {move || notice.get().map(|n| match n {
                Notice::Ok(text) => view! { <div class="alert-ok" role="status"><p>{text}</p></div> }.into_any(),
                Notice::Problem(text) => view! { <div class="alert-error" role="alert"><p>{text}</p></div> }.into_any(),
            })}
            <p class="muted">{move || {
                let total = matrix.with(|m| m.accounts.len() * m.projects.len());
                format!("{} cells; only those in view are drawn.", thousands(total))
            }}</p>
            <MatrixTable matrix loaded rows cols busy redraw first_columns on_edit=change_cell/>
        </section>
    }
}
