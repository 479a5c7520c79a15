//! Access snapshots: every account and every direct membership of one
//! organisation at one moment, in a JSON file with a SHA-256 of its content,
//! and the comparison of a snapshot with the present (what an audit asks).

use super::account::Account;
use super::csv_export::defuse;
use super::csv_text::push_record;
use super::role::Role;
use super::sorting::{filled, sort_stable_by, sort_stable_by_key};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const FORMAT: &str = "mixpanel-service-accounts-snapshot/1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotAccount {
    pub id: u64,
    pub username: String,
    pub org_role: Option<String>,
    pub created: Option<String>,
    pub expires: Option<String>,
    pub last_used: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMembership {
    pub account: u64,
    pub project: u64,
    pub project_name: String,
    pub role: String,
    /// `individual` (direct) only: access through a team or the organisation
    /// comes from elsewhere and is not the account's own.
    pub access: String,
}

/// What the hash covers: everything but the hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotContent {
    pub format: String,
    pub taken_at: String,
    pub organization_id: u64,
    pub organization_name: String,
    pub accounts: Vec<SnapshotAccount>,
    pub memberships: Vec<SnapshotMembership>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub content: SnapshotContent,
    pub sha256: String,
}

fn time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn digest(content: &SnapshotContent) -> String {
    let bytes = serde_json::to_vec(content).expect("a snapshot always serialises");
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A snapshot of `accounts` and their direct `memberships`
/// (account, project, project name, role).
pub fn take(
    org: u64,
    org_name: &str,
    accounts: &[Account],
    memberships: Vec<(u64, u64, String, String)>,
    now: DateTime<Utc>,
) -> Snapshot {
    let mut accounts: Vec<SnapshotAccount> = accounts
        .iter()
        .map(|a| SnapshotAccount {
            id: a.id,
            username: a.username.clone(),
            org_role: a.org_role.clone(),
            created: time(a.created),
            expires: time(a.expires),
            last_used: time(a.last_used),
        })
        .collect();
    sort_stable_by_key(&mut accounts, |a| a.id);
    let mut memberships: Vec<SnapshotMembership> = memberships
        .into_iter()
        .map(|(account, project, project_name, role)| SnapshotMembership {
            account,
            project,
            project_name,
            role,
            access: "individual".into(),
        })
        .collect();
    sort_stable_by_key(&mut memberships, |m| (m.account, m.project));
    let content = SnapshotContent {
        format: FORMAT.into(),
        taken_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        organization_id: org,
        organization_name: org_name.into(),
        accounts,
        memberships,
    };
    let sha256 = digest(&content);
    Snapshot { content, sha256 }
}

pub fn to_json(snapshot: &Snapshot) -> String {
    serde_json::to_string_pretty(snapshot).expect("a snapshot always serialises")
}

/// Reads a snapshot file for organisation `org`: refused when it is not a
/// snapshot, was changed after it was taken, or is another organisation's.
pub fn read(text: &str, org: u64) -> Result<Snapshot, String> {
    let snapshot: Snapshot = serde_json::from_str(text)
        .map_err(|e| format!("This file is not a service-account snapshot ({e}). Nothing was compared."))?;
    if snapshot.content.format != FORMAT {
        return Err(format!("This file is a \"{}\", not a {FORMAT}. Nothing was compared.", snapshot.content.format));
    }
    if digest(&snapshot.content) != snapshot.sha256 {
        return Err("This snapshot was changed after it was taken (its SHA-256 does not match its content). Nothing was compared.".into());
    }
    if snapshot.content.organization_id != org {
        return Err(format!(
            "This snapshot is of organization {} ({}), not of the one in view ({org}). Nothing was compared.",
            snapshot.content.organization_name, snapshot.content.organization_id
        ));
    }
    Ok(snapshot)
}

/// One line of the comparison's "Changed access".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessChange {
    pub username: String,
    pub what: String,
    /// Privilege went up (a grant, a raised role): listed first.
    pub raised: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<AccessChange>,
}

fn rank(role: &str) -> i32 {
    Role::parse(role).map_or(0, |r| r as i32 + 1)
}

/// The present (`now`) against a snapshot (`then`): accounts added and
/// removed, grants added or removed, project and organisation roles raised
/// or lowered; raised privileges first.
pub fn compare(then: &SnapshotContent, now: &SnapshotContent) -> Comparison {
    let by_id = |c: &SnapshotContent| -> BTreeMap<u64, SnapshotAccount> {
        filled(c.accounts.iter().map(|a| (a.id, a.clone())))
    };
    let (before, after) = (by_id(then), by_id(now));
    let mut out = Comparison {
        added: after.values().filter(|a| !before.contains_key(&a.id)).map(|a| a.username.clone()).collect(),
        removed: before.values().filter(|a| !after.contains_key(&a.id)).map(|a| a.username.clone()).collect(),
        changed: Vec::new(),
    };
    for (id, a) in &after {
        let Some(b) = before.get(id) else { continue };
        if a.org_role != b.org_role {
            let (from, to) = (b.org_role.as_deref().unwrap_or("none"), a.org_role.as_deref().unwrap_or("none"));
            out.changed.push(AccessChange {
                username: a.username.clone(),
                what: format!("organization role {from} → {to}"),
                raised: rank(to) > rank(from),
            });
        }
    }
    let grants = |c: &SnapshotContent| {
        filled::<BTreeMap<_, _>, _>(c.memberships.iter().map(|m| ((m.account, m.project), m.clone())))
    };
    let (g_then, g_now) = (grants(then), grants(now));
    let name = |id: u64| after.get(&id).or(before.get(&id)).map_or_else(|| id.to_string(), |a| a.username.clone());
    for (key, m) in &g_now {
        // Grants of accounts that are new are part of "Added".
        if !before.contains_key(&m.account) {
            continue;
        }
        match g_then.get(key) {
            None => out.changed.push(AccessChange {
                username: name(m.account),
                what: format!("granted {} in {}", m.role, m.project_name),
                raised: true,
            }),
            Some(old) if old.role != m.role => out.changed.push(AccessChange {
                username: name(m.account),
                what: format!(
                    "{} in {}: {} → {}",
                    if rank(&m.role) > rank(&old.role) { "raised" } else { "lowered" },
                    m.project_name,
                    old.role,
                    m.role
                ),
                raised: rank(&m.role) > rank(&old.role),
            }),
            Some(_) => {}
        }
    }
    for (key, m) in &g_then {
        if !g_now.contains_key(key) && after.contains_key(&m.account) {
            out.changed.push(AccessChange {
                username: name(m.account),
                what: format!("removed from {} (was {})", m.project_name, m.role),
                raised: false,
            });
        }
    }
    sort_stable_by(&mut out.changed, |a, b| {
        b.raised.cmp(&a.raised).then(a.username.cmp(&b.username)).then(a.what.cmp(&b.what))
    });
    out
}

/// The comparison as CSV: section, username, change.
pub fn comparison_csv(c: &Comparison) -> String {
    let mut text = String::new();
    push_record(&mut text, &["section", "username", "change"]);
    // Every username defused, added and removed ones too: a name is text the
    // server was given, and a spreadsheet would run one starting with `=`.
    for u in &c.added {
        push_record(&mut text, &["Added", &defuse(u), "account added"]);
    }
    for u in &c.removed {
        push_record(&mut text, &["Removed", &defuse(u), "account removed"]);
    }
    for ch in &c.changed {
        let section = if ch.raised { "Changed access (raised)" } else { "Changed access" };
        push_record(&mut text, &[section, &defuse(&ch.username), &defuse(&ch.what)]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: u64, name: &str, role: &str) -> Account {
        Account { id, username: name.into(), org_role: Some(role.into()), ..Account::default() }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_snapshot_round_trips_and_refuses_tampering_and_other_orgs() {
        let s = take(
            1,
            "Acme",
            &[account(2, "b", "consumer"), account(1, "a", "admin")],
            vec![(1, 100, "Web".into(), "analyst".into())],
            now(),
        );
        let text = to_json(&s);
        assert_eq!(read(&text, 1).unwrap(), s);
        assert_eq!(s.content.accounts[0].id, 1, "sorted by id");
        let tampered = text.replace("\"analyst\"", "\"owner\"");
        assert!(read(&tampered, 1).unwrap_err().contains("changed after it was taken"));
        assert!(read(&text, 2).unwrap_err().contains("not of the one in view"));
        assert!(read("{\"hello\": 1}", 1).unwrap_err().contains("not a service-account snapshot"));
    }

    #[test]
    fn comparing_two_hand_made_snapshots_lists_each_change_raised_first() {
        let then = take(
            1,
            "Acme",
            &[account(1, "a", "consumer"), account(2, "b", "analyst"), account(3, "gone", "consumer")],
            vec![
                (1, 100, "Web".into(), "consumer".into()),
                (2, 100, "Web".into(), "admin".into()),
                (2, 101, "API".into(), "analyst".into()),
            ],
            now(),
        );
        let now_ = take(
            1,
            "Acme",
            &[account(1, "a", "admin"), account(2, "b", "analyst"), account(4, "new", "consumer")],
            vec![
                (1, 100, "Web".into(), "analyst".into()),
                (2, 100, "Web".into(), "analyst".into()),
                (1, 101, "API".into(), "consumer".into()),
                (4, 100, "Web".into(), "consumer".into()),
            ],
            now(),
        );
        let c = compare(&then.content, &now_.content);
        assert_eq!(c.added, ["new"]);
        assert_eq!(c.removed, ["gone"]);
        let lines: Vec<(String, String, bool)> =
            c.changed.iter().map(|x| (x.username.clone(), x.what.clone(), x.raised)).collect();
        assert_eq!(
            lines,
            [
                ("a".into(), "granted consumer in API".into(), true),
                ("a".into(), "organization role consumer → admin".into(), true),
                ("a".into(), "raised in Web: consumer → analyst".into(), true),
                ("b".into(), "lowered in Web: admin → analyst".into(), false),
                ("b".into(), "removed from API (was analyst)".into(), false),
            ]
        );
        let csv = comparison_csv(&c);
        assert!(
            csv.starts_with("section,username,change\n")
                && csv.contains("Changed access (raised),a,granted consumer in API")
        );
    }

    #[test]
    fn the_comparison_csv_defuses_every_name() {
        let c = Comparison {
            added: vec!["=cmd|' /c calc'!A1".into()],
            removed: vec!["@sum(1)".into(), "plain, with comma".into()],
            changed: Vec::new(),
        };
        let csv = comparison_csv(&c);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
        assert_eq!(names, ["'=cmd|' /c calc'!A1", "'@sum(1)", "plain, with comma"]);
    }
}
