//! Whole project listings, kept between requests and patched where a member
//! was marked used since.
//!
//! Why: spliced from kept texts (`kept`), a listing of ~550 members still
//! took ~0.15 ms of CPU (an account compared, a map searched and a dozen
//! small writes per member, and a 210 KB buffer filled), 28–34 ms over an
//! access-matrix load's 200 listings, in bursts of twelve that the
//! benchmark's browser and nginx share on two cores, and which Mixpanel's
//! servers never take from an admin's machine. Kept whole: 6 ms a load, 13
//! ms with the caller's `last_used` patched into every listing. In
//! interleaved benchmark runs the matrix's plain-fetch floor fell by ~20 ms
//! and the console's load by ~25–30 ms.
//!
//! A kept listing is used only while it is byte for byte what writing it
//! afresh gives. What a project lists is worked out per store revision
//! (`member_shapes`): the same `Arc` of shapes means the same revision and
//! switch, so the same members, roles and accounts, except for `last_used`,
//! the one thing written without moving the revision on (marking the caller
//! used, see `state::authenticate_reader`). So each member's `last_used` is
//! kept beside the text, and a member whose `last_used` moved is written
//! afresh into a copy of the rest.

use super::member_shapes::Shape;
use super::wire::MemberItem;
use super::KeptTexts;
use crate::model::Store;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

#[derive(Default)]
pub struct KeptListings {
    kept: RwLock<HashMap<u64, Kept>>,
}

struct Kept {
    /// What the listing was written from (see the module's note).
    shapes: Arc<[Shape]>,
    /// Each member's `last_used` when its text was written.
    last_used: Vec<Option<DateTime<Utc>>>,
    body: Bytes,
    /// Where each member's text lies in `body`.
    spans: Vec<Range<usize>>,
}

impl KeptListings {
    /// Project `project`'s listing of `shapes` (its members in the store as
    /// read now), each written from `item`.
    pub fn listing<'s>(
        &self,
        project: u64,
        shapes: &Arc<[Shape]>,
        store: &'s Store,
        texts: &KeptTexts,
        item: impl Fn(&Shape) -> Option<MemberItem<'s>>,
    ) -> Bytes {
        let fresh = {
            let all = self.kept.read().unwrap_or_else(|e| e.into_inner());
            match all.get(&project).filter(|k| Arc::ptr_eq(&k.shapes, shapes)) {
                Some(kept) => match moved(kept, store) {
                    Some(moved) if moved.is_empty() => return kept.body.clone(),
                    Some(moved) => patched(kept, &moved, store, texts, &item),
                    None => written(shapes, texts, &item),
                },
                None => written(shapes, texts, &item),
            }
        };
        let body = fresh.body.clone();
        // A listing missing a member's account (never within one revision)
        // is not kept: it could not be checked member by member.
        if fresh.spans.len() == shapes.len() {
            self.kept.write().unwrap_or_else(|e| e.into_inner()).insert(project, fresh);
        }
        body
    }
}

/// The members whose `last_used` moved since `kept` was written, by index;
/// `None` when a member is no longer in the store (never under the same
/// shapes, but then the listing is written afresh).
fn moved(kept: &Kept, store: &Store) -> Option<Vec<usize>> {
    let mut moved = Vec::new();
    for (i, (shape, then)) in kept.shapes.iter().zip(&kept.last_used).enumerate() {
        if store.accounts.get(&shape.account)?.last_used != *then {
            moved.push(i);
        }
    }
    Some(moved)
}

/// The whole listing written from kept texts.
fn written<'s>(shapes: &Arc<[Shape]>, texts: &KeptTexts, item: &impl Fn(&Shape) -> Option<MemberItem<'s>>) -> Kept {
    let items: Vec<MemberItem> = shapes.iter().filter_map(item).collect();
    let (body, spans) = texts.members_listing_spans(&items);
    let last_used = items.iter().map(|i| i.account().last_used).collect();
    Kept { shapes: shapes.clone(), last_used, body: Bytes::from(body), spans }
}

/// `kept` with the members at `moved` (ascending) written afresh.
fn patched<'s>(
    kept: &Kept,
    moved: &[usize],
    store: &'s Store,
    texts: &KeptTexts,
    item: &impl Fn(&Shape) -> Option<MemberItem<'s>>,
) -> Kept {
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
        let shape = &kept.shapes[i];
        if let Some(member) = item(shape) {
            texts.write_one_member(&mut body, &member);
        }
        spans.push(start..body.len());
        last_used[i] = store.accounts.get(&shape.account).and_then(|a| a.last_used);
        shift += (body.len() - start) as isize - span.len() as isize;
        copied_to = span.end;
    }
    body.extend_from_slice(&old[copied_to..]);
    Kept { shapes: kept.shapes.clone(), last_used, body: Bytes::from(body), spans }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::routes::member_shapes::MemberShapes;
    use crate::routes::wire::Listing;
    use crate::seed::{demo_store, SeedOptions, MAIN_ORG};
    use chrono::{Duration, TimeZone};

    fn item<'s>(store: &'s Store, shape: &Shape) -> Option<MemberItem<'s>> {
        let item = MemberItem::new(store.accounts.get(&shape.account)?, shape.role, shape.target_type);
        Some(if shape.custom_role { item.with_role_name(crate::switches::CUSTOM_ROLE) } else { item })
    }

    /// The listing serialised afresh, as the API writes it.
    fn fresh(store: &Store, shapes: &[Shape]) -> String {
        let items: Vec<MemberItem> = shapes.iter().filter_map(|s| item(store, s)).collect();
        String::from_utf8(serde_json::to_vec(&Listing::ok(items)).unwrap()).unwrap()
    }

    fn project(store: &Store) -> Project {
        store.projects.values().find(|p| p.organization_id == MAIN_ORG).unwrap().clone()
    }

    #[test]
    fn a_kept_listing_is_what_serialising_writes_through_marks_of_use_and_writes() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let mut store = demo_store(&SeedOptions { seed: 3, accounts: 80, projects: 2 }, now);
        let project = project(&store);
        let (listings, texts, shapes_of) = (KeptListings::default(), KeptTexts::default(), MemberShapes::default());
        let read = |store: &Store, revision: u64, unknown: bool| {
            let shapes = shapes_of.of(&project, store, revision, unknown);
            let body = listings.listing(project.id, &shapes, store, &texts, |s| item(store, s));
            assert_eq!(String::from_utf8(body.to_vec()).unwrap(), fresh(store, &shapes), "revision {revision}");
            body
        };
        // The first member never used, so marking it used lengthens its text
        // and moves every text after it.
        let first_member = shapes_of.of(&project, &store, 0, false)[0].account;
        store.accounts.get_mut(&first_member).unwrap().last_used = None;
        let first = read(&store, 0, false);
        let again = read(&store, 0, false);
        assert_eq!(first.as_ptr(), again.as_ptr(), "unchanged: the kept body itself");

        // Marked used (no new revision): the first, a middle and the last
        // member, from never to a time, from a time to another, to none.
        let members: Vec<u64> = shapes_of.of(&project, &store, 0, false).iter().map(|s| s.account).collect();
        assert!(members.len() > 10, "a listing of some size");
        for (n, id) in [members[0], members[members.len() / 2], members[members.len() - 1]].into_iter().enumerate() {
            let account = store.accounts.get_mut(&id).unwrap();
            account.last_used = match n {
                0 => Some(now + Duration::seconds(5)),
                1 => account.last_used.map(|t| t + Duration::hours(3)).or(Some(now)),
                _ => None,
            };
        }
        let patched = read(&store, 0, false);
        assert_ne!(first.as_ptr(), patched.as_ptr());
        // After a patch: the first member again, then one not patched yet,
        // whose text moved when the first one's grew.
        store.accounts.get_mut(&members[0]).unwrap().last_used = Some(now + Duration::seconds(9));
        read(&store, 0, false);
        store.accounts.get_mut(&members[members.len() - 2]).unwrap().last_used = Some(now + Duration::days(1));
        read(&store, 0, false);

        // A write (a new revision): a member removed, another renamed.
        store.members.entry(project.id).or_default().clear();
        store.accounts.get_mut(&members[1]).unwrap().username = "renamed.a1b2c3.mp-service-account".into();
        read(&store, 1, false);
        // The switch that lists custom roles.
        read(&store, 1, true);
        read(&store, 1, false);
    }
}
