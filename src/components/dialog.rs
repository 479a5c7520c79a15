//! A modal dialog: named by its heading, focus moves in on open, Tab stays
//! inside, Escape closes, and focus returns where it was on close.

use leptos::html;
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

const FOCUSABLE: &str =
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

fn focusables(root: &HtmlElement) -> Vec<HtmlElement> {
    let list = root.query_selector_all(FOCUSABLE).expect("valid selector");
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok()).collect()
}

#[component]
pub fn Dialog(
    /// The heading; it is also the dialog's accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// Called on Escape (and by the caller's own Cancel button).
    on_close: Callback<()>,
    /// Whether Escape may close it now (not while a request is running).
    #[prop(into, default = Signal::stored(true))]
    closable: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let title_id = format!("dialog-title-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let root = NodeRef::<html::Div>::new();
    let opener = StoredValue::new_local(document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok()));

    root.on_load(move |el| {
        let el: &HtmlElement = &el;
        let first = el
            .query_selector("[autofocus]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            .or_else(|| focusables(el).into_iter().next());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });
    on_cleanup(move || {
        opener.with_value(|o| {
            if let Some(o) = o {
                let _ = o.focus();
            }
        })
    });

    let on_keydown = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "Escape" if closable.get_untracked() => {
            ev.prevent_default();
            on_close.run(());
        }
        "Tab" => {
            let Some(el) = root.get_untracked() else { return };
            let items = focusables(&el);
            let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
            let active = document().active_element();
            let at = |x: &HtmlElement| active.as_ref().is_some_and(|a| a == x.unchecked_ref::<web_sys::Element>());
            if ev.shift_key() && at(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };

    let labelled_by = title_id.clone();
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=labelled_by node_ref=root on:keydown=on_keydown>
                <h2 id=title_id>{move || title.get()}</h2>
                {children()}
            </div>
        </div>
    }
}
