//! An organisation's rules for its service accounts, from `config.json`'s
//! `policy` (every key optional: a missing key means no rule). Validated when
//! loaded: a bad value is reported, never ignored.

use super::role::Role;
use super::sorting::sort_stable_by_key;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// As written in `config.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    pub max_lifetime_days: Option<i64>,
    pub require_expiry: Option<bool>,
    pub allowed_org_roles: Option<Vec<String>>,
    pub name_pattern: Option<String>,
    pub stale_after_days: Option<i64>,
    pub expiring_within_days: Option<i64>,
    pub never_used_grace_days: Option<i64>,
}

/// The checked policy.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub max_lifetime_days: Option<i64>,
    pub require_expiry: bool,
    pub allowed_org_roles: Option<Vec<Role>>,
    /// The pattern as written (for messages) and compiled.
    pub name_pattern: Option<(String, regex_lite::Regex)>,
    pub stale_after_days: i64,
    pub expiring_within_days: i64,
    pub never_used_grace_days: i64,
}

impl PartialEq for Policy {
    fn eq(&self, other: &Self) -> bool {
        self.max_lifetime_days == other.max_lifetime_days
            && self.require_expiry == other.require_expiry
            && self.allowed_org_roles == other.allowed_org_roles
            && self.name_pattern.as_ref().map(|p| &p.0) == other.name_pattern.as_ref().map(|p| &p.0)
            && self.stale_after_days == other.stale_after_days
            && self.expiring_within_days == other.expiring_within_days
            && self.never_used_grace_days == other.never_used_grace_days
    }
}

/// Defaults when the policy does not set them (the console's long-standing thresholds).
pub const DEFAULT_STALE_DAYS: i64 = 90;
pub const DEFAULT_EXPIRING_DAYS: i64 = 14;
pub const DEFAULT_NEVER_USED_GRACE_DAYS: i64 = 7;

impl PolicyConfig {
    /// Checks every value; the errors name the key and what is wrong.
    pub fn check(self) -> Result<Policy, Vec<String>> {
        let compiled = self.name_pattern.clone().map(|p| compile_pattern(&p).map(|re| (p, re)));
        match (self.check_values(), compiled) {
            (Ok((mut policy, _)), Some(Ok(pattern))) => {
                policy.name_pattern = Some(pattern);
                Ok(policy)
            }
            (Ok((policy, _)), None) => Ok(policy),
            (Ok(_), Some(Err(e))) => Err(vec![e]),
            (Err(mut errors), compiled) => {
                errors.extend(compiled.and_then(Result::err));
                Err(errors)
            }
        }
    }

    /// Checks every value but the name pattern, which comes back as written
    /// (the policy holds none yet). Kept apart so the first screen, which
    /// checks config.json, does not carry the regex engine: that is compiled
    /// by `check`, in the pages that use the pattern (see config::load).
    pub fn check_values(self) -> Result<(Policy, Option<String>), Vec<String>> {
        let mut errors = Vec::new();
        let days = |key: &str, value: Option<i64>, errors: &mut Vec<String>| match value {
            Some(n) if !(1..=36_500).contains(&n) => {
                errors.push(format!("policy.{key} must be a whole number of days from 1 to 36500 (got {n})"));
                None
            }
            other => other,
        };
        let max_lifetime_days = days("max_lifetime_days", self.max_lifetime_days, &mut errors);
        let stale = days("stale_after_days", self.stale_after_days, &mut errors);
        let expiring = days("expiring_within_days", self.expiring_within_days, &mut errors);
        let grace = days("never_used_grace_days", self.never_used_grace_days, &mut errors);
        let allowed_org_roles = self.allowed_org_roles.map(|roles| {
            roles
                .iter()
                .filter_map(|r| {
                    let parsed = Role::parse(r);
                    if parsed.is_none() {
                        errors.push(format!(
                            "policy.allowed_org_roles has \"{r}\", which is not owner, admin, analyst or consumer"
                        ));
                    }
                    parsed
                })
                .collect::<Vec<Role>>()
        });
        if allowed_org_roles.as_ref().is_some_and(Vec::is_empty) && errors.is_empty() {
            errors.push("policy.allowed_org_roles is empty: no account could be created".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let policy = Policy {
            max_lifetime_days,
            require_expiry: self.require_expiry.unwrap_or(false),
            allowed_org_roles,
            name_pattern: None,
            stale_after_days: stale.unwrap_or(DEFAULT_STALE_DAYS),
            expiring_within_days: expiring.unwrap_or(DEFAULT_EXPIRING_DAYS),
            never_used_grace_days: grace.unwrap_or(DEFAULT_NEVER_USED_GRACE_DAYS),
        };
        Ok((policy, self.name_pattern))
    }
}

/// The name pattern compiled, or the error config.json's check reports.
pub fn compile_pattern(pattern: &str) -> Result<regex_lite::Regex, String> {
    regex_lite::Regex::new(pattern).map_err(|e| format!("policy.name_pattern is not a valid pattern ({e})"))
}

impl Policy {
    /// The console's defaults: no rule, the long-standing thresholds.
    pub fn none() -> Policy {
        Policy {
            stale_after_days: DEFAULT_STALE_DAYS,
            expiring_within_days: DEFAULT_EXPIRING_DAYS,
            never_used_grace_days: DEFAULT_NEVER_USED_GRACE_DAYS,
            ..Policy::default()
        }
    }

    /// The status thresholds this policy sets.
    pub fn thresholds(&self) -> super::status::Thresholds {
        super::status::Thresholds { expiring_days: self.expiring_within_days, stale_days: self.stale_after_days }
    }

    /// The role a rotation preselects: the old one when allowed, else the
    /// highest allowed role below it, else the lowest allowed one.
    pub fn compliant_role(&self, role: Role) -> Role {
        let Some(allowed) = self.allowed_org_roles.as_ref().filter(|a| !a.is_empty()) else { return role };
        if allowed.contains(&role) {
            return role;
        }
        let mut sorted = allowed.clone();
        sort_stable_by_key(&mut sorted, |r| *r);
        sorted.iter().rev().find(|r| **r < role).or(sorted.first()).copied().unwrap_or(role)
    }

    /// The expiry a rotation preselects: 90 days when the policy allows it,
    /// else 30 days, else a custom date at the maximum (as `YYYY-MM-DD`).
    pub fn compliant_expiry(&self, now: DateTime<Utc>) -> (super::expiry::ExpiryChoice, String) {
        use super::expiry::ExpiryChoice;
        match self.max_lifetime_days {
            Some(max) if max < 30 => {
                (ExpiryChoice::Custom, super::time_format::iso_date((now + Duration::days(max)).date_naive()))
            }
            Some(max) if max < 90 => (ExpiryChoice::Days30, String::new()),
            _ => (ExpiryChoice::Days90, String::new()),
        }
    }

    /// The refusal for an expiry (`None` = never), quoting the rule.
    pub fn check_expiry(&self, expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<String> {
        match (expires, self.max_lifetime_days) {
            (None, _) if self.require_expiry => {
                Some("Your organization's policy requires an expiry: choose a date, not Never.".into())
            }
            (None, Some(max)) => {
                Some(format!("Your organization's policy allows at most {max} days: choose an expiry, not Never."))
            }
            (Some(at), Some(max)) if at > now + Duration::days(max) + Duration::minutes(1) => Some(format!(
                "Your organization's policy allows at most {max} days: choose an expiry within {max} days."
            )),
            _ => None,
        }
    }

    /// The refusal for an organisation role, quoting the allowed ones.
    pub fn check_org_role(&self, role: Role) -> Option<String> {
        let allowed = self.allowed_org_roles.as_ref()?;
        (!allowed.contains(&role)).then(|| {
            let names: Vec<&str> = allowed.iter().map(|r| r.key()).collect();
            format!("Your organization's policy allows only these organization roles: {}.", names.join(", "))
        })
    }

    /// The refusal for a given name, quoting the pattern.
    pub fn check_name(&self, name: &str) -> Option<String> {
        let (pattern, re) = self.name_pattern.as_ref()?;
        (!re.is_match(name)).then(|| format!("Your organization's policy requires names matching {pattern}."))
    }

    /// Whether a role counts as elevated under this policy: admin or owner,
    /// or outside the allowed ones.
    pub fn is_elevated(&self, role: &str) -> bool {
        match Role::parse(role) {
            Some(r) if r.is_elevated() => true,
            Some(r) => self.allowed_org_roles.as_ref().is_some_and(|a| !a.contains(&r)),
            None => self.allowed_org_roles.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(json: &str) -> Result<Policy, Vec<String>> {
        serde_json::from_str::<PolicyConfig>(json).map_err(|e| vec![e.to_string()])?.check()
    }

    #[test]
    fn every_key_is_optional_and_checked() {
        assert_eq!(policy("{}").unwrap(), Policy { require_expiry: false, ..Policy::none() });
        let errors =
            policy(r#"{"max_lifetime_days": 0, "allowed_org_roles": ["boss"], "name_pattern": "(["}"#).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("max_lifetime_days") && errors[1].contains("boss") && errors[2].contains("name_pattern")
        );
        assert!(policy(r#"{"max_lifetme_days": 5}"#).is_err(), "a misspelt key is not silently ignored");
    }

    #[test]
    fn rules_refuse_with_the_rule_quoted() {
        let p = policy(
            r#"{"max_lifetime_days": 365, "require_expiry": true, "allowed_org_roles": ["consumer", "analyst"], "name_pattern": "^[a-z][a-z0-9-]{2,40}$"}"#,
        )
        .unwrap();
        let now: DateTime<Utc> = "2026-11-24T00:00:00Z".parse().unwrap();
        assert!(p.check_expiry(None, now).unwrap().contains("requires an expiry"));
        assert!(p.check_expiry(Some(now + Duration::days(400)), now).unwrap().contains("at most 365 days"));
        assert_eq!(p.check_expiry(Some(now + Duration::days(365)), now), None);
        assert!(p.check_org_role(Role::Admin).unwrap().contains("consumer, analyst"));
        assert_eq!(p.check_org_role(Role::Analyst), None);
        assert!(p.check_name("Bad_Name").unwrap().contains("^[a-z][a-z0-9-]{2,40}$"));
        assert_eq!(p.check_name("etl-nightly"), None);
        assert!(p.is_elevated("admin") && p.is_elevated("Data Steward") && !p.is_elevated("analyst"));
        assert_eq!(p.compliant_role(Role::Owner), Role::Analyst, "the highest allowed below");
        assert_eq!(p.compliant_role(Role::Consumer), Role::Consumer);
        assert_eq!(p.compliant_expiry(now).0, crate::domain::expiry::ExpiryChoice::Days90);
        let short = policy(r#"{"max_lifetime_days": 10}"#).unwrap();
        assert_eq!(
            short.compliant_expiry(now),
            (crate::domain::expiry::ExpiryChoice::Custom, "2026-12-04".to_string())
        );
        assert_eq!(
            policy(r#"{"max_lifetime_days": 60}"#).unwrap().compliant_expiry(now).0,
            crate::domain::expiry::ExpiryChoice::Days30
        );
        let lax = Policy::none();
        assert_eq!(lax.check_expiry(None, now), None);
        assert!(!lax.is_elevated("Data Steward"));
    }
}
