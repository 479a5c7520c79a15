//! A browser console for Mixpanel service accounts.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod domain;
pub mod pages;
pub mod routing;
pub mod session;
