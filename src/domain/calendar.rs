//! The expiry calendar: an iCalendar file (RFC 5545) with one event per
//! account that will expire, reminders 30, 7 and 1 day before, and UIDs that
//! stay the same between exports, so a re-import updates instead of
//! duplicating.

use super::account::Account;
use chrono::{DateTime, Utc};

const PRODID: &str = "-//Mixpanel service accounts console//Expiry calendar//EN";

fn stamp(t: DateTime<Utc>) -> String {
    format!("{}Z", super::time_format::compact(t, 'T'))
}

/// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    value.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

/// Lines longer than 75 octets are folded with CRLF + space (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// Every account of `org` that expires after `now`, as a calendar.
pub fn expiry_calendar(accounts: &[&Account], org: u64, org_name: &str, now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(&format!("Service account expiries: {org_name}"))),
    ];
    for a in accounts {
        let Some(at) = a.expires.filter(|at| *at > now) else { continue };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:service-account-{org}-{}@mixpanel-service-accounts-console", a.id),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(at)),
            format!("DTEND:{}", stamp(at)),
            format!("SUMMARY:{}", text(&format!("Service account {} expires", a.username))),
            format!(
                "DESCRIPTION:{}",
                text(&format!(
                    "{} (id {}) in {org_name} stops working at this moment. Rotate it before then: create a replacement, move its integrations, delete the old one.",
                    a.username, a.id
                ))
            ),
            "TRANSP:TRANSPARENT".into(),
        ]);
        for days in [30, 7, 1] {
            lines.extend([
                "BEGIN:VALARM".to_string(),
                "ACTION:DISPLAY".into(),
                format!("TRIGGER:-P{days}D"),
                format!(
                    "DESCRIPTION:{}",
                    text(&format!("{} expires in {days} day{}", a.username, if days == 1 { "" } else { "s" }))
                ),
                "END:VALARM".into(),
            ]);
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: u64, name: &str, expires: Option<&str>) -> Account {
        Account { id, username: name.into(), expires: expires.map(|e| e.parse().unwrap()), ..Account::default() }
    }

    #[test]
    fn one_event_per_future_expiry_with_three_reminders_and_stable_uids() {
        let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().unwrap();
        let a = account(7, "etl,nightly;x.0a1b2c.mp-service-account", Some("2027-01-01T00:00:00Z"));
        let gone = account(8, "old", Some("2026-01-01T00:00:00Z"));
        let never = account(9, "forever", None);
        let cal = expiry_calendar(&[&a, &gone, &never], 1, "Acme", now);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(cal.matches("BEGIN:VEVENT").count(), 1);
        assert_eq!(cal.matches("BEGIN:VALARM").count(), 3);
        assert!(cal.contains("UID:service-account-1-7@mixpanel-service-accounts-console\r\n"));
        assert!(cal.contains("DTSTART:20270101T000000Z\r\n"));
        assert!(cal.contains("TRIGGER:-P30D") && cal.contains("TRIGGER:-P7D") && cal.contains("TRIGGER:-P1D"));
        assert!(cal.contains("SUMMARY:Service account etl\\,nightly\\;x.0a1b2c.mp-service-account expires"));
        assert!(cal.split("\r\n").all(|l| l.len() <= 75), "folded");
        let later = expiry_calendar(&[&a], 1, "Acme", now + chrono::Duration::days(3));
        let uid = |c: &str| c.lines().find(|l| l.starts_with("UID:")).unwrap().to_string();
        assert_eq!(uid(&cal), uid(&later), "a re-export updates the same event");
    }
}
