//! The accounts table, windowed: only the rows in view (plus a margin) are in
//! the DOM, so 10,000 accounts cost what 40 do. Rows have a fixed height.

use crate::domain::selection::{coverage, Coverage};
use crate::domain::status::Status;
use crate::domain::table_window::rows_in_view;
use crate::domain::time_format::{absolute, relative};
use crate::domain::view::{Column, Direction, Rows, ViewQuery};
use crate::frames::after_next_paint;
use crate::routing::account_href;
use chrono::{DateTime, Utc};
use leptos::either::Either;
use leptos::html;
use leptos::prelude::*;
use std::collections::HashSet;

/// Must match `.accounts-table tbody tr { height }` in style/accounts.css.
pub const ROW_HEIGHT: f64 = 40.0;
/// Rows kept beyond each edge of the view once the table is on screen. Few:
/// laying out a row's text is most of the first paint's cost (~0.9 ms a row
/// in the benchmark), and four rows (160 px) cover a scroll step between two
/// frames. The first paint has none: it lays out only the rows in view, and
/// the margin follows in the task after that frame (nobody can have
/// scrolled yet).
const OVERSCAN: usize = 4;
/// The scroller's inner height in a wide window: it fills the window below
/// the header, page head, status chips and toolbar (`.table-scroll` in
/// style/accounts.css), 388 px of the window with the page's padding and its
/// own border when each of those is one line (measured), and at least 320 px.
/// The first window is cut for it, so the first paint neither lays out rows
/// nobody sees nor lacks rows; where the toolbar wraps, the first frame's
/// measure corrects it before anything is painted.
fn expected_viewport() -> f64 {
    let height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(900.0);
    (height - 388.0).max(318.0)
}

/// `Either`, not `into_any()`: a row is built a dozen times in the first paint,
/// and a typed choice builds without the boxing and dynamic calls of a view
/// whose type is erased.
fn time_cell(t: Option<DateTime<Utc>>, now: DateTime<Utc>, missing: &'static str) -> impl IntoView {
    match t {
        Some(t) => Either::Left(view! { <time datetime=t.to_rfc3339() title=absolute(t)>{relative(t, now)}</time> }),
        None => Either::Right(view! { <span class="muted">{missing}</span> }),
    }
}

#[component]
pub fn AccountsTable(
    /// Every account of the organisation.
    rows: RwSignal<Rows>,
    /// Indexes into `rows`, filtered and sorted: what the table shows.
    visible: Memo<Vec<usize>>,
    /// The current sort, for the headers.
    query: Memo<ViewQuery>,
    /// Called with the header's column when it is clicked.
    on_sort: Callback<Column>,
    /// Ids of the selected accounts.
    selected: RwSignal<HashSet<u64>>,
    org: u64,
    now: DateTime<Utc>,
) -> impl IntoView {
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(expected_viewport());
    let overscan = RwSignal::new(0usize);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
            viewport.set(el.client_height().max(1) as f64);
        }
    };
    // The scroller is measured whenever its size changes: first in the first
    // frame, after its layout and before its paint (a resize observer's
    // first report), then as the window and whatever is above it change (an
    // alert shown or dismissed, chips wrapping), so more height shows more
    // rows without waiting for a scroll. The margin follows once the first
    // frame is painted; both owned by the table.
    let _ = leptos_use::use_resize_observer(scroller, move |_, _| measure());
    after_next_paint(move || overscan.set(OVERSCAN));
    // A new filter or sort starts at the top.
    Effect::new(move |prev: Option<()>| {
        visible.track();
        if prev.is_some() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });

    let range = Memo::new(move |_| {
        let total = visible.with(Vec::len);
        let (first, last) = rows_in_view(scroll_top.get(), viewport.get(), ROW_HEIGHT, overscan.get(), total);
        (first, last, total)
    });
    let slice = Memo::new(move |_| {
        let (first, last, _) = range.get();
        rows.with(|r| {
            visible.with(|v| {
                v[first..last].iter().enumerate().map(|(k, &i)| (first + k, i, r.accounts[i].id)).collect::<Vec<_>>()
            })
        })
    });

    let shown_selected = Memo::new(move |_| {
        selected.with(|s| visible.with(|v| rows.with(|r| coverage(v.iter().map(|&i| r.accounts[i].id), s))))
    });
    let all_selected = move || shown_selected.get() == Coverage::All;
    let some_selected = move || shown_selected.get() == Coverage::Some;
    let toggle_all = move |_| {
        let ids: Vec<u64> =
            visible.with_untracked(|v| rows.with_untracked(|r| v.iter().map(|&i| r.accounts[i].id).collect()));
        let select = shown_selected.get_untracked() != Coverage::All;
        selected.update(|s| {
            for id in ids {
                if select {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            }
        });
    };

    let header = move |column: Column| {
        let aria_sort = move || {
            query.with(|q| match (q.sort == column, q.direction) {
                (false, _) => "none",
                (true, Direction::Asc) => "ascending",
                (true, Direction::Desc) => "descending",
            })
        };
        view! {
            <th scope="col" aria-sort=aria_sort class=format!("col-{}", column.key())>
                <button type="button" class="sort" on:click=move |_| on_sort.run(column)>{column.label()}</button>
            </th>
        }
    };

    let row = move |(position, index, _): (usize, usize, u64)| {
        let (account, status) = rows.with_untracked(|r| {
            (
                r.accounts.get(index).cloned().unwrap_or_default(),
                r.statuses.get(index).copied().unwrap_or(Status::Active),
            )
        });
        // This row's own label: asking `Rows` would label all 10,000 for one screen.
        let creator = account.creator_label();
        let problems = (!account.problems.is_empty())
            .then(|| format!("Some fields of this account could not be read: {}", account.problems.join("; ")));
        let id = account.id;
        let checked = move || selected.with(|s| s.contains(&id));
        let toggle = move |_| {
            selected.update(|s| {
                if !s.remove(&id) {
                    s.insert(id);
                }
            })
        };
        view! {
            <tr aria-rowindex=position + 2 class:selected=checked>
                <td class="col-select">
                    <input type="checkbox" aria-label=format!("Select {}", account.username) prop:checked=checked on:change=toggle/>
                </td>
                <td class="col-username">
                    <a href=account_href(org, id) title=account.username.clone()>{account.username.clone()}</a>
                    {problems.map(|p| view! { <span class="unreadable" title=p.clone() aria-label=p>" ⚠"</span> })}
                </td>
                <td class="col-status"><StatusBadge status=status/></td>
                <td class="col-org_role">{match account.org_role.clone() {
                    Some(role) => Either::Left(view! { <span>{crate::domain::role::role_label(&role)}</span> }),
                    None => Either::Right(view! { <span class="muted" title="The list did not say">"—"</span> }),
                }}</td>
                <td class="col-time">{time_cell(account.created, now, "—")}</td>
                <td class="col-time">{time_cell(account.last_used, now, "Never")}</td>
                <td class="col-time">{time_cell(account.expires, now, "Never")}</td>
                <td class="col-creator" title=creator.clone().unwrap_or_default()>{creator.clone().unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };

    view! {
        <div class="table-scroll" node_ref=scroller on:scroll=move |_| measure() tabindex="0" aria-label="Service accounts table">
            <table class="data-table accounts-table" aria-rowcount=move || range.get().2 + 1>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="col-select">
                            <input type="checkbox" aria-label="Select all" prop:checked=all_selected prop:indeterminate=some_selected on:change=toggle_all/>
                        </th>
                        {Column::ALL.into_iter().map(header).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", range.get().0 as f64 * ROW_HEIGHT)></tr>
                    // Keyed by account id (and place): a row never shows another account's data.
                    <For each=move || slice.get() key=|(position, _, id)| (*position, *id) children=row/>
                    <tr class="spacer" aria-hidden="true" style:height=move || { let (_, last, total) = range.get(); format!("{}px", (total - last) as f64 * ROW_HEIGHT) }></tr>
                </tbody>
            </table>
        </div>
    }
}

use crate::components::status_badge::StatusBadge;

/// The status counts above the table; each one filters to that status.
/// Until the list is loaded the line holds one hidden chip instead (hidden
/// from assistive technology too): the line keeps its height, so the toolbar
/// and the table do not move down when the list arrives, and no count is
/// shown for a list not yet seen.
#[component]
pub fn StatusCounts(
    rows: RwSignal<Rows>,
    loaded: Signal<bool>,
    active: Signal<Option<Status>>,
    on_pick: Callback<Option<Status>>,
) -> impl IntoView {
    let counts = Memo::new(move |_| rows.with(|r| crate::domain::status::counts(&r.statuses)));
    let chips = move || {
        counts.get().into_iter().map(|(status, n)| {
            let pressed = move || active.get() == Some(status);
            view! {
                <li>
                    <button type="button" class=format!("count-chip badge-{}", status.key()) aria-pressed=move || pressed().to_string()
                        title=status.explanation()
                        on:click=move |_| on_pick.run(if pressed() { None } else { Some(status) })>
                        {format!("{}: {}", status.label(), crate::domain::text::thousands(n))}
                    </button>
                </li>
            }
        }).collect_view()
    };
    view! {
        <ul class="status-counts" aria-label="Accounts by status" aria-hidden=move || (!loaded.get()).then_some("true")>
            {move || if loaded.get() {
                Either::Left(chips())
            } else {
                Either::Right(view! { <li><button type="button" class="count-chip" disabled tabindex="-1">"\u{a0}"</button></li> })
            }}
        </ul>
    }
}
