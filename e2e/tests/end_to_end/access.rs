//! Project access: bulk grant and revoke (one request each), a role change
//! checked by re-reading, a matrix edit, a 403 on grant, and a 429 and a
//! failure on project listings while the matrix loads.

use e2e::Harness;
use sandbox::faults::parse_spec;
use sandbox::model::Role;
use sandbox::{DEMO_ADMIN, MAIN_ORG};
use serde_json::json;

const ADD_PATH: &str = "/organizations/1/service-accounts/add-to-project";
const REMOVE_PATH: &str = "/organizations/1/service-accounts/remove-from-project";

/// Accounts below admin (the demo admin aside), as (id, username), by id.
fn plain_accounts(h: &Harness) -> Vec<(u64, String)> {
    let store = h.sandbox.sandbox.store();
    let found = store
        .org_accounts(MAIN_ORG)
        .filter(|a| a.role < Role::Admin && a.username != DEMO_ADMIN.username)
        .map(|a| (a.id, a.username.clone()))
        .collect();
    found
}

/// The main organisation's projects as (id, name), by id.
fn projects(h: &Harness) -> Vec<(u64, String)> {
    let store = h.sandbox.sandbox.store();
    let found =
        store.projects.values().filter(|p| p.organization_id == MAIN_ORG).map(|p| (p.id, p.name.clone())).collect();
    found
}

/// A plain account and a project of the main organisation where its direct
/// role is `wanted` (`None`: not a direct member, nor through a team).
fn account_with_role(h: &Harness, wanted: Option<Role>) -> (u64, String, (u64, String)) {
    let (projects, candidates) = (projects(h), plain_accounts(h));
    let store = h.sandbox.sandbox.store();
    let found = candidates
        .into_iter()
        .find_map(|(id, u)| {
            let p = projects.iter().find(|p| {
                store.members.get(&p.0).and_then(|m| m.get(&id)).copied() == wanted
                    && (wanted.is_some() || sandbox::model::team_role(id, p.0).is_none())
            })?;
            Some((id, u, p.clone()))
        })
        .expect("such an account");
    found
}

fn role_of(h: &Harness, account: u64, project: u64) -> Option<Role> {
    h.sandbox.sandbox.store().members.get(&project).and_then(|m| m.get(&account)).copied()
}

async fn select(h: &Harness, usernames: &[&str]) {
    for u in usernames {
        h.type_into("Search", u).await;
        h.wait_count(1).await;
        h.tick(&format!("Select {u}")).await;
    }
    h.type_into("Search", "").await;
    h.wait_text(&format!("{} selected", usernames.len())).await;
}

#[tokio::test]
async fn bulk_grant_is_one_request_and_revoke_is_another() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let accounts: Vec<(u64, String)> = plain_accounts(&h).into_iter().take(3).collect();
    let projects = projects(&h);
    let (pa, pb) = (&projects[1], &projects[4]);
    let names: Vec<&str> = accounts.iter().map(|a| a.1.as_str()).collect();
    select(&h, &names).await;

    h.click("Add to projects").await;
    h.dialog("Add to projects").await;
    h.wait_text("3 accounts × 0 projects").await;
    h.tick(&format!("Add to {}", pa.1)).await;
    h.choose(&format!("Role in {}", pa.1), "Analyst").await;
    h.tick(&format!("Add to {}", pb.1)).await;
    h.wait_text("3 accounts × 2 projects = 6 memberships").await;
    h.click("Add").await;
    h.wait_text("Done: every membership now has the role asked for").await;
    let adds = h.requests_to("POST", ADD_PATH);
    assert_eq!(adds.len(), 1, "exactly one request");
    let mut ids: Vec<u64> = accounts.iter().map(|a| a.0).collect();
    ids.sort();
    let mut sent = adds[0].body.clone();
    let mut sent_projects: Vec<(u64, String)> = sent["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_u64().unwrap(), p["role"].as_str().unwrap().to_string()))
        .collect();
    sent_projects.sort();
    sent["projects"] = json!(null);
    assert_eq!(sent, json!({"service_account_ids": ids, "projects": null}));
    assert_eq!(sent_projects, [(pa.0, "analyst".to_string()), (pb.0, "consumer".to_string())]);
    for (id, _) in &accounts {
        assert_eq!((role_of(&h, *id, pa.0), role_of(&h, *id, pb.0)), (Some(Role::Analyst), Some(Role::Consumer)));
    }
    h.click("Close").await;
    h.dialog_gone("Add to projects").await;

    h.click("Remove from projects").await;
    h.dialog("Remove from projects").await;
    h.tick(&format!("Remove from {}", pa.1)).await;
    h.click("Remove").await;
    h.wait_text("Done: the accounts are no longer direct members").await;
    let removes = h.requests_to("DELETE", REMOVE_PATH);
    assert_eq!(removes.len(), 1, "exactly one request");
    assert_eq!(removes[0].body, json!({"projects": [{"id": pa.0, "service_account_ids": ids}]}));
    for (id, _) in &accounts {
        assert_eq!((role_of(&h, *id, pa.0), role_of(&h, *id, pb.0)), (None, Some(Role::Consumer)));
    }
    h.finish().await;
}

#[tokio::test]
async fn a_role_change_is_an_add_checked_by_re_reading_and_a_403_is_shown() {
    let h = Harness::start().await;
    h.allow_console("add-to-project - Failed to load resource: the server responded with a status of 403 (Forbidden)");
    h.open_accounts().await;
    let (id, username, project) = account_with_role(&h, Some(Role::Consumer));
    h.type_into("Search", &username).await;
    h.wait_xpath(&format!("//table//a[normalize-space(.)='{username}']")).await.click().await.unwrap();
    h.wait_text("Checked all 6 projects.").await;

    h.click("Add to projects").await;
    h.dialog("Add to projects").await;
    h.tick(&format!("Add to {}", project.1)).await;
    h.choose(&format!("Role in {}", project.1), "Admin").await;
    h.wait_text(&format!("This raises accounts to admin or owner in: {}.", project.1)).await;
    let reads_before = h.requests_to("GET", &format!("/projects/{}/service-accounts", project.0)).len();
    h.click("Add").await;
    h.wait_text("Done: every membership now has the role asked for").await;
    assert_eq!(role_of(&h, id, project.0), Some(Role::Admin));
    assert!(
        h.requests_to("GET", &format!("/projects/{}/service-accounts", project.0)).len() > reads_before,
        "the project was re-read to verify"
    );

    // An admin cannot grant owner: the API's 403 is shown, nothing changes.
    h.choose(&format!("Role in {}", project.1), "Owner").await;
    h.click("Add").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("User does not have permissions to add one or more service accounts"), "{alert}");
    assert_eq!(role_of(&h, id, project.0), Some(Role::Admin), "the server's state is unchanged");
    h.click("Close").await;
    h.dialog_gone("Add to projects").await;
    let table: String =
        h.wait_js("document.querySelector('table.memberships')?.innerText").await.as_str().unwrap().into();
    assert!(
        table.contains(&format!("{}\tadmin\tDirect", project.1)),
        "the detail page shows the server's state: {table}"
    );
    h.finish().await;
}

/// Accepts the browser's confirm() dialog once it is open.
async fn accept_confirmation(h: &Harness) {
    for _ in 0..100 {
        if h.browser.accept_alert().await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no confirmation was asked");
}

async fn open_matrix(h: &Harness) {
    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.control("Filter accounts").await;
}

#[tokio::test]
async fn a_matrix_cell_grants_changes_and_removes_with_one_request_each() {
    let h = Harness::start().await;
    h.allow_console("add-to-project - Failed to load resource: the server responded with a status of 403 (Forbidden)");
    h.open_accounts().await;
    let (id, username, project) = account_with_role(&h, None);
    open_matrix(&h).await;
    h.wait_text("Loaded all 6 projects.").await;
    h.type_into("Filter accounts", &username).await;
    h.wait_text("1 service account × 6 projects").await;
    let cell = format!("Role of {username} in {}", project.1);
    assert_eq!(h.control(&cell).await.prop("value").await.unwrap().unwrap(), "none");
    h.screenshot("matrix").await;

    h.choose(&cell, "Analyst").await;
    h.wait_text(&format!("{username} now has analyst in {} (checked by re-reading the project).", project.1)).await;
    assert_eq!(role_of(&h, id, project.0), Some(Role::Analyst));
    let adds = h.requests_to("POST", ADD_PATH);
    assert_eq!(adds.len(), 1);
    assert_eq!(adds[0].body, json!({"service_account_ids": [id], "projects": [{"id": project.0, "role": "analyst"}]}));

    // Owner is above the demo admin's own role: after the confirmation the
    // API's 403 is shown and the select goes back to what the project holds.
    h.choose(&cell, "Owner").await;
    accept_confirmation(&h).await;
    let alert = h.alert_text().await;
    assert!(alert.contains("User does not have permissions to add"), "{alert}");
    h.wait_js(&format!(
        "[...document.querySelectorAll('select')].find(s => s.getAttribute('aria-label') === {})?.value === 'analyst'",
        serde_json::to_string(&cell).unwrap()
    ))
    .await;
    assert_eq!(role_of(&h, id, project.0), Some(Role::Analyst));

    h.choose(&cell, "None").await;
    h.wait_text(&format!("{username} now has no direct role in {}", project.1)).await;
    assert_eq!(role_of(&h, id, project.0), None);
    assert_eq!(
        h.requests_to("DELETE", REMOVE_PATH)[0].body,
        json!({"projects": [{"id": project.0, "service_account_ids": [id]}]})
    );
    h.wait_js(&format!(
        "[...document.querySelectorAll('select')].find(s => s.getAttribute('aria-label') === {})?.value === 'none'",
        serde_json::to_string(&cell).unwrap()
    ))
    .await;
    h.finish().await;
}

#[tokio::test]
async fn the_matrix_waits_out_a_429_and_marks_a_failed_project_without_blocking_the_rest() {
    let h = Harness::start().await;
    h.allow_console("the server responded with a status of 429 (Too Many Requests)");
    h.allow_console("the server responded with a status of 500 (Internal Server Error)");
    let projects = projects(&h);
    let (limited, broken) = (&projects[2], &projects[4]);
    {
        let mut faults = h.sandbox.sandbox.faults();
        faults.push(parse_spec(&format!("GET /projects/{}/service-accounts=429:1x1", limited.0)).unwrap());
        faults.push(parse_spec(&format!("GET /projects/{}/service-accounts=500", broken.0)).unwrap());
    }
    h.open_accounts().await;
    h.sandbox.sandbox.clear_requests();
    open_matrix(&h).await;
    h.wait_text("Loaded 5 of 6 projects; 1 failed.").await;
    let alert = h.alert_text().await;
    assert!(alert.contains(&broken.1) && alert.contains("HTTP 500"), "{alert}");
    let limited_reads = h.requests_to("GET", &format!("/projects/{}/service-accounts", limited.0));
    assert_eq!(limited_reads.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 200], "asked again after Retry-After");
    let concurrency_ok = h.requests_to("GET", &format!("/projects/{}/service-accounts", projects[0].0)).len() == 1;
    assert!(concurrency_ok, "other projects were read once");
    let header: String =
        h.wait_js("document.querySelector('table.matrix thead')?.innerText").await.as_str().unwrap().into();
    assert!(header.contains("failed"), "{header}");

    h.sandbox.sandbox.faults().clear();
    h.click("Retry failed projects").await;
    h.wait_text("Loaded all 6 projects.").await;
    h.finish().await;
}

#[tokio::test]
async fn a_slow_column_in_view_holds_the_matrix_rows_only_briefly() {
    // The rows wait for the columns in view to answer so they are drawn
    // filled, but only briefly: one slow project must not hide every row.
    let h = Harness::start().await;
    let projects = projects(&h);
    let slow = &projects[0];
    h.sandbox
        .sandbox
        .faults()
        .push(parse_spec(&format!("GET /projects/{}/service-accounts=latency:4000", slow.0)).unwrap());
    h.open_accounts().await;
    open_matrix(&h).await;
    // Rows drawn, with the other projects' cells, while the slow one loads.
    let in_other = serde_json::to_string(&format!(" in {}", projects[1].1)).unwrap();
    let drawn_early = format!(
        "[...document.querySelectorAll('table.matrix tbody select')].some(s => s.getAttribute('aria-label').endsWith({in_other})) \
         && document.body.innerText.includes('Loading project access: 5 of 6 projects')"
    );
    h.wait_js_for(&drawn_early, std::time::Duration::from_millis(3000)).await;
    let header: String =
        h.wait_js("document.querySelector('table.matrix thead')?.innerText").await.as_str().unwrap().into();
    assert!(header.contains("loading"), "the slow column still says so: {header}");
    h.wait_text("Loaded all 6 projects.").await;
    h.finish().await;
}

/// What the matrix draws against what its scroller shows, from the page:
/// `{covered, rows, cols, rowsInView, colsInView}`. `covered` holds when every
/// row and column at least partly in view (below the sticky header, right of
/// the sticky name column) is drawn.
const MATRIX_WINDOW: &str = r#"
const s = document.querySelector('.matrix-scroll');
const view = s.getBoundingClientRect();
// The corner cell sticks to the top and the left: the header row and the name column end where it does.
const corner = s.querySelector('.matrix-corner').getBoundingClientRect();
const [top, bottom, left, right] = [corner.bottom, view.top + s.clientHeight, corner.right, view.left + s.clientWidth];
const rows = [...s.querySelectorAll('tbody tr:not(.matrix-pad)')].map(r => r.getBoundingClientRect());
const cols = [...s.querySelectorAll('thead .matrix-col')].map(c => c.getBoundingClientRect());
const pads = [...s.querySelectorAll('tbody tr.matrix-pad')].map(r => r.getBoundingClientRect());
const spacers = [...s.querySelectorAll('thead .matrix-spacer')].map(c => c.getBoundingClientRect());
// Nothing but spacers may show where rows or columns should be.
const covered = rows.length > 0 && cols.length > 0
  && (rows[0].top <= top + 0.5 || pads[0].height === 0) && (rows[rows.length - 1].bottom >= bottom - 0.5 || pads[1].height === 0)
  && (cols[0].left <= left + 0.5 || spacers[0].width === 0) && (cols[cols.length - 1].right >= right - 0.5 || spacers[1].width === 0);
const inView = (xs, lo, hi, a, b) => xs.filter(x => x[b] > lo + 0.5 && x[a] < hi - 0.5).length;
return { covered, rows: rows.length, cols: cols.length, rowsInView: inView(rows, top, bottom, 'top', 'bottom'), colsInView: inView(cols, left, right, 'left', 'right') };
"#;

#[tokio::test]
async fn the_matrix_draws_what_is_in_view_and_a_margin_once_loaded() {
    let h = Harness::start_with(e2e::HarnessOptions {
        seed: sandbox::SeedOptions { seed: 11, accounts: 400, projects: 40 },
        ..Default::default()
    })
    .await;
    // The last project (out of view) answers late, so the first drawing can
    // be looked at while the load is still on.
    let last = projects(&h).last().unwrap().0;
    h.sandbox
        .sandbox
        .faults()
        .push(parse_spec(&format!("GET /projects/{last}/service-accounts=latency:3000")).unwrap());
    h.open_accounts().await;
    open_matrix(&h).await;
    let check = |condition: &str| {
        format!("(() => {{ const w = (() => {{{MATRIX_WINDOW}}})(); return ({condition}) ? w : null; }})()")
    };
    let loading = "document.body.innerText.includes('Loading project access: 39 of 40 projects') && w.rows > 0";
    let w = h.wait_js_for(&check(loading), std::time::Duration::from_millis(2500)).await;
    // While loading: what is in view, all of it, and nothing more.
    assert!(w["covered"].as_bool().unwrap(), "{w}");
    assert_eq!((w["rows"].clone(), w["cols"].clone()), (w["rowsInView"].clone(), w["colsInView"].clone()), "{w}");
    assert!(w["rowsInView"].as_u64().unwrap() >= 5 && w["colsInView"].as_u64().unwrap() >= 3, "{w}");

    // Once the load is over, a margin around it.
    h.wait_text("Loaded all 40 projects.").await;
    h.wait_js(&check("w.covered && w.rows > w.rowsInView && w.cols > w.colsInView")).await;

    // Scrolled far down and across, the window follows.
    h.browser
        .execute(
            "const s = document.querySelector('.matrix-scroll'); s.scrollTop = 200 * 36 + 7; s.scrollLeft = 20 * 132 + 11;",
            vec![],
        )
        .await
        .unwrap();
    let moved =
        "w.covered && document.querySelector('table.matrix tbody tr.matrix-pad').getBoundingClientRect().height > 0 \
                 && document.querySelector('table.matrix thead .matrix-spacer').getBoundingClientRect().width > 0";
    h.wait_js(&check(moved)).await;

    // A larger window shows more rows and columns, drawn without a scroll.
    h.browser.set_window_size(1800, 1500).await.unwrap();
    h.wait_js(&check("window.innerHeight > 1000 && w.covered")).await;
    h.browser.set_window_size(1280, 900).await.unwrap();
    h.finish().await;
}
