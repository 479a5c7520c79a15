//! The real client against the real sandbox, across origins (so CORS counts).

use sa_console::api::me::fetch_me;
use sa_console::api::{ApiClient, ApiError};
use wasm_bindgen_test::wasm_bindgen_test;

const SANDBOX: &str = match option_env!("SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};
const ADMIN: (&str, &str) = ("demo-admin.0000ad.mp-service-account", "demo-admin-secret");

fn api_url() -> String {
    format!("{SANDBOX}/api/app")
}

#[wasm_bindgen_test]
async fn me_parses_from_the_sandbox() {
    let client = ApiClient::new(&api_url(), ADMIN.0, ADMIN.1);
    let me = fetch_me(&client, None).await.expect("/me answers (is the sandbox running at SANDBOX_URL?)");
    assert_eq!(me.email, format!("{}@mixpanel.org", ADMIN.0));
    assert_eq!(me.organizations.len(), 3);
    assert!(me.projects.iter().all(|p| p.id > 0 && !p.name.is_empty()));
}

#[wasm_bindgen_test]
async fn a_wrong_secret_is_unauthorized_with_the_server_text() {
    let client = ApiClient::new(&api_url(), ADMIN.0, "wrong");
    let err = fetch_me(&client, None).await.unwrap_err();
    assert_eq!(err, ApiError::Unauthorized("Invalid service account credentials".into()));
}

#[wasm_bindgen_test]
async fn errors_map_by_status() {
    let client = ApiClient::new(&api_url(), ADMIN.0, ADMIN.1);
    let err = client.get::<serde_json::Value>("/organizations/999/service-accounts", None, &|_| {}).await.unwrap_err();
    assert_eq!(err, ApiError::NotFound("Organization 999 not found".into()));
    let err = client.get::<serde_json::Value>("/organizations/3/service-accounts", None, &|_| {}).await.unwrap_err();
    assert!(matches!(err, ApiError::Forbidden(_)), "{err:?}");
    let err = client
        .post::<_, serde_json::Value>("/organizations/1/service-accounts", &serde_json::json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(err.refusal_text(), Some("username is required"));
}

#[wasm_bindgen_test]
async fn an_unreachable_base_url_is_a_network_error() {
    let client = ApiClient::new("http://127.0.0.1:9/api/app", ADMIN.0, ADMIN.1);
    assert_eq!(fetch_me(&client, None).await.unwrap_err(), ApiError::Network("http://127.0.0.1:9/api/app".into()));
}
