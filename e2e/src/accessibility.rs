//! axe-core in the page: every accessibility check of the end-to-end tests
//! runs axe's rules (WCAG 2.0–2.2 A and AA, and its best practices) on the
//! page as it stands and fails on any violation, minor ones included (the
//! house standard is no serious one; the console has none of any kind, and
//! a check that lets minor ones pass would let them pile up).
//!
//! The script goes in with the WebDriver call itself, which the page's
//! Content-Security-Policy does not govern: the console's own pages are never
//! loosened for the check.

use crate::Harness;
use std::sync::OnceLock;

/// axe-core's script, where scripts/setup.sh installed it (`SA_AXE_CORE`,
/// else its default place in the tools folder).
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("SA_AXE_CORE").unwrap_or_else(|_| {
            let tools = std::env::var("SA_CONSOLE_TOOLS")
                .unwrap_or_else(|_| format!("{}/.cache/sa-console-tools", std::env::var("HOME").unwrap_or_default()));
            format!("{tools}/node_modules/axe-core/axe.min.js")
        });
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("axe-core is not at {path} ({e}): scripts/setup.sh installs it"))
    })
}

/// Runs axe on the document and answers one line per rule broken, with
/// axe's impact rating, naming up to five of the elements.
const RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(
  r => done(r.violations
    .map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`)),
  e => done([`axe did not run: ${e}`]));
"#;

impl Harness {
    /// What axe finds on the page as it is now.
    pub async fn accessibility_problems(&self) -> Vec<String> {
        let script = format!("{}\n{RUN}", axe_source());
        let found = self.browser.execute_async(&script, vec![]).await.expect("axe runs in the page");
        found.as_array().expect("a list").iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
    }
}
