//! After a create: did Mixpanel apply the expiry the console asked for? The
//! generated spec's create has no `expires` field (extra fields are accepted,
//! so it may be silently dropped), hence the answer is compared with the ask.

use super::account::parse_time;
use super::time_format::absolute;
use chrono::{DateTime, Duration, Utc};

/// How far the answer's expiry may be from the asked one (rounding, clocks).
const TOLERANCE_SECONDS: i64 = 60;

/// What the admin must be told when the answer differs from the ask; `None`
/// when it matches (or when no expiry was asked and none came back).
pub fn expiry_warning(asked: Option<&str>, answered: Option<DateTime<Utc>>) -> Option<String> {
    let asked = asked.and_then(parse_time);
    match (asked, answered) {
        (None, None) => None,
        (Some(_), None) => Some(
            "Mixpanel did not apply the expiry: this account never expires. Rotate or delete it when it is no longer needed, or set a reminder."
                .to_string(),
        ),
        (Some(a), Some(b)) if (a - b).abs() <= Duration::seconds(TOLERANCE_SECONDS) => None,
        (Some(_), Some(b)) => Some(format!(
            "Mixpanel did not apply the expiry that was asked for: this account expires {} instead.",
            absolute(b)
        )),
        (None, Some(b)) => Some(format!("No expiry was asked for, but Mixpanel set one: this account expires {}.", absolute(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_matching_answer_needs_no_word() {
        assert_eq!(expiry_warning(Some("2027-01-01T00:00:00Z"), Some(t("2027-01-01T00:00:30Z"))), None);
        assert_eq!(expiry_warning(None, None), None);
    }

    #[test]
    fn an_ignored_or_different_expiry_is_said_plainly() {
        let never = expiry_warning(Some("2027-01-01T00:00:00Z"), None).unwrap();
        assert!(never.contains("did not apply the expiry") && never.contains("never expires"), "{never}");
        let other = expiry_warning(Some("2027-01-01T00:00:00Z"), Some(t("2027-01-01T00:02:00Z"))).unwrap();
        assert!(other.contains("expires 2027-01-01 00:02 UTC instead"), "{other}");
        assert!(expiry_warning(None, Some(t("2027-01-01T00:00:00Z"))).unwrap().contains("Mixpanel set one"));
    }
}
