//! The preload links index.html carries, in the shape trunk wrote them:
//! boot.js starts the app from the first module preload (the wasm-bindgen
//! glue) and the wasm preload, each checked against its integrity.

/// One file the first screen needs, with its integrity.
pub struct Pinned {
    pub href: String,
    pub integrity: String,
}

/// Inserts, before `</head>`: the glue's module preload first (boot.js
/// imports the first one), then the chunk loader's (the glue imports it; a
/// module preload with integrity is how a static import gets checked), then
/// the wasm's. None when the page has no `</head>` or already has a module
/// preload (a page not from this build's trunk step).
pub fn with_preloads(page: &str, glue: &Pinned, loader: &Pinned, wasm: &Pinned) -> Option<String> {
    if page.contains("rel=\"modulepreload\"") {
        return None;
    }
    let page = without_skipped_rust_link(page);
    let at = page.find("</head>")?;
    let module = |p: &Pinned| {
        format!(r#"<link rel="modulepreload" href="/{}" crossorigin="anonymous" integrity="{}">"#, p.href, p.integrity)
    };
    let links = format!(
        r#"{}{}<link rel="preload" href="/{}" crossorigin="anonymous" integrity="{}" as="fetch" type="application/wasm">"#,
        module(glue),
        module(loader),
        wasm.href,
        wasm.integrity
    );
    Some(format!("{}{}{}", &page[..at], links, &page[at..]))
}

/// index.html declares the Rust app with `data-trunk-skip` (so trunk does not
/// build the crate itself); trunk leaves that link in the page: drop it.
fn without_skipped_rust_link(page: &str) -> String {
    let Some(start) = page.find("<link data-trunk rel=\"rust\" data-trunk-skip") else { return page.to_string() };
    let Some(len) = page[start..].find("/>").map(|end| end + 2) else { return page.to_string() };
    let line_start =
        page[..start].rfind('\n').map_or(start, |n| if page[n + 1..start].trim().is_empty() { n } else { start });
    format!("{}{}", &page[..line_start], &page[start + len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(href: &str) -> Pinned {
        Pinned { href: href.into(), integrity: format!("sha384-{href}") }
    }

    #[test]
    fn the_glue_comes_first_and_everything_is_pinned() {
        let page = "<html><head><title>t</title></head><body></body></html>";
        let out = with_preloads(page, &pin("g.js"), &pin("l.js"), &pin("w.wasm")).unwrap();
        let glue = out.find(r#"rel="modulepreload" href="/g.js""#).unwrap();
        let loader = out.find(r#"rel="modulepreload" href="/l.js""#).unwrap();
        let wasm = out.find(r#"rel="preload" href="/w.wasm""#).unwrap();
        assert!(glue < loader && loader < wasm && wasm < out.find("</head>").unwrap());
        assert!(out.contains(r#"integrity="sha384-w.wasm" as="fetch" type="application/wasm""#));
        assert!(out.ends_with("</head><body></body></html>"));
    }

    #[test]
    fn the_skipped_rust_link_is_dropped() {
        let page = "<head>\n    <title>t</title>\n    <link data-trunk rel=\"rust\" data-trunk-skip data-trunk-id=\"0\" />\n  </head>";
        let out = with_preloads(page, &pin("g"), &pin("l"), &pin("w")).unwrap();
        assert!(!out.contains("data-trunk"), "{out}");
        assert!(out.starts_with("<head>\n    <title>t</title>\n  <link rel=\"modulepreload\""), "{out}");
    }

    #[test]
    fn a_page_without_head_or_with_preloads_already_is_refused() {
        assert!(with_preloads("<html></html>", &pin("g"), &pin("l"), &pin("w")).is_none());
        let done = r#"<head><link rel="modulepreload" href="/x.js"></head>"#;
        assert!(with_preloads(done, &pin("g"), &pin("l"), &pin("w")).is_none());
    }
}
