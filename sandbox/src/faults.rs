//! Fault injection: rules that add latency or replace an API answer with a
//! failure, switchable at start (`--fault`) and at run time (`/__sandbox/faults`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// 400 with this text: a refusal the console cannot foresee (control API only).
    BadRequest { message: String },
    /// 500 with the error envelope.
    ServerError,
    /// The request is carried out, then answered with a 500: the lost answer
    /// that tempts a client into a duplicate-making retry.
    ServerErrorAfterEffect,
    /// Answered 500 at once; the request is carried out `delay_ms` later: a
    /// write that commits after its answer was lost.
    ServerErrorCommitLater { delay_ms: u64 },
    /// No answer for `seconds` (then a 500): a hung request.
    Hang { seconds: u64 },
    /// 429, with `Retry-After: N` when given.
    RateLimit { retry_after: Option<u64> },
    /// The connection is cut before a response arrives.
    Drop,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
}

/// One rule. `path` is relative to `/api/app`; `*` matches one path segment;
/// no path matches every API route. `times` bounds how often the fault fires.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub fault: Option<Fault>,
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        method_ok && self.path.as_deref().is_none_or(|p| path_matches(p, path))
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

pub fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (p, a): (Vec<_>, Vec<_>) = (segments(pattern).collect(), segments(path).collect());
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| *p == "*" || p == a)
}

/// What the middleware should do for one request.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Decision {
    pub latency_ms: u64,
    pub fault: Option<Fault>,
}

/// Applies the rules to a request: the largest matching latency, and the first
/// matching fault that has uses left (spending one of them).
pub fn decide(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Decision {
    let mut decision = Decision::default();
    for rule in rules.iter_mut().filter(|r| r.matches(method, path)) {
        decision.latency_ms = decision.latency_ms.max(rule.latency_ms);
        if decision.fault.is_none() && rule.fault.is_some() && rule.times != Some(0) {
            decision.fault = rule.fault.clone();
            if let Some(times) = rule.times.as_mut() {
                *times -= 1;
            }
        }
    }
    rules.retain(|r| r.times != Some(0));
    decision
}

/// Parses the command-line form `[METHOD ]PATH=KIND[:N][xTIMES]`, where KIND is
/// `500`, `500after` (carried out, then 500), `500later` (500 now, carried out N ms later), `hang` (no answer
/// for N s, default 600), `429` (N = Retry-After seconds), `drop`, `malformed` or `latency` (N ms).
/// Examples: `GET /me=500`, `/projects/*/service-accounts=429:2x1`, `*=latency:50`.
pub fn parse_spec(spec: &str) -> Result<FaultRule, String> {
    let (target, action) = spec.rsplit_once('=').ok_or_else(|| format!("fault \"{spec}\": expected TARGET=KIND"))?;
    let (method, path) = match target.trim().split_once(' ') {
        Some((m, p)) => (Some(m.to_ascii_uppercase()), p.trim()),
        None => (None, target.trim()),
    };
    let (action, times) = match action.split_once('x') {
        Some((a, t)) => (a, Some(t.parse::<u32>().map_err(|_| format!("fault \"{spec}\": bad count \"{t}\""))?)),
        None => (action, None),
    };
    let (kind, arg) = match action.split_once(':') {
        Some((k, n)) => (k, Some(n.parse::<u64>().map_err(|_| format!("fault \"{spec}\": bad number \"{n}\""))?)),
        None => (action, None),
    };
    let mut rule = FaultRule { method, path: (path != "*").then(|| path.to_string()), times, ..FaultRule::default() };
    match kind {
        "500" => rule.fault = Some(Fault::ServerError),
        "500after" => rule.fault = Some(Fault::ServerErrorAfterEffect),
        "500later" => {
            rule.fault = Some(Fault::ServerErrorCommitLater {
                delay_ms: arg.ok_or_else(|| format!("fault \"{spec}\": 500later needs :MS"))?,
            })
        }
        "hang" => rule.fault = Some(Fault::Hang { seconds: arg.unwrap_or(600) }),
        "429" => rule.fault = Some(Fault::RateLimit { retry_after: arg }),
        "drop" => rule.fault = Some(Fault::Drop),
        "malformed" => rule.fault = Some(Fault::MalformedJson),
        "latency" => rule.latency_ms = arg.ok_or_else(|| format!("fault \"{spec}\": latency needs :MS"))?,
        other => {
            return Err(format!(
            "fault \"{spec}\": unknown kind \"{other}\" (500, 500after, 500later, hang, 429, drop, malformed, latency)"
        ))
        }
    }
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_by_segment() {
        assert!(path_matches("/projects/*/service-accounts", "/projects/12/service-accounts/"));
        assert!(!path_matches("/projects/*/service-accounts", "/projects/12"));
        assert!(path_matches("*", "/me"));
        assert!(!path_matches("/me", "/mee"));
    }

    #[test]
    fn parses_specs() {
        let rule = parse_spec("GET /me=500").unwrap();
        assert_eq!(
            (rule.method.as_deref(), rule.path.as_deref(), rule.fault),
            (Some("GET"), Some("/me"), Some(Fault::ServerError))
        );
        let rule = parse_spec("/projects/*/service-accounts=429:2x1").unwrap();
        assert_eq!(rule.fault, Some(Fault::RateLimit { retry_after: Some(2) }));
        assert_eq!(rule.times, Some(1));
        let rule = parse_spec("*=latency:50").unwrap();
        assert_eq!((rule.path, rule.latency_ms, rule.fault), (None, 50, None));
        assert_eq!(parse_spec("POST /x=500afterx1").unwrap().fault, Some(Fault::ServerErrorAfterEffect));
        assert_eq!(
            parse_spec("POST /x=500later:3000x1").unwrap().fault,
            Some(Fault::ServerErrorCommitLater { delay_ms: 3000 })
        );
        assert!(parse_spec("POST /x=500later").is_err(), "needs a delay");
        assert_eq!(parse_spec("DELETE /x=hang").unwrap().fault, Some(Fault::Hang { seconds: 600 }));
        assert!(parse_spec("/me=teapot").unwrap_err().contains("unknown kind"));
        assert!(parse_spec("/me").is_err());
    }

    #[test]
    fn counted_faults_expire_and_latency_is_the_largest() {
        let mut rules = vec![
            FaultRule { latency_ms: 10, ..FaultRule::default() },
            FaultRule {
                path: Some("/me".into()),
                latency_ms: 30,
                fault: Some(Fault::Drop),
                times: Some(1),
                ..FaultRule::default()
            },
        ];
        assert_eq!(decide(&mut rules, "GET", "/me"), Decision { latency_ms: 30, fault: Some(Fault::Drop) });
        assert_eq!(rules.len(), 1, "spent rule removed");
        assert_eq!(decide(&mut rules, "GET", "/me"), Decision { latency_ms: 10, fault: None });
    }

    #[test]
    fn method_filters() {
        let mut rules = vec![parse_spec("DELETE /organizations/1/service-accounts/*=500").unwrap()];
        assert_eq!(decide(&mut rules, "GET", "/organizations/1/service-accounts/5").fault, None);
        assert_eq!(decide(&mut rules, "DELETE", "/organizations/1/service-accounts/5").fault, Some(Fault::ServerError));
    }
}
