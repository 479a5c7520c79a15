//! The end-to-end harness: a sandbox on a free port serving the release build
//! (`dist/`), a chromedriver, and a headless Chromium session, per test.
//! Controls are found the way an admin finds them: by label and button text.

pub mod browser;
pub mod nginx;
pub mod page;

pub use browser::{Harness, HarnessOptions};
