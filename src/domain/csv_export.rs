//! CSV of the filtered view: quoted as RFC 4180 asks, and safe to open in a
//! spreadsheet (cells that would run as formulas are defused).

use super::csv_text::push_record;
use super::time_format::absolute;
use super::view::Rows;

/// Spreadsheets run a cell starting with these as a formula; a leading `'`
/// makes it plain text.
pub fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub fn accounts_csv(rows: &Rows, indexes: &[usize]) -> String {
    let mut text = String::new();
    let header = ["id", "username", "status", "org_role", "created_utc", "last_used_utc", "expires_utc", "creator"];
    push_record(&mut text, &header);
    for &i in indexes {
        let a = &rows.accounts[i];
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(absolute).unwrap_or_default();
        let record = [
            a.id.to_string(),
            a.username.clone(),
            rows.statuses[i].label().to_string(),
            a.org_role.clone().unwrap_or_default(),
            time(a.created),
            if a.last_used.is_none() { "never".to_string() } else { time(a.last_used) },
            if a.expires.is_none() { "never".to_string() } else { time(a.expires) },
            rows.creator(i).unwrap_or_default().to_string(),
        ];
        let cells = record.map(|c| defuse(&c));
        push_record(&mut text, &cells.each_ref().map(String::as_str));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Account;

    fn account(id: u64, username: &str, creator_name: Option<&str>) -> Account {
        Account {
            id,
            username: username.into(),
            created: Some("2026-01-02T03:04:00Z".parse().unwrap()),
            creator: None,
            creator_email: None,
            creator_name: creator_name.map(str::to_string),
            last_used: None,
            expires: None,
            org_role: None,
            problems: Vec::new(),
        }
    }

    #[test]
    fn quotes_commas_quotes_and_newlines_and_defuses_formulas() {
        let now = "2026-11-22T00:00:00Z".parse().unwrap();
        let rows = Rows::new(
            vec![
                account(1, "plain.abc123.mp-service-account", Some("Ana, \"the\" admin")),
                account(2, "=HYPERLINK(\"x\")", Some("line\nbreak")),
                account(3, "+1", Some("@me")),
                account(4, "-x", None),
            ],
            now,
        );
        let text = accounts_csv(&rows, &[0, 1, 2, 3]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(records[0][1], "plain.abc123.mp-service-account");
        assert_eq!(records[0][2], "Never used");
        assert_eq!(records[0][3], "", "no org role listed");
        assert_eq!(records[0][4], "2026-01-02 03:04 UTC");
        assert_eq!((records[0][5].as_str(), records[0][6].as_str()), ("never", "never"));
        assert_eq!(records[0][7], "Ana, \"the\" admin");
        assert_eq!(records[1][1], "'=HYPERLINK(\"x\")");
        assert_eq!(records[1][7], "line\nbreak");
        assert_eq!((records[2][1].as_str(), records[2][7].as_str()), ("'+1", "'@me"));
        assert_eq!(records[3][1], "'-x");
        assert!(text.starts_with("id,username,status,org_role,created_utc,last_used_utc,expires_utc,creator\n"));
    }

    #[test]
    fn only_the_given_rows_in_the_given_order() {
        let rows =
            Rows::new(vec![account(1, "a", None), account(2, "b", None)], "2026-11-22T00:00:00Z".parse().unwrap());
        let text = accounts_csv(&rows, &[1]);
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().nth(1).unwrap().starts_with("2,b,"));
    }
}
