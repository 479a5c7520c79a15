//! Times as people read them: relative ("3 days ago", "in 12 days") with the
//! absolute UTC time available on hover.

use chrono::{DateTime, Utc};

pub fn absolute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
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
}
