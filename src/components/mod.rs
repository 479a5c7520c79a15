//! Reusable widgets.

pub mod field;
pub mod protected;
pub mod shell;
