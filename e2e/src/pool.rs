//! Headless Chromium browsers kept from one test to the next, and one
//! chromedriver for every session.
//!
//! Why: a browser of its own cost each test ~2.5 s of CPU before it did
//! anything (the browser process, its first renderers, a chromedriver), and
//! the suite runs four tests at once on two cores, CPU-bound. Now a test
//! takes a idle browser (or starts one when none is free), attaches a fresh
//! WebDriver session to it through `debuggerAddress`, and gives it back
//! blank, its cache, cookies and storage emptied, when the test got to its
//! end. A browser whose test panicked is killed, never handed on.
//!
//! Every process here is started by one long-lived thread with
//! `PR_SET_PDEATHSIG`: Linux kills them when that thread ends, which is when
//! the test binary exits, whatever way it exits (libtest has no hook for
//! "after the last test").

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A browser lent to one test.
pub struct Lease {
    /// `127.0.0.1:port` of its DevTools endpoint, for chromedriver.
    pub debugger: String,
    /// Its profile folder (downloads go to `downloads/` inside).
    pub profile: PathBuf,
    /// Started with `--ignore-certificate-errors` (for the test's own
    /// self-signed certificate); only such a test gets such a browser.
    self_signed: bool,
    child: Child,
}

impl Lease {
    pub fn downloads(&self) -> PathBuf {
        self.profile.join("downloads")
    }
}

impl Drop for Lease {
    /// A lease dropped without `give_back` (its test failed): the browser
    /// and every process it started end here.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new("pkill")
            .arg("-f")
            // Anchored: profile 4 must not match another browser's 40.
            .arg(format!("user-data-dir={}( |$)", self.profile.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

static IDLE: Mutex<Vec<Lease>> = Mutex::new(Vec::new());
static DRIVER: OnceLock<(String, Mutex<Child>)> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// An idle browser of the kind asked for, or a new one.
pub fn take(self_signed: bool) -> Lease {
    crate::leftovers::sweep_once();
    let idle = {
        let mut idle = IDLE.lock().unwrap_or_else(|e| e.into_inner());
        idle.iter().position(|l| l.self_signed == self_signed).map(|i| idle.swap_remove(i))
    };
    let mut lease = idle.unwrap_or_else(|| launch(self_signed));
    // One that died while idle is replaced, not handed out.
    if !matches!(lease.child.try_wait(), Ok(None)) {
        lease = launch(self_signed);
    }
    let downloads = lease.downloads();
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).expect("downloads folder");
    lease
}

/// Back to the pool, for the next test (the caller has blanked it).
pub fn give_back(lease: Lease) {
    IDLE.lock().unwrap_or_else(|e| e.into_inner()).push(lease);
}

/// Ends every idle browser: for a benchmark, so that a browser kept from an
/// earlier part does not share the cores with the one being measured.
pub fn close_idle() {
    let idle = std::mem::take(&mut *IDLE.lock().unwrap_or_else(|e| e.into_inner()));
    drop(idle);
}

/// The chromedriver every session goes through, started on first use.
pub fn driver_url() -> &'static str {
    &DRIVER.get_or_init(start_driver).0
}

/// chromedriver on a free port, kept for the whole run (PR_SET_PDEATHSIG
/// ends it): its URL and process.
fn start_driver() -> (String, Mutex<Child>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let port = free_port();
        let mut driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()));
        driver.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = spawn_kept(driver).expect("chromedriver starts (installed by scripts/setup.sh)");
        // Listening, or exited: its port was taken between choosing and
        // binding (another test's server), so try another.
        let listening = loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break true;
            }
            if matches!(child.try_wait(), Ok(Some(_))) || Instant::now() > deadline {
                break false;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if listening {
            return (format!("http://127.0.0.1:{port}"), Mutex::new(child));
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(Instant::now() < deadline, "chromedriver did not listen within 20 s");
    }
}

/// Debian's headless shell (`chromium-headless-shell`): the same Blink, V8
/// and network stack as `chromium`, without the browser's own window. Under
/// `chromium --headless=new` that window is drawn too (toolbar, tab strip,
/// the loading throbber's frames): the browser process was the tests'
/// biggest CPU user (~120 s of ~280 s on two cores), the end-to-end tests
/// took 134–145 s against 88–110 s with the shell, and the first-screen
/// benchmark 124–137 ms against 89–107 ms (README, "Benchmark").
/// `SA_CHROME=/usr/bin/chromium` runs the tests and the benchmark in the
/// full browser instead (that script `exec`s its binary).
///
/// The binary, not the package's `/usr/bin/chromium-headless-shell`: that is
/// a shell script that runs the binary as its child, without `exec`, so the
/// death signal and a lease's kill reached the script alone and every run
/// left its kept browsers behind (35 of them, ~10 GB, after one session's
/// benchmarks).
const HEADLESS_SHELL: &str = "/usr/lib/chromium/chromium-headless-shell";

fn browser_binary() -> String {
    std::env::var("SA_CHROME").unwrap_or_else(|_| HEADLESS_SHELL.into())
}

fn launch(self_signed: bool) -> Lease {
    let profile = std::env::temp_dir().join(format!(
        "sa-e2e-browser-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&profile);
    // Downloads land here: each harness points the browser at it (DevTools'
    // `Browser.setDownloadBehavior`, which both browsers honour).
    std::fs::create_dir_all(profile.join("downloads")).expect("profile folder");
    let mut browser = Command::new(browser_binary());
    browser
        .args(crate::browser::chrome_args(&profile, self_signed))
        .arg("--remote-debugging-port=0")
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = spawn_kept(browser)
        .unwrap_or_else(|e| panic!("{} starts (installed by scripts/setup.sh): {e}", browser_binary()));
    let mut lease = Lease { debugger: String::new(), profile, self_signed, child };
    // Chromium writes the port it chose into the profile once it listens.
    let active = lease.profile.join("DevToolsActivePort");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(port) = std::fs::read_to_string(&active).ok().and_then(|t| t.lines().next()?.parse::<u16>().ok()) {
            lease.debugger = format!("127.0.0.1:{port}");
            return lease;
        }
        assert!(matches!(lease.child.try_wait(), Ok(None)), "chromium exited at start");
        assert!(Instant::now() < deadline, "chromium gave no DevTools port within 20 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

type SpawnRequest = (Command, Sender<std::io::Result<Child>>);

/// Starts `command` from the one thread that lives as long as the process,
/// with a death signal tied to that thread (see the module's note).
fn spawn_kept(command: Command) -> std::io::Result<Child> {
    static LAUNCHER: OnceLock<Mutex<Sender<SpawnRequest>>> = OnceLock::new();
    let launcher = LAUNCHER.get_or_init(|| {
        let (requests, incoming) = channel::<SpawnRequest>();
        std::thread::spawn(move || {
            for (mut command, answer) in incoming {
                // SAFETY: prctl is async-signal-safe, and the closure touches
                // nothing else between fork and exec.
                unsafe {
                    command.pre_exec(|| {
                        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                            return Err(std::io::Error::last_os_error());
                        }
                        Ok(())
                    });
                }
                let _ = answer.send(command.spawn());
            }
        });
        Mutex::new(requests)
    });
    let (answer, reply) = channel();
    launcher.lock().unwrap_or_else(|e| e.into_inner()).send((command, answer)).expect("launcher runs");
    reply.recv().expect("launcher answers")
}

/// A loopback port free now (another process may take it before it is bound).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The process the pool keeps (and kills, and ties to the test process
    /// with its death signal) is the browser itself, not a launcher script
    /// whose browser would outlive it.
    #[test]
    fn the_kept_process_is_the_browser_itself() {
        let lease = take(false);
        let pid = lease.child.id();
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).expect("the browser runs");
        let name = exe.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(name.starts_with("chromium"), "the kept process runs {}", exe.display());
        drop(lease);
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "the browser ended with its lease");
    }
}
