//! Plain Rust: the console's rules, with no browser or framework in them, so
//! every rule is unit-tested natively.

pub mod account;
pub mod csv_export;
pub mod delete;
pub mod region;
pub mod sign_in;
pub mod status;
pub mod text;
pub mod time_format;
pub mod view;
