//! One file per route; thin: they wire domain, api and components together.

pub mod account_detail;
pub mod accounts;
pub mod delete_runner;
pub mod overview;
pub mod sign_in;
