//! The runtime configuration served next to `index.html` as `config.json`, so
//! one build can default to any region or proxy without a rebuild.

use crate::domain::parallel::{DEFAULT_MAX_PARALLEL, MAX_PARALLEL_CEILING};
use crate::domain::policy::{Policy, PolicyConfig};
use crate::domain::region::Region;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RuntimeConfig {
    /// `us`, `eu`, `in` or `custom`.
    #[serde(default)]
    pub default_region: Option<String>,
    /// Pre-fills the API base URL field for `custom`.
    #[serde(default)]
    pub api_base_url: Option<String>,
    /// Seconds without input before the console locks (default 15 minutes).
    #[serde(default)]
    pub idle_lock_seconds: Option<u64>,
    /// Per region (`us`, `eu`, `in`), the base URL to use instead of
    /// Mixpanel's: a same-origin proxy path such as `/mixpanel/eu/api/app`
    /// (see deploy/), or an absolute https URL.
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    /// The most requests a fan-out (access matrix, account detail, bulk
    /// grant/revoke, snapshot) keeps in flight over HTTP/2 or HTTP/3; over
    /// HTTP/1.1 the browser's six apply. Default 12 (see `domain::parallel`).
    #[serde(default)]
    pub max_parallel_requests: Option<usize>,
    /// The server that serves the console caps each HTTP/2 connection at
    /// `max_parallel_requests` streams at once (the deploy kit's nginx:
    /// `http2_max_concurrent_streams` in console.conf, kept equal). Then, for
    /// an API reached through that server (a `regions` path), a fan-out
    /// hands the browser five rounds more to queue, as over HTTP/1.1, and the
    /// server still sees at most `max_parallel_requests` at once. Never set
    /// it for a server without that cap: the fan-out would put six times as
    /// many requests at once on it. Default false.
    #[serde(default)]
    pub server_caps_streams: bool,
    /// The organisation's rules for its accounts (see `domain::policy`).
    #[serde(default)]
    pub policy: Option<PolicyConfig>,
}

fn policy_problem(errors: Vec<String>) -> String {
    format!("config.json's policy is not valid: {}", errors.join("; "))
}

/// The name pattern's check, worded as the rest of config.json's.
fn checked_pattern(pattern: &str) -> Result<(), String> {
    crate::domain::policy::compile_pattern(pattern).map(|_| ()).map_err(|e| policy_problem(vec![e]))
}

/// `checked_pattern` in a chunk of its own, fetched only when config.json
/// sets a pattern (bundle/ splits the release build here; see lazy_pages
/// for why only with the feature `split`).
#[cfg(all(target_arch = "wasm32", feature = "split"))]
#[leptos::wasm_split::wasm_split(policy_pattern, wasm_split_path = ::leptos::wasm_split, fallible)]
fn check_pattern(pattern: String) -> Result<Result<(), String>, leptos::wasm_split::SplitLoaderError> {
    Ok(checked_pattern(&pattern))
}

#[cfg(all(target_arch = "wasm32", not(feature = "split")))]
async fn check_pattern(pattern: String) -> Result<Result<(), String>, leptos::wasm_split::SplitLoaderError> {
    Ok(checked_pattern(&pattern))
}

/// The idle lock when `config.json` does not set one.
pub const IDLE_LOCK_DEFAULT_SECONDS: u64 = 15 * 60;

impl RuntimeConfig {
    /// Parses and checks everything, the policy's name pattern included.
    pub fn parse(text: &str) -> Result<RuntimeConfig, String> {
        let (config, pattern) = Self::parse_but_pattern(text)?;
        match pattern {
            Some(pattern) => checked_pattern(&pattern).map(|()| config),
            None => Ok(config),
        }
    }

    /// Parses and checks everything but the policy's name pattern, which
    /// comes back to be checked with `check_pattern` (the regex engine is
    /// not part of the first screen's code).
    pub fn parse_but_pattern(text: &str) -> Result<(RuntimeConfig, Option<String>), String> {
        let config: RuntimeConfig = serde_json::from_str(text).map_err(|e| format!("config.json is not valid: {e}"))?;
        for (key, url) in &config.regions {
            match Region::from_key(key) {
                Some(Region::Custom) | None => {
                    return Err(format!("config.json is not valid: regions.{key} is not a region (us, eu, in)"))
                }
                Some(_) => {}
            }
            let ok = (url.starts_with('/') && !url.starts_with("//")) || url.starts_with("https://");
            if !ok {
                return Err(format!(
                    "config.json is not valid: regions.{key} must be a path on this origin (/mixpanel/{key}/api/app) or an https:// URL"
                ));
            }
        }
        if let Some(n) = config.max_parallel_requests {
            if !(1..=MAX_PARALLEL_CEILING).contains(&n) {
                return Err(format!(
                    "config.json is not valid: max_parallel_requests must be between 1 and {MAX_PARALLEL_CEILING} (it is {n})"
                ));
            }
        }
        let pattern = match config.policy.clone() {
            Some(policy) => policy.check_values().map_err(policy_problem)?.1,
            None => None,
        };
        Ok((config, pattern))
    }

    /// The checked policy; no rules when none is configured.
    pub fn policy(&self) -> Policy {
        self.policy.clone().and_then(|p| p.check().ok()).unwrap_or_else(Policy::none)
    }

    /// The base URL for a region: the configured one (a path resolved against
    /// `origin`), else Mixpanel's; `None` for Custom.
    pub fn region_base_url(&self, region: Region, origin: &str) -> Option<String> {
        match self.regions.get(region.key()) {
            Some(path) if path.starts_with('/') => {
                Some(format!("{}{}", origin.trim_end_matches('/'), path.trim_end_matches('/')))
            }
            Some(url) => Some(url.trim_end_matches('/').to_string()),
            None => region.base_url().map(str::to_string),
        }
    }

    /// The fan-out limit over a multiplexed connection.
    pub fn max_parallel(&self) -> usize {
        self.max_parallel_requests.unwrap_or(DEFAULT_MAX_PARALLEL)
    }

    pub fn idle_lock_ms(&self) -> u64 {
        self.idle_lock_seconds.filter(|s| *s > 0).unwrap_or(IDLE_LOCK_DEFAULT_SECONDS) * 1000
    }

    /// The region to preselect: as configured; `Custom` when only a URL is given; else US.
    pub fn region(&self) -> Region {
        match self.default_region.as_deref().and_then(Region::from_key) {
            Some(region) => region,
            None if self.api_base_url.is_some() => Region::Custom,
            None => Region::Us,
        }
    }
}

/// Loads `/config.json` (from the root: the console's routes assume it is
/// hosted at the root of its origin, and a relative path would resolve under
/// a deep link such as `/accounts/12`); a missing or broken file falls back to the defaults
/// (US), and the reason is returned so the page can mention it.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> (RuntimeConfig, Option<String>) {
    use crate::api::fetch::{fetch, Outgoing};
    let plain = Outgoing { method: "GET", headers: &[], body: None, private: false, signal: None };
    let answer = match fetch("/config.json", plain).await {
        Ok(answer) if answer.ok => answer,
        _ => return (RuntimeConfig::default(), None),
    };
    let text = answer.text().await.map_err(|_| "config.json could not be read".to_string());
    let (config, pattern) = match text.and_then(|t| RuntimeConfig::parse_but_pattern(&t)) {
        Ok(parsed) => parsed,
        Err(e) => return (RuntimeConfig::default(), Some(e)),
    };
    let Some(pattern) = pattern else { return (config, None) };
    match check_pattern(pattern).await {
        Ok(Ok(())) => (config, None),
        Ok(Err(e)) => (RuntimeConfig::default(), Some(e)),
        Err(_) => (
            RuntimeConfig::default(),
            Some("config.json's policy could not be checked: the console could not fetch the code for its name pattern. Reload the page.".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_stream_cap_is_off_unless_declared() {
        assert!(!RuntimeConfig::default().server_caps_streams);
        assert!(RuntimeConfig::parse(r#"{"server_caps_streams": true}"#).unwrap().server_caps_streams);
        assert!(RuntimeConfig::parse(r#"{"server_caps_streams": "yes"}"#).is_err(), "a boolean, nothing else");
    }

    #[test]
    fn max_parallel_requests_defaults_to_12_and_must_be_sane() {
        assert_eq!(RuntimeConfig::default().max_parallel(), 12);
        assert_eq!(RuntimeConfig::parse(r#"{"max_parallel_requests": 24}"#).unwrap().max_parallel(), 24);
        let zero = RuntimeConfig::parse(r#"{"max_parallel_requests": 0}"#).unwrap_err();
        assert!(zero.contains("max_parallel_requests must be between 1 and 64 (it is 0)"), "{zero}");
        assert!(RuntimeConfig::parse(r#"{"max_parallel_requests": 65}"#).is_err());
        assert!(RuntimeConfig::parse(r#"{"max_parallel_requests": "many"}"#).is_err());
    }

    #[test]
    fn region_follows_config() {
        assert_eq!(RuntimeConfig::parse(r#"{"default_region": "eu"}"#).unwrap().region(), Region::Eu);
        let proxy = RuntimeConfig::parse(r#"{"api_base_url": "https://proxy/api/app", "other": 1}"#).unwrap();
        assert_eq!((proxy.region(), proxy.api_base_url.as_deref()), (Region::Custom, Some("https://proxy/api/app")));
        assert_eq!(RuntimeConfig::default().region(), Region::Us);
        assert!(RuntimeConfig::parse("{").is_err());
        assert_eq!(RuntimeConfig::default().idle_lock_ms(), 900_000);
        assert_eq!(RuntimeConfig::parse(r#"{"idle_lock_seconds": 2}"#).unwrap().idle_lock_ms(), 2_000);
    }

    #[test]
    fn a_bad_policy_is_reported_not_ignored() {
        let e = RuntimeConfig::parse(r#"{"policy": {"name_pattern": "(["}}"#).unwrap_err();
        assert!(e.contains("policy.name_pattern is not a valid pattern"), "{e}");
        let ok = RuntimeConfig::parse(r#"{"policy": {"require_expiry": true, "stale_after_days": 30}}"#).unwrap();
        assert!(ok.policy().require_expiry);
        assert_eq!(ok.policy().stale_after_days, 30);
        assert!(!RuntimeConfig::default().policy().require_expiry);
    }

    #[test]
    fn regions_can_point_at_a_same_origin_proxy() {
        let config =
            RuntimeConfig::parse(r#"{"regions": {"eu": "/mixpanel/eu/api/app/", "in": "https://p.corp/in"}}"#).unwrap();
        let origin = "https://console.corp";
        assert_eq!(
            config.region_base_url(Region::Eu, origin).as_deref(),
            Some("https://console.corp/mixpanel/eu/api/app")
        );
        assert_eq!(config.region_base_url(Region::India, origin).as_deref(), Some("https://p.corp/in"));
        assert_eq!(config.region_base_url(Region::Us, origin).as_deref(), Some("https://mixpanel.com/api/app"));
        assert_eq!(config.region_base_url(Region::Custom, origin), None);
        for bad in [
            r#"{"regions": {"mars": "/x"}}"#,
            r#"{"regions": {"us": "//evil.example/api/app"}}"#,
            r#"{"regions": {"us": "http://plain.example/api/app"}}"#,
        ] {
            assert!(RuntimeConfig::parse(bad).is_err(), "{bad}");
        }
    }
}
