//! Mixpanel turns a given name into `<name>.<6 hex>.mp-service-account`; the
//! console reads the given name back to recognise twins (a rotation's
//! replacement, or an account a failed create made anyway).

use super::account::Account;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

const SUFFIX: &str = ".mp-service-account";

/// The name the account was created with; the whole username when it does
/// not have the generated form.
pub fn given_name(username: &str) -> &str {
    username
        .strip_suffix(SUFFIX)
        .and_then(|rest| rest.rsplit_once('.'))
        .filter(|(_, hex)| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .map_or(username, |(name, _)| name)
}

/// How far the server's clock may be behind ours when judging "created after".
const CLOCK_SLACK_MINUTES: i64 = 10;

/// Accounts that a create of `name` sent at `sent_at` may have made: the
/// given name matches and the account is new, by id when the list before the
/// create is known, else by its creation time.
pub fn possible_creations<'a>(
    after: &'a [Account],
    name: &str,
    known_before: Option<&HashSet<u64>>,
    sent_at: DateTime<Utc>,
) -> Vec<&'a Account> {
    let since = sent_at - Duration::minutes(CLOCK_SLACK_MINUTES);
    after
        .iter()
        .filter(|a| given_name(&a.username) == name)
        .filter(|a| match known_before {
            Some(known) => !known.contains(&a.id),
            None => a.created.is_none_or(|c| c >= since),
        })
        .collect()
}

/// What two re-lists, taken a while apart after a lost create, say about
/// it: only when they agree is there a verdict (a write may commit late).
pub fn settled<'a>(first: &[&'a Account], second: &[&'a Account]) -> Option<Vec<&'a Account>> {
    let ids = |l: &[&Account]| l.iter().map(|a| a.id).collect::<HashSet<u64>>();
    (ids(first) == ids(second)).then(|| second.to_vec())
}

/// Newer accounts with the same given name as `old`: the replacements a
/// rotation made, finished or not.
pub fn replacements_of<'a>(old: &Account, all: &'a [Account]) -> Vec<&'a Account> {
    let name = given_name(&old.username);
    all.iter()
        .filter(|a| a.id != old.id && given_name(&a.username) == name)
        .filter(|a| match (a.created, old.created) {
            (Some(new), Some(old)) => new > old,
            _ => a.id > old.id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: u64, username: &str, created: &str) -> Account {
        Account {
            id,
            username: username.into(),
            created: Some(created.parse().unwrap()),
            creator: None,
            creator_email: None,
            creator_name: None,
            last_used: None,
            expires: None,
            org_role: None,
            problems: Vec::new(),
        }
    }

    #[test]
    fn a_verdict_needs_two_agreeing_lists() {
        let a = account(5, "etl.0a1b2c.mp-service-account", "2026-01-01T00:00:00Z");
        let none: Vec<&Account> = vec![];
        assert_eq!(settled(&none, &none), Some(vec![]));
        assert_eq!(settled(&none, &[&a]), None, "committed between the lists: no verdict yet");
        assert_eq!(settled(&[&a], &[&a]).map(|l| l.len()), Some(1));
    }

    #[test]
    fn reads_the_given_name_back() {
        assert_eq!(given_name("etl-job.0a1b2c.mp-service-account"), "etl-job");
        assert_eq!(given_name("a.b.0a1b2c.mp-service-account"), "a.b");
        assert_eq!(given_name("etl.xyz123.mp-service-account"), "etl.xyz123.mp-service-account");
        assert_eq!(given_name("plain"), "plain");
    }

    #[test]
    fn finds_what_a_failed_create_made() {
        let sent: DateTime<Utc> = "2026-11-22T12:00:00Z".parse().unwrap();
        let list = vec![
            account(1, "etl.aaaaaa.mp-service-account", "2026-01-01T00:00:00Z"),
            account(2, "etl.bbbbbb.mp-service-account", "2026-11-22T12:00:01Z"),
            account(3, "etl2.cccccc.mp-service-account", "2026-11-22T12:00:01Z"),
        ];
        let ids = |v: Vec<&Account>| v.iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(ids(possible_creations(&list, "etl", None, sent)), vec![2]);
        let known: HashSet<u64> = [1, 2].into();
        assert!(possible_creations(&list, "etl", Some(&known), sent).is_empty());
        let known: HashSet<u64> = [1].into();
        assert_eq!(ids(possible_creations(&list, "etl", Some(&known), sent)), vec![2]);
    }

    #[test]
    fn finds_replacements_newer_than_the_old_account() {
        let old = account(5, "etl.aaaaaa.mp-service-account", "2026-06-01T00:00:00Z");
        let list = vec![
            account(4, "etl.dddddd.mp-service-account", "2026-01-01T00:00:00Z"),
            old.clone(),
            account(9, "etl.bbbbbb.mp-service-account", "2026-11-22T12:00:00Z"),
            account(10, "other.bbbbbb.mp-service-account", "2026-11-22T12:00:00Z"),
        ];
        assert_eq!(replacements_of(&old, &list).iter().map(|a| a.id).collect::<Vec<_>>(), vec![9]);
    }
}
