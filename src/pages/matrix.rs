//! Route `/matrix`: accounts × projects with each role. Loads one listing per
//! project (at most 6 at once, 429s waited out), renders only the rows and
//! columns in view, and edits a cell with one request plus a re-read.

use crate::api::projects::{self, members_of_all, Member, Progress, FAN_OUT_LIMIT};
use crate::api::{accounts, ApiError};
use crate::components::choose_org::ChooseOrg;
use crate::domain::matrix::{cell_change, matching, visible_range, Cell, Column, Matrix};
use crate::domain::membership::failed_change_note;
use crate::domain::role::Role;
use crate::domain::text::{count_of, thousands};
use crate::pages::membership_runner::apply_and_verify;
use crate::pages::perf::mark;
use crate::routing::use_org;
use crate::session::Session;
use leptos::html;
use leptos::prelude::*;
use std::collections::HashSet;
use std::time::Duration;
use web_sys::AbortController;

const ROW_H: f64 = 36.0;
const COL_W: f64 = 132.0;
const NAME_W: f64 = 320.0;
const OVERSCAN_ROWS: usize = 6;
const OVERSCAN_COLS: usize = 2;
/// Answers are applied in batches: one render per batch, not per project.
const FLUSH_EVERY: Duration = Duration::from_millis(150);

#[component]
pub fn MatrixPage() -> impl IntoView {
    let org = use_org();
    move || match org.get() {
        Some(org) => view! { <OrgMatrix org=org/> }.into_any(),
        None => view! { <ChooseOrg title="Access matrix" purpose="see who can reach which project"/> }.into_any(),
    }
}

fn cells_of(list: Vec<Member>) -> Vec<(u64, Cell)> {
    list.into_iter().filter_map(|m| Some((m.id, Cell { role: m.role()?, direct: m.is_direct() }))).collect()
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
    let project_list: Vec<(u64, String)> =
        session.me().map(|m| m.projects_of(org).map(|p| (p.id, p.name.clone())).collect()).unwrap_or_default();
    let matrix = RwSignal::new(Matrix::new(Vec::new(), project_list.clone()));
    let accounts_state = RwSignal::new(None::<Result<(), ApiError>>);
    let row_filter = RwSignal::new(String::new());
    let col_filter = RwSignal::new(String::new());
    let scroll = RwSignal::new((0.0f64, 0.0f64));
    let viewport = RwSignal::new((600.0f64, 1000.0f64));
    let busy = RwSignal::new(HashSet::<(u64, u64)>::new());
    let notice = RwSignal::new(None::<Notice>);
    // Bumped to redraw selects the server did not follow (refusals).
    let redraw = RwSignal::new(0u32);
    let container = NodeRef::<html::Div>::new();
    let controller = StoredValue::new_local(AbortController::new().ok());
    on_cleanup(move || controller.with_value(|c| c.as_ref().map(AbortController::abort)).unwrap_or_default());
    let buffer = StoredValue::new_local(Vec::<(u64, Result<Vec<Member>, ApiError>)>::new());
    let flush_scheduled = StoredValue::new(false);

    let flush = move || {
        flush_scheduled.set_value(false);
        let batch = buffer.try_update_value(std::mem::take).unwrap_or_default();
        if batch.is_empty() {
            return;
        }
        matrix.update(|m| {
            for (project, result) in batch {
                match result {
                    Ok(list) => m.set_listing(project, cells_of(list)),
                    Err(e) => m.set_column(project, Column::Failed(e.to_string())),
                }
            }
        });
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
        // The last answers are drawn at once: waiting would only delay "loaded".
        if buffer.with_value(Vec::len) >= outstanding {
            flush();
        } else if !flush_scheduled.get_value() {
            flush_scheduled.set_value(true);
            set_timeout(flush, FLUSH_EVERY);
        }
    };

    let load_projects = move |ids: Vec<u64>| {
        let Some(client) = session.client() else { return };
        let signal = controller.with_value(|c| c.as_ref().map(AbortController::signal));
        matrix.update(|m| ids.iter().for_each(|p| m.set_column(*p, Column::Loading)));
        leptos::task::spawn_local(async move {
            members_of_all(&client, ids, signal.clone(), |progress| {
                if signal.as_ref().is_some_and(|s| s.aborted()) {
                    return;
                }
                match progress {
                    Progress::Waiting { project, seconds } => {
                        matrix.update(|m| m.set_column(project, Column::Waiting(seconds)))
                    }
                    Progress::Done { project, result } => receive(project, result),
                }
            })
            .await;
        });
    };

    if let Some(client) = session.client() {
        let signal = controller.with_value(|c| c.as_ref().map(AbortController::signal));
        leptos::task::spawn_local(async move {
            let result = accounts::list(&client, org, signal.as_ref()).await;
            if signal.as_ref().is_some_and(|s| s.aborted()) {
                return;
            }
            match result {
                Ok(list) => {
                    matrix.update(|m| m.set_accounts(list.into_iter().map(|a| (a.id, a.username)).collect()));
                    accounts_state.set(Some(Ok(())));
                }
                Err(e) => {
                    session.note_error(&e);
                    accounts_state.set(Some(Err(e)));
                }
            }
        });
        load_projects(project_list.iter().map(|p| p.0).collect());
    }

    let loaded = Memo::new(move |_| {
        let (done, failed, total) = matrix.with(Matrix::progress);
        accounts_state.with(|a| a.is_some()) && done + failed == total
    });
    Effect::new(move |_| {
        if loaded.get() {
            request_animation_frame(|| set_timeout(|| mark("matrix-loaded"), Duration::ZERO));
        }
    });

    let rows = Memo::new(move |_| row_filter.with(|q| matrix.with(|m| matching(&m.accounts, q))));
    let cols = Memo::new(move |_| col_filter.with(|q| matrix.with(|m| matching(&m.projects, q))));

    let on_scroll = move |_| {
        if let Some(el) = container.get_untracked() {
            scroll.set((el.scroll_top() as f64, el.scroll_left() as f64));
            viewport.set((el.client_height() as f64, el.client_width() as f64));
        }
    };
    container.on_load(move |el| viewport.set((el.client_height() as f64, el.client_width() as f64)));

    let change_cell = move |account: u64, username: String, project: u64, project_name: String, to: Option<Role>| {
        let current = matrix.with_untracked(|m| m.cell(account, project));
        let Some(change) = cell_change(account, project, current, to) else { return };
        if let Some(role) = to.filter(|r| r.is_elevated()) {
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
        leptos::task::spawn_local(async move {
            let result = apply_and_verify(&client, org, &change, session).await;
            let wanted = to.map_or("no direct role".to_string(), |r| r.key().to_string());
            match result {
                Ok(applied) => {
                    matrix.update(|m| {
                        for (p, list) in applied.listings.clone() {
                            m.set_listing(p, cells_of(list));
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
                    let reread = projects::members(&client, project, None, &|_| {}).await;
                    if let Ok(list) = reread {
                        matrix.update(|m| m.set_listing(project, cells_of(list)));
                    }
                    redraw.update(|n| *n += 1);
                }
            }
            busy.update(|b| {
                b.remove(&(account, project));
            });
        });
    };
    let change_cell = StoredValue::new(change_cell);

    let progress_line = move || {
        let (done, failed, total) = matrix.with(Matrix::progress);
        let accounts_line = if accounts_state.with(Option::is_none) { "Loading service accounts… " } else { "" };
        if done + failed < total {
            format!(
                "{accounts_line}Loading project access: {done} of {total} projects (up to {FAN_OUT_LIMIT} at once)…"
            )
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

    let table = move || {
        redraw.track();
        busy.track();
        let (top, left) = scroll.get();
        let (height, width) = viewport.get();
        let rows = rows.get();
        let cols = cols.get();
        let row_range = visible_range(rows.len(), top - ROW_H, height, ROW_H, OVERSCAN_ROWS);
        let col_range = visible_range(cols.len(), left, (width - NAME_W).max(COL_W), COL_W, OVERSCAN_COLS);
        let before_cols = col_range.start as f64 * COL_W;
        let after_cols = (cols.len() - col_range.end) as f64 * COL_W;
        let total_width = NAME_W + cols.len() as f64 * COL_W;
        matrix.with(|m| {
            let shown_cols: Vec<(u64, String, Column)> = cols[col_range.clone()]
                .iter()
                .map(|&i| (m.projects[i].0, m.projects[i].1.clone(), m.column(m.projects[i].0).clone()))
                .collect();
            let header = shown_cols
                .iter()
                .map(|(_, name, state)| {
                    let state = match state {
                        Column::Loading => "loading…".to_string(),
                        Column::Waiting(s) => format!("rate limited, retrying in {s} s"),
                        Column::Loaded => String::new(),
                        Column::Failed(_) => "failed".to_string(),
                    };
                    view! {
                        <th scope="col" class="matrix-col" title=name.clone()>
                            <span class="col-name">{name.clone()}</span>
                            <span class="col-state">{state}</span>
                        </th>
                    }
                })
                .collect_view();
            let body = rows[row_range.clone()]
                .iter()
                .map(|&r| {
                    let (account, username) = m.accounts[r].clone();
                    let cells = shown_cols
                        .iter()
                        .map(|(project, pname, state)| {
                            let cell = m.cell(account, *project);
                            let loaded = *state == Column::Loaded;
                            let is_busy = busy.with_untracked(|b| b.contains(&(account, *project)));
                            let shown = match (state, cell) {
                                (Column::Failed(_), _) => "failed".to_string(),
                                (Column::Loading | Column::Waiting(_), _) => "…".to_string(),
                                (Column::Loaded, Some(c)) if c.direct => c.role.key().to_string(),
                                (Column::Loaded, Some(c)) => format!("{} (org)", c.role.key()),
                                (Column::Loaded, None) => "—".to_string(),
                            };
                            let current = cell.map(|c| c.role);
                            let inherited = cell.is_some_and(|c| !c.direct);
                            let label = format!("Role of {username} in {pname}");
                            let (project, pname, uname) = (*project, pname.clone(), username.clone());
                            view! {
                                <td class="matrix-cell" class:cell-none=cell.is_none() class:cell-org=inherited aria-busy=is_busy.then_some("true")
                                    title=inherited.then_some("Through the organization role; change it on the organization, not per project")>
                                    <span class="cell-role" aria-hidden="true">{shown}</span>
                                    <select aria-label=label disabled=!loaded || inherited || is_busy on:change=move |ev| {
                                        let to = Role::parse(&event_target_value(&ev));
                                        change_cell.with_value(|f| f(account, uname.clone(), project, pname.clone(), to));
                                    }>
                                        {Role::ALL.into_iter().map(|role| view! {
                                            <option value=role.key() selected=current == Some(role)>{role.label()}</option>
                                        }).collect_view()}
                                        <option value="none" selected=current.is_none()>"None"</option>
                                    </select>
                                </td>
                            }
                        })
                        .collect_view();
                    view! {
                        <tr style:height=format!("{ROW_H}px")>
                            <th scope="row" class="matrix-name"><code>{username.clone()}</code></th>
                            <td class="matrix-spacer" style:width=format!("{before_cols}px")></td>
                            {cells}
                            <td class="matrix-spacer" style:width=format!("{after_cols}px")></td>
                        </tr>
                    }
                })
                .collect_view();
            let top_pad = row_range.start as f64 * ROW_H;
            let bottom_pad = (rows.len() - row_range.end) as f64 * ROW_H;
            view! {
                <table class="matrix" style:width=format!("{total_width}px") aria-rowcount=rows.len() + 1 aria-colcount=cols.len() + 1>
                    <thead>
                        <tr>
                            <th scope="col" class="matrix-corner">"Service account"</th>
                            <th class="matrix-spacer" style:width=format!("{before_cols}px")></th>
                            {header}
                            <th class="matrix-spacer" style:width=format!("{after_cols}px")></th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="matrix-pad" style:height=format!("{top_pad}px")></tr>
                        {body}
                        <tr class="matrix-pad" style:height=format!("{bottom_pad}px")></tr>
                    </tbody>
                </table>
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
            <div class="matrix-scroll" node_ref=container on:scroll=on_scroll tabindex="0" aria-label="Access matrix, scrollable">
                {table}
            </div>
        </section>
    }
}
