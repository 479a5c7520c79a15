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

/// The renderer's main-thread time so far (Chrome's `Performance.getMetrics`,
/// seconds): all tasks, script, style, layout. `BENCH_DEBUG` prints the
/// difference over a run, which the CPU profile lumps together as "(program)".
/// Only then: the Performance domain times every task of the page with a
/// thread-clock read, work the measured runs should not carry.
pub async fn main_thread(h: &Harness) -> Vec<(String, f64)> {
    if std::env::var_os("BENCH_DEBUG").is_none() {
        return Vec::new();
    }
    h.cdp("Performance.enable", json!({"timeDomain": "threadTicks"})).await;
    let Some(answer) = h.cdp("Performance.getMetrics", json!({})).await else { return Vec::new() };
    let wanted = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskOtherDuration"];
    answer["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["name"].as_str()?.to_string(), m["value"].as_f64()?)))
        .filter(|(name, _)| wanted.contains(&name.as_str()))
        .collect()
}

/// `after - before`, in milliseconds, as one line.
pub fn spent(before: &[(String, f64)], after: &[(String, f64)]) -> String {
    after
        .iter()
        .filter_map(|(name, a)| {
            let b = before.iter().find(|(n, _)| n == name)?.1;
            Some(format!("{} {:.0} ms", name.trim_end_matches("Duration"), (a - b) * 1000.0))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
