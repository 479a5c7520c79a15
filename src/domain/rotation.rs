//! Rotation, which the API does not offer: a twin with the same given name,
//! organisation role and direct project roles, and a fresh expiry; the old
//! account stays until the admin deletes it.

use super::account_name::given_name;
use super::create_form::{CreateBody, ProjectRole};
use super::expiry::{api_timestamp, expiry_instant, ExpiryChoice};
pub use super::role::Access;
use super::role::Role;
use super::sorting::sort_stable_by_cached_key;
use chrono::{DateTime, Utc};

/// One project membership of the old account, as its project listed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub project_id: u64,
    pub project_name: String,
    pub role: Role,
    /// `individual`, `team` or `organization`, as the listing said.
    pub access: Access,
}

/// Where the twin's organisation role came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleSource {
    /// The organisation's list gave it (`org_role`).
    Listed,
    /// Guessed from access through the organisation in the project listings.
    Inferred,
    /// Not known: least privilege, and the admin checks.
    Unknown,
    /// The list gave a role the console cannot create (a custom one).
    Unusable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationPlan {
    pub name: String,
    /// The organisation role to give the twin.
    pub role: Role,
    pub role_source: RoleSource,
    /// Direct memberships to copy, by project name.
    pub projects: Vec<Held>,
}

/// The twin's plan: the listed org role when the list gave one the console
/// knows; else the role seen through organisation access; else consumer.
pub fn plan_rotation(old_username: &str, held: &[Held], listed_org_role: Option<&str>) -> RotationPlan {
    let inherited = held.iter().filter(|h| h.access == Access::Organization).map(|h| h.role).max();
    let mut projects: Vec<Held> = held.iter().filter(|h| h.access == Access::Direct).cloned().collect();
    sort_stable_by_cached_key(&mut projects, |h| h.project_name.to_lowercase());
    let (role, role_source) = match (listed_org_role, listed_org_role.and_then(Role::parse), inherited) {
        (_, Some(role), _) => (role, RoleSource::Listed),
        (Some(text), None, _) if !text.trim().is_empty() => {
            (inherited.unwrap_or_default(), RoleSource::Unusable(text.to_string()))
        }
        (_, None, Some(role)) => (role, RoleSource::Inferred),
        _ => (Role::default(), RoleSource::Unknown),
    };
    RotationPlan { name: given_name(old_username).to_string(), role, role_source, projects }
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

    #[test]
    fn the_listed_org_role_wins_and_an_unknown_one_is_named() {
        let org_admin = [held(101, "Android", Role::Admin, false)];
        let plan = plan_rotation("job", &org_admin, Some("analyst"));
        assert_eq!((plan.role, &plan.role_source), (Role::Analyst, &RoleSource::Listed));
        let plan = plan_rotation("job", &[], Some("Data Steward"));
        assert_eq!((plan.role, &plan.role_source), (Role::Consumer, &RoleSource::Unusable("Data Steward".into())));
    }

    fn held(id: u64, name: &str, role: Role, direct: bool) -> Held {
        Held {
            project_id: id,
            project_name: name.into(),
            role,
            access: if direct { Access::Direct } else { Access::Organization },
        }
    }

    #[test]
    fn copies_direct_memberships_and_the_seen_org_role() {
        let plan = plan_rotation(
            "etl.0a1b2c.mp-service-account",
            &[
                held(102, "web", Role::Analyst, true),
                held(101, "Android", Role::Admin, false),
                held(100, "B", Role::Consumer, true),
                Held { project_id: 103, project_name: "team".into(), role: Role::Owner, access: Access::Team },
            ],
            None,
        );
        assert_eq!(plan.name, "etl");
        assert_eq!((plan.role, &plan.role_source), (Role::Admin, &RoleSource::Inferred), "a team's role is no clue");
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
        let plan = plan_rotation("job", &[], None);
        assert_eq!((plan.name.as_str(), plan.role, &plan.role_source), ("job", Role::Consumer, &RoleSource::Unknown));
        let now = "2026-11-22T00:00:00Z".parse().unwrap();
        assert!(rotation_body(&plan, Role::Consumer, ExpiryChoice::Custom, "2020-01-01", now).is_err());
    }
}
