//! Plain Rust: the console's rules, with no browser or framework in them, so
//! every rule is unit-tested natively.

pub mod account;
pub mod account_name;
pub mod calendar;
pub mod create_form;
pub mod credentials;
pub mod csv_export;
pub mod csv_text;
pub mod delete;
pub mod expiry;
pub mod expiry_check;
pub mod findings;
pub mod matrix;
pub mod membership;
pub mod next_path;
pub mod parallel;
pub mod policy;
pub mod project_names;
pub mod region;
pub mod role;
pub mod rotation;
pub mod selection;
pub mod sign_in;
pub mod snapshot;
pub mod sorting;
pub mod status;
pub mod table_window;
pub mod text;
pub mod time_format;
pub mod view;
