mod common;

use common::*;
use reqwest::StatusCode;
use sandbox::{DEMO_ANALYST, DEMO_OWNER, MAIN_ORG, NO_ROLE_ORG};
use serde_json::json;

const LIST: &str = "/organizations/1/service-accounts";

#[tokio::test]
async fn list_returns_every_account_of_the_org() {
    let running = start().await;
    let (s, b) = Api::admin(&running).get(LIST).await;
    assert_eq!(s, StatusCode::OK);
    let list = b["results"].as_array().unwrap();
    assert_eq!(list.len(), 40 + 3);
    let a = &list[0];
    for field in ["id", "username", "created", "creator", "last_used", "expires", "user"] {
        assert!(a.get(field).is_some(), "{field} present in {a}");
    }
    assert!(list.iter().all(|a| a.get("token").is_none()), "no secrets in lists");
}

#[tokio::test]
async fn unknown_org_is_404_and_no_role_org_is_403() {
    let running = start().await;
    let api = Api::admin(&running);
    let (s, b) = api.get("/organizations/999/service-accounts").await;
    assert_eq!(error_text(s, &b, StatusCode::NOT_FOUND), "Organization 999 not found");
    let (s, b) = api.get(&format!("/organizations/{NO_ROLE_ORG}/service-accounts")).await;
    error_text(s, &b, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn create_answers_201_with_the_token_exactly_once() {
    let running = start().await;
    let api = Api::admin(&running);
    let (s, b) = api
        .post(LIST, json!({"username": "billing-sync", "role": "analyst", "expires": "2099-01-01T00:00:00Z", "projects": [{"id": 100, "role": "consumer"}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let created = &b["results"];
    let username = created["username"].as_str().unwrap();
    let parts: Vec<_> = username.split('.').collect();
    assert_eq!(parts.len(), 3, "{username}");
    assert_eq!(parts[0], "billing-sync");
    assert!(parts[1].len() == 6 && parts[1].chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(parts[2], "mp-service-account");
    assert_eq!(created["expires"], "2099-01-01T00:00:00Z");
    assert!(created["last_used"].is_null());
    let token = created["token"].as_str().unwrap();
    assert!(token.len() >= 24);

    let id = created["id"].as_u64().unwrap();
    let (_, one) = api.get(&format!("{LIST}/{id}")).await;
    assert!(!one.to_string().contains(token), "the token is never returned again");
    let (_, members) = api.get("/projects/100/service-accounts").await;
    let member = members["results"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap().clone();
    assert_eq!((member["role"].as_str(), member["target_type"].as_str()), (Some("consumer"), Some("individual")));

    // The new credential works at once.
    let mut new = Api::admin(&running);
    new.auth = Some(basic(username, token));
    assert_eq!(new.get("/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn create_rejects_invalid_bodies_with_specific_messages() {
    let running = start().await;
    let api = Api::admin(&running);
    let cases = [
        (json!({}), "username is required"),
        (json!({"username": "  "}), "username must not be blank"),
        (
            json!({"username": "a", "role": "boss"}),
            "role must be one of owner, admin, analyst, consumer (got \"boss\")",
        ),
        (json!({"username": "a", "expires": "tomorrow"}), "expires must be an ISO 8601 date-time (got \"tomorrow\")"),
        (json!({"username": "a", "projects": [{"id": 424242, "role": "consumer"}]}), "Unknown project 424242"),
        (
            json!({"username": "a", "projects": [{"id": 5000, "role": "consumer"}]}),
            "Project 5000 is not in organization 1",
        ),
    ];
    for (body, message) in cases {
        let (s, b) = api.post(LIST, body.clone()).await;
        assert_eq!(error_text(s, &b, StatusCode::BAD_REQUEST), message, "for {body}");
    }
    // JSON of the wrong shape is a 422 with details (the generated spec).
    for (body, message) in [
        (json!({"username": ["a"]}), "username must be a string"),
        (json!([1]), "the request body must be a JSON object"),
    ] {
        let (s, b) = api.post(LIST, body.clone()).await;
        assert_eq!(error_text(s, &b, StatusCode::UNPROCESSABLE_ENTITY), message, "for {body}");
        assert_eq!(b["type"], "validation_error");
        assert!(b["details"]["problem"].is_string(), "{b}");
    }
    let (s, b) = api.post_raw(LIST, "{not json").await;
    assert!(error_text(s, &b, StatusCode::BAD_REQUEST).starts_with("The request body is not valid JSON"));
    let (_, list) = api.get(LIST).await;
    assert_eq!(list["results"].as_array().unwrap().len(), 43, "nothing was created");
}

#[tokio::test]
async fn roles_are_enforced_on_create() {
    let running = start().await;
    let (s, b) = Api::new(&running, DEMO_ANALYST).post(LIST, json!({"username": "x"})).await;
    assert!(error_text(s, &b, StatusCode::FORBIDDEN).contains("Only organization admins and owners"));
    let (s, b) = Api::admin(&running).post(LIST, json!({"username": "x", "role": "owner"})).await;
    assert!(error_text(s, &b, StatusCode::FORBIDDEN).contains("above your own"));
    let (s, _) = Api::new(&running, DEMO_OWNER).post(LIST, json!({"username": "x", "role": "owner"})).await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn get_one_answers_wrapped_without_org_role_and_404s() {
    let running = start().await;
    let api = Api::admin(&running);
    let (_, list) = api.get(LIST).await;
    assert!(
        list["results"].as_array().unwrap().iter().all(|a| a["org_role"].is_string()),
        "org_role in every list item"
    );
    for id in ids(&list["results"]).into_iter().take(4) {
        let (s, b) = api.get(&format!("{LIST}/{id}")).await;
        assert_eq!((s, b["results"]["id"].as_u64()), (StatusCode::OK, Some(id)), "wrapped, as the generated spec");
        assert!(b["results"].get("org_role").is_none(), "org_role only in the list");
    }
    let offsetless =
        list["results"].as_array().unwrap().iter().filter(|a| !a["created"].as_str().unwrap().ends_with('Z'));
    assert!(offsetless.count() > 0, "some dates come without an offset");
    let (s, b) = api.get(&format!("{LIST}/77777777")).await;
    error_text(s, &b, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_removes_everywhere_and_answers_with_a_body() {
    let running = start().await;
    let api = Api::admin(&running);
    let (_, b) = api
        .post(
            LIST,
            json!({"username": "temp", "projects": [{"id": 100, "role": "analyst"}, {"id": 101, "role": "consumer"}]}),
        )
        .await;
    let id = b["results"]["id"].as_u64().unwrap();
    let (s, b) = api.delete(&format!("{LIST}/{id}")).await;
    assert_eq!((s, b), (StatusCode::OK, json!({"status": "ok"})));
    for project in [100, 101] {
        let (_, members) = api.get(&format!("/projects/{project}/service-accounts")).await;
        assert!(!ids(&members["results"]).contains(&id));
    }
    let (s, b) = api.delete(&format!("{LIST}/{id}")).await;
    error_text(s, &b, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_is_for_admins_and_never_above_ones_own_role() {
    let running = start().await;
    let (_, b) = Api::new(&running, DEMO_OWNER).post(LIST, json!({"username": "boss", "role": "owner"})).await;
    let id = b["results"]["id"].as_u64().unwrap();
    let (s, b) = Api::admin(&running).delete(&format!("{LIST}/{id}")).await;
    assert!(error_text(s, &b, StatusCode::FORBIDDEN).contains("above your own"));
    let (s, b) = Api::new(&running, DEMO_ANALYST).delete(&format!("{LIST}/{id}")).await;
    error_text(s, &b, StatusCode::FORBIDDEN);
    let (s, _) = Api::admin(&running).get(&format!("{LIST}/{id}")).await;
    assert_eq!(s, StatusCode::OK, "still there");
}

#[tokio::test]
async fn trailing_slash_reaches_the_same_route() {
    let running = start().await;
    assert_eq!(
        Api::admin(&running).get(&format!("/organizations/{MAIN_ORG}/service-accounts/")).await.0,
        StatusCode::OK
    );
    assert_eq!(Api::admin(&running).get("/me/").await.0, StatusCode::OK);
}
