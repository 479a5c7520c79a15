//! Faults, CORS, the request log, static serving and persistence.
mod common;

use common::*;
use reqwest::StatusCode;
use sandbox::{faults::parse_spec, Options, SeedOptions};
use serde_json::json;
use std::time::Instant;

async fn add_fault(running: &sandbox::Running, spec: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/__sandbox/faults", running.url()))
        .json(&json!({"spec": spec}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn injected_500_and_429_carry_the_envelope_and_retry_after() {
    let running = start().await;
    add_fault(&running, "GET /me=500x1").await;
    add_fault(&running, "/projects/101/service-accounts=429:3").await;
    let api = Api::admin(&running);
    let (s, b) = api.get("/me").await;
    error_text(s, &b, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.get("/me").await.0, StatusCode::OK, "x1 fires once");
    let response = api
        .http
        .get(format!("{}/projects/101/service-accounts", api.base))
        .header("Authorization", api.auth.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(api.get("/projects/100/service-accounts").await.0, StatusCode::OK, "other projects unaffected");
}

#[tokio::test]
async fn malformed_json_and_dropped_connections() {
    let running = start().await;
    add_fault(&running, "GET /organizations/*/service-accounts=malformedx1").await;
    add_fault(&running, "GET /me=dropx1").await;
    let api = Api::admin(&running);
    let response = api
        .http
        .get(format!("{}/organizations/1/service-accounts", api.base))
        .header("Authorization", api.auth.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(serde_json::from_str::<serde_json::Value>(&response.text().await.unwrap()).is_err());
    let dropped = async {
        let response =
            api.http.get(format!("{}/me", api.base)).header("Authorization", api.auth.clone().unwrap()).send().await?;
        response.text().await
    };
    assert!(dropped.await.is_err(), "the connection is cut");
    assert_eq!(api.get("/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn latency_applies_at_start_and_faults_clear_at_run_time() {
    let running = start_with(Options {
        seed: SeedOptions { accounts: 5, projects: 2, seed: 1 },
        faults: vec![
            parse_spec("*=latency:150").unwrap(),
            parse_spec("POST /organizations/1/service-accounts=500").unwrap(),
        ],
        ..Options::default()
    })
    .await;
    let api = Api::admin(&running);
    let started = Instant::now();
    api.get("/me").await;
    assert!(started.elapsed().as_millis() >= 150);
    assert_eq!(
        api.post("/organizations/1/service-accounts", json!({"username": "x"})).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let cleared = reqwest::Client::new().delete(format!("{}/__sandbox/faults", running.url())).send().await.unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(api.post("/organizations/1/service-accounts", json!({"username": "x"})).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn cors_reflects_the_origin_and_answers_preflights() {
    let running = start().await;
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/me", running.api_url()))
        .header("Origin", "http://127.0.0.1:9999")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "http://127.0.0.1:9999");
    let allowed = h["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");
    add_fault(&running, "GET /me=429:1x1").await;
    let failing =
        http.get(format!("{}/me", running.api_url())).header("Origin", "http://127.0.0.1:9999").send().await.unwrap();
    assert_eq!(failing.headers()["access-control-allow-origin"], "http://127.0.0.1:9999", "errors stay readable");
    assert!(failing.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase()
        .contains("retry-after"));
}

#[tokio::test]
async fn cors_can_answer_as_mixpanel_does() {
    let running = start_with(Options {
        switches: sandbox::switches::Switches { mixpanel_cors: true, ..Default::default() },
        ..Options::default()
    })
    .await;
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/organizations/1/service-accounts", running.api_url()))
        .header("Origin", "http://127.0.0.1:9999")
        .header("Access-Control-Request-Method", "DELETE")
        .send()
        .await
        .unwrap();
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-headers"], "authorization, content-type");
    assert_eq!(h["access-control-max-age"], "86400");
    add_fault(&running, "GET /me=429:1x1").await;
    let limited =
        http.get(format!("{}/me", running.api_url())).header("Origin", "http://127.0.0.1:9999").send().await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["access-control-allow-origin"], "*");
    assert!(limited.headers().get("access-control-expose-headers").is_none(), "Retry-After is not readable");
}

#[tokio::test]
async fn create_can_ignore_expires_and_me_can_be_slow() {
    let running = start_with(Options {
        switches: sandbox::switches::Switches {
            create_ignores_expires: true,
            me_delay_seconds: 1,
            ..Default::default()
        },
        ..Options::default()
    })
    .await;
    let api = Api::admin(&running);
    let started = Instant::now();
    assert_eq!(api.get("/me").await.0, StatusCode::OK);
    assert!(started.elapsed().as_millis() >= 1000, "/me waited a second");
    let (s, b) = api
        .post("/organizations/1/service-accounts", json!({"username": "dated", "expires": "2030-01-01T00:00:00Z"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(b["results"]["expires"], serde_json::Value::Null, "the expiry asked for was dropped");
}

#[tokio::test]
async fn control_routes_answer_only_their_own_origin() {
    let running = start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/__sandbox/credentials", running.url());
    let own = http.get(&url).header("Origin", running.url()).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    assert!(own.headers().get("access-control-allow-origin").is_none(), "no CORS on control routes");
    let native = http.get(&url).send().await.unwrap();
    assert_eq!(native.status(), StatusCode::OK, "tests' native code (no Origin) is served");
    for (name, value) in [("Origin", "http://127.0.0.1:9999"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site")] {
        let other = http.get(&url).header(name, value).send().await.unwrap();
        assert_eq!(other.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/__sandbox/faults", running.url()))
        .header("Origin", "http://127.0.0.1:9999")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none(), "no preflight grant");
}

#[tokio::test]
async fn the_request_log_records_bodies() {
    let running = start().await;
    let api = Api::admin(&running);
    let body = json!({"service_account_ids": [1000], "projects": [{"id": 100, "role": "consumer"}]});
    api.post("/organizations/1/service-accounts/add-to-project", body.clone()).await;
    let log: serde_json::Value =
        reqwest::get(format!("{}/__sandbox/requests", running.url())).await.unwrap().json().await.unwrap();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last,
        json!({"method": "POST", "path": "/organizations/1/service-accounts/add-to-project", "body": body, "status": 200})
    );
}

#[tokio::test]
async fn serves_the_console_with_a_config_pointing_at_itself() {
    let dist = std::env::temp_dir().join(format!("sandbox-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>console</html>").unwrap();
    let running = start_with(Options { dist: Some(dist.clone()), ..Options::default() }).await;
    let page = reqwest::get(format!("{}/accounts?q=etl", running.url())).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers().get("access-control-allow-origin").is_none(), "the console gets no CORS");
    assert_eq!(page.text().await.unwrap(), "<html>console</html>", "client routes fall back to index.html");
    let config: serde_json::Value =
        reqwest::get(format!("{}/config.json", running.url())).await.unwrap().json().await.unwrap();
    assert_eq!(config, json!({"default_region": "custom", "api_base_url": running.api_url()}));
    std::fs::remove_dir_all(dist).ok();
}

#[tokio::test]
async fn state_persists_to_a_file_across_restarts() {
    let file = std::env::temp_dir().join(format!("sandbox-state-{}.json", std::process::id()));
    std::fs::remove_file(&file).ok();
    let options = Options {
        state_file: Some(file.clone()),
        seed: SeedOptions { accounts: 3, projects: 1, seed: 1 },
        ..Options::default()
    };
    let first = start_with(options.clone()).await;
    let (s, b) = Api::admin(&first).post("/organizations/1/service-accounts", json!({"username": "kept"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = b["results"]["id"].as_u64().unwrap();
    let second = start_with(options).await;
    let (s, _) = Api::admin(&second).get(&format!("/organizations/1/service-accounts/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    std::fs::remove_file(file).ok();
}

#[tokio::test]
async fn a_lost_answer_still_carries_out_the_create() {
    let running = start().await;
    add_fault(&running, "POST /organizations/1/service-accounts=500afterx1").await;
    let api = Api::admin(&running);
    let before = api.get("/organizations/1/service-accounts").await.1["results"].as_array().unwrap().len();
    let (status, body) = api.post("/organizations/1/service-accounts", json!({"username": "lost"})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    let after = api.get("/organizations/1/service-accounts").await.1;
    let after = after["results"].as_array().unwrap();
    assert_eq!(after.len(), before + 1, "the account exists although the answer was a 500");
    assert!(after.iter().any(|a| a["username"].as_str().unwrap().starts_with("lost.")));
}
