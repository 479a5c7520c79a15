//! Reusable widgets.

pub mod accounts_table;
pub mod choose_org;
pub mod create_failure;
pub mod delete_dialog;
pub mod dialog;
pub mod download;
pub mod expiry_picker;
pub mod field;
pub mod leave_guard;
pub mod project_picker;
pub mod protected;
pub mod role_select;
pub mod secret_dialog;
pub mod shell;
pub mod status_badge;
