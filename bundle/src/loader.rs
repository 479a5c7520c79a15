//! Edits of the splitter's chunk loader (its `__wasm_split.js`).

/// The loader fetches each chunk as `fetch(new URL("./NAME", import.meta.url))`:
/// point it at the hashed name and make the browser check the bytes.
/// Returns None when the loader does not fetch `old` that way (a splitter
/// change the bundler must not silently miss).
pub fn pin_chunk_fetch(loader: &str, old: &str, new: &str, integrity: &str) -> Option<String> {
    let from = format!("fetch(new URL(\"./{old}\", import.meta.url))");
    if !loader.contains(&from) {
        return None;
    }
    let to = format!("fetch(new URL(\"./{new}\", import.meta.url), {{ integrity: \"{integrity}\" }})");
    Some(loader.replace(&from, &to))
}

/// Without the splitter's `/* which pages use this chunk */` lines: the
/// first screen downloads the loader, not its notes.
pub fn without_comment_lines(loader: &str) -> String {
    let mut out = String::with_capacity(loader.len());
    for line in loader.lines() {
        let trimmed = line.trim();
        if !(trimmed.starts_with("/*") && trimmed.ends_with("*/")) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_fetches_get_the_new_name_and_integrity() {
        let loader = r#"const src = fetch(new URL("./chunk_7.wasm", import.meta.url));"#;
        let pinned = pin_chunk_fetch(loader, "chunk_7.wasm", "lazy-shared7-00.wasm", "sha384-X").unwrap();
        assert_eq!(
            pinned,
            r#"const src = fetch(new URL("./lazy-shared7-00.wasm", import.meta.url), { integrity: "sha384-X" });"#
        );
        assert_eq!(pin_chunk_fetch(loader, "chunk_8.wasm", "x", "y"), None);
    }

    #[test]
    fn note_lines_go_and_code_stays() {
        let loader = "/* __a, __b */\nconst x = 1; /* keep */\n  /* y */\nlet z;\n";
        assert_eq!(without_comment_lines(loader), "const x = 1; /* keep */\nlet z;\n");
    }
}
