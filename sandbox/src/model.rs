//! The sandbox's data: organisations, projects, service accounts and project
//! memberships, with the role order the permission checks rely on.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Mixpanel roles, declared from least to most privilege so `Ord` is privilege.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Consumer,
    Analyst,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Analyst, Role::Consumer];

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "owner" => Some(Role::Owner),
            "admin" => Some(Role::Admin),
            "analyst" => Some(Role::Analyst),
            "consumer" => Some(Role::Consumer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Consumer => "consumer",
        }
    }

    /// The capitalised name `/me` uses inside a project's `role` object.
    pub fn title(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Analyst => "Analyst",
            Role::Consumer => "Consumer",
        }
    }

    /// The numeric id `/me` pairs with the title (as Mixpanel's role objects do).
    pub fn id(self) -> u32 {
        match self {
            Role::Owner => 1,
            Role::Admin => 2,
            Role::Analyst => 3,
            Role::Consumer => 4,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Organization {
    pub id: u64,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Project {
    pub id: u64,
    pub name: String,
    pub organization_id: u64,
    /// `mixpanel.com`, `eu.mixpanel.com`, `in.mixpanel.com` or empty (= US).
    pub domain: String,
    pub timezone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: u64,
    pub organization_id: u64,
    pub username: String,
    pub secret: String,
    pub role: Role,
    pub created: DateTime<Utc>,
    pub creator: Option<u64>,
    pub creator_email: Option<String>,
    pub creator_name: Option<String>,
    pub last_used: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub user: u64,
    /// Roles in organisations other than the home one (`None` = listed with "no role").
    #[serde(default)]
    pub other_orgs: BTreeMap<u64, Option<Role>>,
}

impl Account {
    /// The account's role in an organisation, if it has one there.
    pub fn org_role(&self, org_id: u64) -> Option<Role> {
        if org_id == self.organization_id {
            Some(self.role)
        } else {
            self.other_orgs.get(&org_id).copied().flatten()
        }
    }

    /// Every organisation the account can see, with its role there.
    pub fn organizations(&self) -> Vec<(u64, Option<Role>)> {
        let mut all = vec![(self.organization_id, Some(self.role))];
        all.extend(self.other_orgs.iter().map(|(id, role)| (*id, *role)));
        all
    }

    pub fn email(&self) -> String {
        format!("{}@mixpanel.org", self.username)
    }
}

/// The whole sandbox state; serialisable so it can be persisted to a JSON file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Store {
    pub organizations: BTreeMap<u64, Organization>,
    pub projects: BTreeMap<u64, Project>,
    pub accounts: BTreeMap<u64, Account>,
    /// project id -> account id -> role in that project.
    pub members: BTreeMap<u64, BTreeMap<u64, Role>>,
    pub next_account_id: u64,
    pub next_user_id: u64,
    /// username -> account id, a hint for `account_id_by_username`. Every API
    /// request authenticates by username, and scanning 10,000 accounts took
    /// half of a listing's server time: CPU the benchmarks' browser shares on
    /// the same machine, where real Mixpanel's servers are elsewhere. Checked
    /// against the account on every use and filled on a miss, so the places
    /// that add or remove accounts need not keep it.
    #[serde(skip)]
    username_index: HashMap<String, u64>,
}

/// Access through a team (the generated spec's `target_type: "team"`): the
/// sandbox has no team model, so about one pair in 61 of accounts and
/// projects without a direct membership gets team access, deterministically
/// (rare enough that a 10,000-account organisation's listings stay the size
/// of real ones: one in 13 added ~770 members to every listing).
pub fn team_role(account: u64, project: u64) -> Option<Role> {
    let mix = account.wrapping_mul(31).wrapping_add(project.wrapping_mul(17));
    mix.is_multiple_of(61).then_some(if mix.is_multiple_of(2) { Role::Consumer } else { Role::Analyst })
}

/// Which direct memberships show a custom (Enterprise) role name when the
/// `unknown_roles` switch is on: about one in five.
pub fn has_custom_role(account: u64, project: u64) -> bool {
    (account + project).is_multiple_of(5)
}

impl Store {
    pub fn find_by_username(&self, username: &str) -> Option<&Account> {
        self.accounts.values().find(|a| a.username == username)
    }

    /// The same as `find_by_username`, through the index when it is right;
    /// a name not in it (or no longer right) costs the scan once, and an
    /// unknown name the scan every time, as before the index.
    pub fn account_id_by_username(&mut self, username: &str) -> Option<u64> {
        let id = self.account_by_username(username)?.id;
        self.note_username(id);
        Some(id)
    }

    /// As `account_id_by_username`, without noting a miss in the index.
    pub fn account_by_username(&self, username: &str) -> Option<&Account> {
        let hinted = self.username_index.get(username).and_then(|id| self.accounts.get(id));
        hinted.filter(|a| a.username == username).or_else(|| self.find_by_username(username))
    }

    /// Notes an account's username in the index, if it is not there yet.
    pub fn note_username(&mut self, id: u64) {
        let Some(account) = self.accounts.get(&id) else { return };
        if self.username_index.get(&account.username) != Some(&id) {
            self.username_index.insert(account.username.clone(), id);
        }
    }

    /// Effective role in a project: the higher of the organisation role and
    /// the direct project membership (org admins administer every project).
    pub fn project_role(&self, account: &Account, project: &Project) -> Option<Role> {
        let direct = self.members.get(&project.id).and_then(|m| m.get(&account.id)).copied();
        let via_org = account.org_role(project.organization_id).filter(|r| *r >= Role::Admin);
        direct.max(via_org)
    }

    pub fn org_accounts(&self, org_id: u64) -> impl Iterator<Item = &Account> {
        self.accounts.values().filter(move |a| a.organization_id == org_id)
    }

    pub fn remove_account(&mut self, id: u64) -> Option<Account> {
        for members in self.members.values_mut() {
            members.remove(&id);
        }
        self.accounts.remove(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: u64, username: &str) -> Account {
        Account {
            id,
            organization_id: 1,
            username: username.into(),
            secret: "s".into(),
            role: Role::Consumer,
            created: Utc::now(),
            creator: None,
            creator_email: None,
            creator_name: None,
            last_used: None,
            expires: None,
            user: id,
            other_orgs: BTreeMap::new(),
        }
    }

    #[test]
    fn the_username_index_follows_accounts_added_and_removed_without_upkeep() {
        let mut store = Store::default();
        store.accounts.insert(1, account(1, "a"));
        assert_eq!(store.account_id_by_username("a"), Some(1));
        store.accounts.insert(2, account(2, "b"));
        assert_eq!(store.account_id_by_username("b"), Some(2), "added after the index was built");
        store.remove_account(1);
        assert_eq!(store.account_id_by_username("a"), None, "removed after the index was built");
        store.accounts.insert(3, account(3, "a"));
        assert_eq!(store.account_id_by_username("a"), Some(3), "a name taken again by another account");
        assert_eq!(store.account_id_by_username("nobody"), None);
    }
}
