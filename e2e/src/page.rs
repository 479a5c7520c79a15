//! Finding and using controls by accessible name, and waiting for the page.

use crate::browser::Harness;
use fantoccini::elements::{Element, ElementRef};
use fantoccini::Locator;
use serde_json::Value;
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(10);
/// How long to wait before asking again when a wait's script was cut short
/// (the page navigated while it waited).
const RETRY: Duration = Duration::from_millis(25);

/// Waits inside the page for `CONDITION` (a JS expression) to be truthy, and
/// resolves with its value, or with `{timedOut: true}` after `arguments[0]`
/// ms. It looks again on every DOM change and every 25 ms (for what no
/// mutation announces: a property, a performance mark). One WebDriver call
/// per wait: asking again from the test every 25 ms cost each of four
/// parallel tests chromedriver, browser and renderer CPU on every poll, and
/// the suite is CPU-bound on two cores. A throw ends the wait with the error.
const WAIT_IN_PAGE: &str = r#"
const [patience, done] = [arguments[0], arguments[arguments.length - 1]];
let observer, timer, deadline, finished = false;
const finish = answer => {
  if (finished) return;
  finished = true;
  observer.disconnect(); clearInterval(timer); clearTimeout(deadline);
  done(answer);
};
const check = () => {
  let value;
  try { value = (CONDITION); } catch (e) { finish({ thrown: String(e) }); return; }
  if (value !== null && value !== undefined && value !== false && value !== '') finish({ value });
};
observer = new MutationObserver(check);
observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
timer = setInterval(check, 25);
deadline = setTimeout(() => finish({ timedOut: true }), patience);
check();
"#;

/// XPath string literal for any text (handles both quote kinds).
fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

pub fn control_xpath(name: &str) -> String {
    let n = literal(name);
    format!(
        "//*[(self::input or self::select or self::textarea) and (@aria-label={n} or @id=//label[normalize-space(.)={n}]/@for)]"
    )
}

pub fn button_xpath(name: &str) -> String {
    let n = literal(name);
    format!("//button[normalize-space(.)={n} or @aria-label={n}]")
}

impl Harness {
    pub async fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.console_url())).await.expect("page opens");
    }

    pub async fn wait_xpath(&self, xpath: &str) -> Element {
        let find = format!(
            "document.evaluate({}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue",
            serde_json::to_string(xpath).unwrap()
        );
        let found = self.wait_in_page(&find, WAIT).await.unwrap_or_else(|| panic!("waited {WAIT:?} for {xpath}"));
        // WebDriver's reference to a DOM node a script returned.
        let id = found
            .get("element-6066-11e4-a52e-4f735466cecf")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{xpath} found no element: {found}"));
        Element::from_element_id(self.browser.clone(), ElementRef::from(id.to_string()))
    }

    /// Waits in the page (see `WAIT_IN_PAGE`) for `condition` to be truthy;
    /// `None` after `patience`. A wait cut short by a navigation is asked
    /// again in the new page; a condition that throws fails the test.
    async fn wait_in_page(&self, condition: &str, patience: Duration) -> Option<Value> {
        let deadline = Instant::now() + patience;
        let script = WAIT_IN_PAGE.replace("CONDITION", condition);
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).as_millis() as u64;
            match self.browser.execute_async(&script, vec![Value::from(left)]).await {
                Ok(Value::Object(mut answer)) => {
                    if let Some(value) = answer.remove("value") {
                        return Some(value);
                    }
                    if let Some(thrown) = answer.remove("thrown") {
                        panic!("`{condition}` threw: {thrown}");
                    }
                    return None;
                }
                Ok(other) => panic!("the wait for `{condition}` answered {other}"),
                Err(e) if Instant::now() > deadline => panic!("the wait for `{condition}` failed: {e}"),
                Err(_) => tokio::time::sleep(RETRY).await,
            }
        }
    }

    /// The input, select or textarea with this accessible name.
    pub async fn control(&self, name: &str) -> Element {
        self.wait_xpath(&control_xpath(name)).await
    }

    pub async fn button(&self, name: &str) -> Element {
        self.wait_xpath(&button_xpath(name)).await
    }

    pub async fn is_present(&self, xpath: &str) -> bool {
        !self.browser.find_all(Locator::XPath(xpath)).await.expect("query runs").is_empty()
    }

    pub async fn type_into(&self, name: &str, text: &str) {
        let field = self.control(name).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Sets a field's value the way a date picker would (typing into a date
    /// input depends on the browser's locale) and fires `input`.
    pub async fn set_value(&self, name: &str, value: &str) {
        let field = self.control(name).await;
        let script =
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));";
        let element = serde_json::to_value(&field).expect("element reference");
        self.browser.execute(script, vec![element, Value::String(value.into())]).await.expect("value set");
    }

    /// Ticks the checkbox with this accessible name unless it already is.
    pub async fn tick(&self, name: &str) {
        let field = self.control(name).await;
        let checked = field.prop("checked").await.expect("checked");
        if checked.as_deref() != Some("true") {
            field.click().await.expect("tick");
        }
    }

    /// The open dialog whose heading is `title`.
    pub async fn dialog(&self, title: &str) -> Element {
        self.wait_xpath(&format!("//*[@role='dialog'][.//h2[normalize-space(.)={}]]", literal(title))).await
    }

    /// Waits until no dialog with this heading is open.
    pub async fn dialog_gone(&self, title: &str) {
        let needle = serde_json::to_string(title).unwrap();
        self.wait_js(&format!(
            "![...document.querySelectorAll('[role=dialog] h2')].some(h => h.textContent.trim() === {needle})"
        ))
        .await;
    }

    pub async fn choose(&self, name: &str, option_label: &str) {
        self.control(name).await.select_by_label(option_label).await.expect("option chosen");
    }

    pub async fn click(&self, name: &str) {
        self.button(name).await.click().await.expect("click");
    }

    /// Waits until `script` (a JS expression) is truthy, and returns its value.
    pub async fn wait_js(&self, script: &str) -> Value {
        self.wait_js_for(script, WAIT).await
    }

    /// `wait_js` with a longer patience, for flows that wait on purpose.
    pub async fn wait_js_for(&self, script: &str, patience: Duration) -> Value {
        self.wait_in_page(script, patience).await.unwrap_or_else(|| panic!("waited {patience:?} for `{script}`"))
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_text(&self, text: &str) {
        let needle = serde_json::to_string(text).unwrap();
        self.wait_js(&format!("document.body.innerText.includes({needle})")).await;
    }

    /// The non-empty text of the first `role="alert"` element, waiting for it.
    pub async fn alert_text(&self) -> String {
        self.wait_js("[...document.querySelectorAll('[role=alert]')].map(e => e.innerText.trim()).find(t => t)")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn field_error(&self, name: &str) -> String {
        let field = self.control(name).await;
        let id = field.attr("id").await.unwrap().expect("field has an id");
        self.wait_js(&format!("document.getElementById('{id}-error')?.innerText.trim()"))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn sign_in(&self, username: &str, secret: &str) {
        self.open("/").await;
        self.type_into("Username", username).await;
        self.type_into("Secret", secret).await;
        self.click("Sign in").await;
    }

    /// Fills the sign-in form already open (e.g. after a deep link) as the
    /// demo admin and submits it.
    pub async fn sign_in_here_as_admin(&self) {
        self.type_into("Username", sandbox::DEMO_ADMIN.username).await;
        self.type_into("Secret", sandbox::DEMO_ADMIN.secret).await;
        self.click("Sign in").await;
    }

    pub async fn sign_in_as_admin(&self) {
        self.sign_in(sandbox::DEMO_ADMIN.username, sandbox::DEMO_ADMIN.secret).await;
        self.button("Sign out").await;
    }

    /// Every place a browser could keep data the page wrote, as one string.
    pub async fn browser_storage_dump(&self) -> String {
        let script = "return JSON.stringify({local: Object.entries(localStorage), session: Object.entries(sessionStorage), cookie: document.cookie, url: location.href});";
        self.browser.execute(script, vec![]).await.expect("script runs").as_str().unwrap_or_default().to_string()
    }

    /// Signs in as the demo admin and opens the main organisation's table.
    pub async fn open_accounts(&self) {
        self.sign_in_as_admin().await;
        self.choose("Organization", "Acme Corp (admin)").await;
        self.control("Search").await;
        self.wait_js("document.querySelectorAll('table tbody tr[aria-rowindex]').length > 0").await;
    }

    /// The visible text of every element matching `selector`, one per line
    /// (waits until the script runs).
    pub async fn inner_texts(&self, selector: &str) -> String {
        let script = format!("[...document.querySelectorAll({selector:?})].map(e => e.innerText).join('\\n')");
        self.wait_js(&script).await.as_str().unwrap_or_default().to_string()
    }

    /// The usernames of the table rows currently in the DOM, in order.
    pub async fn shown_usernames(&self) -> Vec<String> {
        let value = self
            .browser
            .execute(
                "return [...document.querySelectorAll('table tbody tr[aria-rowindex] a')].map(a => a.textContent)",
                vec![],
            )
            .await
            .expect("script runs");
        serde_json::from_value(value).expect("strings")
    }

    /// The visible count line, e.g. "63 service accounts".
    pub async fn count_text(&self) -> String {
        self.wait_js("document.querySelector('h1 + .count, [aria-live=polite]')?.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn wait_count(&self, n: usize) {
        let text = if n == 1 { "1 service account".to_string() } else { format!("{} service accounts", thousands(n)) };
        let needle = serde_json::to_string(&text).unwrap();
        self.wait_js(&format!(
            "[...document.querySelectorAll('[aria-live=polite]')].some(e => e.innerText.trim() === {needle})"
        ))
        .await;
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
        std::fs::create_dir_all(&dir).ok();
        if let Ok(png) = self.browser.screenshot().await {
            std::fs::write(dir.join(format!("{name}.png")), png).ok();
        }
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xpath_literals_survive_quotes() {
        assert_eq!(literal("Add to Bob's"), "concat('Add to Bob', \"'\", 's')");
        assert!(control_xpath("Username").contains("@aria-label='Username'"));
    }
}
