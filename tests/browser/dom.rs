//! Mounting a view into a fresh container and reading it back.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn mount<F, V>(view: F) -> HtmlElement
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

/// The control labelled `name` (by `<label for>` or `aria-label`).
pub fn control(root: &HtmlElement, name: &str) -> Option<HtmlElement> {
    let labels = root.query_selector_all("label").unwrap();
    for i in 0..labels.length() {
        let label: HtmlElement = labels.item(i).unwrap().unchecked_into();
        if label.text_content().unwrap_or_default().trim() == name {
            let id = label.get_attribute("for")?;
            return root.query_selector(&format!("#{id}")).unwrap().map(|e| e.unchecked_into());
        }
    }
    root.query_selector(&format!("[aria-label='{name}']")).unwrap().map(|e| e.unchecked_into())
}

pub fn button(root: &HtmlElement, text: &str) -> Option<HtmlElement> {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
}

pub fn set_input(root: &HtmlElement, name: &str, value: &str) {
    let input: HtmlInputElement = control(root, name).expect(name).unchecked_into();
    input.set_value(value);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

pub fn select(root: &HtmlElement, name: &str, value: &str) {
    let select: HtmlSelectElement = control(root, name).expect(name).unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

pub fn text_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default().trim().to_string()
}
