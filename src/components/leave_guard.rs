//! While mounted, leaving the page asks first: reload or closing the tab gets
//! the browser's own prompt, and Back asks with a confirm. Used while a
//! secret is on screen that has not been stored yet. The listeners are
//! leptos-use's, removed with the component.

use leptos::prelude::*;
use leptos_use::{use_event_listener, use_event_listener_with_options, UseEventListenerOptions};
use wasm_bindgen::JsValue;

/// A copy of the current entry on top: Back lands on the same address, so
/// the router has nothing to do while the admin decides.
fn arm() {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", None);
    }
}

/// Renders nothing. `message` is what the Back confirm says.
#[component]
pub fn LeaveGuard(message: &'static str) -> impl IntoView {
    arm();
    // Once the admin chose to leave, the next popstate goes through to the router.
    let leaving = StoredValue::new(false);
    let _ = use_event_listener(window(), leptos::ev::beforeunload, |ev: web_sys::BeforeUnloadEvent| {
        ev.prevent_default();
        ev.set_return_value("");
    });
    // Capture: runs before the router's own popstate listener and can stop it.
    let _ = use_event_listener_with_options(
        window(),
        leptos::ev::popstate,
        move |ev: web_sys::PopStateEvent| {
            if leaving.try_get_value().unwrap_or(true) {
                return;
            }
            ev.stop_immediate_propagation();
            if window().confirm_with_message(message).unwrap_or(false) {
                leaving.set_value(true);
                if let Ok(history) = window().history() {
                    let _ = history.back();
                }
            } else {
                arm();
            }
        },
        UseEventListenerOptions::default().capture(true),
    );
}
