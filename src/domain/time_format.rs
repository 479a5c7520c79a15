//! Times as people read them: relative ("3 days ago", "in 12 days") with the
//! absolute UTC time available on hover. Fixed forms are written and read
//! here, not through chrono's format strings: its `strftime` formatter and
//! general parser were ~20 KB of wasm for six fixed patterns.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// `2026-11-22 12:00 UTC`.
pub fn absolute(t: DateTime<Utc>) -> String {
    format!("{} {:02}:{:02} UTC", iso_date(t.date_naive()), t.hour(), t.minute())
}

/// `2026-11-22`, the form date inputs use.
pub fn iso_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `20261122` + `between` + `120000`: file names and iCalendar stamps.
pub fn compact(t: DateTime<Utc>, between: char) -> String {
    let d = t.date_naive();
    format!("{:04}{:02}{:02}{between}{:02}{:02}{:02}", d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())
}

/// Reads `YYYY-MM-DD` (month and day may have one digit); `None` for
/// anything else or a day that does not exist.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let mut number = |digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        let part = parts.next()?;
        if !digits.contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (number(4..=4)?, number(1..=2)?, number(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn unit(n: i64, name: &str) -> String {
    format!("{n} {name}{}", if n == 1 { "" } else { "s" })
}

pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (t - now).num_seconds();
    let span = seconds.abs();
    if span < 60 {
        return "just now".into();
    }
    let amount = match span {
        s if s < 3_600 => unit(s / 60, "minute"),
        s if s < 86_400 => unit(s / 3_600, "hour"),
        s if s < 86_400 * 60 => unit(s / 86_400, "day"),
        s if s < 86_400 * 730 => unit(s / (86_400 * 30), "month"),
        s => unit(s / (86_400 * 365), "year"),
    };
    if seconds < 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn past_and_future_read_naturally() {
        let now: DateTime<Utc> = "2026-11-22T12:00:00Z".parse().unwrap();
        assert_eq!(relative(now - Duration::seconds(5), now), "just now");
        assert_eq!(relative(now - Duration::minutes(1), now), "1 minute ago");
        assert_eq!(relative(now - Duration::hours(5), now), "5 hours ago");
        assert_eq!(relative(now - Duration::days(3), now), "3 days ago");
        assert_eq!(relative(now + Duration::days(12) + Duration::hours(1), now), "in 12 days");
        assert_eq!(relative(now - Duration::days(100), now), "3 months ago");
        assert_eq!(relative(now + Duration::days(800), now), "in 2 years");
        assert_eq!(absolute(now), "2026-11-22 12:00 UTC");
    }

    #[test]
    fn fixed_forms_write_and_read() {
        let t: DateTime<Utc> = "2026-01-02T03:04:05Z".parse().unwrap();
        assert_eq!(absolute(t), "2026-01-02 03:04 UTC");
        assert_eq!(iso_date(t.date_naive()), "2026-01-02");
        assert_eq!(compact(t, 'T'), "20260102T030405");
        assert_eq!(compact(t, '-'), "20260102-030405");
        assert_eq!(parse_iso_date("2026-01-02"), Some(t.date_naive()));
        assert_eq!(parse_iso_date("2026-1-2"), Some(t.date_naive()));
        for bad in [
            "",
            "2026",
            "2026-01",
            "2026-01-02-03",
            "26-01-02",
            "2026-13-01",
            "2026-02-30",
            "2026-0a-01",
            "+2026-01-02",
            "2026-01-02 ",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad:?}");
        }
    }
}
