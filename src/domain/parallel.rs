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

/// How many requests a fan-out hands the browser while `lanes` run on the
/// wire, when the browser itself holds back the rest: over HTTP/1.1 at the
/// browser's full six (it opens no more connections), and over HTTP/2 at a
/// full `server_cap` when the server caps each connection at that many
/// streams (`server_cap`: see `server_caps_streams`). Then five rounds more
/// wait in the browser's own queue: it starts one the moment a connection or
/// stream frees, in its network process, instead of waiting for the page's
/// main thread to see the answer and ask again. In the matrix benchmark that
/// handoff cost ~3 ms a request over HTTP/1.1 (10 at the 90th percentile),
/// and decoding the 10,000-account list and drawing the first cells held the
/// main thread ~150 ms while every connection sat idle; five rounds queued
/// cover that (three left the figure at 1.06 x the network floor, four at
/// 1.04-1.06 x, five at 1.05 x). Over HTTP/2 through the kit's nginx (which
/// caps streams at 12) the same took the matrix from 1.15-1.2 x its floor to
/// ~1.02 x. The server still sees `lanes` at once, and a queued request waits
/// at most five answers (the read timeout is 60 s). A 429 calls the queued
/// ones back (`workflows::fan_out::recall`), so the lowered limit holds at
/// once. Anywhere else (HTTP/2 with no cap the console knows of, or fewer
/// lanes after a 429) each request handed over goes on the wire, so exactly
/// `lanes` are handed.
pub fn handed(protocol: &str, lanes: usize, server_cap: Option<usize>) -> usize {
    let held_back_by_browser =
        if multiplexed(protocol) { server_cap.is_some_and(|cap| lanes >= cap) } else { lanes >= HTTP1_LANES };
    if held_back_by_browser {
        lanes + QUEUED_ROUNDS * lanes
    } else {
        lanes
    }
}

/// Rounds of requests a full fan-out keeps queued in the browser.
pub const QUEUED_ROUNDS: usize = 5;

/// Whether the server's stream cap holds back this session's requests:
/// config.json says the server that serves the console caps each HTTP/2
/// connection at `max_parallel_requests` streams (`server_caps_streams`, set
/// by the deploy kit, whose nginx does), and the API is reached through that
/// same server (a `regions` proxy path on the console's origin). An API on
/// another origin, such as Mixpanel's own, is not behind that cap.
pub fn server_caps_streams(declared: bool, api_base_url: &str, console_origin: &str) -> bool {
    declared
        && !console_origin.is_empty()
        && api_base_url.strip_prefix(console_origin).is_some_and(|rest| rest.starts_with('/'))
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
    fn only_a_full_http1_fan_out_queues_requests_in_the_browser() {
        assert_eq!(handed("http/1.1", 6, None), 36, "six on the wire, 30 waiting for a free connection");
        assert_eq!(handed("", 6, None), 36);
        assert_eq!(handed("http/1.1", 3, None), 3, "after a 429: exactly as many as run");
        assert_eq!(handed("http/1.1", 4, None), 4, "a lower configured limit: nothing held back");
        assert_eq!(handed("h2", 12, None), 12, "multiplexed, no cap known: every request handed over runs");
    }

    #[test]
    fn http2_queues_in_the_browser_only_at_a_full_server_cap() {
        assert_eq!(handed("h2", 12, Some(12)), 72, "12 streams run, five rounds wait for a free one");
        assert_eq!(handed("h3", 12, Some(12)), 72);
        assert_eq!(handed("h2", 6, Some(12)), 6, "after a 429: exactly as many as run");
        assert_eq!(handed("http/1.1", 6, Some(12)), 36, "the cap is HTTP/2's; HTTP/1.1 is the browser's six");
    }

    #[test]
    fn the_server_cap_counts_only_for_an_api_behind_the_same_server() {
        let origin = "https://console.example";
        assert!(server_caps_streams(true, "https://console.example/mixpanel/us/api/app", origin));
        assert!(!server_caps_streams(false, "https://console.example/mixpanel/us/api/app", origin), "not declared");
        assert!(!server_caps_streams(true, "https://mixpanel.com/api/app", origin), "Mixpanel's own origin");
        assert!(!server_caps_streams(true, "https://console.example.evil/api/app", origin), "a longer host");
        assert!(!server_caps_streams(true, "https://console.example:8443/api/app", origin), "another port");
        assert!(!server_caps_streams(true, "/mixpanel/us/api/app", ""), "no origin known");
    }

    #[test]
    fn a_429_halves_the_lanes_down_to_one() {
        assert_eq!(after_throttle(12), 6);
        assert_eq!(after_throttle(3), 1);
        assert_eq!(after_throttle(1), 1);
    }
}
