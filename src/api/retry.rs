//! When to ask again after a 429. Only reads are ever repeated: a repeated
//! write could do its work twice.

use std::time::Duration;

/// Attempts after the first, per read.
pub const MAX_RETRIES: u32 = 3;
/// The longest Retry-After honoured; a longer one fails the read instead of
/// freezing the page.
pub const MAX_WAIT_SECONDS: u32 = 60;

/// The wait before retry number `retry` (1-based): the server's Retry-After
/// when given, else 1 s, 2 s, 4 s. `None` = give up.
pub fn retry_delay(retry: u32, retry_after: Option<u32>) -> Option<Duration> {
    if retry == 0 || retry > MAX_RETRIES {
        return None;
    }
    let seconds = retry_after.unwrap_or(1 << (retry - 1));
    (seconds <= MAX_WAIT_SECONDS).then(|| Duration::from_secs(seconds.into()))
}

/// A read whose connection broke (the proxy closed it under the request:
/// nginx ends an HTTP/2 connection after `keepalive_requests`, a keep-alive
/// connection can close as a request goes out) is asked once more after
/// this pause. Only reads, and only once: a server that is down still fails
/// fast, and a write is never repeated.
pub const NETWORK_RETRY_PAUSE: Duration = Duration::from_millis(250);

/// Whether a read that failed on the network may be asked again, given how
/// many times it already was.
pub fn retry_after_network_error(already_retried: u32) -> Option<Duration> {
    (already_retried == 0).then_some(NETWORK_RETRY_PAUSE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_read_is_asked_once_more_only() {
        assert_eq!(retry_after_network_error(0), Some(NETWORK_RETRY_PAUSE));
        assert_eq!(retry_after_network_error(1), None);
    }

    #[test]
    fn honours_retry_after_then_backs_off_and_gives_up() {
        assert_eq!(retry_delay(1, Some(2)), Some(Duration::from_secs(2)));
        assert_eq!(retry_delay(1, Some(0)), Some(Duration::ZERO));
        assert_eq!(retry_delay(1, None), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(3, None), Some(Duration::from_secs(4)));
        assert_eq!(retry_delay(4, Some(1)), None);
        assert_eq!(retry_delay(1, Some(3600)), None);
    }
}
