//! Rotation, which the API does not offer: a twin with the same given name,
//! organisation role and direct project roles, and a fresh expiry; the old
//! account stays until the admin deletes it.

use super::account_name::given_name;
use super::create_form::{CreateBody, ProjectRole};
use super::expiry::{api_timestamp, expiry_instant, ExpiryChoice};
use super::role::Role;
use chrono::{DateTime, Utc};

/// One project membership of the old account, as its project listed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub project_id: u64,
    pub project_name: String,
    pub role: Role,
    /// `false` when it comes through the organisation role.
    pub direct: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationPlan {
    pub name: String,
    /// The organisation role to give the twin.
    pub role: Role,
    /// Whether `role` was seen (admins and owners reach projects through it);
    /// the API does not report lower organisation roles, so the admin confirms.
    pub role_seen: bool,
    /// Direct memberships to copy, by project name.
    pub projects: Vec<Held>,
}

pub fn plan_rotation(old_username: &str, held: &[Held]) -> RotationPlan {
    let inherited = held.iter().filter(|h| !h.direct).map(|h| h.role).max();
    let mut projects: Vec<Held> = held.iter().filter(|h| h.direct).cloned().collect();
    projects.sort_by_key(|h| h.project_name.to_lowercase());
    RotationPlan {
        name: given_name(old_username).to_string(),
        role: inherited.unwrap_or_default(),
        role_seen: inherited.is_some(),
        projects,
    }
}

/// The create body for the twin; fails only on a bad custom expiry date.
pub fn rotation_body(
    plan: &RotationPlan,
    role: Role,
    expiry: ExpiryChoice,
    custom_date: &str,
    now: DateTime<Utc>,
) -> Result<CreateBody, String> {
    let expires = expiry_instant(expiry, custom_date, now)?;
    Ok(CreateBody {
        username: plan.name.clone(),
        role,
        expires: expires.map(api_timestamp),
        projects: plan.projects.iter().map(|h| ProjectRole { id: h.project_id, role: h.role }).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: u64, name: &str, role: Role, direct: bool) -> Held {
        Held { project_id: id, project_name: name.into(), role, direct }
    }

    #[test]
    fn copies_direct_memberships_and_the_seen_org_role() {
        let plan = plan_rotation(
            "etl.0a1b2c.mp-service-account",
            &[
                held(102, "web", Role::Analyst, true),
                held(101, "Android", Role::Admin, false),
                held(100, "B", Role::Consumer, true),
            ],
        );
        assert_eq!(plan.name, "etl");
        assert_eq!((plan.role, plan.role_seen), (Role::Admin, true));
        assert_eq!(plan.projects.iter().map(|h| h.project_id).collect::<Vec<_>>(), vec![100, 102]);
        let now = "2026-11-22T00:00:00Z".parse().unwrap();
        let body = rotation_body(&plan, plan.role, ExpiryChoice::Days30, "", now).unwrap();
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            serde_json::json!({"username": "etl", "role": "admin", "expires": "2026-12-22T00:00:00Z",
                               "projects": [{"id": 100, "role": "consumer"}, {"id": 102, "role": "analyst"}]})
        );
    }

    #[test]
    fn an_unseen_org_role_defaults_to_least_privilege() {
        let plan = plan_rotation("job", &[]);
        assert_eq!((plan.name.as_str(), plan.role, plan.role_seen), ("job", Role::Consumer, false));
        let now = "2026-11-22T00:00:00Z".parse().unwrap();
        assert!(rotation_body(&plan, Role::Consumer, ExpiryChoice::Custom, "2020-01-01", now).is_err());
    }
}
