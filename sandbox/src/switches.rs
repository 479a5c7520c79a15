//! Where Mixpanel's two descriptions (or its observed behaviour) differ, the
//! sandbox plays the generated spec by default and a switch plays the other.
//! Set at start (CLI) or at run time (`GET/POST /__sandbox/switches`).

use serde::{Deserialize, Serialize};

/// Which methods `remove-from-project` answers; the other gets a 405.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoveMethod {
    /// The public page.
    Post,
    /// The generated spec.
    Delete,
    #[default]
    Both,
}

impl RemoveMethod {
    pub fn allows(self, method: &str) -> bool {
        match self {
            RemoveMethod::Post => method.eq_ignore_ascii_case("POST"),
            RemoveMethod::Delete => method.eq_ignore_ascii_case("DELETE"),
            RemoveMethod::Both => true,
        }
    }

    pub fn parse(text: &str) -> Result<RemoveMethod, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "post" => Ok(RemoveMethod::Post),
            "delete" => Ok(RemoveMethod::Delete),
            "both" => Ok(RemoveMethod::Both),
            other => Err(format!("remove method \"{other}\": expected post, delete or both")),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Switches {
    pub remove_method: RemoveMethod,
    /// Create ignores `expires` (the generated spec's create has no such
    /// field and accepts extra ones): the account never expires.
    pub create_ignores_expires: bool,
    /// CORS as Mixpanel's hosts answer: `Access-Control-Allow-Origin: *`,
    /// allowed headers `authorization, content-type`, nothing exposed (so
    /// `Retry-After` is unreadable), instead of reflecting the origin.
    pub mixpanel_cors: bool,
    /// `/me` answers after this many seconds.
    pub me_delay_seconds: u64,
    /// Listings show custom project roles (Enterprise) for some members.
    pub unknown_roles: bool,
}

/// A partial update from the control API: only the keys given change.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SwitchesUpdate {
    pub remove_method: Option<RemoveMethod>,
    pub create_ignores_expires: Option<bool>,
    pub mixpanel_cors: Option<bool>,
    pub me_delay_seconds: Option<u64>,
    pub unknown_roles: Option<bool>,
}

impl Switches {
    pub fn apply(&mut self, update: SwitchesUpdate) {
        if let Some(v) = update.remove_method {
            self.remove_method = v;
        }
        if let Some(v) = update.create_ignores_expires {
            self.create_ignores_expires = v;
        }
        if let Some(v) = update.mixpanel_cors {
            self.mixpanel_cors = v;
        }
        if let Some(v) = update.me_delay_seconds {
            self.me_delay_seconds = v;
        }
        if let Some(v) = update.unknown_roles {
            self.unknown_roles = v;
        }
    }
}

/// The custom role an `unknown_roles` sandbox gives some members.
pub const CUSTOM_ROLE: &str = "Data Steward";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_generated_spec_and_updates_are_partial() {
        let mut s = Switches::default();
        assert_eq!(s.remove_method, RemoveMethod::Both);
        assert!(RemoveMethod::Delete.allows("DELETE") && !RemoveMethod::Delete.allows("POST"));
        assert!(RemoveMethod::Both.allows("POST") && RemoveMethod::Both.allows("DELETE"));
        s.apply(serde_json::from_str(r#"{"remove_method": "delete", "me_delay_seconds": 3}"#).unwrap());
        assert_eq!((s.remove_method, s.me_delay_seconds, s.create_ignores_expires), (RemoveMethod::Delete, 3, false));
        assert_eq!(RemoveMethod::parse("POST"), Ok(RemoveMethod::Post));
        assert!(RemoveMethod::parse("put").is_err());
    }
}
