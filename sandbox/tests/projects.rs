mod common;

use common::*;
use reqwest::StatusCode;
use sandbox::DEMO_ANALYST;
use serde_json::{json, Value};

const ADD: &str = "/organizations/1/service-accounts/add-to-project";
const REMOVE: &str = "/organizations/1/service-accounts/remove-from-project";

async fn new_account(api: &Api, name: &str) -> u64 {
    let (_, b) = api.post("/organizations/1/service-accounts", json!({"username": name})).await;
    b["results"]["id"].as_u64().unwrap()
}

async fn role_in(api: &Api, project: u64, id: u64) -> Option<(String, String)> {
    let (s, b) = api.get(&format!("/projects/{project}/service-accounts")).await;
    assert_eq!(s, StatusCode::OK);
    b["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .map(|m: &Value| (m["role"].as_str().unwrap().to_string(), m["target_type"].as_str().unwrap().to_string()))
}

#[tokio::test]
async fn add_sets_and_changes_roles_for_many_accounts_and_projects() {
    let running = start().await;
    let api = Api::admin(&running);
    let (a, b) = (new_account(&api, "a").await, new_account(&api, "b").await);
    let body = json!({"service_account_ids": [a, b], "projects": [{"id": 100, "role": "analyst"}, {"id": 101, "role": "consumer"}]});
    assert_eq!(api.post(ADD, body).await, (StatusCode::OK, json!({"status": "ok"})));
    assert_eq!(role_in(&api, 100, a).await, Some(("analyst".into(), "individual".into())));
    assert_eq!(role_in(&api, 101, b).await, Some(("consumer".into(), "individual".into())));
    api.post(ADD, json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "admin"}]})).await;
    assert_eq!(role_in(&api, 100, a).await.unwrap().0, "admin");
}

#[tokio::test]
async fn remove_uses_its_own_shape() {
    let running = start().await;
    let api = Api::admin(&running);
    let a = new_account(&api, "a").await;
    api.post(ADD, json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "analyst"}]})).await;
    let (s, b) = api.post(REMOVE, json!({"projects": [{"id": 100, "service_account_ids": [a]}]})).await;
    assert_eq!((s, b), (StatusCode::OK, json!({"status": "ok"})));
    assert_eq!(role_in(&api, 100, a).await, None);
    // The add shape is not the remove shape.
    let (s, b) = api.post(REMOVE, json!({"service_account_ids": [a], "projects": [{"id": 100}]})).await;
    assert_eq!(error_text(s, &b, StatusCode::BAD_REQUEST), "projects[0].service_account_ids is required");
}

#[tokio::test]
async fn invalid_membership_bodies_get_specific_400s() {
    let running = start().await;
    let api = Api::admin(&running);
    let a = new_account(&api, "a").await;
    let cases = [
        (
            ADD,
            json!({"service_account_ids": [], "projects": [{"id": 100, "role": "admin"}]}),
            "service_account_ids must not be empty".to_string(),
        ),
        (ADD, json!({"service_account_ids": [a], "projects": []}), "projects must not be empty".into()),
        (ADD, json!({"service_account_ids": [a]}), "projects is required".into()),
        (
            ADD,
            json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "god"}]}),
            "projects[0].role must be one of owner, admin, analyst, consumer (got \"god\")".into(),
        ),
        (
            ADD,
            json!({"service_account_ids": [a], "projects": [{"id": 999999, "role": "consumer"}]}),
            "Unknown project 999999".into(),
        ),
        (
            ADD,
            json!({"service_account_ids": [555555], "projects": [{"id": 100, "role": "consumer"}]}),
            "Unknown service account 555555 in organization 1".into(),
        ),
        (REMOVE, json!({"projects": []}), "projects must not be empty".into()),
        (
            REMOVE,
            json!({"projects": [{"id": "100", "service_account_ids": [a]}]}),
            "projects[0].id must be a positive integer".into(),
        ),
    ];
    for (path, body, message) in cases {
        let (s, b) = api.post(path, body.clone()).await;
        assert_eq!(error_text(s, &b, StatusCode::BAD_REQUEST), message, "for {body}");
    }
}

#[tokio::test]
async fn nobody_grants_above_their_own_role() {
    let running = start().await;
    let api = Api::admin(&running);
    let a = new_account(&api, "a").await;
    let (s, b) = api.post(ADD, json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "owner"}]})).await;
    assert_eq!(
        error_text(s, &b, StatusCode::FORBIDDEN),
        "User does not have permissions to add one or more service accounts to one or more of the requested projects"
    );
    assert_eq!(role_in(&api, 100, a).await, None, "nothing changed");
    let (s, b) = Api::new(&running, DEMO_ANALYST)
        .post(ADD, json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "consumer"}]}))
        .await;
    error_text(s, &b, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn project_listing_shows_org_level_access_and_guards_access() {
    let running = start().await;
    let api = Api::admin(&running);
    let (_, b) = api.get("/projects/100/service-accounts").await;
    let items = b["results"].as_array().unwrap();
    assert!(items.iter().any(|m| m["target_type"] == "organization"), "org admins reach every project");
    for m in items {
        for field in ["role", "hasSensitiveAccess", "target_type", "role_order", "email"] {
            assert!(m.get(field).is_some(), "{field} in {m}");
        }
    }
    let (s, b) = api.get("/projects/424242/service-accounts").await;
    error_text(s, &b, StatusCode::NOT_FOUND);
    let (s, b) = Api::new(&running, DEMO_ANALYST).get("/projects/101/service-accounts").await;
    error_text(s, &b, StatusCode::FORBIDDEN);
}
