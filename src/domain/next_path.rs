//! Where to go after sign-in: `?next=` is followed only to a page of this
//! console. The text is read the way a browser's URL parser reads it
//! (WHATWG: tabs and newlines dropped, surrounding controls and spaces
//! trimmed, `\` taken as `/`), so a spelling the browser would turn into
//! another host (`/\t/evil.example` → `//evil.example`) is refused here too.

/// Where the console goes when `next` is missing or refused.
pub const HOME: &str = "/accounts";

/// The path + query + hash to navigate to: `next` when it names a page of
/// `origin` (e.g. `http://127.0.0.1:8787`), else `HOME`.
pub fn safe_next(next: Option<&str>, origin: &str) -> String {
    next.and_then(|n| same_origin_path(n, origin)).filter(|p| p != "/").unwrap_or_else(|| HOME.to_string())
}

fn same_origin_path(next: &str, origin: &str) -> Option<String> {
    let cleaned: String = next
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if has_scheme(&cleaned) {
        // Absolute: only this very origin, followed by a path, query or hash.
        let origin = origin.trim_end_matches('/');
        let head = cleaned.get(..origin.len())?;
        if !head.eq_ignore_ascii_case(origin) {
            return None;
        }
        let rest = &cleaned[origin.len()..];
        return match rest.chars().next() {
            None => Some("/".to_string()),
            Some('/') if !rest.starts_with("//") => Some(rest.to_string()),
            Some('?' | '#') => Some(format!("/{rest}")),
            _ => None,
        };
    }
    // Path-absolute only; `//host` is another host, a bare `page` is relative.
    (cleaned.starts_with('/') && !cleaned.starts_with("//")).then_some(cleaned)
}

/// `scheme:` as a URL parser sees it: a letter, then letters, digits, `+-.`.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:8787";

    fn next(n: &str) -> String {
        safe_next(Some(n), ORIGIN)
    }

    #[test]
    fn pages_of_the_console_are_followed() {
        assert_eq!(next("/accounts?org=1&q=etl#top"), "/accounts?org=1&q=etl#top");
        assert_eq!(next("/matrix"), "/matrix");
        assert_eq!(next(" /matrix\n"), "/matrix");
        assert_eq!(next("http://127.0.0.1:8787/accounts/7?org=1"), "/accounts/7?org=1");
        assert_eq!(next("HTTP://127.0.0.1:8787/matrix"), "/matrix");
        assert_eq!(safe_next(None, ORIGIN), HOME);
        assert_eq!(next("/"), HOME);
    }

    #[test]
    fn other_hosts_are_refused_however_spelled() {
        for payload in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            "https://evil.example",
            "https://evil.example/accounts",
            "http://127.0.0.1:8787.evil.example/x",
            "http://127.0.0.1:8787@evil.example/x",
            "http://127.0.0.1:8787//evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,hi",
            "accounts",
            "",
        ] {
            assert_eq!(next(payload), HOME, "{payload:?} must stay on the console");
        }
    }
}
