//! When a new account expires: a preset, a chosen date, or never.

use super::time_format::{iso_date, parse_iso_date};
use chrono::{DateTime, Duration, SecondsFormat, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExpiryChoice {
    Days30,
    /// The default: long enough for an integration, short enough to force rotation.
    #[default]
    Days90,
    Year1,
    Custom,
    Never,
}

impl ExpiryChoice {
    pub const ALL: [ExpiryChoice; 5] =
        [ExpiryChoice::Days30, ExpiryChoice::Days90, ExpiryChoice::Year1, ExpiryChoice::Custom, ExpiryChoice::Never];

    pub fn key(self) -> &'static str {
        match self {
            ExpiryChoice::Days30 => "30d",
            ExpiryChoice::Days90 => "90d",
            ExpiryChoice::Year1 => "1y",
            ExpiryChoice::Custom => "custom",
            ExpiryChoice::Never => "never",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExpiryChoice::Days30 => "30 days",
            ExpiryChoice::Days90 => "90 days",
            ExpiryChoice::Year1 => "1 year",
            ExpiryChoice::Custom => "Custom date",
            ExpiryChoice::Never => "Never",
        }
    }

    pub fn from_key(key: &str) -> Option<ExpiryChoice> {
        ExpiryChoice::ALL.into_iter().find(|c| c.key() == key)
    }

    fn preset_days(self) -> Option<i64> {
        match self {
            ExpiryChoice::Days30 => Some(30),
            ExpiryChoice::Days90 => Some(90),
            ExpiryChoice::Year1 => Some(365),
            ExpiryChoice::Custom | ExpiryChoice::Never => None,
        }
    }
}

/// The instant the account stops working, or `None` for never.
/// A custom date is taken as the start of that day in UTC (said next to the
/// field), and must lie in the future.
pub fn expiry_instant(
    choice: ExpiryChoice,
    custom_date: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    if let Some(days) = choice.preset_days() {
        return Ok(Some(now + Duration::days(days)));
    }
    if choice == ExpiryChoice::Never {
        return Ok(None);
    }
    let text = custom_date.trim();
    if text.is_empty() {
        return Err("Choose the date on which the account expires.".into());
    }
    let date = parse_iso_date(text).ok_or_else(|| format!("\"{text}\" is not a date; use the form YYYY-MM-DD."))?;
    let instant = date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    if instant <= now {
        return Err(format!(
            "The expiry date must lie in the future: the earliest is {}.",
            iso_date(now.date_naive() + Duration::days(1))
        ));
    }
    Ok(Some(instant))
}

/// The API's date-time form: RFC 3339 in UTC, whole seconds.
pub fn api_timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:30:00Z".parse().unwrap()
    }

    #[test]
    fn presets_count_from_now() {
        let at = |c| expiry_instant(c, "", now()).unwrap().map(api_timestamp);
        assert_eq!(at(ExpiryChoice::Days30).as_deref(), Some("2026-12-22T12:30:00Z"));
        assert_eq!(at(ExpiryChoice::Days90).as_deref(), Some("2027-02-20T12:30:00Z"));
        assert_eq!(at(ExpiryChoice::Year1).as_deref(), Some("2027-11-22T12:30:00Z"));
        assert_eq!(at(ExpiryChoice::Never), None);
        assert_eq!(ExpiryChoice::default(), ExpiryChoice::Days90);
    }

    #[test]
    fn custom_dates_must_be_real_and_future() {
        let custom = |d| expiry_instant(ExpiryChoice::Custom, d, now());
        assert_eq!(custom("2027-03-01").unwrap().map(api_timestamp).as_deref(), Some("2027-03-01T00:00:00Z"));
        assert_eq!(custom(" ").unwrap_err(), "Choose the date on which the account expires.");
        assert_eq!(custom("2027-02-30").unwrap_err(), "\"2027-02-30\" is not a date; use the form YYYY-MM-DD.");
        let past = "The expiry date must lie in the future: the earliest is 2026-11-23.";
        assert_eq!(custom("2026-11-22").unwrap_err(), past);
        assert_eq!(custom("2020-01-01").unwrap_err(), past);
        assert!(custom("2026-11-23").is_ok());
    }

    #[test]
    fn keys_round_trip() {
        for c in ExpiryChoice::ALL {
            assert_eq!(ExpiryChoice::from_key(c.key()), Some(c));
        }
        assert_eq!(ExpiryChoice::from_key("5y"), None);
    }
}
