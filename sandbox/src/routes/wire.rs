//! Accounts and project members as the API writes them, typed and borrowed
//! from the store. Listings of a big organisation run to megabytes and are
//! written while the store is locked, so they skip `serde_json::Value` trees
//! and chrono's general-purpose formatter.

use crate::model::{Account, Role};
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// An instant as the API writes it: RFC 3339 in UTC, whole seconds
/// (`2026-01-31T09:05:00Z`).
#[derive(Clone, Copy, Debug)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    fn write(&self, out: &mut [u8; 20]) {
        let t = self.0;
        let year = t.year().clamp(0, 9999) as u32;
        let digits = |out: &mut [u8], value: u32| {
            let mut value = value;
            for slot in out.iter_mut().rev() {
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        digits(&mut out[0..4], year);
        out[4] = b'-';
        digits(&mut out[5..7], t.month());
        out[7] = b'-';
        digits(&mut out[8..10], t.day());
        out[10] = b'T';
        digits(&mut out[11..13], t.hour());
        out[13] = b':';
        digits(&mut out[14..16], t.minute());
        out[16] = b':';
        digits(&mut out[17..19], t.second());
        out[19] = b'Z';
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = [0u8; 20];
        self.write(&mut text);
        serializer.serialize_str(std::str::from_utf8(&text).expect("ASCII digits and separators"))
    }
}

/// An instant written without its offset (`2026-07-03T09:21:27`), as the
/// generated spec's plain date strings allow and `/me` was seen to send: UTC.
#[derive(Clone, Copy, Debug)]
pub struct LocalTimestamp(pub DateTime<Utc>);

impl Serialize for LocalTimestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = [0u8; 20];
        Timestamp(self.0).write(&mut text);
        serializer.serialize_str(std::str::from_utf8(&text[..19]).expect("ASCII digits and separators"))
    }
}

/// A service account as the API returns it; `org_role` only in the
/// organisation's list (the generated spec has it there alone).
pub struct AccountItem<'a>(&'a Account, bool);

impl<'a> AccountItem<'a> {
    /// The list's shape: with `org_role` (in service written by `kept`).
    #[cfg(test)]
    pub fn listed(a: &'a Account) -> AccountItem<'a> {
        AccountItem(a, true)
    }
}

impl AccountItem<'_> {
    /// The account's fields, shared by the account and the member shapes.
    fn fields<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        let a = self.0;
        out.serialize_field("id", &a.id)?;
        out.serialize_field("username", &a.username)?;
        // Every fifth account's creation time comes without an offset.
        if a.id.is_multiple_of(5) {
            out.serialize_field("created", &LocalTimestamp(a.created))?;
        } else {
            out.serialize_field("created", &Timestamp(a.created))?;
        }
        out.serialize_field("creator", &a.creator)?;
        out.serialize_field("last_used", &a.last_used.map(Timestamp))?;
        out.serialize_field("expires", &a.expires.map(Timestamp))?;
        out.serialize_field("user", &a.user)?;
        if let Some(email) = &a.creator_email {
            out.serialize_field("creator_email", email)?;
        }
        if let Some(name) = &a.creator_name {
            out.serialize_field("creator_name", name)?;
        }
        if self.1 {
            out.serialize_field("org_role", a.role.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for AccountItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ServiceAccount", 10)?;
        self.fields(&mut out)?;
        out.end()
    }
}

impl<'a> From<&'a Account> for AccountItem<'a> {
    fn from(a: &'a Account) -> AccountItem<'a> {
        AccountItem(a, false)
    }
}

/// A project member as the API lists it: the account's fields plus the role.
pub struct MemberItem<'a> {
    account: AccountItem<'a>,
    role: Role,
    /// A custom (Enterprise) role's name instead of `role`'s.
    role_name: Option<&'static str>,
    target_type: &'static str,
}

impl<'a> MemberItem<'a> {
    pub fn new(a: &'a Account, role: Role, target_type: &'static str) -> MemberItem<'a> {
        MemberItem { account: AccountItem(a, false), role, role_name: None, target_type }
    }

    pub fn with_role_name(self, name: &'static str) -> MemberItem<'a> {
        MemberItem { role_name: Some(name), ..self }
    }

    pub fn account(&self) -> &'a Account {
        self.account.0
    }

    /// The role as written: a custom role's name, or the role's key.
    pub fn role_text(&self) -> &'static str {
        self.role_name.unwrap_or(self.role.as_str())
    }

    pub fn target_type(&self) -> &'static str {
        self.target_type
    }

    pub fn role_order(&self) -> u32 {
        self.role.id()
    }
}

impl Serialize for MemberItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ProjectMember", 14)?;
        self.account.fields(&mut out)?;
        out.serialize_field("role", self.role_text())?;
        out.serialize_field("hasSensitiveAccess", &false)?;
        out.serialize_field("target_type", self.target_type)?;
        out.serialize_field("role_order", &self.role_order())?;
        out.serialize_field("email", &self.account.0.email())?;
        out.end()
    }
}

/// `{"status": "ok", "results": [...]}` by serde: the reference the kept
/// texts' listings are tested against (`kept`), which write it in service.
#[cfg(test)]
#[derive(Serialize)]
pub struct Listing<T: Serialize> {
    status: &'static str,
    results: Vec<T>,
}

#[cfg(test)]
impl<T: Serialize> Listing<T> {
    pub fn ok(results: Vec<T>) -> Listing<T> {
        Listing { status: "ok", results }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, TimeZone};

    #[test]
    fn timestamps_match_rfc3339_in_whole_seconds() {
        for t in [
            Utc.with_ymd_and_hms(2026, 1, 31, 9, 5, 0).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2031, 7, 4, 0, 0, 7).unwrap() + chrono::Duration::milliseconds(600),
        ] {
            let written = serde_json::to_string(&Timestamp(t)).unwrap();
            assert_eq!(written, format!("\"{}\"", t.to_rfc3339_opts(SecondsFormat::Secs, true)));
        }
    }
}
