//! The access matrix: accounts × projects with each direct or inherited
//! role, filled one project listing at a time; plus the windowing arithmetic
//! that keeps only what is visible in the DOM.

use super::membership::{grant_plan, revoke_plan, AddBody, RemoveBody};
use super::role::Role;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub role: Role,
    /// `false` when the role comes through the organisation (not editable per project).
    pub direct: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Loading,
    /// Waiting out a 429 before asking again.
    Waiting(u32),
    Loaded,
    Failed(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    /// (id, username), sorted by username.
    pub accounts: Vec<(u64, String)>,
    /// (id, name), sorted by name.
    pub projects: Vec<(u64, String)>,
    /// project -> account -> cell.
    cells: HashMap<u64, HashMap<u64, Cell>>,
    columns: HashMap<u64, Column>,
}

impl Matrix {
    pub fn new(accounts: Vec<(u64, String)>, projects: Vec<(u64, String)>) -> Matrix {
        let projects = sorted_by_name(projects);
        let columns = projects.0.iter().map(|(id, _)| (*id, Column::Loading)).collect();
        Matrix { accounts: sorted_by_name(accounts).0, projects: projects.0, cells: HashMap::new(), columns }
    }

    /// The rows; the columns loaded so far stay. Sorted beforehand, so a
    /// caller can sort 10,000 names in a task of its own.
    pub fn set_accounts(&mut self, accounts: SortedNames) {
        self.accounts = accounts.0;
    }

    /// Replaces a project's column with what its listing says.
    pub fn set_listing(&mut self, project: u64, members: impl IntoIterator<Item = (u64, Cell)>) {
        self.cells.insert(project, members.into_iter().collect());
        self.columns.insert(project, Column::Loaded);
    }

    pub fn set_column(&mut self, project: u64, state: Column) {
        self.columns.insert(project, state);
    }

    pub fn column(&self, project: u64) -> &Column {
        self.columns.get(&project).unwrap_or(&Column::Loading)
    }

    pub fn cell(&self, account: u64, project: u64) -> Option<Cell> {
        self.cells.get(&project)?.get(&account).copied()
    }

    /// Direct roles of some accounts in one project, for verification.
    pub fn direct_role(&self, account: u64, project: u64) -> Option<Role> {
        self.cell(account, project).filter(|c| c.direct).map(|c| c.role)
    }

    /// What one cell shows: small and `Copy`, so the page can compare it and
    /// touch the DOM only for cells whose state changed.
    pub fn shown(&self, account: u64, project: u64) -> Shown {
        match self.column(project) {
            Column::Loading | Column::Waiting(_) => Shown::Pending,
            Column::Failed(_) => Shown::Failed,
            Column::Loaded => Shown::Loaded(self.cell(account, project)),
        }
    }

    /// (loaded, failed, total)
    pub fn progress(&self) -> (usize, usize, usize) {
        let loaded = self.columns.values().filter(|c| **c == Column::Loaded).count();
        let failed = self.columns.values().filter(|c| matches!(c, Column::Failed(_))).count();
        (loaded, failed, self.projects.len())
    }
}

/// Rows or columns in the order the matrix shows them: by name, ignoring case.
pub struct SortedNames(Vec<(u64, String)>);

pub fn sorted_by_name(mut names: Vec<(u64, String)>) -> SortedNames {
    names.sort_by_cached_key(|a| a.1.to_lowercase());
    SortedNames(names)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The project's listing has not arrived yet.
    Pending,
    Failed,
    Loaded(Option<Cell>),
}

impl Shown {
    pub fn text(self) -> String {
        match self {
            Shown::Pending => "…".into(),
            Shown::Failed => "failed".into(),
            Shown::Loaded(Some(c)) if c.direct => c.role.key().into(),
            Shown::Loaded(Some(c)) => format!("{} (org)", c.role.key()),
            Shown::Loaded(None) => "—".into(),
        }
    }

    /// The role the cell's select shows (`None` = the None option).
    pub fn role(self) -> Option<Role> {
        match self {
            Shown::Loaded(Some(c)) => Some(c.role),
            _ => None,
        }
    }

    /// Only a loaded, direct (or empty) cell can be changed per project.
    pub fn editable(self) -> bool {
        matches!(self, Shown::Loaded(None)) || matches!(self, Shown::Loaded(Some(c)) if c.direct)
    }

    pub fn inherited(self) -> bool {
        matches!(self, Shown::Loaded(Some(c)) if !c.direct)
    }
}

/// Indexes of the names containing `query` (case-insensitive), in order.
pub fn matching(names: &[(u64, String)], query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    names
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| q.is_empty() || n.to_lowercase().contains(&q))
        .map(|(i, _)| i)
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Add(AddBody),
    Remove(RemoveBody),
}

/// The one request a cell's select asks for; `None` when nothing changes.
pub fn cell_change(account: u64, project: u64, current: Option<Cell>, to: Option<Role>) -> Option<Change> {
    let now = current.filter(|c| c.direct).map(|c| c.role);
    if now == to {
        return None;
    }
    match to {
        Some(role) => grant_plan(&[account], &[(project, role)]).ok().map(Change::Add),
        None => revoke_plan(&[account], &[project]).ok().map(Change::Remove),
    }
}

/// The items to render for a scroll position: those in view plus `overscan`
/// either side.
pub fn visible_range(count: usize, offset_px: f64, viewport_px: f64, item_px: f64, overscan: usize) -> Range<usize> {
    if count == 0 || item_px <= 0.0 {
        return 0..0;
    }
    let first = (offset_px.max(0.0) / item_px).floor() as usize;
    let shown = (viewport_px.max(0.0) / item_px).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(count);
    let end = (first + shown + overscan).min(count);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix() -> Matrix {
        Matrix::new(
            vec![(2, "beta".into()), (1, "Alpha".into()), (3, "gamma".into())],
            vec![(101, "Web".into()), (100, "android".into())],
        )
    }

    #[test]
    fn fills_column_by_column_and_counts_progress() {
        let mut m = matrix();
        assert_eq!(m.accounts[0].1, "Alpha");
        assert_eq!(m.projects[0].1, "android");
        assert_eq!(m.progress(), (0, 0, 2));
        m.set_listing(
            100,
            [(1, Cell { role: Role::Analyst, direct: true }), (2, Cell { role: Role::Admin, direct: false })],
        );
        m.set_column(101, Column::Failed("HTTP 500".into()));
        assert_eq!(m.progress(), (1, 1, 2));
        assert_eq!(m.direct_role(1, 100), Some(Role::Analyst));
        assert_eq!(m.direct_role(2, 100), None, "inherited is not direct");
        assert_eq!(m.cell(2, 100).map(|c| c.role), Some(Role::Admin));
        m.set_listing(100, [(3, Cell { role: Role::Consumer, direct: true })]);
        assert_eq!(m.cell(1, 100), None, "a new listing replaces the column");
    }

    #[test]
    fn a_cell_shows_its_column_state_then_its_role() {
        let mut m = matrix();
        assert_eq!((m.shown(1, 100), m.shown(1, 100).text()), (Shown::Pending, "…".to_string()));
        m.set_column(101, Column::Failed("HTTP 500".into()));
        assert_eq!(m.shown(1, 101).text(), "failed");
        assert!(!m.shown(1, 101).editable());
        m.set_listing(
            100,
            [(1, Cell { role: Role::Analyst, direct: true }), (2, Cell { role: Role::Admin, direct: false })],
        );
        assert_eq!((m.shown(1, 100).text(), m.shown(1, 100).role()), ("analyst".to_string(), Some(Role::Analyst)));
        assert!(m.shown(1, 100).editable());
        assert_eq!(m.shown(2, 100).text(), "admin (org)");
        assert!(m.shown(2, 100).inherited() && !m.shown(2, 100).editable());
        assert_eq!((m.shown(3, 100).text(), m.shown(3, 100).role()), ("—".to_string(), None));
        assert!(m.shown(3, 100).editable());
    }

    #[test]
    fn filters_by_name() {
        let m = matrix();
        assert_eq!(matching(&m.accounts, "A"), vec![0, 1, 2]);
        assert_eq!(matching(&m.accounts, " gam "), vec![2]);
        assert_eq!(matching(&m.projects, "web"), vec![1]);
    }

    #[test]
    fn a_cell_change_is_one_add_or_one_remove() {
        let direct = Some(Cell { role: Role::Analyst, direct: true });
        assert_eq!(cell_change(1, 100, direct, Some(Role::Analyst)), None);
        let Some(Change::Add(add)) = cell_change(1, 100, direct, Some(Role::Admin)) else { panic!("an add") };
        assert_eq!((add.service_account_ids, add.projects[0].role), (vec![1], Role::Admin));
        assert!(matches!(cell_change(1, 100, direct, None), Some(Change::Remove(_))));
        assert_eq!(cell_change(1, 100, None, None), None);
        let inherited = Some(Cell { role: Role::Admin, direct: false });
        assert!(matches!(cell_change(1, 100, inherited, Some(Role::Admin)), Some(Change::Add(_))));
    }

    #[test]
    fn windows_cover_the_view_and_clamp() {
        assert_eq!(visible_range(10_000, 0.0, 400.0, 40.0, 5), 0..16);
        assert_eq!(visible_range(10_000, 4000.0, 400.0, 40.0, 5), 95..116);
        assert_eq!(visible_range(10, 4000.0, 400.0, 40.0, 5), 10..10);
        assert_eq!(visible_range(0, 0.0, 400.0, 40.0, 5), 0..0);
    }
}
