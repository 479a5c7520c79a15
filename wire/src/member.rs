//! One entry of a project's member listing, read without an allocation for
//! what the console knows: an access-matrix load reads two million of them
//! (10,000 accounts × 200 projects), and two `String`s each were a quarter
//! of its decoding time.

use crate::envelope::{decode, DecodeError};
use crate::role::{Access, Role};
use serde::de::{Deserializer, Error, Visitor};
use serde::Deserialize;
use std::fmt;

/// A project listing's members, through the envelope: the one place the
/// concrete type is named, so its decoding is compiled in this crate, for
/// speed (see the crate's note).
pub fn decode_listing(body: &str) -> Result<Vec<Member>, DecodeError> {
    // The common shape in one pass; anything else through serde_json.
    match crate::listing_scan::scan_listing(body) {
        Some(members) => Ok(members),
        None => decode(body),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Member {
    pub id: u64,
    pub role: ListedRole,
    /// `individual`, `team` or `organization` (access through the org role);
    /// missing on the public page's shape.
    #[serde(default)]
    pub target_type: Option<Target>,
}

impl Member {
    /// Direct memberships can be changed per project; inherited ones cannot.
    pub fn is_direct(&self) -> bool {
        matches!(self.target_type, None | Some(Target::Individual))
    }

    /// The role as the console's type; `None` for a role it does not know.
    pub fn role(&self) -> Option<Role> {
        self.role.known()
    }

    /// How the matrix shows the access: through a team, through the
    /// organisation, or else direct (a missing `target_type`, as on the
    /// public page's shape, and one the console does not know).
    pub fn access(&self) -> Access {
        match self.target_type {
            Some(Target::Team) => Access::Team,
            Some(Target::Organization) => Access::Organization,
            _ => Access::Direct,
        }
    }
}

/// A role as the listing wrote it: one of the four keys exactly, or any other
/// text (an Enterprise custom role, or a known one spelt otherwise), kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListedRole {
    Key(Role),
    Other(Box<str>),
}

impl ListedRole {
    /// Exactly as the listing wrote it.
    pub fn as_str(&self) -> &str {
        match self {
            ListedRole::Key(role) => role.key(),
            ListedRole::Other(text) => text,
        }
    }

    /// The role the console knows it as (case and spaces aside), if any.
    pub fn known(&self) -> Option<Role> {
        match self {
            ListedRole::Key(role) => Some(*role),
            ListedRole::Other(text) => Role::parse(text),
        }
    }
}

impl From<&str> for ListedRole {
    fn from(text: &str) -> ListedRole {
        match Role::ALL.into_iter().find(|r| r.key() == text) {
            Some(role) => ListedRole::Key(role),
            None => ListedRole::Other(text.into()),
        }
    }
}

/// `target_type`: the three the API documents, and any other value (read as
/// not direct, since the console cannot tell what it is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Individual,
    Team,
    Organization,
    Other,
}

impl From<&str> for Target {
    fn from(text: &str) -> Target {
        match text {
            "individual" => Target::Individual,
            "team" => Target::Team,
            "organization" => Target::Organization,
            _ => Target::Other,
        }
    }
}

/// Reads a JSON string through `From<&str>`, borrowing the text where the
/// input allows (no `String` made for a value that is dropped at once).
struct FromText<T>(std::marker::PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for FromText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from(text))
    }
}

impl<'de> Deserialize<'de> for ListedRole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(FromText(std::marker::PhantomData))
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(FromText(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Member {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn known_keys_and_other_roles_read_as_written() {
        let m = read(r#"{"id": 7, "role": "admin", "target_type": "individual", "email": "x"}"#);
        assert_eq!((m.id, m.role.as_str(), m.role(), m.is_direct()), (7, "admin", Some(Role::Admin), true));
        let custom = read(r#"{"id": 8, "role": "Data Steward", "target_type": "team"}"#);
        assert_eq!((custom.role.as_str(), custom.role(), custom.access()), ("Data Steward", None, Access::Team));
        // A known role spelt otherwise is kept as written and still known.
        let spelt = read(r#"{"id": 9, "role": " Owner "}"#);
        assert_eq!((spelt.role.as_str(), spelt.role()), (" Owner ", Some(Role::Owner)));
    }

    #[test]
    fn target_types_read_as_the_matrix_and_rotation_need() {
        let missing = read(r#"{"id": 1, "role": "analyst"}"#);
        assert!(missing.is_direct() && missing.access() == Access::Direct);
        let org = read(r#"{"id": 1, "role": "admin", "target_type": "organization"}"#);
        assert!(!org.is_direct() && org.access() == Access::Organization);
        // Unknown: never copied by a rotation; shown as the matrix always did.
        let other = read(r#"{"id": 1, "role": "admin", "target_type": "group"}"#);
        assert!(!other.is_direct() && other.access() == Access::Direct);
        let null = read(r#"{"id": 1, "role": "admin", "target_type": null}"#);
        assert!(null.is_direct());
    }

    #[test]
    fn a_listing_is_read_through_the_envelope() {
        let body = r#"{"status": "ok", "results": [{"id": 3, "role": "owner", "username": "x"}]}"#;
        let listing = decode_listing(body).unwrap();
        assert_eq!((listing[0].id, listing[0].role()), (3, Some(Role::Owner)));
        assert!(matches!(decode_listing(r#"{"status": "error", "error": "no"}"#), Err(DecodeError::Refused(_))));
    }

    #[test]
    fn a_role_that_is_not_text_is_a_decoding_error() {
        assert!(serde_json::from_str::<Member>(r#"{"id": 1, "role": 3}"#).is_err());
    }

    #[test]
    fn an_escaped_role_is_read_too() {
        // serde_json hands escaped text over as an owned buffer, not a borrow.
        let m = read(r#"{"id": 1, "role": "Data \"Steward\"", "target_type": "te\u0061m"}"#);
        assert_eq!((m.role.as_str(), m.access()), ("Data \"Steward\"", Access::Team));
    }
}
