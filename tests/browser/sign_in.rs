use super::dom::*;
use leptos::prelude::*;
use leptos_router::components::Router;
use sa_console::domain::region::Region;
use sa_console::pages::sign_in::SignInPage;
use sa_console::session::{Session, SignInDraft};
use wasm_bindgen_test::wasm_bindgen_test;

fn mount_sign_in(region: Region, base_url: &str) -> web_sys::HtmlElement {
    let draft = SignInDraft { region, base_url: base_url.into(), username: "kept.abc123.mp-service-account".into() };
    mount(move || {
        provide_context(Session::new(draft));
        view! { <Router><SignInPage/></Router> }
    })
}

#[wasm_bindgen_test]
async fn has_the_contract_controls_and_keeps_the_username() {
    let root = mount_sign_in(Region::Us, "");
    leptos::task::tick().await;
    for name in ["Region", "Username", "Secret"] {
        assert!(control(&root, name).is_some(), "{name}");
    }
    assert!(button(&root, "Sign in").is_some());
    assert!(control(&root, "API base URL").is_none(), "hidden unless Custom");
    let username: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(control(&root, "Username").unwrap());
    assert_eq!(username.value(), "kept.abc123.mp-service-account");
    let secret: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(control(&root, "Secret").unwrap());
    assert_eq!(secret.type_(), "password");
    let options: Vec<String> = (0..4)
        .map(|i| root.query_selector_all("#region option").unwrap().item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(options, ["US", "EU", "India", "Custom"]);
}

#[wasm_bindgen_test]
async fn custom_region_shows_the_prefilled_base_url() {
    let root = mount_sign_in(Region::Us, "https://proxy.corp/api/app");
    select(&root, "Region", "custom");
    leptos::task::tick().await;
    let field: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(control(&root, "API base URL").expect("shown for Custom"));
    assert_eq!(field.value(), "https://proxy.corp/api/app");
}

#[wasm_bindgen_test]
async fn invalid_submit_marks_each_field_without_a_request() {
    let root = mount_sign_in(Region::Custom, "not a url");
    set_input(&root, "Username", "");
    button(&root, "Sign in").unwrap().click();
    leptos::task::tick().await;
    assert!(text_of(&root, "#base-url-error").contains("must start with https://"));
    assert_eq!(text_of(&root, "#username-error"), "Enter the service account's username");
    assert_eq!(text_of(&root, "#secret-error"), "Enter the service account's secret");
    assert_eq!(control(&root, "Username").unwrap().get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(text_of(&root, "[role=alert]"), "", "no request went out, so no request error");
    assert_eq!(button(&root, "Sign in").unwrap().get_attribute("disabled"), None, "not pending");
}
