//! The accounts marked used without a new store revision, in order.
//!
//! Why: a kept listing (`kept_listings`) stays good while none of its
//! members' `last_used` moved, and marking a reader used (whole seconds, see
//! `state::authenticate_reader`) is the one change the store takes without a
//! new revision. Checking every member against the store for it cost ~0.2 ms
//! of CPU a listing (~550 map searches), ~40 ms over an access-matrix load,
//! on the two cores the benchmark's browser and nginx share; with the
//! organisation's account list written afresh each time as well, the
//! HTTP/2 matrix load measured ~55 ms slower in interleaved runs. This log
//! says which accounts to look at: usually one, the caller.
//!
//! A reader holds the store for reading while it reads the log, and marks are
//! noted with the store held for writing, so the two always agree.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

/// Marks kept. A listing last checked before the oldest of them is checked
/// member by member, as if there were no log.
const KEPT: usize = 4096;

#[derive(Default)]
pub struct UsedMarks {
    log: Mutex<Log>,
}

#[derive(Default)]
struct Log {
    /// The position of `accounts[0]`: marks forgotten so far.
    first: u64,
    accounts: VecDeque<u64>,
}

impl UsedMarks {
    fn log(&self) -> MutexGuard<'_, Log> {
        // A poisoned lock only means a handler panicked; the log is still whole.
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that `account`'s `last_used` moved. Call it with the store held
    /// for writing.
    pub fn note(&self, account: u64) {
        let mut log = self.log();
        if log.accounts.len() == KEPT {
            log.accounts.pop_front();
            log.first += 1;
        }
        log.accounts.push_back(account);
    }

    /// Where the next mark goes: a listing checked now is checked up to here.
    pub fn position(&self) -> u64 {
        let log = self.log();
        log.first + log.accounts.len() as u64
    }

    /// The accounts marked from `position` on (repeats included), or `None`
    /// when some of those marks are no longer kept.
    pub fn since(&self, position: u64) -> Option<Vec<u64>> {
        let log = self.log();
        let skip = position.checked_sub(log.first)?;
        Some(log.accounts.iter().skip(skip as usize).copied().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_read_from_a_position_on() {
        let marks = UsedMarks::default();
        assert_eq!((marks.position(), marks.since(0)), (0, Some(vec![])));
        marks.note(7);
        marks.note(9);
        marks.note(7);
        assert_eq!(marks.position(), 3);
        assert_eq!(marks.since(0), Some(vec![7, 9, 7]));
        assert_eq!(marks.since(2), Some(vec![7]));
        assert_eq!(marks.since(3), Some(vec![]));
    }

    #[test]
    fn marks_too_old_to_be_kept_are_not_answered() {
        let marks = UsedMarks::default();
        for account in 0..KEPT as u64 + 2 {
            marks.note(account);
        }
        assert_eq!(marks.position(), KEPT as u64 + 2);
        assert_eq!(marks.since(0), None, "the first two marks are forgotten");
        assert_eq!(marks.since(1), None);
        assert_eq!(marks.since(2).map(|m| (m.len(), m[0])), Some((KEPT, 2)));
        assert_eq!(marks.since(KEPT as u64 + 1), Some(vec![KEPT as u64 + 1]));
    }
}
