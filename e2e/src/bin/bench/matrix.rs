//! The access matrix: 200 project listings with 50 ms of latency on every
//! request, from the click on its link to every column loaded and painted.
//! Also measures the network floor: the same 200 listings fetched by plain
//! script, six at a time, bodies read and nothing else done, so the
//! console's own share of the figure is visible.

use crate::{runs, stats};
use e2e::Harness;
use sandbox::{FaultRule, MAIN_ORG};
use serde_json::Value;

const LATENCY_MS: u64 = 50;
const TARGET_MS: f64 = 2000.0;

/// Fetches every listing, at most six at once, and resolves with the ms taken.
const FLOOR: &str = r#"
const [ids, credentials, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const auth = 'Basic ' + btoa(credentials);
const base = location.origin + '/api/app/projects/';
let next = 0;
const lane = async () => {
  while (next < ids.length) {
    const response = await fetch(base + ids[next++] + '/service-accounts', { headers: { Authorization: auth } });
    await response.arrayBuffer();
  }
};
const t0 = performance.now();
Promise.all([...Array(6)].map(lane)).then(() => done(performance.now() - t0));
"#;

/// Clicks the matrix link and resolves with the ms until the page marks
/// `matrix-loaded` (all columns loaded, then painted). Waits on a
/// PerformanceObserver, not by polling: the harness's own scripts would take
/// turns on the main thread the page is using.
const OPEN_MATRIX: &str = r#"
const done = arguments[arguments.length - 1];
performance.clearMarks();
performance.clearResourceTimings();
const observer = new PerformanceObserver(list => {
  const loaded = list.getEntries().find(e => e.name === 'matrix-loaded');
  if (loaded) { observer.disconnect(); done(loaded.startTime - t0); }
});
observer.observe({ type: 'mark' });
const t0 = performance.now();
[...document.querySelectorAll('nav a')].find(a => a.textContent.trim() === 'Access matrix').click();
"#;

/// Resource timings of the listings since the last call (`BENCH_DEBUG=1`).
const REQUESTS: &str = r#"
const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/projects/'));
performance.clearResourceTimings();
const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1].toFixed(1);
const first = Math.min(...r.map(e => e.startTime)), last = Math.max(...r.map(e => e.responseEnd));
return `${r.length} requests over ${(last - first).toFixed(0)} ms; median: duration ${median(r.map(e => e.duration))} ms, ` +
  `waiting ${median(r.map(e => e.responseStart - e.requestStart))} ms, download ${median(r.map(e => e.responseEnd - e.responseStart))} ms; ` +
  `${(r.reduce((a, e) => a + e.decodedBodySize, 0) / 1e6).toFixed(1)} MB`;
"#;

pub async fn figures(h: &Harness) {
    h.choose("Organization", "Acme Corp (admin)").await;
    h.control("Search").await;
    let latency = std::env::var("BENCH_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(LATENCY_MS);
    h.sandbox.sandbox.faults().push(FaultRule { latency_ms: latency, ..FaultRule::default() });
    let debug = std::env::var("BENCH_DEBUG").is_ok();

    let ids: Vec<Value> = h
        .sandbox
        .sandbox
        .store_read()
        .projects
        .values()
        .filter(|p| p.organization_id == MAIN_ORG)
        .map(|p| Value::from(p.id))
        .collect();
    let credentials = format!("{}:{}", sandbox::DEMO_ADMIN.username, sandbox::DEMO_ADMIN.secret);
    let mut floor = Vec::new();
    for _ in 0..runs() {
        let ms =
            h.browser.execute_async(FLOOR, vec![Value::Array(ids.clone()), Value::String(credentials.clone())]).await;
        floor.push(ms.expect("the floor script runs").as_f64().expect("a number"));
        if debug {
            println!("floor: {}", h.browser.execute(REQUESTS, vec![]).await.unwrap());
        }
    }

    let mut loads = Vec::new();
    let mut cells_drawn = 0;
    for _ in 0..runs() {
        h.wait_xpath("//nav//a[normalize-space(.)='Identity']").await.click().await.unwrap();
        h.wait_xpath("//h1[normalize-space(.)='Signed in']").await;
        let ms =
            h.browser.execute_async(OPEN_MATRIX, vec![]).await.expect("the matrix loads").as_f64().expect("a number");
        loads.push(ms);
        if debug {
            println!("matrix: {ms:.0} ms; {}", h.browser.execute(REQUESTS, vec![]).await.unwrap());
        }
        h.wait_text("Loaded all 200 projects.").await;
        cells_drawn =
            h.wait_js("document.querySelectorAll('table.matrix tbody select').length").await.as_u64().unwrap();
    }
    println!();
    println!(
        "access matrix, 10,003 accounts x {} projects, {latency} ms latency per request, {} runs",
        ids.len(),
        runs()
    );
    stats("link click -> fully loaded", &loads, TARGET_MS, "ms");
    let mut sorted = floor.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{:<38} median {:>7.1} ms  (plain fetches, no console work)", "network floor", sorted[sorted.len() / 2]);
    println!("{:<38} {cells_drawn} of {}", "cells in the DOM", 10_003 * ids.len());
}
