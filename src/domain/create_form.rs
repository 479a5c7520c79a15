//! The create form's rules: what the admin typed, whether it may be sent, and
//! the exact request body the API takes.

use super::expiry::{api_timestamp, expiry_instant, ExpiryChoice};
use super::role::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The longest name the API accepts (the sandbox enforces the same).
pub const NAME_MAX_LEN: usize = 64;

/// One project row of the form: kept even when unticked, so the role chosen
/// for it survives un- and re-ticking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectChoice {
    pub id: u64,
    pub name: String,
    pub chosen: bool,
    pub role: Role,
}

impl ProjectChoice {
    pub fn new(id: u64, name: &str) -> ProjectChoice {
        ProjectChoice { id, name: name.to_string(), chosen: false, role: Role::Consumer }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CreateDraft {
    pub name: String,
    pub role: Role,
    pub expiry: ExpiryChoice,
    /// `YYYY-MM-DD`, as the date input gives it; used for `Custom`.
    pub custom_date: String,
    pub projects: Vec<ProjectChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectRole {
    pub id: u64,
    pub role: Role,
}

/// `POST /organizations/{org}/service-accounts`, exactly as documented:
/// `{username, role?, expires?, projects?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateBody {
    pub username: String,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<ProjectRole>,
}

/// Which part of the form a message belongs next to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Role,
    /// The Expires select (a policy refusing Never or a preset).
    Expires,
    ExpiryDate,
    Projects,
    /// Not about one field: shown above the button.
    Form,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FieldErrors {
    pub name: Option<String>,
    pub role: Option<String>,
    pub expires: Option<String>,
    pub expiry_date: Option<String>,
    pub projects: Option<String>,
    pub form: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == FieldErrors::default()
    }

    pub fn set(&mut self, field: Field, message: String) {
        let slot = match field {
            Field::Name => &mut self.name,
            Field::Role => &mut self.role,
            Field::Expires => &mut self.expires,
            Field::ExpiryDate => &mut self.expiry_date,
            Field::Projects => &mut self.projects,
            Field::Form => &mut self.form,
        };
        *slot = Some(message);
    }

    /// The first field in reading order that has an error (focus goes there).
    pub fn first(&self) -> Option<Field> {
        [
            (Field::Name, &self.name),
            (Field::Role, &self.role),
            (Field::Expires, &self.expires),
            (Field::ExpiryDate, &self.expiry_date),
            (Field::Projects, &self.projects),
            (Field::Form, &self.form),
        ]
        .into_iter()
        .find_map(|(f, e)| e.is_some().then_some(f))
    }
}

/// The name as it will be sent: trimmed, 1 to 64 of `A-Z a-z 0-9 - _`.
pub fn check_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Enter a name for the service account.".into());
    }
    let length = name.chars().count();
    if length > NAME_MAX_LEN {
        return Err(format!("The name can be at most {NAME_MAX_LEN} characters long; this one has {length}."));
    }
    let mut bad: Vec<char> = name.chars().filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')).collect();
    bad.dedup();
    if !bad.is_empty() {
        let shown: Vec<String> =
            bad.iter().map(|c| if *c == ' ' { "space".to_string() } else { format!("“{c}”") }).collect();
        return Err(format!(
            "The name can contain only letters A–Z, digits, “-” and “_”. Remove: {}.",
            shown.join(", ")
        ));
    }
    Ok(name.to_string())
}

/// The organisation policy's refusals for a valid body, each next to its
/// field (a custom date's next to the date, a preset's or Never's next to
/// Expires); empty when the policy allows it. Nothing is sent otherwise.
pub fn policy_errors(
    policy: &super::policy::Policy,
    body: &CreateBody,
    expiry: ExpiryChoice,
    now: DateTime<Utc>,
) -> FieldErrors {
    let mut errors = FieldErrors {
        name: policy.check_name(&body.username),
        role: policy.check_org_role(body.role),
        ..FieldErrors::default()
    };
    let expires = body.expires.as_deref().and_then(super::account::parse_time);
    if let Some(refusal) = policy.check_expiry(expires, now) {
        errors.set(if expiry == ExpiryChoice::Custom { Field::ExpiryDate } else { Field::Expires }, refusal);
    }
    errors
}

/// Checks every field at once (so the admin sees all problems together) and
/// builds the body only when there are none.
// The error is one message per field, built once per submit: its size is no cost.
#[allow(clippy::result_large_err)]
pub fn validate(draft: &CreateDraft, now: DateTime<Utc>) -> Result<CreateBody, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = check_name(&draft.name).map_err(|e| errors.name = Some(e)).ok();
    let expires = expiry_instant(draft.expiry, &draft.custom_date, now).map_err(|e| errors.expiry_date = Some(e)).ok();
    match (name, expires, errors.is_empty()) {
        (Some(username), Some(expires), true) => Ok(CreateBody {
            username,
            role: draft.role,
            expires: expires.map(api_timestamp),
            projects: draft
                .projects
                .iter()
                .filter(|p| p.chosen)
                .map(|p| ProjectRole { id: p.id, role: p.role })
                .collect(),
        }),
        _ => Err(errors),
    }
}

/// Cautions worth reading before pressing Create (not errors).
pub fn cautions(draft: &CreateDraft) -> Vec<String> {
    let mut out = Vec::new();
    if draft.role.is_elevated() {
        out.push(format!(
            "An {} can manage every service account and project of the organization. Choose it only if the integration must do that.",
            draft.role.label().to_lowercase()
        ));
    }
    if draft.expiry == ExpiryChoice::Never {
        out.push("This account will never expire. A leaked secret then works until someone deletes the account; Mixpanel advises always setting an expiry and rotating.".into());
    }
    let elevated: Vec<&str> =
        draft.projects.iter().filter(|p| p.chosen && p.role.is_elevated()).map(|p| p.name.as_str()).collect();
    if !elevated.is_empty() {
        out.push(format!("Admin or owner in: {}.", elevated.join(", ")));
    }
    out
}

/// Which field a server's 400 text is about, so it is shown next to it.
pub fn field_of_server_message(message: &str) -> Field {
    let m = message.to_lowercase();
    if m.contains("username") || m.contains("name") {
        Field::Name
    } else if m.contains("expire") {
        Field::ExpiryDate
    } else if m.contains("project") {
        Field::Projects
    } else if m.contains("role") {
        Field::Role
    } else {
        Field::Form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_next_to_each_field() {
        let policy = serde_json::from_str::<crate::domain::policy::PolicyConfig>(
            r#"{"require_expiry": true, "max_lifetime_days": 30, "allowed_org_roles": ["consumer"], "name_pattern": "^[a-z-]+$"}"#,
        )
        .unwrap()
        .check()
        .unwrap();
        let now: DateTime<Utc> = "2026-11-24T00:00:00Z".parse().unwrap();
        let body = CreateBody { username: "ETL".into(), role: Role::Admin, expires: None, projects: vec![] };
        let errors = policy_errors(&policy, &body, ExpiryChoice::Never, now);
        assert!(errors.name.as_deref().unwrap().contains("^[a-z-]+$"));
        assert!(errors.role.as_deref().unwrap().contains("consumer"));
        assert!(errors.expires.as_deref().unwrap().contains("requires an expiry"));
        assert_eq!(errors.first(), Some(Field::Name));
        let late = CreateBody { expires: Some("2027-06-01T00:00:00Z".into()), ..body };
        let errors = policy_errors(&policy, &late, ExpiryChoice::Custom, now);
        assert!(errors.expiry_date.as_deref().unwrap().contains("at most 30 days") && errors.expires.is_none());
    }

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:30:00Z".parse().unwrap()
    }

    fn draft(name: &str) -> CreateDraft {
        CreateDraft {
            name: name.into(),
            projects: vec![ProjectChoice::new(100, "Web"), ProjectChoice::new(101, "iOS")],
            ..CreateDraft::default()
        }
    }

    #[test]
    fn defaults_are_least_privilege_and_90_days() {
        let body = validate(&draft("  etl-nightly "), now()).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"username": "etl-nightly", "role": "consumer", "expires": "2027-02-20T12:30:00Z"})
        );
    }

    #[test]
    fn body_carries_chosen_projects_only_and_omits_expiry_for_never() {
        let mut d = draft("etl");
        d.role = Role::Analyst;
        d.expiry = ExpiryChoice::Never;
        d.projects[1].chosen = true;
        d.projects[1].role = Role::Admin;
        d.projects[0].role = Role::Owner; // not chosen: not sent
        assert_eq!(
            serde_json::to_value(validate(&d, now()).unwrap()).unwrap(),
            serde_json::json!({"username": "etl", "role": "analyst", "projects": [{"id": 101, "role": "admin"}]})
        );
    }

    #[test]
    fn name_errors_are_specific() {
        assert_eq!(check_name("   ").unwrap_err(), "Enter a name for the service account.");
        assert_eq!(
            check_name(&"a".repeat(65)).unwrap_err(),
            "The name can be at most 64 characters long; this one has 65."
        );
        assert!(check_name(&"a".repeat(64)).is_ok());
        assert_eq!(
            check_name("etl job.v2").unwrap_err(),
            "The name can contain only letters A–Z, digits, “-” and “_”. Remove: space, “.”."
        );
        assert_eq!(
            check_name("café").unwrap_err(),
            "The name can contain only letters A–Z, digits, “-” and “_”. Remove: “é”."
        );
        assert_eq!(check_name("A_b-9").unwrap(), "A_b-9");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut d = draft("");
        d.expiry = ExpiryChoice::Custom;
        d.custom_date = "2020-01-01".into();
        let errors = validate(&d, now()).unwrap_err();
        assert!(errors.name.is_some() && errors.expiry_date.is_some());
        assert_eq!(errors.first(), Some(Field::Name));
        d.name = "ok".into();
        assert_eq!(validate(&d, now()).unwrap_err().first(), Some(Field::ExpiryDate));
    }

    #[test]
    fn cautions_for_power_and_no_expiry() {
        let mut d = draft("x");
        assert!(cautions(&d).is_empty());
        d.role = Role::Admin;
        d.expiry = ExpiryChoice::Never;
        d.projects[0].chosen = true;
        d.projects[0].role = Role::Owner;
        let c = cautions(&d);
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(c[0].starts_with("An admin can manage"));
        assert!(c[1].contains("never expire"));
        assert_eq!(c[2], "Admin or owner in: Web.");
    }

    #[test]
    fn server_messages_find_their_field() {
        assert_eq!(field_of_server_message("username must be at most 64 characters"), Field::Name);
        assert_eq!(field_of_server_message("expires must be in the future"), Field::ExpiryDate);
        assert_eq!(field_of_server_message("Unknown project 7"), Field::Projects);
        assert_eq!(field_of_server_message("role must be one of owner, admin"), Field::Role);
        assert_eq!(field_of_server_message("The request body is not valid JSON"), Field::Form);
    }
}
