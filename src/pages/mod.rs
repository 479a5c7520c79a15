//! One file per route; thin: they wire domain, api and components together.

pub mod overview;
pub mod sign_in;
