//! One file per route; thin: they wire domain, api and components together.

pub mod account_detail;
pub mod accounts;
pub mod create_account;
pub mod matrix;
pub mod matrix_table;
pub mod overview;
pub mod review;
pub mod sign_in;
