//! The organisation's account list read for names only: all the access
//! matrix needs of it, on every load (10,000 accounts, ~2.4 MB), while its
//! listings are still landing. Decoded here, compiled for speed (see the
//! crate's note), like the listings.

use crate::envelope::{decode, DecodeError};
use serde::Deserialize;

/// An account's id and username; every other field of the list is skipped
/// unread (dates and creators decode several times slower than skipped).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AccountName {
    pub id: u64,
    pub username: String,
}

/// The list's accounts, through the envelope: the one place the concrete
/// type is named, so its decoding is compiled in this crate.
pub fn decode_names(body: &str) -> Result<Vec<AccountName>, DecodeError> {
    decode(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_and_usernames_and_skips_the_rest() {
        let body = r#"{"status": "ok", "results": [
            {"id": 7, "username": "etl.1.mp-service-account", "created": "2026-01-02T03:04:05", "creator": null, "role": "admin", "extra": {"nested": [1, 2]}},
            {"username": "b\u00e9.mp-service-account", "id": 8}
        ]}"#;
        let names = decode_names(body).unwrap();
        assert_eq!(
            names,
            vec![
                AccountName { id: 7, username: "etl.1.mp-service-account".into() },
                AccountName { id: 8, username: "bé.mp-service-account".into() },
            ]
        );
    }

    #[test]
    fn an_account_without_a_username_fails_the_list() {
        assert!(decode_names(r#"{"status": "ok", "results": [{"id": 7}]}"#).is_err());
    }
}
