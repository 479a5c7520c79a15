//! One file per route; thin: they wire domain, api and components together.

pub mod account_detail;
pub mod accounts;
pub mod create_account;
pub mod create_runner;
pub mod delete_runner;
pub mod matrix;
pub mod matrix_table;
pub mod membership_dialogs;
pub mod membership_runner;
pub mod overview;
pub mod perf;
pub mod rotate;
pub mod sign_in;
