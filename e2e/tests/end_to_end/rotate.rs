//! Rotation from start to finish, and a rotation interrupted after the
//! replacement was made.

use e2e::Harness;
use sandbox::model::Role;
use sandbox::{DEMO_ADMIN, MAIN_ORG};
use std::collections::BTreeMap;

const CREATE_PATH: &str = "/organizations/1/service-accounts";

/// An account below admin with at least two direct memberships, and them.
fn pick(h: &Harness) -> (u64, String, BTreeMap<u64, Role>) {
    let store = h.sandbox.sandbox.store();
    let held = |id: u64| -> BTreeMap<u64, Role> {
        store.members.iter().filter_map(|(p, m)| m.get(&id).map(|r| (*p, *r))).collect()
    };
    let found = store
        .org_accounts(MAIN_ORG)
        .filter(|a| a.role < Role::Admin && a.username != DEMO_ADMIN.username)
        .map(|a| (a.id, a.username.clone(), held(a.id)))
        .find(|(_, _, m)| m.len() >= 2)
        .expect("an account in two projects");
    found
}

async fn open_detail(h: &Harness, username: &str) {
    h.type_into("Search", username).await;
    h.wait_xpath(&format!("//table//a[normalize-space(.)='{username}']")).await.click().await.unwrap();
    h.wait_text("Checked all 6 projects.").await;
}

async fn create_replacement(h: &Harness) -> String {
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    h.choose("Expires", "30 days").await;
    h.click("Create replacement").await;
    h.dialog("Save the secret now").await;
    let username = h
        .wait_js("document.querySelector('[role=dialog] code.copyable:not(.secret)')?.textContent")
        .await
        .as_str()
        .unwrap()
        .to_string();
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    h.dialog("Rotate").await;
    username
}

#[tokio::test]
async fn rotation_copies_access_shows_the_secret_and_deletes_the_old_account_last() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let (old_id, old_name, held) = pick(&h);
    open_detail(&h, &old_name).await;
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    h.wait_text(&format!("Keep {old_name} working until you press Delete old account")).await;
    h.wait_text(&format!("the same organization role and {} project memberships", held.len())).await;
    h.screenshot("rotate-plan").await;
    h.click("Cancel").await;
    h.dialog_gone("Rotate").await;

    let new_name = create_replacement(&h).await;
    assert!(new_name.starts_with(&format!("{}.", old_name.split('.').next().unwrap())), "{new_name}");
    h.wait_text(&format!("{new_name} replaces {old_name}")).await;
    let new_id = {
        let store = h.sandbox.sandbox.store();
        assert!(store.accounts.contains_key(&old_id), "the old account stays until the admin says so");
        let new = store.accounts.values().find(|a| a.username == new_name).expect("twin created");
        let copied: BTreeMap<u64, Role> =
            store.members.iter().filter_map(|(p, m)| m.get(&new.id).map(|r| (*p, *r))).collect();
        assert_eq!(copied, held, "same projects and roles");
        assert!(new.expires.is_some(), "a fresh expiry");
        new.id
    };
    let bodies = h.requests_to("POST", CREATE_PATH);
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0].body["role"], "consumer");

    h.click("Delete old account").await;
    h.wait_xpath(&format!("//h1[normalize-space(.)='{new_name}']")).await;
    let url = h.browser.current_url().await.unwrap();
    assert!(url.path().ends_with(&format!("/accounts/{new_id}")), "{url}");
    assert!(!h.sandbox.sandbox.store().accounts.contains_key(&old_id), "old account deleted");
    h.finish().await;
}

#[tokio::test]
async fn an_interrupted_rotation_is_explained_and_can_be_finished() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let (old_id, old_name, _) = pick(&h);
    open_detail(&h, &old_name).await;
    let new_name = create_replacement(&h).await;
    h.click("Later").await;
    h.dialog_gone("Rotate").await;
    assert!(h.sandbox.sandbox.store().accounts.contains_key(&old_id), "Later keeps the old account");

    h.click("Rotate").await;
    h.dialog("Rotate").await;
    h.wait_text("A rotation seems to have been started before").await;
    h.wait_text(&new_name).await;
    h.click("Delete old account").await;
    h.wait_xpath(&format!("//h1[normalize-space(.)='{new_name}']")).await;
    assert!(!h.sandbox.sandbox.store().accounts.contains_key(&old_id));
    assert_eq!(h.requests_to("POST", CREATE_PATH).len(), 1, "no second replacement was made");
    h.finish().await;
}
