//! The Review page's findings: pure functions over the account list and the
//! policy, computed once per list. Each finding names the fact that
//! triggered it ("expired 12 days ago").

use super::account::Account;
use super::account_name::given_name;
use super::policy::Policy;
use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Finding {
    Expired,
    ExpiringSoon,
    NeverUsed,
    Stale,
    NoExpiry,
    OverMaxLifetime,
    ElevatedOrgRole,
    NameOutsideRule,
}

impl Finding {
    pub const ALL: [Finding; 8] = [
        Finding::Expired,
        Finding::ExpiringSoon,
        Finding::NeverUsed,
        Finding::Stale,
        Finding::NoExpiry,
        Finding::OverMaxLifetime,
        Finding::ElevatedOrgRole,
        Finding::NameOutsideRule,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Finding::Expired => "Expired",
            Finding::ExpiringSoon => "Expiring soon",
            Finding::NeverUsed => "Never used",
            Finding::Stale => "Stale",
            Finding::NoExpiry => "No expiry",
            Finding::OverMaxLifetime => "Over the maximum lifetime",
            Finding::ElevatedOrgRole => "Elevated organization role",
            Finding::NameOutsideRule => "Name outside the naming rule",
        }
    }

    /// A stable id for the section (element ids, tests).
    pub fn key(self) -> &'static str {
        match self {
            Finding::Expired => "expired",
            Finding::ExpiringSoon => "expiring",
            Finding::NeverUsed => "never-used",
            Finding::Stale => "stale",
            Finding::NoExpiry => "no-expiry",
            Finding::OverMaxLifetime => "over-lifetime",
            Finding::ElevatedOrgRole => "elevated",
            Finding::NameOutsideRule => "name-rule",
        }
    }

    /// Why it matters and what fixes it.
    pub fn advice(self) -> &'static str {
        match self {
            Finding::Expired => "The API refuses these credentials already: delete the accounts.",
            Finding::ExpiringSoon => "Rotate them before integrations break.",
            Finding::NeverUsed => "Created but never authenticated: probably not needed. Delete them.",
            Finding::Stale => "Not used for a long time: confirm they are still needed, or delete them.",
            Finding::NoExpiry => "A leaked secret would work forever: rotate them with an expiry.",
            Finding::OverMaxLifetime => {
                "They live longer than your policy allows: rotate them with a compliant expiry."
            }
            Finding::ElevatedOrgRole => "Admins and owners can manage every account: rotate them with a lower role.",
            Finding::NameOutsideRule => "Names outside the rule hide what an account is for.",
        }
    }
}

/// How many accounts a section lists before summarising (10,000 would be a
/// page nobody reads; the fix still covers all of them).
pub const LISTED: usize = 50;

/// The rows a section's list of `flagged` accounts takes in its two columns.
pub fn listed_rows(flagged: usize) -> usize {
    flagged.min(LISTED).div_ceil(2)
}

/// One account a finding lists: its index in the list, and the fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flagged {
    pub index: usize,
    pub fact: Fact,
}

/// What put an account in a finding, kept as numbers and written out
/// (`Fact::text`) only for the accounts a section lists: a section shows 50
/// at most, and at 10,000 accounts the findings hold ~16,000 entries, whose
/// sentences were a sixth of the Review page's first paint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    ExpiredAgo {
        days: i64,
    },
    ExpiresIn {
        days: i64,
    },
    NeverExpires,
    CreatedNeverUsed {
        days: i64,
    },
    LastUsedAgo {
        days: i64,
    },
    NeverExpiresOverMax {
        max: i64,
    },
    LivesOverMax {
        days: i64,
        max: i64,
    },
    /// The role is the account's own `org_role`.
    ElevatedRole,
    /// The name is the account's, the pattern the policy's.
    NameOutsideRule,
}

impl Fact {
    /// The fact as its section lists it, for the `account` it was found on
    /// under `policy`: "expired 12 days ago".
    pub fn text(self, account: &Account, policy: &Policy) -> String {
        match self {
            Fact::ExpiredAgo { days } => format!("expired {} ago", plural(days)),
            Fact::ExpiresIn { days } => format!("expires in {}", plural(days)),
            Fact::NeverExpires => "never expires".into(),
            Fact::CreatedNeverUsed { days } => format!("created {} ago, never used", plural(days)),
            Fact::LastUsedAgo { days } => format!("last used {} ago", plural(days)),
            Fact::NeverExpiresOverMax { max } => format!("never expires; the policy allows {}", plural(max)),
            Fact::LivesOverMax { days, max } => format!("lives {}; the policy allows {}", plural(days), plural(max)),
            Fact::ElevatedRole => format!("organization role {}", account.org_role.as_deref().unwrap_or_default()),
            Fact::NameOutsideRule => {
                let pattern = policy.name_pattern.as_ref().map_or("", |(pattern, _)| pattern.as_str());
                format!("“{}” does not match {pattern}", given_name(&account.username))
            }
        }
    }
}

fn days(d: Duration) -> i64 {
    d.num_days()
}

fn plural(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// Every finding, in `Finding::ALL` order, with the accounts it lists.
pub fn findings(accounts: &[Account], policy: &Policy, now: DateTime<Utc>) -> Vec<(Finding, Vec<Flagged>)> {
    let mut out: Vec<(Finding, Vec<Flagged>)> = Finding::ALL.iter().map(|f| (*f, Vec::new())).collect();
    let mut push = |f: Finding, index: usize, fact: Fact| {
        if let Some(slot) = out.iter_mut().find(|(x, _)| *x == f) {
            slot.1.push(Flagged { index, fact });
        }
    };
    for (i, a) in accounts.iter().enumerate() {
        match a.expires {
            Some(at) if at <= now => push(Finding::Expired, i, Fact::ExpiredAgo { days: days(now - at) }),
            Some(at) if at <= now + Duration::days(policy.expiring_within_days) => {
                push(Finding::ExpiringSoon, i, Fact::ExpiresIn { days: days(at - now).max(0) })
            }
            Some(_) => {}
            None => push(Finding::NoExpiry, i, Fact::NeverExpires),
        }
        let live = a.expires.is_none_or(|at| at > now);
        match a.last_used {
            None => {
                if let Some(created) = a.created.filter(|c| *c <= now - Duration::days(policy.never_used_grace_days)) {
                    push(Finding::NeverUsed, i, Fact::CreatedNeverUsed { days: days(now - created) });
                }
            }
            Some(used) if live && used <= now - Duration::days(policy.stale_after_days) => {
                push(Finding::Stale, i, Fact::LastUsedAgo { days: days(now - used) })
            }
            Some(_) => {}
        }
        // An expired account's fix is deleting it: it is listed there only.
        if let Some(max) = policy.max_lifetime_days.filter(|_| live) {
            match (a.created, a.expires) {
                (_, None) => push(Finding::OverMaxLifetime, i, Fact::NeverExpiresOverMax { max }),
                (Some(c), Some(e)) if e - c > Duration::days(max) + Duration::minutes(1) => {
                    push(Finding::OverMaxLifetime, i, Fact::LivesOverMax { days: days(e - c), max })
                }
                _ => {}
            }
        }
        if a.org_role.as_deref().is_some_and(|r| policy.is_elevated(r)) {
            push(Finding::ElevatedOrgRole, i, Fact::ElevatedRole);
        }
        if policy.name_pattern.is_some() && policy.check_name(given_name(&a.username)).is_some() {
            push(Finding::NameOutsideRule, i, Fact::NameOutsideRule);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::PolicyConfig;

    fn now() -> DateTime<Utc> {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    fn account(
        id: u64,
        name: &str,
        created_days_ago: i64,
        used_days_ago: Option<i64>,
        expires_in: Option<i64>,
        role: &str,
    ) -> Account {
        Account {
            id,
            username: format!("{name}.0a1b2c.mp-service-account"),
            created: Some(now() - Duration::days(created_days_ago)),
            last_used: used_days_ago.map(|d| now() - Duration::days(d)),
            expires: expires_in.map(|d| now() + Duration::days(d)),
            org_role: Some(role.into()),
            ..Account::default()
        }
    }

    /// A finding's accounts with their facts written out, for `accounts` under `policy`.
    fn written(
        found: &[(Finding, Vec<Flagged>)],
        f: Finding,
        accounts: &[Account],
        policy: &Policy,
    ) -> Vec<(usize, String)> {
        let flagged = &found.iter().find(|(x, _)| *x == f).unwrap().1;
        flagged.iter().map(|x| (x.index, x.fact.text(&accounts[x.index], policy))).collect()
    }

    #[test]
    fn each_finding_lists_its_accounts_with_the_fact() {
        let accounts = vec![
            account(1, "old", 400, Some(1), Some(-12), "consumer"),
            account(2, "soon", 30, Some(1), Some(5), "analyst"),
            account(3, "idle", 30, None, Some(60), "consumer"),
            account(4, "fresh", 2, None, Some(60), "consumer"),
            account(5, "stale", 300, Some(120), None, "admin"),
            account(6, "Bad_Name", 10, Some(1), Some(700), "Data Steward"),
        ];
        let policy = serde_json::from_str::<PolicyConfig>(
            r#"{"max_lifetime_days": 365, "allowed_org_roles": ["consumer", "analyst"], "name_pattern": "^[a-z][a-z0-9-]{2,40}$"}"#,
        )
        .unwrap()
        .check()
        .unwrap();
        let found = findings(&accounts, &policy, now());
        let listed = |f: Finding| written(&found, f, &accounts, &policy);
        assert_eq!(found.len(), 8, "every section, even empty ones");
        assert_eq!(listed(Finding::Expired), [(0, "expired 12 days ago".to_string())]);
        assert_eq!(listed(Finding::ExpiringSoon), [(1, "expires in 5 days".to_string())]);
        assert_eq!(
            listed(Finding::NeverUsed),
            [(2, "created 30 days ago, never used".to_string())],
            "the grace period spares #4"
        );
        assert_eq!(listed(Finding::Stale), [(4, "last used 120 days ago".to_string())]);
        assert_eq!(listed(Finding::NoExpiry), [(4, "never expires".to_string())]);
        assert_eq!(
            listed(Finding::OverMaxLifetime),
            [
                (4, "never expires; the policy allows 365 days".to_string()),
                (5, "lives 710 days; the policy allows 365 days".to_string())
            ]
        );
        let elevated: Vec<(usize, String)> = listed(Finding::ElevatedOrgRole);
        assert_eq!(
            elevated,
            [(4, "organization role admin".to_string()), (5, "organization role Data Steward".to_string())]
        );
        assert_eq!(
            listed(Finding::NameOutsideRule),
            [(5, "“Bad_Name” does not match ^[a-z][a-z0-9-]{2,40}$".to_string())]
        );
    }

    #[test]
    fn a_section_lists_at_most_fifty_in_two_columns() {
        assert_eq!([0, 1, 2, 3, 50, 51, 10_000].map(listed_rows), [0, 1, 1, 2, 25, 25, 25]);
    }

    #[test]
    fn without_a_policy_only_the_status_findings_and_admins_show() {
        let accounts = vec![account(1, "x", 10, Some(1), None, "owner")];
        let found = findings(&accounts, &Policy::none(), now());
        let listed = |f: Finding| written(&found, f, &accounts, &Policy::none());
        assert_eq!(listed(Finding::NoExpiry).len(), 1);
        assert!(listed(Finding::OverMaxLifetime).is_empty());
        assert_eq!(listed(Finding::ElevatedOrgRole).len(), 1, "owner is elevated under any policy");
        assert!(listed(Finding::NameOutsideRule).is_empty());
    }
}
