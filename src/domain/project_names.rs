//! An organisation's projects by id, in the order `/me` sorted them (by
//! name): the one map every page and dialog that names projects uses.

use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectNames {
    ordered: Vec<(u64, String)>,
    by_id: HashMap<u64, String>,
}

impl ProjectNames {
    pub fn new(ordered: Vec<(u64, String)>) -> ProjectNames {
        let by_id = ordered.iter().cloned().collect();
        ProjectNames { ordered, by_id }
    }

    pub fn ids(&self) -> Vec<u64> {
        self.ordered.iter().map(|p| p.0).collect()
    }

    pub fn list(&self) -> &[(u64, String)] {
        &self.ordered
    }

    /// The project's name, or its id when `/me` did not list it.
    pub fn name(&self, id: u64) -> String {
        self.by_id.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_id_with_the_id_as_fallback() {
        let names = ProjectNames::new(vec![(3, "Web".into()), (1, "API".into())]);
        assert_eq!(names.ids(), vec![3, 1]);
        assert_eq!(names.name(1), "API");
        assert_eq!(names.name(9), "9");
    }
}
