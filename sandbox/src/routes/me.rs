//! `GET /me`: identity, organisations and projects, keyed by string ids and
//! padded with fields a client must ignore, as the real one is.

use crate::auth::authenticate;
use crate::error::{ok, ApiResult};
use crate::model::Role;
use crate::state::Shared;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use serde_json::{json, Map, Value};

fn permissions(role: Option<Role>) -> Vec<&'static str> {
    match role {
        Some(Role::Owner) | Some(Role::Admin) => {
            vec!["manage_service_accounts", "create_service_accounts", "manage_projects", "view_billing"]
        }
        Some(_) => vec!["view_projects"],
        None => vec![],
    }
}

pub async fn me(State(sandbox): State<Shared>, headers: HeaderMap) -> ApiResult<Response> {
    // `/me` is reportedly slow for large organisations: the switch plays that.
    let delay = sandbox.switches().me_delay_seconds;
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_secs(delay)).await;
    }
    let mut store = sandbox.store();
    let caller = authenticate(&mut store, &headers, Utc::now())?;

    let mut organizations = Map::new();
    for (id, role) in caller.organizations() {
        let Some(org) = store.organizations.get(&id) else {
            continue;
        };
        organizations.insert(
            id.to_string(),
            json!({
                "id": id,
                "name": org.name,
                "role": role.map_or("no role", Role::as_str),
                "permissions": permissions(role),
                "is_personal": false,
                "data_residency": "us",
            }),
        );
    }

    let mut projects = Map::new();
    let mut workspaces = Map::new();
    for project in store.projects.values() {
        let Some(role) = store.project_role(&caller, project) else {
            continue;
        };
        let mut entry = json!({
            "name": project.name,
            "organization_id": project.organization_id,
            "timezone": project.timezone,
            "domain": project.domain,
            "type": "normal",
            "role": {"id": role.id(), "name": role.title()},
            "cluster_id": 3,
            "has_sensitive_access": false,
        });
        // The real /me leaves `id` out of some project entries: clients take it from the key.
        if project.id % 2 == 1 {
            entry["id"] = json!(project.id);
        }
        projects.insert(project.id.to_string(), entry);
        let workspace = 700_000 + project.id;
        workspaces.insert(
            workspace.to_string(),
            json!({"id": workspace, "name": "All Project Data", "project_id": project.id, "is_default": true, "is_global": false}),
        );
    }

    Ok(ok(json!({
        "user_id": caller.user,
        "user_email": caller.email(),
        "user_name": "",
        "user_is_service_account": true,
        "organizations": Value::Object(organizations),
        "projects": Value::Object(projects),
        "workspaces": Value::Object(workspaces),
        "announcements": [],
        "ui_settings": {"theme": "auto"},
    })))
}
