//! Sign-in, identity, sign-out, and the promises about the credential.

use e2e::Harness;
use sandbox::DEMO_ADMIN;

#[tokio::test]
async fn demo_admin_signs_in_sees_identity_and_signs_out() {
    let h = Harness::start().await;
    h.sign_in_as_admin().await;
    h.browser.find(fantoccini::Locator::LinkText("Identity")).await.unwrap().click().await.unwrap();
    h.wait_text(&format!("{}@mixpanel.org", DEMO_ADMIN.username)).await;
    h.wait_text(DEMO_ADMIN.username).await;
    for org in ["Acme Corp", "Acme Labs", "Partner Co"] {
        h.wait_text(org).await;
    }
    h.control("Organization").await;
    h.screenshot("signed-in").await;

    let stored = h.browser_storage_dump().await;
    assert!(!stored.contains(DEMO_ADMIN.secret), "the secret is in no storage and not in the URL: {stored}");
    assert!(!stored.contains("Basic"), "{stored}");

    h.click("Sign out").await;
    h.button("Sign in").await;
    assert_eq!(h.control("Secret").await.prop("value").await.unwrap().as_deref(), Some(""), "secret not kept");
    h.open("/accounts").await;
    h.button("Sign in").await;
    h.finish().await;
}

#[tokio::test]
async fn wrong_secret_shows_the_error_and_keeps_the_username() {
    let h = Harness::start().await;
    h.allow_console("/api/app/me - Failed to load resource: the server responded with a status of 401 (Unauthorized)");
    h.sign_in(DEMO_ADMIN.username, "not-the-secret").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("credentials were not accepted"), "{alert}");
    assert_eq!(h.control("Username").await.prop("value").await.unwrap().as_deref(), Some(DEMO_ADMIN.username));
    assert!(!h.is_present(&e2e::page::button_xpath("Sign out")).await);
    h.screenshot("wrong-secret").await;
    h.finish().await;
}

#[tokio::test]
async fn a_reload_forgets_the_session_and_returns_to_the_deep_link() {
    let h = Harness::start().await;
    h.sign_in_as_admin().await;
    h.open("/accounts?q=etl").await;
    h.button("Sign in").await;
    let url = h.browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/");
    assert!(url.query().unwrap_or_default().contains("next="), "{url}");
    h.sign_in_here_as_admin().await;
    h.button("Sign out").await;
    let url = h.browser.current_url().await.unwrap();
    assert_eq!((url.path(), url.query()), ("/accounts", Some("q=etl")));
    h.finish().await;
}

#[tokio::test]
async fn empty_fields_and_bad_urls_get_errors_next_to_them() {
    let h = Harness::start().await;
    h.open("/").await;
    h.click("Sign in").await;
    assert_eq!(h.field_error("Username").await, "Enter the service account's username");
    assert_eq!(h.field_error("Secret").await, "Enter the service account's secret");
    h.choose("Region", "Custom").await;
    h.type_into("API base URL", "proxy.internal/api").await;
    h.type_into("Username", "someone").await;
    h.click("Sign in").await;
    assert!(h.field_error("API base URL").await.contains("must start with https://"));
    assert_eq!(h.control("Username").await.prop("value").await.unwrap().as_deref(), Some("someone"), "input kept");
    h.finish().await;
}

#[tokio::test]
async fn an_unreachable_api_says_so() {
    let h = Harness::start().await;
    // The kit's Content-Security-Policy (which the sandbox sends) refuses an
    // address it does not name, before any connection is tried.
    h.allow_console("Connecting to 'http://127.0.0.1:9/api/app/me' violates the following Content Security Policy directive: \"connect-src");
    h.allow_console("Fetch API cannot load http://127.0.0.1:9/api/app/me. Refused to connect because it violates the document's Content Security Policy.");
    h.open("/").await;
    h.choose("Region", "Custom").await;
    h.type_into("API base URL", "http://127.0.0.1:9/api/app").await;
    h.sign_in_here_as_admin().await;
    let alert = h.alert_text().await;
    assert!(alert.contains("Could not reach the API at http://127.0.0.1:9/api/app"), "{alert}");
    assert!(alert.contains("Content-Security-Policy (connect-src)"), "{alert}");
    h.finish().await;
}

#[tokio::test]
async fn a_slow_me_shows_the_wait_and_can_be_cancelled() {
    let h = Harness::start().await;
    h.sandbox.sandbox.faults().push(sandbox::faults::parse_spec("GET /me=latency:4000").unwrap());
    h.open("/").await;
    h.type_into("Username", DEMO_ADMIN.username).await;
    h.type_into("Secret", DEMO_ADMIN.secret).await;
    h.click("Sign in").await;
    h.wait_text("Waiting for Mixpanel to confirm the credential… 1 s").await;
    h.click("Cancel").await;
    let alert = h.alert_text().await;
    assert!(alert.contains("Sign-in cancelled"), "{alert}");
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    assert!(!h.is_present("//button[normalize-space(.)='Sign out']").await, "a cancelled sign-in stays cancelled");
    h.sandbox.sandbox.faults().clear();
    h.click("Sign in").await;
    h.button("Sign out").await;
    h.finish().await;
}
