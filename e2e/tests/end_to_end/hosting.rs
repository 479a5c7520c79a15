//! The deploy kit, for real: Debian's nginx with deploy/nginx/ (only the
//! upstreams pointed at the sandbox), deploy/config.json sending each region
//! through its same-origin proxy path, and the console under the kit's
//! Content-Security-Policy with zero violations.

use e2e::{Harness, HarnessOptions};
use sandbox::{DEMO_ADMIN, MAIN_ORG};
use std::time::{Duration, Instant};

const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://mixpanel.com https://eu.mixpanel.com https://in.mixpanel.com; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async fn through_nginx() -> Harness {
    Harness::start_with(HarnessOptions { through_nginx: true, ..Default::default() }).await
}

fn security_headers_present(what: &str, headers: &reqwest::header::HeaderMap) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(get("content-security-policy"), CSP, "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    assert!(get("permissions-policy").contains("camera=()"), "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert!(headers.get("set-cookie").is_none(), "{what}");
    assert!(headers.get("access-control-allow-origin").is_none(), "{what}: same origin, no CORS");
}

fn show(what: &str, response: &reqwest::Response) {
    let mut lines: Vec<String> = response
        .headers()
        .iter()
        .filter(|(n, _)| !matches!(n.as_str(), "date" | "etag" | "last-modified" | "content-length" | "connection"))
        .map(|(n, v)| format!("  {n}: {}", v.to_str().unwrap_or("?")))
        .collect();
    lines.sort();
    println!("{what} -> {}\n{}", response.status(), lines.join("\n"));
}

#[tokio::test]
async fn every_answer_carries_the_kit_headers_and_cache_rules() {
    let h = through_nginx().await;
    let base = h.console_url();
    let http = reqwest::Client::new();
    let index = http.get(format!("{base}/")).send().await.unwrap();
    show("/", &index);
    security_headers_present("/", index.headers());
    assert_eq!(index.headers()["cache-control"], "no-store");
    let html = index.text().await.unwrap();
    assert!(!html.contains("<script>") && !html.contains("<script type=\"module\">"), "no inline script: {html}");
    let asset = html.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("the boot script").to_string();

    let deep = http.get(format!("{base}/accounts/12?org=1")).send().await.unwrap();
    show("/accounts/12?org=1", &deep);
    security_headers_present("deep link", deep.headers());
    assert_eq!(deep.headers()["cache-control"], "no-store");
    assert_eq!(deep.text().await.unwrap(), html, "a deep link answers index.html");

    let script = http.get(format!("{base}{asset}")).send().await.unwrap();
    show(&asset, &script);
    assert_eq!(script.status(), 200);
    security_headers_present("asset", script.headers());
    assert_eq!(script.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(script.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let wasm = std::fs::read_dir(e2e::browser::dist_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n.ends_with(".wasm"))
        .unwrap();
    let wasm = http.get(format!("{base}/{wasm}")).header("Accept-Encoding", "gzip").send().await.unwrap();
    show("the wasm, gzip accepted", &wasm);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip", "the precompressed copy is served");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");

    let config = http.get(format!("{base}/config.json")).send().await.unwrap();
    show("/config.json", &config);
    security_headers_present("config.json", config.headers());
    assert_eq!(config.headers()["cache-control"], "no-store");
    let config: serde_json::Value = config.json().await.unwrap();
    assert_eq!(config["regions"]["eu"], "/mixpanel/eu/api/app");

    let missing = http.get(format!("{base}/nothing-here.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404, "a missing asset is not the app");

    for region in ["us", "eu", "in"] {
        let me = http
            .get(format!("{base}/mixpanel/{region}/api/app/me"))
            .basic_auth(DEMO_ADMIN.username, Some(DEMO_ADMIN.secret))
            .header("Cookie", "session=should-not-pass")
            .send()
            .await
            .unwrap();
        if region == "us" {
            show("/mixpanel/us/api/app/me", &me);
        }
        assert_eq!(me.status(), 200, "{region}");
        security_headers_present("proxied API", me.headers());
        assert_eq!(me.headers()["cache-control"], "no-store");
        let body: serde_json::Value = me.json().await.unwrap();
        assert_eq!(body["results"]["user_email"], format!("{}@mixpanel.org", DEMO_ADMIN.username));
    }
    let refused = http.get(format!("{base}/mixpanel/us/other/thing")).send().await.unwrap();
    assert_eq!(refused.status(), 404, "only the App API is proxied");

    let log = h.nginx.as_ref().unwrap().access_log();
    assert!(log.contains("GET /mixpanel/us/api/app/me"), "{log}");
    assert!(!log.contains("Basic") && !log.contains(DEMO_ADMIN.secret), "the credential is never logged: {log}");
    h.finish().await;
}

#[tokio::test]
async fn the_whole_tour_runs_through_nginx_under_the_strict_csp() {
    let h = through_nginx().await;
    let started = Instant::now();
    // Sign in through each region's proxy path: the admin only picks the region.
    for region in ["US", "EU", "India"] {
        h.open("/").await;
        h.choose("Region", region).await;
        assert!(!h.is_present(&e2e::page::control_xpath("API base URL")).await, "no URL to type");
        h.sign_in_here_as_admin().await;
        h.button("Sign out").await;
        let path = match region {
            "US" => "/mixpanel/us/api/app/me",
            "EU" => "/mixpanel/eu/api/app/me",
            _ => "/mixpanel/in/api/app/me",
        };
        let log = h.nginx.as_ref().unwrap().access_log();
        assert!(log.contains(&format!("GET {path} HTTP")) || log.contains(&format!("GET {path}\" 200")), "{log}");
        h.click("Sign out").await;
        h.control("Username").await;
    }
    h.open_accounts().await;
    h.browser
        .execute(
            "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
            vec![],
        )
        .await
        .unwrap();

    // Detail.
    let (id, username) = {
        let store = h.sandbox.sandbox.store();
        let a = store.org_accounts(MAIN_ORG).find(|a| a.username != DEMO_ADMIN.username).unwrap();
        (a.id, a.username.clone())
    };
    h.type_into("Search", &username).await;
    h.wait_xpath(&format!("//table//a[normalize-space(.)='{username}']")).await.click().await.unwrap();
    h.wait_text("Checked all 6 projects.").await;

    // Grant and revoke from the detail page's dialog and the table.
    let project = {
        let store = h.sandbox.sandbox.store();
        let p = store
            .projects
            .values()
            .filter(|p| p.organization_id == MAIN_ORG)
            .find(|p| !store.members.get(&p.id).is_some_and(|m| m.contains_key(&id)))
            .expect("a project the account is not in")
            .clone();
        (p.id, p.name)
    };
    h.click("Add to projects").await;
    h.dialog("Add to projects").await;
    h.tick(&format!("Add to {}", project.1)).await;
    h.click("Add").await;
    h.wait_text("Done: every membership now has the role asked for").await;
    h.click("Close").await;
    h.dialog_gone("Add to projects").await;
    assert!(h.sandbox.sandbox.store().members[&project.0].contains_key(&id));

    h.wait_xpath("//nav//a[normalize-space(.)='Service accounts']").await.click().await.unwrap();
    h.type_into("Search", &username).await;
    h.wait_count(1).await;
    h.tick(&format!("Select {username}")).await;
    h.click("Remove from projects").await;
    h.dialog("Remove from projects").await;
    h.tick(&format!("Remove from {}", project.1)).await;
    h.click("Remove").await;
    h.wait_text("Done: the accounts are no longer direct members").await;
    h.click("Close").await;
    h.dialog_gone("Remove from projects").await;
    assert!(!h.sandbox.sandbox.store().members[&project.0].contains_key(&id));

    // Create, with the secret dialog.
    h.type_into("Search", "").await;
    h.click("New service account").await;
    h.type_into("Name", "through-nginx").await;
    h.click("Create service account").await;
    h.dialog("Save the secret now").await;
    h.tick("I have stored the secret").await;
    h.click("Done").await;
    h.dialog_gone("Save the secret now").await;
    assert!(h.sandbox.sandbox.store().accounts.values().any(|a| a.username.starts_with("through-nginx.")));

    // The matrix.
    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.wait_text("Loaded all 6 projects.").await;

    let tour = started.elapsed();
    let violations = h.wait_js("JSON.stringify(window.__violations || ['listener lost'])").await;
    assert_eq!(violations, "[]", "no Content-Security-Policy violation");
    let log = h.nginx.as_ref().unwrap().access_log();
    assert!(
        log.contains("POST /mixpanel/us/api/app/organizations/1/service-accounts"),
        "create went through the proxy"
    );
    assert!(!log.contains(DEMO_ADMIN.secret) && !log.contains("Basic "), "the credential is never logged");
    println!(
        "tour through nginx (3 sign-ins, list, detail, grant, revoke, create, matrix): {:.1} s",
        tour.as_secs_f64()
    );
    assert!(tour < Duration::from_secs(60));
    h.finish().await;
}

/// The most requests the page had handed to the browser and not yet seen
/// answered at any one moment (Resource Timing's start includes the time a
/// request waited in the browser's queue).
const MOST_HANDED_AT_ONCE: &str = r#"
const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/projects/'));
return Math.max(0, ...r.map(e => r.filter(o => o.startTime <= e.startTime && o.responseEnd > e.startTime).length));
"#;

#[tokio::test]
async fn over_http2_the_matrix_hands_the_browser_more_reads_than_the_server_ever_answers_at_once() {
    // deploy/config.json declares the stream cap console.conf sets (12): the
    // fan-out hands the browser five rounds more, the browser queues them,
    // and the server still answers at most 12 at once.
    let h = Harness::start_with(HarnessOptions {
        through_nginx: true,
        https_http2: true,
        seed: sandbox::SeedOptions { seed: 11, accounts: 60, projects: 40 },
        ..Default::default()
    })
    .await;
    h.open_accounts().await;
    h.sandbox.sandbox.faults().push(sandbox::FaultRule { latency_ms: 40, ..Default::default() });
    h.browser.execute("performance.clearResourceTimings()", vec![]).await.unwrap();
    h.sandbox.sandbox.in_flight.reset_peak();
    h.wait_xpath("//nav//a[normalize-space(.)='Access matrix']").await.click().await.unwrap();
    h.wait_text("Loaded all 40 projects.").await;
    let protocol = h
        .wait_js("performance.getEntriesByType('resource').find(e => e.name.includes('/projects/'))?.nextHopProtocol")
        .await;
    assert_eq!(protocol, "h2");
    let handed = h.browser.execute(MOST_HANDED_AT_ONCE, vec![]).await.unwrap().as_u64().unwrap();
    let answered = h.sandbox.sandbox.in_flight.peak();
    assert!(handed > 12, "the browser was handed more than the cap to queue: {handed}");
    // The account list shares the connection's 12 streams with the reads.
    assert!((2..=12).contains(&answered), "the server answered at most 12 requests at once: {answered}");
    h.finish().await;
}

/// A tab opened before a redeploy asks for a page whose code the server no
/// longer has: the page says so instead of dying, and the next visit, once
/// the file is there, loads it (a failed chunk is neither cached by the
/// console nor, as a 404, by the browser).
#[tokio::test]
async fn a_page_whose_code_is_gone_says_so_and_a_later_visit_loads_it() {
    let h = through_nginx().await;
    // The 404 itself, and the chunk loader's own report of the failed load.
    h.allow_console("lazy-matrix-page-");
    h.allow_console("wasm-split-");
    let root = h.deployed_root().expect("served by nginx").to_path_buf();
    let chunk = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("lazy-matrix-page-") && name.ends_with(".wasm")
        })
        .expect("the matrix page is a chunk of its own");
    // Gone before sign-in, so the shell's background prefetch fails too.
    let away = root.join("away.bin");
    std::fs::rename(&chunk, &away).unwrap();
    h.open_accounts().await;
    let nav = |name: &str| format!("//nav//a[normalize-space(.)='{name}']");
    h.wait_xpath(&nav("Access matrix")).await.click().await.unwrap();
    h.wait_text("This page could not be loaded").await;
    assert!(h.is_present(&nav("Service accounts")).await, "the shell stays usable");

    std::fs::rename(&away, &chunk).unwrap();
    h.wait_xpath(&nav("Service accounts")).await.click().await.unwrap();
    h.control("Search").await;
    h.wait_xpath(&nav("Access matrix")).await.click().await.unwrap();
    h.control("Filter accounts").await;
    h.finish().await;
}
