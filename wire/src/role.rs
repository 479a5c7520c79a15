//! The four roles, used both as an organisation role and as a project role.

use serde::Serialize;

/// Ordered by privilege: `Consumer < Analyst < Admin < Owner`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The default everywhere: least privilege.
    #[default]
    Consumer,
    Analyst,
    Admin,
    Owner,
}

/// How a membership was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Per project: copied by a rotation, editable.
    Direct,
    /// Through a team: the team's, not the account's; not copied.
    Team,
    /// Through the organisation role: comes with the org role.
    Organization,
}

/// A role as the admin reads it: a known one by its label, any other
/// (Enterprise custom roles are free strings) exactly as the API wrote it.
pub fn role_label(text: &str) -> String {
    Role::parse(text).map_or_else(|| text.to_string(), |r| r.label().to_string())
}

impl Role {
    /// Least privilege first: the order of every role select.
    pub const ALL: [Role; 4] = [Role::Consumer, Role::Analyst, Role::Admin, Role::Owner];

    /// The API's spelling.
    pub fn key(self) -> &'static str {
        match self {
            Role::Consumer => "consumer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Consumer => "Consumer",
            Role::Analyst => "Analyst",
            Role::Admin => "Admin",
            Role::Owner => "Owner",
        }
    }

    /// Accepts the API's spelling in any case; `None` for anything else
    /// (including `no role`).
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key().eq_ignore_ascii_case(text.trim()))
    }

    /// Admin and owner can manage service accounts and memberships: granting
    /// them deserves a second look.
    pub fn is_elevated(self) -> bool {
        self >= Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_roles_are_shown_as_written() {
        assert_eq!(role_label("admin"), "Admin");
        assert_eq!(role_label("Data Steward"), "Data Steward");
    }

    #[test]
    fn parses_and_orders() {
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("no role"), None);
        assert!(Role::Owner > Role::Admin && Role::Admin > Role::Analyst && Role::Analyst > Role::Consumer);
        assert!(Role::Admin.is_elevated() && !Role::Analyst.is_elevated());
        assert_eq!(serde_json::to_string(&Role::Analyst).unwrap(), "\"analyst\"");
    }
}
