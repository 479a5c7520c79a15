//! Starts and stops what one test needs: sandbox, browser session (on a
//! browser from `pool`), and nginx when asked.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use sandbox::{Options, Running, SeedOptions};
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct HarnessOptions {
    pub seed: SeedOptions,
    pub faults: Vec<sandbox::FaultRule>,
    pub idle_lock_seconds: Option<u64>,
    /// Serve the console through Debian's nginx with the deploy kit (its
    /// headers, its proxy paths, deploy/config.json) instead of the sandbox.
    pub through_nginx: bool,
    /// With `through_nginx`: serve HTTPS with HTTP/2, as the kit's site.conf
    /// does, on a self-signed certificate made for the test (the browser is
    /// told to accept it).
    pub https_http2: bool,
    /// Serve the console from a second sandbox, pointed at this one's API on
    /// another origin (so CORS is what the API answers).
    pub cross_origin_api: bool,
    pub switches: sandbox::switches::Switches,
    /// A `policy` for the console's config.json.
    pub policy: Option<serde_json::Value>,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        HarnessOptions {
            seed: SeedOptions { seed: 11, accounts: 60, projects: 6 },
            faults: Vec::new(),
            idle_lock_seconds: None,
            through_nginx: false,
            https_http2: false,
            cross_origin_api: false,
            switches: sandbox::switches::Switches::default(),
            policy: None,
        }
    }
}

pub struct Harness {
    pub sandbox: Running,
    /// nginx with the deploy kit, when the test asked for it.
    pub nginx: Option<crate::nginx::Nginx>,
    /// The sandbox serving the console apart from the API, when asked.
    pub console: Option<Running>,
    deployed: Option<PathBuf>,
    pub browser: Client,
    /// The browser the session runs in; `None` once given back.
    lease: Option<crate::pool::Lease>,
    /// Console lines a test expects (e.g. the network error of a 401 it
    /// provokes): each pattern allows the lines that contain it.
    allowed: std::sync::Mutex<Vec<String>>,
}

/// A line of the page's console that fails a test: a panic, an uncaught
/// exception, or any other error the test did not say it expects.
pub fn is_unexpected(level: &str, message: &str, allowed: &[String]) -> bool {
    let fatal = message.contains("panicked at") || message.contains("RuntimeError") || message.contains("Uncaught");
    let error = level == "SEVERE";
    (fatal || error) && (fatal_never_allowed(message) || !allowed.iter().any(|a| message.contains(a.as_str())))
}

/// A panic or a trap is never an expected line, whatever a test allows.
fn fatal_never_allowed(message: &str) -> bool {
    message.contains("panicked at") || message.contains("RuntimeError: unreachable")
}

/// The release build the tests drive (scripts/build.sh); `SA_DIST` overrides.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("SA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

pub(crate) fn chrome_args(profile: &std::path::Path, self_signed: bool) -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--enable-precise-memory-info",
        // Nothing a test uses; each costs every browser start CPU the tests share.
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-component-extensions-with-background-pages",
        // WebUIOmniboxAimPopup (the full browser, SA_CHROME=/usr/bin/chromium,
        // only): Chromium 156 loads the omnibox's "AI mode" popup
        // (a WebUI page in a renderer of its own) again on every navigation of a
        // headless tab: ~100 ms of CPU each, 1.5 s in 3 s of the first-screen
        // benchmark (trace), taken from the page under test on two cores.
        "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,CertificateTransparencyComponentUpdater,WebUIOmniboxAimPopup",
        "--password-store=basic",
        "--no-default-browser-check",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    // Trusts the test's own certificate (nginx over HTTPS on loopback) and
    // nothing else.
    .chain(self_signed.then(|| {
        format!("--ignore-certificate-errors-spki-list={}", crate::nginx::test_certificate().spki_sha256)
    }))
    .collect()
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(HarnessOptions::default()).await
    }

    pub async fn start_with(options: HarnessOptions) -> Harness {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "no release build at {}: run scripts/test.sh (it builds dist/ first)",
            dist.display()
        );
        let sandbox = sandbox::start(Options {
            seed: options.seed.clone(),
            faults: options.faults,
            dist: Some(dist.clone()),
            idle_lock_seconds: options.idle_lock_seconds,
            switches: options.switches,
            policy: options.policy.clone(),
            ..Options::default()
        })
        .await
        .expect("sandbox starts");
        let console = if options.cross_origin_api {
            let served = sandbox::start(Options {
                dist: Some(dist),
                idle_lock_seconds: options.idle_lock_seconds,
                console_api: Some(sandbox.api_url()),
                policy: options.policy.clone(),
                ..Options::default()
            })
            .await
            .expect("the console's sandbox starts");
            Some(served)
        } else {
            None
        };

        let lease = crate::pool::take(options.https_http2);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({"debuggerAddress": lease.debugger}));
        // Every console line of the page, read back in `finish`.
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let browser = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(crate::pool::driver_url())
            .await
            .unwrap_or_else(|e| panic!("no browser session: {e}"));
        let (nginx, deployed) = if options.through_nginx {
            static DEPLOYS: AtomicUsize = AtomicUsize::new(0);
            let root = crate::nginx::deployed_copy(&dist_dir(), &DEPLOYS.fetch_add(1, Ordering::Relaxed).to_string());
            (Some(crate::nginx::Nginx::start(&root, &sandbox.addr.to_string(), options.https_http2)), Some(root))
        } else {
            (None, None)
        };
        let downloads = lease.downloads();
        let harness = Harness {
            sandbox,
            console,
            nginx,
            deployed,
            browser,
            lease: Some(lease),
            allowed: std::sync::Mutex::new(Vec::new()),
        };
        // The headless shell reads no download folder from the profile's
        // preferences (the full browser does): downloads are allowed, into
        // the lease's folder, through DevTools.
        let params = json!({"behavior": "allow", "downloadPath": downloads});
        harness.cdp("Browser.setDownloadBehavior", params).await.expect("downloads are allowed");
        harness
    }

    /// Where the console is served: nginx when the test asked for it, else
    /// the sandbox.
    pub fn console_url(&self) -> String {
        match (&self.nginx, &self.console) {
            (Some(n), _) => n.url(),
            (None, Some(c)) => c.url(),
            (None, None) => self.sandbox.url(),
        }
    }

    /// The folder nginx serves (a copy of dist/), with `through_nginx`: a
    /// test may take a file away, as a redeploy would.
    pub fn deployed_root(&self) -> Option<&std::path::Path> {
        self.deployed.as_deref()
    }

    /// Lets console errors containing `pattern` pass (for a test that
    /// provokes exactly that error). Panics are never allowed.
    pub fn allow_console(&self, pattern: &str) {
        self.allowed.lock().unwrap().push(pattern.to_string());
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (the
    /// benchmark empties the browser's cache with it); `None` when it failed.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> Option<serde_json::Value> {
        let session = self.browser.session_id().await.ok()??;
        let url = format!("{}/session/{session}/goog/cdp/execute", crate::pool::driver_url());
        let request = reqwest::Client::new().post(&url).json(&json!({"cmd": cmd, "params": params}));
        let answer: serde_json::Value = request.send().await.ok()?.json().await.ok()?;
        answer.get("value").cloned()
    }

    /// The page's console lines since the last call, as (level, message).
    pub async fn console_lines(&self) -> Vec<(String, String)> {
        let Ok(session) = self.browser.session_id().await else { return Vec::new() };
        let Some(session) = session else { return Vec::new() };
        let url = format!("{}/session/{session}/se/log", crate::pool::driver_url());
        let answer: serde_json::Value =
            match reqwest::Client::new().post(&url).json(&json!({"type": "browser"})).send().await {
                Ok(r) => r.json().await.unwrap_or_default(),
                Err(e) => panic!("could not read the browser's console log: {e}"),
            };
        answer["value"]
            .as_array()
            .unwrap_or_else(|| panic!("chromedriver gave no console log: {answer}"))
            .iter()
            .map(|e| (e["level"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
            .collect()
    }

    /// Fails the test if the page logged a panic, an uncaught exception or an
    /// error it did not expect.
    pub async fn assert_clean_console(&self) {
        let allowed = self.allowed.lock().unwrap().clone();
        let bad: Vec<String> = self
            .console_lines()
            .await
            .into_iter()
            .filter(|(level, message)| is_unexpected(level, message, &allowed))
            .map(|(level, message)| format!("{level}: {message}"))
            .collect();
        assert!(bad.is_empty(), "the page logged errors it should not have:\n{}", bad.join("\n"));
    }

    /// Where the browser saves downloads (inside the test's own profile).
    pub fn downloads(&self) -> PathBuf {
        self.lease.as_ref().expect("a browser until finish").downloads()
    }

    /// Waits for a finished download named `name` and returns its text.
    pub async fn downloaded(&self, name: &str) -> String {
        let path = self.downloads().join(name);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if !text.is_empty() {
                    return text;
                }
            }
            if Instant::now() > deadline {
                let seen: Vec<_> = std::fs::read_dir(self.downloads())
                    .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                panic!("no download {name} within 10 s; the folder holds {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The API requests the sandbox received with this method and path.
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<sandbox::LoggedRequest> {
        self.sandbox
            .sandbox
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.trim_end_matches('/') == path)
            .collect()
    }

    /// Checks the page's console, then closes the session; call at the end
    /// of each test (Drop cannot await).
    pub async fn finish(mut self) {
        let lines = self.console_lines().await;
        let allowed = self.allowed.lock().unwrap().clone();
        let bad: Vec<String> = lines
            .into_iter()
            .filter(|(level, message)| is_unexpected(level, message, &allowed))
            .map(|(level, message)| format!("{level}: {message}"))
            .collect();
        if self.blank().await {
            if let Some(lease) = self.lease.take() {
                crate::pool::give_back(lease);
            }
        }
        let _ = self.browser.clone().close().await;
        if let Some(root) = &self.deployed {
            let _ = std::fs::remove_dir_all(root);
        }
        assert!(bad.is_empty(), "the page logged errors it should not have:\n{}", bad.join("\n"));
    }

    /// Leaves the browser as a new one for the next test: one blank tab (a
    /// page left open would keep running, and a new session would replay
    /// its console lines), no cache, cookies or storage. `false` when any
    /// step failed: the browser is then not handed on (its lease, dropped
    /// with the harness, ends it).
    async fn blank(&self) -> bool {
        let Ok(windows) = self.browser.windows().await else { return false };
        for extra in windows.iter().skip(1) {
            if self.browser.switch_to_window(extra.clone()).await.is_err() || self.browser.close_window().await.is_err()
            {
                return false;
            }
        }
        let Some(first) = windows.into_iter().next() else { return false };
        if self.browser.switch_to_window(first).await.is_err() || self.browser.goto("about:blank").await.is_err() {
            return false;
        }
        let origins = [Some(self.console_url()), Some(self.sandbox.url()), self.console.as_ref().map(Running::url)];
        for url in origins.into_iter().flatten() {
            let Ok(url) = reqwest::Url::parse(&url) else { return false };
            let origin = url.origin().ascii_serialization();
            let cleared =
                self.cdp("Storage.clearDataForOrigin", json!({"origin": origin, "storageTypes": "all"})).await;
            if cleared.is_none() {
                return false;
            }
        }
        self.cdp("Network.clearBrowserCache", json!({})).await.is_some()
            && self.cdp("Network.clearBrowserCookies", json!({})).await.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::is_unexpected;

    #[test]
    fn panics_fail_even_when_allowed_and_expected_errors_pass() {
        let allowed = vec!["401 (Unauthorized)".to_string()];
        assert!(is_unexpected("SEVERE", "panicked at src/x.rs: disposed", &allowed));
        assert!(is_unexpected("SEVERE", "x 401 (Unauthorized) panicked at y", &allowed));
        assert!(is_unexpected("SEVERE", "Uncaught TypeError: x", &[]));
        assert!(is_unexpected("SEVERE", "Failed to load resource: 500 (Internal Server Error)", &allowed));
        assert!(!is_unexpected("SEVERE", "Failed to load resource: 401 (Unauthorized)", &allowed));
        assert!(!is_unexpected("INFO", "hello", &[]));
        assert!(!is_unexpected("WARNING", "a warning", &[]));
    }
}
