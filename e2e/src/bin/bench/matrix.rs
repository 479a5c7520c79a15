//! The access matrix: 200 project listings with 50 ms of latency on every
//! request, from the click on its link to every column loaded and painted.
//! Also measures the network floor: the same requests (the account list and
//! the 200 listings) fetched by plain script, as many handed to the browser
//! at once as the console hands it (over HTTP/1.1 six on the wire and 30 in
//! the browser's queue; over HTTP/2 the kit's 12 streams and 60 in the queue,
//! as deploy/config.json's `server_caps_streams` allows), bodies read and
//! nothing else done, so the console's own share of the figure is visible.
//!
//! Run twice by main: against the sandbox directly (HTTP/1.1), and through
//! the deploy kit's nginx serving HTTPS with HTTP/2.

use crate::{runs, stats};
use e2e::Harness;
use sandbox::{FaultRule, MAIN_ORG};
use serde_json::Value;

const LATENCY_MS: u64 = 50;
/// Over HTTP/2: the issue's absolute target.
const HTTP2_TARGET_MS: f64 = 1000.0;
/// Over HTTP/1.1: within this factor of the network floor.
const HTTP1_FLOOR_FACTOR: f64 = 1.05;
/// The kit's nginx's `http2_max_concurrent_streams` (deploy/nginx/console.conf).
fn server_streams() -> usize {
    let conf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/nginx/console.conf"))
        .expect("the kit's console.conf");
    conf.lines()
        .find_map(|line| {
            line.trim().strip_prefix("http2_max_concurrent_streams")?.trim().strip_suffix(';')?.parse().ok()
        })
        .expect("console.conf caps HTTP/2 streams")
}

/// Fetches what the matrix fetches: the organisation's account list (its
/// rows), alongside every project listing with at most `lanes` handed to the
/// browser at once, with the console's fetch options (no HTTP cache, no
/// cookies: `api::client`); resolves with the ms taken.
const FLOOR: &str = r#"
const [ids, credentials, base, lanes, org, done] = [arguments[0], arguments[1], arguments[2], arguments[3], arguments[4], arguments[arguments.length - 1]];
const auth = 'Basic ' + btoa(credentials);
const get = async url => (await fetch(url, { headers: { Authorization: auth }, cache: 'no-store', credentials: 'omit' })).arrayBuffer();
let next = 0;
const lane = async () => {
  while (next < ids.length) {
    await get(base + '/projects/' + ids[next++] + '/service-accounts');
  }
};
const t0 = performance.now();
window.__benchStart = t0;
performance.mark('floor-start');
Promise.all([get(base + '/organizations/' + org + '/service-accounts'), ...[...Array(lanes)].map(lane)])
  .then(() => { performance.mark('floor-end'); done(performance.now() - t0); }, e => done('a listing failed: ' + e));
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
  if (loaded) {
    observer.disconnect();
    // The cells drawn for the load (the margin around them follows it).
    window.__cellsAtLoad = document.querySelectorAll('table.matrix tbody select').length;
    done(loaded.startTime - t0);
  }
});
observer.observe({ type: 'mark' });
const t0 = performance.now();
window.__benchStart = t0;
[...document.querySelectorAll('nav a')].find(a => a.textContent.trim() === 'Access matrix').click();
"#;

/// Resource timings of the listings since the last call (`BENCH_DEBUG=1`).
const REQUESTS: &str = r#"
// How long after its last byte the account list was decoded; the page's
// performance marks; then the first 16 requests (the account list and the
// first listings), each as [asked, on the wire, first byte, last byte]; all
// in ms from the start. Then when the first round was on the wire, each
// listing's time on the wire, and the servers' wait round by round.
const at = x => (x - window.__benchStart).toFixed(0);
const accountList = performance.getEntriesByType('resource').filter(e => e.name.includes('/organizations/')).pop();
const decoded = performance.getEntriesByName('matrix-accounts-decoded')[0];
const decodeNames = accountList && decoded ? `account list decoded ${(decoded.startTime - accountList.responseEnd).toFixed(1)} ms after its last byte; ` : '';
const marks = decodeNames + 'marks: ' + performance.getEntriesByType('mark').map(m => `${m.name} ${at(m.startTime)}`).join(', ') + '; ';
const firstRound = marks + 'first requests: ' + performance.getEntriesByType('resource').filter(e => e.name.includes('service-accounts'))
  .sort((a, b) => a.startTime - b.startTime).slice(0, 16)
  .map(e => `${e.name.includes('/organizations/') ? 'list' : 'project'} [${at(e.startTime)} ${at(e.requestStart)} ${at(e.responseStart)} ${at(e.responseEnd)}]`).join(' ') + '; ';
const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/projects/'));
const list = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/service-accounts') && e.name.includes('/organizations/')).pop();
performance.clearResourceTimings();
const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1].toFixed(1);
const first = Math.min(...r.map(e => e.startTime)), last = Math.max(...r.map(e => e.responseEnd));
// When the first round (the listings beside the account list on the first
// twelve streams) was all on the wire.
const roundOne = at(r.map(e => e.requestStart).sort((a, b) => a - b)[Math.min(10, r.length - 1)]);
const start = window.__benchStart;
const since = start === undefined ? '' : `first asked ${(first - start).toFixed(0)} ms after the start, last answer in at ${(last - start).toFixed(0)} ms` +
  (list ? `, account list asked at ${(list.startTime - start).toFixed(0)} ms and in at ${(list.responseEnd - start).toFixed(0)} ms; ` : '; ');
const wire = r.map(e => e.responseEnd - e.requestStart);
// Mean wait (request sent to first byte) of each round of 12 listings, in the
// order they went on the wire: where the servers answered slower than their
// latency (the first round's burst; rounds that met the page's heaviest work).
const byWire = [...r].sort((a, b) => a.requestStart - b.requestStart).map(e => e.responseStart - e.requestStart);
const rounds = [...Array(Math.ceil(byWire.length / 12))].map((_, i) => byWire.slice(12 * i, 12 * i + 12))
  .map(w => (w.reduce((a, x) => a + x, 0) / w.length).toFixed(0)).join(' ');
return firstRound + since + `first round on the wire by ${roundOne} ms; ` +
  `on the wire: mean ${(wire.reduce((a, x) => a + x, 0) / wire.length).toFixed(2)} ms, worst ${Math.max(...wire).toFixed(0)} ms; ` +
  `mean wait by round: ${rounds} ms; ` + `${r.length} requests (${[...new Set(r.map(e => e.nextHopProtocol))].join(', ')}) over ${(last - first).toFixed(0)} ms; median: duration ${median(r.map(e => e.duration))} ms, ` +
  `waiting ${median(r.map(e => e.responseStart - e.requestStart))} ms, download ${median(r.map(e => e.responseEnd - e.responseStart))} ms; ` +
  `${(r.reduce((a, e) => a + e.decodedBodySize, 0) / 1e6).toFixed(1)} MB; ` +
  // Requests in flight on average in each 100 ms from the start: where lanes sat idle.
  // ... and on the wire (from requestStart: out of the browser's queue).
  ['in flight', 'startTime', 'on the wire', 'requestStart'].reduce((out, x, i, a) => i % 2 ? out : out +
    `${x} per 100 ms: ` + [...Array(Math.ceil((last - start) / 100))].map((_, j) => {
      const [lo, hi] = [start + 100 * j, start + 100 * (j + 1)];
      return (r.reduce((n, e) => n + Math.max(0, Math.min(hi, e.responseEnd) - Math.max(lo, e[a[i + 1]])), 0) / 100).toFixed(1);
    }).join(' ') + '; ', '');
"#;

/// The protocol the benchmark runs over.
#[derive(Clone, Copy, PartialEq)]
pub enum Protocol {
    Http1,
    Http2,
}

impl Protocol {
    /// The name of its CPU profiles (`BENCH_PROFILE`).
    fn name(self) -> &'static str {
        match self {
            Protocol::Http1 => "matrix-http1",
            Protocol::Http2 => "matrix-http2",
        }
    }
}

pub async fn figures(h: &Harness, protocol: Protocol) {
    h.choose("Organization", "Acme Corp (admin)").await;
    h.control("Search").await;
    let latency = std::env::var("BENCH_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(LATENCY_MS);
    h.sandbox.sandbox.faults().push(FaultRule { latency_ms: latency, ..FaultRule::default() });
    let debug = std::env::var("BENCH_DEBUG").is_ok();
    // The API base the console signed in with (the region's proxy path through nginx).
    let base = h
        .wait_js("performance.getEntriesByType('resource').map(e => e.name).find(n => n.endsWith('/me'))?.slice(0, -3) ?? null")
        .await;
    // Handed to the browser at once, as the console does (its
    // `domain::parallel::handed`): over HTTP/1.1 six run and 30 wait in the
    // browser's queue for a free connection; over HTTP/2 the kit's nginx runs
    // 12 streams at once and 60 wait for a free stream.
    let lanes = match protocol {
        Protocol::Http1 => 36,
        Protocol::Http2 => 72,
    };

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
    // Each run measures the floor and then the matrix, from the same page:
    // whatever drifts over the runs (the browser's heap, the machine's other
    // work) weighs on both alike, and the ratio compares like with like.
    let mut floor = Vec::new();
    let mut loads = Vec::new();
    let mut cells_drawn = 0;
    let mut cells_at_load = 0;
    let mut seen_protocols = String::new();
    for run in 0..runs() {
        h.wait_xpath("//nav//a[normalize-space(.)='Identity']").await.click().await.unwrap();
        h.wait_xpath("//h1[normalize-space(.)='Signed in']").await;
        let args = vec![
            Value::Array(ids.clone()),
            Value::String(credentials.clone()),
            base.clone(),
            Value::from(lanes),
            Value::from(MAIN_ORG),
        ];
        let before = crate::profile::main_thread(h).await;
        crate::profile::start(h).await;
        let ms = h.browser.execute_async(FLOOR, args).await;
        crate::profile::stop(h, &format!("{}-floor", protocol.name()), run).await;
        let ms = ms.expect("the floor script runs");
        floor.push(ms.as_f64().unwrap_or_else(|| panic!("the floor's fetches: {ms}")));
        if debug {
            let after = crate::profile::main_thread(h).await;
            println!("floor: main thread: {}", crate::profile::spent(&before, &after));
            println!("floor: {}", h.browser.execute(REQUESTS, vec![]).await.unwrap());
        }

        let before = crate::profile::main_thread(h).await;
        crate::profile::start(h).await;
        let ms =
            h.browser.execute_async(OPEN_MATRIX, vec![]).await.expect("the matrix loads").as_f64().expect("a number");
        crate::profile::stop(h, protocol.name(), run).await;
        let after = crate::profile::main_thread(h).await;
        loads.push(ms);
        seen_protocols = h
            .browser
            .execute("return [...new Set(performance.getEntriesByType('resource').filter(e => e.name.includes('/projects/')).map(e => e.nextHopProtocol))].join(', ')", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        if debug {
            println!("matrix: main thread: {}", crate::profile::spent(&before, &after));
            println!("matrix: {ms:.0} ms; {}", h.browser.execute(REQUESTS, vec![]).await.unwrap());
        }
        h.wait_text("Loaded all 200 projects.").await;
        cells_at_load = h.wait_js("window.__cellsAtLoad").await.as_u64().unwrap();
        // Once the margin is drawn (a moment after the load).
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        cells_drawn =
            h.wait_js("document.querySelectorAll('table.matrix tbody select').length").await.as_u64().unwrap();
    }
    let mut sorted = floor.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let floor_median = sorted[sorted.len() / 2];
    println!();
    let (name, target) = match protocol {
        Protocol::Http1 => ("HTTP/1.1, sandbox direct", floor_median * HTTP1_FLOOR_FACTOR),
        Protocol::Http2 => ("HTTP/2 + TLS through the deploy kit's nginx", HTTP2_TARGET_MS),
    };
    println!(
        "access matrix, {name}: 10,003 accounts x {} projects, {latency} ms latency per request, {} runs",
        ids.len(),
        runs()
    );
    let rule = match protocol {
        Protocol::Http1 => format!(" (1.05 x floor {floor_median:.0} ms)"),
        Protocol::Http2 => String::new(),
    };
    stats(&format!("link click -> fully loaded{rule}"), &loads, target.round(), "ms");
    println!(
        "{:<38} median {floor_median:>7.1} ms  (plain fetches, {lanes} handed at once, no console work)",
        "network floor"
    );
    if protocol == Protocol::Http2 {
        let mut paths = vec![format!("/organizations/{MAIN_ORG}/service-accounts")];
        paths.extend(ids.iter().map(|id| format!("/projects/{id}/service-accounts")));
        let base = base.as_str().unwrap_or_default();
        match crate::servers_alone::median_ms(base, &paths, &credentials, server_streams(), runs()) {
            Some(ms) => println!(
                "{:<38} median {ms:>7.1} ms  (curl, no browser: the same requests through the same nginx)",
                "servers alone"
            ),
            None => println!("{:<38} skipped: no curl with HTTP/2 here", "servers alone"),
        }
    }
    println!("{:<38} {seen_protocols}", "protocol of the listings");
    println!(
        "{:<38} {cells_at_load} of {} while loading (what is in view), {cells_drawn} with the margin after",
        "cells in the DOM",
        10_003 * ids.len()
    );
}
