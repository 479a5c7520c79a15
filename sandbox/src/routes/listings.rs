//! Everything the sandbox keeps to answer listings fast (see `kept`,
//! `member_shapes`, `kept_listings` and `used_marks` for why), behind the two
//! listings that use it: a project's members and an organisation's accounts.

use super::kept::KeptTexts;
use super::kept_listings::KeptListings;
use super::member_shapes::{MemberShapes, Shape};
use super::per_revision::PerRevision;
use super::used_marks::UsedMarks;
use super::wire::MemberItem;
use crate::model::{Project, Store};
use axum::body::Bytes;

#[derive(Default)]
pub struct Listings {
    texts: KeptTexts,
    shapes: MemberShapes,
    /// Each organisation's account ids, in id order.
    org_accounts: PerRevision<u64, u64>,
    members: KeptListings<Shape>,
    accounts: KeptListings<u64>,
    marks: UsedMarks,
}

impl Listings {
    /// `project`'s members as `GET /projects/{id}/service-accounts` lists
    /// them. `store` and `revision` are read under one read guard.
    pub fn members(&self, project: &Project, store: &Store, revision: u64, unknown_roles: bool) -> Bytes {
        let shapes = self.shapes.of(project, store, revision, unknown_roles);
        let member = |shape: &Shape| {
            let item = MemberItem::new(store.accounts.get(&shape.account)?, shape.role, shape.target_type);
            Some(if shape.custom_role { item.with_role_name(crate::switches::CUSTOM_ROLE) } else { item })
        };
        self.members.listing(
            project.id,
            &shapes,
            store,
            &self.marks,
            |shapes| self.texts.members_listing_spans(&shapes.iter().filter_map(member).collect::<Vec<_>>()),
            |out, shape| {
                if let Some(member) = member(shape) {
                    self.texts.write_one_member(out, &member);
                }
            },
        )
    }

    /// Organisation `org`'s accounts as `GET /organizations/{id}/service-accounts`
    /// lists them. `store` and `revision` are read under one read guard.
    pub fn accounts(&self, org: u64, store: &Store, revision: u64) -> Bytes {
        let ids = self.org_accounts.of(org, revision, || store.org_accounts(org).map(|a| a.id).collect());
        self.accounts.listing(
            org,
            &ids,
            store,
            &self.marks,
            |ids| self.texts.accounts_listing_spans(ids.iter().filter_map(|id| store.accounts.get(id))),
            |out, id| {
                if let Some(account) = store.accounts.get(id) {
                    self.texts.write_one_account(out, account);
                }
            },
        )
    }

    /// Notes that `account` was marked used without a new revision. Call it
    /// with the store held for writing (see `used_marks`).
    pub fn note_used(&self, account: u64) {
        self.marks.note(account);
    }

    /// Drops a deleted account's kept texts.
    pub fn forget(&self, account: u64) {
        self.texts.forget(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::wire::{AccountItem, Listing};
    use crate::seed::{demo_store, SeedOptions, MAIN_ORG};
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn store(now: DateTime<Utc>) -> Store {
        demo_store(&SeedOptions { seed: 3, accounts: 80, projects: 2 }, now)
    }

    fn project(store: &Store) -> Project {
        store.projects.values().find(|p| p.organization_id == MAIN_ORG).unwrap().clone()
    }

    /// A project's listing serialised afresh, as the API writes it.
    fn fresh_members(store: &Store, project: &Project, unknown_roles: bool) -> String {
        let shapes = MemberShapes::default().of(project, store, 0, unknown_roles);
        let items: Vec<MemberItem> = shapes
            .iter()
            .filter_map(|s| {
                let item = MemberItem::new(store.accounts.get(&s.account)?, s.role, s.target_type);
                Some(if s.custom_role { item.with_role_name(crate::switches::CUSTOM_ROLE) } else { item })
            })
            .collect();
        String::from_utf8(serde_json::to_vec(&Listing::ok(items)).unwrap()).unwrap()
    }

    /// The organisation's account list serialised afresh.
    fn fresh_accounts(store: &Store) -> String {
        let items = store.org_accounts(MAIN_ORG).map(AccountItem::listed).collect();
        String::from_utf8(serde_json::to_vec(&Listing::ok(items)).unwrap()).unwrap()
    }

    /// Both listings, each checked against serialising afresh; the project's.
    fn read(listings: &Listings, store: &Store, revision: u64, unknown_roles: bool) -> Bytes {
        let project = project(store);
        let body = listings.members(&project, store, revision, unknown_roles);
        let text = |b: &Bytes| String::from_utf8(b.to_vec()).unwrap();
        assert_eq!(text(&body), fresh_members(store, &project, unknown_roles), "members, revision {revision}");
        let accounts = listings.accounts(MAIN_ORG, store, revision);
        assert_eq!(text(&accounts), fresh_accounts(store), "accounts, revision {revision}");
        body
    }

    /// Marks `account` used at `at` as `state::authenticate_reader` does.
    fn mark(listings: &Listings, store: &mut Store, account: u64, at: Option<DateTime<Utc>>) {
        store.accounts.get_mut(&account).unwrap().last_used = at;
        listings.note_used(account);
    }

    #[test]
    fn kept_listings_are_what_serialising_writes_through_marks_of_use_and_writes() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let mut store = store(now);
        let listings = Listings::default();
        // The first member never used, so marking it used lengthens its text
        // and moves every text after it.
        let members: Vec<u64> =
            MemberShapes::default().of(&project(&store), &store, 0, false).iter().map(|s| s.account).collect();
        assert!(members.len() > 10, "a listing of some size");
        store.accounts.get_mut(&members[0]).unwrap().last_used = None;
        let first = read(&listings, &store, 0, false);
        let again = read(&listings, &store, 0, false);
        assert_eq!(first.as_ptr(), again.as_ptr(), "unchanged: the kept body itself");

        // Marked used (no new revision): the first, a middle and the last
        // member, from never to a time, from a time to another, to none.
        let middle = members[members.len() / 2];
        let later = store.accounts[&middle].last_used.map(|t| t + Duration::hours(3)).or(Some(now));
        mark(&listings, &mut store, members[0], Some(now + Duration::seconds(5)));
        mark(&listings, &mut store, middle, later);
        mark(&listings, &mut store, members[members.len() - 1], None);
        let patched = read(&listings, &store, 0, false);
        assert_ne!(first.as_ptr(), patched.as_ptr());
        // After a patch: the first member again, then one not patched yet,
        // whose text moved when the first one's grew; then an account of
        // the organisation that is no member.
        mark(&listings, &mut store, members[0], Some(now + Duration::seconds(9)));
        read(&listings, &store, 0, false);
        mark(&listings, &mut store, members[members.len() - 2], Some(now + Duration::days(1)));
        read(&listings, &store, 0, false);
        let outsider = store.org_accounts(MAIN_ORG).map(|a| a.id).find(|id| !members.contains(id)).unwrap();
        mark(&listings, &mut store, outsider, Some(now + Duration::days(2)));
        let unchanged = read(&listings, &store, 0, false);
        assert_eq!(unchanged.as_ptr(), read(&listings, &store, 0, false).as_ptr());

        // A write (a new revision): a member removed, another renamed.
        let project = project(&store);
        store.members.entry(project.id).or_default().clear();
        store.accounts.get_mut(&members[1]).unwrap().username = "renamed.a1b2c3.mp-service-account".into();
        read(&listings, &store, 1, false);
        // The switch that lists custom roles.
        read(&listings, &store, 1, true);
        read(&listings, &store, 1, false);
    }

    #[test]
    fn listings_checked_before_the_oldest_mark_kept_are_checked_item_by_item() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let mut store = store(now);
        let listings = Listings::default();
        read(&listings, &store, 0, false);
        let member = MemberShapes::default().of(&project(&store), &store, 0, false)[0].account;
        mark(&listings, &mut store, member, Some(now + Duration::seconds(1)));
        // Enough marks of an account in no listing to push that one out.
        for _ in 0..5000 {
            listings.note_used(u64::MAX);
        }
        read(&listings, &store, 0, false);
    }
}
