//! What lives in the URL: the organisation (`org`) and each page's view, so a
//! link opens the same view and survives a reload (the credential does not).

use crate::domain::project_names::ProjectNames;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The organisation in view: `?org=` when it names one of the admin's
/// organisations, else the only one they have.
pub fn use_org() -> Memo<Option<u64>> {
    let session = expect_context::<Session>();
    let query = use_query_map();
    Memo::new(move |_| {
        let me = session.me()?;
        let asked = query.with(|q| q.get("org")).and_then(|o| o.parse::<u64>().ok());
        match (asked, me.organizations.as_slice()) {
            (Some(id), _) if me.organization(id).is_some() => Some(id),
            (_, [only]) => Some(only.id),
            _ => None,
        }
    })
}

/// The organisation's projects, built once for the component that asks.
pub fn use_project_names(org: u64) -> StoredValue<ProjectNames> {
    let session = expect_context::<Session>();
    let list = session.me().map(|m| m.projects_of(org).map(|p| (p.id, p.name.clone())).collect()).unwrap_or_default();
    StoredValue::new(ProjectNames::new(list))
}

/// `path?k=v&...` with values percent-encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v)))).collect();
    format!("{path}?{}", query.join("&"))
}

pub fn accounts_href(org: u64) -> String {
    format!("/accounts?org={org}")
}

pub fn account_href(org: u64, id: u64) -> String {
    format!("/accounts/{id}?org={org}")
}

pub fn new_account_href(org: u64) -> String {
    format!("/accounts/new?org={org}")
}
