//! The access matrix's scrolling table: only the rows and columns in view are
//! in the DOM. The table is built from the matrix as it stands and rebuilt
//! only when the window moves or the filters change. Arriving listings are
//! patched into the cells already drawn by one effect that touches only the
//! cells whose state changed: rebuilding some 200 selects per batch, or
//! waking a dozen reactive bindings per cell, held back the project requests
//! still loading (the page reads an answer only when the main thread is free).

use crate::domain::matrix::{visible_range, Column, Matrix, Shown};
use crate::domain::role::Role;
use leptos::html;
use leptos::prelude::*;
use leptos_use::{use_event_listener, use_timeout_fn};
use std::collections::HashSet;
use std::ops::Range;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlSelectElement};

const ROW_H: f64 = 36.0;
/// The sticky header row's height (style/matrix.css), which hides the rows under it.
const HEAD_H: f64 = 44.0;
const COL_W: f64 = 132.0;
const NAME_W: f64 = 320.0;
/// The margin drawn around the view once the admin scrolls, or once the load
/// is over: not in the first drawing, which lands while the listings are
/// still coming in and shares the machine with them (a third more selects to
/// style and for Chrome's autofill to read, none of them visible).
const OVERSCAN_ROWS: usize = 3;
const OVERSCAN_COLS: usize = 1;
/// How long after the load the margin is added: past the load's last frame.
const MARGIN_AFTER_LOAD_MS: f64 = 250.0;
const ORG_TITLE: &str = "Through the organization role; change it on the organization, not per project";
const TEAM_TITLE: &str = "Through a team; change it on the team, not per project";
const CUSTOM_TITLE: &str =
    "A role this console does not know (shown as Mixpanel wrote it); choosing another replaces it";

/// A select's request to change a cell: who, where and the wanted role
/// (`None` = remove the direct membership).
#[derive(Clone, Debug)]
pub struct CellEdit {
    pub account: u64,
    pub username: String,
    pub project: u64,
    pub project_name: String,
    pub to: Option<Role>,
}

/// How a cell looks; the same for the first drawing and for later patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Look {
    shown: Shown,
    busy: bool,
}

impl Look {
    fn class(self) -> &'static str {
        match (!self.shown.present(), self.shown.inherited()) {
            (true, _) => "matrix-cell cell-none",
            (false, true) => "matrix-cell cell-org",
            (false, false) => "matrix-cell",
        }
    }

    fn title(self) -> &'static str {
        if self.shown.through_team() {
            TEAM_TITLE
        } else if self.shown.inherited() {
            ORG_TITLE
        } else if self.shown.custom() {
            CUSTOM_TITLE
        } else {
            ""
        }
    }

    fn disabled(self) -> bool {
        !self.shown.editable() || self.busy
    }

    fn value(self) -> &'static str {
        match self.shown.role() {
            Some(role) => role.key(),
            // No option names a custom role: the select shows none chosen.
            None if self.shown.custom() => "",
            None => "none",
        }
    }
}

/// The columns drawn with the scroller `left` px across and `width` px wide
/// (the sticky name column hides those under it).
fn columns_at(count: usize, left: f64, width: f64, margin: bool) -> Range<usize> {
    visible_range(count, left, (width - NAME_W).max(COL_W), COL_W, if margin { OVERSCAN_COLS } else { 0 })
}

/// The rows drawn with the scroller `top` px down and `height` px high (the
/// sticky header row hides those under it).
fn rows_at(count: usize, top: f64, height: f64, margin: bool) -> Range<usize> {
    visible_range(count, top, (height - HEAD_H).max(ROW_H), ROW_H, if margin { OVERSCAN_ROWS } else { 0 })
}

fn column_state(column: &Column) -> String {
    match column {
        Column::Loading => "loading…".to_string(),
        Column::Waiting(s) => format!("rate limited, retrying in {s} s"),
        Column::Loaded => String::new(),
        Column::Failed(_) => "failed".to_string(),
    }
}

/// What is drawn, in drawing order, so a patch knows what each node shows.
#[derive(Default)]
struct Drawn {
    /// (project, state text) per header cell.
    columns: Vec<(u64, String)>,
    /// (account, project, look) per body cell, row by row.
    cells: Vec<(u64, u64, Look)>,
}

/// `rows` and `cols` index into the matrix's accounts and projects (already
/// filtered). `busy` holds the cells with a change in flight; bumping
/// `redraw` sets every drawn select from the matrix again (after a refusal).
/// `first_columns` is set, once the scroller is measured and again on each
/// window resize, to how many of the first columns the table draws before any
/// scrolling. `loaded` says the load is over (the margin follows).
#[component]
pub fn MatrixTable(
    matrix: RwSignal<Matrix>,
    loaded: Memo<bool>,
    rows: Memo<Vec<usize>>,
    cols: Memo<Vec<usize>>,
    busy: RwSignal<HashSet<(u64, u64)>>,
    redraw: RwSignal<u32>,
    first_columns: StoredValue<usize>,
    on_edit: Callback<CellEdit>,
) -> impl IntoView {
    let container = NodeRef::<html::Div>::new();
    let scroll = RwSignal::new((0.0f64, 0.0f64));
    // `None` until the scroller is measured (when it mounts): nothing is
    // built for a guessed size.
    let viewport = RwSignal::new(None::<(f64, f64)>);
    let margin = RwSignal::new(false);
    let add_margin = use_timeout_fn(move |_: ()| margin.set(true), MARGIN_AFTER_LOAD_MS).start;
    Effect::new(move |_| {
        if loaded.get() && !margin.get_untracked() {
            add_margin(());
        }
    });
    let measure = move || {
        if let Some(el) = container.get_untracked() {
            scroll.set((el.scroll_top() as f64, el.scroll_left() as f64));
            viewport.set(Some((el.client_height() as f64, el.client_width() as f64)));
        }
    };
    let on_scroll = move |_| {
        if !margin.get_untracked() {
            margin.set(true);
        }
        measure();
    };
    // How many of the first columns a scroller `width` px wide shows: what
    // the rows wait for on the first load.
    let count_first_columns = move |width: f64| {
        first_columns.set_value(columns_at(cols.with_untracked(Vec::len), 0.0, width, false).end);
    };
    // The scroller's size follows the window's (65vh): a larger window shows
    // more rows and columns, which must be drawn without waiting for a scroll
    // (and, while the rows still wait, a wider one makes them wait for the
    // columns it adds).
    let _ = use_event_listener(window(), leptos::ev::resize, move |_| {
        measure();
        if let Some((_, width)) = viewport.get_untracked() {
            count_first_columns(width);
        }
    });
    container.on_load(move |el| {
        let width = el.client_width() as f64;
        viewport.set(Some((el.client_height() as f64, width)));
        count_first_columns(width);
    });

    let window = Memo::new(move |_| {
        let (top, left) = scroll.get();
        let (height, width) = viewport.get()?;
        let margin = margin.get();
        let row_range = rows_at(rows.with(Vec::len), top, height, margin);
        let col_range = columns_at(cols.with(Vec::len), left, width, margin);
        Some((row_range, col_range))
    });
    let drawn = StoredValue::new_local(Drawn::default());

    // A change of `redraw` sets every drawn cell again: a select the admin
    // moved keeps its choice until told otherwise, even when the matrix
    // (and so each cell's look) did not change.
    Effect::new(move |last_redraw: Option<u32>| {
        matrix.track();
        busy.track();
        let now = redraw.get();
        if let Some(el) = container.get() {
            let all = last_redraw.is_some_and(|last| last != now);
            drawn.update_value(|d| patch(&el, d, matrix, busy, all));
        }
        now
    });

    let table = move || {
        let (row_range, col_range) = window.get()?;
        let rows = rows.get();
        let cols = cols.get();
        let widths = Widths::of(&row_range, &col_range, rows.len(), cols.len());
        let mut now = Drawn::default();
        let (header, body) = matrix.with_untracked(|m| {
            let shown_cols: Vec<(u64, String)> =
                cols[col_range.clone()].iter().map(|&i| m.projects[i].clone()).collect();
            let header = shown_cols
                .iter()
                .map(|(project, name)| {
                    let state = column_state(m.column(*project));
                    now.columns.push((*project, state.clone()));
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
                        .map(|(project, project_name)| {
                            let look = Look {
                                shown: m.shown(account, *project),
                                busy: busy.with_untracked(|b| b.contains(&(account, *project))),
                            };
                            now.cells.push((account, *project, look));
                            let edit = CellEdit {
                                account,
                                username: username.clone(),
                                project: *project,
                                project_name: project_name.clone(),
                                to: None,
                            };
                            cell_view(look, m.text(look.shown), edit, on_edit)
                        })
                        .collect_view();
                    view! {
                        <tr style:height=format!("{ROW_H}px")>
                            <th scope="row" class="matrix-name"><code>{username}</code></th>
                            <td class="matrix-spacer" aria-hidden="true" style:width=format!("{}px", widths.before_cols)></td>
                            {cells}
                            <td class="matrix-spacer" aria-hidden="true" style:width=format!("{}px", widths.after_cols)></td>
                        </tr>
                    }
                })
                .collect_view();
            (header, body)
        });
        drawn.set_value(now);
        // A rebuild reuses the nodes already there and sets only what differs
        // from the previous build, which knows nothing of the patches since;
        // so once it is done every cell is set again from the matrix.
        queue_microtask(move || {
            // `try_`: the page may be gone by the time the microtask runs.
            if let Some(el) = container.try_get_untracked().flatten() {
                let _ = drawn.try_update_value(|d| patch(&el, d, matrix, busy, true));
            }
        });
        Some(view! {
            <table class="matrix" style:width=format!("{}px", widths.total) aria-rowcount=rows.len() + 1 aria-colcount=cols.len() + 1>
                <thead>
                    <tr>
                        <th scope="col" class="matrix-corner">"Service account"</th>
                        // Stand-ins for the columns not drawn: no header of
                        // their own for assistive technology to announce.
                        <td class="matrix-spacer" aria-hidden="true" style:width=format!("{}px", widths.before_cols)></td>
                        {header}
                        <td class="matrix-spacer" aria-hidden="true" style:width=format!("{}px", widths.after_cols)></td>
                    </tr>
                </thead>
                <tbody>
                    <tr class="matrix-pad" style:height=format!("{}px", widths.top_pad)></tr>
                    {body}
                    <tr class="matrix-pad" style:height=format!("{}px", widths.bottom_pad)></tr>
                </tbody>
            </table>
        })
    };

    view! {
        <div class="matrix-scroll" node_ref=container on:scroll=on_scroll tabindex="0" aria-label="Access matrix, scrollable">
            {table}
        </div>
    }
}

fn cell_view(look: Look, text: String, edit: CellEdit, on_edit: Callback<CellEdit>) -> impl IntoView {
    let label = format!("Role of {} in {}", edit.username, edit.project_name);
    // Written out, not collected: a list costs a marker node and bookkeeping
    // per cell, and some 200 cells are drawn at once.
    let [consumer, analyst, admin, owner] = Role::ALL;
    let selected = move |role: Option<Role>| look.shown.role() == role;
    let title = look.title();
    view! {
        <td class=look.class() aria-busy=look.busy.then_some("true") title=(!title.is_empty()).then_some(title)>
            <span class="cell-role" aria-hidden="true">{text}</span>
            <select aria-label=label disabled=look.disabled() on:change=move |ev| {
                on_edit.run(CellEdit { to: Role::parse(&event_target_value(&ev)), ..edit.clone() });
            }>
                <option value=consumer.key() selected=selected(Some(consumer))>{consumer.label()}</option>
                <option value=analyst.key() selected=selected(Some(analyst))>{analyst.label()}</option>
                <option value=admin.key() selected=selected(Some(admin))>{admin.label()}</option>
                <option value=owner.key() selected=selected(Some(owner))>{owner.label()}</option>
                <option value="none" selected=selected(None)>"None"</option>
            </select>
        </td>
    }
}

/// Brings the drawn header states and cells up to date with the matrix,
/// touching only what changed (everything when `all`). Skips when the DOM and
/// `drawn` disagree (a rebuild is under way and draws from the matrix anyway).
fn patch(
    container: &web_sys::HtmlDivElement,
    drawn: &mut Drawn,
    matrix: RwSignal<Matrix>,
    busy: RwSignal<HashSet<(u64, u64)>>,
    all: bool,
) {
    let (Ok(states), Ok(cells)) =
        (container.query_selector_all("thead .col-state"), container.query_selector_all("tbody td.matrix-cell"))
    else {
        return;
    };
    if states.length() as usize != drawn.columns.len() || cells.length() as usize != drawn.cells.len() {
        return;
    }
    matrix.with_untracked(|m| {
        for (i, (project, text)) in drawn.columns.iter_mut().enumerate() {
            let now = column_state(m.column(*project));
            if all || now != *text {
                if let Some(node) = states.item(i as u32) {
                    node.set_text_content(Some(&now));
                }
                *text = now;
            }
        }
        busy.with_untracked(|b| {
            for (i, (account, project, look)) in drawn.cells.iter_mut().enumerate() {
                let now = Look { shown: m.shown(*account, *project), busy: b.contains(&(*account, *project)) };
                if all || now != *look {
                    if let Some(td) = cells.item(i as u32).and_then(|n| n.dyn_into::<Element>().ok()) {
                        patch_cell(&td, now, &m.text(now.shown));
                    }
                    *look = now;
                }
            }
        });
    });
}

/// Sets a drawn cell to `look` and `text`, writing only what differs: after
/// a rebuild every cell is patched, most already right, and each write of a
/// select's value or a text node is work for the page and for the browser's
/// autofill, which re-reads a form whose control was set.
fn patch_cell(td: &Element, look: Look, text: &str) {
    if td.class_name() != look.class() {
        td.set_class_name(look.class());
    }
    let title = look.title();
    if td.get_attribute("title").as_deref().unwrap_or("") != title {
        let _ = if title.is_empty() { td.remove_attribute("title") } else { td.set_attribute("title", title) };
    }
    if td.has_attribute("aria-busy") != look.busy {
        let _ = if look.busy { td.set_attribute("aria-busy", "true") } else { td.remove_attribute("aria-busy") };
    }
    // The cell holds its role text, then its select (see `cell_view`).
    if let Some(span) = td.first_element_child().filter(|span| span.text_content().as_deref() != Some(text)) {
        span.set_text_content(Some(text));
    }
    if let Some(select) = td.last_element_child().and_then(|s| s.dyn_into::<HtmlSelectElement>().ok()) {
        if select.disabled() != look.disabled() {
            select.set_disabled(look.disabled());
        }
        if select.value() != look.value() {
            select.set_value(look.value());
        }
    }
}

/// The spacers that stand in for the rows and columns out of view.
struct Widths {
    before_cols: f64,
    after_cols: f64,
    total: f64,
    top_pad: f64,
    bottom_pad: f64,
}

impl Widths {
    fn of(rows: &Range<usize>, cols: &Range<usize>, row_count: usize, col_count: usize) -> Widths {
        Widths {
            before_cols: cols.start as f64 * COL_W,
            after_cols: (col_count - cols.end) as f64 * COL_W,
            total: NAME_W + col_count as f64 * COL_W,
            top_pad: rows.start as f64 * ROW_H,
            bottom_pad: (row_count - rows.end) as f64 * ROW_H,
        }
    }
}
