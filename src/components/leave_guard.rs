//! While mounted, leaving the page asks first: reload or closing the tab gets
//! the browser's own prompt, and Back asks with a confirm. Used while a
//! secret is on screen that has not been stored yet.

use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

struct Listeners {
    before_unload: Closure<dyn FnMut(web_sys::BeforeUnloadEvent)>,
    pop_state: Closure<dyn FnMut(web_sys::Event)>,
}

fn remove(listeners: &Listeners) {
    let window = window();
    let _ =
        window.remove_event_listener_with_callback("beforeunload", listeners.before_unload.as_ref().unchecked_ref());
    let _ = window.remove_event_listener_with_callback_and_bool(
        "popstate",
        listeners.pop_state.as_ref().unchecked_ref(),
        true,
    );
}

/// Renders nothing. `message` is what the Back confirm says.
#[component]
pub fn LeaveGuard(message: &'static str) -> impl IntoView {
    let window = window();
    let history = window.history().ok();
    // A copy of the current entry on top: Back lands on the same address, so
    // the router has nothing to do while the admin decides.
    let arm = {
        let history = history.clone();
        move || {
            if let Some(h) = &history {
                let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", None);
            }
        }
    };
    arm();
    let leaving = Rc::new(Cell::new(false));
    let installed: Rc<Cell<Option<Rc<Listeners>>>> = Rc::new(Cell::new(None));

    let before_unload = Closure::<dyn FnMut(web_sys::BeforeUnloadEvent)>::new(|ev: web_sys::BeforeUnloadEvent| {
        ev.prevent_default();
        ev.set_return_value("");
    });
    let pop_state = {
        let (leaving, installed) = (leaving.clone(), installed.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if leaving.get() {
                return;
            }
            ev.stop_immediate_propagation();
            if leptos::prelude::window().confirm_with_message(message).unwrap_or(false) {
                leaving.set(true);
                if let Some(l) = installed.take() {
                    remove(&l);
                }
                if let Some(h) = &history {
                    let _ = h.back();
                }
            } else {
                arm();
            }
        })
    };
    let _ = window.add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    // Capture: runs before the router's own popstate listener and can stop it.
    let _ = window.add_event_listener_with_callback_and_bool("popstate", pop_state.as_ref().unchecked_ref(), true);
    let listeners = Rc::new(Listeners { before_unload, pop_state });
    installed.set(Some(listeners.clone()));
    let listeners = StoredValue::new_local(listeners);
    on_cleanup(move || listeners.with_value(|l| remove(l)));
}
