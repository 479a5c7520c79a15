//! Content-addressed names and Subresource Integrity for the bundle's files.
//!
//! Every file but index.html is served as immutable (deploy/nginx/console.conf
//! caches `name-<16 hex>.ext` for a year), so a name must change whenever what
//! the browser would run through it changes.

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

/// `stem-<16 hex of SHA-256>` + `suffix` (e.g. `_bg.wasm`), the shape the
/// kit's cache rule recognises.
pub fn hashed_name(stem: &str, suffix: &str, parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        // Length-prefixed, so two different splits of the same bytes differ.
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{stem}-{hex}{suffix}")
}

/// The `integrity` value for `bytes` (SHA-384).
pub fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// The name a split chunk is served under: `lazy-` marks what the first
/// screen never fetches (scripts/build.sh counts the first load without them).
/// `split___accounts_route_view_1285….wasm` → `lazy-accounts`,
/// `chunk_7.wasm` → `lazy-shared7`.
pub fn chunk_stem(file_name: &str) -> String {
    let base = file_name.strip_suffix(".wasm").unwrap_or(file_name);
    if let Some(number) = base.strip_prefix("chunk_") {
        return format!("lazy-shared{number}");
    }
    let route = base.trim_start_matches("split_").trim_start_matches('_');
    let route = route.split("_route_view").next().unwrap_or(route);
    let route: String = route.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("lazy-{route}")
}

/// Points every `from "./old"` import at `"./new"`; None when there is none.
/// Only import statements: the glue's import object also uses the wasm's
/// import module name, `"./__wasm_split.js"`, as a key, which must stay.
pub fn rename_specifier(text: &str, old: &str, new: &str) -> Option<String> {
    let from = format!("from \"./{old}\"");
    text.contains(&from).then(|| text.replace(&from, &format!("from \"./{new}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_follow_content_and_match_the_cache_rule() {
        let a = hashed_name("sa-console", "_bg.wasm", &[b"one"]);
        assert_eq!(a, hashed_name("sa-console", "_bg.wasm", &[b"one"]));
        assert_ne!(a, hashed_name("sa-console", "_bg.wasm", &[b"two"]));
        assert_ne!(hashed_name("x", ".js", &[b"ab", b"c"]), hashed_name("x", ".js", &[b"a", b"bc"]));
        let hex = a.strip_prefix("sa-console-").unwrap().strip_suffix("_bg.wasm").unwrap();
        assert_eq!(hex.len(), 16);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn sri_is_sha384_in_base64() {
        // printf abc | openssl dgst -sha384 -binary | base64
        assert_eq!(sri(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }

    #[test]
    fn chunk_names_say_what_they_hold() {
        assert_eq!(chunk_stem("split___accounts_route_view_12856677878185349797.wasm"), "lazy-accounts");
        assert_eq!(chunk_stem("split___matrix_route_view_1.wasm"), "lazy-matrix");
        assert_eq!(chunk_stem("chunk_12.wasm"), "lazy-shared12");
    }

    #[test]
    fn specifiers_are_renamed_only_when_present() {
        let js = "import * as a from \"./__wasm_split.js\"\nimport * as b from \"./__wasm_split.js\"\n\"./__wasm_split.js\": a,";
        let out = rename_specifier(js, "__wasm_split.js", "wasm-split-1.js").unwrap();
        assert_eq!(out.matches("from \"./wasm-split-1.js\"").count(), 2);
        assert!(out.ends_with("\n\"./__wasm_split.js\": a,"), "the import object's key stays: {out}");
        assert_eq!(rename_specifier(js, "other.js", "x.js"), None);
    }
}
