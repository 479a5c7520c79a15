//! The typed client for Mixpanel's App API: one module per resource, one error type.

pub mod accounts;
pub mod client;
pub mod envelope;
pub mod error;
pub mod fetch;
pub mod me;
pub mod projects;
pub mod retry;

pub use client::ApiClient;
pub use error::ApiError;
