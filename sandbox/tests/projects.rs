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

/// The account's direct role in the project (access through a team or the
/// organisation aside).
async fn role_in(api: &Api, project: u64, id: u64) -> Option<(String, String)> {
    let (s, b) = api.get(&format!("/projects/{project}/service-accounts")).await;
    assert_eq!(s, StatusCode::OK);
    b["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id && m["target_type"] == "individual")
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
    ];
    for (path, body, message) in cases {
        let (s, b) = api.post(path, body.clone()).await;
        assert_eq!(error_text(s, &b, StatusCode::BAD_REQUEST), message, "for {body}");
    }
    let wrong_type = json!({"projects": [{"id": "100", "service_account_ids": [a]}]});
    let (s, b) = api.post(REMOVE, wrong_type).await;
    assert_eq!(error_text(s, &b, StatusCode::UNPROCESSABLE_ENTITY), "projects[0].id must be a positive integer");
}

#[tokio::test]
async fn remove_answers_post_delete_or_both_as_switched() {
    let running = start().await;
    let api = Api::admin(&running);
    let a = new_account(&api, "a").await;
    let grant = json!({"service_account_ids": [a], "projects": [{"id": 100, "role": "analyst"}]});
    let revoke = json!({"projects": [{"id": 100, "service_account_ids": [a]}]});
    let switch = |method: &str| {
        let (http, url) = (reqwest::Client::new(), format!("{}/__sandbox/switches", running.url()));
        let body = json!({"remove_method": method});
        async move { http.post(url).json(&body).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let send = |method: reqwest::Method| {
        let request = api
            .http
            .request(method, format!("{}{REMOVE}", api.base))
            .header("Authorization", api.auth.clone().unwrap());
        let body = revoke.clone();
        async move {
            let response = request.json(&body).send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    // Default: both, as either description may be the one that holds.
    api.post(ADD, grant.clone()).await;
    assert_eq!(send(reqwest::Method::DELETE).await.0, StatusCode::OK);
    assert_eq!(role_in(&api, 100, a).await, None);
    // The generated spec: DELETE only; a POST is a 405 and changes nothing.
    assert_eq!(switch("delete").await["remove_method"], "delete");
    api.post(ADD, grant.clone()).await;
    let (s, b) = send(reqwest::Method::POST).await;
    assert_eq!(error_text(s, &b, StatusCode::METHOD_NOT_ALLOWED), "Method POST not allowed for remove-from-project");
    assert_eq!(role_in(&api, 100, a).await, Some(("analyst".into(), "individual".into())), "nothing was done");
    assert_eq!(send(reqwest::Method::DELETE).await.0, StatusCode::OK);
    // The public page: POST only.
    switch("post").await;
    api.post(ADD, grant).await;
    assert_eq!(send(reqwest::Method::DELETE).await.0, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(send(reqwest::Method::POST).await.0, StatusCode::OK);
    assert_eq!(role_in(&api, 100, a).await, None);
}

#[tokio::test]
async fn listings_show_team_access_and_switched_custom_roles() {
    let running = start().await;
    let api = Api::admin(&running);
    let mut team = 0;
    for project in [100, 101, 102, 103] {
        let (_, b) = api.get(&format!("/projects/{project}/service-accounts")).await;
        team += b["results"].as_array().unwrap().iter().filter(|m| m["target_type"] == "team").count();
    }
    assert!(team > 0, "some access comes through a team");
    let roles = |b: &Value| -> Vec<String> {
        b["results"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap().to_string()).collect()
    };
    let (_, before) = api.get("/projects/100/service-accounts").await;
    assert!(!roles(&before).contains(&"Data Steward".to_string()));
    reqwest::Client::new()
        .post(format!("{}/__sandbox/switches", running.url()))
        .json(&json!({"unknown_roles": true}))
        .send()
        .await
        .unwrap();
    let mut custom = 0;
    for project in [100, 101, 102, 103] {
        let (_, b) = api.get(&format!("/projects/{project}/service-accounts")).await;
        custom += roles(&b).iter().filter(|r| *r == "Data Steward").count();
    }
    assert!(custom > 0, "a custom role name appears as written");
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
