//! `GET /me`: who is signed in, their organisations and projects. The maps are
//! keyed by ids as strings, entries may lack `id`, and unknown fields abound;
//! parsing takes what it needs and ignores the rest.

use super::client::ApiClient;
use super::error::ApiError;
use crate::domain::sorting::sort_stable_by_cached_key;
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    pub id: u64,
    pub name: String,
    /// As sent: `owner`, `admin`, ..., or `no role`.
    pub role: String,
}

impl Organization {
    /// Only admins and owners can manage service accounts.
    pub fn can_manage(&self) -> bool {
        matches!(self.role.as_str(), "owner" | "admin")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub name: String,
    pub organization_id: u64,
    pub domain: String,
    pub timezone: String,
    /// The caller's role in the project (lower-case), when given.
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    pub user_id: Option<u64>,
    pub email: String,
    pub name: String,
    /// Sorted by name.
    pub organizations: Vec<Organization>,
    /// Sorted by name.
    pub projects: Vec<Project>,
}

impl Me {
    pub fn projects_of(&self, org_id: u64) -> impl Iterator<Item = &Project> {
        self.projects.iter().filter(move |p| p.organization_id == org_id)
    }

    pub fn organization(&self, id: u64) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.id == id)
    }
}

fn id_of(key: &str, entry: &Value) -> Option<u64> {
    entry.get("id").and_then(Value::as_u64).or_else(|| key.parse().ok())
}

fn text(entry: &Value, field: &str) -> String {
    entry.get(field).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn entries(results: &Value, field: &str) -> Map<String, Value> {
    results.get(field).and_then(Value::as_object).cloned().unwrap_or_default()
}

pub fn parse_me(results: &Value) -> Result<Me, ApiError> {
    if !results.is_object() {
        return Err(ApiError::Decode("/me did not answer with an object".into()));
    }
    let mut organizations: Vec<Organization> = entries(results, "organizations")
        .iter()
        .filter_map(|(key, entry)| {
            Some(Organization {
                id: id_of(key, entry)?,
                name: text(entry, "name"),
                role: entry.get("role").and_then(Value::as_str).unwrap_or("no role").to_lowercase(),
            })
        })
        .collect();
    sort_stable_by_cached_key(&mut organizations, |o| (o.name.to_lowercase(), o.id));

    let mut projects: Vec<Project> = entries(results, "projects")
        .iter()
        .filter_map(|(key, entry)| {
            Some(Project {
                id: id_of(key, entry)?,
                name: text(entry, "name"),
                organization_id: entry.get("organization_id").and_then(Value::as_u64)?,
                domain: text(entry, "domain"),
                timezone: text(entry, "timezone"),
                role: entry.get("role").and_then(|r| r.get("name")).and_then(Value::as_str).map(str::to_lowercase),
            })
        })
        .collect();
    sort_stable_by_cached_key(&mut projects, |p| (p.name.to_lowercase(), p.id));

    Ok(Me {
        user_id: results.get("user_id").and_then(Value::as_u64),
        email: text(results, "user_email"),
        name: text(results, "user_name"),
        organizations,
        projects,
    })
}

/// `/me`, once, with its own long timeout; `signal` lets the admin cancel.
pub async fn fetch_me(client: &ApiClient, signal: Option<&web_sys::AbortSignal>) -> Result<Me, ApiError> {
    let results: Value = client.get_me("/me", signal).await?;
    parse_me(&results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_string_keyed_maps_and_ignores_extras() {
        let me = parse_me(&json!({
            "user_id": 7, "user_email": "bot.abc.mp-service-account@mixpanel.org", "user_name": "",
            "organizations": {"2": {"id": 2, "name": "beta", "role": "admin", "permissions": []},
                              "1": {"name": "Alpha", "role": "no role"}},
            "projects": {"10": {"name": "Web", "organization_id": 1, "domain": "eu.mixpanel.com", "role": {"id": 2, "name": "Admin"}},
                         "11": {"id": 11, "name": "api", "organization_id": 2, "timezone": "UTC", "extra": [1]},
                         "bad": {"name": "no id", "organization_id": 1}},
            "workspaces": {}, "anything": true
        }))
        .unwrap();
        assert_eq!(me.user_id, Some(7));
        assert_eq!(
            me.organizations.iter().map(|o| (o.id, o.role.as_str())).collect::<Vec<_>>(),
            vec![(1, "no role"), (2, "admin")]
        );
        assert!(!me.organizations[0].can_manage() && me.organizations[1].can_manage());
        assert_eq!(
            me.projects.iter().map(|p| p.id).collect::<Vec<_>>(),
            vec![11, 10],
            "sorted by name, id from the key"
        );
        assert_eq!(me.projects[1].role.as_deref(), Some("admin"));
        assert_eq!(me.projects_of(1).count(), 1);
    }

    #[test]
    fn a_non_object_is_a_decode_error() {
        assert!(matches!(parse_me(&json!([])), Err(ApiError::Decode(_))));
    }
}
