//! Request-body validation with one specific message per mistake. Pure: it
//! checks shapes and values; the handlers check existence and permissions.

use crate::model::Role;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

pub const NAME_MAX_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    pub name: String,
    pub role: Role,
    pub expires: Option<DateTime<Utc>>,
    pub projects: Vec<(u64, Role)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddRequest {
    pub account_ids: Vec<u64>,
    pub projects: Vec<(u64, Role)>,
}

/// project id -> accounts to remove from it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoveRequest {
    pub projects: Vec<(u64, Vec<u64>)>,
}

type Checked<T> = Result<T, String>;

fn object<'a>(body: &'a Value, what: &str) -> Checked<&'a Map<String, Value>> {
    body.as_object().ok_or_else(|| format!("{what} must be a JSON object"))
}

fn integer(value: &Value, field: &str) -> Checked<u64> {
    value.as_u64().ok_or_else(|| format!("{field} must be a positive integer"))
}

fn role(value: &Value, field: &str) -> Checked<Role> {
    let text = value.as_str().ok_or_else(|| format!("{field} must be a string"))?;
    Role::parse(text).ok_or_else(|| format!("{field} must be one of owner, admin, analyst, consumer (got \"{text}\")"))
}

fn non_empty_array<'a>(map: &'a Map<String, Value>, field: &str) -> Checked<&'a Vec<Value>> {
    let value = map.get(field).ok_or_else(|| format!("{field} is required"))?;
    let items = value.as_array().ok_or_else(|| format!("{field} must be an array"))?;
    if items.is_empty() {
        return Err(format!("{field} must not be empty"));
    }
    Ok(items)
}

fn id_list(items: &[Value], field: &str) -> Checked<Vec<u64>> {
    items.iter().enumerate().map(|(i, v)| integer(v, &format!("{field}[{i}]"))).collect()
}

fn project_roles(items: &[Value], field: &str) -> Checked<Vec<(u64, Role)>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = format!("{field}[{i}]");
            let map = object(item, &at)?;
            let id = integer(map.get("id").ok_or_else(|| format!("{at}.id is required"))?, &format!("{at}.id"))?;
            let role = role(map.get("role").ok_or_else(|| format!("{at}.role is required"))?, &format!("{at}.role"))?;
            Ok((id, role))
        })
        .collect()
}

/// Accepts an RFC 3339 date-time or a plain `YYYY-MM-DD` (taken as midnight UTC).
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

pub fn check_name(raw: &str) -> Checked<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("username must not be blank".into());
    }
    if name.chars().count() > NAME_MAX_LEN {
        return Err(format!("username must be at most {NAME_MAX_LEN} characters"));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("username may contain only letters, digits, '-' and '_' (found '{bad}')"));
    }
    Ok(name.to_string())
}

pub fn create_request(body: &Value, now: DateTime<Utc>) -> Checked<CreateRequest> {
    let map = object(body, "the request body")?;
    let name = match map.get("username") {
        None | Some(Value::Null) => return Err("username is required".into()),
        Some(Value::String(s)) => check_name(s)?,
        Some(_) => return Err("username must be a string".into()),
    };
    let role = match map.get("role") {
        None | Some(Value::Null) => Role::Consumer,
        Some(v) => role(v, "role")?,
    };
    let expires = match map.get("expires") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let t = parse_date(s).ok_or_else(|| format!("expires must be an ISO 8601 date-time (got \"{s}\")"))?;
            if t <= now {
                return Err("expires must be in the future".into());
            }
            Some(t)
        }
        Some(_) => return Err("expires must be a date-time string or null".into()),
    };
    let projects = match map.get("projects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => project_roles(items, "projects")?,
        Some(_) => return Err("projects must be an array".into()),
    };
    Ok(CreateRequest { name, role, expires, projects })
}

pub fn add_request(body: &Value) -> Checked<AddRequest> {
    let map = object(body, "the request body")?;
    let account_ids = id_list(non_empty_array(map, "service_account_ids")?, "service_account_ids")?;
    let projects = project_roles(non_empty_array(map, "projects")?, "projects")?;
    Ok(AddRequest { account_ids, projects })
}

pub fn remove_request(body: &Value) -> Checked<RemoveRequest> {
    let map = object(body, "the request body")?;
    let items = non_empty_array(map, "projects")?;
    let projects = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = format!("projects[{i}]");
            let entry = object(item, &at)?;
            let id = integer(entry.get("id").ok_or_else(|| format!("{at}.id is required"))?, &format!("{at}.id"))?;
            let ids = id_list(
                non_empty_array(entry, "service_account_ids").map_err(|e| format!("{at}.{e}"))?,
                &format!("{at}.service_account_ids"),
            )?;
            Ok((id, ids))
        })
        .collect::<Checked<Vec<_>>>()?;
    Ok(RemoveRequest { projects })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn create_accepts_the_full_body() {
        let body = json!({"username": " etl ", "role": "analyst", "expires": "2027-01-01T00:00:00Z",
                          "projects": [{"id": 100, "role": "consumer"}], "extra": 1});
        let req = create_request(&body, now()).unwrap();
        assert_eq!(req.name, "etl");
        assert_eq!(req.role, Role::Analyst);
        assert_eq!(req.expires, Some("2027-01-01T00:00:00Z".parse().unwrap()));
        assert_eq!(req.projects, vec![(100, Role::Consumer)]);
    }

    #[test]
    fn create_defaults_role_and_accepts_plain_dates() {
        let req = create_request(&json!({"username": "a", "expires": "2027-02-03"}), now()).unwrap();
        assert_eq!(req.role, Role::Consumer);
        assert_eq!(req.expires, Some("2027-02-03T00:00:00Z".parse().unwrap()));
    }

    #[test]
    fn create_errors_are_specific() {
        let cases = [
            (json!([]), "the request body must be a JSON object"),
            (json!({}), "username is required"),
            (json!({"username": 5}), "username must be a string"),
            (json!({"username": "  "}), "username must not be blank"),
            (json!({"username": "a".repeat(65)}), "username must be at most 64 characters"),
            (json!({"username": "a b"}), "username may contain only letters, digits, '-' and '_' (found ' ')"),
            (
                json!({"username": "a", "role": "boss"}),
                "role must be one of owner, admin, analyst, consumer (got \"boss\")",
            ),
            (json!({"username": "a", "role": 1}), "role must be a string"),
            (json!({"username": "a", "expires": "soon"}), "expires must be an ISO 8601 date-time (got \"soon\")"),
            (json!({"username": "a", "expires": "2020-01-01"}), "expires must be in the future"),
            (json!({"username": "a", "expires": 5}), "expires must be a date-time string or null"),
            (json!({"username": "a", "projects": {}}), "projects must be an array"),
            (json!({"username": "a", "projects": [{"role": "admin"}]}), "projects[0].id is required"),
            (
                json!({"username": "a", "projects": [{"id": "x", "role": "admin"}]}),
                "projects[0].id must be a positive integer",
            ),
            (json!({"username": "a", "projects": [{"id": 1}]}), "projects[0].role is required"),
        ];
        for (body, message) in cases {
            assert_eq!(create_request(&body, now()).unwrap_err(), message, "for {body}");
        }
    }

    #[test]
    fn add_and_remove_shapes() {
        let add =
            add_request(&json!({"service_account_ids": [1, 2], "projects": [{"id": 9, "role": "admin"}]})).unwrap();
        assert_eq!(add, AddRequest { account_ids: vec![1, 2], projects: vec![(9, Role::Admin)] });
        let remove = remove_request(&json!({"projects": [{"id": 9, "service_account_ids": [1]}]})).unwrap();
        assert_eq!(remove, RemoveRequest { projects: vec![(9, vec![1])] });
    }

    #[test]
    fn add_and_remove_errors_are_specific() {
        assert_eq!(
            add_request(&json!({"projects": [{"id": 1, "role": "admin"}]})).unwrap_err(),
            "service_account_ids is required"
        );
        assert_eq!(
            add_request(&json!({"service_account_ids": [], "projects": []})).unwrap_err(),
            "service_account_ids must not be empty"
        );
        assert_eq!(
            add_request(&json!({"service_account_ids": ["1"], "projects": [{"id": 1, "role": "admin"}]})).unwrap_err(),
            "service_account_ids[0] must be a positive integer"
        );
        assert_eq!(
            add_request(&json!({"service_account_ids": [1], "projects": []})).unwrap_err(),
            "projects must not be empty"
        );
        assert_eq!(
            remove_request(&json!({"projects": [{"id": 1, "service_account_ids": []}]})).unwrap_err(),
            "projects[0].service_account_ids must not be empty"
        );
        assert_eq!(remove_request(&json!({"projects": "x"})).unwrap_err(), "projects must be an array");
    }
}
