//! The access matrix: accounts × projects with each direct or inherited
//! role, filled one project listing at a time; plus the windowing arithmetic
//! that keeps only what is visible in the DOM.

use super::membership::{grant_plan, revoke_plan, AddBody, RemoveBody};
use super::role::{Access, Role};
use super::sorting::reorder;
use sa_wire::name_order::by_name;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub role: CellRole,
    /// Only direct access is editable per project; a team's or the
    /// organisation's is changed where it comes from.
    pub access: Access,
}

/// A role the console knows, or a custom one (Enterprise roles are free
/// strings), kept by its index in `Matrix::custom_roles` so cells stay `Copy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellRole {
    Known(Role),
    Custom(u16),
}

impl Cell {
    pub fn known(role: Role, access: Access) -> Cell {
        Cell { role: CellRole::Known(role), access }
    }

    pub fn is_direct(self) -> bool {
        self.access == Access::Direct
    }

    /// The role when the console knows it.
    pub fn known_role(self) -> Option<Role> {
        match self.role {
            CellRole::Known(role) => Some(role),
            CellRole::Custom(_) => None,
        }
    }
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
    /// project -> its (account, cell)s, sorted by account id. Not a map per
    /// project: a matrix load fills two million cells, and hashing each
    /// cost more than the binary search of the few hundred cells a window
    /// shows.
    cells: HashMap<u64, Vec<(u64, Cell)>>,
    columns: HashMap<u64, Column>,
    /// Custom role names seen, as written; cells point into this list.
    custom_roles: Vec<String>,
}

impl Matrix {
    pub fn new(accounts: Vec<(u64, String)>, projects: Vec<(u64, String)>) -> Matrix {
        let projects = sorted_by_name(projects);
        let columns = projects.0.iter().map(|(id, _)| (*id, Column::Loading)).collect();
        Matrix {
            accounts: sorted_by_name(accounts).0,
            projects: projects.0,
            cells: HashMap::new(),
            columns,
            custom_roles: Vec::new(),
        }
    }

    /// The rows; the columns loaded so far stay. Sorted beforehand, so a
    /// caller can sort 10,000 names in a task of its own.
    pub fn set_accounts(&mut self, accounts: SortedNames) {
        self.accounts = accounts.0;
    }

    /// Replaces a project's column with what its listing says.
    /// An account listed twice keeps its last cell.
    pub fn set_listing(&mut self, project: u64, members: impl IntoIterator<Item = (u64, Cell)>) {
        let mut cells: Vec<(u64, Cell)> = members.into_iter().collect();
        // Listings come in id order; sorting is for those that do not.
        if !cells.is_sorted_by_key(|(id, _)| *id) {
            cells.sort_by_key(|(id, _)| *id);
        }
        cells.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                *kept = *later;
            }
            same
        });
        self.cells.insert(project, cells);
        self.columns.insert(project, Column::Loaded);
    }

    /// Replaces a project's column from its listing's (account, the role the
    /// console knows it as, the role as written, access): an unknown role is
    /// kept as written. The caller's decoder already knows which role it
    /// read (parsing two million names again was measurable).
    pub fn set_members<'a>(
        &mut self,
        project: u64,
        members: impl IntoIterator<Item = (u64, Option<Role>, &'a str, Access)>,
    ) {
        let cells: Vec<(u64, Cell)> = members
            .into_iter()
            .map(|(id, known, written, access)| {
                let role = match known {
                    Some(known) => CellRole::Known(known),
                    None => CellRole::Custom(self.custom_role(written)),
                };
                (id, Cell { role, access })
            })
            .collect();
        self.set_listing(project, cells);
    }

    fn custom_role(&mut self, name: &str) -> u16 {
        match self.custom_roles.iter().position(|n| n == name) {
            Some(i) => i as u16,
            None => {
                self.custom_roles.push(name.to_string());
                (self.custom_roles.len() - 1) as u16
            }
        }
    }

    /// What a cell's text says (custom roles by their name).
    pub fn text(&self, shown: Shown) -> String {
        match shown {
            Shown::Loaded(Some(Cell { role: CellRole::Custom(i), access })) => {
                let name = self.custom_roles.get(i as usize).map_or("custom role", String::as_str);
                with_access(name, access)
            }
            other => other.text(),
        }
    }

    pub fn set_column(&mut self, project: u64, state: Column) {
        self.columns.insert(project, state);
    }

    pub fn column(&self, project: u64) -> &Column {
        self.columns.get(&project).unwrap_or(&Column::Loading)
    }

    pub fn cell(&self, account: u64, project: u64) -> Option<Cell> {
        let cells = self.cells.get(&project)?;
        cells.binary_search_by_key(&account, |(id, _)| *id).ok().map(|i| cells[i].1)
    }

    /// Direct roles of some accounts in one project, for verification.
    pub fn direct_role(&self, account: u64, project: u64) -> Option<Role> {
        self.cell(account, project).filter(|c| c.is_direct()).and_then(Cell::known_role)
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
    // 10,000 account names on every matrix load: the sort compiled for speed.
    let order = by_name(&names.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), false);
    reorder(&mut names, &order);
    SortedNames(names)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The project's listing has not arrived yet.
    Pending,
    Failed,
    Loaded(Option<Cell>),
}

fn with_access(role: &str, access: Access) -> String {
    match access {
        Access::Direct => role.to_string(),
        Access::Team => format!("{role} (team)"),
        Access::Organization => format!("{role} (org)"),
    }
}

impl Shown {
    /// The text of a cell; a custom role's name comes from `Matrix::text`.
    pub fn text(self) -> String {
        match self {
            Shown::Pending => "…".into(),
            Shown::Failed => "failed".into(),
            Shown::Loaded(Some(c)) => with_access(c.known_role().map_or("custom role", Role::key), c.access),
            Shown::Loaded(None) => "—".into(),
        }
    }

    /// The known role the cell's select shows (`None` = the None option, or
    /// a custom role, which no option names).
    pub fn role(self) -> Option<Role> {
        match self {
            Shown::Loaded(Some(c)) => c.known_role(),
            _ => None,
        }
    }

    /// A role the console does not know is in the cell.
    pub fn custom(self) -> bool {
        matches!(self, Shown::Loaded(Some(Cell { role: CellRole::Custom(_), .. })))
    }

    /// Something is there (known or custom).
    pub fn present(self) -> bool {
        matches!(self, Shown::Loaded(Some(_)))
    }

    /// Only a loaded, direct (or empty) cell can be changed per project.
    pub fn editable(self) -> bool {
        matches!(self, Shown::Loaded(None)) || matches!(self, Shown::Loaded(Some(c)) if c.is_direct())
    }

    /// Access through the organisation or a team.
    pub fn inherited(self) -> bool {
        matches!(self, Shown::Loaded(Some(c)) if !c.is_direct())
    }

    /// Through a team rather than the organisation.
    pub fn through_team(self) -> bool {
        matches!(self, Shown::Loaded(Some(c)) if c.access == Access::Team)
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
    let direct = current.filter(|c| c.is_direct());
    // A custom role is something, so None removes it and a known role replaces it.
    if direct.map(|c| c.role) == to.map(CellRole::Known) {
        return None;
    }
    if direct.is_none() && to.is_none() {
        return None;
    }
    match to {
        Some(role) => grant_plan(&[account], &[(project, role)]).ok().map(Change::Add),
        None => revoke_plan(&[account], &[project]).ok().map(Change::Remove),
    }
}

/// The items to render for a scroll position: exactly those at least partly
/// in view, plus `overscan` either side.
pub fn visible_range(count: usize, offset_px: f64, viewport_px: f64, item_px: f64, overscan: usize) -> Range<usize> {
    if count == 0 || item_px <= 0.0 {
        return 0..0;
    }
    let offset = offset_px.max(0.0);
    let first = (offset / item_px).floor() as usize;
    let end = ((offset + viewport_px.max(0.0)) / item_px).ceil() as usize;
    let start = first.saturating_sub(overscan).min(count);
    start..(end + overscan).min(count).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_without_case_and_equal_names_keep_their_order() {
        let names = vec![(4, "beta".into()), (1, "Alpha".into()), (9, "BETA".into()), (2, "alpha".into())];
        let SortedNames(sorted) = sorted_by_name(names);
        let ids: Vec<u64> = sorted.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [1, 2, 4, 9]);
    }

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
            [(1, Cell::known(Role::Analyst, Access::Direct)), (2, Cell::known(Role::Admin, Access::Organization))],
        );
        m.set_column(101, Column::Failed("HTTP 500".into()));
        assert_eq!(m.progress(), (1, 1, 2));
        assert_eq!(m.direct_role(1, 100), Some(Role::Analyst));
        assert_eq!(m.direct_role(2, 100), None, "inherited is not direct");
        assert_eq!(m.cell(2, 100).and_then(Cell::known_role), Some(Role::Admin));
        m.set_listing(100, [(3, Cell::known(Role::Consumer, Access::Direct))]);
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
            [(1, Cell::known(Role::Analyst, Access::Direct)), (2, Cell::known(Role::Admin, Access::Organization))],
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
        let direct = Some(Cell::known(Role::Analyst, Access::Direct));
        assert_eq!(cell_change(1, 100, direct, Some(Role::Analyst)), None);
        let Some(Change::Add(add)) = cell_change(1, 100, direct, Some(Role::Admin)) else { panic!("an add") };
        assert_eq!((add.service_account_ids, add.projects[0].role), (vec![1], Role::Admin));
        assert!(matches!(cell_change(1, 100, direct, None), Some(Change::Remove(_))));
        assert_eq!(cell_change(1, 100, None, None), None);
        let inherited = Some(Cell::known(Role::Admin, Access::Organization));
        assert!(matches!(cell_change(1, 100, inherited, Some(Role::Admin)), Some(Change::Add(_))));
        let custom = Some(Cell { role: CellRole::Custom(0), access: Access::Direct });
        assert!(matches!(cell_change(1, 100, custom, None), Some(Change::Remove(_))), "None removes a custom role");
        assert!(matches!(cell_change(1, 100, custom, Some(Role::Consumer)), Some(Change::Add(_))));
    }

    #[test]
    fn a_listing_out_of_order_or_listing_an_account_twice_reads_as_a_map_would() {
        let mut m = matrix();
        m.set_listing(
            100,
            [
                (3, Cell::known(Role::Consumer, Access::Direct)),
                (1, Cell::known(Role::Analyst, Access::Direct)),
                (3, Cell::known(Role::Admin, Access::Team)),
            ],
        );
        assert_eq!(m.cell(1, 100), Some(Cell::known(Role::Analyst, Access::Direct)));
        assert_eq!(m.cell(3, 100), Some(Cell::known(Role::Admin, Access::Team)), "the last one listed");
        assert_eq!(m.cell(2, 100), None);
        assert_eq!(m.cell(1, 101), None, "a column not loaded");
    }

    #[test]
    fn custom_roles_and_team_access_are_shown_as_they_are() {
        let mut m = Matrix::new(vec![(1, "a".into()), (2, "b".into())], vec![(100, "P".into())]);
        m.set_members(
            100,
            [(1, None, "Data Steward", Access::Direct), (2, Some(Role::Analyst), "analyst", Access::Team)],
        );
        assert_eq!(m.text(m.shown(1, 100)), "Data Steward");
        assert!(m.shown(1, 100).custom() && m.shown(1, 100).editable() && m.shown(1, 100).role().is_none());
        assert_eq!(m.text(m.shown(2, 100)), "analyst (team)");
        assert!(!m.shown(2, 100).editable() && m.shown(2, 100).through_team());
        assert_eq!(m.direct_role(2, 100), None, "team access is not direct");
    }

    #[test]
    fn windows_cover_the_view_and_clamp() {
        assert_eq!(visible_range(10_000, 0.0, 400.0, 40.0, 5), 0..15);
        assert_eq!(visible_range(10_000, 4000.0, 400.0, 40.0, 5), 95..115);
        // Exactly what is in view without a margin; a row cut at either edge counts.
        assert_eq!(visible_range(10_000, 0.0, 400.0, 40.0, 0), 0..10);
        assert_eq!(visible_range(10_000, 10.0, 400.0, 40.0, 0), 0..11);
        assert_eq!(visible_range(10_000, 40.0, 390.0, 40.0, 0), 1..11);
        assert_eq!(visible_range(10, 4000.0, 400.0, 40.0, 5), 10..10);
        assert_eq!(visible_range(0, 0.0, 400.0, 40.0, 5), 0..0);
    }
}
