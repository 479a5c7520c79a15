//! Reads every project's members with bounded concurrency.

use crate::api::projects::{members, Member};
use crate::api::{ApiClient, ApiError};
use crate::domain::parallel::after_throttle;
use futures::stream::{FuturesUnordered, StreamExt};
use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};
use std::time::Duration;
use web_sys::{AbortController, AbortSignal};

/// How far apart the first round of a long fan-out starts, end to end.
/// Started together, all the first answers land together and queue for the
/// one main thread (and the server's cores), and every lane waits for the
/// slowest; spaced out, they stay apart. Measured on the matrix benchmark
/// (200 projects, 50 ms latency, six lanes): 1,946 ms with 10 ms between
/// starts, 2,026 ms with none; the span keeps that spread for any lanes.
const STAGGER_SPAN: Duration = Duration::from_millis(60);

/// When the request for the `index`-th of `total` projects may start, with
/// `lanes` in flight and `handed` given to the browser at once. Only a
/// fan-out of more than one round is spaced: there the lanes that start late
/// have a request fewer to make, so spacing costs nothing. And only when the
/// browser queues nothing (`handed == lanes`): with a queue, the requests
/// handed after the first round go out at once and fill every connection, so
/// spacing the first round would only send it to the back of that queue.
pub fn start_delay(index: usize, total: usize, lanes: usize, handed: usize) -> Duration {
    if total > lanes && index < lanes && handed <= lanes {
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
/// Where the browser queues (HTTP/1.1 at six, or HTTP/2 at a server's stream
/// cap) it hands the browser five rounds more (`client.handed`), so a freed
/// connection or stream never waits for the page; a 429 calls the newest of
/// those back (`recall`) and asks for them again later, so the lowered limit
/// holds at once, not after the queue drains.
pub async fn members_of_all(
    client: &ApiClient,
    projects: Vec<u64>,
    signal: Option<&AbortSignal>,
    on_each: impl Fn(Progress),
) {
    let on_each = &on_each;
    let total = projects.len();
    let first_round = client.lanes();
    let first_handed = client.handed(first_round);
    let lanes = &Cell::new(first_round);
    on_each(Progress::Lanes(first_round));
    // Requests handed over and not yet answered, oldest first, by a sequence
    // number (a recalled project is asked again under a new one), each with
    // the controller that can call it back.
    let in_hand = &RefCell::new(Vec::<(usize, (u64, Option<AbortController>))>::new());
    let recalled = &RefCell::new(HashSet::<usize>::new());
    let requeued = &RefCell::new(VecDeque::<u64>::new());
    let one = |seq: usize, index: usize, project: u64, own: Option<AbortSignal>| {
        let client = client.clone();
        async move {
            let delay = start_delay(index, total, first_round, first_handed);
            if !delay.is_zero() {
                gloo_timers::future::sleep(delay).await;
            }
            let on_wait = |seconds| {
                let on_wire = lanes.get();
                let lowered = after_throttle(on_wire);
                if lowered < on_wire {
                    lanes.set(lowered);
                    on_each(Progress::Lanes(lowered));
                    // Only what waits in the browser's queue: the oldest
                    // `on_wire` in hand have reached the server already.
                    let keep = client.handed(lowered).max(on_wire);
                    for (back, (project, controller)) in recall(&mut in_hand.borrow_mut(), keep, seq) {
                        if let Some(controller) = controller {
                            controller.abort();
                        }
                        recalled.borrow_mut().insert(back);
                        requeued.borrow_mut().push_back(project);
                    }
                }
                on_each(Progress::Waiting { project, seconds });
            };
            (seq, project, members(&client, project, own.as_ref().or(signal), &on_wait).await)
        }
    };
    let mut pending = projects.into_iter().enumerate();
    let mut running = FuturesUnordered::new();
    let mut next_seq = 0;
    loop {
        while running.len() < client.handed(lanes.get()) {
            // Recalled projects first, asked again without any spacing.
            let again = requeued.borrow_mut().pop_front().map(|p| (usize::MAX, p));
            let Some((index, project)) = again.or_else(|| pending.next()) else { break };
            let seq = next_seq;
            next_seq += 1;
            let (controller, own) = own_signal(signal).unzip();
            in_hand.borrow_mut().push((seq, (project, controller)));
            running.push(one(seq, index, project, own));
        }
        let Some((seq, project, result)) = running.next().await else { break };
        in_hand.borrow_mut().retain(|(s, _)| *s != seq);
        if recalled.borrow_mut().remove(&seq) {
            continue; // Called back after a 429; asked again from `requeued`.
        }
        on_each(Progress::Done { project, result });
    }
}

/// A request's own abort signal, which also follows the fan-out's `signal`
/// (leaving the page, signing out): `None` outside a browser.
fn own_signal(signal: Option<&AbortSignal>) -> Option<(AbortController, AbortSignal)> {
    let controller = AbortController::new().ok()?;
    let own = controller.signal();
    let combined = match signal {
        Some(outer) => AbortSignal::any(&js_sys::Array::of2(outer, &own)),
        None => own,
    };
    Some((controller, combined))
}

/// After a 429 lowered the fan-out to `keep` requests in hand: takes back the
/// newest handed ones beyond `keep` (likeliest still waiting in the browser's
/// queue, not yet on the wire), never `asking` (the one that met the 429 and
/// is waiting out its Retry-After). Returns them newest first.
pub fn recall<T>(in_hand: &mut Vec<(usize, T)>, keep: usize, asking: usize) -> Vec<(usize, T)> {
    let mut back = Vec::new();
    let mut i = in_hand.len();
    while in_hand.len() > keep && i > 0 {
        i -= 1;
        if in_hand[i].0 != asking {
            back.push(in_hand.remove(i));
        }
    }
    back
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fan_out_of_several_rounds_spaces_its_first_requests() {
        assert_eq!(start_delay(0, 200, 6, 6), Duration::ZERO);
        assert_eq!(start_delay(5, 200, 6, 6), Duration::from_millis(50));
        assert_eq!(start_delay(6, 200, 6, 6), Duration::ZERO, "later requests start as lanes free up");
        assert_eq!(start_delay(5, 6, 6, 6), Duration::ZERO, "one round: all at once");
        assert_eq!(start_delay(11, 200, 12, 12), Duration::from_millis(55), "the same span for more lanes");
    }

    #[test]
    fn a_fan_out_that_queues_in_the_browser_is_not_spaced() {
        assert_eq!(start_delay(5, 200, 6, 36), Duration::ZERO);
        assert_eq!(start_delay(11, 200, 12, 72), Duration::ZERO);
    }

    #[test]
    fn a_429_recalls_the_newest_handed_requests_but_not_its_own() {
        let mut in_hand: Vec<(usize, u64)> = (0..8).map(|s| (s, 100 + s as u64)).collect();
        let back = recall(&mut in_hand, 3, 7);
        assert_eq!(back, vec![(6, 106), (5, 105), (4, 104), (3, 103), (2, 102)], "newest first, the asking one kept");
        assert_eq!(in_hand, vec![(0, 100), (1, 101), (7, 107)]);
        assert!(recall(&mut in_hand, 3, 0).is_empty(), "nothing beyond what may stay");
        assert_eq!(recall(&mut vec![(0, 1)], 0, 0), vec![], "the asking request is never recalled");
    }
}
