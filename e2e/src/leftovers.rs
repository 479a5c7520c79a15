//! Sweeps what ended test processes left in the temp folder. A kept browser
//! ends with its test process (see `pool`), killed, so no `Drop` removes its
//! profile (~10 MB each); the test certificate and the deployed copies of
//! dist/ are made once per process for the same reason. Each name carries
//! its process id, and only a process that no longer runs has its left.

use std::path::Path;
use std::sync::Once;

/// Where the process id sits in each kind of name.
enum PidAt {
    /// `prefix<pid>` or `prefix<pid>-<n>`.
    First,
    /// `prefix<anything>-<pid>`.
    Last,
}

const LEFT_BY_TESTS: [(&str, PidAt); 4] = [
    ("sa-e2e-browser-", PidAt::First),
    ("sa-test-certificate-", PidAt::First),
    ("sa-deployed-", PidAt::Last),
    // The harness's own profiles before browsers were kept.
    ("sa-e2e-profile-", PidAt::First),
];

/// Once per test process: removes what ended processes left.
pub fn sweep_once() {
    static SWEPT: Once = Once::new();
    SWEPT.call_once(|| sweep(&std::env::temp_dir(), |pid| Path::new(&format!("/proc/{pid}")).exists()));
}

fn sweep(temp: &Path, running: impl Fn(u32) -> bool) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner) else { continue };
        if pid != std::process::id() && !running(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process that made a folder of one of the kinds above.
fn owner(name: &str) -> Option<u32> {
    LEFT_BY_TESTS.iter().find_map(|(prefix, at)| {
        let rest = name.strip_prefix(prefix)?;
        let pid = match at {
            PidAt::First => rest.split('-').next()?,
            PidAt::Last => rest.rsplit('-').next()?,
        };
        pid.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_their_process() {
        assert_eq!(owner("sa-e2e-browser-1197-4"), Some(1197));
        assert_eq!(owner("sa-test-certificate-88"), Some(88));
        assert_eq!(owner("sa-deployed-2-9450"), Some(9450));
        assert_eq!(owner("sa-e2e-profile-32801"), Some(32801));
        assert_eq!(owner("sa-nginx-42705"), None, "removed by its own Drop");
        assert_eq!(owner("sa-e2e-browser-x"), None);
        assert_eq!(owner("something-else-12"), None);
    }

    #[test]
    fn only_what_ended_processes_left_is_removed() {
        let temp = std::env::temp_dir().join(format!("sa-leftovers-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&temp);
        for name in ["sa-e2e-browser-11-0", "sa-e2e-browser-22-0", "sa-deployed-3-11", "unrelated-11"] {
            std::fs::create_dir_all(temp.join(name)).unwrap();
        }
        sweep(&temp, |pid| pid == 22);
        let mut left: Vec<String> =
            std::fs::read_dir(&temp).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["sa-e2e-browser-22-0", "unrelated-11"]);
        std::fs::remove_dir_all(&temp).unwrap();
    }
}
