//! The Review page at 10,003 accounts: from the list's arrival to the
//! findings painted (the console's own work: decode, status, eight findings,
//! drawing), and from the click on Review to painted (with the request).

use super::{runs, stats};
use e2e::Harness;

/// The console's own work after the answer arrives: no visible pause.
const TARGET_MS: f64 = 100.0;

const OPEN_REVIEW: &str = r#"
const done = arguments[arguments.length - 1];
performance.clearMarks();
const t0 = performance.now();
const observer = new PerformanceObserver(list => {
  const painted = list.getEntries().find(e => e.name === 'review-painted');
  if (!painted) return;
  observer.disconnect();
  const response = performance.getEntriesByName('review-response')[0];
  done([painted.startTime - response.startTime, painted.startTime - t0]);
});
observer.observe({ type: 'mark', buffered: false });
[...document.querySelectorAll('nav a')].find(a => a.textContent.trim() === 'Review').click();
"#;

pub async fn figures(h: &Harness) {
    h.choose("Organization", "Acme Corp (admin)").await;
    h.control("Search").await;
    let (mut own, mut total) = (Vec::new(), Vec::new());
    for _ in 0..runs() {
        h.wait_xpath("//nav//a[normalize-space(.)='Identity']").await.click().await.unwrap();
        h.wait_xpath("//h1[normalize-space(.)='Signed in']").await;
        let value = h.browser.execute_async(OPEN_REVIEW, vec![]).await.expect("the review opens");
        let pair = value.as_array().expect("two figures");
        own.push(pair[0].as_f64().unwrap());
        total.push(pair[1].as_f64().unwrap());
    }
    println!();
    println!("review, 10,003 accounts, {} runs", runs());
    stats("list response -> findings painted", &own, TARGET_MS, "ms");
    stats("click on Review -> findings painted", &total, 1_000.0, "ms");
}
