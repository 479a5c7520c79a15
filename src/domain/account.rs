//! A service account as the console reasons about it.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub id: u64,
    pub username: String,
    #[serde(deserialize_with = "date")]
    pub created: Option<DateTime<Utc>>,
    #[serde(default)]
    pub creator: Option<u64>,
    #[serde(default)]
    pub creator_email: Option<String>,
    #[serde(default)]
    pub creator_name: Option<String>,
    #[serde(default, deserialize_with = "date")]
    pub last_used: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub expires: Option<DateTime<Utc>>,
}

impl Account {
    /// Who created it, in the most readable form the API gave.
    pub fn creator_label(&self) -> Option<String> {
        match (&self.creator_name, &self.creator_email, self.creator) {
            (Some(name), Some(email), _) if !name.is_empty() => Some(format!("{name} <{email}>")),
            (_, Some(email), _) => Some(email.clone()),
            (Some(name), None, _) if !name.is_empty() => Some(name.clone()),
            (_, _, Some(id)) => Some(format!("user {id}")),
            _ => None,
        }
    }
}

/// Parses RFC 3339, or a zone-less ISO date-time taken as UTC (both seen).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|t| t.and_utc())
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(t) => parse_time(t).map(Some).ok_or_else(|| serde::de::Error::custom(format!("not a date-time: {t}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_api_accounts_with_either_time_form() {
        let a: Account = serde_json::from_value(json!({
            "id": 5, "username": "etl.abc123.mp-service-account", "created": "2026-01-02T03:04:05Z",
            "creator": 9, "last_used": null, "expires": "2027-01-01T00:00:00", "user": 77, "unknown": true
        }))
        .unwrap();
        assert_eq!(a.created, Some("2026-01-02T03:04:05Z".parse().unwrap()));
        assert_eq!(a.expires, Some("2027-01-01T00:00:00Z".parse().unwrap()));
        assert_eq!(a.last_used, None);
        assert_eq!(a.creator_label().as_deref(), Some("user 9"));
    }

    #[test]
    fn creator_label_prefers_name_and_email() {
        let mut a: Account = serde_json::from_value(json!({"id": 1, "username": "u", "created": null})).unwrap();
        assert_eq!(a.creator_label(), None);
        a.creator_email = Some("ana@x".into());
        assert_eq!(a.creator_label().as_deref(), Some("ana@x"));
        a.creator_name = Some("Ana".into());
        assert_eq!(a.creator_label().as_deref(), Some("Ana <ana@x>"));
    }
}
