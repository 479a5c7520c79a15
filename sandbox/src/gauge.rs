//! How many API requests the sandbox is answering at once, and the most since
//! the last reset: a client's concurrency as a server sees it (a test checks
//! that a fan-out behind the kit's HTTP/2 stream cap never exceeds it).

use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Default)]
pub struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// One request being answered; counted until dropped.
pub struct Held<'a>(&'a Gauge);

impl Gauge {
    pub fn enter(&self) -> Held<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Held(self)
    }

    /// The most requests answered at once since the last reset.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Starts a new peak from what is being answered now.
    pub fn reset_peak(&self) {
        self.peak.store(self.now.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_the_most_held_at_once_since_the_reset() {
        let gauge = Gauge::default();
        let a = gauge.enter();
        let b = gauge.enter();
        drop(a);
        let c = gauge.enter();
        assert_eq!(gauge.peak(), 2);
        drop((b, c));
        gauge.reset_peak();
        assert_eq!(gauge.peak(), 0, "nothing held at the reset");
        let _d = gauge.enter();
        assert_eq!(gauge.peak(), 1);
    }
}
