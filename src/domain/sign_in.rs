//! The sign-in form's rules: which base URL to use, and a specific error per field.

use super::region::{normalize_base_url, Region};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInErrors {
    pub base_url: Option<String>,
    pub username: Option<String>,
    pub secret: Option<String>,
}

impl SignInErrors {
    pub fn is_empty(&self) -> bool {
        self.base_url.is_none() && self.username.is_none() && self.secret.is_none()
    }
}

/// What a valid form resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInTarget {
    pub base_url: String,
    pub username: String,
}

/// Validates the form. The secret is checked for presence only: it is never
/// trimmed or altered, since a secret may legitimately contain any character.
pub fn check_sign_in(
    region: Region,
    region_url: Option<&str>,
    custom_url: &str,
    username: &str,
    secret: &str,
) -> Result<SignInTarget, SignInErrors> {
    let mut errors = SignInErrors::default();
    // A region's URL may be overridden by config.json (a same-origin proxy).
    let base_url = match region_url.or(region.base_url()) {
        Some(url) if region != Region::Custom => Some(url.to_string()),
        _ => normalize_base_url(custom_url).map_err(|e| errors.base_url = Some(e)).ok(),
    };
    let username = username.trim();
    if username.is_empty() {
        errors.username = Some("Enter the service account's username".into());
    } else if username.contains(':') {
        // HTTP Basic cannot carry a ':' in the username.
        errors.username = Some("A username cannot contain ':'".into());
    }
    if secret.is_empty() {
        errors.secret = Some("Enter the service account's secret".into());
    }
    match base_url {
        Some(base_url) if errors.is_empty() => Ok(SignInTarget { base_url, username: username.to_string() }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_brings_its_own_url() {
        let target = check_sign_in(Region::Eu, None, "ignored", " bot.abc123.mp-service-account ", "s").unwrap();
        assert_eq!(
            target,
            SignInTarget {
                base_url: "https://eu.mixpanel.com/api/app".into(),
                username: "bot.abc123.mp-service-account".into()
            }
        );
    }

    #[test]
    fn a_configured_region_url_is_used() {
        let target = check_sign_in(Region::Eu, Some("https://c.corp/mixpanel/eu/api/app"), "", "u", "s").unwrap();
        assert_eq!(target.base_url, "https://c.corp/mixpanel/eu/api/app");
    }

    #[test]
    fn custom_needs_a_valid_url() {
        let errors = check_sign_in(Region::Custom, None, "ftp://x", "u", "s").unwrap_err();
        assert!(errors.base_url.is_some() && errors.username.is_none() && errors.secret.is_none());
        assert_eq!(
            check_sign_in(Region::Custom, None, "http://127.0.0.1:1/api/app/", "u", "s").unwrap().base_url,
            "http://127.0.0.1:1/api/app"
        );
    }

    #[test]
    fn every_missing_field_is_named() {
        let errors = check_sign_in(Region::Us, None, "", "  ", "").unwrap_err();
        assert_eq!(errors.username.as_deref(), Some("Enter the service account's username"));
        assert_eq!(errors.secret.as_deref(), Some("Enter the service account's secret"));
        assert_eq!(errors.base_url, None);
        assert_eq!(
            check_sign_in(Region::Us, None, "", "a:b", "s").unwrap_err().username.as_deref(),
            Some("A username cannot contain ':'")
        );
    }

    #[test]
    fn secrets_are_taken_as_typed() {
        assert!(check_sign_in(Region::Us, None, "", "u", " ").is_ok(), "a space is a secret, not a blank");
    }
}
