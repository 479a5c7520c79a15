//! What is worked out from the store once per revision of it, by key, instead
//! of on every request (see `member_shapes` and `accounts::list`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

pub struct PerRevision<K, V> {
    kept: RwLock<HashMap<K, Kept<V>>>,
}

/// A value and the revision it was worked out under.
type Kept<V> = (u64, Arc<[V]>);

impl<K, V> Default for PerRevision<K, V> {
    fn default() -> Self {
        PerRevision { kept: RwLock::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash, V> PerRevision<K, V> {
    /// `key`'s value as of `revision` (the store's, read under the same read
    /// guard as what `work_out` reads): kept from an earlier call under the
    /// same revision, else worked out now. The same revision gives the same
    /// `Arc`, which is how the kept listings know their source is unchanged.
    pub fn of(&self, key: K, revision: u64, work_out: impl FnOnce() -> Vec<V>) -> Arc<[V]> {
        if let Some((_, value)) =
            self.kept.read().unwrap_or_else(|e| e.into_inner()).get(&key).filter(|(at, _)| *at == revision)
        {
            return value.clone();
        }
        let value: Arc<[V]> = work_out().into();
        self.kept.write().unwrap_or_else(|e| e.into_inner()).insert(key, (revision, value.clone()));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_lasts_while_its_revision_does() {
        let kept = PerRevision::<u64, u8>::default();
        let first = kept.of(1, 5, || vec![1]);
        assert!(Arc::ptr_eq(&first, &kept.of(1, 5, || vec![2])), "kept: not worked out again");
        assert_eq!(&kept.of(2, 5, || vec![3])[..], [3], "another key");
        let next = kept.of(1, 6, || vec![4]);
        assert_eq!(&next[..], [4], "a new revision");
        assert!(!Arc::ptr_eq(&first, &next));
    }
}
