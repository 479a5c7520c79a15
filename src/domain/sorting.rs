//! Stable sorts compiled once. `slice::sort_by` is compiled anew for every
//! element type and comparison (~3.7 KB of wasm each; the console had 17 of
//! them); these sort the items' positions with the comparison behind a
//! reference, so there is one sort in the wasm for all of them.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order.
pub fn sort_stable_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a], &items[b]));
    reorder(items, &order);
}

/// Sorts `items` by `key`, keeping equal items in their order.
pub fn sort_stable_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_stable_by(items, |a, b| key(a).cmp(&key(b)));
}

/// As `sort_stable_by_key`, with each key computed once (a lowercased name,
/// say), not twice per comparison.
pub fn sort_stable_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| keys[a].cmp(&keys[b]));
    reorder(items, &order);
}

/// Sorts positions by `compare`; equal ones stay in ascending position order,
/// which makes the unstable sort (no buffer, the faster one) stable.
pub fn sort_positions(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
}

/// A map or set filled by inserting each item. Collecting into a `BTreeMap`
/// or `BTreeSet` sorts the items first, with a stable sort compiled for
/// every item type; inserting needs no sort. Equal keys: the last wins, as
/// when collecting.
pub fn filled<C: Default + Extend<T>, T>(items: impl IntoIterator<Item = T>) -> C {
    let mut collection = C::default();
    collection.extend(items);
    collection
}

/// Puts `items` in `order` (a permutation of their positions).
pub fn reorder<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_items_keep_their_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_stable_by_key(&mut v, |x| x.0);
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        sort_stable_by(&mut v, |x, y| y.0.cmp(&x.0));
        assert_eq!(v, [(2, 'a'), (2, 'c'), (1, 'b'), (1, 'd'), (0, 'e')]);
    }

    #[test]
    fn filled_maps_keep_the_last_value_of_a_key_as_collecting_does() {
        let pairs = [(2, 'a'), (1, 'b'), (2, 'c')];
        let map: std::collections::BTreeMap<i32, char> = filled(pairs);
        assert_eq!(map, pairs.into_iter().collect());
        let set: std::collections::BTreeSet<i32> = filled([3, 1, 3]);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn cached_keys_sort_as_the_keys_do() {
        let mut v: Vec<String> = ["beta", "Alpha", "alpha", "BETA", "gamma"].map(String::from).to_vec();
        sort_stable_by_cached_key(&mut v, |s| s.to_lowercase());
        assert_eq!(v, ["Alpha", "alpha", "beta", "BETA", "gamma"]);
        let mut empty: Vec<String> = Vec::new();
        sort_stable_by_cached_key(&mut empty, |s| s.clone());
        assert!(empty.is_empty());
    }

    #[test]
    fn positions_agree_with_the_standard_stable_sort() {
        // A fixed pseudo-random list with many ties, against `sort_by_key`.
        let mut seed = 7u64;
        let v: Vec<(u64, usize)> = (0..500)
            .map(|i| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((seed >> 33) % 13, i)
            })
            .collect();
        let (mut ours, mut std) = (v.clone(), v);
        sort_stable_by_key(&mut ours, |x| x.0);
        std.sort_by_key(|x| x.0);
        assert_eq!(ours, std);
        let mut order: Vec<usize> = (0..ours.len()).rev().collect();
        sort_positions(&mut order, &|a, b| ours[a].0.cmp(&ours[b].0));
        assert_eq!(order, (0..ours.len()).collect::<Vec<_>>());
    }
}
