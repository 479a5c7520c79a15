//! Project membership: add to and remove from projects (note their different
//! body shapes), and the per-project listing.

use super::{find_org, listing_response, org_role, parse_body};
use crate::auth::authenticate;
use crate::error::{ApiError, ApiResult};
use crate::model::{Account, Organization, Role, Store};
use crate::state::Shared;
use crate::validate::{add_request, remove_request};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::json;

const ADD_FORBIDDEN: &str =
    "User does not have permissions to add one or more service accounts to one or more of the requested projects";
const REMOVE_FORBIDDEN: &str =
    "User does not have permissions to remove one or more service accounts from one or more of the requested projects";

/// Checks that a project exists in the organisation and that the caller may
/// manage memberships of `role` in it.
fn check_project(
    store: &Store,
    caller: &Account,
    org: &Organization,
    project_id: u64,
    role: Role,
    forbidden: &str,
) -> ApiResult<()> {
    let project = store
        .projects
        .get(&project_id)
        .ok_or_else(|| ApiError::bad_request(format!("Unknown project {project_id}")))?;
    if project.organization_id != org.id {
        return Err(ApiError::bad_request(format!("Project {project_id} is not in organization {}", org.id)));
    }
    match store.project_role(caller, project) {
        Some(mine) if mine >= Role::Admin && mine >= role => Ok(()),
        _ => Err(ApiError::forbidden(forbidden)),
    }
}

fn check_accounts(store: &Store, org: &Organization, ids: &[u64]) -> ApiResult<()> {
    match ids.iter().find(|id| store.accounts.get(id).is_none_or(|a| a.organization_id != org.id)) {
        Some(id) => Err(ApiError::bad_request(format!("Unknown service account {id} in organization {}", org.id))),
        None => Ok(()),
    }
}

pub async fn add(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, Utc::now())?;
    let org = find_org(&store, &org)?;
    org_role(&caller, &org)?;
    let request = add_request(&parse_body(&body)?).map_err(ApiError::validation)?;
    check_accounts(&store, &org, &request.account_ids)?;
    for (project, role) in &request.projects {
        check_project(&store, &caller, &org, *project, *role, ADD_FORBIDDEN)?;
    }
    // All checks pass before anything changes: the request is all or nothing.
    for (project, role) in &request.projects {
        let members = store.members.entry(*project).or_default();
        for id in &request.account_ids {
            members.insert(*id, *role);
        }
    }
    sandbox.persist(&store);
    Ok(Json(json!({"status": "ok"})).into_response())
}

pub async fn remove(
    State(sandbox): State<Shared>,
    method: axum::http::Method,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    // The public page documents POST, the generated spec serves DELETE only:
    // the switch says which this sandbox answers. A 405 means nothing was done.
    if !sandbox.switches().remove_method.allows(method.as_str()) {
        return Err(ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            format!("Method {method} not allowed for remove-from-project"),
        ));
    }
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, Utc::now())?;
    let org = find_org(&store, &org)?;
    org_role(&caller, &org)?;
    let request = remove_request(&parse_body(&body)?).map_err(ApiError::validation)?;
    for (project, ids) in &request.projects {
        check_accounts(&store, &org, ids)?;
        // Removing a membership needs as much privilege as granting it did.
        let highest = ids
            .iter()
            .filter_map(|id| store.members.get(project).and_then(|m| m.get(id)))
            .max()
            .copied()
            .unwrap_or(Role::Consumer);
        check_project(&store, &caller, &org, *project, highest, REMOVE_FORBIDDEN)?;
    }
    for (project, ids) in &request.projects {
        if let Some(members) = store.members.get_mut(project) {
            for id in ids {
                members.remove(id);
            }
        }
    }
    sandbox.persist(&store);
    Ok(Json(json!({"status": "ok"})).into_response())
}

pub async fn members(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    Path(project): Path<String>,
) -> ApiResult<Response> {
    let caller = sandbox.authenticate_reader(&headers, Utc::now())?;
    let store = sandbox.store_read();
    let project = project
        .parse::<u64>()
        .ok()
        .and_then(|id| store.projects.get(&id).cloned())
        .ok_or_else(|| ApiError::not_found(format!("Project {project} not found")))?;
    if store.project_role(&caller, &project).is_none() {
        return Err(ApiError::forbidden(format!("You do not have access to project {}", project.id)));
    }
    let unknown_roles = sandbox.switches().unknown_roles;
    listing_response(sandbox.listings.members(&project, &store, sandbox.revision(), unknown_roles))
}
