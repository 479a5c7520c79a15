//! Reads every project's members with bounded concurrency.

use crate::api::projects::{members, Member};
use crate::api::{ApiClient, ApiError};
use crate::domain::parallel::after_throttle;
use futures::stream::{FuturesUnordered, StreamExt};
use std::cell::Cell;
use std::time::Duration;
use web_sys::AbortSignal;

/// How far apart the first round of a long fan-out starts, end to end.
/// Started together, all the first answers land together and queue for the
/// one main thread (and the server's cores), and every lane waits for the
/// slowest; spaced out, they stay apart. Measured on the matrix benchmark
/// (200 projects, 50 ms latency, six lanes): 1,946 ms with 10 ms between
/// starts, 2,026 ms with none; the span keeps that spread for any lanes.
const STAGGER_SPAN: Duration = Duration::from_millis(60);

/// When the request for the `index`-th of `total` projects may start, with
/// `lanes` in flight. Only a fan-out of more than one round is spaced: there
/// the lanes that start late have a request fewer to make, so spacing costs
/// nothing.
pub fn start_delay(index: usize, total: usize, lanes: usize) -> Duration {
    if total > lanes && index < lanes {
        STAGGER_SPAN * index as u32 / lanes as u32
    } else {
        Duration::ZERO
    }
}

/// What `members_of_all` reports as it goes.
pub enum Progress {
    /// How many requests it keeps in flight: at the start, and again each
    /// time a 429 lowers it.
    Lanes(usize),
    Waiting {
        project: u64,
        seconds: u32,
    },
    Done {
        project: u64,
        result: Result<Vec<Member>, ApiError>,
    },
}

/// Lists every project's members, calling `on_each` as each answer arrives
/// (for progress); a failing project does not stop the others.
///
/// It keeps `client.lanes()` requests in flight (six over HTTP/1.1, the
/// configured limit over HTTP/2), and halves that each time the API answers
/// 429, for the rest of the fan-out: the waiting request is retried by the
/// client as always, and no new request starts beyond the lowered limit.
/// Over HTTP/1.1 at six it hands the browser 24 more to queue
/// (`client.handed`), so a freed connection never waits for the page.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<&AbortSignal>,
    on_each: impl Fn(Progress),
) {
    let on_each = &on_each;
    let total = projects.len();
    let first_round = client.lanes();
    let lanes = &Cell::new(first_round);
    on_each(Progress::Lanes(first_round));
    let one = |index: usize, project: u64| {
        let client = client.clone();
        async move {
            let delay = start_delay(index, total, first_round);
            if !delay.is_zero() {
                gloo_timers::future::sleep(delay).await;
            }
            let on_wait = |seconds| {
                let lowered = after_throttle(lanes.get());
                if lowered < lanes.get() {
                    lanes.set(lowered);
                    on_each(Progress::Lanes(lowered));
                }
                on_each(Progress::Waiting { project, seconds });
            };
            (project, members(&client, project, signal, &on_wait).await)
        }
    };
    let mut pending = projects.into_iter().enumerate();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < client.handed(lanes.get()) {
            let Some((index, project)) = pending.next() else { break };
            running.push(one(index, project));
        }
        let Some((project, result)) = running.next().await else { break };
        on_each(Progress::Done { project, result });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fan_out_of_several_rounds_spaces_its_first_requests() {
        assert_eq!(start_delay(0, 200, 6), Duration::ZERO);
        assert_eq!(start_delay(5, 200, 6), Duration::from_millis(50));
        assert_eq!(start_delay(6, 200, 6), Duration::ZERO, "later requests start as lanes free up");
        assert_eq!(start_delay(5, 6, 6), Duration::ZERO, "one round: all at once");
        assert_eq!(start_delay(11, 200, 12), Duration::from_millis(55), "the same span for more lanes");
    }
}
