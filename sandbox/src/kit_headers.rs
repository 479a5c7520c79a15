//! The deploy kit's security headers and cache rules, applied to the console
//! the sandbox serves, so every end-to-end test runs the console under the
//! same Content-Security-Policy a real deployment sends. The headers are read
//! from the kit's own nginx file at build time: one source, no drift.

use axum::http::{HeaderName, HeaderValue};

const KIT_HEADERS: &str = include_str!("../../deploy/nginx/security-headers.conf");

/// `(name, value)` of each `add_header NAME "VALUE" always;` line of the kit.
pub fn security_headers() -> Vec<(HeaderName, HeaderValue)> {
    parse(KIT_HEADERS)
}

fn parse(conf: &str) -> Vec<(HeaderName, HeaderValue)> {
    conf.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix("add_header "))
        .filter_map(|rest| {
            let (name, rest) = rest.split_once(' ')?;
            let value = rest.trim().strip_suffix("always;")?.trim().trim_matches('"');
            Some((HeaderName::from_bytes(name.as_bytes()).ok()?, HeaderValue::from_str(value).ok()?))
        })
        .collect()
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Adds an origin to the CSP's connect-src.
pub fn allow_connect(headers: &mut axum::http::HeaderMap, origin: &str) {
    let Some(csp) = headers.get("content-security-policy").and_then(|v| v.to_str().ok()) else { return };
    let widened = csp.replacen("connect-src 'self'", &format!("connect-src 'self' {origin}"), 1);
    if let Ok(value) = HeaderValue::from_str(&widened) {
        headers.insert("content-security-policy", value);
    }
}

/// The kit's Cache-Control for a path: hashed assets forever, everything
/// else (index.html, config.json, deep links) never.
pub fn cache_control(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    }
}

/// The build's content names: `NAME-<12 to 16 hex>[_bg].(js|wasm|css)`, as the kit's regex.
fn is_hashed_asset(path: &str) -> bool {
    let Some((stem, ext)) = path.rsplit_once('.') else { return false };
    if !matches!(ext, "js" | "wasm" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_header_of_the_kit() {
        let headers = security_headers();
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        for name in ["content-security-policy", "x-content-type-options", "referrer-policy", "permissions-policy"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let csp = &headers.iter().find(|(n, _)| n == "content-security-policy").unwrap().1;
        assert!(csp.to_str().unwrap().starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval';"));
    }

    #[test]
    fn another_api_origin_joins_connect_src() {
        assert_eq!(origin_of("http://127.0.0.1:4000/api/app").as_deref(), Some("http://127.0.0.1:4000"));
        let mut headers = axum::http::HeaderMap::new();
        for (n, v) in security_headers() {
            headers.insert(n, v);
        }
        allow_connect(&mut headers, "http://127.0.0.1:4000");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:4000 https://mixpanel.com"), "{csp}");
    }

    #[test]
    fn only_hashed_assets_are_cached() {
        assert_eq!(cache_control("/sa-console-3f9f37df4acf84e8_bg.wasm"), "public, max-age=31536000, immutable");
        // bundle/'s lazy chunks and their loader.
        assert_eq!(cache_control("/lazy-shared7-9ca88da90ad3a0ba.wasm"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/wasm-split-492052f51446316b.js"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/tokens-66a929d77d73c2d.css"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/index.html"), "no-store");
        assert_eq!(cache_control("/config.json"), "no-store");
        assert_eq!(cache_control("/accounts/12"), "no-store");
        assert_eq!(cache_control("/boot.js"), "no-store");
    }
}
