//! Reusable widgets.

pub mod accounts_table;
pub mod delete_dialog;
pub mod dialog;
pub mod download;
pub mod field;
pub mod protected;
pub mod shell;
pub mod status_badge;
