//! Where the API lives: Mixpanel's data-residency regions or a custom base URL
//! (an internal reverse proxy).

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Us,
    Eu,
    India,
    Custom,
}

impl Region {
    pub const ALL: [Region; 4] = [Region::Us, Region::Eu, Region::India, Region::Custom];

    /// The value used in `<select>` and in `config.json`.
    pub fn key(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::India => "in",
            Region::Custom => "custom",
        }
    }

    pub fn from_key(key: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.key().eq_ignore_ascii_case(key.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Region::Us => "US",
            Region::Eu => "EU",
            Region::India => "India",
            Region::Custom => "Custom",
        }
    }

    /// The fixed base URL of a Mixpanel region; `None` for `Custom`.
    pub fn base_url(self) -> Option<&'static str> {
        match self {
            Region::Us => Some("https://mixpanel.com/api/app"),
            Region::Eu => Some("https://eu.mixpanel.com/api/app"),
            Region::India => Some("https://in.mixpanel.com/api/app"),
            Region::Custom => None,
        }
    }

    /// The region of a project, from the `domain` field of `/me` (empty = US).
    pub fn from_domain(domain: &str) -> Option<Region> {
        match domain.trim() {
            "" | "mixpanel.com" => Some(Region::Us),
            "eu.mixpanel.com" => Some(Region::Eu),
            "in.mixpanel.com" => Some(Region::India),
            _ => None,
        }
    }
}

/// Checks a custom base URL and returns it without a trailing slash.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    if url.is_empty() {
        return Err("Enter the API base URL, e.g. https://mixpanel-proxy.example.com/api/app".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("The API base URL must start with https:// (or http:// for a local proxy)")?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err("The API base URL must be a plain address like https://host/api/app, without spaces, ? or #".into());
    }
    if url.contains('@') {
        return Err("The API base URL must not contain credentials (user@host): sign in with the fields below".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_parse_loosely() {
        for r in Region::ALL {
            assert_eq!(Region::from_key(r.key()), Some(r));
        }
        assert_eq!(Region::from_key(" EU "), Some(Region::Eu));
        assert_eq!(Region::from_key("mars"), None);
    }

    #[test]
    fn domains_map_to_regions() {
        assert_eq!(Region::from_domain(""), Some(Region::Us));
        assert_eq!(Region::from_domain("mixpanel.com"), Some(Region::Us));
        assert_eq!(Region::from_domain("eu.mixpanel.com"), Some(Region::Eu));
        assert_eq!(Region::from_domain("in.mixpanel.com"), Some(Region::India));
        assert_eq!(Region::from_domain("example.com"), None);
    }

    #[test]
    fn base_urls_are_normalized_or_refused() {
        assert_eq!(normalize_base_url(" http://127.0.0.1:8787/api/app/ "), Ok("http://127.0.0.1:8787/api/app".into()));
        assert_eq!(normalize_base_url("https://proxy.corp/api/app"), Ok("https://proxy.corp/api/app".into()));
        assert!(normalize_base_url("").unwrap_err().starts_with("Enter the API base URL"));
        assert!(normalize_base_url("proxy.corp/api").unwrap_err().contains("must start with https://"));
        assert!(normalize_base_url("https://a b/api").unwrap_err().contains("without spaces"));
        assert!(normalize_base_url("https://u:p@proxy/api").unwrap_err().contains("credentials"));
    }
}
