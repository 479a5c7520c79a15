//! Reads everything a snapshot holds: the organisation's accounts and every
//! project's direct members. A snapshot must be complete, so any project
//! that cannot be read fails it (after 429s are waited out).

use super::fan_out::{members_of_all, Progress};
use crate::api::{accounts, ApiClient, ApiError};
use crate::domain::account::Account;
use crate::domain::project_names::ProjectNames;
use std::cell::RefCell;
use web_sys::AbortSignal;

/// The accounts, and (account, project, project name, role) for every direct membership.
pub type Gathered = (Vec<Account>, Vec<(u64, u64, String, String)>);

pub async fn gather(
    client: &ApiClient,
    org: u64,
    projects: &ProjectNames,
    signal: Option<&AbortSignal>,
    on_progress: &dyn Fn(usize, usize),
) -> Result<Gathered, ApiError> {
    let list: Vec<Account> =
        accounts::list(client, org, signal, &|_| {}).await?.into_iter().filter(Account::is_usable).collect();
    let ids = projects.ids();
    let total = ids.len();
    let found = RefCell::new((Vec::new(), None::<ApiError>, 0usize));
    members_of_all(client, ids, signal, |progress| {
        if let Progress::Done { project, result } = progress {
            let mut f = found.borrow_mut();
            f.2 += 1;
            match result {
                Ok(members) => f.0.extend(
                    members
                        .into_iter()
                        .filter(|m| m.is_direct())
                        .map(|m| (m.id, project, projects.name(project), m.role.as_str().to_string())),
                ),
                Err(e) => {
                    f.1.get_or_insert(e);
                }
            }
            on_progress(f.2, total);
        }
    })
    .await;
    let (memberships, failed, _) = found.into_inner();
    match failed {
        Some(e) => Err(e),
        None => Ok((list, memberships)),
    }
}
