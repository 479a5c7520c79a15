//! Whole listings (each project's members, each organisation's accounts),
//! kept between requests and patched where an account was marked used since.
//!
//! Why: spliced from kept texts (`kept`), a listing of ~550 members still
//! took ~0.15 ms of CPU (an account compared, a map searched and a dozen
//! small writes per member, and a 210 KB buffer filled), 28–34 ms over an
//! access-matrix load's 200 listings, in bursts of twelve that the
//! benchmark's browser and nginx share on two cores, and which Mixpanel's
//! servers never take from an admin's machine. Kept whole: 6 ms a load, 13
//! ms with the caller's `last_used` patched into every listing. In
//! interleaved benchmark runs the matrix's plain-fetch floor fell by ~20 ms
//! and the console's load by ~25–30 ms. The organisation's account list
//! (10,003 accounts, 2.4 MB) is kept the same way: written afresh it took
//! 5–29 ms of CPU in the first, busiest round of the matrix's requests.
//!
//! A kept listing is used only while it is byte for byte what writing it
//! afresh gives. What it lists is worked out per store revision
//! (`per_revision`): the same `Arc` of sources means the same revision (and
//! switch), so the same members, roles and accounts, except for `last_used`,
//! the one thing written without moving the revision on (marking the caller
//! used, see `state::authenticate_reader`), and noted in `UsedMarks` when it
//! is. So each item's `last_used` is kept beside the text, the accounts
//! marked since the listing was last checked are looked at, and an item
//! whose `last_used` moved is written afresh into a copy of the rest.

use super::used_marks::UsedMarks;
use crate::model::Store;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// What a listing's item is written from: one account each.
pub trait Listed {
    fn account(&self) -> u64;
}

impl Listed for super::member_shapes::Shape {
    fn account(&self) -> u64 {
        self.account
    }
}

/// An organisation's account list lists accounts by id.
impl Listed for u64 {
    fn account(&self) -> u64 {
        *self
    }
}

/// Listings of one kind, by project or organisation id.
pub struct KeptListings<S> {
    kept: RwLock<HashMap<u64, Kept<S>>>,
}

impl<S> Default for KeptListings<S> {
    fn default() -> Self {
        KeptListings { kept: RwLock::new(HashMap::new()) }
    }
}

struct Kept<S> {
    /// What the listing was written from (see the module's note).
    source: Arc<[S]>,
    /// Whether `source` is in account-id order, so an account is found in it
    /// by binary search (both kinds are; checked, not assumed).
    in_account_order: bool,
    /// Each item's `last_used` when its text was written.
    last_used: Vec<Option<DateTime<Utc>>>,
    body: Bytes,
    /// Where each item's text lies in `body`.
    spans: Vec<Range<usize>>,
    /// The `UsedMarks` position the listing was last checked up to.
    checked_to: AtomicU64,
}

impl<S: Listed> KeptListings<S> {
    /// The listing `key` of `source` (what it lists in the store as read
    /// now): kept, patched or written afresh, with `write_all` (the whole
    /// listing and where each item lies: an item whose account is gone is
    /// left out) and `write_one` (one item).
    pub fn listing(
        &self,
        key: u64,
        source: &Arc<[S]>,
        store: &Store,
        marks: &UsedMarks,
        write_all: impl FnOnce(&[S]) -> (Vec<u8>, Vec<Range<usize>>),
        write_one: impl Fn(&mut Vec<u8>, &S),
    ) -> Bytes {
        let checked_to = marks.position();
        let fresh = {
            let all = self.kept.read().unwrap_or_else(|e| e.into_inner());
            match all.get(&key).filter(|k| Arc::ptr_eq(&k.source, source)) {
                Some(kept) => match moved(kept, store, marks) {
                    Some(moved) if moved.is_empty() => {
                        kept.checked_to.fetch_max(checked_to, Ordering::Relaxed);
                        return kept.body.clone();
                    }
                    Some(moved) => patched(kept, &moved, store, &write_one, checked_to),
                    None => written(source, store, write_all, checked_to),
                },
                None => written(source, store, write_all, checked_to),
            }
        };
        let body = fresh.body.clone();
        // A listing missing an item's account (never within one revision)
        // is not kept: it could not be checked item by item.
        if fresh.spans.len() == source.len() {
            self.kept.write().unwrap_or_else(|e| e.into_inner()).insert(key, fresh);
        }
        body
    }
}

fn last_used(store: &Store, account: u64) -> Option<DateTime<Utc>> {
    store.accounts.get(&account).and_then(|a| a.last_used)
}

/// The items whose `last_used` moved since `kept` was written, by index,
/// ascending; `None` when an item's account is no longer in the store (never
/// under the same source, but then the listing is written afresh). Only the
/// accounts marked used since it was last checked are looked at, when the
/// marks are still kept.
fn moved<S: Listed>(kept: &Kept<S>, store: &Store, marks: &UsedMarks) -> Option<Vec<usize>> {
    let since = marks.since(kept.checked_to.load(Ordering::Relaxed)).filter(|_| kept.in_account_order);
    let Some(marked) = since else {
        return moved_among(kept, store, 0..kept.source.len());
    };
    let mut at: Vec<usize> =
        marked.iter().filter_map(|id| kept.source.binary_search_by_key(id, Listed::account).ok()).collect();
    at.sort_unstable();
    at.dedup();
    moved_among(kept, store, at.into_iter())
}

/// Of the items at `indexes` (ascending), those whose `last_used` moved.
fn moved_among<S: Listed>(kept: &Kept<S>, store: &Store, indexes: impl Iterator<Item = usize>) -> Option<Vec<usize>> {
    let mut moved = Vec::new();
    for i in indexes {
        if store.accounts.get(&kept.source[i].account())?.last_used != kept.last_used[i] {
            moved.push(i);
        }
    }
    Some(moved)
}

/// The whole listing written afresh.
fn written<S: Listed>(
    source: &Arc<[S]>,
    store: &Store,
    write_all: impl FnOnce(&[S]) -> (Vec<u8>, Vec<Range<usize>>),
    checked_to: u64,
) -> Kept<S> {
    let (body, spans) = write_all(source);
    Kept {
        source: source.clone(),
        in_account_order: source.windows(2).all(|w| w[0].account() < w[1].account()),
        last_used: source.iter().map(|item| last_used(store, item.account())).collect(),
        body: Bytes::from(body),
        spans,
        checked_to: AtomicU64::new(checked_to),
    }
}

/// `kept` with the items at `moved` (ascending) written afresh.
fn patched<S: Listed>(
    kept: &Kept<S>,
    moved: &[usize],
    store: &Store,
    write_one: &impl Fn(&mut Vec<u8>, &S),
    checked_to: u64,
) -> Kept<S> {
    let old = &kept.body;
    let mut body = Vec::with_capacity(old.len() + 256 * moved.len());
    let mut spans = Vec::with_capacity(kept.spans.len());
    let mut last_used = kept.last_used.clone();
    let mut copied_to = 0;
    let mut shift: isize = 0;
    let mut next = moved.iter().peekable();
    for (i, span) in kept.spans.iter().enumerate() {
        let at = |x: usize| (x as isize + shift) as usize;
        if next.next_if_eq(&&i).is_none() {
            spans.push(at(span.start)..at(span.end));
            continue;
        }
        body.extend_from_slice(&old[copied_to..span.start]);
        let start = body.len();
        let item = &kept.source[i];
        write_one(&mut body, item);
        spans.push(start..body.len());
        last_used[i] = self::last_used(store, item.account());
        shift += (body.len() - start) as isize - span.len() as isize;
        copied_to = span.end;
    }
    body.extend_from_slice(&old[copied_to..]);
    Kept {
        source: kept.source.clone(),
        in_account_order: kept.in_account_order,
        last_used,
        body: Bytes::from(body),
        spans,
        checked_to: AtomicU64::new(checked_to),
    }
}
