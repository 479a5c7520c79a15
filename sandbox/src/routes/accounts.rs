//! Service accounts of an organisation: list, create, read one, delete.

use super::{account_json, find_org, listing_response, org_role, parse_body, require_admin};
use crate::auth::authenticate;
use crate::error::{ok, ApiError, ApiResult};
use crate::model::{Account, Role};
use crate::seed::{hex6, random_secret};
use crate::state::Shared;
use crate::validate::create_request;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::json;
use std::collections::BTreeMap;

const PROJECT_FORBIDDEN: &str =
    "User does not have permissions to add one or more service accounts to one or more of the requested projects";

pub async fn list(State(sandbox): State<Shared>, headers: HeaderMap, Path(org): Path<String>) -> ApiResult<Response> {
    let caller = sandbox.authenticate_reader(&headers, Utc::now())?;
    let store = sandbox.store_read();
    let org = find_org(&store, &org)?;
    org_role(&caller, &org)?;
    listing_response(sandbox.listings.accounts(org.id, &store, sandbox.revision()))
}

pub async fn create(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    let now = Utc::now();
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, now)?;
    let org = find_org(&store, &org)?;
    let caller_role = require_admin(&caller, &org, "create service accounts")?;
    let request = create_request(&parse_body(&body)?, now).map_err(ApiError::validation)?;
    if request.role > caller_role {
        return Err(ApiError::forbidden(format!(
            "You cannot grant the {} role: it is above your own ({})",
            request.role.as_str(),
            caller_role.as_str()
        )));
    }
    for (project_id, role) in &request.projects {
        let project = store
            .projects
            .get(project_id)
            .ok_or_else(|| ApiError::bad_request(format!("Unknown project {project_id}")))?;
        if project.organization_id != org.id {
            return Err(ApiError::bad_request(format!("Project {project_id} is not in organization {}", org.id)));
        }
        if store.project_role(&caller, project).is_none_or(|r| r < Role::Admin || r < *role) {
            return Err(ApiError::forbidden(PROJECT_FORBIDDEN));
        }
    }

    let (username, secret) = {
        let mut rng = sandbox.rng();
        (format!("{}.{}.mp-service-account", request.name, hex6(&mut rng)), random_secret(&mut rng))
    };
    let id = store.next_account_id;
    store.next_account_id += 1;
    store.next_user_id += 1;
    let account = Account {
        id,
        organization_id: org.id,
        username,
        secret: secret.clone(),
        role: request.role,
        created: now,
        creator: Some(caller.user),
        creator_email: Some(caller.email()),
        creator_name: None,
        last_used: None,
        // The generated spec's create has no `expires`: with the switch on, it is ignored.
        expires: if sandbox.switches().create_ignores_expires { None } else { request.expires },
        user: store.next_user_id,
        other_orgs: BTreeMap::new(),
    };
    let mut results = account_json(&account);
    results["token"] = json!(secret);
    store.accounts.insert(id, account);
    for (project_id, role) in request.projects {
        store.members.entry(project_id).or_default().insert(id, role);
    }
    sandbox.persist(&store);
    Ok((StatusCode::CREATED, Json(json!({"status": "ok", "results": results}))).into_response())
}

fn find_account(store: &crate::model::Store, org_id: u64, id: &str) -> ApiResult<Account> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| store.accounts.get(&id))
        .filter(|a| a.organization_id == org_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("Service account {id} not found in organization {org_id}")))
}

pub async fn get_one(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, Utc::now())?;
    let org = find_org(&store, &org)?;
    org_role(&caller, &org)?;
    let account = find_account(&store, org.id, &id)?;
    // Wrapped, as the generated spec has it (the public page shows it bare;
    // the client accepts both, see its envelope tests).
    Ok(ok(account_json(&account)))
}

pub async fn delete(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, Utc::now())?;
    let org = find_org(&store, &org)?;
    let caller_role = require_admin(&caller, &org, "delete service accounts")?;
    let account = find_account(&store, org.id, &id)?;
    if account.role > caller_role {
        return Err(ApiError::forbidden(format!(
            "You cannot delete a service account whose role ({}) is above your own ({})",
            account.role.as_str(),
            caller_role.as_str()
        )));
    }
    store.remove_account(account.id);
    sandbox.listings.forget(account.id);
    sandbox.persist(&store);
    Ok(Json(json!({"status": "ok"})).into_response())
}
