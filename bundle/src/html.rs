//! index.html as served: the source page with the stylesheet, boot.js and the
//! first screen's preloads added before `</head>`, every one pinned with its
//! integrity. boot.js starts the app from the first module preload (the
//! wasm-bindgen glue) and the wasm preload, each checked against its hash.

/// One file the first screen needs, with its integrity.
pub struct Pinned {
    pub href: String,
    pub integrity: String,
}

/// What the page links, each named by its content.
pub struct FirstScreen<'a> {
    pub stylesheet: &'a Pinned,
    pub boot: &'a Pinned,
    pub glue: &'a Pinned,
    pub loader: &'a Pinned,
    pub wasm: &'a Pinned,
}

/// Inserts, before `</head>`: the stylesheet; boot.js (a module: it runs
/// after parsing wherever it stands); the glue's module preload first
/// (boot.js imports the first one), then the chunk loader's (the glue
/// imports it; a module preload with integrity is how a static import gets
/// checked), then the wasm's. None when the page has not exactly one
/// `</head>` (one in a comment would take the links), or links a stylesheet
/// or a module preload already (a built page, not the source).
pub fn page(source: &str, files: &FirstScreen) -> Option<String> {
    let built = source.contains("rel=\"modulepreload\"") || source.contains("rel=\"stylesheet\"");
    if built || source.matches("</head>").count() != 1 {
        return None;
    }
    let at = source.find("</head>")?;
    let module = |p: &Pinned| {
        format!(r#"<link rel="modulepreload" href="/{}" crossorigin="anonymous" integrity="{}">"#, p.href, p.integrity)
    };
    let links = format!(
        concat!(
            r#"<link rel="stylesheet" href="/{}" integrity="{}">"#,
            r#"<script src="/{}" integrity="{}" type="module"></script>"#,
            r#"{}{}<link rel="preload" href="/{}" crossorigin="anonymous" integrity="{}" as="fetch" type="application/wasm">"#
        ),
        files.stylesheet.href,
        files.stylesheet.integrity,
        files.boot.href,
        files.boot.integrity,
        module(files.glue),
        module(files.loader),
        files.wasm.href,
        files.wasm.integrity
    );
    Some(format!("{}{}{}", &source[..at], links, &source[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(href: &str) -> Pinned {
        Pinned { href: href.into(), integrity: format!("sha384-{href}") }
    }

    fn with(source: &str) -> Option<String> {
        let (css, boot, glue, loader, wasm) = (pin("c.css"), pin("b.js"), pin("g.js"), pin("l.js"), pin("w.wasm"));
        page(source, &FirstScreen { stylesheet: &css, boot: &boot, glue: &glue, loader: &loader, wasm: &wasm })
    }

    #[test]
    fn the_glue_comes_first_and_everything_is_pinned() {
        let out = with("<html><head><title>t</title></head><body></body></html>").unwrap();
        let at = |needle: &str| out.find(needle).unwrap_or_else(|| panic!("{needle} in {out}"));
        let css = at(r#"<link rel="stylesheet" href="/c.css" integrity="sha384-c.css">"#);
        let boot = at(r#"<script src="/b.js" integrity="sha384-b.js" type="module"></script>"#);
        let glue = at(r#"rel="modulepreload" href="/g.js""#);
        let loader = at(r#"rel="modulepreload" href="/l.js""#);
        let wasm = at(r#"rel="preload" href="/w.wasm""#);
        assert!(at("<title>") < css && css < boot && boot < glue && glue < loader && loader < wasm);
        assert!(out.contains(r#"integrity="sha384-w.wasm" as="fetch" type="application/wasm""#));
        assert!(out.ends_with("</head><body></body></html>"));
    }

    #[test]
    fn a_page_without_head_or_built_already_is_refused() {
        assert!(with("<html></html>").is_none());
        assert!(with("<head><!-- before </head> --></head>").is_none());
        assert!(with(r#"<head><link rel="modulepreload" href="/x.js"></head>"#).is_none());
        assert!(with(r#"<head><link rel="stylesheet" href="/x.css"></head>"#).is_none());
    }
}
