//! Deliberate deletion: what the admin must type, and what happened to each account.

/// The text that unlocks Delete: the username for one account, `delete N` for several.
pub fn confirmation_phrase(usernames: &[String]) -> String {
    match usernames {
        [one] => one.clone(),
        many => format!("delete {}", many.len()),
    }
}

pub fn is_confirmed(typed: &str, phrase: &str) -> bool {
    !phrase.is_empty() && typed.trim() == phrase
}

/// The outcome of deleting several accounts one request at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteReport {
    pub deleted: Vec<u64>,
    /// (id, username, what went wrong)
    pub failed: Vec<(u64, String, String)>,
}

impl DeleteReport {
    pub fn summary(&self) -> String {
        let done = match self.deleted.len() {
            1 => "Deleted 1 service account.".to_string(),
            n => format!("Deleted {n} service accounts."),
        };
        match self.failed.len() {
            0 => done,
            n => format!("{done} {n} could not be deleted; they are still there:"),
        }
    }
}

/// An account to delete: (id, username).
pub type Target = (u64, String);

/// The order a bulk delete runs in: every other account first, the
/// signed-in one last (deleting it first would turn the rest into 401s).
pub fn delete_order(targets: Vec<Target>, signed_in_as: &str) -> (Vec<Target>, Option<Target>) {
    let (own, others): (Vec<_>, Vec<_>) = targets.into_iter().partition(|(_, u)| u == signed_in_as);
    (others, own.into_iter().next())
}

/// Whether a delete report removed the signed-in account.
pub fn deleted_self(report: &DeleteReport, own: Option<u64>) -> bool {
    own.is_some_and(|id| report.deleted.contains(&id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_in_account_goes_last() {
        let targets = vec![(1, "a".to_string()), (2, "me".to_string()), (3, "b".to_string())];
        let (others, own) = delete_order(targets, "me");
        assert_eq!(others, vec![(1, "a".to_string()), (3, "b".to_string())]);
        assert_eq!(own, Some((2, "me".to_string())));
        let report = DeleteReport { deleted: vec![1, 2], failed: vec![] };
        assert!(deleted_self(&report, Some(2)));
        assert!(!deleted_self(&report, Some(3)) && !deleted_self(&report, None));
    }

    #[test]
    fn one_account_asks_for_its_username_several_for_a_count() {
        assert_eq!(confirmation_phrase(&["etl.abc123.mp-service-account".into()]), "etl.abc123.mp-service-account");
        assert_eq!(confirmation_phrase(&["a".into(), "b".into(), "c".into()]), "delete 3");
        assert!(is_confirmed(" delete 3 ", "delete 3"));
        assert!(!is_confirmed("delete 2", "delete 3"));
        assert!(!is_confirmed("", ""));
    }

    #[test]
    fn report_summaries() {
        let mut report = DeleteReport { deleted: vec![1], failed: vec![] };
        assert_eq!(report.summary(), "Deleted 1 service account.");
        report.deleted.push(2);
        report.failed.push((3, "c".into(), "boom".into()));
        assert_eq!(report.summary(), "Deleted 2 service accounts. 1 could not be deleted; they are still there:");
    }
}
