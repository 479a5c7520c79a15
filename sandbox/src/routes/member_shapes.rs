//! Who a project lists, and with which role and access, worked out once per
//! revision of the store instead of on every listing.
//!
//! Why: working it out walks every account of the organisation (10,003 in
//! the benchmarks) for ~550 members, about half of a listing's CPU once the
//! members' text is kept (`kept`). With twelve listings answered at once on
//! a 2-core machine, that CPU is time each listing waits (see `kept`).
//!
//! What is kept depends only on the store (under its revision, which every
//! write moves on; marking an account used does not, as it changes no one's
//! membership) and on the `unknown_roles` switch, which is part of the key.

use super::per_revision::PerRevision;
use crate::model::{has_custom_role, team_role, Project, Role, Store};
use std::sync::Arc;

/// One member of a project's listing, by account id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub account: u64,
    pub role: Role,
    /// Listed under a custom (Enterprise) role's name (`unknown_roles`).
    pub custom_role: bool,
    pub target_type: &'static str,
}

/// Each project's shapes, keyed with the `unknown_roles` switch.
#[derive(Default)]
pub struct MemberShapes(PerRevision<(u64, bool), Shape>);

impl MemberShapes {
    /// The project's members in account-id order, as of `revision` (the
    /// store's, read under the same read guard as `store`).
    pub fn of(&self, project: &Project, store: &Store, revision: u64, unknown_roles: bool) -> Arc<[Shape]> {
        self.0.of((project.id, unknown_roles), revision, || work_out(project, store, unknown_roles))
    }
}

/// Walks the organisation's accounts beside the project's direct
/// memberships, both in account-id order (not a map search per account).
fn work_out(project: &Project, store: &Store, unknown_roles: bool) -> Vec<Shape> {
    let mut direct = store.members.get(&project.id).into_iter().flatten().peekable();
    let mut shapes = Vec::new();
    for account in store.org_accounts(project.organization_id) {
        while direct.next_if(|(id, _)| **id < account.id).is_some() {}
        // A direct membership wins; then access through a team; otherwise org
        // admins and owners reach every project through the organisation.
        let (role, target_type) = match direct.next_if(|(id, _)| **id == account.id) {
            Some((_, role)) => (*role, "individual"),
            None if account.role >= Role::Admin => (account.role, "organization"),
            None => match team_role(account.id, project.id) {
                Some(role) => (role, "team"),
                None => continue,
            },
        };
        let custom_role = unknown_roles && target_type == "individual" && has_custom_role(account.id, project.id);
        shapes.push(Shape { account: account.id, role, custom_role, target_type });
    }
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{demo_store, SeedOptions};
    use chrono::Utc;

    fn store() -> Store {
        demo_store(&SeedOptions { seed: 7, accounts: 300, projects: 4 }, Utc::now())
    }

    #[test]
    fn kept_shapes_last_while_the_revision_and_switch_do() {
        let mut store = store();
        let project = store.projects.values().next().unwrap().clone();
        let shapes = MemberShapes::default();
        let first = shapes.of(&project, &store, 1, false);
        assert_eq!(&first[..], &work_out(&project, &store, false)[..]);
        assert!(!first.is_empty());

        // A change under the same revision is not seen (the store's writers
        // move it on); under the next one it is.
        let dropped = first[0].account;
        store.remove_account(dropped);
        assert_eq!(shapes.of(&project, &store, 1, false)[0].account, dropped);
        let second = shapes.of(&project, &store, 2, false);
        assert_ne!(second[0].account, dropped);
        assert_eq!(&second[..], &work_out(&project, &store, false)[..]);

        // The switch is part of the key.
        assert_eq!(&shapes.of(&project, &store, 2, true)[..], &work_out(&project, &store, true)[..]);
    }
}
