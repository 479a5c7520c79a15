//! The first screen: from navigation to the Sign in form painted and
//! interactive (the page marks `sign-in-ready` after the first paint of the
//! form, its handlers attached), with an empty browser cache each time.

use crate::stats;
use e2e::Harness;
use serde_json::json;

const TARGET_MS: f64 = 150.0;

pub async fn figures(h: &Harness) {
    let mut samples = Vec::new();
    let mut requests = String::new();
    for _ in 0..crate::runs() {
        h.cdp("Network.clearBrowserCache", json!({})).await.expect("the cache is emptied");
        h.browser.goto(&format!("{}/", h.console_url())).await.expect("the console loads");
        let ms = h
            .wait_js("(() => { const m = performance.getEntriesByName('sign-in-ready')[0]; return m ? m.startTime : null; })()")
            .await
            .as_f64()
            .expect("a number");
        samples.push(ms);
        requests = h
            .browser
            .execute(
                "const n = performance.getEntriesByType('navigation')[0]; return `document ${n.fetchStart.toFixed(0)}/${n.requestStart.toFixed(0)}-${n.responseEnd.toFixed(0)} (dom interactive ${n.domInteractive.toFixed(0)}), ` + performance.getEntriesByType('resource').map(e => `${e.name.split('/').pop()} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)}`).join(', ')",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    println!();
    println!("first screen, empty cache, {} runs (headless Chromium, release build, loopback)", crate::runs());
    stats("navigation -> Sign in interactive", &samples, TARGET_MS, "ms");
    if std::env::var("BENCH_DEBUG").is_ok() {
        println!("requests (ms from navigation): {requests}");
    }
}
