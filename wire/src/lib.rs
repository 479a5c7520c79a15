//! What the console reads from Mixpanel's answers that is hot enough to be
//! compiled for speed: the roles, a project listing's members (scanned in
//! one pass in the common shape, `listing_scan`), and the envelope decoder
//! the others go through; the account list read for
//! names (the matrix's rows); and the ordering of 10,000 account names by
//! name, part of the accounts table's first paint.
//!
//! Why a crate of its own: the app is compiled for size (`opt-level = "z"`,
//! for the first screen's bytes), and an access-matrix load decodes 200
//! listings of 10,000 members each, most of its main-thread time. Generic
//! code is compiled in the crate that names the concrete type, so
//! `member::decode_listing` names `Vec<Member>` here, and the workspace
//! builds this crate with `opt-level = 3` (Cargo.toml). Only lazily fetched
//! pages call it; the first screen's bytes do not change.

pub mod account_name;
pub mod envelope;
pub mod listing_scan;
pub mod member;
pub mod name_order;
pub mod role;
