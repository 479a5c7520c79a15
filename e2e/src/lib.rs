//! The end-to-end harness: per test, a sandbox on a free port serving the
//! release build (`dist/`) and a fresh WebDriver session, on a headless
//! Chromium kept from one test to the next (`pool`).
//! Controls are found the way an admin finds them: by label and button text.

pub mod accessibility;
pub mod browser;
mod leftovers;
pub mod nginx;
pub mod page;
pub mod pool;

pub use browser::{Harness, HarnessOptions};
