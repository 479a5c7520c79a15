//! Plain Rust: the console's rules, with no browser or framework in them, so
//! every rule is unit-tested natively.

pub mod region;
pub mod sign_in;
