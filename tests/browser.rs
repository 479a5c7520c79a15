//! Browser tests (wasm-bindgen-test in headless Chromium): components mount
//! and react, and the API client works against a running sandbox from another
//! origin. scripts/test.sh starts that sandbox and sets SANDBOX_URL.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/client.rs"]
mod client;
#[path = "browser/dom.rs"]
mod dom;
#[path = "browser/sign_in.rs"]
mod sign_in;
#[path = "browser/workflows.rs"]
mod workflows;
