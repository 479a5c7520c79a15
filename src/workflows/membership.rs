//! Sends one add or remove request, then re-reads the affected projects and
//! reports every membership that did not end up as asked.

use super::fan_out::{members_of_all, Progress};
use crate::api::projects::{self, Member};
use crate::api::{ApiClient, ApiError};
use crate::domain::matrix::Change;
use crate::domain::membership::{expected_after_add, expected_after_remove, verify, Expected, Mismatch};
use crate::domain::role::Role;
use crate::domain::sorting::filled;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use web_sys::AbortSignal;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// Memberships that did not take; empty when all did.
    pub mismatches: Vec<Mismatch>,
    /// The affected projects as re-read (for views that show them).
    pub listings: HashMap<u64, Vec<Member>>,
    /// Projects that could not be re-read, so were not checked.
    pub unchecked: Vec<(u64, ApiError)>,
}

pub async fn apply_and_verify(
    client: &ApiClient,
    org: u64,
    change: &Change,
    signal: Option<&AbortSignal>,
) -> Result<Applied, ApiError> {
    let (sent, expected) = match change {
        Change::Add(body) => (projects::add(client, org, body, signal).await, expected_after_add(body)),
        Change::Remove(body) => (projects::remove(client, org, body, signal).await, expected_after_remove(body)),
    };
    sent?;
    let affected: BTreeSet<u64> = filled(expected.keys().map(|(_, p)| *p));
    let applied = RefCell::new(Applied::default());
    members_of_all(client, affected.into_iter().collect(), signal, |progress| {
        if let Progress::Done { project, result } = progress {
            let mut a = applied.borrow_mut();
            match result {
                Ok(list) => {
                    a.listings.insert(project, list);
                }
                Err(e) => a.unchecked.push((project, e)),
            }
        }
    })
    .await;
    let mut applied = applied.into_inner();
    let found: BTreeMap<(u64, u64), Role> = filled(applied.listings.iter().flat_map(|(p, list)| {
        list.iter().filter(|m| m.is_direct()).filter_map(move |m| Some(((m.id, *p), m.role()?)))
    }));
    let checked: Expected = filled(expected.into_iter().filter(|((_, p), _)| applied.listings.contains_key(p)));
    applied.mismatches = verify(&checked, &found);
    Ok(applied)
}
