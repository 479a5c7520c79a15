//! How much of what the table shows is selected: drives the "Select all"
//! checkbox (checked, or half-checked).

use std::collections::HashSet;

/// The shown accounts' share of the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Nothing shown is selected (or nothing is shown).
    None,
    /// Some shown accounts are selected, some are not.
    Some,
    /// Every shown account is selected.
    All,
}

/// Reads `shown` (the ids in view, filtered) against `selected`, stopping as
/// soon as the answer is known. With nothing selected it reads nothing: the
/// table asks on its first paint, when 10,000 lookups cost ~1.4 ms of it.
pub fn coverage(shown: impl IntoIterator<Item = u64>, selected: &HashSet<u64>) -> Coverage {
    if selected.is_empty() {
        return Coverage::None;
    }
    let (mut any_in, mut any_out) = (false, false);
    for id in shown {
        if selected.contains(&id) {
            any_in = true;
        } else {
            any_out = true;
        }
        if any_in && any_out {
            return Coverage::Some;
        }
    }
    match (any_in, any_out) {
        (true, false) => Coverage::All,
        _ => Coverage::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[u64]) -> HashSet<u64> {
        ids.iter().copied().collect()
    }

    #[test]
    fn none_some_or_all_of_what_is_shown() {
        assert_eq!(coverage([1, 2, 3], &set(&[])), Coverage::None);
        assert_eq!(coverage([1, 2, 3], &set(&[9])), Coverage::None);
        assert_eq!(coverage([1, 2, 3], &set(&[2])), Coverage::Some);
        assert_eq!(coverage([1, 2, 3], &set(&[1, 2, 3])), Coverage::All);
        // Selected accounts the filter hides do not count.
        assert_eq!(coverage([1, 2], &set(&[1, 2, 7])), Coverage::All);
    }

    #[test]
    fn nothing_shown_is_never_all() {
        assert_eq!(coverage([], &set(&[1])), Coverage::None);
        assert_eq!(coverage([], &set(&[])), Coverage::None);
    }

    #[test]
    fn stops_reading_once_the_answer_is_known() {
        let mut read = 0;
        let shown = (1..=10_000u64).inspect(|_| read += 1);
        assert_eq!(coverage(shown, &set(&[1])), Coverage::Some);
        assert_eq!(read, 2);
    }
}
