//! Work deferred to the browser's next frame, owned like every other task:
//! once its owner (the component that asked) is gone, it does nothing.

use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Runs `f` in the task after the next frame is painted (a frame, then a
/// task after it). Not owned: for work that touches no reactive state.
pub fn after_paint_unowned(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, Duration::ZERO));
}

/// A flag the current owner clears when it is cleaned up.
fn owner_alive() -> Arc<AtomicBool> {
    let alive = Arc::new(AtomicBool::new(true));
    let flag = alive.clone();
    on_cleanup(move || flag.store(false, Ordering::Relaxed));
    alive
}

/// Runs `f` in the task after the next frame is painted, unless the calling
/// component is gone by then.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let alive = owner_alive();
    after_paint_unowned(move || {
        if alive.load(Ordering::Relaxed) {
            f();
        }
    });
}
