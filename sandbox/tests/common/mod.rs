//! A sandbox on a free port and a small HTTP client for the API tests.
#![allow(dead_code)]

use base64::Engine;
use reqwest::{Method, StatusCode};
use sandbox::seed::KnownCredential;
use sandbox::{Options, Running, SeedOptions, DEMO_ADMIN};
use serde_json::Value;

pub async fn start() -> Running {
    start_with(Options { seed: SeedOptions { accounts: 40, projects: 6, seed: 3 }, ..Options::default() }).await
}

pub async fn start_with(options: Options) -> Running {
    sandbox::start(options).await.expect("sandbox starts")
}

pub fn basic(username: &str, secret: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{username}:{secret}")))
}

pub struct Api {
    pub base: String,
    pub auth: Option<String>,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(running: &Running, who: KnownCredential) -> Api {
        Api { base: running.api_url(), auth: Some(basic(who.username, who.secret)), http: reqwest::Client::new() }
    }

    pub fn admin(running: &Running) -> Api {
        Api::new(running, DEMO_ADMIN)
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let text = response.text().await.expect("body read");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> (StatusCode, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Authorization", self.auth.clone().unwrap_or_default())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// Asserts the error envelope and returns its message.
pub fn error_text(status: StatusCode, body: &Value, expected: StatusCode) -> String {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["status"], "error", "envelope: {body}");
    assert!(body["type"].is_string(), "the generated spec's error type: {body}");
    body["error"].as_str().expect("error text").to_string()
}

pub fn ids(list: &Value) -> Vec<u64> {
    list.as_array().expect("array").iter().map(|a| a["id"].as_u64().unwrap()).collect()
}
