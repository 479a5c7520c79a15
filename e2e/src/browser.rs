//! Starts and stops what one test needs: sandbox, chromedriver, browser session.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use sandbox::{Options, Running, SeedOptions};
use serde_json::json;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct HarnessOptions {
    pub seed: SeedOptions,
    pub faults: Vec<sandbox::FaultRule>,
    pub idle_lock_seconds: Option<u64>,
}

impl Default for HarnessOptions {
    fn default() -> Self {
        HarnessOptions {
            seed: SeedOptions { seed: 11, accounts: 60, projects: 6 },
            faults: Vec::new(),
            idle_lock_seconds: None,
        }
    }
}

pub struct Harness {
    pub sandbox: Running,
    pub browser: Client,
    driver: Child,
    profile: PathBuf,
}

/// The trunk release build the tests drive; `SA_DIST` overrides.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("SA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn chrome_args(profile: &std::path::Path) -> Vec<String> {
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
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
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
            seed: options.seed,
            faults: options.faults,
            dist: Some(dist),
            idle_lock_seconds: options.idle_lock_seconds,
            ..Options::default()
        })
        .await
        .expect("sandbox starts");

        let port = free_port();
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (installed by scripts/setup.sh)");
        let profile = std::env::temp_dir().join(format!("sa-e2e-profile-{port}"));
        let _ = std::fs::remove_dir_all(&profile);
        let mut caps = serde_json::Map::new();
        let downloads = profile.join("downloads");
        std::fs::create_dir_all(&downloads).expect("downloads folder");
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": chrome_args(&profile),
                "prefs": {"download.default_directory": downloads, "download.prompt_for_download": false},
            }),
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        let browser = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => panic!("no browser session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Harness { sandbox, browser, driver, profile }
    }

    /// Where the browser saves downloads (inside the test's own profile).
    pub fn downloads(&self) -> PathBuf {
        self.profile.join("downloads")
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

    /// Closes the session; call at the end of each test (Drop cannot await).
    pub async fn finish(mut self) {
        let _ = self.browser.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Also on a failed assertion: never leave a driver or browser running.
        let _ = self.driver.kill();
    }
}
