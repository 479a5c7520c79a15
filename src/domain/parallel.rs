//! How many requests a fan-out keeps in flight: as many as the connection
//! carries without queueing, never more than the deployment allows, fewer
//! once the API says it is being asked too fast.
//!
//! A browser opens at most six HTTP/1.1 connections to one origin, so a
//! seventh request over HTTP/1.1 only waits in the browser's queue. HTTP/2
//! and HTTP/3 multiplex one connection, so more requests really run at once;
//! how many is the deployment's choice (`max_parallel_requests` in
//! config.json): its proxy and Mixpanel's rate limits are what bound it.

/// Requests at once over HTTP/1.1 (or an unknown protocol): the browser's
/// per-origin connection limit.
pub const HTTP1_LANES: usize = 6;
/// `max_parallel_requests` when config.json does not set it.
pub const DEFAULT_MAX_PARALLEL: usize = 12;
/// The highest `max_parallel_requests` config.json may set: beyond this a
/// fan-out only trips the API's rate limit sooner.
pub const MAX_PARALLEL_CEILING: usize = 64;

/// The lanes for a connection whose `nextHopProtocol` (Resource Timing) is
/// `protocol`: `h2`/`h3` carry `configured`; anything else, including an
/// empty protocol (a cross-origin API that does not expose it), is treated
/// as HTTP/1.1.
pub fn lanes(protocol: &str, configured: usize) -> usize {
    let configured = configured.clamp(1, MAX_PARALLEL_CEILING);
    if multiplexed(protocol) {
        configured
    } else {
        configured.min(HTTP1_LANES)
    }
}

/// Whether the protocol multiplexes requests over one connection.
pub fn multiplexed(protocol: &str) -> bool {
    matches!(protocol, "h2" | "h3") || protocol.starts_with("h3-")
}

/// The lanes after a 429: half as many (at least one), so a fan-out that
/// tripped the rate limit keeps fewer requests in flight from then on.
pub fn after_throttle(lanes: usize) -> usize {
    (lanes / 2).max(1)
}

/// The progress lines' note on requests in flight; nothing until the
/// fan-out has said how many (never "up to 0 at once").
pub fn at_once(lanes: usize) -> String {
    if lanes == 0 {
        String::new()
    } else {
        format!(" (up to {lanes} at once)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_note_waits_for_a_real_number() {
        assert_eq!(at_once(0), "");
        assert_eq!(at_once(12), " (up to 12 at once)");
    }

    #[test]
    fn http1_and_unknown_protocols_get_the_browsers_six() {
        assert_eq!(lanes("http/1.1", 12), 6);
        assert_eq!(lanes("", 12), 6, "a protocol the page cannot see is not assumed multiplexed");
        assert_eq!(lanes("http/1.0", 12), 6);
        assert_eq!(lanes("http/1.1", 4), 4, "a lower configured limit wins");
    }

    #[test]
    fn multiplexed_protocols_get_the_configured_limit() {
        assert_eq!(lanes("h2", 12), 12);
        assert_eq!(lanes("h3", 20), 20);
        assert_eq!(lanes("h2", 0), 1, "never zero lanes");
        assert_eq!(lanes("h2", 1000), MAX_PARALLEL_CEILING);
    }

    #[test]
    fn a_429_halves_the_lanes_down_to_one() {
        assert_eq!(after_throttle(12), 6);
        assert_eq!(after_throttle(3), 1);
        assert_eq!(after_throttle(1), 1);
    }
}
