//! Deterministic demo data: the same seed, sizes and start time give the same
//! store. Times are relative to `now`, so the status mix holds whenever it runs.

use crate::model::{Account, Organization, Project, Role, Store};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// A credential the sandbox always creates, so the demo and tests can sign in.
#[derive(Clone, Copy, Debug)]
pub struct KnownCredential {
    pub username: &'static str,
    pub secret: &'static str,
    pub role: Role,
}

pub const DEMO_ADMIN: KnownCredential = KnownCredential {
    username: "demo-admin.0000ad.mp-service-account",
    secret: "demo-admin-secret",
    role: Role::Admin,
};
pub const DEMO_OWNER: KnownCredential = KnownCredential {
    username: "demo-owner.00000f.mp-service-account",
    secret: "demo-owner-secret",
    role: Role::Owner,
};
pub const DEMO_ANALYST: KnownCredential = KnownCredential {
    username: "demo-analyst.0000a1.mp-service-account",
    secret: "demo-analyst-secret",
    role: Role::Analyst,
};

pub const MAIN_ORG: u64 = 1;
pub const SECOND_ORG: u64 = 2;
pub const NO_ROLE_ORG: u64 = 3;

#[derive(Clone, Debug)]
pub struct SeedOptions {
    pub seed: u64,
    /// Service accounts in the main organisation, besides the known credentials.
    pub accounts: usize,
    /// Projects in the main organisation.
    pub projects: usize,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions { seed: 7, accounts: 500, projects: 12 }
    }
}

const PURPOSES: &[&str] = &[
    "etl",
    "billing-sync",
    "warehouse-export",
    "ios-ci",
    "android-ci",
    "dbt",
    "airflow",
    "segment-bridge",
    "crm-import",
    "alerts",
    "looker",
    "backfill",
    "growth-bot",
    "qa",
    "marketing-sync",
    "lambda",
    "cohort-export",
    "schema-check",
    "support-tools",
    "ml-features",
];
const PROJECT_NAMES: &[&str] = &[
    "Web App",
    "iOS",
    "Android",
    "Data Warehouse",
    "Marketing Site",
    "Checkout",
    "Search",
    "Growth Experiments",
    "Support Portal",
    "Partner API",
    "Internal Tools",
    "Payments",
];
const DOMAINS: &[&str] = &["mixpanel.com", "", "eu.mixpanel.com", "mixpanel.com", "in.mixpanel.com"];
const TIMEZONES: &[&str] = &["US/Pacific", "UTC", "Europe/Berlin", "Asia/Kolkata"];
const CREATORS: &[(u64, &str, &str)] = &[
    (9001, "ana@acme.example", "Ana Lima"),
    (9002, "ben@acme.example", "Ben Okafor"),
    (9003, "chen@acme.example", "Chen Wei"),
];

pub fn demo_store(options: &SeedOptions, now: DateTime<Utc>) -> Store {
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut store = Store::default();
    (store.next_account_id, store.next_user_id) = (1000, 50_000);
    for (id, name) in [(MAIN_ORG, "Acme Corp"), (SECOND_ORG, "Acme Labs"), (NO_ROLE_ORG, "Partner Co")] {
        store.organizations.insert(id, Organization { id, name: name.into() });
    }

    let main_projects = add_projects(&mut store, &mut rng, MAIN_ORG, 100, options.projects);
    add_projects(&mut store, &mut rng, SECOND_ORG, 5000, 3);
    add_projects(&mut store, &mut rng, NO_ROLE_ORG, 6000, 1);

    for known in [DEMO_ADMIN, DEMO_OWNER, DEMO_ANALYST] {
        let id = add_known(&mut store, known, now);
        if known.username == DEMO_ADMIN.username {
            let other = &mut store.accounts.get_mut(&id).expect("just added").other_orgs;
            other.insert(SECOND_ORG, Some(Role::Admin));
            other.insert(NO_ROLE_ORG, None);
        }
    }
    if let Some(first) = main_projects.first() {
        // The analyst can read one project, so its 403s are about rights, not visibility.
        let analyst = store.find_by_username(DEMO_ANALYST.username).map(|a| a.id);
        if let Some(analyst) = analyst {
            store.members.entry(*first).or_default().insert(analyst, Role::Analyst);
        }
    }

    for index in 0..options.accounts {
        let account = random_account(&mut store, &mut rng, MAIN_ORG, index, now);
        grant_random_projects(&mut store, &mut rng, account, &main_projects);
    }
    let second: Vec<u64> = store.projects.values().filter(|p| p.organization_id == SECOND_ORG).map(|p| p.id).collect();
    for index in 0..8 {
        let account = random_account(&mut store, &mut rng, SECOND_ORG, index, now);
        grant_random_projects(&mut store, &mut rng, account, &second);
    }
    store
}

fn add_projects(store: &mut Store, rng: &mut fastrand::Rng, org: u64, first_id: u64, count: usize) -> Vec<u64> {
    (0..count)
        .map(|i| {
            let id = first_id + i as u64;
            let base = PROJECT_NAMES[i % PROJECT_NAMES.len()];
            let name = match i / PROJECT_NAMES.len() {
                0 => base.to_string(),
                n => format!("{base} {}", n + 1),
            };
            let project = Project {
                id,
                name,
                organization_id: org,
                domain: DOMAINS[rng.usize(..DOMAINS.len())].into(),
                timezone: TIMEZONES[rng.usize(..TIMEZONES.len())].into(),
            };
            store.projects.insert(id, project);
            id
        })
        .collect()
}

fn add_known(store: &mut Store, known: KnownCredential, now: DateTime<Utc>) -> u64 {
    let id = store.next_account_id;
    store.next_account_id += 1;
    store.next_user_id += 1;
    store.accounts.insert(
        id,
        Account {
            id,
            organization_id: MAIN_ORG,
            username: known.username.into(),
            secret: known.secret.into(),
            role: known.role,
            created: now - Duration::days(30),
            creator: Some(CREATORS[0].0),
            creator_email: Some(CREATORS[0].1.into()),
            creator_name: Some(CREATORS[0].2.into()),
            last_used: None,
            expires: None,
            user: store.next_user_id,
            other_orgs: BTreeMap::new(),
        },
    );
    id
}

pub fn hex6(rng: &mut fastrand::Rng) -> String {
    format!("{:06x}", rng.u32(..0x0100_0000))
}

pub fn random_secret(rng: &mut fastrand::Rng) -> String {
    (0..32).map(|_| rng.alphanumeric()).collect()
}

fn random_account(store: &mut Store, rng: &mut fastrand::Rng, org: u64, index: usize, now: DateTime<Utc>) -> u64 {
    let purpose = PURPOSES[rng.usize(..PURPOSES.len())];
    let username = format!("{purpose}-{index}.{}.mp-service-account", hex6(rng));
    let hours = |days: i64| Duration::hours(days * 24);
    // The mix the console's status rules are exercised on.
    let (last_used, expires) = match rng.u32(..100) {
        0..=7 => (Some(now - hours(rng.i64(100..300))), Some(now - hours(rng.i64(1..200)))),
        8..=15 => (Some(now - hours(rng.i64(0..30))), Some(now + Duration::hours(rng.i64(1..14 * 24)))),
        16..=27 => (None, maybe_future_expiry(rng, now)),
        28..=42 => (Some(now - hours(rng.i64(90..400))), maybe_future_expiry(rng, now)),
        _ => (Some(now - Duration::minutes(rng.i64(1..89 * 24 * 60))), maybe_future_expiry(rng, now)),
    };
    let age_days = last_used.map_or(0, |t| (now - t).num_days()) + rng.i64(1..400);
    let creator = CREATORS[rng.usize(..CREATORS.len())];
    let with_creator_details = rng.bool();
    // Least privilege is the norm: about 1 in 30 service accounts holds an
    // organisation-wide admin or owner role (and so appears in every
    // project's member listing).
    let role = match rng.u32(..1000) {
        0..=639 => Role::Consumer,
        640..=966 => Role::Analyst,
        967..=994 => Role::Admin,
        _ => Role::Owner,
    };
    let id = store.next_account_id;
    store.next_account_id += 1;
    store.next_user_id += 1;
    store.accounts.insert(
        id,
        Account {
            id,
            organization_id: org,
            username,
            secret: random_secret(rng),
            role,
            created: now - Duration::hours(age_days * 24 + rng.i64(0..24)),
            creator: Some(creator.0),
            creator_email: with_creator_details.then(|| creator.1.into()),
            creator_name: with_creator_details.then(|| creator.2.into()),
            last_used,
            expires,
            user: store.next_user_id,
            other_orgs: BTreeMap::new(),
        },
    );
    id
}

fn maybe_future_expiry(rng: &mut fastrand::Rng, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    rng.bool().then(|| now + Duration::days(rng.i64(15..400)))
}

fn grant_random_projects(store: &mut Store, rng: &mut fastrand::Rng, account: u64, projects: &[u64]) {
    if projects.is_empty() {
        return;
    }
    for _ in 0..rng.usize(0..=4.min(projects.len())) {
        let project = projects[rng.usize(..projects.len())];
        let role = match rng.u32(..100) {
            0..=54 => Role::Consumer,
            55..=89 => Role::Analyst,
            _ => Role::Admin,
        };
        store.members.entry(project).or_default().insert(account, role);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn same_seed_gives_same_store() {
        let options = SeedOptions { accounts: 200, ..SeedOptions::default() };
        let a = serde_json::to_string(&demo_store(&options, now())).unwrap();
        let b = serde_json::to_string(&demo_store(&options, now())).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn sizes_follow_options() {
        let options = SeedOptions { seed: 1, accounts: 10_000, projects: 200 };
        let store = demo_store(&options, now());
        assert_eq!(store.org_accounts(MAIN_ORG).count(), 10_000 + 3);
        assert_eq!(store.projects.values().filter(|p| p.organization_id == MAIN_ORG).count(), 200);
        let main: Vec<_> = store.projects.values().filter(|p| p.organization_id == MAIN_ORG).collect();
        let names: std::collections::HashSet<_> = main.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), main.len(), "project names are unique within the organisation");
    }

    #[test]
    fn mix_covers_every_status() {
        let store = demo_store(&SeedOptions::default(), now());
        let accounts: Vec<_> = store.org_accounts(MAIN_ORG).collect();
        let n = now();
        assert!(accounts.iter().any(|a| a.expires.is_some_and(|e| e < n)), "expired");
        assert!(accounts.iter().any(|a| a.expires.is_some_and(|e| e > n && e - n < Duration::days(14))), "expiring");
        assert!(accounts.iter().any(|a| a.last_used.is_none()), "never used");
        assert!(accounts.iter().any(|a| a.last_used.is_some_and(|t| n - t >= Duration::days(90))), "stale");
        assert!(accounts.iter().any(|a| a.expires.is_none()), "never expires");
        assert!(accounts.iter().all(|a| a.username.ends_with(".mp-service-account")));
    }
}
