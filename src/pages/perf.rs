//! Performance marks the benchmark reads (`performance.getEntriesByName`).

pub fn mark(name: &str) {
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark(name);
    }
}
