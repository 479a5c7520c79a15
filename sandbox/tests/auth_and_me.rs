mod common;

use common::*;
use reqwest::StatusCode;
use sandbox::{DEMO_ADMIN, MAIN_ORG, NO_ROLE_ORG, SECOND_ORG};

#[tokio::test]
async fn me_has_identity_orgs_and_projects_keyed_by_string_ids() {
    let running = start().await;
    let (status, body) = Api::admin(&running).get("/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let me = &body["results"];
    assert_eq!(me["user_email"], format!("{}@mixpanel.org", DEMO_ADMIN.username));
    let orgs = me["organizations"].as_object().unwrap();
    assert_eq!(orgs[&MAIN_ORG.to_string()]["role"], "admin");
    assert_eq!(orgs[&SECOND_ORG.to_string()]["role"], "admin");
    assert_eq!(orgs[&NO_ROLE_ORG.to_string()]["role"], "no role");
    let projects = me["projects"].as_object().unwrap();
    assert!(projects.len() >= 6);
    assert!(projects.values().any(|p| p.get("id").is_none()), "some entries leave out id");
    let domains: std::collections::HashSet<_> = projects.values().map(|p| p["domain"].as_str().unwrap()).collect();
    assert!(domains.len() > 1, "projects in more than one region: {domains:?}");
    assert!(me["workspaces"].is_object() && me["ui_settings"].is_object(), "extra fields present");
}

#[tokio::test]
async fn plain_text_basic_form_is_accepted() {
    let running = start().await;
    let mut api = Api::admin(&running);
    api.auth = Some(format!("Basic {}:{}", DEMO_ADMIN.username, DEMO_ADMIN.secret));
    assert_eq!(api.get("/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_credentials_get_401_with_the_envelope() {
    let running = start().await;
    let mut api = Api::admin(&running);
    api.auth = None;
    let (s, b) = api.get("/me").await;
    assert!(error_text(s, &b, StatusCode::UNAUTHORIZED).contains("Authentication required"));
    api.auth = Some(basic(DEMO_ADMIN.username, "wrong"));
    let (s, b) = api.get("/me").await;
    let wrong_secret = error_text(s, &b, StatusCode::UNAUTHORIZED);
    api.auth = Some(basic("nobody.000000.mp-service-account", "x"));
    let (s, b) = api.get("/me").await;
    assert_eq!(error_text(s, &b, StatusCode::UNAUTHORIZED), wrong_secret, "same text: no username probing");
}

#[tokio::test]
async fn expired_credentials_are_refused() {
    let running = start().await;
    {
        let mut store = running.sandbox.store();
        let id = store.find_by_username(DEMO_ADMIN.username).unwrap().id;
        store.accounts.get_mut(&id).unwrap().expires = Some(chrono::Utc::now() - chrono::Duration::hours(1));
    }
    let (s, b) = Api::admin(&running).get("/me").await;
    assert!(error_text(s, &b, StatusCode::UNAUTHORIZED).contains("expired"));
}

#[tokio::test]
async fn authenticating_updates_last_used() {
    let running = start().await;
    let api = Api::admin(&running);
    let before = chrono::Utc::now() - chrono::Duration::seconds(2);
    api.get("/me").await;
    let (_, list) = api.get(&format!("/organizations/{MAIN_ORG}/service-accounts")).await;
    let me = list["results"].as_array().unwrap().iter().find(|a| a["username"] == DEMO_ADMIN.username).unwrap().clone();
    let used: chrono::DateTime<chrono::Utc> = me["last_used"].as_str().unwrap().parse().unwrap();
    assert!(used >= before, "last_used {used} is fresh");
}
