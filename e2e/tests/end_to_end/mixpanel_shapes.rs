//! The console against the sandbox in each of Mixpanel's modes: revoke when
//! only POST or only DELETE is served, a create whose expiry Mixpanel
//! ignores, the listed organisation role in rotation, team access and custom
//! roles read as they are.

use e2e::Harness;
use sandbox::model::Role;
use sandbox::switches::{RemoveMethod, SwitchesUpdate};
use sandbox::{DEMO_ADMIN, MAIN_ORG};

const REMOVE: &str = "/organizations/1/service-accounts/remove-from-project";

fn switch(h: &Harness, update: SwitchesUpdate) {
    h.sandbox.sandbox.update_switches(update);
}

/// A plain account with a direct membership, as (id, username, project id, project name).
fn member(h: &Harness, skip: usize) -> (u64, String, u64, String) {
    let store = h.sandbox.sandbox.store();
    let found = store
        .org_accounts(MAIN_ORG)
        .filter(|a| a.role < Role::Admin && a.username != DEMO_ADMIN.username)
        .filter_map(|a| {
            let (p, _) = store.members.iter().find(|(_, m)| m.contains_key(&a.id))?;
            Some((a.id, a.username.clone(), *p, store.projects[p].name.clone()))
        })
        .nth(skip)
        .expect("a member");
    found
}

/// The text a matrix cell shows, found by its select's name.
async fn cell_text(h: &Harness, cell: &str) -> String {
    let script = format!(
        "[...document.querySelectorAll('select')].find(s => s.getAttribute('aria-label') === {})?.parentElement.innerText",
        serde_json::to_string(cell).unwrap()
    );
    h.wait_js(&script).await.as_str().unwrap_or_default().to_string()
}

async fn revoke_from_table(h: &Harness, username: &str, project: &str) {
    h.type_into("Search", username).await;
    h.wait_count(1).await;
    h.tick(&format!("Select {username}")).await;
    h.click("Remove from projects").await;
    h.dialog("Remove from projects").await;
    h.tick(&format!("Remove from {project}")).await;
    h.click("Remove").await;
    h.wait_text("Done: the accounts are no longer direct members").await;
    h.click("Close").await;
    h.dialog_gone("Remove from projects").await;
    h.control(&format!("Select {username}")).await.click().await.unwrap();
    h.wait_js("!document.body.innerText.includes('1 selected')").await;
}

#[tokio::test]
async fn revoke_works_when_only_post_or_only_delete_is_served() {
    let h = Harness::start().await;
    h.allow_console(
        "remove-from-project - Failed to load resource: the server responded with a status of 405 (Method Not Allowed)",
    );
    h.open_accounts().await;

    // The generated spec: DELETE only. The console's first try is DELETE.
    switch(&h, SwitchesUpdate { remove_method: Some(RemoveMethod::Delete), ..Default::default() });
    let (id, username, project, name) = member(&h, 0);
    revoke_from_table(&h, &username, &name).await;
    assert!(!h.sandbox.sandbox.store().members[&project].contains_key(&id));
    let sent: Vec<(String, u16)> =
        h.sandbox.sandbox.requests().into_iter().filter(|r| r.path == REMOVE).map(|r| (r.method, r.status)).collect();
    assert_eq!(sent, [("DELETE".to_string(), 200)]);

    // The public page: POST only. DELETE gets a 405 (nothing done), the same
    // body goes once by POST, and POST is remembered for the session.
    h.sandbox.sandbox.clear_requests();
    switch(&h, SwitchesUpdate { remove_method: Some(RemoveMethod::Post), ..Default::default() });
    let (id, username, project, name) = member(&h, 0);
    revoke_from_table(&h, &username, &name).await;
    assert!(!h.sandbox.sandbox.store().members[&project].contains_key(&id));
    let (id2, username2, project2, name2) = member(&h, 0);
    revoke_from_table(&h, &username2, &name2).await;
    assert!(!h.sandbox.sandbox.store().members[&project2].contains_key(&id2));
    let sent: Vec<(String, u16)> =
        h.sandbox.sandbox.requests().into_iter().filter(|r| r.path == REMOVE).map(|r| (r.method, r.status)).collect();
    assert_eq!(
        sent,
        [("DELETE".to_string(), 405), ("POST".to_string(), 200), ("POST".to_string(), 200)],
        "one fallback, then the method that worked"
    );
    h.finish().await;
}

#[tokio::test]
async fn an_ignored_expiry_is_said_before_the_secret_is_confirmed() {
    let h = Harness::start().await;
    switch(&h, SwitchesUpdate { create_ignores_expires: Some(true), ..Default::default() });
    h.open_accounts().await;
    h.click("New service account").await;
    h.type_into("Name", "no-expiry-applied").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    let warning: String = h.inner_texts("[role=dialog] [role=alert]").await;
    assert!(warning.contains("Mixpanel did not apply the expiry: this account never expires"), "{warning}");
    let sent = &h.requests_to("POST", "/organizations/1/service-accounts")[0].body;
    assert!(sent["expires"].is_string(), "the console asked for 90 days: {sent}");
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    h.dialog_gone("Save the secret now").await;
    h.wait_text("Mixpanel did not apply the expiry").await;
    h.finish().await;
}

#[tokio::test]
async fn rotation_preselects_the_listed_org_role() {
    let h = Harness::start().await;
    let (id, username) = {
        let store = h.sandbox.sandbox.store();
        let a = store.org_accounts(MAIN_ORG).find(|a| a.role == Role::Analyst).expect("an org analyst");
        (a.id, a.username.clone())
    };
    h.sign_in_as_admin().await;
    h.open(&format!("/accounts/{id}?org=1")).await;
    h.sign_in_here_as_admin().await;
    h.wait_text("Checked all 6 projects.").await;
    h.wait_text(&username).await;
    h.wait_xpath("//dt[normalize-space(.)='Organization role']/following-sibling::dd[1][normalize-space(.)='Analyst']")
        .await;
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    let role: String = h.control("Organization role").await.prop("value").await.unwrap().unwrap();
    assert_eq!(role, "analyst", "the twin gets the old account's listed org role");
    h.wait_text("from the organization's list").await;
    h.click("Cancel").await;
    h.finish().await;
}

#[tokio::test]
async fn team_access_is_read_only_and_custom_roles_show_as_written() {
    let h = Harness::start().await;
    switch(&h, SwitchesUpdate { unknown_roles: Some(true), ..Default::default() });
    // An account with access through a team to some project, and one with a custom role.
    let (team_id, team_user, team_project) = {
        let store = h.sandbox.sandbox.store();
        let projects: Vec<(u64, String)> =
            store.projects.values().filter(|p| p.organization_id == MAIN_ORG).map(|p| (p.id, p.name.clone())).collect();
        let found = store
            .org_accounts(MAIN_ORG)
            .filter(|a| a.role < Role::Admin)
            .find_map(|a| {
                let p = projects.iter().find(|(p, _)| {
                    sandbox::model::team_role(a.id, *p).is_some()
                        && !store.members.get(p).is_some_and(|m| m.contains_key(&a.id))
                })?;
                Some((a.id, a.username.clone(), p.1.clone()))
            })
            .expect("an account with team access");
        found
    };
    let (custom_user, custom_project) = {
        let store = h.sandbox.sandbox.store();
        let found = store
            .members
            .iter()
            .find_map(|(p, m)| {
                let id = m.keys().find(|id| sandbox::model::has_custom_role(**id, *p))?;
                let a = store.accounts.get(id)?;
                (a.organization_id == MAIN_ORG).then(|| (a.username.clone(), store.projects[p].name.clone()))
            })
            .expect("a member with a custom role");
        found
    };

    h.sign_in_as_admin().await;
    h.open(&format!("/accounts/{team_id}?org=1")).await;
    h.sign_in_here_as_admin().await;
    h.wait_text("Checked all 6 projects.").await;
    let table: String = h.inner_texts("table").await;
    assert!(table.contains(&format!("{team_project}\t")) && table.contains("Through a team"), "{table}");

    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.wait_text("Loaded all 6 projects.").await;
    h.type_into("Filter accounts", &team_user).await;
    let cell = format!("Role of {team_user} in {team_project}");
    let select = h.control(&cell).await;
    assert!(!select.is_enabled().await.unwrap(), "team access is not edited per project");
    let text = cell_text(&h, &cell).await;
    assert!(text.contains("(team)"), "{text}");

    h.type_into("Filter accounts", &custom_user).await;
    let cell = format!("Role of {custom_user} in {custom_project}");
    h.control(&cell).await;
    let text = cell_text(&h, &cell).await;
    assert!(text.contains("Data Steward"), "a custom role is shown as written: {text}");
    h.finish().await;
}

#[tokio::test]
async fn the_tour_works_with_cors_as_mixpanel_answers() {
    let h = Harness::start_with(e2e::HarnessOptions {
        cross_origin_api: true,
        switches: sandbox::switches::Switches { mixpanel_cors: true, ..Default::default() },
        ..Default::default()
    })
    .await;
    h.allow_console("the server responded with a status of 429 (Too Many Requests)");
    assert_ne!(h.console_url(), h.sandbox.url(), "the console is on another origin than the API");
    // A 429 whose Retry-After (7 s) the page cannot read: it backs off 1 s.
    h.sandbox
        .sandbox
        .faults()
        .push(sandbox::faults::parse_spec("GET /organizations/1/service-accounts=429:7x1").unwrap());
    h.sign_in_as_admin().await;
    h.choose("Organization", "Acme Corp (admin)").await;
    h.wait_text("Mixpanel is limiting the request rate; asking again in 1 s").await;
    h.wait_js("document.querySelectorAll('table tbody tr[aria-rowindex]').length > 0").await;

    // Detail, grant and revoke (DELETE crosses origins too), create, matrix.
    let (id, username, project, name) = member(&h, 0);
    h.type_into("Search", &username).await;
    h.wait_xpath(&format!("//table//a[normalize-space(.)='{username}']")).await.click().await.unwrap();
    h.wait_text("Checked all 6 projects.").await;
    h.wait_xpath("//nav//a[normalize-space(.)='Service accounts']").await.click().await.unwrap();
    revoke_from_table(&h, &username, &name).await;
    assert!(!h.sandbox.sandbox.store().members[&project].contains_key(&id));
    h.type_into("Search", &username).await;
    h.wait_count(1).await;
    h.tick(&format!("Select {username}")).await;
    h.click("Add to projects").await;
    h.dialog("Add to projects").await;
    h.tick(&format!("Add to {name}")).await;
    h.click("Add").await;
    h.wait_text("Done: every membership now has the role asked for").await;
    h.click("Close").await;
    h.dialog_gone("Add to projects").await;
    assert!(h.sandbox.sandbox.store().members[&project].contains_key(&id));
    h.type_into("Search", "").await;
    h.click("New service account").await;
    h.type_into("Name", "cross-origin").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    h.dialog_gone("Save the secret now").await;
    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.wait_text("Loaded all 6 projects.").await;
    h.finish().await;
}
