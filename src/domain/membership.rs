//! Grant and revoke plans: which single request body a selection of accounts
//! and projects becomes, and how to check afterwards that it took.

use super::create_form::ProjectRole;
use super::role::Role;
use super::sorting::filled;
use super::text::count_of;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `POST .../add-to-project`: every account gets each project's role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddBody {
    pub service_account_ids: Vec<u64>,
    pub projects: Vec<ProjectRole>,
}

/// `POST .../remove-from-project`: note the shape differs from add's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoveBody {
    pub projects: Vec<RemoveFrom>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoveFrom {
    pub id: u64,
    pub service_account_ids: Vec<u64>,
}

fn ids(accounts: &[u64]) -> Vec<u64> {
    filled::<BTreeSet<_>, _>(accounts.iter().copied()).into_iter().collect()
}

/// One add request for all `accounts` × `projects`; the last role given for
/// a project wins.
pub fn grant_plan(accounts: &[u64], projects: &[(u64, Role)]) -> Result<AddBody, String> {
    if accounts.is_empty() {
        return Err("Select at least one service account.".into());
    }
    if projects.is_empty() {
        return Err("Choose at least one project.".into());
    }
    let roles: BTreeMap<u64, Role> = filled(projects.iter().copied());
    Ok(AddBody {
        service_account_ids: ids(accounts),
        projects: roles.into_iter().map(|(id, role)| ProjectRole { id, role }).collect(),
    })
}

/// One remove request taking every account out of every project.
pub fn revoke_plan(accounts: &[u64], projects: &[u64]) -> Result<RemoveBody, String> {
    if accounts.is_empty() {
        return Err("Select at least one service account.".into());
    }
    if projects.is_empty() {
        return Err("Choose at least one project.".into());
    }
    let accounts = ids(accounts);
    Ok(RemoveBody {
        projects: ids(projects)
            .into_iter()
            .map(|id| RemoveFrom { id, service_account_ids: accounts.clone() })
            .collect(),
    })
}

/// "3 accounts × 2 projects = 6 memberships".
pub fn preview(accounts: usize, projects: usize) -> String {
    format!(
        "{} × {} = {}",
        count_of(accounts, "account"),
        count_of(projects, "project"),
        count_of(accounts * projects, "membership")
    )
}

/// Projects where the plan grants admin or owner, by name.
pub fn elevated_grants(projects: &[(u64, String, Role)]) -> Vec<&str> {
    projects.iter().filter(|(_, _, r)| r.is_elevated()).map(|(_, n, _)| n.as_str()).collect()
}

/// The direct role each (account, project) should now have: `None` = none.
pub type Expected = BTreeMap<(u64, u64), Option<Role>>;

pub fn expected_after_add(body: &AddBody) -> Expected {
    filled(body.projects.iter().flat_map(|p| body.service_account_ids.iter().map(move |a| ((*a, p.id), Some(p.role)))))
}

pub fn expected_after_remove(body: &RemoveBody) -> Expected {
    filled(body.projects.iter().flat_map(|p| p.service_account_ids.iter().map(move |a| ((*a, p.id), None))))
}

/// One membership that did not end up as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub account: u64,
    pub project: u64,
    pub expected: Option<Role>,
    pub found: Option<Role>,
}

/// Compares what was asked with the direct roles the listings now show
/// (`found` maps (account, project) to a direct role).
pub fn verify(expected: &Expected, found: &BTreeMap<(u64, u64), Role>) -> Vec<Mismatch> {
    expected
        .iter()
        .filter_map(|(&(account, project), &want)| {
            let got = found.get(&(account, project)).copied();
            (got != want).then_some(Mismatch { account, project, expected: want, found: got })
        })
        .collect()
}

/// What a failed add or remove means for the server's state: a refusal
/// changed nothing, a lost answer may have changed everything.
pub fn failed_change_note(outcome_unknown: bool) -> &'static str {
    if outcome_unknown {
        "The answer was lost, so the change may have taken effect anyway; check the projects' members before trying again."
    } else {
        "Nothing was changed."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grant_is_one_body_with_every_account_and_project() {
        let body = grant_plan(&[7, 3, 7], &[(101, Role::Admin), (100, Role::Consumer), (101, Role::Analyst)]).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"service_account_ids": [3, 7], "projects": [{"id": 100, "role": "consumer"}, {"id": 101, "role": "analyst"}]})
        );
        assert_eq!(grant_plan(&[], &[(1, Role::Admin)]).unwrap_err(), "Select at least one service account.");
        assert_eq!(grant_plan(&[1], &[]).unwrap_err(), "Choose at least one project.");
    }

    #[test]
    fn revoke_has_the_other_shape() {
        let body = revoke_plan(&[9, 2], &[101, 100]).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"projects": [{"id": 100, "service_account_ids": [2, 9]}, {"id": 101, "service_account_ids": [2, 9]}]})
        );
        assert!(revoke_plan(&[1], &[]).is_err() && revoke_plan(&[], &[1]).is_err());
    }

    #[test]
    fn preview_and_cautions() {
        assert_eq!(preview(3, 2), "3 accounts × 2 projects = 6 memberships");
        assert_eq!(preview(1, 1), "1 account × 1 project = 1 membership");
        let chosen = vec![(1, "Web".to_string(), Role::Owner), (2, "iOS".to_string(), Role::Analyst)];
        assert_eq!(elevated_grants(&chosen), vec!["Web"]);
    }

    #[test]
    fn a_lost_answer_is_not_reported_as_no_change() {
        assert_eq!(failed_change_note(false), "Nothing was changed.");
        assert!(failed_change_note(true).contains("may have taken effect"));
    }

    #[test]
    fn verification_reports_what_did_not_take() {
        let add = grant_plan(&[1, 2], &[(100, Role::Admin)]).unwrap();
        let expected = expected_after_add(&add);
        let found: BTreeMap<(u64, u64), Role> = [((1, 100), Role::Admin), ((2, 100), Role::Consumer)].into();
        assert_eq!(
            verify(&expected, &found),
            vec![Mismatch { account: 2, project: 100, expected: Some(Role::Admin), found: Some(Role::Consumer) }]
        );
        let remove = revoke_plan(&[1], &[100]).unwrap();
        let mismatches = verify(&expected_after_remove(&remove), &found);
        assert_eq!(mismatches.len(), 1, "account 1 is still in project 100");
        assert!(verify(&expected_after_remove(&remove), &BTreeMap::new()).is_empty());
    }
}
