//! Performance marks the benchmark reads (`performance.getEntriesByName`).

use leptos::prelude::*;

pub fn mark(name: &str) {
    if let Some(performance) = window().performance() {
        let _ = performance.mark(name);
    }
}

/// Marks `name` once the next frame has been painted: a frame, then a task
/// after it. Touches no reactive state, so it is safe after its page is gone.
pub fn mark_after_paint(name: &'static str) {
    crate::frames::after_paint_unowned(move || mark(name));
}
