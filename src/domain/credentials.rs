//! The credentials file offered once, when a secret is shown.

use serde::Serialize;

#[derive(Serialize)]
struct CredentialsFile<'a> {
    username: &'a str,
    secret: &'a str,
    api_base_url: &'a str,
    organization_id: u64,
}

pub fn credentials_json(username: &str, secret: &str, api_base_url: &str, organization_id: u64) -> String {
    let file = CredentialsFile { username, secret, api_base_url, organization_id };
    serde_json::to_string_pretty(&file).expect("plain strings serialise") + "\n"
}

pub fn credentials_filename(username: &str) -> String {
    let safe: String =
        username.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    format!("{safe}.credentials.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_holds_what_a_script_needs() {
        let text = credentials_json("etl.0a1b2c.mp-service-account", "s3\"cret", "https://eu.mixpanel.com/api/app", 7);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"username": "etl.0a1b2c.mp-service-account", "secret": "s3\"cret",
                               "api_base_url": "https://eu.mixpanel.com/api/app", "organization_id": 7})
        );
        assert_eq!(
            credentials_filename("etl.0a1b2c.mp-service-account"),
            "etl.0a1b2c.mp-service-account.credentials.json"
        );
        assert_eq!(credentials_filename("a/b"), "a_b.credentials.json");
    }
}
