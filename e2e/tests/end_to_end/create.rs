//! Create: the body the sandbox receives for each expiry and with projects,
//! every invalid input, the secret shown once, the credentials file, and a
//! failed create that is never retried.

use chrono::{DateTime, Duration, Utc};
use e2e::Harness;
use sandbox::{faults::parse_spec, Fault, FaultRule, MAIN_ORG};
use serde_json::{json, Value};

const CREATE_PATH: &str = "/organizations/1/service-accounts";

async fn open_create(h: &Harness) {
    h.wait_xpath("//nav//a[normalize-space(.)='Service accounts']").await.click().await.unwrap();
    h.control("Search").await;
    h.click("New service account").await;
    h.control("Name").await;
}

/// Reads the shown username and secret, ticks the box, presses Done.
async fn store_secret(h: &Harness) -> (String, String) {
    h.dialog("Save the secret now").await;
    let text = |sel: &str| format!("document.querySelector('[role=dialog] {sel}')?.textContent");
    let username = h.wait_js(&text("code.copyable:not(.secret)")).await.as_str().unwrap().to_string();
    let secret = h.wait_js(&text("code.secret")).await.as_str().unwrap().to_string();
    let done = h.button("Done").await;
    assert!(!done.is_enabled().await.unwrap(), "Done waits for the confirmation");
    h.tick("I have stored the secret").await;
    assert!(done.is_enabled().await.unwrap());
    done.click().await.unwrap();
    h.dialog_gone("Save the secret now").await;
    (username, secret)
}

fn project_names(h: &Harness) -> Vec<(u64, String)> {
    let store = h.sandbox.sandbox.store();
    store.projects.values().filter(|p| p.organization_id == MAIN_ORG).map(|p| (p.id, p.name.clone())).collect()
}

fn expires_in_days(body: &Value, days: i64) {
    let at: DateTime<Utc> = body["expires"].as_str().expect("expires sent").parse().expect("RFC 3339");
    let off = (at - (Utc::now() + Duration::days(days))).num_seconds().abs();
    assert!(off < 600, "expires {at} is not {days} days from now");
}

#[tokio::test]
async fn each_expiry_preset_and_projects_send_the_documented_body() {
    let h = Harness::start().await;
    h.open_accounts().await;
    let projects = project_names(&h);
    let (p1, p2) = (&projects[0], &projects[2]);
    let presets = ["30 days", "90 days", "1 year", "Never", "Custom date"];
    for (i, preset) in presets.iter().enumerate() {
        open_create(&h).await;
        let name = format!("preset-{i}");
        h.type_into("Name", &name).await;
        if i == 0 {
            let expires = h.control("Expires").await;
            let chosen: String = expires.prop("value").await.unwrap().unwrap();
            assert_eq!(chosen, "90d", "90 days is the default");
            let role: String = h.control("Organization role").await.prop("value").await.unwrap().unwrap();
            assert_eq!(role, "consumer", "least privilege is the default");
        }
        h.choose("Expires", preset).await;
        match *preset {
            "Never" => h.wait_text("Never expiring: a leaked secret keeps working").await,
            "Custom date" => h.set_value("Expiry date", "2030-06-15").await,
            _ => {}
        }
        if i == 1 {
            h.choose("Organization role", "Analyst").await;
            h.tick(&format!("Add to {}", p1.1)).await;
            h.choose(&format!("Role in {}", p1.1), "Admin").await;
            h.tick(&format!("Add to {}", p2.1)).await;
            // A role picked for an unticked project is not sent.
            h.choose(&format!("Role in {}", projects[1].1), "Owner").await;
            h.wait_text(&format!("Admin or owner in: {}.", p1.1)).await;
            h.screenshot("create-form").await;
        }
        h.click("Create service account").await;
        let (username, _) = store_secret(&h).await;
        assert!(username.starts_with(&format!("{name}.")) && username.ends_with(".mp-service-account"), "{username}");
        h.wait_text("Project memberships").await;
    }
    let bodies: Vec<Value> = h.requests_to("POST", CREATE_PATH).into_iter().map(|r| r.body).collect();
    assert_eq!(bodies.len(), presets.len(), "one request per create: {bodies:?}");
    for (i, body) in bodies.iter().enumerate() {
        let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        match i {
            0 => {
                assert_eq!(keys, ["expires", "role", "username"], "{body}");
                assert_eq!(body["role"], "consumer");
                expires_in_days(body, 30);
            }
            1 => {
                expires_in_days(body, 90);
                assert_eq!(body["role"], "analyst");
                let mut sent: Vec<(u64, String)> = body["projects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p["id"].as_u64().unwrap(), p["role"].as_str().unwrap().to_string()))
                    .collect();
                sent.sort();
                assert_eq!(sent, [(p1.0, "admin".to_string()), (p2.0, "consumer".to_string())], "{body}");
            }
            2 => expires_in_days(body, 365),
            3 => assert_eq!(keys, ["role", "username"], "Never sends no expiry: {body}"),
            _ => assert_eq!(body["expires"], "2030-06-15T00:00:00Z"),
        }
        assert_eq!(body["username"], format!("preset-{i}"));
    }
    {
        let store = h.sandbox.sandbox.store();
        let created = store.accounts.values().find(|a| a.username.starts_with("preset-1.")).unwrap();
        assert_eq!(store.members[&p1.0].get(&created.id), Some(&sandbox::model::Role::Admin));
    }
    h.finish().await;
}

#[tokio::test]
async fn invalid_inputs_are_named_next_to_their_fields_and_nothing_is_sent() {
    let h = Harness::start().await;
    h.allow_console(
        "/service-accounts - Failed to load resource: the server responded with a status of 403 (Forbidden)",
    );
    h.allow_console(
        "/service-accounts - Failed to load resource: the server responded with a status of 400 (Bad Request)",
    );
    h.open_accounts().await;
    open_create(&h).await;
    h.click("Create service account").await;
    assert_eq!(h.field_error("Name").await, "Enter a name for the service account.");
    let focused = h.wait_js("document.activeElement?.id").await;
    assert_eq!(focused, "create-name", "focus goes to the first error");

    h.type_into("Name", "etl job.v2").await;
    h.wait_js("document.getElementById('create-name-error').innerText.includes('Remove: space, “.”')").await;
    h.type_into("Name", &"n".repeat(65)).await;
    assert_eq!(h.field_error("Name").await, "The name can be at most 64 characters long; this one has 65.");
    h.type_into("Name", "good-name").await;
    h.wait_js("document.getElementById('create-name-error').innerText === ''").await;

    h.choose("Expires", "Custom date").await;
    h.click("Create service account").await;
    assert_eq!(h.field_error("Expiry date").await, "Choose the date on which the account expires.");
    h.set_value("Expiry date", "2020-01-01").await;
    let tomorrow = (Utc::now().date_naive() + Duration::days(1)).format("%Y-%m-%d");
    h.wait_text(&format!("The expiry date must lie in the future: the earliest is {tomorrow}.")).await;
    assert_eq!(h.control("Name").await.prop("value").await.unwrap().unwrap(), "good-name", "input kept");
    assert!(h.requests_to("POST", CREATE_PATH).is_empty(), "nothing leaves while the form is invalid");

    // Refusals the console cannot foresee land next to their field too.
    h.set_value("Expiry date", "2030-01-01").await;
    h.choose("Organization role", "Owner").await;
    h.wait_text("Caution: an owner can create and delete service accounts").await;
    h.click("Create service account").await;
    h.wait_js("document.getElementById('create-role-error').innerText.includes('You cannot grant the owner role')")
        .await;
    h.choose("Organization role", "Consumer").await;
    h.sandbox.sandbox.faults().push(FaultRule {
        method: Some("POST".into()),
        path: Some(CREATE_PATH.into()),
        fault: Some(Fault::BadRequest { message: "username good-name is reserved".into() }),
        times: Some(1),
        ..FaultRule::default()
    });
    h.click("Create service account").await;
    h.wait_js("document.getElementById('create-name-error').innerText.includes('username good-name is reserved')")
        .await;
    assert_eq!(h.requests_to("POST", CREATE_PATH).len(), 2, "one request per press, none repeated");
    assert!(!h.sandbox.sandbox.store().accounts.values().any(|a| a.username.starts_with("good-name.")));
    h.finish().await;
}

#[tokio::test]
async fn the_secret_is_shown_once_downloaded_and_then_gone() {
    let h = Harness::start().await;
    h.open_accounts().await;
    open_create(&h).await;
    h.type_into("Name", "ingest").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;

    // Back asks first, and staying keeps the dialog.
    h.browser.execute("history.back()", vec![]).await.unwrap();
    let mut asked = None;
    for _ in 0..50 {
        if let Ok(text) = h.browser.get_alert_text().await {
            asked = Some(text);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(asked.expect("Back asks before leaving").contains("If you leave now it is lost"));
    h.browser.dismiss_alert().await.unwrap();
    h.dialog("Save the secret now").await;

    h.screenshot("secret-dialog").await;
    h.click("Download credentials").await;
    h.click("Copy secret").await;
    let copy_note = h
        .wait_js("[...document.querySelectorAll('[role=dialog] [role=status]')].map(e => e.innerText).find(t => /secret/i.test(t))")
        .await;
    let copy_note = copy_note.as_str().unwrap();
    assert!(
        copy_note.contains("copied to the clipboard") || copy_note.contains("the secret is selected"),
        "{copy_note}"
    );

    let (username, secret) = store_secret(&h).await;
    let account = h.sandbox.sandbox.store().accounts.values().find(|a| a.username == username).cloned().unwrap();
    assert_eq!(account.secret, secret, "the shown secret is the account's");
    let file: Value =
        serde_json::from_str(&h.downloaded(&format!("{username}.credentials.json")).await).expect("JSON file");
    assert_eq!(
        file,
        json!({"username": username, "secret": secret, "api_base_url": h.sandbox.api_url(), "organization_id": 1})
    );

    h.wait_text("Project memberships").await;
    let html = h.browser.source().await.unwrap();
    assert!(!html.contains(&secret), "the secret left the DOM");
    assert!(!h.browser_storage_dump().await.contains(&secret), "and never reached storage or the URL");
    let url = h.browser.current_url().await.unwrap();
    assert!(url.path().ends_with(&format!("/accounts/{}", account.id)), "{url}");
    h.finish().await;
}

#[tokio::test]
async fn a_failed_create_is_never_retried_and_the_console_says_what_happened() {
    let h = Harness::start().await;
    h.allow_console("/service-accounts - Failed to load resource: the server responded with a status of 500 (Internal Server Error)");
    h.open_accounts().await;
    let total = || h.sandbox.sandbox.store().org_accounts(MAIN_ORG).count();
    let before = total();

    // 500 with nothing done: not created, input kept, press again.
    h.sandbox.sandbox.faults().push(parse_spec(&format!("POST {CREATE_PATH}=500x1")).unwrap());
    open_create(&h).await;
    h.type_into("Name", "flaky").await;
    h.click("Create service account").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("The server failed (HTTP 500)") && alert.contains("The account was not created"), "{alert}");
    assert_eq!(h.requests_to("POST", CREATE_PATH).len(), 1, "never retried");
    assert_eq!(total(), before);
    assert_eq!(h.control("Name").await.prop("value").await.unwrap().unwrap(), "flaky");
    h.click("Create service account").await;
    store_secret(&h).await;
    assert_eq!((h.requests_to("POST", CREATE_PATH).len(), total()), (2, before + 1));

    // 500 after the server did it: created anyway, secret lost, offer to delete.
    h.sandbox.sandbox.faults().push(parse_spec(&format!("POST {CREATE_PATH}=500afterx1")).unwrap());
    open_create(&h).await;
    h.type_into("Name", "ghost").await;
    h.click("Create service account").await;
    h.wait_text("The account was created anyway").await;
    assert_eq!(h.requests_to("POST", CREATE_PATH).len(), 3, "never retried");
    let ghost =
        h.sandbox.sandbox.store().accounts.values().find(|a| a.username.starts_with("ghost.")).cloned().unwrap();
    h.click(&format!("Delete {}", ghost.username)).await;
    h.dialog("Delete service account").await;
    h.type_into("Type the username to confirm", &ghost.username).await;
    h.wait_xpath("//*[@role='dialog']//button[normalize-space(.)='Delete']").await.click().await.unwrap();
    h.wait_text(&format!("Deleted {}.", ghost.username)).await;
    assert!(!h.sandbox.sandbox.store().accounts.contains_key(&ghost.id));
    assert_eq!(total(), before + 1);
    h.finish().await;
}
