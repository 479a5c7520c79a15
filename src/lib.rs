//! A browser console for Mixpanel service accounts.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod domain;
pub mod frames;
pub mod lazy_pages;
pub mod pages;
pub mod perf;
pub mod routing;
pub mod session;
pub mod tasks;
pub mod workflows;
