//! The accounts table's view: search, status filter and sort, kept in the URL
//! query. Sorting and filtering work on indexes into plain data: a keystroke
//! rescans precomputed lower-case names and never re-sorts.

use super::account::Account;
use super::sorting::sort_positions;
use super::status::{Status, StatusClock, Thresholds};
use chrono::{DateTime, Utc};
use sa_wire::name_order::{by_name, caseless};
use std::cmp::Ordering;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Username,
    Status,
    OrgRole,
    Created,
    LastUsed,
    Expires,
    Creator,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Username,
        Column::Status,
        Column::OrgRole,
        Column::Created,
        Column::LastUsed,
        Column::Expires,
        Column::Creator,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Column::Username => "username",
            Column::Status => "status",
            Column::OrgRole => "org_role",
            Column::Created => "created",
            Column::LastUsed => "last_used",
            Column::Expires => "expires",
            Column::Creator => "creator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Username => "Username",
            Column::Status => "Status",
            Column::OrgRole => "Organization role",
            Column::Created => "Created",
            Column::LastUsed => "Last used",
            Column::Expires => "Expires",
            Column::Creator => "Creator",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewQuery {
    pub search: String,
    pub status: Option<Status>,
    /// The organisation role filter, lower-case (`role=` in the URL).
    pub org_role: Option<String>,
    pub sort: Column,
    pub direction: Direction,
}

impl Default for ViewQuery {
    fn default() -> Self {
        ViewQuery {
            search: String::new(),
            status: None,
            org_role: None,
            sort: Column::Username,
            direction: Direction::Asc,
        }
    }
}

impl ViewQuery {
    /// Reads `q`, `status`, `sort` and `dir`; unknown values fall back to defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> ViewQuery {
        ViewQuery {
            search: get("q").unwrap_or_default(),
            status: get("status").as_deref().and_then(Status::from_key),
            org_role: get("role").map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty()),
            sort: get("sort").as_deref().and_then(Column::from_key).unwrap_or(Column::Username),
            direction: if get("dir").as_deref() == Some("desc") { Direction::Desc } else { Direction::Asc },
        }
    }

    /// The non-default parts, as query pairs (defaults stay out of the URL).
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.search.is_empty() {
            params.push(("q", self.search.clone()));
        }
        if let Some(status) = self.status {
            params.push(("status", status.key().to_string()));
        }
        if let Some(role) = &self.org_role {
            params.push(("role", role.clone()));
        }
        if self.sort != Column::Username {
            params.push(("sort", self.sort.key().to_string()));
        }
        if self.direction == Direction::Desc {
            params.push(("dir", "desc".to_string()));
        }
        params
    }

    /// A header click: the same column flips direction; another starts ascending.
    pub fn sorted_by(&self, column: Column) -> ViewQuery {
        let direction = match (self.sort == column, self.direction) {
            (true, Direction::Asc) => Direction::Desc,
            _ => Direction::Asc,
        };
        ViewQuery { sort: column, direction, ..self.clone() }
    }
}

/// Accounts with what filtering and sorting need. Statuses are computed with
/// the list; the creators' labels and the search text (one string per
/// account, 10,000 allocations) on first use: a first search or a sort by
/// creator, not the first paint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub accounts: Vec<Account>,
    pub statuses: Vec<Status>,
    search_text: OnceLock<Vec<String>>,
    creators: OnceLock<Vec<Option<String>>>,
}

impl Rows {
    pub fn new(accounts: Vec<Account>, now: DateTime<Utc>) -> Rows {
        Rows::with_thresholds(accounts, now, Thresholds::default())
    }

    /// With the organisation policy's "expiring soon" and "stale" days.
    pub fn with_thresholds(accounts: Vec<Account>, now: DateTime<Utc>, thresholds: Thresholds) -> Rows {
        let clock = StatusClock::new(now, thresholds);
        let statuses = accounts.iter().map(|a| clock.status(a)).collect();
        Rows { accounts, statuses, search_text: OnceLock::new(), creators: OnceLock::new() }
    }

    fn creators(&self) -> &[Option<String>] {
        self.creators.get_or_init(|| self.accounts.iter().map(Account::creator_label).collect())
    }

    fn search_text(&self) -> &[String] {
        self.search_text.get_or_init(|| {
            self.accounts
                .iter()
                .zip(self.creators())
                .map(|(a, c)| search_text_of(&a.username, c.as_deref().unwrap_or_default()))
                .collect()
        })
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    pub fn creator(&self, index: usize) -> Option<&str> {
        self.creators().get(index).and_then(|c| c.as_deref())
    }

    /// The same rows less the given ids (after a delete), order kept.
    pub fn without(&self, ids: &std::collections::HashSet<u64>) -> Rows {
        let keep: Vec<usize> = (0..self.len()).filter(|&i| !ids.contains(&self.accounts[i].id)).collect();
        Rows {
            accounts: keep.iter().map(|&i| self.accounts[i].clone()).collect(),
            statuses: keep.iter().map(|&i| self.statuses[i]).collect(),
            search_text: OnceLock::new(),
            creators: OnceLock::new(),
        }
    }

    pub fn position(&self, id: u64) -> Option<usize> {
        self.accounts.iter().position(|a| a.id == id)
    }
}

/// "username\ncreator", lower-cased, in one allocation: nearly every name
/// is ASCII, lower-cased in place instead of through Unicode's tables (this
/// runs for every account of a list, inside the first paint's budget).
fn search_text_of(username: &str, creator: &str) -> String {
    let mut text = String::with_capacity(username.len() + 1 + creator.len());
    text.push_str(username);
    text.push('\n');
    text.push_str(creator);
    if text.is_ascii() {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

/// Present values first, in the asked direction; missing values last, always.
fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>, direction: Direction) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match direction {
            Direction::Asc => a.cmp(&b),
            Direction::Desc => b.cmp(&a),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Every index, sorted by one column; ties keep the list's order (the index
/// breaks them, which makes the faster unstable sort a stable one).
pub fn sorted_indexes(rows: &Rows, column: Column, direction: Direction) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let a = &rows.accounts;
    if column == Column::Username {
        // The default sort, so part of every list's first paint.
        let names: Vec<&str> = a.iter().map(|account| account.username.as_str()).collect();
        return by_name(&names, direction == Direction::Desc);
    }
    if column == Column::OrgRole {
        // Each role normalised once, not twice per comparison.
        let keys: Vec<Option<(u8, String)>> = a.iter().map(|account| role_rank(&account.org_role)).collect();
        sort_positions(&mut order, &|x, y| nulls_last(keys[x].as_ref(), keys[y].as_ref(), direction));
        return order;
    }
    sort_positions(&mut order, &|x, y| column_order(rows, a, column, direction, x, y));
    order
}

fn column_order(rows: &Rows, a: &[Account], column: Column, direction: Direction, x: usize, y: usize) -> Ordering {
    match column {
        Column::Username => nulls_last(Some(caseless(&a[x].username)), Some(caseless(&a[y].username)), direction),
        Column::Status => nulls_last(Some(rows.statuses[x]), Some(rows.statuses[y]), direction),
        Column::OrgRole => nulls_last(role_rank(&a[x].org_role), role_rank(&a[y].org_role), direction),

        Column::Created => nulls_last(a[x].created, a[y].created, direction),
        Column::LastUsed => nulls_last(a[x].last_used, a[y].last_used, direction),
        Column::Expires => nulls_last(a[x].expires, a[y].expires, direction),
        Column::Creator => nulls_last(rows.creator(x), rows.creator(y), direction),
    }
}

/// Sorting by organisation role: highest first when descending; a role the
/// console does not know sorts after the known ones, by its text.
fn role_rank(role: &Option<String>) -> Option<(u8, String)> {
    let text = role.as_deref()?.trim().to_lowercase();
    let rank = match text.as_str() {
        "consumer" => 0,
        "analyst" => 1,
        "admin" => 2,
        "owner" => 3,
        _ => 4,
    };
    Some((rank, text))
}

/// The organisation roles present, with how many accounts hold each, in
/// role order (known ones first), for the filter.
pub fn org_role_counts(rows: &Rows) -> Vec<(String, usize)> {
    // Count the roles as written first (a handful of distinct values), then
    // normalise each distinct one: one allocation per role, not per account.
    // A short list searched in turn, not a hash map: with four or five
    // distinct values, comparing a role with them costs less than hashing it
    // (10,000 accounts: ~0.1 ms against ~0.6 natively, on the first paint).
    let mut written: Vec<(&str, usize)> = Vec::new();
    for role in rows.accounts.iter().filter_map(|a| a.org_role.as_deref()) {
        match written.iter_mut().find(|(seen, _)| *seen == role) {
            Some((_, n)) => *n += 1,
            None => written.push((role, 1)),
        }
    }
    let mut counts: std::collections::BTreeMap<(u8, String), usize> = Default::default();
    for (role, n) in written {
        if let Some(key) = role_rank(&Some(role.to_string())) {
            *counts.entry(key).or_default() += n;
        }
    }
    counts.into_iter().map(|((_, role), n)| (role, n)).collect()
}

/// The sorted indexes that pass the search (case-insensitive substring of the
/// username or creator), the status and the organisation role filters, in
/// sorted order.
pub fn filtered_indexes(
    rows: &Rows,
    sorted: &[usize],
    search: &str,
    status: Option<Status>,
    org_role: Option<&str>,
) -> Vec<usize> {
    let needle = search.trim().to_lowercase();
    let text = if needle.is_empty() { &[][..] } else { rows.search_text() };
    sorted
        .iter()
        .copied()
        .filter(|&i| status.is_none_or(|s| rows.statuses[i] == s))
        .filter(|&i| {
            org_role.is_none_or(|r| rows.accounts[i].org_role.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(r)))
        })
        .filter(|&i| needle.is_empty() || text[i].contains(&needle))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:00:00Z".parse().unwrap()
    }

    fn account(id: u64, name: &str, used_days_ago: Option<i64>, expires_days: Option<i64>) -> Account {
        Account {
            id,
            username: name.into(),
            created: Some(now() - Duration::days(id as i64)),
            creator: None,
            creator_email: (id == 2).then(|| "zed@acme.example".to_string()),
            creator_name: None,
            last_used: used_days_ago.map(|d| now() - Duration::days(d)),
            expires: expires_days.map(|d| now() + Duration::days(d)),
            org_role: match id {
                1 => Some("Data Steward".into()),
                2 => Some("admin".into()),
                _ => None,
            },
            problems: Vec::new(),
        }
    }

    fn rows() -> Rows {
        Rows::new(
            vec![
                account(1, "ETL-nightly", Some(1), None),
                account(2, "billing", None, Some(5)),
                account(3, "alerts", Some(120), Some(300)),
                account(4, "crm-etl", Some(2), Some(-1)),
            ],
            now(),
        )
    }

    fn names(rows: &Rows, idx: &[usize]) -> Vec<String> {
        idx.iter().map(|&i| rows.accounts[i].username.clone()).collect()
    }

    #[test]
    fn query_round_trips_through_the_url_and_omits_defaults() {
        assert!(ViewQuery::default().to_params().is_empty());
        let q = ViewQuery {
            search: "etl".into(),
            status: Some(Status::Stale),
            org_role: Some("data steward".into()),
            sort: Column::LastUsed,
            direction: Direction::Desc,
        };
        let params = q.to_params();
        let back = ViewQuery::from_params(|k| params.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone()));
        assert_eq!(back, q);
        let junk = ViewQuery::from_params(|k| Some(format!("junk-{k}")));
        assert_eq!((junk.status, junk.sort, junk.direction), (None, Column::Username, Direction::Asc));
    }

    #[test]
    fn header_clicks_toggle_direction() {
        let q = ViewQuery::default().sorted_by(Column::Username);
        assert_eq!(q.direction, Direction::Desc);
        assert_eq!(q.sorted_by(Column::Username).direction, Direction::Asc);
        assert_eq!(
            q.sorted_by(Column::Created),
            ViewQuery { sort: Column::Created, direction: Direction::Asc, ..q.clone() }
        );
    }

    #[test]
    fn search_is_a_case_insensitive_substring_including_creator() {
        let r = rows();
        assert!(r.search_text.get().is_none(), "built on the first search, not with the list");
        let sorted = sorted_indexes(&r, Column::Username, Direction::Asc);
        assert_eq!(names(&r, &filtered_indexes(&r, &sorted, " Etl ", None, None)), ["crm-etl", "ETL-nightly"]);
        assert_eq!(names(&r, &filtered_indexes(&r, &sorted, "ZED@", None, None)), ["billing"]);
        assert_eq!(names(&r, &filtered_indexes(&r, &sorted, "etl", Some(Status::Expired), None)), ["crm-etl"]);
        assert!(filtered_indexes(&r, &sorted, "nothing", None, None).is_empty());
    }

    #[test]
    fn every_column_sorts_with_nulls_last_both_ways() {
        let r = rows();
        let by = |c, d| names(&r, &sorted_indexes(&r, c, d));
        assert_eq!(by(Column::Username, Direction::Asc), ["alerts", "billing", "crm-etl", "ETL-nightly"]);
        assert_eq!(by(Column::Username, Direction::Desc), ["ETL-nightly", "crm-etl", "billing", "alerts"]);
        assert_eq!(by(Column::Status, Direction::Asc), ["crm-etl", "billing", "alerts", "ETL-nightly"]);
        assert_eq!(by(Column::Created, Direction::Asc), ["crm-etl", "alerts", "billing", "ETL-nightly"]);
        assert_eq!(by(Column::LastUsed, Direction::Asc), ["alerts", "crm-etl", "ETL-nightly", "billing"]);
        assert_eq!(by(Column::LastUsed, Direction::Desc), ["ETL-nightly", "crm-etl", "alerts", "billing"]);
        assert_eq!(by(Column::Expires, Direction::Desc), ["alerts", "billing", "crm-etl", "ETL-nightly"]);
        assert_eq!(by(Column::Creator, Direction::Asc)[0], "billing");
        assert_eq!(by(Column::OrgRole, Direction::Desc), ["ETL-nightly", "billing", "alerts", "crm-etl"]);
        assert_eq!(by(Column::OrgRole, Direction::Asc), ["billing", "ETL-nightly", "alerts", "crm-etl"]);
    }

    #[test]
    fn org_roles_filter_and_count_unknown_ones_as_written() {
        let r = rows();
        let sorted = sorted_indexes(&r, Column::Username, Direction::Asc);
        assert_eq!(names(&r, &filtered_indexes(&r, &sorted, "", None, Some("admin"))), ["billing"]);
        assert_eq!(names(&r, &filtered_indexes(&r, &sorted, "", None, Some("data steward"))), ["ETL-nightly"]);
        assert_eq!(
            org_role_counts(&r),
            vec![("admin".to_string(), 1), ("data steward".to_string(), 1)],
            "known roles first, then unknown ones; missing ones not counted"
        );
    }

    #[test]
    fn without_drops_ids_and_keeps_order() {
        let r = rows();
        let less = r.without(&[2, 4].into_iter().collect());
        assert_eq!(less.accounts.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(less.statuses, vec![r.statuses[0], r.statuses[2]]);
        assert_eq!(filtered_indexes(&less, &[0, 1], "etl", None, None), vec![0]);
    }

    #[test]
    fn sorting_is_stable() {
        let r = Rows::new((1..=5).map(|i| account(i, "same", None, None)).collect(), now());
        assert_eq!(sorted_indexes(&r, Column::LastUsed, Direction::Desc), vec![0, 1, 2, 3, 4]);
        assert_eq!(sorted_indexes(&r, Column::Username, Direction::Desc), vec![0, 1, 2, 3, 4]);
        assert_eq!(sorted_indexes(&r, Column::Username, Direction::Asc), vec![0, 1, 2, 3, 4]);
    }
}
