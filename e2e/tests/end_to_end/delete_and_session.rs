//! Detail, single and bulk delete, the idle lock, and a 401 mid-session.

use e2e::{Harness, HarnessOptions};
use sandbox::{faults::parse_spec, DEMO_ADMIN, MAIN_ORG};

#[tokio::test]
async fn detail_shows_fields_and_memberships_then_deletes_deliberately() {
    let h = Harness::start().await;
    let (id, username, memberships) = {
        let store = h.sandbox.sandbox.store();
        let (id, username) = store
            .org_accounts(MAIN_ORG)
            .filter(|a| a.role < sandbox::model::Role::Admin)
            .map(|a| (a.id, a.username.clone()))
            .find(|(id, _)| store.members.values().filter(|m| m.contains_key(id)).count() >= 2)
            .expect("an account in two projects");
        let memberships: Vec<(String, String)> = store
            .members
            .iter()
            .filter_map(|(p, m)| m.get(&id).map(|r| (store.projects[p].name.clone(), r.as_str().to_string())))
            .collect();
        (id, username, memberships)
    };
    h.sign_in_as_admin().await;
    h.open(&format!("/accounts/{id}?org=1")).await;
    h.sign_in_here_as_admin().await;
    h.wait_text("Checked all 6 projects.").await;
    h.wait_text(&username).await;
    let table: String = h.inner_texts("table").await;
    for (project, role) in &memberships {
        assert!(table.contains(&format!("{project}\t{role}\tDirect")), "{project} {role} in {table}");
    }
    h.screenshot("detail").await;

    h.click("Delete").await;
    h.wait_xpath("//*[@role='dialog'][.//h2[normalize-space(.)='Delete service account']]").await;
    let delete = h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Delete']").await;
    assert!(!delete.is_enabled().await.unwrap(), "disabled until the username is typed");
    h.type_into("Type the username to confirm", "wrong").await;
    assert!(!delete.is_enabled().await.unwrap());
    h.type_into("Type the username to confirm", &username).await;
    delete.click().await.unwrap();
    h.control("Search").await;
    assert!(!h.sandbox.sandbox.store().accounts.contains_key(&id), "deleted on the server");
    h.finish().await;
}

#[tokio::test]
async fn bulk_delete_reports_the_one_that_failed_and_keeps_the_rest_done() {
    let h = Harness::start().await;
    h.allow_console("the server responded with a status of 500 (Internal Server Error)");
    h.open_accounts().await;
    let total = h.sandbox.sandbox.store().org_accounts(MAIN_ORG).count();
    let chosen: Vec<String> = h.shown_usernames().await.into_iter().take(3).collect();
    assert_eq!(chosen.len(), 3);
    let failing = chosen[1].clone();
    let failing_id = h.sandbox.sandbox.store().find_by_username(&failing).unwrap().id;
    h.sandbox
        .sandbox
        .faults()
        .push(parse_spec(&format!("DELETE /organizations/1/service-accounts/{failing_id}=500x1")).unwrap());
    for u in &chosen {
        h.control(&format!("Select {u}")).await.click().await.unwrap();
    }
    h.wait_text("3 selected").await;
    h.click("Delete selected").await;
    h.wait_xpath("//*[@role='dialog'][.//h2[normalize-space(.)='Delete 3 service accounts']]").await;
    h.type_into("Type the username to confirm", "delete 3").await;
    h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Delete']").await.click().await.unwrap();
    let alert = h.alert_text().await;
    assert!(alert.contains("Deleted 2 service accounts. 1 could not be deleted"), "{alert}");
    assert!(alert.contains(&failing) && alert.contains("HTTP 500"), "{alert}");
    h.wait_count(total - 2).await;
    {
        let store = h.sandbox.sandbox.store();
        assert!(store.find_by_username(&failing).is_some());
        assert!(chosen.iter().filter(|u| **u != failing).all(|u| store.find_by_username(u).is_none()));
    }
    assert!(
        h.control(&format!("Select {failing}")).await.is_selected().await.unwrap(),
        "the failed one stays selected"
    );
    h.finish().await;
}

#[tokio::test]
async fn the_console_locks_itself_when_idle() {
    let h = Harness::start_with(HarnessOptions { idle_lock_seconds: Some(2), ..Default::default() }).await;
    h.open_accounts().await;
    let alert = h.alert_text().await;
    assert!(alert.contains("locked itself"), "{alert}");
    assert_eq!(h.control("Username").await.prop("value").await.unwrap().as_deref(), Some(DEMO_ADMIN.username));
    assert_eq!(h.control("Secret").await.prop("value").await.unwrap().as_deref(), Some(""));
    h.finish().await;
}

#[tokio::test]
async fn a_401_mid_session_returns_to_sign_in_keeping_the_username() {
    let h = Harness::start().await;
    h.allow_console("the server responded with a status of 401 (Unauthorized)");
    h.open_accounts().await;
    {
        let mut store = h.sandbox.sandbox.store();
        let id = store.find_by_username(DEMO_ADMIN.username).unwrap().id;
        store.accounts.get_mut(&id).unwrap().secret = "rotated-elsewhere".into();
    }
    h.choose("Organization", "Acme Labs (admin)").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("no longer accepts this credential"), "{alert}");
    assert_eq!(h.control("Username").await.prop("value").await.unwrap().as_deref(), Some(DEMO_ADMIN.username));
    assert_eq!(h.control("Region").await.prop("value").await.unwrap().as_deref(), Some("custom"));
    assert_eq!(h.control("Secret").await.prop("value").await.unwrap().as_deref(), Some(""));
    h.finish().await;
}
