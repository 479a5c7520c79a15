//! The failures ordinary use used to hit: a panic after Copy then Done, work
//! left running after its dialog closed, the idle lock destroying a secret,
//! requests after sign-out, deleting oneself first, a 429 shown as an empty
//! organisation, open redirects, a hung DELETE, a create that commits late.
//! Every test here also fails if the page logs a panic or an unexpected error
//! (`Harness::finish`).

use e2e::{Harness, HarnessOptions};
use sandbox::{faults::parse_spec, DEMO_ADMIN, MAIN_ORG};
use std::time::Duration;

const LIST: &str = "/organizations/1/service-accounts";

fn fault(h: &Harness, spec: &str) {
    h.sandbox.sandbox.faults().push(parse_spec(spec).unwrap());
}

async fn open_create(h: &Harness) {
    h.wait_xpath("//nav//a[normalize-space(.)='Service accounts']").await.click().await.unwrap();
    h.control("Search").await;
    h.click("New service account").await;
    h.control("Name").await;
}

async fn select_and_open_delete(h: &Harness, usernames: &[String]) {
    for u in usernames {
        h.control(&format!("Select {u}")).await.click().await.unwrap();
    }
    h.wait_text(&format!("{} selected", usernames.len())).await;
    h.click("Delete selected").await;
    h.dialog(&format!("Delete {} service accounts", usernames.len())).await;
    h.type_into("Type the username to confirm", &format!("delete {}", usernames.len())).await;
}

async fn press_delete(h: &Harness) {
    h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Delete']").await.click().await.unwrap();
}

#[tokio::test]
async fn copy_then_done_at_once_leaves_no_panic() {
    let h = Harness::start().await;
    h.open_accounts().await;
    open_create(&h).await;
    h.type_into("Name", "copy-then-done").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    h.click("Copy secret").await;
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    h.dialog_gone("Save the secret now").await;
    // The clipboard fallback timer (1.5 s) would have fired into the closed dialog.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    h.wait_text("copy-then-done.").await;
    h.finish().await;
}

#[tokio::test]
async fn cancelling_rotate_while_its_list_loads_is_quiet() {
    let h = Harness::start().await;
    let id = h.sandbox.sandbox.store().org_accounts(MAIN_ORG).find(|a| a.username != DEMO_ADMIN.username).unwrap().id;
    h.sign_in_as_admin().await;
    h.open(&format!("/accounts/{id}?org=1")).await;
    h.sign_in_here_as_admin().await;
    h.wait_text("Checked all 6 projects.").await;
    fault(&h, &format!("GET {LIST}=latency:1500"));
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    h.click("Cancel").await;
    h.dialog_gone("Rotate").await;
    h.click("Rotate").await;
    h.dialog("Rotate").await;
    h.click("Cancel").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    h.button("Rotate").await;
    h.finish().await;
}

#[tokio::test]
async fn the_idle_lock_waits_for_a_secret_on_screen() {
    let h = Harness::start_with(HarnessOptions { idle_lock_seconds: Some(3), ..Default::default() }).await;
    h.open_accounts().await;
    open_create(&h).await;
    h.type_into("Name", "kept-secret").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    let secret = h.wait_js("document.querySelector('[role=dialog] code.secret')?.textContent").await;
    h.wait_text("It waits until you confirm the secret is stored").await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let still = h.wait_js("document.querySelector('[role=dialog] code.secret')?.textContent").await;
    assert_eq!(secret, still, "the secret stays on screen past the idle lock");
    assert!(h.is_present("//button[normalize-space(.)='Sign out']").await, "still signed in");
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("locked itself"), "{alert}");
    h.control("Username").await;
    h.finish().await;
}

#[tokio::test]
async fn signing_out_during_a_bulk_delete_stops_every_request() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let chosen: Vec<String> =
        h.shown_usernames().await.into_iter().filter(|u| u != DEMO_ADMIN.username).take(6).collect();
    fault(&h, "DELETE /organizations/1/service-accounts/*=latency:1500");
    select_and_open_delete(&h, &chosen).await;
    press_delete(&h).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The dialog is modal; the admin's Sign out is behind it, so press it from script.
    h.browser
        .execute(
            "[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Sign out').click()",
            vec![],
        )
        .await
        .unwrap();
    h.control("Username").await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let still_there = {
        let store = h.sandbox.sandbox.store();
        chosen.iter().filter(|u| store.find_by_username(u).is_some()).count()
    };
    assert_eq!(still_there, 6, "no delete was carried out after sign-out");
    let deletes = h.sandbox.sandbox.requests().into_iter().filter(|r| r.method == "DELETE").count();
    assert!(deletes < 6, "the queued deletes were never sent ({deletes} reached the sandbox)");
    h.finish().await;
}

#[tokio::test]
async fn deleting_oneself_with_others_deletes_the_others_first_then_signs_out() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let others: Vec<String> =
        h.shown_usernames().await.into_iter().filter(|u| u != DEMO_ADMIN.username).take(2).collect();
    for u in &others {
        h.control(&format!("Select {u}")).await.click().await.unwrap();
    }
    h.type_into("Search", "demo-admin").await;
    h.control(&format!("Select {}", DEMO_ADMIN.username)).await.click().await.unwrap();
    h.wait_text("3 selected").await;
    h.click("Delete selected").await;
    h.dialog("Delete 3 service accounts").await;
    h.wait_text("This includes the account you are signed in with").await;
    h.type_into("Type the username to confirm", "delete 3").await;
    press_delete(&h).await;
    let alert = h.alert_text().await;
    assert!(alert.contains("You deleted the service account you were signed in with"), "{alert}");
    assert!(alert.contains("Deleted 3 service accounts."), "{alert}");
    h.control("Username").await;
    let deletes: Vec<String> =
        h.sandbox.sandbox.requests().into_iter().filter(|r| r.method == "DELETE").map(|r| r.path).collect();
    assert_eq!(deletes.len(), 3, "{deletes:?}");
    let statuses: Vec<u16> =
        h.sandbox.sandbox.requests().into_iter().filter(|r| r.method == "DELETE").map(|r| r.status).collect();
    assert_eq!(statuses, vec![200, 200, 200], "no 401 for the others: the own account went last");
    {
        let store = h.sandbox.sandbox.store();
        assert!(others.iter().all(|u| store.find_by_username(u).is_none()));
        assert!(store.find_by_username(DEMO_ADMIN.username).is_none());
    }
    h.finish().await;
}

#[tokio::test]
async fn a_429_on_the_list_is_waited_out_and_never_shown_as_empty() {
    for spec in [format!("GET {LIST}=429:1x1"), format!("GET {LIST}=429x1")] {
        let h = Harness::start().await;
        h.allow_console("429 (Too Many Requests)");
        fault(&h, &spec);
        h.sign_in_as_admin().await;
        h.choose("Organization", "Acme Corp (admin)").await;
        h.wait_text("Mixpanel is limiting the request rate; asking again in 1 s").await;
        let text: String = h.wait_js("document.body.innerText").await.as_str().unwrap().into();
        assert!(!text.contains("0 service accounts"), "{spec}: an unloaded list is not empty: {text}");
        h.wait_js("document.querySelectorAll('table tbody tr[aria-rowindex]').length > 0").await;
        let total = h.sandbox.sandbox.store().org_accounts(MAIN_ORG).count();
        h.wait_count(total).await;
        assert_eq!(h.requests_to("GET", LIST).len(), 2, "{spec}: asked again once");
        h.finish().await;
    }
}

#[tokio::test]
async fn next_never_leaves_the_console() {
    let h = Harness::start().await;
    let origin = h.sandbox.url().trim_end_matches('/').to_string();
    for payload in [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "javascript%3Aalert(1)",
    ] {
        h.open(&format!("/?next={payload}")).await;
        h.sign_in_here_as_admin().await;
        h.button("Sign out").await;
        let here: String = h.wait_js("location.href").await.as_str().unwrap().into();
        assert!(here.starts_with(&format!("{origin}/accounts")), "{payload} led to {here}");
        h.click("Sign out").await;
        h.control("Username").await;
    }
    h.open("/?next=%2Fmatrix%3Forg%3D1").await;
    h.sign_in_here_as_admin().await;
    h.wait_text("Access matrix").await;
    let here: String = h.wait_js("location.pathname + location.search").await.as_str().unwrap().into();
    assert_eq!(here, "/matrix?org=1", "a page of the console is followed");
    h.finish().await;
}

#[tokio::test]
async fn a_hung_delete_never_traps_the_admin() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let chosen: Vec<String> =
        h.shown_usernames().await.into_iter().filter(|u| u != DEMO_ADMIN.username).take(2).collect();
    fault(&h, "DELETE /organizations/1/service-accounts/*=hang:30");
    select_and_open_delete(&h, &chosen).await;
    press_delete(&h).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cancel = h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Cancel']").await;
    assert!(cancel.is_enabled().await.unwrap(), "Cancel works while the delete hangs");
    cancel.click().await.unwrap();
    h.dialog_gone("Delete 2 service accounts").await;
    h.wait_text("Stopped waiting for Mixpanel to answer the delete").await;
    h.control("Search").await;
    h.finish().await;
}

#[tokio::test]
async fn a_create_that_commits_after_its_lost_answer_is_found() {
    let h = Harness::start().await;
    h.allow_console("500 (Internal Server Error)");
    h.open_accounts().await;
    fault(&h, &format!("POST {LIST}=500later:3000x1"));
    open_create(&h).await;
    h.type_into("Name", "slow-commit").await;
    h.click("Create service account").await;
    h.wait_text("Checking the list of service accounts").await;
    let made = h
        .wait_js_for("document.body.innerText.includes('The account was created anyway')", Duration::from_secs(20))
        .await;
    assert!(made.as_bool().unwrap_or(false));
    assert_eq!(h.requests_to("POST", LIST).len(), 1, "never retried");
    let text: String = h.wait_js("document.body.innerText").await.as_str().unwrap().into();
    assert!(!text.contains("The account was not created"), "{text}");
    h.finish().await;
}
