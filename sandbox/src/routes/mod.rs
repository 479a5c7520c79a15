//! The App API under `/api/app`, one module per resource.

mod accounts;
mod kept;
mod kept_listings;
mod listings;
mod me;
mod member_shapes;
mod per_revision;
mod projects;
mod used_marks;
mod wire;

pub(crate) use listings::Listings;

use crate::error::{ApiError, ApiResult};
use crate::model::{Account, Organization, Role, Store};
use crate::state::Shared;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub fn api() -> Router<Shared> {
    Router::new()
        .route("/me", get(me::me))
        .route("/organizations/{org}/service-accounts", get(accounts::list).post(accounts::create))
        .route("/organizations/{org}/service-accounts/add-to-project", post(projects::add))
        .route(
            "/organizations/{org}/service-accounts/remove-from-project",
            post(projects::remove).delete(projects::remove),
        )
        .route("/organizations/{org}/service-accounts/{id}", get(accounts::get_one).delete(accounts::delete))
        .route("/projects/{project}/service-accounts", get(projects::members))
}

/// A service account as the API returns it.
pub fn account_json(a: &Account) -> Value {
    serde_json::to_value(wire::AccountItem::from(a)).expect("an account always serialises")
}

/// A listing already written (see `kept`) as a JSON response.
pub fn listing_response(body: impl axum::response::IntoResponse) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub fn parse_body(bytes: &[u8]) -> ApiResult<Value> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}")))
}

pub fn find_org(store: &Store, id: &str) -> ApiResult<Organization> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| store.organizations.get(&id).cloned())
        .ok_or_else(|| ApiError::not_found(format!("Organization {id} not found")))
}

/// The caller's role in the organisation, or 403 when it has none.
pub fn org_role(caller: &Account, org: &Organization) -> ApiResult<Role> {
    caller
        .org_role(org.id)
        .ok_or_else(|| ApiError::forbidden(format!("You do not have access to organization {}", org.id)))
}

pub fn require_admin(caller: &Account, org: &Organization, action: &str) -> ApiResult<Role> {
    let role = org_role(caller, org)?;
    if role < Role::Admin {
        return Err(ApiError::forbidden(format!(
            "Only organization admins and owners can {action} (your role is {})",
            role.as_str()
        )));
    }
    Ok(role)
}
