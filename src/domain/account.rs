//! A service account as the console reasons about it.

use chrono::{DateTime, Utc};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// One listed account. Reading never fails on a bad field: a field the
/// console cannot read is left empty and named in `problems`, so one odd row
/// neither sinks a listing of thousands nor throws away a create's secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// 0 when the answer had no readable id (see `is_usable`).
    pub id: u64,
    pub username: String,
    pub created: Option<DateTime<Utc>>,
    pub creator: Option<u64>,
    pub creator_email: Option<String>,
    pub creator_name: Option<String>,
    pub last_used: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    /// The organisation role, as written (list items only; may be a value
    /// the console does not know, shown as it is).
    pub org_role: Option<String>,
    /// Fields that were present but unreadable, e.g. `expires: "soon"`.
    pub problems: Vec<String>,
}

impl Account {
    /// An account the console can act on: it has an id and a username.
    pub fn is_usable(&self) -> bool {
        self.id != 0 && !self.username.is_empty()
    }

    /// Takes the accounts the console cannot act on out of `list`, in place,
    /// keeping the order of both. In place because the list can hold 10,000
    /// accounts of ~200 bytes each: partitioning it into two new vectors
    /// copied every one of them on the accounts table's first paint (~2 ms
    /// natively, where this takes ~0.2).
    pub fn take_unusable(list: &mut Vec<Account>) -> Vec<Account> {
        list.extract_if(.., |a| !a.is_usable()).collect()
    }

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
    if let Some(t) = parse_plain_utc(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    // Zone-less with a fraction or a space: read as RFC 3339 in UTC.
    let (date, time) = text.split_once(['T', ' '])?;
    DateTime::parse_from_rfc3339(&format!("{date}T{time}Z")).ok().map(|t| t.with_timezone(&Utc))
}

/// The two shapes nearly every listed time has, `2026-10-25T06:58:45` and
/// `2026-10-25T06:58:45Z`, read directly: chrono's general parsers were a
/// third of decoding a 10,000-account list. Anything else (fractions,
/// offsets, a space) goes to them; an invalid date is `None` here too.
fn parse_plain_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.strip_suffix('Z').unwrap_or(text).as_bytes();
    let shape_ok = b.len() == 19
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].iter().all(|&i| b[i].is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let n = |from: usize, to: usize| b[from..to].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    let date = chrono::NaiveDate::from_ymd_opt(n(0, 4) as i32, n(5, 7), n(8, 10))?;
    Some(date.and_hms_opt(n(11, 13), n(14, 16), n(17, 19))?.and_utc())
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Id,
    Username,
    Created,
    Creator,
    CreatorEmail,
    CreatorName,
    LastUsed,
    Expires,
    OrgRole,
    #[serde(other)]
    Other,
}

/// Any JSON value, kept only as far as the console can use it.
enum Loose {
    Null,
    Number(u64),
    Text(String),
    /// Anything else (negative or fractional numbers, bools, arrays, objects).
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        Loose::deserialize(d)
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Number(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(u64::try_from(v).map_or(Loose::Other("a negative number"), Loose::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Loose, E> {
        Ok(Loose::Other("a fractional number"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Loose, E> {
        Ok(Loose::Other("true or false"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Text(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Other("a list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other("an object"))
    }
}

impl Loose {
    fn describe(&self) -> String {
        match self {
            Loose::Null => "null".into(),
            Loose::Number(n) => n.to_string(),
            Loose::Text(t) => format!("{t:?}"),
            Loose::Other(what) => (*what).into(),
        }
    }
}

struct AccountVisitor;

impl<'de> Visitor<'de> for AccountVisitor {
    type Value = Account;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a service account object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Account, A::Error> {
        let mut a = Account::default();
        let mut problems = Vec::new();
        while let Some(field) = map.next_key::<Field>()? {
            if let Field::Other = field {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value: Loose = map.next_value()?;
            let (name, ok) = match field {
                Field::Id => ("id", take_number(&value).map(|n| a.id = n).is_some()),
                Field::Username => {
                    ("username", take_text(&value).map(|t| a.username = t.unwrap_or_default()).is_some())
                }
                Field::Created => ("created", take_date(&value).map(|t| a.created = t).is_some()),
                Field::LastUsed => ("last_used", take_date(&value).map(|t| a.last_used = t).is_some()),
                Field::Expires => ("expires", take_date(&value).map(|t| a.expires = t).is_some()),
                Field::Creator => (
                    "creator",
                    matches!(value, Loose::Null) || take_number(&value).map(|n| a.creator = Some(n)).is_some(),
                ),
                Field::CreatorEmail => ("creator_email", take_text(&value).map(|t| a.creator_email = t).is_some()),
                Field::CreatorName => ("creator_name", take_text(&value).map(|t| a.creator_name = t).is_some()),
                Field::OrgRole => ("org_role", take_text(&value).map(|t| a.org_role = t).is_some()),
                Field::Other => unreachable!("skipped above"),
            };
            if !ok {
                problems.push(a_problem(name, &value));
            }
        }
        if a.id == 0 && !problems.iter().any(|p| p.starts_with("id")) {
            problems.push("id: missing".into());
        }
        if a.username.is_empty() && !problems.iter().any(|p| p.starts_with("username")) {
            problems.push("username: missing".into());
        }
        a.problems = problems;
        Ok(a)
    }
}

fn a_problem(name: &str, value: &Loose) -> String {
    format!("{name}: {}", value.describe())
}

fn take_number(value: &Loose) -> Option<u64> {
    match value {
        Loose::Number(n) => Some(*n),
        Loose::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

/// `Some(None)` for null or empty, `Some(Some(text))`, or `None` if unreadable.
fn take_text(value: &Loose) -> Option<Option<String>> {
    match value {
        Loose::Null => Some(None),
        Loose::Text(t) if t.is_empty() => Some(None),
        Loose::Text(t) => Some(Some(t.clone())),
        _ => None,
    }
}

fn take_date(value: &Loose) -> Option<Option<DateTime<Utc>>> {
    match take_text(value)? {
        None => Some(None),
        Some(t) => parse_time(&t).map(Some),
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Account, D::Error> {
        d.deserialize_map(AccountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_times_read_directly_agree_with_chrono() {
        for text in ["2026-10-25T06:58:45", "2026-10-25T06:58:45Z", "2024-02-29T23:59:59Z", "1999-01-01T00:00:00"] {
            let chrono_reads = chrono::NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S")
                .unwrap()
                .and_utc();
            assert_eq!(parse_plain_utc(text), Some(chrono_reads), "{text}");
            assert_eq!(parse_time(text), Some(chrono_reads), "{text}");
        }
        for not_plain in [
            "2026-02-30T00:00:00Z",
            "2026-10-25T24:00:00",
            "2026-10-25 06:58:45",
            "2026-10-25T06:58:45.5Z",
            "2026-10-25T06:58:45+02:00",
            "soon",
            "",
            "2026-1-25T06:58:45Z",
        ] {
            assert_eq!(parse_plain_utc(not_plain), None, "{not_plain}");
        }
        assert_eq!(parse_time("2026-02-30T00:00:00Z"), None, "an invalid date stays invalid");
        assert_eq!(parse_time("2026-10-25T06:58:45+02:00"), Some("2026-10-25T04:58:45Z".parse().unwrap()));
        assert_eq!(parse_time("2026-10-25 06:58:45.5"), Some("2026-10-25T06:58:45.5Z".parse().unwrap()));
    }

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
    fn a_bad_field_is_named_not_fatal() {
        let list: Vec<Account> = serde_json::from_value(json!([
            {"id": 1, "username": "a", "created": "2026-01-02T03:04:05Z", "expires": "soon", "creator": "x"},
            {"username": "no-id", "created": 5},
            {"id": 3, "username": "fine", "created": "2026-01-02T03:04:05", "last_used": null, "org_role": "admin"}
        ]))
        .unwrap();
        assert_eq!(list[0].expires, None);
        assert_eq!(list[0].problems, vec!["creator: \"x\"", "expires: \"soon\""]);
        assert!(list[0].is_usable());
        assert!(!list[1].is_usable());
        assert_eq!(list[1].problems, vec!["created: 5", "id: missing"]);
        assert!(list[2].problems.is_empty() && list[2].is_usable());
        let mut kept = list;
        let taken = Account::take_unusable(&mut kept);
        assert_eq!(kept.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 3], "the usable, in order");
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].problems, vec!["created: 5", "id: missing"]);
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
