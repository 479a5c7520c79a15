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

#[cfg(test)]
mod tests {
    use super::*;

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
