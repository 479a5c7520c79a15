//! `BENCH_PROFILE=DIR`: the page's CPU profile (Chrome DevTools Protocol,
//! sampled every 100 µs) around each measured run, written as
//! DIR/NAME-RUN.cpuprofile (open in Chrome's DevTools, Performance panel).
//! Build dist/ with names kept to read wasm frames (see README, "Benchmark").

use e2e::Harness;
use serde_json::json;

pub async fn start(h: &Harness) {
    if std::env::var_os("BENCH_PROFILE").is_none() {
        return;
    }
    h.cdp("Profiler.enable", json!({})).await;
    h.cdp("Profiler.setSamplingInterval", json!({"interval": 100})).await;
    h.cdp("Profiler.start", json!({})).await;
}

pub async fn stop(h: &Harness, name: &str, run: usize) {
    let Some(dir) = std::env::var_os("BENCH_PROFILE") else { return };
    let Some(answer) = h.cdp("Profiler.stop", json!({})).await else { return };
    let path = std::path::Path::new(&dir).join(format!("{name}-{run}.cpuprofile"));
    std::fs::create_dir_all(&dir).expect("profile folder");
    std::fs::write(&path, answer["profile"].to_string()).expect("profile written");
}
